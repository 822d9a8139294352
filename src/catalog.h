/*
 * catalog.h — incident and deployment catalogs, read with OGR.
 *
 * A catalog is a table of records in input order: every input field kept
 * as text (ACLED column names: event_id_cnty, event_date, event_type,
 * country, admin1, location, latitude, longitude, ...) plus an optional
 * point. Any OGR-readable point table works: CSV and TSV (coordinates in
 * latitude/lat/y and longitude/lon/lng/long/x columns), XLSX, GeoJSON,
 * GeoJSONSeq, GeoPackage, FlatGeobuf, or "-" for GeoJSON/CSV on stdin.
 *
 * The format is detected from the header (column names compare without
 * regard to case):
 *   - ACLED exports, current and older (upper-case names, data_id, iso3):
 *     column names are lower-cased, event_date may be "14 September 2022",
 *     and the codebook's numeric columns are checked and typed;
 *   - UCDP GED: the codebook's columns are kept and typed, and the catalog
 *     fields are derived from them where the file lacks them (event_date
 *     from date_start, time_precision from date_prec, geo_precision from
 *     where_prec, fatalities from best, location from where_coordinates,
 *     admin1/admin2 from adm_1/adm_2, actor1/actor2 from side_a/side_b,
 *     event_type from type_of_violence, event_id_cnty from id);
 *   - anything else is a plain catalog.
 *
 * Every data row is accounted for: it is a record, or it was rejected
 * (with --skip-bad-rows) and is listed with its line and reason, or a
 * filter left it out and it is counted.
 */
#ifndef BM_CATALOG_H
#define BM_CATALOG_H

#include <stddef.h>

#include <ogr_api.h>

#include "error.h"

typedef struct bm_catalog bm_catalog;

typedef enum bm_input_format {
    BM_FORMAT_AUTO,
    BM_FORMAT_CATALOG,
    BM_FORMAT_ACLED,
    BM_FORMAT_UCDP_GED
} bm_input_format;

/* "auto", "catalog", "acled", "ucdp-ged"; parsing returns -1 when unknown. */
const char *bm_input_format_name(bm_input_format f);
int bm_input_format_parse(const char *name);

/* Called as rows are read: done so far, total (0 when unknown). */
typedef void (*bm_progress_fn)(void *ctx, size_t done, size_t total);

typedef struct bm_catalog_options {
    bm_input_format format;   /* BM_FORMAT_AUTO detects it from the header */
    const char *layer;        /* NULL: the dataset must have exactly one */
    int skip_bad_rows;        /* leave out and list bad rows instead of failing */
    /* Columns whose values are kept; the others read as "" (the columns
     * stay). The place columns (location, admin1, country) are always
     * kept, and points are whatever is kept. NULL keeps every value.
     * Saves memory where a command draws with a few columns. */
    const char *const *columns;
    /* Each may be NULL; all get ctx. bind is called once the columns are
     * known (to bind a filter, say); a record that keep rejects is counted
     * as filtered out and not kept; progress is called as rows are read
     * (done so far, total or 0 when unknown). */
    bm_status (*bind)(const bm_catalog *c, void *ctx, bm_error *err);
    int (*keep)(const bm_catalog *c, size_t record, void *ctx);
    bm_progress_fn progress;
    void *ctx;
} bm_catalog_options;

/* A row left out: where it starts and why. */
typedef struct bm_bad_row {
    long line;        /* physical line of a CSV (the header is line 1), or feature number */
    char field[96];   /* "" when the whole row is bad */
    char reason[256];
} bm_bad_row;

/* The embedded seed catalog. */
const char *bm_catalog_default_path(void);

/* Reads a whole catalog. Errors (missing file, malformed CSV structure,
 * invalid UTF-8, NUL bytes, a date or number that does not parse, NaN or
 * out-of-range coordinates, malformed GeoJSON, several layers and none
 * named) name the file, the row (the physical line of a CSV, the feature
 * number otherwise) and the field. opt may be NULL for the defaults. */
bm_catalog *bm_catalog_read_ex(const char *path, const bm_catalog_options *opt, bm_error *err);
bm_catalog *bm_catalog_read(const char *path, bm_error *err);
void bm_catalog_free(bm_catalog *c);

