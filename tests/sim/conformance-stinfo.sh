#!/bin/sh
# st-info --probe (stlink-tools 1.7.0) through the drop-in, for the V2, V2-1 and V3 personas:
# it must find the probe and report an STM32F446: chip 0x421, 512 KiB flash, 128 KiB SRAM;
# then the STM32F746, STM32F103 and STM32H753 boards, then the STM32L476, STM32G431
# and STM32G474.
. "${SR_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/conformance-lib.sh"
need st-info stlink-tools

for persona in "0x3748 V2J37S7" "0x374b V2J37M26" "0x374e V3J7M3"; do
	set -- $persona
	jtag=$(echo "$2" | sed 's/^V.J\([0-9]*\).*/\1/')
	state=$work/f446-$1.ini
	new_board "$state" stm32f446 pid=$1 firmware=$2
	out=$(sim "$state" st-info --probe 2>&1)
	if echo "$out" | grep -q "chipid: *0x0*421" && echo "$out" | grep -q "flash: *524288 " &&
		echo "$out" | grep -q "sram: *131072" && echo "$out" | grep -q "version: *V.J$jtag"; then
		pass "st-info --probe, PID $1 ($2)"
	else
		fail "st-info --probe, PID $1 ($2) did not report F446 0x421 / 512 KiB / 128 KiB:"
		echo "$out"
	fi
done

# The other virtual chips, through the V2-1 persona: chip id, flash and SRAM as
# stlink-tools' own chip table gives them (F7xx: 320 KiB SRAM; F1 medium density: 20 KiB).
for chip in "stm32f746 0x0*449 1048576 327680" "stm32f103 0x0*410 131072 20480"; do
	set -- $chip
	state=$work/$1.ini
	new_board "$state" "$1" pid=0x374b firmware=V2J37M26
	out=$(sim "$state" st-info --probe 2>&1)
	if echo "$out" | grep -q "chipid: *$2" && echo "$out" | grep -q "flash: *$3 " &&
		echo "$out" | grep -q "sram: *$4"; then
		pass "st-info --probe, $1"
	else
		fail "st-info --probe, $1 did not report chip $2 / $3 flash / $4 SRAM:"
		echo "$out"
	fi
done

# STM32H753 (DEV_ID 0x450): stlink finds the H7 by the SW-DPv2 IDCODE 0x6BA02477 and the
# Cortex-M7 CPUID, and reads DBGMCU_IDCODE at 0x5C001000 (stlink 1.7.0 stlink_chip_id).
for persona in "0x374b V2J37M26" "0x374e V3J7M3"; do
	set -- $persona
	state=$work/h753-$1.ini
	new_board "$state" stm32h753 pid=$1 firmware=$2
	out=$(sim "$state" st-info --probe 2>&1)
	if echo "$out" | grep -q "chipid: *0x0*450" && echo "$out" | grep -q "flash: *2097152 " &&
		echo "$out" | grep -q "descr: *H74x/H75x"; then
		pass "st-info --probe STM32H753, PID $1 ($2)"
	else
		fail "st-info --probe, PID $1 ($2) did not report H74x/H75x 0x450 / 2 MiB:"
		echo "$out"
	fi
done

# L4-generation chips (V2-1 persona): the chip ID and flash size come from the model's
# DBGMCU_IDCODE and flash size register; st-info takes the G474 page size from FLASH_OPTR
# DBANK (2 KiB pages with the factory DBANK = 1, RM0440 3.3.1).
for spec in "stm32l476 415 1048576 2048" "stm32g431 468 131072 2048" "stm32g474 469 524288 2048"; do
	set -- $spec
	state=$work/$1.ini
	new_board "$state" "$1" pid=0x374b firmware=V2J37M26
	out=$(sim "$state" st-info --probe 2>&1)
	if echo "$out" | grep -q "chipid: *0x0*$2\$" && echo "$out" | grep -q "flash: *$3 (pagesize: $4)"; then
		pass "st-info --probe, $1 (0x$2, $3 bytes, $4-byte pages)"
	else
		fail "st-info --probe, $1 did not report 0x$2 / $3 bytes / $4-byte pages:"
		echo "$out"
	fi
done
finish
