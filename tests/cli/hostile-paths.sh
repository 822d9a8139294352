# hostile-paths.sh — issue 15's confinement, limits and signals: a style or
# jobs file reads only inside its folders and writes only inside the output
# root, /vsi paths, URLs and VRTs are refused, long paths are errors, inputs
# and pages have limits, numeric options have ranges, a signal leaves no
# temporary, batch workers die with their parent, and errors say what is
# wrong where. Each case asserts the message, the exit status and that
# nothing was written where it must not be.
. "$(dirname "$0")/lib.sh"
BM=$BORDERMAP
STYLE="$BM_SOURCE_DIR/styles/central-asia.json"

# no_temporaries DIR: no hidden temporary of ours anywhere below DIR.
no_temporaries() {
    [ -z "$(find "$1" -name '.*.tmp-*')" ] || fail "temporaries left: $(find "$1" -name '.*.tmp-*')"
    pass
}

mkdir -p st other maps
cat >other/secret.geojson <<'EOF'
{"type": "FeatureCollection", "features": [{"type": "Feature",
 "properties": {"name": "SECRET-TEXT"}, "geometry": {"type": "Point", "coordinates": [70, 40]}}]}
EOF
cp other/secret.geojson st/own.geojson
# vector_style DATA: a style in st/ drawing the labelled points of DATA.
vector_style() {
    cat >st/s.json <<EOF
{"version": 8, "sources": {"x": {"type": "geojson", "data": "$1"}},
 "layers": [{"id": "x", "type": "symbol", "source": "x", "layout": {"text-field": "{name}"}}],
 "page": {"extent": [60, 35, 80, 45], "size": [600, 400]}}
EOF
}

# --- a style reads inside its folder, the data folders and --allow-path --
vector_style own.geojson
expect_status 0 "$BM" render st/s.json -o maps/own.svg
grep -q SECRET-TEXT maps/own.svg || fail "the style's own file was not drawn"
pass

vector_style ../other/secret.geojson
expect_status 2 "$BM" render st/s.json -o maps/escape.svg
expect_stderr "st/s.json: field 'sources.x.data': '$PWD/other/secret.geojson' is outside the folders this file may read"
expect_no_file maps/escape.svg
expect_status 2 "$BM" export --style st/s.json -o maps/escape.geojson
expect_stderr "is outside the folders this file may read"
expect_no_file maps/escape.geojson
expect_status 0 "$BM" render st/s.json --allow-path other -o maps/allowed.svg
grep -q SECRET-TEXT maps/allowed.svg || fail "--allow-path did not allow"
pass
expect_status 2 "$BM" render st/s.json --allow-path no-such-dir -o maps/x.svg
expect_stderr "no-such-dir: field '--allow-path': cannot resolve the folder: No such file or directory"

# an absolute path and a symbolic link are resolved before the check
vector_style "$PWD/other/secret.geojson"
expect_status 2 "$BM" render st/s.json -o maps/abs.svg
expect_stderr "is outside the folders this file may read"
ln -s ../other/secret.geojson st/link.geojson
vector_style link.geojson
expect_status 2 "$BM" render st/s.json -o maps/link.svg
expect_stderr "'$PWD/other/secret.geojson' is outside"
expect_no_file maps/link.svg

# virtual file systems, URLs and VRTs are refused before anything opens
for data in "/vsicurl/http://127.0.0.1:9/x.geojson" "/vsizip/$PWD/other/x.zip/a.geojson" \
    "http://127.0.0.1:9/x.geojson"; do
    vector_style "$data"
    expect_status 2 "$BM" render st/s.json -o maps/vsi.svg
    expect_stderr "GDAL virtual file systems and URLs are refused in a style or jobs file"
    expect_no_file maps/vsi.svg
done
cat >st/v.vrt <<EOF
<OGRVRTDataSource><OGRVRTLayer name="secret"><SrcDataSource>$PWD/other/secret.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>
EOF
vector_style v.vrt
expect_status 2 "$BM" render st/s.json -o maps/vrt.svg
expect_stderr "is a GDAL VRT, which may read any file or URL"
expect_no_file maps/vrt.svg

