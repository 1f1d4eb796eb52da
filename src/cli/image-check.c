/* Image loading and pre-flight for the flash commands. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/image-check.h"
#include "common/error.h"

int sr_cli_image_load(struct sr_cli *cli, struct sr_cli_image *ci)
{
	struct sr_msgs why = {0};
	(void)cli;
	int rc = sr_image_load(ci->path, &ci->opts, &ci->img, &why);
	for (int i = 0; i < why.n; i++)
		sr_cli_error("%s", why.v[i]);
	sr_msgs_free(&why);
	if (rc != SR_OK) {
		sr_cli_error("%s was not used: nothing was erased or written", ci->path);
		return rc == SR_E_ARG ? SR_EXIT_USAGE : SR_EXIT_FAIL;
	}
	ci->loaded = true;
	return SR_EXIT_OK;
}

/* FOR_WRITE false (verify): what erasing would do is not shown. */
static void print_findings(struct sr_cli *cli, const struct sr_findings *fd, bool for_write)
{
	for (int i = 0; i < fd->n; i++) {
		const struct sr_finding *x = &fd->v[i];
		if (!for_write && !strncmp(x->id, "erase", 5))
			continue;
		FILE *to = x->sev == SR_SEV_ERROR || cli->json ? stderr : cli->out;
		fprintf(to, "  %-7s %s: %s\n", sr_severity_name(x->sev), x->id, x->msg);
	}
}

json_t *sr_cli_findings_json(const struct sr_findings *fd)
{
	json_t *a = json_array();
	for (int i = 0; i < fd->n; i++) {
		const struct sr_finding *x = &fd->v[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:I}", "severity",
						   sr_severity_name(x->sev), "id", x->id, "message",
						   x->msg, "addr", sr_json_hex(x->addr, 8), "size",
						   (json_int_t)x->size));
	}
	return a;
}

int sr_cli_image_check(struct sr_cli *cli, struct sr_cli_flash *s, struct sr_cli_image *ci,
		       bool skip_outside, bool refuse)
{
	uint8_t *prot = NULL;
	int rc = sr_flash_protection(&s->f, &prot);
	if (rc != SR_OK)
		return SR_EXIT_FAIL;
	struct sr_preflight_in in = {
	    .img = &ci->img,
	    .dev = s->f.dev,
	    .map = &s->f.map,
	    .flash_size = s->f.flash_size,
	    .prog_unit = s->f.unit,
	    .prot = prot,
	    .skip_outside = skip_outside,
	};
	rc = sr_preflight(&in, &ci->fd);
	free(prot);
	if (rc != SR_OK)
		return SR_EXIT_FAIL;
	if (!cli->json)
		fprintf(cli->out, "%s %s (%s, %llu bytes) on %s:\n",
			refuse ? "Pre-flight of" : "Checking", ci->path,
			sr_image_format_name(ci->img.format),
			(unsigned long long)sr_image_bytes(&ci->img), s->f.dev->name);
	print_findings(cli, &ci->fd, refuse);
	if (refuse && sr_findings_count(&ci->fd, SR_SEV_ERROR)) {
		sr_cli_error("the image is refused before anything was erased: nothing on the "
			     "chip was changed");
		return SR_EXIT_FAIL;
	}
	rc = sr_plan_build(&ci->img, &s->f.map, s->f.unit, s->f.erased, &ci->plan);
	if (rc != SR_OK) {
		sr_cli_error("no programming plan for %u-byte units: %s", s->f.unit,
			     sr_strerror(rc));
		return SR_EXIT_FAIL;
	}
	ci->planned = true;
	return SR_EXIT_OK;
}

void sr_cli_image_free(struct sr_cli_image *ci)
{
	if (ci->planned)
		sr_plan_free(&ci->plan);
	sr_findings_free(&ci->fd);
	if (ci->loaded)
		sr_image_free(&ci->img);
}
