# Flash engine and drivers against the virtual lab (cmocka, in-process sim transport),
# and the flash commands (shell). One file per driver's tests; flashtest.c is the fixture.
noinst_LTLIBRARIES += tests/flash/libflashtest.la
tests_flash_libflashtest_la_SOURCES = tests/flash/flashtest.c tests/flash/flashtest.h
tests_flash_libflashtest_la_CFLAGS = $(TEST_CFLAGS)
FLASH_TEST_LIBS = tests/flash/libflashtest.la $(UNIT_LIBS)

check_PROGRAMS += tests/flash/test-flash-f2
TESTS += tests/flash/test-flash-f2
tests_flash_test_flash_f2_CFLAGS = $(TEST_CFLAGS)
tests_flash_test_flash_f2_LDADD = $(FLASH_TEST_LIBS)

# stm32f1 driver tests (tests/flash/f1.mk)
include tests/flash/f1.mk

# stm32l4 driver tests (tests/flash/l4.mk)
include tests/flash/l4.mk

# stm32h7 driver tests (tests/flash/h7.mk)
include tests/flash/h7.mk

# option-byte commands (tests/flash/ob.mk)
include tests/flash/ob.mk

# flash commands (tests/flash/cmd.mk)
include tests/flash/cmd.mk

# power loss during option-byte programming, through the commands (tests/flash/powerloss.mk)
include tests/flash/powerloss.mk
