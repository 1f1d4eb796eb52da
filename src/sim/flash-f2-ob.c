/*
 * Option bytes of the F2/F4/F7 flash controller: FLASH_OPTCR (RM0090 3.6.2,
 * RM0390 3.8.10, RM0385 3.7.6), the F7's FLASH_OPTCR1 with the boot addresses
 * (RM0385 3.7.7, 2.5), the option block a debugger reads (RM0390 3.6.1 table 8,
 * RM0385 3.4.1 table 4), read-out and write protection. Which bits exist comes
 * from optbytes/ (WDG_SW on F4, IWDG_SW/WWDG_SW on F7, SPRMOD on F4 only).
 */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "sim/flash-f2.h"
#include "sim/state.h"

/* Option-byte rewrite measured at 350 ms on an F411 (FLASH-TIMING.md 2, brio-f4). */
#define OPTION_NS 350000000ull
/* BOOT_ADDx hold address bits 29:14 (RM0385 2.5, 3.7.7). */
#define BOOT_ADD_SHIFT 14

static unsigned low_bit(uint32_t m)
{
	return m ? (unsigned)__builtin_ctz(m) : 0;
}

/* The part's option bits. nWRP bits past the part's last sector are reserved and
 * keep their reset value (F446: 8 sectors, bits 27:24 read 1, RM0390 3.8.10). */
void f2_ob_init(struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *c = b->chip;
	struct f2_optbits *o = &f2_of(b)->o;
	uint32_t nwrp = sr_sim_chipdef_field(c, "nWRP", NULL), have;
	o->nwrp_lo = low_bit(nwrp);
	have = c->n_sect >= 32 ? ~0u : ((1u << c->n_sect) - 1) << o->nwrp_lo;
	o->bits = sr_sim_chipdef_reg_fields(c, "OPTCR") & ~(nwrp & ~have);
	o->res1 = c->optcr_factory & ~o->bits & ~(OPTCR_OPTLOCK | OPTCR_OPTSTRT);
	o->sprmod = sr_sim_chipdef_field(c, "SPRMOD", NULL);
	o->wdg_sw = sr_sim_chipdef_field(c, "WDG_SW", NULL) | sr_sim_chipdef_field(c, "IWDG_SW", NULL);
	o->wwdg_sw = sr_sim_chipdef_field(c, "WWDG_SW", NULL);
	uint32_t f1;
	o->has_optcr1 = sr_sim_chipdef_ob_factory(c, "OPTCR1", &f1);
	o->bits1 = o->has_optcr1 ? sr_sim_chipdef_reg_fields(c, "OPTCR1") : 0;
	/* An erased option sector reads all ones (RM0390 3.6.5): RDP 0xFF = level 1. */
	o->erased = o->bits | o->res1;
}

int f2_rdp_level_of(uint32_t ob)
{
	uint32_t rdp = (ob >> 8) & 0xFF;
	return rdp == 0xAA ? 0 : rdp == 0xCC ? 2 : 1; /* RM0090 3.7.3, RM0385 3.5.1 */
}

int f2_rdp_level(const struct sr_sim_board *b)
{
	return f2_rdp_level_of(f2_of(b)->ob);
}

/* Sector I cannot be erased or programmed: nWRP bit 0 (SPRMOD 0), or PCROP bit 1
 * (SPRMOD 1, F4 only: RM0390 3.6.5). */
bool f2_sector_protected(const struct f2 *f, unsigned i)
{
	bool bit = (f->ob >> (f->o.nwrp_lo + i)) & 1;
	return (f->ob & f->o.sprmod) ? bit : !bit;
}

bool f2_sector_pcrop(const struct f2 *f, unsigned i)
{
	return (f->ob & f->o.sprmod) && ((f->ob >> (f->o.nwrp_lo + i)) & 1);
}

