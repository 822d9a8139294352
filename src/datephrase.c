/*
 * datephrase.c — date phrases of news text (see datephrase.h).
 *
 * The text is scanned word by word; at each word start the matchers below
 * are tried in order (the most specific first) and the first that matches
 * gives the phrase, the scan going on after it. Each matcher reads its own
 * optional preposition or qualifier, so "on 3 May" is one phrase and a
 * qualifier some pattern requires ("in" before a bare year) is never
 * guessed.
 */
#include "datephrase.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "textnum.h"

typedef struct scan {
    const char *text;
    size_t len;
    bm_civil_date anchor; /* year 0: none */
} scan;

/* What a matcher found; the phrase before resolution. */
typedef struct found {
    size_t end;
    bm_civil_date date;
    int precision;
    int relative;
} found;

static const char *const month_names[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};
static const char *const month_abbrevs[] = {
    "Jan", "Feb", "Mar", "Apr", NULL, "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const weekday_names[] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

/* ---- calendar --------------------------------------------------------- */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int bm_civil_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* Days from civil, after Howard Hinnant's public-domain algorithm. */
long bm_civil_days(const bm_civil_date *d)
{
    long y = d->year - (d->month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long m = d->month;
    long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d->day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bm_civil_date bm_civil_from_days(long days)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    bm_civil_date d;
    d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d.year = (int)(yoe + era * 400 + (d.month <= 2));
    return d;
}

int bm_civil_weekday(const bm_civil_date *d)
{
    long days = bm_civil_days(d);
    long w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

void bm_civil_date_format(const bm_civil_date *d, char out[11])
{
    if (!d || d->year <= 0 || d->year > 9999) {
        out[0] = '\0';
        return;
    }
    int month = d->month >= 1 && d->month <= 12 ? d->month : 1;
    int day = d->day >= 1 && d->day <= 31 ? d->day : 1;
    char buf[40];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->year, month, day);
    memcpy(out, buf, 11);
}

static bm_civil_date add_days(bm_civil_date d, long n)
{
    return bm_civil_from_days(bm_civil_days(&d) + n);
}

static int valid_date(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && d >= 1 && d <= bm_civil_days_in_month(y, m);
}

/* ---- lexical helpers -------------------------------------------------- */

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || is_upper(c) || is_digit(c) || (unsigned char)c >= 0x80;
}

static int ends_word(const scan *s, size_t i)
{
    return i >= s->len || !is_word_char(s->text[i]);
}

/* Case-insensitive whole word w[0..n) at i: its end, or 0. */
static size_t word_n(const scan *s, size_t i, const char *w, size_t n)
{
    if (i + n > s->len || (s->text[i] | 0x20) != w[0] ||
        strncasecmp(s->text + i, w, n) != 0 || !ends_word(s, i + n))
        return 0;
    return i + n;
}

/* Case-insensitive whole word w (lower case) at i: its end, or 0. */
static size_t word(const scan *s, size_t i, const char *w)
{
    if (i >= s->len || (s->text[i] | 0x20) != w[0])
        return 0;
    return word_n(s, i, w, strlen(w));
}

/* One of the words of list at i: its index and *end, or -1. */
static int word_in(const scan *s, size_t i, const char *const *list, size_t *end)
{
    for (int k = 0; list[k]; k++)
        if ((*end = word(s, i, list[k])) != 0)
            return k;
    return -1;
}

/* Spaces within a paragraph (one newline at most): the next word's start. */
static size_t space(const scan *s, size_t i)
{
    size_t j = i;
    int newlines = 0;
    while (j < s->len && (s->text[j] == ' ' || s->text[j] == '\t' || s->text[j] == '\n' ||
                          s->text[j] == '\r')) {
        newlines += s->text[j] == '\n';
        j++;
    }
    return j > i && newlines < 2 ? j : 0;
}

/* The word w then spaces at i: where the next word starts, or 0. */
static size_t word_sp(const scan *s, size_t i, const char *w)
{
    size_t e = word(s, i, w);
    return e ? space(s, e) : 0;
}

/* Words separated by white space in text ("the end of"): the end of the
 * last, or 0. */
static size_t words_at(const scan *s, size_t i, const char *words)
{
    size_t j = i, e = 0;
    if (i >= s->len || (s->text[i] | 0x20) != words[0])
        return 0;
    for (;;) {
        size_t n = strcspn(words, " ");
        if (!(e = word_n(s, j, words, n)))
            return 0;
        words += n;
        if (!*words++)
            return e;
        if (!(j = space(s, e)))
            return 0;
    }
}

/* A name written capitalised ("May") or in capitals ("MAY") at i. */
static size_t name(const scan *s, size_t i, const char *w)
{
    size_t n = strlen(w);
    if (i + n > s->len || s->text[i] != w[0] || !ends_word(s, i + n))
        return 0;
    int lower = 1, upper = 1;
    for (size_t k = 1; k < n; k++) {
        lower &= s->text[i + k] == w[k];
        upper &= s->text[i + k] == w[k] - 'a' + 'A';
    }
    return lower || upper ? i + n : 0;
}

/* A month name or abbreviation ("Oct.", "Sept") at i: 1..12, or 0. */
static int month_at(const scan *s, size_t i, size_t *end)
{
    for (int m = 0; m < 12; m++)
        if ((*end = name(s, i, month_names[m])) != 0)
            return m + 1;
    for (int m = 0; m < 12; m++) {
        const char *a = m == 8 && name(s, i, "Sept") ? "Sept" : month_abbrevs[m];
        if (a && (*end = name(s, i, a)) != 0) {
            if (*end < s->len && s->text[*end] == '.')
                (*end)++;
            return m + 1;
        }
    }
    return 0;
}

static int weekday_at(const scan *s, size_t i, size_t *end)
{
    for (int w = 0; w < 7; w++)
        if ((*end = name(s, i, weekday_names[w])) != 0)
            return w;
    return -1;
}

/* n digits exactly at i (followed by no digit): their value, or -1. */
static int digits(const scan *s, size_t i, int n)
{
    int v = 0;
    for (int k = 0; k < n; k++) {
        if (i + k >= s->len || !is_digit(s->text[i + k]))
            return -1;
        v = v * 10 + (s->text[i + k] - '0');
    }
    if (i + n < s->len && is_digit(s->text[i + n]))
        return -1;
    return v;
}

/* A four-digit year 1900..2099 standing alone ("2016", not "2016th" or
 * "2,016"). */
static int year_at(const scan *s, size_t i, size_t *end)
{
    int y = digits(s, i, 4);
    if (y < 1900 || y > 2099 || !ends_word(s, i + 4))
        return 0;
    if (i + 5 < s->len && (s->text[i + 4] == ',' || s->text[i + 4] == '.') &&
        is_digit(s->text[i + 5]))
        return 0;
    *end = i + 4;
    return y;
}

/* A day of the month, 1..31, with an optional ordinal suffix ("3", "3rd"). */
static int day_at(const scan *s, size_t i, size_t *end)
{
    int n = digits(s, i, 2) >= 0 ? 2 : 1;
    int d = digits(s, i, n);
    if (d < 1 || d > 31)
        return 0;
    size_t e = i + n;
    static const char *const suffixes[] = {"st", "nd", "rd", "th", NULL};
    size_t se;
    if (word_in(s, e, suffixes, &se) >= 0)
        e = se;
    if (!ends_word(s, e))
        return 0;
    /* "3.5", "3,000", "3:30" are not days. */
    if (e + 1 < s->len && strchr(".,:", s->text[e]) && is_digit(s->text[e + 1]))
        return 0;
    *end = e;
    return d;
}

/* ", 2016" or " 2016" after a date: the year and *end, or 0. */
static int trailing_year(const scan *s, size_t i, size_t *end)
{
    size_t j = i;
    if (j < s->len && s->text[j] == ',')
        j++;
    size_t k = space(s, j);
    return k ? year_at(s, k, end) : 0;
}

/* ---- resolution ------------------------------------------------------- */

static int has_anchor(const scan *s)
{
    return s->anchor.year != 0;
}

/* The year of a month named without one: the most recent such month not
 * after the anchor's (strictly before it for "last April"). */
static int month_year(const scan *s, int month, int strictly_before)
{
    if (!has_anchor(s))
        return 0;
    if (month < s->anchor.month || (month == s->anchor.month && !strictly_before))
        return s->anchor.year;
    return s->anchor.year - 1;
}

/* The anchor moved by days (precision p), or unresolved without anchor. */
static void relative_day(const scan *s, found *f, long days, int precision)
{
    f->relative = 1;
    if (!has_anchor(s))
        return;
    f->date = add_days(s->anchor, days);
    f->precision = precision;
}

/* A day and month, with or without a year, into f (0 when not a date). */
static int set_day_month(const scan *s, found *f, int year, int month, int day)
{
    f->date.month = month;
    f->date.day = day;
    if (day > bm_civil_days_in_month(2000, month))
        return 0; /* no year has a 31 April */
    if (!year) {
        f->relative = 1;
        year = month_year(s, month, 0);
    }
    /* Without an anchor, or 29 February of a year without one (in a 2017
     * article with no year written): a date, left unresolved. */
    if (!year || !valid_date(year, month, day))
        return 1;
    f->date.year = year;
    f->precision = 1;
    return 1;
}

/* ---- matchers --------------------------------------------------------- */

/* Prepositions a date may carry in its span. */
static const char *const preps[] = {"on", "in", "during", "since", "until", "by", "from", NULL};

static size_t skip_prep(const scan *s, size_t i, int *which)
{
    size_t e;
    int k = word_in(s, i, preps, &e);
    size_t j = k >= 0 ? space(s, e) : 0;
    if (which)
        *which = j ? k : -1;
    return j ? j : i;
}

/* "2016-06-17" (a time may follow) and "17.06.2016". */
static int match_numeric(const scan *s, size_t i, found *f)
{
    bm_civil_date d;
    if (bm_civil_date_parse_iso(s->text + i, s->len - i, &d)) {
        f->end = i + 10;
        f->date = d;
        f->precision = 1;
        return 1;
    }
    int day = digits(s, i, 2), month = i + 2 < s->len && s->text[i + 2] == '.'
                                           ? digits(s, i + 3, 2) : -1;
    int year = month > 0 && i + 5 < s->len && s->text[i + 5] == '.' ? digits(s, i + 6, 4) : -1;
    if (year < 1900 || year > 2099 || !valid_date(year, month, day) || !ends_word(s, i + 10))
        return 0;
    f->end = i + 10;
    f->date = (bm_civil_date){year, month, day};
    f->precision = 1;
    return 1;
}

/* The day and month read, ending at e: an optional year after them, then
 * the date into f. */
static int finish_day_month(const scan *s, size_t e, int month, int day, found *f)
{
    size_t ye;
    int year = trailing_year(s, e, &ye);
    if (!set_day_month(s, f, year, month, day))
        return 0;
    f->end = year ? ye : e;
    return 1;
}

/* "3 May", "3rd of May 2016", "on 3 May, 2016". */
static int match_day_month(const scan *s, size_t i, found *f)
{
    size_t j = skip_prep(s, i, NULL), e, k;
    int day = day_at(s, j, &e);
    if (!day || !(k = space(s, e)))
        return 0;
    size_t of = word_sp(s, k, "of");
    int month = month_at(s, of ? of : k, &e);
    if (!month)
        return 0;
    return finish_day_month(s, e, month, day, f);
}

/* "May 3", "May 3, 2016", "Oct. 2", "on Sept. 30th". */
static int match_month_day(const scan *s, size_t i, found *f)
{
    size_t j = skip_prep(s, i, NULL), e, k;
    int month = month_at(s, j, &e);
    if (!month || !(k = space(s, e)))
        return 0;
    int day = day_at(s, k, &e);
    if (!day)
        return 0;
    return finish_day_month(s, e, month, day, f);
}

/* Where in a month or year: "early", "mid-", "late", "the end of"...
 * Returns the day that stands for it (0 = none) and *next. */
static int position_at(const scan *s, size_t i, size_t *next)
{
    static const struct { const char *words; int day; } positions[] = {
        {"the beginning of", 5}, {"the start of", 5}, {"the middle of", 15},
        {"the end of", 25}, {"beginning of", 5}, {"start of", 5}, {"end of", 25},
        {"early", 5}, {"late", 25}};
    size_t e = word(s, i, "mid");
    if (e) {
        /* "mid-December", "mid December", "mid-2015" */
        *next = e < s->len && s->text[e] == '-' ? e + 1 : space(s, e);
        return *next ? 15 : 0;
    }
    for (size_t p = 0; p < sizeof positions / sizeof positions[0]; p++) {
        e = words_at(s, i, positions[p].words);
        if (e && (*next = space(s, e)) != 0)
            return positions[p].day;
    }
    return 0;
}

/* "[in|last|this] [early|mid-|late] Month [Year]": one qualifier at least. */
static int match_month(const scan *s, size_t i, found *f)
{
    size_t j = i, e, ye;
    int prep, last = 0, this = 0;
    j = skip_prep(s, i, &prep);
    if (j == i) {
        size_t k;
        if ((k = word_sp(s, i, "last")) != 0)
            j = k, last = 1;
        else if ((k = word_sp(s, i, "this")) != 0)
            j = k, this = 1;
    }
    size_t p;
    int position_day = position_at(s, j, &p);
    if (position_day)
        j = p;
    int month = month_at(s, j, &e);
    if (!month)
        return 0;
    int year = 0;
    size_t k = space(s, e);
    if (k && !last && !this)
        year = year_at(s, k, &ye);
    if (j == i && !year)
        return 0; /* a month name alone: "May" is also a verb */
    f->date.month = month;
    f->date.day = position_day ? position_day : 1;
    f->precision = position_day ? 2 : 3;
    f->end = year ? ye : e;
    if (!year) {
        f->relative = 1;
        year = this ? (has_anchor(s) ? s->anchor.year : 0) : month_year(s, month, last);
        if (!year) {
            f->precision = 0;
            return 1;
        }
    }
    f->date.year = year;
    return 1;
}

/* "in 2015", "since 2014", "early 2015", "in mid-2016". */
static int match_year(const scan *s, size_t i, found *f)
{
    int prep;
    size_t j = skip_prep(s, i, &prep), p, e;
    int position = position_at(s, j, &p);
    if (position)
        j = p;
    if (j == i)
        return 0;
    int year = year_at(s, j, &e);
    if (!year)
        return 0;
    f->end = e;
    f->date = (bm_civil_date){year, 1, 1};
    f->precision = 3;
    return 1;
}

/* Fixed relative phrases: days from the anchor and precision. */
static const struct { const char *words; long days; int precision; } fixed[] = {
    {"the day before yesterday", -2, 1},
    {"yesterday", -1, 1}, {"last night", -1, 1}, {"overnight", -1, 1},
    {"today", 0, 1}, {"tonight", 0, 1}, {"this morning", 0, 1},
    {"this afternoon", 0, 1}, {"this evening", 0, 1}, {"earlier today", 0, 1},
    {"earlier this week", 0, 2}, {"this week", 0, 2}, {"this past week", 0, 2},
    {"earlier last week", -7, 2}, {"last week", -7, 2},
};

/* Weekends, months and years relative to the anchor. */
static int match_period(const scan *s, size_t i, found *f)
{
    static const char *const weekends[] = {
        "this weekend", "last weekend", "at the weekend", "over the weekend", NULL};
    static const char *const this_month[] = {"earlier this month", "this month", NULL};
    static const char *const last_month[] = {"earlier last month", "last month", NULL};
    static const char *const this_year[] = {"earlier this year", "this year", NULL};
    static const char *const last_year[] = {"last year", NULL};
    const char *const *lists[] = {weekends, this_month, last_month, this_year, last_year};
    for (int l = 0; l < 5; l++) {
        for (int k = 0; lists[l][k]; k++) {
            size_t e = words_at(s, i, lists[l][k]);
            if (!e)
                continue;
            f->end = e;
            f->relative = 1;
            if (!has_anchor(s))
                return 1;
            bm_civil_date a = s->anchor;
            if (l == 0) {
                /* The Saturday of the most recent weekend. */
                int back = (bm_civil_weekday(&a) + 1) % 7;
                f->date = add_days(a, -back);
                f->precision = 2;
                return 1;
            }
            if (l == 2 && --a.month == 0)
                a.month = 12, a.year--;
            if (l >= 3)
                a.month = 1;
            a.year -= l == 4;
            a.day = 1;
            f->date = a;
            f->precision = 3;
            return 1;
        }
    }
    return 0;
}

/* Phrases relative to another event of the text, not to the anchor:
 * found, so that no one takes the dateline for their date, but never
 * resolved. */
static const char *const unresolvable[] = {
    "the day before", "the previous day", "the next day", "the following day",
    "a day earlier", "a day later", "days later", "days earlier", "the same day",
    "that day", "that night", "the previous night", "the night before", "recently",
    "in recent days", "in recent weeks", NULL};

static int match_fixed(const scan *s, size_t i, found *f)
{
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
        size_t e = words_at(s, i, fixed[k].words);
        if (!e)
            continue;
        f->end = e;
        relative_day(s, f, fixed[k].days, fixed[k].precision);
        return 1;
    }
    if (match_period(s, i, f))
        return 1;
    for (int k = 0; unresolvable[k]; k++) {
        size_t e = words_at(s, i, unresolvable[k]);
        if (e) {
            f->end = e;
            f->relative = 1;
            return 1;
        }
    }
    return 0;
}

