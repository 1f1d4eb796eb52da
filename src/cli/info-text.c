/* `info` for people. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/info.h"
#include "common/error.h"
#include "common/util.h"

const char *sr_info_rdp(const struct sr_info *in, char *meaning, size_t len)
{
	static const char *const names[] = {"RDP", "RDPRT"};
	if (!in->ob_ok)
		return NULL;
	for (size_t i = 0; i < SR_ARRAY_SIZE(names); i++) {
		const struct sr_ob_field *f = sr_ob_field_find(in->ob.v.t, names[i]);
		if (!f)
			continue;
		uint32_t v = sr_ob_field_value(&in->ob.v, f);
		const struct sr_ob_choice *c = sr_ob_choice_of(f, v);
		sr_ob_describe(f, v, meaning, len);
		return c ? c->label : NULL;
	}
	return NULL;
}

void sr_info_bits(const struct sr_info_reg *r, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; r->bits && i < r->bits->n; i++) {
		const struct sr_bitdef *b = &r->bits->bits[i];
		uint32_t v = sr_field_get(r->value, b->hi, b->lo);
		if (!v || n + strlen(b->name) + 8 >= len)
			continue;
		n += (size_t)snprintf(buf + n, len - n, b->hi == b->lo ? "%s%s" : "%s%s=%u",
				      n ? " " : "", b->name, v);
	}
}

static void print_probe(struct sr_cli *cli, const struct sr_target *tg)
{
	const struct sr_stlink *sl = &tg->sl;
	fprintf(cli->out, "Probe      %s (0483:%04x), serial %s, firmware %s\n",
		sr_stlink_pid_name(tg->t->pid), tg->t->pid, tg->t->serial, sl->version);
	if (tg->mv_known)
		fprintf(cli->out, "Target     %u.%02u V", tg->target_mv / 1000,
			tg->target_mv % 1000 / 10);
	else
		fprintf(cli->out, "Target     voltage not measurable by this probe");
	if (sl->swd_khz)
		fprintf(cli->out, ", SWD %u kHz", sl->swd_khz);
	fputc('\n', cli->out);
	char note[400];
	if (sr_stlink_fw_note(sl, note, sizeof(note)))
		fprintf(cli->out, "Firmware   %s\n", note);
	if (sl->found_mode == STLINK_MODE_DEBUG || sl->drained || sl->usb_reset_done)
		fprintf(cli->out, "Recovered  probe found in %s mode%s%s; brought back without "
				  "a replug\n",
			sr_stlink_mode_name(sl->found_mode),
			sl->drained ? ", stale reply bytes drained" : "",
			sl->usb_reset_done ? ", USB port reset" : "");
}

static void print_connect(struct sr_cli *cli, const struct sr_target *tg)
{
	for (int i = 0; i < tg->n_attempts; i++) {
		const struct sr_connect_attempt *a = &tg->attempts[i];
		fprintf(cli->out, "%-10s %-11s %s: %s\n", i ? "" : "Connect",
			sr_connect_mode_name(a->mode), a->rc == SR_OK ? "ok" : "failed", a->saw);
	}
	if (tg->implies[0])
		fprintf(cli->out, "%-10s %s\n", tg->connected ? "Means" : "Diagnosis", tg->implies);
}

static void print_chip(struct sr_cli *cli, const struct sr_info *in)
{
	const struct sr_ident *id = &in->tg->id;
	fprintf(cli->out, "Chip       %s (device 0x%03X, revision %s 0x%04X), %s\n",
		id->dev->name, id->dev_id, id->rev_name ? id->rev_name : "?", id->rev_id, id->core);
	fprintf(cli->out, "IDs        DP IDCODE 0x%08X, CPUID 0x%08X, DBGMCU_IDCODE 0x%08X at "
			  "0x%08X\n",
		id->dp_idcode, id->cpuid, id->dbgmcu_idcode, id->idcode_addr);
	if (id->flash_kib_ok)
		fprintf(cli->out, "Flash      %u KiB (flash size register)", id->flash_kib);
	else
		fprintf(cli->out, "Flash      size register unreadable; up to %u KiB",
			id->dev->flash_max / 1024);
	if (in->map_ok)
		fprintf(cli->out, " at 0x%08X, %d bank%s, %d sectors/pages", in->map.bank_base[0],
			in->map.banks, in->map.banks > 1 ? "s" : "", in->map.n_sect);
	fputc('\n', cli->out);
	for (int i = 0; i < id->dev->n_ram; i++)
		fprintf(cli->out, "%-10s %-8s 0x%08X %u KiB\n", i ? "" : "RAM", id->dev->ram[i].name,
			id->dev->ram[i].base, id->dev->ram[i].size / 1024);
	if (id->uid_ok) {
		fprintf(cli->out, "UID        ");
		for (int i = 11; i >= 0; i--)
			fprintf(cli->out, "%02X", id->uid[i]);
		fputc('\n', cli->out);
	}
}

static void print_reg(struct sr_cli *cli, const char *label, const struct sr_info_reg *r)
{
	char bits[256];
	if (!r->ok) {
		fprintf(cli->out, "%-10s unreadable\n", label);
		return;
	}
	sr_info_bits(r, bits, sizeof(bits));
	fprintf(cli->out, "%-10s 0x%08X %s\n", label, r->value, bits[0] ? bits : "(no bits set)");
}

void sr_info_text(struct sr_cli *cli, const struct sr_info *in)
{
	char meaning[512];
	if (!in->tg)
		return;
	print_probe(cli, in->tg);
	print_connect(cli, in->tg);
	if (in->stage != SR_STAGE_READY)
		return;
	print_chip(cli, in);
	const char *rdp = sr_info_rdp(in, meaning, sizeof(meaning));
	fprintf(cli->out, "RDP        %s\n", rdp ? meaning : "unknown");
	print_reg(cli, "FLASH_SR", &in->flash_sr);
	print_reg(cli, "FLASH_CR", &in->flash_cr);
	print_reg(cli, "Reset", &in->rcc_csr);
	if (in->ob_ok) {
		fputc('\n', cli->out);
		sr_cli_ob_text(cli, (struct sr_ob_report *)&in->ob);
	}
}
