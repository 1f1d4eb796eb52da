#!/bin/sh
# Build the image test fixtures with the ARM cross toolchain (gcc-arm-none-eabi):
#   mk.sh [OUTDIR]   (default: this folder, to refresh the checked-in copies)
# aligned.elf, unaligned.elf, and unaligned.hex/.srec/.bin made from it by objcopy.
set -eu
cd "$(dirname "$0")"
out=${1:-.}
for v in aligned unaligned; do
	arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -nostdlib -nostartfiles \
		-Wl,-n,--no-warn-rwx-segments -T "$v.ld" -o "$out/$v.elf" fw.S
done
cd "$out"
arm-none-eabi-objcopy -O ihex unaligned.elf unaligned.hex
arm-none-eabi-objcopy -O srec unaligned.elf unaligned.srec
arm-none-eabi-objcopy -O binary unaligned.elf unaligned.bin
