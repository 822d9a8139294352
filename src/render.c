/*
 * render.c — preparing a map (page, projection, frame) and drawing its
 * layers through cairo; the output format is only the choice of surface.
 *
 * Drawing runs in page pixels. Layers are drawn in style order while the
 * labels they ask for are collected; labels are placed afterwards in
 * priority order, once every symbol and piece of furniture is known as an
 * obstacle, and drawn on top. Placing labels is placement.c's
 * business, writing files render_out.c's.
 */
#define _GNU_SOURCE /* qsort_r, malloc_trim */
#include "render_int.h"

#include "confine.h"
#include "heatmap.h"

#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proj.h>

/* ---- map set-up --------------------------------------------------------- */

static void apply_options(bm_page *p, const bm_render_options *o)
{
    if (!o)
        return;
    if (o->width > 0 && o->height > 0)
        p->width = o->width, p->height = o->height;
    if (o->dpi > 0)
        p->dpi = o->dpi;
    if (o->has_extent)
        memcpy(p->extent, o->extent, sizeof p->extent);
    if (o->crs)
        snprintf(p->crs, sizeof p->crs, "%s", o->crs);
    if (o->title)
        snprintf(p->title, sizeof p->title, "%s", o->title);
}

/* The name PROJ gives a CRS ("WGS 84 / UTM zone 42N"), else the text. */
static void crs_name(const char *def, char *buf, size_t size)
{
    PJ_CONTEXT *ctx = proj_context_create();
    proj_log_level(ctx, PJ_LOG_NONE);
    PJ *pj = proj_create(ctx, def);
    const char *name = pj ? proj_get_name(pj) : NULL;
    snprintf(buf, size, "%.200s", name && strcmp(name, "unknown") != 0 ? name : def);
    if (pj)
        proj_destroy(pj);
    proj_context_destroy(ctx);
}

static bm_status make_projection(bm_map *m, bm_error *err)
{
    const double *e = m->page.extent;
    char def[512];
    if (m->page.crs[0]) {
        snprintf(def, sizeof def, "%s", m->page.crs);
        crs_name(def, m->proj_name, sizeof m->proj_name);
    } else {
        bm_projection_fitted(e, def, sizeof def, m->proj_name, sizeof m->proj_name);
    }
    m->proj = bm_projection_create(def, err);
    return m->proj ? BM_OK : err->status;
}

/* Longitude/latitude bounds of the frame, sampled along its border. */
static void frame_lonlat(bm_map *m)
{
    double *ll = m->ll;
    ll[0] = ll[1] = INFINITY, ll[2] = ll[3] = -INFINITY;
    const bm_box f = m->frame;
    for (int i = 0; i <= 100; i++) {
        double t = i / 100.0, xs[4] = {f.x0 + t * (f.x1 - f.x0), f.x0 + t * (f.x1 - f.x0), f.x0, f.x1};
        double ys[4] = {f.y0, f.y1, f.y0 + t * (f.y1 - f.y0), f.y0 + t * (f.y1 - f.y0)};
        for (int k = 0; k < 4; k++) {
            double lon, lat;
            if (bm_map_unproject(m, xs[k], ys[k], &lon, &lat))
                continue;
            ll[0] = fmin(ll[0], lon), ll[1] = fmin(ll[1], lat);
            ll[2] = fmax(ll[2], lon), ll[3] = fmax(ll[3], lat);
        }
    }
    /* A pole inside the frame (a polar map) lies beyond every border
     * sample: all longitudes meet there. */
    for (int pole = -1; pole <= 1; pole += 2) {
        double x, y;
        if (bm_map_project(m, 0, 90.0 * pole, &x, &y) == 0 && x > f.x0 && x < f.x1 && y > f.y0 &&
            y < f.y1) {
            ll[0] = -180, ll[2] = 180;
            ll[pole > 0 ? 3 : 1] = 90.0 * pole;
        }
    }
    ll[0] = fmax(ll[0] - 1, -180), ll[1] = fmax(ll[1] - 1, -89.9);
    ll[2] = fmin(ll[2] + 1, 180), ll[3] = fmin(ll[3] + 1, 89.9);
}

static bm_status fit_frame(bm_map *m, bm_error *err)
{
    const bm_page *p = &m->page;
    m->pt = p->dpi / 72.0;
    m->frame = (bm_box){p->margin[3] * m->pt, p->margin[0] * m->pt,
                        p->width - p->margin[1] * m->pt, p->height - p->margin[2] * m->pt};
    double b[4];
    unsigned long long max = bm_limits_get()->pixels;
    if ((unsigned long long)p->width * (unsigned long long)p->height > max)
        return bm_error_set(err, BM_ERR_USAGE, m->style->path, 0, "page.size",
                            "%dx%d px is more than the limit of %llu pixels "
                            "(BORDERMAP_MAX_PIXELS)",
                            p->width, p->height, max);
    if (m->frame.x1 - m->frame.x0 < 32 || m->frame.y1 - m->frame.y0 < 32)
        return bm_error_set(err, BM_ERR_USAGE, m->style->path, 0, "page.margins",
                            "the margins leave no room for the map at %dx%d px", p->width,
                            p->height);
    if (bm_projection_box_bounds(m->proj, m->page.extent, b))
        return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "crs",
                            "the extent cannot be projected with '%s'", m->proj_name);
    double fw = m->frame.x1 - m->frame.x0, fh = m->frame.y1 - m->frame.y0, shown[4];
    bm_projection_fit_frame(b, fw, fh, shown);
    m->scale = fw / (shown[2] - shown[0]);
    m->ox = m->frame.x0 - shown[0] * m->scale;
    m->oy = m->frame.y0 + shown[3] * m->scale;
    frame_lonlat(m);
    return BM_OK;
}

