/*
 * The L4-generation flash driver (src/flash/stm32l4.c) and the engine against the virtual
 * STM32L476, STM32G431 and STM32G474 (issue 5, done-when): an ELF whose sections are not
 * double-word aligned programs and verifies (DIAGNOSES A1); a page erase erases exactly
 * its page and nothing else, on the G431 (page 32, DIAGNOSES A5), on the G474 with
 * DBANK = 1 and 0, and on bank 2 of the L476 with bank 2's controls (E22); sticky bits
 * logged and cleared; WRPERR named and the flash locked again; option-byte writes read
 * back after the reload; RDP 1 -> 0 erases the flash of every chip, after a backup.
 */
#include "flashtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/backup.h"
#include "flash/driver.h"
#include "image/image.h"
#include "probe/transport.h"
#include "sim/state.h"

#define FLASH_BASE   0x08000000u
#define FLASH_SR     0x40022010u /* RM0351 3.7.5, RM0440 3.7.5 */
#define FLASH_CR     0x40022014u /* RM0351 3.7.6, RM0440 3.7.6 */
#define CR_PG        (1u << 0)
#define CR_OPS       0x00048007u /* PG, PER, MER1, MER2, FSTPG (RM0440 3.7.6) */
#define CR_LOCK      (1u << 31)
#define SR_ERRBITS   0xC3FAu      /* OPERR..FASTERR, RDERR, OPTVERR */
#define OPTR_FACTORY "0xFFEFF8AA" /* RM0351 3.4.1, RM0440 3.4.1 */
#define OPTR_RDP1    "0xFFEFF8BB" /* RDP 0xBB: level 1 (RM0440 3.5.1 table 12) */
#define PAGE         2048u

static uint32_t rd(struct ft *t, uint32_t addr)
{
	uint32_t v;
	assert_int_equal(sr_target_read32(t->tg, addr, &v), SR_OK);
	return v;
}

/* Locked again, with nothing left set for the next tool (DIAGNOSES A2). */
static void locked_clean(struct ft *t)
{
	uint32_t cr = rd(t, FLASH_CR);
	assert_true(cr & CR_LOCK);
	assert_int_equal(cr & CR_OPS, 0);
}

static bool why_has(struct ft *t, const char *text)
{
	for (int i = 0; i < t->f.why.n; i++)
		if (strstr(t->f.why.v[i], text))
			return true;
	return false;
}

/* Edit the board's state file with the probe closed, then connect again. */
static void edit_reconnect(struct ft *t, const char *const *kv)
{
	struct sr_sim_state *st;
	sr_flash_close(&t->f);
	t->f_open = false;
	sr_target_close(t->tg, false);
	t->tg = NULL;
	assert_int_equal(sr_sim_state_load(t->path, &st), SR_OK);
	for (; kv[0]; kv += 3)
		sr_sim_state_set(st, kv[0], kv[1], kv[2]);
	assert_int_equal(sr_sim_state_save(st), SR_OK);
	sr_sim_state_free(st);
	ft_connect(t);
}

/* The whole flash as the map lays it out (the G474's banks with its hole between). */
static uint8_t *snapshot(struct ft *t)
{
	uint8_t *buf = malloc(t->f.map.total);
	uint32_t off = 0;
	assert_non_null(buf);
	for (int b = 0; b < t->f.map.banks; b++) {
		ft_read(t, t->f.map.bank_base[b], buf + off, t->f.map.bank_size[b]);
		off += t->f.map.bank_size[b];
	}
	return buf;
}

/* Offset of ADDR in a snapshot. */
static uint32_t snap_off(struct ft *t, uint32_t addr)
{
	uint32_t off = 0;
	for (int b = 0; b < t->f.map.banks; b++) {
		if (addr - t->f.map.bank_base[b] < t->f.map.bank_size[b])
			return off + addr - t->f.map.bank_base[b];
		off += t->f.map.bank_size[b];
	}
	fail_msg("0x%08X is not in the flash map", addr);
	return 0;
}

