/*
 * The private peripheral bus of a Cortex-M4 or M7: the System Control Space with
 * the debug registers (ARMv7-M ARM DDI 0403E, B3.2 and C1.6), DWT, FPB, ITM and the
 * CoreSight ROM tables (Cortex-M4 TRM DDI 0439B, 4.3 and 8.3; Cortex-M7 TRM DDI
 * 0489, 3.2 and 10; ADIv5 IHI 0031 D). What differs between the cores is data
 * (struct core_dbg below), chosen by the CPUID part number.
 */
#include "config.h"

#include "common/log.h"
#include "sim/sim-internal.h"

#define SCS_BASE 0xE000E000u
#define DWT_BASE 0xE0001000u
#define FPB_BASE 0xE0002000u
#define ITM_BASE 0xE0000000u
#define ROM_BASE 0xE00FF000u
#define NOT_PRESENT 0x1u /* in a component list: listed in the ROM table, not present */

#define DBGKEY  0xA05F0000u /* DHCSR write key, ARMv7-M C1.6.2 */
#define VECTKEY 0x05FA0000u /* AIRCR write key, ARMv7-M B3.2.6 */

/* Identification: PIDR4..0 and the component class for CIDR1 (ADIv5 10.2). */
struct ident {
	uint32_t base;
	uint16_t part;
	uint16_t designer; /* JEP106: continuation code << 8 | identity (0x43B: ARM) */
	uint8_t cls;
};

/* The debug components of one core and the ROM tables above them. */
struct core_dbg {
	uint16_t partno;        /* CPUID PARTNO */
	/* What the ROM table the AHB-AP's BASE names (ST's, with DEV_ID) lists: component
	 * addresses, NOT_PRESENT marked; the entries are offsets from where BASE puts
	 * the table (ADIv5 10.3.2). */
	uint32_t top[8];
	uint32_t ppb_rom;       /* the core's own PPB ROM table, 0: none */
	uint32_t ppb[8];        /* its entries, as top[] */
	struct ident comp[8];   /* components with identification registers */
	uint32_t fp_ctrl;       /* FP_CTRL read-only fields: REV, NUM_CODE, NUM_LIT */
};

static const struct core_dbg core_dbgs[] = {
	{
		/* Cortex-M4 TRM table 4-1 and 8.3; on STM32F4 the top table carries ST's
		 * identity and the DEV_ID, as OpenOCD's `dap info` shows. TPIU and ETM are
		 * listed as not present: they are not modelled. */
		.partno = 0xC24,
		.top = {SCS_BASE, DWT_BASE, FPB_BASE, ITM_BASE, 0xE0040000 | NOT_PRESENT,
			0xE0041000 | NOT_PRESENT},
		.comp = {{SCS_BASE, 0x00C, 0x43B, 0xE}, {DWT_BASE, 0x002, 0x43B, 0xE},
			 {FPB_BASE, 0x003, 0x43B, 0xE}, {ITM_BASE, 0x001, 0x43B, 0xE}},
		.fp_ctrl = 0x260, /* FPB v1: 6 code, 2 literal comparators, Cortex-M4 TRM 8.4 */
	},
	{
		/* Cortex-M3 r1p1 (DDI 0337E): the same components as the M4's, with the SCS
		 * identifying itself as part 0x000 ("Cortex-M3 SCS" in OpenOCD's and Black
		 * Magic's part tables); on the STM32F1 the table is ST's with the DEV_ID. */
		.partno = 0xC23,
		.top = {SCS_BASE, DWT_BASE, FPB_BASE, ITM_BASE, 0xE0040000 | NOT_PRESENT,
			0xE0041000 | NOT_PRESENT},
		.comp = {{SCS_BASE, 0x000, 0x43B, 0xE}, {DWT_BASE, 0x002, 0x43B, 0xE},
			 {FPB_BASE, 0x003, 0x43B, 0xE}, {ITM_BASE, 0x001, 0x43B, 0xE}},
		.fp_ctrl = 0x260, /* FPB: 6 code, 2 literal comparators (as the M4's) */
	},
	{
		/* Cortex-M7 TRM 10.2-10.3: the processor ROM table (here ST's, with DEV_ID
		 * 0x450, at 0xE00FE000) lists the PPB ROM table (ARM part 0x4C7), the ETM
		 * (0x975) and the CTI (0x906); the PPB table lists SCS, DWT, FPB (part 0x00E)
		 * and ITM: what a live H750 reports to pyOCD. */
		.partno = 0xC27,
		.top = {ROM_BASE, 0xE0041000, 0xE0043000},
		.ppb_rom = ROM_BASE,
		.ppb = {SCS_BASE, DWT_BASE, FPB_BASE, ITM_BASE},
		.comp = {{SCS_BASE, 0x00C, 0x43B, 0xE}, {DWT_BASE, 0x002, 0x43B, 0xE},
			 {FPB_BASE, 0x00E, 0x43B, 0xE}, {ITM_BASE, 0x001, 0x43B, 0xE},
			 {ROM_BASE, 0x4C7, 0x43B, 0x1}, {0xE0041000, 0x975, 0x43B, 0x9},
			 {0xE0043000, 0x906, 0x43B, 0x9}},
		/* FPB v2 (REV 1): 8 code, 1 literal comparator, Cortex-M7 TRM 10.4 */
		.fp_ctrl = 0x10000180,
	},
};

/* Where the AHB-AP's BASE register puts the top ROM table (chipdef ap[0]). */
static uint32_t rom_top(const struct sr_sim_board *b)
{
	return b->chip->ap[0].base & ~0xFFFu;
}

