/*
 * Unit tests of the libusb-1.0 drop-in, called as clients call it: contexts, device
 * lists, descriptors, strings, synchronous and asynchronous transfers (in openocd's
 * order), cancellation, timeouts and saving. The board is the test double.
 */
#include "config.h"

#include <libusb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim/fake-board.h"

struct fx {
	char path[64];
	libusb_context *ctx;
	libusb_device_handle *h;
};

static struct fx *fx_new(const char *probe)
{
	struct fx *f = calloc(1, sizeof(*f));
	char ini[256];
	snprintf(ini, sizeof(ini), "[probe]\n%s\n", probe);
	fake_state_file(ini, f->path);
	setenv("STMRESCUE_SIM", f->path, 1);
	assert_int_equal(libusb_init(&f->ctx), 0);
	libusb_device **list;
	assert_int_equal(libusb_get_device_list(f->ctx, &list), 1);
	assert_null(list[1]); /* NULL-terminated */
	assert_int_equal(libusb_open(list[0], &f->h), 0);
	libusb_free_device_list(list, 1);
	assert_int_equal(libusb_claim_interface(f->h, 0), 0);
	return f;
}

static void fx_free(struct fx *f)
{
	libusb_close(f->h);
	libusb_exit(f->ctx);
	unlink(f->path);
	free(f);
}

static void test_enumerate_and_strings(void **s)
{
	struct fx *f = fx_new("pid = 0x374b\nserial = 0123456789ABCDEF01234567");
	struct libusb_device_descriptor d;
	unsigned char buf[64];
	libusb_device *dev = libusb_get_device(f->h);
	assert_int_equal(libusb_get_device_descriptor(dev, &d), 0);
	assert_int_equal(d.idVendor, 0x0483);
	assert_int_equal(d.idProduct, 0x374b);
	assert_int_equal(libusb_get_string_descriptor_ascii(f->h, d.iSerialNumber, buf, 25), 24);
	assert_string_equal((char *)buf, "0123456789ABCDEF01234567");
	assert_int_equal(libusb_get_string_descriptor_ascii(f->h, d.iProduct, buf, sizeof(buf)), 12);
	assert_int_equal(libusb_get_device_speed(dev), LIBUSB_SPEED_FULL);
	struct libusb_config_descriptor *c;
	assert_int_equal(libusb_get_config_descriptor(dev, 0, &c), 0);
	assert_int_equal(c->bConfigurationValue, 1);
	assert_int_equal(c->interface[0].altsetting[0].bNumEndpoints, 3);
	assert_int_equal(c->interface[0].altsetting[0].endpoint[1].bEndpointAddress, 0x01);
	assert_int_equal(c->interface[0].altsetting[0].endpoint[0].wMaxPacketSize, 64);
	libusb_free_config_descriptor(c);
	int cfg;
	assert_int_equal(libusb_get_configuration(f->h, &cfg), 0);
	assert_int_equal(cfg, 1);
	assert_int_equal(libusb_kernel_driver_active(f->h, 0), 0);
	assert_int_equal(libusb_claim_interface(f->h, 1), LIBUSB_ERROR_NOT_FOUND);
	assert_string_equal(libusb_error_name(LIBUSB_ERROR_TIMEOUT), "LIBUSB_ERROR_TIMEOUT");
	fx_free(f);
}

static void test_default_context_alongside(void **s)
{
	/* st-info: the default context and a private one, default exited first */
	struct fx *f = fx_new("pid = 0x374b");
	libusb_device **list;
	assert_int_equal(libusb_init(NULL), 0);
	assert_int_equal(libusb_get_device_list(NULL, &list), 1);
	libusb_free_device_list(list, 1);
	libusb_exit(NULL);
	unsigned char cmd[16] = {0xF1}, rep[64];
	int n;
	assert_int_equal(libusb_bulk_transfer(f->h, 0x01, cmd, 16, &n, 1000), 0);
	assert_int_equal(libusb_bulk_transfer(f->h, 0x81, rep, 64, &n, 1000), 0);
	assert_int_equal(n, 6);
	fx_free(f);
}

static int order[8], norder;
static void LIBUSB_CALL cb(struct libusb_transfer *t) { order[norder++] = *(int *)t->user_data; }

