/*
 * labels.c — collision-avoiding label placement and halo text drawing.
 *
 * Collision tests go through a uniform grid of box indices, so a map with
 * a hundred thousand symbols as obstacles still places labels in
 * milliseconds. Text is measured once with a pango context whose metrics
 * are unhinted, so the layout does not depend on the output surface and
 * PNG, SVG and PDF of one map place every label identically.
 */
#include "labels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#define CELL_PX 48.0
#define OBSTACLE SIZE_MAX
#define MAX_BEND 0.14  /* radians between neighbouring glyphs of a line label */
#define MAX_SLOPE 1.35 /* radians from horizontal: steeper text is hard to read */

typedef struct cell {
    size_t *idx;
    size_t n, cap;
} cell;

typedef struct placed {
    bm_text_style st;
    char *rows[2];
    int on_line;
    double x, y;        /* box labels: top-left */
    double *xy;         /* line labels: the polyline, already upright */
    size_t n;
    double at;          /* distance along it of the label's centre */
} placed;

struct bm_labels {
    bm_box area;
    PangoContext *ctx;
    int gw, gh;
    cell *cells;
    bm_box *boxes;
    size_t *owner;
    size_t n_boxes, cap_boxes;
    placed *labels;
    size_t n_labels, cap_labels;
};

int bm_box_intersects(bm_box a, bm_box b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static PangoContext *make_context(void)
{
    PangoContext *ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    /* 72 dpi: a font size in pango points is a size in user-space px. */
    pango_cairo_context_set_resolution(ctx, 72);
    return ctx;
}

bm_labels *bm_labels_create(bm_box area)
{
    bm_labels *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->area = area;
    l->gw = (int)ceil((area.x1 - area.x0) / CELL_PX) + 1;
    l->gh = (int)ceil((area.y1 - area.y0) / CELL_PX) + 1;
    l->cells = calloc((size_t)l->gw * (size_t)l->gh, sizeof *l->cells);
    /* The pango context is made for the first label: a map without text
     * never starts fontconfig (its configuration and cache, a thread and
     * some 5 MB). */
    if (!l->cells) {
        bm_labels_free(l);
        return NULL;
    }
    return l;
}

void bm_labels_free(bm_labels *l)
{
    if (!l)
        return;
    for (size_t i = 0; l->cells && i < (size_t)l->gw * (size_t)l->gh; i++)
        free(l->cells[i].idx);
    for (size_t i = 0; i < l->n_labels; i++) {
        free(l->labels[i].rows[0]);
        free(l->labels[i].rows[1]);
        free(l->labels[i].xy);
    }
    if (l->ctx)
        g_object_unref(l->ctx);
    free(l->cells);
    free(l->boxes);
    free(l->owner);
    free(l->labels);
    free(l);
}

/* ---- the grid ----------------------------------------------------------- */

static void cell_range(const bm_labels *l, bm_box b, int r[4])
{
    r[0] = (int)floor((b.x0 - l->area.x0) / CELL_PX), r[1] = (int)floor((b.y0 - l->area.y0) / CELL_PX);
    r[2] = (int)floor((b.x1 - l->area.x0) / CELL_PX), r[3] = (int)floor((b.y1 - l->area.y0) / CELL_PX);
    r[0] = r[0] < 0 ? 0 : r[0], r[1] = r[1] < 0 ? 0 : r[1];
    r[2] = r[2] >= l->gw ? l->gw - 1 : r[2], r[3] = r[3] >= l->gh ? l->gh - 1 : r[3];
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static void add_box(bm_labels *l, bm_box b, size_t owner)
{
    size_t cap = l->cap_boxes;
    if (grow((void **)&l->boxes, &l->cap_boxes, l->n_boxes + 1, sizeof *l->boxes) ||
        grow((void **)&l->owner, &cap, l->n_boxes + 1, sizeof *l->owner))
        return;
    size_t id = l->n_boxes++;
    l->boxes[id] = b;
    l->owner[id] = owner;
    int r[4];
    cell_range(l, b, r);
    for (int gy = r[1]; gy <= r[3]; gy++)
        for (int gx = r[0]; gx <= r[2]; gx++) {
            cell *c = &l->cells[(size_t)gy * (size_t)l->gw + (size_t)gx];
            if (grow((void **)&c->idx, &c->cap, c->n + 1, sizeof *c->idx) == 0)
                c->idx[c->n++] = id;
        }
}

void bm_labels_add_obstacle(bm_labels *l, bm_box box)
{
    add_box(l, box, OBSTACLE);
}

size_t bm_labels_obstacles_in(const bm_labels *l, bm_box box)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_boxes; i++)
        n += l->owner[i] == OBSTACLE && bm_box_intersects(l->boxes[i], box);
    return n;
}

