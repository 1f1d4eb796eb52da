/*
 * The virtual ST-Link's debug commands (0xF2 xx) other than memory transfers:
 * SWD entry and exit, IDCODE, debug and core registers, reset, NRST, clocks,
 * DAP registers, AP init/close and trace. The table at the end gates each
 * command by firmware version, as real probes do.
 */
#include "config.h"

#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "sim/stlink-internal.h"

/* Polls of DHCSR.S_REGRDY before the firmware gives up on a register transfer. */
#define REGRDY_POLLS 16
/* Polls of DP CTRL/STAT for the power-up acknowledges. */
#define PWRUP_POLLS 16
/* NRST pulse width of DRIVE_NRST 2 (a model choice; the firmware's is not documented). */
#define NRST_PULSE_NS 1000000u

/* One 32-bit MEM-AP read with the firmware's bounded WAIT retries. */
enum sr_sim_ack stl_mem32_rd(struct sr_sim_stlink *p, uint8_t ap, uint32_t addr, uint32_t *v)
{
	uint8_t b[4] = {0};
	uint32_t fault;
	enum sr_sim_ack ack;
	unsigned tries = 0;
	do {
		ack = sr_sim_mem_read(p->board, ap, addr, 4, b, 4, &fault);
		stl_swd_time(p, 4, 2); /* TAR write + DRW read */
	} while (ack == SR_SIM_ACK_WAIT && tries++ < p->wait_retries);
	*v = stl_le32(b);
	return ack;
}

enum sr_sim_ack stl_mem32_wr(struct sr_sim_stlink *p, uint8_t ap, uint32_t addr, uint32_t v)
{
	uint8_t b[4];
	uint32_t fault;
	enum sr_sim_ack ack;
	unsigned tries = 0;
	stl_put32(b, v);
	do {
		ack = sr_sim_mem_write(p->board, ap, addr, 4, b, 4, &fault);
		stl_swd_time(p, 4, 2);
	} while (ack == SR_SIM_ACK_WAIT && tries++ < p->wait_retries);
	return ack;
}

/* DP register access with bounded WAIT retries. */
static enum sr_sim_ack dp_rd(struct sr_sim_stlink *p, uint8_t reg, uint32_t *v)
{
	enum sr_sim_ack ack;
	unsigned tries = 0;
	do {
		ack = sr_sim_dp_read(p->board, reg, v);
		stl_swd_time(p, 0, 1);
	} while (ack == SR_SIM_ACK_WAIT && tries++ < p->wait_retries);
	return ack;
}

static enum sr_sim_ack dp_wr(struct sr_sim_stlink *p, uint8_t reg, uint32_t v)
{
	enum sr_sim_ack ack;
	unsigned tries = 0;
	do {
		ack = sr_sim_dp_write(p->board, reg, v);
		stl_swd_time(p, 0, 1);
	} while (ack == SR_SIM_ACK_WAIT && tries++ < p->wait_retries);
	return ack;
}

/* Reply of a status word and a 32-bit value: 8 bytes. */
static void reply_word(struct sr_sim_stlink *p, uint8_t status, uint32_t v)
{
	uint8_t rep[8] = {status};
	stl_put32(rep + 4, v);
	stl_reply(p, rep, sizeof(rep));
}

/* Line reset, IDCODE, then CDBGPWRUPREQ|CSYSPWRUPREQ until both ACKs (ADIv5.2 B2.2.2). */
static uint8_t swd_connect(struct sr_sim_stlink *p)
{
	uint32_t v = 0;
	enum sr_sim_ack ack = sr_sim_swd_line_reset(p->board);
	stl_swd_time(p, 0, 3); /* 50+ clocks high, the 16-bit JTAG-to-SWD sequence, reset */
	if (ack == SR_SIM_ACK_OK)
		ack = dp_rd(p, 0x0, &v);
	if (ack != SR_SIM_ACK_OK)
		return STL_GET_IDCODE_ERROR;
	if (dp_wr(p, 0x4, 0x50000000u) != SR_SIM_ACK_OK)
		return STL_GET_IDCODE_ERROR;
	for (int i = 0; i < PWRUP_POLLS; i++) {
		if (dp_rd(p, 0x4, &v) != SR_SIM_ACK_OK)
			return STL_GET_IDCODE_ERROR;
		if ((v & 0xA0000000u) == 0xA0000000u)
			return STL_OK;
	}
	return STL_GET_IDCODE_ERROR;
}

