/*
 * Connect strategies (DIAGNOSES.md B6-B8): the target voltage first, then
 * normal (attach and halt), hot-plug (attach only) or under reset (NRST held
 * low before the SWD line reset, halt with reset vector catch, NRST released);
 * auto tries normal, then under reset twice, and says what the outcome implies.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "target/target.h"

/* Below this the part is not powered: STM32 VDD minimum is 1.7-1.8 V (e.g. DS10693 6.3.1). */
#define MIN_POWERED_MV 1600
/* SWD clock ceiling: 4 MHz, the V2's fastest, a safe clock for flying leads. */
#define SWD_KHZ 4000

static const char *const mode_names[] = {"auto", "normal", "hotplug", "under-reset"};

const char *sr_connect_mode_name(enum sr_connect_mode m)
{
	return (unsigned)m < SR_ARRAY_SIZE(mode_names) ? mode_names[m] : "?";
}

int sr_connect_mode_parse(const char *s, enum sr_connect_mode *out)
{
	for (size_t i = 0; s && i < SR_ARRAY_SIZE(mode_names); i++)
		if (strcmp(s, mode_names[i]) == 0 ||
		    (i == SR_CONNECT_UNDER_RESET && strcmp(s, "under_reset") == 0) ||
		    (i == SR_CONNECT_HOTPLUG && strcmp(s, "hot-plug") == 0)) {
			*out = (enum sr_connect_mode)i;
			return SR_OK;
		}
	return SR_E_ARG;
}

static void saw(struct sr_connect_attempt *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void saw(struct sr_connect_attempt *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->saw, sizeof(a->saw), fmt, ap);
	va_end(ap);
	sr_info("connect %s: %s", sr_connect_mode_name(a->mode), a->saw);
}

/* SWD line reset and DP IDCODE (the probe does both in ENTER). */
static int swd_attach(struct sr_target *tg, struct sr_connect_attempt *a)
{
	if (tg->sl.in_debug)
		sr_stlink_exit_debug(&tg->sl); /* the next ENTER does a fresh line reset */
	sr_stlink_set_swd_khz(&tg->sl, SWD_KHZ, NULL);
	int rc = sr_stlink_enter_swd(&tg->sl, NULL);
	if (rc == SR_OK)
		rc = sr_stlink_read_idcode(&tg->sl, &tg->id.dp_idcode);
	if (rc == SR_OK && (tg->id.dp_idcode == 0 || tg->id.dp_idcode == 0xFFFFFFFFu))
		rc = SR_E_SWD_NOANSWER;
	if (rc != SR_OK)
		saw(a, "no SWD answer: the line reset and DP IDCODE read failed (%s)",
		    sr_strerror(rc));
	return rc;
}

/* The core's bus answers with something real: CPUID. */
static int check_cpuid(struct sr_target *tg, struct sr_connect_attempt *a)
{
	int rc = sr_stlink_read_dbg32(&tg->sl, SR_CM_CPUID, &tg->id.cpuid);
	if (rc == SR_E_SWD_WAIT)
		saw(a, "the DP answers (IDCODE 0x%08X) but the system bus only answers WAIT: the "
		       "core sleeps (WFI/STOP/STANDBY) with the DBGMCU low-power debug bits clear",
		    tg->id.dp_idcode);
	else if (rc != SR_OK)
		saw(a, "the DP answers (IDCODE 0x%08X) but reading CPUID failed: %s",
		    tg->id.dp_idcode, sr_strerror(rc));
	else if (!sr_target_real_answer(tg, tg->id.cpuid, SR_CM_CPUID)) {
		saw(a, "CPUID reads 0x%08X: no real answer from the core", tg->id.cpuid);
		rc = SR_E_SWD_NOANSWER;
	}
	return rc;
}

static int try_normal(struct sr_target *tg, struct sr_connect_attempt *a)
{
	int rc = swd_attach(tg, a);
	if (rc == SR_OK)
		rc = check_cpuid(tg, a);
	if (rc == SR_OK && (rc = sr_cm_halt(tg)) != SR_OK)
		saw(a, "the core did not halt: %s", sr_strerror(rc));
	if (rc == SR_OK) {
		tg->halted_by_us = true;
		saw(a, "attached and halted the core");
	}
	return rc;
}

static int try_hotplug(struct sr_target *tg, struct sr_connect_attempt *a)
{
	int rc = swd_attach(tg, a);
	if (rc == SR_OK)
		rc = check_cpuid(tg, a);
	if (rc == SR_OK)
		saw(a, "attached without reset or halt");
	return rc;
}

