/* ST-Link driver: identification of the probe, its modes and the target voltage. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "probe/stlink.h"

static int cmd1(struct sr_stlink *sl, uint8_t c0, uint8_t c1, uint8_t *in, size_t in_len)
{
	uint8_t cmd[STLINK_CMD_LEN] = {c0, c1};
	size_t got = 0;
	int rc = sr_transport_xfer(sl->t, cmd, NULL, 0, in, in_len, &got);
	if (rc == SR_OK && got < in_len) {
		sr_log(SR_LOG_DEBUG, "stlink: short reply to 0x%02X: %zu of %zu bytes", c0, got,
		       in_len);
		return SR_E_PROBE_GARBAGE;
	}
	return rc;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* V2: one big-endian word holds the versions (reference 5.3, GET_VERSION). */
static int version_v2(struct sr_stlink *sl, const uint8_t r[6])
{
	uint16_t v = (uint16_t)(r[0] << 8 | r[1]);
	sl->hw = v >> 12;
	sl->jtag_api = (v >> 6) & 0x3F;
	/* the low field is SWIM on V2, the mass-storage version on V2-1 */
	if (sl->t->pid == STLINK_PID_V2)
		sl->swim = v & 0x3F;
	else
		sl->msd = v & 0x3F;
	if (sl->hw != 2)
		return SR_E_PROBE_GARBAGE;
	snprintf(sl->version, sizeof(sl->version), "V2J%d%c%d", sl->jtag_api,
		 sl->t->pid == STLINK_PID_V2 ? 'S' : 'M', sl->swim ? sl->swim : sl->msd);
	return SR_OK;
}

static int version_v3(struct sr_stlink *sl)
{
	uint8_t r[12];
	int rc = cmd1(sl, STLINK_APIV3_GET_VERSION_EX, 0x80, r, sizeof(r));
	if (rc != SR_OK)
		return rc;
	if (r[0] != 3)
		return SR_E_PROBE_GARBAGE;
	sl->hw = 3;
	sl->swim = r[1];
	sl->jtag_api = r[2];
	sl->msd = r[3];
	sl->bridge = r[4];
	snprintf(sl->version, sizeof(sl->version), "V3J%dM%dB%d", sl->jtag_api, sl->msd,
		 sl->bridge);
	return SR_OK;
}

/*
 * Recovery in stages (PROBE-RECOVERY.md 6): stale bytes drained first; a probe that
 * does not answer GET_VERSION gets a USB port reset and one more try.
 */
static int get_version(struct sr_stlink *sl, uint8_t r[6])
{
	sl->drained = sr_transport_drain(sl->t);
	int rc = cmd1(sl, STLINK_GET_VERSION, 0x80, r, 6);
	if (rc == SR_E_USB_TIMEOUT || rc == SR_E_USB || rc == SR_E_PROBE_GARBAGE) {
		sr_info("stlink: no sensible answer to GET_VERSION (%s); resetting the probe's USB "
			"port", sr_strerror(rc));
		if (sl->t->ops->usb_reset && sl->t->ops->usb_reset(sl->t) == SR_OK) {
			sl->usb_reset_done = true;
			sl->drained += sr_transport_drain(sl->t);
			rc = cmd1(sl, STLINK_GET_VERSION, 0x80, r, 6);
		}
	}
	return rc;
}

int sr_stlink_open(struct sr_transport *t, struct sr_stlink *sl, struct sr_msgs *why)
{
	uint8_t r[6] = {0};
	int rc;
	memset(sl, 0, sizeof(*sl));
	sl->t = t;
	rc = get_version(sl, r);
	if (rc == SR_OK && le16(r + 2) != STLINK_VID)
		rc = SR_E_PROBE_GARBAGE;
	if (rc == SR_OK && (r[0] >> 4) == 3)
		rc = version_v3(sl);
	else if (rc == SR_OK)
		rc = version_v2(sl, r);
	if (rc == SR_E_PROBE_GARBAGE)
		sr_msgs_add(why, "the probe's version answer makes no sense (%02x %02x %02x %02x "
				 "%02x %02x): it may not be an ST-Link, or its firmware is damaged; "
				 "reflash it with ST's firmware upgrade tool",
			    r[0], r[1], r[2], r[3], r[4], r[5]);
	else if (rc == SR_E_USB_TIMEOUT)
		sr_msgs_add(why, "the probe does not answer, even after a USB reset: its firmware "
				 "is stuck. Unplug the probe and plug it in again");
	else if (rc != SR_OK)
		sr_msgs_add(why, "the probe did not answer GET_VERSION: %s", sr_strerror(rc));
	return rc;
}

