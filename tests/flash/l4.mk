# stm32l4 driver (src/flash/stm32l4.c) against the virtual STM32L476, G431 and G474,
# and the flash commands on an L476 board cross-checked with st-flash.
check_PROGRAMS += tests/flash/test-flash-l4
TESTS += tests/flash/test-flash-l4 tests/flash/test-cmd-l4.sh
EXTRA_DIST += tests/flash/test-cmd-l4.sh
tests_flash_test_flash_l4_CFLAGS = $(TEST_CFLAGS)
tests_flash_test_flash_l4_LDADD = $(FLASH_TEST_LIBS)
