/*
 * The virtual chips' facts: from the chip database (families/ *.ini, optbytes/
 * *.ini), plus the few that the model needs and the database does not hold
 * (extras[] below, each with its reference-manual section).
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
#include "sim/sim-internal.h"

/* What the model needs beyond families/: per virtual chip. Lists end with a zero entry. */
struct chip_extra {
	const char *name; /* the name users give; looked up in the database */
	uint32_t cpuid, hsi_hz, lsi_hz;
	uint32_t rcc_base, rcc_ahb1enr, rcc_ahb1enr_reset;
	uint32_t optbytes_base;
	const char *optcr_reg; /* option-byte register whose default is the factory word */
	uint16_t rev_id;       /* REV_ID the part reports; 0: the database's first */
	uint16_t idcode_res;   /* DBGMCU_IDCODE bits 15:12 */
	uint32_t dp_idcode, dp_targetid;
	const struct sr_sim_apdef *aps;     /* default: one AHB-AP, Cortex-M4 style */
	const struct sr_sim_dbgreg *dbgregs; /* default: DBGMCU_CR and the IWDG freeze register */
	uint32_t lsi_csr;                   /* default: the reset-flags register (F4 RCC_CSR) */
	bool no_boot_alias;
};

/* SW-DP of a Cortex-M3/M4 (Cortex-M4 TRM DDI 0439B 8.1) and its AHB-AP (ADIv5 10.1). */
#define CM4_DP_IDCODE 0x2BA01477u
static const struct sr_sim_apdef cm4_aps[] = {
	{.idr = 0x24770011, .base = 0xE00FF003, .bus = SR_SIM_AP_SYSTEM},
	{0},
};

/* STM32H742/743/750/753 access ports, RM0433 60.2 (debug infrastructure); IDRs and
 * BASEs as a live H750 (same die, DEV_ID 0x450) reports them to pyOCD: AP0 AHB-AP
 * 0x84770001 to the Cortex-M7 with the ROM table at 0xE00FE000, AP1 AHB-AP 0x84770001
 * on the D3 AHB (SRAM4, backup SRAM, D3 peripherals), AP2 APB-AP 0x54770002 on the
 * debug APB (ROM table 0xE00E0000, DBGMCU at 0xE00E1000). */
static const struct sr_sim_apdef h74x_aps[] = {
	{.idr = 0x84770001, .base = 0xE00FE003, .bus = SR_SIM_AP_SYSTEM},
	{.idr = 0x84770001, .base = 0x00000002, .bus = SR_SIM_AP_SYSTEM, /* BASE: no ROM table */
	 .win = {{0x38000000, 0x10000}, {0x38800000, 0x1000}, {0x58000000, 0x27000}}, .n_win = 3},
	{.idr = 0x54770002, .base = 0xE00E0003, .bus = SR_SIM_AP_APB, .apbd = &sr_sim_apbd_h74x},
	{0},
};

/* DBGMCU registers and writable bits: F446 RM0390 33.16.3-33.16.5. */
static const struct sr_sim_dbgreg f446_dbgregs[] = {
	{"cr", 0xE0042004, 0x000000E7},
	{"apb1_fz", 0xE0042008, 0x07E01DFF},
	{"apb2_fz", 0xE004200C, 0x00070003},
	{""},
};

/* H742/743/750/753: RM0433 60.5.8 (DBGMCU_CR, APB3FZ1, APB1LFZ1, APB2FZ1, APB4FZ1),
 * bits as listed in ST's STM32H743 SVD. */
static const struct sr_sim_dbgreg h74x_dbgregs[] = {
	{"cr", 0x5C001004, 0x107001BF},
	{"apb3fz1", 0x5C001034, 0x00000040},
	{"apb1lfz1", 0x5C00103C, 0x00E003FF},
	{"apb2fz1", 0x5C00104C, 0x20070003},
	{"apb4fz1", 0x5C001054, 0x00051E80},
	{""},
};

