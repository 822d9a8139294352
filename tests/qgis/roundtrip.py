#!/usr/bin/python3
"""Opens bordermap's exports in QGIS itself and checks what a user sees.

Usage: roundtrip.py OUT.gpkg OUT.geojson STYLE.json
  OUT.gpkg     `bordermap export --style STYLE.json -o OUT.gpkg` (one layer per
               source the style draws, named by its id, with layer_styles)
  OUT.geojson  the name given to `bordermap export -o`, whose per-layer files
               are OUT-<id>.geojson
  STYLE.json   the style the export followed

Run with Debian's python3-qgis (/usr/bin/python3) and QT_QPA_PLATFORM=offscreen.
Checks layers, feature counts (the same through QGIS and through OGR), CRS
EPSG:4326, and that the stored default style is applied on load: incidents
get a categorized renderer on event_type whose colours and shapes are the
style's, and frontiers are labelled with the computed and reported length.
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from osgeo import ogr  # noqa: E402
from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer,  # noqa: E402
                       QgsVectorLayer)

QGIS_SHAPES = {"circle": "Circle", "square": "Square", "triangle": "Triangle",
               "diamond": "Diamond", "star": "Star", "cross": "CrossFill"}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def ogr_count(path, layer=None):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    return lyr.GetFeatureCount()


def match_table(expr):
    """{key: value} and the fallback of a ["match", ["get", F], ...] expression."""
    table = {}
    for i in range(2, len(expr) - 1, 2):
        keys = expr[i] if isinstance(expr[i], list) else [expr[i]]
        for k in keys:
            table[k] = expr[i + 1]
    return expr[1][1], table, expr[-1]


def incidents_style(style):
    """The catalog layer whose fill colour classifies the incidents."""
    for layer in style["layers"]:
        src = style["sources"][layer["source"]]
        if (src["type"] == "catalog" and layer["type"] in ("circle", "symbol")
                and isinstance(layer.get("paint", {}).get("circle-color"), list)):
            return layer
    return None


def top_symbol_layer(symbol):
    """Stacked symbol layers follow the style's drawing order: the last
    drawn, on top, is the one a reader sees."""
    return symbol.symbolLayer(symbol.symbolLayerCount() - 1)


def check_categories(layer, style):
    r = layer.renderer()
    check(isinstance(r, QgsCategorizedSymbolRenderer),
          f"{layer.name()}: renderer is {r.type()}, wanted categorizedSymbol")
    if not isinstance(r, QgsCategorizedSymbolRenderer):
        return
    sl = incidents_style(style)
    field, colours, fallback = match_table(sl["paint"]["circle-color"])
    check(r.classAttribute() == field == "event_type",
          f"{layer.name()}: classified on {r.classAttribute()}, wanted {field}")
    shapes = {}
    if isinstance(sl.get("layout", {}).get("icon-image"), list):
        shapes = match_table(sl["layout"]["icon-image"])[1]
    by_value = {c.value(): c for c in r.categories()}
    for key, colour in colours.items():
        cat = by_value.get(key)
        check(cat is not None, f"{layer.name()}: no category for {key}")
        if cat is None:
            continue
        got = top_symbol_layer(cat.symbol()).color().name().lower()
        check(got == colour.lower(), f"{layer.name()}: {key} is {got}, style says {colour}")
        if key in shapes:
            shape = top_symbol_layer(cat.symbol()).shape()
            want = QGIS_SHAPES[shapes[key]]
            check(shape == getattr(type(top_symbol_layer(cat.symbol())), want, None),
                  f"{layer.name()}: {key} has shape {shape}, style says {shapes[key]}")
    other = by_value.get("")
    check(other is not None and
          top_symbol_layer(other.symbol()).color().name().lower() == fallback.lower(),
          f"{layer.name()}: no fallback category in {fallback}")


def drawn_sources(style):
    """The layers an export of the style holds: its sources that a layer draws."""
    drawn = {layer["source"] for layer in style["layers"]}
    return [name for name in style["sources"] if name in drawn]


def check_gpkg(path, style):
    for name in drawn_sources(style):
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        check(layer.isValid(), f"gpkg {name}: not valid in QGIS")
        if not layer.isValid():
            continue
        want = ogr_count(path, name)
        check(want > 0, f"gpkg {name}: empty")
        check(layer.featureCount() == want,
              f"gpkg {name}: QGIS counts {layer.featureCount()}, OGR {want}")
        check(layer.crs().authid() == "EPSG:4326", f"gpkg {name}: CRS {layer.crs().authid()}")
        check(layer.renderer().type() != "singleSymbol" or name not in ("incidents",),
              f"gpkg {name}: default style not applied")
    incidents = QgsVectorLayer(f"{path}|layername=incidents", "incidents", "ogr")
    check_categories(incidents, style)
    frontiers = QgsVectorLayer(f"{path}|layername=frontiers", "frontiers", "ogr")
    check(frontiers.labelsEnabled(), "gpkg frontiers: labels not enabled by the default style")
    if frontiers.labelsEnabled():
        expr = frontiers.labeling().settings().fieldName
        check("length" in expr and "reported" in expr,
              f"gpkg frontiers: label {expr} lacks the lengths")
    check_countries(QgsVectorLayer(f"{path}|layername=countries", "countries", "ogr"), style)


def check_countries(layer, style):
    """Every style fill of the countries source is a symbol layer; a fill
    filtered with ["in", "iso_a3", ...] shows for those countries only."""
    fills = [l for l in style["layers"] if l["type"] == "fill"
             and style["sources"][l["source"]].get("data") == "countries"]
    r = layer.renderer()
    # categories() returns copies that own their symbols: keep them alive.
    cats = r.categories() if hasattr(r, "categories") else []
    symbols = [(c.value(), c.symbol()) for c in cats] or [("", r.symbol())]
    for key, symbol in symbols:
        colours = [symbol.symbolLayer(i).color().name().lower()
                   for i in range(symbol.symbolLayerCount())]
        for fill in fills:
            f = fill.get("filter")
            drawn = f is None or (f[0] == "in" and key in f[2:])
            colour = fill["paint"]["fill-color"].lower()
            check((colour in colours) == drawn,
                  f"gpkg countries: category {key!r} has fills {colours}; "
                  f"{fill['id']} ({colour}) should {'' if drawn else 'not '}be among them")


def check_geojson(base, gpkg, style):
    stem, ext = os.path.splitext(base)
    for name in drawn_sources(style):
        path = f"{stem}-{name}{ext}"
        layer = QgsVectorLayer(path, name, "ogr")
        check(layer.isValid(), f"{path}: not valid in QGIS")
        if not layer.isValid():
            continue
        check(layer.crs().authid() == "EPSG:4326", f"{path}: CRS {layer.crs().authid()}")
        check(layer.featureCount() == ogr_count(gpkg, name),
              f"{path}: {layer.featureCount()} features, the GeoPackage has "
              f"{ogr_count(gpkg, name)}")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    gpkg, geojson, style_path = sys.argv[1:]
    with open(style_path, encoding="utf-8") as f:
        style = json.load(f)
    app = QgsApplication([], False)
    app.initQgis()
    check_gpkg(gpkg, style)
    check_geojson(geojson, gpkg, style)
    app.exitQgis()
    print(f"QGIS round trip: {'FAILED' if failures else 'ok'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
