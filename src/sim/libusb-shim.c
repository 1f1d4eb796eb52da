/*
 * A libusb-1.0 drop-in (SONAME libusb-1.0.so.0) that shows one USB device, the
 * virtual ST-Link of the board whose state file $STMRESCUE_SIM names, so that
 * unmodified clients (st-info, st-flash, openocd, pyusb) talk to the virtual
 * lab. This file: library set-up, contexts, device lists, descriptors, opening
 * and configuring. Transfers and event handling are in libusb-shim-xfer.c.
 * The exported surface is the union of reference section 2.3.
 */
#define _GNU_SOURCE /* PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "sim/libusb-shim.h"

/* Bus position of the virtual probe (any stable values do; pyOCD displays them). */
#define SHIM_BUS 1
#define SHIM_ADDRESS 4
#define SHIM_PORT 1

/*
 * The only file-scope mutable object: libusb's ABI has a process-wide default
 * context (libusb_init(NULL)), and the probe is one physical device for every
 * context of the process (st-info uses the default context and a private one
 * side by side, reference section 3.2).
 */
struct shim_process shim = {.lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP};

static void write_stats(void);

SHIM_API void libusb_unref_device(libusb_device *dev);

void shim_lock(void) { pthread_mutex_lock(&shim.lock); }
void shim_unlock(void) { pthread_mutex_unlock(&shim.lock); }

static uint64_t ns_between(const struct timespec *a, const struct timespec *b)
{
	int64_t ns = (int64_t)(b->tv_sec - a->tv_sec) * 1000000000 + (b->tv_nsec - a->tv_nsec);
	return ns > 0 ? (uint64_t)ns : 0;
}

void shim_enter(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (shim.usb && shim.left_at.tv_sec)
		sr_sim_usbdev_host_gap(shim.usb, ns_between(&shim.left_at, &now));
}

void shim_leave(void) { clock_gettime(CLOCK_MONOTONIC, &shim.left_at); }

static void at_process_exit(void)
{
	shim_lock();
	if (shim.usb) {
		write_stats();
		sr_sim_usbdev_close(shim.usb);
		shim.usb = NULL;
	}
	shim_unlock();
}

/* Logging from the environment: STMRESCUE_SIM_LOG (file), STMRESCUE_SIM_LOG_LEVEL (0-4). */
static void setup_once(void)
{
	const char *path = getenv("STMRESCUE_SIM_LOG"), *level = getenv("STMRESCUE_SIM_LOG_LEVEL");
	uint32_t lv;
	if (shim.setup_done)
		return;
	shim.setup_done = true;
	if (path && *path && sr_log_open(path) != 0)
		fprintf(stderr, "stmrescue sim: cannot open log %s\n", path);
	if (level && sr_parse_u32(level, &lv) == 0)
		sr_log_set_level((int)lv);
	atexit(at_process_exit);
}

struct sr_sim_usbdev *shim_usb(void)
{
	const char *path = getenv("STMRESCUE_SIM");
	if (shim.usb || shim.usb_failed)
		return shim.usb;
	if (!path || !*path) {
		sr_warn("sim: STMRESCUE_SIM is not set, so no virtual probe is attached");
		shim.usb_failed = true;
		return NULL;
	}
	if (sr_sim_usbdev_open(path, &shim.usb) != 0)
		shim.usb_failed = true;
	return shim.usb;
}

void shim_save(void)
{
	if (shim.usb)
		sr_sim_usbdev_save(shim.usb);
}

/* STMRESCUE_SIM_STATS names a file that gets one line of counters per process. */
static void write_stats(void)
{
	const char *path = getenv("STMRESCUE_SIM_STATS");
	struct sr_sim_usb_stats s;
	FILE *f;
	if (!shim.usb || !path || !*path || !(f = fopen(path, "a")))
		return;
	sr_sim_usbdev_stats(shim.usb, &s);
	fprintf(f,
		"transactions=%llu bulk=%llu control=%llu bytes_out=%llu bytes_in=%llu "
		"refused=%llu swd_bytes=%llu link_ns=%llu swd_ns=%llu host_ns=%llu virtual_ns=%llu "
		"elapsed_ns=%llu\n",
		(unsigned long long)s.transactions, (unsigned long long)s.bulk_transfers,
		(unsigned long long)s.control_transfers, (unsigned long long)s.bytes_out,
		(unsigned long long)s.bytes_in, (unsigned long long)s.probe.refused,
		(unsigned long long)s.probe.swd_bytes, (unsigned long long)s.link_ns,
		(unsigned long long)s.probe.swd_ns, (unsigned long long)s.host_ns,
		(unsigned long long)s.now_ns, (unsigned long long)(s.now_ns - s.start_ns));
	fclose(f);
}

