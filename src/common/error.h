/* One error enum for all of stmrescue: negative codes, 0 is success. */
#ifndef SR_ERROR_H
#define SR_ERROR_H

/*
 * X-macro: code name, value, and a one-line message for users.
 * Keep values stable: they appear in --json output and logs.
 */
#define SR_ERRORS(X)                                                                   \
	X(SR_OK, 0, "success")                                                             \
	X(SR_E_NOMEM, -1, "out of memory")                                                 \
	X(SR_E_ARG, -2, "invalid argument")                                                \
	X(SR_E_IO, -3, "input/output error")                                               \
	X(SR_E_NOTFOUND, -4, "not found")                                                  \
	X(SR_E_PARSE, -5, "malformed data")                                                \
	X(SR_E_RANGE, -6, "value out of range")                                            \
	X(SR_E_UNSUPPORTED, -7, "not supported")                                           \
	X(SR_E_NODATA, -8, "data directory not found")                                     \
	X(SR_E_USB, -20, "USB error")                                                      \
	X(SR_E_USB_ACCESS, -21, "no permission to open the USB device")                    \
	X(SR_E_USB_BUSY, -22, "the USB device is in use by another program")               \
	X(SR_E_USB_GONE, -23, "the USB device was disconnected")                           \
	X(SR_E_USB_TIMEOUT, -24, "the USB transfer timed out")                             \
	X(SR_E_PROBE, -30, "the probe answered with an error")                             \
	X(SR_E_PROBE_GARBAGE, -31, "the probe's answer could not be understood")           \
	X(SR_E_PROBE_LOCKED, -32, "the probe is in use by another stmrescue")              \
	X(SR_E_PROBE_FW, -33, "the probe firmware is too old for this")                    \
	X(SR_E_SWD_WAIT, -40, "the target kept answering WAIT")                            \
	X(SR_E_SWD_FAULT, -41, "the target answered FAULT")                                \
	X(SR_E_SWD_NOANSWER, -42, "no SWD answer from the target")                         \
	X(SR_E_NOPOWER, -43, "the target is not powered")                                  \
	X(SR_E_TARGET, -50, "target error")                                                \
	X(SR_E_TARGET_RUNNING, -51, "the target core is running")                          \
	X(SR_E_TIMEOUT, -52, "timed out waiting for the target")                           \
	X(SR_E_UNKNOWN_CHIP, -53, "unknown chip")                                          \
	X(SR_E_FLASH, -60, "flash operation failed")                                       \
	X(SR_E_FLASH_LOCKED, -61, "flash is locked")                                       \
	X(SR_E_FLASH_WRP, -62, "flash is write-protected")                                 \
	X(SR_E_FLASH_ALIGN, -63, "flash access not aligned to the programming unit")       \
	X(SR_E_FLASH_RDP, -64, "flash is read-protected")                                  \
	X(SR_E_VERIFY, -65, "verification failed")                                         \
	X(SR_E_OB, -70, "option byte operation failed")                                    \
	X(SR_E_REFUSED, -80, "refused: needs explicit confirmation")                       \
	X(SR_E_IMAGE, -90, "image file error")                                             \
	X(SR_E_SIM, -100, "virtual lab error")

enum sr_err {
#define SR_ERR_ENUM(name, value, text) name = value,
	SR_ERRORS(SR_ERR_ENUM)
#undef SR_ERR_ENUM
};

/* Message for users, e.g. "flash is locked"; never NULL. */
const char *sr_strerror(int err);
/* Symbolic name, e.g. "SR_E_FLASH_LOCKED"; never NULL. */
const char *sr_errname(int err);

#endif
