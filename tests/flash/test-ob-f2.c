/*
 * Option-byte writes of the F2/F4/F7 driver (src/flash/stm32f2-ob.c) through the engine
 * (sr_flash_ob_write) on the virtual STM32F446 and STM32F746: the value is programmed,
 * loaded by the reset and read back; the registers are locked again; RDP 1 -> 0 erases
 * the flash; bits outside the given fields and registers stay as they were; a refused
 * option key sequence is explained and leaves everything locked and unchanged.
 */
#include "flashtest.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "flash/driver.h"
#include "common/util.h"
#include "probe/transport.h"

#define FLASH_OPTKEYR 0x40023C08u /* RM0090 3.9.3 */
#define FLASH_CR 0x40023C10u      /* RM0090 3.9.5 */
#define FLASH_OPTCR 0x40023C14u   /* RM0090 3.9.10, RM0385 3.7.6 */
#define FLASH_OPTCR1 0x40023C18u  /* RM0385 3.7.7 */
#define CR_LOCK (1u << 31)
#define OPTLOCK (1u << 0)

static uint32_t rd(struct ft *t, uint32_t addr)
{
	uint32_t v;
	assert_int_equal(sr_target_read32(t->tg, addr, &v), SR_OK);
	return v;
}

static uint32_t field(struct ft *t, const char *name)
{
	const struct sr_ob_field *fd = sr_ob_field_find(t->f.ob.t, name);
	assert_non_null(fd);
	return sr_ob_field_value(&t->f.ob, fd);
}

/* A set of values: the option bytes read, no register given, then FIELD=TEXT pairs. */
static void want_init(struct ft *t, struct sr_ob_values *w, ...)
{
	struct sr_msgs why = {0};
	va_list ap;
	sr_ob_values_init(w, t->f.ob.t);
	memcpy(w->raw, t->f.ob.raw, sizeof(uint32_t) * (size_t)t->f.ob.t->n_regs);
	va_start(ap, w);
	for (const char *name; (name = va_arg(ap, const char *));)
		assert_int_equal(sr_ob_encode(w, name, va_arg(ap, const char *), &why), SR_OK);
	va_end(ap);
	sr_msgs_free(&why);
}

static void write_ok(struct ft *t, struct sr_ob_values *w)
{
	int rc = sr_flash_ob_write(&t->f, w);
	if (rc != SR_OK)
		ft_why(t);
	assert_int_equal(rc, SR_OK);
	sr_ob_values_free(w);
}

/* Both lock bits set again after the write (RM0090 3.6.2). */
static void assert_locked(struct ft *t)
{
	assert_true(rd(t, FLASH_OPTCR) & OPTLOCK);
	assert_true(rd(t, FLASH_CR) & CR_LOCK);
}

/* f446-hw-watchdog: WDG_SW 0 -> 1 (software), read back after the load reset, kept over a
 * new connection; the core waits at its reset handler. */
static void test_wdg_sw(void **state)
{
	(void)state;
	struct sr_ob_values w;
	uint32_t pc;
	struct ft *t = ft_new("f446-hw-watchdog", NULL);
	ft_connect(t);
	assert_int_equal(field(t, "WDG_SW"), 0);
	want_init(t, &w, "WDG_SW", "software", NULL);
	write_ok(t, &w);
	assert_int_equal(field(t, "WDG_SW"), 1);
	assert_locked(t);
	assert_true(sr_cm_is_halted(t->tg));
	assert_int_equal(sr_cm_read_reg(t->tg, 15, &pc), SR_OK);
	assert_int_equal(pc, 0x080001C0u); /* the scenario firmware's reset handler */
	ft_reconnect(t);
	assert_int_equal(field(t, "WDG_SW"), 1);
	assert_int_equal(field(t, "RDP"), 0xAA);
	ft_free(t);
}

/* f446-rdp1: RDP back to level 0 mass-erases the flash (RM0090 3.7.3), which takes the
 * datasheet's seconds on the virtual clock; the flash is readable again and erased. */
static void test_rdp_regression(void **state)
{
	(void)state;
	struct sr_ob_values w;
	uint64_t t0, t1, xf;
	struct ft *t = ft_new("f446-rdp1", NULL);
	ft_connect(t);
	uint8_t b[4];
	assert_int_not_equal(sr_target_read(t->tg, 0x08000000, b, 4), SR_OK);
	want_init(t, &w, "RDP", "level 0", NULL);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &t0, &xf), SR_OK);
	write_ok(t, &w);
	assert_int_equal(sr_sim_transport_stats(t->tg->t, &t1, &xf), SR_OK);
	assert_true(t1 - t0 > 1000000000ull); /* the mass erase: seconds, not the 350 ms */
	assert_int_equal(field(t, "RDP"), 0xAA);
	assert_true(ft_all(t, 0x08000000, 0x80000, 0xFF));
	assert_locked(t);
	ft_free(t);
}