bm_map *bm_map_create(bm_context *ctx, const bm_style *style, const bm_render_options *opt,
                      bm_error *err)
{
    bm_map *m = calloc(1, sizeof *m);
    if (!m) {
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    m->style = style;
    m->page = style->page;
    apply_options(&m->page, opt);
    m->ctx = ctx;
    m->geos = bm_context_geos(ctx);
    snprintf(m->credits, sizeof m->credits, "%s", bm_context_credits(ctx));
    if (make_projection(m, err) || fit_frame(m, err) || bm_mapdata_load(m, err)) {
        bm_map_free(m);
        return NULL;
    }
    return m;
}

void bm_map_free(bm_map *m)
{
    if (!m)
        return;
    bm_mapdata_free(m);
    bm_labels_free(m->labels);
    free(m->legend);
    bm_projection_free(m->proj);
    free(m);
}

const char *bm_map_projection_name(const bm_map *m)
{
    return m->proj_name;
}

const bm_labels *bm_map_labels(const bm_map *m)
{
    return m->labels;
}

size_t bm_map_legend_count(const bm_map *m)
{
    return m->n_legend;
}

const char *bm_map_legend_label(const bm_map *m, size_t i)
{
    return m->legend[i].label;
}

const bm_legend_entry *bm_map_legend_entry(const bm_map *m, size_t i)
{
    return &m->legend[i];
}

bm_box bm_map_furniture_box(const bm_map *m, bm_furniture which)
{
    return m->boxes[which];
}

bm_corner bm_map_furniture_corner(const bm_map *m, bm_furniture which)
{
    return which == BM_FURNITURE_LEGEND  ? m->page.legend_corner
           : which == BM_FURNITURE_INSET ? m->page.inset_corner
                                         : m->page.scale_corner;
}

bm_box bm_map_frame(const bm_map *m)
{
    return m->frame;
}

double bm_map_px_per_pt(const bm_map *m)
{
    return m->pt;
}

void bm_map_scale_bar(const bm_map *m, double *km, double *px, double *x, double *y)
{
    bm_furniture_scale_bar(m, km, px);
    *x = (m->frame.x0 + m->frame.x1) / 2 - *px / 2;
    *y = (m->frame.y0 + m->frame.y1) / 2;
}

static void set_color(cairo_t *cr, bm_color c, double opacity)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

/* ---- label requests ----------------------------------------------------- */

typedef struct frame_state {
    bm_map *m;
    cairo_t *cr;
    bm_label_req *reqs;
    size_t n_reqs, cap_reqs;
    /* Symbols are label obstacles only when something avoids them: a
     * label, or a legend or inset placed where it hides the fewest (a
     * hundred thousand obstacle boxes took 7 MB and a tenth of the time). */
    int obstacles;
} frame_state;

static void expand_template(const char *tpl, bm_feature_ref *ref, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = tpl; *p && n + 1 < size;) {
        const char *end = *p == '{' ? strchr(p, '}') : NULL;
        if (!end) {
            out[n++] = *p++;
            continue;
        }
        char field[BM_STYLE_NAME];
        snprintf(field, sizeof field, "%.*s", (int)(end - p - 1), p + 1);
        const char *v = bm_fset_get(field, ref);
        n += (size_t)snprintf(out + n, size - n, "%s", v ? v : "");
        n = n >= size ? size - 1 : n;
        p = end + 1;
    }
    out[n] = '\0';
}

static bm_text_style text_style(const bm_map *m, const bm_layer *l, bm_feature_ref *ref)
{
    bm_text_style st = {.size = l->text_size * m->pt, .bold = l->text_bold,
                        .italic = l->text_italic, .uppercase = l->text_uppercase,
                        .letter_spacing = l->text_letter_spacing};
    bm_value tmp;
    snprintf(st.font, sizeof st.font, "%s", l->text_font);
    st.color = bm_prop_eval(&l->text_color, bm_fset_get, ref, &tmp)->color;
    st.halo = bm_prop_eval(&l->text_halo_color, bm_fset_get, ref, &tmp)->color;
    st.halo_width = bm_prop_eval(&l->text_halo_width, bm_fset_get, ref, &tmp)->number * m->pt;
    return st;
}

static void request(frame_state *fs, const bm_layer *l, bm_feature_ref *ref, bm_req_kind kind,
                    double x, double y, double r, const GEOSGeometry *geom)
{
    char text[512];
    expand_template(l->text_field, ref, text, sizeof text);
    if (!text[0] || text[strspn(text, " \n")] == '\0')
        return;
    if (fs->n_reqs == fs->cap_reqs) {
        size_t cap = fs->cap_reqs ? 2 * fs->cap_reqs : 64;
        bm_label_req *nr = realloc(fs->reqs, cap * sizeof *nr);
        if (!nr) {
            bm_draw_failed(fs->m, "out of memory for labels");
            return;
        }
        fs->reqs = nr, fs->cap_reqs = cap;
    }
    char *copy = strdup(text);
    if (!copy) {
        bm_draw_failed(fs->m, "out of memory for labels");
        return;
    }
    fs->reqs[fs->n_reqs] = (bm_label_req){kind, l->sort_key, l->index, fs->n_reqs,
                                       text_style(fs->m, l, ref), copy, x, y, r, geom,
                                       l->type == BM_LAYER_FRONTIER};
    fs->n_reqs++;
}

/* ---- legend ------------------------------------------------------------- */

/* Counts n more symbols of e's class, adding the class when new. */
static void legend_add_n(bm_map *m, const bm_legend_entry *e, size_t n)
{
    for (size_t i = 0; i < m->n_legend; i++)
        if (m->legend[i].layer == e->layer && strcmp(m->legend[i].label, e->label) == 0) {
            m->legend[i].count += n;
            return;
        }
    bm_legend_entry *grown = realloc(m->legend, (m->n_legend + 1) * sizeof *grown);
    if (!grown) {
        bm_draw_failed(m, "out of memory for the legend");
        return;
    }
    m->legend = grown;
    m->legend[m->n_legend] = *e;
    m->legend[m->n_legend++].count = n;
}

static void legend_add(bm_map *m, const bm_legend_entry *e)
{
    legend_add_n(m, e, 1);
}

/* The match properties whose keys make a circle layer's classes: its
 * colour, shape and outline colour, one per field (two properties
 * matching one field make one class, not two). */
#define CLASS_PROPS 3
static size_t class_props(const bm_layer *l, const bm_prop *out[CLASS_PROPS])
{
    const bm_prop *props[CLASS_PROPS] = {&l->circle_color, &l->icon_image,
                                         &l->circle_stroke_color};
    size_t n = 0;
    for (size_t k = 0; k < CLASS_PROPS; k++) {
        size_t f = 0;
        while (f < n && strcmp(out[f]->field, props[k]->field) != 0)
            f++;
        if (props[k]->kind == BM_PROP_MATCH && f == n)
            out[n++] = props[k];
    }
    return n;
}

/* A feature's class: per class property, the index of the key its field
 * matched, or the property's number of keys for "Other". */
static void class_keys(const bm_prop *const *props, size_t n, bm_feature_ref *ref,
                       size_t key[CLASS_PROPS])
{
    for (size_t k = 0; k < n; k++) {
        const char *v = bm_fset_get(props[k]->field, ref);
        size_t i = 0;
        while (i < props[k]->n && strcmp(props[k]->keys[i], v ? v : "") != 0)
            i++;
        key[k] = i;
    }
}

/* A class's legend label, its keys joined (or "Other"), and its rank: its
 * first key's place in the style. */
