/* The virtual STM32F103 (medium density) through the MEM-AP as a probe drives it:
 * the F1 FPEC (PM0075 2-3), its option bytes with complements, read protection,
 * and the F1 layouts of DBGMCU_CR and RCC_CSR (RM0008 31.16.3, 7.3.10). */
#include "sim-test-chip.h"

#define F1_IDCODE 0x1BA01477u
#define F1_KEYR   0x40022004u
#define F1_OPTKEYR 0x40022008u
#define F1_SR     0x4002200Cu
#define F1_CR     0x40022010u
#define F1_AR     0x40022014u
#define F1_OBR    0x4002201Cu
#define F1_WRPR   0x40022020u
#define OB_BASE   0x1FFFF800u
#define SR_BSY    (1u << 0)
#define SR_PGERR  (1u << 2)
#define SR_WRPRTERR (1u << 4)
#define SR_EOP    (1u << 5)
#define CR_PG     (1u << 0)
#define CR_PER    (1u << 1)
#define CR_MER    (1u << 2)
#define CR_OPTPG  (1u << 4)
#define CR_OPTER  (1u << 5)
#define CR_STRT   (1u << 6)
#define CR_LOCK   (1u << 7)
#define CR_OPTWRE (1u << 9)
#define OBR_FACTORY 0x03FFFFFCu
#define DBGMCU_CR 0xE0042004u
#define RCC_CSR   0x40021024u
#define CSR_PINRST (1u << 26)
#define CSR_PORRST (1u << 27)
#define CSR_IWDGRST (1u << 29)

static int setup(void **state)
{
	return chip_fixture_setup(state, "stm32f103");
}

static struct sr_sim_board *f1(void **state)
{
	struct fixture *f = *state;
	swd_connect_id(f->b, F1_IDCODE);
	halt(f->b);
	return f->b;
}

static uint32_t f1_wait(struct sr_sim_board *b)
{
	uint32_t sr;
	for (int i = 0; i < 10000; i++) {
		sr = reg(b, F1_SR);
		if (!(sr & SR_BSY))
			return sr;
		sr_sim_advance(b, 1 * MS);
	}
	fail_msg("BSY never cleared");
	return 0;
}

static void unlock(struct sr_sim_board *b)
{
	wreg(b, F1_KEYR, KEY1);
	wreg(b, F1_KEYR, KEY2);
	assert_int_equal(reg(b, F1_CR) & CR_LOCK, 0);
}

