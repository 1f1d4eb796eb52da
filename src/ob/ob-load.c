/* Reading an optbytes/ file (format: optbytes/README) into a struct sr_ob_table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "db/db-internal.h"
#include "db/ini.h"
#include "ob/ob-internal.h"

void sr_ob_bad(struct sr_ob_load *c, const struct sr_ini_entry *e, const char *what)
{
	sr_ini_report(c->msgs, c->ini, e, what);
	c->errors++;
}

/* "0x419 0x434" */
int sr_ob_parse_devices(const char *value, uint16_t *out, int *n)
{
	char buf[256], *tok, *save = NULL;
	snprintf(buf, sizeof(buf), "%s", value);
	*n = 0;
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		uint32_t id;
		if (*n >= SR_OB_MAX_DEVICES || sr_parse_u32(tok, &id) || id == 0 || id > 0xFFF)
			return SR_E_PARSE;
		out[(*n)++] = (uint16_t)id;
	}
	return *n ? SR_OK : SR_E_PARSE;
}

static void header_key(struct sr_ob_load *c, const struct sr_ini_entry *e)
{
	struct sr_ob_table *t = c->t;
	if (strcmp(e->key, "family") == 0 && *e->value && strlen(e->value) < sizeof(t->family))
		strcpy(t->family, e->value);
	else if (strcmp(e->key, "ref") == 0) {
		free(t->ref);
		t->ref = sr_strdup(e->value);
	} else
		sr_ob_bad(c, e, "unknown key or bad value (family, ref)");
}

static struct sr_ob_reg *reg_get(struct sr_ob_table *t, const char *name)
{
	struct sr_ob_reg *r;
	for (int i = 0; i < t->n_regs; i++)
		if (strcmp(t->regs[i].name, name) == 0)
			return &t->regs[i];
	t->regs = sr_realloc_array(t->regs, (size_t)t->n_regs + 1, sizeof(*t->regs));
	r = &t->regs[t->n_regs++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->bank = 1;
	return r;
}

static int reg_aliases(struct sr_ob_reg *r, const char *value)
{
	char buf[256], *tok, *save = NULL;
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		r->aliases = sr_realloc_array(r->aliases, (size_t)r->n_aliases + 1, sizeof(char *));
		r->aliases[r->n_aliases++] = sr_strdup(tok);
	}
	return SR_OK;
}

static int reg_set(struct sr_ob_reg *r, const struct sr_ini_entry *e, uint32_t *given)
{
	const char *k = e->key, *v = e->value;
	if (strcmp(k, "addr") == 0 && sr_parse_u32(v, &r->addr) == SR_OK)
		*given |= 1;
	else if (strcmp(k, "default") == 0 && sr_parse_u32(v, &r->def) == SR_OK)
		*given |= 2;
	else if (strcmp(k, "control") == 0)
		return sr_parse_u32(v, &r->control);
	else if (strcmp(k, "aliases") == 0)
		return reg_aliases(r, v);
	else if (strcmp(k, "devices") == 0)
		return sr_ob_parse_devices(v, r->devices, &r->n_devices);
	else if (strcmp(k, "help") == 0) {
		free(r->help);
		r->help = sr_strdup(v);
	} else if (strcmp(k, "bank") == 0) {
		uint32_t b;
		if (sr_parse_u32(v, &b) || b < 1 || b > 2)
			return SR_E_PARSE;
		r->bank = (int)b;
	} else
		return SR_E_PARSE;
	return SR_OK;
}

static void register_section(struct sr_ob_load *c, const char *name)
{
	struct sr_ob_reg *r;
	uint32_t given = 0;
	if (!*name || strlen(name) >= sizeof(r->name)) {
		sr_msgs_add(c->msgs, "%s: [register %s]: bad register name", c->ini->path, name);
		c->errors++;
		return;
	}
	r = reg_get(c->t, name);
	for (int i = 0; i < c->ini->n; i++) {
		const struct sr_ini_entry *e = &c->ini->e[i];
		char kind[16];
		const char *n;
		sr_ini_section_split(e->section, kind, sizeof(kind), &n);
		if (strcmp(kind, "register") == 0 && strcmp(n, name) == 0 &&
		    reg_set(r, e, &given) != SR_OK)
			sr_ob_bad(c, e, "unknown key or bad value (addr, default, control, aliases, "
					"devices, bank, help)");
	}
	if ((given & 3) != 3) {
		sr_msgs_add(c->msgs, "%s: [register %s] needs addr and default", c->ini->path, name);
		c->errors++;
	}
}

