#!/usr/bin/env python3
"""Add up the checks run by every test program of the given build directories.

A test log counts its own checks when it reports them (cmocka's [ PASSED ] / [ FAILED ]
lines, or our shell tests' "N passed, N failed"); otherwise the program counts as one.
"""
import glob
import os
import re
import sys

passed = failed = 0
for build in sys.argv[1:]:
    for trs in glob.glob(os.path.join(build, "**", "*.trs"), recursive=True):
        log = trs[:-4] + ".log"
        text = open(log, errors="replace").read() if os.path.exists(log) else ""
        result = open(trs).read()
        ok = ":test-result: PASS" in result
        m = re.findall(r"^(\d+) passed, (\d+) failed$", text, re.M)
        cp = re.findall(r"\[  PASSED  \] (\d+) test", text)
        cf = re.findall(r"\[  FAILED  \] (\d+) test", text)
        if m:
            p, f = int(m[-1][0]), int(m[-1][1])
        elif cp or cf:
            p, f = sum(map(int, cp)), sum(map(int, cf))
        else:
            p, f = (1, 0) if ok else (0, 1)
        if not ok and f == 0:
            f = 1
        passed += p
        failed += f
print(f"tests: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
