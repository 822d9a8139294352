/*
 * export.c — writing a style's sources to GeoJSON files or a GeoPackage,
 * and the GeoPackage's QGIS styles.
 *
 * Every output is opened before anything is written and committed only
 * when all layers succeeded, so a failed export leaves no file behind.
 */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cairo.h>

#include "atomic_file.h"
#include "geodata.h"
#include "qgis_project.h"
#include "qgis_style.h"
#include "render.h"
#include "vector_out.h"

#define MAX_LAYERS 64
#define MAX_STYLE_LAYERS 64

/* A fixed timestamp for update_time and gpkg_contents.last_change, so the
 * same inputs give the same GeoPackage. */
#define FIXED_TIME "2000-01-01T00:00:00.000Z"

#define NO_SOURCE ((size_t)-1)

/* One layer of the output: a style source, or an embedded layer named by
 * one of the fixed layer names of bordermap 0.1. */
typedef struct export_layer {
    const char *name;
    size_t source;              /* index into the style's sources, or NO_SOURCE */
    const char *geodata;        /* the embedded layer when NO_SOURCE */
    int deployments_only;
    const bm_features *features;
} export_layer;

int bm_export_is_deployment(const bm_catalog *c, size_t record)
{
    const char *sub = bm_catalog_get(c, record, "sub_event_type");
    return strcmp(sub, "Headquarters or base established") == 0 ||
           strcmp(sub, "Change to group/activity") == 0;
}

/* ---- choosing the layers ------------------------------------------------ */

static int drawn(const bm_style *s, size_t source)
{
    for (size_t i = 0; i < s->n_layers; i++)
        if (s->layers[i].source == source)
            return 1;
    return 0;
}

static size_t source_named(const bm_style *s, const char *name)
{
    for (size_t i = 0; i < s->n_sources; i++)
        if (strcmp(s->sources[i].name, name) == 0)
            return i;
    return NO_SOURCE;
}

static size_t first_of_type(const bm_style *s, bm_source_type type)
{
    for (size_t i = 0; i < s->n_sources; i++)
        if (s->sources[i].type == type)
            return i;
    return NO_SOURCE;
}

/* A fixed layer name of bordermap 0.1 that is not a source id. */
static int legacy_layer(const bm_style *s, const char *name, export_layer *l)
{
    *l = (export_layer){.name = name, .source = NO_SOURCE};
    if (strcmp(name, "incidents") == 0 || strcmp(name, "deployments") == 0) {
        l->source = first_of_type(s, BM_SOURCE_CATALOG);
        l->deployments_only = name[0] == 'd';
    } else if (strcmp(name, "frontiers") == 0) {
        l->source = first_of_type(s, BM_SOURCE_FRONTIERS);
    } else if (strcmp(name, "countries") == 0) {
        l->geodata = "countries";
    } else if (strcmp(name, "regions") == 0) {
        l->geodata = "admin1";
    }
    return l->source != NO_SOURCE || l->geodata != NULL;
}

static bm_status unknown_layer(const bm_style *s, const char *name, bm_error *err)
{
    char ids[600] = "";
    for (size_t i = 0; i < s->n_sources; i++) {
        size_t len = strlen(ids);
        snprintf(ids + len, sizeof ids - len, "%s%s", len ? ", " : "", s->sources[i].name);
    }
    return bm_error_set(err, BM_ERR_USAGE, s->path, 0, "--layers",
                        "no source '%s' in the style (its sources: %s; also incidents, "
                        "deployments, frontiers, countries, regions)", name, ids);
}

static size_t choose_layers(const bm_export_options *opt, export_layer *out, bm_error *err)
{
    const bm_style *s = opt->style;
    size_t n = 0;
    if (!opt->layers) {
        for (size_t i = 0; i < s->n_sources && n < MAX_LAYERS; i++)
            if (drawn(s, i))
                out[n++] = (export_layer){.name = s->sources[i].name, .source = i};
        return n;
    }
    for (size_t k = 0; k < opt->n_layers && n < MAX_LAYERS; k++) {
        size_t i = source_named(s, opt->layers[k]);
        if (i != NO_SOURCE)
            out[n++] = (export_layer){.name = s->sources[i].name, .source = i};
        else if (legacy_layer(s, opt->layers[k], &out[n]))
            n++;
        else
            return unknown_layer(s, opt->layers[k], err), 0;
    }
    return n;
}

