# lib.sh — helpers for the installation tests: each works in a fresh
# scratch directory and fails on the first broken check.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
CHECKS=0
unset BORDERMAP_DATA BORDERMAP_GEODATA

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

pass() {
    CHECKS=$((CHECKS + 1))
}

done_checks() {
    echo "$CHECKS passed, 0 failed"
}

# expect_png FILE STYLE: FILE is a PNG of the page size STYLE sets.
expect_png() {
    python3 - "$1" "$2" <<'PY' || fail "$1 is not a PNG of the size $2 sets"
import json, struct, sys
head = open(sys.argv[1], "rb").read(24)
size = list(json.load(open(sys.argv[2]))["page"]["size"])
ok = head[:8] == b"\x89PNG\r\n\x1a\n" and list(struct.unpack(">II", head[16:24])) == size
sys.exit(0 if ok else 1)
PY
    pass
}
