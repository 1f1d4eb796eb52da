/*
 * Peripherals the debug clients and the diagnoses touch: RCC reset flags and
 * clock enables (RM0390 6.3; RM0433 8.7), DBGMCU (RM0390 33.16; RM0433 60.5.8)
 * and the independent watchdog (RM0390 19; IWDG1, RM0433 45). Which bits and
 * registers a chip has comes from chipdef (families/ [bits RCC_CSR], dbgreg; F1:
 * RM0008 7.3.10, 31.16.3; L4: RM0351 6.4.29, 48.16; G4: RM0440 7.4, 47.16). The
 * window watchdog is wwdg.c.
 */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

/* LSION and LSIRDY: RCC_CSR bits 0 and 1 on F1/F4/F7 (RM0008 7.3.10, RM0390 6.3.21,
 * RM0385 5.3.21), L4/G4 (RM0351 6.4.29) and H7 (RM0433 8.7, RCC_CSR); the reset flags
 * are the chip's (struct sr_sim_rstflags). */
#define CSR_LSION   (1u << 0)
#define CSR_LSIRDY  (1u << 1)

/* IWDG keys, RM0390 19.4.1 */
#define IWDG_KEY_START  0xCCCCu
#define IWDG_KEY_RELOAD 0xAAAAu
#define IWDG_KEY_ACCESS 0x5555u

static uint64_t iwdg_period_ns(const struct sr_sim_board *b)
{
	/* Prescaler 4 << PR (PR 6 and 7 both /256), counter from RLR, RM0390 19.4.2-19.4.3 */
	unsigned pr = b->iwdg.pr > 6 ? 6 : b->iwdg.pr;
	uint64_t ticks = (uint64_t)(b->iwdg.rlr + 1) * (4u << pr);
	return ticks * 1000000000ull / b->chip->lsi_hz;
}

/* Index of the kept DBGMCU register at ADDR, or -1. */
static int dbgreg_index(const struct sr_sim_board *b, uint32_t addr)
{
	for (int i = 0; i < b->chip->n_dbgreg; i++)
		if (b->chip->dbgreg[i].addr == addr)
			return i;
	return -1;
}

uint32_t sr_sim_dbgmcu_reg(const struct sr_sim_board *b, uint32_t addr)
{
	int i = dbgreg_index(b, addr);
	return i < 0 ? 0 : b->dbgmcu[i];
}

bool sr_sim_iwdg_frozen(const struct sr_sim_board *b)
{
	uint32_t fz = sr_sim_dbgmcu_reg(b, b->chip->iwdg_freeze_addr);
	bool stop_bit = (fz >> b->chip->iwdg_freeze_bit) & 1;
	/* DBG_IWDG_STOP: the counter stops while the core is halted (RM0390 33.16.4) */
	if (stop_bit && b->core.run == SR_SIM_HALTED)
		return true;
	/* Firmware that feeds its watchdog keeps it from expiring (state [firmware]). */
	return b->core.fw_running && b->fw_feeds_iwdg && !b->core.in_reset;
}

void sr_sim_iwdg_sync(struct sr_sim_board *b, uint64_t now)
{
	struct sr_sim_iwdg *w = &b->iwdg;
	if (now < w->last_ns)
		return;
	if (w->running && !sr_sim_iwdg_frozen(b)) {
		uint64_t d = now - w->last_ns;
		w->remaining_ns = d >= w->remaining_ns ? 0 : w->remaining_ns - d;
	}
	w->last_ns = now;
}

uint64_t sr_sim_iwdg_expiry(const struct sr_sim_board *b)
{
	if (!b->iwdg.running || sr_sim_iwdg_frozen(b))
		return UINT64_MAX;
	return b->iwdg.last_ns + b->iwdg.remaining_ns;
}

/* Where LSION/LSIRDY are kept: in the reset-flags register (F4) or apart (H7). */
static uint32_t *lsi_reg(struct sr_sim_board *b)
{
	return b->chip->lsi_csr == b->chip->rcc_csr ? &b->rcc_csr : &b->rcc_lsi;
}

