/*
 * Chip side of the virtual lab: the board object shared by state.c, core.c,
 * scs.c, dap.c, bus.c, periph.c, flash-*.c and board.c. Not for the probe
 * side, which sees only board.h and state.h.
 */
#ifndef SR_SIM_INTERNAL_H
#define SR_SIM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/board.h"
#include "sim/chipdef.h"

struct uc_struct;
struct sr_sim_mmio;
struct sr_sim_board;

/* Who drives a bus access: the core, or the debugger through the AHB-AP; the core's
 * vector fetches go over ICode, not the D-bus (Cortex-M4 TRM 2.3.1), which PCROP tells
 * apart (RM0440 3.5.2). */
enum sr_sim_master { SR_SIM_CPU, SR_SIM_DBG, SR_SIM_CPU_FETCH };

/* Result of a bus access: a bus error is an AHB ERROR response. */
#define SR_SIM_BUS_OK 0
#define SR_SIM_BUS_ERR (-1)

/* Why the core left Thumb execution; also what DHCSR/DFSR report. */
enum sr_sim_run {
	SR_SIM_RUNNING,
	SR_SIM_HALTED,
	SR_SIM_LOCKUP, /* ARMv7-M B1.5.15: unrecoverable fault, core stops fetching */
	SR_SIM_SLEEPING,
};

/* Reset causes, for RCC_CSR (RM0390 6.3.21). */
enum sr_sim_reset_cause {
	SR_SIM_RESET_POR,
	SR_SIM_RESET_PIN,
	SR_SIM_RESET_SOFT,
	SR_SIM_RESET_IWDG,
	SR_SIM_RESET_WWDG,
	SR_SIM_RESET_OBL, /* option-byte loader (OBL_LAUNCH, RM0440 3.4.2) */
};

/* A flash controller generation: one file each (flash-f2.c, ...). */
struct sr_sim_flash_ops {
	const char *name; /* the families/ flash_driver string */
	int (*init)(struct sr_sim_board *b);
	void (*free)(struct sr_sim_board *b);
	/* System reset (and power-on reset when POR): option-byte load, registers to reset values. */
	void (*reset)(struct sr_sim_board *b, bool por);
	int (*reg_read)(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t *val);
	int (*reg_write)(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t val);
	/* Accesses to main flash and OTP (ADDR absolute). */
	int (*mem_read)(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
			uint32_t *val);
	int (*mem_write)(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr,
			 unsigned size, uint32_t val);
	/* Bring pending operations up to time NOW. */
	void (*sync)(struct sr_sim_board *b, uint64_t now);
	/* Time the running operation ends (UINT64_MAX: none). */
	uint64_t (*busy_until)(const struct sr_sim_board *b);
	/* Option-byte facts the rest of the chip needs. */
	int (*rdp_level)(const struct sr_sim_board *b);
	bool (*iwdg_hw)(const struct sr_sim_board *b);
	/* Persistence in the state file. */
	int (*load)(struct sr_sim_board *b);
	void (*save)(struct sr_sim_board *b);
	/* Factory option bytes for a fresh board. */
	void (*factory)(struct sr_sim_board *b);
	/* Optional. Where the core fetches its vector table after reset; NULL: 0, the
	 * boot alias (F7: BOOT_ADDx from the option bytes, RM0385 2.5; H7: BOOT_ADD0/1
	 * from FLASH_BOOT_CUR, RM0433 2.6). */
	uint32_t (*boot_address)(const struct sr_sim_board *b);
	/* Optional. The window watchdog is on from reset (F7 WWDG_SW = 0); NULL: never. */
	bool (*wwdg_hw)(const struct sr_sim_board *b);
};

const struct sr_sim_flash_ops *sr_sim_flash_find(const char *name);
extern const struct sr_sim_flash_ops sr_sim_flash_f2;
extern const struct sr_sim_flash_ops sr_sim_flash_f1;
extern const struct sr_sim_flash_ops sr_sim_flash_h7;
extern const struct sr_sim_flash_ops sr_sim_flash_l4;

