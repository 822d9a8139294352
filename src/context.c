/*
 * context.c — the loaded data of one command, each piece loaded once and
 * handed out with the files it came from.
 *
 * Invariants: every cache entry lists the files it was made from (its
 * deps); handing an entry out notes its deps as inputs. Entries are never
 * evicted, so borrowed pointers stay valid until bm_context_free.
 */
#include "context.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "frontier_stats.h"
#include "geodata.h"

#define MAX_DEPS 6
#define MAX_ISOS 512

typedef struct deps {
    size_t n;
    char *path[MAX_DEPS];
} deps;

/* One record's frontier distance fields, as text, with the point they
 * were measured at: a record whose point changed (a batch worker drops
 * records in place) is measured again. */
typedef struct distance_cell {
    double lon, lat;
    char km[24];
    char in_country[4];
    uint32_t frontier; /* index + 1; 0 none */
    int measured;
} distance_cell;

typedef struct distance_cache {
    const bm_catalog *catalog;
    bm_border_distance *distance;
    const bm_frontiers *frontiers;
    char (*names)[200];   /* per frontier */
    char (*isos)[8];
    distance_cell *cells; /* per record */
    size_t n_cells;
} distance_cache;

typedef struct catalog_entry {
    char *path;
    bm_catalog *catalog;
    bm_match *matches;
    bm_features *view;        /* the catalog as a style source */
    distance_cache *distances; /* its frontier distance fields, once a style uses them */
    deps deps;
} catalog_entry;

typedef struct frontier_entry {
    char *key;                /* sorted ISO codes, comma-separated */
    bm_frontiers *frontiers;
    bm_features *features;
    bm_features *counted;     /* with the events along each (within-km), for: */
    const bm_catalog *counted_catalog;
    size_t counted_records;
    double counted_km;
} frontier_entry;

/* An aggregate source's polygons, for one catalog of a given size. */
typedef struct aggregate_entry {
    char key[300];            /* "by:size:weight" */
    const bm_catalog *catalog;
    size_t records;
    bm_features *features;
} aggregate_entry;

typedef struct source_entry {
    char *key;                /* "geodata:admin1", "file:PATH" */
    bm_features *features;
    deps deps;
} source_entry;

typedef struct input {
    char *text;
    int is_file;
} input;

typedef struct boundaries_entry {
    char *path;
    bm_boundaries *boundaries;
} boundaries_entry;

struct bm_context {
    GEOSContextHandle_t geos;
    char geos_message[512];
    boundaries_entry *boundaries;
    size_t n_boundaries;
    bm_lazy_gazetteer geocoder;
    catalog_entry *catalogs;
    size_t n_catalogs, current;   /* current == n_catalogs: none */
    frontier_entry *frontiers;
    size_t n_frontiers;
    source_entry *sources;
    size_t n_sources;
    input *inputs;
    size_t n_inputs;
    char *credits;
    bm_border_distance *border_distance;
    aggregate_entry *aggregates;
    size_t n_aggregates;
    char *user_gazetteer, *user_boundaries; /* bm_context_use_data; NULL: none */
};

static void distance_cache_free(distance_cache *dc);

/* ---- life cycle --------------------------------------------------------- */

static const bm_boundaries *provide_boundaries(void *ctx, bm_error *err)
{
    return bm_context_boundaries(ctx, err);
}

/* The gazetteer places countries and frontiers on the context's
 * boundaries, so they are read once, and takes in the user's places. */
static bm_status set_up_gazetteer(bm_gazetteer *g, void *data, bm_error *err)
{
    bm_context *ctx = data;
    bm_gazetteer_use_boundaries(g, provide_boundaries, ctx);
    if (!ctx->user_gazetteer)
        return BM_OK;
    bm_context_note_file(ctx, ctx->user_gazetteer);
    return bm_gazetteer_add_geonames(g, ctx->user_gazetteer, err);
}

static void keep_geos_message(const char *message, void *userdata)
{
    bm_context *ctx = userdata;
    snprintf(ctx->geos_message, sizeof ctx->geos_message, "%s", message);
}

static void ignore_geos_notice(const char *message, void *userdata)
{
    (void)message, (void)userdata;
}

bm_context *bm_context_create(bm_error *err)
{
    bm_init();
    bm_context *ctx = calloc(1, sizeof *ctx);
    if (ctx)
        ctx->geos = GEOS_init_r();
    if (!ctx || !ctx->geos) {
        free(ctx);
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    GEOSContext_setErrorMessageHandler_r(ctx->geos, keep_geos_message, ctx);
    GEOSContext_setNoticeMessageHandler_r(ctx->geos, ignore_geos_notice, ctx);
    ctx->geocoder = (bm_lazy_gazetteer){ctx->geos, NULL, set_up_gazetteer, ctx};
    return ctx;
}

static void deps_free(deps *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->path[i]);
}

