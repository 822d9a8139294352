#!/bin/bash
# geocode.sh — `bordermap geocode` end to end: the seed catalog, stdin,
# --strict, --query, and bad input that must fail cleanly.
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?}" "${BM_TEST_DATA:?}"
DATA=$BM_TEST_DATA/geocode
SEED=$BM_SOURCE_DIR/geodata/catalog.csv

# The seed catalog: one feature per row, in order, valid GeoJSON.
expect_status 0 "$BORDERMAP" geocode "$SEED" -o seed.geojson
expect_stderr "34 rows: 34 resolved"
rows=$(($(wc -l <"$SEED") - 1))
ogrinfo -ro -al -q seed.geojson >info || fail "ogrinfo cannot read the output"
features=$(grep -c '^OGRFeature' info)
[ "$features" -eq "$rows" ] || fail "$features features for $rows rows"
pass
want=$(tail -n +2 "$SEED" | cut -d, -f1 | tr '\n' ' ')
got=$(grep '^  event_id_cnty (String) = ' info | sed 's/.* = //' | tr '\n' ' ')
[ "$got" = "$want" ] || fail "rows out of order: $got"
pass
grep -q 'match_kind (String) = frontier' info || fail "no frontier match"
grep -q '"ambiguous": false' seed.geojson || fail "ambiguous is not a JSON boolean"
pass

# Byte-identical run to run; stdin and stdout work.
"$BORDERMAP" geocode "$SEED" -o again.geojson 2>/dev/null
cmp -s seed.geojson again.geojson || fail "output differs between runs"
"$BORDERMAP" geocode - <"$SEED" 2>/dev/null >stdout.geojson
cmp -s seed.geojson stdout.geojson || fail "stdin/stdout output differs from file output"
pass

# Rows with coordinates keep them unless --regeocode; --strict fails on unresolved rows.
expect_status 0 "$BORDERMAP" geocode "$DATA/mixed.geojson" -o mixed.geojson
expect_stderr "1 kept coordinates"
expect_stderr "1 unresolved"
grep -q '"coordinates": \[ 69.8, 37.9 \]' mixed.geojson || fail "input coordinates not kept"
pass
expect_status 1 "$BORDERMAP" geocode --strict "$DATA/mixed.geojson" -o strict.geojson
expect_status 0 "$BORDERMAP" geocode --regeocode "$DATA/mixed.geojson" -o -
grep -q '"coordinates": \[ 69.8, 37.9 \]' out && fail "--regeocode kept input coordinates"
pass

# --query prints a table, best first.
expect_status 0 "$BORDERMAP" geocode --query "Moscow" --country "United States" --admin1 Idaho
sed -n 2p out | grep -q 'Idaho' || fail "Moscow, Idaho not first: $(cat out)"
pass
expect_status 0 "$BORDERMAP" geocode --query "Tajik-Afghan border"
grep -q frontier out || fail "no frontier for Tajik-Afghan border"
pass

# Bad input: a clear error with file, row and field; no output file.
bad() { # bad INPUT PATTERN...
    local input=$1
    shift
    expect_status 1 "$BORDERMAP" geocode "$input" -o bad.geojson
    for p in "$@"; do expect_stderr "$p"; done
    expect_no_file bad.geojson
}
bad "$DATA/missing.csv" "missing.csv: no such file"
bad "$DATA/malformed.geojson" "malformed.geojson:4:" "malformed JSON"
bad "$DATA/bad_utf8.csv" "bad_utf8.csv:3: field 'location'" "UTF-8"
bad "$DATA/nan.csv" "nan.csv:3: field 'latitude'" "not a number"
bad "$DATA/out_of_range.csv" "out_of_range.csv:4: field 'latitude'" "out of range"
bad "$DATA/bad_date.csv" "bad_date.csv:3: field 'event_date'" "not a date"
bad "$DATA/bad_fatalities.csv" "bad_fatalities.csv:2: field 'fatalities'" "not a whole number"

# A row without a location is placed by its admin1 or country.
expect_status 0 "$BORDERMAP" geocode "$DATA/no_location.csv" -o no_location.geojson
grep -q '"match_kind": "country"' no_location.geojson || fail "no_location.csv: not placed by its country"
pass

# --frontier-distance: the seed catalog's Tajik-Afghan border rows lie on
# that frontier, Dushanbe is inland; GeoPackage output carries them too.
expect_status 0 "$BORDERMAP" geocode "$SEED" --frontier-distance -o distance.geojson
python3 - distance.geojson <<'EOF' || fail "frontier distance fields: see above"
import json, sys
features = [f["properties"] for f in json.load(open(sys.argv[1]))["features"]]
for p in features:
    assert all(k in p for k in ("frontier_km", "frontier", "frontier_iso", "in_country")), p
    assert p["frontier_km"] >= 0, p
border = [p for p in features if p["location"] == "Tajik-Afghan border"]
assert border, "no Tajik-Afghan border row"
for p in border:
    assert p["frontier_km"] < 5 and p["frontier_iso"] == "AFG-TJK", p
    assert p["frontier"] == "Afghanistan\u2013Tajikistan", p
    assert p["in_country"] in ("AFG", "TJK"), p
dushanbe = [p for p in features if p["location"] == "Dushanbe"]
assert dushanbe, "no Dushanbe row"
for p in dushanbe:
    assert p["in_country"] == "TJK" and 30 < p["frontier_km"] < 80, p
EOF
pass
grep -q '"frontier_km"' seed.geojson && fail "frontier_km without --frontier-distance"
expect_status 0 "$BORDERMAP" geocode "$SEED" --frontier-distance -o distance.gpkg
ogrinfo -ro -al -q distance.gpkg | grep -q 'frontier_iso (String) = AFG-TJK' ||
    fail "no frontier_iso in the GeoPackage"
