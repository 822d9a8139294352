/*
 * mapdata.c — the renderer's sources: the context's features, projected
 * to page pixels and clipped to the map frame.
 *
 * Geometries are clipped to the frame's longitude/latitude bounds first,
 * so far-away parts never reach the projection (where a conic would wrap
 * them across the map), then densified in degrees so long straight edges
 * follow the projection's curves, then projected and clipped again to the
 * frame rectangle in pixels.
 */
#include "render_int.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DENSIFY_DEG 0.25
#define FRAME_MARGIN_PX 8.0

typedef struct to_px {
    bm_projection *proj;
    double scale, ox, oy;
} to_px;

static int project_xy(double *x, double *y, void *ud)
{
    const to_px *t = ud;
    double px, py;
    if (bm_projection_forward(t->proj, *x, *y, &px, &py))
        return 0;
    *x = t->ox + px * t->scale;
    *y = t->oy - py * t->scale;
    return 1;
}

static GEOSGeometry *non_empty(GEOSContextHandle_t geos, GEOSGeometry *g)
{
    if (g && GEOSisEmpty_r(geos, g) == 1) {
        GEOSGeom_destroy_r(geos, g);
        return NULL;
    }
    return g;
}

/* ---- densifying and projecting in one pass ------------------------------ */

/* GEOSDensify_r followed by GEOSGeom_transformXY_r, for lines and polygons:
 * the same points (GEOS's Densifier: a segment of length L > tol becomes
 * ceil(L / tol) equal parts, p0 + (j * (L / n) / L) * (p1 - p0); repeated
 * points dropped), projected as they are made. GEOS's Densifier also checks
 * every polygon it returns for validity (and buffers an invalid one by 0),
 * which took as long as reading the countries; the clipped polygons of
 * valid input stay valid when points are added along their edges, and
 * drawing does not need valid polygons. Returns NULL for what it does not
 * handle (points, collections, a ring that would collapse): the caller then
 * uses GEOS. */
typedef struct dense_buf {
    double *xy;
    size_t n, cap;
} dense_buf;

static int dense_add(dense_buf *b, double x, double y)
{
    if (b->n && b->xy[2 * b->n - 2] == x && b->xy[2 * b->n - 1] == y)
        return 0;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        double *xy = realloc(b->xy, 2 * cap * sizeof *xy);
        if (!xy)
            return -1;
        b->xy = xy, b->cap = cap;
    }
    b->xy[2 * b->n] = x, b->xy[2 * b->n + 1] = y;
    b->n++;
    return 0;
}

/* One line or ring: densified into b, then projected in place. */
static int dense_points(GEOSContextHandle_t geos, const GEOSGeometry *line, double tol,
                        const to_px *t, dense_buf *b)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(geos, line);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(geos, seq, &n) || n < 2)
        return -1;
    double *in = malloc(2 * (size_t)n * sizeof *in);
    if (!in || !GEOSCoordSeq_copyToBuffer_r(geos, seq, in, 0, 0)) {
        free(in);
        return -1;
    }
    b->n = 0;
    int rc = 0;
    for (unsigned int i = 0; rc == 0 && i + 1 < n; i++) {
        double x0 = in[2 * i], y0 = in[2 * i + 1], x1 = in[2 * i + 2], y1 = in[2 * i + 3];
        rc = dense_add(b, x0, y0);
        double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
        double count = ceil(len / tol);
        if (count > 1 && count < 1e7) {
            int parts = (int)count;
            double part = len / parts;
            for (int j = 1; rc == 0 && j < parts; j++) {
                double f = (j * part) / len;
                rc = dense_add(b, x0 + f * (x1 - x0), y0 + f * (y1 - y0));
            }
        } else if (count > 1) {
            rc = -1;
        } else {
            rc = dense_add(b, x1, y1);
        }
    }
    if (rc == 0)
        rc = dense_add(b, in[2 * n - 2], in[2 * n - 1]);
    free(in);
    for (size_t i = 0; rc == 0 && i < b->n; i++)
        if (!project_xy(&b->xy[2 * i], &b->xy[2 * i + 1], (void *)t))
            rc = -1;
    return rc;
}

static GEOSGeometry *dense_line(GEOSContextHandle_t geos, const GEOSGeometry *line, int ring,
                                double tol, const to_px *t, dense_buf *b)
{
    if (dense_points(geos, line, tol, t, b) || b->n < (ring ? 4u : 2u))
        return NULL;
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(geos, b->xy, (unsigned)b->n, 0, 0);
    if (!seq)
        return NULL;
    GEOSGeometry *g = ring ? GEOSGeom_createLinearRing_r(geos, seq)
                           : GEOSGeom_createLineString_r(geos, seq);
    if (!g)
        GEOSCoordSeq_destroy_r(geos, seq);
    return g;
}