bool sr_stlink_has(const struct sr_stlink *sl, int v2_j)
{
	return sl->hw >= 3 || sl->jtag_api >= v2_j;
}

int sr_stlink_get_mode(struct sr_stlink *sl, enum stlink_mode *mode)
{
	uint8_t r[2];
	int rc = cmd1(sl, STLINK_GET_CURRENT_MODE, 0, r, sizeof(r));
	if (rc == SR_OK && r[0] > STLINK_MODE_BOOTLOADER)
		rc = SR_E_PROBE_GARBAGE;
	if (rc == SR_OK)
		*mode = (enum stlink_mode)r[0];
	return rc;
}

int sr_stlink_leave_mode(struct sr_stlink *sl, enum stlink_mode mode)
{
	switch (mode) {
	case STLINK_MODE_DFU:
		return cmd1(sl, STLINK_DFU_COMMAND, STLINK_DFU_EXIT, NULL, 0);
	case STLINK_MODE_SWIM:
		return cmd1(sl, STLINK_SWIM_COMMAND, STLINK_SWIM_EXIT, NULL, 0);
	case STLINK_MODE_DEBUG:
		return cmd1(sl, STLINK_DEBUG_COMMAND, STLINK_DEBUG_EXIT, NULL, 0);
	default:
		return SR_OK;
	}
}

int sr_stlink_target_mv(struct sr_stlink *sl, uint32_t *mv)
{
	uint8_t r[8];
	uint32_t adc0, adc1;
	int rc;
	if (!sr_stlink_has(sl, STLINK_V2_J_TARGET_VOLT))
		return SR_E_PROBE_FW;
	rc = cmd1(sl, STLINK_GET_TARGET_VOLTAGE, 0, r, sizeof(r));
	if (rc != SR_OK)
		return rc;
	adc0 = le32(r);
	adc1 = le32(r + 4);
	if (adc0 == 0)
		return SR_E_PROBE_GARBAGE;
	/* V = 2 x adc1 x 1.2 V / adc0: the probe measures against its 1.2 V reference */
	*mv = (uint32_t)(2400ull * adc1 / adc0);
	return SR_OK;
}

const char *sr_stlink_mode_name(enum stlink_mode mode)
{
	static const char *const names[] = {"DFU", "mass storage", "debug", "SWIM", "bootloader"};
	return (unsigned)mode < sizeof(names) / sizeof(names[0]) ? names[mode] : "unknown";
}

/* Features V2 firmware gained, as openocd 0.12 gates them (reference 5.3). */
static const struct {
	int j;
	const char *what;
} v2_features[] = {
	{STLINK_V2_J_TARGET_VOLT, "target voltage"},
	{STLINK_V2_J_RWSTATUS2, "fault addresses"},
	{STLINK_V2_J_SWD_FREQ, "SWD clock setting"},
	{STLINK_V2_J_DAP_REG, "DP/AP register access"},
	{STLINK_V2_J_MEM16, "16-bit memory access"},
};

/* DIAGNOSES.md B9: name the firmware and what it lacks; false when nothing is missing. */
bool sr_stlink_fw_note(const struct sr_stlink *sl, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(v2_features) / sizeof(v2_features[0]); i++)
		if (!sr_stlink_has(sl, v2_features[i].j) && n + 40 < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s (J%d)", n ? ", " : "",
					      v2_features[i].what, v2_features[i].j);
	if (!n)
		return false;
	char lacks[256];
	snprintf(lacks, sizeof(lacks), "%s", buf);
	snprintf(buf, len, "firmware %s is old: it has no %s; update it with ST's ST-LINK "
			   "firmware upgrade tool (STSW-LINK007)",
		 sl->version, lacks);
	return true;
}
