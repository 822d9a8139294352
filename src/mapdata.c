/*
 * mapdata.c — the renderer's sources: read, projected to page pixels and
 * clipped to the map frame.
 *
 * Geometries are clipped to the frame's longitude/latitude bounds first,
 * so far-away parts never reach the projection (where a conic would wrap
 * them across the map), then densified in degrees so long straight edges
 * follow the projection's curves, then projected and clipped again to the
 * frame rectangle in pixels.
 */
#include "render_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>

#include "geodata.h"
#include "geocode.h"
#include "geometry.h"

#define DENSIFY_DEG 0.25
#define FRAME_MARGIN_PX 8.0

typedef struct to_px {
    bm_projection *proj;
    double scale, ox, oy;
} to_px;

static int project_xy(double *x, double *y, void *ud)
{
    const to_px *t = ud;
    double px, py;
    if (bm_projection_forward(t->proj, *x, *y, &px, &py))
        return 0;
    *x = t->ox + px * t->scale;
    *y = t->oy - py * t->scale;
    return 1;
}

static GEOSGeometry *non_empty(GEOSContextHandle_t geos, GEOSGeometry *g)
{
    if (g && GEOSisEmpty_r(geos, g) == 1) {
        GEOSGeom_destroy_r(geos, g);
        return NULL;
    }
    return g;
}

GEOSGeometry *bm_mapdata_project_with(GEOSContextHandle_t geos, bm_projection *p,
                                      const double ll[4], double scale, double ox, double oy,
                                      bm_box clip, const GEOSGeometry *g)
{
    GEOSGeometry *c = non_empty(geos, GEOSClipByRect_r(geos, g, ll[0], ll[1], ll[2], ll[3]));
    if (!c)
        return NULL;
    GEOSGeometry *d = GEOSDensify_r(geos, c, DENSIFY_DEG);
    GEOSGeom_destroy_r(geos, c);
    if (!d)
        return NULL;
    to_px t = {p, scale, ox, oy};
    GEOSGeometry *px = GEOSGeom_transformXY_r(geos, d, project_xy, &t);
    GEOSGeom_destroy_r(geos, d);
    if (!px)
        return NULL;
    GEOSGeometry *r = GEOSClipByRect_r(geos, px, clip.x0, clip.y0, clip.x1, clip.y1);
    GEOSGeom_destroy_r(geos, px);
    return non_empty(geos, r);
}

static bm_box clip_box(const bm_map *m, double margin)
{
    return (bm_box){m->frame.x0 - margin, m->frame.y0 - margin, m->frame.x1 + margin,
                    m->frame.y1 + margin};
}

GEOSGeometry *bm_mapdata_project(bm_map *m, const GEOSGeometry *g, double margin)
{
    return bm_mapdata_project_with(m->geos, m->proj, m->ll, m->scale, m->ox, m->oy,
                                   clip_box(m, margin), g);
}

/* ---- feature sets ------------------------------------------------------- */

static bm_fset *fset_new(size_t n, size_t n_fields, const char *const *fields)
{
    bm_fset *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n = n, s->n_fields = n_fields;
    s->fields = calloc(n_fields + 1, sizeof *s->fields);
    s->values = calloc(n * n_fields + 1, sizeof *s->values);
    s->geom = calloc(n + 1, sizeof *s->geom);
    s->pt = malloc((2 * n + 1) * sizeof *s->pt);
    if (!s->fields || !s->values || !s->geom || !s->pt) {
        free(s->fields);
        free(s->values);
        free(s->geom);
        free(s->pt);
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < n_fields; i++)
        s->fields[i] = strdup(fields[i]);
    for (size_t i = 0; i < 2 * n; i++)
        s->pt[i] = NAN;
    return s;
}

static void fset_free(GEOSContextHandle_t geos, bm_fset *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->fields && i < s->n_fields; i++)
        free(s->fields[i]);
    for (size_t i = 0; s->values && i < s->n * s->n_fields; i++)
        free(s->values[i]);
    for (size_t i = 0; s->geom && i < s->n; i++)
        if (s->geom[i])
            GEOSGeom_destroy_r(geos, s->geom[i]);
    free(s->fields);
    free(s->values);
    free(s->geom);
    free(s->pt);
    free(s);
}

static void fset_set(bm_fset *s, size_t i, size_t field, const char *value)
{
    s->values[i * s->n_fields + field] = strdup(value ? value : "");
}

const char *bm_fset_get(const char *field, void *ref)
{
    const bm_feature_ref *r = ref;
    if (r->set->catalog)
        return bm_catalog_get(r->set->catalog, r->i, field);
    for (size_t k = 0; k < r->set->n_fields; k++)
        if (strcmp(r->set->fields[k], field) == 0)
            return r->set->values[r->i * r->set->n_fields + k];
    return NULL;
}

static void set_point(bm_map *m, bm_fset *s, size_t i, double lon, double lat)
{
    double x, y;
    if (bm_projection_forward(m->proj, lon, lat, &x, &y) == 0) {
        s->pt[2 * i] = m->ox + x * m->scale;
        s->pt[2 * i + 1] = m->oy - y * m->scale;
    }
}

