/*
 * The F2/F4/F7 flash driver (src/flash/stm32f2.c) and the flash engine against the
 * virtual STM32F446 and STM32F746: sector erase touches only its sector, programming
 * and read-back, PSIZE from the target voltage, sticky bits left by an earlier tool,
 * write protection named, and the flash locked again on every path.
 */
#include "flashtest.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "flash/driver.h"

#define FLASH_CR_F4 0x40023C10u /* RM0090 3.9.5 */
#define FLASH_SR_F4 0x40023C0Cu /* RM0090 3.9.4 */
#define LOCK (1u << 31)

static bool cr_locked(struct ft *t)
{
	uint32_t cr;
	assert_int_equal(sr_target_read32(t->tg, FLASH_CR_F4, &cr), SR_OK);
	return (cr & LOCK) != 0;
}

/* Erasing sector 1 (0x08004000, 16 KiB) leaves sectors 0 and 2 as they were. */
static void test_sector_erase_exact(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f446", NULL);
	ft_connect(t);
	ft_fill(t, 0x08000000, 0xC000, 1);
	assert_int_equal(sr_flash_erase_range(&t->f, 0x08004000, 0x4000), SR_OK);
	assert_true(ft_all(t, 0x08004000, 0x4000, 0xFF));
	uint8_t b[0x4000];
	ft_read(t, 0x08000000, b, sizeof(b));
	for (uint32_t i = 0; i < sizeof(b); i++)
		assert_int_equal(b[i], ft_pattern(0x08000000 + i, 1));
	ft_read(t, 0x08008000, b, sizeof(b));
	for (uint32_t i = 0; i < sizeof(b); i++)
		assert_int_equal(b[i], ft_pattern(0x08008000 + i, 1));
	assert_true(cr_locked(t));
	ft_free(t);
}

/* A range that does not end on a sector boundary is refused before anything is erased. */
static void test_range_not_sector(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f446", NULL);
	ft_connect(t);
	ft_fill(t, 0x08000000, 0x4000, 2);
	assert_int_equal(sr_flash_erase_range(&t->f, 0x08000000, 0x2000), SR_E_RANGE);
	assert_false(ft_all(t, 0x08000000, 0x4000, 0xFF));
	uint8_t x;
	ft_read(t, 0x08000010, &x, 1);
	assert_int_equal(x, ft_pattern(0x08000010, 2));
	ft_free(t);
}

/* PSIZE follows the measured voltage: x16 at 2.4 V (RM0090 3.5.2 table 9), and the
 * program still verifies. */
static void test_psize_low_voltage(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f446", "board", "target_mv", "2400", NULL);
	ft_connect(t);
	assert_int_equal(t->f.unit, 2);
	assert_int_equal(t->f.drv[0], 1);
	ft_fill(t, 0x08000000, 0x100, 3);
	uint8_t b[0x100];
	ft_read(t, 0x08000000, b, sizeof(b));
	for (uint32_t i = 0; i < sizeof(b); i++)
		assert_int_equal(b[i], ft_pattern(0x08000000 + i, 3));
	ft_free(t);
}

/* Sticky bits and PG left by an earlier tool (f446-sticky-flags) are cleared before the
 * erase, which then succeeds. */
static void test_sticky_cleared(void **state)
{
	(void)state;
	struct ft *t = ft_new("f446-sticky-flags", NULL);
	ft_connect(t);
	uint32_t sr;
	assert_int_equal(sr_target_read32(t->tg, FLASH_SR_F4, &sr), SR_OK);
	assert_int_not_equal(sr & 0xF2, 0);
	assert_int_equal(sr_flash_erase_range(&t->f, 0x08020000, 0x20000), SR_OK);
	assert_int_equal(sr_target_read32(t->tg, FLASH_SR_F4, &sr), SR_OK);
	assert_int_equal(sr & 0xF2, 0);
	uint32_t cr;
	assert_int_equal(sr_target_read32(t->tg, FLASH_CR_F4, &cr), SR_OK);
	assert_int_equal(cr & 1u, 0); /* PG cleared */
	assert_true(cr_locked(t));
	ft_free(t);
}

/* Sector 0 write-protected (f446-wrp): the map says so, the erase fails with WRPERR
 * named, and the flash is locked again on that error path. */
static void test_wrp_named(void **state)
{
	(void)state;
	struct ft *t = ft_new("f446-wrp", NULL);
	ft_connect(t);
	uint8_t *wrp;
	assert_int_equal(sr_flash_protection(&t->f, &wrp), SR_OK);
	int n_wrp = 0;
	for (int i = 0; i < t->f.map.n_sect; i++)
		n_wrp += wrp[i];
	assert_true(n_wrp > 0);
	int first = 0;
	while (!wrp[first])
		first++;
	const struct sr_sector *s = &t->f.map.sect[first];
	free(wrp);
	assert_int_equal(sr_flash_erase_range(&t->f, s->addr, s->size), SR_E_FLASH_WRP);
	bool named = false;
	for (int i = 0; i < t->f.why.n; i++)
		named |= strstr(t->f.why.v[i], "WRPERR") != NULL;
	assert_true(named);
	assert_true(cr_locked(t));
	ft_free(t);
}

/* Mass erase on the F746 (one bank of 32/128/256 KiB sectors, RM0385 3.3.1). */
static void test_f746_mass(void **state)
{
	(void)state;
	struct ft *t = ft_new("stm32f746", NULL);
	ft_connect(t);
	ft_fill(t, 0x08000000, 0x100, 4);
	ft_fill(t, 0x080C0000, 0x100, 4);
	assert_int_equal(sr_flash_erase_mass(&t->f), SR_OK);
	assert_true(ft_all(t, 0x08000000, 0x100, 0xFF));
	assert_true(ft_all(t, 0x080C0000, 0x100, 0xFF));
	assert_int_equal(t->f.unit, 4);
	ft_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sector_erase_exact), cmocka_unit_test(test_range_not_sector),
	    cmocka_unit_test(test_psize_low_voltage),  cmocka_unit_test(test_sticky_cleared),
	    cmocka_unit_test(test_wrp_named),          cmocka_unit_test(test_f746_mass),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