/* F2 30 xx: enter debug over SWD (xx = A3); the JTAG entries are not modelled. */
static void cmd_enter(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint8_t st;
	if (c[2] != 0xA3) {
		stl_refuse(p, "JTAG entry 0x%02x is not modelled", c[2]);
		st = STL_GET_IDCODE_ERROR;
	} else {
		st = swd_connect(p);
	}
	/* A failed entry leaves the mode as it was: stlink-org/stlink #1399 shows the
	 * probe outside debug mode after "Failed to enter SWD mode". */
	if (st == STL_OK) {
		p->mode = SR_SIM_MODE_DEBUG;
		memset(p->open_aps, 0, sizeof(p->open_aps));
		p->open_aps[0] = 1;
		p->rw_status = STL_OK;
	}
	stl_reply_status(p, st);
}

/*
 * F2 21: leave debug mode, no reply. A V3 told to leave debug mode while not in it
 * locks up until power-cycled (stlink-org/stlink #1399, fixed host-side by PR #1467).
 */
static void cmd_exit(struct sr_sim_stlink *p, const uint8_t *c)
{
	if (p->mode == SR_SIM_MODE_DEBUG) {
		p->mode = SR_SIM_MODE_MASS;
		return;
	}
	if (stl_is_v3(p)) {
		stl_refuse(p, "EXIT outside debug mode: V3 firmware locks up (stlink #1399)");
		p->wedged = true;
	}
}

/* F2 31: status word, DP IDCODE, and a second word the clients ignore. */
static void cmd_read_idcodes(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint32_t id = 0;
	enum sr_sim_ack ack = dp_rd(p, 0x0, &id);
	uint8_t rep[12] = {stl_ack_status(ack, STL_PORT_DP)};
	stl_put32(rep + 4, id);
	stl_reply(p, rep, sizeof(rep));
}

static void cmd_readdebugreg(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint32_t v = 0;
	enum sr_sim_ack ack = stl_mem32_rd(p, 0, stl_le32(c + 2), &v);
	reply_word(p, stl_ack_status(ack, STL_PORT_AP), v);
}

static void cmd_writedebugreg(struct sr_sim_stlink *p, const uint8_t *c)
{
	enum sr_sim_ack ack = stl_mem32_wr(p, 0, stl_le32(c + 2), stl_le32(c + 6));
	stl_reply_status(p, stl_ack_status(ack, STL_PORT_AP));
}

/* Wait for DHCSR.S_REGRDY after a DCRSR write (ARMv7-M C1.6.3). */
static uint8_t wait_regrdy(struct sr_sim_stlink *p)
{
	for (int i = 0; i < REGRDY_POLLS; i++) {
		uint32_t dhcsr;
		enum sr_sim_ack ack = stl_mem32_rd(p, 0, STL_DHCSR, &dhcsr);
		if (ack != SR_SIM_ACK_OK)
			return stl_ack_status(ack, STL_PORT_AP);
		if (dhcsr & STL_DHCSR_S_REGRDY)
			return STL_OK;
	}
	sr_debug("sim: S_REGRDY never set (core not halted?)");
	return STL_ERR_FAULT;
}