/* A lon/lat geometry: points keep their position, the rest is projected. */
static void set_geometry(bm_map *m, bm_fset *s, size_t i, const GEOSGeometry *g)
{
    double lon, lat;
    if (GEOSGeomTypeId_r(m->geos, g) == GEOS_POINT && GEOSisEmpty_r(m->geos, g) == 0 &&
        GEOSGeomGetX_r(m->geos, g, &lon) && GEOSGeomGetY_r(m->geos, g, &lat))
        set_point(m, s, i, lon, lat);
    else
        s->geom[i] = bm_mapdata_project(m, g, FRAME_MARGIN_PX);
}

/* ---- the sources ------------------------------------------------------ */

static bm_status load_boundaries(bm_map *m, bm_error *err)
{
    if (!m->boundaries)
        m->boundaries = bm_boundaries_load(m->geos, bm_boundaries_default_path(), err);
    return m->boundaries ? BM_OK : err->status;
}

static bm_fset *load_countries(bm_map *m, bm_error *err)
{
    static const char *const fields[] = {"iso_a3", "name"};
    if (load_boundaries(m, err))
        return NULL;
    size_t n = bm_boundaries_count(m->boundaries);
    bm_fset *s = fset_new(n, 2, fields);
    for (size_t i = 0; s && i < n; i++) {
        const bm_country *c = bm_boundaries_at(m->boundaries, i);
        fset_set(s, i, 0, c->iso_a3);
        fset_set(s, i, 1, c->name);
        set_geometry(m, s, i, c->geom);
    }
    return s;
}

/* Countries whose polygons reach into the frame, for the frontiers. */
static size_t countries_in_view(bm_map *m, const char **isos, size_t max)
{
    size_t n = 0;
    GEOSGeometry *box = GEOSGeom_createRectangle_r(m->geos, m->ll[0], m->ll[1], m->ll[2], m->ll[3]);
    for (size_t i = 0; box && i < bm_boundaries_count(m->boundaries) && n < max; i++) {
        const bm_country *c = bm_boundaries_at(m->boundaries, i);
        if (GEOSIntersects_r(m->geos, box, c->geom) == 1)
            isos[n++] = c->iso_a3;
    }
    if (box)
        GEOSGeom_destroy_r(m->geos, box);
    return n;
}

static void frontier_fields(bm_fset *s, size_t i, const bm_frontier *fr)
{
    char name[200], len[64], rep[128];
    const char *values[] = {fr->iso_a, fr->iso_b, bm_frontier_name(fr, name, sizeof name),
                            fr->name_a, fr->name_b,
                            bm_frontier_length_text(fr, len, sizeof len),
                            bm_frontier_reported_text(fr, rep, sizeof rep)};
    for (size_t k = 0; k < sizeof values / sizeof *values; k++)
        fset_set(s, i, k, values[k]);
}

static bm_fset *load_frontiers(bm_map *m, const bm_source *src, bm_error *err)
{
    static const char *const fields[] = {"iso_a", "iso_b", "name", "name_a", "name_b",
                                         "length", "reported"};
    const char *isos[512];
    size_t n_isos = src->n_countries < 512 ? src->n_countries : 512;
    if (load_boundaries(m, err))
        return NULL;
    for (size_t i = 0; i < n_isos; i++)
        isos[i] = src->countries[i];
    if (n_isos == 0)
        n_isos = countries_in_view(m, isos, 512);
    bm_frontier_options fo = {0};
    if (!m->frontiers)
        m->frontiers = bm_frontiers_compute(m->geos, m->boundaries, isos, n_isos, &fo, err);
    if (!m->frontiers)
        return NULL;
    size_t n = bm_frontiers_count(m->frontiers);
    bm_fset *s = fset_new(n, sizeof fields / sizeof *fields, fields);
    for (size_t i = 0; s && i < n; i++) {
        const bm_frontier *fr = bm_frontiers_at(m->frontiers, i);
        frontier_fields(s, i, fr);
        /* Merged, so a label can follow one continuous stretch. */
        GEOSGeometry *merged = GEOSLineMerge_r(m->geos, fr->geom);
        set_geometry(m, s, i, merged ? merged : fr->geom);
        if (merged)
            GEOSGeom_destroy_r(m->geos, merged);
    }
    return s;
}

static bm_fset *load_catalog(bm_map *m, const bm_source *src, bm_error *err)
{
    if (!m->catalog) {
        m->own_catalog = bm_catalog_read(src->data[0] ? src->data : bm_catalog_default_path(),
                                         err);
        if (m->own_catalog && bm_geocode_missing(m->geos, m->own_catalog, err) != BM_OK)
            return NULL;
        m->catalog = m->own_catalog;
    }
    if (!m->catalog)
        return NULL;
    size_t n = bm_catalog_count(m->catalog);
    bm_fset *s = fset_new(n, 0, NULL);
    if (s)
        s->catalog = m->catalog;
    for (size_t i = 0; s && i < n; i++) {
        double lon, lat;
        if (bm_catalog_point(m->catalog, i, &lon, &lat))
            set_point(m, s, i, lon, lat);
    }
    return s;
}

