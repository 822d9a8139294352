/*
 * test_render.c — the renderer: projection against closed-form formulas,
 * the scale bar against geodesic distance, labels that never overlap, a
 * legend of exactly what was drawn, and small maps against reviewed
 * golden PNGs (BM_UPDATE_GOLDEN=1 rewrites them after a deliberate change).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog.h"
#include "context.h"
#include "geodesy.h"
#include "render.h"
#include "style.h"
#include "svg_text.h"

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)
#define FIXTURE BM_TEST_DATA "/render/incidents.csv"

typedef struct fixture {
    bm_context *ctx;
    bm_style *style;
    const bm_catalog *catalog;
    bm_map *map;
} fixture;

static fixture make_map(const char *style_name, int w, int h, double dpi)
{
    char path[1024];
    bm_error err;
    bm_error_clear(&err);
    fixture f = {0};
    snprintf(path, sizeof path, "%s/styles/%s.json", BM_SOURCE_DIR, style_name);
    f.style = bm_style_load(path, &err);
    f.ctx = bm_context_create(&err);
    f.catalog = f.ctx ? bm_context_read_catalog(f.ctx, FIXTURE, NULL, NULL, &err) : NULL;
    if (!f.style || !f.catalog)
        fail_msg("%s", err.message);
    bm_render_options o = {.width = w, .height = h, .dpi = dpi};
    f.map = bm_map_create(f.ctx, f.style, &o, &err);
    if (!f.map)
        fail_msg("%s: %s", err.field, err.message);
    return f;
}

static void free_map(fixture *f)
{
    bm_map_free(f->map);
    bm_context_free(f->ctx);
    bm_style_free(f->style);
}

static cairo_surface_t *draw(bm_map *m, int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    bm_error err;
    if (bm_map_draw(m, cr, &err) != BM_OK)
        fail_msg("%s", err.message);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* ---- projection --------------------------------------------------------- */

/* Lambert conformal conic on the ellipsoid, Snyder (1987) 15-1 to 15-11. */
static double lcc_t(double phi, double e)
{
    return tan(M_PI / 4 - phi / 2) / pow((1 - e * sin(phi)) / (1 + e * sin(phi)), e / 2);
}

static double lcc_m(double phi, double e)
{
    return cos(phi) / sqrt(1 - e * e * sin(phi) * sin(phi));
}

static void lcc(double lon, double lat, double *x, double *y)
{
    const double d = M_PI / 180, e = sqrt(WGS84_F * (2 - WGS84_F));
    double p1 = 33.6667 * d, p2 = 48.3333 * d, p0 = 41 * d, l0 = 67 * d;
    double n = (log(lcc_m(p1, e)) - log(lcc_m(p2, e))) / (log(lcc_t(p1, e)) - log(lcc_t(p2, e)));
    double F = lcc_m(p1, e) / (n * pow(lcc_t(p1, e), n));
    double rho = WGS84_A * F * pow(lcc_t(lat * d, e), n), rho0 = WGS84_A * F * pow(lcc_t(p0, e), n);
    double theta = n * (lon * d - l0);
    *x = rho * sin(theta);
    *y = rho0 - rho * cos(theta);
}

static void test_projected_position_of_known_points(void **state)
{
    (void)state;
    fixture f = make_map("central-asia", 800, 560, 72);
    double cx, cy, dx, dy, ax, ay, sx, sy, tx, ty;
    assert_int_equal(bm_map_project(f.map, 67, 41, &cx, &cy), 0);
    assert_int_equal(bm_map_project(f.map, 68.7738, 38.5598, &dx, &dy), 0); /* Dushanbe */
    assert_int_equal(bm_map_project(f.map, 57.2070, 50.2797, &ax, &ay), 0); /* Aktobe */
    lcc(68.7738, 38.5598, &sx, &sy);
    lcc(57.2070, 50.2797, &tx, &ty);
    /* The scale comes from one point; the other must then fall within a
     * tenth of a pixel of where the formulas put it. */
    double scale = hypot(dx - cx, dy - cy) / hypot(sx, sy);
    assert_true(fabs(cx + tx * scale - ax) < 0.1);
    assert_true(fabs(cy - ty * scale - ay) < 0.1);
    assert_true(fabs(cx + sx * scale - dx) < 1e-6 && fabs(cy - sy * scale - dy) < 1e-6);
    /* The extent is centred in the frame; back-projection is exact. */
    assert_true(fabs(cx - 400) < 2);
    double lon, lat;
    assert_int_equal(bm_map_unproject(f.map, dx, dy, &lon, &lat), 0);
    assert_true(fabs(lon - 68.7738) < 1e-8 && fabs(lat - 38.5598) < 1e-8);
    assert_non_null(strstr(bm_map_projection_name(f.map), "Lambert conformal conic"));
    free_map(&f);
}

