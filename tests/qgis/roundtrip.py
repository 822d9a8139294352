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
EPSG:4326, and that the stored default styles draw every feature as the
style does. The style is evaluated here, independently of bordermap (filters,
match, interpolate, as docs/styles.md says), and compared with the symbols
QGIS's own renderer gives each feature: which style layers draw it, in
which order (symbol levels), shape, size, fill, outline, opacity, line
width and dashes. Labels: every labelling style layer has a QGIS label
rule with the same filter whose expression gives the template's text, font,
size, halo, priority and placement (points beside their symbol, from
its edge, a spread group labelled once; frontiers as a block beside the
middle of the line; areas inside), and when the map of the project stored
in the GeoPackage is rendered, every frontier the style labels has its
label placed. Point layers spread co-located symbols with a point
displacement renderer wrapping the style's renderer, whose symbols are
the ones checked. The SLD copies are loaded into QGIS too and checked
for what QGIS reads of SLD (colours, shapes, sizes by class, filters), and
read as XML for what it does not (the whole label template, a
frontier's as its block, halos); no SLD
has an ElseFilter.
"""
import json
import math
import os
import sqlite3
import sys
import tempfile
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from osgeo import ogr  # noqa: E402
from qgis.core import (QgsApplication, QgsExpression, QgsExpressionContext,  # noqa: E402
                       QgsExpressionContextUtils, QgsLayoutItemMap, QgsMapRendererSequentialJob,
                       QgsMapSettings, QgsPalLayerSettings, QgsPointDisplacementRenderer,
                       QgsProject, QgsRenderContext, QgsSimpleMarkerSymbolLayerBase as Marker,
                       QgsSymbolLayer, QgsUnitTypes, QgsVectorLayer, QgsWkbTypes)
from qgis.PyQt.QtCore import QSize, QSizeF  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

# bordermap shape -> (QGIS shape, QGIS size per point of radius): the outer
# extent of bordermap's equal-area shapes (src/symbols.c).
QML_SHAPES = {"circle": (Marker.Circle, 2), "square": (Marker.Square, math.sqrt(math.pi)),
              "triangle": (Marker.EquilateralTriangle, 3.12), "diamond": (Marker.Diamond, 2.75),
              "star": (Marker.Star, 3.2), "cross": (Marker.CrossFill, 3.0)}
# SLD WellKnownNames as QGIS reads them; a diamond is a square turned 45°,
# sized by its side. SE's "cross" is a filled cross elsewhere, QGIS's a thin one.
SLD_SHAPES = {"circle": (Marker.Circle, 0, 2), "square": (Marker.Square, 0, math.sqrt(math.pi)),
              "triangle": (Marker.Triangle, 0, 3.12),
              "diamond": (Marker.Square, 45, 2.75 / math.sqrt(2)),
              "star": (Marker.Star, 0, 3.2), "cross": (Marker.Cross, 0, 3.0)}
SLD_PX_PER_PT = 25.4 / 72 / 0.28
DEFAULTS = {"fill-color": "#e0ddd5", "fill-opacity": 1, "line-color": "#808080",
            "line-width": 0.5, "line-opacity": 1, "circle-color": "#000000", "circle-radius": 3,
            "circle-opacity": 1, "circle-stroke-color": "#ffffff", "circle-stroke-width": 0.5,
            "icon-image": "circle", "text-color": "#222222", "text-halo-color": "#ffffff",
            "text-halo-width": 1}
NUMERIC_LABEL_FIELDS = {"length_km", "reported_km", "tolerance_m"}
MAX_FEATURES = 2000  # per layer: every feature of the bundled styles

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


def ogr_count(path, layer=None):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    return lyr.GetFeatureCount()


# ---- the style, evaluated as bordermap does --------------------------------

def value_text(f, field):
    """A feature's value as bordermap reads it: text, "" when missing."""
    idx = f.fields().indexOf(field)
    v = f.attribute(idx) if idx >= 0 else None
    if v is None or (hasattr(v, "isNull") and v.isNull()):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def as_number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def values_equal(a, b):
    x, y = as_number(a), as_number(b)
    return a == b or (not math.isnan(x) and not math.isnan(y) and x == y)


COMPARISONS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
               ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def filter_passes(flt, f):
    if flt is None:
        return True
    op = flt[0]
    if op in ("all", "any"):
        results = [filter_passes(c, f) for c in flt[1:]]
        return all(results) if op == "all" else any(results)
    field = flt[1][1] if isinstance(flt[1], list) else flt[1]
    v = value_text(f, field)
    if op in COMPARISONS:
        return COMPARISONS[op](as_number(v), float(flt[2]))  # NaN compares false
    hit = any(values_equal(v, str(x) if not isinstance(x, float) else f"{x:g}")
              for x in flt[2:])
    return not hit if op == "!=" else hit


def prop(layer, name, f):
    """A paint or layout property of a style layer for feature f."""
    p = layer.get("paint", {}).get(name, layer.get("layout", {}).get(name, DEFAULTS.get(name)))
    if not isinstance(p, list):
        return p
    v = value_text(f, p[2][1] if p[0] == "interpolate" else p[1][1])
    if p[0] == "step":
        x, out = as_number(v), p[2]
        for stop, value in zip(p[3::2], p[4::2]):
            if x >= stop:
                out = value
        return out
    if p[0] == "match":
        for i in range(2, len(p) - 1, 2):
            keys = p[i] if isinstance(p[i], list) else [p[i]]
            if v in keys:
                return p[i + 1]
        return p[-1]
    x, stops = as_number(v), list(zip(p[3::2], p[4::2]))
    if not x > stops[0][0]:
        return stops[0][1]
    for (x0, y0), (x1, y1) in zip(stops, stops[1:]):
        if x <= x1:
            t = (x - x0) / (x1 - x0)
            if isinstance(y0, str):  # colours: each channel linear
                a, b = rgba(y0), rgba(y1)
                return "#" + "".join(f"{round(u + t * (w - u)):02x}" for u, w in zip(a[:3], b[:3]))
            return y0 + t * (y1 - y0)
    return stops[-1][1]


def rgba(colour, opacity=1.0):
    """'#rrggbb' -> (r, g, b, a) in 0..255."""
    c = colour.lstrip("#").lower()
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), round(255 * opacity))


