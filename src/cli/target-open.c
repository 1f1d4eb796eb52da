/* Batch commands' way to a target: open the probe, connect, identify, per the global options. */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"
#include "common/error.h"
#include "target/target.h"

int sr_cli_exit_of(int err)
{
	switch (err) {
	case SR_OK: return SR_EXIT_OK;
	case SR_E_ARG: return SR_EXIT_USAGE;
	case SR_E_NODATA: return SR_EXIT_DATA;
	case SR_E_NOPOWER:
	case SR_E_SWD_WAIT:
	case SR_E_SWD_FAULT:
	case SR_E_SWD_NOANSWER:
	case SR_E_TIMEOUT:
	case SR_E_TARGET: return SR_EXIT_CONNECT;
	case SR_E_VERIFY: return SR_EXIT_VERIFY;
	case SR_E_REFUSED: return SR_EXIT_REFUSED;
	default:
		return err <= SR_E_USB && err > SR_E_SWD_WAIT ? SR_EXIT_PROBE : SR_EXIT_FAIL;
	}
}

int sr_cli_target(struct sr_cli *cli, struct sr_target **out, enum sr_cli_stage *stage,
		  struct sr_msgs *why)
{
	enum sr_connect_mode mode = SR_CONNECT_AUTO;
	struct sr_target *tg = NULL;
	*out = NULL;
	*stage = SR_STAGE_OPEN;
	if (cli->connect && sr_connect_mode_parse(cli->connect, &mode) != SR_OK) {
		sr_msgs_add(why, "--connect %s: use auto, normal, hotplug or under-reset",
			    cli->connect);
		return SR_E_ARG;
	}
	int rc = sr_target_open(cli->probe, cli->db, &tg, why);
	if (rc != SR_OK)
		return rc;
	*out = tg;
	*stage = SR_STAGE_CONNECT;
	if ((rc = sr_target_connect(tg, mode, why)) != SR_OK)
		return rc;
	*stage = SR_STAGE_IDENTIFY;
	if ((rc = sr_target_identify(tg, why)) != SR_OK)
		return rc;
	*stage = SR_STAGE_READY;
	return SR_OK;
}
