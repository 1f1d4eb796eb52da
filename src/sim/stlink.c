/*
 * The virtual ST-Link's firmware: personas, modes, the top-level commands and
 * the packet flow on the bulk endpoints. Debug commands are in stlink-cmd.c,
 * memory transfers in stlink-mem.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/state.h"
#include "sim/stlink-internal.h"

#define ST_VID 0x0483

/*
 * The one table from SWD acknowledges to status bytes. The probe reports WAIT,
 * FAULT and a missing answer separately for the DP and for an AP (status codes
 * of reference section 5.2; the DP/AP split as in pyOCD constants.py Status).
 */
static const struct {
	enum sr_sim_ack ack;
	uint8_t dp, ap;
} ack_status[] = {
	{SR_SIM_ACK_OK, STL_OK, STL_OK},
	{SR_SIM_ACK_WAIT, STL_SWD_DP_WAIT, STL_SWD_AP_WAIT},
	{SR_SIM_ACK_FAULT, STL_SWD_DP_FAULT, STL_SWD_AP_FAULT},
	{SR_SIM_ACK_NONE, STL_SWD_DP_ERROR, STL_SWD_AP_ERROR},
};

uint8_t stl_ack_status(enum sr_sim_ack ack, enum stl_port port)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(ack_status); i++)
		if (ack_status[i].ack == ack)
			return port == STL_PORT_DP ? ack_status[i].dp : ack_status[i].ap;
	/* A garbled ACK is a protocol error on the wire. */
	return port == STL_PORT_DP ? STL_SWD_DP_ERROR : STL_SWD_AP_ERROR;
}

uint32_t stl_le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint16_t stl_le16(const uint8_t *b) { return (uint16_t)(b[0] | b[1] << 8); }

void stl_put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

bool stl_is_v3(const struct sr_sim_stlink *p) { return p->persona.gen == SR_SIM_STLINK_V3; }

/* PIDs per generation (reference section 5.1; stlink 1.7.0 usb.h, openocd stlink.cfg). */
static const struct {
	uint16_t pid;
	enum sr_sim_stlink_gen gen;
	const char *default_fw;
} pid_table[] = {
	{0x3748, SR_SIM_STLINK_V2, "V2J37S7"},
	{0x374b, SR_SIM_STLINK_V2_1, "V2J37M26"},
	{0x3752, SR_SIM_STLINK_V2_1, "V2J37M26"},
	{0x374e, SR_SIM_STLINK_V3, "V3J7M3"},
	{0x374f, SR_SIM_STLINK_V3, "V3J7M3B3S1"},
	{0x3753, SR_SIM_STLINK_V3, "V3J7M3B3S1"},
	{0x3754, SR_SIM_STLINK_V3, "V3J7M3"},
};

/* Parse "V2J37M26": letters V, J, S, M, B each followed by a decimal number. */
static int parse_firmware(const char *fw, struct sr_sim_stlink_persona *out)
{
	const char *s = fw;
	out->hw = out->jtag = out->swim = out->msd = out->bridge = 0;
	while (*s) {
		char key = (char)toupper((unsigned char)*s++);
		if (!isdigit((unsigned char)*s))
			return SR_E_PARSE;
		unsigned long v = strtoul(s, (char **)&s, 10);
		if (v > 63) /* six bits in GET_VERSION */
			return SR_E_RANGE;
		switch (key) {
		case 'V': out->hw = (uint8_t)v; break;
		case 'J': out->jtag = (uint8_t)v; break;
		case 'S': out->swim = (uint8_t)v; break;
		case 'M': out->msd = (uint8_t)v; break;
		case 'B': out->bridge = (uint8_t)v; break;
		default: return SR_E_PARSE;
		}
	}
	return out->hw ? SR_OK : SR_E_PARSE;
}