def qcolor(c):
    return (c.red(), c.green(), c.blue(), c.alpha())


def near(a, b, tol=0.02):
    return abs(a - b) <= tol * max(1.0, abs(b))


# The style layer types that draw each geometry (a table of points and
# lines, the embedded features, has markers for the one, lines for the other).
FITS = {QgsWkbTypes.PointGeometry: {"circle"}, QgsWkbTypes.LineGeometry: {"line", "frontier"},
        QgsWkbTypes.PolygonGeometry: {"fill", "line", "frontier"}}
GEOMETRY = {}  # source -> the geometry type QGIS gives its layer
KINDS = {}     # source -> the geometry types of its features (a mixed table has two)


def draw_layers(style, source, geometries=None):
    """The style layers that draw the source's features of the geometries
    (by default, of every geometry it holds), in style order."""
    fits = set().union(*(FITS[g] for g in (geometries or KINDS.get(source, FITS))))
    return [layer for layer in style["layers"]
            if layer["source"] == source and layer["type"] in fits]


def label_layers(style, source):
    return [layer for layer in style["layers"]
            if layer["source"] == source and layer.get("layout", {}).get("text-field")]


def drawn_sources(style):
    """The layers an export of the style holds: its sources that a layer draws."""
    drawn = {layer["source"] for layer in style["layers"]}
    return [name for name in style["sources"] if name in drawn]


# ---- what QGIS's renderer does to each feature -----------------------------

def feature_renderer(layer):
    """The renderer that gives features their symbols: a point displacement
    renderer's embedded one."""
    r = layer.renderer()
    return r.embeddedRenderer() if r.type() == "pointDisplacement" else r


