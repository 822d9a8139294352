/*
 * cli_catalog.c — reading catalogs the same way in every command.
 */
#include "cli_catalog.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "geocode.h"
#include "progress.h"

/* Rows of each kind named on stderr; --json names them all. */
#define NAMED_ON_STDERR 10

#define READ_USAGE                                                            \
    "Reading the catalog:\n"                                                  \
    "  --input-format F   acled, ucdp-ged, catalog or auto (default: detected\n" \
    "                     from the header)\n"                                 \
    "  --layer NAME       the layer of a multi-layer source (GeoPackage, ...)\n" \
    "  --skip-bad-rows    leave out (and list) rows that do not parse, instead\n" \
    "                     of failing\n"

const char cli_catalog_read_usage[] = READ_USAGE;

const char cli_catalog_usage[] =
    READ_USAGE
    "  --from DATE        events on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)\n"
    "  --to DATE          events on or before DATE (\"2015\" is to 2015-12-31)\n"
    "  --country LIST     country names or ISO codes (\"TJK,Kyrgyzstan\")\n"
    "  --event-type LIST  ACLED event types (\"Battles,Riots\")\n"
    "  --bbox W,S,E,N     events inside the box, in degrees\n"
    "  --where EXPR       e.g. \"fatalities >= 5 and admin1 like 'Batken%'\"\n"
    "                     (docs/filters.md)\n"
    "  --quiet            no progress line and no summary on stderr\n"
    "  --json             the summary as JSON on stdout\n"
    "Every row is accounted for on stderr: read = placed + unresolved +\n"
    "rejected + filtered out.\n";

int cli_catalog_args_init(cli_catalog_args *a)
{
    memset(a, 0, sizeof *a);
    a->filter = bm_filter_new();
    return a->filter != NULL;
}

void cli_catalog_args_free(cli_catalog_args *a)
{
    bm_filter_free(a->filter);
    json_decref(a->unresolved);
    json_decref(a->notes);
    a->filter = NULL;
    a->unresolved = NULL;
    a->notes = NULL;
}

static bm_status set_filter(int c, const char *arg, bm_filter *f, bm_error *err)
{
    switch (c) {
    case CLI_OPT_FROM: return bm_filter_set_from(f, arg, err);
    case CLI_OPT_TO: return bm_filter_set_to(f, arg, err);
    case CLI_OPT_COUNTRY: return bm_filter_add_countries(f, arg, err);
    case CLI_OPT_EVENT_TYPE: return bm_filter_add_event_types(f, arg, err);
    case CLI_OPT_BBOX: return bm_filter_set_bbox(f, arg, err);
    default: return bm_filter_set_where(f, arg, err);
    }
}

int cli_catalog_option(const char *cmd, int c, const char *arg, cli_catalog_args *a)
{
    bm_error err;
    bm_error_clear(&err);
    switch (c) {
    case CLI_OPT_INPUT_FORMAT: {
        int f = bm_input_format_parse(arg);
        if (f < 0)
            return cli_usage_error(cmd, "--input-format wants acled, ucdp-ged, catalog or "
                                        "auto, got '%s'", arg);
        a->read.format = (bm_input_format)f;
        return 1;
    }
    case CLI_OPT_LAYER: a->read.layer = arg; return 1;
    case CLI_OPT_SKIP_BAD_ROWS: a->read.skip_bad_rows = 1; return 1;
    case CLI_OPT_QUIET: a->quiet = 1; return 1;
    case CLI_OPT_JSON: a->json = 1; return 1;
    case CLI_OPT_FROM: case CLI_OPT_TO: case CLI_OPT_COUNTRY:
    case CLI_OPT_EVENT_TYPE: case CLI_OPT_BBOX: case CLI_OPT_WHERE:
        if (set_filter(c, arg, a->filter, &err) != BM_OK)
            return cli_usage_error(cmd, "%s: %s", err.field, err.message);
        return 1;
    default: return 0;
    }
}

static bm_status bind_filter(const bm_catalog *c, void *ctx, bm_error *err)
{
    cli_catalog_args *a = ctx;
    return bm_filter_is_empty(a->filter) ? BM_OK : bm_filter_bind(a->filter, c, err);
}

static int keep_matching(const bm_catalog *c, size_t record, void *ctx)
{
    cli_catalog_args *a = ctx;
    return bm_filter_match(a->filter, c, record);
}

static void show_progress(void *ctx, size_t done, size_t total)
{
    cli_catalog_args *a = ctx;
    cli_progress_callback(a->progress, done, total);
}

