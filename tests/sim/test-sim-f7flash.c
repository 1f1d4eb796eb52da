/* The virtual STM32F746 through the MEM-AP as a probe drives it: the F7 flash
 * controller (RM0385 3), FLASH_OPTCR/OPTCR1 and the boot address (RM0385 2.5, 3.7.6,
 * 3.7.7), the memory map with ITCM aliases, and the hardware watchdog options. */
#include "sim-test-chip.h"

#define F7_IDCODE 0x5BA02477u
#define SR_EOP    (1u << 0)
#define SR_OPERR  (1u << 1)
#define SR_WRPERR (1u << 4)
#define SR_PGPERR (1u << 6)
#define SR_ERSERR (1u << 7)
#define SR_BSY    (1u << 16)
#define CR_PG     (1u << 0)
#define CR_SER    (1u << 1)
#define CR_MER    (1u << 2)
#define CR_X32    (2u << 8)
#define CR_STRT   (1u << 16)
#define CR_LOCK   (1u << 31)
#define FLASH_OPTCR1 0x40023C18u
#define OPTCR_FACTORY 0xC0FFAAFCu  /* RM0385 3.7.6 reset value less OPTLOCK */
#define OPTCR1_FACTORY 0x00400080u /* RM0385 3.7.7 */
#define ITCM_FLASH 0x00200000u
#define RCC_CSR   0x40023874u
#define APB1_FZ   0xE0042008u
#define CSR_IWDGRST (1u << 29)
#define CSR_WWDGRST (1u << 30)
#define S_LOCKUP  (1u << 19)

static const uint32_t sect_addr[] = {0x08000000, 0x08008000, 0x08010000, 0x08018000,
				     0x08020000, 0x08040000, 0x08080000, 0x080C0000};
static const uint32_t sect_size[] = {32768, 32768, 32768, 32768, 131072, 262144, 262144, 262144};

static int setup(void **state)
{
	return chip_fixture_setup(state, "stm32f746");
}

static struct sr_sim_board *f7(void **state)
{
	struct fixture *f = *state;
	swd_connect_id(f->b, F7_IDCODE);
	halt(f->b);
	return f->b;
}

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

/* Unlock the option registers, write OPTCR1 then OPTCR, OPTSTRT, wait (RM0385 3.4.2). */
static void program_options(struct sr_sim_board *b, uint32_t optcr, uint32_t optcr1)
{
	wreg(b, FLASH_OPTKEYR, OPTKEY1);
	wreg(b, FLASH_OPTKEYR, OPTKEY2);
	assert_int_equal(reg(b, FLASH_OPTCR) & 1, 0);
	wreg(b, FLASH_OPTCR1, optcr1);
	wreg(b, FLASH_OPTCR, optcr & ~3u);
	wreg(b, FLASH_OPTCR, (optcr & ~3u) | 2);
	flash_wait(b);
	wreg(b, FLASH_OPTCR, optcr | 1); /* OPTLOCK */
}

static void test_identification_and_factory_options(void **state)
{
	struct sr_sim_board *b = f7(state);
	uint8_t half[2];
	assert_int_equal(reg(b, 0xE000ED00), 0x410FC271);        /* Cortex-M7 r0p1 */
	assert_int_equal(reg(b, 0xE0042000) & 0xFFF, 0x449);     /* DEV_ID, RM0385 40 */
	assert_int_equal(sr_sim_mem_read(b, 0, 0x1FF0F442, 2, half, 2, NULL), SR_SIM_ACK_OK);
	assert_int_equal(half[0] | half[1] << 8, 1024);           /* F_SIZE, RM0385 41.2 */
	assert_int_equal(reg(b, FLASH_OPTCR), OPTCR_FACTORY | 1);
	assert_int_equal(reg(b, FLASH_OPTCR1), OPTCR1_FACTORY);
	assert_int_equal(reg(b, FLASH_CR), CR_LOCK);
	/* the option block: RDP/USER, nWRP/IWDG, BOOT_ADD0, BOOT_ADD1 */
	assert_int_equal(reg(b, 0x1FFF0000) & 0xFFFF, 0xAAFC);
	assert_int_equal(reg(b, 0x1FFF0008) & 0xFFFF, 0xC0FF);
	assert_int_equal(reg(b, 0x1FFF0010) & 0xFFFF, 0x0080);
	assert_int_equal(reg(b, 0x1FFF0018) & 0xFFFF, 0x0040);
	assert_int_equal(reg(b, RCC_CSR), 0x0E000000);           /* RM0385 5.3.21 */
	assert_int_equal(reg(b, 0xE000ED08), ITCM_FLASH);        /* VTOR = boot address */
}

