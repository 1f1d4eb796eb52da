/* Option-byte values: decoding fields into meanings, encoding user input back into words. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "common/util.h"
#include "ob/ob.h"

static const char *const danger_names[] = {"erases-flash", "irreversible", "locks-debug",
					   "geometry",     "boot",         "reset",
					   "protect"};

void sr_danger_names(unsigned danger, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < SR_ARRAY_SIZE(danger_names); i++)
		if (danger & (1u << i))
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
						 used ? ", " : "", danger_names[i]);
}

int sr_danger_parse(const char *list, unsigned *out)
{
	char buf[256], *tok, *save = NULL;
	snprintf(buf, sizeof(buf), "%s", list);
	*out = 0;
	for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		unsigned i;
		for (i = 0; i < SR_ARRAY_SIZE(danger_names); i++)
			if (strcmp(tok, danger_names[i]) == 0)
				break;
		if (i == SR_ARRAY_SIZE(danger_names))
			return SR_E_PARSE;
		*out |= 1u << i;
	}
	return SR_OK;
}

const struct sr_ob_field *sr_ob_field_find(const struct sr_ob_table *t, const char *name)
{
	for (int i = 0; i < t->n_fields; i++)
		if (strcasecmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

int sr_ob_reg_find(const struct sr_ob_table *t, const char *name)
{
	for (int i = 0; i < t->n_regs; i++) {
		if (strcasecmp(t->regs[i].name, name) == 0)
			return i;
		for (int j = 0; j < t->regs[i].n_aliases; j++)
			if (strcasecmp(t->regs[i].aliases[j], name) == 0)
				return i;
	}
	return -1;
}

static bool dev_in(const uint16_t *devs, int n, uint16_t dev_id)
{
	if (n == 0 || dev_id == 0)
		return true;
	for (int i = 0; i < n; i++)
		if (devs[i] == dev_id)
			return true;
	return false;
}

bool sr_ob_field_applies(const struct sr_ob_field *f, uint16_t dev_id)
{
	return dev_in(f->devices, f->n_devices, dev_id);
}

bool sr_ob_reg_applies(const struct sr_ob_reg *r, uint16_t dev_id)
{
	return dev_in(r->devices, r->n_devices, dev_id);
}

void sr_ob_values_init(struct sr_ob_values *v, const struct sr_ob_table *t)
{
	v->t = t;
	v->raw = sr_calloc((size_t)t->n_regs, sizeof(*v->raw));
	v->given = sr_calloc((size_t)t->n_regs, sizeof(*v->given));
	for (int i = 0; i < t->n_regs; i++)
		v->raw[i] = t->regs[i].def;
}

void sr_ob_values_free(struct sr_ob_values *v)
{
	free(v->raw);
	free(v->given);
	v->raw = NULL;
	v->given = NULL;
}

int sr_ob_values_set_reg(struct sr_ob_values *v, const char *reg, uint32_t raw)
{
	int i = sr_ob_reg_find(v->t, reg);
	if (i < 0)
		return SR_E_NOTFOUND;
	v->raw[i] = raw;
	v->given[i] = true;
	return SR_OK;
}

uint32_t sr_ob_field_value(const struct sr_ob_values *v, const struct sr_ob_field *f)
{
	return sr_field_get(v->raw[f->reg], f->hi, f->lo);
}

const struct sr_ob_field *sr_ob_field_as(const struct sr_ob_values *v, const struct sr_ob_field *f,
					 struct sr_ob_field *tmp)
{
	const struct sr_ob_field *m = f->mode.field[0] ? sr_ob_field_find(v->t, f->mode.field) : NULL;
	if (!m || sr_ob_field_value(v, m) != f->mode.value)
		return f;
	*tmp = *f;
	tmp->active = f->mode.active;
	tmp->meaning = f->mode.meaning;
	tmp->pcrop = f->mode.pcrop;
	return tmp;
}

int sr_ob_values_lookup(void *ctx, const char *field, uint32_t *val)
{
	const struct sr_ob_values *v = ctx;
	const struct sr_ob_field *f = sr_ob_field_find(v->t, field);
	if (!f)
		return SR_E_NOTFOUND;
	*val = sr_ob_field_value(v, f);
	return SR_OK;
}

const struct sr_ob_choice *sr_ob_choice_of(const struct sr_ob_field *f, uint32_t value)
{
	const struct sr_ob_choice *any = NULL;
	for (int i = 0; i < f->n_choices; i++) {
		if (f->choices[i].any)
			any = &f->choices[i];
		else if (f->choices[i].value == value)
			return &f->choices[i];
	}
	return any;
}

unsigned sr_ob_change_danger(const struct sr_ob_field *f, uint32_t old_value, uint32_t new_value)
{
	const struct sr_ob_choice *ch;
	if (old_value == new_value)
		return 0;
	if (f->kind == SR_OB_ENUM && (ch = sr_ob_choice_of(f, new_value)) != NULL) {
		const struct sr_ob_choice *from = sr_ob_choice_of(f, old_value);
		if (from == ch) /* e.g. RDP 0x00 -> 0xBB: both level 1 */
			return 0;
		return ch->danger;
	}
	return f->danger;
}
