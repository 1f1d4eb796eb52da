# sim module
include src/sim/probe.mk