static int box_free(const bm_labels *l, bm_box b)
{
    if (b.x0 < l->area.x0 || b.y0 < l->area.y0 || b.x1 > l->area.x1 || b.y1 > l->area.y1)
        return 0;
    int r[4];
    cell_range(l, b, r);
    for (int gy = r[1]; gy <= r[3]; gy++)
        for (int gx = r[0]; gx <= r[2]; gx++) {
            const cell *c = &l->cells[(size_t)gy * (size_t)l->gw + (size_t)gx];
            for (size_t i = 0; i < c->n; i++)
                if (bm_box_intersects(b, l->boxes[c->idx[i]]))
                    return 0;
        }
    return 1;
}

static int boxes_free(const bm_labels *l, const bm_box *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!box_free(l, b[i]))
            return 0;
    return 1;
}

static placed *add_label(bm_labels *l, const bm_text_style *st, const char *a, const char *b)
{
    if (grow((void **)&l->labels, &l->cap_labels, l->n_labels + 1, sizeof *l->labels))
        return NULL;
    placed *p = &l->labels[l->n_labels++];
    memset(p, 0, sizeof *p);
    p->st = *st;
    p->rows[0] = strdup(a ? a : "");
    p->rows[1] = strdup(b ? b : "");
    return p;
}

/* ---- text --------------------------------------------------------------- */

static PangoLayout *make_layout(bm_labels *l, const bm_text_style *st, const char *text)
{
    if (!l->ctx)
        l->ctx = make_context();
    PangoLayout *lay = pango_layout_new(l->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, st->font);
    pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
    if (st->letter_spacing != 0) {
        PangoAttrList *attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(
                                          (int)(st->letter_spacing * st->size * PANGO_SCALE)));
        pango_layout_set_attributes(lay, attrs);
        pango_attr_list_unref(attrs);
    }
    char *upper = st->uppercase ? g_utf8_strup(text, -1) : NULL;
    pango_layout_set_text(lay, upper ? upper : text, -1);
    g_free(upper);
    return lay;
}

static void layout_size(PangoLayout *lay, double *w, double *h)
{
    PangoRectangle ink, logical;
    pango_layout_get_extents(lay, &ink, &logical);
    *w = logical.width / (double)PANGO_SCALE;
    *h = logical.height / (double)PANGO_SCALE;
}

void bm_labels_measure(bm_labels *l, const bm_text_style *st, const char *text, double *w,
                       double *h)
{
    PangoLayout *lay = make_layout(l, st, text);
    layout_size(lay, w, h);
    g_object_unref(lay);
}

/* ---- box and point labels ----------------------------------------------- */

int bm_labels_place_box(bm_labels *l, const bm_text_style *st, const char *text, double x,
                        double y)
{
    double w, h;
    bm_labels_measure(l, st, text, &w, &h);
    bm_box b = {x, y, x + w, y + h};
    if (!box_free(l, b))
        return 0;
    placed *p = add_label(l, st, text, NULL);
    if (!p)
        return 0;
    p->x = x, p->y = y;
    add_box(l, b, l->n_labels - 1);
    return 1;
}

