/*
 * qgis_style.c — writing QML and SLD documents for one data layer.
 *
 * The QML is the subset QGIS 3.22 writes itself (symbol layers as
 * <prop k v> pairs, which later versions still read); whatever is left
 * out takes QGIS's defaults. libxml2's text writer makes the documents and
 * escapes them; QGIS expressions and filters are built as text first.
 */
#include "qgis_style.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

/* ---- text buffer, for expressions --------------------------------------- */

typedef struct buf {
    char *s;
    size_t n, cap;
    int failed;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->failed || len < 0)
        return;
    if (b->n + (size_t)len + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 256) + (size_t)len;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = 1;
            return;
        }
        b->s = s, b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}


/* ---- cases: one value per match field ------------------------------------ */

#define MAX_CASE_FIELDS 4

typedef struct keys {
    const char **items;
    size_t n, cap;
    int failed;
} keys;

static void add_key(keys *k, const char *key)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->items[i], key) == 0)
            return;
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 8;
        const char **grown = realloc(k->items, cap * sizeof *grown);
        if (!grown) {
            k->failed = 1;
            return;
        }
        k->items = grown, k->cap = cap;
    }
    k->items[k->n++] = key;
}

/* The match fields of a draw layer, their keys (first seen first) and how
 * many cases they make: every combination of a key or the fallback. */
typedef struct layer_cases {
    size_t n_fields, count;
    const char *field[MAX_CASE_FIELDS];
    keys keys[MAX_CASE_FIELDS];
} layer_cases;

/* One case: the value of each match field, NULL for the fallback. */
typedef struct style_case {
    const layer_cases *lc;
    const char *value[MAX_CASE_FIELDS];
} style_case;

static const char *case_get(const char *field, void *feature)
{
    const style_case *c = feature;
    for (size_t i = 0; c->lc && i < c->lc->n_fields; i++)
        if (strcmp(c->lc->field[i], field) == 0)
            return c->value[i];
    return NULL; /* a missing value: a match's fallback, an interpolation's first stop */
}

static const bm_value *eval(const bm_prop *p, const style_case *c, bm_value *tmp)
{
    return bm_prop_eval(p, case_get, (void *)c, tmp);
}

/* The paint and layout properties a draw layer's symbol uses. */
static size_t symbol_props(const bm_layer *l, const bm_prop **out)
{
    size_t n = 0;
    if (l->type == BM_LAYER_CIRCLE) {
        out[n++] = &l->circle_color;
        out[n++] = &l->icon_image;
        out[n++] = &l->circle_radius;
        out[n++] = &l->circle_opacity;
        out[n++] = &l->circle_stroke_color;
        out[n++] = &l->circle_stroke_width;
    } else if (l->type == BM_LAYER_FILL) {
        out[n++] = &l->fill_color;
        out[n++] = &l->fill_opacity;
    } else {
        out[n++] = &l->line_color;
        out[n++] = &l->line_width;
        out[n++] = &l->line_opacity;
    }
    return n;
}

static size_t field_slot(layer_cases *lc, const char *field)
{
    size_t i = 0;
    while (i < lc->n_fields && strcmp(lc->field[i], field) != 0)
        i++;
    if (i == lc->n_fields && i < MAX_CASE_FIELDS)
        lc->field[lc->n_fields++] = field;
    return i;
}

/* 0, or -1 when out of memory. Fields past MAX_CASE_FIELDS take their
 * fallback. */
static int cases_init(const bm_layer *d, layer_cases *lc)
{
    const bm_prop *props[6];
    int failed = 0;
    *lc = (layer_cases){.count = 1};
    for (size_t k = 0, n = symbol_props(d, props); k < n; k++) {
        if (props[k]->kind != BM_PROP_MATCH)
            continue;
        size_t slot = field_slot(lc, props[k]->field);
        for (size_t j = 0; slot < MAX_CASE_FIELDS && j < props[k]->n; j++)
            add_key(&lc->keys[slot], props[k]->keys[j]);
    }
    for (size_t i = 0; i < lc->n_fields; i++) {
        lc->count *= lc->keys[i].n + 1;
        failed |= lc->keys[i].failed;
    }
    return failed ? -1 : 0;
}

static void cases_free(layer_cases *lc)
{
    for (size_t i = 0; i < lc->n_fields; i++)
        free(lc->keys[i].items);
}

/* Case number index, counting in mixed radix (keys + fallback per field). */
static style_case case_at(const layer_cases *lc, size_t index)
{
    style_case c = {.lc = lc};
    for (size_t i = lc->n_fields; i-- > 0;) {
        size_t radix = lc->keys[i].n + 1, digit = index % radix;
        c.value[i] = digit < lc->keys[i].n ? lc->keys[i].items[digit] : NULL;
        index /= radix;
    }
    return c;
}

/* ---- QGIS expressions ----------------------------------------------------- */

/* A field reference: the name double-quoted, a quote in it doubled (QGIS
 * reads no other escape there: "a\\" is the field a\\). Field names come
 * from the style's templates and filters, checked against the source's
 * fields on load, so a template's {env('HOME')} is refused there, and a
 * catalog column of that name stays a field name here. */
static void put_field(buf *b, const char *field)
{
    put(b, "\"");
    for (const char *p = field; *p; p++)
        put(b, *p == '"' ? "\"\"" : "%c", *p);
    put(b, "\"");
}

static void put_string(buf *b, const char *s, size_t len)
{
    put(b, "'");
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'')
            put(b, "''");
        else if (s[i] == '\n')
            put(b, "\\n");
        else if (s[i] == '\\')
            put(b, "\\\\");
        else
            put(b, "%c", s[i]);
    }
    put(b, "'");
}

static int is_number(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    double v = strtod(s, &end);
    return *end == '\0' && isfinite(v);
}

/* A filter value: a number where it reads as one, since bordermap compares
 * numbers numerically, and so does QGIS when either side is a number. */
static void put_value(buf *b, const char *v)
{
    if (is_number(v))
        put(b, "%s", v);
    else
        put_string(b, v, strlen(v));
}

static int has_empty(const char (*values)[BM_STYLE_NAME], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!values[i][0])
            return 1;
    return 0;
}

/* Whether field is among values. bordermap reads a missing value as "",
 * QGIS as NULL: the two agree through coalesce() where "" is a value, and
 * NULL is added explicitly to a negation (NULL <> 3 is not true in QGIS). */
static void put_membership(buf *b, const char *field, const char (*values)[BM_STYLE_NAME],
                           size_t n, int negate)
{
    int empty = has_empty(values, n);
    if (negate && !empty) {
        put(b, "(");
        put_field(b, field);
        put(b, " IS NULL OR ");
    }
    if (empty) {
        put(b, "coalesce(");
        put_field(b, field);
        put(b, ", '')");
    } else {
        put_field(b, field);
    }
    if (n == 1) {
        put(b, negate ? " <> " : " = ");
        put_value(b, values[0]);
    } else {
        put(b, negate ? " NOT IN (" : " IN (");
        for (size_t i = 0; i < n; i++) {
            put(b, "%s", i ? ", " : "");
            put_value(b, values[i]);
        }
        put(b, ")");
    }
    if (negate && !empty)
        put(b, ")");
}

static void put_filter(buf *b, const bm_style_filter *f)
{
    if (f->op == BM_STYLE_FILTER_ALL || f->op == BM_STYLE_FILTER_ANY) {
        if (f->n == 0) {
            put(b, f->op == BM_STYLE_FILTER_ALL ? "TRUE" : "FALSE");
            return;
        }
        put(b, "(");
        for (size_t i = 0; i < f->n; i++) {
            put(b, "%s", i ? (f->op == BM_STYLE_FILTER_ALL ? " AND " : " OR ") : "");
            put_filter(b, &f->children[i]);
        }
        put(b, ")");
        return;
    }
    const char *comparison = bm_style_filter_comparison(f->op);
    if (comparison) {
        /* QGIS compares as numbers when both sides read as numbers; NULL
         * compares false, as in bordermap. */
        put_field(b, f->field);
        put(b, " %s %s", comparison, f->values[0]);
        return;
    }
    put_membership(b, f->field, (const char (*)[BM_STYLE_NAME])f->values, f->n,
                   f->op == BM_STYLE_FILTER_NE);
}

/* A match key compares as text, as bm_prop_eval does. */
static void put_key_condition(buf *b, const char *field, const keys *k, const char *value)
{
    if (value) {
        put_field(b, field);
        put(b, " = ");
        put_string(b, value, strlen(value));
        return;
    }
    put(b, "(");
    put_field(b, field);
    put(b, " IS NULL OR ");
    put_field(b, field);
    put(b, " NOT IN (");
    for (size_t i = 0; i < k->n; i++) {
        put(b, "%s", i ? ", " : "");
        put_string(b, k->items[i], strlen(k->items[i]));
    }
    put(b, "))");
}

/* The features a draw layer draws in case c: its filter AND the keys. */
static void put_case_filter(buf *b, const bm_layer *d, const style_case *c)
{
    int first = 1;
    if (d->filter) {
        put_filter(b, d->filter);
        first = 0;
    }
    for (size_t i = 0; i < c->lc->n_fields; i++) {
        put(b, "%s", first ? "" : " AND ");
        put_key_condition(b, c->lc->field[i], &c->lc->keys[i], c->value[i]);
        first = 0;
    }
}

