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

# STM32H753 with target/stm32h7x.cfg: program+verify 256 KiB through hla (AP0 only) and
# dapdirect (DBGMCU set up through AP2 at 0xE00E1000); then the option bytes as
# openocd's stm32h7x driver reads them, against the board state file.
for iface in stlink stlink-dap; do
	state=$work/h753-$iface.ini
	new_board "$state" stm32h753 pid=0x374b firmware=V2J37M26
	: >"$work/stats"
	start=$(date +%s.%N)
	sim "$state" openocd -f interface/$iface.cfg -f target/stm32h7x.cfg \
		-c "program $work/image.bin 0x08000000 verify reset exit" >"$work/h7-$iface.log" 2>&1
	end=$(date +%s.%N)
	if grep -q "Verified OK" "$work/h7-$iface.log"; then
		pass "openocd $iface.cfg STM32H753 program 256 KiB verify: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s wall; $(cat "$work/stats")"
	else
		fail "openocd $iface.cfg STM32H753 program+verify did not report Verified OK:"
		tail -30 "$work/h7-$iface.log"
	fi
done
state=$work/h753-stlink-dap.ini
optsr=$(sed -n 's/^optsr = 0x\(.*\)/\1/p' "$state" | tr 'A-F' 'a-f')
out=$(sim "$state" openocd -f interface/stlink-dap.cfg -f target/stm32h7x.cfg -c init \
	-c "stm32h7x option_read 0 0x1c" -c "stm32h7x option_read 0 0x40" -c exit 2>&1)
if echo "$out" | grep -q "<0x5200201c> = 0x$optsr\$" &&
	echo "$out" | grep -q "<0x52002040> = 0x1ff00800\$"; then
	pass "openocd stm32h7x option_read: FLASH_OPTSR_CUR 0x$optsr and BOOT_CUR as the state file says"
else
	fail "openocd stm32h7x option_read does not report the state file's option bytes (0x$optsr):"
	echo "$out" | tail -8
fi
# lock (RDP level 1), then unlock: the regression erases the flash.
out=$(sim "$state" openocd -f interface/stlink-dap.cfg -f target/stm32h7x.cfg -c init \
	-c "reset halt" -c "stm32h7x lock 0" -c exit 2>&1)
rdp=$(sed -n 's/^optsr = 0x....\(..\)../\1/p' "$state")
if echo "$out" | grep -q "stm32h7x locked" && [ "$rdp" = "00" ]; then
	pass "openocd stm32h7x lock: RDP level 1 in the state file (RDP 0x$rdp)"
else
	fail "openocd stm32h7x lock (state file RDP 0x$rdp):"
	echo "$out" | tail -8
fi
out=$(sim "$state" openocd -f interface/stlink-dap.cfg -f target/stm32h7x.cfg -c init \
	-c "reset halt" -c "stm32h7x unlock 0" -c "mdw 0x08000000 4" -c exit 2>&1)
rdp=$(sed -n 's/^optsr = 0x....\(..\)../\1/p' "$state")
if echo "$out" | grep -q "stm32h7x unlocked" && [ "$rdp" = "AA" ] &&
	echo "$out" | grep -qi "0x08000000: ffffffff ffffffff ffffffff ffffffff"; then
	pass "openocd stm32h7x unlock: RDP back to level 0, the flash erased"
else
	fail "openocd stm32h7x unlock (state file RDP 0x$rdp):"
	echo "$out" | tail -8
fi
finish
