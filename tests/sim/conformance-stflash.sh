#!/bin/sh
# st-flash (stlink-tools 1.7.0) on every chip of the conformance table, through the V2-1
# persona: write a random 64 KiB image, read it back in a new process (the board state
# file carries the flash across), erase and read 0xFF. Then what is particular to a chip:
# the G474 bank-2 page erase st-flash gets wrong, the H753 option bytes.
# (conformance-stflash-personas.sh runs the same on the V2 and V3 personas.)
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need st-flash stlink-tools

head -c 65536 /dev/urandom >"$work/image.bin"
for chip in $chips; do
	check_stflash "$chip" v2-1 "$work/image.bin"
done

# st-flash 1.7.0 erases a G4 page with PER and a 7-bit page number and never sets BKER
# (stlink src/common.c, stlink_erase_flash_page): on a G474 in dual-bank mode a write to
# bank 2's first page erases bank 1's first page (RM0440 3.3.6 wants BKER). The model
# must show the same; if this stops happening, the model or the client changed.
board g474-banks stm32g474 v2-1
head -c 2048 "$work/image.bin" >"$work/page.bin"
if sim "$state" st-flash write "$work/page.bin" 0x08000000 >"$work/banks.log" 2>&1 &&
	sim "$state" st-flash write "$work/page.bin" 0x08040000 >>"$work/banks.log" 2>&1 &&
	sim "$state" st-flash read "$work/page0.bin" 0x08000000 2048 >>"$work/banks.log" 2>&1 &&
	all_ff "$work/page0.bin" 2048; then
	pass "st-flash 1.7.0 writing G474 bank 2 page 0 erases bank 1 page 0 (its known missing BKER)"
else
	fail "st-flash G474 bank-2 write: bank 1 page 0 was expected erased by st-flash 1.7.0"
	tail -5 "$work/banks.log"
fi

# STM32H753: st-flash 1.7.0 writes H7 flash directly, 64 bytes (two flash words) per
# WRITEMEM, polling QW of both banks; its erase is a bank erase (BER) of both banks, which
# leaves the option bytes alone. It reads FLASH_OPTSR_CUR as the option bytes.
# (st-flash clears H7 errors by writing FLASH_SR, which the chip ignores: RM0433 4.9.5.)
state=$work/stflash-stm32h753-v2-1.ini
optsr=$(state_get "$state" option_bytes.optsr | tr 'A-F' 'a-f')
out=$(sim "$state" st-flash --area=option read 2>&1)
if [ "$optsr" = 0x1bd6aaf0 ] && echo "$out" | grep -qx "${optsr#0x}"; then
	pass "st-flash --area=option read of the STM32H753 after its erase: FLASH_OPTSR_CUR $optsr, the factory value the state file keeps"
else
	fail "st-flash --area=option read of the STM32H753 (state file optsr $optsr, factory 0x1bd6aaf0):"
	echo "$out"
fi
finish
