#!/bin/sh
# RDP 1 -> 0 on all seven virtual chips through the commands (DIAGNOSES C10; issue 5 done-when):
# a programmed board goes to level 1 (flash reads fault), then `rdp 0 --yes` erases the
# flash, leaves a backup of the option bytes, and `info` shows level 0.
. "$(dirname "$0")/../cli/lib.sh"
export XDG_STATE_HOME="$tmp/state"
python3 - "$tmp/img.bin" <<'PY'
import os, struct, sys
d = bytearray(os.urandom(4096))
d[0:8] = struct.pack("<II", 0x20001000, 0x08000201)
open(sys.argv[1], "wb").write(d)
PY
for chip in stm32f446 stm32f746 stm32f103 stm32l476 stm32g431 stm32g474 stm32h753; do
	b="$tmp/$chip.ini"
	"$SR" sim new $chip "$b" >/dev/null
	run --probe "sim:$b" program "$tmp/img.bin" --base 0x08000000 --no-backup
	expect_rc 0 "$chip: programmed"
	run --probe "sim:$b" rdp 1
	expect_rc 0 "$chip: rdp 1"
	run --probe "sim:$b" read 0x08000000 16 "$tmp/x.bin"
	expect_err "read-protected (RDP level 1" "$chip: flash reads fault at level 1"
	run --probe "sim:$b" rdp 0
	expect_rc 7 "$chip: rdp 0 without --yes refused"
	rm -rf "$tmp/state"
	run --probe "sim:$b" --yes rdp 0
	expect_rc 0 "$chip: rdp 0 --yes"
	ls "$tmp"/state/stmrescue/*.json >/dev/null 2>&1 && ok "$chip: a backup was left" ||
		bad "$chip: no backup in \$XDG_STATE_HOME/stmrescue"
	python3 -c "import glob,json,sys; d=json.load(open(glob.glob('$tmp/state/stmrescue/*.json')[0])); sys.exit(0 if d['option_bytes'] else 1)" &&
		ok "$chip: the backup holds the option bytes" || bad "$chip: the backup lacks the option bytes"
	run --probe "sim:$b" read 0x08000000 4096 "$tmp/x.bin"
	expect_rc 0 "$chip: flash readable at level 0"
	python3 -c "import sys; sys.exit(0 if open('$tmp/x.bin','rb').read() == b'\xff' * 4096 else 1)" &&
		ok "$chip: the regression erased the flash" || bad "$chip: flash not erased by the regression"
	run --probe "sim:$b" --json info
	expect_json "d['rdp']['level']=='level 0'" "$chip: info shows RDP level 0"
done
finish
