/*
 * Flash controller of the STM32F2/F4/F7 generation: sectors, PSIZE parallelism, dual
 * bank on F42x/F43x (DB1M) and F76x (nDBANK).
 * RM0090 Rev 19 3.5 (F405..F439), RM0390 Rev 6 3.5 (F446), RM0385 3.3 (F74x/F75x),
 * RM0410 3.3 (F76x/F77x): the same interface. Register and bit positions come from
 * families/stm32f4.ini and stm32f7.ini.
 */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "target/target.h"

#define PSIZE_SHIFT 8 /* FLASH_CR PSIZE 9:8, RM0090 3.9.5 */

/*
 * Parallelism by supply voltage, RM0090 3.5.2 table 9 (RM0385 3.3.2 table 5 the same):
 * x32 from 2.7 V, x16 from 2.1 V, x8 from 1.8 V. x64 needs an external VPP, which no
 * debug probe provides, so it is never chosen.
 */
static int f2_setup(struct sr_flash *f)
{
	const struct sr_target *tg = f->tg;
	unsigned psize = 2;
	if (tg->mv_known && tg->target_mv < 2100)
		psize = 0;
	else if (tg->mv_known && tg->target_mv < 2700)
		psize = 1;
	f->drv[0] = psize;
	f->unit = 1u << psize;
	if (tg->mv_known)
		snprintf(f->unit_why, sizeof(f->unit_why),
			 "x%u (PSIZE=%u): the target is at %u.%02u V (RM0090 3.5.2 table 9: x32 "
			 "from 2.7 V, x16 from 2.1 V, x8 from 1.8 V)",
			 8u << psize, psize, tg->target_mv / 1000, tg->target_mv % 1000 / 10);
	else
		snprintf(f->unit_why, sizeof(f->unit_why),
			 "x32 (PSIZE=2): the probe does not measure the target voltage, assumed "
			 "2.7-3.6 V (RM0090 3.5.2 table 9)");
	return SR_OK;
}

/* The F2/F4/F7 have one register set for both banks (RM0090 3.9). */
static int f2_prepare(struct sr_flash *f, int bank)
{
	uint32_t sr, cr;
	(void)bank;
	int rc = sr_flash_wait_idle(f, 1, 30000, &sr);
	if (rc == SR_OK)
		rc = sr_flash_clear_sticky(f, 1, "SR");
	if (rc == SR_OK)
		rc = sr_flash_read(f, sr_flash_reg(f, "CR", 1), &cr);
	if (rc != SR_OK)
		return rc;
	uint32_t ops = sr_flash_bit(f, "CR", "PG") | sr_flash_bit(f, "CR", "SER") |
		       sr_flash_bit(f, "CR", "MER") | sr_flash_bit(f, "CR", "MER1") |
		       sr_flash_bit(f, "CR", "MER2");
	if (!(cr & ops) || (cr & sr_flash_bit(f, "CR", "LOCK")))
		return SR_OK; /* nothing left, or locked (ob_write): cleared when unlocked */
	sr_warn("FLASH_CR = 0x%08X: PG/SER/MER left set by an earlier operation, cleared now",
		cr);
	return sr_flash_write(f, sr_flash_reg(f, "CR", 1), cr & ~ops);
}

static int f2_unlock(struct sr_flash *f, int bank)
{
	(void)bank;
	return sr_flash_unlock_keys(f, 1, "KEYR", "CR", "LOCK", f->dev->defs.keys);
}

static int f2_lock(struct sr_flash *f, int bank)
{
	(void)bank;
	return sr_flash_set_lock(f, 1, "CR", "LOCK");
}

static int f2_cr(struct sr_flash *f, uint32_t val)
{
	return sr_flash_write(f, sr_flash_reg(f, "CR", 1), val);
}

/* Sector number for SNB: bank 2 sectors are 16 + n (RM0090 3.9.8 SNB; RM0410 3.7.5). */
static uint32_t f2_snb(const struct sr_sector *s)
{
	return s->bank == 2 ? 0x10u + s->index : s->index;
}

