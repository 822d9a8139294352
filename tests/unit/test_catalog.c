/*
 * test_catalog.c — reading catalogs: dates as ACLED and UCDP write them,
 * format detection, the account of rows, streaming, kept columns, and
 * formats whose GDAL driver bm_init does not register.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include "catalog.h"
#include "geodata.h"

static const char *write_mem(const char *name, const char *text)
{
    VSILFILE *f = VSIFOpenL(name, "wb");
    assert_non_null(f);
    assert_int_equal(VSIFWriteL(text, 1, strlen(text), f), strlen(text));
    VSIFCloseL(f);
    return name;
}

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } good[] = {
        {"2022-09-14", "2022-09-14"},          {"14 September 2022", "2022-09-14"},
        {"5 June 2016", "2016-06-05"},         {"5 Jun 2016", "2016-06-05"},
        {"29 february 2024", "2024-02-29"},    {"2022-09-14 00:00:00.000", "2022-09-14"},
        {"2021-03-01T12:00:00Z", "2021-03-01"},
    };
    static const char *const bad[] = {"2023-02-29", "31 April 2022", "14 Septembre 2022",
                                      "14 September 22", "2022-9-14", "14/09/2022", "",
                                      "September 14, 2022", "2022-09-14x", "0 May 2020"};
    char out[16];
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_true(bm_catalog_parse_date(good[i].in, out));
        assert_string_equal(out, good[i].out);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(bm_catalog_parse_date(bad[i], out));
}

static const char acled[] =
    "EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,LOCATION,LATITUDE,LONGITUDE,FATALITIES,NOTES\n"
    "A1,14 September 2022,Battles,Vorukh,39.85,70.58,7,\"long, \"\"quoted\"\"\n note\"\n"
    "A2,5 June 2016,Riots,Isfana,39.8391,69.5276,0,x\n"
    "A3,1 May 2020,Battles,Kulob,,,3,y\n";

static void test_acled_names_lowered_and_typed(void **state)
{
    (void)state;
    bm_error err;
    bm_catalog *c = bm_catalog_read(write_mem("/vsimem/t_acled.csv", acled), &err);
    assert_non_null(c);
    assert_int_equal(bm_catalog_format(c), BM_FORMAT_ACLED);
    assert_string_equal(bm_catalog_field_name(c, 1), "event_date");
    assert_int_equal(bm_catalog_field_type(c, 1), OFTDate);
    assert_int_equal(bm_catalog_field_type(c, 6), OFTInteger);
    assert_string_equal(bm_catalog_get(c, 0, "event_date"), "2022-09-14");
    assert_string_equal(bm_catalog_get(c, 0, "NOTES"), "long, \"quoted\"\n note");
    /* Physical lines: the quoted note spans two. */
    assert_int_equal(bm_catalog_row(c, 1), 4);
    assert_int_equal(bm_catalog_rows_read(c), 3);
    assert_false(bm_catalog_point(c, 2, NULL, NULL));
    bm_catalog_free(c);
}

static void test_ucdp_fields_mapped(void **state)
{
    (void)state;
    bm_error err;
    const char *path = write_mem(
        "/vsimem/t_ucdp.csv",
        "id,year,type_of_violence,side_a,side_b,where_prec,where_coordinates,adm_1,"
        "latitude,longitude,country,date_prec,date_start,date_end,best\n"
        "9,2020,2,Taliban,Smugglers,6,Murghab river area,Mary province,36.02,62.9,"
        "Turkmenistan,3,2020-01-01 00:00:00.000,2020-12-31 00:00:00.000,3\n");
    bm_catalog *c = bm_catalog_read(path, &err);
    assert_non_null(c);
    assert_int_equal(bm_catalog_format(c), BM_FORMAT_UCDP_GED);
    assert_string_equal(bm_catalog_get(c, 0, "event_id_cnty"), "9");
    assert_string_equal(bm_catalog_get(c, 0, "event_date"), "2020-01-01");
    assert_string_equal(bm_catalog_get(c, 0, "date_start"), "2020-01-01");
    assert_string_equal(bm_catalog_get(c, 0, "time_precision"), "2");
    assert_string_equal(bm_catalog_get(c, 0, "geo_precision"), "3");
    assert_string_equal(bm_catalog_get(c, 0, "event_type"), "Non-state conflict");
    assert_string_equal(bm_catalog_get(c, 0, "actor1"), "Taliban");
    assert_string_equal(bm_catalog_get(c, 0, "location"), "Murghab river area");
    assert_string_equal(bm_catalog_get(c, 0, "fatalities"), "3");
    assert_string_equal(bm_catalog_get(c, 0, "where_prec"), "6");
    bm_catalog_free(c);
}