static GEOSGeometry *dense_polygon(GEOSContextHandle_t geos, const GEOSGeometry *poly, double tol,
                                   const to_px *t, dense_buf *b)
{
    int holes = GEOSGetNumInteriorRings_r(geos, poly);
    const GEOSGeometry *ext = GEOSGetExteriorRing_r(geos, poly);
    if (holes < 0 || !ext || GEOSisEmpty_r(geos, ext))
        return NULL;
    GEOSGeometry *shell = dense_line(geos, ext, 1, tol, t, b);
    GEOSGeometry **rings = calloc((size_t)holes + 1, sizeof *rings);
    int ok = shell && rings;
    for (int i = 0; ok && i < holes; i++) {
        const GEOSGeometry *h = GEOSGetInteriorRingN_r(geos, poly, i);
        ok = h && !GEOSisEmpty_r(geos, h) && (rings[i] = dense_line(geos, h, 1, tol, t, b));
    }
    GEOSGeometry *g = ok ? GEOSGeom_createPolygon_r(geos, shell, rings, (unsigned)holes) : NULL;
    if (!g) {
        if (shell)
            GEOSGeom_destroy_r(geos, shell);
        for (int i = 0; rings && i < holes; i++)
            if (rings[i])
                GEOSGeom_destroy_r(geos, rings[i]);
    }
    free(rings);
    return g;
}

static GEOSGeometry *dense_part(GEOSContextHandle_t geos, const GEOSGeometry *g, double tol,
                                const to_px *t, dense_buf *b)
{
    switch (GEOSGeomTypeId_r(geos, g)) {
    case GEOS_LINESTRING: return dense_line(geos, g, 0, tol, t, b);
    case GEOS_POLYGON: return dense_polygon(geos, g, tol, t, b);
    default: return NULL;
    }
}

static GEOSGeometry *densify_project(GEOSContextHandle_t geos, const GEOSGeometry *g, double tol,
                                     const to_px *t)
{
    int type = GEOSGeomTypeId_r(geos, g);
    if (type != GEOS_LINESTRING && type != GEOS_POLYGON && type != GEOS_MULTILINESTRING &&
        type != GEOS_MULTIPOLYGON)
        return NULL;
    dense_buf b = {0};
    GEOSGeometry *out = NULL;
    if (type == GEOS_LINESTRING || type == GEOS_POLYGON) {
        out = dense_part(geos, g, tol, t, &b);
    } else {
        int n = GEOSGetNumGeometries_r(geos, g), ok = n > 0;
        GEOSGeometry **parts = ok ? calloc((size_t)n, sizeof *parts) : NULL;
        for (int i = 0; ok && parts && i < n; i++)
            ok = (parts[i] = dense_part(geos, GEOSGetGeometryN_r(geos, g, i), tol, t, &b)) != NULL;
        /* As GEOS builds its result: a collection of one part is that part. */
        if (ok && parts)
            out = n == 1 ? parts[0] : GEOSGeom_createCollection_r(geos, type, parts, (unsigned)n);
        if (!out)
            for (int i = 0; parts && i < n; i++)
                if (parts[i])
                    GEOSGeom_destroy_r(geos, parts[i]);
        free(parts);
    }
    free(b.xy);
    return out;
}

GEOSGeometry *bm_mapdata_project_with(GEOSContextHandle_t geos, bm_projection *p,
                                      const double ll[4], double scale, double ox, double oy,
                                      bm_box clip, const GEOSGeometry *g)
{
    GEOSGeometry *c = non_empty(geos, GEOSClipByRect_r(geos, g, ll[0], ll[1], ll[2], ll[3]));
    if (!c)
        return NULL;
    to_px t = {p, scale, ox, oy};
    GEOSGeometry *px = densify_project(geos, c, DENSIFY_DEG, &t);
    if (px) {
        GEOSGeom_destroy_r(geos, c);
    } else {
        GEOSGeometry *d = GEOSDensify_r(geos, c, DENSIFY_DEG);
        GEOSGeom_destroy_r(geos, c);
        if (!d)
            return NULL;
        px = GEOSGeom_transformXY_r(geos, d, project_xy, &t);
        GEOSGeom_destroy_r(geos, d);
    }
    if (!px)
        return NULL;
    GEOSGeometry *r = GEOSClipByRect_r(geos, px, clip.x0, clip.y0, clip.x1, clip.y1);
    GEOSGeom_destroy_r(geos, px);
    return non_empty(geos, r);
}

static bm_box clip_box(const bm_map *m, double margin)
{
    return (bm_box){m->frame.x0 - margin, m->frame.y0 - margin, m->frame.x1 + margin,
                    m->frame.y1 + margin};
}