int sr_sim_stlink_persona_parse(uint16_t pid, const char *firmware, const char *serial,
				struct sr_sim_stlink_persona *out)
{
	size_t i;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < SR_ARRAY_SIZE(pid_table) && pid_table[i].pid != pid; i++)
		;
	if (i == SR_ARRAY_SIZE(pid_table)) {
		sr_err("sim: [probe] pid 0x%04x is not an ST-Link V2, V2-1 or V3", pid);
		return SR_E_UNSUPPORTED;
	}
	if (!firmware)
		firmware = pid_table[i].default_fw;
	out->gen = pid_table[i].gen;
	out->vid = ST_VID;
	out->pid = pid;
	out->high_speed = out->gen == SR_SIM_STLINK_V3;
	if (parse_firmware(firmware, out) != SR_OK ||
	    out->hw != (out->gen == SR_SIM_STLINK_V3 ? 3 : 2)) {
		sr_err("sim: [probe] firmware \"%s\" does not suit PID 0x%04x", firmware, pid);
		return SR_E_PARSE;
	}
	snprintf(out->firmware, sizeof(out->firmware), "%s", firmware);
	/* stlink 1.7.0 usb.c skips probes whose serial is not 24 characters. */
	if (!serial)
		serial = "066DFF485550755187121832";
	if (strlen(serial) != 24) {
		sr_err("sim: [probe] serial must be 24 characters, not \"%s\"", serial);
		return SR_E_PARSE;
	}
	memcpy(out->serial, serial, 25);
	return SR_OK;
}

static const char *const mode_names[] = {"dfu", "mass", "debug", "swim", "bootloader"};

static int parse_mode(const char *s, enum sr_sim_stlink_mode def, enum sr_sim_stlink_mode *out)
{
	*out = def;
	if (!s)
		return SR_OK;
	for (size_t i = 0; i < SR_ARRAY_SIZE(mode_names); i++)
		if (sr_streq_nocase(s, mode_names[i])) {
			*out = (enum sr_sim_stlink_mode)i;
			return SR_OK;
		}
	sr_err("sim: [probe] mode \"%s\" is not dfu, mass, debug, swim or bootloader", s);
	return SR_E_PARSE;
}

/* Read the [probe] section: persona, start mode and the probe-side faults. */
static int load_probe_section(struct sr_sim_stlink *p, const struct sr_sim_state *st)
{
	uint32_t pid, stale, retries;
	int rc = sr_sim_state_get_u32(st, "probe", "pid", 0x374b, &pid);
	if (rc == SR_OK && pid > 0xFFFF)
		rc = SR_E_RANGE;
	if (rc == SR_OK)
		rc = sr_sim_stlink_persona_parse((uint16_t)pid, sr_sim_state_get(st, "probe", "firmware"),
						 sr_sim_state_get(st, "probe", "serial"), &p->persona);
	/* A V2 without mass storage powers up in DFU mode (stlink 1.7.0 exits it first,
	 * reference section 5.6 step 2); V2-1 and V3 report MASS (trace command #2). */
	enum sr_sim_stlink_mode def = p->persona.gen == SR_SIM_STLINK_V2 ? SR_SIM_MODE_DFU
									 : SR_SIM_MODE_MASS;
	if (rc == SR_OK)
		rc = parse_mode(sr_sim_state_get(st, "probe", "mode"), def, &p->mode);
	if (rc == SR_OK)
		rc = sr_sim_state_get_bool(st, "probe", "wedged", false, &p->wedged);
	if (rc == SR_OK)
		rc = sr_sim_state_get_u32(st, "probe", "wait_retries", 32, &retries);
	if (rc == SR_OK)
		rc = sr_sim_state_get_u32(st, "probe", "stale_reply", 0, &stale);
	if (rc != SR_OK)
		return rc;
	p->wait_retries = retries;
	if (stale) {
		/* Fault: bytes of an earlier reply nobody read (pyOCD issue #1322). */
		uint8_t junk[64] = {STL_OK};
		for (; stale; stale -= stale > 64 ? 64 : stale)
			stl_reply(p, junk, stale > 64 ? 64 : stale);
	}
	return SR_OK;
}

int sr_sim_stlink_new(struct sr_sim_board *b, struct sr_sim_stlink **out)
{
	struct sr_sim_stlink *p = sr_calloc(1, sizeof(*p));
	p->board = b;
	p->rw_status = STL_OK;
	/* Default SWD clock: 1.8 MHz on V2 (stlink 1.7.0 default divisor 1), 8 MHz on V3 (a
	 * model choice inside UM2448's list of 24000/8000/3300 kHz ...). */
	p->swd_khz = 1800;
	p->open_aps[0] = 1; /* AP 0 is usable without INIT_AP: stlink 1.7.0 never sends it. */
	int rc = load_probe_section(p, sr_sim_board_state(b));
	if (rc != SR_OK) {
		sr_sim_stlink_free(p);
		return rc;
	}
	if (stl_is_v3(p))
		p->swd_khz = 8000;
	sr_debug("sim: probe %s PID 0x%04x serial %s, mode %s", p->persona.firmware, p->persona.pid,
		 p->persona.serial, mode_names[p->mode]);
	*out = p;
	return SR_OK;
}

