/*
 * test_projection.c — the default projection of an extent, and the CRSs
 * a map refuses.
 *
 * Each fitted projection is checked by what a map needs of it: it is
 * created, the extent's box projects to a non-empty frame, and a point
 * inside the extent goes forward and back to itself.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "projection.h"

/* Fits the extent, checks the round trip at its middle, returns the
 * projection's description in name. */
static void check_fitted(const double e[4], const char *kind, char *name, size_t size)
{
    char def[512];
    bm_projection_fitted(e, def, sizeof def, name, size);
    assert_non_null(strstr(name, kind));
    bm_error err;
    bm_projection *p = bm_projection_create(def, &err);
    if (!p)
        fail_msg("%s: %s", def, err.message);
    double b[4];
    assert_int_equal(bm_projection_box_bounds(p, e, b), 0);
    assert_true(b[2] - b[0] > 1000 && b[3] - b[1] > 1000);
    double lon = e[0] + (e[2] - e[0]) * 0.3, lat = e[1] + (e[3] - e[1]) * 0.7, x, y, lon2, lat2;
    assert_int_equal(bm_projection_forward(p, lon, lat, &x, &y), 0);
    assert_int_equal(bm_projection_inverse(p, x, y, &lon2, &lat2), 0);
    assert_true(fabs(lon2 - lon) < 1e-7 && fabs(lat2 - lat) < 1e-7);
    bm_projection_free(p);
}

/* Centred on the equator, a conic's standard parallels are one circle
 * each side (lat_1 = -lat_2), which PROJ refuses: such extents, the
 * whole world among them, are drawn in a Mercator. */
static void test_equatorial(void **state)
{
    (void)state;
    char name[256];
    check_fitted((double[]){40, -10, 60, 10}, "Mercator", name, sizeof name);
    check_fitted((double[]){-180, -85, 180, 85}, "Mercator", name, sizeof name);
    check_fitted((double[]){100, -14, 120, 14}, "Mercator", name, sizeof name);
    assert_non_null(strstr(name, "central meridian 110.0°E"));
}

static void test_polar(void **state)
{
    (void)state;
    char name[256];
    check_fitted((double[]){-180, 60, 180, 85}, "polar stereographic", name, sizeof name);
    assert_non_null(strstr(name, "72.5°N"));
    check_fitted((double[]){-180, -85, 180, -60}, "polar stereographic", name, sizeof name);
    assert_non_null(strstr(name, "72.5°S"));
    /* The pole itself projects to the middle of the map. */
    char def[512];
    bm_projection_fitted((double[]){-180, 60, 180, 85}, def, sizeof def, name, sizeof name);
    bm_error err;
    bm_projection *p = bm_projection_create(def, &err);
    assert_non_null(p);
    double x, y;
    assert_int_equal(bm_projection_forward(p, 0, 90, &x, &y), 0);
    assert_true(fabs(x) < 1e-6 && fabs(y) < 1e-6);
    bm_projection_free(p);
}

static void test_middle_latitudes(void **state)
{
    (void)state;
    char name[256];
    check_fitted((double[]){46, 30, 88, 52}, "Lambert conformal conic", name, sizeof name);
    assert_non_null(strstr(name, "standard parallels 33.7°N and 48.3°N, central meridian 67.0°E"));
    check_fitted((double[]){-80, -50, -40, -20}, "Lambert conformal conic", name, sizeof name);
    /* Just past the thresholds either way. */
    check_fitted((double[]){0, 0, 10, 30.5}, "Lambert conformal conic", name, sizeof name);
    check_fitted((double[]){0, 0, 10, 29.5}, "Mercator", name, sizeof name);
    check_fitted((double[]){-180, 55, 180, 84.5}, "Lambert conformal conic", name, sizeof name);
}

static void expect_refused(const char *def, const char *kind)
{
    bm_error err;
    bm_projection *p = bm_projection_create(def, &err);
    if (p)
        fail_msg("'%s' was accepted", def);
    assert_int_equal(err.status, BM_ERR_USAGE);
    assert_string_equal(err.field, "crs");
    if (!strstr(err.message, kind))
        fail_msg("'%s': %s", def, err.message);
}

static void test_non_map_crs_refused(void **state)
{
    (void)state;
    expect_refused("EPSG:4978", "is a geocentric CRS: a map needs a projected or a geographic 2D CRS");
    expect_refused("+proj=geocent +datum=WGS84 +type=crs", "is a geocentric CRS");
    expect_refused("EPSG:5773", "is a vertical CRS");
    expect_refused("EPSG:4979", "is a geographic 3D CRS");
    expect_refused("EPSG:5972", "is a compound CRS");
    /* PROJ operations that are not map projections: PROJ itself takes
     * "+proj=affine +datum=WGS84" for a projected CRS. */
    expect_refused("+proj=helmert +x=1 +datum=WGS84", "'+proj=helmert' is not a map projection");
    expect_refused("+proj=affine +xoff=1 +datum=WGS84", "'+proj=affine' is not a map projection");
    expect_refused("+proj=nosuch +datum=WGS84", "PROJ does not accept");
}

static void test_map_crs_accepted(void **state)
{
    (void)state;
    const char *const defs[] = {"EPSG:4326", "EPSG:3857", "EPSG:32642",
                                "+proj=laea +lat_0=40 +lon_0=66 +datum=WGS84",
                                "+proj=longlat +datum=WGS84 +no_defs",
                                /* a bound CRS, judged by its base */
                                "+proj=lcc +lat_1=30 +lat_2=50 +towgs84=1,2,3 +ellps=intl +type=crs"};
    for (size_t i = 0; i < sizeof defs / sizeof *defs; i++) {
        bm_error err;
        bm_projection *p = bm_projection_create(defs[i], &err);
        if (!p)
            fail_msg("'%s': %s", defs[i], err.message);
        double x, y;
        assert_int_equal(bm_projection_forward(p, 66, 40, &x, &y), 0);
        bm_projection_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equatorial),
        cmocka_unit_test(test_polar),
        cmocka_unit_test(test_middle_latitudes),
        cmocka_unit_test(test_non_map_crs_refused),
        cmocka_unit_test(test_map_crs_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
