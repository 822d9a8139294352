/*
 * style.h — map definitions: styles/NAME.json read with jansson.
 *
 * The vocabulary follows the MapLibre style spec where a name exists
 * (sources, layers, filter, paint, layout, match, interpolate, get) and
 * adds a `page` object for what a printed map needs around the data.
 * Lengths in a style are in points (1/72 inch); the renderer scales them
 * by the page's dpi. Every problem is reported as BM_ERR_USAGE with the
 * style file and the JSON path of the offending value.
 */
#ifndef BM_STYLE_H
#define BM_STYLE_H

#include <stddef.h>

#include "confine.h"
#include "error.h"

#define BM_STYLE_NAME 64
#define BM_STYLE_TEXT 256
#define BM_STYLE_PATH 160

typedef struct bm_color {
    double r, g, b, a;
} bm_color;

/* One value of a property: which member counts depends on the property. */
typedef struct bm_value {
    double number;
    bm_color color;
    char string[BM_STYLE_NAME];
} bm_value;

typedef enum bm_prop_kind {
    BM_PROP_CONST,       /* fallback only */
    BM_PROP_MATCH,       /* ["match", ["get", F], k1, v1, [k2, k3], v2, ..., fallback] */
    BM_PROP_INTERPOLATE, /* ["interpolate", ["linear"], ["get", F], x1, y1, x2, y2, ...];
                            numbers or colours (each channel linear) */
    BM_PROP_STEP         /* ["step", ["get", F], y0, x1, y1, x2, y2, ...]: y0 below x1, then
                            the y of the last stop at or below the value */
} bm_prop_kind;

/* A paint or layout property, constant or driven by a feature field. */
typedef struct bm_prop {
    bm_prop_kind kind;
    char field[BM_STYLE_NAME];
    char path[BM_STYLE_PATH];  /* JSON path, for errors about the field */
    size_t n;                  /* match cases or interpolation stops */
    char (*keys)[BM_STYLE_NAME];
    double *stops;
    bm_value *values;
    bm_value fallback;
} bm_prop;

/* A layer's filter (Mapbox-like JSON); not filter.h's record filter. */
/* MapLibre's filter operators; the comparisons (<, <=, >, >=) take one
 * number and hold for features whose field reads as a number. */
typedef enum bm_style_filter_op {
    BM_STYLE_FILTER_EQ, BM_STYLE_FILTER_NE, BM_STYLE_FILTER_IN,
    BM_STYLE_FILTER_ALL, BM_STYLE_FILTER_ANY,
    BM_STYLE_FILTER_LT, BM_STYLE_FILTER_LE, BM_STYLE_FILTER_GT, BM_STYLE_FILTER_GE
} bm_style_filter_op;

/* "<" for BM_STYLE_FILTER_LT, ...; NULL for the other operators. */
const char *bm_style_filter_comparison(bm_style_filter_op op);

typedef struct bm_style_filter {
    bm_style_filter_op op;
    char field[BM_STYLE_NAME];
    char path[BM_STYLE_PATH];
    size_t n;                       /* values (==, !=, in) or children */
    char (*values)[BM_STYLE_NAME];
    struct bm_style_filter *children;
} bm_style_filter;

typedef enum bm_layer_type {
    BM_LAYER_FILL, BM_LAYER_LINE, BM_LAYER_CIRCLE, BM_LAYER_SYMBOL, BM_LAYER_FRONTIER,
    BM_LAYER_HEATMAP, BM_LAYER_TYPES
} bm_layer_type;

/* A heatmap's colours over the density, 0 to 1: MapLibre's
 * ["interpolate", ["linear"], ["heatmap-density"], D1, C1, ...]. */
#define BM_RAMP_MAX 16
typedef struct bm_ramp {
    size_t n;
    double density[BM_RAMP_MAX];
    bm_color color[BM_RAMP_MAX];
} bm_ramp;

/* The ramp's colour at a density, linear between the stops. */
bm_color bm_ramp_color(const bm_ramp *r, double density);

/* The style name of a layer type ("fill", ...). */
const char *bm_layer_type_name(bm_layer_type type);

typedef enum bm_source_type {
    BM_SOURCE_GEODATA,   /* an embedded layer by name: countries, admin1, ... */
    BM_SOURCE_FILE,      /* any OGR-readable file, relative to the style */
    BM_SOURCE_CATALOG,   /* the incident catalog (the CLI's --catalog wins) */
    BM_SOURCE_FRONTIERS, /* frontiers computed among `countries` */
    BM_SOURCE_AGGREGATE  /* a catalog source's events counted per region or hexagon */
} bm_source_type;

typedef enum bm_aggregate_by {
    BM_AGGREGATE_ADMIN1, BM_AGGREGATE_COUNTRIES, BM_AGGREGATE_HEXAGONS
} bm_aggregate_by;

