/*
 * test_style.c — reading styles: the bundled ones load, bad ones are
 * refused with the file, the JSON path and what was expected; filters and
 * data-driven properties evaluate as MapLibre's do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "context.h"
#include "render.h"
#include "style.h"

#define BAD BM_TEST_DATA "/render/bad/"

typedef struct fake {
    const char *const *kv; /* field, value, field, value, ..., NULL */
} fake;

static const char *fake_get(const char *field, void *feature)
{
    const fake *f = feature;
    for (size_t i = 0; f->kv[i]; i += 2)
        if (strcmp(f->kv[i], field) == 0)
            return f->kv[i + 1];
    return NULL;
}

static void test_bundled_styles_load(void **state)
{
    (void)state;
    static const char *names[] = {"central-asia", "fergana-batken", "print-bw", "border-analytics",
                                  "border-heatmap"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[1024];
        bm_error err;
        bm_error_clear(&err);
        snprintf(path, sizeof path, "%s/styles/%s.json", BM_SOURCE_DIR, names[i]);
        bm_style *s = bm_style_load(path, &err);
        if (!s)
            fail_msg("%s: %s (%s)", path, err.message, err.field);
        assert_true(s->n_layers > 3);
        bm_style_free(s);
    }
}

/* Loads a bad style and checks status, file, JSON path and message. */
static void expect_bad(const char *file, const char *path, const char *message)
{
    bm_error err;
    bm_error_clear(&err);
    bm_style *s = bm_style_load(file, &err);
    assert_null(s);
    assert_int_equal(err.status, BM_ERR_USAGE);
    assert_string_equal(err.file, file);
    if (path)
        assert_string_equal(err.field, path);
    if (!strstr(err.message, message))
        fail_msg("message '%s' lacks '%s'", err.message, message);
}

static void test_bad_styles_name_the_json_path(void **state)
{
    (void)state;
    expect_bad(BAD "syntax.json", "", "JSON syntax error at line 4");
    expect_bad(BAD "layer-type.json", "layers[1].type", "unknown layer type 'hatch'");
    expect_bad(BAD "colour.json", "layers[3].paint.fill-color", "expected a colour");
    expect_bad(BAD "source.json", "layers[1].source", "no source named 'incidents'");
    expect_bad(BAD "no-such-style.json", "", "");
}

static void test_bad_values_in_strings(void **state)
{
    (void)state;
    static const struct { const char *json, *path, *message; } cases[] = {
        {"{\"sources\":{\"c\":{\"type\":\"geodata\",\"data\":\"oceans\"}},\"layers\":[{\"type\":"
         "\"fill\",\"source\":\"c\"}]}",
         "sources.c.data", "unknown embedded layer 'oceans'"},
        {"{\"sources\":{\"c\":{\"type\":\"geodata\",\"data\":\"countries\"}},\"layers\":[{\"type\":"
         "\"line\",\"source\":\"c\",\"paint\":{\"fill-color\":\"#fff\"}}]}",
         "layers[0].paint.fill-color", "unknown paint property"},
        {"{\"sources\":{\"c\":{\"type\":\"geodata\",\"data\":\"countries\"}},\"layers\":[{\"type\":"
         "\"circle\",\"source\":\"c\",\"layout\":{\"icon-image\":[\"match\",[\"get\",\"x\"],\"a\","
         "\"hexagon\",\"circle\"]}}]}",
         "layers[0].layout.icon-image", "unknown shape 'hexagon'"},
        {"{\"sources\":{\"c\":{\"type\":\"geodata\",\"data\":\"countries\"}},\"layers\":[{\"type\":"
         "\"fill\",\"source\":\"c\",\"filter\":[\"~=\",\"a\",\"b\"]}]}",
         "layers[0].filter", "expected a filter"},
        {"{\"sources\":{\"c\":{\"type\":\"catalog\"}},\"layers\":[{\"type\":"
         "\"circle\",\"source\":\"c\",\"filter\":[\"<=\",\"fatalities\",\"10\"]}]}",
         "layers[0].filter[2]", "expected a number to compare with"},
        {"{\"sources\":{\"c\":{\"type\":\"geodata\",\"data\":\"countries\"}},\"layers\":[{\"type\":"
         "\"fill\",\"source\":\"c\"}],\"page\":{\"extent\":[80,30,60,50]}}",
         "page.extent", "min < max"},
        {"{\"sources\":{\"c\":{\"type\":\"geodata\",\"data\":\"countries\"}},\"layers\":[{\"type\":"
         "\"fill\",\"source\":\"c\"}],\"page\":{\"scale-bar\":{\"position\":\"auto\"}}}",
         "page.scale-bar.position", "expected top-left"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bm_error err;
        bm_error_clear(&err);
        bm_style *s = bm_style_parse(cases[i].json, "inline.json", &err);
        assert_null(s);
        assert_int_equal(err.status, BM_ERR_USAGE);
        assert_string_equal(err.field, cases[i].path);
        if (!strstr(err.message, cases[i].message))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].message);
    }
}

