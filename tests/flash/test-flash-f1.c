/*
 * The F1 flash driver (src/flash/stm32f1.c, stm32f1-ob.c) and the flash engine against
 * the virtual STM32F103 (medium density, 1 KiB pages): a page erase touches only its
 * page, an odd-length image is padded to whole half-words, mass erase, sticky bits left by
 * another tool, write protection named and the flash locked again on every error path,
 * option bytes written and read back, and read protection set and removed (which erases
 * the flash, after a backup of the option bytes).
 */
#include "flashtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "flash/backup.h"
#include "flash/driver.h"
#include "flash/flash-internal.h"
#include "image/image.h"
#include "probe/transport.h"

extern const struct sr_flash_ops sr_flash_stm32f1;

#define FLASH_SR 0x4002200Cu /* PM0075 3 register map */
#define FLASH_CR 0x40022010u
#define OB_BASE  0x1FFFF800u /* PM0075 2.5 */
#define CR_LOCK  (1u << 7)
#define CR_PG    (1u << 0)
#define SR_ERRS  0x14u /* PGERR, WRPRTERR */
#define PAGE     0x400u

static uint32_t reg(struct ft *t, uint32_t addr)
{
	uint32_t v;
	assert_int_equal(sr_target_read32(t->tg, addr, &v), SR_OK);
	return v;
}

static bool why_has(struct ft *t, const char *s)
{
	for (int i = 0; i < t->f.why.n; i++)
		if (strstr(t->f.why.v[i], s))
			return true;
	return false;
}

static void assert_pattern(struct ft *t, uint32_t addr, uint32_t len, uint32_t seed)
{
	uint8_t *b = malloc(len);
	ft_read(t, addr, b, len);
	for (uint32_t i = 0; i < len; i++)
		assert_int_equal(b[i], ft_pattern(addr + i, seed));
	free(b);
}

/* Erasing page 1 (0x08000400) leaves pages 0 and 2 as they were (PM0075 2.3.4). */
static void test_page_erase_exact(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", NULL);
	ft_connect(t);
	assert_int_equal(t->f.map.sect[1].size, PAGE);
	ft_fill(t, 0x08000000, 3 * PAGE, 1);
	assert_int_equal(sr_flash_erase_range(&t->f, 0x08000400, PAGE), SR_OK);
	assert_true(ft_all(t, 0x08000400, PAGE, 0xFF));
	assert_pattern(t, 0x08000000, PAGE, 1);
	assert_pattern(t, 0x08000800, PAGE, 1);
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	ft_free(t);
}

/* 1001 bytes: the plan pads the last half-word with the erased value, the write goes out
 * in 16-bit accesses (PM0075 2.3.3), and the read-back verification passes. */
static void test_program_odd_length(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", NULL);
	ft_connect(t);
	assert_int_equal(t->f.unit, 2);
	enum { N = 1001 };
	uint8_t data[N];
	for (int i = 0; i < N; i++)
		data[i] = ft_pattern(0x08001000 + (uint32_t)i, 2);
	struct sr_msgs why = {0};
	struct sr_image img;
	struct sr_plan plan;
	struct sr_image_opts o = {.format = SR_IMAGE_BIN, .has_base = true, .base = 0x08001000};
	assert_int_equal(sr_image_parse("odd", data, N, &o, &img, &why), SR_OK);
	assert_int_equal(sr_plan_build(&img, &t->f.map, t->f.unit, t->f.erased, &plan), SR_OK);
	assert_int_equal(plan.write_bytes % 2, 0);
	assert_int_equal(sr_flash_program_plan(&t->f, &plan), SR_OK);
	uint32_t bad;
	uint64_t n_bad;
	assert_int_equal(sr_flash_verify_plan(&t->f, &plan, &bad, &n_bad), SR_OK);
	assert_int_equal(n_bad, 0);
	assert_pattern(t, 0x08001000, N, 2);
	assert_true(ft_all(t, 0x08001000 + N, 2 * PAGE - N, 0xFF)); /* padding, rest erased */
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	sr_plan_free(&plan);
	sr_image_free(&img);
	sr_msgs_free(&why);
	ft_free(t);
}