# a catalog source's data too; the folder of --catalog is allowed
printf 'event_date,country,location,latitude,longitude,event_type\n2020-01-01,Kyrgyzstan,Osh,40.5,72.8,Battles\n' >other/c.csv
sed 's|"type": "catalog"|"type": "catalog", "data": "../other/c.csv"|' "$STYLE" >st/cat.json
grep -q '"data": "../other/c.csv"' st/cat.json || fail "test set-up: no catalog source in $STYLE"
expect_status 2 "$BM" render st/cat.json --size 600x400 -o maps/cat.png
expect_stderr "field 'sources.incidents.data'"
expect_stderr "is outside the folders"
expect_status 0 "$BM" render st/cat.json --size 600x400 --catalog other/c.csv -o maps/cat.png

# --- jobs files: inputs confined, outputs inside the output root ---------
mkdir -p jobs
job() { echo "[{\"style\": \"$1\", \"overrides\": {\"size\": [600, 400]}, \"outputs\": [\"$2\"]}]" >jobs/j.json; }
for o in "$PWD/abs.png" "../escape.png" "a/../../escape.png" "/vsimem/x.png" "./../escape.png"; do
    job "$STYLE" "$o"
    expect_status 2 "$BM" batch jobs/j.json -q
    expect_stderr "jobs/j.json: field '\[0\].outputs\[0\]': '$o': outputs are relative paths inside the output root (jobs), without '..'"
done
[ -z "$(find . -name '*escape*' -o -name abs.png)" ] || fail "a jobs file wrote outside its root"
[ ! -d a ] && [ ! -d jobs/a ] || fail "a jobs file made a folder for a refused output"
pass
job "$STYLE" "series/ok.png"
expect_status 0 "$BM" batch jobs/j.json -q -o root
[ -f root/series/ok.png ] || fail "-o DIR: output not in the root"
pass
ln -s "$PWD/other" root/out
job "$STYLE" "out/sub/x.png"
expect_status 1 "$BM" batch jobs/j.json -q -o root
expect_stderr "root/out leads out of the output root root"
[ ! -e other/sub ] || fail "a folder was made through a link out of the root"
pass
job "/vsicurl/http://127.0.0.1:9/s.json" "x.png"
expect_status 2 "$BM" batch jobs/j.json -q
expect_stderr "field '\[0\].style': GDAL virtual file systems and URLs are refused in a jobs file"
cp st/s.json other/s.json
job "../other/s.json" "x.png"
expect_status 1 "$BM" batch jobs/j.json -q
expect_stderr "jobs/j.json: field '\[0\].style': '$PWD/other/s.json' is outside the folders"
expect_no_file jobs/x.png
vector_style ../other/secret.geojson
job "../st/s.json" "x.png"
expect_status 1 "$BM" batch jobs/j.json -q --allow-path st
expect_stderr "st/s.json: field 'sources.x.data': '$PWD/other/secret.geojson' is outside"
expect_no_file jobs/x.png

# long paths are errors, never cut to another name
long=$(python3 -c "print('d/' * 520 + 'x.png')")
job "$STYLE" "$long"
expect_status 2 "$BM" batch jobs/j.json -q
expect_stderr "field '\[0\].outputs\[0\]': too long (1023 bytes at most)"
[ ! -e jobs/d ] || fail "folders made for a path too long"
pass
expect_status 2 "$BM" render "$STYLE" -o "$(python3 -c "print('a' * 1100 + '.png')")"
expect_stderr "output path too long (1023 bytes at most)"
expect_status 2 "$BM" geocode "$(python3 -c "print('./' * 520 + 'c.csv')")"
expect_stderr "path too long (1023 bytes at most)"

