/* The F2/F4 flash controller of the virtual STM32F446, through the MEM-AP as a probe
 * drives it: RM0090 3.5-3.9 / RM0390 3.5-3.8. */
#include "sim-test-chip.h"

#define SR_EOP    (1u << 0)
#define SR_WRPERR (1u << 4)
#define SR_PGAERR (1u << 5)
#define SR_PGPERR (1u << 6)
#define SR_PGSERR (1u << 7)
#define SR_RDERR  (1u << 8)
#define SR_BSY    (1u << 16)
#define CR_PG     (1u << 0)
#define CR_SER    (1u << 1)
#define CR_MER    (1u << 2)
#define CR_X32    (2u << 8)
#define CR_STRT   (1u << 16)
#define CR_LOCK   (1u << 31)

static const uint32_t sect_addr[] = {0x08000000, 0x08004000, 0x08008000, 0x0800C000,
				     0x08010000, 0x08020000, 0x08040000, 0x08060000};

static void program_word(struct sr_sim_board *b, uint32_t addr, uint32_t v)
{
	wreg(b, FLASH_CR, CR_X32 | CR_PG);
	wreg(b, addr, v);
	assert_int_equal(flash_wait(b) & 0xF2, 0);
}

static void erase_sector(struct sr_sim_board *b, unsigned n)
{
	wreg(b, FLASH_CR, CR_X32 | CR_SER | n << 3);
	wreg(b, FLASH_CR, CR_X32 | CR_SER | n << 3 | CR_STRT);
}

/* Option bytes: unlock OPTCR, write, OPTSTRT, wait (RM0090 3.6.2). */
static void start_options(struct sr_sim_board *b, uint32_t optcr)
{
	wreg(b, FLASH_OPTKEYR, OPTKEY1);
	wreg(b, FLASH_OPTKEYR, OPTKEY2);
	assert_int_equal(reg(b, FLASH_OPTCR) & 1, 0);
	wreg(b, FLASH_OPTCR, optcr & ~3u);
	wreg(b, FLASH_OPTCR, (optcr & ~3u) | 2);
}

static void program_options(struct sr_sim_board *b, uint32_t optcr)
{
	start_options(b, optcr);
	flash_wait(b);
}

static void test_unlock_and_relock(void **state)
{
	struct sr_sim_board *b = connected(state);
	assert_int_equal(reg(b, FLASH_CR), CR_LOCK);
	wreg(b, FLASH_CR, CR_PG); /* ignored while locked */
	assert_int_equal(reg(b, FLASH_CR), CR_LOCK);
	flash_unlock(b);
	wreg(b, FLASH_CR, CR_LOCK);
	assert_int_equal(reg(b, FLASH_CR), CR_LOCK);
	flash_unlock(b); /* a correct sequence works again after LOCK */
}

static void test_wrong_key_locks_until_reset(void **state)
{
	struct sr_sim_board *b = connected(state);
	wreg(b, FLASH_KEYR, KEY1);
	assert_int_equal(wr32(b, FLASH_KEYR, 0x12345678), SR_SIM_ACK_FAULT); /* bus error */
	clear_sticky(b);
	assert_int_equal(wr32(b, FLASH_KEYR, KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, FLASH_KEYR, KEY2), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, FLASH_CR), CR_LOCK);
	wreg(b, AIRCR, 0x05FA0004); /* system reset */
	flash_unlock(b);
	/* keys to an unlocked FLASH_CR are a wrong sequence as well */
	assert_int_equal(wr32(b, FLASH_KEYR, KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, FLASH_CR), CR_LOCK);
}

static void test_erase_only_that_sector(void **state)
{
	struct sr_sim_board *b = connected(state);
	flash_unlock(b);
	for (unsigned s = 0; s < 8; s++) {
		program_word(b, sect_addr[s], 0xA5A50000 | s);
		program_word(b, sect_addr[s] + 0x100, 0x5A5A0000 | s);
	}
	uint64_t t0 = sr_sim_now_ns(b);
	erase_sector(b, 5); /* 128 KiB */
	assert_true(reg(b, FLASH_SR) & SR_BSY);
	assert_true(reg(b, FLASH_CR) & CR_STRT);
	sr_sim_advance(b, 900 * MS);
	assert_true(reg(b, FLASH_SR) & SR_BSY); /* 1 s typ at x32, DS10693 table 48 */
	flash_wait(b);
	assert_true(sr_sim_now_ns(b) - t0 >= 1000 * MS);
	assert_false(reg(b, FLASH_CR) & CR_STRT);
	for (unsigned s = 0; s < 8; s++) {
		uint32_t want = s == 5 ? 0xFFFFFFFF : (0xA5A50000 | s);
		assert_int_equal(reg(b, sect_addr[s]), want);
		want = s == 5 ? 0xFFFFFFFF : (0x5A5A0000 | s);
		assert_int_equal(reg(b, sect_addr[s] + 0x100), want);
	}
	assert_int_equal(reg(b, sect_addr[5] + 0x1FFFC), 0xFFFFFFFF);
}

