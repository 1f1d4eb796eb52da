/*
 * The Cortex-M core in Unicorn 2.0.1: THUMB mode with the chip's core model
 * (never UC_MODE_MCLASS, which forces a Cortex-M33 in 2.0.1). SRAM is mapped
 * onto the board's buffer; flash, system memory, peripherals and the PPB are
 * MMIO windows onto bus.c. Time is lazy: the core runs when virtual time passes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

/* QEMU exception numbers that Unicorn passes to UC_HOOK_INTR. */
#define EXCP_UDEF      1
#define EXCP_PREFETCH  3
#define EXCP_DATA      4
#define EXCP_BKPT      7
#define EXCP_INVSTATE  18

/* CFSR/HFSR bits, ARMv7-M B3.2.15-B3.2.16 */
#define CFSR_IACCVIOL   (1u << 0)
#define CFSR_IBUSERR    (1u << 8)
#define CFSR_PRECISERR  (1u << 9)
#define CFSR_BFARVALID  (1u << 15)
#define CFSR_UNDEFINSTR (1u << 16)
#define CFSR_INVSTATE   (1u << 17)
#define HFSR_FORCED     (1u << 30)

struct sr_sim_mmio {
	struct sr_sim_board *b;
	uint32_t base;
};

/* Split so that no product overflows: counted spin loops make hours of cycles cheap. */
static uint64_t ns_of_cycles(const struct sr_sim_board *b, uint64_t cycles)
{
	uint64_t hz = b->chip->sysclk_hz;
	return cycles / hz * 1000000000ull + cycles % hz * 1000000000ull / hz;
}

uint64_t sr_sim_time(const struct sr_sim_board *b)
{
	const struct sr_sim_core *c = &b->core;
	if (!c->in_slice)
		return b->now_ns;
	return b->now_ns + ns_of_cycles(b, c->slice_cycles) + c->slice_stall_ns;
}

static uint64_t mmio_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	struct sr_sim_mmio *m = user;
	uint32_t v = 0, addr = m->base + (uint32_t)off;
	if (sr_sim_bus_read(m->b, SR_SIM_CPU, addr, size, &v) != SR_SIM_BUS_OK) {
		m->b->core.bus_fault = true;
		m->b->core.fault_addr = addr;
		m->b->core.fault_is_write = false;
		uc_emu_stop(uc);
	}
	m->b->core.spin.reads_mmio++;
	return v;
}

static void mmio_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t val, void *user)
{
	struct sr_sim_mmio *m = user;
	uint32_t addr = m->base + (uint32_t)off;
	m->b->core.spin.writes++;
	if (sr_sim_bus_write(m->b, SR_SIM_CPU, addr, size, (uint32_t)val) != SR_SIM_BUS_OK) {
		m->b->core.bus_fault = true;
		m->b->core.fault_addr = addr;
		m->b->core.fault_is_write = true;
		uc_emu_stop(uc);
	}
}

/* Thumb instructions in the SIZE bytes at ADDR: a halfword whose top five bits are
 * 0b11101, 0b11110 or 0b11111 starts a 32-bit instruction (ARMv7-M A5.1). */
static unsigned thumb_insns(struct sr_sim_board *b, uint32_t addr, uint32_t size)
{
	bool gated;
	const uint8_t *p = sr_sim_ram_at(b, addr, size ? size : 2, &gated);
	unsigned n = 0;
	if (!p)
		return 1;
	for (uint32_t i = 0; i + 1 < size; n++)
		i += (p[i + 1] >> 3) >= 0x1D ? 4 : 2;
	return n ? n : 1;
}

/* Every instruction costs one core cycle (CPI 1 from SRAM: an approximation), counted
 * a translation block at a time: a block starts only while the slice has time left.
 * A hook on every instruction costs more wall time than the code it counts. */
static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct sr_sim_board *b = user;
	struct sr_sim_core *c = &b->core;
	if (ns_of_cycles(b, c->slice_cycles) + c->slice_stall_ns >= c->slice_budget) {
		uc_emu_stop(uc);
		return;
	}
	sr_sim_spin_block(b, (uint32_t)addr, c->slice_cycles);
	c->slice_cycles += thumb_insns(b, (uint32_t)addr, size);
}

