/* `stmrescue chips`: the chip database as a table, or one family or device in detail. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/util.h"
#include "ob/ob.h"

static uint32_t ram_total(const struct sr_device *d)
{
	uint32_t t = 0;
	for (int i = 0; i < d->n_ram; i++)
		t += d->ram[i].size;
	return t;
}

/* The virtual lab's parts of device D ([part NAME] of families/), as "a b" or "". */
static void part_names(const struct sr_device *d, char *buf, size_t len)
{
	const struct sr_family *f = d->family;
	buf[0] = '\0';
	for (int i = 0; i < f->n_parts; i++)
		if (f->parts[i].device == d)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? " " : "",
				 f->parts[i].name);
}

/* The REV_ID part P models: its own, or its device's first. */
static uint16_t part_rev(const struct sr_part *p)
{
	const struct sr_device *d = p->device;
	return p->rev_id ? p->rev_id : d->n_revs ? d->revs[0].rev_id : 0;
}

static json_t *parts_json(const struct sr_device *d)
{
	json_t *arr = json_array();
	for (int i = 0; i < d->family->n_parts; i++) {
		const struct sr_part *p = &d->family->parts[i];
		if (p->device != d)
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:o, s:o, s:o}", "name", p->name,
						     "cpuid", sr_json_hex(p->cpuid, 8), "dp_idcode",
						     sr_json_hex(p->dp_idcode, 8), "rev_id",
						     sr_json_hex(part_rev(p), 4)));
	}
	return arr;
}

static json_t *device_json(const struct sr_device *d)
{
	json_t *o = json_object(), *ram = json_array(), *revs = json_object();
	char id[8];
	snprintf(id, sizeof(id), "0x%03X", d->dev_id);
	json_object_set_new(o, "dev_id", json_string(id));
	json_object_set_new(o, "name", json_string(d->name));
	json_object_set_new(o, "family", json_string(d->family->name));
	json_object_set_new(o, "core", json_string(d->defs.core));
	json_object_set_new(o, "flash_driver", json_string(d->defs.flash_driver));
	json_object_set_new(o, "flash_max", json_integer(d->flash_max));
	json_object_set_new(o, "ram_total", json_integer(ram_total(d)));
	for (int i = 0; i < d->n_ram; i++) {
		json_t *r = json_pack("{s:s, s:o, s:I, s:b}", "name", d->ram[i].name, "base",
				      sr_json_hex(d->ram[i].base, 8), "size",
				      (json_int_t)d->ram[i].size, "exec", !d->ram[i].noexec);
		if (d->ram[i].enable.addr)
			json_object_set_new(r, "enable",
					    json_pack("{s:o, s:i}", "addr",
						      sr_json_hex(d->ram[i].enable.addr, 8), "bit",
						      d->ram[i].enable.bit));
		json_array_append_new(ram, r);
	}
	json_object_set_new(o, "ram", ram);
	for (int i = 0; i < d->n_revs; i++) {
		char rid[8];
		snprintf(rid, sizeof(rid), "0x%04X", d->revs[i].rev_id);
		json_object_set_new(revs, rid, json_string(d->revs[i].name));
	}
	json_object_set_new(o, "revisions", revs);
	json_object_set_new(o, "virtual_parts", parts_json(d));
	return o;
}

static int chips_json(struct sr_cli *cli, const struct sr_family *only, const struct sr_device *dev)
{
	json_t *doc = json_object(), *fams = json_array();
	for (int i = 0; i < cli->db->n_fams; i++) {
		const struct sr_family *f = &cli->db->fams[i];
		if (only && f != only)
			continue;
		json_t *devs = json_array();
		for (int j = 0; j < f->n_devices; j++)
			if (!dev || dev == &f->devices[j])
				json_array_append_new(devs, device_json(&f->devices[j]));
		json_array_append_new(fams, json_pack("{s:s, s:s, s:s?, s:o}", "name", f->name,
						      "title", f->title, "ref", f->ref, "devices",
						      devs));
	}
	json_object_set_new(doc, "datadir", json_string(cli->db->datadir));
	json_object_set_new(doc, "families", fams);
	json_object_set_new(doc, "problems", sr_json_msgs(&cli->problems));
	return sr_cli_json_out(cli, doc);
}

static void chips_table(struct sr_cli *cli)
{
	fprintf(cli->out, "%-9s %-6s %-28s %-7s %-7s %-8s %s\n", "FAMILY", "DEV_ID", "NAME",
		"FLASH", "RAM", "DRIVER", "VIRTUAL");
	for (int i = 0; i < cli->db->n_fams; i++) {
		const struct sr_family *f = &cli->db->fams[i];
		for (int j = 0; j < f->n_devices; j++) {
			const struct sr_device *d = &f->devices[j];
			char fl[16], ram[16], parts[128];
			sr_format_size(d->flash_max, fl, sizeof(fl));
			sr_format_size(ram_total(d), ram, sizeof(ram));
			part_names(d, parts, sizeof(parts));
			fprintf(cli->out, "%-9s 0x%03X  %-28s %-7s %-7s %-*s%s\n", f->name,
				d->dev_id, d->name, fl, ram, parts[0] ? 9 : 0,
				d->defs.flash_driver, parts);
		}
	}
}

