/*
 * aggregate.c — events counted per region or hexagon (see aggregate.h).
 */
#include "aggregate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "projection.h"

/* A hexagon's edges are cut into this many pieces before they go back to
 * longitude/latitude, so they follow the projection's curvature. */
#define EDGE_PIECES 4

static double weight_of(const bm_features *points, size_t i, const char *weight)
{
    const char *v = bm_features_get(points, i, weight);
    char *end;
    double w = v ? strtod(v, &end) : 0;
    return v && end != v && isfinite(w) ? w : 0;
}

static bm_status out_of_memory(bm_error *err)
{
    return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory while aggregating");
}

/* ---- regions ------------------------------------------------------------ */

typedef struct region_hit {
    GEOSContextHandle_t geos;
    const GEOSPreparedGeometry *const *prepared;
    const GEOSGeometry *point;
    size_t best;
} region_hit;

static void check_region(void *item, void *data)
{
    region_hit *h = data;
    size_t i = *(const size_t *)item;
    if (i < h->best && GEOSPreparedCovers_r(h->geos, h->prepared[i], h->point) == 1)
        h->best = i;
}

/* The table's fields, then count and fatalities. */
static bm_features *region_table(const bm_features *regions)
{
    size_t nf = bm_features_field_count(regions);
    const char **names = calloc(nf + 2, sizeof *names);
    bm_field_type *types = calloc(nf + 2, sizeof *types);
    bm_features *out = NULL;
    if (names && types) {
        for (size_t k = 0; k < nf; k++)
            names[k] = bm_features_field_name(regions, k), types[k] = regions->types[k];
        names[nf] = "count", types[nf] = BM_FIELD_INTEGER;
        names[nf + 1] = "fatalities", types[nf + 1] = BM_FIELD_REAL;
        out = bm_features_create(regions->n, nf + 2, names, types);
    }
    free(names);
    free(types);
    return out;
}

static int fill_regions(GEOSContextHandle_t geos, bm_features *out, const bm_features *regions,
                        const size_t *count, const double *sum)
{
    size_t nf = bm_features_field_count(regions);
    for (size_t i = 0; i < regions->n; i++) {
        char text[32];
        for (size_t k = 0; k < nf; k++) {
            const char *v = bm_features_get(regions, i, bm_features_field_name(regions, k));
            if (bm_features_set(out, i, k, v && v[0] ? v : NULL))
                return -1;
        }
        snprintf(text, sizeof text, "%zu", count[i]);
        if (bm_features_set(out, i, nf, text) || bm_features_set_real(out, i, nf + 1, sum[i]))
            return -1;
        if (regions->geom[i] && !(out->geom[i] = GEOSGeom_clone_r(geos, regions->geom[i])))
            return -1;
    }
    out->layer_type = regions->layer_type;
    return 0;
}

bm_features *bm_aggregate_regions(GEOSContextHandle_t geos, const bm_features *regions,
                                  const bm_features *points, const char *weight,
                                  bm_error *err)
{
    size_t n = regions->n;
    const GEOSPreparedGeometry **prepared = calloc(n + 1, sizeof *prepared);
    size_t *count = calloc(n + 1, sizeof *count), *ids = calloc(n + 1, sizeof *ids);
    double *sum = calloc(n + 1, sizeof *sum);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(geos, 10);
    int rc = prepared && count && ids && sum && tree ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (regions->geom[i]) {
            rc = (prepared[i] = GEOSPrepare_r(geos, regions->geom[i])) ? 0 : -1;
            ids[i] = i;
            GEOSSTRtree_insert_r(geos, tree, regions->geom[i], &ids[i]);
        }
    for (size_t p = 0; rc == 0 && p < points->n; p++) {
        double lon, lat;
        if (!bm_features_point(geos, points, p, &lon, &lat))
            continue;
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(geos, lon, lat);
        region_hit h = {geos, prepared, pt, SIZE_MAX};
        if (!pt) {
            rc = -1;
            break;
        }
        GEOSSTRtree_query_r(geos, tree, pt, check_region, &h);
        GEOSGeom_destroy_r(geos, pt);
        if (h.best != SIZE_MAX)
            count[h.best]++, sum[h.best] += weight_of(points, p, weight);
    }
    bm_features *out = rc == 0 ? region_table(regions) : NULL;
    if (out && fill_regions(geos, out, regions, count, sum)) {
        bm_features_free(geos, out);
        out = NULL;
    }
    for (size_t i = 0; prepared && i < n; i++)
        if (prepared[i])
            GEOSPreparedGeom_destroy_r(geos, prepared[i]);
    if (tree)
        GEOSSTRtree_destroy_r(geos, tree);
    free(prepared), free(count), free(ids), free(sum);
    if (!out)
        out_of_memory(err);
    return out;
}

/* ---- hexagons ----------------------------------------------------------- */

typedef struct cell {
    long q, r;
    size_t count;
    double sum;
} cell;

static int compare_cells(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    if (x->r != y->r)
        return x->r < y->r ? -1 : 1;
    return x->q < y->q ? -1 : x->q > y->q;
}

/* The axial coordinates of the pointy-topped hexagon of circumradius R
 * holding (x, y): the cube coordinates rounded, the largest error fixed. */
