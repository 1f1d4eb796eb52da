/* Opening and closing a probe with its target; memory and option-byte reads. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "target/target.h"

int sr_target_open(const char *spec, const struct sr_db *db, struct sr_target **out,
		   struct sr_msgs *why)
{
	struct sr_target *tg = sr_calloc(1, sizeof(*tg));
	int rc = sr_probe_open(spec, &tg->t, why);
	if (rc == SR_OK)
		rc = sr_stlink_open(tg->t, &tg->sl, why);
	if (rc != SR_OK) {
		if (tg->t)
			sr_transport_close(tg->t);
		free(tg);
		return rc;
	}
	tg->db = db;
	*out = tg;
	return SR_OK;
}

void sr_target_close(struct sr_target *tg, bool resume)
{
	if (!tg)
		return;
	if (tg->connected && resume && tg->halted_by_us)
		sr_cm_run(tg);
	sr_stlink_exit_debug(&tg->sl);
	sr_transport_close(tg->t);
	free(tg);
}

int sr_target_read(struct sr_target *tg, uint32_t addr, uint8_t *buf, size_t len)
{
	return sr_stlink_read_mem(&tg->sl, addr, buf, len);
}

int sr_target_write(struct sr_target *tg, uint32_t addr, const uint8_t *buf, size_t len)
{
	return sr_stlink_write_mem(&tg->sl, addr, buf, len);
}

int sr_target_read32(struct sr_target *tg, uint32_t addr, uint32_t *val)
{
	return sr_stlink_read32(&tg->sl, addr, val);
}

int sr_target_write32(struct sr_target *tg, uint32_t addr, uint32_t val)
{
	return sr_stlink_write32(&tg->sl, addr, val);
}

int sr_target_read_ob(struct sr_target *tg, struct sr_ob_values *v)
{
	const struct sr_device *dev = tg->id.dev;
	const struct sr_ob_table *t = dev ? dev->family->ob : NULL;
	if (!t)
		return SR_E_UNSUPPORTED;
	sr_ob_values_init(v, t);
	memset(v->given, 0, sizeof(bool) * (size_t)t->n_regs);
	for (int r = 0; r < t->n_regs; r++) {
		uint32_t raw;
		if (!sr_ob_reg_applies(&t->regs[r], dev->dev_id))
			continue;
		int rc = sr_target_read32(tg, t->regs[r].addr, &raw);
		if (rc != SR_OK)
			return rc;
		v->raw[r] = raw;
		v->given[r] = true;
	}
	return SR_OK;
}

/* A read that returns 0, all ones, its own address, the DP IDCODE or the probe's own
 * VID:PID is no answer from a chip (DIAGNOSES.md B6, B7). */
bool sr_target_real_answer(const struct sr_target *tg, uint32_t v, uint32_t addr)
{
	uint32_t probe_id = (uint32_t)tg->t->pid << 16 | tg->t->vid;
	return v != 0 && v != 0xFFFFFFFFu && v != addr && v != tg->id.dp_idcode &&
	       v != probe_id;
}
