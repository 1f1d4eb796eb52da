/*
 * `stmrescue info`: the probe, how the connection was made and what the attempts
 * saw, the chip's IDs and sizes, protection, option bytes against factory,
 * FLASH_SR/CR decoded and the reset flags. Text in info-text.c, JSON in info-json.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/info.h"
#include "common/error.h"
#include "common/log.h"
#include "target/target.h"

/* A register of the family's [regs], read and kept with its [bits] table. */
static void read_reg(struct sr_info *in, const char *name, struct sr_info_reg *r)
{
	const struct sr_family *fam = in->tg->id.dev->family;
	uint32_t addr = sr_family_reg(fam, name);
	r->name = name;
	r->bits = sr_family_bits(fam, name);
	r->ok = addr && sr_target_read32(in->tg, addr, &r->value) == SR_OK;
}

static void read_reset_flags(struct sr_info *in)
{
	const struct sr_device *dev = in->tg->id.dev;
	struct sr_info_reg *r = &in->rcc_csr;
	r->name = "RCC_CSR";
	r->bits = sr_family_bits(dev->family, "RCC_CSR");
	r->ok = dev->defs.rcc_csr && sr_target_read32(in->tg, dev->defs.rcc_csr, &r->value) == SR_OK;
}

static void read_option_bytes(struct sr_info *in)
{
	const struct sr_device *dev = in->tg->id.dev;
	in->ob.fam = dev->family;
	in->ob.dev = dev;
	in->ob_ok = sr_target_read_ob(in->tg, &in->ob.v) == SR_OK;
	if (!in->ob_ok)
		return;
	uint32_t kib = in->tg->id.flash_kib_ok ? in->tg->id.flash_kib : dev->flash_max / 1024;
	in->map_ok = sr_flash_map_build(dev, kib, sr_ob_values_lookup, &in->ob.v, &in->map) ==
		     SR_OK;
	if (in->map_ok)
		in->ob.n_items = (uint32_t)in->map.n_sect;
}

static void gather(struct sr_cli *cli, struct sr_info *in)
{
	in->rc = sr_cli_target(cli, &in->tg, &in->stage, &in->why);
	if (in->stage != SR_STAGE_READY)
		return;
	read_reg(in, "SR", &in->flash_sr);
	read_reg(in, "CR", &in->flash_cr);
	read_reset_flags(in);
	read_option_bytes(in);
}

int sr_cmd_info(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_info in = {0};
	if (argc > 1) {
		sr_cli_usage_error(sr_cmd_find("info"), "info takes no arguments");
		return SR_EXIT_USAGE;
	}
	gather(cli, &in);
	if (cli->json)
		sr_cli_json_out(cli, sr_info_json(&in));
	else
		sr_info_text(cli, &in);
	if (in.stage != SR_STAGE_READY && !cli->json)
		for (int i = 0; i < in.why.n; i++)
			sr_cli_error("%s", in.why.v[i]);
	if (in.map_ok)
		sr_flash_map_free(&in.map);
	if (in.ob_ok || in.ob.v.raw)
		sr_ob_values_free(&in.ob.v);
	sr_target_close(in.tg, true);
	sr_msgs_free(&in.why);
	if (in.stage == SR_STAGE_OPEN && in.rc != SR_E_ARG)
		return SR_EXIT_PROBE; /* no probe to talk to, whatever the reason */
	return sr_cli_exit_of(in.rc);
}
