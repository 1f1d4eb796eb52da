/* One owner per probe: an advisory lock file per probe serial in the runtime directory. */
#ifndef SR_LOCK_H
#define SR_LOCK_H

#include "common/msgs.h"

struct sr_probe_lock;

/* Take the lock for SERIAL; SR_E_PROBE_LOCKED (explained in WHY) when another process has it. */
int sr_probe_lock(const char *serial, struct sr_probe_lock **out, struct sr_msgs *why);
void sr_probe_unlock(struct sr_probe_lock *lock);

#endif
