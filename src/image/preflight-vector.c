/*
 * Pre-flight: the vector table at the start of the image's flash bytes. At reset a Cortex-M
 * loads SP_main from word 0 and the PC from word 1 of the vector table, and EPSR.T from bit
 * 0 of that word (ARMv7-M Architecture Reference Manual, DDI 0403E, B1.5.5 "Reset
 * behavior"; ARMv6-M DDI 0419, B1.5.5); with T = 0 the first instruction takes an INVSTATE
 * fault, which at reset escalates to HardFault (DDI 0403E B1.5.6). A full-descending stack
 * usually starts at the end of a RAM region.
 */
#include "config.h"

#include <stdio.h>

#include "image/preflight-internal.h"

static int image_word(const struct sr_image *img, uint32_t addr, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--) {
		int b = pf_image_byte(img, addr + (uint32_t)i);
		if (b < 0)
			return -1;
		v = v << 8 | (uint32_t)b;
	}
	*out = v;
	return 0;
}

struct vt {
	uint32_t at, sp, pc;
	enum sr_severity sev; /* for problems: error when the chip boots this table */
	const char *note;
};

/* RAM region holding the initial SP: base < sp <= end (the stack grows down from end),
 * END at the size every part has, or with LARGEST at the largest part's (upto=). */
static const struct sr_ram_region *sp_region(const struct sr_device *dev, uint32_t sp,
					     bool largest)
{
	for (int i = 0; i < dev->n_ram; i++) {
		const struct sr_ram_region *r = &dev->ram[i];
		uint32_t size = largest && r->size_max ? r->size_max : r->size;
		if (sp > r->base && (uint64_t)sp <= (uint64_t)r->base + size)
			return r;
	}
	return NULL;
}

/* The SP lies in RAM only the larger parts with this device ID have: say so, no error. */
static bool sp_in_larger_part(struct pf *p, const struct vt *v)
{
	const struct sr_ram_region *r = sp_region(p->dev, v->sp, true);
	if (!r)
		return false;
	pf_add(p, SR_SEV_WARNING, "reset-vector-sp", v->at, 4,
	       "initial stack pointer 0x%08X is above the %u KiB of %s that every %s has, "
	       "within the %u KiB of the largest: right for a part with that much RAM (see its "
	       "datasheet), a fault at the first push on a smaller one",
	       v->sp, r->size / 1024, r->name, p->dev->name, r->size_max / 1024);
	return true;
}

static void ram_list(const struct sr_device *dev, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < dev->n_ram && used < len; i++) {
		const struct sr_ram_region *r = &dev->ram[i];
		used += (size_t)snprintf(buf + used, len - used, "%s%s 0x%08X-0x%08X", i ? ", " : "",
					 r->name, r->base, r->base + r->size - 1);
		if (r->size_max > r->size && used < len)
			used += (size_t)snprintf(buf + used, len - used, " (to 0x%08X on the largest)",
						 r->base + r->size_max - 1);
	}
}

static bool check_sp(struct pf *p, const struct vt *v)
{
	const struct sr_ram_region *r = sp_region(p->dev, v->sp, false);
	char rams[256];
	if (!r && sp_in_larger_part(p, v))
		return false;
	if (!r) {
		ram_list(p->dev, rams, sizeof(rams));
		pf_add(p, v->sev, "reset-vector-sp", v->at, 4,
		       "initial stack pointer 0x%08X (word 0 of the vector table at 0x%08X%s) is "
		       "not in the RAM of the %s (%s): the image was linked for another part, or "
		       "its vector table is not at its start",
		       v->sp, v->at, v->note, p->dev->name, rams);
		return false;
	}
	if (r->enable.addr) {
		pf_add(p, SR_SEV_WARNING, "reset-vector-sp", v->at, 4,
		       "initial stack pointer 0x%08X is in %s, which is off after reset until bit "
		       "%u of 0x%08X is set: the first push at reset faults unless the boot code "
		       "enables it first; put the initial stack in RAM usable from reset",
		       v->sp, r->name, r->enable.bit, r->enable.addr);
		return false;
	}
	return true;
}

static bool check_pc(struct pf *p, const struct vt *v)
{
	uint32_t h = v->pc & ~1u;
	if (!(v->pc & 1)) {
		pf_add(p, v->sev, "reset-vector-pc", v->at + 4, 4,
		       "reset handler 0x%08X (word 1 of the vector table at 0x%08X%s) has bit 0 "
		       "clear: Cortex-M runs only Thumb code and takes a HardFault at reset on such "
		       "a vector. Declare the handler a Thumb function (.thumb_func, or .type "
		       "Reset_Handler, %%function)",
		       v->pc, v->at, v->note);
		return false;
	}
	if (!sr_flash_map_find(p->map, h)) {
		pf_add(p, v->sev, "reset-vector-pc", v->at + 4, 4,
		       "reset handler 0x%08X (word 1 of the vector table at 0x%08X%s) is not in the "
		       "flash of this %s: the image was linked for another address or part",
		       v->pc, v->at, v->note, p->dev->name);
		return false;
	}
	if (pf_image_byte(p->img, h) < 0) {
		pf_add(p, SR_SEV_WARNING, "reset-vector-pc", v->at + 4, 4,
		       "reset handler 0x%08X is in flash but not in the image: the chip runs "
		       "whatever is there (0x%02X bytes if its sector is erased)",
		       v->pc, (unsigned)(p->dev->defs.erased & 0xFF));
		return false;
	}
	return true;
}

/* The lowest image address inside the flash present, or false. */
static bool first_flash_addr(const struct pf *p, uint32_t *at)
{
	for (int i = 0; i < p->img->n_seg; i++)
		if (sr_flash_map_find(p->map, p->img->seg[i].addr)) {
			*at = p->img->seg[i].addr;
			return true;
		}
	return false;
}

void pf_check_vector(struct pf *p)
{
	struct vt v = {.sev = SR_SEV_ERROR, .note = ""};
	bool sp_ok, pc_ok;
	if (!first_flash_addr(p, &v.at))
		return;
	if (image_word(p->img, v.at, &v.sp) || image_word(p->img, v.at + 4, &v.pc)) {
		pf_add(p, SR_SEV_INFO, "reset-vector", v.at, 0,
		       "the image's first flash bytes at 0x%08X are too few for a vector table: "
		       "not checked", v.at);
		return;
	}
	if (v.at != p->dev->defs.flash_base) {
		v.sev = SR_SEV_WARNING;
		v.note = ", not the start of flash: checked as the table of a program started "
			 "by another";
	}
	if (v.sp == 0xFFFFFFFFu && v.pc == 0xFFFFFFFFu) {
		pf_add(p, v.sev, "reset-vector-sp", v.at, 8,
		       "the vector table at 0x%08X is blank (0xFFFFFFFF): the chip will not start "
		       "this image; the build placed no vector table there", v.at);
		return;
	}
	sp_ok = check_sp(p, &v);
	pc_ok = check_pc(p, &v);
	if (sp_ok && pc_ok)
		pf_add(p, SR_SEV_INFO, "reset-vector", v.at, 8,
		       "vector table at 0x%08X: initial stack pointer 0x%08X in RAM, reset handler "
		       "0x%08X (Thumb) in the image",
		       v.at, v.sp, v.pc);
}
