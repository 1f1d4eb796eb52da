/* Unit tests of the virtual ST-Link's USB face: descriptors, control requests, endpoints, timing. */
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
#include "sim/usbdev.h"

struct fx {
	char path[64];
	struct sr_sim_usbdev *d;
	struct sr_sim_board *b;
};

static struct fx *fx_new(const char *probe)
{
	struct fx *f = calloc(1, sizeof(*f));
	char ini[256];
	snprintf(ini, sizeof(ini), "[probe]\n%s\n", probe);
	fake_state_file(ini, f->path);
	assert_int_equal(sr_sim_usbdev_open(f->path, &f->d), SR_OK);
	f->b = sr_sim_usbdev_board(f->d);
	return f;
}

static void fx_free(struct fx *f)
{
	sr_sim_usbdev_close(f->d);
	unlink(f->path);
	free(f);
}

static void test_device_descriptor(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t d[18];
	const uint8_t want[18] = {18, 1, 0, 2, 0, 0, 0, 64, 0x83, 0x04, 0x4B, 0x37, 0, 1, 1, 2, 3, 1};
	sr_sim_usbdev_device_desc(f->d, d);
	assert_memory_equal(d, want, 18);
	/* through a control transfer, cut to wLength */
	size_t got;
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x80, 6, 0x0100, 0, d, 8, &got), SR_SIM_USB_OK);
	assert_int_equal(got, 8);
	fx_free(f);
}

static void check_config(const char *probe, uint8_t in, uint8_t out, uint8_t trace,
			 uint16_t mps)
{
	struct fx *f = fx_new(probe);
	uint8_t c[64];
	assert_int_equal(sr_sim_usbdev_config_desc(f->d, c, sizeof(c)), 39);
	assert_int_equal(c[0], 9);
	assert_int_equal(c[1], 2);
	assert_int_equal(c[2] | c[3] << 8, 39);
	assert_int_equal(c[4], 1); /* one interface */
	assert_int_equal(c[5], 1); /* bConfigurationValue */
	assert_int_equal(c[9 + 4], 3); /* three endpoints */
	assert_int_equal(c[9 + 5], 0xFF);
	const uint8_t eps[3] = {in, out, trace};
	for (int i = 0; i < 3; i++) {
		const uint8_t *e = c + 18 + 7 * i;
		assert_int_equal(e[0], 7);
		assert_int_equal(e[1], 5);
		assert_int_equal(e[2], eps[i]);
		assert_int_equal(e[3], 2); /* bulk */
		assert_int_equal(e[4] | e[5] << 8, mps);
	}
	assert_int_equal(sr_sim_usbdev_ep_out(f->d), out);
	fx_free(f);
}

static void test_config_descriptors(void **s)
{
	check_config("pid = 0x3748", 0x81, 0x02, 0x83, 64);
	check_config("pid = 0x374b", 0x81, 0x01, 0x82, 64);
	check_config("pid = 0x3752", 0x81, 0x01, 0x82, 64);
	check_config("pid = 0x374e", 0x81, 0x01, 0x82, 512);
	check_config("pid = 0x3754", 0x81, 0x01, 0x82, 512);
}

static void test_strings(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nserial = 0123456789ABCDEF01234567");
	uint8_t b[255];
	size_t got;
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x80, 6, 0x0300, 0, b, 48, &got), SR_SIM_USB_OK);
	assert_int_equal(got, 4);
	assert_int_equal(b[2] | b[3] << 8, 0x0409);
	/* the serial: bLength 50 even when wLength 48 cuts it (stlink 1.7.0 checks this) */
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x80, 6, 0x0303, 0x0409, b, 48, &got),
			 SR_SIM_USB_OK);
	assert_int_equal(got, 48);
	assert_int_equal(b[0], 50);
	assert_int_equal(b[1], 3);
	assert_int_equal(b[2], '0');
	assert_int_equal(b[3], 0);
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x80, 6, 0x0302, 0x0409, b, 255, &got),
			 SR_SIM_USB_OK);
	assert_int_equal(got, 2 + 2 * strlen("STM32 STLink"));
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x80, 6, 0x0309, 0x0409, b, 255, &got),
			 SR_SIM_USB_STALL);
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x80, 6, 0x0600, 0, b, 10, &got),
			 SR_SIM_USB_STALL); /* no device qualifier */
	fx_free(f);
}

