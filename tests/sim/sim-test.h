/* Helpers for the chip-side tests: a fresh board in a temporary folder, driven
 * through board.h the way the virtual probe drives it. */
#ifndef SR_SIM_TEST_H
#define SR_SIM_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/error.h"
#include "sim/board.h"
#include "sim/state.h"

#define FLASH_BASE 0x08000000u
#define FLASH_KEYR 0x40023C04u
#define FLASH_OPTKEYR 0x40023C08u
#define FLASH_SR   0x40023C0Cu
#define FLASH_CR   0x40023C10u
#define FLASH_OPTCR 0x40023C14u
#define DHCSR      0xE000EDF0u
#define DCRSR      0xE000EDF4u
#define DCRDR      0xE000EDF8u
#define DEMCR      0xE000EDFCu
#define AIRCR      0xE000ED0Cu
#define DFSR       0xE000ED30u
#define SRAM       0x20000000u
#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu
#define OPTKEY1 0x08192A3Bu
#define OPTKEY2 0x4C5D6E7Fu
#define MS 1000000ull

struct fixture {
	char dir[64];
	char path[96];
	struct sr_sim_board *b;
};

static inline int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/sr-simtest-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/board.ini", f->dir);
	if (sr_sim_board_create("stm32f446", f->path) != SR_OK)
		return -1;
	if (sr_sim_board_open(f->path, &f->b) != SR_OK)
		return -1;
	*state = f;
	return 0;
}

static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	sr_sim_board_close(f->b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Close and reopen the board from its file, as a new process would. */
static inline void reopen(struct fixture *f)
{
	sr_sim_board_close(f->b);
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
}

/* What an ST-Link does on "enter SWD": line reset, IDCODE, debug power-up. */
static inline void swd_connect(struct sr_sim_board *b)
{
	uint32_t v;
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(b, 0, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0x2BA01477);
	assert_int_equal(sr_sim_dp_write(b, 4, 0x50000000), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(b, 4, &v), SR_SIM_ACK_OK);
	assert_int_equal(v & 0xF0000000u, 0xF0000000u);
}

static inline enum sr_sim_ack rd32(struct sr_sim_board *b, uint32_t addr, uint32_t *v)
{
	uint8_t buf[4];
	uint32_t fa = 0;
	enum sr_sim_ack a = sr_sim_mem_read(b, 0, addr, 4, buf, 4, &fa);
	*v = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
	     (uint32_t)buf[3] << 24;
	return a;
}

static inline enum sr_sim_ack wr32(struct sr_sim_board *b, uint32_t addr, uint32_t v)
{
	uint8_t buf[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	uint32_t fa = 0;
	return sr_sim_mem_write(b, 0, addr, 4, buf, 4, &fa);
}

static inline uint32_t reg(struct sr_sim_board *b, uint32_t addr)
{
	uint32_t v = 0;
	assert_int_equal(rd32(b, addr, &v), SR_SIM_ACK_OK);
	return v;
}

static inline void wreg(struct sr_sim_board *b, uint32_t addr, uint32_t v)
{
	assert_int_equal(wr32(b, addr, v), SR_SIM_ACK_OK);
}

static inline void clear_sticky(struct sr_sim_board *b)
{
	assert_int_equal(sr_sim_dp_write(b, 0, 0x1E), SR_SIM_ACK_OK); /* ABORT: all sticky */
}

static inline void halt(struct sr_sim_board *b)
{
	wreg(b, DHCSR, 0xA05F0003);
	assert_true(reg(b, DHCSR) & (1u << 17));
}

/* The fixture's board, connected and halted. */
static inline struct sr_sim_board *connected(void **state)
{
	struct fixture *f = *state;
	swd_connect(f->b);
	halt(f->b);
	return f->b;
}

static inline void flash_unlock(struct sr_sim_board *b)
{
	wreg(b, FLASH_KEYR, KEY1);
	wreg(b, FLASH_KEYR, KEY2);
	assert_int_equal(reg(b, FLASH_CR) & 0x80000000u, 0);
}

/* Poll FLASH_SR until BSY clears, letting virtual time pass; returns SR. */
static inline uint32_t flash_wait(struct sr_sim_board *b)
{
	uint32_t sr;
	for (int i = 0; i < 100000; i++) {
		sr = reg(b, FLASH_SR);
		if (!(sr & (1u << 16)))
			return sr;
		sr_sim_advance(b, 1 * MS);
	}
	fail_msg("BSY never cleared");
	return 0;
}

#endif