/* Run FN once per distinct section NAME of KIND, in file order. */
static void each_section(struct sr_ob_load *c, const char *want,
			 void (*fn)(struct sr_ob_load *, const char *))
{
	for (int i = 0; i < c->ini->n; i++) {
		char kind[16];
		const char *name;
		bool seen = false;
		sr_ini_section_split(c->ini->e[i].section, kind, sizeof(kind), &name);
		if (strcmp(kind, want) != 0)
			continue;
		for (int j = 0; j < i && !seen; j++)
			seen = strcmp(c->ini->e[j].section, c->ini->e[i].section) == 0;
		if (!seen)
			fn(c, name);
	}
}

static void check_sections(struct sr_ob_load *c)
{
	for (int i = 0; i < c->ini->n; i++) {
		const struct sr_ini_entry *e = &c->ini->e[i];
		char kind[16];
		const char *name;
		sr_ini_section_split(e->section, kind, sizeof(kind), &name);
		if (strcmp(kind, "optbytes") == 0 && !*name)
			header_key(c, e);
		else if (!(*name && (!strcmp(kind, "register") || !strcmp(kind, "field") ||
				     !strcmp(kind, "area"))))
			sr_ob_bad(c, e, "unknown section (optbytes, register NAME, field NAME, area NAME)");
	}
}

static struct sr_ob_table *load_ini(const struct sr_ini *ini, struct sr_msgs *msgs)
{
	struct sr_ob_table *t = sr_calloc(1, sizeof(*t));
	struct sr_ob_load c = {ini, t, msgs, 0};
	t->path = sr_strdup(ini->path);
	check_sections(&c);
	each_section(&c, "register", register_section);
	each_section(&c, "field", sr_ob_field_section);
	each_section(&c, "area", sr_ob_area_section);
	if (!t->family[0]) {
		sr_msgs_add(msgs, "%s: [optbytes] needs family", ini->path);
		c.errors++;
	}
	if (c.errors == 0)
		sr_ob_table_check(&c);
	if (c.errors) {
		sr_ob_table_free(t);
		return NULL;
	}
	return t;
}

struct sr_ob_table *sr_ob_table_load(const char *path, struct sr_msgs *msgs)
{
	struct sr_ini ini;
	struct sr_ob_table *t = NULL;
	if (sr_ini_read(path, &ini, msgs) == SR_OK)
		t = load_ini(&ini, msgs);
	sr_ini_free(&ini);
	return t;
}

struct sr_ob_table *sr_ob_table_load_mem(const char *name, const char *data, size_t len,
					 struct sr_msgs *msgs)
{
	struct sr_ini ini;
	struct sr_ob_table *t = NULL;
	if (sr_ini_read_mem(name, data, len, &ini, msgs) == SR_OK)
		t = load_ini(&ini, msgs);
	sr_ini_free(&ini);
	return t;
}

void sr_ob_table_free(struct sr_ob_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n_regs; i++) {
		for (int j = 0; j < t->regs[i].n_aliases; j++)
			free(t->regs[i].aliases[j]);
		free(t->regs[i].aliases);
		free(t->regs[i].help);
	}
	for (int i = 0; i < t->n_fields; i++) {
		struct sr_ob_field *f = &t->fields[i];
		for (int j = 0; j < f->n_choices; j++) {
			free(f->choices[j].label);
			free(f->choices[j].meaning);
		}
		free(f->choices);
		free(f->help);
		free(f->meaning);
		free(f->mode.meaning);
	}
	for (int i = 0; i < t->n_areas; i++)
		free(t->areas[i].help);
	free(t->regs);
	free(t->fields);
	free(t->areas);
	free(t->ref);
	free(t->path);
	free(t);
}