/* Mass erase (MER, PM0075 2.3.5) empties the whole 128 KiB. */
static void test_mass_erase(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", NULL);
	ft_connect(t);
	ft_fill(t, 0x08000000, 0x100, 3);
	ft_fill(t, 0x0801FC00, 0x400, 3);
	assert_int_equal(sr_flash_erase_mass(&t->f), SR_OK);
	assert_true(ft_all(t, 0x08000000, 128 * 1024, 0xFF));
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	ft_free(t);
}

/* PGERR and WRPRTERR left set by another tool, and PG left in FLASH_CR, are cleared
 * before the next operation (DIAGNOSES.md 2), which then succeeds. */
static void test_sticky_cleared(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", "flash", "sr", "0x34", "flash", "cr", "0x81", NULL);
	ft_connect(t);
	assert_int_equal(reg(t, FLASH_SR) & SR_ERRS, SR_ERRS);
	/* prepare, right after the unlock: nothing left before the first write */
	assert_int_equal(sr_flash_begin(&t->f, 1), SR_OK);
	assert_int_equal(reg(t, FLASH_SR) & SR_ERRS, 0);
	assert_int_equal(reg(t, FLASH_CR) & (CR_PG | CR_LOCK), 0);
	assert_int_equal(sr_flash_end(&t->f, 1, SR_OK), SR_OK);
	assert_int_equal(sr_flash_erase_range(&t->f, 0x08000000, PAGE), SR_OK);
	assert_int_equal(reg(t, FLASH_SR) & SR_ERRS, 0);
	assert_int_equal(reg(t, FLASH_CR) & CR_PG, 0);
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	ft_free(t);
}

/* A half-word programmed over data that is not erased: PGERR named with the address,
 * the flash locked again, and the next operation starts clean. */
static void test_pgerr_named(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", NULL);
	ft_connect(t);
	ft_fill(t, 0x08000000, PAGE, 4);
	const uint8_t hw[2] = {0x12, 0x34};
	int rc = sr_flash_begin(&t->f, 1);
	if (rc == SR_OK)
		rc = t->f.ops->program(&t->f, &t->f.map.sect[0], 0x08000010, hw, 2);
	rc = sr_flash_end(&t->f, 1, rc);
	assert_int_equal(rc, SR_E_FLASH);
	assert_true(why_has(t, "PGERR"));
	assert_true(why_has(t, "0x08000010"));
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	assert_int_equal(reg(t, FLASH_SR) & SR_ERRS, 0);
	assert_pattern(t, 0x08000000, PAGE, 4); /* skipped, not half-written */
	ft_free(t);
}

/* WRP0 = 0xFE protects pages 0-3 (PM0075 2.4.2): the map says so; erasing, programming
 * and mass erase fail with WRPRTERR named, and FLASH_CR is locked after each. */
static void test_wrp_locked_on_error(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", "option_bytes", "wrp0", "0x01FE", "flash", "wrpr",
			      "0xFFFFFFFE", NULL);
	ft_connect(t);
	uint8_t *wrp;
	assert_int_equal(sr_flash_protection(&t->f, &wrp), SR_OK);
	for (int i = 0; i < 8; i++)
		assert_int_equal(wrp[i], i < 4);
	free(wrp);
	assert_int_equal(sr_flash_erase_range(&t->f, 0x08000000, PAGE), SR_E_FLASH_WRP);
	assert_true(why_has(t, "WRPRTERR"));
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	sr_msgs_free(&t->f.why);

	const uint8_t hw[2] = {0x55, 0xAA};
	int rc = sr_flash_begin(&t->f, 1);
	if (rc == SR_OK)
		rc = t->f.ops->program(&t->f, &t->f.map.sect[1], 0x08000400, hw, 2);
	assert_int_equal(sr_flash_end(&t->f, 1, rc), SR_E_FLASH_WRP);
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	assert_true(ft_all(t, 0x08000400, 2, 0xFF));

	assert_int_equal(sr_flash_erase_mass(&t->f), SR_E_FLASH_WRP);
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	ft_free(t);
}

