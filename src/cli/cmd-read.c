/* `stmrescue read ADDR LEN FILE`: memory of the target into a file, as it is. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/util.h"
#include "target/target.h"

/* A fault in a RAM region that needs a clock enable (DIAGNOSES.md 3): say which bit. */
static bool explain_gated(struct sr_target *tg, uint32_t fault)
{
	const struct sr_device *dev = tg->id.dev;
	for (int i = 0; i < dev->n_ram; i++) {
		const struct sr_ram_region *r = &dev->ram[i];
		uint32_t en = 0;
		if (!r->enable.addr || fault < r->base || fault - r->base >= r->size)
			continue;
		bool known = sr_target_read32(tg, r->enable.addr, &en) == SR_OK;
		sr_cli_error("reading 0x%08X faulted: it is in %s, which answers only while its "
			     "clock enable (bit %u of 0x%08X) is set; that bit is %s. Firmware "
			     "enables it before use; a loader or buffer must not be placed there "
			     "otherwise",
			     fault, r->name, r->enable.bit, r->enable.addr,
			     !known ? "unreadable" : (en >> r->enable.bit) & 1 ? "set" : "0");
		return true;
	}
	return false;
}

/* A failed read of flash explained: RDP level 1 blocks the debugger (DIAGNOSES.md C10). */
static void explain_fault(struct sr_target *tg, uint32_t fault)
{
	const struct sr_device *dev = tg->id.dev;
	uint32_t base = dev->defs.flash_base;
	if (fault >= base && fault - base < dev->flash_max)
		sr_cli_error("reading flash at 0x%08X faulted: the flash is read-protected (RDP "
			     "level 1 blocks the debugger's reads). 'stmrescue info' shows the "
			     "level; going back to level 0 erases the whole flash",
			     fault);
	else if (!explain_gated(tg, fault))
		sr_cli_error("reading 0x%08X faulted: nothing answers there on %s (not in its "
			     "memory map, or a region whose clock is off)",
			     fault, dev->name);
}

static int save(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		sr_cli_error("cannot write %s: %s", path, strerror(errno));
		return SR_EXIT_FAIL;
	}
	return SR_EXIT_OK;
}

int sr_cmd_read(struct sr_cli *cli, int argc, char **argv)
{
	const struct sr_cmd *self = sr_cmd_find("read");
	uint32_t addr, len;
	if (argc != 4 || sr_parse_u32(argv[1], &addr) || sr_parse_u32(argv[2], &len) || !len) {
		sr_cli_usage_error(self, "read needs ADDR LEN FILE, e.g. 0x08000000 0x4000 out.bin");
		return SR_EXIT_USAGE;
	}
	struct sr_msgs why = {0};
	struct sr_target *tg;
	enum sr_cli_stage stage;
	int rc = sr_cli_target(cli, &tg, &stage, &why);
	for (int i = 0; rc != SR_OK && i < why.n; i++)
		sr_cli_error("%s", why.v[i]);
	sr_msgs_free(&why);
	if (rc != SR_OK) {
		sr_target_close(tg, true);
		return stage == SR_STAGE_OPEN && rc != SR_E_ARG ? SR_EXIT_PROBE : sr_cli_exit_of(rc);
	}
	uint8_t *buf = sr_calloc(1, len);
	rc = sr_target_read(tg, addr, buf, len);
	int ex = SR_EXIT_OK;
	if (rc == SR_E_SWD_FAULT) {
		explain_fault(tg, tg->sl.fault_addr);
		ex = SR_EXIT_FAIL;
	} else if (rc != SR_OK) {
		sr_cli_error("reading 0x%08X failed: %s; run 'stmrescue info' to see the probe and "
			     "target state (-v --log FILE records the exchange)",
			     addr, sr_strerror(rc));
		ex = sr_cli_exit_of(rc);
	} else {
		ex = save(argv[3], buf, len);
	}
	if (ex == SR_EXIT_OK && cli->json)
		sr_cli_json_out(cli, json_pack("{s:o, s:I, s:s}", "addr", sr_json_hex(addr, 8),
					       "len", (json_int_t)len, "file", argv[3]));
	else if (ex == SR_EXIT_OK)
		fprintf(cli->out, "Read %u bytes at 0x%08X into %s.\n", len, addr, argv[3]);
	free(buf);
	sr_target_close(tg, true);
	return ex;
}
