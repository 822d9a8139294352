#!/usr/bin/env python3
"""Evaluate `bordermap extract` on the five source articles against geodata/catalog.csv.

Usage: python3 tests/extract/eval.py [--bordermap PATH] [--min-recall R] [--min-confidence X]
                                     [--verbose]

Each article is extracted on its own (--date-hint: its date as ../shared/sources/README.md
gives it, used only when the text has no dateline) and compared with the catalog rows that
cite it. A catalog row is found when a candidate of the same article
  - lies within the geocoding tolerance of the catalog row's point (both geocoded by
    bordermap: 25 km at geo_precision 1, 50 km at 2, 100 km at 3, or the same gazetteer id),
  - and has the right date: the two dates' windows overlap (time_precision 1 the day,
    2 a week either side, 3 the month; the catalog's 4 the year). A candidate with no date
    is right only for a catalog row whose date the text does not give (time_precision 4:
    the catalog took the year from the article's date); the strict figure counts it wrong.
Recall = catalog rows found / catalog rows geocoded; precision = candidates that find a
catalog row / candidates. Exits 1 when recall < --min-recall (default 0.8).

Then the same for the test texts of tests/data/extract/ (excerpts of other public reports,
each with its publication date in the text) against their expected.csv, strictly (every
expected date is to the day); reported, not checked.
Source articles: $BORDERMAP_SOURCES, else ../shared/sources beside the repository, else
/work/shared/sources (as geodata/check_catalog.py looks them up); without them it exits 77
(ctest: skipped).
"""
import argparse
import calendar
import csv
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# The articles' dates as the sources' README states them (outlet, date "as far as the
# text shows"); a day inside the stated period.
DATE_HINTS = {
    "000_796c3890121a10e0.txt": "2018-01-15",  # early 2018
    "001_343f636b80d2b4d2.txt": "2016-07-15",  # July 2016
    "002_561550c436447e7d.txt": "2016-01-06",  # January 6, 2016
    "003_979f85ed034840dc.txt": "2015-12-01",  # late 2015
    "004_1f9dcc78433f830d.txt": "2015-04-01",  # spring 2015
}
TOLERANCE_KM = {1: 25.0, 2: 50.0, 3: 100.0}
SKIPPED = 77  # ctest's SKIP_RETURN_CODE


def sources_dir():
    for d in (os.environ.get("BORDERMAP_SOURCES"), os.path.join(REPO, "..", "shared", "sources"),
              "/work/shared/sources"):
        if d and os.path.isdir(d):
            return d
    print("eval: source articles not found (set BORDERMAP_SOURCES); skipped", file=sys.stderr)
    sys.exit(SKIPPED)


def km(a, b):
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def window(date, precision):
    """The days (first, last) a date of an ACLED time precision stands for."""
    d = datetime.date.fromisoformat(date)
    if precision <= 1:
        return d, d
    if precision == 2:
        return d - datetime.timedelta(days=7), d + datetime.timedelta(days=7)
    if precision == 3:
        return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])
    return d.replace(month=1, day=1), d.replace(month=12, day=31)


def date_right(cat, cand, strict):
    if not cand["event_date"]:
        return not strict and int(cat["time_precision"]) == 4
    a0, a1 = window(cat["event_date"], int(cat["time_precision"]))
    b0, b1 = window(cand["event_date"], int(cand["time_precision"] or 1))
    return a0 <= b1 and b0 <= a1


def place_right(cat, cand):
    if cat["match_id"] and cat["match_id"] == cand["match_id"]:
        return True
    tol = TOLERANCE_KM.get(cat["geo_precision"] or 3, 100.0)
    return km(cat["point"], cand["point"]) <= tol


def features(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    rows = []
    for feat in doc["features"]:
        p = dict(feat["properties"])
        g = feat.get("geometry")
        p["point"] = tuple(g["coordinates"]) if g else None
        rows.append(p)
    return rows


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"eval: {' '.join(cmd)} failed: {r.stderr}")


