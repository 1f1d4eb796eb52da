/*
 * Option bytes of the STM32F1 (PM0075 Rev 2 2.4, 2.5): eight bytes at 0x1FFFF800, each
 * stored with its complement; write-enabled by KEY1, KEY2 into FLASH_OPTKEYR (OPTWRE),
 * erased all together (OPTER), programmed one half-word at a time (OPTPG). The option
 * byte loader copies them into FLASH_OBR and FLASH_WRPR at a system reset; the F1's
 * FLASH_CR has no OBL_LAUNCH bit (PM0075 3.5; it came with the F0/F3 FPEC, RM0091
 * 3.2.2), so the chip is reset with the core caught at its reset vector, for the engine
 * to read them back (ob-write.c).
 */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "flash/stm32f1.h"
#include "target/target.h"

#define OB_N 8 /* RDP, USER, Data0, Data1, WRP0..WRP3 (PM0075 2.5) */
enum { OB_RDP, OB_USER, OB_DATA0, OB_DATA1, OB_WRP0 };

/* RDP: 0xA5 unprotects; any other value protects (PM0075 2.4.1). 0x00 is written for
 * read protection (programmed, so its complement is stored with it). */
#define RDP_OFF 0xA5u
#define RDP_ON  0x00u

/* Lowest bit of MASK (0 when MASK is 0). */
static unsigned lowbit(uint32_t mask)
{
	unsigned n = 0;
	while (mask && !(mask & 1)) {
		mask >>= 1;
		n++;
	}
	return n;
}

/* Raw word of option register NAME in WANT. */
static int want_reg(struct sr_flash *f, const struct sr_ob_values *want, const char *name,
		    uint32_t *val)
{
	int r = want->t ? sr_ob_reg_find(want->t, name) : -1;
	if (r < 0) {
		sr_msgs_add(&f->why, "the option-byte table of %s has no %s register",
			    f->fam->name, name);
		return SR_E_ARG;
	}
	*val = want->raw[r];
	return SR_OK;
}

/*
 * The eight bytes from the register values WANT holds: FLASH_OBR carries RDPRT, the
 * USER byte from WDG_SW up (bits 9:2), Data0 and Data1; FLASH_WRPR is WRP3..WRP0
 * (PM0075 3.7, 3.8). Bit positions from families/ [bits OBR].
 */
static int new_bytes(struct sr_flash *f, const struct sr_ob_values *want, uint8_t ob[OB_N])
{
	uint32_t obr, wrpr;
	int rc = want_reg(f, want, "OBR", &obr);
	if (rc == SR_OK)
		rc = want_reg(f, want, "WRPR", &wrpr);
	if (rc != SR_OK)
		return rc;
	ob[OB_RDP] = (obr & sr_flash_bit(f, "OBR", "RDPRT")) ? RDP_ON : RDP_OFF;
	ob[OB_USER] = (uint8_t)(obr >> lowbit(sr_flash_bit(f, "OBR", "WDG_SW")));
	ob[OB_DATA0] = (uint8_t)(obr >> lowbit(sr_flash_bit(f, "OBR", "DATA0")));
	ob[OB_DATA1] = (uint8_t)(obr >> lowbit(sr_flash_bit(f, "OBR", "DATA1")));
	for (int i = 0; i < 4; i++)
		ob[OB_WRP0 + i] = (uint8_t)(wrpr >> (8 * i));
	return SR_OK;
}

/* FLASH_CR with OPTWRE kept: writing it as 0 would end the write access (PM0075 3.5). */
static int opt_cr(struct sr_flash *f, uint32_t bits)
{
	return sr_flash_f1_cr(f, 1, bits | sr_flash_bit(f, "CR", "OPTWRE"));
}

/* KEY1, KEY2 into FLASH_OPTKEYR with the FPEC unlocked; OPTWRE must then read 1
 * (PM0075 2.5, 3.3). */
static int opt_unlock(struct sr_flash *f)
{
	uint32_t cr, ka = sr_flash_reg(f, "OPTKEYR", 1);
	int rc = sr_flash_write(f, ka, f->dev->defs.optkeys[0]);
	if (rc == SR_OK)
		rc = sr_flash_write(f, ka, f->dev->defs.optkeys[1]);
	if (rc == SR_OK)
		rc = sr_flash_read(f, sr_flash_reg(f, "CR", 1), &cr);
	if (rc == SR_OK && !(cr & sr_flash_bit(f, "CR", "OPTWRE"))) {
		sr_msgs_add(&f->why, "the option bytes stayed write-protected after the FLASH_OPTKEYR "
				     "keys (FLASH_CR = 0x%08X, OPTWRE clear)",
			    cr);
		rc = SR_E_FLASH_LOCKED;
	}
	return rc;
}

