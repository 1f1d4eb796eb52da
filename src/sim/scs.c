/*
 * The private peripheral bus of a Cortex-M4: the System Control Space with the
 * debug registers (ARMv7-M ARM DDI 0403E, B3.2 and C1.6), DWT, FPB, ITM and the
 * CoreSight ROM table (Cortex-M4 TRM DDI 0439B, 4.3 and 8.3; ADIv5 IHI 0031 D).
 */
#include "config.h"

#include "common/log.h"
#include "sim/sim-internal.h"

#define SCS_BASE 0xE000E000u
#define DWT_BASE 0xE0001000u
#define FPB_BASE 0xE0002000u
#define ITM_BASE 0xE0000000u
#define ROM_BASE 0xE00FF000u

#define DBGKEY  0xA05F0000u /* DHCSR write key, ARMv7-M C1.6.2 */
#define VECTKEY 0x05FA0000u /* AIRCR write key, ARMv7-M B3.2.6 */

/* Identification: PIDR4..0 and the component class for CIDR1 (ADIv5 10.2). */
struct ident {
	uint32_t base;
	uint16_t part;
	uint16_t designer; /* JEP106: continuation code << 8 | identity (0x43B: ARM) */
	uint8_t cls;
};

/* Cortex-M4 TRM table 4-1 and 8.3 for the ARM parts (designer 0x43B); the top
 * ROM table carries ST's identity and the DEV_ID as part, as `dap info` of
 * OpenOCD shows it on STM32F4 parts (designer 0x020). */
static struct ident ident_of(const struct sr_sim_board *b, uint32_t base)
{
	switch (base) {
	case SCS_BASE: return (struct ident){base, 0x00C, 0x43B, 0xE};
	case DWT_BASE: return (struct ident){base, 0x002, 0x43B, 0xE};
	case FPB_BASE: return (struct ident){base, 0x003, 0x43B, 0xE};
	case ITM_BASE: return (struct ident){base, 0x001, 0x43B, 0xE};
	default: return (struct ident){ROM_BASE, b->chip->dev_id, 0x020, 0x1};
	}
}

static uint32_t ident_reg(struct ident id, uint32_t off)
{
	switch (off) {
	case 0xFD0: return (id.designer >> 8) & 0xF; /* PIDR4: continuation code, 4KB count 0 */
	case 0xFE0: return id.part & 0xFF;
	case 0xFE4: return ((id.part >> 8) & 0xF) | (id.designer & 0xF) << 4;
	case 0xFE8: return ((id.designer >> 4) & 0x7) | 0x8; /* JEDEC bit */
	case 0xFF0: return 0x0D;
	case 0xFF4: return (uint32_t)id.cls << 4;
	case 0xFF8: return 0x05;
	case 0xFFC: return 0xB1;
	default: return 0;
	}
}

/* ROM table entries: offset to each component, bit 0 present, bit 1 32-bit format.
 * The TPIU and ETM of the F446 are listed as not present: they are not modelled. */
static uint32_t rom_read(uint32_t off)
{
	static const uint32_t entries[] = {0xFFF0F003, 0xFFF02003, 0xFFF03003, 0xFFF01003,
					   0xFFF41002, 0xFFF42002, 0};
	if (off < sizeof(entries))
		return entries[off / 4];
	if (off == 0xFCC)
		return 1; /* MEMTYPE.SYSMEM: system memory on the bus, ADIv5 10.2.3 */
	return 0;
}

static uint32_t dhcsr_read(struct sr_sim_board *b)
{
	struct sr_sim_core *c = &b->core;
	uint32_t v = c->dhcsr & 0x2F;
	if (c->run == SR_SIM_HALTED && !c->in_reset)
		v |= SR_DHCSR_S_HALT | SR_DHCSR_S_REGRDY;
	if (c->run == SR_SIM_SLEEPING)
		v |= SR_DHCSR_S_SLEEP;
	if (c->run == SR_SIM_LOCKUP)
		v |= SR_DHCSR_S_LOCKUP;
	if (c->retire_st)
		v |= SR_DHCSR_S_RETIRE_ST;
	if (c->reset_st || c->in_reset)
		v |= SR_DHCSR_S_RESET_ST;
	c->retire_st = c->reset_st = false; /* sticky, cleared by the read, C1.6.2 */
	return v;
}

void sr_sim_core_halt(struct sr_sim_board *b, uint32_t reason)
{
	struct sr_sim_core *c = &b->core;
	sr_sim_core_set_run(b, SR_SIM_HALTED);
	c->dhcsr |= SR_DHCSR_C_HALT; /* reads back set after any debug entry (STLINK-PROTOCOL 4.2.9) */
	c->dfsr |= reason;
	c->step_pending = false;
}