/* ["interpolate", ["linear"], ["get", F], x0, y0, ...] times scale: linear
 * between stops, the end values beyond them and y0 where F is missing. */
static void put_interpolation(buf *b, const bm_prop *p, double scale)
{
    put(b, "CASE");
    for (size_t i = 1; i < p->n; i++) {
        buf x = {0};
        if (i == 1) {
            put(&x, "coalesce(");
            put_field(&x, p->field);
            put(&x, ", %.10g)", p->stops[0]);
        } else {
            put_field(&x, p->field);
        }
        put(b, " WHEN %s <= %.10g THEN scale_linear(%s, %.10g, %.10g, %.6g, %.6g)",
            x.failed ? "" : x.s, p->stops[i], x.failed ? "" : x.s, p->stops[i - 1], p->stops[i],
            scale * p->values[i - 1].number, scale * p->values[i].number);
        b->failed |= x.failed;
        free(x.s);
    }
    put(b, " ELSE %.6g END", scale * p->values[p->n - 1].number);
}

/* ---- shapes --------------------------------------------------------------- */

/* bordermap's shapes (symbols.c) against QGIS's: the QGIS name, and the
 * QGIS size per point of radius that gives the same outer extent, so both
 * have the area of the circle of the radius. QGIS's star is a little
 * thinner (inner radius 0.38 against 0.45), its cross's arms too. */
typedef struct shape {
    const char *name, *qgis, *sld;
    double size_per_radius;
    double sld_rotation;
} shape;

static const shape shapes[] = {
    {"circle", "circle", "circle", 2, 0},
    {"square", "square", "square", 1.7724539, 0},           /* side r * sqrt(pi) */
    {"triangle", "equilateral_triangle", "triangle", 3.12, 0}, /* circumradius 1.56 r */
    {"diamond", "diamond", "square", 2.75, 45},              /* a square on its corner */
    {"star", "star", "star", 3.2, 0},                        /* outer radius 1.6 r */
    {"cross", "cross_fill", "cross", 3.0, 0},                /* arms to 1.5 r */
};

static const shape *shape_named(const char *name)
{
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
        if (strcmp(shapes[i].name, name) == 0)
            return &shapes[i];
    return &shapes[0];
}

/* The SLD size of a rotated square is its side; QGIS's diamond size its
 * diagonal. */
static double sld_size_per_radius(const shape *s)
{
    return s->sld_rotation != 0 ? s->size_per_radius / sqrt(2) : s->size_per_radius;
}

/* ---- QML symbol layers ---------------------------------------------------- */

typedef struct qml_ctx {
    bm_xml *x;
    size_t pass; /* the draw layer's position: its symbol level */
} qml_ctx;

static void prop(bm_xml *x, const char *k, const char *v)
{
    bm_xml_start(x, "prop");
    bm_xml_attr(x, "k", k);
    bm_xml_attr(x, "v", v);
    bm_xml_end(x);
}

static void prop_number(bm_xml *x, const char *k, double v)
{
    char s[32];
    snprintf(s, sizeof s, "%.6g", v);
    prop(x, k, s);
}

static void color_text(char *out, size_t size, bm_color c, double opacity)
{
    snprintf(out, size, "%d,%d,%d,%d", (int)(c.r * 255 + 0.5), (int)(c.g * 255 + 0.5),
             (int)(c.b * 255 + 0.5), (int)(c.a * opacity * 255 + 0.5));
}

static void prop_color(bm_xml *x, const char *k, bm_color c, double opacity)
{
    char v[64];
    color_text(v, sizeof v, c, opacity);
    prop(x, k, v);
}

/* Data-defined properties of a symbol layer: QGIS property names
 * ("size", "outlineWidth", "offset") and expressions; NULL-free. */
typedef struct defined {
    const char *name[3];
    buf expr[3];
    size_t n;
} defined;

static buf *define(defined *dd, const char *name)
{
    dd->name[dd->n] = name;
    dd->expr[dd->n] = (buf){0};
    return &dd->expr[dd->n++];
}

static void option(bm_xml *x, const char *type, const char *name, const char *value)
{
    bm_xml_start(x, "Option");
    bm_xml_attr(x, "type", type);
    if (name)
        bm_xml_attr(x, "name", name);
    if (value)
        bm_xml_attr(x, "value", value);
}

/* A symbol layer's <data_defined_properties>, or a label's <dd_properties>. */
static void put_properties(bm_xml *x, const char *element, defined *dd)
{
    bm_xml_start(x, element);
    option(x, "Map", NULL, NULL);
    option(x, "QString", "name", "");
    bm_xml_end(x);
    option(x, "Map", "properties", NULL);
    for (size_t i = 0; i < dd->n; i++) {
        x->failed |= dd->expr[i].failed;
        option(x, "Map", dd->name[i], NULL);
        option(x, "bool", "active", "true");
        bm_xml_end(x);
        option(x, "QString", "expression", dd->expr[i].failed ? "" : dd->expr[i].s);
        bm_xml_end(x);
        option(x, "int", "type", "3"); /* QgsProperty::ExpressionBasedProperty */
        bm_xml_end(x);
        bm_xml_end(x);
        free(dd->expr[i].s);
    }
    bm_xml_end(x);
    option(x, "QString", "type", "collection");
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_end(x);
}

static void put_defined(bm_xml *x, defined *dd)
{
    put_properties(x, "data_defined_properties", dd);
}

static void start_symbol_layer(qml_ctx *q, const char *cls)
{
    bm_xml_start(q->x, "layer");
    bm_xml_attr(q->x, "class", cls);
    bm_xml_attrf(q->x, "pass", "%zu", q->pass);
    bm_xml_attr(q->x, "enabled", "1");
    bm_xml_attr(q->x, "locked", "0");
}

static void put_marker(qml_ctx *q, const bm_layer *m, const style_case *c)
{
    bm_xml *x = q->x;
    bm_value t;
    defined dd = {.n = 0};
    const shape *sh = shape_named(eval(&m->icon_image, c, &t)->string);
    double opacity = eval(&m->circle_opacity, c, &t)->number;
    double radius = eval(&m->circle_radius, c, &t)->number;
    start_symbol_layer(q, "SimpleMarker");
    prop(x, "name", sh->qgis);
    prop_color(x, "color", eval(&m->circle_color, c, &t)->color, opacity);
    prop_color(x, "outline_color", eval(&m->circle_stroke_color, c, &t)->color, opacity);
    prop_number(x, "outline_width", eval(&m->circle_stroke_width, c, &t)->number);
    prop(x, "outline_width_unit", "Point");
    prop(x, "outline_style", eval(&m->circle_stroke_width, c, &t)->number > 0 ? "solid" : "no");
    prop_number(x, "size", sh->size_per_radius * radius);
    prop(x, "size_unit", "Point");
    prop(x, "scale_method", "diameter");
    prop(x, "joinstyle", "miter");
    /* bordermap centres its triangle 0.2 r below the point. */
    char offset[64];
    snprintf(offset, sizeof offset, "0,%.6g", strcmp(sh->name, "triangle") == 0 ? 0.2 * radius : 0);
    prop(x, "offset", offset);
    prop(x, "offset_unit", "Point");
    if (m->circle_radius.kind == BM_PROP_INTERPOLATE) {
        put_interpolation(define(&dd, "size"), &m->circle_radius, sh->size_per_radius);
        if (strcmp(sh->name, "triangle") == 0) {
            buf *b = define(&dd, "offset");
            put(b, "concat('0,', ");
            put_interpolation(b, &m->circle_radius, 0.2);
            put(b, ")");
        }
    }
    if (m->circle_stroke_width.kind == BM_PROP_INTERPOLATE)
        put_interpolation(define(&dd, "outlineWidth"), &m->circle_stroke_width, 1);
    put_defined(x, &dd);
    bm_xml_end(x);
}

/* MapLibre dashes are in line widths; QGIS's in points. */
static void put_dash(bm_xml *x, const bm_layer *s, double width)
{
    char v[160] = "";
    for (size_t i = 0; i < s->n_dash; i++)
        snprintf(v + strlen(v), sizeof v - strlen(v), "%s%.4g", i ? ";" : "",
                 s->line_dash[i] * width);
    prop(x, "use_custom_dash", s->n_dash ? "1" : "0");
    if (s->n_dash) {
        prop(x, "customdash", v);
        prop(x, "customdash_unit", "Point");
    }
}

static void put_line(qml_ctx *q, const bm_layer *s, const style_case *c)
{
    bm_xml *x = q->x;
    bm_value t;
    defined dd = {.n = 0};
    double width = eval(&s->line_width, c, &t)->number;
    start_symbol_layer(q, "SimpleLine");
    prop_color(x, "line_color", eval(&s->line_color, c, &t)->color,
               eval(&s->line_opacity, c, &t)->number);
    prop_number(x, "line_width", width);
    prop(x, "line_width_unit", "Point");
    prop(x, "line_style", "solid");
    /* As render.c: butt caps on dashes, round ones on solid lines. */
    prop(x, "capstyle", s->n_dash ? "flat" : "round");
    prop(x, "joinstyle", "round");
    put_dash(x, s, width);
    if (s->line_width.kind == BM_PROP_INTERPOLATE)
        put_interpolation(define(&dd, "outlineWidth"), &s->line_width, 1);
    put_defined(x, &dd);
    bm_xml_end(x);
}

