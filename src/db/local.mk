libstmrescue_la_SOURCES += \
	src/db/family.h src/db/db-internal.h \
	src/db/ini.c src/db/ini.h \
	src/db/db.c src/db/chipdefs.c src/db/family-load.c src/db/family-device.c src/db/family-part.c \
	src/db/geometry.c
