/*
 * Option bytes of the L4-generation flash model (flash-l4.c has the controller):
 * the option pages with each word and its complement, the option-byte loader and
 * OPTVERR, OPTSTRT with the rules RM0440 3.4 and 3.5 give (PCROP only grows,
 * PCROP_RDP set-only, DBANK locked under PCROP, the RDP 1 -> 0 regression), and the
 * state file's [option_bytes] and [flash] keys (src/sim/STATE.md).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/flash-l4.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

/* Where each option register is kept in the option pages, RM0440 3.4.1 table 11 (RM0351
 * 3.4.1): its bank's page and the offset of its double word (word, then complement). */
static const struct {
	const char *name;
	int bank;
	uint32_t off;
} ob_map[] = {
    {"OPTR", 1, 0x00},   {"PCROP1SR", 1, 0x08}, {"PCROP1ER", 1, 0x10}, {"WRP1AR", 1, 0x18},
    {"WRP1BR", 1, 0x20}, {"SEC1R", 1, 0x28},    {"PCROP2SR", 2, 0x08}, {"PCROP2ER", 2, 0x10},
    {"WRP2AR", 2, 0x18}, {"WRP2BR", 2, 0x20},   {"SEC2R", 2, 0x28},
};

/* The value OBL forces into register I when its word and complement disagree:
 * user options all 1 but BOR_LEV 0 (and RDP 0xFF, level 1), PCROP over all memory,
 * WRP off (RM0440 3.4.2 "Option byte loading"). */
static uint32_t forced_value(const struct sr_sim_board *b, int i)
{
	const struct sr_sim_chipdef *c = b->chip;
	if (i == l4_of(b)->i_optr)
		return ~OPTR_BOR_LEV;
	for (int a = 0; a < c->n_area; a++) {
		const struct sr_sim_obarea *ar = &c->area[a];
		if (ar->pcrop && ar->start_reg == i)
			return ~sr_field_mask(ar->start_hi, ar->start_lo);
		if (ar->pcrop && ar->end_reg == i)
			return 0xFFFFFFFFu;
	}
	return c->obreg[i].factory; /* WRP: "no protection", the production value */
}

/* The option-byte loader: each word checked against its complement (RM0440 3.4.2). */
void l4_ob_load(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	f->mismatch = false;
	for (int i = 0; i < b->chip->n_obreg; i++) {
		if ((f->word[i] ^ f->cmpl[i]) == 0xFFFFFFFFu) {
			f->loaded[i] = f->word[i];
		} else {
			f->loaded[i] = forced_value(b, i);
			f->mismatch = true;
		}
	}
	if (f->mismatch)
		sr_info("sim: option bytes do not match their complements: OPTVERR, safe values "
		        "forced");
}

/* PCROP can only grow, except through the RDP 1 -> 0 regression (RM0440 3.5.2). */
static void keep_pcrop(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	const struct sr_sim_chipdef *c = b->chip;
	for (int i = 0; i < c->n_area; i++) {
		const struct sr_sim_obarea *a = &c->area[i];
		uint32_t olo, ohi, nlo, nhi;
		if (!a->pcrop || !l4_area_range(b, a, f->word, &olo, &ohi))
			continue;
		if (l4_area_range(b, a, f->prog, &nlo, &nhi) && nlo <= olo && nhi >= ohi)
			continue;
		uint32_t sm = sr_field_mask(a->start_hi, a->start_lo);
		uint32_t em = sr_field_mask(a->end_hi, a->end_lo);
		f->prog[a->start_reg] =
		    (f->prog[a->start_reg] & ~sm) | (f->word[a->start_reg] & sm);
		f->prog[a->end_reg] = (f->prog[a->end_reg] & ~em) | (f->word[a->end_reg] & em);
	}
}

static bool pcrop_active(const struct sr_sim_board *b, const uint32_t *regs)
{
	uint32_t lo, hi;
	for (int i = 0; i < b->chip->n_area; i++)
		if (b->chip->area[i].pcrop && l4_area_range(b, &b->chip->area[i], regs, &lo, &hi))
			return true;
	return false;
}

/* The option bits that choose the geometry (DBANK) are written only while no PCROP
 * area is set (RM0440 3.7.8 DBANK). */
static void keep_geometry(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	if (!pcrop_active(b, f->word))
		return;
	for (int l = 0; l < b->chip->n_layout; l++)
		for (int w = 0; w < b->chip->layout[l].n_when; w++) {
			const struct sr_sim_obcond *c = &b->chip->layout[l].when[w];
			f->prog[c->reg] =
			    (f->prog[c->reg] & ~c->mask) | (f->word[c->reg] & c->mask);
		}
}

