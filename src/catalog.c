/*
 * catalog.c — reading incident and deployment catalogs through OGR.
 *
 * Every field is kept as text in input order; the point comes from a
 * Point geometry or from coordinate columns that the CSV driver is told
 * to leave as text so that they are parsed and checked here. GDAL's CSV
 * driver is lenient (ragged rows, runaway quotes, NUL bytes), so a CSV is
 * first checked line by line with libcsv (csvscan.h); with skip_bad_rows
 * OGR then reads a copy without the bad rows. Standard input is read into
 * a /vsimem/ file first, so its format can be sniffed and drivers can seek.
 *
 * A record is one allocation: the offsets of its fields, then their
 * NUL-terminated texts, so a million 31-column rows cost a million
 * allocations rather than thirty-one million.
 */
#include "catalog.h"
#include "confine.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <jansson.h>
#include <ogr_api.h>

#include "csvscan.h"
#include "geodata.h"

/* How a column's value is obtained: read from the input field src, or
 * derived from another column of the same record (UCDP GED). */
typedef enum derivation {
    FROM_INPUT,
    COPY_OF,
    TIME_PRECISION_OF, /* UCDP date_prec -> ACLED time_precision */
    GEO_PRECISION_OF,  /* UCDP where_prec -> ACLED geo_precision */
    VIOLENCE_TYPE_OF   /* UCDP type_of_violence -> event_type */
} derivation;

typedef struct column {
    char *name;
    OGRFieldType type;
    derivation how;
    int src; /* OGR field index (FROM_INPUT) or catalog column */
    /* A number the record does not keep and nothing derives from: any value
     * passes its checks, so it is not read (formatting doubles as text was
     * a tenth of drawing 100k points); a coordinate column still is when
     * the row has no geometry. */
    int unread;
} column;

/* A record's point; POINT_OF_TEXT when it was read from the latitude and
 * longitude columns' text, whose numbers it then is (see bm_catalog_number). */
typedef enum point_kind { NO_POINT, POINT, POINT_OF_TEXT } point_kind;

struct bm_catalog {
    char path[1024];
    bm_input_format format;
    size_t n_fields;
    column *cols;
    size_t count, cap;
    char **blobs; /* per record: uint32_t offsets[n_slots], then the texts */
    int *slot;    /* per column: its slot in a record, -1 when not kept; NULL: slot i */
    size_t n_slots;
    long *rows;
    unsigned char *has_point; /* a point_kind */
    double *lon, *lat;
    int lat_field, lon_field; /* text columns kept in step with the point; -1 if none */
    size_t rows_read, filtered;
    bm_bad_row *rejected;
    size_t n_rejected, cap_rejected;
    struct reader *rd; /* while reading; NULL once done */
    struct prefetch *pf; /* streaming: the reading thread, which owns the schema */
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

const char *bm_catalog_default_path(void)
{
    static _Thread_local char path[1024];
    return bm_geodata_path("catalog.csv", path, sizeof path);
}

static const char *const format_names[] = {"auto", "catalog", "acled", "ucdp-ged"};

const char *bm_input_format_name(bm_input_format f)
{
    return format_names[f];
}

int bm_input_format_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcasecmp(format_names[i], name) == 0)
            return i;
    return -1;
}

/* ---- records ------------------------------------------------------------ */

static int slot_of(const bm_catalog *c, size_t field)
{
    return c->slot ? c->slot[field] : (int)field;
}

static const char *blob_value(const bm_catalog *c, const char *blob, size_t field)
{
    const uint32_t *off = (const uint32_t *)(const void *)blob;
    int slot = slot_of(c, field);
    return slot < 0 ? "" : blob + c->n_slots * sizeof *off + off[slot];
}

/* A record of the kept values: value(i) is column i's text. */
static char *pack(const bm_catalog *c, const char *(*value)(const void *, size_t),
                  const void *ctx)
{
    size_t head = c->n_slots * sizeof(uint32_t), size = head;
    for (size_t i = 0; i < c->n_fields; i++)
        size += slot_of(c, i) < 0 ? 0 : strlen(value(ctx, i)) + 1;
    char *blob = size <= UINT32_MAX ? malloc(size ? size : 1) : NULL;
    if (!blob)
        return NULL;
    uint32_t *off = (uint32_t *)(void *)blob;
    size_t at = 0;
    for (size_t i = 0; i < c->n_fields; i++) {
        int slot = slot_of(c, i);
        if (slot < 0)
            continue;
        const char *v = value(ctx, i);
        size_t n = strlen(v) + 1;
        off[slot] = (uint32_t)at;
        memcpy(blob + head + at, v, n);
        at += n;
    }
    return blob;
}

static bm_status grow(bm_catalog *c, bm_error *err)
{
    if (c->count < c->cap)
        return BM_OK;
    size_t cap = c->cap ? c->cap * 2 : 64;
    char **blobs = realloc(c->blobs, cap * sizeof *blobs);
    if (blobs)
        c->blobs = blobs;
    long *rows = realloc(c->rows, cap * sizeof *rows);
    if (rows)
        c->rows = rows;
    unsigned char *has = realloc(c->has_point, cap);
    if (has)
        c->has_point = has;
    double *lon = realloc(c->lon, cap * sizeof *lon);
    if (lon)
        c->lon = lon;
    double *lat = realloc(c->lat, cap * sizeof *lat);
    if (lat)
        c->lat = lat;
    if (!blobs || !rows || !has || !lon || !lat)
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
    c->cap = cap;
    return BM_OK;
}

static bm_status add_rejected(bm_catalog *c, long line, const char *field, const char *reason,
                              bm_error *err)
{
    if (c->n_rejected == c->cap_rejected) {
        size_t cap = c->cap_rejected ? c->cap_rejected * 2 : 16;
        bm_bad_row *r = realloc(c->rejected, cap * sizeof *r);
        if (!r)
            return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
        c->rejected = r;
        c->cap_rejected = cap;
    }
    bm_bad_row *b = &c->rejected[c->n_rejected++];
    b->line = line;
    snprintf(b->field, sizeof b->field, "%s", field ? field : "");
    snprintf(b->reason, sizeof b->reason, "%s", reason);
    return BM_OK;
}

/* ---- values ------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

static int month_by_name(const char *s, size_t len)
{
    static const char *const months[] = {"january", "february", "march",     "april",
                                         "may",     "june",     "july",      "august",
                                         "september", "october", "november", "december"};
    for (int i = 0; i < 12; i++)
        if ((len == 3 || len == strlen(months[i])) && strncasecmp(s, months[i], len) == 0)
            return i + 1;
    return 0;
}

/* n digits at s as a number, or -1. (sscanf costs more than the rest of
 * reading a row.) */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* "14 September 2022" or "5 Jun 2016", as ACLED's exports write dates. */