void bm_context_free(bm_context *ctx)
{
    if (!ctx)
        return;
    for (size_t i = 0; i < ctx->n_sources; i++) {
        bm_features_free(ctx->geos, ctx->sources[i].features);
        deps_free(&ctx->sources[i].deps);
        free(ctx->sources[i].key);
    }
    bm_border_distance_free(ctx->border_distance);
    for (size_t i = 0; i < ctx->n_aggregates; i++)
        bm_features_free(ctx->geos, ctx->aggregates[i].features);
    free(ctx->aggregates);
    for (size_t i = 0; i < ctx->n_frontiers; i++) {
        bm_features_free(ctx->geos, ctx->frontiers[i].features);
        bm_features_free(ctx->geos, ctx->frontiers[i].counted);
        bm_frontiers_free(ctx->frontiers[i].frontiers);
        free(ctx->frontiers[i].key);
    }
    for (size_t i = 0; i < ctx->n_catalogs; i++) {
        catalog_entry *e = &ctx->catalogs[i];
        distance_cache_free(e->distances);
        bm_features_free(ctx->geos, e->view);
        free(e->matches);
        bm_catalog_free(e->catalog);
        deps_free(&e->deps);
        free(e->path);
    }
    for (size_t i = 0; i < ctx->n_inputs; i++)
        free(ctx->inputs[i].text);
    free(ctx->inputs);
    free(ctx->credits);
    free(ctx->sources);
    free(ctx->frontiers);
    free(ctx->catalogs);
    bm_gazetteer_free(ctx->geocoder.g);
    free(ctx->user_gazetteer);
    free(ctx->user_boundaries);
    for (size_t i = 0; i < ctx->n_boundaries; i++) {
        bm_boundaries_free(ctx->boundaries[i].boundaries);
        free(ctx->boundaries[i].path);
    }
    free(ctx->boundaries);
    GEOS_finish_r(ctx->geos);
    free(ctx);
}

GEOSContextHandle_t bm_context_geos(bm_context *ctx)
{
    return ctx->geos;
}

int bm_context_take_geos_error(bm_context *ctx, char *buf, size_t size)
{
    if (!ctx->geos_message[0])
        return 0;
    snprintf(buf, size, "%s", ctx->geos_message);
    ctx->geos_message[0] = '\0';
    return 1;
}

/* Adds what GEOS said to an error that a GEOS failure caused. */
static void with_geos_message(bm_context *ctx, bm_error *err)
{
    char msg[512];
    size_t len = strlen(err->message);
    if (bm_context_take_geos_error(ctx, msg, sizeof msg) && len + 3 < sizeof err->message)
        snprintf(err->message + len, sizeof err->message - len, " (GEOS: %.400s)", msg);
}

static bm_status out_of_memory(bm_error *err)
{
    return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
}

/* Grows an array of entries by one; NULL when out of memory. */
static void *grow(void *array, size_t n, size_t size)
{
    return realloc(array, (n + 1) * size);
}

/* ---- inputs ------------------------------------------------------------- */

static void note(bm_context *ctx, const char *text, int is_file)
{
    for (size_t i = 0; i < ctx->n_inputs; i++)
        if (ctx->inputs[i].is_file == is_file && strcmp(ctx->inputs[i].text, text) == 0)
            return;
    input *p = grow(ctx->inputs, ctx->n_inputs, sizeof *p);
    char *copy = p ? strdup(text) : NULL;
    if (p)
        ctx->inputs = p;
    /* Out of memory here loses a dependency, which only makes batch
     * re-render: the map itself is unaffected. */
    if (copy)
        ctx->inputs[ctx->n_inputs++] = (input){copy, is_file};
}

void bm_context_note_file(bm_context *ctx, const char *path)
{
    if (strcmp(path, "-") != 0)
        note(ctx, path, 1);
}

void bm_context_note_name(bm_context *ctx, const char *kind, const char *name)
{
    char text[512];
    snprintf(text, sizeof text, "%s:%s", kind, name);
    note(ctx, text, 0);
}

size_t bm_context_input_count(const bm_context *ctx)
{
    return ctx->n_inputs;
}

const char *bm_context_input(const bm_context *ctx, size_t i, int *is_file)
{
    if (is_file)
        *is_file = ctx->inputs[i].is_file;
    return ctx->inputs[i].text;
}

void bm_context_inputs_reset(bm_context *ctx)
{
    for (size_t i = 0; i < ctx->n_inputs; i++)
        free(ctx->inputs[i].text);
    ctx->n_inputs = 0;
}

