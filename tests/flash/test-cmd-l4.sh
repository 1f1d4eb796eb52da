#!/bin/sh
# program, verify and erase on a virtual STM32L476 (the L4 flash driver through the
# command line), cross-checked with st-flash (stlink-tools) reading through the drop-in:
# what stmrescue programmed, an independent client reads back identically.
. "$(dirname "$0")/../cli/lib.sh"
command -v st-flash >/dev/null || { echo "FAIL - st-flash is not installed (Debian stlink-tools; ./setup --deps)"; exit 1; }
export XDG_STATE_HOME="$tmp/state"
img="$top_srcdir/tests/data/image"

# stflash_read FILE ADDR LEN: st-flash reads through the drop-in (a client of its own).
stflash_read() {
	LD_PRELOAD="$(client_preload)" ASAN_OPTIONS=detect_leaks=0 \
		"$SR" sim run "$tmp/b.ini" -- st-flash read "$1" "$2" "$3" >"$tmp/stflash.log" 2>&1 ||
		bad "st-flash read $2 $3 through the drop-in: $(tail -2 "$tmp/stflash.log")"
}

"$SR" sim new stm32l476 "$tmp/b.ini" >/dev/null

# DIAGNOSES A1: sections off the 64-bit unit
run --probe "sim:$tmp/b.ini" program "$img/unaligned.elf"
expect_rc 0 "program unaligned.elf on the L476"
expect_out "unaligned-section" "pre-flight lists the unaligned sections"
expect_out "Programming unit: 8 bytes" "double-word programming unit"
expect_out "verified: OK" "program reads back"
expect_out "Virtual lab: .* USB transactions" "virtual time and USB transactions printed"
run --probe "sim:$tmp/b.ini" verify "$img/unaligned.elf"
expect_rc 0 "verify unaligned.elf"
expect_out "Verified" "verify says the flash holds the image"

# independent read-back: the sections' bytes (objcopy's binary) and 0xFF to the page end
python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(d+b"\xff"*(2048-len(d)))' \
	"$img/unaligned.bin" "$tmp/page0.bin"
stflash_read "$tmp/st0.bin" 0x08000000 2048
cmp -s "$tmp/page0.bin" "$tmp/st0.bin" && ok "st-flash reads back what stmrescue programmed from the ELF" ||
	bad "st-flash reads another page 0 than the ELF's bytes padded with 0xFF"

# DIAGNOSES E22: an image across the bank boundary (0x08080000 on the 1 MB L476)
head -c 8192 /dev/urandom >"$tmp/cross.bin"
run --probe "sim:$tmp/b.ini" program "$tmp/cross.bin" --base 0x0807F000
expect_rc 0 "program 8 KiB across the bank boundary"
expect_out "Erased 4 sectors" "two pages of each bank erased"
stflash_read "$tmp/st1.bin" 0x0807F000 8192
cmp -s "$tmp/cross.bin" "$tmp/st1.bin" && ok "st-flash reads back both banks as programmed" ||
	bad "st-flash reads other bytes across the bank boundary"

# one page of bank 2 erased, nothing else
run --probe "sim:$tmp/b.ini" erase 0x08080000 0x800
expect_rc 0 "erase page 0 of bank 2"
stflash_read "$tmp/st2.bin" 0x0807F000 8192
python3 - "$tmp/cross.bin" "$tmp/st2.bin" <<'PY' && ok "only 0x08080000-0x080807FF reads erased, the rest as programmed" || bad "the erase touched more or less than its page"
import sys
want, got = bytearray(open(sys.argv[1], "rb").read()), open(sys.argv[2], "rb").read()
want[0x1000:0x1800] = b"\xff" * 0x800
sys.exit(0 if bytes(want) == got else 1)
PY
stflash_read "$tmp/st3.bin" 0x08000000 2048
cmp -s "$tmp/page0.bin" "$tmp/st3.bin" && ok "bank 1 page 0 untouched by the bank 2 erase" || bad "bank 1 page 0 changed"

run --probe "sim:$tmp/b.ini" erase 0x08080000 0x400
expect_rc 1 "a range that is not whole pages is refused"
expect_err "sector boundaries" "the refusal names the page boundaries"
finish
