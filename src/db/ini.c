/* INI reading through libinih, keeping the line number of every key. */
#include "config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "db/ini.h"

struct ini_reader_state {
	const char *data; /* memory source, or NULL for FILE */
	size_t len, pos;
	FILE *f;
	int line; /* lines handed to inih so far */
	struct sr_ini *ini;
};

/* fgets-like reader for inih that counts lines, so the handler knows where it is. */
static char *ini_reader_gets(char *str, int num, void *stream)
{
	struct ini_reader_state *st = stream;
	char *r;
	if (st->f) {
		r = fgets(str, num, st->f);
	} else {
		size_t i = 0;
		if (st->pos >= st->len || num < 2)
			return NULL;
		while (i < (size_t)num - 1 && st->pos < st->len) {
			char c = st->data[st->pos++];
			str[i++] = c ? c : ' ';
			if (c == '\n')
				break;
		}
		str[i] = '\0';
		r = str;
	}
	if (r && (strchr(r, '\n') || (st->f ? feof(st->f) : st->pos >= st->len)))
		st->line++;
	return r;
}

static int ini_on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct ini_reader_state *st = user;
	struct sr_ini *ini = st->ini;
	struct sr_ini_entry *e;
	if (!name) /* a section header alone (inih >= 43 reports it with name NULL) */
		return 1;
	ini->e = sr_realloc_array(ini->e, (size_t)ini->n + 1, sizeof(*ini->e));
	e = &ini->e[ini->n++];
	e->section = sr_strdup(section);
	e->key = sr_strdup(name);
	e->value = sr_strdup(value ? value : "");
	e->line = st->line;
	return 1;
}

static int ini_run(struct ini_reader_state *st, const char *path, struct sr_msgs *msgs)
{
	int rc;
	st->ini->path = sr_strdup(path);
	rc = ini_parse_stream(ini_reader_gets, st, ini_on_entry, st);
	if (rc > 0) {
		sr_msgs_add(msgs, "%s:%d: not a 'key = value' line or a [section] header", path,
			    rc);
		return SR_E_PARSE;
	}
	return rc == 0 ? SR_OK : SR_E_NOMEM;
}

int sr_ini_read(const char *path, struct sr_ini *ini, struct sr_msgs *msgs)
{
	struct ini_reader_state st = {.ini = ini};
	int rc;
	memset(ini, 0, sizeof(*ini));
	st.f = fopen(path, "r");
	if (!st.f) {
		sr_msgs_add(msgs, "%s: cannot open: %m", path);
		return SR_E_IO;
	}
	rc = ini_run(&st, path, msgs);
	fclose(st.f);
	return rc;
}

int sr_ini_read_mem(const char *name, const char *data, size_t len, struct sr_ini *ini,
		    struct sr_msgs *msgs)
{
	struct ini_reader_state st = {.ini = ini, .data = data, .len = len};
	memset(ini, 0, sizeof(*ini));
	return ini_run(&st, name, msgs);
}

void sr_ini_free(struct sr_ini *ini)
{
	for (int i = 0; i < ini->n; i++) {
		free(ini->e[i].section);
		free(ini->e[i].key);
		free(ini->e[i].value);
	}
	free(ini->e);
	free(ini->path);
	memset(ini, 0, sizeof(*ini));
}

void sr_ini_report(struct sr_msgs *msgs, const struct sr_ini *ini, const struct sr_ini_entry *e,
		   const char *what)
{
	sr_msgs_add(msgs, "%s:%d: [%s] %s = %s: %s", ini->path, e->line, e->section, e->key,
		    e->value, what);
}

void sr_ini_section_split(const char *section, char *kind, size_t kind_len, const char **name)
{
	const char *sp = strchr(section, ' ');
	size_t n = sp ? (size_t)(sp - section) : strlen(section);
	if (n >= kind_len)
		n = kind_len - 1;
	memcpy(kind, section, n);
	kind[n] = '\0';
	*name = "";
	if (sp) {
		while (*sp == ' ')
			sp++;
		*name = sp;
	}
}