static void class_label(const bm_layer *l, const bm_prop *const *props, size_t n,
                        const size_t *key, char *out, size_t size, size_t *order)
{
    out[0] = '\0';
    *order = n ? key[0] : 0;
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", len ? ": " : "",
                 key[k] < props[k]->n ? props[k]->keys[key[k]] : "Other");
    }
    size_t len = strlen(out);
    if (!len)
        snprintf(out, size, "%s", l->legend[0] ? l->legend : l->id);
    else if (l->legend[0]) /* a second layer of the same classes says how it differs */
        snprintf(out + len, size - len, " (%s)", l->legend);
}

/* ---- layers ------------------------------------------------------------- */

static int visible(const bm_layer *l, bm_feature_ref *ref)
{
    return bm_style_filter_eval(l->filter, bm_fset_get, ref);
}

/* A fill coloured by a number: a step's classes ("Events per region: 2
 * to under 4"), an interpolation's colour at each stop. */
static void fill_classes(bm_map *m, const bm_layer *l)
{
    const bm_prop *p = &l->fill_color;
    int step = p->kind == BM_PROP_STEP;
    for (size_t i = 0; i < p->n + (size_t)step; i++) {
        bm_legend_entry e = {.kind = BM_LEGEND_AREA, .layer = l->index, .order = i};
        if (!step)
            snprintf(e.label, sizeof e.label, "%.200s: %g", l->legend, p->stops[i]);
        else if (i == 0)
            snprintf(e.label, sizeof e.label, "%.200s: under %g", l->legend, p->stops[0]);
        else if (i == p->n)
            snprintf(e.label, sizeof e.label, "%.200s: %g or more", l->legend, p->stops[i - 1]);
        else
            snprintf(e.label, sizeof e.label, "%.200s: %g to under %g", l->legend, p->stops[i - 1],
                     p->stops[i]);
        e.color = step && i == 0 ? p->fallback.color : p->values[step ? i - 1 : i].color;
        e.outline = e.color;
        legend_add(m, &e);
    }
}

static void draw_fill(frame_state *fs, const bm_layer *l, const bm_fset *s)
{
    cairo_t *cr = fs->cr;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    int drawn = 0;
    bm_value tmp;
    for (size_t i = 0; i < s->n; i++) {
        bm_feature_ref ref = {s, i};
        if (!s->geom[i] || !visible(l, &ref))
            continue;
        cairo_new_path(cr);
        bm_draw_path(cr, fs->m->geos, s->geom[i]);
        set_color(cr, bm_prop_eval(&l->fill_color, bm_fset_get, &ref, &tmp)->color,
                  bm_prop_eval(&l->fill_opacity, bm_fset_get, &ref, &tmp)->number);
        cairo_fill(cr);
        drawn = 1;
        if (l->text_field[0])
            request(fs, l, &ref, BM_REQ_AREA, 0, 0, 0, s->geom[i]);
    }
    if (drawn && l->legend[0] && (l->fill_color.kind == BM_PROP_STEP ||
                                  l->fill_color.kind == BM_PROP_INTERPOLATE))
        fill_classes(fs->m, l);
    else if (drawn && l->legend[0]) {
        bm_legend_entry e = {.kind = BM_LEGEND_AREA, .layer = l->index, .order = 0};
        bm_feature_ref ref = {s, 0};
        snprintf(e.label, sizeof e.label, "%s", l->legend);
        e.color = bm_prop_eval(&l->fill_color, bm_fset_get, &ref, &tmp)->color;
        e.outline = e.color;
        legend_add(fs->m, &e);
    }
}

static void line_entry(bm_map *m, const bm_layer *l, bm_color c, double w)
{
    bm_legend_entry e = {.kind = BM_LEGEND_LINE, .layer = l->index, .color = c, .width = w,
                         .n_dash = (int)l->n_dash};
    snprintf(e.label, sizeof e.label, "%s", l->legend);
    for (size_t k = 0; k < l->n_dash; k++)
        e.dash[k] = l->line_dash[k] * w;
    legend_add(m, &e);
}

/* Lines on a raster page are stroked this many vertices at a time: the
 * outline of a large country's border in one piece was 5 MB of cairo's
 * memory at the peak of a 3000x2000 map. Vector pages keep whole paths. */
#define STROKE_PIECE 1024

static void draw_line(frame_state *fs, const bm_layer *l, const bm_fset *s)
{
    cairo_t *cr = fs->cr;
    bm_value tmp;
    int raster = cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE;
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (size_t i = 0; i < s->n; i++) {
        bm_feature_ref ref = {s, i};
        if (!s->geom[i] || !visible(l, &ref))
            continue;
        double w = bm_prop_eval(&l->line_width, bm_fset_get, &ref, &tmp)->number * fs->m->pt;
        double dash[8];
        for (size_t k = 0; k < l->n_dash; k++)
            dash[k] = l->line_dash[k] * w; /* MapLibre: dashes in line widths */
        cairo_set_dash(cr, dash, (int)l->n_dash, 0);
        cairo_set_line_cap(cr, l->n_dash ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
        cairo_new_path(cr);
        bm_color c = bm_prop_eval(&l->line_color, bm_fset_get, &ref, &tmp)->color;
        double opacity = bm_prop_eval(&l->line_opacity, bm_fset_get, &ref, &tmp)->number;
        set_color(cr, c, opacity);
        cairo_set_line_width(cr, w);
        if (raster && !l->n_dash && c.a * opacity >= 1) {
            bm_draw_stroke_pieces(cr, fs->m->geos, s->geom[i], STROKE_PIECE);
        } else {
            bm_draw_path(cr, fs->m->geos, s->geom[i]);
            cairo_stroke(cr);
        }
        if (l->legend[0])
            line_entry(fs->m, l, c, w);
        if (l->text_field[0] && (l->placement_line || l->type == BM_LAYER_FRONTIER))
            request(fs, l, &ref, BM_REQ_LINE, 0, 0, 0, s->geom[i]);
    }
    cairo_set_dash(cr, NULL, 0, 0);
}

static void draw_text_layer(frame_state *fs, const bm_layer *l, const bm_fset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        bm_feature_ref ref = {s, i};
        if (!visible(l, &ref))
            continue;
        if (!isnan(s->pt[2 * i]))
            request(fs, l, &ref, BM_REQ_POINT, s->pt[2 * i], s->pt[2 * i + 1],
                    0.4 * l->text_size * fs->m->pt, NULL);
        else if (s->geom[i])
            request(fs, l, &ref, l->placement_line ? BM_REQ_LINE : BM_REQ_AREA, 0, 0, 0, s->geom[i]);
    }
}

/* ---- point symbols, displaced where several share a place ---------------- */

