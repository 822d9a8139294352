# CLI tests of `bordermap render`.
. "$(dirname "$0")/lib.sh"
STYLES=$BM_SOURCE_DIR/styles
DATA=$BM_TEST_DATA/render
CAT=$DATA/incidents.csv

# One layout, three formats.
expect_status 0 "$BORDERMAP" render "$STYLES/central-asia.json" --catalog "$CAT" \
    --size 800x560 --dpi 100 -o map.png -o map.svg -o map.pdf
for f in map.png map.svg map.pdf; do [ -s "$f" ] || fail "$f missing"; done
ls -a | grep -q '\.tmp-' && fail "temporary file left behind"
pass

# PNG: the requested pixels, and the dpi in a pHYs chunk (100 dpi = 3937 px/m).
python3 - map.png <<'PY' || fail "bad PNG header"
import struct, sys
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
w, h = struct.unpack('>II', d[16:24])
assert (w, h) == (800, 560), (w, h)
i = d.index(b'pHYs')
assert struct.unpack('>IIB', d[i + 4:i + 13]) == (3937, 3937, 1)
PY
pass

# SVG: well-formed XML, text kept as <text> rather than cairo's glyph
# outlines: the title, a country, a frontier with its length.
xmllint --noout map.svg || fail "SVG is not well-formed XML"
grep -q '<use xlink:href="#glyph' map.svg && fail "glyph outlines left in the SVG"
python3 - map.svg <<'PY' || fail "labels missing from the SVG's text"
import sys, xml.etree.ElementTree as ET
texts = list(ET.parse(sys.argv[1]).iter('{http://www.w3.org/2000/svg}text'))
whole = [t.text for t in texts if t.get('transform') is None]
for want in ('Security incidents', 'KAZAKHSTAN', 'Afghanistan–Tajikistan', '1,362 km'):
    assert any(want in t for t in whole), want
PY
pass

# At the default size the river's name follows its curve.
expect_status 0 "$BORDERMAP" render "$STYLES/central-asia.json" --catalog "$CAT" -o curve.svg
python3 - curve.svg <<'PY' || fail "curved label missing from the SVG's text"
import sys, xml.etree.ElementTree as ET
texts = ET.parse(sys.argv[1]).iter('{http://www.w3.org/2000/svg}text')
curved = ''.join(t.text for t in texts if 'rotate(' in (t.get('transform') or ''))
assert 'Amu Darya' in curved, curved
PY
pass

# PDF: one page of 800x560 px at 100 dpi = 576x403.2 pt, the title as
# metadata, no creation date, text kept as text, and it rasterises.
pdfinfo map.pdf >info || fail "pdfinfo cannot read the PDF"
grep -q "^Pages: *1$" info || fail "expected one page: $(cat info)"
grep -q "^Page size: *576 x 403.2 pts" info || fail "wrong page size: $(grep 'Page size' info)"
grep -q "^Title: *Security incidents" info || fail "no title metadata"
grep -q "CreationDate" info && fail "the PDF has a creation date"
pdftotext map.pdf - | grep -q "Afghanistan–Tajikistan" || fail "frontier annotation not text"
pdftoppm -r 30 -png map.pdf page || fail "pdftoppm cannot rasterise the PDF"
[ -s page-1.png ] || fail "no raster from the PDF"
pass

# Reproducible: the same inputs give byte-identical SVG, PDF and PNG.
expect_status 0 "$BORDERMAP" render "$STYLES/central-asia.json" --catalog "$CAT" \
    --size 800x560 --dpi 100 -o again.svg -o again.pdf -o again.png
cmp -s map.svg again.svg || fail "SVG differs between runs"
cmp -s map.pdf again.pdf || fail "PDF differs between runs"
cmp -s map.png again.png || fail "PNG differs between runs"
pass

# A catalog without coordinates (the style's own seed catalog, or a raw CSV
# given with --catalog) is geocoded on the way: its places get labels.
expect_status 0 "$BORDERMAP" render "$STYLES/central-asia.json" --size 800x560 --dpi 100 \
    -o seed.svg
expect_status 0 "$BORDERMAP" render "$STYLES/central-asia.json" --size 800x560 --dpi 100 \
    --catalog "$BM_SOURCE_DIR/geodata/catalog.csv" -o seed-csv.svg
for svg in seed.svg seed-csv.svg; do
    grep -q '>Aktobe</text>' "$svg" || fail "$svg: seed catalog not drawn"