/* "two days ago", "3 days ago", "a week ago", "two weeks ago". */
/* Is there an " ago" within a few words after i? */
static int ago_near(const scan *s, size_t i)
{
    size_t stop = s->len - i < 48 ? s->len : i + 48;
    for (size_t g = i + 4; g + 3 <= stop; g++)
        if (s->text[g - 1] == ' ' && s->text[g] == 'a' && s->text[g + 1] == 'g' &&
            s->text[g + 2] == 'o')
            return 1;
    return 0;
}

static int match_ago(const scan *s, size_t i, found *f)
{
    if (!ago_near(s, i))
        return 0;
    bm_count c = bm_count_at_ex(s->text + i, s->len - i, BM_COUNT_ARTICLES);
    if (c.length == 0 || c.value < 1 || c.value > 60)
        return 0;
    size_t j = space(s, i + c.length), e;
    if (!j)
        return 0;
    static const char *const units[] = {"day", "days", "week", "weeks", NULL};
    int unit = word_in(s, j, units, &e);
    size_t k = unit >= 0 ? space(s, e) : 0;
    size_t end = k ? word(s, k, "ago") : 0;
    if (!end)
        return 0;
    f->end = end;
    if (unit < 2)
        relative_day(s, f, -c.value, 1);
    else
        relative_day(s, f, -7 * c.value, 2);
    return 1;
}