static int parse_day_month_year(const char *s, int *y, int *m, int *d)
{
    int day_len = s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' ? 2 : 1;
    int day = digits(s, day_len);
    if (day < 0 || s[day_len] != ' ')
        return 0;
    const char *name = s + day_len + 1, *end = name;
    while (isalpha((unsigned char)*end))
        end++;
    int month = month_by_name(name, (size_t)(end - name));
    if (!month || *end != ' ' || (*y = digits(end + 1, 4)) < 0 || end[5] != '\0')
        return 0;
    *m = month, *d = day;
    return 1;
}

/* "2022-09-14", optionally followed by a time as UCDP writes it. */
static int parse_iso_date(const char *s, int *y, int *m, int *d)
{
    if ((*y = digits(s, 4)) < 0 || s[4] != '-' || (*m = digits(s + 5, 2)) < 0 || s[7] != '-' ||
        (*d = digits(s + 8, 2)) < 0)
        return 0;
    return s[10] == '\0' || s[10] == ' ' || s[10] == 'T';
}

int bm_catalog_parse_date(const char *text, char *out)
{
    int y = 0, m = 0, d = 0;
    if (!parse_iso_date(text, &y, &m, &d) && !parse_day_month_year(text, &y, &m, &d))
        return 0;
    if (y <= 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return 0;
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    memcpy(out, iso, 11);
    return 1;
}

/* A whole number at least 0; spreadsheets may give 5 as "5.0". */
static int normalise_count(const char *v, char *buf, size_t size)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (end != v && !*end && errno == 0 && n >= 0) {
        snprintf(buf, size, "%ld", n);
        return 1;
    }
    double x = strtod(v, &end);
    if (end == v || *end || !(x >= 0 && x < 1e15) || x != floor(x))
        return 0;
    snprintf(buf, size, "%.0f", x);
    return 1;
}

/* The catalog's text for value v of a typed column, in buf when it
 * changes; NULL when v does not parse. */
static const char *typed_text(OGRFeatureH f, int i, OGRFieldType type, const char *v, char *buf,
                              size_t size)
{
    if (!*v || type == OFTString || type == OFTReal)
        return v;
    if (type == OFTInteger)
        return normalise_count(v, buf, size) ? buf : NULL;
    int y, m, d, h, min, tz;
    float sec;
    OGRFieldType given = i >= 0 ? OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i)) : OFTString;
    if ((given == OFTDate || given == OFTDateTime) &&
        OGR_F_GetFieldAsDateTimeEx(f, i, &y, &m, &d, &h, &min, &sec, &tz)) {
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
        return buf;
    }
    return bm_catalog_parse_date(v, buf) ? buf : NULL;
}

static const char *type_expectation(OGRFieldType type)
{
    return type == OFTDate ? "a date (YYYY-MM-DD or d Month YYYY)"
                           : "a whole number of at least 0";
}

/* Parses a coordinate written as text; "" means absent (returns 0). */
static int parse_coordinate(const char *text, double limit, double *out, char *why, size_t size)
{
    while (*text == ' ')
        text++;
    if (!*text)
        return 0;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    while (*end == ' ')
        end++;
    if (end == text || *end || errno == ERANGE || !isfinite(v)) {
        snprintf(why, size, "'%s' is not a number", text);
        return -1;
    }
    if (fabs(v) > limit) {
        snprintf(why, size, "%s is out of range [-%g, %g]", text, limit, limit);
        return -1;
    }
    *out = v;
    return 1;
}

/* ---- columns and formats ------------------------------------------------ */

enum { ANY = 7, ACLED = 1, UCDP = 2 };

static const struct {
    int formats;
    const char *name;
    OGRFieldType type;
} typed_columns[] = {
    {ANY, "event_date", OFTDate},           {ANY, "time_precision", OFTInteger},
    {ANY, "geo_precision", OFTInteger},     {ANY, "fatalities", OFTInteger},
    {ANY, "latitude", OFTReal},             {ANY, "longitude", OFTReal},
    {ACLED, "year", OFTInteger},            {ACLED, "iso", OFTInteger},
    {ACLED, "timestamp", OFTInteger},       {ACLED, "data_id", OFTInteger},
    {ACLED, "event_id_no_cnty", OFTInteger}, {UCDP, "id", OFTInteger},
    {UCDP, "year", OFTInteger},             {UCDP, "type_of_violence", OFTInteger},
    {UCDP, "conflict_new_id", OFTInteger},  {UCDP, "dyad_new_id", OFTInteger},
    {UCDP, "side_a_new_id", OFTInteger},    {UCDP, "side_b_new_id", OFTInteger},
    {UCDP, "number_of_sources", OFTInteger}, {UCDP, "event_clarity", OFTInteger},
    {UCDP, "where_prec", OFTInteger},       {UCDP, "date_prec", OFTInteger},
    {UCDP, "country_id", OFTInteger},       {UCDP, "deaths_a", OFTInteger},
    {UCDP, "deaths_b", OFTInteger},         {UCDP, "deaths_civilians", OFTInteger},
    {UCDP, "deaths_unknown", OFTInteger},   {UCDP, "best", OFTInteger},
    {UCDP, "high", OFTInteger},             {UCDP, "low", OFTInteger},
    {UCDP, "date_start", OFTDate},          {UCDP, "date_end", OFTDate},
};

static int format_bit(bm_input_format f)
{
    return f == BM_FORMAT_ACLED ? ACLED : f == BM_FORMAT_UCDP_GED ? UCDP : 4;
}

static OGRFieldType column_type(bm_input_format f, const char *name)
{
    for (size_t i = 0; i < sizeof typed_columns / sizeof *typed_columns; i++)
        if ((typed_columns[i].formats & format_bit(f)) && strcasecmp(typed_columns[i].name, name) == 0)
            return typed_columns[i].type;
    return OFTString;
}

/* The catalog fields a UCDP GED file lacks, and where they come from. */
static const struct {
    const char *name, *from;
    derivation how;
} ucdp_fields[] = {
    {"event_id_cnty", "id", COPY_OF},
    {"event_date", "date_start", COPY_OF},
    {"time_precision", "date_prec", TIME_PRECISION_OF},
    {"event_type", "type_of_violence", VIOLENCE_TYPE_OF},
    {"actor1", "side_a", COPY_OF},
    {"actor2", "side_b", COPY_OF},
    {"admin1", "adm_1", COPY_OF},
    {"admin2", "adm_2", COPY_OF},
    {"location", "where_coordinates", COPY_OF},
    {"geo_precision", "where_prec", GEO_PRECISION_OF},
    {"fatalities", "best", COPY_OF},
};

