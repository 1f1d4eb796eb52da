/*
 * The CRC unit of the STM32H74x/H75x flash (RM0433 Rev 8 4.3.12, registers 4.9.19-
 * 4.9.22): a CRC-32 over a bank, a list of sectors or an address range, read in
 * bursts of flash words; CRC_BUSY while it runs, CRCEND when done, CRCRDERR when it
 * met a protected word.
 */
#include "config.h"

#include "sim/flash-h7.h"

#define CRCCR_ALL_BANK    (1u << 7)
#define CRCCR_CRC_BY_SECT (1u << 8)

/* The computation as AN5507 gives it in software (quoted in third-party code that
 * checks the hardware against it): per 32-bit word, XOR into the CRC, 32 MSB-first
 * steps of the Ethernet polynomial 0x04C11DB7, then XOR 0x55555555. Not checked
 * against a chip here. */
static uint32_t crc_word(uint32_t crc, uint32_t w)
{
	crc ^= w;
	for (int k = 0; k < 32; k++)
		crc = crc & 0x80000000u ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
	return crc ^ 0x55555555u;
}

/* CRC over [START, END) of BANK (bank offsets); protected words count as 0. */
static uint32_t crc_range(struct sr_sim_board *b, int bank, uint32_t start, uint32_t end,
                          uint32_t crc, bool *rderr)
{
	uint32_t base = b->chip->bank_base[bank];
	for (uint32_t off = start; off < end; off += 4) {
		uint32_t a = base + off, w = 0;
		if (h7_rdp_blocks(b) || h7_in_pcrop(b, bank, a) || h7_in_secure(b, bank, a)) {
			*rderr = true; /* RM0433 4.7: CRCRDERR */
		} else {
			const uint8_t *p = b->flash + (a - b->chip->flash_base);
			w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			    (uint32_t)p[3] << 24;
		}
		crc = crc_word(crc, w);
	}
	return crc;
}

/* START_CRC: work out the data, the result and how long the reads take. The range
 * mode reads whole bursts (CRC_BURST: 4, 16, 64 or 256 flash words), so the end
 * rounds up to a burst; each flash word takes LATENCY + 1 AXI clocks (ACR,
 * RM0433 4.3.8) at the HSI clock of the model. */
void h7_crc_start(struct sr_sim_board *b, int bank)
{
	struct h7 *f = h7_of(b);
	struct h7_bank *k = &f->bank[bank];
	uint32_t bsz = b->chip->bank_size[bank], ssz = b->chip->sect_size[0];
	uint32_t burst = 128u << (2 * ((k->crccr >> 20) & 3)), bytes = 0;
	uint32_t crc = f->crcdata;
	bool rderr = false;
	if (k->crc_end)
		return; /* one computation at a time */
	if (k->crccr & CRCCR_ALL_BANK) {
		crc = crc_range(b, bank, 0, bsz, crc, &rderr);
		bytes = bsz;
	} else if (k->crccr & CRCCR_CRC_BY_SECT) {
		for (uint32_t s = 0; s * ssz < bsz; s++)
			if ((k->crc_sects >> s) & 1) {
				crc = crc_range(b, bank, s * ssz, (s + 1) * ssz, crc, &rderr);
				bytes += ssz;
			}
	} else if (k->crceadd >= k->crcsadd) {
		uint32_t start = k->crcsadd & ~(uint32_t)(H7_WORD - 1);
		uint32_t end = start + ((k->crceadd + 4 - start + burst - 1) / burst) * burst;
		end = end > bsz ? bsz : end;
		crc = crc_range(b, bank, start, end, crc, &rderr);
		bytes = end - start;
	}
	uint64_t clocks = (uint64_t)(bytes / H7_WORD) * ((f->acr & 0xF) + 1);
	k->crc_result = crc;
	k->crc_rderr = rderr;
	k->crc_end = sr_sim_time(b) + clocks * 1000000000ull / b->chip->hsi_hz + 1;
}

void h7_crc_sync(struct sr_sim_board *b, int bank, uint64_t now)
{
	struct h7 *f = h7_of(b);
	struct h7_bank *k = &f->bank[bank];
	if (!k->crc_end || now < k->crc_end)
		return;
	k->crc_end = 0;
	f->crcdata = k->crc_result;
	k->sr |= SR_CRCEND | (k->crc_rderr ? SR_CRCRDERR : 0);
}
