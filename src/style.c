/*
 * style.c — reading and checking map styles, evaluating filters and
 * data-driven properties.
 *
 * Parsing is strict: an unknown key in paint or layout is an error rather
 * than silently ignored, because a typo in a style otherwise shows up only
 * as a map that looks wrong.
 */
#include "style.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "symbols.h"

typedef struct parser {
    const char *file;
    char dir[1024];
    bm_error *err;
} parser;

static int fail(parser *ps, const char *path, const char *fmt, const char *detail)
{
    char msg[400];
    snprintf(msg, sizeof msg, fmt, detail ? detail : "");
    bm_error_set(ps->err, BM_ERR_USAGE, ps->file, 0, path, "%s", msg);
    return -1;
}

/* "PATH[i]"; a path too long for the buffer is cut, never the index. */
static void index_path(char *out, size_t size, const char *path, size_t i)
{
    snprintf(out, size, "%.*s[%zu]", (int)(size > 24 ? size - 24 : 0), path, i);
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

/* ---- colours ---------------------------------------------------------- */

static int hex_digit(int c)
{
    return isdigit(c) ? c - '0' : (isxdigit(c) ? tolower(c) - 'a' + 10 : -1);
}

static int parse_hex(const char *h, bm_color *out)
{
    size_t n = strlen(h);
    int d[8];
    for (size_t i = 0; i < n; i++)
        if (n > 8 || (d[i] = hex_digit((unsigned char)h[i])) < 0)
            return -1;
    if (n == 3 || n == 4) {
        out->r = d[0] / 15.0, out->g = d[1] / 15.0, out->b = d[2] / 15.0;
        out->a = n == 4 ? d[3] / 15.0 : 1.0;
        return 0;
    }
    if (n != 6 && n != 8)
        return -1;
    out->r = (d[0] * 16 + d[1]) / 255.0, out->g = (d[2] * 16 + d[3]) / 255.0;
    out->b = (d[4] * 16 + d[5]) / 255.0;
    out->a = n == 8 ? (d[6] * 16 + d[7]) / 255.0 : 1.0;
    return 0;
}

int bm_style_parse_color(const char *text, bm_color *out)
{
    static const struct { const char *name, *hex; } names[] = {
        {"black", "000"}, {"white", "fff"}, {"transparent", "0000"}, {"red", "f00"},
        {"blue", "00f"}, {"green", "008000"}, {"grey", "808080"}, {"gray", "808080"},
    };
    double r, g, b, a = 1.0;
    int end = 0;
    if (text[0] == '#')
        return parse_hex(text + 1, out);
    /* Whole text only, and NaN (which sscanf reads) fails every range. */
    if (((sscanf(text, "rgb(%lf ,%lf ,%lf )%n", &r, &g, &b, &end) == 3 && end > 0) ||
         (sscanf(text, "rgba(%lf ,%lf ,%lf ,%lf )%n", &r, &g, &b, &a, &end) == 4 && end > 0))) {
        if (text[end] != '\0' || !(r >= 0 && r <= 255) || !(g >= 0 && g <= 255) ||
            !(b >= 0 && b <= 255) || !(a >= 0 && a <= 1))
            return -1;
        *out = (bm_color){r / 255.0, g / 255.0, b / 255.0, a};
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(text, names[i].name) == 0)
            return parse_hex(names[i].hex, out);
    return -1;
}

/* ---- properties --------------------------------------------------------- */

typedef enum value_kind { VAL_NUMBER, VAL_COLOR, VAL_STRING } value_kind;

static int parse_value(parser *ps, json_t *j, value_kind kind, const char *path, bm_value *out)
{
    memset(out, 0, sizeof *out);
    if (kind == VAL_NUMBER) {
        if (!json_is_number(j) || json_number_value(j) < 0)
            return fail(ps, path, "expected a non-negative number%s", NULL);
        out->number = json_number_value(j);
    } else if (kind == VAL_COLOR) {
        if (!json_is_string(j) || bm_style_parse_color(json_string_value(j), &out->color))
            return fail(ps, path, "expected a colour (#rrggbb, rgb(), rgba() or a CSS name)%s",
                        NULL);
    } else {
        if (!json_is_string(j) || strlen(json_string_value(j)) >= sizeof out->string)
            return fail(ps, path, "expected a short string%s", NULL);
        copy(out->string, sizeof out->string, json_string_value(j));
    }
    return 0;
}

static int parse_get(parser *ps, json_t *j, const char *path, bm_prop *p)
{
    if (!json_is_array(j) || json_array_size(j) != 2 ||
        strcmp(json_string_value(json_array_get(j, 0)) ? json_string_value(json_array_get(j, 0))
                                                       : "", "get") != 0 ||
        !json_is_string(json_array_get(j, 1)))
        return fail(ps, path, "expected [\"get\", FIELD]%s", NULL);
    copy(p->field, sizeof p->field, json_string_value(json_array_get(j, 1)));
    copy(p->path, sizeof p->path, path);
    return 0;
}

static int add_case(bm_prop *p, const char *key, const bm_value *v)
{
    void *k = realloc(p->keys, (p->n + 1) * sizeof *p->keys);
    if (k)
        p->keys = k;
    void *vals = realloc(p->values, (p->n + 1) * sizeof *p->values);
    if (vals)
        p->values = vals;
    if (!k || !vals)
        return -1;
    copy(p->keys[p->n], sizeof *p->keys, key);
    p->values[p->n++] = *v;
    return 0;
}

static int parse_match(parser *ps, json_t *j, value_kind kind, const char *path, bm_prop *p)
{
    char sub[BM_STYLE_PATH];
    size_t n = json_array_size(j);
    snprintf(sub, sizeof sub, "%s[1]", path);
    if (n < 5 || n % 2 == 0)
        return fail(ps, path, "expected [\"match\", [\"get\", F], LABEL, VALUE, ..., FALLBACK]%s",
                    NULL);
    if (parse_get(ps, json_array_get(j, 1), sub, p))
        return -1;
    p->kind = BM_PROP_MATCH;
    for (size_t i = 2; i + 1 < n; i += 2) {
        bm_value v;
        json_t *labels = json_array_get(j, i);
        index_path(sub, sizeof sub, path, i + 1);
        if (parse_value(ps, json_array_get(j, i + 1), kind, sub, &v))
            return -1;
        index_path(sub, sizeof sub, path, i);
        size_t nl = json_is_array(labels) ? json_array_size(labels) : 1;
        for (size_t k = 0; k < nl; k++) {
            json_t *l = json_is_array(labels) ? json_array_get(labels, k) : labels;
            if (!json_is_string(l))
                return fail(ps, sub, "expected a string label or an array of them%s", NULL);
            if (add_case(p, json_string_value(l), &v))
                return fail(ps, sub, "out of memory%s", NULL);
        }
    }
    index_path(sub, sizeof sub, path, n - 1);
    return parse_value(ps, json_array_get(j, n - 1), kind, sub, &p->fallback);
}

/* The increasing stops and their values of a step or an interpolation,
 * from element 3 of j on: X1, Y1, X2, Y2, ... */
static int parse_stops(parser *ps, json_t *j, value_kind kind, const char *path, bm_prop *p)
{
    char sub[BM_STYLE_PATH];
    p->n = (json_array_size(j) - 3) / 2;
    p->stops = calloc(p->n, sizeof *p->stops);
    p->values = calloc(p->n, sizeof *p->values);
    if (!p->stops || !p->values)
        return fail(ps, path, "out of memory%s", NULL);
    for (size_t i = 0; i < p->n; i++) {
        json_t *in = json_array_get(j, 3 + 2 * i);
        index_path(sub, sizeof sub, path, 3 + 2 * i);
        if (!json_is_number(in) || (i > 0 && json_number_value(in) <= p->stops[i - 1]))
            return fail(ps, sub, "expected increasing numeric stops%s", NULL);
        p->stops[i] = json_number_value(in);
        index_path(sub, sizeof sub, path, 4 + 2 * i);
        if (parse_value(ps, json_array_get(j, 4 + 2 * i), kind, sub, &p->values[i]))
            return -1;
    }
    return 0;
}

/* ["step", ["get", F], BASE, X1, Y1, X2, Y2, ...], stops increasing. */
static int parse_step(parser *ps, json_t *j, value_kind kind, const char *path, bm_prop *p)
{
    char sub[BM_STYLE_PATH];
    size_t n = json_array_size(j);
    index_path(sub, sizeof sub, path, 1);
    if (n < 5 || n % 2 == 0)
        return fail(ps, path, "expected [\"step\", [\"get\", F], BASE, X1, Y1, X2, Y2, ...]%s",
                    NULL);
    if (parse_get(ps, json_array_get(j, 1), sub, p))
        return -1;
    p->kind = BM_PROP_STEP;
    index_path(sub, sizeof sub, path, 2);
    if (parse_value(ps, json_array_get(j, 2), kind, sub, &p->fallback))
        return -1;
    return parse_stops(ps, j, kind, path, p);
}

static int parse_interpolate(parser *ps, json_t *j, value_kind kind, const char *path,
                             bm_prop *p)
{
    char sub[BM_STYLE_PATH];
    size_t n = json_array_size(j);
    index_path(sub, sizeof sub, path, 2);
    json_t *how = json_array_get(j, 1);
    if (n < 7 || n % 2 == 0 || !json_is_array(how) ||
        !json_is_string(json_array_get(how, 0)) ||
        strcmp(json_string_value(json_array_get(how, 0)), "linear") != 0)
        return fail(ps, path, "expected [\"interpolate\", [\"linear\"], [\"get\", F], "
                              "IN1, OUT1, IN2, OUT2, ...]%s", NULL);
    if (parse_get(ps, json_array_get(j, 2), sub, p))
        return -1;
    p->kind = BM_PROP_INTERPOLATE;
    if (parse_stops(ps, j, kind, path, p))
        return -1;
    p->fallback = p->values[0];
    return 0;
}

static int parse_prop(parser *ps, json_t *j, value_kind kind, const char *path, bm_prop *p)
{
    if (!json_is_array(j)) {
        p->kind = BM_PROP_CONST;
        return parse_value(ps, j, kind, path, &p->fallback);
    }
    const char *op = json_string_value(json_array_get(j, 0));
    if (op && strcmp(op, "match") == 0)
        return parse_match(ps, j, kind, path, p);
    if (op && strcmp(op, "interpolate") == 0 && kind != VAL_STRING)
        return parse_interpolate(ps, j, kind, path, p);
    if (op && strcmp(op, "step") == 0 && kind != VAL_STRING)
        return parse_step(ps, j, kind, path, p);
    return fail(ps, path, "expected a constant or a %s expression",
                kind != VAL_STRING ? "match, interpolate or step" : "match");
}

static void const_number(bm_prop *p, double v)
{
    p->kind = BM_PROP_CONST;
    p->fallback.number = v;
}

static void const_color(bm_prop *p, const char *hex)
{
    p->kind = BM_PROP_CONST;
    bm_style_parse_color(hex, &p->fallback.color);
}

static void free_prop(bm_prop *p)
{
    free(p->keys);
    free(p->stops);
    free(p->values);
}

static double field_number(const char *s)
{
    char *end;
    double v = s ? strtod(s, &end) : NAN;
    return s && end != s ? v : NAN;
}

const bm_value *bm_prop_eval(const bm_prop *p, bm_style_getter get, void *feature,
                             bm_value *scratch)
{
    if (p->kind == BM_PROP_MATCH) {
        const char *v = get(p->field, feature);
        for (size_t i = 0; v && i < p->n; i++)
            if (strcmp(p->keys[i], v) == 0)
                return &p->values[i];
        return &p->fallback;
    }
    if (p->kind == BM_PROP_STEP) {
        double x = field_number(get(p->field, feature));
        const bm_value *v = &p->fallback;
        for (size_t i = 0; i < p->n && x >= p->stops[i]; i++)
            v = &p->values[i];
        return v;
    }
    if (p->kind != BM_PROP_INTERPOLATE)
        return &p->fallback;
    double x = field_number(get(p->field, feature));
    if (!(x > p->stops[0]))
        return &p->values[0];
    for (size_t i = 1; i < p->n; i++) {
        if (x <= p->stops[i]) {
            double t = (x - p->stops[i - 1]) / (p->stops[i] - p->stops[i - 1]);
            const bm_value *a = &p->values[i - 1], *b = &p->values[i];
            *scratch = *b;
            scratch->number = a->number + t * (b->number - a->number);
            scratch->color = (bm_color){a->color.r + t * (b->color.r - a->color.r),
                                        a->color.g + t * (b->color.g - a->color.g),
                                        a->color.b + t * (b->color.b - a->color.b),
                                        a->color.a + t * (b->color.a - a->color.a)};
            return scratch;
        }
    }
    return &p->values[p->n - 1];
}

/* ---- filters ------------------------------------------------------------ */

static const char *const filter_ops[] = {"==", "!=", "in", "all", "any", "<", "<=", ">", ">="};
#define N_FILTER_OPS (sizeof filter_ops / sizeof *filter_ops)

const char *bm_style_filter_comparison(bm_style_filter_op op)
{
    return op >= BM_STYLE_FILTER_LT && (size_t)op < N_FILTER_OPS ? filter_ops[op] : NULL;
}

static int parse_filter(parser *ps, json_t *j, const char *path, bm_style_filter *f)
{
    const char *op = json_is_array(j) ? json_string_value(json_array_get(j, 0)) : NULL;
    size_t n = json_array_size(j), i;
    for (i = 0; op && i < N_FILTER_OPS && strcmp(op, filter_ops[i]) != 0; i++)
        ;
    if (!op || i == N_FILTER_OPS)
        return fail(ps, path,
                    "expected a filter [\"==\"|\"!=\"|\"in\"|\"<\"|\"<=\"|\">\"|\">=\"|"
                    "\"all\"|\"any\", ...]%s",
                    NULL);
    f->op = (bm_style_filter_op)i;
    copy(f->path, sizeof f->path, path);
    char sub[BM_STYLE_PATH];
    if (f->op == BM_STYLE_FILTER_ALL || f->op == BM_STYLE_FILTER_ANY) {
        f->n = n - 1;
        f->children = calloc(n, sizeof *f->children);
        if (!f->children)
            return fail(ps, path, "out of memory%s", NULL);
        for (size_t k = 1; k < n; k++) {
            index_path(sub, sizeof sub, path, k);
            if (parse_filter(ps, json_array_get(j, k), sub, &f->children[k - 1]))
                return -1;
        }
        return 0;
    }
    json_t *field = json_array_get(j, 1);
    if (json_is_array(field) && json_array_size(field) == 2)
        field = json_array_get(field, 1); /* ["get", F] as well as a bare F */
    snprintf(sub, sizeof sub, "%s[1]", path);
    if (!json_is_string(field) || n < 3 || (f->op != BM_STYLE_FILTER_IN && n != 3))
        return fail(ps, n < 3 ? path : sub, "expected [\"%s\", FIELD, VALUE...]", op);
    copy(f->field, sizeof f->field, json_string_value(field));
    f->n = n - 2;
    f->values = calloc(f->n, sizeof *f->values);
    if (!f->values)
        return fail(ps, path, "out of memory%s", NULL);
    for (size_t k = 0; k < f->n; k++) {
        json_t *v = json_array_get(j, k + 2);
        index_path(sub, sizeof sub, path, k + 2);
        if (bm_style_filter_comparison(f->op) && !json_is_number(v))
            return fail(ps, sub, "expected a number to compare with%s", NULL);
        if (json_is_string(v))
            copy(f->values[k], sizeof *f->values, json_string_value(v));
        else if (json_is_number(v))
            snprintf(f->values[k], sizeof *f->values, "%.15g", json_number_value(v));
        else
            return fail(ps, sub, "expected a string or number%s", NULL);
    }
    return 0;
}

static void free_filter(bm_style_filter *f)
{
    for (size_t i = 0; f->children && i < f->n; i++)
        free_filter(&f->children[i]);
    free(f->children);
    free(f->values);
}

static int values_equal(const char *a, const char *b)
{
    double x = field_number(a), y = field_number(b);
    return strcmp(a, b) == 0 || (!isnan(x) && !isnan(y) && x == y);
}

/* A comparison holds only for a value that reads as a number. */
static int compare(bm_style_filter_op op, const char *value, const char *limit)
{
    double x = field_number(value), y = field_number(limit);
    switch (op) {
    case BM_STYLE_FILTER_LT: return x < y;
    case BM_STYLE_FILTER_LE: return x <= y;
    case BM_STYLE_FILTER_GT: return x > y;
    default: return x >= y;
    }
}

int bm_style_filter_eval(const bm_style_filter *f, bm_style_getter get, void *feature)
{
    if (!f)
        return 1;
    if (bm_style_filter_comparison(f->op))
        return compare(f->op, get(f->field, feature), f->values[0]);
    if (f->op == BM_STYLE_FILTER_ALL || f->op == BM_STYLE_FILTER_ANY) {
        int any = f->op == BM_STYLE_FILTER_ANY;
        for (size_t i = 0; i < f->n; i++)
            if (bm_style_filter_eval(&f->children[i], get, feature) == any)
                return any;
        return f->op == BM_STYLE_FILTER_ALL;
    }
    const char *v = get(f->field, feature);
    v = v ? v : "";
    for (size_t i = 0; i < f->n; i++)
        if (values_equal(v, f->values[i]))
            return f->op != BM_STYLE_FILTER_NE;
    return f->op == BM_STYLE_FILTER_NE;
}

static int filter_fields(const bm_style_filter *f,
                         int (*check)(const char *, const char *, void *), void *ctx)
{
    int r = 0;
    if (f->op != BM_STYLE_FILTER_ALL && f->op != BM_STYLE_FILTER_ANY)
        return check(f->field, f->path, ctx);
    for (size_t i = 0; !r && i < f->n; i++)
        r = filter_fields(&f->children[i], check, ctx);
    return r;
}

/* The {field} names of a label template. */
static int template_fields(const bm_layer *l,
                           int (*check)(const char *field, const char *path, void *ctx), void *ctx)
{
    char path[BM_STYLE_PATH];
    snprintf(path, sizeof path, "layers[%zu].layout.text-field", l->index);
    for (const char *p = strchr(l->text_field, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        char field[BM_STYLE_NAME];
        if (!end || end - p - 1 >= (long)sizeof field)
            break;
        snprintf(field, sizeof field, "%.*s", (int)(end - p - 1), p + 1);
        int r = check(field, path, ctx);
        if (r)
            return r;
    }
    return 0;
}

/* Every property of a layer that may be data-driven. */
#define N_LAYER_PROPS 18
static size_t layer_props(bm_layer *l, bm_prop **out)
{
    bm_prop *props[N_LAYER_PROPS] = {
        &l->fill_color,         &l->fill_opacity,      &l->line_color,
        &l->line_width,         &l->line_opacity,      &l->circle_color,
        &l->circle_radius,      &l->circle_opacity,    &l->circle_stroke_color,
        &l->circle_stroke_width, &l->text_color,       &l->text_halo_color,
        &l->text_halo_width,    &l->icon_image,        &l->heatmap_radius,
        &l->heatmap_weight,     &l->heatmap_intensity, &l->heatmap_opacity};
    memcpy(out, props, sizeof props);
    return N_LAYER_PROPS;
}

int bm_layer_fields(const bm_layer *l, int (*check)(const char *field, const char *path, void *ctx),
                    void *ctx)
{
    bm_prop *props[N_LAYER_PROPS];
    size_t n = layer_props((bm_layer *)l, props);
    int r = l->filter ? filter_fields(l->filter, check, ctx) : 0;
    for (size_t i = 0; !r && i < n; i++)
        if (props[i]->kind != BM_PROP_CONST)
            r = check(props[i]->field, props[i]->path, ctx);
    return r ? r : template_fields(l, check, ctx);
}

/* ---- layers ------------------------------------------------------------- */

typedef struct prop_spec {
    const char *name;
    size_t offset;
    value_kind kind;
    unsigned types; /* bit per bm_layer_type the property applies to */
    double max;     /* numbers: the largest value a style may give, from 0 */
} prop_spec;

/* The ranges keep a map drawable: an opacity is a fraction, and widths and
 * radii in pixels stay below what cairo can stroke in reasonable time. */
#define T(x) (1u << BM_LAYER_##x)
#define P(name, member, kind, types, max) {name, offsetof(bm_layer, member), kind, types, max}
static const prop_spec paint_specs[] = {
    P("fill-color", fill_color, VAL_COLOR, T(FILL), 0),
    P("fill-opacity", fill_opacity, VAL_NUMBER, T(FILL), 1),
    P("line-color", line_color, VAL_COLOR, T(LINE) | T(FRONTIER), 0),
    P("line-width", line_width, VAL_NUMBER, T(LINE) | T(FRONTIER), 100),
    P("line-opacity", line_opacity, VAL_NUMBER, T(LINE) | T(FRONTIER), 1),
    P("circle-color", circle_color, VAL_COLOR, T(CIRCLE), 0),
    P("circle-radius", circle_radius, VAL_NUMBER, T(CIRCLE), 200),
    P("circle-opacity", circle_opacity, VAL_NUMBER, T(CIRCLE), 1),
    P("circle-stroke-color", circle_stroke_color, VAL_COLOR, T(CIRCLE), 0),
    P("circle-stroke-width", circle_stroke_width, VAL_NUMBER, T(CIRCLE), 50),
    P("text-color", text_color, VAL_COLOR, T(SYMBOL) | T(FRONTIER) | T(CIRCLE), 0),
    P("text-halo-color", text_halo_color, VAL_COLOR, T(SYMBOL) | T(FRONTIER) | T(CIRCLE), 0),
    P("text-halo-width", text_halo_width, VAL_NUMBER, T(SYMBOL) | T(FRONTIER) | T(CIRCLE), 20),
    P("heatmap-radius", heatmap_radius, VAL_NUMBER, T(HEATMAP), 500),
    P("heatmap-weight", heatmap_weight, VAL_NUMBER, T(HEATMAP), 1e6),
    P("heatmap-intensity", heatmap_intensity, VAL_NUMBER, T(HEATMAP), 100),
    P("heatmap-opacity", heatmap_opacity, VAL_NUMBER, T(HEATMAP), 1),
};
#undef P

/* Every number a property can take, its constant, cases and stops. */
static int check_range(parser *ps, const bm_prop *p, double max, const char *path)
{
    int bad = !(p->fallback.number <= max);
    for (size_t i = 0; !bad && p->values && i < p->n; i++)
        bad = !(p->values[i].number <= max);
    char msg[64];
    snprintf(msg, sizeof msg, "expected numbers from 0 to %g", max);
    return bad ? fail(ps, path, "%s", msg) : 0;
}

/* MapLibre's default heatmap-color: transparent blue, royalblue, cyan,
 * lime, yellow, red. */
static const bm_ramp default_ramp = {
    6, {0, 0.1, 0.3, 0.5, 0.7, 1},
    {{0, 0, 1, 0}, {65 / 255.0, 105 / 255.0, 225 / 255.0, 1}, {0, 1, 1, 1}, {0, 1, 0, 1},
     {1, 1, 0, 1}, {1, 0, 0, 1}}};

/* ["interpolate", ["linear"], ["heatmap-density"], D1, C1, D2, C2, ...],
 * densities rising from 0 to 1. */
static int parse_ramp(parser *ps, json_t *j, const char *path, bm_ramp *r)
{
    json_t *input = json_array_get(j, 2);
    size_t n = json_array_size(j);
    const char *op = json_string_value(json_array_get(j, 0));
    if (!op || strcmp(op, "interpolate") != 0 || !json_is_array(input) ||
        json_string_value(json_array_get(input, 0)) == NULL ||
        strcmp(json_string_value(json_array_get(input, 0)), "heatmap-density") != 0 || n < 5 ||
        n % 2 == 0 || (n - 3) / 2 > BM_RAMP_MAX)
        return fail(ps, path, "expected [\"interpolate\", [\"linear\"], [\"heatmap-density\"], "
                              "D1, COLOR1, ...] with up to 16 stops%s", NULL);
    r->n = (n - 3) / 2;
    for (size_t i = 0; i < r->n; i++) {
        char sub[BM_STYLE_PATH];
        json_t *d = json_array_get(j, 3 + 2 * i);
        bm_value c;
        index_path(sub, sizeof sub, path, 3 + 2 * i);
        if (!json_is_number(d) || json_number_value(d) < 0 || json_number_value(d) > 1 ||
            (i > 0 && json_number_value(d) <= r->density[i - 1]))
            return fail(ps, sub, "expected densities rising from 0 to 1%s", NULL);
        r->density[i] = json_number_value(d);
        index_path(sub, sizeof sub, path, 4 + 2 * i);
        if (parse_value(ps, json_array_get(j, 4 + 2 * i), VAL_COLOR, sub, &c))
            return -1;
        r->color[i] = c.color;
    }
    return 0;
}

bm_color bm_ramp_color(const bm_ramp *r, double density)
{
    if (density <= r->density[0])
        return r->color[0];
    for (size_t i = 1; i < r->n; i++)
        if (density <= r->density[i]) {
            double t = (density - r->density[i - 1]) / (r->density[i] - r->density[i - 1]);
            bm_color a = r->color[i - 1], b = r->color[i];
            return (bm_color){a.r + t * (b.r - a.r), a.g + t * (b.g - a.g), a.b + t * (b.b - a.b),
                              a.a + t * (b.a - a.a)};
        }
    return r->color[r->n - 1];
}

static void layer_defaults(bm_layer *l)
{
    const_color(&l->fill_color, "#e0ddd5");
    const_number(&l->fill_opacity, 1);
    const_color(&l->line_color, "#808080");
    const_number(&l->line_width, 0.5);
    const_number(&l->line_opacity, 1);
    const_color(&l->circle_color, "#000");
    const_number(&l->circle_radius, 3);
    const_number(&l->circle_opacity, 1);
    const_color(&l->circle_stroke_color, "#fff");
    const_number(&l->circle_stroke_width, 0.5);
    const_color(&l->text_color, "#222");
    const_color(&l->text_halo_color, "#fff");
    const_number(&l->text_halo_width, 1);
    const_number(&l->heatmap_radius, 30);
    const_number(&l->heatmap_weight, 1);
    const_number(&l->heatmap_intensity, 1);
    const_number(&l->heatmap_opacity, 1);
    l->heatmap_color = default_ramp;
    l->icon_image.kind = BM_PROP_CONST;
    copy(l->icon_image.fallback.string, sizeof l->icon_image.fallback.string, "circle");
    copy(l->text_font, sizeof l->text_font, "DejaVu Sans");
    l->text_size = 8;
    l->sort_key = l->type == BM_LAYER_FRONTIER ? 0 : 10;
    if (l->type == BM_LAYER_FRONTIER)
        copy(l->text_field, sizeof l->text_field, "{name} · {length}\n{reported}");
}

static int parse_paint(parser *ps, json_t *paint, bm_layer *l, const char *base)
{
    const char *key;
    json_t *v;
    char path[BM_STYLE_PATH];
    json_object_foreach(paint, key, v) {
        snprintf(path, sizeof path, "%s.paint.%s", base, key);
        if (strcmp(key, "line-dasharray") == 0) {
            l->n_dash = json_array_size(v);
            if (!json_is_array(v) || l->n_dash == 0 || l->n_dash > 8)
                return fail(ps, path, "expected an array of 1 to 8 dash lengths%s", NULL);
            for (size_t i = 0; i < l->n_dash; i++) {
                l->line_dash[i] = json_number_value(json_array_get(v, i));
                if (!(l->line_dash[i] > 0 && l->line_dash[i] <= 1000))
                    return fail(ps, path, "expected dash lengths above 0, at most 1000%s", NULL);
            }
            continue;
        }
        if (strcmp(key, "heatmap-color") == 0 && l->type == BM_LAYER_HEATMAP) {
            if (parse_ramp(ps, v, path, &l->heatmap_color))
                return -1;
            continue;
        }
        size_t i;
        for (i = 0; i < sizeof paint_specs / sizeof *paint_specs; i++)
            if (strcmp(key, paint_specs[i].name) == 0)
                break;
        if (i == sizeof paint_specs / sizeof *paint_specs || !(paint_specs[i].types & (1u << l->type)))
            return fail(ps, path, "unknown paint property for this layer type%s", NULL);
        bm_prop *p = (bm_prop *)((char *)l + paint_specs[i].offset);
        if (parse_prop(ps, v, paint_specs[i].kind, path, p) ||
            (paint_specs[i].kind == VAL_NUMBER && check_range(ps, p, paint_specs[i].max, path)))
            return -1;
        /* As in MapLibre, a heatmap's intensity and opacity are one number. */
        if ((p == &l->heatmap_intensity || p == &l->heatmap_opacity) && p->kind != BM_PROP_CONST)
            return fail(ps, path, "expected a number%s", NULL);
    }
    return 0;
}

static int parse_font(parser *ps, json_t *v, bm_layer *l, const char *path)
{
    json_t *first = json_is_array(v) ? json_array_get(v, 0) : v;
    if (!json_is_string(first))
        return fail(ps, path, "expected a font name such as [\"DejaVu Sans Bold\"]%s", NULL);
    char name[BM_STYLE_NAME];
    copy(name, sizeof name, json_string_value(first));
    /* "Noto Sans Bold Italic" → family "Noto Sans", bold, italic. */
    for (char *w; (w = strrchr(name, ' ')) != NULL;) {
        if (strcmp(w, " Bold") == 0)
            l->text_bold = 1;
        else if (strcmp(w, " Italic") == 0 || strcmp(w, " Oblique") == 0)
            l->text_italic = 1;
        else if (strcmp(w, " Regular") != 0 && strcmp(w, " Book") != 0)
            break;
        *w = '\0';
    }
    copy(l->text_font, sizeof l->text_font, name);
    return 0;
}

static int check_shape(parser *ps, const char *name, const char *path)
{
    bm_shape shape;
    return bm_symbol_shape_parse(name, &shape)
               ? fail(ps, path, "unknown shape '%s' (expected circle, square, triangle, "
                                "diamond, star or cross)", name)
               : 0;
}

static int check_shapes(parser *ps, const bm_layer *l, const char *path)
{
    const bm_prop *p = &l->icon_image;
    int r = check_shape(ps, p->fallback.string, path);
    for (size_t i = 0; !r && i < p->n; i++)
        r = check_shape(ps, p->values[i].string, path);
    return r;
}

/* A number from min to max, or an error naming the JSON path. */
static int parse_bounded(parser *ps, json_t *v, double min, double max, const char *path,
                         double *out)
{
    double x = json_number_value(v);
    char msg[64];
    snprintf(msg, sizeof msg, "expected a number from %g to %g", min, max);
    if (!json_is_number(v) || !(x >= min && x <= max))
        return fail(ps, path, "%s", msg);
    *out = x;
    return 0;
}

static int parse_layout_key(parser *ps, const char *key, json_t *v, bm_layer *l,
                            const char *path)
{
    if (strcmp(key, "text-field") == 0 && json_is_string(v))
        copy(l->text_field, sizeof l->text_field, json_string_value(v));
    else if (strcmp(key, "text-font") == 0)
        return parse_font(ps, v, l, path);
    else if (strcmp(key, "text-size") == 0)
        return parse_bounded(ps, v, 1, 200, path, &l->text_size);
    else if (strcmp(key, "text-letter-spacing") == 0)
        return parse_bounded(ps, v, -1, 5, path, &l->text_letter_spacing);
    else if (strcmp(key, "text-transform") == 0 && json_is_string(v) &&
             (strcmp(json_string_value(v), "uppercase") == 0 ||
              strcmp(json_string_value(v), "none") == 0))
        l->text_uppercase = strcmp(json_string_value(v), "uppercase") == 0;
    else if (strcmp(key, "symbol-placement") == 0 && json_is_string(v) &&
             (strcmp(json_string_value(v), "line") == 0 ||
              strcmp(json_string_value(v), "point") == 0))
        l->placement_line = strcmp(json_string_value(v), "line") == 0;
    else if (strcmp(key, "symbol-sort-key") == 0 && json_is_number(v))
        l->sort_key = json_number_value(v);
    else if (strcmp(key, "icon-image") == 0)
        return parse_prop(ps, v, VAL_STRING, path, &l->icon_image) || check_shapes(ps, l, path);
    else if (strcmp(key, "visibility") == 0 && json_is_string(v))
        return 0;
    else
        return fail(ps, path, "unknown layout property or bad value (expected text-field, "
                              "text-font, text-size, text-letter-spacing, text-transform, "
                              "symbol-placement, symbol-sort-key, icon-image)%s", NULL);
    return 0;
}

static int find_source(const bm_style *s, const char *name)
{
    for (size_t i = 0; i < s->n_sources; i++)
        if (strcmp(s->sources[i].name, name) == 0)
            return (int)i;
    return -1;
}

static const char *const layer_types[BM_LAYER_TYPES] = {
    [BM_LAYER_FILL] = "fill", [BM_LAYER_LINE] = "line", [BM_LAYER_CIRCLE] = "circle",
    [BM_LAYER_SYMBOL] = "symbol", [BM_LAYER_FRONTIER] = "frontier", [BM_LAYER_HEATMAP] = "heatmap",
};

const char *bm_layer_type_name(bm_layer_type type)
{
    return type < BM_LAYER_TYPES ? layer_types[type] : NULL;
}

static int parse_layer_type(parser *ps, json_t *j, bm_layer *l, const char *base)
{
    const char *t = json_string_value(json_object_get(j, "type"));
    char path[BM_STYLE_PATH], expected[128] = "";
    snprintf(path, sizeof path, "%s.type", base);
    for (int i = 0; i < BM_LAYER_TYPES; i++) {
        if (t && strcmp(t, layer_types[i]) == 0) {
            l->type = (bm_layer_type)i;
            return 0;
        }
        size_t len = strlen(expected);
        snprintf(expected + len, sizeof expected - len, "%s%s", i == 0 ? ""
                 : i + 1 == BM_LAYER_TYPES ? " or " : ", ", layer_types[i]);
    }
    char msg[256];
    snprintf(msg, sizeof msg, "unknown layer type '%s' (expected %s)", t ? t : "(missing)",
             expected);
    return fail(ps, path, "%s", msg);
}

static int parse_layer(parser *ps, bm_style *s, json_t *j, size_t index, bm_layer *l)
{
    char base[64], path[BM_STYLE_PATH];
    snprintf(base, sizeof base, "layers[%zu]", index);
    l->index = index;
    if (!json_is_object(j))
        return fail(ps, base, "expected a layer object%s", NULL);
    if (parse_layer_type(ps, j, l, base))
        return -1;
    layer_defaults(l);
    const char *id = json_string_value(json_object_get(j, "id"));
    snprintf(l->id, sizeof l->id, "%s", id ? id : base);
    const char *src = json_string_value(json_object_get(j, "source"));
    int si = src ? find_source(s, src) : -1;
    snprintf(path, sizeof path, "%s.source", base);
    if (si < 0)
        return fail(ps, path, "no source named '%s' in \"sources\"", src ? src : "(missing)");
    l->source = (size_t)si;
    json_t *filter = json_object_get(j, "filter");
    snprintf(path, sizeof path, "%s.filter", base);
    if (filter && (!(l->filter = calloc(1, sizeof *l->filter)) ||
                   parse_filter(ps, filter, path, l->filter)))
        return -1;
    json_t *paint = json_object_get(j, "paint"), *layout = json_object_get(j, "layout");
    if (paint && parse_paint(ps, paint, l, base))
        return -1;
    const char *key;
    json_t *v;
    json_object_foreach(layout, key, v) {
        snprintf(path, sizeof path, "%s.layout.%s", base, key);
        if (parse_layout_key(ps, key, v, l, path))
            return -1;
    }
    const char *legend = json_string_value(json_object_get(json_object_get(j, "metadata"),
                                                           "legend"));
    copy(l->legend, sizeof l->legend, legend ? legend : "");
    return 0;
}

/* ---- sources ------------------------------------------------------------ */

static int parse_countries(parser *ps, json_t *list, bm_source *src, const char *path)
{
    src->n_countries = json_array_size(list);
    src->countries = calloc(src->n_countries + 1, sizeof *src->countries);
    if (!src->countries)
        return fail(ps, path, "out of memory%s", NULL);
    for (size_t i = 0; i < src->n_countries; i++) {
        const char *iso = json_string_value(json_array_get(list, i));
        if (!iso || strlen(iso) != 3)
            return fail(ps, path, "expected ISO alpha-3 codes%s", NULL);
        copy(src->countries[i], sizeof *src->countries, iso);
    }
    return 0;
}

/* {"type": "aggregate", "source": CATALOG, "by": "admin1" | "countries" |
 * "hexagons", "size-km": 50, "weight": "fatalities"}; the catalog source
 * is found once every source is read (resolve_aggregates). */
static int parse_aggregate(parser *ps, const char *name, json_t *j, bm_source *src)
{
    static const char *const by[] = {"admin1", "countries", "hexagons"};
    char path[BM_STYLE_PATH];
    const char *of = json_string_value(json_object_get(j, "source"));
    const char *how = json_string_value(json_object_get(j, "by"));
    json_t *size = json_object_get(j, "size-km"), *weight = json_object_get(j, "weight");
    src->type = BM_SOURCE_AGGREGATE;
    snprintf(path, sizeof path, "sources.%s.source", name);
    if (!of)
        return fail(ps, path, "expected the name of a catalog source%s", NULL);
    copy(src->data, sizeof src->data, of);
    snprintf(path, sizeof path, "sources.%s.by", name);
    size_t i;
    for (i = 0; how && i < 3 && strcmp(how, by[i]) != 0; i++)
        ;
    if (!how || i == 3)
        return fail(ps, path, "expected \"admin1\", \"countries\" or \"hexagons\"%s", NULL);
    src->by = (bm_aggregate_by)i;
    snprintf(path, sizeof path, "sources.%s.size-km", name);
    src->size_km = size ? json_number_value(size) : 50;
    if ((size && !json_is_number(size)) || !(src->size_km > 0))
        return fail(ps, path, "expected a positive width in km%s", NULL);
    snprintf(path, sizeof path, "sources.%s.weight", name);
    if (weight && !json_is_string(weight))
        return fail(ps, path, "expected a field name%s", NULL);
    copy(src->weight, sizeof src->weight, weight ? json_string_value(weight) : "fatalities");
    return 0;
}

static int resolve_aggregates(parser *ps, bm_style *s)
{
    for (size_t i = 0; i < s->n_sources; i++) {
        bm_source *src = &s->sources[i];
        if (src->type != BM_SOURCE_AGGREGATE)
            continue;
        int of = find_source(s, src->data);
        char path[BM_STYLE_PATH];
        snprintf(path, sizeof path, "sources.%s.source", src->name);
        if (of < 0 || s->sources[of].type != BM_SOURCE_CATALOG)
            return fail(ps, path, "not a catalog source of the style: '%.200s'", src->data);
        src->of = (size_t)of;
    }
    return 0;
}

static int parse_source(parser *ps, const char *name, json_t *j, bm_source *src)
{
    static const char *embedded[] = {"countries", "admin1", "features", "world",
                                     "maritime_boundaries", "disputed_borders"};
    char path[BM_STYLE_PATH];
    copy(src->name, sizeof src->name, name);
    const char *type = json_string_value(json_object_get(j, "type"));
    const char *data = json_string_value(json_object_get(j, "data"));
    snprintf(path, sizeof path, "sources.%s.type", name);
    if (!type || (strcmp(type, "geodata") && strcmp(type, "geojson") && strcmp(type, "vector") &&
                  strcmp(type, "catalog") && strcmp(type, "frontiers") &&
                  strcmp(type, "aggregate")))
        return fail(ps, path, "expected \"geodata\", \"geojson\", \"catalog\", "
                              "\"frontiers\" or \"aggregate\", got '%s'",
                    type ? type : "(missing)");
    snprintf(path, sizeof path, "sources.%s.data", name);
    src->within_km = -1;
    if (strcmp(type, "aggregate") == 0)
        return parse_aggregate(ps, name, j, src);
    if (strcmp(type, "frontiers") == 0) {
        src->type = BM_SOURCE_FRONTIERS;
        json_t *list = json_object_get(j, "countries"), *within = json_object_get(j, "within-km");
        snprintf(path, sizeof path, "sources.%s.within-km", name);
        if (within && !(json_is_number(within) && json_number_value(within) >= 0))
            return fail(ps, path, "expected a distance in km%s", NULL);
        src->within_km = within ? json_number_value(within) : -1;
        snprintf(path, sizeof path, "sources.%s.countries", name);
        return list ? parse_countries(ps, list, src, path) : 0;
    }
    if (strcmp(type, "geodata") == 0) {
        src->type = BM_SOURCE_GEODATA;
        for (size_t i = 0; data && i < sizeof embedded / sizeof *embedded; i++)
            if (strcmp(data, embedded[i]) == 0) {
                copy(src->data, sizeof src->data, data);
                return 0;
            }
        return fail(ps, path, "unknown embedded layer '%s' (expected countries, admin1, "
                              "features, world, maritime_boundaries or disputed_borders)",
                    data ? data : "");
    }
    src->type = strcmp(type, "catalog") == 0 ? BM_SOURCE_CATALOG : BM_SOURCE_FILE;
    if (!data && src->type == BM_SOURCE_FILE)
        return fail(ps, path, "expected a file path%s", NULL);
    if (data && data[0] != '/') {
        if (snprintf(src->data, sizeof src->data, "%s/%s", ps->dir, data) >= (int)sizeof src->data)
            return fail(ps, path, "path too long%s", NULL);
    } else
        copy(src->data, sizeof src->data, data ? data : "");
    return 0;
}

/* ---- page --------------------------------------------------------------- */

static void page_defaults(bm_page *p)
{
    *p = (bm_page){.width = 1650, .height = 1100, .dpi = 150, .margin = {44, 16, 30, 34},
                   .extent = {46, 30, 88, 52}, .legend = 1, .scale_bar = 1, .north_arrow = 1,
                   .graticule = 1, .inset = 1, .credits = 1, .graticule_step = 5,
                   .legend_corner = BM_CORNER_TOP_RIGHT, .scale_corner = BM_CORNER_BOTTOM_LEFT,
                   .inset_corner = BM_CORNER_BOTTOM_RIGHT};
    copy(p->font, sizeof p->font, "DejaVu Sans");
    copy(p->inset_source, sizeof p->inset_source, "world");
    bm_style_parse_color("#ffffff", &p->background);
    bm_style_parse_color("#d4e4ef", &p->water);
    bm_style_parse_color("#555555", &p->frame);
    bm_style_parse_color("#d62e1a", &p->inset_color);
}

static int parse_corner(parser *ps, json_t *v, bm_corner *out, const char *path)
{
    static const char *names[] = {"top-left", "top-right", "bottom-left", "bottom-right"};
    const char *s = json_string_value(v);
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (bm_corner)i;
            return 0;
        }
    return fail(ps, path, "expected top-left, top-right, bottom-left or bottom-right%s", NULL);
}

/* A furniture item: true/false, or an object with "position" (and extras);
 * with is_auto, the position may be "auto". */
static int parse_item(parser *ps, json_t *page, const char *key, int *on, bm_corner *corner,
                      int *is_auto)
{
    json_t *v = json_object_get(page, key);
    char path[BM_STYLE_PATH];
    snprintf(path, sizeof path, "page.%s", key);
    if (!v)
        return 0;
    if (json_is_boolean(v)) {
        *on = json_is_true(v);
        return 0;
    }
    if (!json_is_object(v))
        return fail(ps, path, "expected true, false or an object%s", NULL);
    *on = 1;
    json_t *pos = json_object_get(v, "position");
    snprintf(path, sizeof path, "page.%s.position", key);
    if (pos && is_auto && json_is_string(pos) && strcmp(json_string_value(pos), "auto") == 0) {
        *is_auto = 1;
        return 0;
    }
    return pos && corner ? parse_corner(ps, pos, corner, path) : 0;
}

static int parse_numbers(parser *ps, json_t *v, double *out, size_t n, const char *path)
{
    if (!json_is_array(v) || json_array_size(v) != n)
        return fail(ps, path, "expected an array of %s numbers", n == 2 ? "2" : "4");
    for (size_t i = 0; i < n; i++) {
        if (!json_is_number(json_array_get(v, i)))
            return fail(ps, path, "expected numbers%s", NULL);
        out[i] = json_number_value(json_array_get(v, i));
    }
    return 0;
}

static int parse_page_text(parser *ps, json_t *page, bm_page *p)
{
    static const struct { const char *key; size_t off, size; } texts[] = {
        {"title", offsetof(bm_page, title), BM_STYLE_TEXT},
        {"subtitle", offsetof(bm_page, subtitle), BM_STYLE_TEXT},
        {"crs", offsetof(bm_page, crs), BM_STYLE_TEXT},
        {"font", offsetof(bm_page, font), BM_STYLE_NAME},
        {"note", offsetof(bm_page, note), BM_STYLE_TEXT},
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        json_t *v = json_object_get(page, texts[i].key);
        char path[BM_STYLE_PATH];
        snprintf(path, sizeof path, "page.%s", texts[i].key);
        if (v && !json_is_string(v))
            return fail(ps, path, "expected a string%s", NULL);
        if (v)
            copy((char *)p + texts[i].off, texts[i].size, json_string_value(v));
    }
    static const struct { const char *key; size_t off; } colors[] = {
        {"background", offsetof(bm_page, background)},
        {"water", offsetof(bm_page, water)},
        {"frame-color", offsetof(bm_page, frame)},
    };
    for (size_t i = 0; i < sizeof colors / sizeof *colors; i++) {
        json_t *v = json_object_get(page, colors[i].key);
        char path[BM_STYLE_PATH];
        snprintf(path, sizeof path, "page.%s", colors[i].key);
        if (v && (!json_is_string(v) ||
                  bm_style_parse_color(json_string_value(v),
                                       (bm_color *)((char *)p + colors[i].off))))
            return fail(ps, path, "expected a colour%s", NULL);
    }
    return 0;
}

static int parse_page_geometry(parser *ps, json_t *page, bm_page *p)
{
    double size[2], dpi = p->dpi;
    json_t *v;
    if ((v = json_object_get(page, "size"))) {
        if (parse_numbers(ps, v, size, 2, "page.size"))
            return -1;
        if (!(size[0] >= 16 && size[1] >= 16 && size[0] <= 20000 && size[1] <= 20000))
            return fail(ps, "page.size", "expected [WIDTH, HEIGHT] in pixels, 16 to 20000%s",
                        NULL);
        p->width = (int)size[0], p->height = (int)size[1];
    }
    if ((v = json_object_get(page, "dpi")) && !((dpi = json_number_value(v)) >= 24 && dpi <= 2400))
        return fail(ps, "page.dpi", "expected a number from 24 to 2400%s", NULL);
    p->dpi = dpi;
    if ((v = json_object_get(page, "margins")) && parse_numbers(ps, v, p->margin, 4, "page.margins"))
        return -1;
    /* [top, right, bottom, left]: the map keeps at least 16 pixels each way. */
    for (int i = 0; i < 4; i++)
        if (!(p->margin[i] >= 0))
            return fail(ps, "page.margins", "expected margins of 0 pixels or more%s", NULL);
    if (!(p->margin[0] + p->margin[2] <= p->height - 16 && p->margin[1] + p->margin[3] <= p->width - 16))
        return fail(ps, "page.margins", "expected margins that leave the map 16 pixels or more%s",
                    NULL);
    if ((v = json_object_get(page, "extent"))) {
        if (parse_numbers(ps, v, p->extent, 4, "page.extent"))
            return -1;
        if (!(p->extent[0] < p->extent[2] && p->extent[1] < p->extent[3] &&
              p->extent[0] >= -180 && p->extent[2] <= 180 && p->extent[1] >= -85 &&
              p->extent[3] <= 85))
            return fail(ps, "page.extent", "expected [MINLON, MINLAT, MAXLON, MAXLAT] with "
                                           "min < max (an extent cannot cross the "
                                           "antimeridian), within ±180/±85%s", NULL);
    }
    json_t *grat = json_object_get(page, "graticule");
    /* A finer step draws thousands of lines for nothing a reader can see. */
    if (json_is_object(grat) && (v = json_object_get(grat, "step")) &&
        parse_bounded(ps, v, 0.1, 90, "page.graticule.step", &p->graticule_step))
        return -1;
    json_t *inset = json_object_get(page, "inset");
    if (json_is_object(inset) && json_is_string(json_object_get(inset, "source")))
        copy(p->inset_source, sizeof p->inset_source,
             json_string_value(json_object_get(inset, "source")));
    json_t *color = json_object_get(inset, "color");
    if (color && (!json_is_string(color) ||
                  bm_style_parse_color(json_string_value(color), &p->inset_color)))
        return fail(ps, "page.inset.color", "expected a colour%s", NULL);
    return 0;
}

static int parse_page(parser *ps, json_t *page, bm_page *p)
{
    page_defaults(p);
    if (!page)
        return 0;
    if (!json_is_object(page))
        return fail(ps, "page", "expected an object%s", NULL);
    if (parse_page_geometry(ps, page, p) || parse_page_text(ps, page, p) ||
        parse_item(ps, page, "legend", &p->legend, &p->legend_corner, &p->legend_auto) ||
        parse_item(ps, page, "scale-bar", &p->scale_bar, &p->scale_corner, NULL) ||
        parse_item(ps, page, "north-arrow", &p->north_arrow, NULL, NULL) ||
        parse_item(ps, page, "graticule", &p->graticule, NULL, NULL) ||
        parse_item(ps, page, "inset", &p->inset, &p->inset_corner, &p->inset_auto) ||
        parse_item(ps, page, "credits", &p->credits, NULL, NULL))
        return -1;
    return 0;
}

/* ---- whole style -------------------------------------------------------- */

static int parse_root(parser *ps, json_t *root, bm_style *s)
{
    if (!json_is_object(root))
        return fail(ps, "", "expected a JSON object at the top level%s", NULL);
    json_t *sources = json_object_get(root, "sources"), *layers = json_object_get(root, "layers");
    if (!json_is_object(sources))
        return fail(ps, "sources", "expected an object of named sources%s", NULL);
    if (!json_is_array(layers) || json_array_size(layers) == 0)
        return fail(ps, "layers", "expected a non-empty array of layers%s", NULL);
    s->sources = calloc(json_object_size(sources) + 1, sizeof *s->sources);
    s->layers = calloc(json_array_size(layers), sizeof *s->layers);
    if (!s->sources || !s->layers)
        return fail(ps, "", "out of memory%s", NULL);
    const char *name;
    json_t *v;
    json_object_foreach(sources, name, v) {
        if (parse_source(ps, name, v, &s->sources[s->n_sources++]))
            return -1;
    }
    if (resolve_aggregates(ps, s))
        return -1;
    for (size_t i = 0; i < json_array_size(layers); i++) {
        s->n_layers++; /* counted first so that a half-parsed layer is freed */
        if (parse_layer(ps, s, json_array_get(layers, i), i, &s->layers[i]))
            return -1;
    }
    return parse_page(ps, json_object_get(root, "page"), &s->page);
}

static bm_style *parse_json(json_t *root, const char *name, bm_error *err)
{
    parser ps = {.file = name, .err = err};
    copy(ps.dir, sizeof ps.dir, name);
    char *slash = strrchr(ps.dir, '/');
    if (slash)
        *slash = '\0';
    else
        copy(ps.dir, sizeof ps.dir, ".");
    bm_style *s = calloc(1, sizeof *s);
    if (!s) {
        bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "out of memory");
        return NULL;
    }
    copy(s->path, sizeof s->path, name);
    if (parse_root(&ps, root, s)) {
        bm_style_free(s);
        return NULL;
    }
    return s;
}

