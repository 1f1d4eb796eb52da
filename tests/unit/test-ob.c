/* Option-byte model: every field of every shipped family decodes and round-trips; bad tables are explained. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "common/error.h"
#include "common/util.h"
#include "db/family.h"
#include "ob/ob.h"

static struct sr_db *db;

static int setup(void **state)
{
	struct sr_msgs msgs = {0};
	int rc = sr_db_load(tu_datadir(), &db, &msgs);
	tu_msgs_print(&msgs);
	sr_msgs_free(&msgs);
	return rc;
}

static int teardown(void **state)
{
	sr_db_free(db);
	return 0;
}

static void check_enum_round_trip(struct sr_ob_values *v, const struct sr_ob_field *f)
{
	struct sr_msgs msgs = {0};
	for (int c = 0; c < f->n_choices; c++) {
		const struct sr_ob_choice *ch = &f->choices[c];
		uint32_t got;
		assert_int_equal(sr_ob_encode(v, f->name, ch->label, &msgs), SR_OK);
		got = sr_ob_field_value(v, f);
		if (sr_ob_choice_of(f, got) != ch)
			fail_msg("%s: label '%s' encoded to 0x%X, which decodes as another choice",
				 f->name, ch->label, got);
		if (!ch->any) {
			char num[16];
			snprintf(num, sizeof(num), "0x%X", ch->value);
			assert_int_equal(sr_ob_encode(v, f->name, num, &msgs), SR_OK);
			assert_int_equal(sr_ob_field_value(v, f), ch->value);
		}
	}
	assert_int_not_equal(sr_ob_encode(v, f->name, "no-such-choice", &msgs), SR_OK);
	assert_true(tu_msgs_have(&msgs, f->name, "not one of its choices", NULL));
	sr_msgs_free(&msgs);
}

static void check_bitmask_round_trip(struct sr_ob_values *v, const struct sr_ob_field *f)
{
	struct sr_msgs msgs = {0};
	char text[512], item[16];
	assert_int_equal(sr_ob_encode(v, f->name, "none", &msgs), SR_OK);
	sr_ob_describe(f, sr_ob_field_value(v, f), text, sizeof(text));
	assert_non_null(strstr(text, "no "));
	assert_int_equal(sr_ob_encode(v, f->name, "all", &msgs), SR_OK);
	sr_ob_describe(f, sr_ob_field_value(v, f), text, sizeof(text));
	assert_non_null(strstr(text, "every"));
	snprintf(item, sizeof(item), "%u", f->first);
	assert_int_equal(sr_ob_encode(v, f->name, item, &msgs), SR_OK);
	assert_int_equal(sr_ob_field_value(v, f) & 1u, f->active);
	sr_ob_describe(f, sr_ob_field_value(v, f), text, sizeof(text));
	assert_non_null(strstr(text, item));
	assert_int_not_equal(sr_ob_encode(v, f->name, "9999", &msgs), SR_OK);
	sr_msgs_free(&msgs);
}

static void check_number_round_trip(struct sr_ob_values *v, const struct sr_ob_field *f)
{
	struct sr_msgs msgs = {0};
	uint32_t all = sr_field_mask(f->hi, f->lo) >> f->lo;
	uint32_t top = f->max < all ? f->max : all;
	char num[24];
	snprintf(num, sizeof(num), "0x%X", top);
	assert_int_equal(sr_ob_encode(v, f->name, num, &msgs), SR_OK);
	assert_int_equal(sr_ob_field_value(v, f), top);
	if (f->scale > 1) { /* an address is accepted and scaled down */
		snprintf(num, sizeof(num), "0x%X", f->def * f->scale + f->offset);
		if (f->def * f->scale + f->offset > all) {
			assert_int_equal(sr_ob_encode(v, f->name, num, &msgs), SR_OK);
			assert_int_equal(sr_ob_field_value(v, f), f->def);
		}
	}
	assert_int_not_equal(sr_ob_encode(v, f->name, "banana", &msgs), SR_OK);
	sr_msgs_free(&msgs);
}

/* Encoding a field changes only its own bits. */
static void check_field(const struct sr_ob_table *t, const struct sr_ob_field *f)
{
	struct sr_ob_values v;
	char text[512];
	uint32_t others;
	sr_ob_values_init(&v, t);
	assert_int_equal(sr_ob_field_value(&v, f), f->def);
	sr_ob_describe(f, f->def, text, sizeof(text));
	assert_true(strlen(text) > 3);
	assert_null(strstr(text, "undefined"));
	others = v.raw[f->reg] & ~sr_field_mask(f->hi, f->lo);
	if (f->kind == SR_OB_ENUM)
		check_enum_round_trip(&v, f);
	else if (f->kind == SR_OB_BITMASK)
		check_bitmask_round_trip(&v, f);
	else
		check_number_round_trip(&v, f);
	assert_int_equal(v.raw[f->reg] & ~sr_field_mask(f->hi, f->lo), others);
	sr_ob_values_free(&v);
}

