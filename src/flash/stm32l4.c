/*
 * Flash controller of the STM32L4 generation: 2 KB pages (4 KB on a G47x with
 * DBANK = 0) in one or two banks, double-word (64-bit) programming, page erase by
 * number and bank (PER, PNB, BKER), bank erase (MER1, MER2), and the option bytes in
 * FLASH_OPTR and the WRP/PCROP registers, loaded by OBL_LAUNCH.
 * RM0351 Rev 9 section 3 (STM32L47x/L48x/L49x/L4Ax), RM0394 Rev 4 section 3 (L41x-L46x),
 * RM0440 Rev 8 sections 3, 4 and 5 (STM32G4 categories 3, 4 and 2): the same interface.
 * Registers, bit positions and keys come from families/stm32l4.ini and stm32g4.ini;
 * the page number and bank of every erase come from the map the engine built from the
 * option bytes actually set (struct sr_sector index and bank).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "flash/driver.h"
#include "ob/ob.h"
#include "target/target.h"

/* Page erase time at most 24.47 ms (DS12589 table 46) and 24.59 ms (DS10198 table 63
 * mass erase; FLASH-TIMING.md 3 and 6): 25 ms a 2 KB page bounds any erase the option
 * programming starts. */
#define PAGE_ERASE_MAX_MS 25u
#define PAGE_2K           2048u
/* Page and mass erase take 22.02 and 22.13 ms typically (DS12589 table 46; the L476's
 * DS10198 table 63 agrees, FLASH-TIMING.md 3): poll first after that. */
#define ERASE_FIRST_POLL_US 22000u

/* One register set for both banks (RM0351 3.7.17, RM0440 3.7.19): BANK only selects
 * the controls of an erase. */
static uint32_t cr_addr(struct sr_flash *f)
{
	return sr_flash_reg(f, "CR", 1);
}

static int cr_read(struct sr_flash *f, uint32_t *cr)
{
	return sr_flash_read(f, cr_addr(f), cr);
}

static int cr_write(struct sr_flash *f, uint32_t val)
{
	return sr_flash_write(f, cr_addr(f), val);
}

/* Value V in the field NAME of FLASH_CR; false when the field lacks room for it. */
static bool cr_field(struct sr_flash *f, const char *name, uint32_t v, uint32_t *out)
{
	uint32_t m = sr_flash_bit(f, "CR", name);
	if (!m)
		return false;
	unsigned lo = (unsigned)__builtin_ctz(m);
	*out = (v << lo) & m;
	return (*out >> lo) == v;
}

/* Can this device run two banks (a geometry of its group with two banks)? Then the
 * controller has MER2, and a mass erase in single-bank mode needs MER1 and MER2 together
 * (RM0440 3.3.6 "Mass erase", PGSERR otherwise, 3.7.5; OpenOCD's stm32l4x driver sets
 * both on every dual-bank-capable part, the L47x included). */
static bool dual_capable(const struct sr_flash *f)
{
	for (int i = 0; i < f->fam->n_geoms; i++)
		if (strcmp(f->fam->geoms[i].group, f->dev->geometry) == 0 &&
		    f->fam->geoms[i].banks == 2)
			return true;
	return false;
}

/* A double word (64 bits and 8 ECC bits) is the only programming size: RM0351 3.3.7,
 * RM0440 3.3.7 ("it is only possible to program double word"). */
static int l4_setup(struct sr_flash *f)
{
	f->unit = f->dev->defs.prog_unit; /* 8, families/ prog_unit */
	snprintf(f->unit_why, sizeof(f->unit_why),
	         "a double word, the only size the controller programs, sent as two 32-bit "
	         "writes (RM0351 3.3.7, RM0440 3.3.7)");
	return SR_OK;
}

/* The leftovers of an earlier operation that would turn the next one into PGSERR
 * (RM0440 3.3.7 "Programming errors"): PG, FSTPG, PER, MER1, MER2. */
