/*
 * test_geocode.c — resolution and ranking against the embedded data.
 *
 * Expected coordinates are the places' true positions (GeoNames, to about
 * 0.1 degree); country rows must land inside the country and frontier rows
 * on the frontier line, both checked with the polygons themselves.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gdal.h>
#include <ogr_api.h>

#include "boundaries.h"
#include "catalog.h"
#include "geodata.h"
#include "frontiers.h"
#include "gazetteer.h"
#include "geocode.h"

#define TOL 0.15 /* degrees */

typedef struct fixture {
    GEOSContextHandle_t geos;
    bm_gazetteer *g;
    bm_boundaries *b;
} fixture;

static void quiet(const char *fmt, ...)
{
    (void)fmt;
}

static int setup(void **state)
{
    static fixture f;
    bm_error err;
    bm_error_clear(&err);
    f.geos = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(f.geos, quiet);
    GEOSContext_setErrorHandler_r(f.geos, quiet);
    f.g = bm_gazetteer_load(f.geos, &err);
    f.b = bm_boundaries_load(f.geos, bm_boundaries_default_path(), &err);
    *state = &f;
    return f.g && f.b ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bm_gazetteer_free(f->g);
    bm_boundaries_free(f->b);
    GEOS_finish_r(f->geos);
    return 0;
}

static bm_match resolve(fixture *f, const char *text, const char *country, const char *admin1)
{
    bm_match m;
    bm_error err;
    if (bm_geocode_text(f->g, text, country, admin1, &m, &err) != BM_OK)
        fail_msg("'%s': %s", text, err.message);
    return m;
}

static void assert_near(const char *what, const bm_match *m, double lat, double lon)
{
    if (m->best.kind == BM_MATCH_NONE)
        fail_msg("'%s' unresolved", what);
    if (fabs(m->best.lat - lat) > TOL || fabs(m->best.lon - lon) > TOL)
        fail_msg("'%s' -> %s at (%.4f, %.4f), wanted (%.4f, %.4f)", what, m->best.place->name,
                 m->best.lat, m->best.lon, lat, lon);
}

static void assert_at(fixture *f, const char *text, const char *country, double lat,
                      double lon)
{
    bm_match m = resolve(f, text, country, NULL);
    assert_near(text, &m, lat, lon);
}

static double distance_to(fixture *f, const GEOSGeometry *geom, double lon, double lat)
{
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(f->geos, lon, lat);
    double d = INFINITY;
    GEOSDistance_r(f->geos, pt, geom, &d);
    GEOSGeom_destroy_r(f->geos, pt);
    return d;
}

static void assert_in_country(fixture *f, const bm_match *m, const char *iso)
{
    const bm_country *c = bm_boundaries_find(f->b, iso);
    assert_non_null(c);
    assert_int_equal(m->best.kind, BM_MATCH_COUNTRY);
    if (distance_to(f, c->geom, m->best.lon, m->best.lat) > 0)
        fail_msg("point for %s is outside it", iso);
}

static void assert_on_frontier(fixture *f, const bm_match *m, const char *a, const char *b)
{
    GEOSGeometry *line = bm_frontier_between(f->geos, bm_boundaries_find(f->b, a),
                                             bm_boundaries_find(f->b, b),
                                             BM_FRONTIER_DEFAULT_TOLERANCE_M);
    assert_non_null(line);
    assert_int_equal(m->best.kind, BM_MATCH_FRONTIER);
    assert_int_equal(m->best.precision, 3);
    double d = distance_to(f, line, m->best.lon, m->best.lat);
    GEOSGeom_destroy_r(f->geos, line);
    if (d > 0.01)
        fail_msg("frontier point %.4f,%.4f is %.3f deg off the %s-%s line", m->best.lon,
                 m->best.lat, d, a, b);
}

/* Where each row of the seed catalog is. */
typedef struct expected {
    const char *event;
    char kind; /* 'p' point, 'c' country iso, 'f' frontier iso/iso2 */
    double lat, lon;
    const char *iso, *iso2;
} expected;

