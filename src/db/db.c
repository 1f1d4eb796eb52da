/* The chip database as a whole: finding the data, loading every file, lookups. */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/util.h"
#include "db/db-internal.h"
#include "ob/ob.h"

static bool has_families(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof(path), "%s/families", dir);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the running program: the build tree when run from it. */
static bool exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;
	if (n <= 0)
		return false;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	/* libtool wrappers run the real program from .libs/ */
	if (strlen(buf) > 6 && strcmp(buf + strlen(buf) - 6, "/.libs") == 0)
		buf[strlen(buf) - 6] = '\0';
	return true;
}

char *sr_db_find_datadir(const char *override, struct sr_msgs *msgs)
{
	char exe[PATH_MAX];
	const char *env = getenv("STMRESCUE_DATADIR");
	if (override || (env && *env)) {
		const char *dir = override ? override : env;
		if (has_families(dir))
			return sr_strdup(dir);
		sr_msgs_add(msgs, "no families/ folder in %s (given by %s)", dir,
			    override ? "--datadir" : "STMRESCUE_DATADIR");
		return NULL;
	}
	/* Run from the build tree: its data is in the source tree. */
	if (exe_dir(exe, sizeof(exe)) && strcmp(exe, SR_ABS_TOP_BUILDDIR) == 0 &&
	    has_families(SR_ABS_TOP_SRCDIR))
		return sr_strdup(SR_ABS_TOP_SRCDIR);
	if (has_families(SR_PKGDATADIR))
		return sr_strdup(SR_PKGDATADIR);
	sr_msgs_add(msgs,
		    "the chip database was not found: looked in %s/families (installed) and "
		    "beside the program; reinstall stmrescue, or set STMRESCUE_DATADIR or "
		    "--datadir to the folder holding families/ and optbytes/",
		    SR_PKGDATADIR);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of DIR/ *.ini paths. */
static int list_ini(const char *dir, char ***out, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	*out = NULL;
	*n = 0;
	if (!d)
		return SR_E_NODATA;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char path[PATH_MAX];
		if (len < 5 || strcmp(de->d_name + len - 4, ".ini") != 0 || de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		*out = sr_realloc_array(*out, (size_t)*n + 1, sizeof(**out));
		(*out)[(*n)++] = sr_strdup(path);
	}
	closedir(d);
	qsort(*out, (size_t)*n, sizeof(**out), cmp_str);
	return SR_OK;
}

static void free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool family_clashes(struct sr_db *db, const struct sr_family *f, struct sr_msgs *msgs)
{
	for (int i = 0; i < db->n_fams; i++)
		if (strcmp(db->fams[i].name, f->name) == 0) {
			sr_msgs_add(msgs, "%s: family %s is already defined by %s; file skipped",
				    f->path, f->name, db->fams[i].path);
			return true;
		}
	for (int j = 0; j < f->n_devices; j++)
		if (sr_db_device(db, f->devices[j].dev_id)) {
			sr_msgs_add(msgs, "%s: device 0x%03X is already defined; file skipped",
				    f->path, f->devices[j].dev_id);
			return true;
		}
	for (int j = 0; j < f->n_parts; j++)
		if (sr_db_part(db, f->parts[j].name)) {
			sr_msgs_add(msgs, "%s:%d: part %s is already defined; file skipped", f->path,
				    f->parts[j].line, f->parts[j].name);
			return true;
		}
	return false;
}

static void load_families(struct sr_db *db, char **paths, int n, struct sr_msgs *msgs)
{
	for (int i = 0; i < n; i++) {
		struct sr_ini ini;
		struct sr_family f;
		int rc = sr_ini_read(paths[i], &ini, msgs);
		memset(&f, 0, sizeof(f));
		if (rc == SR_OK)
			rc = sr_family_from_ini(&ini, &f, msgs);
		sr_ini_free(&ini);
		if (rc != SR_OK || family_clashes(db, &f, msgs)) {
			sr_family_free(&f);
			continue;
		}
		db->fams = sr_realloc_array(db->fams, (size_t)db->n_fams + 1, sizeof(*db->fams));
		db->fams[db->n_fams++] = f;
	}
}

static void load_optbytes(struct sr_db *db, char **paths, int n, struct sr_msgs *msgs)
{
	for (int i = 0; i < n; i++) {
		struct sr_ob_table *t = sr_ob_table_load(paths[i], msgs);
		if (!t)
			continue;
		db->obs = sr_realloc_array(db->obs, (size_t)db->n_obs + 1, sizeof(*db->obs));
		db->obs[db->n_obs++] = t;
	}
}

/* A device's ob_default names a register of its option-byte table that it has. */
static void check_ob_defaults(const struct sr_family *f, const struct sr_device *d,
			      struct sr_msgs *msgs)
{
	for (int k = 0; k < d->n_ob_default; k++) {
		int r = f->ob ? sr_ob_reg_find(f->ob, d->ob_default[k].reg) : -1;
		if (r < 0 || !sr_ob_reg_applies(&f->ob->regs[r], d->dev_id))
			sr_msgs_add(msgs, "%s:%d: [device 0x%03X] ob_default: optbytes/ has no "
				    "register %s for this device",
				    f->path, d->ob_default[k].line, d->dev_id, d->ob_default[k].reg);
	}
}

/* Point devices at their family and families at their option-byte table. */
static void link_db(struct sr_db *db, struct sr_msgs *msgs)
{
	for (int i = 0; i < db->n_fams; i++) {
		struct sr_family *f = &db->fams[i];
		const char *ob = f->defs.optbytes[0] ? f->defs.optbytes : f->name;
		for (int j = 0; j < f->n_devices; j++)
			f->devices[j].family = f;
		for (int j = 0; j < db->n_obs; j++)
			if (strcmp(db->obs[j]->family, ob) == 0)
				f->ob = db->obs[j];
		if (!f->ob)
			sr_msgs_add(msgs, "%s: no optbytes/ table for family %s", f->path, ob);
		for (int j = 0; j < f->n_devices; j++)
			check_ob_defaults(f, &f->devices[j], msgs);
	}
}

int sr_db_load(const char *datadir, struct sr_db **out, struct sr_msgs *problems)
{
	char dir[PATH_MAX];
	char **paths;
	int n;
	struct sr_db *db = sr_calloc(1, sizeof(*db));
	db->datadir = sr_strdup(datadir);
	snprintf(dir, sizeof(dir), "%s/families", datadir);
	if (list_ini(dir, &paths, &n) != SR_OK) {
		sr_msgs_add(problems, "%s: cannot read the folder", dir);
		sr_db_free(db);
		return SR_E_NODATA;
	}
	load_families(db, paths, n, problems);
	free_list(paths, n);
	snprintf(dir, sizeof(dir), "%s/optbytes", datadir);
	if (list_ini(dir, &paths, &n) != SR_OK)
		sr_msgs_add(problems, "%s: cannot read the folder", dir);
	load_optbytes(db, paths, n, problems);
	free_list(paths, n);
	link_db(db, problems);
	*out = db;
	return SR_OK;
}

void sr_db_free(struct sr_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->n_fams; i++)
		sr_family_free(&db->fams[i]);
	for (int i = 0; i < db->n_obs; i++)
		sr_ob_table_free(db->obs[i]);
	free(db->fams);
	free(db->obs);
	free(db->datadir);
	free(db);
}

