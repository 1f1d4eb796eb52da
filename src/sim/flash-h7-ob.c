/*
 * STM32H74x/H75x flash, second part (RM0433 Rev 8 sections 4.4, 4.5, 4.7, 4.9):
 * option bytes (FLASH_OPTKEYR, OPTCR, OPTSR_CUR/PRG, OPTCCR, PRAR/SCAR/WPSN per bank,
 * BOOT), the protections they set up (WRP, PCROP, secure-only areas, RDP levels and
 * the level 1 -> 0 regression), the CRC unit, the ECC state of flash words, and the
 * state file.
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/flash-h7.h"
#include "sim/state.h"

/* Shared register offsets, RM0433 4.9.38 register map (per-bank ones marked). */
enum {
	R_ACR = 0x00,
	R_OPTKEYR = 0x08,
	R_OPTCR = 0x18,
	R_OPTSR_CUR = 0x1C,
	R_OPTSR_PRG = 0x20,
	R_OPTCCR = 0x24,
	R_PRAR_CUR = 0x28,
	R_PRAR_PRG = 0x2C,
	R_SCAR_CUR = 0x30,
	R_SCAR_PRG = 0x34,
	R_WPSN_CUR = 0x38,
	R_WPSN_PRG = 0x3C,
	R_BOOT_CUR = 0x40,
	R_BOOT_PRG = 0x44,
	R_CRCDATA = 0x5C
};

#define AREA_BITS 0x8FFF0FFFu /* PRAR/SCAR: start 11:0, end 27:16, DMEP/DMES 31 */

/* Option-byte change: "no specification, real delay seems to be around 300ms"
 * (Chromium EC flash-stm32h7.c, FLASH-TIMING.md section 4; a measurement). */
#define OPTION_NS 300000000ull

/* A PCROP or secure area: 256-byte units from the bank start, inclusive; none when
 * start > end (RM0433 4.5.4, 4.5.5). */
static bool in_area(const struct sr_sim_board *b, int bank, uint32_t reg, uint32_t addr)
{
	uint32_t start = reg & 0xFFF, end = (reg >> 16) & 0xFFF;
	uint32_t off = addr - b->chip->bank_base[bank];
	return start <= end && off / 256 >= start && off / 256 <= end;
}

bool h7_in_pcrop(const struct sr_sim_board *b, int bank, uint32_t addr)
{
	return in_area(b, bank, h7_of(b)->cur.prar[bank], addr);
}

/* Secure-only areas exist only with SECURITY = 1 (RM0433 4.5.5). */
bool h7_in_secure(const struct sr_sim_board *b, int bank, uint32_t addr)
{
	const struct h7 *f = h7_of(b);
	return (f->cur.optsr & OPTSR_SECURITY) && in_area(b, bank, f->cur.scar[bank], addr);
}

/* WRPSn bit 0 write-protects sector n (RM0433 4.5.2, 4.9.15). */
bool h7_sector_wrp(const struct sr_sim_board *b, int bank, unsigned sect)
{
	return !((h7_of(b)->cur.wpsn[bank] >> sect) & 1);
}

/* Any write protection, PCROP or secure-only area in [START, START + LEN). */
bool h7_range_protected(const struct sr_sim_board *b, int bank, uint32_t start, uint32_t len)
{
	uint32_t ssz = b->chip->sect_size[0], base = b->chip->bank_base[bank];
	for (uint32_t s = (start - base) / ssz; s <= (start + len - 1 - base) / ssz; s++)
		if (h7_sector_wrp(b, bank, s))
			return true;
	for (uint32_t a = start & ~255u; a < start + len; a += 256)
		if (h7_in_pcrop(b, bank, a) || h7_in_secure(b, bank, a))
			return true;
	return false;
}

/* ECC state of flash words ([flash] ecc in the state file). */
const struct h7_ecc *h7_ecc_find(const struct sr_sim_board *b, uint32_t word)
{
	const struct h7 *f = h7_of(b);
	for (int i = 0; i < f->n_ecc; i++)
		if (f->ecc[i].addr == word)
			return &f->ecc[i];
	return NULL;
}

