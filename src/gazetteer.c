/*
 * gazetteer.c — loading the embedded places and indexing them by name.
 *
 * All strings live in an arena freed at once. The name index is a small
 * open-addressing hash table from folded key to a chain of place indices;
 * each name is indexed as written and, when it has them, without a
 * leading Arabic article ("Ar Raqqah" -> "raqqah") and without words that
 * only say what kind of place it is ("Batken Oblast" -> "batken").
 */
#include "gazetteer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include "boundaries.h"
#include "confine.h"
#include "countries_table.h"
#include "frontiers.h"
#include "geodata.h"
#include "geometry.h"
#include "normalize.h"

#define N_COUNTRIES (sizeof bm_country_table / sizeof *bm_country_table)
#define KEY_MAX 256
#define NEAR_DEG 0.05  /* about 5 km: a feature on a border river is near both banks */
#define SAME_DEG 0.1   /* about 10 km: two answers that close are one place */

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    char data[];
} chunk;

typedef struct slot {
    const char *key;
    uint32_t hash;
    int32_t head;
} slot;

typedef struct posting {
    int32_t value, next;
    int loose; /* see bm_name_hit */
} posting;

typedef struct name_index {
    slot *slots;
    size_t cap, used;
    posting *posts;
    size_t n_posts, cap_posts;
} name_index;

typedef struct spelling {
    char country[4]; /* a key names places of several countries: one entry each */
    const char *key;
    size_t len;
    int32_t head;    /* postings of the key */
} spelling;

typedef struct world_extent {
    char iso3[4];
    double box[4];
} world_extent;

typedef struct frontier_entry {
    char a[4], b[4];
    bm_place *place; /* NULL: no shared border */
} frontier_entry;

struct bm_gazetteer {
    GEOSContextHandle_t geos;
    chunk *arena;
    bm_place *places;
    GEOSGeometry **geoms; /* per place: admin-1 polygon or feature geometry, else NULL */
    size_t count, cap;
    name_index names;     /* key -> place index */
    spelling *spellings;  /* keys by country, first letter and length, for near matches */
    size_t n_spellings;
    name_index countries; /* key -> bm_country_table index */
    int32_t country_place[N_COUNTRIES];
    bm_boundaries *boundaries; /* read on first use, unless borrowed */
    const bm_boundaries *shared;
    bm_boundaries_provider provider;
    void *provider_data;
    frontier_entry *frontiers;
    size_t n_frontiers;
    double coverage[4];
    int has_coverage;
    world_extent *world; /* extents of the small-scale world map, read on first use */
    size_t n_world;
    int world_read;
};

/* ---- arena ---- */

static char *arena_alloc(bm_gazetteer *g, size_t n)
{
    if (!g->arena || g->arena->used + n > g->arena->size) {
        size_t size = n > (1u << 20) ? n : (1u << 20);
        chunk *c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->next = g->arena;
        c->used = 0;
        c->size = size;
        g->arena = c;
    }
    char *p = g->arena->data + g->arena->used;
    g->arena->used += n;
    return p;
}

static const char *arena_str(bm_gazetteer *g, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(g, n);
    if (p)
        memcpy(p, s, n);
    return p ? p : "";
}

/* ---- hash index ---- */

static uint32_t hash_key(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static slot *find_slot(const name_index *ix, const char *key, uint32_t h)
{
    size_t mask = ix->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &ix->slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
            return s;
    }
}

static int index_grow(name_index *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 1024;
    slot *old = ix->slots;
    size_t old_cap = ix->cap;
    ix->slots = calloc(cap, sizeof *ix->slots);
    if (!ix->slots) {
        ix->slots = old;
        return -1;
    }
    ix->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *find_slot(ix, old[i].key, old[i].hash) = old[i];
    free(old);
    return 0;
}

static int index_add(bm_gazetteer *g, name_index *ix, const char *key, int32_t value, int loose)
{
    if (!*key)
        return 0;
    if ((ix->used + 1) * 2 > ix->cap && index_grow(ix) != 0)
        return -1;
    uint32_t h = hash_key(key);
    slot *s = find_slot(ix, key, h);
    /* A place's names are added one after another, so a repeat of the
     * same key for the same place is always at the head of the chain. */
    if (s->key && ix->posts[s->head].value == value) {
        ix->posts[s->head].loose &= loose;
        return 0;
    }
    if (ix->n_posts == ix->cap_posts) {
        size_t cap = ix->cap_posts ? ix->cap_posts * 2 : 4096;
        posting *p = realloc(ix->posts, cap * sizeof *p);
        if (!p)
            return -1;
        ix->posts = p;
        ix->cap_posts = cap;
    }
    if (!s->key) {
        s->key = arena_str(g, key);
        s->hash = h;
        s->head = -1;
        ix->used++;
    }
    ix->posts[ix->n_posts] = (posting){value, s->head, loose};
    s->head = (int32_t)ix->n_posts++;
    return 0;
}

static int32_t index_head(const name_index *ix, const char *key)
{
    if (!ix->cap)
        return -1;
    slot *s = find_slot(ix, key, hash_key(key));
    return s->key ? s->head : -1;
}

static void index_free(name_index *ix)
{
    free(ix->slots);
    free(ix->posts);
}

/* ---- name variants ---- */

static int word_in(const char *word, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && strncmp(*list, word, len) == 0)
            return 1;
    return 0;
}

