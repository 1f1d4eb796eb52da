/*
 * ST-Link driver: versions and features gated by firmware, modes and their
 * recovery, SWD entry and clock, memory of 8/16/32 bits within each probe's
 * limits, debug and core registers, NRST. Files: stlink.c (identity, modes),
 * stlink-debug.c, stlink-mem.c, stlink-status.c (status bytes -> errors).
 */
#ifndef SR_STLINK_H
#define SR_STLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "common/msgs.h"
#include "probe/stlink-proto.h"
#include "probe/transport.h"

struct sr_stlink {
	struct sr_transport *t;
	int hw;       /* 2 or 3 */
	int jtag_api; /* the "J" number that gates features */
	int swim, msd, bridge;
	char version[32]; /* "V2J37M26", "V3J7M3B2" */
	enum stlink_mode found_mode; /* the mode the probe was in when we came */
	size_t drained;              /* stale reply bytes thrown away at open */
	bool usb_reset_done;         /* the probe needed a USB reset to answer */
	bool in_debug;
	unsigned swd_khz;
	uint32_t tar_wrap;           /* MEM-AP auto-increment span; 0 = 1 KiB */
	uint8_t last_status;         /* status byte of the last debug command */
	uint32_t fault_addr;         /* address of the last failed memory access */
};

/* Read the firmware version (GET_VERSION, and GET_VERSION_EX on V3). */
int sr_stlink_open(struct sr_transport *t, struct sr_stlink *sl, struct sr_msgs *why);
int sr_stlink_get_mode(struct sr_stlink *sl, enum stlink_mode *mode);
/* Leave DFU, SWIM or debug mode so the probe is idle (mode-aware exit). */
int sr_stlink_leave_mode(struct sr_stlink *sl, enum stlink_mode mode);
/* Target voltage in millivolts; SR_E_PROBE_FW when the firmware cannot measure it. */
int sr_stlink_target_mv(struct sr_stlink *sl, uint32_t *mv);
const char *sr_stlink_mode_name(enum stlink_mode mode);
/* Does this firmware have a feature gated at V2 J-version J (V3 has them all)? */
bool sr_stlink_has(const struct sr_stlink *sl, int v2_j);
/* What old firmware lacks, in words (DIAGNOSES.md B9); false when it lacks nothing. */
bool sr_stlink_fw_note(const struct sr_stlink *sl, char *buf, size_t len);


/* Status bytes (stlink-status.c): the one place they become sr_err codes. */
int sr_stlink_status_err(uint8_t status);
const char *sr_stlink_status_name(uint8_t status);
bool sr_stlink_status_is_wait(uint8_t status);

/* Exchanges (stlink-debug.c). */
uint32_t sr_stlink_le32(const uint8_t *p);
int sr_stlink_xfer(struct sr_stlink *sl, const uint8_t *cmd, const uint8_t *out, size_t out_len,
		   uint8_t *in, size_t in_len);
/* A command answered by a status byte first; WAIT is retried for a bounded time. */
int sr_stlink_dbg_cmd(struct sr_stlink *sl, const uint8_t *cmd, uint8_t *in, size_t in_len);

/* Enter SWD debug mode from whatever mode the probe is in. */
int sr_stlink_enter_swd(struct sr_stlink *sl, struct sr_msgs *why);
int sr_stlink_exit_debug(struct sr_stlink *sl);
/* SWD clock: the fastest the probe offers not above KHZ; *ACTUAL what it runs at. */
int sr_stlink_set_swd_khz(struct sr_stlink *sl, unsigned khz, unsigned *actual);
int sr_stlink_read_idcode(struct sr_stlink *sl, uint32_t *idcode);
/* NRST: STLINK_NRST_LOW, _HIGH or _PULSE. */
int sr_stlink_nrst(struct sr_stlink *sl, int level);
int sr_stlink_reset_sys(struct sr_stlink *sl);
/* One 32-bit word through the debug-register commands (status-checked, no RW status). */
int sr_stlink_read_dbg32(struct sr_stlink *sl, uint32_t addr, uint32_t *val);
int sr_stlink_write_dbg32(struct sr_stlink *sl, uint32_t addr, uint32_t val);
/* Core registers by DCRSR REGSEL (0-15 Rn, 16 xPSR, 17 MSP, 18 PSP, 20 CONTROL...). */
int sr_stlink_read_reg(struct sr_stlink *sl, unsigned regsel, uint32_t *val);
int sr_stlink_write_reg(struct sr_stlink *sl, unsigned regsel, uint32_t val);
/* Status of the last memory transfer; sets fault_addr (ADDR_HINT without RWSTATUS2). */
int sr_stlink_rw_status(struct sr_stlink *sl, uint32_t addr_hint);

/* Memory (stlink-mem.c). WIDTH 8, 16 or 32: ADDR and LEN must be multiples of it. */
int sr_stlink_read_mem_w(struct sr_stlink *sl, unsigned width, uint32_t addr, uint8_t *buf,
			 size_t len);
int sr_stlink_write_mem_w(struct sr_stlink *sl, unsigned width, uint32_t addr,
			  const uint8_t *buf, size_t len);
/* Any address and length: 32-bit transfers where aligned, bytes at the edges. */
int sr_stlink_read_mem(struct sr_stlink *sl, uint32_t addr, uint8_t *buf, size_t len);
int sr_stlink_write_mem(struct sr_stlink *sl, uint32_t addr, const uint8_t *buf, size_t len);
int sr_stlink_read32(struct sr_stlink *sl, uint32_t addr, uint32_t *val);
int sr_stlink_write32(struct sr_stlink *sl, uint32_t addr, uint32_t val);
int sr_stlink_read16(struct sr_stlink *sl, uint32_t addr, uint16_t *val);
/* Largest 8-bit transfer of this probe. */
size_t sr_stlink_max_rw8(const struct sr_stlink *sl);

#endif
