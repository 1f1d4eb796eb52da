/* The STM32H753 flash controller through the MEM-AP as a probe drives it (RM0433
 * Rev 8 section 4): per-bank locks, the 256-bit write buffer and its errors, erase
 * of a sector, a bank and both banks, option bytes, RDP, ECC and CRC. */
#include "sim-test-h7.h"
#include "sim-test-chip.h"

static void test_banks_lock_apart(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = h7_connected(state);
	assert_int_equal(reg(b, H7_CR(0)), 0x31); /* LOCK, PSIZE x64: reset value */
	assert_int_equal(reg(b, H7_CR(1)), 0x31);
	wreg(b, H7_CR(0), H7_PG); /* locked: ignored */
	assert_int_equal(reg(b, H7_CR(0)), 0x31);
	h7_unlock(b, 0);
	assert_int_equal(reg(b, H7_CR(1)) & H7_LOCK, H7_LOCK); /* bank 2 still locked */
	/* a wrong key on bank 2: bus error, locked until reset; bank 1 unaffected */
	wreg(b, H7_KEYR(1), KEY1);
	assert_int_equal(wr32(b, H7_KEYR(1), 0x11111111), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, H7_KEYR(1), KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, H7_KEYR(1), KEY2), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, H7_CR(1)) & H7_LOCK, H7_LOCK);
	wreg(b, H7_CR(0), H7_PG | H7_X64);
	assert_int_equal(reg(b, H7_CR(0)), H7_PG | H7_X64);
	/* keys again on the unlocked bank 1: wrong sequence, locked; LOCK keeps the bits */
	assert_int_equal(wr32(b, H7_KEYR(0), KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, H7_CR(0)), H7_LOCK | H7_PG | H7_X64);
	/* the state file carries the dead key across processes; reset clears it */
	reopen(f);
	b = h7_reconnect(f);
	assert_int_equal(wr32(b, H7_KEYR(1), KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, AIRCR, 0x05FA0004);
	h7_unlock(b, 1);
	h7_unlock(b, 0);
	wreg(b, H7_CR(1), H7_LOCK);
	assert_int_equal(reg(b, H7_CR(1)) & H7_LOCK, H7_LOCK);
	assert_int_equal(reg(b, H7_CR(0)) & H7_LOCK, 0);
}

static void test_flash_word_programming(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 0);
	wreg(b, H7_CR(0), H7_PG); /* PSIZE x8: 290 us a flash word */
	for (int i = 0; i < 7; i++)
		wreg(b, BANK1 + 0x40 + 4 * i, 0x11110000u + i);
	assert_int_equal(reg(b, H7_SR(0)), H7_WBNE);        /* waiting for the last word */
	assert_int_equal(reg(b, BANK1 + 0x40), 0xFFFFFFFF); /* nothing programmed yet */
	uint64_t t0 = sr_sim_now_ns(b);
	wreg(b, BANK1 + 0x5C, 0x11110007);
	assert_int_equal(reg(b, H7_SR(0)) & (H7_WBNE | H7_QW | H7_BSY), H7_QW | H7_BSY);
	sr_sim_advance(b, 200000);
	assert_true(reg(b, H7_SR(0)) & H7_QW); /* still programming after 200 us */
	assert_int_equal(h7_wait(b, 0), H7_EOP);
	assert_true(sr_sim_now_ns(b) - t0 >= 290000);
	for (int i = 0; i < 8; i++)
		assert_int_equal(reg(b, BANK1 + 0x40 + 4 * i), 0x11110000u + i);
	/* byte and half-word writes fill the buffer as well */
	uint8_t bytes[32];
	for (int i = 0; i < 32; i++)
		bytes[i] = (uint8_t)(0xA0 + i);
	assert_int_equal(sr_sim_mem_write(b, 0, BANK1 + 0x80, 1, bytes, 16, NULL), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_mem_write(b, 0, BANK1 + 0x90, 2, bytes + 16, 16, NULL),
	                 SR_SIM_ACK_OK);
	h7_wait(b, 0);
	assert_int_equal(reg(b, BANK1 + 0x80), 0xA3A2A1A0);
	assert_int_equal(reg(b, BANK1 + 0x9C), 0xBFBEBDBC);
	/* the queue holds two flash words: a third one waits for the first (bus stall) */
	uint8_t three[96];
	memset(three, 0x3C, sizeof(three));
	wreg(b, H7_CR(0), H7_PG | H7_X64);
	uint64_t t1 = sr_sim_now_ns(b);
	assert_int_equal(sr_sim_mem_write(b, 0, BANK1 + 0x400, 4, three, 96, NULL), SR_SIM_ACK_OK);
	assert_true(sr_sim_now_ns(b) - t1 >= 100000); /* x64: 100 us a flash word */
	assert_true(reg(b, H7_SR(0)) & H7_QW);
	h7_wait(b, 0);
	assert_int_equal(reg(b, BANK1 + 0x45C), 0x3C3C3C3C);
	/* bank 2 has its own buffer and controls: PG of bank 1 does not program bank 2 */
	wreg(b, BANK2, 0);
	assert_int_equal(reg(b, H7_SR(1)), H7_PGSERR);
	assert_int_equal(reg(b, BANK2), 0xFFFFFFFF);
}