static const expected seed[] = {
    {"KGZ1", 'p', 40.06, 70.82, NULL, NULL},   /* Batken */
    {"KGZ2", 'p', 42.85, 74.85, NULL, NULL},   /* Kant air base */
    {"KAZ1", 'p', 50.28, 57.21, NULL, NULL},   /* Aktobe */
    {"KAZ2", 'c', 0, 0, "KAZ", NULL},
    {"TKM1", 'p', 35.76, 63.14, NULL, NULL},   /* Murghab at the Afghan border (Marchak) */
    {"TKM2", 'f', 0, 0, "AFG", "TKM"},
    {"TKM3", 'f', 0, 0, "AFG", "TKM"},
    {"TKM4", 'f', 0, 0, "AFG", "TKM"},
    {"TKM5", 'f', 0, 0, "AFG", "TKM"},
    {"TKM6", 'c', 0, 0, "TKM", NULL},
    {"AFG1", 'f', 0, 0, "AFG", "TKM"},
    {"AFG2", 'p', 36.73, 68.86, NULL, NULL},   /* Kunduz */
    {"UZB1", 'p', 41.30, 69.24, NULL, NULL},   /* Tashkent */
    {"UZB2", 'f', 0, 0, "TKM", "UZB"},
    {"UZB3", 'c', 0, 0, "UZB", NULL},
    {"UZB4", 'c', 0, 0, "UZB", NULL},
    {"TJK1", 'f', 0, 0, "AFG", "TJK"},
    {"TJK2", 'p', 38.56, 68.77, NULL, NULL},   /* Dushanbe */
    {"TJK3", 'p', 38.56, 68.78, NULL, NULL},   /* 201st base, Dushanbe */
    {"TJK4", 'p', 38.56, 68.78, NULL, NULL},
    {"TJK5", 'p', 38.56, 68.77, NULL, NULL},
    {"TJK6", 'p', 38.56, 68.77, NULL, NULL},
    {"RUS1", 'p', 55.75, 37.62, NULL, NULL},   /* Moscow */
    {"RUS2", 'c', 0, 0, "RUS", NULL},
    {"SYR1", 'c', 0, 0, "SYR", NULL},
    {"SYR2", 'p', 36.53, 37.95, NULL, NULL},   /* Manbij */
    {"SYR3", 'p', 36.20, 37.16, NULL, NULL},   /* Aleppo */
    {"IRQ1", 'p', 34.61, 43.68, NULL, NULL},   /* Tikrit */
    {"IRQ2", 'p', 33.35, 43.78, NULL, NULL},   /* Fallujah */
    {"IRQ3", 'p', 33.34, 44.40, NULL, NULL},   /* Baghdad */
    {"USA1", 'p', 28.54, -81.38, NULL, NULL},  /* Orlando */
    {"TUR1", 'p', 41.01, 28.96, NULL, NULL},   /* Istanbul */
    {"BGD1", 'p', 23.76, 90.39, NULL, NULL},   /* Dhaka */
    {"SAU1", 'p', 24.47, 39.61, NULL, NULL},   /* Medina */
};

static void check_seed_row(fixture *f, const bm_catalog *c, size_t i, const bm_match *m)
{
    const char *id = bm_catalog_get(c, i, "event_id_cnty");
    for (size_t k = 0; k < sizeof seed / sizeof *seed; k++) {
        if (strcmp(seed[k].event, id) != 0)
            continue;
        if (m->ambiguous)
            fail_msg("%s is flagged ambiguous: %s", id, m->alternatives);
        if (seed[k].kind == 'p')
            assert_near(id, m, seed[k].lat, seed[k].lon);
        else if (seed[k].kind == 'c')
            assert_in_country(f, m, seed[k].iso);
        else
            assert_on_frontier(f, m, seed[k].iso, seed[k].iso2);
        return;
    }
    fail_msg("no expected location for seed row %s", id);
}

static void test_seed_catalog(void **state)
{
    fixture *f = *state;
    bm_error err;
    bm_error_clear(&err);
    bm_catalog *c = bm_catalog_read(bm_catalog_default_path(), &err);
    assert_non_null(c);
    bm_geocode_summary sum;
    bm_lazy_gazetteer lg = {.geos = f->geos, .g = f->g};
    bm_match *m = bm_geocode_catalog(&lg, c, 0, &sum, &err);
    assert_non_null(m);
    assert_int_equal(sum.records, sizeof seed / sizeof *seed);
    assert_int_equal(sum.unresolved, 0);
    for (size_t i = 0; i < bm_catalog_count(c); i++) {
        check_seed_row(f, c, i, &m[i]);
        double lon, lat;
        assert_true(bm_catalog_point(c, i, &lon, &lat));
        assert_true(lon == m[i].best.lon && lat == m[i].best.lat);
        /* The latitude/longitude columns follow the point. */
        assert_true(fabs(atof(bm_catalog_get(c, i, "latitude")) - lat) < 1e-6);
        assert_true(fabs(atof(bm_catalog_get(c, i, "longitude")) - lon) < 1e-6);
        /* So does geo_precision, for styles that draw region-level events apart. */
        assert_int_equal(atoi(bm_catalog_get(c, i, "geo_precision")), m[i].best.precision);
    }
    bm_catalog_clear_point(c, 0);
    assert_string_equal(bm_catalog_get(c, 0, "latitude"), "");
    free(m);
    bm_catalog_free(c);
}

