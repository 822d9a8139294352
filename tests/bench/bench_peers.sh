#!/usr/bin/env bash
# bench_peers.sh — bordermap against MapServer (map2img) and Mapnik on one
# map, and against ogr2ogr on one conversion (issue 14):
#   the map: 3000x2000 PNG, Lambert azimuthal equal-area centred on 66°E
#   40°N, showing 46–86°E 30–50°N; the countries of geodata/countries.fgb
#   (Natural Earth, the same file for all three) filled with outlines; N
#   seeded random incidents as 6 px circles coloured by kind (5 classes);
#   variant "labels" adds each incident's name, DejaVu Sans 9 px with a
#   white halo, placed without collisions.
#     bordermap: tests/bench/peer_circles.json / peer_labels.json, the
#                incidents as a GeoPackage (--catalog)
#     map2img:   tests/bench/peer_map.map.in, the incidents as a shapefile
#     Mapnik:    tests/bench/peer_mapnik.py, the incidents as a shapefile
#   the conversion: N rows with coordinates (CSV) to GeoJSON (RFC 7946) and
#   to GeoPackage: `bordermap geocode` against `ogr2ogr`.
# Whole-process wall time and peak RSS (/usr/bin/time), the programs run
# alternately, RUNS times each; the tables give medians and ratios. A peer
# that is not installed is skipped (Debian: mapserver-bin, python3-mapnik).
#
# Usage: tests/bench/bench_peers.sh [BORDERMAP] [RUNS]
#   BORDERMAP defaults to build/bin/bordermap, RUNS to 5.
#   BM_PEERS_CIRCLES (default "1000 10000 100000"), BM_PEERS_LABELS
#   (default "10000 100000") and BM_PEERS_CONVERT (default 100000; empty
#   skips it) choose the sizes. The incidents are written once by
#   gen_incidents.py into ${BM_BENCH_CACHE:-${TMPDIR:-/tmp}/bordermap-bench}.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/build/bin/bordermap}")
runs=${2:-5}
circles_ns=${BM_PEERS_CIRCLES-1000 10000 100000}
labels_ns=${BM_PEERS_LABELS-10000 100000}
convert_ns=${BM_PEERS_CONVERT-100000}
[ -x "$bin" ] || { echo "bench_peers: no bordermap binary at $bin" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_peers: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
# Debian's python3 has python3-gdal and python3-mapnik (a pyenv one may not).
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
"$py" -c 'from osgeo import ogr' 2>/dev/null ||
    { echo "bench_peers: needs python3-gdal for $py" >&2; exit 2; }

have_ms=0 have_mapnik=0 have_ogr=0
command -v map2img >/dev/null && have_ms=1
"$py" -c 'import mapnik' 2>/dev/null && have_mapnik=1
command -v ogr2ogr >/dev/null && have_ogr=1
[ $have_ms = 1 ] || echo "bench_peers: map2img not found (apt-get install mapserver-bin): skipped" >&2
[ $have_mapnik = 1 ] || echo "bench_peers: python3-mapnik not found: Mapnik skipped" >&2
[ $have_ogr = 1 ] || echo "bench_peers: ogr2ogr not found (gdal-bin): conversion peer skipped" >&2

cache=${BM_BENCH_CACHE:-${TMPDIR:-/tmp}/bordermap-bench}/peers
mkdir -p "$cache"
for n in $circles_ns $labels_ns $convert_ns; do
    if [ ! -s "$cache/incidents-$n.csv" ] || [ "$root/tests/bench/gen_incidents.py" -nt "$cache/incidents-$n.csv" ]; then
        echo "writing $cache/incidents-$n.{gpkg,shp,csv} ..." >&2
        rm -f "$cache/incidents-$n".*
        "$py" "$root/tests/bench/gen_incidents.py" "$n" "$cache"
    fi
    cat "$cache/incidents-$n".* >/dev/null # into the page cache
done
countries=$root/geodata/countries.fgb
extent=$("$py" "$root/tests/bench/gen_incidents.py" --extent)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
export BORDERMAP_GEODATA=${BORDERMAP_GEODATA:-$root/geodata}
echo "dejavu /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" >fonts.txt
label_block='LABEL TEXT "[name]" FONT "dejavu" SIZE 9 COLOR 34 34 34 OUTLINECOLOR 255 255 255 OUTLINEWIDTH 1 POSITION AUTO OFFSET 4 4 PARTIALS FALSE FORCE FALSE END'
mapfile() { # N LABELS(0|1) > mapfile
    local label=
    [ "$2" = 1 ] && label=$label_block
    sed -e "s|@EXTENT@|$extent|" -e "s|@FONTSET@|$scratch/fonts.txt|" \
        -e "s|@COUNTRIES@|$countries|" -e "s|@INCIDENTS@|$cache/incidents-$1|" \
        -e "s|@LABEL@|$label|" "$root/tests/bench/peer_map.map.in"
}

# measure NAME CMD...: one run; appends "seconds KiB" to NAME.times, or
# records the failure in NAME.failed (status and the start of stderr).
measure() {
    local name=$1
    shift
    [ -e "$name.failed" ] && return 0
    local status=0
    /usr/bin/time -f '%e %M' -o time.txt "$@" >/dev/null 2>err.txt || status=$?
    if [ "$status" -ne 0 ]; then
        { echo "exit $status: $*"; head -c 600 err.txt; } >"$name.failed"
        return 0
    fi
    tail -n 1 time.txt >>"$name.times"
}

render_case() { # VARIANT N
    local v=$1 n=$2 lab=0 mlab=
    [ "$v" = labels ] && lab=1 mlab=--labels
    mapfile "$n" $lab >"map-$v-$n.map"
    for ((r = 1; r <= runs; r++)); do
        measure "bm-$v-$n" "$bin" render "$root/tests/bench/peer_$v.json" \
            --catalog "$cache/incidents-$n.gpkg" -o "bm-$v-$n.png"
        [ $have_ms = 0 ] || measure "ms-$v-$n" map2img -m "map-$v-$n.map" -o "ms-$v-$n.png"
        [ $have_mapnik = 0 ] || measure "mk-$v-$n" "$py" "$root/tests/bench/peer_mapnik.py" \
            "$countries" "$cache/incidents-$n.shp" "$extent" "mk-$v-$n.png" $mlab
    done
    if [ $lab = 1 ]; then # bordermap's labels placed, counted in an SVG of the same map
        "$bin" render "$root/tests/bench/peer_$v.json" --catalog "$cache/incidents-$n.gpkg" \
            -o "bm-$v-$n.svg" 2>/dev/null &&
            grep -o '>Place [0-9]*<' "bm-$v-$n.svg" | sort -u | wc -l >"bm-$v-$n.placed" || true
    fi
}

convert_case() { # N
    local n=$1 csv=$cache/incidents-$1.csv
    local oo=(-oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -oo KEEP_GEOM_COLUMNS=YES)
    for ((r = 1; r <= runs; r++)); do
        rm -f out.geojson; measure "bm-geojson-$n" "$bin" geocode "$csv" -o out.geojson
        rm -f out2.geojson
        [ $have_ogr = 0 ] || measure "ogr-geojson-$n" ogr2ogr -f GeoJSON -lco RFC7946=YES "${oo[@]}" out2.geojson "$csv"
        rm -f out.gpkg; measure "bm-gpkg-$n" "$bin" geocode "$csv" -o out.gpkg
        rm -f out2.gpkg
        [ $have_ogr = 0 ] || measure "ogr-gpkg-$n" ogr2ogr -f GPKG "${oo[@]}" out2.gpkg "$csv"
    done
}

for n in $circles_ns; do render_case circles "$n"; done
for n in $labels_ns; do render_case labels "$n"; done
for n in $convert_ns; do convert_case "$n"; done

# The tables: medians, "s / MiB" cells and the ratios.
"$py" - "$runs" "$circles_ns" "$labels_ns" "$convert_ns" "$bin" <<'EOF'
import os, platform, statistics, subprocess, sys

runs, circles, labels, convert, binary = sys.argv[1:6]

def cell(name):
    if os.path.exists(name + ".failed"):
        return "failed"
    if not os.path.exists(name + ".times"):
        return None
    rows = [line.split() for line in open(name + ".times")]
    return (statistics.median(float(s) for s, _ in rows),
            statistics.median(int(k) for _, k in rows) / 1024)

def fmt(c):
    return "–" if c is None else c if isinstance(c, str) else f"{c[0]:.2f} / {c[1]:.0f}"

def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.split("\n")[0][:40]
    except OSError:
        return "absent"

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
      f"load average at the end {os.getloadavg()[0]:.2f}")
