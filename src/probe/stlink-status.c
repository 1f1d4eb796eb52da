/*
 * The probe's status bytes, mapped to stmrescue's errors. This is the only place
 * they are interpreted (reference STLINK-PROTOCOL.md 5.2: openocd 0.12
 * stlink_usb.c STLINK_*_ERR, pyOCD 0.13.1 constants.py Status).
 */
#include "config.h"

#include <stddef.h>

#include "common/error.h"
#include "common/util.h"
#include "probe/stlink.h"

static const struct {
	uint8_t status;
	int err;
	const char *name;
} status_map[] = {
	{STLINK_DEBUG_ERR_OK, SR_OK, "OK"},
	{STLINK_DEBUG_ERR_FAULT, SR_E_SWD_FAULT, "DEBUG_ERR_FAULT"},
	{0x05, SR_E_SWD_NOANSWER, "NO_DEVICE_CONNECTED"},
	{STLINK_JTAG_GET_IDCODE_ERROR, SR_E_SWD_NOANSWER, "GET_IDCODE_ERROR"},
	{0x0B, SR_E_SWD_NOANSWER, "DBG_POWER_ERROR"},
	{STLINK_JTAG_WRITE_ERROR, SR_E_SWD_FAULT, "JTAG_WRITE_ERROR"},
	{STLINK_JTAG_WRITE_VERIF_ERROR, SR_E_SWD_FAULT, "JTAG_WRITE_VERIF_ERROR"},
	{STLINK_SWD_AP_WAIT, SR_E_SWD_WAIT, "SWD_AP_WAIT"},
	{STLINK_SWD_AP_FAULT, SR_E_SWD_FAULT, "SWD_AP_FAULT"},
	{STLINK_SWD_AP_ERROR, SR_E_SWD_NOANSWER, "SWD_AP_ERROR"},
	{STLINK_SWD_AP_PARITY, SR_E_SWD_NOANSWER, "SWD_AP_PARITY"},
	{STLINK_SWD_DP_WAIT, SR_E_SWD_WAIT, "SWD_DP_WAIT"},
	{STLINK_SWD_DP_FAULT, SR_E_SWD_FAULT, "SWD_DP_FAULT"},
	{STLINK_SWD_DP_ERROR, SR_E_SWD_NOANSWER, "SWD_DP_ERROR"},
	{STLINK_SWD_DP_PARITY, SR_E_SWD_NOANSWER, "SWD_DP_PARITY"},
	{STLINK_SWD_AP_WDATA_ERROR, SR_E_SWD_FAULT, "SWD_AP_WDATA_ERROR"},
	{STLINK_SWD_AP_STICKY_ERROR, SR_E_SWD_FAULT, "SWD_AP_STICKY_ERROR"},
	{STLINK_SWD_AP_STICKYORUN_ERROR, SR_E_SWD_FAULT, "SWD_AP_STICKYORUN_ERROR"},
	{STLINK_BAD_AP_ERROR, SR_E_PROBE, "BAD_AP_ERROR"},
	{STLINK_FREQ_NOT_SUPPORTED, SR_E_PROBE_FW, "FREQ_NOT_SUPPORTED"},
	{STLINK_UNKNOWN_CMD, SR_E_PROBE_FW, "UNKNOWN_CMD"},
};

int sr_stlink_status_err(uint8_t status)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(status_map); i++)
		if (status_map[i].status == status)
			return status_map[i].err;
	return SR_E_PROBE_GARBAGE;
}

const char *sr_stlink_status_name(uint8_t status)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(status_map); i++)
		if (status_map[i].status == status)
			return status_map[i].name;
	return "unknown status";
}

bool sr_stlink_status_is_wait(uint8_t status)
{
	return status == STLINK_SWD_AP_WAIT || status == STLINK_SWD_DP_WAIT;
}
