# The conformance matrix, sourced by tests/sim/conformance-lib.sh: one table of virtual
# chips, one of probe personas, and one check function per client operation. The
# conformance-*.sh scripts loop over the tables; a new chip is a line in chip_table and
# its option-byte reads in ob_table.

# Chips. What st-info 1.7.0 prints comes partly from the model (chip id from DBGMCU_IDCODE,
# flash size from the flash size register, the G4 page size from FLASH_OPTR DBANK) and
# partly from stlink's own chip table (SRAM size, description, the page size of sector
# flash: F4 and H7 report their 128 KiB sectors, the F7 its 2 KiB "page"). `kib` is the
# image openocd programs on V2-1 (256 KiB where the flash allows, as the issue asks).
#   name       openocd target  chipid flash   pagesize sram   kib descr
chip_table='
stm32f446  stm32f4x  0x0421 524288  131072 131072 256 F446
stm32f746  stm32f7x  0x0449 1048576 2048   327680 256 F7xx
stm32f103  stm32f1x  0x0410 131072  1024   20480  64  F1xx Medium-density
stm32h753  stm32h7x  0x0450 2097152 131072 131072 256 H74x/H75x
stm32l476  stm32l4x  0x0415 1048576 2048   98304  256 L4xx
stm32g431  stm32g4x  0x0468 131072  2048   32768  64  G4 Category-2
stm32g474  stm32g4x  0x0469 524288  2048   98304  64  G4 Category-3
'
chips=$(echo "$chip_table" | awk 'NF { print $1 }')

