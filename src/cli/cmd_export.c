/*
 * cmd_export.c — `bordermap export`: a map's sources for QGIS and the web.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_catalog.h"
#include "confine.h"
#include "context.h"
#include "export.h"
#include "geodata.h"
#include "style.h"

#define MAX_COUNTRIES 64
#define MAX_LAYERS 64

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap export [--style STYLE.json] [--layers ID,...] [--catalog FILE|-]\n"
            "                        [--countries ISO,ISO,...] [--allow-path DIR ...]\n"
            "                        -o OUT.geojson|OUT.gpkg|OUT.qgz|-\n\n"
            "Writes the sources of a map as GIS data: one layer per source the style\n"
            "draws, named by the source's id, with exactly the features and fields the\n"
            "map is drawn from. A GeoPackage holds every layer and a layer_styles table,\n"
            "so QGIS opens them styled as the map, and a QGIS project with a print\n"
            "layout of the page in its qgis_projects table. OUT.qgz writes that project\n"
            "as a file and the GeoPackage as OUT.gpkg beside it. GeoJSON (RFC 7946)\n"
            "holds one layer per file: with several layers OUT.geojson becomes\n"
            "OUT-<id>.geojson.\n\n"
            "  --style FILE     the map whose sources go out\n"
            "                   (default: %s/central-asia.json)\n"
            "  --layers LIST    source ids of the style (default: every source it draws);\n"
            "                   where the style has no source of that id, incidents (its\n"
            "                   catalog), deployments (the catalog's rows whose\n"
            "                   sub_event_type is \"Headquarters or base established\" or\n"
            "                   \"Change to group/activity\"), frontiers (its first frontiers\n"
            "                   source), countries and regions (the embedded admin-0 and\n"
            "                   admin-1 polygons)\n"
            "  --catalog FILE   the catalog the style's catalog source draws, geocoded\n"
            "                   on the way (default: the style's, else the embedded seed\n"
            "                   catalog; - for stdin)\n"
            "  --countries LIST the style's frontiers sources compute among these ISO codes\n"
            "  -o, --output     .geojson, .json, .gpkg, .qgz (with OUT.gpkg), or - (one\n"
            "                   layer, GeoJSON)\n"
            "  --allow-path DIR lets the style read files in DIR; by default only its\n"
            "                   own folder, the embedded geodata and the folder of\n"
            "                   --catalog (no /vsi paths, URLs or VRTs)\n\n%s",
            bm_styles_dir(), cli_catalog_usage);
}

/* Whether the export writes a catalog layer, so the catalog is read. */
static int exports_catalog(const bm_style *s, const bm_export_options *opt)
{
    for (size_t i = 0; i < s->n_sources; i++) {
        if (s->sources[i].type != BM_SOURCE_CATALOG)
            continue;
        if (!opt->layers)
            return 1;
        for (size_t k = 0; k < opt->n_layers; k++)
            if (strcmp(opt->layers[k], s->sources[i].name) == 0 ||
                strcmp(opt->layers[k], "incidents") == 0 ||
                strcmp(opt->layers[k], "deployments") == 0)
                return 1;
    }
    return 0;
}

typedef struct export_args {
    bm_export_options opt;
    char *layers[MAX_LAYERS], *isos[MAX_COUNTRIES];
    size_t n_isos;
    const char *catalog, *style, *output;
    cli_catalog_args catalog_args;
    bm_confine *confine;
} export_args;

