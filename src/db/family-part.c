/*
 * [part NAME] sections of a families/ file: a concrete part of one of the file's
 * devices, with the facts its DEV_ID group leaves open (the core's CPUID and FPU, the
 * debug port's IDs and access ports, the silicon revision, the RAM it really has).
 * They are read after every [device] of the file, so that each key can be checked
 * against its device on the spot.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "db/db-internal.h"

static struct sr_part *part_get(struct sr_family *f, const char *name, int line)
{
	struct sr_part *p;
	for (int i = 0; i < f->n_parts; i++)
		if (strcmp(f->parts[i].name, name) == 0)
			return &f->parts[i];
	f->parts = sr_realloc_array(f->parts, (size_t)f->n_parts + 1, sizeof(*f->parts));
	p = &f->parts[f->n_parts++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->line = line;
	return p;
}

/* A part name as users type it: a-z, 0-9, under 24 characters. */
static bool part_name_ok(const char *s)
{
	if (!*s || strlen(s) >= sizeof(((struct sr_part *)0)->name))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static const struct sr_device *file_device(const struct sr_family *f, uint16_t id)
{
	for (int i = 0; i < f->n_devices; i++)
		if (f->devices[i].dev_id == id)
			return &f->devices[i];
	return NULL;
}

/* Up to N whitespace-separated numbers, exactly N of them. */
static int parse_numbers(const char *text, uint32_t *out, int n)
{
	char buf[128], *tok, *save = NULL;
	int k = 0;
	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		if (k >= n || sr_parse_u32(tok, &out[k++]))
			return SR_E_PARSE;
	return k == n ? SR_OK : SR_E_PARSE;
}

/* "win=0x38000000:64K,0x38800000:4K" */
static int parse_windows(struct sr_part_ap *ap, const char *text)
{
	char buf[160], *tok, *save = NULL;
	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *f[2];
		if (ap->n_win >= SR_MAX_APWIN || sr_split(tok, ':', f, 2) != 2 ||
		    sr_parse_u32(f[0], &ap->win[ap->n_win].base) ||
		    sr_parse_size(f[1], &ap->win[ap->n_win].size) || !ap->win[ap->n_win].size)
			return SR_E_PARSE;
		ap->n_win++;
	}
	return ap->n_win ? SR_OK : SR_E_PARSE;
}

/* "IDR BASE [win=BASE:SIZE,...] [apb=NAME]" */
static int parse_ap(struct sr_part *p, const char *value, int line)
{
	char buf[256], *tok[4], *save = NULL;
	int n = 0;
	struct sr_part_ap ap = {0};
	if (p->n_ap >= SR_MAX_AP)
		return SR_E_RANGE;
	snprintf(buf, sizeof(buf), "%s", value);
	for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		if (n < 4)
			tok[n++] = t;
		else
			return SR_E_PARSE;
	if (n < 2 || sr_parse_u32(tok[0], &ap.idr) || sr_parse_u32(tok[1], &ap.base) || !ap.idr)
		return SR_E_PARSE;
	for (int i = 2; i < n; i++) {
		if (strncmp(tok[i], "win=", 4) == 0 && !ap.n_win) {
			if (parse_windows(&ap, tok[i] + 4))
				return SR_E_PARSE;
		} else if (strncmp(tok[i], "apb=", 4) == 0 && !ap.apb[0] && tok[i][4] &&
		           strlen(tok[i] + 4) < sizeof(ap.apb)) {
			strcpy(ap.apb, tok[i] + 4);
		} else {
			return SR_E_PARSE;
		}
	}
	if (ap.apb[0] && ap.n_win)
		return SR_E_PARSE; /* windows are of the system bus */
	ap.line = line;
	p->ap[p->n_ap++] = ap;
	return SR_OK;
}

/* "SRAM 20K": the part's size of a RAM region, within the device's size and upto=. */
static int parse_ram_size(struct sr_part *p, const char *value)
{
	char name[32], size[32], extra[2];
	uint32_t sz;
	if (!p->device || p->n_ram_size >= SR_MAX_RAM ||
	    sscanf(value, "%31s %31s %1s", name, size, extra) != 2 || sr_parse_size(size, &sz))
		return SR_E_PARSE;
	for (int i = 0; i < p->device->n_ram; i++) {
		const struct sr_ram_region *r = &p->device->ram[i];
		uint32_t max = r->size_max ? r->size_max : r->size;
		if (strcmp(r->name, name) != 0)
			continue;
		if (sz < r->size || sz > max)
			return SR_E_RANGE;
		memcpy(p->ram_size[p->n_ram_size].name, r->name, sizeof(r->name));
		p->ram_size[p->n_ram_size++].size = sz;
		return SR_OK;
	}
	return SR_E_NOTFOUND;
}

