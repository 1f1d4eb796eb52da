/*
 * The chip's RAM regions (families/ ram = lines): one buffer holds them all, each
 * region at its chipdef offset, in the chip's order (the order of the board image
 * too). A region may be clock-gated (families/ ram enable=ADDR:BIT, the H7's D2
 * SRAMs and backup SRAM): it answers only while its enable bit is set.
 */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

uint32_t sr_sim_ram_layout(struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *c = b->chip;
	const struct sr_sim_ramdef *last = &c->ram[c->n_ram - 1];
	for (int i = 0; i < c->n_ram; i++)
		b->ram_always[i] = !c->ram[i].enable_addr;
	b->ram_size = last->offset + last->size;
	return b->ram_size;
}

const struct sr_sim_ramdef *sr_sim_ram_region(const struct sr_sim_board *b, uint32_t addr,
					      unsigned size)
{
	const struct sr_sim_chipdef *c = b->chip;
	for (int i = 0; i < c->n_ram; i++) {
		const struct sr_sim_ramdef *r = &c->ram[i];
		if (addr >= r->base && (uint64_t)addr + size <= (uint64_t)r->base + r->size)
			return r;
	}
	return NULL;
}

/* A clock-gated RAM answers only with its enable bit set (H7 D2 SRAMs: RCC_AHB2ENR
 * SRAMxEN, 0 after reset: RM0433 8.7.42, and 8.5 "the CPU ... has to enable them",
 * Rev 7 p. 366), unless the state file says it is clocked anyway ([ram] NAME =
 * clocked: the D2 domain kept awake, DIAGNOSES A3). */
bool sr_sim_ram_clocked(struct sr_sim_board *b, const struct sr_sim_ramdef *r)
{
	if (!r->enable_addr || b->ram_always[r - b->chip->ram])
		return true;
	uint32_t v = 0;
	if (sr_sim_periph_read_reg(b, r->enable_addr, &v) != SR_SIM_BUS_OK)
		return false;
	return (v >> r->enable_bit) & 1;
}

/* An access to an unclocked region gets an AHB error response: RM0433 names no other
 * outcome, and a firmware that used unclocked AHB SRAM took a precise bus fault
 * (stm32h7b0, sylverb/game-and-watch-retro-go-sd#111). */
uint8_t *sr_sim_ram_at(struct sr_sim_board *b, uint32_t addr, unsigned size, bool *gated)
{
	const struct sr_sim_ramdef *r = sr_sim_ram_region(b, addr, size);
	*gated = false;
	if (!r)
		return NULL;
	if (!sr_sim_ram_clocked(b, r)) {
		*gated = true;
		return NULL;
	}
	return b->ram + r->offset + (addr - r->base);
}

/* [ram] NAME = clocked (no clock gate applies) or gated (usable only with its enable
 * bit); regions without an enable bit are always clocked. */
int sr_sim_ram_load(struct sr_sim_board *b)
{
	for (int i = 0; i < b->chip->n_ram; i++) {
		const struct sr_sim_ramdef *r = &b->chip->ram[i];
		const char *v = sr_sim_state_get(b->st, "ram", r->name);
		b->ram_always[i] = !r->enable_addr;
		if (!v || !r->enable_addr)
			continue;
		if (strcmp(v, "clocked") && strcmp(v, "gated")) {
			sr_err("sim: [ram] %s = %s: say clocked or gated", r->name, v);
			return SR_E_PARSE;
		}
		b->ram_always[i] = strcmp(v, "clocked") == 0;
	}
	return SR_OK;
}

void sr_sim_ram_save(struct sr_sim_board *b)
{
	for (int i = 0; i < b->chip->n_ram; i++)
		sr_sim_state_set(b->st, "ram", b->chip->ram[i].name,
				 b->ram_always[i] ? "clocked" : "gated");
}