static void deps_add(deps *d, const char *path)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->path[i], path) == 0)
            return;
    assert(d->n < MAX_DEPS);
    if (strcmp(path, "-") != 0 && (d->path[d->n] = strdup(path)) != NULL)
        d->n++;
}

static void note_deps(bm_context *ctx, const deps *d)
{
    for (size_t i = 0; i < d->n; i++)
        bm_context_note_file(ctx, d->path[i]);
}

/* The files the gazetteer reads (the country polygons included, which it
 * opens to place countries and frontiers). */
static void deps_add_gazetteer(deps *d)
{
    static const char *const files[] = {"gazetteer.tsv", "admin1.fgb", "features.geojson"};
    char path[1024];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        deps_add(d, bm_geodata_path(files[i], path, sizeof path));
    deps_add(d, bm_boundaries_default_path());
}

/* ---- credits ------------------------------------------------------------ */

static char *read_credits(const char *path)
{
    char line[512], text[1024] = "";
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "credit: ", 8) != 0)
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s%s", len ? " · " : "", line + 8);
    }
    if (f)
        fclose(f);
    return strdup(text);
}

const char *bm_context_credits(bm_context *ctx)
{
    char path[1024];
    bm_geodata_path("ATTRIBUTION", path, sizeof path);
    if (!ctx->credits)
        ctx->credits = read_credits(path);
    if (access(path, R_OK) == 0)
        bm_context_note_file(ctx, path);
    return ctx->credits ? ctx->credits : "";
}

/* ---- boundaries and gazetteer -------------------------------------------- */

/* The boundaries in path, checked for validity (and repaired) when check
 * is set; a set loaded unchecked for drawing is checked when an analysis
 * asks for it. */
static const bm_boundaries *boundaries_from(bm_context *ctx, const char *path, int check,
                                            bm_error *err)
{
    bm_context_note_file(ctx, path);
    for (size_t i = 0; i < ctx->n_boundaries; i++)
        if (strcmp(ctx->boundaries[i].path, path) == 0) {
            bm_boundaries *b = ctx->boundaries[i].boundaries;
            if (check && bm_boundaries_check(b, err) != BM_OK) {
                with_geos_message(ctx, err);
                return NULL;
            }
            return b;
        }
    boundaries_entry *p = grow(ctx->boundaries, ctx->n_boundaries, sizeof *p);
    if (!p) {
        out_of_memory(err);
        return NULL;
    }
    ctx->boundaries = p;
    bm_boundaries *b = check ? bm_boundaries_load(ctx->geos, path, err)
                             : bm_boundaries_load_unchecked(ctx->geos, path, err);
    if (!b)
        with_geos_message(ctx, err);
    char *copy = b ? strdup(path) : NULL;
    if (!copy) {
        bm_boundaries_free(b);
        if (b)
            out_of_memory(err);
        return NULL;
    }
    p[ctx->n_boundaries++] = (boundaries_entry){copy, b};
    return b;
}

const bm_boundaries *bm_context_boundaries_from(bm_context *ctx, const char *path,
                                                bm_error *err)
{
    return boundaries_from(ctx, path, 1, err);
}

const bm_boundaries *bm_context_boundaries(bm_context *ctx, bm_error *err)
{
    return bm_context_boundaries_from(
        ctx, ctx->user_boundaries ? ctx->user_boundaries : bm_boundaries_default_path(), err);
}

bm_status bm_context_use_data(bm_context *ctx, const char *gazetteer, const char *boundaries,
                              bm_error *err)
{
    free(ctx->user_gazetteer);
    free(ctx->user_boundaries);
    ctx->user_gazetteer = gazetteer ? strdup(gazetteer) : NULL;
    ctx->user_boundaries = boundaries ? strdup(boundaries) : NULL;
    if ((gazetteer && !ctx->user_gazetteer) || (boundaries && !ctx->user_boundaries))
        return out_of_memory(err);
    return BM_OK;
}

bm_lazy_gazetteer *bm_context_geocoder(bm_context *ctx)
{
    return &ctx->geocoder;
}

bm_gazetteer *bm_context_gazetteer(bm_context *ctx, bm_error *err)
{
    deps d = {0};
    if (!ctx->geocoder.g && (ctx->geocoder.g = bm_gazetteer_load(ctx->geos, err)) != NULL &&
        set_up_gazetteer(ctx->geocoder.g, ctx, err) != BM_OK) {
        bm_gazetteer_free(ctx->geocoder.g);
        ctx->geocoder.g = NULL;
    }
    deps_add_gazetteer(&d);
    note_deps(ctx, &d);
    deps_free(&d);
    return ctx->geocoder.g;
}