/* AFTER equals BEFORE everywhere but [ADDR, ADDR+LEN), which reads erased. */
static void expect_only_erased(struct ft *t, const uint8_t *before, const uint8_t *after,
                               uint32_t addr, uint32_t len)
{
	uint32_t lo = snap_off(t, addr), hi = lo + len;
	for (uint32_t i = 0; i < t->f.map.total; i++) {
		if (i >= lo && i < hi) {
			if (after[i] != 0xFF)
				fail_msg("byte %u of the erased range reads 0x%02X", i - lo,
				         after[i]);
		} else if (after[i] != before[i]) {
			fail_msg("flash offset 0x%X outside the erased range changed (0x%02X -> "
			         "0x%02X)",
			         i, before[i], after[i]);
		}
	}
}

/* Fill every page of the map with a pattern, so a stray erase anywhere shows. */
static void fill_all(struct ft *t, uint32_t seed)
{
	for (int b = 0; b < t->f.map.banks; b++)
		ft_fill(t, t->f.map.bank_base[b], t->f.map.bank_size[b], seed);
}

/* Erase the page at ADDR of SIZE bytes; check that it and nothing else was erased. */
static void erase_one_page(struct ft *t, uint32_t addr, uint32_t size)
{
	const struct sr_sector *s = sr_flash_map_find(&t->f.map, addr);
	assert_non_null(s);
	assert_int_equal(s->addr, addr);
	assert_int_equal(s->size, size);
	uint8_t *before = snapshot(t);
	int rc = sr_flash_erase_range(&t->f, addr, size);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	uint8_t *after = snapshot(t);
	expect_only_erased(t, before, after, addr, size);
	locked_clean(t);
	free(before);
	free(after);
}

/* ---- DIAGNOSES A1: an ELF with sections off the 64-bit unit ---- */

static void program_unaligned_elf(struct ft *t)
{
	char path[512];
	struct sr_image img;
	struct sr_plan plan;
	struct sr_msgs msgs = {0};
	struct sr_image_opts o = {.format = SR_IMAGE_AUTO};
	uint32_t first_bad = 0;
	uint64_t n_bad = 1;
	snprintf(path, sizeof(path), "%s/tests/data/image/unaligned.elf",
	         getenv("STMRESCUE_DATADIR"));
	assert_int_equal(sr_image_load(path, &o, &img, &msgs), SR_OK);
	bool unaligned = false; /* the fixture is what the test says it is */
	for (int i = 0; i < img.n_sect; i++)
		unaligned |= img.sect[i].loaded && ((img.sect[i].lma | img.sect[i].size) & 7);
	assert_true(unaligned);
	assert_int_equal(t->f.unit, 8);
	assert_int_equal(sr_plan_build(&img, &t->f.map, t->f.unit, t->f.erased, &plan), SR_OK);
	int rc = sr_flash_program_plan(&t->f, &plan);
	if (rc == SR_OK)
		rc = sr_flash_verify_plan(&t->f, &plan, &first_bad, &n_bad);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	assert_int_equal(n_bad, 0);
	for (int i = 0; i < img.n_seg; i++) { /* and byte by byte, independently */
		uint8_t *back = malloc(img.seg[i].size);
		ft_read(t, img.seg[i].addr, back, img.seg[i].size);
		assert_memory_equal(back, img.seg[i].data, img.seg[i].size);
		free(back);
	}
	locked_clean(t);
	assert_int_equal(rd(t, FLASH_SR) & SR_ERRBITS, 0);
	sr_plan_free(&plan);
	sr_image_free(&img);
	sr_msgs_free(&msgs);
}

static void test_l476_unaligned_elf(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32l476", NULL);
	ft_connect(t);
	program_unaligned_elf(t);
	ft_free(t);
}

static void test_l476_unaligned_scenario(void **state)
{
	(void)state;
	struct ft *t = ft_new("l476-unaligned-image", NULL);
	ft_connect(t);
	program_unaligned_elf(t);
	ft_free(t);
}

