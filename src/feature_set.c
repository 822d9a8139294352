/*
 * feature_set.c — feature tables: one source's features with one schema.
 */
#include "feature_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "confine.h"
#include "geodata.h"
#include "geometry.h"

bm_features *bm_features_create(size_t n, size_t n_fields, const char *const *fields,
                                const bm_field_type *types)
{
    bm_features *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->n = n, f->n_fields = n_fields;
    f->fields = calloc(n_fields + 1, sizeof *f->fields);
    f->types = calloc(n_fields + 1, sizeof *f->types);
    f->values = calloc(n * n_fields + 1, sizeof *f->values);
    f->geom = calloc(n + 1, sizeof *f->geom);
    int ok = f->fields && f->types && f->values && f->geom;
    for (size_t k = 0; ok && k < n_fields; k++) {
        ok = (f->fields[k] = strdup(fields[k])) != NULL;
        f->types[k] = types ? types[k] : BM_FIELD_STRING;
    }
    if (!ok) {
        bm_features_free(NULL, f);
        return NULL;
    }
    return f;
}

bm_features *bm_features_for_catalog(const bm_catalog *c, const struct bm_match *matches)
{
    bm_features *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->n = bm_catalog_count(c);
    f->catalog = c;
    f->matches = matches;
    return f;
}

void bm_features_free(GEOSContextHandle_t geos, bm_features *f)
{
    if (!f)
        return;
    for (size_t k = 0; f->fields && k < f->n_fields; k++)
        free(f->fields[k]);
    for (size_t i = 0; f->values && i < f->n * f->n_fields; i++)
        free(f->values[i]);
    for (size_t i = 0; f->geom && !f->geom_borrowed && i < f->n; i++)
        if (f->geom[i])
            GEOSGeom_destroy_r(geos, f->geom[i]);
    free(f->fields);
    free(f->types);
    free(f->values);
    free(f->geom);
    free(f);
}

int bm_features_set(bm_features *f, size_t i, size_t field, const char *value)
{
    char **slot = &f->values[i * f->n_fields + field];
    free(*slot);
    *slot = value ? strdup(value) : NULL;
    return value && !*slot ? -1 : 0;
}

int bm_features_set_real(bm_features *f, size_t i, size_t field, double value)
{
    /* The shortest text that reads back as the same double. */
    char text[32];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
    return bm_features_set(f, i, field, text);
}

int bm_features_field_index(const bm_features *f, const char *name)
{
    if (f->catalog)
        return bm_catalog_field_index(f->catalog, name);
    for (size_t k = 0; k < f->n_fields; k++)
        if (strcmp(f->fields[k], name) == 0)
            return (int)k;
    return -1;
}

static int is_computed(const bm_features *f, const char *name)
{
    for (size_t k = 0; k < f->n_computed; k++)
        if (strcmp(f->computed_fields[k], name) == 0)
            return 1;
    return 0;
}

int bm_features_has_field(const bm_features *f, const char *name)
{
    return bm_features_field_index(f, name) >= 0 ||
           (f->catalog && (bm_catalog_is_standard_field(name) || is_computed(f, name)));
}

size_t bm_features_field_count(const bm_features *f)
{
    return f->catalog ? bm_catalog_field_count(f->catalog) : f->n_fields;
}

const char *bm_features_field_name(const bm_features *f, size_t k)
{
    return f->catalog ? bm_catalog_field_name(f->catalog, k) : f->fields[k];
}

const char *bm_features_get(const bm_features *f, size_t i, const char *field)
{
    if (f->catalog) {
        const char *v = f->computed ? f->computed(f->computed_data, i, field) : NULL;
        return v ? v : bm_catalog_get(f->catalog, i, field);
    }
    int k = bm_features_field_index(f, field);
    if (k < 0)
        return NULL;
    const char *v = f->values[i * f->n_fields + (size_t)k];
    return v ? v : "";
}

int bm_features_point(GEOSContextHandle_t geos, const bm_features *f, size_t i, double *lon,
                      double *lat)
{
    if (f->catalog)
        return bm_catalog_point(f->catalog, i, lon, lat);
    const GEOSGeometry *g = f->geom[i];
    return g && GEOSGeomTypeId_r(geos, g) == GEOS_POINT && GEOSisEmpty_r(geos, g) == 0 &&
           GEOSGeomGetX_r(geos, g, lon) && GEOSGeomGetY_r(geos, g, lat);
}

/* ---- reading ------------------------------------------------------------ */

static bm_field_type field_type_of(OGRFieldType t)
{
    if (t == OFTInteger || t == OFTInteger64)
        return BM_FIELD_INTEGER;
    return t == OFTReal ? BM_FIELD_REAL : BM_FIELD_STRING;
}

#define MAX_READ_FIELDS 256

static bm_features *create_for_layer(OGRLayerH layer, size_t n)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    size_t nf = (size_t)OGR_FD_GetFieldCount(defn);
    nf = nf < MAX_READ_FIELDS ? nf : MAX_READ_FIELDS;
    const char *names[MAX_READ_FIELDS];
    bm_field_type types[MAX_READ_FIELDS];
    for (size_t k = 0; k < nf; k++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, (int)k);
        names[k] = OGR_Fld_GetNameRef(fd);
        types[k] = field_type_of(OGR_Fld_GetType(fd));
    }
    return bm_features_create(n, nf, names, types);
}

