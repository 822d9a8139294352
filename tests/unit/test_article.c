/*
 * test_article.c — articles as text: plain and HTML, datelines, sentence
 * ends, and the input refused. The texts are the project's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "article.h"

static char scratch[64];

static int make_scratch(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/bm-article-XXXXXX");
    return mkdtemp(scratch) ? 0 : -1;
}

static int remove_scratch(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes data[0..len) to scratch/name; returns the path (static). */
static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static bm_article parse_ok(const char *data)
{
    bm_article a;
    bm_error err;
    bm_error_clear(&err);
    if (bm_article_parse("t", data, strlen(data), 0, &a, &err) != BM_OK)
        fail_msg("refused: %s", err.message);
    return a;
}

/* data is refused with a message holding want. */
static void assert_refused(const char *data, size_t len, size_t max, const char *want,
                           long row)
{
    bm_article a;
    bm_error err;
    bm_error_clear(&err);
    bm_status st = bm_article_parse("in.txt", data, len, max, &a, &err);
    if (st != BM_ERR_RUNTIME || !strstr(err.message, want) || strcmp(err.file, "in.txt") ||
        err.row != row)
        fail_msg("status %d, '%s' row %ld: '%s'; wanted '%s' row %ld", st, err.file, err.row,
                 err.message, want, row);
    assert_null(a.text);
    assert_null(a.path);
}

static void assert_date(const bm_civil_date *d, const char *want)
{
    char got[11];
    bm_civil_date_format(d, got);
    assert_string_equal(got, want);
}

static void test_plain_text(void **state)
{
    (void)state;
    bm_article a = parse_ok("\xEF\xBB\xBF" "Title: Posts shelled | Published: 4 March 2015\r\n"
                            "\r\n"
                            "OSH \xE2\x80\x94 Two  posts\xC2\xA0were\tshelled.\r\n"
                            "The guards   withdrew.\r\n"
                            "  \r\n\r\n\r\n"
                            "Nobody was hurt.  \n");
    assert_string_equal(a.text, "Title: Posts shelled | Published: 4 March 2015\n\n"
                                "OSH \xE2\x80\x94 Two posts were shelled.\n"
                                "The guards withdrew.\n\n"
                                "Nobody was hurt.");
    assert_int_equal(a.len, strlen(a.text));
    assert_string_equal(a.title, "Posts shelled");
    assert_string_equal(a.path, "t");
    assert_false(a.is_html);
    assert_date(&a.dateline, "2015-03-04");
    bm_article_free(&a);
    assert_null(a.text);
    bm_article_free(&a); /* twice is harmless */
}

static void test_plain_datelines(void **state)
{
    (void)state;
    bm_article a = parse_ok("Herders clash at a spring\n\nBATKEN, Kyrgyzstan, Aug. 9, 2013 "
                            "\xE2\x80\x94 Villagers threw stones on Thursday.");
    assert_string_equal(a.title, "Herders clash at a spring");
    assert_date(&a.dateline, "2013-08-09");
    bm_article_free(&a);
    /* A labelled date wins over an earlier one. */
    a = parse_ok("Ceasefire since 2 May 2014 is holding. Posted: 2014-05-20\n\nText.");
    assert_date(&a.dateline, "2014-05-20");
    bm_article_free(&a);
    /* Relative or partial dates are no dateline. */
    a = parse_ok("KHOROG, May 3 \xE2\x80\x94 Shots were fired yesterday in 2014 style.");
    assert_int_equal(a.dateline.year, 0);
    assert_string_equal(a.title, "");
    bm_article_free(&a);
    /* Deep in the text: not the opening. */
    char text[1200];
    memset(text, 'x', 700);
    snprintf(text + 700, sizeof text - 700, " 4 March 2015.");
    a = parse_ok(text);
    assert_int_equal(a.dateline.year, 0);
    bm_article_free(&a);
}