/* ---- frontier distances of catalog records ------------------------------ */

static void distance_cache_free(distance_cache *dc)
{
    if (!dc)
        return;
    free(dc->names);
    free(dc->isos);
    free(dc->cells);
    free(dc);
}

static distance_cache *distance_cache_new(const bm_catalog *c, bm_border_distance *distance,
                                          const bm_frontiers *f)
{
    size_t n_fr = bm_frontiers_count(f);
    distance_cache *dc = calloc(1, sizeof *dc);
    if (!dc)
        return NULL;
    *dc = (distance_cache){c, distance, f, calloc(n_fr + 1, sizeof *dc->names),
                           calloc(n_fr + 1, sizeof *dc->isos), NULL, 0};
    if (!dc->names || !dc->isos) {
        distance_cache_free(dc);
        return NULL;
    }
    for (size_t i = 0; i < n_fr; i++) {
        const bm_frontier *fr = bm_frontiers_at(f, i);
        bm_frontier_name(fr, dc->names[i], sizeof dc->names[i]);
        snprintf(dc->isos[i], sizeof dc->isos[i], "%s-%s", fr->iso_a, fr->iso_b);
    }
    return dc;
}

static distance_cell *measured_cell(distance_cache *dc, size_t record, double lon, double lat)
{
    if (record >= dc->n_cells) {
        size_t n = bm_catalog_count(dc->catalog) > record ? bm_catalog_count(dc->catalog)
                                                          : record + 1;
        distance_cell *cells = realloc(dc->cells, n * sizeof *cells);
        if (!cells)
            return NULL;
        memset(cells + dc->n_cells, 0, (n - dc->n_cells) * sizeof *cells);
        dc->cells = cells, dc->n_cells = n;
    }
    distance_cell *cell = &dc->cells[record];
    if (cell->measured && cell->lon == lon && cell->lat == lat)
        return cell;
    bm_border_answer a;
    if (bm_border_distance_query(dc->distance, lon, lat, &a) != 0)
        return NULL;
    *cell = (distance_cell){.lon = lon, .lat = lat, .measured = 1};
    /* To the metre, as geocode --frontier-distance writes it. */
    if (a.frontier) {
        snprintf(cell->km, sizeof cell->km, "%.3f", round(a.km * 1000.0) / 1000.0);
        cell->frontier = (uint32_t)a.frontier_index + 1;
    }
    snprintf(cell->in_country, sizeof cell->in_country, "%s", a.in_country);
    return cell;
}

/* The computed fields of a catalog view. A record without a point, or
 * one GEOS could not place in a country, has them empty: a style reads
 * them as it reads any empty field. */
static const char *distance_value(void *data, size_t record, const char *field)
{
    int k = -1;
    for (int i = 0; i < BM_BORDER_DISTANCE_FIELDS && k < 0; i++)
        if (strcmp(field, bm_border_distance_fields[i]) == 0)
            k = i;
    if (k < 0)
        return NULL;
    distance_cache *dc = data;
    double lon, lat;
    distance_cell *cell = bm_catalog_point(dc->catalog, record, &lon, &lat)
                        ? measured_cell(dc, record, lon, lat)
                        : NULL;
    if (!cell)
        return "";
    switch (k) {
    case 0: return cell->km;
    case 1: return cell->frontier ? dc->names[cell->frontier - 1] : "";
    case 2: return cell->frontier ? dc->isos[cell->frontier - 1] : "";
    default: return cell->in_country;
    }
}

static int is_distance_field(const char *field, const char *path, void *data)
{
    (void)path, (void)data;
    for (int i = 0; i < BM_BORDER_DISTANCE_FIELDS; i++)
        if (strcmp(field, bm_border_distance_fields[i]) == 0)
            return 1;
    return 0;
}

/* Whether a layer drawing the source names a frontier distance field. */
static int uses_distances(const bm_style *style, size_t source)
{
    for (size_t i = 0; i < style->n_layers; i++)
        if (style->layers[i].source == source &&
            bm_layer_fields(&style->layers[i], is_distance_field, NULL))
            return 1;
    return 0;
}

/* Gives a catalog view its frontier distance fields; they are measured
 * record by record as the style reads them. */
static bm_status add_distances(bm_context *ctx, catalog_entry *e, bm_error *err)
{
    bm_border_distance *bd = bm_context_border_distance(ctx, err);
    const bm_frontiers *f = bd ? bm_context_frontiers(ctx, NULL, 0, err) : NULL;
    if (!f)
        return err->status;
    if (!(e->distances = distance_cache_new(e->catalog, bd, f)))
        return out_of_memory(err);
    e->view->computed_fields = bm_border_distance_fields;
    e->view->n_computed = BM_BORDER_DISTANCE_FIELDS;
    e->view->computed = distance_value;
    e->view->computed_data = e->distances;
    return BM_OK;
}

