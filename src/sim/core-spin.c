/*
 * Spin loops: code that waits by polling (a flash loader waiting for the debugger
 * to fill its buffer, or for the flash controller's busy bit) costs Unicorn wall
 * time for every virtual microsecond it waits. When the core comes back to the same
 * block with every register as it was, having written nothing in between, it is in a
 * cycle that repeats as long as what it reads does not change. Nothing the core can
 * read changes inside a slice except through the flash controller's operations, the
 * watchdogs (power.c next_event: a slice never runs past them), and the debugger,
 * which acts only between slices. The cycles that cannot change are then counted
 * without being run: the core's registers, the bus and the virtual clock end as if
 * they had been.
 *
 * A cycle that read a peripheral is fast-forwarded no further than the next flash
 * event and SR_SIM_SPIN_CAP_NS, which bounds the lateness of a loop that watches
 * something this reasoning missed (a timer counting down) by that much.
 */
#include "config.h"

#include <string.h>
#include <unicorn/unicorn.h>

#include "sim/sim-internal.h"

#define SPIN_CHECK_EVERY 16   /* compare the registers at every 16th return to the head */
#define SPIN_NEW_HEAD    8    /* blocks without the head before another block is watched */
#define SR_SIM_SPIN_CAP_NS 20000u

static const int core_regs[] = {
	UC_ARM_REG_R0,  UC_ARM_REG_R1,  UC_ARM_REG_R2, UC_ARM_REG_R3,   UC_ARM_REG_R4,
	UC_ARM_REG_R5,  UC_ARM_REG_R6,  UC_ARM_REG_R7, UC_ARM_REG_R8,   UC_ARM_REG_R9,
	UC_ARM_REG_R10, UC_ARM_REG_R11, UC_ARM_REG_R12, UC_ARM_REG_SP,  UC_ARM_REG_LR,
	UC_ARM_REG_XPSR, UC_ARM_REG_CONTROL, UC_ARM_REG_PRIMASK, UC_ARM_REG_BASEPRI,
	UC_ARM_REG_FAULTMASK,
};

/* Every register a cycle could change: the core's, and the FPU's when there is one. */
static int read_state(struct sr_sim_board *b, uint32_t *out)
{
	uc_engine *uc = b->core.uc;
	int n = 0;
	for (size_t i = 0; i < sizeof(core_regs) / sizeof(core_regs[0]); i++)
		uc_reg_read(uc, core_regs[i], &out[n++]);
	if (b->chip->mvfr[0]) {
		for (int r = 0; r < 32; r++)
			uc_reg_read(uc, UC_ARM_REG_S0 + r, &out[n++]);
		uc_reg_read(uc, UC_ARM_REG_FPSCR, &out[n++]);
	}
	return n;
}

/* How far a cycle may be counted without being run, in virtual ns from NOW. */
static uint64_t horizon(struct sr_sim_board *b, uint64_t now, bool read_mmio)
{
	const struct sr_sim_core *c = &b->core;
	uint64_t end = b->now_ns + c->slice_budget;
	if (read_mmio) {
		uint64_t fb = b->fops->busy_until(b);
		if (fb > now && fb < end)
			end = fb;
		if (now + SR_SIM_SPIN_CAP_NS < end)
			end = now + SR_SIM_SPIN_CAP_NS;
	}
	return end > now ? end - now : 0;
}

static void snapshot(struct sr_sim_board *b, uint64_t cycles)
{
	struct sr_sim_spin *s = &b->core.spin;
	s->n_state = read_state(b, s->state);
	s->cycles = cycles;
	s->stall_ns = b->core.slice_stall_ns;
	s->writes = s->reads_mmio = 0;
	s->have = true;
}

/* The core returned to the head: a cycle since the snapshot that changed nothing is
 * counted as many times as it fits before anything it reads may change. */
static void check(struct sr_sim_board *b, uint64_t cycles)
{
	struct sr_sim_core *c = &b->core;
	struct sr_sim_spin *s = &c->spin;
	uint32_t now_state[SR_SIM_SPIN_REGS];
	if (!s->have || s->writes || c->slice_stall_ns != s->stall_ns) {
		snapshot(b, cycles);
		return;
	}
	int n = read_state(b, now_state);
	if (n != s->n_state || memcmp(now_state, s->state, sizeof(uint32_t) * (size_t)n)) {
		snapshot(b, cycles);
		return;
	}
	uint64_t period = cycles - s->cycles;
	uint64_t now = sr_sim_time(b);
	uint64_t room = horizon(b, now, s->reads_mmio != 0);
	uint64_t hz = b->chip->sysclk_hz;
	uint64_t fit = (room / 1000000000ull * hz + room % 1000000000ull * hz / 1000000000ull) /
		       period;
	c->slice_cycles += fit * period;
	s->skipped_cycles += fit * period;
	snapshot(b, cycles + fit * period);
}

void sr_sim_spin_block(struct sr_sim_board *b, uint32_t addr, uint64_t cycles)
{
	struct sr_sim_spin *s = &b->core.spin;
	if (addr != s->head) {
		if (++s->others > SPIN_NEW_HEAD) {
			s->head = addr;
			s->others = s->visits = 0;
			s->have = false;
		}
		return;
	}
	s->others = 0;
	if (++s->visits % SPIN_CHECK_EVERY == 0)
		check(b, cycles);
}

uint64_t sr_sim_spin_skipped(const struct sr_sim_board *b)
{
	return b->core.spin.skipped_cycles;
}

void sr_sim_spin_reset(struct sr_sim_board *b)
{
	struct sr_sim_spin *s = &b->core.spin;
	uint64_t skipped = s->skipped_cycles;
	memset(s, 0, sizeof(*s));
	s->head = UINT32_MAX;
	s->skipped_cycles = skipped;
}
