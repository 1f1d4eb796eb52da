/*
 * The flash controller of the STM32L4 generation (STM32L47x, STM32G4): pages in
 * one or two banks, double-word programming, fast row programming, erase, the
 * protections (RDP, WRP, PCROP) and the registers; the option bytes themselves
 * (word + complement in the option pages, loaded into FLASH_OPTR, FLASH_PCROPxSR/ER,
 * FLASH_WRPxyR, FLASH_SECxR at power-on and OBL_LAUNCH) are in flash-l4-ob.c.
 *
 * Sources: RM0440 Rev 8 section 3 (STM32G47x, read for this file; sections 4
 * and 5 describe the same controller for the other G4 categories) and RM0351
 * Rev 9 section 3 (STM32L47x: same registers and sequences; its section numbers
 * are given from its contents, as in families/stm32l4.ini). Geometry, WRP/PCROP
 * fields and factory values come from families/ and optbytes/ through chipdef.
 * Timing: shared/reference/FLASH-TIMING.md sections 3 and 6.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/flash-l4.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

struct l4 *l4_of(const struct sr_sim_board *b)
{
	return b->flash_priv;
}

static uint32_t field(uint32_t v, unsigned lo, unsigned hi)
{
	uint32_t w = hi - lo + 1;
	return (v >> lo) & (w >= 32 ? 0xFFFFFFFFu : (1u << w) - 1);
}

const struct sr_sim_layout *l4_layout(const struct sr_sim_board *b)
{
	return sr_sim_chipdef_layout(b->chip, l4_of(b)->loaded);
}

static int rdp_level_of(uint32_t optr)
{
	uint32_t rdp = optr & OPTR_RDP;
	return rdp == 0xAA ? 0 : rdp == 0xCC ? 2 : 1; /* RM0440 3.5.1 table 12 */
}

int l4_rdp_level(const struct sr_sim_board *b)
{
	return rdp_level_of(l4_of(b)->loaded[l4_of(b)->i_optr]);
}

static bool l4_iwdg_hw(const struct sr_sim_board *b)
{
	return !(l4_of(b)->loaded[l4_of(b)->i_optr] &
	         OPTR_IWDG_SW); /* 0: hardware watchdog, 3.7.8 */
}

/* WWDG_SW 0: the window watchdog is on from reset (RM0351 3.7.8, RM0440 3.7.8). */
static bool l4_wwdg_hw(const struct sr_sim_board *b)
{
	uint32_t m = sr_sim_chipdef_field(b->chip, "WWDG_SW", NULL);
	return m && !(l4_of(b)->loaded[l4_of(b)->i_optr] & m);
}

/* Level 1 with a debugger connected since power-on: main flash is inaccessible, a read
 * is a bus error and program/erase is WRPERR (RM0440 3.5.1, 3.7.5). */
static bool rdp_blocks(const struct sr_sim_board *b)
{
	return l4_rdp_level(b) != 0 && b->dbg_intrusion;
}

/* Bank (1, 2) of main-flash address ADDR under layout L, 0 outside main flash. */
static int bank_of(const struct sr_sim_layout *l, uint32_t addr)
{
	for (int i = 0; i < l->banks; i++)
		if (addr >= l->bank_base[i] && addr - l->bank_base[i] < l->bank_size[i])
			return i + 1;
	return 0;
}

/* The range [*LO, *HI) of area A under the option registers REGS, false when off.
 * WRP counts pages, PCROP read words (64 bits with 2 KB pages, 128 bits in the 4 KB-page
 * single-bank mode) from its bank's base; with one bank every area counts from the
 * flash base (RM0440 3.5.2, 3.5.3). */
bool l4_area_range(const struct sr_sim_board *b, const struct sr_sim_obarea *a,
                   const uint32_t *regs, uint32_t *lo, uint32_t *hi)
{
	const struct sr_sim_layout *l = sr_sim_chipdef_layout(b->chip, regs);
	uint32_t s = field(regs[a->start_reg], a->start_lo, a->start_hi);
	uint32_t e = field(regs[a->end_reg], a->end_lo, a->end_hi);
	if (s > e) /* STRT > END: no area, RM0440 table 14, table 15 */
		return false;
	uint32_t unit = a->pcrop ? (l->page_size >= 4096 ? 16 : 8) : l->page_size;
	uint32_t base = l->bank_base[a->bank <= l->banks ? a->bank - 1 : 0];
	*lo = base + s * unit;
	*hi = base + (e + 1) * unit;
	return true;
}

