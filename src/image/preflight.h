/* Checks of an image against a chip before anything is erased, and the programming plan.
 * Pure functions: nothing here talks to a probe. */
#ifndef SR_PREFLIGHT_H
#define SR_PREFLIGHT_H

#include <stdbool.h>
#include <stdint.h>

#include "db/family.h"
#include "image/image.h"

enum sr_severity { SR_SEV_INFO, SR_SEV_WARNING, SR_SEV_ERROR };

/*
 * One finding. ID is a stable string for scripts and tests:
 *   outside-flash      bytes outside the flash present (RAM, OTP, option bytes, nothing)
 *   too-big            bytes past the end of the flash this chip has
 *   overlap            two segments give the same bytes
 *   unaligned-section  an ELF section's load address or size is not a whole number of
 *                      programming units (DIAGNOSES.md 1)
 *   unaligned-segment  a segment of a HEX/S-record/binary image, the same
 *   erase              the sectors that will be erased
 *   erase-uncovered    bytes in those sectors that the image does not give: erased too
 *   crosses-bank       the image spans both banks
 *   wrp-in-way         write-protected (WRP or PCROP) sectors that the image needs
 *   reset-vector-sp    the initial stack pointer is not in the device's RAM
 *   reset-vector-pc    the reset handler is not Thumb code in flash
 *   reset-vector       the vector table looks right (info)
 */
struct sr_finding {
	enum sr_severity sev;
	const char *id;
	char *msg;
	uint32_t addr, size; /* the range concerned; size 0: none */
};

struct sr_findings {
	struct sr_finding *v;
	int n;
};

/* How the option bytes protect a sector (sr_flash_protection): either way it cannot be
 * erased or programmed. PCROP sectors are also unreadable by the debugger. */
enum sr_protect { SR_PROT_NONE, SR_PROT_WRP, SR_PROT_PCROP };

struct sr_preflight_in {
	const struct sr_image *img;
	const struct sr_device *dev;    /* its RAM regions and chip definitions (defs) */
	const struct sr_flash_map *map; /* built for the flash size the chip reports */
	uint32_t flash_size;            /* bytes, from the flash size register; 0: map->total */
	uint32_t prog_unit;             /* bytes; 0: dev->defs.prog_unit */
	const uint8_t *prot;            /* per map->sect[i]: enum sr_protect; NULL: none */
	bool skip_outside;              /* bytes outside flash are left out (info, not error) */
};

/* Run every check; findings are added to OUT in a stable order. Returns SR_E_ARG on
 * missing inputs, SR_OK otherwise (errors are findings, see sr_findings_count()). */
int sr_preflight(const struct sr_preflight_in *in, struct sr_findings *out);
int sr_findings_count(const struct sr_findings *f, enum sr_severity sev);
/* The first finding with ID, or NULL. */
const struct sr_finding *sr_findings_find(const struct sr_findings *f, const char *id);
void sr_findings_free(struct sr_findings *f);
const char *sr_severity_name(enum sr_severity sev);

/* What to write into one sector: DATA holds the whole sector as it should read after
 * programming (image bytes, the erased value elsewhere); RUNS are the ranges of whole
 * programming units to write, as offsets into DATA, in address order. */
struct sr_plan_run {
	uint32_t off, len;
};

struct sr_plan_sector {
	const struct sr_sector *sect; /* in the map given to sr_plan_build() */
	uint8_t *data;
	struct sr_plan_run *runs;
	int n_runs;
};

struct sr_plan {
	struct sr_plan_sector *v;
	int n;
	uint32_t prog_unit;
	uint8_t erased;
	uint64_t write_bytes; /* sum of all runs */
};

/*
 * Turn IMG into per-sector writes of whole PROG_UNIT units: bytes of different segments
 * that share a unit are written together, and the rest of each unit is ERASED. Bytes
 * outside MAP are not planned (sr_preflight() reports them). Returns SR_E_ARG when
 * PROG_UNIT is not a power of two dividing every sector.
 */
int sr_plan_build(const struct sr_image *img, const struct sr_flash_map *map, uint32_t prog_unit,
		  uint8_t erased, struct sr_plan *out);
void sr_plan_free(struct sr_plan *plan);

#endif
