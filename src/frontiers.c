/*
 * frontiers.c — computing shared borders with GEOS and measuring them.
 */
#include "frontiers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "geodata.h"
#include "geodesy.h"
#include "geometry.h"
#include "projection.h"

#define METRES_PER_DEGREE 111320.0

struct bm_frontiers {
    GEOSContextHandle_t geos;
    char source[256];
    size_t count, capacity;
    bm_frontier *items;
};

typedef struct envelope {
    double x0, y0, x1, y1;
} envelope;

static envelope envelope_of(GEOSContextHandle_t geos, const GEOSGeometry *g)
{
    envelope e = {0, 0, 0, 0};
    GEOSGeom_getXMin_r(geos, g, &e.x0);
    GEOSGeom_getYMin_r(geos, g, &e.y0);
    GEOSGeom_getXMax_r(geos, g, &e.x1);
    GEOSGeom_getYMax_r(geos, g, &e.y1);
    return e;
}

/* The overlap of two envelopes grown by the tolerance; 0 when empty. */
static int overlap(envelope a, envelope b, double tolerance_m, envelope *out)
{
    double max_lat = fmax(fabs(fmax(a.y1, b.y1)), fabs(fmin(a.y0, b.y0)));
    double coslat = cos(fmin(max_lat, 85.0) * M_PI / 180.0);
    /* Twice the tolerance: the clip must keep all of B's linework that can
     * lie within the tolerance of A's clipped linework. */
    double m = 2.0 * tolerance_m / (METRES_PER_DEGREE * coslat);
    out->x0 = fmax(a.x0, b.x0) - m;
    out->y0 = fmax(a.y0, b.y0) - m;
    out->x1 = fmin(a.x1, b.x1) + m;
    out->y1 = fmin(a.y1, b.y1) + m;
    return out->x0 <= out->x1 && out->y0 <= out->y1;
}

/* Appends the LineStrings of g (at any depth) to lines, if lines is not
 * NULL; returns how many there are. */
static unsigned int collect_lines(GEOSContextHandle_t geos, const GEOSGeometry *g,
                                  GEOSGeometry **lines)
{
    int t = GEOSGeomTypeId_r(geos, g);
    if (t == GEOS_LINESTRING) {
        if (lines)
            lines[0] = GEOSGeom_clone_r(geos, g);
        return 1;
    }
    if (t != GEOS_MULTILINESTRING && t != GEOS_GEOMETRYCOLLECTION)
        return 0;
    unsigned int k = 0;
    for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); i++)
        k += collect_lines(geos, GEOSGetGeometryN_r(geos, g, i), lines ? lines + k : NULL);
    return k;
}

/* The lines of a GEOS result (lon/lat) merged into maximal strings,
 * keeping those at least min_length_m long: shorter ones are where two
 * boundaries merely come close, e.g. around a tripoint. */
static GEOSGeometry *long_lines(GEOSContextHandle_t geos, const GEOSGeometry *g,
                                double min_length_m)
{
    unsigned int n = collect_lines(geos, g, NULL);
    GEOSGeometry **lines = n ? calloc(n, sizeof *lines) : NULL;
    if (!lines)
        return NULL;
    collect_lines(geos, g, lines);
    GEOSGeometry *multi = GEOSGeom_createCollection_r(geos, GEOS_MULTILINESTRING, lines, n);
    free(lines);
    /* Pieces meet at tile edges, each end having made its own round trip
     * through a projection; a union on a 1e-9 degree (0.1 mm) grid nodes
     * them exactly so that the merge joins them into one line. */
    GEOSGeometry *noded = multi ? GEOSUnaryUnionPrec_r(geos, multi, 1e-9) : NULL;
    GEOSGeometry *merged = noded ? GEOSLineMerge_r(geos, noded) : NULL;
    GEOSGeom_destroy_r(geos, noded);
    GEOSGeom_destroy_r(geos, multi);
    if (!merged)
        return NULL;

    unsigned int m = collect_lines(geos, merged, NULL), kept = 0;
    GEOSGeometry **parts = m ? calloc(m, sizeof *parts) : NULL;
    if (parts)
        collect_lines(geos, merged, parts);
    for (unsigned int i = 0; i < m && parts; i++) {
        if (bm_geodesic_length_m(geos, parts[i]) >= min_length_m)
            parts[kept++] = parts[i];
        else
            GEOSGeom_destroy_r(geos, parts[i]);
    }
    GEOSGeom_destroy_r(geos, merged);
    GEOSGeometry *out = kept ? GEOSGeom_createCollection_r(geos, GEOS_MULTILINESTRING, parts, kept)
                             : NULL;
    free(parts);
    return out;
}