/* Does [ADDR, ADDR+LEN) touch a WRP or PCROP area (PCROP only when PCROP_ONLY)? */
bool l4_protected(const struct sr_sim_board *b, uint32_t addr, uint32_t len, bool pcrop_only)
{
	const struct sr_sim_chipdef *c = b->chip;
	for (int i = 0; i < c->n_area; i++) {
		uint32_t lo, hi;
		if ((c->area[i].pcrop || !pcrop_only) &&
		    l4_area_range(b, &c->area[i], l4_of(b)->loaded, &lo, &hi) && addr < hi &&
		    lo < addr + len)
			return true;
	}
	return false;
}

void l4_raise(struct l4 *f, uint32_t bits)
{
	f->sr |= bits;
	if (f->cr & CR_ERRIE)
		f->sr |= SR_OPERR; /* OPERR only with ERRIE, RM0440 3.7.5 */
	f->half = false;
}

static uint8_t *mem_of(struct sr_sim_board *b, uint32_t addr)
{
	const struct sr_sim_chipdef *c = b->chip;
	if (addr >= c->otp_base && addr - c->otp_base < c->otp_size)
		return b->otp + (addr - c->otp_base);
	return b->flash + (addr - c->flash_base);
}

static bool dw_erased(struct sr_sim_board *b, uint32_t addr)
{
	const uint8_t *p = mem_of(b, addr);
	for (int i = 0; i < 8; i++)
		if (p[i] != 0xFF)
			return false;
	return true;
}

static void put_dw(struct sr_sim_board *b, uint32_t addr, uint32_t lo, uint32_t hi)
{
	uint8_t *p = mem_of(b, addr);
	for (int i = 0; i < 4; i++) {
		p[i] &= (uint8_t)(lo >> (8 * i));
		p[4 + i] &= (uint8_t)(hi >> (8 * i));
	}
}

/* The bank an operation occupies: 1 or 2, or 0 for the whole flash. */
static int op_bank(const struct sr_sim_board *b)
{
	const struct l4_op *op = &l4_of(b)->op;
	const struct sr_sim_layout *l = l4_layout(b);
	if (l->banks < 2 || op->kind == OP_OPTION)
		return 0;
	if (op->kind == OP_MASS)
		return op->arg == 3 ? 0 : (int)op->arg;
	int bank = bank_of(l, op->addr);
	return bank ? bank : 1; /* OTP is in bank 1, RM0440 3.3.1 */
}

void l4_erase_range(struct sr_sim_board *b, uint32_t addr, uint32_t len)
{
	memset(b->flash + (addr - b->chip->flash_base), 0xFF, len);
}

static void complete_op(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	const struct sr_sim_layout *l = l4_layout(b);
	switch (f->op.kind) {
	case OP_PROGRAM:
		put_dw(b, f->op.addr, f->op.lo, f->op.hi);
		break;
	case OP_FAST:
		if (f->fast_n < ROW_BYTES / 8) {
			/* the next double word came too late (MISSERR, RM0440 3.7.5) */
			f->op.kind = OP_NONE;
			l4_raise(f, SR_MISERR | SR_FASTERR);
			return;
		}
		break;
	case OP_PAGE:
		l4_erase_range(b, f->op.addr, f->op.arg);
		break;
	case OP_MASS:
		for (int i = 0; i < l->banks; i++)
			if (l->banks == 1 || (f->op.arg >> i) & 1)
				l4_erase_range(b, l->bank_base[i], l->bank_size[i]);
		f->mass_erased |= l->banks == 1 ? 3 : f->op.arg;
		break;
	case OP_OPTION:
		l4_ob_complete(b);
		break;
	case OP_NONE:
		return;
	}
	f->op.kind = OP_NONE;
	f->cr &= ~(CR_STRT | CR_OPTSTRT); /* cleared when BSY clears, RM0440 3.7.6 */
	if (f->cr & CR_EOPIE)
		f->sr |= SR_EOP; /* EOP only with EOPIE, RM0440 3.7.5 */
}

static void l4_sync(struct sr_sim_board *b, uint64_t now)
{
	struct l4 *f = l4_of(b);
	if (f->op.kind != OP_NONE && now >= f->op.end)
		complete_op(b);
}

