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
#include "render.h"
#include "style.h"

#define MAX_OUTPUTS 16

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap render STYLE.json [-o OUT.png|OUT.svg|OUT.pdf ...]\n"
            "                        [--size WxH] [--dpi N] [--extent MINLON,MINLAT,MAXLON,MAXLAT]\n"
            "                        [--crs PROJ|EPSG:N] [--catalog FILE|-] [--title TEXT]\n\n"
            "Draws the map a style describes. The format follows each output's\n"
            "extension; several -o write several formats of one layout.\n\n"
            "  -o, --output PATH  output file (default: output/<style name>.png)\n"
            "  --size WxH         page size in pixels (PDF/SVG: W*72/dpi points)\n"
            "  --dpi N            resolution: text and line sizes are in points\n"
            "  --extent BOX       area to show, in degrees\n"
            "  --crs DEF          any PROJ string or EPSG code (default: a Lambert\n"
            "                     conformal conic fitted to the extent)\n"
            "  --catalog FILE     incidents to draw (CSV with latitude/longitude,\n"
            "                     GeoJSON, GeoPackage; - for stdin)\n"
            "  --title TEXT       replaces the style's title\n");
}

static int parse_size(const char *s, bm_render_options *o)
{
    char x;
    return sscanf(s, "%d%c%d", &o->width, &x, &o->height) == 3 && (x == 'x' || x == 'X') &&
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

static int run(const char *style_path, char **outputs, int n_out, bm_render_options *o,
               const char *catalog)
{
    bm_error err;
    bm_error_clear(&err);
    bm_catalog *cat = NULL;
    bm_map *map = NULL;
    int status = CLI_EXIT_OK;
    GEOSContextHandle_t geos = cli_geos();
    bm_style *style = bm_style_load(style_path, &err);
    if (style && catalog &&
        (!(cat = bm_catalog_read(catalog, &err)) || bm_geocode_missing(geos, cat, &err)))
        status = cli_fail(&err);
    o->catalog = cat;
    if (!style || (status == CLI_EXIT_OK && !(map = bm_map_create(style, o, &err))))
        status = cli_fail(&err);
    for (int i = 0; map && status == CLI_EXIT_OK && i < n_out; i++)
        if (bm_map_write(map, outputs[i], &err) != BM_OK)
            status = cli_fail(&err);
    bm_map_free(map);
    bm_catalog_free(cat);
    bm_style_free(style);
    GEOS_finish_r(geos);
    return status;
}

int cmd_render(int argc, char **argv)
{
    enum { OPT_SIZE = 256, OPT_DPI, OPT_EXTENT, OPT_CRS, OPT_CATALOG, OPT_TITLE };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"size", required_argument, NULL, OPT_SIZE},
        {"dpi", required_argument, NULL, OPT_DPI}, {"extent", required_argument, NULL, OPT_EXTENT},
        {"crs", required_argument, NULL, OPT_CRS}, {"catalog", required_argument, NULL, OPT_CATALOG},
        {"title", required_argument, NULL, OPT_TITLE}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bm_render_options o = {0};
    char *outputs[MAX_OUTPUTS], fallback[1024];
    const char *catalog = NULL;
    int n_out = 0, c;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o':
            if (n_out == MAX_OUTPUTS)
                return cli_usage_error("render", "at most %d outputs", MAX_OUTPUTS);
            outputs[n_out++] = optarg;
            break;
        case OPT_SIZE:
            if (!parse_size(optarg, &o))
                return cli_usage_error("render", "--size wants WIDTHxHEIGHT in pixels "
                                                 "(16 to 20000), got '%s'", optarg);
            break;
        case OPT_DPI:
            o.dpi = strtod(optarg, &end);
            if (*end || !(o.dpi >= 24 && o.dpi <= 2400))
                return cli_usage_error("render", "--dpi wants a number from 24 to 2400, "
                                                 "got '%s'", optarg);
            break;
        case OPT_EXTENT:
            if (!parse_extent(optarg, &o))
                return cli_usage_error("render", "--extent wants MINLON,MINLAT,MAXLON,MAXLAT "
                                                 "in degrees with min < max, got '%s'", optarg);
            break;
        case OPT_CRS:
            o.crs = optarg;
            break;
        case OPT_CATALOG:
            catalog = optarg;
            break;
        case OPT_TITLE:
            o.title = optarg;
            break;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("render", optind < argc ? "one style file, please"
                                                       : "missing STYLE.json");
    if (n_out == 0) {
        default_output(argv[optind], fallback, sizeof fallback);
        outputs[n_out++] = fallback;
    }
    return run(argv[optind], outputs, n_out, &o, catalog);
}
