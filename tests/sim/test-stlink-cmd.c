/* Unit tests of the virtual ST-Link's command decoding, against a test double of the board. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/error.h"
#include "sim/fake-board.h"
#include "sim/stlink-internal.h"

struct fx {
	char path[64];
	struct sr_sim_board *b;
	struct sr_sim_stlink *p;
};

/* A probe for the [probe] section TEXT (a PID/firmware pair, plus extras). */
static struct fx *fx_new(const char *text)
{
	struct fx *f = calloc(1, sizeof(*f));
	char ini[512];
	snprintf(ini, sizeof(ini), "[probe]\n%s\n", text);
	fake_state_file(ini, f->path);
	assert_int_equal(sr_sim_board_open(f->path, &f->b), SR_OK);
	assert_int_equal(sr_sim_stlink_new(f->b, &f->p), SR_OK);
	return f;
}

static void fx_free(struct fx *f)
{
	sr_sim_stlink_free(f->p);
	sr_sim_board_close(f->b);
	unlink(f->path);
	free(f);
}

/* Send a command block (bytes given, rest zero) and collect the whole reply. */
static size_t cmd(struct fx *f, uint8_t *rep, size_t n, ...)
{
	uint8_t c[16] = {0}, buf[8192];
	va_list ap;
	bool is_cmd;
	size_t got = 0;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		c[i] = (uint8_t)va_arg(ap, int);
	va_end(ap);
	assert_int_equal(sr_sim_stlink_out(f->p, c, 16, &is_cmd), SR_SIM_IO_OK);
	assert_true(is_cmd);
	if (sr_sim_stlink_pending(f->p))
		assert_int_equal(sr_sim_stlink_in(f->p, buf, sizeof(buf), &got), SR_SIM_IO_OK);
	if (rep)
		memcpy(rep, buf, got);
	return got;
}

static void enter_swd(struct fx *f)
{
	uint8_t r[2];
	cmd(f, NULL, 2, 0xF3, 0x07);
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x30, 0xA3), 2);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(sr_sim_stlink_mode(f->p), SR_SIM_MODE_DEBUG);
}

static void test_version_v21(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nfirmware = V2J37M26");
	uint8_t r[16];
	/* 2 << 12 | 37 << 6 | 26 = 0x295A, big-endian; then VID and PID little-endian */
	const uint8_t want[6] = {0x29, 0x5A, 0x83, 0x04, 0x4B, 0x37};
	assert_int_equal(cmd(f, r, 1, 0xF1), 6);
	assert_memory_equal(r, want, 6);
	/* V2-1 has no GET_VERSION_EX: no answer at all */
	assert_int_equal(cmd(f, r, 1, 0xFB), 0);
	struct sr_sim_stlink_stats st;
	sr_sim_stlink_stats(f->p, &st);
	assert_int_equal(st.refused, 1);
	assert_int_equal(st.commands, 2);
	fx_free(f);
}

static void test_version_v2_swim(void **s)
{
	struct fx *f = fx_new("pid = 0x3748\nfirmware = V2J29S7");
	uint8_t r[6];
	const uint8_t want[6] = {0x27, 0x47, 0x83, 0x04, 0x48, 0x37}; /* 0x2000|29<<6|7 */
	assert_int_equal(cmd(f, r, 1, 0xF1), 6);
	assert_memory_equal(r, want, 6);
	fx_free(f);
}

static void test_version_v3(void **s)
{
	struct fx *f = fx_new("pid = 0x374e\nfirmware = V3J7M3B2S1");
	uint8_t r[16];
	const uint8_t v[6] = {0x30, 0x00, 0x83, 0x04, 0x4E, 0x37};
	const uint8_t ex[12] = {3, 1, 7, 3, 2, 0, 0, 0, 0x83, 0x04, 0x4E, 0x37};
	assert_int_equal(cmd(f, r, 1, 0xF1), 6);
	assert_memory_equal(r, v, 6);
	assert_int_equal(cmd(f, r, 1, 0xFB), 12);
	assert_memory_equal(r, ex, 12);
	fx_free(f);
}

