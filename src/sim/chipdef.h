/*
 * Facts about one virtual chip: memory map, ID registers, flash geometry and
 * factory option bytes. chipdef.c takes them from the chip database (a [part] of
 * families/, its device and family, and optbytes/, through src/db and src/ob); it
 * is the only place the chip model reads them from.
 */
#ifndef SR_SIM_CHIPDEF_H
#define SR_SIM_CHIPDEF_H

#include <stdbool.h>
#include <stdint.h>

#define SR_SIM_MAX_RAM 8     /* the H743/753 has eight regions, families/stm32h7.ini */
#define SR_SIM_MAX_SECT 1024 /* as SR_MAX_SECTORS: an F1 has one erase unit per 1 KiB page */
#define SR_SIM_MAX_OBREG 16
#define SR_SIM_MAX_OBFIELD 48
#define SR_SIM_MAX_LAYOUT 4
#define SR_SIM_MAX_AREA 8

/* A factory option-byte register (optbytes/ default less its control bits). */
struct sr_sim_obreg {
	char name[24];
	uint32_t addr, factory;
	uint32_t def; /* the optbytes/ default with its control bits, as a register reads */
};

/* An option-byte condition: (register obreg[reg] & mask) == value. */
struct sr_sim_obcond {
	int reg;
	uint32_t mask, value;
};

#define SR_SIM_MAX_RUN 8 /* as SR_MAX_RUNS */

/* A flash layout of families/ [geometry] and the option bytes that select it. */
struct sr_sim_layout {
	struct sr_sim_obcond when[4];
	int n_when;
	int banks;
	uint32_t bank_base[2], bank_size[2];
	uint32_t page_size; /* 0 when the sectors differ in size */
	uint32_t bank_sect[2]; /* sectors in each bank */
	uint32_t bank2_regs;   /* offset of bank 2's register block, 0: none */
	struct {
		uint32_t count, size;
	} run[SR_SIM_MAX_RUN]; /* bank 1's sectors in order: COUNT of SIZE each */
	int n_run;
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
	uint32_t enable_addr; /* clock-enable register (families/ ram enable=), 0: always clocked */
	uint8_t enable_bit;
	uint32_t offset;      /* where the region sits in struct sr_sim_board's ram buffer */
};

/* What a MEM-AP reaches (ADIv5 IHI 0031 7.1): the system bus (all of it, or only the
 * windows listed), or a debug APB described by a struct sr_sim_apbd (apbd.c). */
enum sr_sim_ap_bus { SR_SIM_AP_SYSTEM, SR_SIM_AP_APB };

#define SR_SIM_MAX_AP 4
#define SR_SIM_MAX_WIN 4

struct sr_sim_window {
	uint32_t base, size;
};

struct sr_sim_apbd;

struct sr_sim_apdef {
	uint32_t idr, base; /* the AP's IDR (0xFC) and BASE (0xF8) registers */
	enum sr_sim_ap_bus bus;
	struct sr_sim_window win[SR_SIM_MAX_WIN]; /* SYSTEM: reachable windows; none = all */
	int n_win;
	const struct sr_sim_apbd *apbd; /* APB: the components on that bus */
};

/* A DBGMCU register the model keeps, with its writable bits (a state-file key NAME). */
#define SR_SIM_MAX_DBGREG 8
struct sr_sim_dbgreg {
	char name[12];
	uint32_t addr, mask;
};

/* Reset flags of RCC_CSR (F1/F4/F7) or RCC_RSR (H7), from families/ [bits RCC_CSR];
 * a mask is 0 where the chip has no such flag. */
struct sr_sim_rstflags {
	uint32_t por;  /* set by a power-on reset */
	uint32_t any;  /* set by every reset (the NRST pin is driven low; CPU reset) */
	uint32_t soft, iwdg, wwdg, rmvf;
	uint32_t obl;  /* option-byte loader reset (L4/G4 OBLRSTF, RM0351 6.4.29) */
	uint32_t all;  /* every reset flag */
};

struct sr_sim_chipdef {
	char name[32];     /* "stm32f446", as given to sr_sim_board_create */
	char title[48];    /* "STM32F446" */
	uint16_t dev_id, rev_id;
	uint32_t cpuid;           /* SCB CPUID of the core */
	uint32_t mvfr[3];         /* SCB MVFR0-2: the part's FPU (0: none, Cortex-M3) */
	char flash_driver[24];    /* flash generation, struct sr_sim_flash_ops name */
	uint32_t hsi_hz, lsi_hz;  /* clocks after reset */

