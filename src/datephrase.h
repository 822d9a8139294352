/*
 * datephrase.h — dates as news text writes them, resolved against an
 * anchor date (the article's publication date).
 *
 * Phrases found (month and weekday names capitalised, as English writes
 * them, so the verb "may" and "march" are not months):
 *   absolute   "2016-06-17", "17.06.2016", "3 May 2016", "3rd of May, 2016",
 *              "May 3, 2016", "Oct. 2", "on 3 May", "in September 2014",
 *              "in 2015", "early 2015" (a bare year only after on/in/during/
 *              since/until/by/from or early/mid-/late)
 *   month      "in April", "last April", "this April", "early June",
 *              "mid-December", "late June", "end of June"
 *   weekday    "on Tuesday", "Tuesday", "early Sunday", "late Friday",
 *              "Sunday night", "last Tuesday", "overnight Saturday",
 *              "Tuesday, May 3" (the date wins)
 *   relative   "today", "yesterday", "the day before yesterday", "last night",
 *              "this morning", "tonight", "two days ago", "a week ago",
 *              "this week", "earlier this week", "last week", "this weekend",
 *              "last weekend", "this month", "earlier this month",
 *              "last month", "this year", "last year"
 *   unresolvable  "the day before", "the next day", "a day later", "that night",
 *              "recently", "in recent days": relative to another event of the
 *              text, so never resolved (year 0, precision 0) but reported, so
 *              that the dateline is not taken for their date
 * A phrase's span includes its preposition or qualifier ("on 3 May",
 * "early Sunday").
 *
 * Resolution rules (anchor = the publication date):
 *   - a weekday is the most recent such day on or before the anchor
 *     ("on Tuesday" in an article of Tuesday 3 May is 3 May; of Monday
 *     2 May, Tuesday 26 April); "last Tuesday" is strictly before it;
 *   - a month without a year is the most recent such month not after the
 *     anchor's month ("in December" in January 2017 is December 2016); a
 *     day and month without a year take that month's year, even when the
 *     day is after the anchor's ("on 5 May" in an article of 2 May 2016 is
 *     5 May 2016); "last April" is the most recent April before the
 *     anchor's month;
 *   - "last night" and "overnight" are the day before the anchor;
 *   - without an anchor (year 0) nothing relative is resolved: those
 *     phrases come back with year 0 and precision 0, never a guess.
 *
 * time_precision follows the ACLED codebook: 1 the day is known
 * ("early Sunday" included); 2 the day is approximate, within about a
 * week ("this week", "last weekend", "mid-December", "early June");
 * 3 only the month or the year is known ("last April", "in September
 * 2014", "in 2015"). The date of a precision-3 phrase is the first day of
 * its month (or year); of a precision-2 phrase the middle of its span
 * ("mid-December" the 15th, "early June" the 5th, "late June" the 25th,
 * "this week" the anchor, "last week" the anchor minus 7 days, a weekend
 * its Saturday).
 */
#ifndef BM_DATEPHRASE_H
#define BM_DATEPHRASE_H

#include <stddef.h>

typedef struct bm_civil_date {
    int year, month, day; /* month/day 0 = unknown */
} bm_civil_date;

typedef struct bm_date_phrase {
    size_t start, end;  /* byte offsets of the phrase in the text */
    bm_civil_date date; /* resolved; year 0 when it could not be resolved */
    int time_precision; /* ACLED: 1 day, 2 within about a week, 3 month or year; 0 unresolved */
    int relative;       /* 1 when the phrase depends on the anchor (weekday, "last night",
                         * "yesterday", a date without its year) or on another event ("the
                         * day before"); with time_precision 0 it could not be resolved */
} bm_date_phrase;

/* Finds the date phrases in text[0..len) and resolves each against anchor
 * (the article's date; NULL or anchor->year 0 = none: relative phrases
 * then stay unresolved, never guessed). Writes at most max, in text
 * order; returns how many were found (which may exceed max). */
size_t bm_date_phrases(const char *text, size_t len, const bm_civil_date *anchor,
                       bm_date_phrase *out, size_t max);

/* "2016-06-17" for a resolved date; an unknown month or day is written as
 * 01 (ACLED's event_date is always a full date; precision 3 dates are the
 * first of their month or year). "" when year is 0. */
void bm_civil_date_format(const bm_civil_date *d, char out[11]);

/* Reads "2016-06-17" (optionally followed by a time, "2016-06-17T10:00:00+05:00")
 * at the start of s: 1 and *d on success, 0 otherwise. */
int bm_civil_date_parse_iso(const char *s, size_t len, bm_civil_date *d);

/* Day arithmetic on the proleptic Gregorian calendar. */
long bm_civil_days(const bm_civil_date *d); /* days since 1970-01-01 */
bm_civil_date bm_civil_from_days(long days);
int bm_civil_weekday(const bm_civil_date *d); /* 0 Sunday .. 6 Saturday */
int bm_civil_days_in_month(int year, int month);

#endif
