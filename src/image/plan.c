/* The programming plan: per sector, the whole programming units to write (DIAGNOSES.md 1:
 * segments that share a unit are written together, partial units padded with the erased
 * value, so no unit is ever programmed twice). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "image/preflight.h"

static bool seg_hits(const struct sr_image_seg *x, uint64_t start, uint64_t end)
{
	return x->addr < end && (uint64_t)x->addr + x->size > start;
}

static bool sector_used(const struct sr_image *img, const struct sr_sector *s)
{
	for (int i = 0; i < img->n_seg; i++)
		if (seg_hits(&img->seg[i], s->addr, (uint64_t)s->addr + s->size))
			return true;
	return false;
}

/* Copy the image's bytes into PS->data and mark the units they touch. */
static void sector_fill(const struct sr_image *img, struct sr_plan_sector *ps, uint32_t unit,
			bool *touched)
{
	const struct sr_sector *s = ps->sect;
	uint64_t send = (uint64_t)s->addr + s->size;
	for (int i = 0; i < img->n_seg; i++) {
		const struct sr_image_seg *x = &img->seg[i];
		uint64_t a, b;
		if (!seg_hits(x, s->addr, send))
			continue;
		a = x->addr > s->addr ? x->addr : s->addr;
		b = (uint64_t)x->addr + x->size < send ? (uint64_t)x->addr + x->size : send;
		memcpy(ps->data + (a - s->addr), x->data + (a - x->addr), (size_t)(b - a));
		for (uint64_t u = (a - s->addr) / unit; u <= (b - 1 - s->addr) / unit; u++)
			touched[u] = true;
	}
}

/* Runs of consecutive touched units. */
static uint64_t sector_runs(struct sr_plan_sector *ps, uint32_t unit, const bool *touched)
{
	uint32_t units = ps->sect->size / unit;
	uint64_t bytes = 0;
	for (uint32_t u = 0; u < units;) {
		uint32_t v = u;
		struct sr_plan_run *r;
		if (!touched[u]) {
			u++;
			continue;
		}
		while (v < units && touched[v])
			v++;
		ps->runs = sr_realloc_array(ps->runs, (size_t)ps->n_runs + 1, sizeof(*ps->runs));
		r = &ps->runs[ps->n_runs++];
		r->off = u * unit;
		r->len = (v - u) * unit;
		bytes += r->len;
		u = v;
	}
	return bytes;
}

int sr_plan_build(const struct sr_image *img, const struct sr_flash_map *map, uint32_t prog_unit,
		  uint8_t erased, struct sr_plan *out)
{
	memset(out, 0, sizeof(*out));
	out->prog_unit = prog_unit;
	out->erased = erased;
	if (prog_unit == 0 || (prog_unit & (prog_unit - 1)))
		return SR_E_ARG;
	for (int i = 0; i < map->n_sect; i++)
		if (map->sect[i].size % prog_unit || map->sect[i].addr % prog_unit)
			return SR_E_ARG;
	for (int i = 0; i < map->n_sect; i++) {
		struct sr_plan_sector *ps;
		bool *touched;
		if (!sector_used(img, &map->sect[i]))
			continue;
		out->v = sr_realloc_array(out->v, (size_t)out->n + 1, sizeof(*out->v));
		ps = &out->v[out->n++];
		memset(ps, 0, sizeof(*ps));
		ps->sect = &map->sect[i];
		ps->data = sr_calloc(ps->sect->size, 1);
		memset(ps->data, erased, ps->sect->size);
		touched = sr_calloc(ps->sect->size / prog_unit, sizeof(bool));
		sector_fill(img, ps, prog_unit, touched);
		out->write_bytes += sector_runs(ps, prog_unit, touched);
		free(touched);
	}
	return SR_OK;
}

void sr_plan_free(struct sr_plan *plan)
{
	for (int i = 0; i < plan->n; i++) {
		free(plan->v[i].data);
		free(plan->v[i].runs);
	}
	free(plan->v);
	memset(plan, 0, sizeof(*plan));
}
