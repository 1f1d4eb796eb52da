/* Global options, dispatch to a command, and the help and version texts. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/log.h"
#include "common/util.h"

static const char usage_head[] =
    "Usage: stmrescue [OPTIONS] [COMMAND [ARGS]]\n"
    "Bring STM32 boards back to life over ST-Link probes.\n\n"
    "Options:\n"
    "  --probe SPEC        probe to use: a serial number, usb:BUS:ADDR, or\n"
    "                      sim:STATEFILE|SCENARIO for the virtual lab\n"
    "  --connect MODE      normal, hotplug, under-reset or auto (default auto)\n"
    "  --json              print machine-readable JSON instead of text\n"
    "  --yes               answer yes to confirmations that have no typed form\n"
    "  -v, --verbose       more detail in the log (repeat for USB hex dumps)\n"
    "  --log FILE          write the log to FILE\n"
    "  --datadir DIR       use DIR/families and DIR/optbytes\n"
    "  --version           print the version\n"
    "  -h, --help          print this help\n\n"
    "Commands:\n";

static void print_usage(FILE *f)
{
	fputs(usage_head, f);
	for (const struct sr_cmd *c = sr_commands; c->name; c++)
		fprintf(f, "  %-8s %-42s %s\n", c->name, c->args, c->summary);
	fputs("\nRun 'stmrescue help COMMAND' for details; exit codes are in stmrescue(1).\n", f);
}

void sr_cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("stmrescue: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void sr_cli_usage_error(const struct sr_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("stmrescue: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: stmrescue %s %s\n", cmd->name, cmd->args);
}

int sr_cmd_help(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_cmd *c;
	if (argc < 2) {
		print_usage(cli->out);
		return SR_EXIT_OK;
	}
	c = sr_cmd_find(argv[1]);
	if (!c) {
		sr_cli_error("no command '%s'; 'stmrescue --help' lists them", argv[1]);
		return SR_EXIT_USAGE;
	}
	fprintf(cli->out, "Usage: stmrescue %s %s\n%s.\n", c->name, c->args, c->summary);
	if (c->help)
		fprintf(cli->out, "\n%s\n", c->help);
	return SR_EXIT_OK;
}

/* Options that take a value, and where they go. */
static const char **global_slot(struct sr_cli *cli, const char *name)
{
	if (strcmp(name, "--probe") == 0)
		return &cli->probe;
	if (strcmp(name, "--connect") == 0)
		return &cli->connect;
	if (strcmp(name, "--log") == 0)
		return &cli->log_path;
	if (strcmp(name, "--datadir") == 0)
		return &cli->datadir;
	return NULL;
}

/* One global option at ARGV[I]; returns how many words it used (0: not global, -1: error). */
static int take_one(struct sr_cli *cli, int argc, char **argv, int i)
{
	const char *a = argv[i], **slot;
	const char *eq = strchr(a, '=');
	char name[32];
	if (!strcmp(a, "--json") || !strcmp(a, "--yes") || !strcmp(a, "-v") ||
	    !strcmp(a, "--verbose") || !strcmp(a, "-vv")) {
		cli->json |= !strcmp(a, "--json");
		cli->yes |= !strcmp(a, "--yes");
		cli->verbose += a[1] == 'v' ? (int)strlen(a) - 1 : !strcmp(a, "--verbose");
		return 1;
	}
	snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
	slot = global_slot(cli, name);
	if (!slot)
		return 0;
	if (eq) {
		*slot = eq + 1;
		return 1;
	}
	if (i + 1 >= argc) {
		sr_cli_error("%s needs a value", a);
		return -1;
	}
	*slot = argv[i + 1];
	return 2;
}

int sr_cli_take_globals(struct sr_cli *cli, int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc;) {
		int used;
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		used = take_one(cli, *argc, argv, i);
		if (used < 0)
			return SR_EXIT_USAGE;
		if (used == 0)
			argv[out++] = argv[i++];
		i += used;
	}
	*argc = out;
	argv[out] = NULL;
	return SR_EXIT_OK;
}

int sr_cli_load_db(struct sr_cli *cli)
{
	struct sr_msgs why = {0};
	char *dir = sr_db_find_datadir(cli->datadir, &why);
	int rc = dir ? sr_db_load(dir, &cli->db, &cli->problems) : SR_E_NODATA;
	free(dir);
	if (rc != SR_OK) {
		for (int i = 0; i < why.n; i++)
			sr_cli_error("%s", why.v[i]);
		for (int i = 0; i < cli->problems.n; i++)
			sr_cli_error("%s", cli->problems.v[i]);
		sr_msgs_free(&why);
		return SR_EXIT_DATA;
	}
	sr_msgs_free(&why);
	if (!cli->json)
		for (int i = 0; i < cli->problems.n; i++)
			sr_cli_error("warning: %s (file skipped)", cli->problems.v[i]);
	return SR_EXIT_OK;
}

static int run_command(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_cmd *cmd;
	int rc;
	if (argc < 1) {
		/* No command: the TUI will open here; until then show the database. */
		static char chips[] = "chips";
		static char *chips_argv[] = {chips, NULL};
		if (isatty(STDOUT_FILENO))
			fputs("stmrescue: the interactive screen is not built yet; showing the chip "
			      "database. 'stmrescue --help' lists the commands.\n\n",
			      cli->out);
		return run_command(cli, 1, chips_argv);
	}
	cmd = sr_cmd_find(argv[0]);
	if (!cmd) {
		sr_cli_error("unknown command '%s'; 'stmrescue --help' lists them", argv[0]);
		return SR_EXIT_USAGE;
	}
	if (cmd->needs_db && (rc = sr_cli_load_db(cli)) != SR_EXIT_OK)
		return rc;
	return cmd->run(cli, argc, argv);
}

static int early_flags(int argc, char **argv, FILE *out)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--version")) {
			fprintf(out, "stmrescue %s\n", PACKAGE_VERSION);
			return SR_EXIT_OK;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage(out);
			return SR_EXIT_OK;
		}
	}
	return -1;
}

int sr_cli_main(int argc, char **argv)
{
	struct sr_cli cli = {.out = stdout};
	int rc = early_flags(argc, argv, stdout);
	if (rc >= 0)
		return rc;
	if (sr_cli_take_globals(&cli, &argc, argv) != SR_EXIT_OK)
		return SR_EXIT_USAGE;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (argv[i][0] == '-' && argv[i][1] && i == 1) {
			sr_cli_error("unknown option '%s'; 'stmrescue --help' lists them", argv[i]);
			return SR_EXIT_USAGE;
		}
	sr_log_set_level(SR_LOG_WARN + cli.verbose);
	if (cli.log_path && sr_log_open(cli.log_path) != SR_OK) {
		sr_cli_error("cannot open the log file %s: %m", cli.log_path);
		return SR_EXIT_USAGE;
	}
	rc = run_command(&cli, argc - 1, argv + 1);
	sr_db_free(cli.db);
	sr_msgs_free(&cli.problems);
	sr_log_close();
	return rc;
}