static void test_memory_map(void **state)
{
	struct sr_sim_board *b = f7(state);
	flash_unlock(b);
	program_word(b, 0x08000010, 0x12345678);
	assert_int_equal(reg(b, ITCM_FLASH + 0x10), 0x12345678); /* flash on ITCM */
	wreg(b, 0x00000100, 0xCAFE0001);                        /* ITCM RAM at 0 */
	assert_int_equal(reg(b, 0x00000100), 0xCAFE0001);
	wreg(b, 0x2004FFFC, 0xCAFE0002);                        /* end of SRAM2 */
	assert_int_equal(reg(b, 0x2004FFFC), 0xCAFE0002);
	assert_int_equal(reg(b, 0x08000010), 0x12345678);
	uint32_t v;
	assert_int_equal(rd32(b, 0x20050000, &v), SR_SIM_ACK_FAULT); /* past the SRAM */
}

static void test_erase_only_that_sector(void **state)
{
	struct sr_sim_board *b = f7(state);
	flash_unlock(b);
	for (unsigned s = 0; s < 8; s++) {
		program_word(b, sect_addr[s], 0xA5A50000 | s);
		program_word(b, sect_addr[s] + sect_size[s] - 4, 0x5A5A0000 | s);
	}
	uint64_t t0 = sr_sim_now_ns(b);
	erase_sector(b, 5); /* 256 KiB */
	assert_true(reg(b, FLASH_SR) & SR_BSY);
	sr_sim_advance(b, 900 * MS);
	assert_true(reg(b, FLASH_SR) & SR_BSY); /* the large-sector time of the array */
	flash_wait(b);
	assert_true(sr_sim_now_ns(b) - t0 >= 1000 * MS);
	for (unsigned s = 0; s < 8; s++) {
		assert_int_equal(reg(b, sect_addr[s]), s == 5 ? 0xFFFFFFFF : (0xA5A50000 | s));
		assert_int_equal(reg(b, sect_addr[s] + sect_size[s] - 4),
				 s == 5 ? 0xFFFFFFFF : (0x5A5A0000 | s));
	}
	erase_sector(b, 1); /* 32 KiB: sectors 0 and 2 untouched */
	assert_int_equal(flash_wait(b), 0);
	assert_int_equal(reg(b, sect_addr[1]), 0xFFFFFFFF);
	assert_int_equal(reg(b, sect_addr[0] + 0x7FFC), 0x5A5A0000);
	assert_int_equal(reg(b, sect_addr[2]), 0xA5A50002);
	/* mass erase: everything */
	wreg(b, FLASH_CR, CR_X32 | CR_MER);
	wreg(b, FLASH_CR, CR_X32 | CR_MER | CR_STRT);
	assert_int_equal(flash_wait(b), 0);
	for (unsigned s = 0; s < 8; s++)
		assert_int_equal(reg(b, sect_addr[s]), 0xFFFFFFFF);
}

