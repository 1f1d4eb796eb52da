/* The virtual Cortex-M4 and its debug side: identification, ROM table, code
 * running from SRAM to a BKPT, reset and vector catch, NRST, power, IWDG. */
#include "sim-test.h"

#define S_REGRDY   (1u << 16)
#define S_HALT     (1u << 17)
#define S_LOCKUP   (1u << 19)
#define S_RESET_ST (1u << 25)
#define C_HALT     (1u << 1)
#define RCC_CSR    0x40023874u
#define APB1_FZ    0xE0042008u
#define IWDG_KR    0x40003000u

/* Thumb code, assembled with arm-none-eabi-as 2.40 (sources in the comments). */
static const uint8_t loader[] = {
	0x50, 0xf8, 0x04, 0x4b, /* loop: ldr.w r4, [r0], #4 */
	0x41, 0xf8, 0x04, 0x4b, /*       str.w r4, [r1], #4 */
	0x5d, 0x88,             /* wait: ldrh r5, [r3, #2] (FLASH_SR upper half) */
	0x15, 0xf0, 0x01, 0x0f, /*       tst.w r5, #1 (BSY) */
	0xfb, 0xd1,             /*       bne wait */
	0x01, 0x3a,             /*       subs r2, #1 */
	0xf5, 0xd1,             /*       bne loop */
	0x00, 0xbe,             /*       bkpt #0 */
};
static const uint8_t set42[] = {0x2a, 0x20, 0x00, 0xbe};            /* movs r0,#42; bkpt */
static const uint8_t set7[] = {0x07, 0x20, 0x00, 0xbe};             /* movs r0,#7; bkpt */
static const uint8_t spin[] = {0xfe, 0xe7, 0x00, 0xbf};             /* b . ; nop */
static const uint8_t badload[] = {0x4f, 0xf0, 0x40, 0x50, 0x01, 0x68, 0x00, 0xbe};
/* mov.w r0, #0x30000000; ldr r1, [r0]; bkpt */

static void core_write(struct sr_sim_board *b, unsigned sel, uint32_t v)
{
	wreg(b, DCRDR, v);
	wreg(b, DCRSR, sel | 1u << 16);
	assert_true(reg(b, DHCSR) & S_REGRDY);
}

static uint32_t core_read(struct sr_sim_board *b, unsigned sel)
{
	wreg(b, DCRSR, sel);
	assert_true(reg(b, DHCSR) & S_REGRDY);
	return reg(b, DCRDR);
}

static void upload(struct sr_sim_board *b, uint32_t addr, const uint8_t *code, size_t len)
{
	assert_int_equal(sr_sim_mem_write(b, 0, addr, 1, code, (uint32_t)len, NULL),
			 SR_SIM_ACK_OK);
}

/* Start the halted core at PC (as st-flash starts its loader) and let 10 ms pass. */
static void run_at(struct sr_sim_board *b, uint32_t pc)
{
	core_write(b, 15, pc);
	core_write(b, 17, 0x20020000); /* MSP */
	core_write(b, 16, core_read(b, 16) | 0x01000000u); /* xPSR.T */
	wreg(b, DHCSR, 0xA05F0009);                        /* run, C_MASKINTS */
	sr_sim_advance(b, 10 * MS);
}

