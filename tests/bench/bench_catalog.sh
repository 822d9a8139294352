#!/usr/bin/env bash
# bench_catalog.sh — a large catalog in ACLED's export format through
# bordermap, against GDAL's ogr2ogr doing the same conversion: wall time
# and peak memory of
#   (a) bordermap geocode FILE.csv -o out.geojson  vs  ogr2ogr -f GeoJSON (RFC 7946)
#   (b) bordermap geocode FILE.csv -o out.gpkg     vs  ogr2ogr -f GPKG
#   (c) bordermap render styles/central-asia.json --catalog FILE.csv -o out.png
#
# Usage: tests/bench/bench_catalog.sh [BORDERMAP] [N] [RUNS]
#   BORDERMAP defaults to build/bordermap, N (rows) to 1000000, RUNS to 3;
#   BM_BENCH_RENDER_RUNS (default RUNS) sets the runs of case (c).
# The catalog is written once by gen_acled.py and kept in
# ${BM_BENCH_CACHE:-${TMPDIR:-/tmp}/bordermap-bench} (1,000,000 rows: ~520 MB).
# bordermap and ogr2ogr runs alternate; the table gives medians of wall
# seconds and of peak RSS (/usr/bin/time, Debian package `time`) and the
# ratios bordermap/ogr2ogr. A failing run is reported in the table, with
# its message below it, and that case's other bordermap runs are skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/build/bordermap}")
rows=${2:-1000000}
runs=${3:-3}
[ -x "$bin" ] || { echo "bench_catalog: no bordermap binary at $bin" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_catalog: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v ogr2ogr >/dev/null || { echo "bench_catalog: needs ogr2ogr (gdal-bin)" >&2; exit 2; }

cache=${BM_BENCH_CACHE:-${TMPDIR:-/tmp}/bordermap-bench}
mkdir -p "$cache"
csv=$cache/acled-$rows.csv
if [ ! -s "$csv" ] || [ "$root/tests/bench/gen_acled.py" -nt "$csv" ]; then
    echo "writing $csv ..." >&2
    python3 "$root/tests/bench/gen_acled.py" "$rows" "$csv.tmp"
    mv "$csv.tmp" "$csv"
fi
cat "$csv" >/dev/null # into the page cache

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
export BORDERMAP_GEODATA=${BORDERMAP_GEODATA:-$root/geodata}

# measure NAME OUTPUT CMD...: one run; appends "seconds KiB" to NAME.times,
# or records the failure in NAME.failed (status and the start of stderr).
measure() {
    local name=$1 out=$2
    shift 2
    rm -rf "$out"
    local status=0
    /usr/bin/time -f '%e %M' -o time.txt "$@" >/dev/null 2>err.txt || status=$?
    if [ "$status" -ne 0 ]; then
        { echo "exit $status: $*"; head -c 600 err.txt; } >"$name.failed"
        return 0
    fi
    tail -n 1 time.txt >>"$name.times"
}

ogr_csv=(-oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -oo KEEP_GEOM_COLUMNS=YES)
for ((r = 1; r <= runs; r++)); do
    [ -e bm_geojson.failed ] || measure bm_geojson out.geojson "$bin" geocode "$csv" -o out.geojson
    measure ogr_geojson out2.geojson ogr2ogr -f GeoJSON -lco RFC7946=YES "${ogr_csv[@]}" out2.geojson "$csv"
done
for ((r = 1; r <= runs; r++)); do
    [ -e bm_gpkg.failed ] || measure bm_gpkg out.gpkg "$bin" geocode "$csv" -o out.gpkg
    measure ogr_gpkg out2.gpkg ogr2ogr -f GPKG "${ogr_csv[@]}" out2.gpkg "$csv"
done
for ((r = 1; r <= ${BM_BENCH_RENDER_RUNS:-$runs}; r++)); do
    [ -e bm_render.failed ] || measure bm_render out.png "$bin" render "$root/styles/central-asia.json" --catalog "$csv" -o out.png
done

# cell NAME: "median_s median_MiB", or "failed" / "-" (not run).
cell() {
    if [ -e "$1.failed" ]; then
        echo failed
    elif [ -s "$1.times" ]; then
        python3 - "$1.times" <<'EOF'
import statistics, sys
runs = [line.split() for line in open(sys.argv[1])]
print(f"{statistics.median(float(s) for s, _ in runs):.2f} {statistics.median(int(k) for _, k in runs) / 1024:.0f}")
EOF
    else
        echo -
    fi
}

row() { # LABEL BORDERMAP_NAME OGR_NAME
    read -r bs bm _ <<<"$(cell "$2") -"
    read -r os om _ <<<"$(cell "$3") -"
    local tr=- mr=-
    if [ "$bm" != - ] && [ "$om" != - ]; then
        tr=$(python3 -c "print(f'{$bs / $os:.2f}')")
        mr=$(python3 -c "print(f'{$bm / $om:.2f}')")
    fi
    [ "$bs" = failed ] && bm=-
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$bs" "$bm" "$os" "$om" "$tr" "$mr"
}

cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
printf 'machine: %s, %s cores, %s; %s\n' "$cpu" "$(nproc)" "$(uname -sr)" "$(ogr2ogr --version)"
printf 'catalog: %s (%s rows, %s MiB), medians of %s runs\n\n' "$csv" "$rows" \
    "$(($(stat -c %s "$csv") / 1048576))" "$runs"
echo '| case | bordermap s | bordermap peak MiB | ogr2ogr s | ogr2ogr peak MiB | time ratio | RSS ratio |'
echo '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'
row 'CSV to GeoJSON (RFC 7946)' bm_geojson ogr_geojson
row 'CSV to GeoPackage' bm_gpkg ogr_gpkg
row 'render central-asia.json to PNG' bm_render none
for f in *.failed; do
    [ -e "$f" ] || continue
    printf "\n%s failed, %s\n" "${f%.failed}" "$(cat "$f")"
done
