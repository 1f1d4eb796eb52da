/* Log file and verbosity. Nothing goes to stderr while the TUI owns the terminal. */
#ifndef SR_LOG_H
#define SR_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum sr_log_level {
	SR_LOG_ERROR = 0,
	SR_LOG_WARN,
	SR_LOG_INFO,
	SR_LOG_DEBUG,
	SR_LOG_TRACE, /* USB hex dumps */
};

/* Send the log to PATH (appending); NULL sends it to stderr. Returns sr_err. */
int sr_log_open(const char *path);
void sr_log_close(void);
void sr_log_set_level(int level);
int sr_log_level(void);
/* While false (the TUI is up), stderr output is dropped unless a log file is open. */
void sr_log_allow_stderr(bool allow);

void sr_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sr_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hex dump of LEN bytes, one line per 16, at LEVEL. */
void sr_log_hex(int level, const char *prefix, const void *buf, size_t len);

#define sr_err(...) sr_log(SR_LOG_ERROR, __VA_ARGS__)
#define sr_warn(...) sr_log(SR_LOG_WARN, __VA_ARGS__)
#define sr_info(...) sr_log(SR_LOG_INFO, __VA_ARGS__)
#define sr_debug(...) sr_log(SR_LOG_DEBUG, __VA_ARGS__)

#endif
