/*
 * cmd_geocode.c — `bordermap geocode`: place text in catalogs to points.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "cli_catalog.h"
#include "context.h"
#include "gazetteer.h"
#include "geocode.h"

#define QUERY_ROWS 10

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap geocode INPUT|- [-o OUT.geojson|OUT.gpkg|-] [--strict] [--regeocode]\n"
            "                         [--frontier-distance] [--gazetteer FILE] [--boundaries FILE]\n"
            "                         [reading options]\n"
            "       bordermap geocode --query TEXT [--country CC] [--admin1 NAME]\n\n"
            "Resolves the place text of a catalog to points: places, districts, admin-1\n"
            "regions, countries, frontiers (\"Tajik-Afghan border\"), curated features\n"
            "(\"201st base\") and named regions (\"Rasht Valley\"), with precision and\n"
            "provenance. Reads ACLED and UCDP GED exports as published, and any point\n"
            "table GDAL reads (CSV, TSV, XLSX, GeoJSON, GeoJSONSeq, GeoPackage,\n"
            "FlatGeobuf). Rows with coordinates keep them; the others are resolved by\n"
            "location, admin1 or country.\n\n"
            "  -o, --output PATH  GeoJSON (RFC 7946) or GeoPackage; - for stdout (default)\n"
            "  --strict           exit 1 when any row stays unresolved\n"
            "  --regeocode        resolve rows that already have coordinates too\n"
            "  --frontier-distance  add frontier_km (geodesic, to the nearest land\n"
            "                     frontier), frontier, frontier_iso and in_country\n"
            "  --query TEXT       print the best candidates for TEXT as a table\n"
            "  --country CC       with --query: country hint (name, ISO code or demonym);\n"
            "                     with INPUT: a filter, as below\n"
            "  --admin1 NAME      admin-1 hint for --query\n"
            "  --gazetteer FILE   also places from FILE, in GeoNames' own format (tab-\n"
            "                     separated, 19 columns, as allCountries.txt or\n"
            "                     cities500.txt): populated places and ADM2 districts\n"
            "  --boundaries FILE  country polygons (ISO_A3/NAME, any format GDAL reads)\n"
            "                     for countries, frontiers and --frontier-distance\n"
            "                     instead of the embedded ones\n\n"
            "The embedded geodata covers the area geodata/build was run for (see its\n"
            "SOURCES.lock); `geodata/build --bbox W,S,E,N --out DIR` or --world builds\n"
            "another, used with BORDERMAP_GEODATA=DIR. A row outside the area, or whose\n"
            "country is not all inside it, is told so.\n\n%s\n%s",
            bm_geocode_ranking_rules, cli_catalog_usage);
}

/* Pads by characters, not bytes: names have diacritics. */
static void print_padded(const char *s, int width)
{
    int chars = 0;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    printf("%s%*s ", s, width > chars ? width - chars : 0, "");
}

typedef struct geocode_args {
    const char *output, *query, *country, *admin1, *gazetteer, *boundaries;
    int strict, regeocode, frontier_distance;
    cli_catalog_args catalog;
} geocode_args;

static bm_context *create_context(const geocode_args *g, bm_error *err)
{
    bm_context *ctx = bm_context_create(err);
    /* The user's polygons are read now: a bad file is an error, not a
     * country that quietly matches nothing. */
    if (ctx && (bm_context_use_data(ctx, g->gazetteer, g->boundaries, err) != BM_OK ||
                (g->boundaries && !bm_context_boundaries(ctx, err)))) {
        bm_context_free(ctx);
        return NULL;
    }
    return ctx;
}

static int run_query(const geocode_args *a)
{
    const char *text = a->query, *country = a->country, *admin1 = a->admin1;
    bm_error err;
    bm_error_clear(&err);
    int status = CLI_EXIT_OK;
    bm_context *ctx = create_context(a, &err);
    bm_gazetteer *g = ctx ? bm_context_gazetteer(ctx, &err) : NULL;
    bm_candidate c[QUERY_ROWS];
    size_t n = g ? bm_geocode_query(g, text, country, admin1, c, QUERY_ROWS, &err) : 0;
    if (err.status != BM_OK) {
        status = cli_fail(&err);
    } else if (n == 0) {
        bm_match m;
        bm_geocode_text(g, text, country, admin1, &m, &err);
        fprintf(stderr, "bordermap geocode: no match for '%s'%s%s\n", cli_printable(text),
                *m.note ? ": " : "", cli_printable(m.note));
        status = CLI_EXIT_RUNTIME;
    } else {
        printf("%-40s %-11s %-7s %-24s %11s %10s %7s\n", "name", "kind", "country", "admin1",
               "lon", "lat", "score");
        for (size_t i = 0; i < n; i++) {
            print_padded(c[i].place->name, 40);
            printf("%-11s %-7s ", bm_match_kind_name(c[i].kind), c[i].place->country);
            print_padded(c[i].place->admin1, 24);
            printf("%11.5f %10.5f %7.2f\n", c[i].lon, c[i].lat, c[i].score);
        }
    }
    bm_context_free(ctx);
    return status;
}