/* ---- catalogs ----------------------------------------------------------- */

static catalog_entry *find_catalog(bm_context *ctx, const char *path)
{
    for (size_t i = 0; i < ctx->n_catalogs; i++)
        if (ctx->catalogs[i].path && strcmp(ctx->catalogs[i].path, path) == 0 &&
            strcmp(path, "-") != 0)
            return &ctx->catalogs[i];
    return NULL;
}

static catalog_entry *add_catalog(bm_context *ctx, bm_catalog *c, bm_match *matches,
                                  const char *path, int used_gazetteer, bm_error *err)
{
    catalog_entry *p = grow(ctx->catalogs, ctx->n_catalogs, sizeof *p);
    if (!p) {
        out_of_memory(err);
        return NULL;
    }
    ctx->catalogs = p;
    catalog_entry *e = &p[ctx->n_catalogs];
    *e = (catalog_entry){.path = strdup(path ? path : "-"), .catalog = c, .matches = matches};
    if (!e->path) {
        out_of_memory(err);
        return NULL;
    }
    deps_add(&e->deps, e->path);
    if (used_gazetteer)
        deps_add_gazetteer(&e->deps);
    ctx->current = ctx->n_catalogs++;
    note_deps(ctx, &e->deps);
    return e;
}

/* Places the records without a point, one match at a time unless all
 * are wanted. */
static bm_status geocode(bm_context *ctx, bm_catalog *c, bm_match **matches, bm_error *err)
{
    if (matches) {
        bm_geocode_summary sum;
        *matches = bm_geocode_catalog(&ctx->geocoder, c, 0, &sum, err);
        return *matches ? BM_OK : err->status;
    }
    return bm_geocode_missing(&ctx->geocoder, c, err);
}

bm_catalog *bm_context_read_catalog(bm_context *ctx, const char *path,
                                    const bm_catalog_options *opt, const bm_match **matches,
                                    bm_error *err)
{
    catalog_entry *e = find_catalog(ctx, path);
    if (e) {
        ctx->current = (size_t)(e - ctx->catalogs);
        note_deps(ctx, &e->deps);
        if (matches && !(*matches = bm_context_matches(ctx, err)))
            return NULL;
        return e->catalog;
    }
    bm_catalog *c = opt ? bm_catalog_read_ex(path, opt, err) : bm_catalog_read(path, err);
    bm_match *m = NULL;
    int had_gazetteer = ctx->geocoder.g != NULL;
    if (c && geocode(ctx, c, matches ? &m : NULL, err) != BM_OK) {
        bm_catalog_free(c);
        return NULL;
    }
    int used_gazetteer = had_gazetteer || ctx->geocoder.g != NULL;
    if (!c || !(e = add_catalog(ctx, c, m, path, used_gazetteer, err))) {
        free(m);
        bm_catalog_free(c);
        return NULL;
    }
    if (matches)
        *matches = m;
    return c;
}

bm_status bm_context_adopt_catalog(bm_context *ctx, bm_catalog *c, bm_match *matches,
                                   const char *path, bm_error *err)
{
    if (!add_catalog(ctx, c, matches, path, ctx->geocoder.g != NULL, err)) {
        free(matches);
        bm_catalog_free(c);
        return err->status;
    }
    return BM_OK;
}

void bm_context_use_catalog(bm_context *ctx, const bm_catalog *c)
{
    for (size_t i = 0; i < ctx->n_catalogs; i++)
        if (ctx->catalogs[i].catalog == c) {
            ctx->current = i;
            note_deps(ctx, &ctx->catalogs[i].deps);
        }
}

bm_catalog *bm_context_catalog(bm_context *ctx)
{
    return ctx->current < ctx->n_catalogs ? ctx->catalogs[ctx->current].catalog : NULL;
}

const bm_match *bm_context_matches(bm_context *ctx, bm_error *err)
{
    if (ctx->current >= ctx->n_catalogs) {
        bm_error_set(err, BM_ERR_USAGE, NULL, 0, NULL, "no catalog");
        return NULL;
    }
    catalog_entry *e = &ctx->catalogs[ctx->current];
    if (!e->matches) {
        if (geocode(ctx, e->catalog, &e->matches, err) != BM_OK)
            return NULL;
        if (ctx->geocoder.g)
            deps_add_gazetteer(&e->deps);
        note_deps(ctx, &e->deps);
    }
    return e->matches;
}

/* The current catalog as a style source, read from the source's file (or
 * the seed catalog) when no catalog was read yet; with the frontier
 * distance fields when the style uses them. */