GEOSGeometry *bm_mapdata_project(bm_map *m, const GEOSGeometry *g, double margin)
{
    return bm_mapdata_project_with(m->geos, m->proj, m->ll, m->scale, m->ox, m->oy,
                                   clip_box(m, margin), g);
}

/* ---- page pixels ------------------------------------------------------- */

int bm_map_project(const bm_map *m, double lon, double lat, double *x, double *y)
{
    double px, py;
    if (bm_projection_forward(m->proj, lon, lat, &px, &py))
        return -1;
    *x = m->ox + px * m->scale;
    *y = m->oy - py * m->scale;
    return 0;
}

int bm_map_unproject(const bm_map *m, double x, double y, double *lon, double *lat)
{
    return bm_projection_inverse(m->proj, (x - m->ox) / m->scale, (m->oy - y) / m->scale, lon,
                                 lat);
}

/* ---- feature sets ------------------------------------------------------- */

static bm_fset *fset_new(const bm_features *features)
{
    bm_fset *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->features = features;
    s->n = features->n;
    s->geom = calloc(s->n + 1, sizeof *s->geom);
    s->pt = malloc((2 * s->n + 1) * sizeof *s->pt);
    if (!s->geom || !s->pt) {
        free(s->geom);
        free(s->pt);
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < 2 * s->n; i++)
        s->pt[i] = NAN;
    return s;
}

static void fset_free(GEOSContextHandle_t geos, bm_fset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->geom[i])
            GEOSGeom_destroy_r(geos, s->geom[i]);
    free(s->geom);
    free(s->pt);
    free(s);
}

const char *bm_fset_get(const char *field, void *ref)
{
    const bm_feature_ref *r = ref;
    return bm_features_get(r->set->features, r->i, field);
}

/* Merged, so a label can follow one continuous stretch of a frontier. */
static GEOSGeometry *merged_lines(GEOSContextHandle_t geos, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(geos, g);
    return type == GEOS_MULTILINESTRING ? GEOSLineMerge_r(geos, g) : NULL;
}

/* ---- projecting a source on two threads ---------------------------------- */

/* A source's features are projected by the map's thread and a helper
 * thread at once, each taking the next feature from a shared counter
 * (projecting the countries was a seventh of a 1,000-point map). GEOS
 * handles and PROJ contexts serve one thread at a time, so the helper
 * has its own; each feature, and so each geometry, is one thread's. */
typedef struct projector {
    bm_map *m;
    const bm_source *src;
    bm_fset *s;
    atomic_size_t *next;
    GEOSContextHandle_t geos; /* the map's, or the helper's own */
    bm_projection *proj;
    char message[512];        /* the helper's handle's last GEOS error */
    size_t failed;            /* the first feature GEOS failed on, or SIZE_MAX */
    char failure[512];        /* and GEOS's message for it */
} projector;

static void keep_message(const char *message, void *ud)
{
    projector *p = ud;
    snprintf(p->message, sizeof p->message, "%s", message);
}

/* A GEOS error since the last call, into p->failure. */
static int take_failure(projector *p)
{
    if (p->geos == p->m->geos)
        return bm_context_take_geos_error(p->m->ctx, p->failure, sizeof p->failure);
    snprintf(p->failure, sizeof p->failure, "%s", p->message);
    p->message[0] = '\0';
    return p->failure[0] != '\0';
}

static void project_feature(projector *p, size_t i)
{
    bm_map *m = p->m;
    bm_fset *s = p->s;
    double lon, lat, x, y;
    if (bm_features_point(p->geos, s->features, i, &lon, &lat)) {
        if (bm_projection_forward(p->proj, lon, lat, &x, &y) == 0) {
            s->pt[2 * i] = m->ox + x * m->scale;
            s->pt[2 * i + 1] = m->oy - y * m->scale;
        }
        return;
    }
    const GEOSGeometry *g = s->features->catalog ? NULL : s->features->geom[i];
    if (!g)
        return;
    GEOSGeometry *merged = p->src->type == BM_SOURCE_FRONTIERS ? merged_lines(p->geos, g) : NULL;
    s->geom[i] = bm_mapdata_project_with(p->geos, p->proj, m->ll, m->scale, m->ox, m->oy,
                                         clip_box(m, FRAME_MARGIN_PX), merged ? merged : g);
    if (merged)
        GEOSGeom_destroy_r(p->geos, merged);
    /* No geometry and no error: the feature lies outside the frame. */
    if (!s->geom[i] && take_failure(p))
        p->failed = i;
}

static void *project_share(void *arg)
{
    projector *p = arg;
    for (size_t i; p->failed == SIZE_MAX && (i = atomic_fetch_add(p->next, 1)) < p->s->n;)
        project_feature(p, i);
    return NULL;
}

/* The helper's projector; 0 (and the map's thread does all) when it
 * cannot be set up. */
