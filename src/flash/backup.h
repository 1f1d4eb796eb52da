/* Backups of what a destructive operation would lose (backup.c). */
#ifndef SR_FLASH_BACKUP_H
#define SR_FLASH_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "flash/flash.h"

struct sr_backup {
	char stem[600];
	char json_path[608], bin_path[608]; /* bin_path "" when no flash was saved */
	bool flash_ok;
	char flash_why[160]; /* why the flash was not saved */
};

/* The backup folder, created if needed. */
int sr_backup_dir(char *buf, size_t len);
/* Save the option bytes and, when LEN, the flash [ADDR, ADDR+LEN) (what is readable of
 * it: under RDP 1 only the option bytes). REASON is a word for the file name
 * ("program", "erase", "rdp0"). Fails only when nothing could be written. */
int sr_backup_save(struct sr_flash *f, const char *reason, uint32_t addr, uint32_t len,
		   struct sr_backup *out);

#endif