static void test_every_field_round_trips(void **state)
{
	int n = 0;
	assert_true(db->n_obs > 0);
	for (int i = 0; i < db->n_obs; i++)
		for (int j = 0; j < db->obs[i]->n_fields; j++, n++)
			check_field(db->obs[i], &db->obs[i]->fields[j]);
	print_message("checked %d fields in %d tables\n", n, db->n_obs);
}

static const char *default_label(const struct sr_ob_table *t, const char *field)
{
	const struct sr_ob_field *f = sr_ob_field_find(t, field);
	const struct sr_ob_choice *ch = f ? sr_ob_choice_of(f, f->def) : NULL;
	return ch ? ch->label : NULL;
}

/* Factory defaults mean what the reference manuals say: RDP 0, software watchdogs. */
static void test_factory_defaults_meaning(void **state)
{
	static const char *const wdg[] = {"WDG_SW", "IWDG_SW", "IWDG1_SW", "WWDG_SW"};
	for (int i = 0; i < db->n_obs; i++) {
		const struct sr_ob_table *t = db->obs[i];
		const char *name = sr_ob_field_find(t, "RDP") ? "RDP" : "RDPRT"; /* F1: a status bit */
		assert_non_null(sr_ob_field_find(t, name));
		assert_string_equal(default_label(t, name), "level 0");
		for (unsigned w = 0; w < SR_ARRAY_SIZE(wdg); w++)
			if (sr_ob_field_find(t, wdg[w]))
				assert_string_equal(default_label(t, wdg[w]), "software");
	}
	assert_string_equal(default_label(sr_db_family(db, "stm32f4")->ob, "BOR_LEV"), "off");
}

static void test_rdp_dangers(void **state)
{
	for (int i = 0; i < db->n_obs; i++) {
		const struct sr_ob_field *rdp = sr_ob_field_find(db->obs[i], "RDP");
		if (!rdp) { /* F1 shows read protection as one bit, RDPRT */
			rdp = sr_ob_field_find(db->obs[i], "RDPRT");
			assert_non_null(rdp);
			assert_true(sr_ob_change_danger(rdp, 1, 0) & SR_DANGER_ERASES_FLASH);
			continue;
		}
		assert_true(sr_ob_change_danger(rdp, 0xBB, 0xAA) & SR_DANGER_ERASES_FLASH);
		assert_true(sr_ob_change_danger(rdp, 0xAA, 0xCC) & SR_DANGER_IRREVERSIBLE);
		assert_true(sr_ob_change_danger(rdp, 0xAA, 0xCC) & SR_DANGER_LOCKS_DEBUG);
		assert_int_equal(sr_ob_change_danger(rdp, 0x00, 0xBB), 0);
		assert_int_equal(sr_ob_change_danger(rdp, 0xAA, 0xAA), 0);
	}
}

static void test_f4_wrp_text(void **state)
{
	const struct sr_ob_table *t = sr_db_family(db, "stm32f4")->ob;
	const struct sr_ob_field *f = sr_ob_field_find(t, "nWRP");
	char text[256];
	sr_ob_describe(f, 0xFF6, text, sizeof(text));
	assert_string_equal(text, "sectors 0, 3 write-protected");
	sr_ob_describe(f, 0xFFF, text, sizeof(text));
	assert_string_equal(text, "no sector write-protected");
}

/* With SPRMOD = 1 the nWRP bits are PCROP, active high (RM0390 3.6.5): the same value
 * reads the other way round, and `ob set nWRP=5` sets bit 5 instead of clearing it. */
static void test_f4_pcrop_mode(void **state)
{
	const struct sr_ob_table *t = sr_db_family(db, "stm32f4")->ob;
	const struct sr_ob_field *f = sr_ob_field_find(t, "nWRP"), *g;
	struct sr_ob_values v;
	struct sr_ob_field as;
	struct sr_msgs msgs = {0};
	char text[256];
	sr_ob_values_init(&v, t);
	assert_int_equal(sr_ob_values_set_reg(&v, "OPTCR", 0x8020AAECu), SR_OK);
	g = sr_ob_field_as(&v, f, &as);
	assert_true(g->pcrop);
	sr_ob_describe(g, sr_ob_field_value(&v, f), text, sizeof(text));
	assert_string_equal(text, "sector 5 PCROP-protected (execute only: no debugger read, "
				  "erase or program)");
	assert_int_equal(sr_ob_encode(&v, "nWRP", "1,2", &msgs), SR_OK);
	assert_int_equal(sr_ob_field_value(&v, f), 0x006);
	assert_int_equal(sr_ob_encode(&v, "SPRMOD", "WRP", &msgs), SR_OK);
	assert_ptr_equal(sr_ob_field_as(&v, f, &as), f); /* back to write protection */
	assert_int_equal(sr_ob_encode(&v, "nWRP", "1,2", &msgs), SR_OK);
	assert_int_equal(sr_ob_field_value(&v, f), 0xFF9);
	sr_ob_values_free(&v);
	sr_msgs_free(&msgs);
}

