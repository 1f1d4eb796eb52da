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
#define SR_SIM_MAX_SECT 1024 /* as SR_MAX_SECTORS: an F1 has one erase unit per 1 KiB page */
#define SR_SIM_MAX_OBREG 16
#define SR_SIM_MAX_OBFIELD 48
#define SR_SIM_MAX_LAYOUT 4
#define SR_SIM_MAX_AREA 8

/* A factory option-byte register (optbytes/ default less its control bits). */
struct sr_sim_obreg {
	char name[24];
	uint32_t addr, factory;
};

/* An option-byte condition: (register obreg[reg] & mask) == value. */
struct sr_sim_obcond {
	int reg;
	uint32_t mask, value;
};

/* A flash layout of families/ [geometry] and the option bytes that select it. */
struct sr_sim_layout {
	struct sr_sim_obcond when[4];
	int n_when;
	int banks;
	uint32_t bank_base[2], bank_size[2];
	uint32_t page_size; /* 0 when the sectors differ in size */
};

/* A WRP or PCROP area of optbytes/ [area]: start and end fields, in units from its bank. */
struct sr_sim_obarea {
	bool pcrop;
	int bank;                /* 1 or 2 */
	int start_reg, end_reg;  /* obreg indexes */
	uint8_t start_lo, start_hi, end_lo, end_hi;
};

/* An option-byte field of the device (optbytes/), for drivers that find bits by name. */
struct sr_sim_obfield {
	char name[24];
	char reg[24];
	uint8_t hi, lo;
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

	/* Beyond the F446 (chipdef-ext.c): */
	uint32_t dp_idcode;         /* SW-DP IDCODE of the core's debug port */
	uint32_t optbytes_size;     /* bytes of the option-byte block a debugger can read */
	uint32_t flash_alias;       /* fixed second address of main flash (F7 ITCM: 0x00200000), 0 none */
	uint32_t sysmem_alias;      /* fixed second address of system memory, 0 none */
	bool boot_alias;            /* address 0 shows the boot memory (no RAM mapped there) */
	uint32_t dbgmcu_cr_bits, apb1_fz_bits, apb2_fz_bits; /* writable DBGMCU bits */
	uint32_t iwdg_freeze_addr;  /* register holding DBG_IWDG_STOP */
	uint32_t wwdg_freeze_addr;  /* register holding DBG_WWDG_STOP, 0 none */
	uint32_t wwdg_base;         /* window watchdog registers, 0: not modelled */
	uint8_t wwdg_freeze_bit;
	uint8_t wwdg_tb_hi, wwdg_tb_lo; /* WWDG_CFR WDGTB: 8:7, or families/ [bits WWDG_CFR] */
	/* RCC_CSR flags by name from families/ [bits RCC_CSR]; 0 when the chip has none. */
	uint32_t csr_rmvf, csr_borrst, csr_pinrst, csr_porrst, csr_sftrst, csr_iwdgrst, csr_wwdgrst;
	uint32_t csr_oblrst;
	struct sr_sim_obfield obfield[SR_SIM_MAX_OBFIELD]; /* the device's option-byte fields */
	int n_obfield;

	/* Core clock, DBGMCU and RCC beyond the F4 (periph.c, core.c). */
	uint32_t sysclk_hz;               /* the clock the core runs on after reset */
	uint32_t apb1_fz2, apb1_fz2_bits; /* a second APB1 freeze register (L4/G4), 0: none */
	uint32_t rcc_csr_reset;           /* RCC_CSR bits other than the reset flags after reset */
	/* Flash generations whose geometry follows the option bytes (flash-l4.c). */
	uint32_t flash_acr_reset;
	uint32_t optbytes2_base; /* bank 2's option-byte page, 0: none */
	struct sr_sim_layout layout[SR_SIM_MAX_LAYOUT]; /* in families/ order: first match wins */
	int n_layout;
	struct sr_sim_obarea area[SR_SIM_MAX_AREA];
	int n_area;
};

/* Mask of option-byte field NAME in its register (0: the device has no such field);
 * REG, when not NULL, gets the register's name. */
uint32_t sr_sim_chipdef_field(const struct sr_sim_chipdef *c, const char *name, const char **reg);
/* Mask of every field bit of option-byte register REG on this device. */
uint32_t sr_sim_chipdef_reg_fields(const struct sr_sim_chipdef *c, const char *reg);

/* The factory value of option-byte register NAME; false when the device has none. */
bool sr_sim_chipdef_ob_factory(const struct sr_sim_chipdef *c, const char *name, uint32_t *out);

/* The index of option-byte register NAME in C->obreg, or -1. */
int sr_sim_chipdef_obreg(const struct sr_sim_chipdef *c, const char *name);
/* The flash layout in force under the option-byte register values REGS (indexed as obreg). */
const struct sr_sim_layout *sr_sim_chipdef_layout(const struct sr_sim_chipdef *c,
						  const uint32_t *regs);

struct sr_device;
/* chipdef-layout.c: fill C's layouts and WRP/PCROP areas from DEV. */
int sr_sim_chipdef_flash_layouts(const struct sr_device *dev, struct sr_sim_chipdef *c);

/* Fill OUT for the virtual chip NAME from the chip database; SR_E_UNKNOWN_CHIP when
 * NAME is no virtual chip, SR_E_NODATA when the data directory is not found. */
int sr_sim_chipdef_load(const char *name, struct sr_sim_chipdef *out);

#endif
