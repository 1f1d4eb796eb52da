/*
 * The virtual chips come from the chip database: a copy of the data directory with
 * a part's facts changed makes a chip that reports the changed facts through its
 * debug port, and a new [part] of a known flash generation is a new virtual chip
 * with no C.
 */
#include "config.h"

#include "sim-test.h"
#include "testutil.h"

#include "db/family.h"
#include "ob/ob.h"
#include "sim/chipdef.h"

#define DBGMCU_IDCODE 0xE0042000u
#define CPUID 0xE000ED00u
#define F_SIZE 0x1FFF7A20u /* the word holding F_SIZE (0x1FFF7A22), RM0090 39.2 */

static const char *const data_files[] = {
    "families/stm32f1.ini", "families/stm32f4.ini", "families/stm32f7.ini",
    "families/stm32g4.ini", "families/stm32h7.ini", "families/stm32l4.ini",
    "optbytes/stm32f1.ini", "optbytes/stm32f4.ini", "optbytes/stm32f7.ini",
    "optbytes/stm32g4.ini", "optbytes/stm32h7.ini", "optbytes/stm32l4.ini",
};

struct datadir {
	char *dir, *saved_env;
	char path[600]; /* a board state file in DIR */
	struct sr_sim_board *b;
};

/* DIR/REL's text with FROM (which must be there, once) replaced by TO, and MORE appended. */
static void edit(const char *dir, const char *rel, const char *from, const char *to,
		 const char *more)
{
	char path[600];
	size_t len;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *text = calloc(1, 1 << 20);
	len = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	text[len] = '\0';
	char *at = from ? strstr(text, from) : NULL;
	assert_true(!from || (at && !strstr(at + 1, from)));
	f = fopen(path, "w");
	assert_non_null(f);
	if (at) {
		fwrite(text, 1, (size_t)(at - text), f);
		fputs(to, f);
		fputs(at + strlen(from), f);
	} else {
		fputs(text, f);
	}
	fputs(more ? more : "", f);
	fclose(f);
	free(text);
}

/* A copy of the shipped data, which the virtual lab then reads (STMRESCUE_DATADIR). */
static void datadir_make(struct datadir *d)
{
	const char *env = getenv("STMRESCUE_DATADIR");
	d->saved_env = env ? strdup(env) : NULL;
	d->dir = tu_tmpdir();
	for (size_t i = 0; i < sizeof(data_files) / sizeof(data_files[0]); i++)
		tu_copy(d->dir, data_files[i]);
	snprintf(d->path, sizeof(d->path), "%s/board.ini", d->dir);
}

static void datadir_use(struct datadir *d)
{
	setenv("STMRESCUE_DATADIR", d->dir, 1);
}

static void datadir_done(struct datadir *d)
{
	if (d->b)
		sr_sim_board_close(d->b);
	if (d->saved_env)
		setenv("STMRESCUE_DATADIR", d->saved_env, 1);
	else
		unsetenv("STMRESCUE_DATADIR");
	free(d->saved_env);
	tu_rmtree(d->dir);
}

/* Create CHIP's board in D's folder and connect to it: line reset, debug power-up. */
static uint32_t open_board(struct datadir *d, const char *chip)
{
	uint32_t idcode, v;
	assert_int_equal(sr_sim_board_create(chip, d->path), SR_OK);
	assert_int_equal(sr_sim_board_open(d->path, &d->b), SR_OK);
	assert_int_equal(sr_sim_swd_line_reset(d->b), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(d->b, 0, &idcode), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_write(d->b, 4, 0x50000000), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_dp_read(d->b, 4, &v), SR_SIM_ACK_OK);
	assert_int_equal(v & 0xF0000000u, 0xF0000000u);
	return idcode;
}

static uint32_t ap_idr(struct sr_sim_board *b, uint8_t ap)
{
	uint32_t v = 0;
	assert_int_equal(sr_sim_ap_read(b, ap, 0xFC, &v), SR_SIM_ACK_OK);
	return v;
}

/* The shipped F446 first, so that the changed values below are known to differ. */
static void test_shipped_f446(void **state)
{
	struct datadir d = {0};
	(void)state;
	datadir_make(&d);
	datadir_use(&d);
	assert_int_equal(open_board(&d, "stm32f446"), 0x2BA01477);
	assert_int_equal(reg(d.b, CPUID), 0x410FC241);
	assert_int_equal(ap_idr(d.b, 0), 0x24770011);
	assert_int_equal(ap_idr(d.b, 1), 0); /* no AP 1 */
	datadir_done(&d);
}

/* [part stm32f446] with another CPUID, DP IDCODE and a second access port. */
static void test_changed_part_data(void **state)
{
	struct datadir d = {0};
	uint8_t buf[4];
	uint32_t fa = 0;
	(void)state;
	datadir_make(&d);
	edit(d.dir, "families/stm32f4.ini", "cpuid = 0x410FC241", "cpuid = 0x410FC240", NULL);
	edit(d.dir, "families/stm32f4.ini", "dp_idcode = 0x2BA01477", "dp_idcode = 0x1BA01477",
	     "[part stm32f446]\nap = 0x84770001 0x00000002 win=0x20000000:4K\n");
	datadir_use(&d);
	assert_int_equal(open_board(&d, "stm32f446"), 0x1BA01477);
	assert_int_equal(reg(d.b, CPUID), 0x410FC240);
	assert_int_equal(ap_idr(d.b, 1), 0x84770001);
	/* AP 1 reaches its window of SRAM and nothing else */
	assert_int_equal(sr_sim_mem_read(d.b, 1, 0x20000FFC, 4, buf, 4, &fa), SR_SIM_ACK_OK);
	assert_int_equal(sr_sim_mem_read(d.b, 1, 0x20001000, 4, buf, 4, &fa), SR_SIM_ACK_FAULT);
	datadir_done(&d);
}

