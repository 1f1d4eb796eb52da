/*
 * The flash controller of the STM32F2/F4/F7 generation: sectors, PSIZE
 * parallelism, program and erase. RM0090 Rev 19 section 3 (F405..F439), RM0390
 * Rev 6 section 3 (F446) and RM0385 section 3 (F74x/F75x), which describe the
 * same interface; the option bytes are in flash-f2-ob.c.
 * Timing: FLASH-TIMING.md sections 2 and 5 (DS10693 table 48 family figures).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/flash-f2.h"
#include "sim/state.h"

#define SR_W1C (SR_EOP | SR_OPERR | SR_WRPERR | SR_PGAERR | SR_PGPERR | SR_PGSERR | SR_RDERR)
#define CR_RW  (CR_PG | CR_SER | CR_MER | CR_SNB | CR_PSIZE | CR_EOPIE | CR_ERRIE)

#define F(b) f2_of(b)

/* Erase time, DS10693 table 48 as quoted in FLASH-TIMING.md 2. x32 figures are the
 * quoted typicals; x16 and x8 64K are the UNVERIFIED table values (to check in DS10693).
 * The array has three kinds of sector, small, medium (4x) and large (8x): 16/64/128 KiB
 * on F4, 32/128/256 KiB on F74x, whose maxima are the F4's per kind (FLASH-TIMING.md 5),
 * so the times go by kind. */
static uint64_t sector_erase_ns(const struct sr_sim_chipdef *c, uint32_t size, unsigned psize)
{
	static const uint32_t ms[4][3] = {
		{400, 1200, 2000}, /* x8 */
		{300, 700, 1300},  /* x16 (UNVERIFIED) */
		{250, 550, 1000},  /* x32 */
		{250, 550, 1000},  /* x64 (with VPP): at least as fast as x32 */
	};
	uint32_t small = c->sect_size[0];
	int col = size <= small ? 0 : size <= 4 * small ? 1 : 2;
	return (uint64_t)ms[psize][col] * 1000000u;
}

static unsigned psize_of(const struct f2 *f)
{
	return (f->cr & CR_PSIZE) >> 8;
}

/* Mass erase typ, DS10693 table 48 (UNVERIFIED in FLASH-TIMING.md: x8 16 s, x16 11 s, x32 8 s). */
uint64_t f2_mass_erase_ns(const struct f2 *f)
{
	static const uint32_t s[4] = {16, 11, 8, 8};
	return (uint64_t)s[psize_of(f)] * 1000000000u;
}

/* Word programming time 16 us typ at every parallelism (DS10693 table 48, FLASH-TIMING.md 2). */
#define PROGRAM_NS 16000u

static void raise_error(struct f2 *f, uint32_t bits)
{
	f->sr |= bits;
	if (f->cr & CR_ERRIE)
		f->sr |= SR_OPERR; /* OPERR only with ERRIE, RM0090 3.9.4 */
}

static int sector_of(const struct sr_sim_board *b, uint32_t addr, uint32_t *start)
{
	const struct sr_sim_chipdef *c = b->chip;
	uint32_t a = c->flash_base;
	for (unsigned i = 0; i < c->n_sect; i++) {
		if (addr >= a && addr < a + c->sect_size[i]) {
			if (start)
				*start = a;
			return (int)i;
		}
		a += c->sect_size[i];
	}
	return -1;
}

/* Level 1 blocks every flash access while a debugger is connected (RM0090 3.7.3). */
static bool rdp_blocks(const struct sr_sim_board *b)
{
	return f2_rdp_level(b) != 0 && b->dbg_intrusion;
}

