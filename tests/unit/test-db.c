/* The chip database: the shipped data loads cleanly, layouts are right, bad files are explained. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "common/error.h"
#include "db/family.h"
#include "ob/ob.h"

static const char base_family[] = "[family]\n"
				  "name = testfam\n"
				  "title = Test\n"
				  "core = cortex-m4\n"
				  "flash_driver = stm32f2\n"
				  "idcode_addr = 0xE0042000\n"
				  "flash_base = 0x08000000\n"
				  "flash_size_addr = 0x1FFF7A22\n"
				  "uid_addr = 0x1FFF7A10\n"
				  "flash_regs = 0x40023C00\n"
				  "keys = 1 2\n"
				  "optkeys = 3 4\n"
				  "prog_unit = 4\n"
				  "[device 0x999]\n"
				  "name = TEST1\n"
				  "flash_max = 64K\n"
				  "geometry = g\n"
				  "[geometry g]\n"
				  "banks = 1\n"
				  "sectors = *x16K\n";

/* BASE with the line FROM replaced by TO (FROM must be there). */
static char *mutate(const char *base, const char *from, const char *to)
{
	const char *p = strstr(base, from);
	char *out;
	assert_non_null(p);
	out = malloc(strlen(base) + strlen(to) + 1);
	memcpy(out, base, (size_t)(p - base));
	strcpy(out + (p - base), to);
	strcat(out, p + strlen(from));
	return out;
}

/* Load a temp datadir holding the shipped F4 files plus TEXT as families/test.ini. */
static struct sr_db *load_with(const char *text, struct sr_msgs *msgs, char **dir)
{
	struct sr_db *db = NULL;
	*dir = tu_tmpdir();
	tu_copy(*dir, "families/stm32f4.ini");
	tu_copy(*dir, "optbytes/stm32f4.ini");
	tu_write(*dir, "families/test.ini", text);
	assert_int_equal(sr_db_load(*dir, &db, msgs), SR_OK);
	return db;
}

/* Each malformed file is reported at FILE:LINE with what is wrong, and the good file still loads. */
static void expect_problem(const char *text, const char *where, const char *what)
{
	struct sr_msgs msgs = {0};
	char *dir;
	struct sr_db *db = load_with(text, &msgs, &dir);
	if (!tu_msgs_have(&msgs, where, what, NULL)) {
		tu_msgs_print(&msgs);
		fail_msg("expected a message with '%s' and '%s'", where, what);
	}
	assert_non_null(sr_db_family(db, "stm32f4"));
	assert_null(sr_db_family(db, "testfam"));
	sr_db_free(db);
	sr_msgs_free(&msgs);
	tu_rmtree(dir);
}

static void test_shipped_data_loads(void **state)
{
	struct sr_db *db = NULL;
	struct sr_msgs msgs = {0};
	const char *want[] = {"stm32f1", "stm32f4", "stm32f7", "stm32g4", "stm32h7", "stm32l4"};
	assert_int_equal(sr_db_load(tu_datadir(), &db, &msgs), SR_OK);
	if (msgs.n)
		tu_msgs_print(&msgs);
	assert_int_equal(msgs.n, 0);
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct sr_family *f = sr_db_family(db, want[i]);
		assert_non_null(f);
		assert_non_null(f->ob);
		assert_true(f->n_devices > 0);
	}
	sr_db_free(db);
}

static void test_base_family_is_valid(void **state)
{
	struct sr_msgs msgs = {0};
	char *dir;
	struct sr_db *db = load_with(base_family, &msgs, &dir);
	const struct sr_device *d = sr_db_device(db, 0x999);
	assert_non_null(d);
	assert_string_equal(d->family->name, "testfam");
	/* testfam has no optbytes/ table: that alone is worth a message */
	assert_true(tu_msgs_have(&msgs, "no optbytes/ table", NULL));
	sr_db_free(db);
	sr_msgs_free(&msgs);
	tu_rmtree(dir);
}

