/* Flash layouts: [geometry] sections, and the sector map in force for a chip. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "db/db-internal.h"

/* "4x16K 1x64K *x128K" */
static int parse_runs(struct sr_geometry *g, const char *value, const char **why)
{
	char buf[256], *tok, *save = NULL;
	snprintf(buf, sizeof(buf), "%s", value);
	g->n_runs = 0;
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		char *x = strchr(tok, 'x');
		struct sr_sector_run r = {0, 0};
		*why = "expected COUNTxSIZE items and a last *xSIZE (4x16K 1x64K *x128K)";
		if (!x || g->n_runs >= SR_MAX_RUNS || (g->n_runs && g->runs[g->n_runs - 1].count == 0))
			return SR_E_PARSE;
		*x = '\0';
		if (strcmp(tok, "*") != 0 && (sr_parse_u32(tok, &r.count) || r.count == 0))
			return SR_E_PARSE;
		if (sr_parse_size(x + 1, &r.size) || r.size == 0 || (r.size & (r.size - 1)))
			return SR_E_PARSE;
		g->runs[g->n_runs++] = r;
	}
	return g->n_runs ? SR_OK : SR_E_PARSE;
}

/* "DBANK=1, flash_kib=512" */
static int parse_when(struct sr_geometry *g, const char *value, const char **why)
{
	char buf[256];
	char *terms[SR_MAX_WHEN + 1];
	int n;
	snprintf(buf, sizeof(buf), "%s", value);
	n = sr_split(buf, ',', terms, SR_MAX_WHEN + 1);
	*why = "expected FIELD=VALUE[, FIELD=VALUE] (at most 4)";
	if (n > SR_MAX_WHEN)
		return SR_E_PARSE;
	for (int i = 0; i < n; i++) {
		char *f[2];
		struct sr_cond *c = &g->when[i];
		if (sr_split(terms[i], '=', f, 2) != 2 || !*f[0] ||
		    strlen(f[0]) >= sizeof(c->field) || sr_parse_u32(f[1], &c->value))
			return SR_E_PARSE;
		strcpy(c->field, f[0]);
	}
	g->n_when = n;
	return SR_OK;
}

int sr_geometry_set(struct sr_geometry *g, const char *key, const char *value, const char **why)
{
	*why = "not a number";
	if (strcmp(key, "sectors") == 0)
		return parse_runs(g, value, why);
	if (strcmp(key, "when") == 0)
		return parse_when(g, value, why);
	if (strcmp(key, "banks") == 0) {
		uint32_t v;
		*why = "banks must be 1 or 2";
		if (sr_parse_u32(value, &v) || v < 1 || v > 2)
			return SR_E_PARSE;
		g->banks = (int)v;
		return SR_OK;
	}
	if (strcmp(key, "bank_size") == 0)
		return sr_parse_size(value, &g->bank_size);
	if (strcmp(key, "bank2_base") == 0)
		return sr_parse_u32(value, &g->bank2_base);
	if (strcmp(key, "bank2_regs") == 0)
		return sr_parse_u32(value, &g->bank2_regs);
	if (strcmp(key, "bank2_first") == 0)
		return sr_parse_u32(value, &g->bank2_first);
	*why = "unknown key";
	return SR_E_NOTFOUND;
}

const char *sr_geometry_check(const struct sr_geometry *g)
{
	if (g->banks == 0)
		return "banks is required";
	if (g->n_runs == 0)
		return "sectors is required";
	return NULL;
}

static bool when_holds(const struct sr_geometry *g, uint32_t flash_kib, sr_field_lookup_fn lookup,
		       void *ctx)
{
	for (int i = 0; i < g->n_when; i++) {
		uint32_t v;
		if (strcmp(g->when[i].field, "flash_kib") == 0)
			v = flash_kib;
		else if (!lookup || lookup(ctx, g->when[i].field, &v) != SR_OK)
			return false;
		if (v != g->when[i].value)
			return false;
	}
	return true;
}

static const struct sr_geometry *geometry_select(const struct sr_device *dev, uint32_t flash_kib,
						 sr_field_lookup_fn lookup, void *ctx)
{
	const struct sr_family *fam = dev->family;
	for (int i = 0; i < fam->n_geoms; i++) {
		const struct sr_geometry *g = &fam->geoms[i];
		if (strcmp(g->group, dev->geometry) == 0 && when_holds(g, flash_kib, lookup, ctx))
			return g;
	}
	return NULL;
}

/* Lay out one bank's sectors from the geometry's runs. */
static int bank_fill(struct sr_flash_map *map, const struct sr_geometry *g, int bank)
{
	uint32_t addr = map->bank_base[bank], left = map->bank_size[bank];
	uint16_t index = bank ? (uint16_t)g->bank2_first : 0;
	for (int r = 0; r < g->n_runs && left; r++) {
		uint32_t count = g->runs[r].count ? g->runs[r].count : left / g->runs[r].size;
		for (uint32_t i = 0; i < count && left; i++) {
			struct sr_sector *s;
			if (g->runs[r].size > left || map->n_sect >= SR_MAX_SECTORS)
				return SR_E_RANGE;
			map->sect = sr_realloc_array(map->sect, (size_t)map->n_sect + 1,
						     sizeof(*map->sect));
			s = &map->sect[map->n_sect++];
			s->addr = addr;
			s->size = g->runs[r].size;
			s->index = index++;
			s->bank = (uint8_t)(bank + 1);
			addr += s->size;
			left -= s->size;
		}
	}
	return left ? SR_E_RANGE : SR_OK;
}

int sr_flash_map_build(const struct sr_device *dev, uint32_t flash_kib, sr_field_lookup_fn lookup,
		       void *ctx, struct sr_flash_map *out)
{
	const struct sr_geometry *g = geometry_select(dev, flash_kib, lookup, ctx);
	int rc = SR_OK;
	memset(out, 0, sizeof(*out));
	if (!g)
		return SR_E_NOTFOUND;
	if (flash_kib == 0 || flash_kib > 0x400000)
		return SR_E_RANGE;
	out->geom = g;
	out->banks = g->banks;
	out->total = flash_kib * 1024;
	for (int b = 0; b < g->banks && rc == SR_OK; b++) {
		out->bank_size[b] = g->bank_size ? g->bank_size : out->total / (uint32_t)g->banks;
		out->bank_base[b] = dev->defs.flash_base + (uint32_t)b * out->bank_size[b];
		if (b == 1 && g->bank2_base)
			out->bank_base[b] = g->bank2_base;
		rc = bank_fill(out, g, b);
	}
	if (rc)
		sr_flash_map_free(out);
	return rc;
}

void sr_flash_map_free(struct sr_flash_map *map)
{
	free(map->sect);
	memset(map, 0, sizeof(*map));
}

const struct sr_sector *sr_flash_map_find(const struct sr_flash_map *map, uint32_t addr)
{
	for (int i = 0; i < map->n_sect; i++)
		if (addr >= map->sect[i].addr && addr - map->sect[i].addr < map->sect[i].size)
			return &map->sect[i];
	return NULL;
}
