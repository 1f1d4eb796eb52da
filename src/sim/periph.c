/*
 * Peripherals the debug clients and the diagnoses touch: RCC reset flags and
 * clock enables (RM0390 6.3), DBGMCU (RM0390 33.16) and the independent
 * watchdog (RM0390 19). Register addresses, writable DBGMCU bits and the RCC_CSR
 * flag positions come from the chip definition (F1: RM0008 7.3.10, 31.16.3; L4:
 * RM0351 6.4.29, 48.16; G4: RM0440 7.4, 47.16), which share these blocks.
 */
#include "config.h"

#include "common/error.h"
#include "common/log.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

/* RCC_CSR LSI control, the same on F1/F4/F7/L4/G4 (RM0390 6.3.21, RM0008 7.3.10,
 * RM0351 6.4.29); the reset flags are the chip's (struct sr_sim_chipdef csr_*), all
 * of them above RMVF. */
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

/* The DBGMCU register at ADDR as written (IDCODE aside), 0 for none. */
uint32_t sr_sim_dbgmcu_value(const struct sr_sim_board *b, uint32_t addr)
{
	const struct sr_sim_chipdef *c = b->chip;
	if (addr == c->dbgmcu_cr)
		return b->dbgmcu_cr;
	if (c->apb1_fz && addr == c->apb1_fz)
		return b->dbgmcu_apb1_fz;
	if (c->apb2_fz && addr == c->apb2_fz)
		return b->dbgmcu_apb2_fz;
	if (c->apb1_fz2 && addr == c->apb1_fz2)
		return b->dbgmcu_apb1_fz2;
	return 0;
}

