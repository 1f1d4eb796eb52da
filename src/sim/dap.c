/*
 * The SWD debug port and MEM-AP 0 (the AHB-AP) of a Cortex-M4 DAP, per ADIv5
 * (ARM IHI 0031): SW-DP v1 register file, sticky errors, debug power-up
 * handshake, and MEM-AP transfers onto the system bus. AP reads are returned
 * at once: the posted-read pipeline of SWD is folded into each call (RDBUFF
 * still holds the last AP read, as after the pipeline drains).
 */
#include "config.h"

#include "common/log.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

/* AHB-AP of the Cortex-M4: IDR and the ROM table base (ADIv5 10.1; Cortex-M4 TRM 8.2). */
#define AP_IDR  0x24770011u
#define AP_BASE 0xE00FF003u

/* CTRL/STAT, ADIv5 2.3.2 */
#define CS_STICKYORUN   (1u << 1)
#define CS_STICKYCMP    (1u << 4)
#define CS_STICKYERR    (1u << 5)
#define CS_READOK       (1u << 6)
#define CS_WDATAERR     (1u << 7)
#define CS_STICKY       (CS_STICKYORUN | CS_STICKYCMP | CS_STICKYERR | CS_WDATAERR)
#define CS_CDBGRSTREQ   (1u << 26)
#define CS_CDBGPWRUPREQ (1u << 28)
#define CS_CSYSPWRUPREQ (1u << 30)
#define CS_RW           0x54FFFF0Du /* ORUNDETECT, TRNMODE, MASKLANE, TRNCNT, the requests */

/* CSW of the AHB-AP: Size, AddrInc, Prot; DeviceEn reads 1 (ADIv5 7.2.1). */
#define CSW_RW       0x7F000037u
#define CSW_DEVICEEN (1u << 6)
#define CSW_RESET    0x03000040u

void sr_sim_dap_reset(struct sr_sim_board *b)
{
	struct sr_sim_dap *d = &b->dap;
	d->ctrl_stat = 0;
	d->select = 0;
	d->rdbuff = 0;
	d->csw = CSW_RESET;
	d->tar = 0;
	d->line_reset_done = false;
}

static uint32_t ctrl_stat(const struct sr_sim_dap *d)
{
	/* Power-up and reset requests are acknowledged at once (ACK = REQ << 1). */
	uint32_t req = d->ctrl_stat & (CS_CDBGRSTREQ | CS_CDBGPWRUPREQ | CS_CSYSPWRUPREQ);
	return d->ctrl_stat | (req << 1);
}

/* No answer at all: unpowered, RDP level 2, SWD pins taken by firmware (DIAGNOSES B6/B7). */
bool sr_sim_swd_alive(const struct sr_sim_board *b)
{
	if (b->vtarget_mv < 1700 || b->swd_dead)
		return false; /* VDD min 1.7 V, DS10693 table 14; RDP 2: RM0390 3.6.3 */
	if (b->fw_swd_disabled && b->core.fw_running && !b->core.in_reset)
		return false;
	return true;
}

