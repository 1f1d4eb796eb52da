#!/bin/sh
# `stmrescue ob show|set|restore-defaults` and `rdp` on virtual boards: the F746 with
# changed option bytes restored to factory defaults boots from BOOT_ADD0's address again
# (DIAGNOSES.md A4); RDP 1 -> 0 on the F446 erases the flash and leaves a backup of the
# option bytes (C10); RDP 2 and erasing changes refused without their flags (C11, F);
# bad values refused before anything is written; WDG_SW read back (D18). Cross-check:
# openocd 0.12 (stm32f2x options_read, flash info, reg pc) through the drop-in reads what
# stmrescue wrote.
. "$(dirname "$0")/../cli/lib.sh"
command -v openocd >/dev/null || { echo "FAIL - openocd is not installed (Debian openocd; ./setup --deps)"; exit 1; }
export XDG_STATE_HOME="$tmp/state"
backups="$XDG_STATE_HOME/stmrescue"

# openocd STATE CFG CMD...: openocd through the drop-in; output in $tmp/ocd
openocd_run() {
	state=$1 cfg=$2
	shift 2
	LD_PRELOAD="$(client_preload)" ASAN_OPTIONS=detect_leaks=0 "$SR" sim run "$state" -- \
		openocd -f interface/stlink.cfg -f target/$cfg.cfg \
		-c "gdb_port disabled; tcl_port disabled; telnet_port disabled" -c init "$@" \
		-c exit >"$tmp/ocd" 2>&1
}
optcr_of() { sed -n "s/^$2 = //p" "$1" | head -1; }
n_backups() { ls "$backups" 2>/dev/null | wc -l; }

# ---- F746, option bytes changed (DIAGNOSES.md A4): show, restore, boots again ----
f7="$tmp/f7.ini"
"$SR" sim new f746-changed-option-bytes "$f7" >/dev/null
run --probe "sim:$f7" ob show
expect_rc 0 "ob show on the changed F746"
expect_out "BOOT_ADD0 .*0x20010000.*differs from factory default" "BOOT_ADD0 in SRAM1 flagged"
expect_out "BOOT0 low : 0x20010000 (BOOT_ADD0 = 0x8004): RAM (SRAM1)" "effective boot address: SRAM1"
expect_out "sector 1 of bank 1, 0x08008000-0x0800FFFF: write-protected" "sector 1 named write-protected"
run --probe "sim:$f7" --json ob show
expect_json "d['boot']['effective'] == '0x20010000' and not d['boot']['vector_table']['ok']" "JSON: boots from SRAM1, no bootable vector table there"
expect_json "sorted(d['option_bytes']['differs']) == ['BOOT_ADD0', 'IWDG_SW', 'WWDG_SW', 'nWRP']" "JSON: the four changed fields"
expect_json "[w['sector'] for w in d['write_protected']] == [1]" "JSON: sector 1 write-protected"

run --probe "sim:$f7" --json ob restore-defaults
expect_rc 0 "ob restore-defaults on the F746"
expect_json "sorted(c['field'] for c in d['changes']) == ['BOOT_ADD0', 'IWDG_SW', 'WWDG_SW', 'nWRP']" "the four fields restored"
expect_json "all(r['ok'] for r in d['read_back'])" "every restored field read back"
expect_json "d['boot']['effective'] == '0x00200000' and d['boot']['vector_table']['ok']" "boots from BOOT_ADD0 = 0x0080 (flash on ITCM at 0x00200000) with a bootable vector table"
expect_json "d['pc_after_reset'] == '0x%08X' % (int(d['boot']['vector_table']['pc'], 16) & ~1) and 0x08000000 <= int(d['pc_after_reset'], 16) < 0x08100000" "after the reset PC is the reset handler of the vector table at 0x00200000, in flash"
[ "$(optcr_of "$f7" optcr1)" = "0x00400080" ] && ok "state file: OPTCR1 0x00400080 (factory)" || bad "state file OPTCR1 $(optcr_of "$f7" optcr1)"
run --probe "sim:$f7" --json ob show
expect_json "d['option_bytes']['differs'] == [] and d['write_protected'] == []" "nothing differs from factory any more"
run --probe "sim:$f7" ob restore-defaults
expect_out "Nothing to change" "a second restore has nothing to do"
# independent: openocd resets the board and finds PC at the firmware's reset handler, and
# reads BOOT_ADD0/1 as stmrescue left them
openocd_run "$f7" stm32f7x -c "reset halt" -c "reg pc" -c 'echo [stm32f2x options_read 0]'
grep -q "pc (/32): 0x080001c0" "$tmp/ocd" && ok "openocd: after reset halt PC = 0x080001c0 (reset handler at the 0x00200000 vector table)" ||
	bad "openocd reset halt: $(grep -i 'pc\|error' "$tmp/ocd" | head -3)"