/* ---- DIAGNOSES A5: exactly one page ---- */

/* The field report's address: page 32 of the 128 KB G431 (RM0440 5.3.1: one bank of
 * 64 pages of 2 KB). The scenario's data in page 32, a pattern everywhere else. */
static void test_g431_page32(void **state)
{
	(void)state;
	struct ft *t = ft_new("g431-erase-page32", NULL);
	ft_connect(t);
	assert_int_equal(t->f.map.banks, 1);
	assert_int_equal(t->f.map.n_sect, 64);
	assert_false(ft_all(t, 0x08010000, PAGE, 0xFF)); /* the scenario's data */
	ft_fill(t, FLASH_BASE, 0x10000, 5);
	ft_fill(t, 0x08010800, 0x20000 - 0x10800, 5);
	erase_one_page(t, 0x08010000, PAGE);
	ft_free(t);
}

/* G474, DBANK = 1 (factory): two banks of 128 pages of 2 KB, bank 2 at 0x08040000
 * (RM0440 3.3.1 table 7). A page of each bank, and page 9 of bank 2 leaves page 9 of
 * bank 1 alone (BKER, RM0440 3.3.6). */
static void test_g474_dual_bank_pages(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32g474", NULL);
	ft_connect(t);
	assert_int_equal(t->f.map.banks, 2);
	assert_int_equal(t->f.map.bank_base[1], 0x08040000);
	assert_int_equal(t->f.map.n_sect, 256);
	fill_all(t, 6);
	erase_one_page(t, FLASH_BASE + 9 * PAGE, PAGE);
	ft_fill(t, FLASH_BASE + 9 * PAGE, PAGE, 6);
	const struct sr_sector *s = sr_flash_map_find(&t->f.map, 0x08040000 + 9 * PAGE);
	assert_int_equal(s->bank, 2);
	assert_int_equal(s->index, 9);
	erase_one_page(t, 0x08040000 + 9 * PAGE, PAGE);
	erase_one_page(t, 0x08040000 + 127 * PAGE, PAGE);
	ft_free(t);
}

/* G474, DBANK = 0 (g474-single-bank): one bank of 128 pages of 4 KB (RM0440 3.3.1
 * table 8); page 70 is 0x08046000-0x08046FFF, and a mass erase needs MER1 and MER2. */
static void test_g474_single_bank_pages(void **state)
{
	(void)state;
	struct ft *t = ft_new("g474-single-bank", NULL);
	ft_connect(t);
	assert_int_equal(t->f.map.banks, 1);
	assert_int_equal(t->f.map.n_sect, 128);
	fill_all(t, 7);
	erase_one_page(t, 0x08046000, 2 * PAGE);
	erase_one_page(t, 0x08000000, 2 * PAGE);
	erase_one_page(t, 0x0807F000, 2 * PAGE);
	assert_int_equal(sr_flash_erase_range(&t->f, 0x08046000, PAGE), SR_E_RANGE);
	assert_int_equal(sr_flash_erase_mass(&t->f), SR_OK);
	assert_true(ft_all(t, FLASH_BASE, 0x80000, 0xFF));
	locked_clean(t);
	ft_free(t);
}

/* The DBANK bit written with sr_flash_ob_write changes the map after the reload. */
static void test_g474_dbank_switch(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32g474", NULL);
	ft_connect(t);
	struct sr_ob_values want;
	struct sr_msgs msgs = {0};
	sr_ob_values_init(&want, t->f.ob.t);
	memcpy(want.raw, t->f.ob.raw, sizeof(*want.raw) * (size_t)t->f.ob.t->n_regs);
	memcpy(want.given, t->f.ob.given, sizeof(*want.given) * (size_t)t->f.ob.t->n_regs);
	assert_int_equal(sr_ob_encode(&want, "DBANK", "0", &msgs), SR_OK);
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	assert_int_equal(t->f.map.banks, 1);
	assert_int_equal(t->f.map.sect[0].size, 4096);
	fill_all(t, 8);
	erase_one_page(t, 0x08041000, 4096);
	sr_ob_values_free(&want);
	sr_msgs_free(&msgs);
	ft_free(t);
}

