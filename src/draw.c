/*
 * draw.c — the cairo primitives the renderer's modules share: GEOS
 * geometries as cairo paths, and pango layouts set the way every text on
 * a map is set (unhinted metrics, 72 dpi, so sizes are page pixels).
 */
#include "render_int.h"

#include <math.h>
#include <stdio.h>

#define MIN_STEP_PX 0.35 /* vertices closer than this to the last one are skipped */

/* Adds a line or ring to the path; with piece > 0, strokes it as it goes,
 * piece vertices at a time, each piece starting where the last ended. */
static void sequence_path(cairo_t *cr, GEOSContextHandle_t geos, const GEOSCoordSequence *seq,
                          int close, unsigned int piece)
{
    unsigned int n = 0, in_piece = 0;
    double x, y, lx = NAN, ly = NAN;
    GEOSCoordSeq_getSize_r(geos, seq, &n);
    for (unsigned int i = 0; i < n; i++) {
        GEOSCoordSeq_getXY_r(geos, seq, i, &x, &y);
        if (i > 0 && i + 1 < n && fabs(x - lx) < MIN_STEP_PX && fabs(y - ly) < MIN_STEP_PX)
            continue;
        if (i == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
        if (piece && ++in_piece == piece && i + 1 < n) {
            cairo_stroke(cr);
            cairo_move_to(cr, x, y);
            in_piece = 1;
        }
        lx = x, ly = y;
    }
    /* A ring's last point is its first: stroked in pieces with round caps,
     * its start needs no join. */
    if (close && n > 0 && !piece)
        cairo_close_path(cr);
    if (piece)
        cairo_stroke(cr);
}

static void geometry_path(cairo_t *cr, GEOSContextHandle_t geos, const GEOSGeometry *g,
                          unsigned int piece)
{
    int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_POLYGON) {
        sequence_path(cr, geos, GEOSGeom_getCoordSeq_r(geos, GEOSGetExteriorRing_r(geos, g)), 1,
                      piece);
        int holes = GEOSGetNumInteriorRings_r(geos, g);
        for (int i = 0; i < holes; i++)
            sequence_path(cr, geos,
                          GEOSGeom_getCoordSeq_r(geos, GEOSGetInteriorRingN_r(geos, g, i)), 1,
                          piece);
    } else if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        sequence_path(cr, geos, GEOSGeom_getCoordSeq_r(geos, g), type == GEOS_LINEARRING, piece);
    } else if (type >= GEOS_MULTIPOINT) {
        int n = GEOSGetNumGeometries_r(geos, g);
        for (int i = 0; i < n; i++)
            geometry_path(cr, geos, GEOSGetGeometryN_r(geos, g, i), piece);
    }
}

void bm_draw_path(cairo_t *cr, GEOSContextHandle_t geos, const GEOSGeometry *g)
{
    geometry_path(cr, geos, g, 0);
}

void bm_draw_stroke_pieces(cairo_t *cr, GEOSContextHandle_t geos, const GEOSGeometry *g,
                           unsigned int piece)
{
    geometry_path(cr, geos, g, piece);
}

PangoLayout *bm_draw_text(cairo_t *cr, const char *font, double size_px, int bold,
                            int italic, const char *text)
{
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoContext *ctx = pango_layout_get_context(lay);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(ctx, 72);
    pango_layout_context_changed(lay);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, font);
    pango_font_description_set_absolute_size(fd, size_px * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(lay, text, -1);
    return lay;
}


void bm_draw_failed(bm_map *m, const char *what)
{
    if (!m->draw_failure[0])
        snprintf(m->draw_failure, sizeof m->draw_failure, "%s", what);
}
