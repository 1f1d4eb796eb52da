/*
 * What a flash-controller generation provides (one file each: stm32f1.c, stm32f2.c,
 * stm32l4.c, stm32h7.c), and the helpers they share (regs.c). A driver reads register
 * offsets and bit positions from the family data (families/ [regs], [bits]); what it
 * holds in C is the procedure of its reference manual.
 *
 * Engine guarantees: every op is called with the core halted; the engine calls unlock,
 * then prepare, then erase/program ops of that bank, and lock on every path.
 */
#ifndef SR_FLASH_DRIVER_H
#define SR_FLASH_DRIVER_H

#include "flash/flash.h"

struct sr_flash_ops {
	const char *name; /* as families/ flash_driver names it */
	/* Choose f->unit (and driver settings in f->drv) from the chip and the target
	 * voltage; say how in f->unit_why. */
	int (*setup)(struct sr_flash *f);
	/* With BANK unlocked: wait for its BSY, log and clear sticky error bits, clear
	 * PG/PER/MER left set. Also called before ob_write (then the bank may be locked). */
	int (*prepare)(struct sr_flash *f, int bank);
	int (*unlock)(struct sr_flash *f, int bank);
	int (*lock)(struct sr_flash *f, int bank);
	int (*erase_sector)(struct sr_flash *f, const struct sr_sector *s);
	int (*erase_bank)(struct sr_flash *f, int bank);
	/* Both banks at once where the controller can; NULL: bank by bank. */
	int (*erase_mass)(struct sr_flash *f);
	/* Program LEN bytes at ADDR, whole units inside sector S, already erased. */
	int (*program)(struct sr_flash *f, const struct sr_sector *s, uint32_t addr,
		       const uint8_t *data, uint32_t len);
	/* Write the option-byte registers WANT with the family's procedure and start the
	 * load (OBL_LAUNCH, OPTSTRT, reset). The engine reconnects and reads back. */
	int (*ob_write)(struct sr_flash *f, const struct sr_ob_values *want);
	/* Optional (NULL where the controller has no CRC unit). The CRC of LEN bytes at
	 * ADDR computed on the target by the flash controller, with the bank holding ADDR
	 * unlocked (sr_flash_begin/end around it): ADDR and LEN multiples of crc_align,
	 * inside one bank. Equal to crc_host() over the bytes the flash should hold, it
	 * verifies the range without reading it over USB. */
	int (*crc)(struct sr_flash *f, uint32_t addr, uint32_t len, uint32_t *crc);
	/* The same CRC computed on the host over LEN bytes of DATA, continuing from CRC
	 * (0 to start; a CRC of A then B equals crc_host(crc_host(0, A), B)). */
	uint32_t (*crc_host)(uint32_t crc, const uint8_t *data, uint32_t len);
	uint32_t crc_align; /* bytes */
};

/* The registry (drivers.c). */
const struct sr_flash_ops *sr_flash_driver_find(const char *name);

/* Option-byte procedures kept apart from their driver's file. */
extern int sr_flash_stm32f2_ob_write(struct sr_flash *f, const struct sr_ob_values *want);

/* ---- helpers for drivers (regs.c) ---- */

/* Address of register NAME for BANK: bank 2 uses NAME2 where the family has it
 * (SR2, CR2, KEYR2), else NAME. 0 if the family has neither. */
uint32_t sr_flash_reg(const struct sr_flash *f, const char *name, int bank);
/* Mask of the bits of REG (e.g. "SR") whose kind is KIND in the family data. */
uint32_t sr_flash_bits_of(const struct sr_flash *f, const char *reg, enum sr_bit_kind kind);
/* Mask of the bit or field NAME of REG; 0 if the family does not name it. */
uint32_t sr_flash_bit(const struct sr_flash *f, const char *reg, const char *name);
/* "PGSERR (programming sequence error: ...), WRPERR (...)" for the error bits in VAL. */
void sr_flash_name_bits(const struct sr_flash *f, const char *reg, uint32_t val,
			enum sr_bit_kind kind, char *buf, size_t len);

int sr_flash_read(struct sr_flash *f, uint32_t addr, uint32_t *val);
int sr_flash_write(struct sr_flash *f, uint32_t addr, uint32_t val);
/* LEN bytes at ADDR in accesses of WIDTH bits (8, 16, 32) only: the flash controller
 * checks the access size (PGPERR, SIZERR). Writes to flash stall while BSY. */
int sr_flash_write_block(struct sr_flash *f, unsigned width, uint32_t addr, const uint8_t *data,
			 uint32_t len);

/* Poll SR of BANK until its busy bits clear (sleeping between polls on the probe's
 * clock), for up to TIMEOUT_MS. *SR gets the last value. SR_E_TIMEOUT if still busy. */
int sr_flash_wait_idle(struct sr_flash *f, int bank, unsigned timeout_ms, uint32_t *sr);
/* Read SR of BANK; log any error bits with their names, then clear them by writing
 * them (and the status bits) back to CLEAR_REG (SR on most chips, CCR on H7). */
int sr_flash_clear_sticky(struct sr_flash *f, int bank, const char *clear_reg);
/* After an operation: SR_OK, or SR_E_FLASH_* with the error bits named in f->why,
 * prefixed by WHAT ("erasing sector 5 (0x08020000)"). */
int sr_flash_check(struct sr_flash *f, int bank, const char *clear_reg, const char *what,
		   uint32_t addr);
/* The usual key sequence: KEY1 then KEY2 into KEYREG, then the LOCK bit LOCKNAME of
 * CRNAME must read 0. A refused sequence locks until reset: say so. */
int sr_flash_unlock_keys(struct sr_flash *f, int bank, const char *keyreg, const char *crname,
			 const char *lockname, const uint32_t keys[2]);
/* Set bit LOCKNAME of CRNAME (bank's instance). */
int sr_flash_set_lock(struct sr_flash *f, int bank, const char *crname, const char *lockname);

/* Pause on the probe's clock (virtual lab: the virtual clock). */
void sr_flash_sleep_us(struct sr_flash *f, unsigned us);

#endif