/* ---- scale bar ---------------------------------------------------------- */

static void test_scale_bar_is_true_at_the_centre(void **state)
{
    (void)state;
    static const char *styles[] = {"central-asia", "fergana-batken"};
    for (size_t i = 0; i < 2; i++) {
        fixture f = make_map(styles[i], 1200, 800, 100);
        double km, px, x, y, lon1, lat1, lon2, lat2;
        bm_map_scale_bar(f.map, &km, &px, &x, &y);
        double lead = km / pow(10, floor(log10(km)));
        assert_true(lead == 1 || lead == 2 || lead == 5);
        assert_int_equal(bm_map_unproject(f.map, x, y, &lon1, &lat1), 0);
        assert_int_equal(bm_map_unproject(f.map, x + px, y, &lon2, &lat2), 0);
        double d = bm_geodesic_distance_m(lon1, lat1, lon2, lat2) / 1000;
        if (fabs(d - km) / km > 0.01)
            fail_msg("%s: bar says %g km, geodesic %g km", styles[i], km, d);
        free_map(&f);
    }
}

/* ---- labels and legend -------------------------------------------------- */

static void test_drawn_labels_never_overlap(void **state)
{
    (void)state;
    static const char *styles[] = {"central-asia", "fergana-batken"};
    for (size_t s = 0; s < 2; s++) {
        fixture f = make_map(styles[s], 1650, 1150, 150);
        cairo_surface_destroy(draw(f.map, 1650, 1150));
        const bm_labels *l = bm_map_labels(f.map);
        assert_true(bm_labels_count(l) > 8);
        size_t n = bm_labels_box_count(l);
        for (size_t i = 0; i < n; i++) {
            size_t a, b;
            bm_box p = bm_labels_box(l, i, &a);
            for (size_t j = i + 1; a != (size_t)-1 && j < n; j++) {
                bm_box q = bm_labels_box(l, j, &b);
                if (b != (size_t)-1 && a != b && bm_box_intersects(p, q))
                    fail_msg("'%s' overlaps '%s'", bm_labels_text(l, a), bm_labels_text(l, b));
            }
        }
        free_map(&f);
    }
}

/* The contents of the <text> elements of svg whose line contains `with`,
 * concatenated. */
static void svg_contents(const char *svg, const char *with, char *out, size_t size)
{
    size_t n = 0;
    for (const char *line = svg; *line;) {
        const char *end = strchr(line, '\n'), *open = strchr(line, '>');
        const char *close = strstr(line, "</text>");
        const char *hit = strstr(line, with);
        if (hit && hit < end && open && close && close < end && n + (size_t)(close - open) < size) {
            memcpy(out + n, open + 1, (size_t)(close - open - 1));
            n += (size_t)(close - open - 1);
        }
        line = end + 1;
    }
    out[n] = '\0';
}

/* An SVG keeps labels as <text>: a curved label one glyph per element with
 * its characters intact (Cyrillic), XML escaped, sized through the CTM. */
static void test_svg_records_labels_as_text(void **state)
{
    (void)state;
    bm_text_style st = {.font = "DejaVu Sans", .size = 12, .color = {0.2, 0.4, 0.6, 1}};
    bm_labels *l = bm_labels_create((bm_box){0, 0, 500, 300});
    const double xy[] = {10, 100, 450, 160};
    assert_int_equal(bm_labels_place_line(l, &st, "Река & <Ёж>", NULL, xy, 2), 1);
    assert_int_equal(bm_labels_place_box(l, &st, "\"Ёж\" 'б'", 20, 200), 1);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 250, 150);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, 0.5, 0.5);
    bm_svg_text *svg = bm_svg_text_new();
    bm_text_out out = bm_svg_text_output(svg);
    bm_labels_draw(l, cr, &out);
    size_t len;
    const char *text = bm_svg_text_get(svg, &len);
    char got[512];
    svg_contents(text, "rotate(", got, sizeof got);
    assert_string_equal(got, "Река &amp; &lt;Ёж&gt;");
    svg_contents(text, " x=\"10.00\"", got, sizeof got);
    assert_string_equal(got, "&quot;Ёж&quot; &apos;б&apos;");
    assert_non_null(strstr(text, "font-size=\"6.00\""));
    assert_non_null(strstr(text, "fill=\"#336699\""));
    assert_null(strstr(text, "stroke="));
    bm_svg_text_free(svg);
    cairo_destroy(cr);
    assert_int_equal(cairo_image_surface_get_data(s)[0], 0); /* nothing drawn */
    cairo_surface_destroy(s);
    bm_labels_free(l);
}

