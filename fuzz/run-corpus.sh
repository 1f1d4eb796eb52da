#!/bin/sh
# Replay the fuzz corpus and every shipped data file through the parsers (under the
# sanitizer build this catches memory errors on malformed input).
set -eu
top_builddir=${SR_TOP_BUILDDIR:-.}
top_srcdir=${SR_TOP_SRCDIR:-.}
"$top_builddir/fuzz/datafile-check" "$top_srcdir"/fuzz/corpus/datafile/* \
	"$top_srcdir"/families/*.ini "$top_srcdir"/optbytes/*.ini