static void test_program_x32_and_pgperr(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint16_t half = 0x1234;
	flash_unlock(b);
	program_word(b, FLASH_BASE, 0xFFFF0000);
	program_word(b, FLASH_BASE, 0x00FFFF00); /* F4 only clears bits: AND */
	assert_int_equal(reg(b, FLASH_BASE), 0x00FF0000);
	assert_int_equal(sr_sim_mem_write(b, 0, FLASH_BASE + 8, 2, (uint8_t *)&half, 2, NULL),
			 SR_SIM_ACK_OK);
	assert_int_equal(reg(b, FLASH_SR), SR_PGPERR);
	assert_int_equal(reg(b, FLASH_BASE + 8), 0xFFFFFFFF);
	/* x16 accepts the half-word */
	wreg(b, FLASH_SR, SR_PGPERR);
	wreg(b, FLASH_CR, (1u << 8) | CR_PG);
	assert_int_equal(sr_sim_mem_write(b, 0, FLASH_BASE + 8, 2, (uint8_t *)&half, 2, NULL),
			 SR_SIM_ACK_OK);
	assert_int_equal(flash_wait(b), 0);
	assert_int_equal(reg(b, FLASH_BASE + 8), 0xFFFF1234);
}

static void test_pgserr_sticky(void **state)
{
	struct sr_sim_board *b = connected(state);
	flash_unlock(b);
	wreg(b, FLASH_CR, CR_X32); /* PG clear */
	wreg(b, FLASH_BASE + 0x10, 0);
	assert_int_equal(reg(b, FLASH_SR), SR_PGSERR);
	assert_int_equal(reg(b, FLASH_BASE + 0x10), 0xFFFFFFFF);
	/* a later good operation leaves the flag set */
	wreg(b, FLASH_CR, CR_X32 | CR_PG);
	wreg(b, FLASH_BASE + 0x20, 0x11111111);
	assert_int_equal(flash_wait(b), SR_PGSERR);
	assert_int_equal(reg(b, FLASH_BASE + 0x20), 0x11111111);
	wreg(b, FLASH_SR, 0); /* writing 0 clears nothing */
	assert_int_equal(reg(b, FLASH_SR), SR_PGSERR);
	wreg(b, FLASH_SR, SR_PGSERR);
	assert_int_equal(reg(b, FLASH_SR), 0);
	/* a locked CR has PG clear: writes are sequence errors too */
	wreg(b, FLASH_CR, CR_LOCK);
	wreg(b, FLASH_BASE + 0x30, 0);
	assert_int_equal(reg(b, FLASH_SR), SR_PGSERR);
}

static void test_eop_and_operr_need_their_enables(void **state)
{
	struct sr_sim_board *b = connected(state);
	flash_unlock(b);
	wreg(b, FLASH_CR, CR_X32 | CR_PG | (1u << 24) | (1u << 25)); /* EOPIE, ERRIE */
	wreg(b, FLASH_BASE, 0x0);
	assert_int_equal(flash_wait(b), SR_EOP);
	uint8_t byte = 0;
	sr_sim_mem_write(b, 0, FLASH_BASE + 4, 1, &byte, 1, NULL);
	assert_int_equal(reg(b, FLASH_SR), SR_EOP | SR_PGPERR | 2 /* OPERR */);
}

static void test_wrperr(void **state)
{
	struct sr_sim_board *b = connected(state);
	flash_unlock(b);
	program_word(b, sect_addr[2], 0x22222222);
	program_options(b, 0x0FFBAAEC); /* nWRP bit 2 cleared: sector 2 protected */
	assert_int_equal(reg(b, FLASH_OPTCR), 0x0FFBAAED & ~1u);
	wreg(b, FLASH_CR, CR_X32 | CR_PG);
	wreg(b, sect_addr[2] + 4, 0);
	assert_int_equal(reg(b, FLASH_SR), SR_WRPERR);
	assert_int_equal(reg(b, sect_addr[2] + 4), 0xFFFFFFFF);
	wreg(b, FLASH_SR, SR_WRPERR);
	erase_sector(b, 2);
	assert_int_equal(flash_wait(b), SR_WRPERR);
	assert_int_equal(reg(b, sect_addr[2]), 0x22222222);
	wreg(b, FLASH_SR, SR_WRPERR);
	wreg(b, FLASH_CR, CR_X32 | CR_MER);
	wreg(b, FLASH_CR, CR_X32 | CR_MER | CR_STRT);
	assert_int_equal(flash_wait(b), SR_WRPERR); /* no mass erase with a protected sector */
	/* other sectors still program */
	wreg(b, FLASH_SR, SR_WRPERR);
	program_word(b, sect_addr[3], 0x33333333);
	assert_int_equal(reg(b, sect_addr[3]), 0x33333333);
}