# chip_load NAME: set c_target, c_chipid, c_flash, c_pagesize, c_sram, c_kib, c_descr.
chip_load() {
	set -- $(echo "$chip_table" | awk -v n="$1" '$1 == n')
	[ $# -ge 8 ] || { echo "FAIL: chip $1 is not in the conformance chip table"; exit 1; }
	c_target=$2 c_chipid=$3 c_flash=$4 c_pagesize=$5 c_sram=$6 c_kib=$7
	shift 7
	c_descr="$*"
}

# Probe personas (src/sim/PROBE.md): PID, the firmware the board's [probe] gets, and the
# version string st-info 1.7.0 makes of GET_VERSION (V2-1: the MSC field lands in "S";
# V3: GET_VERSION_EX, where M is not shown), or "-" where stlink 1.7.0 does not list the
# PID (its usb.h has no 0x3754). The matrix runs over `personas`, the three probe
# generations; `other_personas`, the other PIDs of each, run on one chip.
#   name       pid    firmware   st-info version
persona_table='
v2         0x3748 V2J37S7    V2J37S7
v2-1       0x374b V2J37M26   V2J37S26
v3         0x374e V3J7M3     V3J7
v2-1-nomsd 0x3752 V2J37M26   V2J37S26
v3s        0x374f V3J7M3B3S1 V3J7S1
v3-2vcp    0x3753 V3J7M3B3S1 V3J7S1
v3-nomsd   0x3754 V3J7M3     -
'
personas="v2 v2-1 v3"
other_personas="v2-1-nomsd v3s v3-2vcp v3-nomsd"
other_chip=stm32g431

# persona_load NAME: set p_pid, p_firmware, p_version.
persona_load() {
	set -- $(echo "$persona_table" | awk -v n="$1" '$1 == n')
	[ $# -eq 4 ] || { echo "FAIL: persona $1 is not in the conformance persona table"; exit 1; }
	p_pid=$2 p_firmware=$3 p_version=$4
}

# Option bytes as openocd's flash drivers read them. One line per value checked:
#   chip | openocd command | state-file key = value staged before the run | what the
#   command must print, a Python expression of v, the key's value in the state file
#   (a "$" at its end stands for the end of the line).
# Values are staged away from the factory ones, so a model that ignored the state file
# would fail. The F4/F7 reload the option bytes at the reset openocd's "reset halt" makes
# (RM0090 3.9.10), the F103 too (PM0075 2.5); the H753's [option_bytes] are the _CUR
# registers in force (STATE.md); an L4-generation board without [flash] loaded_optr loads
# its option bytes when opened (STATE.md), as at a power-on reset (RM0440 3.4.2).
# (stm32f2x options_read returns its text as the command's result: echo prints it.)
ob_table='
stm32f446|echo [stm32f2x options_read 0]|option_bytes.optcr=0x0FFFAAE4|"stm32f2x user_options 0x%02X$" % (v & 0xfc)
stm32f746|echo [stm32f2x options_read 0]|option_bytes.optcr=0xC0FFAADC|"stm32f2x user_options 0x%03X," % ((v & 0xfc) | (v >> 20 & 0xf00))
stm32f746|echo [stm32f2x options_read 0]|option_bytes.optcr1=0x00408004|"boot_add0 0x%04X, boot_add1 0x%04X$" % (v & 0xffff, v >> 16)
stm32f103|stm32f1x options_read 0|option_bytes.user=0x01FE|"watchdog: %s$" % ("software" if v & 1 else "hardware")
stm32f103|stm32f1x options_read 0|option_bytes.data0=0xBD42|"user data = 0xff%02x$" % (v & 0xff)
stm32f103|stm32f1x options_read 0|option_bytes.wrp0=0x01FE|"write protection register = 0xffffff%02x$" % (v & 0xff)
stm32f103|stm32f1x options_read 0|option_bytes.rdp=0x5AA5|"read protection: %s$" % ("off" if v & 0xff == 0xa5 else "on")
stm32h753|stm32h7x option_read 0 0x1c|option_bytes.optsr=0x1BD6AAF4|"<0x5200201c> = 0x%x$" % v
stm32h753|stm32h7x option_read 0 0x38|option_bytes.wpsn1=0x000000FE|"<0x52002038> = 0x%x$" % v
stm32h753|stm32h7x option_read 0 0x40|option_bytes.boot=0x1FF00800|"<0x52002040> = 0x%x$" % v
stm32l476|stm32l4x option_read 0 0x20|option_bytes.optr=0xFFEFFCAA flash.-loaded_optr|"<0x40022020> = 0x%x$" % v
stm32l476|stm32l4x option_read 0 0x2c|option_bytes.wrp1ar=0xFF01FF00 flash.-loaded_optr|"<0x4002202c> = 0x%x$" % v
stm32g431|stm32l4x option_read 0 0x20|option_bytes.optr=0xFFEFFCAA flash.-loaded_optr|"<0x40022020> = 0x%x$" % v
stm32g431|stm32l4x option_read 0 0x2c|option_bytes.wrp1ar=0xFF01FF00 flash.-loaded_optr|"<0x4002202c> = 0x%x$" % v
stm32g474|stm32l4x option_read 0 0x20|option_bytes.optr=0xFFEFFCAA flash.-loaded_optr|"<0x40022020> = 0x%x$" % v
stm32g474|stm32l4x option_read 0 0x4c|option_bytes.wrp2ar=0xFF01FF00 flash.-loaded_optr|"<0x4002204c> = 0x%x$" % v
'

# No gdb/telnet/tcl servers: other openocd runs on the machine may hold their ports.
noports="gdb_port disabled; tcl_port disabled; telnet_port disabled"

# board NAME CHIP PERSONA: a factory-fresh CHIP board behind PERSONA's probe, in
# $work/NAME.ini; sets state to its path (and p_* as persona_load does).
board() {
	persona_load "$3"
	state=$work/$1.ini
	new_board "$state" "$2" pid="$p_pid" firmware="$p_firmware"
}

# timed LOG COMMAND...: run a client through the drop-in on $state, output to LOG; sets
# t_wall (seconds) and t_virtual (the board's virtual seconds from STMRESCUE_SIM_STATS).
timed() {
	t_log=$1
	shift
	: >"$work/stats"
	t0=$(date +%s.%N)
	sim "$state" "$@" >"$t_log" 2>&1 </dev/null
	t1=$(date +%s.%N)
	t_wall=$(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }")
	t_virtual=$(sed -n 's/.*elapsed_ns=\([0-9]*\).*/\1/p' "$work/stats" |
		awk '{ s += $1 } END { printf "%.2f", s / 1e9 }')
}

# figure CHIP KIB PERSONA/IFACE WALL VIRTUAL: a row of the table figures prints.
figure() { echo "$*" >>"$work/figures"; }
figures() {
	[ -s "$work/figures" ] || return 0
	echo
	echo "openocd program+verify, seconds:"
	printf '  %-10s %4s %-16s %6s %8s\n' chip KiB persona/iface wall virtual
	sort "$work/figures" | awk '{ printf "  %-10s %4s %-16s %6s %8s\n", $1, $2, $3, $4, $5 }'
}

# check_stinfo CHIP PERSONA: st-info --probe names the probe and the chip with its flash,
# page and SRAM sizes; or, for a PID stlink does not list, says it skips the device.
check_stinfo() {
	chip_load "$1"
	board "stinfo-$1-$2" "$1" "$2"
	out=$(sim "$state" st-info --probe 2>&1 </dev/null)
	if [ "$p_version" = - ]; then
		# stlink 1.7.0 usb.c stlink_probe_usb_devs: WLOG "skipping ST device : %#04x:%#04x)"
		if echo "$out" | grep -q "skipping ST device : 0x483:$p_pid)" &&
			echo "$out" | grep -q "^Found 0 stlink programmers"; then
			pass "st-info --probe on $2 ($p_pid): stlink 1.7.0 does not support the PID and says so: $(echo "$out" | grep -o "skipping.*")"
		else
			fail "st-info --probe on $2 ($p_pid): expected stlink 1.7.0 to skip the device it does not know:"
			echo "$out"
		fi
		return
	fi
	got=$(echo "$out" | awk '/version:|flash:|sram:|chipid:|descr:/ { $1 = ""; print }' | tr -s ' ')
	want=$(printf ' %s\n %s (pagesize: %s)\n %s\n %s\n %s' "$p_version" "$c_flash" "$c_pagesize" \
		"$c_sram" "$c_chipid" "$c_descr")
	if [ "$got" = "$want" ]; then
		pass "st-info --probe $1 on $2 ($p_pid $p_firmware): $c_chipid $c_descr, $c_flash flash, $c_sram SRAM"
	else
		fail "st-info --probe $1 on $2 ($p_pid $p_firmware): expected $p_version / $c_flash ($c_pagesize) / $c_sram / $c_chipid / $c_descr:"
		echo "$out"
	fi
}

# all_ff FILE SIZE: FILE holds SIZE bytes of 0xFF.
all_ff() {
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(len(d) != int(sys.argv[2]) or d.count(255) != len(d))' "$1" "$2"
}

# check_stflash CHIP PERSONA IMAGE: st-flash write IMAGE, st-flash read it back in a new
# process (the board state file carries the flash across), st-flash erase and read 0xFF.
check_stflash() {
	chip=$1 persona=$2 image=$3
	size=$(wc -c <"$image")
	what="st-flash $chip on $persona, $((size / 1024)) KiB"
	board "stflash-$chip-$persona" "$chip" "$persona"
	log=$work/stflash-$chip-$persona
	timed "$log.write" st-flash write "$image" 0x08000000
	if [ "$p_version" = - ]; then
		# stlink 1.7.0 opens any ST device (usb.c stlink_open_usb) but gives an unlisted
		# PID no version and the V2 endpoints' OUT 0x02, which this probe does not have:
		# usbfs refuses the URB and libusb returns LIBUSB_ERROR_IO (as on real hardware).
		if grep -q "send_recv send request failed: LIBUSB_ERROR_IO" "$log.write" &&
			grep -q "^Failed to connect to target" "$log.write"; then
			pass "$what: st-flash 1.7.0 does not support $p_pid and fails as it does: $(grep -m1 "send request failed" "$log.write")"
		else
			fail "$what: expected st-flash 1.7.0 to fail on the PID it does not know:"
			tail -20 "$log.write"
		fi
		return
	fi
	if grep -q "Flash written and verified! jolly good!" "$log.write"; then
		pass "$what: write ($t_wall s wall, $t_virtual s virtual)"
	else
		fail "$what: write did not report 'Flash written and verified':"
		tail -20 "$log.write"
	fi
	if sim "$state" st-flash read "$log.back" 0x08000000 "$size" >"$log.read" 2>&1 </dev/null &&
		cmp -s "$image" "$log.back"; then
		pass "$what: read in a new process returns the image"
	else
		fail "$what: read in a new process does not return what was written:"
		tail -20 "$log.read"
	fi
	timed "$log.erase" st-flash erase
	if sim "$state" st-flash read "$log.erased" 0x08000000 "$size" >>"$log.erase" 2>&1 </dev/null &&
		all_ff "$log.erased" "$size"; then
		pass "$what: erase leaves 0xFF ($t_wall s wall, $t_virtual s virtual)"
	else
		fail "$what: erase:"
		tail -20 "$log.erase"
	fi
}

# check_program STATE CHIP PERSONA IFACE IMAGE [ADDR [WHAT]]: openocd with interface/IFACE.cfg
# and CHIP's target cfg programs IMAGE at ADDR (default 0x08000000) with verify, reset and
# exit, to "Verified OK". The wall and virtual times are printed, and for a whole-image
# write from the flash base (no WHAT) kept for the figures table.
check_program() {
	state=$1 chip=$2 persona=$3 iface=$4 image=$5 addr=${6:-0x08000000}
	kib=$(($(wc -c <"$image") / 1024))
	what="openocd $iface.cfg $chip on $persona: program ${7:-$kib KiB} verify"
	chip_load "$chip"
	log=$work/openocd-$chip-$persona-$iface-$addr.log
	timed "$log" openocd -f interface/$iface.cfg -f target/$c_target.cfg -c "$noports" \
		-c "program $image $addr verify reset exit"
	if grep -q "Verified OK" "$log"; then
		pass "$what: $t_wall s wall, $t_virtual s virtual; $(cat "$work/stats")"
		[ -n "${7:-}" ] || figure "$chip $kib $persona/$iface $t_wall $t_virtual"
	else
		fail "$what did not report Verified OK:"
		tail -30 "$log"
	fi
}

# check_ob CHIP PERSONA IFACE: stage CHIP's ob_table values on a fresh board, run the
# driver's read commands in one openocd run, and find each value the state file holds in
# what they print.
check_ob() {
	chip=$1 persona=$2 iface=$3
	chip_load "$chip"
	rows=$work/ob-$chip.rows
	echo "$ob_table" | awk -F'|' -v n="$chip" '$1 == n' >"$rows"
	[ -s "$rows" ] || { fail "no option-byte reads for $chip in the ob table"; return; }
	board "ob-$chip-$persona-$iface" "$chip" "$persona"
	edit_state "$state" $(cut -d'|' -f3 "$rows" | tr ' ' '\n' | awk '!seen[$0]++')
	set -- -c init -c "reset halt"
	while IFS='|' read -r _ cmd _; do
		set -- "$@" -c "$cmd"
	done <<-EOF
	$(awk -F'|' '!seen[$2]++' "$rows")
	EOF
	out=$(sim "$state" openocd -f interface/$iface.cfg -f target/$c_target.cfg -c "$noports" \
		"$@" -c exit 2>&1 </dev/null)
	while IFS='|' read -r _ cmd stage expr; do
		key=${stage%%=*}
		v=$(state_get "$state" "$key")
		want=$(python3 -c "v = $v; print($expr)" </dev/null)
		if [ -n "$v" ] && echo "$out" | sed 's/$/$/' | grep -qF -- "$want"; then
			pass "openocd $iface.cfg $chip on $persona: '$cmd' shows $key = $v: $want"
		else
			fail "openocd $iface.cfg $chip on $persona: '$cmd' does not show $key = $v ('$want'):"
			echo "$out" | tail -15
		fi
	done <"$rows"
}
