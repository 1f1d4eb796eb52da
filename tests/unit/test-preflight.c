/* Pre-flight findings against the real chip database (STM32L476RC, STM32H743). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgtest.h"

#include "common/error.h"
#include "image/image-internal.h"
#include "image/preflight.h"

static void run(struct chip *c, struct sr_image *img, const uint8_t *prot, bool skip,
		struct sr_findings *f)
{
	struct sr_preflight_in in = {.img = img, .dev = c->dev, .map = &c->map, .prot = prot,
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

/* DIAGNOSES.md 1: the STM32L476RC field report's image, sections not 8-byte aligned. */
static void test_l476_unaligned_sections(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_findings f;
	struct sr_plan plan;
	it_chip_open(&c, "0x415", 256);
	it_load_fixture("unaligned.elf", &img);
	run(&c, &img, NULL, false, &f);
	expect(&f, "unaligned-section", SR_SEV_WARNING, "section .data at 0x08000021",
	       "start and size is not a multiple of the STM32L4 programming unit (8 bytes)");
	expect(&f, "unaligned-section", SR_SEV_WARNING, "section .rodata at 0x08000018", "size");
	expect(&f, "erase", SR_SEV_INFO, "bank 1 page 0 (0x08000000-0x080007FF, 2 KiB)", NULL);
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
	it_load_fixture("aligned.elf", &img);
	run(&c, &img, NULL, false, &f);
	assert_null(sr_findings_find(&f, "unaligned-section"));
	sr_findings_free(&f);
	sr_image_free(&img);
	it_chip_close(&c);
}

static void test_outside_flash(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_findings f;
	it_chip_open(&c, "0x415", 256);
	it_img_init(&img);
	it_img_vectors(&img, 0x08000000, 0x20018000, 0x08000009);
	it_img_add(&img, 0x20000000, 16, 1);
	it_img_add(&img, 0x1FFF7000, 8, 2);
	it_img_add(&img, 0x1FFF7800, 8, 3);
	it_img_add(&img, 0x00000000, 4, 4);
	it_img_add(&img, 0x60000000, 4, 5);
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
	it_chip_close(&c);
}

/* An image for the 1 MB part (VG) on the 256 KB part (RC). */
static void test_too_big(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_findings f;
	it_chip_open(&c, "0x415", 256);
	it_img_init(&img);
	it_img_vectors(&img, 0x08000000, 0x20018000, 0x08000009);
	it_img_add(&img, 0x08000010, 300 * 1024 - 16, -1);
	run(&c, &img, NULL, false, &f);
	expect(&f, "too-big", SR_SEV_ERROR, "up to 0x0804AFFF (300 KiB from 0x08000000)",
	       "has 256 KiB of flash");
	assert_null(sr_findings_find(&f, "outside-flash"));
	sr_findings_free(&f);
	sr_image_free(&img);
	it_chip_close(&c);
}

static void test_wrp_banks_gaps(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_findings f;
	uint8_t *wrp;
	it_chip_open(&c, "0x415", 256);
	wrp = calloc((size_t)c.map.n_sect, 1);
	wrp[1] = wrp[2] = SR_PROT_WRP;
	it_img_init(&img);
	it_img_vectors(&img, 0x08000000, 0x20018000, 0x08000009);
	it_img_add(&img, 0x080008F0, 0x810, -1);  /* sectors 1-2, gap across 0 and 1 */
	it_img_add(&img, 0x0801FFF8, 16, -1);     /* bank 1 sector 63 and bank 2 sector 0 */
	run(&c, &img, wrp, false, &f);
	expect(&f, "wrp-in-way", SR_SEV_ERROR,
	       "bank 1 pages 1-2 (0x08000800-0x080017FF, 4 KiB) are write-protected", NULL);
	expect(&f, "erase", SR_SEV_INFO, "bank 1 pages 0-2", NULL);
	expect(&f, "erase", SR_SEV_INFO, "bank 1 page 63 ", NULL);
	expect(&f, "erase", SR_SEV_INFO, "bank 2 page 0 (0x08020000-0x080207FF", NULL);
	expect(&f, "crosses-bank", SR_SEV_INFO, "both banks", NULL);
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x08000010-0x080008EF", "bank 1 page 0");
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x08001100-0x080017FF", NULL);
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x0801F800-0x0801FFF7", NULL);
	expect(&f, "erase-uncovered", SR_SEV_WARNING, "0x08020008-0x080207FF", NULL);
	assert_int_equal(sr_findings_count(&f, SR_SEV_WARNING), 4);
	sr_findings_free(&f);
	sr_image_free(&img);
	free(wrp);
	it_chip_close(&c);
}

/* One vector table at AT: the finding ID with SEV and text A. */
static void vector_case(struct chip *c, uint32_t at, uint32_t sp, uint32_t pc, const char *id,
			enum sr_severity sev, const char *a)
{
	struct sr_image img;
	struct sr_findings f;
	it_img_init(&img);
	it_img_vectors(&img, at, sp, pc);
	run(c, &img, NULL, false, &f);
	expect(&f, id, sev, a, NULL);
	sr_findings_free(&f);
	sr_image_free(&img);
}

static void test_reset_vector(void **state)
{
	struct chip c;
	it_chip_open(&c, "0x415", 256);
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
	it_chip_close(&c);
}

/* STM32H743: a stack in D2 SRAM1, which is clocked off after reset (RM0433 8.7.42). */
static void test_h7_stack_needs_clock(void **state)
{
	struct chip c;
	it_chip_open(&c, "0x450", 2048);
	vector_case(&c, 0x08000000, 0x30020000, 0x08000009, "reset-vector-sp", SR_SEV_WARNING,
		    "SRAM1, which is off after reset until bit 29 of 0x580244DC is set");
	vector_case(&c, 0x08000000, 0x24080000, 0x08000009, "reset-vector", SR_SEV_INFO, "RAM");
	it_chip_close(&c);
}

/* STM32F103x8/xB (DEV_ID 0x410): 10 KiB of SRAM on every part with the ID, 20 KiB on the
 * F103 (DS5319 table 2, families/ upto=): a stack at the F103's top is a warning. */
static void test_f1_ram_varies_within_id(void **state)
{
	struct chip c;
	it_chip_open(&c, "0x410", 64);
	vector_case(&c, 0x08000000, 0x20002800, 0x08000009, "reset-vector", SR_SEV_INFO, "RAM");
	vector_case(&c, 0x08000000, 0x20005000, 0x08000009, "reset-vector-sp", SR_SEV_WARNING,
		    "above the 10 KiB of SRAM that every STM32F101/102/103 x8/xB");
	vector_case(&c, 0x08000000, 0x20005004, 0x08000009, "reset-vector-sp", SR_SEV_ERROR,
		    "SRAM 0x20000000-0x200027FF (to 0x20004FFF on the largest)");
	it_chip_close(&c);
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
	    cmocka_unit_test(test_f1_ram_varies_within_id),
	};
	return cmocka_run_group_tests(tests, it_db_setup, it_db_teardown);
}
