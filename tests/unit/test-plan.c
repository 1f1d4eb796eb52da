/* The programming plan: whole units per sector, shared units merged, padding erased. */
#include "config.h"

#include <string.h>

#include "imgtest.h"

#include "common/error.h"
#include "image/image-internal.h"
#include "image/preflight.h"

static void test_plan(void **state)
{
	struct chip c;
	struct sr_image img;
	struct sr_plan p;
	const struct sr_plan_sector *s;
	it_chip_open(&c, "0x415", 256);
	it_img_init(&img);
	it_img_add(&img, 0x08000000, 5, 0x01);
	it_img_add(&img, 0x08000006, 4, 0x11); /* shares the first double word */
	it_img_add(&img, 0x08000100, 3, 0x22);
	it_img_add(&img, 0x08002000, 2, 0x33); /* sector 4 */
	it_img_add(&img, 0x30000000, 2, 0x44); /* outside flash: not planned */
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
	it_chip_close(&c);
	/* STM32F446: 4 bytes across the 16K sector 0 / sector 1 boundary, x32 units */
	it_chip_open(&c, "0x421", 512);
	it_img_init(&img);
	it_img_add(&img, 0x08003FFE, 4, -1);
	assert_int_equal(sr_plan_build(&img, &c.map, 4, 0xFF, &p), SR_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.v[0].runs[0].off, 0x3FFC);
	assert_memory_equal(p.v[0].data + 0x3FFC, "\xFF\xFF\x00\x01", 4);
	assert_int_equal(p.v[1].sect->index, 1);
	assert_memory_equal(p.v[1].data, "\x02\x03\xFF\xFF", 4);
	sr_plan_free(&p);
	sr_image_free(&img);
	it_chip_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan),
	};
	return cmocka_run_group_tests(tests, it_db_setup, it_db_teardown);
}