/* A symbol to draw: 48 bytes, the symbol itself in the layer's table of
 * distinct symbols (a bm_symbol in every mark made 144 bytes a point)
 * and its legend class in the layer's table of classes. */
typedef struct mark {
    double x, y;        /* true position */
    double dx, dy;      /* displacement from it */
    uint32_t feature, order, sym, cls; /* order: the class's rank */
} mark;

/* A layer's legend classes: the keys each class property took, labelled
 * once per class rather than once per symbol (a label per symbol was a
 * tenth of a 100,000-point map's instructions). */
typedef struct class_entry {
    size_t key[CLASS_PROPS];
    size_t order, count;
    bm_symbol symbol; /* its first symbol in place order, the legend's */
    char label[BM_STYLE_TEXT];
} class_entry;

typedef struct class_table {
    const bm_prop *props[CLASS_PROPS];
    size_t n_props;
    class_entry *e;
    size_t n, cap;
    uint32_t *met; /* classes in the order their first symbol was met */
    size_t n_met;
} class_table;

/* The index of the feature's class in t, added when new; UINT32_MAX when
 * out of memory. Searched linearly: a layer has a few classes. */
static uint32_t class_index(class_table *t, const bm_layer *l, bm_feature_ref *ref)
{
    size_t key[CLASS_PROPS] = {0};
    class_keys(t->props, t->n_props, ref, key);
    for (size_t i = 0; i < t->n; i++)
        if (memcmp(t->e[i].key, key, sizeof key) == 0)
            return (uint32_t)i;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        class_entry *e = cap < UINT32_MAX ? realloc(t->e, cap * sizeof *e) : NULL;
        uint32_t *met = e ? realloc(t->met, cap * sizeof *met) : NULL;
        if (e)
            t->e = e;
        if (!met)
            return UINT32_MAX;
        t->met = met, t->cap = cap;
    }
    class_entry *c = &t->e[t->n];
    memcpy(c->key, key, sizeof key);
    c->count = 0;
    class_label(l, t->props, t->n_props, key, c->label, sizeof c->label, &c->order);
    return (uint32_t)t->n++;
}

/* The distinct symbols of a layer; marks refer to them by index. */
typedef struct symbol_table {
    bm_symbol *sym;
    size_t n, cap;
} symbol_table;

static int same_symbol(const bm_symbol *a, const bm_symbol *b)
{
    return a->radius == b->radius && bm_symbol_same_paint(a, b);
}

/* The index of s in t, added when new; searched among the first 64 (a
 * layer has a few classes; a data-driven size may make every symbol
 * differ, and then each is simply stored). UINT32_MAX when out of memory. */
static uint32_t symbol_index(symbol_table *t, const bm_symbol *s)
{
    for (size_t i = 0; i < t->n && i < 64; i++)
        if (same_symbol(&t->sym[i], s))
            return (uint32_t)i;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        bm_symbol *p = cap < UINT32_MAX ? realloc(t->sym, cap * sizeof *p) : NULL;
        if (!p)
            return UINT32_MAX;
        t->sym = p, t->cap = cap;
    }
    t->sym[t->n] = *s;
    return (uint32_t)t->n++;
}

/* The marks are made in catalog order and stay there; they are sorted
 * as indices (4 bytes each instead of 48 to move). */
typedef struct mark_order {
    const mark *marks;
    const bm_symbol *syms;
} mark_order;

