#!/bin/sh
# openocd 0.12: program a random 256 KiB image with verify, through the hla driver
# (interface/stlink.cfg) and through dapdirect (interface/stlink-dap.cfg).
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need openocd openocd

head -c 262144 /dev/urandom >"$work/image.bin"
for iface in stlink stlink-dap; do
	state=$work/f446-$iface.ini
	new_board "$state" stm32f446 pid=0x374b firmware=V2J37M26
	: >"$work/stats"
	start=$(date +%s.%N)
	sim "$state" openocd -f interface/$iface.cfg -f target/stm32f4x.cfg \
		-c "program $work/image.bin 0x08000000 verify reset exit" >"$work/$iface.log" 2>&1
	end=$(date +%s.%N)
	if grep -q "Verified OK" "$work/$iface.log"; then
		pass "openocd $iface.cfg program 256 KiB verify: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s wall; $(cat "$work/stats")"
	else
		fail "openocd $iface.cfg program+verify did not report Verified OK:"
		tail -30 "$work/$iface.log"
	fi
done
finish
