/*
 * qgis_style.c — writing QML and SLD documents for one data layer.
 *
 * The QML is the subset QGIS 3.22 writes itself (symbol layers as
 * <prop k v> pairs, which later versions still read); whatever is left
 * out takes QGIS's defaults. Documents are built in a growing buffer.
 */
#include "qgis_style.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffer ------------------------------------------------------------- */

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
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)len;
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

static void put_escaped(buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': put(b, "&amp;"); break;
        case '<': put(b, "&lt;"); break;
        case '>': put(b, "&gt;"); break;
        case '"': put(b, "&quot;"); break;
        case '\n': put(b, "&#10;"); break;
        default: put(b, "%c", *p);
        }
    }
}

static char *finish(buf *b)
{
    if (b->failed || !b->s) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

/* ---- categories --------------------------------------------------------- */

/* A feature that has one field set: evaluating a style property on it
 * gives the property's value for one category. */
typedef struct category {
    const char *field, *value;
} category;

static const char *category_get(const char *field, void *feature)
{
    const category *c = feature;
    return c->field && c->value && strcmp(field, c->field) == 0 ? c->value : "";
}

static const bm_value *eval(const bm_prop *p, const category *c, bm_value *tmp)
{
    return bm_prop_eval(p, category_get, (void *)c, tmp);
}

/* The properties of a draw layer that can drive a categorized renderer,
 * most telling first. */
static size_t class_props(const bm_layer *l, const bm_prop **out)
{
    size_t n = 0;
    if (l->type == BM_LAYER_CIRCLE) {
        out[n++] = &l->circle_color;
        out[n++] = &l->icon_image;
        out[n++] = &l->circle_radius;
    } else if (l->type == BM_LAYER_FILL) {
        out[n++] = &l->fill_color;
    } else {
        out[n++] = &l->line_color;
        out[n++] = &l->line_width;
    }
    return n;
}

/* A filter that picks features by the values of one field. */
static int simple_filter(const bm_style_filter *f)
{
    return f && (f->op == BM_STYLE_FILTER_EQ || f->op == BM_STYLE_FILTER_IN);
}

static const char *class_field(const bm_qgis_layer *l)
{
    const bm_prop *props[3];
    for (size_t i = 0; i < l->n_draw; i++)
        for (size_t k = 0, n = class_props(l->draw[i], props); k < n; k++)
            if (props[k]->kind == BM_PROP_MATCH)
                return props[k]->field;
    for (size_t i = 0; !l->filters_applied && i < l->n_draw; i++)
        if (simple_filter(l->draw[i]->filter))
            return l->draw[i]->filter->field;
    return NULL;
}

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

/* The keys of every match and simple filter on field, first seen first. */
static void class_keys(const bm_qgis_layer *l, const char *field, keys *out)
{
    const bm_prop *props[3];
    for (size_t i = 0; i < l->n_draw; i++) {
        const bm_layer *d = l->draw[i];
        for (size_t k = 0, n = class_props(d, props); k < n; k++)
            for (size_t j = 0; props[k]->kind == BM_PROP_MATCH &&
                               strcmp(props[k]->field, field) == 0 && j < props[k]->n; j++)
                add_key(out, props[k]->keys[j]);
        for (size_t j = 0; !l->filters_applied && simple_filter(d->filter) &&
                           strcmp(d->filter->field, field) == 0 && j < d->filter->n; j++)
            add_key(out, d->filter->values[j]);
    }
}

/* Whether a draw layer draws the features of a category. */
static int draws(const bm_qgis_layer *l, const bm_layer *d, const category *c)
{
    return l->filters_applied || bm_style_filter_eval(d->filter, category_get, (void *)c);
}

static int draws_any(const bm_qgis_layer *l, const category *c)
{
    for (size_t i = 0; i < l->n_draw; i++)
        if (draws(l, l->draw[i], c))
            return 1;
    return 0;
}

/* ---- QML symbols -------------------------------------------------------- */

static void put_prop(buf *b, const char *k, const char *v)
{
    put(b, "     <prop k=\"%s\" v=\"", k);
    put_escaped(b, v);
    put(b, "\"/>\n");
}

static void put_color(buf *b, const char *k, bm_color c, double opacity)
{
    char v[64];
    snprintf(v, sizeof v, "%d,%d,%d,%d", (int)(c.r * 255 + 0.5), (int)(c.g * 255 + 0.5),
             (int)(c.b * 255 + 0.5), (int)(c.a * opacity * 255 + 0.5));
    put_prop(b, k, v);
}

static void put_number(buf *b, const char *k, double x)
{
    char v[32];
    snprintf(v, sizeof v, "%.4g", x);
    put_prop(b, k, v);
}

static const char *qgis_shape(const char *shape)
{
    /* bordermap's cross is a filled Greek cross, QGIS's "cross" a thin one. */
    return strcmp(shape, "cross") == 0 ? "cross_fill" : shape;
}

static void put_marker(buf *b, const bm_layer *m, const category *c)
{
    bm_value t;
    double opacity = eval(&m->circle_opacity, c, &t)->number;
    put(b, "    <layer class=\"SimpleMarker\" pass=\"0\" enabled=\"1\" locked=\"0\">\n");
    put_prop(b, "name", qgis_shape(eval(&m->icon_image, c, &t)->string));
    put_color(b, "color", eval(&m->circle_color, c, &t)->color, opacity);
    put_color(b, "outline_color", eval(&m->circle_stroke_color, c, &t)->color, opacity);
    put_number(b, "outline_width", eval(&m->circle_stroke_width, c, &t)->number);
    put_prop(b, "outline_width_unit", "Point");
    put_prop(b, "outline_style", "solid");
    put_number(b, "size", 2 * eval(&m->circle_radius, c, &t)->number);
    put_prop(b, "size_unit", "Point");
    put_prop(b, "joinstyle", "miter");
    put(b, "    </layer>\n");
}

static void put_dash(buf *b, const bm_layer *s)
{
    char v[160] = "";
    for (size_t i = 0; i < s->n_dash; i++)
        snprintf(v + strlen(v), sizeof v - strlen(v), "%s%.4g", i ? ";" : "", s->line_dash[i]);
    put_prop(b, "use_custom_dash", s->n_dash ? "1" : "0");
    if (s->n_dash) {
        put_prop(b, "customdash", v);
        put_prop(b, "customdash_unit", "Point");
    }
}

static void put_line(buf *b, const bm_layer *s, const category *c)
{
    bm_value t;
    put(b, "    <layer class=\"SimpleLine\" pass=\"0\" enabled=\"1\" locked=\"0\">\n");
    put_color(b, "line_color", eval(&s->line_color, c, &t)->color,
              eval(&s->line_opacity, c, &t)->number);
    put_number(b, "line_width", eval(&s->line_width, c, &t)->number);
    put_prop(b, "line_width_unit", "Point");
    put_prop(b, "line_style", "solid");
    put_prop(b, "capstyle", "round");
    put_prop(b, "joinstyle", "round");
    put_dash(b, s);
    put(b, "    </layer>\n");
}

static void put_fill(buf *b, const bm_layer *f, const category *c)
{
    bm_value t;
    put(b, "    <layer class=\"SimpleFill\" pass=\"0\" enabled=\"1\" locked=\"0\">\n");
    put_color(b, "color", eval(&f->fill_color, c, &t)->color,
              eval(&f->fill_opacity, c, &t)->number);
    put_prop(b, "style", "solid");
    put_prop(b, "outline_style", "no");
    put(b, "    </layer>\n");
}

static void put_symbol_layer(buf *b, const bm_layer *d, const category *c)
{
    if (d->type == BM_LAYER_CIRCLE)
        put_marker(b, d, c);
    else if (d->type == BM_LAYER_FILL)
        put_fill(b, d, c);
    else
        put_line(b, d, c);
}

/* A layer the style does not draw at all gets a quiet outline, as the
 * base of a map should be, rather than QGIS's random colour on top. */
static void put_undrawn(buf *b, bm_qgis_geom geom)
{
    static const char *classes[] = {"SimpleMarker", "SimpleLine", "SimpleFill"};
    put(b, "    <layer class=\"%s\" pass=\"0\" enabled=\"1\" locked=\"0\">\n", classes[geom]);
    put_prop(b, geom == BM_QGIS_LINE ? "line_color" : "outline_color", "128,128,128,255");
    put_prop(b, geom == BM_QGIS_LINE ? "line_width" : "outline_width", "0.5");
    put_prop(b, geom == BM_QGIS_LINE ? "line_width_unit" : "outline_width_unit", "Point");
    if (geom == BM_QGIS_POLYGON)
        put_prop(b, "style", "no");
    put(b, "    </layer>\n");
}

/* A symbol stacking the layers that draw category c; with none, the
 * first layer, so the symbol is valid though its category is hidden. */
static void put_symbol(buf *b, const bm_qgis_layer *l, const category *c, const char *name)
{
    static const char *types[] = {"marker", "line", "fill"};
    put(b, "   <symbol name=\"%s\" type=\"%s\" alpha=\"1\" clip_to_extent=\"1\" "
           "force_rhr=\"0\">\n", name, types[l->geom]);
    int any = draws_any(l, c);
    if (l->n_draw == 0)
        put_undrawn(b, l->geom);
    for (size_t i = 0; i < l->n_draw; i++)
        if (!any ? i == 0 : draws(l, l->draw[i], c))
            put_symbol_layer(b, l->draw[i], c);
    put(b, "   </symbol>\n");
}

static void put_category(buf *b, const bm_qgis_layer *l, const category *c, size_t symbol)
{
    put(b, "   <category render=\"%s\" symbol=\"%zu\" value=\"",
        draws_any(l, c) ? "true" : "false", symbol);
    put_escaped(b, c->value ? c->value : "");
    put(b, "\" label=\"");
    put_escaped(b, c->value ? c->value : "other");
    put(b, "\"/>\n");
}

static void put_renderer(buf *b, const bm_qgis_layer *l)
{
    const char *field = class_field(l);
    keys k = {0};
    category fallback = {field, NULL};
    if (field)
        class_keys(l, field, &k);
    b->failed |= k.failed;
    if (k.n == 0) {
        put(b, " <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
               "enableorderby=\"0\">\n  <symbols>\n");
        put_symbol(b, l, &fallback, "0");
        put(b, "  </symbols>\n </renderer-v2>\n");
        free(k.items);
        return;
    }
    put(b, " <renderer-v2 type=\"categorizedSymbol\" attr=\"");
    put_escaped(b, field);
    put(b, "\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n  <categories>\n");
    for (size_t i = 0; i < k.n; i++)
        put_category(b, l, &(category){field, k.items[i]}, i);
    /* An empty value is QGIS's "all other values": the style's fallback. */
    put_category(b, l, &fallback, k.n);
    put(b, "  </categories>\n  <symbols>\n");
    for (size_t i = 0; i <= k.n; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        put_symbol(b, l, &(category){field, i < k.n ? k.items[i] : NULL}, name);
    }
    put(b, "  </symbols>\n  <source-symbol>\n");
    put_symbol(b, l, &fallback, "0");
    put(b, "  </source-symbol>\n </renderer-v2>\n");
    free(k.items);
}

/* ---- labels ------------------------------------------------------------- */

static int is_numeric(const bm_qgis_layer *l, const char *field)
{
    for (size_t i = 0; i < l->n_numeric; i++)
        if (strcmp(l->numeric[i], field) == 0)
            return 1;
    return 0;
}

static void put_literal(buf *b, const char *text, size_t len)
{
    if (len == 0)
        return;
    put(b, ", '");
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\'')
            put(b, "''");
        else if (text[i] == '\n')
            put(b, "\\n");
        else if (text[i] == '\\')
            put(b, "\\\\");
        else
            put(b, "%c", text[i]);
    }
    put(b, "'");
}

