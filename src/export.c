/*
 * export.c — writing the map's layers to GeoJSON files or a GeoPackage,
 * and the GeoPackage's QGIS styles.
 *
 * Every output is opened before anything is written and committed only
 * when all layers succeeded, so a failed export leaves no file behind.
 */
#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>

#include "boundaries.h"
#include "frontiers.h"
#include "geodata.h"
#include "geocode.h"
#include "geometry.h"
#include "qgis_style.h"
#include "vector_out.h"

#define N_LAYERS 5
#define MAX_COUNTRIES 64

static const char *const layer_names[N_LAYERS] = {"incidents", "deployments", "frontiers",
                                                  "countries", "regions"};

/* A fixed timestamp for update_time and gpkg_contents.last_change, so the
 * same inputs give the same GeoPackage. */
#define FIXED_TIME "2000-01-01T00:00:00.000Z"

const char *bm_export_layer_name(bm_export_layer layer)
{
    for (int i = 0; i < N_LAYERS; i++)
        if (layer == (bm_export_layer)(1 << i))
            return layer_names[i];
    return NULL;
}

bm_status bm_export_parse_layers(const char *list, unsigned *mask, bm_error *err)
{
    char copy[256], *save = NULL;
    snprintf(copy, sizeof copy, "%s", list);
    *mask = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int i = 0;
        while (i < N_LAYERS && strcmp(tok, layer_names[i]) != 0)
            i++;
        if (i == N_LAYERS)
            return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "--layers",
                                "unknown layer '%s' (expected incidents, deployments, "
                                "frontiers, countries or regions)", tok);
        *mask |= 1u << i;
    }
    if (!*mask)
        return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "--layers", "no layer named");
    return BM_OK;
}

int bm_export_is_deployment(const bm_catalog *c, size_t record)
{
    const char *sub = bm_catalog_get(c, record, "sub_event_type");
    return strcmp(sub, "Headquarters or base established") == 0 ||
           strcmp(sub, "Change to group/activity") == 0;
}

/* ---- catalog layers ----------------------------------------------------- */

static int in_layer(const bm_catalog *c, size_t record, bm_export_layer layer)
{
    double lon, lat;
    return bm_catalog_point(c, record, &lon, &lat) &&
           bm_export_is_deployment(c, record) == (layer == BM_EXPORT_DEPLOYMENTS);
}

static int keep_in_layer(const bm_catalog *c, size_t record, void *layer)
{
    return in_layer(c, record, *(const bm_export_layer *)layer);
}

/* The geocoder's own output, restricted to the layer's records. */
static bm_status write_catalog_layer(bm_vector_out *out, const bm_export_options *opt,
                                     bm_export_layer which, bm_error *err)
{
    return bm_geocode_write_layer(out, bm_export_layer_name(which), opt->catalog, opt->matches,
                                  keep_in_layer, &which, err);
}

/* ---- frontiers ---------------------------------------------------------- */

static size_t frontier_countries(const bm_export_options *opt, char *buf, size_t size,
                                 const char **isos)
{
    if (opt->n_countries) {
        size_t n = opt->n_countries < MAX_COUNTRIES ? opt->n_countries : MAX_COUNTRIES;
        memcpy(isos, opt->countries, n * sizeof *isos);
        return n;
    }
    snprintf(buf, size, "%s", BM_EXPORT_DEFAULT_COUNTRIES);
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && n < MAX_COUNTRIES;
         t = strtok_r(NULL, ",", &save))
        isos[n++] = t;
    return n;
}

static bm_status write_frontiers_layer(GEOSContextHandle_t geos, bm_vector_out *out,
                                       const bm_export_options *opt, bm_error *err)
{
    char list[256];
    const char *isos[MAX_COUNTRIES];
    size_t n = frontier_countries(opt, list, sizeof list, isos);
    bm_boundaries *b = bm_boundaries_load(geos, bm_boundaries_default_path(), err);
    bm_frontiers *f = b ? bm_frontiers_compute(geos, b, isos, n, NULL, err) : NULL;
    bm_status st = f ? bm_frontiers_write_layer(geos, f, out, err) : err->status;
    bm_frontiers_free(f);
    bm_boundaries_free(b);
    return st;
}

/* ---- embedded polygons -------------------------------------------------- */

