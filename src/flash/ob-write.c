/* Writing option bytes: the driver's procedure, then reconnect when the load reset the
 * chip, read back and compare field by field (never report a write without reading it
 * back, DESIGN.md safety rules). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "common/log.h"
#include "flash/driver.h"
#include "flash/flash-internal.h"
#include "target/target.h"

/* The option-byte load (OBL_LAUNCH, a reset) may have dropped the debug connection or
 * left the core running: connect again the way that worked before. */
static int reconnect(struct sr_flash *f)
{
	struct sr_target *tg = f->tg;
	uint32_t dhcsr;
	if (sr_cm_dhcsr(tg, &dhcsr) == SR_OK && (dhcsr & SR_CM_S_HALT))
		return SR_OK;
	struct sr_msgs why = {0};
	int rc = sr_target_connect(tg, tg->used, &why);
	for (int i = 0; rc != SR_OK && i < why.n; i++)
		sr_msgs_add(&f->why, "reconnecting after the option-byte load: %s", why.v[i]);
	sr_msgs_free(&why);
	return rc;
}

/* Fields of WANT's given registers that read back otherwise. */
static int compare(struct sr_flash *f, const struct sr_ob_values *want)
{
	const struct sr_ob_table *t = want->t;
	int bad = 0;
	for (int i = 0; i < t->n_fields; i++) {
		const struct sr_ob_field *fd = &t->fields[i];
		if (!want->given[fd->reg] || !sr_ob_field_applies(fd, f->dev->dev_id) ||
		    !f->ob.given[fd->reg])
			continue;
		uint32_t w = sr_ob_field_value(want, fd), g = sr_ob_field_value(&f->ob, fd);
		if (w == g)
			continue;
		sr_msgs_add(&f->why, "%s reads back 0x%X after the write, not 0x%X", fd->name, g, w);
		bad++;
	}
	return bad ? SR_E_OB : SR_OK;
}

/* The chip went silent during the driver's procedure (no SWD answer, no power, FAULT,
 * WAIT): say what a power loss or reset during the programming leaves. The option
 * bytes are erased, then programmed (RM0090 3.6.2, PM0075 2.5.2); "Upon an option byte
 * programming failure (for any reason, such as loss of power or a reset during the
 * option byte change sequence), the mismatch values of the option bytes are loaded
 * after reset" (RM0444 Rev 5 3.4.2; the L4/G4 force safe values, RM0440 3.4.2). */
static void explain_lost(struct sr_flash *f, int rc)
{
	if (rc > SR_E_SWD_WAIT || rc < SR_E_TARGET)
		return;
	sr_msgs_add(&f->why, "the chip stopped answering during the option-byte write: a loss "
			     "of power or a reset while the option bytes are being programmed "
			     "leaves them erased or half-written, and the chip then loads them "
			     "as read-out protection level 1 or more (flash closed to the "
			     "debugger; other protections and the boot address may change too); "
			     "once it answers again, 'stmrescue ob show' tells what they are, and "
			     "'stmrescue --yes ob restore-defaults' repairs them as far as the "
			     "chip allows");
}

int sr_flash_ob_write(struct sr_flash *f, const struct sr_ob_values *want)
{
	if (!f->ops->ob_write) {
		sr_msgs_add(&f->why, "writing option bytes is not implemented for the %s flash "
				     "controller yet",
			    f->ops->name);
		return SR_E_UNSUPPORTED;
	}
	sr_flash_kick_watchdog(f);
	int rc = f->ops->prepare(f, 1);
	if (rc == SR_OK) {
		rc = f->ops->ob_write(f, want);
		explain_lost(f, rc);
	}
	int rc2 = reconnect(f);
	if (rc == SR_OK)
		rc = rc2;
	if (rc2 == SR_OK)
		rc2 = sr_flash_reopen(f);
	if (rc == SR_OK)
		rc = rc2;
	if (rc == SR_OK && !f->ob_ok) {
		sr_msgs_add(&f->why, "the option bytes could not be read back after the write");
		rc = SR_E_OB;
	}
	if (rc == SR_OK)
		rc = compare(f, want);
	return rc;
}
