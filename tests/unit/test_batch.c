/*
 * test_batch.c — jobs files, shards, filters, and up-to-date checks from
 * what a job's render read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "batch.h"
#include "catalog.h"
#include "context.h"
#include "filter.h"

static char dir[] = "/tmp/bm_test_batch_XXXXXX";

static void write_text(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static bm_batch *load(const char *text, bm_error *err)
{
    char path[256];
    write_text("jobs.json", text);
    snprintf(path, sizeof path, "%s/jobs.json", dir);
    bm_error_clear(err);
    return bm_batch_load(path, err);
}

/* ---- shards ------------------------------------------------------------- */

static void test_shards_partition_the_jobs(void **state)
{
    (void)state;
    for (unsigned n = 1; n <= 7; n++)
        for (size_t i = 0; i < 50; i++) {
            int owners = 0;
            for (unsigned k = 1; k <= n; k++)
                owners += bm_batch_in_shard(i, k, n);
            assert_int_equal(owners, 1);
        }
    assert_true(bm_batch_in_shard(0, 1, 3));
    assert_true(bm_batch_in_shard(4, 2, 3));
    assert_false(bm_batch_in_shard(4, 1, 3));
    assert_true(bm_batch_in_shard(9, 0, 0)); /* no --shard: every job */
}

static void test_shard_syntax(void **state)
{
    (void)state;
    unsigned k, n;
    bm_error err;
    bm_error_clear(&err);
    assert_int_equal(bm_batch_parse_shard("2/3", &k, &n, &err), BM_OK);
    assert_int_equal(k, 2);
    assert_int_equal(n, 3);
    const char *bad[] = {"0/3", "4/3", "3", "1/0", "1/3x", "a/b", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bm_error_clear(&err);
        assert_int_equal(bm_batch_parse_shard(bad[i], &k, &n, &err), BM_ERR_USAGE);
        assert_string_equal(err.field, "--shard");
    }
}

/* ---- hashing ------------------------------------------------------------ */

