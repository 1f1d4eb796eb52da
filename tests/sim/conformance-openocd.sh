#!/bin/sh
# openocd 0.12: program a random 256 KiB image with verify, through the hla driver
# (interface/stlink.cfg) and through dapdirect (interface/stlink-dap.cfg); on the F446, the
# F746, the F103 and the H753; the option bytes as openocd reads them on the F746, the
# F103 and the H753; then an STM32L476, the STM32G431 and STM32G474 (64 KiB) and the G474
# DBANK switch.
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need openocd openocd

head -c 262144 /dev/urandom >"$work/image.bin"
for iface in stlink stlink-dap; do
	state=$work/f446-$iface.ini
	new_board "$state" stm32f446 pid=0x374b firmware=V2J37M26
	: >"$work/stats"
	start=$(date +%s.%N)
	sim "$state" openocd -f interface/$iface.cfg -f target/stm32f4x.cfg \
		-c "program $work/image.bin 0x08000000 verify reset exit" >"$work/$iface.log" 2>&1
	end=$(date +%s.%N)
	if grep -q "Verified OK" "$work/$iface.log"; then
		pass "openocd $iface.cfg program 256 KiB verify: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s wall; $(cat "$work/stats")"
	else
		fail "openocd $iface.cfg program+verify did not report Verified OK:"
		tail -30 "$work/$iface.log"
	fi
done

# The STM32F746 (target/stm32f7x.cfg, flash driver stm32f2x) with the same 256 KiB, and
# the STM32F103 (target/stm32f1x.cfg) with 64 KiB of it: its flash is 128 KiB.
head -c 65536 "$work/image.bin" >"$work/image64.bin"
# No gdb/telnet/tcl servers: other openocd runs on the machine may hold their ports.
noports="gdb_port disabled; tcl_port disabled; telnet_port disabled"
for run in "stm32f746 stm32f7x image.bin 256" "stm32f103 stm32f1x image64.bin 64"; do
	set -- $run
	for iface in stlink stlink-dap; do
		state=$work/$1-$iface.ini
		new_board "$state" $1 pid=0x374b firmware=V2J37M26
		: >"$work/stats"
		start=$(date +%s.%N)
		sim "$state" openocd -f interface/$iface.cfg -f target/$2.cfg -c "$noports" \
			-c "program $work/$3 0x08000000 verify reset exit" >"$work/$iface.log" 2>&1
		end=$(date +%s.%N)
		if grep -q "Verified OK" "$work/$iface.log"; then
			pass "$1: openocd $iface.cfg program $4 KiB verify: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s wall; $(cat "$work/stats")"
		else
			fail "$1: openocd $iface.cfg program+verify did not report Verified OK:"
			tail -30 "$work/$iface.log"
		fi
	done
done

# Option bytes as openocd reads them must be what the state file says. The F746 board
# gets BOOT_ADD0 = 0x8004 (SRAM1) and IWDG_SW = 0 written into [option_bytes]; the reset
# before the read loads them (RM0385 3.4).
set_key() { # FILE SECTION KEY VALUE
	python3 - "$@" <<'PY'
import sys
path, sec, key, val = sys.argv[1:]
lines, cur, done, out = open(path).read().splitlines(), None, False, []
for l in lines:
    s = l.strip()
    if s.startswith("[") and s.endswith("]"):
        cur = s[1:-1]
    elif cur == sec and s.split("=", 1)[0].strip() == key:
        l, done = "%s = %s" % (key, val), True
    out.append(l)
assert done, "no %s.%s in %s" % (sec, key, path)
open(path, "w").write("\n".join(out) + "\n")
PY
}
state=$work/f746-ob.ini
new_board "$state" stm32f746 pid=0x374b firmware=V2J37M26
set_key "$state" option_bytes optcr1 0x00408004
set_key "$state" option_bytes optcr 0xC0FFAADC
# (stm32f2x options_read returns its text as the command's result: echo prints it)
out=$(sim "$state" openocd -f interface/stlink.cfg -f target/stm32f7x.cfg -c "$noports" -c init \
	-c "reset halt" -c 'echo [stm32f2x options_read 0]' -c exit 2>&1)
if echo "$out" | grep -q "boot_add0 0x8004, boot_add1 0x0040" &&
	echo "$out" | grep -qi "user_options 0x[0-9a-f]*dc\b"; then
	pass "stm32f746: openocd stm32f2x options_read reports the state file's OPTCR/OPTCR1: $(echo "$out" | grep user_options)"
