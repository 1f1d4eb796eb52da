libstmrescue_la_SOURCES += \
	src/cli/cli.h src/cli/cli.c src/cli/commands.c src/cli/json.c \
	src/cli/cmd-chips.c src/cli/cmd-ob.c src/cli/cmd-list.c src/cli/cmd-sim.c