void sr_sim_stlink_free(struct sr_sim_stlink *p)
{
	if (!p)
		return;
	free(p->dphase.buf);
	free(p->in);
	free(p->misc);
	free(p);
}

void sr_sim_stlink_store(struct sr_sim_stlink *p)
{
	struct sr_sim_state *st = sr_sim_board_state(p->board);
	sr_sim_state_set(st, "probe", "mode", mode_names[p->mode]);
	if (p->wedged || sr_sim_state_get(st, "probe", "wedged"))
		sr_sim_state_set(st, "probe", "wedged", p->wedged ? "yes" : "no");
}

const struct sr_sim_stlink_persona *sr_sim_stlink_persona(const struct sr_sim_stlink *p)
{
	return &p->persona;
}

enum sr_sim_stlink_mode sr_sim_stlink_mode(const struct sr_sim_stlink *p) { return p->mode; }

void sr_sim_stlink_stats(const struct sr_sim_stlink *p, struct sr_sim_stlink_stats *out)
{
	*out = p->stats;
}

void stl_reply(struct sr_sim_stlink *p, const uint8_t *buf, size_t len)
{
	if (p->in_off == p->in_len)
		p->in_off = p->in_len = 0;
	if (p->in_len + len > p->in_cap) {
		p->in_cap = p->in_len + len + 256;
		p->in = sr_realloc_array(p->in, p->in_cap, 1);
	}
	memcpy(p->in + p->in_len, buf, len);
	p->in_len += len;
}

void stl_reply_status(struct sr_sim_stlink *p, uint8_t status)
{
	uint8_t rep[2] = {status, 0};
	stl_reply(p, rep, sizeof(rep));
}

void stl_refuse(struct sr_sim_stlink *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->stats.refused++;
	sr_info("sim: probe %s refuses: %s", p->persona.firmware, msg);
}

void stl_expect_data(struct sr_sim_stlink *p, const uint8_t *c, uint32_t len)
{
	memcpy(p->dphase.cmd, c, 16);
	p->dphase.need = len;
	p->dphase.have = 0;
	p->dphase.buf = sr_realloc_array(p->dphase.buf, len ? len : 1, 1);
}

/*
 * Wire time of SWD traffic: one packet per access is 8 request bits, a turnaround,
 * 3 ACK bits, a turnaround, 32 data bits and parity, plus 2 idle cycles = 48 clocks
 * (ADIv5.2 B4.2). Moves the board's clock.
 */
void stl_swd_time(struct sr_sim_stlink *p, uint32_t bytes, unsigned accesses)
{
	uint64_t ns = (uint64_t)accesses * 48u * 1000000u / (p->swd_khz ? p->swd_khz : 1);
	p->stats.swd_bytes += bytes;
	p->stats.swd_ns += ns;
	sr_sim_advance(p->board, ns);
}

/* F1: BE16 version word, then VID and PID (stlink 1.7.0 usb.c _stlink_usb_version). */
static void cmd_get_version(struct sr_sim_stlink *p)
{
	const struct sr_sim_stlink_persona *v = &p->persona;
	uint16_t word;
	if (stl_is_v3(p)) /* V3 answers 0x3000 and leaves the rest to GET_VERSION_EX */
		word = 3u << 12;
	else /* the third field is SWIM on V2, mass storage on V2-1 (openocd stlink_usb_version) */
		word = (uint16_t)(2u << 12 | v->jtag << 6 |
				  (v->gen == SR_SIM_STLINK_V2 ? v->swim : v->msd));
	uint8_t rep[6] = {(uint8_t)(word >> 8), (uint8_t)word,   (uint8_t)v->vid,
			  (uint8_t)(v->vid >> 8), (uint8_t)v->pid, (uint8_t)(v->pid >> 8)};
	stl_reply(p, rep, sizeof(rep));
}

