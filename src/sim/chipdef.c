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
#include "sim/chipdef-ext.h"
#include "sim/sim-internal.h"

/* What the model needs beyond families/: per virtual chip. Lists end with a zero entry. */
struct chip_extra {
	const char *name; /* the name users give; looked up in the database */
	uint32_t cpuid, hsi_hz, lsi_hz;
	uint32_t rcc_base, rcc_ahb1enr, rcc_ahb1enr_reset;
	uint32_t optbytes_base;
	const char *optcr_reg; /* option-byte register whose default is the factory word */
	const char *db_device; /* the database entry (DEV_ID or part name); default: name */
	uint16_t rev_id;       /* the silicon revision modelled; 0: the database's first */
	uint16_t idcode_res;   /* DBGMCU_IDCODE bits 15:12 */
	uint32_t dp_idcode;    /* SW-DP IDCODE (DPIDR) */
	uint32_t dp_targetid;  /* DPv2 TARGETID; 0 on a DPv1 */
	const struct sr_sim_apdef *aps;      /* the DAP's access ports */
	const struct sr_sim_dbgreg *dbgregs; /* DBGMCU registers and their writable bits */
	uint32_t mvfr[3];      /* MVFR0-2: the FPU the part was built with, 0: none */
	uint32_t lsi_csr;      /* default: the reset-flags register (RCC_CSR) */
	uint32_t optbytes_size;
	uint32_t flash_alias, sysmem_alias;
	uint32_t ram0_size; /* the part's first RAM when families/ gives its group's smallest */
	uint32_t wwdg_base;
	/* A factory option-byte word where optbytes/ shares one default between devices. */
	struct {
		const char *reg;
		uint32_t value;
	} ob_fix;
	uint32_t sysclk_hz; /* core clock after reset; 0: hsi_hz */
	uint32_t rcc_csr_reset, flash_acr_reset, optbytes2_base;
};

/* The AHB-AP of a Cortex-M4 (ADIv5 10.1; Cortex-M4 TRM DDI 0439B 8.2): IDR and the ROM
 * table at 0xE00FF000. */
static const struct sr_sim_apdef cm4_aps[] = {
	{.idr = 0x24770011, .base = 0xE00FF003, .bus = SR_SIM_AP_SYSTEM},
	{0},
};

/* The AHB-AP of the F103's Cortex-M3 r1p1: IDR 0x14770011, ROM table at 0xE00FF000, as
 * live F103 parts report them (STM32CubeProgrammer "AP[0]: AHB-AP (IDR: 0x14770011)",
 * "AHB-AP ROM base: 0xE00FF000"). */
static const struct sr_sim_apdef cm3_aps[] = {
	{.idr = 0x14770011, .base = 0xE00FF003, .bus = SR_SIM_AP_SYSTEM},
	{0},
};

/* The AHB-AP of the F74x/F75x's Cortex-M7: IDR 0x74770001 with ST's ROM table (part
 * 0x449) at 0xE00FD000, as a live STM32F746 reports them to pyOCD. */
