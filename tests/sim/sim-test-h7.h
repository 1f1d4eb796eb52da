/* Helpers for the STM32H753 tests: a fresh board, its flash registers (RM0433 4.9). */
#ifndef SR_SIM_TEST_H7_H
#define SR_SIM_TEST_H7_H

#include "sim-test.h"

#define H7_FLASH       0x52002000u
#define H7_KEYR(b)     (H7_FLASH + 0x100 * (b) + 0x04)
#define H7_OPTKEYR     (H7_FLASH + 0x08)
#define H7_CR(b)       (H7_FLASH + 0x100 * (b) + 0x0C)
#define H7_SR(b)       (H7_FLASH + 0x100 * (b) + 0x10)
#define H7_CCR(b)      (H7_FLASH + 0x100 * (b) + 0x14)
#define H7_OPTCR       (H7_FLASH + 0x18)
#define H7_OPTSR_CUR   (H7_FLASH + 0x1C)
#define H7_OPTSR_PRG   (H7_FLASH + 0x20)
#define H7_OPTCCR      (H7_FLASH + 0x24)
#define H7_PRAR_PRG(b) (H7_FLASH + 0x100 * (b) + 0x2C)
#define H7_SCAR_PRG(b) (H7_FLASH + 0x100 * (b) + 0x34)
#define H7_WPSN_CUR(b) (H7_FLASH + 0x100 * (b) + 0x38)
#define H7_WPSN_PRG(b) (H7_FLASH + 0x100 * (b) + 0x3C)
#define H7_BOOT_CUR    (H7_FLASH + 0x40)
#define H7_BOOT_PRG    (H7_FLASH + 0x44)
#define H7_CRCCR(b)    (H7_FLASH + 0x100 * (b) + 0x50)
#define H7_CRCSADD(b)  (H7_FLASH + 0x100 * (b) + 0x54)
#define H7_CRCEADD(b)  (H7_FLASH + 0x100 * (b) + 0x58)
#define H7_CRCDATA     (H7_FLASH + 0x5C)
#define H7_ECC_FA(b)   (H7_FLASH + 0x100 * (b) + 0x60)

#define BANK1 0x08000000u
#define BANK2 0x08100000u
#define SECT  0x20000u

#define H7_BSY      (1u << 0)
#define H7_WBNE     (1u << 1)
#define H7_QW       (1u << 2)
#define H7_CRC_BUSY (1u << 3)
#define H7_EOP      (1u << 16)
#define H7_WRPERR   (1u << 17)
#define H7_PGSERR   (1u << 18)
#define H7_STRBERR  (1u << 19)
#define H7_INCERR   (1u << 21)
#define H7_RDPERR   (1u << 23)
#define H7_RDSERR   (1u << 24)
#define H7_SNECCERR (1u << 25)
#define H7_DBECCERR (1u << 26)
#define H7_CRCEND   (1u << 27)
#define H7_CRCRDERR (1u << 28)

#define H7_LOCK   (1u << 0)
#define H7_PG     (1u << 1)
#define H7_SER    (1u << 2)
#define H7_BER    (1u << 3)
#define H7_X64    (3u << 4)
#define H7_FW     (1u << 6)
#define H7_START  (1u << 7)
#define H7_SNB(n) ((uint32_t)(n) << 8)
#define H7_CRC_EN (1u << 15)

#define H7_DP_IDCODE 0x6BA02477u

static inline int h7_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/sr-simtest-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/board.ini", f->dir);
	if (sr_sim_board_create("stm32h753", f->path) != SR_OK)
		return -1;
	if (sr_sim_board_open(f->path, &f->b) != SR_OK)
		return -1;
	*state = f;
	return 0;
}

/* Line reset, IDCODE, debug power-up: the fixture's board as a new process sees it. */
static inline struct sr_sim_board *h7_reconnect(struct fixture *f)
{
	uint32_t v;
	assert_int_equal(sr_sim_swd_line_reset(f->b), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(f->b, 0, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, H7_DP_IDCODE);
	assert_int_equal(sr_sim_dp_write(f->b, 4, 0x50000000), SR_SIM_ACK_OK);
	return f->b;
}

/* Line reset, IDCODE, debug power-up, halt: what a probe does on connect. */
static inline struct sr_sim_board *h7_connected(void **state)
{
	struct fixture *f = *state;
	uint32_t v;
	assert_int_equal(sr_sim_swd_line_reset(f->b), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(f->b, 0, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, H7_DP_IDCODE);
	assert_int_equal(sr_sim_dp_write(f->b, 4, 0x50000000), SR_SIM_ACK_OK);
	halt(f->b);
	return f->b;
}

static inline void h7_unlock(struct sr_sim_board *b, int bank)
{
	wreg(b, H7_KEYR(bank), KEY1);
	wreg(b, H7_KEYR(bank), KEY2);
	assert_int_equal(reg(b, H7_CR(bank)) & H7_LOCK, 0);
}

static inline void h7_opt_unlock(struct sr_sim_board *b)
{
	wreg(b, H7_OPTKEYR, OPTKEY1);
	wreg(b, H7_OPTKEYR, OPTKEY2);
	assert_int_equal(reg(b, H7_OPTCR) & 1, 0);
}

/* Poll FLASH_SRx until QW clears, letting virtual time pass; returns SR. */
static inline uint32_t h7_wait(struct sr_sim_board *b, int bank)
{
	for (int i = 0; i < 100000; i++) {
		uint32_t sr = reg(b, H7_SR(bank));
		if (!(sr & H7_QW))
			return sr;
		sr_sim_advance(b, MS / 10);
	}
	fail_msg("QW never cleared");
	return 0;
}

/* Poll FLASH_OPTSR_CUR until OPT_BUSY clears. */
static inline uint32_t h7_opt_wait(struct sr_sim_board *b)
{
	for (int i = 0; i < 100000; i++) {
		uint32_t v = reg(b, H7_OPTSR_CUR);
		if (!(v & 1))
			return v;
		sr_sim_advance(b, MS);
	}
	fail_msg("OPT_BUSY never cleared");
	return 0;
}

/* One flash word of 8 words starting at V, with PG set at x64. */
static inline void h7_program(struct sr_sim_board *b, int bank, uint32_t addr, uint32_t v)
{
	wreg(b, H7_CR(bank), H7_PG | H7_X64);
	for (int i = 0; i < 8; i++)
		wreg(b, addr + 4 * i, v + i);
	assert_int_equal(h7_wait(b, bank) & 0x1FEE0000u, 0);
	wreg(b, H7_CCR(bank), H7_EOP);
}

/* Program the option-byte register PRG with V and wait for the change. */
static inline uint32_t h7_option(struct sr_sim_board *b, uint32_t prg, uint32_t v)
{
	h7_opt_unlock(b);
	wreg(b, prg, v);
	wreg(b, H7_OPTCR, 2); /* OPTSTART */
	uint32_t cur = h7_opt_wait(b);
	wreg(b, H7_OPTCR, 1); /* OPTLOCK */
	return cur;
}

#endif
