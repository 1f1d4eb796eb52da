/* Shared by the image fuzz targets: parse, check the result's invariants, and run the
 * pre-flight checks and the plan on it against a made-up two-bank chip. */
#ifndef SR_FUZZ_IMAGE_COMMON_H
#define SR_FUZZ_IMAGE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void fuzz_image(const uint8_t *data, size_t size, enum sr_image_format fmt);

#endif
