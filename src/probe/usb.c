/* Real USB transport over libusb-1.0: enumerate ST-Links, open one, claim it, exchange bytes. */
#include "config.h"

#include <ctype.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "probe/lock.h"
#include "probe/stlink-proto.h"
#include "probe/transport.h"

#define USB_TIMEOUT_MS 3000 /* stlink 1.7.0 uses 3 s for every bulk transfer */

struct usb_priv {
	libusb_context *ctx;
	libusb_device_handle *h;
	uint8_t ep_out, ep_in;
	struct sr_probe_lock *lock;
};

static const struct {
	uint16_t pid;
	const char *name;
} stlink_pids[] = {
    {STLINK_PID_V2, "ST-Link/V2"},
    {STLINK_PID_V2_1, "ST-Link/V2-1"},
    {STLINK_PID_V2_1_AUDIO, "ST-Link/V2-1"},
    {STLINK_PID_V2_1_NOMSD, "ST-Link/V2-1"},
    {STLINK_PID_V3_LOADER, "ST-Link/V3 (bootloader)"},
    {STLINK_PID_V3E, "STLINK-V3E"},
    {STLINK_PID_V3S, "STLINK-V3"},
    {STLINK_PID_V3_2VCP, "STLINK-V3"},
    {STLINK_PID_V3_NOMSD, "STLINK-V3"},
    {STLINK_PID_V3PWR, "STLINK-V3PWR"},
};

const char *sr_stlink_pid_name(uint16_t pid)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(stlink_pids); i++)
		if (stlink_pids[i].pid == pid)
			return stlink_pids[i].name;
	return NULL;
}

/* One place maps libusb's errors to ours. */
static int usb_err(int lrc)
{
	switch (lrc) {
	case LIBUSB_SUCCESS:
		return SR_OK;
	case LIBUSB_ERROR_ACCESS:
		return SR_E_USB_ACCESS;
	case LIBUSB_ERROR_BUSY:
		return SR_E_USB_BUSY;
	case LIBUSB_ERROR_NO_DEVICE:
		return SR_E_USB_GONE;
	case LIBUSB_ERROR_TIMEOUT:
		return SR_E_USB_TIMEOUT;
	case LIBUSB_ERROR_NO_MEM:
		return SR_E_NOMEM;
	default:
		return SR_E_USB;
	}
}

/* Old V2 probes report a binary serial; show it as hex, as other tools do. */
static void serial_text(const unsigned char *raw, int n, char *out, size_t len)
{
	bool printable = n > 0;
	for (int i = 0; i < n; i++)
		printable &= isalnum(raw[i]) != 0;
	if (printable) {
		snprintf(out, len, "%.*s", n, (const char *)raw);
		return;
	}
	out[0] = '\0';
	for (int i = 0; i < n && (size_t)(2 * i + 2) < len; i++)
		snprintf(out + 2 * i, 3, "%02X", raw[i]);
}

static int read_serial(libusb_device *dev, uint8_t index, char *out, size_t len)
{
	libusb_device_handle *h;
	unsigned char raw[64];
	int n, lrc = libusb_open(dev, &h);
	if (lrc != LIBUSB_SUCCESS)
		return usb_err(lrc);
	n = libusb_get_string_descriptor_ascii(h, index, raw, sizeof(raw));
	libusb_close(h);
	if (n < 0)
		return usb_err(n);
	serial_text(raw, n, out, len);
	return SR_OK;
}

static bool probe_from_device(libusb_device *dev, struct sr_usb_probe *p)
{
	struct libusb_device_descriptor d;
	if (libusb_get_device_descriptor(dev, &d) != LIBUSB_SUCCESS || d.idVendor != STLINK_VID ||
	    !sr_stlink_pid_name(d.idProduct))
		return false;
	memset(p, 0, sizeof(*p));
	p->vid = d.idVendor;
	p->pid = d.idProduct;
	p->bus = libusb_get_bus_number(dev);
	p->addr = libusb_get_device_address(dev);
	p->open_error = read_serial(dev, d.iSerialNumber, p->serial, sizeof(p->serial));
	return true;
}

static void usb_log_cb(libusb_context *ctx, enum libusb_log_level level, const char *str)
{
	size_t n = strlen(str);
	while (n && (str[n - 1] == '\n'))
		n--;
	sr_log(SR_LOG_DEBUG, "libusb: %.*s", (int)n, str);
}