static uint64_t l4_busy_until(const struct sr_sim_board *b)
{
	return l4_of(b)->op.kind == OP_NONE ? UINT64_MAX : l4_of(b)->op.end;
}

/* An access that must wait for the operation stalls the AHB until BSY clears
 * (RM0440 3.3.5); BANK 0 waits for any operation, 1 or 2 only for one on that bank
 * (read-while-write, RM0440 3.3.8). */
void l4_wait_bank(struct sr_sim_board *b, int bank)
{
	struct l4 *f = l4_of(b);
	l4_sync(b, sr_sim_time(b));
	if (f->op.kind == OP_NONE)
		return;
	int ob = op_bank(b);
	if (bank && ob && bank != ob)
		return;
	sr_sim_stall_until(b, f->op.end);
	l4_sync(b, f->op.end);
}

void l4_start_op(struct sr_sim_board *b, enum op_kind kind, uint64_t duration)
{
	struct l4 *f = l4_of(b);
	f->op.kind = kind;
	f->op.end = sr_sim_time(b) + duration;
}

/* ---- erase (RM0440 3.3.6) ---- */

static void start_page_erase(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	const struct sr_sim_layout *l = l4_layout(b);
	/* BKER selects the bank in dual-bank mode only, RM0440 3.3.6 step 3 */
	int bank = l->banks == 2 && (f->cr & CR_BKER) ? 2 : 1;
	uint32_t page = (f->cr & f->pnb_mask) >> 3;
	if (!l->page_size || page >= l->bank_size[bank - 1] / l->page_size) {
		sr_warn("sim: page erase of page %u of bank %d, which the part does not have", page,
		        bank);
		l4_raise(f, SR_PGSERR); /* not documented: modelled as a sequence error */
		return;
	}
	uint32_t addr = l->bank_base[bank - 1] + page * l->page_size;
	if (l4_protected(b, addr, l->page_size, false)) {
		l4_raise(f, SR_WRPERR); /* WRP or PCROP page: aborted, RM0440 3.3.6 */
		return;
	}
	f->mass_erased &= ~(1u << (bank - 1));
	f->op.addr = addr;
	f->op.arg = l->page_size;
	l4_start_op(b, OP_PAGE, T_PAGE_NS);
}

/* Does bank BANK (1, 2; 0 = all) hold a WRP or PCROP area? */
static bool bank_protected(struct sr_sim_board *b, int bank)
{
	const struct sr_sim_layout *l = l4_layout(b);
	for (int i = 0; i < l->banks; i++)
		if ((!bank || bank == i + 1) &&
		    l4_protected(b, l->bank_base[i], l->bank_size[i], false))
			return true;
	return false;
}

static void start_mass_erase(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	const struct sr_sim_layout *l = l4_layout(b);
	uint32_t banks = (f->cr & CR_MER1 ? 1u : 0) | (f->cr & CR_MER2 ? 2u : 0);
	if (l->banks == 1 && f->dual && banks != 3) {
		l4_raise(f, SR_PGSERR); /* DBANK = 0: no bank erase, RM0440 3.3.6, 3.7.5 */
		return;
	}
	if (l->banks == 1
	        ? bank_protected(b, 0)
	        : ((banks & 1) && bank_protected(b, 1)) || ((banks & 2) && bank_protected(b, 2))) {
		l4_raise(f, SR_WRPERR); /* aborted for both banks, RM0440 3.3.6 */
		return;
	}
	f->op.arg = l->banks == 1 ? 3 : banks;
	f->op.addr = l->bank_base[0];
	l4_start_op(b, OP_MASS, T_MASS_NS);
}

/* STRT (RM0440 3.3.6, PGSERR conditions in 3.3.7 "Programming errors"). */
static void start_erase(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	bool per = f->cr & CR_PER, mer = f->cr & (CR_MER1 | CR_MER2);
	if ((f->sr & SR_PROG_ERRS) || (f->cr & (CR_PG | CR_FSTPG)) || (per && mer)) {
		l4_raise(f, SR_PGSERR);
		return;
	}
	if (!per && !mer) {
		/* "unpredictable behavior ... without generating any error flag", RM0440 3.7.6 */
		sr_warn("sim: FLASH_CR STRT with neither PER nor MER1/MER2: ignored");
		return;
	}
	if (rdp_blocks(b)) {
		l4_raise(f, SR_WRPERR); /* RDP level 1 with the debugger, RM0440 3.7.5 */
		return;
	}
	if (per)
		start_page_erase(b);
	else
		start_mass_erase(b);
}