/* "{name}\n{length_km} km" -> concat('', "name", '\n', round("length_km"), ' km') */
static void put_label_expression(buf *b, const bm_qgis_layer *l)
{
    put(b, "concat(''");
    for (const char *p = l->label->text_field; *p;) {
        const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
        if (!close) {
            put_literal(b, p, strlen(p));
            break;
        }
        put_literal(b, p, (size_t)(open - p));
        int len = (int)(close - open - 1);
        char field[BM_STYLE_NAME];
        snprintf(field, sizeof field, "%.*s", len, open + 1);
        put(b, is_numeric(l, field) ? ", round(\"%s\")" : ", \"%s\"", field);
        p = close + 1;
    }
    if (l->extra_label)
        put(b, ", %s", l->extra_label);
    put(b, ")");
}

static int placement(const bm_qgis_layer *l)
{
    /* QgsPalLayerSettings::Placement: 1 over the centroid, 2 parallel to
     * the line (curved, 3, cannot break lines before QGIS 3.28), 6 ordered
     * positions around the point (upper right first). */
    if (l->geom == BM_QGIS_LINE)
        return 2;
    return l->geom == BM_QGIS_POLYGON ? 1 : 6;
}

static void put_labeling(buf *b, const bm_qgis_layer *l)
{
    const bm_layer *s = l->label;
    category c = {NULL, NULL};
    bm_value t;
    buf expr = {0};
    put_label_expression(&expr, l);
    put(b, " <labeling type=\"simple\">\n  <settings calloutType=\"simple\">\n"
           "   <text-style isExpression=\"1\" fieldName=\"");
    put_escaped(b, expr.failed ? "" : expr.s);
    b->failed |= expr.failed;
    free(expr.s);
    put(b, "\" fontFamily=\"");
    put_escaped(b, s->text_font);
    put(b, "\" fontSize=\"%.4g\" fontSizeUnit=\"Point\" fontWeight=\"%d\" fontItalic=\"%d\" "
           "capitalization=\"%d\" fontLetterSpacing=\"%.4g\" textOpacity=\"1\" "
           "multilineHeight=\"1\"",
        s->text_size, s->text_bold ? 75 : 50, s->text_italic, s->text_uppercase ? 1 : 0,
        s->text_letter_spacing * s->text_size);
    bm_color tc = eval(&s->text_color, &c, &t)->color;
    bm_color hc = eval(&s->text_halo_color, &c, &t)->color;
    put(b, " textColor=\"%d,%d,%d,%d\">\n", (int)(tc.r * 255 + 0.5), (int)(tc.g * 255 + 0.5),
        (int)(tc.b * 255 + 0.5), (int)(tc.a * 255 + 0.5));
    put(b, "    <text-buffer bufferDraw=\"1\" bufferSize=\"%.4g\" bufferSizeUnits=\"Point\" "
           "bufferColor=\"%d,%d,%d,%d\" bufferOpacity=\"1\" bufferNoFill=\"1\"/>\n",
        eval(&s->text_halo_width, &c, &t)->number, (int)(hc.r * 255 + 0.5),
        (int)(hc.g * 255 + 0.5), (int)(hc.b * 255 + 0.5), (int)(hc.a * 255 + 0.5));
    put(b, "   </text-style>\n   <placement placement=\"%d\" placementFlags=\"10\" dist=\"1\" "
           "distUnits=\"Point\" predefinedPositionOrder=\"TR,TL,BR,BL,R,L,TSR,BSR\" "
           "priority=\"5\"/>\n", placement(l));
    put(b, "   <rendering drawLabels=\"1\" obstacle=\"1\" upsidedownLabels=\"0\" "
           "mergeLines=\"0\" labelPerPart=\"0\"/>\n  </settings>\n </labeling>\n");
}