/* L476 (1 MB: two banks of 256 pages of 2 KB, RM0351 3.3.1): pages of bank 2 erase
 * with BKER (page 3 of bank 1 stays), an image across the bank boundary programs both
 * banks (DIAGNOSES E22), and a bank erase of bank 2 (MER2) leaves bank 1. */
static void test_l476_bank2(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32l476", NULL);
	ft_connect(t);
	assert_int_equal(t->f.map.banks, 2);
	assert_int_equal(t->f.map.bank_base[1], 0x08080000);
	fill_all(t, 9);
	const struct sr_sector *s = sr_flash_map_find(&t->f.map, 0x08080000 + 3 * PAGE);
	assert_int_equal(s->bank, 2);
	assert_int_equal(s->index, 3);
	erase_one_page(t, 0x08080000 + 3 * PAGE, PAGE);
	erase_one_page(t, 0x08080000 + 255 * PAGE, PAGE);
	erase_one_page(t, 0x08000000 + 255 * PAGE, PAGE);
	ft_fill(t, 0x0807F000, 0x2000, 10); /* two pages of each bank */
	uint8_t b[0x2000];
	ft_read(t, 0x0807F000, b, sizeof(b));
	for (uint32_t i = 0; i < sizeof(b); i++)
		assert_int_equal(b[i], ft_pattern(0x0807F000 + i, 10));
	uint8_t *before = snapshot(t);
	assert_int_equal(sr_flash_erase_bank(&t->f, 2), SR_OK);
	uint8_t *after = snapshot(t);
	expect_only_erased(t, before, after, 0x08080000, 0x80000);
	locked_clean(t);
	assert_int_equal(sr_flash_erase_mass(&t->f), SR_OK);
	assert_true(ft_all(t, FLASH_BASE, 0x100000, 0xFF));
	free(before);
	free(after);
	ft_free(t);
}

/* G431 mass erase: MER1 alone (no MER2 on category 2, RM0440 5.7.6). */
static void test_g431_mass(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32g431", NULL);
	ft_connect(t);
	fill_all(t, 11);
	assert_int_equal(sr_flash_erase_bank(&t->f, 1), SR_OK);
	assert_true(ft_all(t, FLASH_BASE, 0x20000, 0xFF));
	locked_clean(t);
	ft_free(t);
}

/* ---- DIAGNOSES A2, D15: sticky bits, protection ---- */

static bool file_has(const char *path, const char *text)
{
	char buf[16384];
	FILE *fp = fopen(path, "r");
	if (!fp)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = 0;
	return strstr(buf, text) != NULL;
}

/* An earlier tool left PGSERR/PGAERR/PROGERR and PG set (with FLASH_CR locked again):
 * they are logged with their names, cleared, and the erase then succeeds. */
static void test_sticky_logged_cleared(void **state)
{
	(void)state;
	struct ft *t =
	    ft_new("stm32l476", "flash", "sr", "0x000000A8", "flash", "cr", "0xC0000001", NULL);
	char log[128];
	snprintf(log, sizeof(log), "%s/log", t->dir);
	ft_connect(t);
	assert_int_equal(rd(t, FLASH_SR) & SR_ERRBITS, 0xA8);
	assert_int_equal(sr_log_open(log), SR_OK);
	int rc = sr_flash_erase_range(&t->f, 0x08080000, PAGE);
	sr_log_close();
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	assert_true(file_has(log, "PGSERR"));
	assert_true(file_has(log, "PGAERR"));
	assert_true(file_has(log, "PROGERR"));
	assert_true(file_has(log, "FLASH_CR = 0x40000001"));
	assert_int_equal(rd(t, FLASH_SR) & SR_ERRBITS, 0);
	assert_int_equal(rd(t, FLASH_CR) & CR_PG, 0);
	locked_clean(t);
	ft_fill(t, 0x08080000, 0x100, 12);
	ft_free(t);
}

