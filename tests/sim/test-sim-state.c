/* The board state file: what survives close and reopen, as between two processes. */
#include "sim-test.h"

static void test_create_is_factory_fresh(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_state *st = sr_sim_board_state(f->b);
	uint32_t v;
	assert_string_equal(sr_sim_state_get(st, "chip", "name"), "stm32f446");
	assert_int_equal(sr_sim_state_get_u32(st, "option_bytes", "optcr", 0, &v), SR_OK);
	assert_int_equal(v, 0x0FFFAAEC);
	swd_connect(f->b);
	assert_int_equal(reg(f->b, FLASH_BASE), 0xFFFFFFFF);
	assert_int_equal(reg(f->b, FLASH_BASE + 512 * 1024 - 4), 0xFFFFFFFF);
	assert_int_equal(reg(f->b, FLASH_OPTCR), 0x0FFFAAED);
	assert_int_equal(reg(f->b, FLASH_CR), 0x80000000);
}

static void test_state_persists(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = f->b;
	swd_connect(b);
	halt(b);
	flash_unlock(b);
	wreg(b, FLASH_CR, 0x201); /* PSIZE x32, PG */
	wreg(b, FLASH_BASE + 0x100, 0x12345678);
	flash_wait(b);
	uint8_t byte = 0;
	assert_int_equal(sr_sim_mem_write(b, 0, FLASH_BASE + 0x101, 1, &byte, 1, NULL),
			 SR_SIM_ACK_OK);
	uint32_t sr = reg(b, FLASH_SR);
	assert_int_equal(sr, 0x40); /* PGPERR: a byte write at PSIZE x32 */
	wreg(b, SRAM + 0x40, 0xCAFEF00D);
	sr_sim_state_set(sr_sim_board_state(b), "probe", "persona", "v2-1");
	uint64_t t = sr_sim_now_ns(b);
	reopen(f);
	b = f->b;
	assert_int_equal(sr_sim_now_ns(b), t);
	assert_string_equal(sr_sim_state_get(sr_sim_board_state(b), "probe", "persona"), "v2-1");
	/* no new line reset: the probe kept the wire up between the two runs */
	assert_int_equal(reg(b, FLASH_BASE + 0x100), 0x12345678);
	assert_int_equal(reg(b, FLASH_SR), sr);
	assert_int_equal(reg(b, FLASH_CR), 0x201); /* still unlocked, PG left set */
	assert_int_equal(reg(b, SRAM + 0x40), 0xCAFEF00D);
	assert_true(reg(b, DHCSR) & (1u << 17)); /* still halted */
}

static void test_bad_file_refused(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b2 = NULL;
	FILE *fp = fopen(f->path, "w");
	fputs("[chip]\nname = stm32f999\n", fp);
	fclose(fp);
	assert_int_equal(sr_sim_board_open(f->path, &b2), SR_E_UNKNOWN_CHIP);
	assert_int_equal(sr_sim_board_create("stm32f999", f->path), SR_E_UNKNOWN_CHIP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_is_factory_fresh, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_state_persists, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_file_refused, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
