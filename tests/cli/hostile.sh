#!/bin/bash
# hostile.sh — issue 15's hostile inputs, one case per problem class, each
# with its exact outcome: the error (text and exit status) or a correct
# result; never a crash, undefined behaviour (the sanitizer build halts on
# the first error) or a hang (every run under `timeout`). Classes: absurd
# style values, maps with nothing to sort (tiny extent, pole), frontier
# options and boundaries, extents and CRSs the default projection or a map
# cannot take, damaged embedded data, control characters and expressions
# reaching QGIS styles.
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?}"
STYLE=$BM_SOURCE_DIR/styles/central-asia.json
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1

# run N CMD...: CMD exits N within 120 s, and no sanitizer spoke.
run() {
    local want=$1
    shift
    timeout 120 "$@" >out 2>err
    local got=$?
    [ "$got" -ne 124 ] || fail "'$*' hung (killed after 120 s)"
    grep -qE "runtime error|AddressSanitizer|LeakSanitizer" err &&
        fail "'$*': sanitizer report: $(head -5 err)"
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, wanted $want; stderr: $(cat err)"
    pass
}

# style NAME PYTHON: the Central Asia style with PYTHON applied to s.
style() {
    python3 - "$STYLE" "$1.json" "$2" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
layer = {l["id"]: l for l in s["layers"]}
exec(sys.argv[3])
json.dump(s, open(sys.argv[2], "w"))
EOF
}

# refused NAME PYTHON MESSAGE: the style is refused on load (exit 2) with
# MESSAGE, and no map is written.
refused() {
    style "$1" "$2"
    run 2 "$BORDERMAP" render "$1.json" -o "$1.png" --size 400x300
    expect_stderr "$3"
    expect_no_file "$1.png"
}

# ---- absurd style values: each range is checked on load with its JSON path
refused step 's["page"]["graticule"] = {"step": 0.001}' \
    "step.json: field 'page.graticule.step': expected a number from 0.1 to 90"
refused radius 'layer["bases"]["paint"]["circle-radius"] = 1e100' \
    "field 'layers\[8\].paint.circle-radius': expected numbers from 0 to 200"
refused margins 's["page"]["margins"] = [-1000000, 30, 40, 30]' \
    "field 'page.margins': expected margins of 0 pixels or more"
refused textsize 'layer["country-names"]["layout"]["text-size"] = 1e300' \
    "field 'layers\[7\].layout.text-size': expected a number from 1 to 200"
refused nan 'layer["land"]["paint"]["fill-color"] = "rgb(nan,nan,nan)"' \
    "field 'layers\[0\].paint.fill-color': expected a colour"

# ---- nothing to sort: no legend entry, no label (qsort of an empty array)
run 0 "$BORDERMAP" render "$STYLE" -o tiny.png --size 400x300 --extent 66,38,66.0001,38.0001
[ -s tiny.png ] || fail "tiny extent: no map"
run 0 "$BORDERMAP" render "$STYLE" -o pole.png --size 400x300 --extent -180,80,180,85
[ -s pole.png ] || fail "pole: no map"

# ---- frontiers: bounded tolerance, ISO codes as given, no self frontier
run 2 "$BORDERMAP" frontiers --tolerance 100000 -o fr.geojson
expect_stderr "tolerance wants metres, more than 0 and at most 10000, got '100000'"
run 2 "$BORDERMAP" frontiers --countries A1b,AFG -o fr.geojson
expect_stderr "countries wants ISO alpha-3 codes, got 'A1b'"
run 2 "$BORDERMAP" frontiers --countries AFG,AFG -o fr.geojson
expect_stderr "countries names AFG twice"
expect_no_file fr.geojson
square() { echo "[[[$1, $2], [$(($1 + 1)), $2], [$(($1 + 1)), $(($2 + 1))], [$1, $(($2 + 1))], [$1, $2]]]"; }
feature() { echo "{\"type\": \"Feature\", \"properties\": {\"iso_a3\": \"$1\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": $2}}"; }
echo "{\"type\": \"FeatureCollection\", \"features\": [$(feature AAA "$(square 10 10)"), $(feature BBB "$(square 11 10)"), $(feature AAA "$(square 12 10)")]}" >twice.geojson
run 1 "$BORDERMAP" frontiers --boundaries twice.geojson -o fr.geojson
expect_stderr "twice.geojson:3: field 'iso_a3': AAA appears twice"
# A boundary value out of range names the feature.
echo "{\"type\": \"FeatureCollection\", \"features\": [$(feature AAA "$(square 10 10)"), $(feature BBB "$(square 998 10)")]}" >far.geojson
run 1 "$BORDERMAP" frontiers --boundaries far.geojson -o fr.geojson
expect_stderr "far.geojson:2: field 'geometry': coordinates outside ±180° longitude / ±90° latitude"
expect_no_file fr.geojson