static void iwdg_start(struct sr_sim_board *b)
{
	b->iwdg.running = true;
	b->iwdg.remaining_ns = iwdg_period_ns(b);
	b->iwdg.last_ns = sr_sim_time(b);
	*lsi_reg(b) |= CSR_LSION | CSR_LSIRDY; /* the IWDG forces LSI on, RM0390 19.3.2 */
}

static void iwdg_write(struct sr_sim_board *b, uint32_t off, uint32_t val)
{
	struct sr_sim_iwdg *w = &b->iwdg;
	sr_sim_iwdg_sync(b, sr_sim_time(b));
	switch (off) {
	case 0x0: /* KR */
		val &= 0xFFFF;
		w->access = val == IWDG_KEY_ACCESS;
		if (val == IWDG_KEY_START && !w->running)
			iwdg_start(b);
		else if (val == IWDG_KEY_RELOAD && w->running)
			w->remaining_ns = iwdg_period_ns(b);
		break;
	case 0x4: /* PR, writable after 0x5555 only (RM0390 19.4.2) */
		if (w->access)
			w->pr = val & 7;
		break;
	case 0x8: /* RLR (RM0390 19.4.3) */
		if (w->access)
			w->rlr = val & 0xFFF;
		break;
	default:
		break; /* SR is read-only; PVU/RVU are not modelled (updates take effect at once) */
	}
}

static uint32_t iwdg_read(const struct sr_sim_board *b, uint32_t off)
{
	switch (off) {
	case 0x4:
		return b->iwdg.pr;
	case 0x8:
		return b->iwdg.rlr;
	default:
		return 0; /* KR is write-only; SR reads 0 (no update in progress) */
	}
}

/* DBGMCU_IDCODE: REV_ID, the reserved bits 15:12 as the part reads them, DEV_ID
 * (RM0390 33.6.1; RM0433 60.5.8). */
static uint32_t dbgmcu_get(const struct sr_sim_board *b, uint32_t addr)
{
	const struct sr_sim_chipdef *c = b->chip;
	if (addr == c->idcode_addr)
		return (uint32_t)c->rev_id << 16 | (uint32_t)c->idcode_res << 12 | c->dev_id;
	return sr_sim_dbgmcu_reg(b, addr);
}

static void dbgmcu_set(struct sr_sim_board *b, uint32_t addr, uint32_t val)
{
	int i = dbgreg_index(b, addr);
	if (i < 0)
		return; /* IDCODE is read-only; reserved addresses ignore writes */
	sr_sim_iwdg_sync(b, sr_sim_time(b)); /* a freeze bit may change */
	sr_sim_wwdg_sync(b, sr_sim_time(b));
	b->dbgmcu[i] = val & b->chip->dbgreg[i].mask;
}

/* DBGMCU_IDCODE and the DBGMCU registers the model keeps (others: kept as written). */
static bool is_dbgmcu(const struct sr_sim_board *b, uint32_t a)
{
	return a == b->chip->idcode_addr || dbgreg_index(b, a) >= 0;
}

static uint32_t lanes_out(uint32_t w, uint32_t addr, unsigned size)
{
	w >>= 8 * (addr & 3);
	return size == 4 ? w : w & ((1u << (8 * size)) - 1);
}

static uint32_t lanes_in(uint32_t old, uint32_t addr, unsigned size, uint32_t val)
{
	unsigned sh = 8 * (addr & 3);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1)) << sh;
	return (old & ~mask) | ((val << sh) & mask);
}

/* LSION written; LSIRDY follows (the IWDG keeps the LSI on, RM0390 19.3.2). */
static void lsi_write(struct sr_sim_board *b, uint32_t v)
{
	uint32_t *r = lsi_reg(b);
	*r = (*r & ~CSR_LSION) | (v & CSR_LSION);
	if (*r & CSR_LSION)
		*r |= CSR_LSIRDY;
	else if (!b->iwdg.running)
		*r &= ~CSR_LSIRDY;
}

