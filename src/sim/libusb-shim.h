/*
 * Private to the libusb-1.0 drop-in: the objects behind libusb's opaque types
 * and the one process-wide record the libusb ABI forces on us (the default
 * context, and the virtual device shared by every context of the process).
 */
#ifndef SR_SIM_LIBUSB_SHIM_H
#define SR_SIM_LIBUSB_SHIM_H

#include <libusb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "sim/usbdev.h"

#define SHIM_API __attribute__((visibility("default")))

/* Private part of a transfer; the public struct comes last for its iso descriptors. */
struct shim_xfer {
	struct shim_xfer *next;
	bool pending;
	struct libusb_transfer pub;
};

struct libusb_context {
	struct libusb_context *next; /* the process's list of live contexts */
	struct libusb_device *device; /* this context's view of the probe, or NULL */
	struct shim_xfer *pending, *pending_tail; /* submitted, in submission order */
	struct shim_xfer *done, *done_tail;       /* finished, callbacks not yet run */
	int log_level;
};

struct libusb_device {
	struct libusb_context *ctx;
	int refs;
};

struct libusb_device_handle {
	struct libusb_device *dev;
	uint32_t claimed;
};

/* Everything process-wide. One instance, in libusb-shim.c. */
struct shim_process {
	pthread_mutex_t lock; /* recursive: callbacks may call back into the API */
	struct libusb_context default_ctx;
	int default_refs;
	struct libusb_context *contexts;
	struct sr_sim_usbdev *usb; /* the virtual probe, opened on first enumeration */
	bool usb_failed, setup_done;
	struct timespec left_at; /* when the shim last returned to the client */
};

extern struct shim_process shim;

void shim_lock(void);
void shim_unlock(void);
/* Around data-path calls: the client's time between calls passes on the board. */
void shim_enter(void);
void shim_leave(void);
/* The virtual device, opened from $STMRESCUE_SIM on first use; NULL when none. */
struct sr_sim_usbdev *shim_usb(void);
struct libusb_context *shim_ctx(libusb_context *ctx);
int shim_usb_error(enum sr_sim_usb_result r);
enum libusb_transfer_status shim_usb_status(enum sr_sim_usb_result r);
/* Save the board if anything reached it. */
void shim_save(void);

#endif
