/*
 * The virtual board (board.h): a chip from chipdef.c with its flash generation,
 * the electrical side (power, NRST), the virtual clock, and the state file with
 * the binary memory image beside it (format: src/sim/STATE.md).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "common/util.h"
#include "sim/board.h"
#include "sim/sim-internal.h"
#include "sim/state.h"

static const struct sr_sim_flash_ops *const flash_drivers[] = {&sr_sim_flash_f2,
							      &sr_sim_flash_f1, &sr_sim_flash_h7,
							      &sr_sim_flash_l4};

const struct sr_sim_flash_ops *sr_sim_flash_find(const char *name)
{
	for (size_t i = 0; name && i < SR_ARRAY_SIZE(flash_drivers); i++)
		if (strcmp(flash_drivers[i]->name, name) == 0)
			return flash_drivers[i];
	return NULL;
}

/* The memory image file: a path relative to the state file's folder. */
static char *image_path(const struct sr_sim_board *b)
{
	const char *name = sr_sim_state_get(b->st, "board", "memory_file");
	const char *sp = sr_sim_state_path(b->st);
	const char *slash = strrchr(sp, '/');
	if (!name || name[0] == '/' || !slash)
		return sr_strdup(name ? name : "");
	size_t n = (size_t)(slash - sp) + strlen(name) + 2;
	char *p = sr_calloc(1, n);
	snprintf(p, n, "%.*s/%s", (int)(slash - sp), sp, name);
	return p;
}

/* Layout of the image: main flash, OTP (with its lock bytes), then each RAM region in
 * the chip's order (for RAM that is contiguous: the bytes from the first base on). */
static int image_io(struct sr_sim_board *b, bool write)
{
	char *path = image_path(b);
	FILE *f = fopen(path, write ? "wb" : "rb");
	int rc = SR_OK;
	if (!f) {
		sr_err("sim: cannot %s the memory image %s", write ? "write" : "read", path);
		free(path);
		return SR_E_IO;
	}
	struct {
		uint8_t *p;
		size_t n;
	} parts[] = {{b->flash, b->chip->flash_size}, {b->otp, b->chip->otp_size},
		     {b->ram, b->ram_size}};
	for (size_t i = 0; i < SR_ARRAY_SIZE(parts) && rc == SR_OK; i++) {
		size_t got = write ? fwrite(parts[i].p, 1, parts[i].n, f)
				   : fread(parts[i].p, 1, parts[i].n, f);
		if (got != parts[i].n)
			rc = SR_E_IO;
	}
	if (fclose(f) != 0)
		rc = SR_E_IO;
	if (rc)
		sr_err("sim: the memory image %s is short or unwritable", path);
	free(path);
	return rc;
}

static int parse_uid(struct sr_sim_board *b)
{
	const char *v = sr_sim_state_get(b->st, "chip", "uid");
	if (!v)
		return SR_OK;
	for (int i = 0; i < 12; i++) {
		unsigned x;
		if (sscanf(v + 2 * i, "%2x", &x) != 1) {
			sr_err("sim: [chip] uid must be 24 hex digits");
			return SR_E_PARSE;
		}
		b->uid[i] = (uint8_t)x;
	}
	return SR_OK;
}

static void format_uid(const struct sr_sim_board *b, char *buf)
{
	for (int i = 0; i < 12; i++)
		sprintf(buf + 2 * i, "%02X", b->uid[i]);
}

int sr_sim_board_alloc(struct sr_sim_board *b, const char *chip)
{
	int rc = sr_sim_chipdef_load(chip, &b->chipdef);
	if (rc)
		return rc;
	b->chip = &b->chipdef;
	b->fops = sr_sim_flash_find(b->chip->flash_driver);
	if (!b->fops)
		return SR_E_UNSUPPORTED;
	b->flash = sr_calloc(1, b->chip->flash_size);
	b->otp = sr_calloc(1, b->chip->otp_size ? b->chip->otp_size : 1); /* the F1 has no OTP */
	b->ram = sr_calloc(1, (sr_sim_ram_layout(b) + 0xFFF) & ~0xFFFu);
	b->regs = sr_sim_regfile_new();
	rc = b->fops->init(b);
	return rc ? rc : sr_sim_core_open(b);
}

void sr_sim_board_free(struct sr_sim_board *b)
{
	if (!b)
		return;
	sr_sim_core_close(b);
	if (b->fops)
		b->fops->free(b);
	sr_sim_regfile_free(b->regs);
	free(b->flash);
	free(b->otp);
	free(b->ram);
	sr_sim_state_free(b->st);
	free(b);
}

