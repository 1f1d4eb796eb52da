/* Reading one families/ file into a struct sr_family, with FILE:LINE for every problem. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "db/db-internal.h"

void sr_load_bad(struct sr_load_ctx *c, const struct sr_ini_entry *e, const char *what)
{
	sr_ini_report(c->msgs, c->ini, e, what);
	c->errors++;
}

static int family_key(struct sr_load_ctx *c, const struct sr_ini_entry *e)
{
	struct sr_family *f = c->fam;
	const char *why = NULL;
	if (strcmp(e->key, "name") == 0) {
		if (!*e->value || strlen(e->value) >= sizeof(f->name))
			sr_load_bad(c, e, "empty or too long");
		else
			strcpy(f->name, e->value);
	} else if (strcmp(e->key, "title") == 0) {
		free(f->title);
		f->title = sr_strdup(e->value);
	} else if (strcmp(e->key, "ref") == 0) {
		free(f->ref);
		f->ref = sr_strdup(e->value);
	} else if (sr_chipdefs_set(&f->defs, e->key, e->value, &why) != SR_OK) {
		sr_load_bad(c, e, why);
	}
	return SR_OK;
}

static void regs_key(struct sr_load_ctx *c, const struct sr_ini_entry *e)
{
	struct sr_family *f = c->fam;
	struct sr_regoff *r;
	uint32_t off;
	if (strlen(e->key) >= sizeof(r->name) || sr_parse_u32(e->value, &off) || off > 0xFFF) {
		sr_load_bad(c, e, "expected NAME = OFFSET (below 0x1000)");
		return;
	}
	f->regs = sr_realloc_array(f->regs, (size_t)f->n_regs + 1, sizeof(*f->regs));
	r = &f->regs[f->n_regs++];
	strcpy(r->name, e->key);
	r->off = off;
}

static struct sr_regbits *bits_group(struct sr_family *f, const char *reg)
{
	for (int i = 0; i < f->n_bits; i++)
		if (strcmp(f->bits[i].reg, reg) == 0)
			return &f->bits[i];
	f->bits = sr_realloc_array(f->bits, (size_t)f->n_bits + 1, sizeof(*f->bits));
	memset(&f->bits[f->n_bits], 0, sizeof(*f->bits));
	snprintf(f->bits[f->n_bits].reg, sizeof(f->bits[0].reg), "%s", reg);
	return &f->bits[f->n_bits++];
}

int sr_parse_bitrange(const char *text, uint8_t *hi, uint8_t *lo)
{
	uint32_t h, l;
	char buf[32];
	char *f[2];
	snprintf(buf, sizeof(buf), "%s", text);
	int n = sr_split(buf, ':', f, 2);
	if (sr_parse_u32(f[0], &h) || (n == 2 && sr_parse_u32(f[1], &l)))
		return SR_E_PARSE;
	if (n == 1)
		l = h;
	if (h > 31 || l > h)
		return SR_E_RANGE;
	*hi = (uint8_t)h;
	*lo = (uint8_t)l;
	return SR_OK;
}

static const char *const bit_kinds[] = {"status", "error", "busy", "control", "reset-flag"};

static void bits_key(struct sr_load_ctx *c, const struct sr_ini_entry *e, const char *reg)
{
	char buf[512];
	char *f[3];
	struct sr_bitdef d = {{0}};
	int n, k;
	snprintf(buf, sizeof(buf), "%s", e->value);
	n = sr_split(buf, '|', f, 3);
	if (strlen(e->key) >= sizeof(d.name) || sr_parse_bitrange(f[0], &d.hi, &d.lo)) {
		sr_load_bad(c, e, "expected NAME = BIT[:LO] | kind | meaning");
		return;
	}
	for (k = 0; k < (int)SR_ARRAY_SIZE(bit_kinds); k++)
		if (n >= 2 && strcmp(f[1], bit_kinds[k]) == 0)
			break;
	if (n < 3 || k == (int)SR_ARRAY_SIZE(bit_kinds) || !*f[2]) {
		sr_load_bad(c, e, "needs a kind (status, error, busy, control, reset-flag) and a meaning");
		return;
	}
	strcpy(d.name, e->key);
	d.kind = (enum sr_bit_kind)k;
	d.meaning = sr_strdup(f[2]);
	struct sr_regbits *g = bits_group(c->fam, reg);
	g->bits = sr_realloc_array(g->bits, (size_t)g->n + 1, sizeof(*g->bits));
	g->bits[g->n++] = d;
}

/* Dispatch one entry by the kind of its section. */
static void load_entry(struct sr_load_ctx *c, const struct sr_ini_entry *e)
{
	char kind[16];
	const char *name;
	sr_ini_section_split(e->section, kind, sizeof(kind), &name);
	if ((strcmp(kind, "family") == 0 && !*name) || strcmp(kind, "part") == 0)
		return; /* first pass; parts come last, sr_part_keys */
	if (strcmp(kind, "regs") == 0 && !*name)
		regs_key(c, e);
	else if (strcmp(kind, "bits") == 0 && *name)
		bits_key(c, e, name);
	else if (strcmp(kind, "device") == 0 && *name)
		sr_device_key(c, e, name);
	else if (strcmp(kind, "geometry") == 0 && *name)
		sr_geometry_key(c, e, name);
	else
		sr_load_bad(c, e,
			    "unknown section (family, regs, bits REG, device ID, geometry NAME, part NAME)");
}

int sr_family_from_ini(const struct sr_ini *ini, struct sr_family *fam, struct sr_msgs *msgs)
{
	struct sr_load_ctx c = {ini, fam, msgs, 0};
	bool have_family = false;
	memset(fam, 0, sizeof(*fam));
	fam->path = sr_strdup(ini->path);
	fam->defs.erased = 0xFF;
	for (int i = 0; i < ini->n; i++)
		if (strcmp(ini->e[i].section, "family") == 0) {
			family_key(&c, &ini->e[i]);
			have_family = true;
		}
	if (!have_family) {
		sr_msgs_add(msgs, "%s: no [family] section", ini->path);
		return SR_E_PARSE;
	}
	for (int i = 0; i < ini->n; i++)
		load_entry(&c, &ini->e[i]);
	sr_part_keys(&c);
	sr_family_check(&c);
	return c.errors ? SR_E_PARSE : SR_OK;
}

void sr_family_free(struct sr_family *fam)
{
	for (int i = 0; i < fam->n_bits; i++) {
		for (int j = 0; j < fam->bits[i].n; j++)
			free(fam->bits[i].bits[j].meaning);
		free(fam->bits[i].bits);
	}
	for (int i = 0; i < fam->n_devices; i++)
		free(fam->devices[i].name);
	free(fam->bits);
	free(fam->devices);
	free(fam->geoms);
	free(fam->parts);
	free(fam->regs);
	free(fam->title);
	free(fam->ref);
	free(fam->path);
	memset(fam, 0, sizeof(*fam));
}