else
	fail "stm32f746: stm32f2x options_read does not show BOOT_ADD0 0x8004 and IWDG_SW 0 from the state file:"
	echo "$out" | tail -15
fi

# The F103: USER 0xFE (hardware watchdog), Data0 0x42, WRP0 0xFE (pages 0-3), each
# stored with its complement.
state=$work/f103-ob.ini
new_board "$state" stm32f103 pid=0x374b firmware=V2J37M26
set_key "$state" option_bytes user 0x01FE
set_key "$state" option_bytes data0 0xBD42
set_key "$state" option_bytes wrp0 0x01FE
out=$(sim "$state" openocd -f interface/stlink.cfg -f target/stm32f1x.cfg -c "$noports" -c init \
	-c "reset halt" -c "stm32f1x options_read 0" -c exit 2>&1)
if echo "$out" | grep -q "write protection register = 0xfffffffe" &&
	echo "$out" | grep -q "read protection: off" && echo "$out" | grep -q "watchdog: hardware" &&
	echo "$out" | grep -q "user data = 0xff42"; then
	pass "stm32f103: openocd stm32f1x options_read reports the state file's option bytes"
else
	fail "stm32f103: stm32f1x options_read does not show WRP0 0xFE, a hardware watchdog and Data0 0x42:"
	echo "$out" | tail -15
fi

# STM32H753 with target/stm32h7x.cfg: program+verify 256 KiB through hla (AP0 only) and
# dapdirect (DBGMCU set up through AP2 at 0xE00E1000); then the option bytes as
# openocd's stm32h7x driver reads them, against the board state file.
for iface in stlink stlink-dap; do
	state=$work/h753-$iface.ini
	new_board "$state" stm32h753 pid=0x374b firmware=V2J37M26
	: >"$work/stats"
	start=$(date +%s.%N)
	sim "$state" openocd -f interface/$iface.cfg -f target/stm32h7x.cfg -c "$noports" \
		-c "program $work/image.bin 0x08000000 verify reset exit" >"$work/h7-$iface.log" 2>&1
	end=$(date +%s.%N)
	if grep -q "Verified OK" "$work/h7-$iface.log"; then
		pass "openocd $iface.cfg STM32H753 program 256 KiB verify: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s wall; $(cat "$work/stats")"
	else
		fail "openocd $iface.cfg STM32H753 program+verify did not report Verified OK:"
		tail -30 "$work/h7-$iface.log"
	fi
done
state=$work/h753-stlink-dap.ini
optsr=$(sed -n 's/^optsr = 0x\(.*\)/\1/p' "$state" | tr 'A-F' 'a-f')
out=$(sim "$state" openocd -f interface/stlink-dap.cfg -f target/stm32h7x.cfg -c "$noports" -c init \
	-c "stm32h7x option_read 0 0x1c" -c "stm32h7x option_read 0 0x40" -c exit 2>&1)
if echo "$out" | grep -q "<0x5200201c> = 0x$optsr\$" &&
	echo "$out" | grep -q "<0x52002040> = 0x1ff00800\$"; then
	pass "openocd stm32h7x option_read: FLASH_OPTSR_CUR 0x$optsr and BOOT_CUR as the state file says"
else
	fail "openocd stm32h7x option_read does not report the state file's option bytes (0x$optsr):"
	echo "$out" | tail -8
fi
# lock (RDP level 1), then unlock: the regression erases the flash.
out=$(sim "$state" openocd -f interface/stlink-dap.cfg -f target/stm32h7x.cfg -c "$noports" -c init \
	-c "reset halt" -c "stm32h7x lock 0" -c exit 2>&1)
rdp=$(sed -n 's/^optsr = 0x....\(..\)../\1/p' "$state")
if echo "$out" | grep -q "stm32h7x locked" && [ "$rdp" = "00" ]; then
	pass "openocd stm32h7x lock: RDP level 1 in the state file (RDP 0x$rdp)"
else
	fail "openocd stm32h7x lock (state file RDP 0x$rdp):"
	echo "$out" | tail -8
fi
out=$(sim "$state" openocd -f interface/stlink-dap.cfg -f target/stm32h7x.cfg -c "$noports" -c init \
	-c "reset halt" -c "stm32h7x unlock 0" -c "mdw 0x08000000 4" -c exit 2>&1)
rdp=$(sed -n 's/^optsr = 0x....\(..\)../\1/p' "$state")
if echo "$out" | grep -q "stm32h7x unlocked" && [ "$rdp" = "AA" ] &&
	echo "$out" | grep -qi "0x08000000: ffffffff ffffffff ffffffff ffffffff"; then
	pass "openocd stm32h7x unlock: RDP back to level 0, the flash erased"
