#!/bin/sh
# `stmrescue read` on virtual boards, cross-checked with st-flash (stlink-tools) through the drop-in.
. "$(dirname "$0")/lib.sh"
command -v st-flash >/dev/null || { echo "FAIL - st-flash is not installed (Debian stlink-tools; ./setup --deps)"; exit 1; }

"$SR" sim new stm32f446 "$tmp/b.ini" >/dev/null
head -c 20000 /dev/urandom >"$tmp/img.bin"
"$SR" sim run "$tmp/b.ini" -- st-flash write "$tmp/img.bin" 0x08000000 >"$tmp/stflash.log" 2>&1 ||
	bad "st-flash write through the drop-in: $(tail -2 "$tmp/stflash.log")"
run --probe "sim:$tmp/b.ini" read 0x08000000 20000 "$tmp/back.bin"
expect_rc 0 "read 20000 bytes of flash"
cmp -s "$tmp/img.bin" "$tmp/back.bin" && ok "what st-flash wrote, stmrescue reads back identically" || bad "read-back differs from st-flash's image"
run --probe "sim:$tmp/b.ini" read 0x08000001 7 "$tmp/odd.bin"
expect_rc 0 "unaligned read"
dd if="$tmp/img.bin" bs=1 skip=1 count=7 2>/dev/null | cmp -s - "$tmp/odd.bin" && ok "unaligned bytes right" || bad "unaligned read wrong"

"$SR" sim new f446-rdp1 "$tmp/r1.ini" >/dev/null
run --probe "sim:$tmp/r1.ini" read 0x08000000 64 "$tmp/x.bin"
expect_rc 1 "flash read under RDP level 1 fails"
expect_err "read-protected (RDP level 1" "RDP level 1 named as the reason"
run --probe "sim:$tmp/r1.ini" --json read 0x20000000 64 "$tmp/x.bin"
expect_json "d['len']==64 and d['addr']=='0x20000000'" "SRAM is readable under RDP 1"
run --probe "sim:$tmp/b.ini" read 0x60000000 16 "$tmp/x.bin"
expect_rc 1 "unmapped read fails"
expect_err "nothing answers there" "unmapped address explained"
run --probe "sim:$tmp/b.ini" read 0x08000000 "$tmp/x.bin"
expect_rc 2 "read without a length"
finish