/* A store by the core to SRAM: the spin-loop detector's "changed nothing" needs it. */
static void hook_ram_write(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			   int64_t value, void *user)
{
	struct sr_sim_board *b = user;
	b->core.spin.writes++;
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct sr_sim_board *b = user;
	b->core.bus_fault = false;
	b->core.intr_no = (int)intno;
	uc_emu_stop(uc);
}

/* Access to an address no slave decodes: a precise BusFault (ARMv7-M B3.2.15). */
static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			  int64_t value, void *user)
{
	struct sr_sim_board *b = user;
	if (type != UC_MEM_FETCH_UNMAPPED) {
		b->core.bus_fault = true;
		b->core.fault_addr = (uint32_t)addr;
		b->core.fault_is_write = type == UC_MEM_WRITE_UNMAPPED;
	}
	return false;
}

static int map_mmio(struct sr_sim_board *b, uint32_t base, uint32_t size)
{
	struct sr_sim_core *c = &b->core;
	struct sr_sim_mmio *m = &c->mmio[c->n_mmio++];
	m->b = b;
	m->base = base;
	uc_err e = uc_mmio_map(c->uc, base, size, mmio_read, m, mmio_write, m);
	if (e != UC_ERR_OK) {
		sr_err("sim: cannot map 0x%08X: %s", base, uc_strerror(e));
		return SR_E_SIM;
	}
	return SR_OK;
}

/* A RAM region the core reaches directly (Unicorn memory onto the board's buffer);
 * clock-gated regions are MMIO windows instead, so that bus.c can refuse them. */
static bool ram_direct(const struct sr_sim_ramdef *r)
{
	return !r->enable_addr && !(r->base & 0xFFF) && !(r->size & 0xFFF);
}

static int map_ram(struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *ch = b->chip;
	int rc = SR_OK;
	for (int i = 0; i < ch->n_ram && rc == SR_OK; i++) {
		const struct sr_sim_ramdef *r = &ch->ram[i];
		if (!ram_direct(r))
			rc = map_mmio(b, r->base, r->size);
		else if (uc_mem_map_ptr(b->core.uc, r->base, r->size, UC_PROT_ALL,
					b->ram + r->offset) != UC_ERR_OK)
			rc = SR_E_SIM;
	}
	return rc;
}

/* An MMIO window of SIZE bytes (rounded up to Unicorn's 4 KiB pages) at BASE. */
static int map_window(struct sr_sim_board *b, uint32_t base, uint32_t size)
{
	return map_mmio(b, base, (size + 0xFFFu) & ~0xFFFu);
}

/* System memory with the device signature, OTP and option bytes beside it, in 64 KiB
 * units (F4: RM0390 2.2.2; H7: RM0433 2.3.2, UID and FLASH_SIZE in bank 1's system
 * area); option bytes further away get a window of their own (F7: RM0385 3.4.1). */
static int map_sysmem(struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *ch = b->chip;
	uint32_t base = ch->sysmem_base & ~0xFFFFu, end = ch->sysmem_base + ch->sysmem_size;
	uint32_t ends[] = {ch->uid_addr + 12, ch->flash_size_addr + 2,
			   ch->otp_size ? ch->otp_base + ch->otp_size : 0};
	for (size_t i = 0; i < SR_ARRAY_SIZE(ends); i++)
		if (ends[i] > end && ends[i] - base < 0x100000u)
			end = ends[i];
	end = base + ((end - base + 0xFFFFu) & ~0xFFFFu);
	int rc = map_mmio(b, base, end - base);
	uint32_t ob = ch->optbytes_base;
	if (rc == SR_OK && ch->optbytes_size && (ob < base || ob >= end))
		rc = map_window(b, ob & ~0xFFFu, (ob & 0xFFFu) + ch->optbytes_size);
	return rc;
}

/* The memory map of RM0390 2.2.2 / RM0385 2.2.2 / RM0008 3.3 / RM0433 2.3.2: RAM in
 * place, every other slave as an MMIO window onto bus.c. */
