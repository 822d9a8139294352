/*
 * symbols.h — point symbols: the shapes of incidents and deployments, and
 * the swatches the legend draws with the same code.
 */
#ifndef BM_SYMBOLS_H
#define BM_SYMBOLS_H

#include <cairo.h>

#include "style.h"

typedef enum bm_shape {
    BM_SHAPE_CIRCLE, BM_SHAPE_SQUARE, BM_SHAPE_TRIANGLE, BM_SHAPE_DIAMOND, BM_SHAPE_STAR,
    BM_SHAPE_CROSS
} bm_shape;

typedef struct bm_symbol {
    bm_shape shape;
    double radius;          /* px: a circle of this radius has the symbol's area */
    bm_color fill, stroke;
    double stroke_width;    /* px */
    double opacity;
} bm_symbol;

/* 0 when name is a known shape. */
int bm_symbol_shape_parse(const char *name, bm_shape *out);
const char *bm_symbol_shape_name(bm_shape shape);

/* Draws a symbol centred on (x, y). */
void bm_symbol_draw(cairo_t *cr, const bm_symbol *s, double x, double y);

/* The same in two steps, so that many symbols of one paint are filled and
 * stroked as one path: adds the outline to the current path; fills and
 * strokes the current path in the symbol's paint. */
void bm_symbol_path(cairo_t *cr, const bm_symbol *s, double x, double y);
void bm_symbol_paint(cairo_t *cr, const bm_symbol *s);
/* Whether two symbols differ at most in position and size. */
int bm_symbol_same_paint(const bm_symbol *a, const bm_symbol *b);

/* Draws a line swatch (a short horizontal line) for the legend. */
void bm_symbol_draw_line(cairo_t *cr, double x, double y, double length, bm_color color,
                         double width, const double *dash, int n_dash);

/* Draws a filled-area swatch for the legend. */
void bm_symbol_draw_area(cairo_t *cr, double x, double y, double w, double h, bm_color fill,
                         bm_color outline);

void bm_symbol_set_color(cairo_t *cr, bm_color c, double opacity);

#endif
