/*
 * catalog.c — reading incident and deployment catalogs through OGR.
 *
 * Every field is kept as text in input order; the point comes from a
 * Point geometry or, for CSV, from latitude/longitude columns that the CSV
 * driver is told to leave as text so that they are parsed and checked
 * here. Standard input is read into a /vsimem/ file first, so its format
 * can be sniffed and the drivers can seek.
 */
#include "catalog.h"

#include <errno.h>
#include <math.h>
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

#include "geodata.h"

struct bm_catalog {
    char path[1024];
    size_t n_fields;
    char **names;
    size_t count, cap;
    char **values; /* count x n_fields, row-major */
    long *rows;
    unsigned char *has_point;
    double *lon, *lat;
    int lat_field, lon_field; /* text columns kept in step with the point; -1 if none */
};

typedef struct reader {
    const char *path; /* as the user named it, for messages */
    int lat_field, lon_field;
    int is_csv;
} reader;

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

static int has_csv_extension(const char *path)
{
    const char *ext = strrchr(path, '.');
    return ext && (strcasecmp(ext, ".csv") == 0 || strcasecmp(ext, ".tsv") == 0);
}

/* Copies standard input to a /vsimem/ file named by its content: JSON
 * starts with '{' or '[', anything else is taken for CSV. */
static bm_status slurp_stdin(char *mem_path, size_t size, bm_error *err)
{
    size_t len = 0, cap = 1 << 16;
    GByte *buf = CPLMalloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            buf = CPLRealloc(buf, cap);
        }
    }
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

static GDALDatasetH open_dataset(const char *path, const char *user_path, int is_csv,
                                 bm_error *err)
{
    VSILFILE *probe = VSIFOpenL(path, "rb");
    if (!probe)
        return bm_error_set(err, BM_ERR_RUNTIME, user_path, 0, NULL, "no such file"), NULL;
    VSIFCloseL(probe);
    /* Latitude and longitude stay text so that "nan" or "91" are caught
     * here with their row rather than silently becoming numbers or nulls. */
    const char *const csv_options[] = {"AUTODETECT_TYPE=NO", "KEEP_GEOM_COLUMNS=YES",
                                       "EMPTY_STRING_AS_NULL=NO", NULL};
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, is_csv ? csv_options : NULL, NULL);
    CPLPopErrorHandler();
    if (!ds && !locate_json_error(path, user_path, err)) {
        const char *msg = CPLGetLastErrorMsg();
        bm_error_set(err, BM_ERR_RUNTIME, user_path, 0, NULL,
                     "not a readable vector dataset%s%s", *msg ? ": " : "", msg);
    }
    return ds;
}

static int find_field_ci(OGRFeatureDefnH defn, const char *a, const char *b)
{
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        if (strcasecmp(name, a) == 0 || strcasecmp(name, b) == 0)
            return i;
    }
    return -1;
}

static bm_status set_fields(bm_catalog *c, OGRFeatureDefnH defn, bm_error *err)
{
    c->n_fields = (size_t)OGR_FD_GetFieldCount(defn);
    c->names = calloc(c->n_fields ? c->n_fields : 1, sizeof *c->names);
    if (!c->names)
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
    for (size_t i = 0; i < c->n_fields; i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, (int)i));
        if (!CPLIsUTF8(name, -1))
            return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL,
                                "column %zu: name is not valid UTF-8", i + 1);
        if (!(c->names[i] = dup_str(name)))
            return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
    }
    return BM_OK;
}

static bm_status grow(bm_catalog *c, bm_error *err)
{
    if (c->count < c->cap)
        return BM_OK;
    size_t cap = c->cap ? c->cap * 2 : 64;
    char **values = realloc(c->values, cap * (c->n_fields ? c->n_fields : 1) * sizeof *values);
    if (values)
        c->values = values;
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
    if (!values || !rows || !has || !lon || !lat)
        return bm_error_set(err, BM_ERR_RUNTIME, c->path, 0, NULL, "out of memory");
    c->cap = cap;
    return BM_OK;
}

/* Parses a coordinate written as text; "" means absent (returns 0). */
static int parse_coordinate(const char *text, double limit, double *out, const char *path,
                            long row, const char *field, bm_error *err)
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
        bm_error_set(err, BM_ERR_RUNTIME, path, row, field, "'%s' is not a number", text);
        return -1;
    }
    if (fabs(v) > limit) {
        bm_error_set(err, BM_ERR_RUNTIME, path, row, field,
                     "%s is out of range [-%g, %g]", text, limit, limit);
        return -1;
    }
    *out = v;
    return 1;
}

