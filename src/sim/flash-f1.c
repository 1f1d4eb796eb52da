/*
 * The flash controller of the STM32F1 generation (the FPEC of PM0075 Rev 2,
 * RM0008 3.3.3): half-word programming, 1 KiB / 2 KiB page erase through
 * FLASH_AR, mass erase, write protection by 4 KiB groups, read protection.
 * The option bytes are in flash-f1-ob.c.
 * Timing: DS5319 Rev 19 table 28 (FLASH-TIMING.md 1).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/flash-f1.h"
#include "sim/state.h"

/* Register offsets, PM0075 3.9 table 6 */
enum { R_ACR = 0x00, R_KEYR = 0x04, R_OPTKEYR = 0x08, R_SR = 0x0C, R_CR = 0x10, R_AR = 0x14,
       R_OBR = 0x1C, R_WRPR = 0x20 };

#define SR_W1C (F1_SR_PGERR | F1_SR_WRPRTERR | F1_SR_EOP)
/* FLASH_CR bits software may set (LOCK set only, OPTWRE clear only: PM0075 3.5) */
#define CR_RW (F1_CR_PG | F1_CR_PER | F1_CR_MER | F1_CR_OPTPG | F1_CR_OPTER | F1_CR_ERRIE | \
	       F1_CR_EOPIE)
/* FLASH_ACR: LATENCY, HLFCYA, PRFTBE; PRFTBS follows PRFTBE (PM0075 3.1), reset 0x30. */
#define ACR_RW     0x1Fu
#define ACR_PRFTBE (1u << 4)
#define ACR_RESET  0x30u

/* DS5319 table 28: 16-bit programming 52.5 us typ; page and mass erase 20-40 ms with no
 * typical given: the model takes the maximum, 40 ms. */
#define PROGRAM_NS 52500u
#define ERASE_NS   40000000ull
/* Write protection: one WRPR bit per 4 KiB (4 pages of 1 KiB, or 2 of 2 KiB), bit 31
 * for the rest of the flash (PM0075 2.4.2, 2.5). */
#define WRP_GROUP 4096u

uint64_t f1_mass_erase_ns(void)
{
	return ERASE_NS;
}

void f1_raise(struct f1 *f, uint32_t bits)
{
	f->sr |= bits;
}

/* Read protection with a debugger connected since power-on, or code not run from
 * flash: main flash is neither readable nor writable (PM0075 2.4.1 table 3). */
bool f1_debug_locked(const struct sr_sim_board *b)
{
	return (f1_of(b)->obr & F1_OBR_RDPRT) && b->dbg_intrusion;
}

/* The page/program address ADDR is write-protected: its WRPR bit is 0, or read
 * protection covers the first 4 KiB (PM0075 2.4.1: "pages 0-3 ... write protected"). */
static bool write_protected(const struct sr_sim_board *b, uint32_t addr)
{
	const struct f1 *f = f1_of(b);
	uint32_t bit = (addr - b->chip->flash_base) / WRP_GROUP;
	if (bit > 31)
		bit = 31;
	if (!((f->wrpr >> bit) & 1))
		return true;
	return (f->obr & F1_OBR_RDPRT) && addr - b->chip->flash_base < WRP_GROUP;
}

static bool in_main(const struct sr_sim_board *b, uint32_t addr)
{
	return addr >= b->chip->flash_base && addr - b->chip->flash_base < b->chip->flash_size;
}

static uint32_t page_size(const struct sr_sim_board *b)
{
	return b->chip->sect_size[0]; /* pages are uniform (families/stm32f1.ini geometry) */
}

static void complete_op(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	uint8_t *p;
	switch (f->op.kind) {
	case F1_OP_PROGRAM:
		p = b->flash + (f->op.addr - b->chip->flash_base);
		p[0] &= (uint8_t)f->op.data;
		p[1] &= (uint8_t)(f->op.data >> 8);
		break;
	case F1_OP_PAGE:
		memset(b->flash + (f->op.addr - b->chip->flash_base), 0xFF, page_size(b));
		break;
	case F1_OP_MASS:
		memset(b->flash, 0xFF, b->chip->flash_size);
		break;
	case F1_OP_OB_ERASE:
	case F1_OP_OB_PROGRAM:
		f1_ob_complete(b);
		break;
	case F1_OP_NONE:
		return;
	}
	f->op.kind = F1_OP_NONE;
	f->cr &= ~F1_CR_STRT; /* STRT clears with BSY, PM0075 3.5 */
	f->sr |= F1_SR_EOP;   /* at the end of every successful operation, PM0075 3.4 */
}

static void f1_sync(struct sr_sim_board *b, uint64_t now)
{
	struct f1 *f = f1_of(b);
	if (f->op.kind != F1_OP_NONE && now >= f->op.end)
		complete_op(b);
}

