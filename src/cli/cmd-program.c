/*
 * `stmrescue program FILE [--base ADDR] [--verify] [--reset] [--skip-outside]
 * [--no-backup]`: check the image against the chip, back up the sectors it erases,
 * erase them, program whole units, and read everything back (always: a write is never
 * reported as done without it, DIAGNOSES.md 17).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/flash-session.h"
#include "cli/image-check.h"
#include "common/error.h"
#include "common/util.h"
#include "target/target.h"

struct prog_args {
	struct sr_cli_image ci;
	bool reset, skip_outside, no_backup, readback;
};

static int parse(int argc, char **argv, struct prog_args *a)
{
	const struct sr_cmd *self = sr_cmd_find("program");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--base") && i + 1 < argc) {
			if (sr_parse_u32(argv[++i], &a->ci.opts.base) != 0) {
				sr_cli_usage_error(self, "--base %s: not an address", argv[i]);
				return SR_EXIT_USAGE;
			}
			a->ci.opts.has_base = true;
		} else if (!strcmp(argv[i], "--verify")) {
			/* always done; accepted for scripts written for other tools */
		} else if (!strcmp(argv[i], "--verify=readback")) {
			a->readback = true;
		} else if (!strcmp(argv[i], "--reset")) {
			a->reset = true;
		} else if (!strcmp(argv[i], "--skip-outside")) {
			a->skip_outside = true;
		} else if (!strcmp(argv[i], "--no-backup")) {
			a->no_backup = true;
		} else if (argv[i][0] == '-' || a->ci.path) {
			sr_cli_usage_error(self, "unexpected '%s'", argv[i]);
			return SR_EXIT_USAGE;
		} else {
			a->ci.path = argv[i];
		}
	}
	if (!a->ci.path) {
		sr_cli_usage_error(self, "program needs an image FILE (.elf, .hex, .srec, or .bin "
					 "with --base)");
		return SR_EXIT_USAGE;
	}
	return SR_EXIT_OK;
}

/* The span of the sectors the plan erases (for the backup). */
static void plan_span(const struct sr_plan *p, uint32_t *addr, uint32_t *len)
{
	uint32_t lo = UINT32_MAX, hi = 0;
	for (int i = 0; i < p->n; i++) {
		const struct sr_sector *s = p->v[i].sect;
		lo = s->addr < lo ? s->addr : lo;
		hi = s->addr + s->size > hi ? s->addr + s->size : hi;
	}
	*addr = p->n ? lo : 0;
	*len = p->n ? hi - lo : 0;
}

/* Reset and let the new program run; report where it starts. */
static int reset_run(struct sr_cli_flash *s, uint32_t *pc)
{
	int rc = sr_cm_reset_halt(s->tg);
	if (rc == SR_OK)
		rc = sr_cm_read_reg(s->tg, 15, pc);
	if (rc == SR_OK)
		rc = sr_cm_run(s->tg);
	s->tg->halted_by_us = false;
	return rc;
}

static void report(struct sr_cli *cli, struct sr_cli_flash *s, struct prog_args *a,
		   const struct sr_backup *b, bool reset, uint32_t pc)
{
	uint64_t ns = 0, xf = 0;
	bool sim = sr_cli_sim_stats(s, &ns, &xf);
	const struct sr_plan *p = &a->ci.plan;
	uint64_t erased = 0;
	for (int i = 0; i < p->n; i++)
		erased += p->v[i].sect->size;
	if (cli->json) {
		json_t *o = json_pack(
		    "{s:s, s:s, s:s, s:I, s:o, s:I, s:s, s:I, s:I, s:{s:b, s:I, s:I}}", "image",
		    a->ci.path, "format", sr_image_format_name(a->ci.img.format), "chip",
		    s->f.dev->name, "image_bytes", (json_int_t)sr_image_bytes(&a->ci.img),
		    "findings", sr_cli_findings_json(&a->ci.fd), "unit", (json_int_t)s->f.unit,
		    "unit_why", s->f.unit_why, "erased_bytes", (json_int_t)erased, "written_bytes",
		    (json_int_t)p->write_bytes, "verify", "ok", 1, "crc_bytes", (json_int_t)s->f.crc_bytes,
		    "read_back_bytes", (json_int_t)s->f.read_bytes);
		json_object_set_new(o, "backup", b->json_path[0] ? json_string(b->json_path)
								 : json_null());
		if (reset)
			json_object_set_new(o, "started_at", sr_json_hex(pc, 8));
		if (sim)
			json_object_set_new(o, "virtual", json_pack("{s:I, s:I}", "ns",
								    (json_int_t)ns, "transactions",
								    (json_int_t)xf));
		sr_cli_json_out(cli, o);
		return;
	}
	fprintf(cli->out, "Programming unit: %u bytes, %s\n", s->f.unit, s->f.unit_why);
	fprintf(cli->out, "Erased %d sector%s (%llu bytes), wrote %llu bytes, verified: OK (",
		p->n, p->n == 1 ? "" : "s", (unsigned long long)erased,
		(unsigned long long)p->write_bytes);
	if (s->f.crc_bytes)
		fprintf(cli->out, "CRC-32 computed on the target over %llu bytes%s",
			(unsigned long long)s->f.crc_bytes, s->f.read_bytes ? ", " : "");
	if (s->f.read_bytes)
		fprintf(cli->out, "read back %llu bytes", (unsigned long long)s->f.read_bytes);
	fprintf(cli->out, ")\n");
	if (reset)
		fprintf(cli->out, "Reset: the core starts at 0x%08X and runs.\n", pc);
	if (sim)
		fprintf(cli->out, "Virtual lab: %.3f s virtual time, %llu USB transactions.\n",
			(double)ns / 1e9, (unsigned long long)xf);
}

static int program(struct sr_cli *cli, struct sr_cli_flash *s, struct prog_args *a)
{
	struct sr_backup b = {0};
	uint32_t addr, len, first_bad, pc = 0;
	uint64_t n_bad;
	int ex = sr_cli_image_check(cli, s, &a->ci, a->skip_outside, true);
	if (ex != SR_EXIT_OK)
		return ex;
	plan_span(&a->ci.plan, &addr, &len);
	s->f.no_crc = a->readback;
	if (!a->no_backup && (ex = sr_cli_flash_backup(cli, s, "program", addr, len, &b)))
		return ex;
	int rc = sr_flash_program_plan(&s->f, &a->ci.plan);
	if (rc != SR_OK)
		return sr_cli_flash_fail(s, rc, "programming");
	rc = sr_flash_verify_plan(&s->f, &a->ci.plan, &first_bad, &n_bad);
	if (rc != SR_OK)
		return sr_cli_flash_fail(s, rc, "checking what was programmed");
	sr_cli_progress_end(&s->pg);
	if (a->reset && (rc = reset_run(s, &pc)) != SR_OK)
		return sr_cli_flash_fail(s, rc, "the reset after programming");
	report(cli, s, a, &b, a->reset, pc);
	return SR_EXIT_OK;
}

int sr_cmd_program(struct sr_cli *cli, int argc, char **argv)
{
	struct prog_args a = {0};
	struct sr_cli_flash s;
	int ex = parse(argc, argv, &a);
	if (ex == SR_EXIT_OK)
		ex = sr_cli_image_load(cli, &a.ci);
	if (ex != SR_EXIT_OK)
		return ex;
	ex = sr_cli_flash_open(cli, &s);
	if (ex == SR_EXIT_OK) {
		ex = program(cli, &s, &a);
		sr_cli_flash_close(&s, true);
	}
	sr_cli_image_free(&a.ci);
	return ex;
}
