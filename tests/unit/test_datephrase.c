/*
 * test_datephrase.c — date phrases of news text resolved against a
 * dateline. The sentences are the project's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "datephrase.h"

/* The one phrase of text that covers `phrase`, resolved against anchor
 * ("" = none) to want ("" = unresolved) with precision and relative. */
static void assert_phrase(const char *anchor_iso, const char *text, const char *phrase,
                          const char *want, int precision, int relative)
{
    bm_civil_date anchor = {0, 0, 0};
    if (anchor_iso[0])
        assert_true(bm_civil_date_parse_iso(anchor_iso, strlen(anchor_iso), &anchor));
    bm_date_phrase p[8];
    size_t n = bm_date_phrases(text, strlen(text), &anchor, p, 8);
    const char *at = strstr(text, phrase);
    assert_non_null(at);
    for (size_t k = 0; k < n && k < 8; k++) {
        if (p[k].start != (size_t)(at - text))
            continue;
        char got[11];
        bm_civil_date_format(&p[k].date, got);
        if (p[k].end - p[k].start != strlen(phrase) || strcmp(got, want) != 0 ||
            p[k].time_precision != precision || p[k].relative != relative)
            fail_msg("'%s' (anchor %s): '%.*s' -> '%s' precision %d relative %d; wanted "
                     "'%s' -> '%s' precision %d relative %d",
                     text, anchor_iso, (int)(p[k].end - p[k].start), text + p[k].start, got,
                     p[k].time_precision, p[k].relative, phrase, want, precision, relative);
        return;
    }
    fail_msg("'%s': no phrase starts at '%s' (%zu found)", text, phrase, n);
}

static void assert_no_phrase(const char *text)
{
    bm_civil_date anchor = {2016, 5, 3};
    bm_date_phrase p[4];
    size_t n = bm_date_phrases(text, strlen(text), &anchor, p, 4);
    if (n)
        fail_msg("'%s': found '%.*s'", text, (int)(p[0].end - p[0].start), text + p[0].start);
}

static void test_absolute(void **state)
{
    (void)state;
    const char *a = "2016-08-20";
    assert_phrase(a, "Guards traded fire on 3 May 2016 near the post.", "on 3 May 2016",
                  "2016-05-03", 1, 0);
    assert_phrase(a, "The post was shelled May 3, 2016, officials said.", "May 3, 2016",
                  "2016-05-03", 1, 0);
    assert_phrase(a, "It began on the 3rd of May, 2014.", "3rd of May, 2014", "2014-05-03", 1, 0);
    assert_phrase(a, "The report, dated 2016-06-17, lists two deaths.", "2016-06-17",
                  "2016-06-17", 1, 0);
    assert_phrase(a, "Опубликовано 17.06.2016 в 10:00", "17.06.2016", "2016-06-17", 1,
                  0);
    assert_phrase(a, "Herders clashed in September 2014 over a spring.", "in September 2014",
                  "2014-09-01", 3, 0);
    assert_phrase(a, "The road was closed in 2015 and again later.", "in 2015", "2015-01-01",
                  3, 0);
    assert_phrase(a, "The fence went up in early June 2016.", "in early June 2016",
                  "2016-06-05", 2, 0);
    assert_phrase(a, "Talks stalled by SEPT. 30, 2015, a diplomat said.", "by SEPT. 30, 2015",
                  "2015-09-30", 1, 0);
    assert_phrase(a, "Fighting resumed in mid-2015.", "in mid-2015", "2015-01-01", 3, 0);
    /* No 31 April: not a date. */
    assert_no_phrase("They met 31 April.");
}

static void test_day_month_without_year(void **state)
{
    (void)state;
    /* The month's year: the most recent such month not after the anchor's. */
    assert_phrase("2016-05-02", "Patrols met on 3 May.", "on 3 May", "2016-05-03", 1, 1);
    assert_phrase("2017-01-02", "Shots were heard on 30 December.", "on 30 December",
                  "2016-12-30", 1, 1);
    assert_phrase("2016-11-01", "A guard died Oct. 2 at the crossing.", "Oct. 2", "2016-10-02",
                  1, 1);
    assert_phrase("2016-11-01", "A guard died Oct 2nd at the crossing.", "Oct 2nd",
                  "2016-10-02", 1, 1);
    /* 29 February of a year that has none (the anchor's): left unresolved. */
    assert_phrase("2017-03-10", "A shepherd vanished on 29 February.", "on 29 February", "", 0,
                  1);
    assert_phrase("2016-03-10", "A shepherd vanished on 29 February.", "on 29 February",
                  "2016-02-29", 1, 1);
}

