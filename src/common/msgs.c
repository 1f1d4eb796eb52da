/* Collected messages, shown once the output (or the TUI) is ready for them. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/msgs.h"
#include "common/util.h"

void sr_msgs_add(struct sr_msgs *m, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	m->v = sr_realloc_array(m->v, (size_t)m->n + 1, sizeof(*m->v));
	m->v[m->n++] = sr_strdup(buf);
}

void sr_msgs_free(struct sr_msgs *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}
