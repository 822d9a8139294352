/*
 * gazetteer.h — the embedded places, regions, countries and curated
 * features, indexed by folded name.
 *
 * Loads geodata/gazetteer.tsv (GeoNames), admin1.fgb, features.geojson
 * and the country table; country polygons (bm_boundaries_default_path())
 * are read only when a country or a frontier has to be placed, and a
 * frontier is computed only for the pair a query names. A gazetteer owns
 * GEOS geometries and must be used from one thread at a time.
 */
#ifndef BM_GAZETTEER_H
#define BM_GAZETTEER_H

#include <stddef.h>

#include <geos_c.h>

#include "error.h"

typedef enum bm_place_kind {
    BM_PLACE_TOWN,     /* GeoNames populated place */
    BM_PLACE_ADMIN1,   /* first-level region */
    BM_PLACE_COUNTRY,
    BM_PLACE_FEATURE,  /* curated: bases, rivers, bridges */
    BM_PLACE_FRONTIER  /* land border of two countries */
} bm_place_kind;

typedef struct bm_place {
    bm_place_kind kind;
    const char *name;
    const char *id;         /* geonameid, feature id, "KGZ/Batken", ISO3, "AFG-TKM" */
    const char *code;       /* GeoNames feature code (PPLC...), or curated kind */
    const char *admin1;     /* admin-1 name; "" when unknown */
    const char *admin1_key; /* folded admin-1 name without words like "region" */
    const char *source;
    char country[4];        /* ISO alpha-3; "" when unknown */
    double lon, lat;        /* representative point; see has_point */
    int has_point;          /* 0 for a country not placed yet */
    double population;
    int rank;               /* curated rank, 1 = first choice; 0 when none */
    int lineal;             /* the feature is a line; its point lies on it */
} bm_place;

typedef struct bm_gazetteer bm_gazetteer;

/* Loads the embedded data (bm_geodata_dir()). */
bm_gazetteer *bm_gazetteer_load(GEOSContextHandle_t geos, bm_error *err);
void bm_gazetteer_free(bm_gazetteer *g);

size_t bm_gazetteer_count(const bm_gazetteer *g);
const bm_place *bm_gazetteer_at(const bm_gazetteer *g, size_t i);

/* Places with a name whose key (bm_normalize_key) is key; fills up to max
 * and returns how many there are. */
size_t bm_gazetteer_lookup(const bm_gazetteer *g, const char *key, const bm_place **out,
                           size_t max);

/* The ISO alpha-3 code of the country a folded key names by name, ISO
 * alpha-2/alpha-3 code or demonym ("tajik" -> "TJK"); NULL when none. */
const char *bm_gazetteer_country_code(const bm_gazetteer *g, const char *key);
/* The country place of an ISO alpha-3 code, or NULL. */
const bm_place *bm_gazetteer_country(const bm_gazetteer *g, const char *iso3);

/* Where the gazetteer takes country polygons from when it first needs
 * them: provider returns boundaries the gazetteer borrows (a context's,
 * loaded once for the whole program) instead of reading its own. */
typedef const struct bm_boundaries *(*bm_boundaries_provider)(void *data, bm_error *err);
void bm_gazetteer_use_boundaries(bm_gazetteer *g, bm_boundaries_provider provider, void *data);

/* Gives a country its representative point (reading the polygons on first
 * use). Other places already have one. */
bm_status bm_gazetteer_place(bm_gazetteer *g, const bm_place *p, double *lon, double *lat,
                             bm_error *err);

/* The frontier of two countries, placed at the middle of its longest
 * stretch; NULL with err->status BM_OK when they share no border. */
const bm_place *bm_gazetteer_frontier(bm_gazetteer *g, const char *iso1, const char *iso2,
                                      bm_error *err);

/* Whether p lies in country iso3 or within about 5 km of it: a border
 * river belongs to both banks. */
int bm_gazetteer_near_country(bm_gazetteer *g, const bm_place *p, const char *iso3);

/* Whether a and b are the same place at different precision: within
 * about 10 km of each other, or one containing or touching the other. */
int bm_gazetteer_same_place(bm_gazetteer *g, const bm_place *a, const bm_place *b);

/* Strips words that only say what kind of place a name is ("Batken
 * oblast" -> "batken") from folded words in place; returns a mask of
 * BM_QUALIFIER_* found. */
enum { BM_QUALIFIER_ADMIN = 1, BM_QUALIFIER_TOWN = 2, BM_QUALIFIER_DISTRICT = 4 };
int bm_gazetteer_strip_qualifiers(char *words);

#endif
