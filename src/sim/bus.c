/*
 * The chip's system bus: which slave answers an address, for the core (through
 * Unicorn's MMIO callbacks) and for the debugger (through the AHB-AP).
 * Memory map: RM0390 2.2.2 table 1 and 3.3 table 4; RM0433 2.3.2 (through struct
 * sr_sim_chipdef).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

/* Peripherals not modelled keep what was written (reads of unwritten ones give 0). */
struct sr_sim_regfile {
	uint32_t *addr, *val;
	int n;
};

struct sr_sim_regfile *sr_sim_regfile_new(void)
{
	return sr_calloc(1, sizeof(struct sr_sim_regfile));
}

void sr_sim_regfile_clear(struct sr_sim_regfile *rf)
{
	free(rf->addr);
	free(rf->val);
	rf->addr = rf->val = NULL;
	rf->n = 0;
}

void sr_sim_regfile_free(struct sr_sim_regfile *rf)
{
	if (!rf)
		return;
	sr_sim_regfile_clear(rf);
	free(rf);
}

uint32_t *sr_sim_regfile_slot(struct sr_sim_regfile *rf, uint32_t addr, bool create)
{
	for (int i = 0; i < rf->n; i++)
		if (rf->addr[i] == addr)
			return &rf->val[i];
	if (!create)
		return NULL;
	rf->addr = sr_realloc_array(rf->addr, (size_t)rf->n + 1, sizeof(uint32_t));
	rf->val = sr_realloc_array(rf->val, (size_t)rf->n + 1, sizeof(uint32_t));
	rf->addr[rf->n] = addr;
	rf->val[rf->n] = 0;
	return &rf->val[rf->n++];
}

static bool in_range(uint32_t addr, unsigned size, uint32_t base, uint32_t len)
{
	return addr >= base && (uint64_t)addr + size <= (uint64_t)base + len;
}

/* Persist the registers of unmodelled peripherals ([regs] ADDR = VALUE), so that a
 * clock enable written by one process is still set in the next. */
void sr_sim_regfile_save(struct sr_sim_board *b)
{
	char key[16];
	for (int i = 0; i < b->regs->n; i++) {
		snprintf(key, sizeof(key), "0x%08X", b->regs->addr[i]);
		sr_sim_state_set_u32(b->st, "regs", key, b->regs->val[i]);
	}
}

void sr_sim_regfile_load(struct sr_sim_board *b)
{
	for (uint32_t i = 0;; i++) {
		const char *k = sr_sim_state_key_at(b->st, "regs", i);
		uint32_t addr, v;
		if (!k)
			break;
		if (sr_parse_u32(k, &addr) || sr_sim_state_get_u32(b->st, "regs", k, 0, &v)) {
			sr_warn("sim: [regs] %s is not ADDRESS = VALUE; ignored", k);
			continue;
		}
		*sr_sim_regfile_slot(b->regs, addr, true) = v;
	}
}

/* Flash, OTP and option-byte addresses, with the boot alias at 0 (RM0390 2.4, RM0008
 * 3.4) or the fixed ITCM alias of flash (RM0385 2.3.1) translated to main flash. */
static bool is_flash_slave(const struct sr_sim_board *b, uint32_t *addr, unsigned size)
{
	const struct sr_sim_chipdef *c = b->chip;
	if (c->boot_alias && !b->boot0 && in_range(*addr, size, 0, c->flash_size)) {
		*addr += c->flash_base;
		return true;
	}
	if (c->flash_alias && in_range(*addr, size, c->flash_alias, c->flash_size)) {
		*addr += c->flash_base - c->flash_alias;
		return true;
	}
	return in_range(*addr, size, c->flash_base, c->flash_size) ||
	       in_range(*addr, size, c->otp_base, c->otp_size) ||
	       (c->optbytes_size && in_range(*addr, size, c->optbytes_base, c->optbytes_size)) ||
	       (c->optbytes2_base && in_range(*addr, size, c->optbytes2_base, c->optbytes_size));
}

