/*
 * The STM32H7 flash driver (src/flash/stm32h7*.c) against the virtual STM32H753:
 * programming both banks and across their boundary, each bank with its own controls;
 * sector erase exact (neighbours and the same sector of the other bank untouched);
 * bank and mass erase; sticky flags of bank 2 cleared; write protection named and the
 * flash locked again; option bytes written through the PRG registers and read back;
 * the RDP 1 -> 0 regression with a backup; the CRC unit against the host's CRC.
 */
#include "flashtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "flash/backup.h"
#include "flash/driver.h"
#include "flash/flash-internal.h"
#include "probe/transport.h"

/* RM0433 4.9.38 register map, FLASH at 0x52002000; bank 2's block at +0x100 */
#define FLASH_CR(b)    (0x5200200Cu + ((b) - 1) * 0x100u)
#define FLASH_SR(b)    (0x52002010u + ((b) - 1) * 0x100u)
#define FLASH_OPTCR    0x52002018u
#define FLASH_OPTSR    0x5200201Cu
#define CR_LOCK        (1u << 0)
#define CR_PG          (1u << 1)
#define OPTCR_OPTLOCK  (1u << 0)
#define H7_SR_ERRORS   0x1FEE0000u /* WRPERR ... CRCRDERR, RM0433 4.9.5 */
#define OPTSR_SECURITY (1u << 21)

#define BANK1         0x08000000u
#define BANK2         0x08100000u
#define SECTOR        0x20000u
#define SECT(bank, n) ((bank) + (n) * SECTOR)

static uint32_t reg(struct ft *t, uint32_t addr)
{
	uint32_t v;
	assert_int_equal(sr_target_read32(t->tg, addr, &v), SR_OK);
	return v;
}

static bool locked(struct ft *t, int bank)
{
	return (reg(t, FLASH_CR(bank)) & CR_LOCK) != 0;
}

/* LEN bytes at ADDR hold ft_fill's pattern SEED. */
static bool holds(struct ft *t, uint32_t addr, uint32_t len, uint32_t seed)
{
	uint8_t *b = malloc(len);
	bool same = true;
	ft_read(t, addr, b, len);
	for (uint32_t i = 0; same && i < len; i++)
		same = b[i] == ft_pattern(addr + i, seed);
	free(b);
	return same;
}

static bool why_has(struct ft *t, const char *text)
{
	for (int i = 0; i < t->f.why.n; i++)
		if (strstr(t->f.why.v[i], text))
			return true;
	return false;
}

/* x64 at 3.3 V, one 256-bit flash word a unit; programs in bank 1, in bank 2, and an
 * image across the boundary (bank 1's last sector, bank 2's first). */
static void test_program_both_banks(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", NULL);
	ft_connect(t);
	assert_string_equal(t->f.ops->name, "stm32h7");
	assert_int_equal(t->f.map.banks, 2);
	assert_int_equal(t->f.unit, 32);
	assert_int_equal(t->f.drv[0], 3);
	assert_non_null(strstr(t->f.unit_why, "x64"));
	ft_fill(t, SECT(BANK1, 1), 0x1000, 1);
	ft_fill(t, SECT(BANK2, 5), 0x1000, 2);
	ft_fill(t, SECT(BANK1, 7) + 0x10000, 0x20000, 3); /* 0x080F0000-0x0810FFFF */
	assert_true(holds(t, SECT(BANK1, 1), 0x1000, 1));
	assert_true(holds(t, SECT(BANK2, 5), 0x1000, 2));
	assert_true(holds(t, SECT(BANK1, 7) + 0x10000, 0x20000, 3));
	assert_true(ft_all(t, SECT(BANK1, 7), 0x10000, 0xFF)); /* erased, not written */
	assert_true(locked(t, 1) && locked(t, 2));
	assert_int_equal(reg(t, FLASH_SR(1)) & H7_SR_ERRORS, 0);
	assert_int_equal(reg(t, FLASH_SR(2)) & H7_SR_ERRORS, 0);
	ft_free(t);
}

/* Bank 2's key register refuses every key until reset (a wrong key earlier): bank 1
 * still programs with its own controls; bank 2 fails with its own message. */
