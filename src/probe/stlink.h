/* ST-Link driver: versions and features, modes, target voltage (more to come: SWD, memory, core). */
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

#endif
