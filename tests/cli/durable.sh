#!/bin/bash
# durable.sh — outputs on a full disk: every format and standard output
# fail with a clear error and a non-zero status, the final name keeps what
# it held before, and no temporary file is left. The disk fills up through
# the file-size limit (ulimit -f, with SIGXFSZ ignored, so a write fails
# with EFBIG as on a full file system) and /dev/full (ENOSPC).
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?}"
SEED=$BM_SOURCE_DIR/geodata/catalog.csv
STYLE=$BM_SOURCE_DIR/styles/central-asia.json

# limited KB CMD...: CMD with files limited to KB kilobytes.
limited() {
    local kb=$1
    shift
    (trap '' XFSZ; ulimit -f "$kb"; exec "$@")
}

for out in geocoded.geojson geocoded.gpkg; do
    echo "old content" >"$out"
    limited 8 "$BORDERMAP" geocode "$SEED" -o "$out" --quiet >/dev/null 2>err
    [ $? -eq 1 ] || fail "geocode -o $out on a full disk did not fail: $(cat err)"
    grep -q "$out" err || fail "the error does not name $out: $(cat err)"
    [ "$(cat "$out")" = "old content" ] || fail "$out was changed by a failed write"
    ls -a | grep -q '\.tmp-' && fail "temporary file left after $out"
    case $out in
    *.geojson) grep -q "$out: writing failed: File too large" err || fail "no reason: $(cat err)" ;;
    esac
    pass
done

for out in map.png map.svg map.pdf; do
    echo "old content" >"$out"
    limited 16 "$BORDERMAP" render "$STYLE" --catalog "$SEED" -o "$out" --quiet >/dev/null 2>err
    [ $? -ne 0 ] || fail "render -o $out on a full disk did not fail"
    [ "$(cat "$out")" = "old content" ] || fail "$out was changed by a failed write"
    ls -a | grep -q '\.tmp-' && fail "temporary file left after $out"
    pass
done

# Standard output on a full device, and cut short by the file-size limit.
"$BORDERMAP" geocode "$SEED" -o - --quiet >/dev/full 2>err
[ $? -eq 1 ] || fail "geocode to /dev/full did not fail"
grep -q "standard output: writing failed: No space left on device" err || fail "$(cat err)"
pass
limited 8 "$BORDERMAP" geocode "$SEED" -o - --quiet >cut.geojson 2>err
[ $? -eq 1 ] || fail "geocode to a full stdout file did not fail"
pass
limited 8 "$BORDERMAP" frontiers -o - >cut.geojson 2>err
[ $? -eq 1 ] || fail "frontiers to a full stdout did not fail"
pass

# With room, the same commands write whole files (the limit is not the cause).
limited 100000 "$BORDERMAP" geocode "$SEED" -o whole.geojson --quiet || fail "no room?"
ogrinfo -ro -so -q whole.geojson >/dev/null || fail "ogrinfo cannot read the output"
pass

# Temporaries a killed run left are removed by the next run for that output;
# a running process's are not.
sleep 0 &
dead=$!
wait "$dead"
touch ".stale.tmp-$dead-AbCdEf.geojson" ".stale.tmp-$dead-GhIjKl.gpkg-journal" \
    ".stale.tmp-$$-MnOpQr.geojson" ".other.tmp-$dead-StUvWx.geojson"
"$BORDERMAP" geocode "$SEED" -o stale.geojson --quiet || fail "geocode failed"
[ -e ".stale.tmp-$dead-AbCdEf.geojson" ] && fail "a dead run's temporary was left"
[ -e ".stale.tmp-$$-MnOpQr.geojson" ] || fail "a live process's temporary was removed"
[ -e ".other.tmp-$dead-StUvWx.geojson" ] || fail "another output's temporary was removed"
"$BORDERMAP" geocode "$SEED" -o stale.gpkg --quiet || fail "geocode failed"
[ -e ".stale.tmp-$dead-GhIjKl.gpkg-journal" ] && fail "a dead run's journal was left"
pass

done_checks