static int core_map(struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *ch = b->chip;
	struct sr_sim_core *c = &b->core;
	c->mmio = sr_calloc(8 + (size_t)ch->n_ram, sizeof(*c->mmio));
	int rc = map_ram(b);
	if (rc == SR_OK && ch->boot_alias)
		rc = map_window(b, 0, ch->flash_size); /* boot alias, RM0390 2.4 */
	rc = rc || !ch->flash_alias ? rc : map_window(b, ch->flash_alias, ch->flash_size);
	rc = rc || !ch->sysmem_alias ? rc : map_window(b, ch->sysmem_alias, ch->sysmem_size);
	rc = rc ? rc : map_window(b, ch->flash_base, ch->flash_size);
	rc = rc ? rc : map_sysmem(b);
	rc = rc ? rc : map_window(b, 0x40000000u, 0x20000000u);
	rc = rc ? rc : map_window(b, 0xE0000000u, 0x100000u);
	return rc;
}

/* The Unicorn model for the chip's core, from the CPUID part number (ARMv7-M B3.2.3:
 * 0xC23 Cortex-M3, 0xC24 Cortex-M4, 0xC27 Cortex-M7). Not MCLASS: in Unicorn 2.0.1 that
 * is a Cortex-M33. */
static int cpu_model(uint32_t cpuid)
{
	switch ((cpuid >> 4) & 0xFFF) {
	case 0xC23:
		return UC_CPU_ARM_CORTEX_M3;
	case 0xC27:
		return UC_CPU_ARM_CORTEX_M7;
	default:
		return UC_CPU_ARM_CORTEX_M4;
	}
}

int sr_sim_core_open(struct sr_sim_board *b)
{
	struct sr_sim_core *c = &b->core;
	uc_hook h;
	if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &c->uc) != UC_ERR_OK) {
		sr_err("sim: Unicorn cannot open an ARM core");
		return SR_E_SIM;
	}
	if (uc_ctl_set_cpu_model(c->uc, cpu_model(b->chip->cpuid)) != UC_ERR_OK)
		return SR_E_SIM;
	int rc = core_map(b);
	if (rc)
		return rc;
	sr_sim_core_ram_written(b, 0, UINT32_MAX); /* RAM came from the state file */
	if (uc_hook_add(c->uc, &h, UC_HOOK_BLOCK, hook_block, b, 1, 0) != UC_ERR_OK ||
	    uc_hook_add(c->uc, &h, UC_HOOK_INTR, hook_intr, b, 1, 0) != UC_ERR_OK ||
	    uc_hook_add(c->uc, &h, UC_HOOK_MEM_UNMAPPED, hook_unmapped, b, 1, 0) != UC_ERR_OK)
		return SR_E_SIM;
	for (int i = 0; i < b->chip->n_ram; i++) {
		const struct sr_sim_ramdef *r = &b->chip->ram[i];
		if (ram_direct(r) && uc_hook_add(c->uc, &h, UC_HOOK_MEM_WRITE, hook_ram_write, b,
						 r->base, r->base + r->size - 1) != UC_ERR_OK)
			return SR_E_SIM;
	}
	return SR_OK;
}

void sr_sim_core_close(struct sr_sim_board *b)
{
	if (b->core.uc)
		uc_close(b->core.uc);
	b->core.uc = NULL;
	free(b->core.mmio);
	b->core.mmio = NULL;
}

/* DCRSR REGSEL -> Unicorn register (ARMv7-M C1.6.3); -1 for the packed special word. */
static int uc_reg_of(unsigned regsel)
{
	if (regsel <= 12)
		return UC_ARM_REG_R0 + (int)regsel;
	switch (regsel) {
	case 13: return UC_ARM_REG_SP;
	case 14: return UC_ARM_REG_LR;
	case 15: return UC_ARM_REG_PC;
	case 16: return UC_ARM_REG_XPSR;
	case 17: return UC_ARM_REG_MSP;
	case 18: return UC_ARM_REG_PSP;
	case 20: return -1;
	case 33: return UC_ARM_REG_FPSCR;
	}
	if (regsel >= 64 && regsel <= 95)
		return UC_ARM_REG_S0 + (int)(regsel - 64);
	return 0;
}

static uint32_t rd(struct sr_sim_board *b, int reg)
{
	uint32_t v = 0;
	uc_reg_read(b->core.uc, reg, &v);
	return v;
}

