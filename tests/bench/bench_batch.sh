#!/usr/bin/env bash
# bench_batch.sh — batch rendering throughput: 50 maps of 1500x1000 px with
# -j 1 and -j 2 (or -j N), and the speed-up.
#
# Usage: tests/bench/bench_batch.sh [BORDERMAP] [N_WORKERS]
#   BORDERMAP defaults to build/bordermap; N_WORKERS to 2.
# Each run uses --force, so every map is rendered; the catalog is geocoded
# once per run in both cases.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/build/bordermap}")
workers=${2:-2}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

# 50 maps: the four years and all years, over a few extents.
python3 - "$root/styles/central-asia.json" >jobs.json <<'EOF'
import json, sys
extents = [[46, 30, 88, 52], [55, 33, 76, 45], [60, 29, 76, 40], [66, 36, 81, 44], [50, 35, 70, 47]]
years = ["2014", "2015", "2016", "2017", None]
jobs = []
for i in range(50):
    y = years[i % 5]
    o = {"extent": extents[(i // 5) % 5], "title": f"Map {i + 1}"}
    if y:
        o["filter"] = {"from": y, "to": y}
    jobs.append({"name": f"map{i + 1:02d}", "overrides": o, "outputs": [f"maps/map{i + 1:02d}.png"]})
print(json.dumps({"defaults": {"style": sys.argv[1], "overrides": {"size": [1500, 1000]}},
                  "jobs": jobs}))
EOF

run() {
    local start end
    start=$(date +%s.%N)
    "$bin" batch jobs.json -j "$1" --force --quiet
    end=$(date +%s.%N)
    python3 -c "print($end - $start)"
}

"$bin" batch jobs.json -j "$workers" --quiet # warm the page cache and font caches
t1=$(run 1)
tn=$(run "$workers")
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
printf 'machine: %s, %s cores, %s\n' "$cpu" "$(nproc)" "$(uname -sr)"
printf '50 maps 1500x1000: -j 1 %.1f s (%.2f s/map), -j %s %.1f s; speed-up %.2f\n' \
    "$t1" "$(python3 -c "print($t1 / 50)")" "$workers" "$tn" "$(python3 -c "print($t1 / $tn)")"