# ---- projections: the default one fits any extent; non-map CRSs refused
run 0 "$BORDERMAP" render "$STYLE" -o equator.svg --size 400x300 --extent 40,-10,60,10
grep -q "Projection: Mercator, central meridian 50.0°E" equator.svg || fail "equator: not a Mercator"
run 0 "$BORDERMAP" render "$STYLE" -o world.png --size 400x300 --extent -180,-85,180,85
run 0 "$BORDERMAP" render "$STYLE" -o polar.svg --size 400x300 --extent -180,60,180,85
grep -q "Projection: polar stereographic, true scale at 72.5°N" polar.svg || fail "polar: not stereographic"
run 0 "$BORDERMAP" render "$STYLE" -o south.png --size 400x300 --extent -180,-85,180,-60
run 2 "$BORDERMAP" render "$STYLE" -o anti.png --extent 170,-20,-170,0
expect_stderr "extent wants MINLON,MINLAT,MAXLON,MAXLAT in degrees with min < max"
refused antimeridian 's["page"]["extent"] = [170, -20, -170, 0]' \
    "field 'page.extent': expected \[MINLON, MINLAT, MAXLON, MAXLAT\] with min < max (an extent cannot cross the antimeridian)"
run 2 "$BORDERMAP" render "$STYLE" -o geocentric.png --crs EPSG:4978
expect_stderr "field 'crs': 'EPSG:4978' is a geocentric CRS: a map needs a projected or a geographic 2D CRS"
run 2 "$BORDERMAP" render "$STYLE" -o vertical.png --crs EPSG:5773
expect_stderr "field 'crs': 'EPSG:5773' is a vertical CRS"
run 2 "$BORDERMAP" render "$STYLE" -o affine.png --crs "+proj=affine +xoff=1 +datum=WGS84"
expect_stderr "'+proj=affine' is not a map projection"
style geocentric 's["page"]["crs"] = "EPSG:4978"'
run 2 "$BORDERMAP" export --style geocentric.json -o geocentric.qgz
expect_stderr "'EPSG:4978' is a geocentric CRS"
expect_no_file geocentric.png
expect_no_file geocentric.qgz

# ---- damaged embedded data: a copy of the data folder, spoilt
data=$BM_SOURCE_DIR/geodata
fresh() { rm -rf gd && cp -r "$data" gd; }
printf 'event_id_cnty,event_date,event_type,country,location\nQ1,2016-01-01,Battles,Afghanistan,Kunduz\n' >q.csv

fresh
head -c 2000000 "$data/countries.fgb" >gd/countries.fgb
run 1 env BORDERMAP_GEODATA="$PWD/gd" "$BORDERMAP" frontiers -o fr.geojson
expect_stderr "gd/countries.fgb: embedded data damaged: 2000000 bytes where SOURCES.lock records"
expect_no_file fr.geojson
run 1 env BORDERMAP_GEODATA="$PWD/gd" "$BORDERMAP" check-data
grep -q "^countries.fgb  *size differs from SOURCES.lock" out || fail "check-data: $(cat out)"
grep -q "^gazetteer.tsv  *OK" out || fail "check-data: $(cat out)"
expect_stderr "1 of 7 files do not match SOURCES.lock"
# Without sizes in the lock (an older build), the FlatGeobuf's own count.
sed -i 's/\t[0-9]*$//' gd/SOURCES.lock
run 1 env BORDERMAP_GEODATA="$PWD/gd" "$BORDERMAP" frontiers -o fr.geojson
expect_stderr "countries the file announces could be read: the file is truncated or damaged"
expect_no_file fr.geojson

