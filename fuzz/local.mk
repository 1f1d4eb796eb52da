# Fuzz targets. The standalone runner replays the corpus in every build (make check);
# with --enable-fuzzing (CC=clang) the libFuzzer binaries are built too.
check_PROGRAMS += fuzz/datafile-check
fuzz_datafile_check_SOURCES = fuzz/datafile-fuzzer.c fuzz/standalone.c
fuzz_datafile_check_LDADD = $(SR_LIBS)
TESTS += fuzz/run-corpus.sh
EXTRA_DIST += fuzz/run-corpus.sh fuzz/corpus

# Image readers: one target per reader, sharing the pre-flight and plan driver.
IMAGE_FUZZ_COMMON = fuzz/image-common.c fuzz/image-common.h
check_PROGRAMS += fuzz/ihex-check fuzz/srec-check fuzz/elf-check fuzz/image-check
fuzz_ihex_check_SOURCES = fuzz/ihex-fuzzer.c $(IMAGE_FUZZ_COMMON) fuzz/standalone.c
fuzz_ihex_check_LDADD = $(SR_LIBS)
fuzz_srec_check_SOURCES = fuzz/srec-fuzzer.c $(IMAGE_FUZZ_COMMON) fuzz/standalone.c
fuzz_srec_check_LDADD = $(SR_LIBS)
fuzz_elf_check_SOURCES = fuzz/elf-fuzzer.c $(IMAGE_FUZZ_COMMON) fuzz/standalone.c
fuzz_elf_check_LDADD = $(SR_LIBS)
fuzz_image_check_SOURCES = fuzz/image-fuzzer.c $(IMAGE_FUZZ_COMMON) fuzz/standalone.c
fuzz_image_check_LDADD = $(SR_LIBS)

if FUZZING
noinst_PROGRAMS = fuzz/datafile-fuzzer
fuzz_datafile_fuzzer_SOURCES = fuzz/datafile-fuzzer.c
fuzz_datafile_fuzzer_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
fuzz_datafile_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_datafile_fuzzer_LDADD = $(SR_LIBS)
noinst_PROGRAMS += fuzz/ihex-fuzzer fuzz/srec-fuzzer fuzz/elf-fuzzer fuzz/image-fuzzer
FUZZ_FLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
fuzz_ihex_fuzzer_SOURCES = fuzz/ihex-fuzzer.c $(IMAGE_FUZZ_COMMON)
fuzz_ihex_fuzzer_CFLAGS = $(FUZZ_FLAGS)
fuzz_ihex_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_ihex_fuzzer_LDADD = $(SR_LIBS)
fuzz_srec_fuzzer_SOURCES = fuzz/srec-fuzzer.c $(IMAGE_FUZZ_COMMON)
fuzz_srec_fuzzer_CFLAGS = $(FUZZ_FLAGS)
fuzz_srec_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_srec_fuzzer_LDADD = $(SR_LIBS)
fuzz_elf_fuzzer_SOURCES = fuzz/elf-fuzzer.c $(IMAGE_FUZZ_COMMON)
fuzz_elf_fuzzer_CFLAGS = $(FUZZ_FLAGS)
fuzz_elf_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_elf_fuzzer_LDADD = $(SR_LIBS)
fuzz_image_fuzzer_SOURCES = fuzz/image-fuzzer.c $(IMAGE_FUZZ_COMMON)
fuzz_image_fuzzer_CFLAGS = $(FUZZ_FLAGS)
fuzz_image_fuzzer_LDFLAGS = -fsanitize=fuzzer
fuzz_image_fuzzer_LDADD = $(SR_LIBS)
endif
