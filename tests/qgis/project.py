#!/usr/bin/python3
"""Opens the QGIS project bordermap exports and checks it in QGIS itself.

Usage: project.py PROJECT GPKG STYLE.json FRONTIERS.geojson OUT.png MAP.svg
  PROJECT    MAP.qgz, or geopackage:/path/MAP.gpkg?projectName=MAP for the
             project stored in the GeoPackage
  GPKG       the GeoPackage every layer must read (absolute path)
  STYLE.json the style of the export
  FRONTIERS.geojson  the style's frontier set, `bordermap export --layers ID`
  OUT.png    where the print layout is exported
  MAP.svg    `bordermap render` of the style: its legend's text is the
             legend the layout must show

Run with Debian's python3-qgis (/usr/bin/python3), QT_QPA_PLATFORM=offscreen.
Checks: the project reads; every layer is valid and reads GPKG; each
table's features are in layers of their geometry (the curated features'
rivers in a line layer), drawn as the table's stored style draws them; the layer
tree stacks the layers as the style draws them (catalog above frontiers
above countries); the frontier layer holds exactly the frontier set;
frontiers and incidents are labelled; the project CRS is the map's (the
style's, else bordermap's fitted conic), its view shows the style's extent
and its water is the background; the layout named after
the style has a map showing the extent, a legend of exactly the rows
bordermap's own legend prints, in its order, a km scale bar, the title
and the projection in the credits; its map has a graticule labelled in
degrees of EPSG:4326 at the style's step; where the page has an inset, a
second map draws only the locator layer, with an overview of the main
map; the layout exports to a PNG of the page's pixel size.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from osgeo import ogr  # noqa: E402
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform,
                       QgsExpressionContext, QgsExpressionContextUtils,  # noqa: E402
                       QgsLayoutExporter, QgsLayoutItemLabel,
                       QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutItemMapGrid,
                       QgsLayoutItemScaleBar, QgsMapSettings, QgsProject, QgsRenderContext,
                       QgsUnitTypes, QgsVectorLayer, QgsWkbTypes)
from qgis.PyQt.QtCore import QModelIndex, QSize, Qt  # noqa: E402
from qgis.PyQt.QtGui import QImage  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def near(a, b, tol=1e-6):
    return abs(a - b) <= tol


def frontier_keys(features):
    return sorted((f["iso_a"], f["iso_b"], round(f["length_km"], 3)) for f in features)


def geojson_frontiers(path):
    ds = ogr.Open(path)
    return frontier_keys([{k: f.GetField(k) for k in ("iso_a", "iso_b", "length_km")}
                          for f in ds.GetLayer(0)])


def source_ids(style, kind, data=None):
    return [k for k, s in style["sources"].items()
            if s["type"] == kind and (data is None or s.get("data") == data)]


# The layer of the layout legend's rows: no data, no place in the layer tree.
LEGEND_LAYER = "legend"


def check_layers(project, gpkg, style, frontiers_geojson):
    layers = [l for l in project.mapLayers().values() if l.name() != LEGEND_LAYER]
    check(len(layers) > 0, "no layers")
    by_name = {}
    for l in layers:
        by_name[l.name()] = l
        check(l.isValid(), f"{l.name()}: not valid")
        path = l.source().split("|")[0]
        check(os.path.realpath(path) == os.path.realpath(gpkg),
              f"{l.name()}: reads {l.source()}, not {gpkg}")
    tree = [n.layer().name() for n in project.layerTreeRoot().findLayers()]  # top first
    check(len(tree) == len(by_name), f"layer tree {tree} is not every layer {sorted(by_name)}")
    stack = [source_ids(style, "catalog"), source_ids(style, "frontiers"),
             source_ids(style, "geodata", "countries")]
    stack = [ids[0] for ids in stack if ids and ids[0] in by_name]
    check(len(stack) == 3, f"missing incidents, frontiers or countries: {sorted(by_name)}")
    positions = [tree.index(i) for i in stack]
    check(positions == sorted(positions), f"layer tree {tree}: not {stack} top down")
    incidents, frontiers = stack[0], stack[1]
    got = frontier_keys([f for f in by_name[frontiers].getFeatures()])
    want = geojson_frontiers(frontiers_geojson)
    check(len(want) > 0 and got == want, f"frontiers: {got} against the style's {want}")
    for name in (frontiers, incidents):
        check(by_name[name].labelsEnabled(), f"{name}: labels off")


def will_render(layer, features):
    """The ids of the features layer's renderer draws, as for a map."""
    ms = QgsMapSettings()
    ms.setLayers([layer])
    ms.setOutputSize(QSize(800, 600))
    ms.setExtent(layer.extent())
    ctx = QgsRenderContext.fromMapSettings(ms)
    ctx.setExpressionContext(
        QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
    r = layer.renderer().clone()
    r.startRender(ctx, layer.fields())
    drawn = {f.id() for f in features if r.willRenderFeature(f, ctx)}
    r.stopRender(ctx)
    return drawn


def check_features(project, gpkg, style):
    """Each table's features are in project layers of their own geometry
    (QGIS reads a mixed table, the curated features' bases and rivers, as
    points unless the source names the kind), and the project draws the
    features the table's stored default style draws."""
    by_table = {}
    for l in project.mapLayers().values():
        if l.name() == LEGEND_LAYER:
            continue
        by_table.setdefault(l.source().split("layername=")[1].split("|")[0], []).append(l)
    for table, layers in by_table.items():
        stored = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
        features = list(stored.getFeatures())
        want = will_render(stored, features)
        held, drawn = [], set()
        for l in layers:
            mine = list(l.getFeatures())
            held += [f.id() for f in mine]
            kinds = {f.geometry().type() for f in mine}
            check(kinds <= {l.geometryType()},
                  f"{l.name()}: a {QgsWkbTypes.geometryDisplayString(l.geometryType())} "
                  f"layer holding {sorted(QgsWkbTypes.geometryDisplayString(k) for k in kinds)}")
            drawn |= will_render(l, mine)
        check(sorted(held) == sorted(f.id() for f in features),
              f"{table}: the project's layers hold features {sorted(held)}, "
              f"the table {sorted(f.id() for f in features)}")
        check(drawn == want, f"{table}: the project draws features {sorted(drawn)}, "
              f"the stored style {sorted(want)}")
    # Every source the style draws is in the project: the disputed
    # boundaries, the curated bases and rivers, the frontiers, ...
    sources = {layer["source"] for layer in style["layers"]}
    check(sources <= set(by_table), f"sources {sorted(sources - set(by_table))} are not in the project")


def check_view(project, style):
    """The map's CRS (the style's, else the conic bordermap fits to the
    extent) and a view that shows the whole extent."""
    page = style["page"]
    crs = project.crs()
    e = page["extent"]
    if page.get("crs"):
        check(crs.authid() == page["crs"], f"project CRS {crs.authid()}, style {page['crs']}")
    else:
        proj = crs.toProj()
        lat1 = re.search(r"\+lat_1=([-\d.]+)", proj)
        check("+proj=lcc" in proj and lat1 and near(float(lat1.group(1)),
                                                     e[1] + (e[3] - e[1]) / 6, 1e-3),
              f"project CRS {proj}: not the conic fitted to {e}")
    view = project.viewSettings().defaultViewExtent()
    back = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem("EPSG:4326"),
                                  project).transformBoundingBox(view)
    got = [back.xMinimum(), back.yMinimum(), back.xMaximum(), back.yMaximum()]
    check(got[0] <= e[0] + 1e-3 and got[1] <= e[1] + 1e-3 and got[2] >= e[2] - 1e-3 and
          got[3] >= e[3] - 1e-3, f"view {got} does not show the extent {e}")
    water = page.get("water")
    bg = project.backgroundColor().name()
    check(water is None or bg == water.lower(), f"background {bg} against water {water}")
    return page