static void test_partial_word_force_write_and_lost_buffer(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 1);
	wreg(b, H7_CR(1), H7_PG | H7_X64);
	wreg(b, BANK2 + 0x20, 0x12345678);
	wreg(b, BANK2 + 0x28, 0x9ABCDEF0);
	assert_int_equal(reg(b, H7_SR(1)), H7_WBNE);
	wreg(b, H7_CR(1), H7_PG | H7_X64 | H7_FW); /* force the partial word */
	assert_int_equal(reg(b, H7_CR(1)) & H7_FW, 0);
	assert_int_equal(h7_wait(b, 1), H7_EOP);
	assert_int_equal(reg(b, BANK2 + 0x20), 0x12345678);
	assert_int_equal(reg(b, BANK2 + 0x24), 0xFFFFFFFF); /* not written: left at 1 */
	assert_int_equal(reg(b, BANK2 + 0x28), 0x9ABCDEF0);
	/* FW with an empty buffer starts nothing */
	wreg(b, H7_CCR(1), H7_EOP);
	wreg(b, H7_CR(1), H7_PG | H7_X64 | H7_FW);
	assert_int_equal(reg(b, H7_SR(1)), 0);
	/* clearing PG drops a partly written buffer */
	wreg(b, BANK2 + 0x40, 0);
	wreg(b, H7_CR(1), H7_X64);
	assert_int_equal(reg(b, H7_SR(1)), 0);
	wreg(b, H7_CR(1), H7_PG | H7_X64);
	for (int i = 1; i < 8; i++)
		wreg(b, BANK2 + 0x40 + 4 * i, i);
	assert_int_equal(reg(b, H7_SR(1)), H7_WBNE); /* word 0 is missing again */
	assert_int_equal(reg(b, BANK2 + 0x40), 0xFFFFFFFF);
}

static void test_pgserr(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	wreg(b, BANK1, 0); /* locked, PG clear */
	assert_int_equal(reg(b, H7_SR(0)), H7_PGSERR);
	h7_unlock(b, 0);
	wreg(b, H7_CR(0), H7_X64);
	wreg(b, BANK1 + 0x100, 0);
	assert_int_equal(reg(b, BANK1 + 0x100), 0xFFFFFFFF);
	assert_int_equal(reg(b, H7_SR(0)), H7_PGSERR);
	wreg(b, H7_SR(0), H7_PGSERR); /* FLASH_SR is read-only: no effect */
	assert_int_equal(reg(b, H7_SR(0)), H7_PGSERR);
	wreg(b, H7_CCR(0), H7_PGSERR);
	assert_int_equal(reg(b, H7_SR(0)), 0);
}

static void test_incerr_strberr(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 0);
	wreg(b, H7_CR(0), H7_PG | H7_X64);
	wreg(b, BANK1 + 0x200, 1);
	wreg(b, BANK1 + 0x220, 2); /* another flash word before the first was complete */
	assert_int_equal(reg(b, H7_SR(0)), H7_INCERR);
	/* a write while INCERR is set is a sequence error */
	wreg(b, BANK1 + 0x240, 3);
	assert_int_equal(reg(b, H7_SR(0)), H7_INCERR | H7_PGSERR);
	wreg(b, H7_CCR(0), H7_INCERR | H7_PGSERR);
	/* the same word twice in the buffer */
	wreg(b, BANK1 + 0x260, 4);
	wreg(b, BANK1 + 0x260, 5);
	assert_int_equal(reg(b, H7_SR(0)), H7_STRBERR);
	wreg(b, H7_CCR(0), H7_STRBERR);
	h7_program(b, 0, BANK1 + 0x260, 0x60);
	for (uint32_t a = 0x200; a < 0x260; a += 4)
		assert_int_equal(reg(b, BANK1 + a),
		                 0xFFFFFFFF); /* lost buffers programmed nothing */
	assert_int_equal(reg(b, BANK1 + 0x27C), 0x67);
}

