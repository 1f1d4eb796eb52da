/* Verification by reading the flash back through the probe: independent of the write
 * path (DIAGNOSES.md 17). */
#include "config.h"

#include <stdlib.h>

#include "common/error.h"
#include "flash/flash.h"
#include "target/target.h"

#define CHUNK (16u * 1024)

struct tally {
	uint32_t first_bad;
	uint64_t n_bad, done, total;
};

/* Compare LEN bytes at ADDR with WANT. */
static int compare(struct sr_flash *f, uint32_t addr, const uint8_t *want, uint32_t len,
		   struct tally *t)
{
	uint8_t *back = malloc(CHUNK);
	if (!back)
		return SR_E_NOMEM;
	int rc = SR_OK;
	for (uint32_t off = 0; rc == SR_OK && off < len; off += CHUNK) {
		uint32_t n = len - off < CHUNK ? len - off : CHUNK;
		rc = sr_target_read(f->tg, addr + off, back, n);
		if (rc == SR_E_SWD_FAULT)
			sr_msgs_add(&f->why,
				    "reading the flash back at 0x%08X faulted: read-out protection "
				    "(RDP level 1) or PCROP blocks the debugger",
				    f->tg->sl.fault_addr);
		for (uint32_t i = 0; rc == SR_OK && i < n; i++)
			if (back[i] != want[off + i] && t->n_bad++ == 0)
				t->first_bad = addr + off + i;
		t->done += n;
		if (f->progress)
			f->progress(f->progress_ctx, "verify", t->done, t->total);
	}
	free(back);
	return rc;
}

static int outcome(struct sr_flash *f, const struct tally *t, uint32_t *first_bad,
		   uint64_t *n_bad, int rc)
{
	*first_bad = t->first_bad;
	*n_bad = t->n_bad;
	if (rc == SR_OK && t->n_bad) {
		sr_msgs_add(&f->why, "%llu byte%s differ%s, the first at 0x%08X",
			    (unsigned long long)t->n_bad, t->n_bad == 1 ? "" : "s",
			    t->n_bad == 1 ? "s" : "", t->first_bad);
		return SR_E_VERIFY;
	}
	return rc;
}

int sr_flash_verify_plan(struct sr_flash *f, const struct sr_plan *plan, uint32_t *first_bad,
			 uint64_t *n_bad)
{
	struct tally t = {0};
	int rc = SR_OK;
	for (int i = 0; i < plan->n; i++)
		t.total += plan->v[i].sect->size;
	for (int i = 0; rc == SR_OK && i < plan->n; i++)
		rc = compare(f, plan->v[i].sect->addr, plan->v[i].data, plan->v[i].sect->size, &t);
	return outcome(f, &t, first_bad, n_bad, rc);
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
	struct tally t = {0};
	int rc = SR_OK;
	uint32_t a, n;
	for (int i = 0; i < img->n_seg; i++)
		for (int b = 0; b < f->map.banks; b++)
			if (clip(f, &img->seg[i], b, &a, &n))
				t.total += n;
	for (int i = 0; rc == SR_OK && i < img->n_seg; i++)
		for (int b = 0; rc == SR_OK && b < f->map.banks; b++)
			if (clip(f, &img->seg[i], b, &a, &n))
				rc = compare(f, a, img->seg[i].data + (a - img->seg[i].addr), n, &t);
	return outcome(f, &t, first_bad, n_bad, rc);
}
