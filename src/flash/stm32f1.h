/* The STM32F1 flash driver's parts shared by stm32f1.c and stm32f1-ob.c. */
#ifndef SR_FLASH_STM32F1_H
#define SR_FLASH_STM32F1_H

#include <stdint.h>

#include "flash/flash.h"

/* Write VAL into FLASH_CR of BANK (FLASH_CR2 for bank 2 of XL-density parts). */
int sr_flash_f1_cr(struct sr_flash *f, int bank, uint32_t val);
/* LEN bytes at ADDR in half-word writes: the probe's, or a copy loop in SRAM where its
 * firmware has no 16-bit writes (stm32f1-sram.c). */
int sr_flash_f1_write16(struct sr_flash *f, uint32_t addr, const uint8_t *data, uint32_t len);
/* Option bytes: erase, program each byte, lock, reset to load them (stm32f1-ob.c). */
int sr_flash_f1_ob_write(struct sr_flash *f, const struct sr_ob_values *want);

#endif
