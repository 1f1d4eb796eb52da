/* An INI file read into memory with line numbers, so data loaders can report FILE:LINE. */
#ifndef SR_INI_H
#define SR_INI_H

#include "common/msgs.h"

struct sr_ini_entry {
	char *section; /* "" before any section */
	char *key;
	char *value;
	int line;
};

struct sr_ini {
	char *path;
	struct sr_ini_entry *e;
	int n;
};

/* Read PATH. Syntax errors are added to MSGS as "PATH:LINE: ..."; returns sr_err. */
int sr_ini_read(const char *path, struct sr_ini *ini, struct sr_msgs *msgs);
/* Same, from a memory buffer (used by the fuzzer); NAME is used in messages. */
int sr_ini_read_mem(const char *name, const char *data, size_t len, struct sr_ini *ini,
		    struct sr_msgs *msgs);
void sr_ini_free(struct sr_ini *ini);

/* Report a bad entry as "FILE:LINE: [section] key = value: WHAT". */
void sr_ini_report(struct sr_msgs *msgs, const struct sr_ini *ini, const struct sr_ini_entry *e,
		   const char *what);

/* Split "kind name" section headers: "device 0x413" -> "device", "0x413". */
void sr_ini_section_split(const char *section, char *kind, size_t kind_len, const char **name);

#endif