class Renderer:
    """A layer's renderer started as for a map, asked feature by feature."""

    def __init__(self, layer):
        ms = QgsMapSettings()
        ms.setLayers([layer])
        ms.setOutputSize(QSize(800, 600))
        ms.setExtent(layer.extent())
        self.ctx = QgsRenderContext.fromMapSettings(ms)
        self.ctx.setExpressionContext(
            QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
        self.r = feature_renderer(layer).clone()
        self.r.startRender(self.ctx, layer.fields())

    def symbol_layers(self, f):
        """The enabled symbol layers drawing f, with data-defined values."""
        ec = self.ctx.expressionContext()
        ec.setFeature(f)
        out = []
        if not self.r.willRenderFeature(f, self.ctx):
            return out
        for symbol in self.r.symbolsForFeature(f, self.ctx):
            for i in range(symbol.symbolLayerCount()):
                sl = symbol.symbolLayer(i)
                if sl.enabled():
                    out.append(describe(sl, ec))
        return out

    def stop(self):
        self.r.stopRender(self.ctx)


def describe(sl, ec):
    dd = sl.dataDefinedProperties()
    colour = sl.color()
    if sl.layerType() == "SimpleFill":  # a choropleth's colour is data-defined
        colour = dd.valueAsColor(QgsSymbolLayer.PropertyFillColor, ec, colour)[0]
    d = {"class": sl.layerType(), "pass": sl.renderingPass(), "color": qcolor(colour)}
    if sl.layerType() == "SimpleMarker":
        d["shape"], d["angle"] = sl.shape(), sl.angle()
        d["size"] = dd.valueAsDouble(QgsSymbolLayer.PropertySize, ec, sl.size())[0]
        d["stroke"] = qcolor(sl.strokeColor())
        d["stroke_width"] = sl.strokeWidth()
        d["stroke_style"] = sl.strokeStyle()
    elif sl.layerType() == "SimpleLine":
        d["width"] = dd.valueAsDouble(QgsSymbolLayer.PropertyStrokeWidth, ec, sl.width())[0]
        d["dash"] = list(sl.customDashVector()) if sl.useCustomDashPattern() else []
    return d


def expected_layers(style, source, f):
    fits = draw_layers(style, source, [f.geometry().type()])
    return [(i, layer) for i, layer in enumerate(draw_layers(style, source))
            if layer in fits and filter_passes(layer.get("filter"), f)]


def check_marker(where, got, layer, f, sld):
    shape = prop(layer, "icon-image", f)
    radius = prop(layer, "circle-radius", f)
    opacity = prop(layer, "circle-opacity", f)
    fill = rgba(prop(layer, "circle-color", f), opacity)
    if sld:
        want_shape, angle, factor = SLD_SHAPES[shape]
        check(got["angle"] == angle, f"{where}: angle {got['angle']}, wanted {angle} ({shape})")
        size = factor * sld_class_radius(layer, f) * SLD_PX_PER_PT
    else:
        want_shape, factor = QML_SHAPES[shape]
        size = factor * radius
    check(got["shape"] == want_shape, f"{where}: shape {got['shape']}, style says {shape}")
    if shape != "cross" or not sld:  # QGIS's SLD cross is lines only: no fill to compare
        check(got["color"] == fill, f"{where}: fill {got['color']}, style says {fill}")
    check(near(got["size"], size), f"{where}: size {got['size']:.2f}, wanted {size:.2f}")
    stroke = rgba(prop(layer, "circle-stroke-color", f), opacity)
    check(got["stroke"][:3] == stroke[:3], f"{where}: outline {got['stroke']}, style says {stroke}")


def sld_class_radius(layer, f):
    """SLD sizes interpolated radii by class: the value at the class's upper stop."""
    p = layer.get("paint", {}).get("circle-radius")
    if not (isinstance(p, list) and p[0] == "interpolate"):
        return prop(layer, "circle-radius", f)
    x, stops = as_number(value_text(f, p[2][1])), list(zip(p[3::2], p[4::2]))
    for s, v in stops:
        if not x > s:
            return v
    return stops[-1][1]


def check_line(where, got, layer, f, sld):
    width = prop(layer, "line-width", f)
    colour = rgba(prop(layer, "line-color", f), prop(layer, "line-opacity", f))
    check(got["color"] == colour, f"{where}: line colour {got['color']}, style says {colour}")
    want = width * (SLD_PX_PER_PT if sld else 1)
    check(near(got["width"], want), f"{where}: line width {got['width']}, style says {want}")
    dash = layer.get("paint", {}).get("line-dasharray")
    if dash and not sld:
        want_dash = [d * width for d in dash]
        check(all(near(a, b) for a, b in zip(got["dash"], want_dash)) and
              len(got["dash"]) == len(want_dash),
              f"{where}: dashes {got['dash']}, style says {want_dash} (in points)")


def sld_class_colour(layer, f):
    """SLD has no expressions: an interpolated fill colour is the colour of
    the class's upper stop (at or below the first stop: the first)."""
    p = layer["paint"]["fill-color"]
    x = as_number(value_text(f, p[2][1]))
    for stop, colour in zip(p[3::2], p[4::2]):
        if not x > stop:
            return colour
    return p[-1]


def check_fill(where, got, layer, f, sld):
    p = layer.get("paint", {}).get("fill-color")
    interpolated = isinstance(p, list) and p[0] == "interpolate"
    want = sld_class_colour(layer, f) if sld and interpolated else prop(layer, "fill-color", f)
    colour = rgba(want, prop(layer, "fill-opacity", f))
    # QGIS reads an SLD opacity into a byte by truncating it, and rounds a
    # mixed colour its own way: one step of a byte either way.
    slack = 1 if sld or interpolated else 0
    ok = all(abs(a - b) <= slack for a, b in zip(got["color"], colour))
    check(ok, f"{where}: fill {got['color']}, style says {colour}")


def check_feature(where, got, style, source, f, sld):
    want = expected_layers(style, source, f)
    if not check(len(got) == len(want),
                 f"{where}: QGIS draws {len(got)} symbol layers, the style "
                 f"{[w[1].get('id') for w in want]}"):
        return
    for (position, layer), g in zip(want, got):
        at = f"{where} [{layer.get('id', layer['type'])}]"
        if not sld:
            # Symbol levels: the style's order, a later layer over every earlier one.
            check(g["pass"] == position, f"{at}: symbol level {g['pass']}, style order {position}")
        if layer["type"] == "circle":
            check_marker(at, g, layer, f, sld)
        elif layer["type"] == "fill":
            check_fill(at, g, layer, f, sld)
        else:
            check_line(at, g, layer, f, sld)


def check_features(qlayer, style, source, sld):
    """Every feature (up to MAX_FEATURES) draws as the style says."""
    r = Renderer(qlayer)
    kind = "SLD" if sld else "QML"
    checked = 0
    for f in qlayer.getFeatures():
        if checked == MAX_FEATURES:
            break
        check_feature(f"{kind} {source} fid {f.id()}", r.symbol_layers(f), style, source, f, sld)
        checked += 1
    r.stop()
    return checked


def heatmap_layer(style, source):
    """The heatmap layer drawing the source, or None."""
    return next((l for l in style["layers"] if l["source"] == source and l["type"] == "heatmap"),
                None)


RAMP_DEFAULT = ["interpolate", ["linear"], ["heatmap-density"], 0, "rgba(0, 0, 255, 0)",
                0.1, "royalblue", 0.3, "cyan", 0.5, "lime", 0.7, "yellow", 1, "red"]


def check_heatmap(qlayer, heat, source):
    """MapLibre's heatmap as QGIS's: the radius in points, the weight per
    feature, the ramp (with the opacity in its colours) and the value at
    which it tops out, 1 / (0.3989 x intensity): QGIS's kernel peaks at the
    weight, MapLibre's at 0.3989 x weight x intensity."""
    r, where = qlayer.renderer(), f"QML {source}"
    if not check(r.type() == "heatmapRenderer", f"{where}: renderer {r.type()}, not a heatmap"):
        return
    paint = heat.get("paint", {})
    check(near(r.radius(), paint.get("heatmap-radius", 30)) and
          r.radiusUnit() == QgsUnitTypes.RenderPoints, f"{where}: radius {r.radius()}")
    check(near(r.maximumValue(), 1 / (0.3989422804014327 * paint.get("heatmap-intensity", 1))),
          f"{where}: maximum value {r.maximumValue()}")
    opacity = paint.get("heatmap-opacity", 1)
    ramp = paint.get("heatmap-color", RAMP_DEFAULT)
    top = QColor(ramp[-1])
    got = r.colorRamp().color2()
    check((got.red(), got.green(), got.blue()) == (top.red(), top.green(), top.blue()) and
          abs(got.alphaF() - top.alphaF() * opacity) < 0.01,
          f"{where}: ramp ends at {got.name()} alpha {got.alphaF()}, not {ramp[-1]} x {opacity}")
    expr = QgsExpression(r.weightExpression())
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(qlayer))
    for f in qlayer.getFeatures():
        ctx.setFeature(f)
        want = prop(heat, "heatmap-weight", f)
        got = expr.evaluate(ctx)
        check(got is not None and near(float(got), want),
              f"{where}: fid {f.id()} weight {got}, the style's {want}")


