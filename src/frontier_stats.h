/*
 * frontier_stats.h — what happened along each frontier: the catalog's
 * events within a distance of it (geodesic, on either side, and on each
 * side by the country the event lies in), their fatalities, the events
 * per 100 km of frontier, and the events by event type.
 *
 * An event within the distance of two frontiers (near a tripoint) counts
 * for both. The statistics borrow nothing once computed.
 */
#ifndef BM_FRONTIER_STATS_H
#define BM_FRONTIER_STATS_H

#include <stddef.h>

#include "border_distance.h"
#include "catalog.h"
#include "error.h"
#include "feature_set.h"
#include "frontiers.h"

typedef struct bm_frontier_stats bm_frontier_stats;

typedef struct bm_frontier_count {
    size_t within;      /* located events within the distance */
    size_t side_a;      /* of those, in country iso_a */
    size_t side_b;      /* in country iso_b */
    double fatalities;  /* their fatalities (a missing value counts 0) */
    double per_100km;   /* within per 100 km of the frontier's length */
} bm_frontier_count;

/* The fields a count gives a frontier feature, in this order. */
#define BM_FRONTIER_STATS_FIELDS 6
extern const char *const bm_frontier_stats_fields[BM_FRONTIER_STATS_FIELDS];

/* Counts c's located records within km of each frontier of f; d is an
 * index over f (bm_border_distance_create with f). NULL with err set when
 * out of memory. */
bm_frontier_stats *bm_frontier_stats_compute(bm_border_distance *d, const bm_frontiers *f,
                                             const bm_catalog *c, double km, bm_error *err);
void bm_frontier_stats_free(bm_frontier_stats *s);

double bm_frontier_stats_km(const bm_frontier_stats *s);
const bm_frontier_count *bm_frontier_stats_at(const bm_frontier_stats *s, size_t frontier);

/* The event types of the catalog's records, sorted, and how many events of
 * type t lie within the distance of a frontier. */
size_t bm_frontier_stats_type_count(const bm_frontier_stats *s);
const char *bm_frontier_stats_type(const bm_frontier_stats *s, size_t t);
size_t bm_frontier_stats_by_type(const bm_frontier_stats *s, size_t frontier, size_t t);

/* The frontiers as features (bm_frontiers_features) with the counts'
 * fields: within_km, incidents_within, incidents_a, incidents_b,
 * fatalities_within, incidents_per_100km. */
bm_features *bm_frontier_stats_features(GEOSContextHandle_t geos, const bm_frontiers *f,
                                        const bm_frontier_stats *s, bm_error *err);

#endif
