/* Helpers for the cmocka tests: temporary data directories and the source tree's data. */
#ifndef SR_TESTUTIL_H
#define SR_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/msgs.h"

/* The source tree's data directory (STMRESCUE_DATADIR set by the test harness). */
const char *tu_datadir(void);
/* A fresh temporary directory with families/ and optbytes/ subfolders. */
char *tu_tmpdir(void);
/* Write TEXT to DIR/REL. */
void tu_write(const char *dir, const char *rel, const char *text);
/* Copy the source tree's DATA file REL (families/stm32f4.ini) into DIR. */
void tu_copy(const char *dir, const char *rel);
void tu_rmtree(char *dir);
/* True when some message contains every one of the given substrings (NULL-terminated). */
int tu_msgs_have(const struct sr_msgs *m, ...);
void tu_msgs_print(const struct sr_msgs *m);
/* The source tree's file REL (tests/data/...) read whole into a new buffer; *LEN its size. */
unsigned char *tu_read_src(const char *rel, size_t *len);

#endif
