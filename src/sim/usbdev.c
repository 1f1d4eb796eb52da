/*
 * The virtual ST-Link as the USB host sees it: descriptors per persona, the
 * standard control requests, bulk endpoint routing into the probe firmware
 * model (stlink.c), USB timing on the virtual clock and injected disconnects.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/board.h"
#include "sim/state.h"
#include "sim/usbdev.h"

/*
 * USB timing. A command exchange costs one bus round trip: the command OUT goes
 * out in one (micro)frame and the reply IN is collected in the next. Frames are
 * 1 ms at full speed and microframes 125 us at high speed (USB 2.0 section 5.8.4),
 * so the model charges 1 ms per exchange on V2/V2-1 and 2 x 125 us on V3.
 * Payload bytes cost the bus's bulk bandwidth: at most 19 x 64-byte bulk
 * transactions per FS frame (USB 2.0 table 5-9: 1.216 MB/s, 822 ns/byte) and
 * 13 x 512 bytes per HS microframe (table 5-10: 53.248 MB/s, 18.8 ns/byte).
 */
#define FS_EXCHANGE_NS 1000000u
#define HS_EXCHANGE_NS 250000u
#define FS_PS_PER_BYTE 822368u
#define HS_PS_PER_BYTE 18780u
/* Host gaps longer than this are a paused process, not link time. */
#define HOST_GAP_MAX_NS 1000000000ull

#define ST_STR_LANGID 0
#define ST_STR_MANUFACTURER 1
#define ST_STR_PRODUCT 2
#define ST_STR_SERIAL 3
#define ST_STR_INTERFACE 4

struct sr_sim_usbdev {
	struct sr_sim_board *board;
	struct sr_sim_stlink *probe;
	uint8_t configuration;
	bool present, dirty, host_time;
	uint32_t disconnect_after; /* 0: never */
	struct sr_sim_usb_stats stats;
};

int sr_sim_usbdev_new(struct sr_sim_board *b, struct sr_sim_usbdev **out)
{
	struct sr_sim_usbdev *d = sr_calloc(1, sizeof(*d));
	const struct sr_sim_state *st = sr_sim_board_state(b);
	d->board = b;
	d->configuration = 1;
	d->present = true;
	d->stats.start_ns = sr_sim_now_ns(b);
	/* [faults] usb_disconnect_after (STATE.md) and [probe] disconnect_after mean the same */
	int rc = sr_sim_state_get_u32(st, "faults", "usb_disconnect_after", 0, &d->disconnect_after);
	if (rc == SR_OK && !d->disconnect_after)
		rc = sr_sim_state_get_u32(st, "probe", "disconnect_after", 0, &d->disconnect_after);
	if (rc == SR_OK)
		rc = sr_sim_state_get_bool(st, "probe", "host_time", true, &d->host_time);
	if (rc == SR_OK)
		rc = sr_sim_stlink_new(b, &d->probe);
	if (rc != SR_OK) {
		free(d);
		sr_sim_board_close(b);
		return rc;
	}
	*out = d;
	return SR_OK;
}

int sr_sim_usbdev_open(const char *state_path, struct sr_sim_usbdev **out)
{
	struct sr_sim_board *b;
	int rc = sr_sim_board_open(state_path, &b);
	if (rc != SR_OK) {
		sr_err("sim: cannot open board \"%s\": %s", state_path, sr_strerror(rc));
		return rc;
	}
	return sr_sim_usbdev_new(b, out);
}

int sr_sim_usbdev_save(struct sr_sim_usbdev *d)
{
	if (!d->dirty)
		return SR_OK;
	sr_sim_stlink_store(d->probe);
	int rc = sr_sim_board_save(d->board);
	if (rc == SR_OK)
		d->dirty = false;
	else
		sr_err("sim: saving the board state failed: %s", sr_strerror(rc));
	return rc;
}