static const char page[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head>\n"
    "<title>Shots at the post | The Daily Example</title>\n"
    "<meta property=\"og:title\" content=\"Shots at the post &amp; a closed road\">\n"
    "<meta name=\"date\" content=\"2015-01-01\">\n"
    "<meta property=\"article:published_time\" content=\"2015-03-04T23:10:00+06:00\">\n"
    "<script>var headline = \"never text\";</script><style>p { color: red }</style>\n"
    "</head><body>\n"
    "<header class=\"site\"><nav><a href=\"/\">Home</a> <a href=\"/w\">World</a></nav></header>\n"
    "<ul class=\"main-menu\"><li>Politics</li><li>Sport</li></ul>\n"
    "<article><header><h1>Shots at the post</h1><time datetime=\"2015-03-05\">5 March</time>"
    "</header>\n"
    "<p>ISFARA &mdash; Guards&nbsp;exchanged <b>fire</b> on Tuesday,\n   officials said.</p>\n"
    "<p>Two &quot;civilians&quot; were hurt.<br>A road was closed.</p>\n"
    "<aside>Read also: an older story</aside>\n"
    "<div class=\"share-buttons\">Share on Example</div>\n"
    "<div>The talks <span>resume</span> soon<p>in Khujand</p>after that.</div>\n"
    "<noscript>Enable scripts</noscript><form>Subscribe</form>\n"
    "<footer>Tags: border</footer></article>\n"
    "<article><p>Related teaser</p></article>\n"
    "<footer>Copyright</footer></body></html>\n";

static void test_html(void **state)
{
    (void)state;
    bm_article a = parse_ok(page);
    assert_true(a.is_html);
    assert_string_equal(a.text, "Shots at the post\n\n5 March\n\n"
                                "ISFARA \xE2\x80\x94 Guards exchanged fire on Tuesday, officials "
                                "said.\n\n"
                                "Two \"civilians\" were hurt.\nA road was closed.\n\n"
                                "The talks resume soon\n\nin Khujand\n\nafter that.");
    assert_string_equal(a.title, "Shots at the post & a closed road");
    /* article:published_time over a plain "date" and <time>. */
    assert_date(&a.dateline, "2015-03-04");
    bm_article_free(&a);
}

static void test_html_furniture_with_prose(void **state)
{
    (void)state;
    /* A body wrapper whose class names furniture keeps its prose; furniture
     * of links only goes, however long. */
    bm_article a = parse_ok(
        "<html><body><div class=\"entry-content share-enabled\"><p>Border guards of the two "
        "countries exchanged fire for half an hour near the disputed water intake, and two "
        "herders were hurt.</p></div>"
        "<div class=\"share\"><p>Share this story</p></div>"
        "<div id=\"comments\"><p><a href=\"/a\">A very long link text that goes on and on "
        "about other stories nobody needs in the article text at all, really, truly.</a></p>"
        "</div></body></html>");
    assert_string_equal(a.text, "Border guards of the two countries exchanged fire for half an "
                                "hour near the disputed water intake, and two herders were "
                                "hurt.");
    bm_article_free(&a);
}

static void test_html_datelines(void **state)
{
    (void)state;
    bm_article a = parse_ok("<html><head><title>T</title><script type=\"application/ld+json\">"
                            "{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":"
                            "\"WebPage\"},{\"@type\":\"NewsArticle\",\"datePublished\":"
                            "\"2014-01-11T09:00:00Z\"}]}</script></head>"
                            "<body><time datetime=\"2014-02-02\">x</time><p>Text.</p></body>"
                            "</html>");
    assert_date(&a.dateline, "2014-01-11");
    assert_string_equal(a.title, "T");
    bm_article_free(&a);
    a = parse_ok("<body><main><h1>Post shelled</h1><p>Posted <time datetime=\"2014-02-02\">"
                 "Sunday</time>.</p></main></body>");
    assert_date(&a.dateline, "2014-02-02");
    assert_string_equal(a.title, "Post shelled");
    bm_article_free(&a);
    /* No metadata: the opening of the text. */
    a = parse_ok("<p>DUSHANBE, 12 July 2012 &ndash; Fighting broke out.</p>");
    assert_date(&a.dateline, "2012-07-12");
    bm_article_free(&a);
    /* A broken JSON-LD block is ignored, not an error. */
    a = parse_ok("<html><script type=\"application/ld+json\">{\"datePublished\":</script>"
                 "<p>Calm.</p></html>");
    assert_int_equal(a.dateline.year, 0);
    assert_string_equal(a.text, "Calm.");
    bm_article_free(&a);
}

static void test_html_detection(void **state)
{
    (void)state;
    bm_article a = parse_ok("  <p>Guards &amp; herders</p>");
    assert_true(a.is_html);
    assert_string_equal(a.text, "Guards & herders");
    bm_article_free(&a);
    /* Text that only mentions a tag stays text. */
    a = parse_ok("<b> is bold, & is an ampersand.");
    assert_false(a.is_html);
    assert_string_equal(a.text, "<b> is bold, & is an ampersand.");
    bm_article_free(&a);
}

static void test_html_charsets(void **state)
{
    (void)state;
    /* A windows-1251 page that says so is converted ("Застава" = outpost). */
    bm_article a = parse_ok("<html><head><meta charset=\"windows-1251\"></head>"
                            "<body><p>\xC7\xE0\xF1\xF2\xE0\xE2\xE0 7</p></body></html>");
    assert_string_equal(a.text, "Застава 7");
    bm_article_free(&a);
    a = parse_ok("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                 "charset=KOI8-R\"></head><body><p>\xDA\xC1\xD3\xD4\xC1\xD7\xC1</p>"
                 "</body></html>");
    assert_string_equal(a.text, "застава");
    bm_article_free(&a);
    /* Declared UTF-8, or nothing declared, and not UTF-8: refused. */
    const char *bad = "<html><head><meta charset=\"utf-8\"></head><p>\xC7\xE0</p>";
    assert_refused(bad, strlen(bad), 0, "invalid UTF-8 at byte offset 44", 1);
    bad = "<p>\xC7\xE0</p>";
    assert_refused(bad, strlen(bad), 0, "invalid UTF-8 at byte offset 3", 1);
    /* A charset libxml2 does not know. */
    bad = "<html><head><meta charset=\"x-no-such\"></head><p>\xC7\xE0</p>";
    assert_refused(bad, strlen(bad), 0,
                   "invalid UTF-8 at byte offset 48, and the page's charset x-no-such is not "
                   "one the HTML parser knows",
                   1);
    /* A UTF-8 page that declares windows-1251 is read as the UTF-8 it is. */
    a = parse_ok("<html><head><meta charset=\"windows-1251\"></head><p>Застава</p>");
    assert_string_equal(a.text, "Застава");
    bm_article_free(&a);
}

static void assert_sentences(const char *text, const char *const *want)
{
    size_t len = strlen(text), start = 0, k = 0;
    while (start < len) {
        size_t end = bm_sentence_end(text, len, start);
        assert_true(end > start);
        size_t s = start;
        while (s < end && strchr(" \n", text[s]))
            s++;
        if (!want[k] || strlen(want[k]) != end - s || strncmp(text + s, want[k], end - s))
            fail_msg("sentence %zu is '%.*s', wanted '%s'", k, (int)(end - s), text + s,
                     want[k] ? want[k] : "(none)");
        k++;
        start = end;
    }
    assert_null(want[k]);
}

static void test_sentences(void **state)
{
    (void)state;
    const char *const one[] = {
        "Gen. Aliev met Mr. Karimov on Oct. 2 near the U.S. Embassy.",
        "The fence is 1.5 km long, said J. Smith of the U.N. mission.",
        "Post No. 5 was hit at 3 p.m.",
        "Shots came at 5 a.m. Tuesday and at 7 a.m. (0100 GMT) on June 14.",
        "Was anyone hurt?",
        "\"No,\" he said.",
        "Nobody knows!",
        NULL};
    assert_sentences("Gen. Aliev met Mr. Karimov on Oct. 2 near the U.S. Embassy. The fence is "
                     "1.5 km long, said J. Smith of the U.N. mission. Post No. 5 was hit at 3 "
                     "p.m. Shots came at 5 a.m. Tuesday and at 7 a.m. (0100 GMT) on June 14. "
                     "Was anyone hurt? \"No,\" he said. Nobody knows!",
                     one);
    /* A paragraph break ends a sentence without a full stop; an ellipsis
     * followed by a lower-case word does not. */
    const char *const two[] = {"Border clash in Batken", "Shots were fired... and then quiet.",
                               "It was late Oct.", "The month ended.", NULL};
    assert_sentences("Border clash in Batken\n\nShots were fired... and then quiet.\n"
                     "It was late Oct. The month ended.",
                     two);
    assert_int_equal(bm_sentence_end("abc", 3, 3), 3);
    assert_int_equal(bm_sentence_end("  \n\n  ", 6, 0), 6);
}

static void test_read_files(void **state)
{
    (void)state;
    const char *path = write_file("a.txt", "Calm at the border.\n", 20);
    bm_article a;
    bm_error err;
    assert_int_equal(bm_article_read(path, 0, &a, &err), BM_OK);
    assert_string_equal(a.text, "Calm at the border.");
    assert_string_equal(a.path, path);
    bm_article_free(&a);

    assert_int_equal(bm_article_read(scratch, 0, &a, &err), BM_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "is a directory"));
    assert_int_equal(bm_article_read("/nonexistent/x.txt", 0, &a, &err), BM_ERR_RUNTIME);
    assert_string_equal(err.file, "/nonexistent/x.txt");
    assert_non_null(strstr(err.message, "cannot open"));
}