static void test_malformed_files(void **state)
{
	char *t;
	expect_problem("[family]\nname = x\nthis line is nonsense\n", "test.ini:3", "not a 'key = value'");
	t = mutate(base_family, "title = Test\n", "title = Test\ncolour = blue\n");
	expect_problem(t, "test.ini:4", "unknown key");
	free(t);
	t = mutate(base_family, "idcode_addr = 0xE0042000", "idcode_addr = 0xE00G2000");
	expect_problem(t, "test.ini:6", "not a number");
	free(t);
	t = mutate(base_family, "flash_regs = 0x40023C00\n", "");
	expect_problem(t, "test.ini", "lacks the required key flash_regs");
	free(t);
	t = mutate(base_family, "geometry = g\n", "geometry = nowhere\n");
	expect_problem(t, "test.ini", "names geometry 'nowhere'");
	free(t);
	t = mutate(base_family, "sectors = *x16K", "sectors = *x16K 4x2K");
	expect_problem(t, "test.ini:20", "COUNTxSIZE");
	free(t);
	t = mutate(base_family, "[device 0x999]", "[device 0x421]");
	expect_problem(t, "test.ini", "device 0x421 is already defined");
	free(t);
	t = mutate(base_family, "[geometry g]", "[geometrie g]");
	expect_problem(t, "test.ini:19", "unknown section");
	free(t);
	t = mutate(base_family, "core = cortex-m4", "core = cortex-a53");
	expect_problem(t, "test.ini:4", "unknown core");
	free(t);
	t = mutate(base_family, "flash_driver = stm32f2", "flash_driver = stm32zz");
	expect_problem(t, "test.ini:5", "unknown flash driver");
	free(t);
	t = mutate(base_family, "name = TEST1\n", "name = TEST1\nram = SRAM 0x20000000\n");
	expect_problem(t, "test.ini:16", "NAME BASE SIZE");
	free(t);
	t = mutate(base_family, "banks = 1", "banks = 3");
	expect_problem(t, "test.ini:19", "banks must be 1 or 2");
	free(t);
}

static void test_missing_datadir(void **state)
{
	struct sr_msgs msgs = {0};
	struct sr_db *db = NULL;
	char *d = sr_db_find_datadir("/nonexistent/stmrescue", &msgs);
	assert_null(d);
	assert_true(tu_msgs_have(&msgs, "/nonexistent/stmrescue", "--datadir", NULL));
	assert_int_equal(sr_db_load("/nonexistent/stmrescue", &db, &msgs), SR_E_NODATA);
	assert_null(db);
	sr_msgs_free(&msgs);
}

static struct sr_db *shipped(void)
{
	struct sr_db *db = NULL;
	struct sr_msgs msgs = {0};
	assert_int_equal(sr_db_load(tu_datadir(), &db, &msgs), SR_OK);
	sr_msgs_free(&msgs);
	return db;
}

static void test_f446_layout(void **state)
{
	struct sr_db *db = shipped();
	const struct sr_device *d = sr_db_device_lookup(db, "stm32f446");
	struct sr_ob_values v;
	struct sr_flash_map m;
	assert_non_null(d);
	assert_int_equal(d->dev_id, 0x421);
	sr_ob_values_init(&v, d->family->ob);
	assert_int_equal(sr_flash_map_build(d, 512, sr_ob_values_lookup, &v, &m), SR_OK);
	assert_int_equal(m.banks, 1);
	assert_int_equal(m.n_sect, 8); /* RM0390 3.3: 4x16K, 64K, 3x128K */
	assert_int_equal(m.sect[4].addr, 0x08010000);
	assert_int_equal(m.sect[4].size, 64 * 1024);
	assert_int_equal(m.sect[7].addr, 0x08060000);
	assert_int_equal(sr_flash_map_find(&m, 0x0807FFFF)->index, 7);
	assert_null(sr_flash_map_find(&m, 0x08080000));
	sr_flash_map_free(&m);
	sr_ob_values_free(&v);
	sr_db_free(db);
}