/* ---- programming (RM0440 3.3.7) ---- */

static bool in_otp(const struct sr_sim_board *b, uint32_t addr)
{
	return addr >= b->chip->otp_base && addr - b->chip->otp_base < b->chip->otp_size;
}

/* Errors of the double word at ADDR before its data is known: protection. */
static uint32_t dw_protection(struct sr_sim_board *b, uint32_t addr)
{
	if (in_otp(b, addr)) /* an OTP double word is written once, RM0440 3.3.1, 3.5.3 */
		return dw_erased(b, addr) ? 0 : SR_WRPERR;
	if (!bank_of(l4_layout(b), addr))
		return SR_WRPERR; /* "part of the flash memory that can never be written", 3.5.3 */
	if (rdp_blocks(b) || l4_protected(b, addr, 8, false))
		return SR_WRPERR;
	return 0;
}

/* A standard write: errors, or 0 when the word is taken (RM0440 3.3.7). */
static uint32_t std_word(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t val)
{
	struct l4 *f = l4_of(b);
	if (!(f->cr & CR_PG) || (f->cr & (CR_PER | CR_MER1 | CR_MER2)) || (f->sr & SR_PROG_ERRS))
		return SR_PGSERR;
	if (size != 4)
		return SR_SIZERR; /* byte or half-word write */
	if (!f->half) {
		if (addr & 7)
			return SR_PGAERR; /* first word not on a double word */
		uint32_t err = dw_protection(b, addr);
		if (err)
			return err;
		f->half = true;
		f->half_addr = addr;
		f->half_data = val;
		return 0;
	}
	if (addr != f->half_addr + 4)
		return SR_PGAERR; /* second word of another double word */
	f->half = false;
	if (!dw_erased(b, f->half_addr) && (f->half_data | val))
		return SR_PROGERR; /* not erased and not all zero, RM0440 3.7.5 */
	f->op.addr = f->half_addr;
	f->op.lo = f->half_data;
	f->op.hi = val;
	l4_start_op(b, OP_PROGRAM, T_PROG_NS);
	return 0;
}

/* Take a complete double word of a fast row at ADDR (RM0440 3.3.7 fast programming). */
static uint32_t fast_dw(struct sr_sim_board *b, uint32_t addr, uint32_t lo, uint32_t hi)
{
	struct l4 *f = l4_of(b);
	uint64_t now = sr_sim_time(b);
	if (f->op.kind == OP_FAST) {
		if ((addr & ~(ROW_BYTES - 1)) != f->fast_row || addr <= f->fast_last)
			return SR_PGAERR | SR_FASTERR; /* other row, or not after the previous */
		if (f->op.end + T_FAST_NS - f->fast_t0 > T_FAST_MAX_NS)
			return SR_FASTERR; /* FSTPG time-out, RM0440 3.3.7 */
	}
	uint32_t err = dw_protection(b, addr);
	if (err)
		return err | SR_FASTERR;
	if (f->op.kind != OP_FAST) {
		f->fast_row = addr & ~(ROW_BYTES - 1);
		f->fast_n = 0;
		f->fast_t0 = now;
		f->op.kind = OP_FAST;
		f->op.addr = addr;
		f->op.end = now;
	}
	put_dw(b, addr, lo, hi); /* the row is checked erased by the mass erase before it */
	f->fast_last = addr;
	f->fast_n++;
	f->op.end = (f->op.end > now ? f->op.end : now) + T_FAST_NS;
	return 0;
}

