/*
 * A test double of the board behind src/sim/board.h and state.h, for the probe
 * model's unit tests only: a little memory, the core debug registers the probe
 * firmware touches, a DP and AP 0, and knobs to inject WAIT, FAULT and silence.
 */
#ifndef SR_TESTS_SIM_FAKE_BOARD_H
#define SR_TESTS_SIM_FAKE_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/board.h"
#include "sim/state.h"

#define FAKE_SRAM_BASE 0x20000000u
#define FAKE_SRAM_SIZE 0x10000u
#define FAKE_IDCODE 0x2BA01477u

struct sr_sim_board {
	struct sr_sim_state *state;
	uint8_t sram[FAKE_SRAM_SIZE];
	uint32_t core_regs[128];
	uint32_t dhcsr, dcrsr, dcrdr, aircr_writes, ctrl_stat, abort_writes, select;
	bool halted, nrst;
	unsigned nrst_edges;
	uint32_t vtarget_mv;
	/* injections */
	bool no_target;          /* every SWD transaction: no ACK */
	unsigned wait_burst;     /* this many WAITs before the next access succeeds */
	uint32_t fault_from;     /* accesses at or above this address FAULT (0: none) */
	bool never_regrdy;
	/* observations */
	uint64_t now_ns;
	unsigned line_resets, saves, mem_calls;
};

/* Write TEXT to a fresh temporary state file whose path goes to PATH (64 bytes). */
void fake_state_file(const char *text, char path[64]);

#endif
