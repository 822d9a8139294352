# export.sh — `bordermap export`: one layer per style source, the same
# features the map draws, counts, RFC 7946 properties as GDAL and a plain
# JSON reader see them, the layer_styles table, reproducibility and errors.
. "$(dirname "$0")/lib.sh"
STYLE="$BM_SOURCE_DIR/styles/central-asia.json"
CATALOG="$BM_SOURCE_DIR/geodata/catalog.csv"

# The seed catalog: deployments are the two base-related sub-event types.
want_dep=$(grep -c -e 'Headquarters or base established' -e 'Change to group/activity' "$CATALOG")
want_all=$(($(python3 -c "import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))" "$CATALOG")))

# The style's sources, in its order, are the layers, then the inset's
# countries for the project's locator map; the default style is the same map.
expect_status 0 "$BORDERMAP" export --style "$STYLE" -o all.gpkg
layers=$(ogrinfo -q all.gpkg | awk '{print $2}' | tr '\n' ' ')
[ "$layers" = "countries features disputed frontiers incidents locator layer_styles " ] ||
    fail "GeoPackage layers: $layers"
# (The project stored inside names its GeoPackage: compare under one name.)
mkdir default && expect_status 0 "$BORDERMAP" export -o default/all.gpkg
cmp -s all.gpkg default/all.gpkg || fail "export without --style is not the default style's"
pass

count() { ogrinfo -so "$1" "$2" | sed -n 's/^Feature Count: //p'; }
[ "$(count all.gpkg incidents)" -eq "$want_all" ] || fail "incidents: $(count all.gpkg incidents), wanted $want_all"
# The frontiers layer is the style's frontier set (AFG, TJK, TKM, UZB), not more.
ogrinfo -q all.gpkg -sql "SELECT iso_a || '-' || iso_b AS pair FROM frontiers ORDER BY pair" |
    sed -n 's/^  pair (String) = //p' | tr '\n' ' ' >pairs.txt
[ "$(cat pairs.txt)" = "AFG-TJK AFG-TKM AFG-UZB TJK-UZB TKM-UZB " ] || fail "frontier pairs: $(cat pairs.txt)"
[ "$(count all.gpkg countries)" -gt 0 ] && [ "$(count all.gpkg disputed)" -gt 0 ] || fail "polygons"
# The names of bordermap 0.1's fixed layers still work where no source has them.
expect_status 0 "$BORDERMAP" export --layers incidents,deployments,frontiers,countries,regions -o old.gpkg
[ "$(count old.gpkg deployments)" -eq "$want_dep" ] || fail "deployments: $(count old.gpkg deployments), wanted $want_dep"
[ "$(count old.gpkg regions)" -gt 100 ] || fail "regions"
pass


# Catalog layers carry the geocoder's match fields, and ACLED's numeric and
# date columns keep their types for QGIS (graduated symbols, time filters).
ogrinfo -so all.gpkg incidents >fields.txt
for f in "event_date: Date" "fatalities: Integer" "time_precision: Integer" \
         "geo_precision: Integer" "latitude: Real" "match_kind: String" "match_name: String"; do
    grep -q "^$f" fields.txt || fail "incidents field '$f' missing: $(cat fields.txt)"
done
ogrinfo -q all.gpkg -sql "SELECT COUNT(*) AS n FROM incidents WHERE geo_precision IS NULL
    OR latitude IS NULL OR match_kind IS NULL" | grep -q "n (Integer) = 0" ||
    fail "incidents without geo_precision, latitude or match_kind"
pass

# One default style per layer, QGIS's schema, a fixed update_time.
ogrinfo -q all.gpkg -sql "SELECT f_table_name, f_geometry_column, useAsDefault, update_time,
    length(styleQML) > 500 AS q, length(styleSLD) > 150 AS s FROM layer_styles" >styles.txt
[ "$(grep -c 'useAsDefault (Integer(Boolean)) = 1' styles.txt)" -eq 5 ] || fail "useAsDefault: $(cat styles.txt)"
[ "$(grep -c 'update_time (DateTime) = 2000/01/01 00:00:00' styles.txt)" -eq 5 ] || fail "update_time"
[ "$(grep -c 'f_geometry_column (String) = geom' styles.txt)" -eq 5 ] || fail "geometry column"
[ "$(grep -c -e ' q (Integer) = 1' -e ' s (Integer) = 1' styles.txt)" -eq 10 ] || fail "QML/SLD missing"
# Incidents: rules on the style's filter (geo_precision) and match (event_type).
ogrinfo -q all.gpkg -sql "SELECT styleQML FROM layer_styles WHERE f_table_name = 'incidents'" >qml.txt
grep -q 'type="RuleRenderer"' qml.txt && grep -q '&quot;geo_precision&quot; = 3 AND &quot;event_type&quot;' qml.txt ||
    fail "incidents not rule-based on geo_precision and event_type"
