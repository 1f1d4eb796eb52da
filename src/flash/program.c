/* Programming a plan (image/preflight.h): erase its sectors, then write its runs of
 * whole programming units, bank by bank with each bank's own controls. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "flash/flash-internal.h"
#include "target/target.h"

#define CHUNK (16u * 1024) /* progress granularity; the probe splits further */

static void progress(struct sr_flash *f, uint64_t done, uint64_t total)
{
	if (f->progress)
		f->progress(f->progress_ctx, "program", done, total);
}

/* After a failed write: where the flash first differs from what was written. */
static void locate_failure(struct sr_flash *f, uint32_t addr, const uint8_t *data, uint32_t len)
{
	uint8_t *back = malloc(len);
	if (!back || sr_target_read(f->tg, addr, back, len) != SR_OK) {
		free(back);
		return;
	}
	for (uint32_t i = 0; i < len; i++)
		if (back[i] != data[i]) {
			uint32_t u = (addr + i) & ~(f->unit - 1);
			sr_msgs_add(&f->why,
				    "the first unit that did not program is at 0x%08X (%u-byte "
				    "units)",
				    u, f->unit);
			break;
		}
	free(back);
}

static int program_run(struct sr_flash *f, const struct sr_plan_sector *ps,
		       const struct sr_plan_run *r, uint64_t *done, uint64_t total)
{
	for (uint32_t off = 0; off < r->len; off += CHUNK) {
		uint32_t n = r->len - off < CHUNK ? r->len - off : CHUNK;
		uint32_t addr = ps->sect->addr + r->off + off;
		const uint8_t *data = ps->data + r->off + off;
		int rc = f->ops->program(f, ps->sect, addr, data, n);
		if (rc != SR_OK) {
			locate_failure(f, addr, data, n);
			return rc;
		}
		*done += n;
		progress(f, *done, total);
		sr_flash_kick_watchdog(f);
	}
	return SR_OK;
}

static int program_bank(struct sr_flash *f, const struct sr_plan *plan, int bank, uint64_t *done)
{
	bool any = false;
	for (int i = 0; i < plan->n; i++)
		any |= plan->v[i].sect->bank == bank;
	if (!any)
		return SR_OK; /* a bank the plan does not touch is not unlocked */
	int rc = sr_flash_begin(f, bank);
	for (int i = 0; rc == SR_OK && i < plan->n; i++) {
		const struct sr_plan_sector *ps = &plan->v[i];
		if (ps->sect->bank != bank)
			continue;
		for (int j = 0; rc == SR_OK && j < ps->n_runs; j++)
			rc = program_run(f, ps, &ps->runs[j], done, plan->write_bytes);
	}
	return sr_flash_end(f, bank, rc);
}

int sr_flash_program_plan(struct sr_flash *f, const struct sr_plan *plan)
{
	if (plan->prog_unit % f->unit) {
		sr_msgs_add(&f->why, "the plan was made for %u-byte units, the flash needs %u",
			    plan->prog_unit, f->unit);
		return SR_E_ARG;
	}
	const struct sr_sector **v = calloc((size_t)plan->n + 1, sizeof(*v));
	if (!v)
		return SR_E_NOMEM;
	for (int i = 0; i < plan->n; i++)
		v[i] = plan->v[i].sect;
	int rc = sr_flash_erase_sectors(f, v, plan->n);
	free(v);
	uint64_t done = 0;
	progress(f, 0, plan->write_bytes);
	for (int bank = 1; rc == SR_OK && bank <= 2; bank++)
		rc = program_bank(f, plan, bank, &done);
	return rc;
}
