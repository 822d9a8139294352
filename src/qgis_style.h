/*
 * qgis_style.h — QGIS layer styles (QML, and SLD for other clients) made
 * from the bordermap style layers that draw a data layer.
 *
 * Every style layer that draws the data becomes one symbol layer, stacked
 * in style order (a band under a line, a highlight over a fill). A colour,
 * shape, width or radius driven by ["match", ["get", F], ...], or else
 * layer filters ["==" | "in", F, ...], become a categorized renderer on F
 * with one category per key, holding the layers that draw that key; keys
 * nothing draws are hidden, as on the map, and a data layer the style does
 * not draw at all gets a thin grey outline. Lengths stay in points, which
 * QGIS supports as a unit, so sizes match the printed map. Label templates
 * ("{name}\n{length_km} km") become QGIS expressions.
 */
#ifndef BM_QGIS_STYLE_H
#define BM_QGIS_STYLE_H

#include <stddef.h>

#include "style.h"

typedef enum bm_qgis_geom { BM_QGIS_POINT, BM_QGIS_LINE, BM_QGIS_POLYGON } bm_qgis_geom;

typedef struct bm_qgis_layer {
    const char *name;          /* the table the style belongs to */
    bm_qgis_geom geom;
    const bm_layer *const *draw; /* fill, line, frontier or circle layers, bottom first */
    size_t n_draw;
    int filters_applied;       /* the draw layers were chosen by their filters already */
    const bm_layer *label;     /* the layer whose text-field labels it; may be NULL */
    const char *extra_label;   /* a QGIS expression appended to the label, or NULL */
    const char *const *numeric; /* fields labels round to whole numbers */
    size_t n_numeric;
} bm_qgis_layer;

/* A QML document for the layer; NULL when out of memory. Free with free(). */
char *bm_qgis_style_qml(const bm_qgis_layer *l);

/* An SLD 1.1 document for the layer; NULL when out of memory. */
char *bm_qgis_style_sld(const bm_qgis_layer *l);

#endif
