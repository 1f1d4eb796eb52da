# Shared by tests/sim/conformance-*.sh: run real clients (stlink-tools, openocd)
# through the libusb-1.0 drop-in against a virtual board in a temporary directory.
# A missing client is a failure with a clear message, never a silent skip.
set -u
top_srcdir=${SR_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${SR_TOP_BUILDDIR:-$top_srcdir}
shimdir=$top_builddir/src/sim/.libs
mkboard=$top_builddir/tests/sim/mkboard
work=$(mktemp -d "${TMPDIR:-/tmp}/sr-conformance.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0 passes=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; passes=$((passes + 1)); }
# (the count line is the one .ci/count.py adds up)
finish() { echo "$passes passed, $failures failed"; [ "$failures" -eq 0 ] || exit 1; exit 0; }

# need TOOL PACKAGE: the client must be installed (CI installs it).
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "FAIL: '$1' is not installed; install the Debian package '$2' (./setup --deps does)"
	exit 1
}

[ -e "$shimdir/libusb-1.0.so.0" ] || {
	echo "FAIL: the libusb drop-in $shimdir/libusb-1.0.so.0 was not built"
	exit 1
}

# A sanitizer build's drop-in needs its runtimes loaded first into clients built without them.
preload=""
for rt in asan ubsan; do
	if ldd "$shimdir/libusb-1.0.so.0" 2>/dev/null | grep -q "lib$rt\.so"; then
		preload="$preload $(${CC:-cc} -print-file-name=lib$rt.so)"
	fi
done

# new_board FILE CHIP [KEY=VALUE ...]: a factory-fresh board, then [probe] keys set.
new_board() {
	file=$1 chip=$2
	shift 2
	"$mkboard" "$chip" "$file" >"$work/new.log" 2>&1 || {
		echo "FAIL: could not make a $chip board:"
		cat "$work/new.log"
		exit 1
	}
	[ $# -eq 0 ] || python3 - "$file" "$@" <<'PY'
import sys
path, pairs = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
lines = open(path).read().splitlines()
sec, start, end = None, None, None
for i, l in enumerate(lines):
    s = l.strip()
    if s.startswith("[") and s.endswith("]"):
        if sec == "probe":
            end = i
        sec = s[1:-1].strip()
        if sec == "probe":
            start = i
if start is None:
    lines += ["", "[probe]"]
    start, end = len(lines) - 1, len(lines)
elif end is None:
    end = len(lines)
keys = {k.strip() for k, _ in pairs}
body = [l for l in lines[start + 1:end] if l.split("=", 1)[0].strip() not in keys]
body = [l for l in body if l.strip()] + ["%s = %s" % (k, v) for k, v in pairs] + [""]
open(path, "w").write("\n".join(lines[:start + 1] + body + lines[end:]) + "\n")
PY
}

# sim STATE COMMAND...: run a client with the drop-in in place of libusb.
sim() {
	state=$1
	shift
	LD_LIBRARY_PATH="$shimdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" LD_PRELOAD="$preload" \
		ASAN_OPTIONS=detect_leaks=0 STMRESCUE_SIM="$state" \
		STMRESCUE_SIM_STATS="$work/stats" "$@"
}

# edit_state FILE SECTION.KEY=VALUE... SECTION.-KEY...: set keys (which must exist) and
# delete keys of a board state file.
edit_state() {
	python3 - "$@" <<'PY'
import sys
path, edits = sys.argv[1], sys.argv[2:]
sets = dict(e.split("=", 1) for e in edits if "=" in e)
dels = {e.replace(".-", ".", 1) for e in edits if "=" not in e}
out, cur, done = [], None, set()
for l in open(path).read().splitlines():
    s = l.strip()
    if s.startswith("[") and s.endswith("]"):
        cur = s[1:-1].strip()
    elif "=" in s and cur:
        name = "%s.%s" % (cur, s.split("=", 1)[0].strip())
        if name in dels:
            done.add(name)
            continue
        if name in sets:
            l = "%s = %s" % (name.split(".", 1)[1], sets[name])
            done.add(name)
    out.append(l)
missing = (set(sets) | dels) - done
assert not missing, "%s: no %s" % (path, ", ".join(sorted(missing)))
open(path, "w").write("\n".join(out) + "\n")
PY
}

# state_get FILE SECTION.KEY: print a key of a board state file.
state_get() {
	awk -v sec="${2%%.*}" -v key="${2#*.}" '
		/^\[.*\]$/ { cur = substr($0, 2, length($0) - 2); next }
		cur == sec && $1 == key && $2 == "=" { print $3; exit }' "$1"
}

. "$top_srcdir/tests/sim/conformance-matrix.sh"