static void test_bad_bytes(void **state)
{
    (void)state;
    assert_refused("Guard\0post", 10, 0, "binary data, not text: NUL byte at byte offset 5", 1);
    assert_refused("ok\nfine\n\xFF here", 13, 0, "invalid UTF-8 at byte offset 8 (byte 0xFF)",
                   3);
    assert_refused("\xC0\xAF", 2, 0, "invalid UTF-8 at byte offset 0", 1);     /* overlong */
    assert_refused("\xEF\xBB\xBF" "ab\xFF", 6, 0, "invalid UTF-8 at byte offset 5", 1); /* BOM */
    assert_refused("ab\xED\xA0\x80", 5, 0, "invalid UTF-8 at byte offset 2", 1); /* surrogate */
    assert_refused("ab\xF4\x90\x80\x80", 6, 0, "invalid UTF-8 at byte offset 2", 1);
    assert_refused("cut \xE2\x80", 6, 0, "invalid UTF-8 at byte offset 4", 1);
    assert_refused("", 0, 0, "empty", 0);
    assert_refused(" \n\t\n\xC2\xA0 ", 7, 0, "empty: only white space", 0);
    assert_refused("<html><body><script>x()</script></body></html>", 46, 0,
                   "no article text in the HTML", 0);
    assert_refused("0123456789", 10, 9, "10 bytes, more than the limit of 9 bytes", 0);
    /* Valid multi-byte text passes: Cyrillic, an emoji. */
    bm_article a = parse_ok("Застава \xF0\x9F\x93\x8C ok");
    bm_article_free(&a);
}