const struct sr_family *sr_db_family(const struct sr_db *db, const char *name)
{
	for (int i = 0; i < db->n_fams; i++)
		if (strcasecmp(db->fams[i].name, name) == 0)
			return &db->fams[i];
	return NULL;
}

const struct sr_device *sr_db_device(const struct sr_db *db, uint16_t dev_id)
{
	for (int i = 0; i < db->n_fams; i++)
		for (int j = 0; j < db->fams[i].n_devices; j++)
			if (db->fams[i].devices[j].dev_id == dev_id)
				return &db->fams[i].devices[j];
	return NULL;
}

/* "stm32f446" matches "STM32F446"; "stm32f407" matches "STM32F405/407/415/417". */
static bool name_matches(const char *names, const char *spec)
{
	char buf[128], *tok, *save = NULL;
	const char *prefix_end;
	size_t plen;
	if (strncasecmp(spec, "stm32", 5) != 0 || strlen(names) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", names);
	tok = strtok_r(buf, "/", &save);
	if (!tok)
		return false;
	/* "STM32F405" -> family prefix "STM32F"; later tokens are suffixes ("407"). */
	prefix_end = tok + 5;
	while (*prefix_end && !(*prefix_end >= '0' && *prefix_end <= '9'))
		prefix_end++;
	plen = (size_t)(prefix_end - tok);
	for (; tok; tok = strtok_r(NULL, "/", &save)) {
		char full[64];
		if (strncasecmp(tok, "STM32", 5) == 0)
			snprintf(full, sizeof(full), "%s", tok);
		else
			snprintf(full, sizeof(full), "%.*s%s", (int)plen, buf, tok);
		if (strncasecmp(full, spec, strlen(spec)) == 0 || strncasecmp(spec, full, strlen(full)) == 0)
			return true;
	}
	return false;
}

const struct sr_device *sr_db_device_lookup(const struct sr_db *db, const char *spec)
{
	uint32_t id;
	if (sr_parse_u32(spec, &id) == SR_OK)
		return id <= 0xFFF ? sr_db_device(db, (uint16_t)id) : NULL;
	for (int i = 0; i < db->n_fams; i++)
		for (int j = 0; j < db->fams[i].n_devices; j++)
			if (name_matches(db->fams[i].devices[j].name, spec))
				return &db->fams[i].devices[j];
	return NULL;
}

const struct sr_part *sr_db_part(const struct sr_db *db, const char *name)
{
	for (int i = 0; name && i < db->n_fams; i++)
		for (int j = 0; j < db->fams[i].n_parts; j++)
			if (strcasecmp(db->fams[i].parts[j].name, name) == 0)
				return &db->fams[i].parts[j];
	return NULL;
}

const struct sr_part *sr_db_part_at(const struct sr_db *db, int index)
{
	for (int i = 0; index >= 0 && i < db->n_fams; i++) {
		if (index < db->fams[i].n_parts)
			return &db->fams[i].parts[index];
		index -= db->fams[i].n_parts;
	}
	return NULL;
}

const char *sr_device_revision(const struct sr_device *dev, uint16_t rev_id)
{
	for (int i = 0; i < dev->n_revs; i++)
		if (dev->revs[i].rev_id == rev_id)
			return dev->revs[i].name;
	return NULL;
}

uint32_t sr_family_reg(const struct sr_family *fam, const char *name)
{
	for (int i = 0; i < fam->n_regs; i++)
		if (strcmp(fam->regs[i].name, name) == 0)
			return fam->defs.flash_regs + fam->regs[i].off;
	return 0;
}

const struct sr_regbits *sr_family_bits(const struct sr_family *fam, const char *reg)
{
	for (int i = 0; i < fam->n_bits; i++)
		if (strcmp(fam->bits[i].reg, reg) == 0)
			return &fam->bits[i];
	return NULL;
}
