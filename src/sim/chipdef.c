/*
 * The virtual chips' facts: from the chip database (families/ *.ini, optbytes/
 * *.ini), plus the few that the model needs and the database does not hold
 * (extras[] below, each with its reference-manual section).
 */
#include "config.h"

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

/* What the model needs beyond families/: per virtual chip. */
struct chip_extra {
	const char *name; /* the name users give; looked up in the database */
	uint32_t cpuid, hsi_hz, lsi_hz;
	uint32_t apb2_fz, rcc_base, rcc_ahb1enr, rcc_ahb1enr_reset;
	uint32_t optbytes_base;
	const char *optcr_reg; /* option-byte register whose default is the factory word */
	const char *db_device; /* the database entry (DEV_ID or part name); default: name */
	uint16_t rev_id;       /* the silicon revision modelled; 0: the database's first */
	uint32_t dp_idcode;    /* SW-DP IDCODE */
	uint32_t optbytes_size;
	uint32_t flash_alias, sysmem_alias;
	uint32_t ram0_size; /* the part's first RAM when families/ gives its group's smallest */
	uint32_t dbgmcu_cr_bits, apb1_fz_bits, apb2_fz_bits;
	uint32_t wwdg_base;
	/* A factory option-byte word where optbytes/ shares one default between devices. */
	struct {
		const char *reg;
		uint32_t value;
	} ob_fix;
	uint32_t sysclk_hz; /* core clock after reset; 0: hsi_hz */
	uint32_t apb1_fz2, apb1_fz2_bits;
	uint32_t rcc_csr_reset, flash_acr_reset, optbytes2_base;
};