static bm_status resolve(bm_context *ctx, const bm_style *s, export_layer *l, bm_error *err)
{
    l->features = l->source != NO_SOURCE ? bm_context_source(ctx, s, l->source, NULL, err)
                                         : bm_context_geodata(ctx, l->geodata, err);
    return l->features ? BM_OK : err->status;
}

/* ---- writing a layer ---------------------------------------------------- */

static int keep_located(const bm_catalog *c, size_t record, void *deployments_only)
{
    return bm_catalog_point(c, record, NULL, NULL) &&
           (!*(const int *)deployments_only || bm_export_is_deployment(c, record));
}

/* A catalog source goes out as the geocoder writes it, match fields and
 * all, and the frontier distance fields when the style uses them; its
 * records without a point are not on the map and not here. */
static bm_status write_layer(bm_context *ctx, bm_vector_out *out, const export_layer *l,
                             bm_error *err)
{
    const bm_features *f = l->features;
    if (!f->catalog)
        return bm_features_write_layer(bm_context_geos(ctx), f, out, l->name, err);
    const bm_match *matches = f->matches ? f->matches : bm_context_matches(ctx, err);
    if (!matches)
        return err->status;
    bm_border_distance *distance = NULL;
    if (f->computed && !(distance = bm_context_border_distance(ctx, err)))
        return err->status;
    return bm_geocode_write_layer(out, l->name, f->catalog, matches, distance, keep_located,
                                  (void *)&l->deployments_only, err);
}

size_t bm_export_records_written(const bm_catalog *c, const bm_export_options *opt)
{
    export_layer layers[MAX_LAYERS];
    bm_error err;
    size_t n = choose_layers(opt, layers, &err), written = 0;
    int all = 0, deployments = 0;
    for (size_t k = 0; k < n; k++) {
        if (layers[k].source == NO_SOURCE ||
            opt->style->sources[layers[k].source].type != BM_SOURCE_CATALOG)
            continue;
        all |= !layers[k].deployments_only;
        deployments |= layers[k].deployments_only;
    }
    for (size_t i = 0; (all || deployments) && i < bm_catalog_count(c); i++)
        written += bm_catalog_point(c, i, NULL, NULL) && (all || bm_export_is_deployment(c, i));
    return written;
}

/* ---- QGIS styles -------------------------------------------------------- */

/* A record of the export layer's catalog view, whose fields include the
 * computed ones (frontier_km, ...) a filter may test. */
typedef struct record_ref {
    const bm_features *view;
    size_t i;
} record_ref;

static const char *record_get(const char *field, void *feature)
{
    record_ref *r = feature;
    const char *v = bm_features_get(r->view, r->i, field);
    return v ? v : "";
}

/* Whether a style layer's filter lets some of the export layer's records
 * through: a style can draw groups of one catalog with separately
 * filtered layers. */
static int draws_records(const bm_layer *d, const export_layer *l)
{
    const bm_catalog *c = l->features->catalog;
    int only = l->deployments_only;
    for (size_t i = 0; i < bm_catalog_count(c); i++) {
        record_ref r = {l->features, i};
        if (keep_located(c, i, &only) && bm_style_filter_eval(d->filter, record_get, &r))
            return 1;
    }
    return 0;
}

static int draws_layer(const bm_style *s, const bm_layer *d, const export_layer *l)
{
    if (l->source == NO_SOURCE)
        return d->type != BM_LAYER_SYMBOL && s->sources[d->source].type == BM_SOURCE_GEODATA &&
               strcmp(s->sources[d->source].data, l->geodata) == 0;
    if (d->source != l->source || d->type == BM_LAYER_SYMBOL)
        return 0;
    return !l->features->catalog || draws_records(d, l);
}

/* Whether a style layer labels the export layer's features. */
static int labels_layer(const bm_style *s, const bm_layer *d, const export_layer *l)
{
    size_t want = l->source != NO_SOURCE ? l->source : source_named(s, l->geodata);
    return d->source == want && d->text_field[0] && (!l->features->catalog || draws_records(d, l));
}

#define KIND(g) (1u << (g))

/* The geometry kinds of l's features, one KIND bit each; an empty table
 * has its declared kind. */
