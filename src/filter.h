/*
 * filter.h — which records of a catalog a command works on. One filter
 * for every command (render, export, geocode, batch) and for the "filter"
 * object of a jobs file.
 *
 * A filter is built from options before any catalog is read, bound to a
 * catalog (which resolves column names to column indices once), then
 * matched record by record. A record passes when it passes every
 * condition that is set:
 *
 *   from, to     event_date (YYYY-MM-DD text) within the bounds, both
 *                inclusive. A bound is YYYY, YYYY-MM or YYYY-MM-DD: from
 *                "2015" is 2015-01-01, to "2015" is 2015-12-31 and to
 *                "2016-02" is 2016-02-29. A record without a date fails.
 *   countries    any of a list of names or ISO 3166 alpha-3 codes, without
 *                regard to case. An item bordermap knows (countries_table.h)
 *                matches a record whose country column holds any of its
 *                names, or whose iso3 or iso column holds its alpha-3 code
 *                (numeric iso columns, as in ACLED, are not compared); so
 *                "TJK" and "Tajikistan" select the same records. An unknown
 *                name matches the country column as written; an unknown
 *                three-letter code also the iso3 and iso columns.
 *   event types  any of a list, against event_type, without regard to case.
 *   bbox         the record's point within W,S,E,N degrees (edges
 *                included); W > E crosses the antimeridian. A record
 *                without a point fails.
 *   where        an expression over the record's columns (below).
 *
 * Lists accumulate over calls (a record needs to match one item of each
 * list); from, to, bbox and where replace what an earlier call set.
 *
 * The where language (keywords and field names without regard to case):
 *
 *   expr      := and-expr { OR and-expr }
 *   and-expr  := not-expr { AND not-expr }       AND binds tighter than OR
 *   not-expr  := NOT not-expr | "(" expr ")" | predicate
 *   predicate := value cmp value                 cmp: = != <> < <= > >=
 *              | value [NOT] IN "(" literal { "," literal } ")"
 *              | value [NOT] LIKE string         % any run, _ one character
 *              | value IS [NOT] EMPTY            the value is ""
 *   value     := field | literal
 *   literal   := string | number
 *   field     := name ([A-Za-z_][A-Za-z0-9_]*, not a keyword) | "quoted name"
 *   string    := 'text' with '' for a quote
 *   number    := [+-] digits [. digits] [e [+-] digits]
 *
 * e.g.  fatalities >= 10 and (event_type = 'Battles' or notes like '%border%')
 *
 * Comparison (=, <, in, ...) is numeric when both values parse fully as
 * decimal numbers ("10", "-2.5", "1e3"; no spaces, no hex, no inf), and
 * otherwise compares text, case-sensitively, in byte (code point) order:
 * "9" < "10" but '9' < 'a10' is text. An empty value is text, so
 * `fatalities < 5` holds for a record with no fatalities; say
 * `fatalities is not empty and fatalities < 5` to leave those out. LIKE
 * ignores ASCII case, and its _ is one UTF-8 character; it has no escape.
 * Expressions are at most BM_FILTER_WHERE_MAX bytes with at most
 * BM_FILTER_DEPTH_MAX levels of parentheses and NOTs.
 *
 * Errors are usage errors whose field is the command-line option the
 * condition comes from ("--from", "--to", "--country", "--event-type",
 * "--bbox", "--where") and whose message leaves the option out ("at
 * character 12: expected a value"); a caller that read the condition from
 * somewhere else (a jobs file) replaces file and field with its own.
 */
#ifndef BM_FILTER_H
#define BM_FILTER_H

#include <stddef.h>

#include "catalog.h"
#include "error.h"

#define BM_FILTER_WHERE_MAX 8192
#define BM_FILTER_DEPTH_MAX 64

typedef struct bm_filter bm_filter;

/* A filter that matches every record; NULL when out of memory. */
bm_filter *bm_filter_new(void);
void bm_filter_free(bm_filter *f);
/* Whether no condition is set. */
int bm_filter_is_empty(const bm_filter *f);

/* Date bounds: YYYY, YYYY-MM or YYYY-MM-DD, a real date; a from after the
 * to is an error (whichever is set second reports it). */
bm_status bm_filter_set_from(bm_filter *f, const char *date, bm_error *err);
bm_status bm_filter_set_to(bm_filter *f, const char *date, bm_error *err);

/* Comma-separated lists ("Kazakhstan,TJK"); items are trimmed, empty
 * items skipped, and a list without any item is an error. */
bm_status bm_filter_add_countries(bm_filter *f, const char *list, bm_error *err);
bm_status bm_filter_add_event_types(bm_filter *f, const char *list, bm_error *err);
/* One item, which may hold a comma ("Bonaire, Saint Eustatius and Saba"). */
bm_status bm_filter_add_country(bm_filter *f, const char *name, bm_error *err);
bm_status bm_filter_add_event_type(bm_filter *f, const char *name, bm_error *err);

/* "W,S,E,N" in degrees: -180 <= W, E <= 180 with W != E, -90 <= S < N <= 90. */
bm_status bm_filter_set_bbox(bm_filter *f, const char *wsen, bm_error *err);

/* Parses a where expression (see above). */
bm_status bm_filter_set_where(bm_filter *f, const char *expr, bm_error *err);

/* Calls add(name, ctx) for every column the filter reads: event_date,
 * country/iso3/iso and event_type when conditions on them are set, and
 * the where expression's fields (a name may come more than once). Needs
 * no catalog; a reader that keeps only some columns asks this. */
void bm_filter_columns(const bm_filter *f, void (*add)(const char *name, void *ctx), void *ctx);

/* Resolves the columns the filter reads to column indices of c: the
 * where expression's fields, and event_date, country/iso3/iso or
 * event_type when a condition on them is set. A missing column is a usage
 * error naming the catalog (file), the condition (field) and the column. */
bm_status bm_filter_bind(bm_filter *f, const bm_catalog *c, bm_error *err);

/* Whether record passes. f must have been bound to c by a successful
 * bm_filter_bind since it was last changed; otherwise nothing matches
 * (an empty filter matches every record, bound or not). No allocation
 * and no lookup by name per record. */
int bm_filter_match(const bm_filter *f, const bm_catalog *c, size_t record);

/* A canonical text of the filter, for hashes and messages: the conditions
 * in a fixed order, dates expanded (from=2015-01-01 to=2015-12-31), lists
 * as given, bbox numbers in shortest form and the where expression
 * re-printed; "" for an empty filter. Valid until the filter changes. */
const char *bm_filter_describe(const bm_filter *f);

#endif
