/*
 * normalize.c — folding place names into match keys.
 *
 * ASCII takes a fast path; other characters are decoded with glib,
 * lower-cased, transliterated when Cyrillic, and otherwise reduced to the
 * base letter of their canonical decomposition (é -> e, ŭ -> u, ğ -> g).
 * Every ASCII letter then goes through put_letter, which folds the
 * spelling variants of the romanisations (see normalize.h) by looking
 * back at the letters already written for the word: one pass, no copy.
 */
#include "normalize.h"

#include <string.h>

#include <glib.h>

typedef struct writer {
    char *out;
    size_t size, len;
    size_t words;
    size_t word_start; /* offset of the current word in out */
    int in_word;
    int full;
} writer;

static void put_bytes(writer *w, const char *s, size_t n)
{
    if (w->full)
        return;
    if (!w->in_word) {
        size_t need = n + (w->words ? 1 : 0);
        if (w->len + need >= w->size) {
            w->full = 1;
            return;
        }
        if (w->words)
            w->out[w->len++] = ' ';
        w->words++;
        w->word_start = w->len;
        w->in_word = 1;
    } else if (w->len + n >= w->size) {
        /* Drop the partial word so the output ends at a word boundary. */
        while (w->len > 0 && w->out[w->len - 1] != ' ')
            w->len--;
        if (w->len > 0)
            w->len--;
        w->words--;
        w->full = 1;
        return;
    }
    memcpy(w->out + w->len, s, n);
    w->len += n;
}

/* The letter n places back in the current word (1 = the last), or 0. */
static char back(const writer *w, size_t n)
{
    if (!w->in_word || w->full || w->len - w->word_start < n)
        return 0;
    return w->out[w->len - n];
}

/* Rules that depend on the next letter run when it comes (next is 0 at the
 * end of the word or before a letter of another script):
 * - "zh" is j as in Kyrgyz and the new Kazakh Latin ("Zhalal-Abad",
 *   "Andizhan"), except before i or u: pinyin writes both "zhi" and "ji",
 *   and folding those merged a hundred and sixty Chinese places;
 * - "w" is v before a vowel (Wakhan, Vakhan; Peshawar, Peshavar), not in
 *   English "town", "new", "Lowell", which would merge with other names. */
static void settle(writer *w, char next)
{
    char last = back(w, 1);
    if (last == 'h' && back(w, 2) == 'z' && next != 'i' && next != 'u') {
        w->len--;
        w->out[w->len - 1] = 'j';
    } else if (last == 'w' && next && strchr("aeiouy", next)) {
        w->out[w->len - 1] = 'v';
    }
}

/* Writes one ASCII letter or digit, folding the romanisations' variants. */
static void put_letter(writer *w, char c)
{
    settle(w, c);
    switch (c) {
    case 'q': c = 'k'; break; /* Qarshi, Karshi */
    case 'x':                 /* Uzbek Latin: Xiva, Khiva */
        put_bytes(w, "kh", 2);
        return;
    case 'z':
        if (back(w, 1) == 't') /* Cherepovetz, Cherepovets */
            c = 's';
        break;
    case 'e':
        if (back(w, 1) == 'y') { /* Yekaterinburg, Ekaterinburg */
            w->out[w->len - 1] = 'e';
            return;
        }
        break;
    case 'j':
        if (back(w, 1) == 'd') { /* Djizak, Jizak */
            w->out[w->len - 1] = 'j';
            return;
        }
        break;
    case 'h':
        if (back(w, 1) == 'z' && back(w, 2) == 'd') { /* Dzhizak, Jizak */
            w->len--;
            w->out[w->len - 1] = 'j';
            return;
        }
        /* Ferghana, Fergana; not after n, where "ng" ends a syllable
         * ("Shanghong", "Shang Hong"). */
        if (back(w, 1) == 'g' && back(w, 2) != 'n')
            return;
        break;
    default: break;
    }
    put_bytes(w, &c, 1);
}

/* Words that the geocoder's word lists (qualifiers in gazetteer.c, frontier
 * fillers in geocode.c) spell literally and that folding would change: a
 * word folding like one of them is written as the list spells it. */
#define LITERAL(folded, literal) {folded, literal, sizeof folded - 1, sizeof literal - 1}
static const struct {
    const char *folded, *literal;
    size_t folded_len, literal_len;
} literal_words[] = {
    LITERAL("vith", "with"),         LITERAL("betveen", "between"),
    LITERAL("vilayat", "wilayat"),   LITERAL("vilayah", "wilayah"),
    LITERAL("velayaty", "welayaty"), LITERAL("vilaet", "vilayet"),
    LITERAL("mintakat", "mintaqat"), LITERAL("mintakah", "mintaqah"),
    LITERAL("ekhclave", "exclave"),
};
#undef LITERAL

/* Writes a word folding like a list word as the list spells it, when
 * there is room ("vilaet" -> "vilayet" is a letter longer). */