def check_displacement(qlayer, source):
    """Point layers spread the symbols that share a place around it, as
    render.c does: a point displacement renderer (concentric rings, only
    features at the very same coordinates) wrapping the style's renderer."""
    r, where = qlayer.renderer(), f"QML {source}"
    if GEOMETRY.get(source) != QgsWkbTypes.PointGeometry:
        check(r.type() != "pointDisplacement", f"{where}: point displacement on a non-point layer")
        return
    if not check(r.type() == "pointDisplacement",
                 f"{where}: renderer {r.type()}, not a point displacement"):
        return
    inner = r.embeddedRenderer()
    check(inner is not None and inner.type() in ("RuleRenderer", "singleSymbol"),
          f"{where}: displacement wraps {inner and inner.type()}, not the style's renderer")
    check(r.tolerance() == 0, f"{where}: displacement tolerance {r.tolerance()}, not 0")
    check(r.placement() == QgsPointDisplacementRenderer.ConcentricRings,
          f"{where}: displacement placement {r.placement()}, not concentric rings")
    check(r.centerSymbol() is not None and r.circleRadiusAddition() > 0,
          f"{where}: no centre dot or ring distance")


# ---- the incidents, as issue 11 asks ----------------------------------------

def check_incidents(qlayer, style, source):
    """Hollow approximate locations, sizes growing with fatalities."""
    r = Renderer(qlayer)
    hollow_layer = any(l.get("filter") == ["==", "geo_precision", "3"]
                       for l in draw_layers(style, source))
    sizes = {}
    for f in qlayer.getFeatures():
        got, want = r.symbol_layers(f), expected_layers(style, source, f)
        if not got or not want:  # check_features reports a difference
            continue
        fills = [g["color"] for g in got]
        white_or_clear = all(c[3] == 0 or c[:3] == (255, 255, 255) for c in fills)
        approximate = value_text(f, "geo_precision") == "3"
        want_fill = rgba(prop(want[-1][1], "circle-color", f))
        if hollow_layer and approximate:
            check(white_or_clear,
                  f"incident fid {f.id()} (geo_precision 3): fill {fills}, not hollow")
        elif want_fill[:3] != (255, 255, 255):
            check(not white_or_clear, f"incident fid {f.id()} ({value_text(f, 'event_type')}): "
                  f"fill {fills}, not filled")
        if not approximate:
            sizes.setdefault(value_text(f, "event_type"), []).append(
                (as_number(value_text(f, "fatalities")), got[-1]["size"]))
    r.stop()
    by_fatalities = any(isinstance(l.get("paint", {}).get("circle-radius"), list)
                        for l in draw_layers(style, source))
    if not by_fatalities:  # a style whose symbols keep one size (the distance bands)
        return
    grows = [(min(s for x, s in v if x == 0), max(s for x, s in v if x >= 10))
             for v in sizes.values()
             if any(x == 0 for x, _ in v) and any(x >= 10 for x, _ in v)]
    check(grows, "no event type with both a 0- and a 10+-fatality located incident")
    check(all(big > small for small, big in grows),
          f"symbol size does not grow with fatalities: {grows}")


