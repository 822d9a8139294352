# qgis-compare.sh — the print layout QGIS exports from bordermap's project
# against bordermap's own PNG of each bundled style: the same page, the
# incidents at the same pixels in the same colours, and every label
# bordermap places placed by QGIS too (tests/qgis/compare.py). The pages
# are kept in $BM_COMPARE_DIR when it is set, to be looked at side by side.
. "$(dirname "$0")/lib.sh"
: "${PAGE_POINTS:?path to the page_points test program}"
PY=/usr/bin/python3
"$PY" -c "import qgis.core" 2>/dev/null || fail "python3-qgis missing: run scripts/install-deps"
pass

export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$SCRATCH"
keep=${BM_COMPARE_DIR:-}
for name in central-asia fergana-batken print-bw; do
    style="$BM_SOURCE_DIR/styles/$name.json"
    mkdir -p "$name"
    expect_status 0 "$BORDERMAP" export --style "$style" -o "$name/map.qgz"
    expect_status 0 "$BORDERMAP" render "$style" -o "$name/bordermap.png"
    "$PAGE_POINTS" "$style" >"$name/points.txt" 2>err || fail "page_points $name: $(cat err)"
    grep -q '^point ' "$name/points.txt" && grep -q '^label ' "$name/points.txt" ||
        fail "page_points $name: no points or labels"
    "$PY" "$BM_SOURCE_DIR/tests/qgis/compare.py" "$name/map.qgz" "$style" "$name/bordermap.png" \
        "$name/points.txt" "$name/qgis.png" >out 2>err ||
        fail "QGIS's layout of $name against bordermap's PNG: $(cat out) $(grep -v '^QStandardPaths' err | tail -5)"
    if [ -n "$keep" ]; then
        mkdir -p "$keep" && cp "$name/bordermap.png" "$keep/$name-bordermap.png" &&
            cp "$name/qgis.png" "$keep/$name-qgis.png"
    fi
    pass
done
done_checks
