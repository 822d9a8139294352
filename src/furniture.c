/*
 * furniture.c — what surrounds the data: graticule and its degree labels,
 * scale bar, north arrow, legend, inset locator map, title and credits.
 *
 * Sizes are in points (times m->pt for pixels), so furniture keeps its
 * printed size at any dpi.
 */
#include "render_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geodesy.h"

#define PAD 8.0          /* pt between the frame and a furniture box */
#define INSET_SPAN_M 9.0e6

static const bm_color ink = {0.15, 0.15, 0.15, 1}, grey = {0.42, 0.42, 0.42, 1};

static void color(cairo_t *cr, bm_color c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

static void text_size(PangoLayout *lay, double *w, double *h)
{
    PangoRectangle r;
    pango_layout_get_extents(lay, NULL, &r);
    *w = r.width / (double)PANGO_SCALE, *h = r.height / (double)PANGO_SCALE;
}

/* Draws text with its box's top-left at (x, y) (ax, ay: 0..1 anchor). */
static void draw_text(bm_map *m, cairo_t *cr, const char *text, double size_pt, int bold,
                      bm_color c, double x, double y, double ax, double ay)
{
    PangoLayout *lay = bm_draw_text(cr, m->page.font, size_pt * m->pt, bold, 0, text);
    double w, h;
    text_size(lay, &w, &h);
    cairo_move_to(cr, x - ax * w, y - ay * h);
    color(cr, c);
    if (m->text_out)
        m->text_out->layout(m->text_out->sink, cr, lay, x - ax * w, y - ay * h,
                            (bm_text_paint){c, 0});
    else
        pango_cairo_show_layout(cr, lay);
    g_object_unref(lay);
}

static void measure(bm_map *m, cairo_t *cr, const char *text, double size_pt, int bold,
                    double *w, double *h)
{
    PangoLayout *lay = bm_draw_text(cr, m->page.font, size_pt * m->pt, bold, 0, text);
    text_size(lay, w, h);
    g_object_unref(lay);
}

/* A w x h box in a corner of the frame. */
static bm_box corner_box(const bm_map *m, bm_corner c, double w, double h)
{
    double pad = PAD * m->pt;
    double x = (c == BM_CORNER_TOP_LEFT || c == BM_CORNER_BOTTOM_LEFT) ? m->frame.x0 + pad
                                                                       : m->frame.x1 - pad - w;
    double y = (c == BM_CORNER_TOP_LEFT || c == BM_CORNER_TOP_RIGHT) ? m->frame.y0 + pad
                                                                     : m->frame.y1 - pad - h;
    return (bm_box){x, y, x + w, y + h};
}

static void panel(bm_map *m, cairo_t *cr, bm_box b)
{
    cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 0.5 * m->pt);
    color(cr, grey);
    cairo_stroke(cr);
}

/* ---- graticule ---------------------------------------------------------- */

static GEOSGeometry *graticule_line(bm_map *m, int meridian, double v)
{
    double a = meridian ? fmax(m->ll[1], -85) : m->ll[0];
    double b = meridian ? fmin(m->ll[3], 85) : m->ll[2];
    int n = (int)ceil((b - a) / 0.5) + 1;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(m->geos, (unsigned)n, 2);
    for (int i = 0; seq && i < n; i++) {
        double t = a + (b - a) * i / (n - 1);
        GEOSCoordSeq_setXY_r(m->geos, seq, (unsigned)i, meridian ? v : t, meridian ? t : v);
    }
    return seq ? GEOSGeom_createLineString_r(m->geos, seq) : NULL;
}

typedef void (*grat_fn)(bm_map *m, cairo_t *cr, int meridian, double v);

static void each_graticule_line(bm_map *m, cairo_t *cr, grat_fn fn)
{
    double step = m->page.graticule_step;
    for (int meridian = 0; meridian < 2; meridian++) {
        double lo = meridian ? m->ll[0] : fmax(m->ll[1], -85);
        double hi = meridian ? m->ll[2] : fmin(m->ll[3], 85);
        for (double v = ceil(lo / step) * step; v <= hi; v += step)
            fn(m, cr, meridian, v);
    }
}

static void stroke_graticule_line(bm_map *m, cairo_t *cr, int meridian, double v)
{
    GEOSGeometry *g = graticule_line(m, meridian, v);
    GEOSGeometry *px = g ? bm_mapdata_project(m, g, 0) : NULL;
    if (px) {
        bm_draw_path(cr, m->geos, px);
        GEOSGeom_destroy_r(m->geos, px);
    }
    if (g)
        GEOSGeom_destroy_r(m->geos, g);
}

