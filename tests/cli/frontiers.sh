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
expect_status 2 "$BORDERMAP" frontiers -o out.shp
expect_stderr "unknown output format"
expect_no_file out.shp

done_checks