static int usb_init(libusb_context **ctx)
{
	int lrc = libusb_init(ctx);
	if (lrc != LIBUSB_SUCCESS)
		return usb_err(lrc);
	libusb_set_log_cb(*ctx, usb_log_cb, LIBUSB_LOG_CB_CONTEXT);
	if (sr_log_level() >= SR_LOG_TRACE)
		libusb_set_option(*ctx, LIBUSB_OPTION_LOG_LEVEL, LIBUSB_LOG_LEVEL_DEBUG);
	return SR_OK;
}

int sr_usb_list(struct sr_usb_probe **out, int *n, struct sr_msgs *why)
{
	libusb_context *ctx;
	libusb_device **list;
	ssize_t count;
	int rc = usb_init(&ctx);
	*out = NULL;
	*n = 0;
	if (rc != SR_OK) {
		sr_msgs_add(why, "USB cannot be used: %s", sr_strerror(rc));
		return rc;
	}
	count = libusb_get_device_list(ctx, &list);
	for (ssize_t i = 0; i < count; i++) {
		struct sr_usb_probe p;
		if (!probe_from_device(list[i], &p))
			continue;
		*out = sr_realloc_array(*out, (size_t)*n + 1, sizeof(**out));
		(*out)[(*n)++] = p;
	}
	if (count >= 0)
		libusb_free_device_list(list, 1);
	libusb_exit(ctx);
	return count < 0 ? usb_err((int)count) : SR_OK;
}


/* Which device SPEC means: a serial number, usb:BUS:ADDR, or NULL for the only probe. */
static bool spec_matches(const char *spec, const struct sr_usb_probe *p)
{
	unsigned bus, addr;
	if (!spec)
		return true;
	if (sscanf(spec, "usb:%u:%u", &bus, &addr) == 2)
		return bus == p->bus && addr == p->addr;
	return strcasecmp(spec, p->serial) == 0;
}

static int usb_xfer(struct sr_transport *t, const uint8_t *cmd, const uint8_t *out,
		    size_t out_len, uint8_t *in, size_t in_len, size_t *got)
{
	struct usb_priv *u = t->priv;
	int n = 0, lrc;
	lrc = libusb_bulk_transfer(u->h, u->ep_out, (uint8_t *)cmd, STLINK_CMD_LEN, &n,
				   USB_TIMEOUT_MS);
	if (lrc == LIBUSB_SUCCESS && out_len)
		lrc = libusb_bulk_transfer(u->h, u->ep_out, (uint8_t *)out, (int)out_len, &n,
					   USB_TIMEOUT_MS);
	if (lrc == LIBUSB_SUCCESS && in_len) {
		lrc = libusb_bulk_transfer(u->h, u->ep_in, in, (int)in_len, &n, USB_TIMEOUT_MS);
		*got = lrc == LIBUSB_SUCCESS ? (size_t)n : 0;
	}
	if (lrc == LIBUSB_ERROR_PIPE) { /* a stalled endpoint: clear it for the next try */
		libusb_clear_halt(u->h, u->ep_out);
		libusb_clear_halt(u->h, u->ep_in);
	}
	if (lrc != LIBUSB_SUCCESS)
		sr_log(SR_LOG_DEBUG, "libusb: %s", libusb_error_name(lrc));
	return usb_err(lrc);
}

/* PROBE-RECOVERY.md 3.4: drain IN in whole packets with a short timeout before the
 * first command, so an old reply is not taken for the answer to ours. */
static size_t usb_drain(struct sr_transport *t)
{
	struct usb_priv *u = t->priv;
	uint8_t buf[512];
	size_t total = 0;
	int n = 0;
	while (libusb_bulk_transfer(u->h, u->ep_in, buf, sizeof(buf), &n, 10) == LIBUSB_SUCCESS &&
	       n > 0 && total < 65536)
		total += (size_t)n;
	return total;
}

static int usb_reset(struct sr_transport *t)
{
	struct usb_priv *u = t->priv;
	return usb_err(libusb_reset_device(u->h));
}

static void usb_close(struct sr_transport *t)
{
	struct usb_priv *u = t->priv;
	if (u->h) {
		libusb_release_interface(u->h, 0);
		libusb_close(u->h);
	}
	if (u->ctx)
		libusb_exit(u->ctx);
	sr_probe_unlock(u->lock);
	free(u);
	free(t);
}

static const struct sr_transport_ops usb_ops = {
    .name = "usb",
    .xfer = usb_xfer,
    .usb_reset = usb_reset,
    .drain = usb_drain,
    .close = usb_close,
};

