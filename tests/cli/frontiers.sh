# CLI tests of `bordermap frontiers`.
. "$(dirname "$0")/lib.sh"
DATA=$BM_TEST_DATA/frontiers

expect_status 0 "$BORDERMAP" frontiers --countries TJK,AFG,UZB -o f.geojson
ogrinfo -ro -al -so f.geojson >info || fail "ogrinfo cannot read the output"
grep -q "Feature Count: 3" info || fail "expected 3 frontiers: $(cat info)"
grep -q '"crs"' f.geojson && fail "RFC 7946 output must not have a crs member"
for field in iso_a iso_b name_a name_b name length_km tolerance_m source \
             reported_km reported_qualifier reported_source difference_pct; do
    grep -q "^$field: " info || fail "field $field missing"
done
pass
grep -q '"name": "Afghanistan–Tajikistan"' f.geojson || fail "frontier name missing"
grep -q '"reported_qualifier": "over"' f.geojson || fail "reported length missing"
pass

# Same inputs, byte-identical output.
expect_status 0 "$BORDERMAP" frontiers --countries AFG,TJK,UZB -o g.geojson
cmp -s f.geojson g.geojson || fail "output differs between runs"
pass

# The table is sorted by length, longest first.
expect_status 0 "$BORDERMAP" frontiers --countries TJK,AFG,UZB --table
head -2 out | tail -1 | grep -q "^AFG   TJK" || fail "table not sorted: $(cat out)"
pass

# GeoJSON on stdout.
expect_status 0 "$BORDERMAP" frontiers --countries TJK,AFG -o -
grep -q '"type": "FeatureCollection"' out || fail "no GeoJSON on stdout"
pass

# GeoPackage output.
expect_status 0 "$BORDERMAP" frontiers --countries TJK,AFG -o f.gpkg
ogrinfo -ro -so f.gpkg frontiers | grep -q "Feature Count: 1" || fail "bad GeoPackage"
pass

# Bad input: clear error, status 1 or 2, no output file.
expect_status 2 "$BORDERMAP" frontiers --countries TJK,XYZ -o bad1.geojson
expect_stderr "unknown country code 'XYZ'"
expect_no_file bad1.geojson
expect_status 1 "$BORDERMAP" frontiers --boundaries "$DATA/no-iso-field.geojson" -o bad2.geojson
expect_stderr "no-iso-field.geojson: field 'iso_a3'"
expect_no_file bad2.geojson
expect_status 1 "$BORDERMAP" frontiers --boundaries "$DATA/missing.geojson" -o bad3.geojson
expect_stderr "missing.geojson: cannot open"
expect_no_file bad3.geojson
expect_status 1 "$BORDERMAP" frontiers --boundaries "$DATA/point-geometry.geojson" -o bad4.geojson
expect_stderr "point-geometry.geojson:2: field 'geometry'"
expect_no_file bad4.geojson
expect_status 2 "$BORDERMAP" frontiers --tolerance -5
expect_stderr "tolerance"
expect_status 2 "$BORDERMAP" frontiers --tolerance 100000 -o wide.geojson
expect_stderr "at most 10000, got '100000'"
expect_no_file wide.geojson
expect_status 2 "$BORDERMAP" frontiers --countries A1b,TJK
expect_stderr "wants ISO alpha-3 codes, got 'A1b'"
expect_status 2 "$BORDERMAP" frontiers --countries TJK,tjk
expect_stderr "names TJK twice"
expect_status 0 "$BORDERMAP" frontiers --countries afg,tjk --table
grep -q '^AFG   TJK ' out || fail "lower-case codes not accepted"
# A boundaries file with a code that is not three letters, or one country twice.
for bad in '"A1b"' '"TJK"'; do
    cat >twice.geojson <<EOF
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"iso_a3": "TJK"},
  "geometry": {"type": "Polygon", "coordinates": [[[60, 30], [70, 30], [70, 40], [60, 30]]]}},
 {"type": "Feature", "properties": {"iso_a3": $bad},
  "geometry": {"type": "Polygon", "coordinates": [[[70, 30], [80, 30], [80, 40], [70, 30]]]}}]}
