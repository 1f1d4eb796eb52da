/*
 * The STM32H7 flash model in the board state file (src/sim/STATE.md, section
 * "STM32H753"): option bytes in force in [option_bytes], the controller's registers,
 * write buffers, queued operations, CRC and ECC state in [flash].
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/flash-h7.h"
#include "sim/state.h"

static const char *const key_names[] = {"wait-key1", "wait-key2", "locked-until-reset"};
static const char *const op_names[] = {"program", "sector", "bank"};

/* A key-sequence state from the state file; absent leaves *OUT as it is. */
static int parse_key(const struct sr_sim_state *st, const char *key, enum h7_key *out)
{
	int i = sr_sim_state_get_choice(st, "flash", key, key_names, 3, (int)*out);
	if (i < 0)
		return SR_E_PARSE;
	*out = (enum h7_key)i;
	return SR_OK;
}

static void hex_out(const uint8_t *p, size_t n, char *buf)
{
	for (size_t i = 0; i < n; i++)
		sprintf(buf + 2 * i, "%02X", p[i]);
}

static int hex_in(const char *s, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned x;
		if (sscanf(s + 2 * i, "%2x", &x) != 1)
			return SR_E_PARSE;
		p[i] = (uint8_t)x;
	}
	return SR_OK;
}

/* "program ADDR DATA START END; sector N START END; bank 0 START END" */
static void queue_out(const struct h7_bank *k, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < k->nq && n < len; i++) {
		const struct h7_op *op = &k->q[i];
		char data[2 * H7_WORD + 1] = "-";
		if (op->kind == H7_OP_PROGRAM)
			hex_out(op->data, H7_WORD, data);
		n += (size_t)snprintf(buf + n, len - n,
		                      "%s%s 0x%08" PRIX32 " %s %" PRIu64 " %" PRIu64, i ? "; " : "",
		                      op_names[op->kind], op->arg, data, op->start, op->end);
	}
}

static int queue_in(struct h7_bank *k, const char *v)
{
	char kind[16], data[2 * H7_WORD + 8];
	k->nq = 0;
	while (v && *v && k->nq < H7_QUEUE) {
		struct h7_op *op = &k->q[k->nq];
		int used = 0;
		if (sscanf(v, " %15s %" SCNx32 " %70s %" SCNu64 " %" SCNu64 "%n", kind, &op->arg,
		           data, &op->start, &op->end, &used) != 5)
			return SR_E_PARSE;
		int t = -1;
		for (int i = 0; i < 3; i++)
			if (strcmp(kind, op_names[i]) == 0)
				t = i;
		if (t < 0 || (t == H7_OP_PROGRAM && hex_in(data, op->data, H7_WORD)))
			return SR_E_PARSE;
		op->kind = (enum h7_op_kind)t;
		k->nq++;
		v += used;
		while (*v == ';' || *v == ' ')
			v++;
	}
	return SR_OK;
}

/* "0xADDR:double 0xADDR:single ..." */
static void ecc_out(const struct h7 *f, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < f->n_ecc && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s0x%08" PRIX32 ":%s", i ? " " : "",
		                      f->ecc[i].addr, f->ecc[i].dbl ? "double" : "single");
}

static int ecc_in(struct sr_sim_board *b, const char *v)
{
	char kind[8];
	uint32_t addr;
	int used;
	h7_of(b)->n_ecc = 0;
	while (v && *v) {
		if (sscanf(v, " 0x%" SCNx32 ":%7[a-z]%n", &addr, kind, &used) != 2 ||
		    (strcmp(kind, "double") && strcmp(kind, "single")))
			return SR_E_PARSE;
		h7_ecc_mark(b, addr & ~(uint32_t)(H7_WORD - 1), kind[0] == 'd');
		v += used;
		while (*v == ' ')
			v++;
	}
	return SR_OK;
}

static void key(char *buf, size_t len, const char *name, int bank)
{
	snprintf(buf, len, "%s%d", name, bank + 1);
}