static uint64_t f1_busy_until(const struct sr_sim_board *b)
{
	const struct f1 *f = f1_of(b);
	return f->op.kind == F1_OP_NONE ? UINT64_MAX : f->op.end;
}

/* A flash access while BSY stalls the bus until the operation ends (PM0075 2.3). */
static void wait_not_busy(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	f1_sync(b, sr_sim_time(b));
	if (f->op.kind == F1_OP_NONE)
		return;
	sr_sim_stall_until(b, f->op.end);
	f1_sync(b, f->op.end);
}

void f1_start_op(struct sr_sim_board *b, enum f1_op_kind kind, uint64_t duration)
{
	struct f1 *f = f1_of(b);
	f->op.kind = kind;
	f->op.end = sr_sim_time(b) + duration;
}

/* STRT with PER, MER or OPTER (PM0075 2.3.4, 2.3.5, 2.5.1). */
static void start_erase(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	const struct sr_sim_chipdef *c = b->chip;
	if (f->cr & F1_CR_OPTER) {
		f1_ob_start_erase(b);
		return;
	}
	if (f1_debug_locked(b)) {
		/* Read protection, debug: no erase (PM0075 2.4.1 table 3). PM0075 names no
		 * flag; the FPEC of RM0091 3.3.1 (same design) sets PGERR. */
		f1_raise(f, F1_SR_PGERR);
		return;
	}
	if (f->cr & F1_CR_MER) {
		if (f->wrpr != 0xFFFFFFFFu || (f->obr & F1_OBR_RDPRT)) {
			f1_raise(f, F1_SR_WRPRTERR); /* an erase touching protected pages, 2.4.2 */
			return;
		}
		f1_start_op(b, F1_OP_MASS, ERASE_NS);
		return;
	}
	if (!in_main(b, f->ar)) {
		sr_warn("sim: page erase at 0x%08X, outside main flash", f->ar);
		return; /* not documented; nothing is erased */
	}
	if (write_protected(b, f->ar)) {
		f1_raise(f, F1_SR_WRPRTERR); /* PM0075 2.4.2 */
		return;
	}
	f->op.addr = c->flash_base + ((f->ar - c->flash_base) & ~(page_size(b) - 1));
	f1_start_op(b, F1_OP_PAGE, ERASE_NS);
}

static int write_keyr(struct sr_sim_board *b, unsigned size, uint32_t val)
{
	struct f1 *f = f1_of(b);
	const uint32_t *keys = b->chip->keys;
	/* PM0075 2.3.1: KEY1 then KEY2; "any wrong sequence locks up the FPEC and
	 * FLASH_CR register until the next reset", with a bus error. */
	if (f->key == F1_KEY_DEAD || !(f->cr & F1_CR_LOCK) || size != 4 ||
	    val != keys[f->key == F1_KEY_WAIT1 ? 0 : 1]) {
		f->key = F1_KEY_DEAD;
		f->cr |= F1_CR_LOCK;
		return SR_SIM_BUS_ERR;
	}
	f->key = f->key == F1_KEY_WAIT1 ? F1_KEY_WAIT2 : F1_KEY_WAIT1;
	if (f->key == F1_KEY_WAIT1)
		f->cr &= ~F1_CR_LOCK;
	return SR_SIM_BUS_OK;
}

static void write_cr(struct sr_sim_board *b, uint32_t val)
{
	struct f1 *f = f1_of(b);
	if (f->cr & F1_CR_LOCK)
		return; /* FLASH_CR is not writable while locked (PM0075 2.3.1) */
	f->cr = (f->cr & ~CR_RW & ~F1_CR_OPTWRE) | (val & CR_RW) |
		(f->cr & val & F1_CR_OPTWRE); /* OPTWRE: software can only clear it */
	if (val & F1_CR_LOCK)
		f->cr |= F1_CR_LOCK;
	if ((val & F1_CR_STRT) && (f->cr & (F1_CR_PER | F1_CR_MER | F1_CR_OPTER))) {
		f->cr |= F1_CR_STRT;
		start_erase(b);
		if (f->op.kind == F1_OP_NONE)
			f->cr &= ~F1_CR_STRT;
	}
}

static uint32_t lanes(uint32_t w, uint32_t off, unsigned size)
{
	w >>= 8 * (off & 3);
	return size == 4 ? w : w & ((1u << (8 * size)) - 1);
}

