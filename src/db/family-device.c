/* [device] and [geometry] sections of a families/ file, and the checks after reading it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "db/db-internal.h"

static struct sr_device *device_get(struct sr_family *f, uint16_t id)
{
	struct sr_device *d;
	for (int i = 0; i < f->n_devices; i++)
		if (f->devices[i].dev_id == id)
			return &f->devices[i];
	f->devices = sr_realloc_array(f->devices, (size_t)f->n_devices + 1, sizeof(*f->devices));
	d = &f->devices[f->n_devices++];
	memset(d, 0, sizeof(*d));
	d->dev_id = id;
	d->defs = f->defs;
	return d;
}

/* "0x1000=A 0x1001=Z" */
static int parse_revisions(struct sr_device *d, const char *value)
{
	char buf[256], *tok, *save = NULL;
	snprintf(buf, sizeof(buf), "%s", value);
	d->n_revs = 0;
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		char *f[2];
		uint32_t id;
		struct sr_revision *r = &d->revs[d->n_revs];
		if (d->n_revs >= SR_MAX_REVS || sr_split(tok, '=', f, 2) != 2 ||
		    sr_parse_u32(f[0], &id) || id > 0xFFFF || !*f[1] || strlen(f[1]) >= sizeof(r->name))
			return SR_E_PARSE;
		r->rev_id = (uint16_t)id;
		strcpy(r->name, f[1]);
		d->n_revs++;
	}
	return SR_OK;
}

/* "SRAM1 0x20000000 112K [enable=ADDR:BIT] [noexec] [upto=SIZE]" */
static int parse_ram(struct sr_device *d, const char *value)
{
	char buf[256], *tok[6], *save = NULL;
	int n = 0;
	struct sr_ram_region r = {{0}};
	if (d->n_ram >= SR_MAX_RAM)
		return SR_E_RANGE;
	snprintf(buf, sizeof(buf), "%s", value);
	for (char *t = strtok_r(buf, " \t", &save); t && n < 6; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n < 3 || strlen(tok[0]) >= sizeof(r.name) || sr_parse_u32(tok[1], &r.base) ||
	    sr_parse_size(tok[2], &r.size) || r.size == 0)
		return SR_E_PARSE;
	strcpy(r.name, tok[0]);
	for (int i = 3; i < n; i++) {
		if (strcmp(tok[i], "noexec") == 0)
			r.noexec = true;
		else if (strncmp(tok[i], "upto=", 5) == 0) {
			if (sr_parse_size(tok[i] + 5, &r.size_max) || r.size_max < r.size)
				return SR_E_PARSE;
		} else if (strncmp(tok[i], "enable=", 7) != 0 || sr_addrbit_parse(tok[i] + 7, &r.enable))
			return SR_E_PARSE;
	}
	d->ram[d->n_ram++] = r;
	return SR_OK;
}

