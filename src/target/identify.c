/*
 * Identification: DP IDCODE and CPUID (read while connecting), DBGMCU_IDCODE at
 * each address the chip database knows (F1/F4/L4/G4/F7 at 0xE0042000, H7 at
 * 0x5C001000), then the device's flash size register, unique ID and package.
 * A value that reads 0, all ones, its own address, the DP IDCODE or the probe's
 * VID:PID is "no real answer", never a chip (DIAGNOSES.md B6, B7).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "target/target.h"

/* ARMv7-M B4.1.2 CPUID.PARTNO of the cores STM32s use. */
static const struct {
	uint16_t part;
	const char *name;
} cores[] = {{0xC20, "Cortex-M0"}, {0xC60, "Cortex-M0+"}, {0xC23, "Cortex-M3"},
	     {0xC24, "Cortex-M4"}, {0xC27, "Cortex-M7"},  {0xD21, "Cortex-M33"}};

static void name_core(struct sr_ident *id)
{
	uint16_t part = (id->cpuid >> 4) & 0xFFF;
	const char *name = "unknown core";
	for (size_t i = 0; i < sizeof(cores) / sizeof(cores[0]); i++)
		if (cores[i].part == part)
			name = cores[i].name;
	snprintf(id->core, sizeof(id->core), "%s r%up%u", name, (id->cpuid >> 20) & 0xF,
		 id->cpuid & 0xF);
}

/* Is ADDR already in LIST? */
static bool seen(const uint32_t *list, int n, uint32_t addr)
{
	for (int i = 0; i < n; i++)
		if (list[i] == addr)
			return true;
	return false;
}

/* Try the DBGMCU_IDCODE address of every family; the first known device wins. */
static int find_device(struct sr_target *tg, struct sr_msgs *why)
{
	struct sr_ident *id = &tg->id;
	uint32_t tried[16];
	int n = 0;
	for (int f = 0; f < tg->db->n_fams && n < 16; f++) {
		const struct sr_family *fam = &tg->db->fams[f];
		uint32_t addr = fam->defs.idcode_addr, v = 0;
		if (!addr || seen(tried, n, addr))
			continue;
		tried[n++] = addr;
		if (sr_target_read32(tg, addr, &v) != SR_OK || !sr_target_real_answer(tg, v, addr)) {
			sr_debug("identify: DBGMCU_IDCODE at 0x%08X: %s 0x%08X", addr,
				 "no real answer", v);
			continue;
		}
		const struct sr_device *dev = sr_db_device(tg->db, (uint16_t)(v & 0xFFF));
		if (dev && dev->defs.idcode_addr == addr) {
			id->idcode_addr = addr;
			id->dbgmcu_idcode = v;
			id->dev = dev;
			return SR_OK;
		}
		if (!id->idcode_addr) { /* keep the first real answer for the report */
			id->idcode_addr = addr;
			id->dbgmcu_idcode = v;
			id->nearest = fam;
		}
	}
	if (id->idcode_addr) {
		sr_msgs_add(why, "unknown chip: DBGMCU_IDCODE at 0x%08X reads 0x%08X (device ID "
				 "0x%03X), which the chip database does not know; nearest family "
				 "%s ('stmrescue chips' lists the known ones)",
			    id->idcode_addr, id->dbgmcu_idcode, id->dbgmcu_idcode & 0xFFF,
			    id->nearest ? id->nearest->title : "none");
		return SR_E_UNKNOWN_CHIP;
	}
	sr_msgs_add(why, "DBGMCU_IDCODE gives no real answer at any known address (it reads 0 or "
			 "echoes its address): the chip is not identified. The core answers "
			 "(CPUID 0x%08X); try --connect under-reset",
		    id->cpuid);
	return SR_E_UNKNOWN_CHIP;
}

/* Flash size register (KiB, 16 bits), unique ID, package: unreadable ones are left out. */
static void read_sizes(struct sr_target *tg)
{
	struct sr_ident *id = &tg->id;
	const struct sr_chipdefs *d = &id->dev->defs;
	uint16_t kib = 0;
	if (d->flash_size_addr && sr_stlink_read16(&tg->sl, d->flash_size_addr, &kib) == SR_OK &&
	    kib != 0 && kib != 0xFFFF) {
		id->flash_kib = kib;
		id->flash_kib_ok = true;
	}
	if (d->uid_addr)
		id->uid_ok = sr_target_read(tg, d->uid_addr, id->uid, sizeof(id->uid)) == SR_OK;
	if (d->package_addr)
		id->package_ok = sr_stlink_read16(&tg->sl, d->package_addr, &id->package) == SR_OK;
}

/*
 * Keep the core reachable while it sleeps: DBGMCU_CR DBG_SLEEP/DBG_STOP/DBG_STANDBY,
 * bits 0-2 on every family here (RM0090 38.16.3; RM0351 48.16.3; RM0433 60.5.8 has
 * the D1 equivalents at the same positions). Only after connecting under reset.
 */
static void keep_debuggable(struct sr_target *tg)
{
	uint32_t addr = tg->id.dev->defs.dbgmcu_cr, v = 0;
	if (!addr || tg->used != SR_CONNECT_UNDER_RESET)
		return;
	if (sr_target_read32(tg, addr, &v) == SR_OK)
		sr_target_write32(tg, addr, v | 0x7);
}

int sr_target_identify(struct sr_target *tg, struct sr_msgs *why)
{
	struct sr_ident *id = &tg->id;
	name_core(id);
	int rc = find_device(tg, why);
	if (rc != SR_OK)
		return rc;
	id->dev_id = (uint16_t)(id->dbgmcu_idcode & 0xFFF);
	id->rev_id = (uint16_t)(id->dbgmcu_idcode >> 16);
	id->rev_name = sr_device_revision(id->dev, id->rev_id);
	read_sizes(tg);
	keep_debuggable(tg);
	return SR_OK;
}
