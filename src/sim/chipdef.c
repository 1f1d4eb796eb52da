/*
 * The virtual chips' facts, all from the chip database: a [part NAME] of families/
 * *.ini (CPUID, FPU, debug and access ports, silicon revision, RAM size), its
 * [device] and [family] (memory map, registers, clocks, DBGMCU registers) and
 * optbytes/ *.ini (factory option bytes). A virtual chip is a part of the database;
 * a new one of a known flash generation needs data only.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/msgs.h"
#include "common/util.h"
#include "db/family.h"
#include "ob/ob.h"
#include "sim/board.h"
#include "sim/chipdef.h"
#include "sim/chipdef-ext.h"
#include "sim/sim-internal.h"

static void fill_device(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	const struct sr_chipdefs *d = &dev->defs;
	snprintf(c->title, sizeof(c->title), "%s", dev->name);
	snprintf(c->flash_driver, sizeof(c->flash_driver), "%s", d->flash_driver);
	c->dev_id = dev->dev_id;
	c->rev_id = dev->n_revs ? dev->revs[0].rev_id : 0;
	c->flash_base = d->flash_base;
	c->flash_size = dev->flash_max;
	c->sysmem_base = d->sysmem_base;
	c->sysmem_size = d->sysmem_size;
	c->otp_base = d->otp_base;
	c->otp_size = d->otp_size;
	for (int i = 0; i < dev->n_ram && c->n_ram < SR_SIM_MAX_RAM; i++) {
		struct sr_sim_ramdef *r = &c->ram[c->n_ram++];
		snprintf(r->name, sizeof(r->name), "%s", dev->ram[i].name);
		r->base = dev->ram[i].base;
		r->size = dev->ram[i].size;
		r->enable_addr = dev->ram[i].enable.addr;
		r->enable_bit = dev->ram[i].enable.bit;
	}
	c->idcode_addr = d->idcode_addr;
	c->dbgmcu_cr = d->dbgmcu_cr;
	c->iwdg_freeze_addr = d->iwdg_freeze.addr;
	c->iwdg_freeze_bit = d->iwdg_freeze.bit;
	c->iwdg_base = d->iwdg_base;
	c->rcc_csr = d->rcc_csr;
	c->flash_size_addr = d->flash_size_addr;
	c->uid_addr = d->uid_addr;
	c->flash_regs = d->flash_regs;
	memcpy(c->keys, d->keys, sizeof(c->keys));
	memcpy(c->optkeys, d->optkeys, sizeof(c->optkeys));
	_Static_assert(SR_SIM_MAX_DBGREG == SR_MAX_DBGREG, "one size for the DBGMCU lists");
	_Static_assert(sizeof(c->dbgreg[0].name) == sizeof(dev->dbgreg[0].name), "name sizes");
	for (c->n_dbgreg = 0; c->n_dbgreg < dev->n_dbgreg; c->n_dbgreg++) {
		struct sr_sim_dbgreg *r = &c->dbgreg[c->n_dbgreg];
		memcpy(r->name, dev->dbgreg[c->n_dbgreg].name, sizeof(r->name));
		r->addr = dev->dbgreg[c->n_dbgreg].addr;
		r->mask = dev->dbgreg[c->n_dbgreg].mask;
	}
}

/* Clocks, RCC and flash reset values, the option-byte blocks a debugger reads, the
 * WWDG: [family] keys of families/, which a [device] may override. */
static void fill_clocks(const struct sr_chipdefs *d, struct sr_sim_chipdef *c)
{
	c->hsi_hz = d->hsi_hz;
	c->lsi_hz = d->lsi_hz;
	c->sysclk_hz = d->sysclk_hz ? d->sysclk_hz : d->hsi_hz;
	c->rcc_base = d->rcc_base;
	c->rcc_ahb1enr = d->rcc_ahbenr;
	c->rcc_ahb1enr_reset = d->rcc_ahbenr_reset;
	c->rcc_csr_reset = d->rcc_csr_reset;
	c->lsi_csr = d->lsi_csr ? d->lsi_csr : d->rcc_csr;
	c->flash_acr_reset = d->flash_acr_reset;
	c->optbytes_base = d->ob_base;
	c->optbytes_size = d->ob_size;
	c->optbytes2_base = d->ob2_base;
	c->flash_alias = d->flash_alias;
	c->sysmem_alias = d->sysmem_alias;
	c->wwdg_base = d->wwdg_base;
}

/* The access ports of the part's DAP; an APB-AP's bus is a debug APB of apbd.c. */
static int fill_aps(const struct sr_part *p, struct sr_sim_chipdef *c)
{
	_Static_assert(SR_SIM_MAX_AP == SR_MAX_AP && SR_SIM_MAX_WIN == SR_MAX_APWIN,
	               "one size for the access-port lists");
	for (c->n_ap = 0; c->n_ap < p->n_ap; c->n_ap++) {
		const struct sr_part_ap *a = &p->ap[c->n_ap];
		struct sr_sim_apdef *d = &c->ap[c->n_ap];
		d->idr = a->idr;
		d->base = a->base;
		d->bus = a->apb[0] ? SR_SIM_AP_APB : SR_SIM_AP_SYSTEM;
		for (d->n_win = 0; d->n_win < a->n_win; d->n_win++) {
			d->win[d->n_win].base = a->win[d->n_win].base;
			d->win[d->n_win].size = a->win[d->n_win].size;
		}
		if (a->apb[0] && !(d->apbd = sr_sim_apbd_find(a->apb))) {
			sr_err("sim: %s:%d: [part %s] ap: the virtual lab has no debug APB named "
			       "'%s'",
			       p->device->family->path, a->line, p->name, a->apb);
			return SR_E_NODATA;
		}
	}
	return SR_OK;
}