pass
expect_status 2 "$BORDERMAP" geocode --query Dushanbe --frontier-distance

# A row is never placed outside its own country: it stays unresolved, says
# why and lists what was found elsewhere.
printf 'location,country\nIsfahan,Tajikistan\nNowhereville,Ukraine\nOrlando,United States\n' >outside.csv
expect_status 0 "$BORDERMAP" geocode outside.csv -o outside.geojson
expect_stderr "outside.csv:2: unresolved: 'Isfahan': no place of that name in Tajikistan, only elsewhere: Isfahan (IRN"
grep -q '"match_note": "no place of that name in Tajikistan' outside.geojson ||
    fail "no match_note on the refused row"
pass
# Outside the embedded area: which command adds the region.
expect_stderr "outside.csv:3: unresolved: 'Nowhereville': Ukraine is not all inside the area of the embedded geodata (25,10,100,56); \`geodata/build --bbox 22,45,41,53 --out DIR\`"
expect_stderr "outside.csv:4: note: 'Orlando': Orlando lies outside the area of the embedded geodata"
pass

# A user's own GeoNames file (tests/data/geocode/SOURCES.md) adds its places.
expect_status 1 "$BORDERMAP" geocode --query Zhovkva
expect_status 0 "$BORDERMAP" geocode --query Zhovkva --gazetteer "$DATA/geonames-ukraine.txt"
grep -q '^Zhovkva .* place .* UKR .* 23\.97' out || fail "Zhovkva not placed from the user's file"
pass
printf 'location,country\nZhovkva,Ukraine\n' >user.csv
expect_status 0 "$BORDERMAP" geocode user.csv --gazetteer "$DATA/geonames-ukraine.txt" -o user.geojson
grep -q '"match_source": "GeoNames (geonames-ukraine.txt)"' user.geojson || fail "no provenance"
pass
awk 'BEGIN { FS = OFS = "\t" } NR == 3 { $6 = 999 } { print }' "$DATA/geonames-ukraine.txt" >bad.txt
expect_status 1 "$BORDERMAP" geocode --query Zhovkva --gazetteer bad.txt
expect_stderr "bad.txt:3: field 'LONGITUDE': '999' is not a longitude"
expect_status 1 "$BORDERMAP" geocode --query Zhovkva --gazetteer "$DATA/geonames-missing.txt"
expect_stderr "geonames-missing.txt"
printf 'a\tb\n' >short.txt
expect_status 1 "$BORDERMAP" geocode --query Zhovkva --gazetteer short.txt
expect_stderr "not a GeoNames table"
pass

# --boundaries: the user's country polygons place countries and frontiers.
cat >squares.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"iso_a3": "TJK", "name": "Tajikistan"},
  "geometry": {"type": "Polygon", "coordinates": [[[60, 30], [70, 30], [70, 40], [60, 40], [60, 30]]]}},
 {"type": "Feature", "properties": {"iso_a3": "AFG", "name": "Afghanistan"},
  "geometry": {"type": "Polygon", "coordinates": [[[70, 30], [80, 30], [80, 40], [70, 40], [70, 30]]]}}]}
EOF
expect_status 0 "$BORDERMAP" geocode --query "Tajik-Afghan border" --boundaries squares.geojson
grep -q ' frontier .* 70\.00000 ' out || fail "frontier not on the user's shared edge"
expect_status 0 "$BORDERMAP" geocode --query Tajikistan --boundaries squares.geojson
grep -q ' country .* TJK .* 65\.00000 *35\.00000' out || fail "country not at the user's square"
pass
expect_status 1 "$BORDERMAP" geocode --query Tajikistan --boundaries "$DATA/missing.geojson"
expect_stderr "missing.geojson"
pass

# Catalog values reach the terminal with their control characters escaped.
printf 'location,country\n"Bad\033]0;pwned\007place",Tajikistan\n' >escape.csv
expect_status 0 "$BORDERMAP" geocode escape.csv -o escape.geojson
grep -q "$(printf '\033')" err && fail "a raw escape character reached the terminal"
grep -qF "no place matches 'Bad\x1B]0;pwned\x07place'" err || fail "not escaped: $(cat err)"
pass

# Usage errors exit 2.
expect_status 2 "$BORDERMAP" geocode
expect_status 2 "$BORDERMAP" geocode "$SEED" --bogus
expect_status 2 "$BORDERMAP" geocode "$SEED" -o out.txt
expect_no_file out.txt

# ---- Transliteration (issue 13) ----
# Spellings that no name or alternate name in geodata/gazetteer.tsv has,
# found only by folding (src/normalize.h): Cyrillic to Latin, and the
# journalistic Latin forms to the GeoNames name.
translit_expect() {
    local query=$1 country=$2 want=$3 iso=$4
    "$BORDERMAP" geocode --query "$query" ${country:+--country "$country"} >translit.txt 2>&1 ||
        fail "--query '$query': $(cat translit.txt)"
    sed -n 2p translit.txt | grep -q "^$want  .* $iso  " ||
        fail "--query '$query' found $(sed -n 2p translit.txt), wanted $want ($iso)"
    pass
}
translit_expect "Қарши" "" "Qarshi" UZB
translit_expect "Қўқон" "" "Qo‘qon" UZB
translit_expect "Andizhon" "" "Andijon" UZB
translit_expect "Kurgonteppa" "" "Bokhtar" TJK
translit_expect "Jezkazgan" "" "Zhezqazghan" KAZ
translit_expect "Djalal-Abad" KG "Jalal-Abad" KGZ
# ---- end of transliteration ----

done_checks
