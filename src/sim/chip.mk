# sim, chip side: the virtual STM32 behind src/sim/board.h (see src/sim/STATE.md)
libstmrescue_la_SOURCES += \
	src/sim/board.h src/sim/state.h src/sim/sim-internal.h \
	src/sim/chipdef.c src/sim/chipdef.h \
	src/sim/chipdef-ext.c src/sim/chipdef-ext.h src/sim/ram.c src/sim/wwdg.c \
	src/sim/state.c src/sim/board.c src/sim/power.c \
	src/sim/bus.c src/sim/periph.c src/sim/core.c src/sim/core-spin.c src/sim/scs.c \
	src/sim/dap.c \
	src/sim/flash-f2.c src/sim/scenario.c src/sim/scenario.h
EXTRA_DIST += src/sim/STATE.md

SIM_CHIP_TESTS = tests/sim/test-sim-f4flash tests/sim/test-sim-core tests/sim/test-sim-state
SIM_CHIP_TESTS += tests/sim/test-sim-f7flash
check_PROGRAMS += $(SIM_CHIP_TESTS)
TESTS += $(SIM_CHIP_TESTS)

tests_sim_test_sim_f4flash_SOURCES = tests/sim/test-sim-f4flash.c tests/sim/sim-test.h \
	tests/sim/sim-test-chip.h
tests_sim_test_sim_f4flash_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_f4flash_LDADD = $(TEST_LIBS)
tests_sim_test_sim_core_SOURCES = tests/sim/test-sim-core.c tests/sim/sim-test.h
tests_sim_test_sim_core_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_core_LDADD = $(TEST_LIBS)
tests_sim_test_sim_state_SOURCES = tests/sim/test-sim-state.c tests/sim/sim-test.h
tests_sim_test_sim_state_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_state_LDADD = $(TEST_LIBS)
tests_sim_test_sim_f7flash_SOURCES = tests/sim/test-sim-f7flash.c tests/sim/sim-test.h \
	tests/sim/sim-test-chip.h
tests_sim_test_sim_f7flash_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_f7flash_LDADD = $(TEST_LIBS)
SIM_CHIP_TESTS += tests/sim/test-sim-f1flash
tests_sim_test_sim_f1flash_SOURCES = tests/sim/test-sim-f1flash.c tests/sim/sim-test.h \
	tests/sim/sim-test-chip.h
tests_sim_test_sim_f1flash_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_f1flash_LDADD = $(TEST_LIBS)

# F7 option bytes and the F1 controller (their own lines, for merging)
libstmrescue_la_SOURCES += src/sim/flash-f2.h src/sim/flash-f2-ob.c \
	src/sim/flash-f1.c src/sim/flash-f1.h src/sim/flash-f1-ob.c

# STM32H753: the H7 flash controller and the H7 debug APB (src/sim/STATE.md)
libstmrescue_la_SOURCES += src/sim/apbd.c \
	src/sim/flash-h7.h src/sim/flash-h7.c src/sim/flash-h7-ob.c \
	src/sim/flash-h7-crc.c src/sim/flash-h7-state.c

SIM_H7_TESTS = tests/sim/test-sim-h7flash tests/sim/test-sim-h7chip
check_PROGRAMS += $(SIM_H7_TESTS)
TESTS += $(SIM_H7_TESTS)
tests_sim_test_sim_h7flash_SOURCES = tests/sim/test-sim-h7flash.c tests/sim/sim-test.h \
	tests/sim/sim-test-h7.h
tests_sim_test_sim_h7flash_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_h7flash_LDADD = $(TEST_LIBS)
tests_sim_test_sim_h7chip_SOURCES = tests/sim/test-sim-h7chip.c tests/sim/sim-test.h \
	tests/sim/sim-test-h7.h
tests_sim_test_sim_h7chip_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_h7chip_LDADD = $(TEST_LIBS)

# The L4-generation flash controller (STM32L476, G431, G474) and its test (own lines, for merging)
libstmrescue_la_SOURCES += src/sim/chipdef-layout.c \
	src/sim/flash-l4.c src/sim/flash-l4.h src/sim/flash-l4-ob.c
SIM_CHIP_TESTS += tests/sim/test-sim-l4flash
tests_sim_test_sim_l4flash_SOURCES = tests/sim/test-sim-l4flash.c tests/sim/sim-test.h \
	tests/sim/sim-test-chip.h
tests_sim_test_sim_l4flash_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_l4flash_LDADD = $(TEST_LIBS)
SIM_CHIP_TESTS += tests/sim/test-sim-l4wwdg
tests_sim_test_sim_l4wwdg_SOURCES = tests/sim/test-sim-l4wwdg.c tests/sim/sim-test.h \
	tests/sim/sim-test-chip.h
tests_sim_test_sim_l4wwdg_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_l4wwdg_LDADD = $(TEST_LIBS)

# Virtual chips made from the database's parts (families/ [part]); own lines, for merging
SIM_CHIP_TESTS += tests/sim/test-sim-partdata
tests_sim_test_sim_partdata_SOURCES = tests/sim/test-sim-partdata.c tests/sim/sim-test.h
tests_sim_test_sim_partdata_CFLAGS = $(TEST_CFLAGS) -I$(top_srcdir)/tests/unit
tests_sim_test_sim_partdata_LDADD = $(UNIT_LIBS)
