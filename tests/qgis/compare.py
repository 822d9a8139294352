#!/usr/bin/python3
"""Compares the print layout QGIS exports from bordermap's project with
bordermap's own PNG of the same style, where a program can.

Usage: compare.py PROJECT.qgz STYLE.json BORDERMAP.png POINTS.txt OUT.png
  PROJECT.qgz    `bordermap export --style STYLE.json -o PROJECT.qgz`
  BORDERMAP.png  `bordermap render STYLE.json -o BORDERMAP.png`
  POINTS.txt     `page_points STYLE.json`: where bordermap puts each
                 incident on the page, and the labels it places
  OUT.png        where the layout is exported (QGIS's page)

Run with Debian's python3-qgis (/usr/bin/python3), QT_QPA_PLATFORM=offscreen.
Checks that the two pages show the same map:
- every incident inside the map frame is at the same page pixel in both
  (the same frame, extent and projection), within 1.5 px;
- at every incident with no other within SPREAD px (co-located symbols are
  spread, by each program its own way), the two images have the same
  colour: a filled symbol its fill, a hollow one the land under it;
- every label bordermap places on the map for points and lines
  (incidents, bases, rivers, frontiers with their lengths) QGIS places
  too, with the same text (QGIS's capitalisation aside), and at least
  AREA_SHARE of its country names: QGIS fits a name in its country only
  with the whole box inside, where bordermap lets the letters' inner
  leading overhang and tries two lines or a smaller size.
"""
import collections
import json
import math
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem,  # noqa: E402
                       QgsCoordinateTransform, QgsLayoutExporter, QgsLayoutItemMap,
                       QgsMapRendererSequentialJob, QgsPointXY, QgsProject, QgsWkbTypes)
from qgis.PyQt.QtCore import QSizeF  # noqa: E402
from qgis.PyQt.QtGui import QColor, QImage  # noqa: E402

POSITION_TOLERANCE = 1.5  # px
SPREAD = 24               # px: nearer incidents are spread apart
COLOUR_TOLERANCE = 40     # per channel, 0-255: antialiasing, QGIS's own blending
AREA_SHARE = 0.8

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def read_points(path):
    points, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            kind, _, rest = line.rstrip("\n").partition(" ")
            if kind == "point":
                lon, lat, x, y = map(float, rest.split())
                points.append((lon, lat, x, y))
            elif kind == "label":
                labels.append(rest.replace("\\n", "\n"))
    return points, labels


def main_map(layout):
    maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
    # The main map is the biggest; an inset locator is smaller.
    return max(maps, key=lambda m: m.rect().width() * m.rect().height())


def map_settings(item, dpi):
    px = dpi / 25.4
    size = QSizeF(item.rect().width() * px, item.rect().height() * px)
    return item.mapSettings(item.extent(), size, dpi, True)


def page_pixel(item, ms, to_map, lon, lat, dpi):
    """The page pixel QGIS draws lon/lat at, or None outside the frame."""
    p = ms.mapToPixel().transform(to_map.transform(QgsPointXY(lon, lat)))
    w, h = ms.outputSize().width(), ms.outputSize().height()
    if not (0 <= p.x() <= w and 0 <= p.y() <= h):
        return None
    origin = item.pagePos()
    return origin.x() * dpi / 25.4 + p.x(), origin.y() * dpi / 25.4 + p.y()