/* FB (V3 only): hw, swim, jtag, msd, bridge, 3 reserved, VID, PID. */
static void cmd_get_version_ex(struct sr_sim_stlink *p)
{
	const struct sr_sim_stlink_persona *v = &p->persona;
	uint8_t rep[12] = {v->hw, v->swim, v->jtag, v->msd, v->bridge, 0, 0, 0,
			   (uint8_t)v->vid, (uint8_t)(v->vid >> 8), (uint8_t)v->pid,
			   (uint8_t)(v->pid >> 8)};
	stl_reply(p, rep, sizeof(rep));
}

/*
 * F7: two ADC words; the host computes V = 2 * adc1 * 1.2 / adc0 (openocd) or
 * 2400 * adc1 / adc0 mV (stlink). adc0 is the reference channel's reading; 1489 is
 * a plausible raw value for 1.2 V on a 12-bit ADC at 3.3 V.
 */
static void cmd_get_target_voltage(struct sr_sim_stlink *p)
{
	uint32_t adc0 = 1489;
	uint32_t adc1 = (uint32_t)(((uint64_t)sr_sim_board_vtarget_mv(p->board) * adc0 + 1200) / 2400);
	uint8_t rep[8];
	stl_put32(rep, adc0);
	stl_put32(rep + 4, adc1);
	stl_reply(p, rep, sizeof(rep));
}

static void set_mode(struct sr_sim_stlink *p, enum sr_sim_stlink_mode m)
{
	if (p->mode != m)
		sr_debug("sim: probe mode %s -> %s", mode_names[p->mode], mode_names[m]);
	p->mode = m;
}

/* F3: only DFU_EXIT is used by the clients; it has no reply. */
static void cmd_dfu(struct sr_sim_stlink *p, const uint8_t *c)
{
	if (c[1] == STL_DFU_EXIT) {
		set_mode(p, SR_SIM_MODE_MASS);
		return;
	}
	stl_refuse(p, "DFU subcommand 0x%02x is not modelled", c[1]);
}

/* F4: SWIM enter/exit change the mode; no STM8 target is modelled. */
static void cmd_swim(struct sr_sim_stlink *p, const uint8_t *c)
{
	if (p->persona.gen != SR_SIM_STLINK_V2 && !p->persona.swim) {
		stl_refuse(p, "no SWIM firmware on this probe");
		return;
	}
	if (c[1] == STL_SWIM_ENTER)
		set_mode(p, SR_SIM_MODE_SWIM);
	else if (c[1] == STL_SWIM_EXIT)
		set_mode(p, SR_SIM_MODE_MASS);
	else
		stl_refuse(p, "SWIM subcommand 0x%02x is not modelled", c[1]);
}

/* F2: look the subcommand up, apply firmware gating and the debug-mode rule. */
static void cmd_debug(struct sr_sim_stlink *p, const uint8_t *c)
{
	const struct stl_cmd *cmd = stl_debug_cmd(c[1]);
	uint8_t min = cmd ? (stl_is_v3(p) ? cmd->min_v3 : cmd->min_v2) : 0xFF;
	if (!cmd || p->persona.jtag < min) {
		/* pyOCD constants.py names 0x42 JTAG_UNKNOWN_CMD: the firmware does not know it. */
		stl_refuse(p, "debug command 0x%02x (%s) needs newer firmware", c[1],
			   cmd ? cmd->name : "unknown");
		stl_reply_status(p, STL_UNKNOWN_CMD);
		return;
	}
	if (cmd->debug_only && p->mode != SR_SIM_MODE_DEBUG) {
		stl_refuse(p, "%s outside debug mode (mode %s)", cmd->name, mode_names[p->mode]);
		stl_reply_status(p, STL_CMD_ERROR);
		return;
	}
	cmd->run(p, c);
}