EOF
    expect_status 1 "$BORDERMAP" frontiers --boundaries twice.geojson -o self.geojson
    expect_no_file self.geojson
    case $bad in
    *A1b*) expect_stderr "twice.geojson:2: field 'iso_a3': expected an ISO 3166-1 alpha-3 code (three letters), got 'A1b'" ;;
    *) expect_stderr "twice.geojson:2: field 'iso_a3': TJK appears twice" ;;
    esac
done
pass
expect_status 2 "$BORDERMAP" frontiers -o out.shp
expect_stderr "unknown output format"
expect_no_file out.shp

# Events along each frontier: the counts' fields, consistent with each
# other and growing with the distance (test_border_distance.c checks them
# against brute force).
catalog="$BM_SOURCE_DIR/geodata/catalog.csv"
for km in 10 50; do
    expect_status 0 "$BORDERMAP" frontiers --countries AFG,TJK,TKM,UZB --catalog "$catalog" \
        --within $km -o "within$km.geojson" --quiet
done
python3 - within10.geojson within50.geojson <<'PYEOF2' || fail "frontier statistics: $(cat err)"
import json, sys
near, far = ({(f["properties"]["iso_a"], f["properties"]["iso_b"]): f["properties"]
              for f in json.load(open(p))["features"]} for p in sys.argv[1:3])
for key, p in near.items():
    q = far[key]
    assert p["within_km"] == 10 and q["within_km"] == 50, key
    assert p["incidents_a"] + p["incidents_b"] <= p["incidents_within"] <= q["incidents_within"], key
    assert abs(p["incidents_per_100km"] - p["incidents_within"] / p["length_km"] * 100) < 1e-6, key
    assert p["fatalities_within"] <= q["fatalities_within"], key
assert near[("AFG", "TKM")]["incidents_within"] > 0, "no event along the Murghab"
PYEOF2
pass
expect_status 0 "$BORDERMAP" frontiers --countries AFG,TJK --catalog "$catalog" --within 25 --table
grep -q "^Events within 25 km:" out && grep -q "^By event type:" out || fail "no statistics in the table: $(cat out)"
pass
# A style's frontiers source with "within-km" carries the same counts, for
# labels ("{incidents_within} events within 25 km") and exports.
python3 - "$BM_SOURCE_DIR/styles/central-asia.json" counted.json nocatalog.json <<'PYEOF2'
import json, sys
s = json.load(open(sys.argv[1]))
s["sources"]["frontiers"]["within-km"] = 10
json.dump(s, open(sys.argv[2], "w"))
s["sources"] = {k: v for k, v in s["sources"].items() if v["type"] != "catalog"}
s["layers"] = [l for l in s["layers"] if l["source"] in s["sources"]]
json.dump(s, open(sys.argv[3], "w"))
PYEOF2
expect_status 0 "$BORDERMAP" export --style counted.json --layers frontiers -o counted.geojson
expect_status 0 "$BORDERMAP" frontiers --countries AFG,TJK,TKM,UZB --catalog "$catalog" --within 10 \
    -o cli.geojson --quiet
python3 - counted.geojson cli.geojson <<'PYEOF2' || fail "style counts differ from the CLI's"
import json, sys
style, cli = ({(f["properties"]["iso_a"], f["properties"]["iso_b"]): f["properties"]["incidents_within"]
               for f in json.load(open(p))["features"]} for p in sys.argv[1:3])
assert style and all(style[k] == cli[k] for k in style), (style, cli)
PYEOF2
pass
expect_status 2 "$BORDERMAP" export --style nocatalog.json --layers frontiers -o none.geojson
expect_stderr "no catalog source"
expect_no_file none.geojson
expect_status 2 "$BORDERMAP" frontiers --within 25
expect_stderr "--catalog and --within go together"
expect_status 2 "$BORDERMAP" frontiers --catalog "$catalog" --within -3
expect_stderr "--within wants a distance"

done_checks
