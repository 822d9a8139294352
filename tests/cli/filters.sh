#!/bin/bash
# filters.sh — one filter for every command: geocode, render, export and a
# batch job select the same rows of the same catalog, and say so in their
# accounts.
. "$(dirname "$0")/lib.sh"
: "${BM_SOURCE_DIR:?}"
SEED=$BM_SOURCE_DIR/geodata/catalog.csv
STYLE=$BM_SOURCE_DIR/styles/central-asia.json

# ids FILE...: the sorted event ids of GeoJSON or GeoPackage layers.
ids() {
    for f in "$@"; do ogrinfo -ro -al -q "$f" | sed -n 's/^  event_id_cnty (String) = //p'; done | sort
}

# account FILE: "read placed unresolved rejected filtered" from a --json summary.
account() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["rows_read"], j["placed"], j["unresolved"], j["rejected"], j["filtered_out"])' "$1"
}

check_filter() { # check_filter NAME EXPECTED_COUNT ARGS...
    local name=$1 want=$2
    shift 2
    expect_status 0 "$BORDERMAP" geocode "$SEED" "$@" -o "g-$name.geojson" --json
    account out >acc-geocode
    expect_status 0 "$BORDERMAP" export --catalog "$SEED" --layers incidents "$@" \
        -o "e-$name.gpkg" --json
    account out >acc-export
    expect_status 0 "$BORDERMAP" render "$STYLE" --catalog "$SEED" "$@" -o "r-$name.png" --json
    account out >acc-render
    ids "g-$name.geojson" >ids-geocode
    ids "e-$name.gpkg" >ids-export
    [ "$(wc -l <ids-geocode)" -eq "$want" ] || fail "$name: $(wc -l <ids-geocode) rows, wanted $want"
    diff ids-geocode ids-export || fail "$name: geocode and export selected different rows"
    cmp -s acc-geocode acc-export && cmp -s acc-geocode acc-render ||
        fail "$name: accounts differ: $(cat acc-geocode) / $(cat acc-export) / $(cat acc-render)"
    read -r read placed unresolved rejected filtered <acc-geocode
    [ "$read" -eq $((placed + unresolved + rejected + filtered)) ] || fail "$name: account does not add up"
    [ "$placed" -eq "$want" ] || fail "$name: $placed placed, wanted $want"
    pass
}

# Expected counts come from the catalog itself, by a second reading.
count() { # count PYTHON-CONDITION-ON-r
    python3 - "$SEED" "$1" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
print(sum(1 for r in rows if eval(sys.argv[2])))
EOF
}

n_all=$(count 'True')
check_filter none "$n_all"
check_filter dates "$(count '"2015-01-01" <= r["event_date"] <= "2016-12-31"')" --from 2015 --to 2016
check_filter country "$(count 'r["country"] in ("Tajikistan", "Kyrgyzstan")')" --country TJK,Kyrgyzstan
check_filter type "$(count 'r["event_type"] == "Battles"')" --event-type Battles
check_filter where "$(count 'r["fatalities"] != "" and int(r["fatalities"]) >= 1')" \
    --where "fatalities is not empty and fatalities >= 1"
check_filter combined "$(count 'r["country"] == "Tajikistan" and r["event_date"] >= "2020"')" \
    --country Tajikistan --from 2020 --bbox 60,30,80,45
[ "$(count 'True')" -gt "$(count 'r["country"] == "Tajikistan"')" ] || fail "the fixture filters nothing"

# The same filter in a batch job selects the same rows.
cat >jobs.json <<EOF
{"jobs": [{"name": "tjk", "style": "$STYLE", "catalog": "$SEED",
           "overrides": {"size": [400, 300], "filter": {"country": "Tajikistan", "from": "2020",
                                                      "bbox": [60, 30, 80, 45]}},
           "outputs": ["tjk.png"]}]}
EOF
expect_status 0 "$BORDERMAP" batch jobs.json --json -j 1
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["jobs"][0]["rows"]; print(r["read"], r["placed"], r["unresolved"], r["rejected"], r["filtered_out"])' out >acc-batch
"$BORDERMAP" geocode "$SEED" --country Tajikistan --from 2020 --bbox 60,30,80,45 -o g.geojson --json >g.json 2>/dev/null
account g.json >acc-geocode
cmp -s acc-batch acc-geocode || fail "batch account $(cat acc-batch) differs from geocode's $(cat acc-geocode)"
pass

# Bad filters are usage errors naming the option.
expect_status 2 "$BORDERMAP" geocode "$SEED" --where "fatalities >=" -o x.geojson
expect_stderr "--where: at character"
expect_status 2 "$BORDERMAP" render "$STYLE" --from 2015-13 -o x.png
expect_stderr "--from"
expect_status 2 "$BORDERMAP" export --bbox 1,2,3 -o x.gpkg
expect_status 2 "$BORDERMAP" geocode "$SEED" --where "colour = 'red'" -o x.geojson
expect_stderr "unknown field 'colour'"
expect_no_file x.geojson

done_checks
