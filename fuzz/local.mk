# Fuzz targets. The standalone runner replays the corpus in every build (make check);
# with --enable-fuzzing (CC=clang) the libFuzzer binaries are built too.
check_PROGRAMS += fuzz/datafile-check
fuzz_datafile_check_SOURCES = fuzz/datafile-fuzzer.c fuzz/standalone.c
fuzz_datafile_check_LDADD = $(SR_LIBS)
TESTS += fuzz/run-corpus.sh
EXTRA_DIST += fuzz/run-corpus.sh fuzz/corpus

if FUZZING
noinst_PROGRAMS = fuzz/datafile-fuzzer
fuzz_datafile_fuzzer_SOURCES = fuzz/datafile-fuzzer.c
fuzz_datafile_fuzzer_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
fuzz_datafile_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_datafile_fuzzer_LDADD = $(SR_LIBS)
endif
