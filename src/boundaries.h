/*
 * boundaries.h — admin-0 country polygons, read with OGR into GEOS.
 *
 * A boundaries set owns its GEOS geometries; it is tied to the GEOS
 * context it was loaded with and must be used from one thread at a time.
 */
#ifndef BM_BOUNDARIES_H
#define BM_BOUNDARIES_H

#include <stddef.h>

#include <geos_c.h>

#include "error.h"

typedef struct bm_country {
    char iso_a3[4];
    char name[96];
    GEOSGeometry *geom; /* valid (Multi)Polygon in lon/lat */
} bm_country;

typedef struct bm_boundaries bm_boundaries;

/* The embedded countries file. */
const char *bm_boundaries_default_path(void);

/* Reads every feature of the first layer of an OGR dataset. The ISO code
 * comes from a field named iso_a3 (or ISO_A3, A3), the name from `name`
 * (or the ISO code when there is none). Invalid polygons are repaired
 * with GEOSMakeValid; ones that cannot be repaired are an error. */
bm_boundaries *bm_boundaries_load(GEOSContextHandle_t geos, const char *path,
                                  bm_error *err);
/* The same without the validity check (GEOSisValid on every country took
 * as long as the rest of a small map): for drawing, which needs no valid
 * polygons. bm_boundaries_check makes such a set what bm_boundaries_load
 * returns (a no-op on a checked set). */
bm_boundaries *bm_boundaries_load_unchecked(GEOSContextHandle_t geos, const char *path,
                                            bm_error *err);
bm_status bm_boundaries_check(bm_boundaries *b, bm_error *err);
void bm_boundaries_free(bm_boundaries *b);

size_t bm_boundaries_count(const bm_boundaries *b);
const bm_country *bm_boundaries_at(const bm_boundaries *b, size_t i);
/* Case-insensitive lookup by ISO alpha-3; NULL when absent. */
const bm_country *bm_boundaries_find(const bm_boundaries *b, const char *iso_a3);
/* Where the polygons came from: the file's `source` field, else its path. */
const char *bm_boundaries_source(const bm_boundaries *b);

#endif
