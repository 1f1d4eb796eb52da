/* Test helper for the conformance scripts: write a factory-fresh virtual board. */
#include "config.h"

#include <stdio.h>

#include "common/error.h"
#include "sim/board.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s CHIP STATEFILE\n", argv[0]);
		return 2;
	}
	int rc = sr_sim_board_create(argv[1], argv[2]);
	if (rc != SR_OK)
		fprintf(stderr, "%s: cannot create a %s board in %s: %s\n", argv[0], argv[1], argv[2],
			sr_strerror(rc));
	return rc == SR_OK ? 0 : 1;
}
