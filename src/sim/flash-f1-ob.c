/*
 * The F1 option bytes (PM0075 Rev 2 2.4, 2.5): eight bytes at 0x1FFFF800, each
 * stored with its complement; erased and programmed through the FPEC once
 * FLASH_OPTKEYR has set OPTWRE; copied into FLASH_OBR and FLASH_WRPR by the option
 * byte loader at every reset, where a byte whose complement does not match sets
 * OPTERR and reads as 0xFF (so a broken RDP byte leaves the part read-protected).
 */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "sim/flash-f1.h"
#include "sim/state.h"

/* Option byte erase: a page of the information block, DS5319 table 28 maximum. */
#define OB_ERASE_NS 40000000ull
/* Option byte program: one half-word, DS5319 table 28 typical. */
#define OB_PROGRAM_NS 52500ull
/* op.data flag: the RDP programming that unprotects mass-erases first (PM0075 2.4.1). */
#define OB_UNPROTECT (1u << 16)

static const char *const ob_keys[] = {"rdp", "user", "data0", "data1",
				      "wrp0", "wrp1", "wrp2", "wrp3"};

/* The loaded value of option byte I: erased pairs (0xFF, 0xFF) load as 0xFF without an
 * error; a byte whose complement does not match loads as 0xFF and sets OPTERR
 * (PM0075 3.7; RM0091 4: "considered as 0xFF", no error in the erased state). */
static uint8_t load_byte(const uint8_t *ob, int i, bool *opterr)
{
	uint8_t v = ob[2 * i], nv = ob[2 * i + 1];
	if (v == 0xFF && nv == 0xFF)
		return 0xFF;
	if ((uint8_t)(v ^ nv) != 0xFF) {
		*opterr = true;
		return 0xFF;
	}
	return v;
}

/* The option byte loader: FLASH_OBR and FLASH_WRPR from the stored bytes (PM0075 3.7,
 * 3.8). RDPRT is set for any RDP other than 0xA5 (2.4.1). */
void f1_ob_load_registers(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	bool err = false;
	uint8_t v[8];
	for (int i = 0; i < 8; i++)
		v[i] = load_byte(f->ob, i, &err);
	f->obr = (err ? F1_OBR_OPTERR : 0) | (v[OB_RDP] != F1_RDP_OFF ? F1_OBR_RDPRT : 0) |
		 (uint32_t)v[OB_USER] << 2 | (uint32_t)v[OB_DATA0] << 10 |
		 (uint32_t)v[OB_DATA1] << 18;
	f->wrpr = v[OB_WRP0] | (uint32_t)v[OB_WRP1] << 8 | (uint32_t)v[OB_WRP2] << 16 |
		  (uint32_t)v[OB_WRP3] << 24;
	if (err)
		sr_info("sim: option byte load error (OPTERR): a byte and its complement differ");
}

/* As shipped: RDP 0xA5, every other byte 0xFF, each with its complement (FLASH_OBR
 * then reads 0x03FFFFFC and FLASH_WRPR 0xFFFFFFFF, PM0075 3.7-3.8). */
void f1_ob_factory(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	for (int i = 0; i < 8; i++) {
		f->ob[2 * i] = i == OB_RDP ? F1_RDP_OFF : 0xFF;
		f->ob[2 * i + 1] = (uint8_t)~f->ob[2 * i];
	}
}

/* FLASH_OPTKEYR: after the FPEC is unlocked, KEY1 then KEY2 set OPTWRE (PM0075 2.5).
 * PM0075 gives no consequence for a wrong key here: the sequence starts again. */
int f1_ob_write_key(struct sr_sim_board *b, uint32_t val)
{
	struct f1 *f = f1_of(b);
	const uint32_t *keys = b->chip->optkeys;
	if (f->cr & F1_CR_LOCK)
		return SR_SIM_BUS_OK;
	if (val != keys[f->optkey == F1_KEY_WAIT1 ? 0 : 1]) {
		f->optkey = F1_KEY_WAIT1;
		return SR_SIM_BUS_OK;
	}
	f->optkey = f->optkey == F1_KEY_WAIT1 ? F1_KEY_WAIT2 : F1_KEY_WAIT1;
	if (f->optkey == F1_KEY_WAIT1)
		f->cr |= F1_CR_OPTWRE;
	return SR_SIM_BUS_OK;
}

