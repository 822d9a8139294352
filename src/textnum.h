/*
 * textnum.h — counts written in words or digits, as news text states them.
 *
 * "three", "18", "1,300", "twenty-one", "two hundred and fifty", "a dozen",
 * "two dozen", "3 thousand" are exact counts; "dozens (of)", "scores of",
 * "hundreds of", "several", "a few", "a handful of", "numerous" are vague
 * amounts (value -1). Words are matched case-insensitively and must end at
 * a word boundary ("tenth", "seventy" are not "ten", "seven"). Decimals
 * ("1.5") and ordinals ("3rd", "third") are not counts. Whatever follows
 * the count ("18-year-old", "soldiers") is the caller's to judge.
 */
#ifndef BM_TEXTNUM_H
#define BM_TEXTNUM_H

#include <stddef.h>

typedef struct bm_count {
    long value;    /* -1 when the phrase is a vague amount ("dozens", "several", "scores of") */
    size_t length; /* bytes consumed from the start of the text; 0 when no count starts there */
} bm_count;

/* How bm_count_at_ex reads the text. */
enum {
    /* A lone article counts one: "a soldier", "an officer" -> 1 (length
     * covers the article only). Without it "a"/"an" count only as part of
     * "a dozen", "a hundred", "a few"... */
    BM_COUNT_ARTICLES = 1
};

/* Reads a count at text[0..len): "three", "18", "1,300", "twenty-one",
 * "a dozen", "two hundred", "one", "dozens" (value -1). A vague amount's
 * length covers a following " of" ("dozens of"). Case-insensitive. Values
 * above 999,999,999,999 are not read (length 0). */
bm_count bm_count_at(const char *text, size_t len);

/* bm_count_at with flags (BM_COUNT_*). */
bm_count bm_count_at_ex(const char *text, size_t len, int flags);

#endif