static const char *const admin_words[] = {
    "region", "regions", "oblast", "oblasty", "oblys", "oblysy", "province", "viloyat",
    "viloyati", "velayat", "velayati", "welayat", "welayaty", "vilayet", "governorate",
    "muhafazat", "muhafazah", "mintaqat", "mintaqah", "wilayat", "wilayah", "kray", "krai",
    "autonomous", "division", NULL};
static const char *const town_words[] = {"city", "town", "village", "shahri", "gorod",
                                         "kishlak", NULL};
static const char *const district_words[] = {"district", "districts", "rayon", "raion",
                                             "nohiya", "nohiyai", "tuman", "tumani", "county",
                                             NULL};
static const char *const river_words[] = {"river", "darya", "daryo", "daryasi", NULL};
static const char *const base_words[] = {"base", "airbase", "airfield", "airport", "garrison",
                                         NULL};
static const char *const terrain_words[] = {"valley", "corridor", "gorge", "desert",
                                            "mountains", "range", "plateau", "steppe",
                                            "exclave", "enclave", NULL};
static const char *const articles[] = {"al", "ar", "as", "ad", "an", "at", "az", "ash",
                                       "ath", "adh", "el", NULL};

int bm_gazetteer_strip_qualifiers(char *words)
{
    int found = 0, kept = 0;
    char *dst = words;
    for (char *w = words; *w;) {
        size_t len = strcspn(w, " ");
        int q = word_in(w, len, admin_words)      ? BM_QUALIFIER_ADMIN
                : word_in(w, len, town_words)     ? BM_QUALIFIER_TOWN
                : word_in(w, len, district_words) ? BM_QUALIFIER_DISTRICT
                : word_in(w, len, river_words)    ? BM_QUALIFIER_RIVER
                : word_in(w, len, base_words)     ? BM_QUALIFIER_BASE
                : word_in(w, len, terrain_words)  ? BM_QUALIFIER_TERRAIN
                                                  : 0;
        if (q) {
            found |= q;
        } else {
            if (kept++)
                *dst++ = ' ';
            memmove(dst, w, len);
            dst += len;
        }
        w += len;
        while (*w == ' ')
            w++;
    }
    *dst = '\0';
    return kept ? found : 0;
}

/* Curated feature kinds (features.geojson "kind") and the words that name them. */
static const struct {
    const char *kind;
    int qualifier;
} feature_kinds[] = {
    {"river", BM_QUALIFIER_RIVER},      {"river_crossing", BM_QUALIFIER_RIVER},
    {"military_base", BM_QUALIFIER_BASE}, {"air_base", BM_QUALIFIER_BASE},
    {"valley", BM_QUALIFIER_TERRAIN},   {"corridor", BM_QUALIFIER_TERRAIN},
    {"gorge", BM_QUALIFIER_TERRAIN},    {"desert", BM_QUALIFIER_TERRAIN},
    {"range", BM_QUALIFIER_TERRAIN},    {"plateau", BM_QUALIFIER_TERRAIN},
    {"region", BM_QUALIFIER_TERRAIN},   {"exclave", BM_QUALIFIER_TERRAIN},
};

int bm_gazetteer_kind_qualifiers(const bm_place *p)
{
    switch (p->kind) {
    case BM_PLACE_TOWN: return BM_QUALIFIER_TOWN;
    case BM_PLACE_ADMIN1: return BM_QUALIFIER_ADMIN;
    case BM_PLACE_DISTRICT: return BM_QUALIFIER_DISTRICT;
    case BM_PLACE_FEATURE:
        for (size_t i = 0; i < sizeof feature_kinds / sizeof *feature_kinds; i++)
            if (strcmp(feature_kinds[i].kind, p->code) == 0)
                return feature_kinds[i].qualifier;
        return 0;
    default: return 0;
    }
}

/* The kind words a name holds, as strip_qualifiers finds them. */
static int qualifiers_of(const char *name)
{
    char words[KEY_MAX];
    bm_normalize_words(name, words, sizeof words);
    return bm_gazetteer_strip_qualifiers(words);
}

static void join_words(const char *words, char *key)
{
    for (; *words; words++)
        if (*words != ' ')
            *key++ = *words;
    *key = '\0';
}

/* Without its leading article, or words itself when there is none or the
 * article is the only word. */
static const char *skip_article(const char *words)
{
    size_t len = strcspn(words, " ");
    return words[len] && word_in(words, len, articles) ? words + len + 1 : words;
}

/* ---- places ---- */

static bm_place *new_place(bm_gazetteer *g, bm_place_kind kind, GEOSGeometry *geom)
{
    if (g->count == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 1024;
        bm_place *p = realloc(g->places, cap * sizeof *p);
        GEOSGeometry **gm = p ? realloc(g->geoms, cap * sizeof *gm) : NULL;
        if (p)
            g->places = p;
        if (!gm)
            return NULL;
        g->geoms = gm;
        g->cap = cap;
    }
    bm_place *p = &g->places[g->count];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->name = p->id = p->code = p->admin1 = p->admin1_key = p->source = "";
    g->geoms[g->count++] = geom;
    return p;
}

/* Indexes a name as written and without its article; its variants
 * without kind words are loose matches, and so is the whole name when the
 * caller says it is a loose alias. */
