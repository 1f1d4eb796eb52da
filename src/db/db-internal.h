/* Functions shared by the db loader's files; not for other modules. */
#ifndef SR_DB_INTERNAL_H
#define SR_DB_INTERNAL_H

#include "db/family.h"
#include "db/ini.h"

int sr_addrbit_parse(const char *text, struct sr_addrbit *out);
/* Set KEY of a [family]/[device] section; on error *WHY says what is wrong. */
int sr_chipdefs_set(struct sr_chipdefs *d, const char *key, const char *value, const char **why);
/* Name of the first required key not given, or NULL. */
const char *sr_chipdefs_missing(const struct sr_chipdefs *d);

/* [geometry] keys. */
int sr_geometry_set(struct sr_geometry *g, const char *key, const char *value, const char **why);
const char *sr_geometry_check(const struct sr_geometry *g);

/* State of loading one file; sr_load_bad() reports FILE:LINE and counts the error. */
struct sr_load_ctx {
	const struct sr_ini *ini;
	struct sr_family *fam;
	struct sr_msgs *msgs;
	int errors;
};

void sr_load_bad(struct sr_load_ctx *c, const struct sr_ini_entry *e, const char *what);
/* "15:8" or "5" -> hi, lo. */
int sr_parse_bitrange(const char *text, uint8_t *hi, uint8_t *lo);
void sr_device_key(struct sr_load_ctx *c, const struct sr_ini_entry *e, const char *id);
void sr_geometry_key(struct sr_load_ctx *c, const struct sr_ini_entry *e, const char *name);
/* [part NAME] sections, read after the devices (family-part.c). */
void sr_part_keys(struct sr_load_ctx *c);
void sr_part_check(struct sr_load_ctx *c, const struct sr_part *p);
/* Cross-checks once the whole file is read (required keys, geometry names). */
void sr_family_check(struct sr_load_ctx *c);

/* Build one family from a parsed file; problems go to MSGS. */
int sr_family_from_ini(const struct sr_ini *ini, struct sr_family *fam, struct sr_msgs *msgs);
void sr_family_free(struct sr_family *fam);

#endif
