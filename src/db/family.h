/* The chip database: families/ *.ini loaded into memory (format: families/README). */
#ifndef SR_FAMILY_H
#define SR_FAMILY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/msgs.h"

#define SR_MAX_RAM 8
#define SR_MAX_REVS 12
#define SR_MAX_RUNS 8
#define SR_MAX_WHEN 4
#define SR_MAX_SECTORS 1024
#define SR_MAX_DBGREG 8
#define SR_MAX_OBDEF 4
#define SR_MAX_AP 4
#define SR_MAX_APWIN 4

struct sr_ob_table;

/* ADDR:BIT, e.g. a DBGMCU freeze bit or a RAM clock-enable bit; addr 0 = none. */
struct sr_addrbit {
	uint32_t addr;
	uint8_t bit;
};

/* Keys of [family] that a [device] may override. */
struct sr_chipdefs {
	char core[16];
	char flash_driver[24];
	char optbytes[24];
	uint32_t idcode_addr, dbgmcu_cr;
	struct sr_addrbit iwdg_freeze, wwdg_freeze;
	uint32_t iwdg_base, rcc_csr;
	uint32_t flash_base, flash_size_addr, uid_addr, package_addr;
	uint32_t flash_regs, keys[2], optkeys[2];
	uint32_t prog_unit, erased;
	uint32_t sysmem_base, sysmem_size, otp_base, otp_size;
	uint64_t present; /* bit i: key i of the loader's key table was given */
	uint32_t ob_base, ob_size; /* option bytes in the memory map (option_bytes) */
	uint32_t ob2_base; /* bank 2's option bytes (option_bytes2), ob_size long; 0 = none */
	uint32_t flash_alias, sysmem_alias; /* fixed aliases (F7 ITCM), 0 = none */
	char erase_unit[8]; /* what the RM calls the erase unit: "page", "sector" ("": sector) */
	/* Clocks and reset values after reset (RCC, FLASH_ACR); 0 where not given. */
	uint32_t rcc_base, rcc_ahbenr, rcc_ahbenr_reset, rcc_csr_reset, lsi_csr;
	uint32_t hsi_hz, lsi_hz, sysclk_hz;
	uint32_t flash_acr_reset;
	uint32_t wwdg_base;
};

struct sr_ram_region {
	char name[16];
	uint32_t base, size;      /* size: what every part with this ID has */
	struct sr_addrbit enable; /* addr 0: usable after reset */
	bool noexec;
	uint32_t size_max; /* upto=: the largest part with this ID has (0: size) */
};

struct sr_revision {
	uint16_t rev_id;
	char name[8];
};

/* One register bit or bit field, for naming flags in messages. */
enum sr_bit_kind { SR_BIT_STATUS, SR_BIT_ERROR, SR_BIT_BUSY, SR_BIT_CONTROL, SR_BIT_RESETFLAG };

struct sr_bitdef {
	char name[16];
	uint8_t hi, lo;
	enum sr_bit_kind kind;
	char *meaning;
};

struct sr_regbits {
	char reg[16];
	struct sr_bitdef *bits;
	int n;
};

struct sr_regoff {
	char name[16];
	uint32_t off;
};

struct sr_cond {
	char field[24]; /* option-byte field name, or "flash_kib" */
	uint32_t value;
};

struct sr_sector_run {
	uint32_t count; /* 0: fill the rest of the bank */
	uint32_t size;
};

struct sr_geometry {
	char group[32];
	char variant[32];
	struct sr_cond when[SR_MAX_WHEN];
	int n_when;
	int banks;
	uint32_t bank_size, bank2_base, bank2_regs, bank2_first;
	struct sr_sector_run runs[SR_MAX_RUNS];
	int n_runs;
	int line;
};

/* A DBGMCU register a debugger may write, with its writable bits ([device] dbgreg). */
struct sr_dbgreg {
	char name[12];
	uint32_t addr, mask;
};

/* An option-byte register's reset value on one device, where optbytes/ has one default
 * for devices whose reset values differ ([device] ob_default). */
struct sr_ob_default {
	char reg[24];
	uint32_t value;
	int line; /* of its key, for messages */
};

struct sr_family;

struct sr_device {
	uint16_t dev_id;
	char *name;
	struct sr_revision revs[SR_MAX_REVS];
	int n_revs;
	uint32_t flash_max;
	char geometry[32];
	struct sr_ram_region ram[SR_MAX_RAM];
	int n_ram;
	struct sr_chipdefs defs; /* the family's, with this device's overrides */
	struct sr_dbgreg dbgreg[SR_MAX_DBGREG];
	int n_dbgreg;
	struct sr_ob_default ob_default[SR_MAX_OBDEF];
	int n_ob_default;
	const struct sr_family *family;
};

/* An access port of a part's DAP (ADIv5 IHI 0031 C2.6): its IDR and BASE registers, the
 * system-bus windows it reaches (none: all of it) or the debug APB behind it. */
