#!/bin/sh
# `stmrescue read` on virtual boards, cross-checked with st-flash (stlink-tools) through the drop-in.
. "$(dirname "$0")/lib.sh"
command -v st-flash >/dev/null || { echo "FAIL - st-flash is not installed (Debian stlink-tools; ./setup --deps)"; exit 1; }

"$SR" sim new stm32f446 "$tmp/b.ini" >/dev/null
head -c 20000 /dev/urandom >"$tmp/img.bin"
LD_PRELOAD="$(client_preload)" ASAN_OPTIONS=detect_leaks=0 \
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

# DIAGNOSES A3 on the H753: D2 SRAM1 (0x30000000) faults until RCC_AHB2ENR SRAM1EN is
# set (RM0433 8.7.42); AXI SRAM (0x24000000) answers
"$SR" sim new h753-d2-sram-gated "$tmp/h7.ini" >/dev/null
run --probe "sim:$tmp/h7.ini" read 0x30000000 16 "$tmp/x.bin"
expect_rc 1 "D2 SRAM1 not clocked: the read faults"
expect_err "in SRAM1, which answers only while its clock enable (bit 29 of 0x580244DC) is set; that bit is 0" "the unclocked RAM and its enable bit are named"
run --probe "sim:$tmp/h7.ini" read 0x24000000 16 "$tmp/x.bin"
expect_rc 0 "AXI SRAM answers"
finish