static const struct sr_sim_apdef f74x_aps[] = {
	{.idr = 0x74770001, .base = 0xE00FD003, .bus = SR_SIM_AP_SYSTEM},
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

/* F74x/F75x: DBGMCU_CR, APB1_FZ with LPTIM1 (bit 9), APB2_FZ, RM0385 40 (DBG). */
static const struct sr_sim_dbgreg f74x_dbgregs[] = {
	{"cr", 0xE0042004, 0x000000E7},
	{"apb1_fz", 0xE0042008, 0x07E01FFF},
	{"apb2_fz", 0xE004200C, 0x00070003},
	{""},
};

/* F103xB: DBGMCU_CR alone holds the freeze bits of its peripherals, RM0008 31.16.3. */
static const struct sr_sim_dbgreg f103_dbgregs[] = {
	{"cr", 0xE0042004, 0x0001FFE7},
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

/* L476: DBGMCU_CR (DBG_SLEEP/STOP/STANDBY, TRACE_IOEN/MODE), APB1FZR1 (TIM2-7, RTC, WWDG,
 * IWDG, I2C1-3, CAN1, LPTIM1), APB1FZR2 (LPTIM2), APB2FZR (TIM1, TIM8, TIM15-17),
 * RM0351 48.16.3-48.16.6; bits from ST's CMSIS stm32l476xx.h (cmsis_device_l4 1.7.4). */
static const struct sr_sim_dbgreg l476_dbgregs[] = {
	{"cr", 0xE0042004, 0x000000E7},
	{"apb1_fz", 0xE0042008, 0x82E01C3F},
	{"apb1_fz2", 0xE004200C, 0x00000020},
	{"apb2_fz", 0xE0042010, 0x00072800},
	{""},
};

/* G431: APB1FZR1 TIM2-4, TIM6-7, RTC, WWDG, IWDG, I2C1-3, LPTIM1; APB1FZR2 has no bit on
 * this part; APB2FZR TIM1, TIM8, TIM15-17 (RM0440 47.16.3-47.16.6; CMSIS stm32g431xx.h,
 * cmsis_device_g4 1.2.4). */
static const struct sr_sim_dbgreg g431_dbgregs[] = {
	{"cr", 0xE0042004, 0x000000E7},
	{"apb1_fz", 0xE0042008, 0xC0601C37},
	{"apb1_fz2", 0xE004200C, 0x00000000},
	{"apb2_fz", 0xE0042010, 0x00072800},
	{""},
};

/* G474: APB1FZR1 TIM2-7, RTC, WWDG, IWDG, I2C1-3, LPTIM1; APB1FZR2 I2C4; APB2FZR TIM1,
 * TIM8, TIM15-17, TIM20, HRTIM1 (RM0440 47.16.3-47.16.6; CMSIS stm32g474xx.h). */
static const struct sr_sim_dbgreg g474_dbgregs[] = {
	{"cr", 0xE0042004, 0x000000E7},
	{"apb1_fz", 0xE0042008, 0xC0601C3F},
	{"apb1_fz2", 0xE004200C, 0x00000002},
	{"apb2_fz", 0xE0042010, 0x04172800},
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
		.dp_idcode = 0x2BA01477,   /* SW-DP, Cortex-M4 TRM (DDI 0439B) 8.1 */
		.aps = cm4_aps,
		.dbgregs = f446_dbgregs,
		.mvfr = {0x10110021, 0x11000011, 0}, /* FPv4-SP, Cortex-M4 TRM 7.3 */
		.optbytes_size = 16,       /* 0x1FFFC000-0x1FFFC00F, RM0390 3.6.1 table 8 */
		.wwdg_base = 0x40002C00,    /* WWDG, RM0390 2.2.2 table 1 */
	},
	{
		.name = "stm32f746",
		/* Cortex-M7 r0p1 (ES0290 1: the core of the F74x/F75x), CPUID per Cortex-M7 TRM
		 * (DDI 0489) 3.x: 0x410FC271 (variant 0, part 0xC27, revision 1). */
		.cpuid = 0x410FC271,
		.hsi_hz = 16000000,     /* HSI after reset, RM0385 5.2.2 */
		.lsi_hz = 32000,        /* LSI RC, about 32 kHz, RM0385 5.2.5 */
		.rcc_base = 0x40023800, /* RM0385 2.2.2 table 1 */
		.rcc_ahb1enr = 0x40023830,       /* RCC_AHB1ENR, RM0385 5.3.10 */
		.rcc_ahb1enr_reset = 0x00100000, /* DTCMRAMEN set at reset, RM0385 5.3.10 */
		.optbytes_base = 0x1FFF0000,     /* option bytes on AXIM, RM0385 3.4.1 table 4 */
		.optcr_reg = "OPTCR",
		.dp_idcode = 0x5BA02477,   /* SW-DP v2 of the Cortex-M7, RM0385 40.4 (DP IDCODE) */
		.aps = f74x_aps,
		.dbgregs = f74x_dbgregs,
		/* FPv5 single precision (Cortex-M7 TRM 3.3, MVFR0-2): the F74x's FPU, which a
		 * live F746 reports to pyOCD as FPv5-SP-D16-M */
		.mvfr = {0x10110021, 0x11000011, 0x00000040},
		.optbytes_size = 32,       /* 0x1FFF0000-0x1FFF001F, RM0385 3.4.1 table 4 */
		.flash_alias = 0x00200000, /* flash on ITCM, RM0385 2.3.1 figure / 3.3.1 table 3 */
		.sysmem_alias = 0x00100000, /* system memory on ITCM, RM0385 3.3.1 table 3 */
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
		.aps = cm3_aps,
		.dbgregs = f103_dbgregs,  /* no FPU: MVFR0-2 read 0 */
		.optbytes_size = 16,      /* 0x1FFFF800-0x1FFFF80F, PM0075 2.5 */
		.ram0_size = 20 * 1024,   /* STM32F103x8/xB: 20 Kbytes of SRAM, DS5319 table 2 */
		.wwdg_base = 0x40002C00,      /* WWDG, RM0008 3.3 table 3 */
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
		.dp_idcode = 0x6BA02477, /* SW-DPv2 DPIDR, RM0433 60.4; stlink 1.7.0 STM32H7_CORE_ID,
					  * openocd stm32h7x.cfg _CPUTAPID */
		.dp_targetid = 0x04500041, /* TARGETSEL of H742/743/750/753, ST's SWD multi-drop
					   * note, table 2 (DLPIDR TINSTANCE 0) */
		.aps = h74x_aps,
		.dbgregs = h74x_dbgregs,
		/* FPv5 double precision, Cortex-M7 TRM 3.3 (MVFR0-2); pyOCD reads FPv5-D16 */
		.mvfr = {0x10110221, 0x12000011, 0x00000040},
	},
	{
		/* STM32L476 (DEV_ID 0x415). RM0351 Rev 9 section numbers as in families/stm32l4.ini. */
		.name = "stm32l476",
		.cpuid = 0x410FC241,    /* Cortex-M4 r0p1: Cortex-M4 TRM 4.3.1, RM0351 48.6.3 */
		.hsi_hz = 16000000,     /* HSI16, RM0351 6.2.2 */
		.lsi_hz = 32000,        /* LSI RC, 32 kHz, RM0351 6.2.5 */
		.sysclk_hz = 4000000,   /* MSI range 6 (4 MHz) is SYSCLK after reset, RM0351 6.2.3 */
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
		.dbgregs = l476_dbgregs,
		.aps = cm4_aps,
		.mvfr = {0x10110021, 0x11000011, 0}, /* FPv4-SP, Cortex-M4 TRM 7.3 */
	},
	{
		/* STM32G431 (DEV_ID 0x468, category 2): RM0440 Rev 8 section 5 for the flash. */
		.name = "stm32g431",
		.cpuid = 0x410FC241,    /* Cortex-M4 r0p1: Cortex-M4 TRM 4.3.1, RM0440 47.6.3 */
		.hsi_hz = 16000000,     /* HSI16, RM0440 7.2.2 */
		.lsi_hz = 32000,        /* LSI RC, 32 kHz, RM0440 7.2.5 */
		.sysclk_hz = 16000000,  /* "after reset, the CPU clock frequency is 16 MHz", 3.3.3 */
		.rcc_base = 0x40021000,       /* RM0440 2.2.2 table 3 */
		.rcc_ahb1enr = 0x40021048,    /* RCC_AHB1ENR, RM0440 7.4.16 */
		.rcc_ahb1enr_reset = 0x00000100, /* FLASHEN set, RM0440 7.4.16 */
		.flash_acr_reset = 0x00040601, /* DBG_SWEN, DCEN, ICEN, 1 WS; RM0440 5.7.1 (3.7.1) */
		.optbytes_base = 0x1FFF7800,  /* option bytes, RM0440 5.3.1 (3.3.1 table 7) */
		.optbytes_size = 0x30,        /* 6 double words, RM0440 3.4.1 table 11 */
		.dp_idcode = 0x2BA01477,      /* SW-DP of the Cortex-M4, Cortex-M4 TRM (DDI 0439B) 8.1 */
		.wwdg_base = 0x40002C00,      /* WWDG, RM0440 2.2.2 table 3 */
		.dbgregs = g431_dbgregs,
		.aps = cm4_aps,
		.mvfr = {0x10110021, 0x11000011, 0}, /* FPv4-SP, Cortex-M4 TRM 7.3 */
	},
	{
		/* STM32G474 (DEV_ID 0x469, category 3): RM0440 Rev 8 section 3 for the flash. */
		.name = "stm32g474",
		.cpuid = 0x410FC241,    /* Cortex-M4 r0p1: Cortex-M4 TRM 4.3.1, RM0440 47.6.3 */
		.hsi_hz = 16000000,     /* HSI16, RM0440 7.2.2 */
		.lsi_hz = 32000,        /* LSI RC, 32 kHz, RM0440 7.2.5 */
		.sysclk_hz = 16000000,  /* "after reset, the CPU clock frequency is 16 MHz", 3.3.3 */
		.rcc_base = 0x40021000,       /* RM0440 2.2.2 table 3 */
		.rcc_ahb1enr = 0x40021048,    /* RCC_AHB1ENR, RM0440 7.4.16 */
		.rcc_ahb1enr_reset = 0x00000100, /* FLASHEN set, RM0440 7.4.16 */
		.flash_acr_reset = 0x00040601, /* DBG_SWEN, DCEN, ICEN, 1 WS; RM0440 3.7.1 */
		.optbytes_base = 0x1FFF7800,  /* bank 1 option bytes, RM0440 3.3.1 table 7 */
		.optbytes_size = 0x30,        /* 6 double words, RM0440 3.4.1 table 11 */
		.optbytes2_base = 0x1FFFF800, /* bank 2 option bytes, RM0440 3.3.1 table 7 */
		.dp_idcode = 0x2BA01477,      /* SW-DP of the Cortex-M4, Cortex-M4 TRM (DDI 0439B) 8.1 */
		.wwdg_base = 0x40002C00,      /* WWDG, RM0440 2.2.2 table 3 */
		.dbgregs = g474_dbgregs,
		.aps = cm4_aps,
		.mvfr = {0x10110021, 0x11000011, 0}, /* FPv4-SP, Cortex-M4 TRM 7.3 */
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
	c->optbytes_size = x->optbytes_size;
	c->flash_alias = x->flash_alias;
	c->sysmem_alias = x->sysmem_alias;
	c->wwdg_base = x->wwdg_base;
	c->dp_idcode = x->dp_idcode;
	c->dp_targetid = x->dp_targetid;
	c->idcode_res = x->idcode_res;
	memcpy(c->mvfr, x->mvfr, sizeof(c->mvfr));
	for (c->n_ap = 0; x->aps && x->aps[c->n_ap].idr && c->n_ap < SR_SIM_MAX_AP; c->n_ap++)
		c->ap[c->n_ap] = x->aps[c->n_ap];
	for (c->n_dbgreg = 0; x->dbgregs && x->dbgregs[c->n_dbgreg].name[0] &&
			      c->n_dbgreg < SR_SIM_MAX_DBGREG; c->n_dbgreg++)
		c->dbgreg[c->n_dbgreg] = x->dbgregs[c->n_dbgreg];
	c->sysclk_hz = x->sysclk_hz ? x->sysclk_hz : x->hsi_hz;
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
	c->lsi_csr = x->lsi_csr ? x->lsi_csr : c->rcc_csr;
	if (c->n_ram == 0 || !c->iwdg_base || !c->rcc_csr)
		return SR_E_NODATA;
	if (!c->dp_idcode || !c->n_ap || !c->n_dbgreg) {
		sr_err("sim: %s has no debug port, access port or DBGMCU data in extras[]", x->name);
		return SR_E_NODATA;
	}
	int rc = fill_options(dev, x, c);
	if (rc != SR_OK)
		return rc;
	sr_sim_chipdef_fill_ext(dev, c);
	return c->rst.por ? SR_OK : SR_E_NODATA; /* families/ [bits RCC_CSR] is needed */
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
