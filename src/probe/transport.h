/*
 * The seam between the ST-Link driver and whatever carries its bytes: real USB
 * through libusb (probe/usb.c), or the virtual lab in the same process. All
 * traffic passes one function, sr_transport_xfer(), which logs it.
 */
#ifndef SR_TRANSPORT_H
#define SR_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/msgs.h"

struct sr_transport;

struct sr_transport_ops {
	const char *name;
	/* Send the 16-byte command CMD, then OUT_LEN bytes of OUT (a data phase), then
	 * read up to IN_LEN bytes into IN; *GOT is how many came. Returns sr_err. */
	int (*xfer)(struct sr_transport *t, const uint8_t *cmd, const uint8_t *out,
		    size_t out_len, uint8_t *in, size_t in_len, size_t *got);
	/* USB port reset of the probe (the stage after leaving debug mode). */
	int (*usb_reset)(struct sr_transport *t);
	/* Read and throw away reply bytes left on the IN endpoint by an earlier program
	 * (short reads until the first timeout); returns how many. */
	size_t (*drain)(struct sr_transport *t);
	/* Let US microseconds pass (a real sleep, or virtual time on the lab's clock). */
	void (*sleep)(struct sr_transport *t, unsigned us);
	void (*close)(struct sr_transport *t);
};

struct sr_transport {
	const struct sr_transport_ops *ops;
	void *priv;
	uint16_t vid, pid;
	uint8_t bus, addr;
	char serial[64];
	unsigned long n_xfers; /* commands sent, for benchmarks */
};

/* One exchange, logged at SR_LOG_TRACE as a hex dump. */
int sr_transport_xfer(struct sr_transport *t, const uint8_t *cmd, const uint8_t *out,
		      size_t out_len, uint8_t *in, size_t in_len, size_t *got);
void sr_transport_close(struct sr_transport *t);
void sr_transport_sleep(struct sr_transport *t, unsigned us);
size_t sr_transport_drain(struct sr_transport *t);

/* Open the probe SPEC names: "sim:FILE" for a virtual board, else as sr_usb_open(). */
int sr_probe_open(const char *spec, struct sr_transport **out, struct sr_msgs *why);
/* The virtual lab's probe of board state FILE, in this process. */
int sr_sim_transport_open(const char *path, struct sr_transport **out, struct sr_msgs *why);
/* Virtual time since the probe was opened and USB transactions so far (benchmarks);
 * SR_E_UNSUPPORTED on real USB. */
int sr_sim_transport_stats(struct sr_transport *t, uint64_t *now_ns, uint64_t *transactions);

/* A probe seen on the bus. */
struct sr_usb_probe {
	uint16_t vid, pid;
	uint8_t bus, addr;
	char serial[64];
	int open_error; /* sr_err from reading its serial, 0 if fine */
};

/* Every ST-Link on the bus (any PID of probe/stlink-proto.h). */
int sr_usb_list(struct sr_usb_probe **out, int *n, struct sr_msgs *why);
/* Open the probe SPEC names (serial, usb:BUS:ADDR, or NULL for the only one), claim it
 * and take its lock. WHY explains a failure in the user's terms. */
int sr_usb_open(const char *spec, struct sr_transport **out, struct sr_msgs *why);
/* "ST-Link/V2-1" for a PID, or NULL if it is not an ST-Link. */
const char *sr_stlink_pid_name(uint16_t pid);

#endif
