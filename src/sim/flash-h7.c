/*
 * The flash controller of the STM32H74x/H75x (RM0433 Rev 8 section 4): two banks,
 * each with its own register block (bank 2 at +0x100), eight 128 KiB sectors, and a
 * 256-bit write buffer that programs a flash word when it is full or forced (FW).
 * Program and erase requests queue per bank (QW) and run one at a time (BSY).
 * This file has the banks, their registers and the memory reads and writes; the
 * option bytes, RDP, CRC and ECC state are in flash-h7-ob.c.
 * Timing: FLASH-TIMING.md section 4 (DS12117 Rev 10 table 42, typical values).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/flash-h7.h"
#include "sim/state.h"

/* Register offsets in a bank's block, RM0433 4.9.38 register map */
enum {
	R_KEYR = 0x04,
	R_CR = 0x0C,
	R_SR = 0x10,
	R_CCR = 0x14,
	R_CRCCR = 0x50,
	R_CRCSADD = 0x54,
	R_CRCEADD = 0x58,
	R_ECC_FA = 0x60
};

/* Flash word programming time by PSIZE x8/x16/x32/x64: 290/180/130/100 us typ. */
static uint64_t program_ns(unsigned psize)
{
	static const uint32_t us[4] = {290, 180, 130, 100};
	return (uint64_t)us[psize & 3] * 1000u;
}

/* 128 KiB sector erase by PSIZE: 2/1.8/1.1/1 s typ. */
static uint64_t sector_erase_ns(unsigned psize)
{
	static const uint32_t ms[4] = {2000, 1800, 1100, 1000};
	return (uint64_t)ms[psize & 3] * 1000000u;
}

/* Bank erase: the datasheet gives only the mass erase time, 13/8/6/5 s typ; the two
 * banks have separate controllers and erase in parallel, so a bank takes that long. */
uint64_t h7_bank_erase_ns(unsigned psize)
{
	static const uint32_t s[4] = {13, 8, 6, 5};
	return (uint64_t)s[psize & 3] * 1000000000u;
}

static unsigned psize_of(const struct h7_bank *k)
{
	return (k->cr & CR_PSIZE) >> 4;
}

/* Bank (0 or 1) holding flash address ADDR, -1 outside main flash. */
int h7_bank_of(const struct sr_sim_board *b, uint32_t addr)
{
	const struct sr_sim_chipdef *c = b->chip;
	for (int k = 0; k < c->n_banks; k++)
		if (addr >= c->bank_base[k] && addr - c->bank_base[k] < c->bank_size[k])
			return k;
	return -1;
}

uint32_t h7_sector_base(const struct sr_sim_board *b, int bank, unsigned sect)
{
	return b->chip->bank_base[bank] + sect * b->chip->sect_size[0];
}

static uint8_t *flash_at(struct sr_sim_board *b, uint32_t addr)
{
	return b->flash + (addr - b->chip->flash_base);
}

int h7_rdp_level(const struct sr_sim_board *b)
{
	uint32_t rdp = (h7_of(b)->cur.optsr & OPTSR_RDP) >> 8;
	return rdp == 0xAA ? 0 : rdp == 0xCC ? 2 : 1; /* RM0433 4.5.3 */
}

/* Level 1 with a debugger connected (or boot from RAM/system memory): no access to
 * the user flash, RM0433 4.5.3. The debugger stays "connected" until power-on reset. */
bool h7_rdp_blocks(const struct sr_sim_board *b)
{
	return h7_rdp_level(b) != 0 && b->dbg_intrusion;
}

