/*
 * The STM32H74x/H75x embedded flash (RM0433 Rev 8 section 4), shared by
 * flash-h7.c (banks: write buffer, program and erase queue, registers, reads) and
 * flash-h7-ob.c (option bytes, RDP, CRC, ECC state, persistence).
 */
#ifndef SR_SIM_FLASH_H7_H
#define SR_SIM_FLASH_H7_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sim-internal.h"

#define H7_WORD    32 /* one flash word: 256 data bits (+10 ECC), RM0433 4.3.9 */
#define H7_QUEUE   2  /* operations a bank holds: the one running and one waiting */
#define H7_MAX_ECC 64

/* FLASH_SRx, RM0433 4.9.5 */
#define SR_BSY      (1u << 0)
#define SR_WBNE     (1u << 1)
#define SR_QW       (1u << 2)
#define SR_CRC_BUSY (1u << 3)
#define SR_EOP      (1u << 16)
#define SR_WRPERR   (1u << 17)
#define SR_PGSERR   (1u << 18)
#define SR_STRBERR  (1u << 19)
#define SR_INCERR   (1u << 21)
#define SR_OPERR    (1u << 22)
#define SR_RDPERR   (1u << 23)
#define SR_RDSERR   (1u << 24)
#define SR_SNECCERR (1u << 25)
#define SR_DBECCERR (1u << 26)
#define SR_CRCEND   (1u << 27)
#define SR_CRCRDERR (1u << 28)
#define SR_FLAGS    0x1FEF0000u /* what FLASH_CCRx clears, RM0433 4.9.6 */

/* FLASH_CRx, RM0433 4.9.4 */
#define CR_LOCK   (1u << 0)
#define CR_PG     (1u << 1)
#define CR_SER    (1u << 2)
#define CR_BER    (1u << 3)
#define CR_PSIZE  (3u << 4)
#define CR_FW     (1u << 6)
#define CR_START  (1u << 7)
#define CR_SNB    (7u << 8)
#define CR_CRC_EN (1u << 15)
#define CR_RW     0x1FEF873Eu /* every bit but LOCK, FW, START (and reserved) */
#define CR_RESET  0x00000031u /* LOCK, PSIZE x64: RM0433 4.9.4 reset value */

/* FLASH_OPTCR, RM0433 4.9.7 */
#define OPTCR_OPTLOCK  (1u << 0)
#define OPTCR_OPTSTART (1u << 1)
#define OPTCR_MER      (1u << 4)
#define OPTCR_ERRIE    (1u << 30)
#define OPTCR_SWAP     (1u << 31)

/* FLASH_OPTSR_CUR/PRG, RM0433 4.9.8-4.9.9 */
#define OPTSR_BUSY      (1u << 0)
#define OPTSR_IWDG1_SW  (1u << 4)
#define OPTSR_RDP       (0xFFu << 8)
#define OPTSR_SECURITY  (1u << 21)
#define OPTSR_CHANGEERR (1u << 30)
#define OPTSR_SWAP_OPT  (1u << 31)
/* Option bits the application may program: BOR_LEV, IWDG1_SW, NRST_STOP/STBY_D1, RDP,
 * IWDG_FZ_STOP/SDBY, ST_RAM_SIZE, SECURITY, IO_HSLV, SWAP_BANK_OPT (RM0433 4.9.9). */
#define OPTSR_PRG_BITS 0xA03EFFDCu

/* Key sequence state (RM0433 4.5.1): a wrong key locks until reset. */
enum h7_key { H7_KEY1, H7_KEY2, H7_KEY_DEAD };

enum h7_op_kind { H7_OP_PROGRAM, H7_OP_SECTOR, H7_OP_BANK };

struct h7_op {
	enum h7_op_kind kind;
	uint32_t arg; /* program: flash word address; sector: its number */
	uint8_t data[H7_WORD];
	uint64_t start, end;
};

/* The option bytes (the *_CUR registers; *_PRG hold the values to program). */
struct h7_ob {
	uint32_t optsr; /* without OPT_BUSY and OPTCHANGEERR */
	uint32_t prar[2], scar[2], wpsn[2], boot;
};

struct h7_bank {
	uint32_t cr, sr; /* sr: the sticky flags (EOP, errors, CRCEND) */
	enum h7_key key;
	uint32_t wb_addr; /* write buffer: flash word address, bytes, which are written */
	uint8_t wb[H7_WORD];
	uint32_t wb_mask;
	struct h7_op q[H7_QUEUE];
	int nq;
	uint32_t ecc_fa;
	uint32_t crccr, crcsadd, crceadd;
	uint8_t crc_sects;   /* sectors added with ADD_SECT */
	uint64_t crc_end;    /* CRC computation running until then (0: none) */
	uint32_t crc_result; /* what CRCDATAR holds when it ends */
	bool crc_rderr;      /* it met a protected word */
};

struct h7_ecc {
	uint32_t addr; /* flash word */
	bool dbl;      /* double error (uncorrectable) or single (corrected) */
};

struct h7 {
	struct h7_bank bank[2];
	uint32_t acr, optcr; /* optcr: MER, OPTCHANGEERRIE, SWAP_BANK; OPTLOCK apart */
	bool optlock, opt_err;
	enum h7_key optkey;
	struct h7_ob cur, prg;
	uint64_t opt_end; /* option-byte change running until then (0: none) */
	uint32_t crcdata;
	struct h7_ecc ecc[H7_MAX_ECC];
	int n_ecc;
};

static inline struct h7 *h7_of(const struct sr_sim_board *b)
{
	return b->flash_priv;
}

/* flash-h7.c */
int h7_bank_of(const struct sr_sim_board *b, uint32_t addr);
uint32_t h7_sector_base(const struct sr_sim_board *b, int bank, unsigned sect);
void h7_bank_sync(struct sr_sim_board *b, int bank, uint64_t now);
void h7_bank_reset(struct h7_bank *k);
/* START with SER or BER in FLASH_CRx. */
void h7_bank_erase_start(struct sr_sim_board *b, int bank);
int h7_rdp_level(const struct sr_sim_board *b);
bool h7_rdp_blocks(const struct sr_sim_board *b);
uint64_t h7_bank_erase_ns(unsigned psize);

/* flash-h7-ob.c */
bool h7_in_pcrop(const struct sr_sim_board *b, int bank, uint32_t addr);
bool h7_in_secure(const struct sr_sim_board *b, int bank, uint32_t addr);
bool h7_sector_wrp(const struct sr_sim_board *b, int bank, unsigned sect);
bool h7_range_protected(const struct sr_sim_board *b, int bank, uint32_t start, uint32_t len);
int h7_ob_reg_read(struct sr_sim_board *b, int bank, uint32_t off, uint32_t *val);
int h7_ob_reg_write(struct sr_sim_board *b, int bank, uint32_t off, uint32_t val);
void h7_ob_factory(struct sr_sim_board *b);
void h7_ob_sync(struct sr_sim_board *b, uint64_t now);
void h7_ob_reset(struct sr_sim_board *b);

/* flash-h7-crc.c */
void h7_crc_start(struct sr_sim_board *b, int bank);
void h7_crc_sync(struct sr_sim_board *b, int bank, uint64_t now);
const struct h7_ecc *h7_ecc_find(const struct sr_sim_board *b, uint32_t word);
void h7_ecc_mark(struct sr_sim_board *b, uint32_t word, bool dbl);
void h7_ecc_clear(struct sr_sim_board *b, uint32_t start, uint32_t len);

/* flash-h7-state.c */
int h7_load(struct sr_sim_board *b);
void h7_save(struct sr_sim_board *b);

#endif
