/* Small helpers: number parsing, string lists, allocation. */
#ifndef SR_UTIL_H
#define SR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Parse a whole string as an unsigned number: decimal, 0x hex or 0b binary. */
int sr_parse_u32(const char *s, uint32_t *out);
int sr_parse_u64(const char *s, uint64_t *out);
/* Parse a size: a number with an optional K or M suffix (binary units). */
int sr_parse_size(const char *s, uint32_t *out);
/* "16K", "1M", "528" */
void sr_format_size(uint32_t bytes, char *buf, size_t len);

/* strdup that aborts on out-of-memory (allocation failure is not recoverable here). */
char *sr_strdup(const char *s);
void *sr_calloc(size_t n, size_t size);
void *sr_realloc_array(void *p, size_t n, size_t size);

/* Trim leading and trailing white space in place; returns S advanced. */
char *sr_trim(char *s);
/* Split S in place at SEP into at most MAX trimmed fields; returns the count. */
int sr_split(char *s, char sep, char **fields, int max);
bool sr_streq_nocase(const char *a, const char *b);

/* Bit helpers for a field at bits [hi:lo] of a 32-bit word. */
static inline uint32_t sr_field_mask(unsigned hi, unsigned lo)
{
	return (uint32_t)((hi - lo == 31) ? 0xFFFFFFFFu : (((1u << (hi - lo + 1)) - 1u) << lo));
}

static inline uint32_t sr_field_get(uint32_t word, unsigned hi, unsigned lo)
{
	return (word & sr_field_mask(hi, lo)) >> lo;
}

static inline uint32_t sr_field_set(uint32_t word, unsigned hi, unsigned lo, uint32_t v)
{
	return (word & ~sr_field_mask(hi, lo)) | ((v << lo) & sr_field_mask(hi, lo));
}

#endif
