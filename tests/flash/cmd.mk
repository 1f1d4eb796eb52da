TESTS += tests/flash/test-cmd-f2.sh
EXTRA_DIST += tests/flash/test-cmd-f2.sh