char *bm_qgis_style_qml(const bm_qgis_layer *l)
{
    buf b = {0};
    int labels = l->label && l->label->text_field[0];
    put(&b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"AllStyleCategories\" "
            "labelsEnabled=\"%d\">\n", labels);
    put_renderer(&b, l);
    if (labels)
        put_labeling(&b, l);
    put(&b, " <layerGeometryType>%d</layerGeometryType>\n</qgis>\n", (int)l->geom);
    return finish(&b);
}

/* ---- SLD ---------------------------------------------------------------- */

/* SLD sizes are pixels at the OGC's 0.28 mm, about 90.7 per inch. */
#define SLD_PX_PER_PT (25.4 / 72.0 / 0.28)

static void put_sld_color(buf *b, const char *name, bm_color c)
{
    put(b, "<se:SvgParameter name=\"%s\">#%02x%02x%02x</se:SvgParameter>", name,
        (int)(c.r * 255 + 0.5), (int)(c.g * 255 + 0.5), (int)(c.b * 255 + 0.5));
}

static void put_sld_stroke(buf *b, const bm_layer *s, const category *c)
{
    bm_value t;
    put(b, "<se:Stroke>");
    put_sld_color(b, "stroke", eval(&s->line_color, c, &t)->color);
    put(b, "<se:SvgParameter name=\"stroke-width\">%.3g</se:SvgParameter></se:Stroke>",
        eval(&s->line_width, c, &t)->number * SLD_PX_PER_PT);
}

