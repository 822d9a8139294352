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

GEOSGeometry *bm_mapdata_project_with(GEOSContextHandle_t geos, bm_projection *p,
                                      const double ll[4], double scale, double ox, double oy,
                                      bm_box clip, const GEOSGeometry *g)
{
    GEOSGeometry *c = non_empty(geos, GEOSClipByRect_r(geos, g, ll[0], ll[1], ll[2], ll[3]));
    if (!c)
        return NULL;
    GEOSGeometry *d = GEOSDensify_r(geos, c, DENSIFY_DEG);
    GEOSGeom_destroy_r(geos, c);
    if (!d)
        return NULL;
    to_px t = {p, scale, ox, oy};
    GEOSGeometry *px = GEOSGeom_transformXY_r(geos, d, project_xy, &t);
    GEOSGeom_destroy_r(geos, d);
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

static void set_point(bm_map *m, bm_fset *s, size_t i, double lon, double lat)
{
    double x, y;
    if (bm_projection_forward(m->proj, lon, lat, &x, &y) == 0) {
        s->pt[2 * i] = m->ox + x * m->scale;
        s->pt[2 * i + 1] = m->oy - y * m->scale;
    }
}

/* A GEOS failure is an error naming the source and the feature; a
 * geometry that is only outside the frame is not. */
static bm_status geos_failure(bm_map *m, const bm_source *src, size_t i, bm_error *err)
{
    char msg[512];
    if (!bm_context_take_geos_error(m->ctx, msg, sizeof msg))
        return BM_OK;
    return bm_error_set(err, BM_ERR_RUNTIME, src->data[0] ? src->data : src->name, (long)i + 1,
                        NULL, "cannot project the geometry of source '%s': %s", src->name, msg);
}

/* Merged, so a label can follow one continuous stretch of a frontier. */
static GEOSGeometry *merged_lines(GEOSContextHandle_t geos, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(geos, g);
    return type == GEOS_MULTILINESTRING ? GEOSLineMerge_r(geos, g) : NULL;
}

static bm_status project_features(bm_map *m, const bm_source *src, bm_fset *s, bm_error *err)
{
    for (size_t i = 0; i < s->n; i++) {
        double lon, lat;
        if (bm_features_point(m->geos, s->features, i, &lon, &lat)) {
            set_point(m, s, i, lon, lat);
            continue;
        }
        const GEOSGeometry *g = s->features->catalog ? NULL : s->features->geom[i];
        if (!g)
            continue;
        GEOSGeometry *merged = src->type == BM_SOURCE_FRONTIERS ? merged_lines(m->geos, g) : NULL;
        s->geom[i] = bm_mapdata_project(m, merged ? merged : g, FRAME_MARGIN_PX);
        if (merged)
            GEOSGeom_destroy_r(m->geos, merged);
        if (!s->geom[i] && geos_failure(m, src, i, err) != BM_OK)
            return err->status;
    }
    return BM_OK;
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
