/*
 * The F1 flash program/erase controller (FPEC), shared between flash-f1.c (main
 * flash: FLASH_SR/CR/AR, half-word programming, page and mass erase) and
 * flash-f1-ob.c (the option bytes at 0x1FFFF800 with their complements,
 * FLASH_OBR/FLASH_WRPR loaded at reset). PM0075 Rev 2 sections 2-3, RM0008 3.3.3.
 */
#ifndef SR_SIM_FLASH_F1_H
#define SR_SIM_FLASH_F1_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sim-internal.h"

/* FLASH_SR, PM0075 3.4 */
#define F1_SR_BSY      (1u << 0)
#define F1_SR_PGERR    (1u << 2)
#define F1_SR_WRPRTERR (1u << 4)
#define F1_SR_EOP      (1u << 5)

/* FLASH_CR, PM0075 3.5 */
#define F1_CR_PG     (1u << 0)
#define F1_CR_PER    (1u << 1)
#define F1_CR_MER    (1u << 2)
#define F1_CR_OPTPG  (1u << 4)
#define F1_CR_OPTER  (1u << 5)
#define F1_CR_STRT   (1u << 6)
#define F1_CR_LOCK   (1u << 7)
#define F1_CR_OPTWRE (1u << 9)
#define F1_CR_ERRIE  (1u << 10)
#define F1_CR_EOPIE  (1u << 12)

/* FLASH_OBR, PM0075 3.7 */
#define F1_OBR_OPTERR (1u << 0)
#define F1_OBR_RDPRT  (1u << 1)
#define F1_OBR_WDG_SW (1u << 2)

/* The option block: eight bytes, each followed by its complement (PM0075 2.5). */
#define F1_OB_BYTES 16
enum f1_ob { OB_RDP, OB_USER, OB_DATA0, OB_DATA1, OB_WRP0, OB_WRP1, OB_WRP2, OB_WRP3 };
#define F1_RDP_OFF 0xA5u /* RDP value of an unprotected part, PM0075 2.4.1 */

enum f1_key { F1_KEY_WAIT1, F1_KEY_WAIT2, F1_KEY_DEAD };
enum f1_op_kind { F1_OP_NONE, F1_OP_PROGRAM, F1_OP_PAGE, F1_OP_MASS, F1_OP_OB_ERASE,
		  F1_OP_OB_PROGRAM };

struct f1_op {
	enum f1_op_kind kind;
	uint32_t addr, data; /* program: address and half-word; page: its first address */
	uint64_t end;
};

struct f1 {
	uint32_t acr, cr, sr, ar;
	uint32_t obr, wrpr;         /* loaded by the option byte loader at reset */
	uint8_t ob[F1_OB_BYTES];    /* the option block as stored */
	enum f1_key key, optkey;
	struct f1_op op;
};

static inline struct f1 *f1_of(const struct sr_sim_board *b)
{
	return b->flash_priv;
}

/* flash-f1.c */
void f1_start_op(struct sr_sim_board *b, enum f1_op_kind kind, uint64_t duration);
void f1_raise(struct f1 *f, uint32_t bits);
bool f1_debug_locked(const struct sr_sim_board *b);
uint64_t f1_mass_erase_ns(void);

/* flash-f1-ob.c */
void f1_ob_load_registers(struct sr_sim_board *b);
void f1_ob_factory(struct sr_sim_board *b);
int f1_ob_write_key(struct sr_sim_board *b, uint32_t val);
void f1_ob_start_erase(struct sr_sim_board *b);
int f1_ob_program(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t val);
void f1_ob_complete(struct sr_sim_board *b);
void f1_ob_interrupted(struct sr_sim_board *b);
uint32_t f1_ob_read(const struct sr_sim_board *b, uint32_t off, unsigned size);
int f1_ob_state_load(struct sr_sim_board *b);
void f1_ob_state_save(struct sr_sim_board *b);

#endif
