/*
 * test_filter.c — record filters: date bounds, countries by name and ISO
 * code, event types, bounding boxes (across the antimeridian too), where
 * expressions (every operator, numeric and text comparison, precedence),
 * binding, errors with their position, and the limits on hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog.h"
#include "filter.h"

static char dir[] = "/tmp/bm_test_filter_XXXXXX";
static bm_catalog *cat;

/* Records 0..9; the comments say what each is there to test. */
static const char *fixture =
    "event_date,event_type,country,iso3,fatalities,location,latitude,longitude\n"
    "2014-12-31,Battles,Tajikistan,TJK,3,Khorog,37.49,71.55\n"          /* 0 */
    "2015-01-01,Battles,Tadzhikistan,,10,Murghob,38.17,73.96\n"         /* 1 another name */
    "2015-02-28,Protests,Kyrgyzstan,KGZ,0,Osh,40.53,72.80\n"            /* 2 */
    "2015-12-31,Riots,kazakhstan,KAZ,,Almaty,43.24,76.89\n"             /* 3 no fatalities */
    "2016-01-01,Violence against civilians,Afghanistan,AFG,25,"
    "\"Kunduz, Imam Sahib\",36.73,68.86\n"                              /* 4 */
    "2015-06-15,Battles,Russia,RUS,7,Anadyr,64.73,177.51\n"             /* 5 east of 170 */
    "2015-06-16,Battles,United States,USA,1,Attu,52.9,-172.9\n"         /* 6 west of -170 */
    "2015-07-01,Strategic developments,Republic of Tajikistan,TJK,2,"
    "B\xc3\xa9sh,,\n"                                                   /* 7 no point, iso3 only */
    "2015-03-01,Battles,Uzbekistan,860,9,O'Quote,41.3,69.2\n"           /* 8 numeric iso3 */
    "2016-02-29,Riots,Narnia,,4,Cair Paravel,10,10\n";                  /* 9 unknown country */

/* The records f matches, as "0 1 7". */
static void expect_matches(bm_filter *f, const char *want)
{
    bm_error err;
    bm_error_clear(&err);
    if (bm_filter_bind(f, cat, &err) != BM_OK)
        fail_msg("bind: %s: %s", err.field, err.message);
    char got[128] = "";
    for (size_t i = 0; i < bm_catalog_count(cat); i++)
        if (bm_filter_match(f, cat, i))
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%zu", got[0] ? " " : "", i);
    if (strcmp(got, want) != 0)
        fail_msg("filter '%s': matched '%s', expected '%s'", bm_filter_describe(f), got, want);
}

typedef bm_status (*setter)(bm_filter *f, const char *arg, bm_error *err);

static void expect_filter(setter set, const char *arg, const char *want)
{
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    assert_non_null(f);
    if (set(f, arg, &err) != BM_OK)
        fail_msg("'%s': %s: %s", arg, err.field, err.message);
    expect_matches(f, want);
    bm_filter_free(f);
}

static void where(const char *expr, const char *want)
{
    expect_filter(bm_filter_set_where, expr, want);
}

/* set(arg) fails with a usage error on option, its message holding part. */
static void expect_error(setter set, const char *arg, const char *option, const char *part)
{
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    assert_int_equal(set(f, arg, &err), BM_ERR_USAGE);
    assert_string_equal(err.field, option);
    if (!strstr(err.message, part))
        fail_msg("'%s': message '%s' lacks '%s'", arg, err.message, part);
    assert_true(bm_filter_is_empty(f));
    bm_filter_free(f);
}

static void where_error(const char *expr, const char *part)
{
    expect_error(bm_filter_set_where, expr, "--where", part);
}

/* ---- the empty filter --------------------------------------------------- */

static void test_empty_filter_matches_everything(void **state)
{
    (void)state;
    bm_filter *f = bm_filter_new();
    assert_true(bm_filter_is_empty(f));
    assert_string_equal(bm_filter_describe(f), "");
    for (size_t i = 0; i < bm_catalog_count(cat); i++)
        assert_true(bm_filter_match(f, cat, i)); /* even unbound */
    expect_matches(f, "0 1 2 3 4 5 6 7 8 9");
    bm_filter_free(f);
}

/* ---- dates -------------------------------------------------------------- */

static void expect_dates(const char *from, const char *to, const char *want)
{
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    if (from)
        assert_int_equal(bm_filter_set_from(f, from, &err), BM_OK);
    if (to)
        assert_int_equal(bm_filter_set_to(f, to, &err), BM_OK);
    expect_matches(f, want);
    bm_filter_free(f);
}

