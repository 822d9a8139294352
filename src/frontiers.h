/*
 * frontiers.h — the shared land border of two countries and its length.
 *
 * Neighbouring polygons from real data do not share every vertex, so a
 * frontier is the part of A's boundary that lies within a tolerance of B's
 * boundary. The tolerance is applied in metres in an azimuthal equidistant
 * projection centred on the pair's shared area; lengths are geodesic on
 * WGS84. Gaps wider than the tolerance are not bridged, and each stretch
 * is counted once because only A's side is measured (A < B by ISO code).
 */
#ifndef BM_FRONTIERS_H
#define BM_FRONTIERS_H

#include <stddef.h>

#include <geos_c.h>

#include "boundaries.h"
#include "error.h"
#include "feature_set.h"
#include "vector_out.h"

/* Independent digitisations of one border in OSM-derived data disagree by
 * up to about a kilometre in places (China-Kazakhstan: 30 % of that border
 * is more than 100 m from its counterpart), while no two countries of the
 * region that do not touch come within several kilometres of each other. */
#define BM_FRONTIER_DEFAULT_TOLERANCE_M 1000.0

typedef struct bm_frontier_options {
    double tolerance_m;         /* 0 means BM_FRONTIER_DEFAULT_TOLERANCE_M */
    int include_maritime;       /* add sea sector lines (the Caspian) */
    const char *maritime_path;  /* NULL: the embedded maritime_boundaries.geojson */
    const char *reported_path;  /* NULL: the embedded reported_frontiers.csv; "" none */
} bm_frontier_options;

typedef struct bm_frontier {
    char iso_a[4], iso_b[4]; /* iso_a < iso_b */
    char name_a[96], name_b[96];
    GEOSGeometry *geom;      /* MultiLineString, lon/lat */
    double length_km;
    double tolerance_m;
    int has_reported;
    double reported_km;
    char reported_qualifier[16]; /* "over", "about" or "" */
    char reported_source[256];
} bm_frontier;

typedef struct bm_frontiers bm_frontiers;

/* The frontier of two countries as a MultiLineString in lon/lat, or NULL
 * when they do not share a border within tolerance_m. The result does not
 * depend on the order of a and b. */
GEOSGeometry *bm_frontier_between(GEOSContextHandle_t geos, const bm_country *a,
                                  const bm_country *b, double tolerance_m);

/* Frontiers of every neighbouring pair among the countries named in isos
 * (all countries of the boundaries when n_isos is 0). Unknown codes are a
 * usage error. Result sorted by (iso_a, iso_b). */
bm_frontiers *bm_frontiers_compute(GEOSContextHandle_t geos, const bm_boundaries *b,
                                   const char *const *isos, size_t n_isos,
                                   const bm_frontier_options *opt, bm_error *err);
void bm_frontiers_free(bm_frontiers *f);

size_t bm_frontiers_count(const bm_frontiers *f);
const bm_frontier *bm_frontiers_at(const bm_frontiers *f, size_t i);
/* The frontier of a and b in either order; NULL when there is none. */
const bm_frontier *bm_frontiers_find(const bm_frontiers *f, const char *iso1, const char *iso2);
const char *bm_frontiers_source(const bm_frontiers *f);

/* "Afghanistan–Tajikistan" (en dash), written to buf. */
char *bm_frontier_name(const bm_frontier *fr, char *buf, size_t size);

/* The texts maps label a frontier with: "1,362 km", and "(reported: over
 * 1,300 km)" or "" when no length was reported. Both return buf. */
char *bm_frontier_length_text(const bm_frontier *fr, char *buf, size_t size);
char *bm_frontier_reported_text(const bm_frontier *fr, char *buf, size_t size);

/* The frontiers as features, one per frontier, with the one schema maps,
 * exports and `bordermap frontiers` share: iso_a, iso_b, name_a, name_b,
 * name, length_km, tolerance_m, source, reported_km, reported_qualifier,
 * reported_source, difference_pct, and the label texts `length` ("1,362
 * km") and `reported` ("(reported: over 1,300 km)"). */
bm_features *bm_frontiers_features(GEOSContextHandle_t geos, const bm_frontiers *f,
                                   bm_error *err);

/* Adds those features to out as a layer named "frontiers". */
bm_status bm_frontiers_write_layer(GEOSContextHandle_t geos, const bm_frontiers *f,
                                   bm_vector_out *out, bm_error *err);

/* Writes the frontiers layer alone to a GeoJSON or GeoPackage file, or "-". */
bm_status bm_frontiers_write(GEOSContextHandle_t geos, const bm_frontiers *f,
                             const char *path, bm_error *err);

#endif
