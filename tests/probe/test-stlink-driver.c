/*
 * The ST-Link driver (src/probe) and the Cortex-M layer (src/target) against the
 * virtual lab through the in-process sim transport, for each probe persona: the
 * same code that drives real USB.
 */
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
#include "db/family.h"
#include "probe/stlink.h"
#include "probe/transport.h"
#include "sim/board.h"
#include "sim/state.h"
#include "target/target.h"

#define SRAM 0x20000000u

struct persona {
	const char *pid, *firmware;
	int hw;
	size_t rw8;
};

static const struct persona personas[] = {
    {"0x3748", "V2J37S7", 2, 64},
    {"0x374b", "V2J37M26", 2, 64},
    {"0x374e", "V3J7M3B2", 3, 512},
    {"0x3748", "V2J21S4", 2, 64}, /* old: no SWD clock, no 16-bit access */
};

/* Every virtual chip behind a V2-1: its SW-DP and core (ARM DDI 0403E B4.1.2, the RMs' debug
 * chapters: RM0008 31, RM0390 33, RM0385 40, RM0351 48, RM0440 47, RM0433 60). */
struct chip {
	const char *name;
	uint32_t dp_idcode, cpuid;
	uint16_t dev_id;
};

static const struct chip chips[] = {
    {"stm32f446", 0x2BA01477, 0x410FC241, 0x421}, {"stm32f103", 0x1BA01477, 0x411FC231, 0x410},
    {"stm32f746", 0x5BA02477, 0x410FC271, 0x449}, {"stm32h753", 0x6BA02477, 0x411FC271, 0x450},
    {"stm32l476", 0x2BA01477, 0x410FC241, 0x415}, {"stm32g431", 0x2BA01477, 0x410FC241, 0x468},
    {"stm32g474", 0x2BA01477, 0x410FC241, 0x469},
};

struct fx {
	char dir[64], path[96];
	const struct persona *p;
	const struct chip *chip;
	struct sr_target *tg;
	struct sr_db *db;
};

static void make_board(struct fx *f)
{
	struct sr_sim_state *st;
	snprintf(f->dir, sizeof(f->dir), "/tmp/sr-drv-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/b.ini", f->dir);
	assert_int_equal(sr_sim_board_create(f->chip->name, f->path), SR_OK);
	assert_int_equal(sr_sim_state_load(f->path, &st), SR_OK);
	sr_sim_state_set(st, "probe", "pid", f->p->pid);
	sr_sim_state_set(st, "probe", "firmware", f->p->firmware);
	assert_int_equal(sr_sim_state_save(st), SR_OK);
	sr_sim_state_free(st);
}

static int setup_chip(void **state, const struct persona *p, const struct chip *chip)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sr_msgs why = {0};
	char spec[128];
	f->p = p;
	f->chip = chip;
	make_board(f);
	assert_int_equal(sr_db_load(getenv("STMRESCUE_DATADIR"), &f->db, &why), SR_OK);
	snprintf(spec, sizeof(spec), "sim:%s", f->path);
	assert_int_equal(sr_target_open(spec, f->db, &f->tg, &why), SR_OK);
	assert_int_equal(sr_target_connect(f->tg, SR_CONNECT_NORMAL, &why), SR_OK);
	sr_msgs_free(&why);
	*state = f;
	return 0;
}

static int setup(void **state, const struct persona *p)
{
	return setup_chip(state, p, &chips[0]);
}

static int setup_v2(void **s) { return setup(s, &personas[0]); }
static int setup_v21(void **s) { return setup(s, &personas[1]); }
static int setup_v3(void **s) { return setup(s, &personas[2]); }
static int setup_old(void **s) { return setup(s, &personas[3]); }

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	sr_target_close(f->tg, false);
	sr_db_free(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void test_version(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->tg->sl.hw, f->p->hw);
	assert_string_equal(f->tg->sl.version, f->p->firmware);
	assert_int_equal(sr_stlink_max_rw8(&f->tg->sl), f->p->rw8);
	assert_int_equal(f->tg->id.dp_idcode, f->chip->dp_idcode);
	assert_int_equal(f->tg->id.cpuid, f->chip->cpuid);
	assert_true(sr_cm_is_halted(f->tg));
}

