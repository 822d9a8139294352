/*
 * geometry.h — moving geometries between OGR and GEOS.
 *
 * OGR reads and writes; GEOS computes. Conversion goes through WKB, so no
 * coordinate is ever re-parsed from text.
 */
#ifndef BM_GEOMETRY_H
#define BM_GEOMETRY_H

#include <geos_c.h>
#include <ogr_api.h>

#include "error.h"

typedef enum bm_geom_kind {
    BM_GEOM_ANY,
    BM_GEOM_POLYGONAL, /* Polygon or MultiPolygon, repaired if invalid */
    BM_GEOM_POLYGONAL_AS_IS, /* Polygon or MultiPolygon, not checked for validity */
    BM_GEOM_LINEAL     /* LineString or MultiLineString */
} bm_geom_kind;

/* Converts ogr (which may be NULL) into a new GEOS geometry of the given
 * kind. Invalid polygons are repaired with GEOSMakeValid and keep only
 * their polygonal part. Errors name path and feature. */
bm_status bm_geometry_from_ogr(GEOSContextHandle_t geos, OGRGeometryH ogr,
                               bm_geom_kind kind, GEOSGeometry **out,
                               const char *path, long feature, bm_error *err);

/* A new OGR geometry equal to geom, or NULL on failure. */
OGRGeometryH bm_geometry_to_ogr(GEOSContextHandle_t geos, const GEOSGeometry *geom);

/* g if it is valid, else its polygonal part after GEOSMakeValid (g is
 * consumed); NULL when that is empty or still invalid. */
GEOSGeometry *bm_geometry_repair(GEOSContextHandle_t geos, GEOSGeometry *g);

#endif