static const struct chip_extra extras[] = {
	{
		.name = "stm32f446",
		.cpuid = 0x410FC241,    /* Cortex-M4 r0p1, Cortex-M4 TRM (DDI 0439B) 4.3.1 */
		.hsi_hz = 16000000,     /* HSI after reset, RM0390 6.2.2 */
		.lsi_hz = 32000,        /* LSI RC, about 32 kHz, RM0390 6.2.5 */
		.apb2_fz = 0xE004200C,  /* DBGMCU_APB2_FZ, RM0390 33.16.5 */
		.rcc_base = 0x40023800, /* RM0390 2.2.2 table 1 */
		.rcc_ahb1enr = 0x40023830,       /* RCC_AHB1ENR, RM0390 6.3.10 */
		.rcc_ahb1enr_reset = 0x00100000, /* its reset value, RM0390 6.3.10 */
		.optbytes_base = 0x1FFFC000,     /* option bytes in memory, RM0390 3.6.1 table 8 */
		.optcr_reg = "OPTCR",
		.dp_idcode = 0x2BA01477,   /* SW-DP, Cortex-M4 TRM (DDI 0439B) 8.1 */
		.optbytes_size = 16,       /* 0x1FFFC000-0x1FFFC00F, RM0390 3.6.1 table 8 */
		.dbgmcu_cr_bits = 0xE7,    /* DBGMCU_CR, RM0390 33.16.3 */
		.apb1_fz_bits = 0x07E01DFF, /* DBGMCU_APB1_FZ, RM0390 33.16.4 */
		.apb2_fz_bits = 0x00070003, /* DBGMCU_APB2_FZ, RM0390 33.16.5 */
		.wwdg_base = 0x40002C00,    /* WWDG, RM0390 2.2.2 table 1 */
	},
	{
		.name = "stm32f746",
		/* Cortex-M7 r0p1 (ES0290 1: the core of the F74x/F75x), CPUID per Cortex-M7 TRM
		 * (DDI 0489) 3.x: 0x410FC271 (variant 0, part 0xC27, revision 1). */
		.cpuid = 0x410FC271,
		.hsi_hz = 16000000,     /* HSI after reset, RM0385 5.2.2 */
		.lsi_hz = 32000,        /* LSI RC, about 32 kHz, RM0385 5.2.5 */
		.apb2_fz = 0xE004200C,  /* DBGMCU_APB2_FZ, RM0385 40 (DBG) */
		.rcc_base = 0x40023800, /* RM0385 2.2.2 table 1 */
		.rcc_ahb1enr = 0x40023830,       /* RCC_AHB1ENR, RM0385 5.3.10 */
		.rcc_ahb1enr_reset = 0x00100000, /* DTCMRAMEN set at reset, RM0385 5.3.10 */
		.optbytes_base = 0x1FFF0000,     /* option bytes on AXIM, RM0385 3.4.1 table 4 */
		.optcr_reg = "OPTCR",
		.dp_idcode = 0x5BA02477,   /* SW-DP v2 of the Cortex-M7, RM0385 40.4 (DP IDCODE) */
		.optbytes_size = 32,       /* 0x1FFF0000-0x1FFF001F, RM0385 3.4.1 table 4 */
		.flash_alias = 0x00200000, /* flash on ITCM, RM0385 2.3.1 figure / 3.3.1 table 3 */
		.sysmem_alias = 0x00100000, /* system memory on ITCM, RM0385 3.3.1 table 3 */
		.dbgmcu_cr_bits = 0xE7,     /* DBGMCU_CR, RM0385 40 (DBG) */
		.apb1_fz_bits = 0x07E01FFF, /* DBGMCU_APB1_FZ with LPTIM1 (bit 9), RM0385 40 (DBG) */
		.apb2_fz_bits = 0x00070003, /* DBGMCU_APB2_FZ, RM0385 40 (DBG) */
		.wwdg_base = 0x40002C00,    /* WWDG, RM0385 2.2.2 table 1 */
		/* FLASH_OPTCR reset value 0xC0FFAAFD (RM0385 3.7.6) less OPTLOCK: bits 29:24 are
		 * reserved 0 on F74x; optbytes/stm32f7.ini carries the F76x default there. */
		.ob_fix = {"OPTCR", 0xC0FFAAFC},
	},
	{
		.name = "stm32f103",
		.db_device = "0x410",   /* medium density, F103x8/xB (families/stm32f1.ini) */
		.rev_id = 0x2003,       /* revision Y, RM0008 31.6.1, whose core is r1p1 (ES0340 1) */
		/* Cortex-M3 r1p1 (the core of medium-density F103 from revision Y on, ES0340 1),
		 * CPUID per Cortex-M3 TRM r1p1 (DDI 0337E) 8.2.1: 0x411FC231. */
		.cpuid = 0x411FC231,
		.hsi_hz = 8000000,      /* HSI after reset, RM0008 7.2.2 */
		.lsi_hz = 40000,        /* LSI RC, about 40 kHz, RM0008 7.2.5 */
		.rcc_base = 0x40021000, /* RM0008 3.3 table 3 */
		.rcc_ahb1enr = 0x40021014,       /* RCC_AHBENR, RM0008 7.3.6 */
		.rcc_ahb1enr_reset = 0x00000014, /* SRAMEN and FLITFEN set at reset, RM0008 7.3.6 */
		.optbytes_base = 0x1FFFF800,     /* PM0075 2.5 (option byte description) */
		.dp_idcode = 0x1BA01477,  /* SW-DP of the Cortex-M3, RM0008 31.6.3 (and OpenOCD
					   * target/stm32f1x.cfg, which checks it) */
		.optbytes_size = 16,      /* 0x1FFFF800-0x1FFFF80F, PM0075 2.5 */
		.ram0_size = 20 * 1024,   /* STM32F103x8/xB: 20 Kbytes of SRAM, DS5319 table 2 */
		.dbgmcu_cr_bits = 0x0001FFE7, /* DBGMCU_CR bits of an F103xB's peripherals, RM0008 31.16.3 */
		.wwdg_base = 0x40002C00,      /* WWDG, RM0008 3.3 table 3 */
	},
	{
		/* STM32L476 (DEV_ID 0x415). RM0351 Rev 9 section numbers as in families/stm32l4.ini;
		 * DBGMCU bits from the ST CMSIS header stm32l476xx.h (cmsis_device_l4 1.7.4). */
		.name = "stm32l476",
		.cpuid = 0x410FC241,    /* Cortex-M4 r0p1: Cortex-M4 TRM 4.3.1, RM0351 48.6.3 */
		.hsi_hz = 16000000,     /* HSI16, RM0351 6.2.2 */
		.lsi_hz = 32000,        /* LSI RC, 32 kHz, RM0351 6.2.5 */
		.sysclk_hz = 4000000,   /* MSI range 6 (4 MHz) is SYSCLK after reset, RM0351 6.2.3 */
		.apb2_fz = 0xE0042010,  /* DBGMCU_APB2FZ, RM0351 48.16.6 */
		.apb1_fz2 = 0xE004200C, /* DBGMCU_APB1FZR2, RM0351 48.16.5 */
		.dbgmcu_cr_bits = 0x000000E7, /* DBG_SLEEP/STOP/STANDBY, TRACE_IOEN/MODE, 48.16.3 */
		.apb1_fz_bits = 0x82E01C3F,   /* TIM2-7, RTC, WWDG, IWDG, I2C1-3, CAN1, LPTIM1 */
		.apb1_fz2_bits = 0x00000020,  /* LPTIM2 */
		.apb2_fz_bits = 0x00072800,   /* TIM1, TIM8, TIM15-17 */
		.rcc_base = 0x40021000,       /* RM0351 2.2.2 table 1 */
		.rcc_ahb1enr = 0x40021048,    /* RCC_AHB1ENR, RM0351 6.4.16 */
		.rcc_ahb1enr_reset = 0x00000100, /* FLASHEN set, RM0351 6.4.16 */
		.rcc_csr_reset = 0x00000600,  /* MSISRANGE 6; RCC_CSR resets to 0x0C000600, 6.4.29 */
		.flash_acr_reset = 0x00000600, /* ICEN, DCEN; FLASH_ACR, RM0351 3.7.1 */
		.optbytes_base = 0x1FFF7800,  /* bank 1 option bytes, RM0351 3.3.1 table 7 */
		.optbytes_size = 0x28,        /* 5 double words, RM0351 3.4.1 */
		.optbytes2_base = 0x1FFFF800, /* bank 2 option bytes, RM0351 3.3.1 table 7 */
		.dp_idcode = 0x2BA01477,      /* SW-DP of the Cortex-M4, Cortex-M4 TRM (DDI 0439B) 8.1 */
		.wwdg_base = 0x40002C00,      /* WWDG, RM0351 2.2.2 table 1 */
	},
	{
		/* STM32G431 (DEV_ID 0x468, category 2): RM0440 Rev 8 section 5 for the flash;
		 * DBGMCU bits from the ST CMSIS header stm32g431xx.h (cmsis_device_g4 1.2.4). */
		.name = "stm32g431",
		.cpuid = 0x410FC241,    /* Cortex-M4 r0p1: Cortex-M4 TRM 4.3.1, RM0440 47.6.3 */
		.hsi_hz = 16000000,     /* HSI16, RM0440 7.2.2 */
		.lsi_hz = 32000,        /* LSI RC, 32 kHz, RM0440 7.2.5 */
		.sysclk_hz = 16000000,  /* "after reset, the CPU clock frequency is 16 MHz", 3.3.3 */
		.apb2_fz = 0xE0042010,  /* DBGMCU_APB2FZ, RM0440 47.16.6 */
		.apb1_fz2 = 0xE004200C, /* DBGMCU_APB1FZR2, RM0440 47.16.5 (no bit on G431) */
		.dbgmcu_cr_bits = 0x000000E7, /* RM0440 47.16.3 */
		.apb1_fz_bits = 0xC0601C37,   /* TIM2-4, TIM6-7, RTC, WWDG, IWDG, I2C1-3, LPTIM1 */
		.apb1_fz2_bits = 0,
		.apb2_fz_bits = 0x00072800,   /* TIM1, TIM8, TIM15-17 */
		.rcc_base = 0x40021000,       /* RM0440 2.2.2 table 3 */
		.rcc_ahb1enr = 0x40021048,    /* RCC_AHB1ENR, RM0440 7.4.16 */
		.rcc_ahb1enr_reset = 0x00000100, /* FLASHEN set, RM0440 7.4.16 */
		.flash_acr_reset = 0x00040601, /* DBG_SWEN, DCEN, ICEN, 1 WS; RM0440 5.7.1 (3.7.1) */
		.optbytes_base = 0x1FFF7800,  /* option bytes, RM0440 5.3.1 (3.3.1 table 7) */
		.optbytes_size = 0x30,        /* 6 double words, RM0440 3.4.1 table 11 */
		.dp_idcode = 0x2BA01477,      /* SW-DP of the Cortex-M4, Cortex-M4 TRM (DDI 0439B) 8.1 */
		.wwdg_base = 0x40002C00,      /* WWDG, RM0440 2.2.2 table 3 */
	},
	{
		/* STM32G474 (DEV_ID 0x469, category 3): RM0440 Rev 8 section 3 for the flash;
		 * DBGMCU bits from the ST CMSIS header stm32g474xx.h (cmsis_device_g4 1.2.4). */
		.name = "stm32g474",
		.cpuid = 0x410FC241,    /* Cortex-M4 r0p1: Cortex-M4 TRM 4.3.1, RM0440 47.6.3 */
		.hsi_hz = 16000000,     /* HSI16, RM0440 7.2.2 */
		.lsi_hz = 32000,        /* LSI RC, 32 kHz, RM0440 7.2.5 */
		.sysclk_hz = 16000000,  /* "after reset, the CPU clock frequency is 16 MHz", 3.3.3 */
		.apb2_fz = 0xE0042010,  /* DBGMCU_APB2FZ, RM0440 47.16.6 */
		.apb1_fz2 = 0xE004200C, /* DBGMCU_APB1FZR2, RM0440 47.16.5 */
		.dbgmcu_cr_bits = 0x000000E7, /* RM0440 47.16.3 */
		.apb1_fz_bits = 0xC0601C3F,   /* TIM2-7, RTC, WWDG, IWDG, I2C1-3, LPTIM1 */
		.apb1_fz2_bits = 0x00000002,  /* I2C4 */
		.apb2_fz_bits = 0x04172800,   /* TIM1, TIM8, TIM15-17, TIM20, HRTIM1 */
		.rcc_base = 0x40021000,       /* RM0440 2.2.2 table 3 */
		.rcc_ahb1enr = 0x40021048,    /* RCC_AHB1ENR, RM0440 7.4.16 */
		.rcc_ahb1enr_reset = 0x00000100, /* FLASHEN set, RM0440 7.4.16 */
		.flash_acr_reset = 0x00040601, /* DBG_SWEN, DCEN, ICEN, 1 WS; RM0440 3.7.1 */
		.optbytes_base = 0x1FFF7800,  /* bank 1 option bytes, RM0440 3.3.1 table 7 */
		.optbytes_size = 0x30,        /* 6 double words, RM0440 3.4.1 table 11 */
		.optbytes2_base = 0x1FFFF800, /* bank 2 option bytes, RM0440 3.3.1 table 7 */
		.dp_idcode = 0x2BA01477,      /* SW-DP of the Cortex-M4, Cortex-M4 TRM (DDI 0439B) 8.1 */
		.wwdg_base = 0x40002C00,      /* WWDG, RM0440 2.2.2 table 3 */
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

const char *sr_sim_chip_device(const char *chip)
{
	const struct chip_extra *x = extra_of(chip);
	return x && x->db_device ? x->db_device : chip;
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
	}
	c->idcode_addr = d->idcode_addr;
	c->dbgmcu_cr = d->dbgmcu_cr;
	c->apb1_fz = d->iwdg_freeze.addr;
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
	c->apb2_fz = x->apb2_fz;
	c->rcc_base = x->rcc_base;
	c->rcc_ahb1enr = x->rcc_ahb1enr;
	c->rcc_ahb1enr_reset = x->rcc_ahb1enr_reset;
	c->optbytes_base = x->optbytes_base;
	c->dp_idcode = x->dp_idcode;
	c->optbytes_size = x->optbytes_size;
	c->flash_alias = x->flash_alias;
	c->sysmem_alias = x->sysmem_alias;
	c->dbgmcu_cr_bits = x->dbgmcu_cr_bits;
	c->apb1_fz_bits = x->apb1_fz_bits;
	c->apb2_fz_bits = x->apb2_fz_bits;
	c->wwdg_base = x->wwdg_base;
	c->sysclk_hz = x->sysclk_hz ? x->sysclk_hz : x->hsi_hz;
	c->apb1_fz2 = x->apb1_fz2;
	c->apb1_fz2_bits = x->apb1_fz2_bits;
	c->rcc_csr_reset = x->rcc_csr_reset;
	c->flash_acr_reset = x->flash_acr_reset;
	c->optbytes2_base = x->optbytes2_base;
}

/* The concrete part's facts where the database describes its whole DEV_ID group. */
static void fix_part(const struct chip_extra *x, struct sr_sim_chipdef *c)
{
	if (x->rev_id)
		c->rev_id = x->rev_id;
	if (x->ram0_size && c->n_ram)
		c->ram[0].size = x->ram0_size;
	for (int i = 0; x->ob_fix.reg && i < c->n_obreg; i++)
		if (sr_streq_nocase(c->obreg[i].name, x->ob_fix.reg))
			c->obreg[i].factory = x->ob_fix.value;
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
	fix_part(x, c);
	if (x->optcr_reg && !sr_sim_chipdef_ob_factory(c, x->optcr_reg, &c->optcr_factory)) {
		sr_err("sim: optbytes/ has no %s register for %s", x->optcr_reg, c->title);
		return SR_E_NODATA;
	}
	struct sr_ob_values ob;
	sr_ob_values_init(&ob, t);
	int rc = fill_sectors(dev, &ob, c);
	sr_ob_values_free(&ob);
	return rc ? rc : sr_sim_chipdef_flash_layouts(dev, c);
}

static int from_db(const struct sr_db *db, const struct chip_extra *x, struct sr_sim_chipdef *c)
{
	const char *spec = x->db_device ? x->db_device : x->name;
	const struct sr_device *dev = sr_db_device_lookup(db, spec);
	if (!dev) {
		sr_err("sim: the chip database has no %s", spec);
		return SR_E_NODATA;
	}
	memset(c, 0, sizeof(*c));
	fill_extra(x, c);
	fill_device(dev, c);
	if (c->n_ram == 0 || !c->iwdg_base || !c->rcc_csr)
		return SR_E_NODATA;
	int rc = fill_options(dev, x, c);
	if (rc == SR_OK)
		sr_sim_chipdef_fill_ext(dev, c);
	return rc;
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
