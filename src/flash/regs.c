/* Helpers the flash drivers share: registers and bits by their families/ names, BSY
 * polling, sticky-bit logging and clearing, the key sequence. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "probe/transport.h"
#include "target/target.h"

uint32_t sr_flash_reg(const struct sr_flash *f, const char *name, int bank)
{
	if (bank == 2) {
		char n2[24];
		snprintf(n2, sizeof(n2), "%s2", name);
		uint32_t a = sr_family_reg(f->fam, n2);
		if (a)
			return a;
	}
	return sr_family_reg(f->fam, name);
}

static uint32_t bitdef_mask(const struct sr_bitdef *b)
{
	uint32_t width = (uint32_t)(b->hi - b->lo) + 1;
	return (width >= 32 ? 0xFFFFFFFFu : ((1u << width) - 1)) << b->lo;
}

uint32_t sr_flash_bits_of(const struct sr_flash *f, const char *reg, enum sr_bit_kind kind)
{
	const struct sr_regbits *rb = sr_family_bits(f->fam, reg);
	uint32_t m = 0;
	for (int i = 0; rb && i < rb->n; i++)
		if (rb->bits[i].kind == kind)
			m |= bitdef_mask(&rb->bits[i]);
	return m;
}

uint32_t sr_flash_bit(const struct sr_flash *f, const char *reg, const char *name)
{
	const struct sr_regbits *rb = sr_family_bits(f->fam, reg);
	for (int i = 0; rb && i < rb->n; i++)
		if (strcmp(rb->bits[i].name, name) == 0)
			return bitdef_mask(&rb->bits[i]);
	return 0;
}

void sr_flash_name_bits(const struct sr_flash *f, const char *reg, uint32_t val,
			enum sr_bit_kind kind, char *buf, size_t len)
{
	const struct sr_regbits *rb = sr_family_bits(f->fam, reg);
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; rb && i < rb->n && used < len; i++) {
		const struct sr_bitdef *b = &rb->bits[i];
		if (b->kind != kind || !(val & bitdef_mask(b)))
			continue;
		int n = snprintf(buf + used, len - used, "%s%s (%s)", used ? ", " : "", b->name,
				 b->meaning ? b->meaning : "");
		used += n > 0 ? (size_t)n : 0;
	}
}

int sr_flash_read(struct sr_flash *f, uint32_t addr, uint32_t *val)
{
	return sr_target_read32(f->tg, addr, val);
}

int sr_flash_write(struct sr_flash *f, uint32_t addr, uint32_t val)
{
	return sr_target_write32(f->tg, addr, val);
}

int sr_flash_write_block(struct sr_flash *f, unsigned width, uint32_t addr, const uint8_t *data,
			 uint32_t len)
{
	return sr_stlink_write_mem_w(&f->tg->sl, width, addr, data, len);
}

void sr_flash_sleep_us(struct sr_flash *f, unsigned us)
{
	sr_transport_sleep(f->tg->t, us);
}

int sr_flash_wait_idle(struct sr_flash *f, int bank, unsigned timeout_ms, uint32_t *sr)
{
	uint32_t addr = sr_flash_reg(f, "SR", bank);
	uint32_t busy = sr_flash_bits_of(f, "SR", SR_BIT_BUSY);
	uint64_t waited_us = 0;
	unsigned pause = 50;
	for (;;) {
		int rc = sr_flash_read(f, addr, sr);
		if (rc != SR_OK)
			return rc;
		if (!(*sr & busy))
			return SR_OK;
		if (waited_us >= (uint64_t)timeout_ms * 1000) {
			sr_msgs_add(&f->why,
				    "the flash controller stayed busy for %u ms (FLASH_SR = 0x%08X); "
				    "a reset of the chip ends the operation",
				    timeout_ms, *sr);
			return SR_E_TIMEOUT;
		}
		/* A doubling pause up to 20 ms: few polls for a long erase, a quick answer
		 * for a short one. */
		sr_flash_sleep_us(f, pause);
		waited_us += pause;
		pause = pause < 20000 ? pause * 2 : 20000;
	}
}

/* The bits a write to CLEAR_REG may set: all that the family names for it when it is a
 * register of its own ([bits CCR] on H7, whose other bits are reserved, RM0433 4.9.6);
 * SR itself (write 1 to clear) takes the flags as read. */
static uint32_t clear_mask(const struct sr_flash *f, const char *clear_reg)
{
	const struct sr_regbits *rb = sr_family_bits(f->fam, clear_reg);
	uint32_t m = 0;
	if (!rb || strcmp(clear_reg, "SR") == 0)
		return 0xFFFFFFFFu;
	for (int i = 0; i < rb->n; i++)
		m |= bitdef_mask(&rb->bits[i]);
	return m;
}

