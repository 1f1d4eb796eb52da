/* Reading an image: format detection, the segment list every parser fills, overlap checks. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/util.h"
#include "image/image-internal.h"

/* Larger files are not flash images (the largest STM32 flash is 2 MiB; ELF debug data
 * can be tens of MiB). */
#define IMAGE_FILE_MAX (256u * 1024 * 1024)

int sr_image_fail(struct sr_msgs *msgs, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sr_msgs_add(msgs, "%s", buf);
	return SR_E_IMAGE;
}

const char *sr_image_format_name(enum sr_image_format f)
{
	static const char *const names[] = {"unknown", "binary", "Intel HEX", "S-record", "ELF"};
	return (unsigned)f < SR_ARRAY_SIZE(names) ? names[f] : "unknown";
}

static bool is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* The next two characters after a record mark are hex digits. */
static bool hex_follows(const uint8_t *p, const uint8_t *end)
{
	return end - p >= 2 && is_hex(p[0]) && is_hex(p[1]);
}

enum sr_image_format sr_image_detect(const uint8_t *data, size_t len)
{
	const uint8_t *p = data, *end = data + len;
	if (len >= 4 && memcmp(data, "\x7f" "ELF", 4) == 0)
		return SR_IMAGE_ELF;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p < end && *p == ':' && hex_follows(p + 1, end))
		return SR_IMAGE_IHEX;
	if (end - p >= 2 && p[0] == 'S' && p[1] >= '0' && p[1] <= '9' && hex_follows(p + 2, end))
		return SR_IMAGE_SREC;
	return SR_IMAGE_BIN;
}

void sr_image_seg_origin(const struct sr_image *img, const struct sr_image_seg *s, char *buf,
			 size_t len)
{
	const char *what = img->format == SR_IMAGE_ELF ? "program header" : "line";
	if (img->format == SR_IMAGE_BIN)
		snprintf(buf, len, "the whole file");
	else if (s->first == s->last)
		snprintf(buf, len, "%s %d", what, s->first);
	else
		snprintf(buf, len, "%ss %d-%d", what, s->first, s->last);
}

uint64_t sr_image_bytes(const struct sr_image *img)
{
	uint64_t n = 0;
	for (int i = 0; i < img->n_seg; i++)
		n += img->seg[i].size;
	return n;
}

/* Append LEN bytes to S, growing its buffer geometrically. */
static void seg_append(struct sr_image_seg *s, const uint8_t *data, size_t len)
{
	if (s->size + len > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		while (cap < s->size + len)
			cap *= 2;
		s->data = sr_realloc_array(s->data, cap, 1);
		s->cap = cap;
	}
	memcpy(s->data + s->size, data, len);
	s->size += (uint32_t)len;
}

int sr_image_add(struct sr_image *img, uint64_t addr, const uint8_t *data, size_t len,
		 int origin)
{
	struct sr_image_seg *last = img->n_seg ? &img->seg[img->n_seg - 1] : NULL;
	if (addr + len > 0x100000000ull)
		return SR_E_RANGE;
	if (len == 0)
		return SR_OK;
	if (!last || (uint64_t)last->addr + last->size != addr) {
		img->seg = sr_realloc_array(img->seg, (size_t)img->n_seg + 1, sizeof(*img->seg));
		last = &img->seg[img->n_seg++];
		memset(last, 0, sizeof(*last));
		last->addr = (uint32_t)addr;
		last->first = origin;
	}
	last->last = origin;
	seg_append(last, data, len);
	return SR_OK;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct sr_image_seg *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->first > y->first) - (x->first < y->first);
}

static int overlap_fail(const struct sr_image *img, const struct sr_image_seg *a,
			const struct sr_image_seg *b, struct sr_msgs *msgs)
{
	char oa[48], ob[48];
	uint64_t end = (uint64_t)a->addr + a->size, bend = (uint64_t)b->addr + b->size;
	if (bend < end)
		end = bend;
	sr_image_seg_origin(img, a, oa, sizeof(oa));
	sr_image_seg_origin(img, b, ob, sizeof(ob));
	return sr_image_fail(msgs,
			     "%s: bytes 0x%08X-0x%08X are given twice, by %s and by %s: the "
			     "image does not say which to program; fix the build (linker "
			     "script load addresses), or join the files without overlap",
			     img->source, b->addr, (uint32_t)(end - 1), oa, ob);
}