/* "[on|last|this|early|late|overnight] Weekday [morning|night...]
 * [, May 3[, 2016]]". */
static int match_weekday(const scan *s, size_t i, found *f)
{
    static const char *const quals[] = {"on", "last", "this", "early", "late", "overnight",
                                        "since", "until", "by", NULL};
    size_t e, j = i;
    int q = word_in(s, i, quals, &e);
    if (q >= 0) {
        j = space(s, e);
        if (!j)
            return 0;
        /* "early on Sunday", "late on Friday", "overnight into Monday" */
        size_t on = (q == 3 || q == 4 || q == 5) ? word_sp(s, j, "on") : 0;
        if (!on && q == 5)
            on = word_sp(s, j, "into");
        if (on)
            j = on;
    }
    int wd = weekday_at(s, j, &e);
    if (wd < 0)
        return 0;
    f->end = e;
    static const char *const parts[] = {"morning", "afternoon", "evening", "night", NULL};
    size_t k = space(s, e), pe;
    if (k && word_in(s, k, parts, &pe) >= 0)
        f->end = pe;
    /* "Tuesday, May 3" and "Tuesday (3 May)": the date wins. */
    size_t after = f->end;
    if (after < s->len && (s->text[after] == ',' || s->text[after] == '('))
        after++;
    size_t d = space(s, after);
    if (!d && after > f->end)
        d = after;
    found g = {0};
    if (d && (match_day_month(s, d, &g) || match_month_day(s, d, &g))) {
        g.end += g.end < s->len && s->text[g.end] == ')' && s->text[after - 1] == '(';
        *f = g;
        return 1;
    }
    f->relative = 1;
    if (!has_anchor(s))
        return 1;
    /* The most recent such day on or before the anchor; "last" strictly before. */
    int back = (bm_civil_weekday(&s->anchor) - wd + 7) % 7;
    if (back == 0 && q == 1)
        back = 7;
    f->date = add_days(s->anchor, -back);
    f->precision = 1;
    return 1;
}