struct libusb_context *shim_ctx(libusb_context *ctx) { return ctx ? ctx : &shim.default_ctx; }

SHIM_API int libusb_init(libusb_context **out)
{
	shim_lock();
	setup_once();
	struct libusb_context *c = out ? sr_calloc(1, sizeof(*c)) : &shim.default_ctx;
	if (!out && shim.default_refs++ > 0) {
		shim_unlock();
		return LIBUSB_SUCCESS;
	}
	c->next = shim.contexts;
	shim.contexts = c;
	if (out)
		*out = c;
	shim_unlock();
	return LIBUSB_SUCCESS;
}

static void unlink_ctx(struct libusb_context *c)
{
	for (struct libusb_context **pp = &shim.contexts; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			return;
		}
}

SHIM_API void libusb_exit(libusb_context *ctx)
{
	shim_lock();
	struct libusb_context *c = shim_ctx(ctx);
	if (!ctx && (shim.default_refs == 0 || --shim.default_refs > 0)) {
		shim_unlock();
		return;
	}
	unlink_ctx(c);
	if (c->device) {
		struct libusb_device *d = c->device;
		d->ctx = NULL; /* devices the client still holds outlive the context */
		c->device = NULL;
		libusb_unref_device(d);
	}
	shim_save();
	if (!shim.contexts && shim.usb) {
		write_stats();
		sr_sim_usbdev_close(shim.usb);
		shim.usb = NULL;
		shim.usb_failed = false;
	}
	if (ctx)
		free(c);
	else
		memset(c, 0, sizeof(*c));
	shim_unlock();
}

SHIM_API void libusb_set_debug(libusb_context *ctx, int level)
{
	shim_ctx(ctx)->log_level = level;
}

SHIM_API int libusb_set_option(libusb_context *ctx, enum libusb_option option, ...)
{
	va_list ap;
	va_start(ap, option);
	if (option == LIBUSB_OPTION_LOG_LEVEL)
		shim_ctx(ctx)->log_level = va_arg(ap, int);
	va_end(ap);
	return LIBUSB_SUCCESS;
}

/*
 * stmrescue routes libusb's log into its own log file with this (STYLE.md), so its
 * presence says stderr may belong to a terminal UI: the drop-in's own messages then
 * go only to $STMRESCUE_SIM_LOG.
 */
SHIM_API void libusb_set_log_cb(libusb_context *ctx, libusb_log_cb cb, int mode)
{
	if (cb && !getenv("STMRESCUE_SIM_LOG"))
		sr_log_allow_stderr(false);
}

/* The libusb release whose header the drop-in was built against. */
SHIM_API const struct libusb_version *libusb_get_version(void)
{
	static const struct libusb_version v = {1, 0, 26, 0, "", "stmrescue virtual lab"};
	return &v;
}

static const struct {
	int code;
	const char *name, *text;
} errors[] = {
	{LIBUSB_SUCCESS, "LIBUSB_SUCCESS", "Success"},
	{LIBUSB_ERROR_IO, "LIBUSB_ERROR_IO", "Input/Output Error"},
	{LIBUSB_ERROR_INVALID_PARAM, "LIBUSB_ERROR_INVALID_PARAM", "Invalid parameter"},
	{LIBUSB_ERROR_ACCESS, "LIBUSB_ERROR_ACCESS", "Access denied (insufficient permissions)"},
	{LIBUSB_ERROR_NO_DEVICE, "LIBUSB_ERROR_NO_DEVICE", "No such device (it may have been disconnected)"},
	{LIBUSB_ERROR_NOT_FOUND, "LIBUSB_ERROR_NOT_FOUND", "Entity not found"},
	{LIBUSB_ERROR_BUSY, "LIBUSB_ERROR_BUSY", "Resource busy"},
	{LIBUSB_ERROR_TIMEOUT, "LIBUSB_ERROR_TIMEOUT", "Operation timed out"},
	{LIBUSB_ERROR_OVERFLOW, "LIBUSB_ERROR_OVERFLOW", "Overflow"},
	{LIBUSB_ERROR_PIPE, "LIBUSB_ERROR_PIPE", "Pipe error"},
	{LIBUSB_ERROR_INTERRUPTED, "LIBUSB_ERROR_INTERRUPTED", "System call interrupted (perhaps due to signal)"},
	{LIBUSB_ERROR_NO_MEM, "LIBUSB_ERROR_NO_MEM", "Insufficient memory"},
	{LIBUSB_ERROR_NOT_SUPPORTED, "LIBUSB_ERROR_NOT_SUPPORTED", "Operation not supported or unimplemented on this platform"},
	{LIBUSB_ERROR_OTHER, "LIBUSB_ERROR_OTHER", "Other error"},
};