static void put_sld_symbolizer(buf *b, const bm_layer *d, const category *c)
{
    bm_value t;
    if (d->type == BM_LAYER_CIRCLE) {
        const char *shape = eval(&d->icon_image, c, &t)->string;
        put(b, "     <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>%s"
               "</se:WellKnownName><se:Fill>", strcmp(shape, "diamond") == 0 ? "square" : shape);
        put_sld_color(b, "fill", eval(&d->circle_color, c, &t)->color);
        put(b, "</se:Fill></se:Mark><se:Size>%.3g</se:Size></se:Graphic></se:PointSymbolizer>\n",
            2 * eval(&d->circle_radius, c, &t)->number * SLD_PX_PER_PT);
    } else if (d->type == BM_LAYER_FILL) {
        put(b, "     <se:PolygonSymbolizer><se:Fill>");
        put_sld_color(b, "fill", eval(&d->fill_color, c, &t)->color);
        put(b, "</se:Fill></se:PolygonSymbolizer>\n");
    } else {
        put(b, "     <se:LineSymbolizer>");
        put_sld_stroke(b, d, c);
        put(b, "</se:LineSymbolizer>\n");
    }
}

static void put_sld_rule(buf *b, const bm_qgis_layer *l, const category *c)
{
    put(b, "    <se:Rule>\n     <se:Name>");
    put_escaped(b, c->value ? c->value : l->name);
    put(b, "</se:Name>\n");
    if (c->value) {
        put(b, "     <ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>");
        put_escaped(b, c->field);
        put(b, "</ogc:PropertyName><ogc:Literal>");
        put_escaped(b, c->value);
        put(b, "</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>\n");
    } else if (c->field) {
        put(b, "     <se:ElseFilter/>\n");
    }
    for (size_t i = 0; i < l->n_draw; i++)
        if (draws(l, l->draw[i], c))
            put_sld_symbolizer(b, l->draw[i], c);
    if (l->n_draw == 0) /* the grey outline of put_undrawn */
        put(b, "     <se:%sSymbolizer><se:Stroke><se:SvgParameter name=\"stroke\">#808080"
               "</se:SvgParameter></se:Stroke></se:%sSymbolizer>\n",
            l->geom == BM_QGIS_POLYGON ? "Polygon" : "Line",
            l->geom == BM_QGIS_POLYGON ? "Polygon" : "Line");
    put(b, "    </se:Rule>\n");
}