/* OPTER + STRT: erase the whole option block (PM0075 2.5.2). */
void f1_ob_start_erase(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	if (!(f->cr & F1_CR_OPTWRE))
		return; /* option bytes not write-enabled: nothing happens */
	if (b->power_loss_during_ob) {
		/* Fault injection: power fails once the block is erased. */
		sr_info("sim: injected power loss during option-byte programming");
		memset(f->ob, 0xFF, sizeof(f->ob));
		b->power_loss_during_ob = false;
		sr_sim_board_set_power(b, 0);
		return;
	}
	f1_start_op(b, F1_OP_OB_ERASE, OB_ERASE_NS);
}

/* OPTPG + a half-word write into the option block (PM0075 2.5.1). */
int f1_ob_program(struct sr_sim_board *b, uint32_t off, unsigned size, uint32_t val)
{
	struct f1 *f = f1_of(b);
	if (off >= F1_OB_BYTES || !(f->cr & F1_CR_OPTPG) || !(f->cr & F1_CR_OPTWRE))
		return SR_SIM_BUS_OK; /* not an option byte write: no effect */
	if (f->ob[off] != 0xFF || f->ob[off + 1] != 0xFF) {
		/* "first read to check it is really erased. If not, the program operation is
		 * skipped and a warning is issued by the WRPRTERR bit" (RM0091 3.2.2, the
		 * same FPEC; PM0075 2.5.1) */
		f1_raise(f, F1_SR_WRPRTERR);
		return SR_SIM_BUS_OK;
	}
	uint64_t t = OB_PROGRAM_NS;
	f->op.addr = off;
	f->op.data = val & 0xFF; /* the LSB; its complement is computed by the FPEC */
	if (off == 0 && f->op.data == F1_RDP_OFF && (f->obr & F1_OBR_RDPRT)) {
		/* protected -> unprotected: "a Mass Erase of the main Flash memory is
		 * performed before reprogramming the read protection option" (PM0075 2.4.1);
		 * "Program the correct RDP code 0x00A5 to unprotect the memory. This
		 * operation first forces a Mass Erase" (2.4.2): here, not at OPTER; RDPRT
		 * stays until the next load (reset) */
		f->op.data |= OB_UNPROTECT;
		t += f1_mass_erase_ns();
	}
	f1_start_op(b, F1_OP_OB_PROGRAM, t);
	return SR_SIM_BUS_OK;
}

void f1_ob_complete(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	if (f->op.kind == F1_OP_OB_ERASE) {
		memset(f->ob, 0xFF, sizeof(f->ob));
		return;
	}
	if (f->op.data & OB_UNPROTECT)
		memset(b->flash, 0xFF, b->chip->flash_size);
	f->ob[f->op.addr] = (uint8_t)f->op.data;
	f->ob[f->op.addr + 1] = (uint8_t)~f->op.data;
}

/* Reset or power loss in the middle: an erase is taken as done; a program has written
 * the byte but not its complement, which the next load reports as OPTERR. */
void f1_ob_interrupted(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	sr_warn("sim: reset during option-byte programming");
	if (f->op.kind == F1_OP_OB_ERASE) {
		memset(f->ob, 0xFF, sizeof(f->ob));
	} else {
		if (f->op.data & OB_UNPROTECT)
			memset(b->flash, 0xFF, b->chip->flash_size);
		f->ob[f->op.addr] = (uint8_t)f->op.data;
	}
}

uint32_t f1_ob_read(const struct sr_sim_board *b, uint32_t off, unsigned size)
{
	const struct f1 *f = f1_of(b);
	uint32_t v = 0;
	for (unsigned i = 0; i < size && off + i < F1_OB_BYTES; i++)
		v |= (uint32_t)f->ob[off + i] << (8 * i);
	return v;
}

int f1_ob_state_load(struct sr_sim_board *b)
{
	struct f1 *f = f1_of(b);
	int rc = 0;
	f1_ob_factory(b);
	for (int i = 0; i < 8; i++) {
		uint32_t v = f->ob[2 * i] | (uint32_t)f->ob[2 * i + 1] << 8;
		rc |= sr_sim_state_get_u32(b->st, "option_bytes", ob_keys[i], v, &v);
		if (v > 0xFFFF)
			rc = SR_E_PARSE;
		f->ob[2 * i] = (uint8_t)v;
		f->ob[2 * i + 1] = (uint8_t)(v >> 8);
	}
	return rc ? SR_E_PARSE : SR_OK;
}

void f1_ob_state_save(struct sr_sim_board *b)
{
	const struct f1 *f = f1_of(b);
	for (int i = 0; i < 8; i++)
		sr_sim_state_set_u32(b->st, "option_bytes", ob_keys[i],
				     f->ob[2 * i] | (uint32_t)f->ob[2 * i + 1] << 8);
}
