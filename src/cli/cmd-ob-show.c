/* `stmrescue ob show`: the connected chip's option bytes, every field with its meaning
 * and what differs from the factory (DIAGNOSES.md 4), the boot address they give
 * (DIAGNOSES.md 19) and the sectors they write-protect (DIAGNOSES.md 12). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ob-change.h"
#include "common/error.h"
#include "common/log.h"
#include "target/target.h"

static const char *const prot_names[] = {"", "write-protected", "PCROP-protected"};
static const char *const prot_keys[] = {"", "wrp", "pcrop"};

static json_t *wrp_json(const struct sr_flash *f, const uint8_t *prot)
{
	json_t *a = json_array();
	for (int i = 0; i < f->map.n_sect; i++) {
		const struct sr_sector *s = &f->map.sect[i];
		if (prot[i])
			json_array_append_new(a, json_pack("{s:i, s:i, s:o, s:I, s:s}", "bank",
							   s->bank, "sector", s->index, "addr",
							   sr_json_hex(s->addr, 8), "size",
							   (json_int_t)s->size, "protection",
							   prot_keys[prot[i]]));
	}
	return a;
}

static void wrp_text(struct sr_cli *cli, const struct sr_flash *f, const uint8_t *prot)
{
	int n = 0;
	fprintf(cli->out, "Write protection\n");
	if (!f->map.n_sect) {
		fprintf(cli->out, "  unknown: no flash layout fits these option bytes\n");
		return;
	}
	for (int i = 0; i < f->map.n_sect; i++) {
		const struct sr_sector *s = &f->map.sect[i];
		if (!prot[i])
			continue;
		fprintf(cli->out, "  sector %u of bank %u, 0x%08X-0x%08X: %s\n", s->index, s->bank,
			s->addr, s->addr + s->size - 1, prot_names[prot[i]]);
		n++;
	}
	if (n == 0)
		fprintf(cli->out, "  no sector is write-protected\n");
}

static int show(struct sr_cli *cli, struct sr_cli_flash *s)
{
	struct sr_ob_report r = {.fam = s->f.fam, .dev = s->f.dev, .n_items = (uint32_t)s->f.map.n_sect};
	struct sr_ob_boot boot;
	uint8_t *wrp = NULL;
	if (!s->f.ob_ok) {
		sr_msgs_add(&s->f.why, "the option-byte registers of this %s did not answer",
			    s->f.dev->name);
		return sr_cli_flash_fail(s, SR_E_OB, "reading the option bytes");
	}
	int rc = sr_flash_protection(&s->f, &wrp);
	if (rc != SR_OK)
		return sr_cli_flash_fail(s, rc, "the write-protection map");
	r.v = s->f.ob; /* borrowed: freed with the flash */
	sr_cli_ob_boot(s, &boot);
	if (cli->json) {
		json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o}", "chip", s->f.dev->name, "dev_id",
				      sr_json_hex(s->f.dev->dev_id, 3), "option_bytes",
				      sr_cli_ob_json(&r), "boot", sr_cli_ob_boot_json(&boot),
				      "write_protected",
				      s->f.map.n_sect ? wrp_json(&s->f, wrp) : json_null());
		free(wrp);
		return sr_cli_json_out(cli, o);
	}
	sr_cli_ob_text(cli, &r);
	fputc('\n', cli->out);
	sr_cli_ob_boot_text(cli, &boot);
	wrp_text(cli, &s->f, wrp);
	free(wrp);
	return SR_EXIT_OK;
}

/* The chip and its option bytes, for reading only: no flash driver needed, the core left
 * as the connection left it. */
static int open_ro(struct sr_cli *cli, struct sr_cli_flash *s)
{
	int ex = sr_cli_flash_target(cli, s);
	if (ex != SR_EXIT_OK)
		return ex;
	struct sr_flash *f = &s->f;
	s->f_open = true;
	f->tg = s->tg;
	f->dev = s->tg->id.dev;
	if (!f->dev) {
		sr_msgs_add(&f->why, "the chip was not identified, so its option bytes are unknown");
		return sr_cli_flash_fail(s, SR_E_UNKNOWN_CHIP, "reading the option bytes");
	}
	f->fam = f->dev->family;
	f->erased = (uint8_t)f->dev->defs.erased;
	f->flash_size = s->tg->id.flash_kib_ok ? s->tg->id.flash_kib * 1024 : f->dev->flash_max;
	int rc = sr_flash_reload(f);
	if (rc == SR_OK || !f->ob_ok)
		return rc == SR_OK ? SR_EXIT_OK : sr_cli_flash_fail(s, rc, "the flash layout");
	/* Read, but no layout fits them (an H7 with swapped banks, say): show them all
	 * the same, a chip in trouble is when they matter most. */
	for (int i = 0; i < f->why.n; i++)
		sr_warn("%s; the option bytes are shown, the sectors they protect are not",
			f->why.v[i]);
	sr_msgs_free(&f->why);
	return SR_EXIT_OK;
}

int sr_cmd_ob_show(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_cli_flash s;
	if (argc > 1) {
		sr_cli_usage_error(sr_cmd_find("ob"), "ob show takes no arguments ('%s')", argv[1]);
		return SR_EXIT_USAGE;
	}
	int ex = open_ro(cli, &s);
	if (ex != SR_EXIT_OK) {
		sr_cli_flash_close(&s, true);
		return ex;
	}
	ex = show(cli, &s);
	sr_cli_flash_close(&s, true);
	return ex;
}
