/* `stmrescue ob decode`: raw option-byte words from a log, decoded offline. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/util.h"
#include "ob/ob.h"

struct decode {
	const struct sr_family *fam;
	const struct sr_device *dev; /* NULL: every device of the family */
	struct sr_ob_values v;
	int n_differ;
};

static void list_registers(const struct sr_ob_table *t)
{
	fprintf(stderr, "Registers of %s:", t->family);
	for (int i = 0; i < t->n_regs; i++)
		fprintf(stderr, " %s", t->regs[i].name);
	fputc('\n', stderr);
}

static int parse_assignments(struct decode *d, int argc, char **argv)
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

static bool field_shown(const struct decode *d, const struct sr_ob_field *f)
{
	return d->v.given[f->reg] && sr_ob_field_applies(f, d->dev ? d->dev->dev_id : 0);
}

static json_t *field_json(const struct decode *d, const struct sr_ob_field *f)
{
	uint32_t val = sr_ob_field_value(&d->v, f);
	char text[512], deftext[512], danger[128], bits[8];
	int digits = (f->hi - f->lo + 4) / 4;
	sr_ob_describe(f, val, text, sizeof(text));
	sr_ob_describe(f, f->def, deftext, sizeof(deftext));
	sr_danger_names(sr_ob_change_danger(f, val, f->def), danger, sizeof(danger));
	snprintf(bits, sizeof(bits), f->hi == f->lo ? "%u" : "%u:%u", f->hi, f->lo);
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:b, s:s}", "name", f->name,
			      "register", d->v.t->regs[f->reg].name, "bits", bits, "value",
			      sr_json_hex(val, digits), "meaning", text, "default",
			      sr_json_hex(f->def, digits), "default_meaning", deftext, "differs",
			      val != f->def, "help", f->help);
	if (val != f->def)
		json_object_set_new(o, "restoring_default", json_string(danger));
	if (f->n_devices) {
		json_t *a = json_array();
		for (int i = 0; i < f->n_devices; i++)
			json_array_append_new(a, sr_json_hex(f->devices[i], 3));
		json_object_set_new(o, "devices", a);
	}
	return o;
}

static void print_field(struct sr_cli *cli, struct decode *d, const struct sr_ob_field *f)
{
	uint32_t val = sr_ob_field_value(&d->v, f);
	char text[512], deftext[512], bits[8];
	sr_ob_describe(f, val, text, sizeof(text));
	snprintf(bits, sizeof(bits), f->hi == f->lo ? "%u" : "%u:%u", f->hi, f->lo);
	fprintf(cli->out, "  %-12s %-5s 0x%-5X %s%s\n", f->name, bits, val, text,
		val != f->def ? "   <- differs from factory default" : "");
	if (f->n_devices && !d->dev) {
		fprintf(cli->out, "  %-25s (only on", "");
		for (int i = 0; i < f->n_devices; i++)
			fprintf(cli->out, " 0x%03X", f->devices[i]);
		fprintf(cli->out, ")\n");
	}
	if (val == f->def)
		return;
	d->n_differ++;
	sr_ob_describe(f, f->def, deftext, sizeof(deftext));
	fprintf(cli->out, "  %-25s factory default 0x%X: %s\n", "", f->def, deftext);
	fprintf(cli->out, "  %-25s %s\n", "", f->help);
	sr_danger_names(sr_ob_change_danger(f, val, f->def), deftext, sizeof(deftext));
	if (deftext[0])
		fprintf(cli->out, "  %-25s restoring the factory value: %s\n", "", deftext);
}

static void print_area(struct sr_cli *cli, const struct decode *d, const struct sr_ob_area *a)
{
	const struct sr_ob_field *fs = &d->v.t->fields[a->start], *fe = &d->v.t->fields[a->end];
	uint32_t s, e;
	if (!field_shown(d, fs) || !field_shown(d, fe))
		return;
	s = sr_ob_field_value(&d->v, fs);
	e = sr_ob_field_value(&d->v, fe);
	if (s > e)
		fprintf(cli->out, "  area %s: inactive (start > end)\n", a->name);
	else
		fprintf(cli->out, "  area %s: 0x%08X-0x%08X %s\n", a->name, a->base + s * a->unit,
			a->base + (e + 1) * a->unit - 1,
			a->kind == SR_AREA_WRP ? "write-protected" : "read-protected (PCROP)");
}

static int decode_text(struct sr_cli *cli, struct decode *d)
{
	const struct sr_ob_table *t = d->v.t;
	fprintf(cli->out, "%s option bytes%s%s (%s)\n", d->fam->title, d->dev ? " of " : "",
		d->dev ? d->dev->name : "", t->ref ? t->ref : t->path);
	for (int r = 0; r < t->n_regs; r++) {
		if (!d->v.given[r])
			continue;
		fprintf(cli->out, "%s = 0x%08X (factory default 0x%08X)\n", t->regs[r].name,
			d->v.raw[r], t->regs[r].def);
		for (int i = 0; i < t->n_fields; i++)
			if (t->fields[i].reg == r && field_shown(d, &t->fields[i]))
				print_field(cli, d, &t->fields[i]);
	}
	for (int i = 0; i < t->n_areas; i++)
		print_area(cli, d, &t->areas[i]);
	if (d->n_differ == 0)
		fprintf(cli->out, "Nothing differs from the factory defaults.\n");
	else
		fprintf(cli->out, "%d field%s differ%s from the factory defaults.\n", d->n_differ,
			d->n_differ == 1 ? "" : "s", d->n_differ == 1 ? "s" : "");
	return SR_EXIT_OK;
}

static int decode_json(struct sr_cli *cli, struct decode *d)
{
	const struct sr_ob_table *t = d->v.t;
	json_t *doc = json_object(), *regs = json_array(), *fields = json_array(),
	       *differ = json_array();
	for (int r = 0; r < t->n_regs; r++)
		if (d->v.given[r])
			json_array_append_new(regs, json_pack("{s:s, s:o, s:o}", "name",
							      t->regs[r].name, "value",
							      sr_json_hex(d->v.raw[r], 8), "default",
							      sr_json_hex(t->regs[r].def, 8)));
	for (int i = 0; i < t->n_fields; i++) {
		const struct sr_ob_field *f = &t->fields[i];
		if (!field_shown(d, f))
			continue;
		json_array_append_new(fields, field_json(d, f));
		if (sr_ob_field_value(&d->v, f) != f->def)
			json_array_append_new(differ, json_string(f->name));
	}
	json_object_set_new(doc, "family", json_string(d->fam->name));
	if (d->dev)
		json_object_set_new(doc, "device", sr_json_hex(d->dev->dev_id, 3));
	json_object_set_new(doc, "registers", regs);
	json_object_set_new(doc, "fields", fields);
	json_object_set_new(doc, "differs", differ);
	return sr_cli_json_out(cli, doc);
}

static int ob_decode(struct sr_cli *cli, const struct sr_cmd *self, int argc, char **argv)
{
	struct decode d = {0};
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
	if (rc == SR_EXIT_OK)
		rc = cli->json ? decode_json(cli, &d) : decode_text(cli, &d);
	sr_ob_values_free(&d.v);
	return rc;
}

int sr_cmd_ob(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_cmd *self = sr_cmd_find("ob");
	if (argc >= 2 && strcmp(argv[1], "decode") == 0)
		return ob_decode(cli, self, argc - 2, argv + 2);
	sr_cli_usage_error(self, argc < 2 ? "ob needs a subcommand" : "unknown ob subcommand '%s'",
			   argc < 2 ? "" : argv[1]);
	return SR_EXIT_USAGE;
}
