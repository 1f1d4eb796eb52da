/* The flash engine: open (driver, option bytes, map, unit), the unlock/lock bracket
 * around every operation, erase by range, bank and mass. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "flash/flash-internal.h"
#include "target/target.h"

#define IWDG_KEY_RELOAD 0xAAAAu /* IWDG_KR, RM0090 21.4.1 (the same on every STM32) */

static int build_map(struct sr_flash *f)
{
	struct sr_ob_values defaults;
	int rc;
	if (f->map.sect)
		sr_flash_map_free(&f->map);
	if (f->ob_ok)
		return sr_flash_map_build(f->dev, f->flash_size / 1024, sr_ob_values_lookup,
					  &f->ob, &f->map);
	/* No option-byte table: the factory layout. */
	sr_ob_values_init(&defaults, f->fam->ob);
	rc = sr_flash_map_build(f->dev, f->flash_size / 1024,
				f->fam->ob ? sr_ob_values_lookup : NULL, &defaults, &f->map);
	sr_ob_values_free(&defaults);
	return rc;
}

int sr_flash_reload(struct sr_flash *f)
{
	if (f->ob.raw)
		sr_ob_values_free(&f->ob);
	f->ob_ok = sr_target_read_ob(f->tg, &f->ob) == SR_OK;
	int rc = build_map(f);
	if (rc != SR_OK)
		sr_msgs_add(&f->why,
			    "no flash layout for %s fits these option bytes (families/%s.ini "
			    "gives the option values each layout needs): %s",
			    f->dev->name, f->fam->name, sr_strerror(rc));
	return rc;
}

/* Stop the watchdogs while the core is halted (DBGMCU freeze bits, DIAGNOSES.md 18). */
static void freeze_watchdogs(struct sr_flash *f)
{
	const struct sr_addrbit *fz[2] = {&f->dev->defs.iwdg_freeze, &f->dev->defs.wwdg_freeze};
	for (int i = 0; i < 2; i++) {
		uint32_t v;
		if (!fz[i]->addr || sr_target_read32(f->tg, fz[i]->addr, &v) != SR_OK)
			continue;
		if (!(v & 1u << fz[i]->bit))
			sr_target_write32(f->tg, fz[i]->addr, v | 1u << fz[i]->bit);
	}
}

void sr_flash_kick_watchdog(struct sr_flash *f)
{
	/* A reload is harmless when the IWDG is not running; needed when the freeze bit
	 * does not hold (a running core, DIAGNOSES.md 2). */
	if (f->dev->defs.iwdg_base)
		sr_target_write32(f->tg, f->dev->defs.iwdg_base, IWDG_KEY_RELOAD);
}

int sr_flash_open(struct sr_target *tg, struct sr_flash *f)
{
	memset(f, 0, sizeof(*f));
	f->tg = tg;
	f->dev = tg->id.dev;
	if (!f->dev) {
		sr_msgs_add(&f->why, "the chip was not identified, so its flash is unknown");
		return SR_E_UNKNOWN_CHIP;
	}
	f->fam = f->dev->family;
	f->erased = (uint8_t)f->dev->defs.erased;
	f->ops = sr_flash_driver_find(f->dev->defs.flash_driver);
	if (!f->ops) {
		sr_msgs_add(&f->why, "no flash driver '%s' (families/%s.ini) in this build",
			    f->dev->defs.flash_driver, f->fam->name);
		return SR_E_UNSUPPORTED;
	}
	f->flash_size = tg->id.flash_kib_ok ? tg->id.flash_kib * 1024 : f->dev->flash_max;
	if (!sr_cm_is_halted(tg)) {
		int rc = sr_cm_halt(tg);
		if (rc != SR_OK) {
			sr_msgs_add(&f->why, "the core could not be halted for flash work: %s",
				    sr_strerror(rc));
			return rc;
		}
		tg->halted_by_us = true;
	}
	return sr_flash_reopen(f);
}

int sr_flash_reopen(struct sr_flash *f)
{
	freeze_watchdogs(f);
	int rc = sr_flash_reload(f);
	if (rc == SR_OK)
		rc = f->ops->setup(f);
	return rc;
}

void sr_flash_close(struct sr_flash *f)
{
	if (f->map.sect)
		sr_flash_map_free(&f->map);
	if (f->ob.raw)
		sr_ob_values_free(&f->ob);
	sr_msgs_free(&f->why);
}

/* Unlock BANK, then clear what earlier operations left (PG can only be cleared with
 * FLASH_CR unlocked). */
int sr_flash_begin(struct sr_flash *f, int bank)
{
	sr_flash_kick_watchdog(f);
	int rc = f->ops->unlock(f, bank);
	if (rc == SR_OK)
		rc = f->ops->prepare(f, bank);
	return rc;
}

/* Lock BANK again whatever happened; the first error wins. */
int sr_flash_end(struct sr_flash *f, int bank, int rc)
{
	int lrc = f->ops->lock(f, bank);
	f->locked_after[bank - 1] = lrc == SR_OK;
	if (lrc != SR_OK)
		sr_msgs_add(&f->why, "the flash of bank %d could not be locked again: %s", bank,
			    sr_strerror(lrc));
	return rc != SR_OK ? rc : lrc;
}

