#!/bin/sh
# `program`, `verify` and `erase` on the virtual STM32F446 and STM32F746, cross-checked with
# st-flash and openocd through the libusb drop-in; bad images refused before any erase.
. "$(dirname "$0")/../cli/lib.sh"
for c in st-flash openocd; do
	command -v $c >/dev/null || { echo "FAIL - $c is not installed (./setup --deps)"; exit 1; }
done
export XDG_STATE_HOME="$tmp/state"
pre="$(client_preload)"
client() { LD_PRELOAD="$pre" ASAN_OPTIONS=detect_leaks=0 "$SR" sim run "$@"; }

# IMG BYTES: a random image with a vector table (SP in SRAM, Thumb reset handler in flash)
mkimg() {
	python3 - "$1" "$2" <<'PY'
import os, struct, sys
d = bytearray(os.urandom(int(sys.argv[2])))
d[0:8] = struct.pack("<II", 0x20001000, 0x08000201)
open(sys.argv[1], "wb").write(d)
PY
}

for chip in stm32f446 stm32f746; do
	b="$tmp/$chip.ini"
	"$SR" sim new $chip "$b" >/dev/null
	mkimg "$tmp/img.bin" 100000
	run --probe "sim:$b" program "$tmp/img.bin" --base 0x08000000
	expect_rc 0 "$chip: program 100000 bytes"
	expect_out "verified: OK" "$chip: verified by read-back"
	expect_out "Backup: $tmp/state/stmrescue/" "$chip: backup in XDG_STATE_HOME"
	client "$b" -- st-flash read "$tmp/back.bin" 0x08000000 100000 >"$tmp/c.log" 2>&1 ||
		bad "$chip: st-flash read: $(tail -2 "$tmp/c.log")"
	cmp -s "$tmp/img.bin" "$tmp/back.bin" && ok "$chip: st-flash reads back what stmrescue programmed" ||
		bad "$chip: st-flash read-back differs"
	run --probe "sim:$b" --json verify "$tmp/img.bin" --base 0x08000000
	expect_json "d['ok'] and d['differing_bytes']==0" "$chip: verify --json says ok"
	mkimg "$tmp/img2.bin" 5000
	run --probe "sim:$b" --json program "$tmp/img2.bin" --base 0x08000000 --no-backup
	expect_json "d['verify']['crc_bytes']>=5000 and d['verify']['read_back_bytes']==0 and d['backup'] is None" \
		"$chip: verified by a CRC computed on the target"
	run --probe "sim:$b" --json program "$tmp/img2.bin" --base 0x08000000 --verify=readback
	expect_json "d['verify']['crc_bytes']==0 and d['verify']['read_back_bytes']>=5000" \
		"$chip: --verify=readback reads back"
done

# openocd programs, stmrescue verifies (F446; stm32f4x.cfg)
b="$tmp/stm32f446.ini"
mkimg "$tmp/oo.bin" 70000
client "$b" -- openocd -f interface/stlink.cfg -f target/stm32f4x.cfg \
	-c "program $tmp/oo.bin 0x08000000 verify exit" >"$tmp/c.log" 2>&1 ||
	bad "openocd program: $(tail -3 "$tmp/c.log")"
run --probe "sim:$b" verify "$tmp/oo.bin" --base 0x08000000
expect_rc 0 "stmrescue verifies what openocd programmed"
run --probe "sim:$b" verify "$tmp/img.bin" --base 0x08000000
expect_rc 6 "verify of another image fails (exit 6)"
expect_err "differ, the first at 0x08000008" "verify names the first differing address"

# erase one sector: exactly that sector (sector 1, 0x08004000, 16 KiB; RM0390 3.3 table 4)
run --probe "sim:$b" erase 0x08004000 0x4000
expect_rc 0 "erase sector 1"
"$SR" --probe "sim:$b" read 0x08000000 0xC000 "$tmp/after.bin" >/dev/null
python3 - "$tmp/oo.bin" "$tmp/after.bin" <<'PY' && ok "only sector 1 erased" || bad "erase touched more than sector 1"
import sys
img, after = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
assert after[:0x4000] == img[:0x4000]
assert after[0x4000:0x8000] == b"\xff" * 0x4000
assert after[0x8000:0xC000] == img[0x8000:0xC000]
PY
run --probe "sim:$b" erase 0x08004000 0x2000
expect_rc 1 "erase of half a sector refused"
expect_err "does not start and end on sector boundaries" "half-sector range explained"
run --probe "sim:$b" erase --bank 2
expect_rc 1 "erase --bank 2 on a single-bank part refused"

# bad images are refused before anything is erased: the flash still holds oo.bin's sector 0
printf ':100000000010002001020008FFFFFFFFFFFFFFFF00\n:1000100000000000000000000000000000000000E0\n:00000001FF\n' >"$tmp/badsum.hex"
run --probe "sim:$b" program "$tmp/badsum.hex"
expect_rc 1 "HEX with a bad checksum refused"
expect_err "badsum.hex:1" "the bad line is named"
head -c 30 "$tmp/badsum.hex" >"$tmp/trunc.hex"
run --probe "sim:$b" program "$tmp/trunc.hex"
expect_rc 1 "truncated HEX refused"
expect_err "trunc.hex:1" "the truncated line is named"
mkimg "$tmp/big.bin" 600000
run --probe "sim:$b" program "$tmp/big.bin" --base 0x08000000
expect_rc 1 "an image larger than the 512 KiB flash refused"
expect_err "too-big" "too-big finding"
expect_err "nothing on the chip was changed" "says nothing was changed"
"$SR" --probe "sim:$b" read 0x08000000 0x4000 "$tmp/s0.bin" >/dev/null
head -c 16384 "$tmp/oo.bin" | cmp -s - "$tmp/s0.bin" && ok "flash untouched after the refusals" ||
	bad "flash changed by a refused image"

# the hardware watchdog scenario: the IWDG is frozen while the flash is worked on
"$SR" sim new f446-hw-watchdog "$tmp/wd.ini" >/dev/null
mkimg "$tmp/wd.bin" 200000
run --probe "sim:$tmp/wd.ini" program "$tmp/wd.bin" --base 0x08000000
expect_rc 0 "program 200000 bytes with a hardware watchdog running"
finish