/* Explain an open/claim failure in terms of what the user can do. */
static void explain_open_error(int rc, const struct sr_usb_probe *p, struct sr_msgs *why)
{
	if (rc == SR_E_USB_ACCESS)
		sr_msgs_add(why,
			    "no permission to open the ST-Link at usb:%u:%u. Install the udev rules "
			    "shipped with stmrescue: sudo cp %s/udev/70-stmrescue.rules "
			    "/etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo "
			    "udevadm trigger, then unplug and replug the probe",
			    p->bus, p->addr, SR_PKGDATADIR);
	else if (rc == SR_E_USB_BUSY)
		sr_msgs_add(why,
			    "the ST-Link at usb:%u:%u is in use by another program (openocd, "
			    "st-util, STM32CubeProgrammer, a debugger in an IDE): close it first",
			    p->bus, p->addr);
	else
		sr_msgs_add(why, "cannot open the ST-Link at usb:%u:%u: %s", p->bus, p->addr,
			    sr_strerror(rc));
}

static int claim(struct usb_priv *u, libusb_device *dev)
{
	int cfg = 0, lrc = libusb_open(dev, &u->h);
	if (lrc != LIBUSB_SUCCESS)
		return usb_err(lrc);
	if (libusb_kernel_driver_active(u->h, 0) == 1)
		libusb_detach_kernel_driver(u->h, 0);
	if (libusb_get_configuration(u->h, &cfg) == LIBUSB_SUCCESS && cfg != 1)
		libusb_set_configuration(u->h, 1);
	return usb_err(libusb_claim_interface(u->h, 0));
}

/* Find the device SPEC names; fills P and *DEV (referenced). */
static int find_device(libusb_context *ctx, const char *spec, struct sr_usb_probe *p,
		       libusb_device **dev, struct sr_msgs *why)
{
	libusb_device **list;
	ssize_t count = libusb_get_device_list(ctx, &list);
	int found = 0;
	for (ssize_t i = 0; i < count; i++) {
		struct sr_usb_probe q;
		if (!probe_from_device(list[i], &q) || !spec_matches(spec, &q))
			continue;
		if (found++ == 0) {
			*p = q;
			*dev = libusb_ref_device(list[i]);
		}
	}
	if (count >= 0)
		libusb_free_device_list(list, 1);
	if (found == 1)
		return SR_OK;
	if (found > 1) {
		libusb_unref_device(*dev);
		sr_msgs_add(why, "%d ST-Links are connected: choose one with --probe SERIAL "
				 "('stmrescue list' shows them)", found);
		return SR_E_ARG;
	}
	sr_msgs_add(why, spec ? "no ST-Link matches '%s' ('stmrescue list' shows what is connected)"
			      : "no ST-Link found on USB%s: check the cable, and that the probe "
				"shows in lsusb as 0483:37xx",
		    spec ? spec : "");
	return SR_E_NOTFOUND;
}

int sr_usb_open(const char *spec, struct sr_transport **out, struct sr_msgs *why)
{
	struct usb_priv *u = sr_calloc(1, sizeof(*u));
	struct sr_transport *t = sr_calloc(1, sizeof(*t));
	libusb_device *dev = NULL;
	int rc;
	t->ops = &usb_ops;
	t->priv = u;
	if ((rc = usb_init(&u->ctx)) != SR_OK) {
		sr_msgs_add(why, "USB cannot be used: %s", sr_strerror(rc));
		goto fail;
	}
	{
		struct sr_usb_probe p;
		if ((rc = find_device(u->ctx, spec, &p, &dev, why)) != SR_OK)
			goto fail;
		t->vid = p.vid;
		t->pid = p.pid;
		t->bus = p.bus;
		t->addr = p.addr;
		snprintf(t->serial, sizeof(t->serial), "%s", p.serial);
		if ((rc = sr_probe_lock(p.serial, &u->lock, why)) != SR_OK)
			goto fail_unref;
		if ((rc = claim(u, dev)) != SR_OK) {
			explain_open_error(rc, &p, why);
			goto fail_unref;
		}
	}
	/* Endpoints by PID: V2 sends on 0x02, later probes on 0x01; replies on 0x81. */
	u->ep_out = t->pid == STLINK_PID_V2 ? 0x02 : 0x01;
	u->ep_in = 0x81;
	libusb_unref_device(dev);
	*out = t;
	return SR_OK;
fail_unref:
	libusb_unref_device(dev);
fail:
	usb_close(t);
	return rc;
}
