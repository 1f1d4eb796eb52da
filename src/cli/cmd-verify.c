/* `stmrescue verify FILE [--base ADDR]`: read the flash back and compare it with the
 * image's bytes (bytes outside flash are listed by the pre-flight and not compared). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/flash-session.h"
#include "cli/image-check.h"
#include "common/error.h"
#include "common/util.h"

static int parse(int argc, char **argv, struct sr_cli_image *ci)
{
	const struct sr_cmd *self = sr_cmd_find("verify");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--base") && i + 1 < argc) {
			if (sr_parse_u32(argv[++i], &ci->opts.base) != 0) {
				sr_cli_usage_error(self, "--base %s: not an address", argv[i]);
				return SR_EXIT_USAGE;
			}
			ci->opts.has_base = true;
		} else if (argv[i][0] == '-' || ci->path) {
			sr_cli_usage_error(self, "unexpected '%s'", argv[i]);
			return SR_EXIT_USAGE;
		} else {
			ci->path = argv[i];
		}
	}
	if (!ci->path) {
		sr_cli_usage_error(self, "verify needs an image FILE");
		return SR_EXIT_USAGE;
	}
	return SR_EXIT_OK;
}

static int verify(struct sr_cli *cli, struct sr_cli_flash *s, struct sr_cli_image *ci)
{
	uint32_t first_bad = 0;
	uint64_t n_bad = 0;
	int ex = sr_cli_image_check(cli, s, ci, true, false);
	if (ex != SR_EXIT_OK)
		return ex;
	int rc = sr_flash_verify_image(&s->f, &ci->img, &first_bad, &n_bad);
	sr_cli_progress_end(&s->pg);
	if (rc != SR_OK && rc != SR_E_VERIFY)
		return sr_cli_flash_fail(s, rc, "reading the flash back");
	if (cli->json) {
		json_t *o = json_pack("{s:s, s:s, s:b, s:I, s:o}", "image", ci->path, "chip",
				      s->f.dev->name, "ok", rc == SR_OK, "differing_bytes",
				      (json_int_t)n_bad, "findings", sr_cli_findings_json(&ci->fd));
		if (n_bad)
			json_object_set_new(o, "first_difference", sr_json_hex(first_bad, 8));
		sr_cli_json_out(cli, o);
	} else if (rc == SR_OK) {
		fprintf(cli->out, "Verified: the flash holds %s.\n", ci->path);
	}
	if (rc == SR_E_VERIFY)
		return sr_cli_flash_fail(s, rc, "checking the flash against the image");
	return SR_EXIT_OK;
}

int sr_cmd_verify(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_cli_image ci = {0};
	struct sr_cli_flash s;
	int ex = parse(argc, argv, &ci);
	if (ex == SR_EXIT_OK)
		ex = sr_cli_image_load(cli, &ci);
	if (ex != SR_EXIT_OK)
		return ex;
	ex = sr_cli_flash_open(cli, &s);
	if (ex == SR_EXIT_OK) {
		ex = verify(cli, &s, &ci);
		sr_cli_flash_close(&s, true);
	}
	sr_cli_image_free(&ci);
	return ex;
}