static void test_standard_requests(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t b[2];
	size_t got;
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x80, 8, 0, 0, b, 1, &got), SR_SIM_USB_OK);
	assert_int_equal(b[0], 1);
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x00, 9, 2, 0, NULL, 0, &got),
			 SR_SIM_USB_STALL);
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x00, 9, 1, 0, NULL, 0, &got), SR_SIM_USB_OK);
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x40, 0x55, 0, 0, NULL, 0, &got),
			 SR_SIM_USB_STALL);
	fx_free(f);
}

static void test_bulk_and_timing(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nhost_time = no");
	uint8_t cmd[16] = {0xF1}, b[64];
	size_t got;
	struct sr_sim_usb_stats st;
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x81, b, 64, &got), SR_SIM_USB_TIMEOUT);
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x01, cmd, 16, &got), SR_SIM_USB_OK);
	assert_int_equal(got, 16);
	/* a 64-byte read of a 6-byte reply is a short packet */
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x81, b, 64, &got), SR_SIM_USB_OK);
	assert_int_equal(got, 6);
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x82, b, 64, &got), SR_SIM_USB_TIMEOUT);
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x05, b, 64, &got), SR_SIM_USB_INVALID);
	sr_sim_usbdev_stats(f->d, &st);
	assert_int_equal(st.transactions, 1);
	assert_int_equal(st.bulk_transfers, 2);
	/* full speed: 1 ms round trip + 22 bytes at 822 ns */
	assert_in_range(st.now_ns, 1018000, 1019000);
	assert_int_equal(st.now_ns, st.link_ns);
	sr_sim_usbdev_host_gap(f->d, 5000000);
	sr_sim_usbdev_stats(f->d, &st);
	assert_int_equal(st.host_ns, 0); /* host_time = no */
	fx_free(f);

	f = fx_new("pid = 0x374e");
	sr_sim_usbdev_bulk(f->d, 0x01, cmd, 16, &got);
	sr_sim_usbdev_host_gap(f->d, 5000000);
	sr_sim_usbdev_stats(f->d, &st);
	assert_in_range(st.link_ns, 250000, 251000); /* high speed: 2 microframes */
	assert_int_equal(st.host_ns, 5000000);
	fx_free(f);
}

static void test_disconnect_and_save(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\ndisconnect_after = 2");
	uint8_t cmd[16] = {0xF5}, b[64];
	size_t got;
	assert_int_equal(sr_sim_usbdev_save(f->d), SR_OK);
	assert_int_equal(f->b->saves, 0); /* nothing reached the probe: no write */
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x01, cmd, 16, &got), SR_SIM_USB_OK);
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x81, b, 64, &got), SR_SIM_USB_OK);
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x01, cmd, 16, &got), SR_SIM_USB_OK);
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x81, b, 64, &got), SR_SIM_USB_NO_DEVICE);
	assert_false(sr_sim_usbdev_present(f->d));
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x80, 8, 0, 0, b, 1, &got),
			 SR_SIM_USB_NO_DEVICE);
	assert_int_equal(sr_sim_usbdev_save(f->d), SR_OK);
	assert_int_equal(f->b->saves, 1);
	assert_string_equal(sr_sim_state_get(f->b->state, "probe", "mode"), "mass");
	fx_free(f);
}

static void test_stall_and_clear(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	uint8_t exit_dfu[16] = {0xF3, 0x07}, enter[16] = {0xF2, 0x30, 0xA3};
	uint8_t rd[16] = {0xF2, 0x07, 0, 0, 0, 0x20, 0x04, 0x18}, b[8192];
	size_t got;
	sr_sim_usbdev_bulk(f->d, 0x01, exit_dfu, 16, &got);
	sr_sim_usbdev_bulk(f->d, 0x01, enter, 16, &got);
	sr_sim_usbdev_bulk(f->d, 0x81, b, 64, &got);
	sr_sim_usbdev_bulk(f->d, 0x01, rd, 16, &got);
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x81, b, sizeof(b), &got), SR_SIM_USB_STALL);
	assert_int_equal(sr_sim_usbdev_control(f->d, 0x02, 1, 0, 0x81, NULL, 0, &got),
			 SR_SIM_USB_OK); /* CLEAR_FEATURE(ENDPOINT_HALT) */
	assert_int_equal(sr_sim_usbdev_bulk(f->d, 0x81, b, 64, &got), SR_SIM_USB_TIMEOUT);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_descriptor), cmocka_unit_test(test_config_descriptors),
		cmocka_unit_test(test_strings),		  cmocka_unit_test(test_standard_requests),
		cmocka_unit_test(test_bulk_and_timing),	  cmocka_unit_test(test_disconnect_and_save),
		cmocka_unit_test(test_stall_and_clear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
