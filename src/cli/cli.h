/* Batch command line: global options, the command table, shared output helpers. */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "common/msgs.h"
#include "db/family.h"
#include "ob/ob.h"

/* Exit codes, documented in man/stmrescue.1 (EXIT STATUS). */
enum sr_exit {
	SR_EXIT_OK = 0,      /* done */
	SR_EXIT_FAIL = 1,    /* the operation failed (target, flash, file) */
	SR_EXIT_USAGE = 2,   /* bad command line or arguments */
	SR_EXIT_DATA = 3,    /* chip database missing or unusable */
	SR_EXIT_PROBE = 4,   /* no probe, or the probe failed */
	SR_EXIT_CONNECT = 5, /* the target did not answer */
	SR_EXIT_VERIFY = 6,  /* verification found differences */
	SR_EXIT_REFUSED = 7, /* refused: needs an explicit confirmation flag */
};

struct sr_cli {
	const char *probe;   /* --probe SPEC */
	const char *connect; /* --connect MODE */
	const char *log_path;
	const char *datadir;
	bool json, yes;
	int verbose;
	struct sr_db *db;
	struct sr_msgs problems; /* data-file problems found while loading */
	FILE *out;
};

struct sr_cmd {
	const char *name;
	const char *args;    /* usage after the name */
	const char *summary; /* one line */
	const char *help;    /* paragraph for `help COMMAND` */
	bool needs_db;
	int (*run)(struct sr_cli *cli, int argc, char **argv);
};

/* The command table (cli/commands.c). */
extern const struct sr_cmd sr_commands[];
const struct sr_cmd *sr_cmd_find(const char *name);

/* Entry point used by main(): parses options, runs the command, returns an exit code. */
int sr_cli_main(int argc, char **argv);

/* Remove global options (--json, -v, --probe X, ...) from ARGV up to "--"; 0 or SR_EXIT_USAGE. */
int sr_cli_take_globals(struct sr_cli *cli, int *argc, char **argv);
/* Load the chip database; prints why not and returns SR_EXIT_DATA on failure. */
int sr_cli_load_db(struct sr_cli *cli);

/* Error for the user: "stmrescue: WHAT" on stderr. */
void sr_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sr_cli_usage_error(const struct sr_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print a JSON document to the output and free it. */
int sr_cli_json_out(struct sr_cli *cli, json_t *doc);
/* "0x%08X" as a JSON string. */
json_t *sr_json_hex(uint32_t v, int digits);
json_t *sr_json_msgs(const struct sr_msgs *m);

/* Option-byte values with their family and device, for reports (ob-report.c). */
struct sr_ob_report {
	const struct sr_family *fam;
	const struct sr_device *dev; /* NULL: every device of the family */
	struct sr_ob_values v;
	int n_differ;
	uint32_t n_items; /* sectors or pages of the chip's flash map; 0: not known */
};
void sr_cli_ob_text(struct sr_cli *cli, struct sr_ob_report *r);
json_t *sr_cli_ob_json(struct sr_ob_report *r);

/* How far sr_cli_target() got. */
enum sr_cli_stage { SR_STAGE_OPEN, SR_STAGE_CONNECT, SR_STAGE_IDENTIFY, SR_STAGE_READY };
struct sr_target;
/* Open the probe (--probe), connect (--connect) and identify the chip. *OUT is set from
 * the connect stage on, so a caller can report what the attempts saw; WHY says why not. */
int sr_cli_target(struct sr_cli *cli, struct sr_target **out, enum sr_cli_stage *stage,
		  struct sr_msgs *why);
/* The exit code (man page EXIT STATUS) for an sr_err. */
int sr_cli_exit_of(int err);

int sr_cmd_chips(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_ob(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_list(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_sim(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_info(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_read(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_program(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_verify(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_erase(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_help(struct sr_cli *cli, int argc, char **argv);
/* ob show, ob set, ob restore-defaults (ARGV[0] is the subcommand), rdp */
int sr_cmd_ob_show(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_ob_set(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_ob_restore(struct sr_cli *cli, int argc, char **argv);
int sr_cmd_rdp(struct sr_cli *cli, int argc, char **argv);

#endif
