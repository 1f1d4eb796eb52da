/*
 * An option-byte change, planned field by field against what the chip holds: validated
 * completely before anything is written, shown old -> new with what each change does,
 * refused unless the flags naming its consequences are given (DIAGNOSES.md C11, F),
 * backed up, written with the family's procedure and read back (sr_flash_ob_write).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ob-change.h"
#include "common/error.h"
#include "common/util.h"
#include "target/target.h"

const char sr_cli_ob_accept_help[] =
    "  --yes                          a change that erases the flash (RDP level 1 -> 0)\n"
    "  --i-accept-permanent-lockout   RDP level 2: the debug port closes for good and the\n"
    "                                 option bytes freeze; nothing can undo it\n"
    "  --i-accept-irreversible        any other change that cannot be undone\n"
    "  --i-accept-debug-lockout       any other change after which the debugger may no\n"
    "                                 longer reach the chip\n";

bool sr_cli_ob_accept_arg(const char *arg, struct sr_ob_accept *a)
{
	if (!strcmp(arg, "--i-accept-permanent-lockout"))
		a->irreversible = a->debug_lockout = true;
	else if (!strcmp(arg, "--i-accept-irreversible"))
		a->irreversible = true;
	else if (!strcmp(arg, "--i-accept-debug-lockout"))
		a->debug_lockout = true;
	else
		return false;
	return true;
}

int sr_cli_ob_plan_init(struct sr_ob_plan *p, struct sr_flash *f)
{
	memset(p, 0, sizeof(*p));
	if (!f->ob_ok) {
		sr_msgs_add(&f->why, "the option bytes of this %s could not be read, so nothing is "
				     "changed",
			    f->dev->name);
		return SR_E_OB;
	}
	const struct sr_ob_table *t = f->ob.t;
	sr_ob_values_init(&p->want, t);
	memcpy(p->want.raw, f->ob.raw, sizeof(uint32_t) * (size_t)t->n_regs);
	sr_ob_values_init(&p->had, t);
	memcpy(p->had.raw, f->ob.raw, sizeof(uint32_t) * (size_t)t->n_regs);
	return SR_OK;
}

void sr_cli_ob_plan_free(struct sr_ob_plan *p)
{
	if (p->want.raw)
		sr_ob_values_free(&p->want);
	if (p->had.raw)
		sr_ob_values_free(&p->had);
	free(p->v);
	p->v = NULL;
}

int sr_cli_ob_plan_set(struct sr_ob_plan *p, const struct sr_flash *f, const char *field,
		       const char *text, struct sr_msgs *why)
{
	const struct sr_ob_table *t = p->want.t;
	const struct sr_ob_field *fd = sr_ob_field_find(t, field);
	if (fd && (!sr_ob_field_applies(fd, f->dev->dev_id) || !f->ob.given[fd->reg])) {
		sr_msgs_add(why, "%s is not an option byte of the %s", fd->name, f->dev->name);
		return SR_E_NOTFOUND;
	}
	int rc = sr_ob_encode(&p->want, field, text, why);
	if (rc == SR_E_NOTFOUND) {
		char list[600] = "";
		size_t used = 0;
		for (int i = 0; i < t->n_fields && used < sizeof(list); i++)
			if (sr_ob_field_applies(&t->fields[i], f->dev->dev_id) &&
			    f->ob.given[t->fields[i].reg])
				used += (size_t)snprintf(list + used, sizeof(list) - used, " %s",
							 t->fields[i].name);
		sr_msgs_add(why, "the fields of the %s are:%s", f->dev->name, list);
	}
	return rc;
}

void sr_cli_ob_plan_defaults(struct sr_ob_plan *p, const struct sr_flash *f)
{
	const struct sr_ob_table *t = p->want.t;
	for (int i = 0; i < t->n_fields; i++) {
		const struct sr_ob_field *fd = &t->fields[i];
		if (!sr_ob_field_applies(fd, f->dev->dev_id) || !f->ob.given[fd->reg])
			continue;
		p->want.raw[fd->reg] = sr_field_set(p->want.raw[fd->reg], fd->hi, fd->lo, fd->def);
		p->want.given[fd->reg] = true;
	}
}

void sr_cli_ob_plan_diff(struct sr_ob_plan *p, const struct sr_flash *f)
{
	const struct sr_ob_table *t = p->want.t;
	bool *changes = calloc((size_t)t->n_regs + 1, sizeof(bool));
	free(p->v);
	p->v = calloc((size_t)t->n_fields + 1, sizeof(*p->v));
	p->n = 0;
	p->danger = 0;
	for (int i = 0; changes && p->v && i < t->n_fields; i++) {
		const struct sr_ob_field *fd = &t->fields[i];
		if (!p->want.given[fd->reg] || !sr_ob_field_applies(fd, f->dev->dev_id))
			continue;
		struct sr_ob_edit e = {fd, sr_ob_field_value(&f->ob, fd),
				       sr_ob_field_value(&p->want, fd), 0};
		if (e.from == e.to)
			continue;
		e.danger = sr_ob_change_danger(fd, e.from, e.to);
		p->v[p->n++] = e;
		p->danger |= e.danger;
		changes[fd->reg] = true;
	}
	for (int r = 0; changes && r < t->n_regs; r++)
		p->want.given[r] = changes[r];
	free(changes);
}

/* The consequence flag an edit still needs, or NULL. */
static const char *missing_flag(const struct sr_ob_edit *e, const struct sr_ob_accept *a,
				bool yes)
{
	bool irr = e->danger & SR_DANGER_IRREVERSIBLE, dbg = e->danger & SR_DANGER_LOCKS_DEBUG;
	if ((irr && !a->irreversible) || (dbg && !a->debug_lockout))
		return irr && dbg ? "--i-accept-permanent-lockout"
		       : irr      ? "--i-accept-irreversible"
				  : "--i-accept-debug-lockout";
	if ((e->danger & SR_DANGER_ERASES_FLASH) && !yes)
		return "--yes";
	return NULL;
}