static uint32_t fast_word(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t val)
{
	struct l4 *f = l4_of(b);
	const struct sr_sim_layout *l = l4_layout(b);
	bool row = f->op.kind == OP_FAST;
	if ((f->cr & (CR_PER | CR_MER1 | CR_MER2)) || (!row && (f->sr & SR_PROG_ERRS)))
		return SR_PGSERR;
	if (size != 4)
		return SR_SIZERR | (row ? SR_FASTERR : 0);
	if (!bank_of(l, addr))
		return SR_PGSERR; /* only main memory (RM0440 3.3.7); no flag is named for it */
	if (!row && !f->half && !((f->mass_erased >> (bank_of(l, addr) - 1)) & 1))
		return SR_PGSERR; /* no mass erase of the bank before, RM0440 3.3.7 step 1 */
	if (!f->half) {
		if (addr & 7)
			return SR_PGAERR | (row ? SR_FASTERR : 0);
		f->half = true;
		f->half_addr = addr;
		f->half_data = val;
		return 0;
	}
	f->half = false;
	if (addr != f->half_addr + 4)
		return SR_PGAERR | (row ? SR_FASTERR : 0);
	return fast_dw(b, f->half_addr, f->half_data, val);
}

static int l4_mem_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
                        uint32_t val)
{
	struct l4 *f = l4_of(b);
	uint32_t err;
	l4_sync(b, sr_sim_time(b));
	if (f->cr & CR_FSTPG) {
		if (f->op.kind != OP_FAST)
			l4_wait_bank(b, 0);
		err = fast_word(b, addr, size, val);
	} else {
		l4_wait_bank(b, 0);
		err = std_word(b, addr, size, val);
	}
	if (err) {
		if (f->op.kind == OP_FAST)
			f->op.kind = OP_NONE; /* the row stops; what was taken is programmed */
		l4_raise(f, err);
	}
	(void)m;
	return SR_SIM_BUS_OK; /* a refused write completes on the bus */
}

/* ---- registers (RM0440 3.7) ---- */

static int write_keyr(struct sr_sim_board *b, unsigned size, uint32_t val)
{
	struct l4 *f = l4_of(b);
	const uint32_t *keys = b->chip->keys;
	/* RM0440 3.3.5: KEY1 then KEY2; "any wrong sequence locks up the FLASH_CR register
	 * until the next system reset ... a bus error is detected". Keys to an unlocked
	 * FLASH_CR are a wrong sequence too. */
	if (f->key == KEY_DEAD || !(f->cr & CR_LOCK) || size != 4 ||
	    val != keys[f->key == KEY_WAIT1 ? 0 : 1]) {
		if (f->key != KEY_DEAD)
			sr_debug("sim: wrong FLASH_KEYR sequence (0x%08X): locked until reset",
			         val);
		f->key = KEY_DEAD;
		f->cr |= CR_LOCK | CR_OPTLOCK;
		return SR_SIM_BUS_ERR;
	}
	f->key = f->key == KEY_WAIT1 ? KEY_WAIT2 : KEY_WAIT1;
	if (f->key == KEY_WAIT1)
		f->cr &= ~CR_LOCK;
	return SR_SIM_BUS_OK;
}

static int write_optkeyr(struct sr_sim_board *b, unsigned size, uint32_t val)
{
	struct l4 *f = l4_of(b);
	const uint32_t *keys = b->chip->optkeys;
	/* RM0440 3.7.6 OPTLOCK: LOCK must be clear first; after a wrong sequence OPTLOCK stays
	 * set until the next reset; a bus error as for FLASH_KEYR (RM0351 3.4.2). */
	if (f->optkey == KEY_DEAD || (f->cr & CR_LOCK) || !(f->cr & CR_OPTLOCK) || size != 4 ||
	    val != keys[f->optkey == KEY_WAIT1 ? 0 : 1]) {
		f->optkey = KEY_DEAD;
		return SR_SIM_BUS_ERR;
	}
	f->optkey = f->optkey == KEY_WAIT1 ? KEY_WAIT2 : KEY_WAIT1;
	if (f->optkey == KEY_WAIT1)
		f->cr &= ~CR_OPTLOCK;
	return SR_SIM_BUS_OK;
}

