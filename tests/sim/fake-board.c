/* Test double of src/sim/board.h and state.h for the probe model's unit tests. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/util.h"
#include "sim/fake-board.h"

/* ---- state: an ordered list of section/key/value ---- */

struct kv {
	char *section, *key, *value;
};

struct sr_sim_state {
	char *path;
	struct kv *items;
	size_t n;
};

static void put(struct sr_sim_state *st, const char *sec, const char *key, const char *val)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->items[i].section, sec) && !strcmp(st->items[i].key, key)) {
			free(st->items[i].value);
			st->items[i].value = sr_strdup(val);
			return;
		}
	st->items = sr_realloc_array(st->items, st->n + 1, sizeof(*st->items));
	st->items[st->n++] = (struct kv){sr_strdup(sec), sr_strdup(key), sr_strdup(val)};
}

int sr_sim_state_load(const char *path, struct sr_sim_state **out)
{
	FILE *f = fopen(path, "r");
	char line[512], sec[64] = "";
	if (!f)
		return SR_E_NOTFOUND;
	struct sr_sim_state *st = sr_calloc(1, sizeof(*st));
	st->path = sr_strdup(path);
	while (fgets(line, sizeof(line), f)) {
		char *s = sr_trim(line), *eq;
		if (*s == '[' && strchr(s, ']')) {
			*strchr(s, ']') = 0;
			snprintf(sec, sizeof(sec), "%s", s + 1);
		} else if (*s && *s != '#' && *s != ';' && (eq = strchr(s, '='))) {
			*eq = 0;
			put(st, sec, sr_trim(s), sr_trim(eq + 1));
		}
	}
	fclose(f);
	*out = st;
	return SR_OK;
}

int sr_sim_state_save(const struct sr_sim_state *st)
{
	FILE *f = fopen(st->path, "w");
	if (!f)
		return SR_E_IO;
	for (size_t i = 0; i < st->n; i++)
		fprintf(f, "[%s]\n%s = %s\n", st->items[i].section, st->items[i].key,
			st->items[i].value);
	fclose(f);
	return SR_OK;
}

void sr_sim_state_free(struct sr_sim_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++) {
		free(st->items[i].section);
		free(st->items[i].key);
		free(st->items[i].value);
	}
	free(st->items);
	free(st->path);
	free(st);
}

const char *sr_sim_state_path(const struct sr_sim_state *st) { return st->path; }

const char *sr_sim_state_get(const struct sr_sim_state *st, const char *section, const char *key)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->items[i].section, section) && !strcmp(st->items[i].key, key))
			return st->items[i].value;
	return NULL;
}

int sr_sim_state_get_u32(const struct sr_sim_state *st, const char *section, const char *key,
			 uint32_t def, uint32_t *out)
{
	const char *v = sr_sim_state_get(st, section, key);
	*out = def;
	return v ? sr_parse_u32(v, out) : SR_OK;
}