void bm_furniture_draw_graticule(bm_map *m, cairo_t *cr)
{
    cairo_save(cr);
    cairo_new_path(cr);
    each_graticule_line(m, cr, stroke_graticule_line);
    cairo_set_source_rgba(cr, 0.35, 0.45, 0.55, 0.45);
    cairo_set_line_width(cr, 0.4 * m->pt);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void degree_text(char *buf, size_t size, int meridian, double v)
{
    const char *hemi = meridian ? (v < 0 ? "W" : v > 0 ? "E" : "") : (v < 0 ? "S" : v > 0 ? "N" : "");
    snprintf(buf, size, "%g°%s", fabs(v), hemi);
}

/* Labels a graticule line where it crosses the frame: meridians on the
 * bottom edge, parallels on the left and right edges. */
static void label_graticule_line(bm_map *m, cairo_t *cr, int meridian, double v)
{
    const bm_box f = m->frame;
    char text[32];
    degree_text(text, sizeof text, meridian, v);
    double a = meridian ? fmax(m->ll[1], -85) : m->ll[0], b = meridian ? fmin(m->ll[3], 85) : m->ll[2];
    double px = NAN, py = NAN, gap = 2.5 * m->pt;
    int done[3] = {0, 0, 0};
    for (int i = 0; i <= 400; i++) {
        double t = a + (b - a) * i / 400.0, x, y;
        if (bm_map_project(m, meridian ? v : t, meridian ? t : v, &x, &y))
            continue;
        if (!isnan(px)) {
            for (int e = 0; e < 3; e++) {
                /* e: 0 bottom edge, 1 left, 2 right */
                double edge = e == 0 ? f.y1 : e == 1 ? f.x0 : f.x1;
                double p0 = e == 0 ? py : px, p1 = e == 0 ? y : x;
                if (done[e] || (meridian != (e == 0)) || (p0 - edge) * (p1 - edge) > 0 || p0 == p1)
                    continue;
                double s = (edge - p0) / (p1 - p0), cx = px + s * (x - px), cy = py + s * (y - py);
                if (e == 0 && cx > f.x0 && cx < f.x1)
                    draw_text(m, cr, text, 6.5, 0, grey, cx, f.y1 + gap, 0.5, 0);
                else if (e == 1 && cy > f.y0 && cy < f.y1)
                    draw_text(m, cr, text, 6.5, 0, grey, f.x0 - gap, cy, 1, 0.5);
                else if (e == 2 && cy > f.y0 && cy < f.y1)
                    draw_text(m, cr, text, 6.5, 0, grey, f.x1 + gap, cy, 0, 0.5);
                done[e] = 1;
            }
        }
        px = x, py = y;
    }
}

void bm_furniture_draw_graticule_labels(bm_map *m, cairo_t *cr)
{
    each_graticule_line(m, cr, label_graticule_line);
}

/* ---- scale bar and north arrow ------------------------------------------ */

static double metres_per_px(const bm_map *m, double cx, double cy, double half)
{
    double lon1, lat1, lon2, lat2;
    if (bm_map_unproject(m, cx - half, cy, &lon1, &lat1) ||
        bm_map_unproject(m, cx + half, cy, &lon2, &lat2))
        return NAN;
    return bm_geodesic_distance_m(lon1, lat1, lon2, lat2) / (2 * half);
}

/* A round length (1, 2 or 5 times a power of ten km) about a fifth of the
 * frame wide, true at the map centre. */
void bm_furniture_scale_bar(const bm_map *m, double *km, double *px)
{
    double cx = (m->frame.x0 + m->frame.x1) / 2, cy = (m->frame.y0 + m->frame.y1) / 2;
    double target = 0.2 * (m->frame.x1 - m->frame.x0);
    double mpp = metres_per_px(m, cx, cy, target / 2);
    double want = target * mpp / 1000, p = pow(10, floor(log10(want)));
    double lead = want / p >= 5 ? 5 : want / p >= 2 ? 2 : 1;
    *km = lead * p;
    /* Re-measured over the bar's own length: the scale is not constant. */
    mpp = metres_per_px(m, cx, cy, *km * 500 / mpp);
    *px = *km * 1000 / mpp;
}

static void scale_note(const bm_map *m, char *buf, size_t size)
{
    double lon, lat;
    bm_map_unproject(m, (m->frame.x0 + m->frame.x1) / 2, (m->frame.y0 + m->frame.y1) / 2, &lon,
                     &lat);
    snprintf(buf, size, "Scale true at the map centre (%.0f°%s); it varies across the map",
             fabs(lat), lat >= 0 ? "N" : "S");
}

/* The panel holds the bar, its end label, the north arrow and the note. */
bm_box bm_furniture_scale_box(bm_map *m, cairo_t *cr)
{
    double km, px, w, h;
    char note[128];
    bm_furniture_scale_bar(m, &km, &px);
    scale_note(m, note, sizeof note);
    measure(m, cr, note, 5.5, 0, &w, &h);
    double width = fmax(px + 62 * m->pt, w + 20 * m->pt);
    return corner_box(m, m->page.scale_corner, width, 34 * m->pt);
}

static void format_km(char *buf, size_t size, double km)
{
    snprintf(buf, size, km >= 1 ? "%.0f" : "%g", km);
}

void bm_furniture_draw_scale(bm_map *m, cairo_t *cr)
{
    double km, px;
    bm_furniture_scale_bar(m, &km, &px);
    bm_box b = bm_furniture_scale_box(m, cr);
    panel(m, cr, b);
    double x = b.x0 + 10 * m->pt, y = b.y0 + 13 * m->pt, h = 3 * m->pt;
    double lead = km / pow(10, floor(log10(km)));
    int parts = lead == 1 ? 2 : lead == 2 ? 4 : 5;
    for (int i = 0; i < parts; i++) {
        cairo_rectangle(cr, x + px * i / parts, y, px / parts, h);
        cairo_set_source_rgb(cr, i % 2 ? 1 : 0.15, i % 2 ? 1 : 0.15, i % 2 ? 1 : 0.15);
        cairo_fill_preserve(cr);
        color(cr, ink);
        cairo_set_line_width(cr, 0.5 * m->pt);
        cairo_stroke(cr);
    }
    char t[128];
    draw_text(m, cr, "0", 6.5, 0, ink, x, y - 1 * m->pt, 0.5, 1);
    format_km(t, sizeof t, km / 2);
    if (parts % 2 == 0)
        draw_text(m, cr, t, 6.5, 0, ink, x + px / 2, y - 1 * m->pt, 0.5, 1);
    format_km(t, sizeof t, km);
    strcat(t, " km");
    draw_text(m, cr, t, 6.5, 0, ink, x + px, y - 1 * m->pt, 0.3, 1);
    scale_note(m, t, sizeof t);
    draw_text(m, cr, t, 5.5, 0, grey, x, y + h + 3 * m->pt, 0, 0);
}

/* North is drawn where it is: a conic's meridians converge, so the arrow
 * points along the meridian through the arrow itself. */
void bm_furniture_draw_north(bm_map *m, cairo_t *cr)
{
    bm_box s = bm_furniture_scale_box(m, cr);
    double x = s.x1 - 10 * m->pt, y = s.y0 + 14 * m->pt, lon, lat, x2, y2;
    if (!m->page.scale_bar)
        x = m->frame.x0 + 20 * m->pt, y = m->frame.y1 - 30 * m->pt;
    if (bm_map_unproject(m, x, y, &lon, &lat) || bm_map_project(m, lon, lat + 0.5, &x2, &y2))
        return;
    double a = atan2(x2 - x, y - y2), len = 9 * m->pt;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, a);
    cairo_move_to(cr, 0, -len);
    cairo_line_to(cr, len * 0.38, len * 0.55);
    cairo_line_to(cr, 0, len * 0.25);
    cairo_line_to(cr, -len * 0.38, len * 0.55);
    cairo_close_path(cr);
    color(cr, ink);
    cairo_fill(cr);
    draw_text(m, cr, "N", 6.5, 1, ink, 0, -len - 0.5 * m->pt, 0.5, 1);
    cairo_restore(cr);
}

