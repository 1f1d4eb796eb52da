/*
 * The chip's RAM regions (families/ ram = lines) laid out as spans: regions that
 * follow each other in the address space form one span (F446 SRAM1+SRAM2; F7
 * DTCM+SRAM1+SRAM2), a region elsewhere starts a new one (F7 ITCM RAM at 0,
 * RM0385 2.3.1). The board keeps all spans in one buffer, each at a 4 KiB
 * aligned offset so that Unicorn can map it in place.
 */
#include "config.h"

#include <string.h>

#include "common/util.h"
#include "sim/sim-internal.h"

#define PAGE 0x1000u

static uint32_t round_page(uint32_t n)
{
	return (n + PAGE - 1) & ~(PAGE - 1);
}

uint32_t sr_sim_ram_layout(struct sr_sim_board *b)
{
	const struct sr_sim_chipdef *c = b->chip;
	uint32_t off = 0;
	b->n_ramspan = 0;
	for (int i = 0; i < c->n_ram; i++) {
		struct sr_sim_ramspan *last = b->n_ramspan ? &b->ramspan[b->n_ramspan - 1] : NULL;
		if (last && last->base + last->size == c->ram[i].base) {
			off -= round_page(last->size);
			last->size += c->ram[i].size;
			off += round_page(last->size);
			continue;
		}
		struct sr_sim_ramspan *s = &b->ramspan[b->n_ramspan++];
		s->base = c->ram[i].base;
		s->size = c->ram[i].size;
		s->off = off;
		off += round_page(s->size);
	}
	b->ram_size = off;
	return off;
}

uint8_t *sr_sim_ram_at(const struct sr_sim_board *b, uint32_t addr, unsigned size)
{
	for (int i = 0; i < b->n_ramspan; i++) {
		const struct sr_sim_ramspan *s = &b->ramspan[i];
		if (addr >= s->base && (uint64_t)addr + size <= (uint64_t)s->base + s->size)
			return b->ram + s->off + (addr - s->base);
	}
	return NULL;
}
