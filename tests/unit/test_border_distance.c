/*
 * test_border_distance.c — distance to the nearest land frontier and the
 * country of a point, on the embedded data.
 *
 * Distances are checked against a brute force computed here: every
 * embedded frontier densified along its geodesics at steps of at most
 * 100 m, and the smallest geod_inverse distance to those points.
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

#include "border_distance.h"
#include "context.h"
#include "frontier_stats.h"

#define STEP_M 100.0

typedef struct dense {
    double *lon, *lat;
    size_t *frontier;
    size_t n, cap;
} dense;

static struct {
    bm_context *ctx;
    const bm_frontiers *frontiers;
    bm_border_distance *bd;
    struct geod_geodesic g;
    dense pts;
} T;

static void push(double lon, double lat, size_t frontier)
{
    dense *d = &T.pts;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 65536;
        d->lon = realloc(d->lon, d->cap * sizeof *d->lon);
        d->lat = realloc(d->lat, d->cap * sizeof *d->lat);
        d->frontier = realloc(d->frontier, d->cap * sizeof *d->frontier);
        assert_true(d->lon && d->lat && d->frontier);
    }
    d->lon[d->n] = lon, d->lat[d->n] = lat, d->frontier[d->n] = frontier;
    d->n++;
}

static void densify_line(GEOSContextHandle_t geos, const GEOSGeometry *line, size_t frontier)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(geos, line);
    unsigned int n = 0;
    assert_true(GEOSCoordSeq_getSize_r(geos, seq, &n));
    double plon = 0, plat = 0;
    for (unsigned int i = 0; i < n; i++) {
        double lon, lat;
        GEOSCoordSeq_getXY_r(geos, seq, i, &lon, &lat);
        if (i > 0) {
            double s12, azi1;
            geod_inverse(&T.g, plat, plon, lat, lon, &s12, &azi1, NULL);
            int steps = (int)ceil(s12 / STEP_M);
            for (int k = 1; k < steps; k++) {
                double qlat, qlon;
                geod_direct(&T.g, plat, plon, azi1, s12 * k / steps, &qlat, &qlon, NULL);
                push(qlon, qlat, frontier);
            }
        }
        push(lon, lat, frontier);
        plon = lon, plat = lat;
    }
}

static void densify(GEOSContextHandle_t geos, const GEOSGeometry *g, size_t frontier)
{
    int type = GEOSGeomTypeId_r(geos, g);
    if (type == GEOS_LINESTRING) {
        densify_line(geos, g, frontier);
        return;
    }
    for (int i = 0; i < GEOSGetNumGeometries_r(geos, g); i++)
        densify(geos, GEOSGetGeometryN_r(geos, g, i), frontier);
}

static int setup(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    T.ctx = bm_context_create(&err);
    T.bd = T.ctx ? bm_context_border_distance(T.ctx, &err) : NULL;
    if (!T.bd) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    T.frontiers = bm_context_frontiers(T.ctx, NULL, 0, &err);
    geod_init(&T.g, 6378137.0, 1 / 298.257223563);
    for (size_t i = 0; i < bm_frontiers_count(T.frontiers); i++)
        densify(bm_context_geos(T.ctx), bm_frontiers_at(T.frontiers, i)->geom, i);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    bm_context_free(T.ctx);
    free(T.pts.lon), free(T.pts.lat), free(T.pts.frontier);
    return 0;
}

/* The brute-force distance in km to one frontier (SIZE_MAX: to any), and
 * which frontier that is. */
static double brute_km(double lon, double lat, size_t only, size_t *nearest)
{
    double best = HUGE_VAL;
    for (size_t i = 0; i < T.pts.n; i++) {
        if (only != SIZE_MAX && T.pts.frontier[i] != only)
            continue;
        /* Two points are at least as far apart as their parallels, and a
         * degree of the meridian is at least 110,574 m: a cheap skip. */
        if (fabs(T.pts.lat[i] - lat) * 110574.0 > best)
            continue;
        double s;
        geod_inverse(&T.g, lat, lon, T.pts.lat[i], T.pts.lon[i], &s, NULL, NULL);
        if (s < best) {
            best = s;
            if (nearest)
                *nearest = T.pts.frontier[i];
        }
    }
    return best / 1000.0;
}

static size_t frontier_index(const bm_frontier *fr)
{
    for (size_t i = 0; i < bm_frontiers_count(T.frontiers); i++)
        if (bm_frontiers_at(T.frontiers, i) == fr)
            return i;
    return SIZE_MAX;
}

/* The answer agrees with the brute force within 0.3 km + 1 %, and the
 * frontier it names is (within that tolerance) the nearest. */