static int part_device(struct sr_load_ctx *c, struct sr_part *p, const char *value,
		       const char **why)
{
	uint32_t id;
	const struct sr_device *d;
	*why = "expected the DEV_ID of a [device] of this file";
	if (sr_parse_u32(value, &id) || id == 0 || id > 0xFFF ||
	    !(d = file_device(c->fam, (uint16_t)id)))
		return SR_E_PARSE;
	p->device = d;
	p->dev_id = (uint16_t)id;
	return SR_OK;
}

static int part_revision(struct sr_part *p, const char *value, const char **why)
{
	uint32_t id;
	*why = "expected a REV_ID listed in the device's revisions";
	if (!p->device || sr_parse_u32(value, &id) || id > 0xFFFF ||
	    !sr_device_revision(p->device, (uint16_t)id))
		return SR_E_PARSE;
	p->rev_id = (uint16_t)id;
	return SR_OK;
}

static int part_set(struct sr_load_ctx *c, struct sr_part *p, const struct sr_ini_entry *e,
                    const char **why)
{
	const char *k = e->key, *v = e->value;
	uint32_t x;
	if (strcmp(k, "device") == 0)
		return part_device(c, p, v, why);
	if (!p->device) {
		*why = "the part has no valid device key";
		return SR_E_PARSE;
	}
	*why = "not a number";
	if (strcmp(k, "revision") == 0)
		return part_revision(p, v, why);
	if (strcmp(k, "cpuid") == 0)
		return sr_parse_u32(v, &p->cpuid);
	if (strcmp(k, "dp_idcode") == 0)
		return sr_parse_u32(v, &p->dp_idcode);
	if (strcmp(k, "dp_targetid") == 0)
		return sr_parse_u32(v, &p->dp_targetid);
	if (strcmp(k, "idcode_res") == 0) {
		*why = "expected a number from 0 to 0xF (DBGMCU_IDCODE bits 15:12)";
		if (sr_parse_u32(v, &x) || x > 0xF)
			return SR_E_PARSE;
		p->idcode_res = (uint16_t)x;
		return SR_OK;
	}
	if (strcmp(k, "mvfr") == 0) {
		*why = "expected three numbers (MVFR0 MVFR1 MVFR2)";
		return parse_numbers(v, p->mvfr, 3);
	}
	if (strcmp(k, "ram_size") == 0) {
		*why = "expected NAME SIZE of a ram region of the device, from its size up to its "
		       "upto= size";
		return parse_ram_size(p, v);
	}
	if (strcmp(k, "ap") == 0) {
		*why = "expected IDR BASE [win=BASE:SIZE,...] [apb=NAME] (at most 4)";
		return parse_ap(p, v, e->line);
	}
	*why = "unknown key";
	return SR_E_NOTFOUND;
}

/* Read the [part] entries of the file: every `device` key first, then the rest. */
void sr_part_keys(struct sr_load_ctx *c)
{
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < c->ini->n; i++) {
			const struct sr_ini_entry *e = &c->ini->e[i];
			const char *name, *why = "bad value";
			char kind[16];
			sr_ini_section_split(e->section, kind, sizeof(kind), &name);
			if (strcmp(kind, "part") != 0 ||
			    (strcmp(e->key, "device") == 0) != (pass == 0))
				continue;
			if (!part_name_ok(name)) {
				sr_load_bad(c, e,
				            "the section must be [part NAME], NAME in a-z and 0-9");
				continue;
			}
			if (part_set(c, part_get(c->fam, name, e->line), e, &why) != SR_OK)
				sr_load_bad(c, e, why);
		}
}

void sr_part_check(struct sr_load_ctx *c, const struct sr_part *p)
{
	const char *missing = !p->device      ? "device"
	                      : !p->cpuid     ? "cpuid"
	                      : !p->dp_idcode ? "dp_idcode"
	                      : !p->n_ap      ? "ap"
	                                      : NULL;
	if (!missing)
		return;
	sr_msgs_add(c->msgs, "%s:%d: [part %s] lacks %s", c->ini->path, p->line, p->name, missing);
	c->errors++;
}