/* The Cortex-M core and its debug registers (ARMv7-M ARM DDI 0403E, C1.6). */
/* Spin-loop detection (core-spin.c): the block watched as a loop head, and the state
 * of the core at its last snapshot there. */
#define SR_SIM_SPIN_REGS 56
struct sr_sim_spin {
	uint32_t head;
	unsigned visits, others;
	bool have;
	int n_state;
	uint32_t state[SR_SIM_SPIN_REGS];
	uint64_t cycles, stall_ns;
	unsigned writes, reads_mmio; /* since the snapshot */
	uint64_t skipped_cycles;     /* counted without being run, since the board was opened */
};

struct sr_sim_core {
	struct uc_struct *uc;
	struct sr_sim_mmio *mmio; /* one context per mapped MMIO window */
	int n_mmio;
	enum sr_sim_run run;
	bool in_reset;     /* NRST held, or power off */
	bool step_pending; /* C_STEP: execute one instruction then halt */
	uint32_t dhcsr;    /* C_* control bits only; S_* bits are computed */
	bool reset_st;     /* S_RESET_ST, cleared on read */
	bool retire_st;    /* S_RETIRE_ST, cleared on read */
	uint32_t demcr, dfsr, dcrdr, aircr_prigroup;
	uint32_t cfsr, hfsr, mmfar, bfar, vtor, ccr, shcsr;
	uint32_t fp_ctrl, fp_remap, fp_comp[16];
	uint32_t dwt_ctrl, dwt_cyccnt;
	bool sysreset_req; /* AIRCR.SYSRESETREQ written by the core itself */
	bool fw_running; /* executing firmware from flash: not emulated, see STATE.md */
	/* CPU time inside a slice: cycles retired and stalls, added to board->now at the end. */
	uint64_t slice_cycles, slice_budget, slice_stall_ns;
	bool in_slice;
	uint32_t dirty_lo, dirty_hi; /* SRAM written by others since the last slice */
	struct sr_sim_spin spin;
	int intr_no;    /* UC_HOOK_INTR exception number in this slice, or -1 */
	bool bus_fault; /* an MMIO access faulted in this slice */
	uint32_t fault_addr;
	bool fault_is_write;
};

/* Debug port and its MEM-APs (ADIv5 IHI 0031; SW-DP v1 or v2, AHB-AP, APB-AP). */
struct sr_sim_dap {
	bool line_reset_done; /* after a line reset, IDCODE must be read first (ADIv5 5.4.1) */
	uint32_t ctrl_stat;   /* request bits and sticky flags */
	uint32_t select;
	uint32_t rdbuff;
	uint32_t csw[SR_SIM_MAX_AP], tar[SR_SIM_MAX_AP];
	uint32_t wait_burst, fault_burst; /* fault injection: transactions left to disturb */
};

struct sr_sim_iwdg {
	bool running;
	bool access; /* 0x5555 written: PR and RLR writable (RM0390 19.3.5) */
	uint32_t pr, rlr;
	uint64_t remaining_ns; /* until the counter reaches 0 */
	uint64_t last_ns;
};

struct sr_sim_wwdg {
	uint32_t cr, cfr, sr;
	uint64_t part_ns; /* time into the current counter step */
	uint64_t last_ns;
	bool fired;       /* T6 cleared or a write outside the window: reset due */
};

struct sr_sim_regfile; /* sparse register store for peripherals not modelled */

struct sr_sim_board {
	struct sr_sim_state *st;
	const struct sr_sim_chipdef *chip; /* points at chipdef */
	struct sr_sim_chipdef chipdef;
	const struct sr_sim_flash_ops *fops;
	void *flash_priv;