/* Streaming: opens a catalog and reads its header; then each successful
 * bm_catalog_next makes the next record record 0, the only one the
 * catalog holds, so memory stays flat however long the file. Returns 1
 * for a record, 0 at the end, -1 on error (err set). A thread reads a few
 * thousand rows ahead: keep and progress are called on it (bind on the
 * caller's, before bm_catalog_open returns). The account (rows read,
 * rejected, filtered) is whole once bm_catalog_next has returned 0;
 * bm_catalog_free stops the thread at any point. */
bm_catalog *bm_catalog_open(const char *path, const bm_catalog_options *opt, bm_error *err);
int bm_catalog_next(bm_catalog *c, bm_error *err);

const char *bm_catalog_path(const bm_catalog *c);
bm_input_format bm_catalog_format(const bm_catalog *c);
size_t bm_catalog_count(const bm_catalog *c);

/* Accounting: data rows in the input = records + rejected + filtered. */
size_t bm_catalog_rows_read(const bm_catalog *c);
size_t bm_catalog_rejected_count(const bm_catalog *c);
const bm_bad_row *bm_catalog_rejected(const bm_catalog *c, size_t i);
size_t bm_catalog_filtered_count(const bm_catalog *c);

/* Keeps the records for which keep(c, record, data) != 0, in order, and
 * counts the others as filtered out. */
void bm_catalog_retain(bm_catalog *c, int (*keep)(const bm_catalog *, size_t, void *), void *data);

size_t bm_catalog_field_count(const bm_catalog *c);
const char *bm_catalog_field_name(const bm_catalog *c, size_t field);
/* The OGR type a column is written with: integers, reals and dates where
 * the format's codebook gives them (see above), text otherwise. */
OGRFieldType bm_catalog_field_type(const bm_catalog *c, size_t field);
/* Index of a field by name, compared without regard to case, or -1. */
int bm_catalog_field_index(const bm_catalog *c, const char *name);

/* Whether name is a column of ACLED's current export (event_date,
 * event_type, geo_precision, fatalities, ...): styles may use these on any
 * catalog, and a catalog without one reads as "" there. */
int bm_catalog_is_standard_field(const char *name);

/* Sets field i of an OGR feature from catalog text; "" sets it null. */
void bm_catalog_set_ogr_field(OGRFeatureH f, int i, const char *text);

/* A record's value of a field as text ("" when null or out of range). */
const char *bm_catalog_value(const bm_catalog *c, size_t record, size_t field);
/* Same, by field name; "" when the catalog has no such field. */
const char *bm_catalog_get(const bm_catalog *c, size_t record, const char *name);
/* Replaces a record's value of a field (a column whose values are not
 * kept, see bm_catalog_options.columns, stays ""); BM_ERR_RUNTIME when
 * out of memory or out of range. */
bm_status bm_catalog_set_value(bm_catalog *c, size_t record, size_t field, const char *text);

/* The input line (CSV) or feature number of a record, for messages. */
long bm_catalog_row(const bm_catalog *c, size_t record);

/* Whether a record has a point, and where. Setting or clearing a point
 * also rewrites the record's latitude/longitude columns, if it has them,
 * so that fields and geometry always agree. */
int bm_catalog_point(const bm_catalog *c, size_t record, double *lon, double *lat);
void bm_catalog_set_point(bm_catalog *c, size_t record, double lon, double lat);
void bm_catalog_clear_point(bm_catalog *c, size_t record);
/* The number a record's latitude or longitude text reads as (strtod's),
 * when the record's point was read from that text: 1 and *value, else 0
 * (any other field, or a point from a geometry or set since). */
int bm_catalog_number(const bm_catalog *c, size_t record, size_t field, double *value);

/* Parses an event date as ACLED and UCDP write it: "2022-09-14",
 * "2022-09-14 00:00:00.000", "14 September 2022" or "5 Jun 2016".
 * Writes YYYY-MM-DD to out (at least 11 bytes); 0 when it is no date. */
int bm_catalog_parse_date(const char *text, char *out);

#endif