/* 'r,g,b,a', the colour as a QGIS expression's string. */
static void put_color_literal(buf *b, bm_color c, double opacity)
{
    char text[64];
    color_text(text, sizeof text, c, opacity);
    put(b, "'%s'", text);
}

/* A colour driven by a number as a QGIS expression: a step's classes from
 * the top stop down, or an interpolation mixing the stops' colours. */
static void put_color_expression(buf *b, const bm_prop *p, double opacity)
{
    buf x = {0};
    put(&x, "to_real(");
    put_field(&x, p->field);
    put(&x, ")");
    put(b, "CASE");
    if (p->kind == BM_PROP_STEP) {
        for (size_t i = p->n; i-- > 0;) {
            put(b, " WHEN %s >= %.10g THEN ", x.failed ? "" : x.s, p->stops[i]);
            put_color_literal(b, p->values[i].color, opacity);
        }
        put(b, " ELSE ");
        put_color_literal(b, p->fallback.color, opacity);
    } else {
        put(b, " WHEN coalesce(%s, %.10g) <= %.10g THEN ", x.failed ? "" : x.s, p->stops[0],
            p->stops[0]);
        put_color_literal(b, p->values[0].color, opacity);
        for (size_t i = 1; i < p->n; i++) {
            put(b, " WHEN %s <= %.10g THEN color_mix_rgb(", x.failed ? "" : x.s, p->stops[i]);
            put_color_literal(b, p->values[i - 1].color, opacity);
            put(b, ", ");
            put_color_literal(b, p->values[i].color, opacity);
            put(b, ", (%s - %.10g) / %.10g)", x.failed ? "" : x.s, p->stops[i - 1],
                p->stops[i] - p->stops[i - 1]);
        }
        put(b, " ELSE ");
        put_color_literal(b, p->values[p->n - 1].color, opacity);
    }
    put(b, " END");
    b->failed |= x.failed;
    free(x.s);
}

static void put_fill(qml_ctx *q, const bm_layer *f, const style_case *c)
{
    bm_xml *x = q->x;
    bm_value t;
    defined dd = {.n = 0};
    double opacity = eval(&f->fill_opacity, c, &t)->number;
    start_symbol_layer(q, "SimpleFill");
    prop_color(x, "color", eval(&f->fill_color, c, &t)->color, opacity);
    prop(x, "style", "solid");
    prop(x, "outline_style", "no");
    if (f->fill_color.kind == BM_PROP_STEP || f->fill_color.kind == BM_PROP_INTERPOLATE)
        put_color_expression(define(&dd, "fillColor"), &f->fill_color, opacity);
    put_defined(x, &dd);
    bm_xml_end(x);
}

static void put_symbol_layer(qml_ctx *q, const bm_layer *d, const style_case *c)
{
    if (d->type == BM_LAYER_CIRCLE)
        put_marker(q, d, c);
    else if (d->type == BM_LAYER_FILL)
        put_fill(q, d, c);
    else
        put_line(q, d, c);
}

/* A layer the style does not draw at all gets a quiet outline, as the
 * base of a map should be, rather than QGIS's random colour on top. */
static void put_undrawn(qml_ctx *q, bm_qgis_geom geom)
{
    static const char *classes[] = {"SimpleMarker", "SimpleLine", "SimpleFill"};
    bm_xml *x = q->x;
    start_symbol_layer(q, classes[geom]);
    prop(x, geom == BM_QGIS_LINE ? "line_color" : "outline_color", "128,128,128,255");
    prop(x, geom == BM_QGIS_LINE ? "line_width" : "outline_width", "0.5");
    prop(x, geom == BM_QGIS_LINE ? "line_width_unit" : "outline_width_unit", "Point");
    if (geom == BM_QGIS_POLYGON)
        prop(x, "style", "no");
    bm_xml_end(x);
}

static void start_symbol(bm_xml *x, bm_qgis_geom geom, size_t index)
{
    static const char *types[] = {"marker", "line", "fill"};
    bm_xml_start(x, "symbol");
    bm_xml_attrf(x, "name", "%zu", index);
    bm_xml_attr(x, "type", types[geom]);
    bm_xml_attr(x, "alpha", "1");
    bm_xml_attr(x, "clip_to_extent", "1");
    bm_xml_attr(x, "force_rhr", "0");
}

/* The kind of QGIS symbol that draws d: on a table of points and lines,
 * circles take markers and lines line symbols; on polygons, lines are
 * outlines of fill symbols. */
static bm_qgis_geom symbol_geom(const bm_qgis_layer *l, const bm_layer *d)
{
    if (d->type == BM_LAYER_CIRCLE)
        return BM_QGIS_POINT;
    if (d->type == BM_LAYER_FILL || l->geom == BM_QGIS_POLYGON)
        return BM_QGIS_POLYGON;
    return BM_QGIS_LINE;
}

/* ---- QML renderers -------------------------------------------------------- */

static int needs_rules(const bm_qgis_layer *l)
{
    const bm_prop *props[6];
    for (size_t i = 0; i < l->n_draw; i++) {
        if (l->draw[i]->filter || symbol_geom(l, l->draw[i]) != symbol_geom(l, l->draw[0]))
            return 1;
        for (size_t k = 0, n = symbol_props(l->draw[i], props); k < n; k++)
            if (props[k]->kind == BM_PROP_MATCH)
                return 1;
    }
    return 0;
}

static void start_renderer(bm_xml *x, const char *type)
{
    bm_xml_start(x, "renderer-v2");
    bm_xml_attr(x, "type", type);
    bm_xml_attr(x, "forceraster", "0");
    bm_xml_attr(x, "symbollevels", "1");
}

/* Every draw layer stacked in one symbol, each on its own level. */
static void put_single_renderer(bm_xml *x, const bm_qgis_layer *l)
{
    style_case fallback = {0};
    qml_ctx q = {x, 0};
    start_renderer(x, "singleSymbol");
    bm_xml_attr(x, "enableorderby", "0");
    bm_xml_start(x, "symbols");
    start_symbol(x, l->n_draw ? symbol_geom(l, l->draw[0]) : l->geom, 0);
    if (l->n_draw == 0)
        put_undrawn(&q, l->geom);
    for (q.pass = 0; q.pass < l->n_draw; q.pass++)
        put_symbol_layer(&q, l->draw[q.pass], &fallback);
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* "Battles (location approximate)", "incidents: other" */
static void rule_label(char *out, size_t size, const bm_layer *d, const style_case *c)
{
    const char *name = d->legend[0] ? d->legend : d->id[0] ? d->id : bm_layer_type_name(d->type);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->lc->n_fields && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "",
                                c->value[i] ? c->value[i] : "other");
    if (len == 0)
        snprintf(out, size, "%s", name);
    else if (len < size)
        snprintf(out + len, size - len, " (%s)", name);
}

/* Symbols are drawn biggest first, as render.c does, so a small symbol
 * is not hidden under a big one: the first interpolated radius orders. */
static void put_order_by(bm_xml *x, const bm_qgis_layer *l)
{
    for (size_t i = 0; i < l->n_draw; i++) {
        const bm_prop *r = &l->draw[i]->circle_radius;
        if (l->draw[i]->type != BM_LAYER_CIRCLE || r->kind != BM_PROP_INTERPOLATE)
            continue;
        buf field = {0};
        put_field(&field, r->field);
        x->failed |= field.failed;
        bm_xml_start(x, "orderby");
        bm_xml_start(x, "orderByClause");
        bm_xml_attr(x, "asc", r->values[r->n - 1].number < r->values[0].number ? "1" : "0");
        bm_xml_attr(x, "nullsFirst", "0");
        bm_xml_text(x, field.failed ? "" : field.s);
        bm_xml_end(x);
        bm_xml_end(x);
        free(field.s);
        return;
    }
}

static int uses_order_by(const bm_qgis_layer *l)
{
    for (size_t i = 0; i < l->n_draw; i++)
        if (l->draw[i]->type == BM_LAYER_CIRCLE &&
            l->draw[i]->circle_radius.kind == BM_PROP_INTERPOLATE)
            return 1;
    return 0;
}

static void put_rules(bm_xml *x, const bm_qgis_layer *l)
{
    size_t symbol = 0;
    bm_xml_start(x, "rules");
    bm_xml_attrf(x, "key", "{%s}", l->name);
    for (size_t i = 0; i < l->n_draw; i++) {
        layer_cases lc;
        x->failed |= cases_init(l->draw[i], &lc);
        for (size_t k = 0; k < lc.count; k++, symbol++) {
            style_case c = case_at(&lc, k);
            buf filter = {0};
            char label[BM_STYLE_TEXT + 64];
            put_case_filter(&filter, l->draw[i], &c);
            rule_label(label, sizeof label, l->draw[i], &c);
            bm_xml_start(x, "rule");
            bm_xml_attrf(x, "key", "{%s-%zu-%zu}", l->name, l->draw[i]->index, k);
            if (filter.n)
                bm_xml_attr(x, "filter", filter.failed ? "" : filter.s);
            bm_xml_attrf(x, "symbol", "%zu", symbol);
            bm_xml_attr(x, "label", label);
            bm_xml_end(x);
            x->failed |= filter.failed;
            free(filter.s);
        }
        cases_free(&lc);
    }
    bm_xml_end(x);
}

