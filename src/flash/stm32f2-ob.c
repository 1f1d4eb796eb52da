/*
 * Option bytes of the STM32F2/F4/F7 flash controller: FLASH_OPTCR, and FLASH_OPTCR1
 * (F42x/F43x: nWRP of bank 2; F7: BOOT_ADD0/BOOT_ADD1) and FLASH_OPTCR2 (F72x PCROP).
 * RM0090 Rev 19 3.6.2 "Programming user option bytes", 3.9.10, 3.9.11; RM0390 Rev 6 3.6.2,
 * 3.8.10; RM0385 3.4.2 "Option bytes programming", 3.7.6, 3.7.7.
 *
 * The registers hold what was written until a reset reloads them from the option sector
 * (RM0090 3.9.10: "the option bits are loaded with values from Flash memory at reset
 * release"; RM0385 3.7.6, 3.7.7 the same). So after OPTSTRT the chip is reset, with the
 * core held by the reset vector catch, and the engine reads the registers back: what it
 * then sees is what the option sector holds and what the chip runs with (BOOT_ADDx and a
 * hardware watchdog act only from a reset, RM0385 2.5, RM0390 19.3.2).
 */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "target/target.h"

/* Option-byte programming measured at 350 ms on an F411 (FLASH-TIMING.md 2, no datasheet
 * figure): allow ten times that. */
#define OB_TIMEOUT_MS 3500
/* RDP 1 -> 0 mass-erases the flash first (RM0090 3.7.3): up to 32 s at x8 (FLASH-TIMING.md
 * 2 and 5, OpenOCD's F4/F7 figure; the erase parallelism is not under our control), plus
 * the option sector. */
#define OB_REGRESSION_TIMEOUT_MS 40000

/* Bits of option register R that are option bytes on this part: its fields' bits. The
 * rest (reserved bits, OPTLOCK/OPTSTRT) is written back as it reads. */
static uint32_t field_bits(const struct sr_flash *f, int r)
{
	const struct sr_ob_table *t = f->fam->ob;
	uint32_t m = 0;
	for (int i = 0; i < t->n_fields; i++) {
		const struct sr_ob_field *fd = &t->fields[i];
		if (fd->reg == r && sr_ob_field_applies(fd, f->dev->dev_id))
			m |= (uint32_t)(((1ull << (fd->hi - fd->lo + 1)) - 1) << fd->lo);
	}
	return m;
}

/* Does going from the option bytes read to WANT erase the flash (RDP 1 -> 0)? */
static bool erases_flash(const struct sr_flash *f, const struct sr_ob_values *want)
{
	const struct sr_ob_table *t = want->t;
	for (int i = 0; i < t->n_fields; i++) {
		const struct sr_ob_field *fd = &t->fields[i];
		if (!want->given[fd->reg] || !f->ob_ok)
			continue;
		unsigned d = sr_ob_change_danger(fd, sr_ob_field_value(&f->ob, fd),
						 sr_ob_field_value(want, fd));
		if (d & SR_DANGER_ERASES_FLASH)
			return true;
	}
	return false;
}

/* Register R with WANT's option bits, the other bits as they read, OPTLOCK/OPTSTRT 0. */
static int compose(struct sr_flash *f, const struct sr_ob_values *want, int r, uint32_t *out)
{
	const struct sr_ob_reg *reg = &want->t->regs[r];
	uint32_t cur, m = field_bits(f, r);
	int rc = sr_flash_read(f, reg->addr, &cur);
	if (rc == SR_OK)
		*out = ((cur & ~m) | (want->raw[r] & m)) & ~reg->control;
	return rc;
}

/* RM0090 3.6.2 step 2 (with FLASH_OPTCR1 on F42x/F43x), RM0385 3.4.2: every option
 * register but FLASH_OPTCR first, then FLASH_OPTCR, then OPTSTRT (step 3). */
static int write_registers(struct sr_flash *f, const struct sr_ob_values *want, uint32_t optcr)
{
	const struct sr_ob_table *t = want->t;
	int main_r = -1, rc = SR_OK;
	for (int r = 0; rc == SR_OK && r < t->n_regs; r++) {
		uint32_t v;
		if (!want->given[r] || !sr_ob_reg_applies(&t->regs[r], f->dev->dev_id))
			continue;
		if (t->regs[r].addr == optcr) {
			main_r = r;
			continue;
		}
		rc = compose(f, want, r, &v);
		if (rc == SR_OK) {
			sr_debug("option bytes: %s = 0x%08X", t->regs[r].name, v);
			rc = sr_flash_write(f, t->regs[r].addr, v);
		}
	}
	uint32_t v = 0;
	if (rc == SR_OK && main_r >= 0)
		rc = compose(f, want, main_r, &v);
	else if (rc == SR_OK) /* only OPTCR1/OPTCR2 change: OPTCR as it is */
		rc = sr_flash_read(f, optcr, &v);
	if (rc != SR_OK)
		return rc;
	v &= ~(sr_flash_bit(f, "OPTCR", "OPTLOCK") | sr_flash_bit(f, "OPTCR", "OPTSTRT"));
	sr_debug("option bytes: OPTCR = 0x%08X, then OPTSTRT", v);
	rc = sr_flash_write(f, optcr, v);
	if (rc == SR_OK)
		rc = sr_flash_write(f, optcr, v | sr_flash_bit(f, "OPTCR", "OPTSTRT"));
	return rc;
}