static void hex_of(double x, double y, double R, long *q, long *r)
{
    double fq = (sqrt(3) / 3 * x - y / 3) / R, fr = 2.0 / 3 * y / R, fs = -fq - fr;
    double rq = round(fq), rr = round(fr), rs = round(fs);
    double dq = fabs(rq - fq), dr = fabs(rr - fr), ds = fabs(rs - fs);
    if (dq > dr && dq > ds)
        rq = -rr - rs;
    else if (dr > ds)
        rr = -rq - rs;
    *q = (long)rq, *r = (long)rr;
}

/* The hexagon's outline back in longitude/latitude. */
static GEOSGeometry *hexagon(GEOSContextHandle_t geos, bm_projection *p, const cell *c,
                             double R)
{
    double cx = R * sqrt(3) * ((double)c->q + (double)c->r / 2), cy = R * 1.5 * (double)c->r;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(geos, 6 * EDGE_PIECES + 1, 2);
    for (int k = 0; seq && k < 6 * EDGE_PIECES; k++) {
        int corner = k / EDGE_PIECES;
        double t = (double)(k % EDGE_PIECES) / EDGE_PIECES;
        double a0 = M_PI / 180 * (60 * corner + 30), a1 = M_PI / 180 * (60 * corner + 90);
        double x = cx + R * ((1 - t) * cos(a0) + t * cos(a1));
        double y = cy + R * ((1 - t) * sin(a0) + t * sin(a1));
        double lon, lat;
        if (bm_projection_inverse(p, x, y, &lon, &lat)) {
            GEOSCoordSeq_destroy_r(geos, seq);
            return NULL;
        }
        GEOSCoordSeq_setXY_r(geos, seq, (unsigned)k, lon, lat);
        if (k == 0)
            GEOSCoordSeq_setXY_r(geos, seq, 6 * EDGE_PIECES, lon, lat);
    }
    GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(geos, seq) : NULL;
    return ring ? GEOSGeom_createPolygon_r(geos, ring, NULL, 0) : NULL;
}

/* The points' cells, merged and sorted; *n how many. */
static cell *bin_points(GEOSContextHandle_t geos, bm_projection *p, const bm_features *points,
                        double R, const char *weight, size_t *n)
{
    cell *cells = calloc(points->n + 1, sizeof *cells);
    size_t k = 0;
    for (size_t i = 0; cells && i < points->n; i++) {
        double lon, lat, x, y;
        if (!bm_features_point(geos, points, i, &lon, &lat) ||
            bm_projection_forward(p, lon, lat, &x, &y))
            continue;
        hex_of(x, y, R, &cells[k].q, &cells[k].r);
        cells[k].count = 1, cells[k].sum = weight_of(points, i, weight);
        k++;
    }
    if (!cells)
        return NULL;
    qsort(cells, k, sizeof *cells, compare_cells);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m > 0 && compare_cells(&cells[m - 1], &cells[i]) == 0) {
            cells[m - 1].count += cells[i].count, cells[m - 1].sum += cells[i].sum;
            continue;
        }
        cells[m++] = cells[i];
    }
    *n = m;
    return cells;
}

/* The projection: centred on the points' mean position. */
static bm_projection *equal_area_for(GEOSContextHandle_t geos, const bm_features *points,
                                     bm_error *err)
{
    double slon = 0, slat = 0, lon, lat;
    size_t n = 0;
    for (size_t i = 0; i < points->n; i++)
        if (bm_features_point(geos, points, i, &lon, &lat))
            slon += lon, slat += lat, n++;
    char def[200];
    snprintf(def, sizeof def,
             "+proj=laea +lat_0=%.4f +lon_0=%.4f +datum=WGS84 +units=m +no_defs +type=crs",
             n ? slat / (double)n : 0, n ? slon / (double)n : 0);
    return bm_projection_create(def, err);
}

bm_features *bm_aggregate_hexagons(GEOSContextHandle_t geos, const bm_features *points,
                                   double size_km, const char *weight, bm_error *err)
{
    static const char *const fields[] = {"hex_q", "hex_r", "count", "fatalities"};
    static const bm_field_type types[] = {BM_FIELD_INTEGER, BM_FIELD_INTEGER, BM_FIELD_INTEGER,
                                          BM_FIELD_REAL};
    /* Across the sides: sqrt(3) times the circumradius. */
    double R = size_km * 1000 / sqrt(3);
    size_t n = 0;
    bm_projection *p = equal_area_for(geos, points, err);
    if (!p)
        return NULL;
    cell *cells = bin_points(geos, p, points, R, weight, &n);
    bm_features *out = cells ? bm_features_create(n, 4, fields, types) : NULL;
    int rc = out ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char q[32], r[32], count[32];
        snprintf(q, sizeof q, "%ld", cells[i].q);
        snprintf(r, sizeof r, "%ld", cells[i].r);
        snprintf(count, sizeof count, "%zu", cells[i].count);
        rc = bm_features_set(out, i, 0, q) || bm_features_set(out, i, 1, r) ||
                     bm_features_set(out, i, 2, count) ||
                     bm_features_set_real(out, i, 3, cells[i].sum) ||
                     !(out->geom[i] = hexagon(geos, p, &cells[i], R))
                 ? -1
                 : 0;
    }
    if (out)
        out->layer_type = wkbPolygon;
    free(cells);
    bm_projection_free(p);
    if (rc != 0) {
        bm_features_free(geos, out);
        out_of_memory(err);
        return NULL;
    }
    return out;
}
