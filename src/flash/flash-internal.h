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

/* CRC-32 (zlib's) computed by the target's core from RAM (crc.c): begin saves the core
 * registers and uploads the routine (SR_E_UNSUPPORTED when no RAM suits); run computes
 * the CRC of [ADDR, ADDR+LEN); end puts the registers back. */
#define SR_CRC_SAVED 17 /* R0-R12, SP, LR, PC, xPSR */
struct sr_flash_crc {
	uint32_t base;
	uint32_t saved[SR_CRC_SAVED];
	bool saved_ok;
};
int sr_flash_crc_begin(struct sr_flash *f, struct sr_flash_crc *c);
int sr_flash_crc_run(struct sr_flash *f, struct sr_flash_crc *c, uint32_t addr, uint32_t len,
		     uint32_t *crc);
void sr_flash_crc_end(struct sr_flash *f, struct sr_flash_crc *c);
/* Continue the CRC-32 PREV (0 to start) over DATA. */
uint32_t sr_flash_crc_host(uint32_t prev, const uint8_t *data, uint32_t len);

#endif
