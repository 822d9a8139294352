/*
 * qgis_project.c — writing a QGIS 3.22 project and its print layout.
 *
 * The XML is the subset QGIS writes itself; whatever is left out takes
 * QGIS's defaults. Layout items are placed in millimetres on a page of
 * the style's size; their uuids are fixed strings so that the output is
 * reproducible.
 */
#include "qgis_project.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <ogr_srs_api.h>

#include "projection.h"
#include "symbols.h"

#define MM_PER_PT (25.4 / 72.0)
#define MAX_LAYERS 192 /* tables times geometry kinds */

/* What QGIS's own metadata holds, with a fixed time: the same export
 * gives the same GeoPackage. */
#define FIXED_TIME "2000-01-01T00:00:00"

/* <Name type="T">v</Name>, a project property. */
static void property(bm_xml *x, const char *name, const char *type, const char *fmt, int v)
{
    bm_xml_start(x, name);
    bm_xml_attr(x, "type", type);
    bm_xml_check(x, xmlTextWriterWriteFormatString(x->w, fmt, v));
    bm_xml_end(x);
}

static int channel(double v)
{
    return (int)(v * 255 + 0.5);
}

/* <Name red green blue alpha/>, as layout items write colours. */
static void color_element(bm_xml *x, const char *name, bm_color c)
{
    bm_xml_start(x, name);
    bm_xml_attrf(x, "red", "%d", channel(c.r));
    bm_xml_attrf(x, "green", "%d", channel(c.g));
    bm_xml_attrf(x, "blue", "%d", channel(c.b));
    bm_xml_attrf(x, "alpha", "%d", channel(c.a));
    bm_xml_end(x);
}

/* ---- CRS and extent ------------------------------------------------------- */

typedef struct frame {
    OGRSpatialReferenceH crs;
    char *wkt;
    int geographic;
    double extent[4]; /* in the CRS */
} frame;

typedef struct box {
    double x, y, w, h; /* mm */
} box;

/* The map frame on the page: the page inside its margins, as drawn by
 * the renderer. */
static box map_frame(const bm_page *page)
{
    double w = page->width / page->dpi * 25.4, h = page->height / page->dpi * 25.4;
    const double *m = page->margin;
    return (box){m[3] * MM_PER_PT, m[0] * MM_PER_PT, w - (m[1] + m[3]) * MM_PER_PT,
                 h - (m[0] + m[2]) * MM_PER_PT};
}

/* The CRS, and the box the renderer's map frame shows: the style's
 * extent projected and widened to the frame's shape. QGIS resizes a map
 * item to the shape of its extent, so the extent must have the frame's. */
static bm_status frame_init(frame *f, const bm_page *page, bm_error *err)
{
    char fitted[512], name[256];
    const char *def = page->crs[0] ? page->crs
                                   : bm_projection_fitted(page->extent, fitted, sizeof fitted,
                                                          name, sizeof name);
    const char *const wkt_options[] = {"FORMAT=WKT2_2018", NULL};
    *f = (frame){.crs = OSRNewSpatialReference(NULL)};
    OSRSetAxisMappingStrategy(f->crs, OAMS_TRADITIONAL_GIS_ORDER);
    bm_projection *proj = NULL;
    double bounds[4];
    int ok = OSRSetFromUserInput(f->crs, def) == OGRERR_NONE &&
             OSRExportToWktEx(f->crs, &f->wkt, wkt_options) == OGRERR_NONE &&
             (proj = bm_projection_create(def, err)) != NULL &&
             bm_projection_box_bounds(proj, page->extent, bounds) == 0;
    bm_projection_free(proj);
    f->geographic = OSRIsGeographic(f->crs);
    if (!ok)
        return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "page.crs",
                            "QGIS project: cannot use the CRS '%s': %s", def, CPLGetLastErrorMsg());
    box mf = map_frame(page);
    bm_projection_fit_frame(bounds, mf.w, mf.h, f->extent);
    return BM_OK;
}

static void frame_free(frame *f)
{
    CPLFree(f->wkt);
    OSRRelease(f->crs);
}

/* QGIS reads a CRS from its WKT alone. */
static void spatialrefsys(bm_xml *x, const char *wkt)
{
    bm_xml_start(x, "spatialrefsys");
    bm_xml_element(x, "wkt", wkt);
    bm_xml_end(x);
}

static void extent_attrs(bm_xml *x, const double *e)
{
    bm_xml_attrf(x, "xmin", "%.10g", e[0]);
    bm_xml_attrf(x, "ymin", "%.10g", e[1]);
    bm_xml_attrf(x, "xmax", "%.10g", e[2]);
    bm_xml_attrf(x, "ymax", "%.10g", e[3]);
}

/* ---- layers --------------------------------------------------------------- */

/* l's place in the stack: its last fill, as a fill hides what is under
 * it (Batken's fill must go above the countries' land, though their
 * borders come later in the style), else the last style layer that draws
 * it, a heatmap too (labels, which QGIS puts above every layer, only where
 * nothing draws it). */
static size_t top_index(const bm_qgis_layer *l)
{
    const bm_layer *const *d = l->n_draw ? l->draw : l->labels;
    size_t n = l->n_draw ? l->n_draw : l->n_labels, top = 0, top_fill = 0;
    if (l->heatmap)
        top = l->heatmap->index + 1;
    for (size_t i = 0; i < n; i++) {
        top = d[i]->index + 1 > top ? d[i]->index + 1 : top;
        if (l->n_draw && d[i]->type == BM_LAYER_FILL)
            top_fill = d[i]->index + 1 > top_fill ? d[i]->index + 1 : top_fill;
    }
    return top_fill ? top_fill : top;
}

/* QGIS keeps a layer id only if it is longer than 10 characters. */
static void layer_id(char *out, size_t size, const bm_qgis_layer *l)
{
    if (l->geometry_type)
        snprintf(out, size, "bordermap_%s_%s", l->name, l->geometry_type);
    else
        snprintf(out, size, "bordermap_%s", l->name);
}

/* The table's name; "features (lines)" for one kind of a mixed table. */
static void layer_name(char *out, size_t size, const bm_qgis_layer *l)
{
    static const char *const kinds[] = {"points", "lines", "areas"};
    if (l->geometry_type)
        snprintf(out, size, "%s (%s)", l->name, kinds[l->geom]);
    else
        snprintf(out, size, "%s", l->name);
}

/* order[0] is the layer drawn first (the bottom); a stable insertion sort
 * keeps export order among equals. */