static void test_f42x_db1m_switches_layout(void **state)
{
	struct sr_db *db = shipped();
	const struct sr_device *d = sr_db_device(db, 0x419);
	struct sr_ob_values v;
	struct sr_flash_map m;
	struct sr_msgs msgs = {0};
	sr_ob_values_init(&v, d->family->ob);
	assert_int_equal(sr_flash_map_build(d, 1024, sr_ob_values_lookup, &v, &m), SR_OK);
	assert_int_equal(m.banks, 1);
	assert_int_equal(m.n_sect, 12);
	sr_flash_map_free(&m);
	assert_int_equal(sr_ob_encode(&v, "DB1M", "dual bank", &msgs), SR_OK);
	assert_int_equal(sr_flash_map_build(d, 1024, sr_ob_values_lookup, &v, &m), SR_OK);
	assert_int_equal(m.banks, 2);
	assert_int_equal(m.n_sect, 16); /* RM0090 table 7: 2 x (4x16K, 64K, 3x128K) */
	assert_int_equal(m.bank_base[1], 0x08080000);
	assert_int_equal(sr_flash_map_find(&m, 0x08080000)->index, 12);
	assert_int_equal(sr_flash_map_find(&m, 0x08080000)->size, 16 * 1024);
	sr_flash_map_free(&m);
	assert_int_equal(sr_flash_map_build(d, 2048, NULL, NULL, &m), SR_OK);
	assert_int_equal(m.banks, 2);
	assert_int_equal(m.n_sect, 24);
	sr_flash_map_free(&m);
	sr_ob_values_free(&v);
	sr_db_free(db);
}

static void test_device_lookup(void **state)
{
	struct sr_db *db = shipped();
	assert_int_equal(sr_db_device_lookup(db, "STM32F407")->dev_id, 0x413);
	assert_int_equal(sr_db_device_lookup(db, "stm32f417")->dev_id, 0x413);
	assert_int_equal(sr_db_device_lookup(db, "0x421")->dev_id, 0x421);
	assert_null(sr_db_device_lookup(db, "stm32f999"));
	assert_null(sr_db_device_lookup(db, "0x1234"));
	assert_string_equal(sr_device_revision(sr_db_device(db, 0x413), 0x1007), "1");
	assert_null(sr_device_revision(sr_db_device(db, 0x413), 0x7777));
	assert_int_equal(sr_family_reg(sr_db_family(db, "stm32f4"), "SR"), 0x40023C0C);
	sr_db_free(db);
}

/* A device with the keys a virtual part needs, and a part of it: lines 21-35 after base_family. */
static const char base_parts[] = "[device 0x999]\n"
				 "revisions = 0x1000=A 0x2001=B\n"
				 "ram = SRAM 0x20000000 8K upto=16K\n"
				 "dbgreg = cr 0xE0042004 0x7\n"
				 "hsi_hz = 16000000\n"
				 "[part test1]\n"
				 "device = 0x999\n"
				 "revision = 0x2001\n"
				 "cpuid = 0x410FC241\n"
				 "mvfr = 1 2 3\n"
				 "dp_idcode = 0x2BA01477\n"
				 "ram_size = SRAM 12K\n"
				 "ap = 0x24770011 0xE00FF003\n"
				 "ap = 0x54770002 0xE00E0003 apb=x\n"
				 "ap = 0x84770001 2 win=0x38000000:64K,0x58000000:0x27000\n";

static char *concat(const char *a, const char *b)
{
	char *out = malloc(strlen(a) + strlen(b) + 1);
	strcpy(out, a);
	strcat(out, b);
	return out;
}