static uint32_t op_bits(struct sr_flash *f)
{
	return sr_flash_bit(f, "CR", "PG") | sr_flash_bit(f, "CR", "FSTPG") |
	       sr_flash_bit(f, "CR", "PER") | sr_flash_bit(f, "CR", "MER1") |
	       sr_flash_bit(f, "CR", "MER2");
}

/* RM0440 3.3.6/3.3.7 step 1-2: no operation going on (BSY), no error flag left from an
 * earlier operation (FLASH_SR is rc_w1, 3.7.5: logged, then written back to clear). */
static int l4_prepare(struct sr_flash *f, int bank)
{
	uint32_t sr, cr;
	(void)bank;
	int rc = sr_flash_wait_idle(f, 1, 30000, &sr);
	if (rc == SR_OK)
		rc = sr_flash_clear_sticky(f, 1, "SR");
	if (rc == SR_OK)
		rc = cr_read(f, &cr);
	if (rc != SR_OK)
		return rc;
	uint32_t ops = op_bits(f);
	if (!(cr & ops) || (cr & sr_flash_bit(f, "CR", "LOCK")))
		return SR_OK; /* nothing left, or locked (before ob_write): cleared when unlocked */
	sr_warn("FLASH_CR = 0x%08X: PG/FSTPG/PER/MER left set by an earlier operation, cleared "
	        "now",
	        cr);
	return cr_write(f, cr & ~ops);
}

/* KEY1 then KEY2 into FLASH_KEYR (RM0351 3.3.5, RM0440 3.3.5). */
static int l4_unlock(struct sr_flash *f, int bank)
{
	(void)bank;
	return sr_flash_unlock_keys(f, 1, "KEYR", "CR", "LOCK", f->dev->defs.keys);
}

/* LOCK, and OPTLOCK with it (RM0440 3.7.6), in the write that clears what the last
 * operation left set (PG, PER, MER): nothing is left for the next tool. */
static int l4_lock(struct sr_flash *f, int bank)
{
	uint32_t cr;
	(void)bank;
	int rc = cr_read(f, &cr);
	if (rc != SR_OK)
		return rc;
	return cr_write(f, (cr & ~op_bits(f)) | sr_flash_bit(f, "CR", "OPTLOCK") |
	                       sr_flash_bit(f, "CR", "LOCK"));
}

/* Write the erase controls CR with STRT, wait and name the errors (RM0440 3.3.6: "set
 * the STRT bit", "wait for the BSY bit to be cleared"). The controls and STRT go in one
 * write, as OpenOCD's stm32l4x driver does on silicon; the first poll comes after the
 * typical erase time, not every few hundred microseconds over USB. PER or MER stay set
 * until the next operation writes FLASH_CR whole or l4_lock() clears them (one USB
 * exchange less per page). */
static int start_erase(struct sr_flash *f, uint32_t cr, const char *what, uint32_t addr)
{
	int rc = cr_write(f, cr | sr_flash_bit(f, "CR", "STRT"));
	if (rc != SR_OK)
		return rc;
	sr_flash_sleep_us(f, ERASE_FIRST_POLL_US);
	return sr_flash_check(f, 1, "SR", what, addr);
}

/*
 * Page erase, RM0351 3.3.6 and RM0440 3.3.6: PER, the page number within its bank in
 * PNB, BKER = 1 for a page of bank 2 (dual-bank mode only: L47x/L49x, G47x with
 * DBANK = 1), then STRT. The number and bank are those of the map in force, so a G474
 * with DBANK = 0 erases its 4 KB page N, and with DBANK = 1 page N of the chosen bank.
 */
static int l4_erase_sector(struct sr_flash *f, const struct sr_sector *s)
{
	uint32_t pnb, bker = 0;
	char what[64];
	snprintf(what, sizeof(what), "erasing page %u of bank %u", s->index, s->bank);
	if (!cr_field(f, "PNB", s->index, &pnb) || (s->bank == 2 && f->map.banks < 2) ||
	    (s->bank == 2 && !(bker = sr_flash_bit(f, "CR", "BKER")))) {
		sr_msgs_add(&f->why, "%s at 0x%08X: FLASH_CR has no page number or bank for it",
		            what, s->addr);
		return SR_E_RANGE;
	}
	return start_erase(f, sr_flash_bit(f, "CR", "PER") | pnb | bker, what, s->addr);
}

