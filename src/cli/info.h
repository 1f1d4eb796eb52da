/* What `info` gathered, shared by its text and JSON output. */
#ifndef SR_CLI_INFO_H
#define SR_CLI_INFO_H

#include "cli/cli.h"
#include "db/family.h"
#include "target/target.h"

struct sr_info_reg {
	const char *name;
	const struct sr_regbits *bits;
	bool ok;
	uint32_t value;
};

struct sr_info {
	struct sr_target *tg;
	enum sr_cli_stage stage;
	int rc;
	struct sr_msgs why;
	struct sr_info_reg flash_sr, flash_cr, rcc_csr;
	struct sr_ob_report ob;
	bool ob_ok, map_ok;
	struct sr_flash_map map;
};

void sr_info_text(struct sr_cli *cli, const struct sr_info *in);
json_t *sr_info_json(const struct sr_info *in);

/* Shared by both: the RDP level ("level 1") and its field's meaning, or NULL. */
const char *sr_info_rdp(const struct sr_info *in, char *meaning, size_t len);
/* Names of the bits set in R (flags of any kind but control when FLAGS_ONLY). */
void sr_info_bits(const struct sr_info_reg *r, char *buf, size_t len);

#endif