/* The bank's operations that ended by NOW: programmed words and erased sectors. */
static void complete(struct sr_sim_board *b, int bank, const struct h7_op *op)
{
	const struct sr_sim_chipdef *c = b->chip;
	struct h7_bank *k = &h7_of(b)->bank[bank];
	uint8_t *p;
	switch (op->kind) {
	case H7_OP_PROGRAM:
		p = flash_at(b, op->arg);
		bool virgin = true, same = true;
		for (int i = 0; i < H7_WORD; i++) {
			virgin &= p[i] == 0xFF;
			same &= p[i] == op->data[i];
		}
		/* A flash word is programmed once per erase: its ECC covers all 256 bits, so
		 * writing it again with other data leaves a wrong ECC (RM0433 4.3.9; the FW
		 * note in 4.9.4 warns of "permanent ECC error"). */
		if (!virgin && !same)
			h7_ecc_mark(b, op->arg, true);
		for (int i = 0; i < H7_WORD; i++)
			p[i] &= op->data[i];
		break;
	case H7_OP_SECTOR:
		p = flash_at(b, h7_sector_base(b, bank, op->arg));
		memset(p, 0xFF, c->sect_size[0]);
		h7_ecc_clear(b, h7_sector_base(b, bank, op->arg), c->sect_size[0]);
		break;
	case H7_OP_BANK:
		memset(flash_at(b, c->bank_base[bank]), 0xFF, c->bank_size[bank]);
		h7_ecc_clear(b, c->bank_base[bank], c->bank_size[bank]);
		break;
	}
	k->sr |= SR_EOP; /* end of a program or erase operation, RM0433 4.9.5 */
}

void h7_bank_sync(struct sr_sim_board *b, int bank, uint64_t now)
{
	struct h7_bank *k = &h7_of(b)->bank[bank];
	while (k->nq && k->q[0].end <= now) {
		struct h7_op op = k->q[0];
		memmove(&k->q[0], &k->q[1], sizeof(k->q[0]) * (size_t)(k->nq - 1));
		k->nq--;
		complete(b, bank, &op);
	}
	h7_crc_sync(b, bank, now);
}

/* Queue OP for BANK: it starts when the one before it ends. A full queue stalls the
 * bus until a place is free (the AXI write is not acknowledged, RM0433 4.3.9). */
static void enqueue(struct sr_sim_board *b, int bank, struct h7_op op, uint64_t duration)
{
	struct h7_bank *k = &h7_of(b)->bank[bank];
	uint64_t now = sr_sim_time(b);
	h7_bank_sync(b, bank, now);
	if (k->nq == H7_QUEUE) {
		sr_sim_stall_until(b, k->q[0].end);
		now = sr_sim_time(b);
		h7_bank_sync(b, bank, now);
	}
	uint64_t opt = h7_of(b)->opt_end; /* an option change holds both banks */
	op.start = k->nq ? k->q[k->nq - 1].end : now;
	if (opt > op.start)
		op.start = opt;
	op.end = op.start + duration;
	k->q[k->nq++] = op;
}

static void wb_clear(struct h7_bank *k)
{
	k->wb_mask = 0;
	memset(k->wb, 0xFF, sizeof(k->wb));
}

/* The write buffer is full (or forced): check protection and queue the flash word. */
static void wb_commit(struct sr_sim_board *b, int bank)
{
	struct h7_bank *k = &h7_of(b)->bank[bank];
	uint32_t addr = k->wb_addr;
	struct h7_op op = {.kind = H7_OP_PROGRAM, .arg = addr};
	memcpy(op.data, k->wb, H7_WORD); /* bytes not written stay 1 (FW, RM0433 4.9.4) */
	wb_clear(k);
	/* Write-protected sector, PCROP or secure-only area, or RDP level 1 with a
	 * debugger: the word is not programmed and WRPERR is raised (RM0433 4.7.2). */
	if (h7_rdp_blocks(b) || h7_range_protected(b, bank, addr, H7_WORD)) {
		k->sr |= SR_WRPERR;
		return;
	}
	enqueue(b, bank, op, program_ns(psize_of(k)));
}

