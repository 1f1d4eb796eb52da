/*
 * ST-Link driver, memory: READMEM/WRITEMEM of 8, 16 and 32 bits, split within
 * the probe's limits (reference STLINK-PROTOCOL.md 5.4: 8-bit transfers of 64
 * bytes, 512 on V3 from J6; 16/32-bit transfers up to the probe's 6144-byte
 * buffer) and at the MEM-AP address auto-increment boundary (ADIv5 IHI 0031
 * 7.2.2: TAR increments are only guaranteed within 1 KiB; Cortex-M3/M4/M7
 * implement 4 KiB, which the target layer sets in tar_wrap). The data comes
 * back without status, so each transfer is followed by GETLASTRWSTATUS(2).
 */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "probe/stlink.h"

size_t sr_stlink_max_rw8(const struct sr_stlink *sl)
{
	return sl->hw >= 3 && sl->jtag_api >= 6 ? STLINK_MAX_RW8_V3 : STLINK_MAX_RW8_V2;
}

static uint8_t read_cmd(unsigned width)
{
	return width == 8 ? STLINK_DEBUG_READMEM_8BIT
	       : width == 16 ? STLINK_DEBUG_READMEM_16BIT
			     : STLINK_DEBUG_READMEM_32BIT;
}

static uint8_t write_cmd(unsigned width)
{
	return width == 8 ? STLINK_DEBUG_WRITEMEM_8BIT
	       : width == 16 ? STLINK_DEBUG_WRITEMEM_16BIT
			     : STLINK_DEBUG_WRITEMEM_32BIT;
}

/* Largest chunk at ADDR: the probe's limit, cut at the auto-increment boundary. */
static size_t chunk_len(const struct sr_stlink *sl, unsigned width, uint32_t addr, size_t left)
{
	size_t max = width == 8 ? sr_stlink_max_rw8(sl) : STLINK_DATA_SIZE;
	uint32_t wrap = sl->tar_wrap ? sl->tar_wrap : 1024;
	size_t to_wrap = wrap - (addr & (wrap - 1));
	if (max > to_wrap)
		max = to_wrap;
	return left < max ? left : max;
}

static int check_width(const struct sr_stlink *sl, unsigned width, uint32_t addr, size_t len)
{
	unsigned bytes = width / 8;
	if ((width != 8 && width != 16 && width != 32) || addr % bytes || len % bytes)
		return SR_E_ARG;
	if (width == 16 && !sr_stlink_has(sl, STLINK_V2_J_MEM16))
		return SR_E_PROBE_FW;
	return SR_OK;
}

static void mem_cmd(uint8_t *cmd, uint8_t op, uint32_t addr, size_t n)
{
	memset(cmd, 0, STLINK_CMD_LEN);
	cmd[0] = STLINK_DEBUG_COMMAND;
	cmd[1] = op;
	cmd[2] = (uint8_t)addr;
	cmd[3] = (uint8_t)(addr >> 8);
	cmd[4] = (uint8_t)(addr >> 16);
	cmd[5] = (uint8_t)(addr >> 24);
	cmd[6] = (uint8_t)n;
	cmd[7] = (uint8_t)(n >> 8);
}

static int read_chunk(struct sr_stlink *sl, unsigned width, uint32_t addr, uint8_t *buf,
		      size_t n)
{
	uint8_t cmd[STLINK_CMD_LEN], two[2];
	mem_cmd(cmd, read_cmd(width), addr, n);
	/* One byte asked, two come back (openocd stlink_usb_read_mem8). */
	int rc = sr_stlink_xfer(sl, cmd, NULL, 0, n == 1 ? two : buf, n == 1 ? 2 : n);
	if (rc == SR_OK && n == 1)
		buf[0] = two[0];
	if (rc == SR_OK)
		rc = sr_stlink_rw_status(sl, addr);
	else
		sl->fault_addr = addr;
	return rc;
}

