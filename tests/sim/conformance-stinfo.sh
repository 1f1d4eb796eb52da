#!/bin/sh
# st-info --probe (stlink-tools 1.7.0) through the drop-in, for every chip of the
# conformance table (tests/sim/conformance-matrix.sh) behind every probe persona: it must
# find the probe with its firmware version and report the chip id, flash size and page
# size, SRAM size and description. Then the other PIDs of each generation, on one chip: a
# PID stlink 1.7.0 does not list must be skipped with its own message.
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need st-info stlink-tools

for chip in $chips; do
	for persona in $personas; do
		check_stinfo "$chip" "$persona"
	done
done
for persona in $other_personas; do
	check_stinfo "$other_chip" "$persona"
done
finish
