/* [area] sections and the consistency checks run on every optbytes/ table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "common/util.h"
#include "ob/ob-internal.h"

static int area_set(struct sr_ob_load *c, struct sr_ob_area *a, const char *k, const char *v)
{
	if (strcmp(k, "kind") == 0) {
		if (strcmp(v, "wrp") && strcmp(v, "pcrop"))
			return SR_E_PARSE;
		a->kind = strcmp(v, "wrp") == 0 ? SR_AREA_WRP : SR_AREA_PCROP;
		return SR_OK;
	}
	if (strcmp(k, "start") == 0 || strcmp(k, "end") == 0) {
		const struct sr_ob_field *f = sr_ob_field_find(c->t, v);
		if (!f || f->kind != SR_OB_NUMBER)
			return SR_E_PARSE;
		*(strcmp(k, "start") == 0 ? &a->start : &a->end) = (int)(f - c->t->fields);
		return SR_OK;
	}
	if (strcmp(k, "unit") == 0)
		return sr_parse_size(v, &a->unit) || a->unit == 0 ? SR_E_PARSE : SR_OK;
	if (strcmp(k, "base") == 0)
		return sr_parse_u32(v, &a->base);
	if (strcmp(k, "help") == 0) {
		free(a->help);
		a->help = sr_strdup(v);
		return SR_OK;
	}
	return SR_E_NOTFOUND;
}

void sr_ob_area_section(struct sr_ob_load *c, const char *name)
{
	struct sr_ob_table *t = c->t;
	struct sr_ob_area *a;
	int line = 0;
	t->areas = sr_realloc_array(t->areas, (size_t)t->n_areas + 1, sizeof(*t->areas));
	a = &t->areas[t->n_areas++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->start = a->end = -1;
	for (int i = 0; i < c->ini->n; i++) {
		const struct sr_ini_entry *e = &c->ini->e[i];
		char kind[16];
		const char *n;
		sr_ini_section_split(e->section, kind, sizeof(kind), &n);
		if (strcmp(kind, "area") != 0 || strcmp(n, name) != 0)
			continue;
		line = line ? line : e->line;
		if (area_set(c, a, e->key, e->value) != SR_OK)
			sr_ob_bad(c, e, "unknown key or bad value (kind, start, end: number fields; "
					"unit, base, help)");
	}
	if (a->start < 0 || a->end < 0 || a->unit == 0) {
		sr_msgs_add(c->msgs, "%s:%d: [area %s] needs kind, start, end and unit",
			    c->ini->path, line, name);
		c->errors++;
	}
}

static bool devices_meet(const uint16_t *a, int na, const uint16_t *b, int nb)
{
	if (na == 0 || nb == 0)
		return true;
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			if (a[i] == b[j])
				return true;
	return false;
}

static void check_field_vs_reg(struct sr_ob_load *c, const struct sr_ob_field *f)
{
	const struct sr_ob_reg *r = &c->t->regs[f->reg];
	uint32_t mask = sr_field_mask(f->hi, f->lo);
	if (mask & r->control) {
		sr_msgs_add(c->msgs, "%s:%d: [field %s] overlaps control bits of %s", c->ini->path,
			    f->line, f->name, r->name);
		c->errors++;
	}
	if (sr_field_get(r->def, f->hi, f->lo) != f->def) {
		sr_msgs_add(c->msgs,
			    "%s:%d: [field %s] default 0x%X disagrees with the default of %s "
			    "(0x%08X has 0x%X in bits %u:%u)",
			    c->ini->path, f->line, f->name, f->def, r->name, r->def,
			    sr_field_get(r->def, f->hi, f->lo), f->hi, f->lo);
		c->errors++;
	}
}

static void check_overlaps(struct sr_ob_load *c, int i)
{
	const struct sr_ob_field *a = &c->t->fields[i];
	for (int j = 0; j < i; j++) {
		const struct sr_ob_field *b = &c->t->fields[j];
		if (a->reg != b->reg || !devices_meet(a->devices, a->n_devices, b->devices, b->n_devices))
			continue;
		if (sr_field_mask(a->hi, a->lo) & sr_field_mask(b->hi, b->lo)) {
			sr_msgs_add(c->msgs, "%s:%d: [field %s] overlaps field %s", c->ini->path,
				    a->line, a->name, b->name);
			c->errors++;
		}
		if (strcmp(a->name, b->name) == 0) {
			sr_msgs_add(c->msgs, "%s:%d: [field %s] defined twice", c->ini->path,
				    a->line, a->name);
			c->errors++;
		}
	}
}

/* Every value the bits can hold must have a choice (fields up to 16 bits are checked). */
static void check_choices(struct sr_ob_load *c, const struct sr_ob_field *f)
{
	uint32_t maxv = sr_field_mask(f->hi, f->lo) >> f->lo;
	if (f->kind != SR_OB_ENUM)
		return;
	for (int i = 0; i < f->n_choices; i++)
		if (!f->choices[i].any && f->choices[i].value > maxv) {
			sr_msgs_add(c->msgs, "%s:%d: [field %s] choice 0x%X does not fit in %u bits",
				    c->ini->path, f->line, f->name, f->choices[i].value,
				    f->hi - f->lo + 1);
			c->errors++;
		}
	for (int i = 0; i < f->n_choices; i++)
		for (int j = 0; j < i; j++)
			if (strcasecmp(f->choices[i].label, f->choices[j].label) == 0) {
				sr_msgs_add(c->msgs, "%s:%d: [field %s] two choices are labelled '%s'",
					    c->ini->path, f->line, f->name, f->choices[i].label);
				c->errors++;
			}
	if (f->hi - f->lo >= 16)
		return;
	for (uint32_t v = 0; v <= maxv; v++)
		if (!sr_ob_choice_of(f, v)) {
			sr_msgs_add(c->msgs, "%s:%d: [field %s] has no choice for value 0x%X",
				    c->ini->path, f->line, f->name, v);
			c->errors++;
			return;
		}
}

/* A mode names another field of the table, and the factory values are not in it
 * (defaults are described without modes). */
static void check_mode(struct sr_ob_load *c, const struct sr_ob_field *f)
{
	if (!f->mode.field[0])
		return;
	const struct sr_ob_field *m = sr_ob_field_find(c->t, f->mode.field);
	const char *why = !m ? "names no field of this table"
			  : m->def == f->mode.value ? "holds for the factory default"
						    : NULL;
	if (why) {
		sr_msgs_add(c->msgs, "%s:%d: [field %s] mode %s=%u %s", c->ini->path, f->line,
			    f->name, f->mode.field, f->mode.value, why);
		c->errors++;
	}
}

void sr_ob_table_check(struct sr_ob_load *c)
{
	for (int i = 0; i < c->t->n_fields; i++) {
		check_mode(c, &c->t->fields[i]);
		check_field_vs_reg(c, &c->t->fields[i]);
		check_overlaps(c, i);
		check_choices(c, &c->t->fields[i]);
	}
}