/* Sector erase, RM0090 3.5.3: SER, SNB and PSIZE, then STRT; wait for BSY. */
static int f2_erase_sector(struct sr_flash *f, const struct sr_sector *s)
{
	uint32_t snb = sr_flash_bit(f, "CR", "SNB");
	uint32_t cr = sr_flash_bit(f, "CR", "SER") | f->drv[0] << PSIZE_SHIFT |
		      ((f2_snb(s) << 3) & snb);
	int rc = f2_cr(f, cr);
	if (rc == SR_OK)
		rc = f2_cr(f, cr | sr_flash_bit(f, "CR", "STRT"));
	if (rc == SR_OK) {
		char what[64];
		snprintf(what, sizeof(what), "erasing sector %u of bank %u", s->index, s->bank);
		rc = sr_flash_check(f, 1, "SR", what, s->addr);
	}
	f2_cr(f, 0);
	return rc;
}

static uint32_t f2_mer(struct sr_flash *f, int bank)
{
	if (bank == 1)
		return sr_flash_bit(f, "CR", "MER");
	uint32_t m = sr_flash_bit(f, "CR", "MER1"); /* RM0090: MER1 erases bank 2 */
	return m ? m : sr_flash_bit(f, "CR", "MER2"); /* RM0410: MER2 */
}

/* Mass erase, RM0090 3.5.3: MER (bank 1), MER1 (bank 2) or both, then STRT. */
static int f2_mass(struct sr_flash *f, uint32_t mer, uint32_t addr, const char *what)
{
	uint32_t cr = mer | f->drv[0] << PSIZE_SHIFT;
	int rc = f2_cr(f, cr);
	if (rc == SR_OK)
		rc = f2_cr(f, cr | sr_flash_bit(f, "CR", "STRT"));
	if (rc == SR_OK)
		rc = sr_flash_check(f, 1, "SR", what, addr);
	f2_cr(f, 0);
	return rc;
}

static int f2_erase_bank(struct sr_flash *f, int bank)
{
	if (f->map.banks == 1)
		return f2_mass(f, f2_mer(f, 1), f->map.bank_base[0], "mass erase");
	return f2_mass(f, f2_mer(f, bank), f->map.bank_base[bank - 1],
		       bank == 1 ? "erasing bank 1" : "erasing bank 2");
}

static int f2_erase_mass(struct sr_flash *f)
{
	uint32_t mer = f2_mer(f, 1) | (f->map.banks == 2 ? f2_mer(f, 2) : 0);
	return f2_mass(f, mer, f->map.bank_base[0], "mass erase");
}

/* Programming, RM0090 3.5.4: PG and PSIZE set, then writes of exactly the PSIZE width;
 * a write while BSY stalls the bus until the previous one ends, so the whole run goes
 * out in the probe's largest transfers. */
static int f2_program(struct sr_flash *f, const struct sr_sector *s, uint32_t addr,
		      const uint8_t *data, uint32_t len)
{
	int rc = f2_cr(f, sr_flash_bit(f, "CR", "PG") | f->drv[0] << PSIZE_SHIFT);
	if (rc == SR_OK)
		rc = sr_flash_write_block(f, 8u << f->drv[0], addr, data, len);
	if (rc == SR_OK || rc == SR_E_SWD_FAULT) {
		char what[64];
		snprintf(what, sizeof(what), "programming sector %u of bank %u", s->index,
			 s->bank);
		int rc2 = sr_flash_check(f, 1, "SR", what, addr);
		rc = rc2 != SR_OK ? rc2 : rc;
	}
	f2_cr(f, 0);
	return rc;
}

const struct sr_flash_ops sr_flash_stm32f2 = {
    .name = "stm32f2",
    .setup = f2_setup,
    .prepare = f2_prepare,
    .unlock = f2_unlock,
    .lock = f2_lock,
    .erase_sector = f2_erase_sector,
    .erase_bank = f2_erase_bank,
    .erase_mass = f2_erase_mass,
    .program = f2_program,
    .ob_write = sr_flash_stm32f2_ob_write, /* stm32f2-ob.c */
};
