/*
 * The board state file (format: src/sim/STATE.md): an INI file read with
 * libinih into ordered sections and keys, and rewritten whole on save.
 */
#include "config.h"

#include <ini.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

struct state_key {
	char *key, *value;
};

struct state_section {
	char *name;
	struct state_key *keys;
	int n_keys;
};

struct sr_sim_state {
	char *path;
	struct state_section *secs;
	int n_secs;
	int bad_line; /* first line inih could not parse */
};

static struct state_section *find_section(const struct sr_sim_state *st, const char *name)
{
	for (int i = 0; i < st->n_secs; i++)
		if (strcmp(st->secs[i].name, name) == 0)
			return &st->secs[i];
	return NULL;
}

static struct state_section *add_section(struct sr_sim_state *st, const char *name)
{
	struct state_section *s = find_section(st, name);
	if (s)
		return s;
	st->secs = sr_realloc_array(st->secs, (size_t)st->n_secs + 1, sizeof(*st->secs));
	s = &st->secs[st->n_secs++];
	s->name = sr_strdup(name);
	s->keys = NULL;
	s->n_keys = 0;
	return s;
}

static struct state_key *find_key(const struct state_section *s, const char *key)
{
	for (int i = 0; s && i < s->n_keys; i++)
		if (strcmp(s->keys[i].key, key) == 0)
			return &s->keys[i];
	return NULL;
}

void sr_sim_state_set(struct sr_sim_state *st, const char *section, const char *key,
		      const char *value)
{
	struct state_section *s = add_section(st, section);
	struct state_key *k = find_key(s, key);
	if (!k) {
		s->keys = sr_realloc_array(s->keys, (size_t)s->n_keys + 1, sizeof(*s->keys));
		k = &s->keys[s->n_keys++];
		k->key = sr_strdup(key);
		k->value = NULL;
	}
	free(k->value);
	k->value = sr_strdup(value);
}

static int state_handler(void *user, const char *section, const char *name, const char *value)
{
	sr_sim_state_set(user, section, name, value);
	return 1;
}

static struct sr_sim_state *state_alloc(const char *path)
{
	struct sr_sim_state *st = sr_calloc(1, sizeof(*st));
	st->path = sr_strdup(path);
	return st;
}

int sr_sim_state_new(const char *path, struct sr_sim_state **out)
{
	if (!path || !out)
		return SR_E_ARG;
	*out = state_alloc(path);
	return SR_OK;
}

int sr_sim_state_load(const char *path, struct sr_sim_state **out)
{
	if (!path || !out)
		return SR_E_ARG;
	struct sr_sim_state *st = state_alloc(path);
	int rc = ini_parse(path, state_handler, st);
	if (rc != 0) {
		if (rc < 0)
			sr_err("sim: cannot read the board state file %s", path);
		else
			sr_err("sim: %s:%d: not a state file line (see src/sim/STATE.md)", path, rc);
		sr_sim_state_free(st);
		return rc < 0 ? SR_E_IO : SR_E_PARSE;
	}
	*out = st;
	return SR_OK;
}

int sr_sim_state_save(const struct sr_sim_state *st)
{
	size_t n = strlen(st->path) + 8;
	char *tmp = sr_calloc(1, n);
	snprintf(tmp, n, "%s.tmp", st->path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		sr_err("sim: cannot write %s", tmp);
		free(tmp);
		return SR_E_IO;
	}
	fprintf(f, "# stmrescue virtual board (format: src/sim/STATE.md)\n");
	for (int i = 0; i < st->n_secs; i++) {
		fprintf(f, "\n[%s]\n", st->secs[i].name);
		for (int j = 0; j < st->secs[i].n_keys; j++)
			fprintf(f, "%s = %s\n", st->secs[i].keys[j].key, st->secs[i].keys[j].value);
	}
	int rc = ferror(f) ? SR_E_IO : SR_OK;
	if (fclose(f) != 0)
		rc = SR_E_IO;
	if (rc == SR_OK && rename(tmp, st->path) != 0)
		rc = SR_E_IO;
	if (rc != SR_OK)
		sr_err("sim: cannot write the board state file %s", st->path);
	free(tmp);
	return rc;
}