/* Program a word into sector S of both banks. */
static void mark_sectors(struct sr_sim_board *b)
{
	for (int k = 0; k < 2; k++)
		for (uint32_t s = 0; s < 8; s++)
			h7_program(b, k, (k ? BANK2 : BANK1) + s * SECT + 0x1000,
			           (k << 8 | s) << 16);
}

static void check_marks(struct sr_sim_board *b, int erased_bank, int erased_sect)
{
	for (int k = 0; k < 2; k++)
		for (int s = 0; s < 8; s++) {
			uint32_t a = (k ? BANK2 : BANK1) + (uint32_t)s * SECT + 0x1000;
			bool gone = k == erased_bank && (erased_sect < 0 || erased_sect == s);
			assert_int_equal(reg(b, a),
			                 gone ? 0xFFFFFFFF : (uint32_t)(k << 8 | s) << 16);
		}
}

static void test_sector_erase_exactly_one(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 0);
	h7_unlock(b, 1);
	mark_sectors(b);
	uint64_t t0 = sr_sim_now_ns(b);
	wreg(b, H7_CR(1), H7_SER | H7_X64 | H7_SNB(3));
	wreg(b, H7_CR(1), H7_SER | H7_X64 | H7_SNB(3) | H7_START);
	assert_int_equal(reg(b, H7_CR(1)) & H7_START, 0); /* acknowledged at once */
	assert_int_equal(reg(b, H7_SR(1)) & (H7_QW | H7_BSY), H7_QW | H7_BSY);
	/* bank 1 reads on while bank 2 erases (no stall) */
	uint64_t t1 = sr_sim_now_ns(b);
	assert_int_equal(reg(b, BANK1 + 0x1000), 0);
	assert_true(sr_sim_now_ns(b) - t1 < 10 * MS);
	sr_sim_advance(b, 900 * MS);
	assert_true(reg(b, H7_SR(1)) & H7_QW); /* 1 s typ at x64, DS12117 table 42 */
	assert_int_equal(h7_wait(b, 1), H7_EOP);
	assert_true(sr_sim_now_ns(b) - t0 >= 1000 * MS);
	check_marks(b, 1, 3);
	/* a read of the erasing bank waits for the erase */
	wreg(b, H7_CR(0), H7_SER | H7_X64 | H7_SNB(7) | H7_START);
	t1 = sr_sim_now_ns(b);
	assert_int_equal(reg(b, BANK1 + 7 * SECT + 0x1000), 0xFFFFFFFF);
	assert_true(sr_sim_now_ns(b) - t1 >= 1000 * MS);
	assert_false(reg(b, H7_SR(0)) & H7_QW);
}

static void test_bank_and_mass_erase(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 0);
	h7_unlock(b, 1);
	mark_sectors(b);
	wreg(b, H7_CR(0), H7_BER | H7_SER | H7_X64 | H7_START); /* BER wins over SER */
	h7_wait(b, 0);
	check_marks(b, 0, -1);
	/* MER in FLASH_OPTCR: both banks (with FLASH_CR1/2 unlocked) */
	mark_sectors(b);
	uint64_t t0 = sr_sim_now_ns(b);
	wreg(b, H7_OPTCR, 0x10);
	h7_wait(b, 0);
	h7_wait(b, 1);
	assert_true(sr_sim_now_ns(b) - t0 >= 5000 * MS); /* t_ME x64 5 s typ */
	assert_true(sr_sim_now_ns(b) - t0 < 6000 * MS);  /* the banks erase in parallel */
	for (int k = 0; k < 2; k++)
		for (uint32_t s = 0; s < 8; s++)
			assert_int_equal(reg(b, (k ? BANK2 : BANK1) + s * SECT + 0x1000),
			                 0xFFFFFFFF);
}