static bm_fset *read_layer(bm_map *m, OGRLayerH layer, const char *path, bm_error *err)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    GIntBig count = OGR_L_GetFeatureCount(layer, 1);
    size_t nf = (size_t)OGR_FD_GetFieldCount(defn), n = count > 0 ? (size_t)count : 0;
    const char *names[256];
    for (size_t k = 0; k < nf && k < 256; k++)
        names[k] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, (int)k));
    bm_fset *s = fset_new(n, nf < 256 ? nf : 256, names);
    OGRFeatureH f;
    size_t i = 0;
    OGR_L_ResetReading(layer);
    while (s && i < n && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        for (size_t k = 0; k < s->n_fields; k++)
            fset_set(s, i, k, OGR_F_GetFieldAsString(f, (int)k));
        GEOSGeometry *g = NULL;
        bm_status st = bm_geometry_from_ogr(m->geos, OGR_F_GetGeometryRef(f), BM_GEOM_ANY, &g,
                                            path, (long)i + 1, err);
        if (g) {
            set_geometry(m, s, i, g);
            GEOSGeom_destroy_r(m->geos, g);
        }
        OGR_F_Destroy(f);
        i++;
        if (st != BM_OK) {
            fset_free(m->geos, s);
            return NULL;
        }
    }
    return s;
}

static bm_fset *load_file(bm_map *m, const char *path, bm_error *err)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH layer = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    if (!layer) {
        if (ds)
            GDALClose(ds);
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot read as a vector dataset");
        return NULL;
    }
    bm_fset *s = read_layer(m, layer, path, err);
    GDALClose(ds);
    return s;
}

char *bm_mapdata_geodata_file(const char *layer, char *buf, size_t size)
{
    /* The embedded layers move between formats (GeoJSON, FlatGeobuf). */
    static const char *const exts[] = {"fgb", "gpkg", "geojson"};
    char name[128];
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        snprintf(name, sizeof name, "%.100s.%s", layer, exts[i]);
        if (access(bm_geodata_path(name, buf, size), R_OK) == 0)
            return buf;
    }
    return buf; /* the last candidate: its absence is reported when opened */
}

static bm_fset *load_source(bm_map *m, const bm_source *src, bm_error *err)
{
    char path[1024];
    switch (src->type) {
    case BM_SOURCE_FRONTIERS:
        return load_frontiers(m, src, err);
    case BM_SOURCE_CATALOG:
        return load_catalog(m, src, err);
    case BM_SOURCE_FILE:
        return load_file(m, src->data, err);
    case BM_SOURCE_GEODATA:
    default:
        if (strcmp(src->data, "countries") == 0)
            return load_countries(m, err);
        return load_file(m, bm_mapdata_geodata_file(src->data, path, sizeof path), err);
    }
}

/* ---- field checks ------------------------------------------------------- */

typedef struct field_check {
    const bm_fset *set;
    const bm_map *m;
    const bm_source *src;
    bm_error *err;
} field_check;

static int check_field(const char *field, const char *path, void *ctx)
{
    field_check *fc = ctx;
    const bm_fset *s = fc->set;
    if (s->catalog && (bm_catalog_field_index(s->catalog, field) >= 0 ||
                       bm_catalog_is_standard_field(field)))
        return 0;
    for (size_t k = 0; !s->catalog && k < s->n_fields; k++)
        if (strcmp(s->fields[k], field) == 0)
            return 0;
    char have[400] = "";
    size_t nf = s->catalog ? bm_catalog_field_count(s->catalog) : s->n_fields;
    for (size_t k = 0; k < nf; k++) {
        const char *name = s->catalog ? bm_catalog_field_name(s->catalog, k) : s->fields[k];
        size_t len = strlen(have);
        snprintf(have + len, sizeof have - len, "%s%s", k ? ", " : "", name);
    }
    bm_error_set(fc->err, BM_ERR_USAGE, fc->m->style->path, 0, path,
                 "unknown field '%s' in source '%s' (expected one of: %s)", field,
                 fc->src->name, have);
    return -1;
}

bm_status bm_mapdata_load(bm_map *m, bm_error *err)
{
    const bm_style *st = m->style;
    m->sets = calloc(st->n_sources + 1, sizeof *m->sets);
    if (!m->sets)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < st->n_layers; i++) {
        const bm_layer *l = &st->layers[i];
        const bm_source *src = &st->sources[l->source];
        if (!m->sets[l->source] && !(m->sets[l->source] = load_source(m, src, err)))
            return err->status ? err->status
                               : bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL,
                                              "cannot load source '%s'", src->name);
        field_check fc = {m->sets[l->source], m, src, err};
        if (bm_layer_fields(l, check_field, &fc))
            return BM_ERR_USAGE;
    }
    return BM_OK;
}

void bm_mapdata_free(bm_map *m)
{
    for (size_t i = 0; m->sets && i < m->style->n_sources; i++)
        fset_free(m->geos, m->sets[i]);
    free(m->sets);
    bm_frontiers_free(m->frontiers);
    bm_boundaries_free(m->boundaries);
    bm_catalog_free(m->own_catalog);
}