/* Streams the catalog: read a row, resolve it, write it. */
static bm_status geocode_stream(bm_catalog *c, bm_context *ctx, geocode_args *g,
                                bm_geocode_summary *sum, bm_error *err)
{
    bm_lazy_gazetteer *lg = bm_context_geocoder(ctx);
    bm_border_distance *distance = NULL;
    if (g->frontier_distance && !(distance = bm_context_border_distance(ctx, err)))
        return err->status;
    bm_geocode_writer *w = NULL;
    int got;
    while ((got = bm_catalog_next(c, err)) > 0) {
        bm_match m;
        if (!w && !(w = bm_geocode_writer_open_measuring(g->output, c, distance, err)))
            return err->status;
        if (bm_geocode_record(lg, c, 0, g->regeocode, &m, sum, err) != BM_OK ||
            bm_geocode_writer_add(w, c, 0, &m, err) != BM_OK) {
            bm_geocode_writer_abort(w);
            return err->status;
        }
        cli_catalog_note(&g->catalog, c, 0, &m);
    }
    /* An input without rows still gives a (valid, empty) output. */
    if (got == 0 && !w)
        w = bm_geocode_writer_open_measuring(g->output, c, distance, err);
    if (got < 0 || !w) {
        bm_geocode_writer_abort(w);
        return err->status;
    }
    return bm_geocode_writer_commit(w, err);
}

static int run_catalog(const char *input, geocode_args *g)
{
    cli_catalog_args *a = &g->catalog;
    if (cli_same_file(input, g->output)) {
        fprintf(stderr, "bordermap geocode: %s is the input; write to another file\n", g->output);
        return CLI_EXIT_USAGE;
    }
    bm_error err;
    bm_error_clear(&err);
    bm_geocode_summary sum = {0};
    bm_context *ctx = create_context(g, &err);
    bm_catalog *c = ctx ? cli_catalog_open("geocode", input, a, &err) : NULL;
    bm_status st = c ? geocode_stream(c, ctx, g, &sum, &err) : err.status;
    if (st != BM_OK) { /* stops the reading thread before the progress line goes */
        bm_catalog_free(c);
        c = NULL;
    }
    cli_catalog_close(a);
    int status = CLI_EXIT_OK;
    if (st != BM_OK) {
        status = cli_fail(&err);
    } else {
        if (!a->quiet)
            fprintf(stderr, "bordermap geocode: %zu rows: %zu resolved (%zu kept coordinates), "
                            "%zu ambiguous, %zu unresolved\n",
                    sum.records, sum.resolved, sum.coordinates, sum.ambiguous, sum.unresolved);
        cli_catalog_report("geocode", c, a, "written", sum.records);
        if (g->strict && sum.unresolved > 0)
            status = CLI_EXIT_RUNTIME;
    }
    bm_catalog_free(c);
    bm_context_free(ctx);
    return status;
}

static int run(int argc, char **argv, geocode_args *g)
{
    if (g->query) {
        if (optind < argc)
            return cli_usage_error("geocode", "--query takes no INPUT, got '%s'", argv[optind]);
        if (g->frontier_distance)
            return cli_usage_error("geocode", "--frontier-distance goes with INPUT");
        return run_query(g);
    }
    if (g->admin1)
        return cli_usage_error("geocode", "--admin1 goes with --query");
    if (optind != argc - 1)
        return cli_usage_error("geocode", optind < argc ? "one INPUT only" : "missing INPUT");
    if (g->catalog.json && strcmp(g->output, "-") == 0)
        return cli_usage_error("geocode", "--json prints the summary on standard output; "
                                          "write the features to a file with -o");
    return run_catalog(argv[optind], g);
}

int cmd_geocode(int argc, char **argv)
{
    enum {
        OPT_STRICT = 256, OPT_REGEOCODE, OPT_QUERY, OPT_ADMIN1, OPT_FRONTIER_DISTANCE,
        OPT_GAZETTEER, OPT_BOUNDARIES
    };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"regeocode", no_argument, NULL, OPT_REGEOCODE},
        {"query", required_argument, NULL, OPT_QUERY},
        {"admin1", required_argument, NULL, OPT_ADMIN1},
        {"frontier-distance", no_argument, NULL, OPT_FRONTIER_DISTANCE},
        {"gazetteer", required_argument, NULL, OPT_GAZETTEER},
        {"boundaries", required_argument, NULL, OPT_BOUNDARIES},
        {"help", no_argument, NULL, 'h'},
        CLI_CATALOG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    geocode_args g = {.output = "-"};
    if (!cli_catalog_args_init(&g.catalog))
        return CLI_EXIT_RUNTIME;
    int c, status = -1;
    while (status < 0 && (c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        if (c == CLI_OPT_COUNTRY)
            g.country = optarg;
        int handled = cli_catalog_option("geocode", c, optarg, &g.catalog);
        if (handled)
            status = handled == 1 ? -1 : handled;
        else if (c == 'o')
            g.output = optarg;
        else if (c == OPT_STRICT)
            g.strict = 1;
        else if (c == OPT_REGEOCODE)
            g.regeocode = 1;
        else if (c == OPT_QUERY)
            g.query = optarg;
        else if (c == OPT_ADMIN1)
            g.admin1 = optarg;
        else if (c == OPT_FRONTIER_DISTANCE)
            g.frontier_distance = 1;
        else if (c == OPT_GAZETTEER)
            g.gazetteer = optarg;
        else if (c == OPT_BOUNDARIES)
            g.boundaries = optarg;
        else if (c == 'h')
            usage(stdout), status = CLI_EXIT_OK;
        else
            usage(stderr), status = CLI_EXIT_USAGE;
    }
    if (status < 0)
        status = run(argc, argv, &g);
    cli_catalog_args_free(&g.catalog);
    return status;
}