/* A data write to main flash lands in the bank's write buffer (RM0433 4.3.9). */
static int h7_mem_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
                        uint32_t val)
{
	int bank = h7_bank_of(b, addr);
	if (bank < 0)
		return SR_SIM_BUS_OK; /* beyond the banks: no effect */
	struct h7_bank *k = &h7_of(b)->bank[bank];
	h7_bank_sync(b, bank, sr_sim_time(b));
	/* "Any write access requested while PG is cleared is rejected. No error is
	 * generated on the bus, but PGSERR is raised", and so while INCERR is still set
	 * (RM0433 4.7.3). */
	if (!(k->cr & CR_PG) || (k->sr & SR_INCERR)) {
		k->sr |= SR_PGSERR;
		return SR_SIM_BUS_OK;
	}
	uint32_t word = addr & ~(uint32_t)(H7_WORD - 1), off = addr - word;
	uint32_t bytes = ((1u << size) - 1) << off;
	if (k->wb_mask && word != k->wb_addr) {
		/* Data for another flash word before this one was complete: the buffer is
		 * lost (RM0433 4.7.5). */
		k->sr |= SR_INCERR;
		wb_clear(k);
		return SR_SIM_BUS_OK;
	}
	if (k->wb_mask & bytes) {
		/* The same byte written twice in the buffer (RM0433 4.7.4). */
		k->sr |= SR_STRBERR;
		wb_clear(k);
		return SR_SIM_BUS_OK;
	}
	k->wb_addr = word;
	k->wb_mask |= bytes;
	for (unsigned i = 0; i < size; i++)
		k->wb[off + i] = (uint8_t)(val >> (8 * i));
	if (k->wb_mask == 0xFFFFFFFFu)
		wb_commit(b, bank);
	return SR_SIM_BUS_OK;
}

/* Sector (SER) or bank (BER, which wins) erase on START, RM0433 4.3.10. */
void h7_bank_erase_start(struct sr_sim_board *b, int bank)
{
	const struct sr_sim_chipdef *c = b->chip;
	struct h7_bank *k = &h7_of(b)->bank[bank];
	if (k->cr & CR_BER) {
		/* A bank erase with any protected sector is refused (RM0433 4.9.4 BER). */
		if (h7_rdp_blocks(b) ||
		    h7_range_protected(b, bank, c->bank_base[bank], c->bank_size[bank])) {
			k->sr |= SR_WRPERR;
			return;
		}
		enqueue(b, bank, (struct h7_op){.kind = H7_OP_BANK}, h7_bank_erase_ns(psize_of(k)));
		return;
	}
	if (!(k->cr & CR_SER))
		return; /* START without SER or BER starts nothing */
	unsigned snb = (k->cr & CR_SNB) >> 8;
	if (snb >= c->bank_sect[bank]) {
		/* SNB names a sector the bank does not have (1 MiB parts): not documented;
		 * the model refuses it as a sequence error. */
		k->sr |= SR_PGSERR;
		return;
	}
	if (h7_rdp_blocks(b) ||
	    h7_range_protected(b, bank, h7_sector_base(b, bank, snb), c->sect_size[0])) {
		k->sr |= SR_WRPERR; /* RM0433 4.9.4 SER, 4.7.2 */
		return;
	}
	enqueue(b, bank, (struct h7_op){.kind = H7_OP_SECTOR, .arg = snb},
	        sector_erase_ns(psize_of(k)));
}

/* FLASH_CRx: writable only while unlocked; LOCK is set by software only; clearing
 * PG drops a partly written buffer; FW forces it; START launches an erase
 * (RM0433 4.9.4). */
static void write_cr(struct sr_sim_board *b, int bank, uint32_t val)
{
	struct h7_bank *k = &h7_of(b)->bank[bank];
	if (k->cr & CR_LOCK)
		return;
	uint32_t old = k->cr;
	k->cr = (k->cr & ~CR_RW) | (val & CR_RW);
	if (val & CR_LOCK)
		k->cr |= CR_LOCK; /* the other bits do not change as LOCK is set */
	if ((old & CR_PG) && !(k->cr & CR_PG))
		wb_clear(k);
	if ((val & CR_FW) && k->wb_mask)
		wb_commit(b, bank);
	if ((old & CR_CRC_EN) && !(k->cr & CR_CRC_EN)) {
		k->crccr = 0; /* CRC_EN cleared: CRC configuration and CRCDATA reset */
		h7_of(b)->crcdata = 0;
	}
	if (val & CR_START)
		h7_bank_erase_start(b, bank);
}

/* FLASH_KEYRx: KEY1 then KEY2 clears LOCK; a wrong key, or the keys again while
 * unlocked, locks FLASH_CRx until reset with a bus error (RM0433 4.5.1, 4.9.4). */