/* Core register read through DCRSR/DCRDR, as the firmware does it. */
static uint8_t core_reg_read(struct sr_sim_stlink *p, uint8_t sel, uint32_t *v)
{
	enum sr_sim_ack ack = stl_mem32_wr(p, 0, STL_DCRSR, sel & 0x7Fu);
	if (ack != SR_SIM_ACK_OK)
		return stl_ack_status(ack, STL_PORT_AP);
	uint8_t st = wait_regrdy(p);
	if (st != STL_OK)
		return st;
	return stl_ack_status(stl_mem32_rd(p, 0, STL_DCRDR, v), STL_PORT_AP);
}

/* F2 33 r: the register selector is DCRSR.REGSEL (0-15 Rn, 16 xPSR, 17 MSP, 18 PSP, ...). */
static void cmd_readreg(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint32_t v = 0;
	uint8_t st = core_reg_read(p, c[2], &v);
	reply_word(p, st, v);
}

static void cmd_writereg(struct sr_sim_stlink *p, const uint8_t *c)
{
	enum sr_sim_ack ack = stl_mem32_wr(p, 0, STL_DCRDR, stl_le32(c + 3));
	if (ack == SR_SIM_ACK_OK)
		ack = stl_mem32_wr(p, 0, STL_DCRSR, STL_DCRSR_REGWNR | (c[2] & 0x7Fu));
	uint8_t st = stl_ack_status(ack, STL_PORT_AP);
	if (st == STL_OK)
		st = wait_regrdy(p);
	stl_reply_status(p, st);
}

/*
 * F2 3A: status word then 21 words: r0-r15, xPSR, MSP, PSP (REGSEL 0-18), then two
 * words stlink 1.7.0 calls rw and rw2 and only logs; the model sends REGSEL 20
 * (CONTROL/FAULTMASK/BASEPRI/PRIMASK) and 0.
 */
static void cmd_readallregs(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint8_t rep[88] = {STL_OK};
	for (unsigned i = 0; i < 20 && rep[0] == STL_OK; i++) {
		uint32_t v = 0;
		rep[0] = core_reg_read(p, (uint8_t)(i < 19 ? i : 20), &v);
		stl_put32(rep + 4 + 4 * i, v);
	}
	stl_reply(p, rep, sizeof(rep));
}

/* F2 32: system reset through AIRCR.SYSRESETREQ. */
static void cmd_resetsys(struct sr_sim_stlink *p, const uint8_t *c)
{
	enum sr_sim_ack ack = stl_mem32_wr(p, 0, STL_AIRCR, STL_AIRCR_SYSRESETREQ);
	stl_reply_status(p, stl_ack_status(ack, STL_PORT_AP));
}

/* F2 3C n: 0 drive NRST low, 1 release it, 2 pulse (openocd STLINK_DEBUG_APIV2_DRIVE_NRST_*). */
static void cmd_drive_nrst(struct sr_sim_stlink *p, const uint8_t *c)
{
	switch (c[2]) {
	case 0: sr_sim_board_nrst(p->board, true); break;
	case 1: sr_sim_board_nrst(p->board, false); break;
	case 2:
		sr_sim_board_nrst(p->board, true);
		sr_sim_advance(p->board, NRST_PULSE_NS);
		sr_sim_board_nrst(p->board, false);
		break;
	default:
		stl_refuse(p, "DRIVE_NRST %u", c[2]);
		stl_reply_status(p, STL_CMD_ERROR);
		return;
	}
	stl_reply_status(p, STL_OK);
}

/* V2 SWD clock divisors (stlink 1.7.0 usb.c STLINK_SWDCLK_*_DIVISOR; openocd speed map). */
static const struct {
	uint16_t div;
	uint16_t khz;
} swd_div[] = {{0, 4000}, {1, 1800}, {2, 1200}, {3, 950},   {7, 480}, {15, 240},
	       {31, 125}, {40, 100}, {79, 50},  {158, 25}, {265, 15}, {798, 5}};

