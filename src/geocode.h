/*
 * geocode.h — turning the place text of catalog rows into points, with
 * the precision and provenance of each answer.
 *
 * A row's location text is resolved against the gazetteer: frontiers as
 * journalists write them ("Tajik-Afghan border"), curated features and
 * named regions, places, districts, admin-1 regions and countries.
 * Candidates are ranked by the rules bm_geocode_ranking_rules() states:
 * the row's country and admin1 first, then how exactly the name matched,
 * then kind, rank and population; when the best two are close and not the
 * same place, the answer is flagged ambiguous and the others listed. A
 * row is never placed outside its own country.
 */
#ifndef BM_GEOCODE_H
#define BM_GEOCODE_H

#include <stddef.h>

#include "border_distance.h"
#include "catalog.h"
#include "error.h"
#include "gazetteer.h"
#include "vector_out.h"

typedef enum bm_match_kind {
    BM_MATCH_NONE,
    BM_MATCH_COORDINATES, /* the row's own coordinates, kept */
    BM_MATCH_PLACE,
    BM_MATCH_ADMIN1,
    BM_MATCH_COUNTRY,
    BM_MATCH_FRONTIER,
    BM_MATCH_FEATURE,
    BM_MATCH_DISTRICT
} bm_match_kind;

/* The ranking rules as users read them (geocode --help). */
extern const char bm_geocode_ranking_rules[];

/* "coordinates", "place", ...; NULL for BM_MATCH_NONE. */
const char *bm_match_kind_name(bm_match_kind kind);

typedef struct bm_candidate {
    const bm_place *place;
    bm_match_kind kind;
    int precision; /* ACLED geo_precision: 1 town or exact, 2 near/part of, 3 region */
    double lon, lat;
    double score;  /* ranking score, higher is better; comparable within a query */
} bm_candidate;

typedef struct bm_match {
    bm_candidate best; /* kind BM_MATCH_NONE when unresolved */
    int ambiguous;
    char alternatives[480]; /* "Murghob (TJK, 38.17,73.96); ..." */
    /* Why a row stayed unresolved, or what a user should know about its
     * point ("outside the area of the embedded geodata..."); "" if nothing. */
    char note[400];
} bm_match;

/* The best candidates for text, best first; country (name, ISO code or
 * demonym) and admin1 are hints and may be NULL or "". Returns how many
 * were written to out (at most max); 0 with err->status BM_OK when none. */
size_t bm_geocode_query(bm_gazetteer *g, const char *text, const char *country,
                        const char *admin1, bm_candidate *out, size_t max, bm_error *err);

/* Resolves one text to its best candidate and ambiguity. */
bm_status bm_geocode_text(bm_gazetteer *g, const char *text, const char *country,
                          const char *admin1, bm_match *m, bm_error *err);

typedef struct bm_geocode_summary {
    size_t records, coordinates, resolved, ambiguous, unresolved;
} bm_geocode_summary;

/* A gazetteer loaded on first need: a catalog whose rows all have
 * coordinates is geocoded without reading it. Set g to a loaded gazetteer
 * to share one; whoever set up the struct frees g. */
typedef struct bm_lazy_gazetteer {
    GEOSContextHandle_t geos;
    bm_gazetteer *g;
    /* Called once the gazetteer is loaded, or NULL: a context hands it
     * its boundaries and the user's places there. */
    bm_status (*loaded)(bm_gazetteer *g, void *data, bm_error *err);
    void *data;
} bm_lazy_gazetteer;

/* The text a record is placed by: its location, or failing it its
 * admin1 or its country; "" when it names none. */
const char *bm_geocode_place_text(const bm_catalog *c, size_t i);

/* Resolves record i of c in place (setting or clearing its point) into m,
 * and counts it in summary; the rules of bm_geocode_catalog. */
bm_status bm_geocode_record(bm_lazy_gazetteer *lg, bm_catalog *c, size_t i, int regeocode,
                            bm_match *m, bm_geocode_summary *summary, bm_error *err);

/* Resolves every record of c in place (setting or clearing its point) and
 * returns one match per record (free with free()). Records with a point
 * keep it unless regeocode; the others are resolved by their location,
 * or failing it their admin1 or country. A record with neither a point
 * nor place text stays unresolved. */
bm_match *bm_geocode_catalog(bm_lazy_gazetteer *lg, bm_catalog *c, int regeocode,
                             bm_geocode_summary *summary, bm_error *err);

/* Geocodes in place the records of c that have no point yet, loading the
 * gazetteer only when one of them has place text; for callers that take
 * a catalog as it comes (render, batch). */
bm_status bm_geocode_missing(bm_lazy_gazetteer *lg, bm_catalog *c, bm_error *err);

/* Which records a layer holds: keep(c, record, data) != 0. */
typedef int (*bm_record_filter)(const bm_catalog *c, size_t record, void *data);

/* Adds a point layer to out: one feature per record that keep accepts
 * (every record when keep is NULL) in input order, every input field
 * (ACLED's numeric and date columns typed, see catalog.h), a Point or
 * null geometry, and geo_precision, match_kind, match_name, match_id,
 * match_source, match_score, ambiguous and alternatives; and when distance
 * is not NULL, the frontier distance fields as bm_geocode_writer_open_measuring
 * writes them. */
bm_status bm_geocode_write_layer(bm_vector_out *out, const char *name, const bm_catalog *c,
                                 const bm_match *matches, bm_border_distance *distance,
                                 bm_record_filter keep, void *data, bm_error *err);

/* Writing one record at a time, for a catalog read as a stream: the
 * layer "geocoded" of a GeoJSON FeatureCollection (RFC 7946) or
 * GeoPackage, or "-", with c's columns and the match fields. Nothing
 * appears under path until commit; commit and abort free w. */
typedef struct bm_geocode_writer bm_geocode_writer;
bm_geocode_writer *bm_geocode_writer_open(const char *path, const bm_catalog *c, bm_error *err);
/* The same, adding to each located feature its distance to the nearest
 * land frontier: frontier_km, frontier ("Afghanistan–Tajikistan"),
 * frontier_iso ("AFG-TJK") and in_country ("" at sea); distance is
 * borrowed and must outlive the writer. */
bm_geocode_writer *bm_geocode_writer_open_measuring(const char *path, const bm_catalog *c,
                                                    bm_border_distance *distance,
                                                    bm_error *err);
bm_status bm_geocode_writer_add(bm_geocode_writer *w, const bm_catalog *c, size_t record,
                                const bm_match *m, bm_error *err);
bm_status bm_geocode_writer_commit(bm_geocode_writer *w, bm_error *err);
void bm_geocode_writer_abort(bm_geocode_writer *w);

/* Writes all of c with a writer. */
bm_status bm_geocode_write(const bm_catalog *c, const bm_match *matches, const char *path,
                           bm_error *err);

#endif
