/*
 * Power, reset and the virtual clock of the board: power-on and system resets
 * (RM0390 6.1), NRST, and lazy time that lets the core run and flash
 * operations and the watchdog count down; plus creating a factory-fresh board.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/board.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

/* VDD below 1.7 V holds the part in power-on reset (DS10693 table 14, RM0390 5.2.2). */
#define VDD_MIN_MV 1700

static bool powered(const struct sr_sim_board *b)
{
	return b->vtarget_mv >= VDD_MIN_MV;
}

/* Debug-domain state is cleared by power-on reset only (ARMv7-M C1.6; RM0390 33.16). */
static void debug_por(struct sr_sim_board *b)
{
	struct sr_sim_core *c = &b->core;
	c->dhcsr = c->demcr = c->dfsr = c->dcrdr = 0;
	c->fp_ctrl = c->fp_remap = c->dwt_ctrl = c->dwt_cyccnt = 0;
	memset(c->fp_comp, 0, sizeof(c->fp_comp));
	b->dbg_intrusion = false; /* cleared by power-on reset only (RM0090 3.7.3) */
	sr_sim_dap_reset(b);
}

static const char *cause_name(enum sr_sim_reset_cause cause)
{
	static const char *const names[] = {
	    [SR_SIM_RESET_POR] = "power-on",         [SR_SIM_RESET_PIN] = "pin",
	    [SR_SIM_RESET_SOFT] = "software",        [SR_SIM_RESET_IWDG] = "watchdog",
	    [SR_SIM_RESET_WWDG] = "window watchdog", [SR_SIM_RESET_OBL] = "option-byte loader",
	};
	return names[cause];
}

void sr_sim_system_reset(struct sr_sim_board *b, enum sr_sim_reset_cause cause)
{
	bool por = cause == SR_SIM_RESET_POR;
	sr_debug("sim: %s reset", cause_name(cause));
	b->fops->reset(b, por);
	b->swd_dead = b->fops->rdp_level(b) == 2; /* level 2 is loaded with the option bytes */
	if (por)
		debug_por(b);
	sr_sim_periph_reset(b, cause);
	b->core.in_reset = b->nrst_asserted || !powered(b);
	if (!b->core.in_reset)
		sr_sim_core_reset(b);
	else
		sr_sim_core_set_run(b, SR_SIM_RUNNING);
}

void sr_sim_request_reset(struct sr_sim_board *b, enum sr_sim_reset_cause cause)
{
	if (b->core.in_slice) {
		b->reset_pending = true;
		b->pending_cause = cause;
		return;
	}
	sr_sim_system_reset(b, cause);
}

uint32_t sr_sim_board_vtarget_mv(struct sr_sim_board *b)
{
	return b->vtarget_mv;
}

void sr_sim_board_set_power(struct sr_sim_board *b, uint32_t mv)
{
	bool was = powered(b);
	b->vtarget_mv = mv;
	if (was && !powered(b)) {
		b->core.in_reset = true;
		memset(b->ram, 0, b->ram_size); /* SRAM does not keep its content */
		sr_sim_core_ram_written(b, 0, UINT32_MAX);
		b->fops->reset(b, true);
		debug_por(b);
	} else if (!was && powered(b)) {
		sr_sim_system_reset(b, SR_SIM_RESET_POR);
	}
}

void sr_sim_board_nrst(struct sr_sim_board *b, bool asserted)
{
	if (!b->nrst_wired) {
		sr_debug("sim: NRST is not wired to the probe: no effect");
		return;
	}
	if (asserted == b->nrst_asserted)
		return;
	b->nrst_asserted = asserted;
	if (asserted) {
		sr_sim_system_reset(b, SR_SIM_RESET_PIN); /* held until released */
	} else if (powered(b)) {
		b->core.in_reset = false;
		sr_sim_core_reset(b); /* the core fetches its vectors as NRST rises */
	}
}

uint64_t sr_sim_now_ns(const struct sr_sim_board *b)
{
	return b->now_ns;
}

uint64_t sr_sim_swd_transactions(const struct sr_sim_board *b)
{
	return b->transactions;
}

static uint64_t next_event(struct sr_sim_board *b, uint64_t target)
{
	uint64_t next = target;
	uint64_t fb = b->fops->busy_until(b);
	uint64_t iw = sr_sim_iwdg_expiry(b);
	uint64_t ww = sr_sim_wwdg_expiry(b);
	if (fb > b->now_ns && fb < next)
		next = fb;
	if (iw < next)
		next = iw > b->now_ns ? iw : b->now_ns;
	if (ww < next)
		next = ww > b->now_ns ? ww : b->now_ns;
	return next;
}

void sr_sim_advance(struct sr_sim_board *b, uint64_t ns)
{
	uint64_t target = b->now_ns + ns;
	while (b->now_ns < target) {
		uint64_t next = next_event(b, target);
		if (sr_sim_core_executing(b))
			sr_sim_core_run(b, next);
		else if (next > b->now_ns)
			b->now_ns = next;
		if (b->core.sysreset_req)
			sr_sim_system_reset(b, SR_SIM_RESET_SOFT);
		if (b->reset_pending) {
			b->reset_pending = false;
			sr_sim_system_reset(b, b->pending_cause);
		}
		b->fops->sync(b, b->now_ns);
		sr_sim_iwdg_sync(b, b->now_ns);
		if (b->iwdg.running && b->iwdg.remaining_ns == 0 && powered(b))
			sr_sim_system_reset(b, SR_SIM_RESET_IWDG); /* RM0390 19.3.1 */
		sr_sim_wwdg_sync(b, b->now_ns);
		if (sr_sim_wwdg_fired(b) && powered(b))
			sr_sim_system_reset(b, SR_SIM_RESET_WWDG); /* RM0385 28.3.1 */
	}
}

void sr_sim_stall_until(struct sr_sim_board *b, uint64_t t)
{
	uint64_t now = sr_sim_time(b);
	if (t <= now)
		return;
	if (b->core.in_slice)
		b->core.slice_stall_ns += t - now;
	else
		sr_sim_advance(b, t - now);
}

/* A UID that differs between boards: derived from the path (FNV-1a). */
static void make_uid(struct sr_sim_board *b, const char *path)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = path; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	for (int i = 0; i < 12; i++)
		b->uid[i] = (uint8_t)(h >> (8 * (i % 8))) ^ (uint8_t)(i * 37);
}

static void fresh_settings(struct sr_sim_state *st, const char *chip, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base) + 5;
	char *mem = sr_calloc(1, n);
	snprintf(mem, n, "%s.mem", base);
	sr_sim_state_set(st, "chip", "name", chip);
	sr_sim_state_set(st, "board", "memory_file", mem);
	free(mem);
}

int sr_sim_board_create(const char *chip, const char *path)
{
	struct sr_sim_board *b = sr_calloc(1, sizeof(*b));
	int rc = sr_sim_state_new(path, &b->st);
	if (rc == SR_OK) {
		fresh_settings(b->st, chip, path);
		rc = sr_sim_board_alloc(b, chip);
	}
	if (rc == SR_OK) {
		memset(b->flash, 0xFF, b->chip->flash_size); /* erased, as shipped */
		memset(b->otp, 0xFF, b->chip->otp_size);
		make_uid(b, path);
		b->vtarget_mv = 3300;
		b->nrst_wired = true;
		b->fw_feeds_iwdg = true;
		b->fops->factory(b);
		sr_sim_system_reset(b, SR_SIM_RESET_POR);
		rc = sr_sim_board_save(b);
	}
	sr_sim_board_free(b);
	return rc;
}