/* A growable array of geometries. */
typedef struct geom_list {
    GEOSGeometry **items;
    unsigned int count, capacity;
} geom_list;

static int geom_list_push(geom_list *l, GEOSGeometry *g)
{
    if (l->count == l->capacity) {
        unsigned int cap = l->capacity ? 2 * l->capacity : 16;
        GEOSGeometry **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        l->capacity = cap;
    }
    l->items[l->count++] = g;
    return 0;
}

static void geom_list_clear(GEOSContextHandle_t geos, geom_list *l)
{
    for (unsigned int i = 0; i < l->count; i++)
        GEOSGeom_destroy_r(geos, l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

typedef struct pair_job {
    GEOSContextHandle_t geos;
    double tolerance_m;
    double margin_deg; /* the tolerance in degrees of longitude, at worst */
    geom_list found;
} pair_job;

/* Tiles holding fewer vertices than this are measured directly; larger
 * ones are split in four. Buffering and intersecting grow faster than
 * linearly, so many small problems beat one large one. */
#define TILE_MAX_POINTS 1500
#define TILE_MIN_DEGREES 0.05

static int is_empty(GEOSContextHandle_t geos, const GEOSGeometry *g)
{
    return !g || GEOSisEmpty_r(geos, g);
}

/* Each tile is measured in its own azimuthal equidistant projection, so
 * the tolerance is true to within a fraction of a percent everywhere. */
static void measure_tile(pair_job *job, const GEOSGeometry *ca, const GEOSGeometry *cb,
                         envelope r)
{
    GEOSContextHandle_t geos = job->geos;
    bm_projection *local = bm_projection_local((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2);
    GEOSGeometry *pa = local ? bm_projection_forward_geom(local, geos, ca) : NULL;
    GEOSGeometry *pb = local ? bm_projection_forward_geom(local, geos, cb) : NULL;
    /* B only decides which parts of A are near; a copy simplified well
     * within the tolerance makes the buffer several times cheaper. */
    GEOSGeometry *coarse = pb ? GEOSSimplify_r(geos, pb, job->tolerance_m / 5) : NULL;
    GEOSGeometry *zone = pa && coarse ? GEOSBuffer_r(geos, coarse, job->tolerance_m, 1) : NULL;
    GEOSGeometry *near = zone ? GEOSIntersection_r(geos, pa, zone) : NULL;
    GEOSGeometry *lonlat = near && !GEOSisEmpty_r(geos, near)
                         ? bm_projection_inverse_geom(local, geos, near) : NULL;
    if (lonlat && geom_list_push(&job->found, lonlat) != 0)
        GEOSGeom_destroy_r(geos, lonlat);
    GEOSGeom_destroy_r(geos, near);
    GEOSGeom_destroy_r(geos, zone);
    GEOSGeom_destroy_r(geos, coarse);
    GEOSGeom_destroy_r(geos, pb);
    GEOSGeom_destroy_r(geos, pa);
    bm_projection_free(local);
}

/* ca is A's linework inside r; cb is B's inside r grown by the margin, so
 * that all of B that can be near ca is at hand. */
static void measure_area(pair_job *job, const GEOSGeometry *ca, const GEOSGeometry *cb,
                         envelope r)
{
    GEOSContextHandle_t geos = job->geos;
    int points = GEOSGetNumCoordinates_r(geos, ca) + GEOSGetNumCoordinates_r(geos, cb);
    if (points <= TILE_MAX_POINTS || r.x1 - r.x0 < TILE_MIN_DEGREES) {
        /* Most tiles of two large neighbours hold linework of both that is
         * nowhere near: a distance test is far cheaper than a buffer. */
        if (GEOSDistanceWithin_r(geos, ca, cb, job->margin_deg) == 1)
            measure_tile(job, ca, cb, r);
        return;
    }
    double mx = (r.x0 + r.x1) / 2, my = (r.y0 + r.y1) / 2, m = job->margin_deg;
    envelope quads[4] = {
        {r.x0, r.y0, mx, my}, {mx, r.y0, r.x1, my}, {r.x0, my, mx, r.y1}, {mx, my, r.x1, r.y1}};
    for (int i = 0; i < 4; i++) {
        envelope q = quads[i];
        GEOSGeometry *qa = GEOSClipByRect_r(geos, ca, q.x0, q.y0, q.x1, q.y1);
        GEOSGeometry *qb = is_empty(geos, qa) ? NULL
                         : GEOSClipByRect_r(geos, cb, q.x0 - m, q.y0 - m, q.x1 + m, q.y1 + m);
        if (!is_empty(geos, qa) && !is_empty(geos, qb))
            measure_area(job, qa, qb, q);
        GEOSGeom_destroy_r(geos, qb);
        GEOSGeom_destroy_r(geos, qa);
    }
}

/* ---- trimming the ends --------------------------------------------- */

/* Where a frontier ends at a tripoint, A's boundary turns away from B
 * along its border with a third country, and the first stretch of that
 * border is still within the tolerance of B. That stub is at most a few
 * tolerances long and ends at a vertex A and B share (the tripoint). */
#define STUB_MAX_TOLERANCES 3.0
#define SHARED_VERTEX_FRACTION 0.01

typedef struct end_probe {
    GEOSContextHandle_t geos;
    bm_projection *local;
    GEOSGeometry *near_b; /* B's linework around the end, projected */
} end_probe;

static double distance_to_b(end_probe *p, double lon, double lat)
{
    double x, y, d = HUGE_VAL;
    if (bm_projection_forward(p->local, lon, lat, &x, &y) != 0)
        return d;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(p->geos, x, y);
    if (!pt || !GEOSDistance_r(p->geos, pt, p->near_b, &d))
        d = HUGE_VAL;
    GEOSGeom_destroy_r(p->geos, pt);
    return d;
}

/* The index of the vertex to cut the line at, walking from vertex `end`
 * in direction step (+1 or -1); `end` itself when there is no stub. */
static unsigned int stub_cut(GEOSContextHandle_t geos, const GEOSCoordSequence *seq,
                             unsigned int n, unsigned int end, int step,
                             const GEOSGeometry *bound_b, double tolerance_m)
{
    double lon, lat;
    GEOSCoordSeq_getXY_r(geos, seq, end, &lon, &lat);
    double reach = STUB_MAX_TOLERANCES * tolerance_m;
    double m = reach / (METRES_PER_DEGREE * cos(fmin(fabs(lat), 85.0) * M_PI / 180.0));
    end_probe p = {geos, bm_projection_local(lon, lat), NULL};
    GEOSGeometry *clip = GEOSClipByRect_r(geos, bound_b, lon - m, lat - m, lon + m, lat + m);
    if (p.local && !is_empty(geos, clip))
        p.near_b = bm_projection_forward_geom(p.local, geos, clip);
    unsigned int cut = end;
    double walked = 0, plon = lon, plat = lat;
    for (long i = (long)end + step; p.near_b && i >= 0 && i < (long)n; i += step) {
        double vlon, vlat;
        GEOSCoordSeq_getXY_r(geos, seq, (unsigned int)i, &vlon, &vlat);
        walked += bm_geodesic_distance_m(plon, plat, vlon, vlat);
        if (walked > reach)
            break;
        if (distance_to_b(&p, vlon, vlat) <= SHARED_VERTEX_FRACTION * tolerance_m) {
            cut = (unsigned int)i;
            break;
        }
        plon = vlon;
        plat = vlat;
    }
    GEOSGeom_destroy_r(geos, p.near_b);
    GEOSGeom_destroy_r(geos, clip);
    bm_projection_free(p.local);
    return cut;
}

static GEOSGeometry *subline(GEOSContextHandle_t geos, const GEOSCoordSequence *seq,
                             unsigned int first, unsigned int last)
{
    GEOSCoordSequence *out = GEOSCoordSeq_create_r(geos, last - first + 1, 2);
    for (unsigned int i = first; out && i <= last; i++) {
        double x, y;
        GEOSCoordSeq_getXY_r(geos, seq, i, &x, &y);
        GEOSCoordSeq_setXY_r(geos, out, i - first, x, y);
    }
    return out ? GEOSGeom_createLineString_r(geos, out) : NULL;
}

static GEOSGeometry *trim_line(GEOSContextHandle_t geos, const GEOSGeometry *line,
                               const GEOSGeometry *bound_b, double tolerance_m)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(geos, line);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(geos, seq, &n) || n < 3)
        return GEOSGeom_clone_r(geos, line);
    unsigned int first = stub_cut(geos, seq, n, 0, +1, bound_b, tolerance_m);
    unsigned int last = stub_cut(geos, seq, n, n - 1, -1, bound_b, tolerance_m);
    if (last <= first)
        return GEOSGeom_clone_r(geos, line);
    return subline(geos, seq, first, last);
}

static GEOSGeometry *trim_stubs(GEOSContextHandle_t geos, const GEOSGeometry *lines,
                                const GEOSGeometry *bound_b, double tolerance_m)
{
    unsigned int n = (unsigned int)GEOSGetNumGeometries_r(geos, lines);
    GEOSGeometry **parts = calloc(n ? n : 1, sizeof *parts);
    if (!parts)
        return NULL;
    for (unsigned int i = 0; i < n; i++)
        parts[i] = trim_line(geos, GEOSGetGeometryN_r(geos, lines, (int)i), bound_b,
                             tolerance_m);
    GEOSGeometry *out = GEOSGeom_createCollection_r(geos, GEOS_MULTILINESTRING, parts, n);
    free(parts);
    return out;
}

/* The stretches of bound_a within tolerance_m of bound_b, in lon/lat, in
 * *out (NULL when the two share no border); -1 when GEOS failed, which is
 * not the same as no border. */
static int shared_border(GEOSContextHandle_t geos, const GEOSGeometry *bound_a,
                         const GEOSGeometry *bound_b, double tolerance_m, GEOSGeometry **out)
{
    envelope area;
    *out = NULL;
    if (!overlap(envelope_of(geos, bound_a), envelope_of(geos, bound_b), tolerance_m, &area))
        return 0;
    pair_job job = {.geos = geos, .tolerance_m = tolerance_m};
    double max_lat = fmin(fmax(fabs(area.y0), fabs(area.y1)), 85.0);
    job.margin_deg = 2.0 * tolerance_m / (METRES_PER_DEGREE * cos(max_lat * M_PI / 180.0));
    GEOSGeometry *ca = GEOSClipByRect_r(geos, bound_a, area.x0, area.y0, area.x1, area.y1);
    GEOSGeometry *cb = GEOSClipByRect_r(geos, bound_b, area.x0, area.y0, area.x1, area.y1);
    GEOSGeometry *all = NULL, *result = NULL;
    if (!is_empty(geos, ca) && !is_empty(geos, cb))
        measure_area(&job, ca, cb, area);
    if (job.found.count) {
        all = GEOSGeom_createCollection_r(geos, GEOS_GEOMETRYCOLLECTION, job.found.items,
                                          job.found.count);
        if (all)
            job.found.count = 0; /* now owned by all */
    }
    GEOSGeometry *lines = all ? long_lines(geos, all, tolerance_m) : NULL;
    result = lines ? trim_stubs(geos, lines, bound_b, tolerance_m) : NULL;
    int failed = !ca || !cb || (job.found.count && !all) || (all && !lines) ||
                 (lines && !result);
    GEOSGeom_destroy_r(geos, lines);
    GEOSGeom_destroy_r(geos, all);
    geom_list_clear(geos, &job.found);
    GEOSGeom_destroy_r(geos, cb);
    GEOSGeom_destroy_r(geos, ca);
    *out = result;
    return failed ? -1 : 0;
}

GEOSGeometry *bm_frontier_between(GEOSContextHandle_t geos, const bm_country *a,
                                  const bm_country *b, double tolerance_m)
{
    if (strcmp(a->iso_a3, b->iso_a3) > 0) {
        const bm_country *t = a;
        a = b;
        b = t;
    }
    GEOSGeometry *ba = GEOSBoundary_r(geos, a->geom);
    GEOSGeometry *bb = GEOSBoundary_r(geos, b->geom);
    GEOSGeometry *g = NULL;
    if (ba && bb)
        shared_border(geos, ba, bb, tolerance_m, &g);
    GEOSGeom_destroy_r(geos, ba);
    GEOSGeom_destroy_r(geos, bb);
    return g;
}

/* ---- the set of frontiers ------------------------------------------- */

static bm_frontier *add_frontier(bm_frontiers *f, const char *iso_a, const char *name_a,
                                 const char *iso_b, const char *name_b)
{
    if (f->count == f->capacity) {
        size_t cap = f->capacity ? 2 * f->capacity : 32;
        bm_frontier *items = realloc(f->items, cap * sizeof *items);
        if (!items)
            return NULL;
        f->items = items;
        f->capacity = cap;
    }
    bm_frontier *fr = &f->items[f->count++];
    memset(fr, 0, sizeof *fr);
    snprintf(fr->iso_a, sizeof fr->iso_a, "%s", iso_a);
    snprintf(fr->iso_b, sizeof fr->iso_b, "%s", iso_b);
    snprintf(fr->name_a, sizeof fr->name_a, "%s", name_a);
    snprintf(fr->name_b, sizeof fr->name_b, "%s", name_b);
    return fr;
}

static int compare_country_ptr(const void *x, const void *y)
{
    const bm_country *a = *(const bm_country *const *)x;
    const bm_country *b = *(const bm_country *const *)y;
    return strcmp(a->iso_a3, b->iso_a3);
}

static bm_status select_countries(const bm_boundaries *b, const char *const *isos,
                                  size_t n_isos, const bm_country ***out, size_t *n_out,
                                  bm_error *err)
{
    size_t n = n_isos ? n_isos : bm_boundaries_count(b);
    const bm_country **sel = calloc(n ? n : 1, sizeof *sel);
    if (!sel)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const bm_country *c = n_isos ? bm_boundaries_find(b, isos[i]) : bm_boundaries_at(b, i);
        if (!c) {
            free(sel);
            return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "countries",
                                "unknown country code '%s' (not in %s)", isos[i],
                                bm_boundaries_source(b));
        }
        int duplicate = 0;
        for (size_t j = 0; j < k; j++)
            duplicate |= sel[j] == c;
        if (!duplicate)
            sel[k++] = c;
    }
    qsort(sel, k, sizeof *sel, compare_country_ptr);
    *out = sel;
    *n_out = k;
    return BM_OK;
}

