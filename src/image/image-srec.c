/*
 * Motorola S-records, after the M68000 Family Programmer's Reference Manual (Motorola
 * M68000PM/AD), appendix C "S-record output format": "S" type, count of the remaining
 * bytes, address, data, checksum (ones' complement of the low byte of the sum of count,
 * address and data bytes). S0 header; S1/S2/S3 data with 16/24/32-bit addresses; S5/S6
 * count of the data records so far (16/24-bit); S7/S8/S9 end with a start address
 * (32/24/16-bit). S4 is reserved.
 */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "image/image-internal.h"

#define SREC_MAX_BYTES (1 + 255) /* count + up to 255 bytes */

struct srec {
	struct sr_image *img;
	struct sr_msgs *msgs;
	uint32_t data_records;
	int end_line;
	const struct sr_textline *l;
};

/* Address bytes per record type S0..S9; 0: reserved. */
static const uint8_t srec_addr_len[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};

/* Check the characters and length of the line; decode it after "Sn" into B. */
static int srec_decode(struct srec *h, uint8_t *b)
{
	const struct sr_textline *l = h->l;
	const char *src = h->img->source;
	size_t bad, need, digits = l->len - 2;
	char what[16];
	if (l->len < 2 || l->s[0] != 'S' || l->s[1] < '0' || l->s[1] > '9') {
		sr_char_describe(l->s[l->len < 2 || l->s[0] != 'S' ? 0 : 1], what, sizeof(what));
		return sr_image_fail(h->msgs,
				     "%s:%d: an S-record starts with 'S' and a type digit 0-9; "
				     "found %s: the file is not an S-record file, or text was "
				     "added to it",
				     src, l->no, what);
	}
	if (sr_hex_decode(l->s + 2, digits, b, SREC_MAX_BYTES, &bad) < 0) {
		sr_char_describe(l->s[2 + bad], what, sizeof(what));
		return sr_image_fail(h->msgs,
				     "%s:%d: column %zu: %s is not a hex digit: the record is "
				     "damaged; rebuild the file or copy it again",
				     src, l->no, bad + 3, what);
	}
	if (digits < 8)
		return sr_image_fail(h->msgs,
				     "%s:%d: truncated record: %zu hex digits after S%c where a "
				     "record has at least 8 (count, address, checksum); the file was "
				     "cut short or damaged: rebuild it or copy it again",
				     src, l->no, digits, l->s[1]);
	need = 2 * (b[0] + 1u);
	if (digits < need)
		return sr_image_fail(h->msgs,
				     "%s:%d: truncated record: its count %u means %zu hex digits "
				     "after S%c, it has %zu; the file was cut short or damaged: "
				     "rebuild it or copy it again",
				     src, l->no, b[0], need, l->s[1], digits);
	if (digits > need)
		return sr_image_fail(h->msgs,
				     "%s:%d: %zu characters after the checksum (a record with count "
				     "%u has %zu hex digits after S%c); the file is damaged",
				     src, l->no, digits - need, b[0], need, l->s[1]);
	return b[0] + 1;
}

static int srec_checksum(struct srec *h, const uint8_t *b, int n)
{
	uint8_t sum = 0;
	for (int i = 0; i < n - 1; i++)
		sum = (uint8_t)(sum + b[i]);
	if ((uint8_t)(sum + b[n - 1]) == 0xFF) /* ones' complement */
		return SR_OK;
	return sr_image_fail(h->msgs,
			     "%s:%d: checksum error: the record ends with 0x%02X but its bytes "
			     "need 0x%02X; the file is damaged: rebuild it or copy it again",
			     h->img->source, h->l->no, b[n - 1], (uint8_t)(0xFF - sum));
}

static uint32_t be_value(const uint8_t *p, int n)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static int srec_count(struct srec *h, uint32_t said)
{
	if (said == h->data_records)
		return SR_OK;
	return sr_image_fail(h->msgs,
			     "%s:%d: the count record says %u data records came before it, but "
			     "the file has %u: records are missing or were added (cut short or "
			     "edited); rebuild the file or copy it again",
			     h->img->source, h->l->no, said, h->data_records);
}

/* One checked record of N bytes (count, address, data, checksum) in B. */
static int srec_record(struct srec *h, int type, const uint8_t *b, int n)
{
	int alen = srec_addr_len[type];
	uint32_t addr;
	if (alen == 0)
		return sr_image_fail(h->msgs,
				     "%s:%d: record type S4 is reserved and never written by "
				     "tools: the file is damaged or not an S-record file",
				     h->img->source, h->l->no);
	if (b[0] < alen + 1)
		return sr_image_fail(h->msgs,
				     "%s:%d: count %u is too small for an S%d record (%d address "
				     "bytes and a checksum): the file is damaged",
				     h->img->source, h->l->no, b[0], type, alen);
	addr = be_value(b + 1, alen);
	if (type >= 1 && type <= 3) {
		h->data_records++;
		if (sr_image_add(h->img, addr, b + 1 + alen, (size_t)(n - 2 - alen), h->l->no))
			return sr_image_fail(h->msgs,
					     "%s:%d: data at 0x%08X runs past the end of the "
					     "32-bit address space: the file is damaged",
					     h->img->source, h->l->no, addr);
		return SR_OK;
	}
	if (type == 5 || type == 6)
		return srec_count(h, addr);
	if (type >= 7) {
		h->img->entry = addr;
		h->img->has_entry = true;
		h->end_line = h->l->no;
	}
	return SR_OK; /* S0: header text, not programmed */
}

static int srec_line(void *ctx, const struct sr_textline *l)
{
	struct srec *h = ctx;
	uint8_t b[SREC_MAX_BYTES + 1] = {0};
	h->l = l;
	int n = srec_decode(h, b);
	if (n < 0)
		return n;
	int rc = srec_checksum(h, b, n);
	return rc == SR_OK ? srec_record(h, l->s[1] - '0', b, n) : rc;
}

static int srec_end_line(const void *ctx)
{
	return ((const struct srec *)ctx)->end_line;
}

static const struct sr_text_format srec_format = {
	.end_name = "termination record",
	.end_example = " (S7, S8 or S9)",
	.tool = "an S-record tool",
	.line = srec_line,
	.end_line = srec_end_line,
};

int sr_image_parse_srec(struct sr_image *img, const uint8_t *data, size_t len,
			struct sr_msgs *msgs)
{
	struct srec h = {.img = img, .msgs = msgs};
	return sr_text_records(img, data, len, msgs, &srec_format, &h);
}