static bm_border_answer check(double lon, double lat)
{
    bm_border_answer a;
    assert_int_equal(bm_border_distance_query(T.bd, lon, lat, &a), 0);
    size_t nearest = SIZE_MAX;
    double want = brute_km(lon, lat, SIZE_MAX, &nearest);
    double tolerance = 0.3 + 0.01 * want;
    if (fabs(a.km - want) > tolerance)
        fail_msg("(%.4f, %.4f): %.3f km, brute force %.3f km", lon, lat, a.km, want);
    assert_non_null(a.frontier);
    size_t named = frontier_index(a.frontier);
    double to_named = named == nearest ? want : brute_km(lon, lat, named, NULL);
    if (to_named > want + tolerance)
        fail_msg("(%.4f, %.4f): names %s at %.3f km, nearest is %s at %.3f km", lon, lat,
                 a.frontier_iso, to_named, bm_frontiers_at(T.frontiers, nearest)->iso_a, want);
    return a;
}

static void test_tajik_afghan_border_both_sides(void **state)
{
    (void)state;
    /* Khorog, Kulob and Shahritus on the Tajik side of the Panj river;
     * Ishkashim, Imam Sahib and Kunduz on the Afghan side. */
    static const struct {
        double lon, lat;
        const char *country;
        double max_km;
    } points[] = {
        {71.553, 37.489, "TJK", 5},  {69.780, 37.910, "TJK", 50},
        {68.140, 37.260, "TJK", 30}, {71.550, 36.720, "AFG", 10},
        {68.920, 37.180, "AFG", 20}, {68.860, 36.728, "AFG", 80},
    };
    for (size_t i = 0; i < sizeof points / sizeof *points; i++) {
        bm_border_answer a = check(points[i].lon, points[i].lat);
        assert_string_equal(a.frontier_iso, "AFG-TJK");
        assert_string_equal(a.frontier_name, "Afghanistan\u2013Tajikistan");
        assert_string_equal(a.in_country, points[i].country);
        assert_true(a.km < points[i].max_km);
    }
}

static void test_on_the_border_is_zero(void **state)
{
    (void)state;
    const bm_frontier *fr = bm_frontiers_find(T.frontiers, "AFG", "TJK");
    assert_non_null(fr);
    GEOSContextHandle_t geos = bm_context_geos(T.ctx);
    const GEOSGeometry *line = GEOSGetGeometryN_r(geos, fr->geom, 0);
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(geos, line);
    unsigned int n = 0;
    GEOSCoordSeq_getSize_r(geos, seq, &n);
    double lon0, lat0, lon1, lat1;
    GEOSCoordSeq_getXY_r(geos, seq, n / 2, &lon0, &lat0);
    GEOSCoordSeq_getXY_r(geos, seq, n / 2 + 1, &lon1, &lat1);
    bm_border_answer a = check(lon0, lat0);
    assert_true(a.km < 0.001);
    assert_string_equal(a.frontier_iso, "AFG-TJK");
    /* Halfway along a segment's geodesic, not at a vertex. */
    double s12, azi1, mlat, mlon;
    geod_inverse(&T.g, lat0, lon0, lat1, lon1, &s12, &azi1, NULL);
    geod_direct(&T.g, lat0, lon0, azi1, s12 / 2, &mlat, &mlon, NULL);
    a = check(mlon, mlat);
    assert_true(a.km < 0.001);
}

static void test_far_away_and_at_sea(void **state)
{
    (void)state;
    bm_border_answer a = check(68.779, 38.559); /* Dushanbe */
    assert_string_equal(a.in_country, "TJK");
    a = check(51.389, 35.689); /* Tehran */
    assert_string_equal(a.in_country, "IRN");
    a = check(62.0, 20.0); /* the Arabian Sea */
    assert_string_equal(a.in_country, "");
    assert_true(a.km > 300);
    a = check(51.0, 42.0); /* the Caspian */
    assert_string_equal(a.in_country, "");
}

/* A fixed sequence in [0, 1) (xorshift64). */
static double uniform(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return (double)(*x >> 11) / 9007199254740992.0;
}

static void test_random_points_agree_with_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 12;
    for (int i = 0; i < 12; i++) {
        double lon = 46.0 + 44.0 * uniform(&seed);
        double lat = 30.0 + 25.0 * uniform(&seed);
        check(lon, lat);
    }
}

/* ---- events along each frontier ----------------------------------------- */

#define WITHIN_KM 25.0

/* The brute-force country of a point: the polygon holding it, or within
 * 1e-4 degrees of it, as border_distance.h says. */
