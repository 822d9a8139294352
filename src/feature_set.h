/*
 * feature_set.h — the features of one style source, in lon/lat, with one
 * schema: what the renderer draws and the export writes are the same
 * table.
 *
 * A feature table is either a plain table (fields with types, text values,
 * GEOS geometries) or a view of a catalog, whose records are the features
 * and whose columns are the fields. Values are kept as text (reals as the
 * shortest text that reads back exactly); a NULL value is null.
 *
 * Ownership: bm_features_create and bm_features_read return a table the
 * caller frees with bm_features_free, which frees its geometries with the
 * GEOS context given there. A catalog view borrows the catalog and its
 * matches, which must outlive it.
 */
#ifndef BM_FEATURE_SET_H
#define BM_FEATURE_SET_H

#include <stddef.h>

#include <geos_c.h>

#include "catalog.h"
#include "error.h"
#include "vector_out.h"

typedef enum bm_field_type { BM_FIELD_STRING, BM_FIELD_INTEGER, BM_FIELD_REAL } bm_field_type;

struct bm_match;

typedef struct bm_features {
    size_t n, n_fields;
    char **fields;
    bm_field_type *types;
    char **values;                 /* n x n_fields; NULL for a catalog view */
    GEOSGeometry **geom;           /* lon/lat; NULL entries have none */
    int geom_borrowed;             /* geom belongs to someone else (the context's
                                      boundaries): bm_features_free leaves it */
    const bm_catalog *catalog;     /* a catalog view: its records are the features */
    const struct bm_match *matches; /* the geocoder's match per record, or NULL */
    OGRwkbGeometryType layer_type;  /* of a layer written from it; wkbUnknown: from
                                       the first geometry */
    /* A catalog view's fields computed per record (the frontier distance
     * fields), or none: computed(data, record, field) is the value, or
     * NULL when field is not one of computed_fields. */
    const char *const *computed_fields;
    size_t n_computed;
    const char *(*computed)(void *data, size_t record, const char *field);
    void *computed_data;
} bm_features;

/* A table of n features with the given fields, every value null and no
 * geometry yet. NULL when out of memory. */
bm_features *bm_features_create(size_t n, size_t n_fields, const char *const *fields,
                                const bm_field_type *types);
/* The records of c as features; matches may be NULL. */
bm_features *bm_features_for_catalog(const bm_catalog *c, const struct bm_match *matches);
void bm_features_free(GEOSContextHandle_t geos, bm_features *f);

/* Sets a value (copied; NULL makes it null) or a real, written so that it
 * reads back exactly. 0 on success, -1 when out of memory. */
int bm_features_set(bm_features *f, size_t i, size_t field, const char *value);
int bm_features_set_real(bm_features *f, size_t i, size_t field, double value);

/* The field's index, or -1. For a catalog view, its column's index. */
int bm_features_field_index(const bm_features *f, const char *name);
/* Whether a style may use the field: a column, or for a catalog view one
 * of the standard catalog fields or of its computed fields. */
int bm_features_has_field(const bm_features *f, const char *name);
size_t bm_features_field_count(const bm_features *f);
const char *bm_features_field_name(const bm_features *f, size_t k);

/* Feature i's value of a field as text: "" when null, NULL when the table
 * has no such field (a catalog view follows bm_catalog_get). */
const char *bm_features_get(const bm_features *f, size_t i, const char *field);

/* Whether feature i is a point, and where. */
int bm_features_point(GEOSContextHandle_t geos, const bm_features *f, size_t i, double *lon,
                      double *lat);

/* Reads the first layer of an OGR dataset into a table; errors name the
 * file and the feature. */
bm_features *bm_features_read(GEOSContextHandle_t geos, const char *path, bm_error *err);

/* Adds a plain table to out as a layer called name: its fields typed, its
 * geometries as multi-geometries of the first feature's kind. */
bm_status bm_features_write_layer(GEOSContextHandle_t geos, const bm_features *f,
                                  bm_vector_out *out, const char *name, bm_error *err);

#endif
