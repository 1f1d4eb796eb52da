/* The L4-generation flash controller of the virtual STM32L476, STM32G431 and STM32G474,
 * through the MEM-AP as a probe drives it: RM0440 3.3-3.7 (RM0351 3.3-3.7). */
#include "sim-test-chip.h"

#define L4_KEYR     0x40022008u
#define L4_OPTKEYR  0x4002200Cu
#define L4_SR       0x40022010u
#define L4_CR       0x40022014u
#define L4_OPTR     0x40022020u
#define L4_PCROP1SR 0x40022024u
#define L4_PCROP1ER 0x40022028u
#define L4_WRP1AR   0x4002202Cu
#define L4_PCROP2SR 0x40022044u
#define L4_PCROP2ER 0x40022048u
#define RCC_CSR     0x40021094u
#define DBG_APB1FZ1 0xE0042008u
#define DBG_APB1FZ2 0xE004200Cu
#define DBG_APB2FZ  0xE0042010u
#define OB_PAGE     0x1FFF7800u
#define US          1000ull

#define EOP     (1u << 0)
#define OPERR   (1u << 1)
#define PROGERR (1u << 3)
#define WRPERR  (1u << 4)
#define PGAERR  (1u << 5)
#define SIZERR  (1u << 6)
#define PGSERR  (1u << 7)
#define MISERR  (1u << 8)
#define FASTERR (1u << 9)
#define RDERR   (1u << 14)
#define OPTVERR (1u << 15)
#define BSY     (1u << 16)

#define PG      (1u << 0)
#define PER     (1u << 1)
#define MER1    (1u << 2)
#define BKER    (1u << 11)
#define MER2    (1u << 15)
#define STRT    (1u << 16)
#define OPTSTRT (1u << 17)
#define FSTPG   (1u << 18)
#define EOPIE   (1u << 24)
#define ERRIE   (1u << 25)
#define OBL     (1u << 27)
#define OPTLOCK (1u << 30)
#define LOCK    (1u << 31)

#define OPTR_FACTORY 0xFFEFF8AAu /* RM0440 3.4.1, RM0351 3.4.1 */

static int setup_l476(void **s)
{
	return chip_fixture_setup(s, "stm32l476");
}

static int setup_g431(void **s)
{
	return chip_fixture_setup(s, "stm32g431");
}

static int setup_g474(void **s)
{
	return chip_fixture_setup(s, "stm32g474");
}

static void unlock(struct sr_sim_board *b)
{
	wreg(b, L4_KEYR, KEY1);
	wreg(b, L4_KEYR, KEY2);
	assert_int_equal(reg(b, L4_CR) & LOCK, 0);
}

static void opt_unlock(struct sr_sim_board *b)
{
	if (reg(b, L4_CR) & LOCK)
		unlock(b);
	if (!(reg(b, L4_CR) & OPTLOCK))
		return;
	wreg(b, L4_OPTKEYR, OPTKEY1);
	wreg(b, L4_OPTKEYR, OPTKEY2);
	assert_int_equal(reg(b, L4_CR) & OPTLOCK, 0);
}

/* Poll FLASH_SR in STEP_NS steps until BSY clears; returns SR. */
static uint32_t wait_step(struct sr_sim_board *b, uint64_t step_ns)
{
	for (int i = 0; i < 200000; i++) {
		uint32_t sr = reg(b, L4_SR);
		if (!(sr & BSY))
			return sr;
		sr_sim_advance(b, step_ns);
	}
	fail_msg("BSY never cleared");
	return 0;
}

static uint32_t wait(struct sr_sim_board *b)
{
	return wait_step(b, 100 * US);
}

static void program(struct sr_sim_board *b, uint32_t addr, uint32_t lo, uint32_t hi)
{
	wreg(b, L4_CR, PG);
	wreg(b, addr, lo);
	wreg(b, addr + 4, hi);
	assert_int_equal(wait(b) & 0xFFFE, 0);
	wreg(b, L4_CR, 0);
}

static uint32_t page_erase(struct sr_sim_board *b, uint32_t cr_bank, unsigned page)
{
	wreg(b, L4_CR, PER | page << 3 | cr_bank | STRT);
	return wait(b);
}

static uint32_t mass_erase(struct sr_sim_board *b, uint32_t mers)
{
	wreg(b, L4_CR, mers);
	wreg(b, L4_CR, mers | STRT);
	return wait(b);
}

/* Write one option register, OPTSTRT, wait; then OBL_LAUNCH when LOAD. */
static void set_option(struct sr_sim_board *b, uint32_t addr, uint32_t val, bool load)
{
	opt_unlock(b);
	wreg(b, addr, val);
	wreg(b, L4_CR, OPTSTRT);
	assert_int_equal(wait(b) & 0xFFFE, 0);
	if (load)
		wreg(b, L4_CR, OBL); /* a system reset with option-byte load */
}