/* Can a phrase start with the word at i? Most words ("guards", "said")
 * cannot, and are passed over without trying the matchers. */
static int may_start(const scan *s, size_t i)
{
#define W(w) {w, sizeof w - 1}
    static const struct { const char *w; size_t n; } starts[] = {
        W("on"), W("in"), W("during"), W("since"), W("until"), W("by"), W("from"),
        W("last"), W("this"), W("early"), W("late"), W("overnight"), W("mid"), W("the"),
        W("beginning"), W("start"), W("end"), W("earlier"), W("at"), W("over"),
        W("yesterday"), W("today"), W("tonight"), W("a"), W("days"), W("that"),
        W("recently"), W("january"), W("february"), W("march"),
        W("april"), W("may"), W("june"), W("july"), W("august"), W("september"),
        W("october"), W("november"), W("december"), W("jan"), W("feb"), W("mar"), W("apr"),
        W("jun"), W("jul"), W("aug"), W("sep"), W("sept"), W("oct"), W("nov"), W("dec"),
        W("sunday"), W("monday"), W("tuesday"), W("wednesday"), W("thursday"), W("friday"),
        W("saturday")};
#undef W
    if (is_digit(s->text[i]))
        return 1;
    size_t n = 0;
    while (i + n < s->len && is_word_char(s->text[i + n]))
        n++;
    char first = (char)(s->text[i] | 0x20);
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++)
        if (starts[k].n == n && starts[k].w[0] == first &&
            !strncasecmp(s->text + i, starts[k].w, n))
            return 1;
    return ago_near(s, i);
}