static int run(export_args *x)
{
    bm_error err;
    bm_error_clear(&err);
    cli_catalog_args *a = &x->catalog_args;
    bm_context *ctx = bm_context_create(&err);
    bm_style *style = ctx ? bm_style_load(x->style, &err) : NULL;
    if (style && ((x->catalog && bm_confine_allow_folder_of(x->confine, x->catalog, &err)) ||
                  bm_style_confine(style, x->confine, &err) != BM_OK)) {
        bm_style_free(style);
        style = NULL;
    }
    bm_catalog *c = NULL;
    int status = style ? CLI_EXIT_OK : cli_fail(&err);
    x->opt.style = style;
    if (status == CLI_EXIT_OK && x->n_isos &&
        bm_style_set_frontier_countries(style, (const char *const *)x->isos, x->n_isos,
                                        &err) != BM_OK)
        status = cli_fail(&err);
    const char *path = style ? cli_catalog_for_style(style, x->catalog) : NULL;
    if (status == CLI_EXIT_OK && x->catalog && !path)
        status = cli_usage_error("export", "%s has no catalog source for --catalog %s",
                                 x->style, x->catalog);
    if (status == CLI_EXIT_OK && path && exports_catalog(style, &x->opt) &&
        !(c = cli_catalog_load(ctx, "export", path, NULL, 1, a, &err)))
        status = cli_fail(&err);
    if (status == CLI_EXIT_OK && bm_export_write(ctx, &x->opt, x->output, &err) != BM_OK)
        status = cli_fail(&err);
    if (status == CLI_EXIT_OK && c)
        cli_catalog_report("export", c, a, "written", bm_export_records_written(c, &x->opt));
    bm_style_free(style);
    bm_context_free(ctx);
    return status;
}

static int export_main(int argc, char **argv, export_args *x)
{
    enum { OPT_CATALOG = 256, OPT_LAYERS, OPT_STYLE, OPT_COUNTRIES, OPT_ALLOW };
    static const struct option options[] = {
        {"catalog", required_argument, NULL, OPT_CATALOG},
        {"layers", required_argument, NULL, OPT_LAYERS},
        {"style", required_argument, NULL, OPT_STYLE},
        {"countries", required_argument, NULL, OPT_COUNTRIES},
        {"output", required_argument, NULL, 'o'},
        {"allow-path", required_argument, NULL, OPT_ALLOW},
        {"help", no_argument, NULL, 'h'},
        CLI_CATALOG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        int handled = cli_catalog_option("export", c, optarg, &x->catalog_args);
        if (handled == 1)
            continue;
        if (handled)
            return handled;
        switch (c) {
        case OPT_CATALOG:
            x->catalog = optarg;
            break;
        case OPT_LAYERS:
            x->opt.n_layers = (size_t)cli_split_list(optarg, x->layers, MAX_LAYERS);
            x->opt.layers = (const char *const *)x->layers;
            if (x->opt.n_layers == 0)
                return cli_usage_error("export", "--layers names no layer");
            break;
        case OPT_STYLE:
            x->style = optarg;
            break;
        case OPT_COUNTRIES:
            x->n_isos = (size_t)cli_split_list(optarg, x->isos, MAX_COUNTRIES);
            break;
        case 'o':
            x->output = optarg;
            break;
        case OPT_ALLOW: {
            bm_error err;
            bm_error_clear(&err);
            if (bm_confine_allow(x->confine, optarg, "--allow-path", &err) != BM_OK)
                return cli_fail(&err);
            break;
        }
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
    if (!x->output)
        return cli_usage_error("export", "missing -o OUT.geojson|OUT.gpkg|OUT.qgz");
    if (x->catalog && cli_same_file(x->catalog, x->output))
        return cli_usage_error("export", "%s is the catalog; write to another file", x->output);
    if (x->catalog_args.json && strcmp(x->output, "-") == 0)
        return cli_usage_error("export", "--json prints the summary on standard output; "
                                         "write the layers to a file");
    return run(x);
}

int cmd_export(int argc, char **argv)
{
    char default_style[1024];
    export_args x = {.style = bm_style_path("central-asia.json", default_style,
                                            sizeof default_style)};
    bm_error err;
    bm_error_clear(&err);
    if (!(x.confine = bm_confine_create(&err)))
        return cli_fail(&err);
    if (!cli_catalog_args_init(&x.catalog_args)) {
        bm_confine_free(x.confine);
        return CLI_EXIT_RUNTIME;
    }
    int status = export_main(argc, argv, &x);
    cli_catalog_args_free(&x.catalog_args);
    bm_confine_free(x.confine);
    return status;
}
