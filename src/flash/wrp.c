/* Which sectors the option bytes protect: WRP bit masks (F1, F2/F4/F7, H7 per bank,
 * F4 nWRP as PCROP with SPRMOD = 1) and WRP areas (L4, G4), read from the optbytes/
 * tables. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "flash/flash.h"

/* The sector's number as a bit mask counts it: across banks where bank 2 continues the
 * numbering (F42x sectors 12-23, geometry bank2_first), else per bank, a register
 * without a bank meaning bank 1 (H7 WPSN1, WPSN2 with bank = 2). */
static long sector_number(const struct sr_flash *f, const struct sr_sector *s, int reg_bank)
{
	uint32_t first2 = f->map.geom ? f->map.geom->bank2_first : 0;
	if (s->bank == 1 || first2 == 0)
		return s->bank == (reg_bank ? reg_bank : 1) ? (long)s->index : -1;
	return (long)first2 + s->index;
}

static bool bit_active(const struct sr_ob_field *fd, uint32_t val, unsigned bit)
{
	return ((val >> bit) & 1u) == fd->active;
}

/* FD's active bits, in the mode the option bytes select (F4 nWRP with SPRMOD = 1:
 * PCROP, active high; such sectors cannot be erased or programmed either, RM0390
 * 3.6.5). */
static void mark_bitmask(const struct sr_flash *f, const struct sr_ob_field *field, uint8_t *prot)
{
	struct sr_ob_field as;
	const struct sr_ob_field *fd = sr_ob_field_as(&f->ob, field, &as);
	const struct sr_ob_reg *reg = &f->ob.t->regs[fd->reg];
	uint32_t val = sr_ob_field_value(&f->ob, fd);
	unsigned nbits = (unsigned)(fd->hi - fd->lo) + 1;
	uint32_t per = fd->per_bit ? fd->per_bit : 1;
	for (int i = 0; i < f->map.n_sect; i++) {
		long n = sector_number(f, &f->map.sect[i], reg->bank);
		if (n < (long)fd->first)
			continue;
		unsigned bit = (unsigned)((n - fd->first) / per);
		if (bit >= nbits) {
			if (!fd->last_rest)
				continue;
			bit = nbits - 1;
		}
		if (bit_active(fd, val, bit))
			prot[i] = fd->pcrop ? SR_PROT_PCROP : SR_PROT_WRP;
	}
}

static void mark_area(const struct sr_flash *f, const struct sr_ob_area *a, uint8_t *prot)
{
	const struct sr_ob_table *t = f->ob.t;
	uint32_t s = sr_ob_field_value(&f->ob, &t->fields[a->start]);
	uint32_t e = sr_ob_field_value(&f->ob, &t->fields[a->end]);
	if (s > e)
		return; /* inactive, RM0351 3.5.3 */
	uint64_t lo = a->base + (uint64_t)s * a->unit, hi = a->base + (uint64_t)(e + 1) * a->unit;
	for (int i = 0; i < f->map.n_sect; i++) {
		const struct sr_sector *x = &f->map.sect[i];
		if (x->addr < hi && (uint64_t)x->addr + x->size > lo)
			prot[i] = SR_PROT_WRP;
	}
}

int sr_flash_protection(const struct sr_flash *f, uint8_t **out)
{
	uint8_t *prot = calloc((size_t)f->map.n_sect + 1, 1);
	if (!prot)
		return SR_E_NOMEM;
	*out = prot;
	if (!f->ob_ok)
		return SR_OK;
	const struct sr_ob_table *t = f->ob.t;
	uint16_t id = f->dev->dev_id;
	for (int i = 0; i < t->n_fields; i++) {
		const struct sr_ob_field *fd = &t->fields[i];
		if (fd->kind == SR_OB_BITMASK && strstr(fd->name, "WRP") &&
		    sr_ob_field_applies(fd, id) && f->ob.given[fd->reg])
			mark_bitmask(f, fd, prot);
	}
	for (int i = 0; i < t->n_areas; i++) {
		const struct sr_ob_area *a = &t->areas[i];
		if (a->kind == SR_AREA_WRP && sr_ob_field_applies(&t->fields[a->start], id) &&
		    f->ob.given[t->fields[a->start].reg])
			mark_area(f, a, prot);
	}
	return SR_OK;
}
