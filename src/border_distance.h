/*
 * border_distance.h — how far a point is from the nearest international
 * land frontier, which frontier that is, and which country it lies in.
 *
 * Distances are geodesic on WGS84 (PROJ's geodesic.h), from the point to
 * the frontier lines taken as geodesics between their vertices, exact to
 * about a metre. An index over the frontier segments keeps a query to a
 * few segments, so a million points take seconds.
 *
 * A bm_border_distance borrows its frontiers and boundaries, which must
 * outlive it, and is used from one thread at a time (it holds a GEOS
 * handle and a PROJ context).
 */
#ifndef BM_BORDER_DISTANCE_H
#define BM_BORDER_DISTANCE_H

#include <geos_c.h>

#include "boundaries.h"
#include "error.h"
#include "frontiers.h"

typedef struct bm_border_distance bm_border_distance;

typedef struct bm_border_answer {
    double km;                  /* to the nearest frontier; -1 when there is none */
    const bm_frontier *frontier; /* that frontier, or NULL */
    size_t frontier_index;      /* its index in the frontier set */
    char frontier_name[200];    /* "Afghanistan–Tajikistan", or "" */
    char frontier_iso[8];       /* "AFG-TJK", or "" */
    char in_country[4];         /* ISO code of the polygon holding the point, or
                                   within 1e-4 degrees of it; "" at sea */
} bm_border_answer;

/* The fields an answer gives a feature, in this order: frontier_km,
 * frontier, frontier_iso, in_country. */
#define BM_BORDER_DISTANCE_FIELDS 4
extern const char *const bm_border_distance_fields[BM_BORDER_DISTANCE_FIELDS];

/* An index over the lines of frontiers and the polygons of boundaries
 * (either may be NULL: no distances, or no countries). */
bm_border_distance *bm_border_distance_create(GEOSContextHandle_t geos,
                                              const bm_frontiers *frontiers,
                                              const bm_boundaries *boundaries, bm_error *err);
void bm_border_distance_free(bm_border_distance *d);

/* The answer for a point in degrees; 0 on success, -1 when GEOS failed. */
int bm_border_distance_query(bm_border_distance *d, double lon, double lat,
                             bm_border_answer *out);

/* For every frontier of the set, the distance in km from the point if it
 * is at most km, else -1: km_to has one entry per frontier. 0 on success,
 * -1 when the point cannot be placed. */
int bm_border_distance_within(bm_border_distance *d, double lon, double lat, double km,
                              double *km_to);

#endif