/* WANT: the option bytes as read, with FIELD set to TEXT. */
static void want_with(struct ft *t, struct sr_ob_values *want, const char *field,
		      const char *text)
{
	struct sr_msgs why = {0};
	sr_ob_values_init(want, t->f.ob.t);
	for (int r = 0; r < want->t->n_regs; r++) {
		want->raw[r] = t->f.ob.raw[r];
		want->given[r] = t->f.ob.given[r];
	}
	assert_int_equal(sr_ob_encode(want, field, text, &why), SR_OK);
	sr_msgs_free(&why);
}

static uint32_t field(struct ft *t, const char *name)
{
	return sr_ob_field_value(&t->f.ob, sr_ob_field_find(t->f.ob.t, name));
}

static int ob_write(struct ft *t, const char *fieldname, const char *text)
{
	struct sr_ob_values want;
	want_with(t, &want, fieldname, text);
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_OK)
		ft_why(t);
	sr_ob_values_free(&want);
	return rc;
}

/* Data0 = 0x42 and a hardware watchdog (PM0075 2.5): written, loaded by the reset, read
 * back; stored with its complement; main flash untouched; FLASH_CR locked. */
static void test_ob_write_harmless(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", NULL);
	ft_connect(t);
	ft_fill(t, 0x08000000, PAGE, 5);
	assert_int_equal(ob_write(t, "DATA0", "0x42"), SR_OK);
	assert_int_equal(field(t, "DATA0"), 0x42);
	assert_int_equal(ob_write(t, "WDG_SW", "hardware"), SR_OK);
	assert_int_equal(field(t, "WDG_SW"), 0);
	assert_int_equal(field(t, "DATA0"), 0x42);
	assert_int_equal(field(t, "RDPRT"), 0);
	assert_int_equal(reg(t, OB_BASE + 4) & 0xFFFF, 0xBD42); /* Data0 and its complement */
	assert_int_equal(reg(t, OB_BASE) >> 16, 0x01FE);        /* USER 0xFE */
	assert_pattern(t, 0x08000000, PAGE, 5);
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	/* A new connection sees the same (the state file kept them). */
	ft_reconnect(t);
	assert_int_equal(field(t, "DATA0"), 0x42);
	ft_free(t);
}

static uint64_t vnow(struct ft *t)
{
	uint64_t ns, xf;
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns, &xf), SR_OK);
	return ns;
}

/* Read protection on, then off: level 1 hides the flash from the debugger; going back to
 * level 0 mass-erases it first (PM0075 2.4.1), after a backup that can hold only the
 * option bytes. The write takes the option erase and the mass erase (DS5319 table 28: up
 * to 40 ms each) and eight half-word programs. */
static void test_rdp_regression(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", NULL);
	char dir[128];
	ft_connect(t);
	snprintf(dir, sizeof(dir), "%s/state", t->dir);
	setenv("XDG_STATE_HOME", dir, 1);
	ft_fill(t, 0x08000000, 2 * PAGE, 6);
	assert_int_equal(ob_write(t, "RDPRT", "1"), SR_OK);
	assert_int_equal(field(t, "RDPRT"), 1);
	uint8_t b[4];
	assert_int_not_equal(sr_target_read(t->tg, 0x08000000, b, sizeof(b)), SR_OK);

	struct sr_backup bk;
	assert_int_equal(sr_backup_save(&t->f, "rdp0", 0x08000000, t->f.flash_size, &bk), SR_OK);
	assert_false(bk.flash_ok);
	assert_int_equal(access(bk.json_path, R_OK), 0);
	FILE *j = fopen(bk.json_path, "r");
	char text[4096] = {0};
	assert_non_null(j);
	assert_true(fread(text, 1, sizeof(text) - 1, j) > 0);
	fclose(j);
	assert_non_null(strstr(text, "\"OBR\": \"0x03FFFFFE\""));

	uint64_t t0 = vnow(t);
	assert_int_equal(ob_write(t, "RDPRT", "0"), SR_OK);
	assert_true(vnow(t) - t0 >= 80000000ull);
	assert_int_equal(field(t, "RDPRT"), 0);
	assert_true(ft_all(t, 0x08000000, t->f.flash_size, 0xFF));
	assert_int_equal(reg(t, OB_BASE) & 0xFFFF, 0x5AA5);
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	unsetenv("XDG_STATE_HOME");
	ft_free(t);
}