static const struct core_dbg *core_dbg(const struct sr_sim_board *b)
{
	uint16_t part = (b->chip->cpuid >> 4) & 0xFFF;
	for (size_t i = 0; i < sizeof(core_dbgs) / sizeof(core_dbgs[0]); i++)
		if (core_dbgs[i].partno == part)
			return &core_dbgs[i];
	return &core_dbgs[0];
}

/* The component whose 4 KiB block holds BASE; the top ROM table has ST's identity. */
static const struct ident *ident_at(const struct sr_sim_board *b, uint32_t base,
				    struct ident *top)
{
	const struct core_dbg *d = core_dbg(b);
	if (base == rom_top(b)) {
		*top = (struct ident){base, b->chip->dev_id, 0x020, 0x1};
		return top;
	}
	for (int i = 0; i < 8 && d->comp[i].base; i++)
		if (d->comp[i].base == base)
			return &d->comp[i];
	return NULL;
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

uint32_t sr_sim_cs_ident(uint16_t part, uint16_t designer, uint8_t cls, uint32_t off)
{
	return ident_reg((struct ident){0, part, designer, cls}, off);
}

static uint32_t ident_of_reg(const struct sr_sim_board *b, uint32_t base, uint32_t off)
{
	struct ident top;
	const struct ident *id = ident_at(b, base, &top);
	return id ? ident_reg(*id, off) : 0;
}

/* ROM table entries: offset to each component from the table at BASE, bit 0 present,
 * bit 1 32-bit format; 0 ends the table. */
static uint32_t rom_read(const uint32_t *comps, uint32_t base, uint32_t off)
{
	if (off < 8 * 4) {
		uint32_t c = comps[off / 4];
		if (!c)
			return 0;
		return ((c & ~0xFFFu) - base) | 2 | (c & NOT_PRESENT ? 0 : 1);
	}
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

/* Fixed SCB identification registers, Cortex-M4 TRM 4.3 table 4-2; the FPU's MVFR
 * registers as the part was built (chipdef mvfr, 0 without an FPU). */
static bool scb_fixed(const struct sr_sim_board *b, uint32_t off, uint32_t *v)
{
	static const struct {
		uint16_t off;
		uint32_t val;
	} fixed[] = {
		{0xD40, 0x00000030}, {0xD44, 0x00000200}, {0xD48, 0x00100000}, {0xD4C, 0},
		{0xD50, 0x00100030}, {0xD54, 0},          {0xD58, 0x01000000}, {0xD5C, 0},
		{0xD60, 0x01101110}, {0xD64, 0x02111000}, {0xD68, 0x21112231}, {0xD6C, 0x01111110},
		{0xD70, 0x01310132},
	};
	if (off == 0xD00) {
		*v = b->chip->cpuid;
		return true;
	}
	if (off >= 0xF40 && off <= 0xF48) {
		*v = b->chip->mvfr[(off - 0xF40) / 4];
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
		*v = ident_of_reg(b, SCS_BASE, off);
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

/* FP_CTRL: comparators per core (struct core_dbg; Cortex-M4 TRM 8.4, Cortex-M7 TRM
 * 10.4). ENABLE changes only with KEY set. Breakpoints are not matched: the FPB covers
 * the code region, whose code is not emulated. */
static int fpb_access(struct sr_sim_board *b, uint32_t off, bool write, uint32_t *v)
{
	struct sr_sim_core *c = &b->core;
	uint32_t ro = core_dbg(b)->fp_ctrl;
	uint32_t n = ((ro >> 4) & 0xF) + ((ro >> 8) & 0xF); /* code + literal comparators */
	if (off == 0) {
		if (write && (*v & 2))
			c->fp_ctrl = *v & 1;
		else if (!write)
			*v = ro | (c->fp_ctrl & 1);
	} else if (off == 4) {
		if (!write)
			*v = c->fp_remap;
		else
			c->fp_remap = *v & 0x1FFFFFE0u;
	} else if (off >= 8 && off < 8 + 4 * n) {
		if (write)
			c->fp_comp[(off - 8) / 4] = *v;
		else
			*v = c->fp_comp[(off - 8) / 4];
	} else if (!write && off >= 0xFD0) {
		*v = ident_of_reg(b, FPB_BASE, off);
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
		*v = ident_of_reg(b, DWT_BASE, off);
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

/* ROM tables and the other identified components (ITM, ETM, CTI): identification
 * registers read-only, ROM entries as tabled, other registers kept as written. */
static int ident_or_rom(struct sr_sim_board *b, uint32_t addr, bool write, uint32_t *v)
{
	const struct core_dbg *d = core_dbg(b);
	uint32_t base = addr & ~0xFFFu, off = addr & 0xFFF;
	if (base == rom_top(b) || (d->ppb_rom && base == d->ppb_rom)) {
		if (!write)
			*v = off >= 0xFD0 ? ident_of_reg(b, base, off)
					  : rom_read(base == rom_top(b) ? d->top : d->ppb, base, off);
		return SR_SIM_BUS_OK;
	}
	if (off >= 0xFD0) {
		if (!write)
			*v = ident_of_reg(b, base, off);
		return SR_SIM_BUS_OK;
	}
	return 1;
}

static bool is_component(const struct sr_sim_board *b, uint32_t base)
{
	struct ident top;
	return ident_at(b, base, &top) != NULL;
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
	else if (is_component(b, addr & ~0xFFFu))
		rc = ident_or_rom(b, addr, write, v);
	else
		return SR_SIM_BUS_ERR; /* TPIU, unlisted external PPB, reserved */
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