static int add_name(bm_gazetteer *g, int32_t place, const char *name, int loose)
{
    char words[KEY_MAX], stripped[KEY_MAX], key[KEY_MAX];
    if (bm_normalize_words(name, words, sizeof words) == 0)
        return 0;
    join_words(words, key);
    if (index_add(g, &g->names, key, place, loose) != 0)
        return -1;
    join_words(skip_article(words), key);
    if (index_add(g, &g->names, key, place, loose) != 0)
        return -1;
    memcpy(stripped, words, sizeof stripped);
    if (!bm_gazetteer_strip_qualifiers(stripped))
        return 0;
    join_words(stripped, key);
    if (index_add(g, &g->names, key, place, 1) != 0)
        return -1;
    join_words(skip_article(stripped), key);
    return index_add(g, &g->names, key, place, 1);
}

static int alias_is_loose(const bm_place *p, const char *alias)
{
    if (p->kind != BM_PLACE_FEATURE)
        return 0;
    int kind = bm_gazetteer_kind_qualifiers(p) & qualifiers_of(p->name);
    return kind && !(qualifiers_of(alias) & kind);
}

/* Adds each item of a list separated by sep. A curated feature's alias
 * that leaves out the words its name uses for its kind ("Murghab" for
 * "Murghab River", "Ayni" for "Ayni Air Base") is loose: a town of that
 * exact name comes first. */
static int add_names(bm_gazetteer *g, int32_t place, const char *list, char sep)
{
    char item[KEY_MAX];
    while (*list) {
        size_t len = strcspn(list, (char[]){sep, '\0'});
        if (len > 0 && len < sizeof item) {
            memcpy(item, list, len);
            item[len] = '\0';
            if (add_name(g, place, item, alias_is_loose(&g->places[place], item)) != 0)
                return -1;
        }
        list += len;
        if (*list)
            list++;
    }
    return 0;
}

static const char *admin1_key(bm_gazetteer *g, const char *admin1)
{
    char words[KEY_MAX], key[KEY_MAX];
    bm_normalize_words(admin1, words, sizeof words);
    bm_gazetteer_strip_qualifiers(words);
    join_words(skip_article(words), key);
    return arena_str(g, key);
}

static const char *iso3_of_iso2(const char *iso2)
{
    for (size_t i = 0; i < N_COUNTRIES; i++)
        if (strcasecmp(bm_country_table[i].iso2, iso2) == 0)
            return bm_country_table[i].iso3;
    return "";
}

/* ---- readers ---- */

/* Why GDAL could not open path: a missing file, else GDAL's message. */
static const char *open_failure(const char *path, int embedded)
{
    VSILFILE *probe = VSIFOpenL(path, "rb");
    if (probe)
        VSIFCloseL(probe);
    else
        return embedded ? "no such file (is BORDERMAP_DATA or BORDERMAP_GEODATA right?)"
                        : "no such file";
    if (*CPLGetLastErrorMsg())
        return CPLGetLastErrorMsg();
    return "not a table GDAL reads, or no layer in it";
}

static GDALDatasetH open_vector(const char *path, bm_error *err)
{
    if (bm_geodata_verify(path, err) != BM_OK)
        return NULL;
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    CPLPopErrorHandler();
    if (!ds || GDALDatasetGetLayerCount(ds) < 1) {
        if (ds)
            GDALClose(ds);
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot read embedded data: %s",
                     open_failure(path, 1));
        return NULL;
    }
    return ds;
}

enum { T_ID, T_NAME, T_ASCII, T_ALT, T_LAT, T_LON, T_CLASS, T_CODE, T_CC, T_ADMIN1, T_POP, T_N };

/* The columns of a GeoNames table: the embedded gazetteer.tsv names them;
 * a GeoNames file has no header, and GDAL's CSV driver, which knows the
 * format, names them itself (its admin-1 column is a code, of no use as a
 * hint, and is left out). */
static const char *const embedded_columns[T_N] = {
    "geonameid", "name",         "asciiname",    "alternatenames", "latitude",  "longitude",
    "feature_class", "feature_code", "country_code", "admin1_name", "population"};
static const char *const geonames_columns[T_N] = {
    "GEONAMEID", "NAME",      "ASCIINAME", "ALTNAMES", "LATITUDE", "LONGITUDE",
    "FEATCLASS", "FEATCODE", "COUNTRY",   NULL,       "POPULATION"};

typedef struct geonames_table {
    const char *path;
    int header;         /* 1: line numbers count the header */
    int fields[T_N];    /* -1: column absent */
    int source_field;   /* per-row provenance, or -1 */
    const char *source; /* provenance when there is no source column */
} geonames_table;

static bm_status map_geonames(OGRLayerH layer, const char *const *columns, geonames_table *t,
                              bm_error *err)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    for (int i = 0; i < T_N; i++) {
        t->fields[i] = columns[i] ? OGR_FD_GetFieldIndex(defn, columns[i]) : -1;
        if (columns[i] && t->fields[i] < 0)
            return bm_error_set(err, BM_ERR_RUNTIME, t->path, 0, columns[i],
                                t->header ? "missing column"
                                          : "missing: not a GeoNames table (19 columns, "
                                            "tab-separated)");
    }
    t->source_field = OGR_FD_GetFieldIndex(defn, "source");
    return BM_OK;
}

static const char *field_text(OGRFeatureH f, int field)
{
    return field >= 0 ? OGR_F_GetFieldAsString(f, field) : "";
}

/* A coordinate written as a number within limit; GDAL would read "abc"
 * as 0 and 999 as a point nowhere. */
