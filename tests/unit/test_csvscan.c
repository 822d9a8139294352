/*
 * test_csvscan.c — the strict structural check of CSV and TSV files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include "csvscan.h"

#define MEM_CSV "/vsimem/test_csvscan.csv"
#define MEM_GOOD "/vsimem/test_csvscan_good.csv"

static void put(const char *path, const void *data, size_t len)
{
    VSILFILE *fp = VSIFOpenL(path, "wb");
    assert_non_null(fp);
    assert_int_equal(VSIFWriteL(data, 1, len, fp), len);
    assert_int_equal(VSIFCloseL(fp), 0);
}

static bm_csv_scan *scan_bytes(const void *data, size_t len, char delim)
{
    put(MEM_CSV, data, len);
    bm_error err;
    bm_error_clear(&err);
    bm_csv_scan *s = bm_csv_scan_file(MEM_CSV, "test.csv", delim, &err);
    if (!s) {
        char msg[1200];
        bm_error_format(&err, msg, sizeof msg);
        fail_msg("scan failed: %s", msg);
    }
    return s;
}

static bm_csv_scan *scan_text(const char *text, char delim)
{
    return scan_bytes(text, strlen(text), delim);
}

/* Scans text that must fail; returns the error. */
static bm_error scan_error(const char *text)
{
    put(MEM_CSV, text, strlen(text));
    bm_error err;
    bm_error_clear(&err);
    bm_csv_scan *s = bm_csv_scan_file(MEM_CSV, "bad.csv", ',', &err);
    if (s) {
        bm_csv_scan_free(s);
        fail_msg("'%s' scanned without error", text);
    }
    assert_int_equal(err.status, BM_ERR_RUNTIME);
    assert_string_equal(err.file, "bad.csv");
    return err;
}

static void assert_good(const bm_csv_scan *s, const long *lines, const long *numbers, size_t n)
{
    assert_int_equal(bm_csv_scan_good_rows(s), n);
    for (size_t k = 0; k < n; k++) {
        if (bm_csv_scan_good_row_line(s, k) != lines[k] ||
            bm_csv_scan_good_row_number(s, k) != numbers[k])
            fail_msg("good row %zu: line %ld row %ld, wanted line %ld row %ld", k,
                     bm_csv_scan_good_row_line(s, k), bm_csv_scan_good_row_number(s, k),
                     lines[k], numbers[k]);
    }
}

static void assert_bad(const bm_csv_scan *s, size_t i, long line, long row, const char *field,
                       const char *reason)
{
    const bm_csv_bad_row *b = bm_csv_scan_bad(s, i);
    assert_non_null(b);
    if (b->line != line || b->row != row || strcmp(b->field, field) != 0 ||
        strcmp(b->reason, reason) != 0)
        fail_msg("bad row %zu: line %ld row %ld field '%s' '%s', wanted line %ld row %ld "
                 "field '%s' '%s'",
                 i, b->line, b->row, b->field, b->reason, line, row, field, reason);
}

#define ACLED_HEADER                                                                       \
    "event_id_cnty,event_date,event_type,country,admin1,location,latitude,longitude,"     \
    "fatalities,notes,source,timestamp"

static void test_valid_acled(void **state)
{
    (void)state;
    const char *text =
        "\xEF\xBB\xBF" ACLED_HEADER "\r\n"                                         /* 1 */
        "TJK1,2024-01-02,Protests,Tajikistan,Khatlon,Kulob,37.91,69.78,0,"
        "\"He said \"\"go\"\", then, left\",Asia-Plus,1704153600\r\n"                /* 2 */
        "TJK2,2024-01-03,Riots,Tajikistan,GBAO,Khorugh,37.49,71.55,2,\"first line\r\n" /* 3 */
        "second, line with \"\"quotes\"\"\r\n"                                     /* 4 */
        "third line\",Ozodi,1704240000\r\n"                                        /* 5 */
        "TJK3,2024-01-04,Battles,Tajikistan,Sughd,Khujand,40.28,69.62,1,,Ozodi,1704326400\r\n"
        "\r\n"                                                                      /* 7 */
        "   \r\n"                                                                   /* 8 */
        "TJK4,2024-01-05,Protests,Tajikistan,Sughd,\"Isfara, town\",40.12,70.62,0,"
        "\"Ḩamāh-style name: Қурғонтеппа\",Asia-Plus,1704412800";                  /* 9 */
    bm_csv_scan *s = scan_text(text, ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 0);
    assert_int_equal(bm_csv_scan_column_count(s), 12);
    assert_string_equal(bm_csv_scan_column(s, 0), "event_id_cnty");
    assert_string_equal(bm_csv_scan_column(s, 11), "timestamp");
    assert_string_equal(bm_csv_scan_column(s, 12), "");
    assert_null(bm_csv_scan_bad(s, 0));
    const long lines[] = {2, 3, 6, 9}, numbers[] = {1, 2, 3, 4};
    assert_good(s, lines, numbers, 4);
    assert_int_equal(bm_csv_scan_good_row_line(s, 4), 0);
    bm_csv_scan_free(s);
}

