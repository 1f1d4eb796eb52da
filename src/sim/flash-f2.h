/*
 * The F2/F4/F7 flash controller, shared between flash-f2.c (program and erase,
 * FLASH_SR/CR) and flash-f2-ob.c (option bytes: FLASH_OPTCR/OPTCR1, the option
 * block in memory, boot address). Which option bits a part has comes from
 * optbytes/ through the chip definition, so one driver serves F4 and F7.
 */
#ifndef SR_SIM_FLASH_F2_H
#define SR_SIM_FLASH_F2_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sim-internal.h"

/* FLASH_SR bits, RM0090 3.9.4; RM0385 3.7.4 calls bit 7 ERSERR (erase sequence
 * error) for the same condition the F4 names PGSERR. */
#define SR_EOP    (1u << 0)
#define SR_OPERR  (1u << 1)
#define SR_WRPERR (1u << 4)
#define SR_PGAERR (1u << 5)
#define SR_PGPERR (1u << 6)
#define SR_PGSERR (1u << 7)
#define SR_RDERR  (1u << 8)
#define SR_BSY    (1u << 16)

/* FLASH_CR bits, RM0090 3.9.5, RM0385 3.7.5 (SNB is 4 bits on single-bank parts) */
#define CR_PG    (1u << 0)
#define CR_SER   (1u << 1)
#define CR_MER   (1u << 2)
#define CR_SNB   (0xFu << 3)
#define CR_PSIZE (3u << 8)
#define CR_STRT  (1u << 16)
#define CR_EOPIE (1u << 24)
#define CR_ERRIE (1u << 25)
#define CR_LOCK  (1u << 31)

/* FLASH_OPTCR control bits, RM0390 3.8.10, RM0385 3.7.6 */
#define OPTCR_OPTLOCK (1u << 0)
#define OPTCR_OPTSTRT (1u << 1)

/* Register offsets, RM0090 3.9 table 17, RM0385 3.7.8 */
enum { R_ACR = 0x00, R_KEYR = 0x04, R_OPTKEYR = 0x08, R_SR = 0x0C, R_CR = 0x10, R_OPTCR = 0x14,
       R_OPTCR1 = 0x18 };

/* Key sequence state (RM0090 3.5.1, 3.6.2): a wrong key locks until reset. */
enum key_state { KEY_WAIT1, KEY_WAIT2, KEY_DEAD };

enum op_kind { OP_NONE, OP_PROGRAM, OP_SECTOR, OP_MASS, OP_OPTION };

struct f2_op {
	enum op_kind kind;
	uint32_t addr, data, arg; /* program: address, data, size; sector: arg = index */
	uint64_t end;
};

/* The option bits of this part, from optbytes/ (chipdef obfield). */
struct f2_optbits {
	uint32_t bits;   /* writable option bits of FLASH_OPTCR */
	uint32_t res1;   /* reserved bits of FLASH_OPTCR that read as one */
	uint32_t sprmod; /* SPRMOD (F4 PCROP mode), 0 when the part has none */
	uint32_t wdg_sw, wwdg_sw;
	unsigned nwrp_lo; /* bit of nWRP for sector 0 */
	bool has_optcr1;  /* BOOT_ADD0/BOOT_ADD1 in FLASH_OPTCR1 (F7, RM0385 3.7.7) */
	uint32_t bits1;   /* writable bits of FLASH_OPTCR1 */
	uint32_t erased;  /* option word of an erased option sector */
};

struct f2 {
	uint32_t acr, cr, sr, optcr; /* optcr: option bits of the register, no control bits */
	uint32_t optcr1;             /* FLASH_OPTCR1 as written (F7) */
	uint32_t ob, ob1;            /* option bytes as stored in the option sector */
	uint32_t ob_new, ob1_new;    /* values being programmed */
	enum key_state key, optkey;
	bool optlock;
	struct f2_op op;
	struct f2_optbits o;
};

static inline struct f2 *f2_of(const struct sr_sim_board *b)
{
	return b->flash_priv;
}

/* flash-f2.c */
void f2_start_op(struct sr_sim_board *b, enum op_kind kind, uint64_t duration);
void f2_wait_not_busy(struct sr_sim_board *b);
uint64_t f2_mass_erase_ns(const struct f2 *f);

/* flash-f2-ob.c */
void f2_ob_init(struct sr_sim_board *b);
int f2_rdp_level_of(uint32_t ob);
int f2_rdp_level(const struct sr_sim_board *b);
bool f2_sector_protected(const struct f2 *f, unsigned i);
bool f2_sector_pcrop(const struct f2 *f, unsigned i);
int f2_write_optkeyr(struct sr_sim_board *b, unsigned size, uint32_t val);
void f2_write_optcr(struct sr_sim_board *b, uint32_t val);
void f2_write_optcr1(struct sr_sim_board *b, uint32_t val);
uint32_t f2_read_optcr(const struct sr_sim_board *b);
void f2_option_done(struct sr_sim_board *b);
void f2_option_reset(struct sr_sim_board *b);
uint32_t f2_optmem_read(const struct sr_sim_board *b, uint32_t off);
int f2_ob_load(struct sr_sim_board *b);
void f2_ob_save(struct sr_sim_board *b);
void f2_factory(struct sr_sim_board *b);
bool f2_iwdg_hw(const struct sr_sim_board *b);
bool f2_wwdg_hw(const struct sr_sim_board *b);
uint32_t f2_boot_address(const struct sr_sim_board *b);

#endif