/* FD's value V in words, in the mode the values IN select (F4 nWRP: WRP or PCROP). */
static void describe(const struct sr_ob_values *in, const struct sr_ob_field *fd, uint32_t v,
		     char *buf, size_t len)
{
	struct sr_ob_field as;
	sr_ob_describe(sr_ob_field_as(in, fd, &as), v, buf, len);
}

/* "level 2", or the number for fields without choices. */
static void short_value(const struct sr_ob_field *fd, uint32_t v, char *buf, size_t len)
{
	const struct sr_ob_choice *ch = fd->kind == SR_OB_ENUM ? sr_ob_choice_of(fd, v) : NULL;
	if (ch)
		snprintf(buf, len, "%s", ch->label);
	else
		snprintf(buf, len, "0x%X", v);
}

static json_t *edit_json(const struct sr_ob_plan *p, const struct sr_ob_edit *e, const char *flag)
{
	char from[512], to[512], danger[128];
	describe(&p->had, e->fd, e->from, from, sizeof(from));
	describe(&p->want, e->fd, e->to, to, sizeof(to));
	sr_danger_names(e->danger, danger, sizeof(danger));
	json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:s, s:s}", "field", e->fd->name,
			      "register", p->want.t->regs[e->fd->reg].name, "from",
			      sr_json_hex(e->from, 0), "from_meaning", from, "to",
			      sr_json_hex(e->to, 0), "to_meaning", to, "danger", danger);
	if (flag)
		json_object_set_new(o, "needs", json_string(flag));
	return o;
}

static json_t *edits_json(const struct sr_ob_plan *p, const struct sr_ob_accept *a, bool yes)
{
	json_t *list = json_array();
	for (int i = 0; i < p->n; i++)
		json_array_append_new(list, edit_json(p, &p->v[i], missing_flag(&p->v[i], a, yes)));
	return list;
}

static void print_edits(struct sr_cli *cli, const struct sr_cli_flash *s,
			const struct sr_ob_plan *p)
{
	char from[512], to[512], danger[128];
	fprintf(cli->out, "Option bytes of the %s to change:\n", s->f.dev->name);
	for (int i = 0; i < p->n; i++) {
		const struct sr_ob_edit *e = &p->v[i];
		describe(&p->had, e->fd, e->from, from, sizeof(from));
		describe(&p->want, e->fd, e->to, to, sizeof(to));
		sr_danger_names(e->danger, danger, sizeof(danger));
		fprintf(cli->out, "  %-12s %s\n  %-12s -> %s\n", e->fd->name, from, "", to);
		if (danger[0])
			fprintf(cli->out, "  %-12s    (%s)\n", "", danger);
	}
}

/* Refuse, naming each edit's consequence and the flag that accepts it. */
static int refuse(struct sr_cli *cli, const struct sr_ob_plan *p, const struct sr_ob_accept *a)
{
	json_t *list = json_array();
	for (int i = 0; i < p->n; i++) {
		const struct sr_ob_edit *e = &p->v[i];
		const char *flag = missing_flag(e, a, cli->yes);
		char from[64], to[64];
		if (!flag)
			continue;
		short_value(e->fd, e->from, from, sizeof(from));
		short_value(e->fd, e->to, to, sizeof(to));
		json_array_append_new(list, edit_json(p, e, flag));
		if (!cli->json)
			sr_cli_error("refused: %s %s -> %s %s; nothing was written. Add %s to do "
				     "it anyway",
				     e->fd->name, from, to,
				     (e->danger & SR_DANGER_IRREVERSIBLE)
					 ? "cannot be undone"
				     : (e->danger & SR_DANGER_LOCKS_DEBUG)
					 ? "may cut the debugger off"
					 : "erases all flash",
				     flag);
	}
	if (cli->json)
		sr_cli_json_out(cli, json_pack("{s:b, s:o, s:o}", "written", 0, "changes",
					       edits_json(p, a, cli->yes), "refused", list));
	else
		json_decref(list);
	return SR_EXIT_REFUSED;
}

/* The flash span a backup before an erasing change holds (both banks). */
static void flash_span(const struct sr_flash *f, uint32_t *addr, uint32_t *len)
{
	*addr = f->map.bank_base[0];
	*len = f->map.total;
	if (f->map.banks == 2)
		*len = f->map.bank_base[1] + f->map.bank_size[1] - *addr;
}

