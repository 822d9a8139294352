#!/usr/bin/env python3
"""check_names.py -- the reporting-names acceptance list (issue 13).

  check_names.py catalog CASES.csv OUT.csv
      writes a minimal catalog (event_id_cnty, country, admin1, location)
      with one row per case, ids N001, N002, ... in list order;
  check_names.py check CASES.csv RESULT.geojson [--min-rate R]
      compares `bordermap geocode`'s answer for each row with the case's
      expected place, prints every miss, the rate and a per-kind and
      per-country breakdown, and exits 1 when the rate is below R
      (default: $GEOCODE_NAMES_MIN_RATE, else 0.97).

A case with expect=point passes when the row is resolved within
tolerance_km of (expected_lat, expected_lon); a frontier case (kind
frontier) must also come back as a frontier match. Distances are geodesic
on WGS84, computed by PROJ's `geod`, not here. A case with
expect=unresolved_or_flagged passes when the row stays unresolved, or is
placed with a match_note saying what is wrong with it; merely ambiguous
is not enough.
"""
import csv, json, os, subprocess, sys
from collections import defaultdict



def read_cases(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if not r["query"].startswith("#")]
    for i, r in enumerate(rows, 1):
        r["id"] = f"N{i:03d}"
    return rows


def make_catalog(cases, out):
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["event_id_cnty", "country", "admin1", "location"])
        for c in cases:
            w.writerow([c["id"], c["country_hint"], c["admin1_hint"], c["query"]])


def geod_km(pairs):
    """Geodesic distances in km for [(lat1, lon1, lat2, lon2)], by PROJ's geod."""
    if not pairs:
        return []
    text = "".join(f"{a} {b} {c} {d}\n" for a, b, c, d in pairs)
    out = subprocess.run(["geod", "+ellps=WGS84", "-I", "+units=km", "-f", "%.6f"],
                         input=text, capture_output=True, text=True, check=True).stdout
    dists = [float(line.split()[2]) for line in out.splitlines() if line.strip()]
    if len(dists) != len(pairs):
        sys.exit(f"geod returned {len(dists)} distances for {len(pairs)} pairs")
    return dists


def flagged(p):
    return bool(p.get("match_note"))


def check(cases, result, min_rate):
    with open(result, encoding="utf-8") as f:
        feats = {ft["properties"]["event_id_cnty"]: ft for ft in json.load(f)["features"]}
    got = {}
    pairs, pair_ids = [], []
    for c in cases:
        ft = feats.get(c["id"])
        if ft is None:
            sys.exit(f"{c['id']} ({c['query']}): no feature in {result}")
        p, g = ft["properties"], ft.get("geometry")
        resolved = g is not None and p.get("match_kind") is not None
        got[c["id"]] = (p, g if resolved else None)
        if resolved and c["expect"] == "point":
            lon, lat = g["coordinates"][:2]
            pairs.append((c["expected_lat"], c["expected_lon"], lat, lon))
            pair_ids.append(c["id"])
    dist = dict(zip(pair_ids, geod_km(pairs)))

    misses, notes = [], []
    tally = {"kind": defaultdict(lambda: [0, 0]), "country": defaultdict(lambda: [0, 0])}
    for c in cases:
        p, g = got[c["id"]]
        d = dist.get(c["id"])
        if c["expect"] == "point":
            ok = g is not None and d <= float(c["tolerance_km"])
            why = "unresolved" if g is None else f"{d:.1f} km > {c['tolerance_km']} km"
            if ok and c["kind"] == "frontier" and p.get("match_kind") != "frontier":
                ok, why = False, f"match_kind {p.get('match_kind')}, not frontier"
            if ok and c["expected_precision"] and p.get("geo_precision") != int(c["expected_precision"]):
                notes.append(f"  {c['query']!r}: geo_precision {p.get('geo_precision')}, "
                             f"expected {c['expected_precision']} (not counted)")
        else:
            ok = g is None or flagged(p)
            why = "resolved and not flagged"
        for key in ("kind", "country"):
            t = tally[key][c["kind"] if key == "kind" else (c["country_hint"] or "(none)")]
            t[0] += ok
            t[1] += 1
        if not ok:
            want = (f"{c['expected_name']} ({c['expected_lat']},{c['expected_lon']}) "
                    f"±{c['tolerance_km']} km" if c["expect"] == "point" else c["expect"])
            if g is None:
                have = "no match"
            else:
                have = (f"{p.get('match_name')} [{p.get('match_kind')}, {p.get('match_source')}"
                        f" {p.get('match_id')}, precision {p.get('geo_precision')}"
                        f"{', ambiguous' if p.get('ambiguous') else ''}]"
                        f" at ({g['coordinates'][1]:.4f},{g['coordinates'][0]:.4f})")
            misses.append(f"  {c['id']} {c['query']!r} ({c['country_hint'] or '-'}"
                          f"{'/' + c['admin1_hint'] if c['admin1_hint'] else ''}; {c['kind']}): "
                          f"{why}\n      expected {want}; got {have}")

    n = len(cases)
    passed = n - len(misses)
    rate = passed / n if n else 0.0
    print(f"reporting names: {passed}/{n} within tolerance = {rate:.1%} (minimum {min_rate:.0%})")
    for key in ("kind", "country"):
        print(f"by {key}:")
        for k, (a, b) in sorted(tally[key].items(), key=lambda kv: -kv[1][1]):
            print(f"  {k:<14} {a:>3}/{b:<3} {a / b:6.1%}")
    print(f"misses ({len(misses)}):")
    print("\n".join(misses) if misses else "  none")
    if notes:
        print(f"precision differences ({len(notes)}, not counted):")
        print("\n".join(notes))
    return rate >= min_rate


def main(argv):
    if len(argv) >= 4 and argv[1] == "catalog":
        make_catalog(read_cases(argv[2]), argv[3])
        return 0
    if len(argv) >= 4 and argv[1] == "check":
        min_rate = float(os.environ.get("GEOCODE_NAMES_MIN_RATE", "0.97"))
        if len(argv) == 6 and argv[4] == "--min-rate":
            min_rate = float(argv[5])
        return 0 if check(read_cases(argv[2]), argv[3], min_rate) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
