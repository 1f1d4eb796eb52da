/* Test helpers: temporary data trees built from strings. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

const char *tu_datadir(void)
{
	const char *d = getenv("STMRESCUE_DATADIR");
	return d ? d : SR_TOP_SRCDIR_DEFAULT;
}

char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/sr-test-XXXXXX";
	char sub[512];
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	snprintf(sub, sizeof(sub), "%s/families", d);
	mkdir(sub, 0700);
	snprintf(sub, sizeof(sub), "%s/optbytes", d);
	mkdir(sub, 0700);
	return strdup(d);
}

void tu_write(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

void tu_copy(const char *dir, const char *rel)
{
	char src[512], buf[4096];
	FILE *in, *out;
	size_t n;
	snprintf(src, sizeof(src), "%s/%s", tu_datadir(), rel);
	in = fopen(src, "r");
	assert_non_null(in);
	snprintf(src, sizeof(src), "%s/%s", dir, rel);
	out = fopen(src, "w");
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

void tu_rmtree(char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (strncmp(dir, "/tmp/sr-test-", 13) == 0 && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(dir);
}

int tu_msgs_have(const struct sr_msgs *m, ...)
{
	for (int i = 0; i < m->n; i++) {
		va_list ap;
		const char *s;
		int all = 1;
		va_start(ap, m);
		while ((s = va_arg(ap, const char *)) != NULL)
			if (!strstr(m->v[i], s))
				all = 0;
		va_end(ap);
		if (all)
			return 1;
	}
	return 0;
}

void tu_msgs_print(const struct sr_msgs *m)
{
	for (int i = 0; i < m->n; i++)
		fprintf(stderr, "  msg: %s\n", m->v[i]);
}

unsigned char *tu_read_src(const char *rel, size_t *len)
{
	char path[512];
	unsigned char *buf;
	long n;
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", tu_datadir(), rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}
