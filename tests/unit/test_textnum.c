/*
 * test_textnum.c — counts written in words or digits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "textnum.h"

/* The count at the start of text, with the bytes it covers. */
static void assert_count_ex(const char *text, int flags, long value, const char *covered)
{
    bm_count c = bm_count_at_ex(text, strlen(text), flags);
    if (c.value != value || c.length != strlen(covered) ||
        strncmp(text, covered, c.length) != 0)
        fail_msg("'%s' reads as %ld over '%.*s', wanted %ld over '%s'", text, c.value,
                 (int)c.length, text, value, covered);
}

static void assert_count(const char *text, long value, const char *covered)
{
    assert_count_ex(text, 0, value, covered);
}

static void assert_none(const char *text)
{
    bm_count c = bm_count_at(text, strlen(text));
    if (c.length != 0)
        fail_msg("'%s' read as a count %ld over %zu bytes", text, c.value, c.length);
}

static void test_digits(void **state)
{
    (void)state;
    assert_count("18 guards were hurt", 18, "18");
    assert_count("1,300 residents fled", 1300, "1,300");
    assert_count("2,450,000 people", 2450000, "2,450,000");
    assert_count("7", 7, "7");
    assert_count("40-strong unit", 40, "40"); /* the rest is the caller's */
    /* A comma not followed by three digits is punctuation. */
    assert_count("12,5 km", 12, "12");
    assert_count("3, 4 and 5", 3, "3");
    assert_count("1234,567", 1234, "1234");
}

static void test_words(void **state)
{
    (void)state;
    assert_count("three soldiers", 3, "three");
    assert_count("Three soldiers", 3, "Three");
    assert_count("ELEVEN herders", 11, "ELEVEN");
    assert_count("twenty-one villagers", 21, "twenty-one");
    assert_count("twenty one villagers", 21, "twenty one");
    assert_count("ninety", 90, "ninety");
    assert_count("two hundred residents", 200, "two hundred");
    assert_count("two hundred and fifty residents", 250, "two hundred and fifty");
    assert_count("three thousand five hundred troops", 3500, "three thousand five hundred");
    assert_count("two hundred thousand people", 200000, "two hundred thousand");
    assert_count("one million two hundred thousand", 1200000, "one million two hundred thousand");
    assert_count("two hundred and", 200, "two hundred");
    assert_count("five six", 5, "five");
    assert_count("999,999,999,999 and more", 999999999999L, "999,999,999,999");

    assert_count("one", 1, "one");
    assert_count("3 thousand", 3000, "3 thousand");
    assert_count("two dozen houses", 24, "two dozen");
    assert_count("a dozen houses", 12, "a dozen");
    assert_count("a hundred people", 100, "a hundred");
    assert_count("zero", 0, "zero");
}

static void test_vague(void **state)
{
    (void)state;
    assert_count("dozens of people", -1, "dozens of");
    assert_count("Dozens were hurt", -1, "Dozens");
    assert_count("scores of homes", -1, "scores of");
    assert_count("several guards", -1, "several");
    assert_count("hundreds of families", -1, "hundreds of");
    assert_count("a few shots", -1, "a few");
    assert_count("a handful of troops", -1, "a handful of");
}

static void test_not_counts(void **state)
{
    (void)state;
    assert_none("tenth");
    assert_none("seventeenth");
    assert_none("3rd battalion");
    assert_none("1.5 km");
    assert_none("someone");
    assert_none("oneself");
    assert_none("twentieth");
    assert_none("");
    assert_none("a soldier");  /* without BM_COUNT_ARTICLES */
    assert_none("an officer");
    assert_none("none");
    assert_none("9999999999999 grains"); /* beyond the range read */
    assert_none("1,000,000,000,000 grains");
    /* "seventy" is not "seven"; "nineteen" is not "nine". */
    assert_count("seventy", 70, "seventy");
    assert_count("nineteen", 19, "nineteen");
}

static void test_articles(void **state)
{
    (void)state;
    assert_count_ex("a soldier died", BM_COUNT_ARTICLES, 1, "a");
    assert_count_ex("an officer died", BM_COUNT_ARTICLES, 1, "an");
    assert_count_ex("a dozen houses", BM_COUNT_ARTICLES, 12, "a dozen");
    assert_count_ex("a few shots", BM_COUNT_ARTICLES, -1, "a few");
    assert_count_ex("about", BM_COUNT_ARTICLES, 0, "");
}

static void test_length_bounds(void **state)
{
    (void)state;
    /* The count never reads past len, even inside a longer string. */
    const char *text = "twenty-one";
    bm_count c = bm_count_at(text, 6);
    assert_int_equal(c.value, 20);
    assert_int_equal(c.length, 6);
    c = bm_count_at("1,300", 3);
    assert_int_equal(c.value, 1);
    assert_int_equal(c.length, 1);
    c = bm_count_at(NULL, 0);
    assert_int_equal(c.length, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_vague),
        cmocka_unit_test(test_not_counts),
        cmocka_unit_test(test_articles),
        cmocka_unit_test(test_length_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