static bm_status compute_pairs(bm_frontiers *f, const bm_country **sel, size_t n,
                               double tolerance_m, bm_error *err)
{
    GEOSContextHandle_t geos = f->geos;
    GEOSGeometry **bounds = calloc(n ? n : 1, sizeof *bounds);
    if (!bounds)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    bm_status st = BM_OK;
    for (size_t i = 0; i < n && st == BM_OK; i++)
        if (!(bounds[i] = GEOSBoundary_r(geos, sel[i]->geom)))
            st = bm_error_set(err, BM_ERR_RUNTIME, f->source, 0, sel[i]->iso_a3,
                              "GEOS cannot take the boundary of %s", sel[i]->name);
    for (size_t i = 0; i < n && st == BM_OK; i++) {
        for (size_t j = i + 1; j < n && st == BM_OK; j++) {
            GEOSGeometry *g;
            if (shared_border(geos, bounds[i], bounds[j], tolerance_m, &g) != 0) {
                GEOSGeom_destroy_r(geos, g);
                st = bm_error_set(err, BM_ERR_RUNTIME, f->source, 0, sel[j]->iso_a3,
                                  "GEOS failed on the frontier of %s and %s", sel[i]->name,
                                  sel[j]->name);
                break;
            }
            if (!g)
                continue;
            bm_frontier *fr = add_frontier(f, sel[i]->iso_a3, sel[i]->name,
                                           sel[j]->iso_a3, sel[j]->name);
            if (!fr) {
                GEOSGeom_destroy_r(geos, g);
                st = bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
                break;
            }
            fr->geom = g;
            fr->tolerance_m = tolerance_m;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (bounds[i])
            GEOSGeom_destroy_r(geos, bounds[i]);
    free(bounds);
    return st;
}

static int selected(const bm_country **sel, size_t n, const char *iso)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(sel[i]->iso_a3, iso) == 0)
            return 1;
    return 0;
}