/* Event types of the fixture's records that fall inside the frame. */
static size_t classes_in_frame(bm_map *m, const bm_catalog *c, char names[][64], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < bm_catalog_count(c); i++) {
        double lon, lat, x, y;
        if (!bm_catalog_point(c, i, &lon, &lat) || bm_map_project(m, lon, lat, &x, &y))
            continue;
        /* The frame: the style's margins are 46, 30, 40 and 30 pt at 150 dpi. */
        if (x < 30 * 150 / 72.0 || x > 1650 - 30 * 150 / 72.0 || y < 46 * 150 / 72.0 ||
            y > 1150 - 40 * 150 / 72.0)
            continue;
        const char *t = bm_catalog_get(c, i, "event_type");
        size_t k = 0;
        while (k < n && strcmp(names[k], t) != 0)
            k++;
        if (k == n && n < max)
            snprintf(names[n++], 64, "%s", t);
    }
    return n;
}

static void test_legend_lists_exactly_what_is_drawn(void **state)
{
    (void)state;
    fixture f = make_map("central-asia", 1650, 1150, 150);
    cairo_surface_destroy(draw(f.map, 1650, 1150));
    char classes[16][64];
    size_t n = classes_in_frame(f.map, f.catalog, classes, 16);
    assert_true(n >= 3);
    /* Every class drawn is listed. */
    for (size_t k = 0; k < n; k++) {
        int found = 0;
        for (size_t i = 0; i < bm_map_legend_count(f.map); i++)
            found |= strcmp(bm_map_legend_label(f.map, i), classes[k]) == 0;
        if (!found)
            fail_msg("class '%s' drawn but not in the legend", classes[k]);
    }
    /* Plus the bases, the frontier, the rivers, the disputed boundaries
     * (Kashmir is in the frame) and the three sizes of the fatalities key
     * (the style interpolates over three stops). */
    assert_int_equal(bm_map_legend_count(f.map), n + 4 + 3);
    int key = 0;
    for (size_t i = 0; i < bm_map_legend_count(f.map); i++)
        key += strcmp(bm_map_legend_label(f.map, i), "50 or more fatalities") == 0;
    assert_int_equal(key, 1);
    /* Violence against civilians happened outside this map: not listed. */
    for (size_t i = 0; i < bm_map_legend_count(f.map); i++)
        assert_string_not_equal(bm_map_legend_label(f.map, i), "Violence against civilians");
    free_map(&f);
}

/* ---- golden images ------------------------------------------------------ */

/* Pixels whose channels differ by more than `tolerance`; antialiasing and
 * font rasterising may move a few edge pixels between library versions. */
static size_t differing_pixels(cairo_surface_t *a, cairo_surface_t *b, int tolerance)
{
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b))
        return (size_t)w * (size_t)h;
    size_t bad = 0;
    for (int y = 0; y < h; y++) {
        const unsigned char *p = cairo_image_surface_get_data(a) + y * cairo_image_surface_get_stride(a);
        const unsigned char *q = cairo_image_surface_get_data(b) + y * cairo_image_surface_get_stride(b);
        for (int x = 0; x < 4 * w; x += 4) {
            int worst = 0;
            for (int c = 0; c < 4; c++)
                worst = abs(p[x + c] - q[x + c]) > worst ? abs(p[x + c] - q[x + c]) : worst;
            bad += worst > tolerance;
        }
    }
    return bad;
}

