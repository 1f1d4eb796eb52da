/* libFuzzer target: the families/ and optbytes/ parsers on arbitrary bytes. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/msgs.h"
#include "db/db-internal.h"
#include "db/ini.h"
#include "ob/ob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sr_msgs msgs = {0};
	struct sr_ini ini;
	struct sr_family fam;
	struct sr_ob_table *t;
	memset(&fam, 0, sizeof(fam));
	if (sr_ini_read_mem("fuzz.ini", (const char *)data, size, &ini, &msgs) == 0)
		sr_family_from_ini(&ini, &fam, &msgs);
	sr_family_free(&fam);
	sr_ini_free(&ini);
	t = sr_ob_table_load_mem("fuzz.ini", (const char *)data, size, &msgs);
	sr_ob_table_free(t);
	sr_msgs_free(&msgs);
	return 0;
}
