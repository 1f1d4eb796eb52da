/*
 * CRC-32 of flash computed by the target's own core: a 30-byte Thumb routine and the
 * 1 KiB CRC table go into a RAM region the chip needs no clock enable for, the core runs
 * it to its BKPT, and R0 holds the CRC. Far fewer bytes over USB than reading the flash
 * back; the host compares it with zlib's crc32() of the expected bytes.
 */
#include "config.h"

#include <string.h>
#include <zlib.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/flash-internal.h"
#include "target/target.h"

/*
 * crc: r0 = address, r1 = length, r2 = table, r3 = running CRC (inverted).
 * ARMv6-M Thumb only, so it runs on every Cortex-M (assembled with arm-none-eabi-as):
 *   0: 2900  cmp r1, #0        10: 5914  ldr r4, [r2, r4]
 *   2: d00a  beq 1a            12: 0a1b  lsrs r3, r3, #8
 *   4: 7804  ldrb r4, [r0]     14: 4063  eors r3, r4
 *   6: 3001  adds r0, #1       16: 3901  subs r1, #1
 *   8: 405c  eors r4, r3       18: e7f2  b 0
 *   a: 25ff  movs r5, #255     1a: 43d8  mvns r0, r3
 *   c: 402c  ands r4, r5       1c: be00  bkpt 0
 *   e: 00a4  lsls r4, r4, #2
 */
static const uint8_t code[32] = {
    0x00, 0x29, 0x0a, 0xd0, 0x04, 0x78, 0x01, 0x30, 0x5c, 0x40, 0xff, 0x25,
    0x2c, 0x40, 0xa4, 0x00, 0x14, 0x59, 0x1b, 0x0a, 0x63, 0x40, 0x01, 0x39,
    0xf2, 0xe7, 0xd8, 0x43, 0x00, 0xbe, 0x00, 0xbe,
};

#define TABLE_OFF 64u
#define WORK_SIZE 2048u /* code, table, and a stack at the top */
#define CHUNK (64u * 1024) /* per run: the IWDG is reloaded between runs */
#define XPSR_T (1u << 24)
#define REG_SP 13
#define REG_PC 15
#define REG_XPSR 16

/* The first RAM region usable without a clock enable that code may run from
 * (DIAGNOSES.md 3: never a region that needs enabling or failed). */
static const struct sr_ram_region *work_ram(const struct sr_device *dev)
{
	for (int i = 0; i < dev->n_ram; i++)
		if (!dev->ram[i].enable.addr && !dev->ram[i].noexec && dev->ram[i].size >= WORK_SIZE)
			return &dev->ram[i];
	return NULL;
}

static int upload(struct sr_flash *f, uint32_t base)
{
	const z_crc_t *t = get_crc_table();
	uint8_t table[1024];
	for (int i = 0; i < 256; i++)
		for (int b = 0; b < 4; b++)
			table[4 * i + b] = (uint8_t)(t[i] >> (8 * b));
	int rc = sr_target_write(f->tg, base, code, sizeof(code));
	if (rc == SR_OK)
		rc = sr_target_write(f->tg, base + TABLE_OFF, table, sizeof(table));
	return rc;
}

/* One run over [ADDR, ADDR+LEN) continuing from *CRC. */
static int run_chunk(struct sr_flash *f, uint32_t base, uint32_t addr, uint32_t len, uint32_t *crc)
{
	struct sr_target *tg = f->tg;
	const uint32_t regs[][2] = {
	    {0, addr},		 {1, len},	 {2, base + TABLE_OFF}, {3, ~*crc},
	    {REG_SP, base + WORK_SIZE}, {REG_PC, base}, {REG_XPSR, XPSR_T},
	};
	int rc = SR_OK;
	for (size_t i = 0; rc == SR_OK && i < sizeof(regs) / sizeof(regs[0]); i++)
		rc = sr_cm_write_reg(tg, regs[i][0], regs[i][1]);
	sr_flash_kick_watchdog(f);
	if (rc == SR_OK) /* 12 instructions a byte at 16 MHz HSI: 0.75 us; four times that */
		rc = sr_cm_run_until_halt(tg, 200000 + (uint64_t)len * 3);
	uint32_t pc = 0, r0 = 0;
	if (rc == SR_OK)
		rc = sr_cm_read_reg(tg, REG_PC, &pc);
	if (rc == SR_OK)
		rc = sr_cm_read_reg(tg, 0, &r0);
	if (rc == SR_OK && pc != base + 0x1C) {
		sr_debug("on-target CRC stopped at 0x%08X, not at its BKPT: a fault", pc);
		rc = SR_E_TARGET;
	}
	*crc = r0;
	return rc;
}

int sr_flash_crc_begin(struct sr_flash *f, struct sr_flash_crc *c)
{
	const struct sr_ram_region *ram = work_ram(f->dev);
	memset(c, 0, sizeof(*c));
	if (!ram)
		return SR_E_UNSUPPORTED;
	c->base = ram->base;
	int rc = SR_OK;
	for (unsigned r = 0; rc == SR_OK && r < SR_CRC_SAVED; r++)
		rc = sr_cm_read_reg(f->tg, r, &c->saved[r]);
	c->saved_ok = rc == SR_OK;
	if (rc == SR_OK)
		rc = upload(f, c->base);
	return rc;
}

int sr_flash_crc_run(struct sr_flash *f, struct sr_flash_crc *c, uint32_t addr, uint32_t len,
		     uint32_t *crc)
{
	int rc = SR_OK;
	*crc = 0;
	for (uint32_t off = 0; rc == SR_OK && off < len; off += CHUNK)
		rc = run_chunk(f, c->base, addr + off, len - off < CHUNK ? len - off : CHUNK, crc);
	return rc;
}

void sr_flash_crc_end(struct sr_flash *f, struct sr_flash_crc *c)
{
	/* the core continues where it was when it runs again */
	for (unsigned r = 0; c->saved_ok && r < SR_CRC_SAVED; r++)
		sr_cm_write_reg(f->tg, r, c->saved[r]);
}

uint32_t sr_flash_crc_host(uint32_t prev, const uint8_t *data, uint32_t len)
{
	return (uint32_t)crc32(prev, data, len);
}
