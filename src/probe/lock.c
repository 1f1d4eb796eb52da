/* Probe lock files: $XDG_RUNTIME_DIR/stmrescue/probe-SERIAL.lock, held with flock(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/util.h"
#include "probe/lock.h"

struct sr_probe_lock {
	int fd;
	char path[512];
};

static void lock_dir(char *buf, size_t len)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	if (rt && *rt)
		snprintf(buf, len, "%s/stmrescue", rt);
	else
		snprintf(buf, len, "/tmp/stmrescue-%u", (unsigned)getuid());
	mkdir(buf, 0700);
}

/* Keep the file name to safe characters whatever the serial holds. */
static void safe_name(const char *serial, char *out, size_t len)
{
	size_t i;
	for (i = 0; serial[i] && i + 1 < len; i++) {
		char c = serial[i];
		out[i] = ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
			     ? c
			     : '_';
	}
	out[i] = '\0';
}

int sr_probe_lock(const char *serial, struct sr_probe_lock **out, struct sr_msgs *why)
{
	struct sr_probe_lock *l = sr_calloc(1, sizeof(*l));
	char dir[256], name[80], pid[32] = "";
	lock_dir(dir, sizeof(dir));
	safe_name(serial && *serial ? serial : "noserial", name, sizeof(name));
	snprintf(l->path, sizeof(l->path), "%s/probe-%s.lock", dir, name);
	l->fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (l->fd < 0) {
		sr_msgs_add(why, "cannot create the probe lock %s: %s", l->path, strerror(errno));
		free(l);
		return SR_E_IO;
	}
	if (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
		ssize_t n = read(l->fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		sr_msgs_add(why, "probe %s is in use by another stmrescue (process %s); "
				 "wait for it to finish or close it",
			    serial, *pid ? sr_trim(pid) : "unknown");
		close(l->fd);
		free(l);
		return SR_E_PROBE_LOCKED;
	}
	if (ftruncate(l->fd, 0) == 0) {
		int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		if (write(l->fd, pid, (size_t)n) != n)
			sr_msgs_add(why, "note: could not record the process in %s", l->path);
	}
	*out = l;
	return SR_OK;
}

void sr_probe_unlock(struct sr_probe_lock *l)
{
	if (!l)
		return;
	close(l->fd); /* releases the flock */
	free(l);
}
