#!/usr/bin/python3
"""gen_incidents.py — seeded random incidents for bench_peers.sh.

Usage:
  gen_incidents.py N OUTDIR      writes OUTDIR/incidents-N.gpkg and
                                 OUTDIR/incidents-N.shp (layer "incidents":
                                 point geometry in WGS 84, fields id, kind,
                                 name, latitude, longitude), and
                                 OUTDIR/incidents-N.csv (the same rows, with
                                 coordinates, for the conversion case)
  gen_incidents.py --extent      prints the projected extent (metres, in
                                 the benchmark's LAEA) of the lon/lat box
                                 the maps show, as bordermap fits it

The points are uniform in 46–86°E, 30–50°N (the box of the map, which is
centred on 66°E 40°N); kind is one of five classes; name is "Place N".
Needs python3-gdal (Debian's /usr/bin/python3).
"""
import os
import random
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
osr.UseExceptions()

BOX = (46.0, 30.0, 86.0, 50.0)
LAEA = "+proj=laea +lat_0=40 +lon_0=66 +datum=WGS84 +units=m +no_defs"
KINDS = ("Battles", "Explosions", "Violence against civilians", "Protests", "Riots")
SEED = 2026


def extent():
    """The projected bounds of BOX sampled along its edges, as bordermap's
    bm_projection_box_bounds computes them (64 steps a side)."""
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.SetFromUserInput("+proj=longlat +datum=WGS84 +no_defs")
    dst.SetFromUserInput(LAEA)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    w, s_, e, n = BOX
    xs, ys = [], []
    for i in range(65):
        t = i / 64
        for lon, lat in ((w + t * (e - w), s_), (w + t * (e - w), n),
                         (w, s_ + t * (n - s_)), (e, s_ + t * (n - s_))):
            x, y, _ = ct.TransformPoint(lon, lat)
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def rows(n):
    rnd = random.Random(SEED)
    for i in range(n):
        lon = BOX[0] + (BOX[2] - BOX[0]) * rnd.random()
        lat = BOX[1] + (BOX[3] - BOX[1]) * rnd.random()
        yield i + 1, KINDS[rnd.randrange(len(KINDS))], f"Place {i + 1}", lat, lon


def write(driver, path, n):
    if os.path.exists(path):
        ogr.GetDriverByName(driver).DeleteDataSource(path)
    ds = ogr.GetDriverByName(driver).CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("incidents", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("id", ogr.OFTInteger))
    for name, width in (("kind", 32), ("name", 24)):
        f = ogr.FieldDefn(name, ogr.OFTString)
        f.SetWidth(width)
        layer.CreateField(f)
    for name in ("latitude", "longitude"):
        f = ogr.FieldDefn(name, ogr.OFTReal)
        f.SetWidth(12)
        f.SetPrecision(6)
        layer.CreateField(f)
    defn = layer.GetLayerDefn()
    layer.StartTransaction()
    for ident, kind, name, lat, lon in rows(n):
        lat, lon = round(lat, 6), round(lon, 6)
        feat = ogr.Feature(defn)
        feat.SetField("id", ident)
        feat.SetField("kind", kind)
        feat.SetField("name", name)
        feat.SetField("latitude", lat)
        feat.SetField("longitude", lon)
        feat.SetGeometryDirectly(ogr.CreateGeometryFromWkt(f"POINT ({lon} {lat})"))
        layer.CreateFeature(feat)
    layer.CommitTransaction()
    ds = None


def write_csv(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,kind,name,latitude,longitude\n")
        for ident, kind, name, lat, lon in rows(n):
            f.write(f"{ident},{kind},{name},{lat:.6f},{lon:.6f}\n")


def main():
    if sys.argv[1:] == ["--extent"]:
        print("%.1f %.1f %.1f %.1f" % extent())
        return
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    base = os.path.join(out, f"incidents-{n}")
    write("GPKG", base + ".tmp.gpkg", n)
    os.replace(base + ".tmp.gpkg", base + ".gpkg")
    write("ESRI Shapefile", base + ".shp", n)
    write_csv(base + ".csv", n)


if __name__ == "__main__":
    main()