int f2_write_optkeyr(struct sr_sim_board *b, unsigned size, uint32_t val)
{
	struct f2 *f = f2_of(b);
	const uint32_t *keys = b->chip->optkeys;
	/* RM0090 3.6.2: OPTKEY1 then OPTKEY2 clears OPTLOCK; a wrong sequence is a bus
	 * error and locks FLASH_OPTCR until reset, as for FLASH_KEYR. */
	if (f->optkey == KEY_DEAD || !f->optlock || size != 4 ||
	    val != keys[f->optkey == KEY_WAIT1 ? 0 : 1]) {
		f->optkey = KEY_DEAD;
		f->optlock = true;
		return SR_SIM_BUS_ERR;
	}
	if (f->optkey == KEY_WAIT1) {
		f->optkey = KEY_WAIT2;
	} else {
		f->optkey = KEY_WAIT1;
		f->optlock = false;
	}
	return SR_SIM_BUS_OK;
}

/* OPTSTRT: erase the option sector and program FLASH_OPTCR (and OPTCR1 on the F7,
 * RM0385 3.4.2) into it (RM0090 3.6.2). */
static void start_option(struct sr_sim_board *b)
{
	struct f2 *f = f2_of(b);
	if (f2_rdp_level_of(f->ob) == 2)
		return; /* option bytes frozen at level 2 (RM0090 3.7.3, RM0385 3.5.1) */
	f->ob_new = f->optcr;
	f->ob1_new = f->optcr1;
	uint64_t t = OPTION_NS;
	if (f2_rdp_level_of(f->ob) == 1 && f2_rdp_level_of(f->ob_new) == 0) {
		/* 1 -> 0: mass erase of the user flash first, WRP notwithstanding (RM0090 3.7.3) */
		memset(b->flash, 0xFF, b->chip->flash_size);
		t += f2_mass_erase_ns(f);
	}
	if (b->power_loss_during_ob) {
		/* Fault injection: power fails after the option sector was erased. */
		sr_info("sim: injected power loss during option-byte programming");
		f->ob = f->o.erased;
		f->ob1 = f->o.bits1;
		b->power_loss_during_ob = false;
		sr_sim_board_set_power(b, 0);
		return;
	}
	f2_start_op(b, OP_OPTION, t);
}

void f2_write_optcr(struct sr_sim_board *b, uint32_t val)
{
	struct f2 *f = f2_of(b);
	if (f->optlock)
		return; /* locked: writes ignored (RM0090 3.6.2) */
	f2_wait_not_busy(b);
	f->optcr = (val & f->o.bits) | f->o.res1;
	if (val & OPTCR_OPTLOCK)
		f->optlock = true;
	else if (val & OPTCR_OPTSTRT)
		start_option(b);
}

/* FLASH_OPTCR1 is locked with FLASH_OPTCR (RM0385 3.7.7). */
void f2_write_optcr1(struct sr_sim_board *b, uint32_t val)
{
	struct f2 *f = f2_of(b);
	if (f->optlock || !f->o.has_optcr1)
		return;
	f2_wait_not_busy(b);
	f->optcr1 = val & f->o.bits1;
}

uint32_t f2_read_optcr(const struct sr_sim_board *b)
{
	const struct f2 *f = f2_of(b);
	return f->optcr | (f->optlock ? OPTCR_OPTLOCK : 0) |
	       (f->op.kind == OP_OPTION ? OPTCR_OPTSTRT : 0);
}

/* The option sector programmed: the new values are in force at once (RM0090 3.6.2). */
void f2_option_done(struct sr_sim_board *b)
{
	struct f2 *f = f2_of(b);
	f->ob = f->ob_new;
	f->ob1 = f->ob1_new;
	f->optcr = f->ob;
	f->optcr1 = f->ob1;
	if (f2_rdp_level_of(f->ob) == 2)
		b->swd_dead = true; /* level 2 takes effect at once on F4 (RM0090 3.6.3, 3.7.3) */
}

