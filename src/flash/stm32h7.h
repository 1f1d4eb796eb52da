/*
 * What the three files of the STM32H74x/H75x flash driver share (stm32h7.c: banks,
 * erase, program; stm32h7-ob.c: option bytes; stm32h7-crc.c: the CRC unit).
 * RM0433 Rev 8 section 4; registers and bits by their families/stm32h7.ini names.
 */
#ifndef SR_FLASH_STM32H7_H
#define SR_FLASH_STM32H7_H

#include <stdint.h>

#include "flash/driver.h"

/* VALUE placed in the field MASK (as families/ [bits] gives it). */
static inline uint32_t h7_field(uint32_t mask, uint32_t value)
{
	return mask ? (value << __builtin_ctz(mask)) & mask : 0;
}

/* FLASH_CRx of BANK: PSIZE as chosen by setup plus BITS (other bits 0: interrupt
 * enables off, RM0433 4.9.4). */
int h7_cr(struct sr_flash *f, int bank, uint32_t bits);

/* stm32h7-ob.c */
int h7_ob_write(struct sr_flash *f, const struct sr_ob_values *want);

/* stm32h7-crc.c */
#define H7_CRC_ALIGN 128u /* the smallest CRC burst: 4 flash words, RM0433 4.3.12 */
int h7_crc(struct sr_flash *f, uint32_t addr, uint32_t len, uint32_t *crc);
uint32_t h7_crc_host(uint32_t crc, const uint8_t *data, uint32_t len);

#endif