	/* Memories: main flash, OTP and RAM, persisted in the binary file. */
	uint8_t *flash, *otp, *ram;
	uint32_t ram_size; /* bytes of RAM: every region, at its chip->ram[].offset (ram.c) */
	uint8_t uid[12];

	struct sr_sim_core core;
	struct sr_sim_dap dap;
	struct sr_sim_iwdg iwdg;
	struct sr_sim_wwdg wwdg;
	uint32_t rcc_csr, rcc_ahb1enr;
	uint32_t rcc_lsi;                      /* LSION/LSIRDY when apart from the reset flags */
	uint32_t dbgmcu[SR_SIM_MAX_DBGREG];    /* as chip->dbgreg[] */
	bool ram_always[SR_SIM_MAX_RAM];       /* [ram] NAME = clocked: no clock gate applies */
	struct sr_sim_regfile *regs;

	/* Electrical state. */
	uint32_t vtarget_mv;
	bool nrst_wired, nrst_asserted;
	bool boot0;
	bool dbg_intrusion; /* debugger seen since power-on (RM0090 3.7.3) */
	bool swd_dead;      /* RDP level 2 closed the debug port (RM0090 3.7.3) */
	bool fw_swd_disabled, fw_sleeps, fw_feeds_iwdg;

	/* Virtual clock and counters. */
	uint64_t now_ns;
	uint64_t transactions;
	bool power_loss_during_ob;
	/* A reset the chip requested from inside a core slice, taken when the slice ends. */
	bool reset_pending;
	enum sr_sim_reset_cause pending_cause;
};

/* state.c helpers beyond state.h */
bool sr_sim_state_has_section(const struct sr_sim_state *st, const char *section);
int sr_sim_state_get_u64(const struct sr_sim_state *st, const char *section, const char *key,
			 uint64_t def, uint64_t *out);
void sr_sim_state_set_u64(struct sr_sim_state *st, const char *section, const char *key,
			  uint64_t value);
void sr_sim_state_set_bool(struct sr_sim_state *st, const char *section, const char *key,
			   bool value);
int sr_sim_state_new(const char *path, struct sr_sim_state **out);
/* The name of key I of SECTION in file order, NULL past the last. */
const char *sr_sim_state_key_at(const struct sr_sim_state *st, const char *section, uint32_t i);

/* Virtual time of the access in progress (inside a core slice: the core's own time). */
uint64_t sr_sim_time(const struct sr_sim_board *b);
/* Make the current master wait until time T (an AHB stall). */
void sr_sim_stall_until(struct sr_sim_board *b, uint64_t t);

/* bus.c: the system bus as seen by a master. */
int sr_sim_bus_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
		    uint32_t *val);
int sr_sim_bus_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
		     uint32_t val);
/* A peripheral register as the bus reads and writes it (clock enables, the APB-D
 * view of DBGMCU). */
int sr_sim_periph_read_reg(struct sr_sim_board *b, uint32_t addr, uint32_t *val);
int sr_sim_periph_write_reg(struct sr_sim_board *b, uint32_t addr, uint32_t val);
struct sr_sim_regfile *sr_sim_regfile_new(void);
void sr_sim_regfile_free(struct sr_sim_regfile *rf);
void sr_sim_regfile_clear(struct sr_sim_regfile *rf);
/* The word at ADDR (created as 0 when CREATE), or NULL. */
uint32_t *sr_sim_regfile_slot(struct sr_sim_regfile *rf, uint32_t addr, bool create);

/* Registers kept as written, persisted in the state file's [regs] section. */
void sr_sim_regfile_load(struct sr_sim_board *b);
void sr_sim_regfile_save(struct sr_sim_board *b);

/* apbd.c: a debug APB behind an APB-AP (H7 APB-D, RM0433 60.2). */
struct sr_sim_apbd;
extern const struct sr_sim_apbd sr_sim_apbd_h74x;
int sr_sim_apbd_read(struct sr_sim_board *b, const struct sr_sim_apbd *d, uint32_t addr,
		     uint32_t *val);