static void test_fnv1a_known_values(void **state)
{
    (void)state;
    /* Reference values of 64-bit FNV-1a. */
    assert_true(bm_batch_fnv1a(BM_FNV_OFFSET, "", 0) == 0xcbf29ce484222325ULL);
    assert_true(bm_batch_fnv1a(BM_FNV_OFFSET, "a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(bm_batch_fnv1a(BM_FNV_OFFSET, "foobar", 6) == 0x85944171f73967e8ULL);
    /* Chained calls hash the concatenation. */
    uint64_t h = bm_batch_fnv1a(bm_batch_fnv1a(BM_FNV_OFFSET, "foo", 3), "bar", 3);
    assert_true(h == 0x85944171f73967e8ULL);
}

static const char *two_jobs =
    "{\"defaults\": {\"style\": \"s.json\", \"catalog\": \"c.csv\","
    "              \"overrides\": {\"size\": [300, 200]}},"
    " \"jobs\": [{\"name\": \"a\", \"outputs\": [\"out/a.png\"]},"
    "          {\"name\": \"b\", \"outputs\": [\"out/b.svg\", \"out/b.pdf\"],"
    "           \"overrides\": {\"title\": \"B\", \"extent\": [60, 35, 75, 45],"
    "                           \"filter\": {\"country\": [\"Tajikistan\", \"Kyrgyzstan\"],"
    "                                        \"from\": \"2015\", \"to\": \"2015\"}}}]}";

static void test_job_hash_is_the_job(void **state)
{
    (void)state;
    bm_error err;
    write_text("s.json", "{}");
    bm_batch *b = load(two_jobs, &err);
    assert_non_null(b);
    uint64_t h1 = bm_batch_job_hash(bm_batch_at(b, 0), NULL);
    assert_true(h1 == bm_batch_job_hash(bm_batch_at(b, 0), NULL));
    assert_true(h1 != bm_batch_job_hash(bm_batch_at(b, 1), NULL)); /* the job's own JSON */
    bm_catalog_options read = {.skip_bad_rows = 1};
    assert_true(h1 != bm_batch_job_hash(bm_batch_at(b, 0), &read)); /* how catalogs are read */
    bm_batch_free(b);
}

static void sidecar_text(const bm_batch_job *job, char *buf, size_t size)
{
    char path[1100];
    bm_batch_sidecar_path(job, path, sizeof path);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* A map that draws a GeoJSON file and the catalog: the job runs again
 * when any file it read changes, and not when an unrelated one does. */
static void test_up_to_date_follows_what_was_read(void **state)
{
    (void)state;
    static const char *const pts =
        "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\","
        " \"properties\": {\"kind\": \"%s\"}, \"geometry\": {\"type\": \"Point\","
        " \"coordinates\": [69.8, 37.9]}}]}";
    char text[512], sidecar[4096];
    bm_error err;
    snprintf(text, sizeof text, pts, "post");
    write_text("pts.geojson", text);
    write_text("unrelated.geojson", text);
    write_text("c.csv", "event_date,event_type,country,location,latitude,longitude\n"
                        "2015-01-01,Battles,Tajikistan,a,37.5,71.5\n");
    write_text("s.json", "{\"page\": {\"extent\": [60, 30, 80, 45]},"
                         " \"sources\": {\"posts\": {\"type\": \"geojson\", \"data\": \"pts.geojson\"},"
                         "             \"incidents\": {\"type\": \"catalog\"}},"
                         " \"layers\": [{\"id\": \"p\", \"type\": \"circle\", \"source\": \"posts\"},"
                         "            {\"id\": \"i\", \"type\": \"circle\", \"source\": \"incidents\"}]}");
    bm_batch *b = load("[{\"style\": \"s.json\", \"catalog\": \"c.csv\","
                       "  \"overrides\": {\"size\": [600, 400]}, \"outputs\": [\"u.svg\"]}]", &err);
    assert_non_null(b);
    const bm_batch_job *job = bm_batch_at(b, 0);
    uint64_t h = bm_batch_job_hash(job, NULL);
    bm_context *ctx = bm_context_create(&err);
    if (bm_batch_job_render(ctx, job, NULL, &err) != BM_OK)
        fail_msg("%s: %s: %s", err.file, err.field, err.message);
    bm_context_free(ctx);
    assert_true(bm_batch_job_up_to_date(job, h));
    assert_false(bm_batch_job_up_to_date(job, h + 1));
    sidecar_text(job, sidecar, sizeof sidecar);
    const char *inputs[] = {"/s.json", "/c.csv", "/pts.geojson", "ATTRIBUTION",
                            "name "};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        if (!strstr(sidecar, inputs[i]))
            fail_msg("the sidecar lacks %s:\n%s", inputs[i], sidecar);
    assert_null(strstr(sidecar, "unrelated"));

    snprintf(text, sizeof text, pts, "checkpoint");
    write_text("unrelated.geojson", text);
    assert_true(bm_batch_job_up_to_date(job, h)); /* not read: no reason to run */
    write_text("pts.geojson", text);
    assert_false(bm_batch_job_up_to_date(job, h)); /* a source the style reads */
    ctx = bm_context_create(&err);
    if (bm_batch_job_render(ctx, job, NULL, &err) != BM_OK)
        fail_msg("%s: %s: %s", err.file, err.field, err.message);
    bm_context_free(ctx);
    assert_true(bm_batch_job_up_to_date(job, h));
    write_text("c.csv", "event_date,event_type,country,location,latitude,longitude\n"
                        "2015-01-01,Riots,Tajikistan,a,37.5,71.5\n");
    assert_false(bm_batch_job_up_to_date(job, h)); /* the catalog */
    bm_batch_free(b);
}

static void test_up_to_date_needs_outputs_and_sidecar(void **state)
{
    (void)state;
    bm_error err;
    char path[512], sidecar[1100];
    write_text("s.json", "{}");
    bm_batch *b = load("[{\"style\": \"s.json\", \"outputs\": [\"u.png\"]}]", &err);
    assert_non_null(b);
    const bm_batch_job *job = bm_batch_at(b, 0);
    uint64_t h = bm_batch_job_hash(job, NULL);
    bm_batch_sidecar_path(job, sidecar, sizeof sidecar);
    snprintf(path, sizeof path, "%s/.u.png.bmhash", dir);
    assert_string_equal(sidecar, path);
    unlink(sidecar);
    assert_false(bm_batch_job_up_to_date(job, h));
    write_text("u.png", "x");
    assert_false(bm_batch_job_up_to_date(job, h)); /* no sidecar */
    FILE *f = fopen(sidecar, "w");
    fprintf(f, "bordermap-inputs 1\njob %016llx\n", (unsigned long long)h);
    fclose(f);
    assert_true(bm_batch_job_up_to_date(job, h));
    assert_false(bm_batch_job_up_to_date(job, h + 1));
    f = fopen(sidecar, "a");
    fprintf(f, "file 0000000000000000 %s/gone.csv\n", dir);
    fclose(f);
    assert_false(bm_batch_job_up_to_date(job, h)); /* an input is gone */
    f = fopen(sidecar, "w");
    fprintf(f, "bordermap-inputs 1\njob %016llx\n", (unsigned long long)h);
    fclose(f);
    snprintf(path, sizeof path, "%s/u.png", dir);
    unlink(path);
    assert_false(bm_batch_job_up_to_date(job, h)); /* output gone */
    unlink(sidecar);
    bm_batch_free(b);
}

/* ---- jobs files --------------------------------------------------------- */

static void test_jobs_file_with_defaults(void **state)
{
    (void)state;
    bm_error err;
    bm_batch *b = load(two_jobs, &err);
    assert_non_null(b);
    assert_int_equal(bm_batch_count(b), 2);
    const bm_batch_job *a = bm_batch_at(b, 0), *j = bm_batch_at(b, 1);
    char want[512];
    snprintf(want, sizeof want, "%s/s.json", dir);
    assert_string_equal(a->style, want);
    snprintf(want, sizeof want, "%s/out/b.pdf", dir);
    assert_string_equal(j->outputs[1], want);
    assert_int_equal(j->n_outputs, 2);
    assert_int_equal(a->render.width, 300);
    assert_int_equal(j->render.height, 200); /* default overrides merge in */
    assert_string_equal(j->render.title, "B");
    assert_null(a->render.title);
    assert_true(j->render.has_extent);
    assert_string_equal(bm_filter_describe(j->filter),
                        "from=2015-01-01; to=2015-12-31; country=Tajikistan,Kyrgyzstan");
    assert_true(bm_filter_is_empty(a->filter));
    assert_non_null(strstr(j->json, "\"name\":\"b\""));
    bm_batch_free(b);
}

static void expect_error(const char *json, const char *field, const char *message_part)
{
    bm_error err;
    bm_batch *b = load(json, &err);
    assert_null(b);
    assert_int_equal(err.status, BM_ERR_USAGE);
    assert_non_null(strstr(err.file, "jobs.json"));
    assert_string_equal(err.field, field);
    if (message_part && !strstr(err.message, message_part))
        fail_msg("message '%s' lacks '%s'", err.message, message_part);
}

static void test_jobs_file_errors_name_the_json_path(void **state)
{
    (void)state;
    expect_error("{\"jobs\": [{\"style\": \"s.json\", \"outputs\": [\"a.png\"]},"
                 " {\"style\": \"s.json\", \"outputs\": [\"a.png\"],"
                 "  \"overrides\": {\"extent\": [80, 30, 70, 40]}}]}",
                 "jobs[1].overrides.extent", "min < max");
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\", \"b.tiff\"]}]",
                 "[0].outputs[1]", "format");
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\"], \"colour\": 1}]", "[0].colour",
                 "unknown job key");
    expect_error("[{\"outputs\": [\"a.png\"]}]", "[0]", "style");
    expect_error("[{\"style\": \"s.json\"}]", "[0]", "outputs");
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\"],"
                 "  \"overrides\": {\"filter\": {\"year\": 2015}}}]",
                 "[0].overrides.filter.year", "unknown filter key");
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\"],"
                 "  \"overrides\": {\"size\": [10, 20000]}}]", "[0].overrides.size", NULL);
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\"],"
                 "  \"overrides\": {\"filter\": {\"where\": \"fatalities >\"}}}]",
                 "[0].overrides.filter.where", "at character 13: expected a value");
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\"],"
                 "  \"overrides\": {\"filter\": {\"bbox\": [1, 2, 3]}}}]",
                 "[0].overrides.filter.bbox", "[W, S, E, N]");
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\"],"
                 "  \"overrides\": {\"filter\": {\"bbox\": \"0,50,10,40\"}}}]",
                 "[0].overrides.filter.bbox", "S < N");
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\"],"
                 "  \"overrides\": {\"filter\": {\"from\": \"2015-13\"}}}]",
                 "[0].overrides.filter.from", "no such date");
    expect_error("[{\"style\": \"s.json\", \"outputs\": [\"a.png\"],"
                 "  \"overrides\": {\"filter\": {\"country\": [\"TJK\", 3]}}}]",
                 "[0].overrides.filter.country", "array of strings");
    expect_error("{\"job\": []}", "job", "unknown key");
    expect_error("{\"jobs\": 3}", "jobs", "array");
    expect_error("[3]", "[0]", "job object");
}

