#!/bin/sh
# st-flash (stlink-tools 1.7.0): write a random 64 KiB image, read it back in a new process
# (the board state file carries the flash across), then erase and check for 0xFF.
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need st-flash stlink-tools

state=$work/f446.ini
new_board "$state" stm32f446 pid=0x374b firmware=V2J37M26
head -c 65536 /dev/urandom >"$work/image.bin"

if sim "$state" st-flash write "$work/image.bin" 0x08000000 >"$work/write.log" 2>&1; then
	pass "st-flash write 64 KiB"
else
	fail "st-flash write 64 KiB"
	cat "$work/write.log"
fi
if sim "$state" st-flash read "$work/back.bin" 0x08000000 65536 >"$work/read.log" 2>&1 &&
	cmp -s "$work/image.bin" "$work/back.bin"; then
	pass "st-flash read in a new process returns the image"
else
	fail "st-flash read does not return what was written"
	cat "$work/read.log"
fi
if sim "$state" st-flash erase >"$work/erase.log" 2>&1 &&
	sim "$state" st-flash read "$work/erased.bin" 0x08000000 65536 >>"$work/erase.log" 2>&1 &&
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(len(d)!=65536 or d.count(255)!=65536)' "$work/erased.bin"; then
	pass "st-flash erase leaves 0xFF"
else
	fail "st-flash erase"
	cat "$work/erase.log"
fi

# The L4-generation chips: st-flash 1.7.0 writes the L4 through its SRAM loader (run by
# the Unicorn core) and the G4 word by word through the probe (double words, RM0440 3.3.7).
for chip in stm32l476 stm32g431 stm32g474; do
	state=$work/$chip.ini
	new_board "$state" $chip pid=0x374b firmware=V2J37M26
	if sim "$state" st-flash write "$work/image.bin" 0x08000000 >"$work/$chip-write.log" 2>&1 &&
		sim "$state" st-flash read "$work/$chip-back.bin" 0x08000000 65536 >"$work/$chip-read.log" 2>&1 &&
		cmp -s "$work/image.bin" "$work/$chip-back.bin"; then
		pass "st-flash $chip: write 64 KiB, read back in a new process"
	else
		fail "st-flash $chip: write and read back"
		tail -5 "$work/$chip-write.log" "$work/$chip-read.log"
	fi
	if sim "$state" st-flash erase >"$work/$chip-erase.log" 2>&1 &&
		sim "$state" st-flash read "$work/$chip-erased.bin" 0x08000000 65536 >>"$work/$chip-erase.log" 2>&1 &&
		python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(len(d)!=65536 or d.count(255)!=65536)' "$work/$chip-erased.bin"; then
		pass "st-flash $chip: mass erase leaves 0xFF"
	else
		fail "st-flash $chip: erase"
		tail -5 "$work/$chip-erase.log"
	fi
done

# st-flash 1.7.0 erases a G4 page with PER and a 7-bit page number and never sets BKER
# (stlink src/common.c, stlink_erase_flash_page): on a G474 in dual-bank mode a write to
# bank 2's first page erases bank 1's first page (RM0440 3.3.6 wants BKER). The model
# must show the same; if this stops happening, the model or the client changed.
state=$work/g474-banks.ini
new_board "$state" stm32g474 pid=0x374b firmware=V2J37M26
head -c 2048 "$work/image.bin" >"$work/page.bin"
if sim "$state" st-flash write "$work/page.bin" 0x08000000 >"$work/banks.log" 2>&1 &&
	sim "$state" st-flash write "$work/page.bin" 0x08040000 >>"$work/banks.log" 2>&1 &&
	sim "$state" st-flash read "$work/page0.bin" 0x08000000 2048 >>"$work/banks.log" 2>&1 &&
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(d.count(255)!=2048)' "$work/page0.bin"; then
	pass "st-flash 1.7.0 writing G474 bank 2 page 0 erases bank 1 page 0 (its known missing BKER)"