static bm_status read_point_fields(bm_catalog *c, const reader *r, size_t rec, long row,
                                   bm_error *err)
{
    const char *lat_name = c->names[r->lat_field], *lon_name = c->names[r->lon_field];
    double lat = 0, lon = 0;
    int has_lat = parse_coordinate(c->values[rec * c->n_fields + (size_t)r->lat_field], 90,
                                   &lat, r->path, row, lat_name, err);
    if (has_lat < 0)
        return err->status;
    int has_lon = parse_coordinate(c->values[rec * c->n_fields + (size_t)r->lon_field], 180,
                                   &lon, r->path, row, lon_name, err);
    if (has_lon < 0)
        return err->status;
    if (has_lat != has_lon)
        return bm_error_set(err, BM_ERR_RUNTIME, r->path, row, has_lat ? lon_name : lat_name,
                            "empty while %s is given", has_lat ? lat_name : lon_name);
    c->has_point[rec] = (unsigned char)has_lat;
    c->lon[rec] = lon;
    c->lat[rec] = lat;
    return BM_OK;
}

static bm_status read_point_geometry(bm_catalog *c, OGRGeometryH g, size_t rec, long row,
                                     const char *path, bm_error *err)
{
    if (wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint)
        return bm_error_set(err, BM_ERR_RUNTIME, path, row, "geometry",
                            "expected a Point, got %s", OGR_G_GetGeometryName(g));
    double lon = OGR_G_GetX(g, 0), lat = OGR_G_GetY(g, 0);
    if (!isfinite(lon) || !isfinite(lat) || fabs(lon) > 180 || fabs(lat) > 90)
        return bm_error_set(err, BM_ERR_RUNTIME, path, row, "geometry",
                            "coordinates (%g, %g) are not a longitude and latitude", lon, lat);
    c->has_point[rec] = 1;
    c->lon[rec] = lon;
    c->lat[rec] = lat;
    return BM_OK;
}

OGRFieldType bm_catalog_column_type(const char *name)
{
    static const struct {
        const char *name;
        OGRFieldType type;
    } typed[] = {
        {"event_date", OFTDate},       {"time_precision", OFTInteger},
        {"geo_precision", OFTInteger}, {"fatalities", OFTInteger},
        {"latitude", OFTReal},         {"longitude", OFTReal},
    };
    for (size_t i = 0; i < sizeof typed / sizeof *typed; i++)
        if (strcmp(typed[i].name, name) == 0)
            return typed[i].type;
    return OFTString;
}

void bm_catalog_set_ogr_field(OGRFeatureH f, int i, const char *text)
{
    if (*text)
        OGR_F_SetFieldString(f, i, text);
    else
        OGR_F_SetFieldNull(f, i);
}

/* A value of a typed column as bordermap keeps it: integers as written,
 * dates as YYYY-MM-DD whatever the driver's own date format. */
static bm_status typed_value(OGRFeatureH f, int i, OGRFieldType type, const char *v,
                             char *buf, size_t size, const char **out)
{
    *out = v;
    if (!*v)
        return BM_OK;
    if (type == OFTDate) {
        int y = 0, m = 0, d = 0, h, min, tz, used = 0;
        float sec;
        OGRFieldType given = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i));
        int ok = given == OFTDate || given == OFTDateTime
                     ? OGR_F_GetFieldAsDateTimeEx(f, i, &y, &m, &d, &h, &min, &sec, &tz)
                     : sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && !v[used];
        if (!ok || y <= 0 || m < 1 || m > 12 || d < 1 || d > 31)
            return BM_ERR_RUNTIME;
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
        *out = buf;
        return BM_OK;
    }
    if (type == OFTInteger) {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        return end != v && !*end && errno == 0 && n >= 0 ? BM_OK : BM_ERR_RUNTIME;
    }
    return BM_OK;
}

static bm_status read_record(bm_catalog *c, const reader *r, OGRFeatureH f, long row,
                             bm_error *err)
{
    if (grow(c, err) != BM_OK)
        return err->status;
    size_t rec = c->count;
    char **vals = c->values + rec * c->n_fields;
    for (size_t i = 0; i < c->n_fields; i++) {
        const char *v = OGR_F_IsFieldSetAndNotNull(f, (int)i) ? OGR_F_GetFieldAsString(f, (int)i)
                                                               : "";
        if (!CPLIsUTF8(v, -1)) {
            for (size_t j = 0; j < i; j++)
                free(vals[j]);
            return bm_error_set(err, BM_ERR_RUNTIME, r->path, row, c->names[i],
                                "value is not valid UTF-8");
        }
        char date[32];
        OGRFieldType type = bm_catalog_column_type(c->names[i]);
        if (type != OFTReal && typed_value(f, (int)i, type, v, date, sizeof date, &v)) {
            for (size_t j = 0; j < i; j++)
                free(vals[j]);
            return bm_error_set(err, BM_ERR_RUNTIME, r->path, row, c->names[i], "'%s' is not %s",
                                v, type == OFTDate ? "a date (YYYY-MM-DD)"
                                                   : "a whole number of at least 0");
        }
        vals[i] = dup_str(v);
    }
    c->rows[rec] = row;
    c->has_point[rec] = 0;
    c->count++;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (g && !OGR_G_IsEmpty(g))
        return read_point_geometry(c, g, rec, row, r->path, err);
    if (r->lat_field >= 0 && r->lon_field >= 0)
        return read_point_fields(c, r, rec, row, err);
    return BM_OK;
}

