/*
 * fuzz_normalize.c — libFuzzer harness for name normalisation and the
 * gazetteer lookup behind geocoding: any bytes as a place name (lines:
 * text, country hint, admin-1 hint) give candidates or none, never a
 * crash. The embedded gazetteer is loaded once, before the first input
 * (LLVMFuzzerInitialize; replay.c loads it with the first): loading takes
 * longer than libFuzzer's timeout for one input in the sanitizer build.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <geos_c.h>

#include "gazetteer.h"
#include "geocode.h"
#include "normalize.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bm_gazetteer *gazetteer(void)
{
    static GEOSContextHandle_t geos;
    static bm_gazetteer *g;
    static int tried;
    if (!tried) {
        tried = 1;
        bm_error err;
        geos = GEOS_init_r();
        g = bm_gazetteer_load(geos, &err);
    }
    return g;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gazetteer();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* Small outputs too: truncation at a word boundary. */
    char words[512], key[512], tiny[8];
    bm_normalize_words(text, words, sizeof words);
    bm_normalize_words(text, tiny, sizeof tiny);
    bm_normalize_key(text, key, sizeof key);
    bm_normalize_key(text, tiny, sizeof tiny);
    bm_gazetteer_strip_qualifiers(words);

    char *country = strchr(text, '\n'), *admin1 = NULL;
    if (country) {
        *country++ = '\0';
        if ((admin1 = strchr(country, '\n')) != NULL)
            *admin1++ = '\0';
    }
    bm_gazetteer *g = gazetteer();
    if (g) {
        bm_name_hit hits[8];
        bm_normalize_key(text, key, sizeof key);
        bm_gazetteer_lookup(g, key, hits, 8);
        bm_candidate cands[8];
        bm_error err;
        bm_geocode_query(g, text, country, admin1, cands, 8, &err);
        bm_match m;
        bm_geocode_text(g, text, country, admin1, &m, &err);
    }
    free(text);
    return 0;
}
