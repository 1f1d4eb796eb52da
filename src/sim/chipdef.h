/*
 * Facts about one virtual chip: memory map, ID registers, flash geometry and
 * factory values. Until src/db/ loads families/ *.ini, chipdef.c holds them in
 * one table; it is the only place the chip model reads them from.
 */
#ifndef SR_SIM_CHIPDEF_H
#define SR_SIM_CHIPDEF_H

#include <stdint.h>

#define SR_SIM_MAX_RAM 4
#define SR_SIM_MAX_SECT 32

struct sr_sim_ramdef {
	const char *name;
	uint32_t base, size;
};

struct sr_sim_chipdef {
	const char *name;  /* "stm32f446", as given to sr_sim_board_create */
	const char *title; /* "STM32F446" */
	uint16_t dev_id, rev_id;
	uint32_t cpuid;           /* SCB CPUID of the core */
	const char *flash_driver; /* flash generation, struct sr_sim_flash_ops name */
	uint32_t hsi_hz, lsi_hz;  /* clocks after reset */

	uint32_t flash_base, flash_size;
	uint32_t n_sect;
	uint32_t sect_size[SR_SIM_MAX_SECT];
	uint32_t sysmem_base, sysmem_size, otp_base, otp_size, optbytes_base;
	struct sr_sim_ramdef ram[SR_SIM_MAX_RAM];
	int n_ram;

	uint32_t idcode_addr, dbgmcu_cr, apb1_fz, apb2_fz;
	uint8_t iwdg_freeze_bit;
	uint32_t iwdg_base, rcc_base, rcc_csr, rcc_ahb1enr, rcc_ahb1enr_reset;
	uint32_t flash_size_addr, uid_addr, flash_regs;
	uint32_t keys[2], optkeys[2];
	uint32_t optcr_factory; /* option-byte word as shipped */
};

/* NULL when NAME is no virtual chip. */
const struct sr_sim_chipdef *sr_sim_chipdef_find(const char *name);

#endif