void sr_sim_usbdev_close(struct sr_sim_usbdev *d)
{
	if (!d)
		return;
	sr_sim_usbdev_save(d);
	sr_sim_stlink_free(d->probe);
	/* The board was just saved (or is unchanged); closing saves it again only if the
	 * chip side finds it changed. */
	sr_sim_board_close(d->board);
	free(d);
}

struct sr_sim_stlink *sr_sim_usbdev_probe(struct sr_sim_usbdev *d) { return d->probe; }
struct sr_sim_board *sr_sim_usbdev_board(struct sr_sim_usbdev *d) { return d->board; }
bool sr_sim_usbdev_present(const struct sr_sim_usbdev *d) { return d->present; }

void sr_sim_usbdev_stats(const struct sr_sim_usbdev *d, struct sr_sim_usb_stats *out)
{
	*out = d->stats;
	out->now_ns = sr_sim_now_ns(d->board);
	sr_sim_stlink_stats(d->probe, &out->probe);
}

static const struct sr_sim_stlink_persona *persona(const struct sr_sim_usbdev *d)
{
	return sr_sim_stlink_persona(d->probe);
}

/* V2: OUT 0x02, trace 0x83; V2-1 and V3: OUT 0x01, trace 0x82; replies on 0x81. */
uint8_t sr_sim_usbdev_ep_out(const struct sr_sim_usbdev *d)
{
	return persona(d)->gen == SR_SIM_STLINK_V2 ? 0x02 : 0x01;
}

uint8_t sr_sim_usbdev_ep_in(const struct sr_sim_usbdev *d) { return 0x81; }

uint8_t sr_sim_usbdev_ep_trace(const struct sr_sim_usbdev *d)
{
	return persona(d)->gen == SR_SIM_STLINK_V2 ? 0x83 : 0x82;
}

uint16_t sr_sim_usbdev_max_packet(const struct sr_sim_usbdev *d)
{
	return persona(d)->high_speed ? 512 : 64;
}

uint8_t sr_sim_usbdev_configuration(const struct sr_sim_usbdev *d) { return d->configuration; }

/* USB 2.0 table 9-8. Only the debug interface is modelled: the clients need no other. */
void sr_sim_usbdev_device_desc(const struct sr_sim_usbdev *d, uint8_t out[18])
{
	const struct sr_sim_stlink_persona *v = persona(d);
	const uint8_t desc[18] = {
		18, 1, 0x00, 0x02, /* bLength, DEVICE, bcdUSB 2.00 */
		0x00, 0x00, 0x00, 64, /* class per interface, bMaxPacketSize0 */
		(uint8_t)v->vid, (uint8_t)(v->vid >> 8), (uint8_t)v->pid, (uint8_t)(v->pid >> 8),
		0x00, 0x01, /* bcdDevice 1.00 */
		ST_STR_MANUFACTURER, ST_STR_PRODUCT, ST_STR_SERIAL, 1, /* one configuration */
	};
	memcpy(out, desc, sizeof(desc));
}

/* One configuration, interface 0 (vendor class) with three bulk endpoints (USB 2.0 9.6.3-6). */
size_t sr_sim_usbdev_config_desc(const struct sr_sim_usbdev *d, uint8_t *out, size_t cap)
{
	uint16_t mps = sr_sim_usbdev_max_packet(d);
	uint8_t lo = (uint8_t)mps, hi = (uint8_t)(mps >> 8);
	const uint8_t desc[39] = {
		9, 2, 39, 0, 1, 1, 0, 0x80, 50, /* 1 interface, value 1, bus powered, 100 mA */
		9, 4, 0, 0, 3, 0xFF, 0xFF, 0xFF, ST_STR_INTERFACE,
		7, 5, sr_sim_usbdev_ep_in(d), 2, lo, hi, 0,
		7, 5, sr_sim_usbdev_ep_out(d), 2, lo, hi, 0,
		7, 5, sr_sim_usbdev_ep_trace(d), 2, lo, hi, 0,
	};
	memcpy(out, desc, cap < sizeof(desc) ? cap : sizeof(desc));
	return sizeof(desc);
}