void h7_ecc_mark(struct sr_sim_board *b, uint32_t word, bool dbl)
{
	struct h7 *f = h7_of(b);
	struct h7_ecc *e = (struct h7_ecc *)h7_ecc_find(b, word);
	if (!e && f->n_ecc == H7_MAX_ECC) {
		sr_warn("sim: more than %d flash words with ECC errors; 0x%08X not kept",
		        H7_MAX_ECC, word);
		return;
	}
	if (!e)
		e = &f->ecc[f->n_ecc++];
	e->addr = word;
	e->dbl = dbl || e->dbl;
}

void h7_ecc_clear(struct sr_sim_board *b, uint32_t start, uint32_t len)
{
	struct h7 *f = h7_of(b);
	for (int i = 0; i < f->n_ecc;)
		if (f->ecc[i].addr >= start && f->ecc[i].addr - start < len)
			f->ecc[i] = f->ecc[--f->n_ecc];
		else
			i++;
}

/* RDP level 1 -> 0: the user flash is erased, except PCROP areas with DMEP = 0 and
 * secure-only areas with DMES = 0 (RM0433 4.5.3-4.5.5). */
static void regression_erase(struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *c = b->chip;
	const struct h7 *f = h7_of(b);
	for (int k = 0; k < c->n_banks; k++) {
		bool keep_p = !(f->cur.prar[k] >> 31), keep_s = !(f->cur.scar[k] >> 31);
		for (uint32_t a = c->bank_base[k]; a - c->bank_base[k] < c->bank_size[k];
		     a += 256) {
			if ((keep_p && h7_in_pcrop(b, k, a)) || (keep_s && h7_in_secure(b, k, a)))
				continue;
			memset(b->flash + (a - c->flash_base), 0xFF, 256);
			h7_ecc_clear(b, a, 256);
		}
	}
}

/* May the option bytes change from CUR to PRG? (RM0433 4.4.3: OPTCHANGEERR) */
static bool change_allowed(const struct sr_sim_board *b)
{
	const struct h7 *f = h7_of(b);
	if (h7_rdp_level(b) == 2) {
		sr_info("sim: option-byte change refused: RDP level 2 (RM0433 4.5.3)");
		return false;
	}
	if ((f->cur.optsr & OPTSR_SECURITY) && !(f->prg.optsr & OPTSR_SECURITY)) {
		sr_info(
		    "sim: option-byte change refused: SECURITY cannot be cleared (RM0433 4.5.5)");
		return false;
	}
	return true;
}

/* Does the change from CUR to PRG take RDP from level 1 to level 0? (RM0433 4.5.3) */
static bool regression(const struct sr_sim_board *b)
{
	return h7_rdp_level(b) == 1 && ((h7_of(b)->prg.optsr & OPTSR_RDP) >> 8) == 0xAA;
}

/* The end of an option-byte change: the new values are in force at once. */
static void ob_complete(struct sr_sim_board *b)
{
	struct h7 *f = h7_of(b);
	f->opt_end = 0;
	if (!change_allowed(b)) {
		f->opt_err = true;
		return;
	}
	if (regression(b))
		regression_erase(b);
	f->cur = f->prg;
	if (h7_rdp_level(b) == 2)
		b->swd_dead = true; /* level 2: debug disabled for good, RM0433 4.5.3 */
}

void h7_ob_sync(struct sr_sim_board *b, uint64_t now)
{
	if (h7_of(b)->opt_end && now >= h7_of(b)->opt_end)
		ob_complete(b);
}

