/*
 * cmd_render.c — `bordermap render`: a style to PNG, SVG and PDF maps.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "geocode.h"
#include "cli.h"
#include "cli_catalog.h"
#include "confine.h"
#include "render.h"
#include "style.h"

#define MAX_OUTPUTS 16

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap render STYLE.json [-o OUT.png|OUT.svg|OUT.pdf ...]\n"
            "                        [--size WxH] [--dpi N] [--extent MINLON,MINLAT,MAXLON,MAXLAT]\n"
            "                        [--crs PROJ|EPSG:N] [--catalog FILE|-] [--title TEXT]\n"
            "                        [--allow-path DIR ...]\n\n"
            "Draws the map a style describes. The format follows each output's\n"
            "extension; several -o write several formats of one layout.\n\n"
            "  -o, --output PATH  output file (default: output/<style name>.png)\n"
            "  --size WxH         page size in pixels, 16 to 20000 each and W*H at most\n"
            "                     BORDERMAP_MAX_PIXELS (PDF/SVG: W*72/dpi points)\n"
            "  --dpi N            resolution, 24 to 2400: text and line sizes are in points\n"
            "  --extent BOX       area to show, in degrees: longitudes -180 to 180,\n"
            "                     latitudes -85 to 85, min < max, not across the\n"
            "                     antimeridian\n"
            "  --crs DEF          a projected or geographic 2D CRS: PROJ string or\n"
            "                     EPSG code (default: a Lambert conformal conic\n"
            "                     fitted to the extent; Mercator near the equator,\n"
            "                     polar stereographic near a pole)\n"
            "  --catalog FILE     incidents to draw instead of the style's catalog:\n"
            "                     ACLED or UCDP GED exports, any point table GDAL\n"
            "                     reads; - for stdin. Rows without coordinates are\n"
            "                     geocoded on the way\n"
            "  --title TEXT       replaces the style's title\n"
            "  --allow-path DIR   lets the style read files in DIR; by default only\n"
            "                     its own folder, the embedded geodata and the\n"
            "                     folder of --catalog (no /vsi paths, URLs or VRTs)\n\n%s",
            cli_catalog_usage);
}

static int parse_size(const char *s, bm_render_options *o)
{
    char x, tail;
    return sscanf(s, "%d%c%d%c", &o->width, &x, &o->height, &tail) == 3 &&
           (x == 'x' || x == 'X') &&
           o->width >= 16 && o->height >= 16 && o->width <= 20000 && o->height <= 20000;
}

static int parse_extent(const char *s, bm_render_options *o)
{
    double *e = o->extent;
    char tail;
    o->has_extent = 1;
    return sscanf(s, "%lf,%lf,%lf,%lf%c", &e[0], &e[1], &e[2], &e[3], &tail) == 4 &&
           e[0] < e[2] && e[1] < e[3] && e[0] >= -180 && e[2] <= 180 && e[1] >= -85 &&
           e[3] <= 85;
}

static void default_output(const char *style, char *buf, size_t size)
{
    const char *base = strrchr(style, '/');
    base = base ? base + 1 : style;
    const char *dot = strrchr(base, '.');
    snprintf(buf, size, "output/%.*s.png", dot ? (int)(dot - base) : (int)strlen(base), base);
}

#define MAX_DRAWN_FIELDS 64

/* The catalog columns a style draws with (bm_layer_fields), so that
 * render keeps only their values. */
typedef struct drawn_fields {
    size_t n;
    char names[MAX_DRAWN_FIELDS][BM_STYLE_NAME];
    const char *list[MAX_DRAWN_FIELDS + 1];
    int overflow;
} drawn_fields;

static int add_drawn(const char *field, const char *path, void *ctx)
{
    drawn_fields *d = ctx;
    (void)path;
    if (d->n == MAX_DRAWN_FIELDS) {
        d->overflow = 1;
        return 0;
    }
    snprintf(d->names[d->n], sizeof d->names[d->n], "%s", field);
    d->list[d->n] = d->names[d->n];
    d->n++;
    return 0;
}

static void add_filtered(const char *name, void *ctx)
{
    add_drawn(name, NULL, ctx);
}

/* The style's fields and the filter's; NULL (every column) when they are
 * more than fit. */
static const char *const *catalog_columns(const bm_style *style, const bm_filter *filter,
                                          drawn_fields *d)
{
    bm_filter_columns(filter, add_filtered, d);
    for (size_t i = 0; i < style->n_layers; i++) {
        const bm_layer *l = &style->layers[i];
        if (style->sources[l->source].type != BM_SOURCE_CATALOG)
            continue;
        bm_layer_fields(l, add_drawn, d);
    }
    d->list[d->n] = NULL;
    return d->overflow ? NULL : d->list;
}

static int run(const char *style_path, char **outputs, int n_out, bm_render_options *o,
               const char *catalog, cli_catalog_args *a, bm_confine *confine)
{
    bm_error err;
    bm_error_clear(&err);
    bm_catalog *cat = NULL;
    bm_map *map = NULL;
    drawn_fields d = {0};
    bm_context *ctx = bm_context_create(&err);
    bm_style *style = ctx ? bm_style_load(style_path, &err) : NULL;
    if (style && ((catalog && bm_confine_allow_folder_of(confine, catalog, &err) != BM_OK) ||
                  bm_style_confine(style, confine, &err) != BM_OK)) {
        bm_style_free(style);
        style = NULL;
    }
    int status = style ? CLI_EXIT_OK : cli_fail(&err);
    const char *path = style ? cli_catalog_for_style(style, catalog) : NULL;
    if (path && !(cat = cli_catalog_load(ctx, "render", path,
                                         catalog_columns(style, a->filter, &d), 0, a, &err)))
        status = cli_fail(&err);
    if (status == CLI_EXIT_OK && !(map = bm_map_create(ctx, style, o, &err)))
        status = cli_fail(&err);
    for (int i = 0; map && status == CLI_EXIT_OK && i < n_out; i++)
        if (bm_map_write(map, outputs[i], &err) != BM_OK)
            status = cli_fail(&err);
    if (status == CLI_EXIT_OK && cat)
        cli_catalog_report("render", cat, a, "on the map", bm_catalog_count(cat));
    bm_map_free(map);
    bm_style_free(style);
    bm_context_free(ctx);
    return status;
}

