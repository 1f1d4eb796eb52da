# Option bytes of the F2/F4/F7 generation (src/flash/stm32f2-ob.c) and the option-byte
# commands (ob show/set/restore-defaults, rdp), with openocd's reading as a cross-check.
check_PROGRAMS += tests/flash/test-ob-f2
TESTS += tests/flash/test-ob-f2 tests/flash/test-cmd-ob.sh
tests_flash_test_ob_f2_CFLAGS = $(TEST_CFLAGS)
tests_flash_test_ob_f2_LDADD = $(FLASH_TEST_LIBS)
EXTRA_DIST += tests/flash/test-cmd-ob.sh