/* The flash layout under factory option bytes, bank by bank, as "4x16K 1x64K 3x128K". */
static void print_layout(struct sr_cli *cli, const struct sr_device *d)
{
	struct sr_ob_values v;
	struct sr_flash_map map;
	int rc;
	if (!d->family->ob) {
		fprintf(cli->out, "  flash layout: no option-byte table\n");
		return;
	}
	sr_ob_values_init(&v, d->family->ob);
	rc = sr_flash_map_build(d, d->flash_max / 1024, sr_ob_values_lookup, &v, &map);
	sr_ob_values_free(&v);
	if (rc != SR_OK) {
		fprintf(cli->out, "  flash layout: %s\n", sr_strerror(rc));
		return;
	}
	for (int b = 0; b < map.banks; b++) {
		fprintf(cli->out, "  flash bank %d at 0x%08X:", b + 1, map.bank_base[b]);
		for (int i = 0; i < map.n_sect;) {
			int n = 0;
			char sz[16];
			const struct sr_sector *s = &map.sect[i];
			while (i < map.n_sect && map.sect[i].bank == s->bank &&
			       map.sect[i].size == s->size)
				i++, n++;
			if (s->bank != b + 1)
				continue;
			sr_format_size(s->size, sz, sizeof(sz));
			fprintf(cli->out, " %dx%s", n, sz);
		}
		fputc('\n', cli->out);
	}
	sr_flash_map_free(&map);
}

static void device_detail(struct sr_cli *cli, const struct sr_device *d)
{
	const struct sr_chipdefs *k = &d->defs;
	char sz[16];
	sr_format_size(d->flash_max, sz, sizeof(sz));
	fprintf(cli->out, "%s (DEV_ID 0x%03X, family %s, %s)\n", d->name, d->dev_id,
		d->family->name, k->core);
	fprintf(cli->out, "  revisions:");
	for (int i = 0; i < d->n_revs; i++)
		fprintf(cli->out, " %s (0x%04X)", d->revs[i].name, d->revs[i].rev_id);
	fprintf(cli->out, "\n  flash: up to %s at 0x%08X, driver %s, unit %u bytes\n", sz,
		k->flash_base, k->flash_driver, k->prog_unit);
	print_layout(cli, d);
	for (int i = 0; i < d->n_ram; i++) {
		sr_format_size(d->ram[i].size, sz, sizeof(sz));
		fprintf(cli->out, "  ram %-8s 0x%08X %6s%s", d->ram[i].name, d->ram[i].base, sz,
			d->ram[i].noexec ? "  (data only)" : "");
		if (d->ram[i].enable.addr)
			fprintf(cli->out, "  (needs bit %u of 0x%08X set)", d->ram[i].enable.bit,
				d->ram[i].enable.addr);
		fputc('\n', cli->out);
	}
	fprintf(cli->out,
		"  registers: DBGMCU_IDCODE 0x%08X, flash size 0x%08X, UID 0x%08X, "
		"flash controller 0x%08X\n",
		k->idcode_addr, k->flash_size_addr, k->uid_addr, k->flash_regs);
	for (int i = 0; i < d->family->n_parts; i++) {
		const struct sr_part *p = &d->family->parts[i];
		const char *rev_name = sr_device_revision(d, part_rev(p));
		if (p->device != d)
			continue;
		fprintf(cli->out,
			"  virtual part %s: revision %s, CPUID 0x%08X, DP IDCODE 0x%08X, %d access "
			"port%s (stmrescue sim new %s FILE)\n",
			p->name, rev_name ? rev_name : "not listed", p->cpuid, p->dp_idcode, p->n_ap,
			p->n_ap == 1 ? "" : "s", p->name);
	}
}

int sr_cmd_chips(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_family *fam = NULL;
	const struct sr_device *dev = NULL;
	const struct sr_cmd *self = sr_cmd_find("chips");
	if (argc > 2) {
		sr_cli_usage_error(self, "too many arguments");
		return SR_EXIT_USAGE;
	}
	if (argc == 2 && !(fam = sr_db_family(cli->db, argv[1])) &&
	    !(dev = sr_db_device_lookup(cli->db, argv[1]))) {
		sr_cli_error("'%s' is neither a family nor a device of the database; "
			     "'stmrescue chips' lists them", argv[1]);
		return SR_EXIT_USAGE;
	}
	if (dev)
		fam = dev->family;
	if (cli->json)
		return chips_json(cli, fam, dev);
	if (!fam) {
		chips_table(cli);
		return SR_EXIT_OK;
	}
	fprintf(cli->out, "%s: %s\n", fam->title, fam->ref ? fam->ref : "");
	for (int j = 0; j < fam->n_devices; j++)
		if (!dev || dev == &fam->devices[j])
			device_detail(cli, &fam->devices[j]);
	return SR_EXIT_OK;
}
