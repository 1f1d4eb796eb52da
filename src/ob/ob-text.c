/* Option-byte fields in words: describing a value, and parsing what a user typed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "common/util.h"
#include "ob/ob.h"

static unsigned field_width(const struct sr_ob_field *f) { return (unsigned)(f->hi - f->lo + 1); }

/* Append "12-15" or "3" (with "and above" for a last_rest bit) for bit B. */
static size_t bit_items(const struct sr_ob_field *f, unsigned b, char *buf, size_t len)
{
	uint32_t lo = f->first + b * f->per_bit, hi = lo + f->per_bit - 1;
	if (f->last_rest && b == field_width(f) - 1)
		return (size_t)snprintf(buf, len, "%u and above", lo);
	if (f->per_bit == 1)
		return (size_t)snprintf(buf, len, "%u", lo);
	return (size_t)snprintf(buf, len, "%u-%u", lo, hi);
}

static void describe_bitmask(const struct sr_ob_field *f, uint32_t value, char *buf, size_t len)
{
	unsigned w = field_width(f), n = 0;
	while (f->n_items && w > 1 && f->first + (w - 1) * f->per_bit >= f->n_items)
		w--; /* bits for sectors the chip does not have */
	size_t used;
	char items[256] = "";
	size_t iu = 0;
	for (unsigned b = 0; b < w; b++) {
		if (((value >> b) & 1u) != f->active)
			continue;
		if (iu < sizeof(items) - 2 && n)
			iu += (size_t)snprintf(items + iu, sizeof(items) - iu, ", ");
		if (iu < sizeof(items) - 1)
			iu += bit_items(f, b, items + iu, sizeof(items) - iu);
		n++;
	}
	if (n == 0)
		used = (size_t)snprintf(buf, len, "no %s %s", f->item, f->meaning);
	else if (n == w)
		used = (size_t)snprintf(buf, len, "every %s %s (%ss %s)", f->item, f->meaning,
					f->item, items);
	else
		used = (size_t)snprintf(buf, len, "%s%s %s %s", f->item, n > 1 || f->per_bit > 1 ? "s" : "",
					items, f->meaning);
	(void)used;
}

void sr_ob_describe(const struct sr_ob_field *f, uint32_t value, char *buf, size_t len)
{
	const struct sr_ob_choice *ch;
	switch (f->kind) {
	case SR_OB_ENUM:
		ch = sr_ob_choice_of(f, value);
		if (ch)
			snprintf(buf, len, "%s: %s", ch->label, ch->meaning);
		else
			snprintf(buf, len, "undefined value 0x%X", value);
		return;
	case SR_OB_BITMASK:
		describe_bitmask(f, value, buf, len);
		return;
	case SR_OB_NUMBER:
		if (f->scale != 1 || f->offset)
			snprintf(buf, len, "0x%08X: %s", value * f->scale + f->offset, f->meaning);
		else
			snprintf(buf, len, "%u: %s", value, f->meaning);
		return;
	}
}

/* The value a "*" choice stands for when chosen by label: the lowest value not listed. */
static int any_value(const struct sr_ob_field *f, uint32_t *out)
{
	uint32_t maxv = sr_field_mask(f->hi, f->lo) >> f->lo;
	for (uint32_t v = 0; v <= maxv && v < 0x10000; v++) {
		const struct sr_ob_choice *ch = sr_ob_choice_of(f, v);
		if (ch && ch->any) {
			*out = v;
			return SR_OK;
		}
	}
	return SR_E_NOTFOUND;
}

