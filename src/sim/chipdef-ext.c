/*
 * Chip facts the F446-only first cut did not need, taken from the chip database
 * (families/, optbytes/) so that the model stays free of family switches: the
 * device's option-byte fields by name, the RCC_CSR reset flags by name, the
 * DBGMCU freeze registers and whether address 0 aliases the boot memory.
 */
#include "config.h"

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

/* One RCC_CSR flag of families/ [bits RCC_CSR], as a mask; 0 when the family has none. */
static uint32_t csr_bit(const struct sr_regbits *rb, const char *name)
{
	for (int i = 0; rb && i < rb->n; i++)
		if (strcmp(rb->bits[i].name, name) == 0)
			return sr_field_mask(rb->bits[i].hi, rb->bits[i].lo);
	return 0;
}

static void fill_csr(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	const struct sr_regbits *rb = sr_family_bits(dev->family, "RCC_CSR");
	c->csr_rmvf = csr_bit(rb, "RMVF");
	c->csr_borrst = csr_bit(rb, "BORRSTF");
	c->csr_pinrst = csr_bit(rb, "PINRSTF");
	c->csr_porrst = csr_bit(rb, "PORRSTF");
	c->csr_sftrst = csr_bit(rb, "SFTRSTF");
	c->csr_iwdgrst = csr_bit(rb, "IWDGRSTF");
	c->csr_wwdgrst = csr_bit(rb, "WWDGRSTF");
	c->csr_oblrst = csr_bit(rb, "OBLRSTF"); /* L4/G4: RM0351 6.4.29, RM0440 7.4 RCC_CSR */
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

/* DBGMCU: where the watchdog freeze bits live. On the F1 they are in DBGMCU_CR
 * itself (RM0008 31.16.3), elsewhere in DBGMCU_APB1_FZ, whose address is then
 * the IWDG freeze register's (RM0390 33.16.4, RM0385 40.16.4). */
static void fill_dbgmcu(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	const struct sr_chipdefs *d = &dev->defs;
	c->iwdg_freeze_addr = d->iwdg_freeze.addr;
	c->wwdg_freeze_addr = d->wwdg_freeze.addr;
	c->wwdg_freeze_bit = d->wwdg_freeze.bit;
	if (c->apb1_fz == c->dbgmcu_cr)
		c->apb1_fz = 0;
}

/* Address 0 shows the boot memory (flash when BOOT0 is low) unless RAM is mapped
 * there: the F7's ITCM RAM (RM0385 2.3.1), whose boot address comes from the
 * option bytes instead (RM0385 2.5). F1: RM0008 3.4; F4: RM0390 2.4. */
static void fill_boot(struct sr_sim_chipdef *c)
{
	c->boot_alias = true;
	for (int i = 0; i < c->n_ram; i++)
		if (c->ram[i].base == 0)
			c->boot_alias = false;
}

void sr_sim_chipdef_fill_ext(const struct sr_device *dev, struct sr_sim_chipdef *c)
{
	fill_obfields(dev, c);
	fill_csr(dev, c);
	fill_dbgmcu(dev, c);
	fill_wwdg(dev, c);
	fill_boot(c);
}