static void test_lf_and_lone_cr(void **state)
{
    (void)state;
    bm_csv_scan *s = scan_text("a,b\n1,\"x\ny\"\n2,z\n", ',');
    const long lines[] = {2, 4}, numbers[] = {1, 2};
    assert_good(s, lines, numbers, 2);
    assert_int_equal(bm_csv_scan_bad_count(s), 0);
    bm_csv_scan_free(s);

    s = scan_text("a,b\r1,2\r3,4", ',');
    const long cr_lines[] = {2, 3};
    assert_good(s, cr_lines, numbers, 2);
    assert_int_equal(bm_csv_scan_bad_count(s), 0);
    bm_csv_scan_free(s);
}

static void test_ragged_row(void **state)
{
    (void)state;
    const char *text = ACLED_HEADER "\n"
                       "TJK1,2024-01-02,Protests,Tajikistan,Khatlon,Kulob,37.91,69.78,0,,src,1\n"
                       "TJK2\n"
                       "TJK3,2024-01-04,Battles,Tajikistan,Sughd,Khujand,40.28,69.62,1,,src,2,extra\n"
                       "TJK4,2024-01-05,Protests,Tajikistan,Sughd,Isfara,40.12,70.62,0,,src,3\n";
    bm_csv_scan *s = scan_text(text, ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 2);
    assert_bad(s, 0, 3, 2, "", "1 field where the header has 12");
    assert_bad(s, 1, 4, 3, "", "13 fields where the header has 12");
    assert_int_equal(bm_csv_scan_bad(s, 1)->end_line, 4);
    const long lines[] = {2, 5}, numbers[] = {1, 4};
    assert_good(s, lines, numbers, 2);
    bm_csv_scan_free(s);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    const char *text = "id,location,notes\n"
                       "1,Kulob,calm\n"
                       "2,Khorugh,\"never closed\n"
                       "3,Khujand,calm\n"
                       "4,Isfara,calm\n"
                       "5,Panjakent,calm\n";
    bm_csv_scan *s = scan_text(text, ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 1);
    assert_bad(s, 0, 3, 2, "notes", "unterminated quote");
    assert_int_equal(bm_csv_scan_bad(s, 0)->end_line, 3);
    const long lines[] = {2, 4, 5, 6}, numbers[] = {1, 3, 4, 5};
    assert_good(s, lines, numbers, 4);
    bm_csv_scan_free(s);

    /* Opened on the last line, which has no line break. */
    s = scan_text("id,notes\n1,ok\n2,\"open", ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 1);
    assert_bad(s, 0, 3, 2, "notes", "unterminated quote");
    assert_int_equal(bm_csv_scan_good_rows(s), 1);
    bm_csv_scan_free(s);
}

static void test_malformed_quote(void **state)
{
    (void)state;
    bm_csv_scan *s = scan_text("id,location,notes\n1,Ku\"lob,calm\n2,\"Khorugh\"x,calm\n"
                               "3,Isfara,calm\n",
                               ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 2);
    assert_bad(s, 0, 2, 1, "location", "malformed quote");
    assert_bad(s, 1, 3, 2, "location", "malformed quote");
    const long lines[] = {4}, numbers[] = {3};
    assert_good(s, lines, numbers, 1);
    bm_csv_scan_free(s);

    /* A quote left open in row 2 runs into a quote on line 5: scanning
     * starts again at line 4, whose rows are good. */
    s = scan_text("a,b,c\n1,x,y\n2,\"open,z\n3,p,q\n4,\"r\",s\n", ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 1);
    assert_bad(s, 0, 3, 2, "b", "malformed quote on line 5");
    const long lines2[] = {2, 4, 5}, numbers2[] = {1, 3, 4};
    assert_good(s, lines2, numbers2, 3);
    bm_csv_scan_free(s);
}

static void test_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "id,location,notes\n1,Kul\0ob,calm\n2,Khorugh,calm\n";
    bm_csv_scan *s = scan_bytes(text, sizeof text - 1, ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 1);
    assert_bad(s, 0, 2, 1, "location", "NUL byte");
    const long lines[] = {3}, numbers[] = {2};
    assert_good(s, lines, numbers, 1);
    bm_csv_scan_free(s);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char *text = "id,admin1,location\n"
                       "1,Khatlon,K\xc5\xadlob\n"   /* valid: Kŭlob */
                       "2,Sughd,\"Khu\njand\xff\"\n" /* invalid, in a two-line value */
                       "3,K\xe9rkyra,x\n";          /* Latin-1 */
    bm_csv_scan *s = scan_text(text, ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 2);
    assert_bad(s, 0, 3, 2, "location", "invalid UTF-8");
    assert_int_equal(bm_csv_scan_bad(s, 0)->end_line, 4);
    assert_bad(s, 1, 5, 3, "admin1", "invalid UTF-8");
    const long lines[] = {2}, numbers[] = {1};
    assert_good(s, lines, numbers, 1);
    bm_csv_scan_free(s);
}

