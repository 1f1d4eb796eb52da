/*
 * The flash layouts a virtual chip can have and the option bytes that select
 * them (families/ [geometry] through sr_flash_map_build) and its WRP and PCROP
 * areas (optbytes/ [area]): what a flash model needs when the option bytes
 * change the geometry (STM32G474 DBANK, RM0440 3.3.1 tables 7 and 8).
 */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "db/family.h"
#include "ob/ob.h"
#include "sim/chipdef.h"

int sr_sim_chipdef_obreg(const struct sr_sim_chipdef *c, const char *name)
{
	for (int i = 0; i < c->n_obreg; i++)
		if (sr_streq_nocase(c->obreg[i].name, name))
			return i;
	return -1;
}

static bool cond_holds(const struct sr_sim_layout *l, const uint32_t *regs)
{
	for (int i = 0; i < l->n_when; i++)
		if ((regs[l->when[i].reg] & l->when[i].mask) != l->when[i].value)
			return false;
	return true;
}

const struct sr_sim_layout *sr_sim_chipdef_layout(const struct sr_sim_chipdef *c,
                                                  const uint32_t *regs)
{
	for (int i = 0; i < c->n_layout; i++)
		if (cond_holds(&c->layout[i], regs))
			return &c->layout[i];
	return c->n_layout ? &c->layout[c->n_layout - 1] : NULL;
}

/* The option-byte field NAME of DEV as register index, mask and position. */
static const struct sr_ob_field *
field_of(const struct sr_device *dev, const struct sr_sim_chipdef *c, const char *name, int *reg)
{
	const struct sr_ob_table *t = dev->family->ob;
	const struct sr_ob_field *f = sr_ob_field_find(t, name);
	if (!f || !sr_ob_field_applies(f, dev->dev_id))
		return NULL;
	*reg = sr_sim_chipdef_obreg(c, t->regs[f->reg].name);
	return *reg < 0 ? NULL : f;
}

/* For sr_flash_map_build: the option bytes that make geometry G the one in force. */
static int lookup_for(void *ctx, const char *field, uint32_t *val)
{
	const struct sr_geometry *g = ctx;
	*val = 0xFFFFFFFFu; /* no `when` of an other variant asks for this */
	for (int i = 0; i < g->n_when; i++)
		if (strcmp(g->when[i].field, field) == 0)
			*val = g->when[i].value;
	return SR_OK;
}

static int layout_conds(const struct sr_device *dev, const struct sr_sim_chipdef *c,
                        const struct sr_geometry *g, struct sr_sim_layout *l)
{
	l->n_when = 0;
	for (int i = 0; i < g->n_when; i++) {
		int r;
		if (strcmp(g->when[i].field, "flash_kib") == 0)
			continue;
		const struct sr_ob_field *f = field_of(dev, c, g->when[i].field, &r);
		if (!f || l->n_when >= 4) {
			sr_err("sim: geometry %s/%s: no option-byte field %s for %s", g->group,
			       g->variant, g->when[i].field, c->title);
			return SR_E_NODATA;
		}
		struct sr_sim_obcond *w = &l->when[l->n_when++];
		w->reg = r;
		w->mask = sr_field_mask(f->hi, f->lo);
		w->value = (g->when[i].value << f->lo) & w->mask;
	}
	return SR_OK;
}

/* Bank 1's sectors as runs of equal size; SR_E_RANGE past SR_SIM_MAX_RUN runs. */
static int runs_from_map(const struct sr_flash_map *map, struct sr_sim_layout *l)
{
	l->n_run = 0;
	for (int i = 0; i < map->n_sect; i++) {
		const struct sr_sector *s = &map->sect[i];
		if (s->bank >= 1 && s->bank <= 2)
			l->bank_sect[s->bank - 1]++;
		if (s->bank != 1)
			continue;
		if (l->n_run && l->run[l->n_run - 1].size == s->size) {
			l->run[l->n_run - 1].count++;
			continue;
		}
		if (l->n_run == SR_SIM_MAX_RUN)
			return SR_E_RANGE;
		l->run[l->n_run].count = 1;
		l->run[l->n_run++].size = s->size;
	}
	return SR_OK;
}

