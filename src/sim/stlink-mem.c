/*
 * The virtual ST-Link's memory transfers: READMEM/WRITEMEM of 8, 16 and 32 bits
 * (with and without address increment), the last R/W status with the fault
 * address, and the RW_MISC batches openocd's dapdirect driver uses.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "sim/stlink-internal.h"

/* DP ABORT (ADIv5.2 B2.2.1): STKCMPCLR | STKERRCLR | WDERRCLR | ORUNERRCLR. */
#define DP_ABORT_CLEAR_ALL 0x1Eu

/* RW_MISC item opcodes (openocd stlink_usb.c RW_MISC_CMD_*). */
enum { MISC_ADDRESS = 1, MISC_WRITE = 2, MISC_READ = 3, MISC_APNUM = 5 };

struct mem_req {
	uint32_t addr;
	uint16_t len;
	uint8_t ap;
	unsigned width;
	bool noinc;
	const char *name;
};

static void decode(const uint8_t *c, struct mem_req *r)
{
	r->addr = stl_le32(c + 2);
	r->len = stl_le16(c + 6);
	r->ap = c[8]; /* [9..11] carry CSW bits on J32+; the board chooses its own CSW */
	r->noinc = c[1] == 0x50 || c[1] == 0x54;
	switch (c[1]) {
	case 0x0C: case 0x0D: r->width = 1; break;
	case 0x47: case 0x48: r->width = 2; break;
	default: r->width = 4; break;
	}
	r->name = stl_debug_cmd(c[1])->name;
}

/* 8-bit transfers: 64 bytes, 512 on V3 from J6 (openocd STLINK_F_HAS_RW8_512BYTES). */
static uint32_t max_len(const struct sr_sim_stlink *p, unsigned width)
{
	if (width == 1)
		return stl_is_v3(p) && p->persona.jtag >= 6 ? 512 : 64;
	return STL_DATA_SIZE;
}

/* Check a request against the persona; returns the status it earns (STL_OK if fine). */
static uint8_t check(struct sr_sim_stlink *p, const struct mem_req *r)
{
	if (r->addr % r->width || r->len % r->width) {
		stl_refuse(p, "%s of %u bytes at 0x%08x is not aligned", r->name, r->len, r->addr);
		return STL_ALIGNMENT_ERROR;
	}
	if (!stl_ap_usable(p, r->ap)) {
		stl_refuse(p, "%s on AP %u before INIT_AP", r->name, r->ap);
		return STL_BAD_AP_ERROR;
	}
	return STL_OK;
}

/* After a FAULT the firmware clears the sticky flags so the next command can run. */
static void clear_sticky(struct sr_sim_stlink *p)
{
	sr_sim_dp_write(p->board, 0x0, DP_ABORT_CLEAR_ALL);
	stl_swd_time(p, 0, 1);
}

/* Run a transfer with bounded WAIT retries, resuming at the access that waited. */
static void transfer(struct sr_sim_stlink *p, const struct mem_req *r, uint8_t *buf, bool wr)
{
	uint32_t done = 0, fault = r->addr, step = r->noinc ? r->width : r->len;
	enum sr_sim_ack ack = SR_SIM_ACK_OK;
	unsigned tries = 0;
	while (done < r->len && ack != SR_SIM_ACK_FAULT && ack != SR_SIM_ACK_NONE) {
		uint32_t addr = r->noinc ? r->addr : r->addr + done;
		uint32_t n = step < r->len - done ? step : r->len - done;
		ack = wr ? sr_sim_mem_write(p->board, r->ap, addr, r->width, buf + done, n, &fault)
			 : sr_sim_mem_read(p->board, r->ap, addr, r->width, buf + done, n, &fault);
		uint32_t moved = ack == SR_SIM_ACK_OK ? n : (r->noinc ? 0 : fault - addr);
		stl_swd_time(p, moved, moved / r->width + 1);
		done += moved;
		if (ack == SR_SIM_ACK_WAIT && tries++ >= p->wait_retries)
			break;
	}
	p->rw_status = stl_ack_status(ack, STL_PORT_AP);
	p->rw_fault = ack == SR_SIM_ACK_OK ? 0 : fault;
	if (ack != SR_SIM_ACK_OK) {
		sr_debug("sim: %s at 0x%08x: status 0x%02x, fault at 0x%08x", r->name, r->addr,
			 p->rw_status, p->rw_fault);
		if (ack == SR_SIM_ACK_FAULT)
			clear_sticky(p);
	}
}

/*
 * READMEM_*: the data comes back raw, without status; the host asks for the status
 * with GETLASTRWSTATUS(2). An 8-bit read of one byte returns two (openocd
 * stlink_usb_read_mem8). A read beyond the probe's buffer stalls the endpoint
 * (stlink 1.7.0 common.c: "anything larger will stall the STLINK2").
 */