static void test_rdp1_blocks_flash_then_regression_erases(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t v, fa = 0;
	uint8_t buf[8];
	flash_unlock(b);
	program_word(b, FLASH_BASE + 0x40, 0x44444444);
	wreg(b, SRAM, 0x55555555);
	program_options(b, 0x0FFFBBEC); /* RDP 0xBB: level 1 */
	assert_int_equal(rd32(b, FLASH_BASE + 0x40, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(sr_sim_mem_read(b, 0, FLASH_BASE, 4, buf, 8, &fa), SR_SIM_ACK_FAULT);
	assert_int_equal(fa, FLASH_BASE);
	clear_sticky(b);
	assert_int_equal(reg(b, SRAM), 0x55555555); /* RAM stays readable */
	assert_int_equal(reg(b, 0x1FFFC000) & 0xFF00, 0xBB00); /* option bytes readable */
	/* still level 1 after a reset and a power cycle */
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	/* 1 -> 0: mass erase, then readable */
	flash_unlock(b);
	program_options(b, 0x0FFFAAEC);
	assert_int_equal(rd32(b, FLASH_BASE + 0x40, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0xFFFFFFFF);
	assert_int_equal(reg(b, FLASH_OPTCR) & 0xFF00, 0xAA00);
}

static void test_rdp2_closes_debug_port(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = connected(state);
	uint32_t v;
	start_options(b, 0x0FFFCCEC);
	sr_sim_advance(b, 1000 * MS);
	assert_int_equal(sr_sim_dp_read(b, 0, &v), SR_SIM_ACK_NONE);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	sr_sim_board_nrst(b, true);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE); /* not even under reset */
	sr_sim_board_nrst(b, false);
	reopen(f);
	sr_sim_board_set_power(f->b, 0);
	sr_sim_board_set_power(f->b, 3300);
	assert_int_equal(sr_sim_swd_line_reset(f->b), SR_SIM_ACK_NONE);
}

static void test_optcr_wrong_key_and_bsy_stall(void **state)
{
	struct sr_sim_board *b = connected(state);
	wreg(b, FLASH_OPTKEYR, OPTKEY1);
	assert_int_equal(wr32(b, FLASH_OPTKEYR, OPTKEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, FLASH_OPTKEYR, OPTKEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, FLASH_OPTCR, 0x0FFFBBEC); /* locked: ignored */
	assert_int_equal(reg(b, FLASH_OPTCR), 0x0FFFAAED);
	/* a flash read while a sector erase runs waits for it (RM0090 3.5) */
	wreg(b, AIRCR, 0x05FA0004);
	flash_unlock(b);
	uint64_t t0 = sr_sim_now_ns(b);
	erase_sector(b, 0);
	assert_int_equal(reg(b, FLASH_BASE), 0xFFFFFFFF);
	assert_true(sr_sim_now_ns(b) - t0 >= 250 * MS);
	assert_false(reg(b, FLASH_SR) & SR_BSY);
}

static void test_power_loss_during_option_programming(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = connected(state);
	struct sr_sim_state *st;
	uint32_t v;
	sr_sim_board_close(b);
	assert_int_equal(sr_sim_state_load(f->path, &st), SR_OK);
	sr_sim_state_set(st, "faults", "power_loss_during_ob", "true");
	assert_int_equal(sr_sim_state_save(st), SR_OK);
	sr_sim_state_free(st);
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	b = f->b;
	swd_connect(b);
	start_options(b, 0x0FFFAAE8); /* any change */
	assert_int_equal(sr_sim_board_vtarget_mv(b), 0);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	sr_sim_board_set_power(b, 3300);
	swd_connect(b);
	/* erased option bytes: RDP level 1 and PCROP on every sector (SPRMOD 1) */
	assert_int_equal(reg(b, FLASH_OPTCR) & 0x8000FF00u, 0x8000FF00u);
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
}

/* A PCROP sector answers only instruction fetches (RM0390 3.6.5): the core's reset vector
 * fetch from it works, a debugger's data read is a bus error with RDERR. */
static void test_pcrop_lets_vector_fetch_through(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t v;
	flash_unlock(b);
	program_word(b, FLASH_BASE, 0x20001000);     /* initial SP */
	program_word(b, FLASH_BASE + 4, 0x08000101); /* reset handler, Thumb */
	program_options(b, 0x8F01AAEC);              /* SPRMOD 1, nWRP0 1: sector 0 PCROP */
	reset_halt(b);
	assert_int_equal(reg(b, FLASH_SR) & SR_RDERR, 0);
	assert_int_equal(core_reg(b, 15), 0x08000100);
	assert_int_equal(core_reg(b, 13), 0x20001000);
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_true(reg(b, FLASH_SR) & SR_RDERR);
	assert_int_equal(reg(b, sect_addr[1]), 0xFFFFFFFF); /* sector 1 is no PCROP */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_unlock_and_relock),
		T(test_wrong_key_locks_until_reset),
		T(test_erase_only_that_sector),
		T(test_program_x32_and_pgperr),
		T(test_pgserr_sticky),
		T(test_eop_and_operr_need_their_enables),
		T(test_wrperr),
		T(test_rdp1_blocks_flash_then_regression_erases),
		T(test_rdp2_closes_debug_port),
		T(test_optcr_wrong_key_and_bsy_stall),
		T(test_power_loss_during_option_programming),
		T(test_pcrop_lets_vector_fetch_through),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
