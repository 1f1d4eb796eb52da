/* `stmrescue ob set FIELD=VALUE...` and `stmrescue ob restore-defaults`: every value is
 * checked against the chip's option-byte table before anything is written; then the
 * change is shown, guarded, backed up, written and read back (cmd-ob-change.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/ob-change.h"
#include "common/error.h"

/* The consequence flags among ARGV[1..]; the rest is left in ARGV (compacted). */
static int take_flags(int *argc, char **argv, struct sr_ob_accept *a)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (sr_cli_ob_accept_arg(argv[i], a))
			continue;
		if (argv[i][0] == '-' && argv[i][1] == '-') {
			sr_cli_usage_error(sr_cmd_find("ob"), "unknown option '%s'; the flags are:\n%s",
					   argv[i], sr_cli_ob_accept_help);
			return SR_EXIT_USAGE;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	return SR_EXIT_OK;
}

/* FIELD=VALUE words into the plan; every one is checked before any is written. */
static int assign(struct sr_cli_flash *s, struct sr_ob_plan *p, int argc, char **argv)
{
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		char name[64];
		struct sr_msgs why = {0};
		const char *eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(name)) {
			sr_cli_error("'%s' is not FIELD=VALUE (for example WDG_SW=software)",
				     argv[i]);
			bad++;
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[i]), argv[i]);
		if (sr_cli_ob_plan_set(p, &s->f, name, eq + 1, &why) != SR_OK) {
			for (int j = 0; j < why.n; j++)
				sr_cli_error("%s", why.v[j]);
			bad++;
		}
		sr_msgs_free(&why);
	}
	if (bad)
		sr_cli_error("nothing was written: %d of the values %s not valid", bad,
			     bad == 1 ? "is" : "are");
	return bad ? SR_EXIT_USAGE : SR_EXIT_OK;
}

static int run(struct sr_cli *cli, int argc, char **argv, bool defaults)
{
	struct sr_ob_accept a = {0};
	struct sr_ob_plan p;
	struct sr_cli_flash s;
	int ex = take_flags(&argc, argv, &a);
	if (ex == SR_EXIT_OK && defaults && argc > 1) {
		sr_cli_usage_error(sr_cmd_find("ob"), "ob restore-defaults takes no FIELD=VALUE");
		ex = SR_EXIT_USAGE;
	} else if (ex == SR_EXIT_OK && !defaults && argc < 2) {
		sr_cli_usage_error(sr_cmd_find("ob"), "ob set needs FIELD=VALUE words ('stmrescue "
						      "ob show' lists the fields)");
		ex = SR_EXIT_USAGE;
	}
	if (ex != SR_EXIT_OK || (ex = sr_cli_flash_open(cli, &s)) != SR_EXIT_OK)
		return ex;
	int rc = sr_cli_ob_plan_init(&p, &s.f);
	if (rc != SR_OK) {
		ex = sr_cli_flash_fail(&s, rc, "the option-byte change");
	} else {
		if (defaults)
			sr_cli_ob_plan_defaults(&p, &s.f);
		else
			ex = assign(&s, &p, argc, argv);
		if (ex == SR_EXIT_OK) {
			sr_cli_ob_plan_diff(&p, &s.f);
			ex = sr_cli_ob_apply(cli, &s, &p, &a, defaults ? "ob-defaults" : "ob-set");
		}
	}
	sr_cli_ob_plan_free(&p);
	sr_cli_flash_close(&s, true);
	return ex;
}

int sr_cmd_ob_set(struct sr_cli *cli, int argc, char **argv)
{
	return run(cli, argc, argv, false);
}

int sr_cmd_ob_restore(struct sr_cli *cli, int argc, char **argv)
{
	return run(cli, argc, argv, true);
}
