/*
 * fuzz_csvscan.c — libFuzzer harness for the strict CSV structure check:
 * any bytes as a CSV or TSV give a scan (rows sorted into good and bad, a
 * copy of the good ones) or a clean error, never a crash or a leak. The
 * first byte picks the delimiter.
 */
#include <stddef.h>
#include <stdint.h>

#include <cpl_vsi.h>

#include "csvscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = "/vsimem/fuzz-scan.csv", *good = "/vsimem/fuzz-scan-good.csv";
    char delim = size && data[0] == '\t' ? '\t' : ',';
    VSILFILE *f = VSIFileFromMemBuffer(path, (GByte *)data, (vsi_l_offset)size, FALSE);
    if (!f)
        return 0;
    VSIFCloseL(f);
    bm_error err;
    bm_csv_scan *s = bm_csv_scan_file(path, "fuzz.csv", delim, &err);
    if (s) {
        for (size_t i = 0; i <= bm_csv_scan_column_count(s); i++)
            bm_csv_scan_column(s, i);
        for (size_t k = 0; k <= bm_csv_scan_good_rows(s); k++)
            bm_csv_scan_good_row_line(s, k), bm_csv_scan_good_row_number(s, k);
        for (size_t k = 0; k <= bm_csv_scan_bad_count(s); k++)
            bm_csv_scan_bad(s, k);
        bm_csv_scan_write_good(s, path, good, &err);
        VSIUnlink(good);
        bm_csv_scan_free(s);
    }
    VSIUnlink(path);
    return 0;
}
