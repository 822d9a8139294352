/*
 * heatmap.c — a kernel density surface of weighted points, coloured by a
 * ramp, as MapLibre's heatmap layer draws it.
 *
 * Each point adds weight * GAUSS_COEF * exp(-4.5 (d / radius)^2) to the
 * cells around it (a Gaussian whose sigma is a third of the radius, cut
 * where it falls below MapLibre's ZERO; the weight includes the layer's
 * intensity); the sum, clamped to 0..1, is the density the ramp colours. The surface has one
 * cell per `cell` px and is painted with bilinear smoothing.
 */
#include "heatmap.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define GAUSS_COEF 0.3989422804014327
#define ZERO (1.0 / 255.0 / 16.0)

struct bm_heat {
    bm_box frame;
    double cell;
    int w, h;
    float *density;
};

bm_heat *bm_heat_create(bm_box frame, double cell)
{
    bm_heat *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->frame = frame, h->cell = cell;
    h->w = (int)ceil((frame.x1 - frame.x0) / cell) + 1;
    h->h = (int)ceil((frame.y1 - frame.y0) / cell) + 1;
    h->density = calloc((size_t)h->w * (size_t)h->h, sizeof *h->density);
    if (!h->density) {
        free(h);
        return NULL;
    }
    return h;
}

void bm_heat_free(bm_heat *h)
{
    if (h)
        free(h->density);
    free(h);
}

void bm_heat_add(bm_heat *h, double x, double y, double weight, double radius)
{
    if (!(weight > 0) || !(radius > 0))
        return;
    /* The kernel's reach: where it falls to ZERO, in units of the radius. */
    double reach = sqrt(2 * log(fmax(weight * GAUSS_COEF / ZERO, 1.0))) / 3 * radius;
    double cx = (x - h->frame.x0) / h->cell, cy = (y - h->frame.y0) / h->cell;
    double r = reach / h->cell, k = -4.5 * h->cell * h->cell / (radius * radius);
    int x0 = (int)fmax(0, floor(cx - r)), x1 = (int)fmin(h->w - 1, ceil(cx + r));
    int y0 = (int)fmax(0, floor(cy - r)), y1 = (int)fmin(h->h - 1, ceil(cy + r));
    for (int gy = y0; gy <= y1; gy++)
        for (int gx = x0; gx <= x1; gx++) {
            double dx = gx - cx, dy = gy - cy, d2 = dx * dx + dy * dy;
            if (d2 <= r * r)
                h->density[(size_t)gy * (size_t)h->w + (size_t)gx] +=
                    (float)(weight * GAUSS_COEF * exp(k * d2));
        }
}

static uint32_t premultiplied(bm_color c, double opacity)
{
    double a = fmin(fmax(c.a * opacity, 0), 1);
    uint32_t A = (uint32_t)lround(a * 255), R = (uint32_t)lround(c.r * a * 255),
             G = (uint32_t)lround(c.g * a * 255), B = (uint32_t)lround(c.b * a * 255);
    return A << 24 | R << 16 | G << 8 | B;
}

int bm_heat_paint(const bm_heat *h, cairo_t *cr, const bm_ramp *ramp, double opacity)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, h->w, h->h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int gy = 0; gy < h->h; gy++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)gy * (size_t)stride);
        for (int gx = 0; gx < h->w; gx++) {
            double d = h->density[(size_t)gy * (size_t)h->w + (size_t)gx];
            row[gx] = premultiplied(bm_ramp_color(ramp, fmin(d, 1)), opacity);
        }
    }
    cairo_surface_mark_dirty(s);
    cairo_save(cr);
    cairo_translate(cr, h->frame.x0, h->frame.y0);
    cairo_scale(cr, h->cell, h->cell);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_rectangle(cr, 0, 0, h->w - 1, h->h - 1);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(s);
    return 0;
}
