/*
 * geometry.c — OGR <-> GEOS conversion and repair.
 */
#include "geometry.h"

#include <stdlib.h>

static GEOSGeometry *from_wkb(GEOSContextHandle_t geos, OGRGeometryH ogr)
{
    int size = OGR_G_WkbSize(ogr);
    unsigned char *wkb = malloc((size_t)size);
    if (!wkb)
        return NULL;
    GEOSGeometry *g = NULL;
    if (OGR_G_ExportToIsoWkb(ogr, wkbNDR, wkb) == OGRERR_NONE)
        g = GEOSGeomFromWKB_buf_r(geos, wkb, (size_t)size);
    free(wkb);
    return g;
}

static int is_polygonal(GEOSContextHandle_t geos, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(geos, g);
    return t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
}

static int is_lineal(GEOSContextHandle_t geos, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(geos, g);
    return t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING;
}

/* MakeValid may return a collection mixing polygons with the slivers and
 * spikes it cut off; only the areal part is a country. */
static GEOSGeometry *polygonal_part(GEOSContextHandle_t geos, GEOSGeometry *g)
{
    if (is_polygonal(geos, g))
        return g;
    int n = GEOSGetNumGeometries_r(geos, g);
    GEOSGeometry **parts = calloc((size_t)(n > 0 ? n : 1), sizeof *parts);
    unsigned int kept = 0;
    for (int i = 0; parts && i < n; i++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(geos, g, i);
        if (GEOSGeomTypeId_r(geos, part) == GEOS_POLYGON)
            parts[kept++] = GEOSGeom_clone_r(geos, part);
    }
    GEOSGeometry *out = kept && parts
        ? GEOSGeom_createCollection_r(geos, GEOS_MULTIPOLYGON, parts, kept)
        : NULL;
    free(parts);
    GEOSGeom_destroy_r(geos, g);
    return out;
}

GEOSGeometry *bm_geometry_repair(GEOSContextHandle_t geos, GEOSGeometry *g)
{
    if (GEOSisValid_r(geos, g) == 1)
        return g;
    GEOSGeometry *valid = GEOSMakeValid_r(geos, g);
    GEOSGeom_destroy_r(geos, g);
    if (!valid)
        return NULL;
    valid = polygonal_part(geos, valid);
    if (valid && (GEOSisEmpty_r(geos, valid) || GEOSisValid_r(geos, valid) != 1)) {
        GEOSGeom_destroy_r(geos, valid);
        return NULL;
    }
    return valid;
}

bm_status bm_geometry_from_ogr(GEOSContextHandle_t geos, OGRGeometryH ogr,
                               bm_geom_kind kind, GEOSGeometry **out,
                               const char *path, long feature, bm_error *err)
{
    *out = NULL;
    if (!ogr || OGR_G_IsEmpty(ogr))
        return bm_error_set(err, BM_ERR_RUNTIME, path, feature, "geometry",
                            "feature has no geometry");
    GEOSGeometry *g = from_wkb(geos, ogr);
    if (!g)
        return bm_error_set(err, BM_ERR_RUNTIME, path, feature, "geometry",
                            "geometry cannot be converted for GEOS");
    if (kind == BM_GEOM_POLYGONAL || kind == BM_GEOM_POLYGONAL_AS_IS) {
        if (!is_polygonal(geos, g)) {
            GEOSGeom_destroy_r(geos, g);
            return bm_error_set(err, BM_ERR_RUNTIME, path, feature, "geometry",
                                "expected a Polygon or MultiPolygon, got %s",
                                OGR_G_GetGeometryName(ogr));
        }
        if (kind == BM_GEOM_POLYGONAL)
            g = bm_geometry_repair(geos, g);
        if (!g)
            return bm_error_set(err, BM_ERR_RUNTIME, path, feature, "geometry",
                                "invalid polygon that cannot be repaired");
    } else if (kind == BM_GEOM_LINEAL && !is_lineal(geos, g)) {
        GEOSGeom_destroy_r(geos, g);
        return bm_error_set(err, BM_ERR_RUNTIME, path, feature, "geometry",
                            "expected a LineString or MultiLineString, got %s",
                            OGR_G_GetGeometryName(ogr));
    }
    *out = g;
    return BM_OK;
}

OGRGeometryH bm_geometry_to_ogr(GEOSContextHandle_t geos, const GEOSGeometry *geom)
{
    size_t size = 0;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(geos);
    if (!w)
        return NULL;
    GEOSWKBWriter_setByteOrder_r(geos, w, GEOS_WKB_NDR);
    unsigned char *wkb = GEOSWKBWriter_write_r(geos, w, geom, &size);
    GEOSWKBWriter_destroy_r(geos, w);
    if (!wkb)
        return NULL;
    OGRGeometryH ogr = NULL;
    if (OGR_G_CreateFromWkb(wkb, NULL, &ogr, (int)size) != OGRERR_NONE)
        ogr = NULL;
    GEOSFree_r(geos, wkb);
    return ogr;
}