static void wr(struct sr_sim_board *b, int reg, uint32_t v)
{
	/* Unicorn takes the Thumb state from bit 0 of a PC write; the debugger's PC
	 * write must leave EPSR.T alone (ARMv7-M C1.6.3). */
	if (reg == UC_ARM_REG_PC) {
		uint32_t xpsr = 0;
		uc_reg_read(b->core.uc, UC_ARM_REG_XPSR, &xpsr);
		v = (v & ~1u) | ((xpsr >> 24) & 1);
	}
	uc_reg_write(b->core.uc, reg, &v);
}

int sr_sim_core_reg_read(struct sr_sim_board *b, unsigned regsel, uint32_t *val)
{
	int r = uc_reg_of(regsel);
	if (r == 0)
		return SR_E_ARG;
	if (r > 0) {
		*val = rd(b, r);
		return SR_OK;
	}
	/* CONTROL[31:24] FAULTMASK[23:16] BASEPRI[15:8] PRIMASK[7:0], ARMv7-M C1.6.3 */
	*val = (rd(b, UC_ARM_REG_CONTROL) & 0xFF) << 24 | (rd(b, UC_ARM_REG_FAULTMASK) & 1) << 16 |
	       (rd(b, UC_ARM_REG_BASEPRI) & 0xFF) << 8 | (rd(b, UC_ARM_REG_PRIMASK) & 1);
	return SR_OK;
}

int sr_sim_core_reg_write(struct sr_sim_board *b, unsigned regsel, uint32_t val)
{
	int r = uc_reg_of(regsel);
	if (r == 0)
		return SR_E_ARG;
	if (r == UC_ARM_REG_PC)
		val &= ~1u; /* DebugReturnAddress bit 0 is ignored, ARMv7-M C1.6.3 */
	if (r > 0) {
		wr(b, r, val);
		return SR_OK;
	}
	wr(b, UC_ARM_REG_CONTROL, (val >> 24) & 0x7);
	wr(b, UC_ARM_REG_FAULTMASK, (val >> 16) & 1);
	wr(b, UC_ARM_REG_BASEPRI, (val >> 8) & 0xFF);
	wr(b, UC_ARM_REG_PRIMASK, val & 1);
	return SR_OK;
}

void sr_sim_core_set_run(struct sr_sim_board *b, enum sr_sim_run run)
{
	sr_sim_iwdg_sync(b, sr_sim_time(b));
	sr_sim_wwdg_sync(b, sr_sim_time(b));
	b->core.run = run;
	if (run != SR_SIM_RUNNING)
		b->core.fw_running = false;
}

bool sr_sim_core_executing(const struct sr_sim_board *b)
{
	return b->core.run == SR_SIM_RUNNING && !b->core.in_reset && b->vtarget_mv > 0;
}

/* Code Unicorn can run: in RAM mapped straight onto the board's buffer. */
static bool is_ram(const struct sr_sim_board *b, uint32_t pc)
{
	const struct sr_sim_ramdef *r = sr_sim_ram_region(b, pc, 2);
	return r && ram_direct(r);
}

static bool within(uint32_t a, uint32_t base, uint32_t size)
{
	return a >= base && a - base < size;
}

static bool is_code(const struct sr_sim_board *b, uint32_t pc)
{
	const struct sr_sim_chipdef *ch = b->chip;
	return sr_sim_ram_region(b, pc, 2) || (ch->boot_alias && pc < ch->flash_size) ||
	       within(pc, ch->flash_base, ch->flash_size) ||
	       (ch->flash_alias && within(pc, ch->flash_alias, ch->flash_size)) ||
	       within(pc, ch->sysmem_base, ch->sysmem_size) ||
	       (ch->sysmem_alias && within(pc, ch->sysmem_alias, ch->sysmem_size));
}

/* A fault that escalates to HardFault (ARMv7-M B1.5.14; no fault handler is enabled
 * after reset). With DEMCR.VC_HARDERR the debugger catches it (C1.6.5); a usable
 * HardFault vector hands over to the firmware; none, or a fault inside the
 * handler, is Lockup (B1.5.15), with the PC left at the failing address. */