static void test_weekdays(void **state)
{
    (void)state;
    /* Tuesday 3 May 2016: the most recent such day on or before it. */
    assert_phrase("2016-05-03", "Gunfire was reported on Tuesday.", "on Tuesday", "2016-05-03",
                  1, 1);
    assert_phrase("2016-05-03", "Gunfire was reported on Monday.", "on Monday", "2016-05-02", 1,
                  1);
    assert_phrase("2016-05-03", "Gunfire was reported on Wednesday.", "on Wednesday",
                  "2016-04-27", 1, 1);
    assert_phrase("2016-05-03", "It happened last Tuesday.", "last Tuesday", "2016-04-26", 1, 1);
    assert_phrase("2016-05-03", "A convoy was hit early Sunday.", "early Sunday", "2016-05-01", 1,
                  1);
    assert_phrase("2016-05-03", "Shelling went on Saturday night.", "on Saturday night",
                  "2016-04-30", 1, 1);
    /* Across a month, a year, leap days and a century. */
    assert_phrase("2016-08-01", "Two guards were hurt on Saturday.", "on Saturday", "2016-07-30",
                  1, 1);
    assert_phrase("2017-01-01", "The checkpoint burned on Friday.", "on Friday", "2016-12-30", 1,
                  1);
    assert_phrase("2016-03-01", "Troops moved in on Monday.", "on Monday", "2016-02-29", 1, 1);
    assert_phrase("2015-03-02", "Troops moved in on Saturday.", "on Saturday", "2015-02-28", 1,
                  1);
    assert_phrase("2020-03-01", "Troops moved in on Saturday.", "on Saturday", "2020-02-29", 1,
                  1);
    assert_phrase("2000-03-01", "Troops moved in on Tuesday.", "on Tuesday", "2000-02-29", 1, 1);
    assert_phrase("1900-03-01", "Troops moved in on Wednesday.", "on Wednesday", "1900-02-28", 1,
                  1);
    /* A weekday with its date: the date wins. */
    assert_phrase("2016-08-20", "It ended on Tuesday, May 3, 2016, at dawn.",
                  "on Tuesday, May 3, 2016", "2016-05-03", 1, 0);
}

static void test_relative(void **state)
{
    (void)state;
    assert_phrase("2016-03-01", "A post was attacked last night.", "last night", "2016-02-29", 1,
                  1);
    assert_phrase("2017-01-01", "A post was attacked yesterday.", "yesterday", "2016-12-31", 1, 1);
    assert_phrase("2016-05-03", "Two were held two days ago.", "two days ago", "2016-05-01", 1, 1);
    assert_phrase("2016-05-03", "Clashes flared this week.", "this week", "2016-05-03", 2, 1);
    assert_phrase("2016-05-03", "Clashes flared last week.", "last week", "2016-04-26", 2, 1);
    assert_phrase("2016-05-03", "Clashes flared earlier this month.", "earlier this month",
                  "2016-05-01", 3, 1);
    assert_phrase("2017-01-10", "Clashes flared last month.", "last month", "2016-12-01", 3, 1);
    assert_phrase("2017-01-10", "A post fell mid-December.", "mid-December", "2016-12-15", 2, 1);
    assert_phrase("2017-01-15", "A post fell in December.", "in December", "2016-12-01", 3, 1);
    assert_phrase("2017-01-15", "A post fell in January.", "in January", "2017-01-01", 3, 1);
    assert_phrase("2017-01-15", "A post fell last January.", "last January", "2016-01-01", 3, 1);
    assert_phrase("2016-05-12", "A post fell last April.", "last April", "2016-04-01", 3, 1);
    /* Sunday 8 May 2016: the weekend is its Saturday. */
    assert_phrase("2016-05-08", "A post fell over the weekend.", "over the weekend",
                  "2016-05-07", 2, 1);
}

static void test_news_forms(void **state)
{
    (void)state;
    const char *a = "2022-09-20"; /* a Tuesday */
    assert_phrase(a, "Sept 14 (Wire) - Guards traded fire.", "Sept 14", "2022-09-14", 1, 1);
    assert_phrase(a, "Shots rang out at around 7 a.m. on June 14 near the post.", "on June 14",
                  "2022-06-14", 1, 1);
    assert_phrase(a, "It began in the early hours of Sunday.", "Sunday", "2022-09-18", 1, 1);
    assert_phrase(a, "It began on the night of 13 to 14 September.", "14 September",
                  "2022-09-14", 1, 1);
    assert_phrase(a, "Water clashes on April 28-29 left two dead.", "on April 28", "2022-04-28",
                  1, 1);
    assert_phrase(a, "The post was hit late on Friday.", "late on Friday", "2022-09-16", 1, 1);
    assert_phrase(a, "Monday's shooting was the worst.", "Monday", "2022-09-19", 1, 1);
    assert_phrase(a, "Mortars fell overnight Saturday.", "overnight Saturday", "2022-09-17", 1,
                  1);
    assert_phrase(a, "Mortars fell overnight into Sunday.", "overnight into Sunday",
                  "2022-09-18", 1, 1);
    assert_phrase(a, "Mortars fell overnight, officials said.", "overnight", "2022-09-19", 1, 1);
    assert_phrase(a, "Published 04th January, 2022 at 10:20", "04th January, 2022",
                  "2022-01-04", 1, 0);
    assert_phrase(a, "Talks resumed three days later.", "days later", "", 0, 1);
}