/* The box of a w x h label at candidate position i around a symbol. */
static bm_box candidate(int i, const bm_text_style *st, double x, double y, double r, double w,
                        double h)
{
    /* Upper right, lower right, upper left, lower left, right, left, above,
     * below: the usual order of preference for point labels. */
    static const double pos[8][2] = {{1, -1}, {1, 1}, {-1, -1}, {-1, 1},
                                     {1, 0},  {-1, 0}, {0, -1}, {0, 1}};
    double dx = pos[i][0], dy = pos[i][1];
    double gap = r + 0.15 * st->size, diag = fmax(gap * 0.75, r + 1);
    double ox = dx * (dy != 0 ? diag : gap), oy = dy * (dx != 0 ? diag : gap);
    double bx = dx > 0 ? x + ox : dx < 0 ? x + ox - w : x - w / 2;
    /* Beside the symbol the text's x-height, not its box, is centred. */
    double by = dy > 0 ? y + oy - 0.15 * h : dy < 0 ? y + oy - h * 0.85 : y - h / 2;
    return (bm_box){bx, by, bx + w, by + h};
}

/* Whether a label with the same text (ignoring case) is already placed
 * within `radius` px: "Kant air base" beside "Kant Air Base" says nothing
 * twice. */
static int repeats_nearby(const bm_labels *l, const char *text, double x, double y,
                          double radius)
{
    char *key = g_utf8_casefold(text, -1);
    int found = 0;
    for (size_t i = 0; i < l->n_labels && !found; i++) {
        const placed *p = &l->labels[i];
        if (p->on_line || hypot(p->x - x, p->y - y) > radius)
            continue;
        char *other = g_utf8_casefold(p->rows[0], -1);
        found = strcmp(key, other) == 0;
        g_free(other);
    }
    g_free(key);
    return found;
}

int bm_labels_place_point(bm_labels *l, const bm_text_style *st, const char *text, double x,
                          double y, double r)
{
    /* Shaping text is the costly part: where not even a one-character box
     * fits at any position (dense symbols), give up before measuring. */
    int any = 0;
    for (int i = 0; i < 8 && !any; i++)
        any = box_free(l, candidate(i, st, x, y, r, st->size, st->size));
    if (!any || repeats_nearby(l, text, x, y, 6 * st->size))
        return 0;
    double w, h;
    bm_labels_measure(l, st, text, &w, &h);
    for (int i = 0; i < 8; i++) {
        bm_box b = candidate(i, st, x, y, r, w, h);
        if (!box_free(l, b))
            continue;
        placed *p = add_label(l, st, text, NULL);
        if (!p)
            return 0;
        p->x = b.x0, p->y = b.y0;
        add_box(l, b, l->n_labels - 1);
        return 1;
    }
    return 0;
}

/* ---- line labels -------------------------------------------------------- */

typedef struct polyline {
    const double *xy;
    size_t n;
    double *cum;
} polyline;

static int polyline_init(polyline *pl, const double *xy, size_t n)
{
    pl->xy = xy, pl->n = n;
    pl->cum = malloc(n * sizeof *pl->cum);
    if (!pl->cum)
        return -1;
    pl->cum[0] = 0;
    for (size_t i = 1; i < n; i++)
        pl->cum[i] = pl->cum[i - 1] + hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    return 0;
}

static void polyline_point(const polyline *pl, double d, double *x, double *y)
{
    size_t lo = 0, hi = pl->n - 1;
    d = d < 0 ? 0 : d > pl->cum[pl->n - 1] ? pl->cum[pl->n - 1] : d;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (pl->cum[mid] <= d)
            lo = mid;
        else
            hi = mid;
    }
    double seg = pl->cum[hi] - pl->cum[lo], t = seg > 0 ? (d - pl->cum[lo]) / seg : 0;
    *x = pl->xy[2 * lo] + t * (pl->xy[2 * hi] - pl->xy[2 * lo]);
    *y = pl->xy[2 * lo + 1] + t * (pl->xy[2 * hi + 1] - pl->xy[2 * lo + 1]);
}

/* The direction of the chord across [d - span, d + span]: steadier than
 * the local segment on detailed boundaries. */
static double polyline_angle(const polyline *pl, double d, double span)
{
    double x0, y0, x1, y1;
    polyline_point(pl, d - span, &x0, &y0);
    polyline_point(pl, d + span, &x1, &y1);
    return atan2(y1 - y0, x1 - x0);
}

