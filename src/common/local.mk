libstmrescue_la_SOURCES += \
	src/common/error.c src/common/error.h \
	src/common/log.c src/common/log.h \
	src/common/util.c src/common/util.h
libstmrescue_la_SOURCES += src/common/msgs.c src/common/msgs.h