# ---- labels -------------------------------------------------------------------

def template_text(template, f):
    out, rest = "", template
    while "{" in rest and "}" in rest:
        head, _, tail = rest.partition("{")
        field, _, rest = tail.partition("}")
        v = value_text(f, field)
        if field in NUMERIC_LABEL_FIELDS and v:
            v = str(round(float(v)))
        out += head + v
    return out + rest


def beside_template(template):
    """placement.c's block beside a line: "{name} · {length}\n{reported}"
    -> "{name}\n{length} {reported}"."""
    head, dot, rest = template.partition(" · ")
    if not dot or "\n" in head:
        return template
    figures, nl, below = rest.partition("\n")
    return f"{head}\n{figures}{' ' if nl else ''}{below}"


def beside_line(layer):
    return layer["type"] == "frontier" and GEOMETRY.get(layer["source"]) == QgsWkbTypes.LineGeometry


def label_template(layer):
    """A layer's label template: a frontier's as its block beside the line."""
    template = layer["layout"]["text-field"]
    return beside_template(template) if beside_line(layer) else template


def label_text(layer, f):
    """The text bordermap gives f (a beside block has no trailing space)."""
    text = template_text(label_template(layer), f)
    return text.strip() if beside_line(layer) else text


def check_placement(where, s, layer, source):
    """Labels placed as placement.c places them: points beside the symbol,
    from its edge, symbols as obstacles, a spread group labelled once
    beyond its ring; frontiers beside the middle of the line; areas inside."""
    dd = s.dataDefinedProperties()
    geometry = GEOMETRY.get(source)
    if geometry == QgsWkbTypes.PointGeometry:
        check(s.placement == QgsPalLayerSettings.OrderedPositionsAroundPoint and
              s.offsetType == QgsPalLayerSettings.FromSymbolBounds,
              f"{where}: placement {s.placement}, offset type {s.offsetType}: "
              "not around the symbol, from its edge")
        check(s.obstacleSettings().isObstacle(), f"{where}: symbols are not obstacles")
        check(dd.isActive(QgsPalLayerSettings.Show) and
              dd.isActive(QgsPalLayerSettings.LabelDistance),
              f"{where}: a spread group is not labelled once, beyond its ring")
    elif beside_line(layer):
        check(s.geometryGeneratorEnabled and
              s.geometryGeneratorType == QgsWkbTypes.PointGeometry and
              s.placement == QgsPalLayerSettings.OrderedPositionsAroundPoint,
              f"{where}: not a block beside the middle of the line")
    elif geometry == QgsWkbTypes.PolygonGeometry:
        check(s.placement == QgsPalLayerSettings.Horizontal and s.fitInPolygonOnly,
              f"{where}: placement {s.placement}: not horizontal inside the polygon")
    if geometry != QgsWkbTypes.PointGeometry:
        check(not s.obstacleSettings().isObstacle(),
              f"{where}: lines and areas are obstacles, which bordermap's are not")