/* Every chip: identified from its DBGMCU_IDCODE, at its own address, with its flash size. */
static void test_identify(void **state)
{
	struct fx *f = *state;
	struct sr_msgs why = {0};
	assert_int_equal(sr_target_identify(f->tg, &why), SR_OK);
	assert_non_null(f->tg->id.dev);
	assert_int_equal(f->tg->id.dev_id, f->chip->dev_id);
	assert_true(f->tg->id.flash_kib_ok);
	assert_int_equal(f->tg->id.flash_kib * 1024u, f->tg->id.dev->flash_max);
	assert_true(f->tg->id.uid_ok);
	sr_msgs_free(&why);
}

#define CHIP_SETUP(i)                                                                      \
	static int setup_chip##i(void **s) { return setup_chip(s, &personas[1], &chips[i]); }
CHIP_SETUP(1)
CHIP_SETUP(2)
CHIP_SETUP(3)
CHIP_SETUP(4)
CHIP_SETUP(5)
CHIP_SETUP(6)

/* Patterns through 32-bit bodies, byte edges and chunks over every probe limit. */
static void test_memory_widths(void **state)
{
	struct fx *f = *state;
	size_t n = 9000; /* over the 6144-byte buffer and the 4 KiB TAR wrap */
	uint8_t *out = malloc(n), *in = calloc(1, n);
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(sr_target_write(f->tg, SRAM + 1, out, n), SR_OK);
	assert_int_equal(sr_target_read(f->tg, SRAM + 1, in, n), SR_OK);
	assert_memory_equal(in, out, n);
	/* 8-bit transfers over the probe's 8-bit limit */
	assert_int_equal(sr_stlink_read_mem_w(&f->tg->sl, 8, SRAM + 1, in, 700), SR_OK);
	assert_memory_equal(in, out, 700);
	uint16_t h;
	assert_int_equal(sr_stlink_read16(&f->tg->sl, SRAM + 2, &h), SR_OK);
	assert_int_equal(h, out[1] | out[2] << 8);
	int rc16 = sr_stlink_read_mem_w(&f->tg->sl, 16, SRAM, in, 4);
	assert_int_equal(rc16, sr_stlink_has(&f->tg->sl, STLINK_V2_J_MEM16) ? SR_OK : SR_E_PROBE_FW);
	free(out);
	free(in);
}

/* A read of unmapped memory faults; the driver reports where (GETLASTRWSTATUS2, J15+). */
static void test_fault_address(void **state)
{
	struct fx *f = *state;
	uint8_t buf[64];
	assert_int_equal(sr_target_read(f->tg, 0x2001FFE0, buf, 64), SR_E_SWD_FAULT);
	assert_int_equal(f->tg->sl.fault_addr, 0x20020000); /* first word past SRAM2 */
	/* the probe is still usable afterwards */
	uint32_t v;
	assert_int_equal(sr_target_read32(f->tg, 0xE0042000, &v), SR_OK);
	assert_int_equal(v & 0xFFF, 0x421);
}

static void test_core_registers(void **state)
{
	struct fx *f = *state;
	uint32_t v = 0;
	assert_int_equal(sr_stlink_write_reg(&f->tg->sl, 3, 0xCAFEF00D), SR_OK);
	assert_int_equal(sr_cm_read_reg(f->tg, 3, &v), SR_OK);
	assert_int_equal(v, 0xCAFEF00D);
}

