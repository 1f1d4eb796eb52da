/*
 * Intel HEX, after "Hexadecimal Object File Format Specification", Intel, Rev. A (1988):
 * records ":LLAAAATT<data>CC"; types 00 data, 01 end of file, 02 extended segment
 * address, 03 start segment address, 04 extended linear address, 05 start linear address.
 * The checksum makes the sum of all record bytes 0 modulo 256.
 */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "image/image-internal.h"

#define IHEX_MAX_BYTES (5 + 255) /* count, address (2), type, up to 255 data, checksum */

struct ihex {
	struct sr_image *img;
	struct sr_msgs *msgs;
	uint32_t base;   /* from type 02 (x16) or 04 (x65536) */
	bool segmented;  /* type 02 in force: offsets wrap at 64 KiB */
	int eof_line;
	const struct sr_textline *l;
};

/* Check the characters and length of line L; decode it into B. Returns the byte count. */
static int ihex_decode(struct ihex *h, uint8_t *b)
{
	const struct sr_textline *l = h->l;
	const char *src = h->img->source;
	size_t bad, need, digits = l->len - 1;
	char what[16];
	if (l->s[0] != ':') {
		sr_char_describe(l->s[0], what, sizeof(what));
		return sr_image_fail(h->msgs,
				     "%s:%d: a record starts with ':' but this line starts with "
				     "%s: the file is not Intel HEX, or text was added to it",
				     src, l->no, what);
	}
	if (sr_hex_decode(l->s + 1, digits, b, IHEX_MAX_BYTES, &bad) < 0) {
		sr_char_describe(l->s[1 + bad], what, sizeof(what));
		return sr_image_fail(h->msgs,
				     "%s:%d: column %zu: %s is not a hex digit: the record is "
				     "damaged; rebuild the file or copy it again",
				     src, l->no, bad + 2, what);
	}
	if (digits < 10)
		return sr_image_fail(h->msgs,
				     "%s:%d: truncated record: %zu hex digits where a record has at "
				     "least 10 (count, address, type, checksum); the file was cut "
				     "short or damaged: rebuild it or copy it again",
				     src, l->no, digits);
	need = 2 * (b[0] + 5u);
	if (digits < need)
		return sr_image_fail(h->msgs,
				     "%s:%d: truncated record: it announces %u data bytes, so %zu "
				     "hex digits, but has %zu; the file was cut short or damaged: "
				     "rebuild it or copy it again",
				     src, l->no, b[0], need, digits);
	if (digits > need)
		return sr_image_fail(h->msgs,
				     "%s:%d: %zu characters after the checksum (a record announcing "
				     "%u data bytes has %zu hex digits); the file is damaged",
				     src, l->no, digits - need, b[0], need);
	return b[0] + 5;
}

static int ihex_checksum(struct ihex *h, const uint8_t *b, int n)
{
	uint8_t sum = 0;
	for (int i = 0; i < n - 1; i++)
		sum = (uint8_t)(sum + b[i]);
	if ((uint8_t)(sum + b[n - 1]) == 0)
		return SR_OK;
	return sr_image_fail(h->msgs,
			     "%s:%d: checksum error: the record ends with 0x%02X but its bytes "
			     "need 0x%02X; the file is damaged: rebuild it or copy it again",
			     h->img->source, h->l->no, b[n - 1], (uint8_t)(0x100 - sum));
}

static int ihex_data(struct ihex *h, const uint8_t *b)
{
	uint32_t off = (uint32_t)b[1] << 8 | b[2], n = b[0], first = n;
	int rc;
	/* Segment addressing wraps the offset within the 64 KiB segment (spec, type 02). */
	if (h->segmented && off + n > 0x10000)
		first = 0x10000 - off;
	rc = sr_image_add(h->img, (uint64_t)h->base + off, b + 4, first, h->l->no);
	if (rc == SR_OK && first < n)
		rc = sr_image_add(h->img, h->base, b + 4 + first, n - first, h->l->no);
	if (rc != SR_OK)
		return sr_image_fail(h->msgs,
				     "%s:%d: data at 0x%08X+0x%04X runs past the end of the 32-bit "
				     "address space; the extended address record before it is wrong",
				     h->img->source, h->l->no, h->base, off);
	return SR_OK;
}

/* Record types other than data. */
static int ihex_record(struct ihex *h, const uint8_t *b)
{
	static const int need[] = {-1, 0, 2, 4, 2, 4};
	uint8_t type = b[3];
	const uint8_t *d = b + 4;
	if (type > 5)
		return sr_image_fail(h->msgs,
				     "%s:%d: unknown record type %02X (Intel HEX has types 00 to "
				     "05): the file is damaged or not Intel HEX",
				     h->img->source, h->l->no, type);
	if (type != 0 && b[0] != need[type])
		return sr_image_fail(h->msgs,
				     "%s:%d: a type %02X record holds %d data bytes, this one %u: "
				     "the file is damaged",
				     h->img->source, h->l->no, type, need[type], b[0]);
	switch (type) {
	case 0:
		return ihex_data(h, b);
	case 1:
		h->eof_line = h->l->no;
		break;
	case 2:
		h->base = ((uint32_t)d[0] << 8 | d[1]) << 4;
		h->segmented = true;
		break;
	case 3:
		h->img->entry = (((uint32_t)d[0] << 8 | d[1]) << 4) + ((uint32_t)d[2] << 8 | d[3]);
		h->img->has_entry = true;
		break;
	case 4:
		h->base = ((uint32_t)d[0] << 8 | d[1]) << 16;
		h->segmented = false;
		break;
	case 5:
		h->img->entry = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | d[2] << 8 | d[3];
		h->img->has_entry = true;
		break;
	}
	return SR_OK;
}

static int ihex_line(void *ctx, const struct sr_textline *l)
{
	struct ihex *h = ctx;
	uint8_t b[IHEX_MAX_BYTES + 1];
	h->l = l;
	int n = ihex_decode(h, b);
	if (n < 0)
		return n;
	int rc = ihex_checksum(h, b, n);
	return rc == SR_OK ? ihex_record(h, b) : rc;
}

static int ihex_end_line(const void *ctx)
{
	return ((const struct ihex *)ctx)->eof_line;
}

static const struct sr_text_format ihex_format = {
	.end_name = "end-of-file record",
	.end_example = " (:00000001FF)",
	.tool = "a HEX tool",
	.line = ihex_line,
	.end_line = ihex_end_line,
};

int sr_image_parse_ihex(struct sr_image *img, const uint8_t *data, size_t len,
			struct sr_msgs *msgs)
{
	struct ihex h = {.img = img, .msgs = msgs};
	return sr_text_records(img, data, len, msgs, &ihex_format, &h);
}