static int odd_rows(const bm_catalog *c, size_t record, void *ctx)
{
    (void)ctx;
    return bm_catalog_row(c, record) % 2 == 1;
}

static void test_account_adds_up(void **state)
{
    (void)state;
    const char *path = write_mem("/vsimem/t_acct.csv",
                                 "event_id_cnty,location,fatalities\n"
                                 "B1,Kulob,1\nB2,Kulob,two\nB3,Kulob,3\nB4\nB5,Kulob,5\n"
                                 "B6,Kulob,6\nB7,Kulob,7\n");
    bm_error err;
    /* The structure is checked before the values. */
    assert_null(bm_catalog_read(path, &err));
    assert_int_equal(err.row, 5);
    assert_non_null(strstr(err.message, "1 field where the header has 3"));
    bm_catalog_options opt = {.skip_bad_rows = 1, .keep = odd_rows};
    bm_catalog *c = bm_catalog_read_ex(path, &opt, &err);
    assert_non_null(c);
    /* Lines 2..8: line 3 (two) and 5 (ragged) rejected; of 2, 4, 6, 7, 8
     * the even lines are filtered out. */
    assert_int_equal(bm_catalog_rows_read(c), 7);
    assert_int_equal(bm_catalog_rejected_count(c), 2);
    assert_int_equal(bm_catalog_rejected(c, 0)->line, 5);
    assert_int_equal(bm_catalog_rejected(c, 1)->line, 3);
    assert_string_equal(bm_catalog_rejected(c, 1)->field, "fatalities");
    assert_int_equal(bm_catalog_count(c), 1);
    assert_int_equal(bm_catalog_filtered_count(c), 4);
    assert_string_equal(bm_catalog_get(c, 0, "event_id_cnty"), "B6");
    bm_catalog_free(c);
}

static void test_stream_matches_read(void **state)
{
    (void)state;
    bm_error err;
    const char *path = write_mem("/vsimem/t_stream.csv", acled);
    bm_catalog *whole = bm_catalog_read(path, &err);
    bm_catalog *s = bm_catalog_open(path, NULL, &err);
    assert_non_null(whole);
    assert_non_null(s);
    size_t n = 0;
    int got;
    while ((got = bm_catalog_next(s, &err)) > 0) {
        assert_int_equal(bm_catalog_count(s), 1);
        for (size_t f = 0; f < bm_catalog_field_count(s); f++)
            assert_string_equal(bm_catalog_value(s, 0, f), bm_catalog_value(whole, n, f));
        assert_int_equal(bm_catalog_row(s, 0), bm_catalog_row(whole, n));
        n++;
    }
    assert_int_equal(got, 0);
    assert_int_equal(n, bm_catalog_count(whole));
    assert_int_equal(bm_catalog_rows_read(s), 3);
    bm_catalog_free(s);
    bm_catalog_free(whole);
}

