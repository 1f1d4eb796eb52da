/* Number parsing and string helpers shared by every module. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "common/util.h"

int sr_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	int base = 10;
	if (!s)
		return SR_E_ARG;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '-' || *s == '+')
		return SR_E_PARSE;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	}
	if (!isxdigit((unsigned char)*s))
		return SR_E_PARSE;
	errno = 0;
	unsigned long long v = strtoull(s, &end, base);
	if (errno == ERANGE)
		return SR_E_RANGE;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return SR_E_PARSE;
	*out = v;
	return SR_OK;
}

int sr_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	int rc = sr_parse_u64(s, &v);
	if (rc)
		return rc;
	if (v > 0xFFFFFFFFull)
		return SR_E_RANGE;
	*out = (uint32_t)v;
	return SR_OK;
}

int sr_parse_size(const char *s, uint32_t *out)
{
	char buf[32];
	size_t n;
	uint64_t mult = 1, v;
	int rc;
	if (!s)
		return SR_E_ARG;
	n = strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return SR_E_PARSE;
	memcpy(buf, s, n + 1);
	if (buf[n - 1] == 'K' || buf[n - 1] == 'k')
		mult = 1024;
	else if (buf[n - 1] == 'M' || buf[n - 1] == 'm')
		mult = 1024 * 1024;
	if (mult != 1)
		buf[n - 1] = '\0';
	rc = sr_parse_u64(buf, &v);
	if (rc)
		return rc;
	if (v * mult > 0xFFFFFFFFull)
		return SR_E_RANGE;
	*out = (uint32_t)(v * mult);
	return SR_OK;
}

void sr_format_size(uint32_t bytes, char *buf, size_t len)
{
	if (bytes && bytes % (1024 * 1024) == 0)
		snprintf(buf, len, "%uM", bytes / (1024 * 1024));
	else if (bytes && bytes % 1024 == 0)
		snprintf(buf, len, "%uK", bytes / 1024);
	else
		snprintf(buf, len, "%u", bytes);
}

static void sr_oom(void)
{
	fputs("stmrescue: out of memory\n", stderr);
	abort();
}

char *sr_strdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		sr_oom();
	return p;
}

void *sr_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		sr_oom();
	return p;
}

void *sr_realloc_array(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		sr_oom();
	p = realloc(p, (n && size) ? n * size : 1);
	if (!p)
		sr_oom();
	return p;
}

char *sr_trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int sr_split(char *s, char sep, char **fields, int max)
{
	int n = 0;
	while (n < max) {
		char *p = n == max - 1 ? NULL : strchr(s, sep);
		if (p)
			*p = '\0';
		fields[n++] = sr_trim(s);
		if (!p)
			break;
		s = p + 1;
	}
	return n;
}

bool sr_streq_nocase(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}
