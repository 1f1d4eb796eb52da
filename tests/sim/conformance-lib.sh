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
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
finish() { [ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }; exit 0; }

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