static int compare_places(const void *a, const void *b, void *ctx)
{
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const mark *p = &((const mark_order *)ctx)->marks[i], *q = &((const mark_order *)ctx)->marks[j];
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Painting order: big symbols under small ones, and within a size the
 * classes the style lists first on top; ties keep catalog order. */
static int compare_paint(const void *a, const void *b, void *ctx)
{
    const mark_order *o = ctx;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const mark *p = &o->marks[i], *q = &o->marks[j];
    double rp = o->syms[p->sym].radius, rq = o->syms[q->sym].radius;
    if (rp != rq)
        return rp > rq ? -1 : 1;
    if (p->order != q->order)
        return p->order > q->order ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* The painting order of compare_paint without comparing marks, for the
 * usual layer of few symbols and classes (the sort was a twentieth of a
 * 100,000-point map): each (symbol, class) pair present gets the rank of
 * its (radius, class rank) among them, and the marks, taken in catalog
 * order, are counted into their rank's place. 0 when the pairs are too
 * many (a data-driven size) or out of memory: then the marks are sorted. */
#define PAINT_PAIRS_MAX 4096

typedef struct paint_key {
    double radius;
    uint32_t order;
} paint_key;

static int compare_keys(const void *a, const void *b)
{
    const paint_key *p = a, *q = b;
    if (p->radius != q->radius)
        return p->radius > q->radius ? -1 : 1;
    return p->order > q->order ? -1 : p->order < q->order;
}

static int paint_by_counting(const mark *marks, size_t n, const bm_symbol *syms, size_t n_syms,
                             size_t n_classes, uint32_t *at)
{
    size_t n_pairs = n_syms * n_classes, n_keys = 0;
    if (n_classes == 0 || n_pairs > PAINT_PAIRS_MAX)
        return 0;
    size_t *rank = malloc(n_pairs * sizeof *rank), *start = calloc(n_pairs + 1, sizeof *start);
    paint_key *key = malloc(n_pairs * sizeof *key), *sorted = malloc(n_pairs * sizeof *sorted);
    int ok = rank && start && key && sorted;
    for (size_t p = 0; ok && p < n_pairs; p++)
        rank[p] = SIZE_MAX; /* no mark of the pair */
    for (size_t i = 0; ok && i < n; i++) {
        size_t p = (size_t)marks[i].sym * n_classes + marks[i].cls;
        if (rank[p] == SIZE_MAX)
            key[p] = sorted[n_keys++] = (paint_key){syms[marks[i].sym].radius, marks[i].order};
        rank[p] = 0;
    }
    if (ok)
        qsort(sorted, n_keys, sizeof *sorted, compare_keys);
    size_t unique = 0; /* pairs of one radius and class rank paint as one */
    for (size_t k = 0; ok && k < n_keys; k++)
        if (unique == 0 || compare_keys(&sorted[unique - 1], &sorted[k]) != 0)
            sorted[unique++] = sorted[k];
    for (size_t p = 0; ok && p < n_pairs; p++)
        if (rank[p] != SIZE_MAX)
            rank[p] = (size_t)((paint_key *)bsearch(&key[p], sorted, unique, sizeof *sorted,
                                                    compare_keys) - sorted);
    for (size_t i = 0; ok && i < n; i++) /* marks per rank, then where each rank starts */
        start[rank[(size_t)marks[i].sym * n_classes + marks[i].cls] + 1]++;
    for (size_t r = 0; ok && r < unique; r++)
        start[r + 1] += start[r];
    for (size_t i = 0; ok && i < n; i++)
        at[start[rank[(size_t)marks[i].sym * n_classes + marks[i].cls]]++] = (uint32_t)i;
    free(rank);
    free(start);
    free(key);
    free(sorted);
    return ok;
}

static bm_symbol symbol_for(const bm_map *m, const bm_layer *l, bm_feature_ref *ref)
{
    bm_value tmp;
    bm_symbol s = {.shape = BM_SHAPE_CIRCLE, .opacity = 1};
    bm_symbol_shape_parse(bm_prop_eval(&l->icon_image, bm_fset_get, ref, &tmp)->string, &s.shape);
    s.radius = bm_prop_eval(&l->circle_radius, bm_fset_get, ref, &tmp)->number * m->pt;
    s.fill = bm_prop_eval(&l->circle_color, bm_fset_get, ref, &tmp)->color;
    s.stroke = bm_prop_eval(&l->circle_stroke_color, bm_fset_get, ref, &tmp)->color;
    s.stroke_width = bm_prop_eval(&l->circle_stroke_width, bm_fset_get, ref, &tmp)->number * m->pt;
    s.opacity = bm_prop_eval(&l->circle_opacity, bm_fset_get, ref, &tmp)->number;
    return s;
}

/* Offsets of n symbols around their shared place: a ring for a few, a
 * sunflower spiral (golden angle) for many, so none hides another. */
static void displacement(size_t k, size_t n, double r, double *dx, double *dy)
{
    double ring = fmax(2.6 * r, 2.3 * r * (double)n / (2 * M_PI));
    if (n <= 8) {
        double a = -M_PI / 2 + 2 * M_PI * (double)k / (double)n;
        *dx = ring * cos(a), *dy = ring * sin(a);
        return;
    }
    double a = (double)k * 2.39996323, rr = 2.6 * r + 2.1 * r * sqrt((double)k);
    *dx = rr * cos(a), *dy = rr * sin(a);
}

/* A group: the n marks at one place, given by their indices. */
static void leader_lines(frame_state *fs, const mark *marks, const uint32_t *g, size_t n)
{
    cairo_t *cr = fs->cr;
    const mark *at = &marks[g[0]];
    cairo_new_path(cr);
    cairo_set_line_width(cr, 0.6 * fs->m->pt);
    cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.9);
    for (size_t k = 0; k < n; k++) {
        cairo_move_to(cr, at->x, at->y);
        cairo_line_to(cr, at->x + marks[g[k]].dx, at->y + marks[g[k]].dy);
    }
    cairo_stroke(cr);
    cairo_new_sub_path(cr);
    cairo_arc(cr, at->x, at->y, 1.2 * fs->m->pt, 0, 2 * M_PI);
    cairo_fill(cr);
}

/* The most symbols one place spreads: a real catalog puts thousands of
 * events on a city's coordinates, whose spiral would cover the map (and
 * whose leader lines cairo strokes in time growing faster than their
 * number). Bigger groups stay stacked on the place. */
#define SPREAD_MAX 64

/* Several symbols at one place are spread around it with leader lines;
 * each becomes a label obstacle and counts for its class. */
static void arrange_group(frame_state *fs, const bm_layer *l, const bm_fset *s,
                          const bm_symbol *syms, class_table *classes, mark *marks,
                          const uint32_t *g, size_t n)
{
    double rmax = 0, reach = 0;
    int spread = n > 1 && n <= SPREAD_MAX;
    for (size_t k = 0; k < n; k++)
        rmax = fmax(rmax, syms[marks[g[k]].sym].radius);
    for (size_t k = 0; spread && k < n; k++)
        displacement(k, n, rmax, &marks[g[k]].dx, &marks[g[k]].dy);
    if (spread)
        leader_lines(fs, marks, g, n);
    for (size_t k = 0; k < n; k++) {
        const mark *mk = &marks[g[k]];
        double x = mk->x + mk->dx, y = mk->y + mk->dy, r = syms[mk->sym].radius;
        reach = fmax(reach, hypot(mk->dx, mk->dy) + r);
        if (fs->obstacles)
            bm_labels_add_obstacle(fs->m->labels, (bm_box){x - r, y - r, x + r, y + r});
        class_entry *c = &classes->e[mk->cls];
        if (c->count++ == 0) {
            c->symbol = syms[mk->sym];
            classes->met[classes->n_met++] = mk->cls;
        }
    }
    bm_feature_ref first = {s, marks[g[0]].feature};
    if (l->text_field[0])
        request(fs, l, &first, BM_REQ_POINT, marks[g[0]].x, marks[g[0]].y, reach, NULL);
}

/* The layer's classes in the legend, in the order they were met. */
static void legend_classes(bm_map *m, const bm_layer *l, const class_table *classes)
{
    for (size_t i = 0; i < classes->n_met; i++) {
        const class_entry *c = &classes->e[classes->met[i]];
        bm_legend_entry e = {.kind = BM_LEGEND_SYMBOL, .layer = l->index, .order = c->order,
                             .symbol = c->symbol};
        if (l->circle_radius.kind == BM_PROP_INTERPOLATE) /* classes at one size */
            e.symbol.radius = l->circle_radius.values[0].number * m->pt;
        snprintf(e.label, sizeof e.label, "%s", c->label);
        legend_add_n(m, &e, c->count);
    }
}

/* On a raster target with no scaling, each symbol is stamped from a tile
 * drawn once per paint and size, at the nearest whole pixel (at most half
 * a pixel off): a hundred thousand incidents cost milliseconds instead of
 * the seconds of as many fills and strokes. Vector targets get outlines. */
static int can_stamp(cairo_t *cr)
{
    cairo_matrix_t mx;
    cairo_get_matrix(cr, &mx);
    return cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE &&
           mx.xx == 1 && mx.yy == 1 && mx.xy == 0 && mx.yx == 0;
}

static cairo_surface_t *make_stamp(const bm_symbol *sym, int *half)
{
    *half = (int)ceil(1.7 * sym->radius + sym->stroke_width) + 1;
    cairo_surface_t *tile = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 2 * *half + 1,
                                                       2 * *half + 1);
    cairo_t *tc = cairo_create(tile);
    bm_symbol_draw(tc, sym, *half + 0.5, *half + 0.5);
    cairo_destroy(tc);
    return tile;
}

/* Where stamps may be written straight into the page: the box the clip
 * leaves (a single rectangle) within the page; 0 when cairo must draw. */
typedef struct direct_page {
    unsigned char *data;
    int stride;
    double x0, y0, x1, y1;
} direct_page;