/* SLD labels show the template's first field only: SE 1.1 labels are a
 * property name with literal text around it, not an expression. */
static void put_sld_label(buf *b, const bm_layer *s)
{
    const char *open = strchr(s->text_field, '{'), *close = open ? strchr(open, '}') : NULL;
    bm_value t;
    category c = {NULL, NULL};
    if (!close)
        return;
    put(b, "    <se:Rule>\n     <se:TextSymbolizer><se:Label><ogc:PropertyName>");
    put(b, "%.*s", (int)(close - open - 1), open + 1);
    put(b, "</ogc:PropertyName></se:Label><se:Font>"
           "<se:SvgParameter name=\"font-family\">");
    put_escaped(b, s->text_font);
    put(b, "</se:SvgParameter><se:SvgParameter name=\"font-size\">%.3g</se:SvgParameter>"
           "</se:Font><se:Fill>", s->text_size * SLD_PX_PER_PT);
    put_sld_color(b, "fill", eval(&s->text_color, &c, &t)->color);
    put(b, "</se:Fill></se:TextSymbolizer>\n    </se:Rule>\n");
}

char *bm_qgis_style_sld(const bm_qgis_layer *l)
{
    buf b = {0};
    put(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" "
            "xmlns:se=\"http://www.opengis.net/se\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
            "version=\"1.1.0\">\n <NamedLayer>\n  <se:Name>");
    put_escaped(&b, l->name);
    put(&b, "</se:Name>\n  <UserStyle>\n   <se:FeatureTypeStyle>\n");
    const char *field = class_field(l);
    keys k = {0};
    if (field)
        class_keys(l, field, &k);
    b.failed |= k.failed;
    for (size_t i = 0; i < k.n; i++)
        put_sld_rule(&b, l, &(category){field, k.items[i]});
    /* The style's fallback: an ElseFilter rule when there are categories. */
    put_sld_rule(&b, l, &(category){field, NULL});
    free(k.items);
    if (l->label && l->label->text_field[0])
        put_sld_label(&b, l->label);
    put(&b, "   </se:FeatureTypeStyle>\n  </UserStyle>\n </NamedLayer>\n"
            "</StyledLayerDescriptor>\n");
    return finish(&b);
}