fresh
head -c 4000000 "$data/gazetteer.tsv" >gd/gazetteer.tsv
run 1 env BORDERMAP_GEODATA="$PWD/gd" "$BORDERMAP" geocode q.csv -o g.geojson
expect_stderr "gd/gazetteer.tsv: embedded data damaged: 4000000 bytes where SOURCES.lock records 8405926"
expect_no_file g.geojson
sed -i 's/\t[0-9]*$//' gd/SOURCES.lock
run 1 env BORDERMAP_GEODATA="$PWD/gd" "$BORDERMAP" geocode q.csv -o g.geojson
expect_stderr "gd/gazetteer.tsv: embedded data damaged: cut short: the last line has no end"

# Same size, one value spoilt: the longitude of data row 99 (line 100)
# becomes 999.00000; loading refuses it by file, line and field, and
# check-data sees the checksum.
fresh
awk -F'\t' 'BEGIN { OFS = "\t" } NR == 100 { v = "999."; while (length(v) < length($6)) v = v "0"; $6 = v } { print }' \
    "$data/gazetteer.tsv" >gd/gazetteer.tsv
[ "$(stat -c %s gd/gazetteer.tsv)" = "$(stat -c %s "$data/gazetteer.tsv")" ] || fail "spoilt gazetteer changed size"
run 1 env BORDERMAP_GEODATA="$PWD/gd" "$BORDERMAP" geocode q.csv -o g.geojson
expect_stderr "gd/gazetteer.tsv:100: field 'longitude': '999.0[0-9]*' is not a longitude"
expect_no_file g.geojson
run 1 env BORDERMAP_GEODATA="$PWD/gd" "$BORDERMAP" check-data
grep -q "^gazetteer.tsv  *sha256 differs from SOURCES.lock" out || fail "check-data: $(cat out)"
run 0 "$BORDERMAP" check-data
[ "$(grep -c ' OK$' out)" = 7 ] || fail "check-data of the real data: $(cat out)"

# ---- QGIS styles: control characters in match keys, expressions in templates
style ctl 'layer["incidents"]["paint"]["circle-color"][2] = "Bat\u0001tl\u001bes\u007f"'
run 0 "$BORDERMAP" export --style ctl.json -o ctl.gpkg
sqlite3 ctl.gpkg "SELECT f_table_name FROM layer_styles" >tables
[ -s tables ] || fail "no layer_styles"
while read -r t; do
    for col in styleQML styleSLD; do
        sqlite3 ctl.gpkg "SELECT $col FROM layer_styles WHERE f_table_name = '$t'" >doc.xml
        xmllint --noout doc.xml 2>xmlerr || fail "$t $col is not well-formed XML: $(head -3 xmlerr)"
    done
done <tables
sqlite3 ctl.gpkg "SELECT styleQML FROM layer_styles WHERE f_table_name = 'incidents'" |
    grep -q "Bat�tl�es" || fail "the control characters are not U+FFFD in the QML"
pass
run 0 "$BORDERMAP" export --style ctl.json -o ctl.qgz
unzip -o -q ctl.qgz -d ctlq && xmllint --noout ctlq/*.qgs || fail "ctl.qgz: project not well-formed"
pass

# A template field that is an expression is not a field of the source.
style env 'layer["incidents"]["layout"]["text-field"] = "{env('"'"'HOME'"'"')} {location}"'
run 2 "$BORDERMAP" export --style env.json -o env.gpkg
expect_stderr "field 'layers\[10\].layout.text-field': unknown field 'env('HOME')' in source 'incidents'"
expect_no_file env.gpkg
# A catalog column of such a name (the catalog reader folds it to
# x||env('home')||) stays a field name in QGIS's expression.
printf 'event_id_cnty,event_date,event_type,country,location,latitude,longitude,"x""||env(\x27HOME\x27)||"""\nE1,2016-01-01,Battles,Tajikistan,Kulob,37.9,69.7,v\n' >inj.csv
style inj 'layer["incidents"]["layout"]["text-field"] = "{x||env('"'"'home'"'"')||}"'
run 0 "$BORDERMAP" export --style inj.json --catalog inj.csv -o inj.gpkg
sqlite3 inj.gpkg "SELECT styleQML FROM layer_styles WHERE f_table_name = 'incidents'" >inj.qml
grep -qF "concat('', &quot;x||env('home')||&quot;)" inj.qml ||
    fail "the column is not quoted as one field: $(grep -o 'concat([^/]*' inj.qml | head -2)"
pass

done_checks