/* ---- legend ------------------------------------------------------------- */

#define SWATCH 16.0
#define ROW 12.5
#define LEGEND_SIZE 7.0

void bm_map_legend_text(const bm_map *m, size_t i, char *buf, size_t size)
{
    const bm_legend_entry *e = &m->legend[i];
    if (e->kind == BM_LEGEND_SYMBOL && !e->size_key)
        snprintf(buf, size, "%s (%zu)", e->label, e->count);
    else
        snprintf(buf, size, "%s", e->label);
}

/* Rows grow with the symbol they show, so size keys keep their true size. */
static double row_height(const bm_map *m, const bm_legend_entry *e)
{
    double r = e->kind == BM_LEGEND_SYMBOL ? e->symbol.radius / m->pt : 0;
    return fmax(ROW, 2 * r + 3);
}

static double swatch_width(const bm_map *m)
{
    double w = SWATCH;
    for (size_t i = 0; i < m->n_legend; i++)
        if (m->legend[i].kind == BM_LEGEND_SYMBOL)
            w = fmax(w, 2 * m->legend[i].symbol.radius / m->pt + 2);
    return w * m->pt;
}

bm_box bm_furniture_legend_box(bm_map *m, cairo_t *cr)
{
    double wmax, h, rows = 24 * m->pt, sw = swatch_width(m);
    measure(m, cr, "Legend", LEGEND_SIZE + 1, 1, &wmax, &h);
    for (size_t i = 0; i < m->n_legend; i++) {
        char t[BM_STYLE_TEXT + 32];
        double w;
        bm_map_legend_text(m, i, t, sizeof t);
        measure(m, cr, t, LEGEND_SIZE, 0, &w, &h);
        wmax = fmax(wmax, w + sw + 6 * m->pt);
        rows += row_height(m, &m->legend[i]) * m->pt;
    }
    if (m->n_legend == 0)
        return (bm_box){0, 0, 0, 0};
    return corner_box(m, m->page.legend_corner, wmax + 14 * m->pt, rows);
}