static void test_json_syntax_error_has_a_line(void **state)
{
    (void)state;
    bm_error err;
    bm_batch *b = load("[\n{\"style\": \"s.json\",\n \"outputs\": [\"a.png\"],,\n}]", &err);
    assert_null(b);
    assert_int_equal(err.status, BM_ERR_USAGE);
    assert_int_equal(err.row, 3);
}

static void test_missing_jobs_file_is_a_runtime_error(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    assert_null(bm_batch_load("/nonexistent/jobs.json", &err));
    assert_int_equal(err.status, BM_ERR_RUNTIME);
    assert_string_equal(err.file, "/nonexistent/jobs.json");
}

/* ---- filters ------------------------------------------------------------ */

static void test_filter_by_country_type_and_dates(void **state)
{
    (void)state;
    bm_error err;
    char path[256];
    write_text("f.csv", "event_date,event_type,country,location\n"
                        "2014-12-31,Battles,Tajikistan,a\n"
                        "2015-01-01,Battles,Tajikistan,b\n"
                        "2015-12-31,Protests,kyrgyzstan,c\n"
                        "2016-01-01,Battles,Tajikistan,d\n"
                        "2015-06-01,Battles,Uzbekistan,e\n");
    snprintf(path, sizeof path, "%s/f.csv", dir);
    bm_error_clear(&err);
    bm_catalog *c = bm_catalog_read(path, &err);
    assert_non_null(c);
    bm_batch *b = load(two_jobs, &err);
    assert_non_null(b);
    bm_filter *f = bm_batch_at(b, 1)->filter;
    assert_int_equal(bm_filter_bind(f, c, &err), BM_OK);
    int want[] = {0, 1, 1, 0, 0};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(bm_filter_match(f, c, i), want[i]);
    for (size_t i = 0; i < 5; i++) /* no filter: everything */
        assert_true(bm_filter_match(bm_batch_at(b, 0)->filter, c, i));
    bm_batch_free(b);
    bm_catalog_free(c);
}