int sr_flash_clear_sticky(struct sr_flash *f, int bank, const char *clear_reg)
{
	uint32_t sr, errs = sr_flash_bits_of(f, "SR", SR_BIT_ERROR);
	uint32_t stat = sr_flash_bits_of(f, "SR", SR_BIT_STATUS);
	int rc = sr_flash_read(f, sr_flash_reg(f, "SR", bank), &sr);
	if (rc != SR_OK)
		return rc;
	if (sr & errs) {
		char names[400];
		sr_flash_name_bits(f, "SR", sr & errs, SR_BIT_ERROR, names, sizeof(names));
		sr_warn("flash bank %d: sticky error bits left by an earlier operation, cleared "
			"now: FLASH_SR = 0x%08X: %s",
			bank, sr, names);
	}
	uint32_t clr = sr & (errs | stat) & clear_mask(f, clear_reg);
	if (!clr)
		return SR_OK;
	return sr_flash_write(f, sr_flash_reg(f, clear_reg, bank), clr);
}

int sr_flash_check(struct sr_flash *f, int bank, const char *clear_reg, const char *what,
		   uint32_t addr)
{
	uint32_t sr, errs = sr_flash_bits_of(f, "SR", SR_BIT_ERROR);
	int rc = sr_flash_wait_idle(f, bank, 30000, &sr);
	if (rc != SR_OK)
		return rc;
	if (!(sr & errs))
		return SR_OK;
	char names[400];
	sr_flash_name_bits(f, "SR", sr & errs, SR_BIT_ERROR, names, sizeof(names));
	sr_msgs_add(&f->why, "%s at 0x%08X failed: FLASH_SR%s = 0x%08X: %s", what, addr,
		    bank == 2 && sr_flash_reg(f, "SR", 2) != sr_flash_reg(f, "SR", 1) ? "2" : "",
		    sr, names);
	sr_flash_write(f, sr_flash_reg(f, clear_reg, bank), sr & errs & clear_mask(f, clear_reg));
	/* WRPERR, or WRPRTERR on the F1 generation (PM0075 3.4) */
	if (sr & (sr_flash_bit(f, "SR", "WRPERR") | sr_flash_bit(f, "SR", "WRPRTERR")))
		return SR_E_FLASH_WRP;
	if (sr & (sr_flash_bit(f, "SR", "PGAERR") | sr_flash_bit(f, "SR", "SIZERR") |
		  sr_flash_bit(f, "SR", "PGPERR")))
		return SR_E_FLASH_ALIGN;
	return SR_E_FLASH;
}

int sr_flash_unlock_keys(struct sr_flash *f, int bank, const char *keyreg, const char *crname,
			 const char *lockname, const uint32_t keys[2])
{
	uint32_t cr, lock = sr_flash_bit(f, crname, lockname);
	uint32_t cra = sr_flash_reg(f, crname, bank);
	int rc = sr_flash_read(f, cra, &cr);
	if (rc != SR_OK)
		return rc;
	if (!(cr & lock))
		return SR_OK;
	uint32_t ka = sr_flash_reg(f, keyreg, bank);
	rc = sr_flash_write(f, ka, keys[0]);
	if (rc == SR_OK)
		rc = sr_flash_write(f, ka, keys[1]);
	/* A key register that already refused a wrong key answers every later key with a
	 * bus error (RM0090 3.5.1, RM0351 3.3.5, RM0440 3.3.5, RM0433 4.5.1): see below
	 * whether it stayed locked rather than report "FAULT". */
	if (rc != SR_OK && rc != SR_E_SWD_FAULT)
		return rc;
	int rc2 = sr_flash_read(f, cra, &cr);
	if (rc2 != SR_OK)
		return rc2;
	if (cr & lock) {
		sr_msgs_add(&f->why,
			    "the flash %s of bank %d stayed locked (%s) after the key sequence: a wrong "
			    "key was written earlier (by firmware or another tool), and the "
			    "controller now refuses every key until the next reset; 'stmrescue "
			    "--connect under-reset' resets the chip before connecting",
			    crname, bank, lockname);
		return SR_E_FLASH_LOCKED;
	}
	return rc;
}

int sr_flash_set_lock(struct sr_flash *f, int bank, const char *crname, const char *lockname)
{
	uint32_t cr, cra = sr_flash_reg(f, crname, bank);
	int rc = sr_flash_read(f, cra, &cr);
	if (rc != SR_OK)
		return rc;
	return sr_flash_write(f, cra, cr | sr_flash_bit(f, crname, lockname));
}