typedef struct glyph_visit {
    PangoFont *font;
    PangoGlyphInfo *glyph;
    const char *text;   /* the characters the glyph shows */
    size_t len;
    double x, w;        /* left edge and advance in the layout */
    double x_on_line, y_on_line, angle;
} glyph_visit;

typedef void (*glyph_fn)(const glyph_visit *g, double top, double h, double baseline, void *ctx);

/* The bytes of text glyph i of a run shows: its whole cluster on the
 * cluster's first glyph, none on the others (a base and its marks). */
static size_t cluster_text(const PangoLayoutRun *run, int i, const char *text,
                           const char **start)
{
    const int *lc = run->glyphs->log_clusters;
    int end = run->item->length;
    *start = text + run->item->offset + lc[i];
    for (int j = 0; j < run->glyphs->num_glyphs; j++) {
        if (j < i && lc[j] == lc[i])
            return 0;
        if (lc[j] > lc[i] && lc[j] < end)
            end = lc[j];
    }
    return (size_t)(end - lc[i]);
}

/* Walks the glyphs of a one-line layout laid along pl, centred at `at`,
 * with the layout's top `top` px from the line (negative: above). */
static int walk_glyphs(PangoLayout *lay, const polyline *pl, double at, double top,
                       glyph_fn fn, void *ctx)
{
    double w, h, prev = NAN;
    int ok = 1;
    layout_size(lay, &w, &h);
    double baseline = pango_layout_get_baseline(lay) / (double)PANGO_SCALE;
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(it, NULL, &logical);
        double x = logical.x / (double)PANGO_SCALE;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            glyph_visit g = {run->item->analysis.font, &run->glyphs->glyphs[i], NULL, 0, x,
                             run->glyphs->glyphs[i].geometry.width / (double)PANGO_SCALE, 0, 0, 0};
            g.len = cluster_text(run, i, pango_layout_get_text(lay), &g.text);
            double d = at - w / 2 + x + g.w / 2;
            g.angle = polyline_angle(pl, d, 0.6 * h);
            polyline_point(pl, d, &g.x_on_line, &g.y_on_line);
            double turn = fabs(remainder(g.angle - prev, 2 * M_PI));
            ok &= (isnan(prev) || turn < MAX_BEND) && fabs(g.angle) < MAX_SLOPE;
            prev = g.angle;
            fn(&g, top, h, baseline, ctx);
            x += g.w;
        }
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    return ok;
}

typedef struct box_list {
    bm_box *b;
    size_t n, cap;
} box_list;

static void glyph_box(const glyph_visit *g, double top, double h, double baseline, void *ctx)
{
    (void)baseline;
    box_list *bl = ctx;
    double c = cos(g->angle), s = sin(g->angle);
    double xs[4] = {-g->w / 2, g->w / 2, g->w / 2, -g->w / 2}, ys[4] = {top, top, top + h, top + h};
    bm_box b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (int k = 0; k < 4; k++) {
        double x = g->x_on_line + xs[k] * c - ys[k] * s, y = g->y_on_line + xs[k] * s + ys[k] * c;
        b.x0 = fmin(b.x0, x), b.x1 = fmax(b.x1, x), b.y0 = fmin(b.y0, y), b.y1 = fmax(b.y1, y);
    }
    if (grow((void **)&bl->b, &bl->cap, bl->n + 1, sizeof *bl->b) == 0)
        bl->b[bl->n++] = b;
}

/* Offset of each row's top from the line: above sits on it, below hangs. */
static double row_top(int row, double h, double gap)
{
    return row == 0 ? -gap - h : gap;
}

static int line_boxes(bm_labels *l, PangoLayout *lays[2], const polyline *pl, double at,
                      double gap, box_list *bl)
{
    int ok = 1;
    for (int r = 0; r < 2; r++) {
        double w, h;
        if (!lays[r])
            continue;
        layout_size(lays[r], &w, &h);
        ok &= walk_glyphs(lays[r], pl, at, row_top(r, h, gap), glyph_box, bl);
    }
    return ok && boxes_free(l, bl->b, bl->n);
}