static void test_persona_errors(void **s)
{
	struct sr_sim_stlink_persona p;
	assert_int_not_equal(sr_sim_stlink_persona_parse(0x1234, NULL, NULL, &p), SR_OK);
	assert_int_not_equal(sr_sim_stlink_persona_parse(0x374b, "V3J7M3", NULL, &p), SR_OK);
	assert_int_not_equal(sr_sim_stlink_persona_parse(0x374b, "V2JxM3", NULL, &p), SR_OK);
	assert_int_not_equal(sr_sim_stlink_persona_parse(0x374b, NULL, "SHORT", &p), SR_OK);
	assert_int_equal(sr_sim_stlink_persona_parse(0x3753, NULL, NULL, &p), SR_OK);
	assert_int_equal(p.gen, SR_SIM_STLINK_V3);
	assert_true(p.high_speed);
	assert_int_equal(strlen(p.serial), 24);
}

static void test_modes(void **s)
{
	struct fx *f = fx_new("pid = 0x3748");
	uint8_t r[2];
	assert_int_equal(cmd(f, r, 1, 0xF5), 2);
	assert_int_equal(r[0], SR_SIM_MODE_DFU); /* a V2 powers up in DFU */
	assert_int_equal(cmd(f, r, 2, 0xF3, 0x07), 0);
	assert_int_equal(cmd(f, r, 1, 0xF5), 2);
	assert_int_equal(r[0], SR_SIM_MODE_MASS);
	/* a debug command outside debug mode */
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x36, 0, 0, 0, 0x20), 2);
	assert_int_equal(r[0], 0x08);
	enter_swd(f);
	assert_int_equal(f->b->line_resets, 1);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x21), 0); /* EXIT: no reply */
	assert_int_equal(sr_sim_stlink_mode(f->p), SR_SIM_MODE_MASS);
	/* the mode goes back into the state file */
	sr_sim_stlink_store(f->p);
	assert_string_equal(sr_sim_state_get(f->b->state, "probe", "mode"), "mass");
	fx_free(f);
}

static void test_start_mode_from_state(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nmode = debug");
	uint8_t r[2];
	cmd(f, r, 1, 0xF5);
	assert_int_equal(r[0], SR_SIM_MODE_DEBUG);
	fx_free(f);
}

static void test_enter_no_target(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t r[2];
	f->b->no_target = true;
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x30, 0xA3), 2);
	assert_int_equal(r[0], 0x09); /* JTAG_GET_IDCODE_ERROR */
	assert_int_equal(sr_sim_stlink_mode(f->p), SR_SIM_MODE_MASS);
	/* JTAG entry is not modelled */
	f->b->no_target = false;
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x30, 0xA4), 2);
	assert_int_equal(r[0], 0x09);
	fx_free(f);
}

static void test_idcodes_debugreg(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t r[16];
	enter_swd(f);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x31), 12);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(stl_le32(r + 4), FAKE_IDCODE);
	assert_int_equal(cmd(f, r, 10, 0xF2, 0x35, 0x10, 0, 0, 0x20, 0x78, 0x56, 0x34, 0x12), 2);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x36, 0x10, 0, 0, 0x20), 8);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(stl_le32(r + 4), 0x12345678);
	fx_free(f);
}

static void test_core_registers(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t r[88];
	enter_swd(f);
	/* WRITEREG r1 <- 0x1234 through DCRDR/DCRSR */
	assert_int_equal(cmd(f, r, 7, 0xF2, 0x34, 1, 0x34, 0x12, 0, 0), 2);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(f->b->core_regs[1], 0x1234);
	assert_int_equal(f->b->dcrsr, 0x10001);
	f->b->core_regs[16] = 0x01000000;
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x33, 16), 8);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(stl_le32(r + 4), 0x01000000);
	f->b->core_regs[18] = 0xCAFE;
	f->b->core_regs[20] = 0x3;
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x3A), 88);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(stl_le32(r + 4 + 4 * 1), 0x1234);
	assert_int_equal(stl_le32(r + 4 + 4 * 16), 0x01000000);
	assert_int_equal(stl_le32(r + 4 + 4 * 18), 0xCAFE);
	assert_int_equal(stl_le32(r + 4 + 4 * 19), 0x3);
	/* a core that never sets S_REGRDY */
	f->b->never_regrdy = true;
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x33, 2), 8);
	assert_int_equal(r[0], 0x81);
	fx_free(f);
}

