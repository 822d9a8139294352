#!/bin/bash
# progress.sh — long commands show a progress line on a terminal and
# nothing of it in a pipe or with --quiet.
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?}"
command -v script >/dev/null || fail "script(1) is missing (util-linux)"
python3 "$BM_SOURCE_DIR/tests/bench/gen_acled.py" 100000 events.csv || fail "cannot generate the catalog"
STYLE=$BM_SOURCE_DIR/styles/central-asia.json

# on_tty CMD...: runs CMD under a pseudo-terminal, its output in tty.out.
on_tty() {
    script -qec "$(printf '%q ' "$@")" /dev/null >tty.out 2>&1 || fail "under a terminal: $* failed: $(cat tty.out)"
}

for cmd in geocode render export; do
    case $cmd in
    geocode) args=(geocode events.csv -o out.geojson) ;;
    render) args=(render "$STYLE" --catalog events.csv -o out.png) ;;
    export) args=(export --catalog events.csv --layers incidents -o out.gpkg) ;;
    esac
    on_tty "$BORDERMAP" "${args[@]}"
    grep -q "bordermap $cmd: [0-9,]* / 100,000 rows ([0-9]*%), [0-9,]* rows/s" tty.out ||
        fail "$cmd: no progress on a terminal: $(tr '\r' '\n' <tty.out | head -5)"
    grep -q $'\r' tty.out || fail "$cmd: progress not redrawn in place"
    pass
    on_tty "$BORDERMAP" "${args[@]}" --quiet
    grep -q "rows/s" tty.out && fail "$cmd: progress despite --quiet"
    pass
    expect_status 0 "$BORDERMAP" "${args[@]}"
    grep -q "rows/s" err && fail "$cmd: progress in a pipe"
    grep -q $'\r' err && fail "$cmd: carriage return in a pipe"
    expect_stderr "100000 rows read = 100000 placed"
done

done_checks