struct sr_part_ap {
	uint32_t idr, base;
	char apb[16]; /* "": a MEM-AP on the system bus; else the name of a debug APB */
	struct {
		uint32_t base, size;
	} win[SR_MAX_APWIN];
	int n_win;
	int line; /* of its `ap` key, for messages */
};

/* A concrete part ([part NAME]): what its DEV_ID group does not pin down. The virtual
 * lab builds one chip per part. */
struct sr_part {
	char name[24];      /* "stm32f446" */
	uint16_t dev_id;    /* its [device] */
	uint16_t rev_id;    /* silicon revision modelled; 0: the device's first */
	uint16_t idcode_res; /* DBGMCU_IDCODE bits 15:12 as the part reads them */
	uint32_t cpuid;     /* SCB CPUID */
	uint32_t mvfr[3];   /* SCB MVFR0-2; 0: no FPU */
	uint32_t dp_idcode; /* SW-DP DPIDR */
	uint32_t dp_targetid; /* DPv2 TARGETID; 0 on a DPv1 */
	struct {
		char name[16];
		uint32_t size;
	} ram_size[SR_MAX_RAM]; /* RAM regions larger than the device's smallest */
	int n_ram_size;
	struct sr_part_ap ap[SR_MAX_AP];
	int n_ap;
	int line; /* of its first key */
	const struct sr_device *device;
};

struct sr_family {
	char name[24];
	char *title;
	char *ref;
	char *path;
	struct sr_chipdefs defs;
	struct sr_regoff *regs;
	int n_regs;
	struct sr_regbits *bits;
	int n_bits;
	struct sr_device *devices;
	int n_devices;
	struct sr_geometry *geoms;
	int n_geoms;
	struct sr_part *parts;
	int n_parts;
	const struct sr_ob_table *ob; /* NULL when optbytes/ has no table for it */
};

struct sr_db {
	struct sr_family *fams;
	int n_fams;
	struct sr_ob_table **obs;
	int n_obs;
	char *datadir;
};

/*
 * Find the data directory: --datadir, $STMRESCUE_DATADIR, the source tree
 * when the program runs from its build tree, then the installed package data
 * directory. Returns NULL and fills MSGS when none has families/.
 */
char *sr_db_find_datadir(const char *override, struct sr_msgs *msgs);

/*
 * Load DATADIR/families/ *.ini and DATADIR/optbytes/ *.ini. A file with errors is
 * reported in PROBLEMS (FILE:LINE: what) and skipped; the rest is loaded.
 * Returns SR_E_NODATA when the folders are missing, SR_OK otherwise.
 */
int sr_db_load(const char *datadir, struct sr_db **out, struct sr_msgs *problems);
void sr_db_free(struct sr_db *db);

const struct sr_family *sr_db_family(const struct sr_db *db, const char *name);
const struct sr_device *sr_db_device(const struct sr_db *db, uint16_t dev_id);
/* A device by DEV_ID ("0x421") or by part name ("stm32f446", case-insensitive substring). */
const struct sr_device *sr_db_device_lookup(const struct sr_db *db, const char *spec);
/* A part by name ("stm32f446", case-insensitive), or NULL. */
const struct sr_part *sr_db_part(const struct sr_db *db, const char *name);
/* The INDEX-th part of the database in file order (families/ files sorted), or NULL. */
const struct sr_part *sr_db_part_at(const struct sr_db *db, int index);
const char *sr_device_revision(const struct sr_device *dev, uint16_t rev_id);
uint32_t sr_family_reg(const struct sr_family *fam, const char *name); /* absolute address; 0 if none */
const struct sr_regbits *sr_family_bits(const struct sr_family *fam, const char *reg);

/* The flash layout in force. */
struct sr_sector {
	uint32_t addr, size;
	uint16_t index; /* sector/page number within its bank */
	uint8_t bank;   /* 1 or 2 */
};

struct sr_flash_map {
	const struct sr_geometry *geom;
	int banks;
	uint32_t bank_base[2], bank_size[2];
	uint32_t total;
	struct sr_sector *sect;
	int n_sect;
};

/* Option-byte field values for `when` conditions: return SR_OK and fill *VAL, or an error. */
typedef int (*sr_field_lookup_fn)(void *ctx, const char *field, uint32_t *val);

/* Lay out DEV's flash of FLASH_KIB KiB under the option bytes LOOKUP reports. */
int sr_flash_map_build(const struct sr_device *dev, uint32_t flash_kib, sr_field_lookup_fn lookup,
		       void *ctx, struct sr_flash_map *out);
void sr_flash_map_free(struct sr_flash_map *map);
/* The sector holding ADDR, or NULL. */
const struct sr_sector *sr_flash_map_find(const struct sr_flash_map *map, uint32_t addr);

#endif
