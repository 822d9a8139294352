/*
 * svg_text.h — text kept as text in SVG output.
 *
 * cairo 1.16's SVG surface writes every glyph as an outline, so an SVG map
 * would have no searchable or editable text. While an SVG is drawn the map
 * carries a sink: the text-drawing code records <text> elements into it
 * instead of drawing glyphs, and the SVG writer appends them to the file.
 * Positions are taken through the cairo_t's current transformation, so the
 * elements land in the SVG's user space whatever the drawing code set up.
 */
#ifndef BM_SVG_TEXT_H
#define BM_SVG_TEXT_H

#include <stddef.h>

#include <cairo.h>
#include <pango/pango.h>

#include "style.h"

typedef struct bm_svg_text bm_svg_text;

/* How text is painted: filled with color, or, when halo_width > 0, a halo
 * stroked 2 * halo_width wide in color. */
typedef struct bm_svg_paint {
    bm_color color;
    double halo_width;  /* px */
} bm_svg_paint;

/* Never NULL: glib aborts when memory runs out. */
bm_svg_text *bm_svg_text_new(void);
void bm_svg_text_free(bm_svg_text *t);

/* One <text> per line of lay, laid out with its top-left at (x, y) in
 * cr's user space; the layout's letter spacing is kept. */
void bm_svg_text_layout(bm_svg_text *t, cairo_t *cr, PangoLayout *lay, double x, double y,
                        bm_svg_paint paint);

/* One <text> of len bytes of text in lay's font, its origin on the
 * baseline at (x, y) in cr's user space (which may be rotated). */
void bm_svg_text_run(bm_svg_text *t, cairo_t *cr, PangoLayout *lay, const char *text,
                     size_t len, double x, double y, bm_svg_paint paint);

/* The elements recorded so far, one per line. */
const char *bm_svg_text_get(const bm_svg_text *t, size_t *len);

#endif
