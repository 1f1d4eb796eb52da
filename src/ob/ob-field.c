/* [field] and [area] sections of an optbytes/ file, and the checks on the whole table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "db/db-internal.h"
#include "ob/ob-internal.h"

/* "0xAA | level 0 | no protection [| erases-flash]" */
static int parse_choice(struct sr_ob_field *f, const char *value)
{
	char buf[512];
	char *p[4];
	struct sr_ob_choice ch = {0};
	int n;
	snprintf(buf, sizeof(buf), "%s", value);
	n = sr_split(buf, '|', p, 4);
	if (n < 3 || !*p[1] || !*p[2])
		return SR_E_PARSE;
	if (strcmp(p[0], "*") == 0)
		ch.any = true;
	else if (sr_parse_u32(p[0], &ch.value))
		return SR_E_PARSE;
	if (n == 4 && sr_danger_parse(p[3], &ch.danger))
		return SR_E_PARSE;
	ch.label = sr_strdup(p[1]);
	ch.meaning = sr_strdup(p[2]);
	f->choices = sr_realloc_array(f->choices, (size_t)f->n_choices + 1, sizeof(*f->choices));
	f->choices[f->n_choices++] = ch;
	return SR_OK;
}

static int parse_kind(const char *v, enum sr_ob_kind *k)
{
	static const char *const names[] = {"enum", "bitmask", "number"};
	for (unsigned i = 0; i < SR_ARRAY_SIZE(names); i++)
		if (strcmp(v, names[i]) == 0) {
			*k = (enum sr_ob_kind)i;
			return SR_OK;
		}
	return SR_E_PARSE;
}

static int set_text(char **dst, const char *v)
{
	free(*dst);
	*dst = sr_strdup(v);
	return *v ? SR_OK : SR_E_PARSE;
}

/* Keys every kind of field has; SR_E_NOTFOUND when KEY is not one of them. */
static int field_set_common(struct sr_ob_load *c, struct sr_ob_field *f, const char *k,
			    const char *v)
{
	if (strcmp(k, "reg") == 0) {
		f->reg = sr_ob_reg_find(c->t, v);
		return f->reg < 0 ? SR_E_PARSE : SR_OK;
	}
	if (strcmp(k, "bits") == 0)
		return sr_parse_bitrange(v, &f->hi, &f->lo);
	if (strcmp(k, "default") == 0)
		return sr_parse_u32(v, &f->def);
	if (strcmp(k, "kind") == 0)
		return parse_kind(v, &f->kind);
	if (strcmp(k, "help") == 0)
		return set_text(&f->help, v);
	if (strcmp(k, "danger") == 0)
		return sr_danger_parse(v, &f->danger);
	if (strcmp(k, "devices") == 0)
		return sr_ob_parse_devices(v, f->devices, &f->n_devices);
	if (strcmp(k, "meaning") == 0)
		return set_text(&f->meaning, v);
	if (strcmp(k, "choice") == 0)
		return parse_choice(f, v);
	return SR_E_NOTFOUND;
}

/* "SPRMOD=1 | 1 | pcrop | PCROP-protected": FIELD=VALUE | active bit value | wrp or
 * pcrop | meaning. */
static int parse_mode(struct sr_ob_field *f, const char *value)
{
	char buf[512];
	char *p[4], *eq;
	snprintf(buf, sizeof(buf), "%s", value);
	if (sr_split(buf, '|', p, 4) != 4 || !*p[3] || !(eq = strchr(p[0], '=')) ||
	    (strcmp(p[2], "wrp") && strcmp(p[2], "pcrop")))
		return SR_E_PARSE;
	f->mode.pcrop = strcmp(p[2], "pcrop") == 0;
	*eq = '\0';
	if (!*p[0] || strlen(p[0]) >= sizeof(f->mode.field) ||
	    sr_parse_u32(eq + 1, &f->mode.value) || sr_parse_u32(p[1], &f->mode.active) ||
	    f->mode.active > 1)
		return SR_E_PARSE;
	snprintf(f->mode.field, sizeof(f->mode.field), "%s", p[0]);
	return set_text(&f->mode.meaning, p[3]);
}