static void test_gating(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nfirmware = V2J21M5");
	uint8_t r[16];
	enter_swd(f);
	assert_int_equal(cmd(f, r, 4, 0xF2, 0x43, 1, 0), 2); /* SWD_SET_FREQ needs J22 */
	assert_int_equal(r[0], 0x42);
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x47, 0, 0, 0, 0x20, 2, 0), 2); /* 16-bit: J26 */
	assert_int_equal(r[0], 0x42);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x3E), 12); /* J15 has GETLASTRWSTATUS2 */
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x51, 1, 0, 0, 0), 2); /* RW_MISC: J32 */
	assert_int_equal(r[0], 0x42);
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x62, 0), 2); /* V3 only */
	assert_int_equal(r[0], 0x42);
	fx_free(f);

	f = fx_new("pid = 0x374b\nfirmware = V2J14M4");
	enter_swd(f);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x3E), 2);
	assert_int_equal(r[0], 0x42);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x3B), 2);
	assert_int_equal(r[0], 0x80);
	fx_free(f);

	f = fx_new("pid = 0x3748\nfirmware = V2J12S4");
	cmd(f, NULL, 2, 0xF3, 0x07);
	assert_int_equal(cmd(f, r, 1, 0xF7), 0); /* target voltage needs J13 */
	fx_free(f);
}

static void test_swd_freq(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t r[2];
	assert_int_equal(cmd(f, r, 4, 0xF2, 0x43, 0, 0), 2);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(f->p->swd_khz, 4000);
	assert_int_equal(cmd(f, r, 4, 0xF2, 0x43, 0x1E, 0x03), 2); /* 798: 5 kHz */
	assert_int_equal(f->p->swd_khz, 5);
	assert_int_equal(cmd(f, r, 4, 0xF2, 0x43, 5, 0), 2);
	assert_int_equal(r[0], 0x41);
	fx_free(f);
}

static void test_v3_com_freq(void **s)
{
	struct fx *f = fx_new("pid = 0x374f\nfirmware = V3J7M3");
	uint8_t r[52];
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x62, 0), 52);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(r[8], 7);
	assert_int_equal(stl_le32(r + 12), 24000);
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x61, 0, 0, 0xA0, 0x0F, 0, 0), 8); /* 4000 kHz */
	assert_int_equal(r[0], 0x80);
	assert_int_equal(stl_le32(r + 4), 3300);
	assert_int_equal(f->p->swd_khz, 3300);
	assert_int_equal(cmd(f, r, 4, 0xF2, 0x43, 1, 0), 2); /* no V2 divisor command on V3 */
	assert_int_equal(r[0], 0x42);
	fx_free(f);
}

static void test_memory_32(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t r[16], data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, big[6148];
	bool is_cmd;
	size_t got;
	enter_swd(f);
	/* WRITEMEM_32BIT: block, then the data phase in two packets */
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x08, 0, 0, 0, 0x20, 8, 0), 0);
	assert_int_equal(sr_sim_stlink_out(f->p, data, 3, &is_cmd), SR_SIM_IO_OK);
	assert_false(is_cmd);
	assert_int_equal(sr_sim_stlink_out(f->p, data + 3, 5, &is_cmd), SR_SIM_IO_OK);
	assert_memory_equal(f->b->sram, data, 8);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x3E), 12);
	assert_int_equal(r[0], 0x80);
	/* READMEM_32BIT returns raw data */
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x07, 0, 0, 0, 0x20, 8, 0), 8);
	assert_memory_equal(r, data, 8);
	/* more than the 6144-byte buffer stalls the IN endpoint */
	cmd(f, NULL, 8, 0xF2, 0x07, 0, 0, 0, 0x20, 0x04, 0x18);
	assert_int_equal(sr_sim_stlink_in(f->p, big, sizeof(big), &got), SR_SIM_IO_STALL);
	sr_sim_stlink_clear_halt(f->p, true);
	assert_int_equal(cmd(f, NULL, 8, 0xF2, 0x07, 0, 0, 0, 0x20, 0x00, 0x18), 6144);
	/* unaligned: zeros and an alignment error */
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x07, 2, 0, 0, 0x20, 4, 0), 4);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x3B), 2);
	assert_int_equal(r[0], 0x0a);
	fx_free(f);
}

