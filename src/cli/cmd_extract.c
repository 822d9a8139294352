/*
 * cmd_extract.c — `bordermap extract`: candidate catalog rows from news
 * articles, for an analyst to review.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "catalog.h"
#include "cli.h"
#include "context.h"
#include "extract.h"
#include "vector_out.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap extract ARTICLE|-... [-o OUT.csv|OUT.geojson|OUT.gpkg|-]\n"
            "                         [--date-hint YYYY-MM-DD] [--min-confidence X]\n"
            "                         [--gazetteer FILE]\n\n"
            "Proposes incident rows in the catalog's ACLED columns from news articles\n"
            "(plain UTF-8 text, or HTML saved from a news site: the article body is\n"
            "taken with libxml2's HTML parser, scripts and navigation dropped): each row\n"
            "with its place geocoded (the geocoder's match fields), date, event type,\n"
            "actors, fatalities, the sentence that supports it (source_quote), a\n"
            "confidence in [0, 1] and an event_group shared by the rows of several\n"
            "articles on one event. Rows are proposals for review, not facts.\n\n"
            "  -o, --output PATH    CSV (.csv), GeoJSON (.geojson, .json), GeoPackage\n"
            "                       (.gpkg, layer \"candidates\"), or - for GeoJSON on\n"
            "                       stdout (default), which `render --catalog -` reads\n"
            "  --date-hint DATE     the articles' date when the text has none (relative\n"
            "                       dates such as \"on Tuesday\" resolve against it)\n"
            "  --min-confidence X   leave out rows below X (0 to 1; default 0)\n"
            "  --gazetteer FILE     also places from FILE, in GeoNames' own format\n\n%s",
            bm_extract_rules);
}

typedef struct extract_args {
    const char *output, *gazetteer;
    bm_extract_options opt;
} extract_args;

/* "2016-07-01" (validated as the catalog reads dates) into a civil date. */
static int parse_hint(const char *text, bm_civil_date *d)
{
    char iso[16];
    if (strlen(text) != 10 || !bm_catalog_parse_date(text, iso) || strcmp(iso, text) != 0)
        return 0;
    return sscanf(iso, "%4d-%2d-%2d", &d->year, &d->month, &d->day) == 3;
}

static int parse_confidence(const char *text, double *x)
{
    char *end;
    *x = strtod(text, &end);
    return end != text && *end == '\0' && *x >= 0 && *x <= 1;
}

static bm_status extract_all(bm_gazetteer *g, int n, char **paths, const extract_args *a,
                             bm_extract_rows *rows, bm_error *err)
{
    for (int i = 0; i < n; i++) {
        bm_article art;
        if (bm_article_read(paths[i], 0, &art, err) != BM_OK)
            return err->status;
        bm_status st = bm_extract_article(g, &art, &a->opt, rows, err);
        bm_article_free(&art);
        if (st != BM_OK)
            return st;
    }
    return bm_extract_finish(g, rows, err);
}

static int run(int n, char **paths, const extract_args *a)
{
    for (int i = 0; i < n; i++)
        if (cli_same_file(paths[i], a->output)) {
            fprintf(stderr, "bordermap extract: %s is an input; write to another file\n",
                    cli_printable(a->output));
            return CLI_EXIT_USAGE;
        }
    bm_error err;
    bm_error_clear(&err);
    bm_extract_rows rows = {0};
    bm_context *ctx = bm_context_create(&err);
    bm_gazetteer *g = NULL;
    if (ctx && bm_context_use_data(ctx, a->gazetteer, NULL, &err) == BM_OK)
        g = bm_context_gazetteer(ctx, &err);
    bm_status st = g ? extract_all(g, n, paths, a, &rows, &err) : err.status;
    if (st == BM_OK)
        st = bm_extract_write(&rows, a->output, &err);
    int status = CLI_EXIT_OK;
    if (st != BM_OK)
        status = cli_fail(&err);
    else
        fprintf(stderr, "bordermap extract: %d article%s, %zu candidate row%s\n", n,
                n == 1 ? "" : "s", rows.n, rows.n == 1 ? "" : "s");
    bm_extract_rows_free(&rows);
    bm_context_free(ctx);
    return status;
}

int cmd_extract(int argc, char **argv)
{
    enum { OPT_DATE_HINT = 256, OPT_MIN_CONFIDENCE, OPT_GAZETTEER };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"date-hint", required_argument, NULL, OPT_DATE_HINT},
        {"min-confidence", required_argument, NULL, OPT_MIN_CONFIDENCE},
        {"gazetteer", required_argument, NULL, OPT_GAZETTEER},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    extract_args a = {.output = "-"};
    int c;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        if (c == 'o') {
            a.output = optarg;
        } else if (c == OPT_DATE_HINT) {
            if (!parse_hint(optarg, &a.opt.date_hint))
                return cli_usage_error("extract", "--date-hint '%s' is not a date YYYY-MM-DD",
                                       cli_printable(optarg));
        } else if (c == OPT_MIN_CONFIDENCE) {
            if (!parse_confidence(optarg, &a.opt.min_confidence))
                return cli_usage_error("extract", "--min-confidence '%s' is not a number "
                                                  "from 0 to 1", cli_printable(optarg));
        } else if (c == OPT_GAZETTEER) {
            a.gazetteer = optarg;
        } else if (c == 'h') {
            usage(stdout);
            return CLI_EXIT_OK;
        } else {
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error("extract", "missing ARTICLE");
    size_t olen = strlen(a.output);
    int csv = olen > 4 && strcasecmp(a.output + olen - 4, ".csv") == 0;
    if (!csv && !bm_vector_driver_for(a.output))
        return cli_usage_error("extract", "output '%s': use .csv, .geojson, .gpkg or -",
                               cli_printable(a.output));
    return run(argc - optind, argv + optind, &a);
}