typedef struct bm_source {
    char name[BM_STYLE_NAME];
    bm_source_type type;
    char data[1024];          /* geodata name or resolved file path */
    size_t n_countries;       /* frontiers: ISO codes; 0 = those in the extent */
    double within_km;         /* frontiers: count the catalog's events this near
                                 (frontier_stats.h); -1: no counts */
    size_t of;                /* aggregate: the catalog source it counts */
    bm_aggregate_by by;       /* aggregate: regions or hexagons */
    double size_km;           /* aggregate: hexagons this wide (between sides) */
    char weight[BM_STYLE_NAME]; /* aggregate: the field summed as `fatalities` */
    char (*countries)[4];
} bm_source;

typedef struct bm_layer {
    char id[BM_STYLE_NAME];
    bm_layer_type type;
    size_t source;            /* index into bm_style.sources */
    size_t index;             /* position in the style's layers array */
    bm_style_filter *filter;  /* NULL: every feature */
    /* paint */
    bm_prop fill_color, fill_opacity;
    bm_prop line_color, line_width, line_opacity;
    double line_dash[8];
    size_t n_dash;
    bm_prop circle_color, circle_radius, circle_opacity, circle_stroke_color, circle_stroke_width;
    bm_prop text_color, text_halo_color, text_halo_width;
    bm_prop heatmap_radius, heatmap_weight, heatmap_intensity, heatmap_opacity;
    bm_ramp heatmap_color;
    /* layout */
    char text_field[BM_STYLE_TEXT];   /* "{name}"; empty: no labels */
    char text_font[BM_STYLE_NAME];    /* a fontconfig family, e.g. "DejaVu Sans" */
    int text_italic, text_bold, text_uppercase;
    double text_size, text_letter_spacing; /* points; ems */
    int placement_line;               /* symbol-placement: line */
    double sort_key;                  /* symbol-sort-key: lower places first */
    bm_prop icon_image;               /* a shape name per feature */
    char legend[BM_STYLE_TEXT];       /* metadata.legend; classes use their key */
} bm_layer;

typedef enum bm_corner {
    BM_CORNER_TOP_LEFT, BM_CORNER_TOP_RIGHT, BM_CORNER_BOTTOM_LEFT, BM_CORNER_BOTTOM_RIGHT
} bm_corner;

typedef struct bm_page {
    int width, height;          /* pixels of the PNG; PDF/SVG are width*72/dpi points */
    double dpi;
    double margin[4];           /* top, right, bottom, left, points */
    char crs[BM_STYLE_TEXT];    /* empty: a conic fitted to the extent */
    double extent[4];           /* min lon, min lat, max lon, max lat */
    char title[BM_STYLE_TEXT], subtitle[BM_STYLE_TEXT];
    char font[BM_STYLE_NAME];
    bm_color background, water, frame, inset_color; /* inset_color: the locator box */
    int legend, scale_bar, north_arrow, graticule, inset, credits;
    bm_corner legend_corner, scale_corner, inset_corner;
    int legend_auto, inset_auto; /* "position": "auto": the corner is chosen at draw */
    double graticule_step;      /* degrees */
    char inset_source[BM_STYLE_NAME];
    char note[BM_STYLE_TEXT];   /* appended to the credits */
} bm_page;

typedef struct bm_style {
    char path[1024];
    bm_page page;
    size_t n_sources, n_layers;
    bm_source *sources;
    bm_layer *layers;
} bm_style;

/* Reads and checks a style file. NULL with err set (BM_ERR_USAGE, file,
 * JSON path) when the file is not a valid style. */
bm_style *bm_style_load(const char *path, bm_error *err);
/* Same, from a string; name stands for the file in errors. */
bm_style *bm_style_parse(const char *json, const char *name, bm_error *err);
/* Checks every file the style names (file and catalog sources' data)
 * against c (confine.h), the style's own folder allowed: a usage error
 * naming the style and "sources.NAME.data" for one outside. */
bm_status bm_style_confine(const bm_style *s, const bm_confine *c, bm_error *err);
void bm_style_free(bm_style *s);

/* Makes every frontiers source of s compute among isos (ISO alpha-3
 * codes), as `--countries` asks. */
bm_status bm_style_set_frontier_countries(bm_style *s, const char *const *isos, size_t n,
                                          bm_error *err);

/* Parses "#rgb", "#rrggbb", "#rrggbbaa", "rgb(r,g,b)", "rgba(r,g,b,a)" or
 * a few CSS names; 0 on success. */
int bm_style_parse_color(const char *text, bm_color *out);

/* The value of a property for a feature; get(field) returns the feature's
 * value of a field as text. */
typedef const char *(*bm_style_getter)(const char *field, void *feature);
const bm_value *bm_prop_eval(const bm_prop *p, bm_style_getter get, void *feature,
                             bm_value *scratch);
int bm_style_filter_eval(const bm_style_filter *f, bm_style_getter get, void *feature);

/* Calls check(field, path) for every field a layer's filter, properties
 * and label template ({field}) use; stops at the first non-zero result
 * and returns it. Fields are only borrowed for the call. */
int bm_layer_fields(const bm_layer *l, int (*check)(const char *field, const char *path, void *ctx),
                    void *ctx);

#endif