/* Option byte erase, PM0075 2.5.2: OPTER, then STRT; BSY, then EOP. */
static int ob_erase(struct sr_flash *f)
{
	uint32_t opter = sr_flash_bit(f, "CR", "OPTER");
	int rc = opt_cr(f, opter);
	if (rc == SR_OK)
		rc = opt_cr(f, opter | sr_flash_bit(f, "CR", "STRT"));
	if (rc == SR_OK)
		rc = sr_flash_check(f, 1, "SR", "erasing the option bytes", f->dev->defs.ob_base);
	int rc2 = opt_cr(f, 0);
	return rc != SR_OK ? rc : rc2;
}

/*
 * Option byte programming, PM0075 2.5.1: OPTPG set, a half-word write of the byte; the
 * FPEC stores its complement in the upper byte itself. A byte not erased is skipped with
 * WRPRTERR. Turning read protection off this way mass-erases the main flash first
 * (PM0075 2.4.1), which keeps BSY set for the mass erase time.
 */
static int ob_program(struct sr_flash *f, const uint8_t ob[OB_N])
{
	static const char *const names[OB_N] = {"RDP",  "USER", "Data0", "Data1",
						"WRP0", "WRP1", "WRP2", "WRP3"};
	int rc = opt_cr(f, sr_flash_bit(f, "CR", "OPTPG"));
	for (int i = 0; rc == SR_OK && i < OB_N; i++) {
		uint32_t addr = f->dev->defs.ob_base + 2 * (uint32_t)i;
		uint8_t hw[2] = {ob[i], 0};
		char what[48];
		rc = sr_flash_f1_write16(f, addr, hw, sizeof(hw));
		snprintf(what, sizeof(what), "programming option byte %s = 0x%02X", names[i],
			 ob[i]);
		if (rc == SR_OK)
			rc = sr_flash_check(f, 1, "SR", what, addr);
	}
	int rc2 = opt_cr(f, 0);
	return rc != SR_OK ? rc : rc2;
}

/* The option bytes are erased but not all written again: what that means at the next
 * reset, and what to do before it. */
static void explain_half_written(struct sr_flash *f)
{
	sr_msgs_add(&f->why, "the option bytes were erased but not all written again; they take "
			     "effect at the next reset, and an erased RDP byte means read "
			     "protection (removing it erases the flash): write the option bytes "
			     "again before the chip is reset or powered off");
}

/* Unlock, erase, program, lock; then reset so that the loader reads them (PM0075 2.5). */
int sr_flash_f1_ob_write(struct sr_flash *f, const struct sr_ob_values *want)
{
	uint8_t ob[OB_N];
	bool erased = false;
	int rc = new_bytes(f, want, ob);
	if (rc == SR_OK)
		rc = f->ops->unlock(f, 1);
	if (rc == SR_OK)
		rc = f->ops->prepare(f, 1); /* leftovers can be cleared now it is unlocked */
	if (rc == SR_OK)
		rc = opt_unlock(f);
	if (rc == SR_OK)
		rc = ob_erase(f);
	erased = rc == SR_OK;
	if (rc == SR_OK)
		rc = ob_program(f, ob);
	if (rc != SR_OK && erased)
		explain_half_written(f);
	/* LOCK alone: OPTWRE and OPTPG/OPTER cleared with it (PM0075 3.5). */
	int rc2 = sr_flash_f1_cr(f, 1, sr_flash_bit(f, "CR", "LOCK"));
	if (rc == SR_OK)
		rc = rc2;
	if (rc != SR_OK)
		return rc;
	sr_info("option bytes written (RDP 0x%02X, USER 0x%02X, Data 0x%02X 0x%02X, WRP "
		"0x%02X%02X%02X%02X); resetting the chip so that they load",
		ob[OB_RDP], ob[OB_USER], ob[OB_DATA0], ob[OB_DATA1], ob[OB_WRP0 + 3],
		ob[OB_WRP0 + 2], ob[OB_WRP0 + 1], ob[OB_WRP0]);
	rc = sr_cm_reset_halt(f->tg);
	if (rc != SR_OK)
		sr_msgs_add(&f->why, "the option bytes are written, but the reset that loads them "
				     "failed (%s): they take effect at the next reset",
			    sr_strerror(rc));
	return rc;
}