static bm_catalog_options reading(cli_catalog_args *a, const char *const *columns)
{
    bm_catalog_options opt = a->read;
    opt.columns = columns;
    opt.bind = bind_filter;
    opt.keep = bm_filter_is_empty(a->filter) ? NULL : keep_matching;
    opt.progress = show_progress;
    opt.ctx = a;
    return opt;
}

bm_catalog *cli_catalog_open(const char *cmd, const char *path, cli_catalog_args *a,
                             bm_error *err)
{
    a->progress = cli_progress_start(cmd, "rows", 0, a->quiet);
    bm_catalog_options opt = reading(a, NULL);
    bm_catalog *c = bm_catalog_open(path, &opt, err);
    if (!c)
        cli_catalog_close(a);
    return c;
}

void cli_catalog_close(cli_catalog_args *a)
{
    cli_progress_finish(a->progress);
    a->progress = NULL;
}

bm_catalog *cli_catalog_read(const char *cmd, const char *path, const char *const *columns,
                             cli_catalog_args *a, bm_error *err)
{
    a->progress = cli_progress_start(cmd, "rows", 0, a->quiet);
    bm_catalog_options opt = reading(a, columns);
    bm_catalog *c = bm_catalog_read_ex(path, &opt, err);
    cli_catalog_close(a);
    return c;
}

static void append_row(json_t **list, const bm_catalog *c, size_t record, const char *key,
                       const char *text)
{
    if (!*list)
        *list = json_array();
    json_array_append_new(*list, json_pack("{s:I, s:s, s:s}", "line",
                                           (json_int_t)bm_catalog_row(c, record), "place",
                                           bm_geocode_place_text(c, record), key, text));
}

void cli_catalog_note(cli_catalog_args *a, const bm_catalog *c, size_t record,
                      const bm_match *m)
{
    const char *note = m ? m->note : "";
    if (bm_catalog_point(c, record, NULL, NULL)) {
        a->placed++;
        if (*note)
            append_row(&a->notes, c, record, "note", note);
        return;
    }
    append_row(&a->unresolved, c, record, "reason", note);
}

void cli_catalog_note_all(cli_catalog_args *a, const bm_catalog *c, const bm_match *matches)
{
    for (size_t i = 0; i < bm_catalog_count(c); i++)
        cli_catalog_note(a, c, i, matches ? &matches[i] : NULL);
}

static size_t unresolved_count(const cli_catalog_args *a)
{
    return a->unresolved ? json_array_size(a->unresolved) : 0;
}

static size_t name_rejected(const char *cmd, const bm_catalog *c)
{
    size_t n = bm_catalog_rejected_count(c), named = n < NAMED_ON_STDERR ? n : NAMED_ON_STDERR;
    for (size_t i = 0; i < named; i++) {
        const bm_bad_row *b = bm_catalog_rejected(c, i);
        fprintf(stderr, "bordermap %s: %s:%ld: %s%s%s%s; row left out\n", cmd,
                cli_printable(bm_catalog_path(c)), b->line, b->field[0] ? "field '" : "",
                cli_printable(b->field), b->field[0] ? "': " : "", cli_printable(b->reason));
    }
    return named;
}

static size_t name_unresolved(const char *cmd, const bm_catalog *c, const json_t *list,
                              size_t budget)
{
    size_t n = list ? json_array_size(list) : 0, named = n < budget ? n : budget;
    for (size_t i = 0; i < named; i++) {
        const json_t *u = json_array_get(list, i);
        const char *text = json_string_value(json_object_get(u, "place"));
        const char *reason = json_string_value(json_object_get(u, "reason"));
        fprintf(stderr, "bordermap %s: %s:%" JSON_INTEGER_FORMAT ": unresolved: ", cmd,
                cli_printable(bm_catalog_path(c)), json_integer_value(json_object_get(u, "line")));
        if (!*text)
            fprintf(stderr, "no coordinates and no place text\n");
        else if (!*reason)
            fprintf(stderr, "no place matches '%s'\n", cli_printable(text));
        else
            fprintf(stderr, "'%s': %s\n", cli_printable(text), cli_printable(reason));
    }
    return named;
}

