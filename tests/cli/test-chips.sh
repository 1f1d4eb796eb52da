#!/bin/sh
# `stmrescue chips`: the database as a table, in detail, and as JSON; data problems are explained.
. "$(dirname "$0")/lib.sh"

run chips
expect_rc 0 "chips lists the database"
expect_out "0x421  STM32F446" "F446 is listed"
expect_out "stm32f4 .*0x413" "F405/407 is listed"

run chips stm32f429
expect_rc 0 "chips DEVICE"
expect_out "flash bank 2 at 0x08100000: 4x16K 1x64K 7x128K" "F429 2 MiB is dual-bank"

run chips 0x421
expect_out "flash bank 1 at 0x08000000: 4x16K 1x64K 3x128K" "F446 layout"
expect_out "ram SRAM1    0x20000000   112K" "F446 SRAM1"

run --json chips
expect_rc 0 "chips --json"
expect_json "any(dv['dev_id']=='0x421' and dv['flash_max']==524288 for f in d['families'] for dv in f['devices'])" "JSON has F446 with 512K"
expect_json "d['problems'] == []" "JSON: no data problems"

run chips stm32zz9
expect_rc 2 "unknown family"
expect_err "neither a family nor a device" "unknown family explained"

# A malformed data file is reported with file:line; the valid files still load.
mkdir -p "$tmp/data/families" "$tmp/data/optbytes"
cp "$STMRESCUE_DATADIR/families/stm32f4.ini" "$tmp/data/families/"
cp "$STMRESCUE_DATADIR/optbytes/stm32f4.ini" "$tmp/data/optbytes/"
printf '[family]\nname = broken\nflash_base = 0x0800000G\n' >"$tmp/data/families/broken.ini"
run --datadir "$tmp/data" chips
expect_rc 0 "a broken file does not stop the others"
expect_err "broken.ini:3: \[family\] flash_base = 0x0800000G: not a number" "broken file named with line"
expect_out "STM32F446" "valid families still listed"

run --datadir "$tmp/nowhere" chips
expect_rc 3 "missing data directory"
expect_err "no families/ folder in $tmp/nowhere" "missing data directory named"
finish