static int release_nrst(struct sr_target *tg, int rc)
{
	sr_stlink_nrst(&tg->sl, STLINK_NRST_HIGH);
	return rc;
}

/* Halt request and reset vector catch set while NRST is low; did the core see a reset? */
static int arm_catch(struct sr_target *tg, bool *reset_seen)
{
	uint32_t demcr = 0, dhcsr = 0;
	int rc = sr_stlink_write_dbg32(&tg->sl, SR_CM_DHCSR,
				       SR_CM_DBGKEY | SR_CM_C_HALT | SR_CM_C_DEBUGEN);
	if (rc == SR_OK)
		rc = sr_stlink_read_dbg32(&tg->sl, SR_CM_DEMCR, &demcr);
	if (rc == SR_OK)
		rc = sr_stlink_write_dbg32(&tg->sl, SR_CM_DEMCR, demcr | SR_CM_VC_CORERESET);
	if (rc == SR_OK)
		rc = sr_cm_dhcsr(tg, &dhcsr);
	*reset_seen = rc == SR_OK && (dhcsr & SR_CM_S_RESET_ST);
	return rc;
}

static int try_under_reset(struct sr_target *tg, struct sr_connect_attempt *a)
{
	bool reset_seen = false;
	int rc = sr_stlink_nrst(&tg->sl, STLINK_NRST_LOW);
	if (rc != SR_OK) {
		saw(a, "the probe cannot drive NRST: %s", sr_strerror(rc));
		return rc;
	}
	sr_transport_sleep(tg->t, 2000);
	if ((rc = swd_attach(tg, a)) != SR_OK) {
		saw(a, "no SWD answer while NRST was held low (%s)", sr_strerror(rc));
		return release_nrst(tg, rc);
	}
	if ((rc = arm_catch(tg, &reset_seen)) != SR_OK) {
		saw(a, "SWD answers under reset, but setting the halt request failed: %s",
		    sr_strerror(rc));
		return release_nrst(tg, rc);
	}
	rc = release_nrst(tg, SR_OK);
	sr_transport_sleep(tg->t, 2000);
	if (rc == SR_OK && (rc = sr_cm_halt(tg)) != SR_OK)
		saw(a, "NRST released, but the core did not halt at the reset vector: %s",
		    sr_strerror(rc));
	uint32_t demcr = 0;
	if (sr_stlink_read_dbg32(&tg->sl, SR_CM_DEMCR, &demcr) == SR_OK)
		sr_stlink_write_dbg32(&tg->sl, SR_CM_DEMCR, demcr & ~SR_CM_VC_CORERESET);
	if (rc == SR_OK)
		rc = check_cpuid(tg, a);
	if (rc != SR_OK)
		return rc;
	tg->halted_by_us = true;
	if (reset_seen)
		saw(a, "NRST held low before the line reset; halted at the reset vector");
	else
		saw(a, "halted, but the core never showed a reset while NRST was low: NRST does not "
		       "reach the chip (not wired to the probe, or held by a supervisor)");
	tg->nrst_ineffective = !reset_seen;
	return SR_OK;
}

static int run_attempt(struct sr_target *tg, enum sr_connect_mode mode)
{
	if (tg->n_attempts >= SR_MAX_ATTEMPTS)
		return SR_E_RANGE;
	struct sr_connect_attempt *a = &tg->attempts[tg->n_attempts++];
	memset(a, 0, sizeof(*a));
	a->mode = mode;
	a->rc = mode == SR_CONNECT_NORMAL	? try_normal(tg, a)
		: mode == SR_CONNECT_HOTPLUG ? try_hotplug(tg, a)
					       : try_under_reset(tg, a);
	return a->rc;
}

static void implies(struct sr_target *tg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void implies(struct sr_target *tg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tg->implies, sizeof(tg->implies), fmt, ap);
	va_end(ap);
}

/* Target voltage before anything else (DIAGNOSES.md B7). */
static int check_power(struct sr_target *tg, struct sr_msgs *why)
{
	int rc = sr_stlink_target_mv(&tg->sl, &tg->target_mv);
	tg->mv_known = rc == SR_OK;
	if (!tg->mv_known) {
		sr_info("connect: target voltage not measurable (%s)", sr_strerror(rc));
		return SR_OK;
	}
	if (tg->target_mv >= MIN_POWERED_MV)
		return SR_OK;
	implies(tg, "the target is not powered");
	sr_msgs_add(why, "the target is not powered: the probe measures %u.%02u V on its "
			 "target-voltage pin (an STM32 needs at least 1.7 V). Power the board, and "
			 "check that the probe's VCC/VAPP pin is wired to the board's VDD",
		    tg->target_mv / 1000, tg->target_mv % 1000 / 10);
	return SR_E_NOPOWER;
}