static void test_spelling_variants(void **state)
{
    fixture *f = *state;
    const char *kulob[] = {"Kulyab", "Kulob", "Kŭlob", "KULYAB", "Куляб", "Kulyab city"};
    for (size_t i = 0; i < 6; i++)
        assert_at(f, kulob[i], NULL, 37.91, 69.78);
    const char *bokhtar[] = {"Kurgan-Tyube", "Qurghonteppa", "Bokhtar", "Kurgan Tyube"};
    for (size_t i = 0; i < 4; i++)
        assert_at(f, bokhtar[i], "Tajikistan", 37.84, 68.78);
    const char *aktobe[] = {"Aktyubinsk", "Aqtöbe", "Aktobe"};
    for (size_t i = 0; i < 3; i++)
        assert_at(f, aktobe[i], NULL, 50.28, 57.21);
    assert_at(f, "Khorog", NULL, 37.49, 71.55);
    assert_at(f, "Khorugh", NULL, 37.49, 71.55);
    assert_at(f, "Termez", NULL, 37.22, 67.28);
    assert_at(f, "Termiz", NULL, 37.22, 67.28);
    assert_at(f, "Raqqa", NULL, 35.95, 39.01);
    assert_at(f, "Ar-Raqqa", NULL, 35.95, 39.01);
    assert_at(f, "Mazar-i-Sharif", NULL, 36.71, 67.11);
}

static void assert_kind(fixture *f, const char *text, const char *country, bm_match_kind kind,
                        const char *id)
{
    bm_match m = resolve(f, text, country, NULL);
    if (m.best.kind != kind || strcmp(m.best.place->id, id) != 0)
        fail_msg("'%s' -> kind %d id %s, wanted kind %d id %s", text, m.best.kind,
                 m.best.place ? m.best.place->id : "-", kind, id);
}

static void test_regions_and_countries(void **state)
{
    fixture *f = *state;
    assert_kind(f, "Batken Region", NULL, BM_MATCH_ADMIN1, "KGZ/Batken");
    assert_kind(f, "Batken oblast", NULL, BM_MATCH_ADMIN1, "KGZ/Batken");
    assert_kind(f, "GBAO", NULL, BM_MATCH_ADMIN1, "TJK/Gorno-Badakhshan");
    assert_kind(f, "Gorno-Badakhshan", NULL, BM_MATCH_ADMIN1, "TJK/Gorno-Badakhshan");
    assert_kind(f, "Badakhshan province", "Afghanistan", BM_MATCH_ADMIN1, "AFG/Badakhshan");
    bm_match m = resolve(f, "Batken oblast", NULL, NULL);
    assert_int_equal(m.best.precision, 3);
    assert_kind(f, "Tajikistan", NULL, BM_MATCH_COUNTRY, "TJK");
    assert_kind(f, "TJK", NULL, BM_MATCH_COUNTRY, "TJK");
    assert_kind(f, "KZ", NULL, BM_MATCH_COUNTRY, "KAZ");
    assert_kind(f, "Tajik", NULL, BM_MATCH_COUNTRY, "TJK");
    assert_kind(f, "Russian Federation", NULL, BM_MATCH_COUNTRY, "RUS");
}

static void test_frontiers(void **state)
{
    fixture *f = *state;
    const char *afg_tjk[] = {"Tajik-Afghan border", "the Tajik–Afghan border",
                             "border between Tajikistan and Afghanistan", "Afghan-Tajik frontier"};
    for (size_t i = 0; i < 4; i++) {
        bm_match m = resolve(f, afg_tjk[i], NULL, NULL);
        assert_on_frontier(f, &m, "AFG", "TJK");
    }
    bm_match m = resolve(f, "Uzbek–Afghan frontier", NULL, NULL);
    assert_on_frontier(f, &m, "AFG", "UZB");
    m = resolve(f, "Afghan border", "Turkmenistan", NULL);
    assert_on_frontier(f, &m, "AFG", "TKM");
    m = resolve(f, "Tajik-Syrian border", NULL, NULL); /* no shared border */
    assert_int_not_equal(m.best.kind, BM_MATCH_FRONTIER);
}

