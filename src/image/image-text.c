/* Lines and hex digits of the text record formats (Intel HEX, S-record). */
#include "config.h"

#include <stdio.h>

#include "common/error.h"

#include "image/image-internal.h"

void sr_text_init(struct sr_textreader *r, const uint8_t *data, size_t len)
{
	r->p = (const char *)data;
	r->end = r->p + len;
	r->no = 0;
}

bool sr_text_next(struct sr_textreader *r, struct sr_textline *l)
{
	const char *s = r->p, *e;
	if (r->p >= r->end)
		return false;
	while (r->p < r->end && *r->p != '\n')
		r->p++;
	e = r->p;
	if (r->p < r->end)
		r->p++; /* the '\n' */
	while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	l->s = s;
	l->len = (size_t)(e - s);
	l->no = ++r->no;
	return true;
}

int sr_text_records(struct sr_image *img, const uint8_t *data, size_t len,
		    struct sr_msgs *msgs, const struct sr_text_format *f, void *ctx)
{
	struct sr_textreader r;
	struct sr_textline l;
	int last = 0;
	sr_text_init(&r, data, len);
	while (sr_text_next(&r, &l)) {
		if (l.len == 0)
			continue;
		int end = f->end_line(ctx);
		if (end)
			return sr_image_fail(msgs,
					     "%s:%d: a record after the %s of line %d: two files "
					     "joined together? Merge them with %s, or remove the "
					     "lines after line %d",
					     img->source, l.no, f->end_name, end, f->tool, end);
		int rc = f->line(ctx, &l);
		if (rc != SR_OK)
			return rc;
		last = l.no;
	}
	if (!f->end_line(ctx))
		return sr_image_fail(msgs,
				     "%s: no %s%s after line %d: the file was cut short (an "
				     "interrupted build or copy); rebuild it or copy it again",
				     img->source, f->end_name, f->end_example, last);
	return SR_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int sr_hex_decode(const char *s, size_t len, uint8_t *out, size_t max, size_t *bad)
{
	size_t n = len / 2 < max ? len / 2 : max;
	for (size_t i = 0; i < len; i++)
		if (hexval(s[i]) < 0) {
			*bad = i;
			return -1;
		}
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
	return (int)n;
}

void sr_char_describe(char c, char *buf, size_t len)
{
	unsigned char u = (unsigned char)c;
	if (u >= 0x21 && u < 0x7F)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02X", u);
}
