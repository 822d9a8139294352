/*
 * cmd_export.c — `bordermap export`: the map's layers for QGIS and the web.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog.h"
#include "cli.h"
#include "export.h"
#include "gazetteer.h"
#include "geocode.h"
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
            "  -o, --output     .geojson, .json, .gpkg, or - (one layer, GeoJSON)\n",
            BM_STYLES_DIR);
}

/* Reads and geocodes the catalog; the matches go out with the records and
 * point into the gazetteer, which must outlive them. */
static bm_catalog *load_catalog(GEOSContextHandle_t geos, const char *path,
                                bm_gazetteer **g, bm_match **matches, bm_error *err)
{
    bm_catalog *c = bm_catalog_read(path ? path : bm_catalog_default_path(), err);
    *g = c ? bm_gazetteer_load(geos, err) : NULL;
    bm_geocode_summary sum;
    *matches = *g ? bm_geocode_catalog(*g, c, 0, &sum, err) : NULL;
    if (c && !*matches) {
        bm_catalog_free(c);
        return NULL;
    }
    return c;
}

static int run(bm_export_options *opt, const char *catalog, const char *style_path,
               const char *output)
{
    bm_error err;
    bm_error_clear(&err);
    GEOSContextHandle_t geos = cli_geos();
    int status = CLI_EXIT_OK;
    bm_catalog *c = NULL;
    bm_gazetteer *g = NULL;
    bm_match *matches = NULL;
    bm_style *style = NULL;
    if (opt->layers & (BM_EXPORT_INCIDENTS | BM_EXPORT_DEPLOYMENTS) &&
        !(c = load_catalog(geos, catalog, &g, &matches, &err)))
        status = cli_fail(&err);
    else if (!(style = bm_style_load(style_path, &err)))
        status = cli_fail(&err);
    opt->catalog = c;
    opt->matches = matches;
    opt->style = style;
    if (status == CLI_EXIT_OK && bm_export_write(geos, opt, output, &err) != BM_OK)
        status = cli_fail(&err);
    bm_style_free(style);
    free(matches);
    bm_gazetteer_free(g);
    bm_catalog_free(c);
    GEOS_finish_r(geos);
    return status;
}

int cmd_export(int argc, char **argv)
{
    enum { OPT_CATALOG = 256, OPT_LAYERS, OPT_STYLE, OPT_COUNTRIES };
    static const struct option options[] = {
        {"catalog", required_argument, NULL, OPT_CATALOG},
        {"layers", required_argument, NULL, OPT_LAYERS},
        {"style", required_argument, NULL, OPT_STYLE},
        {"countries", required_argument, NULL, OPT_COUNTRIES},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bm_export_options opt = {.layers = BM_EXPORT_ALL};
    char *isos[MAX_COUNTRIES];
    const char *catalog = NULL, *style = BM_STYLES_DIR "/central-asia.json", *output = NULL;
    bm_error err;
    bm_error_clear(&err);
    int c;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
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
    return run(&opt, catalog, style, output);
}
