/*
 * qgis_style.h — QGIS layer styles (QML, and SLD 1.1 for other clients)
 * made from the bordermap style layers that draw a data layer.
 *
 * QML: where a draw layer has a filter or a property driven by
 * ["match", ["get", F], ...], the renderer is rule-based, with one rule
 * per draw layer and match key (the fallback is a rule for the values no
 * key names) whose QGIS expression is the layer's filter AND the key;
 * otherwise one symbol stacks every draw layer. Symbol levels follow the
 * style's order, so a later style layer draws over every feature of an
 * earlier one, as on the map. Interpolated numbers (a radius growing with
 * fatalities) become data-defined QGIS expressions, linear between the
 * stops and clamped at the ends. Shapes are sized to bordermap's (equal
 * area to the circle of the radius); lengths stay in points, so sizes
 * match the printed map. On a point layer that renderer is wrapped in a
 * point displacement renderer: features at the same coordinates are
 * spread on a ring around their place, sized like render.c's, with its
 * dot on the place (QGIS draws a thin ring where render.c draws leader
 * lines). Labels come from every layer with a text-field,
 * filtered like it, with its template ("{name}\n{length_km} km") as a
 * QGIS expression, its font, halo and a priority from symbol-sort-key,
 * and placed as placement.c places them: point labels around the symbol
 * in labels.c's order, from its edge, with symbols as obstacles and a
 * spread group labelled once (its first feature), beyond the ring;
 * frontier labels as a block beside the middle of the longest part in
 * view ("{name}\n{length} {reported}", the template split at " · "),
 * through a geometry generator; area labels horizontal inside the part
 * in view, nearest its pole of inaccessibility, or not at all; other
 * line labels along the line. Lines and areas are no obstacles.
 * Features no style layer draws are not drawn; a data layer the style
 * does not draw at all gets a thin grey outline.
 *
 * SLD: the same rules as <ogc:Filter>s (never an ElseFilter), halos,
 * opacities, dashes and labels with the whole template (a frontier's as
 * its block), point and frontier labels anchored at the upper right of
 * the point or the line's middle; interpolated sizes become one rule per
 * interval between stops, sized at its upper stop. SLD has no
 * displacement of co-located points.
 */
#ifndef BM_QGIS_STYLE_H
#define BM_QGIS_STYLE_H

#include <stddef.h>


#include "style.h"
#include "xml_out.h"

typedef enum bm_qgis_geom { BM_QGIS_POINT, BM_QGIS_LINE, BM_QGIS_POLYGON } bm_qgis_geom;

typedef struct bm_qgis_layer {
    const char *name;            /* the table the style belongs to */
    bm_qgis_geom geom;
    const char *geometry_type;   /* of a table of mixed kinds, the kind this layer shows
                                  * ("Point", "LineString"); NULL for a whole table */
    const bm_layer *const *draw; /* fill, line, frontier or circle layers, bottom first */
    const bm_layer *heatmap;     /* a heatmap layer drawing the points, or NULL: QGIS gives a
                                  * layer one renderer, so it replaces the symbols */
    size_t n_draw;
    const bm_layer *const *labels; /* layers whose text-field labels it, in style order */
    size_t n_labels;
    const double *extent;        /* the map's: min lon, min lat, max lon, max lat */
    const char *const *numeric;  /* fields labels round to whole numbers */
    size_t n_numeric;
} bm_qgis_layer;

/* A row of bordermap's own legend, for a QGIS legend showing the same
 * rows; lengths in points. */
typedef struct bm_qgis_swatch {
    bm_qgis_geom geom;           /* a marker, a line or an area */
    const char *label;
    const char *shape;           /* markers: a bordermap shape name */
    double radius, stroke_width, opacity; /* markers */
    bm_color fill, stroke;       /* markers and areas; lines: stroke */
    double width;                /* lines, and the outlines of areas */
    const double *dash;          /* lines: on and off lengths */
    size_t n_dash;
} bm_qgis_swatch;

/* Writes a rule-based <renderer-v2> with one unfiltered rule per swatch,
 * in order, labelled with its label, each symbol drawn as bordermap draws
 * the swatch: the renderer of a layer that only a legend shows, or with
 * one swatch the single look of a layer (the locator map's countries). */
void bm_qgis_style_write_swatches(bm_xml *x, const bm_qgis_swatch *s, size_t n);

/* A QML document for the layer; NULL when out of memory. Free with free(). */
char *bm_qgis_style_qml(const bm_qgis_layer *l);

/* Writes the QML's <renderer-v2> element and, when the layer has labels,
 * its <labeling> element into x at its current position: a project's
 * <maplayer> carries them inline. A failure is recorded in x. */
void bm_qgis_style_write_symbology(bm_xml *x, const bm_qgis_layer *l);

/* An SLD 1.1 document for the layer; NULL when out of memory. */
char *bm_qgis_style_sld(const bm_qgis_layer *l);

#endif