static void sysreset(struct sr_sim_board *b)
{
	wreg(b, AIRCR, 0x05FA0004);
}

static void test_keys_and_locks(void **state)
{
	struct sr_sim_board *b = connected(state);
	assert_int_equal(reg(b, L4_CR), LOCK | OPTLOCK); /* 0xC0000000, RM0440 3.7.6 */
	wreg(b, L4_CR, PG);
	assert_int_equal(reg(b, L4_CR), LOCK | OPTLOCK);
	/* OPTKEYR before LOCK is cleared: a wrong sequence, OPTLOCK kept until reset */
	assert_int_equal(wr32(b, L4_OPTKEYR, OPTKEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	unlock(b);
	assert_int_equal(wr32(b, L4_OPTKEYR, OPTKEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_true(reg(b, L4_CR) & OPTLOCK);
	wreg(b, L4_OPTR, 0xFFEFF8BB); /* ignored while OPTLOCK */
	assert_int_equal(reg(b, L4_OPTR), OPTR_FACTORY);
	sysreset(b);
	opt_unlock(b);
	wreg(b, L4_CR, LOCK); /* LOCK sets OPTLOCK too, RM0440 3.4.2 */
	assert_int_equal(reg(b, L4_CR), LOCK | OPTLOCK);
	/* a wrong FLASH_KEYR key: bus error, locked until reset */
	wreg(b, L4_KEYR, KEY1);
	assert_int_equal(wr32(b, L4_KEYR, 0x11111111), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, L4_KEYR, KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	sysreset(b);
	unlock(b);
	/* keys to an unlocked FLASH_CR are a wrong sequence and lock it */
	assert_int_equal(wr32(b, L4_KEYR, KEY1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_true(reg(b, L4_CR) & LOCK);
}

static void test_double_word_programming(void **state)
{
	struct sr_sim_board *b = connected(state);
	unlock(b);
	wreg(b, L4_CR, PG);
	wreg(b, FLASH_BASE, 0x11111111);
	assert_int_equal(reg(b, L4_SR), 0); /* half a double word: nothing starts */
	wreg(b, FLASH_BASE + 4, 0x22222222);
	assert_true(reg(b, L4_SR) & BSY);
	sr_sim_advance(b, 80 * US);
	assert_true(reg(b, L4_SR) & BSY); /* 81.7 us, DS12589 table 46 */
	sr_sim_advance(b, 2 * US);
	assert_int_equal(reg(b, L4_SR), 0); /* no EOP without EOPIE */
	assert_int_equal(reg(b, FLASH_BASE), 0x11111111);
	assert_int_equal(reg(b, FLASH_BASE + 4), 0x22222222);
	/* the second word of another double word: PGAERR, nothing written */
	wreg(b, FLASH_BASE + 0x10, 0x33333333);
	wreg(b, FLASH_BASE + 0x1C, 0x44444444);
	assert_int_equal(reg(b, L4_SR), PGAERR);
	assert_int_equal(reg(b, FLASH_BASE + 0x10), 0xFFFFFFFF);
	wreg(b, L4_SR, PGAERR);
	/* a programmed double word takes only all zeros (RM0440 3.3.7) */
	wreg(b, L4_CR, PG | EOPIE);
	wreg(b, FLASH_BASE, 0x0000FFFF);
	wreg(b, FLASH_BASE + 4, 0);
	assert_int_equal(wait(b), PROGERR);
	assert_int_equal(reg(b, FLASH_BASE), 0x11111111);
	wreg(b, L4_SR, PROGERR);
	wreg(b, FLASH_BASE, 0);
	wreg(b, FLASH_BASE + 4, 0);
	assert_int_equal(wait(b), EOP);
	assert_int_equal(reg(b, FLASH_BASE), 0);
}

static void test_size_align_sequence_errors(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint16_t half = 0x1234;
	unlock(b);
	wreg(b, FLASH_BASE + 0x20, 0); /* PG clear */
	assert_int_equal(reg(b, L4_SR), PGSERR);
	wreg(b, L4_SR, 0); /* writing 0 clears nothing */
	assert_int_equal(reg(b, L4_SR), PGSERR);
	wreg(b, L4_SR, PGSERR);
	wreg(b, L4_CR, PG);
	assert_int_equal(sr_sim_mem_write(b, 0, FLASH_BASE, 2, (uint8_t *)&half, 2, NULL),
	                 SR_SIM_ACK_OK);
	assert_int_equal(reg(b, L4_SR), SIZERR);
	/* an error left set makes the next write a sequence error */
	wreg(b, FLASH_BASE, 0x12345678);
	assert_int_equal(reg(b, L4_SR), SIZERR | PGSERR);
	wreg(b, L4_SR, SIZERR | PGSERR);
	wreg(b, FLASH_BASE + 4, 0); /* first word off a double word */
	assert_int_equal(reg(b, L4_SR), PGAERR);
	wreg(b, L4_SR, PGAERR);
	wreg(b, L4_CR, PG | PER); /* PG with PER */
	wreg(b, FLASH_BASE, 0);
	assert_int_equal(reg(b, L4_SR), PGSERR);
	wreg(b, L4_SR, PGSERR);
	/* OPERR only with ERRIE */
	wreg(b, L4_CR, ERRIE);
	wreg(b, FLASH_BASE, 0);
	assert_int_equal(reg(b, L4_SR), PGSERR | OPERR);
	/* an erase with an error pending, or with PG, or with PER and MER1: PGSERR */
	wreg(b, L4_SR, PGSERR | OPERR);
	wreg(b, L4_CR, PG);
	assert_int_equal(sr_sim_mem_write(b, 0, FLASH_BASE, 2, (uint8_t *)&half, 2, NULL),
	                 SR_SIM_ACK_OK);
	assert_int_equal(reg(b, L4_SR), SIZERR);
	wreg(b, L4_CR, PER | 3 << 3 | STRT);
	assert_int_equal(reg(b, L4_SR), SIZERR | PGSERR);
	assert_int_equal(reg(b, L4_CR) & STRT, 0);
	wreg(b, L4_SR, SIZERR | PGSERR);
	wreg(b, L4_CR, PG | PER | STRT);
	assert_int_equal(reg(b, L4_SR), PGSERR);
	wreg(b, L4_SR, PGSERR);
	wreg(b, L4_CR, PER | MER1 | STRT);
	assert_int_equal(reg(b, L4_SR), PGSERR);
}

/* DIAGNOSES A5: erasing G431 page 32 (0x08010000) erases that page and nothing else. */
static void test_g431_page32_only(void **state)
{
	struct sr_sim_board *b = connected(state);
	const uint32_t p31 = 0x0800F800, p32 = 0x08010000, p33 = 0x08010800;
	unlock(b);
	program(b, p31, 0x31, 0x31);
	program(b, p31 + 0x7F8, 0x31F, 0x31F);
	program(b, p32, 0x32, 0x32);
	program(b, p32 + 0x400, 0x324, 0x324);
	program(b, p32 + 0x7F8, 0x32F, 0x32F);
	program(b, p33, 0x33, 0x33);
	uint64_t t0 = sr_sim_now_ns(b);
	/* PNB is 6 bits on category 2: bit 6 of the page number is not kept */
	wreg(b, L4_CR, PER | (32u | 64u) << 3 | STRT);
	assert_int_equal(reg(b, L4_CR) & (0xFFu << 3), 32u << 3);
	sr_sim_advance(b, 21 * MS);
	assert_true(reg(b, L4_SR) & BSY); /* 22.02 ms, DS12589 table 46 */
	assert_int_equal(wait_step(b, 100 * US), 0);
	assert_true(sr_sim_now_ns(b) - t0 >= 22 * MS);
	assert_int_equal(reg(b, L4_CR) & STRT, 0);
	assert_int_equal(reg(b, p32), 0xFFFFFFFF);
	assert_int_equal(reg(b, p32 + 0x400), 0xFFFFFFFF);
	assert_int_equal(reg(b, p32 + 0x7FC), 0xFFFFFFFF);
	assert_int_equal(reg(b, p31), 0x31);
	assert_int_equal(reg(b, p31 + 0x7F8), 0x31F);
	assert_int_equal(reg(b, p33), 0x33);
}

static void test_g474_dual_bank(void **state)
{
	struct sr_sim_board *b = connected(state);
	const uint32_t b1p5 = 0x08002800, b2p5 = 0x08042800;
	unlock(b);
	program(b, b1p5, 1, 1);
	program(b, b2p5, 2, 2);
	assert_int_equal(page_erase(b, BKER, 5), 0); /* bank 2 at 0x08040000, RM0440 table 7 */
	assert_int_equal(reg(b, b2p5), 0xFFFFFFFF);
	assert_int_equal(reg(b, b1p5), 1);
	program(b, b2p5, 2, 2);
	assert_int_equal(mass_erase(b, MER2), 0);
	assert_int_equal(reg(b, b2p5), 0xFFFFFFFF);
	assert_int_equal(reg(b, b1p5), 1);
}

/* DBANK = 0: one bank of 4 KB pages (RM0440 3.3.1 table 8), no bank erase (3.3.6). */
static void test_g474_single_bank(void **state)
{
	struct sr_sim_board *b = connected(state);
	set_option(b, L4_OPTR, OPTR_FACTORY & ~(1u << 22), true);
	assert_int_equal(reg(b, L4_OPTR) & (1u << 22), 0);
	unlock(b);
	program(b, 0x08004FF8, 4, 4);
	program(b, 0x08005000, 5, 5);
	program(b, 0x08005FF8, 5, 5);
	program(b, 0x08006000, 6, 6);
	assert_int_equal(page_erase(b, BKER, 5), 0); /* BKER is not used with one bank */
	assert_int_equal(reg(b, 0x08005000), 0xFFFFFFFF);
	assert_int_equal(reg(b, 0x08005FF8), 0xFFFFFFFF);
	assert_int_equal(reg(b, 0x08004FF8), 4);
	assert_int_equal(reg(b, 0x08006000), 6);
	assert_int_equal(mass_erase(b, MER1), PGSERR);
	wreg(b, L4_SR, PGSERR);
	assert_int_equal(mass_erase(b, MER2), PGSERR);
	wreg(b, L4_SR, PGSERR);
	assert_int_equal(reg(b, 0x08006000), 6);
	assert_int_equal(mass_erase(b, MER1 | MER2), 0);
	assert_int_equal(reg(b, 0x08006000), 0xFFFFFFFF);
	assert_int_equal(reg(b, 0x08004FF8), 0xFFFFFFFF);
}

static void test_l476_bank2_and_read_while_write(void **state)
{
	struct sr_sim_board *b = connected(state);
	const uint32_t b1p10 = 0x08005000, b2p10 = 0x08085000;
	unlock(b);
	program(b, b1p10, 1, 1);
	program(b, b2p10, 2, 2);
	program(b, b2p10 + 0x800, 3, 3); /* page 11 of bank 2 */
	wreg(b, L4_CR, PER | 10u << 3 | BKER | STRT);
	uint64_t t0 = sr_sim_now_ns(b);
	assert_int_equal(reg(b, b1p10), 1); /* bank 1 reads while bank 2 erases, RM0440 3.3.8 */
	assert_int_equal(sr_sim_now_ns(b), t0);
	assert_int_equal(reg(b, b2p10), 0xFFFFFFFF); /* the same bank stalls until done */
	assert_true(sr_sim_now_ns(b) - t0 >= 22 * MS);
	assert_int_equal(reg(b, b2p10 + 0x800), 3);
	assert_int_equal(reg(b, L4_SR), 0);
	/* MER1 erases bank 1 only, MER2 bank 2 only */
	assert_int_equal(mass_erase(b, MER1), 0);
	assert_int_equal(reg(b, b1p10), 0xFFFFFFFF);
	assert_int_equal(reg(b, b2p10 + 0x800), 3);
	assert_int_equal(mass_erase(b, MER2), 0);
	assert_int_equal(reg(b, b2p10 + 0x800), 0xFFFFFFFF);
}

static void test_cr_write_stalls_while_busy(void **state)
{
	struct sr_sim_board *b = connected(state);
	unlock(b);
	wreg(b, L4_CR, PER | 1u << 3 | STRT);
	uint64_t t0 = sr_sim_now_ns(b);
	wreg(b, L4_CR, EOPIE); /* RM0440 3.3.5 note: the AHB stalls until BSY clears */
	assert_true(sr_sim_now_ns(b) - t0 >= 22 * MS);
	assert_int_equal(reg(b, L4_SR), 0);
}

static void test_wrp_and_pcrop(void **state)
{
	struct sr_sim_board *b = connected(state);
	unlock(b);
	program(b, 0x08000800, 0xAAAA5555, 0x5555AAAA); /* page 1: becomes PCROP */
	set_option(b, L4_WRP1AR, 0x00030002, true);     /* pages 2-3 */
	assert_int_equal(reg(b, L4_WRP1AR) & 0x00FF00FF, 0x00030002);
	set_option(b, L4_PCROP1SR, 0x100, false); /* double words 0x100-0x1FF: page 1 */
	set_option(b, L4_PCROP1ER, 0x1FF, true);
	unlock(b);
	wreg(b, L4_CR, PG);
	wreg(b, 0x08001000, 0);
	assert_int_equal(reg(b, L4_SR), WRPERR);
	wreg(b, L4_SR, WRPERR);
	assert_int_equal(page_erase(b, 0, 3), WRPERR);
	wreg(b, L4_SR, WRPERR);
	assert_int_equal(mass_erase(b, MER1), WRPERR); /* a WRP page aborts the bank erase */
	wreg(b, L4_SR, WRPERR);
	assert_int_equal(mass_erase(b, MER2), 0); /* bank 2 has no area */
	/* PCROP: execute-only; a data read gives RDERR, writes and erases WRPERR */
	assert_int_equal(reg(b, 0x08000800), 0);
	assert_int_equal(reg(b, L4_SR), RDERR);
	wreg(b, L4_SR, RDERR);
	assert_int_equal(page_erase(b, 0, 1), WRPERR);
	wreg(b, L4_SR, WRPERR);
	assert_int_equal(reg(b, 0x08000000), 0xFFFFFFFF); /* page 0 is free */
	/* a smaller PCROP area is not programmed, RM0440 3.5.2 */
	set_option(b, L4_PCROP1ER, 0x180, true);
	assert_int_equal(reg(b, L4_PCROP1ER) & 0xFFFF, 0x1FF);
}

static void test_rdp1_and_regression(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t v;
	unlock(b);
	program(b, FLASH_BASE + 0x40, 0x44444444, 0x44444444);
	set_option(b, L4_OPTR, 0xFFEFF8BB, false);
	assert_int_equal(reg(b, L4_OPTR), 0xFFEFF8BB);
	assert_int_equal(reg(b, OB_PAGE), 0xFFEFF8BB);           /* the option page: word ... */
	assert_int_equal(reg(b, OB_PAGE + 4), 0x00100744);       /* ... and complement */
	assert_int_equal(reg(b, FLASH_BASE + 0x40), 0x44444444); /* not applied before OBL */
	sysreset(b);
	assert_int_equal(reg(b, L4_OPTR), OPTR_FACTORY); /* registers reload the old values */
	assert_int_equal(reg(b, FLASH_BASE + 0x40), 0x44444444);
	opt_unlock(b);
	wreg(b, L4_CR, OBL);
	assert_int_equal(reg(b, RCC_CSR) & (1u << 25), 1u << 25); /* OBLRSTF, RM0351 6.4.29 */
	assert_int_equal(reg(b, L4_OPTR) & 0xFF, 0xBB);
	assert_int_equal(rd32(b, FLASH_BASE + 0x40, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	unlock(b);
	assert_int_equal(page_erase(b, 0, 0), WRPERR); /* level 1 with the debugger */
	wreg(b, L4_SR, WRPERR);
	/* 1 -> 0 erases the flash (page by page: PCROP_RDP is 0 and there is no PCROP) */
	set_option(b, L4_OPTR, OPTR_FACTORY, true);
	assert_int_equal(reg(b, FLASH_BASE + 0x40), 0xFFFFFFFF);
	assert_int_equal(reg(b, L4_SR), 0);
}

/* PCROP_RDP = 0: the regression keeps the PCROP pages (RM0440 3.5.1). */
static void test_partial_regression_keeps_pcrop(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = connected(state);
	unlock(b);
	program(b, 0x08000000, 0x10, 0x10);
	program(b, 0x08000800, 0x11, 0x11);
	program(b, 0x08001000, 0x12, 0x12);
	set_option(b, L4_PCROP1SR, 0x100, false);
	set_option(b, L4_PCROP1ER, 0x1FF, true);
	set_option(b, L4_OPTR, 0xFFEFF8BB, true);
	set_option(b, L4_OPTR, OPTR_FACTORY, true);
	assert_int_equal(reg(b, 0x08000000), 0xFFFFFFFF);
	assert_int_equal(reg(b, 0x08001000), 0xFFFFFFFF);
	assert_int_equal(reg(b, L4_PCROP1ER) & 0xFFFF, 0x1FF); /* PCROP stays */
	assert_int_equal(sr_sim_board_save(b), SR_OK);
	char mem[128];
	uint32_t word = 0;
	snprintf(mem, sizeof(mem), "%s.mem", f->path);
	FILE *fp = fopen(mem, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0x800, SEEK_SET), 0);
	assert_int_equal(fread(&word, 4, 1, fp), 1);
	fclose(fp);
	assert_int_equal(word, 0x11);
}

/* PCROP_RDP = 1: full mass erase, PCROP off (RM0440 3.5.1, 3.7.10). */
static void test_full_regression_clears_pcrop(void **state)
{
	struct sr_sim_board *b = connected(state);
	unlock(b);
	program(b, 0x08000800, 0x11, 0x11);
	set_option(b, L4_PCROP1SR, 0x100, false);
	set_option(b, L4_PCROP1ER, 0x1FF | (1u << 31), true);
	set_option(b, L4_PCROP1ER, 0x1FF, true); /* PCROP_RDP is set-only */
	assert_true(reg(b, L4_PCROP1ER) & (1u << 31));
	set_option(b, L4_OPTR, 0xFFEFF8BB, true);
	set_option(b, L4_OPTR, OPTR_FACTORY, true);
	assert_int_equal(reg(b, L4_PCROP1ER) & ((1u << 31) | 0xFFFF), 0);
	assert_int_equal(reg(b, 0x08000800), 0xFFFFFFFF);
	assert_int_equal(reg(b, L4_SR), 0); /* no RDERR: PCROP is gone */
}

/* Option bytes whose complement does not match: OPTVERR and the safe values (3.4.2). */
static void test_optverr_after_power_on(void **state)
{
	struct fixture *f = *state;
	uint32_t v;
	sr_sim_board_close(f->b);
	edit_state(f, "option_bytes", "optr_complement", "0x00000000");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	struct sr_sim_board *b = f->b;
	swd_connect(b);
	assert_int_equal(reg(b, L4_SR), 0); /* loaded before the change: no OBL yet */
	sr_sim_board_set_power(b, 0);
	sr_sim_board_set_power(b, 3300);
	b = connected(state);
	assert_int_equal(reg(b, L4_SR), OPTVERR);
	assert_int_equal(reg(b, L4_OPTR), 0xFFFFF8FF); /* all 1 but BOR_LEV 0: RDP level 1 */
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, L4_SR, OPTVERR);
	assert_int_equal(reg(b, L4_SR), 0);
	sysreset(b);
	assert_int_equal(reg(b, L4_SR), OPTVERR); /* set again after each reset */
}

/* A state file without [flash] loaded_optr is a board just powered up: it loads its
 * option pages, here with a bad WRP1AR complement (STATE.md). */
static void test_optverr_from_state_file(void **state)
{
	struct fixture *f = *state;
	sr_sim_board_close(f->b);
	edit_state(f, "option_bytes", "wrp1ar", "0xFF03FF02");
	edit_state(f, "option_bytes", "wrp1ar_complement", "0x00000000");
	edit_state(f, "flash", "sr", "0x00000000");
	/* drop the loaded_optr line, as a user editing the file would */
	FILE *fp = fopen(f->path, "r");
	assert_non_null(fp);
	char text[8192], *line, out[8192] = "";
	size_t n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "loaded_optr", 11) != 0)
			strcat(strcat(out, line), "\n");
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs(out, fp);
	fclose(fp);
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	struct sr_sim_board *b = connected(state);
	assert_int_equal(reg(b, L4_SR), OPTVERR);
	assert_int_equal(reg(b, L4_WRP1AR) & 0x007F007F, 0x0000007F); /* forced: no WRP */
	assert_int_equal(reg(b, L4_OPTR), OPTR_FACTORY);              /* this one matched */
}

static void test_power_loss_during_option_programming(void **state)
{
	struct fixture *f = *state;
	uint32_t v;
	sr_sim_board_close(f->b);
	edit_state(f, "faults", "power_loss_during_ob", "true");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	struct sr_sim_board *b = connected(state);
	opt_unlock(b);
	wreg(b, L4_OPTR, OPTR_FACTORY & ~(1u << 16));
	wreg(b, L4_CR, OPTSTRT);
	assert_int_equal(sr_sim_board_vtarget_mv(b), 0);
	sr_sim_board_set_power(b, 3300);
	b = connected(state);
	/* erased option pages: OPTVERR, RDP level 1, PCROP over all memory */
	assert_int_equal(reg(b, L4_SR), OPTVERR);
	assert_int_equal(reg(b, L4_PCROP1SR) & 0x7FFF, 0);
	assert_int_equal(reg(b, L4_PCROP1ER) & 0x7FFF, 0x7FFF);
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	/* recovery: level 0 again, the full mass erase (PCROP_RDP forced 1) lifts PCROP */
	wreg(b, L4_SR, OPTVERR);
	set_option(b, L4_OPTR, OPTR_FACTORY, true);
	assert_int_equal(reg(b, L4_SR), 0);
	assert_int_equal(reg(b, FLASH_BASE), 0xFFFFFFFF);
	assert_int_equal(reg(b, L4_PCROP1SR) & 0x7FFF, 0x7FFF);
}

/*
 * [faults] power_loss_during_ob on a G4 (optr_before: OPTR as stored before): OPTSTRT
 * has erased the option pages when the power fails (flash-l4-ob.c l4_ob_start). At
 * the next power-on every word and its complement read 0xFFFFFFFF, none matches, and
 * the loader forces the safe values: OPTVERR, OPTR all 1 but BOR_LEV 0 (RDP level 1),
 * PCROP over all memory with PCROP_RDP, WRP off (RM0440 3.4.2; ST's caution in RM0444
 * Rev 5 p. 90: "Upon an option byte programming failure (for any reason, such as loss
 * of power or a reset during the option byte change sequence), the mismatch values of
 * the option bytes are loaded after reset"). The debugger connects; flash is closed.
 */
static struct sr_sim_board *g4_power_loss(void **state, uint32_t optr_before,
                                          uint32_t pcrop_mask)
{
	struct fixture *f = *state;
	uint32_t v;
	sr_sim_board_close(f->b);
	edit_state(f, "faults", "power_loss_during_ob", "true");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	struct sr_sim_board *b = connected(state);
	opt_unlock(b);
	wreg(b, L4_OPTR, optr_before | 1u << 8); /* BOR level 1: any change */
	wreg(b, L4_CR, OPTSTRT);
	assert_int_equal(sr_sim_board_vtarget_mv(b), 0);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	reopen(f);
	sr_sim_board_set_power(f->b, 3300);
	b = connected(state);
	assert_int_equal(reg(b, L4_SR), OPTVERR);
	assert_int_equal(reg(b, L4_OPTR), 0xFFFFF8FF);
	assert_int_equal(reg(b, L4_PCROP1SR) & pcrop_mask, 0);
	assert_int_equal(reg(b, L4_PCROP1ER), 0xFFFFFFFF); /* end at the top, PCROP_RDP */
	assert_int_equal(reg(b, L4_WRP1AR), 0xFF00FFFF);  /* start > end: no WRP */
	assert_int_equal(reg(b, OB_PAGE), 0xFFFFFFFF);    /* the erased option page */
	assert_int_equal(reg(b, OB_PAGE + 4), 0xFFFFFFFF);
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	return b;
}

/* Back to level 0 from the safe values: PCROP_RDP is forced, so the regression is the
 * full mass erase and PCROP goes back to the production values (RM0440 3.5.1). */
static void g4_recover(struct sr_sim_board *b, uint32_t optr, uint32_t pcrop_mask)
{
	wreg(b, L4_SR, OPTVERR);
	set_option(b, L4_OPTR, optr, true);
	assert_int_equal(reg(b, L4_SR), 0);
	assert_int_equal(sr_sim_board_vtarget_mv(b), 3300); /* one shot */
	assert_int_equal(reg(b, FLASH_BASE), 0xFFFFFFFF);
	assert_int_equal(reg(b, L4_PCROP1SR) & pcrop_mask, pcrop_mask);
}

static void test_g431_power_loss_during_option_programming(void **state)
{
	struct sr_sim_board *b = connected(state);
	unlock(b);
	program(b, FLASH_BASE, 0x11111111, 0x22222222);
	b = g4_power_loss(state, OPTR_FACTORY, 0x3FFF); /* PCROP1 13:0 on category 2 */
	g4_recover(b, OPTR_FACTORY, 0x3FFF);
}

/* The G474 set to one bank of 4 KiB pages (DBANK 0) comes back with DBANK 1: two
 * banks of 2 KiB pages, and PCROP over both. DBANK cannot change while PCROP is set
 * (RM0440 3.7.8), so the regression keeps it at 1 and a second change restores it. */
static void test_g474_power_loss_during_option_programming(void **state)
{
	const uint32_t dbank = 1u << 22;
	struct sr_sim_board *b = connected(state);
	set_option(b, L4_OPTR, OPTR_FACTORY & ~dbank, true);
	unlock(b);
	program(b, 0x08006000, 6, 6); /* single-bank page 6 */
	b = g4_power_loss(state, OPTR_FACTORY & ~dbank, 0x7FFF);
	assert_int_equal(reg(b, L4_PCROP2SR) & 0x7FFF, 0);
	assert_int_equal(reg(b, L4_PCROP2ER), 0xFFFFFFFF);
	g4_recover(b, OPTR_FACTORY & ~dbank, 0x7FFF);
	assert_int_equal(reg(b, L4_OPTR) & dbank, dbank); /* kept under the old PCROP */
	assert_int_equal(reg(b, 0x08006000), 0xFFFFFFFF);
	set_option(b, L4_OPTR, OPTR_FACTORY & ~dbank, true);
	assert_int_equal(reg(b, L4_OPTR), OPTR_FACTORY & ~dbank);
}

static void test_rdp2_closes_debug_port(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint32_t v;
	set_option(b, L4_OPTR, 0xFFEFF8CC, false);
	assert_int_equal(sr_sim_dp_read(b, 0, &v), SR_SIM_ACK_OK); /* not before the load */
	wreg(b, L4_CR, OBL);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
	sr_sim_board_set_power(b, 0);
	sr_sim_board_set_power(b, 3300);
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_NONE);
}

static void write_row(struct sr_sim_board *b, uint32_t row)
{
	for (uint32_t a = row; a < row + 256; a += 4)
		wreg(b, a, a);
}

static void test_fast_programming(void **state)
{
	struct sr_sim_board *b = connected(state);
	uint8_t byte = 0;
	unlock(b);
	wreg(b, L4_CR, FSTPG);
	wreg(b, 0x08000100, 0);
	assert_int_equal(reg(b, L4_SR), PGSERR); /* no mass erase first, RM0440 3.3.7 */
	wreg(b, L4_SR, PGSERR);
	assert_int_equal(mass_erase(b, MER1), 0);
	wreg(b, L4_CR, FSTPG | EOPIE);
	write_row(b, 0x08000100);
	assert_true(reg(b, L4_SR) & BSY);
	sr_sim_advance(b, 1800 * US);
	assert_true(reg(b, L4_SR) & BSY); /* 1.91 ms a row, DS12589 table 46 */
	assert_int_equal(wait_step(b, 10 * US), EOP);
	assert_int_equal(reg(b, 0x08000100), 0x08000100);
	assert_int_equal(reg(b, 0x080001FC), 0x080001FC);
	wreg(b, L4_SR, EOP);
	/* the next double word too late: MISSERR and FASTERR */
	wreg(b, 0x08000200, 1);
	wreg(b, 0x08000204, 1);
	sr_sim_advance(b, 100 * US);
	assert_int_equal(reg(b, L4_SR) & (MISERR | FASTERR | BSY), MISERR | FASTERR);
	assert_int_equal(reg(b, 0x08000200), 1); /* what was taken is programmed */
	wreg(b, L4_SR, MISERR | FASTERR);
	/* going back within the row: PGAERR and FASTERR */
	wreg(b, 0x08000308, 2);
	wreg(b, 0x0800030C, 2);
	wreg(b, 0x08000300, 2);
	wreg(b, 0x08000304, 2);
	assert_int_equal(reg(b, L4_SR), PGAERR | FASTERR);
	wreg(b, L4_SR, PGAERR | FASTERR);
	/* a byte in a row: SIZERR and FASTERR */
	wreg(b, 0x08000400, 3);
	wreg(b, 0x08000404, 3);
	sr_sim_mem_write(b, 0, 0x08000408, 1, &byte, 1, NULL);
	assert_int_equal(reg(b, L4_SR), SIZERR | FASTERR);
	wreg(b, L4_SR, SIZERR | FASTERR);
	/* a page erase since: the bank is no longer mass-erased */
	assert_int_equal(page_erase(b, 0, 10), 0);
	wreg(b, L4_CR, FSTPG);
	wreg(b, 0x08005000, 4);
	assert_int_equal(reg(b, L4_SR), PGSERR);
}

static void test_watchdog_dbgmcu_and_reset_flags(void **state)
{
	struct sr_sim_board *b = connected(state);
	assert_int_equal(reg(b, RCC_CSR), 0x0C000600); /* BORRSTF, PINRSTF, MSISRANGE 6 */
	sysreset(b);
	assert_int_equal(reg(b, RCC_CSR), 0x1C000600); /* + SFTRSTF */
	wreg(b, RCC_CSR, 1u << 23);                    /* RMVF */
	assert_int_equal(reg(b, RCC_CSR), 0x00000600);
	wreg(b, DBG_APB1FZ2, 0xFFFFFFFF);
	assert_int_equal(reg(b, DBG_APB1FZ2), 0x20);
	wreg(b, DBG_APB2FZ, 0xFFFFFFFF);
	assert_int_equal(reg(b, DBG_APB2FZ), 0x00072800);
	/* IWDG_SW = 0: the watchdog runs from reset; DBG_IWDG_STOP holds it while halted */
	set_option(b, L4_OPTR, OPTR_FACTORY & ~(1u << 16), true);
	assert_int_equal(reg(b, RCC_CSR) & 0xFF000000u, (1u << 25) | (1u << 26));
	wreg(b, DBG_APB1FZ1, 1u << 12);
	sr_sim_advance(b, 1000 * MS); /* 512 ms at PR 0, RLR 0xFFF, 32 kHz */
	assert_int_equal(reg(b, RCC_CSR) & (1u << 29), 0);
	wreg(b, DBG_APB1FZ1, 0);
	sr_sim_advance(b, 600 * MS);
	assert_true(reg(b, RCC_CSR) & (1u << 29)); /* IWDGRSTF */
}

/* Options programmed in one process, loaded in the next (the state file carries them). */
static void test_options_survive_reopen(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = connected(state);
	uint32_t v;
	set_option(b, L4_OPTR, 0xFFEFF8BB, false);
	reopen(f);
	b = connected(state);
	assert_int_equal(reg(b, L4_OPTR), 0xFFEFF8BB);
	assert_int_equal(reg(b, FLASH_BASE), 0xFFFFFFFF);
	opt_unlock(b);
	wreg(b, L4_CR, OBL);
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
}

int main(void)
{
#define L476(fn) cmocka_unit_test_setup_teardown(fn, setup_l476, fixture_teardown)
#define G431(fn) cmocka_unit_test_setup_teardown(fn, setup_g431, fixture_teardown)
#define G474(fn) cmocka_unit_test_setup_teardown(fn, setup_g474, fixture_teardown)
	const struct CMUnitTest tests[] = {
	    L476(test_keys_and_locks),
	    L476(test_double_word_programming),
	    G431(test_size_align_sequence_errors),
	    G431(test_g431_page32_only),
	    G474(test_g474_dual_bank),
	    G474(test_g474_single_bank),
	    L476(test_l476_bank2_and_read_while_write),
	    G474(test_cr_write_stalls_while_busy),
	    L476(test_wrp_and_pcrop),
	    L476(test_rdp1_and_regression),
	    L476(test_partial_regression_keeps_pcrop),
	    G474(test_full_regression_clears_pcrop),
	    G474(test_optverr_after_power_on),
	    G474(test_optverr_from_state_file),
	    L476(test_power_loss_during_option_programming),
	    G431(test_g431_power_loss_during_option_programming),
	    G474(test_g474_power_loss_during_option_programming),
	    G431(test_rdp2_closes_debug_port),
	    L476(test_fast_programming),
	    L476(test_watchdog_dbgmcu_and_reset_flags),
	    G474(test_options_survive_reopen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