static void cmd_swd_set_freq(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint16_t div = stl_le16(c + 2);
	for (size_t i = 0; i < SR_ARRAY_SIZE(swd_div); i++)
		if (swd_div[i].div == div) {
			p->swd_khz = swd_div[i].khz;
			stl_reply_status(p, STL_OK);
			return;
		}
	stl_refuse(p, "SWD clock divisor %u", div);
	stl_reply_status(p, STL_FREQ_NOT_SUPPORTED);
}

static void cmd_jtag_set_freq(struct sr_sim_stlink *p, const uint8_t *c)
{
	stl_reply_status(p, STL_OK); /* JTAG is not modelled; the setting has no effect */
}

/*
 * V3 clock lists. SWD: UM2448 (via blackmagic src/platforms/stlinkv3/README.md) gives
 * 24000, 8000, 3333 kHz at the top; the lower steps are a model choice. JTAG tops out
 * at 21333 kHz (same source).
 */
static const uint32_t v3_swd_khz[] = {24000, 8000, 3300, 1000, 200, 50, 5};
static const uint32_t v3_jtag_khz[] = {21333, 16000, 12000, 8000, 6000, 4000, 2000, 1000, 500, 250};

/* F2 62 m: status, [8] count, [12..] up to 10 kHz values; 52 bytes. */
static void cmd_get_com_freq(struct sr_sim_stlink *p, const uint8_t *c)
{
	const uint32_t *l = c[2] ? v3_jtag_khz : v3_swd_khz;
	size_t n = c[2] ? SR_ARRAY_SIZE(v3_jtag_khz) : SR_ARRAY_SIZE(v3_swd_khz);
	uint8_t rep[52] = {STL_OK};
	rep[8] = (uint8_t)n;
	for (size_t i = 0; i < n; i++)
		stl_put32(rep + 12 + 4 * i, l[i]);
	stl_reply(p, rep, sizeof(rep));
}

/* F2 61 m 0 f32: picks the fastest listed clock not above the request; 8 bytes back. */
static void cmd_set_com_freq(struct sr_sim_stlink *p, const uint8_t *c)
{
	const uint32_t *l = c[2] ? v3_jtag_khz : v3_swd_khz;
	size_t n = c[2] ? SR_ARRAY_SIZE(v3_jtag_khz) : SR_ARRAY_SIZE(v3_swd_khz);
	uint32_t want = stl_le32(c + 4), got = l[n - 1];
	for (size_t i = 0; i < n; i++)
		if (l[i] <= want) {
			got = l[i];
			break;
		}
	if (!c[2])
		p->swd_khz = got;
	reply_word(p, STL_OK, got);
}

/* AP access needs INIT_AP on firmware that has it (openocd STLINK_F_HAS_AP_INIT). */
static bool has_ap_init(const struct sr_sim_stlink *p)
{
	return stl_is_v3(p) || p->persona.jtag >= 28;
}

bool stl_ap_usable(const struct sr_sim_stlink *p, uint8_t ap)
{
	return !has_ap_init(p) || ((p->open_aps[ap / 32] >> (ap % 32)) & 1u);
}

/* F2 45 port16 addr16: port 0xFFFF is the DP, any other value an AP number. */
static void cmd_read_dap_reg(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint16_t port = stl_le16(c + 2), addr = stl_le16(c + 4);
	uint32_t v = 0;
	if (port == 0xFFFF) {
		uint8_t st = stl_ack_status(dp_rd(p, (uint8_t)addr, &v), STL_PORT_DP);
		reply_word(p, st, v);
		return;
	}
	if (port > 255 || !stl_ap_usable(p, (uint8_t)port)) {
		reply_word(p, STL_BAD_AP_ERROR, 0);
		return;
	}
	enum sr_sim_ack ack = sr_sim_ap_read(p->board, (uint8_t)port, (uint8_t)addr, &v);
	stl_swd_time(p, 0, 2); /* the AP read and the RDBUFF read that returns it */
	reply_word(p, stl_ack_status(ack, STL_PORT_AP), v);
}