static int f1_reg_write(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t val)
{
	struct f1 *f = f1_of(b);
	unsigned sh = 8 * (off & 3);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1)) << sh;
	f1_sync(b, sr_sim_time(b));
	val = (val << sh) & mask;
	off &= ~3u;
	if (off == R_KEYR)
		return write_keyr(b, size, val);
	if (off == R_OPTKEYR)
		return f1_ob_write_key(b, val);
	if (off == R_SR) {
		f->sr &= ~(val & SR_W1C); /* write 1 to clear, PM0075 3.4 */
		return SR_SIM_BUS_OK;
	}
	if (f->op.kind != F1_OP_NONE && (off == R_CR || off == R_AR))
		return SR_SIM_BUS_OK; /* "not accessible in write mode" while BSY, PM0075 2.3.3 */
	if (off == R_ACR)
		f->acr = (f->acr & ~mask) | (val & ACR_RW);
	else if (off == R_CR)
		write_cr(b, (f->cr & ~mask) | val);
	else if (off == R_AR)
		f->ar = (f->ar & ~mask) | val;
	return SR_SIM_BUS_OK; /* OBR and WRPR are read-only */
}

static int f1_reg_read(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t *val)
{
	struct f1 *f = f1_of(b);
	uint32_t w = 0;
	f1_sync(b, sr_sim_time(b));
	switch (off & ~3u) {
	case R_ACR:
		w = f->acr | ((f->acr & ACR_PRFTBE) << 1); /* PRFTBS */
		break;
	case R_SR:
		w = f->sr | (f->op.kind != F1_OP_NONE ? F1_SR_BSY : 0);
		break;
	case R_CR:
		w = f->cr;
		break;
	case R_AR:
		w = f->ar; /* the address last chosen or used, PM0075 3.6 */
		break;
	case R_OBR:
		w = f->obr;
		break;
	case R_WRPR:
		w = f->wrpr;
		break;
	default:
		w = 0; /* KEYR and OPTKEYR read 0 */
	}
	*val = lanes(w, off, size);
	return SR_SIM_BUS_OK;
}

static int f1_mem_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr,
		       unsigned size, uint32_t *val)
{
	const struct sr_sim_chipdef *c = b->chip;
	*val = 0;
	wait_not_busy(b);
	if (addr >= c->optbytes_base) {
		*val = f1_ob_read(b, addr - c->optbytes_base, size);
		return SR_SIM_BUS_OK;
	}
	if (f1_debug_locked(b))
		return SR_SIM_BUS_ERR; /* read protection: no debug access (PM0075 2.4.1) */
	const uint8_t *p = b->flash + (addr - c->flash_base);
	for (unsigned i = 0; i < size; i++)
		*val |= (uint32_t)p[i] << (8 * i);
	return SR_SIM_BUS_OK;
}

/* A half-word program (PM0075 2.3.3); returns the error bits, 0 when it may go. */
static uint32_t program_check(struct sr_sim_board *b, uint32_t addr, uint32_t val)
{
	const uint8_t *p = b->flash + (addr - b->chip->flash_base);
	if (f1_debug_locked(b))
		return F1_SR_PGERR; /* as for erase, see start_erase */
	if (write_protected(b, addr))
		return F1_SR_WRPRTERR;
	/* "checks that it has been erased ... the only exception is when 0x0000 is
	 * programmed": else PGERR and the write is skipped. */
	if ((p[0] != 0xFF || p[1] != 0xFF) && val != 0)
		return F1_SR_PGERR;
	return 0;
}

static int f1_mem_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr,
			unsigned size, uint32_t val)
{
	struct f1 *f = f1_of(b);
	const struct sr_sim_chipdef *c = b->chip;
	wait_not_busy(b);
	/* "Any attempt to write data that are not half-word long will result in a bus
	 * error response from the FPEC" (PM0075 2.3.3). */
	if (size != 2 || (addr & 1))
		return SR_SIM_BUS_ERR;
	if (addr >= c->optbytes_base)
		return f1_ob_program(b, addr - c->optbytes_base, size, val);
	if (!(f->cr & F1_CR_PG))
		return SR_SIM_BUS_OK; /* no operation selected: PM0075 defines no effect */
	f->ar = addr; /* updated with the address in use, PM0075 3.6 */
	uint32_t err = program_check(b, addr, val & 0xFFFF);
	if (err) {
		f1_raise(f, err);
		return SR_SIM_BUS_OK; /* the program operation is skipped */
	}
	f->op.addr = addr;
	f->op.data = val & 0xFFFF;
	f1_start_op(b, F1_OP_PROGRAM, PROGRAM_NS);
	return SR_SIM_BUS_OK;
}

/* System reset: registers to reset values, option bytes loaded (PM0075 2.5, 3). */
static void f1_reset(struct sr_sim_board *b, bool por)
{
	struct f1 *f = f1_of(b);
	if (f->op.kind == F1_OP_OB_ERASE || f->op.kind == F1_OP_OB_PROGRAM)
		f1_ob_interrupted(b);
	else if (f->op.kind != F1_OP_NONE)
		sr_warn("sim: reset during a flash operation; the operation is lost");
	f->op.kind = F1_OP_NONE;
	f->acr = ACR_RESET;
	f->sr = 0;
	f->cr = F1_CR_LOCK; /* reset value 0x80 */
	f->ar = 0;
	f->key = f->optkey = F1_KEY_WAIT1;
	f1_ob_load_registers(b);
}

