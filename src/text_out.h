/*
 * text_out.h — where text goes when a map is drawn.
 *
 * Drawing code (labels, legend, titles) hands every piece of text to a
 * text output when one is installed, and draws glyphs with pango when
 * none is. An output format that keeps text as text installs one for the
 * duration of a draw (the SVG writer records <text> elements, see
 * svg_text.h); the drawing code never asks which format it draws to.
 */
#ifndef BM_TEXT_OUT_H
#define BM_TEXT_OUT_H

#include <stddef.h>

#include <cairo.h>
#include <pango/pango.h>

#include "style.h"

/* How text is painted: filled with color, or, when halo_width > 0, a halo
 * stroked 2 * halo_width wide in color. */
typedef struct bm_text_paint {
    bm_color color;
    double halo_width;  /* px */
} bm_text_paint;

typedef struct bm_text_out {
    /* Every line of lay, laid out with its top-left at (x, y) in cr's
     * user space. */
    void (*layout)(void *sink, cairo_t *cr, PangoLayout *lay, double x, double y,
                   bm_text_paint paint);
    /* len bytes of text in lay's font, its origin on the baseline at
     * (x, y) in cr's user space (which may be rotated). */
    void (*run)(void *sink, cairo_t *cr, PangoLayout *lay, const char *text, size_t len,
                double x, double y, bm_text_paint paint);
    void *sink;
} bm_text_out;

#endif