int sr_sim_apbd_write(struct sr_sim_board *b, const struct sr_sim_apbd *d, uint32_t addr,
		      uint32_t val);
/* The debug APB named NAME (families/ [part] ap ... apb=NAME), or NULL. */
const struct sr_sim_apbd *sr_sim_apbd_find(const char *name);

/* periph.c: RCC, DBGMCU, IWDG, the system-memory area. */
int sr_sim_periph_read(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t *val,
		       bool *handled);
int sr_sim_periph_write(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t val,
			bool *handled);
void sr_sim_periph_reset(struct sr_sim_board *b, enum sr_sim_reset_cause cause);
void sr_sim_iwdg_sync(struct sr_sim_board *b, uint64_t now);
uint64_t sr_sim_iwdg_expiry(const struct sr_sim_board *b);
bool sr_sim_iwdg_frozen(const struct sr_sim_board *b);
void sr_sim_periph_load(struct sr_sim_board *b);
void sr_sim_periph_save(struct sr_sim_board *b);
/* DBGMCU register at ADDR as the model keeps it (chip->dbgreg[]; 0 when not kept). */
uint32_t sr_sim_dbgmcu_reg(const struct sr_sim_board *b, uint32_t addr);

/* wwdg.c: the window watchdog. */
bool sr_sim_wwdg_owns(const struct sr_sim_board *b, uint32_t addr);
uint32_t sr_sim_wwdg_read(struct sr_sim_board *b, uint32_t addr);
void sr_sim_wwdg_write(struct sr_sim_board *b, uint32_t addr, uint32_t val);
void sr_sim_wwdg_reset(struct sr_sim_board *b);
void sr_sim_wwdg_sync(struct sr_sim_board *b, uint64_t now);
uint64_t sr_sim_wwdg_expiry(const struct sr_sim_board *b);
bool sr_sim_wwdg_fired(const struct sr_sim_board *b);
void sr_sim_wwdg_load(struct sr_sim_board *b);
void sr_sim_wwdg_save(struct sr_sim_board *b);

/* core.c: the Unicorn core. */
int sr_sim_core_open(struct sr_sim_board *b);
void sr_sim_core_close(struct sr_sim_board *b);
/* Run until time UNTIL (absolute) or a halt; advances b->now_ns. */
void sr_sim_core_run(struct sr_sim_board *b, uint64_t until);
/* core-spin.c: the core enters the block at ADDR with CYCLES retired in this slice. */
void sr_sim_spin_block(struct sr_sim_board *b, uint32_t addr, uint64_t cycles);
void sr_sim_spin_reset(struct sr_sim_board *b);
/* SIZE bytes of SRAM at ADDR changed behind the core's back (debugger, power loss):
 * translations of code there are dropped before the core runs again. */
void sr_sim_core_ram_written(struct sr_sim_board *b, uint32_t addr, uint32_t size);
void sr_sim_core_reset(struct sr_sim_board *b);
int sr_sim_core_reg_read(struct sr_sim_board *b, unsigned regsel, uint32_t *val);
int sr_sim_core_reg_write(struct sr_sim_board *b, unsigned regsel, uint32_t val);
void sr_sim_core_set_run(struct sr_sim_board *b, enum sr_sim_run run);
bool sr_sim_core_executing(const struct sr_sim_board *b);
void sr_sim_core_load(struct sr_sim_board *b);
void sr_sim_core_save(struct sr_sim_board *b);

/* scs.c: the private peripheral bus (SCS, DWT, FPB, ITM, ROM table). */
int sr_sim_ppb_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, uint32_t *val);
int sr_sim_ppb_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, uint32_t val);
/* CoreSight identification register at OFF (0xFD0-0xFFC) of a component (ADIv5 10.2). */
uint32_t sr_sim_cs_ident(uint16_t part, uint16_t designer, uint8_t cls, uint32_t off);
/* Enter debug state for REASON (DFSR bits). */
void sr_sim_core_halt(struct sr_sim_board *b, uint32_t dfsr_reason);