static int load_bank(struct sr_sim_board *b, int i)
{
	struct sr_sim_state *st = b->st;
	struct h7_bank *k = &h7_of(b)->bank[i];
	char n[24];
	int rc = 0;
	uint32_t v;
	key(n, sizeof(n), "cr", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, k->cr, &k->cr);
	key(n, sizeof(n), "sr", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, k->sr, &k->sr);
	k->sr &= SR_FLAGS;
	key(n, sizeof(n), "key", i);
	rc |= parse_key(st, n, &k->key);
	key(n, sizeof(n), "wbuf_addr", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, 0, &k->wb_addr);
	key(n, sizeof(n), "wbuf_mask", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, 0, &k->wb_mask);
	key(n, sizeof(n), "wbuf_data", i);
	if (sr_sim_state_get(st, "flash", n))
		rc |= hex_in(sr_sim_state_get(st, "flash", n), k->wb, H7_WORD);
	key(n, sizeof(n), "queue", i);
	rc |= queue_in(k, sr_sim_state_get(st, "flash", n));
	key(n, sizeof(n), "crccr", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, 0, &k->crccr);
	key(n, sizeof(n), "crcsadd", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, 0, &k->crcsadd);
	key(n, sizeof(n), "crceadd", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, 0, &k->crceadd);
	key(n, sizeof(n), "crc_sects", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, 0, &v);
	k->crc_sects = (uint8_t)v;
	key(n, sizeof(n), "crc_end_ns", i);
	rc |= sr_sim_state_get_u64(st, "flash", n, 0, &k->crc_end);
	key(n, sizeof(n), "crc_result", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, 0, &k->crc_result);
	key(n, sizeof(n), "crc_rderr", i);
	rc |= sr_sim_state_get_bool(st, "flash", n, false, &k->crc_rderr);
	key(n, sizeof(n), "ecc_fa", i);
	rc |= sr_sim_state_get_u32(st, "flash", n, 0, &k->ecc_fa);
	return rc ? SR_E_PARSE : SR_OK;
}

static void save_bank(struct sr_sim_board *b, int i)
{
	struct sr_sim_state *st = b->st;
	const struct h7_bank *k = &h7_of(b)->bank[i];
	char n[24], buf[512];
	key(n, sizeof(n), "cr", i);
	sr_sim_state_set_u32(st, "flash", n, k->cr);
	key(n, sizeof(n), "sr", i);
	sr_sim_state_set_u32(st, "flash", n, k->sr);
	key(n, sizeof(n), "key", i);
	sr_sim_state_set(st, "flash", n, key_names[k->key]);
	key(n, sizeof(n), "wbuf_addr", i);
	sr_sim_state_set_u32(st, "flash", n, k->wb_addr);
	key(n, sizeof(n), "wbuf_mask", i);
	sr_sim_state_set_u32(st, "flash", n, k->wb_mask);
	hex_out(k->wb, H7_WORD, buf);
	key(n, sizeof(n), "wbuf_data", i);
	sr_sim_state_set(st, "flash", n, buf);
	queue_out(k, buf, sizeof(buf));
	key(n, sizeof(n), "queue", i);
	sr_sim_state_set(st, "flash", n, buf);
	key(n, sizeof(n), "crccr", i);
	sr_sim_state_set_u32(st, "flash", n, k->crccr);
	key(n, sizeof(n), "crcsadd", i);
	sr_sim_state_set_u32(st, "flash", n, k->crcsadd);
	key(n, sizeof(n), "crceadd", i);
	sr_sim_state_set_u32(st, "flash", n, k->crceadd);
	key(n, sizeof(n), "crc_sects", i);
	sr_sim_state_set_u32(st, "flash", n, k->crc_sects);
	key(n, sizeof(n), "crc_end_ns", i);
	sr_sim_state_set_u64(st, "flash", n, k->crc_end);
	key(n, sizeof(n), "crc_result", i);
	sr_sim_state_set_u32(st, "flash", n, k->crc_result);
	key(n, sizeof(n), "crc_rderr", i);
	sr_sim_state_set_bool(st, "flash", n, k->crc_rderr);
	key(n, sizeof(n), "ecc_fa", i);
	sr_sim_state_set_u32(st, "flash", n, k->ecc_fa);
}