static void core_fault(struct sr_sim_board *b, uint32_t cfsr, uint32_t pc)
{
	struct sr_sim_core *c = &b->core;
	uint32_t vec = 0xFFFFFFFF;
	c->cfsr |= cfsr;
	c->hfsr |= HFSR_FORCED;
	if ((c->dhcsr & SR_DHCSR_C_DEBUGEN) && (c->demcr & SR_DEMCR_VC_HARDERR)) {
		sr_sim_core_halt(b, SR_DFSR_VCATCH);
		return;
	}
	bool in_handler = (rd(b, UC_ARM_REG_IPSR) & 0x1FF) == 3;
	if (!in_handler &&
	    sr_sim_bus_read(b, SR_SIM_CPU_FETCH, c->vtor + 12, 4, &vec) == SR_SIM_BUS_OK &&
	    vec != 0xFFFFFFFF && is_code(b, vec & ~1u) && !is_ram(b, vec & ~1u)) {
		c->fw_running = true; /* the firmware's own handler runs (not emulated) */
		return;
	}
	sr_debug("sim: core lockup at 0x%08X (CFSR 0x%08X)", pc, c->cfsr);
	wr(b, UC_ARM_REG_PC, pc);
	sr_sim_core_set_run(b, SR_SIM_LOCKUP);
}

/* After uc_emu_start returned: work out why it stopped. */
static void slice_end(struct sr_sim_board *b, uc_err err, uint32_t start_pc)
{
	struct sr_sim_core *c = &b->core;
	uint32_t pc = rd(b, UC_ARM_REG_PC);
	if (c->intr_no == EXCP_BKPT) {
		if (c->dhcsr & SR_DHCSR_C_DEBUGEN)
			sr_sim_core_halt(b, SR_DFSR_BKPT); /* PC stays at the BKPT, C1.6.1 */
		else
			core_fault(b, 0, pc); /* BKPT without debug escalates, ARMv7-M C1.1.4 */
	} else if (c->intr_no == EXCP_UDEF || err == UC_ERR_INSN_INVALID) {
		core_fault(b, CFSR_UNDEFINSTR, pc);
	} else if (c->intr_no == EXCP_INVSTATE) {
		core_fault(b, CFSR_INVSTATE, pc);
	} else if (c->bus_fault) {
		c->bfar = c->fault_addr;
		core_fault(b, CFSR_PRECISERR | CFSR_BFARVALID, pc);
	} else if (err == UC_ERR_FETCH_UNMAPPED) {
		core_fault(b, CFSR_IBUSERR, pc);
	} else if (c->intr_no >= 0 || (err != UC_ERR_OK && err != UC_ERR_FETCH_PROT)) {
		core_fault(b, c->intr_no == EXCP_PREFETCH ? CFSR_IBUSERR : CFSR_PRECISERR, pc);
	} else if (c->step_pending) {
		c->step_pending = false;
		sr_sim_core_halt(b, SR_DFSR_HALTED);
	}
	(void)start_pc;
}

void sr_sim_core_ram_written(struct sr_sim_board *b, uint32_t addr, uint32_t size)
{
	struct sr_sim_core *c = &b->core;
	if (addr < c->dirty_lo)
		c->dirty_lo = addr;
	if (addr + size > c->dirty_hi)
		c->dirty_hi = addr + size;
}

/* Uploaded code must run as uploaded: the debugger's writes reach SRAM behind
 * Unicorn's back, so drop the translations of what it wrote since the last slice
 * (Unicorn #1561). Writes by the core itself are seen by Unicorn. */
static void drop_stale_code(struct sr_sim_board *b)
{
	struct sr_sim_core *c = &b->core;
	const struct sr_sim_chipdef *ch = b->chip;
	for (int i = 0; i < ch->n_ram && c->dirty_lo < c->dirty_hi; i++) {
		const struct sr_sim_ramdef *r = &ch->ram[i];
		uint64_t lo = c->dirty_lo > r->base ? c->dirty_lo : r->base;
		uint64_t hi = (uint64_t)r->base + r->size;
		hi = c->dirty_hi < hi ? c->dirty_hi : hi;
		if (ram_direct(r) && lo < hi)
			uc_ctl_remove_cache(c->uc, lo, hi);
	}
	c->dirty_lo = UINT32_MAX;
	c->dirty_hi = 0;
}

