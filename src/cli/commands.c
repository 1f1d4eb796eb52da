/* The table of batch commands: one row per command, found by name. */
#include "config.h"

#include <string.h>

#include "cli/cli.h"

const struct sr_cmd sr_commands[] = {
    {"chips", "[FAMILY|DEVICE] [--json]", "list the chip database",
     "Without an argument, lists every family and device ID the database knows, with\n"
     "flash and RAM sizes. With a family (stm32f4) or a device (stm32f446, 0x421),\n"
     "shows its details: revisions, RAM regions and what enables them, register\n"
     "addresses, and the flash layout under factory option bytes.",
     true, sr_cmd_chips},
    {"ob", "show | set FIELD=VALUE... | restore-defaults | decode FAMILY|DEVICE REG=VALUE...",
     "show, change or decode option bytes",
     "ob show: the connected chip's option bytes, every field with its meaning and\n"
     "those that differ from the factory defaults flagged; the boot address they give\n"
     "(BOOT_ADDx, nSWBOOT0/nBOOT0, nBOOT1) with the vector table found there; and the\n"
     "write-protected sectors.\n"
     "ob set FIELD=VALUE...: FIELD is a field name from 'ob show' (WDG_SW, BOOT_ADD0,\n"
     "nWRP, ...); VALUE a choice label (software), a number, an address (BOOT_ADD0=\n"
     "0x00200000) or, for write protection, a list of sectors (nWRP=0,1), none or all.\n"
     "Every value is checked before anything is written. The change is shown old ->\n"
     "new with what it does; the option bytes (and, when the change erases the flash,\n"
     "the flash) are saved to a backup in $XDG_STATE_HOME/stmrescue; then they are\n"
     "written with the family's procedure, the chip is reset with its core held at\n"
     "the reset vector so that they load, and every field is read back.\n"
     "ob restore-defaults: every field to its factory default, with the same guards.\n"
     "Changes are refused (exit 7) unless the flag naming their consequence is given:\n"
     "  --yes                          a change that erases the flash (RDP 1 -> 0)\n"
     "  --i-accept-permanent-lockout   RDP level 2: the debug port closes for good\n"
     "  --i-accept-irreversible        any other change that cannot be undone\n"
     "  --i-accept-debug-lockout       any other change that may cut the debugger off\n"
     "ob decode: decodes option-byte register values pasted from a log, offline. FAMILY\n"
     "is a family (stm32f4) or a device (stm32f446, 0x421); REG is a register name\n"
     "from optbytes/ (OPTCR, OPTR, ...). Every field is shown with its meaning, and\n"
     "every field that differs from its factory default is flagged with what the\n"
     "difference does.",
     true, sr_cmd_ob},
    {"rdp", "0|1|2 [--yes] [--i-accept-permanent-lockout] [--json]",
     "set the read-out protection level",
     "rdp 0 from level 1 is the regression: the chip erases all its flash, so it needs\n"
     "--yes; the option bytes and whatever flash is readable are saved to a backup\n"
     "first. rdp 1 protects the flash from debugger reads (rdp 0 undoes it, erasing\n"
     "the flash). rdp 2 disables the debug port and freezes the option bytes for good:\n"
     "it is refused (exit 7) without --i-accept-permanent-lockout. The new level is\n"
     "read back after the reset that loads it.",
     true, sr_cmd_rdp},
    {"list", "[--json]", "list the ST-Link probes on USB",
     "Lists every ST-Link on USB: type, USB product ID, serial number, bus and\n"
     "address, firmware version, the mode the probe is in, and the target voltage it\n"
     "measures. A probe that cannot be opened is listed with the reason (permissions,\n"
     "in use by another program). Exits with 4 when no probe is found.",
     false, sr_cmd_list},
    {"info", "[--json]", "connect and show the chip, its protection and option bytes",
     "Connects to the target (--connect auto tries normal, then under reset, and says\n"
     "which worked and what that implies about the board; normal, hotplug or\n"
     "under-reset force one) and shows: the probe and target voltage, the connect\n"
     "attempts, the chip with its IDs, revision, flash size register, RAM regions and\n"
     "unique ID, the RDP level, FLASH_SR and FLASH_CR decoded, the reset flags, and\n"
     "every option byte with the fields that differ from factory defaults. Exits 4\n"
     "when the probe fails, 5 when the target does not answer (not powered, no SWD).",
     true, sr_cmd_info},
    {"read", "ADDR LEN FILE [--json]", "read target memory into a file",
     "Connects (see --connect) and reads LEN bytes at ADDR (flash, RAM, registers)\n"
     "into FILE, as they are. A read that faults says why: flash under read-out\n"
     "protection level 1, or an address nothing answers at.",
     true, sr_cmd_read},
    {"program",
     "FILE [--base ADDR] [--verify[=readback]] [--reset] [--skip-outside] [--no-backup] [--json]",
     "program an image and verify it",
     "Reads FILE (ELF, Intel HEX, S-record, or raw binary with --base) and checks it\n"
     "against the connected chip before anything is erased: bytes outside flash,\n"
     "overlaps, size against the flash size register, alignment to the programming\n"
     "unit, the sectors to erase and what they hold beyond the image, write\n"
     "protection in the way, the reset vector. Then saves the sectors it will erase\n"
     "(and the option bytes) to a backup in $XDG_STATE_HOME/stmrescue, erases them,\n"
     "programs whole units (segments sharing a unit are merged, gaps padded with\n"
     "0xFF) and verifies every erased sector: by a CRC-32 the chip computes over its\n"
     "flash (code run from RAM), or by reading it back where that cannot run or with\n"
     "--verify=readback; a difference is always located by reading back. --reset\n"
     "then resets the chip and lets it run. --skip-outside leaves out bytes outside\n"
     "flash (RAM\n"
     "initialisers) instead of refusing the image. Exits 6 when verification finds\n"
     "differences.",
     true, sr_cmd_program},
    {"verify", "FILE [--base ADDR] [--json]", "compare the flash with an image",
     "Compares the flash with FILE's bytes (a CRC-32 computed on the chip, or reading\n"
     "back; a difference is located by reading back); bytes outside flash are\n"
     "listed and not compared. Exits 6 with the first differing address when they\n"
     "differ.",
     true, sr_cmd_verify},
    {"erase", "--mass | --bank N | ADDR LEN [--no-backup] [--json]", "erase flash",
     "Erases the whole flash (--mass), one bank with its own controls (--bank 1 or\n"
     "2), or the sectors of ADDR LEN, which must start and end on sector boundaries\n"
     "so that nothing else is erased ('stmrescue info' shows the sectors). What will\n"
     "be erased is saved first to a backup in $XDG_STATE_HOME/stmrescue, and the\n"
     "erased range is read back to check it reads erased.",
     true, sr_cmd_erase},
    {"sim", "list | new CHIP FILE | show FILE | run FILE -- COMMAND [ARGS]",
     "virtual boards for practice and tests",
     "sim list: the virtual chips. sim new CHIP FILE: a factory-fresh virtual board\n"
     "(FILE and FILE.mem). sim show FILE: the board's chip, probe persona, voltage and\n"
     "option bytes that differ from the factory. sim run FILE -- COMMAND: runs any\n"
     "program (st-flash, openocd, stmrescue itself) with the virtual lab's libusb in\n"
     "place, so that it sees the board's virtual ST-Link as a real USB probe.",
     true, sr_cmd_sim},
    {"help", "[COMMAND]", "show help for a command", NULL, false, sr_cmd_help},
    {NULL, NULL, NULL, NULL, false, NULL},
};

const struct sr_cmd *sr_cmd_find(const char *name)
{
	for (const struct sr_cmd *c = sr_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
