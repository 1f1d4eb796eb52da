/*
 * ST-Link driver, debug mode: entering SWD (mode-aware), the SWD clock, the DP
 * IDCODE, NRST, debug and core registers, the last read/write status.
 * Command layouts: reference STLINK-PROTOCOL.md 5.3.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "probe/stlink.h"

/* WAIT answers are retried with a doubling pause, for at most this long in all. */
#define WAIT_FIRST_US 100u
#define WAIT_BUDGET_US 250000u

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

uint32_t sr_stlink_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Send CMD, read IN_LEN bytes; a short reply is garbage. */
int sr_stlink_xfer(struct sr_stlink *sl, const uint8_t *cmd, const uint8_t *out, size_t out_len,
		   uint8_t *in, size_t in_len)
{
	size_t got = 0;
	int rc = sr_transport_xfer(sl->t, cmd, out, out_len, in, in_len, &got);
	if (rc == SR_OK && got < in_len) {
		sr_debug("stlink: short reply to %02X %02X: %zu of %zu bytes", cmd[0], cmd[1], got,
			 in_len);
		return SR_E_PROBE_GARBAGE;
	}
	return rc;
}

/* A debug command whose reply starts with a status byte; WAIT is retried, bounded. */
int sr_stlink_dbg_cmd(struct sr_stlink *sl, const uint8_t *cmd, uint8_t *in, size_t in_len)
{
	unsigned pause = WAIT_FIRST_US, waited = 0;
	for (;;) {
		int rc = sr_stlink_xfer(sl, cmd, NULL, 0, in, in_len);
		if (rc != SR_OK)
			return rc;
		sl->last_status = in[0];
		if (!sr_stlink_status_is_wait(in[0]) || waited >= WAIT_BUDGET_US)
			break;
		sr_transport_sleep(sl->t, pause);
		waited += pause;
		pause = pause * 2 > 10000u ? 10000u : pause * 2;
	}
	if (in[0] != STLINK_DEBUG_ERR_OK)
		sr_debug("stlink: %02X %02X answered 0x%02X %s", cmd[0], cmd[1],
			 in[0], sr_stlink_status_name(in[0]));
	return sr_stlink_status_err(in[0]);
}

static int dbg_simple(struct sr_stlink *sl, uint8_t c1, uint8_t c2)
{
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, c1, c2}, r[2];
	return sr_stlink_dbg_cmd(sl, cmd, r, sizeof(r));
}

/*
 * Bring the probe into SWD debug mode whatever mode it was left in: DFU and mass
 * storage are left with their own exit commands; a probe found in debug mode (a
 * previous program died) is told to leave it first. EXIT is sent only in debug
 * mode: a V3 told to EXIT outside it stops answering until replugged
 * (stlink-org/stlink #1399; PROBE-RECOVERY.md).
 */
int sr_stlink_enter_swd(struct sr_stlink *sl, struct sr_msgs *why)
{
	enum stlink_mode mode;
	int rc = sr_stlink_get_mode(sl, &mode);
	if (rc != SR_OK) {
		sr_msgs_add(why, "the probe does not report its mode: %s", sr_strerror(rc));
		return rc;
	}
	sl->found_mode = mode;
	if (mode != STLINK_MODE_MASS) {
		sr_info("stlink: probe found in %s mode; leaving it", sr_stlink_mode_name(mode));
		if ((rc = sr_stlink_leave_mode(sl, mode)) != SR_OK)
			return rc;
	}
	rc = dbg_simple(sl, STLINK_DEBUG_APIV2_ENTER, STLINK_DEBUG_ENTER_SWD_NO_RESET);
	if (rc == SR_OK)
		sl->in_debug = true;
	return rc;
}

int sr_stlink_exit_debug(struct sr_stlink *sl)
{
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_EXIT};
	if (!sl->in_debug)
		return SR_OK;
	sl->in_debug = false;
	return sr_stlink_xfer(sl, cmd, NULL, 0, NULL, 0);
}

/* V2 clock divisors (reference 5.3, APIV2_SWD_SET_FREQ). */
static const struct {
	uint16_t div, khz;
} v2_div[] = {{0, 4000}, {1, 1800}, {2, 1200}, {3, 950},   {7, 480}, {15, 240},
	      {31, 125}, {40, 100}, {79, 50},  {158, 25}, {265, 15}, {798, 5}};

static int set_khz_v2(struct sr_stlink *sl, unsigned khz, unsigned *actual)
{
	size_t i = 0;
	while (i + 1 < SR_ARRAY_SIZE(v2_div) && v2_div[i].khz > khz)
		i++;
	if (!sr_stlink_has(sl, STLINK_V2_J_SWD_FREQ)) {
		*actual = 1800; /* the firmware's fixed default */
		return SR_E_PROBE_FW;
	}
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_SWD_SET_FREQ,
				       (uint8_t)v2_div[i].div, (uint8_t)(v2_div[i].div >> 8)};
	uint8_t r[2];
	int rc = sr_stlink_dbg_cmd(sl, cmd, r, sizeof(r));
	if (rc == SR_OK)
		*actual = v2_div[i].khz;
	return rc;
}

