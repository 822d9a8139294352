/*
 * boundaries.c — loading country polygons through OGR into GEOS.
 */
#include "boundaries.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gdal.h>
#include <ogr_api.h>

#include "geodata.h"
#include "geometry.h"

struct bm_boundaries {
    GEOSContextHandle_t geos;
    char source[256];
    size_t count;
    bm_country *countries;
    int checked;    /* every polygon valid (repaired where it was not) */
    /* Polygons replaced by their repair, kept for the features that
     * borrowed them (the countries drawn) until the set is freed. */
    GEOSGeometry **retired;
    size_t n_retired;
    char path[1024]; /* for the messages of bm_boundaries_check */
};

const char *bm_boundaries_default_path(void)
{
    static _Thread_local char path[1024];
    return bm_geodata_path("countries.fgb", path, sizeof path);
}

static int find_field(OGRFeatureDefnH defn, const char *const *candidates)
{
    for (; *candidates; candidates++) {
        int i = OGR_FD_GetFieldIndex(defn, *candidates);
        if (i >= 0)
            return i;
    }
    return -1;
}

static bm_status read_country(bm_boundaries *b, OGRFeatureH feat, long fid,
                              int iso_field, int name_field, const char *path,
                              bm_error *err)
{
    const char *iso = OGR_F_GetFieldAsString(feat, iso_field);
    char code[4];
    if (strlen(iso) != 3 || strspn(iso, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != 3)
        return bm_error_set(err, BM_ERR_RUNTIME, path, fid, "iso_a3",
                            "expected an ISO 3166-1 alpha-3 code (three letters), got '%s'", iso);
    for (int i = 0; i < 4; i++)
        code[i] = (char)toupper((unsigned char)iso[i]);
    /* Two features of one country would make a frontier with itself. */
    for (size_t i = 0; i < b->count; i++)
        if (strcmp(b->countries[i].iso_a3, code) == 0)
            return bm_error_set(err, BM_ERR_RUNTIME, path, fid, "iso_a3",
                                "%s appears twice; make each country one (multi)polygon "
                                "feature", code);

    GEOSGeometry *geom = NULL;
    if (bm_geodata_check_lonlat(OGR_F_GetGeometryRef(feat), path, fid, err) != BM_OK)
        return err->status;
    if (bm_geometry_from_ogr(b->geos, OGR_F_GetGeometryRef(feat),
                             b->checked ? BM_GEOM_POLYGONAL : BM_GEOM_POLYGONAL_AS_IS,
                             &geom, path, fid, err) != BM_OK)
        return err->status;

    bm_country *c = &b->countries[b->count++];
    memcpy(c->iso_a3, code, sizeof code);
    snprintf(c->name, sizeof c->name, "%s",
             name_field >= 0 ? OGR_F_GetFieldAsString(feat, name_field) : c->iso_a3);
    c->geom = geom;
    return BM_OK;
}

static bm_status read_layer(bm_boundaries *b, OGRLayerH layer, const char *path,
                            bm_error *err)
{
    static const char *const iso_names[] = {"iso_a3", "ISO_A3", "A3", NULL};
    static const char *const name_names[] = {"name", "NAME", "ADMIN", NULL};
    static const char *const source_names[] = {"source", NULL};
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int iso_field = find_field(defn, iso_names);
    if (iso_field < 0)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, "iso_a3",
                            "boundary layer has no ISO alpha-3 field "
                            "(expected iso_a3, ISO_A3 or A3)");
    int name_field = find_field(defn, name_names);
    int source_field = find_field(defn, source_names);

    GIntBig n = OGR_L_GetFeatureCount(layer, TRUE);
    b->countries = calloc(n > 0 ? (size_t)n : 1, sizeof *b->countries);
    if (!b->countries)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");

    OGR_L_ResetReading(layer);
    OGRFeatureH feat;
    long fid = 0;
    while ((feat = OGR_L_GetNextFeature(layer)) != NULL) {
        fid++;
        if ((GIntBig)b->count >= n) { /* the count lied; never overrun */
            OGR_F_Destroy(feat);
            break;
        }
        if (fid == 1 && source_field >= 0)
            snprintf(b->source, sizeof b->source, "%s",
                     OGR_F_GetFieldAsString(feat, source_field));
        bm_status st = read_country(b, feat, fid, iso_field, name_field, path, err);
        OGR_F_Destroy(feat);
        if (st != BM_OK)
            return st;
    }
    if (b->count == 0)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "no country features");
    /* A cut FlatGeobuf still announces all its features, and reading
     * stops early without an error. */
    if ((GIntBig)b->count < n)
        return bm_error_set(err, BM_ERR_RUNTIME, path, (long)b->count + 1, NULL,
                            "%zu of the %lld countries the file announces could be read: the "
                            "file is truncated or damaged",
                            b->count, (long long)n);
    return BM_OK;
}

