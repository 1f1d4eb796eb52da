/* Pre-flight: where the image's bytes land (flash, RAM, OTP, past the end of flash) and
 * whether its sections fit the programming unit. */
#include "config.h"

#include <stdio.h>

#include "image/preflight-internal.h"

/* Flash addresses of the family: up to the largest flash of any part with this device ID,
 * so that bytes there are "too big" for this part rather than "outside flash". */
static uint64_t flash_window_end(const struct pf *p)
{
	uint64_t end = (uint64_t)p->dev->defs.flash_base + p->dev->flash_max;
	for (int i = 0; i < p->map->n_sect; i++) {
		uint64_t e = (uint64_t)p->map->sect[i].addr + p->map->sect[i].size;
		if (e > end)
			end = e;
	}
	return end;
}

static bool in_range(uint32_t addr, uint32_t base, uint32_t size)
{
	return size && addr >= base && addr - base < size;
}

/* What lies at ADDR, outside flash, for the message. */
static void region_of(const struct pf *p, uint32_t addr, char *buf, size_t len)
{
	const struct sr_chipdefs *d = &p->dev->defs;
	for (int i = 0; i < p->dev->n_ram; i++)
		if (in_range(addr, p->dev->ram[i].base,
			     p->dev->ram[i].size_max ? p->dev->ram[i].size_max
						     : p->dev->ram[i].size)) {
			snprintf(buf, len, "RAM contents (%s): initialised data or RAM code "
				 "that the startup code or a debugger loads, never programmed",
				 p->dev->ram[i].name);
			return;
		}
	if (in_range(addr, d->otp_base, d->otp_size))
		snprintf(buf, len, "the OTP area: one-time programmable, a write there can never "
			 "be undone, so it is never written as part of an image");
	else if (in_range(addr, d->sysmem_base, d->sysmem_size))
		snprintf(buf, len, "system memory: ST's boot loader, read-only");
	else if (in_range(addr, d->ob_base, d->ob_size))
		snprintf(buf, len, "option bytes: change them with the option-byte editor, "
			 "which checks each field, not as part of an image");
	else if (addr < p->dev->flash_max)
		/* The boot memory is aliased at 0 (every RM, "Boot configuration"). */
		snprintf(buf, len, "the boot alias at address 0, not flash: the image was "
			 "linked or given for address 0; flash is at 0x%08X", d->flash_base);
	else
		snprintf(buf, len, "no memory of the %s is there", p->dev->name);
}

static void outside(struct pf *p, const struct sr_image_seg *s, uint64_t a, uint64_t end)
{
	char where[96], what[200], size[32];
	uint32_t addr = (uint32_t)a, n = (uint32_t)(end - a);
	uint64_t base = p->dev->defs.flash_base, wend = flash_window_end(p);
	/* Past the family's largest flash, yet part of a segment that starts in flash: the
	 * image is too big, not placed elsewhere. */
	bool from_flash = s->addr >= base && s->addr < wend;
	if ((a >= base && a < wend) || from_flash) {
		if (end > p->big_end)
			p->big_end = end;
		p->big_bytes += n;
		return;
	}
	region_of(p, addr, what, sizeof(what));
	pf_origin(p, s, addr, n, where, sizeof(where));
	pf_size(n, size, sizeof(size));
	if (p->in->skip_outside)
		pf_add(p, SR_SEV_INFO, "outside-flash", addr, n,
		       "0x%08X-0x%08X (%s, %s) is outside flash and is skipped: %s", addr,
		       (uint32_t)(end - 1), size, where, what);
	else
		pf_add(p, SR_SEV_ERROR, "outside-flash", addr, n,
		       "0x%08X-0x%08X (%s, %s) is outside flash: %s. Remove it from the image, "
		       "or ask to skip what lies outside flash",
		       addr, (uint32_t)(end - 1), size, where, what);
}

