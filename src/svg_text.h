/*
 * svg_text.h — text kept as text in SVG output.
 *
 * cairo 1.16's SVG surface writes every glyph as an outline, so an SVG map
 * would have no searchable or editable text. While an SVG is drawn, its
 * writer installs the recorder as the map's text output (text_out.h): the
 * text goes there as <text> elements instead of glyphs, and the writer
 * appends them to the file.
 * Positions are taken through the cairo_t's current transformation, so the
 * elements land in the SVG's user space whatever the drawing code set up.
 */
#ifndef BM_SVG_TEXT_H
#define BM_SVG_TEXT_H

#include <stddef.h>

#include <cairo.h>
#include <pango/pango.h>

#include "style.h"
#include "text_out.h"

typedef struct bm_svg_text bm_svg_text;

/* Never NULL: glib aborts when memory runs out. */
bm_svg_text *bm_svg_text_new(void);
void bm_svg_text_free(bm_svg_text *t);

/* The recorder as a text output: one <text> per line of a layout (its
 * letter spacing kept) and one per run. */
bm_text_out bm_svg_text_output(bm_svg_text *t);

/* The elements recorded so far, one per line. */
const char *bm_svg_text_get(const bm_svg_text *t, size_t *len);

#endif