else
	fail "openocd stm32h7x unlock (state file RDP 0x$rdp):"
	echo "$out" | tail -8
fi

# program IMAGE on CHIP's board STATE through interface IFACE with target config CFG,
# at ADDR (default 0x08000000).
program_verify() {
	state=$1 chip=$2 iface=$3 cfg=$4 image=$5 what=$6 addr=${7:-0x08000000}
	: >"$work/stats"
	start=$(date +%s.%N)
	sim "$state" openocd -f interface/$iface.cfg -f target/$cfg.cfg -c "$noports" \
		-c "program $image $addr verify reset exit" >"$work/$chip-$iface.log" 2>&1
	end=$(date +%s.%N)
	if grep -q "Verified OK" "$work/$chip-$iface.log"; then
		pass "openocd $iface.cfg $chip program $what verify: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s wall; $(cat "$work/stats")"
	else
		fail "openocd $iface.cfg $chip program+verify did not report Verified OK:"
		tail -30 "$work/$chip-$iface.log"
	fi
}

# The L4-generation chips through target/stm32l4x.cfg and target/stm32g4x.cfg: OpenOCD's
# stm32l4x driver runs its flash loader in SRAM (executed by the Unicorn core), page
# erases each bank with its own BKER and reads the geometry from FLASH_OPTR.
for iface in stlink stlink-dap; do
	new_board "$work/l476-$iface.ini" stm32l476 pid=0x374b firmware=V2J37M26
	program_verify "$work/l476-$iface.ini" stm32l476 $iface stm32l4x "$work/image.bin" "256 KiB"
done
# across the L476 bank boundary at 0x08080000: each bank erased with its own controls
head -c 8192 "$work/image.bin" >"$work/image8.bin"
program_verify "$work/l476-stlink.ini" stm32l476-banks stlink stm32l4x "$work/image8.bin" \
	"8 KiB across the banks" 0x0807F000
# ... and bank 1's first pages, which hold the 256 KiB image, were left alone
sim "$work/l476-stlink.ini" openocd -f interface/stlink.cfg -f target/stm32l4x.cfg \
	-c "$noports" -c init -c "reset halt" -c "verify_image $work/image.bin 0x08000000 bin" \
	-c exit >"$work/keep.log" 2>&1
if grep -q "verified 262144 bytes" "$work/keep.log"; then
	pass "openocd: the 256 KiB image in bank 1 is intact after bank 2's page erases"
else
	fail "openocd verify_image of the 256 KiB image after the bank-crossing write:"
	tail -10 "$work/keep.log"
fi
for chip in stm32g431 stm32g474; do
	new_board "$work/$chip.ini" $chip pid=0x374b firmware=V2J37M26
	program_verify "$work/$chip.ini" $chip stlink stm32g4x "$work/image64.bin" "64 KiB"
done

# G474 DBANK: OpenOCD writes DBANK = 0 and launches the option-byte load; the part then has
# one bank of 4 KiB pages (RM0440 3.3.1 table 8) for OpenOCD and for st-info alike.
state=$work/stm32g474.ini
sim "$state" openocd -f interface/stlink.cfg -f target/stm32g4x.cfg -c "$noports" -c init \
	-c "reset halt" -c "stm32l4x option_write 0 0x20 0x00000000 0x00400000" \
	-c "stm32l4x option_load 0" -c "reset halt" -c "flash probe 0" -c exit >"$work/dbank.log" 2>&1
if grep -q "flash mode : single-bank" "$work/dbank.log"; then
	pass "openocd stm32l4x option_write DBANK=0 + option_load: single-bank"
else
	fail "openocd did not switch the G474 to single-bank:"
	tail -20 "$work/dbank.log"
fi
if command -v st-info >/dev/null 2>&1; then
	out=$(sim "$state" st-info --probe 2>&1)
	if echo "$out" | grep -q "pagesize: 4096"; then
		pass "st-info sees the G474 with DBANK = 0: 4 KiB pages"
	else
		fail "st-info did not report 4 KiB pages after DBANK = 0:"
		echo "$out"
	fi
else
	echo "note: st-info is not installed; the cross-check of DBANK = 0 was not run"
fi
program_verify "$state" stm32g474-dbank0 stlink stm32g4x "$work/image64.bin" "64 KiB in 4 KiB pages"
finish