static bm_status copy_features(OGRLayerH from, OGRLayerH to, const char *path, bm_error *err)
{
    OGRFeatureH in;
    long row = 0;
    OGR_L_ResetReading(from);
    while ((in = OGR_L_GetNextFeature(from)) != NULL) {
        row++;
        OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(to));
        OGR_F_SetFrom(feat, in, TRUE);
        OGRGeometryH g = OGR_F_StealGeometry(feat);
        OGR_F_SetGeometryDirectly(feat, g ? OGR_G_ForceToMultiPolygon(g) : NULL);
        OGRErr rc = OGR_L_CreateFeature(to, feat);
        OGR_F_Destroy(feat);
        OGR_F_Destroy(in);
        if (rc != OGRERR_NONE)
            return bm_error_set(err, BM_ERR_RUNTIME, path, row, NULL,
                                "cannot copy feature: %s", CPLGetLastErrorMsg());
    }
    return BM_OK;
}

/* Copies the first layer of an embedded file, every field included. */
static bm_status copy_embedded(bm_vector_out *out, const char *path, const char *name,
                               bm_error *err)
{
    GDALDatasetH src = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!src)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot open: %s",
                            CPLGetLastErrorMsg());
    OGRLayerH from = GDALDatasetGetLayer(src, 0);
    OGRLayerH to = bm_vector_out_layer(out, name, wkbMultiPolygon, err);
    bm_status st = to ? BM_OK : err->status;
    OGRFeatureDefnH defn = from ? OGR_L_GetLayerDefn(from) : NULL;
    for (int i = 0; st == BM_OK && defn && i < OGR_FD_GetFieldCount(defn); i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        st = bm_vector_out_field(out, to, OGR_Fld_GetNameRef(fd), OGR_Fld_GetType(fd), err);
    }
    if (st == BM_OK && from)
        st = copy_features(from, to, path, err);
    GDALClose(src);
    return st;
}

static bm_status write_layer(GEOSContextHandle_t geos, bm_vector_out *out,
                             const bm_export_options *opt, bm_export_layer which, bm_error *err)
{
    char path[1024];
    switch (which) {
    case BM_EXPORT_INCIDENTS:
    case BM_EXPORT_DEPLOYMENTS:
        if (!opt->catalog)
            return bm_error_set(err, BM_ERR_USAGE, NULL, 0, NULL, "no catalog for the %s layer",
                                bm_export_layer_name(which));
        return write_catalog_layer(out, opt, which, err);
    case BM_EXPORT_FRONTIERS:
        return write_frontiers_layer(geos, out, opt, err);
    case BM_EXPORT_COUNTRIES:
        return copy_embedded(out, bm_boundaries_default_path(), "countries", err);
    default:
        return copy_embedded(out, bm_geodata_path("admin1.fgb", path, sizeof path), "regions",
                             err);
    }
}

/* ---- QGIS styles -------------------------------------------------------- */

typedef struct record_ref {
    const bm_catalog *c;
    size_t i;
} record_ref;

static const char *record_get(const char *field, void *feature)
{
    record_ref *r = feature;
    return bm_catalog_get(r->c, r->i, field);
}

static int source_is(const bm_style *s, const bm_layer *l, bm_export_layer which)
{
    const bm_source *src = &s->sources[l->source];
    switch (which) {
    case BM_EXPORT_INCIDENTS:
    case BM_EXPORT_DEPLOYMENTS:
        return src->type == BM_SOURCE_CATALOG;
    case BM_EXPORT_FRONTIERS:
        return src->type == BM_SOURCE_FRONTIERS;
    case BM_EXPORT_COUNTRIES:
        return src->type == BM_SOURCE_GEODATA && strcmp(src->data, "countries") == 0;
    default:
        return src->type == BM_SOURCE_GEODATA && strcmp(src->data, "admin1") == 0;
    }
}

/* How many records of the export layer a style layer's filter lets through. */
static size_t records_drawn(const bm_layer *l, const bm_catalog *c, bm_export_layer which)
{
    size_t n = 0;
    for (size_t i = 0; c && i < bm_catalog_count(c); i++) {
        record_ref r = {c, i};
        n += in_layer(c, i, which) && bm_style_filter_eval(l->filter, record_get, &r);
    }
    return n;
}

static const bm_layer *first_label(const bm_style *s, bm_export_layer which)
{
    for (size_t i = 0; i < s->n_layers; i++)
        if (source_is(s, &s->layers[i], which) && s->layers[i].text_field[0])
            return &s->layers[i];
    return NULL;
}

