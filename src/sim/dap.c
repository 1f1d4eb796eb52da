/*
 * The SWD debug port and the MEM-APs of the chip's DAP, per ADIv5 (ARM IHI 0031):
 * SW-DP v1/v2 register file, sticky errors, debug power-up handshake, and MEM-AP
 * transfers onto the system bus (AHB-AP) or a debug APB (APB-AP). Which APs exist
 * and what they reach is chip data (chipdef ap[]); absent APs read 0. AP reads are
 * returned at once: the posted-read pipeline of SWD is folded into each call
 * (RDBUFF still holds the last AP read, as after the pipeline drains).
 */
#include "config.h"

#include "common/log.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

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
	for (int i = 0; i < SR_SIM_MAX_AP; i++) {
		d->csw[i] = CSW_RESET;
		d->tar[i] = 0;
	}
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

/* DPv2 banked registers at 0x4 (ADIv5.2 B2.2): CTRL/STAT, DLCR, TARGETID, DLPIDR,
 * EVENTSTAT. The bank is SELECT.DPBANKSEL, or the high nibble of REG as the probe
 * passes it (openocd BANK_REG). */
static uint32_t dp_banked(struct sr_sim_board *b, uint8_t reg)
{
	const struct sr_sim_dap *d = &b->dap;
	unsigned bank = (reg >> 4) ? (reg >> 4) : (d->select & 0xF);
	bool v2 = ((b->chip->dp_idcode >> 12) & 0xF) >= 2;
	if (!v2 || bank == 0)
		return ctrl_stat(d);
	switch (bank) {
	case 1: return 0x00000040; /* DLCR: TURNROUND 1 cycle, bit 6 RES1 */
	case 2: return b->chip->dp_targetid;
	case 3: return 0x00000001; /* DLPIDR: PROTVSN 1, TINSTANCE 0 */
	default: return 0;
	}
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
		*val = b->chip->dp_idcode; /* the core's SW-DP (families/ [part] dp_idcode) */
		break;
	case 0x4:
		*val = dp_banked(b, reg);
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
		if (((b->chip->dp_idcode >> 12) & 0xF) >= 2 && ((reg >> 4) || (d->select & 0xF)))
			break; /* DLCR and the read-only banks: nothing the model keeps */
		d->ctrl_stat = (d->ctrl_stat & ~CS_RW) | (val & CS_RW);
		break;
	case 0x8:
		if (d->ctrl_stat & CS_STICKY)
			return SR_SIM_ACK_FAULT;
		d->select = val; /* APSEL, APBANKSEL, DPBANKSEL (DPv2) */
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
	uint32_t lp = sr_sim_dbgmcu_reg(b, b->chip->dbgmcu_cr) & 7;
	if (b->fw_sleeps && b->core.fw_running && !b->core.in_reset && !lp)
		return SR_SIM_ACK_WAIT;
	return SR_SIM_ACK_OK;
}

/* Is [ADDR, ADDR + SIZE) on the part of the system bus AP reaches? */
static bool in_window(const struct sr_sim_apdef *ap, uint32_t addr, unsigned size)
{
	if (ap->n_win == 0)
		return true;
	for (int i = 0; i < ap->n_win; i++)
		if (addr >= ap->win[i].base && addr - ap->win[i].base + size <= ap->win[i].size)
			return true;
	return false;
}

/* One access of the APB-AP: 32 bits wide (ADIv5 7.3: an APB-AP has no Size field),
 * VAL in its byte lane. */
static int apb_xfer(struct sr_sim_board *b, const struct sr_sim_apdef *ap, uint32_t addr,
		    unsigned size, bool write, uint32_t *val)
{
	unsigned sh = 8 * (addr & 3);
	uint32_t w = 0;
	int rc = sr_sim_apbd_read(b, ap->apbd, addr & ~3u, &w);
	if (rc != SR_SIM_BUS_OK)
		return rc;
	if (!write) {
		*val = (w >> sh) & (size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1);
		return SR_SIM_BUS_OK;
	}
	if (size != 4) {
		uint32_t mask = ((1u << (8 * size)) - 1) << sh;
		w = (w & ~mask) | ((*val << sh) & mask);
	} else {
		w = *val;
	}
	return sr_sim_apbd_write(b, ap->apbd, addr & ~3u, w);
}