static const char *const acled_required[] = {"event_id_cnty", "event_date", "event_type", NULL};
static const char *const ucdp_required[] = {"id", "date_start", "type_of_violence", "best",
                                            NULL};

/* OGR compares field names without regard to case. */
static int has_field(OGRFeatureDefnH defn, const char *name)
{
    return OGR_FD_GetFieldIndex(defn, name) >= 0;
}

static const char *first_missing(OGRFeatureDefnH defn, const char *const *names)
{
    for (; *names; names++)
        if (!has_field(defn, *names))
            return *names;
    return NULL;
}

static bm_status detect_format(bm_catalog *c, OGRFeatureDefnH defn, bm_input_format asked,
                               bm_error *err)
{
    const char *acled_missing = first_missing(defn, acled_required);
    const char *ucdp_missing = first_missing(defn, ucdp_required);
    if (asked == BM_FORMAT_AUTO)
        asked = !acled_missing  ? BM_FORMAT_ACLED
                : !ucdp_missing ? BM_FORMAT_UCDP_GED
                                : BM_FORMAT_CATALOG;
    const char *missing = asked == BM_FORMAT_ACLED       ? acled_missing
                          : asked == BM_FORMAT_UCDP_GED ? ucdp_missing
                                                        : NULL;
    if (missing)
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, missing,
                            "no such column, which every %s file has",
                            asked == BM_FORMAT_ACLED ? "ACLED" : "UCDP GED");
    c->format = asked;
    return BM_OK;
}

static bm_status add_column(bm_catalog *c, const char *name, derivation how, int src,
                            bm_error *err)
{
    column *col = &c->cols[c->n_fields];
    if (!(col->name = dup_str(name)))
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
    /* ACLED's older exports write the same columns in upper case. */
    if (c->format == BM_FORMAT_ACLED)
        for (char *p = col->name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; i < c->n_fields; i++)
        if (strcasecmp(c->cols[i].name, name) == 0) {
            /* Not counted in n_fields yet: the catalog's free would miss it. */
            free(col->name);
            col->name = NULL;
            return bm_error_set(err, BM_ERR_RUNTIME, c->path, 1, name,
                                "column %zu repeats the name of column %zu", c->n_fields + 1,
                                i + 1);
        }
    col->type = column_type(how == FROM_INPUT ? c->format : BM_FORMAT_CATALOG, name);
    col->how = how;
    col->src = src;
    c->n_fields++;
    return BM_OK;
}

static bm_status add_ucdp_columns(bm_catalog *c, bm_error *err)
{
    for (size_t i = 0; i < sizeof ucdp_fields / sizeof *ucdp_fields; i++) {
        int from = bm_catalog_field_index(c, ucdp_fields[i].from);
        if (bm_catalog_field_index(c, ucdp_fields[i].name) >= 0 || from < 0)
            continue;
        if (add_column(c, ucdp_fields[i].name, ucdp_fields[i].how, from, err) != BM_OK)
            return err->status;
    }
    return BM_OK;
}

/* The first column with one of the names, in order of preference. */
static int find_column(const bm_catalog *c, const char *const *names)
{
    for (; *names; names++) {
        int i = bm_catalog_field_index(c, *names);
        if (i >= 0 && c->cols[i].how == FROM_INPUT)
            return i;
    }
    return -1;
}

static bm_status set_columns(bm_catalog *c, OGRFeatureDefnH defn, bm_error *err)
{
    static const char *const lat_names[] = {"latitude", "lat", "y", NULL};
    static const char *const lon_names[] = {"longitude", "lon", "lng", "long", "x", NULL};
    size_t n_in = (size_t)OGR_FD_GetFieldCount(defn);
    size_t n_derived = sizeof ucdp_fields / sizeof *ucdp_fields;
    if (!(c->cols = calloc(n_in + n_derived + 1, sizeof *c->cols)))
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
    for (size_t i = 0; i < n_in; i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, (int)i));
        if (!CPLIsUTF8(name, -1))
            return bm_error_set(err, BM_ERR_RUNTIME, c->path, 1, NULL,
                                "column %zu: name is not valid UTF-8", i + 1);
        if (add_column(c, name, FROM_INPUT, (int)i, err) != BM_OK)
            return err->status;
    }
    if (c->format == BM_FORMAT_UCDP_GED && add_ucdp_columns(c, err) != BM_OK)
        return err->status;
    c->lat_field = find_column(c, lat_names);
    c->lon_field = find_column(c, lon_names);
    return BM_OK;
}

/* ---- one record --------------------------------------------------------- */

/* A record under construction: its texts back to back, and offsets. */
typedef struct builder {
    char *text;
    size_t len, cap;
    uint32_t *off;
    char (*scratch)[32]; /* per column, for typed values rewritten */
    int utf8_checked;    /* the CSV check has validated every value */
} builder;

static int append(builder *b, size_t field, const char *s)
{
    size_t n = strlen(s) + 1;
    if (b->len + n > b->cap) {
        size_t cap = (b->len + n) * 2;
        /* s may point into text itself (a derived value); before the
         * first value text is NULL, and NULL + 0 is undefined. */
        ptrdiff_t inside = b->text && s >= b->text && s < b->text + b->len ? s - b->text : -1;
        char *t = realloc(b->text, cap);
        if (!t)
            return 0;
        b->text = t;
        b->cap = cap;
        if (inside >= 0)
            s = t + inside;
    }
    if (b->len + n > UINT32_MAX)
        return 0;
    b->off[field] = (uint32_t)b->len;
    memmove(b->text + b->len, s, n);
    b->len += n;
    return 1;
}

static const char *built(const builder *b, size_t field)
{
    return b->text + b->off[field];
}

static const char *derive(const column *col, const char *from)
{
    static const char *const time_precision[] = {"", "1", "2", "2", "3", "4"};
    static const char *const geo_precision[] = {"", "1", "2", "2", "3", "3", "3", "3"};
    static const char *const violence[] = {"", "State-based conflict", "Non-state conflict",
                                           "One-sided violence"};
    long v = *from ? strtol(from, NULL, 10) : 0;
    switch (col->how) {
    case TIME_PRECISION_OF: return v >= 1 && v <= 5 ? time_precision[v] : "";
    case GEO_PRECISION_OF: return v >= 1 && v <= 7 ? geo_precision[v] : "";
    case VIOLENCE_TYPE_OF: return v >= 1 && v <= 3 ? violence[v] : "";
    default: return from;
    }
}

/* Why a row cannot be read: its field and the reason. */
typedef struct row_problem {
    const char *field;
    char reason[256];
} row_problem;

