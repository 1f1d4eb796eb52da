/*
 * ELF executables through libelf (elfutils). What is programmed is each PT_LOAD program
 * header's file bytes (p_filesz) at its physical address p_paddr: the load address (LMA)
 * that linker scripts set with AT> for .data; the p_memsz - p_filesz tail (.bss) is zeroed
 * by the startup code at run time and is not programmed (System V ABI, "Program Loading";
 * ARM ELF for the Arm Architecture, IHI 0044). Only 32-bit little-endian ARM executables
 * are taken: every STM32 core is one.
 */
#include "config.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/util.h"
#include "image/image-internal.h"

struct elfin {
	struct sr_image *img;
	struct sr_msgs *msgs;
	Elf *elf;
	GElf_Ehdr eh;
	size_t len;
	GElf_Phdr *ph; /* PT_LOAD headers only */
	int n_ph;
};

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386:
		return "x86";
	case EM_X86_64:
		return "x86-64: a PC program";
	case EM_AARCH64:
		return "AArch64";
	case EM_RISCV:
		return "RISC-V";
	case EM_MIPS:
		return "MIPS";
	case EM_AVR:
		return "AVR";
	default:
		return "not ARM";
	}
}

/* e_ident and the ELF header: a 32-bit little-endian ARM executable. */
static int elf_check_ident(struct elfin *e, const uint8_t *d)
{
	const char *src = e->img->source;
	if (e->len < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG) != 0)
		return sr_image_fail(e->msgs, "%s: offset 0x0: no ELF magic (7F 45 4C 46): not "
				     "an ELF file; give the format it is in, or the .elf the "
				     "build made", src);
	if (d[EI_CLASS] != ELFCLASS32)
		return sr_image_fail(e->msgs,
				     "%s: offset 0x%x: ELF class %u is not 32-bit: STM32 images are "
				     "32-bit ARM, this file was built for another processor; build "
				     "it with arm-none-eabi-gcc",
				     src, EI_CLASS, d[EI_CLASS]);
	if (d[EI_DATA] != ELFDATA2LSB)
		return sr_image_fail(e->msgs,
				     "%s: offset 0x%x: the ELF is not little-endian (data encoding "
				     "%u): STM32 cores run little-endian; build without "
				     "-mbig-endian",
				     src, EI_DATA, d[EI_DATA]);
	return SR_OK;
}

static int elf_check_header(struct elfin *e)
{
	const char *src = e->img->source;
	if (!gelf_getehdr(e->elf, &e->eh))
		return sr_image_fail(e->msgs, "%s: offset 0x0: the ELF header cannot be read "
				     "(%s): the file is damaged", src, elf_errmsg(-1));
	if (e->eh.e_machine != EM_ARM)
		return sr_image_fail(e->msgs,
				     "%s: offset 0x12: machine %u (%s), not ARM: this ELF was built "
				     "for another processor; build it with arm-none-eabi-gcc",
				     src, e->eh.e_machine, machine_name(e->eh.e_machine));
	if (e->eh.e_type != ET_EXEC)
		return sr_image_fail(e->msgs,
				     "%s: offset 0x10: ELF type %u is not an executable (%s): give "
				     "the linked .elf of the firmware",
				     src, e->eh.e_type,
				     e->eh.e_type == ET_REL ? "an object file (.o): link it first"
				     : e->eh.e_type == ET_DYN ? "a shared object or PIE: STM32 "
								"firmware is linked to fixed addresses"
							      : "not a program");
	return SR_OK;
}

/* A table of N entries of ENTSIZE at OFF lies within the file. */
static bool table_fits(const struct elfin *e, uint64_t off, uint64_t n, uint64_t entsize)
{
	return off <= e->len && n * entsize <= e->len - off;
}

