# stm32h7 driver: cmocka against the virtual STM32H753, and the flash commands on it
# cross-checked with st-flash and openocd through the drop-in.
check_PROGRAMS += tests/flash/test-flash-h7
TESTS += tests/flash/test-flash-h7
tests_flash_test_flash_h7_CFLAGS = $(TEST_CFLAGS)
tests_flash_test_flash_h7_LDADD = $(FLASH_TEST_LIBS)
TESTS += tests/flash/test-cmd-h7.sh
EXTRA_DIST += tests/flash/test-cmd-h7.sh
