/*
 * symbols.c — drawing point symbols and legend swatches.
 *
 * Shapes are scaled to the area of the circle of the given radius, so a
 * triangle and a circle of one class size weigh the same on the map
 * (proportional symbols stay comparable across shapes).
 */
#include "symbols.h"

#include <math.h>
#include <string.h>

static const char *const shape_names[] = {"circle", "square", "triangle",
                                          "diamond", "star", "cross"};

int bm_symbol_shape_parse(const char *name, bm_shape *out)
{
    for (int i = 0; i < (int)(sizeof shape_names / sizeof *shape_names); i++)
        if (strcmp(name, shape_names[i]) == 0) {
            *out = (bm_shape)i;
            return 0;
        }
    return -1;
}

const char *bm_symbol_shape_name(bm_shape shape)
{
    return shape_names[shape];
}

void bm_symbol_set_color(cairo_t *cr, bm_color c, double opacity)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

static void polygon(cairo_t *cr, double x, double y, double r, int n, double rotation,
                    double inner)
{
    int points = inner > 0 ? 2 * n : n;
    for (int i = 0; i < points; i++) {
        double a = rotation + 2 * M_PI * i / points;
        double rr = (inner > 0 && i % 2) ? r * inner : r;
        double px = x + rr * sin(a), py = y - rr * cos(a);
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    cairo_close_path(cr);
}

static void cross(cairo_t *cr, double x, double y, double r)
{
    /* A Greek cross whose arms are a third of its span wide. */
    double a = r * 1.2, t = a / 3;
    static const double pts[12][2] = {{-1, -3}, {1, -3}, {1, -1}, {3, -1}, {3, 1}, {1, 1},
                                      {1, 3},   {-1, 3}, {-1, 1}, {-3, 1}, {-3, -1}, {-1, -1}};
    for (int i = 0; i < 12; i++) {
        double px = x + pts[i][0] * t, py = y + pts[i][1] * t;
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    cairo_close_path(cr);
}

static void shape_path(cairo_t *cr, bm_shape shape, double x, double y, double r)
{
    /* Factors that give each shape the area of a circle of radius r. */
    switch (shape) {
    case BM_SHAPE_SQUARE: {
        double h = r * sqrt(M_PI) / 2;
        cairo_rectangle(cr, x - h, y - h, 2 * h, 2 * h);
        break;
    }
    case BM_SHAPE_TRIANGLE:
        polygon(cr, x, y + r * 0.2, r * 1.56, 3, 0, 0);
        break;
    case BM_SHAPE_DIAMOND:
        polygon(cr, x, y, r * 1.25 * 1.1, 4, 0, 0);
        break;
    case BM_SHAPE_STAR:
        polygon(cr, x, y, r * 1.6, 5, 0, 0.45);
        break;
    case BM_SHAPE_CROSS:
        cross(cr, x, y, r * 1.25);
        break;
    case BM_SHAPE_CIRCLE:
    default:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    }
}

void bm_symbol_path(cairo_t *cr, const bm_symbol *s, double x, double y)
{
    shape_path(cr, s->shape, x, y, s->radius);
}

void bm_symbol_paint(cairo_t *cr, const bm_symbol *s)
{
    bm_symbol_set_color(cr, s->fill, s->opacity);
    if (s->stroke_width > 0) {
        cairo_fill_preserve(cr);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
        cairo_set_line_width(cr, s->stroke_width);
        bm_symbol_set_color(cr, s->stroke, s->opacity);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

int bm_symbol_same_paint(const bm_symbol *a, const bm_symbol *b)
{
    return a->shape == b->shape && a->stroke_width == b->stroke_width &&
           a->opacity == b->opacity && memcmp(&a->fill, &b->fill, sizeof a->fill) == 0 &&
           memcmp(&a->stroke, &b->stroke, sizeof a->stroke) == 0;
}

void bm_symbol_draw(cairo_t *cr, const bm_symbol *s, double x, double y)
{
    cairo_new_path(cr);
    bm_symbol_path(cr, s, x, y);
    bm_symbol_paint(cr, s);
}

void bm_symbol_draw_line(cairo_t *cr, double x, double y, double length, bm_color color,
                         double width, const double *dash, int n_dash)
{
    cairo_save(cr);
    cairo_set_dash(cr, dash, n_dash, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_width(cr, width);
    bm_symbol_set_color(cr, color, 1);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + length, y);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void bm_symbol_draw_area(cairo_t *cr, double x, double y, double w, double h, bm_color fill,
                         bm_color outline)
{
    cairo_rectangle(cr, x, y, w, h);
    bm_symbol_set_color(cr, fill, 1);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 1);
    bm_symbol_set_color(cr, outline, 1);
    cairo_stroke(cr);
}
