#!/bin/sh
# Command-line shape: help, version, bad arguments, exit codes.
. "$(dirname "$0")/lib.sh"

run --version
expect_rc 0 "--version"
expect_out "^stmrescue [0-9]" "version printed"
run --help
expect_out "Usage: stmrescue" "--help"
expect_out "--probe SPEC" "--help lists --probe"
run help ob
expect_rc 0 "help COMMAND"
expect_out "ob decode" "help ob explains decode"
run help nonsense
expect_rc 2 "help on an unknown command"
run frobnicate
expect_rc 2 "unknown command"
expect_err "unknown command 'frobnicate'" "unknown command named"
run --bogus chips
expect_rc 2 "unknown option"
run --log
expect_rc 2 "--log without a value"
expect_err "needs a value" "missing option value explained"
run ob
expect_rc 2 "ob without subcommand"
run ob decode stm32f4
expect_rc 2 "ob decode without REG=VALUE"
run ob decode stm32f4 OPTCR
expect_rc 2 "REG without =VALUE"
expect_err "is not REG=VALUE" "REG without value explained"
run ob decode stm32f4 OPTCR=0x1FFFFFFFF
expect_rc 2 "value over 32 bits"
run ob decode stm32f4 NOPE=1
expect_rc 2 "unknown register"
expect_err "Registers of stm32f4: OPTCR OPTCR1" "known registers listed"
run ob decode stm32f446 OPTCR1=0
expect_rc 2 "register absent on that device"
expect_err "STM32F446 has no register OPTCR1" "absent register explained"
run --log "$tmp/log.txt" -v chips
expect_rc 0 "--log FILE"
run list extra
expect_rc 2 "list takes no arguments"
# No probe on this machine's USB (the virtual lab is reached with sim run instead).
run list
expect_rc 4 "list without a probe exits 4"
expect_out "No ST-Link found" "no probe explained"
run --json list
expect_json "d['probes'] == []" "list --json without a probe"
finish
