# Unit tests (cmocka) and command-line tests. Each test links the same library as the program.
noinst_LTLIBRARIES += tests/unit/libtestutil.la
tests_unit_libtestutil_la_SOURCES = tests/unit/testutil.c tests/unit/testutil.h
tests_unit_libtestutil_la_CFLAGS = $(TEST_CFLAGS) -DSR_TOP_SRCDIR_DEFAULT='"$(abs_top_srcdir)"'
UNIT_LIBS = tests/unit/libtestutil.la $(TEST_LIBS)

check_PROGRAMS += tests/unit/test-db tests/unit/test-ob tests/unit/test-util
TESTS += tests/unit/test-db tests/unit/test-ob tests/unit/test-util
tests_unit_test_db_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_db_LDADD = $(UNIT_LIBS)
tests_unit_test_ob_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ob_LDADD = $(UNIT_LIBS)
tests_unit_test_util_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_util_LDADD = $(UNIT_LIBS)

TESTS += tests/cli/test-chips.sh tests/cli/test-ob-decode.sh tests/cli/test-usage.sh \
	tests/cli/test-sim.sh tests/cli/test-info.sh tests/cli/test-read.sh
EXTRA_DIST += tests/cli/lib.sh tests/cli/test-chips.sh tests/cli/test-ob-decode.sh \
	tests/cli/test-usage.sh tests/cli/test-sim.sh tests/cli/test-info.sh tests/cli/test-read.sh

# The probe driver and target layer against the virtual lab (in-process sim transport).
check_PROGRAMS += tests/probe/test-stlink-driver
TESTS += tests/probe/test-stlink-driver
tests_probe_test_stlink_driver_CFLAGS = $(TEST_CFLAGS)
tests_probe_test_stlink_driver_LDADD = $(UNIT_LIBS)

# image module: readers, pre-flight and plan; fixtures made by tests/data/image/mk.sh
IMAGE_TESTS = tests/unit/test-image tests/unit/test-image-elf tests/unit/test-preflight \
	tests/unit/test-plan
check_PROGRAMS += $(IMAGE_TESTS)
TESTS += $(IMAGE_TESTS)
tests_unit_test_image_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_LDADD = $(UNIT_LIBS)
tests_unit_test_image_elf_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_image_elf_LDADD = $(UNIT_LIBS)
tests_unit_test_preflight_SOURCES = tests/unit/test-preflight.c tests/unit/imgtest.c \
	tests/unit/imgtest.h
tests_unit_test_preflight_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_preflight_LDADD = $(UNIT_LIBS)
tests_unit_test_plan_SOURCES = tests/unit/test-plan.c tests/unit/imgtest.c tests/unit/imgtest.h
tests_unit_test_plan_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_plan_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/data/image
include tests/flash/local.mk

# The virtual chips follow the database's parts (own lines, for merging)
TESTS += tests/cli/test-sim-parts.sh
EXTRA_DIST += tests/cli/test-sim-parts.sh