static void test_stream_error_and_early_stop(void **state)
{
    (void)state;
    bm_error err;
    const char *bad = write_mem("/vsimem/t_stream_bad.csv",
                                "event_id_cnty,event_date\nE1,2020-01-01\nE2,2020-13-01\n"
                                "E3,2020-01-03\n");
    bm_catalog *c = bm_catalog_open(bad, NULL, &err);
    assert_non_null(c);
    assert_int_equal(bm_catalog_next(c, &err), 1);
    assert_string_equal(bm_catalog_get(c, 0, "event_id_cnty"), "E1");
    assert_int_equal(bm_catalog_next(c, &err), -1);
    assert_int_equal(err.row, 3);
    assert_string_equal(err.field, "event_date");
    assert_int_equal(bm_catalog_next(c, &err), 0);
    bm_catalog_free(c);

    /* Many batches ahead; the caller stops after one row. */
    size_t size = 30000 * 16 + 64, at = 0;
    char *text = malloc(size);
    assert_non_null(text);
    at += (size_t)snprintf(text, size, "event_id_cnty,fatalities\n");
    for (int i = 0; i < 30000; i++)
        at += (size_t)snprintf(text + at, size - at, "R%d,%d\n", i, i % 7);
    bm_catalog *many = bm_catalog_open(write_mem("/vsimem/t_stream_many.csv", text), NULL, &err);
    free(text);
    assert_non_null(many);
    assert_int_equal(bm_catalog_next(many, &err), 1);
    assert_string_equal(bm_catalog_get(many, 0, "event_id_cnty"), "R0");
    bm_catalog_free(many);
}

static void test_columns_kept(void **state)
{
    (void)state;
    bm_error err;
    static const char *const columns[] = {"fatalities", NULL};
    bm_catalog_options opt = {.columns = columns};
    bm_catalog *c = bm_catalog_read_ex(write_mem("/vsimem/t_cols.csv", acled), &opt, &err);
    assert_non_null(c);
    assert_int_equal(bm_catalog_field_count(c), 8);
    assert_string_equal(bm_catalog_get(c, 0, "fatalities"), "7");
    assert_string_equal(bm_catalog_get(c, 0, "location"), "Vorukh");
    assert_string_equal(bm_catalog_get(c, 0, "notes"), "");
    assert_string_equal(bm_catalog_get(c, 0, "event_type"), "");
    double lon, lat;
    assert_true(bm_catalog_point(c, 0, &lon, &lat));
    assert_true(lon == 70.58 && lat == 39.85);
    assert_string_equal(bm_catalog_get(c, 0, "latitude"), "");
    bm_catalog_free(c);
}

static void test_duplicate_and_layers(void **state)
{
    (void)state;
    bm_error err;
    assert_null(bm_catalog_read(write_mem("/vsimem/t_dup.csv", "a,b,A\n1,2,3\n"), &err));
    assert_int_equal(err.row, 1);
    assert_non_null(strstr(err.message, "duplicate"));
    bm_catalog *c = bm_catalog_read(
        write_mem("/vsimem/t_empty.geojson", "{\"type\":\"FeatureCollection\",\"features\":[]}"),
        &err);
    assert_non_null(c);
    assert_int_equal(bm_catalog_rows_read(c), 0);
    bm_catalog_free(c);
}

/* Runs first: bm_init registers only bordermap's own formats, and a
 * catalog in any other that GDAL reads (KML here) still opens. */
static void test_format_outside_the_registered(void **state)
{
    (void)state;
    bm_init();
    assert_null(GDALGetDriverByName("KML"));
    bm_error err;
    bm_catalog *c = bm_catalog_read(
        write_mem("/vsimem/t_place.kml",
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><Placemark>"
                  "<name>Khorog</name><Point><coordinates>71.55,37.49</coordinates></Point>"
                  "</Placemark></Document></kml>\n"),
        &err);
    assert_non_null(c);
    assert_non_null(GDALGetDriverByName("KML"));
    assert_int_equal(bm_catalog_count(c), 1);
    assert_string_equal(bm_catalog_get(c, 0, "Name"), "Khorog");
    double lon, lat;
    assert_true(bm_catalog_point(c, 0, &lon, &lat));
    assert_true(lon == 71.55 && lat == 37.49);
    bm_catalog_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_outside_the_registered),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_acled_names_lowered_and_typed),
        cmocka_unit_test(test_ucdp_fields_mapped),
        cmocka_unit_test(test_account_adds_up),
        cmocka_unit_test(test_stream_matches_read),
        cmocka_unit_test(test_stream_error_and_early_stop),
        cmocka_unit_test(test_columns_kept),
        cmocka_unit_test(test_duplicate_and_layers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
