#!/usr/bin/env python3
"""Check geodata/catalog.csv (and reported_frontiers.csv) against the source articles.

Usage: python3 geodata/check_catalog.py
Source articles are looked up in $BORDERMAP_SOURCES, else ../shared/sources beside
the repository, else /work/shared/sources. Exits 1, naming row and field, on any problem.
"""
import csv
import datetime
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
HEADER = ("event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,country,"
          "admin1,location,latitude,longitude,geo_precision,fatalities,source,notes,"
          "source_file,source_quote").split(",")
FRONTIER_HEADER = ("iso_a,iso_b,name,reported_km,reported_qualifier,source,source_file,"
                   "source_quote").split(",")
EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Explosions/Remote violence": {"Suicide bomb", "Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade", "Chemical weapon"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
ISO3 = {"Afghanistan": "AFG", "Bangladesh": "BGD", "Iraq": "IRQ", "Kazakhstan": "KAZ",
        "Kyrgyzstan": "KGZ", "Russia": "RUS", "Saudi Arabia": "SAU", "Syria": "SYR",
        "Tajikistan": "TJK", "Turkey": "TUR", "Turkmenistan": "TKM", "United States": "USA",
        "Uzbekistan": "UZB"}
MAX_QUOTE = 200


def sources_dir():
    for d in (os.environ.get("BORDERMAP_SOURCES"), os.path.join(REPO, "..", "shared", "sources"),
              "/work/shared/sources"):
        if d and os.path.isdir(d):
            return d
    sys.exit("check_catalog: source articles not found (set BORDERMAP_SOURCES)")


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def main():
    errors = []
    src = sources_dir()
    texts = {}

    def check_quote(where, row):
        sf, q = row["source_file"], row["source_quote"]
        if sf not in texts:
            path = os.path.join(src, sf)
            if not os.path.isfile(path):
                errors.append(f"{where} source_file: {sf!r} not found in {src}")
                return
            with open(path, encoding="utf-8") as f:
                texts[sf] = norm(f.read())
        if not q or len(q) > MAX_QUOTE:
            errors.append(f"{where} source_quote: empty or longer than {MAX_QUOTE} characters")
        elif norm(q) not in texts[sf]:
            errors.append(f"{where} source_quote: not found verbatim in {sf}: {q!r}")

    path = os.path.join(HERE, "catalog.csv")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != HEADER:
            sys.exit(f"catalog.csv: header is {reader.fieldnames}, expected {HEADER}")
        rows = list(reader)
    seen = set()
    for n, r in enumerate(rows, start=2):  # line 1 is the header
        where = f"catalog.csv line {n} ({r['event_id_cnty']})"
        eid = r["event_id_cnty"]
        if eid in seen:
            errors.append(f"{where} event_id_cnty: duplicate id")
        seen.add(eid)
        iso = ISO3.get(r["country"])
        if iso is None:
            errors.append(f"{where} country: unknown country {r['country']!r}")
        elif not re.fullmatch(iso + r"[1-9][0-9]*", eid):
            errors.append(f"{where} event_id_cnty: expected {iso}<number>")
        try:
            date = datetime.date.fromisoformat(r["event_date"])
        except ValueError:
            errors.append(f"{where} event_date: not YYYY-MM-DD: {r['event_date']!r}")
            date = None
        prec = r["time_precision"]
        if prec not in ("1", "2", "3", "4"):
            errors.append(f"{where} time_precision: must be 1..4, got {prec!r}")
        elif date and prec == "3" and date.day != 1:
            errors.append(f"{where} event_date: precision 3 (month) must use the 1st of the month")
        elif date and prec == "4" and (date.month, date.day) != (1, 1):
            errors.append(f"{where} event_date: precision 4 (year) must use January 1")
        subs = EVENT_TYPES.get(r["event_type"])
        if subs is None:
            errors.append(f"{where} event_type: not an ACLED event type: {r['event_type']!r}")
        elif r["sub_event_type"] not in subs:
            errors.append(f"{where} sub_event_type: {r['sub_event_type']!r} not valid for {r['event_type']}")
        if not re.fullmatch(r"[0-9]+", r["fatalities"]):
            errors.append(f"{where} fatalities: not a non-negative integer: {r['fatalities']!r}")
        for field in ("actor1", "location", "source", "notes"):
            if not r[field].strip():
                errors.append(f"{where} {field}: empty")
        for field in ("latitude", "longitude", "geo_precision"):
            if r[field].strip():
                errors.append(f"{where} {field}: must be left empty for the geocoder")
        check_quote(where, r)

    fpath = os.path.join(HERE, "reported_frontiers.csv")
    with open(fpath, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != FRONTIER_HEADER:
            sys.exit(f"reported_frontiers.csv: header is {reader.fieldnames}, expected {FRONTIER_HEADER}")
        for n, r in enumerate(reader, start=2):
            where = f"reported_frontiers.csv line {n}"
            if not (re.fullmatch(r"[A-Z]{3}", r["iso_a"]) and re.fullmatch(r"[A-Z]{3}", r["iso_b"])
                    and r["iso_a"] < r["iso_b"]):
                errors.append(f"{where} iso_a/iso_b: need two ISO3 codes with iso_a < iso_b")
            if not re.fullmatch(r"[0-9]+", r["reported_km"]):
                errors.append(f"{where} reported_km: not an integer")
            if r["reported_qualifier"] not in ("", "over", "about"):
                errors.append(f"{where} reported_qualifier: must be over, about or empty")
            check_quote(where, r)

    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo:
        out = subprocess.run([ogrinfo, "-al", "-so", path], capture_output=True, text=True)
        m = re.search(r"Feature Count: (\d+)", out.stdout)
        if out.returncode != 0 or not m:
            errors.append(f"catalog.csv: ogrinfo could not read it: {out.stderr.strip()}")
        elif int(m.group(1)) != len(rows):
            errors.append(f"catalog.csv: ogrinfo counts {m.group(1)} features, csv has {len(rows)} rows")
    else:
        print("check_catalog: ogrinfo not installed, GDAL read check skipped")

    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        sys.exit(1)
    print(f"check_catalog: OK, {len(rows)} catalog rows, quotes verified")


if __name__ == "__main__":
    main()