SHIM_API const char *libusb_error_name(int code)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(errors); i++)
		if (errors[i].code == code)
			return errors[i].name;
	return "**UNKNOWN**";
}

SHIM_API const char *libusb_strerror(int code)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(errors); i++)
		if (errors[i].code == code)
			return errors[i].text;
	return "Unknown error";
}

/* This context's device object for the probe, created on first enumeration. */
static struct libusb_device *ctx_device(struct libusb_context *c)
{
	struct sr_sim_usbdev *u = shim_usb();
	if (!u || !sr_sim_usbdev_present(u))
		return NULL;
	if (!c->device) {
		c->device = sr_calloc(1, sizeof(*c->device));
		c->device->ctx = c;
		c->device->refs = 1; /* the context's own reference */
	}
	return c->device;
}

SHIM_API ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	shim_lock();
	struct libusb_device *d = ctx_device(shim_ctx(ctx));
	/* NULL-terminated: stlink loops "while (devs[i++])" (reference section 3.4). */
	libusb_device **l = sr_calloc(2, sizeof(*l));
	if (d) {
		d->refs++;
		l[0] = d;
	}
	*list = l;
	shim_unlock();
	return d ? 1 : 0;
}

SHIM_API libusb_device *libusb_ref_device(libusb_device *dev)
{
	shim_lock();
	dev->refs++;
	shim_unlock();
	return dev;
}

SHIM_API void libusb_unref_device(libusb_device *dev)
{
	if (!dev)
		return;
	shim_lock();
	if (--dev->refs == 0) {
		if (dev->ctx)
			dev->ctx->device = NULL;
		free(dev);
	}
	shim_unlock();
}

SHIM_API void libusb_free_device_list(libusb_device **list, int unref_devices)
{
	if (!list)
		return;
	for (size_t i = 0; unref_devices && list[i]; i++)
		libusb_unref_device(list[i]);
	free(list);
}

SHIM_API uint8_t libusb_get_bus_number(libusb_device *dev) { return SHIM_BUS; }
SHIM_API uint8_t libusb_get_device_address(libusb_device *dev) { return SHIM_ADDRESS; }
SHIM_API uint8_t libusb_get_port_number(libusb_device *dev) { return SHIM_PORT; }
SHIM_API libusb_device *libusb_get_parent(libusb_device *dev) { return NULL; }

SHIM_API int libusb_get_port_numbers(libusb_device *dev, uint8_t *ports, int len)
{
	if (len < 1)
		return LIBUSB_ERROR_OVERFLOW;
	ports[0] = SHIM_PORT;
	return 1;
}

SHIM_API int libusb_get_device_speed(libusb_device *dev)
{
	struct sr_sim_usbdev *u = shim_usb();
	if (!u)
		return LIBUSB_SPEED_UNKNOWN;
	return sr_sim_stlink_persona(sr_sim_usbdev_probe(u))->high_speed ? LIBUSB_SPEED_HIGH
									  : LIBUSB_SPEED_FULL;
}

SHIM_API int libusb_get_device_descriptor(libusb_device *dev,
					  struct libusb_device_descriptor *desc)
{
	struct sr_sim_usbdev *u = shim_usb();
	uint8_t b[18];
	if (!u)
		return LIBUSB_ERROR_NO_DEVICE;
	sr_sim_usbdev_device_desc(u, b);
	desc->bLength = b[0];
	desc->bDescriptorType = b[1];
	desc->bcdUSB = (uint16_t)(b[2] | b[3] << 8);
	desc->bDeviceClass = b[4];
	desc->bDeviceSubClass = b[5];
	desc->bDeviceProtocol = b[6];
	desc->bMaxPacketSize0 = b[7];
	desc->idVendor = (uint16_t)(b[8] | b[9] << 8);
	desc->idProduct = (uint16_t)(b[10] | b[11] << 8);
	desc->bcdDevice = (uint16_t)(b[12] | b[13] << 8);
	desc->iManufacturer = b[14];
	desc->iProduct = b[15];
	desc->iSerialNumber = b[16];
	desc->bNumConfigurations = b[17];
	return LIBUSB_SUCCESS;
}

