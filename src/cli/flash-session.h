/* What the flash commands (program, verify, erase, ob set, rdp) share: the target and
 * its flash opened together, failures printed with their explanations, the progress
 * bar on stderr when it is a terminal. */
#ifndef SR_CLI_FLASH_SESSION_H
#define SR_CLI_FLASH_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cli/cli.h"
#include "flash/backup.h"
#include "flash/flash.h"

struct sr_cli_progress {
	bool on;
	const char *phase;
	struct timespec t0;
	int last_pct;
};

struct sr_cli_flash {
	struct sr_target *tg;
	struct sr_flash f;
	bool f_open;
	struct sr_cli_progress pg;
};

/* Open, connect, identify (the flash left closed). Returns an exit code; on failure the
 * reasons are printed and s->tg is NULL. */
int sr_cli_flash_target(struct sr_cli *cli, struct sr_cli_flash *s);
/* Open, connect, identify, open the flash. Returns an exit code; on failure the reasons
 * are printed (text) and the session is closed. */
int sr_cli_flash_open(struct sr_cli *cli, struct sr_cli_flash *s);
void sr_cli_flash_close(struct sr_cli_flash *s, bool resume);
/* Print f.why (each line), then WHAT failed with RC; the exit code for RC. */
int sr_cli_flash_fail(struct sr_cli_flash *s, int rc, const char *what);
/* Back up the flash [ADDR, ADDR+LEN) and the option bytes unless NO_BACKUP; prints the
 * paths. Returns an exit code (a backup that cannot be written stops the command). */
int sr_cli_flash_backup(struct sr_cli *cli, struct sr_cli_flash *s, const char *reason,
			uint32_t addr, uint32_t len, struct sr_backup *b);

/* The progress callback (ctx: struct sr_cli_progress); progress.c. */
void sr_cli_progress_init(struct sr_cli_progress *p);
void sr_cli_progress_cb(void *ctx, const char *phase, uint64_t done, uint64_t total);
void sr_cli_progress_end(struct sr_cli_progress *p);

/* Virtual-lab figures for the report: false on real USB. */
bool sr_cli_sim_stats(struct sr_cli_flash *s, uint64_t *ns, uint64_t *xfers);

#endif
