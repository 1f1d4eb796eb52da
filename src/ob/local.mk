libstmrescue_la_SOURCES += \
	src/ob/ob.h src/ob/ob-internal.h \
	src/ob/ob.c src/ob/ob-text.c src/ob/ob-load.c src/ob/ob-field.c src/ob/ob-check.c
