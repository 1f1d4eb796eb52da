/* Shared by the image fuzz targets (see image-common.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "image/preflight.h"
#include "image-common.h"

#define N_SECT 64

/* A chip like an STM32L4 with 128 KiB in two banks of 2 KiB pages. */
static void chip(struct sr_family *fam, struct sr_device *dev, struct sr_flash_map *map,
		 struct sr_sector *sect)
{
	memset(fam, 0, sizeof(*fam));
	memset(dev, 0, sizeof(*dev));
	memset(map, 0, sizeof(*map));
	fam->title = "FUZZ";
	dev->family = fam;
	dev->name = "FUZZ1";
	dev->flash_max = 256 * 1024;
	dev->n_ram = 2;
	dev->ram[0] = (struct sr_ram_region){"SRAM1", 0x20000000, 96 * 1024, {0, 0}, false};
	dev->ram[1] = (struct sr_ram_region){"SRAM3", 0x30000000, 32 * 1024, {0x40021000, 3}, false};
	dev->defs.flash_base = 0x08000000;
	dev->defs.prog_unit = 8;
	dev->defs.erased = 0xFF;
	dev->defs.otp_base = 0x1FFF7000;
	dev->defs.otp_size = 1024;
	dev->defs.sysmem_base = 0x1FFF0000;
	dev->defs.sysmem_size = 28 * 1024;
	dev->defs.ob_base = 0x1FFF7800;
	dev->defs.ob_size = 40;
	map->banks = 2;
	map->total = N_SECT * 2048;
	for (int b = 0; b < 2; b++) {
		map->bank_base[b] = 0x08000000 + (uint32_t)b * 0x10000;
		map->bank_size[b] = 0x10000;
	}
	for (int i = 0; i < N_SECT; i++)
		sect[i] = (struct sr_sector){0x08000000 + (uint32_t)i * 2048, 2048,
					     (uint16_t)(i % 32), (uint8_t)(1 + i / 32)};
	map->sect = sect;
	map->n_sect = N_SECT;
}

/* What every reader promises: sorted, apart, non-empty segments. */
static void check_image(const struct sr_image *img)
{
	for (int i = 0; i < img->n_seg; i++) {
		const struct sr_image_seg *s = &img->seg[i];
		if (s->size == 0 || (uint64_t)s->addr + s->size > 0x100000000ull)
			abort();
		if (i && (uint64_t)img->seg[i - 1].addr + img->seg[i - 1].size >= s->addr)
			abort();
	}
}

static void preflight(const struct sr_image *img)
{
	struct sr_family fam;
	struct sr_device dev;
	struct sr_flash_map map;
	struct sr_sector sect[N_SECT];
	uint8_t prot[N_SECT];
	struct sr_findings f = {0};
	struct sr_plan plan;
	struct sr_preflight_in in = {.img = img, .dev = &dev, .map = &map, .prot = prot};
	chip(&fam, &dev, &map, sect);
	for (int i = 0; i < N_SECT; i++)
		prot[i] = i % 5 == 4 ? SR_PROT_WRP : i % 7 == 6 ? SR_PROT_PCROP : SR_PROT_NONE;
	if (sr_preflight(&in, &f) != SR_OK)
		abort();
	sr_findings_free(&f);
	if (sr_plan_build(img, &map, 8, 0xFF, &plan) != SR_OK)
		abort();
	sr_plan_free(&plan);
}

void fuzz_image(const uint8_t *data, size_t size, enum sr_image_format fmt)
{
	struct sr_image_opts o = {.format = fmt, .has_base = true, .base = 0x08000000};
	struct sr_image img;
	struct sr_msgs m = {0};
	int rc = sr_image_parse("fuzz", data, size, &o, &img, &m);
	if (rc == SR_OK) {
		check_image(&img);
		preflight(&img);
		sr_image_free(&img);
	} else if (m.n != 1) {
		abort(); /* every refusal says why, once */
	}
	sr_msgs_free(&m);
}
