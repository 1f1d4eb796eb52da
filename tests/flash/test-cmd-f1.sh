#!/bin/sh
# program, verify and erase on the virtual STM32F103 (the stm32f1 flash driver), each
# cross-checked with an independent client through the libusb drop-in: what stmrescue
# programmed, st-flash (stlink-tools) reads back identically; what openocd programmed
# (target/stm32f1x.cfg, its own F1 flash driver), stmrescue verifies.
. "$(dirname "$0")/../cli/lib.sh"
for tool in st-flash:stlink-tools openocd:openocd; do
	command -v "${tool%%:*}" >/dev/null ||
		{ echo "FAIL - ${tool%%:*} is not installed (Debian ${tool#*:}; ./setup --deps)"; exit 1; }
done
client() { LD_PRELOAD="$(client_preload)" ASAN_OPTIONS=detect_leaks=0 "$SR" sim run "$@"; }

# image FILE SIZE [SP]: random bytes behind a vector table that boots on the F103: initial
# SP (octal bytes, little-endian) at the top of its 20 KiB of SRAM (DS5319 table 2), or
# SP; reset handler Thumb at 0x08000101.
image() {
	head -c "$2" /dev/urandom >"$1.rnd"
	printf "${3:-\\000\\120\\000\\040}"'\001\001\000\010' >"$1"
	tail -c +9 "$1.rnd" >>"$1"
}

"$SR" sim new stm32f103 "$tmp/b.ini" >/dev/null
image "$tmp/img.bin" 65536
run --probe "sim:$tmp/b.ini" program "$tmp/img.bin" --base 0x08000000
expect_rc 0 "program 64 KiB on the F103"
expect_out "Programming unit: 2 bytes" "half-word programming unit named"
expect_out "wrote 65536 bytes, verified" "written and read back"
expect_out "Virtual lab: .* s virtual time, .* USB transactions" "virtual time and USB transactions reported"
expect_out "above the 10 KiB of SRAM" "a stack at the top of 20 KiB: warned (10 KiB on F101x8/F102x8)"
grep "Virtual lab" "$tmp/out"

run --probe "sim:$tmp/b.ini" verify "$tmp/img.bin" --base 0x08000000
expect_rc 0 "verify accepts what was programmed"
image "$tmp/far.bin" 1024 '\004\120\000\040'
run --probe "sim:$tmp/b.ini" program "$tmp/far.bin" --base 0x08000000
expect_rc 1 "an initial SP past every F103's 20 KiB is refused"
expect_err "is not in the RAM.*to 0x20004FFF on the largest" "past the RAM named"
# one byte changed: the complement of what the (random) image has there
python3 -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()[:30001]); d[30000]^=0xFF; open(sys.argv[2],'wb').write(d)" "$tmp/img.bin" "$tmp/other.bin"
run --probe "sim:$tmp/b.ini" verify "$tmp/other.bin" --base 0x08000000
[ "$rc" -ne 0 ] && ok "verify refuses an image that differs in one byte (exit $rc)" ||
	bad "verify accepted an image that differs"

client "$tmp/b.ini" -- st-flash read "$tmp/back.bin" 0x08000000 65536 >"$tmp/stflash.log" 2>&1 ||
	bad "st-flash read through the drop-in: $(tail -2 "$tmp/stflash.log")"
cmp -s "$tmp/img.bin" "$tmp/back.bin" && ok "st-flash reads back what stmrescue programmed" ||
	bad "st-flash reads back something else"

# One 1 KiB page, exactly: pages 0 and 2 keep the image.
run --probe "sim:$tmp/b.ini" erase 0x08000400 0x400
expect_rc 0 "erase page 1 (0x08000400, 1 KiB)"
run --probe "sim:$tmp/b.ini" read 0x08000000 0xC00 "$tmp/pages.bin"
expect_rc 0 "read pages 0-2"
# page N of FILE
page() { dd if="$1" bs=1024 skip="$2" count=1 2>/dev/null; }
page "$tmp/pages.bin" 0 >"$tmp/p0.bin"
page "$tmp/img.bin" 0 | cmp -s - "$tmp/p0.bin" && ok "page 0 untouched" || bad "page 0 changed"
head -c 1024 /dev/zero | tr '\000' '\377' >"$tmp/ff.bin"
page "$tmp/pages.bin" 1 | cmp -s - "$tmp/ff.bin" && ok "page 1 erased" || bad "page 1 not erased"
page "$tmp/pages.bin" 2 >"$tmp/p2.bin"
page "$tmp/img.bin" 2 | cmp -s - "$tmp/p2.bin" && ok "page 2 untouched" || bad "page 2 changed"
run --probe "sim:$tmp/b.ini" erase 0x08000400 0x200
[ "$rc" -ne 0 ] && ok "half a page refused (exit $rc)" || bad "half a page erased"

# openocd programs with its own F1 driver; stmrescue verifies.
"$SR" sim new stm32f103 "$tmp/o.ini" >/dev/null
image "$tmp/oimg.bin" 40000
client "$tmp/o.ini" -- openocd -f interface/stlink.cfg -f target/stm32f1x.cfg \
	-c "gdb_port disabled; tcl_port disabled; telnet_port disabled" \
	-c "program $tmp/oimg.bin 0x08000000 verify reset exit" >"$tmp/openocd.log" 2>&1
grep -q "Verified OK" "$tmp/openocd.log" && ok "openocd programs the F103 and verifies" ||
	bad "openocd program: $(tail -3 "$tmp/openocd.log")"
run --probe "sim:$tmp/o.ini" verify "$tmp/oimg.bin" --base 0x08000000
expect_rc 0 "stmrescue verify accepts what openocd programmed"
finish