def svg_legend(svg):
    """The rows of bordermap's legend: the texts after "Legend" at the x of
    the first row."""
    texts = [(t.get("x"), "".join(t.itertext()))
             for t in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")]
    names = [text for _, text in texts]
    if "Legend" not in names:
        return []
    rows = texts[names.index("Legend") + 1:]
    return [text for x, text in rows[:next((i for i, (x, _) in enumerate(rows)
                                             if x != rows[0][0]), len(rows))]]


def legend_rows(legend):
    model = legend.model()
    rows = []

    def walk(parent):
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            if model.rowCount(index):
                walk(index)
            else:
                rows.append(model.data(index, Qt.DisplayRole))
    walk(QModelIndex())
    return rows


def check_legend(legend, svg):
    want = svg_legend(svg)
    got = legend_rows(legend)
    check(len(want) > 0 and got == want, f"legend rows {got}, bordermap's {want}")
    check(legend.title() == "Legend", f"legend title {legend.title()!r}")


def check_graticule(m, page):
    grids = [m.grids().grid(i) for i in range(m.grids().size())]
    if not check(len(grids) == 1, f"the map has {len(grids)} grids, not a graticule"):
        return
    g = grids[0]
    step = page.get("graticule", {}).get("step", 5)
    check(g.crs().authid() == "EPSG:4326", f"graticule CRS {g.crs().authid()}")
    check(g.intervalX() == step and g.intervalY() == step,
          f"graticule every {g.intervalX()}, {g.intervalY()}, not {step} degrees")
    check(g.annotationEnabled() and
          g.annotationFormat() == QgsLayoutItemMapGrid.DecimalWithSuffix and
          g.annotationPrecision() == 0, "graticule labels are not whole degrees with N/E")
    for side, show in ((QgsLayoutItemMapGrid.Left, QgsLayoutItemMapGrid.LatitudeOnly),
                       (QgsLayoutItemMapGrid.Bottom, QgsLayoutItemMapGrid.LongitudeOnly)):
        check(g.annotationPosition(side) == QgsLayoutItemMapGrid.OutsideMapFrame and
              g.annotationDisplay(side) == show, f"graticule labels on side {side}")


def check_inset(main, inset):
    layers = [l.name() for l in inset.layers()]
    check(layers == ["locator"], f"the inset draws {layers}, not the locator alone")
    check("locator" not in [l.name() for l in main.layers()], "the main map draws the locator")
    overviews = [inset.overviews().overview(i) for i in range(inset.overviews().size())]
    check(len(overviews) == 1 and overviews[0].linkedMap() == main,
          "the inset has no overview of the main map")


def check_layout(project, style, style_path, png, svg):
    page = style["page"]
    name = os.path.splitext(os.path.basename(style_path))[0]
    layout = project.layoutManager().layoutByName(name)
    if not check(layout is not None, f"no layout {name}"):
        return
    items = layout.items()
    maps = {i.id(): i for i in items if isinstance(i, QgsLayoutItemMap)}
    legends = [i for i in items if isinstance(i, QgsLayoutItemLegend)]
    bars = [i for i in items if isinstance(i, QgsLayoutItemScaleBar)]
    texts = [i.text() for i in items if isinstance(i, QgsLayoutItemLabel)]
    has_inset = page.get("inset", True) is not False
    check(sorted(maps) == (["inset", "map"] if has_inset else ["map"]),
          f"the layout's maps are {sorted(maps)}")
    if check(len(legends) == 1, "the layout has no legend"):
        check_legend(legends[0], svg)
    check(len(bars) == 1 and bars[0].units() == QgsUnitTypes.DistanceKilometers,
          "the layout has no scale bar in km")
    check(page["title"] in texts, f"no label holds the title: {texts}")
    check(any("Projection: " in t for t in texts), f"no label names the projection: {texts}")
    main = maps.get("map")
    if main:
        e = main.extent()
        x0, y0, x1, y1 = page["extent"]
        check(e.xMinimum() <= x0 + 1e-6 and e.xMaximum() >= x1 - 1e-6 and
              e.yMinimum() <= y0 + 1e-6 and e.yMaximum() >= y1 - 1e-6,
              f"the map shows {e.toString()}, not {page['extent']}")
        check(LEGEND_LAYER not in [l.name() for l in main.layers()],
              "the main map draws the legend's layer")
        if page.get("graticule", True) is not False:
            check_graticule(main, page)
    if main and has_inset and "inset" in maps:
        check_inset(main, maps["inset"])
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = page["dpi"]
    rc = QgsLayoutExporter(layout).exportToImage(png, settings)
    check(rc == QgsLayoutExporter.Success, f"exportToImage: {rc}")
    img = QImage(png)
    w, h = page["size"]
    check(abs(img.width() - w) <= 1 and abs(img.height() - h) <= 1,
          f"{png}: {img.width()}x{img.height()}, not {w}x{h}")


def main():
    uri, gpkg, style_path, frontiers_geojson, png, svg = sys.argv[1:7]
    with open(style_path) as f:
        style = json.load(f)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    if check(project.read(uri), f"QgsProject.read({uri}) failed"):
        check_layers(project, gpkg, style, frontiers_geojson)
        check_features(project, gpkg, style)
        check_view(project, style)
        check_layout(project, style, style_path, png, svg)
    print("\n".join(failures) if failures else "ok", flush=True)
    # QGIS 3.22 can crash in exitQgis(): leave without it.
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main()
