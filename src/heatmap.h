/*
 * heatmap.h — kernel density surfaces for the heatmap layer type: points
 * added with a weight and a radius in px, painted through a colour ramp
 * over the frame (see heatmap.c for the kernel, MapLibre's).
 */
#ifndef BM_HEATMAP_H
#define BM_HEATMAP_H

#include <cairo.h>

#include "labels.h"
#include "style.h"

typedef struct bm_heat bm_heat;

/* A surface over frame (page px) with a cell every `cell` px; NULL when
 * out of memory. */
bm_heat *bm_heat_create(bm_box frame, double cell);
void bm_heat_free(bm_heat *h);

/* Adds a point at (x, y) px: weight (times the layer's intensity) and the
 * radius of its influence in px. */
void bm_heat_add(bm_heat *h, double x, double y, double weight, double radius);

/* Paints the density through the ramp at the opacity onto cr, whose user
 * space is the page in px; -1 when cairo cannot make the image. */
int bm_heat_paint(const bm_heat *h, cairo_t *cr, const bm_ramp *ramp, double opacity);

#endif
