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
done
done_checks