static int input_value(const bm_catalog *c, builder *b, OGRFeatureH f, size_t i,
                       row_problem *p)
{
    const column *col = &c->cols[i];
    const char *v = OGR_F_IsFieldSetAndNotNull(f, col->src) ? OGR_F_GetFieldAsString(f, col->src)
                                                            : "";
    if (!b->utf8_checked && !CPLIsUTF8(v, -1)) {
        p->field = col->name;
        snprintf(p->reason, sizeof p->reason, "value is not valid UTF-8");
        return 0;
    }
    const char *t = typed_text(f, col->src, col->type, v, b->scratch[i], sizeof b->scratch[i]);
    if (!t) {
        p->field = col->name;
        snprintf(p->reason, sizeof p->reason, "'%.120s' is not %s", v,
                 type_expectation(col->type));
        return 0;
    }
    return append(b, i, t) || (snprintf(p->reason, sizeof p->reason, "out of memory"), 0);
}

static int point_of_geometry(OGRGeometryH g, double *lon, double *lat, row_problem *p)
{
    p->field = "geometry";
    if (wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint) {
        snprintf(p->reason, sizeof p->reason, "expected a Point, got %s",
                 OGR_G_GetGeometryName(g));
        return -1;
    }
    *lon = OGR_G_GetX(g, 0), *lat = OGR_G_GetY(g, 0);
    if (!isfinite(*lon) || !isfinite(*lat) || fabs(*lon) > 180 || fabs(*lat) > 90) {
        snprintf(p->reason, sizeof p->reason,
                 "coordinates (%g, %g) are not a longitude and latitude", *lon, *lat);
        return -1;
    }
    return 1;
}

static int point_of_fields(const bm_catalog *c, const builder *b, double *lon, double *lat,
                           row_problem *p)
{
    if (c->lat_field < 0 || c->lon_field < 0)
        return 0;
    const char *lat_name = c->cols[c->lat_field].name, *lon_name = c->cols[c->lon_field].name;
    p->field = lat_name;
    int has_lat = parse_coordinate(built(b, (size_t)c->lat_field), 90, lat, p->reason,
                                   sizeof p->reason);
    if (has_lat < 0)
        return -1;
    p->field = lon_name;
    int has_lon = parse_coordinate(built(b, (size_t)c->lon_field), 180, lon, p->reason,
                                   sizeof p->reason);
    if (has_lon < 0)
        return -1;
    if (has_lat != has_lon) {
        p->field = has_lat ? lon_name : lat_name;
        snprintf(p->reason, sizeof p->reason, "empty while %s is given",
                 has_lat ? lat_name : lon_name);
        return -1;
    }
    return has_lat;
}

/* Reads feature f into b; returns the point_kind, or -1 on a problem. */
static int build_record(const bm_catalog *c, builder *b, OGRFeatureH f, double *lon, double *lat,
                        row_problem *p)
{
    b->len = 0;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    int has_geometry = g && !OGR_G_IsEmpty(g);
    for (size_t i = 0; i < c->n_fields; i++) {
        const column *col = &c->cols[i];
        int coordinate = (int)i == c->lat_field || (int)i == c->lon_field;
        if (col->unread && (has_geometry || !coordinate)) {
            if (!append(b, i, ""))
                return snprintf(p->reason, sizeof p->reason, "out of memory"), -1;
        } else if (col->how == FROM_INPUT ? !input_value(c, b, f, i, p)
                                          : !append(b, i, derive(col, built(b, (size_t)col->src)))) {
            return -1;
        }
    }
    if (has_geometry)
        return point_of_geometry(g, lon, lat, p);
    int got = point_of_fields(c, b, lon, lat, p);
    return got > 0 ? POINT_OF_TEXT : got;
}

/* Where reading stands: the dataset, the CSV check and the record being
 * built. Lives from bm_catalog_open (or read) to the last record. */
typedef struct reader {
    const char *path; /* as the user named it, for messages */
    bm_catalog_options opt;
    bm_csv_scan *scan; /* CSV only: the physical line of each good row */
    size_t total;      /* rows expected, 0 when unknown */
    GDALDatasetH ds;
    OGRLayerH layer;
    builder b;
    size_t fetched;       /* features read so far */
    char stdin_path[1100], good_path[1200];
} reader;

static const char *builder_value(const void *b, size_t field)
{
    return built(b, field);
}

static bm_status store_record(bm_catalog *c, const reader *r, long row, int has_point,
                              double lon, double lat, bm_error *err)
{
    char *blob = grow(c, err) == BM_OK ? pack(c, builder_value, &r->b) : NULL;
    if (!blob)
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, row, NULL, "out of memory");
    size_t rec = c->count++;
    c->blobs[rec] = blob;
    c->rows[rec] = row;
    c->has_point[rec] = (unsigned char)(has_point > 0 ? has_point : NO_POINT);
    c->lon[rec] = has_point > 0 ? lon : 0;
    c->lat[rec] = has_point > 0 ? lat : 0;
    return BM_OK;
}

/* Drops the last record when keep rejects it; returns 1 when it stays. */
static int keep_record(bm_catalog *c, const reader *r)
{
    size_t rec = c->count - 1;
    if (!r->opt.keep || r->opt.keep(c, rec, r->opt.ctx))
        return 1;
    free(c->blobs[rec]);
    c->count--;
    c->filtered++;
    return 0;
}

/* Reads feature f: 1 when it became a record, 0 when it was rejected or
 * filtered out, -1 on error. */
static int read_record(bm_catalog *c, reader *r, OGRFeatureH f, long row, bm_error *err)
{
    row_problem p = {NULL, ""};
    double lon = 0, lat = 0;
    int has_point = build_record(c, &r->b, f, &lon, &lat, &p);
    if (has_point >= 0)
        return store_record(c, r, row, has_point, lon, lat, err) == BM_OK ? keep_record(c, r)
                                                                          : -1;
    if (r->opt.skip_bad_rows)
        return add_rejected(c, row, p.field, p.reason, err) == BM_OK ? 0 : -1;
    bm_error_set(err, BM_ERR_RUNTIME, r->path, row, p.field, "%s", p.reason);
    return -1;
}

static void report_progress(const reader *r)
{
    if (r->opt.progress)
        r->opt.progress(r->opt.ctx, r->fetched, r->total);
}

/* After the last feature: GDAL's own errors, and the CSV check's count. */
static bm_status finish_features(const reader *r, bm_error *err)
{
    if (CPLGetLastErrorType() >= CE_Failure)
        return bm_error_set(err, BM_ERR_RUNTIME, r->path, (long)r->fetched + 1, NULL, "%s",
                            CPLGetLastErrorMsg());
    if (r->scan && r->fetched != bm_csv_scan_good_rows(r->scan))
        return bm_error_set(err, BM_ERR_RUNTIME, r->path, 0, NULL,
                            "GDAL read %zu rows where the CSV has %zu", r->fetched,
                            bm_csv_scan_good_rows(r->scan));
    return BM_OK;
}