/* Code uploaded to SRAM runs and stops at BKPT: MOVS r0,#42; BKPT #0. */
static void test_run_step_halt(void **state)
{
	struct fx *f = *state;
	const uint8_t code[] = {0x2A, 0x20, 0x00, 0xBE};
	uint32_t r0 = 0, pc = 0;
	assert_int_equal(sr_target_write(f->tg, SRAM, code, sizeof(code)), SR_OK);
	assert_int_equal(sr_stlink_write_reg(&f->tg->sl, 15, SRAM), SR_OK);
	assert_int_equal(sr_stlink_write_reg(&f->tg->sl, 16, 0x01000000), SR_OK);
	assert_int_equal(sr_cm_step(f->tg), SR_OK);
	assert_int_equal(sr_cm_read_reg(f->tg, 0, &r0), SR_OK);
	assert_int_equal(sr_cm_read_reg(f->tg, 15, &pc), SR_OK);
	assert_int_equal(r0, 42);
	assert_int_equal(pc, SRAM + 2);
	assert_int_equal(sr_cm_run(f->tg), SR_OK);
	assert_int_equal(sr_cm_halt(f->tg), SR_OK); /* stopped at the BKPT already */
	assert_int_equal(sr_cm_read_reg(f->tg, 15, &pc), SR_OK);
	assert_int_equal(pc, SRAM + 2);
}

/* Reset with vector catch: the core halts at its reset vector (here the erased one). */
static void test_reset_halt(void **state)
{
	struct fx *f = *state;
	uint32_t sp = 0, pc = 0, dhcsr = 0;
	assert_int_equal(sr_cm_reset_halt(f->tg), SR_OK);
	assert_int_equal(sr_cm_dhcsr(f->tg, &dhcsr), SR_OK);
	assert_true(dhcsr & SR_CM_S_HALT);
	assert_int_equal(sr_cm_read_reg(f->tg, 17, &sp), SR_OK);
	assert_int_equal(sr_cm_read_reg(f->tg, 15, &pc), SR_OK);
	assert_int_equal(sp, 0xFFFFFFFC); /* SP from the erased vector table, word-aligned */
	assert_int_equal(pc, 0xFFFFFFFE);
	uint32_t csr = 0;
	assert_int_equal(sr_target_read32(f->tg, 0x40023874, &csr), SR_OK);
	assert_true(csr & (1u << 28)); /* SFTRSTF: RM0390 6.3.21 */
}

static void test_swd_clock(void **state)
{
	struct fx *f = *state;
	unsigned khz = 0;
	int rc = sr_stlink_set_swd_khz(&f->tg->sl, 1000, &khz);
	if (!sr_stlink_has(&f->tg->sl, STLINK_V2_J_SWD_FREQ)) {
		assert_int_equal(rc, SR_E_PROBE_FW);
		return;
	}
	assert_int_equal(rc, SR_OK);
	assert_true(khz <= 1000 && khz >= 480);
}

/* The chip-independent cases on each other chip. */
#define CHIP_TESTS(s)                                                                      \
	cmocka_unit_test_setup_teardown(test_version, s, teardown),                        \
	    cmocka_unit_test_setup_teardown(test_identify, s, teardown),                   \
	    cmocka_unit_test_setup_teardown(test_memory_widths, s, teardown),              \
	    cmocka_unit_test_setup_teardown(test_core_registers, s, teardown),             \
	    cmocka_unit_test_setup_teardown(test_run_step_halt, s, teardown)

#define PERSONA_TESTS(s)                                                                   \
	cmocka_unit_test_setup_teardown(test_version, s, teardown),                        \
	    cmocka_unit_test_setup_teardown(test_memory_widths, s, teardown),              \
	    cmocka_unit_test_setup_teardown(test_fault_address, s, teardown),              \
	    cmocka_unit_test_setup_teardown(test_core_registers, s, teardown),             \
	    cmocka_unit_test_setup_teardown(test_run_step_halt, s, teardown),              \
	    cmocka_unit_test_setup_teardown(test_reset_halt, s, teardown),                 \
	    cmocka_unit_test_setup_teardown(test_swd_clock, s, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    PERSONA_TESTS(setup_v2),
	    PERSONA_TESTS(setup_v21),
	    PERSONA_TESTS(setup_v3),
	    PERSONA_TESTS(setup_old),
	    cmocka_unit_test_setup_teardown(test_identify, setup_v21, teardown),
	    CHIP_TESTS(setup_chip1),
	    CHIP_TESTS(setup_chip2),
	    CHIP_TESTS(setup_chip3),
	    CHIP_TESTS(setup_chip4),
	    CHIP_TESTS(setup_chip5),
	    CHIP_TESTS(setup_chip6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
