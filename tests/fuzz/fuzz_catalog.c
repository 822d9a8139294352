/*
 * fuzz_catalog.c — libFuzzer harness for catalog reading: arbitrary bytes
 * as a CSV or GeoJSON catalog must give a catalog or a clean error, never
 * a crash, leak or undefined behaviour; strictly, with bad rows skipped,
 * and streamed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cpl_vsi.h>

#include "catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks the driver, as a file's extension would. */
    const char *path = size && data[0] == '{' ? "/vsimem/fuzz.geojson" : "/vsimem/fuzz.csv";
    VSILFILE *f = VSIFileFromMemBuffer(path, (GByte *)data, (vsi_l_offset)size, FALSE);
    if (!f)
        return 0;
    VSIFCloseL(f);
    bm_error err;
    bm_catalog *c = bm_catalog_read(path, &err);
    bm_catalog_free(c);
    bm_catalog_options skip = {.skip_bad_rows = 1};
    c = bm_catalog_read_ex(path, &skip, &err);
    bm_catalog_free(c);
    c = bm_catalog_open(path, &skip, &err);
    while (c && bm_catalog_next(c, &err) > 0)
        continue;
    bm_catalog_free(c);
    VSIUnlink(path);
    return 0;
}
