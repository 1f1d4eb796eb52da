#!/bin/sh
# `stmrescue sim`: virtual boards, and stmrescue itself reaching one through the libusb drop-in.
. "$(dirname "$0")/lib.sh"

run sim list
expect_rc 0 "sim list"
expect_out "^stm32f446 *STM32F446" "the F446 virtual chip is listed"

run sim new stm32f999 "$tmp/x.ini"
expect_rc 2 "sim new with an unknown chip"
expect_err "neither a virtual chip nor a scenario" "unknown chip explained"

run sim new stm32f446 "$tmp/b.ini"
expect_rc 0 "sim new"
[ -f "$tmp/b.ini" ] && [ -f "$tmp/b.ini.mem" ] && ok "state and memory files written" || bad "sim new wrote no files"

run sim show "$tmp/b.ini"
expect_rc 0 "sim show"
expect_out "STM32F446, target 3300 mV, NRST wired" "sim show summarises the board"
expect_no_out "not factory" "a fresh board has factory option bytes"

run --json sim show "$tmp/b.ini"
expect_json "d['chip']=='stm32f446' and d['option_bytes']['differs_from_factory']==[]" "sim show --json"

run sim show "$tmp/nothing.ini"
expect_rc 1 "sim show on a missing file"
run sim run "$tmp/nothing.ini" -- true
expect_rc 2 "sim run on a missing board"
expect_err "stmrescue sim new" "missing board: says how to make one"
run sim run "$tmp/b.ini" true
expect_rc 2 "sim run without --"

# stmrescue's own USB code sees the virtual ST-Link (V2-1 by default).
run sim run "$tmp/b.ini" -- "$SR" list
expect_rc 0 "list through the drop-in"
expect_out "ST-Link/V2-1   0x374B  066DFF485550755187121832" "the virtual V2-1 is listed with its serial"
expect_out "V2J37M26" "firmware version read over USB"
expect_out "3\.[23][0-9] V" "target voltage measured"

run sim run "$tmp/b.ini" -- "$SR" --json list
expect_json "d['probes'][0]['firmware']=='V2J37M26' and 3200 <= d['probes'][0]['target_mv'] <= 3400" "list --json through the drop-in"

# Other personas, set in the board's [probe] section.
persona() {
	python3 - "$tmp/b.ini" "$1" "$2" <<'PY'
import sys
path, pid, fw = sys.argv[1:]
lines = [l for l in open(path) if not l.startswith(("pid", "firmware"))]
out = []
for l in lines:
    out.append(l)
    if l.strip() == "[probe]":
        out += [f"pid = {pid}\n", f"firmware = {fw}\n"]
if "[probe]\n" not in lines:
    out += ["[probe]\n", f"pid = {pid}\n", f"firmware = {fw}\n"]
open(path, "w").writelines(out)
PY
}
persona 0x3748 V2J21S4
run sim run "$tmp/b.ini" -- "$SR" list
expect_out "ST-Link/V2 .*0x3748.*V2J21S4" "V2 persona with old firmware"
persona 0x374e V3J7M3B2
run sim run "$tmp/b.ini" -- "$SR" list
expect_out "STLINK-V3E .*0x374E.*V3J7M3B" "V3E persona"
persona 0x374b V2J12M1
run sim run "$tmp/b.ini" -- "$SR" --json list
expect_json "d['probes'][0]['target_mv'] is None" "no voltage from firmware older than J13"
finish
