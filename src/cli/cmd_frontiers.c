/*
 * cmd_frontiers.c — `bordermap frontiers`: shared borders and their lengths.
 */
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "border_distance.h"
#include "boundaries.h"
#include "cli.h"
#include "cli_catalog.h"
#include "context.h"
#include "frontier_stats.h"
#include "frontiers.h"
#include "vector_out.h"

#define MAX_COUNTRIES 256
/* Beyond 10 km "shared" joins coasts across straits and gulfs: Afghanistan
 * and Tajikistan measure 1,897 km at 100 km. */
#define MAX_TOLERANCE_M 10000.0

enum { OPT_COUNTRIES = 256, OPT_BOUNDARIES, OPT_TOLERANCE, OPT_MARITIME, OPT_TABLE, OPT_CATALOG,
       OPT_WITHIN };

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap frontiers [--countries ISO,ISO,...] [--boundaries PATH]\n"
            "                           [--tolerance METRES] [--include-maritime]\n"
            "                           [-o OUT.geojson|OUT.gpkg|-] [--table]\n"
            "                           [--catalog FILE --within KM]\n\n"
            "Computes the frontier (shared land border) of every neighbouring pair of\n"
            "countries and its geodesic length on WGS84; with a catalog, what happened\n"
            "along each.\n\n"
            "  --countries LIST    ISO alpha-3 codes to consider (default: all)\n"
            "  --boundaries PATH   admin-0 polygons readable by GDAL with an iso_a3 field\n"
            "                      (default: the embedded country polygons)\n"
            "  --tolerance M       boundaries closer than M metres count as shared\n"
            "                      (default %.0f, at most 10000)\n"
            "  --include-maritime  add sea sector lines (e.g. in the Caspian)\n"
            "  -o, --output PATH   GeoJSON (RFC 7946) or GeoPackage; - for stdout\n"
            "  --table             print an aligned table sorted by length\n"
            "  --catalog FILE      events (ACLED, UCDP GED, any point table GDAL reads)\n"
            "  --within KM         count the events within KM of each frontier (geodesic,\n"
            "                      either side): incidents_within, incidents_a and _b\n"
            "                      (in country iso_a, iso_b), fatalities_within,\n"
            "                      incidents_per_100km; the table adds them by event type\n"
            "Without -o or --table, the table is printed.\n\n"
            "Reading the catalog:\n%s",
            BM_FRONTIER_DEFAULT_TOLERANCE_M, cli_catalog_usage);
}

/* A frontier and its index in the set, for the table's order. */
typedef struct row {
    const bm_frontier *fr;
    size_t index;
} row;

static int compare_length_desc(const void *x, const void *y)
{
    const bm_frontier *a = ((const row *)x)->fr;
    const bm_frontier *b = ((const row *)y)->fr;
    if (a->length_km != b->length_km)
        return a->length_km < b->length_km ? 1 : -1;
    int c = strcmp(a->iso_a, b->iso_a);
    return c ? c : strcmp(a->iso_b, b->iso_b);
}

/* The events along each frontier, and by event type, after the lengths. */
static void print_stats(const row *rows, size_t n, const bm_frontier_stats *s, FILE *out)
{
    fprintf(out, "\nEvents within %g km:\n%-5s %-5s %8s %8s %8s %10s %8s\n",
            bm_frontier_stats_km(s), "iso_a", "iso_b", "within", "side_a", "side_b",
            "fatalities", "per_100km");
    for (size_t i = 0; i < n; i++) {
        const bm_frontier_count *c = bm_frontier_stats_at(s, rows[i].index);
        fprintf(out, "%-5s %-5s %8zu %8zu %8zu %10.0f %8.2f\n", rows[i].fr->iso_a, rows[i].fr->iso_b,
                c->within, c->side_a, c->side_b, c->fatalities, c->per_100km);
    }
    fprintf(out, "\nBy event type:\n%-5s %-5s %-40s %8s\n", "iso_a", "iso_b", "event_type",
            "within");
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < bm_frontier_stats_type_count(s); t++) {
            size_t k = bm_frontier_stats_by_type(s, rows[i].index, t);
            if (k)
                fprintf(out, "%-5s %-5s %-40s %8zu\n", rows[i].fr->iso_a, rows[i].fr->iso_b,
                        bm_frontier_stats_type(s, t), k);
        }
}