/* f746-changed-option-bytes, all restored: BOOT_ADD0 back to 0x0080 (flash at 0x00200000
 * on ITCM, RM0385 2.5), so the reset takes SP and PC from the firmware's vector table. */
static void test_f746_restore(void **state)
{
	(void)state;
	struct sr_ob_values w;
	uint32_t vt[2], pc;
	struct ft *t = ft_new("f746-changed-option-bytes", NULL);
	ft_connect(t);
	assert_int_equal(field(t, "BOOT_ADD0"), 0x8004);
	want_init(t, &w, NULL);
	const struct sr_ob_table *tb = t->f.ob.t;
	for (int i = 0; i < tb->n_fields; i++)
		if (sr_ob_field_applies(&tb->fields[i], t->f.dev->dev_id) &&
		    t->f.ob.given[tb->fields[i].reg]) {
			const struct sr_ob_field *fd = &tb->fields[i];
			w.raw[fd->reg] = sr_field_set(w.raw[fd->reg], fd->hi, fd->lo, fd->def);
			w.given[fd->reg] = true;
		}
	write_ok(t, &w);
	assert_int_equal(rd(t, FLASH_OPTCR1), 0x00400080u);
	for (int i = 0; i < tb->n_fields; i++)
		if (sr_ob_field_applies(&tb->fields[i], t->f.dev->dev_id))
			assert_int_equal(field(t, tb->fields[i].name), tb->fields[i].def);
	ft_read(t, 0x00200000, (uint8_t *)vt, sizeof(vt));
	assert_int_equal(sr_cm_read_reg(t->tg, 15, &pc), SR_OK);
	assert_int_equal(pc, vt[1] & ~1u);
	assert_true(pc >= 0x08000000u && pc < 0x08100000u);
	assert_locked(t);
	ft_free(t);
}

/* Only FLASH_OPTCR1 given (BOOT_ADD1): FLASH_OPTCR keeps every bit, reserved ones too. */
static void test_only_given(void **state)
{
	(void)state;
	struct sr_ob_values w;
	struct ft *t = ft_new("f746-changed-option-bytes", NULL);
	ft_connect(t);
	uint32_t optcr = rd(t, FLASH_OPTCR);
	want_init(t, &w, "BOOT_ADD1", "0x20000000", NULL);
	assert_false(w.given[sr_ob_reg_find(t->f.ob.t, "OPTCR")]);
	write_ok(t, &w);
	assert_int_equal(field(t, "BOOT_ADD1"), 0x8000);
	assert_int_equal(field(t, "BOOT_ADD0"), 0x8004);
	assert_int_equal(rd(t, FLASH_OPTCR), optcr);
	ft_free(t);
}

/* A wrong option key locks FLASH_OPTCR until reset (RM0090 3.6.2): the write says so,
 * changes nothing and leaves FLASH_CR locked too. */
static void test_optkey_dead(void **state)
{
	(void)state;
	struct sr_ob_values w;
	struct ft *t = ft_new("stm32f446", NULL);
	ft_connect(t);
	uint32_t optcr = rd(t, FLASH_OPTCR);
	sr_target_write32(t->tg, FLASH_OPTKEYR, 0x12345678u); /* bus error on the chip */
	want_init(t, &w, "BOR_LEV", "level 2", NULL);
	int rc = sr_flash_ob_write(&t->f, &w);
	for (int i = 0; i < t->f.why.n; i++)
		print_message("why: %s\n", t->f.why.v[i]);
	assert_int_equal(rc, SR_E_FLASH_LOCKED);
	sr_ob_values_free(&w);
	bool said = false;
	for (int i = 0; i < t->f.why.n; i++)
		said |= strstr(t->f.why.v[i], "stayed locked") != NULL;
	assert_true(said);
	sr_msgs_free(&t->f.why);
	assert_int_equal(rd(t, FLASH_OPTCR), optcr);
	assert_locked(t);
	ft_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wdg_sw),       cmocka_unit_test(test_rdp_regression),
	    cmocka_unit_test(test_f746_restore), cmocka_unit_test(test_only_given),
	    cmocka_unit_test(test_optkey_dead),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
