/* chipdef-ext.c: the chip facts beyond the first F446 cut, for chipdef.c only. */
#ifndef SR_SIM_CHIPDEF_EXT_H
#define SR_SIM_CHIPDEF_EXT_H

#include "sim/chipdef.h"

struct sr_device;

/* Fill the option-byte fields, reset flags, WWDG freeze bit, RAM layout and boot
 * alias of C from the database entry DEV (after the families/ facts and the part's
 * own, such as its RAM size, are in C). */
void sr_sim_chipdef_fill_ext(const struct sr_device *dev, struct sr_sim_chipdef *c);

#endif
