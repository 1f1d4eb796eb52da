/*
 * The CRC unit of the STM32H74x/H75x flash controller (RM0433 Rev 8 4.3.12, registers
 * 4.9.19-4.9.22): a CRC-32 over an address range of one bank, computed by the chip, so
 * that a range can be verified without reading it over USB; and the same CRC on the
 * host.
 */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/stm32h7.h"

#define H7_CRC_TIMEOUT_MS 10000 /* a 1 MiB bank is read in a few ms at any clock */

/*
 * The CRC as AN5507 describes it in software: per 32-bit word (little-endian, as read),
 * XOR into the CRC, 32 MSB-first steps of the polynomial 0x04C11DB7 (RM0433 4.3.12),
 * then XOR 0x55555555. Checked against a chip only through one published measurement:
 * 128 zero bytes give 0x11E66C62 (ST community, "STM32H753 Flash CRC specification",
 * 2020); the virtual chip (src/sim/flash-h7-crc.c) computes it the same way.
 */
uint32_t h7_crc_host(uint32_t crc, const uint8_t *data, uint32_t len)
{
	for (uint32_t i = 0; i + 4 <= len; i += 4) {
		crc ^= (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
		       (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
		for (int k = 0; k < 32; k++)
			crc = crc & 0x80000000u ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
		crc ^= 0x55555555u;
	}
	return crc;
}

/* CRC_BURST (0-3: 4, 16, 64, 256 flash words) for the largest burst that divides both
 * the bank offset and the length: the unit reads whole bursts, so a range that is not
 * a multiple of one would take in the bytes after it (RM0433 4.9.19). */
static uint32_t burst_for(uint32_t off, uint32_t len)
{
	uint32_t b = 3;
	while (b && ((off | len) % (H7_CRC_ALIGN << (2 * b))))
		b--;
	return b;
}

/* Bank (1 or 2) holding [ADDR, ADDR+LEN), 0 if none or across banks. */
static int bank_of(const struct sr_flash *f, uint32_t addr, uint32_t len)
{
	for (int b = 0; b < f->map.banks; b++) {
		uint32_t base = f->map.bank_base[b], size = f->map.bank_size[b];
		if (addr >= base && addr - base < size && len <= size - (addr - base))
			return b + 1;
	}
	return 0;
}

/* A register of the CRC unit, named per bank in families/: NAME, the bank, then SUFFIX
 * (CRCCR1, CRCSADD2R ...). */
static uint32_t crc_reg(const struct sr_flash *f, const char *name, int bank, const char *suffix)
{
	char full[24];
	snprintf(full, sizeof(full), "%s%d%s", name, bank, suffix);
	return sr_family_reg(f->fam, full);
}

/* RM0433 4.3.12 steps: CRC_EN, range and burst, CLEAN_CRC, START_CRC. */
static int crc_start(struct sr_flash *f, int bank, uint32_t addr, uint32_t len)
{
	uint32_t off = addr - f->map.bank_base[bank - 1];
	uint32_t ccr = crc_reg(f, "CRCCR", bank, "");
	uint32_t cr = h7_field(sr_flash_bit(f, "CRCCR1", "CRC_BURST"), burst_for(off, len));
	int rc = h7_cr(f, bank, sr_flash_bit(f, "CR", "CRC_EN"));
	if (rc == SR_OK)
		rc = sr_flash_write(f, crc_reg(f, "CRCSADD", bank, "R"), addr);
	if (rc == SR_OK) /* the last 32-bit word, inclusive (RM0433 4.9.21) */
		rc = sr_flash_write(f, crc_reg(f, "CRCEADD", bank, "R"), addr + len - 4);
	if (rc == SR_OK)
		rc = sr_flash_write(f, ccr, cr | sr_flash_bit(f, "CRCCR1", "CLEAN_CRC"));
	if (rc == SR_OK)
		rc = sr_flash_write(f, ccr, cr | sr_flash_bit(f, "CRCCR1", "START_CRC"));
	return rc;
}

/* Wait for CRC_BUSY to clear; CRCEND must be set and CRCRDERR clear (RM0433 4.7). */
static int crc_end(struct sr_flash *f, int bank, uint32_t addr, uint32_t len, uint32_t *crc)
{
	uint32_t sr;
	int rc = sr_flash_wait_idle(f, bank, H7_CRC_TIMEOUT_MS, &sr);
	if (rc != SR_OK)
		return rc;
	uint32_t end = sr_flash_bit(f, "SR", "CRCEND"), rderr = sr_flash_bit(f, "SR", "CRCRDERR");
	sr_flash_write(f, sr_flash_reg(f, "CCR", bank), sr & (end | rderr));
	if (sr & rderr) {
		sr_msgs_add(&f->why,
			    "the CRC of 0x%08X-0x%08X met read-protected flash words (CRCRDERR, "
			    "FLASH_SR = 0x%08X: PCROP, a secure-only area or RDP level 1); it "
			    "cannot verify that range",
			    addr, addr + len - 1, sr);
		return SR_E_FLASH_RDP;
	}
	if (!(sr & end)) {
		sr_msgs_add(&f->why,
			    "the CRC unit of bank %d did not finish (no CRCEND, FLASH_SR = 0x%08X)",
			    bank, sr);
		return SR_E_FLASH;
	}
	return sr_flash_read(f, sr_flash_reg(f, "CRCDATAR", 1), crc);
}

int h7_crc(struct sr_flash *f, uint32_t addr, uint32_t len, uint32_t *crc)
{
	int bank = bank_of(f, addr, len);
	if (!bank || !len || (addr - f->map.bank_base[bank - 1]) % H7_CRC_ALIGN ||
	    len % H7_CRC_ALIGN) {
		sr_msgs_add(&f->why,
			    "0x%08X+%u: a flash CRC covers whole %u-byte bursts inside one bank "
			    "(RM0433 4.3.12)",
			    addr, len, H7_CRC_ALIGN);
		return SR_E_ARG;
	}
	int rc = crc_start(f, bank, addr, len);
	if (rc == SR_OK)
		rc = crc_end(f, bank, addr, len, crc);
	/* CRCDATAR is read: CRC_EN off again resets the unit (RM0433 4.9.4). */
	int rc2 = h7_cr(f, bank, 0);
	return rc != SR_OK ? rc : rc2;
}