def label_rules(qlayer):
    labeling = qlayer.labeling()
    if labeling.type() == "simple":
        return [(None, labeling.settings())]
    return [(r.filterExpression() or None, r.settings()) for r in labeling.rootRule().children()]


def check_labels(qlayer, style, source):
    want = label_layers(style, source)
    name = f"QML {source} labels"
    if not want:
        check(not qlayer.labelsEnabled(), f"{name}: enabled, but the style labels nothing")
        return
    if not check(qlayer.labelsEnabled(), f"{name}: not enabled"):
        return
    rules = label_rules(qlayer)
    if not check(len(rules) == len(want), f"{name}: {len(rules)} rules for {len(want)} layers"):
        return
    features = list(qlayer.getFeatures())[:MAX_FEATURES]
    ec = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(qlayer))
    for (filt, s), layer in zip(rules, want):
        where = f"{name} [{layer.get('id')}]"
        layout, paint = layer.get("layout", {}), layer.get("paint", {})
        fmt = s.format()
        buffer = fmt.buffer()
        check(s.isExpression, f"{where}: not an expression")
        check(fmt.font().family() == layout.get("text-font", ["DejaVu Sans"])[0]
              .replace(" Bold", "").replace(" Oblique", "").replace(" Italic", ""),
              f"{where}: font {fmt.font().family()}")
        check(near(fmt.size(), layout.get("text-size", 8)), f"{where}: size {fmt.size()}")
        check(qcolor(fmt.color()) == rgba(paint.get("text-color", DEFAULTS["text-color"])),
              f"{where}: colour {qcolor(fmt.color())}")
        halo = paint.get("text-halo-width", DEFAULTS["text-halo-width"])
        check(buffer.enabled() == (halo > 0) and near(buffer.size(), halo) and
              qcolor(buffer.color()) == rgba(paint.get("text-halo-color", "#ffffff")),
              f"{where}: halo {buffer.enabled()} {buffer.size()} {qcolor(buffer.color())}")
        check_placement(where, s, layer, source)
        # The default is style.c's: frontiers first, every other layer last.
        sort_key = layout.get("symbol-sort-key", 0 if layer["type"] == "frontier" else 10)
        check(s.priority == max(0, min(10, 10 - math.ceil(sort_key / 3))),
              f"{where}: priority {s.priority} for symbol-sort-key {sort_key}")
        expr, fexpr = QgsExpression(s.fieldName), QgsExpression(filt or "TRUE")
        labelled = 0
        for f in features:
            ec.setFeature(f)
            passes = bool(fexpr.evaluate(ec))
            check(passes == filter_passes(layer.get("filter"), f),
                  f"{where}: rule filter {filt!r} on fid {f.id()} says {passes}")
            if passes:
                text = expr.evaluate(ec)
                labelled += 1
                check(text == label_text(layer, f),
                      f"{where}: fid {f.id()} labelled {text!r}, template gives "
                      f"{label_text(layer, f)!r}")
        check(labelled > 0, f"{where}: labels no feature")


