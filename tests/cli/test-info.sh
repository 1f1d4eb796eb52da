#!/bin/sh
# `stmrescue info` on virtual boards: the sim transport (--probe sim:FILE) for each
# shipped scenario and probe persona, and the same through the libusb drop-in.
. "$(dirname "$0")/lib.sh"

board() { # board CHIP|SCENARIO NAME: make $tmp/NAME.ini
	"$SR" sim new "$1" "$tmp/$2.ini" >/dev/null 2>&1 || bad "sim new $1"
}

board stm32f446 fresh
run --probe "sim:$tmp/fresh.ini" info
expect_rc 0 "info on a factory-fresh F446"
expect_out "^Chip  *STM32F446 (device 0x421, revision A 0x1000), Cortex-M4 r0p1" "chip, revision and core"
expect_out "DP IDCODE 0x2BA01477, CPUID 0x410FC241, DBGMCU_IDCODE 0x10000421 at 0xE0042000" "IDs"
expect_out "^Flash  *512 KiB (flash size register) at 0x08000000, 1 bank, 8 sectors" "flash size and layout"
expect_out "^RDP  *level 0" "RDP level 0"
expect_out "Nothing differs from the factory defaults" "factory option bytes"
expect_out "^Connect  *normal  *ok" "normal connect"

run --probe "sim:$tmp/fresh.ini" --json info
expect_json "d['ok'] and d['chip']['dev_id']=='0x421' and d['chip']['name']=='STM32F446' and d['chip']['flash_kib']==512" "info --json: chip"
expect_json "d['chip']['cpuid']=='0x410FC241' and d['chip']['dp_idcode']=='0x2BA01477' and len(d['chip']['uid'])==24" "info --json: IDs and UID"
expect_json "[r['name'] for r in d['chip']['ram']]==['SRAM1','SRAM2'] and d['chip']['flash']['sectors']==8" "info --json: RAM regions and sectors"
expect_json "d['rdp']['level']=='level 0' and d['option_bytes']['differs']==[] and d['connect']['mode']=='normal'" "info --json: RDP, option bytes, connect mode"
cp "$tmp/out" "$tmp/direct.json"

# The same through the libusb drop-in: stmrescue's real USB code, the same answers.
serial=$(python3 -c "import json; print(json.load(open('$tmp/direct.json'))['probe']['serial'])")
run sim run "$tmp/fresh.ini" -- "$SR" --probe "$serial" --json info
expect_rc 0 "info through the drop-in"
python3 - "$tmp/direct.json" "$tmp/out" <<'PY' && ok "drop-in and sim transport give the same chip, IDs, RDP and option bytes" || bad "drop-in differs from sim transport"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
keys = lambda d: (d['chip'], d['rdp'], d['option_bytes'], d['flash_sr'], d['probe']['firmware'])
sys.exit(0 if keys(a) == keys(b) else 1)
PY