static void put_rule_symbols(bm_xml *x, const bm_qgis_layer *l)
{
    size_t symbol = 0;
    bm_xml_start(x, "symbols");
    for (size_t i = 0; i < l->n_draw; i++) {
        layer_cases lc;
        qml_ctx q = {x, i};
        x->failed |= cases_init(l->draw[i], &lc);
        for (size_t k = 0; k < lc.count; k++, symbol++) {
            style_case c = case_at(&lc, k);
            start_symbol(x, symbol_geom(l, l->draw[i]), symbol);
            put_symbol_layer(&q, l->draw[i], &c);
            bm_xml_end(x);
        }
        cases_free(&lc);
    }
    bm_xml_end(x);
}

/* One rule per draw layer and case; a feature no rule takes is not drawn,
 * as on the map. */
static void put_rule_renderer(bm_xml *x, const bm_qgis_layer *l)
{
    start_renderer(x, "RuleRenderer");
    bm_xml_attr(x, "enableorderby", uses_order_by(l) ? "1" : "0");
    put_rules(x, l);
    put_rule_symbols(x, l);
    put_order_by(x, l);
    bm_xml_end(x);
}

static void put_feature_renderer(bm_xml *x, const bm_qgis_layer *l)
{
    if (needs_rules(l))
        put_rule_renderer(x, l);
    else
        put_single_renderer(x, l);
}

/* ---- QML point displacement ---------------------------------------------- */

/* render.c's spreading of the symbols that share a place: a dot of 1.2 pt
 * radius on the place, symbols on a ring of 2.6 radii around it, leader
 * lines in dark grey. */
#define SPREAD_DOT_PT 2.4
#define SPREAD_RING_RADII 2.6
#define SPREAD_LINE_PT 0.6
#define SPREAD_COLOR "51,51,51,230"
#define MM_PER_PT (25.4 / 72.0)

static int spreads_points(const bm_qgis_layer *l)
{
    return l->geom == BM_QGIS_POINT && l->n_draw > 0;
}

/* The largest radius a draw layer's symbols start from (a feature without
 * fatalities): the radius the ring is sized for. */
static double base_radius(const bm_qgis_layer *l)
{
    style_case fallback = {0};
    bm_value t;
    double r = 0;
    for (size_t i = 0; i < l->n_draw; i++)
        if (l->draw[i]->type == BM_LAYER_CIRCLE)
            r = fmax(r, eval(&l->draw[i]->circle_radius, &fallback, &t)->number);
    return r;
}

/* QGIS's concentric rings put the first ring at half the centre symbol's
 * diagonal plus half the biggest symbol's (a circle's: sqrt(2) r) plus
 * this addition, in mm: the addition that makes it render.c's ring. */
static double ring_addition_mm(const bm_qgis_layer *l)
{
    double r = base_radius(l);
    double pt = SPREAD_RING_RADII * r - sqrt(2) * r - SPREAD_DOT_PT * sqrt(2) / 2;
    return fmax(pt, 0) * MM_PER_PT;
}

