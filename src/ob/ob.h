/* Option-byte model: the optbytes/ tables, decoding raw words into fields and encoding back. */
#ifndef SR_OB_H
#define SR_OB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/msgs.h"

/* What changing a field (or choosing a value) can do; see optbytes/README. */
enum sr_danger {
	SR_DANGER_ERASES_FLASH = 1 << 0,
	SR_DANGER_IRREVERSIBLE = 1 << 1,
	SR_DANGER_LOCKS_DEBUG = 1 << 2,
	SR_DANGER_GEOMETRY = 1 << 3,
	SR_DANGER_BOOT = 1 << 4,
	SR_DANGER_RESET = 1 << 5,
	SR_DANGER_PROTECT = 1 << 6,
};

enum sr_ob_kind { SR_OB_ENUM, SR_OB_BITMASK, SR_OB_NUMBER };

struct sr_ob_choice {
	uint32_t value;
	bool any; /* "*": every value not listed */
	char *label;
	char *meaning;
	unsigned danger;
};

#define SR_OB_MAX_DEVICES 16

struct sr_ob_reg {
	char name[24];
	char **aliases;
	int n_aliases;
	uint32_t addr, def, control;
	uint16_t devices[SR_OB_MAX_DEVICES];
	int n_devices; /* 0: every device of the family */
	int bank;
	char *help;
};

/* What a bitmask field's bits mean while another field has a value (F4 nWRP: PCROP,
 * active high, while SPRMOD = 1, RM0390 3.6.5): optbytes/ `mode =`. */
struct sr_ob_mode {
	char field[24];
	uint32_t value, active;
	bool pcrop; /* the bits then select PCROP, not write protection */
	char *meaning;
};

struct sr_ob_field {
	char name[24];
	int reg; /* index into table->regs */
	uint8_t hi, lo;
	uint32_t def;
	enum sr_ob_kind kind;
	char *help;
	unsigned danger;
	uint16_t devices[SR_OB_MAX_DEVICES];
	int n_devices;
	/* enum */
	struct sr_ob_choice *choices;
	int n_choices;
	/* bitmask */
	uint32_t active; /* 0 or 1 */
	char item[16];
	uint32_t per_bit, first;
	bool last_rest;
	/* bitmask and number */
	char *meaning;
	struct sr_ob_mode mode; /* bitmask: mode.field[0] != 0 when it has one */
	bool pcrop;             /* bitmask: active bits are PCROP (set through a mode) */
	uint32_t n_items;       /* bitmask: items the chip has (0: all the bits cover); bits
				 * beyond are reserved and not described */
	/* number */
	uint32_t scale, offset, min, max;
	int line;
};

enum sr_ob_area_kind { SR_AREA_WRP, SR_AREA_PCROP };

struct sr_ob_area {
	char name[24];
	enum sr_ob_area_kind kind;
	int start, end; /* field indexes */
	uint32_t unit, base;
	char *help;
};

struct sr_ob_table {
	char family[24];
	char *ref;
	char *path;
	struct sr_ob_reg *regs;
	int n_regs;
	struct sr_ob_field *fields;
	int n_fields;
	struct sr_ob_area *areas;
	int n_areas;
};

/* Load one optbytes/ file; problems go to MSGS as FILE:LINE. NULL on any error. */
struct sr_ob_table *sr_ob_table_load(const char *path, struct sr_msgs *msgs);
/* Same from memory (fuzzing, tests). */
struct sr_ob_table *sr_ob_table_load_mem(const char *name, const char *data, size_t len,
					 struct sr_msgs *msgs);
void sr_ob_table_free(struct sr_ob_table *t);

const struct sr_ob_field *sr_ob_field_find(const struct sr_ob_table *t, const char *name);
int sr_ob_reg_find(const struct sr_ob_table *t, const char *name_or_alias);
/* Does the field/register exist on DEV_ID (0: any device of the family)? */
bool sr_ob_field_applies(const struct sr_ob_field *f, uint16_t dev_id);
bool sr_ob_reg_applies(const struct sr_ob_reg *r, uint16_t dev_id);

/* A set of raw register values: the factory defaults until set. */
struct sr_ob_values {
	const struct sr_ob_table *t;
	uint32_t *raw;
	bool *given; /* set from outside (read from a chip or typed by the user) */
};

void sr_ob_values_init(struct sr_ob_values *v, const struct sr_ob_table *t);
void sr_ob_values_free(struct sr_ob_values *v);
int sr_ob_values_set_reg(struct sr_ob_values *v, const char *reg, uint32_t raw);
uint32_t sr_ob_field_value(const struct sr_ob_values *v, const struct sr_ob_field *f);
/* For sr_field_lookup_fn (db/family.h): CTX is a struct sr_ob_values. */
int sr_ob_values_lookup(void *ctx, const char *field, uint32_t *val);

/* F as the values V make it mean: a copy in TMP with the mode's active value and
 * meaning while its mode holds, else F itself. */
const struct sr_ob_field *sr_ob_field_as(const struct sr_ob_values *v, const struct sr_ob_field *f,
					 struct sr_ob_field *tmp);
/* Meaning of VALUE for field F, e.g. "level 0: no read-out protection". */
void sr_ob_describe(const struct sr_ob_field *f, uint32_t value, char *buf, size_t len);
/* The choice VALUE falls in (enum), or NULL. */
const struct sr_ob_choice *sr_ob_choice_of(const struct sr_ob_field *f, uint32_t value);
/* Danger of moving F from OLD to NEW (a choice's own danger, else the field's). */
unsigned sr_ob_change_danger(const struct sr_ob_field *f, uint32_t old_value, uint32_t new_value);
/* "erases-flash, irreversible"; "" for none. */
void sr_danger_names(unsigned danger, char *buf, size_t len);
int sr_danger_parse(const char *list, unsigned *out);

/*
 * Set field NAME from TEXT: a choice label ("software"), a number, or for
 * number fields an address. Validates range and choices; explains refusals in MSGS.
 */
int sr_ob_encode(struct sr_ob_values *v, const char *name, const char *text, struct sr_msgs *msgs);

#endif