static void test_banks_own_controls(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", "flash", "key2", "locked-until-reset", NULL);
	ft_connect(t);
	ft_fill(t, SECT(BANK1, 0) + 0x100, 0x200, 4);
	assert_true(holds(t, SECT(BANK1, 0) + 0x100, 0x200, 4));
	assert_int_equal(sr_flash_erase_range(&t->f, SECT(BANK2, 0), SECTOR), SR_E_FLASH_LOCKED);
	assert_true(why_has(t, "bank 2 stayed locked"));
	sr_msgs_free(&t->f.why);
	assert_true(locked(t, 2));
	assert_true(locked(t, 1));
	ft_free(t);
}

/* Erasing bank 1 sector 3 erases exactly it: sectors 2 and 4 and bank 2's sector 3
 * keep their data; then bank 2's sector 3 alone. */
static void test_sector_erase_exact(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", NULL);
	ft_connect(t);
	ft_fill(t, SECT(BANK1, 2), 3 * SECTOR, 5);
	ft_fill(t, SECT(BANK2, 2), 3 * SECTOR, 6);
	assert_int_equal(sr_flash_erase_range(&t->f, SECT(BANK1, 3), SECTOR), SR_OK);
	assert_true(ft_all(t, SECT(BANK1, 3), SECTOR, 0xFF));
	assert_true(holds(t, SECT(BANK1, 2), SECTOR, 5));
	assert_true(holds(t, SECT(BANK1, 4), SECTOR, 5));
	assert_true(holds(t, SECT(BANK2, 2), 3 * SECTOR, 6));
	assert_int_equal(sr_flash_erase_range(&t->f, SECT(BANK2, 3), SECTOR), SR_OK);
	assert_true(ft_all(t, SECT(BANK2, 3), SECTOR, 0xFF));
	assert_true(holds(t, SECT(BANK2, 2), SECTOR, 6));
	assert_true(holds(t, SECT(BANK2, 4), SECTOR, 6));
	assert_true(holds(t, SECT(BANK1, 2), SECTOR, 5));
	assert_true(locked(t, 1) && locked(t, 2));
	ft_free(t);
}

/* Bank erase (BER) of bank 2 leaves bank 1; mass erase (MER) takes both. */
static void test_bank_and_mass_erase(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", NULL);
	ft_connect(t);
	ft_fill(t, SECT(BANK1, 6), 0x400, 7);
	ft_fill(t, SECT(BANK2, 7), 0x400, 8);
	assert_int_equal(sr_flash_erase_bank(&t->f, 2), SR_OK);
	assert_true(ft_all(t, SECT(BANK2, 7), 0x400, 0xFF));
	assert_true(holds(t, SECT(BANK1, 6), 0x400, 7));
	assert_true(locked(t, 2));
	ft_fill(t, SECT(BANK2, 0), 0x400, 9);
	assert_int_equal(sr_flash_erase_mass(&t->f), SR_OK);
	assert_true(ft_all(t, SECT(BANK1, 6), 0x400, 0xFF));
	assert_true(ft_all(t, SECT(BANK2, 0), 0x400, 0xFF));
	assert_true(locked(t, 1) && locked(t, 2));
	ft_free(t);
}

/* Error flags and PG left in bank 2 by an earlier tool are cleared through FLASH_CCR2
 * before the erase, which then succeeds. */
static void test_sticky_bank2(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", "flash", "sr2", "0x000E0000", "flash", "cr2",
			      "0x00000033", NULL);
	ft_connect(t);
	assert_int_equal(reg(t, FLASH_SR(2)) & H7_SR_ERRORS, 0x000E0000);
	assert_int_equal(sr_flash_erase_range(&t->f, SECT(BANK2, 1), SECTOR), SR_OK);
	assert_int_equal(reg(t, FLASH_SR(2)) & H7_SR_ERRORS, 0);
	assert_int_equal(reg(t, FLASH_CR(2)) & CR_PG, 0);
	assert_true(locked(t, 2));
	ft_free(t);
}

/* Bank 2 sector 3 write-protected in the option bytes: the map shows it; erasing or
 * programming it fails with WRPERR named in FLASH_SR2, the bank is locked again, and
 * sector 2 still erases. */