static void test_features(void **state)
{
    fixture *f = *state;
    assert_kind(f, "201st base", NULL, BM_MATCH_FEATURE, "ru-201-base-dushanbe");
    assert_kind(f, "201st Russian military base", NULL, BM_MATCH_FEATURE, "ru-201-base-dushanbe");
    assert_kind(f, "201st Motor Rifle Division", "Tajikistan", BM_MATCH_FEATURE,
                "ru-201-base-dushanbe");
    assert_kind(f, "Kant air base", NULL, BM_MATCH_FEATURE, "kant-air-base");
}

static void test_murghab(void **state)
{
    fixture *f = *state;
    const char *hints[] = {"Turkmenistan", "Afghanistan", "TKM", "AF"};
    for (size_t i = 0; i < 4; i++) {
        bm_match m = resolve(f, "Murghab River", hints[i], NULL);
        assert_string_equal(m.best.place->id, "murghab-river-tkm-afg-border");
        assert_false(m.ambiguous);
        m = resolve(f, "Murghab", hints[i], NULL);
        /* Each country has a place of exactly that name, which beats the
         * river's alias: Murgab, a town of Mary province, and Murghab, a
         * district of Badghis. */
        if (strcmp(hints[i], "Afghanistan") == 0 || strcmp(hints[i], "AF") == 0) {
            assert_int_equal(m.best.kind, BM_MATCH_DISTRICT);
            assert_string_equal(m.best.place->admin1, "Badghis");
        } else {
            assert_near("Murghab (TKM)", &m, 37.50, 61.97);
        }
    }
    bm_match m = resolve(f, "Murghab", "Tajikistan", NULL);
    assert_near("Murghab (TJK)", &m, 38.17, 73.97);
}

/* Rule 3: a town of exactly that name beats a curated feature whose alias
 * leaves out its kind word, and the kind word brings the feature back. */
static void test_exact_name_beats_kindless_alias(void **state)
{
    fixture *f = *state;
    bm_match m = resolve(f, "Murghab", NULL, NULL);
    assert_int_equal(m.best.kind, BM_MATCH_PLACE);
    assert_near("Murghab", &m, 38.17, 73.97);
    assert_null(strstr(m.alternatives, "Murghab River"));
    m = resolve(f, "Murghab River", NULL, NULL);
    assert_int_equal(m.best.kind, BM_MATCH_FEATURE);
    m = resolve(f, "Ayni", NULL, NULL); /* the town in Sughd, not the air base */
    assert_int_equal(m.best.kind, BM_MATCH_PLACE);
    assert_near("Ayni", &m, 39.39, 68.54);
    m = resolve(f, "Ayni air base", NULL, NULL);
    assert_string_equal(m.best.place->id, "ayni-air-base");
    m = resolve(f, "Panj", "Tajikistan", NULL); /* the town on the river */
    assert_int_equal(m.best.kind, BM_MATCH_PLACE);
    assert_near("Panj", &m, 37.24, 69.10);
    m = resolve(f, "Panj River", "Tajikistan", NULL);
    assert_string_equal(m.best.place->id, "panj-river");
}

/* Rule 3: a kind word that fits the place is an exact match; one that
 * does not costs a step, below every exact match. */
static void test_kind_words(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text;
        bm_match_kind kind;
    } cases[] = {
        {"Balkh", BM_MATCH_PLACE},          {"Balkh Province", BM_MATCH_ADMIN1},
        {"Balkh city", BM_MATCH_PLACE},     {"Batken", BM_MATCH_PLACE},
        {"Batken Region", BM_MATCH_ADMIN1}, {"Batken oblast", BM_MATCH_ADMIN1},
        {"Kunduz", BM_MATCH_PLACE},         {"Kunduz province", BM_MATCH_ADMIN1},
        {"Osh", BM_MATCH_PLACE},            {"Osh Region", BM_MATCH_ADMIN1},
        {"Tagtabazar", BM_MATCH_PLACE},     {"Tagtabazar district", BM_MATCH_DISTRICT},
        {"Jirgatol", BM_MATCH_PLACE},       {"Jirgatol district", BM_MATCH_DISTRICT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bm_match m = resolve(f, cases[i].text, NULL, NULL);
        if (m.best.kind != cases[i].kind)
            fail_msg("'%s' -> %s (%s), wanted %s", cases[i].text,
                     m.best.place ? m.best.place->name : "nothing",
                     bm_match_kind_name(m.best.kind), bm_match_kind_name(cases[i].kind));
    }
    /* "Place (Region)": the bracket is the admin1 hint. */
    bm_match m0 = resolve(f, "Faizabad (Jowzjan)", NULL, NULL);
    assert_near("Faizabad (Jowzjan)", &m0, 36.82, 66.46);
    m0 = resolve(f, "Faizabad (Badakhshan)", NULL, NULL);
    assert_near("Faizabad (Badakhshan)", &m0, 37.12, 70.58);
    /* A feature's kind word must fit: no river is named Balkh here, and the
     * town is not one. */
    bm_match m = resolve(f, "Balkh River", NULL, NULL);
    assert_int_equal(m.best.kind, BM_MATCH_NONE);
}