static unsigned geometry_kinds(GEOSContextHandle_t geos, const export_layer *l)
{
    const bm_features *f = l->features;
    if (f->catalog)
        return KIND(BM_QGIS_POINT);
    unsigned kinds = 0;
    for (size_t i = 0; i < f->n; i++) {
        int t = f->geom[i] ? GEOSGeomTypeId_r(geos, f->geom[i]) : -1;
        if (t == GEOS_POINT || t == GEOS_MULTIPOINT)
            kinds |= KIND(BM_QGIS_POINT);
        else if (t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING)
            kinds |= KIND(BM_QGIS_LINE);
        else if (t >= 0)
            kinds |= KIND(BM_QGIS_POLYGON);
    }
    if (kinds)
        return kinds;
    return KIND(f->layer_type == wkbMultiLineString ? BM_QGIS_LINE : BM_QGIS_POLYGON);
}

/* QGIS reads a table of mixed geometries as its first kind, points
 * before lines before polygons. */
static bm_qgis_geom first_kind(unsigned kinds)
{
    return kinds & KIND(BM_QGIS_POINT) ? BM_QGIS_POINT
           : kinds & KIND(BM_QGIS_LINE) ? BM_QGIS_LINE
                                        : BM_QGIS_POLYGON;
}

/* Whether a style layer draws any of the geometry kinds: circles draw
 * points, fills polygons, lines lines and polygon outlines. */
static int fits_geometry(unsigned kinds, const bm_layer *d)
{
    if (d->type == BM_LAYER_HEATMAP)
        return 0; /* a renderer of its own (bm_qgis_layer.heatmap) */
    if (d->type == BM_LAYER_CIRCLE)
        return (kinds & KIND(BM_QGIS_POINT)) != 0;
    if (d->type == BM_LAYER_FILL)
        return (kinds & KIND(BM_QGIS_POLYGON)) != 0;
    return (kinds & (KIND(BM_QGIS_LINE) | KIND(BM_QGIS_POLYGON))) != 0;
}

/* The style layers that draw and label l, in style order. */
typedef struct style_layers {
    const bm_layer *draw[MAX_STYLE_LAYERS], *labels[MAX_STYLE_LAYERS];
} style_layers;

/* The QGIS style of l's features of the given kinds. */
static bm_qgis_layer style_layer(const bm_style *s, const export_layer *l, unsigned kinds,
                                 style_layers *sl)
{
    static const char *const numeric[] = {"length_km", "reported_km", "tolerance_m"};
    bm_qgis_layer q = {.name = l->name, .geom = first_kind(kinds),
                       .draw = sl->draw, .labels = sl->labels, .numeric = numeric,
                       .extent = s->page.extent,
                       .n_numeric = sizeof numeric / sizeof *numeric};
    for (size_t i = 0; i < s->n_layers; i++) {
        const bm_layer *d = &s->layers[i];
        if (d->type == BM_LAYER_HEATMAP && (kinds & KIND(BM_QGIS_POINT)) && draws_layer(s, d, l))
            q.heatmap = d;
        else if (q.n_draw < MAX_STYLE_LAYERS && fits_geometry(kinds, d) && draws_layer(s, d, l))
            sl->draw[q.n_draw++] = d;
        if (q.n_labels < MAX_STYLE_LAYERS && labels_layer(s, d, l))
            sl->labels[q.n_labels++] = d;
    }
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
    /* The style's file name, not its path: the same map from another
     * folder gives the same GeoPackage. */
    const char *slash = strrchr(style_path, '/');
    char desc[1200];
    snprintf(desc, sizeof desc, "bordermap %s, from %s", bm_version(),
             slash ? slash + 1 : style_path);
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

/* Every exported layer's QGIS style: one per table for layer_styles, and
 * for the project one per table and geometry kind, as QGIS draws a table
 * of mixed geometries (the curated features' points and rivers) as one
 * kind unless its source names the kind. */
typedef struct qgis_layers {
    style_layers sl[MAX_LAYERS], project_sl[3 * MAX_LAYERS];
    bm_qgis_layer q[MAX_LAYERS], project[3 * MAX_LAYERS];
    size_t n_project;
} qgis_layers;

static qgis_layers *make_qgis_layers(bm_context *ctx, const bm_style *s,
                                     const export_layer *layers, size_t n, bm_error *err)
{
    static const char *const geometry_type[] = {"Point", "LineString", "Polygon"};
    qgis_layers *ql = malloc(sizeof *ql);
    if (!ql) {
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    ql->n_project = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned kinds = geometry_kinds(bm_context_geos(ctx), &layers[k]);
        ql->q[k] = style_layer(s, &layers[k], kinds, &ql->sl[k]);
        for (bm_qgis_geom g = BM_QGIS_POINT; g <= BM_QGIS_POLYGON; g++) {
            if (!(kinds & KIND(g)))
                continue;
            size_t j = ql->n_project++;
            ql->project[j] = style_layer(s, &layers[k], KIND(g), &ql->project_sl[j]);
            if (kinds != KIND(g))
                ql->project[j].geometry_type = geometry_type[g];
        }
    }
    return ql;
}

static bm_status write_styles(bm_vector_out *out, const bm_style *s, const qgis_layers *ql,
                              size_t n, bm_error *err)
{
    OGRLayerH t = create_styles_table(out, err);
    if (!t)
        return err->status;
    for (size_t k = 0; k < n; k++)
        if (add_style(t, &ql->q[k], s->path, err) != BM_OK)
            return err->status;
    return BM_OK;
}

/* ---- outputs ------------------------------------------------------------ */

/* "out.geojson" + "frontiers" -> "out-frontiers.geojson". */
/* OUT-<layer>.ext; a path too long is an error, never cut. */
static bm_status layer_path(const char *path, const char *layer, char *buf, size_t size,
                            bm_error *err)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash))
        dot = path + strlen(path);
    if (snprintf(buf, size, "%.*s-%s%s", (int)(dot - path), path, layer, dot) >= (int)size)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                            "output path too long with the layer name '%s' (%zu bytes at most)",
                            layer, size - 1);
    return BM_OK;
}

