/*
 * Transfers of the libusb-1.0 drop-in: asynchronous submit/cancel with callbacks
 * run only from libusb_handle_events*, and the synchronous bulk, interrupt and
 * control calls built on the same queue, as libusb builds them.
 *
 * openocd 0.12 submits the 16-byte command OUT and the reply IN (or data OUT)
 * before it waits (stlink_usb.c jtag_libusb_bulk_transfer_n, reference section
 * 2.5), so an IN may be queued before its reply exists. Transfers are carried
 * out in submission order as soon as they can be; an IN waits on its endpoint
 * until the probe has something to send.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "sim/libusb-shim.h"

#define XFER_OF(t) ((struct shim_xfer *)((char *)(t) - offsetof(struct shim_xfer, pub)))

int shim_usb_error(enum sr_sim_usb_result r)
{
	switch (r) {
	case SR_SIM_USB_OK: return LIBUSB_SUCCESS;
	case SR_SIM_USB_TIMEOUT: return LIBUSB_ERROR_TIMEOUT;
	case SR_SIM_USB_STALL: return LIBUSB_ERROR_PIPE;
	case SR_SIM_USB_OVERFLOW: return LIBUSB_ERROR_OVERFLOW;
	case SR_SIM_USB_NO_DEVICE: return LIBUSB_ERROR_NO_DEVICE;
	case SR_SIM_USB_INVALID: return LIBUSB_ERROR_IO;
	}
	return LIBUSB_ERROR_OTHER;
}

enum libusb_transfer_status shim_usb_status(enum sr_sim_usb_result r)
{
	switch (r) {
	case SR_SIM_USB_OK: return LIBUSB_TRANSFER_COMPLETED;
	case SR_SIM_USB_TIMEOUT: return LIBUSB_TRANSFER_TIMED_OUT;
	case SR_SIM_USB_STALL: return LIBUSB_TRANSFER_STALL;
	case SR_SIM_USB_OVERFLOW: return LIBUSB_TRANSFER_OVERFLOW;
	case SR_SIM_USB_NO_DEVICE: return LIBUSB_TRANSFER_NO_DEVICE;
	case SR_SIM_USB_INVALID: return LIBUSB_TRANSFER_ERROR;
	}
	return LIBUSB_TRANSFER_ERROR;
}

SHIM_API struct libusb_transfer *libusb_alloc_transfer(int iso_packets)
{
	size_t size = sizeof(struct shim_xfer) +
		      (size_t)(iso_packets > 0 ? iso_packets : 0) *
			      sizeof(struct libusb_iso_packet_descriptor);
	struct shim_xfer *x = calloc(1, size);
	if (!x)
		return NULL;
	x->pub.num_iso_packets = iso_packets;
	return &x->pub;
}

SHIM_API void libusb_free_transfer(struct libusb_transfer *t)
{
	if (!t)
		return;
	if (t->flags & LIBUSB_TRANSFER_FREE_BUFFER)
		free(t->buffer);
	free(XFER_OF(t));
}

static void push(struct shim_xfer **head, struct shim_xfer **tail, struct shim_xfer *x)
{
	x->next = NULL;
	if (*tail)
		(*tail)->next = x;
	else
		*head = x;
	*tail = x;
}

/* Remove X from the pending list of C; false if it is not there. */
static bool unlink_pending(struct libusb_context *c, struct shim_xfer *x)
{
	struct shim_xfer *prev = NULL;
	for (struct shim_xfer *i = c->pending; i; prev = i, i = i->next) {
		if (i != x)
			continue;
		if (prev)
			prev->next = x->next;
		else
			c->pending = x->next;
		if (c->pending_tail == x)
			c->pending_tail = prev;
		x->pending = false;
		return true;
	}
	return false;
}

static void finish(struct libusb_context *c, struct shim_xfer *x,
		   enum libusb_transfer_status st, size_t actual)
{
	unlink_pending(c, x);
	x->pub.status = st;
	x->pub.actual_length = (int)actual;
	if (st == LIBUSB_TRANSFER_COMPLETED && (x->pub.flags & LIBUSB_TRANSFER_SHORT_NOT_OK) &&
	    (x->pub.endpoint & LIBUSB_ENDPOINT_IN) && (int)actual < x->pub.length)
		x->pub.status = LIBUSB_TRANSFER_ERROR;
	push(&c->done, &c->done_tail, x);
}

