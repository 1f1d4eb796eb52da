/* Pre-flight findings against the real chip database (STM32L476RC, STM32H743), and the
 * programming plan. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "common/error.h"
#include "db/family.h"
#include "image/image-internal.h"
#include "image/preflight.h"
#include "ob/ob.h"

static struct sr_db *db;

struct chip {
	const struct sr_device *dev;
	struct sr_ob_values v;
	struct sr_flash_map map;
};

static void chip_open(struct chip *c, const char *part, uint32_t kib)
{
	c->dev = sr_db_device_lookup(db, part);
	assert_non_null(c->dev);
	sr_ob_values_init(&c->v, c->dev->family->ob);
	assert_int_equal(sr_flash_map_build(c->dev, kib, sr_ob_values_lookup, &c->v, &c->map), 0);
}

static void chip_close(struct chip *c)
{
	sr_flash_map_free(&c->map);
	sr_ob_values_free(&c->v);
}

static void img_init(struct sr_image *img)
{
	memset(img, 0, sizeof(*img));
	img->format = SR_IMAGE_IHEX;
	img->source = strdup("t.hex");
}

/* N bytes at ADDR: BYTE, or a counting pattern when BYTE < 0; from "line" ORIGIN. */
static void img_add(struct sr_image *img, uint32_t addr, uint32_t n, int byte)
{
	uint8_t *d = malloc(n);
	for (uint32_t i = 0; i < n; i++)
		d[i] = byte < 0 ? (uint8_t)i : (uint8_t)byte;
	assert_int_equal(sr_image_add(img, addr, d, n, img->n_seg + 1), SR_OK);
	free(d);
}

/* A vector table SP, PC at ADDR, and 8 more bytes. */
static void img_vectors(struct sr_image *img, uint32_t addr, uint32_t sp, uint32_t pc)
{
	uint8_t v[16];
	memset(v, 0xA5, sizeof(v));
	for (int i = 0; i < 4; i++) {
		v[i] = (uint8_t)(sp >> (8 * i));
		v[4 + i] = (uint8_t)(pc >> (8 * i));
	}
	assert_int_equal(sr_image_add(img, addr, v, sizeof(v), img->n_seg + 1), SR_OK);
}

static void run(struct chip *c, struct sr_image *img, const bool *wrp, bool skip,
		struct sr_findings *f)
{
	struct sr_preflight_in in = {.img = img, .dev = c->dev, .map = &c->map, .wrp = wrp,
				     .skip_outside = skip};
	struct sr_msgs m = {0};
	assert_int_equal(sr_image_finish(img, &m), SR_OK);
	memset(f, 0, sizeof(*f));
	assert_int_equal(sr_preflight(&in, f), SR_OK);
}

/* A finding with ID and SEV whose message holds A and B. */
static void expect(const struct sr_findings *f, const char *id, enum sr_severity sev,
		   const char *a, const char *b)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->v[i].id, id) == 0 && f->v[i].sev == sev && strstr(f->v[i].msg, a) &&
		    (!b || strstr(f->v[i].msg, b)))
			return;
	for (int i = 0; i < f->n; i++)
		fprintf(stderr, "  %s %s: %s\n", sr_severity_name(f->v[i].sev), f->v[i].id,
			f->v[i].msg);
	fail_msg("no %s %s finding with '%s' and '%s'", sr_severity_name(sev), id, a, b ? b : "");
}

static void load_fixture(const char *name, struct sr_image *img)
{
	char path[512];
	struct sr_msgs m = {0};
	snprintf(path, sizeof(path), "%s/tests/data/image/%s", tu_datadir(), name);
	assert_int_equal(sr_image_load(path, NULL, img, &m), SR_OK);
}

