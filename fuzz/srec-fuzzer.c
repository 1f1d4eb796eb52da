/* libFuzzer target: the S-record reader on arbitrary bytes, then pre-flight and plan. */
#include "config.h"

#include "image-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_image(data, size, SR_IMAGE_SREC);
	return 0;
}