static void test_size_limits(void **state)
{
    (void)state;
    /* A 100 MB regular file is refused by its size, before any read. */
    char path[128];
    snprintf(path, sizeof path, "%s/big.txt", scratch);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 100L << 20), 0);
    close(fd);
    bm_article a;
    bm_error err;
    assert_int_equal(bm_article_read(path, 0, &a, &err), BM_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "104857600 bytes, more than the limit of 67108864"));
    assert_int_equal(bm_article_read(path, 1000, &a, &err), BM_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "more than the limit of 1000 bytes"));
    /* An endless stream: read up to the limit, then refused. */
    assert_int_equal(bm_article_read("/dev/zero", 100000, &a, &err), BM_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "more than the limit of 100000 bytes"));
    int saved = dup(STDIN_FILENO);
    int zero = open("/dev/zero", O_RDONLY);
    assert_true(saved >= 0 && zero >= 0);
    assert_int_equal(dup2(zero, STDIN_FILENO), STDIN_FILENO);
    close(zero);
    bm_status st = bm_article_read("-", 4096, &a, &err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    assert_int_equal(st, BM_ERR_RUNTIME);
    assert_string_equal(err.file, "standard input");
    assert_non_null(strstr(err.message, "more than the limit of 4096 bytes"));
}

static void test_stdin(void **state)
{
    (void)state;
    const char *path = write_file("in.html", "<p>From standard input.</p>", 27);
    int saved = dup(STDIN_FILENO);
    int in = open(path, O_RDONLY);
    assert_true(saved >= 0 && in >= 0);
    assert_int_equal(dup2(in, STDIN_FILENO), STDIN_FILENO);
    close(in);
    bm_article a;
    bm_error err;
    bm_status st = bm_article_read("-", 0, &a, &err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    assert_int_equal(st, BM_OK);
    assert_string_equal(a.path, "-");
    assert_string_equal(a.text, "From standard input.");
    bm_article_free(&a);
}

/* n elements opened (and closed) inside one another in a page. */
static char *nested(const char *open, const char *close, size_t n)
{
    size_t lo = strlen(open), lc = strlen(close);
    char *s = malloc(64 + n * (lo + lc));
    assert_non_null(s);
    char *p = s + sprintf(s, "<html><body>");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s", open);
    p += sprintf(p, "deep");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s", close);
    sprintf(p, "</body></html>");
    return s;
}

static void test_deep_html(void **state)
{
    (void)state;
    char *s = nested("<div>", "</div>", 100000);
    assert_refused(s, strlen(s), 0, "HTML elements nested more than 256 deep", 1);
    free(s);
    s = nested("<span><b>", "</b></span>", 50000);
    assert_refused(s, strlen(s), 0, "HTML elements nested more than 256 deep", 1);
    free(s);
    /* Within the limit it is read. */
    s = nested("<div>", "</div>", 200);
    bm_article a = parse_ok(s);
    assert_string_equal(a.text, "deep");
    bm_article_free(&a);
    free(s);
    /* 100,000 unclosed paragraphs are siblings, not nesting. */
    s = nested("<p>x", "", 100000);
    a = parse_ok(s);
    assert_int_equal(a.len, 100000 * 3 - 2 + 4);
    bm_article_free(&a);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_plain_datelines),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_html_furniture_with_prose),
        cmocka_unit_test(test_html_datelines),
        cmocka_unit_test(test_html_detection),
        cmocka_unit_test(test_html_charsets),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_read_files),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_deep_html),
    };
    return cmocka_run_group_tests(tests, make_scratch, remove_scratch);
}
