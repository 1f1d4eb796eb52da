/*
 * Flash controller of the STM32F1 generation (the FPEC): half-word programming, page
 * erase through FLASH_AR, mass erase, and on XL-density parts a second bank with its own
 * KEYR2/SR2/CR2/AR2. PM0075 Rev 2 (STM32F10xxx flash programming manual) 2.3 and 3,
 * RM0008 Rev 21 3.3.3. Register offsets and bits come from families/stm32f1.ini; the
 * option bytes are in stm32f1-ob.c.
 */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "flash/stm32f1.h"
#include "probe/stlink.h"
#include "target/target.h"

/* Page and mass erase take 20 to 40 ms (DS5319 Rev 19 table 28, t_ERASE and t_ME; the
 * high-density DS5792 gives the same for 2 KB pages): no poll can see BSY clear sooner. */
#define ERASE_MIN_US 20000u

/*
 * The FPEC takes half-words only: "any attempt to write data that are not half-word
 * long will result in a bus error response from the FPEC" (PM0075 2.3.3).
 */
static int f1_setup(struct sr_flash *f)
{
	f->unit = f->dev->defs.prog_unit ? f->dev->defs.prog_unit : 2;
	snprintf(f->unit_why, sizeof(f->unit_why),
		 "half-words: the F1 flash controller programs 16 bits at a time and refuses "
		 "any other width (PM0075 2.3.3)");
	return SR_OK;
}

static uint32_t f1_cr_addr(const struct sr_flash *f, int bank)
{
	return sr_flash_reg(f, "CR", bank);
}

int sr_flash_f1_cr(struct sr_flash *f, int bank, uint32_t val)
{
	return sr_flash_write(f, f1_cr_addr(f, bank), val);
}

/* Operation bits software sets in FLASH_CR/CR2 (PM0075 3.5). */
static uint32_t f1_op_bits(const struct sr_flash *f)
{
	return sr_flash_bit(f, "CR", "PG") | sr_flash_bit(f, "CR", "PER") |
	       sr_flash_bit(f, "CR", "MER") | sr_flash_bit(f, "CR", "OPTPG") |
	       sr_flash_bit(f, "CR", "OPTER");
}

/*
 * Before an operation on BANK (PM0075 2.3.3 step 1, 2.3.4 step 1): no operation under
 * way (BSY), the sticky PGERR/WRPRTERR and EOP of an earlier operation logged and
 * cleared (rc_w1, PM0075 3.4), and PG/PER/MER/OPTPG/OPTER left set cleared (they can
 * only be written with the bank unlocked, PM0075 2.3.1; when locked, as before ob_write,
 * they are cleared once it unlocks).
 */
static int f1_prepare(struct sr_flash *f, int bank)
{
	uint32_t sr, cr;
	int rc = sr_flash_wait_idle(f, bank, 1000, &sr);
	if (rc == SR_OK)
		rc = sr_flash_clear_sticky(f, bank, "SR");
	if (rc == SR_OK)
		rc = sr_flash_read(f, f1_cr_addr(f, bank), &cr);
	if (rc != SR_OK)
		return rc;
	uint32_t ops = f1_op_bits(f);
	if (!(cr & ops) || (cr & sr_flash_bit(f, "CR", "LOCK")))
		return SR_OK;
	sr_warn("FLASH_CR%s = 0x%08X: PG/PER/MER/OPTPG/OPTER left set by an earlier operation, "
		"cleared now",
		bank == 2 ? "2" : "", cr);
	/* OPTWRE is written back as read: writing 0 would clear it (PM0075 3.5). */
	return sr_flash_f1_cr(f, bank, cr & ~ops);
}

/* KEY1 then KEY2 into FLASH_KEYR (KEYR2 for bank 2); a wrong sequence locks the FPEC
 * until the next reset (PM0075 2.3.1). */
static int f1_unlock(struct sr_flash *f, int bank)
{
	return sr_flash_unlock_keys(f, bank, "KEYR", "CR", "LOCK", f->dev->defs.keys);
}

/* LOCK set: FLASH_CR locked again until the next key sequence (PM0075 3.5). */
static int f1_lock(struct sr_flash *f, int bank)
{
	return sr_flash_set_lock(f, bank, "CR", "LOCK");
}

