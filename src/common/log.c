/* Log sink: a file, or stderr when no terminal UI is up. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/error.h"
#include "common/log.h"

/* The one process-wide log, like tmux's log.c: everything may log. */
static struct {
	FILE *file;
	int level;
	bool stderr_allowed;
} sr_log_state = {NULL, SR_LOG_WARN, true};

int sr_log_open(const char *path)
{
	sr_log_close();
	if (!path)
		return SR_OK;
	sr_log_state.file = fopen(path, "a");
	if (!sr_log_state.file)
		return SR_E_IO;
	setvbuf(sr_log_state.file, NULL, _IOLBF, 0);
	return SR_OK;
}

void sr_log_close(void)
{
	if (sr_log_state.file)
		fclose(sr_log_state.file);
	sr_log_state.file = NULL;
}

void sr_log_set_level(int level) { sr_log_state.level = level; }
int sr_log_level(void) { return sr_log_state.level; }
void sr_log_allow_stderr(bool allow) { sr_log_state.stderr_allowed = allow; }

static FILE *log_sink(void)
{
	if (sr_log_state.file)
		return sr_log_state.file;
	return sr_log_state.stderr_allowed ? stderr : NULL;
}

static const char *const level_names[] = {"error", "warning", "info", "debug", "trace"};

void sr_vlog(int level, const char *fmt, va_list ap)
{
	FILE *f = log_sink();
	if (!f || level > sr_log_state.level)
		return;
	if (sr_log_state.file) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		fprintf(f, "%lld.%03ld ", (long long)ts.tv_sec, ts.tv_nsec / 1000000);
	}
	fprintf(f, "stmrescue: %s: ", level_names[level < 0 ? 0 : level > 4 ? 4 : level]);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void sr_log(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sr_vlog(level, fmt, ap);
	va_end(ap);
}

void sr_log_hex(int level, const char *prefix, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	char line[16 * 3 + 1];
	if (level > sr_log_state.level || !log_sink())
		return;
	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		for (size_t i = 0; i < n; i++)
			snprintf(line + 3 * i, 4, "%02x ", p[off + i]);
		line[n ? 3 * n - 1 : 0] = '\0';
		sr_log(level, "%s %04zx: %s", prefix, off, line);
	}
}