static int check_outputs(char **outputs, int n_out, const char *catalog, const cli_catalog_args *a)
{
    for (int i = 0; i < n_out; i++) {
        if (catalog && cli_same_file(catalog, outputs[i]))
            return cli_usage_error("render", "%s is the catalog; write to another file",
                                   outputs[i]);
        if (a->json && strcmp(outputs[i], "-") == 0)
            return cli_usage_error("render", "--json prints the summary on standard output; "
                                             "write the map to a file");
    }
    return CLI_EXIT_OK;
}

enum { OPT_SIZE = 256, OPT_DPI, OPT_EXTENT, OPT_CRS, OPT_CATALOG, OPT_TITLE, OPT_ALLOW };

typedef struct render_args {
    bm_render_options o;
    char *outputs[MAX_OUTPUTS];
    int n_out;
    const char *catalog;
    cli_catalog_args catalog_args;
    bm_confine *confine;
} render_args;

/* One render option; -1 to go on, else the exit status. */
static int render_option(int c, char *arg, render_args *r)
{
    char *end;
    switch (c) {
    case 'o':
        if (r->n_out == MAX_OUTPUTS)
            return cli_usage_error("render", "at most %d outputs", MAX_OUTPUTS);
        r->outputs[r->n_out++] = arg;
        return -1;
    case OPT_SIZE:
        if (!parse_size(arg, &r->o))
            return cli_usage_error("render", "--size wants WIDTHxHEIGHT in pixels "
                                             "(16 to 20000), got '%s'", arg);
        return -1;
    case OPT_DPI:
        r->o.dpi = strtod(arg, &end);
        if (*end || !(r->o.dpi >= 24 && r->o.dpi <= 2400))
            return cli_usage_error("render", "--dpi wants a number from 24 to 2400, "
                                             "got '%s'", arg);
        return -1;
    case OPT_EXTENT:
        if (!parse_extent(arg, &r->o))
            return cli_usage_error("render", "--extent wants MINLON,MINLAT,MAXLON,MAXLAT "
                                             "in degrees with min < max, longitudes -180 to "
                                             "180, latitudes -85 to 85, got '%s'", arg);
        return -1;
    case OPT_CRS: r->o.crs = arg; return -1;
    case OPT_CATALOG: r->catalog = arg; return -1;
    case OPT_TITLE: r->o.title = arg; return -1;
    case OPT_ALLOW: {
        bm_error err;
        bm_error_clear(&err);
        return bm_confine_allow(r->confine, arg, "--allow-path", &err) == BM_OK ? -1
                                                                               : cli_fail(&err);
    }
    case 'h': usage(stdout); return CLI_EXIT_OK;
    default: usage(stderr); return CLI_EXIT_USAGE;
    }
}

static int render_main(int argc, char **argv, render_args *r)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"size", required_argument, NULL, OPT_SIZE},
        {"dpi", required_argument, NULL, OPT_DPI}, {"extent", required_argument, NULL, OPT_EXTENT},
        {"crs", required_argument, NULL, OPT_CRS}, {"catalog", required_argument, NULL, OPT_CATALOG},
        {"title", required_argument, NULL, OPT_TITLE}, {"help", no_argument, NULL, 'h'},
        {"allow-path", required_argument, NULL, OPT_ALLOW},
        CLI_CATALOG_OPTIONS, {NULL, 0, NULL, 0},
    };
    int c, status = -1;
    while (status < 0 && (c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        int handled = cli_catalog_option("render", c, optarg, &r->catalog_args);
        status = handled == 1 ? -1 : handled ? handled : render_option(c, optarg, r);
    }
    if (status >= 0)
        return status;
    if (optind + 1 != argc)
        return cli_usage_error("render", optind < argc ? "one style file, please"
                                                       : "missing STYLE.json");
    char fallback[1024];
    if (r->n_out == 0) {
        default_output(argv[optind], fallback, sizeof fallback);
        r->outputs[r->n_out++] = fallback;
    }
    status = check_outputs(r->outputs, r->n_out, r->catalog, &r->catalog_args);
    if (status == CLI_EXIT_OK)
        status = run(argv[optind], r->outputs, r->n_out, &r->o, r->catalog, &r->catalog_args,
                     r->confine);
    return status;
}

int cmd_render(int argc, char **argv)
{
    render_args r = {0};
    bm_error err;
    bm_error_clear(&err);
    if (!(r.confine = bm_confine_create(&err)))
        return cli_fail(&err);
    if (!cli_catalog_args_init(&r.catalog_args)) {
        bm_confine_free(r.confine);
        return CLI_EXIT_RUNTIME;
    }
    int status = render_main(argc, argv, &r);
    cli_catalog_args_free(&r.catalog_args);
    bm_confine_free(r.confine);
    return status;
}
