/* Helpers for the image tests. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgtest.h"

#include "common/error.h"
#include "image/image-internal.h"

static struct sr_db *db;

int it_db_setup(void **state)
{
	struct sr_msgs m = {0};
	int rc = sr_db_load(tu_datadir(), &db, &m);
	sr_msgs_free(&m);
	return rc;
}

int it_db_teardown(void **state)
{
	sr_db_free(db);
	return 0;
}

void it_chip_open(struct chip *c, const char *part, uint32_t kib)
{
	c->dev = sr_db_device_lookup(db, part);
	assert_non_null(c->dev);
	sr_ob_values_init(&c->v, c->dev->family->ob);
	assert_int_equal(sr_flash_map_build(c->dev, kib, sr_ob_values_lookup, &c->v, &c->map), 0);
}

void it_chip_close(struct chip *c)
{
	sr_flash_map_free(&c->map);
	sr_ob_values_free(&c->v);
}

void it_img_init(struct sr_image *img)
{
	memset(img, 0, sizeof(*img));
	img->format = SR_IMAGE_IHEX;
	img->source = strdup("t.hex");
}

void it_img_add(struct sr_image *img, uint32_t addr, uint32_t n, int byte)
{
	uint8_t *d = malloc(n);
	for (uint32_t i = 0; i < n; i++)
		d[i] = byte < 0 ? (uint8_t)i : (uint8_t)byte;
	assert_int_equal(sr_image_add(img, addr, d, n, img->n_seg + 1), SR_OK);
	free(d);
}

void it_img_vectors(struct sr_image *img, uint32_t addr, uint32_t sp, uint32_t pc)
{
	uint8_t v[16];
	memset(v, 0xA5, sizeof(v));
	for (int i = 0; i < 4; i++) {
		v[i] = (uint8_t)(sp >> (8 * i));
		v[4 + i] = (uint8_t)(pc >> (8 * i));
	}
	assert_int_equal(sr_image_add(img, addr, v, sizeof(v), img->n_seg + 1), SR_OK);
}

void it_load_fixture(const char *name, struct sr_image *img)
{
	char path[512];
	struct sr_msgs m = {0};
	snprintf(path, sizeof(path), "%s/tests/data/image/%s", tu_datadir(), name);
	if (sr_image_load(path, NULL, img, &m) != SR_OK)
		tu_msgs_print(&m);
	assert_int_equal(m.n, 0);
}