/* A control transfer's buffer starts with the 8-byte setup packet (USB 2.0 9.3). */
static void run_control(struct libusb_context *c, struct sr_sim_usbdev *u, struct shim_xfer *x)
{
	unsigned char *s = x->pub.buffer;
	uint16_t len = (uint16_t)(s[6] | s[7] << 8);
	size_t got = 0;
	enum sr_sim_usb_result r = sr_sim_usbdev_control(
		u, s[0], s[1], (uint16_t)(s[2] | s[3] << 8), (uint16_t)(s[4] | s[5] << 8), s + 8,
		len, &got);
	finish(c, x, shim_usb_status(r), got + (r == SR_SIM_USB_OK ? 8 : 0));
}

/* Try to carry out X; false when it must keep waiting for the device. */
static bool try_run(struct libusb_context *c, struct sr_sim_usbdev *u, struct shim_xfer *x)
{
	size_t got = 0;
	if (!u || !sr_sim_usbdev_present(u)) {
		finish(c, x, LIBUSB_TRANSFER_NO_DEVICE, 0);
		return true;
	}
	if (x->pub.type == LIBUSB_TRANSFER_TYPE_CONTROL) {
		run_control(c, u, x);
		return true;
	}
	if (x->pub.type == LIBUSB_TRANSFER_TYPE_ISOCHRONOUS) {
		finish(c, x, LIBUSB_TRANSFER_ERROR, 0);
		return true;
	}
	enum sr_sim_usb_result r =
		sr_sim_usbdev_bulk(u, x->pub.endpoint, x->pub.buffer, (size_t)x->pub.length, &got);
	if (r == SR_SIM_USB_TIMEOUT)
		return false;
	finish(c, x, shim_usb_status(r), got);
	return true;
}

/*
 * Carry out whatever can be done, in submission order. An IN that finds nothing
 * blocks later INs on the same endpoint (USB keeps them in order) but not OUTs.
 */
static void pump(struct libusb_context *c)
{
	struct sr_sim_usbdev *u = shim_usb();
	bool progress = true;
	while (progress) {
		uint8_t blocked[32] = {0}; /* IN endpoints found empty in this pass */
		progress = false;
		for (struct shim_xfer *x = c->pending, *next; x; x = next) {
			next = x->next;
			uint8_t ep = x->pub.endpoint & 0x8F;
			bool in = (x->pub.endpoint & LIBUSB_ENDPOINT_IN) &&
				  x->pub.type != LIBUSB_TRANSFER_TYPE_CONTROL;
			if (in && blocked[ep & 0x1F])
				continue;
			if (try_run(c, u, x))
				progress = true;
			else if (in)
				blocked[ep & 0x1F] = 1;
		}
	}
}

SHIM_API int libusb_submit_transfer(struct libusb_transfer *t)
{
	struct shim_xfer *x = XFER_OF(t);
	shim_lock();
	struct libusb_context *c = t->dev_handle->dev->ctx;
	if (!c || x->pending) {
		shim_unlock();
		return c ? LIBUSB_ERROR_BUSY : LIBUSB_ERROR_NO_DEVICE;
	}
	struct sr_sim_usbdev *u = shim_usb();
	if (!u || !sr_sim_usbdev_present(u)) {
		shim_unlock();
		return LIBUSB_ERROR_NO_DEVICE;
	}
	shim_enter();
	x->pending = true;
	t->actual_length = 0;
	push(&c->pending, &c->pending_tail, x);
	pump(c);
	shim_leave();
	shim_unlock();
	return LIBUSB_SUCCESS;
}

SHIM_API int libusb_cancel_transfer(struct libusb_transfer *t)
{
	struct shim_xfer *x = XFER_OF(t);
	shim_lock();
	struct libusb_context *c = t->dev_handle->dev->ctx;
	int rc = LIBUSB_ERROR_NOT_FOUND;
	if (c && x->pending) {
		finish(c, x, LIBUSB_TRANSFER_CANCELLED, 0);
		rc = LIBUSB_SUCCESS;
	}
	shim_unlock();
	return rc;
}

/* Run the callbacks of everything finished so far; they may submit more. */
static void run_callbacks(struct libusb_context *c)
{
	struct shim_xfer *list = c->done;
	c->done = c->done_tail = NULL;
	while (list) {
		struct shim_xfer *x = list;
		list = x->next;
		x->next = NULL;
		uint8_t flags = x->pub.flags;
		if (x->pub.callback)
			x->pub.callback(&x->pub);
		if (flags & LIBUSB_TRANSFER_FREE_TRANSFER)
			libusb_free_transfer(&x->pub);
	}
}

/*
 * Virtual time does not flow while the client waits, so a transfer that cannot
 * finish now never will: when nothing is done and the caller is willing to block,
 * the oldest waiting transfer times out at once.
 */
