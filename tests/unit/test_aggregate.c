/*
 * test_aggregate.c — events counted per region and per hexagon, against
 * brute force computed here: every point tested against every polygon;
 * hexagon areas measured on the ellipsoid with PROJ's geodesic polygon
 * area. And the step and colour-interpolate expressions of choropleths.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <geodesic.h>

#include "aggregate.h"
#include "context.h"
#include "style.h"

static struct {
    bm_context *ctx;
    GEOSContextHandle_t geos;
    bm_features *points;
} T;

static int setup(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    char path[1024];
    snprintf(path, sizeof path, "%s/geodata/catalog.csv", BM_SOURCE_DIR);
    T.ctx = bm_context_create(&err);
    const bm_catalog *c = T.ctx ? bm_context_read_catalog(T.ctx, path, NULL, NULL, &err) : NULL;
    if (!c) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    T.geos = bm_context_geos(T.ctx);
    T.points = bm_features_for_catalog(c, NULL);
    return T.points ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    bm_features_free(T.geos, T.points);
    bm_context_free(T.ctx);
    return 0;
}

static GEOSGeometry *point_geom(size_t i)
{
    double lon, lat;
    return bm_features_point(T.geos, T.points, i, &lon, &lat)
               ? GEOSGeom_createPointFromXY_r(T.geos, lon, lat)
               : NULL;
}

static double number(const bm_features *f, size_t i, const char *field)
{
    return atof(bm_features_get(f, i, field));
}

/* Every admin-1 region's count and fatalities: each point in the first
 * region covering it, as brute force over all regions. */
static void test_regions_agree_with_brute_force(void **state)
{
    (void)state;
    bm_error err;
    const bm_features *regions = bm_context_geodata(T.ctx, "admin1", &err);
    assert_non_null(regions);
    bm_features *agg = bm_aggregate_regions(T.geos, regions, T.points, "fatalities", &err);
    assert_non_null(agg);
    assert_int_equal(agg->n, regions->n);
    size_t *count = calloc(regions->n, sizeof *count), placed = 0;
    double *dead = calloc(regions->n, sizeof *dead);
    for (size_t p = 0; p < T.points->n; p++) {
        GEOSGeometry *pt = point_geom(p);
        for (size_t r = 0; pt && r < regions->n; r++)
            if (regions->geom[r] && GEOSCovers_r(T.geos, regions->geom[r], pt) == 1) {
                count[r]++, placed++;
                dead[r] += atof(bm_features_get(T.points, p, "fatalities"));
                break;
            }
        if (pt)
            GEOSGeom_destroy_r(T.geos, pt);
    }
    for (size_t r = 0; r < regions->n; r++) {
        assert_true(number(agg, r, "count") == (double)count[r]);
        assert_true(number(agg, r, "fatalities") == dead[r]);
        assert_string_equal(bm_features_get(agg, r, "name"), bm_features_get(regions, r, "name"));
    }
    assert_true(placed > 20); /* most of the seed catalog is in the embedded regions */
    free(count);
    free(dead);
    bm_features_free(T.geos, agg);
}

static double geodesic_area_km2(const GEOSGeometry *poly)
{
    struct geod_geodesic g;
    struct geod_polygon p;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    geod_polygon_init(&p, 0);
    const GEOSCoordSequence *seq =
        GEOSGeom_getCoordSeq_r(T.geos, GEOSGetExteriorRing_r(T.geos, poly));
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(T.geos, seq, &n);
    for (unsigned int i = 0; i + 1 < n; i++) {
        double lon, lat;
        GEOSCoordSeq_getXY_r(T.geos, seq, i, &lon, &lat);
        geod_polygon_addpoint(&g, &p, lat, lon);
    }
    double area = 0;
    geod_polygon_compute(&g, &p, 0, 1, &area, NULL);
    return fabs(area) / 1e6;
}

/* Hexagons 100 km across: every located event in exactly the cell that
 * counts it, and every cell the area of a hexagon 100 km across. */
