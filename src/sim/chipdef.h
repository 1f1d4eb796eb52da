/*
 * Facts about one virtual chip: memory map, ID registers, flash geometry and
 * factory option bytes. chipdef.c takes them from the chip database (families/
 * and optbytes/ through src/db and src/ob), plus the few the database does not
 * hold; it is the only place the chip model reads them from.
 */
#ifndef SR_SIM_CHIPDEF_H
#define SR_SIM_CHIPDEF_H

#include <stdbool.h>
#include <stdint.h>

#define SR_SIM_MAX_RAM 4
#define SR_SIM_MAX_SECT 32
#define SR_SIM_MAX_OBREG 16

/* A factory option-byte register (optbytes/ default less its control bits). */
struct sr_sim_obreg {
	char name[24];
	uint32_t addr, factory;
};

struct sr_sim_ramdef {
	char name[16];
	uint32_t base, size;
};

struct sr_sim_chipdef {
	char name[32];     /* "stm32f446", as given to sr_sim_board_create */
	char title[48];    /* "STM32F446" */
	uint16_t dev_id, rev_id;
	uint32_t cpuid;           /* SCB CPUID of the core */
	char flash_driver[24];    /* flash generation, struct sr_sim_flash_ops name */
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
	uint32_t optcr_factory; /* F2/F4/F7: the FLASH_OPTCR option word as shipped */
	struct sr_sim_obreg obreg[SR_SIM_MAX_OBREG]; /* every option-byte register of the device */
	int n_obreg;
};

/* The factory value of option-byte register NAME; false when the device has none. */
bool sr_sim_chipdef_ob_factory(const struct sr_sim_chipdef *c, const char *name, uint32_t *out);

/* Fill OUT for the virtual chip NAME from the chip database; SR_E_UNKNOWN_CHIP when
 * NAME is no virtual chip, SR_E_NODATA when the data directory is not found. */
int sr_sim_chipdef_load(const char *name, struct sr_sim_chipdef *out);

#endif
