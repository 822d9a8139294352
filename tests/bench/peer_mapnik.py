#!/usr/bin/python3
"""peer_mapnik.py — the bench_peers.sh map drawn by Mapnik (Debian's
python3-mapnik): the same page, projection, data and styling as
tests/bench/peer_circles.json / peer_labels.json and peer_map.map.in.

Usage: peer_mapnik.py COUNTRIES.fgb INCIDENTS.shp "MINX MINY MAXX MAXY" OUT.png [--labels]
"""
import sys

import mapnik

LAEA = "+proj=laea +lat_0=40 +lon_0=66 +datum=WGS84 +units=m +no_defs"
LONLAT = "+proj=longlat +datum=WGS84 +no_defs"
CLASSES = (("Battles", "#D55E00"), ("Explosions", "#E69F00"),
           ("Violence against civilians", "#CC79A7"), ("Protests", "#56B4E9"))
OTHER = "#0072B2"


def xml(countries, incidents, labels):
    # With labels the markers are placement obstacles (as in bordermap):
    # every marker is drawn, and no label covers one.
    ignore = "false" if labels else "true"
    marker = ('<MarkersSymbolizer fill="%s" width="6" height="6" stroke-width="0" '
              'allow-overlap="true" ignore-placement="' + ignore + '"/>')
    rules = "".join("<Rule><Filter>[kind] = '%s'</Filter>%s</Rule>" % (k, marker % c)
                    for k, c in CLASSES)
    rules += "<Rule><ElseFilter/>%s</Rule>" % (marker % OTHER)
    label_style = label_layer = ""
    if labels:
        label_style = (
            '<Style name="labels"><Rule><TextSymbolizer face-name="DejaVu Sans Book" size="9" '
            'fill="#222222" halo-fill="#ffffff" halo-radius="1" placement-type="simple" '
            'placements="NE,SE,NW,SW,E,W,N,S" dx="4" dy="4" allow-overlap="false">[name]'
            '</TextSymbolizer></Rule></Style>')
        label_layer = ('<Layer name="labels" srs="%s"><StyleName>labels</StyleName>'
                       '<Datasource><Parameter name="type">shape</Parameter>'
                       '<Parameter name="file">%s</Parameter></Datasource></Layer>'
                       % (LONLAT, incidents))
    return f"""<Map srs="{LAEA}" background-color="#ffffff">
<Style name="countries"><Rule><PolygonSymbolizer fill="#f3f1ec"/>
<LineSymbolizer stroke="#8f887c" stroke-width="1"/></Rule></Style>
<Style name="incidents">{rules}</Style>
{label_style}
<Layer name="countries" srs="{LONLAT}"><StyleName>countries</StyleName>
<Datasource><Parameter name="type">ogr</Parameter><Parameter name="file">{countries}</Parameter>
<Parameter name="layer">countries</Parameter></Datasource></Layer>
<Layer name="incidents" srs="{LONLAT}"><StyleName>incidents</StyleName>
<Datasource><Parameter name="type">shape</Parameter><Parameter name="file">{incidents}</Parameter>
</Datasource></Layer>
{label_layer}
</Map>"""


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    countries, incidents, extent, out = sys.argv[1:5]
    labels = sys.argv[5:] == ["--labels"]
    m = mapnik.Map(3000, 2000)
    mapnik.load_map_from_string(m, xml(countries, incidents, labels))
    m.zoom_to_box(mapnik.Box2d(*map(float, extent.split())))
    mapnik.render_to_file(m, out, "png")


if __name__ == "__main__":
    main()
