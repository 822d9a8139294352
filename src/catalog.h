/*
 * catalog.h — incident and deployment catalogs, read with OGR.
 *
 * A catalog is a table of records in input order: every input field kept
 * as text (ACLED column names: event_id_cnty, event_date, event_type,
 * country, admin1, location, latitude, longitude, ...) plus an optional
 * point. Any OGR-readable source works: CSV (latitude/longitude columns),
 * GeoJSON or GeoPackage (point geometry), or "-" for GeoJSON/CSV on stdin.
 */
#ifndef BM_CATALOG_H
#define BM_CATALOG_H

#include <stddef.h>

#include <ogr_api.h>

#include "error.h"

typedef struct bm_catalog bm_catalog;

/* The type of an ACLED column: time_precision, geo_precision and
 * fatalities are integers, latitude and longitude reals, event_date a
 * date (YYYY-MM-DD); other columns are text. Reading checks values of
 * typed columns; writers give the columns these types. */
OGRFieldType bm_catalog_column_type(const char *name);

/* Sets field i of an OGR feature from catalog text; "" sets it null. */
void bm_catalog_set_ogr_field(OGRFeatureH f, int i, const char *text);

/* The embedded seed catalog. */
const char *bm_catalog_default_path(void);

/* Reads a whole catalog. Errors (missing file, invalid UTF-8, NaN or
 * out-of-range coordinates, malformed GeoJSON) name the file, the row
 * (1-based data row, or feature number) and the field. */
bm_catalog *bm_catalog_read(const char *path, bm_error *err);
void bm_catalog_free(bm_catalog *c);

const char *bm_catalog_path(const bm_catalog *c);
size_t bm_catalog_count(const bm_catalog *c);

size_t bm_catalog_field_count(const bm_catalog *c);
const char *bm_catalog_field_name(const bm_catalog *c, size_t field);
/* Index of a field by exact name, or -1. */
int bm_catalog_field_index(const bm_catalog *c, const char *name);

/* A record's value of a field as text ("" when null or out of range). */
const char *bm_catalog_value(const bm_catalog *c, size_t record, size_t field);
/* Same, by field name; "" when the catalog has no such field. */
const char *bm_catalog_get(const bm_catalog *c, size_t record, const char *name);
/* Replaces a record's value of a field; BM_ERR_RUNTIME when out of memory
 * or out of range. */
bm_status bm_catalog_set_value(bm_catalog *c, size_t record, size_t field, const char *text);

/* The input row or feature number of a record, for error messages. */
long bm_catalog_row(const bm_catalog *c, size_t record);

/* Whether a record has a point, and where. Setting or clearing a point
 * also rewrites the record's latitude/longitude columns, if it has them,
 * so that fields and geometry always agree. */
int bm_catalog_point(const bm_catalog *c, size_t record, double *lon, double *lat);
void bm_catalog_set_point(bm_catalog *c, size_t record, double lon, double lat);
void bm_catalog_clear_point(bm_catalog *c, size_t record);

#endif