/* The words OPTSTRT programs: the registers' option fields over the stored reserved bits. */
static void option_words(struct sr_sim_board *b, bool regression)
{
	struct l4 *f = l4_of(b);
	const struct sr_sim_chipdef *c = b->chip;
	for (int i = 0; i < c->n_obreg; i++) {
		uint32_t m = sr_sim_chipdef_reg_fields(c, c->obreg[i].name);
		f->prog[i] = (f->word[i] & ~m) | (f->reg[i] & m);
		/* FLASH_SECxR: at RDP level 0 or in the regression only, RM0440 3.7.17 */
		if (strncmp(c->obreg[i].name, "SEC", 3) == 0 && l4_rdp_level(b) != 0 && !regression)
			f->prog[i] = f->word[i];
	}
	if (f->i_pcrop1er >= 0) /* PCROP_RDP is set-only, RM0440 3.7.10 */
		f->prog[f->i_pcrop1er] |= f->word[f->i_pcrop1er] & PCROP_RDP;
	keep_pcrop(b);
	keep_geometry(b);
}

/* RDP level 1 -> 0: mass erase with PCROP_RDP (PCROP then off), else page erases that
 * keep the PCROP pages in the banks that have PCROP (RM0440 3.5.1 "Changing the read
 * protection level"); returns the time it takes. */
static uint64_t regression_erase(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	const struct sr_sim_chipdef *c = b->chip;
	const struct sr_sim_layout *l = l4_layout(b);
	if (f->i_pcrop1er < 0 || (f->loaded[f->i_pcrop1er] & PCROP_RDP)) {
		l4_erase_range(b, c->flash_base, c->flash_size);
		for (int i = 0; i < c->n_area; i++)
			if (c->area[i].pcrop) {
				f->prog[c->area[i].start_reg] =
				    c->obreg[c->area[i].start_reg].factory;
				f->prog[c->area[i].end_reg] = c->obreg[c->area[i].end_reg].factory;
			}
		return T_MASS_NS;
	}
	uint64_t t = 0;
	for (int k = 0; k < l->banks; k++) {
		uint32_t base = l->bank_base[k], size = l->bank_size[k];
		if (!l4_protected(b, base, size, true)) {
			l4_erase_range(b, base, size); /* no PCROP in this bank: erased whole */
			t += T_MASS_NS;
			continue;
		}
		for (uint32_t a = base; a < base + size; a += l->page_size)
			if (!l4_protected(b, a, l->page_size, true)) {
				l4_erase_range(b, a, l->page_size);
				t += T_PAGE_NS;
			}
	}
	return t;
}

/* OPTSTRT: erase the option pages, program every option register (RM0440 3.4.2). */
void l4_ob_start(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	const struct sr_sim_chipdef *c = b->chip;
	if (l4_rdp_level(b) == 2) {
		l4_raise(f, SR_WRPERR); /* option bytes frozen at level 2, RM0440 3.5.1 */
		return;
	}
	bool regression = l4_rdp_level(b) == 1 && (f->reg[f->i_optr] & OPTR_RDP) == 0xAA;
	option_words(b, regression);
	/* DER: one page erase per option page and one double word per register (the
	 * datasheets give no option-byte time) */
	uint64_t t = (c->optbytes2_base ? 2 : 1) * T_PAGE_NS + (uint64_t)c->n_obreg * T_PROG_NS;
	if (regression)
		t += regression_erase(b);
	if (b->power_loss_during_ob) {
		/* Fault injection: power fails once the option pages are erased. */
		sr_info("sim: injected power loss during option-byte programming");
		memset(f->word, 0xFF, sizeof(f->word));
		memset(f->cmpl, 0xFF, sizeof(f->cmpl));
		b->power_loss_during_ob = false;
		sr_sim_board_set_power(b, 0);
		return;
	}
	l4_start_op(b, OP_OPTION, t);
}

/* OBL_LAUNCH: load the option bytes under a system reset (RM0440 3.4.2, 3.7.6). */
void l4_ob_launch(struct sr_sim_board *b)
{
	l4_wait_bank(b, 0);
	l4_of(b)->obl = true;
	sr_sim_request_reset(b, SR_SIM_RESET_OBL);
}

