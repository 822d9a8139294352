#!/bin/bash
# formats.sh — real conflict-event files through geocode, render and export:
# ACLED exports (current and older column sets), UCDP GED, and the same
# rows as XLSX, GeoJSON, GeoJSONSeq, FlatGeobuf and GeoPackage. Every row
# comes out with an ISO date, its coordinates unchanged and the mapped
# precision and fatalities, and every account adds up.
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?}" "${BM_TEST_DATA:?}"
DATA=$BM_TEST_DATA/formats
STYLE=$BM_SOURCE_DIR/styles/central-asia.json

# props FILE.geojson: one line per feature, "id|date|lon|lat|geo_precision|fatalities|time_precision|event_type".
props() {
    python3 - "$1" <<'EOF'
import json, sys
for f in json.load(open(sys.argv[1]))["features"]:
    p, g = f["properties"], f["geometry"]
    lon, lat = g["coordinates"] if g else ("", "")
    print("|".join(str(x) for x in (p["event_id_cnty"], p["event_date"], lon, lat,
          p["geo_precision"], p["fatalities"], p["time_precision"], p["event_type"])))
EOF
}

# account CMD: the numbers of the summary line add up.
expect_account() { # expect_account READ PLACED UNRESOLVED REJECTED FILTERED
    local line
    line=$(grep 'rows read = ' err) || fail "no account on stderr: $(cat err)"
    echo "$line" | grep -q ": $1 rows read = $2 placed + $3 unresolved + $4 rejected + $5 filtered out;" ||
        fail "account is not $*: $line"
    pass
}

# ACLED, current export: BOM, CRLF, "14 September 2022" dates, quoted
# commas, quotes and newlines in notes, Cyrillic and diacritics.
expect_status 0 "$BORDERMAP" geocode "$DATA/acled_current.csv" -o acled.geojson
expect_account 4 4 0 0 0
expect_stderr "(acled)"
props acled.geojson >got
cat >want <<'EOF'
TJK1001|2022-09-14|70.58|39.85|1|7|1|Battles
KGZ2002|2016-06-05|69.5276|39.8391|2|0|1|Violence against civilians
TJK1003|2021-03-02|69.7845|37.9146|1|0|2|Strategic developments
AFG3004|2023-10-18|70.58|37.1166|1|12|1|Explosions/Remote violence
EOF
diff want got || fail "ACLED rows differ"
pass
grep -q '"location": "Ворух"' acled.geojson || fail "Cyrillic location lost"
grep -q '"location": "Kŭlob"' acled.geojson || fail "diacritics lost"
grep -q 'opened fire first; dozens wounded' acled.geojson || fail "multi-line notes lost"
grep -q '"iso": 762,' acled.geojson || fail "iso is not typed as a number"
grep -q '"timestamp": 1663300000' acled.geojson || fail "timestamp is not typed as a number"
pass

# ACLED, older export: upper-case names, data_id, iso3, no disorder_type.
expect_status 0 "$BORDERMAP" geocode "$DATA/acled_old.csv" -o old.geojson
expect_account 2 2 0 0 0
props old.geojson >got
printf '%s\n' "KGZ1234|2016-06-05|72.8861|40.7042|1|1|1|Riots" \
    "TJK4321|2022-09-14|70.625|40.1265|2|24|1|Battles" >want
diff want got || fail "older ACLED rows differ"
grep -q '"iso3": "KGZ"' old.geojson && grep -q '"data_id": 7012345' old.geojson ||
    fail "older ACLED columns not kept"
pass

# UCDP GED: catalog fields mapped from the codebook's, originals kept.
expect_status 0 "$BORDERMAP" geocode "$DATA/ucdp_ged.csv" -o ucdp.geojson
expect_account 3 3 0 0 0
expect_stderr "(ucdp-ged)"
props ucdp.geojson >got
cat >want <<'EOF'
412345|2022-09-14|70.58|39.85|1|26|1|State-based conflict
412346|2021-03-01|71.0|37.0|3|5|2|One-sided violence
412347|2020-01-01|62.9|36.02|2|3|4|Non-state conflict
EOF
diff want got || fail "UCDP rows differ"
grep -q '"where_prec": 4' ucdp.geojson && grep -q '"best": 26' ucdp.geojson &&
    grep -q '"side_a": "Government of Kyrgyzstan"' ucdp.geojson &&
    grep -q '"actor1": "Government of Kyrgyzstan"' ucdp.geojson &&
    grep -q '"location": "Vorukh village"' ucdp.geojson || fail "UCDP columns not kept or mapped"
pass

# --input-format overrides detection, and says what is missing.
expect_status 0 "$BORDERMAP" geocode --input-format catalog "$DATA/ucdp_ged.csv" -o plain.geojson
expect_stderr "(catalog)"
grep -q '"event_type"' plain.geojson && fail "a plain catalog got UCDP's mapped fields"
expect_status 1 "$BORDERMAP" geocode --input-format acled "$DATA/ucdp_ged.csv" -o x.geojson
expect_stderr "field 'event_id_cnty': no such column, which every ACLED file has"
expect_no_file x.geojson
expect_status 2 "$BORDERMAP" geocode --input-format spss "$DATA/ucdp_ged.csv" -o x.geojson

