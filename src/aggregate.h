/*
 * aggregate.h — catalog events counted per region or per hexagon: the
 * polygons of a style's aggregate source, for choropleths.
 *
 * Regions: every polygon of a table (admin-1 regions, countries) with its
 * fields, plus `count` (the points inside, edges included; a point on a
 * shared edge goes to the first region) and `fatalities` (the sum of the
 * weight field; a value that is not a number adds 0).
 *
 * Hexagons: a grid of pointy-topped hexagons `size_km` across (between
 * opposite sides) in a Lambert azimuthal equal-area projection centred on
 * the points, so that every cell covers the same area; only the cells
 * holding events, with `hex_q`, `hex_r` (the cell's axial coordinates),
 * `count` and `fatalities`, in order of r, then q.
 */
#ifndef BM_AGGREGATE_H
#define BM_AGGREGATE_H

#include <geos_c.h>

#include "error.h"
#include "feature_set.h"

bm_features *bm_aggregate_regions(GEOSContextHandle_t geos, const bm_features *regions,
                                  const bm_features *points, const char *weight,
                                  bm_error *err);

bm_features *bm_aggregate_hexagons(GEOSContextHandle_t geos, const bm_features *points,
                                   double size_km, const char *weight, bm_error *err);

#endif