static void slice(struct sr_sim_board *b, uint64_t budget)
{
	struct sr_sim_core *c = &b->core;
	uint32_t pc = rd(b, UC_ARM_REG_PC);
	if (!(rd(b, UC_ARM_REG_XPSR) & (1u << 24))) {
		core_fault(b, CFSR_INVSTATE, pc); /* EPSR.T = 0: INVSTATE, ARMv7-M B1.4.2 */
		return;
	}
	drop_stale_code(b);
	c->slice_budget = budget;
	c->slice_cycles = c->slice_stall_ns = 0;
	sr_sim_spin_reset(b);
	c->bus_fault = false;
	c->in_slice = true;
	c->intr_no = -1;
	uc_err err = uc_emu_start(c->uc, pc | 1, 0xFFFFFFFF, 0, c->step_pending ? 1 : 0);
	if (c->step_pending && c->slice_cycles > 1)
		c->slice_cycles = 1; /* the block hook counted the whole block */
	uint64_t spent = ns_of_cycles(b, c->slice_cycles) + c->slice_stall_ns;
	c->in_slice = false;
	b->now_ns += spent < budget || c->step_pending ? spent : budget;
	if (spent > budget)
		b->now_ns += spent - budget; /* a stall ran past the slice */
	if (c->slice_cycles)
		c->retire_st = true;
	if (c->step_pending && err == UC_ERR_OK && c->intr_no < 0 && !c->bus_fault) {
		c->step_pending = false;
		sr_sim_core_halt(b, SR_DFSR_HALTED);
		return;
	}
	slice_end(b, err, pc);
}

void sr_sim_core_run(struct sr_sim_board *b, uint64_t until)
{
	struct sr_sim_core *c = &b->core;
	while (b->now_ns < until && sr_sim_core_executing(b) && !c->fw_running) {
		uint32_t pc = rd(b, UC_ARM_REG_PC);
		if (!is_ram(b, pc)) {
			/* Code outside SRAM (firmware in flash) is not emulated: Unicorn cannot
			 * execute from MMIO. The core counts as running its firmware. */
			if (is_code(b, pc)) {
				c->fw_running = true;
				break;
			}
			core_fault(b, CFSR_IACCVIOL, pc); /* fetch from a non-code region */
			continue;
		}
		slice(b, until - b->now_ns);
		if (c->step_pending)
			break;
	}
	if (b->now_ns < until)
		b->now_ns = until;
}

/* Reset of the core (ARMv7-M B1.5.5): SP and PC from the vector table at the boot
 * address (the alias at 0, RM0390 2.4; or BOOT_ADDx of the option bytes: F7 RM0385
 * 2.5, H7 RM0433 2.6), then the debugger's claims: a halt requested before or during
 * reset, or DEMCR.VC_CORERESET (C1.6.5). */
void sr_sim_core_reset(struct sr_sim_board *b)
{
	struct sr_sim_core *c = &b->core;
	uint32_t sp = 0xFFFFFFFF, pc = 0xFFFFFFFF;
	uint32_t boot = b->fops->boot_address ? b->fops->boot_address(b) : 0;
	c->cfsr = c->hfsr = c->bfar = c->mmfar = c->shcsr = 0;
	/* VTOR resets to the boot address: 0 on M3/M4 (ARMv7-M B3.2.5); on F7 and H7 the
	 * vector table is the one at BOOT_ADDx (RM0385 2.5, RM0433 2.6), so VTOR points
	 * there (TBLOFF, bits 31:7). */
	c->vtor = boot & 0xFFFFFF80u;
	c->ccr = 0x200; /* STKALIGN, Cortex-M4 TRM 4.3.8 */
	c->fw_running = c->sysreset_req = c->step_pending = false;
	c->reset_st = true;
	for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R12; r++)
		wr(b, r, 0);
	wr(b, UC_ARM_REG_CONTROL, 0);
	wr(b, UC_ARM_REG_PRIMASK, 0);
	wr(b, UC_ARM_REG_FAULTMASK, 0);
	wr(b, UC_ARM_REG_BASEPRI, 0);
	wr(b, UC_ARM_REG_LR, 0xFFFFFFFF);
	bool ok = sr_sim_bus_read(b, SR_SIM_CPU_FETCH, boot, 4, &sp) == SR_SIM_BUS_OK &&
		  sr_sim_bus_read(b, SR_SIM_CPU_FETCH, boot + 4, 4, &pc) == SR_SIM_BUS_OK;
	wr(b, UC_ARM_REG_MSP, sp & ~3u);
	wr(b, UC_ARM_REG_PSP, 0);
	wr(b, UC_ARM_REG_SP, sp & ~3u);
	wr(b, UC_ARM_REG_XPSR, (pc & 1) << 24); /* EPSR.T from bit 0 of the vector */
	wr(b, UC_ARM_REG_PC, pc & ~1u);
	sr_sim_core_set_run(b, SR_SIM_RUNNING);
	if (c->dhcsr & SR_DHCSR_C_HALT)
		sr_sim_core_halt(b, SR_DFSR_HALTED);
	else if ((c->dhcsr & SR_DHCSR_C_DEBUGEN) && (c->demcr & SR_DEMCR_VC_CORERESET))
		sr_sim_core_halt(b, SR_DFSR_VCATCH);
	else if (!ok)
		core_fault(b, CFSR_PRECISERR, pc & ~1u); /* vector fetch bus error: lockup */
}