static void test_memory_8_16(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t r[600];
	size_t got;
	enter_swd(f);
	memcpy(f->b->sram, "ABCDEFGH", 8);
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x0C, 1, 0, 0, 0x20, 1, 0), 2); /* 1 byte -> 2 */
	assert_int_equal(r[0], 'B');
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x47, 2, 0, 0, 0x20, 4, 0), 4);
	assert_memory_equal(r, "CDEF", 4);
	cmd(f, NULL, 8, 0xF2, 0x0C, 0, 0, 0, 0x20, 65, 0); /* V2: 8-bit max 64 */
	assert_int_equal(sr_sim_stlink_in(f->p, r, sizeof(r), &got), SR_SIM_IO_STALL);
	fx_free(f);

	f = fx_new("pid = 0x374e\nfirmware = V3J7M3");
	enter_swd(f);
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x0C, 0, 0, 0, 0x20, 0, 2), 512); /* V3 J6+: 512 */
	fx_free(f);
}

static void test_fault_and_wait(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nwait_retries = 4");
	uint8_t r[64];
	enter_swd(f);
	f->b->fault_from = 0x20000010;
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x07, 0, 0, 0, 0x20, 32, 0), 32);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x3E), 12);
	assert_int_equal(r[0], 0x11); /* SWD_AP_FAULT */
	assert_int_equal(stl_le32(r + 4), 0x20000010);
	assert_int_equal(f->b->abort_writes, 1); /* sticky flags cleared */
	f->b->fault_from = 0;
	f->b->wait_burst = 3; /* short burst: retried inside the probe */
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x36, 0, 0, 0, 0x20), 8);
	assert_int_equal(r[0], 0x80);
	f->b->wait_burst = 100; /* longer than wait_retries: reported */
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x36, 0, 0, 0, 0x20), 8);
	assert_int_equal(r[0], 0x10); /* SWD_AP_WAIT */
	f->b->wait_burst = 100;
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x31), 12);
	assert_int_equal(r[0], 0x14); /* SWD_DP_WAIT */
	f->b->wait_burst = 0;
	f->b->no_target = true;
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x31), 12);
	assert_int_equal(r[0], 0x16); /* SWD_DP_ERROR */
	fx_free(f);
}

static void test_rw_misc(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nfirmware = V2J37M26");
	uint8_t r[64], batch[20] = {5, 1, 2, 3};
	bool is_cmd;
	enter_swd(f);
	stl_put32(batch + 4, 0);           /* APNUM 0 */
	stl_put32(batch + 8, 0x20000000);  /* ADDRESS */
	stl_put32(batch + 12, 0xDEADBEEF); /* WRITE */
	stl_put32(batch + 16, 0x20000000); /* READ */
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x51, 4, 0, 0, 0), 0);
	assert_int_equal(sr_sim_stlink_out(f->p, batch, sizeof(batch), &is_cmd), SR_SIM_IO_OK);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x52), 32);
	assert_int_equal(stl_le32(r + 12), 0xDEADBEEF);
	for (int i = 0; i < 4; i++)
		assert_int_equal(stl_le32(r + 16 + 4 * i), 0x80);
	fx_free(f);
}

static void test_dap_registers(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nfirmware = V2J37M26");
	uint8_t r[8];
	enter_swd(f);
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x45, 0xFF, 0xFF, 0, 0), 8);
	assert_int_equal(stl_le32(r + 4), FAKE_IDCODE);
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x45, 0, 0, 0xFC, 0), 8);
	assert_int_equal(stl_le32(r + 4), 0x24770011);
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x45, 1, 0, 0xFC, 0), 8);
	assert_int_equal(r[0], 0x1d); /* AP 1 not initialised */
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x4B, 1), 2);
	assert_int_equal(cmd(f, r, 6, 0xF2, 0x45, 1, 0, 0xFC, 0), 8);
	assert_int_equal(r[0], 0x80);
	assert_int_equal(stl_le32(r + 4), 0); /* absent APs read 0 */
	assert_int_equal(cmd(f, r, 10, 0xF2, 0x46, 0xFF, 0xFF, 8, 0, 0xF0, 0, 0, 0), 2);
	assert_int_equal(f->b->select, 0xF0);
	fx_free(f);

	f = fx_new("pid = 0x374b\nfirmware = V2J28M18");
	enter_swd(f);
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x4C, 0), 2);
	assert_int_not_equal(r[0], 0x80); /* J28's wrong CLOSE_AP_DBG status */
	fx_free(f);
}

