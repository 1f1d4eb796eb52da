/* ELF images: PT_LOAD bytes at their physical address, the section table, and every damaged
 * or foreign file refused with the offset of what is wrong; objcopy's HEX, S-record and
 * binary of the same program read alike. Fixtures: tests/data/image/. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "common/error.h"
#include "image/image.h"

#define FIXTURE "tests/data/image/unaligned.elf"

static const struct sr_image_section *section(const struct sr_image *img, const char *name)
{
	for (int i = 0; i < img->n_sect; i++)
		if (strcmp(img->sect[i].name, name) == 0)
			return &img->sect[i];
	fail_msg("no section %s", name);
	return NULL;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_elf_segments(void **state)
{
	size_t len;
	uint8_t *elf = tu_read_src(FIXTURE, &len);
	struct sr_image img;
	struct sr_msgs m = {0};
	const struct sr_image_section *s;
	char origin[48];
	static const uint8_t counter[] = {0x44, 0x33, 0x22, 0x11};
	assert_int_equal(sr_image_parse("u.elf", elf, len, NULL, &img, &m), SR_OK);
	assert_int_equal(img.format, SR_IMAGE_ELF);
	/* .data is programmed at its load address right after .rodata, not at 0x20000000,
	 * and .bss (p_memsz beyond p_filesz) is not programmed: one merged segment */
	assert_int_equal(img.n_seg, 1);
	assert_int_equal(img.seg[0].addr, 0x08000000);
	assert_int_equal(img.seg[0].size, 0x25);
	assert_memory_equal(img.seg[0].data + 0x21, counter, 4);
	assert_int_equal(get32(img.seg[0].data), 0x20018000); /* _estack = end of 96K RAM */
	sr_image_seg_origin(&img, &img.seg[0], origin, sizeof(origin));
	assert_string_equal(origin, "program headers 0-1");
	assert_int_equal(img.n_sect, 5);
	s = section(&img, ".data");
	assert_int_equal(s->addr, 0x20000000);
	assert_int_equal(s->lma, 0x08000021);
	assert_int_equal(s->size, 4);
	assert_true(s->loaded);
	assert_int_equal(s->flags, SR_SECT_WRITE | SR_SECT_ALLOC);
	s = section(&img, ".bss");
	assert_false(s->loaded);
	assert_int_equal(s->lma, 0x08000025);
	assert_true(s->flags & SR_SECT_NOBITS);
	s = section(&img, ".text");
	assert_true(s->flags & SR_SECT_EXEC);
	assert_int_equal(s->lma, 0x08000008);
	assert_int_equal(section(&img, ".rodata")->size, 9);
	assert_true(img.has_entry);
	sr_image_free(&img);
	free(elf);
}

/* The fixture with LEN bytes kept and the 32-bit word at OFF set to VAL (OFF < 0: none). */
static void refused(long off, int width, uint32_t val, size_t keep, const char *a, const char *b)
{
	size_t len;
	uint8_t *elf = tu_read_src(FIXTURE, &len);
	struct sr_image_opts o = {.format = SR_IMAGE_ELF};
	struct sr_image img;
	struct sr_msgs m = {0};
	if (off >= 0 && width == 1)
		elf[off] = (uint8_t)val;
	else if (off >= 0 && width == 2)
		elf[off] = (uint8_t)val, elf[off + 1] = (uint8_t)(val >> 8);
	else if (off >= 0)
		put32(elf + off, val);
	if (keep)
		len = keep;
	assert_int_equal(sr_image_parse("bad.elf", elf, len, &o, &img, &m), SR_E_IMAGE);
	if (!tu_msgs_have(&m, a, b, NULL)) {
		tu_msgs_print(&m);
		fail_msg("expected '%s' and '%s'", a, b);
	}
	sr_msgs_free(&m);
	free(elf);
}

static void test_elf_refused(void **state)
{
	size_t len;
	uint8_t *elf = tu_read_src(FIXTURE, &len);
	uint32_t phoff = get32(elf + 0x1C), shoff = get32(elf + 0x20);
	uint32_t seg0_off = get32(elf + phoff + 4);
	char where[32];
	free(elf);
	assert_int_equal(phoff, 0x34);
	refused(0, 1, 'X', 0, "bad.elf: offset 0x0: no ELF magic", NULL);
	refused(4, 1, 2, 0, "bad.elf: offset 0x4: ELF class 2 is not 32-bit", "arm-none-eabi-gcc");
	refused(5, 1, 2, 0, "bad.elf: offset 0x5", "not little-endian");
	refused(0x12, 2, 62, 0, "bad.elf: offset 0x12: machine 62 (x86-64", "not ARM");
	refused(0x10, 2, 1, 0, "bad.elf: offset 0x10: ELF type 1", "object file");
	/* cut inside the program header table, then inside program header 0's bytes */
	refused(-1, 0, 0, phoff + 40, "bad.elf: offset 0x34: the program header table", "past");
	refused(-1, 0, 0, seg0_off + 8, "bad.elf: offset 0x34: program header 0",
		"past the end of the file");
	/* program header 1: more file bytes than memory bytes */
	refused(phoff + 32 + 16, 4, 0x100, 0, "bad.elf: offset 0x54: program header 1", "malformed");
	/* program header 1 loaded over program header 0 */
	refused(phoff + 32 + 12, 4, 0x08000010, 0, "0x08000010-0x08000013 are given twice",
		"program header 0 and by program header 1");
	snprintf(where, sizeof(where), "offset 0x%x", shoff);
	refused(-1, 0, 0, shoff + 8, where, "section header table");
}