static void test_wrp_bank2(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", "option_bytes", "wpsn2", "0x000000F7", NULL);
	ft_connect(t);
	uint8_t *wrp;
	assert_int_equal(sr_flash_protection(&t->f, &wrp), SR_OK);
	const struct sr_sector *s = sr_flash_map_find(&t->f.map, SECT(BANK2, 3));
	assert_true(wrp[s - t->f.map.sect]);
	assert_false(wrp[s - t->f.map.sect - 1]);
	free(wrp);
	assert_int_equal(sr_flash_erase_range(&t->f, SECT(BANK2, 3), SECTOR), SR_E_FLASH_WRP);
	assert_true(why_has(t, "WRPERR"));
	assert_true(why_has(t, "FLASH_SR2"));
	assert_true(locked(t, 2));
	sr_msgs_free(&t->f.why);
	assert_int_equal(sr_flash_erase_bank(&t->f, 2), SR_E_FLASH_WRP);
	assert_true(locked(t, 2));
	sr_msgs_free(&t->f.why);
	assert_int_equal(sr_flash_erase_range(&t->f, SECT(BANK2, 2), SECTOR), SR_OK);
	assert_int_equal(reg(t, FLASH_SR(2)) & H7_SR_ERRORS, 0);
	ft_free(t);
}

/* Near the bottom of the supply range the driver chooses x32 (x64 needs 1.8 V). */
static void test_psize_low_voltage(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", "board", "target_mv", "1750", NULL);
	ft_connect(t);
	assert_int_equal(t->f.drv[0], 2);
	assert_int_equal(t->f.unit, 32);
	assert_non_null(strstr(t->f.unit_why, "x32"));
	ft_fill(t, SECT(BANK2, 0), 0x100, 10);
	assert_true(holds(t, SECT(BANK2, 0), 0x100, 10));
	ft_free(t);
}

/* WANT = the option bytes as read, FIELD set to VALUE. */
static void want_field(struct ft *t, struct sr_ob_values *want, const char *field,
		       const char *value)
{
	struct sr_msgs why = {0};
	sr_ob_values_init(want, t->f.ob.t);
	memcpy(want->raw, t->f.ob.raw, sizeof(*want->raw) * (size_t)t->f.ob.t->n_regs);
	memcpy(want->given, t->f.ob.given, sizeof(*want->given) * (size_t)t->f.ob.t->n_regs);
	int rc = sr_ob_encode(want, field, value, &why);
	for (int i = 0; i < why.n; i++)
		print_message("encode: %s\n", why.v[i]);
	sr_msgs_free(&why);
	assert_int_equal(rc, SR_OK);
}

static uint32_t field(struct ft *t, const char *name)
{
	const struct sr_ob_field *fd = sr_ob_field_find(t->f.ob.t, name);
	assert_non_null(fd);
	return sr_ob_field_value(&t->f.ob, fd);
}

/* A harmless field (IWDG frozen in Stop mode) written through FLASH_OPTSR_PRG and
 * OPTSTART reads back; the bits ST sets (control) are kept; OPTCR is locked again. */
static void test_ob_write_readback(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", NULL);
	ft_connect(t);
	struct sr_ob_values want;
	uint32_t before = reg(t, FLASH_OPTSR);
	assert_int_equal(field(t, "FZ_IWDG_STOP"), 1);
	want_field(t, &want, "FZ_IWDG_STOP", "0");
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	sr_ob_values_free(&want);
	assert_int_equal(field(t, "FZ_IWDG_STOP"), 0);
	assert_int_equal(reg(t, FLASH_OPTSR), before & ~(1u << 17));
	assert_true(reg(t, FLASH_OPTCR) & OPTCR_OPTLOCK);
	/* and it is still so for the next process */
	ft_reconnect(t);
	assert_int_equal(field(t, "FZ_IWDG_STOP"), 0);
	ft_free(t);
}