static void write_cr(struct sr_sim_board *b, uint32_t val)
{
	struct l4 *f = l4_of(b);
	if (f->cr & CR_LOCK)
		return;     /* locked: writes are not allowed, RM0440 3.3.5 */
	l4_wait_bank(b, 0); /* a write with BSY set stalls the AHB, RM0440 3.3.5 note */
	bool optlocked = f->cr & CR_OPTLOCK;
	uint32_t rw = CR_PG | CR_PER | CR_MER1 | f->pnb_mask | CR_FSTPG | CR_EOPIE | CR_ERRIE |
	              CR_RDERRIE | (f->dual ? CR_BKER | CR_MER2 : 0);
	f->cr = (f->cr & ~rw) | (val & rw) | (val & CR_SEC_PROT); /* SEC_PROTx: set once */
	if (val & CR_STRT) {
		f->cr |= CR_STRT;
		start_erase(b);
	} else if ((val & CR_OPTSTRT) && !optlocked) {
		f->cr |= CR_OPTSTRT;
		l4_ob_start(b);
	}
	if (f->op.kind == OP_NONE)
		f->cr &= ~(CR_STRT | CR_OPTSTRT);
	if (val & (CR_LOCK | CR_OPTLOCK))
		f->cr |= CR_OPTLOCK; /* set-only; LOCK sets OPTLOCK too, RM0440 3.4.2 */
	if (val & CR_LOCK)
		f->cr |= CR_LOCK;
	if ((val & CR_OBL_LAUNCH) && !optlocked)
		l4_ob_launch(b); /* "cannot be written if OPTLOCK is set", RM0440 3.7.6 */
}

/* The option register at register offset OFF, or -1. */
static int obreg_at(const struct sr_sim_board *b, uint32_t off)
{
	const struct sr_sim_chipdef *c = b->chip;
	for (int i = 0; i < c->n_obreg; i++)
		if (c->obreg[i].addr == c->flash_regs + off)
			return i;
	return -1;
}

static void write_obreg(struct sr_sim_board *b, int i, uint32_t val)
{
	struct l4 *f = l4_of(b);
	if (f->cr & CR_OPTLOCK)
		return; /* option registers locked, RM0440 3.4.2 */
	l4_wait_bank(b, 0);
	uint32_t m = sr_sim_chipdef_reg_fields(b->chip, b->chip->obreg[i].name);
	uint32_t keep = i == f->i_pcrop1er ? f->reg[i] & PCROP_RDP : 0; /* rs: set-only */
	f->reg[i] = (f->reg[i] & ~m) | (val & m) | keep;
}

static uint32_t lane_mask(uint32_t off, unsigned size)
{
	return (size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1)) << (8 * (off & 3));
}

static int l4_reg_write(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t val)
{
	struct l4 *f = l4_of(b);
	uint32_t mask = lane_mask(off, size);
	val = (val << (8 * (off & 3))) & mask;
	off &= ~3u;
	l4_sync(b, sr_sim_time(b));
	switch (off) {
	case R_KEYR:
		return write_keyr(b, size, val);
	case R_OPTKEYR:
		return write_optkeyr(b, size, val);
	case R_SR:
		f->sr &= ~(val & SR_W1C); /* write 1 to clear, RM0440 3.7.5 */
		break;
	case R_CR:
		write_cr(b, (f->cr & ~mask) | val);
		break;
	case R_ACR:
		f->acr = (f->acr & ~mask) | val;
		break;
	case R_ECCR:
		f->eccr = (f->eccr & ~mask & ~(1u << 24)) | (val & (1u << 24)); /* ECCCIE, 3.7.7 */
		break;
	default: {
		int i = obreg_at(b, off);
		if (i >= 0)
			write_obreg(b, i, (f->reg[i] & ~mask) | val);
		break; /* PDKEYR (RUN_PD) and reserved offsets: no effect */
	}
	}
	return SR_SIM_BUS_OK;
}

static int l4_reg_read(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t *val)
{
	struct l4 *f = l4_of(b);
	uint32_t w = 0;
	int i;
	l4_sync(b, sr_sim_time(b));
	switch (off & ~3u) {
	case R_ACR:
		w = f->acr;
		break;
	case R_SR:
		w = f->sr | (f->op.kind != OP_NONE ? SR_BSY : 0);
		break;
	case R_CR:
		w = f->cr;
		break;
	case R_ECCR:
		w = f->eccr;
		break;
	default: /* KEYR, OPTKEYR, PDKEYR are write-only */
		if ((i = obreg_at(b, off & ~3u)) >= 0)
			w = f->reg[i];
	}
	w >>= 8 * (off & 3);
	*val = size == 4 ? w : w & ((1u << (8 * size)) - 1);
	return SR_SIM_BUS_OK;
}

