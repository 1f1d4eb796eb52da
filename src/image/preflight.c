/* Pre-flight: run the checks of an image against a chip, and the list of findings. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "image/preflight-internal.h"

void pf_add(struct pf *p, enum sr_severity sev, const char *id, uint32_t addr, uint32_t size,
	    const char *fmt, ...)
{
	char buf[640];
	struct sr_finding *f;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p->out->v = sr_realloc_array(p->out->v, (size_t)p->out->n + 1, sizeof(*p->out->v));
	f = &p->out->v[p->out->n++];
	f->sev = sev;
	f->id = id;
	f->msg = sr_strdup(buf);
	f->addr = addr;
	f->size = size;
}

void pf_size(uint64_t n, char *buf, size_t len)
{
	if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, len, "%llu KiB", (unsigned long long)(n / 1024));
	else
		snprintf(buf, len, "%llu byte%s", (unsigned long long)n, n == 1 ? "" : "s");
}

const char *pf_unit_word(const struct pf *p)
{
	return p->dev->defs.erase_unit[0] ? p->dev->defs.erase_unit : "sector";
}

void pf_sector_name(const struct pf *p, const struct sr_sector *s, char *buf, size_t len)
{
	if (p->map->banks > 1)
		snprintf(buf, len, "bank %u %s %u", s->bank, pf_unit_word(p), s->index);
	else
		snprintf(buf, len, "%s %u", pf_unit_word(p), s->index);
}

void pf_origin(const struct pf *p, const struct sr_image_seg *s, uint32_t addr, uint32_t size,
	       char *buf, size_t len)
{
	uint64_t end = (uint64_t)addr + size;
	int named = 0;
	size_t used = 0;
	for (int i = 0; i < p->img->n_sect && named < 3; i++) {
		const struct sr_image_section *x = &p->img->sect[i];
		if (!x->loaded || x->lma >= end || (uint64_t)x->lma + x->size <= addr)
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 named ? ", " : "section ", x->name);
		named++;
	}
	if (!named)
		sr_image_seg_origin(p->img, s, buf, len);
}

int pf_image_byte(const struct sr_image *img, uint32_t addr)
{
	int lo = 0, hi = img->n_seg - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const struct sr_image_seg *s = &img->seg[mid];
		if (addr < s->addr)
			hi = mid - 1;
		else if (addr - s->addr >= s->size)
			lo = mid + 1;
		else
			return s->data[addr - s->addr];
	}
	return -1;
}

/* Segments come sorted and apart from sr_image_parse(); an image built by other code may not. */
static void check_overlap(struct pf *p)
{
	for (int i = 1; i < p->img->n_seg; i++) {
		const struct sr_image_seg *a = &p->img->seg[i - 1], *b = &p->img->seg[i];
		if ((uint64_t)a->addr + a->size <= b->addr)
			continue;
		pf_add(p, SR_SEV_ERROR, "overlap", b->addr, a->addr + a->size - b->addr,
		       "segments at 0x%08X and 0x%08X overlap or are out of order: the image "
		       "does not say which bytes to program",
		       a->addr, b->addr);
	}
}

int sr_preflight(const struct sr_preflight_in *in, struct sr_findings *out)
{
	struct pf p = {.in = in, .out = out};
	if (!in || !in->img || !in->dev || !in->map || !out)
		return SR_E_ARG;
	p.img = in->img;
	p.dev = in->dev;
	p.map = in->map;
	p.unit = in->prog_unit ? in->prog_unit : in->dev->defs.prog_unit;
	p.flash_size = in->flash_size ? in->flash_size : in->map->total;
	if (p.unit == 0)
		return SR_E_ARG;
	p.erase = sr_calloc((size_t)in->map->n_sect + 1, sizeof(bool));
	check_overlap(&p);
	pf_check_placement(&p);
	pf_check_alignment(&p);
	pf_check_erase(&p);
	pf_check_vector(&p);
	free(p.erase);
	return SR_OK;
}

int sr_findings_count(const struct sr_findings *f, enum sr_severity sev)
{
	int n = 0;
	for (int i = 0; i < f->n; i++)
		n += f->v[i].sev == sev;
	return n;
}

const struct sr_finding *sr_findings_find(const struct sr_findings *f, const char *id)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->v[i].id, id) == 0)
			return &f->v[i];
	return NULL;
}

void sr_findings_free(struct sr_findings *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->v[i].msg);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

const char *sr_severity_name(enum sr_severity sev)
{
	static const char *const names[] = {"info", "warning", "error"};
	return (unsigned)sev < SR_ARRAY_SIZE(names) ? names[sev] : "?";
}