/* System reset: option registers reloaded from the option sector (RM0090 3.9.10). */
void f2_option_reset(struct sr_sim_board *b)
{
	struct f2 *f = f2_of(b);
	if (f->op.kind == OP_OPTION) {
		f->ob = f->o.erased; /* reset during programming: sector erased, not programmed */
		f->ob1 = f->o.bits1;
		sr_warn("sim: reset during option-byte programming left the option bytes erased");
	}
	f->optkey = KEY_WAIT1;
	f->optlock = true;
	f->optcr = f->ob;
	f->optcr1 = f->ob1;
}

/* The option block as a debugger reads it: one 64-bit entry per option word, the
 * option half-word in bits 15:0 and the rest reserved (reads as ones): RDP and USER,
 * then nWRP (with SPRMOD / IWDG_STOP / IWDG_STDBY), then BOOT_ADD0 and BOOT_ADD1 on
 * the F7 (RM0390 3.6.1 table 8, RM0385 3.4.1 table 4). */
uint32_t f2_optmem_read(const struct sr_sim_board *b, uint32_t off)
{
	const struct f2 *f = f2_of(b);
	static const unsigned shift[] = {0, 16, 0, 16};
	unsigned entry = (off / 8) & 3;
	uint32_t word = entry < 2 ? f->ob : f->ob1;
	return 0xFFFF0000u | ((word >> shift[entry]) & 0xFFFF);
}

void f2_factory(struct sr_sim_board *b)
{
	struct f2 *f = f2_of(b);
	f->ob = b->chip->optcr_factory;
	f->ob1 = 0;
	sr_sim_chipdef_ob_factory(b->chip, "OPTCR1", &f->ob1);
}

bool f2_iwdg_hw(const struct sr_sim_board *b)
{
	return !(f2_of(b)->ob & f2_of(b)->o.wdg_sw); /* WDG_SW 0: hardware, RM0090 3.9.10 */
}

bool f2_wwdg_hw(const struct sr_sim_board *b)
{
	const struct f2 *f = f2_of(b);
	return f->o.wwdg_sw && !(f->ob & f->o.wwdg_sw); /* WWDG_SW 0, RM0385 3.7.6 */
}

/* BOOT_ADD0 with the BOOT0 pin low, BOOT_ADD1 with it high (RM0385 2.5 table 3);
 * parts without boot-address options boot from the alias at 0. */
uint32_t f2_boot_address(const struct sr_sim_board *b)
{
	const struct f2 *f = f2_of(b);
	uint32_t m = sr_sim_chipdef_field(b->chip, b->boot0 ? "BOOT_ADD1" : "BOOT_ADD0", NULL);
	if (!m)
		return 0;
	return ((f->ob1 & m) >> low_bit(m)) << BOOT_ADD_SHIFT;
}

int f2_ob_load(struct sr_sim_board *b)
{
	struct f2 *f = f2_of(b);
	struct sr_sim_state *st = b->st;
	uint32_t ob1 = 0;
	sr_sim_chipdef_ob_factory(b->chip, "OPTCR1", &ob1);
	int rc = sr_sim_state_get_u32(st, "option_bytes", "optcr", b->chip->optcr_factory, &f->ob);
	if (f->o.has_optcr1)
		rc |= sr_sim_state_get_u32(st, "option_bytes", "optcr1", ob1, &f->ob1);
	f->ob = (f->ob & f->o.bits) | f->o.res1;
	f->ob1 &= f->o.bits1;
	return rc ? SR_E_PARSE : SR_OK;
}

void f2_ob_save(struct sr_sim_board *b)
{
	struct f2 *f = f2_of(b);
	sr_sim_state_set_u32(b->st, "option_bytes", "optcr", f->ob);
	if (f->o.has_optcr1)
		sr_sim_state_set_u32(b->st, "option_bytes", "optcr1", f->ob1);
}