/* A register name as a state file and the command line spell it: a-z, 0-9, _. */
static bool plain_name(const char *s, size_t len)
{
	if (!*s || strlen(s) >= len)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* "apb1_fz 0xE0042008 0x07E01DFF" */
static int parse_dbgreg(struct sr_device *d, const char *value)
{
	char name[32], addr[32], mask[32], extra[2];
	struct sr_dbgreg *r = &d->dbgreg[d->n_dbgreg];
	if (d->n_dbgreg >= SR_MAX_DBGREG ||
	    sscanf(value, "%31s %31s %31s %1s", name, addr, mask, extra) != 3 ||
	    !plain_name(name, sizeof(r->name)) || sr_parse_u32(addr, &r->addr) ||
	    sr_parse_u32(mask, &r->mask))
		return SR_E_PARSE;
	for (int i = 0; i < d->n_dbgreg; i++)
		if (strcmp(d->dbgreg[i].name, name) == 0 || d->dbgreg[i].addr == r->addr)
			return SR_E_PARSE;
	strcpy(r->name, name);
	d->n_dbgreg++;
	return SR_OK;
}

/* "OPTCR 0xC0FFAAFD" */
static int parse_ob_default(struct sr_device *d, const char *value, int line)
{
	char reg[32], num[32], extra[2];
	struct sr_ob_default *o = &d->ob_default[d->n_ob_default];
	if (d->n_ob_default >= SR_MAX_OBDEF ||
	    sscanf(value, "%31s %31s %1s", reg, num, extra) != 2 || strlen(reg) >= sizeof(o->reg) ||
	    sr_parse_u32(num, &o->value))
		return SR_E_PARSE;
	strcpy(o->reg, reg);
	o->line = line;
	d->n_ob_default++;
	return SR_OK;
}

static int device_set(struct sr_device *d, const struct sr_ini_entry *e, const char **why)
{
	const char *key = e->key, *value = e->value;
	if (strcmp(key, "dbgreg") == 0) {
		*why = "expected NAME ADDR MASK (name in a-z, 0-9, _, under 12 characters; each name "
		       "and address once; at most 8)";
		return parse_dbgreg(d, value);
	}
	if (strcmp(key, "ob_default") == 0) {
		*why = "expected REGISTER VALUE (at most 4)";
		return parse_ob_default(d, value, e->line);
	}
	if (strcmp(key, "name") == 0) {
		free(d->name);
		d->name = sr_strdup(value);
		return *value ? SR_OK : SR_E_PARSE;
	}
	if (strcmp(key, "revisions") == 0) {
		*why = "expected REV_ID=NAME pairs (0x1000=A 0x1001=Z), at most 12";
		return parse_revisions(d, value);
	}
	if (strcmp(key, "flash_max") == 0) {
		*why = "not a size";
		return sr_parse_size(value, &d->flash_max);
	}
	if (strcmp(key, "geometry") == 0) {
		*why = "empty or too long";
		if (!*value || strlen(value) >= sizeof(d->geometry))
			return SR_E_PARSE;
		strcpy(d->geometry, value);
		return SR_OK;
	}
	if (strcmp(key, "ram") == 0) {
		*why = "expected NAME BASE SIZE [enable=ADDR:BIT] [noexec] (at most 8 regions)";
		return parse_ram(d, value);
	}
	if (strcmp(key, "name") == 0)
		return SR_E_PARSE;
	return sr_chipdefs_set(&d->defs, key, value, why);
}

void sr_device_key(struct sr_load_ctx *c, const struct sr_ini_entry *e, const char *id)
{
	uint32_t dev_id;
	const char *why = "bad value";
	if (sr_parse_u32(id, &dev_id) || dev_id == 0 || dev_id > 0xFFF) {
		sr_load_bad(c, e, "the section must be [device DEV_ID] with a 12-bit DEV_ID");
		return;
	}
	if (device_set(device_get(c->fam, (uint16_t)dev_id), e, &why) != SR_OK)
		sr_load_bad(c, e, why);
}

static struct sr_geometry *geometry_get(struct sr_family *f, const char *name, int line)
{
	char group[32] = "", variant[32] = "";
	const char *slash = strchr(name, '/');
	size_t glen = slash ? (size_t)(slash - name) : strlen(name);
	struct sr_geometry *g;
	if (glen == 0 || glen >= sizeof(group) || (slash && strlen(slash + 1) >= sizeof(variant)))
		return NULL;
	memcpy(group, name, glen);
	if (slash)
		strcpy(variant, slash + 1);
	for (int i = 0; i < f->n_geoms; i++)
		if (!strcmp(f->geoms[i].group, group) && !strcmp(f->geoms[i].variant, variant))
			return &f->geoms[i];
	f->geoms = sr_realloc_array(f->geoms, (size_t)f->n_geoms + 1, sizeof(*f->geoms));
	g = &f->geoms[f->n_geoms++];
	memset(g, 0, sizeof(*g));
	strcpy(g->group, group);
	strcpy(g->variant, variant);
	g->line = line;
	return g;
}

void sr_geometry_key(struct sr_load_ctx *c, const struct sr_ini_entry *e, const char *name)
{
	struct sr_geometry *g = geometry_get(c->fam, name, e->line);
	const char *why = "bad value";
	if (!g)
		sr_load_bad(c, e, "the section must be [geometry GROUP] or [geometry GROUP/VARIANT]");
	else if (sr_geometry_set(g, e->key, e->value, &why) != SR_OK)
		sr_load_bad(c, e, why);
}

static bool geometry_group_exists(const struct sr_family *f, const char *group)
{
	for (int i = 0; i < f->n_geoms; i++)
		if (strcmp(f->geoms[i].group, group) == 0)
			return true;
	return false;
}

static void device_check(struct sr_load_ctx *c, const struct sr_device *d)
{
	const char *p = c->ini->path;
	const char *missing = sr_chipdefs_missing(&d->defs);
	if (!d->name)
		sr_msgs_add(c->msgs, "%s: [device 0x%03X] has no name", p, d->dev_id);
	if (!d->flash_max)
		sr_msgs_add(c->msgs, "%s: [device 0x%03X] has no flash_max", p, d->dev_id);
	if (!d->geometry[0] || !geometry_group_exists(c->fam, d->geometry))
		sr_msgs_add(c->msgs, "%s: [device 0x%03X] names geometry '%s', which is not defined",
			    p, d->dev_id, d->geometry);
	if (missing && !sr_chipdefs_missing(&c->fam->defs))
		sr_msgs_add(c->msgs, "%s: [device 0x%03X] lacks %s", p, d->dev_id, missing);
	if (!d->name || !d->flash_max || !d->geometry[0] ||
	    !geometry_group_exists(c->fam, d->geometry) || missing)
		c->errors++;
}

void sr_family_check(struct sr_load_ctx *c)
{
	const char *p = c->ini->path;
	const char *missing = sr_chipdefs_missing(&c->fam->defs);
	if (!c->fam->name[0] || !c->fam->title) {
		sr_msgs_add(c->msgs, "%s: [family] needs name and title", p);
		c->errors++;
	}
	if (missing) {
		sr_msgs_add(c->msgs, "%s: [family] lacks the required key %s", p, missing);
		c->errors++;
	}
	if (c->fam->n_devices == 0) {
		sr_msgs_add(c->msgs, "%s: no [device] section", p);
		c->errors++;
	}
	for (int i = 0; i < c->fam->n_devices; i++)
		device_check(c, &c->fam->devices[i]);
	for (int i = 0; i < c->fam->n_parts; i++)
		sr_part_check(c, &c->fam->parts[i]);
	for (int i = 0; i < c->fam->n_geoms; i++) {
		const char *why = sr_geometry_check(&c->fam->geoms[i]);
		if (why) {
			sr_msgs_add(c->msgs, "%s:%d: [geometry %s]: %s", p, c->fam->geoms[i].line,
				    c->fam->geoms[i].group, why);
			c->errors++;
		}
	}
}