static bm_style *from_root(json_t *root, const json_error_t *jerr, const char *name,
                           bm_error *err)
{
    if (!root && jerr->line <= 0) {
        bm_error_set(err, BM_ERR_USAGE, name, 0, NULL, "cannot read the style: %s", jerr->text);
        return NULL;
    }
    if (!root) {
        bm_error_set(err, BM_ERR_USAGE, name, 0, NULL,
                     "JSON syntax error at line %d, column %d: %s", jerr->line, jerr->column,
                     jerr->text);
        return NULL;
    }
    bm_style *s = parse_json(root, name, err);
    json_decref(root);
    return s;
}

bm_style *bm_style_load(const char *path, bm_error *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    return from_root(root, &jerr, path, err);
}

bm_style *bm_style_parse(const char *json, const char *name, bm_error *err)
{
    json_error_t jerr;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    return from_root(root, &jerr, name, err);
}

bm_status bm_style_confine(const bm_style *s, const bm_confine *c, bm_error *err)
{
    char path[BM_STYLE_PATH];
    for (size_t i = 0; i < s->n_sources; i++) {
        const bm_source *src = &s->sources[i];
        if ((src->type != BM_SOURCE_FILE && src->type != BM_SOURCE_CATALOG) || !src->data[0])
            continue;
        snprintf(path, sizeof path, "sources.%s.data", src->name);
        if (bm_confine_check(c, src->data, s->path, path, err) != BM_OK)
            return err->status;
    }
    return BM_OK;
}