static bm_boundaries *load(GEOSContextHandle_t geos, const char *path, int checked,
                           bm_error *err)
{
    if (bm_geodata_verify(path, err) != BM_OK)
        return NULL;
    GDALDatasetH ds = bm_open_vector(path, GDAL_OF_READONLY, NULL);
    if (!ds) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot open as a vector dataset");
        return NULL;
    }
    bm_boundaries *b = calloc(1, sizeof *b);
    if (!b) {
        GDALClose(ds);
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    b->geos = geos;
    b->checked = checked;
    snprintf(b->path, sizeof b->path, "%s", path);
    snprintf(b->source, sizeof b->source, "%s", path);
    OGRLayerH layer = GDALDatasetGetLayerCount(ds) > 0 ? GDALDatasetGetLayer(ds, 0) : NULL;
    bm_status st = layer ? read_layer(b, layer, path, err)
                         : bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "no layer");
    GDALClose(ds);
    if (st != BM_OK) {
        bm_boundaries_free(b);
        return NULL;
    }
    return b;
}

bm_boundaries *bm_boundaries_load(GEOSContextHandle_t geos, const char *path,
                                  bm_error *err)
{
    return load(geos, path, 1, err);
}

bm_boundaries *bm_boundaries_load_unchecked(GEOSContextHandle_t geos, const char *path,
                                            bm_error *err)
{
    return load(geos, path, 0, err);
}

bm_status bm_boundaries_check(bm_boundaries *b, bm_error *err)
{
    for (size_t i = 0; !b->checked && i < b->count; i++) {
        bm_country *c = &b->countries[i];
        if (GEOSisValid_r(b->geos, c->geom) == 1)
            continue;
        /* Repaired on a copy: a set that fails stays as it was (and fails
         * again when asked again). */
        GEOSGeometry *copy = GEOSGeom_clone_r(b->geos, c->geom);
        GEOSGeometry *fixed = copy ? bm_geometry_repair(b->geos, copy) : NULL;
        GEOSGeometry **r = fixed ? realloc(b->retired, (b->n_retired + 1) * sizeof *r) : NULL;
        if (!r) {
            if (fixed)
                GEOSGeom_destroy_r(b->geos, fixed);
            return bm_error_set(err, BM_ERR_RUNTIME, b->path, (long)i + 1, "geometry",
                                fixed ? "out of memory" : "invalid polygon that cannot be repaired");
        }
        b->retired = r;
        b->retired[b->n_retired++] = c->geom;
        c->geom = fixed;
    }
    b->checked = 1;
    return BM_OK;
}

void bm_boundaries_free(bm_boundaries *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->count; i++)
        GEOSGeom_destroy_r(b->geos, b->countries[i].geom);
    for (size_t i = 0; i < b->n_retired; i++)
        GEOSGeom_destroy_r(b->geos, b->retired[i]);
    free(b->retired);
    free(b->countries);
    free(b);
}

size_t bm_boundaries_count(const bm_boundaries *b)
{
    return b->count;
}

const bm_country *bm_boundaries_at(const bm_boundaries *b, size_t i)
{
    return i < b->count ? &b->countries[i] : NULL;
}

const bm_country *bm_boundaries_find(const bm_boundaries *b, const char *iso_a3)
{
    for (size_t i = 0; i < b->count; i++)
        if (strcasecmp(b->countries[i].iso_a3, iso_a3) == 0)
            return &b->countries[i];
    return NULL;
}

const char *bm_boundaries_source(const bm_boundaries *b)
{
    return b->source;
}