/* Settings of [board], [firmware] and [faults] that the chip side reads. */
static int load_settings(struct sr_sim_board *b)
{
	struct sr_sim_state *st = b->st;
	int rc = 0;
	rc |= sr_sim_state_get_u32(st, "board", "target_mv", 3300, &b->vtarget_mv);
	rc |= sr_sim_state_get_bool(st, "board", "nrst_wired", true, &b->nrst_wired);
	rc |= sr_sim_state_get_bool(st, "board", "nrst_asserted", false, &b->nrst_asserted);
	rc |= sr_sim_state_get_bool(st, "board", "boot0", false, &b->boot0);
	rc |= sr_sim_state_get_bool(st, "board", "debugger_seen", false, &b->dbg_intrusion);
	rc |= sr_sim_state_get_bool(st, "board", "swd_closed", false, &b->swd_dead);
	rc |= sr_sim_state_get_bool(st, "firmware", "disables_swd", false, &b->fw_swd_disabled);
	rc |= sr_sim_state_get_bool(st, "firmware", "sleeps", false, &b->fw_sleeps);
	rc |= sr_sim_state_get_bool(st, "firmware", "feeds_watchdog", true, &b->fw_feeds_iwdg);
	rc |= sr_sim_state_get_u64(st, "clock", "now_ns", 0, &b->now_ns);
	rc |= sr_sim_state_get_u64(st, "clock", "swd_transactions", 0, &b->transactions);
	rc |= sr_sim_state_get_u32(st, "faults", "swd_wait_burst", 0, &b->dap.wait_burst);
	rc |= sr_sim_state_get_u32(st, "faults", "swd_fault_burst", 0, &b->dap.fault_burst);
	rc |= sr_sim_state_get_bool(st, "faults", "power_loss_during_ob", false,
				    &b->power_loss_during_ob);
	rc |= sr_sim_state_get_u32(st, "dap", "ctrl_stat", 0, &b->dap.ctrl_stat);
	rc |= sr_sim_ram_load(b);
	return rc ? SR_E_PARSE : parse_uid(b);
}

static void save_settings(struct sr_sim_board *b)
{
	struct sr_sim_state *st = b->st;
	char uid[32];
	format_uid(b, uid);
	sr_sim_state_set(st, "chip", "uid", uid);
	sr_sim_state_set_u32(st, "board", "target_mv", b->vtarget_mv);
	sr_sim_state_set_bool(st, "board", "nrst_wired", b->nrst_wired);
	sr_sim_state_set_bool(st, "board", "nrst_asserted", b->nrst_asserted);
	sr_sim_state_set_bool(st, "board", "boot0", b->boot0);
	sr_sim_state_set_bool(st, "board", "debugger_seen", b->dbg_intrusion);
	sr_sim_state_set_bool(st, "board", "swd_closed", b->swd_dead);
	sr_sim_state_set_bool(st, "firmware", "disables_swd", b->fw_swd_disabled);
	sr_sim_state_set_bool(st, "firmware", "sleeps", b->fw_sleeps);
	sr_sim_state_set_bool(st, "firmware", "feeds_watchdog", b->fw_feeds_iwdg);
	sr_sim_state_set_u64(st, "clock", "now_ns", b->now_ns);
	sr_sim_state_set_u64(st, "clock", "swd_transactions", b->transactions);
	sr_sim_state_set_u32(st, "faults", "swd_wait_burst", b->dap.wait_burst);
	sr_sim_state_set_u32(st, "faults", "swd_fault_burst", b->dap.fault_burst);
	sr_sim_state_set_bool(st, "faults", "power_loss_during_ob", b->power_loss_during_ob);
	sr_sim_state_set_u32(st, "dap", "ctrl_stat", b->dap.ctrl_stat);
	sr_sim_ram_save(b);
}

/* Bring the chip into the state the file describes. */
static int board_restore(struct sr_sim_board *b)
{
	int rc = load_settings(b);
	rc = rc ? rc : image_io(b, false);
	rc = rc ? rc : b->fops->load(b);
	if (rc)
		return rc;
	sr_sim_dap_reset(b);
	sr_sim_state_get_u32(b->st, "dap", "ctrl_stat", 0, &b->dap.ctrl_stat);
	/* Registers of a running board, then what the file says on top. */
	sr_sim_periph_reset(b, SR_SIM_RESET_POR);
	sr_sim_periph_load(b);
	b->core.in_reset = b->nrst_asserted || b->vtarget_mv < 1700;
	sr_sim_core_load(b);
	return SR_OK;
}

int sr_sim_board_open(const char *state_path, struct sr_sim_board **out)
{
	struct sr_sim_board *b = sr_calloc(1, sizeof(*b));
	int rc = sr_sim_state_load(state_path, &b->st);
	if (rc == SR_OK)
		rc = sr_sim_board_alloc(b, sr_sim_state_get(b->st, "chip", "name"));
	if (rc == SR_OK)
		rc = board_restore(b);
	if (rc) {
		sr_sim_board_free(b);
		return rc;
	}
	*out = b;
	return SR_OK;
}

int sr_sim_board_save(struct sr_sim_board *b)
{
	save_settings(b);
	b->fops->save(b);
	sr_sim_periph_save(b);
	sr_sim_core_save(b);
	int rc = image_io(b, true);
	return rc ? rc : sr_sim_state_save(b->st);
}

void sr_sim_board_close(struct sr_sim_board *b)
{
	if (!b)
		return;
	sr_sim_board_save(b);
	sr_sim_board_free(b);
}

struct sr_sim_state *sr_sim_board_state(struct sr_sim_board *b)
{
	return b->st;
}
