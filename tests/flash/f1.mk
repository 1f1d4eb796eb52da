# stm32f1 driver tests: cmocka against the virtual STM32F103, and the flash commands on it
# with st-flash and openocd as cross-checks.
check_PROGRAMS += tests/flash/test-flash-f1
TESTS += tests/flash/test-flash-f1
tests_flash_test_flash_f1_CFLAGS = $(TEST_CFLAGS)
tests_flash_test_flash_f1_LDADD = $(FLASH_TEST_LIBS)
TESTS += tests/flash/test-cmd-f1.sh
EXTRA_DIST += tests/flash/test-cmd-f1.sh
