/* The STM32H753 around its flash: the debug port and its three access ports (RM0433
 * 60.2), DBGMCU at 0x5C001000 and on the APB-D, reset flags in RCC_RSR, the Cortex-M7
 * identification, and the clock-gated D2 SRAMs. */
#include "sim-test-h7.h"

#define RCC_RSR     0x580244D0u
#define RCC_AHB2ENR 0x580244DCu
#define DBGMCU_IDC  0x5C001000u
#define DBGMCU_CR   0x5C001004u
#define APB4FZ1     0x5C001054u
#define SRAM1       0x30000000u
#define SRAM2       0x30020000u

static uint32_t ap_rd(struct sr_sim_board *b, uint8_t ap, uint8_t r)
{
	uint32_t v = 0xDEAD;
	assert_int_equal(sr_sim_ap_read(b, ap, r, &v), SR_SIM_ACK_OK);
	return v;
}

/* A word through MEM-AP AP. */
static enum sr_sim_ack ap_mem(struct sr_sim_board *b, uint8_t ap, uint32_t addr, uint32_t *v,
                              bool write)
{
	uint8_t buf[4] = {(uint8_t)*v, (uint8_t)(*v >> 8), (uint8_t)(*v >> 16),
	                  (uint8_t)(*v >> 24)};
	enum sr_sim_ack a = write ? sr_sim_mem_write(b, ap, addr, 4, buf, 4, NULL)
	                          : sr_sim_mem_read(b, ap, addr, 4, buf, 4, NULL);
	*v = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
	     (uint32_t)buf[3] << 24;
	return a;
}

static uint32_t ap_word(struct sr_sim_board *b, uint8_t ap, uint32_t addr)
{
	uint32_t v = 0;
	assert_int_equal(ap_mem(b, ap, addr, &v, false), SR_SIM_ACK_OK);
	return v;
}

static void test_debug_port_and_aps(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	uint32_t v;
	/* DPv2: TARGETID in bank 2 (ST's multi-drop note: TARGETSEL 0x04500041) */
	assert_int_equal(sr_sim_dp_write(b, 8, 0x00000002), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(b, 4, &v), SR_SIM_ACK_OK);
	assert_int_equal(v, 0x04500041);
	assert_int_equal(sr_sim_dp_write(b, 8, 0), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(b, 4, &v), SR_SIM_ACK_OK);
	assert_int_equal(v & 0xF0000000u, 0xF0000000u); /* CTRL/STAT again */
	assert_int_equal(ap_rd(b, 0, 0xFC), 0x84770001);
	assert_int_equal(ap_rd(b, 0, 0xF8), 0xE00FE003);
	assert_int_equal(ap_rd(b, 1, 0xFC), 0x84770001);
	assert_int_equal(ap_rd(b, 2, 0xFC), 0x54770002);
	assert_int_equal(ap_rd(b, 2, 0xF8), 0xE00E0003);
	assert_int_equal(ap_rd(b, 3, 0xFC), 0); /* absent AP */
	assert_int_equal(ap_word(b, 3, 0x24000000), 0);
	/* AP1 reaches the D3 domain only */
	wreg(b, 0x38000010, 0x38383838);
	assert_int_equal(ap_word(b, 1, 0x38000010), 0x38383838);
	assert_int_equal(ap_word(b, 1, RCC_RSR), reg(b, RCC_RSR));
	assert_int_equal(ap_mem(b, 1, 0x24000000, &v, false), SR_SIM_ACK_FAULT);
	clear_sticky(b);
}

static void test_core_and_rom_tables(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	assert_int_equal(reg(b, 0xE000ED00), 0x411FC271); /* Cortex-M7 r1p1 */
	assert_int_equal(reg(b, 0xE000EF40), 0x10110221); /* MVFR0: FPv5 double precision */
	/* ROM table at 0xE00FE000: ST's, part 0x450, listing the M7 PPB table, ETM, CTI */
	assert_int_equal(reg(b, 0xE00FEFE0), 0x50);
	assert_int_equal(reg(b, 0xE00FEFE4), 0x04);
	assert_int_equal(reg(b, 0xE00FEFE8), 0x0A);
	assert_int_equal(reg(b, 0xE00FE000), 0x00001003);
	assert_int_equal(reg(b, 0xE00FFFE0), 0xC7);       /* PPB ROM table, ARM part 0x4C7 */
	assert_int_equal(reg(b, 0xE00FF000), 0xFFF0F003); /* -> SCS */
	assert_int_equal(reg(b, 0xE0002FE0), 0x0E);       /* FPB v2 */
	assert_int_equal(reg(b, 0xE0002000) & 0xF0000FF0u, 0x10000180); /* 8 code, 1 literal */
	assert_int_equal(reg(b, 0xE0041FE0), 0x75);                     /* ETM-M7, part 0x975 */
}

