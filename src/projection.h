/*
 * projection.h — map projections through PROJ.
 *
 * A bm_projection converts between WGS84 longitude/latitude and a
 * projected CRS. Each one owns its PROJ context, so projections may be
 * used from different threads as long as each is used by one at a time.
 */
#ifndef BM_PROJECTION_H
#define BM_PROJECTION_H

#include <geos_c.h>

#include "error.h"

typedef struct bm_projection bm_projection;

/* definition: a PROJ string ("+proj=lcc ..."), "EPSG:N", or any CRS
 * description PROJ accepts. Input and output axes are lon/lat and x/y.
 * A CRS that is not a map (geocentric, vertical, compound, geographic 3D,
 * engineering) or a PROJ string naming an operation that is not a map
 * projection (helmert, affine) is refused with a BM_ERR_USAGE error. */
bm_projection *bm_projection_create(const char *definition, bm_error *err);

/* An azimuthal equidistant projection on WGS84 centred on (lon0, lat0):
 * distances from the centre are true, and nearby ones nearly so. */
bm_projection *bm_projection_local(double lon0, double lat0);

/* The CRS a map of an extent (min lon, min lat, max lon, max lat) is drawn
 * in when its style names none, on WGS84 and conformal: a Lambert
 * conformal conic with its standard parallels a sixth of the way in from
 * the extent's top and bottom; a Mercator when the extent's middle
 * latitude is within 15° of the equator; a polar stereographic when it is
 * 70° or more from it. Any extent within ±180°/±85° gets one (an extent
 * cannot cross the antimeridian: min lon < max lon). Writes the PROJ
 * string to buf and its description for the map's credits ("Lambert
 * conformal conic, standard parallels 33.7°N and 48.3°N, central meridian
 * 67.0°E") to name; returns buf. */
char *bm_projection_fitted(const double extent[4], char *buf, size_t size, char *name,
                           size_t name_size);

/* The same transformation for another thread: a projection, like the
 * PROJ context it holds, serves one thread at a time. NULL when out of
 * memory. */
bm_projection *bm_projection_clone(const bm_projection *p);

void bm_projection_free(bm_projection *p);

/* The projected bounds (min x, min y, max x, max y) of a lon/lat box,
 * sampled along its edges, where a parallel may bow beyond its corners;
 * 0 on success, -1 when no sample projects. The renderer fits this box
 * into the map frame, and the QGIS project shows the same. */
int bm_projection_box_bounds(bm_projection *p, const double extent[4], double b[4]);

/* The projected box a frame of w x h shows when bounds b are fitted into
 * it, centred: b widened along one axis to the frame's shape. */
void bm_projection_fit_frame(const double b[4], double w, double h, double out[4]);

/* Return 0 on success, -1 when the point cannot be projected. */
int bm_projection_forward(bm_projection *p, double lon, double lat, double *x, double *y);
int bm_projection_inverse(bm_projection *p, double x, double y, double *lon, double *lat);

/* New geometries with every coordinate projected; NULL on failure. */
GEOSGeometry *bm_projection_forward_geom(bm_projection *p, GEOSContextHandle_t geos,
                                         const GEOSGeometry *g);
GEOSGeometry *bm_projection_inverse_geom(bm_projection *p, GEOSContextHandle_t geos,
                                         const GEOSGeometry *g);

#endif