static int layout_from_map(const struct sr_flash_map *map, struct sr_sim_layout *l)
{
	l->banks = map->banks;
	for (int b = 0; b < map->banks && b < 2; b++) {
		l->bank_base[b] = map->bank_base[b];
		l->bank_size[b] = map->bank_size[b];
	}
	l->page_size = map->n_sect ? map->sect[0].size : 0;
	for (int i = 1; i < map->n_sect; i++)
		if (map->sect[i].size != l->page_size)
			l->page_size = 0;
	l->bank2_regs = map->geom->bank2_regs;
	return runs_from_map(map, l);
}

/* One layout per [geometry] variant of the device's group that some option bytes select. */
static int fill_layouts(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	const struct sr_family *fam = dev->family;
	c->n_layout = 0;
	for (int i = 0; i < fam->n_geoms && c->n_layout < SR_SIM_MAX_LAYOUT; i++) {
		const struct sr_geometry *g = &fam->geoms[i];
		struct sr_flash_map map;
		if (strcmp(g->group, dev->geometry) != 0)
			continue;
		if (sr_flash_map_build(dev, c->flash_size / 1024, lookup_for, (void *)g, &map))
			continue; /* no option bytes select it on this flash size */
		int rc = map.geom == g ? layout_conds(dev, c, g, &c->layout[c->n_layout]) : 1;
		if (rc == SR_OK)
			rc = layout_from_map(&map, &c->layout[c->n_layout++]);
		sr_flash_map_free(&map);
		if (rc < 0)
			return rc;
	}
	return c->n_layout ? SR_OK : SR_E_NODATA;
}

static void fill_areas(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	const struct sr_ob_table *t = dev->family->ob;
	c->n_area = 0;
	for (int i = 0; i < t->n_areas && c->n_area < SR_SIM_MAX_AREA; i++) {
		const struct sr_ob_area *a = &t->areas[i];
		struct sr_sim_obarea *o = &c->area[c->n_area];
		const struct sr_ob_field *s =
		    field_of(dev, c, t->fields[a->start].name, &o->start_reg);
		const struct sr_ob_field *e = field_of(dev, c, t->fields[a->end].name, &o->end_reg);
		if (!s || !e)
			continue;
		o->pcrop = a->kind == SR_AREA_PCROP;
		o->bank = a->base == dev->defs.flash_base ? 1 : 2;
		o->start_lo = s->lo;
		o->start_hi = s->hi;
		o->end_lo = e->lo;
		o->end_hi = e->hi;
		c->n_area++;
	}
}

int sr_sim_chipdef_flash_layouts(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	if (!dev->family->ob)
		return SR_E_NODATA;
	fill_areas(dev, c);
	return fill_layouts(dev, c);
}

/* The layout the factory option bytes select: exactly, not the fallback of
 * sr_sim_chipdef_layout. */
static const struct sr_sim_layout *factory_layout(const struct sr_sim_chipdef *c)
{
	uint32_t regs[SR_SIM_MAX_OBREG] = {0};
	for (int i = 0; i < c->n_obreg; i++)
		regs[i] = c->obreg[i].factory;
	for (int i = 0; i < c->n_layout; i++)
		if (cond_holds(&c->layout[i], regs))
			return &c->layout[i];
	return NULL;
}

int sr_sim_chipdef_fill_factory(struct sr_sim_chipdef *c)
{
	const struct sr_sim_layout *l = factory_layout(c);
	if (!l) {
		sr_err("sim: no families/ [geometry] of %s holds under its factory option bytes",
		       c->title);
		return SR_E_NODATA;
	}
	c->n_banks = l->banks;
	memcpy(c->bank_base, l->bank_base, sizeof(c->bank_base));
	memcpy(c->bank_size, l->bank_size, sizeof(c->bank_size));
	memcpy(c->bank_sect, l->bank_sect, sizeof(c->bank_sect));
	c->bank2_regs = l->bank2_regs;
	c->n_sect = 0;
	for (int r = 0; r < l->n_run; r++)
		for (uint32_t k = 0; k < l->run[r].count && c->n_sect < SR_SIM_MAX_SECT; k++)
			c->sect_size[c->n_sect++] = l->run[r].size;
	return SR_OK;
}