static void complete_op(struct sr_sim_board *b)
{
	struct f2 *f = F(b);
	const struct sr_sim_chipdef *c = b->chip;
	uint32_t start;
	switch (f->op.kind) {
	case OP_PROGRAM: {
		uint8_t *mem = f->op.addr >= c->otp_base ? b->otp + (f->op.addr - c->otp_base)
							 : b->flash + (f->op.addr - c->flash_base);
		for (uint32_t i = 0; i < f->op.arg; i++)
			mem[i] &= (uint8_t)(f->op.data >> (8 * i)); /* bits only go 1 -> 0, RM0090 3.5.4 */
		break;
	}
	case OP_SECTOR:
		start = c->flash_base;
		for (uint32_t i = 0; i < f->op.arg; i++)
			start += c->sect_size[i];
		memset(b->flash + (start - c->flash_base), 0xFF, c->sect_size[f->op.arg]);
		break;
	case OP_MASS:
		memset(b->flash, 0xFF, c->flash_size);
		break;
	case OP_OPTION:
		f2_option_done(b);
		break;
	case OP_NONE:
		return;
	}
	f->op.kind = OP_NONE;
	f->cr &= ~CR_STRT; /* STRT clears with BSY, RM0090 3.9.5 */
	if (f->cr & CR_EOPIE)
		f->sr |= SR_EOP; /* EOP only with EOPIE, RM0090 3.9.4 */
}

static void f2_sync(struct sr_sim_board *b, uint64_t now)
{
	struct f2 *f = F(b);
	if (f->op.kind != OP_NONE && now >= f->op.end)
		complete_op(b);
}

static uint64_t f2_busy_until(const struct sr_sim_board *b)
{
	return F(b)->op.kind == OP_NONE ? UINT64_MAX : F(b)->op.end;
}

/* An access while BSY stalls the bus until the operation ends (RM0090 3.5: "causes the
 * bus to stall"); the model then completes the operation. */
void f2_wait_not_busy(struct sr_sim_board *b)
{
	struct f2 *f = F(b);
	f2_sync(b, sr_sim_time(b));
	if (f->op.kind == OP_NONE)
		return;
	sr_sim_stall_until(b, f->op.end);
	f2_sync(b, f->op.end);
}

void f2_start_op(struct sr_sim_board *b, enum op_kind kind, uint64_t duration)
{
	struct f2 *f = F(b);
	f->op.kind = kind;
	f->op.end = sr_sim_time(b) + duration;
}

/* Sector erase or mass erase on STRT (RM0090 3.5.3). */
static void start_erase(struct sr_sim_board *b)
{
	struct f2 *f = F(b);
	const struct sr_sim_chipdef *c = b->chip;
	if (rdp_blocks(b)) {
		/* Level 1 + debugger: "no access (read, erase, program)" (RM0090 3.7.3); the
		 * RM names no flag for a refused erase: modelled as WRPERR. */
		raise_error(f, SR_WRPERR);
		return;
	}
	if (f->cr & CR_MER) {
		for (unsigned i = 0; i < c->n_sect; i++) {
			if (f2_sector_protected(f, i)) {
				raise_error(f, SR_WRPERR); /* RM0090 3.7.4: no mass erase with WRP */
				return;
			}
		}
		f2_start_op(b, OP_MASS, f2_mass_erase_ns(f));
		return;
	}
	unsigned snb = (f->cr & CR_SNB) >> 3;
	if (snb >= c->n_sect) {
		/* RM0390 3.8.5 lists SNB 0-7 only; the effect of others is not documented. */
		sr_warn("sim: sector erase of SNB %u, which the part does not have", snb);
		raise_error(f, SR_PGSERR); /* ERSERR on the F7, RM0385 3.7.4 */
		return;
	}
	if (f2_sector_protected(f, snb)) {
		raise_error(f, SR_WRPERR); /* RM0090 3.9.4 WRPERR */
		return;
	}
	f->op.arg = snb;
	f2_start_op(b, OP_SECTOR, sector_erase_ns(c, c->sect_size[snb], psize_of(f)));
}

static int write_keyr(struct sr_sim_board *b, unsigned size, uint32_t val)
{
	struct f2 *f = F(b);
	const uint32_t *keys = b->chip->keys;
	/* RM0090 3.5.1: KEY1 then KEY2; "any wrong sequence will return a bus error and
	 * lock up the FLASH_CR register until the next reset". Writing keys to an
	 * unlocked CR is a wrong sequence too. */
	if (f->key == KEY_DEAD || !(f->cr & CR_LOCK) || size != 4 ||
	    val != keys[f->key == KEY_WAIT1 ? 0 : 1]) {
		if (f->key != KEY_DEAD)
			sr_debug("sim: wrong FLASH_KEYR sequence (0x%08X): locked until reset", val);
		f->key = KEY_DEAD;
		f->cr |= CR_LOCK;
		return SR_SIM_BUS_ERR;
	}
	if (f->key == KEY_WAIT1) {
		f->key = KEY_WAIT2;
	} else {
		f->key = KEY_WAIT1;
		f->cr &= ~CR_LOCK;
	}
	return SR_SIM_BUS_OK;
}