static const char *string_text(const struct sr_sim_usbdev *d, uint8_t idx)
{
	switch (idx) {
	case ST_STR_MANUFACTURER: return "STMicroelectronics";
	case ST_STR_PRODUCT:
		return persona(d)->gen == SR_SIM_STLINK_V3 ? "STLINK-V3" : "STM32 STLink";
	case ST_STR_SERIAL: return persona(d)->serial;
	case ST_STR_INTERFACE: return "ST-Link Debug";
	default: return NULL;
	}
}

/*
 * String descriptor IDX (USB 2.0 9.6.7): UTF-16LE with bLength covering the whole
 * string even when wLength cuts it short; stlink 1.7.0 checks bLength 50 for the
 * 24-character serial while asking for 48 bytes.
 */
static enum sr_sim_usb_result string_desc(const struct sr_sim_usbdev *d, uint8_t idx,
					  uint8_t *data, uint16_t len, size_t *actual)
{
	uint8_t buf[2 + 2 * 126];
	size_t n;
	if (idx == ST_STR_LANGID) {
		const uint8_t langid[4] = {4, 3, 0x09, 0x04}; /* en-US */
		memcpy(buf, langid, 4);
		n = 4;
	} else {
		const char *s = string_text(d, idx);
		if (!s)
			return SR_SIM_USB_STALL;
		size_t chars = strlen(s);
		for (size_t i = 0; i < chars; i++) {
			buf[2 + 2 * i] = (uint8_t)s[i];
			buf[3 + 2 * i] = 0;
		}
		n = 2 + 2 * chars;
		buf[0] = (uint8_t)n;
		buf[1] = 3;
	}
	*actual = n < len ? n : len;
	memcpy(data, buf, *actual);
	return SR_SIM_USB_OK;
}

static enum sr_sim_usb_result get_descriptor(struct sr_sim_usbdev *d, uint16_t w_value,
					     uint8_t *data, uint16_t len, size_t *actual)
{
	uint8_t type = (uint8_t)(w_value >> 8), idx = (uint8_t)w_value;
	uint8_t buf[64];
	size_t n;
	switch (type) {
	case 1:
		sr_sim_usbdev_device_desc(d, buf);
		n = 18;
		break;
	case 2:
		if (idx != 0)
			return SR_SIM_USB_STALL;
		n = sr_sim_usbdev_config_desc(d, buf, sizeof(buf));
		break;
	case 3: return string_desc(d, idx, data, len, actual);
	default: return SR_SIM_USB_STALL; /* e.g. no device qualifier: a request error */
	}
	*actual = n < len ? n : len;
	memcpy(data, buf, *actual);
	return SR_SIM_USB_OK;
}

enum sr_sim_usb_result sr_sim_usbdev_control(struct sr_sim_usbdev *d, uint8_t bm_request_type,
					     uint8_t b_request, uint16_t w_value, uint16_t w_index,
					     uint8_t *data, uint16_t w_length, size_t *actual)
{
	*actual = 0;
	if (!d->present)
		return SR_SIM_USB_NO_DEVICE;
	d->stats.control_transfers++;
	switch (bm_request_type << 8 | b_request) {
	case 0x8006: return get_descriptor(d, w_value, data, w_length, actual);
	case 0x8008: /* GET_CONFIGURATION */
		if (w_length < 1)
			return SR_SIM_USB_OK;
		data[0] = d->configuration;
		*actual = 1;
		return SR_SIM_USB_OK;
	case 0x0009: /* SET_CONFIGURATION */
		if (w_value > 1)
			return SR_SIM_USB_STALL;
		d->configuration = (uint8_t)w_value;
		return SR_SIM_USB_OK;
	case 0x8000: case 0x8100: case 0x8200: /* GET_STATUS */
		memset(data, 0, w_length < 2 ? w_length : 2);
		*actual = w_length < 2 ? w_length : 2;
		return SR_SIM_USB_OK;
	case 0x010B: /* SET_INTERFACE: only alternate setting 0 exists */
		return w_value == 0 && w_index == 0 ? SR_SIM_USB_OK : SR_SIM_USB_STALL;
	case 0x0201: /* CLEAR_FEATURE(ENDPOINT_HALT) */
		sr_sim_usbdev_clear_halt(d, (uint8_t)w_index);
		return SR_SIM_USB_OK;
	default:
		sr_info("sim: control request %02x/%02x not supported: STALL", bm_request_type,
			b_request);
		return SR_SIM_USB_STALL;
	}
}