/* The test program itself: an ELF, but for the build machine. */
static void test_elf_host(void **state)
{
	struct sr_image img;
	struct sr_msgs m = {0};
	assert_int_equal(sr_image_load("/proc/self/exe", NULL, &img, &m), SR_E_IMAGE);
	assert_true(tu_msgs_have(&m, "/proc/self/exe: offset 0x", "arm-none-eabi-gcc", NULL));
	sr_msgs_free(&m);
}

static void load(const char *path, struct sr_image *img)
{
	struct sr_msgs m = {0};
	if (sr_image_load(path, NULL, img, &m) != SR_OK)
		tu_msgs_print(&m);
	assert_int_equal(m.n, 0);
}

/* With the cross compiler at hand, build the fixtures afresh: they read the same. */
static void test_elf_fresh_build(void **state)
{
	char cmd[1024], path[512];
	char *dir;
	struct sr_image a, b;
	if (system("command -v arm-none-eabi-gcc >/dev/null 2>&1") != 0)
		skip();
	dir = tu_tmpdir();
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/data/image/mk.sh' '%s'", tu_datadir(), dir);
	assert_int_equal(system(cmd), 0);
	for (int i = 0; i < 2; i++) {
		const char *name = i ? "aligned.elf" : "unaligned.elf";
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		load(path, &a);
		snprintf(path, sizeof(path), "%s/tests/data/image/%s", tu_datadir(), name);
		load(path, &b);
		assert_int_equal(a.n_seg, b.n_seg);
		assert_int_equal(a.n_sect, b.n_sect);
		for (int s = 0; s < a.n_seg; s++) {
			assert_int_equal(a.seg[s].addr, b.seg[s].addr);
			assert_int_equal(a.seg[s].size, b.seg[s].size);
			assert_memory_equal(a.seg[s].data, b.seg[s].data, a.seg[s].size);
		}
		sr_image_free(&a);
		sr_image_free(&b);
	}
	tu_rmtree(dir);
}

static void load_fixture(const char *rel, bool bin, struct sr_image *img)
{
	struct sr_image_opts o = {.has_base = bin, .base = 0x08000000};
	struct sr_msgs m = {0};
	char path[512];
	snprintf(path, sizeof(path), "%s/tests/data/image/%s", tu_datadir(), rel);
	if (sr_image_load(path, &o, img, &m) != SR_OK)
		tu_msgs_print(&m);
	assert_int_equal(m.n, 0);
}

/* objcopy's HEX, S-record and binary of unaligned.elf give the same bytes as the ELF. */
static void test_formats_agree(void **state)
{
	static const char *const files[] = {"unaligned.elf", "unaligned.hex", "unaligned.srec",
					    "unaligned.bin"};
	static const enum sr_image_format fmt[] = {SR_IMAGE_ELF, SR_IMAGE_IHEX, SR_IMAGE_SREC,
						   SR_IMAGE_BIN};
	struct sr_image ref, img;
	load_fixture(files[0], false, &ref);
	assert_int_equal(ref.n_seg, 1);
	assert_int_equal(ref.seg[0].addr, 0x08000000);
	assert_int_equal(ref.seg[0].size, 0x25);
	for (int i = 1; i < 4; i++) {
		load_fixture(files[i], i == 3, &img);
		assert_int_equal(img.format, fmt[i]);
		assert_int_equal(img.n_seg, 1);
		assert_int_equal(img.seg[0].addr, ref.seg[0].addr);
		assert_int_equal(img.seg[0].size, ref.seg[0].size);
		assert_memory_equal(img.seg[0].data, ref.seg[0].data, ref.seg[0].size);
		if (i < 3)
			assert_int_equal(img.entry, ref.entry);
		sr_image_free(&img);
	}
	sr_image_free(&ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_elf_segments),
	    cmocka_unit_test(test_elf_refused),
	    cmocka_unit_test(test_elf_host),
	    cmocka_unit_test(test_elf_fresh_build),
	    cmocka_unit_test(test_formats_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
