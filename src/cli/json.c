/* JSON output helpers (jansson). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int sr_cli_json_out(struct sr_cli *cli, json_t *doc)
{
	int rc = json_dumpf(doc, cli->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', cli->out);
	json_decref(doc);
	return rc == 0 ? SR_EXIT_OK : SR_EXIT_FAIL;
}

json_t *sr_json_hex(uint32_t v, int digits)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "0x%0*X", digits, v);
	return json_string(buf);
}

json_t *sr_json_msgs(const struct sr_msgs *m)
{
	json_t *a = json_array();
	for (int i = 0; i < m->n; i++)
		json_array_append_new(a, json_string(m->v[i]));
	return a;
}