/* System memory, also at its fixed alias (F7 ITCM: RM0385 3.3.1 table 3). */
static bool is_sysmem(const struct sr_sim_board *b, uint32_t addr, unsigned size)
{
	const struct sr_sim_chipdef *c = b->chip;
	return in_range(addr, size, c->sysmem_base, c->sysmem_size) ||
	       (c->sysmem_alias && in_range(addr, size, c->sysmem_alias, c->sysmem_size));
}

/* Device signature: U_ID and F_SIZE (RM0390 32.1, 32.2); reserved bytes read 0xFF. */
static int signature_read(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t *val)
{
	const struct sr_sim_chipdef *c = b->chip;
	uint32_t kib = c->flash_size / 1024;
	*val = 0;
	for (unsigned i = 0; i < size; i++) {
		uint32_t a = addr + i, byte = 0xFF;
		if (a >= c->uid_addr && a < c->uid_addr + 12)
			byte = b->uid[a - c->uid_addr];
		else if (a == c->flash_size_addr || a == c->flash_size_addr + 1)
			byte = (kib >> (8 * (a - c->flash_size_addr))) & 0xFF;
		*val |= byte << (8 * i);
	}
	return SR_SIM_BUS_OK;
}

/* U_ID and F_SIZE, in either order (F4: U_ID first, RM0390 32; F1: F_SIZE first, RM0008
 * 30), up to the end of the word holding F_SIZE: clients read it as a word. */
static bool is_signature(const struct sr_sim_board *b, uint32_t addr, unsigned size)
{
	const struct sr_sim_chipdef *c = b->chip;
	uint32_t fs_end = (c->flash_size_addr + 2 + 3) & ~3u;
	uint32_t lo = c->uid_addr < c->flash_size_addr ? c->uid_addr : c->flash_size_addr;
	uint32_t hi = c->uid_addr + 12 > fs_end ? c->uid_addr + 12 : fs_end;
	return in_range(addr, size, lo, hi - lo);
}

static int periph_read(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t *val)
{
	const struct sr_sim_chipdef *c = b->chip;
	bool handled = false;
	if (in_range(addr, size, c->flash_regs, 0x400))
		return b->fops->reg_read(b, addr - c->flash_regs, size, val);
	int rc = sr_sim_periph_read(b, addr, size, val, &handled);
	if (handled)
		return rc;
	uint32_t *slot = sr_sim_regfile_slot(b->regs, addr & ~3u, false);
	*val = slot ? (*slot >> (8 * (addr & 3))) : 0;
	if (size < 4)
		*val &= (1u << (8 * size)) - 1;
	return SR_SIM_BUS_OK;
}

int sr_sim_periph_read_reg(struct sr_sim_board *b, uint32_t addr, uint32_t *val)
{
	return periph_read(b, addr, 4, val);
}

static int periph_write(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t val);

int sr_sim_periph_write_reg(struct sr_sim_board *b, uint32_t addr, uint32_t val)
{
	return periph_write(b, addr, 4, val);
}

static int periph_write(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t val)
{
	const struct sr_sim_chipdef *c = b->chip;
	bool handled = false;
	if (in_range(addr, size, c->flash_regs, 0x400))
		return b->fops->reg_write(b, addr - c->flash_regs, size, val);
	int rc = sr_sim_periph_write(b, addr, size, val, &handled);
	if (handled)
		return rc;
	uint32_t *slot = sr_sim_regfile_slot(b->regs, addr & ~3u, true);
	unsigned sh = 8 * (addr & 3);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1)) << sh;
	*slot = (*slot & ~mask) | ((val << sh) & mask);
	sr_debug("sim: write 0x%08X to unmodelled peripheral 0x%08X", val, addr);
	return SR_SIM_BUS_OK;
}

