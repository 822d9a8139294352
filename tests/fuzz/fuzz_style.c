/*
 * fuzz_style.c — libFuzzer harness for bm_style_parse: any bytes as a
 * style give a style or an error with a JSON path, never a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "style.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *json = malloc(size + 1);
    if (!json)
        return 0;
    memcpy(json, data, size);
    json[size] = '\0';
    bm_error err;
    bm_style *s = bm_style_parse(json, "fuzz.json", &err);
    bm_style_free(s);
    free(json);
    return 0;
}
