/*
 * cmd_geocode.c — `bordermap geocode`: place text in catalogs to points.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "gazetteer.h"
#include "geocode.h"

#define QUERY_ROWS 10

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap geocode INPUT|- [-o OUT.geojson|OUT.gpkg|-] [--strict] [--regeocode]\n"
            "       bordermap geocode --query TEXT [--country CC] [--admin1 NAME]\n\n"
            "Resolves the place text of a catalog (CSV with ACLED columns location,\n"
            "admin1, country, latitude, longitude; or GeoJSON, GeoPackage) to points:\n"
            "places, admin-1 regions, countries, frontiers (\"Tajik-Afghan border\") and\n"
            "curated features (\"201st base\"), with precision and provenance.\n\n"
            "  -o, --output PATH  GeoJSON (RFC 7946) or GeoPackage; - for stdout (default)\n"
            "  --strict           exit 1 when any row stays unresolved\n"
            "  --regeocode        resolve rows that already have coordinates too\n"
            "  --query TEXT       print the best candidates for TEXT as a table\n"
            "  --country CC       country hint for --query (name, ISO code or demonym)\n"
            "  --admin1 NAME      admin-1 hint for --query\n"
            "A summary (resolved, ambiguous, unresolved) is printed on stderr.\n");
}

/* Pads by characters, not bytes: names have diacritics. */
static void print_padded(const char *s, int width)
{
    int chars = 0;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    printf("%s%*s ", s, width > chars ? width - chars : 0, "");
}

static int run_query(const char *text, const char *country, const char *admin1)
{
    bm_error err;
    bm_error_clear(&err);
    GEOSContextHandle_t geos = cli_geos();
    int status = CLI_EXIT_OK;
    bm_gazetteer *g = bm_gazetteer_load(geos, &err);
    bm_candidate c[QUERY_ROWS];
    size_t n = g ? bm_geocode_query(g, text, country, admin1, c, QUERY_ROWS, &err) : 0;
    if (err.status != BM_OK) {
        status = cli_fail(&err);
    } else if (n == 0) {
        fprintf(stderr, "bordermap geocode: no match for '%s'\n", text);
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
    bm_gazetteer_free(g);
    GEOS_finish_r(geos);
    return status;
}

static int run_catalog(const char *input, const char *output, int strict, int regeocode)
{
    bm_error err;
    bm_error_clear(&err);
    GEOSContextHandle_t geos = cli_geos();
    bm_geocode_summary sum = {0};
    bm_gazetteer *g = NULL;
    bm_match *m = NULL;
    bm_catalog *c = bm_catalog_read(input, &err);
    if (c)
        g = bm_gazetteer_load(geos, &err);
    if (g)
        m = bm_geocode_catalog(g, c, regeocode, &sum, &err);
    int status = CLI_EXIT_OK;
    if (!m || bm_geocode_write(c, m, output, &err) != BM_OK) {
        status = cli_fail(&err);
    } else {
        fprintf(stderr, "bordermap geocode: %zu rows: %zu resolved (%zu kept coordinates), "
                        "%zu ambiguous, %zu unresolved\n",
                sum.records, sum.resolved, sum.coordinates, sum.ambiguous, sum.unresolved);
        if (strict && sum.unresolved > 0)
            status = CLI_EXIT_RUNTIME;
    }
    free(m);
    bm_gazetteer_free(g);
    bm_catalog_free(c);
    GEOS_finish_r(geos);
    return status;
}

int cmd_geocode(int argc, char **argv)
{
    enum { OPT_STRICT = 256, OPT_REGEOCODE, OPT_QUERY, OPT_COUNTRY, OPT_ADMIN1 };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"regeocode", no_argument, NULL, OPT_REGEOCODE},
        {"query", required_argument, NULL, OPT_QUERY},
        {"country", required_argument, NULL, OPT_COUNTRY},
        {"admin1", required_argument, NULL, OPT_ADMIN1},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = "-", *query = NULL, *country = NULL, *admin1 = NULL;
    int strict = 0, regeocode = 0, c;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_REGEOCODE: regeocode = 1; break;
        case OPT_QUERY: query = optarg; break;
        case OPT_COUNTRY: country = optarg; break;
        case OPT_ADMIN1: admin1 = optarg; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (query) {
        if (optind < argc)
            return cli_usage_error("geocode", "--query takes no INPUT, got '%s'", argv[optind]);
        return run_query(query, country, admin1);
    }
    if (country || admin1)
        return cli_usage_error("geocode", "--country and --admin1 go with --query");
    if (optind != argc - 1)
        return cli_usage_error("geocode", optind < argc ? "one INPUT only" : "missing INPUT");
    return run_catalog(argv[optind], output, strict, regeocode);
}
