libstmrescue_la_SOURCES += \
	src/cli/cli.h src/cli/cli.c src/cli/commands.c src/cli/json.c \
	src/cli/cmd-chips.c src/cli/cmd-ob.c src/cli/cmd-list.c src/cli/cmd-sim.c src/cli/ob-report.c \
	src/cli/target-open.c src/cli/cmd-info.c src/cli/info.h src/cli/info-text.c src/cli/info-json.c src/cli/cmd-read.c