/* The next record: 1, 0 at the end, -1 on error. */
static int next_record(bm_catalog *c, reader *r, bm_error *err)
{
    int got = 0;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    while (got == 0) {
        OGRFeatureH f = OGR_L_GetNextFeature(r->layer);
        if (!f) {
            got = finish_features(r, err) == BM_OK ? 0 : -1;
            break;
        }
        long row = r->scan ? bm_csv_scan_good_row_line(r->scan, r->fetched)
                           : (long)r->fetched + 1;
        r->fetched++;
        c->rows_read++;
        if (c->rows_read > bm_limits_get()->features) {
            OGR_F_Destroy(f);
            bm_error_set(err, BM_ERR_RUNTIME, c->path, row, NULL,
                         "more than the limit of %llu rows (BORDERMAP_MAX_FEATURES)",
                         bm_limits_get()->features);
            got = -1;
            break;
        }
        got = read_record(c, r, f, row, err);
        OGR_F_Destroy(f);
        report_progress(r);
    }
    CPLPopErrorHandler();
    return got;
}

/* Which columns keep their values: those asked for, and always the place
 * columns that geocoding and accounting read. (Coordinates live in the
 * point whatever is kept.) */
static bm_status choose_columns(bm_catalog *c, const reader *r, bm_error *err)
{
    static const char *const always[] = {"location", "admin1", "country", NULL};
    c->n_slots = c->n_fields;
    if (!r->opt.columns)
        return BM_OK;
    if (!(c->slot = calloc(c->n_fields + 1, sizeof *c->slot)))
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
    c->n_slots = 0;
    for (size_t i = 0; i < c->n_fields; i++) {
        int keep = 0;
        for (const char *const *n = always; !keep && *n; n++)
            keep = strcasecmp(*n, c->cols[i].name) == 0;
        for (const char *const *n = r->opt.columns; !keep && *n; n++)
            keep = strcasecmp(*n, c->cols[i].name) == 0;
        c->slot[i] = keep ? (int)c->n_slots++ : -1;
    }
    return BM_OK;
}

/* Marks the columns that need not be read (column.unread). */
static void mark_unread(bm_catalog *c, OGRFeatureDefnH defn)
{
    for (size_t i = 0; c->slot && i < c->n_fields; i++) {
        column *col = &c->cols[i];
        if (c->slot[i] >= 0 || col->how != FROM_INPUT ||
            (col->type != OFTString && col->type != OFTReal))
            continue;
        OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, col->src));
        int used = !(t == OFTInteger || t == OFTInteger64 || t == OFTReal);
        for (size_t k = 0; !used && k < c->n_fields; k++)
            used = c->cols[k].how != FROM_INPUT && c->cols[k].src == (int)i;
        col->unread = !used;
    }
}

static bm_status start_layer(bm_catalog *c, reader *r, bm_error *err)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->layer);
    if (detect_format(c, defn, r->opt.format, err) != BM_OK ||
        set_columns(c, defn, err) != BM_OK || choose_columns(c, r, err) != BM_OK)
        return err->status;
    mark_unread(c, defn);
    r->b.utf8_checked = r->scan != NULL;
    r->b.off = calloc(c->n_fields + 1, sizeof *r->b.off);
    r->b.scratch = calloc(c->n_fields + 1, sizeof *r->b.scratch);
    if (!r->b.off || !r->b.scratch)
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
    if (!r->scan) {
        GIntBig n = OGR_L_GetFeatureCount(r->layer, FALSE);
        r->total = n > 0 ? (size_t)n : 0;
    }
    OGR_L_ResetReading(r->layer);
    CPLErrorReset();
    if (r->opt.bind && r->opt.bind(c, r->opt.ctx, err) != BM_OK)
        return err->status;
    return BM_OK;
}

static void list_layers(GDALDatasetH ds, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < GDALDatasetGetLayerCount(ds) && at < size; i++) {
        int n = snprintf(buf + at, size - at, "%s%s", i ? ", " : "",
                         OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
        at += n > 0 ? (size_t)n : 0;
    }
}

static OGRLayerH pick_layer(GDALDatasetH ds, const char *name, const char *path, bm_error *err)
{
    int n = GDALDatasetGetLayerCount(ds);
    char names[400];
    list_layers(ds, names, sizeof names);
    if (name) {
        OGRLayerH l = GDALDatasetGetLayerByName(ds, name);
        if (!l)
            bm_error_set(err, BM_ERR_USAGE, path, 0, NULL, "no layer '%s' (layers: %s)", name,
                         names);
        return l;
    }
    if (n == 1)
        return GDALDatasetGetLayer(ds, 0);
    if (n == 0)
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "dataset has no layer");
    else
        bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                     "%d layers (%s): name the catalog's with --layer", n, names);
    return NULL;
}

/* Copies standard input to a /vsimem/ file named by its content: JSON
 * starts with '{' or '[', anything else is taken for CSV. */
static bm_status slurp_stdin(char *mem_path, size_t size, bm_error *err)
{
    unsigned long long max = bm_limits_get()->input_bytes;
    size_t len = 0, cap = 1 << 16;
    GByte *buf = VSIMalloc(cap), *grown;
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += n;
        if (len > max) {
            CPLFree(buf);
            return bm_error_set(err, BM_ERR_RUNTIME, "-", 0, NULL,
                                "standard input holds more than the limit of %llu bytes "
                                "(BORDERMAP_MAX_INPUT_BYTES)",
                                max);
        }
        if (len == cap) {
            cap = cap * 2 > max + 1 ? (size_t)max + 1 : cap * 2;
            if (!(grown = VSIRealloc(buf, cap)))
                CPLFree(buf);
            buf = grown;
        }
    }
    if (!buf)
        return bm_error_set(err, BM_ERR_RUNTIME, "-", 0, NULL,
                            "out of memory reading standard input (%zu bytes read)", len);
    if (ferror(stdin)) {
        CPLFree(buf);
        return bm_error_set(err, BM_ERR_RUNTIME, "-", 0, NULL, "cannot read standard input");
    }
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    int json = i < len && (buf[i] == '{' || buf[i] == '[');
    snprintf(mem_path, size, "/vsimem/bm_catalog_stdin_%p.%s", (void *)buf,
             json ? "geojson" : "csv");
    VSIFCloseL(VSIFileFromMemBuffer(mem_path, buf, (vsi_l_offset)len, TRUE));
    return BM_OK;
}

/* GDAL says only that JSON failed to parse; jansson (a dependency
 * already) says where. Returns 1 when it found a syntax error. */
