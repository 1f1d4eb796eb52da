/* The board state file: an INI file of sections and keys, read and rewritten in order. */
#ifndef SR_SIM_STATE_H
#define SR_SIM_STATE_H

#include <stdbool.h>
#include <stdint.h>

struct sr_sim_state;

int sr_sim_state_load(const char *path, struct sr_sim_state **out);
int sr_sim_state_save(const struct sr_sim_state *st);
void sr_sim_state_free(struct sr_sim_state *st);
const char *sr_sim_state_path(const struct sr_sim_state *st);

/* NULL when absent. */
const char *sr_sim_state_get(const struct sr_sim_state *st, const char *section, const char *key);
/* Typed getters return DEF when the key is absent and an error when it is malformed. */
int sr_sim_state_get_u32(const struct sr_sim_state *st, const char *section, const char *key,
			 uint32_t def, uint32_t *out);
int sr_sim_state_get_bool(const struct sr_sim_state *st, const char *section, const char *key,
			  bool def, bool *out);
/* Index of the value of KEY in NAMES[0..N-1]; DEF when the key is absent, -1 when the value
 * is none of them. */
int sr_sim_state_get_choice(const struct sr_sim_state *st, const char *section, const char *key,
			    const char *const *names, int n, int def);
void sr_sim_state_set(struct sr_sim_state *st, const char *section, const char *key,
		      const char *value);
void sr_sim_state_set_u32(struct sr_sim_state *st, const char *section, const char *key,
			  uint32_t value);

#endif