static const bm_features *catalog_source(bm_context *ctx, const bm_style *style, size_t source,
                                         bm_error *err)
{
    const bm_source *src = &style->sources[source];
    if (ctx->current >= ctx->n_catalogs &&
        !bm_context_read_catalog(ctx, src->data[0] ? src->data : bm_catalog_default_path(),
                                 NULL, NULL, err))
        return NULL;
    catalog_entry *e = &ctx->catalogs[ctx->current];
    note_deps(ctx, &e->deps);
    if (!e->view && !(e->view = bm_features_for_catalog(e->catalog, e->matches)))
        out_of_memory(err);
    if (e->view) {
        /* A batch worker leaves out the records its filter rejects. */
        e->view->n = bm_catalog_count(e->catalog);
        e->view->matches = e->matches;
        if (!e->distances && uses_distances(style, source) && add_distances(ctx, e, err) != BM_OK)
            return NULL;
    }
    return e->view;
}

/* ---- frontiers ---------------------------------------------------------- */

static int compare_iso(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void frontier_key(const char *const *isos, size_t n, char *key, size_t size)
{
    const char *sorted[MAX_ISOS];
    n = n < MAX_ISOS ? n : MAX_ISOS;
    if (n > 0) /* isos may be NULL when there are none */
        memcpy(sorted, isos, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_iso);
    key[0] = '\0';
    for (size_t i = 0, len = 0; i < n && len < size; i++)
        len += (size_t)snprintf(key + len, size - len, "%s%s", i ? "," : "", sorted[i]);
}

static frontier_entry *frontier_set(bm_context *ctx, const char *const *isos, size_t n,
                                    bm_error *err)
{
    char key[MAX_ISOS * 4 + 1], path[1024];
    frontier_key(isos, n, key, sizeof key);
    const bm_boundaries *b = bm_context_boundaries(ctx, err);
    if (!b)
        return NULL;
    bm_context_note_file(ctx, bm_geodata_path("reported_frontiers.csv", path, sizeof path));
    for (size_t i = 0; i < ctx->n_frontiers; i++)
        if (strcmp(ctx->frontiers[i].key, key) == 0)
            return &ctx->frontiers[i];
    frontier_entry *p = grow(ctx->frontiers, ctx->n_frontiers, sizeof *p);
    if (!p) {
        out_of_memory(err);
        return NULL;
    }
    ctx->frontiers = p;
    bm_frontiers *f = bm_frontiers_compute(ctx->geos, b, isos, n, NULL, err);
    if (!f)
        with_geos_message(ctx, err);
    char *k = f ? strdup(key) : NULL;
    if (!k) {
        bm_frontiers_free(f);
        if (f)
            out_of_memory(err);
        return NULL;
    }
    p[ctx->n_frontiers] = (frontier_entry){.key = k, .frontiers = f};
    return &p[ctx->n_frontiers++];
}

const bm_frontiers *bm_context_frontiers(bm_context *ctx, const char *const *isos, size_t n,
                                         bm_error *err)
{
    frontier_entry *e = frontier_set(ctx, isos, n, err);
    return e ? e->frontiers : NULL;
}

/* Every embedded country, not only those near the points: the nearest
 * frontier of a point at sea or deep inside a large country can lie far
 * from any catalog's extent, geocode streams its rows and cannot know that
 * extent in advance, and all the embedded frontiers take about a second.
 * So a point gets the same answer whatever else is in its catalog. */
bm_border_distance *bm_context_border_distance(bm_context *ctx, bm_error *err)
{
    if (ctx->border_distance)
        return ctx->border_distance;
    const bm_frontiers *f = bm_context_frontiers(ctx, NULL, 0, err);
    const bm_boundaries *b = f ? bm_context_boundaries(ctx, err) : NULL;
    if (b)
        ctx->border_distance = bm_border_distance_create(ctx->geos, f, b, err);
    return ctx->border_distance;
}

/* Countries whose polygons reach into view. */
static size_t countries_in_view(bm_context *ctx, const bm_boundaries *b, const double view[4],
                                const char **isos, size_t max)
{
    size_t n = 0;
    GEOSGeometry *box = GEOSGeom_createRectangle_r(ctx->geos, view[0], view[1], view[2],
                                                   view[3]);
    for (size_t i = 0; box && i < bm_boundaries_count(b) && n < max; i++) {
        const bm_country *c = bm_boundaries_at(b, i);
        if (GEOSIntersects_r(ctx->geos, box, c->geom) == 1)
            isos[n++] = c->iso_a3;
    }
    if (box)
        GEOSGeom_destroy_r(ctx->geos, box);
    return n;
}

static size_t catalog_source_of(const bm_style *style)
{
    for (size_t i = 0; i < style->n_sources; i++)
        if (style->sources[i].type == BM_SOURCE_CATALOG)
            return i;
    return SIZE_MAX;
}

/* The frontiers with the events of the style's catalog within km of each
 * (frontier_stats.h), counted again when the catalog or the distance
 * change. */
/* The catalog a frontiers source with within-km counts: the style's,
 * resolved (with any frontier distances its style uses). */
static const bm_catalog *counted_catalog(bm_context *ctx, const bm_style *style,
                                         const bm_source *src, bm_error *err)
{
    size_t cat = catalog_source_of(style);
    if (cat == SIZE_MAX) {
        bm_error_set(err, BM_ERR_USAGE, style->path, 0, "sources", "the frontiers source '%s' "
                     "counts events (within-km) but the style has no catalog source", src->name);
        return NULL;
    }
    return catalog_source(ctx, style, cat, err) ? ctx->catalogs[ctx->current].catalog : NULL;
}

/* The frontiers with the events of c within km of each
 * (frontier_stats.h), counted again when the catalog or the distance
 * change. */
static const bm_features *counted_frontiers(bm_context *ctx, const bm_source *src,
                                            frontier_entry *e, const bm_catalog *c,
                                            bm_error *err)
{
    if (e->counted && e->counted_catalog == c && e->counted_records == bm_catalog_count(c) &&
        e->counted_km == src->within_km)
        return e->counted;
    bm_features_free(ctx->geos, e->counted);
    const bm_boundaries *b = bm_context_boundaries(ctx, err);
    bm_border_distance *d = b ? bm_border_distance_create(ctx->geos, e->frontiers, b, err) : NULL;
    bm_frontier_stats *s = d ? bm_frontier_stats_compute(d, e->frontiers, c, src->within_km, err)
                             : NULL;
    e->counted = s ? bm_frontier_stats_features(ctx->geos, e->frontiers, s, err) : NULL;
    e->counted_catalog = c, e->counted_records = bm_catalog_count(c), e->counted_km = src->within_km;
    bm_frontier_stats_free(s);
    bm_border_distance_free(d);
    return e->counted;
}

static const bm_features *frontier_source(bm_context *ctx, const bm_style *style,
                                          const bm_source *src, const double view[4],
                                          bm_error *err)
{
    const char *isos[MAX_ISOS];
    size_t n = src->n_countries < MAX_ISOS ? src->n_countries : MAX_ISOS;
    for (size_t i = 0; i < n; i++)
        isos[i] = src->countries[i];
    if (n == 0) {
        const bm_boundaries *b = bm_context_boundaries(ctx, err);
        if (!b)
            return NULL;
        n = countries_in_view(ctx, b, view, isos, MAX_ISOS);
    }
    /* The catalog first: the frontier distances it may need add a frontier
     * set, which can move the entries. */
    const bm_catalog *c = NULL;
    if (src->within_km >= 0 && !(c = counted_catalog(ctx, style, src, err)))
        return NULL;
    frontier_entry *e = frontier_set(ctx, isos, n, err);
    if (e && c)
        return counted_frontiers(ctx, src, e, c, err);
    if (e && !e->features)
        e->features = bm_frontiers_features(ctx->geos, e->frontiers, err);
    return e ? e->features : NULL;
}

/* ---- embedded layers and files ------------------------------------------ */

char *bm_context_geodata_file(const char *layer, char *buf, size_t size)
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

/* The countries as features, from the boundaries the frontiers use; read
 * without the validity check when nothing has asked for it yet (drawing
 * needs none, and it took a third of a small map's time). */
static bm_features *countries_features(bm_context *ctx, bm_error *err)
{
    static const char *const fields[] = {"iso_a3", "name"};
    const bm_boundaries *b = boundaries_from(
        ctx, ctx->user_boundaries ? ctx->user_boundaries : bm_boundaries_default_path(), 0, err);
    if (!b)
        return NULL;
    size_t n = bm_boundaries_count(b);
    bm_features *f = bm_features_create(n, 2, fields, NULL);
    int rc = f ? 0 : -1;
    /* The polygons are the boundaries' own (a copy was 8 MB): the context
     * frees its sources before its boundaries. */
    if (f)
        f->geom_borrowed = 1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const bm_country *c = bm_boundaries_at(b, i);
        rc = bm_features_set(f, i, 0, c->iso_a3) | bm_features_set(f, i, 1, c->name);
        f->geom[i] = c->geom;
    }
    if (rc != 0) {
        bm_features_free(ctx->geos, f);
        out_of_memory(err);
        return NULL;
    }
    f->layer_type = wkbMultiPolygon;
    return f;
}