/* The weekday matcher comes before the fixed phrases: "overnight Tuesday"
 * is Tuesday, "overnight" alone the night before the anchor. */
typedef int (*matcher)(const scan *, size_t, found *);

static int match_at(const scan *s, size_t i, found *f)
{
    static const matcher matchers[] = {
        match_numeric, match_weekday, match_fixed, match_ago,
        match_day_month, match_month_day, match_month, match_year};
    for (size_t m = 0; m < sizeof matchers / sizeof matchers[0]; m++) {
        memset(f, 0, sizeof *f);
        if (matchers[m](s, i, f))
            return 1;
    }
    return 0;
}

int bm_civil_date_parse_iso(const char *text, size_t len, bm_civil_date *d)
{
    scan s = {text, len, {0, 0, 0}};
    int y = digits(&s, 0, 4);
    int m = len > 4 && text[4] == '-' ? digits(&s, 5, 2) : -1;
    int day = m > 0 && len > 7 && text[7] == '-' ? digits(&s, 8, 2) : -1;
    if (y < 1 || !valid_date(y, m, day))
        return 0;
    /* A time may follow ("T10:00"), not more digits or letters of a word. */
    if (len > 10 && text[10] != 'T' && text[10] != ' ' && is_word_char(text[10]))
        return 0;
    *d = (bm_civil_date){y, m, day};
    return 1;
}

size_t bm_date_phrases(const char *text, size_t len, const bm_civil_date *anchor,
                       bm_date_phrase *out, size_t max)
{
    scan s = {text, len, {0, 0, 0}};
    if (anchor && valid_date(anchor->year, anchor->month, anchor->day))
        s.anchor = *anchor;
    size_t count = 0;
    for (size_t i = 0; i < len;) {
        found f;
        if ((i == 0 || !is_word_char(text[i - 1])) && is_word_char(text[i]) &&
            may_start(&s, i) && match_at(&s, i, &f)) {
            if (count < max) {
                bm_date_phrase *p = &out[count];
                p->start = i;
                p->end = f.end;
                p->date = f.date;
                p->time_precision = f.precision;
                p->relative = f.relative;
                if (!f.precision)
                    p->date.year = 0;
            }
            count++;
            i = f.end;
        } else {
            i++;
        }
    }
    return count;
}
