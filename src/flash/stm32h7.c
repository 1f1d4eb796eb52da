/*
 * Flash controller of the STM32H74x/H75x (and H72x/H73x, one bank): 128 KiB sectors,
 * 256-bit flash words, and one register block per bank (FLASH_KEYR/CR/SR/CCR 1 and 2).
 * RM0433 Rev 8 section 4 (RM0468 section 4 for H72x/H73x: the same interface).
 * Register and bit positions come from families/stm32h7.ini; option bytes are in
 * stm32h7-ob.c, the CRC unit in stm32h7-crc.c.
 */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/stm32h7.h"
#include "target/target.h"

/*
 * Parallelism (PSIZE) by supply voltage. RM0433 4.9.4 leaves the choice to software
 * (STM32CubeH7 calls the values "voltage ranges"); the datasheet ties it to VDD:
 * DS12117 Rev 10 table 42 (DS12110 table 53), V_prog x8/x16/x32 1.62-3.6 V, x64
 * 1.8-3.6 V (FLASH-TIMING.md section 4). x64 is the fastest (100 us a flash word,
 * 1 s a sector), so it is used wherever the supply allows it.
 */
#define H7_X64_MIN_MV 1800
#define H7_PSIZE_X32  2
#define H7_PSIZE_X64  3

/* Sector erase can take 4 s (x8 max); a bank erase 26 s (x8 max, DS12117 table 42). */
#define H7_SECTOR_TIMEOUT_MS 10000
#define H7_BANK_TIMEOUT_MS   60000

static int h7_setup(struct sr_flash *f)
{
	const struct sr_target *tg = f->tg;
	unsigned psize = H7_PSIZE_X64;
	if (!tg->mv_known || tg->target_mv < H7_X64_MIN_MV)
		psize = H7_PSIZE_X32;
	f->drv[0] = psize;
	/* Whatever the parallelism, the controller programs whole 256-bit flash words
	 * (RM0433 4.3.9): the unit is one flash word (families/ prog_unit). */
	f->unit = f->dev->defs.prog_unit;
	if (tg->mv_known)
		snprintf(f->unit_why, sizeof(f->unit_why),
			 "flash word, RM0433 4.3.9; x%u (PSIZE=%u) at %u.%02u V: x64 needs 1.8 V, "
			 "x32 1.62 V (DS12117 tab. 42)",
			 8u << psize, psize, tg->target_mv / 1000, tg->target_mv % 1000 / 10);
	else
		snprintf(f->unit_why, sizeof(f->unit_why),
			 "flash word, RM0433 4.3.9; x32 (PSIZE=2): target voltage not measured, "
			 "x64 needs 1.8 V (DS12117 tab. 42)");
	return SR_OK;
}

int h7_cr(struct sr_flash *f, int bank, uint32_t bits)
{
	uint32_t cr = h7_field(sr_flash_bit(f, "CR", "PSIZE"), f->drv[0]) | bits;
	return sr_flash_write(f, sr_flash_reg(f, "CR", bank), cr);
}

/*
 * Before an operation on BANK (RM0433 4.3.9, 4.3.10 step 1): wait until its queue is
 * empty (QW, BSY), log and clear the sticky flags through FLASH_CCRx, and clear what an
 * earlier tool left in FLASH_CRx. A write buffer left half full (WBNE) is dropped by
 * clearing PG (RM0433 4.9.4 PG) rather than forced out: its data is not ours.
 */
static int h7_prepare(struct sr_flash *f, int bank)
{
	uint32_t sr, cr;
	int rc = sr_flash_wait_idle(f, bank, H7_BANK_TIMEOUT_MS, &sr);
	if (rc == SR_OK)
		rc = sr_flash_clear_sticky(f, bank, "CCR");
	if (rc == SR_OK)
		rc = sr_flash_read(f, sr_flash_reg(f, "CR", bank), &cr);
	if (rc != SR_OK || (cr & sr_flash_bit(f, "CR", "LOCK")))
		return rc; /* locked (before ob_write): cleared when unlocked */
	uint32_t ops = sr_flash_bit(f, "CR", "PG") | sr_flash_bit(f, "CR", "SER") |
		       sr_flash_bit(f, "CR", "BER") | sr_flash_bit(f, "CR", "CRC_EN");
	bool wbne = sr & sr_flash_bit(f, "SR", "WBNE");
	if (!(cr & ops) && !wbne)
		return SR_OK;
	sr_warn("FLASH_CR%d = 0x%08X%s: left by an earlier operation, cleared now", bank, cr,
		wbne ? " with a partly written flash word (WBNE), dropped" : "");
	return h7_cr(f, bank, 0);
}

static int h7_unlock(struct sr_flash *f, int bank)
{
	return sr_flash_unlock_keys(f, bank, "KEYR", "CR", "LOCK", f->dev->defs.keys);
}

static int h7_lock(struct sr_flash *f, int bank)
{
	return sr_flash_set_lock(f, bank, "CR", "LOCK");
}

/* Sector erase, RM0433 4.3.10: SER, SNB (sector within the bank) and PSIZE in the
 * bank's FLASH_CRx, then START; wait for QW to clear. */
static int h7_erase_sector(struct sr_flash *f, const struct sr_sector *s)
{
	uint32_t cr = sr_flash_bit(f, "CR", "SER") | h7_field(sr_flash_bit(f, "CR", "SNB"), s->index);
	int rc = h7_cr(f, s->bank, cr);
	if (rc == SR_OK)
		rc = h7_cr(f, s->bank, cr | sr_flash_bit(f, "CR", "START"));
	if (rc == SR_OK) {
		char what[64];
		uint32_t sr;
		snprintf(what, sizeof(what), "erasing sector %u of bank %u", s->index, s->bank);
		rc = sr_flash_wait_idle(f, s->bank, H7_SECTOR_TIMEOUT_MS, &sr);
		if (rc == SR_OK)
			rc = sr_flash_check(f, s->bank, "CCR", what, s->addr);
	}
	int rc2 = h7_cr(f, s->bank, 0);
	return rc != SR_OK ? rc : rc2;
}