static bm_frontier *find_mutable(bm_frontiers *f, const char *a, const char *b)
{
    return (bm_frontier *)bm_frontiers_find(f, a, b);
}

static void append_line(GEOSContextHandle_t geos, bm_frontier *fr, GEOSGeometry *line)
{
    if (!fr->geom) {
        fr->geom = line;
        return;
    }
    GEOSGeometry *u = GEOSUnion_r(geos, fr->geom, line);
    GEOSGeometry *merged = u ? GEOSLineMerge_r(geos, u) : NULL;
    GEOSGeom_destroy_r(geos, u);
    GEOSGeom_destroy_r(geos, line);
    if (merged) {
        GEOSGeom_destroy_r(geos, fr->geom);
        fr->geom = merged;
    }
}

/* Sea sector lines, e.g. of the Caspian, from the embedded layer that the
 * data build derived from the maritime polygons before clipping to land. */
static bm_status add_maritime(bm_frontiers *f, const bm_boundaries *b, const bm_country **sel,
                              size_t n, const char *path, double tolerance_m, bm_error *err)
{
    char buf[1024];
    if (!path)
        path = bm_geodata_path("maritime_boundaries.geojson", buf, sizeof buf);
    if (bm_geodata_verify(path, err) != BM_OK)
        return err->status;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot open maritime boundaries");
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH defn = layer ? OGR_L_GetLayerDefn(layer) : NULL;
    int fa = defn ? OGR_FD_GetFieldIndex(defn, "iso_a") : -1;
    int fb = defn ? OGR_FD_GetFieldIndex(defn, "iso_b") : -1;
    if (fa < 0 || fb < 0) {
        GDALClose(ds);
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, fa < 0 ? "iso_a" : "iso_b",
                            "field missing");
    }
    bm_status st = BM_OK;
    OGRFeatureH feat;
    long fid = 0;
    while (st == BM_OK && (feat = OGR_L_GetNextFeature(layer)) != NULL) {
        fid++;
        const char *a = OGR_F_GetFieldAsString(feat, fa);
        const char *bb = OGR_F_GetFieldAsString(feat, fb);
        const bm_country *ca = bm_boundaries_find(b, a), *cb = bm_boundaries_find(b, bb);
        if (ca && cb && selected(sel, n, a) && selected(sel, n, bb)) {
            GEOSGeometry *line = NULL;
            st = bm_geometry_from_ogr(f->geos, OGR_F_GetGeometryRef(feat), BM_GEOM_LINEAL,
                                      &line, path, fid, err);
            if (st == BM_OK) {
                if (strcmp(ca->iso_a3, cb->iso_a3) > 0) {
                    const bm_country *t = ca;
                    ca = cb;
                    cb = t;
                }
                bm_frontier *fr = find_mutable(f, ca->iso_a3, cb->iso_a3);
                if (!fr && (fr = add_frontier(f, ca->iso_a3, ca->name, cb->iso_a3, cb->name)))
                    fr->tolerance_m = tolerance_m;
                if (fr)
                    append_line(f->geos, fr, line);
                else
                    GEOSGeom_destroy_r(f->geos, line);
            }
        }
        OGR_F_Destroy(feat);
    }
    GDALClose(ds);
    return st;
}

