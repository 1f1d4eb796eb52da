/* Raw binary: the whole file at the address the user gives. */
#include "config.h"

#include "common/error.h"
#include "image/image-internal.h"

int sr_image_parse_bin(struct sr_image *img, const uint8_t *data, size_t len, uint32_t base,
		       struct sr_msgs *msgs)
{
	if (sr_image_add(img, base, data, len, 0) != SR_OK)
		return sr_image_fail(msgs,
				     "%s: %zu bytes at 0x%08X run past the end of the 32-bit "
				     "address space: check the load address",
				     img->source, len, base);
	return SR_OK;
}