static int parse_coordinate(const char *text, double limit, double *out)
{
    char *end;
    *out = strtod(text, &end);
    return end != text && *end == '\0' && isfinite(*out) && fabs(*out) <= limit;
}

/* Populated places (feature class P) become towns and second-order
 * administrative divisions (A/ADM2) districts; other rows are not places
 * a catalog names, and are skipped. */
static bm_place_kind geonames_kind(const char *class, const char *code, int *keep)
{
    *keep = strcmp(class, "P") == 0 || (strcmp(class, "A") == 0 && strcmp(code, "ADM2") == 0);
    return strcmp(class, "A") == 0 ? BM_PLACE_DISTRICT : BM_PLACE_TOWN;
}

static bm_status read_geonames_row(bm_gazetteer *g, OGRFeatureH f, const geonames_table *t,
                                   long line, bm_error *err)
{
    const int *m = t->fields;
    int keep;
    bm_place_kind kind =
        geonames_kind(field_text(f, m[T_CLASS]), field_text(f, m[T_CODE]), &keep);
    if (!keep)
        return BM_OK;
    double lat, lon;
    if (!parse_coordinate(field_text(f, m[T_LAT]), 90, &lat))
        return bm_error_set(err, BM_ERR_RUNTIME, t->path, line, t->header ? "latitude" : "LATITUDE",
                            "'%s' is not a latitude", field_text(f, m[T_LAT]));
    if (!parse_coordinate(field_text(f, m[T_LON]), 180, &lon))
        return bm_error_set(err, BM_ERR_RUNTIME, t->path, line,
                            t->header ? "longitude" : "LONGITUDE", "'%s' is not a longitude",
                            field_text(f, m[T_LON]));
    bm_place *p = new_place(g, kind, NULL);
    if (!p)
        return bm_error_set(err, BM_ERR_RUNTIME, t->path, line, NULL, "out of memory");
    int32_t idx = (int32_t)(g->count - 1);
    p->id = arena_str(g, field_text(f, m[T_ID]));
    p->name = arena_str(g, field_text(f, m[T_NAME]));
    p->code = arena_str(g, field_text(f, m[T_CODE]));
    p->admin1 = arena_str(g, field_text(f, m[T_ADMIN1]));
    p->admin1_key = admin1_key(g, p->admin1);
    p->source = t->source_field >= 0 ? arena_str(g, field_text(f, t->source_field)) : t->source;
    snprintf(p->country, sizeof p->country, "%s", iso3_of_iso2(field_text(f, m[T_CC])));
    p->lat = lat;
    p->lon = lon;
    p->has_point = 1;
    p->population = atof(field_text(f, m[T_POP]));
    if (add_name(g, idx, p->name, 0) != 0 || add_name(g, idx, field_text(f, m[T_ASCII]), 0) != 0 ||
        add_names(g, idx, field_text(f, m[T_ALT]), ',') != 0)
        return bm_error_set(err, BM_ERR_RUNTIME, t->path, line, NULL, "out of memory");
    return BM_OK;
}

static bm_status read_geonames(bm_gazetteer *g, GDALDatasetH ds, const char *const *columns,
                               geonames_table *t, bm_error *err)
{
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    bm_status st = map_geonames(layer, columns, t, err);
    OGRFeatureH f;
    long row = 0;
    while (st == BM_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        st = read_geonames_row(g, f, t, ++row + t->header, err);
        OGR_F_Destroy(f);
    }
    return st;
}

static bm_status read_towns(bm_gazetteer *g, bm_error *err)
{
    char path[1024];
    bm_geodata_path("gazetteer.tsv", path, sizeof path);
    GDALDatasetH ds = open_vector(path, err);
    if (!ds)
        return err->status;
    geonames_table t = {.path = path, .header = 1, .source = "GeoNames"};
    bm_status st = read_geonames(g, ds, embedded_columns, &t, err);
    GDALClose(ds);
    return st;
}

bm_status bm_gazetteer_add_geonames(bm_gazetteer *g, const char *path, bm_error *err)
{
    free(g->spellings); /* sorted again with the new names on the next near lookup */
    g->spellings = NULL;
    g->n_spellings = 0;
    static const char *const options[] = {"HEADERS=NO", "SEPARATOR=TAB",
                                          "AUTODETECT_TYPE=NO", NULL};
    char csv[1100];
    if (snprintf(csv, sizeof csv, "CSV:%s", path) >= (int)sizeof csv)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL, "path too long (%zu bytes at most)",
                            sizeof csv - 5);
    if (bm_limits_check_file(path, err) != BM_OK)
        return err->status;
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(csv, GDAL_OF_VECTOR, (const char *const[]){"CSV", NULL},
                                 options, NULL);
    CPLPopErrorHandler();
    if (!ds)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot read: %s",
                            open_failure(path, 0));
    const char *base = strrchr(path, '/');
    char source[300];
    snprintf(source, sizeof source, "GeoNames (%s)", base ? base + 1 : path);
    geonames_table t = {.path = path, .header = 0, .source = arena_str(g, source)};
    bm_status st = read_geonames(g, ds, geonames_columns, &t, err);
    GDALClose(ds);
    return st;
}

static bm_status point_on_surface(bm_gazetteer *g, const GEOSGeometry *geom, bm_place *p)
{
    GEOSGeometry *pt = GEOSPointOnSurface_r(g->geos, geom);
    if (!pt)
        return BM_ERR_RUNTIME;
    GEOSGeomGetX_r(g->geos, pt, &p->lon);
    GEOSGeomGetY_r(g->geos, pt, &p->lat);
    GEOSGeom_destroy_r(g->geos, pt);
    p->has_point = 1;
    return BM_OK;
}