static const char base_table[] = "[optbytes]\n"
				 "family = t\n"
				 "[register R]\n"
				 "addr = 0x40000000\n"
				 "default = 0x0000AA01\n"
				 "control = 0x80000000\n"
				 "[field A]\n"
				 "reg = R\n"
				 "bits = 0\n"
				 "default = 1\n"
				 "help = a bit\n"
				 "choice = 0 | off | it is off\n"
				 "choice = 1 | on | it is on\n"
				 "[field RDP]\n"
				 "reg = R\n"
				 "bits = 15:8\n"
				 "default = 0xAA\n"
				 "help = rdp\n"
				 "choice = 0xAA | level 0 | none\n"
				 "choice = * | level 1 | some\n";

static void expect_table_problem(const char *from, const char *to, const char *what)
{
	struct sr_msgs msgs = {0};
	const char *p = strstr(base_table, from);
	char text[2048];
	struct sr_ob_table *t;
	assert_non_null(p);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(p - base_table), base_table, to,
		 p + strlen(from));
	t = sr_ob_table_load_mem("t.ini", text, strlen(text), &msgs);
	if (t || !tu_msgs_have(&msgs, "t.ini", what, NULL)) {
		tu_msgs_print(&msgs);
		fail_msg("expected a refusal mentioning '%s'", what);
	}
	sr_msgs_free(&msgs);
}

static void test_malformed_tables(void **state)
{
	struct sr_msgs msgs = {0};
	struct sr_ob_table *t = sr_ob_table_load_mem("t.ini", base_table, strlen(base_table), &msgs);
	assert_non_null(t);
	assert_int_equal(msgs.n, 0);
	sr_ob_table_free(t);
	expect_table_problem("default = 1\n", "default = 0\n", "disagrees with the default of R");
	expect_table_problem("choice = 1 | on | it is on\n", "", "no choice for value 0x1");
	expect_table_problem("bits = 15:8", "bits = 8:0", "overlaps field A");
	expect_table_problem("reg = R\nbits = 0", "reg = Q\nbits = 0", "no such [register]");
	expect_table_problem("help = rdp\n", "help = rdp\ndanger = explodes\n", "t.ini:19");
	expect_table_problem("help = a bit\n", "", "needs reg, bits, default and help");
	expect_table_problem("[field A]", "[feld A]", "unknown section");
	expect_table_problem("bits = 15:8", "bits = 31:24", "overlaps control bits");
	expect_table_problem("choice = 0 | off | it is off", "choice = 2 | off | it is off",
			     "does not fit");
	expect_table_problem("addr = 0x40000000\n", "", "needs addr and default");
	expect_table_problem("1 | on | it is on", "1 | off | it is on", "two choices are labelled 'off'");
	expect_table_problem("help = rdp\n", "help = rdp\nmode = A=0 | 1 | wrp | other\n",
			     "only bitmask fields take a mode");
	expect_table_problem("help = a bit\n", "help = a bit\nmode = A=0 | 1 | both | other\n", "bad value");
}

/* A bitmask's mode must name a field of the table, and not hold for the factory values. */
static void test_mode_checks(void **state)
{
	static const char mask[] = "[field M]\n"
				   "reg = R\n"
				   "bits = 4:1\n"
				   "default = 0x0\n"
				   "kind = bitmask\n"
				   "active = 0\n"
				   "item = sector\n"
				   "meaning = write-protected\n"
				   "help = mask\n";
	char text[2048];
	struct sr_msgs msgs = {0};
	const char *modes[][2] = {{"mode = B=1 | 1 | pcrop | read-protected\n", "names no field"},
				  {"mode = A=1 | 1 | pcrop | read-protected\n", "holds for the factory default"},
				  {"mode = A=0 | 1 | pcrop | read-protected\n", NULL}};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		snprintf(text, sizeof(text), "%s%s%s", base_table, mask, modes[i][0]);
		struct sr_ob_table *t = sr_ob_table_load_mem("t.ini", text, strlen(text), &msgs);
		if (modes[i][1]) {
			assert_null(t);
			assert_true(tu_msgs_have(&msgs, "t.ini", modes[i][1], NULL));
		} else {
			if (!t)
				tu_msgs_print(&msgs);
			assert_non_null(t);
			sr_ob_table_free(t);
		}
		sr_msgs_free(&msgs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_field_round_trips),
	    cmocka_unit_test(test_factory_defaults_meaning),
	    cmocka_unit_test(test_rdp_dangers),
	    cmocka_unit_test(test_f4_wrp_text),
	    cmocka_unit_test(test_malformed_tables),
	    cmocka_unit_test(test_f4_pcrop_mode),
	    cmocka_unit_test(test_mode_checks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
