/* Image readers: Intel HEX, S-record and binary parse right, and every malformed input is
 * refused with its line. ELF: test-image-elf.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "common/error.h"
#include "image/image.h"

/* One Intel HEX record with a correct checksum, appended to OUT. */
static void ihex(char *out, unsigned type, unsigned addr, const char *hexdata)
{
	unsigned n = (unsigned)strlen(hexdata) / 2, sum = n + (addr >> 8) + (addr & 0xFF) + type;
	for (unsigned i = 0; i < n; i++) {
		unsigned b;
		sscanf(hexdata + 2 * i, "%2x", &b);
		sum += b;
	}
	sprintf(out + strlen(out), ":%02X%04X%02X%s%02X\n", n, addr, type, hexdata,
		(0x100 - (sum & 0xFF)) & 0xFF);
}

/* One S-record of TYPE with an ALEN-byte address, appended to OUT. */
static void srec(char *out, unsigned type, unsigned alen, unsigned addr, const char *hexdata)
{
	unsigned n = (unsigned)strlen(hexdata) / 2, count = alen + n + 1, sum = count;
	sprintf(out + strlen(out), "S%u%02X%0*X%s", type, count, (int)(2 * alen), addr, hexdata);
	for (unsigned i = 0; i < alen; i++)
		sum += (addr >> (8 * i)) & 0xFF;
	for (unsigned i = 0; i < n; i++) {
		unsigned b;
		sscanf(hexdata + 2 * i, "%2x", &b);
		sum += b;
	}
	sprintf(out + strlen(out), "%02X\n", ~sum & 0xFF);
}

static int parse(const char *name, const char *text, struct sr_image *img, struct sr_msgs *m)
{
	return sr_image_parse(name, (const uint8_t *)text, strlen(text), NULL, img, m);
}

/* TEXT is refused with a message holding every one of the given substrings. */
static void refused(const char *name, const char *text, const char *a, const char *b)
{
	struct sr_image img;
	struct sr_msgs m = {0};
	assert_int_equal(parse(name, text, &img, &m), SR_E_IMAGE);
	assert_int_equal(m.n, 1);
	if (!tu_msgs_have(&m, a, b, NULL)) {
		tu_msgs_print(&m);
		fail_msg("expected '%s' and '%s'", a, b);
	}
	assert_int_equal(img.n_seg, 0);
	sr_msgs_free(&m);
}

static void test_detect(void **state)
{
	assert_int_equal(sr_image_detect((const uint8_t *)"\x7f" "ELF\1\1", 6), SR_IMAGE_ELF);
	assert_int_equal(sr_image_detect((const uint8_t *)"\r\n :10000000", 12), SR_IMAGE_IHEX);
	assert_int_equal(sr_image_detect((const uint8_t *)"S00F0000", 8), SR_IMAGE_SREC);
	/* a binary that happens to start with ':' or 'S' followed by non-hex */
	assert_int_equal(sr_image_detect((const uint8_t *)":\x80\x01\x20", 4), SR_IMAGE_BIN);
	assert_int_equal(sr_image_detect((const uint8_t *)"S1\xff\x20", 4), SR_IMAGE_BIN);
	assert_int_equal(sr_image_detect((const uint8_t *)"\x00\x80\x01\x20", 4), SR_IMAGE_BIN);
}

static void test_ihex_parses(void **state)
{
	char t[1024] = "";
	struct sr_image img;
	struct sr_msgs m = {0};
	ihex(t, 4, 0, "0800");
	ihex(t, 0, 0x0000, "00800120");
	ihex(t, 0, 0x0004, "09000008"); /* follows the first: one segment */
	ihex(t, 0, 0x0100, "AABB");
	ihex(t, 2, 0, "1000"); /* segment 0x1000 -> 0x10000, wraps within 64 KiB */
	ihex(t, 0, 0xFFFF, "C1C2");
	ihex(t, 5, 0, "08000009");
	ihex(t, 1, 0, "");
	assert_int_equal(parse("fw.hex", t, &img, &m), SR_OK);
	assert_int_equal(img.format, SR_IMAGE_IHEX);
	assert_int_equal(img.n_seg, 4);
	assert_int_equal(img.seg[0].addr, 0x00010000); /* the wrapped byte C2 */
	assert_int_equal(img.seg[0].data[0], 0xC2);
	assert_int_equal(img.seg[1].addr, 0x0001FFFF);
	assert_int_equal(img.seg[2].addr, 0x08000000);
	assert_int_equal(img.seg[2].size, 8);
	assert_int_equal(img.seg[2].first, 2);
	assert_int_equal(img.seg[2].last, 3);
	assert_int_equal(img.seg[2].data[7], 0x08);
	assert_int_equal(img.seg[3].addr, 0x08000100);
	assert_true(img.has_entry);
	assert_int_equal(img.entry, 0x08000009);
	sr_image_free(&img);
	/* a start segment address record (CS:IP) and blank lines */
	t[0] = '\0';
	ihex(t, 0, 0x0000, "01");
	strcat(t, "\r\n\n");
	ihex(t, 3, 0, "12340010");
	ihex(t, 1, 0, "");
	assert_int_equal(parse("fw.hex", t, &img, &m), SR_OK);
	assert_int_equal(img.entry, 0x12340 + 0x10);
	sr_image_free(&img);
	assert_int_equal(m.n, 0);
}