static void test_unresolvable(void **state)
{
    (void)state;
    /* Relative to another event of the text: found, never resolved, even
     * with an anchor. */
    assert_phrase("2016-05-03", "Two were hurt the day before.", "the day before", "", 0, 1);
    assert_phrase("2016-05-03", "Talks followed a day later.", "a day later", "", 0, 1);
    assert_phrase("2016-05-03", "Shots were heard that night.", "that night", "", 0, 1);
    assert_phrase("2016-05-03", "Patrols were recently doubled.", "recently", "", 0, 1);
    assert_phrase("2016-05-03", "It was calm the day before yesterday.",
                  "the day before yesterday", "2016-05-01", 1, 1);
}

static void test_no_anchor(void **state)
{
    (void)state;
    /* Relative phrases stay unresolved, never guessed. */
    assert_phrase("", "Gunfire was reported on Tuesday.", "on Tuesday", "", 0, 1);
    assert_phrase("", "A post was attacked yesterday.", "yesterday", "", 0, 1);
    assert_phrase("", "Patrols met on 3 May.", "on 3 May", "", 0, 1);
    assert_phrase("", "A post fell last April.", "last April", "", 0, 1);
    assert_phrase("", "Clashes flared this week.", "this week", "", 0, 1);
    assert_phrase("", "Guards traded fire on 3 May 2016.", "on 3 May 2016", "2016-05-03", 1, 0);
    /* The month and day stay known. */
    bm_date_phrase p;
    assert_int_equal(bm_date_phrases("on 3 May", 8, NULL, &p, 1), 1);
    assert_int_equal(p.date.year, 0);
    assert_int_equal(p.date.month, 5);
    assert_int_equal(p.date.day, 3);
}

static void test_not_dates(void **state)
{
    (void)state;
    assert_no_phrase("They may return to the village.");
    assert_no_phrase("Soldiers march along the river.");
    assert_no_phrase("May the talks succeed.");
    assert_no_phrase("3 Marines and 2015 residents were counted.");
    assert_no_phrase("The 1990s saw 1,300 incidents.");
    assert_no_phrase("Jan Kubis visited the post.");
    assert_no_phrase("on sunday they rested"); /* weekday names are capitalised */
    assert_no_phrase("The 12.5 km stretch.");
}

static void test_order_and_max(void **state)
{
    (void)state;
    const char *text = "On Monday, after clashes on 1 May and in April, talks began yesterday.";
    bm_civil_date anchor = {2016, 5, 3};
    bm_date_phrase p[2];
    size_t n = bm_date_phrases(text, strlen(text), &anchor, p, 2);
    assert_int_equal(n, 4); /* all of them counted, two written */
    assert_int_equal(p[0].start, 0);
    assert_int_equal(p[0].date.day, 2);
    assert_true(p[1].start > p[0].end);
    assert_int_equal(p[1].date.day, 1);
    assert_int_equal(bm_date_phrases(text, strlen(text), &anchor, NULL, 0), 4);
}

static void test_calendar(void **state)
{
    (void)state;
    char out[11];
    bm_civil_date d = {2016, 6, 7};
    bm_civil_date_format(&d, out);
    assert_string_equal(out, "2016-06-07");
    d = (bm_civil_date){2014, 9, 0};
    bm_civil_date_format(&d, out);
    assert_string_equal(out, "2014-09-01");
    d = (bm_civil_date){0, 5, 3};
    bm_civil_date_format(&d, out);
    assert_string_equal(out, "");
    d = (bm_civil_date){1970, 1, 1};
    assert_int_equal(bm_civil_days(&d), 0);
    assert_int_equal(bm_civil_weekday(&d), 4);
    for (long day = -800000; day < 800000; day += 997) {
        bm_civil_date c = bm_civil_from_days(day);
        assert_int_equal(bm_civil_days(&c), day);
    }
    assert_int_equal(bm_civil_days_in_month(2000, 2), 29);
    assert_int_equal(bm_civil_days_in_month(2100, 2), 28);
    assert_false(bm_civil_date_parse_iso("2016-02-30", 10, &d));
    assert_false(bm_civil_date_parse_iso("2016-6-17", 9, &d));
    assert_true(bm_civil_date_parse_iso("2016-06-17T08:00:00+05:00", 25, &d));
    assert_int_equal(d.day, 17);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute),
        cmocka_unit_test(test_day_month_without_year),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_relative),
        cmocka_unit_test(test_news_forms),
        cmocka_unit_test(test_unresolvable),
        cmocka_unit_test(test_no_anchor),
        cmocka_unit_test(test_not_dates),
        cmocka_unit_test(test_order_and_max),
        cmocka_unit_test(test_calendar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
