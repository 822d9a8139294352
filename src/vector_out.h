/*
 * vector_out.h — writing vector datasets through GDAL, atomically.
 *
 * Output goes to a hidden temporary file beside the target and is renamed
 * over it only on commit, so a failed or interrupted run never leaves a
 * half-written file under the requested name. "-" writes GeoJSON to
 * standard output.
 */
#ifndef BM_VECTOR_OUT_H
#define BM_VECTOR_OUT_H

#include <gdal.h>
#include <ogr_api.h>

#include "error.h"

typedef struct bm_vector_out bm_vector_out;

/* The GDAL driver a path's extension selects: "GeoJSON" for .geojson/.json
 * and "-", "GPKG" for .gpkg; NULL for anything else. */
const char *bm_vector_driver_for(const char *path);

bm_vector_out *bm_vector_out_open(const char *path, bm_error *err);

/* Creates a layer; GeoJSON layers follow RFC 7946 (WGS84 lon/lat,
 * right-hand winding, no crs member) with 6 decimals. */
OGRLayerH bm_vector_out_layer(bm_vector_out *out, const char *name,
                              OGRwkbGeometryType type, bm_error *err);

/* Adds a field or fails with an error naming it. */
bm_status bm_vector_out_field(bm_vector_out *out, OGRLayerH layer,
                              const char *name, OGRFieldType type, bm_error *err);

GDALDatasetH bm_vector_out_dataset(bm_vector_out *out);

/* What errors name: the final path (never the temporary one), or
 * "standard output". */
const char *bm_vector_out_path(const bm_vector_out *out);

/* Closes the dataset and moves it into place; frees out either way. */
bm_status bm_vector_out_commit(bm_vector_out *out, bm_error *err);

/* Closes and deletes the temporary file; frees out. NULL is allowed. */
void bm_vector_out_abort(bm_vector_out *out);

#endif