# Every QML and SLD document is well-formed XML.
python3 - all.gpkg <<'EOF' || fail "malformed style XML"
import sqlite3, sys, xml.dom.minidom
for name, qml, sld in sqlite3.connect(sys.argv[1]).execute(
        "SELECT f_table_name, styleQML, styleSLD FROM layer_styles"):
    for kind, doc in (("QML", qml), ("SLD", sld)):
        try:
            xml.dom.minidom.parseString(doc.encode())
        except Exception as e:
            sys.exit(f"{name} {kind}: {e}")
EOF
pass

# GeoJSON: one file per layer, RFC 7946 as written by GDAL.
expect_status 0 "$BORDERMAP" export --style "$STYLE" -o out.geojson
for l in countries features disputed frontiers incidents; do
    [ -s "out-$l.geojson" ] || fail "out-$l.geojson missing"
    [ "$(count "out-$l.geojson" "out-$l")" = "$(count all.gpkg "$l")" ] || fail "$l: GeoJSON and GeoPackage counts differ"
done
pass
python3 - out-*.geojson <<'EOF' || fail "RFC 7946 check"
import json, re, sys

def area2(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]))

def polygons(g):
    if g["type"] == "Polygon":
        yield g["coordinates"]
    elif g["type"] == "MultiPolygon":
        yield from g["coordinates"]

def positions(c):
    if isinstance(c[0], (int, float)):
        yield c
    else:
        for x in c:
            yield from positions(x)

bad = []
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    doc = json.loads(text)
    if "crs" in doc:
        bad.append(f"{path}: has a crs member")
    if re.search(r'"coordinates".*?\d\.\d{8,}', text):
        bad.append(f"{path}: more than 7 decimals")
    for i, f in enumerate(doc["features"]):
        g = f["geometry"]
        if g is None:
            continue
        for lon, lat, *_ in positions(g["coordinates"]):
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                bad.append(f"{path}: feature {i}: {lon},{lat} out of range")
                break
        for poly in polygons(g):
            if area2(poly[0]) <= 0:
                bad.append(f"{path}: feature {i}: exterior ring not counter-clockwise")
            if any(area2(h) >= 0 for h in poly[1:]):
                bad.append(f"{path}: feature {i}: hole not clockwise")
print("\n".join(bad[:10]), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
pass

# Same inputs, same bytes: GeoJSON and GeoPackage alike.
expect_status 0 "$BORDERMAP" export --style "$STYLE" --layers incidents,frontiers -o again.geojson
cmp -s out-incidents.geojson again-incidents.geojson && cmp -s out-frontiers.geojson again-frontiers.geojson ||
    fail "GeoJSON differs between runs"
mkdir again && expect_status 0 "$BORDERMAP" export --style "$STYLE" -o again/all.gpkg
cmp -s all.gpkg again/all.gpkg || fail "GeoPackage differs between runs"
pass

# One layer: the path as given; - is standard output; a catalog from stdin.
expect_status 0 "$BORDERMAP" export --layers frontiers --countries AFG,TJK,UZB -o one.geojson
[ "$(count one.geojson one)" -eq 3 ] || fail "AFG,TJK,UZB should have 3 frontiers"
"$BORDERMAP" export --layers deployments -o - >stdout.geojson 2>err || fail "stdout: $(cat err)"
python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))['features']) == $want_dep" stdout.geojson ||
    fail "deployments on stdout"
"$BORDERMAP" export --catalog - --layers incidents -o - <"$CATALOG" >stdin.geojson 2>err || fail "stdin: $(cat err)"
cmp -s stdin.geojson out-incidents.geojson || fail "catalog from stdin differs"
pass

