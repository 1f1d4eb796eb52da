/* `info --json`: the same facts as info-text.c, for scripts. */
#include "config.h"

#include <stdio.h>

#include "cli/info.h"
#include "common/error.h"

static json_t *probe_json(const struct sr_target *tg)
{
	const struct sr_stlink *sl = &tg->sl;
	json_t *o = json_pack("{s:s, s:o, s:s, s:s, s:s, s:I, s:b}", "type",
			      sr_stlink_pid_name(tg->t->pid), "pid", sr_json_hex(tg->t->pid, 4),
			      "serial", tg->t->serial, "firmware", sl->version, "found_mode",
			      sr_stlink_mode_name(sl->found_mode), "stale_bytes_drained",
			      (json_int_t)sl->drained, "usb_reset", sl->usb_reset_done);
	json_object_set_new(o, "target_mv", tg->mv_known ? json_integer(tg->target_mv) : json_null());
	char note[400];
	json_object_set_new(o, "firmware_note", sr_stlink_fw_note(sl, note, sizeof(note))
						     ? json_string(note)
						     : json_null());
	json_object_set_new(o, "swd_khz", sl->swd_khz ? json_integer(sl->swd_khz) : json_null());
	return o;
}

static json_t *connect_json(const struct sr_target *tg)
{
	json_t *att = json_array();
	for (int i = 0; i < tg->n_attempts; i++) {
		const struct sr_connect_attempt *a = &tg->attempts[i];
		json_array_append_new(att, json_pack("{s:s, s:b, s:s, s:s}", "mode",
						     sr_connect_mode_name(a->mode), "ok", a->rc == SR_OK,
						     "error", sr_errname(a->rc), "saw", a->saw));
	}
	return json_pack("{s:o, s:o, s:s}", "mode",
			 tg->connected ? json_string(sr_connect_mode_name(tg->used)) : json_null(),
			 "attempts", att, "implies", tg->implies);
}

static json_t *chip_json(const struct sr_info *in)
{
	const struct sr_ident *id = &in->tg->id;
	json_t *ram = json_array();
	for (int i = 0; i < id->dev->n_ram; i++)
		json_array_append_new(ram, json_pack("{s:s, s:o, s:i}", "name", id->dev->ram[i].name,
						     "base", sr_json_hex(id->dev->ram[i].base, 8),
						     "size", id->dev->ram[i].size));
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o}", "name",
			      id->dev->name, "family", id->dev->family->name, "dev_id",
			      sr_json_hex(id->dev_id, 3), "rev_id", sr_json_hex(id->rev_id, 4),
			      "dp_idcode", sr_json_hex(id->dp_idcode, 8), "cpuid",
			      sr_json_hex(id->cpuid, 8), "core", id->core, "dbgmcu_idcode",
			      sr_json_hex(id->dbgmcu_idcode, 8), "idcode_addr",
			      sr_json_hex(id->idcode_addr, 8), "ram", ram);
	json_object_set_new(o, "revision", id->rev_name ? json_string(id->rev_name) : json_null());
	json_object_set_new(o, "flash_kib", id->flash_kib_ok ? json_integer(id->flash_kib) : json_null());
	if (id->uid_ok) {
		char uid[25];
		for (int i = 0; i < 12; i++)
			snprintf(uid + 2 * i, 3, "%02X", id->uid[11 - i]);
		json_object_set_new(o, "uid", json_string(uid));
	} else {
		json_object_set_new(o, "uid", json_null());
	}
	if (in->map_ok)
		json_object_set_new(o, "flash", json_pack("{s:o, s:i, s:i, s:I}", "base",
							  sr_json_hex(in->map.bank_base[0], 8),
							  "banks", in->map.banks, "sectors",
							  in->map.n_sect, "size",
							  (json_int_t)in->map.total));
	return o;
}

static json_t *reg_json(const struct sr_info_reg *r)
{
	char bits[256];
	if (!r->ok)
		return json_null();
	sr_info_bits(r, bits, sizeof(bits));
	return json_pack("{s:o, s:s}", "value", sr_json_hex(r->value, 8), "set", bits);
}

json_t *sr_info_json(const struct sr_info *in)
{
	json_t *doc = json_object();
	char meaning[512];
	json_object_set_new(doc, "ok", json_boolean(in->stage == SR_STAGE_READY));
	if (in->stage != SR_STAGE_READY) {
		json_object_set_new(doc, "error", json_string(sr_errname(in->rc)));
		json_object_set_new(doc, "why", sr_json_msgs(&in->why));
	}
	if (!in->tg)
		return doc;
	json_object_set_new(doc, "probe", probe_json(in->tg));
	json_object_set_new(doc, "connect", connect_json(in->tg));
	if (in->stage != SR_STAGE_READY)
		return doc;
	json_object_set_new(doc, "chip", chip_json(in));
	const char *rdp = sr_info_rdp(in, meaning, sizeof(meaning));
	json_object_set_new(doc, "rdp", rdp ? json_pack("{s:s, s:s}", "level", rdp, "meaning",
							 meaning)
					    : json_null());
	json_object_set_new(doc, "flash_sr", reg_json(&in->flash_sr));
	json_object_set_new(doc, "flash_cr", reg_json(&in->flash_cr));
	json_object_set_new(doc, "reset_flags", reg_json(&in->rcc_csr));
	json_object_set_new(doc, "option_bytes",
			    in->ob_ok ? sr_cli_ob_json((struct sr_ob_report *)&in->ob) : json_null());
	return doc;
}
