/*
 * Chip facts the F446-only first cut did not need, taken from the chip database
 * (families/, optbytes/) so that the model stays free of family switches: the
 * device's option-byte fields by name, the reset flags by name, the window
 * watchdog's DBGMCU freeze bit, the RAM layout and whether address 0 aliases the
 * boot memory.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "db/family.h"
#include "ob/ob.h"
#include "sim/chipdef-ext.h"

uint32_t sr_sim_chipdef_field(const struct sr_sim_chipdef *c, const char *name, const char **reg)
{
	for (int i = 0; i < c->n_obfield; i++) {
		const struct sr_sim_obfield *f = &c->obfield[i];
		if (sr_streq_nocase(f->name, name)) {
			if (reg)
				*reg = f->reg;
			return sr_field_mask(f->hi, f->lo);
		}
	}
	return 0;
}

uint32_t sr_sim_chipdef_reg_fields(const struct sr_sim_chipdef *c, const char *reg)
{
	uint32_t m = 0;
	for (int i = 0; i < c->n_obfield; i++)
		if (sr_streq_nocase(c->obfield[i].reg, reg))
			m |= sr_field_mask(c->obfield[i].hi, c->obfield[i].lo);
	return m;
}

static void fill_obfields(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	const struct sr_ob_table *t = dev->family->ob;
	for (int i = 0; t && i < t->n_fields && c->n_obfield < SR_SIM_MAX_OBFIELD; i++) {
		const struct sr_ob_field *f = &t->fields[i];
		if (!sr_ob_field_applies(f, dev->dev_id))
			continue;
		struct sr_sim_obfield *o = &c->obfield[c->n_obfield++];
		snprintf(o->name, sizeof(o->name), "%s", f->name);
		snprintf(o->reg, sizeof(o->reg), "%s", t->regs[f->reg].name);
		o->hi = f->hi;
		o->lo = f->lo;
	}
}

/* Reset flags by their RM names in families/ [bits RCC_CSR] (F1/F4/F7 RCC_CSR, H7
 * RCC_RSR): a power-on reset sets POR, BOR and PIN (and D1, D2, CPU on H7); every
 * system reset drives NRST low and resets the CPU (RM0390 6.1.2, RM0008 7.1.2 figure 4;
 * RM0433 8.4, reset source identification). A flag the family lacks stays 0 (the F1
 * has no BORRSTF: its RCC_CSR resets to 0x0C000000, RM0008 7.3.10). */
static void fill_rstflags(const struct sr_family *fam, struct sr_sim_chipdef *c)
{
	static const struct {
		const char *name;
		size_t off;
	} roles[] = {
		{"PORRSTF", offsetof(struct sr_sim_rstflags, por)},
		{"BORRSTF", offsetof(struct sr_sim_rstflags, por)},
		{"D1RSTF", offsetof(struct sr_sim_rstflags, por)},
		{"D2RSTF", offsetof(struct sr_sim_rstflags, por)},
		{"PINRSTF", offsetof(struct sr_sim_rstflags, any)},
		{"CPURSTF", offsetof(struct sr_sim_rstflags, any)},
		{"SFTRSTF", offsetof(struct sr_sim_rstflags, soft)},
		{"IWDGRSTF", offsetof(struct sr_sim_rstflags, iwdg)},
		{"IWDG1RSTF", offsetof(struct sr_sim_rstflags, iwdg)},
		{"WWDGRSTF", offsetof(struct sr_sim_rstflags, wwdg)},
		{"WWDG1RSTF", offsetof(struct sr_sim_rstflags, wwdg)},
		{"RMVF", offsetof(struct sr_sim_rstflags, rmvf)},
		{"OBLRSTF", offsetof(struct sr_sim_rstflags, obl)}, /* L4/G4, RM0351 6.4.29 */
	};
	const struct sr_regbits *rb = sr_family_bits(fam, "RCC_CSR");
	for (int i = 0; rb && i < rb->n; i++) {
		const struct sr_bitdef *bd = &rb->bits[i];
		uint32_t m = sr_field_mask(bd->hi, bd->lo);
		if (bd->kind == SR_BIT_RESETFLAG)
			c->rst.all |= m;
		for (size_t k = 0; k < SR_ARRAY_SIZE(roles); k++)
			if (strcmp(bd->name, roles[k].name) == 0)
				*(uint32_t *)((char *)&c->rst + roles[k].off) |= m;
	}
	c->rst.por |= c->rst.any;
}

/* The window watchdog's timer base WDGTB in WWDG_CFR: bits 8:7 on F1/F4/F7/L4
 * (RM0008 19.6.2, RM0390 20.4.2, RM0385 28.4.2, RM0351 WWDG_CFR); families/
 * [bits WWDG_CFR] WDGTB where it differs (G4: 13:11). */
static void fill_wwdg(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	const struct sr_regbits *rb = sr_family_bits(dev->family, "WWDG_CFR");
	c->wwdg_tb_hi = 8;
	c->wwdg_tb_lo = 7;
	for (int i = 0; rb && i < rb->n; i++)
		if (strcmp(rb->bits[i].name, "WDGTB") == 0) {
			c->wwdg_tb_hi = rb->bits[i].hi;
			c->wwdg_tb_lo = rb->bits[i].lo;
		}
}

/* DBGMCU: where the window watchdog's freeze bit lives (DBGMCU_CR on the F1, RM0008
 * 31.16.3; DBGMCU_APB1_FZ on F4/F7, RM0390 33.16.4, RM0385 40.16.4; APB3FZ1 on H7,
 * RM0433 60.5.8). The IWDG's comes with the families/ facts (chipdef.c). */
static void fill_dbgmcu(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	c->wwdg_freeze_addr = dev->defs.wwdg_freeze.addr;
	c->wwdg_freeze_bit = dev->defs.wwdg_freeze.bit;
}

/* Where each RAM region sits in the board's RAM buffer: one after the other, in the
 * chip's order (that is also their order in the board image). Address 0 shows the
 * boot memory (flash when BOOT0 is low) unless RAM is mapped there: the F7's and
 * H7's ITCM RAM (RM0385 2.3.1, RM0433 2.3.2), whose boot address comes from the
 * option bytes instead (RM0385 2.5, RM0433 2.6). F1: RM0008 3.4; F4: RM0390 2.4. */
static void fill_ram(struct sr_sim_chipdef *c)
{
	uint32_t off = 0;
	c->boot_alias = true;
	for (int i = 0; i < c->n_ram; i++) {
		c->ram[i].offset = off;
		off += c->ram[i].size;
		if (c->ram[i].base == 0)
			c->boot_alias = false;
	}
}

void sr_sim_chipdef_fill_ext(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	fill_obfields(dev, c);
	fill_rstflags(dev->family, c);
	fill_dbgmcu(dev, c);
	fill_wwdg(dev, c);
	fill_ram(c);
}
