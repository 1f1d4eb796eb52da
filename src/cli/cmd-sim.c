/* `stmrescue sim`: virtual boards: list the chips, make a board, show one, run a program on one. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/util.h"
#include "ob/ob.h"
#include "sim/board.h"
#include "sim/scenario.h"
#include "sim/state.h"

/* The scenario file NAME names in the data directory's scenarios/, or NULL. */
static char *scenario_path(const struct sr_cli *cli, const char *name)
{
	size_t n = strlen(cli->db->datadir) + strlen(name) + 32;
	char *p = sr_calloc(1, n);
	snprintf(p, n, "%s/scenarios/%s.ini", cli->db->datadir, name);
	if (strchr(name, '/') == NULL && access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Scenario names (file names less .ini), sorted; the caller frees each and the array. */
static char **scenario_names(const struct sr_cli *cli, int *n)
{
	size_t len = strlen(cli->db->datadir) + 16;
	char *dir = sr_calloc(1, len), **v = NULL;
	snprintf(dir, len, "%s/scenarios", cli->db->datadir);
	DIR *d = opendir(dir);
	struct dirent *e;
	*n = 0;
	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".ini") != 0)
			continue;
		v = sr_realloc_array(v, (size_t)*n + 1, sizeof(*v));
		v[*n] = sr_strdup(e->d_name);
		v[(*n)++][l - 4] = '\0';
	}
	if (d)
		closedir(d);
	free(dir);
	if (*n)
		qsort(v, (size_t)*n, sizeof(*v), by_name);
	return v;
}

static json_t *list_scenarios(struct sr_cli *cli)
{
	int n;
	char **names = scenario_names(cli, &n);
	json_t *arr = json_array();
	if (!cli->json && n)
		fprintf(cli->out, "\nScenarios (boards in trouble):\n");
	for (int i = 0; i < n; i++) {
		char *path = scenario_path(cli, names[i]);
		struct sr_sim_scenario sc;
		if (path && sr_sim_scenario_info(path, &sc) == SR_OK) {
			if (cli->json)
				json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "name",
								     names[i], "chip", sc.chip, "title",
								     sc.title, "diagnoses", sc.diagnoses));
			else
				fprintf(cli->out, "%-26s %-10s %s\n", names[i], sc.chip, sc.title);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return arr;
}

/* The virtual chips are the parts of the chip database ([part NAME] of families/). */
static int sim_list(struct sr_cli *cli)
{
	const struct sr_part *p;
	json_t *arr = json_array();
	for (int i = 0; (p = sr_db_part_at(cli->db, i)); i++) {
		if (cli->json)
			json_array_append_new(arr, json_pack("{s:s, s:s}", "chip", p->name, "name",
							     p->device->name));
		else
			fprintf(cli->out, "%-12s %s\n", p->name, p->device->name);
	}
	json_t *sc = list_scenarios(cli);
	if (cli->json)
		return sr_cli_json_out(cli, json_pack("{s:o, s:o}", "chips", arr, "scenarios", sc));
	json_decref(arr);
	json_decref(sc);
	fprintf(cli->out, "\nMake a board with: stmrescue sim new CHIP|SCENARIO FILE\n");
	return SR_EXIT_OK;
}

static bool is_sim_chip(const struct sr_cli *cli, const char *name)
{
	return sr_db_part(cli->db, name) != NULL;
}