	uint32_t flash_base, flash_size;
	uint32_t n_sect;
	uint32_t sect_size[SR_SIM_MAX_SECT];
	uint32_t sysmem_base, sysmem_size, otp_base, otp_size;
	uint32_t optbytes_base, optbytes_size; /* the option-byte block a debugger can read, 0: none */
	uint32_t flash_alias;  /* fixed second address of main flash (F7 ITCM: 0x00200000), 0 none */
	uint32_t sysmem_alias; /* fixed second address of system memory, 0 none */
	bool boot_alias;       /* address 0 shows the boot memory (no RAM mapped there) */
	struct sr_sim_ramdef ram[SR_SIM_MAX_RAM];
	int n_ram;

	uint32_t idcode_addr, dbgmcu_cr;
	uint32_t iwdg_freeze_addr; /* DBGMCU register holding the IWDG stop bit */
	uint8_t iwdg_freeze_bit;
	uint32_t wwdg_freeze_addr; /* DBGMCU register holding DBG_WWDG_STOP, 0 none */
	uint8_t wwdg_freeze_bit;
	uint32_t wwdg_base;        /* window watchdog registers, 0: not modelled */
	uint8_t wwdg_tb_hi, wwdg_tb_lo; /* WWDG_CFR WDGTB: 8:7, or families/ [bits WWDG_CFR] */
	uint32_t iwdg_base, rcc_base, rcc_csr, rcc_ahb1enr, rcc_ahb1enr_reset;
	uint32_t flash_size_addr, uid_addr, flash_regs;
	uint32_t keys[2], optkeys[2];
	uint32_t optcr_factory; /* F2/F4/F7: the FLASH_OPTCR option word as shipped */

	/* Debug port and access ports (ADIv5); DBGMCU registers kept by the model. */
	uint32_t dp_idcode;
	uint32_t dp_targetid; /* DPv2 TARGETID (ADIv5.2 B2.2.10); 0 on a DPv1 */
	uint16_t idcode_res; /* DBGMCU_IDCODE bits 15:12 as the part reads them */
	struct sr_sim_apdef ap[SR_SIM_MAX_AP];
	int n_ap;
	struct sr_sim_dbgreg dbgreg[SR_SIM_MAX_DBGREG];
	int n_dbgreg;
	struct sr_sim_rstflags rst;
	uint32_t lsi_csr;    /* register with LSION (bit 0) / LSIRDY (bit 1) */

	/* Main flash under the factory option bytes: the layout[] in force with them,
	 * spelled out (sr_sim_chipdef_fill_factory), for the flash generations whose
	 * geometry the option bytes do not change (flash-f1.c, flash-f2.c, flash-h7*.c). */
	int n_banks;
	uint32_t bank_base[2], bank_size[2];
	uint32_t bank2_regs; /* offset of bank 2's register block, 0: none */
	uint32_t bank_sect[2]; /* sectors in each bank */
	struct sr_sim_obreg obreg[SR_SIM_MAX_OBREG]; /* every option-byte register of the device */
	int n_obreg;
	struct sr_sim_obfield obfield[SR_SIM_MAX_OBFIELD]; /* the device's option-byte fields */
	int n_obfield;

	/* Core clock and RCC beyond the F4 (periph.c, core.c). */
	uint32_t sysclk_hz;     /* the clock the core runs on after reset */
	uint32_t rcc_csr_reset; /* RCC_CSR bits other than the reset flags after reset */
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
/* chipdef-layout.c: n_banks, bank_base/size, bank_sect, bank2_regs and sect_size from
 * the layout the factory option bytes select (after the layouts and obreg are filled). */
int sr_sim_chipdef_fill_factory(struct sr_sim_chipdef *c);

/* Fill OUT for the virtual chip NAME (a families/ [part]) from the chip database;
 * SR_E_UNKNOWN_CHIP when no part has that name, SR_E_NODATA when the data directory
 * is not found or lacks a fact the model needs. */
int sr_sim_chipdef_load(const char *name, struct sr_sim_chipdef *out);

#endif
