/*
 * normalize.h — folding place names into match keys.
 *
 * Names are written many ways: "Kŭlob", "KULOB", "Куляб", "Kurgan-Tyube",
 * "Kurgan Tyube". Folding maps all of them to the same lower-case ASCII
 * words: case folded, diacritics dropped, Cyrillic transliterated
 * (BGN/PCGN-like, with the Tajik, Kazakh, Uzbek and Kyrgyz letters),
 * apostrophes removed, and every other non-letter a word break. Scripts
 * with no table here (Arabic, Chinese...) keep their lower-cased letters.
 */
#ifndef BM_NORMALIZE_H
#define BM_NORMALIZE_H

#include <stddef.h>

/* Writes the folded words of text, separated by single spaces, to out
 * ("Kurgan-Tyube" -> "kurgan tyube"). Returns the number of words; out is
 * truncated at a word boundary when size is too small. */
size_t bm_normalize_words(const char *text, char *out, size_t size);

/* The match key: the folded words with no separators between them
 * ("Kurgan-Tyube", "Kurgan Tyube" and "Kurgantyube" -> "kurgantyube"). */
void bm_normalize_key(const char *text, char *out, size_t size);

#endif
