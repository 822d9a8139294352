#!/bin/bash
# malformed.sh — files that GDAL's lenient CSV reader would let through
# half-read: each is an error naming the file, the physical line and the
# field, with nothing written; with --skip-bad-rows each bad row is named
# and counted and the rest is written. Empty inputs are valid.
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?}"
STYLE=$BM_SOURCE_DIR/styles/central-asia.json
HEADER=event_id_cnty,event_date,event_type,country,location,latitude,longitude,notes
row() { echo "$1,2022-01-0$2,Battles,Tajikistan,Kulob,37.9,69.7,fine"; }

# A notes field that opens a quote and never closes it (line 3), a row
# with one field (line 5), and three good rows around them.
{
    echo "$HEADER"
    row A1 1
    echo 'A2,2022-01-02,Battles,Tajikistan,Kulob,37.9,69.7,"runaway'
    row A3 3
    echo "A4"
    row A5 5
} >runaway.csv
# A NUL byte in a location (line 2), a duplicated column name, a bad date.
printf '%s\nN1,2022-01-01,Battles,Tajikistan,Kul\0ob,,,x\n' "$HEADER" >nul.csv
printf 'event_id_cnty,location,Location\nD1,Kulob,Kulob\n' >dup.csv
printf '%s\nB1,2022-02-30,Battles,Tajikistan,Kulob,37.9,69.7,x\n' "$HEADER" >date.csv

strict() { # strict FILE PATTERN: each command fails with PATTERN and writes nothing
    local file=$1 pattern=$2
    expect_status 1 "$BORDERMAP" geocode "$file" -o out.geojson
    expect_stderr "$pattern"
    expect_no_file out.geojson
    expect_status 1 "$BORDERMAP" render "$STYLE" --catalog "$file" -o out.png
    expect_stderr "$pattern"
    expect_no_file out.png
    expect_status 1 "$BORDERMAP" export --catalog "$file" -o out.gpkg
    expect_stderr "$pattern"
    expect_no_file out.gpkg
}
strict runaway.csv "runaway.csv:3: field 'notes': unterminated quote (2 bad rows in all; --skip-bad-rows leaves them out)"
strict nul.csv "nul.csv:2: field 'location': NUL byte"
strict dup.csv "dup.csv:1: field 'Location': duplicate column name"
strict date.csv "date.csv:2: field 'event_date': '2022-02-30' is not a date"

# --skip-bad-rows: named, counted, the rest written, the sums right.
expect_status 0 "$BORDERMAP" geocode runaway.csv --skip-bad-rows -o out.geojson
expect_stderr "runaway.csv:3: field 'notes': unterminated quote; row left out"
expect_stderr "runaway.csv:5: 1 field where the header has 8; row left out"
expect_stderr "5 rows read = 3 placed + 0 unresolved + 2 rejected + 0 filtered out; 3 written"
[ "$(grep -o '"event_id_cnty": "A[0-9]"' out.geojson | tr '\n' ' ')" = '"event_id_cnty": "A1" "event_id_cnty": "A3" "event_id_cnty": "A5" ' ] ||
    fail "wrong rows kept: $(grep -o '"event_id_cnty": "A[0-9]"' out.geojson)"
pass
for cmd in render export; do
    case $cmd in
    render) expect_status 0 "$BORDERMAP" render "$STYLE" --catalog runaway.csv --skip-bad-rows -o out.png --json ;;
    export) expect_status 0 "$BORDERMAP" export --catalog runaway.csv --skip-bad-rows --layers incidents -o out.gpkg --json ;;
    esac
    python3 - out <<'EOF' || fail "$cmd --json: $(cat out)"
import json, sys
j = json.load(open(sys.argv[1]))
assert (j["rows_read"], j["placed"], j["rejected"]) == (5, 3, 2), j
assert [r["line"] for r in j["rejected_rows"]] == [3, 5], j["rejected_rows"]
assert j["rejected_rows"][0]["field"] == "notes"
EOF
    pass
done
expect_status 0 "$BORDERMAP" geocode date.csv --skip-bad-rows -o out.geojson
expect_stderr "date.csv:2: field 'event_date': '2022-02-30' is not a date"
expect_stderr "1 rows read = 0 placed + 0 unresolved + 1 rejected"

# Valid and empty: a header-only CSV and an empty FeatureCollection.
echo "$HEADER" >header-only.csv
printf '{"type": "FeatureCollection", "features": []}\n' >empty.geojson
for f in header-only.csv empty.geojson; do
    expect_status 0 "$BORDERMAP" geocode "$f" -o "$f.out.geojson"
    expect_stderr "warning: $f has no rows"
    expect_stderr "0 rows read = 0 placed"
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["features"] == []' "$f.out.geojson" ||
        fail "$f: output is not an empty FeatureCollection"
    pass
done

done_checks