static int has_extension(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) && strcasecmp(dot + 1, ext) == 0;
}

/* "out/map.qgz" -> "map" (name) and "out/map.gpkg" (gpkg). */
static void project_names(const char *path, char *name, size_t name_size, char *gpkg,
                          size_t gpkg_size)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    int len = dot ? (int)(dot - base) : (int)strlen(base);
    snprintf(name, name_size, "%.*s", len, base);
    snprintf(gpkg, gpkg_size, "%.*s.gpkg", (int)(base - path) + len, path);
}

/* The map as `bordermap render` draws it, drawn once onto a recording
 * surface: the project's layout takes its legend rows and the places of
 * its furniture from it. */
static bm_map *drawn_map(bm_context *ctx, const bm_style *s, bm_error *err)
{
    bm_map *m = bm_map_create(ctx, s, NULL, err);
    if (!m)
        return NULL;
    cairo_rectangle_t page = {0, 0, s->page.width, s->page.height};
    cairo_surface_t *surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
    cairo_t *cr = cairo_create(surface);
    bm_status st = bm_map_draw(m, cr, err);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    if (st != BM_OK) {
        bm_map_free(m);
        return NULL;
    }
    return m;
}

/* The inset's countries, which only the layout's locator map draws. */
static bm_status write_locator(bm_context *ctx, bm_vector_out *out, const bm_style *s,
                               bm_error *err)
{
    const bm_features *f = bm_context_geodata(ctx, s->page.inset_source, err);
    if (!f)
        return err->status;
    return bm_features_write_layer(bm_context_geos(ctx), f, out, BM_QGIS_LOCATOR, err);
}

/* The project's .qgz bytes; its layers read "./NAME.gpkg". */
static unsigned char *make_project(bm_context *ctx, const bm_style *s, const qgis_layers *ql,
                                   const char *name, size_t *size, bm_error *err)
{
    char gpkg[620];
    snprintf(gpkg, sizeof gpkg, "./%s.gpkg", name);
    bm_map *m = drawn_map(ctx, s, err);
    if (!m)
        return NULL;
    bm_qgis_project p = {.name = name, .style = s, .layers = ql->project,
                         .n_layers = ql->n_project, .gpkg = gpkg,
                         .credits = bm_context_credits(ctx), .map = m};
    unsigned char *qgz = bm_qgis_project_qgz(&p, size, err);
    bm_map_free(m);
    return qgz;
}

static bm_status write_bytes(bm_atomic_file *f, const unsigned char *bytes, size_t size,
                             bm_error *err)
{
    int fd = dup(f->fd);
    FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!out && fd >= 0)
        close(fd);
    int ok = out && fwrite(bytes, 1, size, out) == size;
    ok = out && fclose(out) == 0 && ok;
    if (!ok) {
        bm_atomic_file_abort(f);
        return bm_error_set(err, BM_ERR_RUNTIME, f->final_path, 0, NULL, "cannot write: %s",
                            strerror(errno));
    }
    return BM_OK;
}

/* The GeoPackage, then the .qgz beside it: the .qgz is written under a
 * temporary name before the GeoPackage is moved into place, and a .qgz
 * that cannot be moved takes the new GeoPackage with it. */