static void test_wrperr(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 0);
	h7_unlock(b, 1);
	h7_program(b, 0, BANK1 + 2 * SECT, 0x22);
	h7_option(b, H7_WPSN_PRG(0), 0xFB); /* sector 2 of bank 1 write-protected */
	assert_int_equal(reg(b, H7_WPSN_CUR(0)), 0xFB);
	assert_int_equal(reg(b, H7_WPSN_CUR(1)), 0xFF);
	wreg(b, H7_CR(0), H7_PG | H7_X64);
	for (int i = 0; i < 8; i++)
		wreg(b, BANK1 + 2 * SECT + 0x40 + 4 * i, 0);
	assert_int_equal(h7_wait(b, 0), H7_WRPERR);
	assert_int_equal(reg(b, BANK1 + 2 * SECT + 0x40), 0xFFFFFFFF);
	wreg(b, H7_CCR(0), H7_WRPERR);
	wreg(b, H7_CR(0), H7_SER | H7_X64 | H7_SNB(2) | H7_START);
	assert_int_equal(h7_wait(b, 0), H7_WRPERR);
	assert_int_equal(reg(b, BANK1 + 2 * SECT), 0x22);
	wreg(b, H7_CCR(0), H7_WRPERR);
	wreg(b, H7_CR(0), H7_BER | H7_X64 | H7_START); /* any protected sector: no bank erase */
	assert_int_equal(h7_wait(b, 0), H7_WRPERR);
	assert_int_equal(reg(b, BANK1 + 2 * SECT), 0x22);
	/* bank 2 and the other sectors of bank 1 are not protected */
	wreg(b, H7_CCR(0), H7_WRPERR);
	h7_program(b, 0, BANK1 + 3 * SECT, 0x33);
	wreg(b, H7_CR(1), H7_BER | H7_X64 | H7_START);
	assert_int_equal(h7_wait(b, 1), H7_EOP);
}