static size_t stack_order(const bm_qgis_project *p, size_t *order)
{
    size_t n = p->n_layers < MAX_LAYERS ? p->n_layers : MAX_LAYERS;
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        for (; k > 0 && top_index(&p->layers[order[k - 1]]) > top_index(&p->layers[i]); k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
    return n;
}

static void datasource(char *out, size_t size, const bm_qgis_project *p, const bm_qgis_layer *l)
{
    if (l->geometry_type)
        snprintf(out, size, "%s|layername=%s|geometrytype=%s", p->gpkg, l->name, l->geometry_type);
    else
        snprintf(out, size, "%s|layername=%s", p->gpkg, l->name);
}

/* Opens a <maplayer> up to its symbology. */
static void start_map_layer(bm_xml *x, const char *geometry, const char *id, const char *source,
                            const char *name, const char *provider, int labels,
                            const char *wgs84_wkt)
{
    bm_xml_start(x, "maplayer");
    bm_xml_attr(x, "type", "vector");
    bm_xml_attr(x, "geometry", geometry);
    bm_xml_attr(x, "labelsEnabled", labels ? "1" : "0");
    bm_xml_attr(x, "styleCategories", "AllStyleCategories");
    bm_xml_element(x, "id", id);
    bm_xml_element(x, "datasource", source);
    bm_xml_element(x, "layername", name);
    bm_xml_start(x, "srs");
    spatialrefsys(x, wgs84_wkt);
    bm_xml_end(x);
    bm_xml_start(x, "provider");
    bm_xml_attr(x, "encoding", "UTF-8");
    bm_xml_text(x, provider);
    bm_xml_end(x);
}

static void map_layer(bm_xml *x, const bm_qgis_project *p, const bm_qgis_layer *l,
                      const char *wgs84_wkt)
{
    static const char *const geometry[] = {"Point", "Line", "Polygon"};
    char source[1200];
    datasource(source, sizeof source, p, l);
    char id[600], name[600];
    layer_id(id, sizeof id, l);
    layer_name(name, sizeof name, l);
    start_map_layer(x, geometry[l->geom], id, source, name, "ogr", l->n_labels > 0, wgs84_wkt);
    bm_qgis_style_write_symbology(x, l);
    bm_xml_end(x);
}

/* ---- layers only the layout shows ----------------------------------------- */

#define LEGEND_ID "bordermap_legend"
#define LEGEND_SOURCE "Point?crs=EPSG:4326"
#define LOCATOR_ID "bordermap_" BM_QGIS_LOCATOR

/* The rows of the map's legend as swatches, lengths in points. */
typedef struct legend_rows {
    bm_qgis_swatch *swatch;
    char (*text)[BM_STYLE_TEXT + 32];
    double (*dash)[8];
    size_t n;
} legend_rows;

static bm_qgis_swatch swatch_of(const bm_legend_entry *e, const bm_style *style, double pt,
                                double *dash)
{
    static const bm_color grey = {0.42, 0.42, 0.42, 1};
    if (e->kind == BM_LEGEND_SYMBOL)
        return (bm_qgis_swatch){.geom = BM_QGIS_POINT,
                                .shape = bm_symbol_shape_name(e->symbol.shape),
                                .radius = e->symbol.radius / pt,
                                .stroke_width = e->symbol.stroke_width / pt,
                                .opacity = e->symbol.opacity, .fill = e->symbol.fill,
                                .stroke = e->symbol.stroke};
    if (e->kind == BM_LEGEND_AREA) /* outlined 1 px, as symbols.c draws the swatch */
        return (bm_qgis_swatch){.geom = BM_QGIS_POLYGON, .fill = e->color, .stroke = grey,
                                .width = 1 / pt};
    if (e->kind == BM_LEGEND_RAMP) { /* the densest colour: a swatch holds one */
        const bm_ramp *r = &style->layers[e->layer].heatmap_color;
        return (bm_qgis_swatch){.geom = BM_QGIS_POLYGON, .fill = r->color[r->n - 1],
                                .stroke = grey, .width = 1 / pt};
    }
    for (int k = 0; k < e->n_dash; k++)
        dash[k] = e->dash[k] / pt;
    return (bm_qgis_swatch){.geom = BM_QGIS_LINE, .stroke = e->color, .width = e->width / pt,
                            .dash = dash, .n_dash = (size_t)e->n_dash};
}

static void legend_rows_free(legend_rows *r)
{
    free(r->swatch);
    free(r->text);
    free(r->dash);
}

static int legend_rows_init(legend_rows *r, const bm_map *m, const bm_style *style)
{
    size_t n = bm_map_legend_count(m);
    *r = (legend_rows){calloc(n + 1, sizeof *r->swatch), calloc(n + 1, sizeof *r->text),
                       calloc(n + 1, sizeof *r->dash), n};
    if (!r->swatch || !r->text || !r->dash) {
        legend_rows_free(r);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        r->swatch[i] = swatch_of(bm_map_legend_entry(m, i), style, bm_map_px_per_pt(m),
                                 r->dash[i]);
        bm_map_legend_text(m, i, r->text[i], sizeof r->text[i]);
        r->swatch[i].label = r->text[i];
    }
    return 0;
}

/* A layer without features whose renderer holds the legend's rows: the
 * layout legend lists it alone, so it shows bordermap's rows (the classes
 * drawn, with counts, the size key) in bordermap's order, which the data
 * layers' renderers (a rule per class the style could draw) cannot. */
static void legend_layer(bm_xml *x, const legend_rows *r, const char *wgs84_wkt)
{
    start_map_layer(x, "Point", LEGEND_ID, LEGEND_SOURCE, "legend", "memory", 0, wgs84_wkt);
    bm_qgis_style_write_swatches(x, r->swatch, r->n);
    bm_xml_end(x);
}

/* The inset's countries, filled and outlined as bordermap's locator. */
static void locator_layer(bm_xml *x, const bm_qgis_project *p, const char *wgs84_wkt)
{
    bm_qgis_swatch land = {.geom = BM_QGIS_POLYGON, .label = "", .fill = {0.85, 0.85, 0.84, 1},
                           .stroke = {0.6, 0.6, 0.6, 1}, .width = 0.3};
    char source[1200];
    snprintf(source, sizeof source, "%s|layername=%s", p->gpkg, BM_QGIS_LOCATOR);
    start_map_layer(x, "Polygon", LOCATOR_ID, source, BM_QGIS_LOCATOR, "ogr", 0, wgs84_wkt);
    bm_qgis_style_write_swatches(x, &land, 1);
    bm_xml_end(x);
}

/* The layer tree lists the top layer first. */
static void layer_tree(bm_xml *x, const bm_qgis_project *p, const size_t *order, size_t n)
{
    bm_xml_start(x, "layer-tree-group");
    for (size_t k = n; k-- > 0;) {
        const bm_qgis_layer *l = &p->layers[order[k]];
        char source[1200], id[600], name[600];
        datasource(source, sizeof source, p, l);
        layer_id(id, sizeof id, l);
        layer_name(name, sizeof name, l);
        bm_xml_start(x, "layer-tree-layer");
        bm_xml_attr(x, "id", id);
        bm_xml_attr(x, "name", name);
        bm_xml_attr(x, "source", source);
        bm_xml_attr(x, "providerKey", "ogr");
        bm_xml_attr(x, "checked", "Qt::Checked");
        bm_xml_attr(x, "expanded", "1");
        bm_xml_end(x);
    }
    if (p->style->page.inset) { /* for the inset only: off in the canvas */
        bm_xml_start(x, "layer-tree-layer");
        bm_xml_attr(x, "id", LOCATOR_ID);
        bm_xml_attr(x, "name", BM_QGIS_LOCATOR);
        bm_xml_attrf(x, "source", "%s|layername=%s", p->gpkg, BM_QGIS_LOCATOR);
        bm_xml_attr(x, "providerKey", "ogr");
        bm_xml_attr(x, "checked", "Qt::Unchecked");
        bm_xml_attr(x, "expanded", "0");
        bm_xml_end(x);
    }
    bm_xml_start(x, "custom-order");
    bm_xml_attr(x, "enabled", "0");
    bm_xml_end(x);
    bm_xml_end(x);
}

static void project_layers(bm_xml *x, const bm_qgis_project *p, const size_t *order, size_t n,
                           const legend_rows *rows, const char *wgs84_wkt)
{
    bm_xml_start(x, "projectlayers");
    for (size_t k = 0; k < n; k++)
        map_layer(x, p, &p->layers[order[k]], wgs84_wkt);
    if (p->style->page.legend)
        legend_layer(x, rows, wgs84_wkt);
    if (p->style->page.inset)
        locator_layer(x, p, wgs84_wkt);
    bm_xml_end(x);
}

/* ---- project settings ----------------------------------------------------- */

/* Relative paths keep the project and its GeoPackage movable together;
 * the water colour is the canvas's; distances are measured on WGS84. */
static void properties(bm_xml *x, const bm_page *page)
{
    bm_xml_start(x, "properties");
    bm_xml_start(x, "Paths");
    bm_xml_start(x, "Absolute");
    bm_xml_attr(x, "type", "bool");
    bm_xml_text(x, "false");
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_start(x, "Gui");
    property(x, "CanvasColorRedPart", "int", "%d", channel(page->water.r));
    property(x, "CanvasColorGreenPart", "int", "%d", channel(page->water.g));
    property(x, "CanvasColorBluePart", "int", "%d", channel(page->water.b));
    bm_xml_end(x);
    bm_xml_start(x, "SpatialRefSys"); /* else QGIS ignores projectCrs */
    property(x, "ProjectionsEnabled", "int", "%d", 1);
    bm_xml_end(x);
    bm_xml_start(x, "Measure");
    bm_xml_start(x, "Ellipsoid");
    bm_xml_attr(x, "type", "QString");
    bm_xml_text(x, "EPSG:7030");
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_end(x);
}

static void view(bm_xml *x, const frame *f)
{
    bm_xml_start(x, "mapcanvas");
    bm_xml_attr(x, "name", "theMapCanvas");
    bm_xml_element(x, "units", f->geographic ? "degrees" : "meters");
    bm_xml_start(x, "extent");
    bm_xml_elementf(x, "xmin", "%.10g", f->extent[0]);
    bm_xml_elementf(x, "ymin", "%.10g", f->extent[1]);
    bm_xml_elementf(x, "xmax", "%.10g", f->extent[2]);
    bm_xml_elementf(x, "ymax", "%.10g", f->extent[3]);
    bm_xml_end(x);
    bm_xml_element(x, "rotation", "0");
    bm_xml_start(x, "destinationsrs");
    spatialrefsys(x, f->wkt);
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_start(x, "ProjectViewSettings");
    bm_xml_attr(x, "UseProjectScales", "0");
    bm_xml_start(x, "DefaultViewExtent");
    extent_attrs(x, f->extent);
    spatialrefsys(x, f->wkt);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* ---- print layout --------------------------------------------------------- */

/* QgsLayoutItemRegistry's item types. */
enum { ITEM_PAGE = 65638, ITEM_MAP = 65639, ITEM_PICTURE = 65640, ITEM_LABEL = 65641,
       ITEM_LEGEND = 65642, ITEM_SCALE_BAR = 65646 };

/* QgsLayoutItem::ReferencePoint of each bm_corner: the item's corner that
 * sits at its position. */
static const int corner_reference[] = {0, 2, 6, 8};
enum { REF_MIDDLE = 4, REF_LOWER_MIDDLE = 7 };

/* Qt alignment flags. */
enum { ALIGN_LEFT = 1, ALIGN_RIGHT = 2, ALIGN_HCENTER = 4, ALIGN_TOP = 32, ALIGN_BOTTOM = 64 };

/* QgsLayoutItemMapGrid's annotation settings. */
enum { GRID_SHOW_LATITUDE = 1, GRID_SHOW_LONGITUDE = 2, GRID_HIDE = 3, GRID_OUTSIDE = 1,
       GRID_DECIMAL_WITH_SUFFIX = 3 };

/* bordermap's furniture colours (furniture.c). */
static const bm_color ink = {0.15, 0.15, 0.15, 1}, grey = {0.42, 0.42, 0.42, 1};

typedef struct layout {
    bm_xml *x;
    const bm_page *page;
    const bm_map *m;
    double mm_per_px, mm_per_pt;
    box map;
    int next_uuid;
} layout;

static const char *const map_uuid = "{00000000-0000-4000-8000-000000000001}";

/* The furniture the map's labels keep clear of, as bordermap's labels
 * keep clear of its legend, inset and scale panel. The map item names
 * them before they are written, so their uuids are fixed. */
static const char *const legend_uuid = "{00000000-0000-4000-a000-000000000001}";
static const char *const inset_uuid = "{00000000-0000-4000-a000-000000000002}";
static const char *const scale_panel_uuid = "{00000000-0000-4000-a000-000000000003}";

/* A box of the page in px, in mm. */
static box page_box(const layout *lo, bm_box b)
{
    return (box){b.x0 * lo->mm_per_px, b.y0 * lo->mm_per_px, (b.x1 - b.x0) * lo->mm_per_px,
                 (b.y1 - b.y0) * lo->mm_per_px};
}

/* Starts a <LayoutItem> at (x, y) mm, that point being its corner ref,
 * above the items before it; uuid NULL numbers it. */
static void start_item_uuid(layout *lo, const char *uuid, int type, const char *id, double x,
                            double y, double w, double h, int ref)
{
    bm_xml *xw = lo->x;
    bm_xml_start(xw, "LayoutItem");
    bm_xml_attrf(xw, "type", "%d", type);
    bm_xml_attr(xw, "id", id);
    if (uuid)
        bm_xml_attr(xw, "uuid", uuid);
    else
        bm_xml_attrf(xw, "uuid", "{00000000-0000-4000-8000-%012d}", lo->next_uuid);
    bm_xml_attrf(xw, "zValue", "%d", lo->next_uuid++);
    bm_xml_attrf(xw, "referencePoint", "%d", ref);
    bm_xml_attrf(xw, "position", "%.3f,%.3f,mm", x, y);
    bm_xml_attrf(xw, "positionOnPage", "%.3f,%.3f,mm", x, y);
    bm_xml_attrf(xw, "size", "%.3f,%.3f,mm", w, h);
    bm_xml_attr(xw, "visibility", "1");
    bm_xml_attr(xw, "positionLock", "false");
    bm_xml_attr(xw, "opacity", "1");
    bm_xml_attr(xw, "blendMode", "0");
    bm_xml_attr(xw, "itemRotation", "0");
    bm_xml_attr(xw, "excludeFromExports", "0");
}

static void start_item(layout *lo, int type, const char *id, double x, double y, double w,
                       double h, int ref)
{
    start_item_uuid(lo, NULL, type, id, x, y, w, h, ref);
}

/* The frame and background of a panel as bordermap draws it: white at
 * 88 %, a 0.5 pt grey outline. */
static void panel_attrs(layout *lo)
{
    static const bm_color white = {1, 1, 1, 0.88};
    bm_xml_attr(lo->x, "frame", "true");
    bm_xml_attr(lo->x, "background", "true");
    bm_xml_attrf(lo->x, "outlineWidthM", "%.4f,mm", 0.5 * lo->mm_per_pt);
    color_element(lo->x, "FrameColor", grey);
    color_element(lo->x, "BackgroundColor", white);
}

/* QFont::toString(): family, points, pixels, hint, weight, italic, ... */
static void font(bm_xml *x, const char *name, const char *family, double pt, int bold)
{
    bm_xml_start(x, name);
    bm_xml_attrf(x, "description", "%s,%.4g,-1,5,%d,0,0,0,0,0", family, pt, bold ? 75 : 50);
    bm_xml_attr(x, "style", "");
    bm_xml_end(x);
}

/* A QgsTextFormat of the page's font. */
static void text_style(bm_xml *x, const char *family, double pt, int bold, bm_color c)
{
    bm_xml_start(x, "text-style");
    bm_xml_attr(x, "fontFamily", family);
    bm_xml_attrf(x, "fontSize", "%.4g", pt);
    bm_xml_attr(x, "fontSizeUnit", "Point");
    bm_xml_attrf(x, "fontWeight", "%d", bold ? 75 : 50);
    bm_xml_attrf(x, "textColor", "%d,%d,%d,255", channel(c.r), channel(c.g), channel(c.b));
    bm_xml_attr(x, "textOpacity", "1");
    bm_xml_end(x);
}

static void label_item(layout *lo, const char *id, const char *text, box b, int ref, int align,
                       double pt, int bold, bm_color c)
{
    bm_xml *x = lo->x;
    start_item(lo, ITEM_LABEL, id, b.x, b.y, b.w, b.h, ref);
    bm_xml_attr(x, "labelText", text);
    bm_xml_attr(x, "htmlState", "0");
    bm_xml_attrf(x, "halign", "%d", align & (ALIGN_LEFT | ALIGN_RIGHT | ALIGN_HCENTER));
    bm_xml_attrf(x, "valign", "%d", align & (ALIGN_TOP | ALIGN_BOTTOM));
    bm_xml_attr(x, "marginX", "0");
    bm_xml_attr(x, "marginY", "0");
    bm_xml_attr(x, "frame", "false");
    bm_xml_attr(x, "background", "false");
    font(x, "LabelFont", lo->page->font, pt, bold);
    color_element(x, "FontColor", c);
    bm_xml_end(x);
}

static void page_item(layout *lo, double w, double h)
{
    bm_xml_start(lo->x, "PageCollection");
    start_item(lo, ITEM_PAGE, "", 0, 0, w, h, 0);
    bm_xml_end(lo->x);
    bm_xml_end(lo->x);
}

/* A one-layer symbol of a layout item (grid lines, the overview frame). */
static void item_symbol(bm_xml *x, const char *type, const char *cls, const char *const *props,
                        size_t n)
{
    bm_xml_start(x, "symbol");
    bm_xml_attr(x, "type", type);
    bm_xml_attr(x, "name", "");
    bm_xml_attr(x, "alpha", "1");
    bm_xml_attr(x, "clip_to_extent", "1");
    bm_xml_attr(x, "force_rhr", "0");
    bm_xml_start(x, "layer");
    bm_xml_attr(x, "class", cls);
    bm_xml_attr(x, "pass", "0");
    bm_xml_attr(x, "enabled", "1");
    bm_xml_attr(x, "locked", "0");
    for (size_t i = 0; i + 1 < n; i += 2) {
        bm_xml_start(x, "prop");
        bm_xml_attr(x, "k", props[i]);
        bm_xml_attr(x, "v", props[i + 1]);
        bm_xml_end(x);
    }
    bm_xml_end(x);
    bm_xml_end(x);
}

static void rgba(char *out, size_t size, bm_color c)
{
    snprintf(out, size, "%d,%d,%d,%d", channel(c.r), channel(c.g), channel(c.b), channel(c.a));
}

/* The layers a map item draws, top first, whatever the layer tree shows. */
static void layer_set(bm_xml *x, const char *const *ids, size_t n)
{
    bm_xml_start(x, "LayerSet");
    for (size_t i = 0; i < n; i++)
        bm_xml_element(x, "Layer", ids[i]);
    bm_xml_end(x);
}

static void map_attrs(layout *lo, bm_color outline, double outline_pt)
{
    bm_xml *x = lo->x;
    bm_xml_attr(x, "frame", "true");
    bm_xml_attr(x, "background", "true");
    bm_xml_attrf(x, "outlineWidthM", "%.4f,mm", outline_pt * lo->mm_per_pt);
    bm_xml_attr(x, "keepLayerSet", "true");
    bm_xml_attr(x, "mapRotation", "0");
    bm_xml_attr(x, "drawCanvasItems", "true");
    color_element(x, "BackgroundColor", lo->page->water);
    color_element(x, "FrameColor", outline);
}

/* Degree lines every graticule step in WGS84, drawn through the map's
 * projection as bordermap draws them, labelled "50°N" and "60°E" outside
 * the frame: parallels left and right, meridians below. */
static void graticule(layout *lo, const char *wgs84_wkt)
{
    static const bm_color line = {0.35, 0.45, 0.55, 0.45};
    bm_xml *x = lo->x;
    char color[32], width[32];
    rgba(color, sizeof color, line);
    snprintf(width, sizeof width, "%.4g", 0.4);
    const char *const props[] = {"line_color", color, "line_width", width,
                                 "line_width_unit", "Point", "line_style", "solid"};
    bm_xml_start(x, "ComposerMapGrid");
    bm_xml_attr(x, "name", "graticule");
    bm_xml_attr(x, "uuid", "{00000000-0000-4000-9000-000000000001}");
    bm_xml_attr(x, "show", "1");
    bm_xml_attr(x, "position", "3");
    bm_xml_attr(x, "gridStyle", "0");
    bm_xml_attr(x, "unit", "0");
    bm_xml_attrf(x, "intervalX", "%.10g", lo->page->graticule_step);
    bm_xml_attrf(x, "intervalY", "%.10g", lo->page->graticule_step);
    bm_xml_attr(x, "offsetX", "0");
    bm_xml_attr(x, "offsetY", "0");
    bm_xml_attr(x, "gridFrameStyle", "0");
    bm_xml_attr(x, "blendMode", "0");
    bm_xml_attr(x, "showAnnotation", "1");
    bm_xml_attrf(x, "annotationFormat", "%d", GRID_DECIMAL_WITH_SUFFIX);
    bm_xml_attr(x, "annotationPrecision", "0");
    bm_xml_attrf(x, "frameAnnotationDistance", "%.4f", 2.5 * lo->mm_per_pt);
    static const char *const sides[] = {"left", "right", "top", "bottom"};
    static const int shows[] = {GRID_SHOW_LATITUDE, GRID_SHOW_LATITUDE, GRID_HIDE,
                                GRID_SHOW_LONGITUDE};
    for (size_t i = 0; i < 4; i++) {
        char name[40];
        snprintf(name, sizeof name, "%sAnnotationDisplay", sides[i]);
        bm_xml_attrf(x, name, "%d", shows[i]);
        snprintf(name, sizeof name, "%sAnnotationPosition", sides[i]);
        bm_xml_attrf(x, name, "%d", GRID_OUTSIDE);
        snprintf(name, sizeof name, "%sAnnotationDirection", sides[i]);
        bm_xml_attr(x, name, "0");
    }
    bm_xml_start(x, "lineStyle");
    item_symbol(x, "line", "SimpleLine", props, sizeof props / sizeof *props);
    bm_xml_end(x);
    spatialrefsys(x, wgs84_wkt);
    text_style(x, lo->page->font, 6.5, 0, grey);
    bm_xml_end(x);
}

static void blocking_item(bm_xml *x, const char *uuid)
{
    bm_xml_start(x, "item");
    bm_xml_attr(x, "uuid", uuid);
    bm_xml_end(x);
}

static void label_blocking_items(const layout *lo)
{
    const bm_page *page = lo->page;
    bm_xml_start(lo->x, "labelBlockingItems");
    if (page->legend && bm_map_legend_count(lo->m))
        blocking_item(lo->x, legend_uuid);
    if (page->inset)
        blocking_item(lo->x, inset_uuid);
    if (page->scale_bar)
        blocking_item(lo->x, scale_panel_uuid);
    bm_xml_end(lo->x);
}

static void map_item(layout *lo, const frame *f, const char *const *layers, size_t n,
                     const char *wgs84_wkt)
{
    bm_xml *x = lo->x;
    start_item(lo, ITEM_MAP, "map", lo->map.x, lo->map.y, lo->map.w, lo->map.h, 0);
    map_attrs(lo, lo->page->frame, 0.8);
    bm_xml_start(x, "Extent");
    extent_attrs(x, f->extent);
    bm_xml_end(x);
    bm_xml_start(x, "crs");
    spatialrefsys(x, f->wkt);
    bm_xml_end(x);
    layer_set(x, layers, n);
    if (lo->page->graticule)
        graticule(lo, wgs84_wkt);
    label_blocking_items(lo);
    bm_xml_end(x);
}

/* ---- the inset ---- */

/* bordermap's locator: a Lambert azimuthal equal-area map 9000 km wide
 * centred on the map's centre (furniture.c). */
#define INSET_SPAN_M 9.0e6

static void inset_crs(const layout *lo, char **wkt)
{
    double km, px, x, y, lon, lat;
    bm_map_scale_bar(lo->m, &km, &px, &x, &y);
    bm_map_unproject(lo->m, x + px / 2, y, &lon, &lat);
    char def[256];
    snprintf(def, sizeof def,
             "+proj=laea +lat_0=%.2f +lon_0=%.2f +datum=WGS84 +units=m +no_defs +type=crs", lat,
             lon);
    const char *const options[] = {"FORMAT=WKT2_2018", NULL};
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    if (OSRSetFromUserInput(s, def) != OGRERR_NONE || OSRExportToWktEx(s, wkt, options) != OGRERR_NONE)
        *wkt = NULL;
    OSRRelease(s);
}

/* The main map's frame in the inset's colour, as bordermap's footprint. */
static void overview(layout *lo)
{
    bm_xml *x = lo->x;
    char color[32], width[32];
    rgba(color, sizeof color, lo->page->inset_color);
    snprintf(width, sizeof width, "%.4g", 1.2);
    const char *const props[] = {"style", "no", "outline_style", "solid", "outline_color", color,
                                 "outline_width", width, "outline_width_unit", "Point",
                                 "joinstyle", "round"};
    bm_xml_start(x, "ComposerMapOverview");
    bm_xml_attr(x, "name", "main map");
    bm_xml_attr(x, "uuid", "{00000000-0000-4000-9000-000000000002}");
    bm_xml_attr(x, "show", "1");
    bm_xml_attr(x, "frameMap", map_uuid);
    bm_xml_attr(x, "position", "3");
    bm_xml_attr(x, "inverted", "0");
    bm_xml_attr(x, "centered", "0");
    bm_xml_attr(x, "blendMode", "0");
    item_symbol(x, "fill", "SimpleFill", props, sizeof props / sizeof *props);
    bm_xml_end(x);
}

static void inset_item(layout *lo)
{
    char *wkt = NULL;
    inset_crs(lo, &wkt);
    if (!wkt) {
        lo->x->failed = 1;
        return;
    }
    bm_xml *x = lo->x;
    box b = page_box(lo, bm_map_furniture_box(lo->m, BM_FURNITURE_INSET));
    double half_w = INSET_SPAN_M / 2, half_h = half_w * b.h / b.w;
    const char *const locator[] = {LOCATOR_ID};
    start_item_uuid(lo, inset_uuid, ITEM_MAP, "inset", b.x, b.y, b.w, b.h, 0);
    map_attrs(lo, grey, 0.6);
    bm_xml_start(x, "Extent");
    extent_attrs(x, (const double[]){-half_w, -half_h, half_w, half_h});
    bm_xml_end(x);
    bm_xml_start(x, "crs");
    spatialrefsys(x, wkt);
    bm_xml_end(x);
    layer_set(x, locator, 1);
    overview(lo);
    bm_xml_end(x);
    CPLFree(wkt);
}

/* ---- legend, scale and north arrow ---- */

/* bordermap's legend sizes: a bold 8 pt title 18 pt above the first row,
 * 7 pt rows. */
/* bordermap's rows are 12.5 pt, or the symbol's height and 3 pt (a size
 * key): QGIS's row is its symbol height, or the symbol's, below a margin. */
#define LEGEND_ROW_GAP_PT 3.0
#define LEGEND_SYMBOL_PT 9.5

static void legend_styles(layout *lo)
{
    static const struct {
        const char *name;
        double pt, above, below;
        int bold;
    } styles[] = {{"title", 8, 0, 9, 1},
                  {"symbol", 7, LEGEND_ROW_GAP_PT, 0, 0},
                  {"symbolLabel", 7, LEGEND_ROW_GAP_PT, 0, 0}};
    bm_xml_start(lo->x, "styles");
    for (size_t i = 0; i < sizeof styles / sizeof *styles; i++) {
        bm_xml_start(lo->x, "style");
        bm_xml_attr(lo->x, "name", styles[i].name);
        bm_xml_attrf(lo->x, "marginTop", "%.3f", styles[i].above * lo->mm_per_pt);
        bm_xml_attrf(lo->x, "marginBottom", "%.3f", styles[i].below * lo->mm_per_pt);
        font(lo->x, "styleFont", lo->page->font, styles[i].pt, styles[i].bold);
        bm_xml_end(lo->x);
    }
    bm_xml_end(lo->x);
}

/* <Option type="Map"> holding one string, as QGIS writes custom properties. */
static void option_map_string(bm_xml *x, const char *name, const char *value)
{
    bm_xml_start(x, "Option");
    bm_xml_attr(x, "type", "Map");
    bm_xml_start(x, "Option");
    bm_xml_attr(x, "type", "QString");
    bm_xml_attr(x, "name", name);
    bm_xml_attr(x, "value", value);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* The legend's own layer tree: the legend layer alone, its name hidden, so
 * the rows are bordermap's (legend_layer). */
static void legend_tree(bm_xml *x)
{
    bm_xml_start(x, "layer-tree-group");
    bm_xml_start(x, "layer-tree-layer");
    bm_xml_attr(x, "id", LEGEND_ID);
    bm_xml_attr(x, "name", "legend");
    bm_xml_attr(x, "source", LEGEND_SOURCE);
    bm_xml_attr(x, "providerKey", "memory");
    bm_xml_attr(x, "checked", "Qt::Checked");
    bm_xml_attr(x, "expanded", "1");
    bm_xml_start(x, "customproperties");
    option_map_string(x, "legend/title-style", "hidden");
    bm_xml_end(x);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* Where bordermap's legend is, growing from the same corner. */
static void legend_item(layout *lo)
{
    bm_xml *xw = lo->x;
    box b = page_box(lo, bm_map_furniture_box(lo->m, BM_FURNITURE_LEGEND));
    bm_corner c = bm_map_furniture_corner(lo->m, BM_FURNITURE_LEGEND);
    int right = c == BM_CORNER_TOP_RIGHT || c == BM_CORNER_BOTTOM_RIGHT;
    int bottom = c == BM_CORNER_BOTTOM_LEFT || c == BM_CORNER_BOTTOM_RIGHT;
    start_item_uuid(lo, legend_uuid, ITEM_LEGEND, "legend", right ? b.x + b.w : b.x,
                    bottom ? b.y + b.h : b.y, b.w, b.h, corner_reference[c]);
    bm_xml_attr(xw, "map_uuid", map_uuid);
    bm_xml_attr(xw, "title", "Legend");
    bm_xml_attr(xw, "titleAlignment", "1");
    bm_xml_attr(xw, "resizeToContents", "1");
    bm_xml_attr(xw, "columnCount", "1");
    bm_xml_attrf(xw, "symbolWidth", "%.3f", 16 * lo->mm_per_pt);
    bm_xml_attrf(xw, "symbolHeight", "%.3f", LEGEND_SYMBOL_PT * lo->mm_per_pt);
    bm_xml_attrf(xw, "boxSpace", "%.3f", 7 * lo->mm_per_pt);
    panel_attrs(lo);
    legend_styles(lo);
    legend_tree(xw);
    bm_xml_end(xw);
}

/* The panel bordermap draws around its scale bar, north arrow and the
 * note on where the scale holds; the note's label is the panel. */
static void scale_panel(layout *lo, box b)
{
    double km, px, bar_x, bar_y, lon, lat;
    bm_map_scale_bar(lo->m, &km, &px, &bar_x, &bar_y);
    bm_map_unproject(lo->m, bar_x + px / 2, bar_y, &lon, &lat);
    char note[128];
    snprintf(note, sizeof note, "Scale true at the map centre (%.0f°%s); it varies across the map",
             fabs(lat), lat >= 0 ? "N" : "S");
    bm_xml *x = lo->x;
    start_item_uuid(lo, scale_panel_uuid, ITEM_LABEL, "scale panel", b.x, b.y, b.w, b.h, 0);
    bm_xml_attr(x, "labelText", note);
    bm_xml_attr(x, "htmlState", "0");
    bm_xml_attrf(x, "halign", "%d", ALIGN_LEFT);
    bm_xml_attrf(x, "valign", "%d", ALIGN_BOTTOM);
    /* QGIS's margin is the same at both ends: bordermap's note ends about
     * 8 pt above the panel's bottom. */
    bm_xml_attrf(x, "marginX", "%.4f", 10 * lo->mm_per_pt);
    bm_xml_attrf(x, "marginY", "%.4f", 8 * lo->mm_per_pt);
    panel_attrs(lo);
    font(x, "LabelFont", lo->page->font, 5.5, 0);
    color_element(x, "FontColor", grey);
    bm_xml_end(x);
}

/* A bar of bordermap's length, true at the map's centre, split as
 * bordermap splits it (2, 4 or 5 parts for a 1, 2 or 5 lead digit). */
static void scale_bar_item(layout *lo, box b)
{
    double km, px, x, y;
    bm_map_scale_bar(lo->m, &km, &px, &x, &y);
    double lead = km / pow(10, floor(log10(km)));
    int parts = lead < 1.5 ? 2 : lead < 3 ? 4 : 5;
    bm_xml *xw = lo->x;
    double pt = lo->mm_per_pt;
    start_item(lo, ITEM_SCALE_BAR, "scale bar", b.x + 10 * pt, b.y + 16 * pt, px * lo->mm_per_px,
               12 * pt, 6);
    bm_xml_attr(xw, "mapUuid", map_uuid);
    bm_xml_attr(xw, "style", "Single Box");
    bm_xml_attr(xw, "unitType", "km");
    bm_xml_attr(xw, "unitLabel", "km");
    bm_xml_attrf(xw, "numSegments", "%d", parts);
    bm_xml_attr(xw, "numSegmentsLeft", "0");
    bm_xml_attr(xw, "numSubdivisions", "1");
    bm_xml_attr(xw, "segmentSizeMode", "0");
    bm_xml_attrf(xw, "numUnitsPerSegment", "%.10g", km / parts);
    bm_xml_attr(xw, "numMapUnitsPerScaleBarUnit", "1");
    bm_xml_attrf(xw, "height", "%.4f", 3 * pt);
    bm_xml_attrf(xw, "labelBarSpace", "%.4f", 1 * pt);
    bm_xml_attr(xw, "boxContentSpace", "0");
    bm_xml_attrf(xw, "outlineWidth", "%.4f", 0.5 * pt);
    bm_xml_attr(xw, "alignment", "0");
    bm_xml_attr(xw, "frame", "false");
    bm_xml_attr(xw, "background", "false");
    text_style(xw, lo->page->font, 6.5, 0, ink);
    color_element(xw, "fillColor", ink);
    color_element(xw, "fillColor2", (bm_color){1, 1, 1, 1});
    bm_xml_end(xw);
}

/* QGIS's north arrow turned to true north where it stands, as bordermap
 * turns its arrow along the meridian through it; "N" above. In the scale
 * panel, else near the frame's bottom-left corner. */
static void north_arrow(layout *lo, const bm_box *scale)
{
    bm_box f = bm_map_frame(lo->m);
    double ppt = bm_map_px_per_pt(lo->m), pt = lo->mm_per_pt;
    double x = scale ? scale->x1 - 10 * ppt : f.x0 + 20 * ppt;
    double y = scale ? scale->y0 + 14 * ppt : f.y1 - 30 * ppt;
    x *= lo->mm_per_px, y *= lo->mm_per_px;
    bm_xml *xw = lo->x;
    start_item(lo, ITEM_PICTURE, "north arrow", x, y - 2 * pt, 7 * pt, 11 * pt, REF_MIDDLE);
    bm_xml_attr(xw, "file", ":/images/north_arrows/layout_default_north_arrow.svg");
    bm_xml_attr(xw, "mode", "0");
    bm_xml_attr(xw, "resizeMode", "0");
    bm_xml_attr(xw, "anchorPoint", "4");
    bm_xml_attr(xw, "mapUuid", map_uuid);
    bm_xml_attr(xw, "northMode", "1");
    bm_xml_attr(xw, "northOffset", "0");
    char c[32];
    rgba(c, sizeof c, ink);
    bm_xml_attr(xw, "svgFillColor", c);
    bm_xml_attr(xw, "svgBorderColor", c);
    bm_xml_attr(xw, "svgBorderWidth", "0");
    bm_xml_attr(xw, "frame", "false");
    bm_xml_attr(xw, "background", "false");
    bm_xml_end(xw);
    label_item(lo, "north", "N", (box){x, y - 7.5 * pt, 10 * pt, 9 * pt}, REF_LOWER_MIDDLE,
               ALIGN_HCENTER | ALIGN_BOTTOM, 6.5, 1, ink);
}

/* Title and subtitle in the top margin, credits with the projection and
 * the note in the bottom one, where bordermap puts them. */
static void titles(layout *lo, const bm_qgis_project *p, double page_h)
{
    const bm_page *page = lo->page;
    box b = {lo->map.x, 7 * MM_PER_PT, lo->map.w, 15 * 1.4 * MM_PER_PT};
    if (page->title[0])
        label_item(lo, "title", page->title, b, 0, ALIGN_LEFT | ALIGN_TOP, 15, 1, ink);
    b.y += b.h, b.h = 8.5 * 1.4 * MM_PER_PT;
    if (page->title[0] && page->subtitle[0])
        label_item(lo, "subtitle", page->subtitle, b, 0, ALIGN_LEFT | ALIGN_TOP, 8.5, 0, grey);
    if (!page->credits)
        return;
    char text[2400];
    snprintf(text, sizeof text, "%s · Projection: %s%s%s", p->credits,
             bm_map_projection_name(lo->m), page->note[0] ? "\n" : "", page->note);
    b = (box){lo->map.x, page_h - 4 * MM_PER_PT, lo->map.w, 20};
    label_item(lo, "credits", text, b, 6, ALIGN_LEFT | ALIGN_BOTTOM, 5.8, 0, grey);
}

static void print_layout(bm_xml *x, const bm_qgis_project *p, const frame *f,
                         const char *const *layers, size_t n, const char *wgs84_wkt)
{
    const bm_page *page = &p->style->page;
    /* Rounded up: QGIS truncates the page's pixel size. */
    double w = ceil(page->width / page->dpi * 25.4e3) / 1e3;
    double h = ceil(page->height / page->dpi * 25.4e3) / 1e3;
    layout lo = {x, page, p->map, 25.4 / page->dpi, MM_PER_PT, map_frame(page), 0};
    const char *slash = strrchr(p->style->path, '/'), *file = slash ? slash + 1 : p->style->path;
    const char *dot = strrchr(file, '.');
    bm_xml_start(x, "Layouts");
    bm_xml_start(x, "Layout");
    bm_xml_attrf(x, "name", "%.*s", dot ? (int)(dot - file) : (int)strlen(file), file);
    bm_xml_attr(x, "units", "mm");
    bm_xml_attrf(x, "printResolution", "%.0f", page->dpi);
    page_item(&lo, w, h); /* uuid and z 0: under everything */
    map_item(&lo, f, layers, n, wgs84_wkt);
    titles(&lo, p, h);
    if (page->inset)
        inset_item(&lo);
    bm_box scale = bm_map_furniture_box(p->map, BM_FURNITURE_SCALE);
    if (page->scale_bar) {
        scale_panel(&lo, page_box(&lo, scale));
        scale_bar_item(&lo, page_box(&lo, scale));
    }
    if (page->north_arrow)
        north_arrow(&lo, page->scale_bar ? &scale : NULL);
    if (page->legend && bm_map_legend_count(p->map))
        legend_item(&lo);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* ---- the document --------------------------------------------------------- */

static void project(bm_xml *x, const bm_qgis_project *p, const frame *f, const legend_rows *rows,
                    const char *wgs84_wkt)
{
    size_t order[MAX_LAYERS];
    size_t n = stack_order(p, order);
    char ids[MAX_LAYERS][600];
    const char *top_first[MAX_LAYERS];
    for (size_t k = 0; k < n; k++) {
        layer_id(ids[k], sizeof ids[k], &p->layers[order[n - 1 - k]]);
        top_first[k] = ids[k];
    }
    bm_xml_start(x, "qgis");
    bm_xml_attr(x, "version", "3.22.16-Białowieża");
    bm_xml_attr(x, "projectname", p->style->page.title);
    bm_xml_element(x, "title", p->style->page.title);
    bm_xml_start(x, "projectCrs");
    spatialrefsys(x, f->wkt);
    bm_xml_end(x);
    layer_tree(x, p, order, n);
    project_layers(x, p, order, n, rows, wgs84_wkt);
    properties(x, &p->style->page);
    view(x, f);
    print_layout(x, p, f, top_first, n, wgs84_wkt);
    bm_xml_end(x);
}

static char *project_xml(const bm_qgis_project *p, const frame *f, const char *wgs84_wkt)
{
    bm_xml x;
    legend_rows rows;
    if (legend_rows_init(&rows, p->map, p->style))
        return NULL;
    if (bm_xml_open(&x)) {
        legend_rows_free(&rows);
        return NULL;
    }
    bm_xml_check(&x, xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL));
    bm_xml_check(&x, xmlTextWriterWriteDTD(x.w, BAD_CAST "qgis", BAD_CAST "http://mrcc.com/qgis.dtd",
                                           BAD_CAST "SYSTEM", NULL));
    project(&x, p, f, &rows, wgs84_wkt);
    legend_rows_free(&rows);
    return bm_xml_close(&x);
}

/* ---- the zip -------------------------------------------------------------- */

/* A zip of one entry in memory, copied out to a malloc'd buffer. */
static unsigned char *zip_one(const char *entry, const char *text, size_t *size)
{
    char path[64];
    snprintf(path, sizeof path, "/vsimem/bordermap-%p.qgz", (const void *)text);
    void *zip = CPLCreateZip(path, NULL);
    int ok = zip && CPLCreateFileInZip(zip, entry, NULL) == CE_None;
    ok = ok && CPLWriteFileInZip(zip, text, (int)strlen(text)) == CE_None;
    ok = ok && CPLCloseFileInZip(zip) == CE_None;
    ok = zip && CPLCloseZip(zip) == CE_None && ok;
    vsi_l_offset len = 0;
    GByte *bytes = VSIGetMemFileBuffer(path, &len, TRUE);
    unsigned char *copy = ok && bytes ? malloc(len) : NULL;
    if (copy)
        memcpy(copy, bytes, len);
    *size = (size_t)len;
    CPLFree(bytes);
    return copy;
}

static const char *wgs84_wkt(char **wkt)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    const char *const options[] = {"FORMAT=WKT2_2018", NULL};
    if (OSRImportFromEPSG(s, 4326) != OGRERR_NONE ||
        OSRExportToWktEx(s, wkt, options) != OGRERR_NONE)
        *wkt = NULL;
    OSRRelease(s);
    return *wkt;
}

unsigned char *bm_qgis_project_qgz(const bm_qgis_project *p, size_t *size, bm_error *err)
{
    frame f;
    char *layer_wkt = NULL, entry[600];
    if (frame_init(&f, &p->style->page, err) != BM_OK) {
        frame_free(&f);
        return NULL;
    }
    char *doc = wgs84_wkt(&layer_wkt) ? project_xml(p, &f, layer_wkt) : NULL;
    snprintf(entry, sizeof entry, "%s.qgs", p->name);
    unsigned char *qgz = doc ? zip_one(entry, doc, size) : NULL;
    if (!qgz)
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "cannot write the QGIS project %s: %s",
                     entry, doc ? CPLGetLastErrorMsg() : "out of memory");
    free(doc);
    CPLFree(layer_wkt);
    frame_free(&f);
    return qgz;
}

/* ---- qgis_projects -------------------------------------------------------- */

/* 'text' with quotes doubled, as SQL wants a literal; NULL when out of memory. */
static char *sql_literal(const char *text)
{
    size_t n = 3;
    for (const char *s = text; *s; s++)
        n += *s == '\'' ? 2 : 1;
    char *out = malloc(n), *o = out;
    if (!out)
        return NULL;
    *o++ = '\'';
    for (const char *s = text; *s; s++) {
        if (*s == '\'')
            *o++ = '\'';
        *o++ = *s;
    }
    *o++ = '\'';
    *o = '\0';
    return out;
}

static char *hex(const unsigned char *bytes, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    char *out = malloc(2 * size + 1);
    for (size_t i = 0; out && i < size; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    if (out)
        out[2 * size] = '\0';
    return out;
}

static char *metadata(void)
{
    json_t *m = json_pack("{s:s, s:s}", "last_modified_time", FIXED_TIME,
                          "last_modified_user", "bordermap");
    char *text = m ? json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(m);
    return text;
}

static int execute(GDALDatasetH ds, const char *sql)
{
    CPLErrorReset();
    OGRLayerH result = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (result)
        GDALDatasetReleaseResultSet(ds, result);
    return CPLGetLastErrorType() < CE_Failure;
}

bm_status bm_qgis_project_store(GDALDatasetH ds, const char *name, const unsigned char *qgz,
                                size_t size, bm_error *err)
{
    char *content = hex(qgz, size), *meta = metadata();
    char *lit_name = sql_literal(name), *lit_meta = meta ? sql_literal(meta) : NULL;
    size_t n = content && lit_name && lit_meta
                   ? strlen(content) + strlen(lit_name) + strlen(lit_meta) + 64
                   : 0;
    char *insert = n ? malloc(n) : NULL;
    if (insert)
        snprintf(insert, n, "INSERT OR REPLACE INTO qgis_projects VALUES (%s, %s, '%s')",
                 lit_name, lit_meta, content);
    int oom = !insert;
    int ok = !oom &&
             execute(ds, "CREATE TABLE IF NOT EXISTS qgis_projects("
                         "name TEXT PRIMARY KEY, metadata BLOB, content BLOB)") &&
             execute(ds, insert);
    free(insert);
    free(lit_meta);
    free(lit_name);
    free(meta);
    free(content);
    if (!ok)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, "qgis_projects",
                            "cannot store the QGIS project %s: %s", name,
                            oom ? "out of memory" : CPLGetLastErrorMsg());
    return BM_OK;
}