/* Rule 2: a row is never placed outside its own country; the places found
 * elsewhere are listed, and the note says why. */
static void test_outside_country_refused(void **state)
{
    fixture *f = *state;
    bm_match m = resolve(f, "Isfahan", "Tajikistan", NULL);
    assert_int_equal(m.best.kind, BM_MATCH_NONE);
    assert_non_null(strstr(m.alternatives, "Isfahan (IRN"));
    assert_non_null(strstr(m.note, "no place of that name in Tajikistan"));
    m = resolve(f, "Kul", "TJ", NULL);
    assert_int_equal(m.best.kind, BM_MATCH_NONE);
    m = resolve(f, "Isfahan", NULL, NULL); /* no country: the usual ranking */
    assert_int_equal(m.best.kind, BM_MATCH_PLACE);
    assert_string_equal(m.best.place->country, "IRN");
    m = resolve(f, "Tajik-Afghan border", "Afghanistan", NULL); /* a frontier is both sides' */
    assert_int_equal(m.best.kind, BM_MATCH_FRONTIER);
    m = resolve(f, "Murghab River", "Afghanistan", NULL); /* and so is a border river */
    assert_int_equal(m.best.kind, BM_MATCH_FEATURE);
}

/* The last resort: a name the row's country lacks matches its places
 * spelled a letter or two differently, and says so; never without a
 * country, and never for short names. */
static void test_near_spellings(void **state)
{
    fixture *f = *state;
    bm_match m = resolve(f, "Sulukta", "Kyrgyzstan", NULL);
    assert_near("Sulukta", &m, 39.94, 69.57);
    assert_non_null(strstr(m.note, "matched a near spelling: Suluktu"));
    m = resolve(f, "Samarkandek", "KG", "Batken");
    assert_near("Samarkandek", &m, 40.00, 70.55);
    m = resolve(f, "Sulukta", NULL, NULL);
    assert_int_equal(m.best.kind, BM_MATCH_NONE);
    m = resolve(f, "Oshq", "Kyrgyzstan", NULL);
    assert_int_equal(m.best.kind, BM_MATCH_NONE);
    m = resolve(f, "Osh", "Kyrgyzstan", NULL); /* an exact name has no note */
    assert_string_equal(m.note, "");
}

/* A row whose country the embedded area does not hold whole is told which
 * command adds it; a point outside the area is noted. */
static void test_coverage_notes(void **state)
{
    fixture *f = *state;
    bm_match m = resolve(f, "Xqzzyv", "Ukraine", NULL);
    assert_int_equal(m.best.kind, BM_MATCH_NONE);
    assert_non_null(strstr(m.note, "Ukraine is not all inside the area"));
    assert_non_null(strstr(m.note, "geodata/build --bbox 22,"));
    m = resolve(f, "Argentina", NULL, NULL); /* a country the polygons lack */
    assert_int_equal(m.best.kind, BM_MATCH_NONE);
    assert_non_null(strstr(m.note, "Argentina is not all inside the area"));
    m = resolve(f, "Xqzzyv", "Tajikistan", NULL); /* inside: nothing to add */
    assert_string_equal(m.note, "");
    m = resolve(f, "Orlando", "United States", NULL);
    assert_int_equal(m.best.kind, BM_MATCH_PLACE);
    assert_non_null(strstr(m.note, "outside the area of the embedded geodata"));
    m = resolve(f, "Dushanbe", "Tajikistan", NULL);
    assert_string_equal(m.note, "");
}