static void test_dbgmcu_both_views(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	uint32_t v;
	assert_int_equal(reg(b, DBGMCU_IDC), 0x20036450); /* rev V */
	assert_int_equal(ap_word(b, 2, 0xE00E1000), 0x20036450);
	/* openocd's examine-end: D1/D3 debug clocks through AP2, read back through AP0 */
	v = 0x00600000;
	assert_int_equal(ap_mem(b, 2, 0xE00E1004, &v, true), SR_SIM_ACK_OK);
	assert_int_equal(reg(b, DBGMCU_CR), 0x00600000);
	wreg(b, DBGMCU_CR, 0xFFFFFFFF); /* reserved bits stay 0 */
	assert_int_equal(reg(b, DBGMCU_CR), 0x107001BF);
	wreg(b, APB4FZ1, 1u << 18); /* WDGLSD1 */
	assert_int_equal(ap_word(b, 2, 0xE00E1054), 1u << 18);
	/* APB-D ROM table and the components behind the debug clocks */
	assert_int_equal(ap_word(b, 2, 0xE00E0000 + 0xFF0), 0x0D);
	assert_int_equal(ap_word(b, 2, 0xE00E0008), 0x00003003); /* -> SWO */
	wreg(b, DBGMCU_CR, 0);
	assert_int_equal(ap_mem(b, 2, 0xE00E3FE0, &v, false), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, DBGMCU_CR, 1u << 22);                      /* D3DBGCKEN */
	assert_int_equal(ap_word(b, 2, 0xE00E3FE0), 0x14); /* SWO, part 0x914 */
	assert_int_equal(ap_mem(b, 2, 0xE00F5FE0, &v, false), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, DBGMCU_CR, 3u << 21);
	assert_int_equal(ap_word(b, 2, 0xE00F5FE0), 0x12); /* TPIU, part 0x912 */
	v = 3;
	assert_int_equal(ap_mem(b, 2, 0xE00E4000, &v, true), SR_SIM_ACK_OK); /* SWTF_CTRL */
	assert_int_equal(ap_word(b, 2, 0xE00E4000), 3);
	/* the DBGMCU registers survive a system reset, not a power cycle */
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(reg(b, DBGMCU_CR), 3u << 21);
	sr_sim_board_set_power(b, 0);
	sr_sim_board_set_power(b, 3300);
	h7_connected(state);
	assert_int_equal(reg(b, DBGMCU_CR), 0);
}

static void test_iwdg_freeze_in_apb4fz1(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	wreg(b, 0x58004800, 0xCCCC); /* IWDG1_KR: start, about 512 ms at reset values */
	wreg(b, APB4FZ1, 1u << 18);
	sr_sim_advance(b, 2000 * MS); /* halted and frozen: no reset */
	assert_int_equal(reg(b, RCC_RSR) & (1u << 26), 0);
	wreg(b, APB4FZ1, 0);
	sr_sim_advance(b, 2000 * MS);
	assert_true(reg(b, RCC_RSR) & (1u << 26)); /* IWDG1RSTF */
}

static void test_reset_flags_in_rcc_rsr(void **state)
{
	struct sr_sim_board *b = h7_connected(state);
	/* power-on: POR, PIN, BOR, D2, D1, CPU (RM0433 8.4) */
	assert_int_equal(reg(b, RCC_RSR), 0x00FA0000);
	wreg(b, RCC_RSR, 1u << 16); /* RMVF */
	assert_int_equal(reg(b, RCC_RSR), 0);
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(reg(b, RCC_RSR), (1u << 24) | (1u << 22) | (1u << 17)); /* SFT PIN CPU */
	wreg(b, RCC_RSR, 1u << 16);
	sr_sim_board_nrst(b, true);
	sr_sim_board_nrst(b, false);
	h7_connected(state);
	assert_int_equal(reg(b, RCC_RSR), (1u << 22) | (1u << 17));
}

static void test_d2_sram_clock_gating(void **state)
{
	struct fixture *f = *state;
	struct sr_sim_board *b = h7_connected(state);
	uint32_t v;
	/* after reset SRAM1EN..SRAM3EN are 0: the D2 SRAMs give a bus error */
	assert_int_equal(rd32(b, SRAM1, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	assert_int_equal(wr32(b, SRAM2 + 0x10, 1), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, 0x38000000, 4);         /* SRAM4 (D3) needs no enable */
	wreg(b, RCC_AHB2ENR, 1u << 29); /* SRAM1EN */
	wreg(b, SRAM1, 0x5A5A5A5A);
	assert_int_equal(reg(b, SRAM1), 0x5A5A5A5A);
	assert_int_equal(rd32(b, SRAM2, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	/* the enable and the data carry over to the next process */
	reopen(f);
	b = h7_reconnect(f);
	assert_int_equal(reg(b, SRAM1), 0x5A5A5A5A);
	/* a system reset clears the enable; the data stay */
	wreg(b, AIRCR, 0x05FA0004);
	assert_int_equal(rd32(b, SRAM1, &v), SR_SIM_ACK_FAULT);
	clear_sticky(b);
	wreg(b, RCC_AHB2ENR, 1u << 29);
	assert_int_equal(reg(b, SRAM1), 0x5A5A5A5A);
	/* [ram] SRAM2 = clocked: the D2 domain kept awake, no enable needed (DIAGNOSES A3) */
	sr_sim_board_close(b);
	struct sr_sim_state *st;
	assert_int_equal(sr_sim_state_load(f->path, &st), SR_OK);
	assert_string_equal(sr_sim_state_get(st, "ram", "SRAM2"), "gated");
	sr_sim_state_set(st, "ram", "SRAM2", "clocked");
	assert_int_equal(sr_sim_state_save(st), SR_OK);
	sr_sim_state_free(st);
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	b = h7_reconnect(f);
	wreg(b, SRAM2, 0x22222222);
	assert_int_equal(reg(b, SRAM2), 0x22222222);
	assert_int_equal(rd32(b, 0x30040000, &v), SR_SIM_ACK_FAULT); /* SRAM3 still gated */
	clear_sticky(b);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, h7_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_debug_port_and_aps),     T(test_core_and_rom_tables),
	    T(test_dbgmcu_both_views),      T(test_iwdg_freeze_in_apb4fz1),
	    T(test_reset_flags_in_rcc_rsr), T(test_d2_sram_clock_gating),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
