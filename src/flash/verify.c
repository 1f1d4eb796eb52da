/* Verification independent of the write path (DIAGNOSES.md 17): a CRC-32 the target
 * computes over each contiguous range (crc.c), else reading the flash back through the
 * probe; a range whose CRC differs is read back to find the first differing byte. */
#include "config.h"

#include <stdlib.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "flash/driver.h"
#include "flash/flash-internal.h"
#include "target/target.h"

#define CHUNK (16u * 1024)

/* One piece of expected flash content. */
struct piece {
	uint32_t addr, len;
	const uint8_t *want;
	int bank;
};

struct pieces {
	struct piece *v;
	int n;
	uint32_t first_bad;
	uint64_t n_bad, done, total;
	struct sr_flash_crc core; /* the core's CRC routine, uploaded when first needed */
	bool core_up;
};

static void add(struct pieces *p, uint32_t addr, const uint8_t *want, uint32_t len, int bank)
{
	p->v = sr_realloc_array(p->v, (size_t)p->n + 1, sizeof(*p->v));
	p->v[p->n++] = (struct piece){addr, len, want, bank};
	p->total += len;
}

static void progress(struct sr_flash *f, struct pieces *p, uint64_t n)
{
	p->done += n;
	if (f->progress)
		f->progress(f->progress_ctx, "verify", p->done, p->total);
}

/* Read back LEN bytes at ADDR and count differences from WANT. */
static int read_back(struct sr_flash *f, const struct piece *x, struct pieces *p)
{
	uint8_t *back = malloc(CHUNK);
	if (!back)
		return SR_E_NOMEM;
	int rc = SR_OK;
	f->read_bytes += x->len;
	for (uint32_t off = 0; rc == SR_OK && off < x->len; off += CHUNK) {
		uint32_t n = x->len - off < CHUNK ? x->len - off : CHUNK;
		rc = sr_target_read(f->tg, x->addr + off, back, n);
		if (rc == SR_E_SWD_FAULT)
			sr_msgs_add(&f->why,
				    "reading the flash back at 0x%08X faulted: read-out protection "
				    "(RDP level 1) or PCROP blocks the debugger",
				    f->tg->sl.fault_addr);
		for (uint32_t i = 0; rc == SR_OK && i < n; i++)
			if (back[i] != x->want[off + i] && p->n_bad++ == 0)
				p->first_bad = x->addr + off + i;
		if (rc == SR_OK)
			progress(f, p, n);
	}
	free(back);
	return rc;
}

/* The flash controller's own CRC unit (H7), where the range suits it: *USED says so. */
static int controller_crc(struct sr_flash *f, int bank, uint32_t addr, uint32_t len,
			  uint32_t *got, bool *used)
{
	const struct sr_flash_ops *o = f->ops;
	*used = o->crc && o->crc_host && o->crc_align && addr % o->crc_align == 0 &&
		len % o->crc_align == 0;
	if (!*used)
		return SR_OK;
	int rc = sr_flash_begin(f, bank);
	if (rc == SR_OK)
		rc = o->crc(f, addr, len, got);
	return sr_flash_end(f, bank, rc);
}

/* Pieces [I, J) are contiguous in one bank: one CRC over them, by the flash controller
 * or by the core. True when it matches. */
static bool crc_group(struct sr_flash *f, struct pieces *p, int i, int j)
{
	uint32_t want = 0, got = 0, len = 0, addr = p->v[i].addr;
	bool ctl;
	for (int k = i; k < j; k++)
		len += p->v[k].len;
	int rc = controller_crc(f, p->v[i].bank, addr, len, &got, &ctl);
	if (!ctl && !p->core_up) {
		rc = sr_flash_crc_begin(f, &p->core);
		p->core_up = rc == SR_OK;
	}
	if (!ctl && rc == SR_OK)
		rc = sr_flash_crc_run(f, &p->core, addr, len, &got);
	if (rc != SR_OK) {
		sr_info("no CRC on the target (%s): verifying by reading back", sr_strerror(rc));
		f->no_crc = true;
		return false;
	}
	for (int k = i; k < j; k++)
		want = ctl ? f->ops->crc_host(want, p->v[k].want, p->v[k].len)
			   : sr_flash_crc_host(want, p->v[k].want, p->v[k].len);
	if (got != want) {
		sr_info("CRC of 0x%08X-0x%08X differs: reading it back to find where", addr,
			addr + len - 1);
		return false;
	}
	f->crc_bytes += len;
	progress(f, p, len);
	return true;
}

static int check(struct sr_flash *f, struct pieces *p, uint32_t *first_bad, uint64_t *n_bad)
{
	int rc = SR_OK;
	f->crc_bytes = f->read_bytes = 0;
	for (int i = 0, j; rc == SR_OK && i < p->n; i = j) {
		for (j = i + 1; j < p->n && p->v[j].bank == p->v[i].bank &&
				p->v[j].addr == p->v[j - 1].addr + p->v[j - 1].len;)
			j++;
		if (!f->no_crc && crc_group(f, p, i, j))
			continue;
		for (int k = i; rc == SR_OK && k < j; k++)
			rc = read_back(f, &p->v[k], p);
	}
	if (p->core_up)
		sr_flash_crc_end(f, &p->core);
	*first_bad = p->first_bad;
	*n_bad = p->n_bad;
	free(p->v);
	if (rc == SR_OK && p->n_bad) {
		sr_msgs_add(&f->why, "%llu byte%s differ%s, the first at 0x%08X",
			    (unsigned long long)p->n_bad, p->n_bad == 1 ? "" : "s",
			    p->n_bad == 1 ? "s" : "", p->first_bad);
		return SR_E_VERIFY;
	}
	return rc;
}

int sr_flash_verify_plan(struct sr_flash *f, const struct sr_plan *plan, uint32_t *first_bad,
			 uint64_t *n_bad)
{
	struct pieces p = {0};
	for (int i = 0; i < plan->n; i++)
		add(&p, plan->v[i].sect->addr, plan->v[i].data, plan->v[i].sect->size,
		    plan->v[i].sect->bank);
	return check(f, &p, first_bad, n_bad);
}

/* The part of SEG inside bank B of the map: [*A, *A + *N). */
static bool clip(const struct sr_flash *f, const struct sr_image_seg *seg, int b, uint32_t *a,
		 uint32_t *n)
{
	uint64_t lo = f->map.bank_base[b], hi = lo + f->map.bank_size[b];
	uint64_t s = seg->addr > lo ? seg->addr : lo;
	uint64_t e = (uint64_t)seg->addr + seg->size < hi ? (uint64_t)seg->addr + seg->size : hi;
	if (s >= e)
		return false;
	*a = (uint32_t)s;
	*n = (uint32_t)(e - s);
	return true;
}

int sr_flash_verify_image(struct sr_flash *f, const struct sr_image *img, uint32_t *first_bad,
			  uint64_t *n_bad)
{
	struct pieces p = {0};
	uint32_t a, n;
	for (int i = 0; i < img->n_seg; i++)
		for (int b = 0; b < f->map.banks; b++)
			if (clip(f, &img->seg[i], b, &a, &n))
				add(&p, a, img->seg[i].data + (a - img->seg[i].addr), n, b + 1);
	return check(f, &p, first_bad, n_bad);
}
