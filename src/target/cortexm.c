/*
 * Cortex-M debug through the probe: DHCSR halt/run/step, reset with vector catch,
 * core registers. ARMv7-M Architecture Reference Manual (DDI 0403E) C1.6.
 */
#include "config.h"

#include "common/error.h"
#include "common/log.h"
#include "target/target.h"

/* How long to poll DHCSR for S_HALT: a halt takes effect within cycles; 100 ms is slack. */
#define HALT_POLLS 50
#define HALT_POLL_US 2000

int sr_cm_dhcsr(struct sr_target *tg, uint32_t *dhcsr)
{
	return sr_stlink_read_dbg32(&tg->sl, SR_CM_DHCSR, dhcsr);
}

static int write_dhcsr(struct sr_target *tg, uint32_t bits)
{
	return sr_stlink_write_dbg32(&tg->sl, SR_CM_DHCSR, SR_CM_DBGKEY | bits);
}

static int wait_halt(struct sr_target *tg)
{
	uint32_t d = 0;
	for (int i = 0; i < HALT_POLLS; i++) {
		int rc = sr_cm_dhcsr(tg, &d);
		if (rc != SR_OK)
			return rc;
		if (d & SR_CM_S_HALT)
			return SR_OK;
		sr_transport_sleep(tg->t, HALT_POLL_US);
	}
	sr_debug("target: no S_HALT; DHCSR = 0x%08X", d);
	return SR_E_TIMEOUT;
}

bool sr_cm_is_halted(struct sr_target *tg)
{
	uint32_t d;
	return sr_cm_dhcsr(tg, &d) == SR_OK && (d & SR_CM_S_HALT);
}

int sr_cm_halt(struct sr_target *tg)
{
	int rc = write_dhcsr(tg, SR_CM_C_HALT | SR_CM_C_DEBUGEN);
	return rc == SR_OK ? wait_halt(tg) : rc;
}

int sr_cm_run(struct sr_target *tg)
{
	/* Clear DFSR's sticky reasons so the next halt reports its own (C1.6.1). */
	sr_stlink_write_dbg32(&tg->sl, SR_CM_DFSR, 0x1F);
	return write_dhcsr(tg, SR_CM_C_DEBUGEN);
}

/* The step sequence both stlink and openocd use (reference 5.5). */
int sr_cm_step(struct sr_target *tg)
{
	int rc = write_dhcsr(tg, SR_CM_C_HALT | SR_CM_C_MASKINTS | SR_CM_C_DEBUGEN);
	if (rc == SR_OK)
		rc = write_dhcsr(tg, SR_CM_C_STEP | SR_CM_C_MASKINTS | SR_CM_C_DEBUGEN);
	if (rc == SR_OK)
		rc = wait_halt(tg);
	if (rc == SR_OK)
		rc = write_dhcsr(tg, SR_CM_C_HALT | SR_CM_C_DEBUGEN);
	return rc;
}

static int vector_catch(struct sr_target *tg, bool on)
{
	uint32_t demcr = 0;
	int rc = sr_stlink_read_dbg32(&tg->sl, SR_CM_DEMCR, &demcr);
	if (rc != SR_OK)
		return rc;
	demcr = on ? demcr | SR_CM_VC_CORERESET : demcr & ~SR_CM_VC_CORERESET;
	return sr_stlink_write_dbg32(&tg->sl, SR_CM_DEMCR, demcr);
}

/* AIRCR.SYSRESETREQ resets the system but not the debug logic (B3.2.6), so VC_CORERESET
 * holds the core at its reset vector. */
int sr_cm_reset_halt(struct sr_target *tg)
{
	int rc = write_dhcsr(tg, SR_CM_C_HALT | SR_CM_C_DEBUGEN);
	if (rc == SR_OK)
		rc = vector_catch(tg, true);
	if (rc == SR_OK) {
		/* the write may get no answer while the system resets: not an error */
		sr_stlink_write_dbg32(&tg->sl, SR_CM_AIRCR, SR_CM_AIRCR_SYSRESETREQ);
		sr_transport_sleep(tg->t, 1000);
		rc = wait_halt(tg);
	}
	vector_catch(tg, false);
	return rc;
}

int sr_cm_read_reg(struct sr_target *tg, unsigned regsel, uint32_t *val)
{
	return sr_stlink_read_reg(&tg->sl, regsel, val);
}

int sr_cm_write_reg(struct sr_target *tg, unsigned regsel, uint32_t val)
{
	return sr_stlink_write_reg(&tg->sl, regsel, val);
}

/* Run from the halted state with interrupts masked until the core halts again (a BKPT,
 * ARMv7-M C1.7 debug event), polling DHCSR with a doubling pause for up to TIMEOUT_US.
 * C_MASKINTS may change only while halted (C1.6.2), hence the halted write first. On
 * timeout the core is halted again and SR_E_TIMEOUT returned. */
int sr_cm_run_until_halt(struct sr_target *tg, uint64_t timeout_us)
{
	sr_stlink_write_dbg32(&tg->sl, SR_CM_DFSR, 0x1F);
	int rc = write_dhcsr(tg, SR_CM_C_HALT | SR_CM_C_MASKINTS | SR_CM_C_DEBUGEN);
	if (rc == SR_OK)
		rc = write_dhcsr(tg, SR_CM_C_MASKINTS | SR_CM_C_DEBUGEN);
	uint64_t waited = 0;
	unsigned pause = 100;
	while (rc == SR_OK) {
		uint32_t d;
		sr_transport_sleep(tg->t, pause);
		waited += pause;
		pause = pause < 20000 ? pause * 2 : 20000;
		rc = sr_cm_dhcsr(tg, &d);
		if (rc == SR_OK && (d & SR_CM_S_HALT))
			return write_dhcsr(tg, SR_CM_C_HALT | SR_CM_C_DEBUGEN);
		if (rc == SR_OK && waited >= timeout_us) {
			sr_cm_halt(tg);
			return SR_E_TIMEOUT;
		}
	}
	return rc;
}