/* The option pages in memory: word and complement per register, RM0440 3.4.1 table 11. */
bool l4_ob_page_read(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t *val)
{
	const struct sr_sim_chipdef *c = b->chip;
	struct l4 *f = l4_of(b);
	int bank = addr - c->optbytes_base < c->optbytes_size ? 1 : 2;
	uint32_t off = addr - (bank == 1 ? c->optbytes_base : c->optbytes2_base);
	uint64_t dw = ~0ull; /* unused double words read erased */
	for (size_t k = 0; k < SR_ARRAY_SIZE(ob_map); k++) {
		int i = sr_sim_chipdef_obreg(c, ob_map[k].name);
		if (i >= 0 && ob_map[k].bank == bank && ob_map[k].off == (off & ~7u))
			dw = (uint64_t)f->cmpl[i] << 32 | f->word[i];
	}
	*val = (uint32_t)(dw >> (8 * (off & 7)));
	if (size < 4)
		*val &= (1u << (8 * size)) - 1;
	return true;
}

void l4_ob_complete(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	for (int i = 0; i < b->chip->n_obreg; i++) {
		f->word[i] = f->prog[i];
		f->cmpl[i] = ~f->prog[i];
	}
}

void l4_factory(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	for (int i = 0; i < b->chip->n_obreg; i++) {
		f->word[i] = b->chip->obreg[i].factory;
		f->cmpl[i] = ~f->word[i];
	}
	l4_reset(b, true);
}

static const char *const key_names[] = {"wait-key1", "wait-key2", "locked-until-reset"};
static const char *const op_names[] = {"none",       "program",    "fast-program",
                                       "page-erase", "mass-erase", "option"};

/* "optr", "loaded_optr", "optr_complement": state keys of option register I. */
static const char *ob_key(const struct sr_sim_board *b, int i, const char *prefix,
                          const char *suffix)
{
	static char buf[64];
	size_t n =
	    (size_t)snprintf(buf, sizeof(buf), "%s%s%s", prefix, b->chip->obreg[i].name, suffix);
	for (size_t k = 0; k < n && k < sizeof(buf); k++)
		buf[k] = (char)tolower((unsigned char)buf[k]);
	return buf;
}

static int load_option_page(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	struct sr_sim_state *st = b->st;
	int rc = 0;
	for (int i = 0; i < b->chip->n_obreg; i++) {
		rc |= sr_sim_state_get_u32(st, "option_bytes", ob_key(b, i, "", ""),
		                           b->chip->obreg[i].factory, &f->word[i]);
		rc |= sr_sim_state_get_u32(st, "option_bytes", ob_key(b, i, "", "_complement"),
		                           ~f->word[i], &f->cmpl[i]);
	}
	return rc;
}

/* The option registers and the internal ones, as the last process left them. */
static int load_option_regs(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	struct sr_sim_state *st = b->st;
	int rc = 0;
	for (int i = 0; i < b->chip->n_obreg; i++) {
		rc |= sr_sim_state_get_u32(st, "flash", ob_key(b, i, "loaded_", ""), f->loaded[i],
		                           &f->loaded[i]);
		rc |= sr_sim_state_get_u32(st, "flash", ob_key(b, i, "", ""), f->loaded[i],
		                           &f->reg[i]);
		rc |= sr_sim_state_get_u32(st, "flash", ob_key(b, i, "pending_", ""), f->word[i],
		                           &f->prog[i]);
	}
	rc |= sr_sim_state_get_bool(st, "flash", "optverr_forced", false, &f->mismatch);
	return rc;
}

static int load_progress(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	struct sr_sim_state *st = b->st;
	int rc = 0;
	rc |= sr_sim_state_get_u32(st, "flash", "pending_addr", 0, &f->op.addr);
	rc |= sr_sim_state_get_u32(st, "flash", "pending_lo", 0, &f->op.lo);
	rc |= sr_sim_state_get_u32(st, "flash", "pending_hi", 0, &f->op.hi);
	rc |= sr_sim_state_get_u32(st, "flash", "pending_arg", 0, &f->op.arg);
	rc |= sr_sim_state_get_u64(st, "flash", "pending_end_ns", 0, &f->op.end);
	rc |= sr_sim_state_get_bool(st, "flash", "half", false, &f->half);
	rc |= sr_sim_state_get_u32(st, "flash", "half_addr", 0, &f->half_addr);
	rc |= sr_sim_state_get_u32(st, "flash", "half_data", 0, &f->half_data);
	rc |= sr_sim_state_get_u32(st, "flash", "fast_row", 0, &f->fast_row);
	rc |= sr_sim_state_get_u32(st, "flash", "fast_count", 0, &f->fast_n);
	rc |= sr_sim_state_get_u32(st, "flash", "fast_last", 0, &f->fast_last);
	rc |= sr_sim_state_get_u64(st, "flash", "fast_start_ns", 0, &f->fast_t0);
	rc |= sr_sim_state_get_u32(st, "flash", "mass_erased", 0, &f->mass_erased);
	return rc;
}