/* RDP level 2 written: the chip stops answering, which is all the proof there can be. */
static int lockout_done(struct sr_cli *cli, struct sr_cli_flash *s, const struct sr_backup *b,
			int rc)
{
	sr_msgs_free(&s->f.why);
	if (cli->json)
		return sr_cli_json_out(cli, json_pack("{s:s, s:b, s:s, s:o}", "chip",
						      s->f.dev->name, "written", 1, "debug_port",
						      "closed", "backup", json_string(b->json_path)));
	fprintf(cli->out, "The chip no longer answers on SWD (%s): that is what the change does. "
			  "It cannot be read back, and no debugger will reach this chip again.\n",
		sr_strerror(rc));
	return SR_EXIT_OK;
}

static json_t *readback_json(const struct sr_cli_flash *s, const struct sr_ob_plan *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->n; i++) {
		char text[512];
		uint32_t v = sr_ob_field_value(&s->f.ob, p->v[i].fd);
		describe(&s->f.ob, p->v[i].fd, v, text, sizeof(text));
		json_array_append_new(a, json_pack("{s:s, s:o, s:s, s:b}", "field", p->v[i].fd->name,
						   "value", sr_json_hex(v, 0), "meaning", text, "ok",
						   v == p->v[i].to));
	}
	return a;
}

static void report(struct sr_cli *cli, struct sr_cli_flash *s, const struct sr_ob_plan *p,
		   const struct sr_backup *b, bool have_pc, uint32_t pc)
{
	struct sr_ob_boot boot;
	struct sr_ob_accept all = {true, true};
	sr_cli_ob_boot(s, &boot);
	if (cli->json) {
		json_t *o = json_pack("{s:s, s:b, s:o, s:o, s:o, s:o}", "chip", s->f.dev->name,
				      "written", 1, "changes", edits_json(p, &all, true), "backup",
				      json_string(b->json_path), "read_back",
				      readback_json(s, p), "boot", sr_cli_ob_boot_json(&boot));
		json_object_set_new(o, "pc_after_reset", have_pc ? sr_json_hex(pc, 8) : json_null());
		sr_cli_json_out(cli, o);
		return;
	}
	fprintf(cli->out, "Written; read back after the reset that loads them:\n");
	for (int i = 0; i < p->n; i++) {
		char text[512];
		uint32_t v = sr_ob_field_value(&s->f.ob, p->v[i].fd);
		describe(&s->f.ob, p->v[i].fd, v, text, sizeof(text));
		fprintf(cli->out, "  %-12s %s   %s\n", p->v[i].fd->name, text,
			v == p->v[i].to ? "OK" : "DIFFERS");
	}
	if (p->danger & SR_DANGER_GEOMETRY)
		fprintf(cli->out, "The flash layout changed (%d bank%s now): program the whole "
				  "flash again.\n",
			s->f.map.banks, s->f.map.banks == 1 ? "" : "s");
	sr_cli_ob_boot_text(cli, &boot);
	if (have_pc)
		fprintf(cli->out, "After the reset the core is held at its reset handler: PC = "
				  "0x%08X.\n",
			pc);
}

int sr_cli_ob_apply(struct sr_cli *cli, struct sr_cli_flash *s, struct sr_ob_plan *p,
		    const struct sr_ob_accept *a, const char *reason)
{
	struct sr_backup b = {0};
	uint32_t addr = 0, len = 0, pc = 0;
	if (p->n == 0) {
		if (cli->json)
			return sr_cli_json_out(cli, json_pack("{s:s, s:b, s:[]}", "chip",
							      s->f.dev->name, "written", 0,
							      "changes"));
		fprintf(cli->out, "Nothing to change: the option bytes already hold these "
				  "values.\n");
		return SR_EXIT_OK;
	}
	if (!cli->json)
		print_edits(cli, s, p);
	for (int i = 0; i < p->n; i++)
		if (missing_flag(&p->v[i], a, cli->yes))
			return refuse(cli, p, a);
	if (p->danger & SR_DANGER_ERASES_FLASH)
		flash_span(&s->f, &addr, &len);
	int ex = sr_cli_flash_backup(cli, s, reason, addr, len, &b);
	if (ex != SR_EXIT_OK)
		return ex;
	int rc = sr_flash_ob_write(&s->f, &p->want);
	if (rc != SR_OK && (p->danger & SR_DANGER_LOCKS_DEBUG) &&
	    sr_cli_exit_of(rc) == SR_EXIT_CONNECT)
		return lockout_done(cli, s, &b, rc);
	if (rc != SR_OK) {
		sr_cli_error("the option bytes before the change are in %s", b.json_path);
		return sr_cli_flash_fail(s, rc, "writing the option bytes");
	}
	bool have_pc = sr_cm_is_halted(s->tg) && sr_cm_read_reg(s->tg, 15, &pc) == SR_OK;
	report(cli, s, p, &b, have_pc, pc);
	return SR_EXIT_OK;
}