/* PPB: word registers; narrower accesses see the lanes of the word. */
static int ppb_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
		    uint32_t *val)
{
	bool handled = false;
	int rc = sr_sim_periph_read(b, addr, size, val, &handled);
	if (handled)
		return rc;
	uint32_t w;
	rc = sr_sim_ppb_read(b, m, addr & ~3u, &w);
	w >>= 8 * (addr & 3);
	*val = size == 4 ? w : w & ((1u << (8 * size)) - 1);
	return rc;
}

static int ppb_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
		     uint32_t val)
{
	bool handled = false;
	int rc = sr_sim_periph_write(b, addr, size, val, &handled);
	if (handled)
		return rc;
	if (size != 4) {
		/* Byte/halfword writes to SCS word registers: ARMv7-M B3.2.1 leaves
		 * most UNPREDICTABLE; the model merges lanes into the current value. */
		uint32_t w, sh = 8 * (addr & 3), mask = ((1u << (8 * size)) - 1) << sh;
		if (sr_sim_ppb_read(b, m, addr & ~3u, &w) != SR_SIM_BUS_OK)
			return SR_SIM_BUS_ERR;
		val = (w & ~mask) | ((val << sh) & mask);
	}
	return sr_sim_ppb_write(b, m, addr & ~3u, val);
}

/* While NRST is held, only the debug domain (PPB) answers (RM0390 33.3.3: the debug
 * logic is reset by power-on only); the system bus behind the AHB-AP is in reset. */
static bool system_in_reset(const struct sr_sim_board *b, uint32_t addr)
{
	return b->core.in_reset && addr < 0xE0000000u;
}

int sr_sim_bus_read(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
		    uint32_t *val)
{
	uint8_t *p;
	bool gated;
	*val = 0;
	if (system_in_reset(b, addr))
		return SR_SIM_BUS_ERR;
	if ((p = sr_sim_ram_at(b, addr, size, &gated)) || gated) {
		if (gated)
			return SR_SIM_BUS_ERR;
		for (unsigned i = 0; i < size; i++)
			*val |= (uint32_t)p[i] << (8 * i);
		return SR_SIM_BUS_OK;
	}
	uint32_t fa = addr;
	if (is_flash_slave(b, &fa, size))
		return b->fops->mem_read(b, m, fa, size, val);
	if (is_signature(b, addr, size))
		return signature_read(b, addr, size, val);
	if (is_sysmem(b, addr, size))
		return SR_SIM_BUS_OK; /* boot-loader ROM content is not modelled: reads 0 */
	if (addr >= 0x40000000u && addr < 0x60000000u)
		return periph_read(b, addr, size, val);
	if (addr >= 0xE0000000u && addr < 0xE0100000u)
		return ppb_read(b, m, addr, size, val);
	return SR_SIM_BUS_ERR;
}

int sr_sim_bus_write(struct sr_sim_board *b, enum sr_sim_master m, uint32_t addr, unsigned size,
		     uint32_t val)
{
	uint8_t *p;
	bool gated;
	if (system_in_reset(b, addr))
		return SR_SIM_BUS_ERR;
	if ((p = sr_sim_ram_at(b, addr, size, &gated)) || gated) {
		if (gated)
			return SR_SIM_BUS_ERR;
		for (unsigned i = 0; i < size; i++)
			p[i] = (uint8_t)(val >> (8 * i));
		sr_sim_core_ram_written(b, addr, size);
		return SR_SIM_BUS_OK;
	}
	uint32_t fa = addr;
	if (is_flash_slave(b, &fa, size))
		return b->fops->mem_write(b, m, fa, size, val);
	if (is_signature(b, addr, size) || is_sysmem(b, addr, size))
		return SR_SIM_BUS_OK; /* ROM: the write has no effect */
	if (addr >= 0x40000000u && addr < 0x60000000u)
		return periph_write(b, addr, size, val);
	if (addr >= 0xE0000000u && addr < 0xE0100000u)
		return ppb_write(b, m, addr, size, val);
	return SR_SIM_BUS_ERR;
}
