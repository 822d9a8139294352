/*
 * labels.h — the label engine: text measured and shaped with pango,
 * placed without overlaps, drawn with halos.
 *
 * Callers offer labels in priority order; each is placed at the first
 * candidate position whose boxes hit no placed label, no obstacle (point
 * symbols, legend, inset) and stay inside the placement area, or dropped.
 * Nothing is drawn until bm_labels_draw, so labels always sit on top.
 */
#ifndef BM_LABELS_H
#define BM_LABELS_H

#include <stddef.h>

#include <cairo.h>

#include "style.h"
#include "text_out.h"

typedef struct bm_box {
    double x0, y0, x1, y1;
} bm_box;

typedef struct bm_text_style {
    char font[BM_STYLE_NAME];   /* fontconfig family */
    double size;                /* px */
    int bold, italic, uppercase;
    double letter_spacing;      /* em */
    bm_color color, halo;
    double halo_width;          /* px */
} bm_text_style;

typedef struct bm_labels bm_labels;

/* Labels may only be placed inside area. */
bm_labels *bm_labels_create(bm_box area);
void bm_labels_free(bm_labels *l);

/* Boxes labels must avoid. */
void bm_labels_add_obstacle(bm_labels *l, bm_box box);
/* How many obstacles overlap box. */
size_t bm_labels_obstacles_in(const bm_labels *l, bm_box box);

/* Logical size of a text in px. */
void bm_labels_measure(bm_labels *l, const bm_text_style *st, const char *text, double *w,
                       double *h);

/* A label whose box has its top-left corner at (x, y); 1 when placed. */
int bm_labels_place_box(bm_labels *l, const bm_text_style *st, const char *text, double x,
                        double y);

/* A label beside a point symbol of radius r: upper right first, then the
 * other positions in a fixed order; 1 when placed. */
int bm_labels_place_point(bm_labels *l, const bm_text_style *st, const char *text, double x,
                          double y, double r);

/* A label following a polyline (px): `above` just off the line on its
 * upper side, `below` on the other, both upright and centred on the same
 * point of the line; either may be NULL or "". 1 when placed. */
int bm_labels_place_line(bm_labels *l, const bm_text_style *st, const char *above,
                         const char *below, const double *xy, size_t n);

/* Draws every placed label: all halos first, then all text. With svg set
 * the text is recorded there, in the same order, instead of drawn. */
void bm_labels_draw(bm_labels *l, cairo_t *cr, const bm_text_out *text);

/* Placed labels and their boxes (a curved label has one per glyph). */
size_t bm_labels_count(const bm_labels *l);
size_t bm_labels_box_count(const bm_labels *l);
bm_box bm_labels_box(const bm_labels *l, size_t i, size_t *label);
const char *bm_labels_text(const bm_labels *l, size_t label);
/* A line label's row on the line's other side; "" for none. */
const char *bm_labels_text_below(const bm_labels *l, size_t label);

/* Whether two boxes overlap (touching edges do not count). */
int bm_box_intersects(bm_box a, bm_box b);

#endif
