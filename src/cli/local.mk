libstmrescue_la_SOURCES += \
	src/cli/cli.h src/cli/cli.c src/cli/commands.c src/cli/json.c \
	src/cli/cmd-chips.c src/cli/cmd-ob.c src/cli/cmd-list.c src/cli/cmd-sim.c src/cli/ob-report.c \
	src/cli/target-open.c src/cli/cmd-info.c src/cli/info.h src/cli/info-text.c src/cli/info-json.c src/cli/cmd-read.c
libstmrescue_la_SOURCES += \
	src/cli/flash-session.h src/cli/flash-session.c src/cli/progress.c \
	src/cli/image-check.h src/cli/image-check.c \
	src/cli/cmd-program.c src/cli/cmd-verify.c src/cli/cmd-erase.c
# option-byte commands: ob show/set/restore-defaults, rdp
libstmrescue_la_SOURCES += \
	src/cli/ob-change.h src/cli/cmd-ob-change.c src/cli/cmd-ob-boot.c \
	src/cli/cmd-ob-show.c src/cli/cmd-ob-set.c src/cli/cmd-ob-rdp.c
