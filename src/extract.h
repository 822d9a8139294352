/*
 * extract.h — candidate catalog rows proposed from news text.
 *
 * An article is cut into sentences (bm_sentence_end); a sentence that
 * ties a place (a gazetteer name found by textmatch.h, or a frontier
 * phrase) to an event cue becomes one candidate row per place it names as
 * where something happened: in ACLED's columns, geocoded by the geocoder
 * itself (so the match fields and precision are its own), dated by the
 * date phrases of the sentence (datephrase.h) resolved against the
 * article's date and never guessed, quoted verbatim, with a confidence in
 * [0, 1]. A follow-up sentence ("The incident took place on Tuesday in
 * X") refines the row before it. Rows are proposals for an analyst to
 * accept or correct; bm_extract_rules says the rules to users.
 */
#ifndef BM_EXTRACT_H
#define BM_EXTRACT_H

#include <stddef.h>

#include "article.h"
#include "datephrase.h"
#include "error.h"
#include "gazetteer.h"
#include "geocode.h"

/* The rules as users read them (extract --help, README). */
extern const char bm_extract_rules[];

typedef struct bm_extract_row {
    char event_id[24];      /* ISO3-Cn, numbered per country in output order */
    char event_date[11];    /* "" when the text gives no date to resolve */
    int time_precision;     /* ACLED's 1..3; 0 when event_date is "" */
    const char *event_type, *sub_event_type;
    char actor1[96], actor2[96];
    char iso3[4];           /* the country's code; "" when none */
    char country[64], admin1[96], location[256];
    long fatalities;        /* -1 when not stated (or vague: see notes) */
    char notes[400];
    char *source;           /* the article's title */
    char *source_file;
    char *quote;            /* the sentence(s), verbatim */
    double confidence;
    int event_group;        /* rows of one event (place, date, kind) share it */
    bm_match match;         /* the geocoder's answer for the place text */
    int from_actor;         /* placed in its actor's country, for want of a place */
} bm_extract_row;

typedef struct bm_extract_cache bm_extract_cache;

/* Start with {0}; free with bm_extract_rows_free. */
typedef struct bm_extract_rows {
    bm_extract_row *rows;
    size_t n, cap;
    bm_extract_cache *cache; /* the geocoder's answers so far, private */
} bm_extract_rows;

typedef struct bm_extract_options {
    bm_civil_date date_hint; /* anchor when an article has no date; year 0: none */
    double min_confidence;   /* rows below it are dropped */
} bm_extract_options;

/* Appends the candidates of text[0..len) (UTF-8) to rows (which copy
 * source_file and source, the title). anchor is the article's date
 * (year 0: none, then the hint, then the first full date in the text). */
bm_status bm_extract_text(bm_gazetteer *g, const char *text, size_t len, const char *source_file,
                          const char *source, const bm_civil_date *anchor,
                          const bm_extract_options *opt, bm_extract_rows *rows, bm_error *err);

/* The same for an article read with bm_article_read (its dateline is the
 * anchor; source_file is its base name). */
bm_status bm_extract_article(bm_gazetteer *g, const bm_article *a, const bm_extract_options *opt,
                             bm_extract_rows *rows, bm_error *err);

/* Numbers event_group over all rows (articles): rows at one place (the
 * geocoder's same place) with the same date and event type share a group;
 * and gives event ids. Call once after the last article. */
bm_status bm_extract_finish(bm_gazetteer *g, bm_extract_rows *rows, bm_error *err);

/* Writes rows as CSV (catalog columns), GeoJSON, GeoPackage (layer
 * "candidates") or "-" (GeoJSON on standard output), by path's extension. */
bm_status bm_extract_write(const bm_extract_rows *rows, const char *path, bm_error *err);

void bm_extract_rows_free(bm_extract_rows *rows);

#endif