/* Bank erase, RM0433 4.3.10: BER and START (they may be set together), with the bank's
 * own FLASH_CRx. Refused with WRPERR if any sector of the bank is protected. */
static int h7_erase_bank(struct sr_flash *f, int bank)
{
	uint32_t sr;
	int rc = h7_cr(f, bank, sr_flash_bit(f, "CR", "BER") | sr_flash_bit(f, "CR", "START"));
	if (rc == SR_OK)
		rc = sr_flash_wait_idle(f, bank, H7_BANK_TIMEOUT_MS, &sr);
	if (rc == SR_OK)
		rc = sr_flash_check(f, bank, "CCR", bank == 1 ? "erasing bank 1" : "erasing bank 2",
				    f->map.bank_base[bank - 1]);
	int rc2 = h7_cr(f, bank, 0);
	return rc != SR_OK ? rc : rc2;
}

/*
 * Mass erase of both banks at once, RM0433 4.3.10: with FLASH_CR1 and FLASH_CR2
 * unlocked and PSIZE set in both, MER in FLASH_OPTCR; each bank then erases as by BER
 * (in parallel), and each reports in its own FLASH_SRx. A single-bank part erases its
 * one bank with BER.
 */
static int h7_erase_mass(struct sr_flash *f)
{
	uint32_t optcr, sr;
	if (f->map.banks == 1)
		return h7_erase_bank(f, 1);
	int rc = SR_OK;
	for (int b = 1; rc == SR_OK && b <= 2; b++)
		rc = h7_cr(f, b, 0);
	uint32_t a = sr_flash_reg(f, "OPTCR", 1);
	if (rc == SR_OK)
		rc = sr_flash_read(f, a, &optcr);
	if (rc == SR_OK)
		rc = sr_flash_write(f, a, (optcr & ~sr_flash_bit(f, "OPTCR", "OPTSTART")) |
					      sr_flash_bit(f, "OPTCR", "MER"));
	for (int b = 1; rc == SR_OK && b <= 2; b++)
		rc = sr_flash_wait_idle(f, b, H7_BANK_TIMEOUT_MS, &sr);
	for (int b = 1; rc == SR_OK && b <= 2; b++)
		rc = sr_flash_check(f, b, "CCR", b == 1 ? "mass erase (bank 1)" : "mass erase (bank 2)",
				    f->map.bank_base[b - 1]);
	return rc;
}

/* After a run of flash words: the queue drained and no word left half written. */
static int program_done(struct sr_flash *f, const struct sr_sector *s, uint32_t addr)
{
	char what[64];
	uint32_t sr;
	snprintf(what, sizeof(what), "programming sector %u of bank %u", s->index, s->bank);
	int rc = sr_flash_check(f, s->bank, "CCR", what, addr);
	if (rc == SR_OK)
		rc = sr_flash_read(f, sr_flash_reg(f, "SR", s->bank), &sr);
	if (rc == SR_OK && (sr & sr_flash_bit(f, "SR", "WBNE"))) {
		sr_msgs_add(&f->why,
			    "%s at 0x%08X: a flash word stayed partly written (WBNE, FLASH_SR = "
			    "0x%08X): some of its 32-bit writes did not arrive",
			    what, addr, sr);
		rc = SR_E_FLASH;
	}
	return rc;
}

/*
 * Programming, RM0433 4.3.9: PG (and PSIZE) in the bank's FLASH_CRx, then the data in
 * 32-bit writes, eight consecutive ones per 256-bit flash word; each full word goes
 * into the bank's write queue by itself. A write while the queue is full stalls the bus
 * until a place is free (RM0433 4.3.9), so the whole run goes out in the probe's
 * largest transfers; then wait for QW to clear and check the error flags.
 */
static int h7_program(struct sr_flash *f, const struct sr_sector *s, uint32_t addr,
		      const uint8_t *data, uint32_t len)
{
	if ((addr | len) % f->unit) {
		sr_msgs_add(&f->why, "0x%08X+%u is not whole %u-byte flash words", addr, len,
			    f->unit);
		return SR_E_FLASH_ALIGN;
	}
	int rc = h7_cr(f, s->bank, sr_flash_bit(f, "CR", "PG"));
	if (rc == SR_OK)
		rc = sr_flash_write_block(f, 32, addr, data, len);
	if (rc == SR_OK || rc == SR_E_SWD_FAULT) {
		int rc2 = program_done(f, s, addr);
		rc = rc2 != SR_OK ? rc2 : rc;
	}
	int rc3 = h7_cr(f, s->bank, 0); /* PG off: a partial word is dropped (RM0433 4.9.4) */
	return rc != SR_OK ? rc : rc3;
}

const struct sr_flash_ops sr_flash_stm32h7 = {
    .name = "stm32h7",
    .setup = h7_setup,
    .prepare = h7_prepare,
    .unlock = h7_unlock,
    .lock = h7_lock,
    .erase_sector = h7_erase_sector,
    .erase_bank = h7_erase_bank,
    .erase_mass = h7_erase_mass,
    .program = h7_program,
    .ob_write = h7_ob_write,
    .crc = h7_crc,
    .crc_host = h7_crc_host,
    .crc_align = H7_CRC_ALIGN,
};
