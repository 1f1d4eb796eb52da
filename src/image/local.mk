# image module: firmware image files, pre-flight checks and the programming plan
libstmrescue_la_SOURCES += \
	src/image/image.h src/image/image-internal.h \
	src/image/image.c src/image/image-text.c src/image/image-bin.c \
	src/image/image-ihex.c src/image/image-srec.c src/image/image-elf.c
libstmrescue_la_SOURCES += \
	src/image/preflight.h src/image/preflight-internal.h \
	src/image/preflight.c src/image/preflight-place.c src/image/preflight-erase.c \
	src/image/preflight-vector.c src/image/plan.c