/* A region's point: the centroid of its area when it lies inside, else a
 * point on its surface (a province with a long corridor, a crescent). The
 * centroid is taken in degrees, as GDAL and QGIS take it; over a region
 * the difference from an equal-area centroid is a few kilometres. */
static bm_status representative_point(bm_gazetteer *g, const GEOSGeometry *geom, bm_place *p)
{
    GEOSGeometry *pt = GEOSGetCentroid_r(g->geos, geom);
    if (!pt || GEOSisEmpty_r(g->geos, pt) || GEOSIntersects_r(g->geos, geom, pt) != 1) {
        if (pt)
            GEOSGeom_destroy_r(g->geos, pt);
        return point_on_surface(g, geom, p);
    }
    GEOSGeomGetX_r(g->geos, pt, &p->lon);
    GEOSGeomGetY_r(g->geos, pt, &p->lat);
    GEOSGeom_destroy_r(g->geos, pt);
    p->has_point = 1;
    return BM_OK;
}

/* The point halfway along the longest part of a (Multi)LineString. */
static int line_middle(GEOSContextHandle_t geos, const GEOSGeometry *line, double *lon,
                       double *lat)
{
    const GEOSGeometry *longest = NULL;
    double best = -1;
    int n = GEOSGetNumGeometries_r(geos, line);
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(geos, line, i);
        double len = 0;
        if (GEOSLength_r(geos, part, &len) && len > best) {
            best = len;
            longest = part;
        }
    }
    GEOSGeometry *pt = longest ? GEOSInterpolateNormalized_r(geos, longest, 0.5) : NULL;
    if (!pt)
        return -1;
    GEOSGeomGetX_r(geos, pt, lon);
    GEOSGeomGetY_r(geos, pt, lat);
    GEOSGeom_destroy_r(geos, pt);
    return 0;
}

static bm_status read_region(bm_gazetteer *g, OGRFeatureH f, const char *path, long row,
                             bm_error *err)
{
    GEOSGeometry *geom = NULL;
    if (bm_geodata_check_lonlat(OGR_F_GetGeometryRef(f), path, row, err) != BM_OK ||
        bm_geometry_from_ogr(g->geos, OGR_F_GetGeometryRef(f), BM_GEOM_POLYGONAL, &geom, path,
                             row, err) != BM_OK)
        return err->status;
    bm_place *p = new_place(g, BM_PLACE_ADMIN1, geom);
    if (!p) {
        GEOSGeom_destroy_r(g->geos, geom);
        return bm_error_set(err, BM_ERR_RUNTIME, path, row, NULL, "out of memory");
    }
    int32_t idx = (int32_t)(g->count - 1);
    const char *iso = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "iso_a3"));
    const char *name = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name"));
    char id[160];
    snprintf(p->country, sizeof p->country, "%s", iso);
    snprintf(id, sizeof id, "%s/%s", iso, name);
    p->id = arena_str(g, id);
    p->name = arena_str(g, name);
    p->admin1 = p->name;
    p->admin1_key = admin1_key(g, name);
    p->code = arena_str(g, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "type")));
    p->source = arena_str(g, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "source")));
    if (representative_point(g, geom, p) != BM_OK)
        return bm_error_set(err, BM_ERR_RUNTIME, path, row, "geometry",
                            "no point inside the region");
    if (add_name(g, idx, name, 0) != 0 ||
        add_names(g, idx, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "alt_names")), ';'))
        return bm_error_set(err, BM_ERR_RUNTIME, path, row, NULL, "out of memory");
    return BM_OK;
}

static bm_status read_feature(bm_gazetteer *g, OGRFeatureH f, const char *path, long row,
                              bm_error *err)
{
    GEOSGeometry *geom = NULL;
    if (bm_geodata_check_lonlat(OGR_F_GetGeometryRef(f), path, row, err) != BM_OK ||
        bm_geometry_from_ogr(g->geos, OGR_F_GetGeometryRef(f), BM_GEOM_ANY, &geom, path, row,
                             err) != BM_OK)
        return err->status;
    bm_place *p = new_place(g, BM_PLACE_FEATURE, geom);
    if (!p) {
        GEOSGeom_destroy_r(g->geos, geom);
        return bm_error_set(err, BM_ERR_RUNTIME, path, row, NULL, "out of memory");
    }
    int32_t idx = (int32_t)(g->count - 1);
    p->id = arena_str(g, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "id")));
    p->name = arena_str(g, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name")));
    p->code = arena_str(g, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "kind")));
    p->source = arena_str(g, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "source")));
    snprintf(p->country, sizeof p->country, "%s",
             OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "country")));
    p->rank = OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "rank"));
    int type = GEOSGeomTypeId_r(g->geos, geom);
    p->lineal = type == GEOS_LINESTRING || type == GEOS_MULTILINESTRING;
    p->areal = bm_gazetteer_kind_qualifiers(p) == BM_QUALIFIER_TERRAIN;
    if (p->lineal ? line_middle(g->geos, geom, &p->lon, &p->lat) != 0
                  : representative_point(g, geom, p) != BM_OK)
        return bm_error_set(err, BM_ERR_RUNTIME, path, row, "geometry", "cannot place feature");
    p->has_point = 1;
    if (add_name(g, idx, p->name, 0) != 0 ||
        add_names(g, idx, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "alt_names")), ';'))
        return bm_error_set(err, BM_ERR_RUNTIME, path, row, NULL, "out of memory");
    return BM_OK;
}

