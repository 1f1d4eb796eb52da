#!/bin/sh
# The flash commands on the virtual STM32H753 (src/flash/stm32h7.c), cross-checked with
# independent clients through the libusb drop-in (`stmrescue sim run`): what stmrescue
# programs in both banks, st-flash and openocd read back identically; what openocd
# programs, stmrescue verifies; `erase --bank 2` erases bank 2 only.
. "$(dirname "$0")/../cli/lib.sh"
for tool in st-flash:stlink-tools openocd:openocd; do
	command -v "${tool%%:*}" >/dev/null ||
		{ echo "FAIL - ${tool%%:*} is not installed (Debian ${tool#*:}; ./setup --deps)"; exit 1; }
done
export XDG_STATE_HOME="$tmp/state"
preload=$(client_preload)
# client STATE COMMAND...: an independent client on the board through the drop-in
client() {
	state=$1
	shift
	LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 "$SR" sim run "$state" -- "$@"
}
# No gdb/telnet/tcl servers (other openocd runs may hold the ports); DUAL_BANK 1 makes
# target/stm32h7x.cfg declare bank 2 at 0x08100000.
ocd() {
	state=$1
	shift
	client "$state" openocd -f interface/stlink.cfg -c "set DUAL_BANK 1" -f target/stm32h7x.cfg \
		-c "gdb_port disabled; tcl_port disabled; telnet_port disabled" "$@"
}
# same FILE1 FILE2 WHAT
same() { if cmp -s "$1" "$2"; then ok "$3"; else bad "$3: $1 and $2 differ"; fi; }

# 256 KiB at the start of bank 1 with a vector table (SP in AXI SRAM, Thumb reset
# handler), and 128 KiB across the bank boundary (0x080F0000-0x0810FFFF).
python3 - "$tmp" <<'PY'
import os, struct, sys
d = bytearray(os.urandom(262144))
d[0:8] = struct.pack("<II", 0x24080000, 0x08000401)
open(sys.argv[1] + "/img.bin", "wb").write(d)
open(sys.argv[1] + "/cross.bin", "wb").write(os.urandom(131072))
PY
b=$tmp/b.ini
"$SR" sim new stm32h753 "$b" >/dev/null
run --probe "sim:$b" program --base 0x08000000 "$tmp/img.bin"
expect_rc 0 "program 256 KiB at the start of bank 1"
expect_out "verified: OK" "read back after programming"
expect_out "x64 (PSIZE=3)" "x64 parallelism at 3.3 V"
grep "Virtual lab" "$tmp/out" | sed 's/^/# 256 KiB program on a fresh H753: /'
run --probe "sim:$b" program --base 0x080F0000 "$tmp/cross.bin"
expect_rc 0 "program 128 KiB across the bank boundary"
expect_out "Erased 2 sectors" "bank 1 sector 7 and bank 2 sector 0 erased"
run --probe "sim:$b" verify --base 0x080F0000 "$tmp/cross.bin"
expect_rc 0 "verify the image across the banks"
run --probe "sim:$b" verify --base 0x08000000 "$tmp/img.bin"
expect_rc 0 "the bank 1 image is intact after the write across the banks"
run --probe "sim:$b" verify --base 0x08100000 "$tmp/img.bin"
expect_rc 6 "verify of an image that is not there finds differences"
expect_err "bytes differ, the first at 0x08100000" "the first difference named"

# what stmrescue programmed, st-flash and openocd read back identically
client "$b" st-flash read "$tmp/st-img.bin" 0x08000000 262144 >"$tmp/st.log" 2>&1 ||
	bad "st-flash read of bank 1: $(tail -2 "$tmp/st.log")"
same "$tmp/img.bin" "$tmp/st-img.bin" "st-flash reads back the 256 KiB image"
client "$b" st-flash read "$tmp/st-cross.bin" 0x080F0000 131072 >"$tmp/st.log" 2>&1 ||
	bad "st-flash read across the banks: $(tail -2 "$tmp/st.log")"
same "$tmp/cross.bin" "$tmp/st-cross.bin" "st-flash reads back the image across the banks"
ocd "$b" -c init -c "reset halt" -c "dump_image $tmp/ocd-cross.bin 0x080F0000 131072" -c exit \
	>"$tmp/ocd.log" 2>&1 || bad "openocd dump_image: $(tail -3 "$tmp/ocd.log")"
same "$tmp/cross.bin" "$tmp/ocd-cross.bin" "openocd dump_image reads back the image across the banks"

# erase --bank 2: bank 2 blank, bank 1 as it was
run --probe "sim:$b" erase --bank 2
expect_rc 0 "erase --bank 2"
client "$b" st-flash read "$tmp/st-b2.bin" 0x08100000 65536 >"$tmp/st.log" 2>&1 ||
	bad "st-flash read of bank 2: $(tail -2 "$tmp/st.log")"
if python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(len(d)!=65536 or d.count(255)!=65536)' "$tmp/st-b2.bin"; then
	ok "st-flash reads bank 2 erased"
else
	bad "bank 2 is not erased after erase --bank 2"
fi
client "$b" st-flash read "$tmp/st-b1.bin" 0x080F0000 65536 >"$tmp/st.log" 2>&1 ||
	bad "st-flash read of bank 1: $(tail -2 "$tmp/st.log")"
head -c 65536 "$tmp/cross.bin" >"$tmp/cross-b1.bin"
same "$tmp/cross-b1.bin" "$tmp/st-b1.bin" "bank 1's part of the image survives erase --bank 2"
run --probe "sim:$b" verify --base 0x08000000 "$tmp/img.bin"
expect_rc 0 "the 256 KiB image in bank 1 survives erase --bank 2"

# what openocd programs (across the banks, with its own verify), stmrescue verifies
o=$tmp/o.ini
"$SR" sim new stm32h753 "$o" >/dev/null
ocd "$o" -c "program $tmp/cross.bin 0x080F0000 verify exit" >"$tmp/ocd.log" 2>&1
if grep -q "Verified OK" "$tmp/ocd.log"; then
	ok "openocd programs and verifies 128 KiB across the banks"
else
	bad "openocd program+verify across the banks: $(tail -3 "$tmp/ocd.log")"
fi
run --probe "sim:$o" verify --base 0x080F0000 "$tmp/cross.bin"
expect_rc 0 "stmrescue verify accepts what openocd programmed"
run --probe "sim:$o" verify --base 0x080F0000 "$tmp/img.bin"
expect_rc 6 "stmrescue verify refuses another image there"

# erase --mass: both banks at once (MER), as st-flash reads them
run --probe "sim:$o" erase --mass
expect_rc 0 "erase --mass"
client "$o" st-flash read "$tmp/st-mass.bin" 0x080F0000 131072 >"$tmp/st.log" 2>&1 ||
	bad "st-flash read after the mass erase: $(tail -2 "$tmp/st.log")"
if python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(len(d)!=131072 or d.count(255)!=131072)' "$tmp/st-mass.bin"; then
	ok "st-flash reads both banks erased after erase --mass"
else
	bad "erase --mass left data in 0x080F0000-0x0810FFFF"
fi
finish
