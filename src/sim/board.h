/*
 * The virtual board as the virtual probe sees it: target power, NRST, the SWD
 * wire (DP and AP registers) and the virtual clock. Everything behind it (the
 * Unicorn core, the debug registers, the flash controller, the option bytes,
 * the persistent state file) is the chip model; everything in front of it (USB
 * descriptors, ST-Link command blocks) is the probe model.
 */
#ifndef SR_SIM_BOARD_H
#define SR_SIM_BOARD_H

#include <stdbool.h>
#include <stdint.h>

struct sr_sim_board;
struct sr_sim_state;

/* SWD acknowledge of one DP/AP transaction (ADIv5 4.2, "ACK"). */
enum sr_sim_ack {
	SR_SIM_ACK_OK = 1,
	SR_SIM_ACK_WAIT = 2,
	SR_SIM_ACK_FAULT = 4,
	SR_SIM_ACK_NONE = 7, /* no target answer: lines float high */
};

/* Open the board described by the state file PATH (see src/sim/STATE.md). */
int sr_sim_board_open(const char *state_path, struct sr_sim_board **out);
/* Write the board's state (flash, option bytes, sticky flags, probe mode) back to its file. */
int sr_sim_board_save(struct sr_sim_board *b);
/* Save and free. */
void sr_sim_board_close(struct sr_sim_board *b);

/* The parsed state file, so the probe model can read and update its [probe] section. */
struct sr_sim_state *sr_sim_board_state(struct sr_sim_board *b);

/* Electrical side. */
uint32_t sr_sim_board_vtarget_mv(struct sr_sim_board *b);
void sr_sim_board_nrst(struct sr_sim_board *b, bool asserted);

/* SWD: line reset + JTAG-to-SWD sequence; afterwards DP IDCODE can be read. */
enum sr_sim_ack sr_sim_swd_line_reset(struct sr_sim_board *b);
enum sr_sim_ack sr_sim_dp_read(struct sr_sim_board *b, uint8_t reg, uint32_t *val);
enum sr_sim_ack sr_sim_dp_write(struct sr_sim_board *b, uint8_t reg, uint32_t val);
enum sr_sim_ack sr_sim_ap_read(struct sr_sim_board *b, uint8_t ap, uint8_t reg, uint32_t *val);
enum sr_sim_ack sr_sim_ap_write(struct sr_sim_board *b, uint8_t ap, uint8_t reg, uint32_t val);

/*
 * MEM-AP transfers as an ST-Link's firmware performs them for READMEM/WRITEMEM:
 * WIDTH 1, 2 or 4, auto-increment, stopping at the first faulting access whose
 * address is stored in *FAULT_ADDR. Returns the ack of the failing access.
 */
enum sr_sim_ack sr_sim_mem_read(struct sr_sim_board *b, uint8_t ap, uint32_t addr, unsigned width,
				uint8_t *buf, uint32_t len, uint32_t *fault_addr);
enum sr_sim_ack sr_sim_mem_write(struct sr_sim_board *b, uint8_t ap, uint32_t addr,
				 unsigned width, const uint8_t *buf, uint32_t len,
				 uint32_t *fault_addr);

/* Virtual clock: let NS nanoseconds pass (a running core executes, flash BSY counts down). */
void sr_sim_advance(struct sr_sim_board *b, uint64_t ns);
uint64_t sr_sim_now_ns(const struct sr_sim_board *b);
/* Core cycles counted without being run since the board was opened: spin loops whose
 * next turns could change nothing (src/sim/core-spin.c). */
uint64_t sr_sim_spin_skipped(const struct sr_sim_board *b);

/*
 * Additions of the chip side (src/sim/STATE.md has the file format).
 */

/* Write a factory-fresh board for CHIP ("stm32f446", a [part] of families/) to the
 * state file PATH and its memory image beside it: erased flash and OTP, factory
 * option bytes. */
int sr_sim_board_create(const char *chip, const char *path);
/* Change the target supply: 0 powers the board off; rising from below 1.7 V is a power-on reset. */
void sr_sim_board_set_power(struct sr_sim_board *b, uint32_t mv);
/* SWD transactions (line resets, DP/AP accesses, MEM-AP units) since the board was created. */
uint64_t sr_sim_swd_transactions(const struct sr_sim_board *b);

#endif
