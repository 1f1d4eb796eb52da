/*
 * The virtual ST-Link as a USB device: descriptors, standard control requests,
 * the bulk endpoints of its debug interface, USB timing on the virtual clock and
 * the injected USB faults. The libusb drop-in (libusb-shim.c) sits on top.
 */
#ifndef SR_SIM_USBDEV_H
#define SR_SIM_USBDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/stlink.h"

struct sr_sim_usbdev;
struct sr_sim_board;

/* Outcome of one transfer, in the terms of libusb's transfer status. */
enum sr_sim_usb_result {
	SR_SIM_USB_OK = 0,
	SR_SIM_USB_TIMEOUT,   /* nothing to send on an IN endpoint */
	SR_SIM_USB_STALL,     /* endpoint halted, or request not supported */
	SR_SIM_USB_OVERFLOW,  /* device sent more than the host asked for */
	SR_SIM_USB_NO_DEVICE, /* unplugged */
	SR_SIM_USB_INVALID,   /* no such endpoint */
};

struct sr_sim_usb_stats {
	uint64_t transactions;  /* ST-Link command exchanges */
	uint64_t bulk_transfers;
	uint64_t control_transfers;
	uint64_t bytes_out, bytes_in;
	uint64_t link_ns;  /* virtual time charged for USB latency and transfer */
	uint64_t host_ns;  /* virtual time charged for the host's own gaps */
	uint64_t now_ns;   /* the board's clock */
	uint64_t start_ns; /* the board's clock when this device was opened */
	struct sr_sim_stlink_stats probe;
};

/* Open the board of STATE_PATH with its probe. */
int sr_sim_usbdev_open(const char *state_path, struct sr_sim_usbdev **out);
/* Build the device around an already open board (tests); the device owns B afterwards. */
int sr_sim_usbdev_new(struct sr_sim_board *b, struct sr_sim_usbdev **out);
/* Write the state file if any command reached the probe since the last save. */
int sr_sim_usbdev_save(struct sr_sim_usbdev *d);
/* Save and free. */
void sr_sim_usbdev_close(struct sr_sim_usbdev *d);

struct sr_sim_stlink *sr_sim_usbdev_probe(struct sr_sim_usbdev *d);
struct sr_sim_board *sr_sim_usbdev_board(struct sr_sim_usbdev *d);
/* False once an injected disconnect has happened. */
bool sr_sim_usbdev_present(const struct sr_sim_usbdev *d);
void sr_sim_usbdev_stats(const struct sr_sim_usbdev *d, struct sr_sim_usb_stats *out);

/* Endpoint addresses and packet size of this persona (reference section 5.1). */
uint8_t sr_sim_usbdev_ep_out(const struct sr_sim_usbdev *d);
uint8_t sr_sim_usbdev_ep_in(const struct sr_sim_usbdev *d);
uint8_t sr_sim_usbdev_ep_trace(const struct sr_sim_usbdev *d);
uint16_t sr_sim_usbdev_max_packet(const struct sr_sim_usbdev *d);

/* The 18-byte device descriptor. */
void sr_sim_usbdev_device_desc(const struct sr_sim_usbdev *d, uint8_t out[18]);
/* The configuration descriptor: copies up to CAP bytes, returns wTotalLength. */
size_t sr_sim_usbdev_config_desc(const struct sr_sim_usbdev *d, uint8_t *out, size_t cap);
uint8_t sr_sim_usbdev_configuration(const struct sr_sim_usbdev *d);

/* A control transfer on endpoint 0 (USB 2.0 section 9.4 standard requests). */
enum sr_sim_usb_result sr_sim_usbdev_control(struct sr_sim_usbdev *d, uint8_t bm_request_type,
					     uint8_t b_request, uint16_t w_value, uint16_t w_index,
					     uint8_t *data, uint16_t w_length, size_t *actual);
/* A bulk transfer; ENDPOINT bit 7 gives the direction. */
enum sr_sim_usb_result sr_sim_usbdev_bulk(struct sr_sim_usbdev *d, uint8_t endpoint,
					  uint8_t *data, size_t len, size_t *actual);
void sr_sim_usbdev_clear_halt(struct sr_sim_usbdev *d, uint8_t endpoint);
/* Let the host's own time (between its USB calls) pass on the board. */
void sr_sim_usbdev_host_gap(struct sr_sim_usbdev *d, uint64_t ns);

#endif
