/*
 * The boot address the option bytes give (DIAGNOSES.md 19) and the vector table found
 * there (DIAGNOSES.md 4: "PC reads 0xFFFFFFFE after reset").
 * - BOOT_ADD0/BOOT_ADD1 option bytes (F7: RM0385 2.5 table 3; H7: RM0433 2.6): the
 *   address with the BOOT0 pin low/high.
 * - Otherwise the boot pins choose (RM0090 2.4 table 2, RM0351 2.6): BOOT0 low boots main
 *   flash (aliased at 0), BOOT0 high system memory, or SRAM1 where nBOOT1 = 0 says so.
 * - nSWBOOT0 = 0 (L4/G4: RM0351 3.7.8, RM0440 3.4.1): the pin is ignored, nBOOT0 stands
 *   for it.
 * The BOOT0 pin itself cannot be read over SWD: unless the option bits force it, the
 * vector table checked is the one for BOOT0 low, how boards run in the field.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/ob-change.h"
#include "common/error.h"
#include "target/target.h"

#define ERASED_WORD 0xFFFFFFFFu

/* Value of field NAME as read, if this chip has it. */
static bool field(const struct sr_flash *f, const char *name, uint32_t *val,
		  const struct sr_ob_field **out)
{
	const struct sr_ob_field *fd = f->ob_ok ? sr_ob_field_find(f->ob.t, name) : NULL;
	if (!fd || !sr_ob_field_applies(fd, f->dev->dev_id) || !f->ob.given[fd->reg])
		return false;
	*val = sr_ob_field_value(&f->ob, fd);
	if (out)
		*out = fd;
	return true;
}

static bool within(uint32_t a, uint32_t base, uint32_t size)
{
	return size && a >= base && a - base < size;
}

/* What memory ADDR is in, in words. */
static void memory_at(const struct sr_flash *f, uint32_t a, char *buf, size_t len)
{
	const struct sr_chipdefs *d = &f->dev->defs;
	const struct sr_sector *s = sr_flash_map_find(&f->map, a);
	if (s) {
		snprintf(buf, len, "main flash, bank %u", s->bank);
		return;
	}
	if (d->flash_alias && within(a, d->flash_alias, f->map.total)) {
		snprintf(buf, len, "main flash, seen at its alias 0x%08X (= 0x%08X)", d->flash_alias,
			 a - d->flash_alias + d->flash_base);
		return;
	}
	if (within(a, d->sysmem_base, d->sysmem_size) ||
	    (d->sysmem_alias && within(a, d->sysmem_alias, d->sysmem_size))) {
		snprintf(buf, len, "system memory (ST's boot loader)");
		return;
	}
	for (int i = 0; i < f->dev->n_ram; i++)
		if (within(a, f->dev->ram[i].base, f->dev->ram[i].size)) {
			snprintf(buf, len, "RAM (%s): nothing to boot after a power cycle",
				 f->dev->ram[i].name);
			return;
		}
	snprintf(buf, len, "no memory of the %s", f->dev->name);
}

/* SRAM1, where nBOOT1 = 0 sends BOOT0 = 1 (RM0351 2.6), else the first RAM region. */
static uint32_t sram1(const struct sr_device *dev)
{
	for (int i = 0; i < dev->n_ram; i++)
		if (strcmp(dev->ram[i].name, "SRAM1") == 0)
			return dev->ram[i].base;
	return dev->n_ram ? dev->ram[0].base : 0;
}

static void addresses(const struct sr_flash *f, struct sr_ob_boot *b)
{
	const struct sr_ob_field *fd[2];
	uint32_t v[2], nboot1;
	if (field(f, "BOOT_ADD0", &v[0], &fd[0]) && field(f, "BOOT_ADD1", &v[1], &fd[1])) {
		for (int i = 0; i < 2; i++) {
			b->addr[i] = v[i] * fd[i]->scale + fd[i]->offset;
			snprintf(b->from[i], sizeof(b->from[i]), "%s = 0x%04X", fd[i]->name, v[i]);
		}
		return;
	}
	b->addr[0] = f->dev->defs.flash_base;
	snprintf(b->from[0], sizeof(b->from[0]), "main flash, aliased at 0x00000000");
	if (field(f, "nBOOT1", &nboot1, NULL) && nboot1 == 0) {
		b->addr[1] = sram1(f->dev);
		snprintf(b->from[1], sizeof(b->from[1]), "SRAM1, as nBOOT1 = 0 says");
	} else {
		b->addr[1] = f->dev->defs.sysmem_base;
		snprintf(b->from[1], sizeof(b->from[1]), "system memory%s",
			 field(f, "nBOOT1", &nboot1, NULL) ? ", as nBOOT1 = 1 says"
							   : " (or SRAM with the BOOT1 pin high)");
	}
}