static void set_reported(bm_frontier *fr, OGRFeatureH feat, OGRFeatureDefnH defn)
{
    int km = OGR_FD_GetFieldIndex(defn, "reported_km");
    int q = OGR_FD_GetFieldIndex(defn, "reported_qualifier");
    int src = OGR_FD_GetFieldIndex(defn, "source");
    int file = OGR_FD_GetFieldIndex(defn, "source_file");
    fr->has_reported = 1;
    fr->reported_km = km >= 0 ? OGR_F_GetFieldAsDouble(feat, km) : 0;
    snprintf(fr->reported_qualifier, sizeof fr->reported_qualifier, "%s",
             q >= 0 ? OGR_F_GetFieldAsString(feat, q) : "");
    snprintf(fr->reported_source, sizeof fr->reported_source, "%s%s%s%s",
             src >= 0 ? OGR_F_GetFieldAsString(feat, src) : "",
             file >= 0 ? " (" : "", file >= 0 ? OGR_F_GetFieldAsString(feat, file) : "",
             file >= 0 ? ")" : "");
}

static bm_status attach_reported(bm_frontiers *f, const char *path, bm_error *err)
{
    char buf[1024];
    if (path && !*path)
        return BM_OK;
    if (!path)
        path = bm_geodata_path("reported_frontiers.csv", buf, sizeof buf);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL,
                            "cannot open the reported frontier lengths");
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    static const char *const required[] = {"iso_a", "iso_b", "reported_km"};
    for (size_t i = 0; i < 3; i++) {
        if (OGR_FD_GetFieldIndex(defn, required[i]) < 0) {
            GDALClose(ds);
            return bm_error_set(err, BM_ERR_RUNTIME, path, 0, required[i], "field missing");
        }
    }
    int fa = OGR_FD_GetFieldIndex(defn, "iso_a"), fb = OGR_FD_GetFieldIndex(defn, "iso_b");
    OGRFeatureH feat;
    while ((feat = OGR_L_GetNextFeature(layer)) != NULL) {
        bm_frontier *fr = find_mutable(f, OGR_F_GetFieldAsString(feat, fa),
                                       OGR_F_GetFieldAsString(feat, fb));
        if (fr)
            set_reported(fr, feat, defn);
        OGR_F_Destroy(feat);
    }
    GDALClose(ds);
    return BM_OK;
}