/* The dot on the shared place. */
static void put_center_symbol(bm_xml *x)
{
    qml_ctx q = {x, 0};
    defined dd = {.n = 0};
    bm_xml_start(x, "symbol");
    bm_xml_attr(x, "name", "centerSymbol");
    bm_xml_attr(x, "type", "marker");
    bm_xml_attr(x, "alpha", "1");
    bm_xml_attr(x, "clip_to_extent", "1");
    bm_xml_attr(x, "force_rhr", "0");
    start_symbol_layer(&q, "SimpleMarker");
    prop(x, "name", "circle");
    prop(x, "color", SPREAD_COLOR);
    prop(x, "outline_style", "no");
    prop_number(x, "size", SPREAD_DOT_PT);
    prop(x, "size_unit", "Point");
    put_defined(x, &dd);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* Symbols at the same coordinates (tolerance 0) spread on a ring around
 * their place, as render.c spreads them; QGIS draws no leader lines, so
 * the ring itself is drawn in their colour and width. The wrapped
 * renderer keeps the rules, symbol levels and order. */
static void put_displacement_renderer(bm_xml *x, const bm_qgis_layer *l)
{
    bm_xml_start(x, "renderer-v2");
    bm_xml_attr(x, "type", "pointDisplacement");
    bm_xml_attr(x, "forceraster", "0");
    bm_xml_attr(x, "symbollevels", "0");
    bm_xml_attr(x, "enableorderby", uses_order_by(l) ? "1" : "0");
    bm_xml_attr(x, "labelAttributeName", ""); /* labels come from the labeling */
    bm_xml_attr(x, "placement", "1");         /* concentric rings */
    bm_xml_attr(x, "tolerance", "0");
    bm_xml_attr(x, "toleranceUnit", "MM");
    bm_xml_attr(x, "circleColor", SPREAD_COLOR);
    bm_xml_attrf(x, "circleWidth", "%.4g", SPREAD_LINE_PT * MM_PER_PT);
    bm_xml_attrf(x, "circleRadiusAddition", "%.4g", ring_addition_mm(l));
    put_feature_renderer(x, l);
    put_center_symbol(x);
    put_order_by(x, l);
    bm_xml_end(x);
}

/* ---- QML labels ----------------------------------------------------------- */

static int is_numeric(const bm_qgis_layer *l, const char *field)
{
    for (size_t i = 0; i < l->n_numeric; i++)
        if (strcmp(l->numeric[i], field) == 0)
            return 1;
    return 0;
}

/* How placement.c places a label layer's text, and so QGIS. */
typedef enum label_kind {
    LABEL_POINT,  /* beside the symbol, or beside its group once spread */
    LABEL_LINE,   /* along the line */
    LABEL_BESIDE, /* frontiers: a block of text beside the line's middle */
    LABEL_AREA    /* inside, near the pole of inaccessibility of the part in view */
} label_kind;

static label_kind label_kind_of(const bm_qgis_layer *l, const bm_layer *s)
{
    if (l->geom == BM_QGIS_POINT)
        return LABEL_POINT;
    if (l->geom == BM_QGIS_POLYGON)
        return LABEL_AREA;
    return s->type == BM_LAYER_FRONTIER ? LABEL_BESIDE : LABEL_LINE;
}

#define MIDDOT " \xc2\xb7 "

/* placement.c's block beside a line: the first row split at " · " into
 * the name and the figures, which go before the second row:
 * "{name} · {length}\n{reported}" -> "{name}\n{length} {reported}". */
static void beside_template(const char *tpl, char *out, size_t size)
{
    const char *dot = strstr(tpl, MIDDOT), *nl = strchr(tpl, '\n');
    if (!dot || (nl && nl < dot)) {
        snprintf(out, size, "%s", tpl);
        return;
    }
    const char *figures = dot + strlen(MIDDOT);
    int n_figures = nl ? (int)(nl - figures) : (int)strlen(figures);
    snprintf(out, size, "%.*s\n%.*s%s%s", (int)(dot - tpl), tpl, n_figures, figures,
             nl ? " " : "", nl ? nl + 1 : "");
}

/* The template a label layer's text follows, a beside block's split. */
static void label_template(const bm_qgis_layer *l, const bm_layer *s, char *out, size_t size)
{
    if (label_kind_of(l, s) == LABEL_BESIDE)
        beside_template(s->text_field, out, size);
    else
        snprintf(out, size, "%s", s->text_field);
}

/* "{name}\n{length_km} km" -> concat("name", '\n', round("length_km"), ' km');
 * a beside block is trimmed, as an empty last field leaves a space. */
static void put_label_expression(buf *b, const bm_qgis_layer *l, const bm_layer *s)
{
    char tpl[BM_STYLE_TEXT];
    int beside = label_kind_of(l, s) == LABEL_BESIDE;
    label_template(l, s, tpl, sizeof tpl);
    put(b, "%sconcat(''", beside ? "trim(" : "");
    for (const char *p = tpl; *p;) {
        const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
        size_t len = close ? (size_t)(open - p) : strlen(p);
        if (len) {
            put(b, ", ");
            put_string(b, p, len);
        }
        if (!close)
            break;
        char field[BM_STYLE_NAME];
        snprintf(field, sizeof field, "%.*s", (int)(close - open - 1), open + 1);
        put(b, ", %s", is_numeric(l, field) ? "round(" : "");
        put_field(b, field);
        put(b, "%s", is_numeric(l, field) ? ")" : "");
        p = close + 1;
    }
    put(b, ")%s", beside ? ")" : "");
}

/* The map's extent as a lon/lat rectangle: placement.c labels what is in
 * view. */
static void put_extent(buf *b, const double *e)
{
    put(b, "geom_from_wkt('POLYGON((%.10g %.10g, %.10g %.10g, %.10g %.10g, %.10g %.10g, "
           "%.10g %.10g))')",
        e[0], e[1], e[2], e[1], e[2], e[3], e[0], e[3], e[0], e[1]);
}

/* The middle of the longest part in view, where placement.c puts the
 * block beside a line. */
static void put_line_middle(buf *b, const double *e)
{
    put(b, "with_variable('g', intersection($geometry, ");
    put_extent(b, e);
    put(b, "), with_variable('len', array_foreach(generate_series(1, num_geometries(@g)), "
           "length(geometry_n(@g, @element))), with_variable('part', "
           "coalesce(geometry_n(@g, array_find(@len, array_max(@len)) + 1), @g), "
           "line_interpolate_point(@part, length(@part) / 2))))");
}

/* QgsPalLayerSettings::Placement: 2 parallel to the line (curved, 3,
 * cannot break lines before QGIS 3.28), 4 horizontal, 6 ordered
 * positions around the point. A beside block labels a point made by a
 * geometry generator. */
static int placement(label_kind k)
{
    static const int placements[] = {[LABEL_POINT] = 6, [LABEL_LINE] = 2, [LABEL_BESIDE] = 6,
                                     [LABEL_AREA] = 4};
    return placements[k];
}

/* Line labels sit on the line (flag 1, above) or, with two rows, straddle
 * it (4, on the line): render.c puts the first row above, the second
 * below. 8 keeps "above" above on the map whatever the line's direction. */
static int line_flags(const bm_layer *s)
{
    return (strchr(s->text_field, '\n') ? 4 : 1) | 8;
}

/* symbol-sort-key (lower placed first; 0 to 30 in the bundled styles) on
 * QGIS's 0..10 priority (higher placed first). */
static int label_priority(const bm_layer *s)
{
    double p = 10 - ceil(s->sort_key / 3);
    return p < 0 ? 0 : p > 10 ? 10 : (int)p;
}

static void put_text_style(bm_xml *x, const bm_qgis_layer *l, const bm_layer *s)
{
    style_case none = {0};
    bm_value t;
    char color[64];
    buf expr = {0};
    put_label_expression(&expr, l, s);
    x->failed |= expr.failed;
    bm_xml_start(x, "text-style");
    bm_xml_attr(x, "isExpression", "1");
    bm_xml_attr(x, "fieldName", expr.failed ? "" : expr.s);
    free(expr.s);
    bm_xml_attr(x, "fontFamily", s->text_font);
    bm_xml_attrf(x, "fontSize", "%.4g", s->text_size);
    bm_xml_attr(x, "fontSizeUnit", "Point");
    bm_xml_attrf(x, "fontWeight", "%d", s->text_bold ? 75 : 50);
    bm_xml_attrf(x, "fontItalic", "%d", s->text_italic);
    bm_xml_attrf(x, "capitalization", "%d", s->text_uppercase ? 1 : 0); /* 1: all uppercase */
    bm_xml_attrf(x, "fontLetterSpacing", "%.4g", s->text_letter_spacing * s->text_size);
    bm_xml_attr(x, "textOpacity", "1");
    bm_xml_attr(x, "multilineHeight", "1");
    color_text(color, sizeof color, eval(&s->text_color, &none, &t)->color, 1);
    bm_xml_attr(x, "textColor", color);
    double halo = eval(&s->text_halo_width, &none, &t)->number;
    bm_xml_start(x, "text-buffer");
    bm_xml_attr(x, "bufferDraw", halo > 0 ? "1" : "0");
    bm_xml_attrf(x, "bufferSize", "%.4g", halo); /* labels.c strokes twice the width */
    bm_xml_attr(x, "bufferSizeUnits", "Point");
    color_text(color, sizeof color, eval(&s->text_halo_color, &none, &t)->color, 1);
    bm_xml_attr(x, "bufferColor", color);
    bm_xml_attr(x, "bufferOpacity", "1");
    bm_xml_attr(x, "bufferNoFill", "1");
    bm_xml_attr(x, "bufferJoinStyle", "128"); /* round */
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_start(x, "text-format");
    bm_xml_attr(x, "multilineAlign", "1"); /* centred rows, as pango lays them out */
    bm_xml_end(x);
}

/* placement.c's second distance of a beside block from the line's middle,
 * in text sizes (0.6 + 1.4, plus labels.c's gap): its first puts the
 * block's corners on whatever symbol marks the middle. */
#define BESIDE_GAP_SIZES 2.15

/* labels.c's gap between a symbol and its label, in points. */
static double point_gap(const bm_layer *s)
{
    return 0.15 * s->text_size;
}

/* The first feature at a place (lowest id) labels its spread group, as
 * render.c labels a group once, beyond the ring: overlay_equals() finds
 * the other features at the same coordinates. */
static void put_group_label_properties(bm_xml *x, const bm_qgis_layer *l, const bm_layer *s)
{
    defined dd = {.n = 0};
    put(define(&dd, "Show"), "array_min(array_append(overlay_equals(@layer, $id, cache:=true), "
                             "$id)) = $id");
    put(define(&dd, "LabelDistance"),
        "%.4g + if(array_length(overlay_equals(@layer, $id, cache:=true)) > 0, %.4g, 0)",
        point_gap(s), SPREAD_RING_RADII * base_radius(l));
    put_properties(x, "dd_properties", &dd);
}

static void put_geometry_generator(bm_xml *x, const bm_qgis_layer *l)
{
    buf g = {0};
    put_line_middle(&g, l->extent);
    x->failed |= g.failed;
    bm_xml_attr(x, "geometryGeneratorEnabled", "1");
    bm_xml_attr(x, "geometryGeneratorType", "PointGeometry");
    bm_xml_attr(x, "geometryGenerator", g.failed ? "" : g.s);
    free(g.s);
}

static void put_label_settings(bm_xml *x, const bm_qgis_layer *l, const bm_layer *s)
{
    label_kind k = label_kind_of(l, s);
    bm_xml_start(x, "settings");
    bm_xml_attr(x, "calloutType", "simple");
    put_text_style(x, l, s);
    bm_xml_start(x, "placement");
    bm_xml_attrf(x, "placement", "%d", placement(k));
    bm_xml_attrf(x, "placementFlags", "%d", line_flags(s));
    if (k == LABEL_BESIDE)
        put_geometry_generator(x, l);
    /* Areas: QGIS's horizontal candidates inside the polygon, nearest its
     * pole of inaccessibility first; placement.c drops a name that does
     * not fit inside. */
    bm_xml_attr(x, "fitInPolygonOnly", "1");
    /* Points: from the symbol's edge (offsetType 1), as labels.c. */
    bm_xml_attr(x, "offsetType", k == LABEL_POINT ? "1" : "0");
    bm_xml_attrf(x, "dist", "%.4g",
                 k == LABEL_BESIDE ? BESIDE_GAP_SIZES * s->text_size : point_gap(s));
    bm_xml_attr(x, "distUnits", "Point");
    /* labels.c's order: upper right, lower right, upper left, lower left,
     * right, left, above, below. placement.c tries a beside block at four
     * distances; QGIS has one, and the slightly offset corners instead. */
    bm_xml_attr(x, "predefinedPositionOrder",
                k == LABEL_BESIDE ? "TR,BR,TL,BL,R,L,T,B,TSR,BSR,TSL,BSL" : "TR,BR,TL,BL,R,L,T,B");
    bm_xml_attrf(x, "priority", "%d", label_priority(s));
    bm_xml_end(x);
    bm_xml_start(x, "rendering");
    bm_xml_attr(x, "drawLabels", "1");
    /* Only symbols keep labels off, as in labels.c; lines and areas do not. */
    bm_xml_attr(x, "obstacle", l->geom == BM_QGIS_POINT ? "1" : "0");
    bm_xml_attr(x, "upsidedownLabels", "0");
    bm_xml_attr(x, "mergeLines", "0");
    bm_xml_attr(x, "labelPerPart", "0");
    bm_xml_end(x);
    if (k == LABEL_POINT && spreads_points(l))
        put_group_label_properties(x, l, s);
    bm_xml_end(x);
}

/* One label layer without a filter is simple labeling; otherwise a rule
 * per label layer, filtered like it. */
static void put_labeling(bm_xml *x, const bm_qgis_layer *l)
{
    bm_xml_start(x, "labeling");
    if (l->n_labels == 1 && !l->labels[0]->filter) {
        bm_xml_attr(x, "type", "simple");
        put_label_settings(x, l, l->labels[0]);
        bm_xml_end(x);
        return;
    }
    bm_xml_attr(x, "type", "rule-based");
    bm_xml_start(x, "rules");
    bm_xml_attrf(x, "key", "{%s-labels}", l->name);
    for (size_t i = 0; i < l->n_labels; i++) {
        const bm_layer *s = l->labels[i];
        buf filter = {0};
        if (s->filter)
            put_filter(&filter, s->filter);
        bm_xml_start(x, "rule");
        bm_xml_attrf(x, "key", "{%s-label-%zu}", l->name, s->index);
        bm_xml_attr(x, "description", s->id[0] ? s->id : l->name);
        if (filter.n)
            bm_xml_attr(x, "filter", filter.failed ? "" : filter.s);
        x->failed |= filter.failed;
        free(filter.s);
        put_label_settings(x, l, s);
        bm_xml_end(x);
    }
    bm_xml_end(x);
    bm_xml_end(x);
}

/* A number property as a QGIS expression: a constant, an interpolation or
 * a match on a field. */
static void put_number_expression(buf *b, const bm_prop *p)
{
    if (p->kind == BM_PROP_INTERPOLATE) {
        put_interpolation(b, p, 1);
        return;
    }
    if (p->kind == BM_PROP_MATCH) {
        put(b, "CASE");
        for (size_t i = 0; i < p->n; i++) {
            put(b, " WHEN to_string(");
            put_field(b, p->field);
            put(b, ") = ");
            put_string(b, p->keys[i], strlen(p->keys[i]));
            put(b, " THEN %.10g", p->values[i].number);
        }
        put(b, " ELSE %.10g END", p->fallback.number);
        return;
    }
    put(b, "%.10g", p->fallback.number);
}

/* The ramp as a QGIS gradient: its ends at densities 0 and 1, the stops
 * between, the layer's opacity in every colour. */
static void put_color_ramp(bm_xml *x, const bm_ramp *r, double opacity)
{
    char c1[64], c2[64], stops[BM_RAMP_MAX * 40] = "";
    color_text(c1, sizeof c1, bm_ramp_color(r, 0), opacity);
    color_text(c2, sizeof c2, bm_ramp_color(r, 1), opacity);
    for (size_t i = 0, len = 0; i < r->n; i++) {
        char c[64];
        if (r->density[i] <= 0 || r->density[i] >= 1)
            continue;
        color_text(c, sizeof c, r->color[i], opacity);
        len += (size_t)snprintf(stops + len, sizeof stops - len, "%s%.6g;%s", len ? ":" : "",
                                r->density[i], c);
    }
    bm_xml_start(x, "colorramp");
    bm_xml_attr(x, "name", "[source]");
    bm_xml_attr(x, "type", "gradient");
    prop(x, "color1", c1);
    prop(x, "color2", c2);
    prop(x, "discrete", "0");
    prop(x, "rampType", "gradient");
    prop(x, "stops", stops);
    bm_xml_end(x);
}

/* MapLibre's heatmap as QGIS's: radius in points (a data-driven radius at
 * its fallback), the weight as an expression, the ramp as a gradient.
 * QGIS's kernel is quartic with a peak of the weight, MapLibre's a
 * Gaussian with a peak of weight × 0.3989 × intensity, so the ramp's top
 * is at a value of 1 / (0.3989 × intensity). The opacity goes into the
 * ramp's colours. */
static void put_heatmap_renderer(bm_xml *x, const bm_layer *h)
{
    buf weight = {0};
    put_number_expression(&weight, &h->heatmap_weight);
    x->failed |= weight.failed;
    bm_xml_start(x, "renderer-v2");
    bm_xml_attr(x, "type", "heatmapRenderer");
    bm_xml_attr(x, "forceraster", "0");
    bm_xml_attr(x, "symbollevels", "0");
    bm_xml_attr(x, "enableorderby", "0");
    bm_xml_attr(x, "quality", "3");
    bm_xml_attrf(x, "radius", "%.6g", h->heatmap_radius.fallback.number);
    bm_xml_attr(x, "radius_unit", "4"); /* points */
    bm_xml_attr(x, "radius_map_unit_scale", "3x:0,0,0,0,0,0");
    bm_xml_attrf(x, "max_value", "%.6g",
                 1 / (0.3989422804014327 * h->heatmap_intensity.fallback.number));
    bm_xml_attr(x, "weight_expression", weight.failed ? "" : weight.s);
    put_color_ramp(x, &h->heatmap_color, h->heatmap_opacity.fallback.number);
    bm_xml_end(x);
    free(weight.s);
}

static void put_renderer_and_labels(bm_xml *x, const bm_qgis_layer *l)
{
    if (l->heatmap)
        put_heatmap_renderer(x, l->heatmap);
    else if (spreads_points(l))
        put_displacement_renderer(x, l);
    else
        put_feature_renderer(x, l);
    if (l->n_labels)
        put_labeling(x, l);
}

void bm_qgis_style_write_symbology(bm_xml *x, const bm_qgis_layer *l)
{
    put_renderer_and_labels(x, l);
}

char *bm_qgis_style_qml(const bm_qgis_layer *l)
{
    bm_xml x;
    if (bm_xml_open(&x))
        return NULL;
    bm_xml_check(&x, xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL));
    bm_xml_check(&x, xmlTextWriterWriteDTD(x.w, BAD_CAST "qgis", BAD_CAST "http://mrcc.com/qgis.dtd",
                                    BAD_CAST "SYSTEM", NULL));
    bm_xml_start(&x, "qgis");
    bm_xml_attr(&x, "version", "3.22.16-Białowieża");
    bm_xml_attr(&x, "styleCategories", "AllStyleCategories");
    bm_xml_attr(&x, "labelsEnabled", l->n_labels ? "1" : "0");
    put_renderer_and_labels(&x, l);
    bm_xml_elementf(&x, "layerGeometryType", "%d", (int)l->geom);
    bm_xml_end(&x);
    return bm_xml_close(&x);
}