static void restore_literal(writer *w)
{
    size_t len = w->len - w->word_start;
    char *word = w->out + w->word_start;
    for (size_t i = 0; i < sizeof literal_words / sizeof *literal_words; i++) {
        size_t lit = literal_words[i].literal_len;
        if (literal_words[i].folded_len == len &&
            memcmp(literal_words[i].folded, word, len) == 0 && w->word_start + lit < w->size) {
            memcpy(word, literal_words[i].literal, lit);
            w->len = w->word_start + lit;
            return;
        }
    }
}

static void end_word(writer *w)
{
    if (w->in_word && !w->full) {
        settle(w, 0);
        restore_literal(w);
    }
    w->in_word = 0;
}

static void put_str(writer *w, const char *s)
{
    for (; *s; s++)
        put_letter(w, *s);
}

/* Russian, then the extra letters of Ukrainian, Belarusian, Kazakh,
 * Kyrgyz, Tajik and Uzbek Cyrillic, lower case only. Hard and soft signs
 * vanish, as in BGN/PCGN. */
static const char *cyrillic(gunichar c)
{
    static const char *const basic[32] = {
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
    };
    if (c >= 0x0430 && c <= 0x044F)
        return basic[c - 0x0430];
    switch (c) {
    case 0x0451: return "e";  /* ё */
    case 0x0454: return "ye"; /* є */
    case 0x0456: return "i";  /* і */
    case 0x0457: return "yi"; /* ї */
    case 0x045E: return "o";  /* ў: Uzbek o' (Ўзбекистон, O'zbekiston) */
    case 0x0491: return "g";  /* ґ */
    case 0x0493: return "gh"; /* ғ */
    case 0x049B: return "q";  /* қ */
    case 0x04A3: return "ng"; /* ң */
    case 0x04AF: return "u";  /* ү */
    case 0x04B1: return "u";  /* ұ */
    case 0x04B3: return "h";  /* ҳ */
    case 0x04B7: return "j";  /* ҷ */
    case 0x04BB: return "h";  /* һ */
    case 0x04D9: return "a";  /* ә */
    case 0x04E3: return "i";  /* ӣ */
    case 0x04E9: return "o";  /* ө */
    case 0x04EF: return "u";  /* ӯ */
    default: return NULL;
    }
}

/* Latin letters without a canonical decomposition. */
static const char *latin_special(gunichar c)
{
    switch (c) {
    case 0x00DF: return "ss"; /* ß */
    case 0x00E6: return "ae"; /* æ */
    case 0x0153: return "oe"; /* œ */
    case 0x00F8: return "o";  /* ø */
    case 0x0142: return "l";  /* ł */
    case 0x0111: return "d";  /* đ */
    case 0x00F0: return "d";  /* ð */
    case 0x00FE: return "th"; /* þ */
    case 0x0131: return "i";  /* dotless ı */
    case 0x0259: return "a";  /* ə (Azerbaijani) */
    case 0x0127: return "h";  /* ħ */
    default: return NULL;
    }
}

/* Apostrophes and ayn/hamza signs join the letters around them, so
 * "Qo'qon", "Qo‘qon" and "Qoqon" fold alike. */
static int is_apostrophe(gunichar c)
{
    return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02BC ||
           c == 0x02BB || c == 0x02BF || c == 0x02BE || c == 0x00B4 || c == 0x02B9;
}

static void put_unichar(writer *w, gunichar c)
{
    char buf[8];
    int n = g_unichar_to_utf8(c, buf);
    put_bytes(w, buf, (size_t)n);
}

static void fold_unichar(writer *w, gunichar c)
{
    if (is_apostrophe(c) || g_unichar_ismark(c))
        return;
    c = g_unichar_tolower(c);
    const char *s = cyrillic(c);
    if (!s)
        s = latin_special(c);
    if (s) {
        if (*s)
            put_str(w, s);
        return;
    }
    gunichar d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
    if (g_unichar_fully_decompose(c, FALSE, d, G_N_ELEMENTS(d)) > 0)
        c = g_unichar_tolower(d[0]);
    if (c < 0x80) {
        if (g_ascii_isalnum((int)c))
            put_letter(w, (char)c);
        else
            end_word(w);
    } else if (g_unichar_isalnum(c)) {
        settle(w, 0);
        put_unichar(w, c);
    } else {
        end_word(w);
    }
}

size_t bm_normalize_words(const char *text, char *out, size_t size)
{
    writer w = {out, size, 0, 0, 0, 0, 0};
    if (size == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p && !w.full) {
        if (*p < 0x80) {
            char ch = (char)g_ascii_tolower((gchar)*p);
            if (g_ascii_isalnum(ch))
                put_letter(&w, ch);
            else if (ch != '\'' && ch != '`')
                end_word(&w);
            p++;
            continue;
        }
        gunichar c = g_utf8_get_char_validated((const gchar *)p, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            end_word(&w); /* invalid byte: a word break, never a crash */
            p++;
            continue;
        }
        fold_unichar(&w, c);
        p = (const unsigned char *)g_utf8_next_char(p);
    }
    end_word(&w);
    out[w.len] = '\0';
    return w.words;
}

void bm_normalize_key(const char *text, char *out, size_t size)
{
    bm_normalize_words(text, out, size);
    char *dst = out;
    for (const char *src = out; *src; src++)
        if (*src != ' ')
            *dst++ = *src;
    *dst = '\0';
}