static void cmd_write_dap_reg(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint16_t port = stl_le16(c + 2), addr = stl_le16(c + 4);
	uint32_t v = stl_le32(c + 6);
	if (port == 0xFFFF) {
		stl_reply_status(p, stl_ack_status(dp_wr(p, (uint8_t)addr, v), STL_PORT_DP));
		return;
	}
	if (port > 255 || !stl_ap_usable(p, (uint8_t)port)) {
		stl_reply_status(p, STL_BAD_AP_ERROR);
		return;
	}
	enum sr_sim_ack ack = sr_sim_ap_write(p->board, (uint8_t)port, (uint8_t)addr, v);
	stl_swd_time(p, 0, 1);
	stl_reply_status(p, stl_ack_status(ack, STL_PORT_AP));
}

static void cmd_init_ap(struct sr_sim_stlink *p, const uint8_t *c)
{
	p->open_aps[c[2] / 32] |= 1u << (c[2] % 32);
	stl_reply_status(p, STL_OK);
}

/* J28 answers CLOSE_AP_DBG with a wrong status; fixed in J29 (openocd STLINK_F_FIX_CLOSE_AP). */
static void cmd_close_ap(struct sr_sim_stlink *p, const uint8_t *c)
{
	p->open_aps[c[2] / 32] &= ~(1u << (c[2] % 32));
	if (c[2] == 0)
		p->open_aps[0] |= 1; /* AP 0 stays usable for the non-AP commands */
	bool bogus = !stl_is_v3(p) && p->persona.jtag == 28;
	stl_reply_status(p, bogus ? STL_UNKNOWN_ERROR : STL_OK);
}

/* Trace: accepted and counted, but no SWO data is ever produced. */
static void cmd_start_trace(struct sr_sim_stlink *p, const uint8_t *c)
{
	p->trace_on = true;
	stl_reply_status(p, STL_OK);
}

static void cmd_stop_trace(struct sr_sim_stlink *p, const uint8_t *c)
{
	p->trace_on = false;
	stl_reply_status(p, STL_OK);
}

static void cmd_get_trace_nb(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint8_t rep[2] = {0, 0}; /* u16 count of bytes waiting on the trace endpoint */
	stl_reply(p, rep, 2);
}

/* API v1-era core control, still answered by V2 firmware: DHCSR writes (ARMv7-M C1.6.2). */
static void dhcsr_cmd(struct sr_sim_stlink *p, uint32_t bits)
{
	enum sr_sim_ack ack = stl_mem32_wr(p, 0, STL_DHCSR, STL_DBGKEY | bits);
	stl_reply_status(p, stl_ack_status(ack, STL_PORT_AP));
}

static void cmd_getstatus(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint32_t v = 0;
	enum sr_sim_ack ack = stl_mem32_rd(p, 0, STL_DHCSR, &v);
	/* 0x80 running, 0x81 halted (S_HALT, bit 17) */
	stl_reply_status(p, ack != SR_SIM_ACK_OK ? stl_ack_status(ack, STL_PORT_AP)
						 : (v & (1u << 17)) ? STL_ERR_FAULT : STL_OK);
}

static void cmd_forcedebug(struct sr_sim_stlink *p, const uint8_t *c) { dhcsr_cmd(p, 0x3); }
static void cmd_runcore(struct sr_sim_stlink *p, const uint8_t *c) { dhcsr_cmd(p, 0x1); }
static void cmd_stepcore(struct sr_sim_stlink *p, const uint8_t *c) { dhcsr_cmd(p, 0xD); }

#define NEVER 0xFF
/*
 * Debug commands with the firmware that introduced them: V2 J-version, V3 J-version
 * (openocd stlink_usb_version flags; reference section 5.3 "Min FW"). API v2 itself
 * starts at J11.
 */