static void print_table(const bm_frontiers *f, const bm_frontier_stats *s, FILE *out)
{
    size_t n = bm_frontiers_count(f);
    row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return;
    for (size_t i = 0; i < n; i++)
        rows[i] = (row){bm_frontiers_at(f, i), i};
    qsort(rows, n, sizeof *rows, compare_length_desc);
    fprintf(out, "%-5s %-5s %-44s %10s %12s %8s\n", "iso_a", "iso_b", "name", "length_km",
            "reported_km", "diff_%");
    for (size_t i = 0; i < n; i++) {
        const bm_frontier *fr = rows[i].fr;
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
    if (s)
        print_stats(rows, n, s, out);
    free(rows);
}

typedef struct frontiers_args {
    const char *boundaries, *output, *catalog;
    char *isos[MAX_COUNTRIES];
    int n_isos, table;
    double within_km;            /* < 0: no catalog statistics */
    bm_frontier_options opt;
    cli_catalog_args catalog_args;
} frontiers_args;

static bm_status write_with_stats(GEOSContextHandle_t geos, const bm_frontiers *f,
                                  const bm_frontier_stats *s, const char *path, bm_error *err)
{
    bm_features *feat = bm_frontier_stats_features(geos, f, s, err);
    bm_vector_out *out = feat ? bm_vector_out_open(path, err) : NULL;
    bm_status st = out ? bm_features_write_layer(geos, feat, out, "frontiers", err) : err->status;
    if (out && st == BM_OK)
        st = bm_vector_out_commit(out, err);
    else if (out)
        bm_vector_out_abort(out);
    bm_features_free(geos, feat);
    return st;
}

/* The catalog read, placed and counted along the frontiers. */
static bm_frontier_stats *catalog_stats(bm_context *ctx, const bm_frontiers *f,
                                        frontiers_args *a, bm_error *err)
{
    bm_catalog *cat = cli_catalog_load(ctx, "frontiers", a->catalog, NULL, 0, &a->catalog_args, err);
    bm_border_distance *d = cat ? bm_border_distance_create(bm_context_geos(ctx), f,
                                                            bm_context_boundaries(ctx, err), err)
                                : NULL;
    bm_frontier_stats *s = d ? bm_frontier_stats_compute(d, f, cat, a->within_km, err) : NULL;
    bm_border_distance_free(d);
    if (s)
        cli_catalog_report("frontiers", cat, &a->catalog_args, "counted",
                           bm_catalog_count(cat));
    return s;
}

static int run(frontiers_args *a)
{
    bm_error err;
    bm_error_clear(&err);
    int status = CLI_EXIT_OK;
    bm_frontiers *f = NULL;
    bm_frontier_stats *s = NULL;
    bm_context *ctx = bm_context_create(&err);
    GEOSContextHandle_t geos = ctx ? bm_context_geos(ctx) : NULL;
    const bm_boundaries *b = ctx ? bm_context_boundaries_from(
        ctx, a->boundaries ? a->boundaries : bm_boundaries_default_path(), &err) : NULL;
    if (b)
        f = bm_frontiers_compute(geos, b, (const char *const *)a->isos, (size_t)a->n_isos,
                                 &a->opt, &err);
    if (!f || (a->catalog && !(s = catalog_stats(ctx, f, a, &err))))
        status = cli_fail(&err);
    else if (a->output && s && write_with_stats(geos, f, s, a->output, &err) != BM_OK)
        status = cli_fail(&err);
    else if (a->output && !s && bm_frontiers_write(geos, f, a->output, &err) != BM_OK)
        status = cli_fail(&err);
    else if (a->table || !a->output)
        print_table(f, s, (a->output && strcmp(a->output, "-") == 0) ? stderr : stdout);
    bm_frontier_stats_free(s);
    bm_frontiers_free(f);
    bm_context_free(ctx);
    return status;
}

/* Three letters each, upper-cased in place, no country twice. */
static int check_countries(char **isos, int n)
{
    for (int i = 0; i < n; i++) {
        if (strlen(isos[i]) != 3 ||
            strspn(isos[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != 3)
            return cli_usage_error("frontiers", "--countries wants ISO alpha-3 codes, got '%s'",
                                   isos[i]);
        for (char *p = isos[i]; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        for (int j = 0; j < i; j++)
            if (strcmp(isos[i], isos[j]) == 0)
                return cli_usage_error("frontiers", "--countries names %s twice", isos[i]);
    }
    return -1;
}

static int frontiers_option(int c, const char *arg, frontiers_args *a)
{
    char *end;
    switch (c) {
    case OPT_COUNTRIES:
        a->n_isos = cli_split_list((char *)arg, a->isos, MAX_COUNTRIES);
        return check_countries(a->isos, a->n_isos);
    case OPT_BOUNDARIES:
        a->boundaries = arg;
        return -1;
    case OPT_TOLERANCE:
        a->opt.tolerance_m = strtod(arg, &end);
        if (*end || !(a->opt.tolerance_m > 0) || !(a->opt.tolerance_m <= MAX_TOLERANCE_M))
            return cli_usage_error("frontiers", "--tolerance wants metres, more than 0 and at "
                                                "most %.0f, got '%s'", MAX_TOLERANCE_M, arg);
        return -1;
    case OPT_MARITIME:
        a->opt.include_maritime = 1;
        return -1;
    case OPT_CATALOG:
        a->catalog = arg;
        return -1;
    case OPT_WITHIN:
        a->within_km = strtod(arg, &end);
        if (*end || !(a->within_km >= 0) || !isfinite(a->within_km))
            return cli_usage_error("frontiers", "--within wants a distance in km, got '%s'", arg);
        return -1;
    case 'o':
        a->output = arg;
        return -1;
    case OPT_TABLE:
        a->table = 1;
        return -1;
    case 'h':
        usage(stdout);
        return CLI_EXIT_OK;
    default:
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
}

static int frontiers_main(int argc, char **argv, frontiers_args *a)
{
    static const struct option options[] = {
        {"countries", required_argument, NULL, OPT_COUNTRIES},
        {"boundaries", required_argument, NULL, OPT_BOUNDARIES},
        {"tolerance", required_argument, NULL, OPT_TOLERANCE},
        {"include-maritime", no_argument, NULL, OPT_MARITIME},
        {"catalog", required_argument, NULL, OPT_CATALOG},
        {"within", required_argument, NULL, OPT_WITHIN},
        {"output", required_argument, NULL, 'o'},
        {"table", no_argument, NULL, OPT_TABLE},
        {"help", no_argument, NULL, 'h'},
        CLI_CATALOG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c, status = -1;
    while (status < 0 && (c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        int handled = cli_catalog_option("frontiers", c, optarg, &a->catalog_args);
        status = handled == 1 ? -1 : handled ? handled : frontiers_option(c, optarg, a);
    }
    if (status >= 0)
        return status;
    if (optind < argc)
        return cli_usage_error("frontiers", "unexpected argument '%s'", argv[optind]);
    if ((a->catalog != NULL) != (a->within_km >= 0))
        return cli_usage_error("frontiers", "--catalog and --within go together");
    return run(a);
}

int cmd_frontiers(int argc, char **argv)
{
    frontiers_args a = {.within_km = -1};
    if (!cli_catalog_args_init(&a.catalog_args))
        return CLI_EXIT_RUNTIME;
    int status = frontiers_main(argc, argv, &a);
    cli_catalog_args_free(&a.catalog_args);
    return status;
}