static int first_failure_kind(const struct sr_target *tg)
{
	for (int i = 0; i < tg->n_attempts; i++)
		if (tg->attempts[i].rc != SR_OK)
			return tg->attempts[i].rc;
	return SR_OK;
}

static void explain_success(struct sr_target *tg)
{
	int first = first_failure_kind(tg);
	int n_ur = 0;
	for (int i = 0; i < tg->n_attempts; i++)
		n_ur += tg->attempts[i].mode == SR_CONNECT_UNDER_RESET;
	if (tg->nrst_ineffective)
		implies(tg, "NRST does not reach the chip: connect under reset cannot work on this "
			    "board (check the NRST wire to the probe, a reset supervisor, the "
			    "pull-up)");
	else if (tg->used != SR_CONNECT_UNDER_RESET || first == SR_OK)
		implies(tg, "the board answers SWD normally");
	else if (first == SR_E_SWD_WAIT)
		implies(tg, "the core sleeps (WFI/STOP/STANDBY) while the firmware runs, so a "
			    "normal connect only gets WAIT; it works under reset. The DBGMCU "
			    "low-power debug bits are set now so it stays reachable");
	else if (n_ur > 1 && tg->attempts[tg->n_attempts - 2].mode == SR_CONNECT_UNDER_RESET)
		implies(tg, "connect under reset failed once and worked on retry: usual right "
			    "after power-up; if it keeps happening, check the NRST circuit");
	else
		implies(tg, "SWD answers only while the chip is held in reset: the firmware "
			    "disables or remaps the SWD pins (or sleeps) soon after boot. Use "
			    "--connect under-reset with this board");
}

static void explain_failure(struct sr_target *tg, struct sr_msgs *why)
{
	bool any_dp = false;
	for (int i = 0; i < tg->n_attempts; i++)
		any_dp |= tg->attempts[i].rc != SR_E_SWD_NOANSWER;
	char volts[48] = "";
	if (tg->mv_known)
		snprintf(volts, sizeof(volts), " (%u.%02u V)", tg->target_mv / 1000,
			 tg->target_mv % 1000 / 10);
	if (!any_dp) {
		implies(tg, "no SWD answer at all");
		sr_msgs_add(why,
			    "no SWD answer, not even with NRST held low, although the target is "
			    "powered%s. Check SWDIO, SWCLK and GND wiring, and the NRST circuit (not "
			    "wired to the probe, held by a supervisor, no pull-up). A chip at RDP "
			    "level 2 also never answers: that is not recoverable over SWD",
			    volts);
	} else {
		implies(tg, "the debug port answers but the core could not be stopped");
		sr_msgs_add(why, "the debug port answers but the core could not be reached or "
				 "halted in any connect mode; the attempts say what each saw");
	}
}

int sr_target_connect(struct sr_target *tg, enum sr_connect_mode mode, struct sr_msgs *why)
{
	int rc = check_power(tg, why);
	if (rc != SR_OK)
		return rc;
	if (mode != SR_CONNECT_AUTO) {
		rc = run_attempt(tg, mode);
	} else {
		rc = run_attempt(tg, SR_CONNECT_NORMAL);
		if (rc != SR_OK)
			rc = run_attempt(tg, SR_CONNECT_UNDER_RESET);
		if (rc != SR_OK) /* one automatic retry (DIAGNOSES.md B8) */
			rc = run_attempt(tg, SR_CONNECT_UNDER_RESET);
	}
	if (rc == SR_OK) {
		tg->used = tg->attempts[tg->n_attempts - 1].mode;
		tg->connected = true;
		/* Cortex-M3/M4/M7 increment TAR over 4 KiB (reference 5.4: openocd max_mem_packet). */
		uint32_t part = (tg->id.cpuid >> 4) & 0xFFF;
		tg->sl.tar_wrap = part >= 0xC23 && part <= 0xC27 ? 4096 : 1024;
		explain_success(tg);
	} else if (mode == SR_CONNECT_AUTO || mode == SR_CONNECT_UNDER_RESET) {
		explain_failure(tg, why);
	} else {
		sr_msgs_add(why, "%s connect failed: %s%s", sr_connect_mode_name(mode),
			    tg->attempts[tg->n_attempts - 1].saw,
			    " (try --connect auto, which also tries under reset)");
	}
	return rc;
}
