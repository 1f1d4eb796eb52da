#!/bin/sh
# st-flash (stlink-tools 1.7.0) write, read back in a new process, and erase, on every chip
# of the conformance table through the V2 and V3 personas, with a 16 KiB image
# (conformance-stflash.sh does the V2-1 persona with 64 KiB); then on one chip through the
# other PIDs, where st-flash 1.7.0 must fail on the one it does not know as it does.
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need st-flash stlink-tools

head -c 16384 /dev/urandom >"$work/image.bin"
for persona in $personas; do
	[ "$persona" != v2-1 ] || continue
	for chip in $chips; do
		check_stflash "$chip" "$persona" "$work/image.bin"
	done
done
for persona in $other_personas; do
	check_stflash "$other_chip" "$persona" "$work/image.bin"
done
finish