static void test_part_keys(void **state)
{
	struct sr_msgs msgs = {0};
	char *dir, *text = concat(base_family, base_parts);
	struct sr_db *db = load_with(text, &msgs, &dir);
	const struct sr_device *d = sr_db_device(db, 0x999);
	const struct sr_part *p = sr_db_part(db, "TEST1");
	assert_non_null(d);
	assert_non_null(p);
	assert_ptr_equal(p->device, d);
	assert_int_equal(p->dev_id, 0x999);
	assert_int_equal(p->rev_id, 0x2001);
	assert_int_equal(p->cpuid, 0x410FC241);
	assert_int_equal(p->mvfr[2], 3);
	assert_int_equal(p->dp_idcode, 0x2BA01477);
	assert_int_equal(p->dp_targetid, 0);
	assert_int_equal(p->n_ram_size, 1);
	assert_string_equal(p->ram_size[0].name, "SRAM");
	assert_int_equal(p->ram_size[0].size, 12 * 1024);
	assert_int_equal(p->n_ap, 3);
	assert_string_equal(p->ap[0].apb, "");
	assert_int_equal(p->ap[0].n_win, 0);
	assert_string_equal(p->ap[1].apb, "x");
	assert_int_equal(p->ap[2].base, 2);
	assert_int_equal(p->ap[2].n_win, 2);
	assert_int_equal(p->ap[2].win[0].size, 64 * 1024);
	assert_int_equal(p->ap[2].win[1].size, 0x27000);
	assert_int_equal(p->ap[2].line, 35);
	assert_int_equal(d->n_dbgreg, 1);
	assert_string_equal(d->dbgreg[0].name, "cr");
	assert_int_equal(d->dbgreg[0].mask, 7);
	assert_int_equal(d->defs.hsi_hz, 16000000);
	assert_int_equal(sr_db_family(db, "testfam")->defs.hsi_hz, 0); /* a [device] override */
	/* database order: families/ files sorted (stm32f4.ini, test.ini), then file order */
	assert_string_equal(sr_db_part_at(db, 0)->name, "stm32f446");
	assert_ptr_equal(sr_db_part_at(db, 1), p);
	assert_null(sr_db_part_at(db, 2));
	assert_null(sr_db_part(db, "test2"));
	sr_db_free(db);
	sr_msgs_free(&msgs);
	tu_rmtree(dir);
	free(text);
}

/* BASE_FAMILY + BASE_PARTS with FROM replaced by TO must fail at WHERE with WHAT. */
static void expect_part_problem(const char *from, const char *to, const char *where,
				const char *what)
{
	char *text = concat(base_family, base_parts);
	char *t = mutate(text, from, to);
	expect_problem(t, where, what);
	free(t);
	free(text);
}

static void test_part_keys_malformed(void **state)
{
	expect_part_problem("ap = 0x24770011 0xE00FF003", "ap = 0x24770011", "test.ini:33",
			    "IDR BASE");
	expect_part_problem("apb=x", "apb=x win=0x20000000:1K", "test.ini:34", "IDR BASE");
	expect_part_problem("win=0x38000000:64K", "win=0x38000000", "test.ini:35", "IDR BASE");
	expect_part_problem("device = 0x999", "device = 0x998", "test.ini:27",
			    "DEV_ID of a [device] of this file");
	expect_part_problem("device = 0x999", "device = 0x421", "test.ini:27",
			    "DEV_ID of a [device] of this file");
	expect_part_problem("revision = 0x2001", "revision = 0x3000", "test.ini:28",
			    "REV_ID listed in the device's revisions");
	expect_part_problem("ram_size = SRAM 12K", "ram_size = SRAM 32K", "test.ini:32", "upto=");
	expect_part_problem("ram_size = SRAM 12K", "ram_size = CCM 8K", "test.ini:32", "upto=");
	expect_part_problem("mvfr = 1 2 3", "mvfr = 1 2", "test.ini:30", "three numbers");
	expect_part_problem("mvfr = 1 2 3", "idcode_res = 0x10", "test.ini:30", "0 to 0xF");
	expect_part_problem("cpuid = 0x410FC241", "cpuid = 0x410FC24Z", "test.ini:29",
			    "not a number");
	expect_part_problem("cpuid = 0x410FC241\n", "", "test.ini:27", "[part test1] lacks cpuid");
	expect_part_problem("mvfr = 1 2 3", "colour = blue", "test.ini:30", "unknown key");
	expect_part_problem("[part test1]", "[part Test-1]", "test.ini:27", "[part NAME]");
	expect_part_problem("[part test1]", "[part stm32f446]", "test.ini:27",
			    "part stm32f446 is already defined");
	expect_part_problem("dbgreg = cr 0xE0042004 0x7", "dbgreg = cr 0xE0042004", "test.ini:24",
			    "NAME ADDR MASK");
	expect_part_problem("dbgreg = cr 0xE0042004 0x7",
			    "dbgreg = cr 0xE0042004 0x7\ndbgreg = cr 0xE0042008 0x7", "test.ini:25",
			    "each name and address once");
	expect_part_problem("hsi_hz = 16000000", "hsi_hz = 16 MHz", "test.ini:25", "not a number");
}

