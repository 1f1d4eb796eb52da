# sim module
include src/sim/probe.mk
include src/sim/chip.mk