static void test_reset_nrst_voltage_trace(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t r[8];
	assert_int_equal(cmd(f, r, 3, 0xF2, 0x3C, 2), 2); /* pulse, outside debug mode */
	assert_int_equal(r[0], 0x80);
	assert_int_equal(f->b->nrst_edges, 2);
	assert_false(f->b->nrst);
	assert_int_equal(cmd(f, r, 1, 0xF7), 8);
	uint32_t mv = 2400 * stl_le32(r + 4) / stl_le32(r);
	assert_in_range(mv, 3290, 3310);
	enter_swd(f);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x32), 2);
	assert_int_equal(f->b->aircr_writes, 1);
	assert_int_equal(cmd(f, r, 8, 0xF2, 0x40, 0, 0x10, 0x80, 0x84, 0x1E, 0), 2);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x42), 2);
	assert_int_equal(cmd(f, r, 2, 0xF2, 0x41), 2);
	fx_free(f);
}

static void test_v3_exit_wedge(void **s)
{
	struct fx *f = fx_new("pid = 0x374e");
	uint8_t r[8];
	cmd(f, r, 2, 0xF2, 0x21); /* EXIT outside debug mode */
	assert_int_equal(cmd(f, r, 1, 0xF1), 0);
	sr_sim_stlink_store(f->p);
	assert_string_equal(sr_sim_state_get(f->b->state, "probe", "wedged"), "yes");
	fx_free(f);
}

static void test_packets_and_time(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nstale_reply = 4");
	uint8_t c[16] = {0xF1}, buf[64];
	size_t got;
	bool is_cmd;
	assert_int_equal(sr_sim_stlink_pending(f->p), 4); /* stale bytes from an earlier run */
	sr_sim_stlink_out(f->p, c, 16, &is_cmd);
	/* asking for 3 bytes of a 10-byte queue: the 64-byte packet cannot fit */
	assert_int_equal(sr_sim_stlink_in(f->p, buf, 3, &got), SR_SIM_IO_OVERFLOW);
	assert_int_equal(sr_sim_stlink_in(f->p, buf, 64, &got), SR_SIM_IO_EMPTY);
	enter_swd(f);
	uint64_t t0 = f->b->now_ns;
	cmd(f, NULL, 8, 0xF2, 0x07, 0, 0, 0, 0x20, 0, 0x10); /* 4 KiB at 1.8 MHz */
	/* 1024 accesses x 48 clocks / 1.8 MHz = 27.3 ms of wire time */
	assert_in_range(f->b->now_ns - t0, 27000000, 28000000);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_v21),
		cmocka_unit_test(test_version_v2_swim),
		cmocka_unit_test(test_version_v3),
		cmocka_unit_test(test_persona_errors),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_start_mode_from_state),
		cmocka_unit_test(test_enter_no_target),
		cmocka_unit_test(test_idcodes_debugreg),
		cmocka_unit_test(test_core_registers),
		cmocka_unit_test(test_gating),
		cmocka_unit_test(test_swd_freq),
		cmocka_unit_test(test_v3_com_freq),
		cmocka_unit_test(test_memory_32),
		cmocka_unit_test(test_memory_8_16),
		cmocka_unit_test(test_fault_and_wait),
		cmocka_unit_test(test_rw_misc),
		cmocka_unit_test(test_dap_registers),
		cmocka_unit_test(test_reset_nrst_voltage_trace),
		cmocka_unit_test(test_v3_exit_wedge),
		cmocka_unit_test(test_packets_and_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