/* A file's features, or the embedded countries (file NULL). */
static const bm_features *stored(bm_context *ctx, const char *file, bm_error *err)
{
    char key[1100];
    int countries = file == NULL;
    if (countries)
        file = bm_boundaries_default_path();
    if (snprintf(key, sizeof key, "%s:%s", countries ? "countries" : "file", file) >=
        (int)sizeof key) {
        bm_error_set(err, BM_ERR_USAGE, file, 0, NULL, "path too long (1023 bytes at most)");
        return NULL;
    }
    for (size_t i = 0; i < ctx->n_sources; i++)
        if (strcmp(ctx->sources[i].key, key) == 0) {
            note_deps(ctx, &ctx->sources[i].deps);
            return ctx->sources[i].features;
        }
    source_entry *p = grow(ctx->sources, ctx->n_sources, sizeof *p);
    if (!p) {
        out_of_memory(err);
        return NULL;
    }
    ctx->sources = p;
    bm_features *f = countries ? countries_features(ctx, err)
                               : bm_features_read(ctx->geos, file, err);
    char *k = f ? strdup(key) : NULL;
    if (!k) {
        bm_features_free(ctx->geos, f);
        if (f)
            out_of_memory(err);
        return NULL;
    }
    source_entry *e = &p[ctx->n_sources++];
    *e = (source_entry){.key = k, .features = f};
    deps_add(&e->deps, file);
    note_deps(ctx, &e->deps);
    return f;
}