static unsigned draw_types(bm_export_layer which)
{
    if (which == BM_EXPORT_INCIDENTS || which == BM_EXPORT_DEPLOYMENTS)
        return 1u << BM_LAYER_CIRCLE;
    if (which == BM_EXPORT_FRONTIERS)
        return 1u << BM_LAYER_LINE | 1u << BM_LAYER_FRONTIER;
    return 1u << BM_LAYER_FILL | 1u << BM_LAYER_LINE;
}

/* The style layers that draw an export layer, bottom first. A style can
 * draw incidents and deployments with separately filtered layers of one
 * catalog source, so catalog layers count only if their filter lets some
 * of the export layer's records through. */
static size_t draw_layers(const bm_export_options *opt, bm_export_layer which,
                          const bm_layer **out, size_t max)
{
    const bm_style *s = opt->style;
    int catalog = which == BM_EXPORT_INCIDENTS || which == BM_EXPORT_DEPLOYMENTS;
    size_t n = 0;
    for (size_t i = 0; i < s->n_layers && n < max; i++) {
        const bm_layer *l = &s->layers[i];
        if (source_is(s, l, which) && (draw_types(which) & (1u << l->type)) &&
            (!catalog || records_drawn(l, opt->catalog, which) > 0))
            out[n++] = l;
    }
    return n;
}

static bm_qgis_layer style_layer(const bm_export_options *opt, bm_export_layer which,
                                 const bm_layer **draw, size_t max)
{
    static const char *const numeric[] = {"length_km", "reported_km", "tolerance_m"};
    int catalog = which == BM_EXPORT_INCIDENTS || which == BM_EXPORT_DEPLOYMENTS;
    bm_qgis_layer q = {.name = bm_export_layer_name(which),
                       .geom = catalog ? BM_QGIS_POINT
                               : which == BM_EXPORT_FRONTIERS ? BM_QGIS_LINE : BM_QGIS_POLYGON,
                       .draw = draw, .n_draw = draw_layers(opt, which, draw, max),
                       .filters_applied = catalog, .label = first_label(opt->style, which),
                       .numeric = numeric, .n_numeric = sizeof numeric / sizeof *numeric};
    if (which == BM_EXPORT_FRONTIERS && q.label && !strstr(q.label->text_field, "{reported"))
        q.extra_label = "if(\"reported_km\" IS NULL, '', '\\n(reported ' || "
                        "round(\"reported_km\") || ' km)')";
    return q;
}

static OGRLayerH create_styles_table(bm_vector_out *out, bm_error *err)
{
    static const struct {
        const char *name;
        OGRFieldType type;
        int width;
    } fields[] = {
        {"f_table_catalog", OFTString, 256}, {"f_table_schema", OFTString, 256},
        {"f_table_name", OFTString, 256},    {"f_geometry_column", OFTString, 256},
        {"styleName", OFTString, 30},        {"styleQML", OFTString, 0},
        {"styleSLD", OFTString, 0},          {"useAsDefault", OFTInteger, 0},
        {"description", OFTString, 0},       {"owner", OFTString, 30},
        {"ui", OFTString, 30},               {"update_time", OFTDateTime, 0},
    };
    /* QGIS's own table: FID "id", the same columns, useAsDefault a boolean. */
    char **options = CSLSetNameValue(NULL, "FID", "id");
    OGRLayerH t = GDALDatasetCreateLayer(bm_vector_out_dataset(out), "layer_styles", NULL,
                                         wkbNone, options);
    CSLDestroy(options);
    if (!t) {
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "cannot create layer_styles: %s",
                     CPLGetLastErrorMsg());
        return NULL;
    }
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i].name, fields[i].type);
        OGR_Fld_SetWidth(fd, fields[i].width);
        if (fields[i].type == OFTInteger)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        OGRErr rc = OGR_L_CreateField(t, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (rc != OGRERR_NONE) {
            bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, fields[i].name, "cannot create field");
            return NULL;
        }
    }
    return t;
}