typedef bm_status (*feature_reader)(bm_gazetteer *, OGRFeatureH, const char *, long, bm_error *);

static bm_status read_layer(bm_gazetteer *g, const char *name, feature_reader read,
                              bm_error *err)
{
    char path[1024];
    bm_geodata_path(name, path, sizeof path);
    GDALDatasetH ds = open_vector(path, err);
    if (!ds)
        return err->status;
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    bm_status st = BM_OK;
    OGRFeatureH f;
    long row = 0;
    while (st == BM_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        st = read(g, f, path, ++row, err);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return st;
}

static int add_country_keys(bm_gazetteer *g, int32_t idx, const char *list)
{
    char item[KEY_MAX], key[KEY_MAX];
    while (*list) {
        size_t len = strcspn(list, ";");
        if (len < sizeof item) {
            memcpy(item, list, len);
            item[len] = '\0';
            bm_normalize_key(item, key, sizeof key);
            if (index_add(g, &g->countries, key, idx, 0) != 0)
                return -1;
        }
        list += len;
        if (*list)
            list++;
    }
    return 0;
}

static bm_status add_countries(bm_gazetteer *g, bm_error *err)
{
    for (size_t i = 0; i < N_COUNTRIES; i++) {
        const bm_country_names *c = &bm_country_table[i];
        bm_place *p = new_place(g, BM_PLACE_COUNTRY, NULL);
        if (!p)
            return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        int32_t idx = (int32_t)(g->count - 1);
        g->country_place[i] = idx;
        char name[96];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(c->names, ";"), c->names);
        p->name = arena_str(g, name);
        p->id = c->iso3;
        p->code = "country";
        snprintf(p->country, sizeof p->country, "%s", c->iso3);
        if (add_names(g, idx, c->names, ';') != 0 ||
            add_country_keys(g, (int32_t)i, c->names) != 0 ||
            add_country_keys(g, (int32_t)i, c->demonyms) != 0 ||
            add_country_keys(g, (int32_t)i, c->iso2) != 0 ||
            add_country_keys(g, (int32_t)i, c->iso3) != 0)
            return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    }
    return BM_OK;
}

/* The bbox line geodata/build writes to SOURCES.lock; data brought some
 * other way has no known coverage. */
static void read_coverage(bm_gazetteer *g)
{
    char path[1024], line[256];
    FILE *f = fopen(bm_geodata_path("SOURCES.lock", path, sizeof path), "r");
    double *b = g->coverage;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "bbox %lf,%lf,%lf,%lf", &b[0], &b[1], &b[2], &b[3]) == 4 &&
            b[0] < b[2] && b[1] < b[3]) {
            g->has_coverage = 1;
            break;
        }
    if (f)
        fclose(f);
}

int bm_gazetteer_coverage(const bm_gazetteer *g, double box[4])
{
    if (g->has_coverage)
        memcpy(box, g->coverage, sizeof g->coverage);
    return g->has_coverage;
}

static void read_world_extents(bm_gazetteer *g)
{
    char path[1024];
    g->world_read = 1;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(bm_geodata_path("world.geojson", path, sizeof path),
                                 GDAL_OF_VECTOR, NULL, NULL, NULL);
    CPLPopErrorHandler();
    OGRLayerH layer = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    OGRFeatureH f;
    while (layer && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH geom = OGR_F_GetGeometryRef(f);
        world_extent *w = geom ? realloc(g->world, (g->n_world + 1) * sizeof *w) : NULL;
        if (w) {
            OGREnvelope e;
            OGR_G_GetEnvelope(geom, &e);
            g->world = w;
            w += g->n_world++;
            snprintf(w->iso3, sizeof w->iso3, "%s",
                     OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "iso_a3")));
            memcpy(w->box, (double[4]){e.MinX, e.MinY, e.MaxX, e.MaxY}, sizeof w->box);
        }
        OGR_F_Destroy(f);
    }
    if (ds)
        GDALClose(ds);
}

int bm_gazetteer_world_extent(bm_gazetteer *g, const char *iso3, double box[4])
{
    if (!g->world_read)
        read_world_extents(g);
    for (size_t i = 0; i < g->n_world; i++)
        if (strcmp(g->world[i].iso3, iso3) == 0) {
            memcpy(box, g->world[i].box, sizeof g->world[i].box);
            return 1;
        }
    return 0;
}

bm_gazetteer *bm_gazetteer_load(GEOSContextHandle_t geos, bm_error *err)
{
    bm_init();
    bm_gazetteer *g = calloc(1, sizeof *g);
    if (!g) {
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    g->geos = geos;
    if (add_countries(g, err) != BM_OK || read_towns(g, err) != BM_OK ||
        read_layer(g, "admin1.fgb", read_region, err) != BM_OK ||
        read_layer(g, "features.geojson", read_feature, err) != BM_OK) {
        bm_gazetteer_free(g);
        return NULL;
    }
    read_coverage(g);
    return g;
}

void bm_gazetteer_free(bm_gazetteer *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->count; i++)
        if (g->geoms[i])
            GEOSGeom_destroy_r(g->geos, g->geoms[i]);
    for (size_t i = 0; i < g->n_frontiers; i++)
        free(g->frontiers[i].place);
    free(g->frontiers);
    bm_boundaries_free(g->boundaries);
    free(g->world);
    free(g->spellings);
    index_free(&g->names);
    index_free(&g->countries);
    free(g->places);
    free(g->geoms);
    while (g->arena) {
        chunk *next = g->arena->next;
        free(g->arena);
        g->arena = next;
    }
    free(g);
}

