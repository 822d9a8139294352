# qgis.sh — the QGIS round trip: exports of each bundled map style opened by
# QGIS itself (Debian's python3-qgis, headless), see tests/qgis/roundtrip.py,
# plus SQLite's and GDAL's checks of the GeoPackage.
. "$(dirname "$0")/lib.sh"
# Debian's interpreter: python3-qgis is not on other Pythons' path.
PY=/usr/bin/python3
"$PY" -c "import qgis.core" 2>/dev/null || fail "python3-qgis missing: run scripts/install-deps"
pass

export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$SCRATCH"
for name in central-asia fergana-batken print-bw; do
    style="$BM_SOURCE_DIR/styles/$name.json"
    expect_status 0 "$BORDERMAP" export --style "$style" -o "$name.gpkg"
    expect_status 0 "$BORDERMAP" export --style "$style" -o "$name.geojson"
    [ "$(sqlite3 "$name.gpkg" "PRAGMA integrity_check")" = ok ] || fail "$name.gpkg: integrity_check"
    sqlite3 "$name.gpkg" "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column,
        styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time
        FROM layer_styles" >/dev/null || fail "$name.gpkg: layer_styles columns"
    [ "$(sqlite3 "$name.gpkg" "SELECT COUNT(*) FROM layer_styles WHERE styleSLD LIKE '%ElseFilter%'")" = 0 ] ||
        fail "$name.gpkg: an SLD has an ElseFilter"
    # (A source of mixed points and lines, the curated features, is a
    # GEOMETRY table, which the validator accepts.)
    "$PY" -m osgeo_utils.samples.validate_gpkg "$name.gpkg" >err 2>&1 ||
        fail "$name.gpkg: validate_gpkg: $(tail -1 err)"
    "$PY" "$BM_SOURCE_DIR/tests/qgis/roundtrip.py" "$name.gpkg" "$name.geojson" "$style" >out 2>err ||
        fail "QGIS round trip of $name: $(grep -v '^QStandardPaths' err | head -20) $(cat out)"
    pass

    # The project: .qgz beside the .gpkg, moved together, opened by QGIS.
    frontiers=$("$PY" -c "import json, sys; s = json.load(open(sys.argv[1]))['sources']
print(next(k for k, v in s.items() if v['type'] == 'frontiers'))" "$style")
    expect_status 0 "$BORDERMAP" export --style "$style" --layers "$frontiers" -o "$name-frontiers.geojson"
    # bordermap's own page, whose legend the layout's must repeat.
    expect_status 0 "$BORDERMAP" render "$style" -o "$name.svg"
    mkdir -p "first/$name" "again/$name" "moved/$name"
    expect_status 0 "$BORDERMAP" export --style "$style" -o "first/$name/map.qgz"
    expect_status 0 "$BORDERMAP" export --style "$style" -o "again/$name/map.qgz"
    cmp -s "first/$name/map.qgz" "again/$name/map.qgz" || fail "$name: two .qgz exports differ"
    cmp -s "first/$name/map.gpkg" "again/$name/map.gpkg" || fail "$name: two .gpkg exports differ"
    [ "$(sqlite3 "first/$name/map.gpkg" "SELECT COUNT(*) FROM qgis_projects WHERE name = 'map'")" = 1 ] ||
        fail "$name: the GeoPackage beside the .qgz has no project"
    [ "$(unzip -Z1 "first/$name/map.qgz")" = map.qgs ] || fail "$name: map.qgz does not hold map.qgs"
    unzip -p "first/$name/map.qgz" map.qgs | grep -q 'source="./map.gpkg|layername=' ||
        fail "$name: layer sources are not relative"
    mv "first/$name/map.qgz" "first/$name/map.gpkg" "moved/$name/"
    "$PY" "$BM_SOURCE_DIR/tests/qgis/project.py" "moved/$name/map.qgz" "$PWD/moved/$name/map.gpkg" \
        "$style" "$name-frontiers.geojson" "$name-layout.png" "$name.svg" >out 2>err ||
        fail "QGIS project of $name: $(cat out) $(grep -v '^QStandardPaths' err | tail -5)"
    # The same project inside the GeoPackage of -o X.gpkg.
    [ "$(sqlite3 "$name.gpkg" "SELECT substr(content, 1, 8), metadata FROM qgis_projects WHERE name = '$name'")" = \
      '504b0304|{"last_modified_time":"2000-01-01T00:00:00","last_modified_user":"bordermap"}' ] ||
        fail "$name.gpkg: qgis_projects row"
    "$PY" "$BM_SOURCE_DIR/tests/qgis/project.py" "geopackage:$PWD/$name.gpkg?projectName=$name" \
        "$PWD/$name.gpkg" "$style" "$name-frontiers.geojson" "$name-stored.png" "$name.svg" >out 2>err ||
        fail "QGIS project stored in $name.gpkg: $(cat out) $(grep -v '^QStandardPaths' err | tail -5)"
    pass
done

# round_trip NAME STYLE: the style exported as NAME.gpkg and NAME.geojson
# and its stored QML and SLD drawn by QGIS as the style says.
round_trip() {
    expect_status 0 "$BORDERMAP" export --style "$2" -o "$1.gpkg" --quiet
    expect_status 0 "$BORDERMAP" export --style "$2" -o "$1.geojson" --quiet
    "$PY" "$BM_SOURCE_DIR/tests/qgis/roundtrip.py" "$1.gpkg" "$1.geojson" "$2" >out 2>err ||
        fail "QGIS round trip of $1: $(grep -v '^QStandardPaths' err | head -20) $(cat out)"
    pass
}

# Numeric comparisons ("<", "<=", ">", ">=") in filters become QGIS
# expressions and SLD comparisons.
round_trip comparisons "$BM_SOURCE_DIR/tests/data/qgis/comparisons.json"
qml=$(sqlite3 comparisons.gpkg "SELECT styleQML FROM layer_styles WHERE f_table_name = 'incidents'")
case "$qml" in *'&quot;fatalities&quot; &lt;= 10'*) ;; *) fail "comparisons: no fatalities <= 10 rule in the QML" ;; esac
sqlite3 comparisons.gpkg "SELECT styleSLD FROM layer_styles WHERE f_table_name = 'incidents'" |
    grep -q 'ogc:PropertyIsGreaterThan>' || fail "comparisons: no PropertyIsGreaterThan in the SLD"
pass

# Aggregate sources (events per admin-1 region, deaths per hexagon) with
# step and interpolated fill colours: data-defined colours in QML, classes
# in SLD. A heatmap layer becomes QGIS's heatmap renderer: radius, weight,
# ramp. The border analytics styles filter on the computed frontier_km and
# count frontiers and regions; the heatmap variant.
for name in choropleth heatmap; do
    round_trip "$name" "$BM_SOURCE_DIR/tests/data/qgis/$name.json"
    expect_status 0 "$BORDERMAP" render "$BM_SOURCE_DIR/tests/data/qgis/$name.json" -o "$name.png"
done
for name in border-analytics border-heatmap; do
    round_trip "$name" "$BM_SOURCE_DIR/styles/$name.json"
done

# Nothing is left when the project cannot be written: here the .qgz's
# name is taken by a directory.
mkdir -p taken/map.qgz
expect_status 1 "$BORDERMAP" export -o taken/map.qgz
expect_no_file taken/map.gpkg
[ -z "$(ls -A taken/map.qgz)" ] && [ "$(ls -A taken)" = map.qgz ] || fail "a failed .qgz export left $(ls -A taken)"
pass
done_checks