/* The map sector starting first after ADDR, or NULL. */
static const struct sr_sector *next_sector(const struct sr_flash_map *m, uint64_t addr)
{
	const struct sr_sector *best = NULL;
	for (int i = 0; i < m->n_sect; i++)
		if (m->sect[i].addr > addr && (!best || m->sect[i].addr < best->addr))
			best = &m->sect[i];
	return best;
}

static void place_segment(struct pf *p, const struct sr_image_seg *s)
{
	uint64_t a = s->addr, end = (uint64_t)s->addr + s->size;
	while (a < end) {
		const struct sr_sector *sec = sr_flash_map_find(p->map, (uint32_t)a);
		uint64_t stop;
		if (sec) {
			stop = (uint64_t)sec->addr + sec->size;
			stop = stop < end ? stop : end;
			p->erase[sec - p->map->sect] = true;
			p->flash_bytes += stop - a;
		} else {
			const struct sr_sector *n = next_sector(p->map, a);
			stop = n && n->addr < end ? n->addr : end;
			outside(p, s, a, stop);
		}
		a = stop;
	}
}

void pf_check_placement(struct pf *p)
{
	char need[32], have[32], past[32];
	uint32_t base = p->dev->defs.flash_base;
	for (int i = 0; i < p->img->n_seg; i++)
		place_segment(p, &p->img->seg[i]);
	if (!p->big_bytes)
		return;
	pf_size(p->big_end - base, need, sizeof(need));
	pf_size(p->flash_size, have, sizeof(have));
	pf_size(p->big_bytes, past, sizeof(past));
	pf_add(p, SR_SEV_ERROR, "too-big", base + p->flash_size, (uint32_t)p->big_bytes,
	       "the image needs flash up to 0x%08X (%s from 0x%08X), but this %s has %s of "
	       "flash (its flash size register): %s lie past the end. The image was built for "
	       "a larger part of the family: rebuild it for this part's flash size",
	       (uint32_t)(p->big_end - 1), need, base, p->dev->name, have, past);
}

static void check_section(struct pf *p, const struct sr_image_section *x)
{
	bool start = x->lma % p->unit != 0, size = x->size % p->unit != 0;
	const char *fam = p->dev->family ? p->dev->family->title : p->dev->name;
	char sz[32];
	if (!x->loaded || !sr_flash_map_find(p->map, x->lma) || (!start && !size))
		return;
	pf_size(x->size, sz, sizeof(sz));
	pf_add(p, SR_SEV_WARNING, "unaligned-section", x->lma, x->size,
	       "section %s at 0x%08X (%s): its %s is not a multiple of the %s programming unit "
	       "(%u bytes). stmrescue merges neighbouring sections and pads to whole units with "
	       "0x%02X, so it programs correctly; tools that write sections one by one fail on "
	       "it (on the STM32L4: 'Error finishing flash operation'). To fix the image, align "
	       "every output section to %u bytes in the linker script (. = ALIGN(%u);)",
	       x->name, x->lma, sz, start && size ? "start and size" : start ? "start" : "size",
	       fam, p->unit, (unsigned)(p->dev->defs.erased & 0xFF), p->unit, p->unit);
}

static void check_segment(struct pf *p, const struct sr_image_seg *s)
{
	uint32_t end = s->addr + s->size;
	char where[64];
	if (!sr_flash_map_find(p->map, s->addr) || (s->addr % p->unit == 0 && end % p->unit == 0))
		return;
	sr_image_seg_origin(p->img, s, where, sizeof(where));
	pf_add(p, SR_SEV_INFO, "unaligned-segment", s->addr, s->size,
	       "0x%08X-0x%08X (%s) does not start and end on %u-byte programming units: the "
	       "partial units are padded with 0x%02X",
	       s->addr, end - 1, where, p->unit, (unsigned)(p->dev->defs.erased & 0xFF));
}

void pf_check_alignment(struct pf *p)
{
	if (p->img->n_sect) {
		for (int i = 0; i < p->img->n_sect; i++)
			check_section(p, &p->img->sect[i]);
		return;
	}
	for (int i = 0; i < p->img->n_seg; i++)
		check_segment(p, &p->img->seg[i]);
}