static int write_chunk(struct sr_stlink *sl, unsigned width, uint32_t addr, const uint8_t *buf,
		       size_t n)
{
	uint8_t cmd[STLINK_CMD_LEN];
	mem_cmd(cmd, write_cmd(width), addr, n);
	int rc = sr_stlink_xfer(sl, cmd, buf, n, NULL, 0);
	if (rc == SR_OK)
		rc = sr_stlink_rw_status(sl, addr);
	else
		sl->fault_addr = addr;
	return rc;
}

int sr_stlink_read_mem_w(struct sr_stlink *sl, unsigned width, uint32_t addr, uint8_t *buf,
			 size_t len)
{
	int rc = check_width(sl, width, addr, len);
	while (rc == SR_OK && len) {
		size_t n = chunk_len(sl, width, addr, len);
		rc = read_chunk(sl, width, addr, buf, n);
		addr += (uint32_t)n;
		buf += n;
		len -= n;
	}
	return rc;
}

int sr_stlink_write_mem_w(struct sr_stlink *sl, unsigned width, uint32_t addr,
			  const uint8_t *buf, size_t len)
{
	int rc = check_width(sl, width, addr, len);
	while (rc == SR_OK && len) {
		size_t n = chunk_len(sl, width, addr, len);
		rc = write_chunk(sl, width, addr, buf, n);
		addr += (uint32_t)n;
		buf += n;
		len -= n;
	}
	return rc;
}

/* Split [ADDR, ADDR+LEN) into an unaligned head, a word-aligned body and a tail. */
static void split(uint32_t addr, size_t len, size_t *head, size_t *body)
{
	*head = (4 - (addr & 3)) & 3;
	if (*head > len)
		*head = len;
	*body = (len - *head) & ~(size_t)3;
}

int sr_stlink_read_mem(struct sr_stlink *sl, uint32_t addr, uint8_t *buf, size_t len)
{
	size_t head, body;
	split(addr, len, &head, &body);
	int rc = head ? sr_stlink_read_mem_w(sl, 8, addr, buf, head) : SR_OK;
	if (rc == SR_OK && body)
		rc = sr_stlink_read_mem_w(sl, 32, addr + (uint32_t)head, buf + head, body);
	if (rc == SR_OK && len > head + body)
		rc = sr_stlink_read_mem_w(sl, 8, addr + (uint32_t)(head + body), buf + head + body,
					  len - head - body);
	return rc;
}

int sr_stlink_write_mem(struct sr_stlink *sl, uint32_t addr, const uint8_t *buf, size_t len)
{
	size_t head, body;
	split(addr, len, &head, &body);
	int rc = head ? sr_stlink_write_mem_w(sl, 8, addr, buf, head) : SR_OK;
	if (rc == SR_OK && body)
		rc = sr_stlink_write_mem_w(sl, 32, addr + (uint32_t)head, buf + head, body);
	if (rc == SR_OK && len > head + body)
		rc = sr_stlink_write_mem_w(sl, 8, addr + (uint32_t)(head + body),
					   buf + head + body, len - head - body);
	return rc;
}

int sr_stlink_read32(struct sr_stlink *sl, uint32_t addr, uint32_t *val)
{
	uint8_t b[4];
	int rc = sr_stlink_read_mem_w(sl, 32, addr, b, 4);
	if (rc == SR_OK)
		*val = sr_stlink_le32(b);
	return rc;
}

int sr_stlink_write32(struct sr_stlink *sl, uint32_t addr, uint32_t val)
{
	uint8_t b[4] = {(uint8_t)val, (uint8_t)(val >> 8), (uint8_t)(val >> 16),
			(uint8_t)(val >> 24)};
	return sr_stlink_write_mem_w(sl, 32, addr, b, 4);
}

/* A half-word: a 16-bit access where the firmware has it, else bytes. */
int sr_stlink_read16(struct sr_stlink *sl, uint32_t addr, uint16_t *val)
{
	uint8_t b[2];
	int rc = sr_stlink_has(sl, STLINK_V2_J_MEM16) ? sr_stlink_read_mem_w(sl, 16, addr, b, 2)
						       : sr_stlink_read_mem_w(sl, 8, addr, b, 2);
	if (rc == SR_OK)
		*val = (uint16_t)(b[0] | b[1] << 8);
	return rc;
}