static size_t name_notes(const char *cmd, const bm_catalog *c, const json_t *list,
                         size_t budget)
{
    size_t n = list ? json_array_size(list) : 0, named = n < budget ? n : budget;
    for (size_t i = 0; i < named; i++) {
        const json_t *u = json_array_get(list, i);
        fprintf(stderr, "bordermap %s: %s:%" JSON_INTEGER_FORMAT ": note: '%s': %s\n", cmd,
                cli_printable(bm_catalog_path(c)), json_integer_value(json_object_get(u, "line")),
                cli_printable(json_string_value(json_object_get(u, "place"))),
                cli_printable(json_string_value(json_object_get(u, "note"))));
    }
    return named;
}

void cli_catalog_name_rows(const char *cmd, const bm_catalog *c, const cli_catalog_args *a)
{
    size_t named = name_rejected(cmd, c);
    named += name_unresolved(cmd, c, a->unresolved, NAMED_ON_STDERR - named);
    named += name_notes(cmd, c, a->notes, NAMED_ON_STDERR - named);
    size_t all = bm_catalog_rejected_count(c) + unresolved_count(a) +
                 (a->notes ? json_array_size(a->notes) : 0);
    if (all > named)
        fprintf(stderr, "bordermap %s: ... and %zu more rows left out, unresolved or noted "
                        "(--json lists them all)\n", cmd, all - named);
}

static json_t *rejected_json(const bm_catalog *c)
{
    json_t *list = json_array();
    for (size_t i = 0; i < bm_catalog_rejected_count(c); i++) {
        const bm_bad_row *b = bm_catalog_rejected(c, i);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)b->line,
                                              "field", b->field, "reason", b->reason));
    }
    return list;
}

static void print_json(const char *cmd, const bm_catalog *c, const cli_catalog_args *a,
                       const char *outcome, size_t written)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "command", cmd, "input",
        bm_catalog_path(c), "format", bm_input_format_name(bm_catalog_format(c)), "rows_read",
        (json_int_t)bm_catalog_rows_read(c), "placed", (json_int_t)a->placed, "unresolved",
        (json_int_t)unresolved_count(a), "rejected", (json_int_t)bm_catalog_rejected_count(c),
        "filtered_out", (json_int_t)bm_catalog_filtered_count(c), outcome, (json_int_t)written,
        "rejected_rows", rejected_json(c), "unresolved_rows",
        a->unresolved ? json_incref(a->unresolved) : json_array(), "noted_rows",
        a->notes ? json_incref(a->notes) : json_array());
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(o);
}

void cli_catalog_report(const char *cmd, const bm_catalog *c, const cli_catalog_args *a,
                        const char *outcome, size_t written)
{
    if (!a->quiet && bm_catalog_rows_read(c) == 0)
        fprintf(stderr, "bordermap %s: warning: %s has no rows\n", cmd, bm_catalog_path(c));
    if (!a->quiet) {
        cli_catalog_name_rows(cmd, c, a);
        fprintf(stderr,
                "bordermap %s: %s (%s): %zu rows read = %zu placed + %zu unresolved + "
                "%zu rejected + %zu filtered out; %zu %s\n",
                cmd, bm_catalog_path(c), bm_input_format_name(bm_catalog_format(c)),
                bm_catalog_rows_read(c), a->placed, unresolved_count(a),
                bm_catalog_rejected_count(c), bm_catalog_filtered_count(c), written, outcome);
    }
    if (a->json)
        print_json(cmd, c, a, outcome, written);
}

const char *cli_catalog_for_style(const bm_style *style, const char *path)
{
    for (size_t i = 0; i < style->n_sources; i++)
        if (style->sources[i].type == BM_SOURCE_CATALOG)
            return path ? path
                        : style->sources[i].data[0] ? style->sources[i].data
                                                    : bm_catalog_default_path();
    return NULL;
}

bm_catalog *cli_catalog_load(bm_context *ctx, const char *cmd, const char *path,
                             const char *const *columns, int with_matches,
                             cli_catalog_args *a, bm_error *err)
{
    bm_catalog *c = cli_catalog_read(cmd, path, columns, a, err);
    if (!c)
        return NULL;
    bm_match *matches = NULL;
    bm_geocode_summary sum;
    bm_status st = with_matches
                       ? ((matches = bm_geocode_catalog(bm_context_geocoder(ctx), c, 0, &sum,
                                                        err)) != NULL ? BM_OK : err->status)
                       : bm_geocode_missing(bm_context_geocoder(ctx), c, err);
    if (st != BM_OK) {
        bm_catalog_free(c);
        return NULL;
    }
    cli_catalog_note_all(a, c, matches);
    return bm_context_adopt_catalog(ctx, c, matches, path, err) == BM_OK ? c : NULL;
}