static int sim_new(struct sr_cli *cli, const struct sr_cmd *self, int argc, char **argv)
{
	int rc;
	if (argc != 2) {
		sr_cli_usage_error(self, "sim new needs a chip and a file name");
		return SR_EXIT_USAGE;
	}
	char *scenario = is_sim_chip(cli, argv[0]) ? NULL : scenario_path(cli, argv[0]);
	if (!scenario && !is_sim_chip(cli, argv[0])) {
		sr_cli_error("'%s' is neither a virtual chip nor a scenario; 'stmrescue sim list' "
			     "shows them",
			     argv[0]);
		return SR_EXIT_USAGE;
	}
	rc = scenario ? sr_sim_scenario_create(scenario, argv[1])
		      : sr_sim_board_create(argv[0], argv[1]);
	free(scenario);
	if (rc != SR_OK) {
		sr_cli_error("cannot create the board %s: %s", argv[1], sr_strerror(rc));
		return SR_EXIT_FAIL;
	}
	if (cli->json)
		return sr_cli_json_out(cli, json_pack("{s:s, s:s}", "file", argv[1], "chip", argv[0]));
	fprintf(cli->out, "Created a%s %s board in %s.\n",
		is_sim_chip(cli, argv[0]) ? " factory-fresh" : "", argv[0], argv[1]);
	fprintf(cli->out, "Use it: stmrescue sim run %s -- st-info --probe\n", argv[1]);
	return SR_EXIT_OK;
}

/* The option bytes stored in the state, decoded: RDP and what differs from the factory. */
static json_t *show_optbytes(struct sr_cli *cli, const struct sr_sim_state *st,
			     const struct sr_device *dev)
{
	const struct sr_ob_table *t = dev->family->ob;
	json_t *regs = json_object(), *differs = json_array();
	struct sr_ob_values v;
	sr_ob_values_init(&v, t);
	for (int r = 0; r < t->n_regs; r++) {
		char key[32];
		uint32_t raw;
		for (size_t i = 0; i <= strlen(t->regs[r].name) && i < sizeof(key); i++)
			key[i] = (char)tolower((unsigned char)t->regs[r].name[i]);
		if (!sr_sim_state_get(st, "option_bytes", key) ||
		    sr_sim_state_get_u32(st, "option_bytes", key, 0, &raw) != SR_OK)
			continue;
		v.raw[r] = raw | (t->regs[r].def & t->regs[r].control);
		v.given[r] = true;
		json_object_set_new(regs, t->regs[r].name, sr_json_hex(raw, 8));
	}
	for (int i = 0; i < t->n_fields; i++) {
		const struct sr_ob_field *f = &t->fields[i];
		struct sr_ob_field as;
		char text[256];
		if (!v.given[f->reg] || !sr_ob_field_applies(f, dev->dev_id) ||
		    sr_ob_field_value(&v, f) == f->def)
			continue;
		sr_ob_describe(sr_ob_field_as(&v, f, &as), sr_ob_field_value(&v, f), text, sizeof(text));
		json_array_append_new(differs, json_pack("{s:s, s:s}", "field", f->name, "meaning", text));
		if (!cli->json)
			fprintf(cli->out, "  option byte %s: %s (not factory)\n", f->name, text);
	}
	sr_ob_values_free(&v);
	return json_pack("{s:o, s:o}", "registers", regs, "differs_from_factory", differs);
}

static int sim_show(struct sr_cli *cli, const struct sr_cmd *self, int argc, char **argv)
{
	struct sr_sim_state *st;
	const struct sr_device *dev;
	const struct sr_part *part;
	const char *chip, *pid, *fw, *mode;
	uint32_t mv = 0;
	bool nrst = true;
	json_t *ob;
	if (argc != 1) {
		sr_cli_usage_error(self, "sim show needs a board file");
		return SR_EXIT_USAGE;
	}
	if (sr_sim_state_load(argv[0], &st) != SR_OK) {
		sr_cli_error("%s is not a readable board state file (see src/sim/STATE.md)", argv[0]);
		return SR_EXIT_FAIL;
	}
	chip = sr_sim_state_get(st, "chip", "name");
	part = chip ? sr_db_part(cli->db, chip) : NULL;
	dev = part ? part->device : chip ? sr_db_device_lookup(cli->db, chip) : NULL;
	pid = sr_sim_state_get(st, "probe", "pid");
	fw = sr_sim_state_get(st, "probe", "firmware");
	mode = sr_sim_state_get(st, "probe", "mode");
	sr_sim_state_get_u32(st, "board", "target_mv", 3300, &mv);
	sr_sim_state_get_bool(st, "board", "nrst_wired", true, &nrst);
	if (!cli->json)
		fprintf(cli->out, "%s: %s, target %u mV, NRST %s; probe %s %s, mode %s\n", argv[0],
			dev ? dev->name : (chip ? chip : "unknown chip"), mv,
			nrst ? "wired" : "not wired", pid ? pid : "0x374b (default)",
			fw ? fw : "(default firmware)", mode ? mode : "(default)");
	ob = dev && dev->family->ob ? show_optbytes(cli, st, dev) : json_null();
	if (cli->json)
		sr_cli_json_out(cli, json_pack("{s:s, s:s?, s:i, s:b, s:{s:s?, s:s?, s:s?}, s:o}",
					       "file", argv[0], "chip", chip, "target_mv", (int)mv,
					       "nrst_wired", nrst, "probe", "pid", pid, "firmware",
					       fw, "mode", mode, "option_bytes", ob));
	else
		json_decref(ob);
	sr_sim_state_free(st);
	return SR_EXIT_OK;
}