/* V3: the probe picks the fastest clock of its list not above the request. */
static int set_khz_v3(struct sr_stlink *sl, unsigned khz, unsigned *actual)
{
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV3_SET_COM_FREQ, 0};
	uint8_t r[8];
	put32(cmd + 4, khz);
	int rc = sr_stlink_dbg_cmd(sl, cmd, r, sizeof(r));
	if (rc == SR_OK)
		*actual = sr_stlink_le32(r + 4);
	return rc;
}

int sr_stlink_set_swd_khz(struct sr_stlink *sl, unsigned khz, unsigned *actual)
{
	unsigned dummy;
	int rc = sl->hw >= 3 ? set_khz_v3(sl, khz, actual ? actual : &dummy)
			     : set_khz_v2(sl, khz, actual ? actual : &dummy);
	if (rc == SR_OK)
		sl->swd_khz = actual ? *actual : dummy;
	return rc;
}

int sr_stlink_read_idcode(struct sr_stlink *sl, uint32_t *idcode)
{
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_READ_IDCODES};
	uint8_t r[12];
	int rc = sr_stlink_dbg_cmd(sl, cmd, r, sizeof(r));
	if (rc == SR_OK)
		*idcode = sr_stlink_le32(r + 4);
	return rc;
}

int sr_stlink_nrst(struct sr_stlink *sl, int level)
{
	return dbg_simple(sl, STLINK_DEBUG_APIV2_DRIVE_NRST, (uint8_t)level);
}

int sr_stlink_reset_sys(struct sr_stlink *sl)
{
	return dbg_simple(sl, STLINK_DEBUG_APIV2_RESETSYS, 0);
}

int sr_stlink_read_dbg32(struct sr_stlink *sl, uint32_t addr, uint32_t *val)
{
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_READDEBUGREG};
	uint8_t r[8];
	put32(cmd + 2, addr);
	int rc = sr_stlink_dbg_cmd(sl, cmd, r, sizeof(r));
	if (rc == SR_OK)
		*val = sr_stlink_le32(r + 4);
	else
		sl->fault_addr = addr;
	return rc;
}

int sr_stlink_write_dbg32(struct sr_stlink *sl, uint32_t addr, uint32_t val)
{
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_WRITEDEBUGREG};
	uint8_t r[2];
	put32(cmd + 2, addr);
	put32(cmd + 6, val);
	int rc = sr_stlink_dbg_cmd(sl, cmd, r, sizeof(r));
	if (rc != SR_OK)
		sl->fault_addr = addr;
	return rc;
}

int sr_stlink_read_reg(struct sr_stlink *sl, unsigned regsel, uint32_t *val)
{
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_READREG,
				       (uint8_t)regsel};
	uint8_t r[8];
	int rc = sr_stlink_dbg_cmd(sl, cmd, r, sizeof(r));
	if (rc == SR_OK)
		*val = sr_stlink_le32(r + 4);
	return rc;
}

int sr_stlink_write_reg(struct sr_stlink *sl, unsigned regsel, uint32_t val)
{
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_WRITEREG,
				       (uint8_t)regsel};
	uint8_t r[2];
	put32(cmd + 3, val);
	return sr_stlink_dbg_cmd(sl, cmd, r, sizeof(r));
}

/* Status of the last memory transfer; with GETLASTRWSTATUS2 (J15+) the faulting address. */
int sr_stlink_rw_status(struct sr_stlink *sl, uint32_t addr_hint)
{
	bool two = sr_stlink_has(sl, STLINK_V2_J_RWSTATUS2);
	uint8_t cmd[STLINK_CMD_LEN] = {STLINK_DEBUG_COMMAND,
				       two ? STLINK_DEBUG_APIV2_GETLASTRWSTATUS2
					   : STLINK_DEBUG_APIV2_GETLASTRWSTATUS};
	uint8_t r[12] = {0};
	int rc = sr_stlink_xfer(sl, cmd, NULL, 0, r, two ? 12 : 2);
	if (rc != SR_OK)
		return rc;
	sl->last_status = r[0];
	rc = sr_stlink_status_err(r[0]);
	if (rc != SR_OK) {
		sl->fault_addr = two ? sr_stlink_le32(r + 4) : addr_hint;
		sr_debug("stlink: memory transfer failed: 0x%02X %s at 0x%08X", r[0],
			 sr_stlink_status_name(r[0]), sl->fault_addr);
	}
	return rc;
}