static void write_cr(struct sr_sim_board *b, uint32_t val)
{
	struct f2 *f = F(b);
	if (f->cr & CR_LOCK)
		return; /* "write is not allowed in FLASH_CR" while locked, RM0090 3.5.1 */
	f2_wait_not_busy(b);
	f->cr = (f->cr & ~CR_RW) | (val & CR_RW);
	if (val & CR_LOCK)
		f->cr |= CR_LOCK; /* LOCK is set by software only, RM0090 3.9.5 */
	if ((val & CR_STRT) && (f->cr & (CR_SER | CR_MER))) {
		f->cr |= CR_STRT;
		start_erase(b);
		if (f->op.kind == OP_NONE)
			f->cr &= ~CR_STRT;
	}
}

static int f2_reg_write(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t val)
{
	struct f2 *f = F(b);
	unsigned sh = 8 * (off & 3);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1)) << sh;
	uint32_t cur = 0;
	off &= ~3u;
	val = (val << sh) & mask;
	switch (off) {
	case R_KEYR:
		return write_keyr(b, size, val);
	case R_OPTKEYR:
		return f2_write_optkeyr(b, size, val);
	case R_SR:
		f2_sync(b, sr_sim_time(b));
		f->sr &= ~(val & SR_W1C); /* write 1 to clear, RM0090 3.9.4 */
		return SR_SIM_BUS_OK;
	case R_ACR:
		f->acr = (f->acr & ~mask) | (val & 0x1F0F); /* RM0090 3.9.1 */
		return SR_SIM_BUS_OK;
	case R_CR:
		cur = f->cr;
		write_cr(b, (cur & ~mask) | val);
		return SR_SIM_BUS_OK;
	case R_OPTCR:
		cur = f->optcr | (f->optlock ? OPTCR_OPTLOCK : 0);
		f2_write_optcr(b, (cur & ~mask) | val);
		return SR_SIM_BUS_OK;
	case R_OPTCR1:
		f2_write_optcr1(b, (f->optcr1 & ~mask) | val);
		return SR_SIM_BUS_OK;
	default:
		return SR_SIM_BUS_OK; /* reserved offsets in the 1 KiB block: no effect */
	}
}

static int f2_reg_read(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t *val)
{
	struct f2 *f = F(b);
	uint32_t w = 0;
	f2_sync(b, sr_sim_time(b));
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
	case R_OPTCR:
		w = f2_read_optcr(b);
		break;
	case R_OPTCR1:
		w = f->o.has_optcr1 ? f->optcr1 : 0; /* reserved on parts without it */
		break;
	default:
		w = 0; /* KEYR, OPTKEYR are write-only and read 0 */
	}
	w >>= 8 * (off & 3);
	*val = size == 4 ? w : w & ((1u << (8 * size)) - 1);
	return SR_SIM_BUS_OK;
}

/* Read of main flash, OTP or the option bytes (RM0090 3.6.1 table 9, 3.7.3). */
static int f2_mem_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr,
		       unsigned size, uint32_t *val)
{
	struct f2 *f = F(b);
	const struct sr_sim_chipdef *c = b->chip;
	const uint8_t *p;
	*val = 0;
	f2_wait_not_busy(b);
	if (addr >= c->optbytes_base) {
		uint32_t off = addr - c->optbytes_base;
		*val = (f2_optmem_read(b, off) >> (8 * (off & 3))) &
		       (size == 4 ? ~0u : (1u << (8 * size)) - 1);
		return SR_SIM_BUS_OK;
	}
	if (addr >= c->otp_base) {
		p = b->otp + (addr - c->otp_base);
	} else {
		int s = sector_of(b, addr, NULL);
		if (rdp_blocks(b))
			return SR_SIM_BUS_ERR; /* "a bus error is generated", RM0090 3.7.3 */
		/* A data read of a PCROP sector; vector fetches go over ICode, which
		 * PCROP lets through (RM0390 3.6.5). */
		if (m != SR_SIM_CPU_FETCH && s >= 0 && f2_sector_pcrop(f, (unsigned)s)) {
			f->sr |= SR_RDERR;
			return SR_SIM_BUS_ERR;
		}
		p = b->flash + (addr - c->flash_base);
	}
	for (unsigned i = 0; i < size; i++)
		*val |= (uint32_t)p[i] << (8 * i);
	return SR_SIM_BUS_OK;
}