/* Parse the device's configuration descriptor bytes into libusb's structures. */
static struct libusb_config_descriptor *parse_config(const uint8_t *b)
{
	struct libusb_config_descriptor *c = sr_calloc(1, sizeof(*c));
	struct libusb_interface *itf = sr_calloc(1, sizeof(*itf));
	struct libusb_interface_descriptor *alt = sr_calloc(1, sizeof(*alt));
	struct libusb_endpoint_descriptor *ep = sr_calloc(b[9 + 4], sizeof(*ep));
	*c = (struct libusb_config_descriptor){b[0], b[1], (uint16_t)(b[2] | b[3] << 8), b[4],
					       b[5], b[6], b[7], b[8], itf, NULL, 0};
	*alt = (struct libusb_interface_descriptor){b[9], b[10], b[11], b[12], b[13], b[14],
						    b[15], b[16], b[17], ep, NULL, 0};
	for (unsigned i = 0; i < alt->bNumEndpoints; i++) {
		const uint8_t *e = b + 18 + 7 * i;
		ep[i] = (struct libusb_endpoint_descriptor){e[0], e[1], e[2], e[3],
							    (uint16_t)(e[4] | e[5] << 8), e[6], 0, 0,
							    NULL, 0};
	}
	itf->altsetting = alt;
	itf->num_altsetting = 1;
	return c;
}

SHIM_API int libusb_get_config_descriptor(libusb_device *dev, uint8_t index,
					  struct libusb_config_descriptor **config)
{
	struct sr_sim_usbdev *u = shim_usb();
	uint8_t b[64];
	if (!u)
		return LIBUSB_ERROR_NO_DEVICE;
	if (index != 0)
		return LIBUSB_ERROR_NOT_FOUND;
	sr_sim_usbdev_config_desc(u, b, sizeof(b));
	*config = parse_config(b);
	return LIBUSB_SUCCESS;
}

SHIM_API int libusb_get_active_config_descriptor(libusb_device *dev,
						 struct libusb_config_descriptor **config)
{
	return libusb_get_config_descriptor(dev, 0, config);
}

SHIM_API void libusb_free_config_descriptor(struct libusb_config_descriptor *config)
{
	if (!config)
		return;
	free((void *)config->interface->altsetting->endpoint);
	free((void *)config->interface->altsetting);
	free((void *)config->interface);
	free(config);
}

/* For a bulk endpoint libusb reports wMaxPacketSize; unknown endpoints are NOT_FOUND. */
SHIM_API int libusb_get_max_iso_packet_size(libusb_device *dev, unsigned char endpoint)
{
	struct sr_sim_usbdev *u = shim_usb();
	if (!u)
		return LIBUSB_ERROR_NO_DEVICE;
	if (endpoint != sr_sim_usbdev_ep_in(u) && endpoint != sr_sim_usbdev_ep_out(u) &&
	    endpoint != sr_sim_usbdev_ep_trace(u))
		return LIBUSB_ERROR_NOT_FOUND;
	return sr_sim_usbdev_max_packet(u);
}

SHIM_API int libusb_open(libusb_device *dev, libusb_device_handle **handle)
{
	shim_lock();
	struct sr_sim_usbdev *u = shim_usb();
	if (!u || !sr_sim_usbdev_present(u)) {
		shim_unlock();
		return LIBUSB_ERROR_NO_DEVICE;
	}
	struct libusb_device_handle *h = sr_calloc(1, sizeof(*h));
	h->dev = libusb_ref_device(dev);
	*handle = h;
	shim_unlock();
	return LIBUSB_SUCCESS;
}

SHIM_API libusb_device_handle *libusb_open_device_with_vid_pid(libusb_context *ctx,
							       uint16_t vid, uint16_t pid)
{
	libusb_device **list;
	libusb_device_handle *h = NULL;
	struct libusb_device_descriptor desc;
	if (libusb_get_device_list(ctx, &list) > 0 &&
	    libusb_get_device_descriptor(list[0], &desc) == 0 && desc.idVendor == vid &&
	    desc.idProduct == pid && libusb_open(list[0], &h) != 0)
		h = NULL;
	libusb_free_device_list(list, 1);
	return h;
}

/* Closing a handle is a good moment to persist the board: a client may never call exit. */
SHIM_API void libusb_close(libusb_device_handle *h)
{
	if (!h)
		return;
	shim_lock();
	shim_save();
	libusb_unref_device(h->dev);
	free(h);
	shim_unlock();
}

SHIM_API libusb_device *libusb_get_device(libusb_device_handle *h) { return h->dev; }

SHIM_API int libusb_get_configuration(libusb_device_handle *h, int *config)
{
	struct sr_sim_usbdev *u = shim_usb();
	if (!u || !sr_sim_usbdev_present(u))
		return LIBUSB_ERROR_NO_DEVICE;
	*config = sr_sim_usbdev_configuration(u);
	return LIBUSB_SUCCESS;
}

