/*
 * cmd_frontiers.c — `bordermap frontiers`: shared borders and their lengths.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boundaries.h"
#include "cli.h"
#include "context.h"
#include "frontiers.h"

#define MAX_COUNTRIES 256

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap frontiers [--countries ISO,ISO,...] [--boundaries PATH]\n"
            "                           [--tolerance METRES] [--include-maritime]\n"
            "                           [-o OUT.geojson|OUT.gpkg|-] [--table]\n\n"
            "Computes the frontier (shared land border) of every neighbouring pair of\n"
            "countries and its geodesic length on WGS84.\n\n"
            "  --countries LIST    ISO alpha-3 codes to consider (default: all)\n"
            "  --boundaries PATH   admin-0 polygons readable by GDAL with an iso_a3 field\n"
            "                      (default: the embedded country polygons)\n"
            "  --tolerance M       boundaries closer than M metres count as shared\n"
            "                      (default %.0f)\n"
            "  --include-maritime  add sea sector lines (e.g. in the Caspian)\n"
            "  -o, --output PATH   GeoJSON (RFC 7946) or GeoPackage; - for stdout\n"
            "  --table             print an aligned table sorted by length\n"
            "Without -o or --table, the table is printed.\n",
            BM_FRONTIER_DEFAULT_TOLERANCE_M);
}

static int compare_length_desc(const void *x, const void *y)
{
    const bm_frontier *a = *(const bm_frontier *const *)x;
    const bm_frontier *b = *(const bm_frontier *const *)y;
    if (a->length_km != b->length_km)
        return a->length_km < b->length_km ? 1 : -1;
    int c = strcmp(a->iso_a, b->iso_a);
    return c ? c : strcmp(a->iso_b, b->iso_b);
}

static void print_table(const bm_frontiers *f, FILE *out)
{
    size_t n = bm_frontiers_count(f);
    const bm_frontier **rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return;
    for (size_t i = 0; i < n; i++)
        rows[i] = bm_frontiers_at(f, i);
    qsort(rows, n, sizeof *rows, compare_length_desc);
    fprintf(out, "%-5s %-5s %-44s %10s %12s %8s\n", "iso_a", "iso_b", "name", "length_km",
            "reported_km", "diff_%");
    for (size_t i = 0; i < n; i++) {
        const bm_frontier *fr = rows[i];
        char name[200], reported[32] = "", diff[16] = "";
        bm_frontier_name(fr, name, sizeof name);
        if (fr->has_reported) {
            snprintf(reported, sizeof reported, "%s%.0f",
                     strcmp(fr->reported_qualifier, "over") == 0 ? ">" : "", fr->reported_km);
            snprintf(diff, sizeof diff, "%+.1f",
                     (fr->length_km - fr->reported_km) / fr->reported_km * 100.0);
        }
        /* The name holds a two-byte en dash: pad by display width. */
        fprintf(out, "%-5s %-5s %-45s %10.1f %12s %8s\n", fr->iso_a, fr->iso_b, name,
                fr->length_km, reported, diff);
    }
    free(rows);
}

static int run(const char *boundaries_path, char **isos, int n_isos,
               const bm_frontier_options *opt, const char *output, int table)
{
    bm_error err;
    bm_error_clear(&err);
    int status = CLI_EXIT_OK;
    bm_frontiers *f = NULL;
    bm_context *ctx = bm_context_create(&err);
    GEOSContextHandle_t geos = ctx ? bm_context_geos(ctx) : NULL;
    const bm_boundaries *b = ctx ? bm_context_boundaries_from(
        ctx, boundaries_path ? boundaries_path : bm_boundaries_default_path(), &err) : NULL;
    if (b)
        f = bm_frontiers_compute(geos, b, (const char *const *)isos, (size_t)n_isos, opt, &err);
    if (!f)
        status = cli_fail(&err);
    else if (output && bm_frontiers_write(geos, f, output, &err) != BM_OK)
        status = cli_fail(&err);
    else if (table || !output)
        print_table(f, (output && strcmp(output, "-") == 0) ? stderr : stdout);
    bm_frontiers_free(f);
    bm_context_free(ctx);
    return status;
}

int cmd_frontiers(int argc, char **argv)
{
    enum { OPT_COUNTRIES = 256, OPT_BOUNDARIES, OPT_TOLERANCE, OPT_MARITIME, OPT_TABLE };
    static const struct option options[] = {
        {"countries", required_argument, NULL, OPT_COUNTRIES},
        {"boundaries", required_argument, NULL, OPT_BOUNDARIES},
        {"tolerance", required_argument, NULL, OPT_TOLERANCE},
        {"include-maritime", no_argument, NULL, OPT_MARITIME},
        {"output", required_argument, NULL, 'o'},
        {"table", no_argument, NULL, OPT_TABLE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bm_frontier_options opt = {0};
    char *isos[MAX_COUNTRIES];
    int n_isos = 0, table = 0, c;
    const char *boundaries = NULL, *output = NULL;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        char *end;
        switch (c) {
        case OPT_COUNTRIES:
            n_isos = cli_split_list(optarg, isos, MAX_COUNTRIES);
            break;
        case OPT_BOUNDARIES:
            boundaries = optarg;
            break;
        case OPT_TOLERANCE:
            opt.tolerance_m = strtod(optarg, &end);
            if (*end || !(opt.tolerance_m > 0) || !isfinite(opt.tolerance_m))
                return cli_usage_error("frontiers", "--tolerance wants a positive number of "
                                                    "metres, got '%s'", optarg);
            break;
        case OPT_MARITIME:
            opt.include_maritime = 1;
            break;
        case 'o':
            output = optarg;
            break;
        case OPT_TABLE:
            table = 1;
            break;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("frontiers", "unexpected argument '%s'", argv[optind]);
    return run(boundaries, isos, n_isos, &opt, output, table);
}
