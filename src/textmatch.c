/*
 * textmatch.c — cutting text into folded words and finding gazetteer
 * names among them.
 */
#include "textmatch.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "normalize.h"

#define KEY_MAX 256
#define WORD_MAX 128 /* bytes of one word folded; longer words are not names */

/* A letter, digit or apostrophe: part of a word. Invalid UTF-8 breaks. */
static size_t word_char(const char *p, const char *end, int *is_word)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x80) {
        *is_word = g_ascii_isalnum(c) || c == '\'';
        return 1;
    }
    gunichar u = g_utf8_get_char_validated(p, end - p);
    if (u == (gunichar)-1 || u == (gunichar)-2) {
        *is_word = 0;
        return 1;
    }
    *is_word = g_unichar_isalnum(u) || g_unichar_ismark(u) || u == 0x2019;
    return (size_t)(g_utf8_next_char(p) - p);
}

static int is_capital(const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x80)
        return g_ascii_isupper(c) || g_ascii_isdigit(c);
    gunichar u = g_utf8_get_char_validated(p, end - p);
    return u != (gunichar)-1 && u != (gunichar)-2 && g_unichar_isupper(u);
}

static int starts(const char *p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(end - p) >= n && g_ascii_strncasecmp(p, prefix, n) == 0;
}

static int is_url(const char *p, const char *end)
{
    return starts(p, end, "http://") || starts(p, end, "https://") || starts(p, end, "www.");
}

/* Whether the gap between two words lets them form one name. */
static int gap_joins(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != ' ' && p[i] != '-' && p[i] != '\t')
            return 0;
    return 1;
}

/* The word's length without a trailing "'s" or "’s". */
static size_t strip_possessive(const char *p, size_t len)
{
    if (len > 2 && p[len - 1] == 's' && p[len - 2] == '\'')
        return len - 2;
    if (len > 4 && p[len - 1] == 's' && memcmp(p + len - 4, "\xE2\x80\x99", 3) == 0)
        return len - 4;
    return len;
}

static bm_status out_of_memory(bm_text_words *out, bm_error *err)
{
    bm_text_words_free(out);
    return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory splitting text");
}

/* Room for a word folded: a letter folds to at most two ("x" -> "kh",
 * "щ" -> "shch"), and the folded word is cut short of WORD_MAX. */
static size_t fold_room(size_t wlen)
{
    return 2 * wlen + 1 < WORD_MAX ? 2 * wlen + 1 : WORD_MAX;
}

bm_status bm_text_words_split(const char *text, size_t len, bm_text_words *out, bm_error *err)
{
    *out = (bm_text_words){.text = text};
    /* At most one word per two bytes, each stored lower-cased and with room
     * to fold it: bounds fixed up front, so the pointers never move. */
    size_t cap = len / 2 + 1;
    out->w = malloc(cap * sizeof *out->w);
    size_t store = len * 4 + 16, used = 0;
    out->store = malloc(store);
    if (!out->w || !out->store)
        return out_of_memory(out, err);
    const char *end = text + len, *p = text, *prev_end = text;
    while (p < end) {
        int in_word;
        size_t step = word_char(p, end, &in_word);
        if (!in_word) {
            p += step;
            continue;
        }
        if (is_url(p, end)) { /* its words are no text: "…/tajik-kyrgyz-border" */
            while (p < end && *p != ' ' && *p != '\n' && *p != '\t')
                p++;
            continue;
        }
        const char *start = p;
        while (p < end && (step = word_char(p, end, &in_word), in_word))
            p += step;
        size_t wlen = strip_possessive(start, (size_t)(p - start));
        if (wlen >= WORD_MAX)
            wlen = WORD_MAX - 1; /* a word this long is no name: kept cut */
        size_t room = fold_room(wlen);
        if (out->n == cap || used + wlen + 1 + room > store)
            return out_of_memory(out, err);
        char *lower = out->store + used;
        for (size_t i = 0; i < wlen; i++)
            lower[i] = (char)g_ascii_tolower(start[i]);
        lower[wlen] = '\0';
        out->w[out->n++] = (bm_text_word){
            .start = (size_t)(start - text),
            .end = (size_t)(start - text) + wlen,
            .folded = NULL,
            .lower = lower,
            .capital = is_capital(start, end),
            .joined = out->n > 0 && gap_joins(prev_end, (size_t)(start - prev_end)),
        };
        used += wlen + 1 + room;
        prev_end = start + wlen;
    }
    return BM_OK;
}

const char *bm_text_words_folded(bm_text_words *w, size_t i)
{
    bm_text_word *wd = &w->w[i];
    if (!wd->folded) {
        size_t wlen = wd->end - wd->start;
        char raw[WORD_MAX];
        memcpy(raw, w->text + wd->start, wlen);
        raw[wlen] = '\0';
        wd->folded = (char *)wd->lower + wlen + 1;
        bm_normalize_key(raw, wd->folded, fold_room(wlen));
    }
    return wd->folded;
}

void bm_text_words_free(bm_text_words *w)
{
    free(w->w);
    free(w->store);
    *w = (bm_text_words){0};
}

size_t bm_text_words_at(const bm_text_words *w, size_t pos)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->w[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A country's own name is a place; a demonym or code only names one. */
static int classify(const bm_gazetteer *g, const char *key, bm_text_name *name)
{
    bm_name_hit hits[8];
    size_t n = bm_gazetteer_lookup(g, key, hits, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        if (hits[i].place->kind == BM_PLACE_COUNTRY) {
            name->kind = BM_TEXT_NAME_PLACE;
            name->iso3 = hits[i].place->country;
            return 1;
        }
    const char *iso3 = bm_gazetteer_country_code(g, key);
    if (iso3) {
        name->kind = BM_TEXT_NAME_COUNTRY;
        name->iso3 = iso3;
        return 1;
    }
    name->kind = BM_TEXT_NAME_PLACE;
    name->iso3 = NULL;
    return n > 0;
}

/* The longest name starting at word i, or 0 words. */
static size_t longest_at(const bm_gazetteer *g, bm_text_words *w, size_t i, size_t to,
                         bm_text_name *name)
{
    char key[KEY_MAX];
    size_t len = 0, lens[BM_TEXTMATCH_MAX_WORDS], k = 0;
    for (; k < BM_TEXTMATCH_MAX_WORDS && i + k < to; k++) {
        if (k > 0 && !w->w[i + k].joined)
            break;
        const char *f = bm_text_words_folded(w, i + k);
        size_t fl = strlen(f);
        if (len + fl >= sizeof key)
            break;
        memcpy(key + len, f, fl + 1);
        len += fl;
        lens[k] = len;
    }
    for (; k > 0; k--) {
        key[lens[k - 1]] = '\0';
        /* words of marks alone fold to nothing: no key to look up */
        if (lens[k - 1] > 0 && classify(g, key, name)) {
            name->first = i;
            name->count = k;
            name->start = w->w[i].start;
            name->end = w->w[i + k - 1].end;
            return k;
        }
    }
    return 0;
}

size_t bm_textmatch_names(const bm_gazetteer *g, bm_text_words *w, size_t from, size_t to,
                          bm_text_name *out, size_t max)
{
    size_t found = 0;
    if (to > w->n)
        to = w->n;
    for (size_t i = from; i < to;) {
        bm_text_name name;
        size_t k = w->w[i].capital && *bm_text_words_folded(w, i) ? longest_at(g, w, i, to, &name)
                                                                    : 0;
        if (k == 0) {
            i++;
            continue;
        }
        if (found < max)
            out[found] = name;
        found++;
        i += k;
    }
    return found;
}