static const struct chip_extra extras[] = {
	{
		.name = "stm32f446",
		.cpuid = 0x410FC241,    /* Cortex-M4 r0p1, Cortex-M4 TRM (DDI 0439B) 4.3.1 */
		.hsi_hz = 16000000,     /* HSI after reset, RM0390 6.2.2 */
		.lsi_hz = 32000,        /* LSI RC, about 32 kHz, RM0390 6.2.5 */
		.rcc_base = 0x40023800, /* RM0390 2.2.2 table 1 */
		.rcc_ahb1enr = 0x40023830,       /* RCC_AHB1ENR, RM0390 6.3.10 */
		.rcc_ahb1enr_reset = 0x00100000, /* its reset value, RM0390 6.3.10 */
		.optbytes_base = 0x1FFFC000,     /* option bytes in memory, RM0390 3.6.1 table 8 */
		.optcr_reg = "OPTCR",
		.dp_idcode = CM4_DP_IDCODE,
		.aps = cm4_aps,
		.dbgregs = f446_dbgregs,
	},
	{
		.name = "stm32h753",
		.cpuid = 0x411FC271,    /* Cortex-M7 r1p1 (CPUID layout: ARMv7-M B3.2.3); what
					 * live H743/H750 parts report (pyOCD "Cortex-M7 r1p1") */
		.rev_id = 0x2003,       /* revision V, RM0433 60.5.8 DBGMCU_IDC */
		.idcode_res = 0x6,      /* DBGMCU_IDC reads 0x20036450 on rev V parts (reset value
					 * 0x10006450 in ST's SVD of RM0433 60.5.8) */
		.hsi_hz = 64000000,     /* HSI (64 MHz) clocks the system after reset, RM0433 8.5 */
		.lsi_hz = 32000,        /* LSI RC 32 kHz, RM0433 8.5 */
		.rcc_base = 0x58024400, /* RCC, RM0433 2.3.2 table 8 */
		.rcc_ahb1enr = 0x580244D8, /* RCC_AHB1ENR (offset 0xD8, reset value 0), RM0433 8.7 */
		.lsi_csr = 0x58024474,  /* RCC_CSR (offset 0x74): LSION/LSIRDY, RM0433 8.7 */
		.no_boot_alias = true,  /* ITCM at 0; boot from BOOT_ADDx, RM0433 2.6 */
		.dp_idcode = 0x6BA02477, /* SW-DPv2 DPIDR, RM0433 60.4; stlink 1.7.0 STM32H7_CORE_ID,
					  * openocd stm32h7x.cfg _CPUTAPID */
		.dp_targetid = 0x04500041, /* TARGETSEL of H742/743/750/753, ST's SWD multi-drop
					   * note, table 2 (DLPIDR TINSTANCE 0) */
		.aps = h74x_aps,
		.dbgregs = h74x_dbgregs,
	},
};

const char *const *sr_sim_chip_names(void)
{
	static const char *names[SR_ARRAY_SIZE(extras) + 1];
	for (size_t i = 0; i < SR_ARRAY_SIZE(extras); i++)
		names[i] = extras[i].name;
	return names;
}

static const struct chip_extra *extra_of(const char *name)
{
	for (size_t i = 0; name && i < SR_ARRAY_SIZE(extras); i++)
		if (sr_streq_nocase(extras[i].name, name))
			return &extras[i];
	return NULL;
}

