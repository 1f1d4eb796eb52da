/*
 * The window watchdog (RM0385 28, RM0390 20, RM0008 19, and on the L4 and G4 the
 * same block; the G4 has a 3-bit WDGTB at bits 13:11): a 7-bit
 * down-counter clocked at PCLK1 / 4096 / 2^WDGTB that resets the chip when T6
 * clears (the counter passes from 0x40 to 0x3F) or when software reloads it above
 * the window. It runs only once WDGA is set: by software, or by hardware at every
 * reset when the option bit WWDG_SW is 0 (F7: RM0385 3.4.1, 28.3.2; L4/G4: RM0351
 * 3.7.8, RM0440 3.7.8 FLASH_OPTR). DBG_WWDG_STOP
 * in DBGMCU stops it while the core is halted (RM0385 40, DBGMCU_APB1_FZ).
 */
#include "config.h"

#include "common/log.h"
#include "common/util.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

/* Registers, RM0385 28.4 */
enum { W_CR = 0x0, W_CFR = 0x4, W_SR = 0x8 };
#define CR_T    0x7Fu
#define CR_WDGA (1u << 7)
#define CFR_W   0x7Fu
#define CFR_EWI (1u << 9)
#define T6      0x40u
#define RESET_T 0x7Fu /* CR and CFR reset values, RM0385 28.4.1-28.4.2 */

/* One counter step: 4096 * 2^WDGTB cycles of PCLK1, which runs at SYSCLK after
 * reset (APB1 prescaler 1): the HSI on F1/F4/F7 (RM0385 5.2 and 28.3.3), the 4 MHz
 * MSI on the L476 (RM0351 6.2.3), HSI16 on the G4 (RM0440 7.2). */
static uint64_t tick_ns(const struct sr_sim_board *b)
{
	unsigned tb = sr_field_get(b->wwdg.cfr, b->chip->wwdg_tb_hi, b->chip->wwdg_tb_lo);
	return (4096ull << tb) * 1000000000ull / b->chip->sysclk_hz;
}

static bool frozen(const struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *c = b->chip;
	bool stop = c->wwdg_freeze_addr &&
		    ((sr_sim_dbgmcu_reg(b, c->wwdg_freeze_addr) >> c->wwdg_freeze_bit) & 1);
	if (stop && b->core.run == SR_SIM_HALTED)
		return true;
	/* Firmware that refreshes its watchdogs (state [firmware] feeds_watchdog). */
	return b->core.fw_running && b->fw_feeds_iwdg && !b->core.in_reset;
}

bool sr_sim_wwdg_owns(const struct sr_sim_board *b, uint32_t addr)
{
	uint32_t base = b->chip->wwdg_base;
	return base && addr >= base && addr < base + 0xC;
}

void sr_sim_wwdg_sync(struct sr_sim_board *b, uint64_t now)
{
	struct sr_sim_wwdg *w = &b->wwdg;
	if (!b->chip->wwdg_base || now < w->last_ns)
		return;
	if ((w->cr & CR_WDGA) && !frozen(b) && !w->fired) {
		uint64_t t = w->part_ns + (now - w->last_ns), step = tick_ns(b);
		uint64_t ticks = t / step;
		uint32_t cnt = w->cr & CR_T;
		if (cnt < T6)
			ticks = 0, w->fired = true;
		else if (ticks > cnt - (T6 - 1)) {
			ticks = cnt - (T6 - 1);
			w->fired = true; /* T6 cleared: reset, RM0385 28.3.1 */
		}
		w->cr = (w->cr & ~CR_T) | (cnt - (uint32_t)ticks);
		w->part_ns = t - ticks * step;
	}
	w->last_ns = now;
}

uint64_t sr_sim_wwdg_expiry(const struct sr_sim_board *b)
{
	const struct sr_sim_wwdg *w = &b->wwdg;
	if (!b->chip->wwdg_base || !(w->cr & CR_WDGA) || frozen(b))
		return UINT64_MAX;
	if (w->fired || (w->cr & CR_T) < T6)
		return w->last_ns;
	uint64_t steps = (w->cr & CR_T) - (T6 - 1);
	return w->last_ns + steps * tick_ns(b) - w->part_ns;
}

bool sr_sim_wwdg_fired(const struct sr_sim_board *b)
{
	return b->wwdg.fired;
}

uint32_t sr_sim_wwdg_read(struct sr_sim_board *b, uint32_t addr)
{
	sr_sim_wwdg_sync(b, sr_sim_time(b));
	switch (addr - b->chip->wwdg_base) {
	case W_CR:
		return b->wwdg.cr;
	case W_CFR:
		return b->wwdg.cfr;
	default:
		return b->wwdg.sr;
	}
}

void sr_sim_wwdg_write(struct sr_sim_board *b, uint32_t addr, uint32_t val)
{
	struct sr_sim_wwdg *w = &b->wwdg;
	sr_sim_wwdg_sync(b, sr_sim_time(b));
	switch (addr - b->chip->wwdg_base) {
	case W_CR:
		/* Reloading above the window while active resets (RM0385 28.3.4); WDGA can
		 * only be set (28.4.1); a value with T6 clear while active resets at once. */
		if ((w->cr & CR_WDGA) && (w->cr & CR_T) > (w->cfr & CFR_W))
			w->fired = true;
		w->cr = (w->cr & CR_WDGA) | (val & (CR_WDGA | CR_T));
		if ((w->cr & CR_WDGA) && !(w->cr & T6))
			w->fired = true;
		w->part_ns = 0;
		break;
	case W_CFR:
		/* W[6:0], EWI and WDGTB (RM0385 28.4.2; G4 WDGTB at 13:11) */
		w->cfr = val & (CFR_W | CFR_EWI |
				sr_field_mask(b->chip->wwdg_tb_hi, b->chip->wwdg_tb_lo));
		break;
	default:
		w->sr &= val & 1; /* EWIF: cleared by writing 0, RM0385 28.4.3 */
	}
}

void sr_sim_wwdg_reset(struct sr_sim_board *b)
{
	struct sr_sim_wwdg *w = &b->wwdg;
	bool hw = b->fops->wwdg_hw && b->fops->wwdg_hw(b);
	*w = (struct sr_sim_wwdg){.cr = RESET_T, .cfr = RESET_T, .last_ns = sr_sim_time(b)};
	if (hw && b->chip->wwdg_base)
		w->cr |= CR_WDGA; /* hardware watchdog: enabled at reset, RM0385 28.3.2 */
}

void sr_sim_wwdg_load(struct sr_sim_board *b)
{
	struct sr_sim_state *st = b->st;
	struct sr_sim_wwdg *w = &b->wwdg;
	sr_sim_state_get_u32(st, "wwdg", "cr", w->cr, &w->cr);
	sr_sim_state_get_u32(st, "wwdg", "cfr", w->cfr, &w->cfr);
	sr_sim_state_get_u64(st, "wwdg", "part_ns", w->part_ns, &w->part_ns);
	w->last_ns = b->now_ns;
}

void sr_sim_wwdg_save(struct sr_sim_board *b)
{
	struct sr_sim_state *st = b->st;
	if (!b->chip->wwdg_base)
		return;
	sr_sim_wwdg_sync(b, b->now_ns);
	sr_sim_state_set_u32(st, "wwdg", "cr", b->wwdg.cr);
	sr_sim_state_set_u32(st, "wwdg", "cfr", b->wwdg.cfr);
	sr_sim_state_set_u64(st, "wwdg", "part_ns", b->wwdg.part_ns);
}