static const char *brute_country(double lon, double lat)
{
    GEOSContextHandle_t geos = bm_context_geos(T.ctx);
    bm_error err;
    const bm_boundaries *b = bm_context_boundaries(T.ctx, &err);
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(geos, lon, lat);
    const char *iso = "";
    for (size_t i = 0; i < bm_boundaries_count(b) && !iso[0]; i++) {
        double d;
        if (GEOSDistance_r(geos, bm_boundaries_at(b, i)->geom, pt, &d) && d <= 1e-4)
            iso = bm_boundaries_at(b, i)->iso_a3;
    }
    GEOSGeom_destroy_r(geos, pt);
    return iso;
}

/* Whether a point is surely more than km from a frontier's densified
 * points: by latitude alone (a degree of the meridian is at least
 * 110,574 m), and by longitude (a degree of a parallel is at least
 * 111,320 m × cos of the highest latitude involved). */
static int surely_farther(double lon, double lat, size_t frontier, double km)
{
    double lo[2] = {HUGE_VAL, HUGE_VAL}, hi[2] = {-HUGE_VAL, -HUGE_VAL};
    for (size_t i = 0; i < T.pts.n; i++)
        if (T.pts.frontier[i] == frontier) {
            lo[0] = fmin(lo[0], T.pts.lon[i]), hi[0] = fmax(hi[0], T.pts.lon[i]);
            lo[1] = fmin(lo[1], T.pts.lat[i]), hi[1] = fmax(hi[1], T.pts.lat[i]);
        }
    double dlat = fmax(0, fmax(lo[1] - lat, lat - hi[1])) * 110.574;
    double top = fmax(fabs(lat), fmax(fabs(lo[1]), fabs(hi[1]))) * M_PI / 180;
    double dlon = fmax(0, fmax(lo[0] - lon, lon - hi[0])) * 111.320 * cos(fmin(top, 1.5));
    return dlat > km || dlon > km;
}

/* Every frontier's count of seed-catalog events within 25 km, on each
 * side, and their fatalities, against brute force (the distance to the
 * densified frontier, the point in the country polygons). */
static void test_events_along_frontiers_agree_with_brute_force(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    char path[1024];
    snprintf(path, sizeof path, "%s/geodata/catalog.csv", BM_SOURCE_DIR);
    const bm_catalog *c = bm_context_read_catalog(T.ctx, path, NULL, NULL, &err);
    assert_non_null(c);
    bm_frontier_stats *s = bm_frontier_stats_compute(T.bd, T.frontiers, c, WITHIN_KM, &err);
    assert_non_null(s);
    size_t nf = bm_frontiers_count(T.frontiers), total = 0;
    for (size_t i = 0; i < nf; i++) {
        const bm_frontier *fr = bm_frontiers_at(T.frontiers, i);
        size_t within = 0, a = 0, b = 0;
        double fatalities = 0;
        for (size_t r = 0; r < bm_catalog_count(c); r++) {
            double lon, lat;
            if (!bm_catalog_point(c, r, &lon, &lat))
                continue;
            if (surely_farther(lon, lat, i, WITHIN_KM + 1))
                continue;
            double km = brute_km(lon, lat, i, NULL);
            /* No seed event lies so near 25 km that the 100 m steps matter. */
            assert_true(fabs(km - WITHIN_KM) > 0.3);
            if (km > WITHIN_KM)
                continue;
            const char *iso = brute_country(lon, lat);
            within++, a += strcmp(iso, fr->iso_a) == 0, b += strcmp(iso, fr->iso_b) == 0;
            fatalities += atof(bm_catalog_get(c, r, "fatalities"));
        }
        const bm_frontier_count *n = bm_frontier_stats_at(s, i);
        if (n->within != within || n->side_a != a || n->side_b != b || n->fatalities != fatalities)
            fail_msg("%s-%s: %zu within (%zu, %zu), %g dead; brute force %zu (%zu, %zu), %g",
                     fr->iso_a, fr->iso_b, n->within, n->side_a, n->side_b, n->fatalities,
                     within, a, b, fatalities);
        assert_true(fabs(n->per_100km - within / fr->length_km * 100) < 1e-9);
        total += within;
    }
    assert_true(total > 5); /* the Murghab and Panj events */
    bm_frontier_stats_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tajik_afghan_border_both_sides),
        cmocka_unit_test(test_on_the_border_is_zero),
        cmocka_unit_test(test_far_away_and_at_sea),
        cmocka_unit_test(test_random_points_agree_with_brute_force),
        cmocka_unit_test(test_events_along_frontiers_agree_with_brute_force),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