static const char *const run_names[] = {"running", "halted", "lockup", "sleeping"};

/* The registers kept in [core], REGSEL numbers of ARMv7-M C1.6.3. */
static const struct {
	const char *key;
	unsigned sel;
} saved_regs[] = {
	{"r0", 0},   {"r1", 1},   {"r2", 2},   {"r3", 3},   {"r4", 4},     {"r5", 5},
	{"r6", 6},   {"r7", 7},   {"r8", 8},   {"r9", 9},   {"r10", 10},   {"r11", 11},
	{"r12", 12}, {"lr", 14},  {"pc", 15},  {"xpsr", 16}, {"msp", 17}, {"psp", 18},
	{"special", 20},
};

static uint32_t *debug_reg(struct sr_sim_core *c, const char *key)
{
	if (!strcmp(key, "dhcsr")) return &c->dhcsr;
	if (!strcmp(key, "demcr")) return &c->demcr;
	if (!strcmp(key, "dfsr")) return &c->dfsr;
	if (!strcmp(key, "cfsr")) return &c->cfsr;
	if (!strcmp(key, "hfsr")) return &c->hfsr;
	if (!strcmp(key, "bfar")) return &c->bfar;
	if (!strcmp(key, "vtor")) return &c->vtor;
	return NULL;
}

static const char *const debug_keys[] = {"dhcsr", "demcr", "dfsr", "cfsr", "hfsr", "bfar", "vtor"};

void sr_sim_core_load(struct sr_sim_board *b)
{
	struct sr_sim_core *c = &b->core;
	const char *run = sr_sim_state_get(b->st, "core", "state");
	for (int i = 0; run && i < 4; i++)
		if (!strcmp(run, run_names[i]))
			c->run = (enum sr_sim_run)i;
	sr_sim_state_get_bool(b->st, "core", "firmware_running", c->fw_running, &c->fw_running);
	for (size_t i = 0; i < SR_ARRAY_SIZE(saved_regs); i++) {
		uint32_t v;
		if (sr_sim_state_get(b->st, "core", saved_regs[i].key) &&
		    sr_sim_state_get_u32(b->st, "core", saved_regs[i].key, 0, &v) == 0)
			sr_sim_core_reg_write(b, saved_regs[i].sel, v);
	}
	for (size_t i = 0; i < SR_ARRAY_SIZE(debug_keys); i++) {
		uint32_t *r = debug_reg(c, debug_keys[i]);
		sr_sim_state_get_u32(b->st, "core", debug_keys[i], *r, r);
	}
}

void sr_sim_core_save(struct sr_sim_board *b)
{
	struct sr_sim_core *c = &b->core;
	sr_sim_state_set(b->st, "core", "state", run_names[c->run]);
	sr_sim_state_set_bool(b->st, "core", "firmware_running", c->fw_running);
	for (size_t i = 0; i < SR_ARRAY_SIZE(saved_regs); i++) {
		uint32_t v = 0;
		sr_sim_core_reg_read(b, saved_regs[i].sel, &v);
		sr_sim_state_set_u32(b->st, "core", saved_regs[i].key, v);
	}
	for (size_t i = 0; i < SR_ARRAY_SIZE(debug_keys); i++)
		sr_sim_state_set_u32(b->st, "core", debug_keys[i], *debug_reg(c, debug_keys[i]));
}
