/* The window watchdog of the virtual STM32L476 and STM32G431 (wwdg.c, shared with the
 * F1/F4/F7): WWDG_SW in FLASH_OPTR turns it on at reset (RM0351 3.7.8, RM0440 3.7.8),
 * it counts at PCLK1 = SYSCLK after reset (4 MHz MSI on the L476, RM0351 6.2.3; HSI16
 * on the G4, RM0440 7.2), and the G4's timer base WDGTB is 3 bits at 13:11 of WWDG_CFR
 * where the L4 has 2 bits at 8:7. */
#include "sim-test-chip.h"

#define WWDG_CR     0x40002C00u
#define WWDG_CFR    0x40002C04u
#define L4_KEYR     0x40022008u
#define L4_OPTKEYR  0x4002200Cu
#define L4_SR       0x40022010u
#define L4_CR       0x40022014u
#define L4_OPTR     0x40022020u
#define RCC_CSR     0x40021094u
#define DBG_APB1FZ1 0xE0042008u

#define BSY          (1u << 16)
#define OPTSTRT      (1u << 17)
#define OBL_LAUNCH   (1u << 27)
#define OPTR_WWDG_SW (1u << 19)
#define OPTR_FACTORY 0xFFEFF8AAu /* RM0351 3.4.1, RM0440 3.4.1 */
#define CSR_RMVF     (1u << 23)
#define CSR_WWDGRSTF (1u << 30)
#define DBG_WWDG     (1u << 11)

static int setup_l476(void **s)
{
	return chip_fixture_setup(s, "stm32l476");
}

static int setup_g431(void **s)
{
	return chip_fixture_setup(s, "stm32g431");
}

/* FLASH_OPTR = OPTR through OPTSTRT, then OBL_LAUNCH: a reset that loads it (RM0440 3.4.2). */
static void load_optr(struct sr_sim_board *b, uint32_t optr)
{
	wreg(b, L4_KEYR, KEY1);
	wreg(b, L4_KEYR, KEY2);
	wreg(b, L4_OPTKEYR, OPTKEY1);
	wreg(b, L4_OPTKEYR, OPTKEY2);
	wreg(b, L4_OPTR, optr);
	wreg(b, L4_CR, OPTSTRT);
	for (int i = 0; i < 1000 && (reg(b, L4_SR) & BSY); i++)
		sr_sim_advance(b, 100000);
	assert_int_equal(reg(b, L4_SR), 0);
	wreg(b, L4_CR, OBL_LAUNCH);
	assert_int_equal(reg(b, L4_OPTR), optr);
}

/* The timer base sits where the part has it; the other bits are reserved (read 0). */
static void test_wdgtb_field(void **state, uint32_t wdgtb_mask)
{
	struct sr_sim_board *b = connected(state);
	assert_int_equal(reg(b, WWDG_CFR), 0x7F); /* reset value */
	wreg(b, WWDG_CFR, 0xFFFFFFFF);
	assert_int_equal(reg(b, WWDG_CFR), 0x7F | 1u << 9 | wdgtb_mask);
}

static void test_l476_wdgtb(void **state)
{
	test_wdgtb_field(state, 3u << 7); /* RM0351 WWDG_CFR */
}

static void test_g431_wdgtb(void **state)
{
	test_wdgtb_field(state, 7u << 11); /* RM0440 WWDG_CFR; CMSIS WWDG_CFR_WDGTB_Pos 11 */
}

/* WWDG_SW = 0: on from reset; 64 steps of 4096 PCLK1 cycles to the reset, unless
 * DBG_WWDG_STOP holds it while the core is halted. */
static void hardware_wwdg(void **state, uint64_t before_ns, uint64_t after_ns)
{
	struct sr_sim_board *b = connected(state);
	assert_int_equal(reg(b, WWDG_CR), 0x7F); /* software mode: WDGA clear */
	load_optr(b, OPTR_FACTORY & ~OPTR_WWDG_SW);
	halt(b);
	wreg(b, RCC_CSR, CSR_RMVF);
	assert_int_equal(reg(b, WWDG_CR) & 0xFF, 0xFF); /* WDGA set by hardware, T = 0x7F */
	sr_sim_advance(b, before_ns);
	assert_int_equal(reg(b, RCC_CSR) & CSR_WWDGRSTF, 0);
	sr_sim_advance(b, after_ns - before_ns);
	assert_true(reg(b, RCC_CSR) & CSR_WWDGRSTF);
	halt(b);
	wreg(b, RCC_CSR, CSR_RMVF);
	wreg(b, DBG_APB1FZ1, DBG_WWDG);
	sr_sim_advance(b, 10 * after_ns);
	assert_int_equal(reg(b, RCC_CSR) & CSR_WWDGRSTF, 0);
	/* software mode again: nothing runs from reset */
	load_optr(b, OPTR_FACTORY);
	assert_int_equal(reg(b, WWDG_CR), 0x7F);
}

static void test_l476_hardware_wwdg(void **state)
{
	hardware_wwdg(state, 65 * MS, 66 * MS); /* 64 * 4096 / 4 MHz = 65.5 ms */
}

static void test_g431_hardware_wwdg(void **state)
{
	hardware_wwdg(state, 16 * MS, 17 * MS); /* 64 * 4096 / 16 MHz = 16.4 ms */
}

int main(void)
{
#define L476(fn) cmocka_unit_test_setup_teardown(fn, setup_l476, fixture_teardown)
#define G431(fn) cmocka_unit_test_setup_teardown(fn, setup_g431, fixture_teardown)
	const struct CMUnitTest tests[] = {
	    L476(test_l476_wdgtb),
	    G431(test_g431_wdgtb),
	    L476(test_l476_hardware_wwdg),
	    G431(test_g431_hardware_wwdg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
