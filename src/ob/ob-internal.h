/* Shared by the option-byte loader's files. */
#ifndef SR_OB_INTERNAL_H
#define SR_OB_INTERNAL_H

#include "db/ini.h"
#include "ob/ob.h"

struct sr_ob_load {
	const struct sr_ini *ini;
	struct sr_ob_table *t;
	struct sr_msgs *msgs;
	int errors;
};

void sr_ob_bad(struct sr_ob_load *c, const struct sr_ini_entry *e, const char *what);
int sr_ob_parse_devices(const char *value, uint16_t *out, int *n);
void sr_ob_field_section(struct sr_ob_load *c, const char *name);
void sr_ob_area_section(struct sr_ob_load *c, const char *name);
/* Whole-table checks: defaults agree with register defaults, no overlaps, choices cover. */
void sr_ob_table_check(struct sr_ob_load *c);

#endif