# Errors: usage (2) and runtime (1), and no file left behind.
expect_status 2 "$BORDERMAP" export --layers incidents,borders -o x.gpkg
expect_stderr "no source 'borders'"
expect_stderr "its sources: countries, features, disputed, frontiers, incidents"
expect_status 2 "$BORDERMAP" export --layers incidents,frontiers -o -
expect_stderr "one GeoJSON layer"
expect_status 2 "$BORDERMAP" export -o x.shp
expect_no_file x.shp
expect_status 2 "$BORDERMAP" export --style nonexistent.json -o x.gpkg
expect_no_file x.gpkg
expect_status 1 "$BORDERMAP" export --catalog missing.csv -o x.gpkg
expect_stderr "missing.csv"
expect_no_file x.gpkg
expect_status 2 "$BORDERMAP" export --countries AFG,XXX --layers frontiers -o x.geojson
expect_no_file x.geojson
# Two frontier sources in one style are two frontier sets, drawn and
# exported apart, and {length} and {length_km} label them in both; a
# source no layer draws is not exported.
cat >two.json <<'EOF'
{"page": {"extent": [60, 30, 90, 52], "size": [900, 700], "legend": false, "inset": false},
 "sources": {"south": {"type": "frontiers", "countries": ["AFG", "TJK"]},
             "east": {"type": "frontiers", "countries": ["CHN", "KAZ"]},
             "unused": {"type": "geodata", "data": "admin1"}},
 "layers": [
   {"id": "s", "type": "frontier", "source": "south",
    "layout": {"text-field": "{name} S {length} / {length_km}"}, "paint": {"line-color": "#c00"}},
   {"id": "e", "type": "frontier", "source": "east",
    "layout": {"text-field": "{name} E {length} / {length_km}"}, "paint": {"line-color": "#00c"}}]}
EOF
expect_status 0 "$BORDERMAP" render two.json -o two.svg
python3 - two.svg <<'EOF' || fail "two frontier sources: labels"
import re, sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
text = " ".join(t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild)
for want in (r"Afghanistan–Tajikistan S [\d,]+ km / \d+\.\d+", r"China–Kazakhstan E [\d,]+ km / \d+\.\d+"):
    if not re.search(want, text):
        sys.exit(f"no label matching {want!r} in: {text[:400]}")
if re.search("Afghanistan–Tajikistan E|China–Kazakhstan S", text):
    sys.exit("a frontier is labelled by the other source's layer")
EOF
expect_status 2 "$BORDERMAP" export --style two.json --catalog "$CATALOG" -o two.gpkg
expect_stderr "two.json has no catalog source"
expect_no_file two.gpkg
expect_status 0 "$BORDERMAP" export --style two.json -o two.gpkg
layers=$(ogrinfo -q two.gpkg | awk '{print $2}' | tr '\n' ' ')
[ "$layers" = "south east layer_styles " ] || fail "two.json layers: $layers"
ogrinfo -q two.gpkg -sql "SELECT name FROM south" | grep -q "name (String) = Afghanistan–Tajikistan" &&
    ogrinfo -q two.gpkg -sql "SELECT name FROM east" | grep -q "name (String) = China–Kazakhstan" &&
    [ "$(count two.gpkg south)" -eq 1 ] && [ "$(count two.gpkg east)" -eq 1 ] ||
    fail "two frontier sources exported together"
ogrinfo -so two.gpkg east | grep -q "^length_km: Real" && ogrinfo -so two.gpkg east | grep -q "^length: String" ||
    fail "frontier layer fields"
pass

# Styles may use the frontier distance fields on a catalog source (match,
# text-field); the map labels them and the export carries them. A style
# that does not use them exports without them.
cat >distance.json <<'EOF'
{"version": 8, "name": "distance",
 "page": {"width": 800, "height": 600, "extent": [60, 34, 76, 42]},
 "sources": {"incidents": {"type": "catalog"}},
 "layers": [
   {"id": "near", "type": "circle", "source": "incidents",
    "paint": {"circle-radius": 3,
              "circle-color": ["match", ["get", "frontier_iso"], "AFG-TJK", "#d55e00", "#777777"]},
    "layout": {"text-field": "{frontier_iso} {frontier_km} km in {in_country}"}}]}
EOF
expect_status 0 "$BORDERMAP" render distance.json -o distance.svg
python3 - distance.svg <<'EOF' || fail "frontier distance labels"
import re, sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
text = " ".join(t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild)
if not re.search(r"AFG-TJK 0(\.\d+)? km in (AFG|TJK)", text):
    sys.exit(f"no Tajik-Afghan border label in: {text[:400]}")
EOF
expect_status 0 "$BORDERMAP" export --style distance.json -o distance.gpkg
ogrinfo -so distance.gpkg incidents | grep -q "^frontier_km: Real" || fail "no frontier_km in the export"
ogrinfo -q distance.gpkg -sql "SELECT frontier_km FROM incidents WHERE location = 'Tajik-Afghan border'" |
    grep -q "frontier_km (Real) = 0" || fail "Tajik-Afghan border rows: frontier_km"
ogrinfo -so all.gpkg incidents | grep -q "^frontier_km" && fail "frontier_km exported unasked"
pass

done_checks