static bm_status read_feature(GEOSContextHandle_t geos, bm_features *f, size_t i,
                              OGRFeatureH feat, const char *path, bm_error *err)
{
    for (size_t k = 0; k < f->n_fields; k++) {
        const char *v = OGR_F_IsFieldSetAndNotNull(feat, (int)k)
                            ? OGR_F_GetFieldAsString(feat, (int)k)
                            : NULL;
        if (bm_features_set(f, i, k, v) != 0)
            return bm_error_set(err, BM_ERR_RUNTIME, path, (long)i + 1, NULL, "out of memory");
    }
    return bm_geometry_from_ogr(geos, OGR_F_GetGeometryRef(feat), BM_GEOM_ANY, &f->geom[i],
                                path, (long)i + 1, err);
}

bm_features *bm_features_read(GEOSContextHandle_t geos, const char *path, bm_error *err)
{
    if (bm_geodata_verify(path, err) != BM_OK || bm_limits_check_file(path, err) != BM_OK)
        return NULL;
    GDALDatasetH ds = bm_open_vector(path, GDAL_OF_READONLY, NULL);
    OGRLayerH layer = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    if (!layer) {
        if (ds)
            GDALClose(ds);
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot read as a vector dataset");
        return NULL;
    }
    GIntBig count = OGR_L_GetFeatureCount(layer, 1);
    unsigned long long max = bm_limits_get()->features;
    if (count > 0 && (unsigned long long)count > max) {
        GDALClose(ds);
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL,
                     "%lld features, more than the limit of %llu (BORDERMAP_MAX_FEATURES)",
                     (long long)count, max);
        return NULL;
    }
    bm_features *f = create_for_layer(layer, count > 0 ? (size_t)count : 0);
    bm_status st = f ? BM_OK : bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
    OGRFeatureH feat;
    size_t i = 0;
    OGR_L_ResetReading(layer);
    while (st == BM_OK && i < f->n && (feat = OGR_L_GetNextFeature(layer)) != NULL) {
        st = read_feature(geos, f, i++, feat, path, err);
        OGR_F_Destroy(feat);
    }
    GDALClose(ds);
    if (st != BM_OK) {
        bm_features_free(geos, f);
        return NULL;
    }
    return f;
}

/* ---- writing ------------------------------------------------------------ */

static OGRFieldType ogr_type(bm_field_type t)
{
    return t == BM_FIELD_INTEGER ? OFTInteger64 : t == BM_FIELD_REAL ? OFTReal : OFTString;
}

static OGRwkbGeometryType kind_of(GEOSContextHandle_t geos, const GEOSGeometry *g)
{
    switch (GEOSGeomTypeId_r(geos, g)) {
    case GEOS_POINT: return wkbPoint;
    case GEOS_MULTIPOINT: return wkbMultiPoint;
    case GEOS_LINESTRING:
    case GEOS_MULTILINESTRING: return wkbMultiLineString;
    case GEOS_POLYGON:
    case GEOS_MULTIPOLYGON: return wkbMultiPolygon;
    default: return wkbUnknown;
    }
}

/* One type for the layer: multi-geometries of the features' kind, or
 * wkbUnknown (GeoPackage "GEOMETRY") when kinds are mixed, as in the
 * curated features (bases are points, rivers lines). */
static OGRwkbGeometryType layer_type(GEOSContextHandle_t geos, const bm_features *f)
{
    if (f->layer_type != wkbUnknown)
        return f->layer_type;
    OGRwkbGeometryType type = wkbNone;
    for (size_t i = 0; i < f->n; i++) {
        if (!f->geom[i])
            continue;
        OGRwkbGeometryType k = kind_of(geos, f->geom[i]);
        if (type != wkbNone && k != type)
            return wkbUnknown;
        type = k;
    }
    return type == wkbNone ? wkbUnknown : type;
}

static OGRGeometryH to_layer_type(OGRGeometryH g, OGRwkbGeometryType type)
{
    if (!g)
        return NULL;
    if (type == wkbMultiLineString)
        return OGR_G_ForceToMultiLineString(g);
    return type == wkbMultiPolygon ? OGR_G_ForceToMultiPolygon(g) : g;
}

static bm_status write_feature(GEOSContextHandle_t geos, const bm_features *f, size_t i,
                               OGRLayerH layer, OGRwkbGeometryType type, const char *out_path,
                               bm_error *err)
{
    OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    for (size_t k = 0; k < f->n_fields; k++) {
        const char *v = f->values[i * f->n_fields + k];
        if (v)
            OGR_F_SetFieldString(feat, (int)k, v);
        else
            OGR_F_SetFieldNull(feat, (int)k);
    }
    if (f->geom[i])
        OGR_F_SetGeometryDirectly(feat, to_layer_type(bm_geometry_to_ogr(geos, f->geom[i]), type));
    OGRErr rc = OGR_L_CreateFeature(layer, feat);
    OGR_F_Destroy(feat);
    if (rc != OGRERR_NONE)
        return bm_error_set(err, BM_ERR_RUNTIME, out_path, (long)i + 1, OGR_L_GetName(layer),
                            "cannot write feature: %s", CPLGetLastErrorMsg());
    return BM_OK;
}

bm_status bm_features_write_layer(GEOSContextHandle_t geos, const bm_features *f,
                                  bm_vector_out *out, const char *name, bm_error *err)
{
    OGRwkbGeometryType type = layer_type(geos, f);
    OGRLayerH layer = bm_vector_out_layer(out, name, type, err);
    if (!layer)
        return err->status;
    for (size_t k = 0; k < f->n_fields; k++)
        if (bm_vector_out_field(out, layer, f->fields[k], ogr_type(f->types[k]), err) != BM_OK)
            return err->status;
    for (size_t i = 0; i < f->n; i++)
        if (write_feature(geos, f, i, layer, type, bm_vector_out_path(out), err) != BM_OK)
            return err->status;
    return BM_OK;
}