else
	fail "st-flash G474 bank-2 write: bank 1 page 0 was expected erased by st-flash 1.7.0"
	tail -5 "$work/banks.log"
fi
cat "$work/stats" 2>/dev/null

# The same write / read-back / erase on the STM32F746 (F7: stlink-tools drives it as an F4,
# with its own F7 sector table) and the STM32F103 (half-word loader, 1 KiB pages).
for chip in stm32f746 stm32f103; do
	state=$work/$chip.ini
	new_board "$state" $chip pid=0x374b firmware=V2J37M26
	if sim "$state" st-flash write "$work/image.bin" 0x08000000 >"$work/write.log" 2>&1 &&
		grep -q "jolly good" "$work/write.log"; then
		pass "$chip: st-flash write 64 KiB"
	else
		fail "$chip: st-flash write 64 KiB"
		tail -20 "$work/write.log"
	fi
	if sim "$state" st-flash read "$work/back.bin" 0x08000000 65536 >"$work/read.log" 2>&1 &&
		cmp -s "$work/image.bin" "$work/back.bin"; then
		pass "$chip: st-flash read in a new process returns the image"
	else
		fail "$chip: st-flash read does not return what was written"
		tail -20 "$work/read.log"
	fi
	if sim "$state" st-flash erase >"$work/erase.log" 2>&1 &&
		sim "$state" st-flash read "$work/erased.bin" 0x08000000 65536 >>"$work/erase.log" 2>&1 &&
		python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(len(d)!=65536 or d.count(255)!=65536)' "$work/erased.bin"; then
		pass "$chip: st-flash erase leaves 0xFF"
	else
		fail "$chip: st-flash erase"
		tail -20 "$work/erase.log"
	fi
done

# STM32H753: st-flash 1.7.0 writes H7 flash directly, 64 bytes (two flash words) per
# WRITEMEM, polling QW of both banks; erase is a bank erase (BER) of both banks.
# (st-flash clears H7 errors by writing FLASH_SR, which the chip ignores: RM0433 4.9.5.)
h7=$work/h753.ini
new_board "$h7" stm32h753 pid=0x374b firmware=V2J37M26
: >"$work/stats"
if sim "$h7" st-flash write "$work/image.bin" 0x08000000 >"$work/h7write.log" 2>&1 &&
	grep -q "Flash written and verified" "$work/h7write.log"; then
	pass "st-flash write 64 KiB to an STM32H753: $(cat "$work/stats")"
else
	fail "st-flash write 64 KiB to an STM32H753"
	tail -c 2000 "$work/h7write.log"
fi
if sim "$h7" st-flash read "$work/h7back.bin" 0x08000000 65536 >"$work/h7read.log" 2>&1 &&
	cmp -s "$work/image.bin" "$work/h7back.bin"; then
	pass "st-flash read of the STM32H753 in a new process returns the image"
else
	fail "st-flash read of the STM32H753 does not return what was written"
	cat "$work/h7read.log"
fi
out=$(sim "$h7" st-flash --area=option read 2>&1)
if echo "$out" | grep -qx "1bd6aaf0"; then
	pass "st-flash --area=option read of the STM32H753: FLASH_OPTSR_CUR as the state file says"
else
	fail "st-flash --area=option read of the STM32H753 did not report 1bd6aaf0:"
	echo "$out"
fi
if sim "$h7" st-flash erase >"$work/h7erase.log" 2>&1 &&
	sim "$h7" st-flash read "$work/h7erased.bin" 0x08000000 65536 >>"$work/h7erase.log" 2>&1 &&
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(len(d)!=65536 or d.count(255)!=65536)' "$work/h7erased.bin" &&
	grep -q "^optsr = 0x1BD6AAF0" "$h7"; then
	pass "st-flash erase of the STM32H753 leaves 0xFF, option bytes untouched"
else
	fail "st-flash erase of the STM32H753"
	cat "$work/h7erase.log"
fi
finish