size_t bm_gazetteer_count(const bm_gazetteer *g)
{
    return g->count;
}

const bm_place *bm_gazetteer_at(const bm_gazetteer *g, size_t i)
{
    return i < g->count ? &g->places[i] : NULL;
}

/* ---- near spellings ---- */

static int compare_spellings(const void *x, const void *y)
{
    const spelling *a = x, *b = y;
    int c = strcmp(a->country, b->country);
    if (c != 0)
        return c;
    if (a->key[0] != b->key[0])
        return (unsigned char)a->key[0] < (unsigned char)b->key[0] ? -1 : 1;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Sorts the keys once, on the first near lookup: most runs never need it.
 * A key gets an entry for each country its places are in, so a lookup
 * reads one country's keys of about the right length only. */
static int sort_spellings(bm_gazetteer *g)
{
    g->spellings = malloc(g->names.n_posts * sizeof *g->spellings);
    if (!g->spellings)
        return -1;
    for (size_t i = 0; i < g->names.cap; i++) {
        const slot *sl = &g->names.slots[i];
        size_t first = g->n_spellings;
        for (int32_t p = sl->key ? sl->head : -1; p >= 0; p = g->names.posts[p].next) {
            const char *country = g->places[g->names.posts[p].value].country;
            size_t j = first;
            while (j < g->n_spellings && strcmp(g->spellings[j].country, country) != 0)
                j++;
            if (j == g->n_spellings) {
                spelling *sp = &g->spellings[g->n_spellings++];
                memcpy(sp->country, country, sizeof sp->country);
                sp->key = sl->key;
                sp->len = strlen(sl->key);
                sp->head = sl->head;
            }
        }
    }
    qsort(g->spellings, g->n_spellings, sizeof *g->spellings, compare_spellings);
    return 0;
}

/* The Levenshtein distance of a and b when it is at most max, else max + 1. */
static int edit_distance(const char *a, size_t la, const char *b, size_t lb, int max)
{
    enum { LONGEST = 64 };
    int row[LONGEST + 1];
    if (la > LONGEST || lb > LONGEST)
        return max + 1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diagonal = row[0], smallest = row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int above = row[j];
            int best = diagonal + (a[i - 1] != b[j - 1]);
            if (above + 1 < best)
                best = above + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
            if (best < smallest)
                smallest = best;
        }
        if (smallest > max)
            return max + 1;
    }
    return row[lb];
}

size_t bm_gazetteer_lookup_near(bm_gazetteer *g, const char *key, const char *iso3,
                                int max_edits, bm_name_hit *out, size_t max)
{
    size_t len = strlen(key), n = 0;
    if (!*key || (!g->spellings && sort_spellings(g) != 0))
        return 0;
    /* The first spelling of the country with key's first letter and the
     * shortest length. */
    spelling probe = {"", key, len > (size_t)max_edits ? len - (size_t)max_edits : 0, -1};
    snprintf(probe.country, sizeof probe.country, "%s", iso3);
    size_t lo = 0, hi = g->n_spellings;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_spellings(&g->spellings[mid], &probe) < 0 &&
            !(strcmp(g->spellings[mid].country, iso3) == 0 &&
              g->spellings[mid].key[0] == key[0] && g->spellings[mid].len >= probe.len))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < g->n_spellings; i++) {
        const spelling *s = &g->spellings[i];
        if (strcmp(s->country, iso3) != 0 || s->key[0] != key[0] ||
            s->len > len + (size_t)max_edits)
            break;
        if (edit_distance(key, len, s->key, s->len, max_edits) > max_edits)
            continue;
        for (int32_t p = s->head; p >= 0; p = g->names.posts[p].next) {
            const bm_place *pl = &g->places[g->names.posts[p].value];
            if (strcmp(pl->country, iso3) == 0 && n < max)
                out[n++] = (bm_name_hit){pl, 1};
        }
    }
    return n;
}

size_t bm_gazetteer_lookup(const bm_gazetteer *g, const char *key, bm_name_hit *out,
                           size_t max)
{
    size_t n = 0;
    for (int32_t p = index_head(&g->names, key); p >= 0; p = g->names.posts[p].next, n++)
        if (n < max)
            out[n] = (bm_name_hit){&g->places[g->names.posts[p].value], g->names.posts[p].loose};
    return n;
}

const char *bm_gazetteer_country_code(const bm_gazetteer *g, const char *key)
{
    int32_t p = index_head(&g->countries, key);
    return p >= 0 ? bm_country_table[g->countries.posts[p].value].iso3 : NULL;
}

const bm_place *bm_gazetteer_country(const bm_gazetteer *g, const char *iso3)
{
    for (size_t i = 0; i < N_COUNTRIES; i++)
        if (strcasecmp(bm_country_table[i].iso3, iso3) == 0)
            return &g->places[g->country_place[i]];
    return NULL;
}

void bm_gazetteer_use_boundaries(bm_gazetteer *g, bm_boundaries_provider provider, void *data)
{
    g->provider = provider;
    g->provider_data = data;
}