/* Numbers that would hang or blow up the renderer are refused on load,
 * with their JSON path and range: a graticule step of 0.001 degrees, a
 * radius of 1e100, a text size of 1e300, negative margins, NaN colours. */
static void test_limits(void **state)
{
    (void)state;
#define LAYER(x) "{\"sources\":{\"c\":{\"type\":\"catalog\"}},\"layers\":[{\"type\":" \
                 "\"circle\",\"source\":\"c\"," x "}]}"
#define PAGE(x) "{\"sources\":{\"c\":{\"type\":\"catalog\"}},\"layers\":[{\"type\":" \
                "\"circle\",\"source\":\"c\"}],\"page\":{" x "}}"
    static const struct { const char *json, *path, *message; } cases[] = {
        {PAGE("\"graticule\":{\"step\":0.001}"), "page.graticule.step",
         "expected a number from 0.1 to 90"},
        {PAGE("\"margins\":[-5,0,0,0]"), "page.margins", "0 pixels or more"},
        {PAGE("\"size\":[400,300],\"margins\":[200,0,200,0]"), "page.margins",
         "leave the map 16 pixels"},
        {LAYER("\"paint\":{\"circle-radius\":1e100}"), "layers[0].paint.circle-radius",
         "expected numbers from 0 to 200"},
        {LAYER("\"paint\":{\"circle-radius\":[\"step\",[\"get\",\"fatalities\"],3,5,1e9]}"),
         "layers[0].paint.circle-radius", "expected numbers from 0 to 200"},
        {LAYER("\"paint\":{\"circle-opacity\":1.5}"), "layers[0].paint.circle-opacity",
         "expected numbers from 0 to 1"},
        {LAYER("\"paint\":{\"circle-color\":\"rgb(nan,nan,nan)\"}"),
         "layers[0].paint.circle-color", "expected a colour"},
        {LAYER("\"paint\":{\"circle-color\":\"rgb(1,2,3)junk\"}"),
         "layers[0].paint.circle-color", "expected a colour"},
        {LAYER("\"layout\":{\"text-field\":\"{location}\",\"text-size\":1e300}"),
         "layers[0].layout.text-size", "expected a number from 1 to 200"},
        {LAYER("\"layout\":{\"text-field\":\"{location}\",\"text-size\":\"big\"}"),
         "layers[0].layout.text-size", "expected a number from 1 to 200"},
    };
#undef LAYER
#undef PAGE
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bm_error err;
        bm_error_clear(&err);
        bm_style *s = bm_style_parse(cases[i].json, "inline.json", &err);
        if (s)
            fail_msg("case %zu accepted", i);
        assert_int_equal(err.status, BM_ERR_USAGE);
        if (strcmp(err.field, cases[i].path) != 0 || !strstr(err.message, cases[i].message))
            fail_msg("case %zu: %s: '%s', wanted %s: '%s'", i, err.field, err.message,
                     cases[i].path, cases[i].message);
    }
}

/* A filter on a field the source does not have shows only against the
 * data: the map refuses to be made, naming the filter's path. */
static void test_unknown_filter_field(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    bm_style *s = bm_style_load(BAD "filter-field.json", &err);
    assert_non_null(s);
    bm_context *ctx = bm_context_create(&err);
    bm_map *m = bm_map_create(ctx, s, NULL, &err);
    assert_null(m);
    bm_context_free(ctx);
    assert_int_equal(err.status, BM_ERR_USAGE);
    assert_string_equal(err.file, BAD "filter-field.json");
    assert_string_equal(err.field, "layers[0].filter[2]");
    assert_non_null(strstr(err.message, "unknown field 'continent'"));
    bm_style_free(s);
}

/* The legend and the inset may be placed "auto"matically. */
static void test_auto_positions(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    bm_style *s = bm_style_parse(
        "{\"sources\":{\"c\":{\"type\":\"geodata\",\"data\":\"countries\"}},\"layers\":[{\"type\":"
        "\"fill\",\"source\":\"c\"}],\"page\":{\"legend\":{\"position\":\"auto\"},"
        "\"inset\":{\"position\":\"top-left\"}}}",
        "inline.json", &err);
    assert_non_null(s);
    assert_true(s->page.legend && s->page.legend_auto);
    assert_true(s->page.inset && !s->page.inset_auto);
    assert_int_equal(s->page.inset_corner, BM_CORNER_TOP_LEFT);
    bm_style_free(s);
}