static bm_catalog *points_catalog(void)
{
    bm_error err;
    char path[256];
    write_text("p.csv", "event_date,event_type,country,fatalities,location,latitude,longitude\n"
                        "2015-01-01,Battles,Tajikistan,3,a,37.5,71.5\n"
                        "2015-01-02,Battles,Tajikistan,12,b,38.2,74.0\n"
                        "2015-01-03,Riots,Russia,0,c,64.7,177.5\n"
                        "2015-01-04,Riots,Tajikistan,,d,,\n");
    snprintf(path, sizeof path, "%s/p.csv", dir);
    bm_error_clear(&err);
    bm_catalog *c = bm_catalog_read(path, &err);
    assert_non_null(c);
    return c;
}

static void test_filter_by_bbox_and_where(void **state)
{
    (void)state;
    bm_error err;
    bm_catalog *c = points_catalog();
    bm_batch *b = load("{\"defaults\": {\"style\": \"s.json\", \"outputs\": [\"x.png\"]},"
                       " \"jobs\": [{\"overrides\": {\"filter\": {\"bbox\": [70, 35, 75, 40]}}},"
                       "  {\"overrides\": {\"filter\": {\"bbox\": \"170,50,-170,70\"}}},"
                       "  {\"overrides\": {\"filter\": {\"where\": \"fatalities >= 3\","
                       "                                  \"country\": \"TJK\"}}},"
                       "  {\"overrides\": {\"filter\": {\"where\": \"fatalities is empty or"
                       " event_type = 'Riots' and location like 'C%'\"}}}]}", &err);
    assert_non_null(b);
    int want[4][4] = {{1, 1, 0, 0}, {0, 0, 1, 0}, {1, 1, 0, 0}, {0, 0, 1, 1}};
    for (size_t j = 0; j < 4; j++) {
        bm_filter *f = bm_batch_at(b, j)->filter;
        assert_int_equal(bm_filter_bind(f, c, &err), BM_OK);
        for (size_t i = 0; i < 4; i++)
            if (bm_filter_match(f, c, i) != want[j][i])
                fail_msg("job %zu (%s), record %zu", j, bm_filter_describe(f), i);
    }
    assert_string_equal(bm_filter_describe(bm_batch_at(b, 1)->filter), "bbox=170,50,-170,70");
    /* the job's JSON, which its hash covers, holds the filter as written */
    assert_non_null(strstr(bm_batch_at(b, 0)->json, "\"bbox\":[70,35,75,40]"));
    bm_batch_free(b);
    bm_catalog_free(c);
}

