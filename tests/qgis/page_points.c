/*
 * page_points.c — where bordermap puts things on the page, for the
 * comparison with QGIS's layout (tests/qgis/compare.py). Built against
 * the library's public API; draws the style's map as `bordermap render`
 * does and prints, one per line:
 *
 *   point LON LAT X Y   each point of a catalog source, at its page pixel
 *                       (before co-located symbols are spread)
 *   label TEXT          each label placed on the map, newlines as "\n"
 *
 * Usage: page_points STYLE.json
 */
#include <stdio.h>

#include "context.h"
#include "feature_set.h"
#include "render.h"

static int fail(const bm_error *err)
{
    char msg[1400];
    bm_error_format(err, msg, sizeof msg);
    fprintf(stderr, "page_points: %s\n", msg);
    return 1;
}

static void print_points(bm_context *ctx, const bm_style *style, const bm_map *map,
                         bm_error *err)
{
    for (size_t s = 0; s < style->n_sources; s++) {
        const bm_features *f = style->sources[s].type == BM_SOURCE_CATALOG
                                   ? bm_context_source(ctx, style, s, NULL, err)
                                   : NULL;
        double lon, lat, x, y;
        for (size_t i = 0; f && i < f->n; i++)
            if (bm_features_point(bm_context_geos(ctx), f, i, &lon, &lat) &&
                bm_map_project(map, lon, lat, &x, &y) == 0)
                printf("point %.6f %.6f %.2f %.2f\n", lon, lat, x, y);
    }
}

static void print_text(const char *text)
{
    for (const char *c = text; *c; c++) {
        if (*c == '\n')
            fputs("\\n", stdout);
        else
            putchar(*c);
    }
}

/* A line label's two rows are one text, as its template has them. */
static void print_labels(const bm_map *map)
{
    const bm_labels *labels = bm_map_labels(map);
    for (size_t i = 0; i < bm_labels_count(labels); i++) {
        const char *below = bm_labels_text_below(labels, i);
        fputs("label ", stdout);
        print_text(bm_labels_text(labels, i));
        if (below[0]) {
            fputs("\\n", stdout);
            print_text(below);
        }
        putchar('\n');
    }
}

/* Draws the map on a recording surface: the labels are placed while
 * drawing. */
static bm_status draw(bm_map *map, bm_error *err)
{
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    bm_status st = bm_map_draw(map, cr, err);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return st;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: page_points STYLE.json\n", stderr);
        return 2;
    }
    bm_error err;
    bm_error_clear(&err);
    bm_context *ctx = bm_context_create(&err);
    bm_style *style = ctx ? bm_style_load(argv[1], &err) : NULL;
    bm_map *map = style ? bm_map_create(ctx, style, NULL, &err) : NULL;
    int rc = map && draw(map, &err) == BM_OK ? 0 : 1;
    if (rc == 0) {
        print_points(ctx, style, map, &err);
        print_labels(map);
        rc = err.status == BM_OK && fflush(stdout) == 0 ? 0 : 1;
    }
    if (rc)
        fail(&err);
    bm_map_free(map);
    bm_style_free(style);
    bm_context_free(ctx);
    return rc;
}