/*
 * Page erase, PM0075 2.3.4: PER set, the page's address into FLASH_AR (AR2 for bank 2),
 * STRT; BSY clears when it ends, EOP is set; a write-protected page sets WRPRTERR and
 * is not erased (PM0075 2.4.2). FLASH_AR and FLASH_CR ignore writes while BSY (PM0075
 * 2.3.3 note), so PER is cleared only after BSY.
 */
static int f1_erase_sector(struct sr_flash *f, const struct sr_sector *s)
{
	uint32_t per = sr_flash_bit(f, "CR", "PER");
	int rc = sr_flash_f1_cr(f, s->bank, per);
	if (rc == SR_OK)
		rc = sr_flash_write(f, sr_flash_reg(f, "AR", s->bank), s->addr);
	if (rc == SR_OK)
		rc = sr_flash_f1_cr(f, s->bank, per | sr_flash_bit(f, "CR", "STRT"));
	if (rc == SR_OK) {
		sr_flash_sleep_us(f, ERASE_MIN_US);
		char what[64];
		snprintf(what, sizeof(what), "erasing page %u of bank %u", s->index, s->bank);
		rc = sr_flash_check(f, s->bank, "SR", what, s->addr);
	}
	sr_flash_f1_cr(f, s->bank, 0);
	return rc;
}

/*
 * Mass erase, PM0075 2.3.5: MER then STRT; on XL-density parts FLASH_CR's MER erases
 * bank 1 and FLASH_CR2's bank 2 (PM0075 3 register map). Refused with WRPRTERR while any
 * page is write-protected (PM0075 2.4.2).
 */
static int f1_erase_bank(struct sr_flash *f, int bank)
{
	uint32_t mer = sr_flash_bit(f, "CR", "MER");
	int rc = sr_flash_f1_cr(f, bank, mer);
	if (rc == SR_OK)
		rc = sr_flash_f1_cr(f, bank, mer | sr_flash_bit(f, "CR", "STRT"));
	if (rc == SR_OK)
		sr_flash_sleep_us(f, ERASE_MIN_US);
	if (rc == SR_OK)
		rc = sr_flash_check(f, bank, "SR",
				    f->map.banks == 1 ? "mass erase"
				    : bank == 1     ? "erasing bank 1"
						    : "erasing bank 2",
				    f->map.bank_base[bank - 1]);
	sr_flash_f1_cr(f, bank, 0);
	return rc;
}

/*
 * Programming, PM0075 2.3.3: PG set, then half-word writes. An access to the flash while
 * BSY stalls the bus until the operation ends (PM0075 2.3; 2.3.3 for a write during
 * programming), so a half-word written while the previous one is being programmed
 * waits on the bus and is not lost: a whole run goes out in the probe's largest 16-bit
 * transfers (or through a copy loop in SRAM, stm32f1-sram.c) and BSY is polled once at
 * the end. Black Magic Debug programs genuine F1 parts the same way, 1 KiB of 16-bit AP
 * writes between two polls. A half-word not erased sets PGERR, a write-protected one
 * WRPRTERR; it is skipped, the others are programmed, and the error is reported after
 * the run.
 */
static int f1_program(struct sr_flash *f, const struct sr_sector *s, uint32_t addr,
		      const uint8_t *data, uint32_t len)
{
	int rc = sr_flash_f1_cr(f, s->bank, sr_flash_bit(f, "CR", "PG"));
	if (rc == SR_OK)
		rc = sr_flash_f1_write16(f, addr, data, len);
	if (rc == SR_OK || rc == SR_E_SWD_FAULT) {
		char what[64];
		snprintf(what, sizeof(what), "programming page %u of bank %u", s->index,
			 s->bank);
		int rc2 = sr_flash_check(f, s->bank, "SR", what, addr);
		rc = rc2 != SR_OK ? rc2 : rc;
	}
	sr_flash_f1_cr(f, s->bank, 0);
	return rc;
}

const struct sr_flash_ops sr_flash_stm32f1 = {
    .name = "stm32f1",
    .setup = f1_setup,
    .prepare = f1_prepare,
    .unlock = f1_unlock,
    .lock = f1_lock,
    .erase_sector = f1_erase_sector,
    .erase_bank = f1_erase_bank,
    .erase_mass = NULL, /* XL density: bank by bank, each with its own MER */
    .program = f1_program,
    .ob_write = sr_flash_f1_ob_write, /* stm32f1-ob.c */
};