/* OPTLOCK again (RM0090 3.6.2 "protected ... by setting the OPTLOCK bit"), and LOCK of
 * FLASH_CR; the first error wins. */
static int relock(struct sr_flash *f, uint32_t optcr, int rc)
{
	uint32_t v;
	int lrc = sr_flash_read(f, optcr, &v);
	if (lrc == SR_OK)
		lrc = sr_flash_write(f, optcr, (v & ~sr_flash_bit(f, "OPTCR", "OPTSTRT")) |
						   sr_flash_bit(f, "OPTCR", "OPTLOCK"));
	int crc = sr_flash_set_lock(f, 1, "CR", "LOCK");
	if (lrc == SR_OK)
		lrc = crc;
	if (lrc != SR_OK && rc == SR_OK)
		sr_msgs_add(&f->why, "the option registers could not be locked again: %s",
			    sr_strerror(lrc));
	return rc != SR_OK ? rc : lrc;
}

/* Unlock FLASH_CR (so that PG/SER/MER left by an earlier tool are cleared before OPTSTRT)
 * and FLASH_OPTCR with OPTKEY1, OPTKEY2 (RM0090 3.6.2 "Unlocking the option control
 * register", RM0385 3.4.2). */
static int unlock(struct sr_flash *f)
{
	int rc = sr_flash_unlock_keys(f, 1, "KEYR", "CR", "LOCK", f->dev->defs.keys);
	if (rc == SR_OK)
		rc = f->ops->prepare(f, 1);
	if (rc == SR_OK)
		rc = sr_flash_unlock_keys(f, 1, "OPTKEYR", "OPTCR", "OPTLOCK",
					  f->dev->defs.optkeys);
	return rc;
}

/* Write the option bytes and wait for the option sector to be programmed: RM0090 3.6.2
 * steps 1-4. */
static int program(struct sr_flash *f, const struct sr_ob_values *want, uint32_t optcr)
{
	uint32_t sr;
	bool regression = erases_flash(f, want);
	int rc = sr_flash_wait_idle(f, 1, OB_TIMEOUT_MS, &sr); /* step 1 */
	if (rc == SR_OK)
		rc = write_registers(f, want, optcr); /* steps 2, 3 */
	if (rc == SR_OK) {
		if (regression)
			sr_info("RDP 1 -> 0: the chip mass-erases its flash first (up to %u s)",
				OB_REGRESSION_TIMEOUT_MS / 1000);
		rc = sr_flash_wait_idle(f, 1, /* step 4 */
					regression ? OB_REGRESSION_TIMEOUT_MS : OB_TIMEOUT_MS, &sr);
	}
	if (rc == SR_OK)
		rc = sr_flash_check(f, 1, "SR", "programming the option bytes", optcr);
	return rc; /* a chip gone silent here is explained by sr_flash_ob_write() */
}

/* The load: a system reset with the core caught at its reset vector, so nothing of the
 * firmware runs, and the option bytes in force are the ones programmed (RM0385 3.4). */
static int load(struct sr_flash *f)
{
	int rc = sr_cm_reset_halt(f->tg);
	if (rc != SR_OK)
		sr_msgs_add(&f->why, "the option bytes were programmed, but the reset that loads "
				     "them failed (%s); a power cycle loads them too",
			    sr_strerror(rc));
	f->tg->halted_by_us = true;
	return rc;
}

int sr_flash_stm32f2_ob_write(struct sr_flash *f, const struct sr_ob_values *want)
{
	uint32_t optcr = sr_flash_reg(f, "OPTCR", 1);
	if (!optcr || !sr_flash_bit(f, "OPTCR", "OPTSTRT") || !f->fam->ob) {
		sr_msgs_add(&f->why, "families/%s.ini lacks OPTCR or its OPTSTRT bit",
			    f->fam->name);
		return SR_E_UNSUPPORTED;
	}
	int rc = unlock(f);
	if (rc == SR_OK)
		rc = program(f, want, optcr);
	rc = relock(f, optcr, rc);
	if (rc == SR_OK)
		rc = load(f);
	return rc;
}