# --- limits ---------------------------------------------------------------
BORDERMAP_MAX_INPUT_BYTES=1000000 expect_status 1 timeout 20 "$BM" geocode - </dev/zero
expect_stderr "bordermap: -: standard input holds more than the limit of 1000000 bytes (BORDERMAP_MAX_INPUT_BYTES)"
expect_status 1 timeout 20 "$BM" geocode /dev/zero
expect_stderr "/dev/zero: not a regular file (a device or socket is never read)"
BORDERMAP_MAX_INPUT_BYTES=100 expect_status 1 "$BM" geocode other/c.csv
expect_stderr "other/c.csv: $(stat -c %s other/c.csv) bytes, more than the limit of 100 (BORDERMAP_MAX_INPUT_BYTES)"
ln -s /dev/zero jobs/zero.csv
echo "[{\"style\": \"$STYLE\", \"catalog\": \"zero.csv\", \"outputs\": [\"z.png\"]}]" >jobs/z.json
expect_status 0 timeout 20 "$BM" batch jobs/z.json --dry-run
expect_status 1 timeout 20 "$BM" batch jobs/z.json -q
expect_stderr "'/dev/zero' is outside the folders"
expect_status 1 timeout 20 "$BM" batch jobs/z.json -q --allow-path /dev
expect_stderr "jobs/zero.csv: not a regular file"
expect_no_file jobs/z.png
python3 -c "
print('event_date,country,location,latitude,longitude,event_type')
for i in range(20): print(f'2020-01-01,Kyrgyzstan,Osh,40.{i},72.8,Battles')" >other/twenty.csv
BORDERMAP_MAX_FEATURES=10 expect_status 1 "$BM" geocode other/twenty.csv
expect_stderr "other/twenty.csv:12: more than the limit of 10 rows (BORDERMAP_MAX_FEATURES)"
vector_style own.geojson
python3 -c "
import json
print(json.dumps({'type': 'FeatureCollection', 'features': [{'type': 'Feature', 'properties': {'name': str(i)},
  'geometry': {'type': 'Point', 'coordinates': [70, 40]}} for i in range(1000)]}))" >st/own.geojson
BORDERMAP_MAX_FEATURES=1000 expect_status 0 "$BM" render st/s.json -o maps/thousand.svg
BORDERMAP_MAX_FEATURES=999 expect_status 1 "$BM" render st/s.json -o maps/three.svg
expect_stderr "st/own.geojson: 1000 features, more than the limit of 999 (BORDERMAP_MAX_FEATURES)"
expect_no_file maps/three.svg
BORDERMAP_MAX_PIXELS=1000000 expect_status 2 "$BM" render "$STYLE" --size 2000x1000 -o maps/big.png
expect_stderr "field 'page.size': 2000x1000 px is more than the limit of 1000000 pixels (BORDERMAP_MAX_PIXELS)"
expect_no_file maps/big.png
for v in 0 -5 abc 1e9 99999999999999999999; do
    BORDERMAP_MAX_PIXELS=$v expect_status 2 "$BM" render "$STYLE" -o maps/x.png
    expect_stderr "field 'BORDERMAP_MAX_PIXELS': expected a whole number from 1 to 2^53, got '$v'"
done

# --- numeric options have ranges ------------------------------------------
expect_status 2 "$BM" render "$STYLE" --size 100x100junk -o maps/x.png
expect_stderr "--size wants WIDTHxHEIGHT in pixels (16 to 20000), got '100x100junk'"
expect_status 2 "$BM" render "$STYLE" --size 15x400 -o maps/x.png
expect_stderr "(16 to 20000)"
for d in 0 23 2401 nan inf 1e400; do
    expect_status 2 "$BM" render "$STYLE" --dpi "$d" -o maps/x.png
    expect_stderr "--dpi wants a number from 24 to 2400, got '$d'"
done
for e in 80,30,60,40 60,40,80,30 -181,30,80,40 60,30,80,86 nan,30,80,40 60,30,80; do
    expect_status 2 "$BM" render "$STYLE" --extent "$e" -o maps/x.png
    expect_stderr "--extent wants MINLON,MINLAT,MAXLON,MAXLAT in degrees with min < max, longitudes -180 to 180, latitudes -85 to 85, got '$e'"
done
for j in 0 1025 -1 2x; do
    expect_status 2 "$BM" batch jobs/j.json -j "$j"
    expect_stderr "-j wants 1 to 1024 workers, got '$j'"
done
expect_no_file maps/x.png