static double *reversed(const double *xy, size_t n)
{
    double *r = malloc(2 * n * sizeof *r);
    for (size_t i = 0; r && i < n; i++) {
        r[2 * i] = xy[2 * (n - 1 - i)];
        r[2 * i + 1] = xy[2 * (n - 1 - i) + 1];
    }
    return r;
}

static double line_gap(const bm_text_style *st)
{
    return 0.35 * st->size + st->halo_width;
}

/* Tries centres from the middle of the line outwards; returns the chosen
 * distance along pl, or -1. */
static double find_spot(bm_labels *l, PangoLayout *lays[2], const polyline *pl, double width,
                        const bm_text_style *st, box_list *bl)
{
    double len = pl->cum[pl->n - 1];
    static const double offsets[] = {0, 0.1, -0.1, 0.2, -0.2, 0.3, -0.3, 0.4, -0.4};
    for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
        double at = len * (0.5 + offsets[i]);
        if (at - width / 2 < 0 || at + width / 2 > len)
            continue;
        /* Upright: text runs left to right where it sits. */
        double x0, y0, x1, y1;
        polyline_point(pl, at - width / 2, &x0, &y0);
        polyline_point(pl, at + width / 2, &x1, &y1);
        if (x1 < x0)
            continue;
        bl->n = 0;
        if (line_boxes(l, lays, pl, at, line_gap(st), bl))
            return at;
    }
    return -1;
}

static int commit_line(bm_labels *l, const bm_text_style *st, const char *above,
                       const char *below, const double *xy, size_t n, double at,
                       const box_list *bl)
{
    placed *p = add_label(l, st, above, below);
    if (!p)
        return 0;
    p->on_line = 1;
    p->xy = malloc(2 * n * sizeof *p->xy);
    if (!p->xy) {
        l->n_labels--;
        free(p->rows[0]);
        free(p->rows[1]);
        return 0;
    }
    memcpy(p->xy, xy, 2 * n * sizeof *xy);
    p->n = n, p->at = at;
    for (size_t i = 0; i < bl->n; i++)
        add_box(l, bl->b[i], l->n_labels - 1);
    return 1;
}

int bm_labels_place_line(bm_labels *l, const bm_text_style *st, const char *above,
                         const char *below, const double *xy, size_t n)
{
    PangoLayout *lays[2] = {above && *above ? make_layout(l, st, above) : NULL,
                            below && *below ? make_layout(l, st, below) : NULL};
    double width = 0, w, h;
    for (int r = 0; r < 2; r++)
        if (lays[r]) {
            layout_size(lays[r], &w, &h);
            width = fmax(width, w);
        }
    int done = 0;
    box_list bl = {0};
    for (int pass = 0; n >= 2 && width > 0 && pass < 2 && !done; pass++) {
        double *path = pass ? reversed(xy, n) : NULL;
        polyline pl;
        if ((pass && !path) || polyline_init(&pl, path ? path : xy, n)) {
            free(path);
            break;
        }
        double at = find_spot(l, lays, &pl, width, st, &bl);
        if (at >= 0)
            done = commit_line(l, st, above, below, pl.xy, n, at, &bl);
        free(pl.cum);
        free(path);
    }
    free(bl.b);
    for (int r = 0; r < 2; r++)
        if (lays[r])
            g_object_unref(lays[r]);
    return done;
}

/* ---- drawing ------------------------------------------------------------ */

typedef struct draw_ctx {
    cairo_t *cr;
    int halo;
    const bm_text_out *text; /* set: text goes there instead of glyphs */
    PangoLayout *lay;
    bm_text_paint paint;
} draw_ctx;

/* What a text output gets for a label: its halo or its text. */
static bm_text_paint label_paint(const bm_text_style *st, int halo)
{
    return halo ? (bm_text_paint){st->halo, st->halo_width} : (bm_text_paint){st->color, 0};
}

static void show_glyph(const draw_ctx *dc, const glyph_visit *g)
{
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_glyph_string_set_size(gs, 1);
    gs->glyphs[0] = *g->glyph;
    gs->log_clusters[0] = 0;
    if (dc->halo)
        pango_cairo_glyph_string_path(dc->cr, g->font, gs);
    else
        pango_cairo_show_glyph_string(dc->cr, g->font, gs);
    pango_glyph_string_free(gs);
}