static void compare_golden(const char *style, int w, int h, double dpi)
{
    char golden[1024];
    snprintf(golden, sizeof golden, "%s/render/%s-%dx%d.png", BM_TEST_DATA, style, w, h);
    fixture f = make_map(style, w, h, dpi);
    cairo_surface_t *got = draw(f.map, w, h);
    const char *update = getenv("BM_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0)
        assert_int_equal(cairo_surface_write_to_png(got, golden), CAIRO_STATUS_SUCCESS);
    cairo_surface_t *want = cairo_image_surface_create_from_png(golden);
    if (cairo_surface_status(want) != CAIRO_STATUS_SUCCESS)
        fail_msg("cannot read %s (BM_UPDATE_GOLDEN=1 creates it)", golden);
    cairo_surface_t *want32 = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(want32);
    cairo_set_source_surface(cr, want, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    size_t bad = differing_pixels(got, want32, 16);
    if (bad > (size_t)(w * h) / 1000) {
        char actual[1100];
        snprintf(actual, sizeof actual, "%s.actual.png", golden);
        cairo_surface_write_to_png(got, actual);
        fail_msg("%s: %zu pixels differ (see %s)", golden, bad, actual);
    }
    cairo_surface_destroy(want32);
    cairo_surface_destroy(want);
    cairo_surface_destroy(got);
    free_map(&f);
}

static void test_golden_central_asia(void **state)
{
    (void)state;
    compare_golden("central-asia", 400, 300, 48);
}

static void test_golden_fergana_batken(void **state)
{
    (void)state;
    compare_golden("fergana-batken", 400, 300, 48);
}

static void test_golden_print_bw(void **state)
{
    (void)state;
    compare_golden("print-bw", 400, 300, 48);
}

static void test_golden_border_analytics(void **state)
{
    (void)state;
    compare_golden("border-analytics", 400, 300, 48);
}

static void test_golden_border_heatmap(void **state)
{
    (void)state;
    compare_golden("border-heatmap", 400, 300, 48);
}

/* ---- furniture placed where it hides nothing ---------------------------- */

/* How many of the catalog's points in the frame the box covers (with the
 * biggest symbol's reach around each). */
static size_t points_under(bm_map *m, const bm_catalog *c, bm_box b)
{
    const double reach = 12;
    size_t n = 0;
    for (size_t i = 0; i < bm_catalog_count(c); i++) {
        double lon, lat, x, y;
        if (bm_catalog_point(c, i, &lon, &lat) && bm_map_project(m, lon, lat, &x, &y) == 0)
            n += x + reach > b.x0 && x - reach < b.x1 && y + reach > b.y0 && y - reach < b.y1;
    }
    return n;
}

/* An extent whose top right holds Kant, Tashkent and Batken: the legend's
 * usual corner would hide them; "auto" moves it to a corner that hides no
 * incident, and not the scale bar's. (Without the inset: with four items in
 * four corners, every corner of this extent hides something.) */
static void test_auto_legend_hides_no_incident(void **state)
{
    (void)state;
    for (int automatic = 0; automatic < 2; automatic++) {
        char path[1024];
        bm_error err;
        bm_error_clear(&err);
        snprintf(path, sizeof path, "%s/styles/central-asia.json", BM_SOURCE_DIR);
        bm_style *style = bm_style_load(path, &err);
        bm_context *ctx = bm_context_create(&err);
        const bm_catalog *c = ctx ? bm_context_read_catalog(ctx, FIXTURE, NULL, NULL, &err) : NULL;
        if (!style || !c)
            fail_msg("%s", err.message);
        style->page.legend_auto = automatic;
        style->page.inset = 0;
        bm_render_options o = {.width = 1200, .height = 900, .dpi = 150, .has_extent = 1,
                               .extent = {62, 34.5, 75.5, 43}};
        bm_map *m = bm_map_create(ctx, style, &o, &err);
        if (!m)
            fail_msg("%s", err.message);
        cairo_surface_destroy(draw(m, 1200, 900));
        size_t hidden = points_under(m, c, bm_map_furniture_box(m, BM_FURNITURE_LEGEND));
        if (automatic) {
            assert_int_equal(hidden, 0);
            assert_int_not_equal(bm_map_furniture_corner(m, BM_FURNITURE_LEGEND),
                                 bm_map_furniture_corner(m, BM_FURNITURE_SCALE));
        } else {
            assert_true(hidden > 0); /* the fixed corners do hide incidents here */
        }
        bm_map_free(m);
        bm_context_free(ctx);
        bm_style_free(style);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projected_position_of_known_points),
        cmocka_unit_test(test_scale_bar_is_true_at_the_centre),
        cmocka_unit_test(test_drawn_labels_never_overlap),
        cmocka_unit_test(test_legend_lists_exactly_what_is_drawn),
        cmocka_unit_test(test_svg_records_labels_as_text),
        cmocka_unit_test(test_auto_legend_hides_no_incident),
        cmocka_unit_test(test_golden_central_asia),
        cmocka_unit_test(test_golden_fergana_batken),
        cmocka_unit_test(test_golden_print_bw),
        cmocka_unit_test(test_golden_border_analytics),
        cmocka_unit_test(test_golden_border_heatmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