static void test_identification(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t v;
	uint8_t half[2];
	assert_int_equal(sr_sim_ap_read(b, 0, 0xFC, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0x24770011);
	assert_int_equal(sr_sim_ap_read(b, 0, 0xF8, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0xE00FF003);
	assert_int_equal(sr_sim_ap_read(b, 1, 0xFC, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0); /* no AP 1 */
	assert_int_equal(reg(b, 0xE000ED00), 0x410FC241);
	assert_int_equal(reg(b, 0xE0042000), 0x10000421);
	assert_int_equal(sr_sim_mem_read(b, 0, 0x1FFF7A22, 2, half, 2, NULL), SR_SIM_ACK_OK);
	assert_int_equal(half[0] | half[1] << 8, 512);
	assert_int_equal(reg(b, 0x1FFF7A20) >> 16, 512); /* as st-link reads it */
	/* ROM table: SCS first, then the SCS identification (part 0x00C, ARM 0x43B) */
	assert_int_equal(reg(b, 0xE00FF000), 0xFFF0F003);
	assert_int_equal(reg(b, 0xE00FFFF4) >> 4, 1); /* ROM table class */
	assert_int_equal(reg(b, 0xE000EFE0), 0x0C);
	assert_int_equal(reg(b, 0xE000EFE4), 0xB0);
	assert_int_equal(reg(b, 0xE000EFE8), 0x0B);
	assert_int_equal(reg(b, 0xE000EFD0), 0x04);
	assert_int_equal(reg(b, 0xE000EFF0), 0x0D);
	assert_int_equal(reg(b, 0xE000EFFC), 0xB1);
	/* FPB: KEY|ENABLE accepted */
	wreg(b, 0xE0002000, 3);
	assert_int_equal(reg(b, 0xE0002000) & 1, 1);
	/* the MEM-AP register path reaches the same bus */
	assert_int_equal(sr_sim_ap_write(b, 0, 0x00, 0x23000052), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_ap_write(b, 0, 0x04, 0xE0042000), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_ap_read(b, 0, 0x0C, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0x10000421);
	assert_int_equal(sr_sim_ap_read(b, 0, 0x04, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0xE0042004); /* auto-increment */
}

static void test_bkpt_halts_and_reupload_runs_new_code(void **state)
{
	struct sr_sim_board *b = connected(state);
	upload(b, SRAM, set42, sizeof(set42));
	run_at(b, SRAM);
	uint32_t dhcsr = reg(b, DHCSR);
	assert_true(dhcsr & C_HALT); /* stlink checks C_HALT */
	assert_true(dhcsr & S_HALT);
	assert_int_equal(reg(b, DFSR) & 2, 2); /* BKPT */
	assert_int_equal(core_read(b, 0), 42);
	assert_int_equal(core_read(b, 15), SRAM + 2); /* PC at the BKPT */
	wreg(b, DFSR, 0x1F);
	upload(b, SRAM, set7, sizeof(set7));
	run_at(b, SRAM);
	assert_int_equal(core_read(b, 0), 7); /* not the cached translation */
}

static void test_loader_programs_flash(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint8_t data[1024], back[1024];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	flash_unlock(b);
	wreg(b, FLASH_CR, (2u << 8) | 1); /* x32, PG */
	upload(b, SRAM, loader, sizeof(loader));
	upload(b, SRAM + 0x100, data, sizeof(data));
	core_write(b, 0, SRAM + 0x100);
	core_write(b, 1, FLASH_BASE + 0x4000);
	core_write(b, 2, sizeof(data) / 4);
	core_write(b, 3, FLASH_SR);
	uint64_t t0 = sr_sim_now_ns(b);
	run_at(b, SRAM);
	assert_true(reg(b, DHCSR) & C_HALT);
	assert_int_equal(core_read(b, 2), 0);
	assert_int_equal(reg(b, FLASH_SR), 0);
	assert_int_equal(sr_sim_mem_read(b, 0, FLASH_BASE + 0x4000, 4, back, sizeof(back), NULL),
			 SR_SIM_ACK_OK);
	assert_memory_equal(back, data, sizeof(data));
	/* 256 words at 16 us each, at least (DS10693 table 48) */
	assert_true(sr_sim_now_ns(b) - t0 >= 256 * 16000ull);
}

static void test_bus_fault_locks_up_without_handler(void **state)
{
	struct sr_sim_board *b = connected(state);
	upload(b, SRAM, badload, sizeof(badload));
	run_at(b, SRAM);
	assert_true(reg(b, DHCSR) & S_LOCKUP); /* erased flash: no HardFault handler */
	assert_int_equal(reg(b, 0xE000ED38), 0x30000000); /* BFAR */
	assert_true(reg(b, 0xE000ED28) & (1u << 9));      /* PRECISERR */
	halt(b); /* a halt request takes the core out of lockup */
	assert_false(reg(b, DHCSR) & S_LOCKUP);
	/* with VC_HARDERR the debugger catches it instead */
	wreg(b, DEMCR, 1u << 10);
	run_at(b, SRAM);
	assert_true(reg(b, DHCSR) & S_HALT);
	assert_true(reg(b, DFSR) & 8); /* VCATCH */
}

static void test_reset_vector_catch(void **state)
{
	struct sr_sim_board *b = connected(state);
	flash_unlock(b);
	wreg(b, FLASH_CR, (2u << 8) | 1);
	wreg(b, FLASH_BASE, 0x20010000);
	flash_wait(b);
	wreg(b, FLASH_BASE + 4, 0x08000101);
	flash_wait(b);
	(void)reg(b, DHCSR); /* clear S_RESET_ST */
	wreg(b, DEMCR, 1);   /* VC_CORERESET */
	wreg(b, DHCSR, 0xA05F0001);
	wreg(b, AIRCR, 0x05FA0004);
	uint32_t d = reg(b, DHCSR);
	assert_true(d & S_HALT);
	assert_true(d & S_RESET_ST);
	assert_false(reg(b, DHCSR) & S_RESET_ST); /* cleared by the read */
	assert_int_equal(core_read(b, 15), 0x08000100);
	assert_int_equal(core_read(b, 17), 0x20010000);
	assert_int_equal(core_read(b, 16), 0x01000000);
	assert_true(reg(b, RCC_CSR) & (1u << 28)); /* SFTRSTF */
	assert_int_equal(reg(b, FLASH_CR), 0x80000000); /* flash relocked by the reset */
}

static void test_nrst_and_connect_under_reset(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t v;
	wreg(b, RCC_CSR, 1u << 24); /* RMVF */
	sr_sim_board_nrst(b, true);
	assert_true(reg(b, DHCSR) & S_RESET_ST);
	assert_int_equal(rd32(b, SRAM, &v), SR_SIM_ACK_FAULT); /* the system bus is in reset */
	clear_sticky(b);
	assert_int_equal(reg(b, 0xE0042000), 0x10000421); /* the debug domain answers */
	wreg(b, DHCSR, 0xA05F0003);
	sr_sim_board_nrst(b, false);
	assert_true(reg(b, DHCSR) & S_HALT);
	assert_int_equal(reg(b, RCC_CSR) & 0xFE000000u, 1u << 26); /* PINRSTF only */
	assert_int_equal(core_read(b, 15), 0xFFFFFFFE); /* erased reset vector */
}

static void test_unpowered_board_is_silent(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t v;
	sr_sim_board_set_power(b, 0);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	assert_int_equal(sr_sim_dp_read(b, 0, &v), SR_SIM_ACK_NONE);
	sr_sim_board_set_power(b, 3300);
	swd_connect(b);
	assert_int_equal(reg(b, RCC_CSR) & 0xFE000000u, 0x0E000000u); /* POR, PIN, BOR */
	assert_int_equal(reg(b, DEMCR), 0);
}

static void test_hardware_iwdg_resets_running_core(void **state)
{
	struct sr_sim_board *b = connected(state);
	flash_unlock(b);
	wreg(b, FLASH_OPTKEYR, OPTKEY1);
	wreg(b, FLASH_OPTKEYR, OPTKEY2);
	wreg(b, FLASH_OPTCR, 0x0FFFAACC); /* WDG_SW = 0: hardware watchdog */
	wreg(b, FLASH_OPTCR, 0x0FFFAACE);
	flash_wait(b);
	wreg(b, AIRCR, 0x05FA0004);
	halt(b);
	wreg(b, RCC_CSR, 1u << 24);
	/* halted and frozen: no reset however long */
	wreg(b, APB1_FZ, 1u << 12);
	sr_sim_advance(b, 2000 * MS);
	assert_int_equal(reg(b, RCC_CSR) & (1u << 29), 0);
	/* a running loader that does not reload it is reset after 512 ms */
	upload(b, SRAM, spin, sizeof(spin));
	run_at(b, SRAM);
	sr_sim_advance(b, 400 * MS);
	wreg(b, IWDG_KR, 0xAAAA); /* reload */
	sr_sim_advance(b, 400 * MS);
	assert_int_equal(reg(b, RCC_CSR) & (1u << 29), 0);
	sr_sim_advance(b, 200 * MS);
	assert_true(reg(b, RCC_CSR) & (1u << 29)); /* IWDGRSTF */
	assert_true(reg(b, DHCSR) & S_LOCKUP);     /* restarted from erased flash */
}

/* Spin loops (src/sim/core-spin.c), Thumb code assembled with arm-none-eabi-as 2.40. */
static const uint8_t wait_flag[] = {
	0x01, 0x68, /* wait: ldr r1, [r0] */
	0x00, 0x29, /*       cmp r1, #0 */
	0xfc, 0xd0, /*       beq wait */
	0x01, 0x22, /*       movs r2, #1 */
	0x00, 0xbe, /*       bkpt #0 */
};
static const uint8_t count_in_ram[] = {
	0x01, 0x68, /* count: ldr r1, [r0] */
	0x01, 0x31, /*        adds r1, #1 */
	0x01, 0x60, /*        str r1, [r0] */
	0x00, 0x21, /*        movs r1, #0: every turn starts with the same registers */
	0xfa, 0xe7, /*        b count */
};
static const uint8_t count_in_reg[] = {0x01, 0x31, 0xfd, 0xe7}; /* adds r1, #1; b . - 2 */

/* Start the halted core at PC with R0-R3 = R[0..3], without letting time pass. */
static void start_regs(struct sr_sim_board *b, uint32_t pc, const uint32_t r[4])
{
	for (unsigned i = 0; i < 4; i++)
		core_write(b, i, r[i]);
	core_write(b, 15, pc);
	core_write(b, 17, 0x20020000);
	core_write(b, 16, core_read(b, 16) | 0x01000000u);
	wreg(b, DHCSR, 0xA05F0009);
}

static void start_at(struct sr_sim_board *b, uint32_t pc, uint32_t r0)
{
	const uint32_t r[4] = {r0, 0, 0, 0};
	start_regs(b, pc, r);
}

/* A loop waiting for the debugger to write a flag in SRAM is counted, not run (it
 * cannot see anything change before the debugger acts), and still sees the flag. */
static void test_wait_loop_fast_forwarded(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t zero = 0, one = 1;
	upload(b, SRAM, wait_flag, sizeof(wait_flag));
	upload(b, SRAM + 0x200, (const uint8_t *)&zero, 4);
	start_at(b, SRAM, SRAM + 0x200);
	uint64_t skipped = sr_sim_spin_skipped(b);
	sr_sim_advance(b, 10 * MS);
	assert_false(reg(b, DHCSR) & S_HALT);
	/* 10 ms at 16 MHz (HSI, RM0390 6.2.2): 160000 cycles, nearly all counted */
	assert_true(sr_sim_spin_skipped(b) - skipped > 150000);
	upload(b, SRAM + 0x200, (const uint8_t *)&one, 4);
	sr_sim_advance(b, MS);
	assert_true(reg(b, DHCSR) & S_HALT);
	assert_int_equal(core_read(b, 2), 1);
	assert_int_equal(core_read(b, 15), SRAM + 8);
}

/* A loop that comes back with the same registers but has written memory is run turn
 * by turn: 1 ms at 16 MHz is 16000 cycles, 3200 turns of five instructions. */
static void test_loop_that_writes_is_run(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t counter = 0;
	upload(b, SRAM, count_in_ram, sizeof(count_in_ram));
	upload(b, SRAM + 0x200, (const uint8_t *)&counter, 4);
	start_at(b, SRAM, SRAM + 0x200);
	sr_sim_advance(b, MS);
	wreg(b, DHCSR, 0xA05F0003); /* halt */
	assert_int_equal(sr_sim_mem_read(b, 0, SRAM + 0x200, 4, (uint8_t *)&counter, 4, NULL),
			 SR_SIM_ACK_OK);
	assert_in_range(counter, 3195, 3201);
	/* and one whose registers change: 8000 turns of two instructions */
	upload(b, SRAM, count_in_reg, sizeof(count_in_reg));
	start_at(b, SRAM, 0);
	sr_sim_advance(b, MS);
	wreg(b, DHCSR, 0xA05F0003);
	assert_in_range(core_read(b, 1), 7995, 8001);
}

/* The flash loader's busy-wait is counted up to the end of each word's programming,
 * no further: the last word ends close to 256 x 16 us (DS10693 table 48). */
static void test_busy_wait_ends_with_the_operation(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint8_t data[1024];
	memset(data, 0x5A, sizeof(data));
	flash_unlock(b);
	wreg(b, FLASH_CR, (2u << 8) | 1);
	upload(b, SRAM, loader, sizeof(loader));
	upload(b, SRAM + 0x100, data, sizeof(data));
	const uint32_t r[4] = {SRAM + 0x100, FLASH_BASE + 0x4000, sizeof(data) / 4, FLASH_SR};
	start_regs(b, SRAM, r);
	uint64_t t0 = sr_sim_now_ns(b), skipped = sr_sim_spin_skipped(b);
	while (!(reg(b, DHCSR) & S_HALT) && sr_sim_now_ns(b) - t0 < 20 * MS)
		sr_sim_advance(b, 50000);
	uint64_t took = sr_sim_now_ns(b) - t0;
	assert_true(reg(b, DHCSR) & S_HALT);
	assert_true(took >= 256 * 16000ull);
	/* within 1 us a word, and the 50 us steps this test looks in */
	assert_true(took < 256 * 17000ull + 50000);
	assert_true(sr_sim_spin_skipped(b) > skipped);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_identification),
		T(test_bkpt_halts_and_reupload_runs_new_code),
		T(test_loader_programs_flash),
		T(test_bus_fault_locks_up_without_handler),
		T(test_reset_vector_catch),
		T(test_nrst_and_connect_under_reset),
		T(test_unpowered_board_is_silent),
		T(test_hardware_iwdg_resets_running_core),
		T(test_wait_loop_fast_forwarded),
		T(test_loop_that_writes_is_run),
		T(test_busy_wait_ends_with_the_operation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
