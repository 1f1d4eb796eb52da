/* Engine functions shared by the engine's own files (flash.c, program.c, verify.c). */
#ifndef SR_FLASH_INTERNAL_H
#define SR_FLASH_INTERNAL_H

#include "flash/flash.h"

/* After a reset or reconnect: freeze the watchdogs again, read the option bytes, rebuild
 * the map, let the driver choose its unit. */
int sr_flash_reopen(struct sr_flash *f);
/* Reload the IWDG (harmless when it is not running). */
void sr_flash_kick_watchdog(struct sr_flash *f);
/* Clear leftovers and unlock BANK; then sr_flash_end() on every path. */
int sr_flash_begin(struct sr_flash *f, int bank);
/* Lock BANK again; returns RC, or the lock's error when RC is SR_OK. */
int sr_flash_end(struct sr_flash *f, int bank, int rc);
/* Erase the N sectors V, bank by bank, each bank unlocked once. */
int sr_flash_erase_sectors(struct sr_flash *f, const struct sr_sector *const *v, int n);

#endif
