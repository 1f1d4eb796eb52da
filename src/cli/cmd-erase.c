/* `stmrescue erase --mass | --bank N | ADDR LEN [--no-backup]`: back up what will be
 * erased, erase it with its bank's own controls, and check by reading back that it
 * reads erased. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/flash-session.h"
#include "common/error.h"
#include "common/util.h"
#include "target/target.h"

enum what { E_NONE, E_MASS, E_BANK, E_RANGE };

struct erase_args {
	enum what what;
	uint32_t bank, addr, len;
	bool no_backup;
};

static int parse(int argc, char **argv, struct erase_args *a)
{
	const struct sr_cmd *self = sr_cmd_find("erase");
	int pos = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mass")) {
			a->what = E_MASS;
		} else if (!strcmp(argv[i], "--bank") && i + 1 < argc) {
			if (sr_parse_u32(argv[++i], &a->bank) || a->bank < 1 || a->bank > 2) {
				sr_cli_usage_error(self, "--bank takes 1 or 2");
				return SR_EXIT_USAGE;
			}
			a->what = E_BANK;
		} else if (!strcmp(argv[i], "--no-backup")) {
			a->no_backup = true;
		} else if (argv[i][0] != '-' && pos < 2 &&
			   sr_parse_u32(argv[i], pos ? &a->len : &a->addr) == 0) {
			pos++;
		} else {
			sr_cli_usage_error(self, "unexpected '%s'", argv[i]);
			return SR_EXIT_USAGE;
		}
	}
	if (pos == 2 && a->what == E_NONE && a->len)
		a->what = E_RANGE;
	if (a->what == E_NONE || (pos && a->what != E_RANGE)) {
		sr_cli_usage_error(self, "erase needs one of --mass, --bank N, or ADDR LEN (whole "
					 "sectors, e.g. 0x08010000 0x800)");
		return SR_EXIT_USAGE;
	}
	return SR_EXIT_OK;
}

/* What the erase covers, for the backup and the check. */
static void span(const struct sr_flash *f, const struct erase_args *a, uint32_t *addr,
		 uint32_t *len)
{
	if (a->what == E_RANGE) {
		*addr = a->addr;
		*len = a->len;
	} else if (a->what == E_BANK && a->bank <= (uint32_t)f->map.banks) {
		*addr = f->map.bank_base[a->bank - 1];
		*len = f->map.bank_size[a->bank - 1];
	} else {
		*addr = f->map.bank_base[0];
		*len = f->map.total;
		if (f->map.banks == 2 && f->map.bank_base[1] != f->map.bank_base[0] + f->map.bank_size[0])
			*len = f->map.bank_base[1] + f->map.bank_size[1] - *addr;
	}
}

/* Everything erased must read erased. */
static int check_erased(struct sr_cli_flash *s, uint32_t addr, uint32_t len, uint32_t *bad)
{
	uint8_t *buf = malloc(len);
	if (!buf)
		return SR_E_NOMEM;
	int rc = sr_target_read(s->tg, addr, buf, len);
	for (uint32_t i = 0; rc == SR_OK && i < len; i++)
		if (buf[i] != s->f.erased) {
			*bad = addr + i;
			sr_msgs_add(&s->f.why, "0x%08X reads 0x%02X after the erase", addr + i, buf[i]);
			rc = SR_E_VERIFY;
		}
	free(buf);
	return rc;
}

static int erase(struct sr_cli *cli, struct sr_cli_flash *s, struct erase_args *a)
{
	struct sr_backup b = {0};
	uint32_t addr, len, bad = 0;
	int rc, ex;
	span(&s->f, a, &addr, &len);
	if (a->what == E_RANGE && (rc = sr_flash_check_range(&s->f, addr, len)) != SR_OK)
		return sr_cli_flash_fail(s, rc, "the erase (nothing was erased)");
	if (a->what == E_BANK && a->bank > (uint32_t)s->f.map.banks) {
		sr_msgs_add(&s->f.why, "%s has %d bank%s with its option bytes as they are",
			    s->f.dev->name, s->f.map.banks, s->f.map.banks == 1 ? "" : "s");
		return sr_cli_flash_fail(s, SR_E_RANGE, "the erase (nothing was erased)");
	}
	if (!a->no_backup && (ex = sr_cli_flash_backup(cli, s, "erase", addr, len, &b)))
		return ex;
	if (a->what == E_MASS)
		rc = sr_flash_erase_mass(&s->f);
	else if (a->what == E_BANK)
		rc = sr_flash_erase_bank(&s->f, (int)a->bank);
	else
		rc = sr_flash_erase_range(&s->f, addr, len);
	if (rc == SR_OK)
		rc = check_erased(s, addr, len, &bad);
	if (rc != SR_OK)
		return sr_cli_flash_fail(s, rc, "the erase");
	sr_cli_progress_end(&s->pg);
	if (cli->json)
		sr_cli_json_out(cli, json_pack("{s:s, s:o, s:I, s:b, s:o}", "chip", s->f.dev->name,
					       "addr", sr_json_hex(addr, 8), "len", (json_int_t)len,
					       "checked", 1,
					       "backup", b.json_path[0] ? json_string(b.json_path)
								: json_null()));
	else
		fprintf(cli->out, "Erased 0x%08X-0x%08X (%u bytes); it reads back erased.\n", addr,
			addr + len - 1, len);
	return SR_EXIT_OK;
}

int sr_cmd_erase(struct sr_cli *cli, int argc, char **argv)
{
	struct erase_args a = {0};
	struct sr_cli_flash s;
	int ex = parse(argc, argv, &a);
	if (ex != SR_EXIT_OK)
		return ex;
	ex = sr_cli_flash_open(cli, &s);
	if (ex != SR_EXIT_OK)
		return ex;
	ex = erase(cli, &s, &a);
	sr_cli_flash_close(&s, true);
	return ex;
}