/* OTP block I (32 bytes) is locked when its lock byte is 0x00 (RM0090 3.8). */
static bool otp_locked(const struct sr_sim_board *b, uint32_t addr)
{
	uint32_t off = addr - b->chip->otp_base;
	return off < 512 && b->otp[512 + off / 32] == 0x00;
}

/* Check a program write against RM0090 3.9.4; returns the error bits, 0 when it may go. */
static uint32_t program_check(struct sr_sim_board *b, uint32_t addr, unsigned size)
{
	struct f2 *f = F(b);
	const struct sr_sim_chipdef *c = b->chip;
	if (!(f->cr & CR_PG))
		return SR_PGSERR; /* write with the CR not set up for it (F7: ERSERR, RM0385 3.7.4) */
	if ((addr & ~15u) != ((addr + size - 1) & ~15u))
		return SR_PGAERR; /* data not within one 128-bit row */
	if (size != (1u << psize_of(f)))
		return SR_PGPERR; /* access size differs from PSIZE */
	if (addr >= c->otp_base)
		return (addr >= c->optbytes_base || otp_locked(b, addr)) ? SR_WRPERR : 0;
	if (rdp_blocks(b))
		return SR_WRPERR; /* level 1 + debugger: no program (RM0090 3.7.3) */
	int s = sector_of(b, addr, NULL);
	if (s < 0 || f2_sector_protected(f, (unsigned)s))
		return SR_WRPERR;
	return 0;
}

static int f2_mem_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr,
			unsigned size, uint32_t val)
{
	struct f2 *f = F(b);
	f2_wait_not_busy(b);
	uint32_t err = program_check(b, addr, size);
	if (err) {
		raise_error(f, err);
		return SR_SIM_BUS_OK; /* the write is refused, the bus transfer completes */
	}
	f->op.addr = addr;
	f->op.data = val;
	f->op.arg = size;
	f2_start_op(b, OP_PROGRAM, PROGRAM_NS);
	return SR_SIM_BUS_OK;
}

/* System reset: registers to reset values, option bytes loaded (RM0090 3.9). */
static void f2_reset(struct sr_sim_board *b, bool por)
{
	struct f2 *f = F(b);
	if (f->op.kind != OP_NONE && f->op.kind != OP_OPTION)
		sr_warn("sim: reset during a flash operation; the operation is lost");
	f2_option_reset(b);
	f->op.kind = OP_NONE;
	f->acr = 0;
	f->sr = 0;
	f->cr = CR_LOCK;
	f->key = KEY_WAIT1;
}

static void f2_make_factory(struct sr_sim_board *b)
{
	f2_factory(b);
	f2_reset(b, true);
}

static int f2_init(struct sr_sim_board *b)
{
	b->flash_priv = sr_calloc(1, sizeof(struct f2));
	f2_ob_init(b);
	return SR_OK;
}

static void f2_free(struct sr_sim_board *b)
{
	free(b->flash_priv);
	b->flash_priv = NULL;
}

static const char *const key_names[] = {"wait-key1", "wait-key2", "locked-until-reset"};
static const char *const op_names[] = {"none", "program", "sector-erase", "mass-erase", "option"};