static int write_keyr(struct sr_sim_board *b, int bank, unsigned size, uint32_t val)
{
	struct h7_bank *k = &h7_of(b)->bank[bank];
	const uint32_t *keys = b->chip->keys;
	if (k->key == H7_KEY_DEAD || !(k->cr & CR_LOCK) || size != 4 ||
	    val != keys[k->key == H7_KEY1 ? 0 : 1]) {
		if (k->key != H7_KEY_DEAD)
			sr_debug("sim: wrong FLASH_KEYR%d sequence (0x%08X): locked until reset",
			         bank + 1, val);
		k->key = H7_KEY_DEAD;
		k->cr |= CR_LOCK;
		return SR_SIM_BUS_ERR;
	}
	if (k->key == H7_KEY1) {
		k->key = H7_KEY2;
	} else {
		k->key = H7_KEY1;
		k->cr &= ~CR_LOCK;
	}
	return SR_SIM_BUS_OK;
}

static uint32_t read_sr(struct sr_sim_board *b, int bank)
{
	struct h7_bank *k = &h7_of(b)->bank[bank];
	uint64_t now = sr_sim_time(b);
	const struct h7 *f = h7_of(b);
	uint32_t v = k->sr;
	if (k->wb_mask)
		v |= SR_WBNE;
	if (k->nq || f->opt_end)
		v |= SR_QW;
	if ((k->nq && k->q[0].start <= now) || f->opt_end)
		v |= SR_BSY;
	if (k->crc_end)
		v |= SR_CRC_BUSY;
	return v;
}

/* Registers of BANK's block; *HANDLED false for the shared ones. */
static int bank_reg_write(struct sr_sim_board *b, int bank, uint32_t off, unsigned size,
                          uint32_t val, bool *handled)
{
	struct h7_bank *k = &h7_of(b)->bank[bank];
	*handled = true;
	switch (off) {
	case R_KEYR:
		return write_keyr(b, bank, size, val);
	case R_CR:
		write_cr(b, bank, val);
		return SR_SIM_BUS_OK;
	case R_SR:
		return SR_SIM_BUS_OK; /* read-only: flags clear through FLASH_CCRx */
	case R_CCR:
		k->sr &= ~(val & SR_FLAGS); /* RM0433 4.9.6 */
		if (!(k->sr & (SR_SNECCERR | SR_DBECCERR)))
			k->ecc_fa = 0; /* with both ECC flags clear, RM0433 4.9.23 */
		return SR_SIM_BUS_OK;
	case R_CRCCR:
		if (!(k->cr & CR_CRC_EN))
			return SR_SIM_BUS_OK; /* configurable only with CRC_EN, RM0433 4.9.4 */
		k->crccr = val & 0x00330787u;
		if (val & (1u << 9))
			k->crc_sects |= 1u << (val & 7); /* ADD_SECT */
		if (val & (1u << 10))
			k->crc_sects = 0; /* CLEAN_SECT */
		if (val & (1u << 17))
			h7_of(b)->crcdata = 0; /* CLEAN_CRC */
		if (val & (1u << 16))
			h7_crc_start(b, bank); /* START_CRC */
		return SR_SIM_BUS_OK;
	case R_CRCSADD:
		if (k->cr & CR_CRC_EN)
			k->crcsadd = val & 0x000FFFFCu;
		return SR_SIM_BUS_OK;
	case R_CRCEADD:
		if (k->cr & CR_CRC_EN)
			k->crceadd = val & 0x000FFFFCu;
		return SR_SIM_BUS_OK;
	default:
		*handled = false;
		return SR_SIM_BUS_OK;
	}
}

static bool bank_reg_read(struct sr_sim_board *b, int bank, uint32_t off, uint32_t *v)
{
	struct h7_bank *k = &h7_of(b)->bank[bank];
	switch (off) {
	case R_KEYR:
	case R_CCR:
		*v = 0; /* write-only */
		return true;
	case R_CR:
		*v = k->cr;
		return true;
	case R_SR:
		*v = read_sr(b, bank);
		return true;
	case R_CRCCR:
		*v = k->crccr & ~0x00030600u; /* the action bits read 0 */
		return true;
	case R_CRCSADD:
		*v = k->crcsadd;
		return true;
	case R_CRCEADD:
		*v = k->crceadd;
		return true;
	case R_ECC_FA:
		*v = k->ecc_fa;
		return true;
	default:
		return false;
	}
}