# ---- the labels QGIS places ------------------------------------------------------

def placed_labels(path, style):
    """Renders the map of the project stored in the GeoPackage as its layout
    does, at the page's dpi: the project and {layer name: [(fid, text)]}
    of the labels QGIS places."""
    stem = os.path.splitext(os.path.basename(path))[0]
    project = QgsProject.instance()
    if not check(project.read(f"geopackage:{os.path.abspath(path)}?projectName={stem}"),
                 f"{path}: no stored project {stem}"):
        return None, {}
    maps = [i for layout in project.layoutManager().layouts() for i in layout.items()
            if isinstance(i, QgsLayoutItemMap)]
    if not check(maps, f"{path}: the project's layout has no map"):
        return None, {}
    # The main map; an inset locator is smaller.
    m = max(maps, key=lambda i: i.rect().width() * i.rect().height())
    dpi = style["page"]["dpi"]
    size = QSizeF(m.rect().width() / 25.4 * dpi, m.rect().height() / 25.4 * dpi)
    job = QgsMapRendererSequentialJob(m.mapSettings(m.extent(), size, dpi, True))
    job.start()
    job.waitForFinished()
    placed = {}
    for label in job.takeLabelingResults().allLabels():
        if not label.isUnplaced:
            name = project.mapLayer(label.layerID).name()
            placed.setdefault(name, []).append((label.featureId, label.labelText))
    return project, placed