/* SECURITY once set cannot be cleared: OPTCHANGEERR is named, OPTCR locked again. */
static void test_ob_write_refused(void **state)
{
	(void)state;
	char optsr[16];
	snprintf(optsr, sizeof(optsr), "0x%08X", 0x1BD6AAF0u | OPTSR_SECURITY);
	struct ft *t = ft_new("stm32h753", "option_bytes", "optsr", optsr, NULL);
	ft_connect(t);
	struct sr_ob_values want;
	want_field(t, &want, "SECURITY", "0");
	assert_int_equal(sr_flash_ob_write(&t->f, &want), SR_E_OB);
	sr_ob_values_free(&want);
	assert_true(why_has(t, "OPTCHANGEERR"));
	assert_true(reg(t, FLASH_OPTCR) & OPTCR_OPTLOCK);
	assert_int_equal(reg(t, FLASH_OPTSR) & (1u << 30), 0); /* cleared through OPTCCR */
	assert_int_equal(field(t, "SECURITY"), 1);
	ft_free(t);
}

/* RDP level 1, a backup of the option bytes (the flash is not readable), then back to
 * level 0: both banks are erased (RM0433 4.5.3). */
static void test_rdp_regression(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", NULL);
	setenv("XDG_STATE_HOME", t->dir, 1);
	ft_connect(t);
	ft_fill(t, SECT(BANK1, 0), 0x800, 11);
	ft_fill(t, SECT(BANK2, 6), 0x800, 12);
	struct sr_ob_values want;
	want_field(t, &want, "RDP", "0xBB");
	assert_int_equal(sr_flash_ob_write(&t->f, &want), SR_OK);
	sr_ob_values_free(&want);
	assert_int_equal(field(t, "RDP"), 0xBB);
	uint8_t b[4];
	assert_int_not_equal(sr_target_read(t->tg, BANK1, b, 4), SR_OK);

	struct sr_backup bk;
	assert_int_equal(sr_backup_save(&t->f, "rdp0", BANK1, t->f.map.total, &bk), SR_OK);
	assert_false(bk.flash_ok);
	assert_non_null(strstr(bk.json_path, t->dir));
	FILE *fp = fopen(bk.json_path, "r");
	assert_non_null(fp);
	char text[4096] = "";
	size_t n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = 0;
	assert_non_null(strstr(text, "FLASH_OPTSR_CUR"));
	assert_non_null(strstr(text, "BB"));

	want_field(t, &want, "RDP", "0xAA");
	int rc = sr_flash_ob_write(&t->f, &want);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	sr_ob_values_free(&want);
	assert_int_equal(field(t, "RDP"), 0xAA);
	assert_true(ft_all(t, SECT(BANK1, 0), 0x800, 0xFF));
	assert_true(ft_all(t, SECT(BANK2, 6), 0x800, 0xFF));
	assert_true(reg(t, FLASH_OPTCR) & OPTCR_OPTLOCK);
	unsetenv("XDG_STATE_HOME");
	ft_free(t);
}

/* The CRC the flash controller computes equals the host's over the same bytes, in both
 * banks and with bursts of every size; a range the unit cannot take is refused. */
