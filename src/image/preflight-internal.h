/* Shared by the pre-flight checks; not for other modules. */
#ifndef SR_PREFLIGHT_INTERNAL_H
#define SR_PREFLIGHT_INTERNAL_H

#include <stddef.h>

#include "image/preflight.h"

struct pf {
	const struct sr_preflight_in *in;
	struct sr_findings *out;
	const struct sr_image *img;
	const struct sr_device *dev;
	const struct sr_flash_map *map;
	uint32_t unit, flash_size;
	bool *erase;          /* per map sector: the image has bytes in it */
	uint64_t flash_bytes; /* image bytes inside the flash present */
	uint64_t big_end;     /* end of the bytes past the flash present (too-big); 0: none */
	uint64_t big_bytes;
};

void pf_add(struct pf *p, enum sr_severity sev, const char *id, uint32_t addr, uint32_t size,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* "1484 bytes", "16 KiB" */
void pf_size(uint64_t n, char *buf, size_t len);
/* "page" or "sector", as the family's reference manual calls its erase unit. */
const char *pf_unit_word(const struct pf *p);
/* "sector 5" or "bank 2 page 5" */
void pf_sector_name(const struct pf *p, const struct sr_sector *s, char *buf, size_t len);
/* Where bytes [ADDR, ADDR+SIZE) come from: ELF section names, else the segment's origin. */
void pf_origin(const struct pf *p, const struct sr_image_seg *s, uint32_t addr, uint32_t size,
	       char *buf, size_t len);
/* The image byte at ADDR, or -1 when the image does not give it. */
int pf_image_byte(const struct sr_image *img, uint32_t addr);

/* The checks, in the order they run. */
void pf_check_placement(struct pf *p); /* outside-flash, too-big; fills erase[] */
void pf_check_alignment(struct pf *p);
void pf_check_erase(struct pf *p); /* erase, crosses-bank, wrp-in-way, erase-uncovered */
void pf_check_vector(struct pf *p);

#endif