static int locate_json_error(const char *path, const char *user_path, bm_error *err)
{
    const char *ext = strrchr(path, '.');
    if (!ext || (strcasecmp(ext, ".geojson") != 0 && strcasecmp(ext, ".json") != 0))
        return 0;
    VSILFILE *fp = VSIFOpenL(path, "rb");
    if (!fp)
        return 0;
    VSIFSeekL(fp, 0, SEEK_END);
    size_t len = (size_t)VSIFTellL(fp);
    VSIFSeekL(fp, 0, SEEK_SET);
    char *buf = CPLMalloc(len + 1);
    len = VSIFReadL(buf, 1, len, fp);
    VSIFCloseL(fp);
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, 0, &jerr);
    CPLFree(buf);
    if (root) {
        json_decref(root);
        return 0;
    }
    bm_error_set(err, BM_ERR_RUNTIME, user_path, jerr.line, NULL,
                 "malformed JSON at column %d: %s", jerr.column, jerr.text);
    return 1;
}

static int has_extension(const char *path, const char *const *exts)
{
    const char *ext = strrchr(path, '.');
    for (; ext && *exts; exts++)
        if (strcasecmp(ext, *exts) == 0)
            return 1;
    return 0;
}

static GDALDatasetH open_dataset(const char *path, const char *user_path, int is_csv,
                                 bm_error *err)
{
    /* Coordinates and typed columns stay text so that "nan" or "91" are
     * caught here with their line rather than silently becoming nulls. */
    static const char *const csv_options[] = {"AUTODETECT_TYPE=NO", "KEEP_GEOM_COLUMNS=YES",
                                              "EMPTY_STRING_AS_NULL=NO", NULL};
    /* A catalog has a header row even when every cell of it is text. */
    static const char *const sheet_options[] = {"HEADERS=FORCE", NULL};
    static const char *const sheets[] = {".xlsx", ".ods", NULL};
    const char *const *options = is_csv                        ? csv_options
                                 : has_extension(path, sheets) ? sheet_options
                                                               : NULL;
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = bm_open_vector(path, 0, options);
    CPLPopErrorHandler();
    if (!ds && !locate_json_error(path, user_path, err)) {
        const char *msg = CPLGetLastErrorMsg();
        bm_error_set(err, BM_ERR_RUNTIME, user_path, 0, NULL,
                     "not a readable vector dataset%s%s", *msg ? ": " : "", msg);
    }
    return ds;
}

static int is_delimited(const char *path)
{
    static const char *const delimited[] = {".csv", ".tsv", NULL};
    return has_extension(path, delimited);
}

/* The separator GDAL's CSV driver will use: tab for .tsv, else the most
 * frequent of , ; tab | in the header line, as the driver decides. */
static char guess_delimiter(const char *path)
{
    const char *ext = strrchr(path, '.');
    if (ext && strcasecmp(ext, ".tsv") == 0)
        return '\t';
    char line[4096] = "";
    VSILFILE *fp = VSIFOpenL(path, "rb");
    size_t n = fp ? VSIFReadL(line, 1, sizeof line - 1, fp) : 0;
    if (fp)
        VSIFCloseL(fp);
    line[n] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    static const char candidates[] = ",;\t|";
    char best = ',';
    size_t best_count = 0;
    for (const char *d = candidates; *d; d++) {
        size_t count = 0;
        for (const char *p = line; *p; p++)
            count += *p == *d;
        if (count > best_count)
            best = *d, best_count = count;
    }
    return best;
}

/* Checks a CSV's structure. Bad rows fail the read or, with skip_bad_rows,
 * are listed and left out of a copy that OGR reads instead (good_path). */
static bm_status check_csv(bm_catalog *c, reader *r, const char *path, bm_error *err)
{
    if (!(r->scan = bm_csv_scan_file(path, r->path, guess_delimiter(path), err)))
        return err->status;
    size_t bad = bm_csv_scan_bad_count(r->scan);
    r->total = bm_csv_scan_good_rows(r->scan);
    c->rows_read += bad;
    if (bad == 0)
        return BM_OK;
    const bm_csv_bad_row *first = bm_csv_scan_bad(r->scan, 0);
    if (!r->opt.skip_bad_rows)
        return bm_error_set(err, BM_ERR_RUNTIME, r->path, first->line,
                            first->field[0] ? first->field : NULL,
                            "%s (%zu bad row%s in all; --skip-bad-rows leaves them out)",
                            first->reason, bad, bad == 1 ? "" : "s");
    for (size_t i = 0; i < bad; i++) {
        const bm_csv_bad_row *b = bm_csv_scan_bad(r->scan, i);
        if (add_rejected(c, b->line, b->field, b->reason, err) != BM_OK)
            return err->status;
    }
    snprintf(r->good_path, sizeof r->good_path, "/vsimem/bm_catalog_good_%p%s", (void *)c,
             strrchr(path, '.'));
    return bm_csv_scan_write_good(r->scan, path, r->good_path, err);
}

static bm_status open_reader(bm_catalog *c, reader *r, const char *path, bm_error *err)
{
    if (bm_limits_check_file(path, err) != BM_OK)
        return err->status;
    VSILFILE *probe = VSIFOpenL(path, "rb");
    if (!probe)
        return bm_error_set(err, BM_ERR_RUNTIME, r->path, 0, NULL, "no such file");
    VSIFCloseL(probe);
    if (is_delimited(path) && check_csv(c, r, path, err) != BM_OK)
        return err->status;
    r->ds = open_dataset(*r->good_path ? r->good_path : path, r->path, r->scan != NULL, err);
    if (!r->ds || !(r->layer = pick_layer(r->ds, r->opt.layer, r->path, err)))
        return err->status;
    return start_layer(c, r, err);
}

static void close_reader(bm_catalog *c)
{
    reader *r = c->rd;
    if (!r)
        return;
    if (r->ds)
        GDALClose(r->ds);
    if (*r->good_path)
        VSIUnlink(r->good_path);
    if (*r->stdin_path)
        VSIUnlink(r->stdin_path);
    bm_csv_scan_free(r->scan);
    free(r->b.text);
    free(r->b.off);
    free(r->b.scratch);
    free(r);
    c->rd = NULL;
}

