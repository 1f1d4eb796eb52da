/* Shipped scenarios: boards in trouble, made from a factory-fresh board (scenario.c). */
#ifndef SR_SIM_SCENARIO_H
#define SR_SIM_SCENARIO_H

#include <stdbool.h>

struct sr_sim_scenario {
	char chip[32];
	char title[160];
	char diagnoses[32]; /* the DIAGNOSES.md items it shows, "A2 D15" */
	bool firmware;      /* flash holds a bootable vector table */
};

/* Read the [scenario] section of the scenario file SCENARIO. */
int sr_sim_scenario_info(const char *scenario, struct sr_sim_scenario *out);
/* Write the board of SCENARIO to the state file PATH (and PATH.mem). */
int sr_sim_scenario_create(const char *scenario, const char *path);

#endif
