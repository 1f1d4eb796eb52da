#!/bin/sh
# `stmrescue ob decode`: factory defaults of every family decode with nothing differing,
# and changed values are flagged with their meaning.
. "$(dirname "$0")/lib.sh"

run ob decode stm32f4 OPTCR=0x0FFFAAED
expect_rc 0 "F4 factory OPTCR decodes"
expect_out "RDP .*level 0" "F4: RDP level 0"
expect_out "no sector write-protected" "F4: no write protection"
expect_out "WDG_SW .*software" "F4: software watchdog"
expect_out "BOR_LEV .*off" "F4: BOR off"
expect_out "Nothing differs from the factory defaults" "F4: nothing differs"

run ob decode stm32f4 OPTCR=0x0FFFBBED
expect_rc 0 "F4 RDP 0xBB decodes"
expect_out "RDP .*level 1.*differs from factory default" "F4: RDP 0xBB flagged as level 1"
expect_out "restoring the factory value: erases-flash" "F4: going back to level 0 erases flash"
expect_out "1 field differs" "F4: one field differs"

run ob decode stm32f446 OPTCR=0x0FF7AAED
expect_out "sector 3 write-protected" "F446: cleared nWRP bit 3 names sector 3"
expect_out "nWRP .*differs" "F446: nWRP flagged"

run --json ob decode 0x421 OPTCR=0x0FFFAAED
expect_rc 0 "JSON decode"
expect_json "d['differs'] == [] and d['device'] == '0x421'" "JSON: nothing differs"
expect_json "[f for f in d['fields'] if f['name']=='RDP'][0]['meaning'].startswith('level 0')" "JSON: RDP meaning"

run ob decode stm32f4 OPTCR=0x0FFFAAED --json
expect_json "len(d['fields']) >= 7" "--json after the arguments works too"

# Every family present: the factory value of every register decodes with nothing differing.
for fam in $(python3 - "$STMRESCUE_DATADIR" <<'PY'
import configparser, glob, os, sys
for p in sorted(glob.glob(os.path.join(sys.argv[1], "optbytes", "*.ini"))):
    print(os.path.basename(p)[:-4])
PY
); do
	args=$(python3 - "$STMRESCUE_DATADIR/optbytes/$fam.ini" <<'PY'
import re, sys
sec = None; out = []
for line in open(sys.argv[1]):
    line = line.split(';')[0].split('#')[0].strip()
    m = re.match(r'\[register (\S+)\]', line)
    if m: sec = m.group(1); continue
    if line.startswith('['): sec = None; continue
    m = re.match(r'default\s*=\s*(\S+)', line)
    if sec and m: out.append(f"{sec}={m.group(1)}")
print(" ".join(out))
PY
)
	run ob decode "$fam" $args
	expect_rc 0 "$fam: factory registers decode ($args)"
	expect_out "Nothing differs from the factory defaults" "$fam: nothing differs"
	expect_out "RDP[A-Z]* .*level 0" "$fam: RDP level 0 at factory"
done

run ob decode stm32l476 OPTR=0xFFEFF8BB
expect_out "RDP .*level 1.*differs" "L476: RDP 0xBB flagged"
run ob decode stm32l476 WRP1AR=0xFF030000
expect_out "area WRP1A: 0x08000000-0x08001FFF write-protected" "L476: WRP area A pages 0-3 decoded"
run ob decode stm32f746 OPTCR1=0x00400100
expect_out "BOOT_ADD0 .*0x00400000.*differs" "F746: a moved BOOT_ADD0 is flagged with its address"
expect_out "factory default 0x80: 0x00200000" "F746: factory boot address named"
run ob decode stm32f4 OPTCR=0x0FFFAAED OPTCR=0x0FFFCCED
expect_out "level 2" "the last assignment wins"
expect_out "restoring the factory value: erases-flash" "level 2 back to 0 listed with its danger"
finish
