/* The keys of [family] that a [device] may override: one table, one setter per value type. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "db/db-internal.h"

enum defkind { K_STR, K_U32, K_SIZE, K_ADDRBIT, K_KEYS, K_BASESIZE, K_CORE };

struct defkey {
	const char *key;
	enum defkind kind;
	size_t off, len;
	bool required;
};

#define DEF(k, kind, member, req)                                                          \
	{                                                                                  \
		k, kind, offsetof(struct sr_chipdefs, member),                             \
		    sizeof(((struct sr_chipdefs *)0)->member), req                         \
	}

static const struct defkey defkeys[] = {
    DEF("core", K_CORE, core, true),
    DEF("flash_driver", K_STR, flash_driver, true),
    DEF("optbytes", K_STR, optbytes, false),
    DEF("idcode_addr", K_U32, idcode_addr, true),
    DEF("dbgmcu_cr", K_U32, dbgmcu_cr, false),
    DEF("iwdg_freeze", K_ADDRBIT, iwdg_freeze, false),
    DEF("wwdg_freeze", K_ADDRBIT, wwdg_freeze, false),
    DEF("iwdg_base", K_U32, iwdg_base, false),
    DEF("rcc_csr", K_U32, rcc_csr, false),
    DEF("flash_base", K_U32, flash_base, true),
    DEF("flash_size_addr", K_U32, flash_size_addr, true),
    DEF("uid_addr", K_U32, uid_addr, true),
    DEF("package_addr", K_U32, package_addr, false),
    DEF("flash_regs", K_U32, flash_regs, true),
    DEF("keys", K_KEYS, keys, true),
    DEF("optkeys", K_KEYS, optkeys, true),
    DEF("prog_unit", K_SIZE, prog_unit, true),
    DEF("erased", K_U32, erased, false),
    DEF("system_memory", K_BASESIZE, sysmem_base, false),
    DEF("otp", K_BASESIZE, otp_base, false),
    DEF("option_bytes", K_BASESIZE, ob_base, false),
    DEF("flash_alias", K_U32, flash_alias, false),
    DEF("sysmem_alias", K_U32, sysmem_alias, false),
    DEF("erase_unit", K_STR, erase_unit, false),
    DEF("option_bytes2", K_U32, ob2_base, false),
    DEF("rcc_base", K_U32, rcc_base, false),
    DEF("rcc_ahbenr", K_U32, rcc_ahbenr, false),
    DEF("rcc_ahbenr_reset", K_U32, rcc_ahbenr_reset, false),
    DEF("rcc_csr_reset", K_U32, rcc_csr_reset, false),
    DEF("lsi_csr", K_U32, lsi_csr, false),
    DEF("hsi_hz", K_U32, hsi_hz, false),
    DEF("lsi_hz", K_U32, lsi_hz, false),
    DEF("sysclk_hz", K_U32, sysclk_hz, false),
    DEF("flash_acr_reset", K_U32, flash_acr_reset, false),
    DEF("wwdg_base", K_U32, wwdg_base, false),
};

_Static_assert(SR_ARRAY_SIZE(defkeys) <= 64, "sr_chipdefs.present has one bit per key");

static const char *const cores[] = {"cortex-m0", "cortex-m0+", "cortex-m3",
				    "cortex-m4", "cortex-m7",  "cortex-m33"};

/* Flash-controller generations named in families/README. */
static const char *const generations[] = {"stm32f1", "stm32f2", "stm32l4", "stm32h7"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

int sr_addrbit_parse(const char *text, struct sr_addrbit *out)
{
	char buf[64];
	char *f[2];
	uint32_t addr, bit;
	snprintf(buf, sizeof(buf), "%s", text);
	if (sr_split(buf, ':', f, 2) != 2 || sr_parse_u32(f[0], &addr) ||
	    sr_parse_u32(f[1], &bit) || bit > 31)
		return SR_E_PARSE;
	out->addr = addr;
	out->bit = (uint8_t)bit;
	return SR_OK;
}

/* Parse two whitespace-separated numbers (keys, or BASE SIZE). */
static int parse_pair(const char *text, bool second_is_size, uint32_t out[2])
{
	char a[32], b[32], extra[2];
	if (sscanf(text, "%31s %31s %1s", a, b, extra) != 2)
		return SR_E_PARSE;
	if (sr_parse_u32(a, &out[0]))
		return SR_E_PARSE;
	return second_is_size ? sr_parse_size(b, &out[1]) : sr_parse_u32(b, &out[1]);
}

static int set_value(const struct defkey *k, void *dst, const char *value, const char **why)
{
	switch (k->kind) {
	case K_CORE:
		if (!in_list(value, cores, SR_ARRAY_SIZE(cores))) {
			*why = "unknown core (cortex-m0, m0+, m3, m4, m7 or m33)";
			return SR_E_PARSE;
		}
		/* fall through */
	case K_STR:
		if (strlen(value) >= k->len || !*value) {
			*why = "empty or too long";
			return SR_E_PARSE;
		}
		if (strcmp(k->key, "flash_driver") == 0 &&
		    !in_list(value, generations, SR_ARRAY_SIZE(generations))) {
			*why = "unknown flash driver (stm32f1, stm32f2, stm32l4, stm32h7)";
			return SR_E_PARSE;
		}
		memcpy(dst, value, strlen(value) + 1);
		return SR_OK;
	case K_U32:
		*why = "not a number";
		return sr_parse_u32(value, dst);
	case K_SIZE:
		*why = "not a size";
		return sr_parse_size(value, dst);
	case K_ADDRBIT:
		*why = "expected ADDRESS:BIT";
		return sr_addrbit_parse(value, dst);
	case K_KEYS:
		*why = "expected two numbers";
		return parse_pair(value, false, dst);
	case K_BASESIZE:
		*why = "expected BASE SIZE";
		return parse_pair(value, true, dst);
	}
	return SR_E_ARG;
}

int sr_chipdefs_set(struct sr_chipdefs *d, const char *key, const char *value, const char **why)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(defkeys); i++) {
		if (strcmp(defkeys[i].key, key) != 0)
			continue;
		int rc = set_value(&defkeys[i], (char *)d + defkeys[i].off, value, why);
		if (rc == SR_OK)
			d->present |= (uint64_t)1 << i;
		return rc;
	}
	*why = "unknown key";
	return SR_E_NOTFOUND;
}

const char *sr_chipdefs_missing(const struct sr_chipdefs *d)
{
	for (size_t i = 0; i < SR_ARRAY_SIZE(defkeys); i++)
		if (defkeys[i].required && !(d->present & ((uint64_t)1 << i)))
			return defkeys[i].key;
	return NULL;
}