# --- errors that misled -----------------------------------------------------
BORDERMAP_GEODATA=$PWD/no-geodata expect_status 1 "$BM" geocode --query Osh
expect_stderr "no-geodata/gazetteer.tsv: cannot read embedded data: no such file (is BORDERMAP_DATA or BORDERMAP_GEODATA right?)"
expect_status 1 "$BM" geocode --query Osh --gazetteer no-such.txt
expect_stderr "no-such.txt: cannot read: no such file$"
echo '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [70, 40]}}]}' >st/bare.geojson
vector_style bare.geojson
expect_status 1 "$BM" render st/s.json -o maps/bare.svg
expect_stderr "bordermap: st/bare.geojson: the features have no attribute fields, but st/s.json reads 'name' (layers\[0\].layout.text-field)"
echo '{"type": "FeatureCollection", "features": []}' >st/bare.geojson
expect_status 0 "$BM" render st/s.json -o maps/empty.svg
(trap '' XFSZ; ulimit -f 40; exec "$BM" export -o maps/full.gpkg) >out.txt 2>err
[ $? -eq 1 ] || fail "a full GeoPackage did not exit 1: $(cat err)"
expect_stderr "bordermap: maps/full.gpkg: cannot create GPKG dataset: .*disk I/O error"
expect_no_file maps/full.gpkg

# --- signals: no temporary survives, the final name never appears --------
python3 -c "
import random
random.seed(1)
print('event_id_cnty,event_date,event_type,country,admin1,location,latitude,longitude,fatalities')
for i in range(300000):
    print(f'X{i},2020-01-01,Battles,Kyrgyzstan,Osh,Place {i},{40 + random.random():.4f},{72 + random.random():.4f},0')" >big.csv
# interrupt SIGNAL STATUS OUT CMD...: starts CMD, waits for its temporary
# beside OUT, sends SIGNAL and checks the exit status and the folder.
# A shell starts background commands with SIGINT ignored, which bordermap
# respects; python restores the default first.
interrupt() {
    local sig=$1 want=$2 out=$3
    shift 3
    python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
        "$@" >/dev/null 2>err &
    local pid=$! i
    for i in $(seq 300); do
        [ -n "$(find "$(dirname "$out")" -name '.*.tmp-*')" ] && break
        sleep 0.1
    done
    [ -n "$(find "$(dirname "$out")" -name '.*.tmp-*')" ] || fail "no temporary appeared for $out"
    kill -"$sig" "$pid"
    wait "$pid"
    local got=$?
    [ "$got" -eq "$want" ] || fail "$* after SIG$sig exited $got, wanted $want"
    expect_no_file "$out"
    no_temporaries "$(dirname "$out")"
}
mkdir -p sig
interrupt TERM 143 sig/g.geojson "$BM" geocode big.csv -o sig/g.geojson --quiet
interrupt INT 130 sig/g.gpkg "$BM" geocode big.csv -o sig/g.gpkg --quiet
interrupt HUP 129 sig/g.geojson "$BM" geocode big.csv -o sig/g.geojson --quiet
head -40001 big.csv >mid.csv
interrupt TERM 143 sig/r.svg "$BM" render "$BM_SOURCE_DIR/styles/series-country.json" \
    --catalog mid.csv -o sig/r.svg --quiet

# a batch parent killed outright takes its workers with it
mkdir -p pd
cp mid.csv pd/c.csv
echo "[{\"style\": \"$BM_SOURCE_DIR/styles/series-country.json\", \"catalog\": \"c.csv\", \"outputs\": [\"a.svg\"]}]" >pd/j.json
"$BM" batch pd/j.json -q -j 1 2>/dev/null &
parent=$!
for i in $(seq 300); do
    worker=$(pgrep -P "$parent") && break
    sleep 0.1
done
[ -n "$worker" ] || fail "no batch worker started"
kill -KILL "$parent"
wait "$parent" 2>/dev/null
for i in $(seq 20); do
    state=$(ps -o stat= -p "$worker" 2>/dev/null)
    case "$state" in "" | Z*) break ;; esac
    sleep 0.1
done
case "$state" in "" | Z*) pass ;; *) kill -KILL "$worker"; fail "worker $worker outlived its parent by 2 s ($state)" ;; esac
expect_no_file pd/a.svg

done_checks