SHIM_API int libusb_set_configuration(libusb_device_handle *h, int config)
{
	struct sr_sim_usbdev *u = shim_usb();
	size_t n;
	if (!u)
		return LIBUSB_ERROR_NO_DEVICE;
	if (h->claimed)
		return LIBUSB_ERROR_BUSY;
	return shim_usb_error(
		sr_sim_usbdev_control(u, 0x00, 9, (uint16_t)(config < 0 ? 0 : config), 0, NULL, 0, &n));
}

SHIM_API int libusb_claim_interface(libusb_device_handle *h, int n)
{
	struct sr_sim_usbdev *u = shim_usb();
	if (!u || !sr_sim_usbdev_present(u))
		return LIBUSB_ERROR_NO_DEVICE;
	if (n != 0 || sr_sim_usbdev_configuration(u) != 1)
		return LIBUSB_ERROR_NOT_FOUND;
	h->claimed |= 1u;
	return LIBUSB_SUCCESS;
}

SHIM_API int libusb_release_interface(libusb_device_handle *h, int n)
{
	if (n != 0 || !(h->claimed & 1u))
		return LIBUSB_ERROR_NOT_FOUND;
	h->claimed &= ~1u;
	return LIBUSB_SUCCESS;
}

SHIM_API int libusb_set_interface_alt_setting(libusb_device_handle *h, int n, int alt)
{
	struct sr_sim_usbdev *u = shim_usb();
	size_t got;
	if (!u)
		return LIBUSB_ERROR_NO_DEVICE;
	if (!(h->claimed & 1u) || n != 0)
		return LIBUSB_ERROR_NOT_FOUND;
	return shim_usb_error(sr_sim_usbdev_control(u, 0x01, 11, (uint16_t)alt, (uint16_t)n, NULL,
						    0, &got));
}

SHIM_API int libusb_clear_halt(libusb_device_handle *h, unsigned char endpoint)
{
	struct sr_sim_usbdev *u = shim_usb();
	if (!u || !sr_sim_usbdev_present(u))
		return LIBUSB_ERROR_NO_DEVICE;
	sr_sim_usbdev_clear_halt(u, endpoint);
	return LIBUSB_SUCCESS;
}

/* A port reset clears halted endpoints; it does not cure firmware that hung. */
SHIM_API int libusb_reset_device(libusb_device_handle *h)
{
	struct sr_sim_usbdev *u = shim_usb();
	if (!u || !sr_sim_usbdev_present(u))
		return LIBUSB_ERROR_NO_DEVICE;
	sr_sim_usbdev_clear_halt(u, sr_sim_usbdev_ep_in(u));
	sr_sim_usbdev_clear_halt(u, sr_sim_usbdev_ep_out(u));
	return LIBUSB_SUCCESS;
}

/* Interface 0 is vendor-specific: no kernel driver ever binds to it (PROBE-RECOVERY 4.1). */
SHIM_API int libusb_kernel_driver_active(libusb_device_handle *h, int n) { return 0; }
SHIM_API int libusb_detach_kernel_driver(libusb_device_handle *h, int n)
{
	return LIBUSB_ERROR_NOT_FOUND;
}
SHIM_API int libusb_attach_kernel_driver(libusb_device_handle *h, int n)
{
	return LIBUSB_ERROR_NOT_FOUND;
}
SHIM_API int libusb_set_auto_detach_kernel_driver(libusb_device_handle *h, int enable)
{
	return LIBUSB_SUCCESS;
}

/* As libusb does it: LANGID from string 0, then the string, non-ASCII as '?'. */
SHIM_API int libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t index,
						unsigned char *data, int length)
{
	unsigned char buf[255];
	int r;
	if (index == 0)
		return LIBUSB_ERROR_INVALID_PARAM;
	r = libusb_control_transfer(h, 0x80, 6, 0x0300, 0, buf, sizeof(buf), 1000);
	if (r < 4)
		return r < 0 ? r : LIBUSB_ERROR_IO;
	uint16_t langid = (uint16_t)(buf[2] | buf[3] << 8);
	r = libusb_control_transfer(h, 0x80, 6, (uint16_t)(0x0300 | index), langid, buf,
				    sizeof(buf), 1000);
	if (r < 0)
		return r;
	if (r < 2 || buf[1] != 3 || buf[0] > r)
		return LIBUSB_ERROR_IO;
	int n = 0;
	for (int i = 2; i + 1 < buf[0] && n < length - 1; i += 2)
		data[n++] = buf[i + 1] || buf[i] & 0x80 ? '?' : buf[i];
	if (length > 0)
		data[n] = 0;
	return n;
}
