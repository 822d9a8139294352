/*
 * svg_text.c — records text as SVG <text> elements (see svg_text.h).
 *
 * Numbers are printed with a fixed %.2f, so the same map gives the same
 * bytes; the user space is in points, so 0.01 is far below a printed dot.
 */
#include "svg_text.h"

#include <math.h>
#include <string.h>

#include <glib.h>

struct bm_svg_text {
    GString *buf;
};

/* The font of a run, in the SVG's user space. */
typedef struct font_attrs {
    const PangoFontDescription *fd;
    double size, spacing;   /* px, already scaled to the SVG */
} font_attrs;

bm_svg_text *bm_svg_text_new(void)
{
    bm_svg_text *t = g_new(bm_svg_text, 1);
    t->buf = g_string_new(NULL);
    return t;
}

void bm_svg_text_free(bm_svg_text *t)
{
    if (!t)
        return;
    g_string_free(t->buf, TRUE);
    g_free(t);
}

const char *bm_svg_text_get(const bm_svg_text *t, size_t *len)
{
    *len = t->buf->len;
    return t->buf->str;
}

/* Appends s escaped for XML text and attribute values; control characters,
 * which XML 1.0 cannot carry, are left out. */
static void append_escaped(GString *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '&')
            g_string_append(out, "&amp;");
        else if (c == '<')
            g_string_append(out, "&lt;");
        else if (c == '>')
            g_string_append(out, "&gt;");
        else if (c == '"')
            g_string_append(out, "&quot;");
        else if (c == '\'')
            g_string_append(out, "&apos;");
        else if (c >= 0x20 || c == '\t')
            g_string_append_c(out, (char)c);
    }
}

static void append_color(GString *out, const char *what, bm_color c)
{
    g_string_append_printf(out, " %s=\"#%02x%02x%02x\" %s-opacity=\"%.2f\"", what,
                           (unsigned)lround(c.r * 255), (unsigned)lround(c.g * 255),
                           (unsigned)lround(c.b * 255), what, c.a);
}

static void append_font(GString *out, const font_attrs *f)
{
    g_string_append(out, " font-family=\"");
    const char *family = pango_font_description_get_family(f->fd);
    if (!family)
        family = "sans-serif";
    append_escaped(out, family, strlen(family));
    PangoStyle style = pango_font_description_get_style(f->fd);
    g_string_append_printf(out, "\" font-size=\"%.2f\" font-weight=\"%s\" font-style=\"%s\"",
                           f->size,
                           pango_font_description_get_weight(f->fd) >= PANGO_WEIGHT_BOLD ? "bold"
                                                                                          : "normal",
                           style == PANGO_STYLE_ITALIC    ? "italic"
                           : style == PANGO_STYLE_OBLIQUE ? "oblique"
                                                          : "normal");
    if (f->spacing != 0)
        g_string_append_printf(out, " letter-spacing=\"%.2f\"", f->spacing);
}

static void append_paint(GString *out, bm_text_paint p, double scale)
{
    if (!(p.halo_width > 0)) {
        append_color(out, "fill", p.color);
        return;
    }
    g_string_append(out, " fill=\"none\"");
    append_color(out, "stroke", p.color);
    g_string_append_printf(out, " stroke-width=\"%.2f\" stroke-linejoin=\"round\"",
                           2 * p.halo_width * scale);
}

/* The text's size in layout px: pango sizes are absolute here (render.c
 * and labels.c set them so), at 72 dpi one px per point. */
static double layout_font_size(const PangoFontDescription *fd)
{
    return pango_font_description_get_size(fd) / (double)PANGO_SCALE;
}

static double layout_letter_spacing(PangoLayout *lay)
{
    PangoAttrList *attrs = pango_layout_get_attributes(lay);
    if (!attrs)
        return 0;
    PangoAttrIterator *it = pango_attr_list_get_iterator(attrs);
    PangoAttribute *a = pango_attr_iterator_get(it, PANGO_ATTR_LETTER_SPACING);
    double spacing = a ? ((PangoAttrInt *)a)->value / (double)PANGO_SCALE : 0;
    pango_attr_iterator_destroy(it);
    return spacing;
}

/* Appends one element at user point (x, y) of cr. Its size, position and
 * direction go through cr's transformation, assumed free of shear. */
static void emit(bm_svg_text *t, cairo_t *cr, PangoLayout *lay, double spacing, const char *text,
                 size_t len, double x, double y, bm_text_paint paint)
{
    double ux = 1, uy = 0;
    cairo_user_to_device(cr, &x, &y);
    cairo_user_to_device_distance(cr, &ux, &uy);
    double scale = hypot(ux, uy), angle = atan2(uy, ux) * 180 / M_PI;
    const PangoFontDescription *fd = pango_layout_get_font_description(lay);
    font_attrs f = {fd, layout_font_size(fd) * scale, spacing * scale};
    GString *out = t->buf;
    if (angle != 0)
        g_string_append_printf(out, "<text transform=\"translate(%.2f %.2f) rotate(%.2f)\"", x, y,
                               angle);
    else
        g_string_append_printf(out, "<text x=\"%.2f\" y=\"%.2f\"", x, y);
    /* Text is kept as written: a viewer would otherwise collapse spaces. */
    g_string_append(out, " xml:space=\"preserve\"");
    append_font(out, &f);
    append_paint(out, paint, scale);
    g_string_append_c(out, '>');
    append_escaped(out, text, len);
    g_string_append(out, "</text>\n");
}

static void record_layout(void *sink, cairo_t *cr, PangoLayout *lay, double x, double y,
                          bm_text_paint paint)
{
    bm_svg_text *t = sink;
    const char *text = pango_layout_get_text(lay);
    double spacing = layout_letter_spacing(lay);
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        if (line->length == 0)
            continue;
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double lx = x + logical.x / (double)PANGO_SCALE;
        double ly = y + pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE;
        emit(t, cr, lay, spacing, text + line->start_index, (size_t)line->length, lx, ly, paint);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void record_run(void *sink, cairo_t *cr, PangoLayout *lay, const char *text, size_t len,
                       double x, double y, bm_text_paint paint)
{
    bm_svg_text *t = sink;
    emit(t, cr, lay, 0, text, len, x, y, paint);
}

bm_text_out bm_svg_text_output(bm_svg_text *t)
{
    return (bm_text_out){record_layout, record_run, t};
}