done
cmp -s seed.svg seed-csv.svg || fail "style catalog and --catalog differ"
pass

# Options: another projection, an extent, a title, the catalog on stdin.
expect_status 0 "$BORDERMAP" render "$STYLES/fergana-batken.json" --crs EPSG:32642 \
    --extent 69,39.5,73,41.5 --title "Fergana test" --catalog - -o utm.pdf <"$CAT"
pdfinfo utm.pdf | grep -q "^Title: *Fergana test" || fail "--title not used"
pdftotext utm.pdf - | grep -q "UTM zone 42N" || fail "projection not credited"
pass

# Default output name under output/.
mkdir output
expect_status 0 "$BORDERMAP" render "$STYLES/fergana-batken.json" --size 300x200 --dpi 48
[ -s output/fergana-batken.png ] || fail "default output missing"
pass

# Bad styles: exit 2, the JSON path, no output file.
expect_status 2 "$BORDERMAP" render "$DATA/bad/syntax.json" -o bad.png
expect_stderr "syntax.json: JSON syntax error at line 4"
expect_no_file bad.png
expect_status 2 "$BORDERMAP" render "$DATA/bad/layer-type.json" -o bad.png
expect_stderr "field 'layers\[1\].type': unknown layer type 'hatch'"
expect_no_file bad.png
expect_status 2 "$BORDERMAP" render "$DATA/bad/colour.json" -o bad.svg
expect_stderr "field 'layers\[3\].paint.fill-color': expected a colour"
expect_no_file bad.svg
expect_status 2 "$BORDERMAP" render "$DATA/bad/source.json" -o bad.pdf
expect_stderr "field 'layers\[1\].source': no source named 'incidents'"
expect_no_file bad.pdf
expect_status 2 "$BORDERMAP" render "$DATA/bad/filter-field.json" -o bad.png
expect_stderr "field 'layers\[0\].filter\[2\]': unknown field 'continent'"
expect_no_file bad.png

# Bad options: exit 2, nothing written.
expect_status 2 "$BORDERMAP" render "$STYLES/central-asia.json" --extent 80,30,60,50 -o bad.png
expect_stderr "--extent wants"
expect_status 2 "$BORDERMAP" render "$STYLES/central-asia.json" --crs EPSG:999999 -o bad.png
expect_stderr "PROJ does not accept"
expect_status 2 "$BORDERMAP" render "$STYLES/central-asia.json" -o bad.gif
expect_stderr "unknown output format"
expect_no_file bad.png
expect_no_file bad.gif
# The country polygons are read once per map, though the geocoder (a row
# that names only a country, a frontier phrase) and the drawing both need
# them: the map's context hands the same boundaries to both.
printf 'event_date,event_type,country,location\n2015-01-01,Battles,Tajikistan,Tajikistan\n2015-01-02,Battles,Tajikistan,Tajik-Afghan border\n' >rows.csv
# (LeakSanitizer cannot run under ptrace: a sanitizer build checks leaks elsewhere.)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -f -e trace=open,openat -o opens.txt "$BORDERMAP" render "$STYLES/central-asia.json" \
    --catalog rows.csv -o once.png --quiet 2>err || fail "render under strace: $(cat err)"
[ "$(grep -c 'countries.fgb' opens.txt)" -eq 1 ] ||
    fail "countries.fgb opened $(grep -c 'countries.fgb' opens.txt) times"
pass
# A geometry GEOS fails on is an error naming the file and the feature,
# not a shape silently missing from the map.
cat >huge.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"n": "fine"}, "geometry": {"type": "Polygon",
  "coordinates": [[[65, 35], [70, 35], [70, 40], [65, 40], [65, 35]]]}},
 {"type": "Feature", "properties": {"n": "far"}, "geometry": {"type": "Polygon",
  "coordinates": [[[66, 36], [1e308, 39], [69, 36], [66, 36]]]}}]}
EOF
cat >huge.json <<'EOF'
{"page": {"extent": [60, 30, 80, 45], "size": [600, 400]},
 "sources": {"shapes": {"type": "geojson", "data": "huge.geojson"}},
 "layers": [{"id": "f", "type": "fill", "source": "shapes"}]}
EOF
expect_status 1 "$BORDERMAP" render huge.json -o huge.png
expect_stderr "huge.geojson:2: cannot project the geometry of source 'shapes'"
expect_no_file huge.png
done_checks