/* MER1 erases bank 1, MER2 bank 2; one bank of a dual-capable part: both (RM0440 3.3.6,
 * RM0351 3.3.6). */
static uint32_t mer_bits(struct sr_flash *f, int bank)
{
	uint32_t m1 = sr_flash_bit(f, "CR", "MER1"), m2 = sr_flash_bit(f, "CR", "MER2");
	if (f->map.banks == 1)
		return dual_capable(f) ? m1 | m2 : m1;
	return bank == 1 ? m1 : bank == 2 ? m2 : m1 | m2;
}

static int l4_erase_bank(struct sr_flash *f, int bank)
{
	const char *what = f->map.banks == 1 ? "mass erase"
	                   : bank == 1       ? "erasing bank 1"
	                                     : "erasing bank 2";
	return start_erase(f, mer_bits(f, bank), what, f->map.bank_base[bank - 1]);
}

static int l4_erase_mass(struct sr_flash *f)
{
	return start_erase(f, mer_bits(f, 0), "mass erase", f->map.bank_base[0]);
}

/*
 * Standard programming, RM0351 3.3.7 and RM0440 3.3.7: PG set, then each double word as
 * two 32-bit writes, the first at an address multiple of 8 (PGAERR otherwise, SIZERR for
 * byte or half-word writes, PROGERR on a double word not erased). A write while BSY
 * stalls the AHB until the previous double word is done (RM0440 3.3.5 note), so the run
 * goes out in the probe's largest transfers.
 */
static int l4_program(struct sr_flash *f, const struct sr_sector *s, uint32_t addr,
                      const uint8_t *data, uint32_t len)
{
	char what[64];
	snprintf(what, sizeof(what), "programming page %u of bank %u", s->index, s->bank);
	if ((addr | len) & (f->unit - 1)) {
		sr_msgs_add(&f->why, "%s: 0x%08X+%u is not whole %u-byte double words", what, addr,
		            len, f->unit);
		return SR_E_FLASH_ALIGN;
	}
	int rc = cr_write(f, sr_flash_bit(f, "CR", "PG")); /* PG alone: PER, MER cleared */
	if (rc == SR_OK)
		rc = sr_flash_write_block(f, 32, addr, data, len);
	if (rc == SR_OK || rc == SR_E_SWD_FAULT) {
		int rc2 = sr_flash_check(f, 1, "SR", what, addr);
		rc = rc2 != SR_OK ? rc2 : rc;
	}
	return rc; /* PG stays set for the next run; l4_lock() clears it */
}

/* ---- option bytes ---- */

/* The option bits of register R this device has: its fields, less the register's
 * control bits (optbytes/ data). */
static uint32_t ob_reg_mask(const struct sr_flash *f, const struct sr_ob_table *t, int r)
{
	uint32_t m = 0;
	for (int i = 0; i < t->n_fields; i++)
		if (t->fields[i].reg == r && sr_ob_field_applies(&t->fields[i], f->dev->dev_id))
			m |= sr_field_mask(t->fields[i].hi, t->fields[i].lo);
	return m & ~t->regs[r].control;
}

/* RM0440 3.4.2 step 2: "write the desired option value in the options registers", the
 * given ones, only their option bits (the others as the register holds them). */
