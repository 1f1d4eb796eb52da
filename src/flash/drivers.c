/* The flash drivers, found by the name families/ flash_driver gives. */
#include "config.h"

#include <string.h>

#include "flash/driver.h"

extern const struct sr_flash_ops sr_flash_stm32f2;

/* stm32f1 */
extern const struct sr_flash_ops sr_flash_stm32f1;

/* stm32l4 */
extern const struct sr_flash_ops sr_flash_stm32l4;

/* stm32h7 */
extern const struct sr_flash_ops sr_flash_stm32h7;

static const struct sr_flash_ops *const drivers[] = {
    &sr_flash_stm32f2,

    /* stm32f1 */
    &sr_flash_stm32f1,

    /* stm32l4 */
    &sr_flash_stm32l4,

    /* stm32h7 */
    &sr_flash_stm32h7,
};

const struct sr_flash_ops *sr_flash_driver_find(const char *name)
{
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (strcmp(drivers[i]->name, name) == 0)
			return drivers[i];
	return NULL;
}