static void test_header_errors(void **state)
{
    (void)state;
    bm_error err = scan_error("event_id_cnty,Location,latitude,location\n1,a,2,b\n");
    assert_int_equal(err.row, 1);
    assert_string_equal(err.field, "location");
    assert_non_null(strstr(err.message, "duplicate"));
    assert_non_null(strstr(err.message, "'Location'"));

    err = scan_error("a,,b\n1,2,3\n");
    assert_int_equal(err.row, 1);
    assert_non_null(strstr(err.message, "column 2"));

    err = scan_error("a,b\xff\n1,2\n");
    assert_non_null(strstr(err.message, "UTF-8"));

    err = scan_error("a,\"b\n1,2\n");
    assert_non_null(strstr(err.message, "unterminated quote"));

    err = scan_error("a,b\"c\n1,2\n");
    assert_non_null(strstr(err.message, "malformed quote in column 2"));

    static const char nul[] = "a,b\0c\n1,2\n";
    put(MEM_CSV, nul, sizeof nul - 1);
    bm_error_clear(&err);
    assert_null(bm_csv_scan_file(MEM_CSV, NULL, ',', &err));
    assert_int_equal(err.row, 1);
    assert_non_null(strstr(err.message, "NUL"));

    err = scan_error("");
    assert_non_null(strstr(err.message, "no header"));
    err = scan_error("\n  \n");
    assert_non_null(strstr(err.message, "no header"));

    bm_error_clear(&err);
    assert_null(bm_csv_scan_file("/vsimem/no_such.csv", NULL, ',', &err));
    assert_string_equal(err.file, "/vsimem/no_such.csv");
    bm_error_clear(&err);
    assert_null(bm_csv_scan_file(MEM_CSV, NULL, ';', &err));
    assert_int_equal(err.status, BM_ERR_USAGE);
}

static void test_header_only(void **state)
{
    (void)state;
    const char *texts[] = {"a,b,c\n", "a,b,c", "\xEF\xBB\xBF" "a,b,c\r\n\r\n"};
    for (size_t i = 0; i < 3; i++) {
        bm_csv_scan *s = scan_text(texts[i], ',');
        assert_int_equal(bm_csv_scan_column_count(s), 3);
        assert_string_equal(bm_csv_scan_column(s, 0), "a");
        assert_int_equal(bm_csv_scan_good_rows(s), 0);
        assert_int_equal(bm_csv_scan_bad_count(s), 0);
        assert_int_equal(bm_csv_scan_good_row_number(s, 0), 0);
        bm_csv_scan_free(s);
    }
}

static void test_tsv(void **state)
{
    (void)state;
    const char *text = "id\tlocation\tnotes\n"
                       "1\tIsfara, town\tcommas, are, fine\n"
                       "2\t\"tab\tinside\"\t\n"
                       "3\tKulob\n"
                       "4\tKhujand\tcalm\n";
    bm_csv_scan *s = scan_text(text, '\t');
    assert_int_equal(bm_csv_scan_column_count(s), 3);
    assert_int_equal(bm_csv_scan_bad_count(s), 1);
    assert_bad(s, 0, 4, 3, "", "2 fields where the header has 3");
    const long lines[] = {2, 3, 5}, numbers[] = {1, 2, 4};
    assert_good(s, lines, numbers, 3);
    bm_csv_scan_free(s);
}

/* A CRLF whose CR is the last byte of a 64 KiB read; in a real file. */
static void test_crlf_across_reads(void **state)
{
    (void)state;
    size_t pad = 65535 - 5 - 2, len = 5 + 2 + pad + 2 + 5;
    char *text = malloc(len);
    assert_non_null(text);
    memcpy(text, "a,b\r\n1,", 7);
    memset(text + 7, 'x', pad);
    memcpy(text + 7 + pad, "\r\n2,y\r\n", 7);
    char path[] = "/tmp/test_csvscan_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    bm_error err;
    bm_error_clear(&err);
    bm_csv_scan *s = bm_csv_scan_file(path, NULL, ',', &err);
    unlink(path);
    assert_non_null(s);
    assert_int_equal(bm_csv_scan_bad_count(s), 0);
    const long lines[] = {2, 3}, numbers[] = {1, 2};
    assert_good(s, lines, numbers, 2);
    bm_csv_scan_free(s);

    s = scan_bytes(text, len, ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 0);
    assert_good(s, lines, numbers, 2);
    bm_csv_scan_free(s);
    free(text);
}

