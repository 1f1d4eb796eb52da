#!/bin/sh
# openocd 0.12 on every chip of the conformance table through the V2-1 persona: program a
# random image (256 KiB, or 64 KiB on the smaller parts: the table's kib) with verify,
# through the hla driver (interface/stlink.cfg) and through dapdirect
# (interface/stlink-dap.cfg); the option bytes as the chip's flash driver reads them,
# through both; then what is particular to a chip: the H753 lock and unlock (RDP
# regression), an L476 write across its bank boundary, the G474 DBANK switch.
# (conformance-openocd-personas.sh runs program+verify on the V2 and V3 personas.)
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need openocd openocd

head -c 262144 /dev/urandom >"$work/image.bin"
for chip in $chips; do
	chip_load "$chip"
	head -c $((c_kib * 1024)) "$work/image.bin" >"$work/image-$c_kib.bin"
	for iface in stlink stlink-dap; do
		board "$chip-$iface" "$chip" v2-1
		check_program "$state" "$chip" v2-1 $iface "$work/image-$c_kib.bin"
	done
done

for chip in $chips; do
	for iface in stlink stlink-dap; do
		check_ob "$chip" v2-1 $iface
	done
done

# STM32H753, on the board dapdirect programmed: lock (RDP level 1), then unlock: the
# regression erases the flash (RM0433 4.5.3).
state=$work/stm32h753-stlink-dap.ini
out=$(sim "$state" openocd -f interface/stlink-dap.cfg -f target/stm32h7x.cfg -c "$noports" -c init \
	-c "reset halt" -c "stm32h7x lock 0" -c exit 2>&1)
rdp=$(sed -n 's/^optsr = 0x....\(..\)../\1/p' "$state")
if echo "$out" | grep -q "stm32h7x locked" && [ "$rdp" = "00" ]; then
	pass "openocd stm32h7x lock: RDP level 1 in the state file (RDP 0x$rdp)"
else
	fail "openocd stm32h7x lock (state file RDP 0x$rdp):"
	echo "$out" | tail -8
fi
out=$(sim "$state" openocd -f interface/stlink-dap.cfg -f target/stm32h7x.cfg -c "$noports" -c init \
	-c "reset halt" -c "stm32h7x unlock 0" -c "mdw 0x08000000 4" -c exit 2>&1)
rdp=$(sed -n 's/^optsr = 0x....\(..\)../\1/p' "$state")
if echo "$out" | grep -q "stm32h7x unlocked" && [ "$rdp" = "AA" ] &&
	echo "$out" | grep -qi "0x08000000: ffffffff ffffffff ffffffff ffffffff"; then
	pass "openocd stm32h7x unlock: RDP back to level 0, the flash erased"
else
	fail "openocd stm32h7x unlock (state file RDP 0x$rdp):"
	echo "$out" | tail -8
fi

# The L476 through target/stm32l4x.cfg: OpenOCD's stm32l4x driver runs its flash loader in
# SRAM (executed by the Unicorn core), page erases each bank with its own BKER and reads
# the geometry from FLASH_OPTR. Across the bank boundary at 0x08080000 each bank is erased
# with its own controls ...
state=$work/stm32l476-stlink.ini
head -c 8192 "$work/image.bin" >"$work/image8.bin"
check_program "$state" stm32l476 v2-1 stlink "$work/image8.bin" 0x0807F000 "8 KiB across the banks"
# ... and bank 1's first pages, which hold the 256 KiB image, were left alone
sim "$state" openocd -f interface/stlink.cfg -f target/stm32l4x.cfg \
	-c "$noports" -c init -c "reset halt" -c "verify_image $work/image.bin 0x08000000 bin" \
	-c exit >"$work/keep.log" 2>&1
if grep -q "verified 262144 bytes" "$work/keep.log"; then
	pass "openocd: the 256 KiB image in bank 1 is intact after bank 2's page erases"
else
	fail "openocd verify_image of the 256 KiB image after the bank-crossing write:"
	tail -10 "$work/keep.log"
fi

# G474 DBANK: OpenOCD writes DBANK = 0 and launches the option-byte load; the part then has
# one bank of 4 KiB pages (RM0440 3.3.1 table 8) for OpenOCD and for st-info alike.
state=$work/stm32g474-stlink.ini
sim "$state" openocd -f interface/stlink.cfg -f target/stm32g4x.cfg -c "$noports" -c init \
	-c "reset halt" -c "stm32l4x option_write 0 0x20 0x00000000 0x00400000" \
	-c "stm32l4x option_load 0" -c "reset halt" -c "flash probe 0" -c exit >"$work/dbank.log" 2>&1
if grep -q "flash mode : single-bank" "$work/dbank.log"; then
	pass "openocd stm32l4x option_write DBANK=0 + option_load: single-bank"
else
	fail "openocd did not switch the G474 to single-bank:"
	tail -20 "$work/dbank.log"
fi
if command -v st-info >/dev/null 2>&1; then
	out=$(sim "$state" st-info --probe 2>&1)
	if echo "$out" | grep -q "pagesize: 4096"; then
		pass "st-info sees the G474 with DBANK = 0: 4 KiB pages"
	else
		fail "st-info did not report 4 KiB pages after DBANK = 0:"
		echo "$out"
	fi
else
	echo "note: st-info is not installed; the cross-check of DBANK = 0 was not run"
fi
check_program "$state" stm32g474 v2-1 stlink "$work/image-64.bin" 0x08000000 "64 KiB in 4 KiB pages"
figures
finish
