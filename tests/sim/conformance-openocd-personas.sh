#!/bin/sh
# openocd 0.12 on every chip of the conformance table through the V2 and V3 personas:
# program a random 32 KiB image with verify through hla (interface/stlink.cfg) and
# dapdirect (interface/stlink-dap.cfg), and the option bytes as the chip's flash driver
# reads them (conformance-openocd.sh does the V2-1 persona with the larger images); then
# program+verify on one chip through the other PIDs (openocd 0.12 lists them all).
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need openocd openocd

head -c 32768 /dev/urandom >"$work/image.bin"
for persona in $personas; do
	[ "$persona" != v2-1 ] || continue
	for chip in $chips; do
		for iface in stlink stlink-dap; do
			board "$chip-$persona-$iface" "$chip" "$persona"
			check_program "$state" "$chip" "$persona" $iface "$work/image.bin"
		done
		check_ob "$chip" "$persona" stlink
	done
done
for persona in $other_personas; do
	for iface in stlink stlink-dap; do
		board "$other_chip-$persona-$iface" "$other_chip" "$persona"
		check_program "$state" "$other_chip" "$persona" $iface "$work/image.bin"
	done
done
figures
finish