static bm_catalog *begin(const char *path, const bm_catalog_options *opt, bm_error *err)
{
    bm_init();
    if (strlen(path) >= sizeof ((bm_catalog *)NULL)->path) {
        bm_error_set(err, BM_ERR_USAGE, path, 0, NULL, "path too long (%zu bytes at most)",
                     sizeof ((bm_catalog *)NULL)->path - 1);
        return NULL;
    }
    bm_catalog *c = calloc(1, sizeof *c);
    reader *r = c ? calloc(1, sizeof *r) : NULL;
    if (!r) {
        free(c);
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(c->path, sizeof c->path, "%s", path);
    c->lat_field = c->lon_field = -1;
    c->rd = r;
    r->path = c->path;
    if (opt)
        r->opt = *opt;
    bm_status st = strcmp(path, "-") == 0
                       ? slurp_stdin(r->stdin_path, sizeof r->stdin_path, err)
                       : BM_OK;
    if (st == BM_OK)
        st = open_reader(c, r, *r->stdin_path ? r->stdin_path : path, err);
    if (st != BM_OK) {
        bm_catalog_free(c);
        return NULL;
    }
    return c;
}

/* ---- streaming ---------------------------------------------------------- */

/* A stream reads ahead in a thread of its own: GDAL's parsing of the next
 * rows overlaps the caller's work on this one (geocoding, writing), which
 * is what makes a streamed conversion as fast as ogr2ogr's. The thread
 * fills a source catalog, hands its records over a batch at a time, and
 * alone touches the source until it has been joined. */
#define PREFETCH_BATCH 4096

typedef struct batch {
    char **blobs;
    long *rows;
    unsigned char *has_point;
    double *lon, *lat;
    size_t n, next;
} batch;

typedef struct prefetch {
    bm_catalog *src;
    pthread_t thread;
    int joined;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch ready;   /* handed over, waiting for the caller */
    int has_ready, done, stop;
    int got;       /* the reading's end: 0, or -1 with err */
    bm_error err;
    batch cur;     /* the caller's: being consumed */
} prefetch;

static void batch_free(batch *b)
{
    for (size_t i = b->next; i < b->n; i++)
        free(b->blobs[i]);
    free(b->blobs);
    free(b->rows);
    free(b->has_point);
    free(b->lon);
    free(b->lat);
    memset(b, 0, sizeof *b);
}

/* Moves the source's records into b; the source starts afresh. */
static void take_records(bm_catalog *src, batch *b)
{
    *b = (batch){src->blobs, src->rows, src->has_point, src->lon, src->lat, src->count, 0};
    src->blobs = NULL, src->rows = NULL, src->has_point = NULL;
    src->lon = NULL, src->lat = NULL;
    src->count = src->cap = 0;
}

static void *prefetch_main(void *arg)
{
    prefetch *p = arg;
    bm_catalog *src = p->src;
    int got = 1;
    while (got > 0) {
        while (src->count < PREFETCH_BATCH && (got = next_record(src, src->rd, &p->err)) > 0)
            continue;
        pthread_mutex_lock(&p->mu);
        while (p->has_ready && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        if (!p->stop) {
            take_records(src, &p->ready);
            p->has_ready = 1;
        }
        if (got <= 0 || p->stop) {
            p->done = 1;
            p->got = got > 0 ? 0 : got;
        }
        got = p->stop ? 0 : got;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

static void prefetch_join(prefetch *p)
{
    if (p->joined)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->joined = 1;
}

static void prefetch_free(prefetch *p)
{
    if (!p)
        return;
    prefetch_join(p);
    batch_free(&p->cur);
    batch_free(&p->ready);
    bm_catalog_free(p->src);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

/* The view a stream's caller sees: the source's columns, one record. */
static bm_catalog *stream_view(bm_catalog *src, bm_error *err)
{
    bm_catalog *c = calloc(1, sizeof *c);
    prefetch *p = c ? calloc(1, sizeof *p) : NULL;
    if (!p) {
        free(c);
        bm_error_set(err, BM_ERR_RUNTIME, src->path, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(c->path, sizeof c->path, "%s", src->path);
    c->format = src->format;
    c->n_fields = src->n_fields;
    c->cols = src->cols;
    c->slot = src->slot;
    c->n_slots = src->n_slots;
    c->lat_field = src->lat_field;
    c->lon_field = src->lon_field;
    c->pf = p;
    p->src = src;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, prefetch_main, p) != 0) {
        p->joined = 1;
        bm_catalog_free(c);
        bm_error_set(err, BM_ERR_RUNTIME, src->path, 0, NULL, "cannot start a thread");
        return NULL;
    }
    return c;
}

bm_catalog *bm_catalog_open(const char *path, const bm_catalog_options *opt, bm_error *err)
{
    bm_catalog *src = begin(path, opt, err);
    bm_catalog *c = src ? stream_view(src, err) : NULL;
    if (src && !c)
        bm_catalog_free(src);
    return c;
}

/* At the end of a stream: the source's account becomes the view's. */
static int finish_stream(bm_catalog *c, bm_error *err)
{
    prefetch *p = c->pf;
    prefetch_join(p);
    bm_catalog *src = p->src;
    c->rows_read = src->rows_read;
    c->filtered = src->filtered;
    c->rejected = src->rejected, src->rejected = NULL;
    c->n_rejected = src->n_rejected;
    c->cap_rejected = src->cap_rejected;
    close_reader(src);
    if (p->got < 0)
        *err = p->err;
    return p->got;
}

/* The next batch from the thread; 0 when there is none. */
static int next_batch(prefetch *p)
{
    batch_free(&p->cur);
    pthread_mutex_lock(&p->mu);
    while (!p->has_ready && !p->done)
        pthread_cond_wait(&p->cv, &p->mu);
    int got = p->has_ready;
    if (got) {
        p->cur = p->ready;
        memset(&p->ready, 0, sizeof p->ready);
        p->has_ready = 0;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return got;
}

int bm_catalog_next(bm_catalog *c, bm_error *err)
{
    prefetch *p = c->pf;
    if (!p || p->joined)
        return 0;
    if (c->count == 1)
        free(c->blobs[--c->count]);
    while (p->cur.next == p->cur.n)
        if (!next_batch(p))
            return finish_stream(c, err);
    if (grow(c, err) != BM_OK)
        return -1;
    batch *b = &p->cur;
    size_t i = b->next++;
    c->blobs[0] = b->blobs[i];
    c->rows[0] = b->rows[i];
    c->has_point[0] = b->has_point[i];
    c->lon[0] = b->lon[i];
    c->lat[0] = b->lat[i];
    c->count = 1;
    return 1;
}

bm_catalog *bm_catalog_read_ex(const char *path, const bm_catalog_options *opt, bm_error *err)
{
    bm_catalog *c = begin(path, opt, err);
    int got = 1;
    while (c && got > 0)
        got = next_record(c, c->rd, err);
    if (c && got < 0) {
        bm_catalog_free(c);
        return NULL;
    }
    if (c)
        close_reader(c);
    return c;
}

bm_catalog *bm_catalog_read(const char *path, bm_error *err)
{
    return bm_catalog_read_ex(path, NULL, err);
}

void bm_catalog_free(bm_catalog *c)
{
    if (!c)
        return;
    if (c->pf) {
        prefetch_free(c->pf); /* frees the source, and the columns with it */
        c->cols = NULL;
        c->slot = NULL;
        c->n_fields = 0;
    }
    close_reader(c);
    for (size_t i = 0; i < c->count; i++)
        free(c->blobs[i]);
    for (size_t i = 0; c->cols && i < c->n_fields; i++)
        free(c->cols[i].name);
    free(c->cols);
    free(c->slot);
    free(c->blobs);
    free(c->rows);
    free(c->has_point);
    free(c->lon);
    free(c->lat);
    free(c->rejected);
    free(c);
}

/* ---- access ------------------------------------------------------------- */

const char *bm_catalog_path(const bm_catalog *c)
{
    return c->path;
}

bm_input_format bm_catalog_format(const bm_catalog *c)
{
    return c->format;
}

size_t bm_catalog_count(const bm_catalog *c)
{
    return c->count;
}

size_t bm_catalog_rows_read(const bm_catalog *c)
{
    return c->rows_read;
}

size_t bm_catalog_rejected_count(const bm_catalog *c)
{
    return c->n_rejected;
}

const bm_bad_row *bm_catalog_rejected(const bm_catalog *c, size_t i)
{
    return i < c->n_rejected ? &c->rejected[i] : NULL;
}

size_t bm_catalog_filtered_count(const bm_catalog *c)
{
    return c->filtered;
}

void bm_catalog_retain(bm_catalog *c, int (*keep)(const bm_catalog *, size_t, void *), void *data)
{
    size_t kept = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (!keep(c, i, data)) {
            free(c->blobs[i]);
            continue;
        }
        c->blobs[kept] = c->blobs[i];
        c->rows[kept] = c->rows[i];
        c->has_point[kept] = c->has_point[i];
        c->lon[kept] = c->lon[i];
        c->lat[kept] = c->lat[i];
        kept++;
    }
    c->filtered += c->count - kept;
    c->count = kept;
}

size_t bm_catalog_field_count(const bm_catalog *c)
{
    return c->n_fields;
}

const char *bm_catalog_field_name(const bm_catalog *c, size_t field)
{
    return field < c->n_fields ? c->cols[field].name : "";
}

OGRFieldType bm_catalog_field_type(const bm_catalog *c, size_t field)
{
    return field < c->n_fields ? c->cols[field].type : OFTString;
}

int bm_catalog_is_standard_field(const char *name)
{
    static const char *const acled[] = {
        "event_id_cnty", "event_date",     "year",          "time_precision", "disorder_type",
        "event_type",    "sub_event_type", "actor1",        "assoc_actor_1",  "inter1",
        "actor2",        "assoc_actor_2",  "inter2",        "interaction",    "civilian_targeting",
        "iso",           "region",         "country",       "admin1",         "admin2",
        "admin3",        "location",       "latitude",      "longitude",      "geo_precision",
        "source",        "source_scale",   "notes",         "fatalities",     "tags",
        "timestamp"};
    for (size_t i = 0; i < sizeof acled / sizeof *acled; i++)
        if (strcasecmp(acled[i], name) == 0)
            return 1;
    return 0;
}

int bm_catalog_field_index(const bm_catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n_fields; i++)
        if (strcasecmp(c->cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

void bm_catalog_set_ogr_field(OGRFeatureH f, int i, const char *text)
{
    if (*text)
        OGR_F_SetFieldString(f, i, text);
    else
        OGR_F_SetFieldNull(f, i);
}

const char *bm_catalog_value(const bm_catalog *c, size_t record, size_t field)
{
    if (record >= c->count || field >= c->n_fields)
        return "";
    return blob_value(c, c->blobs[record], field);
}

const char *bm_catalog_get(const bm_catalog *c, size_t record, const char *name)
{
    int i = bm_catalog_field_index(c, name);
    return i < 0 ? "" : bm_catalog_value(c, record, (size_t)i);
}

long bm_catalog_row(const bm_catalog *c, size_t record)
{
    return record < c->count ? c->rows[record] : 0;
}

int bm_catalog_point(const bm_catalog *c, size_t record, double *lon, double *lat)
{
    if (record >= c->count || !c->has_point[record])
        return 0;
    if (lon)
        *lon = c->lon[record];
    if (lat)
        *lat = c->lat[record];
    return 1;
}

int bm_catalog_number(const bm_catalog *c, size_t record, size_t field, double *value)
{
    if (record >= c->count || c->has_point[record] != POINT_OF_TEXT)
        return 0;
    if ((int)field == c->lat_field)
        *value = c->lat[record];
    else if ((int)field == c->lon_field)
        *value = c->lon[record];
    else
        return 0;
    return 1;
}

typedef struct replacing {
    const bm_catalog *c;
    const char *blob, *text;
    size_t field;
} replacing;

static const char *replaced_value(const void *ctx, size_t field)
{
    const replacing *r = ctx;
    return field == r->field ? r->text : blob_value(r->c, r->blob, field);
}

bm_status bm_catalog_set_value(bm_catalog *c, size_t record, size_t field, const char *text)
{
    if (record >= c->count || field >= c->n_fields)
        return BM_ERR_RUNTIME;
    if (((int)field == c->lat_field || (int)field == c->lon_field) && c->has_point[record])
        c->has_point[record] = POINT; /* the point is no longer this text's number */
    if (slot_of(c, field) < 0)
        return BM_OK;
    replacing r = {c, c->blobs[record], text, field};
    char *blob = pack(c, replaced_value, &r);
    if (!blob)
        return BM_ERR_RUNTIME;
    free(c->blobs[record]);
    c->blobs[record] = blob;
    return BM_OK;
}

/* On failure to allocate, the old text stays: the point is authoritative. */
static void set_coordinate_text(bm_catalog *c, size_t record, int field, const char *text)
{
    if (field >= 0)
        bm_catalog_set_value(c, record, (size_t)field, text);
}

void bm_catalog_set_point(bm_catalog *c, size_t record, double lon, double lat)
{
    if (record >= c->count)
        return;
    c->has_point[record] = POINT;
    c->lon[record] = lon;
    c->lat[record] = lat;
    char text[32];
    snprintf(text, sizeof text, "%.6f", lon);
    set_coordinate_text(c, record, c->lon_field, text);
    snprintf(text, sizeof text, "%.6f", lat);
    set_coordinate_text(c, record, c->lat_field, text);
}

void bm_catalog_clear_point(bm_catalog *c, size_t record)
{
    if (record >= c->count)
        return;
    c->has_point[record] = NO_POINT;
    set_coordinate_text(c, record, c->lon_field, "");
    set_coordinate_text(c, record, c->lat_field, "");
}
