/*
 * Flash of a connected, identified target: erase, program, verify, option bytes.
 * The engine (flash.c, program.c, verify.c, ob-write.c) is the same for every chip; what
 * differs per flash-controller generation sits behind struct sr_flash_ops (driver.h),
 * one file per generation, found by the families/ key flash_driver.
 *
 * Every operation: waits for BSY, logs then clears the sticky error bits and leftover
 * PG/PER/MER (DIAGNOSES.md 2), unlocks with the family's keys and re-locks on every path.
 * A failure is explained in f->why: the error bits by name with their meaning, the
 * address, and the protection or alignment behind it (DIAGNOSES.md 15).
 */
#ifndef SR_FLASH_H
#define SR_FLASH_H

#include <stdbool.h>
#include <stdint.h>

#include "common/msgs.h"
#include "db/family.h"
#include "image/preflight.h"
#include "ob/ob.h"

struct sr_target;
struct sr_flash_ops;

/* Progress of a long operation: PHASE ("erase", "program", "verify", "backup"),
 * DONE of TOTAL bytes. */
typedef void (*sr_flash_progress_fn)(void *ctx, const char *phase, uint64_t done,
				     uint64_t total);

struct sr_flash {
	struct sr_target *tg;
	const struct sr_device *dev;
	const struct sr_family *fam;
	const struct sr_flash_ops *ops;
	struct sr_ob_values ob;  /* option bytes as read when opened (or after ob write) */
	bool ob_ok;
	struct sr_flash_map map; /* the layout those option bytes give */
	uint32_t flash_size;     /* bytes, from the flash size register */
	uint32_t unit;           /* programming unit in force, bytes */
	char unit_why[120];      /* how the driver chose it ("x32: target at 3.30 V, ...") */
	uint32_t drv[4];         /* driver-private settings (F2: PSIZE) */
	uint8_t erased;
	bool locked_after[2];    /* per bank: re-locked after the last operation */
	struct sr_msgs why;      /* explanations of the last failure */
	bool no_crc;             /* verify by reading back only (else CRC on target first) */
	uint64_t crc_bytes, read_bytes; /* how the last verify checked its bytes */
	sr_flash_progress_fn progress;
	void *progress_ctx;
};

/* Find the driver the device's data names, read the option bytes, lay out the flash and
 * let the driver choose its programming unit. */
int sr_flash_open(struct sr_target *tg, struct sr_flash *f);
void sr_flash_close(struct sr_flash *f);
/* Read the option bytes again and rebuild the map (after an option-byte change). */
int sr_flash_reload(struct sr_flash *f);

/* Erase the sectors that hold [ADDR, ADDR+LEN): both ends must be sector boundaries,
 * so that nothing outside the range is erased. */
int sr_flash_erase_range(struct sr_flash *f, uint32_t addr, uint32_t len);
/* The same checks without erasing (before a backup): SR_E_RANGE with the reason. */
int sr_flash_check_range(struct sr_flash *f, uint32_t addr, uint32_t len);
/* Erase one bank (1 or 2) with its own controls, or everything. */
int sr_flash_erase_bank(struct sr_flash *f, int bank);
int sr_flash_erase_mass(struct sr_flash *f);

/* Erase the sectors of PLAN, then program its runs. */
int sr_flash_program_plan(struct sr_flash *f, const struct sr_plan *plan);

/* Compare flash with PLAN's sectors (image bytes and the erased value elsewhere in each
 * sector): by a CRC-32 the target computes (unless no_crc; where no RAM suits or the run
 * fails, and to locate a difference, by reading back). *FIRST_BAD gets the first differing address, *N_BAD the
 * number of differing bytes. SR_E_VERIFY on a difference. */
int sr_flash_verify_plan(struct sr_flash *f, const struct sr_plan *plan, uint32_t *first_bad,
			 uint64_t *n_bad);
/* Compare flash with the image's own bytes only (for `verify FILE`). */
int sr_flash_verify_image(struct sr_flash *f, const struct sr_image *img, uint32_t *first_bad,
			  uint64_t *n_bad);

/* Per map sector: how the option bytes protect it (enum sr_protect: WRP bit masks and
 * areas, PCROP bit masks). *OUT is allocated with f->map.n_sect entries. */
int sr_flash_protection(const struct sr_flash *f, uint8_t **out);

/* Write the option bytes WANT (a full set for this table): the family's procedure, the
 * launch or reload, reconnect, read back and compare. f->ob and f->map are refreshed. */
int sr_flash_ob_write(struct sr_flash *f, const struct sr_ob_values *want);

#endif
