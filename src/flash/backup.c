/* Backups before anything destructive (DIAGNOSES.md F): what is readable of the flash
 * and the option bytes, into $XDG_STATE_HOME/stmrescue (default ~/.local/state/stmrescue):
 * STEM.json describes the chip, the reason and the option-byte registers; STEM.bin holds
 * the flash bytes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/backup.h"
#include "target/target.h"

#define CHUNK (16u * 1024)

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc != 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

int sr_backup_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		snprintf(buf, len, "%s/stmrescue", xdg);
	else if (home && home[0])
		snprintf(buf, len, "%s/.local/state/stmrescue", home);
	else
		return SR_E_NOTFOUND;
	return mkdirs(buf) == 0 ? SR_OK : SR_E_IO;
}

/* A new STEM (no extension) that no backup uses yet. */
static int new_stem(struct sr_flash *f, const char *reason, char *stem, size_t len)
{
	char dir[480], when[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc = sr_backup_dir(dir, sizeof(dir));
	if (rc != SR_OK)
		return rc;
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	const uint8_t *u = f->tg->id.uid;
	for (int n = 1; n < 100; n++) {
		char path[560], again[8] = "";
		if (n > 1) /* a second backup within the same second */
			snprintf(again, sizeof(again), "-%d", n);
		snprintf(stem, len, "%s/%s-%03x-%02x%02x%02x%02x-%s%s", dir, when, f->dev->dev_id,
			 u[3], u[2], u[1], u[0], reason, again);
		snprintf(path, sizeof(path), "%s.json", stem);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd >= 0) {
			close(fd);
			return SR_OK;
		}
		if (errno != EEXIST)
			return SR_E_IO;
	}
	return SR_E_IO;
}

static int read_flash(struct sr_flash *f, uint32_t addr, uint32_t len, const char *path,
		      char *why, size_t wlen)
{
	FILE *out = fopen(path, "wb");
	uint8_t *buf = malloc(CHUNK);
	int rc = out && buf ? SR_OK : SR_E_IO;
	for (uint32_t off = 0; rc == SR_OK && off < len; off += CHUNK) {
		uint32_t n = len - off < CHUNK ? len - off : CHUNK;
		rc = sr_target_read(f->tg, addr + off, buf, n);
		if (rc == SR_OK && fwrite(buf, 1, n, out) != n)
			rc = SR_E_IO;
		if (rc == SR_OK && f->progress)
			f->progress(f->progress_ctx, "backup", off + n, len);
	}
	if (out && fclose(out) != 0 && rc == SR_OK)
		rc = SR_E_IO;
	free(buf);
	if (rc == SR_E_SWD_FAULT)
		snprintf(why, wlen, "the flash is not readable (read-out protection): only the "
				    "option bytes are saved");
	else if (rc != SR_OK)
		snprintf(why, wlen, "reading the flash failed: %s", sr_strerror(rc));
	if (rc != SR_OK)
		unlink(path);
	return rc;
}

static json_t *ob_json(const struct sr_flash *f)
{
	json_t *o = json_object();
	for (int r = 0; f->ob_ok && r < f->ob.t->n_regs; r++) {
		char hex[16];
		if (!f->ob.given[r])
			continue;
		snprintf(hex, sizeof(hex), "0x%08X", f->ob.raw[r]);
		json_object_set_new(o, f->ob.t->regs[r].name, json_string(hex));
	}
	return o;
}

static char *hex(uint32_t v)
{
	static char buf[4][16];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "0x%08X", v);
	return buf[i];
}

int sr_backup_save(struct sr_flash *f, const char *reason, uint32_t addr, uint32_t len,
		   struct sr_backup *out)
{
	char uid[32];
	memset(out, 0, sizeof(*out));
	int rc = new_stem(f, reason, out->stem, sizeof(out->stem));
	if (rc != SR_OK) {
		sr_msgs_add(&f->why, "no backup could be made: the state directory "
				     "($XDG_STATE_HOME/stmrescue or ~/.local/state/stmrescue) is "
				     "not writable; nothing was changed");
		return rc;
	}
	snprintf(out->json_path, sizeof(out->json_path), "%s.json", out->stem);
	if (len) {
		snprintf(out->bin_path, sizeof(out->bin_path), "%s.bin", out->stem);
		out->flash_ok = read_flash(f, addr, len, out->bin_path, out->flash_why,
					   sizeof(out->flash_why)) == SR_OK;
		if (!out->flash_ok)
			out->bin_path[0] = 0;
	}
	const uint8_t *u = f->tg->id.uid;
	snprintf(uid, sizeof(uid), "%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X%02X", u[11], u[10],
		 u[9], u[8], u[7], u[6], u[5], u[4], u[3], u[2], u[1], u[0]);
	json_t *doc = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s, s:I, s:b, s:s, s:s}}", "reason", reason,
	    "chip", f->dev->name, "dev_id", hex(f->dev->dev_id), "uid", uid, "time",
	    strrchr(out->stem, '/') + 1, "option_bytes", ob_json(f), "flash", "addr", hex(addr),
	    "len", (json_int_t)len, "saved", out->flash_ok, "file",
	    out->flash_ok ? strrchr(out->bin_path, '/') + 1 : "", "why", out->flash_why);
	if (!doc || json_dump_file(doc, out->json_path, JSON_INDENT(2)) != 0) {
		json_decref(doc);
		sr_msgs_add(&f->why, "the backup %s could not be written; nothing was changed",
			    out->json_path);
		return SR_E_IO;
	}
	json_decref(doc);
	sr_info("backup (%s): %s%s%s", reason, out->json_path, out->flash_ok ? " and " : "",
		out->flash_ok ? out->bin_path : "");
	return SR_OK;
}