void bm_style_free(bm_style *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_sources; i++)
        free(s->sources[i].countries);
    for (size_t i = 0; i < s->n_layers; i++) {
        bm_layer *l = &s->layers[i];
        if (l->filter)
            free_filter(l->filter);
        free(l->filter);
        bm_prop *props[N_LAYER_PROPS];
        for (size_t k = 0, n = layer_props(l, props); k < n; k++)
            free_prop(props[k]);
    }
    free(s->sources);
    free(s->layers);
    free(s);
}

bm_status bm_style_set_frontier_countries(bm_style *s, const char *const *isos, size_t n,
                                          bm_error *err)
{
    for (size_t k = 0; k < n; k++)
        if (strlen(isos[k]) != 3)
            return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "--countries",
                                "'%s' is not an ISO alpha-3 code", isos[k]);
    for (size_t i = 0; i < s->n_sources; i++) {
        bm_source *src = &s->sources[i];
        if (src->type != BM_SOURCE_FRONTIERS)
            continue;
        char (*list)[4] = calloc(n + 1, sizeof *list);
        if (!list)
            return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        for (size_t k = 0; k < n; k++)
            copy(list[k], sizeof *list, isos[k]);
        free(src->countries);
        src->countries = list;
        src->n_countries = n;
    }
    return BM_OK;
}