void stl_readmem(struct sr_sim_stlink *p, const uint8_t *c)
{
	struct mem_req r;
	decode(c, &r);
	if (r.len > max_len(p, r.width)) {
		stl_refuse(p, "%s of %u bytes exceeds %u", r.name, r.len, max_len(p, r.width));
		p->in_halted = true;
		return;
	}
	size_t out = r.len == 1 ? 2 : r.len;
	uint8_t *buf = sr_calloc(out ? out : 1, 1);
	p->rw_status = check(p, &r);
	p->rw_fault = 0;
	if (p->rw_status == STL_OK && r.len)
		transfer(p, &r, buf, false);
	stl_reply(p, buf, out);
	free(buf);
}

/* WRITEMEM_*: the data phase follows on the OUT endpoint; no reply. */
void stl_writemem(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint16_t len = stl_le16(c + 6);
	if (len)
		stl_expect_data(p, c, len);
	else
		p->rw_status = STL_OK;
}

static void writemem_done(struct sr_sim_stlink *p)
{
	struct mem_req r;
	decode(p->dphase.cmd, &r);
	p->rw_fault = 0;
	if (r.width == 1 && r.len > max_len(p, 1)) {
		/* Model choice: the firmware's reaction is not documented; report a command error. */
		stl_refuse(p, "%s of %u bytes exceeds %u", r.name, r.len, max_len(p, 1));
		p->rw_status = STL_CMD_ERROR;
		return;
	}
	p->rw_status = check(p, &r);
	if (p->rw_status == STL_OK)
		transfer(p, &r, p->dphase.buf, true);
}

/* F2 3B: two bytes, the status of the last memory transfer. */
void stl_lastrw(struct sr_sim_stlink *p, const uint8_t *c) { stl_reply_status(p, p->rw_status); }

/* F2 3E (J15+): 12 bytes, status word, fault address, a reserved word. */
void stl_lastrw2(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint8_t rep[12] = {p->rw_status};
	stl_put32(rep + 4, p->rw_fault);
	stl_reply(p, rep, sizeof(rep));
}

/* F2 51 n32: a batch of N items follows as ALIGN4(N) opcode bytes and N operand words. */
void stl_misc_out(struct sr_sim_stlink *p, const uint8_t *c)
{
	uint32_t n = stl_le32(c + 2);
	uint32_t max = stl_is_v3(p) ? STL_V3_RW_MISC_MAX : STL_V2_RW_MISC_MAX;
	if (n == 0 || n > max) {
		stl_refuse(p, "RW_MISC_OUT of %u items (limit %u)", n, max);
		n = n > max ? max : n;
	}
	if (n)
		stl_expect_data(p, c, ((n + 3) & ~3u) + 4 * n);
}

/* Carry out one RW_MISC item; *AP and *ADDR carry state between items. */
static uint8_t misc_item(struct sr_sim_stlink *p, uint8_t op, uint32_t arg, uint32_t *ap,
			 uint32_t *addr, uint32_t *result)
{
	switch (op) {
	case MISC_APNUM:
		*ap = arg;
		return arg < 256 && stl_ap_usable(p, (uint8_t)arg) ? STL_OK : STL_BAD_AP_ERROR;
	case MISC_ADDRESS:
		*addr = arg;
		return STL_OK;
	case MISC_WRITE:
		return stl_ack_status(stl_mem32_wr(p, (uint8_t)*ap, *addr, arg), STL_PORT_AP);
	case MISC_READ:
		return stl_ack_status(stl_mem32_rd(p, (uint8_t)*ap, arg, result), STL_PORT_AP);
	default:
		stl_refuse(p, "RW_MISC opcode %u", op);
		return STL_CMD_ERROR;
	}
}

static void misc_done(struct sr_sim_stlink *p)
{
	uint32_t max = stl_is_v3(p) ? STL_V3_RW_MISC_MAX : STL_V2_RW_MISC_MAX;
	uint32_t n = stl_le32(p->dphase.cmd + 2);
	n = n > max ? max : n;
	uint32_t ap = 0, addr = 0;
	const uint8_t *ops = p->dphase.buf, *args = ops + ((n + 3) & ~3u);
	free(p->misc);
	p->misc = sr_calloc(8 * (size_t)n + 1, 1);
	p->misc_items = n;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t result = 0;
		uint8_t st = misc_item(p, ops[i], stl_le32(args + 4 * i), &ap, &addr, &result);
		stl_put32(p->misc + 4 * i, result);
		stl_put32(p->misc + 4 * (n + i), st);
	}
}

/* F2 52: N result words then N status words of the last batch. */
void stl_misc_in(struct sr_sim_stlink *p, const uint8_t *c)
{
	if (!p->misc) {
		stl_refuse(p, "RW_MISC_IN without a batch");
		return;
	}
	stl_reply(p, p->misc, 8 * (size_t)p->misc_items);
	free(p->misc);
	p->misc = NULL;
	p->misc_items = 0;
}

void stl_dphase_done(struct sr_sim_stlink *p)
{
	if (p->dphase.cmd[1] == 0x51)
		misc_done(p);
	else
		writemem_done(p);
}