static int field_set(struct sr_ob_load *c, struct sr_ob_field *f, const char *k, const char *v)
{
	int rc = field_set_common(c, f, k, v);
	if (rc != SR_E_NOTFOUND)
		return rc;
	if (strcmp(k, "active") == 0)
		return sr_parse_u32(v, &f->active) || f->active > 1 ? SR_E_PARSE : SR_OK;
	if (strcmp(k, "item") == 0) {
		if (!*v || strlen(v) >= sizeof(f->item))
			return SR_E_PARSE;
		strcpy(f->item, v);
		return SR_OK;
	}
	if (strcmp(k, "mode") == 0)
		return parse_mode(f, v);
	if (strcmp(k, "per_bit") == 0)
		return sr_parse_u32(v, &f->per_bit) || f->per_bit == 0 ? SR_E_PARSE : SR_OK;
	if (strcmp(k, "first") == 0)
		return sr_parse_u32(v, &f->first);
	if (strcmp(k, "last_rest") == 0) {
		f->last_rest = strcmp(v, "yes") == 0;
		return f->last_rest || strcmp(v, "no") == 0 ? SR_OK : SR_E_PARSE;
	}
	if (strcmp(k, "scale") == 0)
		return sr_parse_u32(v, &f->scale) || f->scale == 0 ? SR_E_PARSE : SR_OK;
	if (strcmp(k, "offset") == 0)
		return sr_parse_u32(v, &f->offset);
	if (strcmp(k, "min") == 0)
		return sr_parse_u32(v, &f->min);
	if (strcmp(k, "max") == 0)
		return sr_parse_u32(v, &f->max);
	return SR_E_NOTFOUND;
}

/* What a field of its kind must have; NULL when complete. */
static const char *field_incomplete(const struct sr_ob_field *f, const bool *given)
{
	if (!given[0] || !given[1] || !given[2] || !f->help)
		return "needs reg, bits, default and help";
	if (f->def > sr_field_mask(f->hi, f->lo) >> f->lo)
		return "default does not fit in its bits";
	if (f->kind == SR_OB_ENUM && f->n_choices == 0)
		return "an enum field needs choices";
	if (f->kind == SR_OB_BITMASK && (!f->item[0] || !f->meaning || !given[3]))
		return "a bitmask field needs active, item and meaning";
	if (f->kind == SR_OB_NUMBER && !f->meaning)
		return "a number field needs meaning";
	if (f->kind != SR_OB_ENUM && f->n_choices)
		return "only enum fields take choices";
	if (f->kind != SR_OB_BITMASK && f->mode.field[0])
		return "only bitmask fields take a mode";
	return NULL;
}

static struct sr_ob_field *field_new(struct sr_ob_table *t, const char *name)
{
	struct sr_ob_field *f;
	t->fields = sr_realloc_array(t->fields, (size_t)t->n_fields + 1, sizeof(*t->fields));
	f = &t->fields[t->n_fields++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->reg = -1;
	f->per_bit = 1;
	f->scale = 1;
	f->max = UINT32_MAX;
	return f;
}

void sr_ob_field_section(struct sr_ob_load *c, const char *name)
{
	struct sr_ob_field *f = field_new(c->t, name);
	bool given[4] = {false};
	const char *why;
	for (int i = 0; i < c->ini->n; i++) {
		const struct sr_ini_entry *e = &c->ini->e[i];
		char kind[16];
		const char *n;
		int rc;
		sr_ini_section_split(e->section, kind, sizeof(kind), &n);
		if (strcmp(kind, "field") != 0 || strcmp(n, name) != 0)
			continue;
		if (f->line == 0)
			f->line = e->line;
		rc = field_set(c, f, e->key, e->value);
		if (rc == SR_E_NOTFOUND)
			sr_ob_bad(c, e, "unknown key");
		else if (rc != SR_OK)
			sr_ob_bad(c, e, strcmp(e->key, "reg") == 0 ? "no such [register]" : "bad value");
		given[0] |= rc == SR_OK && strcmp(e->key, "reg") == 0;
		given[1] |= rc == SR_OK && strcmp(e->key, "bits") == 0;
		given[2] |= rc == SR_OK && strcmp(e->key, "default") == 0;
		given[3] |= rc == SR_OK && strcmp(e->key, "active") == 0;
	}
	if (strlen(name) >= sizeof(f->name))
		why = "name too long";
	else
		why = field_incomplete(f, given);
	if (why) {
		sr_msgs_add(c->msgs, "%s:%d: [field %s]: %s", c->ini->path, f->line, name, why);
		c->errors++;
	}
}