/* Add one PT_LOAD's file bytes as a segment and keep the header for the section table. */
static int elf_load_one(struct elfin *e, const uint8_t *d, const GElf_Phdr *p, int i)
{
	const char *src = e->img->source;
	uint64_t where = e->eh.e_phoff + (uint64_t)i * e->eh.e_phentsize;
	if (p->p_filesz > p->p_memsz)
		return sr_image_fail(e->msgs,
				     "%s: offset 0x%llx: program header %d has %llu file bytes but "
				     "only %llu in memory: the ELF is malformed",
				     src, (unsigned long long)where, i,
				     (unsigned long long)p->p_filesz, (unsigned long long)p->p_memsz);
	if (!table_fits(e, p->p_offset, p->p_filesz, 1))
		return sr_image_fail(e->msgs,
				     "%s: offset 0x%llx: program header %d places %llu bytes at file "
				     "offset 0x%llx, past the end of the file (%zu bytes): the file "
				     "was cut short; build it or copy it again",
				     src, (unsigned long long)where, i,
				     (unsigned long long)p->p_filesz,
				     (unsigned long long)p->p_offset, e->len);
	if (sr_image_add(e->img, p->p_paddr, d + p->p_offset, p->p_filesz, i) != SR_OK)
		return sr_image_fail(e->msgs,
				     "%s: offset 0x%llx: program header %d loads %llu bytes at "
				     "0x%08llX, past the end of the 32-bit address space",
				     src, (unsigned long long)where, i,
				     (unsigned long long)p->p_filesz, (unsigned long long)p->p_paddr);
	e->ph = sr_realloc_array(e->ph, (size_t)e->n_ph + 1, sizeof(*e->ph));
	e->ph[e->n_ph++] = *p;
	return SR_OK;
}

static int elf_load_segments(struct elfin *e, const uint8_t *d)
{
	const char *src = e->img->source;
	size_t n = e->eh.e_phnum;
	/* libelf clamps its count to what the file holds: check the header's own count,
	 * unless it is PN_XNUM (the count is then in section 0) */
	if (n == PN_XNUM && elf_getphdrnum(e->elf, &n) != 0)
		n = 0;
	if (n == 0)
		return sr_image_fail(e->msgs, "%s: offset 0x2c: no program headers: nothing to "
				     "load; give the linked .elf of the firmware", src);
	if (e->eh.e_phentsize != sizeof(Elf32_Phdr) ||
	    !table_fits(e, e->eh.e_phoff, n, e->eh.e_phentsize))
		return sr_image_fail(e->msgs,
				     "%s: offset 0x%llx: the program header table (%zu entries of "
				     "%u bytes) runs past the end of the file (%zu bytes): the file "
				     "was cut short or damaged",
				     src, (unsigned long long)e->eh.e_phoff, n, e->eh.e_phentsize,
				     e->len);
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr p;
		int rc;
		if (!gelf_getphdr(e->elf, (int)i, &p))
			return sr_image_fail(e->msgs, "%s: program header %zu cannot be read: %s",
					     src, i, elf_errmsg(-1));
		if (p.p_type != PT_LOAD || p.p_filesz == 0)
			continue;
		rc = elf_load_one(e, d, &p, (int)i);
		if (rc != SR_OK)
			return rc;
	}
	e->img->entry = (uint32_t)e->eh.e_entry;
	e->img->has_entry = true;
	return SR_OK;
}

/* Where a section's bytes are programmed: inside a PT_LOAD's file image, or by address. */
static void section_place(const struct elfin *e, const GElf_Shdr *sh, struct sr_image_section *s)
{
	s->lma = s->addr;
	for (int i = 0; i < e->n_ph; i++) {
		const GElf_Phdr *p = &e->ph[i];
		if (sh->sh_type != SHT_NOBITS && sh->sh_offset >= p->p_offset &&
		    sh->sh_offset + sh->sh_size <= p->p_offset + p->p_filesz) {
			s->lma = (uint32_t)(p->p_paddr + (sh->sh_offset - p->p_offset));
			s->loaded = true;
			return;
		}
	}
	for (int i = 0; i < e->n_ph; i++) {
		const GElf_Phdr *p = &e->ph[i];
		if (sh->sh_addr >= p->p_vaddr && sh->sh_addr < p->p_vaddr + p->p_memsz) {
			s->lma = (uint32_t)(p->p_paddr + (sh->sh_addr - p->p_vaddr));
			return;
		}
	}
}