static int compare_frontier(const void *x, const void *y)
{
    const bm_frontier *a = x, *b = y;
    int c = strcmp(a->iso_a, b->iso_a);
    return c ? c : strcmp(a->iso_b, b->iso_b);
}

static void measure(bm_frontiers *f)
{
    for (size_t i = 0; i < f->count; i++) {
        double m = bm_geodesic_length_m(f->geos, f->items[i].geom);
        f->items[i].length_km = round(m / 100.0) / 10.0;
    }
}

bm_frontiers *bm_frontiers_compute(GEOSContextHandle_t geos, const bm_boundaries *b,
                                   const char *const *isos, size_t n_isos,
                                   const bm_frontier_options *opt, bm_error *err)
{
    bm_init();
    static const bm_frontier_options defaults = {0};
    if (!opt)
        opt = &defaults;
    double tolerance_m = opt->tolerance_m > 0 ? opt->tolerance_m : BM_FRONTIER_DEFAULT_TOLERANCE_M;

    const bm_country **sel = NULL;
    size_t n = 0;
    if (select_countries(b, isos, n_isos, &sel, &n, err) != BM_OK)
        return NULL;
    bm_frontiers *f = calloc(1, sizeof *f);
    if (!f) {
        free(sel);
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    f->geos = geos;
    snprintf(f->source, sizeof f->source, "%s", bm_boundaries_source(b));
    bm_status st = compute_pairs(f, sel, n, tolerance_m, err);
    if (st == BM_OK && opt->include_maritime)
        st = add_maritime(f, b, sel, n, opt->maritime_path, tolerance_m, err);
    free(sel);
    if (st == BM_OK) {
        if (f->count > 1) /* items is NULL when there are none */
            qsort(f->items, f->count, sizeof *f->items, compare_frontier);
        st = attach_reported(f, opt->reported_path, err);
    }
    if (st != BM_OK) {
        bm_frontiers_free(f);
        return NULL;
    }
    measure(f);
    return f;
}

void bm_frontiers_free(bm_frontiers *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->count; i++)
        GEOSGeom_destroy_r(f->geos, f->items[i].geom);
    free(f->items);
    free(f);
}

