# flash module: one driver per flash-controller generation behind struct sr_flash_ops,
# the engine (erase, program a plan, verify), write-protection map and backups
libstmrescue_la_SOURCES += \
	src/flash/flash.h src/flash/driver.h src/flash/flash-internal.h src/flash/backup.h \
	src/flash/flash.c src/flash/program.c src/flash/verify.c src/flash/wrp.c \
	src/flash/backup.c src/flash/crc.c src/flash/ob-write.c src/flash/regs.c src/flash/drivers.c \
	src/flash/stm32f2.c

# stm32f1 driver (F0/F1/F3)
libstmrescue_la_SOURCES += src/flash/stm32f1.h src/flash/stm32f1.c src/flash/stm32f1-ob.c \
	src/flash/stm32f1-sram.c

# stm32l4 driver (L4/L4+/G4/G0/WB/WL)
libstmrescue_la_SOURCES += src/flash/stm32l4.c

# stm32h7 driver
libstmrescue_la_SOURCES += src/flash/stm32h7.h src/flash/stm32h7.c src/flash/stm32h7-ob.c \
	src/flash/stm32h7-crc.c

# option bytes of the F2/F4/F7 generation
libstmrescue_la_SOURCES += src/flash/stm32f2-ob.c