void sr_sim_state_free(struct sr_sim_state *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->n_secs; i++) {
		for (int j = 0; j < st->secs[i].n_keys; j++) {
			free(st->secs[i].keys[j].key);
			free(st->secs[i].keys[j].value);
		}
		free(st->secs[i].keys);
		free(st->secs[i].name);
	}
	free(st->secs);
	free(st->path);
	free(st);
}

const char *sr_sim_state_path(const struct sr_sim_state *st)
{
	return st->path;
}

const char *sr_sim_state_get(const struct sr_sim_state *st, const char *section, const char *key)
{
	struct state_key *k = find_key(find_section(st, section), key);
	return k ? k->value : NULL;
}

const char *sr_sim_state_key_at(const struct sr_sim_state *st, const char *section, uint32_t i)
{
	const struct state_section *s = find_section(st, section);
	return s && i < (uint32_t)s->n_keys ? s->keys[i].key : NULL;
}

bool sr_sim_state_has_section(const struct sr_sim_state *st, const char *section)
{
	return find_section(st, section) != NULL;
}

int sr_sim_state_get_u64(const struct sr_sim_state *st, const char *section, const char *key,
			 uint64_t def, uint64_t *out)
{
	const char *v = sr_sim_state_get(st, section, key);
	if (!v) {
		*out = def;
		return SR_OK;
	}
	int rc = sr_parse_u64(v, out);
	if (rc)
		sr_err("sim: %s: [%s] %s = %s is not a number", st->path, section, key, v);
	return rc;
}

int sr_sim_state_get_u32(const struct sr_sim_state *st, const char *section, const char *key,
			 uint32_t def, uint32_t *out)
{
	uint64_t v;
	int rc = sr_sim_state_get_u64(st, section, key, def, &v);
	if (rc)
		return rc;
	if (v > UINT32_MAX) {
		sr_err("sim: %s: [%s] %s is too large", st->path, section, key);
		return SR_E_RANGE;
	}
	*out = (uint32_t)v;
	return SR_OK;
}

int sr_sim_state_get_bool(const struct sr_sim_state *st, const char *section, const char *key,
			  bool def, bool *out)
{
	const char *v = sr_sim_state_get(st, section, key);
	if (!v) {
		*out = def;
	} else if (sr_streq_nocase(v, "true") || sr_streq_nocase(v, "yes") || strcmp(v, "1") == 0) {
		*out = true;
	} else if (sr_streq_nocase(v, "false") || sr_streq_nocase(v, "no") ||
		   strcmp(v, "0") == 0) {
		*out = false;
	} else {
		sr_err("sim: %s: [%s] %s = %s is not true or false", st->path, section, key, v);
		return SR_E_PARSE;
	}
	return SR_OK;
}

void sr_sim_state_set_u32(struct sr_sim_state *st, const char *section, const char *key,
			  uint32_t value)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "0x%08" PRIX32, value);
	sr_sim_state_set(st, section, key, buf);
}

void sr_sim_state_set_u64(struct sr_sim_state *st, const char *section, const char *key,
			  uint64_t value)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRIu64, value);
	sr_sim_state_set(st, section, key, buf);
}

void sr_sim_state_set_bool(struct sr_sim_state *st, const char *section, const char *key,
			   bool value)
{
	sr_sim_state_set(st, section, key, value ? "true" : "false");
}

int sr_sim_state_get_choice(const struct sr_sim_state *st, const char *section, const char *key,
			    const char *const *names, int n, int def)
{
	const char *v = sr_sim_state_get(st, section, key);
	for (int i = 0; v && i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return v ? -1 : def;
}