static void sync_all(struct sr_sim_board *b, uint64_t now)
{
	for (int k = 0; k < b->chip->n_banks; k++)
		h7_bank_sync(b, k, now);
	h7_ob_sync(b, now);
}

/* The 1 KiB block: bank 1's registers at 0, bank 2's at bank2_regs (0x100), where
 * the shared registers (ACR, OPTKEYR, OPTCR, OPTSR, BOOT, CRCDATA) appear again. */
static int split(const struct sr_sim_board *b, uint32_t off, uint32_t *roff)
{
	uint32_t b2 = b->chip->bank2_regs;
	*roff = off;
	if (b2 && b->chip->n_banks > 1 && off >= b2 && off < 2 * b2) {
		*roff = off - b2;
		return 1;
	}
	return off < (b2 ? b2 : 0x100) ? 0 : -1;
}

static int h7_reg_write(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t val)
{
	uint32_t roff, cur = 0;
	bool handled;
	sync_all(b, sr_sim_time(b));
	if (h7_of(b)->opt_end) {
		/* "All write accesses to embedded Flash memory registers are put on hold
		 * until the option byte change operation has completed" (RM0433 4.9.19, START_CRC).
		 */
		sr_sim_stall_until(b, h7_of(b)->opt_end);
		sync_all(b, sr_sim_time(b));
	}
	int bank = split(b, off & ~3u, &roff);
	if (bank < 0)
		return SR_SIM_BUS_OK; /* reserved */
	if (size != 4) {
		/* Word registers: a narrower write merges into the word; for the key
		 * registers it can only be a wrong key. */
		unsigned sh = 8 * (off & 3);
		uint32_t mask = ((1u << (8 * size)) - 1) << sh;
		if (!bank_reg_read(b, bank, roff, &cur))
			h7_ob_reg_read(b, bank, roff, &cur);
		val = (roff == R_KEYR || roff == 0x08) ? 0 : (cur & ~mask) | ((val << sh) & mask);
	}
	int rc = bank_reg_write(b, bank, roff, 4, val, &handled);
	if (handled)
		return rc;
	return h7_ob_reg_write(b, bank, roff, val);
}

static int h7_reg_read(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t *val)
{
	uint32_t roff, w = 0;
	sync_all(b, sr_sim_time(b));
	int bank = split(b, off & ~3u, &roff);
	if (bank >= 0 && !bank_reg_read(b, bank, roff, &w))
		h7_ob_reg_read(b, bank, roff, &w);
	w >>= 8 * (off & 3);
	*val = size == 4 ? w : w & ((1u << (8 * size)) - 1);
	return SR_SIM_BUS_OK;
}

/* A read of main flash: stalls while its bank programs or erases; refused (bus
 * error) in protected areas; ECC errors reported (RM0433 4.3.8, 4.5, 4.7). */
static int h7_mem_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
                       uint32_t *val)
{
	int bank = h7_bank_of(b, addr);
	*val = 0;
	if (bank < 0)
		return SR_SIM_BUS_OK;
	struct h7_bank *k = &h7_of(b)->bank[bank];
	h7_bank_sync(b, bank, sr_sim_time(b));
	if (k->nq) {
		sr_sim_stall_until(b, k->q[k->nq - 1].end);
		h7_bank_sync(b, bank, sr_sim_time(b));
	}
	if (h7_rdp_blocks(b) || h7_in_pcrop(b, bank, addr)) {
		k->sr |= SR_RDPERR; /* RM0433 4.7.7 */
		return SR_SIM_BUS_ERR;
	}
	if (h7_in_secure(b, bank, addr)) {
		k->sr |= SR_RDSERR; /* RM0433 4.7.8 */
		return SR_SIM_BUS_ERR;
	}
	uint32_t word = addr & ~(uint32_t)(H7_WORD - 1);
	const struct h7_ecc *e = h7_ecc_find(b, word);
	if (e) {
		/* RM0433 4.7.9: the failing flash word is latched in FLASH_ECC_FAxR (the
		 * first one, while no ECC flag is set); a double error also fails the read
		 * with a bus error. */
		if (!(k->sr & (SR_SNECCERR | SR_DBECCERR)))
			k->ecc_fa = ((word - b->chip->bank_base[bank]) / H7_WORD) & 0x7FFF;
		k->sr |= e->dbl ? SR_DBECCERR : SR_SNECCERR;
		if (e->dbl)
			return SR_SIM_BUS_ERR;
	}
	const uint8_t *p = flash_at(b, addr);
	for (unsigned i = 0; i < size; i++)
		*val |= (uint32_t)p[i] << (8 * i);
	return SR_SIM_BUS_OK;
}

