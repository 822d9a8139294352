/*
 * normalize.h — folding place names into match keys.
 *
 * Names are written many ways: "Kŭlob", "KULOB", "Кӯлоб", "Kurgan-Tyube",
 * "Kurgan Tyube". Folding maps all of them to the same lower-case ASCII
 * words: case folded, diacritics dropped, Cyrillic transliterated
 * (BGN/PCGN, with the Tajik, Kazakh, Uzbek and Kyrgyz letters; Uzbek ў is
 * o' as in the Uzbek Latin alphabet), apostrophes removed, and every other
 * non-letter a word break. Scripts with no table here (Arabic, Chinese...)
 * keep their lower-cased letters.
 *
 * The spellings that the romanisations and the press give one Cyrillic
 * letter are then folded to one, inside each word, so a name matches in
 * Cyrillic, in BGN/PCGN and in its journalistic forms without a list of
 * alternate names:
 *   ye -> e     Yekaterinburg, Ekaterinburg, Екатеринбург
 *   dzh, dj -> j  Pendzhikent, Pendjikent, Penjikent
 *   zh -> j, but not before i or u (pinyin's zhi/ji, zhu/ju stay apart)
 *               Zhalal-Abad, Jalal-Abad; Andizhan, Andijan
 *   q -> k      Qarshi, Karshi; Qyzylorda, Kyzylorda
 *   gh -> g, but not after n ("Shanghong")   Ferghana, Fergana
 *   x -> kh     Uzbek Latin Xiva, Khiva
 *   w -> v before a vowel (not "town", "new")  Wakhan, Vakhan
 *   tz -> ts    Cherepovetz, Cherepovets
 * Kept apart on purpose: kh and h (Tajik х and ҳ are different letters),
 * vowels (Kulob and Kulyab, Panjakent and Penjikent are two languages'
 * names, which GeoNames lists), "y" after a consonant (Ura-Tube and
 * Ura-Tyube: dropping it would split Khasavyurt from Khasav-Yurt), word
 * endings (-skiy, -sky) and double letters, which both change with the
 * word breaks. On the 52,000 places of geodata/gazetteer.tsv these rules
 * merge 2,400 places' spellings and let 216 pairs of places of one
 * country more than 50 km apart share a key (69,590 pairs did before).
 *
 * A word list that code compares with the output must hold folded words;
 * the generic words the geocoder strips (gazetteer.c, geocode.c) are
 * written back as those lists spell them ("welayaty", "mintaqat").
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
