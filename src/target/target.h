/*
 * One probe and one target: opening the probe, connecting with a strategy,
 * Cortex-M debug (halt, run, reset, registers) and identifying the chip.
 * Files: target.c (open/close), connect.c, cortexm.c, identify.c.
 */
#ifndef SR_TARGET_H
#define SR_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "common/msgs.h"
#include "db/family.h"
#include "ob/ob.h"
#include "probe/stlink.h"
#include "probe/transport.h"

enum sr_connect_mode {
	SR_CONNECT_AUTO,
	SR_CONNECT_NORMAL,      /* attach and halt */
	SR_CONNECT_HOTPLUG,     /* attach, no reset, no halt */
	SR_CONNECT_UNDER_RESET, /* NRST low, SWD line reset, halt with vector catch, NRST high */
};

/* What one connect attempt saw. */
struct sr_connect_attempt {
	enum sr_connect_mode mode;
	int rc;
	char saw[240];
};

#define SR_MAX_ATTEMPTS 6

/* What identification found. */
struct sr_ident {
	uint32_t dp_idcode, cpuid;
	char core[24];             /* "Cortex-M4 r0p1" */
	uint32_t idcode_addr, dbgmcu_idcode;
	uint16_t dev_id, rev_id;
	const struct sr_device *dev;      /* NULL: unknown ID */
	const struct sr_family *nearest;  /* unknown ID: the family read at the same address */
	const char *rev_name;
	bool flash_kib_ok, uid_ok, package_ok;
	uint32_t flash_kib;
	uint8_t uid[12];
	uint16_t package;
};

struct sr_target {
	struct sr_transport *t;
	struct sr_stlink sl;
	const struct sr_db *db;
	bool mv_known;
	uint32_t target_mv;
	enum sr_connect_mode used;
	struct sr_connect_attempt attempts[SR_MAX_ATTEMPTS];
	int n_attempts;
	char implies[400]; /* what the connect outcome says about the board */
	bool connected, halted_by_us;
	bool nrst_ineffective; /* NRST held low, yet the core saw no reset */
	struct sr_ident id;
};

const char *sr_connect_mode_name(enum sr_connect_mode m);
int sr_connect_mode_parse(const char *s, enum sr_connect_mode *out);

/* Open the probe SPEC names and identify it (recovering it from a stale state). */
int sr_target_open(const char *spec, const struct sr_db *db, struct sr_target **out,
		   struct sr_msgs *why);
/* Leave debug mode (the core runs again if we halted it when RESUME) and close. */
void sr_target_close(struct sr_target *tg, bool resume);

/* Target voltage first, then the strategy; WHY gets the plain explanation on failure. */
int sr_target_connect(struct sr_target *tg, enum sr_connect_mode mode, struct sr_msgs *why);
/* Read the chip's IDs and sizes into tg->id. */
int sr_target_identify(struct sr_target *tg, struct sr_msgs *why);

/* Cortex-M debug (cortexm.c), ARMv7-M ARM DDI 0403E C1.6. */
int sr_cm_halt(struct sr_target *tg);
int sr_cm_run(struct sr_target *tg);
int sr_cm_step(struct sr_target *tg);
/* System reset through AIRCR with reset vector catch: the core halts at the reset handler. */
int sr_cm_reset_halt(struct sr_target *tg);
int sr_cm_dhcsr(struct sr_target *tg, uint32_t *dhcsr);
bool sr_cm_is_halted(struct sr_target *tg);
int sr_cm_read_reg(struct sr_target *tg, unsigned regsel, uint32_t *val);
int sr_cm_write_reg(struct sr_target *tg, unsigned regsel, uint32_t val);
/* Let the halted core run until it halts again (BKPT); SR_E_TIMEOUT after TIMEOUT_US,
 * with the core halted again. */
int sr_cm_run_until_halt(struct sr_target *tg, uint64_t timeout_us);

/* Memory through the probe (the fault address is in tg->sl.fault_addr). */
int sr_target_read(struct sr_target *tg, uint32_t addr, uint8_t *buf, size_t len);
int sr_target_write(struct sr_target *tg, uint32_t addr, const uint8_t *buf, size_t len);
int sr_target_read32(struct sr_target *tg, uint32_t addr, uint32_t *val);
int sr_target_write32(struct sr_target *tg, uint32_t addr, uint32_t val);

/* Is V, read at ADDR, a real answer (not 0, ~0, ADDR, the DP IDCODE, the probe's ID)? */
bool sr_target_real_answer(const struct sr_target *tg, uint32_t v, uint32_t addr);

/* Read the device's option-byte registers into V (initialised here). */
int sr_target_read_ob(struct sr_target *tg, struct sr_ob_values *v);

/* Debug registers, ARMv7-M C1.6 */
#define SR_CM_CPUID 0xE000ED00u
#define SR_CM_AIRCR 0xE000ED0Cu
#define SR_CM_DFSR 0xE000ED30u
#define SR_CM_DHCSR 0xE000EDF0u
#define SR_CM_DEMCR 0xE000EDFCu
#define SR_CM_DBGKEY 0xA05F0000u
#define SR_CM_C_DEBUGEN (1u << 0)
#define SR_CM_C_HALT (1u << 1)
#define SR_CM_C_STEP (1u << 2)
#define SR_CM_C_MASKINTS (1u << 3)
#define SR_CM_S_REGRDY (1u << 16)
#define SR_CM_S_HALT (1u << 17)
#define SR_CM_S_SLEEP (1u << 18)
#define SR_CM_S_LOCKUP (1u << 19)
#define SR_CM_S_RESET_ST (1u << 25)
#define SR_CM_VC_CORERESET (1u << 0)
#define SR_CM_AIRCR_SYSRESETREQ 0x05FA0004u

#endif