/* ---- legend swatches ------------------------------------------------------ */

static void put_swatch_layer(bm_xml *x, const bm_qgis_swatch *w)
{
    qml_ctx q = {x, 0};
    defined none = {.n = 0};
    static const char *const classes[] = {"SimpleMarker", "SimpleLine", "SimpleFill"};
    start_symbol_layer(&q, classes[w->geom]);
    if (w->geom == BM_QGIS_POINT) {
        const shape *sh = shape_named(w->shape);
        prop(x, "name", sh->qgis);
        prop_color(x, "color", w->fill, w->opacity);
        prop_color(x, "outline_color", w->stroke, w->opacity);
        prop_number(x, "outline_width", w->stroke_width);
        prop(x, "outline_width_unit", "Point");
        prop(x, "outline_style", w->stroke_width > 0 ? "solid" : "no");
        prop_number(x, "size", sh->size_per_radius * w->radius);
        prop(x, "size_unit", "Point");
    } else if (w->geom == BM_QGIS_LINE) {
        char dash[160] = "";
        for (size_t i = 0; i < w->n_dash; i++)
            snprintf(dash + strlen(dash), sizeof dash - strlen(dash), "%s%.4g", i ? ";" : "",
                     w->dash[i]);
        prop_color(x, "line_color", w->stroke, 1);
        prop_number(x, "line_width", w->width);
        prop(x, "line_width_unit", "Point");
        prop(x, "capstyle", w->n_dash ? "flat" : "round");
        prop(x, "use_custom_dash", w->n_dash ? "1" : "0");
        prop(x, "customdash", dash);
        prop(x, "customdash_unit", "Point");
    } else {
        prop_color(x, "color", w->fill, 1);
        prop(x, "style", "solid");
        prop_color(x, "outline_color", w->stroke, 1);
        prop_number(x, "outline_width", w->width);
        prop(x, "outline_width_unit", "Point");
    }
    put_defined(x, &none);
    bm_xml_end(x);
}

void bm_qgis_style_write_swatches(bm_xml *x, const bm_qgis_swatch *s, size_t n)
{
    start_renderer(x, "RuleRenderer");
    bm_xml_start(x, "rules");
    bm_xml_attr(x, "key", "{swatches}");
    for (size_t i = 0; i < n; i++) {
        bm_xml_start(x, "rule");
        bm_xml_attrf(x, "key", "{swatch-%zu}", i);
        bm_xml_attrf(x, "symbol", "%zu", i);
        bm_xml_attr(x, "label", s[i].label);
        bm_xml_end(x);
    }
    bm_xml_end(x);
    bm_xml_start(x, "symbols");
    for (size_t i = 0; i < n; i++) {
        start_symbol(x, s[i].geom, i);
        put_swatch_layer(x, &s[i]);
        bm_xml_end(x);
    }
    bm_xml_end(x);
    bm_xml_end(x);
}

/* ---- SLD ------------------------------------------------------------------ */

/* SLD sizes are pixels at the OGC's 0.28 mm, about 90.7 per inch. */
#define SLD_PX_PER_PT (25.4 / 72.0 / 0.28)

