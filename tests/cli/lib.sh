# Shared helpers for the command-line tests (sourced). Each check prints ok/FAIL;
# the script exits non-zero when any check failed.
set -u
top_builddir=${SR_TOP_BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
top_srcdir=${SR_TOP_SRCDIR:-$top_builddir}
SR="$top_builddir/stmrescue"
export STMRESCUE_DATADIR=${STMRESCUE_DATADIR:-$top_srcdir}
tmp=$(mktemp -d /tmp/sr-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# probe locks of this test only (tests run in parallel with the same virtual serials)
export XDG_RUNTIME_DIR="$tmp"
n_ok=0
n_fail=0

# run ARGS...: run stmrescue, keep stdout in $tmp/out, stderr in $tmp/err, status in $rc
run() {
	rc=0
	"$SR" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

ok() { n_ok=$((n_ok + 1)); echo "ok - $*"; }
bad() {
	n_fail=$((n_fail + 1))
	echo "FAIL - $*"
	echo "  stdout:"; sed 's/^/    /' "$tmp/out" | head -40
	echo "  stderr:"; sed 's/^/    /' "$tmp/err" | head -20
}

expect_rc() { if [ "$rc" -eq "$1" ]; then ok "$2 (exit $1)"; else bad "$2: exit $rc, wanted $1"; fi; }
expect_out() { if grep -q -- "$1" "$tmp/out"; then ok "$2"; else bad "$2: stdout lacks '$1'"; fi; }
expect_no_out() { if grep -q -- "$1" "$tmp/out"; then bad "$2: stdout has '$1'"; else ok "$2"; fi; }
expect_err() { if grep -q -- "$1" "$tmp/err"; then ok "$2"; else bad "$2: stderr lacks '$1'"; fi; }
# expect_json FILTER: a python expression over the parsed document `d` that must be true
expect_json() {
	if python3 -c "import json,sys; d=json.load(open('$tmp/out')); sys.exit(0 if ($1) else 1)" 2>/dev/null; then
		ok "$2"
	else
		bad "$2: JSON check failed: $1"
	fi
}

finish() {
	echo "$n_ok passed, $n_fail failed"
	[ "$n_fail" -eq 0 ]
}