const bm_features *bm_context_geodata(bm_context *ctx, const char *layer, bm_error *err)
{
    char path[1024];
    if (strcmp(layer, "countries") == 0)
        return stored(ctx, NULL, err);
    return stored(ctx, bm_context_geodata_file(layer, path, sizeof path), err);
}

/* The cached polygons of key for the catalog c, or a new slot for them. */
static aggregate_entry *aggregate_slot(bm_context *ctx, const char *key, const bm_catalog *c,
                                       bm_error *err)
{
    for (size_t i = 0; i < ctx->n_aggregates; i++) {
        aggregate_entry *e = &ctx->aggregates[i];
        if (strcmp(e->key, key) == 0) {
            if (e->catalog != c || e->records != bm_catalog_count(c)) {
                bm_features_free(ctx->geos, e->features);
                e->features = NULL;
            }
            return e;
        }
    }
    aggregate_entry *p = realloc(ctx->aggregates, (ctx->n_aggregates + 1) * sizeof *p);
    if (!p) {
        out_of_memory(err);
        return NULL;
    }
    ctx->aggregates = p;
    p[ctx->n_aggregates] = (aggregate_entry){.features = NULL};
    snprintf(p[ctx->n_aggregates].key, sizeof p->key, "%s", key);
    return &p[ctx->n_aggregates++];
}

/* A catalog source's events per region or hexagon (aggregate.h). */
static const bm_features *aggregate_source(bm_context *ctx, const bm_style *style,
                                           const bm_source *src, bm_error *err)
{
    static const char *const regions[] = {"admin1", "countries", NULL};
    const bm_features *points = catalog_source(ctx, style, src->of, err);
    if (!points)
        return NULL;
    const bm_catalog *c = ctx->catalogs[ctx->current].catalog;
    char key[300];
    snprintf(key, sizeof key, "%d:%.6g:%.200s", (int)src->by, src->size_km, src->weight);
    aggregate_entry *e = aggregate_slot(ctx, key, c, err);
    if (!e || e->features)
        return e ? e->features : NULL;
    const char *table = regions[src->by];
    const bm_features *polygons = table ? bm_context_geodata(ctx, table, err) : NULL;
    if (table && !polygons)
        return NULL;
    e->features = table ? bm_aggregate_regions(ctx->geos, polygons, points, src->weight, err)
                        : bm_aggregate_hexagons(ctx->geos, points, src->size_km, src->weight, err);
    e->catalog = c, e->records = bm_catalog_count(c);
    return e->features;
}

const bm_features *bm_context_source(bm_context *ctx, const bm_style *style, size_t source,
                                     const double view[4], bm_error *err)
{
    const bm_source *src = &style->sources[source];
    switch (src->type) {
    case BM_SOURCE_CATALOG:
        return catalog_source(ctx, style, source, err);
    case BM_SOURCE_FRONTIERS:
        return frontier_source(ctx, style, src, view ? view : style->page.extent, err);
    case BM_SOURCE_FILE:
        return stored(ctx, src->data, err);
    case BM_SOURCE_AGGREGATE:
        return aggregate_source(ctx, style, src, err);
    case BM_SOURCE_GEODATA:
    default:
        return bm_context_geodata(ctx, src->data, err);
    }
}