/* nSWBOOT0 = 0: BOOT0 is the complement of the nBOOT0 option bit. */
static void forced(const struct sr_flash *f, struct sr_ob_boot *b)
{
	uint32_t sw, nboot0;
	b->forced = -1;
	if (!field(f, "nSWBOOT0", &sw, NULL) || sw != 0 || !field(f, "nBOOT0", &nboot0, NULL))
		return;
	b->forced = nboot0 ? 0 : 1;
	snprintf(b->note, sizeof(b->note),
		 "the BOOT0 pin is ignored because nSWBOOT0 = 0: nBOOT0 = %u stands for BOOT0 = %d",
		 nboot0, b->forced);
}

static bool sp_ok(const struct sr_device *dev, uint32_t sp)
{
	for (int i = 0; i < dev->n_ram; i++)
		if (sp > dev->ram[i].base && sp - dev->ram[i].base <= dev->ram[i].size)
			return (sp & 3) == 0;
	return false;
}

/* The initial SP and reset handler at the boot address (ARMv7-M B1.5.5). */
static void vectors(struct sr_cli_flash *s, struct sr_ob_boot *b)
{
	uint32_t w[2], a = b->addr[b->eff];
	char where[96];
	int rc = sr_target_read(s->tg, a, (uint8_t *)w, sizeof(w));
	if (rc != SR_OK) {
		snprintf(b->vec_why, sizeof(b->vec_why), "the vector table at 0x%08X cannot be read "
			 "(%s): read-out protection, or no memory there", a, sr_strerror(rc));
		return;
	}
	b->vec_read = true;
	b->sp = w[0];
	b->pc = w[1];
	memory_at(&s->f, w[1] & ~1u, where, sizeof(where));
	if (w[0] == ERASED_WORD && w[1] == ERASED_WORD)
		snprintf(b->vec_why, sizeof(b->vec_why), "erased: nothing to boot, the core locks "
			 "up at reset (PC reads 0xFFFFFFFE)");
	else if (!sp_ok(s->f.dev, w[0]))
		snprintf(b->vec_why, sizeof(b->vec_why), "the initial stack pointer 0x%08X is not "
			 "the top of, or inside, any RAM of the %s", w[0], s->f.dev->name);
	else if (!(w[1] & 1) || strncmp(where, "no memory", 9) == 0)
		snprintf(b->vec_why, sizeof(b->vec_why), "the reset handler 0x%08X is %s", w[1],
			 !(w[1] & 1) ? "not Thumb code (bit 0 clear): the core faults at once"
				     : "in no memory of this chip");
	else {
		b->vec_ok = true;
		snprintf(b->vec_why, sizeof(b->vec_why), "looks bootable: the reset handler is in %s",
			 where);
	}
}

void sr_cli_ob_boot(struct sr_cli_flash *s, struct sr_ob_boot *b)
{
	memset(b, 0, sizeof(*b));
	addresses(&s->f, b);
	for (int i = 0; i < 2; i++)
		memory_at(&s->f, b->addr[i], b->what[i], sizeof(b->what[i]));
	forced(&s->f, b);
	b->eff = b->forced < 0 ? 0 : b->forced;
	vectors(s, b);
}

void sr_cli_ob_boot_text(struct sr_cli *cli, const struct sr_ob_boot *b)
{
	fprintf(cli->out, "Boot\n");
	for (int i = 0; i < 2; i++)
		fprintf(cli->out, "  BOOT0 %s: 0x%08X (%s): %s%s\n", i ? "high" : "low ", b->addr[i],
			b->from[i], b->what[i], b->forced == i ? "   <- in force" : "");
	if (b->forced >= 0)
		fprintf(cli->out, "  %s\n", b->note);
	else
		fprintf(cli->out, "  (the BOOT0 pin cannot be read over SWD; boards run with it low)\n");
	if (b->vec_read)
		fprintf(cli->out, "  vector table at 0x%08X: SP 0x%08X, reset handler 0x%08X: %s\n",
			b->addr[b->eff], b->sp, b->pc, b->vec_why);
	else
		fprintf(cli->out, "  %s\n", b->vec_why);
}

json_t *sr_cli_ob_boot_json(const struct sr_ob_boot *b)
{
	json_t *o = json_object(), *pins = json_array();
	for (int i = 0; i < 2; i++)
		json_array_append_new(pins, json_pack("{s:i, s:o, s:s, s:s}", "boot0", i, "addr",
						      sr_json_hex(b->addr[i], 8), "from", b->from[i],
						      "memory", b->what[i]));
	json_object_set_new(o, "by_pin", pins);
	json_object_set_new(o, "forced_boot0", b->forced < 0 ? json_null() : json_integer(b->forced));
	if (b->forced >= 0)
		json_object_set_new(o, "note", json_string(b->note));
	json_object_set_new(o, "effective", sr_json_hex(b->addr[b->eff], 8));
	json_t *vt = json_pack("{s:o, s:b, s:s}", "addr", sr_json_hex(b->addr[b->eff], 8), "ok",
			       b->vec_ok, "why", b->vec_why);
	if (b->vec_read) {
		json_object_set_new(vt, "sp", sr_json_hex(b->sp, 8));
		json_object_set_new(vt, "pc", sr_json_hex(b->pc, 8));
	}
	json_object_set_new(o, "vector_table", vt);
	return o;
}