grep -q "boot_add0 0x0080, boot_add1 0x0040" "$tmp/ocd" && ok "openocd options_read: boot_add0 0x0080, boot_add1 0x0040" ||
	bad "openocd options_read: $(grep -i 'boot_add\|error' "$tmp/ocd" | head -3)"

# ---- F446 at RDP 1 (DIAGNOSES.md C10): the regression erases and leaves a backup ----
r1="$tmp/r1.ini"
"$SR" sim new f446-rdp1 "$r1" >/dev/null
before=$(optcr_of "$r1" optcr)
n0=$(n_backups)
run --probe "sim:$r1" rdp 0
expect_rc 7 "rdp 0 without --yes refused"
expect_err "erases all flash; nothing was written. Add --yes" "refusal names the erase and --yes"
[ "$(optcr_of "$r1" optcr)" = "$before" ] && ok "refused: OPTCR unchanged ($before)" || bad "OPTCR changed to $(optcr_of "$r1" optcr)"
run --probe "sim:$r1" ob restore-defaults
expect_rc 7 "restore-defaults from RDP 1 needs --yes too"
[ "$(n_backups)" -eq "$n0" ] && ok "no backup and no write when refused" || bad "$(n_backups) backup files after refusals"
run --probe "sim:$r1" --json rdp 0 --yes
expect_rc 0 "rdp 0 --yes"
expect_json "d['read_back'][0]['field'] == 'RDP' and d['read_back'][0]['meaning'].startswith('level 0') and d['read_back'][0]['ok']" "RDP read back: level 0"
bk=$(ls "$backups"/*-rdp0.json 2>/dev/null | head -1)
[ -n "$bk" ] && ok "backup written: $(basename "$bk")" || bad "no *-rdp0.json backup in $backups"
python3 -c "import json,sys; d=json.load(open('$bk')); sys.exit(0 if int(d['option_bytes']['OPTCR'], 16) & ~3 == $before & ~3 and not d['flash']['saved'] else 1)" 2>/dev/null &&
	ok "the backup holds OPTCR $before (OPTLOCK aside); the read-protected flash is noted as not saved" || bad "backup content: $(cat "$bk")"
run --probe "sim:$r1" --json info
expect_json "d['rdp']['level'] == 'level 0'" "info shows RDP level 0 after"
run --probe "sim:$r1" read 0x08000000 0x80000 "$tmp/flash.bin"
expect_rc 0 "the whole flash reads again"
[ "$(tr -d '\377' <"$tmp/flash.bin" | wc -c)" -eq 0 ] && ok "all 512 KiB read 0xFF: the regression erased the flash" || bad "flash not erased"
run --probe "sim:$r1" rdp 0
expect_out "Nothing to change" "rdp 0 at level 0 does nothing"
run --probe "sim:$r1" rdp 1
expect_rc 0 "rdp 1 (no flag needed: level 1 is undone by rdp 0)"
expect_out "RDP .*level 1.*OK" "RDP read back: level 1"
run --probe "sim:$r1" read 0x08000000 4 "$tmp/x.bin"
expect_rc 1 "the flash is read-protected again"
run --probe "sim:$r1" rdp 1
expect_out "Nothing to change" "rdp 1 at level 1 keeps the RDP byte as it is"

# ---- RDP 2 (DIAGNOSES.md C11): refused without the flag naming the consequence ----
r2="$tmp/r2.ini"
"$SR" sim new stm32f446 "$r2" >/dev/null
before=$(optcr_of "$r2" optcr)
n0=$(n_backups)
run --probe "sim:$r2" rdp 2
expect_rc 7 "rdp 2 refused"
expect_err "cannot be undone; nothing was written. Add --i-accept-permanent-lockout" "refusal names --i-accept-permanent-lockout"
run --probe "sim:$r2" --yes ob set RDP=0xCC
expect_rc 7 "ob set RDP=0xCC refused too, --yes is not enough"
run --probe "sim:$r2" --json rdp 2 --i-accept-debug-lockout
expect_rc 7 "one of the two consequences accepted is not enough"
expect_json "d['written'] == False and d['refused'][0]['needs'] == '--i-accept-permanent-lockout'" "JSON refusal names the flag"
[ "$(optcr_of "$r2" optcr)" = "$before" ] && [ "$(n_backups)" -eq "$n0" ] && ok "nothing written, no backup: OPTCR $before" || bad "OPTCR now $(optcr_of "$r2" optcr)"
run --probe "sim:$r2" rdp 2 --i-accept-permanent-lockout
expect_rc 0 "rdp 2 with --i-accept-permanent-lockout"
expect_out "no longer answers on SWD" "the closed debug port reported"
run --probe "sim:$r2" info
expect_rc 5 "the chip at RDP 2 never answers again"

# ---- bad input refused before anything is written ----
w="$tmp/w.ini"
"$SR" sim new f446-hw-watchdog "$w" >/dev/null
before=$(optcr_of "$w" optcr)
n0=$(n_backups)
run --probe "sim:$w" ob set NOPE=1
expect_rc 2 "unknown field"
expect_err "no option-byte field 'NOPE'" "unknown field named"
expect_err "the fields of the STM32F446 are: BOR_LEV WDG_SW" "the fields listed"
run --probe "sim:$w" ob set WDG_SW=software BOR_LEV=7
expect_rc 2 "one bad value among good ones"
expect_err "BOR_LEV: '7' is not one of its choices" "bad value explained with the choices"
expect_err "nothing was written" "nothing written said"
run --probe "sim:$w" ob set BOOT_ADD0=0x0080
expect_rc 2 "an F7 field on the F446"
run --probe "sim:$w" ob set WDG_SW
expect_rc 2 "FIELD without =VALUE"
run --probe "sim:$w" ob set --frobnicate WDG_SW=software
expect_rc 2 "unknown flag"
[ "$(optcr_of "$w" optcr)" = "$before" ] && [ "$(n_backups)" -eq "$n0" ] && ok "nothing written, no backup: OPTCR $before" || bad "OPTCR now $(optcr_of "$w" optcr)"

# ---- WDG_SW = software on f446-hw-watchdog (DIAGNOSES.md D18), read back ----
run --probe "sim:$w" ob set WDG_SW=software
expect_rc 0 "ob set WDG_SW=software"
expect_out "WDG_SW .*software.*OK" "WDG_SW read back: software"
run --probe "sim:$w" --json ob set nWRP=2,3 BOR_LEV="level 2"
expect_rc 0 "ob set nWRP=2,3 BOR_LEV=level 2"
expect_json "all(r['ok'] for r in d['read_back']) and len(d['read_back']) == 2" "both read back"
run --probe "sim:$w" --json ob show
expect_json "[x['sector'] for x in d['write_protected']] == [2, 3]" "ob show: sectors 2 and 3 write-protected"
optcr=$(python3 -c "import json; d=json.load(open('$tmp/out')); print([r['value'] for r in d['option_bytes']['registers'] if r['name']=='OPTCR'][0])")
user=$(printf '0x%02X' $((optcr & 0xEC)))
openocd_run "$w" stm32f4x -c 'echo [stm32f2x options_read 0]' -c "flash info 0"
grep -qi "user_options $user\$" "$tmp/ocd" && ok "openocd options_read: user_options $user (OPTCR $optcr: BOR level 2, software watchdog)" ||
	bad "openocd options_read, wanted user_options $user: $(grep -i 'user_options\|error' "$tmp/ocd" | head -3)"
prot=$(grep -c "[^t] protected" "$tmp/ocd")
grep -q "#  2: .* protected" "$tmp/ocd" && grep -q "#  3: .* protected" "$tmp/ocd" && [ "$prot" -eq 2 ] &&
	ok "openocd flash info: exactly sectors 2 and 3 protected" || bad "openocd flash info: $(grep protected "$tmp/ocd" | head -8)"

# ---- PCROP mode (SPRMOD = 1, RM0390 3.6.5): nWRP bits are active high ----
# OPTCR 0x8020AAEC: SPRMOD = 1, nWRP = 0x020: PCROP on sector 5 only; the other
# sectors are free, although their nWRP bits are 0.
c="$tmp/pcrop.ini"
"$SR" sim new stm32f446 "$c" >/dev/null
sed -i -e 's/^optcr = 0x0FFFAAEC$/optcr = 0x8020AAEC/' -e 's/^optcr = 0x0FFFAAED$/optcr = 0x8020AAED/' "$c"
run --probe "sim:$c" --json ob show
expect_json "[x['sector'] for x in d['write_protected']] == [5]" "PCROP mode: only sector 5 locked"
run --probe "sim:$c" ob show
expect_out "nWRP .*0xF20 *sector 5 PCROP-protected" "nWRP described as PCROP of sector 5 (the F446 has no sectors 8-11)"
head -c 4096 /dev/urandom >"$tmp/s2.bin"
run --probe "sim:$c" program "$tmp/s2.bin" --base 0x08008000 --no-backup
expect_rc 0 "sector 2 (nWRP bit 0, no PCROP) programs"
head -c 4096 /dev/urandom >"$tmp/s5.bin"
run --probe "sim:$c" program "$tmp/s5.bin" --base 0x08020000 --no-backup
expect_rc 1 "sector 5 (PCROP) refused"
expect_err "sector 5 .* is PCROP-protected (execute-only code) .*stmrescue rdp 1, then rdp 0" "the pre-flight names PCROP and how it goes"

# ---- the boot source the option bits force (DIAGNOSES.md 19): G474 with nSWBOOT0 = 0 ----
g="$tmp/g474.ini"
"$SR" sim new stm32g474 "$g" >/dev/null
sed -i 's/= 0xFFEFF8AA$/= 0xFBEFF8AA/' "$g" # OPTR with nSWBOOT0 (bit 26) = 0, RM0440 3.4.1
run --probe "sim:$g" ob show
expect_rc 0 "ob show on the G474"
expect_out "BOOT0 pin is ignored because nSWBOOT0 = 0: nBOOT0 = 1 stands for BOOT0 = 0" "BOOT0 pin ignored, said why"
expect_out "BOOT0 low : 0x08000000 .*in force" "main flash in force"
run --probe "sim:$g" --json ob show
expect_json "d['boot']['forced_boot0'] == 0 and not d['boot']['vector_table']['ok'] and 'erased' in d['boot']['vector_table']['why']" "JSON: forced BOOT0 = 0, erased vector table named"

# ---- power lost while the option bytes are programmed (DIAGNOSES.md C14) ----
p="$tmp/p.ini"
"$SR" sim new stm32f446 "$p" >/dev/null
sed -i 's/^power_loss_during_ob = false/power_loss_during_ob = true/' "$p"
mv_on=$(sed -n 's/^target_mv = //p' "$p")
run --probe "sim:$p" ob set BOR_LEV="level 1"
expect_rc 5 "power lost during the option-byte write"
expect_err "stopped answering during the option-byte write: a loss of power or a reset while the option bytes are being programmed" "the loss explained"
expect_err "ob restore-defaults' repairs them" "the repair named"
sed -i "s/^target_mv = .*/target_mv = $mv_on/" "$p"
run --probe "sim:$p" --json ob show
expect_json "sorted(d['option_bytes']['differs']) == ['RDP', 'SPRMOD']" "after power returns: the erased option sector reads RDP level 1 and PCROP mode"
expect_json "[x['sector'] for x in d['write_protected']] == list(range(8))" "every sector locked: nWRP all ones is PCROP on all eight under SPRMOD = 1"
run --probe "sim:$p" ob show
expect_out "nWRP .*every sector PCROP-protected" "nWRP read as PCROP, not as write protection"
run --probe "sim:$p" --yes --json ob restore-defaults
expect_rc 0 "ob restore-defaults --yes repairs them"
expect_json "all(r['ok'] for r in d['read_back'])" "RDP and SPRMOD read back as factory"
finish