# Every virtual chip, through both transports: the same chip, IDs, sizes, RDP and option bytes.
for spec in stm32f446:0x421:512 stm32f103:0x410:128 stm32f746:0x449:1024 stm32h753:0x450:2048 \
	stm32l476:0x415:1024 stm32g431:0x468:128 stm32g474:0x469:512; do
	chip=${spec%%:*} rest=${spec#*:}
	id=${rest%%:*} kib=${rest#*:}
	board "$chip" "all-$chip"
	run --probe "sim:$tmp/all-$chip.ini" --json info
	expect_json "d['ok'] and d['chip']['dev_id']=='$id' and d['chip']['flash_kib']==$kib and d['rdp']['level']=='level 0' and d['option_bytes']['differs']==[]" "$chip: identified, $kib KiB, RDP 0, factory option bytes"
	cp "$tmp/out" "$tmp/direct-$chip.json"
	run sim run "$tmp/all-$chip.ini" -- "$SR" --probe "$serial" --json info
	python3 - "$tmp/direct-$chip.json" "$tmp/out" <<'PY' && ok "$chip: the drop-in gives what the sim transport gives" || bad "$chip: drop-in differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
keys = lambda d: (d['chip'], d['rdp'], d['option_bytes'], d['flash_sr'])
sys.exit(0 if keys(a) == keys(b) else 1)
PY
done

# Scenarios (scenarios/*.ini): what info must say for each.
board f446-rdp1 rdp1
run --probe "sim:$tmp/rdp1.ini" --json info
expect_json "d['rdp']['level']=='level 1' and 'RDP' in d['option_bytes']['differs']" "RDP 1 reported, RDP differs from factory"

board f446-wrp wrp
run --probe "sim:$tmp/wrp.ini" info
expect_out "nWRP .*sectors 0, 1 write-protected" "WRP sectors named"

board f446-hw-watchdog wdg
run --probe "sim:$tmp/wdg.ini" info
expect_out "WDG_SW .*hardware.*differs from factory" "hardware watchdog flagged"

board f446-sticky-flags sticky
run --probe "sim:$tmp/sticky.ini" info
expect_out "^FLASH_SR  *0x000000C0 PGPERR PGSERR" "sticky FLASH_SR bits named"
expect_out "^FLASH_CR  *0x80000001 PG LOCK" "PG left set named"

board f446-no-power nopower
run --probe "sim:$tmp/nopower.ini" info
expect_rc 5 "no target power"
expect_err "the target is not powered: the probe measures 0.00 V" "no power said plainly"

board f446-rdp2 rdp2
run --probe "sim:$tmp/rdp2.ini" --json info
expect_rc 5 "RDP 2: no connection"
expect_json "not d['ok'] and len(d['connect']['attempts'])==3 and any('RDP level 2' in w for w in d['why'])" "RDP 2: three attempts, RDP 2 named as the likely cause"

board f446-nrst-not-wired nrst
run --probe "sim:$tmp/nrst.ini" info
expect_rc 5 "NRST not wired, SWD disabled: no connection"
expect_err "NRST circuit (not wired to the probe" "NRST circuit suspected"
board stm32f446 nrst2
python3 - "$tmp/nrst2.ini" <<'PY'
import sys
p = sys.argv[1]
text = open(p).read()
open(p, 'w').write(text.replace('nrst_wired = true', 'nrst_wired = false'))
PY
run --probe "sim:$tmp/nrst2.ini" --connect under-reset info
expect_out "NRST does not reach the chip" "under-reset notices NRST has no effect"

for sc in swd-disabled sleeping; do
	board "f446-$sc" "$sc"
	run --probe "sim:$tmp/$sc.ini" --connect normal info
	expect_rc 5 "$sc: normal connect fails"
	run --probe "sim:$tmp/$sc.ini" --json info
	expect_json "d['ok'] and d['connect']['mode']=='under-reset' and d['connect']['attempts'][0]['mode']=='normal' and not d['connect']['attempts'][0]['ok']" "$sc: auto connects under reset after normal failed"
done
expect_json "'sleeps' in d['connect']['implies']" "sleeping core: says the core sleeps"

for sc in stale-probe stale-v3; do
	board "f446-$sc" "$sc"
	run --probe "sim:$tmp/$sc.ini" --json info
	expect_json "d['ok'] and d['probe']['found_mode']=='debug'" "$sc: probe left in debug mode recovered"
done
expect_json "d['probe']['type'].startswith('STLINK-V3')" "the V3 persona"

board f746-changed-option-bytes f7
run --probe "sim:$tmp/f7.ini" --json info
expect_json "d['chip']['dev_id']=='0x449' and d['chip']['cpuid']=='0x410FC271' and d['chip']['flash_kib']==1024" "F746: chip, Cortex-M7, 1 MiB"
expect_json "set(d['option_bytes']['differs'])=={'BOOT_ADD0','nWRP','IWDG_SW','WWDG_SW'}" "F746 scenario: every changed option byte flagged"
expect_json "[f['meaning'] for f in d['option_bytes']['fields'] if f['name']=='BOOT_ADD0'][0].startswith('0x20010000')" "F746 scenario: boot address decoded"

board stm32f103 f1
run --probe "sim:$tmp/f1.ini" --json info
expect_json "d['chip']['dev_id']=='0x410' and d['chip']['core'].startswith('Cortex-M3') and d['chip']['flash_kib']==128 and d['rdp']['level']=='level 0'" "F103: chip, Cortex-M3, 128 KiB, RDP 0"

board stm32h753 h7
run --probe "sim:$tmp/h7.ini" --json info
expect_json "d['chip']['dev_id']=='0x450' and d['chip']['idcode_addr']=='0x5C001000' and d['chip']['flash_kib']==2048 and d['chip']['flash']['banks']==2" "H753: DBGMCU_IDCODE at 0x5C001000, 2 MiB in two banks"
expect_json "d['chip']['cpuid']=='0x411FC271' and d['rdp']['level']=='level 0' and d['option_bytes']['differs']==[]" "H753: Cortex-M7 r1p1, factory option bytes"

# The L4-class chips: fresh boards, then their scenarios.
for spec in "stm32l476 0x415 1024 2 512 SRAM1,SRAM2 0x0C000600" \
	"stm32g431 0x468 128 1 64 SRAM1,SRAM2,CCM 0x0C000000" \
	"stm32g474 0x469 512 2 256 SRAM1,SRAM2,CCM 0x0C000000"; do
	set -- $spec
	board "$1" "$1"
	run --probe "sim:$tmp/$1.ini" --json info
	expect_json "d['ok'] and d['chip']['dev_id']=='$2' and d['chip']['flash_kib']==$3 and d['chip']['dp_idcode']=='0x2BA01477'" "$1: chip, flash size, DP IDCODE"
	expect_json "d['chip']['flash']['banks']==$4 and d['chip']['flash']['sectors']==$5 and ','.join(r['name'] for r in d['chip']['ram'])=='$6'" "$1: banks, pages, RAM regions"
	expect_json "d['reset_flags']['value']=='$7' and d['option_bytes']['differs']==[]" "$1: RCC_CSR after power-on, factory option bytes"
done

board l476-unaligned-image l476a1
run --probe "sim:$tmp/l476a1.ini" --json info
expect_json "d['ok'] and d['chip']['dev_id']=='0x415' and d['rdp']['level']=='level 0' and d['option_bytes']['differs']==[]" "L476 A1 scenario: a healthy factory board (the trouble is the image)"

board g431-erase-page32 g431a5
run --probe "sim:$tmp/g431a5.ini" read 0x0800F800 0x1800 "$tmp/p31-33.bin"
expect_rc 0 "G431 A5 scenario: pages 31-33 readable"
python3 - "$tmp/p31-33.bin" <<'PY' && ok "G431 A5 scenario: page 32 holds its address pattern, pages 31 and 33 are erased" || bad "G431 A5 scenario: flash contents"
import struct, sys
d = open(sys.argv[1], 'rb').read()
words = struct.unpack('<512I', d[2048:4096])
sys.exit(0 if len(d) == 6144 and d[:2048] == d[4096:] == b'\xff' * 2048 and
         words == tuple(0x08010000 + 4 * i for i in range(512)) else 1)
PY

board g474-single-bank g474db
run --probe "sim:$tmp/g474db.ini" --json info
expect_json "d['chip']['flash']['banks']==1 and d['chip']['flash']['sectors']==128 and d['option_bytes']['differs']==['DBANK']" "G474 single-bank scenario: one bank of 128 pages, DBANK differs from factory"

board f446-old-probe-firmware oldfw
run --probe "sim:$tmp/oldfw.ini" info
expect_rc 0 "old probe firmware still connects"
expect_out "V2J21S4" "old firmware version shown"
expect_out "firmware V2J21S4 is old" "old firmware named with what it lacks"

board f446-stale-v3 v3list
run --probe "sim:$tmp/v3list.ini" --json list
expect_json "d['probes'][0]['type'].startswith('STLINK-V3') and d['probes'][0]['mode']=='debug' and d['probes'][0]['target_mv']>3000" "list --probe sim: shows the virtual probe, in the debug mode it was left in"

# list and info on every shipped scenario: list always finds the probe; info either
# connects or ends with exit 5 and a reason.
"$SR" --json sim list >"$tmp/scenarios.json"
for sc in $(python3 -c "import json; print(' '.join(s['name'] for s in json.load(open('$tmp/scenarios.json'))['scenarios']))"); do
	board "$sc" "sc-$sc"
	run --probe "sim:$tmp/sc-$sc.ini" --json list
	expect_json "len(d['probes'])==1 and d['probes'][0]['firmware'] and d['probes'][0]['error'] is None" "list on scenario $sc"
	run --probe "sim:$tmp/sc-$sc.ini" --json info
	expect_json "(d['ok'] and d['chip']['dev_id']) or (not d['ok'] and d['why'] and d['connect']['implies'])" "info on scenario $sc: identified, or a stated reason"
done

run --probe "sim:$tmp/none.ini" info
expect_rc 4 "a missing board is a probe error"
expect_err "sim new" "missing board: says how to make one"
run --probe "sim:$tmp/fresh.ini" --connect sideways info
expect_rc 2 "bad --connect"
finish