/* A heatmap's ramp, low densities left; over white, as the legend panel is. */
static void draw_ramp(cairo_t *cr, const bm_ramp *r, double x, double y, double w, double h)
{
    cairo_pattern_t *p = cairo_pattern_create_linear(x, 0, x + w, 0);
    for (size_t i = 0; i < r->n; i++)
        cairo_pattern_add_color_stop_rgba(p, r->density[i], r->color[i].r, r->color[i].g,
                                          r->color[i].b, r->color[i].a);
    cairo_rectangle(cr, x, y, w, h);
    cairo_set_source(cr, p);
    cairo_fill_preserve(cr);
    cairo_pattern_destroy(p);
    color(cr, grey);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
}

static void draw_swatch(bm_map *m, cairo_t *cr, const bm_legend_entry *e, double x, double y,
                        double w)
{
    if (e->kind == BM_LEGEND_SYMBOL)
        bm_symbol_draw(cr, &e->symbol, x + w / 2, y);
    else if (e->kind == BM_LEGEND_LINE)
        bm_symbol_draw_line(cr, x, y, w, e->color, e->width, e->dash, e->n_dash);
    else if (e->kind == BM_LEGEND_RAMP)
        draw_ramp(cr, &m->style->layers[e->layer].heatmap_color, x + 1 * m->pt, y - 4 * m->pt,
                  w - 2 * m->pt, 8 * m->pt);
    else
        bm_symbol_draw_area(cr, x + 1 * m->pt, y - 4 * m->pt, w - 2 * m->pt, 8 * m->pt,
                            e->color, grey);
}

void bm_furniture_draw_legend(bm_map *m, cairo_t *cr)
{
    bm_box b = bm_furniture_legend_box(m, cr);
    if (b.x1 <= b.x0)
        return;
    panel(m, cr, b);
    double x = b.x0 + 7 * m->pt, y = b.y0 + 6 * m->pt, sw = swatch_width(m);
    draw_text(m, cr, "Legend", LEGEND_SIZE + 1, 1, ink, x, y, 0, 0);
    y += 18 * m->pt;
    for (size_t i = 0; i < m->n_legend; i++) {
        char t[BM_STYLE_TEXT + 32];
        double row = row_height(m, &m->legend[i]) * m->pt;
        y += row / 2;
        bm_map_legend_text(m, i, t, sizeof t);
        cairo_save(cr);
        draw_swatch(m, cr, &m->legend[i], x, y, sw);
        cairo_restore(cr);
        draw_text(m, cr, t, LEGEND_SIZE, 0, ink, x + sw + 6 * m->pt, y, 0, 0.5);
        y += row / 2;
    }
}

/* ---- inset locator ------------------------------------------------------ */

bm_box bm_furniture_inset_box(const bm_map *m)
{
    double w = 0.2 * (m->frame.x1 - m->frame.x0);
    return corner_box(m, m->page.inset_corner, w, w * 0.72);
}

static void inset_countries(bm_map *m, cairo_t *cr, bm_projection *p, const double ll[4],
                            double scale, double ox, double oy, bm_box b)
{
    cairo_new_path(cr);
    for (size_t i = 0; m->inset && i < m->inset->n; i++) {
        const GEOSGeometry *g = m->inset->geom[i];
        GEOSGeometry *px = g ? bm_mapdata_project_with(m->geos, p, ll, scale, ox, oy, b, g) : NULL;
        if (px) {
            bm_draw_path(cr, m->geos, px);
            GEOSGeom_destroy_r(m->geos, px);
        }
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.84);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 0.3 * m->pt);
    cairo_stroke(cr);
}

