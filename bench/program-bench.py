#!/usr/bin/env python3
"""Program-and-verify 256 KiB on virtual STM32F446, STM32L476 and STM32H753 boards with stmrescue,
st-flash (stlink-tools) and openocd, each through the virtual lab's libusb drop-in
(`stmrescue sim run`), and print virtual-clock time, USB transactions and wall time
beside the flash-physics limit (datasheet erase + program time).

Usage: bench/program-bench.py [--build DIR] [--chips stm32f446,stm32l476,stm32h753]
                              [--keep DIR]
Run from the source tree after `make` (./setup builds into build/). Not a test: it
prints figures; README "Benchmark" shows a run.
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

KIB = 1024
SIZE = 256 * KIB

# The flash-physics limit of erasing and programming 256 KiB from 0x08000000, with the
# datasheet typicals (shared/reference/FLASH-TIMING.md):
#  F446 (DS10693 table 48 as quoted there, x32 at 3.3 V): sectors 0-3 of 16 KiB at 250 ms,
#   sector 4 of 64 KiB at 550 ms, sector 5 of 128 KiB at 1 s; 16 us per 32-bit word.
#  L476 (DS10198; typicals equal to the G431's DS12589 table, FLASH-TIMING.md 3 and 6):
#   2 KiB pages at 22.02 ms; 81.69 us per 64-bit double word (standard programming,
#   which st-flash, openocd and stmrescue all use).
PHYSICS = {
    "stm32f446": {
        "erase_s": 4 * 0.250 + 0.550 + 1.0,
        "program_s": (SIZE // 4) * 16e-6,
        "ocd_target": "target/stm32f4x.cfg",
        "note": "DS10693 t.48: 4x16K 250 ms, 64K 550 ms, 128K 1 s; 16 us/word x32",
    },
    "stm32l476": {
        "erase_s": (SIZE // (2 * KIB)) * 22.02e-3,
        "program_s": (SIZE // 8) * 81.69e-6,
        "ocd_target": "target/stm32l4x.cfg",
        "note": "DS10198: 2K page 22.02 ms; 81.69 us/double word",
    },
    # H753 (DS12117 Rev 10 table 42, FLASH-TIMING.md 4): 128 KiB sectors at 1 s and
    # 100 us per 256-bit flash word, x64 parallelism (3.3 V).
    "stm32h753": {
        "erase_s": 2 * 1.0,
        "program_s": (SIZE // 32) * 100e-6,
        "ocd_target": "target/stm32h7x.cfg",
        "note": "DS12117 t.42: 128K sector 1 s; 100 us/256-bit word x64",
    },
}


def image(path):
    """256 KiB of random data with a vector table (SP in SRAM, Thumb reset handler)."""
    d = bytearray(os.urandom(SIZE))
    d[0:8] = struct.pack("<II", 0x20001000, 0x08000201)
    open(path, "wb").write(d)


def stats_of(path):
    """Sum of the drop-in's per-process counters (one line per process)."""
    tot = {}
    for line in open(path):
        for kv in line.split():
            k, v = kv.split("=")
            tot[k] = tot.get(k, 0) + int(v)
    return tot


def run_tool(args, sr, work, chip, name, cmd, ok_text):
    board = os.path.join(work, "%s-%s.ini" % (chip, name))
    stats = os.path.join(work, "%s-%s.stats" % (chip, name))
    subprocess.run([sr, "sim", "new", chip, board], check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, STMRESCUE_SIM_STATS=stats,
               XDG_STATE_HOME=os.path.join(work, "state"))
    t0 = time.monotonic()
    p = subprocess.run([sr, "sim", "run", board, "--"] + cmd, env=env, cwd=work,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.monotonic() - t0
    log = p.stdout
    ok = p.returncode == 0 and ok_text in log
    if not ok:
        sys.stderr.write("%s on %s failed (exit %d):\n%s\n" % (name, chip, p.returncode,
                                                             log[-1500:]))
    s = stats_of(stats) if os.path.exists(stats) else {}
    return {"ok": ok, "wall": wall, "virtual": s.get("elapsed_ns", 0) / 1e9,
            "tx": s.get("transactions", 0), "out": s.get("bytes_out", 0),
            "in": s.get("bytes_in", 0)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=".", help="build tree with ./stmrescue (default .)")
    ap.add_argument("--chips", default="stm32f446,stm32l476,stm32h753")
    ap.add_argument("--keep", help="keep boards, images and logs in this folder")
    a = ap.parse_args()
    sr = os.path.abspath(os.path.join(a.build, "stmrescue"))
    if not os.access(sr, os.X_OK):
        sys.exit("no %s: build first (./setup, or make)" % sr)
    for tool in ("st-flash", "openocd"):
        if not shutil.which(tool):
            sys.exit("%s is not installed (Debian stlink-tools, openocd; ./setup --deps)" % tool)
    work = a.keep or tempfile.mkdtemp(prefix="sr-bench-")
    os.makedirs(work, exist_ok=True)
    img = os.path.join(work, "img.bin")
    image(img)
    print("Program and verify 256 KiB at 0x08000000, factory-fresh virtual boards, "
          "ST-Link/V2-1 persona")
    print("%-10s %-32s %10s %8s %12s %9s" % ("chip", "tool", "virtual s", "x limit",
                                              "USB transact.", "wall s"))
    failed = False
    for chip in a.chips.split(","):
        ph = PHYSICS[chip]
        limit = ph["erase_s"] + ph["program_s"]
        tools = [
            ("stmrescue program", [sr, "program", img, "--base", "0x08000000"],
             "verified: OK"),
            ("stmrescue program --no-backup",
             [sr, "program", img, "--base", "0x08000000", "--no-backup"],
             "verified: OK"),
            ("st-flash write", ["st-flash", "write", img, "0x08000000"], "verified"),
            ("openocd program verify",
             ["openocd", "-f", "interface/stlink.cfg", "-f", ph["ocd_target"], "-c",
              "program %s 0x08000000 verify exit" % img], "Verified OK"),
        ]
        print("%-10s %-32s %10.2f %8s %12s %9s   (%s)" % (chip, "flash physics limit", limit,
                                                        "1.00", "-", "-", ph["note"]))
        for name, cmd, ok_text in tools:
            r = run_tool(a, sr, work, chip, name.split()[0] + str(len(cmd)), cmd, ok_text)
            failed |= not r["ok"]
            print("%-10s %-32s %10.2f %8.2f %12d %9.2f%s" % (
                chip, name, r["virtual"], r["virtual"] / limit, r["tx"], r["wall"],
                "" if r["ok"] else "   FAILED"))
    if not a.keep:
        shutil.rmtree(work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