static int direct_page_of(cairo_t *cr, direct_page *d)
{
    cairo_surface_t *s = cairo_get_group_target(cr);
    if (s != cairo_get_target(cr) || cairo_get_operator(cr) != CAIRO_OPERATOR_OVER ||
        cairo_image_surface_get_format(s) != CAIRO_FORMAT_ARGB32)
        return 0;
    double ox, oy;
    cairo_surface_get_device_offset(s, &ox, &oy);
    cairo_rectangle_list_t *rl = cairo_copy_clip_rectangle_list(cr);
    int ok = ox == 0 && oy == 0 && rl->status == CAIRO_STATUS_SUCCESS && rl->num_rectangles == 1;
    if (ok) {
        const cairo_rectangle_t *r = &rl->rectangles[0];
        d->x0 = fmax(r->x, 0), d->y0 = fmax(r->y, 0);
        d->x1 = fmin(r->x + r->width, cairo_image_surface_get_width(s));
        d->y1 = fmin(r->y + r->height, cairo_image_surface_get_height(s));
        cairo_surface_flush(s);
        d->data = cairo_image_surface_get_data(s);
        d->stride = cairo_image_surface_get_stride(s);
        ok = d->data != NULL;
    }
    cairo_rectangle_list_destroy(rl);
    return ok;
}

/* d OVER s for premultiplied ARGB, rounded as pixman (and so cairo) does:
 * each channel d * (255 - alpha(s)) / 255 rounded, plus s, saturated. */
