TESTS += tests/flash/test-cmd-f2.sh
EXTRA_DIST += tests/flash/test-cmd-f2.sh
TESTS += tests/flash/test-cmd-rdp.sh
EXTRA_DIST += tests/flash/test-cmd-rdp.sh