/* Sector sizes of bank 1 under the factory option bytes. */
static int fill_sectors(const struct sr_device *dev, struct sr_ob_values *ob,
			struct sr_sim_chipdef *c)
{
	struct sr_flash_map map;
	int rc = sr_flash_map_build(dev, c->flash_size / 1024, sr_ob_values_lookup, ob, &map);
	if (rc)
		return rc;
	c->n_sect = 0;
	for (int i = 0; i < map.n_sect && c->n_sect < SR_SIM_MAX_SECT; i++)
		if (map.sect[i].bank == 1)
			c->sect_size[c->n_sect++] = map.sect[i].size;
	c->n_banks = map.banks;
	for (int k = 0; k < map.banks && k < 2; k++) {
		c->bank_base[k] = map.bank_base[k];
		c->bank_size[k] = map.bank_size[k];
	}
	for (int i = 0; i < map.n_sect; i++)
		if (map.sect[i].bank >= 1 && map.sect[i].bank <= 2)
			c->bank_sect[map.sect[i].bank - 1]++;
	c->bank2_regs = map.geom ? map.geom->bank2_regs : 0;
	sr_flash_map_free(&map);
	return SR_OK;
}

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
}

static void fill_extra(const struct chip_extra *x, struct sr_sim_chipdef *c)
{
	snprintf(c->name, sizeof(c->name), "%s", x->name);
	c->cpuid = x->cpuid;
	c->hsi_hz = x->hsi_hz;
	c->lsi_hz = x->lsi_hz;
	c->rcc_base = x->rcc_base;
	c->rcc_ahb1enr = x->rcc_ahb1enr;
	c->rcc_ahb1enr_reset = x->rcc_ahb1enr_reset;
	c->optbytes_base = x->optbytes_base;
	c->no_boot_alias = x->no_boot_alias;
	c->dp_idcode = x->dp_idcode ? x->dp_idcode : CM4_DP_IDCODE;
	c->dp_targetid = x->dp_targetid;
	c->idcode_res = x->idcode_res;
	const struct sr_sim_apdef *ap = x->aps ? x->aps : cm4_aps;
	for (c->n_ap = 0; ap[c->n_ap].idr && c->n_ap < SR_SIM_MAX_AP; c->n_ap++)
		c->ap[c->n_ap] = ap[c->n_ap];
	for (c->n_dbgreg = 0; x->dbgregs && x->dbgregs[c->n_dbgreg].name[0] &&
			      c->n_dbgreg < SR_SIM_MAX_DBGREG; c->n_dbgreg++)
		c->dbgreg[c->n_dbgreg] = x->dbgregs[c->n_dbgreg];
}

/* Without a list in extras[]: DBGMCU_CR and the freeze register, every bit writable. */
static void default_dbgregs(struct sr_sim_chipdef *c)
{
	if (c->n_dbgreg)
		return;
	c->dbgreg[c->n_dbgreg++] = (struct sr_sim_dbgreg){"cr", c->dbgmcu_cr, 0xFFFFFFFF};
	if (c->iwdg_freeze_addr && c->iwdg_freeze_addr != c->dbgmcu_cr)
		c->dbgreg[c->n_dbgreg++] =
			(struct sr_sim_dbgreg){"apb1_fz", c->iwdg_freeze_addr, 0xFFFFFFFF};
}

/* Reset flags by their RM names in families/ [bits RCC_CSR] (F4 RCC_CSR, H7 RCC_RSR):
 * a power-on reset sets POR, BOR and PIN (and D1, D2, CPU on H7); every system reset
 * drives NRST low and resets the CPU (RM0390 6.1.2; RM0433 8.4, reset source identification). */