static bm_status commit_pair(bm_vector_out *out, const char *gpkg, const char *qgz,
                             const unsigned char *bytes, size_t size, bm_error *err)
{
    bm_atomic_file f;
    if (bm_atomic_file_begin(&f, qgz, err) != BM_OK || write_bytes(&f, bytes, size, err) != BM_OK) {
        bm_vector_out_abort(out);
        return err->status;
    }
    if (bm_vector_out_commit(out, err) != BM_OK) {
        bm_atomic_file_abort(&f);
        return err->status;
    }
    if (bm_atomic_file_commit(&f, err) != BM_OK)
        remove(gpkg);
    return err->status;
}

/* With qgz (a path or NULL), the project also goes to that file. */
static bm_status write_geopackage(bm_context *ctx, const bm_style *s,
                                  const export_layer *layers, size_t n, const char *path,
                                  const char *qgz, bm_error *err)
{
    char name[600], gpkg[1100];
    project_names(path, name, sizeof name, gpkg, sizeof gpkg);
    qgis_layers *ql = make_qgis_layers(ctx, s, layers, n, err);
    /* -o keeps its spelling ("MAP.GPKG"); only a .qgz names its GeoPackage. */
    bm_vector_out *out = ql ? bm_vector_out_open(qgz ? gpkg : path, err) : NULL;
    if (!out) {
        free(ql);
        return err->status;
    }
    bm_status st = BM_OK;
    for (size_t k = 0; st == BM_OK && k < n; k++)
        st = write_layer(ctx, out, &layers[k], err);
    if (st == BM_OK && s->page.inset)
        st = write_locator(ctx, out, s, err);
    if (st == BM_OK)
        st = write_styles(out, s, ql, n, err);
    size_t size = 0;
    unsigned char *bytes = st == BM_OK ? make_project(ctx, s, ql, name, &size, err) : NULL;
    free(ql);
    if (bytes)
        st = bm_qgis_project_store(bm_vector_out_dataset(out), name, bytes, size, err);
    if (!bytes || st != BM_OK) {
        free(bytes);
        bm_vector_out_abort(out);
        return err->status;
    }
    st = qgz ? commit_pair(out, gpkg, qgz, bytes, size, err) : bm_vector_out_commit(out, err);
    free(bytes);
    return st;
}

static bm_status write_geojson(bm_context *ctx, const export_layer *layers, size_t n,
                               const char *path, bm_error *err)
{
    if (n > 1 && strcmp(path, "-") == 0)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, "--layers",
                            "standard output takes one GeoJSON layer; name one with --layers");
    bm_vector_out *outs[MAX_LAYERS] = {0};
    bm_status st = BM_OK;
    for (size_t k = 0; st == BM_OK && k < n; k++) {
        char file[1024];
        if (n > 1 && (st = layer_path(path, layers[k].name, file, sizeof file, err)) != BM_OK)
            break;
        outs[k] = bm_vector_out_open(n > 1 ? file : path, err);
        st = outs[k] ? write_layer(ctx, outs[k], &layers[k], err) : err->status;
    }
    for (size_t k = 0; k < n; k++) {
        if (st == BM_OK && outs[k])
            st = bm_vector_out_commit(outs[k], err);
        else
            bm_vector_out_abort(outs[k]);
    }
    return st;
}

bm_status bm_export_write(bm_context *ctx, const bm_export_options *opt, const char *path,
                          bm_error *err)
{
    int qgz = has_extension(path, "qgz");
    const char *driver = qgz ? "GPKG" : bm_vector_driver_for(path);
    if (!driver)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                            "unknown output format (use .geojson, .json, .gpkg or .qgz)");
    export_layer layers[MAX_LAYERS];
    size_t n = choose_layers(opt, layers, err);
    if (err->status != BM_OK)
        return err->status;
    if (n == 0)
        return bm_error_set(err, BM_ERR_USAGE, opt->style->path, 0, "layers",
                            "the style draws no source to export");
    for (size_t k = 0; k < n; k++)
        if (resolve(ctx, opt->style, &layers[k], err) != BM_OK)
            return err->status;
    bm_init();
    /* Thread-local and restored: the fixed date must not leak into later writes. */
    char *saved = CPLStrdup(CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", ""));
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", FIXED_TIME);
    bm_status st = strcmp(driver, "GPKG") == 0
                       ? write_geopackage(ctx, opt->style, layers, n, path, qgz ? path : NULL, err)
                       : write_geojson(ctx, layers, n, path, err);
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", saved[0] ? saved : NULL);
    CPLFree(saved);
    return st;
}