static int f2_load(struct sr_sim_board *b)
{
	struct f2 *f = F(b);
	struct sr_sim_state *st = b->st;
	int rc = f2_ob_load(b);
	f2_reset(b, true);
	rc |= sr_sim_state_get_u32(st, "flash", "acr", f->acr, &f->acr);
	rc |= sr_sim_state_get_u32(st, "flash", "sr", f->sr, &f->sr);
	rc |= sr_sim_state_get_u32(st, "flash", "cr", f->cr, &f->cr);
	rc |= sr_sim_state_get_u32(st, "flash", "optcr", f->optcr | 1, &f->optcr);
	f->optlock = f->optcr & OPTCR_OPTLOCK;
	f->optcr = (f->optcr & f->o.bits) | f->o.res1;
	if (f->o.has_optcr1)
		rc |= sr_sim_state_get_u32(st, "flash", "optcr1", f->optcr1, &f->optcr1);
	int k = sr_sim_state_get_choice(st, "flash", "key", key_names, 3, KEY_WAIT1);
	int ok = sr_sim_state_get_choice(st, "flash", "optkey", key_names, 3, KEY_WAIT1);
	int op = sr_sim_state_get_choice(st, "flash", "pending", op_names, 5, OP_NONE);
	if (k < 0 || ok < 0 || op < 0 || rc) {
		sr_err("sim: %s: bad [flash] or [option_bytes] values", sr_sim_state_path(st));
		return SR_E_PARSE;
	}
	f->key = (enum key_state)k;
	f->optkey = (enum key_state)ok;
	f->op.kind = (enum op_kind)op;
	rc |= sr_sim_state_get_u32(st, "flash", "pending_addr", 0, &f->op.addr);
	rc |= sr_sim_state_get_u32(st, "flash", "pending_data", 0, &f->op.data);
	rc |= sr_sim_state_get_u32(st, "flash", "pending_arg", 0, &f->op.arg);
	rc |= sr_sim_state_get_u32(st, "flash", "pending_ob", f->ob, &f->ob_new);
	rc |= sr_sim_state_get_u32(st, "flash", "pending_ob1", f->ob1, &f->ob1_new);
	rc |= sr_sim_state_get_u64(st, "flash", "pending_end_ns", 0, &f->op.end);
	return rc ? SR_E_PARSE : SR_OK;
}

static void f2_save(struct sr_sim_board *b)
{
	struct f2 *f = F(b);
	struct sr_sim_state *st = b->st;
	f2_ob_save(b);
	sr_sim_state_set_u32(st, "flash", "acr", f->acr);
	sr_sim_state_set_u32(st, "flash", "sr", f->sr);
	sr_sim_state_set_u32(st, "flash", "cr", f->cr);
	sr_sim_state_set_u32(st, "flash", "optcr", f->optcr | (f->optlock ? OPTCR_OPTLOCK : 0));
	if (f->o.has_optcr1)
		sr_sim_state_set_u32(st, "flash", "optcr1", f->optcr1);
	sr_sim_state_set(st, "flash", "key", key_names[f->key]);
	sr_sim_state_set(st, "flash", "optkey", key_names[f->optkey]);
	sr_sim_state_set(st, "flash", "pending", op_names[f->op.kind]);
	if (f->op.kind == OP_NONE)
		return;
	sr_sim_state_set_u32(st, "flash", "pending_addr", f->op.addr);
	sr_sim_state_set_u32(st, "flash", "pending_data", f->op.data);
	sr_sim_state_set_u32(st, "flash", "pending_arg", f->op.arg);
	sr_sim_state_set_u32(st, "flash", "pending_ob", f->ob_new);
	if (f->o.has_optcr1)
		sr_sim_state_set_u32(st, "flash", "pending_ob1", f->ob1_new);
	sr_sim_state_set_u64(st, "flash", "pending_end_ns", f->op.end);
}

const struct sr_sim_flash_ops sr_sim_flash_f2 = {
	.name = "stm32f2",
	.init = f2_init,
	.free = f2_free,
	.reset = f2_reset,
	.reg_read = f2_reg_read,
	.reg_write = f2_reg_write,
	.mem_read = f2_mem_read,
	.mem_write = f2_mem_write,
	.sync = f2_sync,
	.busy_until = f2_busy_until,
	.rdp_level = f2_rdp_level,
	.iwdg_hw = f2_iwdg_hw,
	.load = f2_load,
	.save = f2_save,
	.factory = f2_make_factory,
	.boot_address = f2_boot_address,
	.wwdg_hw = f2_wwdg_hw,
};