static void section_add(struct elfin *e, const GElf_Shdr *sh, size_t strndx)
{
	struct sr_image *img = e->img;
	struct sr_image_section *s;
	const char *name = elf_strptr(e->elf, strndx, sh->sh_name);
	img->sect = sr_realloc_array(img->sect, (size_t)img->n_sect + 1, sizeof(*img->sect));
	s = &img->sect[img->n_sect++];
	memset(s, 0, sizeof(*s));
	s->name = sr_strdup(name ? name : "(unnamed)");
	s->addr = (uint32_t)sh->sh_addr;
	s->size = (uint32_t)sh->sh_size;
	s->flags = (sh->sh_flags & SHF_WRITE ? SR_SECT_WRITE : 0) |
		   (sh->sh_flags & SHF_ALLOC ? SR_SECT_ALLOC : 0) |
		   (sh->sh_flags & SHF_EXECINSTR ? SR_SECT_EXEC : 0) |
		   (sh->sh_type == SHT_NOBITS ? SR_SECT_NOBITS : 0);
	section_place(e, sh, s);
}

static int elf_load_sections(struct elfin *e)
{
	const char *src = e->img->source;
	size_t n, strndx;
	Elf_Scn *scn = NULL;
	if (e->eh.e_shoff == 0)
		return SR_OK; /* no section table (stripped with sstrip): nothing to report */
	n = e->eh.e_shnum; /* 0: the count is in section 0 (more than SHN_LORESERVE) */
	if ((n == 0 && elf_getshdrnum(e->elf, &n) != 0) ||
	    elf_getshdrstrndx(e->elf, &strndx) != 0 ||
	    !table_fits(e, e->eh.e_shoff, n, e->eh.e_shentsize))
		return sr_image_fail(e->msgs,
				     "%s: offset 0x%llx: the section header table runs past the end "
				     "of the file (%zu bytes) or is damaged: the file was cut short",
				     src, (unsigned long long)e->eh.e_shoff, e->len);
	while ((scn = elf_nextscn(e->elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return sr_image_fail(e->msgs, "%s: section %zu cannot be read: %s", src,
					     elf_ndxscn(scn), elf_errmsg(-1));
		if ((sh.sh_flags & SHF_ALLOC) && sh.sh_size > 0)
			section_add(e, &sh, strndx);
	}
	return SR_OK;
}

int sr_image_parse_elf(struct sr_image *img, const uint8_t *data, size_t len,
		       struct sr_msgs *msgs)
{
	struct elfin e = {.img = img, .msgs = msgs, .len = len};
	char *copy;
	int rc = elf_check_ident(&e, data);
	if (rc != SR_OK)
		return rc;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return sr_image_fail(msgs, "%s: libelf is unusable: %s", img->source,
				     elf_errmsg(-1));
	/* libelf may keep pointers into the buffer and wants it writable: give it a copy */
	copy = sr_calloc(len, 1);
	memcpy(copy, data, len);
	e.elf = elf_memory(copy, len);
	if (!e.elf)
		rc = sr_image_fail(msgs, "%s: not a readable ELF file: %s", img->source,
				   elf_errmsg(-1));
	if (rc == SR_OK)
		rc = elf_check_header(&e);
	if (rc == SR_OK)
		rc = elf_load_segments(&e, data);
	if (rc == SR_OK)
		rc = elf_load_sections(&e);
	if (e.elf)
		elf_end(e.elf);
	free(copy);
	free(e.ph);
	return rc;
}
