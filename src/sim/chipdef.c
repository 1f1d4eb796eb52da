/*
 * The virtual chips' facts, in one table until the chip database (src/db/)
 * can be loaded here; every number cites its reference manual section.
 */
#include "config.h"

#include <stddef.h>

#include "common/util.h"
#include "sim/board.h"
#include "sim/chipdef.h"

static const struct sr_sim_chipdef chips[] = {
	{
		.name = "stm32f446",
		.title = "STM32F446",
		.dev_id = 0x421,  /* DBGMCU_IDCODE DEV_ID, RM0390 33.6.1 */
		.rev_id = 0x1000, /* revision A, RM0390 33.6.1 */
		.cpuid = 0x410FC241, /* Cortex-M4 r0p1, Cortex-M4 TRM (DDI 0439B) 4.3.1 */
		.flash_driver = "stm32f2",
		.hsi_hz = 16000000, /* HSI after reset, RM0390 6.2.2 */
		.lsi_hz = 32000,    /* LSI RC, about 32 kHz, RM0390 6.2.5 */
		.flash_base = 0x08000000,
		.flash_size = 512 * 1024, /* RM0390 3.3, table 4 */
		.n_sect = 8,              /* 4 x 16K, 1 x 64K, 3 x 128K: RM0390 3.3 table 4 */
		.sect_size = {16384, 16384, 16384, 16384, 65536, 131072, 131072, 131072},
		.sysmem_base = 0x1FFF0000, /* system memory 30K, RM0390 3.3 table 4 */
		.sysmem_size = 30 * 1024,
		.otp_base = 0x1FFF7800, /* 512 OTP bytes + 16 lock bytes, RM0390 3.7 */
		.otp_size = 528,
		.optbytes_base = 0x1FFFC000, /* option bytes, RM0390 3.6.1 table 8 */
		.ram = {{"SRAM1", 0x20000000, 112 * 1024}, /* RM0390 2.3.1 */
			{"SRAM2", 0x2001C000, 16 * 1024}},
		.n_ram = 2,
		.idcode_addr = 0xE0042000, /* DBGMCU_IDCODE, RM0390 33.6.1 */
		.dbgmcu_cr = 0xE0042004,   /* RM0390 33.16.3 */
		.apb1_fz = 0xE0042008,     /* RM0390 33.16.4 */
		.apb2_fz = 0xE004200C,     /* RM0390 33.16.5 */
		.iwdg_freeze_bit = 12,     /* DBG_IWDG_STOP, RM0390 33.16.4 */
		.iwdg_base = 0x40003000,   /* RM0390 2.2.2 table 1 */
		.rcc_base = 0x40023800,    /* RM0390 2.2.2 table 1 */
		.rcc_csr = 0x40023874,     /* RCC_CSR, RM0390 6.3.21 */
		.rcc_ahb1enr = 0x40023830, /* RCC_AHB1ENR, RM0390 6.3.10 */
		.rcc_ahb1enr_reset = 0x00100000, /* RM0390 6.3.10 reset value */
		.flash_size_addr = 0x1FFF7A22,   /* F_SIZE, RM0390 32.2 */
		.uid_addr = 0x1FFF7A10,          /* U_ID, RM0390 32.1 */
		.flash_regs = 0x40023C00,        /* RM0390 2.2.2 table 1 */
		.keys = {0x45670123, 0xCDEF89AB},    /* KEY1, KEY2: RM0390 3.5.1 */
		.optkeys = {0x08192A3B, 0x4C5D6E7F}, /* OPTKEY1, OPTKEY2: RM0390 3.6.2 */
		/* FLASH_OPTCR reset value 0x0FFFAAED less OPTLOCK: RM0390 3.8.10 */
		.optcr_factory = 0x0FFFAAEC,
	},
};

static const char *const chip_names[] = {"stm32f446", NULL};

const struct sr_sim_chipdef *sr_sim_chipdef_find(const char *name)
{
	for (size_t i = 0; name && i < SR_ARRAY_SIZE(chips); i++)
		if (sr_streq_nocase(chips[i].name, name))
			return &chips[i];
	return NULL;
}

const char *const *sr_sim_chip_names(void)
{
	return chip_names;
}