int sr_sim_state_get_bool(const struct sr_sim_state *st, const char *section, const char *key,
			  bool def, bool *out)
{
	const char *v = sr_sim_state_get(st, section, key);
	*out = def;
	if (!v)
		return SR_OK;
	if (sr_streq_nocase(v, "yes") || sr_streq_nocase(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (sr_streq_nocase(v, "no") || sr_streq_nocase(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return SR_E_PARSE;
	return SR_OK;
}

void sr_sim_state_set(struct sr_sim_state *st, const char *section, const char *key,
		      const char *value)
{
	put(st, section, key, value);
}

void sr_sim_state_set_u32(struct sr_sim_state *st, const char *section, const char *key,
			  uint32_t value)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%u", value);
	put(st, section, key, buf);
}

void fake_state_file(const char *text, char path[64])
{
	snprintf(path, 64, "/tmp/sr-fake-state-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
}

/* ---- board ---- */

int sr_sim_board_open(const char *state_path, struct sr_sim_board **out)
{
	struct sr_sim_state *st;
	int rc = sr_sim_state_load(state_path, &st);
	if (rc != SR_OK)
		return rc;
	struct sr_sim_board *b = sr_calloc(1, sizeof(*b));
	b->state = st;
	b->halted = true;
	b->vtarget_mv = 3300;
	*out = b;
	return SR_OK;
}

int sr_sim_board_save(struct sr_sim_board *b)
{
	b->saves++;
	return sr_sim_state_save(b->state);
}

void sr_sim_board_close(struct sr_sim_board *b)
{
	if (!b)
		return;
	sr_sim_state_free(b->state);
	free(b);
}

struct sr_sim_state *sr_sim_board_state(struct sr_sim_board *b) { return b->state; }
uint32_t sr_sim_board_vtarget_mv(struct sr_sim_board *b) { return b->vtarget_mv; }

void sr_sim_board_nrst(struct sr_sim_board *b, bool asserted)
{
	if (asserted != b->nrst)
		b->nrst_edges++;
	b->nrst = asserted;
}

/* Common gate of every SWD transaction: silence, then WAIT bursts. */
static enum sr_sim_ack gate(struct sr_sim_board *b)
{
	if (b->no_target || b->vtarget_mv < 1600)
		return SR_SIM_ACK_NONE;
	if (b->wait_burst) {
		b->wait_burst--;
		return SR_SIM_ACK_WAIT;
	}
	return SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_swd_line_reset(struct sr_sim_board *b)
{
	b->line_resets++;
	return b->no_target || b->vtarget_mv < 1600 ? SR_SIM_ACK_NONE : SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_dp_read(struct sr_sim_board *b, uint8_t reg, uint32_t *val)
{
	enum sr_sim_ack a = gate(b);
	if (a != SR_SIM_ACK_OK)
		return a;
	switch (reg) {
	case 0x0: *val = FAKE_IDCODE; break;
	case 0x4: *val = b->ctrl_stat; break;
	case 0x8: *val = b->select; break;
	default: *val = 0; break;
	}
	return SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_dp_write(struct sr_sim_board *b, uint8_t reg, uint32_t val)
{
	enum sr_sim_ack a = gate(b);
	if (a != SR_SIM_ACK_OK)
		return a;
	if (reg == 0x0)
		b->abort_writes++;
	else if (reg == 0x4) /* power-up requests are acknowledged at once (ADIv5.2 B2.2.2) */
		b->ctrl_stat = (val & 0x50000000u) | ((val & 0x50000000u) << 1);
	else if (reg == 0x8)
		b->select = val;
	return SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_ap_read(struct sr_sim_board *b, uint8_t ap, uint8_t reg, uint32_t *val)
{
	enum sr_sim_ack a = gate(b);
	if (a != SR_SIM_ACK_OK)
		return a;
	*val = ap == 0 && reg == 0xFC ? 0x24770011u : 0; /* AHB-AP IDR; absent APs read 0 */
	return SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_ap_write(struct sr_sim_board *b, uint8_t ap, uint8_t reg, uint32_t val)
{
	return gate(b);
}

static uint32_t *debug_reg(struct sr_sim_board *b, uint32_t addr)
{
	switch (addr) {
	case 0xE000EDF0u: return &b->dhcsr;
	case 0xE000EDF4u: return &b->dcrsr;
	case 0xE000EDF8u: return &b->dcrdr;
	default: return NULL;
	}
}

/* One 32-bit word access to the fake's memory map. */
static enum sr_sim_ack word(struct sr_sim_board *b, uint32_t addr, uint32_t *v, bool wr)
{
	uint32_t *r = debug_reg(b, addr & ~3u);
	if (b->fault_from && addr >= b->fault_from)
		return SR_SIM_ACK_FAULT;
	if (addr >= FAKE_SRAM_BASE && addr < FAKE_SRAM_BASE + FAKE_SRAM_SIZE) {
		uint8_t *m = b->sram + (addr & ~3u) - FAKE_SRAM_BASE;
		if (wr)
			memcpy(m, v, 4);
		else
			memcpy(v, m, 4);
		return SR_SIM_ACK_OK;
	}
	if (addr == 0xE000ED0Cu) {
		b->aircr_writes += wr;
		*v = wr ? *v : 0xFA050000u;
		return SR_SIM_ACK_OK;
	}
	if (!r) {
		if (!wr)
			*v = 0;
		return addr >= 0xE0000000u ? SR_SIM_ACK_OK : SR_SIM_ACK_FAULT;
	}
	if (!wr) {
		*v = *r;
		if (r == &b->dhcsr)
			*v = (b->dhcsr & 0xFFFFu) | (b->halted ? 0x20000u : 0) |
			     (b->never_regrdy ? 0 : 0x10000u);
		return SR_SIM_ACK_OK;
	}
	*r = *v;
	if (r == &b->dcrsr && b->halted && !b->never_regrdy) {
		if (*v & 0x10000u)
			b->core_regs[*v & 0x7F] = b->dcrdr;
		else
			b->dcrdr = b->core_regs[*v & 0x7F];
	}
	if (r == &b->dhcsr)
		b->halted = (*v & 2u) != 0;
	return SR_SIM_ACK_OK;
}

/* Byte-wise through words, so every width works on every region. */
static enum sr_sim_ack mem(struct sr_sim_board *b, uint32_t addr, unsigned width, uint8_t *buf,
			   uint32_t len, uint32_t *fault, bool wr)
{
	b->mem_calls++;
	for (uint32_t off = 0; off < len; off += width) {
		enum sr_sim_ack a = gate(b);
		uint32_t w = 0, at = addr + off;
		if (a == SR_SIM_ACK_OK)
			a = word(b, at & ~3u, &w, false);
		if (a == SR_SIM_ACK_OK && wr) {
			memcpy((uint8_t *)&w + (at & 3u), buf + off, width);
			a = word(b, at & ~3u, &w, true);
		} else if (a == SR_SIM_ACK_OK) {
			memcpy(buf + off, (uint8_t *)&w + (at & 3u), width);
		}
		if (a != SR_SIM_ACK_OK) {
			*fault = at;
			return a;
		}
	}
	return SR_SIM_ACK_OK;
}

enum sr_sim_ack sr_sim_mem_read(struct sr_sim_board *b, uint8_t ap, uint32_t addr, unsigned width,
				uint8_t *buf, uint32_t len, uint32_t *fault_addr)
{
	return mem(b, addr, width, buf, len, fault_addr, false);
}

enum sr_sim_ack sr_sim_mem_write(struct sr_sim_board *b, uint8_t ap, uint32_t addr,
				 unsigned width, const uint8_t *buf, uint32_t len,
				 uint32_t *fault_addr)
{
	return mem(b, addr, width, (uint8_t *)buf, len, fault_addr, true);
}

void sr_sim_advance(struct sr_sim_board *b, uint64_t ns) { b->now_ns += ns; }
uint64_t sr_sim_now_ns(const struct sr_sim_board *b) { return b->now_ns; }