def colour(img, x, y):
    """The median colour of the 3x3 pixels around (x, y)."""
    px = [QColor(img.pixel(int(round(x)) + dx, int(round(y)) + dy))
          for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    return tuple(sorted(getattr(c, ch)() for c in px)[4] for ch in ("red", "green", "blue"))


def isolated(points, i):
    x, y = points[i][2], points[i][3]
    return all(k == i or math.hypot(x - p[2], y - p[3]) > SPREAD for k, p in enumerate(points))


def check_points(project, item, ms, points, bm_img, qgis_img, dpi):
    to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), item.crs(),
                                    project)
    compared = 0
    for i, (lon, lat, bx, by) in enumerate(points):
        q = page_pixel(item, ms, to_map, lon, lat, dpi)
        if q is None:
            continue
        d = math.hypot(q[0] - bx, q[1] - by)
        check(d <= POSITION_TOLERANCE,
              f"incident at {lon},{lat}: QGIS draws it at {q[0]:.1f},{q[1]:.1f}, "
              f"bordermap at {bx:.1f},{by:.1f} ({d:.1f} px apart)")
        if not isolated(points, i):
            continue
        a, b = colour(bm_img, bx, by), colour(qgis_img, q[0], q[1])
        check(max(abs(u - v) for u, v in zip(a, b)) <= COLOUR_TOLERANCE,
              f"incident at {lon},{lat}: colour {a} in bordermap's PNG, {b} in QGIS's")
        compared += 1
    check(compared > 0, "no isolated incident to compare colours at")
    return compared


def normal(text):
    """Text as read: bordermap may put a frontier's figures on the line's
    other side, " · " becoming a line break."""
    return " ".join(text.replace(" · ", " ").split()).casefold()


def qgis_labels(ms):
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    results = job.takeLabelingResults()
    # The results also list the labels QGIS could not place.
    return [p.labelText for p in results.labelsWithinRect(ms.visibleExtent()) if not p.isUnplaced]


def area_names(ms):
    """The names of the polygons the map draws (countries, regions)."""
    return {normal(str(f["name"])) for layer in ms.layers()
            if layer.geometryType() == QgsWkbTypes.PolygonGeometry and "name" in layer.fields().names()
            for f in layer.getFeatures()}


def check_labels(ms, labels):
    got = collections.Counter(normal(t) for t in qgis_labels(ms))
    want = collections.Counter(normal(t) for t in labels)
    areas = area_names(ms)
    missing = want - got
    lost_areas = [t for t in missing.elements() if t in areas]
    lost = [t for t in missing.elements() if t not in areas]
    extra = sorted((got - want).elements())
    check(not lost, f"labels bordermap places and QGIS does not: {sorted(lost)} "
          f"(QGIS places {extra} that bordermap does not)")
    placed_areas = sum(n for t, n in want.items() if t in areas)
    check(len(lost_areas) <= (1 - AREA_SHARE) * placed_areas,
          f"area names bordermap places and QGIS does not: {sorted(lost_areas)} "
          f"of {placed_areas}")
    return want, got, lost_areas


def main():
    qgz, style_path, bm_png, points_path, out_png = sys.argv[1:6]
    with open(style_path, encoding="utf-8") as f:
        style = json.load(f)
    dpi = style["page"]["dpi"]
    points, labels = read_points(points_path)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    if not check(project.read(qgz), f"QgsProject.read({qgz}) failed"):
        print("\n".join(failures), flush=True)
        os._exit(1)
    layout = project.layoutManager().layoutByName(
        os.path.splitext(os.path.basename(style_path))[0])
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = dpi
    check(QgsLayoutExporter(layout).exportToImage(out_png, settings) == QgsLayoutExporter.Success,
          "the layout does not export")
    bm_img, qgis_img = QImage(bm_png), QImage(out_png)
    check(bm_img.size() == qgis_img.size(),
          f"pages of {bm_img.width()}x{bm_img.height()} and {qgis_img.width()}x{qgis_img.height()} px")
    item = main_map(layout)
    ms = map_settings(item, dpi)
    compared = check_points(project, item, ms, points, bm_img, qgis_img, dpi)
    want, got, lost_areas = check_labels(ms, labels)
    print("\n".join(failures) if failures else
          f"ok: {compared} incident colours, {sum(want.values())} labels, area names QGIS "
          f"leaves out {lost_areas}, {sum((got - want).values())} labels more in QGIS",
          flush=True)
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main()
