/*
 * test_frontiers.c — frontier geometry and geodesic length.
 *
 * Synthetic cases check the method against lengths computed here
 * independently of PROJ (closed-form arcs on the WGS84 ellipsoid); the
 * embedded data is checked against published border lengths.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "boundaries.h"
#include "frontiers.h"
#include "geodesy.h"

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

static void quiet(const char *fmt, ...)
{
    (void)fmt;
}

static GEOSContextHandle_t new_geos(void)
{
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(h, quiet);
    GEOSContext_setErrorHandler_r(h, quiet);
    return h;
}

/* Length of the meridian from the equator to latitude phi (radians), by
 * the classical series in the eccentricity; good to well under 1 mm. */
static double meridian_arc(double phi)
{
    double e2 = WGS84_F * (2 - WGS84_F), e4 = e2 * e2, e6 = e4 * e2;
    return WGS84_A * ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * phi -
                      (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * sin(2 * phi) +
                      (15 * e4 / 256 + 45 * e6 / 1024) * sin(4 * phi) -
                      (35 * e6 / 3072) * sin(6 * phi));
}

static bm_country square(GEOSContextHandle_t geos, const char *iso, double x0, double y0,
                         double x1, double y1)
{
    char wkt[256];
    snprintf(wkt, sizeof wkt, "POLYGON((%.9f %.9f,%.9f %.9f,%.9f %.9f,%.9f %.9f,%.9f %.9f))",
             x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
    bm_country c;
    memset(&c, 0, sizeof c);
    snprintf(c.iso_a3, sizeof c.iso_a3, "%s", iso);
    snprintf(c.name, sizeof c.name, "%s", iso);
    c.geom = GEOSGeomFromWKT_r(geos, wkt);
    assert_non_null(c.geom);
    return c;
}

static double frontier_m(GEOSContextHandle_t geos, const bm_country *a, const bm_country *b,
                         double tolerance_m)
{
    GEOSGeometry *g = bm_frontier_between(geos, a, b, tolerance_m);
    if (!g)
        return -1;
    double m = bm_geodesic_length_m(geos, g);
    GEOSGeom_destroy_r(geos, g);
    return m;
}

static void test_shared_meridian_edge_has_its_geodesic_length(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_country a = square(geos, "AAA", 10, 0, 11, 1), b = square(geos, "BBB", 11, 0, 12, 1);
    double expected = meridian_arc(M_PI / 180.0); /* the edge lon 11, lat 0..1 */
    assert_true(fabs(frontier_m(geos, &a, &b, 100) - expected) < 0.01);
    GEOSGeom_destroy_r(geos, a.geom);
    GEOSGeom_destroy_r(geos, b.geom);
    GEOS_finish_r(geos);
}

static void test_shared_equator_edge_has_its_geodesic_length(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_country a = square(geos, "AAA", 10, -1, 11, 0), b = square(geos, "BBB", 10, 0, 11, 1);
    double expected = WGS84_A * M_PI / 180.0; /* one degree of the equator */
    assert_true(fabs(frontier_m(geos, &a, &b, 100) - expected) < 0.01);
    GEOSGeom_destroy_r(geos, a.geom);
    GEOSGeom_destroy_r(geos, b.geom);
    GEOS_finish_r(geos);
}

static void test_frontier_does_not_depend_on_order(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_error err;
    bm_boundaries *b = bm_boundaries_load(geos, bm_boundaries_default_path(), &err);
    assert_non_null(b);
    const bm_country *afg = bm_boundaries_find(b, "AFG"), *tjk = bm_boundaries_find(b, "TJK");
    GEOSGeometry *ab = bm_frontier_between(geos, afg, tjk, 500);
    GEOSGeometry *ba = bm_frontier_between(geos, tjk, afg, 500);
    assert_non_null(ab);
    assert_non_null(ba);
    assert_int_equal(GEOSEqualsExact_r(geos, ab, ba, 0), 1);
    GEOSGeom_destroy_r(geos, ab);
    GEOSGeom_destroy_r(geos, ba);
    bm_boundaries_free(b);
    GEOS_finish_r(geos);
}

static void test_countries_apart_have_no_frontier(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_country a = square(geos, "AAA", 10, 0, 11, 1), b = square(geos, "BBB", 13, 0, 14, 1);
    assert_null(bm_frontier_between(geos, &a, &b, 1000));
    GEOSGeom_destroy_r(geos, a.geom);
    GEOSGeom_destroy_r(geos, b.geom);

    bm_error err;
    bm_boundaries *bounds = bm_boundaries_load(geos, bm_boundaries_default_path(), &err);
    assert_non_null(bounds);
    const char *isos[] = {"TJK", "TKM"}; /* Uzbekistan and Afghanistan lie between */
    bm_frontiers *f = bm_frontiers_compute(geos, bounds, isos, 2, NULL, &err);
    assert_non_null(f);
    assert_int_equal(bm_frontiers_count(f), 0);
    bm_frontiers_free(f);
    bm_boundaries_free(bounds);
    GEOS_finish_r(geos);
}

/* A gap of `gap_m` metres between two squares on the equator. */
static double frontier_across_gap(double gap_m, double tolerance_m)
{
    GEOSContextHandle_t geos = new_geos();
    double gap_deg = gap_m / (WGS84_A * M_PI / 180.0);
    bm_country a = square(geos, "AAA", 10, 0, 11, 1);
    bm_country b = square(geos, "BBB", 11 + gap_deg, 0, 12, 1);
    double m = frontier_m(geos, &a, &b, tolerance_m);
    GEOSGeom_destroy_r(geos, a.geom);
    GEOSGeom_destroy_r(geos, b.geom);
    GEOS_finish_r(geos);
    return m;
}

static void test_sliver_gap_below_tolerance_is_bridged(void **state)
{
    (void)state;
    double edge = meridian_arc(M_PI / 180.0);
    double m = frontier_across_gap(50, 100);
    /* The edge, plus at most a tolerance at each end where the squares'
     * corners are within reach of each other. */
    assert_true(m >= edge - 1);
    assert_true(m <= edge + 2 * 100);
}

static void test_gap_above_tolerance_is_not_bridged(void **state)
{
    (void)state;
    assert_true(frontier_across_gap(150, 100) < 0);
    assert_true(frontier_across_gap(1500, 1000) < 0);
}

static void test_invalid_polygon_is_repaired(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_error err;
    bm_error_clear(&err);
    bm_boundaries *b = bm_boundaries_load(geos, BM_TEST_DATA "/frontiers/bowtie.geojson", &err);
    assert_non_null(b);
    const bm_country *bowtie = bm_boundaries_find(b, "AAA");
    assert_int_equal(GEOSisValid_r(geos, bowtie->geom), 1);
    const char *isos[] = {"AAA", "BBB"};
    bm_frontiers *f = bm_frontiers_compute(geos, b, isos, 2, NULL, &err);
    assert_non_null(f);
    assert_int_equal(bm_frontiers_count(f), 1);
    bm_frontiers_free(f);
    bm_boundaries_free(b);
    GEOS_finish_r(geos);
}

static void expect_load_error(const char *file, const char *field)
{
    GEOSContextHandle_t geos = new_geos();
    bm_error err;
    bm_error_clear(&err);
    assert_null(bm_boundaries_load(geos, file, &err));
    assert_int_equal(err.status, BM_ERR_RUNTIME);
    assert_string_equal(err.file, file);
    if (field)
        assert_string_equal(err.field, field);
    assert_true(strlen(err.message) > 0);
    GEOS_finish_r(geos);
}

static void test_bad_boundary_files_are_reported(void **state)
{
    (void)state;
    expect_load_error(BM_TEST_DATA "/frontiers/no-iso-field.geojson", "iso_a3");
    expect_load_error(BM_TEST_DATA "/frontiers/point-geometry.geojson", "geometry");
    expect_load_error(BM_TEST_DATA "/frontiers/truncated.geojson", NULL);
    expect_load_error(BM_TEST_DATA "/frontiers/does-not-exist.geojson", NULL);
}

static void test_unknown_country_code_is_a_usage_error(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_error err;
    bm_boundaries *b = bm_boundaries_load(geos, bm_boundaries_default_path(), &err);
    assert_non_null(b);
    const char *isos[] = {"TJK", "XYZ"};
    bm_error_clear(&err);
    assert_null(bm_frontiers_compute(geos, b, isos, 2, NULL, &err));
    assert_int_equal(err.status, BM_ERR_USAGE);
    assert_non_null(strstr(err.message, "XYZ"));
    bm_boundaries_free(b);
    GEOS_finish_r(geos);
}

/* Published land-border lengths. Where publications disagree by more than
 * the tolerance, every figure is listed and the measured length must be
 * within tolerance of one of them. */
typedef struct published {
    const char *a, *b;
    double km[2];
    const char *source;
} published;

static const published central_asia[] = {
    {"AFG", "CHN", {91}, "CIA World Factbook, Afghanistan: land boundaries"},
    {"AFG", "IRN", {921}, "CIA World Factbook, Afghanistan"},
    {"AFG", "TJK", {1357}, "CIA World Factbook, Afghanistan"},
    {"AFG", "TKM", {744, 804}, "744 km: Turkmen and news usage (745 km in the Interfax "
                               "interview, 002_561550c436447e7d.txt); 804 km: CIA World Factbook"},
    {"AFG", "UZB", {144}, "CIA World Factbook, Afghanistan"},
    {"CHN", "KAZ", {1765}, "CIA World Factbook, Kazakhstan"},
    {"CHN", "KGZ", {1063}, "CIA World Factbook, Kyrgyzstan"},
    {"CHN", "TJK", {477}, "CIA World Factbook, Tajikistan"},
    {"IRN", "TKM", {1148}, "CIA World Factbook, Turkmenistan"},
    {"KAZ", "KGZ", {1212}, "CIA World Factbook, Kazakhstan"},
    {"KAZ", "TKM", {413}, "CIA World Factbook, Kazakhstan"},
    {"KAZ", "UZB", {2330}, "CIA World Factbook, Kazakhstan"},
    {"KGZ", "TJK", {984}, "CIA World Factbook, Kyrgyzstan"},
    {"KGZ", "UZB", {1314}, "CIA World Factbook, Kyrgyzstan"},
    {"TJK", "UZB", {1312}, "CIA World Factbook, Tajikistan"},
    {"TKM", "UZB", {1621, 1793}, "1,621 km: WorldAtlas (1,007 mi); 1,793 km: CIA World Factbook"},
};

static double relative_error(double measured, const published *p)
{
    double best = HUGE_VAL;
    for (int i = 0; i < 2 && p->km[i] > 0; i++)
        best = fmin(best, fabs(measured - p->km[i]) / p->km[i]);
    return best;
}

static void test_embedded_frontiers_match_published_lengths(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_error err;
    bm_boundaries *b = bm_boundaries_load(geos, bm_boundaries_default_path(), &err);
    assert_non_null(b);
    const char *isos[] = {"AFG", "TJK", "TKM", "UZB", "KGZ", "KAZ", "CHN", "IRN"};
    bm_frontiers *f = bm_frontiers_compute(geos, b, isos, 8, NULL, &err);
    assert_non_null(f);
    size_t n = sizeof central_asia / sizeof *central_asia;
    /* Every neighbouring pair is listed, and nothing else is found. */
    assert_int_equal(bm_frontiers_count(f), n);
    for (size_t i = 0; i < n; i++) {
        const published *p = &central_asia[i];
        const bm_frontier *fr = bm_frontiers_find(f, p->a, p->b);
        if (!fr)
            fail_msg("no frontier %s-%s", p->a, p->b);
        double e = relative_error(fr->length_km, p);
        if (e > 0.05)
            fail_msg("%s-%s: %.1f km is %.1f %% off (%s)", p->a, p->b, fr->length_km, 100 * e,
                     p->source);
    }
    /* The tighter bounds for the two borders the articles are about. */
    assert_true(fabs(bm_frontiers_find(f, "TJK", "AFG")->length_km - 1357) / 1357 < 0.02);
    assert_true(fabs(bm_frontiers_find(f, "UZB", "AFG")->length_km - 144) / 144 < 0.03);
    bm_frontiers_free(f);
    bm_boundaries_free(b);
    GEOS_finish_r(geos);
}

static void test_reported_lengths_are_attached(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_error err;
    bm_boundaries *b = bm_boundaries_load(geos, bm_boundaries_default_path(), &err);
    assert_non_null(b);
    const char *isos[] = {"TJK", "AFG", "UZB"};
    bm_frontiers *f = bm_frontiers_compute(geos, b, isos, 3, NULL, &err);
    assert_non_null(f);
    const bm_frontier *tj = bm_frontiers_find(f, "AFG", "TJK");
    assert_true(tj->has_reported);
    assert_true(tj->reported_km == 1300);
    assert_string_equal(tj->reported_qualifier, "over");
    assert_false(bm_frontiers_find(f, "TJK", "UZB")->has_reported);
    char name[200];
    assert_string_equal(bm_frontier_name(tj, name, sizeof name), "Afghanistan\u2013Tajikistan");
    bm_frontiers_free(f);
    bm_boundaries_free(b);
    GEOS_finish_r(geos);
}

static void test_maritime_sectors_only_on_request(void **state)
{
    (void)state;
    GEOSContextHandle_t geos = new_geos();
    bm_error err;
    bm_boundaries *b = bm_boundaries_load(geos, bm_boundaries_default_path(), &err);
    assert_non_null(b);
    const char *isos[] = {"KAZ", "TKM"}; /* land border plus a line at sea */
    bm_frontiers *land = bm_frontiers_compute(geos, b, isos, 2, NULL, &err);
    bm_frontier_options opt = {.include_maritime = 1};
    bm_frontiers *sea = bm_frontiers_compute(geos, b, isos, 2, &opt, &err);
    assert_non_null(land);
    assert_non_null(sea);
    assert_int_equal(bm_frontiers_count(land), 1);
    assert_int_equal(bm_frontiers_count(sea), 1);
    double land_km = bm_frontiers_at(land, 0)->length_km;
    double sea_km = bm_frontiers_at(sea, 0)->length_km;
    assert_true(sea_km > land_km + 5); /* territorial waters reach ~22 km out */
    bm_frontiers_free(sea);
    bm_frontiers_free(land);
    bm_boundaries_free(b);
    GEOS_finish_r(geos);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_meridian_edge_has_its_geodesic_length),
        cmocka_unit_test(test_shared_equator_edge_has_its_geodesic_length),
        cmocka_unit_test(test_frontier_does_not_depend_on_order),
        cmocka_unit_test(test_countries_apart_have_no_frontier),
        cmocka_unit_test(test_sliver_gap_below_tolerance_is_bridged),
        cmocka_unit_test(test_gap_above_tolerance_is_not_bridged),
        cmocka_unit_test(test_invalid_polygon_is_repaired),
        cmocka_unit_test(test_bad_boundary_files_are_reported),
        cmocka_unit_test(test_unknown_country_code_is_a_usage_error),
        cmocka_unit_test(test_embedded_frontiers_match_published_lengths),
        cmocka_unit_test(test_reported_lengths_are_attached),
        cmocka_unit_test(test_maritime_sectors_only_on_request),
    };
    return cmocka_run_group_tests_name("frontiers", tests, NULL, NULL);
}