/* Decode one command block. */
static void run_command(struct sr_sim_stlink *p, const uint8_t *c)
{
	p->stats.commands++;
	sr_log_hex(SR_LOG_TRACE, "sim: probe <- ", c, 16);
	switch (c[0]) {
	case STL_GET_VERSION: cmd_get_version(p); break;
	case STL_GET_CURRENT_MODE: {
		uint8_t rep[2] = {(uint8_t)p->mode, 0};
		stl_reply(p, rep, 2);
		break;
	}
	case STL_GET_TARGET_VOLTAGE:
		/* Target voltage from V2 J13 (openocd STLINK_F_HAS_TARGET_VOLT). */
		if (!stl_is_v3(p) && p->persona.jtag < 13)
			stl_refuse(p, "GET_TARGET_VOLTAGE needs J13");
		else
			cmd_get_target_voltage(p);
		break;
	case STL_APIV3_GET_VERSION_EX:
		if (stl_is_v3(p))
			cmd_get_version_ex(p);
		else
			stl_refuse(p, "GET_VERSION_EX on a V2");
		break;
	case STL_DFU_COMMAND: cmd_dfu(p, c); break;
	case STL_SWIM_COMMAND: cmd_swim(p, c); break;
	case STL_DEBUG_COMMAND: cmd_debug(p, c); break;
	default: stl_refuse(p, "unknown command 0x%02x", c[0]); break;
	}
}

/* Append data-phase bytes; carry out the command once all have arrived. */
static void take_data(struct sr_sim_stlink *p, const uint8_t *buf, size_t len)
{
	struct stl_dphase *d = &p->dphase;
	size_t n = len < d->need - d->have ? len : d->need - d->have;
	memcpy(d->buf + d->have, buf, n);
	d->have += (uint32_t)n;
	if (n < len)
		sr_warn("sim: %zu bytes beyond the data phase dropped", len - n);
	if (d->have == d->need) {
		d->need = 0;
		stl_dphase_done(p);
	}
}

enum sr_sim_stlink_io sr_sim_stlink_out(struct sr_sim_stlink *p, const uint8_t *buf, size_t len,
					bool *command)
{
	*command = false;
	if (p->out_halted)
		return SR_SIM_IO_STALL;
	if (p->dphase.need) {
		take_data(p, buf, len);
		return SR_SIM_IO_OK;
	}
	if (p->wedged) {
		sr_debug("sim: wedged probe ignores a command");
		*command = true;
		return SR_SIM_IO_OK;
	}
	if (len < 16) {
		/* Real blocks are 16 bytes (reference section 5.1); pad a shorter one with zeros. */
		uint8_t c[16] = {0};
		memcpy(c, buf, len);
		*command = true;
		run_command(p, c);
		return SR_SIM_IO_OK;
	}
	*command = true;
	run_command(p, buf);
	return SR_SIM_IO_OK;
}

size_t sr_sim_stlink_pending(const struct sr_sim_stlink *p) { return p->in_len - p->in_off; }

/*
 * Bulk IN: the reply goes out in packets of wMaxPacketSize. The host's transfer ends
 * at its length or at a short packet; a packet larger than the room left overflows
 * (libusb reports LIBUSB_ERROR_OVERFLOW).
 */
enum sr_sim_stlink_io sr_sim_stlink_in(struct sr_sim_stlink *p, uint8_t *buf, size_t len,
				       size_t *actual)
{
	size_t mps = p->persona.high_speed ? 512 : 64;
	size_t left = sr_sim_stlink_pending(p);
	*actual = 0;
	if (p->in_halted)
		return SR_SIM_IO_STALL;
	if (!left)
		return SR_SIM_IO_EMPTY;
	size_t n = left < len ? left : len;
	if (left > len && len % mps) {
		/* the last packet does not fit: deliver whole packets, drop the straddling one */
		size_t whole = len - len % mps;
		memcpy(buf, p->in + p->in_off, whole);
		p->in_off += whole + (left - whole < mps ? left - whole : mps);
		*actual = whole;
		return SR_SIM_IO_OVERFLOW;
	}
	memcpy(buf, p->in + p->in_off, n);
	p->in_off += n;
	*actual = n;
	sr_log_hex(SR_LOG_TRACE, "sim: probe -> ", buf, n < 64 ? n : 64);
	return SR_SIM_IO_OK;
}

/* No SWO is modelled: the trace endpoint never has data. */
enum sr_sim_stlink_io sr_sim_stlink_trace_in(struct sr_sim_stlink *p, uint8_t *buf, size_t len,
					     size_t *actual)
{
	*actual = 0;
	return SR_SIM_IO_EMPTY;
}

void sr_sim_stlink_clear_halt(struct sr_sim_stlink *p, bool in)
{
	if (in) {
		p->in_halted = false;
		p->in_off = p->in_len = 0;
	} else {
		p->out_halted = false;
	}
}