/* The reset-flags register (RCC_CSR on F4, RCC_RSR on H7): RMVF clears the flags,
 * RM0390 6.3.21, RM0433 8.7.39. On F4 it also holds LSION/LSIRDY. */
static void rcc_csr_write(struct sr_sim_board *b, uint32_t v)
{
	if (b->chip->lsi_csr == b->chip->rcc_csr)
		lsi_write(b, v);
	if (v & b->chip->rst.rmvf)
		b->rcc_csr &= ~b->chip->rst.all;
}

int sr_sim_periph_read(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t *val,
		       bool *handled)
{
	const struct sr_sim_chipdef *c = b->chip;
	uint32_t a = addr & ~3u, w;
	*handled = true;
	if (is_dbgmcu(b, a))
		w = dbgmcu_get(b, a);
	else if (sr_sim_wwdg_owns(b, a))
		w = sr_sim_wwdg_read(b, a);
	else if (a >= c->iwdg_base && a < c->iwdg_base + 0x10)
		w = iwdg_read(b, a - c->iwdg_base);
	else if (a == c->rcc_csr)
		w = b->rcc_csr;
	else if (a == c->lsi_csr)
		w = b->rcc_lsi;
	else if (a == c->rcc_ahb1enr)
		w = b->rcc_ahb1enr;
	else {
		*handled = false;
		return SR_SIM_BUS_OK;
	}
	*val = lanes_out(w, addr, size);
	return SR_SIM_BUS_OK;
}

int sr_sim_periph_write(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t val,
			bool *handled)
{
	const struct sr_sim_chipdef *c = b->chip;
	uint32_t a = addr & ~3u;
	*handled = true;
	if (is_dbgmcu(b, a)) {
		dbgmcu_set(b, a, lanes_in(dbgmcu_get(b, a), addr, size, val));
	} else if (sr_sim_wwdg_owns(b, a)) {
		sr_sim_wwdg_write(b, a, lanes_in(sr_sim_wwdg_read(b, a), addr, size, val));
	} else if (a >= c->iwdg_base && a < c->iwdg_base + 0x10) {
		iwdg_write(b, a - c->iwdg_base, lanes_in(0, addr, size, val));
	} else if (a == c->rcc_csr) {
		rcc_csr_write(b, lanes_in(b->rcc_csr, addr, size, val));
	} else if (a == c->lsi_csr) {
		lsi_write(b, lanes_in(b->rcc_lsi, addr, size, val));
	} else if (a == c->rcc_ahb1enr) {
		b->rcc_ahb1enr = lanes_in(b->rcc_ahb1enr, addr, size, val);
	} else {
		*handled = false;
	}
	return SR_SIM_BUS_OK;
}

/* Reset of the peripherals for CAUSE; reset flags per RM0390 6.1, 6.3.21, RM0351 6.1,
 * 6.4.29 and RM0433 8.4 (which flags a cause sets comes from chipdef). */