static void f1_factory(struct sr_sim_board *b)
{
	f1_ob_factory(b);
	f1_reset(b, true);
}

static int f1_rdp_level(const struct sr_sim_board *b)
{
	return (f1_of(b)->obr & F1_OBR_RDPRT) ? 1 : 0; /* the F1 has no level 2 */
}

static bool f1_iwdg_hw(const struct sr_sim_board *b)
{
	return !(f1_of(b)->obr & F1_OBR_WDG_SW); /* USER bit 0 = 0: hardware, PM0075 2.5 */
}

static int f1_init(struct sr_sim_board *b)
{
	b->flash_priv = sr_calloc(1, sizeof(struct f1));
	return SR_OK;
}

static void f1_free(struct sr_sim_board *b)
{
	free(b->flash_priv);
	b->flash_priv = NULL;
}

static const char *const key_names[] = {"wait-key1", "wait-key2", "locked-until-reset"};
static const char *const op_names[] = {"none", "program", "page-erase", "mass-erase",
				       "option-erase", "option-program"};

static int f1_load(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	struct sr_sim_state *st = b->st;
	int rc = f1_ob_state_load(b);
	f1_reset(b, true);
	rc |= sr_sim_state_get_u32(st, "flash", "acr", f->acr, &f->acr);
	rc |= sr_sim_state_get_u32(st, "flash", "sr", f->sr, &f->sr);
	rc |= sr_sim_state_get_u32(st, "flash", "cr", f->cr, &f->cr);
	rc |= sr_sim_state_get_u32(st, "flash", "ar", f->ar, &f->ar);
	rc |= sr_sim_state_get_u32(st, "flash", "obr", f->obr, &f->obr);
	rc |= sr_sim_state_get_u32(st, "flash", "wrpr", f->wrpr, &f->wrpr);
	int k = sr_sim_state_get_choice(st, "flash", "key", key_names, 3, F1_KEY_WAIT1);
	int ok = sr_sim_state_get_choice(st, "flash", "optkey", key_names, 3, F1_KEY_WAIT1);
	int op = sr_sim_state_get_choice(st, "flash", "pending", op_names, 6, F1_OP_NONE);
	if (k < 0 || ok < 0 || op < 0 || rc) {
		sr_err("sim: %s: bad [flash] or [option_bytes] values", sr_sim_state_path(st));
		return SR_E_PARSE;
	}
	f->key = (enum f1_key)k;
	f->optkey = (enum f1_key)ok;
	f->op.kind = (enum f1_op_kind)op;
	rc |= sr_sim_state_get_u32(st, "flash", "pending_addr", 0, &f->op.addr);
	rc |= sr_sim_state_get_u32(st, "flash", "pending_data", 0, &f->op.data);
	rc |= sr_sim_state_get_u64(st, "flash", "pending_end_ns", 0, &f->op.end);
	return rc ? SR_E_PARSE : SR_OK;
}

static void f1_save(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	struct sr_sim_state *st = b->st;
	f1_ob_state_save(b);
	sr_sim_state_set_u32(st, "flash", "acr", f->acr);
	sr_sim_state_set_u32(st, "flash", "sr", f->sr);
	sr_sim_state_set_u32(st, "flash", "cr", f->cr);
	sr_sim_state_set_u32(st, "flash", "ar", f->ar);
	sr_sim_state_set_u32(st, "flash", "obr", f->obr);
	sr_sim_state_set_u32(st, "flash", "wrpr", f->wrpr);
	sr_sim_state_set(st, "flash", "key", key_names[f->key]);
	sr_sim_state_set(st, "flash", "optkey", key_names[f->optkey]);
	sr_sim_state_set(st, "flash", "pending", op_names[f->op.kind]);
	if (f->op.kind == F1_OP_NONE)
		return;
	sr_sim_state_set_u32(st, "flash", "pending_addr", f->op.addr);
	sr_sim_state_set_u32(st, "flash", "pending_data", f->op.data);
	sr_sim_state_set_u64(st, "flash", "pending_end_ns", f->op.end);
}

const struct sr_sim_flash_ops sr_sim_flash_f1 = {
	.name = "stm32f1",
	.init = f1_init,
	.free = f1_free,
	.reset = f1_reset,
	.reg_read = f1_reg_read,
	.reg_write = f1_reg_write,
	.mem_read = f1_mem_read,
	.mem_write = f1_mem_write,
	.sync = f1_sync,
	.busy_until = f1_busy_until,
	.rdp_level = f1_rdp_level,
	.iwdg_hw = f1_iwdg_hw,
	.load = f1_load,
	.save = f1_save,
	.factory = f1_factory,
};