static void draw_glyph(const glyph_visit *g, double top, double h, double baseline, void *ctx)
{
    (void)h;
    draw_ctx *dc = ctx;
    cairo_save(dc->cr);
    cairo_translate(dc->cr, g->x_on_line, g->y_on_line);
    cairo_rotate(dc->cr, g->angle);
    cairo_move_to(dc->cr, -g->w / 2, top + baseline);
    if (!dc->text)
        show_glyph(dc, g);
    else if (g->len)
        /* Where pango_cairo_show_glyph_string puts the glyph: offsets included. */
        dc->text->run(dc->text->sink, dc->cr, dc->lay, g->text, g->len,
                      -g->w / 2 + g->glyph->geometry.x_offset / (double)PANGO_SCALE,
                      top + baseline + g->glyph->geometry.y_offset / (double)PANGO_SCALE,
                      dc->paint);
    cairo_restore(dc->cr);
}

static void set_halo(cairo_t *cr, const bm_text_style *st)
{
    cairo_set_line_width(cr, 2 * st->halo_width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_source_rgba(cr, st->halo.r, st->halo.g, st->halo.b, st->halo.a);
}

static void draw_line_label(bm_labels *l, cairo_t *cr, const placed *p, int halo,
                            const bm_text_out *text)
{
    polyline pl;
    if (polyline_init(&pl, p->xy, p->n))
        return;
    draw_ctx dc = {cr, halo, text, NULL, label_paint(&p->st, halo)};
    for (int r = 0; r < 2; r++) {
        if (!p->rows[r][0])
            continue;
        PangoLayout *lay = make_layout(l, &p->st, p->rows[r]);
        double w, h;
        layout_size(lay, &w, &h);
        cairo_new_path(cr);
        dc.lay = lay;
        walk_glyphs(lay, &pl, p->at, row_top(r, h, line_gap(&p->st)), draw_glyph, &dc);
        if (halo && !text) {
            set_halo(cr, &p->st);
            cairo_stroke(cr);
        }
        g_object_unref(lay);
    }
    free(pl.cum);
}

static void draw_box_label(bm_labels *l, cairo_t *cr, const placed *p, int halo,
                           const bm_text_out *text)
{
    PangoLayout *lay = make_layout(l, &p->st, p->rows[0]);
    cairo_new_path(cr);
    cairo_move_to(cr, p->x, p->y);
    if (text) {
        text->layout(text->sink, cr, lay, p->x, p->y, label_paint(&p->st, halo));
    } else if (halo) {
        pango_cairo_layout_path(cr, lay);
        set_halo(cr, &p->st);
        cairo_stroke(cr);
    } else {
        pango_cairo_show_layout(cr, lay);
    }
    g_object_unref(lay);
}

void bm_labels_draw(bm_labels *l, cairo_t *cr, const bm_text_out *text)
{
    for (int halo = 1; halo >= 0; halo--)
        for (size_t i = 0; i < l->n_labels; i++) {
            const placed *p = &l->labels[i];
            if (halo && !(p->st.halo_width > 0))
                continue;
            cairo_save(cr);
            if (!halo)
                cairo_set_source_rgba(cr, p->st.color.r, p->st.color.g, p->st.color.b,
                                      p->st.color.a);
            if (p->on_line)
                draw_line_label(l, cr, p, halo, text);
            else
                draw_box_label(l, cr, p, halo, text);
            cairo_restore(cr);
        }
}

/* ---- inspection --------------------------------------------------------- */

size_t bm_labels_count(const bm_labels *l)
{
    return l->n_labels;
}

size_t bm_labels_box_count(const bm_labels *l)
{
    return l->n_boxes;
}

bm_box bm_labels_box(const bm_labels *l, size_t i, size_t *label)
{
    if (label)
        *label = l->owner[i];
    return l->boxes[i];
}

const char *bm_labels_text(const bm_labels *l, size_t label)
{
    return l->labels[label].rows[0];
}

const char *bm_labels_text_below(const bm_labels *l, size_t label)
{
    return l->labels[label].rows[1];
}
