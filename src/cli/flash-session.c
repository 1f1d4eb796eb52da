/* The target and its flash for the flash commands; see flash-session.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/flash-session.h"
#include "common/error.h"
#include "probe/transport.h"
#include "target/target.h"

int sr_cli_flash_target(struct sr_cli *cli, struct sr_cli_flash *s)
{
	struct sr_msgs why = {0};
	enum sr_cli_stage stage;
	memset(s, 0, sizeof(*s));
	int rc = sr_cli_target(cli, &s->tg, &stage, &why);
	for (int i = 0; rc != SR_OK && i < why.n; i++)
		sr_cli_error("%s", why.v[i]);
	sr_msgs_free(&why);
	if (rc != SR_OK) {
		sr_target_close(s->tg, true);
		s->tg = NULL;
		return stage == SR_STAGE_OPEN && rc != SR_E_ARG ? SR_EXIT_PROBE : sr_cli_exit_of(rc);
	}
	return SR_EXIT_OK;
}

int sr_cli_flash_open(struct sr_cli *cli, struct sr_cli_flash *s)
{
	int ex = sr_cli_flash_target(cli, s);
	if (ex != SR_EXIT_OK)
		return ex;
	int rc = sr_flash_open(s->tg, &s->f);
	s->f_open = true;
	if (rc != SR_OK) {
		ex = sr_cli_flash_fail(s, rc, "preparing the flash");
		sr_cli_flash_close(s, true);
		return ex;
	}
	sr_cli_progress_init(&s->pg);
	s->f.progress = sr_cli_progress_cb;
	s->f.progress_ctx = &s->pg;
	return SR_EXIT_OK;
}

void sr_cli_flash_close(struct sr_cli_flash *s, bool resume)
{
	sr_cli_progress_end(&s->pg);
	if (s->f_open)
		sr_flash_close(&s->f);
	s->f_open = false;
	if (s->tg)
		sr_target_close(s->tg, resume);
	s->tg = NULL;
}

int sr_cli_flash_fail(struct sr_cli_flash *s, int rc, const char *what)
{
	sr_cli_progress_end(&s->pg);
	for (int i = 0; i < s->f.why.n; i++)
		sr_cli_error("%s", s->f.why.v[i]);
	sr_cli_error("%s failed: %s", what, sr_strerror(rc));
	sr_msgs_free(&s->f.why);
	return sr_cli_exit_of(rc);
}

int sr_cli_flash_backup(struct sr_cli *cli, struct sr_cli_flash *s, const char *reason,
			uint32_t addr, uint32_t len, struct sr_backup *b)
{
	int rc = sr_backup_save(&s->f, reason, addr, len, b);
	sr_cli_progress_end(&s->pg);
	if (rc != SR_OK)
		return sr_cli_flash_fail(s, rc, "the backup");
	if (!cli->json) {
		fprintf(cli->out, "Backup: %s", b->json_path);
		if (b->flash_ok)
			fprintf(cli->out, " and %s (0x%08X, %u bytes)", b->bin_path, addr, len);
		fprintf(cli->out, "\n");
		if (len && !b->flash_ok)
			fprintf(cli->out, "  %s\n", b->flash_why);
	}
	return SR_EXIT_OK;
}

bool sr_cli_sim_stats(struct sr_cli_flash *s, uint64_t *ns, uint64_t *xfers)
{
	return s->tg && sr_sim_transport_stats(s->tg->t, ns, xfers) == SR_OK;
}