static void sld_param(bm_xml *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void sld_param(bm_xml *x, const char *name, const char *fmt, ...)
{
    char v[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    bm_xml_start(x, "se:SvgParameter");
    bm_xml_attr(x, "name", name);
    bm_xml_text(x, v);
    bm_xml_end(x);
}

static void sld_color(bm_xml *x, const char *name, bm_color c, double opacity)
{
    char opacity_name[64];
    sld_param(x, name, "#%02x%02x%02x", (int)(c.r * 255 + 0.5), (int)(c.g * 255 + 0.5),
              (int)(c.b * 255 + 0.5));
    snprintf(opacity_name, sizeof opacity_name, "%s-opacity", name);
    if (c.a * opacity < 1)
        sld_param(x, opacity_name, "%.3g", c.a * opacity);
}

/* ---- SLD filters ---- */

static void ogc_compare(bm_xml *x, const char *op, const char *field, const char *value)
{
    bm_xml_start(x, op);
    bm_xml_element(x, "ogc:PropertyName", field);
    bm_xml_element(x, "ogc:Literal", value);
    bm_xml_end(x);
}

static void ogc_is_null(bm_xml *x, const char *field)
{
    bm_xml_start(x, "ogc:PropertyIsNull");
    bm_xml_element(x, "ogc:PropertyName", field);
    bm_xml_end(x);
}

static void ogc_any_equal(bm_xml *x, const char *field, const char *const *values, size_t n,
                          int or_null)
{
    int wrap = n + (or_null != 0) > 1;
    if (wrap)
        bm_xml_start(x, "ogc:Or");
    if (or_null)
        ogc_is_null(x, field);
    for (size_t i = 0; i < n; i++)
        ogc_compare(x, "ogc:PropertyIsEqualTo", field, values[i]);
    if (wrap)
        bm_xml_end(x);
}

/* field among values, read as put_membership does: "" also takes NULL,
 * and a negation takes NULL. */
static void ogc_membership(bm_xml *x, const char *field, const char *const *values, size_t n,
                           int negate)
{
    int empty = 0;
    for (size_t i = 0; i < n; i++)
        empty |= !values[i][0];
    if (!negate) {
        ogc_any_equal(x, field, values, n, empty);
        return;
    }
    if (empty) {
        bm_xml_start(x, "ogc:Not");
        ogc_any_equal(x, field, values, n, 1);
        bm_xml_end(x);
        return;
    }
    bm_xml_start(x, "ogc:Or");
    ogc_is_null(x, field);
    if (n == 1) {
        ogc_compare(x, "ogc:PropertyIsNotEqualTo", field, values[0]);
    } else {
        bm_xml_start(x, "ogc:Not");
        ogc_any_equal(x, field, values, n, 0);
        bm_xml_end(x);
    }
    bm_xml_end(x);
}

static void ogc_filter(bm_xml *x, const bm_style_filter *f)
{
    if (f->op == BM_STYLE_FILTER_ALL || f->op == BM_STYLE_FILTER_ANY) {
        int wrap = f->n != 1;
        if (wrap)
            bm_xml_start(x, f->op == BM_STYLE_FILTER_ALL ? "ogc:And" : "ogc:Or");
        for (size_t i = 0; i < f->n; i++)
            ogc_filter(x, &f->children[i]);
        if (wrap)
            bm_xml_end(x);
        return;
    }
    static const char *const comparisons[] = {
        [BM_STYLE_FILTER_LT] = "ogc:PropertyIsLessThan",
        [BM_STYLE_FILTER_LE] = "ogc:PropertyIsLessThanOrEqualTo",
        [BM_STYLE_FILTER_GT] = "ogc:PropertyIsGreaterThan",
        [BM_STYLE_FILTER_GE] = "ogc:PropertyIsGreaterThanOrEqualTo",
    };
    if (bm_style_filter_comparison(f->op)) {
        ogc_compare(x, comparisons[f->op], f->field, f->values[0]);
        return;
    }
    const char *values[64];
    size_t n = f->n < 64 ? f->n : 64;
    for (size_t i = 0; i < n; i++)
        values[i] = f->values[i];
    ogc_membership(x, f->field, values, n, f->op == BM_STYLE_FILTER_NE);
}

/* A class of a number-driven property, SLD having no expressions: of an
 * interpolated radius or fill colour (see the header), the features at or
 * below stop[0] (and those without a value), then each interval up to the
 * next stop, the last open-ended; of a step's fill colour, those below
 * stop[0] (or without a value), then each from its stop to the next. */
typedef struct size_class {
    const bm_prop *radius; /* the property (a radius or a fill colour); NULL: no classes */
    size_t index;
} size_class;

/* The property whose classes a draw layer's SLD rules follow, or NULL. */
static const bm_prop *class_prop(const bm_layer *d)
{
    if (d->type == BM_LAYER_CIRCLE && d->circle_radius.kind == BM_PROP_INTERPOLATE)
        return &d->circle_radius;
    if (d->type == BM_LAYER_FILL && (d->fill_color.kind == BM_PROP_INTERPOLATE ||
                                     d->fill_color.kind == BM_PROP_STEP))
        return &d->fill_color;
    return NULL;
}

static size_t size_class_count(const bm_layer *d)
{
    const bm_prop *p = class_prop(d);
    return !p ? 1 : p->kind == BM_PROP_STEP ? p->n + 1 : p->n;
}

/* A step's class: [stop i-1, stop i). */
static void ogc_step_class(bm_xml *x, const size_class *sc)
{
    const bm_prop *r = sc->radius;
    char stop[32];
    int below = sc->index < r->n, above = sc->index > 0;
    if (!above) {
        bm_xml_start(x, "ogc:Or");
        ogc_is_null(x, r->field);
    } else if (below) {
        bm_xml_start(x, "ogc:And");
    }
    if (above) {
        snprintf(stop, sizeof stop, "%.10g", r->stops[sc->index - 1]);
        ogc_compare(x, "ogc:PropertyIsGreaterThanOrEqualTo", r->field, stop);
    }
    if (below) {
        snprintf(stop, sizeof stop, "%.10g", r->stops[sc->index]);
        ogc_compare(x, "ogc:PropertyIsLessThan", r->field, stop);
    }
    if (!above || below)
        bm_xml_end(x);
}

static void ogc_size_class(bm_xml *x, const size_class *sc)
{
    const bm_prop *r = sc->radius;
    char stop[32];
    if (r->kind == BM_PROP_STEP) {
        ogc_step_class(x, sc);
        return;
    }
    if (sc->index == 0) {
        snprintf(stop, sizeof stop, "%.10g", r->stops[0]);
        bm_xml_start(x, "ogc:Or");
        ogc_is_null(x, r->field);
        ogc_compare(x, "ogc:PropertyIsLessThanOrEqualTo", r->field, stop);
        bm_xml_end(x);
        return;
    }
    int bounded = sc->index + 1 < r->n;
    if (bounded)
        bm_xml_start(x, "ogc:And");
    snprintf(stop, sizeof stop, "%.10g", r->stops[sc->index - 1]);
    ogc_compare(x, "ogc:PropertyIsGreaterThan", r->field, stop);
    if (bounded) {
        snprintf(stop, sizeof stop, "%.10g", r->stops[sc->index]);
        ogc_compare(x, "ogc:PropertyIsLessThanOrEqualTo", r->field, stop);
        bm_xml_end(x);
    }
}

static size_t case_conditions(const bm_layer *d, const style_case *c, const size_class *sc)
{
    return (d->filter != NULL) + c->lc->n_fields + (sc->radius != NULL);
}

static void ogc_rule_filter(bm_xml *x, const bm_layer *d, const style_case *c, const size_class *sc)
{
    size_t n = case_conditions(d, c, sc);
    if (n == 0)
        return;
    bm_xml_start(x, "ogc:Filter");
    if (n > 1)
        bm_xml_start(x, "ogc:And");
    if (d->filter)
        ogc_filter(x, d->filter);
    for (size_t i = 0; i < c->lc->n_fields; i++) {
        const keys *k = &c->lc->keys[i];
        if (c->value[i])
            ogc_membership(x, c->lc->field[i], &c->value[i], 1, 0);
        else
            ogc_membership(x, c->lc->field[i], k->items, k->n, 1);
    }
    if (sc->radius)
        ogc_size_class(x, sc);
    if (n > 1)
        bm_xml_end(x);
    bm_xml_end(x);
}

/* ---- SLD symbolizers ---- */

static void sld_stroke(bm_xml *x, bm_color c, double opacity, double width_pt, const bm_layer *dash)
{
    bm_xml_start(x, "se:Stroke");
    sld_color(x, "stroke", c, opacity);
    sld_param(x, "stroke-width", "%.3g", width_pt * SLD_PX_PER_PT);
    if (dash) {
        char v[160] = "";
        for (size_t i = 0; i < dash->n_dash; i++)
            snprintf(v + strlen(v), sizeof v - strlen(v), "%s%.3g", i ? " " : "",
                     dash->line_dash[i] * width_pt * SLD_PX_PER_PT);
        sld_param(x, "stroke-linejoin", "round");
        sld_param(x, "stroke-linecap", dash->n_dash ? "butt" : "round");
        if (dash->n_dash)
            sld_param(x, "stroke-dasharray", "%s", v);
    }
    bm_xml_end(x);
}

static double class_radius(const bm_layer *d, const style_case *c, const size_class *sc)
{
    bm_value t;
    if (!sc->radius)
        return eval(&d->circle_radius, c, &t)->number;
    return sc->radius->values[sc->index].number;
}

static void sld_point(bm_xml *x, const bm_layer *d, const style_case *c, const size_class *sc)
{
    bm_value t;
    const shape *sh = shape_named(eval(&d->icon_image, c, &t)->string);
    double opacity = eval(&d->circle_opacity, c, &t)->number;
    double stroke = eval(&d->circle_stroke_width, c, &t)->number;
    bm_xml_start(x, "se:PointSymbolizer");
    bm_xml_start(x, "se:Graphic");
    bm_xml_start(x, "se:Mark");
    bm_xml_element(x, "se:WellKnownName", sh->sld);
    bm_xml_start(x, "se:Fill");
    sld_color(x, "fill", eval(&d->circle_color, c, &t)->color, opacity);
    bm_xml_end(x);
    if (stroke > 0)
        sld_stroke(x, eval(&d->circle_stroke_color, c, &t)->color, opacity, stroke, NULL);
    bm_xml_end(x);
    bm_xml_elementf(x, "se:Size", "%.3g",
             sld_size_per_radius(sh) * class_radius(d, c, sc) * SLD_PX_PER_PT);
    if (sh->sld_rotation != 0)
        bm_xml_elementf(x, "se:Rotation", "%g", sh->sld_rotation);
    bm_xml_end(x);
    bm_xml_end(x);
}

static void sld_symbolizer(bm_xml *x, bm_qgis_geom geom, const bm_layer *d, const style_case *c,
                           const size_class *sc)
{
    bm_value t;
    if (d->type == BM_LAYER_CIRCLE) {
        sld_point(x, d, c, sc);
    } else if (d->type == BM_LAYER_FILL) {
        bm_color fill = eval(&d->fill_color, c, &t)->color;
        const bm_prop *p = sc->radius;
        if (p && p->kind == BM_PROP_STEP)
            fill = sc->index ? p->values[sc->index - 1].color : p->fallback.color;
        else if (p)
            fill = p->values[sc->index].color;
        bm_xml_start(x, "se:PolygonSymbolizer");
        bm_xml_start(x, "se:Fill");
        sld_color(x, "fill", fill, eval(&d->fill_opacity, c, &t)->number);
        bm_xml_end(x);
        bm_xml_end(x);
    } else {
        /* A line layer outlines polygons: a polygon symbolizer without fill. */
        bm_xml_start(x, geom == BM_QGIS_POLYGON ? "se:PolygonSymbolizer" : "se:LineSymbolizer");
        sld_stroke(x, eval(&d->line_color, c, &t)->color, eval(&d->line_opacity, c, &t)->number,
                   eval(&d->line_width, c, &t)->number, d);
        bm_xml_end(x);
    }
}

static void sld_rule(bm_xml *x, const bm_qgis_layer *l, const bm_layer *d, const style_case *c,
                     const size_class *sc)
{
    char label[BM_STYLE_TEXT + 96];
    rule_label(label, sizeof label, d, c);
    const bm_prop *p = sc->radius;
    if (p && p->kind == BM_PROP_STEP) {
        size_t len = strlen(label);
        snprintf(label + len, sizeof label - len, ", %s %s %g", p->field,
                 sc->index ? ">=" : "<", p->stops[sc->index ? sc->index - 1 : 0]);
    } else if (p) {
        size_t len = strlen(label);
        snprintf(label + len, sizeof label - len, ", %s %s %g", p->field,
                 sc->index ? ">" : "<=", p->stops[sc->index ? sc->index - 1 : 0]);
    }
    bm_xml_start(x, "se:Rule");
    bm_xml_element(x, "se:Name", label);
    ogc_rule_filter(x, d, c, sc);
    sld_symbolizer(x, l->geom, d, c, sc);
    bm_xml_end(x);
}

static void sld_draw_rules(bm_xml *x, const bm_qgis_layer *l)
{
    for (size_t i = 0; i < l->n_draw; i++) {
        const bm_layer *d = l->draw[i];
        layer_cases lc;
        x->failed |= cases_init(d, &lc);
        size_t classes = size_class_count(d);
        for (size_t k = 0; k < lc.count; k++) {
            style_case c = case_at(&lc, k);
            for (size_t s = 0; s < classes; s++) {
                size_class sc = {classes > 1 ? class_prop(d) : NULL, s};
                sld_rule(x, l, d, &c, &sc);
            }
        }
        cases_free(&lc);
    }
}

/* The grey outline of put_undrawn. */
/* Points: a dot of colour c, 4 pt across. */
static void sld_dot(bm_xml *x, bm_color c, double opacity)
{
    bm_xml_start(x, "se:PointSymbolizer");
    bm_xml_start(x, "se:Graphic");
    bm_xml_start(x, "se:Mark");
    bm_xml_element(x, "se:WellKnownName", "circle");
    bm_xml_start(x, "se:Fill");
    sld_color(x, "fill", c, opacity);
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_elementf(x, "se:Size", "%.3g", 4 * SLD_PX_PER_PT);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* Where the style draws nothing SLD can express: a grey outline or dot;
 * a heatmap, which SLD cannot describe, as its points in the ramp's
 * densest colour. */
static void sld_undrawn(bm_xml *x, const bm_qgis_layer *l)
{
    static const bm_color grey = {0.5, 0.5, 0.5, 1};
    bm_xml_start(x, "se:Rule");
    bm_xml_element(x, "se:Name", l->heatmap ? "heatmap points" : "undrawn");
    if (l->heatmap) {
        const bm_ramp *r = &l->heatmap->heatmap_color;
        sld_dot(x, r->color[r->n - 1], 0.6);
    } else if (l->geom == BM_QGIS_POINT) {
        sld_dot(x, grey, 1);
    } else {
        bm_xml_start(x, l->geom == BM_QGIS_POLYGON ? "se:PolygonSymbolizer" : "se:LineSymbolizer");
        sld_stroke(x, grey, 1, 0.5, NULL);
        bm_xml_end(x);
    }
    bm_xml_end(x);
}

/* SE 1.1 labels mix literal text and property names: the whole template
 * (a frontier's as its block beside the line). */
static void sld_label_text(bm_xml *x, const bm_qgis_layer *l, const bm_layer *s)
{
    char tpl[BM_STYLE_TEXT];
    label_template(l, s, tpl, sizeof tpl);
    /* Indenting would add white space to the label's text. */
    bm_xml_check(x, xmlTextWriterSetIndent(x->w, 0));
    bm_xml_start(x, "se:Label");
    for (const char *p = tpl; *p;) {
        const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
        char chunk[BM_STYLE_TEXT];
        snprintf(chunk, sizeof chunk, "%.*s", close ? (int)(open - p) : (int)strlen(p), p);
        if (chunk[0])
            bm_xml_text(x, chunk);
        if (!close)
            break;
        snprintf(chunk, sizeof chunk, "%.*s", (int)(close - open - 1), open + 1);
        bm_xml_element(x, "ogc:PropertyName", chunk);
        p = close + 1;
    }
    bm_xml_end(x);
    bm_xml_check(x, xmlTextWriterSetIndent(x->w, 1));
}

/* The label's lower left corner at the upper right of the point, the
 * first of labels.c's positions: beyond a symbol of the base radius, or
 * as far from the line's middle as the QML's beside block. */
static void sld_point_placement(bm_xml *x, double offset_pt)
{
    bm_xml_start(x, "se:PointPlacement");
    bm_xml_start(x, "se:AnchorPoint");
    bm_xml_element(x, "se:AnchorPointX", "0");
    bm_xml_element(x, "se:AnchorPointY", "0");
    bm_xml_end(x);
    bm_xml_start(x, "se:Displacement");
    bm_xml_elementf(x, "se:DisplacementX", "%.3g", offset_pt * SLD_PX_PER_PT);
    bm_xml_elementf(x, "se:DisplacementY", "%.3g", offset_pt * SLD_PX_PER_PT);
    bm_xml_end(x);
    bm_xml_end(x);
}

static void sld_label_placement(bm_xml *x, const bm_qgis_layer *l, const bm_layer *s)
{
    label_kind k = label_kind_of(l, s);
    bm_xml_start(x, "se:LabelPlacement");
    if (k == LABEL_LINE) {
        bm_xml_start(x, "se:LinePlacement");
        bm_xml_elementf(x, "se:PerpendicularOffset", "%.3g",
                        strchr(s->text_field, '\n') ? 0 : s->text_size * SLD_PX_PER_PT / 2);
        bm_xml_end(x);
    } else if (k == LABEL_BESIDE) {
        sld_point_placement(x, BESIDE_GAP_SIZES * s->text_size / sqrt(2));
    } else if (k == LABEL_POINT) {
        sld_point_placement(x, base_radius(l) + point_gap(s));
    } else {
        bm_xml_start(x, "se:PointPlacement");
        bm_xml_end(x);
    }
    bm_xml_end(x);
}

static void sld_label(bm_xml *x, const bm_qgis_layer *l, const bm_layer *s)
{
    style_case none = {0};
    bm_value t;
    bm_xml_start(x, "se:Rule");
    bm_xml_element(x, "se:Name", s->id[0] ? s->id : "labels");
    if (s->filter) {
        bm_xml_start(x, "ogc:Filter");
        ogc_filter(x, s->filter);
        bm_xml_end(x);
    }
    bm_xml_start(x, "se:TextSymbolizer");
    sld_label_text(x, l, s);
    bm_xml_start(x, "se:Font");
    sld_param(x, "font-family", "%s", s->text_font);
    sld_param(x, "font-size", "%.3g", s->text_size * SLD_PX_PER_PT);
    sld_param(x, "font-style", "%s", s->text_italic ? "italic" : "normal");
    sld_param(x, "font-weight", "%s", s->text_bold ? "bold" : "normal");
    bm_xml_end(x);
    sld_label_placement(x, l, s);
    double halo = eval(&s->text_halo_width, &none, &t)->number;
    if (halo > 0) {
        bm_xml_start(x, "se:Halo");
        bm_xml_elementf(x, "se:Radius", "%.3g", halo * SLD_PX_PER_PT);
        bm_xml_start(x, "se:Fill");
        sld_color(x, "fill", eval(&s->text_halo_color, &none, &t)->color, 1);
        bm_xml_end(x);
        bm_xml_end(x);
    }
    bm_xml_start(x, "se:Fill");
    sld_color(x, "fill", eval(&s->text_color, &none, &t)->color, 1);
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_end(x);
}

char *bm_qgis_style_sld(const bm_qgis_layer *l)
{
    bm_xml x;
    if (bm_xml_open(&x))
        return NULL;
    bm_xml_check(&x, xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL));
    bm_xml_start(&x, "StyledLayerDescriptor");
    bm_xml_attr(&x, "xmlns", "http://www.opengis.net/sld");
    bm_xml_attr(&x, "xmlns:se", "http://www.opengis.net/se");
    bm_xml_attr(&x, "xmlns:ogc", "http://www.opengis.net/ogc");
    bm_xml_attr(&x, "version", "1.1.0");
    bm_xml_start(&x, "NamedLayer");
    bm_xml_element(&x, "se:Name", l->name);
    bm_xml_start(&x, "UserStyle");
    bm_xml_start(&x, "se:FeatureTypeStyle");
    sld_draw_rules(&x, l);
    if (l->n_draw == 0)
        sld_undrawn(&x, l);
    for (size_t i = 0; i < l->n_labels; i++)
        sld_label(&x, l, l->labels[i]);
    bm_xml_end(&x);
    bm_xml_end(&x);
    bm_xml_end(&x);
    bm_xml_end(&x);
    return bm_xml_close(&x);
}
