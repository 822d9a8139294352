/*
 * textnum.c — counts in words or digits (see textnum.h).
 */
#include "textnum.h"

#include <string.h>
#include <strings.h>

#define COUNT_MAX 999999999999L

static const char *const units[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen"};
static const char *const tens[] = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

/* Vague amounts; "of" after them is part of the phrase. */
static const char *const vague[] = {
    "dozens", "scores", "hundreds", "thousands", "several", "numerous",
    "a few", "a handful", "a number", "a couple"};

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_word_char(char c)
{
    /* Bytes of multi-byte UTF-8 letters count as word characters. */
    return is_alpha(c) || is_digit(c) || (unsigned char)c >= 0x80;
}

/* Length of word w at text[0..len) when it is there whole, else 0. */
static size_t word_at(const char *text, size_t len, const char *w)
{
    if (len == 0 || (text[0] | 0x20) != w[0])
        return 0; /* the words are lower case */
    size_t n = strlen(w);
    if (n > len || strncasecmp(text, w, n) != 0)
        return 0;
    if (n < len && is_word_char(text[n]))
        return 0;
    return n;
}

/* Spaces (one or more) at text[0..len). */
static size_t spaces_at(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
        i++;
    return i;
}

/* A number word below one hundred: "seven", "twenty", "twenty-one",
 * "twenty one". */
static size_t small_word_at(const char *text, size_t len, long *value)
{
    for (int t = 2; t < 10; t++) {
        size_t n = word_at(text, len, tens[t]);
        if (!n)
            continue;
        *value = 10L * t;
        size_t sep = n < len && text[n] == '-' ? 1 : spaces_at(text + n, len - n);
        if (sep) {
            for (int u = 1; u < 10; u++) {
                size_t m = word_at(text + n + sep, len - n - sep, units[u]);
                if (m) {
                    *value += u;
                    return n + sep + m;
                }
            }
        }
        return n;
    }
    for (int u = 0; u < 20; u++) {
        size_t n = word_at(text, len, units[u]);
        if (n) {
            *value = u;
            return n;
        }
    }
    return 0;
}

/* A multiplier word after a number: "hundred", "thousand", "million",
 * "dozen". Its value, 0 when none. */
static long multiplier_at(const char *text, size_t len, size_t *n)
{
    static const struct { const char *word; long value; } words[] = {
        {"hundred", 100}, {"thousand", 1000}, {"million", 1000000}, {"dozen", 12}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if ((*n = word_at(text, len, words[i].word)) != 0)
            return words[i].value;
    return 0;
}

static size_t digit_run(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && is_digit(text[i]))
        i++;
    return i;
}

/* Digits with optional thousands commas in groups of three ("1,300");
 * "3,5" and "12,3456" are not one number: they stop before the comma. */
static size_t digits_at(const char *text, size_t len, long *value)
{
    size_t i = digit_run(text, len);
    if (i == 0 || i > 12)
        return 0;
    /* Up to "999,999,999,999": four groups after the first. */
    if (i <= 3)
        for (int groups = 0; groups < 3 && i + 4 <= len && text[i] == ',' &&
                             digit_run(text + i + 1, len - i - 1) == 3;
             groups++)
            i += 4;
    if (memchr(text, ',', i) && i + 4 <= len && text[i] == ',' &&
        digit_run(text + i + 1, len - i - 1) == 3)
        return 0; /* a fifth group: too large */
    /* "1.5" is a decimal, "3rd" an ordinal, "18th" too: no count. */
    if (i < len && (is_alpha(text[i]) || (unsigned char)text[i] >= 0x80))
        return 0;
    if (i + 1 < len && text[i] == '.' && is_digit(text[i + 1]))
        return 0;
    long v = 0;
    for (size_t k = 0; k < i; k++)
        if (text[k] != ',')
            v = v * 10 + (text[k] - '0');
    *value = v;
    return i;
}

/* Applies multipliers after a number and the numbers that follow them:
 * "two hundred and fifty", "three thousand five hundred", "two hundred
 * thousand", "3 thousand", "two dozen". 0 past COUNT_MAX. */
static size_t scale_words(const char *text, size_t len, size_t at, long *value)
{
    long total = 0, current = *value;
    int after_multiplier = 0;
    for (;;) {
        size_t sp = spaces_at(text + at, len - at), m;
        if (!sp)
            break;
        long mult = multiplier_at(text + at + sp, len - at - sp, &m);
        if (mult) {
            if (current == 0)
                break; /* "thousand hundred" */
            current *= mult; /* at most 10^12 * 10^6: no overflow */
            if (current > COUNT_MAX)
                return 0;
            at += sp + m;
            if (mult >= 1000) {
                total += current;
                current = 0;
            }
            after_multiplier = 1;
            continue;
        }
        /* Only a multiplier lets a smaller number follow: "hundred (and)
         * fifty", never "five six". */
        if (!after_multiplier)
            break;
        size_t from = at + sp, and = word_at(text + from, len - from, "and");
        if (and) {
            size_t sp2 = spaces_at(text + from + and, len - from - and);
            if (!sp2)
                break;
            from += and + sp2;
        }
        long next;
        size_t n = small_word_at(text + from, len - from, &next);
        if (!n || next == 0)
            break;
        current += next;
        at = from + n;
        after_multiplier = 0;
    }
    if (total + current > COUNT_MAX)
        return 0;
    *value = total + current;
    return at;
}

static size_t vague_at(const char *text, size_t len)
{
    for (size_t i = 0; i < sizeof vague / sizeof vague[0]; i++) {
        const char *w = vague[i];
        size_t n = 0;
        if (strncmp(w, "a ", 2) == 0) {
            size_t a = word_at(text, len, "a"), sp = a ? spaces_at(text + a, len - a) : 0;
            if (!a || !sp)
                continue;
            size_t m = word_at(text + a + sp, len - a - sp, w + 2);
            if (!m)
                continue;
            n = a + sp + m;
        } else if ((n = word_at(text, len, w)) == 0) {
            continue;
        }
        size_t sp = spaces_at(text + n, len - n);
        size_t of = sp ? word_at(text + n + sp, len - n - sp, "of") : 0;
        return of ? n + sp + of : n;
    }
    return 0;
}

bm_count bm_count_at_ex(const char *text, size_t len, int flags)
{
    bm_count c = {0, 0};
    if (!text || len == 0)
        return c;
    /* Every count starts with a digit or one of these letters. */
    if (!is_digit(text[0]) && !strchr("zotfsenhdaZOTFSENHDA", text[0]))
        return c;
    long value;
    size_t n = digits_at(text, len, &value);
    if (!n)
        n = small_word_at(text, len, &value);
    if (n) {
        size_t end = scale_words(text, len, n, &value);
        if (end) {
            c.value = value;
            c.length = end;
        }
        return c;
    }
    if ((n = vague_at(text, len)) != 0) {
        c.value = -1;
        c.length = n;
        return c;
    }
    /* "a dozen", "a hundred", "an"... */
    size_t a = word_at(text, len, "a");
    if (!a)
        a = word_at(text, len, "an");
    if (!a)
        return c;
    size_t sp = spaces_at(text + a, len - a), m;
    long mult = sp ? multiplier_at(text + a + sp, len - a - sp, &m) : 0;
    if (mult) {
        value = 1;
        size_t end = scale_words(text, len, a, &value);
        if (end) {
            c.value = value;
            c.length = end;
        }
        return c;
    }
    if (flags & BM_COUNT_ARTICLES) {
        c.value = 1;
        c.length = a;
    }
    return c;
}

bm_count bm_count_at(const char *text, size_t len)
{
    return bm_count_at_ex(text, len, 0);
}