/* One option-byte set, under the keys NAME, NAME with "1"/"2" per bank. */
static int ob_io(struct sr_sim_state *st, const char *sec, const char *sfx, struct h7_ob *o,
                 bool save)
{
	struct {
		const char *name;
		uint32_t *v;
	} regs[] = {
	    {"optsr", &o->optsr},   {"prar1", &o->prar[0]}, {"prar2", &o->prar[1]},
	    {"scar1", &o->scar[0]}, {"scar2", &o->scar[1]}, {"wpsn1", &o->wpsn[0]},
	    {"wpsn2", &o->wpsn[1]}, {"boot", &o->boot},
	};
	int rc = 0;
	for (size_t i = 0; i < SR_ARRAY_SIZE(regs); i++) {
		char n[24];
		snprintf(n, sizeof(n), "%s%s", regs[i].name, sfx);
		if (save)
			sr_sim_state_set_u32(st, sec, n, *regs[i].v);
		else
			rc |= sr_sim_state_get_u32(st, sec, n, *regs[i].v, regs[i].v);
	}
	return rc;
}

int h7_load(struct sr_sim_board *b)
{
	struct h7 *f = h7_of(b);
	struct sr_sim_state *st = b->st;
	uint32_t optcr;
	h7_ob_factory(b);
	int rc = ob_io(st, "option_bytes", "", &f->cur, false);
	f->cur.optsr &= ~(OPTSR_BUSY | OPTSR_CHANGEERR);
	for (int i = 0; i < 2; i++)
		h7_bank_reset(&f->bank[i]);
	h7_ob_reset(b);
	rc |= ob_io(st, "flash", "_prg", &f->prg, false);
	rc |= sr_sim_state_get_u32(st, "flash", "acr", f->acr, &f->acr);
	rc |= sr_sim_state_get_u32(st, "flash", "optcr", f->optcr | OPTCR_OPTLOCK, &optcr);
	f->optlock = optcr & OPTCR_OPTLOCK;
	f->optcr = optcr & (OPTCR_ERRIE | OPTCR_SWAP);
	rc |= parse_key(st, "optkey", &f->optkey);
	rc |= sr_sim_state_get_bool(st, "flash", "optchangeerr", false, &f->opt_err);
	rc |= sr_sim_state_get_u64(st, "flash", "opt_end_ns", 0, &f->opt_end);
	rc |= sr_sim_state_get_u32(st, "flash", "crcdata", 0, &f->crcdata);
	rc |= ecc_in(b, sr_sim_state_get(st, "flash", "ecc"));
	for (int i = 0; i < b->chip->n_banks; i++)
		rc |= load_bank(b, i);
	if (rc)
		sr_err("sim: %s: bad [flash] or [option_bytes] values (see src/sim/STATE.md)",
		       sr_sim_state_path(st));
	return rc ? SR_E_PARSE : SR_OK;
}

void h7_save(struct sr_sim_board *b)
{
	struct h7 *f = h7_of(b);
	struct sr_sim_state *st = b->st;
	char buf[H7_MAX_ECC * 24];
	ob_io(st, "option_bytes", "", &f->cur, true);
	sr_sim_state_set_u32(st, "flash", "acr", f->acr);
	sr_sim_state_set_u32(st, "flash", "optcr", f->optcr | (f->optlock ? OPTCR_OPTLOCK : 0));
	sr_sim_state_set(st, "flash", "optkey", key_names[f->optkey]);
	ob_io(st, "flash", "_prg", &f->prg, true);
	sr_sim_state_set_bool(st, "flash", "optchangeerr", f->opt_err);
	sr_sim_state_set_u64(st, "flash", "opt_end_ns", f->opt_end);
	sr_sim_state_set_u32(st, "flash", "crcdata", f->crcdata);
	ecc_out(f, buf, sizeof(buf));
	sr_sim_state_set(st, "flash", "ecc", buf);
	for (int i = 0; i < b->chip->n_banks; i++)
		save_bank(b, i);
}