static enum sr_sim_ack write16(struct sr_sim_board *b, uint32_t addr, uint16_t v)
{
	uint8_t buf[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	return sr_sim_mem_write(b, 0, addr, 2, buf, 2, NULL);
}

static void program16(struct sr_sim_board *b, uint32_t addr, uint16_t v)
{
	wreg(b, F1_CR, CR_PG);
	assert_int_equal(write16(b, addr, v), SR_SIM_ACK_OK);
	assert_int_equal(f1_wait(b) & (SR_PGERR | SR_WRPRTERR), 0);
	wreg(b, F1_SR, SR_EOP);
	wreg(b, F1_CR, 0);
}

static uint32_t erase_page(struct sr_sim_board *b, uint32_t addr)
{
	wreg(b, F1_CR, CR_PER);
	wreg(b, F1_AR, addr);
	wreg(b, F1_CR, CR_PER | CR_STRT);
	uint32_t sr = f1_wait(b);
	wreg(b, F1_CR, 0);
	return sr;
}

static void opt_unlock(struct sr_sim_board *b)
{
	if (reg(b, F1_CR) & CR_LOCK)
		unlock(b); /* keys to an unlocked FPEC would be a wrong sequence */
	wreg(b, F1_OPTKEYR, KEY1);
	wreg(b, F1_OPTKEYR, KEY2);
	assert_true(reg(b, F1_CR) & CR_OPTWRE);
}

static uint32_t opt_erase(struct sr_sim_board *b)
{
	wreg(b, F1_CR, CR_OPTWRE | CR_OPTER);
	wreg(b, F1_CR, CR_OPTWRE | CR_OPTER | CR_STRT);
	uint32_t sr = f1_wait(b);
	wreg(b, F1_CR, CR_OPTWRE);
	return sr;
}

static uint32_t opt_program(struct sr_sim_board *b, unsigned index, uint8_t v)
{
	wreg(b, F1_CR, CR_OPTWRE | CR_OPTPG);
	assert_int_equal(write16(b, OB_BASE + 2 * index, v), SR_SIM_ACK_OK);
	uint32_t sr = f1_wait(b);
	wreg(b, F1_CR, CR_OPTWRE);
	return sr;
}

/* Option bytes as shipped except byte INDEX = V: erase, then program all eight. */
static void set_option(struct sr_sim_board *b, unsigned index, uint8_t v)
{
	static const uint8_t factory[8] = {0xA5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	opt_unlock(b);
	assert_int_equal(opt_erase(b) & (SR_PGERR | SR_WRPRTERR), 0);
	for (unsigned i = 0; i < 8; i++) {
		uint8_t want = i == index ? v : factory[i];
		if (want != 0xFF) /* 0xFF is the erased state; programming it is not needed */
			assert_int_equal(opt_program(b, i, want) & SR_WRPRTERR, 0);
	}
	wreg(b, F1_CR, CR_LOCK);
}

static void test_identification(void **state)
{
	struct sr_sim_board *b = f1(state);
	uint8_t half[2];
	assert_int_equal(reg(b, 0xE000ED00), 0x411FC231);      /* Cortex-M3 r1p1 */
	assert_int_equal(reg(b, 0xE0042000), 0x20030410);      /* rev Y, DEV_ID 0x410 */
	assert_int_equal(sr_sim_mem_read(b, 0, 0x1FFFF7E0, 2, half, 2, NULL), SR_SIM_ACK_OK);
	assert_int_equal(half[0] | half[1] << 8, 128);         /* F_SIZE, RM0008 30.1.1 */
	assert_int_equal(reg(b, F1_CR), CR_LOCK);               /* reset value 0x80 */
	assert_int_equal(reg(b, F1_OBR), OBR_FACTORY);
	assert_int_equal(reg(b, F1_WRPR), 0xFFFFFFFF);
	assert_int_equal(reg(b, OB_BASE), 0x00FF5AA5);          /* nUSER USER nRDP RDP */
	assert_int_equal(reg(b, OB_BASE + 12), 0x00FF00FF);
	assert_int_equal(reg(b, RCC_CSR), CSR_PORRST | CSR_PINRST); /* 0x0C000000 */
	wreg(b, 0x20004FFC, 0xCAFEF00D);                        /* 20 KiB of SRAM */
	assert_int_equal(reg(b, 0x20004FFC), 0xCAFEF00D);
	uint32_t v;
	assert_int_equal(rd32(b, 0x20005000, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, 0x08000000), 0xFFFFFFFF);
	assert_int_equal(reg(b, 0x00000000), 0xFFFFFFFF);       /* flash aliased at 0 */
}

static void test_lock_and_keys(void **state)
{
	struct sr_sim_board *b = f1(state);
	wreg(b, F1_CR, CR_PG); /* ignored while locked */
	assert_int_equal(reg(b, F1_CR), CR_LOCK);
	wreg(b, F1_OPTKEYR, KEY1); /* OPTWRE needs the FPEC unlocked */
	wreg(b, F1_OPTKEYR, KEY2);
	assert_int_equal(reg(b, F1_CR), CR_LOCK);
	wreg(b, F1_KEYR, KEY1);
	assert_int_equal(wr32(b, F1_KEYR, 0x11111111), SR_SIM_ACK_FAULT); /* bus error */
	clear_sticky(b);
	assert_int_equal(wr32(b, F1_KEYR, KEY1), SR_SIM_ACK_FAULT);      /* until reset */
	clear_sticky(b);
	assert_int_equal(wr32(b, F1_KEYR, KEY2), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, F1_CR), CR_LOCK);
	wreg(b, AIRCR, 0x05FA0004);
	unlock(b);
	wreg(b, F1_CR, CR_LOCK);
	assert_int_equal(reg(b, F1_CR), CR_LOCK);
	unlock(b);
	/* OPTWRE: set by the option keys, cleared by software, not set by a write */
	wreg(b, F1_OPTKEYR, KEY1);
	wreg(b, F1_OPTKEYR, KEY2);
	assert_int_equal(reg(b, F1_CR), CR_OPTWRE);
	wreg(b, F1_CR, 0);
	assert_int_equal(reg(b, F1_CR), 0);
	wreg(b, F1_CR, CR_OPTWRE);
	assert_int_equal(reg(b, F1_CR), 0);
}

static void test_half_word_programming(void **state)
{
	struct sr_sim_board *b = f1(state);
	uint8_t byte = 0x12;
	unlock(b);
	/* a half-word write without PG: no effect */
	assert_int_equal(write16(b, FLASH_BASE, 0x1234), SR_SIM_ACK_OK);
	assert_int_equal(reg(b, FLASH_BASE), 0xFFFFFFFF);
	assert_int_equal(reg(b, F1_SR), 0);
	/* programming takes 52.5 us, then EOP */
	wreg(b, F1_CR, CR_PG);
	assert_int_equal(write16(b, FLASH_BASE, 0x1234), SR_SIM_ACK_OK);
	assert_int_equal(reg(b, F1_SR) & SR_BSY, SR_BSY);
	assert_int_equal(f1_wait(b), SR_EOP);
	assert_int_equal(reg(b, FLASH_BASE), 0xFFFF1234);
	assert_int_equal(reg(b, F1_AR), FLASH_BASE);
	wreg(b, F1_SR, SR_EOP); /* write 1 to clear */
	assert_int_equal(reg(b, F1_SR), 0);
	/* byte and word writes: bus error (PM0075 2.3.3) */
	assert_int_equal(sr_sim_mem_write(b, 0, FLASH_BASE + 4, 1, &byte, 1, NULL),
			 SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, FLASH_BASE + 8, 0x5678ABCD), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(reg(b, FLASH_BASE + 4), 0xFFFFFFFF);
	assert_int_equal(reg(b, FLASH_BASE + 8), 0xFFFFFFFF);
	/* a programmed half-word: PGERR, skipped; except 0x0000 */
	assert_int_equal(write16(b, FLASH_BASE, 0x0230), SR_SIM_ACK_OK);
	assert_int_equal(f1_wait(b), SR_PGERR);
	assert_int_equal(reg(b, FLASH_BASE), 0xFFFF1234);
	wreg(b, F1_SR, SR_PGERR);
	assert_int_equal(write16(b, FLASH_BASE, 0x0000), SR_SIM_ACK_OK);
	assert_int_equal(f1_wait(b), SR_EOP);
	assert_int_equal(reg(b, FLASH_BASE), 0xFFFF0000);
}

static void test_page_and_mass_erase(void **state)
{
	struct sr_sim_board *b = f1(state);
	unlock(b);
	for (uint32_t p = 0; p < 8; p++) {
		program16(b, FLASH_BASE + p * 1024, (uint16_t)(0xA500 | p));
		program16(b, FLASH_BASE + p * 1024 + 1022, (uint16_t)(0x5A00 | p));
	}
	program16(b, FLASH_BASE + 127 * 1024, 0x7777);
	/* page erase of the page holding AR, 40 ms */
	wreg(b, F1_CR, CR_PER);
	wreg(b, F1_AR, FLASH_BASE + 2 * 1024 + 0x123);
	uint64_t t0 = sr_sim_now_ns(b);
	wreg(b, F1_CR, CR_PER | CR_STRT);
	sr_sim_advance(b, 30 * MS);
	assert_true(reg(b, F1_SR) & SR_BSY);
	assert_true(reg(b, F1_CR) & CR_STRT);
	assert_int_equal(f1_wait(b), SR_EOP);
	assert_true(sr_sim_now_ns(b) - t0 >= 40 * MS);
	assert_false(reg(b, F1_CR) & CR_STRT);
	for (uint32_t p = 0; p < 8; p++) {
		assert_int_equal(reg(b, FLASH_BASE + p * 1024) & 0xFFFF, p == 2 ? 0xFFFF : 0xA500 | p);
		assert_int_equal(reg(b, FLASH_BASE + p * 1024 + 1020) >> 16,
				 p == 2 ? 0xFFFF : 0x5A00 | p);
	}
	wreg(b, F1_SR, SR_EOP);
	/* mass erase: the whole main flash, the option bytes untouched */
	wreg(b, F1_CR, CR_MER);
	wreg(b, F1_CR, CR_MER | CR_STRT);
	assert_int_equal(f1_wait(b), SR_EOP);
	for (uint32_t p = 0; p < 8; p++)
		assert_int_equal(reg(b, FLASH_BASE + p * 1024), 0xFFFFFFFF);
	assert_int_equal(reg(b, FLASH_BASE + 127 * 1024), 0xFFFFFFFF);
	assert_int_equal(reg(b, OB_BASE), 0x00FF5AA5);
}

static void test_write_protection(void **state)
{
	struct sr_sim_board *b = f1(state);
	unlock(b);
	program16(b, FLASH_BASE + 1024, 0x1111);
	set_option(b, 4, 0xFE); /* WRP0 bit 0 = 0: pages 0-3 */
	assert_int_equal(reg(b, OB_BASE + 8), 0xFFFF01FE); /* complement written by the FPEC */
	assert_int_equal(reg(b, F1_WRPR), 0xFFFFFFFF);     /* loaded at the next reset */
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(reg(b, F1_WRPR), 0xFFFFFFFE);
	unlock(b);
	assert_int_equal(erase_page(b, FLASH_BASE + 1024), SR_WRPRTERR);
	assert_int_equal(reg(b, FLASH_BASE + 1024) & 0xFFFF, 0x1111);
	wreg(b, F1_SR, SR_WRPRTERR);
	wreg(b, F1_CR, CR_PG);
	assert_int_equal(write16(b, FLASH_BASE + 3 * 1024, 0x2222), SR_SIM_ACK_OK);
	assert_int_equal(f1_wait(b), SR_WRPRTERR);
	assert_int_equal(reg(b, FLASH_BASE + 3 * 1024), 0xFFFFFFFF);
	wreg(b, F1_SR, SR_WRPRTERR);
	wreg(b, F1_CR, CR_MER);
	wreg(b, F1_CR, CR_MER | CR_STRT);
	assert_int_equal(f1_wait(b), SR_WRPRTERR);
	assert_int_equal(reg(b, FLASH_BASE + 1024) & 0xFFFF, 0x1111);
	wreg(b, F1_SR, SR_WRPRTERR);
	program16(b, FLASH_BASE + 4 * 1024, 0x4444); /* page 4: the next group */
	assert_int_equal(erase_page(b, FLASH_BASE + 4 * 1024), SR_EOP);
}

static void test_option_bytes(void **state)
{
	struct sr_sim_board *b = f1(state);
	opt_unlock(b);
	/* programming a byte that is not erased: WRPRTERR, skipped */
	assert_int_equal(opt_program(b, 2, 0x12), SR_WRPRTERR);
	wreg(b, F1_SR, SR_WRPRTERR);
	assert_int_equal(opt_erase(b), SR_EOP);
	assert_int_equal(reg(b, OB_BASE), 0xFFFFFFFF);
	assert_int_equal(reg(b, OB_BASE + 12), 0xFFFFFFFF);
	wreg(b, F1_SR, SR_EOP);
	assert_int_equal(opt_program(b, 0, 0xA5), SR_EOP);
	assert_int_equal(opt_program(b, 1, 0xFE), SR_EOP);  /* USER: WDG_SW = 0 */
	assert_int_equal(opt_program(b, 2, 0x42), SR_EOP);  /* Data0 */
	assert_int_equal(reg(b, OB_BASE), 0x01FE5AA5);
	assert_int_equal(reg(b, OB_BASE + 4) & 0xFFFF, 0xBD42);
	/* without OPTPG/OPTWRE a write to the block does nothing */
	wreg(b, F1_CR, 0);
	assert_int_equal(write16(b, OB_BASE + 6, 0x0033), SR_SIM_ACK_OK);
	assert_int_equal(reg(b, OB_BASE + 4) >> 16, 0xFFFF);
	/* FLASH_OBR reloads at reset; the hardware IWDG then runs from reset */
	assert_int_equal(reg(b, F1_OBR), OBR_FACTORY);
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(reg(b, F1_OBR), 0x03FD0BF8); /* Data1 0xFF, Data0 0x42, USER 0xFE */
	wreg(b, RCC_CSR, 1u << 24);                   /* RMVF */
	sr_sim_advance(b, 400 * MS);
	assert_int_equal(reg(b, RCC_CSR) & CSR_IWDGRST, 0);
	sr_sim_advance(b, 20 * MS); /* 4096 * 4 / 40 kHz = 409.6 ms */
	assert_int_equal(reg(b, RCC_CSR) & (CSR_IWDGRST | CSR_PINRST), CSR_IWDGRST | CSR_PINRST);
	/* DBG_IWDG_STOP lives in DBGMCU_CR on the F1 (RM0008 31.16.3) */
	wreg(b, DBGMCU_CR, 1u << 8);
	assert_int_equal(reg(b, DBGMCU_CR), 1u << 8);
	wreg(b, RCC_CSR, 1u << 24);
	halt(b);
	sr_sim_advance(b, 2000 * MS);
	assert_int_equal(reg(b, RCC_CSR) & CSR_IWDGRST, 0);
}

/* A byte whose complement does not match: OPTERR, the byte loads as 0xFF; for RDP
 * that means read protection (PM0075 3.7). */
static void test_bad_complement(void **state)
{
	struct fixture *f = *state;
	uint32_t v;
	sr_sim_board_close(f->b);
	edit_state(f, "option_bytes", "rdp", "0x00A5");
	edit_state(f, "option_bytes", "wrp1", "0x0000");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	struct sr_sim_board *b = f->b;
	swd_connect_id(b, F1_IDCODE);
	assert_int_equal(reg(b, F1_OBR), OBR_FACTORY); /* loaded at the last reset */
	sr_sim_board_set_power(b, 0);
	sr_sim_board_set_power(b, 3300);
	swd_connect_id(b, F1_IDCODE);
	assert_int_equal(reg(b, F1_OBR) & 3, 3);         /* OPTERR, RDPRT */
	assert_int_equal(reg(b, F1_WRPR), 0xFFFFFFFF);   /* WRP1 forced to 0xFF */
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
}

static void test_read_protection(void **state)
{
	struct sr_sim_board *b = f1(state);
	uint32_t v;
	unlock(b);
	program16(b, FLASH_BASE + 0x2000, 0x1234);
	wreg(b, SRAM, 0x55555555);
	set_option(b, 0, 0x00); /* RDP != 0xA5: protected after reset */
	assert_int_equal(reg(b, FLASH_BASE + 0x2000) & 0xFFFF, 0x1234);
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(reg(b, F1_OBR) & 3, 2);
	assert_int_equal(rd32(b, FLASH_BASE + 0x2000, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(rd32(b, 0x00002000, &v), SR_SIM_ACK_FAULT); /* the alias too */
	clear_sticky(b);
	assert_int_equal(reg(b, SRAM), 0x55555555);
	assert_int_equal(reg(b, OB_BASE) & 0xFFFF, 0xFF00);
	/* no program or erase from the debugger */
	unlock(b);
	assert_int_equal(erase_page(b, FLASH_BASE + 0x2000), SR_PGERR);
	wreg(b, F1_SR, SR_PGERR);
	/* unprotect: erase the option bytes (still protected), then RDP 0xA5 mass-erases */
	opt_unlock(b);
	assert_int_equal(opt_erase(b), SR_EOP);
	wreg(b, F1_SR, SR_EOP);
	uint64_t t0 = sr_sim_now_ns(b);
	assert_int_equal(opt_program(b, 0, 0xA5), SR_EOP);
	assert_true(sr_sim_now_ns(b) - t0 >= 40 * MS); /* the mass erase first */
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(reg(b, F1_OBR) & 3, 0);
	assert_int_equal(reg(b, FLASH_BASE + 0x2000), 0xFFFFFFFF);
}

/* The little-endian word at OFF of the board's memory image (main flash first,
 * STATE.md): what the flash holds while read protection hides it from the debugger. */
static uint32_t image_word(struct fixture *f, long off)
{
	char path[sizeof(f->path) + 8];
	uint8_t w[4];
	assert_int_equal(sr_sim_board_save(f->b), SR_OK);
	snprintf(path, sizeof(path), "%s.mem", f->path);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	assert_int_equal(fread(w, 1, 4, fp), 4);
	fclose(fp);
	return w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24;
}

/*
 * When the read protection comes off (PM0075 2.4.2 "Unprotection", case 1: erase the
 * option bytes with OPTER; "Program the correct RDP code 0x00A5 to unprotect the
 * memory. This operation first forces a Mass Erase of the main Flash memory"; then a
 * system reset reloads the option bytes, 2.4.1): OPTER leaves the main flash as it is,
 * programming RDP 0xA5 erases it, and FLASH_OBR.RDPRT, the debugger's lock-out, stays
 * until the reset. openocd's "stm32f1x unlock" does the same two steps and asks for a
 * reset or power cycle after them. Programming 0xA5 with no protection in force erases
 * nothing.
 */
static void test_unprotect_erases_at_rdp_program(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = f1(state);
	uint32_t v;
	unlock(b);
	program16(b, FLASH_BASE + 0x2000, 0x1234);
	set_option(b, 0, 0x00);
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(reg(b, F1_OBR) & 3, 2); /* RDPRT */
	opt_unlock(b);
	assert_int_equal(opt_erase(b), SR_EOP);
	wreg(b, F1_SR, SR_EOP);
	assert_int_equal(image_word(f, 0x2000) & 0xFFFF, 0x1234); /* OPTER erased no flash */
	assert_int_equal(opt_program(b, 0, 0xA5), SR_EOP);
	assert_int_equal(image_word(f, 0x2000), 0xFFFFFFFF); /* programming RDP did */
	assert_int_equal(reg(b, F1_OBR) & 3, 2);             /* protected until the reset */
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, F1_CR, CR_LOCK);
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(reg(b, F1_OBR) & 3, 0);
	assert_int_equal(reg(b, FLASH_BASE + 0x2000), 0xFFFFFFFF);
	unlock(b);
	program16(b, FLASH_BASE + 0x2000, 0x5678);
	set_option(b, 0, 0xA5);
	assert_int_equal(reg(b, FLASH_BASE + 0x2000) & 0xFFFF, 0x5678);
}

/* Power lost after the option erase: all bytes 0xFF, RDP 0xFF = protected, no OPTERR.
 * A reset while a byte is programmed leaves its complement unwritten: OPTERR. */
static void test_interrupted_option_programming(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = f->b;
	uint32_t v;
	sr_sim_board_close(b);
	edit_state(f, "faults", "power_loss_during_ob", "true");
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	b = f->b;
	swd_connect_id(b, F1_IDCODE);
	halt(b);
	opt_unlock(b);
	wreg(b, F1_CR, CR_OPTWRE | CR_OPTER);
	wreg(b, F1_CR, CR_OPTWRE | CR_OPTER | CR_STRT);
	assert_int_equal(sr_sim_board_vtarget_mv(b), 0);
	sr_sim_board_set_power(b, 3300);
	swd_connect_id(b, F1_IDCODE);
	assert_int_equal(reg(b, F1_OBR) & 3, 2);
	assert_int_equal(rd32(b, FLASH_BASE, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	halt(b);
	opt_unlock(b);
	wreg(b, F1_CR, CR_OPTWRE | CR_OPTPG);
	assert_int_equal(write16(b, OB_BASE + 2, 0x00FE), SR_SIM_ACK_OK);
	sr_sim_board_nrst(b, true);
	sr_sim_board_nrst(b, false);
	assert_int_equal(reg(b, OB_BASE) & 0xFFFF0000u, 0xFFFE0000u);
	assert_int_equal(reg(b, F1_OBR) & 1, 1); /* OPTERR */
}

/* The debug side of a Cortex-M3 F103: AHB-AP IDR 0x14770011, ROM table at 0xE00FF000
 * (as live parts report them), the SCS as part 0x000 (Cortex-M3 SCS), no FPU. */
static void test_debug_identity(void **state)
{
	struct sr_sim_board *b = f1(state);
	uint32_t v;
	assert_int_equal(sr_sim_ap_read(b, 0, 0xFC, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0x14770011);
	assert_int_equal(sr_sim_ap_read(b, 0, 0xF8, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0xE00FF003);
	assert_int_equal(reg(b, 0xE00FFFE0), 0x10);              /* ST's table, DEV_ID 0x410 */
	assert_int_equal(reg(b, 0xE000EFE0), 0x00);              /* SCS part 0x000 */
	assert_int_equal(reg(b, 0xE000EFE4) & 0xF, 0x0);
	assert_int_equal(reg(b, 0xE000EF40), 0);                 /* MVFR0: no FPU */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_identification),
		T(test_debug_identity),
		T(test_lock_and_keys),
		T(test_half_word_programming),
		T(test_page_and_mass_erase),
		T(test_write_protection),
		T(test_option_bytes),
		T(test_bad_complement),
		T(test_read_protection),
		T(test_unprotect_erases_at_rdp_program),
		T(test_interrupted_option_programming),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