static void test_error_bits(void **state)
{
	struct sr_sim_board *b = f7(state);
	uint16_t half = 0x1234;
	flash_unlock(b);
	/* ERSERR (bit 7, RM0385 3.7.4): a flash write without PG */
	wreg(b, FLASH_CR, CR_X32);
	wreg(b, FLASH_BASE + 0x40, 0);
	assert_int_equal(reg(b, FLASH_SR), SR_ERSERR);
	assert_int_equal(reg(b, FLASH_BASE + 0x40), 0xFFFFFFFF);
	wreg(b, FLASH_SR, SR_ERSERR);
	/* PGPERR: a half-word at x32 */
	wreg(b, FLASH_CR, CR_X32 | CR_PG);
	assert_int_equal(sr_sim_mem_write(b, 0, FLASH_BASE + 8, 2, (uint8_t *)&half, 2, NULL),
			 SR_SIM_ACK_OK);
	assert_int_equal(reg(b, FLASH_SR), SR_PGPERR);
	wreg(b, FLASH_SR, SR_PGPERR);
	/* EOP and OPERR only with EOPIE / ERRIE */
	wreg(b, FLASH_CR, CR_X32 | CR_PG | (1u << 24) | (1u << 25));
	wreg(b, FLASH_BASE, 0x0);
	assert_int_equal(flash_wait(b), SR_EOP);
	assert_int_equal(sr_sim_mem_write(b, 0, FLASH_BASE + 8, 2, (uint8_t *)&half, 2, NULL),
			 SR_SIM_ACK_OK);
	assert_int_equal(reg(b, FLASH_SR), SR_EOP | SR_PGPERR | SR_OPERR);
	/* a wrong key is a bus error and locks FLASH_CR until reset */
	wreg(b, FLASH_CR, CR_LOCK);
	wreg(b, FLASH_KEYR, KEY1);
	assert_int_equal(wr32(b, FLASH_KEYR, KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, FLASH_KEYR, KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, FLASH_CR), CR_LOCK);
	wreg(b, AIRCR, 0x05FA0004);
	flash_unlock(b);
	/* option registers: a wrong OPTKEYR sequence locks them, writes are ignored */
	wreg(b, FLASH_OPTKEYR, OPTKEY1);
	assert_int_equal(wr32(b, FLASH_OPTKEYR, OPTKEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, FLASH_OPTCR1, 0x12345678);
	assert_int_equal(reg(b, FLASH_OPTCR1), OPTCR1_FACTORY);
}

static void test_wrperr(void **state)
{
	struct sr_sim_board *b = f7(state);
	flash_unlock(b);
	program_word(b, sect_addr[1], 0x11111111);
	program_options(b, OPTCR_FACTORY & ~(1u << 17), OPTCR1_FACTORY); /* nWRP1 = 0 */
	assert_int_equal(reg(b, FLASH_OPTCR), (OPTCR_FACTORY & ~(1u << 17)) | 1);
	wreg(b, FLASH_CR, CR_X32 | CR_PG);
	wreg(b, sect_addr[1] + 4, 0);
	assert_int_equal(reg(b, FLASH_SR), SR_WRPERR);
	assert_int_equal(reg(b, sect_addr[1] + 4), 0xFFFFFFFF);
	wreg(b, FLASH_SR, SR_WRPERR);
	erase_sector(b, 1);
	assert_int_equal(flash_wait(b), SR_WRPERR);
	assert_int_equal(reg(b, sect_addr[1]), 0x11111111);
	wreg(b, FLASH_SR, SR_WRPERR);
	wreg(b, FLASH_CR, CR_X32 | CR_MER);
	wreg(b, FLASH_CR, CR_X32 | CR_MER | CR_STRT);
	assert_int_equal(flash_wait(b), SR_WRPERR);
	assert_int_equal(reg(b, sect_addr[1]), 0x11111111);
	wreg(b, FLASH_SR, SR_WRPERR);
	program_word(b, sect_addr[2], 0x22222222); /* other sectors still program */
}

static void test_rdp_regression_erases(void **state)
{
	struct sr_sim_board *b = f7(state);
	uint32_t v;
	flash_unlock(b);
	program_word(b, FLASH_BASE + 0x40, 0x44444444);
	program_options(b, (OPTCR_FACTORY & ~0xFF00u) | 0xBB00, OPTCR1_FACTORY);
	assert_int_equal(rd32(b, FLASH_BASE + 0x40, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(rd32(b, ITCM_FLASH + 0x40, &v), SR_SIM_ACK_FAULT); /* the alias too */
	clear_sticky(b);
	program_options(b, OPTCR_FACTORY, OPTCR1_FACTORY);
	assert_int_equal(reg(b, FLASH_BASE + 0x40), 0xFFFFFFFF);
}

/*
 * [faults] power_loss_during_ob: the supply fails once OPTSTRT has erased the option
 * sector (flash-f2-ob.c; RM0385 3.4.2: the sector is erased, then programmed with
 * OPTCR and OPTCR1). When power returns both registers read erased: RDP 0xFF (level
 * 1), no write protection, software watchdogs, BOOT_ADD0 and BOOT_ADD1 0xFFFF. The
 * core fetches its vectors at 0xFFFF << 14 = 0x3FFFC000 (RM0385 2.5), which nothing
 * answers: it locks up. The debugger still connects and halts it; flash is closed to
 * it until the regression, which brings the factory boot address back.
 */
static void test_power_loss_during_option_programming(void **state)
{
	struct fixture *f = *state;
	uint32_t v;
	struct sr_sim_board *b = f7(state);
	flash_unlock(b);
	program_word(b, FLASH_BASE + 0x40, 0x44444444);
	sr_sim_board_close(b);
	edit_state(f, "faults", "power_loss_during_ob", "true");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	b = f7(state);
	wreg(b, FLASH_OPTKEYR, OPTKEY1);
	wreg(b, FLASH_OPTKEYR, OPTKEY2);
	wreg(b, FLASH_OPTCR1, 0x00408004);
	wreg(b, FLASH_OPTCR, OPTCR_FACTORY & ~0x30u);
	wreg(b, FLASH_OPTCR, (OPTCR_FACTORY & ~0x30u) | 2); /* OPTSTRT */
	assert_int_equal(sr_sim_board_vtarget_mv(b), 0);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	reopen(f);
	sr_sim_board_set_power(f->b, 3300);
	swd_connect_id(f->b, F7_IDCODE);
	b = f->b;
	assert_true(reg(b, DHCSR) & S_LOCKUP);
	halt(b);
	assert_int_equal(reg(b, FLASH_OPTCR), 0xC0FFFFFD); /* erased, OPTLOCK */
	assert_int_equal(reg(b, FLASH_OPTCR1), 0xFFFFFFFF);
	assert_int_equal(reg(b, 0x1FFF0000), 0xFFFFFFFC); /* RDP/USER in the option block */
	assert_int_equal(reg(b, 0x1FFF0010), 0xFFFFFFFF); /* BOOT_ADD0 */
	assert_int_equal(reg(b, 0xE000ED08), 0x3FFFC000); /* VTOR */
	assert_int_equal(rd32(b, FLASH_BASE + 0x40, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(rd32(b, ITCM_FLASH + 0x40, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	/* recovery: factory option bytes; the power stays this time (one shot) */
	program_options(b, OPTCR_FACTORY, OPTCR1_FACTORY);
	assert_int_equal(sr_sim_board_vtarget_mv(b), 3300);
	assert_int_equal(reg(b, FLASH_OPTCR), OPTCR_FACTORY | 1);
	assert_int_equal(reg(b, FLASH_BASE + 0x40), 0xFFFFFFFF);
	reset_halt(b);
	assert_int_equal(reg(b, 0xE000ED08), ITCM_FLASH);
}

static const uint8_t set42[] = {0x2a, 0x20, 0x00, 0xbe}; /* movs r0,#42; bkpt */

/* RM0385 2.5: the core boots from BOOT_ADD0 << 14 with BOOT0 low. */
static void test_boot_address(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = f7(state);
	/* a vector table and code in SRAM1, at 0x20010000 = BOOT_ADD0 0x8004 */
	wreg(b, 0x20010000, 0x20020000);
	wreg(b, 0x20010004, 0x20010041);
	assert_int_equal(sr_sim_mem_write(b, 0, 0x20010040, 1, set42, 4, NULL), SR_SIM_ACK_OK);
	/* and one in flash, at the factory boot address 0x00200000 */
	flash_unlock(b);
	program_word(b, FLASH_BASE, 0x20001000);
	program_word(b, FLASH_BASE + 4, 0x00200101);
	wreg(b, FLASH_CR, CR_LOCK);
	reset_halt(b);
	assert_int_equal(core_reg(b, 15), 0x00200100);
	assert_int_equal(core_reg(b, 13), 0x20001000);
	program_options(b, OPTCR_FACTORY, 0x00408004);
	assert_int_equal(reg(b, FLASH_OPTCR1), 0x00408004);
	/* after reset the core starts in SRAM and runs to the BKPT */
	wreg(b, DEMCR, 0);
	wreg(b, DHCSR, 0xA05F0001); /* resume (into flash: firmware, not emulated) */
	wreg(b, AIRCR, 0x05FA0004);
	sr_sim_advance(b, 1 * MS);
	assert_true(reg(b, DHCSR) & (1u << 17));
	assert_int_equal(core_reg(b, 0), 42);
	assert_int_equal(core_reg(b, 15), 0x20010042);
	assert_int_equal(reg(b, 0xE000ED08), 0x20010000);
	/* it survives a new process: the state file keeps OPTCR1 */
	reopen(f);
	b = f->b;
	swd_connect_id(b, F7_IDCODE);
	halt(b);
	reset_halt(b);
	assert_int_equal(core_reg(b, 15), 0x20010040);
	/* BOOT0 high takes BOOT_ADD1 (0x0040: system memory at 0x00100000, reads 0 here) */
	sr_sim_board_close(b);
	edit_state(f, "board", "boot0", "true");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	b = f->b;
	swd_connect_id(b, F7_IDCODE);
	halt(b);
	reset_halt(b);
	assert_int_equal(reg(b, 0xE000ED08), 0x00100000);
	sr_sim_board_close(b);
	edit_state(f, "board", "boot0", "false");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	b = f->b;
	swd_connect_id(b, F7_IDCODE);
	halt(b);
	/* back to the factory boot address: flash again */
	program_options(b, OPTCR_FACTORY, OPTCR1_FACTORY);
	reset_halt(b);
	assert_int_equal(core_reg(b, 15), 0x00200100);
	assert_int_equal(reg(b, 0xE000ED08), ITCM_FLASH);
}

/* WWDG_SW = 0 and IWDG_SW = 0 (RM0385 3.7.6): both watchdogs run from reset and
 * reset the part unless DBGMCU stops them while the core is halted. */
static void test_hardware_watchdogs(void **state)
{
	struct sr_sim_board *b = f7(state);
	program_options(b, OPTCR_FACTORY & ~0x30u, OPTCR1_FACTORY);
	reset_halt(b);
	wreg(b, RCC_CSR, 1u << 24); /* RMVF */
	assert_int_equal(reg(b, 0x40002C00) & 0xFF, 0xFF); /* WWDG_CR: WDGA set, T = 0x7F */
	sr_sim_advance(b, 15 * MS);
	assert_int_equal(reg(b, RCC_CSR) & CSR_WWDGRST, 0);
	sr_sim_advance(b, 2 * MS); /* 64 steps of 4096 HSI cycles: 16.4 ms */
	assert_true(reg(b, RCC_CSR) & CSR_WWDGRST);
	wreg(b, RCC_CSR, 1u << 24);
	wreg(b, APB1_FZ, 1u << 11); /* DBG_WWDG_STOP: now the IWDG fires, after 512 ms */
	wreg(b, AIRCR, 0x05FA0004);
	sr_sim_advance(b, 500 * MS);
	assert_int_equal(reg(b, RCC_CSR) & (CSR_WWDGRST | CSR_IWDGRST), 0);
	sr_sim_advance(b, 20 * MS);
	assert_int_equal(reg(b, RCC_CSR) & (CSR_WWDGRST | CSR_IWDGRST), CSR_IWDGRST);
	wreg(b, RCC_CSR, 1u << 24);
	wreg(b, APB1_FZ, 3u << 11);
	sr_sim_advance(b, 2000 * MS);
	assert_int_equal(reg(b, RCC_CSR) & (CSR_WWDGRST | CSR_IWDGRST), 0);
	/* software watchdogs again: nothing runs from reset. The watchdogs stay frozen
	 * while the option bytes are programmed: a reset meanwhile would leave them erased. */
	program_options(b, OPTCR_FACTORY, OPTCR1_FACTORY);
	wreg(b, APB1_FZ, 0);
	reset_halt(b);
	wreg(b, RCC_CSR, 1u << 24);
	sr_sim_advance(b, 2000 * MS);
	assert_int_equal(reg(b, RCC_CSR) & (CSR_WWDGRST | CSR_IWDGRST), 0);
}

/*
 * A scenario: an F746 whose option bytes were changed (DIAGNOSES A4): BOOT_ADD0
 * moved to SRAM1 (0x8004), sector 1 write-protected (nWRP1 = 0), both watchdogs in
 * hardware mode; then powered on. The state file it leaves is the scenario.
 */
static int scenario_setup(void **state)
{
	if (chip_fixture_setup(state, "stm32f746"))
		return -1;
	struct fixture *f = *state;
	sr_sim_board_close(f->b);
	edit_state(f, "option_bytes", "optcr", "0xC0FDAACC");
	edit_state(f, "option_bytes", "optcr1", "0x00408004");
	if (sr_sim_board_open(f->path, &f->b) != SR_OK)
		return -1;
	sr_sim_board_set_power(f->b, 0);
	sr_sim_board_set_power(f->b, 3300);
	return sr_sim_board_save(f->b) == SR_OK ? 0 : -1;
}

static void test_scenario_board(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = f->b;
	swd_connect_id(b, F7_IDCODE);
	/* booted from erased SRAM at 0x20010000: vector 0, EPSR.T 0, locked up */
	assert_int_equal(reg(b, 0xE000ED08), 0x20010000);
	sr_sim_advance(b, 1 * MS);
	assert_true(reg(b, DHCSR) & S_LOCKUP);
	assert_int_equal(reg(b, FLASH_OPTCR), 0xC0FDAACD);
	assert_int_equal(reg(b, FLASH_OPTCR1), 0x00408004);
	/* the hardware window watchdog resets the locked-up core every 16 ms */
	sr_sim_advance(b, 20 * MS);
	assert_true(reg(b, RCC_CSR) & CSR_WWDGRST);
	/* sector 1 refuses erase */
	halt(b);
	wreg(b, APB1_FZ, 3u << 11);
	flash_unlock(b);
	erase_sector(b, 1);
	assert_int_equal(flash_wait(b), SR_WRPERR);
	/* the repair: factory option bytes, then the part boots from flash again */
	wreg(b, FLASH_SR, SR_WRPERR);
	program_options(b, OPTCR_FACTORY, OPTCR1_FACTORY);
	reset_halt(b);
	assert_int_equal(reg(b, 0xE000ED08), ITCM_FLASH);
	wreg(b, RCC_CSR, 1u << 24);
	wreg(b, APB1_FZ, 0);
	sr_sim_advance(b, 100 * MS);
	assert_int_equal(reg(b, RCC_CSR) & (CSR_WWDGRST | CSR_IWDGRST), 0);
}

/* The debug side of the F746 as a live part reports it to pyOCD: AHB-AP IDR 0x74770001
 * with ST's ROM table (part 0x449) at 0xE00FD000, an FPv5 single-precision FPU. */
static void test_debug_identity(void **state)
{
	struct sr_sim_board *b = f7(state);
	uint32_t v;
	assert_int_equal(sr_sim_ap_read(b, 0, 0xFC, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0x74770001);
	assert_int_equal(sr_sim_ap_read(b, 0, 0xF8, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0xE00FD003);
	assert_int_equal(reg(b, 0xE00FDFE0), 0x49);              /* ST's table, DEV_ID part */
	assert_int_equal(reg(b, 0xE00FDFE4) & 0xF, 0x4);
	assert_int_equal(reg(b, 0xE00FD000), 0x00002003);        /* -> 0xE00FF000 */
	assert_int_equal(reg(b, 0xE000EF40), 0x10110021);        /* MVFR0: single precision */
	assert_int_equal(reg(b, 0xE000EF44), 0x11000011);
	assert_int_equal(reg(b, 0xE000EF48), 0x00000040);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_identification_and_factory_options),
		T(test_debug_identity),
		T(test_memory_map),
		T(test_erase_only_that_sector),
		T(test_error_bits),
		T(test_wrperr),
		T(test_rdp_regression_erases),
		T(test_power_loss_during_option_programming),
		T(test_boot_address),
		T(test_hardware_watchdogs),
		cmocka_unit_test_setup_teardown(test_scenario_board, scenario_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
