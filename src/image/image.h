/* Firmware images: raw binary, Intel HEX, Motorola S-record and ELF read into address-ordered
 * segments, with the ELF section table kept for reports. */
#ifndef SR_IMAGE_H
#define SR_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/msgs.h"

enum sr_image_format {
	SR_IMAGE_AUTO = 0, /* detect by content */
	SR_IMAGE_BIN,
	SR_IMAGE_IHEX,
	SR_IMAGE_SREC,
	SR_IMAGE_ELF,
};

/* Bytes to program at one address range. Segments are sorted, never overlap, and two
 * segments never touch (adjacent ones are merged). */
struct sr_image_seg {
	uint32_t addr;
	uint32_t size;
	uint8_t *data;
	size_t cap;
	/* Where the bytes came from: lines (HEX, S-record), program headers (ELF, counted
	 * from 0), or 0..0 for a raw binary. See sr_image_seg_origin(). */
	int first, last;
};

enum sr_section_flag {
	SR_SECT_WRITE = 1 << 0, /* SHF_WRITE */
	SR_SECT_ALLOC = 1 << 1, /* SHF_ALLOC: occupies memory at run time */
	SR_SECT_EXEC = 1 << 2,  /* SHF_EXECINSTR */
	SR_SECT_NOBITS = 1 << 3, /* SHT_NOBITS: no bytes in the file (.bss) */
};

/* One ELF section with SHF_ALLOC, for reports and the alignment check. */
struct sr_image_section {
	char *name;
	uint32_t addr;  /* run-time (virtual) address, sh_addr */
	uint32_t lma;   /* load (physical) address: where its bytes are programmed */
	uint32_t size;
	unsigned flags; /* enum sr_section_flag */
	bool loaded;    /* its bytes are part of a segment (in a PT_LOAD's file image) */
};

struct sr_image {
	enum sr_image_format format;
	char *source; /* file name, or the name given to sr_image_parse() */
	struct sr_image_seg *seg;
	int n_seg;
	struct sr_image_section *sect; /* ELF only */
	int n_sect;
	uint32_t entry; /* start address record, or the ELF entry point */
	bool has_entry;
};

struct sr_image_opts {
	enum sr_image_format format; /* SR_IMAGE_AUTO: detect */
	bool has_base;               /* raw binary: load address given */
	uint32_t base;
};

/*
 * Read the image in PATH. On error returns SR_E_IMAGE (or SR_E_IO, SR_E_ARG) and adds one
 * message to MSGS saying what is wrong, where (FILE:LINE for text formats, the file offset
 * for ELF) and what to do. *OUT is empty on error.
 */
int sr_image_load(const char *path, const struct sr_image_opts *opts, struct sr_image *out,
		  struct sr_msgs *msgs);
/* The same from memory; NAME is used in messages. */
int sr_image_parse(const char *name, const uint8_t *data, size_t len,
		   const struct sr_image_opts *opts, struct sr_image *out, struct sr_msgs *msgs);
void sr_image_free(struct sr_image *img);

/* The format the content looks like: ELF magic, ':' (Intel HEX), 'S' + digit (S-record),
 * otherwise raw binary. Leading white space is skipped for the text formats. */
enum sr_image_format sr_image_detect(const uint8_t *data, size_t len);
/* "ELF", "Intel HEX", "S-record", "binary". */
const char *sr_image_format_name(enum sr_image_format f);
/* "lines 3-40", "program header 1", "the whole file". */
void sr_image_seg_origin(const struct sr_image *img, const struct sr_image_seg *s, char *buf,
			 size_t len);
/* Total bytes in all segments. */
uint64_t sr_image_bytes(const struct sr_image *img);

#endif