static void test_filter_bind_error_is_a_job_error(void **state)
{
    (void)state;
    bm_error err;
    bm_catalog_free(points_catalog());
    write_text("s.json", "{\"sources\": {\"incidents\": {\"type\": \"catalog\"}},"
                         " \"layers\": [{\"id\": \"i\", \"type\": \"circle\", \"source\": \"incidents\"}]}");
    bm_batch *b = load("{\"jobs\": [{\"style\": \"s.json\", \"catalog\": \"p.csv\","
                       " \"outputs\": [\"x.png\"],"
                       " \"overrides\": {\"filter\": {\"where\": \"colour = 'red'\"}}}]}", &err);
    assert_non_null(b);
    bm_error_clear(&err);
    bm_context *ctx = bm_context_create(&err);
    assert_int_not_equal(bm_batch_job_render(ctx, bm_batch_at(b, 0), NULL, &err), BM_OK);
    assert_non_null(strstr(err.file, "jobs.json"));
    assert_string_equal(err.field, "jobs[0].overrides.filter.where");
    assert_non_null(strstr(err.message, "unknown field 'colour'"));
    assert_non_null(strstr(err.message, "p.csv"));
    bm_context_free(ctx);
    bm_batch_free(b);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shards_partition_the_jobs),
        cmocka_unit_test(test_shard_syntax),
        cmocka_unit_test(test_fnv1a_known_values),
        cmocka_unit_test(test_job_hash_is_the_job),
        cmocka_unit_test(test_up_to_date_follows_what_was_read),
        cmocka_unit_test(test_up_to_date_needs_outputs_and_sidecar),
        cmocka_unit_test(test_jobs_file_with_defaults),
        cmocka_unit_test(test_jobs_file_errors_name_the_json_path),
        cmocka_unit_test(test_json_syntax_error_has_a_line),
        cmocka_unit_test(test_missing_jobs_file_is_a_runtime_error),
        cmocka_unit_test(test_filter_by_country_type_and_dates),
        cmocka_unit_test(test_filter_by_bbox_and_where),
        cmocka_unit_test(test_filter_bind_error_is_a_job_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
