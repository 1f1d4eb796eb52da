/* The one function every probe exchange passes through. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/log.h"
#include "probe/stlink-proto.h"
#include "probe/transport.h"

int sr_transport_xfer(struct sr_transport *t, const uint8_t *cmd, const uint8_t *out,
		      size_t out_len, uint8_t *in, size_t in_len, size_t *got)
{
	size_t dummy = 0;
	int rc;
	if (!got)
		got = &dummy;
	*got = 0;
	t->n_xfers++;
	sr_log_hex(SR_LOG_TRACE, "usb cmd", cmd, STLINK_CMD_LEN);
	if (out_len)
		sr_log_hex(SR_LOG_TRACE, "usb out", out, out_len < 64 ? out_len : 64);
	rc = t->ops->xfer(t, cmd, out, out_len, in, in_len, got);
	if (rc != SR_OK)
		sr_log(SR_LOG_DEBUG, "usb %s: %s", t->ops->name, sr_strerror(rc));
	else if (*got)
		sr_log_hex(SR_LOG_TRACE, "usb in ", in, *got < 64 ? *got : 64);
	return rc;
}

void sr_transport_close(struct sr_transport *t)
{
	if (t)
		t->ops->close(t);
}

void sr_transport_sleep(struct sr_transport *t, unsigned us)
{
	if (t->ops->sleep)
		t->ops->sleep(t, us);
	else
		usleep(us);
}

int sr_probe_open(const char *spec, struct sr_transport **out, struct sr_msgs *why)
{
	if (spec && strncmp(spec, "sim:", 4) == 0)
		return sr_sim_transport_open(spec + 4, out, why);
	return sr_usb_open(spec, out, why);
}

size_t sr_transport_drain(struct sr_transport *t)
{
	size_t n = t->ops->drain ? t->ops->drain(t) : 0;
	if (n)
		sr_log(SR_LOG_INFO, "usb: %zu stale reply bytes thrown away", n);
	return n;
}