static enum sr_sim_usb_result io_result(enum sr_sim_stlink_io io)
{
	switch (io) {
	case SR_SIM_IO_OK: return SR_SIM_USB_OK;
	case SR_SIM_IO_EMPTY: return SR_SIM_USB_TIMEOUT;
	case SR_SIM_IO_STALL: return SR_SIM_USB_STALL;
	case SR_SIM_IO_OVERFLOW: return SR_SIM_USB_OVERFLOW;
	}
	return SR_SIM_USB_INVALID;
}

/* Charge bus time for BYTES of payload, plus one round trip if a command started. */
static void charge(struct sr_sim_usbdev *d, size_t bytes, bool command)
{
	bool hs = persona(d)->high_speed;
	uint64_t ns = (uint64_t)bytes * (hs ? HS_PS_PER_BYTE : FS_PS_PER_BYTE) / 1000u;
	if (command)
		ns += hs ? HS_EXCHANGE_NS : FS_EXCHANGE_NS;
	d->stats.link_ns += ns;
	sr_sim_advance(d->board, ns);
}

/* Injected fault: the probe drops off the bus after N command exchanges. */
static bool unplugged(struct sr_sim_usbdev *d)
{
	if (d->present && d->disconnect_after && d->stats.transactions >= d->disconnect_after) {
		sr_info("sim: probe disconnected after %llu transactions (disconnect_after)",
			(unsigned long long)d->stats.transactions);
		d->present = false;
	}
	return !d->present;
}

enum sr_sim_usb_result sr_sim_usbdev_bulk(struct sr_sim_usbdev *d, uint8_t endpoint,
					  uint8_t *data, size_t len, size_t *actual)
{
	enum sr_sim_stlink_io io;
	bool command = false;
	*actual = 0;
	if (unplugged(d))
		return SR_SIM_USB_NO_DEVICE;
	if (endpoint == sr_sim_usbdev_ep_out(d)) {
		d->dirty = true;
		io = sr_sim_stlink_out(d->probe, data, len, &command);
		if (io == SR_SIM_IO_OK)
			*actual = len;
		d->stats.transactions += command;
		d->stats.bytes_out += *actual;
	} else if (endpoint == sr_sim_usbdev_ep_in(d)) {
		io = sr_sim_stlink_in(d->probe, data, len, actual);
		d->stats.bytes_in += *actual;
	} else if (endpoint == sr_sim_usbdev_ep_trace(d)) {
		io = sr_sim_stlink_trace_in(d->probe, data, len, actual);
	} else {
		sr_info("sim: bulk transfer on endpoint 0x%02x, which does not exist", endpoint);
		return SR_SIM_USB_INVALID;
	}
	if (io != SR_SIM_IO_EMPTY) /* an IN that finds nothing has not happened yet */
		d->stats.bulk_transfers++;
	charge(d, *actual, command);
	return io_result(io);
}

void sr_sim_usbdev_clear_halt(struct sr_sim_usbdev *d, uint8_t endpoint)
{
	if (endpoint == sr_sim_usbdev_ep_in(d))
		sr_sim_stlink_clear_halt(d->probe, true);
	else if (endpoint == sr_sim_usbdev_ep_out(d))
		sr_sim_stlink_clear_halt(d->probe, false);
}

void sr_sim_usbdev_host_gap(struct sr_sim_usbdev *d, uint64_t ns)
{
	if (!d->host_time || !ns)
		return;
	if (ns > HOST_GAP_MAX_NS)
		ns = HOST_GAP_MAX_NS;
	d->stats.host_ns += ns;
	sr_sim_advance(d->board, ns);
}
