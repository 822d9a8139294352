# lib.sh — helpers for the CLI tests. Each test script sources this file,
# works in a fresh scratch directory and fails on the first broken check.
set -u
: "${BORDERMAP:?path to the bordermap binary}"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH" || exit 1
CHECKS=0

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

pass() {
    CHECKS=$((CHECKS + 1))
}

# expect_status N CMD... : run CMD, capturing stdout/stderr in out/err.
expect_status() {
    local want=$1
    shift
    "$@" >out 2>err
    local got=$?
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, wanted $want; stderr: $(cat err)"
    pass
}

expect_stderr() {
    grep -q -- "$1" err || fail "stderr lacks '$1': $(cat err)"
    pass
}

expect_no_file() {
    [ ! -e "$1" ] || fail "$1 should not exist"
    ls -a "$(dirname "$1")" | grep -q '\.tmp-' && fail "temporary file left in $(dirname "$1")"
    pass
}

done_checks() {
    echo "$CHECKS passed, 0 failed"
}
