# batch.sh — `bordermap batch`: failures with and without --keep-going,
# up-to-date skipping, interruption, shards, reproducible outputs, and the
# geocode | render pipeline.
. "$(dirname "$0")/lib.sh"
STYLE="$BM_SOURCE_DIR/styles/central-asia.json"

# jobs N SIZE [BAD_INDEX]: a jobs file of N maps of the Central Asia style.
jobs() {
    python3 - "$@" <<EOF
import json, sys
n, size = int(sys.argv[1]), [int(x) for x in sys.argv[2].split("x")]
bad = int(sys.argv[3]) if len(sys.argv) > 3 else -1
years = ["2014", "2015", "2016", "2017"]
print(json.dumps({"defaults": {"style": "$STYLE", "overrides": {"size": size}},
    "jobs": [{"name": f"m{i:02d}", "outputs": [f"maps/m{i:02d}.png"],
              **({"style": "missing-style.json"} if i == bad else {}),
              "overrides": {"title": f"Map {i}", "filter": {"from": years[i % 4], "to": years[i % 4]}}}
             for i in range(n)]}, indent=1))
EOF
}

# json_field FILE KEY: a top-level number of a --json summary.
json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

# complete_png FILE: PNG signature first and the IEND chunk last.
complete_png() {
    python3 -c "
import sys; d = open(sys.argv[1], 'rb').read()
sys.exit(0 if d[:8] == b'\x89PNG\r\n\x1a\n' and d[-12:] == bytes.fromhex('0000000049454e44ae426082') else 1)" "$1"
}

# --keep-going: one bad job fails, the others are rendered, exit 1.
jobs 6 600x400 2 >keep.json
expect_status 1 "$BORDERMAP" batch keep.json -j 2 --keep-going --json
expect_stderr "missing-style.json"
[ "$(json_field out rendered)" -eq 5 ] && [ "$(json_field out failed)" -eq 1 ] || fail "keep-going: $(cat out)"
for i in 00 01 03 04 05; do complete_png maps/m$i.png || fail "m$i.png not rendered"; done
expect_no_file maps/m02.png

# Without it, no job starts after the first failure.
rm -rf maps
expect_status 1 "$BORDERMAP" batch keep.json -j 1 --json
[ "$(json_field out rendered)" -eq 2 ] && [ "$(json_field out not_run)" -eq 3 ] || fail "stop after failure: $(cat out)"
[ ! -e maps/m03.png ] || fail "a job ran after the failure"
pass

# A second run with nothing changed skips every job; a changed input does not.
rm -rf maps
jobs 4 600x400 >ok.json
expect_status 0 "$BORDERMAP" batch ok.json -j 2
expect_status 0 "$BORDERMAP" batch ok.json -j 2 --json
[ "$(json_field out skipped)" -eq 4 ] && [ "$(json_field out rendered)" -eq 0 ] || fail "second run: $(cat out)"
expect_status 0 "$BORDERMAP" batch ok.json --dry-run
expect_stderr "4 up to date"
# A job name reaches the terminal with its control characters escaped.
sed 's/"name": "m00"/"name": "m00\\u001b]0;pwned\\u0007"/' ok.json >esc.json
expect_status 0 "$BORDERMAP" batch esc.json --dry-run
grep -q "$(printf '\033')" out err && fail "a raw escape character reached the terminal"
grep -qF 'm00\x1B]0;pwned\x07' out err || fail "job name not escaped: $(cat out err)"
pass
sed 's/"Map 1"/"Map one"/' ok.json >ok2.json && mv ok2.json ok.json
expect_status 0 "$BORDERMAP" batch ok.json --json
[ "$(json_field out rendered)" -eq 1 ] || fail "changed job not re-rendered: $(cat out)"
rm maps/m03.png
expect_status 0 "$BORDERMAP" batch ok.json --json
[ "$(json_field out rendered)" -eq 1 ] || fail "missing output not re-rendered: $(cat out)"
expect_status 0 "$BORDERMAP" batch ok.json --force --json
[ "$(json_field out rendered)" -eq 4 ] || fail "--force: $(cat out)"
pass

# Shards 1/3, 2/3, 3/3 render exactly the full set, without overlap.
rm -rf maps
jobs 7 600x400 >shards.json
for k in 1 2 3; do
    expect_status 0 "$BORDERMAP" batch shards.json --shard $k/3 --json
    python3 -c "import json,sys; [print(j['name']) for j in json.load(open(sys.argv[1]))['jobs'] if j['status'] == 'done']" out >>rendered
done
[ "$(sort rendered | tr '\n' ' ')" = "m00 m01 m02 m03 m04 m05 m06 " ] || fail "shards rendered: $(sort rendered | tr '\n' ' ')"
[ "$(ls maps/*.png | wc -l)" -eq 7 ] || fail "shard outputs"
expect_status 2 "$BORDERMAP" batch shards.json --shard 4/3
pass

# Identical inputs, identical bytes (SVG here; GeoJSON in export.sh).
cat >svg.json <<EOF
[{"name": "a", "style": "$STYLE", "overrides": {"size": [600, 400]}, "outputs": ["svg/a.svg"]},
 {"name": "b", "style": "$STYLE", "overrides": {"size": [600, 400]}, "outputs": ["svg/b.svg"]}]
EOF
expect_status 0 "$BORDERMAP" batch svg.json -j 2
cmp -s svg/a.svg svg/b.svg || fail "identical jobs gave different SVG"
cp svg/a.svg first.svg
expect_status 0 "$BORDERMAP" batch svg.json --force
cmp -s svg/a.svg first.svg || fail "SVG differs between runs"
pass

# Killed midway: no temporary left and every output a complete PNG.
rm -rf maps
jobs 24 1500x1000 >big.json
"$BORDERMAP" batch big.json -j 2 --quiet >/dev/null 2>killed.err &
pid=$!
sleep 2
kill -TERM $pid
wait $pid
status=$?
[ "$status" -eq 1 ] || fail "interrupted batch exited $status"
ls -a maps | grep -q '\.tmp-' && fail "temporary files left: $(ls -a maps)"
n=0
for f in maps/*.png; do
    [ -e "$f" ] || continue
    complete_png "$f" || fail "$f is not a complete PNG"
    n=$((n + 1))
done
[ "$n" -lt 24 ] || fail "the batch finished before it was killed"
sleep 1
pgrep -f "batch big.json" >/dev/null && fail "workers outlived the batch"
pass

# Bad jobs files: usage errors naming the file and the JSON path.
echo '{"jobs": [{"style": "s.json", "outputs": ["a.png"], "overrides": {"extent": [1, 2, 3]}}]}' >bad.json
expect_status 2 "$BORDERMAP" batch bad.json
expect_stderr "bad.json"
expect_stderr "jobs\[0\].overrides.extent"
printf '[{"style": "s.json",\n "outputs": ["a.png"],,]' >syntax.json
expect_status 2 "$BORDERMAP" batch syntax.json
expect_stderr "syntax.json:2"
expect_status 1 "$BORDERMAP" batch nonexistent.json
expect_status 2 "$BORDERMAP" batch ok.json -j 0

# Pipelines: geocode to stdout, render from stdin.
"$BORDERMAP" geocode "$BM_SOURCE_DIR/geodata/catalog.csv" -o - 2>/dev/null |
    "$BORDERMAP" render "$STYLE" --catalog - --size 600x400 -o map.svg 2>err ||
    fail "geocode | render: $(cat err)"
grep -q '<svg' map.svg || fail "pipeline SVG"
pass
done_checks