static void h7_sync(struct sr_sim_board *b, uint64_t now)
{
	sync_all(b, now);
}

static uint64_t h7_busy_until(const struct sr_sim_board *b)
{
	const struct h7 *f = h7_of(b);
	uint64_t t = f->opt_end ? f->opt_end : UINT64_MAX;
	for (int i = 0; i < b->chip->n_banks; i++) {
		const struct h7_bank *k = &f->bank[i];
		if (k->nq && k->q[0].end < t)
			t = k->q[0].end;
		if (k->crc_end && k->crc_end < t)
			t = k->crc_end;
	}
	return t;
}

void h7_bank_reset(struct h7_bank *k)
{
	k->cr = CR_RESET;
	k->sr = 0;
	k->key = H7_KEY1;
	k->nq = 0;
	k->ecc_fa = 0;
	k->crccr = k->crcsadd = k->crceadd = 0;
	k->crc_sects = 0;
	k->crc_end = 0;
	wb_clear(k);
}

/* System reset: registers to reset values, option bytes in force again
 * (RM0433 4.9). An operation in progress is lost. */
static void h7_reset(struct sr_sim_board *b, bool por)
{
	struct h7 *f = h7_of(b);
	for (int i = 0; i < 2; i++) {
		if (f->bank[i].nq)
			sr_warn("sim: reset during a flash operation of bank %d; it is lost",
			        i + 1);
		h7_bank_reset(&f->bank[i]);
	}
	h7_ob_reset(b);
}

static int h7_rdp_level_op(const struct sr_sim_board *b)
{
	return h7_rdp_level(b);
}

/* IWDG1_SW 0: the watchdog starts by itself at reset (RM0433 4.9.8). */
static bool h7_iwdg_hw(const struct sr_sim_board *b)
{
	return !(h7_of(b)->cur.optsr & OPTSR_IWDG1_SW);
}

/* The core boots from BOOT_ADD0 or, with the BOOT0 pin high, BOOT_ADD1: address
 * bits 31:16 (RM0433 2.6, 4.9.17). */
static uint32_t h7_boot_address(const struct sr_sim_board *b)
{
	uint32_t boot = h7_of(b)->cur.boot;
	return (b->boot0 ? boot >> 16 : boot & 0xFFFF) << 16;
}

static void h7_factory(struct sr_sim_board *b)
{
	h7_ob_factory(b);
	h7_reset(b, true);
}

static int h7_init(struct sr_sim_board *b)
{
	if (b->chip->n_banks < 1 || b->chip->n_banks > 2 || !b->chip->n_sect) {
		sr_err("sim: %s: the flash layout of families/ gives no banks", b->chip->title);
		return SR_E_NODATA;
	}
	b->flash_priv = sr_calloc(1, sizeof(struct h7));
	return SR_OK;
}

static void h7_free(struct sr_sim_board *b)
{
	free(b->flash_priv);
	b->flash_priv = NULL;
}

const struct sr_sim_flash_ops sr_sim_flash_h7 = {
    .name = "stm32h7",
    .init = h7_init,
    .free = h7_free,
    .reset = h7_reset,
    .reg_read = h7_reg_read,
    .reg_write = h7_reg_write,
    .mem_read = h7_mem_read,
    .mem_write = h7_mem_write,
    .sync = h7_sync,
    .busy_until = h7_busy_until,
    .rdp_level = h7_rdp_level_op,
    .iwdg_hw = h7_iwdg_hw,
    .load = h7_load,
    .save = h7_save,
    .factory = h7_factory,
    .boot_address = h7_boot_address,
};