/* WRP area A of bank 1 over pages 0-1 (FLASH_WRP1AR start 0, end 1, RM0351 3.7.11):
 * the map shows it, erase and programming fail with WRPERR named, the flash is locked
 * again after each failure, and page 2 still programs. */
static void test_wrp_named_relocked(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32l476", "option_bytes", "wrp1ar", "0xFF01FF00", "flash",
	                      "wrp1ar", "0xFF01FF00", "flash", "loaded_wrp1ar", "0xFF01FF00", NULL);
	ft_connect(t);
	uint8_t *wrp;
	assert_int_equal(sr_flash_protection(&t->f, &wrp), SR_OK);
	assert_true(wrp[0] && wrp[1] && !wrp[2]);
	free(wrp);
	assert_int_equal(sr_flash_erase_range(&t->f, FLASH_BASE + PAGE, PAGE), SR_E_FLASH_WRP);
	assert_true(why_has(t, "WRPERR"));
	assert_true(why_has(t, "0x08000800"));
	locked_clean(t);
	assert_int_equal(rd(t, FLASH_SR) & SR_ERRBITS, 0); /* cleared after naming them */
	sr_msgs_free(&t->f.why);

	uint8_t data[64];
	struct sr_image img;
	struct sr_plan plan;
	struct sr_msgs msgs = {0};
	struct sr_image_opts o = {.format = SR_IMAGE_BIN, .has_base = true, .base = FLASH_BASE};
	memset(data, 0x5A, sizeof(data));
	assert_int_equal(sr_image_parse("wrp", data, sizeof(data), &o, &img, &msgs), SR_OK);
	assert_int_equal(sr_plan_build(&img, &t->f.map, t->f.unit, t->f.erased, &plan), SR_OK);
	int rc = sr_flash_program_plan(&t->f, &plan);
	assert_int_equal(rc, SR_E_FLASH_WRP);
	assert_true(why_has(t, "WRPERR"));
	locked_clean(t);
	sr_plan_free(&plan);
	sr_image_free(&img);
	sr_msgs_free(&msgs);
	ft_fill(t, FLASH_BASE + 2 * PAGE, PAGE, 13);
	ft_free(t);
}

/* ---- option bytes ---- */

static void want_current(struct ft *t, struct sr_ob_values *want)
{
	sr_ob_values_init(want, t->f.ob.t);
	memcpy(want->raw, t->f.ob.raw, sizeof(*want->raw) * (size_t)t->f.ob.t->n_regs);
	memcpy(want->given, t->f.ob.given, sizeof(*want->given) * (size_t)t->f.ob.t->n_regs);
}

static uint32_t ob_field(struct ft *t, const char *name)
{
	const struct sr_ob_field *fd = sr_ob_field_find(t->f.ob.t, name);
	assert_non_null(fd);
	return sr_ob_field_value(&t->f.ob, fd);
}

/* IWDG_STOP (FLASH_OPTR bit 17) written, reloaded by OBL_LAUNCH, read back after the
 * reconnect and again from a new connection; the flash is untouched. */
static void ob_harmless(const char *chip)
{
	struct ft *t = ft_new(chip, NULL);
	struct sr_ob_values want;
	struct sr_msgs msgs = {0};
	ft_connect(t);
	ft_fill(t, FLASH_BASE, 0x100, 14);
	assert_int_equal(ob_field(t, "IWDG_STOP"), 1);
	want_current(t, &want);
	assert_int_equal(sr_ob_encode(&want, "IWDG_STOP", "frozen", &msgs), SR_OK);
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	assert_int_equal(ob_field(t, "IWDG_STOP"), 0);
	assert_int_equal(rd(t, 0x40022020), 0xFFEDF8AA);
	locked_clean(t);
	ft_reconnect(t);
	assert_int_equal(ob_field(t, "IWDG_STOP"), 0);
	assert_int_equal(ft_pattern(FLASH_BASE + 5, 14), rd(t, FLASH_BASE + 4) >> 8 & 0xFF);
	sr_ob_values_free(&want);
	sr_msgs_free(&msgs);
	ft_free(t);
}

