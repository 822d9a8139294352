# qgis.sh — the QGIS round trip: exports opened by QGIS itself (Debian's
# python3-qgis, headless), see tests/qgis/roundtrip.py.
. "$(dirname "$0")/lib.sh"
STYLE="$BM_SOURCE_DIR/styles/central-asia.json"
# Debian's interpreter: python3-qgis is not on other Pythons' path.
PY=/usr/bin/python3
"$PY" -c "import qgis.core" 2>/dev/null || fail "python3-qgis missing: run scripts/install-deps"
pass

expect_status 0 "$BORDERMAP" export --style "$STYLE" -o map.gpkg
expect_status 0 "$BORDERMAP" export --style "$STYLE" -o map.geojson
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$SCRATCH"
"$PY" "$BM_SOURCE_DIR/tests/qgis/roundtrip.py" map.gpkg map.geojson "$STYLE" >out 2>err ||
    fail "QGIS round trip: $(grep -v '^QStandardPaths' err) $(cat out)"
pass
done_checks
