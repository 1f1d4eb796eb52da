/* A progress bar on stderr with throughput and time left, only when stderr is a
 * terminal (scripts and logs get the final report alone). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/flash-session.h"

void sr_cli_progress_init(struct sr_cli_progress *p)
{
	memset(p, 0, sizeof(*p));
	p->on = isatty(STDERR_FILENO);
	p->last_pct = -1;
}

static double since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

void sr_cli_progress_cb(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
	struct sr_cli_progress *p = ctx;
	if (!p->on || !total)
		return;
	if (!p->phase || strcmp(p->phase, phase) != 0) {
		if (p->phase)
			fputc('\n', stderr);
		p->phase = phase;
		p->last_pct = -1;
		clock_gettime(CLOCK_MONOTONIC, &p->t0);
	}
	int pct = (int)(done * 100 / total);
	if (pct == p->last_pct)
		return;
	p->last_pct = pct;
	double t = since(&p->t0), rate = t > 0 ? (double)done / t : 0;
	char bar[31];
	memset(bar, '.', 30);
	memset(bar, '#', (size_t)(pct * 30 / 100));
	bar[30] = 0;
	fprintf(stderr, "\r%-8s [%s] %3d%% %6.1f/%.1f KiB", phase, bar, pct, (double)done / 1024,
		(double)total / 1024);
	if (rate > 0 && done < total)
		fprintf(stderr, " %7.1f KiB/s %4.0f s left ", rate / 1024,
			(double)(total - done) / rate);
	else
		fprintf(stderr, "%28s", "");
	fflush(stderr);
}

void sr_cli_progress_end(struct sr_cli_progress *p)
{
	if (p->on && p->phase)
		fputc('\n', stderr);
	p->phase = NULL;
}
