/*
 * Private interface of the L4-generation flash model (flash-l4.c: the controller,
 * flash-l4-ob.c: the option bytes): register bits, timing and the model's state.
 */
#ifndef SR_SIM_FLASH_L4_H
#define SR_SIM_FLASH_L4_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sim-internal.h"

/* FLASH_SR, RM0440 3.7.5 (RM0351 3.7.5) */
#define SR_EOP     (1u << 0)
#define SR_OPERR   (1u << 1)
#define SR_PROGERR (1u << 3)
#define SR_WRPERR  (1u << 4)
#define SR_PGAERR  (1u << 5)
#define SR_SIZERR  (1u << 6)
#define SR_PGSERR  (1u << 7)
#define SR_MISERR  (1u << 8)
#define SR_FASTERR (1u << 9)
#define SR_RDERR   (1u << 14)
#define SR_OPTVERR (1u << 15)
#define SR_BSY     (1u << 16)
/* Errors of an earlier programming that make the next operation a PGSERR (RM0440 3.3.7). */
#define SR_PROG_ERRS                                                                               \
	(SR_PROGERR | SR_WRPERR | SR_PGAERR | SR_SIZERR | SR_PGSERR | SR_MISERR | SR_FASTERR)
#define SR_W1C (SR_EOP | SR_OPERR | SR_PROG_ERRS | SR_RDERR | SR_OPTVERR)

/* FLASH_CR, RM0440 3.7.6 (RM0351 3.7.6) */
#define CR_PG         (1u << 0)
#define CR_PER        (1u << 1)
#define CR_MER1       (1u << 2)
#define CR_BKER       (1u << 11)
#define CR_MER2       (1u << 15)
#define CR_STRT       (1u << 16)
#define CR_OPTSTRT    (1u << 17)
#define CR_FSTPG      (1u << 18)
#define CR_EOPIE      (1u << 24)
#define CR_ERRIE      (1u << 25)
#define CR_RDERRIE    (1u << 26)
#define CR_OBL_LAUNCH (1u << 27)
#define CR_SEC_PROT   (3u << 28)
#define CR_OPTLOCK    (1u << 30)
#define CR_LOCK       (1u << 31)

/* FLASH_OPTR: RDP 7:0, BOR_LEV 10:8, IWDG_SW 16 (RM0440 3.7.8, RM0351 3.7.8);
 * FLASH_PCROP1ER: PCROP_RDP 31 (RM0440 3.7.10). */
#define OPTR_RDP     0xFFu
#define OPTR_BOR_LEV (7u << 8)
#define OPTR_IWDG_SW (1u << 16)
#define PCROP_RDP    (1u << 31)

enum {
	R_ACR = 0x00,
	R_PDKEYR = 0x04,
	R_KEYR = 0x08,
	R_OPTKEYR = 0x0C,
	R_SR = 0x10,
	R_CR = 0x14,
	R_ECCR = 0x18
};

/* Timing, FLASH-TIMING.md 6 (DS12589 table 46, typical), used for the L476 too: its
 * DS10198 figures found agree (24.47 ms page max, 24.59 ms mass max, FLASH-TIMING.md 3). */
#define T_PROG_NS     81700ull          /* 64-bit programming */
#define T_FAST_NS     (1910000ull / 32) /* one double word of a fast row (1.91 ms a row) */
#define T_PAGE_NS     22020000ull       /* page erase */
#define T_MASS_NS     22130000ull       /* mass erase */
#define T_FAST_MAX_NS 7000000ull        /* fast programming time-out, RM0440 3.3.7 */
#define ROW_BYTES     256u              /* 32 double words, RM0440 3.3.1 and 3.7.5 MISSERR */

enum key_state { KEY_WAIT1, KEY_WAIT2, KEY_DEAD };
enum op_kind { OP_NONE, OP_PROGRAM, OP_FAST, OP_PAGE, OP_MASS, OP_OPTION };

struct l4_op {
	enum op_kind kind;
	uint32_t addr, lo, hi; /* program: double word; page: page start */
	uint32_t arg;          /* page: size; mass: banks (bit 0 bank 1, bit 1 bank 2) */
	uint64_t end;
};

struct l4 {
	uint32_t acr, sr, cr, eccr;
	enum key_state key, optkey;
	uint32_t reg[SR_SIM_MAX_OBREG];    /* FLASH_OPTR... as software reads and writes them */
	uint32_t loaded[SR_SIM_MAX_OBREG]; /* the internal option registers, since the last OBL */
	uint32_t word[SR_SIM_MAX_OBREG], cmpl[SR_SIM_MAX_OBREG]; /* the option page */
	uint32_t prog[SR_SIM_MAX_OBREG];                         /* what OPTSTRT is programming */
	bool mismatch; /* the last OBL forced values: OPTVERR (RM0440 3.4.2) */
	bool obl;      /* the next reset loads the option bytes */
	bool half;     /* first word of a double word received */
	uint32_t half_addr, half_data;
	uint32_t fast_row, fast_n, fast_last; /* fast row: its base, double words, last address */
	uint64_t fast_t0;
	uint32_t mass_erased; /* banks whose last erase was a mass erase (fast programming) */
	struct l4_op op;
	uint32_t pnb_mask;
	bool dual;  /* the part has bank-2 controls (BKER, MER2) */
	int i_optr; /* obreg index of OPTR */
	int i_pcrop1er;
};

/* flash-l4.c */
struct l4 *l4_of(const struct sr_sim_board *b);
const struct sr_sim_layout *l4_layout(const struct sr_sim_board *b); /* in force */
int l4_rdp_level(const struct sr_sim_board *b);
bool l4_area_range(const struct sr_sim_board *b, const struct sr_sim_obarea *a,
                   const uint32_t *regs, uint32_t *lo, uint32_t *hi);
bool l4_protected(const struct sr_sim_board *b, uint32_t addr, uint32_t len, bool pcrop_only);
void l4_raise(struct l4 *f, uint32_t bits);
void l4_erase_range(struct sr_sim_board *b, uint32_t addr, uint32_t len);
void l4_start_op(struct sr_sim_board *b, enum op_kind kind, uint64_t duration);
void l4_wait_bank(struct sr_sim_board *b, int bank);
void l4_reset(struct sr_sim_board *b, bool por);

/* flash-l4-ob.c */
void l4_ob_load(struct sr_sim_board *b);
void l4_ob_start(struct sr_sim_board *b);
void l4_ob_complete(struct sr_sim_board *b);
void l4_ob_launch(struct sr_sim_board *b);
bool l4_ob_page_read(struct sr_sim_board *b, uint32_t addr, unsigned size, uint32_t *val);
void l4_factory(struct sr_sim_board *b);
int l4_load(struct sr_sim_board *b);
void l4_save(struct sr_sim_board *b);

#endif
