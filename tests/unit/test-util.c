/* Number parsing and bit helpers. */
#include "config.h"

#include <string.h>

#include "testutil.h"

#include "common/error.h"
#include "common/util.h"

static void test_parse_u32(void **state)
{
	uint32_t v;
	assert_int_equal(sr_parse_u32("0x0FFFAAED", &v), SR_OK);
	assert_int_equal(v, 0x0FFFAAED);
	assert_int_equal(sr_parse_u32("42", &v), SR_OK);
	assert_int_equal(v, 42);
	assert_int_equal(sr_parse_u32("0b101", &v), SR_OK);
	assert_int_equal(v, 5);
	assert_int_equal(sr_parse_u32("0x100000000", &v), SR_E_RANGE);
	assert_int_equal(sr_parse_u32("-1", &v), SR_E_PARSE);
	assert_int_equal(sr_parse_u32("12abc", &v), SR_E_PARSE);
	assert_int_equal(sr_parse_u32("", &v), SR_E_PARSE);
	assert_int_equal(sr_parse_u32("0x", &v), SR_E_PARSE);
}

static void test_parse_size(void **state)
{
	uint32_t v;
	char buf[16];
	assert_int_equal(sr_parse_size("16K", &v), SR_OK);
	assert_int_equal(v, 16384);
	assert_int_equal(sr_parse_size("2M", &v), SR_OK);
	assert_int_equal(v, 2 * 1024 * 1024);
	assert_int_equal(sr_parse_size("528", &v), SR_OK);
	assert_int_equal(v, 528);
	assert_int_equal(sr_parse_size("5000M", &v), SR_E_RANGE);
	assert_int_equal(sr_parse_size("K", &v), SR_E_PARSE);
	sr_format_size(1536 * 1024, buf, sizeof(buf));
	assert_string_equal(buf, "1536K");
	sr_format_size(528, buf, sizeof(buf));
	assert_string_equal(buf, "528");
}

static void test_split_and_fields(void **state)
{
	char s[] = " a | b |c|d";
	char *f[3];
	assert_int_equal(sr_split(s, '|', f, 3), 3);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[2], "c|d"); /* the last field keeps the rest */
	assert_int_equal(sr_field_mask(15, 8), 0xFF00);
	assert_int_equal(sr_field_mask(31, 0), 0xFFFFFFFF);
	assert_int_equal(sr_field_get(0x0FFFAAED, 15, 8), 0xAA);
	assert_int_equal(sr_field_set(0x0FFFAAED, 15, 8, 0xCC), 0x0FFFCCED);
	assert_string_equal(sr_errname(SR_E_FLASH_WRP), "SR_E_FLASH_WRP");
	assert_string_equal(sr_strerror(-9999), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_u32),
	    cmocka_unit_test(test_parse_size),
	    cmocka_unit_test(test_split_and_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
