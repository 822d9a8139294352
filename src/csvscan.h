/*
 * csvscan.h — a strict structural check of a CSV or TSV file.
 *
 * GDAL's CSV driver, which reads catalogs, is lenient: it swallows the
 * rows after an unterminated quote, accepts rows with too few or too many
 * fields and cuts values at NUL bytes. This module reads the file first,
 * strictly (libcsv with CSV_STRICT | CSV_STRICT_FINI), through GDAL's VSI
 * layer so that /vsimem/ paths work, and sorts its data rows into good and
 * bad; bm_csv_scan_write_good() then writes a copy without the bad rows
 * that a lenient reader cannot get wrong.
 *
 * The file is streamed: memory is one line number per good row, a few
 * numbers per bad row, and the longest row (at most BM_CSV_MAX_ROW_BYTES).
 *
 * Rules:
 *  - A UTF-8 byte order mark at the start is skipped.
 *  - Physical lines end at LF, CRLF or a lone CR (the row terminators of
 *    libcsv and of GDAL); line 1 is the first line of the file. Quoted
 *    fields may hold delimiters, doubled quotes and line breaks.
 *  - Blank lines (nothing but spaces) are not rows. A final line without a
 *    line break is fine. As libcsv does, spaces around a field or around
 *    its quotes are not part of it.
 *  - The first row is the header. No header, an empty column name, a name
 *    that is not UTF-8 or holds a NUL byte, two names equal when compared
 *    case-insensitively (ASCII), or a quote problem in the header are
 *    errors.
 *  - A data row is bad when it has another number of fields than the
 *    header, a NUL byte or invalid UTF-8 in a value, a malformed quote (a
 *    quote inside an unquoted value, or text after a closing quote), a
 *    quote still open at the end of the file, or when it runs on for more
 *    than BM_CSV_MAX_ROW_BYTES (in practice, a quote that never closes).
 *    For a wrong field count the field is "", since the values cannot be
 *    matched to columns; otherwise it names the column of the problem.
 *  - After a quote problem the row cannot be delimited: the bad row is
 *    then its start line alone, and scanning starts afresh at the next
 *    physical line, so that the rows after it are still checked.
 */
#ifndef BM_CSVSCAN_H
#define BM_CSVSCAN_H

#include <stddef.h>

#include "error.h"

/* A row longer than this (from the start of its first line) is bad. */
#define BM_CSV_MAX_ROW_BYTES (16L * 1024 * 1024)

typedef struct bm_csv_bad_row {
    long line;       /* physical line (1-based, the header is line 1) where the row starts */
    long end_line;   /* its last physical line; == line after a quote problem */
    long row;        /* data row number, 1 = first row after the header */
    char field[160]; /* column name the problem is in, "" when the whole row */
    char reason[256]; /* "12 fields where the header has 31", "unterminated quote",
                         "malformed quote", "NUL byte", "invalid UTF-8", ... */
} bm_csv_bad_row;

typedef struct bm_csv_scan bm_csv_scan;

/* Scans vsi_path (any VSI path: a file, /vsimem/...); user_path (NULL:
 * vsi_path) is the name used in messages. delim is ',' or '\t'.
 * Header problems, unreadable files and running out of memory are errors:
 * NULL, with err naming the file, the header line and the column. Row
 * problems are collected, not errors. */
bm_csv_scan *bm_csv_scan_file(const char *vsi_path, const char *user_path, char delim,
                              bm_error *err);
void bm_csv_scan_free(bm_csv_scan *s);

/* The header: column names as written (without quotes). */
size_t bm_csv_scan_column_count(const bm_csv_scan *s);
const char *bm_csv_scan_column(const bm_csv_scan *s, size_t i); /* "" out of range */

/* Good data rows, in file order: k is 0-based; 0 when out of range. */
size_t bm_csv_scan_good_rows(const bm_csv_scan *s);
long bm_csv_scan_good_row_line(const bm_csv_scan *s, size_t k);   /* physical start line */
long bm_csv_scan_good_row_number(const bm_csv_scan *s, size_t k); /* data row number */

/* Bad data rows, in file order (by line and by row number). The record is
 * built on demand into storage owned by s: it stays valid until the next
 * bm_csv_scan_bad() call on s or bm_csv_scan_free(); copy it to keep it.
 * (Kept so to hold memory at a few numbers per bad row.) NULL out of range. */
size_t bm_csv_scan_bad_count(const bm_csv_scan *s);
const bm_csv_bad_row *bm_csv_scan_bad(const bm_csv_scan *s, size_t i);

/* Copies vsi_src, the file that was scanned, to dst (a /vsimem/ or any
 * VSI path) leaving out the physical lines line..end_line of every bad
 * row, so that a lenient reader sees the header and the good rows only,
 * in order. The byte order mark, line breaks and blank lines are kept. */
bm_status bm_csv_scan_write_good(const bm_csv_scan *s, const char *vsi_src, const char *dst,
                                 bm_error *err);

#endif