/* A quote that never closes is not buffered to the end of the file. */
static void test_row_too_long(void **state)
{
    (void)state;
    size_t big = (size_t)BM_CSV_MAX_ROW_BYTES + 100000;
    const char *head = "a,b\n1,x\n2,\"", *tail = "\n3,y\n";
    size_t len = strlen(head) + big + strlen(tail);
    char *text = malloc(len);
    assert_non_null(text);
    memcpy(text, head, strlen(head));
    memset(text + strlen(head), 'z', big);
    memcpy(text + strlen(head) + big, tail, strlen(tail));
    bm_csv_scan *s = scan_bytes(text, len, ',');
    free(text);
    assert_int_equal(bm_csv_scan_bad_count(s), 1);
    assert_bad(s, 0, 3, 2, "b", "row longer than 16 MiB (unterminated quote?)");
    const long lines[] = {2, 4}, numbers[] = {1, 3};
    assert_good(s, lines, numbers, 2);
    bm_csv_scan_free(s);
}

static long ogr_feature_count(const char *path)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    long n = (long)OGR_L_GetFeatureCount(GDALDatasetGetLayer(ds, 0), TRUE);
    GDALClose(ds);
    return n;
}

static void test_write_good(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF" "id,location,notes\r\n" /* 1 */
                               "1,Kulob,calm\r\n"                     /* 2 */
                               "2,Khorugh,\"two\r\nlines\",extra\r\n" /* 3-4 ragged */
                               "3,Kh\0ujand,calm\r\n"                 /* 5 NUL */
                               "4,Isfara,\"multi\r\nline\"\r\n"       /* 6-7 */
                               "5,\"Pan\"jakent,calm\r\n"             /* 8 malformed */
                               "\r\n"                                 /* 9 */
                               "6,Vahdat,\"open\r\n"                  /* 10 unterminated */
                               "7,Hisor,calm\r\n"                     /* 11 */
                               "8,Rasht,calm";                        /* 12 */
    bm_csv_scan *s = scan_bytes(text, sizeof text - 1, ',');
    assert_int_equal(bm_csv_scan_bad_count(s), 4);
    assert_bad(s, 0, 3, 2, "", "4 fields where the header has 3");
    assert_int_equal(bm_csv_scan_bad(s, 0)->end_line, 4);
    assert_bad(s, 1, 5, 3, "location", "NUL byte");
    assert_bad(s, 2, 8, 5, "location", "malformed quote");
    assert_bad(s, 3, 10, 6, "notes", "unterminated quote");
    const long lines[] = {2, 6, 11, 12}, numbers[] = {1, 4, 7, 8};
    assert_good(s, lines, numbers, 4);

    bm_error err;
    bm_error_clear(&err);
    assert_int_equal(bm_csv_scan_write_good(s, MEM_CSV, MEM_GOOD, &err), BM_OK);
    bm_csv_scan_free(s);

    bm_csv_scan *g = bm_csv_scan_file(MEM_GOOD, NULL, ',', &err);
    assert_non_null(g);
    assert_int_equal(bm_csv_scan_bad_count(g), 0);
    assert_int_equal(bm_csv_scan_good_rows(g), 4);
    assert_string_equal(bm_csv_scan_column(g, 0), "id");
    const long good_lines[] = {2, 3, 6, 7}, good_numbers[] = {1, 2, 3, 4};
    assert_good(g, good_lines, good_numbers, 4);
    bm_csv_scan_free(g);

    /* The lenient reader this is for sees the same rows. */
    assert_int_equal(ogr_feature_count(MEM_GOOD), 4);
    VSIUnlink(MEM_GOOD);
}

static int teardown(void **state)
{
    (void)state;
    VSIUnlink(MEM_CSV);
    return 0;
}

int main(void)
{
    GDALAllRegister();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_valid_acled, teardown),
        cmocka_unit_test_teardown(test_lf_and_lone_cr, teardown),
        cmocka_unit_test_teardown(test_ragged_row, teardown),
        cmocka_unit_test_teardown(test_unterminated_quote, teardown),
        cmocka_unit_test_teardown(test_malformed_quote, teardown),
        cmocka_unit_test_teardown(test_nul_byte, teardown),
        cmocka_unit_test_teardown(test_invalid_utf8, teardown),
        cmocka_unit_test_teardown(test_header_errors, teardown),
        cmocka_unit_test_teardown(test_header_only, teardown),
        cmocka_unit_test_teardown(test_tsv, teardown),
        cmocka_unit_test_teardown(test_crlf_across_reads, teardown),
        cmocka_unit_test_teardown(test_row_too_long, teardown),
        cmocka_unit_test_teardown(test_write_good, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