static int l4_mem_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
                       uint32_t *val)
{
	const struct sr_sim_chipdef *c = b->chip;
	struct l4 *f = l4_of(b);
	*val = 0;
	if (addr >= c->optbytes_base) {
		l4_wait_bank(b, 0);
		l4_ob_page_read(b, addr, size, val);
		return SR_SIM_BUS_OK;
	}
	int bank = in_otp(b, addr) ? 1 : bank_of(l4_layout(b), addr);
	l4_wait_bank(b, bank ? bank : 1);
	if (!in_otp(b, addr)) {
		/* RDP level 1 in debug: "a read ... generates a bus error", RM0440 3.5.1 */
		if (!bank || rdp_blocks(b))
			return SR_SIM_BUS_ERR;
		if (m != SR_SIM_CPU_FETCH && l4_protected(b, addr, size, true)) {
			f->sr |= SR_RDERR; /* D-bus read of PCROP, RM0440 3.5.2; reads 0 */
			return SR_SIM_BUS_OK;
		}
	}
	const uint8_t *p = mem_of(b, addr);
	for (unsigned i = 0; i < size; i++)
		*val |= (uint32_t)p[i] << (8 * i);
	return SR_SIM_BUS_OK;
}

/* ---- reset, life cycle, state ---- */

/* System reset: registers to reset values, the option registers from the internal ones,
 * which the option-byte loader refreshes at power-on and OBL_LAUNCH (RM0440 3.4.2). */
void l4_reset(struct sr_sim_board *b, bool por)
{
	struct l4 *f = l4_of(b);
	if (f->op.kind == OP_OPTION) {
		memset(f->word, 0xFF, sizeof(f->word)); /* pages erased, not programmed */
		memset(f->cmpl, 0xFF, sizeof(f->cmpl));
		sr_warn("sim: reset during option-byte programming left the option pages erased");
	} else if (f->op.kind != OP_NONE) {
		sr_warn("sim: reset during a flash operation; the operation is lost");
	}
	f->op.kind = OP_NONE;
	if (por || f->obl)
		l4_ob_load(b);
	f->obl = false;
	memcpy(f->reg, f->loaded, sizeof(f->reg));
	f->acr = b->chip->flash_acr_reset;
	f->sr = f->mismatch ? SR_OPTVERR : 0; /* set again after each reset, RM0440 3.7.5 */
	f->cr = CR_LOCK | CR_OPTLOCK;         /* 0xC0000000, RM0440 3.7.6 */
	f->eccr = 0;
	f->key = f->optkey = KEY_WAIT1;
	f->half = false;
	f->mass_erased = 0;
}

static int l4_init(struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *c = b->chip;
	struct l4 *f = sr_calloc(1, sizeof(*f));
	b->flash_priv = f;
	f->i_optr = sr_sim_chipdef_obreg(c, "OPTR");
	f->i_pcrop1er = sr_sim_chipdef_obreg(c, "PCROP1ER");
	if (f->i_optr < 0 || c->n_layout == 0) {
		sr_err("sim: %s: optbytes/ has no OPTR or families/ no geometry", c->title);
		return SR_E_NODATA;
	}
	for (int i = 0; i < c->n_layout; i++)
		f->dual |= c->layout[i].banks == 2;
	/* PNB is as wide as a WRP page field: 8 bits on L47x, 7 on G47x, 6 on G431 (RM0351
	 * 3.7.6, RM0440 3.7.6 and 5.7.6) */
	f->pnb_mask = 0xFFu << 3;
	for (int i = 0; i < c->n_area; i++)
		if (!c->area[i].pcrop)
			f->pnb_mask = sr_field_mask(c->area[i].start_hi - c->area[i].start_lo, 0)
			              << 3;
	return SR_OK;
}

static void l4_free(struct sr_sim_board *b)
{
	free(b->flash_priv);
	b->flash_priv = NULL;
}

const struct sr_sim_flash_ops sr_sim_flash_l4 = {
    .name = "stm32l4",
    .init = l4_init,
    .free = l4_free,
    .reset = l4_reset,
    .reg_read = l4_reg_read,
    .reg_write = l4_reg_write,
    .mem_read = l4_mem_read,
    .mem_write = l4_mem_write,
    .sync = l4_sync,
    .busy_until = l4_busy_until,
    .rdp_level = l4_rdp_level,
    .iwdg_hw = l4_iwdg_hw,
    .load = l4_load,
    .save = l4_save,
    .factory = l4_factory,
    .wwdg_hw = l4_wwdg_hw,
};