static void test_async_openocd_order(void **s)
{
	struct fx *f = fx_new("pid = 0x374b");
	unsigned char cmd[16] = {0xF1}, rep[6];
	int id[2] = {1, 2};
	struct libusb_transfer *t[2] = {libusb_alloc_transfer(0), libusb_alloc_transfer(0)};
	libusb_fill_bulk_transfer(t[0], f->h, 0x01, cmd, 16, cb, &id[0], 1000);
	libusb_fill_bulk_transfer(t[1], f->h, 0x81, rep, 6, cb, &id[1], 1000);
	norder = 0;
	/* the reply IN submitted before its command OUT: it waits for the data */
	assert_int_equal(libusb_submit_transfer(t[1]), 0);
	assert_int_equal(libusb_submit_transfer(t[0]), 0);
	assert_int_equal(norder, 0); /* callbacks only from event handling */
	int done = 0;
	libusb_handle_events_completed(f->ctx, &done);
	assert_int_equal(norder, 2);
	assert_int_equal(order[0], 1); /* the OUT finished first, then the IN it fed */
	assert_int_equal(order[1], 2);
	assert_int_equal(t[0]->status, LIBUSB_TRANSFER_COMPLETED);
	assert_int_equal(t[1]->status, LIBUSB_TRANSFER_COMPLETED);
	assert_int_equal(t[1]->actual_length, 6);
	assert_int_equal(rep[0], 0x29);
	/* an IN with nothing to come times out; a cancelled one reports CANCELLED */
	libusb_fill_bulk_transfer(t[1], f->h, 0x81, rep, 6, cb, &id[1], 10);
	assert_int_equal(libusb_submit_transfer(t[1]), 0);
	libusb_handle_events(f->ctx);
	assert_int_equal(t[1]->status, LIBUSB_TRANSFER_TIMED_OUT);
	assert_int_equal(libusb_submit_transfer(t[1]), 0);
	assert_int_equal(libusb_cancel_transfer(t[1]), 0);
	assert_int_equal(libusb_cancel_transfer(t[1]), LIBUSB_ERROR_NOT_FOUND);
	libusb_handle_events(f->ctx);
	assert_int_equal(t[1]->status, LIBUSB_TRANSFER_CANCELLED);
	libusb_free_transfer(t[0]);
	libusb_free_transfer(t[1]);
	fx_free(f);
}

static void test_sync_timeout_and_save(void **s)
{
	struct fx *f = fx_new("pid = 0x374e");
	unsigned char buf[512], dfu_exit[16] = {0xF3, 0x07}, enter[16] = {0xF2, 0x30, 0xA3};
	int n;
	/* pyOCD's flush: read until timeout */
	assert_int_equal(libusb_bulk_transfer(f->h, 0x81, buf, 512, &n, 1), LIBUSB_ERROR_TIMEOUT);
	assert_int_equal(libusb_bulk_transfer(f->h, 0x01, dfu_exit, 16, &n, 1000), 0);
	assert_int_equal(libusb_bulk_transfer(f->h, 0x01, enter, 16, &n, 1000), 0);
	assert_int_equal(libusb_bulk_transfer(f->h, 0x81, buf, 512, &n, 1000), 0);
	assert_int_equal(n, 2);
	assert_int_equal(libusb_get_device_speed(libusb_get_device(f->h)), LIBUSB_SPEED_HIGH);
	libusb_close(f->h);
	/* closing saved the probe's mode into the state file */
	FILE *st = fopen(f->path, "r");
	char text[512] = "";
	assert_non_null(st);
	fread(text, 1, sizeof(text) - 1, st);
	fclose(st);
	assert_non_null(strstr(text, "mode = debug"));
	libusb_exit(f->ctx);
	unlink(f->path);
	free(f);
}

static void test_no_state_no_device(void **s)
{
	libusb_context *ctx;
	libusb_device **list;
	unsetenv("STMRESCUE_SIM");
	assert_int_equal(libusb_init(&ctx), 0);
	assert_int_equal(libusb_get_device_list(ctx, &list), 0);
	assert_null(list[0]);
	libusb_free_device_list(list, 1);
	libusb_exit(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enumerate_and_strings),
		cmocka_unit_test(test_default_context_alongside),
		cmocka_unit_test(test_async_openocd_order),
		cmocka_unit_test(test_sync_timeout_and_save),
		cmocka_unit_test(test_no_state_no_device),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