static int helper_of(const projector *mine, projector *h)
{
    *h = *mine;
    h->geos = GEOS_init_r();
    h->proj = h->geos ? bm_projection_clone(mine->proj) : NULL;
    if (!h->proj) {
        if (h->geos)
            GEOS_finish_r(h->geos);
        return 0;
    }
    GEOSContext_setErrorMessageHandler_r(h->geos, keep_message, h);
    return 1;
}

static bm_status project_features(bm_map *m, const bm_source *src, bm_fset *s, bm_error *err)
{
    atomic_size_t next = 0;
    projector mine = {m, src, s, &next, m->geos, m->proj, "", SIZE_MAX, ""}, helper;
    pthread_t thread;
    int helped = s->n > 1 && helper_of(&mine, &helper);
    if (helped && pthread_create(&thread, NULL, project_share, &helper) != 0) {
        GEOS_finish_r(helper.geos);
        bm_projection_free(helper.proj);
        helped = 0;
    }
    project_share(&mine);
    if (helped) {
        pthread_join(thread, NULL);
        GEOS_finish_r(helper.geos);
        bm_projection_free(helper.proj);
    }
    const projector *first = helped && helper.failed < mine.failed ? &helper : &mine;
    if (first->failed == SIZE_MAX)
        return BM_OK;
    return bm_error_set(err, BM_ERR_RUNTIME, src->data[0] ? src->data : src->name,
                        (long)first->failed + 1, NULL,
                        "cannot project the geometry of source '%s': %s", src->name,
                        first->failure);
}

static bm_fset *load_source(bm_map *m, size_t source, bm_error *err)
{
    const bm_source *src = &m->style->sources[source];
    const bm_features *f = bm_context_source(m->ctx, m->style, source, m->ll, err);
    if (!f)
        return NULL;
    bm_fset *s = fset_new(f);
    if (!s) {
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    if (project_features(m, src, s, err) != BM_OK) {
        fset_free(m->geos, s);
        return NULL;
    }
    return s;
}

/* ---- field checks ------------------------------------------------------- */

typedef struct field_check {
    const bm_features *features;
    const bm_map *m;
    const bm_source *src;
    bm_error *err;
} field_check;

static int check_field(const char *field, const char *path, void *ctx)
{
    field_check *fc = ctx;
    const bm_features *f = fc->features;
    if (bm_features_has_field(f, field))
        return 0;
    /* A source without fields is the data's problem, not the style's;
     * one without features either is an ordinary empty source. */
    if (bm_features_field_count(f) == 0 && f->n == 0)
        return 0;
    if (bm_features_field_count(f) == 0) {
        bm_error_set(fc->err, BM_ERR_RUNTIME, fc->src->data[0] ? fc->src->data : fc->src->name, 0,
                     NULL, "the features have no attribute fields, but %s reads '%s' (%s)",
                     fc->m->style->path, field, path);
        return -1;
    }
    char have[400] = "";
    for (size_t k = 0; k < bm_features_field_count(f); k++) {
        size_t len = strlen(have);
        snprintf(have + len, sizeof have - len, "%s%s", k ? ", " : "",
                 bm_features_field_name(f, k));
    }
    bm_error_set(fc->err, BM_ERR_USAGE, fc->m->style->path, 0, path,
                 "unknown field '%s' in source '%s' (expected one of: %s)", field,
                 fc->src->name, have);
    return -1;
}

/* The fonts a map's text is set in are inputs of the map. */
static void note_fonts(bm_map *m)
{
    const bm_style *st = m->style;
    bm_context_note_name(m->ctx, "font", m->page.font);
    for (size_t i = 0; i < st->n_layers; i++)
        if (st->layers[i].text_field[0])
            bm_context_note_name(m->ctx, "font", st->layers[i].text_font);
}

bm_status bm_mapdata_load(bm_map *m, bm_error *err)
{
    const bm_style *st = m->style;
    m->sets = calloc(st->n_sources + 1, sizeof *m->sets);
    if (!m->sets)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < st->n_layers; i++) {
        const bm_layer *l = &st->layers[i];
        const bm_source *src = &st->sources[l->source];
        if (!m->sets[l->source] && !(m->sets[l->source] = load_source(m, l->source, err)))
            return err->status ? err->status
                               : bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL,
                                              "cannot load source '%s'", src->name);
        field_check fc = {m->sets[l->source]->features, m, src, err};
        if (bm_layer_fields(l, check_field, &fc))
            return BM_ERR_USAGE;
    }
    if (m->page.inset && !(m->inset = bm_context_geodata(m->ctx, m->page.inset_source, err)))
        return err->status;
    note_fonts(m);
    return BM_OK;
}

void bm_mapdata_free(bm_map *m)
{
    for (size_t i = 0; m->sets && i < m->style->n_sources; i++)
        fset_free(m->geos, m->sets[i]);
    free(m->sets);
}
