# target: one probe and one target (connect strategies, Cortex-M debug, identification)
libstmrescue_la_SOURCES += \
	src/target/target.h src/target/target.c src/target/cortexm.c src/target/connect.c \
	src/target/identify.c