static void test_ob_write_harmless(void **state)
{
	(void)state;
	ob_harmless("stm32l476");
	ob_harmless("stm32g431");
	ob_harmless("stm32g474");
}

/* A wrong OPTKEYR sequence earlier (by firmware) keeps OPTLOCK set until the next reset
 * (RM0440 3.7.6 OPTLOCK, RM0351 3.4.2): the write is refused, said so, nothing changes,
 * and FLASH_CR, which the driver had unlocked, is locked again. */
static void test_ob_write_refused_relocked(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32l476", "flash", "optkey", "locked-until-reset", NULL);
	struct sr_ob_values want;
	struct sr_msgs msgs = {0};
	ft_connect(t);
	want_current(t, &want);
	assert_int_equal(sr_ob_encode(&want, "IWDG_STOP", "frozen", &msgs), SR_OK);
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_E_FLASH_LOCKED)
		ft_why(t);
	assert_int_equal(rc, SR_E_FLASH_LOCKED);
	assert_true(why_has(t, "until the next reset"));
	locked_clean(t);
	assert_int_equal(ob_field(t, "IWDG_STOP"), 1);
	sr_ob_values_free(&want);
	sr_msgs_free(&msgs);
	ft_free(t);
}

/* RDP level 1 staged in the state file (option page and the loaded registers), a pattern
 * programmed before: the backup keeps the option bytes (the flash is not readable), and
 * RDP 0xAA erases the whole flash (RM0351 3.5.1, RM0440 3.5.1). */
static void rdp_regression(const char *chip)
{
	const char *const rdp1[] = {"option_bytes", "optr",  OPTR_RDP1,     "flash",   "optr",
	                            OPTR_RDP1,      "flash", "loaded_optr", OPTR_RDP1, NULL};
	struct ft *t = ft_new(chip, NULL);
	struct sr_ob_values want;
	struct sr_msgs msgs = {0};
	struct sr_backup bk;
	uint8_t x[4];
	char json[700];
	ft_connect(t);
	fill_all(t, 15);
	edit_reconnect(t, rdp1);
	assert_int_equal(ob_field(t, "RDP"), 0xBB);
	assert_int_not_equal(sr_target_read(t->tg, FLASH_BASE, x, 4), SR_OK);

	setenv("XDG_STATE_HOME", t->dir, 1);
	assert_int_equal(sr_backup_save(&t->f, "rdp0", FLASH_BASE, PAGE, &bk), SR_OK);
	assert_false(bk.flash_ok);
	snprintf(json, sizeof(json), "\"OPTR\": \"%s\"", OPTR_RDP1);
	assert_true(file_has(bk.json_path, json));

	want_current(t, &want);
	assert_int_equal(sr_ob_encode(&want, "RDP", "0xAA", &msgs), SR_OK);
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	assert_int_equal(ob_field(t, "RDP"), 0xAA);
	for (int b = 0; b < t->f.map.banks; b++)
		assert_true(ft_all(t, t->f.map.bank_base[b], t->f.map.bank_size[b], 0xFF));
	locked_clean(t);
	assert_true(file_has(bk.json_path, json)); /* the backup is still there */
	sr_ob_values_free(&want);
	sr_msgs_free(&msgs);
	unsetenv("XDG_STATE_HOME");
	ft_free(t);
}

/* With a PCROP area and PCROP_RDP = 0 the regression erases page by page and keeps the
 * PCROP pages (RM0351 3.5.1): seconds of erasing, which the driver waits out. The kept
 * page is checked in the board's memory image (PCROP is execute-only: the debugger
 * reads 0 there, RM0351 3.5.2). */