/* DHCSR write from the debugger (ARMv7-M C1.6.2); the key must be in [31:16]. */
static void dhcsr_write(struct sr_sim_board *b, uint32_t val)
{
	struct sr_sim_core *c = &b->core;
	if ((val & 0xFFFF0000u) != DBGKEY)
		return;
	bool was_halted = c->run == SR_SIM_HALTED;
	c->dhcsr = val & 0x2F;
	if (!(val & SR_DHCSR_C_DEBUGEN))
		c->dhcsr = 0; /* the other control bits need C_DEBUGEN */
	if (c->in_reset)
		return; /* acted on when the core leaves reset */
	if (c->dhcsr & SR_DHCSR_C_HALT) {
		if (!was_halted)
			sr_sim_core_halt(b, SR_DFSR_HALTED);
		return;
	}
	if (!was_halted)
		return;
	sr_sim_core_set_run(b, SR_SIM_RUNNING);
	if (c->dhcsr & SR_DHCSR_C_STEP) {
		c->step_pending = true;
		sr_sim_core_run(b, b->now_ns + 1000); /* one instruction, then halt */
	}
}

static void dcrsr_write(struct sr_sim_board *b, uint32_t val)
{
	struct sr_sim_core *c = &b->core;
	unsigned sel = val & 0x7F;
	if (c->run != SR_SIM_HALTED)
		return; /* transfers need Debug state, ARMv7-M C1.6.3 */
	if (val & (1u << 16))
		sr_sim_core_reg_write(b, sel, c->dcrdr);
	else if (sr_sim_core_reg_read(b, sel, &c->dcrdr) != 0)
		c->dcrdr = 0;
}

static void aircr_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t val)
{
	if ((val & 0xFFFF0000u) != VECTKEY)
		return; /* ARMv7-M B3.2.6: writes without VECTKEY are ignored */
	b->core.aircr_prigroup = (val >> 8) & 7;
	if (!(val & 5))
		return;
	if (m == SR_SIM_CPU) {
		b->core.sysreset_req = true; /* taken when the slice ends */
		return;
	}
	if (val & 4)
		sr_sim_system_reset(b, SR_SIM_RESET_SOFT); /* SYSRESETREQ */
	else
		sr_sim_core_reset(b); /* VECTRESET: the core only */
}

/* Fixed SCB identification registers, Cortex-M4 TRM 4.3 table 4-2 and 7.3 (FPU). */
static bool scb_fixed(const struct sr_sim_board *b, uint32_t off, uint32_t *v)
{
	static const struct {
		uint16_t off;
		uint32_t val;
	} fixed[] = {
		{0xD40, 0x00000030}, {0xD44, 0x00000200}, {0xD48, 0x00100000}, {0xD4C, 0},
		{0xD50, 0x00100030}, {0xD54, 0},          {0xD58, 0x01000000}, {0xD5C, 0},
		{0xD60, 0x01101110}, {0xD64, 0x02111000}, {0xD68, 0x21112231}, {0xD6C, 0x01111110},
		{0xD70, 0x01310132}, {0xF40, 0x10110021}, {0xF44, 0x11000011},
	};
	if (off == 0xD00) {
		*v = b->chip->cpuid;
		return true;
	}
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (fixed[i].off == off) {
			*v = fixed[i].val;
			return true;
		}
	}
	return false;
}

static uint32_t *scs_reg(struct sr_sim_board *b, uint32_t off)
{
	struct sr_sim_core *c = &b->core;
	switch (off) {
	case 0xD08: return &c->vtor;
	case 0xD14: return &c->ccr;
	case 0xD24: return &c->shcsr;
	case 0xD28: return &c->cfsr;
	case 0xD2C: return &c->hfsr;
	case 0xD30: return &c->dfsr;
	case 0xD34: return &c->mmfar;
	case 0xD38: return &c->bfar;
	case 0xDF8: return &c->dcrdr;
	case 0xDFC: return &c->demcr;
	default: return NULL;
	}
}

static int scs_read(struct sr_sim_board *b, uint32_t off, uint32_t *v)
{
	uint32_t *r;
	if (scb_fixed(b, off, v))
		return SR_SIM_BUS_OK;
	if (off == 0xDF0)
		*v = dhcsr_read(b);
	else if (off == 0xD0C)
		*v = 0xFA050000u | b->core.aircr_prigroup << 8; /* VECTKEYSTAT */
	else if ((r = scs_reg(b, off)))
		*v = *r;
	else if (off >= 0xFD0)
		*v = ident_reg(ident_of(b, SCS_BASE), off);
	else
		return 1; /* kept in the sparse store */
	return SR_SIM_BUS_OK;
}

