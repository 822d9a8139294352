#!/bin/bash
# extract.sh — `bordermap extract`: the outputs (CSV, GeoJSON, GeoPackage
# with the quote, stdout into render), standard input, event groups across
# articles, options, byte-identical output, and bad input (binary, invalid
# UTF-8, empty, 100 MB, deeply nested HTML) that fails cleanly.
. "$(dirname "$0")/lib.sh"
STYLE="$BM_SOURCE_DIR/styles/central-asia.json"

# Sentences of our own, two articles on one clash.
cat > a.txt <<'TXT'
Border clash reported

Tajik border guards exchanged fire with smugglers near Panj on Tuesday. One border guard was killed.

Police detained four men in Osh on 3 May.
TXT
cat > b.txt <<'TXT'
Smugglers and Tajik border guards exchanged fire near Panj on Tuesday, officials said.
TXT

expect_status 0 "$BORDERMAP" extract --help
grep -q 'Rules' out || fail "--help lacks the rules"
pass

expect_status 0 "$BORDERMAP" extract a.txt b.txt --date-hint 2021-05-13 -o c.csv
expect_stderr '2 articles, 3 candidate rows'
python3 - <<'PY' || fail "CSV rows"
import csv
rows = list(csv.DictReader(open("c.csv", encoding="utf-8")))
head = list(rows[0].keys())
assert head[:18] == ["event_id_cnty", "event_date", "time_precision", "event_type",
                     "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
                     "latitude", "longitude", "geo_precision", "fatalities", "source", "notes",
                     "source_file", "source_quote"], head
for f in ("confidence", "event_group", "match_kind", "match_name", "match_id"):
    assert f in head, f
panj = [r for r in rows if r["location"] == "Panj"]
assert len(panj) == 2, rows
a, b = panj
assert (a["source_file"], b["source_file"]) == ("a.txt", "b.txt"), panj
assert a["event_date"] == b["event_date"] == "2021-05-11" and a["time_precision"] == "1", panj
assert a["event_group"] == b["event_group"], panj          # one event, two articles
assert a["fatalities"] == "1", a                           # the next sentence goes on
assert a["sub_event_type"] == "Armed clash" and a["actor1"] == "Border Guards of Tajikistan", a
assert a["source_quote"].startswith("Tajik border guards exchanged fire"), a
assert a["country"] == "Tajikistan" and a["match_kind"] == "place", a
osh = [r for r in rows if r["location"] == "Osh"][0]
assert osh["sub_event_type"] == "Arrests" and osh["event_date"] == "2021-05-03", osh
assert osh["event_group"] != a["event_group"], osh
assert 0 <= float(osh["confidence"]) <= 1
PY
pass

# GeoPackage: the quote is an attribute; GeoJSON: same rows, same bytes twice
expect_status 0 "$BORDERMAP" extract a.txt --date-hint 2021-05-13 -o c.gpkg
ogrinfo -ro -al c.gpkg candidates | grep -q 'source_quote (String) = Tajik border guards' ||
    fail "GeoPackage lacks source_quote"
pass
expect_status 0 "$BORDERMAP" extract a.txt --date-hint 2021-05-13 -o c1.geojson
expect_status 0 "$BORDERMAP" extract a.txt --date-hint 2021-05-13 -o c2.geojson
cmp -s c1.geojson c2.geojson || fail "GeoJSON differs between runs"
pass

# standard input, and the pipe into render
expect_status 0 "$BORDERMAP" extract - --date-hint 2021-05-13 -o stdin.geojson < a.txt
python3 -c "import json,sys; d=json.load(open('stdin.geojson')); assert len(d['features'])==2" ||
    fail "stdin extract"
pass
"$BORDERMAP" extract a.txt b.txt --date-hint 2021-05-13 -o - 2>/dev/null |
    "$BORDERMAP" render "$STYLE" --catalog - -o map.png 2>err || fail "pipe into render: $(cat err)"
grep -q '3 rows read = 3 placed' err || fail "render did not place the rows: $(cat err)"
[ -s map.png ] || fail "no map"
pass

# saved HTML: the article body without navigation, its date from the metadata
expect_status 0 "$BORDERMAP" extract "$BM_TEST_DATA/extract/ap-2018-08-27-panj.html" -o html.csv
python3 - <<'PY' || fail "HTML article"
import csv
rows = list(csv.DictReader(open("html.csv", encoding="utf-8")))
panj = [r for r in rows if r["location"] == "Panj River"]
assert panj and panj[0]["event_date"] == "2018-08-26" and panj[0]["fatalities"] == "2", rows
assert panj[0]["source_file"] == "ap-2018-08-27-panj.html", panj
assert not any("Home" in r["source_quote"] for r in rows), rows
PY
pass

# the confidence floor
expect_status 0 "$BORDERMAP" extract a.txt --min-confidence 0.99 -o none.geojson
expect_stderr '0 candidate rows'
python3 -c "import json; assert json.load(open('none.geojson'))['features']==[]" || fail "floor"
pass

# usage errors
expect_status 2 "$BORDERMAP" extract
expect_status 2 "$BORDERMAP" extract a.txt --date-hint 2021-02-30
expect_stderr "is not a date"
expect_status 2 "$BORDERMAP" extract a.txt --min-confidence 1.5
expect_status 2 "$BORDERMAP" extract a.txt -o out.shp
expect_status 2 "$BORDERMAP" extract a.txt -o a.txt

# bad input: a clear error naming the file, nothing written
printf 'Police detained\0 two men in Osh.' > nul.txt
expect_status 1 "$BORDERMAP" extract nul.txt -o bad.csv
expect_stderr 'nul.txt'
expect_no_file bad.csv
printf 'Police detained two men in Osh \xff\xfe.' > latin.txt
expect_status 1 "$BORDERMAP" extract latin.txt -o bad.csv
expect_stderr 'latin.txt'
expect_no_file bad.csv
: > empty.txt
expect_status 1 "$BORDERMAP" extract empty.txt -o bad.geojson
expect_stderr 'empty.txt'
expect_no_file bad.geojson
expect_status 1 "$BORDERMAP" extract a.txt missing.txt -o bad.gpkg
expect_stderr 'missing.txt'
expect_no_file bad.gpkg
head -c 100000000 /dev/zero | tr '\0' 'a' > big.txt
expect_status 1 "$BORDERMAP" extract big.txt -o bad.csv
expect_stderr 'big.txt'
expect_no_file bad.csv
rm -f big.txt
# 100,000 nested elements: an error or a result, never a crash
python3 -c "
n = 100000
print('<!doctype html><html><body>' + '<div>' * n + '<p>Police detained two men in Osh.</p>' + '</div>' * n + '</body></html>')" > deep.html
"$BORDERMAP" extract deep.html -o deep.geojson > out 2> err
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "deep HTML: exit $rc: $(cat err)"
[ "$rc" -eq 0 ] || grep -q 'deep.html' err || fail "deep HTML error names no file: $(cat err)"
pass

done_checks
