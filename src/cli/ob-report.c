/* Option-byte values decoded for people and for --json: shared by `ob decode` and `info`. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/util.h"
#include "ob/ob.h"

static bool field_shown(const struct sr_ob_report *d, const struct sr_ob_field *f)
{
	return d->v.given[f->reg] && sr_ob_field_applies(f, d->dev ? d->dev->dev_id : 0);
}

/* F in the mode the values select, with the bits of items the chip lacks left out. */
static const struct sr_ob_field *shown_as(const struct sr_ob_report *d, const struct sr_ob_field *f,
					  struct sr_ob_field *tmp)
{
	const struct sr_ob_field *g = sr_ob_field_as(&d->v, f, tmp);
	if (!d->n_items || f->kind != SR_OB_BITMASK)
		return g;
	if (g != tmp)
		*tmp = *g;
	tmp->n_items = d->n_items;
	return tmp;
}

static json_t *field_json(const struct sr_ob_report *d, const struct sr_ob_field *f)
{
	uint32_t val = sr_ob_field_value(&d->v, f);
	char text[512], deftext[512], danger[128], bits[8];
	int digits = (f->hi - f->lo + 4) / 4;
	struct sr_ob_field as;
	sr_ob_describe(shown_as(d, f, &as), val, text, sizeof(text));
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

static void print_field(struct sr_cli *cli, struct sr_ob_report *d, const struct sr_ob_field *f)
{
	uint32_t val = sr_ob_field_value(&d->v, f);
	char text[512], deftext[512], bits[8];
	struct sr_ob_field as;
	sr_ob_describe(shown_as(d, f, &as), val, text, sizeof(text));
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

static void print_area(struct sr_cli *cli, const struct sr_ob_report *d, const struct sr_ob_area *a)
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

void sr_cli_ob_text(struct sr_cli *cli, struct sr_ob_report *d)
{
	const struct sr_ob_table *t = d->v.t;
	d->n_differ = 0;
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
}

json_t *sr_cli_ob_json(struct sr_ob_report *d)
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
	return doc;
}

