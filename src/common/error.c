/* Names and messages for enum sr_err. */
#include "config.h"

#include <stddef.h>

#include "common/error.h"

struct err_entry {
	int code;
	const char *name;
	const char *text;
};

static const struct err_entry err_table[] = {
#define SR_ERR_ROW(name, value, text) {value, #name, text},
	SR_ERRORS(SR_ERR_ROW)
#undef SR_ERR_ROW
};

static const struct err_entry *err_find(int err)
{
	for (unsigned i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].code == err)
			return &err_table[i];
	return NULL;
}

const char *sr_strerror(int err)
{
	const struct err_entry *e = err_find(err);
	return e ? e->text : "unknown error";
}

const char *sr_errname(int err)
{
	const struct err_entry *e = err_find(err);
	return e ? e->name : "SR_E_UNKNOWN";
}
