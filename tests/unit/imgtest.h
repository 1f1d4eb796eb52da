/* Helpers for the image tests: a chip from the real database, images built in code. */
#ifndef SR_IMGTEST_H
#define SR_IMGTEST_H

#include "testutil.h"

#include "db/family.h"
#include "image/image.h"
#include "ob/ob.h"

struct chip {
	const struct sr_device *dev;
	struct sr_ob_values v;
	struct sr_flash_map map;
};

/* cmocka group setup/teardown: load the shipped chip database. */
int it_db_setup(void **state);
int it_db_teardown(void **state);
/* PART ("0x415") with KIB of flash, option bytes at their factory values. */
void it_chip_open(struct chip *c, const char *part, uint32_t kib);
void it_chip_close(struct chip *c);
/* An empty image said to come from "t.hex" (so origins read "line N"). */
void it_img_init(struct sr_image *img);
/* N bytes at ADDR: BYTE, or 0, 1, 2, ... when BYTE < 0. */
void it_img_add(struct sr_image *img, uint32_t addr, uint32_t n, int byte);
/* A vector table SP, PC at ADDR, and 8 more bytes. */
void it_img_vectors(struct sr_image *img, uint32_t addr, uint32_t sp, uint32_t pc);
/* tests/data/image/NAME */
void it_load_fixture(const char *name, struct sr_image *img);

#endif