/* A probe whose firmware has no 16-bit memory writes (ST-Link V2 before J26): the
 * half-words go through a copy loop the core runs from SRAM. Programming, a PGERR named,
 * and an option-byte write all work; the core is left halted. */
static void test_old_probe_firmware(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f103", "probe", "pid", "0x3748", "probe", "firmware",
			      "V2J21S4", NULL);
	ft_connect(t);
	ft_fill(t, 0x08000000, 5000, 7); /* more than one run of the loop */
	assert_pattern(t, 0x08000000, 5000, 7);
	assert_true(ft_all(t, 0x08000000 + 5000, 5 * PAGE - 5000, 0xFF));
	const uint8_t hw[2] = {0x12, 0x34};
	int rc = sr_flash_begin(&t->f, 1);
	if (rc == SR_OK)
		rc = t->f.ops->program(&t->f, &t->f.map.sect[0], 0x08000010, hw, 2);
	assert_int_equal(sr_flash_end(&t->f, 1, rc), SR_E_FLASH);
	assert_true(why_has(t, "PGERR"));
	assert_true(reg(t, FLASH_CR) & CR_LOCK);
	assert_int_equal(ob_write(t, "DATA1", "0x5A"), SR_OK);
	assert_int_equal(field(t, "DATA1"), 0x5A);
	assert_true(sr_cm_is_halted(t->tg));
	ft_free(t);
}

/* XL density (DEV_ID 0x430, 1 MiB): bank 2 from 0x08080000 (RM0008 3.3.3) is erased and
 * programmed through its own KEYR2/SR2/CR2/AR2 at +0x40 (PM0075 3 register map). No
 * virtual XL part exists, so this checks what the driver is given: the map's bank-2
 * pages say bank 2, and bank 2 resolves to the bank-2 registers. */
static void test_xl_bank2_registers(void **state)
{
	(void)state;
	struct sr_db *db;
	struct sr_msgs why = {0};
	assert_int_equal(sr_db_load(getenv("STMRESCUE_DATADIR"), &db, &why), SR_OK);
	sr_msgs_free(&why);
	const struct sr_device *dev = sr_db_device(db, 0x430);
	assert_non_null(dev);
	struct sr_flash f = {.dev = dev, .fam = dev->family};
	struct sr_ob_values v;
	sr_ob_values_init(&v, dev->family->ob);
	assert_int_equal(sr_flash_map_build(dev, 1024, sr_ob_values_lookup, &v, &f.map), SR_OK);
	assert_int_equal(f.map.banks, 2);
	assert_int_equal(f.map.bank_base[1], 0x08080000);
	const struct sr_sector *s = sr_flash_map_find(&f.map, 0x08080800);
	assert_non_null(s);
	assert_int_equal(s->bank, 2);
	assert_int_equal(s->size, 2048);
	static const struct {
		const char *reg;
		uint32_t b1, b2;
	} r[] = {{"KEYR", 0x40022004, 0x40022044},
		 {"SR", 0x4002200C, 0x4002204C},
		 {"CR", 0x40022010, 0x40022050},
		 {"AR", 0x40022014, 0x40022054},
		 {"OPTKEYR", 0x40022008, 0x40022008}};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		assert_int_equal(sr_flash_reg(&f, r[i].reg, 1), r[i].b1);
		assert_int_equal(sr_flash_reg(&f, r[i].reg, 2), r[i].b2);
	}
	assert_ptr_equal(sr_flash_driver_find(dev->defs.flash_driver), &sr_flash_stm32f1);
	sr_flash_map_free(&f.map);
	sr_ob_values_free(&v);
	sr_db_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_erase_exact),  cmocka_unit_test(test_program_odd_length),
	    cmocka_unit_test(test_mass_erase),        cmocka_unit_test(test_sticky_cleared),
	    cmocka_unit_test(test_pgerr_named),       cmocka_unit_test(test_wrp_locked_on_error),
	    cmocka_unit_test(test_ob_write_harmless), cmocka_unit_test(test_rdp_regression),
	    cmocka_unit_test(test_old_probe_firmware), cmocka_unit_test(test_xl_bank2_registers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
