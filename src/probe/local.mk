libstmrescue_la_SOURCES += \
	src/probe/stlink-proto.h src/probe/transport.h src/probe/transport.c \
	src/probe/usb.c src/probe/sim-transport.c src/probe/lock.c src/probe/lock.h
libstmrescue_la_SOURCES += src/probe/stlink.c src/probe/stlink.h src/probe/stlink-debug.c \
	src/probe/stlink-mem.c src/probe/stlink-status.c
