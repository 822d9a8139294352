/*
 * gazetteer.h — the embedded places, regions, countries and curated
 * features, indexed by folded name.
 *
 * Loads geodata/gazetteer.tsv (GeoNames places and districts),
 * admin1.fgb, features.geojson (curated features and named regions), the
 * country table and, when asked, a user's own GeoNames file; country
 * polygons (bm_boundaries_default_path()) are read only when a country or
 * a frontier has to be placed, and a frontier is computed only for the
 * pair a query names. A gazetteer owns GEOS geometries and must be used
 * from one thread at a time.
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
    BM_PLACE_FEATURE,  /* curated: bases, rivers, bridges, named regions */
    BM_PLACE_FRONTIER, /* land border of two countries */
    BM_PLACE_DISTRICT  /* second-level region (GeoNames ADM2) */
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
    int areal;              /* a named region (valley, range...): ACLED precision 3 */
} bm_place;

typedef struct bm_gazetteer bm_gazetteer;

/* Loads the embedded data (bm_geodata_dir()). */
bm_gazetteer *bm_gazetteer_load(GEOSContextHandle_t geos, bm_error *err);

/* Adds the populated places and ADM2 districts of a file in GeoNames'
 * own format (tab-separated, no header, the 19 columns of allCountries.txt
 * or cities500.txt), as a user brings them for a region or places the
 * embedded gazetteer lacks. Errors name the file, line and field. */
bm_status bm_gazetteer_add_geonames(bm_gazetteer *g, const char *path, bm_error *err);
void bm_gazetteer_free(bm_gazetteer *g);

size_t bm_gazetteer_count(const bm_gazetteer *g);
const bm_place *bm_gazetteer_at(const bm_gazetteer *g, size_t i);

/* A place found by name. loose: the key matched only a variant of the
 * place's name: without words that say what kind of place it is ("Batken"
 * for "Batken Oblast"), or a curated alias that leaves out the feature's
 * kind ("Murghab" for the Murghab River). */
typedef struct bm_name_hit {
    const bm_place *place;
    int loose;
} bm_name_hit;

/* Places with a name whose key (bm_normalize_key) is key; fills up to max
 * and returns how many there are. */
size_t bm_gazetteer_lookup(const bm_gazetteer *g, const char *key, bm_name_hit *out,
                           size_t max);

/* Places of country iso3 with a name whose key differs from key by at most
 * max_edits letters (Levenshtein), the first letter kept: "Sulukta" for
 * Suluktu, "Samarkandek" for Samarkandyk. Fills up to max hits, all loose,
 * and returns how many it filled. The first call sorts the index. */
size_t bm_gazetteer_lookup_near(bm_gazetteer *g, const char *key, const char *iso3,
                                int max_edits, bm_name_hit *out, size_t max);

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
 * oblast" -> "batken", "Panj River" -> "panj") from folded words in place;
 * returns a mask of BM_QUALIFIER_* found, 0 when nothing would be left. */
enum {
    BM_QUALIFIER_ADMIN = 1,    /* region, oblast, province... */
    BM_QUALIFIER_TOWN = 2,     /* city, town, village */
    BM_QUALIFIER_DISTRICT = 4, /* district, rayon, nohiya, tuman */
    BM_QUALIFIER_RIVER = 8,    /* river, darya */
    BM_QUALIFIER_BASE = 16,    /* base, airbase, airfield, garrison */
    BM_QUALIFIER_TERRAIN = 32  /* valley, corridor, gorge, desert, range... */
};
#define BM_QUALIFIER_FEATURE (BM_QUALIFIER_RIVER | BM_QUALIFIER_BASE | BM_QUALIFIER_TERRAIN)
int bm_gazetteer_strip_qualifiers(char *words);

/* The BM_QUALIFIER_* words that name p's kind: a query's "province"
 * agrees with an admin-1 region, its "river" with a river. */
int bm_gazetteer_kind_qualifiers(const bm_place *p);

/* The area the embedded geodata was built for (the bbox line of
 * SOURCES.lock: min lon, min lat, max lon, max lat); 0 when unknown. */
int bm_gazetteer_coverage(const bm_gazetteer *g, double box[4]);

/* The extent of a country (ISO alpha-3) on the embedded world map, which
 * covers the whole globe at small scale; 0 when it has none. */
int bm_gazetteer_world_extent(bm_gazetteer *g, const char *iso3, double box[4]);

#endif
