/*
 * render_int.h — the prepared map, shared by the renderer's modules.
 * Calls go one way: render.c draws layers and calls furniture.c (what
 * surrounds the data) and placement.c (labels); all of them use mapdata.c
 * (the context's features projected to the page) and draw.c (cairo
 * primitives), which call none of them. Not part of the library's
 * contract.
 */
#ifndef BM_RENDER_INT_H
#define BM_RENDER_INT_H

#include <stddef.h>

#include <cairo.h>
#include <geos_c.h>
#include <pango/pangocairo.h>

#include "context.h"
#include "feature_set.h"
#include "labels.h"
#include "projection.h"
#include "render.h"
#include "style.h"
#include "symbols.h"

/* The features of one source as drawn: the context's features (fields
 * and lon/lat geometry) with their geometry in page pixels (projected
 * and clipped) or a point. */
typedef struct bm_fset {
    const bm_features *features; /* borrowed from the map's context */
    size_t n;
    GEOSGeometry **geom;        /* NULL entries: no geometry in the frame */
    double *pt;                 /* x, y per feature; NaN when not a point in view */
} bm_fset;

typedef struct bm_feature_ref {
    const bm_fset *set;
    size_t i;
} bm_feature_ref;

struct bm_map {
    const bm_style *style;
    bm_page page;
    GEOSContextHandle_t geos;
    bm_projection *proj;
    char proj_name[256];
    double pt;                  /* px per point */
    double scale, ox, oy;       /* px = ox + x * scale, py = oy - y * scale */
    bm_box frame;               /* the map frame on the page, px */
    double ll[4];               /* lon/lat bounds of what the frame shows */
    bm_context *ctx;            /* where the features come from; outlives the map */
    bm_fset **sets;             /* per style source */
    const bm_features *inset;   /* the locator map's countries, or NULL */
    bm_labels *labels;
    bm_legend_entry *legend;
    size_t n_legend, cap_legend;
    char credits[1024];
    bm_box boxes[BM_FURNITURES]; /* where the last draw put the furniture */
    const bm_text_out *text_out; /* set by an output that keeps text as text */
    char draw_failure[160];     /* the first thing that failed while drawing; "" none */
};

/* A label a layer asks for; placed later, in priority order. */
typedef enum bm_req_kind { BM_REQ_POINT, BM_REQ_LINE, BM_REQ_AREA } bm_req_kind;

typedef struct bm_label_req {
    bm_req_kind kind;
    double key;
    size_t layer, seq;
    bm_text_style st;
    char *text;                 /* rows separated by '\n' for line labels */
    double x, y, r;
    const GEOSGeometry *geom;   /* lines and areas: owned by the feature set */
    int beside;                 /* a line label that may fall back beside the line */
} bm_label_req;

/* placement.c: places every request (sorted here) and frees their text */
void bm_placement_run(bm_map *m, bm_label_req *reqs, size_t n);

/* mapdata.c */
bm_status bm_mapdata_load(bm_map *m, bm_error *err);
void bm_mapdata_free(bm_map *m);
const char *bm_fset_get(const char *field, void *ref);
/* Projects a lon/lat geometry to page px: clipped to the lon/lat bounds,
 * densified, projected, clipped to the frame (plus margin px). */
GEOSGeometry *bm_mapdata_project(bm_map *m, const GEOSGeometry *g, double margin);
/* The same, through any projection and pixel transform (the inset). */
GEOSGeometry *bm_mapdata_project_with(GEOSContextHandle_t geos, bm_projection *p,
                                      const double ll[4], double scale, double ox, double oy,
                                      bm_box clip, const GEOSGeometry *g);

/* draw.c: cairo primitives for render.c, furniture.c and placement, and
 * the map's sticky drawing status: the first failure is kept (as cairo
 * keeps its status), drawing goes on, and bm_map_draw reports it. Out of
 * memory while drawing is such a failure, never a silent gap. */
void bm_draw_failed(bm_map *m, const char *what);
void bm_draw_path(cairo_t *cr, GEOSContextHandle_t geos, const GEOSGeometry *g);
/* Strokes g's lines and rings with the current source and line style, in
 * pieces of at most piece vertices: cairo holds the outline of what it
 * strokes at once, some 300 bytes a vertex. For round caps and joins, an
 * opaque source and no dashes only: there the pieces cover what the whole
 * line would, and differ from it only in the antialiasing of the pixels
 * where two pieces meet. */
void bm_draw_stroke_pieces(cairo_t *cr, GEOSContextHandle_t geos, const GEOSGeometry *g,
                           unsigned int piece);
PangoLayout *bm_draw_text(cairo_t *cr, const char *font, double size_px, int bold, int italic,
                          const char *text);

/* furniture.c */
bm_box bm_furniture_legend_box(bm_map *m, cairo_t *cr);
void bm_furniture_draw_graticule(bm_map *m, cairo_t *cr);
void bm_furniture_draw_graticule_labels(bm_map *m, cairo_t *cr);
bm_box bm_furniture_inset_box(const bm_map *m);
void bm_furniture_draw_inset(bm_map *m, cairo_t *cr);
bm_box bm_furniture_scale_box(bm_map *m, cairo_t *cr);
void bm_furniture_draw_scale(bm_map *m, cairo_t *cr);
void bm_furniture_draw_north(bm_map *m, cairo_t *cr);
void bm_furniture_draw_legend(bm_map *m, cairo_t *cr);
void bm_furniture_draw_titles(bm_map *m, cairo_t *cr);
void bm_furniture_scale_bar(const bm_map *m, double *km, double *px);

#endif