/* A new part of a known generation: an STM32F401xE (DEV_ID 0x433) from data alone. */
static void test_new_part_from_data(void **state)
{
	struct datadir d = {0};
	(void)state;
	datadir_make(&d);
	/* DBGMCU writable bits here are test data, not the F401's (RM0368 23.16) */
	edit(d.dir, "families/stm32f4.ini", NULL, NULL,
	     "[device 0x433]\n"
	     "dbgreg = cr 0xE0042004 0x00000007\n"
	     "dbgreg = apb1_fz 0xE0042008 0x00E01C0F\n"
	     "[part stm32f401xe]\n"
	     "device = 0x433\n"
	     "revision = 0x1001\n"
	     "cpuid = 0x410FC241\n"
	     "dp_idcode = 0x2BA01477\n"
	     "ap = 0x24770011 0xE00FF003\n");
	datadir_use(&d);
	assert_int_equal(open_board(&d, "stm32f401xe"), 0x2BA01477);
	assert_int_equal(reg(d.b, DBGMCU_IDCODE), 0x10010433);
	assert_int_equal(reg(d.b, F_SIZE) >> 16, 512); /* flash_max of [device 0x433] */
	/* the F2-generation flash controller of the family answers */
	assert_int_equal(reg(d.b, FLASH_CR), 0x80000000);
	flash_unlock(d.b);
	datadir_done(&d);
}

/* What the model needs and the data lacks is refused, not guessed. */
static void test_incomplete_data_refused(void **state)
{
	struct datadir d = {0};
	(void)state;
	datadir_make(&d);
	/* a device with no DBGMCU registers */
	edit(d.dir, "families/stm32f4.ini", NULL, NULL,
	     "[part stm32f401xe]\ndevice = 0x433\ncpuid = 0x410FC241\n"
	     "dp_idcode = 0x2BA01477\nap = 0x24770011 0xE00FF003\n");
	/* a debug APB the model has no description of */
	edit(d.dir, "families/stm32h7.ini", "apb=h74x", "apb=h7zz", NULL);
	datadir_use(&d);
	assert_int_equal(sr_sim_board_create("stm32f401xe", d.path), SR_E_NODATA);
	assert_int_equal(sr_sim_board_create("stm32h753", d.path), SR_E_NODATA);
	assert_int_equal(sr_sim_board_create("stm32f999", d.path), SR_E_UNKNOWN_CHIP);
	datadir_done(&d);
}

/* Each part's factory flash, as the model lays it out from its layouts, is the tool's
 * own flash map of the device under the factory option bytes (sr_flash_map_build). */
static void test_factory_flash_is_the_db_map(void **state)
{
	struct sr_db *db = NULL;
	struct sr_msgs msgs = {0};
	static struct sr_sim_chipdef c;
	const struct sr_part *p;
	(void)state;
	assert_int_equal(sr_db_load(tu_datadir(), &db, &msgs), SR_OK);
	for (int i = 0; (p = sr_db_part_at(db, i)); i++) {
		struct sr_ob_values v;
		struct sr_flash_map m;
		uint32_t n1 = 0, per_bank[2] = {0};
		assert_int_equal(sr_sim_chipdef_load(p->name, &c), SR_OK);
		sr_ob_values_init(&v, p->device->family->ob);
		assert_int_equal(sr_flash_map_build(p->device, c.flash_size / 1024,
						    sr_ob_values_lookup, &v, &m),
				 SR_OK);
		assert_int_equal(c.n_banks, m.banks);
		for (int k = 0; k < m.banks; k++) {
			assert_int_equal(c.bank_base[k], m.bank_base[k]);
			assert_int_equal(c.bank_size[k], m.bank_size[k]);
		}
		for (int s = 0; s < m.n_sect; s++) {
			per_bank[m.sect[s].bank - 1]++;
			if (m.sect[s].bank == 1)
				assert_int_equal(c.sect_size[n1++], m.sect[s].size);
		}
		assert_int_equal(c.n_sect, n1);
		assert_int_equal(c.bank_sect[0], per_bank[0]);
		assert_int_equal(c.bank_sect[1], per_bank[1]);
		assert_int_equal(c.bank2_regs, m.geom->bank2_regs);
		sr_flash_map_free(&m);
		sr_ob_values_free(&v);
	}
	assert_true(sr_db_part_at(db, 6) != NULL); /* all seven were compared */
	sr_db_free(db);
	sr_msgs_free(&msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_f446),
	    cmocka_unit_test(test_changed_part_data),
	    cmocka_unit_test(test_new_part_from_data),
	    cmocka_unit_test(test_incomplete_data_refused),
	    cmocka_unit_test(test_factory_flash_is_the_db_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
