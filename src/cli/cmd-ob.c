/* `stmrescue ob decode`: raw option-byte words from a log, decoded offline; and the
 * dispatch of the other ob subcommands (cmd-ob-show.c, cmd-ob-set.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/util.h"
#include "ob/ob.h"

static void list_registers(const struct sr_ob_table *t)
{
	fprintf(stderr, "Registers of %s:", t->family);
	for (int i = 0; i < t->n_regs; i++)
		fprintf(stderr, " %s", t->regs[i].name);
	fputc('\n', stderr);
}

static int parse_assignments(struct sr_ob_report *d, int argc, char **argv)
{
	const struct sr_ob_table *t = d->fam->ob;
	for (int i = 0; i < argc; i++) {
		char name[64];
		const char *eq = strchr(argv[i], '=');
		uint32_t raw;
		int r;
		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(name)) {
			sr_cli_error("'%s' is not REG=VALUE (for example OPTCR=0x0FFFAAED)", argv[i]);
			return SR_EXIT_USAGE;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[i]), argv[i]);
		if ((r = sr_ob_reg_find(t, name)) < 0) {
			sr_cli_error("%s has no option-byte register '%s'", d->fam->title, name);
			list_registers(t);
			return SR_EXIT_USAGE;
		}
		if (sr_parse_u32(eq + 1, &raw) != SR_OK) {
			sr_cli_error("'%s' is not a 32-bit number (write 0x0FFFAAED, 268413677, ...)",
				     eq + 1);
			return SR_EXIT_USAGE;
		}
		if (d->dev && !sr_ob_reg_applies(&t->regs[r], d->dev->dev_id)) {
			sr_cli_error("%s has no register %s", d->dev->name, t->regs[r].name);
			return SR_EXIT_USAGE;
		}
		d->v.raw[r] = raw;
		d->v.given[r] = true;
	}
	return SR_EXIT_OK;
}

static int ob_decode(struct sr_cli *cli, const struct sr_cmd *self, int argc, char **argv)
{
	struct sr_ob_report d = {0};
	int rc;
	if (argc < 2) {
		sr_cli_usage_error(self, "ob decode needs a family or device and REG=VALUE words");
		return SR_EXIT_USAGE;
	}
	if (!(d.fam = sr_db_family(cli->db, argv[0]))) {
		d.dev = sr_db_device_lookup(cli->db, argv[0]);
		d.fam = d.dev ? d.dev->family : NULL;
	}
	if (!d.fam) {
		sr_cli_error("'%s' is neither a family nor a device; 'stmrescue chips' lists them",
			     argv[0]);
		return SR_EXIT_USAGE;
	}
	if (!d.fam->ob) {
		sr_cli_error("no option-byte table for %s (optbytes/%s.ini)", d.fam->title,
			     d.fam->name);
		return SR_EXIT_DATA;
	}
	sr_ob_values_init(&d.v, d.fam->ob);
	memset(d.v.given, 0, sizeof(bool) * (size_t)d.fam->ob->n_regs);
	rc = parse_assignments(&d, argc - 1, argv + 1);
	if (rc == SR_EXIT_OK && cli->json)
		rc = sr_cli_json_out(cli, sr_cli_ob_json(&d));
	else if (rc == SR_EXIT_OK)
		sr_cli_ob_text(cli, &d);
	sr_ob_values_free(&d.v);
	return rc;
}

int sr_cmd_ob(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_cmd *self = sr_cmd_find("ob");
	if (argc >= 2 && strcmp(argv[1], "decode") == 0)
		return ob_decode(cli, self, argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return sr_cmd_ob_show(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return sr_cmd_ob_set(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "restore-defaults") == 0)
		return sr_cmd_ob_restore(cli, argc - 1, argv + 1);
	sr_cli_usage_error(self, argc < 2 ? "ob needs a subcommand" : "unknown ob subcommand '%s'",
			   argc < 2 ? "" : argv[1]);
	return SR_EXIT_USAGE;
}