static void test_rdp_regression_keeps_pcrop(void **state)
{
	(void)state;
	/* PCROP1 over page 2: double words 0x200-0x2FF (RM0351 3.7.9, 3.7.10) */
	const char *const kv[] = {"option_bytes",
	                          "optr",
	                          OPTR_RDP1,
	                          "flash",
	                          "optr",
	                          OPTR_RDP1,
	                          "flash",
	                          "loaded_optr",
	                          OPTR_RDP1,
	                          "option_bytes",
	                          "pcrop1sr",
	                          "0xFFFF0200",
	                          "flash",
	                          "pcrop1sr",
	                          "0xFFFF0200",
	                          "flash",
	                          "loaded_pcrop1sr",
	                          "0xFFFF0200",
	                          "option_bytes",
	                          "pcrop1er",
	                          "0x7FFF02FF",
	                          "flash",
	                          "pcrop1er",
	                          "0x7FFF02FF",
	                          "flash",
	                          "loaded_pcrop1er",
	                          "0x7FFF02FF",
	                          NULL};
	struct ft *t = ft_new("stm32l476", NULL);
	struct sr_ob_values want;
	struct sr_msgs msgs = {0};
	uint64_t ns0, ns1, x;
	ft_connect(t);
	ft_fill(t, FLASH_BASE, 4 * PAGE, 17);
	edit_reconnect(t, kv);
	want_current(t, &want);
	assert_int_equal(sr_ob_encode(&want, "RDP", "0xAA", &msgs), SR_OK);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns0, &x), SR_OK);
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns1, &x), SR_OK);
	assert_true(ns1 - ns0 > 255ull * 22000000); /* 255 pages of bank 1 erased one by one */
	assert_true(ft_all(t, FLASH_BASE, 2 * PAGE, 0xFF));
	assert_true(ft_all(t, FLASH_BASE + 3 * PAGE, 0x100000 - 3 * PAGE, 0xFF));
	sr_flash_close(&t->f);
	t->f_open = false;
	sr_target_close(t->tg, false);
	t->tg = NULL;
	char mem[128];
	uint8_t page[PAGE];
	snprintf(mem, sizeof(mem), "%s.mem", t->path);
	FILE *fp = fopen(mem, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 2 * PAGE, SEEK_SET), 0);
	assert_int_equal(fread(page, 1, PAGE, fp), PAGE);
	fclose(fp);
	for (uint32_t i = 0; i < PAGE; i++)
		assert_int_equal(page[i], ft_pattern(FLASH_BASE + 2 * PAGE + i, 17));
	sr_ob_values_free(&want);
	sr_msgs_free(&msgs);
	ft_free(t);
}

/* WRP area A of bank 2 set and lifted with sr_flash_ob_write (FLASH_WRP2AR, RM0351
 * 3.7.15): the map follows, the protected page refuses its erase, then erases. */
static void test_ob_write_wrp_bank2(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32l476", NULL);
	struct sr_ob_values want;
	struct sr_msgs msgs = {0};
	const uint32_t p10 = 0x08080000 + 10 * PAGE;
	uint8_t *wrp;
	ft_connect(t);
	want_current(t, &want);
	assert_int_equal(sr_ob_encode(&want, "WRP2A_STRT", "10", &msgs), SR_OK);
	assert_int_equal(sr_ob_encode(&want, "WRP2A_END", "11", &msgs), SR_OK);
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	assert_int_equal(ob_field(t, "WRP2A_STRT"), 10);
	assert_int_equal(ob_field(t, "WRP2A_END"), 11);
	assert_int_equal(sr_flash_protection(&t->f, &wrp), SR_OK);
	for (int i = 0; i < t->f.map.n_sect; i++) {
		const struct sr_sector *s = &t->f.map.sect[i];
		assert_int_equal(wrp[i], s->bank == 2 && (s->index == 10 || s->index == 11));
	}
	free(wrp);
	assert_int_equal(sr_flash_erase_range(&t->f, p10, PAGE), SR_E_FLASH_WRP);
	assert_true(why_has(t, "WRPERR"));
	locked_clean(t);
	sr_msgs_free(&t->f.why);
	sr_ob_values_free(&want);
	want_current(t, &want);
	assert_int_equal(sr_ob_encode(&want, "WRP2A_STRT", "255", &msgs), SR_OK);
	assert_int_equal(sr_ob_encode(&want, "WRP2A_END", "0", &msgs), SR_OK);
	assert_int_equal(sr_flash_ob_write(&t->f, &want), SR_OK);
	ft_fill(t, p10, PAGE, 18);
	assert_int_equal(sr_flash_erase_range(&t->f, p10, PAGE), SR_OK);
	assert_true(ft_all(t, p10, PAGE, 0xFF));
	sr_ob_values_free(&want);
	sr_msgs_free(&msgs);
	ft_free(t);
}