/* Fault injection and the protocol state common to every transaction. */
static enum sr_sim_ack pre_transaction(struct sr_sim_board *b, bool is_idcode)
{
	struct sr_sim_dap *d = &b->dap;
	b->transactions++;
	if (!sr_sim_swd_alive(b))
		return SR_SIM_ACK_NONE;
	/* After a line reset only an IDCODE read is answered (ADIv5 5.4.1). */
	if (d->line_reset_done && !is_idcode)
		return SR_SIM_ACK_NONE;
	if (d->wait_burst) {
		d->wait_burst--;
		return SR_SIM_ACK_WAIT;
	}
	return SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_swd_line_reset(struct sr_sim_board *b)
{
	b->transactions++;
	if (!sr_sim_swd_alive(b))
		return SR_SIM_ACK_NONE;
	b->dap.line_reset_done = true;
	b->dbg_intrusion = true; /* a debugger is connected (RM0390 3.6.3) */
	return SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_dp_read(struct sr_sim_board *b, uint8_t reg, uint32_t *val)
{
	struct sr_sim_dap *d = &b->dap;
	enum sr_sim_ack ack = pre_transaction(b, reg == 0);
	*val = 0;
	if (ack != SR_SIM_ACK_OK)
		return ack;
	switch (reg & 0xC) {
	case 0x0:
		d->line_reset_done = false;
		*val = b->chip->dp_idcode; /* the core's SW-DP (chipdef.c extras) */
		break;
	case 0x4:
		*val = ctrl_stat(d);
		break;
	case 0x8:
		*val = d->rdbuff; /* RESEND */
		break;
	default:
		if (d->ctrl_stat & CS_STICKY)
			return SR_SIM_ACK_FAULT;
		*val = d->rdbuff;
	}
	return SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_dp_write(struct sr_sim_board *b, uint8_t reg, uint32_t val)
{
	struct sr_sim_dap *d = &b->dap;
	enum sr_sim_ack ack = pre_transaction(b, false);
	if (ack != SR_SIM_ACK_OK)
		return ack;
	switch (reg & 0xC) {
	case 0x0: /* ABORT: clear sticky flags, ADIv5 2.3.1 */
		if (val & (1u << 1))
			d->ctrl_stat &= ~CS_STICKYCMP;
		if (val & (1u << 2))
			d->ctrl_stat &= ~CS_STICKYERR;
		if (val & (1u << 3))
			d->ctrl_stat &= ~CS_WDATAERR;
		if (val & (1u << 4))
			d->ctrl_stat &= ~CS_STICKYORUN;
		break;
	case 0x4:
		if (d->ctrl_stat & CS_STICKY)
			return SR_SIM_ACK_FAULT;
		d->ctrl_stat = (d->ctrl_stat & ~CS_RW) | (val & CS_RW);
		break;
	case 0x8:
		if (d->ctrl_stat & CS_STICKY)
			return SR_SIM_ACK_FAULT;
		d->select = val;
		break;
	default:
		break;
	}
	return SR_SIM_ACK_OK;
}

/* Can the AHB-AP reach the bus? Debug power must be up (ADIv5 2.4.3). */
static enum sr_sim_ack ap_gate(struct sr_sim_board *b)
{
	struct sr_sim_dap *d = &b->dap;
	if (d->ctrl_stat & CS_STICKY)
		return SR_SIM_ACK_FAULT; /* sticky error: every AP access FAULTs, ADIv5 4.2.5 */
	if (!(d->ctrl_stat & CS_CDBGPWRUPREQ)) {
		d->ctrl_stat |= CS_STICKYERR;
		return SR_SIM_ACK_FAULT;
	}
	if (d->fault_burst) {
		d->fault_burst--;
		d->ctrl_stat |= CS_STICKYERR;
		return SR_SIM_ACK_FAULT;
	}
	/* A sleeping core with the DBGMCU low-power debug bits clear stops the bus
	 * clock: the AHB-AP never completes (DIAGNOSES B6; RM0390 33.16.1). */
	if (b->fw_sleeps && b->core.fw_running && !b->core.in_reset && !(b->dbgmcu_cr & 7))
		return SR_SIM_ACK_WAIT;
	return SR_SIM_ACK_OK;
}

/* One MEM-AP transfer of SIZE bytes at ADDR; VAL is the value in its byte lane. */
static enum sr_sim_ack mem_xfer(struct sr_sim_board *b, uint32_t addr, unsigned size,
				bool write, uint32_t *val)
{
	int rc = write ? sr_sim_bus_write(b, SR_SIM_DBG, addr, size, *val)
		       : sr_sim_bus_read(b, SR_SIM_DBG, addr, size, val);
	if (rc != SR_SIM_BUS_OK) {
		b->dap.ctrl_stat |= CS_STICKYERR; /* ADIv5 7.2: a bus error sets STICKYERR */
		return SR_SIM_ACK_FAULT;
	}
	return SR_SIM_ACK_OK;
}

static unsigned csw_size(const struct sr_sim_dap *d)
{
	return 1u << (d->csw & 7);
}

/* DRW/BDx access through TAR; auto-increment wraps at 4 KiB on the Cortex-M4 AHB-AP
 * (OpenOCD's tar_autoincr_block for Cortex-M3/M4). */
static enum sr_sim_ack drw(struct sr_sim_board *b, uint8_t reg, bool write, uint32_t *val)
{
	struct sr_sim_dap *d = &b->dap;
	unsigned size = csw_size(d);
	uint32_t addr = reg == 0x0C ? d->tar : (d->tar & ~0xFu) | (reg & 0xC);
	unsigned lane = 8 * (addr & 3);
	uint32_t v = write ? (*val >> lane) : 0;
	enum sr_sim_ack ack = mem_xfer(b, addr & ~(size - 1), size, write, &v);
	if (!write)
		*val = ack == SR_SIM_ACK_OK ? v << lane : 0;
	if (reg == 0x0C && ((d->csw >> 4) & 3) == 1)
		d->tar = (d->tar & ~0xFFFu) | ((d->tar + size) & 0xFFFu);
	return ack;
}

static enum sr_sim_ack ap_access(struct sr_sim_board *b, uint8_t ap, uint8_t reg, bool write,
				 uint32_t *val)
{
	struct sr_sim_dap *d = &b->dap;
	enum sr_sim_ack ack = pre_transaction(b, false);
	if (ack != SR_SIM_ACK_OK)
		return ack;
	if ((ack = ap_gate(b)) != SR_SIM_ACK_OK)
		return ack;
	d->select = (uint32_t)ap << 24 | (reg & 0xF0);
	if (ap != 0) {
		if (!write)
			*val = 0; /* no AP here: IDR reads 0 (ADIv5 10.1), pyOCD scans for it */
		return SR_SIM_ACK_OK;
	}
	switch (reg) {
	case 0x00:
		if (write) {
			uint32_t sz = *val & 7;
			d->csw = (d->csw & ~CSW_RW) | (*val & CSW_RW & ~7u) | (sz <= 2 ? sz : d->csw & 7);
			d->csw |= CSW_DEVICEEN;
		} else {
			*val = d->csw | CSW_DEVICEEN;
		}
		return SR_SIM_ACK_OK;
	case 0x04:
		if (write)
			d->tar = *val;
		else
			*val = d->tar;
		return SR_SIM_ACK_OK;
	case 0x0C: case 0x10: case 0x14: case 0x18: case 0x1C:
		return drw(b, reg, write, val);
	case 0xF8:
		if (!write)
			*val = AP_BASE;
		return SR_SIM_ACK_OK;
	case 0xFC:
		if (!write)
			*val = AP_IDR;
		return SR_SIM_ACK_OK;
	default:
		if (!write)
			*val = 0; /* CFG (little-endian) and reserved registers */
		return SR_SIM_ACK_OK;
	}
}

enum sr_sim_ack sr_sim_ap_read(struct sr_sim_board *b, uint8_t ap, uint8_t reg, uint32_t *val)
{
	*val = 0;
	enum sr_sim_ack ack = ap_access(b, ap, reg, false, val);
	if (ack == SR_SIM_ACK_OK)
		b->dap.rdbuff = *val;
	return ack;
}

enum sr_sim_ack sr_sim_ap_write(struct sr_sim_board *b, uint8_t ap, uint8_t reg, uint32_t val)
{
	return ap_access(b, ap, reg, true, &val);
}

/* READMEM/WRITEMEM of an ST-Link: units of WIDTH bytes, stopping at the first fault. */
static enum sr_sim_ack mem_block(struct sr_sim_board *b, uint8_t ap, uint32_t addr,
				 unsigned width, uint8_t *buf, uint32_t len, bool write,
				 uint32_t *fault_addr)
{
	enum sr_sim_ack ack = pre_transaction(b, false);
	if (ack == SR_SIM_ACK_OK)
		ack = ap_gate(b);
	if (ack == SR_SIM_ACK_OK && (ap != 0 || (width != 1 && width != 2 && width != 4)))
		ack = SR_SIM_ACK_FAULT;
	for (uint32_t i = 0; ack == SR_SIM_ACK_OK && i + width <= len; i += width) {
		uint32_t v = 0;
		for (unsigned k = 0; write && k < width; k++)
			v |= (uint32_t)buf[i + k] << (8 * k);
		b->transactions++;
		/* The AHB-AP ignores TAR bits below the transfer size (aligned transfer). */
		ack = mem_xfer(b, (addr + i) & ~(width - 1), width, write, &v);
		if (ack != SR_SIM_ACK_OK) {
			if (fault_addr)
				*fault_addr = addr + i;
			break;
		}
		for (unsigned k = 0; !write && k < width; k++)
			buf[i + k] = (uint8_t)(v >> (8 * k));
		b->dap.tar = addr + i;
	}
	return ack;
}

enum sr_sim_ack sr_sim_mem_read(struct sr_sim_board *b, uint8_t ap, uint32_t addr, unsigned width,
				uint8_t *buf, uint32_t len, uint32_t *fault_addr)
{
	return mem_block(b, ap, addr, width, buf, len, false, fault_addr);
}

enum sr_sim_ack sr_sim_mem_write(struct sr_sim_board *b, uint8_t ap, uint32_t addr,
				 unsigned width, const uint8_t *buf, uint32_t len,
				 uint32_t *fault_addr)
{
	return mem_block(b, ap, addr, width, (uint8_t *)buf, len, true, fault_addr);
}