/* The main map's frame, as seen in the inset. */
static void inset_footprint(bm_map *m, cairo_t *cr, bm_projection *p, double scale, double ox,
                            double oy)
{
    const bm_box f = m->frame;
    cairo_new_path(cr);
    for (int i = 0; i < 4 * 40; i++) {
        int side = i / 40;
        double t = (i % 40) / 40.0, lon, lat, x, y;
        double fx = side == 0 ? f.x0 + t * (f.x1 - f.x0) : side == 1 ? f.x1 : side == 2 ? f.x1 - t * (f.x1 - f.x0) : f.x0;
        double fy = side == 0 ? f.y0 : side == 1 ? f.y0 + t * (f.y1 - f.y0) : side == 2 ? f.y1 : f.y1 - t * (f.y1 - f.y0);
        if (bm_map_unproject(m, fx, fy, &lon, &lat) || bm_projection_forward(p, lon, lat, &x, &y))
            continue;
        cairo_line_to(cr, ox + x * scale, oy - y * scale);
    }
    cairo_close_path(cr);
    color(cr, m->page.inset_color);
    cairo_set_line_width(cr, 1.2 * m->pt);
    cairo_stroke(cr);
}

void bm_furniture_draw_inset(bm_map *m, cairo_t *cr)
{
    bm_box b = bm_furniture_inset_box(m);
    double lon0, lat0;
    bm_map_unproject(m, (m->frame.x0 + m->frame.x1) / 2, (m->frame.y0 + m->frame.y1) / 2, &lon0, &lat0);
    char def[256];
    snprintf(def, sizeof def, "+proj=laea +lat_0=%.2f +lon_0=%.2f +datum=WGS84 +units=m +no_defs +type=crs",
             lat0, lon0);
    bm_error err;
    bm_projection *p = bm_projection_create(def, &err);
    if (!p)
        return;
    double scale = (b.x1 - b.x0) / INSET_SPAN_M;
    double ox = (b.x0 + b.x1) / 2, oy = (b.y0 + b.y1) / 2;
    double ll[4] = {fmax(lon0 - 80, -180), fmax(lat0 - 60, -89), fmin(lon0 + 80, 180), fmin(lat0 + 60, 89)};
    cairo_save(cr);
    cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    cairo_clip_preserve(cr);
    color(cr, m->page.water);
    cairo_fill(cr);
    inset_countries(m, cr, p, ll, scale, ox, oy, b);
    inset_footprint(m, cr, p, scale, ox, oy);
    cairo_restore(cr);
    cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    color(cr, grey);
    cairo_set_line_width(cr, 0.6 * m->pt);
    cairo_stroke(cr);
    bm_projection_free(p);
}

/* ---- title and credits -------------------------------------------------- */

/* The size, at most `size`, at which text fits the frame's width: a long
 * title on a small page shrinks rather than runs off the paper. */
static double fit_size(bm_map *m, cairo_t *cr, const char *text, double size, int bold)
{
    double w, h, room = m->frame.x1 - m->frame.x0;
    measure(m, cr, text, size, bold, &w, &h);
    return w > room ? size * room / w : size;
}

void bm_furniture_draw_titles(bm_map *m, cairo_t *cr)
{
    double x = m->frame.x0, w, h, size;
    if (m->page.title[0]) {
        size = fit_size(m, cr, m->page.title, 15, 1);
        draw_text(m, cr, m->page.title, size, 1, ink, x, 7 * m->pt, 0, 0);
        measure(m, cr, m->page.title, size, 1, &w, &h);
        if (m->page.subtitle[0])
            draw_text(m, cr, m->page.subtitle, fit_size(m, cr, m->page.subtitle, 8.5, 0), 0,
                      grey, x, 7 * m->pt + h, 0, 0);
    }
    if (!m->page.credits)
        return;
    char line[1600];
    snprintf(line, sizeof line, "%s · Projection: %s", m->credits, m->proj_name);
    double y = m->page.height - 4 * m->pt;
    if (m->page.note[0]) {
        size = fit_size(m, cr, m->page.note, 5.8, 0);
        draw_text(m, cr, m->page.note, size, 0, grey, x, y, 0, 1);
        measure(m, cr, m->page.note, size, 0, &w, &h);
        y -= h;
    }
    draw_text(m, cr, line, fit_size(m, cr, line, 5.8, 0), 0, grey, x, y, 0, 1);
}
