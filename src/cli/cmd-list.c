/* `stmrescue list`: every ST-Link on USB with its firmware and the target voltage it measures. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/error.h"
#include "common/util.h"
#include "probe/stlink.h"
#include "probe/transport.h"

struct probe_row {
	struct sr_usb_probe p;
	char firmware[32];
	const char *mode;
	int mv; /* -1: not measured */
	char error[256];
};

/* Open the probe briefly for its firmware, mode and the target voltage. */
static void probe_details(struct probe_row *r, const char *sim_spec)
{
	struct sr_msgs why = {0};
	struct sr_transport *t;
	struct sr_stlink sl;
	enum stlink_mode mode;
	char spec[32];
	uint32_t mv;
	snprintf(spec, sizeof(spec), "usb:%u:%u", r->p.bus, r->p.addr);
	r->mv = -1;
	if (sr_probe_open(sim_spec ? sim_spec : spec, &t, &why) != SR_OK) {
		snprintf(r->error, sizeof(r->error), "%s", why.n ? why.v[0] : "cannot open");
		sr_msgs_free(&why);
		return;
	}
	r->p.vid = t->vid;
	r->p.pid = t->pid;
	snprintf(r->p.serial, sizeof(r->p.serial), "%s", t->serial);
	if (sr_stlink_open(t, &sl, &why) == SR_OK) {
		snprintf(r->firmware, sizeof(r->firmware), "%s", sl.version);
		if (sr_stlink_get_mode(&sl, &mode) == SR_OK)
			r->mode = sr_stlink_mode_name(mode);
		if (sr_stlink_target_mv(&sl, &mv) == SR_OK)
			r->mv = (int)mv;
	} else {
		snprintf(r->error, sizeof(r->error), "%s", why.n ? why.v[0] : "no answer");
	}
	sr_msgs_free(&why);
	sr_transport_close(t);
}

static json_t *row_json(const struct probe_row *r)
{
	char usb[16];
	snprintf(usb, sizeof(usb), "%u:%u", r->p.bus, r->p.addr);
	json_t *o = json_pack("{s:s, s:o, s:s, s:s}", "type", sr_stlink_pid_name(r->p.pid), "pid",
			      sr_json_hex(r->p.pid, 4), "serial", r->p.serial, "usb", usb);
	json_object_set_new(o, "firmware", r->firmware[0] ? json_string(r->firmware) : json_null());
	json_object_set_new(o, "mode", r->mode ? json_string(r->mode) : json_null());
	json_object_set_new(o, "target_mv", r->mv >= 0 ? json_integer(r->mv) : json_null());
	json_object_set_new(o, "error", r->error[0] ? json_string(r->error) : json_null());
	return o;
}

static void row_text(struct sr_cli *cli, const struct probe_row *r)
{
	char usb[16], volts[16] = "-";
	snprintf(usb, sizeof(usb), "%u:%u", r->p.bus, r->p.addr);
	if (r->mv >= 0)
		snprintf(volts, sizeof(volts), "%d.%02d V", r->mv / 1000, (r->mv % 1000) / 10);
	fprintf(cli->out, "%-14s 0x%04X  %-24s %-7s %-12s %-13s %s\n",
		sr_stlink_pid_name(r->p.pid), r->p.pid, r->p.serial, usb,
		r->firmware[0] ? r->firmware : "-", r->mode ? r->mode : "-", volts);
	if (r->error[0])
		fprintf(cli->out, "  %s\n", r->error);
}

int sr_cmd_list(struct sr_cli *cli, int argc, char **argv)
{
	struct sr_usb_probe *probes;
	struct sr_msgs why = {0};
	int n, rc;
	if (argc > 1) {
		sr_cli_usage_error(sr_cmd_find("list"), "list takes no arguments");
		return SR_EXIT_USAGE;
	}
	bool sim = cli->probe && strncmp(cli->probe, "sim:", 4) == 0;
	if (sim) { /* the virtual board's probe only */
		probes = sr_calloc(1, sizeof(*probes));
		n = 1;
		rc = SR_OK;
	} else {
		rc = sr_usb_list(&probes, &n, &why);
	}
	if (rc != SR_OK) {
		sr_cli_error("%s", why.n ? why.v[0] : sr_strerror(rc));
		sr_msgs_free(&why);
		return SR_EXIT_PROBE;
	}
	json_t *arr = json_array();
	if (!cli->json && n)
		fprintf(cli->out, "%-14s %-7s %-24s %-7s %-12s %-13s %s\n", "PROBE", "PID", "SERIAL",
			"USB", "FIRMWARE", "MODE", "TARGET");
	for (int i = 0; i < n; i++) {
		struct probe_row r = {.p = probes[i]};
		probe_details(&r, sim ? cli->probe : NULL);
		if (cli->json)
			json_array_append_new(arr, row_json(&r));
		else
			row_text(cli, &r);
	}
	free(probes);
	if (cli->json)
		sr_cli_json_out(cli, json_pack("{s:o}", "probes", arr));
	else
		json_decref(arr);
	if (n == 0 && !cli->json)
		fprintf(cli->out, "No ST-Link found on USB. Check the cable; a probe shows in lsusb "
				  "as 0483:37xx.\n");
	return n ? SR_EXIT_OK : SR_EXIT_PROBE;
}
