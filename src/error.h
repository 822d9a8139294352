/*
 * error.h — the one error channel of bordermap.
 *
 * Library functions never print. They fill a bm_error with the status the
 * CLI should exit with, the file, row or feature, field (or JSON path) the
 * problem is in, and a message; the CLI alone prints it.
 *
 * Policies, the same everywhere: running out of memory is a BM_ERR_RUNTIME
 * error like any other (nothing aborts, nothing is silently left out);
 * a GEOS failure names the feature and file it happened on (see
 * context.h) and never reads as an empty result; and where work goes on
 * after a failure (drawing a map) the first failure is the one reported.
 */
#ifndef BM_ERROR_H
#define BM_ERROR_H

#include <stddef.h>

typedef enum bm_status {
    BM_OK = 0,
    BM_ERR_RUNTIME = 1, /* bad data, unreadable file, failed computation */
    BM_ERR_USAGE = 2    /* bad command line, bad style or options */
} bm_status;

typedef struct bm_error {
    bm_status status;
    char file[512];    /* empty when no file is involved */
    long row;          /* 1-based line or feature number; 0 when not applicable */
    char field[160];   /* field name or JSON path; empty when not applicable */
    char message[512];
} bm_error;

void bm_error_clear(bm_error *err);

/* Records an error; any of file and field may be NULL, row may be 0.
 * Returns status so callers can write `return bm_error_set(...)`. */
bm_status bm_error_set(bm_error *err, bm_status status, const char *file,
                       long row, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* "FILE:ROW: field 'FIELD': MESSAGE", leaving out the parts that are empty. */
void bm_error_format(const bm_error *err, char *buf, size_t size);

#endif