static bm_status add_style(OGRLayerH t, const bm_qgis_layer *q, const char *style_path,
                           bm_error *err)
{
    char *qml = bm_qgis_style_qml(q), *sld = bm_qgis_style_sld(q);
    char desc[1200];
    snprintf(desc, sizeof desc, "bordermap %s, from %s", bm_version(), style_path);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(t));
    OGR_F_SetFieldString(f, 0, "");
    OGR_F_SetFieldString(f, 1, "");
    OGR_F_SetFieldString(f, 2, q->name);
    OGR_F_SetFieldString(f, 3, "geom");
    OGR_F_SetFieldString(f, 4, q->name);
    OGR_F_SetFieldString(f, 5, qml ? qml : "");
    OGR_F_SetFieldString(f, 6, sld ? sld : "");
    OGR_F_SetFieldInteger(f, 7, 1);
    OGR_F_SetFieldString(f, 8, desc);
    OGR_F_SetFieldString(f, 9, "");
    OGR_F_SetFieldNull(f, 10);
    OGR_F_SetFieldString(f, 11, FIXED_TIME);
    OGRErr rc = qml && sld ? OGR_L_CreateFeature(t, f) : OGRERR_NOT_ENOUGH_MEMORY;
    OGR_F_Destroy(f);
    free(qml);
    free(sld);
    if (rc != OGRERR_NONE)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, "layer_styles",
                            "cannot write the style of %s: %s", q->name, CPLGetLastErrorMsg());
    return BM_OK;
}

static bm_status write_styles(bm_vector_out *out, const bm_export_options *opt, unsigned mask,
                              bm_error *err)
{
    OGRLayerH t = create_styles_table(out, err);
    if (!t)
        return err->status;
    for (int i = 0; i < N_LAYERS; i++) {
        if (!(mask & (1u << i)))
            continue;
        const bm_layer *draw[64];
        bm_qgis_layer q = style_layer(opt, (bm_export_layer)(1 << i), draw, 64);
        if (add_style(t, &q, opt->style->path, err) != BM_OK)
            return err->status;
    }
    return BM_OK;
}

/* ---- outputs ------------------------------------------------------------ */

/* "out.geojson" + "frontiers" -> "out-frontiers.geojson". */
static void layer_path(const char *path, const char *layer, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash))
        dot = path + strlen(path);
    snprintf(buf, size, "%.*s-%s%s", (int)(dot - path), path, layer, dot);
}

static int count_layers(unsigned mask)
{
    int n = 0;
    for (int i = 0; i < N_LAYERS; i++)
        n += (mask >> i) & 1;
    return n;
}

static bm_status write_geopackage(GEOSContextHandle_t geos, const bm_export_options *opt,
                                  unsigned mask, const char *path, bm_error *err)
{
    bm_vector_out *out = bm_vector_out_open(path, err);
    if (!out)
        return err->status;
    bm_status st = BM_OK;
    for (int i = 0; st == BM_OK && i < N_LAYERS; i++)
        if (mask & (1u << i))
            st = write_layer(geos, out, opt, (bm_export_layer)(1 << i), err);
    if (st == BM_OK && opt->style)
        st = write_styles(out, opt, mask, err);
    if (st != BM_OK) {
        bm_vector_out_abort(out);
        return st;
    }
    return bm_vector_out_commit(out, err);
}

static bm_status write_geojson(GEOSContextHandle_t geos, const bm_export_options *opt,
                               unsigned mask, const char *path, bm_error *err)
{
    int several = count_layers(mask) > 1;
    if (several && strcmp(path, "-") == 0)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, "--layers",
                            "standard output takes one GeoJSON layer; name one with --layers");
    bm_vector_out *outs[N_LAYERS] = {0};
    bm_status st = BM_OK;
    for (int i = 0; st == BM_OK && i < N_LAYERS; i++) {
        if (!(mask & (1u << i)))
            continue;
        char file[1100];
        layer_path(path, layer_names[i], file, sizeof file);
        outs[i] = bm_vector_out_open(several ? file : path, err);
        st = outs[i] ? write_layer(geos, outs[i], opt, (bm_export_layer)(1 << i), err)
                     : err->status;
    }
    for (int i = 0; i < N_LAYERS; i++) {
        if (st == BM_OK && outs[i])
            st = bm_vector_out_commit(outs[i], err);
        else
            bm_vector_out_abort(outs[i]);
    }
    return st;
}

bm_status bm_export_write(GEOSContextHandle_t geos, const bm_export_options *opt,
                          const char *path, bm_error *err)
{
    unsigned mask = opt->layers ? opt->layers & BM_EXPORT_ALL : BM_EXPORT_ALL;
    const char *driver = bm_vector_driver_for(path);
    if (!driver)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                            "unknown output format (use .geojson, .json or .gpkg)");
    bm_init();
    /* Thread-local and restored: the fixed date must not leak into later writes. */
    char *saved = CPLStrdup(CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", ""));
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", FIXED_TIME);
    bm_status st = strcmp(driver, "GPKG") == 0 ? write_geopackage(geos, opt, mask, path, err)
                                               : write_geojson(geos, opt, mask, path, err);
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", saved[0] ? saved : NULL);
    CPLFree(saved);
    return st;
}