static void test_colours(void **state)
{
    (void)state;
    bm_color c;
    assert_int_equal(bm_style_parse_color("#D55E00", &c), 0);
    assert_true(c.r > 0.835 && c.r < 0.836 && c.b == 0 && c.a == 1);
    assert_int_equal(bm_style_parse_color("#fff8", &c), 0);
    assert_true(c.g == 1 && c.a > 0.53 && c.a < 0.54);
    assert_int_equal(bm_style_parse_color("rgba(0, 114, 178, 0.5)", &c), 0);
    assert_true(c.a == 0.5);
    assert_int_equal(bm_style_parse_color("white", &c), 0);
    assert_int_not_equal(bm_style_parse_color("#12345", &c), 0);
    assert_int_not_equal(bm_style_parse_color("rgb(300,0,0)", &c), 0);
    assert_int_not_equal(bm_style_parse_color("rgb(nan,nan,nan)", &c), 0);
    assert_int_not_equal(bm_style_parse_color("rgba(0,0,0,0.5) x", &c), 0);
    assert_int_equal(bm_style_parse_color("rgb( 1 , 2 , 3 )", &c), 0);
    assert_int_not_equal(bm_style_parse_color("chartreuse-ish", &c), 0);
}

static void test_filters_and_properties(void **state)
{
    (void)state;
    const char *json =
        "{\"sources\":{\"c\":{\"type\":\"catalog\"}},\"layers\":[{\"type\":\"circle\","
        "\"source\":\"c\",\"filter\":[\"all\",[\"in\",\"event_type\",\"Battles\",\"Riots\"],"
        "[\"!=\",\"fatalities\",0]],\"paint\":{\"circle-color\":[\"match\",[\"get\",\"event_type\"],"
        "[\"Battles\",\"Riots\"],\"#D55E00\",\"#0072B2\"],\"circle-radius\":[\"interpolate\","
        "[\"linear\"],[\"get\",\"fatalities\"],0,2,10,6,50,10]}}]}";
    bm_error err;
    bm_error_clear(&err);
    bm_style *s = bm_style_parse(json, "inline.json", &err);
    assert_non_null(s);
    const bm_layer *l = &s->layers[0];
    const char *battle[] = {"event_type", "Battles", "fatalities", "30", NULL};
    const char *peaceful[] = {"event_type", "Battles", "fatalities", "0.0", NULL};
    const char *other[] = {"event_type", "Protests", "fatalities", "3", NULL};
    fake b = {battle}, p = {peaceful}, o = {other};
    assert_true(bm_style_filter_eval(l->filter, fake_get, &b));
    assert_false(bm_style_filter_eval(l->filter, fake_get, &p)); /* 0.0 == 0 numerically */
    assert_false(bm_style_filter_eval(l->filter, fake_get, &o));
    bm_value tmp;
    assert_true(bm_prop_eval(&l->circle_color, fake_get, &b, &tmp)->color.r > 0.8);
    assert_true(bm_prop_eval(&l->circle_color, fake_get, &o, &tmp)->color.b > 0.6);
    assert_true(bm_prop_eval(&l->circle_radius, fake_get, &b, &tmp)->number == 8);
    assert_true(bm_prop_eval(&l->circle_radius, fake_get, &p, &tmp)->number == 2);
    bm_style_free(s);
}

/* MapLibre's comparisons: numeric, false where the field is not a number. */
static void test_numeric_comparisons(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        int below, at, above;
    } ops[] = {{"<", 1, 0, 0}, {"<=", 1, 1, 0}, {">", 0, 0, 1}, {">=", 0, 1, 1}};
    const char *below[] = {"frontier_km", "9.5", NULL}, *at[] = {"frontier_km", "10", NULL};
    const char *above[] = {"frontier_km", "1e2", NULL}, *empty[] = {"frontier_km", "", NULL};
    fake b = {below}, a = {at}, o = {above}, e = {empty};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        char json[256];
        snprintf(json, sizeof json,
                 "{\"sources\":{\"c\":{\"type\":\"catalog\"}},\"layers\":[{\"type\":"
                 "\"circle\",\"source\":\"c\",\"filter\":[\"%s\",[\"get\",\"frontier_km\"],10]}]}",
                 ops[i].op);
        bm_error err;
        bm_error_clear(&err);
        bm_style *s = bm_style_parse(json, "inline.json", &err);
        assert_non_null(s);
        const bm_style_filter *f = s->layers[0].filter;
        assert_string_equal(bm_style_filter_comparison(f->op), ops[i].op);
        assert_int_equal(bm_style_filter_eval(f, fake_get, &b), ops[i].below);
        assert_int_equal(bm_style_filter_eval(f, fake_get, &a), ops[i].at);
        assert_int_equal(bm_style_filter_eval(f, fake_get, &o), ops[i].above);
        assert_false(bm_style_filter_eval(f, fake_get, &e));
        bm_style_free(s);
    }
    assert_null(bm_style_filter_comparison(BM_STYLE_FILTER_EQ));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_styles_load),
        cmocka_unit_test(test_bad_styles_name_the_json_path),
        cmocka_unit_test(test_bad_values_in_strings),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_unknown_filter_field),
        cmocka_unit_test(test_auto_positions),
        cmocka_unit_test(test_colours),
        cmocka_unit_test(test_filters_and_properties),
        cmocka_unit_test(test_numeric_comparisons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