static void fill_rstflags(const struct sr_family *fam, struct sr_sim_chipdef *c)
{
	static const struct {
		const char *name;
		size_t off;
	} roles[] = {
		{"PORRSTF", offsetof(struct sr_sim_rstflags, por)},
		{"BORRSTF", offsetof(struct sr_sim_rstflags, por)},
		{"D1RSTF", offsetof(struct sr_sim_rstflags, por)},
		{"D2RSTF", offsetof(struct sr_sim_rstflags, por)},
		{"PINRSTF", offsetof(struct sr_sim_rstflags, any)},
		{"CPURSTF", offsetof(struct sr_sim_rstflags, any)},
		{"SFTRSTF", offsetof(struct sr_sim_rstflags, soft)},
		{"IWDGRSTF", offsetof(struct sr_sim_rstflags, iwdg)},
		{"IWDG1RSTF", offsetof(struct sr_sim_rstflags, iwdg)},
		{"RMVF", offsetof(struct sr_sim_rstflags, rmvf)},
	};
	const struct sr_regbits *rb = sr_family_bits(fam, "RCC_CSR");
	for (int i = 0; rb && i < rb->n; i++) {
		const struct sr_bitdef *bd = &rb->bits[i];
		uint32_t m = sr_field_mask(bd->hi, bd->lo);
		if (bd->kind == SR_BIT_RESETFLAG)
			c->rst.all |= m;
		for (size_t k = 0; k < SR_ARRAY_SIZE(roles); k++)
			if (strcmp(bd->name, roles[k].name) == 0)
				*(uint32_t *)((char *)&c->rst + roles[k].off) |= m;
	}
	c->rst.por |= c->rst.any;
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
		o->factory = r->def & ~r->control;
		o->def = r->def;
	}
}

static int fill_options(const struct sr_device *dev, const struct chip_extra *x,
			struct sr_sim_chipdef *c)
{
	const struct sr_ob_table *t = dev->family->ob;
	if (!t) {
		sr_err("sim: optbytes/ has no table for %s", c->title);
		return SR_E_NODATA;
	}
	fill_obregs(dev, t, c);
	if (x->optcr_reg && !sr_sim_chipdef_ob_factory(c, x->optcr_reg, &c->optcr_factory)) {
		sr_err("sim: optbytes/ has no %s register for %s", x->optcr_reg, c->title);
		return SR_E_NODATA;
	}
	struct sr_ob_values ob;
	sr_ob_values_init(&ob, t);
	int rc = fill_sectors(dev, &ob, c);
	sr_ob_values_free(&ob);
	return rc;
}

static int from_db(const struct sr_db *db, const struct chip_extra *x, struct sr_sim_chipdef *c)
{
	const struct sr_device *dev = sr_db_device_lookup(db, x->name);
	if (!dev) {
		sr_err("sim: the chip database has no %s", x->name);
		return SR_E_NODATA;
	}
	memset(c, 0, sizeof(*c));
	fill_extra(x, c);
	fill_device(dev, c);
	if (x->rev_id)
		c->rev_id = x->rev_id;
	c->lsi_csr = x->lsi_csr ? x->lsi_csr : c->rcc_csr;
	default_dbgregs(c);
	fill_rstflags(dev->family, c);
	uint32_t off = 0;
	for (int i = 0; i < c->n_ram; i++) {
		c->ram[i].offset = off;
		off += c->ram[i].size;
	}
	if (c->n_ram == 0 || !c->iwdg_base || !c->rcc_csr || !c->rst.por)
		return SR_E_NODATA;
	return fill_options(dev, x, c);
}

int sr_sim_chipdef_load(const char *name, struct sr_sim_chipdef *out)
{
	const struct chip_extra *x = extra_of(name);
	struct sr_msgs msgs = {0};
	struct sr_db *db = NULL;
	if (!x) {
		sr_err("sim: no virtual chip named '%s'", name ? name : "(none)");
		return SR_E_UNKNOWN_CHIP;
	}
	char *dir = sr_db_find_datadir(NULL, &msgs);
	int rc = dir ? sr_db_load(dir, &db, &msgs) : SR_E_NODATA;
	if (rc == SR_OK)
		rc = from_db(db, x, out);
	else
		sr_err("sim: the chip database is not found (set STMRESCUE_DATADIR)");
	for (int i = 0; i < msgs.n; i++)
		sr_debug("sim: %s", msgs.v[i]);
	sr_msgs_free(&msgs);
	sr_db_free(db);
	free(dir);
	return rc;
}