static bm_status read_layer(bm_catalog *c, OGRLayerH layer, reader *r, bm_error *err)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    if (set_fields(c, defn, err) != BM_OK)
        return err->status;
    r->lat_field = c->lat_field = find_field_ci(defn, "latitude", "lat");
    r->lon_field = c->lon_field = find_field_ci(defn, "longitude", "lon");
    OGR_L_ResetReading(layer);
    long row = 0;
    OGRFeatureH f;
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        bm_status st = read_record(c, r, f, ++row, err);
        OGR_F_Destroy(f);
        if (st != BM_OK) {
            CPLPopErrorHandler();
            return st;
        }
    }
    CPLPopErrorHandler();
    if (CPLGetLastErrorType() >= CE_Failure)
        return bm_error_set(err, BM_ERR_RUNTIME, r->path, row + 1, NULL, "%s",
                            CPLGetLastErrorMsg());
    return BM_OK;
}

bm_catalog *bm_catalog_read(const char *path, bm_error *err)
{
    bm_init();
    bm_catalog *c = calloc(1, sizeof *c);
    if (!c) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(c->path, sizeof c->path, "%s", path);
    char open_path[1100];
    int from_stdin = strcmp(path, "-") == 0;
    if (from_stdin) {
        if (slurp_stdin(open_path, sizeof open_path, err) != BM_OK) {
            bm_catalog_free(c);
            return NULL;
        }
    } else {
        snprintf(open_path, sizeof open_path, "%s", path);
    }
    reader r = {path, -1, -1, has_csv_extension(open_path)};
    GDALDatasetH ds = open_dataset(open_path, path, r.is_csv, err);
    bm_status st = BM_ERR_RUNTIME;
    if (ds && GDALDatasetGetLayerCount(ds) < 1)
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "dataset has no layer");
    else if (ds)
        st = read_layer(c, GDALDatasetGetLayer(ds, 0), &r, err);
    if (ds)
        GDALClose(ds);
    if (from_stdin)
        VSIUnlink(open_path);
    if (st != BM_OK) {
        bm_catalog_free(c);
        return NULL;
    }
    return c;
}

void bm_catalog_free(bm_catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count * c->n_fields; i++)
        free(c->values[i]);
    for (size_t i = 0; c->names && i < c->n_fields; i++)
        free(c->names[i]);
    free(c->names);
    free(c->values);
    free(c->rows);
    free(c->has_point);
    free(c->lon);
    free(c->lat);
    free(c);
}

const char *bm_catalog_path(const bm_catalog *c)
{
    return c->path;
}

size_t bm_catalog_count(const bm_catalog *c)
{
    return c->count;
}

size_t bm_catalog_field_count(const bm_catalog *c)
{
    return c->n_fields;
}

const char *bm_catalog_field_name(const bm_catalog *c, size_t field)
{
    return field < c->n_fields ? c->names[field] : "";
}

int bm_catalog_field_index(const bm_catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n_fields; i++)
        if (strcmp(c->names[i], name) == 0)
            return (int)i;
    return -1;
}

const char *bm_catalog_value(const bm_catalog *c, size_t record, size_t field)
{
    if (record >= c->count || field >= c->n_fields)
        return "";
    return c->values[record * c->n_fields + field];
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

bm_status bm_catalog_set_value(bm_catalog *c, size_t record, size_t field, const char *text)
{
    char *copy = record < c->count && field < c->n_fields ? dup_str(text) : NULL;
    if (!copy)
        return BM_ERR_RUNTIME;
    char **slot = &c->values[record * c->n_fields + field];
    free(*slot);
    *slot = copy;
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
    c->has_point[record] = 1;
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
    c->has_point[record] = 0;
    set_coordinate_text(c, record, c->lon_field, "");
    set_coordinate_text(c, record, c->lat_field, "");
}
