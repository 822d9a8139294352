/*
 * render.h — static maps for reports: PNG, SVG and PDF through cairo.
 *
 * A map is prepared once from a style (data loaded, projected and clipped)
 * and drawn once per output; the output format is only the choice of cairo
 * surface, so every format shows the same layout.
 */
#ifndef BM_RENDER_H
#define BM_RENDER_H

#include <stddef.h>

#include <cairo.h>

#include "context.h"
#include "error.h"
#include "labels.h"
#include "style.h"
#include "symbols.h"

typedef struct bm_render_options {
    int width, height;        /* 0: the style's page size, in pixels */
    double dpi;               /* 0: the style's */
    int has_extent;
    double extent[4];         /* min lon, min lat, max lon, max lat */
    const char *crs;          /* NULL: the style's, else a conic fitted to the extent */
    const char *title;        /* NULL: the style's */
} bm_render_options;

typedef struct bm_map bm_map;

/* A legend row: a class of symbols drawn (count of them), a proportional
 * size key, a line or an area; lengths in page px. */
/* RAMP: a heatmap's colour ramp, the layer's heatmap-color. */
typedef enum bm_legend_kind {
    BM_LEGEND_SYMBOL, BM_LEGEND_LINE, BM_LEGEND_AREA, BM_LEGEND_RAMP
} bm_legend_kind;

typedef struct bm_legend_entry {
    bm_legend_kind kind;
    size_t layer, order;
    char label[BM_STYLE_TEXT];
    size_t count;
    bm_symbol symbol;
    bm_color color, outline;
    double width;
    double dash[8];
    int n_dash;
    int size_key;               /* a proportional-symbol size, not a class */
} bm_legend_entry;

/* The furniture whose place on the page a draw records. */
typedef enum bm_furniture { BM_FURNITURE_LEGEND, BM_FURNITURE_INSET, BM_FURNITURE_SCALE,
                            BM_FURNITURES } bm_furniture;

/* Projects everything the style draws, taking each source's features from
 * ctx (the catalog sources draw the context's current catalog; see
 * context.h). The map borrows ctx and style, which must outlive it.
 * Errors in the style that only show against the data (a filter on a
 * field the source lacks) are BM_ERR_USAGE with the style's JSON path. */
bm_map *bm_map_create(bm_context *ctx, const bm_style *style, const bm_render_options *opt,
                      bm_error *err);
void bm_map_free(bm_map *m);

/* Writes the map to path; the format follows the extension (.png, .svg,
 * .pdf). The file is written under a temporary name and renamed. */
bm_status bm_map_write(bm_map *m, const char *path, bm_error *err);

/* Whether a path's extension names a map format; the formats as a list
 * for messages (".png, .svg or .pdf"). */
int bm_map_format_known(const char *path);
const char *bm_map_format_list(void);

/* Draws the map onto cr, whose user space is the page in pixels. The
 * first failure (out of memory, a cairo error) stops nothing but is kept,
 * as cairo keeps its status, and returned. */
bm_status bm_map_draw(bm_map *m, cairo_t *cr, bm_error *err);

/* Page pixel of a longitude/latitude; 0 on success. */
int bm_map_project(const bm_map *m, double lon, double lat, double *x, double *y);
int bm_map_unproject(const bm_map *m, double x, double y, double *lon, double *lat);

/* After a draw: the labels placed and the legend entries drawn. */
const bm_labels *bm_map_labels(const bm_map *m);
size_t bm_map_legend_count(const bm_map *m);
const char *bm_map_legend_label(const bm_map *m, size_t i);
const bm_legend_entry *bm_map_legend_entry(const bm_map *m, size_t i);
/* The row's text as the legend prints it: "Battles (2)", "10 fatalities". */
void bm_map_legend_text(const bm_map *m, size_t i, char *buf, size_t size);

/* After a draw: a piece of furniture's box on the page, px; all zero when
 * the page has none. The frame, px, and px per point. */
bm_box bm_map_furniture_box(const bm_map *m, bm_furniture which);
/* After a draw: the frame corner the legend, inset or scale bar went to
 * (the one chosen for "position": "auto"). */
bm_corner bm_map_furniture_corner(const bm_map *m, bm_furniture which);
bm_box bm_map_frame(const bm_map *m);
double bm_map_px_per_pt(const bm_map *m);

/* The scale bar: its length in km, its length in px, and its left end on
 * the page (it is measured at the map centre). */
void bm_map_scale_bar(const bm_map *m, double *km, double *px, double *x, double *y);

/* "Lambert conformal conic, standard parallels 33.7°N and 48.3°N" or the
 * name PROJ gives the CRS. */
const char *bm_map_projection_name(const bm_map *m);

#endif
