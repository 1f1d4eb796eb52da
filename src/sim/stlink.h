/*
 * The virtual ST-Link: the probe's firmware as the USB host sees it through
 * its bulk endpoints. It decodes 16-byte command blocks and their data phases
 * and drives the virtual board through src/sim/board.h.
 */
#ifndef SR_SIM_STLINK_H
#define SR_SIM_STLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sr_sim_board;
struct sr_sim_stlink;

/* Probe generations; they differ in endpoints, USB speed, limits and commands. */
enum sr_sim_stlink_gen {
	SR_SIM_STLINK_V2 = 0,  /* ST-LINK/V2, PID 0x3748, full speed */
	SR_SIM_STLINK_V2_1,    /* ST-LINK/V2-1 (Nucleo/Discovery), full speed */
	SR_SIM_STLINK_V3,      /* STLINK-V3, high speed */
};

/* Probe modes as GET_CURRENT_MODE reports them (stlink 1.7.0 stlink.h STLINK_DEV_*_MODE). */
enum sr_sim_stlink_mode {
	SR_SIM_MODE_DFU = 0,
	SR_SIM_MODE_MASS = 1,
	SR_SIM_MODE_DEBUG = 2,
	SR_SIM_MODE_SWIM = 3,
	SR_SIM_MODE_BOOTLOADER = 4,
};

/* Who the probe says it is: from the [probe] section of the board state file. */
struct sr_sim_stlink_persona {
	enum sr_sim_stlink_gen gen;
	uint16_t vid, pid;
	uint8_t hw;    /* "V" of the firmware name: 2 or 3 */
	uint8_t jtag;  /* "J": the debug firmware version that gates commands */
	uint8_t swim;  /* "S" */
	uint8_t msd;   /* "M": mass storage firmware */
	uint8_t bridge; /* "B": V3 bridge firmware */
	char firmware[24]; /* e.g. "V2J37M26" */
	char serial[25];   /* 24 characters */
	bool high_speed;   /* USB 2.0 high speed (V3) */
};

/* Counters a benchmark can read; times are virtual nanoseconds. */
struct sr_sim_stlink_stats {
	uint64_t commands;   /* command blocks decoded (transactions) */
	uint64_t refused;    /* commands answered as a real probe refuses them */
	uint64_t swd_bytes;  /* memory bytes moved over the wire */
	uint64_t swd_ns;     /* wire time of SWD traffic */
};

/* Parse a persona from PID, FIRMWARE ("V2J37M26", NULL for the PID's default) and SERIAL. */
int sr_sim_stlink_persona_parse(uint16_t pid, const char *firmware, const char *serial,
				struct sr_sim_stlink_persona *out);

/* Create the probe for board B from the [probe] section of its state. */
int sr_sim_stlink_new(struct sr_sim_board *b, struct sr_sim_stlink **out);
void sr_sim_stlink_free(struct sr_sim_stlink *p);
/* Write the probe's mode (and wedge state) back to the [probe] section. */
void sr_sim_stlink_store(struct sr_sim_stlink *p);

const struct sr_sim_stlink_persona *sr_sim_stlink_persona(const struct sr_sim_stlink *p);
enum sr_sim_stlink_mode sr_sim_stlink_mode(const struct sr_sim_stlink *p);
void sr_sim_stlink_stats(const struct sr_sim_stlink *p, struct sr_sim_stlink_stats *out);

/* Results of one bulk packet exchange on the probe's debug endpoints. */
enum sr_sim_stlink_io {
	SR_SIM_IO_OK = 0,
	SR_SIM_IO_EMPTY,    /* IN: nothing to send; the host times out */
	SR_SIM_IO_STALL,    /* the endpoint is halted until the host clears it */
	SR_SIM_IO_OVERFLOW, /* IN: the probe sent more than the host asked for */
};

/*
 * Bulk OUT on the command endpoint: a 16-byte command block, or the data phase
 * of a WRITEMEM or RW_MISC_OUT that is still waiting for bytes.
 * *COMMAND is set when LEN bytes started a new command.
 */
enum sr_sim_stlink_io sr_sim_stlink_out(struct sr_sim_stlink *p, const uint8_t *buf, size_t len,
					bool *command);
/* Bulk IN on the reply endpoint: up to LEN bytes of the pending reply, packet by packet. */
enum sr_sim_stlink_io sr_sim_stlink_in(struct sr_sim_stlink *p, uint8_t *buf, size_t len,
				       size_t *actual);
/* Bulk IN on the trace (SWO) endpoint. */
enum sr_sim_stlink_io sr_sim_stlink_trace_in(struct sr_sim_stlink *p, uint8_t *buf, size_t len,
					     size_t *actual);
/* CLEAR_FEATURE(ENDPOINT_HALT) on the reply (IN) or command (OUT) endpoint. */
void sr_sim_stlink_clear_halt(struct sr_sim_stlink *p, bool in);
/* Bytes waiting on the reply endpoint. */
size_t sr_sim_stlink_pending(const struct sr_sim_stlink *p);

#endif