static int parse_enum(const struct sr_ob_field *f, const char *text, uint32_t *out,
		      struct sr_msgs *msgs)
{
	for (int i = 0; i < f->n_choices; i++) {
		if (strcasecmp(f->choices[i].label, text) != 0)
			continue;
		if (!f->choices[i].any) {
			*out = f->choices[i].value;
			return SR_OK;
		}
		return any_value(f, out);
	}
	if (sr_parse_u32(text, out) == SR_OK && sr_ob_choice_of(f, *out))
		return SR_OK;
	sr_msgs_add(msgs, "%s: '%s' is not one of its choices:", f->name, text);
	for (int i = 0; i < f->n_choices; i++)
		sr_msgs_add(msgs, "  %s (%s)", f->choices[i].label, f->choices[i].meaning);
	return SR_E_RANGE;
}

/* "none", "all", a raw number, or a comma list of item numbers to make active. */
static int parse_bitmask(const struct sr_ob_field *f, const char *text, uint32_t *out,
			 struct sr_msgs *msgs)
{
	unsigned w = field_width(f);
	uint32_t all = sr_field_mask(f->hi, f->lo) >> f->lo, bits = 0;
	char buf[256], *tok, *save = NULL;
	if (strcasecmp(text, "none") == 0 || strcasecmp(text, "all") == 0) {
		bits = strcasecmp(text, "all") == 0 ? all : 0;
		*out = f->active ? bits : (~bits & all);
		return SR_OK;
	}
	if (strncasecmp(text, "0x", 2) == 0 || strncasecmp(text, "0b", 2) == 0)
		return sr_parse_u32(text, out) == SR_OK && *out <= all ? SR_OK : SR_E_RANGE;
	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		uint32_t item;
		if (sr_parse_u32(tok, &item) || item < f->first ||
		    (item - f->first) / f->per_bit >= w) {
			sr_msgs_add(msgs, "%s: '%s' is not a %s number this field covers", f->name,
				    tok, f->item);
			return SR_E_RANGE;
		}
		bits |= 1u << ((item - f->first) / f->per_bit);
	}
	*out = f->active ? bits : (~bits & all);
	return SR_OK;
}

/* A raw value, or for scaled fields an address above the raw range. */
static int parse_number(const struct sr_ob_field *f, const char *text, uint32_t *out,
			struct sr_msgs *msgs)
{
	uint32_t all = sr_field_mask(f->hi, f->lo) >> f->lo, v;
	if (sr_parse_u32(text, &v) != SR_OK) {
		sr_msgs_add(msgs, "%s: '%s' is not a number", f->name, text);
		return SR_E_PARSE;
	}
	if (v > all && (f->scale != 1 || f->offset)) {
		if (v < f->offset || (v - f->offset) % f->scale) {
			sr_msgs_add(msgs, "%s: address 0x%08X is not a multiple of 0x%X", f->name,
				    v, f->scale);
			return SR_E_RANGE;
		}
		v = (v - f->offset) / f->scale;
	}
	if (v > all || v < f->min || v > f->max) {
		sr_msgs_add(msgs, "%s: %s is out of range (raw 0x%X to 0x%X)", f->name, text,
			    f->min, f->max < all ? f->max : all);
		return SR_E_RANGE;
	}
	*out = v;
	return SR_OK;
}

int sr_ob_encode(struct sr_ob_values *v, const char *name, const char *text, struct sr_msgs *msgs)
{
	const struct sr_ob_field *f = sr_ob_field_find(v->t, name);
	struct sr_ob_field as;
	uint32_t val = 0;
	int rc;
	if (!f) {
		sr_msgs_add(msgs, "no option-byte field '%s' in family %s", name, v->t->family);
		return SR_E_NOTFOUND;
	}
	if (f->kind == SR_OB_ENUM)
		rc = parse_enum(f, text, &val, msgs);
	else if (f->kind == SR_OB_BITMASK)
		rc = parse_bitmask(sr_ob_field_as(v, f, &as), text, &val, msgs); /* mode as set so far */
	else
		rc = parse_number(f, text, &val, msgs);
	if (rc != SR_OK)
		return rc;
	v->raw[f->reg] = sr_field_set(v->raw[f->reg], f->hi, f->lo, val);
	v->given[f->reg] = true;
	return SR_OK;
}
