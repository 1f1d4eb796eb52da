/* Helpers for chip-side tests of chips other than the F446: a fresh board of a
 * named chip, and the SWD connect with that chip's DP IDCODE. */
#ifndef SR_SIM_TEST_CHIP_H
#define SR_SIM_TEST_CHIP_H

#include "sim-test.h"

/* A factory-fresh board of CHIP in a temporary folder (as fixture_setup). */
static inline int chip_fixture_setup(void **state, const char *chip)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/sr-simtest-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/board.ini", f->dir);
	if (sr_sim_board_create(chip, f->path) != SR_OK)
		return -1;
	if (sr_sim_board_open(f->path, &f->b) != SR_OK)
		return -1;
	*state = f;
	return 0;
}

/* Line reset, IDCODE (must be IDCODE), debug power-up. */
static inline void swd_connect_id(struct sr_sim_board *b, uint32_t idcode)
{
	uint32_t v;
	assert_int_equal(sr_sim_swd_line_reset(b), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(b, 0, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, idcode);
	assert_int_equal(sr_sim_dp_write(b, 4, 0x50000000), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(b, 4, &v), SR_SIM_ACK_OK);
	assert_int_equal(v & 0xF0000000u, 0xF0000000u);
}

/* Set KEY = VALUE in SECTION of the closed board's state file. */
static inline void edit_state(struct fixture *f, const char *section, const char *key,
			      const char *value)
{
	struct sr_sim_state *st;
	assert_int_equal(sr_sim_state_load(f->path, &st), SR_OK);
	sr_sim_state_set(st, section, key, value);
	assert_int_equal(sr_sim_state_save(st), SR_OK);
	sr_sim_state_free(st);
}

/* Core register SEL through DCRSR/DCRDR (ARMv7-M C1.6.3). */
static inline uint32_t core_reg(struct sr_sim_board *b, unsigned sel)
{
	wreg(b, DCRSR, sel);
	assert_true(reg(b, DHCSR) & (1u << 16));
	return reg(b, DCRDR);
}

static inline void core_reg_write(struct sr_sim_board *b, unsigned sel, uint32_t v)
{
	wreg(b, DCRDR, v);
	wreg(b, DCRSR, sel | 1u << 16);
	assert_true(reg(b, DHCSR) & (1u << 16));
}

/* System reset with the core caught at its reset vector (DEMCR.VC_CORERESET). */
static inline void reset_halt(struct sr_sim_board *b)
{
	wreg(b, DHCSR, 0xA05F0001);
	wreg(b, DEMCR, 1);
	wreg(b, AIRCR, 0x05FA0004);
	sr_sim_advance(b, 1000);
	assert_true(reg(b, DHCSR) & (1u << 17));
}

#endif