/* DIAGNOSES.md 1: the STM32L476RC field report's image, sections not 8-byte aligned. */
static void test_l476_unaligned_sections(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_findings f;
	struct sr_plan plan;
	chip_open(&c, "0x415", 256);
	load_fixture("unaligned.elf", &img);
	run(&c, &img, NULL, false, &f);
	expect(&f, "unaligned-section", SR_SEV_WARNING, "section .data at 0x08000021",
	       "start and size is not a multiple of the STM32L4 programming unit (8 bytes)");
	expect(&f, "unaligned-section", SR_SEV_WARNING, "section .rodata at 0x08000018", "size");
	expect(&f, "erase", SR_SEV_INFO, "bank 1 sector 0 (0x08000000-0x080007FF, 2 KiB)", NULL);
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x08000025-0x080007FF", "2011 bytes");
	expect(&f, "reset-vector", SR_SEV_INFO, "0x20018000", "0x08000009");
	assert_int_equal(sr_findings_count(&f, SR_SEV_ERROR), 0);
	sr_findings_free(&f);
	/* the plan writes the shared double word at 0x08000020 once, padded */
	assert_int_equal(sr_plan_build(&img, &c.map, 8, 0xFF, &plan), SR_OK);
	assert_int_equal(plan.n, 1);
	assert_int_equal(plan.v[0].n_runs, 1);
	assert_int_equal(plan.v[0].runs[0].off, 0);
	assert_int_equal(plan.v[0].runs[0].len, 0x28);
	assert_int_equal(plan.v[0].data[0x20], 'e');
	assert_int_equal(plan.v[0].data[0x21], 0x44);
	assert_int_equal(plan.v[0].data[0x25], 0xFF);
	assert_int_equal(plan.write_bytes, 0x28);
	sr_plan_free(&plan);
	sr_image_free(&img);
	load_fixture("aligned.elf", &img);
	run(&c, &img, NULL, false, &f);
	assert_null(sr_findings_find(&f, "unaligned-section"));
	sr_findings_free(&f);
	sr_image_free(&img);
	chip_close(&c);
}

static void test_outside_flash(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_findings f;
	chip_open(&c, "0x415", 256);
	img_init(&img);
	img_vectors(&img, 0x08000000, 0x20018000, 0x08000009);
	img_add(&img, 0x20000000, 16, 1);
	img_add(&img, 0x1FFF7000, 8, 2);
	img_add(&img, 0x1FFF7800, 8, 3);
	img_add(&img, 0x00000000, 4, 4);
	img_add(&img, 0x60000000, 4, 5);
	run(&c, &img, NULL, false, &f);
	expect(&f, "outside-flash", SR_SEV_ERROR, "0x20000000-0x2000000F (16 bytes, line 2)",
	       "RAM contents (SRAM1)");
	expect(&f, "outside-flash", SR_SEV_ERROR, "0x1FFF7000", "OTP");
	expect(&f, "outside-flash", SR_SEV_ERROR, "0x1FFF7800", "option bytes");
	expect(&f, "outside-flash", SR_SEV_ERROR, "0x00000000", "boot alias");
	expect(&f, "outside-flash", SR_SEV_ERROR, "0x60000000", "no memory of the STM32L4");
	assert_int_equal(sr_findings_count(&f, SR_SEV_ERROR), 5);
	sr_findings_free(&f);
	run(&c, &img, NULL, true, &f);
	expect(&f, "outside-flash", SR_SEV_INFO, "0x20000000", "skipped");
	assert_int_equal(sr_findings_count(&f, SR_SEV_ERROR), 0);
	sr_findings_free(&f);
	sr_image_free(&img);
	chip_close(&c);
}

/* An image for the 1 MB part (VG) on the 256 KB part (RC). */
static void test_too_big(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_findings f;
	chip_open(&c, "0x415", 256);
	img_init(&img);
	img_vectors(&img, 0x08000000, 0x20018000, 0x08000009);
	img_add(&img, 0x08000010, 300 * 1024 - 16, -1);
	run(&c, &img, NULL, false, &f);
	expect(&f, "too-big", SR_SEV_ERROR, "up to 0x0804AFFF (300 KiB from 0x08000000)",
	       "has 256 KiB of flash");
	assert_null(sr_findings_find(&f, "outside-flash"));
	sr_findings_free(&f);
	sr_image_free(&img);
	chip_close(&c);
}