static uint32_t over_pixel(uint32_t s, uint32_t d)
{
    uint32_t ia = 255 - (s >> 24);
    if (ia == 0)
        return s;
    /* Two channels at a time (red and blue, then alpha and green). */
    uint32_t rb = (d & 0x00ff00ffu) * ia + 0x00800080u;
    uint32_t ag = ((d >> 8) & 0x00ff00ffu) * ia + 0x00800080u;
    rb = ((rb + ((rb >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
    ag = ((ag + ((ag >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
    rb += s & 0x00ff00ffu;
    ag += (s >> 8) & 0x00ff00ffu;
    rb = (rb | (0x01000100u - ((rb >> 8) & 0x00ff00ffu))) & 0x00ff00ffu;
    ag = (ag | (0x01000100u - ((ag >> 8) & 0x00ff00ffu))) & 0x00ff00ffu;
    return rb | (ag << 8);
}

/* The tile at (x, y), wholly inside the page's clip: composited in place,
 * the same pixels as cairo_fill of the tile (a call of cairo's per stamp
 * was half of drawing 100k points). */
#define STAMP_MAX 256 /* rows of a tile whose spans are kept; bigger ones go to cairo */

/* A tile's pixels and, per row, the columns holding any. */
typedef struct stamp_tile {
    const unsigned char *data;
    int w, h, stride;
    int first[STAMP_MAX], last[STAMP_MAX];
} stamp_tile;

static int stamp_tile_of(cairo_surface_t *tile, stamp_tile *t)
{
    t->w = cairo_image_surface_get_width(tile), t->h = cairo_image_surface_get_height(tile);
    t->stride = cairo_image_surface_get_stride(tile);
    t->data = cairo_image_surface_get_data(tile);
    if (!t->data || t->h > STAMP_MAX)
        return 0;
    for (int r = 0; r < t->h; r++) {
        const uint32_t *row = (const uint32_t *)(const void *)(t->data + (size_t)r * (size_t)t->stride);
        t->first[r] = t->w, t->last[r] = -1;
        for (int c = 0; c < t->w; c++)
            if (row[c]) {
                t->first[r] = c < t->first[r] ? c : t->first[r];
                t->last[r] = c;
            }
    }
    return 1;
}

static void stamp_direct(const direct_page *d, const stamp_tile *t, int x, int y)
{
    for (int r = 0; r < t->h; r++) {
        const uint32_t *src = (const uint32_t *)(const void *)(t->data + (size_t)r * (size_t)t->stride);
        uint32_t *dst = (uint32_t *)(void *)(d->data + (size_t)(y + r) * (size_t)d->stride) + x;
        for (int c = t->first[r]; c <= t->last[r]; c++)
            if (src[c])
                dst[c] = over_pixel(src[c], dst[c]);
    }
}

/* The marks in the order of the indices at. */
static void stamp_marks(cairo_t *cr, const bm_symbol *syms, const mark *marks,
                        const uint32_t *at, size_t n)
{
    direct_page page = {0};
    int direct = direct_page_of(cr, &page);
    cairo_surface_t *target = cairo_get_target(cr);
    for (size_t i = 0, j; i < n; i = j) {
        int half;
        const bm_symbol *sym = &syms[marks[at[i]].sym];
        cairo_surface_t *tile = make_stamp(sym, &half);
        cairo_surface_flush(tile);
        stamp_tile st = {0};
        int tile_ok = direct && stamp_tile_of(tile, &st);
        for (j = i; j < n && same_symbol(sym, &syms[marks[at[j]].sym]); j++) {
            const mark *mk = &marks[at[j]];
            double x = floor(mk->x + mk->dx) - half, y = floor(mk->y + mk->dy) - half;
            double size = 2 * half + 1;
            if (tile_ok && x >= page.x0 && y >= page.y0 && x + size <= page.x1 &&
                y + size <= page.y1) {
                stamp_direct(&page, &st, (int)x, (int)y);
                continue;
            }
            if (direct)
                cairo_surface_mark_dirty(target);
            cairo_set_source_surface(cr, tile, x, y);
            cairo_rectangle(cr, x, y, size, size);
            cairo_fill(cr);
            if (direct)
                cairo_surface_flush(target);
        }
        cairo_surface_destroy(tile);
    }
    if (direct)
        cairo_surface_mark_dirty(target);
}

static void paint_marks(cairo_t *cr, const bm_symbol *syms, const mark *marks,
                        const uint32_t *at, size_t n)
{
    if (can_stamp(cr)) {
        stamp_marks(cr, syms, marks, at, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        bm_symbol_draw(cr, &syms[marks[at[i]].sym], marks[at[i]].x + marks[at[i]].dx,
                       marks[at[i]].y + marks[at[i]].dy);
}

/* A key to proportional symbols: one grey circle per interpolation stop. */
static void size_key(bm_map *m, const bm_layer *l)
{
    const bm_prop *p = &l->circle_radius;
    for (size_t k = 0; k < p->n; k++) {
        bm_legend_entry e = {.kind = BM_LEGEND_SYMBOL, .layer = l->index, .size_key = 1,
                             .order = 1000 + k};
        e.symbol = (bm_symbol){BM_SHAPE_CIRCLE, p->values[k].number * m->pt, {0.6, 0.6, 0.6, 1},
                               {1, 1, 1, 1}, 0.5 * m->pt, 1};
        snprintf(e.label, sizeof e.label, "%g%s %s", p->stops[k], k + 1 == p->n ? " or more" : "",
                 p->field);
        legend_add(m, &e);
    }
}

/* The layer's marks in the frame, in catalog order, each with its symbol
 * and class; 0 when out of memory. */
static int make_marks(frame_state *fs, const bm_layer *l, const bm_fset *s, mark *marks,
                      size_t *n, symbol_table *syms, class_table *classes)
{
    const bm_box f = fs->m->frame;
    *n = 0;
    for (size_t i = 0; i < s->n; i++) {
        bm_feature_ref ref = {s, i};
        double x = s->pt[2 * i], y = s->pt[2 * i + 1];
        if (isnan(x) || x < f.x0 || x > f.x1 || y < f.y0 || y > f.y1 || !visible(l, &ref))
            continue;
        bm_symbol sym = symbol_for(fs->m, l, &ref);
        uint32_t k = symbol_index(syms, &sym), c = class_index(classes, l, &ref);
        if (k == UINT32_MAX || c == UINT32_MAX)
            return 0;
        marks[(*n)++] = (mark){x, y, 0, 0, (uint32_t)i, (uint32_t)classes->e[c].order, k, c};
    }
    return 1;
}

static void draw_circles(frame_state *fs, const bm_layer *l, const bm_fset *s)
{
    /* The marks and their sorting are the peak of a map of many points:
     * what drawing the layers below freed goes back to the system first
     * (malloc keeps it otherwise; 1.2 MB at 100,000 points). */
    malloc_trim(0);
    mark *marks = s->n < UINT32_MAX ? malloc((s->n + 1) * sizeof *marks) : NULL;
    uint32_t *at = marks ? malloc((s->n + 1) * sizeof *at) : NULL;
    symbol_table syms = {0};
    class_table classes = {0};
    classes.n_props = class_props(l, classes.props);
    size_t n = 0;
    if (!at || !make_marks(fs, l, s, marks, &n, &syms, &classes)) {
        bm_draw_failed(fs->m, "out of memory for symbols");
        n = 0;
    }
    for (size_t i = 0; i < n; i++)
        at[i] = (uint32_t)i;
    mark_order order = {marks, syms.sym};
    if (n > 1)
        qsort_r(at, n, sizeof *at, compare_places, &order);
    for (size_t i = 0, j; i < n; i = j) {
        const mark *first = &marks[at[i]];
        for (j = i + 1; j < n && marks[at[j]].x == first->x && marks[at[j]].y == first->y; j++)
            ;
        arrange_group(fs, l, s, syms.sym, &classes, marks, at + i, j - i);
    }
    legend_classes(fs->m, l, &classes);
    if (n > 1 && !paint_by_counting(marks, n, syms.sym, syms.n, classes.n, at))
        qsort_r(at, n, sizeof *at, compare_paint, &order);
    cairo_set_fill_rule(fs->cr, CAIRO_FILL_RULE_WINDING);
    paint_marks(fs->cr, syms.sym, marks, at, n);
    if (n > 0 && l->circle_radius.kind == BM_PROP_INTERPOLATE)
        size_key(fs->m, l);
    free(at);
    free(marks);
    free(syms.sym);
    free(classes.e);
    free(classes.met);
}

/* A kernel density surface of the layer's points (MapLibre's heatmap):
 * radius in points, weight per feature, the ramp over the density. */
static void draw_heatmap(frame_state *fs, const bm_layer *l, const bm_fset *s)
{
    bm_map *m = fs->m;
    bm_heat *heat = bm_heat_create(m->frame, m->pt);
    if (!heat) {
        bm_draw_failed(m, "out of memory for the heatmap");
        return;
    }
    size_t drawn = 0;
    for (size_t i = 0; i < s->n; i++) {
        bm_feature_ref ref = {s, i};
        bm_value tmp;
        double x = s->pt[2 * i], y = s->pt[2 * i + 1];
        if (isnan(x) || !visible(l, &ref))
            continue;
        double w = bm_prop_eval(&l->heatmap_weight, bm_fset_get, &ref, &tmp)->number;
        double r = bm_prop_eval(&l->heatmap_radius, bm_fset_get, &ref, &tmp)->number;
        bm_heat_add(heat, x, y, w * l->heatmap_intensity.fallback.number, r * m->pt);
        drawn++;
    }
    if (drawn && bm_heat_paint(heat, fs->cr, &l->heatmap_color,
                               l->heatmap_opacity.fallback.number))
        bm_draw_failed(m, "cannot make the heatmap's image");
    bm_heat_free(heat);
    if (drawn && l->legend[0]) {
        bm_legend_entry e = {.kind = BM_LEGEND_RAMP, .layer = l->index};
        snprintf(e.label, sizeof e.label, "%s", l->legend);
        legend_add(m, &e);
    }
}

/* How each layer type is drawn. A new type is a name in style.c's
 * layer_types, its paint properties there, a drawer here and a QGIS
 * symbol layer in qgis_style.c. */
typedef void (*layer_drawer)(frame_state *fs, const bm_layer *l, const bm_fset *s);
static const layer_drawer drawers[BM_LAYER_TYPES] = {
    [BM_LAYER_FILL] = draw_fill,
    [BM_LAYER_LINE] = draw_line,
    [BM_LAYER_CIRCLE] = draw_circles,
    [BM_LAYER_SYMBOL] = draw_text_layer,
    [BM_LAYER_FRONTIER] = draw_line,
    [BM_LAYER_HEATMAP] = draw_heatmap,
};

static void draw_layer(frame_state *fs, const bm_layer *l)
{
    cairo_save(fs->cr);
    drawers[l->type](fs, l, fs->m->sets[l->source]);
    cairo_restore(fs->cr);
}

static int compare_legend(const void *a, const void *b)
{
    const bm_legend_entry *p = a, *q = b;
    if (p->layer != q->layer)
        return p->layer > q->layer ? -1 : 1; /* top layers first: the subject leads */
    return p->order < q->order ? -1 : p->order > q->order;
}

/* ---- the whole map ------------------------------------------------------ */

static size_t last_fill_layer(const bm_style *s)
{
    size_t last = 0;
    for (size_t i = 0; i < s->n_layers; i++)
        if (s->layers[i].type == BM_LAYER_FILL)
            last = i + 1;
    return last;
}

static void draw_frame_contents(frame_state *fs)
{
    bm_map *m = fs->m;
    cairo_t *cr = fs->cr;
    const bm_box f = m->frame;
    cairo_save(cr);
    cairo_rectangle(cr, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0);
    cairo_clip(cr);
    set_color(cr, m->page.water, 1);
    cairo_paint(cr);
    size_t grat = last_fill_layer(m->style);
    for (size_t i = 0; i < m->style->n_layers; i++) {
        if (i == grat && m->page.graticule)
            bm_furniture_draw_graticule(m, cr);
        draw_layer(fs, &m->style->layers[i]);
    }
    if (grat == m->style->n_layers && m->page.graticule)
        bm_furniture_draw_graticule(m, cr);
    cairo_restore(cr);
}

/* ---- furniture placed by what it would hide --------------------------- */

/* What a box on the map would hide: every symbol under it outweighs any
 * length of labelled line (frontiers, rivers), whose labels it would
 * crowd out, in px. */
static double hidden_cost(frame_state *fs, bm_box b)
{
    GEOSContextHandle_t geos = fs->m->geos;
    double cost = 1e9 * (double)bm_labels_obstacles_in(fs->m->labels, b);
    GEOSGeometry *rect = GEOSGeom_createRectangle_r(geos, b.x0, b.y0, b.x1, b.y1);
    for (size_t i = 0; rect && i < fs->n_reqs; i++) {
        if (fs->reqs[i].kind != BM_REQ_LINE || !fs->reqs[i].geom)
            continue;
        GEOSGeometry *inside = GEOSIntersection_r(geos, rect, fs->reqs[i].geom);
        double len = 0;
        if (inside && GEOSLength_r(geos, inside, &len))
            cost += len;
        if (inside)
            GEOSGeom_destroy_r(geos, inside);
    }
    if (rect)
        GEOSGeom_destroy_r(geos, rect);
    return cost;
}

/* The corner, of those not taken (a bit per bm_corner), where the item
 * hides least; the style's order breaks ties. */
static bm_corner least_hiding_corner(frame_state *fs, bm_corner *corner,
                                     bm_box (*box)(bm_map *, cairo_t *), unsigned taken)
{
    static const bm_corner order[] = {BM_CORNER_TOP_RIGHT, BM_CORNER_TOP_LEFT,
                                      BM_CORNER_BOTTOM_RIGHT, BM_CORNER_BOTTOM_LEFT};
    bm_corner best = *corner;
    double best_cost = INFINITY;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        if (taken & (1u << order[i]))
            continue;
        *corner = order[i];
        double cost = hidden_cost(fs, box(fs->m, fs->cr));
        if (cost < best_cost)
            best = order[i], best_cost = cost;
    }
    *corner = best;
    return best;
}

static bm_box legend_box(bm_map *m, cairo_t *cr)
{
    return bm_furniture_legend_box(m, cr);
}

static bm_box inset_box(bm_map *m, cairo_t *cr)
{
    (void)cr;
    return bm_furniture_inset_box(m);
}

/* "position": "auto": the legend first (the bigger), then the inset, each
 * in a corner the scale bar and the other do not use. */
static void place_auto_furniture(frame_state *fs)
{
    bm_page *p = &fs->m->page;
    unsigned taken = p->scale_bar ? 1u << p->scale_corner : 0;
    if (p->legend && p->legend_auto)
        taken |= 1u << least_hiding_corner(fs, &p->legend_corner, legend_box, taken);
    else if (p->legend)
        taken |= 1u << p->legend_corner;
    if (p->inset && p->inset_auto)
        least_hiding_corner(fs, &p->inset_corner, inset_box, taken);
}

static void block(bm_map *m, bm_box b)
{
    if (b.x1 > b.x0)
        bm_labels_add_obstacle(m->labels, b);
}

static int needs_obstacles(const bm_map *m)
{
    const bm_page *p = &m->page;
    if ((p->legend && p->legend_auto) || (p->inset && p->inset_auto))
        return 1;
    for (size_t i = 0; i < m->style->n_layers; i++)
        if (m->style->layers[i].text_field[0])
            return 1;
    return 0;
}

/* The status of a finished drawing: the first failure, else cairo's. */
static bm_status draw_status(bm_map *m, cairo_t *cr, bm_error *err)
{
    cairo_status_t cs = cairo_status(cr);
    if (m->draw_failure[0])
        return bm_error_set(err, BM_ERR_RUNTIME, m->style->path, 0, NULL,
                            "cannot draw the map: %s", m->draw_failure);
    if (cs != CAIRO_STATUS_SUCCESS)
        return bm_error_set(err, BM_ERR_RUNTIME, m->style->path, 0, NULL,
                            "cannot draw the map: %s", cairo_status_to_string(cs));
    return BM_OK;
}

bm_status bm_map_draw(bm_map *m, cairo_t *cr, bm_error *err)
{
    bm_labels_free(m->labels);
    m->n_legend = 0;
    m->draw_failure[0] = '\0';
    const bm_box f = m->frame;
    double pad = 2 * m->pt;
    m->labels = bm_labels_create((bm_box){f.x0 + pad, f.y0 + pad, f.x1 - pad, f.y1 - pad});
    if (!m->labels)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    set_color(cr, m->page.background, 1);
    cairo_paint(cr);
    frame_state fs = {m, cr, NULL, 0, 0, needs_obstacles(m)};
    draw_frame_contents(&fs);
    if (m->n_legend > 1)
        qsort(m->legend, m->n_legend, sizeof *m->legend, compare_legend);
    memset(m->boxes, 0, sizeof m->boxes);
    place_auto_furniture(&fs);
    if (m->page.legend)
        m->boxes[BM_FURNITURE_LEGEND] = bm_furniture_legend_box(m, cr);
    if (m->page.inset)
        m->boxes[BM_FURNITURE_INSET] = bm_furniture_inset_box(m);
    if (m->page.scale_bar)
        m->boxes[BM_FURNITURE_SCALE] = bm_furniture_scale_box(m, cr);
    for (int i = 0; i < BM_FURNITURES; i++)
        block(m, m->boxes[i]);
    bm_placement_run(m, fs.reqs, fs.n_reqs);
    bm_labels_draw(m->labels, cr, m->text_out);
    if (m->page.inset)
        bm_furniture_draw_inset(m, cr);
    if (m->page.scale_bar)
        bm_furniture_draw_scale(m, cr);
    if (m->page.north_arrow)
        bm_furniture_draw_north(m, cr);
    if (m->page.legend)
        bm_furniture_draw_legend(m, cr);
    cairo_set_source_rgba(cr, m->page.frame.r, m->page.frame.g, m->page.frame.b, 1);
    cairo_set_line_width(cr, 0.8 * m->pt);
    cairo_rectangle(cr, f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0);
    cairo_stroke(cr);
    if (m->page.graticule)
        bm_furniture_draw_graticule_labels(m, cr);
    bm_furniture_draw_titles(m, cr);
    return draw_status(m, cr, err);
}