static void test_ihex_refused(void **state)
{
	char t[1024] = "", u[1024];
	ihex(t, 0, 0, "00800120");
	strcpy(u, t);
	ihex(u, 0, 4, "0900");
	u[strlen(u) - 2] = 'F'; /* checksum of line 2 */
	refused("a.hex", u, "a.hex:2:", "checksum");
	strcpy(u, t);
	strcat(u, ":02000400G800F2\n");
	refused("a.hex", u, "a.hex:2: column 10: 'G'", "not a hex digit");
	strcpy(u, t);
	strcat(u, ":10000000AABB\n");
	refused("a.hex", u, "a.hex:2: truncated record", "announces 16 data bytes");
	refused("a.hex", ":0000\n", "a.hex:1: truncated record", "at least 10");
	strcpy(u, t);
	strcat(u, ":00000001FF00\n");
	refused("a.hex", u, "a.hex:2: 2 characters after the checksum", NULL);
	refused("a.hex", t, "a.hex: no end-of-file record", "after line 1");
	strcpy(u, t);
	ihex(u, 1, 0, "");
	ihex(u, 0, 8, "01");
	refused("a.hex", u, "a.hex:3: a record after the end-of-file record of line 2", NULL);
	strcpy(u, t);
	ihex(u, 6, 0, "00");
	refused("a.hex", u, "a.hex:2: unknown record type 06", NULL);
	strcpy(u, t);
	ihex(u, 4, 0, "080000");
	refused("a.hex", u, "a.hex:2: a type 04 record holds 2 data bytes, this one 3", NULL);
	strcpy(u, t);
	strcat(u, "; a comment\n");
	refused("a.hex", u, "a.hex:2: a record starts with ':'", "';'");
	strcpy(u, t);
	ihex(u, 0, 2, "FFFF");
	ihex(u, 1, 0, "");
	refused("a.hex", u, "bytes 0x00000002-0x00000003 are given twice", "line 1 and by line 2");
	/* out of order: lines 1 and 3 join, then line 4 overlaps them (found by fuzzing:
	 * the merge freed segments that the overlap error path freed again) */
	u[0] = '\0';
	ihex(u, 0, 0x00, "00010203");
	ihex(u, 0, 0x10, "10111213");
	ihex(u, 0, 0x04, "04050607");
	ihex(u, 0, 0x06, "FF");
	ihex(u, 1, 0, "");
	refused("a.hex", u, "bytes 0x00000006-0x00000006 are given twice", "line 3 and by line 4");
}

static void test_srec_parses(void **state)
{
	char t[1024] = "";
	struct sr_image img;
	struct sr_msgs m = {0};
	srec(t, 0, 2, 0, "6877"); /* header "hw" */
	srec(t, 1, 2, 0x1000, "0102");
	srec(t, 2, 3, 0x020000, "03");
	srec(t, 3, 4, 0x08000000, "00800120");
	srec(t, 3, 4, 0x08000004, "09000008");
	srec(t, 5, 2, 4, "");
	srec(t, 7, 4, 0x08000009, "");
	assert_int_equal(parse("fw.s19", t, &img, &m), SR_OK);
	assert_int_equal(img.format, SR_IMAGE_SREC);
	assert_int_equal(img.n_seg, 3);
	assert_int_equal(img.seg[0].addr, 0x1000);
	assert_int_equal(img.seg[1].addr, 0x20000);
	assert_int_equal(img.seg[2].addr, 0x08000000);
	assert_int_equal(img.seg[2].size, 8);
	assert_int_equal(img.entry, 0x08000009);
	sr_image_free(&img);
	t[0] = '\0';
	srec(t, 1, 2, 0, "AA");
	srec(t, 9, 2, 0x0100, ""); /* 16-bit start address */
	assert_int_equal(parse("fw.s19", t, &img, &m), SR_OK);
	assert_int_equal(img.entry, 0x100);
	sr_image_free(&img);
	assert_int_equal(m.n, 0);
}

