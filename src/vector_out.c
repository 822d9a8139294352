/*
 * vector_out.c — atomic vector output through GDAL.
 */
#include "vector_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cpl_string.h>
#include <ogr_srs_api.h>

#include "atomic_file.h"
#include "geodata.h"

struct bm_vector_out {
    GDALDatasetH ds;
    const char *driver;
    bm_atomic_file target;
    int to_stdout;
    int in_transaction;
};

static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

const char *bm_vector_driver_for(const char *path)
{
    if (strcmp(path, "-") == 0)
        return "GeoJSON";
    const char *ext = extension(path);
    if (strcasecmp(ext, "geojson") == 0 || strcasecmp(ext, "json") == 0)
        return "GeoJSON";
    if (strcasecmp(ext, "gpkg") == 0)
        return "GPKG";
    return NULL;
}

bm_vector_out *bm_vector_out_open(const char *path, bm_error *err)
{
    bm_init();
    const char *driver_name = bm_vector_driver_for(path);
    if (!driver_name) {
        bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                     "unknown output format (use .geojson, .json, .gpkg or -)");
        return NULL;
    }
    bm_vector_out *out = calloc(1, sizeof *out);
    if (!out) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    out->driver = driver_name;
    out->to_stdout = strcmp(path, "-") == 0;
    const char *ds_name = "/vsistdout/";
    if (!out->to_stdout) {
        if (bm_atomic_file_begin(&out->target, path, err) != BM_OK) {
            free(out);
            return NULL;
        }
        ds_name = out->target.temp_path;
    }
    GDALDriverH drv = GDALGetDriverByName(driver_name);
    out->ds = drv ? GDALCreate(drv, ds_name, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!out->ds) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot create %s dataset: %s",
                     driver_name, CPLGetLastErrorMsg());
        bm_vector_out_abort(out);
        return NULL;
    }
    /* One transaction for the whole file: a GeoPackage otherwise commits
     * (and syncs) every feature. GeoJSON has none and says so. */
    out->in_transaction = GDALDatasetStartTransaction(out->ds, FALSE) == OGRERR_NONE;
    return out;
}

OGRLayerH bm_vector_out_layer(bm_vector_out *out, const char *name,
                              OGRwkbGeometryType type, bm_error *err)
{
    /* GDAL's RFC 7946 mode rewinds polygons and cuts lines at the
     * antimeridian, by copying every feature; points in CRS84 (which
     * writes no crs member) come out the same without it, a third faster. */
    int geojson = strcmp(out->driver, "GeoJSON") == 0;
    int plain_points = geojson && wkbFlatten(type) == wkbPoint;
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
    if (plain_points)
        OSRSetFromUserInput(wgs84, "OGC:CRS84");
    else
        OSRSetWellKnownGeogCS(wgs84, "WGS84");
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    char **options = NULL;
    if (geojson) {
        options = CSLSetNameValue(options, "RFC7946", plain_points ? "NO" : "YES");
        options = CSLSetNameValue(options, "COORDINATE_PRECISION", "6");
        options = CSLSetNameValue(options, "WRITE_NAME", "NO");
    }
    OGRLayerH layer = GDALDatasetCreateLayer(out->ds, name, wgs84, type, options);
    CSLDestroy(options);
    OSRRelease(wgs84);
    if (!layer)
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "cannot create layer '%s': %s",
                     name, CPLGetLastErrorMsg());
    return layer;
}

bm_status bm_vector_out_field(bm_vector_out *out, OGRLayerH layer,
                              const char *name, OGRFieldType type, bm_error *err)
{
    (void)out;
    OGRFieldDefnH fd = OGR_Fld_Create(name, type);
    OGRErr rc = OGR_L_CreateField(layer, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (rc != OGRERR_NONE)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, name, "cannot create field");
    return BM_OK;
}

GDALDatasetH bm_vector_out_dataset(bm_vector_out *out)
{
    return out->ds;
}

bm_status bm_vector_out_commit(bm_vector_out *out, bm_error *err)
{
    CPLErrorReset();
    int committed = !out->in_transaction || GDALDatasetCommitTransaction(out->ds) == OGRERR_NONE;
    GDALClose(out->ds);
    out->ds = NULL;
    bm_status st = BM_OK;
    if (!committed || CPLGetLastErrorType() >= CE_Failure)
        st = bm_error_set(err, BM_ERR_RUNTIME, out->target.final_path, 0, NULL,
                          "writing failed: %s", CPLGetLastErrorMsg());
    if (!out->to_stdout) {
        if (st == BM_OK)
            st = bm_atomic_file_commit(&out->target, err);
        else
            bm_atomic_file_abort(&out->target);
    }
    free(out);
    return st;
}

void bm_vector_out_abort(bm_vector_out *out)
{
    if (!out)
        return;
    if (out->ds)
        GDALClose(out->ds);
    if (!out->to_stdout)
        bm_atomic_file_abort(&out->target);
    free(out);
}