size_t bm_frontiers_count(const bm_frontiers *f)
{
    return f->count;
}

const bm_frontier *bm_frontiers_at(const bm_frontiers *f, size_t i)
{
    return i < f->count ? &f->items[i] : NULL;
}

const bm_frontier *bm_frontiers_find(const bm_frontiers *f, const char *iso1, const char *iso2)
{
    for (size_t i = 0; i < f->count; i++) {
        const bm_frontier *fr = &f->items[i];
        if ((strcasecmp(fr->iso_a, iso1) == 0 && strcasecmp(fr->iso_b, iso2) == 0) ||
            (strcasecmp(fr->iso_a, iso2) == 0 && strcasecmp(fr->iso_b, iso1) == 0))
            return fr;
    }
    return NULL;
}

const char *bm_frontiers_source(const bm_frontiers *f)
{
    return f->source;
}

char *bm_frontier_name(const bm_frontier *fr, char *buf, size_t size)
{
    snprintf(buf, size, "%s\u2013%s", fr->name_a, fr->name_b);
    return buf;
}

/* ---- output ----------------------------------------------------------- */

/* Lengths as a report prints them: "1,362 km". */
static char *format_km(char *buf, size_t size, const char *prefix, double km)
{
    long v = lround(km);
    if (v >= 1000)
        snprintf(buf, size, "%s%ld,%03ld km", prefix, v / 1000, v % 1000);
    else
        snprintf(buf, size, "%s%ld km", prefix, v);
    return buf;
}

char *bm_frontier_length_text(const bm_frontier *fr, char *buf, size_t size)
{
    return format_km(buf, size, "", fr->length_km);
}

char *bm_frontier_reported_text(const bm_frontier *fr, char *buf, size_t size)
{
    if (!fr->has_reported) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    char qualifier[32], km[64];
    snprintf(qualifier, sizeof qualifier, "%s%s", fr->reported_qualifier,
             fr->reported_qualifier[0] ? " " : "");
    snprintf(buf, size, "(reported: %s)", format_km(km, sizeof km, qualifier, fr->reported_km));
    return buf;
}

enum frontier_field {
    F_ISO_A, F_ISO_B, F_NAME_A, F_NAME_B, F_NAME, F_LENGTH_KM, F_TOLERANCE_M, F_SOURCE,
    F_REPORTED_KM, F_REPORTED_QUALIFIER, F_REPORTED_SOURCE, F_DIFFERENCE_PCT,
    F_LENGTH, F_REPORTED, F_COUNT
};

