/*
 * The virtual lab as a transport (`--probe sim:FILE`): the virtual ST-Link of the
 * board state FILE, driven in this process through the same USB device model the
 * libusb drop-in uses, so the driver above sees exactly what real USB would give:
 * bulk OUT for the command and its data phase, bulk IN for the reply.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "probe/stlink-proto.h"
#include "probe/transport.h"
#include "sim/usbdev.h"

/* What a real probe's 3 s bulk timeout (USB_TIMEOUT_MS in usb.c) costs in time. */
#define SIM_TIMEOUT_NS 3000000000ull

struct sim_priv {
	struct sr_sim_usbdev *dev;
	int lock_fd;
};

static int usb_result(enum sr_sim_usb_result r)
{
	switch (r) {
	case SR_SIM_USB_OK: return SR_OK;
	case SR_SIM_USB_TIMEOUT: return SR_E_USB_TIMEOUT;
	case SR_SIM_USB_NO_DEVICE: return SR_E_USB_GONE;
	default: return SR_E_USB;
	}
}

static int bulk(struct sim_priv *s, uint8_t ep, uint8_t *data, size_t len, size_t *got)
{
	size_t dummy;
	enum sr_sim_usb_result r = sr_sim_usbdev_bulk(s->dev, ep, data, len, got ? got : &dummy);
	if (r == SR_SIM_USB_TIMEOUT)
		sr_sim_usbdev_host_gap(s->dev, SIM_TIMEOUT_NS);
	if (r == SR_SIM_USB_STALL) { /* as usb.c: clear the halt for the next try */
		sr_sim_usbdev_clear_halt(s->dev, sr_sim_usbdev_ep_out(s->dev));
		sr_sim_usbdev_clear_halt(s->dev, sr_sim_usbdev_ep_in(s->dev));
	}
	return usb_result(r);
}

static int sim_xfer(struct sr_transport *t, const uint8_t *cmd, const uint8_t *out,
		    size_t out_len, uint8_t *in, size_t in_len, size_t *got)
{
	struct sim_priv *s = t->priv;
	uint8_t ep_out = sr_sim_usbdev_ep_out(s->dev);
	int rc = bulk(s, ep_out, (uint8_t *)cmd, STLINK_CMD_LEN, NULL);
	if (rc == SR_OK && out_len)
		rc = bulk(s, ep_out, (uint8_t *)out, out_len, NULL);
	if (rc == SR_OK && in_len)
		rc = bulk(s, sr_sim_usbdev_ep_in(s->dev), in, in_len, got);
	return rc;
}

/* A port reset clears halted endpoints, as the drop-in's libusb_reset_device does. */
static int sim_usb_reset(struct sr_transport *t)
{
	struct sim_priv *s = t->priv;
	if (!sr_sim_usbdev_present(s->dev))
		return SR_E_USB_GONE;
	sr_sim_usbdev_clear_halt(s->dev, sr_sim_usbdev_ep_in(s->dev));
	sr_sim_usbdev_clear_halt(s->dev, sr_sim_usbdev_ep_out(s->dev));
	return SR_OK;
}

/* Stale bytes: short reads until the endpoint has nothing (10 ms each, as usb.c). */
static size_t sim_drain(struct sr_transport *t)
{
	struct sim_priv *s = t->priv;
	uint8_t buf[512];
	size_t total = 0, got = 0;
	while (sr_sim_usbdev_bulk(s->dev, sr_sim_usbdev_ep_in(s->dev), buf, sizeof(buf), &got) ==
		   SR_SIM_USB_OK &&
	       got)
		total += got;
	sr_sim_usbdev_host_gap(s->dev, 10000000u);
	return total;
}

static void sim_sleep(struct sr_transport *t, unsigned us)
{
	struct sim_priv *s = t->priv;
	sr_sim_usbdev_host_gap(s->dev, (uint64_t)us * 1000u);
}

static void sim_close(struct sr_transport *t)
{
	struct sim_priv *s = t->priv;
	sr_sim_usbdev_close(s->dev);
	if (s->lock_fd >= 0)
		close(s->lock_fd); /* releases the flock */
	free(s);
	free(t);
}

static const struct sr_transport_ops sim_ops = {
    .name = "sim",
    .xfer = sim_xfer,
    .usb_reset = sim_usb_reset,
    .sleep = sim_sleep,
    .drain = sim_drain,
    .close = sim_close,
};

/* One process at a time drives a virtual board, as with a real probe. */
static int lock_board(const char *path, int *fd, struct sr_msgs *why)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		sr_msgs_add(why, "cannot open the virtual board %s: %s (make one with: stmrescue "
				 "sim new CHIP %s)",
			    path, strerror(errno), path);
		return SR_E_NOTFOUND;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		sr_msgs_add(why, "the virtual board %s is in use by another stmrescue", path);
		close(*fd);
		*fd = -1;
		return SR_E_PROBE_LOCKED;
	}
	return SR_OK;
}

int sr_sim_transport_open(const char *path, struct sr_transport **out, struct sr_msgs *why)
{
	struct sim_priv *s = sr_calloc(1, sizeof(*s));
	int rc = lock_board(path, &s->lock_fd, why);
	if (rc == SR_OK && (rc = sr_sim_usbdev_open(path, &s->dev)) != SR_OK)
		sr_msgs_add(why, "the virtual board %s cannot be used: %s (the log file says why)",
			    path, sr_strerror(rc));
	if (rc == SR_OK && !sr_sim_usbdev_present(s->dev)) {
		sr_msgs_add(why, "the virtual probe of %s is not on the bus", path);
		rc = SR_E_NOTFOUND;
	}
	if (rc != SR_OK) {
		if (s->dev)
			sr_sim_usbdev_close(s->dev);
		if (s->lock_fd >= 0)
			close(s->lock_fd);
		free(s);
		return rc;
	}
	struct sr_transport *t = sr_calloc(1, sizeof(*t));
	const struct sr_sim_stlink_persona *p =
	    sr_sim_stlink_persona(sr_sim_usbdev_probe(s->dev));
	t->ops = &sim_ops;
	t->priv = s;
	t->vid = p->vid;
	t->pid = p->pid;
	snprintf(t->serial, sizeof(t->serial), "%s", p->serial);
	*out = t;
	return SR_OK;
}

int sr_sim_transport_stats(struct sr_transport *t, uint64_t *now_ns, uint64_t *transactions)
{
	if (t->ops != &sim_ops)
		return SR_E_UNSUPPORTED;
	struct sr_sim_usb_stats st;
	sr_sim_usbdev_stats(((struct sim_priv *)t->priv)->dev, &st);
	*now_ns = st.now_ns - st.start_ns;
	*transactions = st.transactions;
	return SR_OK;
}