static void test_hexagons_count_every_event_once(void **state)
{
    (void)state;
    bm_error err;
    const double size = 100;
    bm_features *hex = bm_aggregate_hexagons(T.geos, T.points, size, "fatalities", &err);
    assert_non_null(hex);
    size_t located = 0, counted = 0;
    for (size_t p = 0; p < T.points->n; p++) {
        GEOSGeometry *pt = point_geom(p);
        if (!pt)
            continue;
        located++;
        size_t covers = 0;
        for (size_t h = 0; h < hex->n; h++)
            covers += GEOSCovers_r(T.geos, hex->geom[h], pt) == 1;
        assert_int_equal(covers, 1);
        GEOSGeom_destroy_r(T.geos, pt);
    }
    double want = sqrt(3) / 2 * size * size;
    for (size_t h = 0; h < hex->n; h++) {
        counted += (size_t)number(hex, h, "count");
        assert_true(number(hex, h, "count") >= 1);
        double a = geodesic_area_km2(hex->geom[h]);
        if (fabs(a - want) / want > 0.01)
            fail_msg("cell %zu: %.0f km2, a hexagon 100 km across is %.0f", h, a, want);
    }
    assert_int_equal(counted, located);
    bm_features_free(T.geos, hex);
}

typedef struct fake {
    const char *value;
} fake;

static const char *get_value(const char *field, void *feature)
{
    (void)field;
    return ((fake *)feature)->value;
}

/* MapLibre's step (the base below the first stop) and interpolate on
 * colours (each channel linear between the stops). */
static void test_step_and_colour_interpolation(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    bm_style *s = bm_style_parse(
        "{\"sources\":{\"c\":{\"type\":\"catalog\"},\"a\":{\"type\":\"aggregate\",\"source\":\"c\","
        "\"by\":\"hexagons\",\"size-km\":25}},\"layers\":["
        "{\"type\":\"fill\",\"source\":\"a\",\"paint\":{\"fill-color\":[\"step\",[\"get\",\"count\"],"
        "\"#000000\",2,\"#ff0000\",4,\"#00ff00\"]}},"
        "{\"type\":\"fill\",\"source\":\"a\",\"paint\":{\"fill-color\":[\"interpolate\",[\"linear\"],"
        "[\"get\",\"count\"],0,\"#000000\",10,\"#ffffff\"]}}]}",
        "inline.json", &err);
    assert_non_null(s);
    assert_int_equal(s->sources[1].type, BM_SOURCE_AGGREGATE);
    assert_int_equal(s->sources[1].by, BM_AGGREGATE_HEXAGONS);
    assert_true(s->sources[1].size_km == 25 && s->sources[1].of == 0);
    const bm_prop *step = &s->layers[0].fill_color, *ramp = &s->layers[1].fill_color;
    static const struct {
        const char *value;
        double r, g;
    } steps[] = {{"1", 0, 0}, {"2", 1, 0}, {"3.9", 1, 0}, {"4", 0, 1}, {"99", 0, 1}, {"", 0, 0}};
    bm_value tmp;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        fake f = {steps[i].value};
        const bm_color c = bm_prop_eval(step, get_value, &f, &tmp)->color;
        assert_true(c.r == steps[i].r && c.g == steps[i].g);
    }
    fake quarter = {"2.5"};
    const bm_color c = bm_prop_eval(ramp, get_value, &quarter, &tmp)->color;
    assert_true(fabs(c.r - 0.25) < 1e-9 && fabs(c.b - 0.25) < 1e-9);
    bm_style_free(s);

    bm_error_clear(&err);
    assert_null(bm_style_parse("{\"sources\":{\"a\":{\"type\":\"aggregate\",\"source\":\"x\","
                               "\"by\":\"admin1\"}},\"layers\":[{\"type\":\"fill\","
                               "\"source\":\"a\"}]}",
                               "inline.json", &err));
    assert_string_equal(err.field, "sources.a.source");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regions_agree_with_brute_force),
        cmocka_unit_test(test_hexagons_count_every_event_once),
        cmocka_unit_test(test_step_and_colour_interpolation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
