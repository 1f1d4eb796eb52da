#!/bin/sh
# Replay the fuzz corpus and every shipped data file through the parsers (under the
# sanitizer build this catches memory errors on malformed input).
set -eu
top_builddir=${SR_TOP_BUILDDIR:-.}
top_srcdir=${SR_TOP_SRCDIR:-.}
"$top_builddir/fuzz/datafile-check" "$top_srcdir"/fuzz/corpus/datafile/* \
	"$top_srcdir"/families/*.ini "$top_srcdir"/optbytes/*.ini
img="$top_srcdir"/tests/data/image
"$top_builddir/fuzz/ihex-check" "$top_srcdir"/fuzz/corpus/ihex/* "$img"/*.hex
"$top_builddir/fuzz/srec-check" "$top_srcdir"/fuzz/corpus/srec/* "$img"/*.srec
"$top_builddir/fuzz/elf-check" "$top_srcdir"/fuzz/corpus/elf/* "$img"/*.elf
"$top_builddir/fuzz/image-check" "$top_srcdir"/fuzz/corpus/image/* "$img"/*