static void test_ranking(void **state)
{
    fixture *f = *state;
    bm_match m = resolve(f, "Moscow", "Russia", "Moscow");
    assert_near("Moscow RU", &m, 55.75, 37.62);
    m = resolve(f, "Moscow", NULL, NULL); /* the capital outranks the Idaho town */
    assert_near("Moscow", &m, 55.75, 37.62);
    m = resolve(f, "Moscow", "United States", "Idaho");
    assert_near("Moscow ID", &m, 46.73, -117.00);
    m = resolve(f, "Medina", "Saudi Arabia", "Medina");
    assert_near("Medina SA", &m, 24.47, 39.61);
    assert_false(m.ambiguous);
    m = resolve(f, "Medina", "United States", "Ohio");
    assert_near("Medina OH", &m, 41.14, -81.86);
    m = resolve(f, "Batken", "Kyrgyzstan", "Batken");
    assert_int_equal(m.best.kind, BM_MATCH_PLACE); /* the town, not the region */
    assert_int_equal(m.best.precision, 1);
    m = resolve(f, "Nowhereville Xyzzy", NULL, NULL);
    assert_int_equal(m.best.kind, BM_MATCH_NONE);
}

static void test_query_candidates(void **state)
{
    fixture *f = *state;
    bm_candidate c[5];
    bm_error err;
    size_t n = bm_geocode_query(f->g, "Moscow", NULL, NULL, c, 5, &err);
    assert_true(n >= 2);
    assert_string_equal(c[0].place->country, "RUS");
    for (size_t i = 1; i < n; i++)
        assert_true(c[i - 1].score >= c[i].score);
}

/* The gazetteer's admin-1 regions, in the order of admin1.fgb. */
static const bm_place *nth_region(fixture *f, size_t n)
{
    for (size_t i = 0; i < bm_gazetteer_count(f->g); i++)
        if (bm_gazetteer_at(f->g, i)->kind == BM_PLACE_ADMIN1 && n-- == 0)
            return bm_gazetteer_at(f->g, i);
    return NULL;
}

/* An admin-1 region's point is the centroid of its polygon, computed here
 * by GDAL, or a point inside it when the centroid falls outside. */
static void test_region_points(void **state)
{
    fixture *f = *state;
    char path[1024], id[200];
    GDALDatasetH ds = GDALOpenEx(bm_geodata_path("admin1.fgb", path, sizeof path),
                                 GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH feat;
    size_t regions = 0, outside = 0;
    while ((feat = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH geom = OGR_F_GetGeometryRef(feat), centroid = OGR_G_CreateGeometry(wkbPoint);
        snprintf(id, sizeof id, "%s/%s", OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "iso_a3")),
                 OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "name")));
        const bm_place *p = nth_region(f, regions);
        if (!p || strcmp(p->id, id) != 0)
            fail_msg("region %s is not in the gazetteer", id);
        assert_int_equal(OGR_G_Centroid(geom, centroid), OGRERR_NONE);
        if (OGR_G_Intersects(geom, centroid)) {
            if (fabs(p->lon - OGR_G_GetX(centroid, 0)) > 1e-6 ||
                fabs(p->lat - OGR_G_GetY(centroid, 0)) > 1e-6)
                fail_msg("%s at (%.5f, %.5f), its centroid is (%.5f, %.5f)", id, p->lon, p->lat,
                         OGR_G_GetX(centroid, 0), OGR_G_GetY(centroid, 0));
        } else {
            OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_AddPoint_2D(pt, p->lon, p->lat);
            if (!OGR_G_Intersects(geom, pt))
                fail_msg("%s: centroid outside, and its point (%.5f, %.5f) too", id, p->lon,
                         p->lat);
            OGR_G_DestroyGeometry(pt);
            outside++;
        }
        OGR_G_DestroyGeometry(centroid);
        OGR_F_Destroy(feat);
        regions++;
    }
    GDALClose(ds);
    assert_true(regions > 100);
    assert_true(outside > 0 && outside < regions / 10); /* both branches are exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_catalog),    cmocka_unit_test(test_spelling_variants),
        cmocka_unit_test(test_exact_name_beats_kindless_alias),
        cmocka_unit_test(test_kind_words),      cmocka_unit_test(test_outside_country_refused),
        cmocka_unit_test(test_coverage_notes),  cmocka_unit_test(test_region_points),
        cmocka_unit_test(test_near_spellings),
        cmocka_unit_test(test_regions_and_countries), cmocka_unit_test(test_frontiers),
        cmocka_unit_test(test_features),        cmocka_unit_test(test_murghab),
        cmocka_unit_test(test_ranking),         cmocka_unit_test(test_query_candidates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