static void test_wrp_banks_gaps(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_findings f;
	bool *wrp;
	chip_open(&c, "0x415", 256);
	wrp = calloc((size_t)c.map.n_sect, sizeof(bool));
	wrp[1] = wrp[2] = true;
	img_init(&img);
	img_vectors(&img, 0x08000000, 0x20018000, 0x08000009);
	img_add(&img, 0x080008F0, 0x810, -1);  /* sectors 1-2, gap across 0 and 1 */
	img_add(&img, 0x0801FFF8, 16, -1);     /* bank 1 sector 63 and bank 2 sector 0 */
	run(&c, &img, wrp, false, &f);
	expect(&f, "wrp-in-way", SR_SEV_ERROR,
	       "bank 1 sectors 1-2 (0x08000800-0x080017FF, 4 KiB) are write-protected", NULL);
	expect(&f, "erase", SR_SEV_INFO, "bank 1 sectors 0-2", NULL);
	expect(&f, "erase", SR_SEV_INFO, "bank 1 sector 63 ", NULL);
	expect(&f, "erase", SR_SEV_INFO, "bank 2 sector 0 (0x08020000-0x080207FF", NULL);
	expect(&f, "crosses-bank", SR_SEV_INFO, "both banks", NULL);
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x08000010-0x080008EF", "bank 1 sector 0");
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x08001100-0x080017FF", NULL);
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x0801F800-0x0801FFF7", NULL);
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x08020008-0x080207FF", NULL);
	assert_int_equal(sr_findings_count(&f, SR_SEV_WARNING), 4);
	sr_findings_free(&f);
	sr_image_free(&img);
	free(wrp);
	chip_close(&c);
}

/* One vector table at AT: the finding ID with SEV and text A. */
static void vector_case(struct chip *c, uint32_t at, uint32_t sp, uint32_t pc, const char *id,
			enum sr_severity sev, const char *a)
{
	struct sr_image img;
	struct sr_findings f;
	img_init(&img);
	img_vectors(&img, at, sp, pc);
	run(c, &img, NULL, false, &f);
	expect(&f, id, sev, a, NULL);
	sr_findings_free(&f);
	sr_image_free(&img);
}

static void test_reset_vector(void **state)
{
	struct chip c;
	chip_open(&c, "0x415", 256);
	vector_case(&c, 0x08000000, 0x30000000, 0x08000009, "reset-vector-sp", SR_SEV_ERROR,
		    "SRAM1 0x20000000-0x20017FFF, SRAM2 0x20018000-0x2001FFFF");
	vector_case(&c, 0x08000000, 0x20018000, 0x08000008, "reset-vector-pc", SR_SEV_ERROR,
		    "0x08000008 (word 1 of the vector table at 0x08000000) has bit 0 clear");
	vector_case(&c, 0x08000000, 0x20018000, 0x00001001, "reset-vector-pc", SR_SEV_ERROR,
		    "is not in the flash");
	vector_case(&c, 0x08000000, 0x20018000, 0x08001001, "reset-vector-pc", SR_SEV_WARNING,
		    "not in the image");
	vector_case(&c, 0x08000000, 0xFFFFFFFF, 0xFFFFFFFF, "reset-vector-sp", SR_SEV_ERROR,
		    "blank");
	vector_case(&c, 0x08004000, 0x10000000, 0x08004009, "reset-vector-sp", SR_SEV_WARNING,
		    "not the start of flash");
	vector_case(&c, 0x08000000, 0x20020000, 0x08000009, "reset-vector", SR_SEV_INFO,
		    "0x20020000");
	chip_close(&c);
}