static void test_date_bounds_are_inclusive(void **state)
{
    (void)state;
    expect_dates("2015", "2015", "1 2 3 5 6 7 8");              /* the year */
    expect_dates("2015-02", "2015-02", "2");                    /* the month, to its 28th */
    expect_dates("2016-02", "2016-02", "9");                    /* a leap February */
    expect_dates(NULL, "2015-02", "0 1 2");
    expect_dates("2015-12-31", NULL, "3 4 9");                  /* the day itself */
    expect_dates(NULL, "2014-12-31", "0");
    expect_dates("2015-06-15", "2015-06-16", "5 6");
}

static void test_date_description_and_errors(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    assert_int_equal(bm_filter_set_from(f, "2016-02", &err), BM_OK);
    assert_int_equal(bm_filter_set_to(f, "2016-02", &err), BM_OK);
    assert_string_equal(bm_filter_describe(f), "from=2016-02-01; to=2016-02-29");
    /* a to before the from is refused, and changes nothing */
    assert_int_equal(bm_filter_set_to(f, "2015", &err), BM_ERR_USAGE);
    assert_string_equal(err.field, "--to");
    assert_string_equal(bm_filter_describe(f), "from=2016-02-01; to=2016-02-29");
    bm_filter_free(f);

    const char *bad[] = {"15", "2015-1", "2015-1-01", "2015-01-01x", "2015/01", "", "2015-"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_error(bm_filter_set_from, bad[i], "--from", "expected a date");
    expect_error(bm_filter_set_to, "2015-13", "--to", "no such date");
    expect_error(bm_filter_set_to, "2015-02-29", "--to", "no such date");
    expect_error(bm_filter_set_from, "2015-04-31", "--from", "no such date");
}

/* ---- countries and event types ------------------------------------------ */

static void test_countries_by_name_and_iso(void **state)
{
    (void)state;
    setter add = bm_filter_add_countries;
    expect_filter(add, "TJK", "0 1 7");            /* names of TJK, and iso3 TJK */
    expect_filter(add, "tajikistan", "0 1 7");     /* the same country */
    expect_filter(add, "Kazakhstan", "3");         /* without regard to case */
    expect_filter(add, "kgz, Afghanistan", "2 4"); /* a list */
    expect_filter(add, "UZB", "8");                /* by name; iso3 "860" is no code */
    expect_filter(add, "Narnia", "9");             /* unknown: as written */
    expect_filter(add, "Atlantis", "");
    expect_error(add, " , ", "--country", "list");
    expect_error(bm_filter_add_country, "  ", "--country", "country");

    /* lists add up; one item may hold a comma */
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    assert_int_equal(bm_filter_add_countries(f, "KAZ", &err), BM_OK);
    assert_int_equal(bm_filter_add_country(f, "Bonaire, Saint Eustatius and Saba", &err), BM_OK);
    assert_int_equal(bm_filter_add_countries(f, "RUS", &err), BM_OK);
    assert_string_equal(bm_filter_describe(f),
                        "country=KAZ,Bonaire, Saint Eustatius and Saba,RUS");
    expect_matches(f, "3 5");
    bm_filter_free(f);
}

static void test_event_types(void **state)
{
    (void)state;
    setter add = bm_filter_add_event_types;
    expect_filter(add, "battles", "0 1 5 6 8");
    expect_filter(add, "Riots, PROTESTS", "2 3 9");
    expect_filter(add, "Violence against civilians", "4");
    expect_error(add, "", "--event-type", "list");
}

static void test_conditions_combine(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    assert_int_equal(bm_filter_add_event_types(f, "Battles", &err), BM_OK);
    assert_int_equal(bm_filter_add_countries(f, "TJK", &err), BM_OK);
    assert_int_equal(bm_filter_set_from(f, "2015", &err), BM_OK);
    expect_matches(f, "1");
    assert_int_equal(bm_filter_set_where(f, "fatalities > 5", &err), BM_OK);
    assert_false(bm_filter_match(f, cat, 1)); /* changed: bind again */
    expect_matches(f, "1");
    assert_int_equal(bm_filter_set_where(f, "fatalities > 50", &err), BM_OK);
    expect_matches(f, ""); /* replaces the earlier expression */
    bm_filter_free(f);
}

/* ---- bounding box ------------------------------------------------------- */

static void test_bbox(void **state)
{
    (void)state;
    setter set = bm_filter_set_bbox;
    expect_filter(set, "60,35,80,45", "0 1 2 3 4 8"); /* 7 has no point */
    expect_filter(set, " 71.55 , 37.49 , 73.96 , 38.17 ", "0 1"); /* edges included */
    expect_filter(set, "170,50,-170,70", "5 6");      /* across the antimeridian */
    expect_filter(set, "-180,-90,180,90", "0 1 2 3 4 5 6 8 9");
    expect_error(set, "1,2,3", "--bbox", "W,S,E,N");
    expect_error(set, "a,b,c,d", "--bbox", "W,S,E,N");
    expect_error(set, "0,0,10,10,20", "--bbox", "W,S,E,N");
    expect_error(set, "0,10,10,5", "--bbox", "S < N");
    expect_error(set, "200,0,10,10", "--bbox", "-180 to 180");
    expect_error(set, "10,0,10,10", "--bbox", "not equal");
    expect_error(set, "nan,0,10,10", "--bbox", "-180 to 180");
}

/* ---- where: operators and comparison ------------------------------------ */

static void test_where_comparisons(void **state)
{
    (void)state;
    where("fatalities = 10", "1");
    where("fatalities = 10.0", "1");       /* numerically */
    where("fatalities = '10'", "1");       /* quoting does not matter */
    where("'1e1' = fatalities", "1");      /* nor the side */
    where("fatalities != 10", "0 2 3 4 5 6 7 8 9");
    where("fatalities <> 10", "0 2 3 4 5 6 7 8 9");
    where("fatalities > 9", "1 4");        /* 10 > 9 numerically, though "10" < "9" */
    where("fatalities >= 9", "1 4 8");
    where("fatalities < 3", "2 3 6 7");    /* 3: "" < "3" as text */
    where("fatalities <= 3", "0 2 3 6 7");
    where("fatalities < 3 and fatalities is not empty", "2 6 7");
    where("fatalities >= -1.5e0", "0 1 2 4 5 6 7 8 9");
    where("location < 'B'", "3 5 6");      /* text, byte order */
    where("location = 'osh'", "");        /* case-sensitive */
    where("location = 'Osh'", "2");
    where("location = 'O''Quote'", "8");   /* '' is a quote */
    where("latitude > longitude", "6");    /* field against field */
    where("iso3 = 860", "8");
    where("FATALITIES = 10", "1");         /* field names without regard to case */
    where("\"Location\" = 'Osh'", "2");    /* quoted field names */
}

static void test_where_in_like_empty(void **state)
{
    (void)state;
    where("iso3 in ('TJK', 'KGZ')", "0 2 7");
    where("iso3 not in ('TJK','KGZ')", "1 3 4 5 6 8 9");
    where("fatalities in (0, 25)", "2 4");
    where("fatalities in ('0.0')", "2");
    where("location like 'k%'", "0 4");                     /* without regard to case */
    where("location like '%IMAM%'", "4");
    where("location like '_sh'", "2");
    where("location like 'B_sh'", "7");                     /* _ is one UTF-8 character */
    where("location like 'B__sh'", "");
    where("location like '%'", "0 1 2 3 4 5 6 7 8 9");
    where("location like '%%o%%g'", "0");
    where("location not like '%o%'", "3 4 5 6 7 9");
    where("fatalities is empty", "3");
    where("latitude is not empty", "0 1 2 3 4 5 6 8 9");
    where("location LIKE 'osh' AND NOT fatalities IS EMPTY", "2"); /* keywords any case */
}

static void test_where_precedence(void **state)
{
    (void)state;
    /* AND binds tighter than OR */
    where("event_type = 'Riots' or event_type = 'Protests' and fatalities > 5", "3 9");
    where("(event_type = 'Riots' or event_type = 'Protests') and fatalities > 3", "9");
    where("event_type = 'Battles' or event_type = 'Riots' and country = 'Narnia'",
          "0 1 5 6 8 9");
    where("(event_type = 'Battles' or event_type = 'Riots') and country = 'Tajikistan'", "0");
    /* NOT binds tighter than AND */
    where("not event_type = 'Battles'", "2 3 4 7 9");
    where("not event_type = 'Battles' and fatalities > 3", "4 9");
    where("not (event_type = 'Battles' and fatalities > 3)", "0 2 3 4 6 7 9");
    where("not (fatalities > 5 or fatalities is empty)", "0 2 6 7 9");
    where("not not location = 'Osh'", "2");
    where("((((location = 'Osh'))))", "2");
}

/* ---- where: binding, errors and limits ---------------------------------- */

static void test_bind_errors(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    assert_int_equal(bm_filter_set_where(f, "location = 'Osh' or colour = 'red'", &err), BM_OK);
    assert_int_equal(bm_filter_bind(f, cat, &err), BM_ERR_USAGE);
    assert_string_equal(err.field, "--where");
    assert_string_equal(err.file, bm_catalog_path(cat));
    assert_non_null(strstr(err.message, "unknown field 'colour'"));
    assert_null(strstr(err.message, "event_date")); /* no list of columns */
    assert_false(bm_filter_match(f, cat, 2));         /* unbound: nothing matches */
    bm_filter_free(f);

    /* conditions on columns the catalog lacks */
    char path[256];
    snprintf(path, sizeof path, "%s/bare.csv", dir);
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    fputs("location,admin1\nKhorog,GBAO\n", out);
    fclose(out);
    bm_catalog *bare = bm_catalog_read(path, &err);
    if (!bare)
        fail_msg("%s: %s", path, err.message);
    f = bm_filter_new();
    assert_int_equal(bm_filter_set_to(f, "2015", &err), BM_OK);
    assert_int_equal(bm_filter_bind(f, bare, &err), BM_ERR_USAGE);
    assert_string_equal(err.field, "--to");
    assert_non_null(strstr(err.message, "event_date"));
    bm_filter_free(f);
    f = bm_filter_new();
    assert_int_equal(bm_filter_add_countries(f, "TJK", &err), BM_OK);
    assert_int_equal(bm_filter_bind(f, bare, &err), BM_ERR_USAGE);
    assert_string_equal(err.field, "--country");
    bm_filter_free(f);
    bm_catalog_free(bare);
}

static void test_where_syntax_errors_have_a_position(void **state)
{
    (void)state;
    where_error("fatalities >= ", "at character 15: expected a value");
    where_error("fatalities = 1 and", "at character 19: expected a value");
    where_error("", "at character 1: expected a value");
    where_error("(fatalities = 1", "at character 16: expected ')'");
    where_error("fatalities = 1)", "at character 15: unbalanced ')'");
    where_error("location = 'abc", "at character 12: unterminated string");
    where_error("\"location = 1", "at character 1: unterminated quoted field name");
    where_error("fatalities # 1", "at character 12: unexpected character '#'");
    where_error("fatalities in 1", "at character 15: expected '('");
    where_error("fatalities in (1, x)", "at character 19: expected 'text' or a number");
    where_error("fatalities in (1 2)", "at character 18: expected ',' or ')'");
    where_error("fatalities is full", "at character 15: expected EMPTY");
    where_error("location like x", "at character 15: expected a pattern");
    where_error("fatalities not 5", "at character 16: expected IN or LIKE");
    where_error("fatalities 5", "at character 12: expected a comparison");
    where_error("12abc = 1", "at character 1: malformed number");
    where_error("and = 1", "at character 1: expected a value");
    where_error("a = 1 b = 2", "at character 7: expected AND, OR or the end");
    /* positions count characters, not bytes: é is two bytes */
    where_error("location = '\xc3\xa9' and x y", "at character 22: expected a comparison");

    /* a failed expression leaves the filter as it was */
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    assert_int_equal(bm_filter_set_where(f, "location = 'Osh'", &err), BM_OK);
    assert_int_equal(bm_filter_set_where(f, "location = ", &err), BM_ERR_USAGE);
    expect_matches(f, "2");
    bm_filter_free(f);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t size = strlen(head) + n * strlen(unit) + strlen(tail) + 1;
    char *s = malloc(size);
    assert_non_null(s);
    strcpy(s, head);
    for (size_t i = 0; i < n; i++)
        strcat(s, unit);
    strcat(s, tail);
    return s;
}

static char *nested(size_t depth)
{
    char *open = repeat("", "(", depth, "location = 'Osh'");
    char *s = repeat(open, ")", depth, "");
    free(open);
    return s;
}

static void test_where_limits(void **state)
{
    (void)state;
    char *s = nested(BM_FILTER_DEPTH_MAX);
    where(s, "2");
    free(s);
    s = nested(BM_FILTER_DEPTH_MAX + 1);
    where_error(s, "nested more than 64 levels deep");
    free(s);
    s = repeat("", "not not ", BM_FILTER_DEPTH_MAX / 2, "location = 'Osh'");
    where(s, "2");
    free(s);
    s = repeat("", "not ", BM_FILTER_DEPTH_MAX + 1, "location = 'Osh'");
    where_error(s, "nested more than");
    free(s);
    s = repeat("", "(", 100000, "");
    where_error(s, "longer than");
    free(s);
    /* a long flat chain is no deeper than one level */
    s = repeat("location = 'Osh'", " or fatalities = 999", 350, "");
    assert_true(strlen(s) <= BM_FILTER_WHERE_MAX);
    where(s, "2");
    free(s);
}

/* Random input from the language's own characters: errors, never a crash
 * (the sanitizer build checks the memory). */
static void test_where_survives_garbage(void **state)
{
    (void)state;
    static const char alphabet[] = "()'\",=<>!%_ aeinotdlkmpsy0123456789.-+\xc3\xa9";
    uint32_t seed = 12345;
    char expr[200];
    bm_error err;
    for (int round = 0; round < 5000; round++) {
        size_t n = (size_t)(round % 60);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            expr[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        expr[n] = '\0';
        bm_error_clear(&err);
        bm_filter *f = bm_filter_new();
        if (bm_filter_set_where(f, expr, &err) == BM_OK) {
            /* what parsed re-parses to the same text */
            bm_filter *g = bm_filter_new();
            const char *text = bm_filter_describe(f) + strlen("where=");
            assert_int_equal(bm_filter_set_where(g, text, &err), BM_OK);
            assert_string_equal(bm_filter_describe(g), bm_filter_describe(f));
            bm_filter_free(g);
        } else {
            assert_int_equal(err.status, BM_ERR_USAGE);
        }
        bm_filter_free(f);
    }
}

/* ---- description -------------------------------------------------------- */

static void test_description_is_canonical(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    bm_filter *f = bm_filter_new();
    assert_int_equal(bm_filter_set_where(f, "Fatalities>5 AND (location LIKE 'K%' OR NOT iso3 "
                                            "IN ('TJK','KGZ')) or x <> 'it''s'", &err), BM_OK);
    assert_int_equal(bm_filter_set_bbox(f, "60,35.0,80.5,45", &err), BM_OK);
    assert_int_equal(bm_filter_add_event_types(f, "Battles", &err), BM_OK);
    assert_int_equal(bm_filter_add_countries(f, "TJK, Kyrgyzstan", &err), BM_OK);
    assert_int_equal(bm_filter_set_to(f, "2015-06", &err), BM_OK);
    assert_int_equal(bm_filter_set_from(f, "2015", &err), BM_OK);
    assert_false(bm_filter_is_empty(f));
    assert_string_equal(bm_filter_describe(f),
                        "from=2015-01-01; to=2015-06-30; country=TJK,Kyrgyzstan; "
                        "event_type=Battles; bbox=60,35,80.5,45; "
                        "where=fatalities > 5 and (location like 'K%' or not iso3 in "
                        "('TJK', 'KGZ')) or x != 'it''s'");
    bm_filter_free(f);
}

static int setup(void **state)
{
    (void)state;
    char path[256];
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/incidents.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(fixture, f);
    fclose(f);
    bm_error err;
    bm_error_clear(&err);
    cat = bm_catalog_read(path, &err);
    if (!cat) {
        char msg[1400];
        bm_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "fixture: %s\n", msg);
        return -1;
    }
    return bm_catalog_count(cat) == 10 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    bm_catalog_free(cat);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_filter_matches_everything),
        cmocka_unit_test(test_date_bounds_are_inclusive),
        cmocka_unit_test(test_date_description_and_errors),
        cmocka_unit_test(test_countries_by_name_and_iso),
        cmocka_unit_test(test_event_types),
        cmocka_unit_test(test_conditions_combine),
        cmocka_unit_test(test_bbox),
        cmocka_unit_test(test_where_comparisons),
        cmocka_unit_test(test_where_in_like_empty),
        cmocka_unit_test(test_where_precedence),
        cmocka_unit_test(test_bind_errors),
        cmocka_unit_test(test_where_syntax_errors_have_a_position),
        cmocka_unit_test(test_where_limits),
        cmocka_unit_test(test_where_survives_garbage),
        cmocka_unit_test(test_description_is_canonical),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