bool sr_sim_iwdg_frozen(const struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *c = b->chip;
	bool stop_bit = (sr_sim_dbgmcu_value(b, c->iwdg_freeze_addr) >> c->iwdg_freeze_bit) & 1;
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

static void iwdg_start(struct sr_sim_board *b)
{
	b->iwdg.running = true;
	b->iwdg.remaining_ns = iwdg_period_ns(b);
	b->iwdg.last_ns = sr_sim_time(b);
	b->rcc_csr |= CSR_LSION | CSR_LSIRDY; /* the IWDG forces LSI on, RM0390 19.3.2 */
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

static uint32_t dbgmcu_read(const struct sr_sim_board *b, uint32_t addr)
{
	const struct sr_sim_chipdef *c = b->chip;
	if (addr == c->idcode_addr)
		return (uint32_t)c->rev_id << 16 | c->dev_id; /* RM0390 33.6.1 */
	return sr_sim_dbgmcu_value(b, addr);
}

static void dbgmcu_write(struct sr_sim_board *b, uint32_t addr, uint32_t val)
{
	const struct sr_sim_chipdef *c = b->chip;
	sr_sim_iwdg_sync(b, sr_sim_time(b)); /* a freeze bit may change */
	sr_sim_wwdg_sync(b, sr_sim_time(b));
	if (addr == c->dbgmcu_cr)
		b->dbgmcu_cr = val & c->dbgmcu_cr_bits;
	else if (c->apb1_fz && addr == c->apb1_fz)
		b->dbgmcu_apb1_fz = val & c->apb1_fz_bits;
	else if (c->apb2_fz && addr == c->apb2_fz)
		b->dbgmcu_apb2_fz = val & c->apb2_fz_bits;
	else if (c->apb1_fz2 && addr == c->apb1_fz2)
		b->dbgmcu_apb1_fz2 = val & c->apb1_fz2_bits;
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

/* The DBGMCU block: IDCODE up to the last freeze register (RM0390 33.16, RM0008 31.16). */
static bool is_dbgmcu(const struct sr_sim_chipdef *c, uint32_t a)
{
	uint32_t last = c->apb2_fz ? c->apb2_fz : c->apb1_fz ? c->apb1_fz : c->dbgmcu_cr;
	return a >= c->idcode_addr && a <= last;
}

int sr_sim_periph_read(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t *val,
		       bool *handled)
{
	const struct sr_sim_chipdef *c = b->chip;
	uint32_t a = addr & ~3u, w;
	*handled = true;
	if (is_dbgmcu(c, a))
		w = dbgmcu_read(b, a);
	else if (sr_sim_wwdg_owns(b, a))
		w = sr_sim_wwdg_read(b, a);
	else if (a >= c->iwdg_base && a < c->iwdg_base + 0x10)
		w = iwdg_read(b, a - c->iwdg_base);
	else if (a == c->rcc_csr)
		w = b->rcc_csr;
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
	if (is_dbgmcu(c, a)) {
		dbgmcu_write(b, a, lanes_in(dbgmcu_read(b, a), addr, size, val));
	} else if (sr_sim_wwdg_owns(b, a)) {
		sr_sim_wwdg_write(b, a, lanes_in(sr_sim_wwdg_read(b, a), addr, size, val));
	} else if (a >= c->iwdg_base && a < c->iwdg_base + 0x10) {
		iwdg_write(b, a - c->iwdg_base, lanes_in(0, addr, size, val));
	} else if (a == c->rcc_csr) {
		uint32_t v = lanes_in(b->rcc_csr, addr, size, val);
		b->rcc_csr = (b->rcc_csr & ~CSR_LSION) | (v & CSR_LSION);
		if (b->rcc_csr & CSR_LSION)
			b->rcc_csr |= CSR_LSIRDY;
		else if (!b->iwdg.running)
			b->rcc_csr &= ~CSR_LSIRDY;
		if (v & c->csr_rmvf) /* RMVF clears the reset flags above it, RM0390 6.3.21,
				      * RM0008 7.3.10, RM0351 6.4.29 */
			b->rcc_csr &= (c->csr_rmvf << 1) - 1;
	} else if (a == c->rcc_ahb1enr) {
		b->rcc_ahb1enr = lanes_in(b->rcc_ahb1enr, addr, size, val);
	} else {
		*handled = false;
	}
	return SR_SIM_BUS_OK;
}

/* Reset of the peripherals for CAUSE; RCC_CSR flags per RM0390 6.1 and 6.3.21,
 * RM0351 6.1 and 6.4.29 (OBLRSTF for an option-byte load). */
void sr_sim_periph_reset(struct sr_sim_board *b, enum sr_sim_reset_cause cause)
{
	const struct sr_sim_chipdef *c = b->chip;
	if (cause == SR_SIM_RESET_POR) {
		/* Reset value: POR, pin and (where the chip has it) BOR flags: 0x0E000000 on
		 * F4/F7 (RM0390 6.3.21), 0x0C000000 on F1 (RM0008 7.3.10), 0x0C000600 on the
		 * L476 with MSISRANGE 6 (RM0351 6.4.29). */
		b->rcc_csr = c->csr_porrst | c->csr_pinrst | c->csr_borrst | c->rcc_csr_reset;
		b->dbgmcu_cr = b->dbgmcu_apb1_fz = b->dbgmcu_apb2_fz = 0; /* POR only, 33.16 */
		b->dbgmcu_apb1_fz2 = 0;
	} else {
		b->rcc_csr &= ~(CSR_LSION | CSR_LSIRDY);
		b->rcc_csr |= c->rcc_csr_reset;
		/* Every system reset drives NRST low, so PINRSTF is set too (RM0390 6.1.2,
		 * RM0008 7.1.2 figure 4). */
		b->rcc_csr |= c->csr_pinrst;
		if (cause == SR_SIM_RESET_SOFT)
			b->rcc_csr |= c->csr_sftrst;
		if (cause == SR_SIM_RESET_IWDG)
			b->rcc_csr |= c->csr_iwdgrst;
		if (cause == SR_SIM_RESET_WWDG)
			b->rcc_csr |= c->csr_wwdgrst;
		if (cause == SR_SIM_RESET_OBL)
			b->rcc_csr |= c->csr_oblrst; /* option-byte load, RM0351 6.4.29 */
	}
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
	bool run = b->iwdg.running;
	sr_sim_state_get_u32(st, "rcc", "csr", b->rcc_csr, &b->rcc_csr);
	sr_sim_state_get_u32(st, "rcc", "ahb1enr", b->rcc_ahb1enr, &b->rcc_ahb1enr);
	sr_sim_state_get_u32(st, "dbgmcu", "cr", 0, &b->dbgmcu_cr);
	sr_sim_state_get_u32(st, "dbgmcu", "apb1_fz", 0, &b->dbgmcu_apb1_fz);
	sr_sim_state_get_u32(st, "dbgmcu", "apb2_fz", 0, &b->dbgmcu_apb2_fz);
	sr_sim_state_get_u32(st, "dbgmcu", "apb1_fz2", 0, &b->dbgmcu_apb1_fz2);
	sr_sim_state_get_bool(st, "iwdg", "running", run, &b->iwdg.running);
	sr_sim_state_get_u32(st, "iwdg", "pr", b->iwdg.pr, &b->iwdg.pr);
	sr_sim_state_get_u32(st, "iwdg", "rlr", b->iwdg.rlr, &b->iwdg.rlr);
	sr_sim_state_get_u64(st, "iwdg", "remaining_ns", b->iwdg.remaining_ns,
			     &b->iwdg.remaining_ns);
	b->iwdg.last_ns = b->now_ns;
	sr_sim_wwdg_load(b);
}

void sr_sim_periph_save(struct sr_sim_board *b)
{
	struct sr_sim_state *st = b->st;
	sr_sim_iwdg_sync(b, b->now_ns);
	sr_sim_state_set_u32(st, "rcc", "csr", b->rcc_csr);
	sr_sim_state_set_u32(st, "rcc", "ahb1enr", b->rcc_ahb1enr);
	sr_sim_state_set_u32(st, "dbgmcu", "cr", b->dbgmcu_cr);
	sr_sim_state_set_u32(st, "dbgmcu", "apb1_fz", b->dbgmcu_apb1_fz);
	sr_sim_state_set_u32(st, "dbgmcu", "apb2_fz", b->dbgmcu_apb2_fz);
	if (b->chip->apb1_fz2)
		sr_sim_state_set_u32(st, "dbgmcu", "apb1_fz2", b->dbgmcu_apb1_fz2);
	sr_sim_state_set_bool(st, "iwdg", "running", b->iwdg.running);
	sr_sim_state_set_u32(st, "iwdg", "pr", b->iwdg.pr);
	sr_sim_state_set_u32(st, "iwdg", "rlr", b->iwdg.rlr);
	sr_sim_state_set_u64(st, "iwdg", "remaining_ns", b->iwdg.remaining_ns);
	sr_sim_wwdg_save(b);
}