int l4_load(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	struct sr_sim_state *st = b->st;
	int rc = load_option_page(b);
	l4_reset(b, true);
	if (rc == 0 && !sr_sim_state_get(st, "flash", ob_key(b, f->i_optr, "loaded_", "")))
		return SR_OK; /* no internal option registers: a board just powered up */
	rc |= load_option_regs(b);
	rc |= sr_sim_state_get_u32(st, "flash", "acr", f->acr, &f->acr);
	rc |= sr_sim_state_get_u32(st, "flash", "sr", f->sr, &f->sr);
	rc |= sr_sim_state_get_u32(st, "flash", "cr", f->cr, &f->cr);
	rc |= sr_sim_state_get_u32(st, "flash", "eccr", f->eccr, &f->eccr);
	int k = sr_sim_state_get_choice(st, "flash", "key", key_names, 3, KEY_WAIT1);
	int ok = sr_sim_state_get_choice(st, "flash", "optkey", key_names, 3, KEY_WAIT1);
	int op = sr_sim_state_get_choice(st, "flash", "pending", op_names, 6, OP_NONE);
	if (k < 0 || ok < 0 || op < 0 || rc) {
		sr_err("sim: %s: bad [flash] or [option_bytes] values", sr_sim_state_path(st));
		return SR_E_PARSE;
	}
	f->key = (enum key_state)k;
	f->optkey = (enum key_state)ok;
	f->op.kind = (enum op_kind)op;
	return load_progress(b) ? SR_E_PARSE : SR_OK;
}

static void save_progress(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	struct sr_sim_state *st = b->st;
	sr_sim_state_set_bool(st, "flash", "half", f->half);
	sr_sim_state_set_u32(st, "flash", "half_addr", f->half_addr);
	sr_sim_state_set_u32(st, "flash", "half_data", f->half_data);
	sr_sim_state_set_u32(st, "flash", "mass_erased", f->mass_erased);
	sr_sim_state_set(st, "flash", "pending", op_names[f->op.kind]);
	if (f->op.kind == OP_NONE)
		return;
	sr_sim_state_set_u32(st, "flash", "pending_addr", f->op.addr);
	sr_sim_state_set_u32(st, "flash", "pending_lo", f->op.lo);
	sr_sim_state_set_u32(st, "flash", "pending_hi", f->op.hi);
	sr_sim_state_set_u32(st, "flash", "pending_arg", f->op.arg);
	sr_sim_state_set_u64(st, "flash", "pending_end_ns", f->op.end);
	sr_sim_state_set_u32(st, "flash", "fast_row", f->fast_row);
	sr_sim_state_set_u32(st, "flash", "fast_count", f->fast_n);
	sr_sim_state_set_u32(st, "flash", "fast_last", f->fast_last);
	sr_sim_state_set_u64(st, "flash", "fast_start_ns", f->fast_t0);
	for (int i = 0; i < b->chip->n_obreg; i++)
		sr_sim_state_set_u32(st, "flash", ob_key(b, i, "pending_", ""), f->prog[i]);
}

void l4_save(struct sr_sim_board *b)
{
	struct l4 *f = l4_of(b);
	struct sr_sim_state *st = b->st;
	for (int i = 0; i < b->chip->n_obreg; i++) {
		sr_sim_state_set_u32(st, "option_bytes", ob_key(b, i, "", ""), f->word[i]);
		if (f->cmpl[i] != ~f->word[i])
			sr_sim_state_set_u32(st, "option_bytes", ob_key(b, i, "", "_complement"),
			                     f->cmpl[i]);
	}
	sr_sim_state_set_u32(st, "flash", "acr", f->acr);
	sr_sim_state_set_u32(st, "flash", "sr", f->sr);
	sr_sim_state_set_u32(st, "flash", "cr", f->cr);
	sr_sim_state_set_u32(st, "flash", "eccr", f->eccr);
	sr_sim_state_set(st, "flash", "key", key_names[f->key]);
	sr_sim_state_set(st, "flash", "optkey", key_names[f->optkey]);
	for (int i = 0; i < b->chip->n_obreg; i++) {
		sr_sim_state_set_u32(st, "flash", ob_key(b, i, "", ""), f->reg[i]);
		sr_sim_state_set_u32(st, "flash", ob_key(b, i, "loaded_", ""), f->loaded[i]);
	}
	sr_sim_state_set_bool(st, "flash", "optverr_forced", f->mismatch);
	save_progress(b);
}
