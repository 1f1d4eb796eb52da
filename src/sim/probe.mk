# sim: the probe side of the virtual lab (virtual ST-Link, USB device, libusb drop-in).
libstmrescue_la_SOURCES += \
	src/sim/stlink.c src/sim/stlink.h src/sim/stlink-internal.h \
	src/sim/stlink-cmd.c src/sim/stlink-mem.c \
	src/sim/usbdev.c src/sim/usbdev.h

# The libusb-1.0 drop-in: SONAME libusb-1.0.so.0, installed in $(pkglibdir) so that
# `stmrescue sim run` can put that directory on LD_LIBRARY_PATH. In the build tree it
# is src/sim/.libs/libusb-1.0.so.0: it must not sit in the top .libs, where the linker,
# looking for the real libusb of the program and the tests, would find it. It carries the whole convenience library (libtool links
# convenience libraries in whole) but exports only the libusb_* functions, and it
# must not link the real libusb.
pkglib_LTLIBRARIES = src/sim/libusb-1.0.la
src_sim_libusb_1_0_la_SOURCES = src/sim/libusb-shim.c src/sim/libusb-shim-xfer.c src/sim/libusb-shim.h
src_sim_libusb_1_0_la_CFLAGS = $(AM_CFLAGS) -pthread
src_sim_libusb_1_0_la_LDFLAGS = -version-info 0:0:0 -shared -export-symbols-regex '^libusb_' -pthread
src_sim_libusb_1_0_la_LIBADD = libstmrescue.la $(NCURSES_LIBS) $(INIH_LIBS) $(JANSSON_LIBS) \
	$(UNICORN_LIBS) -lm

# Unit tests of the probe model run against a test double of the board (fake-board.c),
# never against the chip model, so that they pin the probe's own behaviour.
SR_SIM_FAKE = tests/sim/fake-board.c tests/sim/fake-board.h
SR_SIM_TEST_LIBS = libstmrescue.la $(CMOCKA_LIBS) $(NCURSES_LIBS) $(INIH_LIBS) \
	$(JANSSON_LIBS) $(UNICORN_LIBS) -lm

check_PROGRAMS += tests/sim/test-stlink-cmd tests/sim/test-stlink-usb tests/sim/test-stlink-shim
TESTS += tests/sim/test-stlink-cmd tests/sim/test-stlink-usb tests/sim/test-stlink-shim
tests_sim_test_stlink_cmd_SOURCES = tests/sim/test-stlink-cmd.c $(SR_SIM_FAKE)
tests_sim_test_stlink_cmd_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/tests
tests_sim_test_stlink_cmd_LDADD = $(SR_SIM_TEST_LIBS)
tests_sim_test_stlink_usb_SOURCES = tests/sim/test-stlink-usb.c $(SR_SIM_FAKE)
tests_sim_test_stlink_usb_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/tests
tests_sim_test_stlink_usb_LDADD = $(SR_SIM_TEST_LIBS)
# The shim's own sources are compiled into this test, so it exercises the libusb
# entry points without loading a second libusb.
tests_sim_test_stlink_shim_SOURCES = tests/sim/test-stlink-shim.c $(SR_SIM_FAKE) \
	src/sim/libusb-shim.c src/sim/libusb-shim-xfer.c src/sim/libusb-shim.h
tests_sim_test_stlink_shim_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/tests -pthread
tests_sim_test_stlink_shim_LDADD = $(SR_SIM_TEST_LIBS) -lpthread

# Conformance: real clients (stlink-tools, openocd) through the drop-in, against the
# real board model. They fail, loudly, when a client is not installed. mkboard writes
# their factory-fresh boards.
check_PROGRAMS += tests/sim/mkboard
tests_sim_mkboard_SOURCES = tests/sim/mkboard.c
tests_sim_mkboard_LDADD = $(SR_LIBS)
SR_SIM_CONFORMANCE = tests/sim/conformance-stinfo.sh tests/sim/conformance-stflash.sh \
	tests/sim/conformance-openocd.sh
# The matrix over the V2 and V3 personas, in scripts of their own so that they run in
# parallel with the V2-1 ones.
SR_SIM_CONFORMANCE += tests/sim/conformance-stflash-personas.sh \
	tests/sim/conformance-openocd-personas.sh
TESTS += $(SR_SIM_CONFORMANCE)
EXTRA_DIST += $(SR_SIM_CONFORMANCE) tests/sim/conformance-lib.sh src/sim/PROBE.md
EXTRA_DIST += tests/sim/conformance-matrix.sh