print(f"bordermap {binary}; {version(['map2img', '-v'])}; "
      f"{version(['ogr2ogr', '--version'])}; medians of {runs} alternating runs\n")
print("| N | variant | bordermap s / peak MiB | map2img s / MiB | Mapnik s / MiB "
      "| bordermap / map2img time, memory | bordermap / faster peer | labels placed by bordermap |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for variant, ns in (("circles", circles), ("labels", labels)):
    for n in ns.split():
        bm, ms, mk = (cell(f"{p}-{variant}-{n}") for p in ("bm", "ms", "mk"))
        vs_ms = vs_peer = "–"
        if isinstance(bm, tuple) and isinstance(ms, tuple):
            vs_ms = f"{bm[0] / ms[0]:.2f}, {bm[1] / ms[1]:.2f}"
        peers = [c[0] for c in (ms, mk) if isinstance(c, tuple)]
        if isinstance(bm, tuple) and peers:
            vs_peer = f"{bm[0] / min(peers):.2f}"
        placed = "–"
        if os.path.exists(f"bm-{variant}-{n}.placed"):
            placed = open(f"bm-{variant}-{n}.placed").read().strip()
        print(f"| {int(n) // 1000}k | {variant} | {fmt(bm)} | {fmt(ms)} | {fmt(mk)} | {vs_ms} "
              f"| {vs_peer} | {placed} |")
if convert.split():
    print("\n| rows | conversion | bordermap geocode s / peak MiB | ogr2ogr s / MiB | time ratio | memory ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n in convert.split():
        for fmt_name, label in (("geojson", "CSV to GeoJSON (RFC 7946)"), ("gpkg", "CSV to GeoPackage")):
            bm, og = cell(f"bm-{fmt_name}-{n}"), cell(f"ogr-{fmt_name}-{n}")
            tr = mr = "–"
            if isinstance(bm, tuple) and isinstance(og, tuple):
                tr, mr = f"{bm[0] / og[0]:.2f}", f"{bm[1] / og[1]:.2f}"
            print(f"| {int(n) // 1000}k | {label} | {fmt(bm)} | {fmt(og)} | {tr} | {mr} |")
EOF
for f in *.failed; do
    [ -e "$f" ] || continue
    printf "\n%s failed, %s\n" "${f%.failed}" "$(cat "$f")"
done
if [ -n "${BM_PEERS_KEEP:-}" ]; then # keep the images to compare them
    mkdir -p "$BM_PEERS_KEEP" && cp ./*.png ./*.map "$BM_PEERS_KEEP"/ 2>/dev/null || true
fi