static void progress(struct sr_flash *f, const char *phase, uint64_t done, uint64_t total)
{
	if (f->progress)
		f->progress(f->progress_ctx, phase, done, total);
}

int sr_flash_erase_sectors(struct sr_flash *f, const struct sr_sector *const *v, int n)
{
	uint64_t total = 0, done = 0;
	for (int i = 0; i < n; i++)
		total += v[i]->size;
	for (int bank = 1; bank <= 2; bank++) {
		int first = -1, rc = SR_OK;
		for (int i = 0; i < n; i++)
			if (v[i]->bank == bank && first < 0)
				first = i;
		if (first < 0)
			continue;
		rc = sr_flash_begin(f, bank);
		for (int i = first; rc == SR_OK && i < n; i++) {
			if (v[i]->bank != bank)
				continue;
			progress(f, "erase", done, total);
			sr_debug("erasing sector %u of bank %u at 0x%08X (%u bytes)", v[i]->index,
				 v[i]->bank, v[i]->addr, v[i]->size);
			rc = f->ops->erase_sector(f, v[i]);
			done += v[i]->size;
			sr_flash_kick_watchdog(f);
		}
		rc = sr_flash_end(f, bank, rc);
		if (rc != SR_OK)
			return rc;
	}
	progress(f, "erase", total, total);
	return SR_OK;
}

/* The first and last sector of [ADDR, ADDR+LEN), which must be whole sectors. */
static int range_sectors(struct sr_flash *f, uint32_t addr, uint32_t len,
			 const struct sr_sector **first, const struct sr_sector **last)
{
	*first = sr_flash_map_find(&f->map, addr);
	*last = len ? sr_flash_map_find(&f->map, addr + len - 1) : NULL;
	if (!*first || !*last || addr + len < addr) {
		sr_msgs_add(&f->why,
			    "0x%08X-0x%08X is not inside the flash of this %s (0x%08X, %u KiB)",
			    addr, addr + len - 1, f->dev->name, f->map.bank_base[0],
			    f->map.total / 1024);
		return SR_E_RANGE;
	}
	if ((*first)->addr != addr || (*last)->addr + (*last)->size != addr + len) {
		sr_msgs_add(&f->why,
			    "0x%08X-0x%08X does not start and end on sector boundaries: erasing it "
			    "would erase 0x%08X-0x%08X; give that range to erase all of it",
			    addr, addr + len - 1, (*first)->addr,
			    (*last)->addr + (*last)->size - 1);
		return SR_E_RANGE;
	}
	return SR_OK;
}

int sr_flash_check_range(struct sr_flash *f, uint32_t addr, uint32_t len)
{
	const struct sr_sector *first, *last;
	return range_sectors(f, addr, len, &first, &last);
}

int sr_flash_erase_range(struct sr_flash *f, uint32_t addr, uint32_t len)
{
	const struct sr_sector *first, *last;
	int rc = range_sectors(f, addr, len, &first, &last);
	if (rc != SR_OK)
		return rc;
	int n = (int)(last - first) + 1;
	const struct sr_sector **v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return SR_E_NOMEM;
	for (int i = 0; i < n; i++)
		v[i] = first + i;
	rc = sr_flash_erase_sectors(f, v, n);
	free(v);
	return rc;
}

int sr_flash_erase_bank(struct sr_flash *f, int bank)
{
	if (bank < 1 || bank > f->map.banks) {
		sr_msgs_add(&f->why, "%s has %d bank%s with these option bytes", f->dev->name,
			    f->map.banks, f->map.banks == 1 ? "" : "s");
		return SR_E_RANGE;
	}
	progress(f, "erase", 0, f->map.bank_size[bank - 1]);
	int rc = sr_flash_begin(f, bank);
	if (rc == SR_OK)
		rc = f->ops->erase_bank(f, bank);
	rc = sr_flash_end(f, bank, rc);
	if (rc == SR_OK)
		progress(f, "erase", f->map.bank_size[bank - 1], f->map.bank_size[bank - 1]);
	return rc;
}

int sr_flash_erase_mass(struct sr_flash *f)
{
	if (!f->ops->erase_mass) {
		int rc = SR_OK;
		for (int b = 1; rc == SR_OK && b <= f->map.banks; b++)
			rc = sr_flash_erase_bank(f, b);
		return rc;
	}
	progress(f, "erase", 0, f->map.total);
	int rc = SR_OK;
	for (int b = 1; rc == SR_OK && b <= f->map.banks; b++)
		rc = sr_flash_begin(f, b);
	if (rc == SR_OK)
		rc = f->ops->erase_mass(f);
	for (int b = f->map.banks; b >= 1; b--)
		rc = sr_flash_end(f, b, rc);
	if (rc == SR_OK)
		progress(f, "erase", f->map.total, f->map.total);
	return rc;
}