/* One MEM-AP transfer of SIZE bytes at ADDR through AP; VAL is the value in its lane. */
static enum sr_sim_ack mem_xfer(struct sr_sim_board *b, uint8_t apn, uint32_t addr,
				unsigned size, bool write, uint32_t *val)
{
	const struct sr_sim_apdef *ap = &b->chip->ap[apn];
	int rc;
	if (ap->bus == SR_SIM_AP_APB)
		rc = apb_xfer(b, ap, addr, size, write, val);
	else if (!in_window(ap, addr, size))
		rc = SR_SIM_BUS_ERR; /* outside what this AHB-AP's bus decodes */
	else
		rc = write ? sr_sim_bus_write(b, SR_SIM_DBG, addr, size, *val)
			   : sr_sim_bus_read(b, SR_SIM_DBG, addr, size, val);
	if (rc != SR_SIM_BUS_OK) {
		b->dap.ctrl_stat |= CS_STICKYERR; /* ADIv5 7.2: a bus error sets STICKYERR */
		return SR_SIM_ACK_FAULT;
	}
	return SR_SIM_ACK_OK;
}

static unsigned csw_size(const struct sr_sim_dap *d, uint8_t ap)
{
	return 1u << (d->csw[ap] & 7);
}

/* DRW/BDx access through TAR; auto-increment wraps at 4 KiB on the Cortex-M4 AHB-AP
 * (OpenOCD's tar_autoincr_block for Cortex-M3/M4). */
static enum sr_sim_ack drw(struct sr_sim_board *b, uint8_t ap, uint8_t reg, bool write,
			   uint32_t *val)
{
	struct sr_sim_dap *d = &b->dap;
	unsigned size = csw_size(d, ap);
	uint32_t addr = reg == 0x0C ? d->tar[ap] : (d->tar[ap] & ~0xFu) | (reg & 0xC);
	unsigned lane = 8 * (addr & 3);
	uint32_t v = write ? (*val >> lane) : 0;
	enum sr_sim_ack ack = mem_xfer(b, ap, addr & ~(size - 1), size, write, &v);
	if (!write)
		*val = ack == SR_SIM_ACK_OK ? v << lane : 0;
	if (reg == 0x0C && ((d->csw[ap] >> 4) & 3) == 1)
		d->tar[ap] = (d->tar[ap] & ~0xFFFu) | ((d->tar[ap] + size) & 0xFFFu);
	return ack;
}

static void csw_write(struct sr_sim_dap *d, uint8_t ap, uint32_t v)
{
	uint32_t sz = v & 7;
	d->csw[ap] = (d->csw[ap] & ~CSW_RW) | (v & CSW_RW & ~7u) | (sz <= 2 ? sz : d->csw[ap] & 7);
	d->csw[ap] |= CSW_DEVICEEN;
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
	d->select = (uint32_t)ap << 24 | (reg & 0xF0) | (d->select & 0xF);
	if (ap >= b->chip->n_ap) {
		if (!write)
			*val = 0; /* no AP here: IDR reads 0 (ADIv5 10.1), pyOCD scans for it */
		return SR_SIM_ACK_OK;
	}
	switch (reg) {
	case 0x00:
		if (write)
			csw_write(d, ap, *val);
		else
			*val = d->csw[ap] | CSW_DEVICEEN;
		return SR_SIM_ACK_OK;
	case 0x04:
		if (write)
			d->tar[ap] = *val;
		else
			*val = d->tar[ap];
		return SR_SIM_ACK_OK;
	case 0x0C: case 0x10: case 0x14: case 0x18: case 0x1C:
		return drw(b, ap, reg, write, val);
	case 0xF8:
		if (!write)
			*val = b->chip->ap[ap].base;
		return SR_SIM_ACK_OK;
	case 0xFC:
		if (!write)
			*val = b->chip->ap[ap].idr;
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
	if (ack == SR_SIM_ACK_OK && width != 1 && width != 2 && width != 4)
		ack = SR_SIM_ACK_FAULT;
	if (ack == SR_SIM_ACK_OK && ap >= b->chip->n_ap) {
		/* No AP: CSW/TAR writes are ignored and DRW reads 0 (ADIv5 10.1). */
		for (uint32_t i = 0; !write && i < len; i++)
			buf[i] = 0;
		return ack;
	}
	for (uint32_t i = 0; ack == SR_SIM_ACK_OK && i + width <= len; i += width) {
		uint32_t v = 0;
		for (unsigned k = 0; write && k < width; k++)
			v |= (uint32_t)buf[i + k] << (8 * k);
		b->transactions++;
		/* The AHB-AP ignores TAR bits below the transfer size (aligned transfer). */
		ack = mem_xfer(b, ap, (addr + i) & ~(width - 1), width, write, &v);
		if (ack != SR_SIM_ACK_OK) {
			if (fault_addr)
				*fault_addr = addr + i;
			break;
		}
		for (unsigned k = 0; !write && k < width; k++)
			buf[i + k] = (uint8_t)(v >> (8 * k));
		b->dap.tar[ap] = addr + i;
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