static void test_rdp_regression_l476(void **state)
{
	(void)state;
	rdp_regression("stm32l476");
}

static void test_rdp_regression_g431(void **state)
{
	(void)state;
	rdp_regression("stm32g431");
}

static void test_rdp_regression_g474(void **state)
{
	(void)state;
	rdp_regression("stm32g474");
}

/* ---- figures: 256 KiB on the L476 (printed, not asserted) ---- */

static void test_l476_256k_figures(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32l476", NULL);
	uint64_t ns0, x0, ns1, x1, ns2, x2;
	uint32_t first_bad;
	uint64_t n_bad;
	uint8_t *data = malloc(0x40000);
	struct sr_image img;
	struct sr_plan plan;
	struct sr_msgs msgs = {0};
	struct sr_image_opts o = {.format = SR_IMAGE_BIN, .has_base = true, .base = FLASH_BASE};
	ft_connect(t);
	for (uint32_t i = 0; i < 0x40000; i++)
		data[i] = ft_pattern(FLASH_BASE + i, 16);
	assert_int_equal(sr_image_parse("256k", data, 0x40000, &o, &img, &msgs), SR_OK);
	assert_int_equal(sr_plan_build(&img, &t->f.map, t->f.unit, t->f.erased, &plan), SR_OK);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns0, &x0), SR_OK);
	assert_int_equal(sr_flash_program_plan(&t->f, &plan), SR_OK);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns1, &x1), SR_OK);
	assert_int_equal(sr_flash_verify_plan(&t->f, &plan, &first_bad, &n_bad), SR_OK);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns2, &x2), SR_OK);
	print_message("L476 256 KiB: erase+program %.3f s, %llu USB transactions; verify %.3f s, "
	              "%llu transactions\n",
	              (double)(ns1 - ns0) / 1e9, (unsigned long long)(x1 - x0),
	              (double)(ns2 - ns1) / 1e9, (unsigned long long)(x2 - x1));
	sr_plan_free(&plan);
	sr_image_free(&img);
	sr_msgs_free(&msgs);
	free(data);
	ft_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_l476_unaligned_elf),
	    cmocka_unit_test(test_l476_unaligned_scenario),
	    cmocka_unit_test(test_g431_page32),
	    cmocka_unit_test(test_g474_dual_bank_pages),
	    cmocka_unit_test(test_g474_single_bank_pages),
	    cmocka_unit_test(test_g474_dbank_switch),
	    cmocka_unit_test(test_l476_bank2),
	    cmocka_unit_test(test_g431_mass),
	    cmocka_unit_test(test_sticky_logged_cleared),
	    cmocka_unit_test(test_wrp_named_relocked),
	    cmocka_unit_test(test_ob_write_harmless),
	    cmocka_unit_test(test_ob_write_refused_relocked),
	    cmocka_unit_test(test_ob_write_wrp_bank2),
	    cmocka_unit_test(test_rdp_regression_l476),
	    cmocka_unit_test(test_rdp_regression_keeps_pcrop),
	    cmocka_unit_test(test_rdp_regression_g431),
	    cmocka_unit_test(test_rdp_regression_g474),
	    cmocka_unit_test(test_l476_256k_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