static void test_srec_refused(void **state)
{
	char t[1024] = "", u[1024];
	srec(t, 3, 4, 0x08000000, "00800120");
	strcpy(u, t);
	srec(u, 9, 2, 0, "");
	u[strlen(u) - 2] = '0';
	refused("b.srec", u, "b.srec:2:", "checksum");
	strcpy(u, t);
	strcat(u, "S1050000zz00\n");
	refused("b.srec", u, "b.srec:2: column 9: 'z'", "not a hex digit");
	strcpy(u, t);
	strcat(u, "S1130000AABB\n");
	refused("b.srec", u, "b.srec:2: truncated record", "count 19");
	refused("b.srec", "S10300\n", "b.srec:1: truncated record", "at least 8");
	strcpy(u, t);
	srec(u, 5, 2, 3, "");
	refused("b.srec", u, "b.srec:2: the count record says 3 data records", "the file has 1");
	strcpy(u, t);
	srec(u, 4, 2, 0, "");
	refused("b.srec", u, "b.srec:2: record type S4 is reserved", NULL);
	refused("b.srec", t, "b.srec: no termination record", "after line 1");
	strcpy(u, t);
	srec(u, 7, 4, 0, "");
	srec(u, 1, 2, 0, "00");
	refused("b.srec", u, "b.srec:3: a record after the termination record of line 2", NULL);
	strcpy(u, t);
	strcat(u, "Sx0300FC\n");
	refused("b.srec", u, "b.srec:2: an S-record starts with 'S' and a type digit", "'x'");
	strcpy(u, t);
	strcat(u, "S3030000FC\n");
	refused("b.srec", u, "b.srec:2: count 3 is too small for an S3 record", NULL);
}

static void test_binary(void **state)
{
	static const uint8_t bin[] = {0x00, 0x80, 0x01, 0x20, 0x09};
	struct sr_image_opts o = {.format = SR_IMAGE_AUTO};
	struct sr_image img;
	struct sr_msgs m = {0};
	assert_int_equal(sr_image_parse("fw.bin", bin, sizeof(bin), &o, &img, &m), SR_E_IMAGE);
	assert_true(tu_msgs_have(&m, "fw.bin: not an ELF, Intel HEX or S-record file",
				 "give the address", NULL));
	o.format = SR_IMAGE_BIN;
	assert_int_equal(sr_image_parse("fw.bin", bin, sizeof(bin), &o, &img, &m), SR_E_IMAGE);
	assert_true(tu_msgs_have(&m, "fw.bin: a raw binary holds no address", NULL));
	o.has_base = true;
	o.base = 0xFFFFFFFE;
	assert_int_equal(sr_image_parse("fw.bin", bin, sizeof(bin), &o, &img, &m), SR_E_IMAGE);
	assert_true(tu_msgs_have(&m, "fw.bin: 5 bytes at 0xFFFFFFFE", "address space", NULL));
	o.base = 0x08000000;
	assert_int_equal(sr_image_parse("fw.bin", bin, 0, &o, &img, &m), SR_E_IMAGE);
	assert_true(tu_msgs_have(&m, "fw.bin: the file is empty", NULL));
	assert_int_equal(sr_image_parse("fw.bin", bin, sizeof(bin), &o, &img, &m), SR_OK);
	assert_int_equal(img.n_seg, 1);
	assert_int_equal(img.seg[0].addr, 0x08000000);
	assert_int_equal(img.seg[0].size, 5);
	sr_image_free(&img);
	sr_msgs_free(&m);
}

static void test_missing_file(void **state)
{
	struct sr_image img;
	struct sr_msgs m = {0};
	assert_int_equal(sr_image_load("/nonexistent/fw.hex", NULL, &img, &m), SR_E_IO);
	assert_true(tu_msgs_have(&m, "/nonexistent/fw.hex: cannot open", NULL));
	sr_msgs_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_detect),	 cmocka_unit_test(test_ihex_parses),
	    cmocka_unit_test(test_ihex_refused), cmocka_unit_test(test_srec_parses),
	    cmocka_unit_test(test_srec_refused), cmocka_unit_test(test_binary),
	    cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