/*
 * A change cut short by a reset or a power loss. Sourced: OPTSTART makes the flash
 * program the *_PRG values into the non-volatile option bytes and then load them
 * into the *_CUR registers, which are loaded from the option bytes again at every
 * power-on and reset (RM0433 4.4.2, 4.4.3, 4.9.8); OPTCHANGEERR reports only the
 * refusals the change itself finds (RDP level 2, SECURITY cleared: 4.5.3, 4.5.5),
 * and FLASH_OPTSR_CUR has no flag for a failed load (4.9.8). RM0433 does not say
 * what an interrupted change leaves in the option bytes. Assumed, as on the
 * F2/F4/F7 (flash-f2-ob.c; ST's answer to STM32CubeF7 issue 96 calls an F7 left at
 * RDP level 1 by resets during OPTSTRT "a normal behavior"): the option
 * words were erased and not yet programmed, so every stored bit reads 1 at the next
 * load: RDP 0xFF (level 1), SECURITY 1, SWAP_BANK_OPT 1, IWDG1 in software mode,
 * PCROP and secure-only areas of one 256-byte unit at the top of each bank
 * (start = end = 0xFFF) with DMEP/DMES 1, no write protection, BOOT_ADD0/1 0xFFFF.
 * A 1 -> 0 regression cut short has erased the flash first, as ob_complete() does
 * before it changes RDP (also assumed). OPTCHANGEERR stays clear: the change never
 * ended, and a reset clears the flag.
 */
static void change_interrupted(struct sr_sim_board *b)
{
	struct h7 *f = h7_of(b);
	if (regression(b))
		regression_erase(b);
	f->cur.optsr = ~(OPTSR_BUSY | OPTSR_CHANGEERR);
	for (int k = 0; k < 2; k++) {
		f->cur.prar[k] = AREA_BITS;
		f->cur.scar[k] = AREA_BITS;
		f->cur.wpsn[k] = 0xFF;
	}
	f->cur.boot = 0xFFFFFFFFu;
	f->opt_end = 0;
}

/* Fault injection ([faults] power_loss_during_ob, STATE.md): the supply fails as the
 * change starts programming, after the banks' queued operations. One shot; a change
 * the flash refuses programs nothing and leaves the fault armed. */
static bool inject_power_loss(struct sr_sim_board *b, uint64_t start)
{
	if (!b->power_loss_during_ob || !change_allowed(b))
		return false;
	sr_sim_stall_until(b, start);
	for (int k = 0; k < b->chip->n_banks; k++)
		h7_bank_sync(b, k, start);
	sr_info("sim: injected power loss during option-byte programming");
	change_interrupted(b);
	b->power_loss_during_ob = false;
	sr_sim_board_set_power(b, 0);
	return true;
}

/* OPTSTART: after the banks' queued operations, for OPTION_NS; an RDP regression
 * adds the mass erase of both banks (they erase in parallel). */
static void start_option(struct sr_sim_board *b)
{
	struct h7 *f = h7_of(b);
	uint64_t t = sr_sim_time(b), d = OPTION_NS;
	for (int k = 0; k < b->chip->n_banks; k++) {
		h7_bank_sync(b, k, t);
		if (f->bank[k].nq && f->bank[k].q[f->bank[k].nq - 1].end > t)
			t = f->bank[k].q[f->bank[k].nq - 1].end;
	}
	if (inject_power_loss(b, t))
		return;
	if (regression(b))
		d += h7_bank_erase_ns((f->bank[0].cr & CR_PSIZE) >> 4);
	f->opt_end = t + d;
}

/* MER: mass erase of both banks; FLASH_CR1 and FLASH_CR2 must be unlocked (the
 * sequence of RM0433 4.3.10, as STM32CubeH7's FLASH_MassErase performs it). Each
 * bank is erased as by BER, refused with WRPERR if it has protected sectors. */