/* What the part has that its DEV_ID group does not pin down ([part NAME]). */
static void fill_part(const struct sr_part *p, struct sr_sim_chipdef *c)
{
	snprintf(c->name, sizeof(c->name), "%s", p->name);
	if (p->rev_id)
		c->rev_id = p->rev_id;
	c->idcode_res = p->idcode_res;
	c->cpuid = p->cpuid;
	memcpy(c->mvfr, p->mvfr, sizeof(c->mvfr));
	c->dp_idcode = p->dp_idcode;
	c->dp_targetid = p->dp_targetid;
	for (int k = 0; k < p->n_ram_size; k++)
		for (int i = 0; i < c->n_ram; i++)
			if (strcmp(c->ram[i].name, p->ram_size[k].name) == 0)
				c->ram[i].size = p->ram_size[k].size;
}

bool sr_sim_chipdef_ob_factory(const struct sr_sim_chipdef *c, const char *name, uint32_t *out)
{
	for (int i = 0; i < c->n_obreg; i++)
		if (sr_streq_nocase(c->obreg[i].name, name)) {
			*out = c->obreg[i].factory;
			return true;
		}
	return false;
}

/* Register I's reset value on DEV: its [device] ob_default, or the optbytes/ default. */
static uint32_t obreg_default(const struct sr_device *dev, const struct sr_ob_table *t, int i)
{
	for (int k = 0; k < dev->n_ob_default; k++)
		if (sr_ob_reg_find(t, dev->ob_default[k].reg) == i)
			return dev->ob_default[k].value;
	return t->regs[i].def;
}

/* The device's option-byte registers as shipped: each default less its control bits. */
static void fill_obregs(const struct sr_device *dev, const struct sr_ob_table *t,
			struct sr_sim_chipdef *c)
{
	for (int i = 0; i < t->n_regs && c->n_obreg < SR_SIM_MAX_OBREG; i++) {
		const struct sr_ob_reg *r = &t->regs[i];
		if (!sr_ob_reg_applies(r, dev->dev_id))
			continue;
		struct sr_sim_obreg *o = &c->obreg[c->n_obreg++];
		snprintf(o->name, sizeof(o->name), "%s", r->name);
		o->addr = r->addr;
		o->def = obreg_default(dev, t, i);
		o->factory = o->def & ~r->control;
	}
}

static int fill_options(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	const struct sr_ob_table *t = dev->family->ob;
	if (!t) {
		sr_err("sim: optbytes/ has no table for %s", c->title);
		return SR_E_NODATA;
	}
	fill_obregs(dev, t, c);
	/* FLASH_OPTCR, the option word of the F2/F4/F7 flash generation (RM0390 3.8.10,
	 * RM0385 3.7.6), for flash-f2-ob.c; 0 on a device without one. */
	sr_sim_chipdef_ob_factory(c, "OPTCR", &c->optcr_factory);
	int rc = sr_sim_chipdef_flash_layouts(dev, c);
	return rc ? rc : sr_sim_chipdef_fill_factory(c);
}

/* What the model cannot run without, named with the key that gives it. */
static const char *lacking(const struct sr_sim_chipdef *c)
{
	return !c->n_ram       ? "ram"
	       : !c->iwdg_base ? "iwdg_base"
	       : !c->rcc_csr   ? "rcc_csr"
	       : !c->hsi_hz    ? "hsi_hz"
	       : !c->lsi_hz    ? "lsi_hz"
	       : !c->n_dbgreg  ? "dbgreg"
	                       : NULL;
}

static int from_db(const struct sr_part *p, struct sr_sim_chipdef *c)
{
	const struct sr_device *dev = p->device;
	memset(c, 0, sizeof(*c));
	fill_device(dev, c);
	fill_clocks(&dev->defs, c);
	fill_part(p, c);
	const char *missing = lacking(c);
	if (missing) {
		sr_err("sim: %s: [device 0x%03X] (part %s) has no %s", dev->family->path,
		       dev->dev_id, p->name, missing);
		return SR_E_NODATA;
	}
	int rc = fill_aps(p, c);
	if (rc == SR_OK)
		rc = fill_options(dev, c);
	if (rc != SR_OK)
		return rc;
	sr_sim_chipdef_fill_ext(dev, c);
	return c->rst.por ? SR_OK : SR_E_NODATA; /* families/ [bits RCC_CSR] is needed */
}

int sr_sim_chipdef_load(const char *name, struct sr_sim_chipdef *out)
{
	struct sr_msgs msgs = {0};
	struct sr_db *db = NULL;
	const struct sr_part *p = NULL;
	char *dir = sr_db_find_datadir(NULL, &msgs);
	int rc = dir ? sr_db_load(dir, &db, &msgs) : SR_E_NODATA;
	if (rc != SR_OK)
		sr_err("sim: the chip database is not found (set STMRESCUE_DATADIR)");
	else if (!(p = sr_db_part(db, name))) {
		sr_err("sim: no virtual chip named '%s' (no [part] of families/ has that name%s)",
		       name ? name : "(none)",
		       msgs.n ? "; the chip database has problems: 'stmrescue chips' lists them"
			      : "");
		rc = SR_E_UNKNOWN_CHIP;
	} else {
		rc = from_db(p, out);
	}
	for (int i = 0; i < msgs.n; i++)
		sr_debug("sim: %s", msgs.v[i]);
	sr_msgs_free(&msgs);
	sr_db_free(db);
	free(dir);
	return rc;
}