static void test_crc(void **state)
{
	(void)state;
	static const uint8_t zeros[128];
	struct ft *t = ft_new("stm32h753", NULL);
	ft_connect(t);
	const struct sr_flash_ops *o = t->f.ops;
	assert_non_null(o->crc);
	assert_int_equal(o->crc_align, 128);
	/* the one published measurement on a chip (stm32h7-crc.c) */
	assert_int_equal(o->crc_host(0, zeros, sizeof(zeros)), 0x11E66C62u);
	ft_fill(t, SECT(BANK1, 1), 0x4000, 13);
	ft_fill(t, SECT(BANK2, 4), 0x4000, 14);
	static const struct {
		uint32_t addr, len;
		int bank;
	} r[] = {
	    {SECT(BANK1, 1), 0x4000, 1},        /* bursts of 256 words */
	    {SECT(BANK2, 4) + 0x80, 0x180, 2}, /* 4-word bursts only */
	    {SECT(BANK2, 4) + 0x200, 0x3E00, 2},
	    {SECT(BANK2, 4) + 0x3F80, 0x100, 2}, /* into the erased bytes after the data */
	};
	uint8_t *data = malloc(0x4000);
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		uint32_t crc = 0;
		ft_read(t, r[i].addr, data, r[i].len);
		assert_int_equal(sr_flash_begin(&t->f, r[i].bank), SR_OK);
		int rc = sr_flash_end(&t->f, r[i].bank, o->crc(&t->f, r[i].addr, r[i].len, &crc));
		if (rc != SR_OK)
			ft_why(t);
		assert_int_equal(rc, SR_OK);
		assert_int_equal(crc, o->crc_host(0, data, r[i].len));
		data[r[i].len / 2] ^= 1; /* a single flipped bit changes it */
		assert_int_not_equal(crc, o->crc_host(0, data, r[i].len));
		assert_true(locked(t, r[i].bank));
	}
	free(data);
	uint32_t crc;
	assert_int_equal(sr_flash_begin(&t->f, 1), SR_OK);
	assert_int_equal(o->crc(&t->f, SECT(BANK1, 1) + 4, 0x80, &crc), SR_E_ARG);
	assert_int_equal(o->crc(&t->f, BANK2 - 0x80, 0x100, &crc), SR_E_ARG); /* across */
	assert_int_equal(sr_flash_end(&t->f, 1, SR_OK), SR_OK);
	ft_free(t);
}

/* What the CRC saves over reading back: 256 KiB in bank 1, virtual time and USB
 * transactions of each (printed for the report), and the CRC must be the cheaper. */
static void test_crc_cost(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32h753", NULL);
	ft_connect(t);
	uint64_t ns0, ns1, ns2, x0, x1, x2;
	uint32_t crc;
	uint8_t *data = malloc(0x40000);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns0, &x0), SR_OK);
	ft_read(t, BANK1, data, 0x40000);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns1, &x1), SR_OK);
	assert_int_equal(sr_flash_begin(&t->f, 1), SR_OK);
	assert_int_equal(sr_flash_end(&t->f, 1, t->f.ops->crc(&t->f, BANK1, 0x40000, &crc)), SR_OK);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &ns2, &x2), SR_OK);
	assert_int_equal(crc, t->f.ops->crc_host(0, data, 0x40000));
	print_message("256 KiB: read back %.3f s, %llu USB transactions; flash CRC %.3f s, %llu "
		      "USB transactions\n",
		      (double)(ns1 - ns0) / 1e9, (unsigned long long)(x1 - x0),
		      (double)(ns2 - ns1) / 1e9, (unsigned long long)(x2 - x1));
	assert_true(ns2 - ns1 < (ns1 - ns0) / 10);
	free(data);
	ft_free(t);
}

/* A PCROP area in the range: CRCRDERR, reported as read protection. */
static void test_crc_pcrop(void **state)
{
	(void)state;
	/* bank 1 PCROP over 256-byte units 0x10-0x1F (0x08001000-0x08001FFF) */
	struct ft *t = ft_new("stm32h753", "option_bytes", "prar1", "0x001F0010", NULL);
	ft_connect(t);
	uint32_t crc;
	assert_int_equal(sr_flash_begin(&t->f, 1), SR_OK);
	int rc = t->f.ops->crc(&t->f, BANK1, 0x4000, &crc);
	assert_int_equal(sr_flash_end(&t->f, 1, rc), SR_E_FLASH_RDP);
	assert_true(why_has(t, "CRCRDERR"));
	assert_int_equal(reg(t, FLASH_SR(1)) & H7_SR_ERRORS, 0);
	ft_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_program_both_banks), cmocka_unit_test(test_banks_own_controls),
	    cmocka_unit_test(test_sector_erase_exact), cmocka_unit_test(test_bank_and_mass_erase),
	    cmocka_unit_test(test_sticky_bank2),       cmocka_unit_test(test_wrp_bank2),
	    cmocka_unit_test(test_psize_low_voltage),  cmocka_unit_test(test_ob_write_readback),
	    cmocka_unit_test(test_ob_write_refused),   cmocka_unit_test(test_rdp_regression),
	    cmocka_unit_test(test_crc),                cmocka_unit_test(test_crc_cost),
	    cmocka_unit_test(test_crc_pcrop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
