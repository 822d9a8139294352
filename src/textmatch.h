/*
 * textmatch.h — gazetteer names found in running text.
 *
 * A text is cut into words at the same breaks bm_normalize_words makes
 * (every character but a letter, a digit or an apostrophe), each word
 * folded alone (bm_normalize_key) when first needed, so the key of a run of words is the
 * concatenation of their folded forms — the key the gazetteer indexes
 * names under. The scan is a multi-pattern match of the gazetteer's keys
 * over word runs: at each capitalised word, the runs of up to
 * BM_TEXTMATCH_MAX_WORDS words joined by spaces or hyphens only are looked
 * up in the gazetteer's hash index, longest first, and the scan resumes
 * after the longest hit. Every match keeps the byte offsets of the
 * original text, so a caller can quote it.
 */
#ifndef BM_TEXTMATCH_H
#define BM_TEXTMATCH_H

#include <stddef.h>

#include "error.h"
#include "gazetteer.h"

#define BM_TEXTMATCH_MAX_WORDS 6

typedef struct bm_text_word {
    size_t start, end;  /* bytes of the word in the original text */
    char *folded;       /* the folded word ("Kŭlob" -> "kulob"), made on first use by
                         * bm_text_words_folded; "" for a word of marks */
    const char *lower;  /* the word as written, ASCII letters lower-cased: for
                         * comparing with English words, which folding would
                         * change ("with" folds to "vith") */
    int capital;        /* starts with an upper-case letter or a digit */
    int joined;         /* only spaces, tabs or hyphens (one line) since the previous word */
} bm_text_word;

typedef struct bm_text_words {
    bm_text_word *w;
    size_t n;
    const char *text; /* the text split, borrowed */
    char *store;      /* the lower-cased words, and room for the folded ones */
} bm_text_words;

/* Cuts text[0..len) into words. A trailing possessive ("Uzbekistan's",
 * "Uzbekistan’s") is not part of the word; a web address (http://,
 * https://, www. up to the next blank) has no words. Fails only for memory. */
bm_status bm_text_words_split(const char *text, size_t len, bm_text_words *out, bm_error *err);
void bm_text_words_free(bm_text_words *w);

/* Word i folded (bm_normalize_key), folded on first use: most words of a
 * text are never looked up. */
const char *bm_text_words_folded(bm_text_words *w, size_t i);

/* The first word at or after byte offset pos (w->n when none). */
size_t bm_text_words_at(const bm_text_words *w, size_t pos);

typedef enum bm_text_name_kind {
    BM_TEXT_NAME_PLACE,  /* a name of the gazetteer's index */
    BM_TEXT_NAME_COUNTRY /* only a country's name, code or demonym ("Tajik") */
} bm_text_name_kind;

typedef struct bm_text_name {
    size_t first, count; /* words */
    size_t start, end;   /* bytes in the original text */
    bm_text_name_kind kind;
    const char *iso3;    /* the country a BM_TEXT_NAME_COUNTRY names, else NULL */
} bm_text_name;

/* Finds the names in words [from, to) as the top comment says; writes at
 * most max and returns how many were found (all of them, even past max). */
size_t bm_textmatch_names(const bm_gazetteer *g, bm_text_words *w, size_t from, size_t to,
                          bm_text_name *out, size_t max);

#endif