static bm_status load_boundaries(bm_gazetteer *g, bm_error *err)
{
    if (g->provider && !g->shared)
        g->shared = g->provider(g->provider_data, err);
    else if (!g->provider && !g->boundaries)
        g->shared = g->boundaries = bm_boundaries_load(g->geos, bm_boundaries_default_path(), err);
    return g->shared ? BM_OK : err->status;
}

bm_status bm_gazetteer_place(bm_gazetteer *g, const bm_place *p, double *lon, double *lat,
                             bm_error *err)
{
    if (!p->has_point) {
        if (load_boundaries(g, err) != BM_OK)
            return err->status;
        const bm_country *c = bm_boundaries_find(g->shared, p->country);
        bm_place *mp = &g->places[p - g->places];
        if (!c || representative_point(g, c->geom, mp) != BM_OK)
            return bm_error_set(err, BM_ERR_RUNTIME, bm_boundaries_source(g->shared), 0,
                                NULL, "no polygon for country %s", p->country);
        mp->source = arena_str(g, bm_boundaries_source(g->shared));
    }
    *lon = p->lon;
    *lat = p->lat;
    return BM_OK;
}

static bm_place *make_frontier(bm_gazetteer *g, const bm_country *a, const bm_country *b,
                               GEOSGeometry *line)
{
    bm_place *p = calloc(1, sizeof *p);
    if (!p || line_middle(g->geos, line, &p->lon, &p->lat) != 0) {
        free(p);
        return NULL;
    }
    if (strcmp(a->iso_a3, b->iso_a3) > 0) {
        const bm_country *t = a;
        a = b;
        b = t;
    }
    char buf[256];
    p->kind = BM_PLACE_FRONTIER;
    snprintf(buf, sizeof buf, "%s\xE2\x80\x93%s border", a->name, b->name);
    p->name = arena_str(g, buf);
    snprintf(buf, sizeof buf, "%s-%s", a->iso_a3, b->iso_a3);
    p->id = arena_str(g, buf);
    p->code = "frontier";
    p->admin1 = p->admin1_key = "";
    p->source = arena_str(g, bm_boundaries_source(g->shared));
    p->has_point = 1;
    p->lineal = 1;
    return p;
}

const bm_place *bm_gazetteer_frontier(bm_gazetteer *g, const char *iso1, const char *iso2,
                                      bm_error *err)
{
    for (size_t i = 0; i < g->n_frontiers; i++) {
        frontier_entry *e = &g->frontiers[i];
        if ((!strcmp(e->a, iso1) && !strcmp(e->b, iso2)) ||
            (!strcmp(e->a, iso2) && !strcmp(e->b, iso1)))
            return e->place;
    }
    if (load_boundaries(g, err) != BM_OK)
        return NULL;
    const bm_country *a = bm_boundaries_find(g->shared, iso1);
    const bm_country *b = bm_boundaries_find(g->shared, iso2);
    GEOSGeometry *line =
        a && b ? bm_frontier_between(g->geos, a, b, BM_FRONTIER_DEFAULT_TOLERANCE_M) : NULL;
    bm_place *p = line ? make_frontier(g, a, b, line) : NULL;
    if (line)
        GEOSGeom_destroy_r(g->geos, line);
    frontier_entry *fe = realloc(g->frontiers, (g->n_frontiers + 1) * sizeof *fe);
    if (!fe) {
        free(p);
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    g->frontiers = fe;
    fe = &g->frontiers[g->n_frontiers++];
    snprintf(fe->a, sizeof fe->a, "%s", iso1);
    snprintf(fe->b, sizeof fe->b, "%s", iso2);
    fe->place = p;
    return p;
}

static GEOSGeometry *place_geometry(bm_gazetteer *g, const bm_place *p, int *owned)
{
    *owned = 0;
    if (p >= g->places && p < g->places + g->count && g->geoms[p - g->places])
        return g->geoms[p - g->places];
    *owned = 1;
    return GEOSGeom_createPointFromXY_r(g->geos, p->lon, p->lat);
}

int bm_gazetteer_near_country(bm_gazetteer *g, const bm_place *p, const char *iso3)
{
    if (strcmp(p->country, iso3) == 0)
        return 1;
    if (!p->has_point)
        return 0;
    int owned, near = 0;
    GEOSGeometry *geom = place_geometry(g, p, &owned);
    for (size_t i = 0; geom && i < g->count && !near; i++) {
        const bm_place *r = &g->places[i];
        double d;
        if (r->kind == BM_PLACE_ADMIN1 && strcmp(r->country, iso3) == 0 &&
            GEOSDistance_r(g->geos, geom, g->geoms[i], &d) && d < NEAR_DEG)
            near = 1;
    }
    if (owned)
        GEOSGeom_destroy_r(g->geos, geom);
    return near;
}

int bm_gazetteer_same_place(bm_gazetteer *g, const bm_place *a, const bm_place *b)
{
    if (a == b)
        return 1;
    if (!a->has_point || !b->has_point)
        return a->kind == b->kind && strcmp(a->country, b->country) == 0;
    int own_a, own_b;
    double d = INFINITY;
    GEOSGeometry *ga = place_geometry(g, a, &own_a), *gb = place_geometry(g, b, &own_b);
    if (ga && gb && !GEOSDistance_r(g->geos, ga, gb, &d))
        d = INFINITY;
    if (own_a && ga)
        GEOSGeom_destroy_r(g->geos, ga);
    if (own_b && gb)
        GEOSGeom_destroy_r(g->geos, gb);
    return d < SAME_DEG;
}
