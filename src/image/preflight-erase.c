/* Pre-flight: the sectors an image erases, what else they hold, and write protection in the
 * way (DIAGNOSES.md 12, 21, 22). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/util.h"
#include "image/preflight-internal.h"

#define MAX_GAP_FINDINGS 16

/* End (exclusive) of the run of sectors from I that are all in SET, contiguous, one bank. */
static int run_end(const struct pf *p, const bool *set, int i)
{
	const struct sr_sector *s = p->map->sect;
	int j = i + 1;
	while (j < p->map->n_sect && set[j] && s[j].bank == s[i].bank &&
	       s[j].addr == s[j - 1].addr + s[j - 1].size)
		j++;
	return j;
}

/* "bank 1 pages 0-2 (0x08000000-0x080017FF, 6 KiB)" for sectors [I, J). */
static void run_text(const struct pf *p, int i, int j, char *buf, size_t len)
{
	const struct sr_sector *a = &p->map->sect[i], *b = &p->map->sect[j - 1];
	uint32_t end = b->addr + b->size;
	char bank[16] = "", size[32];
	if (p->map->banks > 1)
		snprintf(bank, sizeof(bank), "bank %u ", a->bank);
	pf_size(end - a->addr, size, sizeof(size));
	if (i + 1 == j)
		snprintf(buf, len, "%s%s %u (0x%08X-0x%08X, %s)", bank, pf_unit_word(p), a->index,
			 a->addr, end - 1, size);
	else
		snprintf(buf, len, "%s%ss %u-%u (0x%08X-0x%08X, %s)", bank, pf_unit_word(p),
			 a->index, b->index, a->addr, end - 1, size);
}

static void check_erase_runs(struct pf *p)
{
	bool banks[3] = {false, false, false};
	char text[128];
	for (int i = 0; i < p->map->n_sect;) {
		int j;
		if (!p->erase[i]) {
			i++;
			continue;
		}
		j = run_end(p, p->erase, i);
		run_text(p, i, j, text, sizeof(text));
		pf_add(p, SR_SEV_INFO, "erase", p->map->sect[i].addr,
		       p->map->sect[j - 1].addr + p->map->sect[j - 1].size - p->map->sect[i].addr,
		       "erases %s", text);
		banks[p->map->sect[i].bank > 1 ? 2 : 1] = true;
		i = j;
	}
	if (banks[1] && banks[2])
		pf_add(p, SR_SEV_INFO, "crosses-bank", p->map->bank_base[1], p->map->bank_size[1],
		       "the image spans both banks: bank 2's sectors are erased and programmed "
		       "with bank 2's own controls");
}

/* What a protected run means and what to do: WRP can be lifted and restored; PCROP goes
 * only with an RDP regression from level 1 to 0, which mass-erases the flash (RM0390
 * 3.6.5). THEM is "it" or "them". */
static void protect_fix(enum sr_protect kind, const char *them, char *buf, size_t len)
{
	if (kind == SR_PROT_PCROP)
		snprintf(buf, len,
			 "PCROP-protected (execute-only code) and the image needs %s: erasing would "
			 "fail with WRPERR. PCROP is removed only by raising read protection to "
			 "level 1 and returning to level 0, which erases all flash (stmrescue rdp 1, "
			 "then rdp 0); or program an image that leaves %s alone",
			 them, them);
	else
		snprintf(buf, len,
			 "write-protected (WRP) and the image needs %s: erasing would fail with "
			 "WRPERR. Lift the write protection for this operation (stmrescue can restore "
			 "it afterwards), or program an image that leaves %s alone",
			 them, them);
}

/* The sectors the image needs that the option bytes protect, a run of one kind at a
 * time. */
static void check_wrp(struct pf *p, enum sr_protect kind)
{
	bool *hit = sr_calloc((size_t)p->map->n_sect + 1, sizeof(bool));
	char text[128], fix[512];
	for (int i = 0; i < p->map->n_sect; i++)
		hit[i] = p->erase[i] && p->in->prot[i] == kind;
	for (int i = 0; i < p->map->n_sect;) {
		int j;
		if (!hit[i]) {
			i++;
			continue;
		}
		j = run_end(p, hit, i);
		run_text(p, i, j, text, sizeof(text));
		protect_fix(kind, i + 1 == j ? "it" : "them", fix, sizeof(fix));
		pf_add(p, SR_SEV_ERROR, "wrp-in-way", p->map->sect[i].addr,
		       p->map->sect[j - 1].addr + p->map->sect[j - 1].size - p->map->sect[i].addr,
		       "%s %s %s", text, i + 1 == j ? "is" : "are", fix);
		i = j;
	}
	free(hit);
}

struct gaps {
	uint64_t start, end; /* pending gap; end 0: none */
	int shown, more;
	uint64_t more_bytes;
};

static void gap_flush(struct pf *p, struct gaps *g)
{
	const struct sr_sector *s;
	char where[48], size[32];
	uint32_t n = (uint32_t)(g->end - g->start);
	if (!g->end)
		return;
	if (g->shown >= MAX_GAP_FINDINGS) {
		g->more++;
		g->more_bytes += n;
		g->end = 0;
		return;
	}
	s = sr_flash_map_find(p->map, (uint32_t)g->start);
	pf_sector_name(p, s, where, sizeof(where));
	pf_size(n, size, sizeof(size));
	pf_add(p, SR_SEV_WARNING, "erase-uncovered", (uint32_t)g->start, n,
	       "0x%08X-0x%08X (%s, in %s) is not in the image but is erased with its sector: "
	       "whatever is there now (EEPROM emulation data, calibration, another program) is "
	       "lost. Back it up first, or give an image that includes it",
	       (uint32_t)g->start, (uint32_t)(g->end - 1), size, where);
	g->shown++;
	g->end = 0;
}

static void gap_add(struct pf *p, struct gaps *g, uint64_t start, uint64_t end)
{
	if (g->end && g->end == start) {
		g->end = end;
		return;
	}
	gap_flush(p, g);
	g->start = start;
	g->end = end;
}

/* The bytes of sector S that no segment gives. */
static void sector_gaps(struct pf *p, const struct sr_sector *s, struct gaps *g)
{
	uint64_t cur = s->addr, end = (uint64_t)s->addr + s->size;
	for (int i = 0; i < p->img->n_seg && cur < end; i++) {
		const struct sr_image_seg *x = &p->img->seg[i];
		uint64_t xend = (uint64_t)x->addr + x->size;
		if (xend <= cur || x->addr >= end)
			continue;
		if (x->addr > cur)
			gap_add(p, g, cur, x->addr);
		cur = xend;
	}
	if (cur < end)
		gap_add(p, g, cur, end);
}

static void check_uncovered(struct pf *p)
{
	struct gaps g = {0};
	char size[32];
	for (int i = 0; i < p->map->n_sect; i++)
		if (p->erase[i])
			sector_gaps(p, &p->map->sect[i], &g);
	gap_flush(p, &g);
	if (!g.more)
		return;
	pf_size(g.more_bytes, size, sizeof(size));
	pf_add(p, SR_SEV_WARNING, "erase-uncovered", 0, 0,
	       "and %d more ranges (%s) not in the image are erased with their sectors", g.more,
	       size);
}

void pf_check_erase(struct pf *p)
{
	check_erase_runs(p);
	if (p->in->prot) {
		check_wrp(p, SR_PROT_WRP);
		check_wrp(p, SR_PROT_PCROP);
	}
	check_uncovered(p);
}
