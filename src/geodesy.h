/*
 * geodesy.h — distances and lengths on the WGS84 ellipsoid (PROJ geodesic.h).
 *
 * Coordinates are longitude/latitude in degrees.
 */
#ifndef BM_GEODESY_H
#define BM_GEODESY_H

#include <geos_c.h>

/* Geodesic distance in metres between two points. */
double bm_geodesic_distance_m(double lon1, double lat1, double lon2, double lat2);

/* Geodesic length in metres of a (Multi)LineString or any geometry's
 * linework; polygons count their rings. Returns -1 on a GEOS error. */
double bm_geodesic_length_m(GEOSContextHandle_t geos, const GEOSGeometry *geom);

/* The point reached from (lon, lat) after distance_m along azimuth_deg. */
void bm_geodesic_direct(double lon, double lat, double azimuth_deg,
                        double distance_m, double *lon2, double *lat2);

#endif