static const struct stl_cmd debug_cmds[] = {
	{0x01, "GETSTATUS", 11, 1, true, cmd_getstatus},
	{0x02, "FORCEDEBUG", 11, 1, true, cmd_forcedebug},
	{0x07, "READMEM_32BIT", 11, 1, true, stl_readmem},
	{0x08, "WRITEMEM_32BIT", 11, 1, true, stl_writemem},
	{0x09, "RUNCORE", 11, 1, true, cmd_runcore},
	{0x0A, "STEPCORE", 11, 1, true, cmd_stepcore},
	{0x0C, "READMEM_8BIT", 11, 1, true, stl_readmem},
	{0x0D, "WRITEMEM_8BIT", 11, 1, true, stl_writemem},
	{0x21, "EXIT", 0, 0, false, cmd_exit},
	{0x30, "APIV2_ENTER", 11, 1, false, cmd_enter},
	{0x31, "APIV2_READ_IDCODES", 11, 1, true, cmd_read_idcodes},
	{0x32, "APIV2_RESETSYS", 11, 1, true, cmd_resetsys},
	{0x33, "APIV2_READREG", 11, 1, true, cmd_readreg},
	{0x34, "APIV2_WRITEREG", 11, 1, true, cmd_writereg},
	{0x35, "APIV2_WRITEDEBUGREG", 11, 1, true, cmd_writedebugreg},
	{0x36, "APIV2_READDEBUGREG", 11, 1, true, cmd_readdebugreg},
	{0x3A, "APIV2_READALLREGS", 11, 1, true, cmd_readallregs},
	{0x3B, "APIV2_GETLASTRWSTATUS", 11, 1, true, stl_lastrw},
	{0x3C, "APIV2_DRIVE_NRST", 11, 1, false, cmd_drive_nrst},
	{0x3E, "APIV2_GETLASTRWSTATUS2", 15, 1, true, stl_lastrw2},
	{0x40, "APIV2_START_TRACE_RX", 13, 1, true, cmd_start_trace},
	{0x41, "APIV2_STOP_TRACE_RX", 13, 1, true, cmd_stop_trace},
	{0x42, "APIV2_GET_TRACE_NB", 13, 1, true, cmd_get_trace_nb},
	{0x43, "APIV2_SWD_SET_FREQ", 22, NEVER, false, cmd_swd_set_freq},
	{0x44, "APIV2_JTAG_SET_FREQ", 24, NEVER, false, cmd_jtag_set_freq},
	{0x45, "APIV2_READ_DAP_REG", 24, 1, true, cmd_read_dap_reg},
	{0x46, "APIV2_WRITE_DAP_REG", 24, 1, true, cmd_write_dap_reg},
	{0x47, "READMEM_16BIT", 26, 1, true, stl_readmem},
	{0x48, "WRITEMEM_16BIT", 26, 1, true, stl_writemem},
	{0x4B, "APIV2_INIT_AP", 28, 1, true, cmd_init_ap},
	{0x4C, "APIV2_CLOSE_AP_DBG", 28, 1, true, cmd_close_ap},
	{0x50, "WRITEMEM_32BIT_NO_ADDR_INC", 26, 1, true, stl_writemem},
	{0x51, "APIV2_RW_MISC_OUT", 32, 2, true, stl_misc_out},
	{0x52, "APIV2_RW_MISC_IN", 32, 2, true, stl_misc_in},
	{0x54, "READMEM_32BIT_NO_ADDR_INC", 32, 2, true, stl_readmem},
	{0x61, "APIV3_SET_COM_FREQ", NEVER, 1, false, cmd_set_com_freq},
	{0x62, "APIV3_GET_COM_FREQ", NEVER, 1, false, cmd_get_com_freq},
};

const struct stl_cmd *stl_debug_cmd(uint8_t op)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(debug_cmds); i++)
		if (debug_cmds[i].op == op)
			return &debug_cmds[i];
	return NULL;
}