static void test_rdp1_then_regression_keeps_pcrop(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	uint32_t v;
	h7_unlock(b, 0);
	h7_program(b, 0, BANK1 + 0x100, 0x1000);  /* in the PCROP area below */
	h7_program(b, 0, BANK1 + 0x8000, 0x8000); /* outside it */
	wreg(b, 0x24000000, 0x55555555);          /* AXI SRAM */
	h7_option(b, H7_PRAR_PRG(0), 0x00010001); /* 0x08000100-0x080001FF, DMEP 0 */
	assert_int_equal(rd32(b, BANK1 + 0x100, &v), SR_SIM_ACK_FAULT); /* PCROP: no data read */
	clear_sticky(b);
	assert_int_equal(reg(b, H7_SR(0)), H7_RDPERR);
	wreg(b, H7_CCR(0), H7_RDPERR);
	uint32_t cur = h7_option(b, H7_OPTSR_PRG, (reg(b, H7_OPTSR_PRG) & ~0xFF00u) | 0xBB00u);
	assert_int_equal(cur & 0xFF00, 0xBB00); /* level 1 */
	assert_int_equal(rd32(b, BANK1 + 0x8000, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, H7_SR(0)), H7_RDPERR);
	wreg(b, H7_CCR(0), H7_RDPERR);
	assert_int_equal(reg(b, 0x24000000), 0x55555555); /* RAM stays readable */
	/* programming is refused too */
	wreg(b, H7_CR(0), H7_PG | H7_X64);
	for (int i = 0; i < 8; i++)
		wreg(b, BANK1 + 0x9000 + 4 * i, 0);
	assert_int_equal(h7_wait(b, 0), H7_WRPERR);
	wreg(b, H7_CCR(0), H7_WRPERR);
	/* still level 1 after a reset */
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(rd32(b, BANK1 + 0x8000, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	/* 1 -> 0: the flash is erased, the PCROP area with DMEP = 0 kept */
	uint64_t t0 = sr_sim_now_ns(b);
	cur = h7_option(b, H7_OPTSR_PRG, (reg(b, H7_OPTSR_PRG) & ~0xFF00u) | 0xAA00u);
	assert_int_equal(cur & 0xFF00, 0xAA00);
	assert_true(sr_sim_now_ns(b) - t0 >= 5000 * MS);
	assert_int_equal(reg(b, BANK1 + 0x8000), 0xFFFFFFFF);
	h7_option(b, H7_PRAR_PRG(0), 0x000000FF); /* no PCROP area any more */
	assert_int_equal(reg(b, BANK1 + 0x100), 0x1000);
}

static void test_rdp2_closes_debug_for_good(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = h7_connected(state);
	uint32_t v;
	h7_opt_unlock(b);
	wreg(b, H7_OPTSR_PRG, (reg(b, H7_OPTSR_PRG) & ~0xFF00u) | 0xCC00u);
	wreg(b, H7_OPTCR, 2);
	sr_sim_advance(b, 1000 * MS);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	sr_sim_board_nrst(b, true);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	sr_sim_board_nrst(b, false);
	reopen(f);
	sr_sim_board_set_power(f->b, 0);
	sr_sim_board_set_power(f->b, 3300);
	assert_int_equal(sr_sim_swd_line_reset(f->b), SR_SIM_ACK_NONE);
	assert_int_equal(sr_sim_dp_read(f->b, 0, &v), SR_SIM_ACK_NONE);
}

static void test_secure_area_and_optchangeerr(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	uint32_t v;
	h7_unlock(b, 1);
	h7_program(b, 1, BANK2 + 0x400, 0x400);
	/* a secure-only area is inert until SECURITY is set */
	h7_option(b, H7_SCAR_PRG(1), 0x00040004); /* 0x08100400-0x081004FF */
	assert_int_equal(reg(b, BANK2 + 0x400), 0x400);
	uint32_t cur = h7_option(b, H7_OPTSR_PRG, reg(b, H7_OPTSR_PRG) | (1u << 21));
	assert_true(cur & (1u << 21));
	assert_int_equal(rd32(b, BANK2 + 0x404, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, H7_SR(1)), H7_RDSERR);
	assert_int_equal(reg(b, H7_SR(0)), 0);
	wreg(b, H7_CCR(1), H7_RDSERR);
	/* SECURITY cannot be cleared by an option change: OPTCHANGEERR, nothing changes */
	cur = h7_option(b, H7_OPTSR_PRG, reg(b, H7_OPTSR_PRG) & ~(1u << 21));
	assert_true(cur & (1u << 30));
	assert_true(cur & (1u << 21));
	wreg(b, H7_OPTCCR, 1u << 30);
	assert_false(reg(b, H7_OPTSR_CUR) & (1u << 30));
}

static void test_option_change_and_reload(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = h7_connected(state);
	uint32_t cur0 = reg(b, H7_OPTSR_CUR);
	assert_int_equal(cur0, 0x1BD6AAF0); /* factory, optbytes/stm32h7.ini */
	assert_int_equal(reg(b, H7_BOOT_CUR), 0x1FF00800);
	/* PRG registers are locked by OPTLOCK */
	wreg(b, H7_OPTSR_PRG, cur0 & ~0x10u);
	assert_int_equal(reg(b, H7_OPTSR_PRG), cur0);
	/* a wrong option key locks FLASH_OPTCR until reset */
	wreg(b, H7_OPTKEYR, OPTKEY1);
	assert_int_equal(wr32(b, H7_OPTKEYR, KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, H7_OPTKEYR, OPTKEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, AIRCR, 0x05FA0004);
	/* IWDG1 to hardware mode and BOOT_ADD0 to AXI SRAM */
	h7_opt_unlock(b);
	wreg(b, H7_OPTSR_PRG, cur0 & ~0x10u);
	wreg(b, H7_BOOT_PRG, 0x1FF02400);
	uint64_t t0 = sr_sim_now_ns(b);
	wreg(b, H7_OPTCR, 2);
	assert_true(reg(b, H7_OPTSR_CUR) & 1); /* OPT_BUSY */
	assert_true(reg(b, H7_OPTCR) & 2);
	assert_true(reg(b, H7_SR(0)) & H7_QW);
	wreg(b, H7_CCR(0), H7_EOP); /* register writes wait for the option change */
	assert_true(sr_sim_now_ns(b) - t0 >= 300 * MS);
	assert_false(reg(b, H7_OPTSR_CUR) & 1);
	uint32_t cur = h7_opt_wait(b);
	assert_int_equal(cur, cur0 & ~0x10u);
	assert_int_equal(reg(b, H7_BOOT_CUR), 0x1FF02400);
	/* the new values hold after the board is closed and opened again */
	wreg(b, 0x24000000, 0x24010000); /* SP */
	wreg(b, 0x24000004, 0x24000101); /* reset vector: Thumb code at 0x24000100 */
	reopen(f);
	b = h7_reconnect(f);
	assert_int_equal(reg(b, H7_OPTSR_CUR), cur0 & ~0x10u);
	/* reset: vectors from BOOT_ADD0 << 16, and the hardware watchdog runs */
	wreg(b, DEMCR, 1); /* VC_CORERESET */
	wreg(b, DHCSR, 0xA05F0001);
	wreg(b, AIRCR, 0x05FA0004);
	assert_true(reg(b, DHCSR) & (1u << 17));
	wreg(b, DCRSR, 15);
	assert_int_equal(reg(b, DCRDR), 0x24000100);
	wreg(b, DCRSR, 13);
	assert_int_equal(reg(b, DCRDR), 0x24010000);
	assert_int_equal(reg(b, 0x58024474) & 3, 3); /* RCC_CSR: the IWDG forced LSI on */
}

#define H7_PRAR_CUR(b) (H7_FLASH + 0x100 * (b) + 0x28)
#define H7_SCAR_CUR(b) (H7_FLASH + 0x100 * (b) + 0x30)
#define OB_ERASED      0xBFFFFFFEu /* every option bit 1, OPT_BUSY and OPTCHANGEERR 0 */

/* Arm [faults] power_loss_during_ob in the closed board's file and open it again. */
static struct sr_sim_board *arm_power_loss(struct fixture *f)
{
	sr_sim_board_close(f->b);
	edit_state(f, "faults", "power_loss_during_ob", "true");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	struct sr_sim_board *b = h7_reconnect(f);
	halt(b);
	return b;
}

/* The option registers as an interrupted change leaves them (flash-h7-ob.c
 * change_interrupted: the option words taken as erased, RM0433 silent). */
static void assert_options_erased(struct sr_sim_board *b)
{
	assert_int_equal(reg(b, H7_OPTSR_CUR), OB_ERASED); /* RDP 0xFF: level 1 */
	assert_int_equal(reg(b, H7_OPTSR_PRG), OB_ERASED); /* a reset copies CUR */
	for (int k = 0; k < 2; k++) {
		assert_int_equal(reg(b, H7_PRAR_CUR(k)), 0x8FFF0FFF);
		assert_int_equal(reg(b, H7_SCAR_CUR(k)), 0x8FFF0FFF);
		assert_int_equal(reg(b, H7_WPSN_CUR(k)), 0xFF);
	}
	assert_int_equal(reg(b, H7_BOOT_CUR), 0xFFFFFFFF);
}

/* Power lost as OPTSTART starts programming: the board goes dark; when power
 * returns the debugger connects, the option bytes read erased (RDP level 1, and
 * SECURITY set, which no option change can clear again, RM0433 4.5.5), flash is
 * closed to it; the regression opens it, erased. The fault fires once. */
static void test_power_loss_during_option_change(void **state)
{
	struct fixture *f = *state;
	uint32_t v;
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 0);
	h7_program(b, 0, BANK1 + 0x8000, 0x8000);
	b = arm_power_loss(f);
	uint32_t cur0 = reg(b, H7_OPTSR_CUR);
	h7_opt_unlock(b);
	wreg(b, H7_OPTSR_PRG, cur0 & ~0x10u); /* IWDG1 to hardware mode: any change */
	wreg(b, H7_OPTCR, 2);                 /* OPTSTART */
	assert_int_equal(sr_sim_board_vtarget_mv(b), 0);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	reopen(f); /* the state file keeps the dark board and the fired fault */
	assert_int_equal(sr_sim_board_vtarget_mv(f->b), 0);
	sr_sim_board_set_power(f->b, 3300);
	b = h7_reconnect(f);
	halt(b);
	assert_options_erased(b);
	assert_int_equal(rd32(b, BANK1 + 0x8000, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, H7_SR(0)), H7_RDPERR);
	wreg(b, H7_CCR(0), H7_RDPERR);
	wreg(b, 0x24000100, 0x5A5A5A5A); /* RAM answers as ever */
	assert_int_equal(reg(b, 0x24000100), 0x5A5A5A5A);
	/* back to level 0: allowed with SECURITY kept; the flash is erased and this
	 * time the power stays (one shot) */
	uint32_t cur = h7_option(b, H7_OPTSR_PRG, (OB_ERASED & ~0xFF00u) | 0xAA00u);
	assert_int_equal(cur & 0xFF00, 0xAA00);
	assert_int_equal(sr_sim_board_vtarget_mv(b), 3300);
	assert_int_equal(reg(b, BANK1 + 0x8000), 0xFFFFFFFF);
	/* the erased SCAR (start = end = 0xFFF) is a secure-only unit at the bank's top */
	assert_int_equal(rd32(b, BANK1 + 0xFFF00, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, H7_CCR(0), 0x1FEF0000u);
	/* SECURITY cannot be cleared: OPTCHANGEERR */
	cur = h7_option(b, H7_OPTSR_PRG, reg(b, H7_OPTSR_PRG) & ~(1u << 21));
	assert_true(cur & (1u << 30));
	assert_true(cur & (1u << 21));
}

/* A 1 -> 0 regression cut short: the flash is already erased and RDP is back at
 * level 1 (erased option bytes); an NRST reset during a change does the same to
 * the option bytes as a power loss. */
static void test_regression_cut_short(void **state)
{
	struct fixture *f = *state;
	uint32_t v;
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 1);
	h7_program(b, 1, BANK2 + 0x400, 0x400);
	uint32_t cur0 = reg(b, H7_OPTSR_CUR);
	h7_option(b, H7_OPTSR_PRG, (cur0 & ~0xFF00u) | 0xBB00u);
	b = arm_power_loss(f);
	h7_opt_unlock(b);
	wreg(b, H7_OPTSR_PRG, cur0); /* RDP 0xAA */
	wreg(b, H7_OPTCR, 2);
	assert_int_equal(sr_sim_board_vtarget_mv(b), 0);
	sr_sim_board_set_power(b, 3300);
	b = h7_reconnect(f);
	halt(b);
	assert_options_erased(b);
	assert_int_equal(rd32(b, BANK2 + 0x400, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	cur0 = h7_option(b, H7_OPTSR_PRG, (OB_ERASED & ~0xFF00u) | 0xAA00u);
	assert_int_equal(reg(b, BANK2 + 0x400), 0xFFFFFFFF); /* erased before the cut */
	/* NRST while a change runs: the same erased option bytes, no power lost */
	h7_opt_unlock(b);
	wreg(b, H7_OPTSR_PRG, cur0 & ~0x10u);
	wreg(b, H7_OPTCR, 2);
	assert_true(reg(b, H7_OPTSR_CUR) & 1); /* OPT_BUSY */
	sr_sim_board_nrst(b, true);
	sr_sim_board_nrst(b, false);
	assert_int_equal(sr_sim_board_vtarget_mv(b), 3300);
	b = h7_reconnect(f);
	halt(b);
	assert_options_erased(b);
}

static void test_ecc_errors(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = h7_connected(state);
	uint32_t v;
	h7_unlock(b, 0);
	h7_program(b, 0, BANK1 + 0x60, 0xF0);
	h7_program(b, 0, BANK1 + 0x60, 0xF0); /* the same data again: ECC still right */
	assert_int_equal(reg(b, BANK1 + 0x60), 0xF0);
	h7_program(b, 0, BANK1 + 0x60, 0x0F); /* different data: the ECC no longer fits */
	assert_int_equal(rd32(b, BANK1 + 0x64, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, H7_SR(0)), H7_DBECCERR);
	assert_int_equal(reg(b, H7_ECC_FA(0)), 3); /* flash word 3 of bank 1 */
	wreg(b, H7_CCR(0), H7_DBECCERR);
	/* a corrected single error, set up in the state file: data right, flag set */
	sr_sim_board_close(b);
	struct sr_sim_state *st;
	assert_int_equal(sr_sim_state_load(f->path, &st), SR_OK);
	sr_sim_state_set(st, "flash", "ecc",
	                 "0x08000060:double 0x08100020:single 0x08100040:single");
	assert_int_equal(sr_sim_state_save(st), SR_OK);
	sr_sim_state_free(st);
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	b = h7_connected(state);
	assert_int_equal(reg(b, BANK2 + 0x20), 0xFFFFFFFF);
	assert_int_equal(reg(b, H7_SR(1)), H7_SNECCERR);
	assert_int_equal(reg(b, H7_ECC_FA(1)), 1);
	assert_int_equal(reg(b, BANK2 + 0x40), 0xFFFFFFFF);
	assert_int_equal(reg(b, H7_ECC_FA(1)), 1); /* the first failing word stays latched */
	wreg(b, H7_CCR(1), H7_SNECCERR);
	assert_int_equal(reg(b, H7_ECC_FA(1)), 0);
	/* erasing the sector clears the bad ECC (bank 1 is still unlocked: the state
	 * file kept it so) */
	assert_int_equal(reg(b, H7_CR(0)) & H7_LOCK, 0);
	wreg(b, H7_CR(0), H7_SER | H7_X64 | H7_SNB(0) | H7_START);
	h7_wait(b, 0);
	assert_int_equal(reg(b, BANK1 + 0x60), 0xFFFFFFFF);
	assert_int_equal(reg(b, H7_SR(0)) & H7_DBECCERR, 0);
}

/* CRC as AN5507 computes it in software. */
static uint32_t crc_sw(const uint32_t *w, size_t n)
{
	uint32_t crc = 0;
	for (size_t i = 0; i < n; i++) {
		crc ^= w[i];
		for (int k = 0; k < 32; k++)
			crc = crc & 0x80000000u ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
		crc ^= 0x55555555u;
	}
	return crc;
}

static void test_crc(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	uint32_t words[32];
	h7_unlock(b, 0);
	for (int i = 0; i < 4; i++)
		h7_program(b, 0, BANK1 + 0x1000 + 32 * i, 0x100u * i);
	for (int i = 0; i < 32; i++)
		words[i] = 0x100u * (i / 8) + i % 8;
	wreg(b, H7_CRCCR(0), 1u << 17); /* no CRC_EN: ignored */
	assert_int_equal(reg(b, H7_CRCCR(0)), 0);
	wreg(b, H7_CR(0), H7_CRC_EN | H7_X64);
	wreg(b, H7_CRCSADD(0), BANK1 + 0x1000);
	wreg(b, H7_CRCEADD(0), BANK1 + 0x107F); /* 4 flash words: one burst of 4 */
	wreg(b, H7_CRCCR(0), 1u << 17);         /* CLEAN_CRC */
	wreg(b, H7_CRCCR(0), 1u << 16);         /* START_CRC, range mode, burst 4 */
	assert_true(reg(b, H7_SR(0)) & H7_CRC_BUSY);
	sr_sim_advance(b, MS);
	assert_int_equal(reg(b, H7_SR(0)), H7_CRCEND);
	assert_int_equal(reg(b, H7_CRCDATA), crc_sw(words, 32));
	/* over a PCROP area: CRCRDERR with CRCEND */
	wreg(b, H7_CCR(0), H7_CRCEND);
	h7_option(b, H7_PRAR_PRG(0), 0x00100010); /* 0x08001000-0x080010FF */
	wreg(b, H7_CRCCR(0), (1u << 17));
	wreg(b, H7_CRCCR(0), (1u << 16));
	sr_sim_advance(b, MS);
	assert_int_equal(reg(b, H7_SR(0)), H7_CRCEND | H7_CRCRDERR);
	/* clearing CRC_EN resets CRCDATA */
	wreg(b, H7_CR(0), H7_X64);
	assert_int_equal(reg(b, H7_CRCDATA), 0);
}

static void test_queue_survives_processes(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = h7_connected(state);
	h7_unlock(b, 0);
	wreg(b, H7_CR(0), H7_PG | H7_X64);
	for (int i = 0; i < 5; i++)
		wreg(b, BANK1 + 0x300 + 4 * i, 0xC0 + i);
	reopen(f); /* a new process finds the half-filled buffer */
	b = h7_reconnect(f);
	assert_int_equal(reg(b, H7_SR(0)), H7_WBNE);
	for (int i = 5; i < 8; i++)
		wreg(b, BANK1 + 0x300 + 4 * i, 0xC0 + i);
	reopen(f); /* ... and the next one the word still being programmed */
	b = h7_reconnect(f);
	assert_true(reg(b, H7_SR(0)) & H7_QW);
	assert_int_equal(h7_wait(b, 0), H7_EOP);
	assert_int_equal(reg(b, BANK1 + 0x31C), 0xC7);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, h7_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_banks_lock_apart),
	    T(test_flash_word_programming),
	    T(test_partial_word_force_write_and_lost_buffer),
	    T(test_pgserr),
	    T(test_incerr_strberr),
	    T(test_sector_erase_exactly_one),
	    T(test_bank_and_mass_erase),
	    T(test_wrperr),
	    T(test_rdp1_then_regression_keeps_pcrop),
	    T(test_rdp2_closes_debug_for_good),
	    T(test_secure_area_and_optchangeerr),
	    T(test_option_change_and_reload),
	    T(test_power_loss_during_option_change),
	    T(test_regression_cut_short),
	    T(test_ecc_errors),
	    T(test_crc),
	    T(test_queue_survives_processes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