/* dap.c */
void sr_sim_dap_reset(struct sr_sim_board *b);

/* ram.c: the chip's RAM regions. The bytes to allocate for all of them (and every
 * region clocked unless gated by families/ ram enable=). */
uint32_t sr_sim_ram_layout(struct sr_sim_board *b);
/* The RAM region holding [ADDR, ADDR + SIZE), or NULL. */
const struct sr_sim_ramdef *sr_sim_ram_region(const struct sr_sim_board *b, uint32_t addr,
					      unsigned size);
/* Is region R's clock on (families/ ram enable= bit set, or [ram] R = clocked)? */
bool sr_sim_ram_clocked(struct sr_sim_board *b, const struct sr_sim_ramdef *r);
/* The RAM bytes at ADDR..ADDR+SIZE-1, or NULL when they are not all in one region;
 * *GATED when they are, but the region's clock is off. */
uint8_t *sr_sim_ram_at(struct sr_sim_board *b, uint32_t addr, unsigned size, bool *gated);
/* [ram] NAME = clocked | gated, for the regions with a clock gate. */
int sr_sim_ram_load(struct sr_sim_board *b);
void sr_sim_ram_save(struct sr_sim_board *b);

/* board.c: allocate a board for CHIP (memories, flash driver, core) and free it. */
int sr_sim_board_alloc(struct sr_sim_board *b, const char *chip);
void sr_sim_board_free(struct sr_sim_board *b);

/* power.c: system reset of the whole chip. */
void sr_sim_system_reset(struct sr_sim_board *b, enum sr_sim_reset_cause cause);
/* A reset the chip itself causes (OBL_LAUNCH): now for the debugger, after the slice for the core. */
void sr_sim_request_reset(struct sr_sim_board *b, enum sr_sim_reset_cause cause);
/* True when the part answers on SWD at all. */
bool sr_sim_swd_alive(const struct sr_sim_board *b);

/* DFSR bits, ARMv7-M C1.6.1 */
#define SR_DFSR_HALTED   (1u << 0)
#define SR_DFSR_BKPT     (1u << 1)
#define SR_DFSR_DWTTRAP  (1u << 2)
#define SR_DFSR_VCATCH   (1u << 3)
#define SR_DFSR_EXTERNAL (1u << 4)

/* DHCSR bits, ARMv7-M C1.6.2 */
#define SR_DHCSR_C_DEBUGEN  (1u << 0)
#define SR_DHCSR_C_HALT     (1u << 1)
#define SR_DHCSR_C_STEP     (1u << 2)
#define SR_DHCSR_C_MASKINTS (1u << 3)
#define SR_DHCSR_C_SNAPSTALL (1u << 5)
#define SR_DHCSR_S_REGRDY   (1u << 16)
#define SR_DHCSR_S_HALT     (1u << 17)
#define SR_DHCSR_S_SLEEP    (1u << 18)
#define SR_DHCSR_S_LOCKUP   (1u << 19)
#define SR_DHCSR_S_RETIRE_ST (1u << 24)
#define SR_DHCSR_S_RESET_ST (1u << 25)

/* DEMCR bits, ARMv7-M C1.6.5 */
#define SR_DEMCR_VC_CORERESET (1u << 0)
#define SR_DEMCR_VC_MMERR     (1u << 4)
#define SR_DEMCR_VC_NOCPERR   (1u << 5)
#define SR_DEMCR_VC_CHKERR    (1u << 6)
#define SR_DEMCR_VC_STATERR   (1u << 7)
#define SR_DEMCR_VC_BUSERR    (1u << 8)
#define SR_DEMCR_VC_INTERR    (1u << 9)
#define SR_DEMCR_VC_HARDERR   (1u << 10)
#define SR_DEMCR_TRCENA       (1u << 24)

#endif
