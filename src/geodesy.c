/*
 * geodesy.c — geodesic measurements through PROJ's geodesic.h.
 */
#include "geodesy.h"

#include <geodesic.h>

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

static const struct geod_geodesic *wgs84(void)
{
    /* One ellipsoid per thread: batch workers measure concurrently. */
    static _Thread_local struct geod_geodesic g;
    static _Thread_local int ready;
    if (!ready) {
        geod_init(&g, WGS84_A, WGS84_F);
        ready = 1;
    }
    return &g;
}

double bm_geodesic_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    double s12 = 0;
    geod_inverse(wgs84(), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}

void bm_geodesic_direct(double lon, double lat, double azimuth_deg,
                        double distance_m, double *lon2, double *lat2)
{
    geod_direct(wgs84(), lat, lon, azimuth_deg, distance_m, lat2, lon2, NULL);
}

static double sequence_length(GEOSContextHandle_t geos, const GEOSCoordSequence *seq)
{
    unsigned int n = 0;
    if (!GEOSCoordSeq_getSize_r(geos, seq, &n))
        return -1;
    double total = 0, plon = 0, plat = 0;
    for (unsigned int i = 0; i < n; i++) {
        double lon, lat;
        if (!GEOSCoordSeq_getXY_r(geos, seq, i, &lon, &lat))
            return -1;
        if (i > 0)
            total += bm_geodesic_distance_m(plon, plat, lon, lat);
        plon = lon;
        plat = lat;
    }
    return total;
}

double bm_geodesic_length_m(GEOSContextHandle_t geos, const GEOSGeometry *geom)
{
    int type = GEOSGeomTypeId_r(geos, geom);
    switch (type) {
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
        return sequence_length(geos, GEOSGeom_getCoordSeq_r(geos, geom));
    case GEOS_POLYGON: {
        double total = bm_geodesic_length_m(geos, GEOSGetExteriorRing_r(geos, geom));
        int holes = GEOSGetNumInteriorRings_r(geos, geom);
        for (int i = 0; i < holes && total >= 0; i++) {
            double ring = bm_geodesic_length_m(geos, GEOSGetInteriorRingN_r(geos, geom, i));
            total = ring < 0 ? -1 : total + ring;
        }
        return total;
    }
    case GEOS_MULTILINESTRING:
    case GEOS_MULTIPOLYGON:
    case GEOS_GEOMETRYCOLLECTION: {
        double total = 0;
        int parts = GEOSGetNumGeometries_r(geos, geom);
        for (int i = 0; i < parts && total >= 0; i++) {
            double part = bm_geodesic_length_m(geos, GEOSGetGeometryN_r(geos, geom, i));
            total = part < 0 ? -1 : total + part;
        }
        return total;
    }
    case GEOS_POINT:
    case GEOS_MULTIPOINT:
        return 0;
    default:
        return -1;
    }
}
