/*
 * cmd_export.c — `bordermap export`: the map's layers for QGIS and the web.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "cli_catalog.h"
#include "export.h"
#include "gazetteer.h"
#include "geocode.h"
#include "geodata.h"
#include "style.h"

#define MAX_COUNTRIES 64

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap export [--catalog FILE|-] [--layers LIST] [--style STYLE.json]\n"
            "                        [--countries ISO,ISO,...] -o OUT.geojson|OUT.gpkg|-\n\n"
            "Writes the layers of the map as GIS data. A GeoPackage holds every layer\n"
            "and a layer_styles table, so QGIS opens them styled as the map. GeoJSON\n"
            "(RFC 7946) holds one layer per file: with several layers OUT.geojson\n"
            "becomes OUT-incidents.geojson, OUT-frontiers.geojson, ...\n\n"
            "  --catalog FILE   incidents and deployments, geocoded on the way\n"
            "                   (default: the embedded seed catalog; - for stdin)\n"
            "  --layers LIST    incidents,deployments,frontiers,countries,regions\n"
            "                   (default: all). Deployments are rows whose sub_event_type\n"
            "                   is \"Headquarters or base established\" or \"Change to\n"
            "                   group/activity\"; incidents are the others.\n"
            "  --style FILE     the style the QGIS styles follow\n"
            "                   (default: %s/central-asia.json)\n"
            "  --countries LIST frontiers among these ISO codes\n"
            "                   (default: " BM_EXPORT_DEFAULT_COUNTRIES ")\n"
            "  -o, --output     .geojson, .json, .gpkg, or - (one layer, GeoJSON)\n\n%s",
            bm_styles_dir(), cli_catalog_usage);
}

/* Reads and geocodes the catalog; the matches go out with the records and
 * point into the gazetteer, which must outlive them. */
static bm_catalog *load_catalog(bm_lazy_gazetteer *lg, const char *path, cli_catalog_args *a,
                                bm_match **matches, bm_error *err)
{
    bm_catalog *c = cli_catalog_read("export", path ? path : bm_catalog_default_path(), NULL,
                                     a, err);
    bm_geocode_summary sum;
    *matches = c ? bm_geocode_catalog(lg, c, 0, &sum, err) : NULL;
    if (!*matches) {
        bm_catalog_free(c);
        return NULL;
    }
    cli_catalog_note_all(a, c);
    return c;
}

/* Records that went out in the catalog layers asked for. */
static size_t records_written(const bm_catalog *c, unsigned layers)
{
    size_t n = 0;
    for (size_t i = 0; i < bm_catalog_count(c); i++) {
        if (!bm_catalog_point(c, i, NULL, NULL))
            continue;
        unsigned layer = bm_export_is_deployment(c, i) ? BM_EXPORT_DEPLOYMENTS
                                                        : BM_EXPORT_INCIDENTS;
        n += (layers & layer) != 0;
    }
    return n;
}

static int run(bm_export_options *opt, const char *catalog, const char *style_path,
               const char *output, cli_catalog_args *a)
{
    bm_error err;
    bm_error_clear(&err);
    bm_lazy_gazetteer lg = {cli_geos(), NULL};
    int status = CLI_EXIT_OK;
    bm_catalog *c = NULL;
    bm_match *matches = NULL;
    bm_style *style = NULL;
    if (opt->layers & (BM_EXPORT_INCIDENTS | BM_EXPORT_DEPLOYMENTS) &&
        !(c = load_catalog(&lg, catalog, a, &matches, &err)))
        status = cli_fail(&err);
    else if (!(style = bm_style_load(style_path, &err)))
        status = cli_fail(&err);
    opt->catalog = c;
    opt->matches = matches;
    opt->style = style;
    if (status == CLI_EXIT_OK && bm_export_write(lg.geos, opt, output, &err) != BM_OK)
        status = cli_fail(&err);
    if (status == CLI_EXIT_OK && c)
        cli_catalog_report("export", c, a, "written", records_written(c, opt->layers));
    bm_style_free(style);
    free(matches);
    bm_gazetteer_free(lg.g);
    bm_catalog_free(c);
    GEOS_finish_r(lg.geos);
    return status;
}

static int export_main(int argc, char **argv, cli_catalog_args *a)
{
    enum { OPT_CATALOG = 256, OPT_LAYERS, OPT_STYLE, OPT_COUNTRIES };
    static const struct option options[] = {
        {"catalog", required_argument, NULL, OPT_CATALOG},
        {"layers", required_argument, NULL, OPT_LAYERS},
        {"style", required_argument, NULL, OPT_STYLE},
        {"countries", required_argument, NULL, OPT_COUNTRIES},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        CLI_CATALOG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    bm_export_options opt = {.layers = BM_EXPORT_ALL};
    char *isos[MAX_COUNTRIES];
    char default_style[1024];
    const char *catalog = NULL, *output = NULL,
               *style = bm_style_path("central-asia.json", default_style, sizeof default_style);
    bm_error err;
    bm_error_clear(&err);
    int c;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        int handled = cli_catalog_option("export", c, optarg, a);
        if (handled == 1)
            continue;
        if (handled)
            return handled;
        switch (c) {
        case OPT_CATALOG:
            catalog = optarg;
            break;
        case OPT_LAYERS:
            if (bm_export_parse_layers(optarg, &opt.layers, &err) != BM_OK)
                return cli_usage_error("export", "%s", err.message);
            break;
        case OPT_STYLE:
            style = optarg;
            break;
        case OPT_COUNTRIES:
            opt.n_countries = (size_t)cli_split_list(optarg, isos, MAX_COUNTRIES);
            opt.countries = (const char *const *)isos;
            break;
        case 'o':
            output = optarg;
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
        return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
    if (!output)
        return cli_usage_error("export", "missing -o OUT.geojson|OUT.gpkg");
    if (catalog && cli_same_file(catalog, output))
        return cli_usage_error("export", "%s is the catalog; write to another file", output);
    if (a->json && strcmp(output, "-") == 0)
        return cli_usage_error("export", "--json prints the summary on standard output; "
                                         "write the layers to a file");
    return run(&opt, catalog, style, output, a);
}

int cmd_export(int argc, char **argv)
{
    cli_catalog_args a;
    if (!cli_catalog_args_init(&a))
        return CLI_EXIT_RUNTIME;
    int status = export_main(argc, argv, &a);
    cli_catalog_args_free(&a);
    return status;
}
