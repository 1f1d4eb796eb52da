# Power lost while stmrescue programs the option bytes ([faults] power_loss_during_ob):
# the failed write explained, and what info and ob show then report (G474, H753).
TESTS += tests/flash/test-cmd-ob-powerloss.sh
EXTRA_DIST += tests/flash/test-cmd-ob-powerloss.sh
