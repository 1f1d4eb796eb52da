/*
 * Option bytes of the STM32H74x/H75x flash, RM0433 Rev 8 4.4.3 (option byte
 * modification): the values in force are in the FLASH_xxx_CUR registers; new ones go
 * to their FLASH_xxx_PRG twins and OPTSTART applies them, without a reset. The engine
 * (ob-write.c) then reads the CUR registers back.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/stm32h7.h"

/* An option change takes about 300 ms (no datasheet figure; FLASH-TIMING.md section 4);
 * an RDP level 1 -> 0 regression adds the erase of both banks, up to 26 s at x8
 * (DS12117 table 42, mass erase max). */
#define H7_OPT_TIMEOUT_MS 40000

/*
 * Address of the PRG twin of the table's register R, by the families/ [regs] names:
 * FLASH_OPTSR_CUR -> OPTSR_PRG, FLASH_PRAR_CUR1 -> PRAR_PRG1, FLASH_WPSN_CUR1R ->
 * WPSN_PRG1R, FLASH_BOOT_CURR -> BOOT_PRGR. 0 if the family lacks either name or its
 * CUR register is not at the table's address.
 */
static uint32_t prg_addr(const struct sr_flash *f, const struct sr_ob_reg *r)
{
	char cur[32], prg[32];
	const char *n = strncmp(r->name, "FLASH_", 6) == 0 ? r->name + 6 : r->name;
	snprintf(cur, sizeof(cur), "%s", n);
	const char *p = strstr(cur, "CUR");
	if (!p || sr_family_reg(f->fam, cur) != r->addr)
		return 0;
	snprintf(prg, sizeof(prg), "%.*sPRG%s", (int)(p - cur), cur, p + 3);
	return sr_family_reg(f->fam, prg);
}

/* The registers of WANT that are given and exist on this part, into their PRG twins;
 * the table's control bits (reserved, status, set by ST) are kept as the PRG register
 * holds them (RM0433 4.9.9: a reset copies the CUR values into it). */
static int write_prg(struct sr_flash *f, const struct sr_ob_values *want)
{
	const struct sr_ob_table *t = want->t;
	for (int i = 0; i < t->n_regs; i++) {
		const struct sr_ob_reg *r = &t->regs[i];
		uint32_t old, a = prg_addr(f, r);
		if (!want->given[i] || !sr_ob_reg_applies(r, f->dev->dev_id) ||
		    r->bank > f->map.banks)
			continue;
		if (!a) {
			sr_msgs_add(&f->why,
				    "families/%s.ini names no *_PRG register for %s: the option "
				    "bytes were not changed",
				    f->fam->name, r->name);
			return SR_E_OB;
		}
		int rc = sr_flash_read(f, a, &old);
		uint32_t v = (old & r->control) | (want->raw[i] & ~r->control);
		if (rc == SR_OK && v != old) {
			sr_debug("option bytes: %s 0x%08X -> 0x%08X (PRG register 0x%08X)", r->name,
				 old, v, a);
			rc = sr_flash_write(f, a, v);
		}
		if (rc != SR_OK)
			return rc;
	}
	return SR_OK;
}

/* Wait for OPT_BUSY to clear in FLASH_OPTSR_CUR; *OPTSR gets the last value. */
static int wait_opt(struct sr_flash *f, uint32_t *optsr)
{
	uint32_t a = sr_flash_reg(f, "OPTSR_CUR", 1);
	uint32_t busy = sr_flash_bits_of(f, "OPTSR_CUR", SR_BIT_BUSY);
	uint64_t waited = 0;
	unsigned pause = 1000;
	for (;;) {
		int rc = sr_flash_read(f, a, optsr);
		if (rc != SR_OK || !(*optsr & busy))
			return rc;
		if (waited >= (uint64_t)H7_OPT_TIMEOUT_MS * 1000) {
			sr_msgs_add(&f->why,
				    "the option-byte change was still running after %u ms "
				    "(FLASH_OPTSR_CUR = 0x%08X, OPT_BUSY)",
				    H7_OPT_TIMEOUT_MS, *optsr);
			return SR_E_TIMEOUT;
		}
		sr_flash_sleep_us(f, pause);
		waited += pause;
		pause = pause < 50000 ? pause * 2 : 50000;
	}
}

/* OPTCHANGEERR: the change was refused; clear it through FLASH_OPTCCR (RM0433 4.9.10). */
static int opt_error(struct sr_flash *f, uint32_t optsr, bool before)
{
	uint32_t err = sr_flash_bit(f, "OPTSR_CUR", "OPTCHANGEERR");
	if (!(optsr & err))
		return SR_OK;
	if (before)
		sr_warn("FLASH_OPTSR_CUR = 0x%08X: OPTCHANGEERR left by an earlier option change, "
			"cleared now",
			optsr);
	else
		sr_msgs_add(&f->why,
			    "the chip refused the option-byte change (OPTCHANGEERR, FLASH_OPTSR_CUR "
			    "= 0x%08X): at RDP level 2 the option bytes are frozen, and SECURITY "
			    "cannot be cleared once set (RM0433 4.4.3, 4.5.3, 4.5.5)",
			    optsr);
	sr_flash_write(f, sr_flash_reg(f, "OPTCCR", 1), sr_flash_bit(f, "OPTCCR", "OPTCHANGEERR"));
	return before ? SR_OK : SR_E_OB;
}

/* RM0433 4.4.3 steps 2-5: PRG registers, OPTSTART, wait for OPT_BUSY, check the error. */
static int change(struct sr_flash *f, const struct sr_ob_values *want)
{
	uint32_t optsr, optcr, a = sr_flash_reg(f, "OPTCR", 1);
	int rc = sr_flash_read(f, sr_flash_reg(f, "OPTSR_CUR", 1), &optsr);
	if (rc == SR_OK)
		rc = opt_error(f, optsr, true);
	if (rc == SR_OK)
		rc = write_prg(f, want);
	if (rc == SR_OK)
		rc = sr_flash_read(f, a, &optcr);
	if (rc == SR_OK)
		rc = sr_flash_write(f, a, optcr | sr_flash_bit(f, "OPTCR", "OPTSTART"));
	if (rc == SR_OK)
		rc = wait_opt(f, &optsr);
	if (rc == SR_OK)
		rc = opt_error(f, optsr, false);
	return rc;
}

/*
 * RM0433 4.4.3: with no program or erase queued in either bank, unlock FLASH_OPTCR with
 * OPTKEY1 and OPTKEY2 in FLASH_OPTKEYR (RM0433 4.5.1), change, then set OPTLOCK again
 * on every path. An RDP level 1 -> 0 change erases both banks before it completes
 * (RM0433 4.5.3); the wait covers it.
 */
int h7_ob_write(struct sr_flash *f, const struct sr_ob_values *want)
{
	uint32_t sr;
	int rc = SR_OK;
	for (int b = 1; rc == SR_OK && b <= f->map.banks; b++)
		rc = sr_flash_wait_idle(f, b, 60000, &sr);
	if (rc == SR_OK)
		rc = sr_flash_unlock_keys(f, 1, "OPTKEYR", "OPTCR", "OPTLOCK", f->dev->defs.optkeys);
	if (rc != SR_OK)
		return rc;
	rc = change(f, want);
	int lrc = sr_flash_set_lock(f, 1, "OPTCR", "OPTLOCK");
	if (lrc != SR_OK)
		sr_msgs_add(&f->why, "FLASH_OPTCR could not be locked again: %s", sr_strerror(lrc));
	return rc != SR_OK ? rc : lrc;
}