/* Where the libusb drop-in is: the build tree's when run from it, else the installed one. */
static int dropin_dir(char *buf, size_t len)
{
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat sb;
	exe[n > 0 ? n : 0] = '\0';
	if (strncmp(exe, SR_ABS_TOP_BUILDDIR "/", strlen(SR_ABS_TOP_BUILDDIR) + 1) == 0)
		snprintf(buf, len, "%s/src/sim/.libs", SR_ABS_TOP_BUILDDIR);
	else
		snprintf(buf, len, "%s", SR_PKGLIBDIR);
	snprintf(path, sizeof(path), "%s/libusb-1.0.so.0", buf);
	return stat(path, &sb) == 0 ? SR_OK : SR_E_NOTFOUND;
}

static int sim_run(struct sr_cli *cli, const struct sr_cmd *self, int argc, char **argv)
{
	char dir[PATH_MAX], state[PATH_MAX], libpath[2 * PATH_MAX];
	const char *old = getenv("LD_LIBRARY_PATH");
	if (argc < 3 || strcmp(argv[1], "--") != 0) {
		sr_cli_usage_error(self, "sim run needs a board file, --, and a command");
		return SR_EXIT_USAGE;
	}
	if (!realpath(argv[0], state)) {
		sr_cli_error("board file %s: %m (make one with 'stmrescue sim new CHIP FILE')",
			     argv[0]);
		return SR_EXIT_USAGE;
	}
	if (dropin_dir(dir, sizeof(dir)) != SR_OK) {
		sr_cli_error("the virtual lab's libusb drop-in is not in %s: rebuild or reinstall "
			     "stmrescue", dir);
		return SR_EXIT_FAIL;
	}
	snprintf(libpath, sizeof(libpath), "%s%s%s", dir, old && *old ? ":" : "", old ? old : "");
	setenv("LD_LIBRARY_PATH", libpath, 1);
	setenv("STMRESCUE_SIM", state, 1);
	setenv("STMRESCUE_DATADIR", cli->db->datadir, 0);
	fflush(NULL);
	execvp(argv[2], argv + 2);
	sr_cli_error("cannot run %s: %m", argv[2]);
	return SR_EXIT_FAIL;
}

int sr_cmd_sim(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_cmd *self = sr_cmd_find("sim");
	const char *sub = argc >= 2 ? argv[1] : "";
	if (!strcmp(sub, "list") && argc == 2)
		return sim_list(cli);
	if (!strcmp(sub, "new"))
		return sim_new(cli, self, argc - 2, argv + 2);
	if (!strcmp(sub, "show"))
		return sim_show(cli, self, argc - 2, argv + 2);
	if (!strcmp(sub, "run"))
		return sim_run(cli, self, argc - 2, argv + 2);
	sr_cli_usage_error(self, "sim needs list, new, show or run");
	return SR_EXIT_USAGE;
}