static int scs_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t off, uint32_t v)
{
	struct sr_sim_core *c = &b->core;
	switch (off) {
	case 0xDF0:
		if (m == SR_SIM_DBG)
			dhcsr_write(b, v);
		return SR_SIM_BUS_OK;
	case 0xDF4:
		if (m == SR_SIM_DBG)
			dcrsr_write(b, v);
		return SR_SIM_BUS_OK;
	case 0xD0C:
		aircr_write(b, m, v);
		return SR_SIM_BUS_OK;
	case 0xD28:
	case 0xD2C:
	case 0xD30:
		*scs_reg(b, off) &= ~v; /* CFSR, HFSR, DFSR: write 1 to clear, B3.2.15-16, C1.6.1 */
		return SR_SIM_BUS_OK;
	case 0xD08:
		c->vtor = v & 0x3FFFFF80u; /* TBLOFF, B3.2.5 */
		return SR_SIM_BUS_OK;
	case 0xDFC:
		c->demcr = v & 0x010F07F1u; /* VC_*, MON_*, TRCENA, C1.6.5 */
		return SR_SIM_BUS_OK;
	}
	uint32_t *r = scs_reg(b, off);
	if (r && off != 0xD34 && off != 0xD38) {
		*r = v;
		return SR_SIM_BUS_OK;
	}
	return 1;
}

/* FP_CTRL: 6 code and 2 literal comparators, FPB v1 (Cortex-M4 TRM 8.4). ENABLE changes
 * only with KEY set. Breakpoints are not matched: the FPB covers the code region,
 * whose code is not emulated. */
static int fpb_access(struct sr_sim_board *b, uint32_t off, bool write, uint32_t *v)
{
	struct sr_sim_core *c = &b->core;
	if (off == 0) {
		if (write && (*v & 2))
			c->fp_ctrl = *v & 1;
		else if (!write)
			*v = 0x260 | (c->fp_ctrl & 1);
	} else if (off == 4) {
		if (!write)
			*v = c->fp_remap;
		else
			c->fp_remap = *v & 0x1FFFFFE0u;
	} else if (off >= 8 && off < 0x28) {
		if (write)
			c->fp_comp[(off - 8) / 4] = *v;
		else
			*v = c->fp_comp[(off - 8) / 4];
	} else if (!write && off >= 0xFD0) {
		*v = ident_reg(ident_of(b, FPB_BASE), off);
	}
	return SR_SIM_BUS_OK;
}

/* DWT_CTRL NUMCOMP 4 (Cortex-M4 TRM 8.5); CYCCNT counts retired cycles when enabled. */
static int dwt_access(struct sr_sim_board *b, uint32_t off, bool write, uint32_t *v)
{
	struct sr_sim_core *c = &b->core;
	if (off == 0) {
		if (write)
			c->dwt_ctrl = *v & 0x1FFF;
		else
			*v = 0x40000000u | c->dwt_ctrl;
		return SR_SIM_BUS_OK;
	}
	if (off == 4) {
		if (write)
			c->dwt_cyccnt = *v;
		else
			*v = c->dwt_cyccnt;
		return SR_SIM_BUS_OK;
	}
	if (!write && off >= 0xFD0) {
		*v = ident_reg(ident_of(b, DWT_BASE), off);
		return SR_SIM_BUS_OK;
	}
	return 1;
}

/* Registers kept as written (NVIC, SysTick, ITM ports, DWT comparators). */
static int sparse(struct sr_sim_board *b, uint32_t addr, bool write, uint32_t *v)
{
	uint32_t *slot = sr_sim_regfile_slot(b->regs, addr, write);
	if (write)
		*slot = *v;
	else
		*v = slot ? *slot : 0;
	return SR_SIM_BUS_OK;
}

static int ident_or_rom(struct sr_sim_board *b, uint32_t addr, bool write, uint32_t *v)
{
	uint32_t off = addr & 0xFFF;
	if (write)
		return SR_SIM_BUS_OK; /* identification and ROM table are read-only */
	if (off >= 0xFD0)
		*v = ident_reg(ident_of(b, addr & ~0xFFFu), off);
	else
		*v = rom_read(off);
	return SR_SIM_BUS_OK;
}

static int ppb_access(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, bool write,
		      uint32_t *v)
{
	uint32_t off = addr & 0xFFF;
	int rc;
	if (addr >= SCS_BASE && addr < SCS_BASE + 0x1000)
		rc = write ? scs_write(b, m, off, *v) : scs_read(b, off, v);
	else if (addr >= FPB_BASE && addr < FPB_BASE + 0x1000)
		rc = fpb_access(b, off, write, v);
	else if (addr >= DWT_BASE && addr < DWT_BASE + 0x1000)
		rc = dwt_access(b, off, write, v);
	else if (addr >= ROM_BASE || (addr < ITM_BASE + 0x1000 && off >= 0xFD0))
		rc = ident_or_rom(b, addr, write, v);
	else if (addr < ITM_BASE + 0x1000)
		rc = 1;
	else
		return SR_SIM_BUS_ERR; /* TPIU, ETM (not modelled, not in the ROM table), reserved */
	return rc == 1 ? sparse(b, addr, write, v) : rc;
}

int sr_sim_ppb_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, uint32_t *val)
{
	*val = 0;
	return ppb_access(b, m, addr, false, val);
}

int sr_sim_ppb_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, uint32_t val)
{
	return ppb_access(b, m, addr, true, &val);
}