static int ob_write_regs(struct sr_flash *f, const struct sr_ob_values *want)
{
	const struct sr_ob_table *t = want->t;
	for (int r = 0; r < t->n_regs; r++) {
		uint32_t cur, m = ob_reg_mask(f, t, r);
		if (!want->given[r] || !m || !sr_ob_reg_applies(&t->regs[r], f->dev->dev_id))
			continue;
		int rc = sr_flash_read(f, t->regs[r].addr, &cur);
		if (rc == SR_OK)
			rc = sr_flash_write(f, t->regs[r].addr, (cur & ~m) | (want->raw[r] & m));
		if (rc != SR_OK) {
			sr_msgs_add(&f->why, "writing FLASH_%s at 0x%08X failed: %s",
			            t->regs[r].name, t->regs[r].addr, sr_strerror(rc));
			return rc;
		}
		sr_debug("FLASH_%s: 0x%08X -> 0x%08X", t->regs[r].name, cur,
		         (cur & ~m) | (want->raw[r] & m));
	}
	return SR_OK;
}

/* OPTSTRT may start the RDP 1 -> 0 regression, which erases the flash, page by page
 * when PCROP areas are kept (RM0440 3.5.1): allow an erase of every 2 KB of it. */
static unsigned ob_timeout_ms(const struct sr_flash *f)
{
	return (f->map.total / PAGE_2K + 4) * PAGE_ERASE_MAX_MS + 1000;
}

/* RM0440 3.4.2 steps 3-5 (RM0351 3.4.2): BSY clear, OPTSTRT, wait for BSY. */
static int ob_program(struct sr_flash *f)
{
	uint32_t cr, sr;
	int rc = cr_read(f, &cr);
	if (rc == SR_OK)
		rc = cr_write(f, cr | sr_flash_bit(f, "CR", "OPTSTRT"));
	if (rc == SR_OK)
		rc = sr_flash_wait_idle(f, 1, ob_timeout_ms(f), &sr);
	if (rc == SR_OK)
		rc = sr_flash_check(f, 1, "SR", "programming the option bytes",
		                    sr_flash_reg(f, "OPTR", 1));
	return rc;
}

/* OBL_LAUNCH loads the option bytes under a system reset (RM0440 3.4.2 "Option byte
 * loading", 3.7.6; RM0351 3.4.2). The reset may cut the write's answer short: the
 * engine reconnects and reads back whatever this returns. */
static int ob_launch(struct sr_flash *f)
{
	uint32_t cr;
	int rc = cr_read(f, &cr);
	if (rc != SR_OK)
		return rc;
	rc = cr_write(f, cr | sr_flash_bit(f, "CR", "OBL_LAUNCH"));
	if (rc != SR_OK)
		sr_debug("OBL_LAUNCH write answered %s (the reset it starts)", sr_strerror(rc));
	return SR_OK;
}

/*
 * Modifying the option bytes, RM0351 3.4.2 and RM0440 3.4.2: unlock FLASH_CR (KEYR),
 * then the option registers (OPTKEY1, OPTKEY2 into OPTKEYR clear OPTLOCK), write the
 * registers, OPTSTRT, wait, OBL_LAUNCH. On a failure before the launch everything is
 * locked again; after it the reset has locked it.
 */
static int l4_ob_write(struct sr_flash *f, const struct sr_ob_values *want)
{
	int rc = l4_unlock(f, 1);
	if (rc == SR_OK)
		rc = l4_prepare(f, 1); /* leftovers can be cleared now that CR is unlocked */
	if (rc == SR_OK)
		rc = sr_flash_unlock_keys(f, 1, "OPTKEYR", "CR", "OPTLOCK", f->dev->defs.optkeys);
	if (rc == SR_OK)
		rc = ob_write_regs(f, want);
	if (rc == SR_OK)
		rc = ob_program(f);
	if (rc == SR_OK)
		return ob_launch(f);
	int lrc = l4_lock(f, 1);
	if (lrc != SR_OK)
		sr_msgs_add(&f->why, "the flash could not be locked again: %s", sr_strerror(lrc));
	return rc;
}

const struct sr_flash_ops sr_flash_stm32l4 = {
    .name = "stm32l4",
    .setup = l4_setup,
    .prepare = l4_prepare,
    .unlock = l4_unlock,
    .lock = l4_lock,
    .erase_sector = l4_erase_sector,
    .erase_bank = l4_erase_bank,
    .erase_mass = l4_erase_mass,
    .program = l4_program,
    .ob_write = l4_ob_write,
};
