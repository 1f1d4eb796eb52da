/* Loading an image and checking it against the connected chip before anything is
 * erased (image-check.c), for program and verify. */
#ifndef SR_CLI_IMAGE_CHECK_H
#define SR_CLI_IMAGE_CHECK_H

#include <jansson.h>

#include "cli/flash-session.h"
#include "image/image.h"
#include "image/preflight.h"

struct sr_cli_image {
	const char *path;
	struct sr_image_opts opts;
	struct sr_image img;
	struct sr_findings fd;
	struct sr_plan plan;
	bool loaded, planned;
};

/* Read the file; prints why not. Returns an exit code. */
int sr_cli_image_load(struct sr_cli *cli, struct sr_cli_image *ci);
/* Pre-flight against the open flash, print the findings, and build the plan. With
 * REFUSE, an error finding refuses (exit 1, "nothing was erased"). */
int sr_cli_image_check(struct sr_cli *cli, struct sr_cli_flash *s, struct sr_cli_image *ci,
		       bool skip_outside, bool refuse);
json_t *sr_cli_findings_json(const struct sr_findings *fd);
void sr_cli_image_free(struct sr_cli_image *ci);

#endif
