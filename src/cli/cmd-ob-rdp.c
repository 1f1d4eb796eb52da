/*
 * `stmrescue rdp 0|1|2`: the read-out protection level (DIAGNOSES.md C10, C11).
 * 0 from level 1 is the regression: the chip mass-erases its flash (RM0090 3.7.3), so it
 * needs --yes and a backup of the option bytes and of what flash is readable is made
 * first; 2 closes the debug port for good and needs --i-accept-permanent-lockout. The
 * level is the RDP field's choice labelled "level N" in optbytes/.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/ob-change.h"
#include "common/error.h"

/* The read-out protection field of this family (RDP; RDPRT on the F1). */
static const struct sr_ob_field *rdp_field(const struct sr_flash *f)
{
	static const char *const names[] = {"RDP", "RDPRT"};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct sr_ob_field *fd = sr_ob_field_find(f->ob.t, names[i]);
		if (fd && sr_ob_field_applies(fd, f->dev->dev_id))
			return fd;
	}
	return NULL;
}

/* The plan for level LEVEL, empty when the chip is at that level already. */
static int plan(struct sr_cli_flash *s, struct sr_ob_plan *p, int level)
{
	char label[16];
	struct sr_msgs why = {0};
	const struct sr_ob_field *fd = rdp_field(&s->f);
	if (!fd) {
		sr_msgs_add(&s->f.why, "optbytes/%s.ini has no RDP field", s->f.fam->name);
		return SR_E_UNSUPPORTED;
	}
	snprintf(label, sizeof(label), "level %d", level);
	uint32_t now = sr_ob_field_value(&s->f.ob, fd);
	const struct sr_ob_choice *cur = sr_ob_choice_of(fd, now);
	if (cur && strcmp(cur->label, label) == 0)
		return SR_OK; /* e.g. RDP 0x55 and level 1 asked: keep the byte as it is */
	int rc = sr_cli_ob_plan_set(p, &s->f, fd->name, label, &why);
	sr_msgs_free(&why);
	if (rc == SR_OK)
		return SR_OK;
	sr_msgs_add(&s->f.why, "the %s has no read-out protection %s", s->f.dev->name, label);
	return SR_E_ARG;
}

static int parse(int argc, char **argv, int *level, struct sr_ob_accept *a)
{
	const struct sr_cmd *self = sr_cmd_find("rdp");
	*level = -1;
	for (int i = 1; i < argc; i++) {
		if (sr_cli_ob_accept_arg(argv[i], a))
			continue;
		if (*level < 0 && argv[i][0] >= '0' && argv[i][0] <= '2' && !argv[i][1]) {
			*level = argv[i][0] - '0';
			continue;
		}
		sr_cli_usage_error(self, "unexpected '%s'; the flags are:\n%s", argv[i],
				   sr_cli_ob_accept_help);
		return SR_EXIT_USAGE;
	}
	if (*level < 0) {
		sr_cli_usage_error(self, "rdp needs the level: 0, 1 or 2");
		return SR_EXIT_USAGE;
	}
	return SR_EXIT_OK;
}

int sr_cmd_rdp(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_ob_accept a = {0};
	struct sr_ob_plan p;
	struct sr_cli_flash s;
	int level, ex = parse(argc, argv, &level, &a);
	if (ex != SR_EXIT_OK || (ex = sr_cli_flash_open(cli, &s)) != SR_EXIT_OK)
		return ex;
	int rc = sr_cli_ob_plan_init(&p, &s.f);
	if (rc == SR_OK)
		rc = plan(&s, &p, level);
	if (rc != SR_OK) {
		ex = sr_cli_flash_fail(&s, rc, "changing the read-out protection");
	} else {
		sr_cli_ob_plan_diff(&p, &s.f);
		ex = sr_cli_ob_apply(cli, &s, &p, &a, level == 0 ? "rdp0" : "rdp");
	}
	sr_cli_ob_plan_free(&p);
	sr_cli_flash_close(&s, true);
	return ex;
}