# The same rows in other formats GDAL reads give the same features.
ogr2ogr -f XLSX -oo AUTODETECT_TYPE=YES acled.xlsx "$DATA/acled_current.csv" 2>/dev/null || fail "ogr2ogr XLSX"
ogr2ogr -f GeoJSONSeq acled.geojsonl acled.geojson 2>/dev/null || fail "ogr2ogr GeoJSONSeq"
ogr2ogr -f FlatGeobuf acled.fgb acled.geojson 2>/dev/null || fail "ogr2ogr FlatGeobuf"
ogr2ogr -f GPKG acled.gpkg acled.geojson -nln events 2>/dev/null || fail "ogr2ogr GPKG"
# (FlatGeobuf stores features in the order of its spatial index.)
props acled.geojson | sort >want
for f in acled.xlsx acled.geojsonl acled.fgb acled.gpkg; do
    expect_status 0 "$BORDERMAP" geocode "$f" -o "$f.geojson"
    expect_account 4 4 0 0 0
    props "$f.geojson" | sort >got
    diff want got || fail "$f: rows differ from the CSV's"
    pass
done

# A multi-layer source is read from the layer named; without one, the
# error lists the layers. An output that is the input is refused.
ogr2ogr -f GPKG -update acled.gpkg "$DATA/ucdp_ged.csv" -nln ucdp 2>/dev/null
expect_status 2 "$BORDERMAP" geocode acled.gpkg -o two.geojson
expect_stderr "2 layers (events, ucdp): name the catalog's with --layer"
expect_no_file two.geojson
expect_status 0 "$BORDERMAP" geocode acled.gpkg --layer ucdp -o ucdp2.geojson
expect_account 3 3 0 0 0
expect_status 2 "$BORDERMAP" geocode acled.gpkg --layer nope -o x.geojson
expect_stderr "no layer 'nope' (layers: events, ucdp)"
cp acled.gpkg before.gpkg
expect_status 2 "$BORDERMAP" geocode acled.gpkg --layer events -o acled.gpkg
expect_stderr "is the input"
cmp -s acled.gpkg before.gpkg || fail "the input was overwritten"
pass

# Render and export take the same files and account for every row.
expect_status 0 "$BORDERMAP" render "$STYLE" --catalog "$DATA/ucdp_ged.csv" -o ucdp.png
expect_account 3 3 0 0 0
expect_stderr "3 on the map"
[ -s ucdp.png ] || fail "no PNG"
expect_status 0 "$BORDERMAP" export --catalog "$DATA/acled_old.csv" --layers incidents -o old.gpkg
expect_account 2 2 0 0 0
expect_stderr "2 written"
[ "$(ogrinfo -ro -q -sql 'SELECT COUNT(*) AS n FROM incidents' old.gpkg | grep -o 'n (Integer) = [0-9]*')" = "n (Integer) = 2" ] ||
    fail "export wrote other than 2 incidents"
pass
expect_status 0 "$BORDERMAP" export --catalog acled.xlsx --layers incidents,deployments -o xlsx.gpkg
expect_account 4 4 0 0 0
expect_stderr "4 written"

# A batch job draws a UCDP file like any catalog, and accounts for it
# (read from the test data, a folder the jobs file is allowed to read).
cat >jobs.json <<EOF
{"jobs": [{"name": "ged", "style": "$STYLE", "catalog": "$DATA/ucdp_ged.csv",
           "overrides": {"size": [400, 300]}, "outputs": ["ged.png"]}]}
EOF
expect_status 0 "$BORDERMAP" batch jobs.json -j 1 --json --allow-path "$DATA"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["jobs"][0]["rows"]; assert (r["read"], r["placed"]) == (3, 3), r' out ||
    fail "batch account: $(cat out)"
pass
expect_status 1 "$BORDERMAP" batch jobs.json -j 1 --input-format acled --allow-path "$DATA"
expect_stderr "no such column, which every ACLED file has"

# Rows that cannot be placed are counted and named, in every command.
printf 'event_id_cnty,location,country,latitude,longitude\nZ1,Kulob,Tajikistan,,\nZ2,Xqzzyv,,,\nZ3,,,,\n' >places.csv
for cmd in geocode render export; do
    case $cmd in
    geocode) expect_status 0 "$BORDERMAP" geocode places.csv -o places.geojson ;;
    render) expect_status 0 "$BORDERMAP" render "$STYLE" --catalog places.csv -o places.png ;;
    export) expect_status 0 "$BORDERMAP" export --catalog places.csv --layers incidents -o places.gpkg ;;
    esac
    expect_account 3 1 2 0 0
    expect_stderr "places.csv:3: unresolved: no place matches 'Xqzzyv'"
    expect_stderr "places.csv:4: unresolved: no coordinates and no place text"
done
expect_status 0 "$BORDERMAP" render "$STYLE" --catalog places.csv -o places.png --json
python3 - out <<'EOF' || fail "--json account: $(cat out)"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["rows_read"] == j["placed"] + j["unresolved"] + j["rejected"] + j["filtered_out"] == 3
assert [r["line"] for r in j["unresolved_rows"]] == [3, 4], j["unresolved_rows"]
EOF
pass

done_checks