/* STM32H743: a stack in D2 SRAM1, which is clocked off after reset (RM0433 8.7.42). */
static void test_h7_stack_needs_clock(void **state)
{
	struct chip c;
	chip_open(&c, "0x450", 2048);
	vector_case(&c, 0x08000000, 0x30020000, 0x08000009, "reset-vector-sp", SR_SEV_WARNING,
		    "SRAM1, which is off after reset until bit 29 of 0x580244DC is set");
	vector_case(&c, 0x08000000, 0x24080000, 0x08000009, "reset-vector", SR_SEV_INFO, "RAM");
	chip_close(&c);
}

static void test_plan(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_plan p;
	const struct sr_plan_sector *s;
	chip_open(&c, "0x415", 256);
	img_init(&img);
	img_add(&img, 0x08000000, 5, 0x01);
	img_add(&img, 0x08000006, 4, 0x11); /* shares the first double word */
	img_add(&img, 0x08000100, 3, 0x22);
	img_add(&img, 0x08002000, 2, 0x33); /* sector 4 */
	img_add(&img, 0x30000000, 2, 0x44); /* outside flash: not planned */
	assert_int_equal(sr_image_finish(&img, &(struct sr_msgs){0}), SR_OK);
	assert_int_equal(sr_plan_build(&img, &c.map, 3, 0xFF, &p), SR_E_ARG);
	assert_int_equal(sr_plan_build(&img, &c.map, 4096, 0xFF, &p), SR_E_ARG);
	assert_int_equal(sr_plan_build(&img, &c.map, 8, 0xFF, &p), SR_OK);
	assert_int_equal(p.n, 2);
	s = &p.v[0];
	assert_int_equal(s->sect->index, 0);
	assert_int_equal(s->n_runs, 2);
	assert_int_equal(s->runs[0].off, 0);
	assert_int_equal(s->runs[0].len, 16);
	assert_int_equal(s->runs[1].off, 0x100);
	assert_int_equal(s->runs[1].len, 8);
	assert_memory_equal(s->data, "\x01\x01\x01\x01\x01\xFF\x11\x11\x11\x11\xFF\xFF", 12);
	assert_int_equal(s->data[0x103], 0xFF);
	assert_int_equal(p.v[1].sect->index, 4);
	assert_int_equal(p.v[1].runs[0].len, 8);
	assert_int_equal(p.write_bytes, 32);
	sr_plan_free(&p);
	sr_image_free(&img);
	chip_close(&c);
	/* STM32F446: 4 bytes across the 16K sector 0 / sector 1 boundary, x32 units */
	chip_open(&c, "0x421", 512);
	img_init(&img);
	img_add(&img, 0x08003FFE, 4, -1);
	assert_int_equal(sr_plan_build(&img, &c.map, 4, 0xFF, &p), SR_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].runs[0].off, 0x3FFC);
	assert_memory_equal(p.v[0].data + 0x3FFC, "\xFF\xFF\x00\x01", 4);
	assert_int_equal(p.v[1].sect->index, 1);
	assert_memory_equal(p.v[1].data, "\x02\x03\xFF\xFF", 4);
	sr_plan_free(&p);
	sr_image_free(&img);
	chip_close(&c);
}

static int setup(void **state)
{
	struct sr_msgs m = {0};
	int rc = sr_db_load(tu_datadir(), &db, &m);
	sr_msgs_free(&m);
	return rc;
}

static int teardown(void **state)
{
	sr_db_free(db);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_l476_unaligned_sections),
	    cmocka_unit_test(test_outside_flash),
	    cmocka_unit_test(test_too_big),
	    cmocka_unit_test(test_wrp_banks_gaps),
	    cmocka_unit_test(test_reset_vector),
	    cmocka_unit_test(test_h7_stack_needs_clock),
	    cmocka_unit_test(test_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