int sr_image_finish(struct sr_image *img, struct sr_msgs *msgs)
{
	int out = 0;
	if (img->n_seg == 0)
		return sr_image_fail(msgs, "%s: the image holds no bytes to program", img->source);
	qsort(img->seg, (size_t)img->n_seg, sizeof(*img->seg), seg_cmp);
	/* Sorted by address, any overlap shows between neighbours: check before merging. */
	for (int i = 1; i < img->n_seg; i++)
		if ((uint64_t)img->seg[i - 1].addr + img->seg[i - 1].size > img->seg[i].addr)
			return overlap_fail(img, &img->seg[i - 1], &img->seg[i], msgs);
	for (int i = 1; i < img->n_seg; i++) {
		struct sr_image_seg *a = &img->seg[out], *b = &img->seg[i];
		if ((uint64_t)a->addr + a->size == b->addr) {
			seg_append(a, b->data, b->size);
			a->first = a->first < b->first ? a->first : b->first;
			a->last = a->last > b->last ? a->last : b->last;
			free(b->data);
			continue;
		}
		img->seg[++out] = *b;
	}
	img->n_seg = out + 1;
	return SR_OK;
}

void sr_image_free(struct sr_image *img)
{
	for (int i = 0; i < img->n_seg; i++)
		free(img->seg[i].data);
	for (int i = 0; i < img->n_sect; i++)
		free(img->sect[i].name);
	free(img->seg);
	free(img->sect);
	free(img->source);
	memset(img, 0, sizeof(*img));
}

static int parse_as(struct sr_image *img, enum sr_image_format fmt, bool detected,
		    const uint8_t *data, size_t len, const struct sr_image_opts *opts,
		    struct sr_msgs *msgs)
{
	switch (fmt) {
	case SR_IMAGE_ELF:
		return sr_image_parse_elf(img, data, len, msgs);
	case SR_IMAGE_IHEX:
		return sr_image_parse_ihex(img, data, len, msgs);
	case SR_IMAGE_SREC:
		return sr_image_parse_srec(img, data, len, msgs);
	case SR_IMAGE_BIN:
		if (opts && opts->has_base)
			return sr_image_parse_bin(img, data, len, opts->base, msgs);
		return sr_image_fail(msgs,
				     "%s: %sa raw binary holds no address: give the address to "
				     "load it at (usually the start of flash, 0x08000000), or use "
				     "the ELF or HEX file the build made beside it",
				     img->source,
				     detected ? "not an ELF, Intel HEX or S-record file, and " : "");
	case SR_IMAGE_AUTO:
		break;
	}
	return sr_image_fail(msgs, "%s: unknown image format %d", img->source, (int)fmt);
}

int sr_image_parse(const char *name, const uint8_t *data, size_t len,
		   const struct sr_image_opts *opts, struct sr_image *out, struct sr_msgs *msgs)
{
	enum sr_image_format fmt = opts ? opts->format : SR_IMAGE_AUTO;
	bool detected = fmt == SR_IMAGE_AUTO;
	int rc;
	memset(out, 0, sizeof(*out));
	out->source = sr_strdup(name);
	if (detected)
		fmt = sr_image_detect(data, len);
	out->format = fmt;
	if (len == 0)
		rc = sr_image_fail(msgs, "%s: the file is empty: was the build or copy interrupted?",
				   name);
	else
		rc = parse_as(out, fmt, detected, data, len, opts, msgs);
	if (rc == SR_OK)
		rc = sr_image_finish(out, msgs);
	if (rc != SR_OK)
		sr_image_free(out);
	return rc;
}

/* Read all of PATH into a new buffer. */
static int read_file(const char *path, uint8_t **buf, size_t *len, struct sr_msgs *msgs)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	*buf = NULL;
	if (!f) {
		sr_msgs_add(msgs, "%s: cannot open: %s; check the path and the file's permissions",
			    path, strerror(errno));
		return SR_E_IO;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > IMAGE_FILE_MAX) {
		sr_msgs_add(msgs, "%s: not a regular file of at most %u MiB: give the image file "
			    "the build made", path, IMAGE_FILE_MAX >> 20);
		fclose(f);
		return SR_E_IO;
	}
	*len = (size_t)st.st_size;
	*buf = sr_calloc(*len + 1, 1);
	if (fread(*buf, 1, *len, f) != *len) {
		sr_msgs_add(msgs, "%s: read error: %s", path, strerror(errno));
		fclose(f);
		free(*buf);
		*buf = NULL;
		return SR_E_IO;
	}
	fclose(f);
	return SR_OK;
}

int sr_image_load(const char *path, const struct sr_image_opts *opts, struct sr_image *out,
		  struct sr_msgs *msgs)
{
	uint8_t *buf;
	size_t len;
	int rc = read_file(path, &buf, &len, msgs);
	memset(out, 0, sizeof(*out));
	if (rc != SR_OK)
		return rc;
	rc = sr_image_parse(path, buf, len, opts, out, msgs);
	free(buf);
	return rc;
}
