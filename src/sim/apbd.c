/*
 * A debug APB behind an APB-AP: CoreSight components with their identification
 * registers and ROM tables, a DBGMCU alias, and clock gates in DBGMCU_CR. The one
 * described here is the STM32H74x/H75x APB-D (RM0433 60.2, debug infrastructure),
 * reached through AP2 at 0xE00E0000-0xE00FFFFF.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "sim/sim-internal.h"

/* One component: a 4 KiB block with CoreSight identification (ADIv5 10.2). */
struct apbd_comp {
	uint32_t base;
	uint16_t part, designer; /* PIDR: JEP106 designer (0x43B ARM, 0x020 ST) */
	uint8_t cls, devtype;    /* CIDR1 class (1 ROM table, 9 CoreSight, 0xF generic) */
	uint32_t gate;           /* DBGMCU_CR bits that must be set for it to answer */
	uint32_t rom[8];         /* class 1: entries, 0-terminated */
};

struct sr_sim_apbd {
	uint32_t dbgmcu; /* base of the DBGMCU alias on this bus, 0: none */
	const struct apbd_comp *comp;
	size_t n_comp;
};

/* DBGMCU_CR debug clock enables, RM0433 60.5.8: D1DBGCKEN clocks the trace
 * components of D1 (the 0xE00F0000 ROM table and what it lists), D3DBGCKEN those of
 * D3 (SWO, SWO funnel, timestamp generator). psdb (tgree/psdb stm32h7 rom_table_1)
 * sets them before probing the children of the APB-D ROM table; the model answers
 * an unclocked component with an APB error. */
#define D1DBGCKEN (1u << 21)
#define D3DBGCKEN (1u << 22)

/* Components and ROM entries as a live H750 (DEV_ID 0x450, the H743/753 die) reports
 * them through AP2: ROM table 0xE00E0000 (ST, 0x450) with SWO 0x914, SWO funnel
 * 0x908, TSG 0x101 and the D1 ROM table 0xE00F0000 (ST, 0x001) with CTI 0x906,
 * trace funnel 0x908, ETF 0x961 and TPIU 0x912. The first two entries of the top
 * table (the DBGMCU block and the one after it) are not CoreSight components and are
 * marked not present. */
static const struct apbd_comp h74x_comp[] = {
    {0xE00E0000,
     0x450,
     0x020,
     0x1,
     0x00,
     0,
     {0x00001002, 0x00002002, 0x00003003, 0x00004003, 0x00005003, 0x00010003}},
    {0xE00E3000, 0x914, 0x43B, 0x9, 0x11, D3DBGCKEN, {0}},
    {0xE00E4000, 0x908, 0x43B, 0x9, 0x12, D3DBGCKEN, {0}},
    {0xE00E5000, 0x101, 0x43B, 0xF, 0x00, D3DBGCKEN, {0}},
    {0xE00F0000,
     0x001,
     0x020,
     0x1,
     0x00,
     D1DBGCKEN,
     {0x00001003, 0x00002002, 0x00003003, 0x00004003, 0x00005003}},
    {0xE00F1000, 0x906, 0x43B, 0x9, 0x14, D1DBGCKEN, {0}},
    {0xE00F3000, 0x908, 0x43B, 0x9, 0x12, D1DBGCKEN, {0}},
    {0xE00F4000, 0x961, 0x43B, 0x9, 0x32, D1DBGCKEN, {0}},
    {0xE00F5000, 0x912, 0x43B, 0x9, 0x11, D1DBGCKEN, {0}},
};

const struct sr_sim_apbd sr_sim_apbd_h74x = {
    .dbgmcu = 0xE00E1000, /* DBGMCU on the APB-D, RM0433 60.5.8 */
    .comp = h74x_comp,
    .n_comp = SR_ARRAY_SIZE(h74x_comp),
};

/* The debug APBs the model knows, by the name families/ [part] ap = ... apb=NAME gives. */
const struct sr_sim_apbd *sr_sim_apbd_find(const char *name)
{
	static const struct {
		const char *name;
		const struct sr_sim_apbd *apbd;
	} known[] = {
	    {"h74x", &sr_sim_apbd_h74x},
	};
	for (size_t i = 0; i < SR_ARRAY_SIZE(known); i++)
		if (strcmp(known[i].name, name) == 0)
			return known[i].apbd;
	return NULL;
}

static const struct apbd_comp *comp_at(const struct sr_sim_apbd *d, uint32_t base)
{
	for (size_t i = 0; i < d->n_comp; i++)
		if (d->comp[i].base == base)
			return &d->comp[i];
	return NULL;
}

/* The component at ADDR if it answers now: present and clocked. */
static const struct apbd_comp *answering(struct sr_sim_board *b, const struct sr_sim_apbd *d,
                                         uint32_t addr)
{
	const struct apbd_comp *c = comp_at(d, addr & ~0xFFFu);
	uint32_t cr = sr_sim_dbgmcu_reg(b, b->chip->dbgmcu_cr);
	if (!c || (c->gate & cr) != c->gate)
		return NULL;
	return c;
}

static bool is_dbgmcu(const struct sr_sim_apbd *d, uint32_t addr)
{
	return d->dbgmcu && addr >= d->dbgmcu && addr - d->dbgmcu < 0x1000;
}

int sr_sim_apbd_read(struct sr_sim_board *b, const struct sr_sim_apbd *d, uint32_t addr,
                     uint32_t *val)
{
	uint32_t off = addr & 0xFFF;
	*val = 0;
	if (is_dbgmcu(d, addr)) {
		return sr_sim_periph_read_reg(b, b->chip->idcode_addr + (addr - d->dbgmcu), val);
	}
	const struct apbd_comp *c = answering(b, d, addr);
	if (!c)
		return SR_SIM_BUS_ERR;
	if (off >= 0xFD0) {
		*val = sr_sim_cs_ident(c->part, c->designer, c->cls, off);
	} else if (off == 0xFCC) {
		*val = c->cls == 0x1 ? 1 : c->devtype; /* MEMTYPE / DEVTYPE, ADIv5 10.2 */
	} else if (c->cls == 0x1) {
		*val = off < sizeof(c->rom) ? c->rom[off / 4] : 0;
	} else {
		uint32_t *slot = sr_sim_regfile_slot(b->regs, addr, false);
		*val = slot ? *slot : 0;
	}
	return SR_SIM_BUS_OK;
}

int sr_sim_apbd_write(struct sr_sim_board *b, const struct sr_sim_apbd *d, uint32_t addr,
                      uint32_t val)
{
	if (is_dbgmcu(d, addr)) {
		return sr_sim_periph_write_reg(b, b->chip->idcode_addr + (addr - d->dbgmcu), val);
	}
	const struct apbd_comp *c = answering(b, d, addr);
	if (!c)
		return SR_SIM_BUS_ERR;
	if (c->cls != 0x1 && (addr & 0xFFF) < 0xFC0)
		*sr_sim_regfile_slot(b->regs, addr, true) = val; /* kept as written */
	return SR_SIM_BUS_OK;
}