SHIM_API int libusb_handle_events_timeout_completed(libusb_context *ctx, struct timeval *tv,
						    int *completed)
{
	shim_lock();
	struct libusb_context *c = shim_ctx(ctx);
	shim_enter();
	pump(c);
	bool may_block = !tv || tv->tv_sec || tv->tv_usec;
	if (!c->done && c->pending && may_block && !(completed && *completed)) {
		sr_debug("sim: transfer on endpoint 0x%02x timed out (nothing to send)",
			 c->pending->pub.endpoint);
		finish(c, c->pending, LIBUSB_TRANSFER_TIMED_OUT, 0);
	}
	run_callbacks(c);
	shim_leave();
	shim_unlock();
	return LIBUSB_SUCCESS;
}

SHIM_API int libusb_handle_events_timeout(libusb_context *ctx, struct timeval *tv)
{
	return libusb_handle_events_timeout_completed(ctx, tv, NULL);
}

SHIM_API int libusb_handle_events_completed(libusb_context *ctx, int *completed)
{
	return libusb_handle_events_timeout_completed(ctx, NULL, completed);
}

SHIM_API int libusb_handle_events(libusb_context *ctx)
{
	return libusb_handle_events_timeout_completed(ctx, NULL, NULL);
}

static void LIBUSB_CALL sync_cb(struct libusb_transfer *t) { *(int *)t->user_data = 1; }

/* The synchronous calls: submit, then handle events until this transfer is done. */
static int sync_transfer(libusb_device_handle *h, unsigned char ep, unsigned char type,
			 unsigned char *data, int length, int *transferred, unsigned int timeout)
{
	int done = 0, rc;
	struct libusb_transfer *t = libusb_alloc_transfer(0);
	if (!t)
		return LIBUSB_ERROR_NO_MEM;
	libusb_fill_bulk_transfer(t, h, ep, data, length, sync_cb, &done, timeout);
	t->type = type;
	rc = libusb_submit_transfer(t);
	if (rc < 0) {
		libusb_free_transfer(t);
		return rc;
	}
	while (!done)
		libusb_handle_events_completed(h->dev->ctx, &done);
	if (transferred)
		*transferred = t->actual_length;
	switch (t->status) {
	case LIBUSB_TRANSFER_COMPLETED: rc = 0; break;
	case LIBUSB_TRANSFER_TIMED_OUT: rc = LIBUSB_ERROR_TIMEOUT; break;
	case LIBUSB_TRANSFER_STALL: rc = LIBUSB_ERROR_PIPE; break;
	case LIBUSB_TRANSFER_OVERFLOW: rc = LIBUSB_ERROR_OVERFLOW; break;
	case LIBUSB_TRANSFER_NO_DEVICE: rc = LIBUSB_ERROR_NO_DEVICE; break;
	default: rc = LIBUSB_ERROR_IO; break;
	}
	libusb_free_transfer(t);
	return rc;
}

SHIM_API int libusb_bulk_transfer(libusb_device_handle *h, unsigned char endpoint,
				  unsigned char *data, int length, int *transferred,
				  unsigned int timeout)
{
	return sync_transfer(h, endpoint, LIBUSB_TRANSFER_TYPE_BULK, data, length, transferred,
			     timeout);
}

SHIM_API int libusb_interrupt_transfer(libusb_device_handle *h, unsigned char endpoint,
				       unsigned char *data, int length, int *transferred,
				       unsigned int timeout)
{
	return sync_transfer(h, endpoint, LIBUSB_TRANSFER_TYPE_INTERRUPT, data, length,
			     transferred, timeout);
}

/* Synchronous control transfer: returns the number of data bytes or an error. */
SHIM_API int libusb_control_transfer(libusb_device_handle *h, uint8_t bm_request_type,
				     uint8_t b_request, uint16_t w_value, uint16_t w_index,
				     unsigned char *data, uint16_t w_length, unsigned int timeout)
{
	unsigned char *buf = malloc((size_t)w_length + LIBUSB_CONTROL_SETUP_SIZE);
	int got = 0, rc;
	if (!buf)
		return LIBUSB_ERROR_NO_MEM;
	libusb_fill_control_setup(buf, bm_request_type, b_request, w_value, w_index, w_length);
	if (!(bm_request_type & LIBUSB_ENDPOINT_IN) && w_length)
		memcpy(buf + LIBUSB_CONTROL_SETUP_SIZE, data, w_length);
	rc = sync_transfer(h, 0, LIBUSB_TRANSFER_TYPE_CONTROL, buf,
			   w_length + LIBUSB_CONTROL_SETUP_SIZE, &got, timeout);
	got -= LIBUSB_CONTROL_SETUP_SIZE;
	if (rc == 0 && (bm_request_type & LIBUSB_ENDPOINT_IN) && got > 0)
		memcpy(data, buf + LIBUSB_CONTROL_SETUP_SIZE, (size_t)got);
	free(buf);
	return rc < 0 ? rc : (got > 0 ? got : 0);
}