void sr_sim_periph_reset(struct sr_sim_board *b, enum sr_sim_reset_cause cause)
{
	const struct sr_sim_rstflags *r = &b->chip->rst;
	if (cause == SR_SIM_RESET_POR) {
		/* POR, pin and (where the chip has it) BOR flags: RCC_CSR resets to 0x0E000000
		 * on F4/F7 (RM0390 6.3.21), 0x0C000000 on F1 (RM0008 7.3.10), 0x0C000600 on
		 * the L476 with MSISRANGE 6 (RM0351 6.4.29). */
		b->rcc_csr = r->por | b->chip->rcc_csr_reset;
		memset(b->dbgmcu, 0, sizeof(b->dbgmcu)); /* POR only, RM0390 33.16, RM0433 60.5.8 */
	} else {
		*lsi_reg(b) &= ~(CSR_LSION | CSR_LSIRDY);
		b->rcc_csr |= b->chip->rcc_csr_reset;
		/* Every system reset drives NRST low, so PINRSTF is set too (RM0390 6.1.2,
		 * RM0008 7.1.2 figure 4); on H7 CPURSTF also (RM0433 8.4). */
		b->rcc_csr |= r->any;
		if (cause == SR_SIM_RESET_SOFT)
			b->rcc_csr |= r->soft;
		if (cause == SR_SIM_RESET_IWDG)
			b->rcc_csr |= r->iwdg;
		if (cause == SR_SIM_RESET_WWDG)
			b->rcc_csr |= r->wwdg;
		if (cause == SR_SIM_RESET_OBL)
			b->rcc_csr |= r->obl; /* option-byte load, RM0351 6.4.29 */
	}
	if (b->chip->lsi_csr != b->chip->rcc_csr)
		b->rcc_lsi &= ~(CSR_LSION | CSR_LSIRDY);
	b->rcc_ahb1enr = b->chip->rcc_ahb1enr_reset;
	sr_sim_regfile_clear(b->regs);
	b->iwdg = (struct sr_sim_iwdg){.rlr = 0xFFF, .last_ns = sr_sim_time(b)};
	/* Hardware watchdog option: the IWDG starts by itself at reset (RM0390 19.3.2). */
	if (b->fops->iwdg_hw(b))
		iwdg_start(b);
	sr_sim_wwdg_reset(b);
}

void sr_sim_periph_load(struct sr_sim_board *b)
{
	struct sr_sim_state *st = b->st;
	const struct sr_sim_chipdef *c = b->chip;
	bool run = b->iwdg.running;
	sr_sim_state_get_u32(st, "rcc", "csr", b->rcc_csr, &b->rcc_csr);
	if (c->lsi_csr != c->rcc_csr)
		sr_sim_state_get_u32(st, "rcc", "lsi_csr", b->rcc_lsi, &b->rcc_lsi);
	sr_sim_state_get_u32(st, "rcc", "ahb1enr", b->rcc_ahb1enr, &b->rcc_ahb1enr);
	for (int i = 0; i < c->n_dbgreg; i++)
		sr_sim_state_get_u32(st, "dbgmcu", c->dbgreg[i].name, 0, &b->dbgmcu[i]);
	sr_sim_state_get_bool(st, "iwdg", "running", run, &b->iwdg.running);
	sr_sim_state_get_u32(st, "iwdg", "pr", b->iwdg.pr, &b->iwdg.pr);
	sr_sim_state_get_u32(st, "iwdg", "rlr", b->iwdg.rlr, &b->iwdg.rlr);
	sr_sim_state_get_u64(st, "iwdg", "remaining_ns", b->iwdg.remaining_ns,
			     &b->iwdg.remaining_ns);
	b->iwdg.last_ns = b->now_ns;
	sr_sim_wwdg_load(b);
	sr_sim_regfile_load(b);
}

void sr_sim_periph_save(struct sr_sim_board *b)
{
	struct sr_sim_state *st = b->st;
	const struct sr_sim_chipdef *c = b->chip;
	sr_sim_iwdg_sync(b, b->now_ns);
	sr_sim_state_set_u32(st, "rcc", "csr", b->rcc_csr);
	if (c->lsi_csr != c->rcc_csr)
		sr_sim_state_set_u32(st, "rcc", "lsi_csr", b->rcc_lsi);
	sr_sim_state_set_u32(st, "rcc", "ahb1enr", b->rcc_ahb1enr);
	for (int i = 0; i < c->n_dbgreg; i++)
		sr_sim_state_set_u32(st, "dbgmcu", c->dbgreg[i].name, b->dbgmcu[i]);
	sr_sim_state_set_bool(st, "iwdg", "running", b->iwdg.running);
	sr_sim_state_set_u32(st, "iwdg", "pr", b->iwdg.pr);
	sr_sim_state_set_u32(st, "iwdg", "rlr", b->iwdg.rlr);
	sr_sim_state_set_u64(st, "iwdg", "remaining_ns", b->iwdg.remaining_ns);
	sr_sim_wwdg_save(b);
	sr_sim_regfile_save(b);
}
