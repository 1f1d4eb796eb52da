/* What the option-byte commands share (ob set, ob restore-defaults, rdp, ob show): a
 * change planned field by field against the option bytes read from the chip, its guards
 * and write (cmd-ob-change.c), and the boot address the option bytes give (cmd-ob-boot.c). */
#ifndef SR_CLI_OB_CHANGE_H
#define SR_CLI_OB_CHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/flash-session.h"

/* One field that changes. */
struct sr_ob_edit {
	const struct sr_ob_field *fd;
	uint32_t from, to;
	unsigned danger; /* sr_ob_change_danger(from, to) */
};

struct sr_ob_plan {
	struct sr_ob_values want; /* as read, with the edits; given: the registers that change */
	struct sr_ob_values had;  /* as read */
	struct sr_ob_edit *v;
	int n;
	unsigned danger; /* of all edits */
};

/* Consequences accepted on the command line (flags named after them). */
struct sr_ob_accept {
	bool irreversible;  /* --i-accept-irreversible (or --i-accept-permanent-lockout) */
	bool debug_lockout; /* --i-accept-debug-lockout (or --i-accept-permanent-lockout) */
};

/* Is ARG one of the consequence flags? Records it in A. */
bool sr_cli_ob_accept_arg(const char *arg, struct sr_ob_accept *a);
/* The flags' help, for usage errors. */
extern const char sr_cli_ob_accept_help[];

/* Start from the option bytes F read (SR_E_OB when they could not be read). */
int sr_cli_ob_plan_init(struct sr_ob_plan *p, struct sr_flash *f);
void sr_cli_ob_plan_free(struct sr_ob_plan *p);
/* FIELD := TEXT (a choice label, a number, an address, a sector list), validated for this
 * chip; WHY says why not. */
int sr_cli_ob_plan_set(struct sr_ob_plan *p, const struct sr_flash *f, const char *field,
		       const char *text, struct sr_msgs *why);
/* Every field of this chip to its factory default. */
void sr_cli_ob_plan_defaults(struct sr_ob_plan *p, const struct sr_flash *f);
/* List the fields that change (p->v), and keep only their registers given. */
void sr_cli_ob_plan_diff(struct sr_ob_plan *p, const struct sr_flash *f);

/* Show the change, refuse what is not accepted (exit 7), back up (the option bytes; the
 * flash too when the change erases it), write, read back and report. REASON names the
 * backup ("ob-set", "rdp0"). Returns the exit code. */
int sr_cli_ob_apply(struct sr_cli *cli, struct sr_cli_flash *s, struct sr_ob_plan *p,
		    const struct sr_ob_accept *a, const char *reason);

/* The boot address the option bytes give, and the vector table there (DIAGNOSES.md 4, 19). */
struct sr_ob_boot {
	uint32_t addr[2];     /* with the BOOT0 pin low, high */
	char from[2][96];     /* "BOOT_ADD0 = 0x0080", "main flash" */
	char what[2][96];     /* the memory there */
	int forced;           /* -1: the BOOT0 pin decides; 0/1: the option bits force BOOT0 */
	char note[200];       /* why the pin is ignored */
	int eff;              /* the address checked: forced, else BOOT0 low */
	bool vec_read, vec_ok;
	uint32_t sp, pc;
	char vec_why[240];
};
void sr_cli_ob_boot(struct sr_cli_flash *s, struct sr_ob_boot *b);
void sr_cli_ob_boot_text(struct sr_cli *cli, const struct sr_ob_boot *b);
json_t *sr_cli_ob_boot_json(const struct sr_ob_boot *b);

#endif