static void mass_erase(struct sr_sim_board *b)
{
	struct h7 *f = h7_of(b);
	for (int k = 0; k < b->chip->n_banks; k++)
		if (f->bank[k].cr & CR_LOCK) {
			sr_debug("sim: OPTCR.MER with FLASH_CR%d locked: ignored", k + 1);
			return;
		}
	for (int k = 0; k < b->chip->n_banks; k++) {
		uint32_t cr = f->bank[k].cr;
		f->bank[k].cr = (cr & ~CR_SER) | CR_BER;
		h7_bank_erase_start(b, k);
		f->bank[k].cr = cr;
	}
}

/* FLASH_OPTCR (RM0433 4.9.7): OPTLOCK set by software only; OPTSTART and the
 * interrupt enable need it clear; SWAP_BANK is loaded from SWAP_BANK_OPT at reset. */
static void write_optcr(struct sr_sim_board *b, uint32_t val)
{
	struct h7 *f = h7_of(b);
	if (val & OPTCR_MER)
		mass_erase(b);
	if (f->optlock)
		return;
	f->optcr = (f->optcr & ~OPTCR_ERRIE) | (val & OPTCR_ERRIE);
	if (val & OPTCR_OPTLOCK)
		f->optlock = true;
	else if ((val & OPTCR_OPTSTART) && !f->opt_end)
		start_option(b);
}

/* FLASH_OPTKEYR: OPTKEY1 then OPTKEY2 clears OPTLOCK; a wrong sequence locks
 * FLASH_OPTCR until reset with a bus error (RM0433 4.5.1, 4.9.3). */
static int write_optkeyr(struct sr_sim_board *b, uint32_t val)
{
	struct h7 *f = h7_of(b);
	const uint32_t *keys = b->chip->optkeys;
	if (f->optkey == H7_KEY_DEAD || !f->optlock || val != keys[f->optkey == H7_KEY1 ? 0 : 1]) {
		f->optkey = H7_KEY_DEAD;
		f->optlock = true;
		return SR_SIM_BUS_ERR;
	}
	if (f->optkey == H7_KEY1) {
		f->optkey = H7_KEY2;
	} else {
		f->optkey = H7_KEY1;
		f->optlock = false;
	}
	return SR_SIM_BUS_OK;
}

/* The *_PRG registers take new values while OPTLOCK is clear and no change runs. */
static void write_prg(struct sr_sim_board *b, uint32_t *reg, uint32_t bits, uint32_t val)
{
	struct h7 *f = h7_of(b);
	if (f->optlock || f->opt_end)
		return;
	*reg = (*reg & ~bits) | (val & bits);
}

int h7_ob_reg_write(struct sr_sim_board *b, int bank, uint32_t off, uint32_t val)
{
	struct h7 *f = h7_of(b);
	switch (off) {
	case R_ACR:
		f->acr = val & 0x3F; /* LATENCY, WRHIGHFREQ, RM0433 4.9.1 */
		break;
	case R_OPTKEYR:
		return write_optkeyr(b, val);
	case R_OPTCR:
		write_optcr(b, val);
		break;
	case R_OPTSR_PRG:
		write_prg(b, &f->prg.optsr, OPTSR_PRG_BITS, val);
		break;
	case R_OPTCCR:
		if (val & OPTSR_CHANGEERR)
			f->opt_err = false; /* CLR_OPTCHANGEERR, RM0433 4.9.10 */
		break;
	case R_PRAR_PRG:
		write_prg(b, &f->prg.prar[bank], AREA_BITS, val);
		break;
	case R_SCAR_PRG:
		write_prg(b, &f->prg.scar[bank], AREA_BITS, val);
		break;
	case R_WPSN_PRG:
		write_prg(b, &f->prg.wpsn[bank], 0xFF, val);
		break;
	case R_BOOT_PRG:
		write_prg(b, &f->prg.boot, 0xFFFFFFFFu, val);
		break;
	default:
		break; /* the *_CUR registers, CRCDATAR and reserved offsets are read-only */
	}
	return SR_SIM_BUS_OK;
}

