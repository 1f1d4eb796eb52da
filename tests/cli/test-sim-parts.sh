#!/bin/sh
# The virtual chips are the chip database's parts ([part NAME] of families/): sim list,
# sim new and what the tool reads through the virtual probe follow the data.
. "$(dirname "$0")/lib.sh"

data="$tmp/data"
mkdir -p "$data"
cp -R "$STMRESCUE_DATADIR/families" "$STMRESCUE_DATADIR/optbytes" "$data/"
f4="$data/families/stm32f4.ini"
# the F446 with another core revision and debug port ID
sed -i -e 's/^cpuid = 0x410FC241 /cpuid = 0x410FC240 /' \
	-e 's/^dp_idcode = 0x2BA01477 /dp_idcode = 0x1BA01477 /' "$f4"
[ "$(grep -c '^cpuid = 0x410FC240\|^dp_idcode = 0x1BA01477' "$f4")" -eq 2 ] &&
	ok "the copy's F446 part is changed" || bad "sed did not change the F446 part"
# a new part of a known generation, data only (the DBGMCU bits are test data)
cat >>"$f4" <<'INI'
[device 0x433]
dbgreg = cr 0xE0042004 0x00000007
[part stm32f401xe]
device = 0x433
cpuid = 0x410FC241
dp_idcode = 0x2BA01477
ap = 0x24770011 0xE00FF003
INI
export STMRESCUE_DATADIR="$data"

run sim list
expect_rc 0 "sim list"
expect_out "^stm32f401xe *STM32F401xD/E" "a part added to the data is a virtual chip"
expect_out "^stm32f446 *STM32F446" "the shipped parts are still there"

run sim new stm32f401xe "$tmp/f401.ini"
expect_rc 0 "sim new of the data-only part"
run --probe "sim:$tmp/f401.ini" --json info
expect_json "d['ok'] and d['chip']['dev_id']=='0x433' and d['chip']['flash']['size']==512*1024" \
	"info identifies the data-only part by its DEV_ID and flash size"

run sim new stm32f446 "$tmp/f446.ini"
expect_rc 0 "sim new stm32f446"
run --probe "sim:$tmp/f446.ini" --json info
expect_json "d['chip']['cpuid']=='0x410FC240' and d['chip']['dp_idcode']=='0x1BA01477'" \
	"the CPUID and DP IDCODE read through the probe are the data's"
run sim show "$tmp/f446.ini"
expect_out "STM32F446, target 3300 mV" "sim show names the part's device"

# stmrescue chips says which devices have a virtual part
run chips
expect_out "0x433  STM32F401xD/E .* stm32f2  stm32f401xe$" "chips: the table names a device's virtual part"
expect_out "0x413  STM32F405/407/415/417 .* stm32f2$" "chips: a device without one has none"
run chips 0x433
expect_out "virtual part stm32f401xe: revision A, CPUID 0x410FC241, DP IDCODE 0x2BA01477, 1 access port" \
	"chips DEVICE describes its virtual part"
run --json chips stm32h753
expect_json "d['families'][0]['devices'][0]['virtual_parts']==[{'name':'stm32h753','cpuid':'0x411FC271','dp_idcode':'0x6BA02477','rev_id':'0x2003'}]" \
	"chips --json lists a device's virtual parts"
finish