/* ob_default names a register of the device's option-byte table, checked once both are read. */
static void test_ob_default(void **state)
{
	struct sr_msgs msgs = {0};
	char *dir, *fam = mutate(base_family, "prog_unit = 4\n", "prog_unit = 4\noptbytes = stm32f4\n");
	char *text = concat(fam, "[device 0x999]\n"
				 "ob_default = OPTCR 0x0FFFAAEC\n"
				 "ob_default = OPTCR9 1\n");
	struct sr_db *db = load_with(text, &msgs, &dir);
	const struct sr_device *d = sr_db_device(db, 0x999);
	assert_non_null(d);
	assert_int_equal(d->n_ob_default, 2);
	assert_string_equal(d->ob_default[0].reg, "OPTCR");
	assert_int_equal(d->ob_default[0].value, 0x0FFFAAEC);
	assert_true(tu_msgs_have(&msgs, "test.ini:24", "has no register OPTCR9", NULL));
	assert_false(tu_msgs_have(&msgs, "register OPTCR ", NULL));
	assert_int_equal(msgs.n, 1);
	sr_db_free(db);
	sr_msgs_free(&msgs);
	tu_rmtree(dir);
	free(text);
	text = concat(base_family, "[device 0x999]\nob_default = OPTCR\n");
	expect_problem(text, "test.ini:22", "REGISTER VALUE");
	free(text);
	free(fam);
}

/* The parts the virtual lab builds, and the DEV_ID facts that tell them apart. */
static void test_shipped_parts(void **state)
{
	struct sr_db *db = shipped();
	const char *names[] = {"stm32f103", "stm32f446", "stm32f746", "stm32g431",
			       "stm32g474", "stm32h753", "stm32l476"};
	for (int i = 0; i < 7; i++) {
		const struct sr_part *p = sr_db_part_at(db, i);
		assert_non_null(p);
		assert_string_equal(p->name, names[i]);
		assert_true(p->device->n_dbgreg > 0 && p->device->defs.hsi_hz > 0);
	}
	assert_null(sr_db_part_at(db, 7));
	const struct sr_part *h7 = sr_db_part(db, "stm32h753");
	assert_int_equal(h7->n_ap, 3);
	assert_string_equal(h7->ap[2].apb, "h74x");
	assert_int_equal(h7->ap[1].n_win, 3);
	assert_int_equal(h7->dp_targetid, 0x04500041);
	assert_int_equal(sr_db_part(db, "stm32f103")->rev_id, 0x2003);
	assert_int_equal(sr_db_part(db, "stm32f103")->ram_size[0].size, 20 * 1024);
	assert_int_equal(sr_db_device(db, 0x449)->ob_default[0].value, 0xC0FFAAFD);
	/* G431 and G474: one family, different freeze bits (RM0440 47.16.5) */
	assert_int_equal(sr_db_device(db, 0x468)->dbgreg[2].mask, 0);
	assert_int_equal(sr_db_device(db, 0x469)->dbgreg[2].mask, 2);
	assert_int_equal(sr_db_device(db, 0x469)->defs.ob2_base, 0x1FFFF800);
	assert_int_equal(sr_db_device(db, 0x468)->defs.ob2_base, 0);
	sr_db_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_data_loads),
	    cmocka_unit_test(test_base_family_is_valid),
	    cmocka_unit_test(test_malformed_files),
	    cmocka_unit_test(test_missing_datadir),
	    cmocka_unit_test(test_f446_layout),
	    cmocka_unit_test(test_f42x_db1m_switches_layout),
	    cmocka_unit_test(test_device_lookup),
	    cmocka_unit_test(test_part_keys),
	    cmocka_unit_test(test_part_keys_malformed),
	    cmocka_unit_test(test_ob_default),
	    cmocka_unit_test(test_shipped_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