def test_texts(bordermap, tmp, min_confidence):
    """Recall and precision on tests/data/extract against its expected.csv."""
    data = os.path.join(REPO, "tests", "data", "extract")
    expected_path = os.path.join(data, "expected.csv")
    if not os.path.isfile(expected_path):
        return None
    with open(expected_path, encoding="utf-8", newline="") as f:
        expected = list(csv.DictReader(f))
    places = os.path.join(tmp, "expected.csv")
    with open(places, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["event_id_cnty", "location", "country", "admin1"])
        for i, row in enumerate(expected):
            w.writerow([f"E{i}", row["location"], row["country"], row["admin1"]])
    located = os.path.join(tmp, "expected.geojson")
    run([bordermap, "geocode", places, "-o", located, "--quiet"])
    for row, feat in zip(expected, features(located)):
        row.update(point=feat["point"], match_id=feat["match_id"],
                   geo_precision=feat["geo_precision"], source_file=row["file"])
    candidates = {}
    for name in sorted({row["file"] for row in expected}):
        out = os.path.join(tmp, "test-" + name + ".geojson")
        run([bordermap, "extract", os.path.join(data, name), "--min-confidence",
             min_confidence, "-o", out])
        candidates[name] = [c for c in features(out) if c["point"]]
    found, used = 0, set()
    for row in expected:
        if not row["point"]:
            continue
        hits = [i for i, c in enumerate(candidates[row["file"]])
                if place_right(row, c) and date_right(row, c, True)]
        found += bool(hits)
        used.update((row["file"], i) for i in hits)
    return found, len(expected), len(used), sum(len(v) for v in candidates.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bordermap", default=os.path.join(REPO, "build", "bordermap"))
    ap.add_argument("--min-recall", type=float, default=0.8)
    ap.add_argument("--min-confidence", default="0", help="passed to extract")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    src = sources_dir()
    with tempfile.TemporaryDirectory() as tmp:
        cat_path = os.path.join(tmp, "catalog.geojson")
        run([args.bordermap, "geocode", os.path.join(REPO, "geodata", "catalog.csv"), "-o",
             cat_path, "--quiet"])
        catalog = [r for r in features(cat_path) if r["point"]]
        candidates = {}
        for name, hint in sorted(DATE_HINTS.items()):
            out = os.path.join(tmp, name + ".geojson")
            run([args.bordermap, "extract", os.path.join(src, name), "--date-hint", hint,
                 "--min-confidence", args.min_confidence, "-o", out])
            candidates[name] = [c for c in features(out) if c["point"]]
        tests = test_texts(args.bordermap, tmp, args.min_confidence)
    figures = {}
    for strict in (False, True):
        found, used = 0, set()
        for row in catalog:
            hits = [i for i, c in enumerate(candidates.get(row["source_file"], []))
                    if place_right(row, c) and date_right(row, c, strict)]
            found += bool(hits)
            used.update((row["source_file"], i) for i in hits)
            if args.verbose and not strict:
                print(f"{'found' if hits else 'MISSED':6} {row['event_id_cnty']:5} "
                      f"{row['event_date']} p{row['time_precision']} {row['location']}")
        total = sum(len(v) for v in candidates.values())
        figures[strict] = (found, len(catalog), len(used), total)
    found, n, used, total = figures[False]
    sfound, _, sused, _ = figures[True]
    print(f"catalog rows located: {n}; candidates: {total}")
    print(f"recall    {found}/{n} = {found / n:.2f}   (strict, an empty date never right: "
          f"{sfound}/{n} = {sfound / n:.2f})")
    print(f"precision {used}/{total} = {used / max(total, 1):.2f}   (strict: {sused}/{total} = "
          f"{sused / max(total, 1):.2f})")
    if tests:
        tf, tn, tu, tt = tests
        print(f"test texts (tests/data/extract, strict): recall {tf}/{tn} = {tf / tn:.2f}, "
              f"precision {tu}/{tt} = {tu / max(tt, 1):.2f}")
    return 0 if found / n >= args.min_recall else 1


if __name__ == "__main__":
    sys.exit(main())
