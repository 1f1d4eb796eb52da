/*
 * Half-word writes for the F1 flash controller, which takes nothing else (PM0075 2.3.3):
 * the probe's 16-bit memory writes where its firmware has them (ST-Link V2 from J26,
 * every V3), else a five-instruction copy loop run by the core from SRAM. The loop needs
 * no BSY poll: a store to the flash while BSY waits on the bus until the previous
 * half-word is programmed (PM0075 2.3), as the probe's own writes do. The loop and its
 * data overwrite the start of SRAM (up to 4 KiB + 16 bytes); the core is left halted.
 */
#include "config.h"

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "flash/flash-internal.h"
#include "flash/stm32f1.h"
#include "probe/stlink-proto.h"
#include "probe/stlink.h"
#include "target/target.h"

/*
 * r0 = source in SRAM, r1 = destination, r2 = half-words (> 0); ends at BKPT, which halts
 * a core under halting debug (ARMv7-M DDI 0403E C1.7). Thumb-2 encodings from DDI 0403E
 * A7.7: LDRH/STRH (immediate) T3 post-indexed, SUBS (immediate) T2, B T1, BKPT T1.
 */
static const uint16_t copy16[8] = {
    0xF830, 0x3B02, /* copy: ldrh r3, [r0], #2 */
    0xF821, 0x3B02, /*       strh r3, [r1], #2 */
    0x3A01,         /*       subs r2, #1       */
    0xD1F9,         /*       bne  copy         */
    0xBE00,         /*       bkpt #0           */
    0xBF00,         /*       nop (padding)     */
};
#define CODE_BYTES sizeof(copy16)
/* Half-words a run programs: 2048 take 107 ms (DS5319 table 28, 52.5 us each), inside
 * the IWDG period at its reset values (409.6 ms: prescaler /4, reload 0xFFF, LSI 40 kHz;
 * RM0008 19.4), which is reloaded before each run since a running core is not frozen. */
#define RUN_HW 2048u

/* Core registers (DCRSR REGSEL, DDI 0403E C1.6.3). */
enum { REG_R0 = 0, REG_R1 = 1, REG_R2 = 2, REG_PC = 15, REG_XPSR = 16 };
#define XPSR_T (1u << 24)

/* Wait for the core to halt at the BKPT: the expected time first (52.5 us a half-word,
 * DS5319 table 28), then polls up to twice the maximum (70 us) and some slack. */
static int wait_copy(struct sr_flash *f, uint32_t n, uint32_t *dhcsr)
{
	sr_flash_sleep_us(f, n * 53);
	for (uint32_t waited = 0; waited < n * 140 + 100000; waited += 1000) {
		int rc = sr_cm_dhcsr(f->tg, dhcsr);
		if (rc != SR_OK || (*dhcsr & SR_CM_S_HALT))
			return rc;
		sr_flash_sleep_us(f, 1000);
	}
	sr_cm_halt(f->tg);
	sr_msgs_add(&f->why, "the copy loop in SRAM did not end (DHCSR = 0x%08X): the core was "
			     "halted", *dhcsr);
	return SR_E_TIMEOUT;
}

/* Run the loop for N half-words with interrupts masked (C_MASKINTS may only change while
 * halted, DDI 0403E C1.6.2); it must end with r2 = 0. */
static int run_copy(struct sr_flash *f, uint32_t code, uint32_t src, uint32_t dst, uint32_t n)
{
	struct sr_stlink *sl = &f->tg->sl;
	const uint32_t regs[][2] = {{REG_R0, src},  {REG_R1, dst},       {REG_R2, n},
				    {REG_PC, code}, {REG_XPSR, XPSR_T}};
	uint32_t dhcsr = 0, left = 0;
	int rc = SR_OK;
	for (size_t i = 0; rc == SR_OK && i < sizeof(regs) / sizeof(regs[0]); i++)
		rc = sr_stlink_write_reg(sl, regs[i][0], regs[i][1]);
	if (rc == SR_OK)
		rc = sr_stlink_write_dbg32(sl, SR_CM_DHCSR, SR_CM_DBGKEY | SR_CM_C_HALT |
								SR_CM_C_MASKINTS | SR_CM_C_DEBUGEN);
	sr_flash_kick_watchdog(f);
	if (rc == SR_OK)
		rc = sr_stlink_write_dbg32(sl, SR_CM_DHCSR,
					   SR_CM_DBGKEY | SR_CM_C_MASKINTS | SR_CM_C_DEBUGEN);
	if (rc == SR_OK)
		rc = wait_copy(f, n, &dhcsr);
	sr_stlink_write_dbg32(sl, SR_CM_DHCSR, SR_CM_DBGKEY | SR_CM_C_HALT | SR_CM_C_DEBUGEN);
	if (rc == SR_OK)
		rc = sr_cm_read_reg(f->tg, REG_R2, &left);
	if (rc == SR_OK && left) {
		sr_msgs_add(&f->why, "the copy loop in SRAM stopped with %u of %u half-words left "
				     "(DHCSR = 0x%08X)",
			    left, n, dhcsr);
		rc = SR_E_FLASH;
	}
	return rc;
}

/* Through the core: code at the start of the first RAM region, data after it. */
static int write16_sram(struct sr_flash *f, uint32_t addr, const uint8_t *data, uint32_t len)
{
	const struct sr_ram_region *ram = &f->dev->ram[0];
	uint32_t room = (ram->size - CODE_BYTES) / 2, per = room < RUN_HW ? room : RUN_HW;
	uint8_t code[CODE_BYTES];
	for (size_t i = 0; i < sizeof(copy16) / 2; i++) {
		code[2 * i] = (uint8_t)copy16[i];
		code[2 * i + 1] = (uint8_t)(copy16[i] >> 8);
	}
	int rc = f->dev->n_ram ? sr_target_write(f->tg, ram->base, code, CODE_BYTES)
			       : SR_E_UNSUPPORTED;
	for (uint32_t off = 0; rc == SR_OK && off < len; off += 2 * per) {
		uint32_t n = (len - off) / 2 < per ? (len - off) / 2 : per;
		rc = sr_target_write(f->tg, ram->base + CODE_BYTES, data + off, 2 * n);
		if (rc == SR_OK)
			rc = run_copy(f, ram->base, ram->base + CODE_BYTES, addr + off, n);
	}
	return rc;
}

int sr_flash_f1_write16(struct sr_flash *f, uint32_t addr, const uint8_t *data, uint32_t len)
{
	if (len % 2 || addr % 2)
		return SR_E_ARG;
	if (sr_stlink_has(&f->tg->sl, STLINK_V2_J_MEM16))
		return sr_flash_write_block(f, 16, addr, data, len);
	if (!len)
		return SR_OK;
	return write16_sram(f, addr, data, len);
}
