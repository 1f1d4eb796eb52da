/* Fixture for the flash tests: a virtual board (a chip or a scenario), opened through the
 * in-process sim transport, connected, identified, with its flash opened (flashtest.c). */
#ifndef SR_FLASHTEST_H
#define SR_FLASHTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/family.h"
#include "flash/flash.h"
#include "target/target.h"

struct ft {
	char dir[64], path[96];
	struct sr_db *db;
	struct sr_target *tg;
	struct sr_flash f;
	bool f_open;
};

/* A new board of CHIP ("stm32f446") or a copy of SCENARIO ("f446-wrp"), with state keys
 * KV ("section", "key", "value", ... NULL) set before the first connect. */
struct ft *ft_new(const char *chip_or_scenario, ...);
/* Connect (normal) and open the flash: asserts success. */
void ft_connect(struct ft *t);
/* Close the probe (the board keeps its state), connect and open again. */
void ft_reconnect(struct ft *t);
void ft_free(struct ft *t);
/* Print and clear f.why (for a failing test's log). */
void ft_why(struct ft *t);

/* Flash through the probe; asserts the read works. */
void ft_read(struct ft *t, uint32_t addr, uint8_t *buf, uint32_t len);
/* True when LEN bytes at ADDR all read VAL. */
bool ft_all(struct ft *t, uint32_t addr, uint32_t len, uint8_t val);
/* Fill [ADDR, ADDR+LEN) with a pattern through the flash engine (erase + program). */
void ft_fill(struct ft *t, uint32_t addr, uint32_t len, uint32_t seed);
/* The pattern byte ft_fill() writes at ADDR. */
uint8_t ft_pattern(uint32_t addr, uint32_t seed);

#endif
