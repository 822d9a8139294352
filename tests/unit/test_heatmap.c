/*
 * test_heatmap.c — the heatmap layer's density surface against MapLibre's
 * kernel computed here: weight * 0.3989 * exp(-4.5 (d / radius)^2),
 * coloured by the ramp; and the heatmap paint properties a style may set.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "heatmap.h"
#include "style.h"

#define SIZE 200
#define RADIUS 40.0

/* A ramp from transparent to opaque red: the alpha is the density. */
static const bm_ramp red = {2, {0, 1}, {{1, 0, 0, 0}, {1, 0, 0, 1}}};

static double kernel(double weight, double d)
{
    return weight * 0.3989422804014327 * exp(-4.5 * (d / RADIUS) * (d / RADIUS));
}

/* The alpha painted at (x, y), 0..1. */
static double alpha_at(cairo_surface_t *s, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data(s);
    uint32_t px = *(const uint32_t *)(const void *)(data + (size_t)y * (size_t)cairo_image_surface_get_stride(s) + 4 * (size_t)x);
    return (px >> 24) / 255.0;
}

static cairo_surface_t *paint(double weight_a, double weight_b)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, SIZE, SIZE);
    cairo_t *cr = cairo_create(s);
    bm_heat *h = bm_heat_create((bm_box){0, 0, SIZE, SIZE}, 1);
    assert_non_null(h);
    bm_heat_add(h, 50, 100, weight_a, RADIUS);
    bm_heat_add(h, 150, 100, weight_b, RADIUS);
    assert_int_equal(bm_heat_paint(h, cr, &red, 1), 0);
    bm_heat_free(h);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static void test_density_is_maplibres_kernel(void **state)
{
    (void)state;
    cairo_surface_t *s = paint(1, 2);
    const int d[] = {0, 10, 20, 30};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
        /* 1/255 for the byte, a little more for the bilinear smoothing. */
        assert_true(fabs(alpha_at(s, 50 + d[i], 100) - kernel(1, d[i])) < 0.01);
        assert_true(fabs(alpha_at(s, 150, 100 - d[i]) - fmin(kernel(2, d[i]), 1)) < 0.01);
    }
    /* Halfway, the two kernels add up; far from both, nothing is painted. */
    assert_true(fabs(alpha_at(s, 100, 100) - (kernel(1, 50) + kernel(2, 50))) < 0.01);
    assert_true(alpha_at(s, 100, 10) == 0);
    cairo_surface_destroy(s);
}

static void test_ramp_colours_between_stops(void **state)
{
    (void)state;
    const bm_ramp r = {3, {0, 0.5, 1}, {{0, 0, 1, 0}, {0, 1, 0, 1}, {1, 0, 0, 1}}};
    bm_color c = bm_ramp_color(&r, 0.25);
    assert_true(fabs(c.b - 0.5) < 1e-9 && fabs(c.g - 0.5) < 1e-9 && fabs(c.a - 0.5) < 1e-9);
    c = bm_ramp_color(&r, 2);
    assert_true(c.r == 1 && c.g == 0);
    c = bm_ramp_color(&r, -1);
    assert_true(c.a == 0);
}

static bm_style *parse(const char *paint, bm_error *err)
{
    char json[1024];
    snprintf(json, sizeof json,
             "{\"sources\":{\"c\":{\"type\":\"catalog\"}},\"layers\":[{\"type\":\"heatmap\","
             "\"source\":\"c\",\"paint\":{%s}}]}",
             paint);
    bm_error_clear(err);
    return bm_style_parse(json, "inline.json", err);
}

static void test_heatmap_paint_properties(void **state)
{
    (void)state;
    bm_error err;
    bm_style *s = parse("\"heatmap-radius\":20,\"heatmap-weight\":[\"interpolate\",[\"linear\"],"
                        "[\"get\",\"fatalities\"],0,0,10,1],\"heatmap-intensity\":2,"
                        "\"heatmap-color\":[\"interpolate\",[\"linear\"],[\"heatmap-density\"],"
                        "0,\"rgba(0,0,0,0)\",1,\"#ff0000\"]",
                        &err);
    assert_non_null(s);
    const bm_layer *l = &s->layers[0];
    assert_int_equal(l->type, BM_LAYER_HEATMAP);
    assert_true(l->heatmap_radius.fallback.number == 20);
    assert_int_equal(l->heatmap_weight.kind, BM_PROP_INTERPOLATE);
    assert_true(l->heatmap_intensity.fallback.number == 2);
    assert_int_equal(l->heatmap_color.n, 2);
    assert_true(l->heatmap_color.color[1].r == 1);
    bm_style_free(s);

    static const struct {
        const char *paint, *path, *message;
    } bad[] = {
        {"\"heatmap-color\":[\"interpolate\",[\"linear\"],[\"zoom\"],0,\"red\",1,\"blue\"]",
         "layers[0].paint.heatmap-color", "heatmap-density"},
        {"\"heatmap-color\":[\"interpolate\",[\"linear\"],[\"heatmap-density\"],0.5,\"red\",0.2,"
         "\"blue\"]",
         "layers[0].paint.heatmap-color[5]", "rising"},
        {"\"heatmap-intensity\":[\"interpolate\",[\"linear\"],[\"get\",\"x\"],0,1,1,2]",
         "layers[0].paint.heatmap-intensity", "expected a number"},
        {"\"circle-radius\":3", "layers[0].paint.circle-radius", "unknown paint property"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_null(parse(bad[i].paint, &err));
        assert_string_equal(err.field, bad[i].path);
        if (!strstr(err.message, bad[i].message))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.message, bad[i].message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_density_is_maplibres_kernel),
        cmocka_unit_test(test_ramp_colours_between_stops),
        cmocka_unit_test(test_heatmap_paint_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