def check_placed_labels(path, style):
    """Every frontier the style labels has its label placed (bordermap
    places them first), and features sharing a place get one label, as
    render.c labels a spread group once."""
    project, placed = placed_labels(path, style)
    if project is None:
        return
    for source in drawn_sources(style):
        layers = project.mapLayersByName(source)
        if not layers:
            continue
        kind = style["sources"][source]["type"]
        if kind == "frontiers":
            texts = [t for _, t in placed.get(source, [])]
            for layer in label_layers(style, source):
                for f in layers[0].getFeatures():
                    if filter_passes(layer.get("filter"), f):
                        text = label_text(layer, f)
                        check(text in texts, f"labels: frontier {text!r} not placed (placed: {texts})")
        elif GEOMETRY.get(source) == QgsWkbTypes.PointGeometry:
            places = {}
            for f in layers[0].getFeatures():
                places.setdefault(f.geometry().asWkt(), set()).add(f.id())
            for fids in places.values():
                labelled = [t for fid, t in placed.get(source, []) if fid in fids]
                check(len(labelled) <= 1,
                      f"labels: {len(fids)} {source} at one place labelled {labelled}, not once")


# ---- SLD ----------------------------------------------------------------------

SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"


def sld_label_templates(sld):
    """The label templates of an SLD's text symbolizers, "{field}" for fields."""
    out = []
    for label in ET.fromstring(sld).iter(SE + "Label"):
        text = label.text or ""
        for child in label:
            text += "{" + (child.text or "") + "}" + (child.tail or "")
        out.append(text)
    return out


def check_sld_document(source, sld, style):
    check("ElseFilter" not in sld, f"SLD {source}: has an ElseFilter")
    root = ET.fromstring(sld)
    templates = sld_label_templates(sld)
    want = [label_template(l) for l in label_layers(style, source)]
    check(templates == want, f"SLD {source}: labels {templates}, style says {want}")
    halos = len(list(root.iter(SE + "Halo")))
    want_halos = sum(1 for l in label_layers(style, source)
                     if l.get("paint", {}).get("text-halo-width", 1) > 0)
    check(halos == want_halos, f"SLD {source}: {halos} halos, wanted {want_halos}")


def check_sld(path, style, source, sld):
    check_sld_document(source, sld, style)
    with tempfile.NamedTemporaryFile("w", suffix=".sld", delete=False, encoding="utf-8") as t:
        t.write(sld)
    # QGIS reads an SLD's symbolizers for its layer's geometry only: a table
    # of mixed geometries is loaded once per kind, as a user would.
    kinds = KINDS.get(source, set())
    for kind in kinds:
        uri = f"{path}|layername={source}"
        if len(kinds) > 1:
            uri += "|geometrytype=" + {QgsWkbTypes.PointGeometry: "Point",
                                       QgsWkbTypes.LineGeometry: "LineString",
                                       QgsWkbTypes.PolygonGeometry: "Polygon"}[kind]
        qlayer = QgsVectorLayer(uri, source, "ogr")
        msg, ok = qlayer.loadSldStyle(t.name)
        # SLD has no heatmap: its points are dots of the ramp's top colour.
        if check(ok, f"SLD {uri}: QGIS cannot load it: {msg}") and not heatmap_layer(style, source):
            check_features(qlayer, style, source, sld=True)
    os.unlink(t.name)


# ---- the GeoPackage and GeoJSON ------------------------------------------------

def stored_styles(path):
    with sqlite3.connect(path) as db:
        return {name: sld for name, sld in
                db.execute("SELECT f_table_name, styleSLD FROM layer_styles")}


def check_gpkg(path, style):
    slds = stored_styles(path)
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
        GEOMETRY[name] = layer.geometryType()
        KINDS[name] = {f.geometry().type() for f in layer.getFeatures()}
        heat = heatmap_layer(style, name)
        if heat:
            check_heatmap(layer, heat, name)
        else:
            check(feature_renderer(layer).usingSymbolLevels(), f"gpkg {name}: no symbol levels")
            check_displacement(layer, name)
        check_features(layer, style, name, sld=False)
        check_labels(layer, style, name)
        if style["sources"][name]["type"] == "catalog" and not heat:
            check_incidents(layer, style, name)
        check_sld(path, style, name, slds.get(name, ""))


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
    check_placed_labels(gpkg, style)
    check_geojson(geojson, gpkg, style)
    print(f"QGIS round trip: {'FAILED' if failures else 'ok'} ({len(failures)} failures)",
          flush=True)
    sys.stderr.flush()
    # QGIS 3.22 can crash in exitQgis(): leave without it.
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    sys.exit(main())
