/*
 * Inside the virtual ST-Link: the probe state shared by stlink.c (dispatch,
 * modes, versions), stlink-cmd.c (debug commands) and stlink-mem.c (memory
 * transfers, R/W status, RW_MISC batches).
 *
 * Protocol facts come from the ST-Link command definitions in stlink 1.7.0
 * (src/stlink-lib/commands.h, usb.c), openocd 0.12 (src/jtag/drivers/stlink_usb.c)
 * and pyOCD 0.13 (pyocd/probe/stlink/constants.py), summarised in
 * shared/reference/STLINK-PROTOCOL.md section 5.
 */
#ifndef SR_SIM_STLINK_INTERNAL_H
#define SR_SIM_STLINK_INTERNAL_H

#include "sim/board.h"
#include "sim/stlink.h"

/* Top-level command bytes (byte 0 of the block). */
#define STL_GET_VERSION 0xF1
#define STL_DEBUG_COMMAND 0xF2
#define STL_DFU_COMMAND 0xF3
#define STL_SWIM_COMMAND 0xF4
#define STL_GET_CURRENT_MODE 0xF5
#define STL_GET_TARGET_VOLTAGE 0xF7
#define STL_APIV3_GET_VERSION_EX 0xFB
#define STL_DFU_EXIT 0x07
#define STL_SWIM_ENTER 0x00
#define STL_SWIM_EXIT 0x01

/* Status bytes (reference section 5.2; pyOCD constants.py Status). */
#define STL_OK 0x80
#define STL_ERR_FAULT 0x81
#define STL_UNKNOWN_ERROR 0x01
#define STL_CMD_ERROR 0x08
#define STL_GET_IDCODE_ERROR 0x09
#define STL_ALIGNMENT_ERROR 0x0a
#define STL_WRITE_ERROR 0x0c
#define STL_SWD_AP_WAIT 0x10
#define STL_SWD_AP_FAULT 0x11
#define STL_SWD_AP_ERROR 0x12
#define STL_SWD_DP_WAIT 0x14
#define STL_SWD_DP_FAULT 0x15
#define STL_SWD_DP_ERROR 0x16
#define STL_BAD_AP_ERROR 0x1d
#define STL_FREQ_NOT_SUPPORTED 0x41
#define STL_UNKNOWN_CMD 0x42

/* Probe buffer: the largest READMEM_16/32 (openocd STLINK_DATA_SIZE; stlink common.c:2236). */
#define STL_DATA_SIZE 6144
/* RW_MISC batch limits (openocd STLINK_V2_RW_MISC_SIZE / STLINK_V3_RW_MISC_SIZE). */
#define STL_V2_RW_MISC_MAX 64
#define STL_V3_RW_MISC_MAX 1227
/* Cortex-M debug registers the firmware uses itself (ARMv7-M ARM C1.6). */
#define STL_DHCSR 0xE000EDF0u
#define STL_DCRSR 0xE000EDF4u
#define STL_DCRDR 0xE000EDF8u
#define STL_AIRCR 0xE000ED0Cu
#define STL_DHCSR_S_REGRDY (1u << 16)
#define STL_DCRSR_REGWNR (1u << 16)
#define STL_AIRCR_SYSRESETREQ 0x05FA0004u
#define STL_DBGKEY 0xA05F0000u

/* Which side of the DAP an SWD transaction addressed; the status byte depends on it. */
enum stl_port { STL_PORT_DP, STL_PORT_AP };

/* A data phase still owed by the host after a WRITEMEM or RW_MISC_OUT block. */
struct stl_dphase {
	uint8_t cmd[16];
	uint32_t need, have;
	uint8_t *buf;
};

struct sr_sim_stlink {
	struct sr_sim_board *board;
	struct sr_sim_stlink_persona persona;
	enum sr_sim_stlink_mode mode;
	bool wedged;         /* V3 firmware locked up: no more replies until power cycle */
	bool in_halted, out_halted;
	struct stl_dphase dphase;
	/* Pending reply for the IN endpoint. */
	uint8_t *in;
	size_t in_len, in_off, in_cap;
	/* Last memory transfer (GETLASTRWSTATUS/2). */
	uint8_t rw_status;
	uint32_t rw_fault;
	/* SWD link */
	uint32_t swd_khz;
	uint32_t open_aps[8]; /* bitmap of APs opened with INIT_AP (256 APs) */
	unsigned wait_retries;
	/* RW_MISC results waiting for RW_MISC_IN: n results then n status words. */
	uint8_t *misc;
	uint32_t misc_items;
	bool trace_on;
	struct sr_sim_stlink_stats stats;
};

/* One debug (0xF2 xx) command: its gate and its handler. */
struct stl_cmd {
	uint8_t op;
	const char *name;
	uint8_t min_v2; /* lowest V2 J-version that knows it; 0xFF: never */
	uint8_t min_v3; /* lowest V3 J-version that knows it; 0xFF: never */
	bool debug_only; /* needs debug mode */
	/* Handle block C; queue the reply, if any, with stl_reply(). */
	void (*run)(struct sr_sim_stlink *p, const uint8_t *c);
};

/* stlink.c */
uint8_t stl_ack_status(enum sr_sim_ack ack, enum stl_port port);
void stl_reply(struct sr_sim_stlink *p, const uint8_t *buf, size_t len);
/* A two-byte status reply. */
void stl_reply_status(struct sr_sim_stlink *p, uint8_t status);
/* Log a refusal and count it. */
void stl_refuse(struct sr_sim_stlink *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Expect LEN more bytes on the OUT endpoint for command block C. */
void stl_expect_data(struct sr_sim_stlink *p, const uint8_t *c, uint32_t len);
bool stl_is_v3(const struct sr_sim_stlink *p);
void stl_swd_time(struct sr_sim_stlink *p, uint32_t bytes, unsigned accesses);
bool stl_ap_usable(const struct sr_sim_stlink *p, uint8_t ap);
uint32_t stl_le32(const uint8_t *b);
uint16_t stl_le16(const uint8_t *b);
void stl_put32(uint8_t *b, uint32_t v);

/* stlink-cmd.c */
const struct stl_cmd *stl_debug_cmd(uint8_t op);
enum sr_sim_ack stl_mem32_rd(struct sr_sim_stlink *p, uint8_t ap, uint32_t addr, uint32_t *v);
enum sr_sim_ack stl_mem32_wr(struct sr_sim_stlink *p, uint8_t ap, uint32_t addr, uint32_t v);

/* stlink-mem.c: handlers referenced from the command table */
void stl_readmem(struct sr_sim_stlink *p, const uint8_t *c);
void stl_writemem(struct sr_sim_stlink *p, const uint8_t *c);
void stl_lastrw(struct sr_sim_stlink *p, const uint8_t *c);
void stl_lastrw2(struct sr_sim_stlink *p, const uint8_t *c);
void stl_misc_out(struct sr_sim_stlink *p, const uint8_t *c);
void stl_misc_in(struct sr_sim_stlink *p, const uint8_t *c);
/* The data phase of a WRITEMEM or RW_MISC_OUT is complete: carry it out. */
void stl_dphase_done(struct sr_sim_stlink *p);

#endif
