/* stmrescue: everything but main() lives in libstmrescue (src/cli/cli.c has the entry). */
#include "config.h"

#include "cli/cli.h"

int main(int argc, char **argv)
{
	return sr_cli_main(argc, argv);
}
