/*
 * fuzz_article.c — libFuzzer harness for the text layer: arbitrary bytes
 * as an article (plain or HTML) must give an article or a clean error,
 * never a crash, leak or undefined behaviour; the article's text then
 * goes through the date phrases, the counts and the sentence ends, as
 * the extractor reads it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "article.h"
#include "datephrase.h"
#include "textnum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_text(const char *text, size_t len, const bm_civil_date *anchor)
{
    bm_date_phrase p[64];
    size_t n = bm_date_phrases(text, len, anchor, p, 64);
    for (size_t k = 0; k < n && k < 64; k++) {
        char out[11];
        bm_civil_date_format(&p[k].date, out);
        if (p[k].start >= p[k].end || p[k].end > len)
            __builtin_trap();
    }
    for (size_t i = 0; i < len; i++) {
        bm_count c = bm_count_at_ex(text + i, len - i, i & 1 ? BM_COUNT_ARTICLES : 0);
        if (c.length > len - i)
            __builtin_trap();
    }
    for (size_t s = 0; s < len;) {
        size_t e = bm_sentence_end(text, len, s);
        if (e <= s || e > len)
            __builtin_trap();
        s = e;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bm_article a;
    bm_error err;
    /* The raw bytes too: the phrase scanners take any text, even unchecked. */
    bm_civil_date anchor = {2016, 2, 29};
    read_text((const char *)data, size, size & 1 ? &anchor : NULL);
    if (bm_article_parse("fuzz", (const char *)data, size, 1 << 20, &a, &err) == BM_OK) {
        if (strlen(a.text) != a.len)
            __builtin_trap();
        read_text(a.text, a.len, &a.dateline);
        bm_article_free(&a);
    }
    return 0;
}
