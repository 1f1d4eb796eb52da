/*
 * Scenarios: a shipped INI file that turns a factory-fresh board into a board in
 * trouble. [scenario] names the chip, says what it shows and whether the flash
 * holds firmware (a vector table, so the core runs "its firmware" after reset);
 * every other section's keys are written over the fresh board's state file
 * (src/sim/STATE.md), then the board is power-cycled so that option bytes load
 * and the core boots as it would on a real bench; sections named [after.X] are
 * written to section X after that (state a reset would clear: sticky flags, a
 * probe left in debug mode). Format: scenarios/README.
 */
#include "config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/board.h"
#include "sim/chipdef.h"
#include "sim/scenario.h"
#include "sim/state.h"

struct overlay {
	struct sr_sim_state *st;
	bool after; /* the phase after the power cycle */
};

static int overlay_key(void *user, const char *section, const char *key, const char *value)
{
	struct overlay *o = user;
	bool after = strncmp(section, "after.", 6) == 0;
	if (strcmp(section, "scenario") == 0 || after != o->after)
		return 1;
	sr_sim_state_set(o->st, after ? section + 6 : section, key, value);
	return 1;
}

static int apply(const char *scenario, const char *path, bool after)
{
	struct overlay o = {.after = after};
	int rc = sr_sim_state_load(path, &o.st);
	if (rc != SR_OK)
		return rc;
	if (ini_parse(scenario, overlay_key, &o) != 0) {
		sr_err("sim: scenario %s is malformed", scenario);
		rc = SR_E_PARSE;
	}
	if (rc == SR_OK)
		rc = sr_sim_state_save(o.st);
	sr_sim_state_free(o.st);
	return rc;
}

/*
 * Firmware that boots: initial SP at the top of the first RAM region and a reset
 * handler (Thumb) inside flash (ARMv7-M B1.5.5, vector table at the boot address).
 * The code itself is never emulated (STATE.md [firmware]).
 */
static int write_vectors(const char *path, const struct sr_sim_chipdef *c)
{
	size_t n = strlen(path) + 8;
	char *mem = sr_calloc(1, n);
	snprintf(mem, n, "%s.mem", path);
	FILE *f = fopen(mem, "r+b");
	free(mem);
	if (!f)
		return SR_E_IO;
	uint32_t v[2] = {c->ram[0].base + c->ram[0].size, c->flash_base + 0x1C1};
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v[i / 4] >> (8 * (i % 4)));
	int rc = fwrite(b, 1, 8, f) == 8 ? SR_OK : SR_E_IO;
	return fclose(f) == 0 ? rc : SR_E_IO;
}

static int power_cycle(const char *path)
{
	struct sr_sim_board *b;
	int rc = sr_sim_board_open(path, &b);
	if (rc != SR_OK)
		return rc;
	uint32_t mv = sr_sim_board_vtarget_mv(b);
	sr_sim_board_set_power(b, 0);
	sr_sim_board_set_power(b, mv);
	sr_sim_advance(b, 1000000); /* 1 ms: the core reaches its firmware */
	sr_sim_board_close(b);
	return SR_OK;
}

int sr_sim_scenario_info(const char *scenario, struct sr_sim_scenario *out)
{
	struct sr_sim_state *sc;
	int rc = sr_sim_state_load(scenario, &sc);
	if (rc != SR_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	const char *chip = sr_sim_state_get(sc, "scenario", "chip");
	const char *title = sr_sim_state_get(sc, "scenario", "title");
	const char *diag = sr_sim_state_get(sc, "scenario", "diagnoses");
	snprintf(out->chip, sizeof(out->chip), "%s", chip ? chip : "");
	snprintf(out->title, sizeof(out->title), "%s", title ? title : "");
	snprintf(out->diagnoses, sizeof(out->diagnoses), "%s", diag ? diag : "");
	sr_sim_state_get_bool(sc, "scenario", "firmware", false, &out->firmware);
	sr_sim_state_free(sc);
	if (!chip) {
		sr_err("sim: scenario %s has no [scenario] chip", scenario);
		return SR_E_PARSE;
	}
	return SR_OK;
}

int sr_sim_scenario_create(const char *scenario, const char *path)
{
	struct sr_sim_scenario info;
	struct sr_sim_chipdef c;
	int rc = sr_sim_scenario_info(scenario, &info);
	if (rc == SR_OK)
		rc = sr_sim_chipdef_load(info.chip, &c);
	if (rc == SR_OK)
		rc = sr_sim_board_create(info.chip, path);
	if (rc == SR_OK && info.firmware)
		rc = write_vectors(path, &c);
	if (rc == SR_OK)
		rc = apply(scenario, path, false);
	if (rc == SR_OK)
		rc = power_cycle(path);
	return rc == SR_OK ? apply(scenario, path, true) : rc;
}
