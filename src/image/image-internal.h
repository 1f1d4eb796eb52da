/* Shared by the image parsers; not for other modules. */
#ifndef SR_IMAGE_INTERNAL_H
#define SR_IMAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

/* Add MSG (printf) to MSGS and return SR_E_IMAGE. */
int sr_image_fail(struct sr_msgs *msgs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Append LEN bytes at ADDR, extending the last segment when they follow it. ORIGIN is
 * the line or program header. Returns SR_E_RANGE (no message) when the bytes run past
 * 4 GiB. Order and overlaps are sorted out by sr_image_finish().
 */
int sr_image_add(struct sr_image *img, uint64_t addr, const uint8_t *data, size_t len,
		 int origin);
/* Sort, merge adjacent segments, refuse overlaps (naming both origins). */
int sr_image_finish(struct sr_image *img, struct sr_msgs *msgs);

/* The parsers: fill IMG (format and source already set) or fail with one message. */
int sr_image_parse_bin(struct sr_image *img, const uint8_t *data, size_t len, uint32_t base,
		       struct sr_msgs *msgs);
int sr_image_parse_ihex(struct sr_image *img, const uint8_t *data, size_t len,
			struct sr_msgs *msgs);
int sr_image_parse_srec(struct sr_image *img, const uint8_t *data, size_t len,
			struct sr_msgs *msgs);
int sr_image_parse_elf(struct sr_image *img, const uint8_t *data, size_t len,
		       struct sr_msgs *msgs);

/* Text records (HEX, S-record): one line at a time, with its number. */
struct sr_textline {
	const char *s; /* without the line end and trailing white space */
	size_t len;
	int no; /* 1-based */
};

struct sr_textreader {
	const char *p, *end;
	int no;
};

void sr_text_init(struct sr_textreader *r, const uint8_t *data, size_t len);
bool sr_text_next(struct sr_textreader *r, struct sr_textline *l);

/* What a text record format gives the shared line loop (sr_text_records). */
struct sr_text_format {
	const char *end_name;    /* "end-of-file record" */
	const char *end_example; /* " (:00000001FF)", " (S7, S8 or S9)" */
	const char *tool;        /* "a HEX tool" */
	/* Decode, check and record line L; SR_OK or an error already explained. */
	int (*line)(void *ctx, const struct sr_textline *l);
	/* The line of the end record seen so far, 0: none yet. */
	int (*end_line)(const void *ctx);
};

/* Every non-blank line of DATA through F->line; refuses a record after the end record
 * and a file without one, naming the lines. */
int sr_text_records(struct sr_image *img, const uint8_t *data, size_t len,
		    struct sr_msgs *msgs, const struct sr_text_format *f, void *ctx);

/*
 * Check that the LEN characters at S are all hex digits and decode the first pairs into
 * OUT, at most MAX bytes. Returns the bytes decoded, or -1 with *BAD set to the index of
 * the first character that is not a hex digit.
 */
int sr_hex_decode(const char *s, size_t len, uint8_t *out, size_t max, size_t *bad);
/* "'g'" or "byte 0x00" for a character in a message. */
void sr_char_describe(char c, char *buf, size_t len);

#endif