int h7_ob_reg_read(struct sr_sim_board *b, int bank, uint32_t off, uint32_t *val)
{
	const struct h7 *f = h7_of(b);
	switch (off) {
	case R_ACR:
		*val = f->acr;
		break;
	case R_OPTCR:
		*val =
		    f->optcr | (f->optlock ? OPTCR_OPTLOCK : 0) | (f->opt_end ? OPTCR_OPTSTART : 0);
		break;
	case R_OPTSR_CUR:
		*val = f->cur.optsr | (f->opt_end ? OPTSR_BUSY : 0) |
		       (f->opt_err ? OPTSR_CHANGEERR : 0);
		break;
	case R_OPTSR_PRG:
		*val = f->prg.optsr;
		break;
	case R_PRAR_CUR:
		*val = f->cur.prar[bank];
		break;
	case R_PRAR_PRG:
		*val = f->prg.prar[bank];
		break;
	case R_SCAR_CUR:
		*val = f->cur.scar[bank];
		break;
	case R_SCAR_PRG:
		*val = f->prg.scar[bank];
		break;
	case R_WPSN_CUR:
		*val = f->cur.wpsn[bank];
		break;
	case R_WPSN_PRG:
		*val = f->prg.wpsn[bank];
		break;
	case R_BOOT_CUR:
		*val = f->cur.boot;
		break;
	case R_BOOT_PRG:
		*val = f->prg.boot;
		break;
	case R_CRCDATA:
		*val = f->crcdata;
		break;
	default:
		*val = 0;
		break; /* OPTKEYR and OPTCCR are write-only */
	}
	return SR_SIM_BUS_OK;
}

/* After reset: option bytes in force reloaded, PRG copies of them, OPTCR locked with
 * SWAP_BANK from SWAP_BANK_OPT, ACR 0x37 (RM0433 4.9.1, 4.9.7). */
void h7_ob_reset(struct sr_sim_board *b)
{
	struct h7 *f = h7_of(b);
	if (f->opt_end) {
		sr_warn("sim: reset during an option-byte change: option bytes left erased");
		change_interrupted(b);
	}
	f->opt_err = false;
	f->acr = 0x37;
	f->optlock = true;
	f->optkey = H7_KEY1;
	f->optcr = f->cur.optsr & OPTSR_SWAP_OPT ? OPTCR_SWAP : 0;
	f->prg = f->cur;
	f->crcdata = 0;
}

/* Factory option bytes: optbytes/stm32h7.ini defaults (OPTSR as shipped, PRAR/SCAR
 * start > end, WPSN all ones, BOOT 0x1FF00800); status bits cleared. */
void h7_ob_factory(struct sr_sim_board *b)
{
	static const struct {
		const char *name;
		size_t off;
	} regs[] = {
	    {"FLASH_OPTSR_CUR", offsetof(struct h7_ob, optsr)},
	    {"FLASH_PRAR_CUR1", offsetof(struct h7_ob, prar[0])},
	    {"FLASH_PRAR_CUR2", offsetof(struct h7_ob, prar[1])},
	    {"FLASH_SCAR_CUR1", offsetof(struct h7_ob, scar[0])},
	    {"FLASH_SCAR_CUR2", offsetof(struct h7_ob, scar[1])},
	    {"FLASH_WPSN_CUR1R", offsetof(struct h7_ob, wpsn[0])},
	    {"FLASH_WPSN_CUR2R", offsetof(struct h7_ob, wpsn[1])},
	    {"FLASH_BOOT_CURR", offsetof(struct h7_ob, boot)},
	};
	struct h7 *f = h7_of(b);
	const struct sr_sim_chipdef *c = b->chip;
	for (size_t i = 0; i < SR_ARRAY_SIZE(regs); i++)
		for (int j = 0; j < c->n_obreg; j++)
			if (strcmp(c->obreg[j].name, regs[i].name) == 0)
				*(uint32_t *)((char *)&f->cur + regs[i].off) = c->obreg[j].def;
	f->cur.optsr &= ~(OPTSR_BUSY | OPTSR_CHANGEERR);
}