static const struct {
    const char *name;
    bm_field_type type;
} frontier_fields[F_COUNT] = {
    [F_ISO_A] = {"iso_a", BM_FIELD_STRING},
    [F_ISO_B] = {"iso_b", BM_FIELD_STRING},
    [F_NAME_A] = {"name_a", BM_FIELD_STRING},
    [F_NAME_B] = {"name_b", BM_FIELD_STRING},
    [F_NAME] = {"name", BM_FIELD_STRING},
    [F_LENGTH_KM] = {"length_km", BM_FIELD_REAL},
    [F_TOLERANCE_M] = {"tolerance_m", BM_FIELD_REAL},
    [F_SOURCE] = {"source", BM_FIELD_STRING},
    [F_REPORTED_KM] = {"reported_km", BM_FIELD_REAL},
    [F_REPORTED_QUALIFIER] = {"reported_qualifier", BM_FIELD_STRING},
    [F_REPORTED_SOURCE] = {"reported_source", BM_FIELD_STRING},
    [F_DIFFERENCE_PCT] = {"difference_pct", BM_FIELD_REAL},
    [F_LENGTH] = {"length", BM_FIELD_STRING},
    [F_REPORTED] = {"reported", BM_FIELD_STRING},
};

static int fill_feature(bm_features *out, size_t i, const bm_frontier *fr, const char *source)
{
    char name[200], len[64], rep[128];
    const char *text[F_COUNT] = {
        [F_ISO_A] = fr->iso_a, [F_ISO_B] = fr->iso_b,
        [F_NAME_A] = fr->name_a, [F_NAME_B] = fr->name_b,
        [F_NAME] = bm_frontier_name(fr, name, sizeof name), [F_SOURCE] = source,
        [F_LENGTH] = bm_frontier_length_text(fr, len, sizeof len),
        [F_REPORTED] = bm_frontier_reported_text(fr, rep, sizeof rep),
        [F_REPORTED_QUALIFIER] = fr->has_reported ? fr->reported_qualifier : NULL,
        [F_REPORTED_SOURCE] = fr->has_reported ? fr->reported_source : NULL,
    };
    int rc = 0;
    for (int k = 0; k < F_COUNT; k++)
        if (frontier_fields[k].type == BM_FIELD_STRING)
            rc |= bm_features_set(out, i, (size_t)k, text[k]);
    rc |= bm_features_set_real(out, i, F_LENGTH_KM, fr->length_km);
    rc |= bm_features_set_real(out, i, F_TOLERANCE_M, fr->tolerance_m);
    if (fr->has_reported) {
        double pct = (fr->length_km - fr->reported_km) / fr->reported_km * 100.0;
        rc |= bm_features_set_real(out, i, F_REPORTED_KM, fr->reported_km);
        rc |= bm_features_set_real(out, i, F_DIFFERENCE_PCT, round(pct * 10.0) / 10.0);
    }
    return rc;
}

bm_features *bm_frontiers_features(GEOSContextHandle_t geos, const bm_frontiers *f,
                                   bm_error *err)
{
    const char *names[F_COUNT];
    bm_field_type types[F_COUNT];
    for (int k = 0; k < F_COUNT; k++)
        names[k] = frontier_fields[k].name, types[k] = frontier_fields[k].type;
    bm_features *out = bm_features_create(f->count, F_COUNT, names, types);
    int rc = out ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < f->count; i++) {
        rc = fill_feature(out, i, &f->items[i], f->source);
        if (rc == 0 && !(out->geom[i] = GEOSGeom_clone_r(geos, f->items[i].geom)))
            rc = -1;
    }
    if (rc != 0) {
        bm_features_free(geos, out);
        bm_error_set(err, BM_ERR_RUNTIME, f->source, 0, NULL, "out of memory");
        return NULL;
    }
    out->layer_type = wkbMultiLineString;
    return out;
}

bm_status bm_frontiers_write_layer(GEOSContextHandle_t geos, const bm_frontiers *f,
                                   bm_vector_out *out, bm_error *err)
{
    bm_features *feat = bm_frontiers_features(geos, f, err);
    bm_status st = feat ? bm_features_write_layer(geos, feat, out, "frontiers", err)
                        : err->status;
    bm_features_free(geos, feat);
    return st;
}

bm_status bm_frontiers_write(GEOSContextHandle_t geos, const bm_frontiers *f,
                             const char *path, bm_error *err)
{
    bm_vector_out *out = bm_vector_out_open(path, err);
    if (!out)
        return err->status;
    if (bm_frontiers_write_layer(geos, f, out, err) != BM_OK) {
        bm_vector_out_abort(out);
        return err->status;
    }
    return bm_vector_out_commit(out, err);
}
