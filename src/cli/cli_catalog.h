/*
 * cli_catalog.h — how every command reads a catalog: the same options
 * (format, layer, bad rows, filters), the same progress line and the same
 * account of every row.
 *
 * A command splices CLI_CATALOG_OPTIONS into its getopt table, hands each
 * option to cli_catalog_option, reads with cli_catalog_read and, when its
 * work is done, reports with cli_catalog_report: rows read = rejected +
 * filtered out + placed + unresolved, every rejected and unresolved row
 * named on stderr (the first few) and in the --json summary (all).
 */
#ifndef BM_CLI_CATALOG_H
#define BM_CLI_CATALOG_H

#include <getopt.h>
#include <stddef.h>

#include <jansson.h>

#include "catalog.h"
#include "context.h"
#include "error.h"
#include "filter.h"
#include "geocode.h"
#include "style.h"

enum {
    CLI_OPT_INPUT_FORMAT = 300,
    CLI_OPT_LAYER,
    CLI_OPT_SKIP_BAD_ROWS,
    CLI_OPT_QUIET,
    CLI_OPT_JSON,
    CLI_OPT_FROM,
    CLI_OPT_TO,
    CLI_OPT_COUNTRY,
    CLI_OPT_EVENT_TYPE,
    CLI_OPT_BBOX,
    CLI_OPT_WHERE
};

/* How to read (batch takes these; its filters are in the jobs file). */
#define CLI_CATALOG_READ_OPTIONS                                              \
    {"input-format", required_argument, NULL, CLI_OPT_INPUT_FORMAT},          \
    {"layer", required_argument, NULL, CLI_OPT_LAYER},                        \
    {"skip-bad-rows", no_argument, NULL, CLI_OPT_SKIP_BAD_ROWS}

#define CLI_CATALOG_OPTIONS                                                   \
    CLI_CATALOG_READ_OPTIONS,                                                 \
    {"quiet", no_argument, NULL, CLI_OPT_QUIET},                              \
    {"json", no_argument, NULL, CLI_OPT_JSON},                                \
    {"from", required_argument, NULL, CLI_OPT_FROM},                          \
    {"to", required_argument, NULL, CLI_OPT_TO},                              \
    {"country", required_argument, NULL, CLI_OPT_COUNTRY},                    \
    {"event-type", required_argument, NULL, CLI_OPT_EVENT_TYPE},              \
    {"bbox", required_argument, NULL, CLI_OPT_BBOX},                          \
    {"where", required_argument, NULL, CLI_OPT_WHERE}

/* The --help text of those options. */
extern const char cli_catalog_usage[];
extern const char cli_catalog_read_usage[];

typedef struct cli_catalog_args {
    bm_catalog_options read;
    bm_filter *filter;
    int quiet, json;
    struct cli_progress *progress; /* while reading */
    size_t placed;                 /* records noted with a point */
    json_t *unresolved;            /* records noted without: [{line, place, reason}] */
    json_t *notes;                 /* placed records with a note: [{line, place, note}] */
} cli_catalog_args;

/* Sets up args (a filter that matches everything); 0 when out of memory. */
int cli_catalog_args_init(cli_catalog_args *a);
void cli_catalog_args_free(cli_catalog_args *a);

/* Handles getopt code c if it is one of CLI_CATALOG_OPTIONS: returns 1
 * when handled, 0 when c is not one, CLI_EXIT_USAGE (after printing the
 * error) when its value is bad. */
int cli_catalog_option(const char *cmd, int c, const char *arg, cli_catalog_args *a);

/* Reads a catalog with the options, showing progress, and leaves out the
 * records the filter rejects; columns (NULL for all) as in
 * bm_catalog_options. NULL with err set on failure. */
bm_catalog *cli_catalog_read(const char *cmd, const char *path, const char *const *columns,
                             cli_catalog_args *a, bm_error *err);

/* The catalog a style draws: --catalog (path, when not NULL), else the
 * style's catalog source's file or the seed catalog; NULL when the style
 * has no catalog source. */
const char *cli_catalog_for_style(const bm_style *style, const char *path);

/* Reads a catalog as cli_catalog_read does, places its records without a
 * point through the context's geocoder (keeping every match when
 * with_matches), notes every record and hands the catalog to ctx, which
 * draws and exports it from then on. */
bm_catalog *cli_catalog_load(bm_context *ctx, const char *cmd, const char *path,
                             const char *const *columns, int with_matches,
                             cli_catalog_args *a, bm_error *err);

/* The same for streaming (bm_catalog_next): the progress line lasts
 * until cli_catalog_close. */
bm_catalog *cli_catalog_open(const char *cmd, const char *path, cli_catalog_args *a,
                             bm_error *err);
void cli_catalog_close(cli_catalog_args *a);

/* Counts a record as placed or unresolved, once its fate is known
 * (after geocoding), with the geocoder's note on it when m is not NULL;
 * _all notes every record of a whole catalog (matches may be NULL). */
void cli_catalog_note(cli_catalog_args *a, const bm_catalog *c, size_t record,
                      const bm_match *m);
void cli_catalog_note_all(cli_catalog_args *a, const bm_catalog *c, const bm_match *matches);

/* Names on stderr the first rows that were rejected, left unresolved or
 * placed with a note. */
void cli_catalog_name_rows(const char *cmd, const bm_catalog *c, const cli_catalog_args *a);

/* Prints the account of c and the noted records on stderr (unless --quiet) and, with --json, a
 * JSON object on stdout; outcome says what became of the placed rows
 * ("written", "drawn"), written how many went out. */
void cli_catalog_report(const char *cmd, const bm_catalog *c, const cli_catalog_args *a,
                        const char *outcome, size_t written);

#endif
