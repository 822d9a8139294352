/*
 * qgis_project.c — writing a QGIS 3.22 project and its print layout.
 *
 * The XML is the subset QGIS writes itself; whatever is left out takes
 * QGIS's defaults. Layout items are placed in millimetres on a page of
 * the style's size; their uuids are fixed strings so that the output is
 * reproducible.
 */
#include "qgis_project.h"

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

#define MM_PER_PT (25.4 / 72.0)
#define MAX_LAYERS 64

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

/* The style's extent through the CRS, sampled along its edges. */
static bm_status frame_init(frame *f, const bm_page *page, bm_error *err)
{
    char fitted[512];
    const char *def = page->crs[0] ? page->crs
                                   : bm_projection_fitted_conic(page->extent, fitted,
                                                                sizeof fitted);
    const char *const wkt_options[] = {"FORMAT=WKT2_2018", NULL};
    *f = (frame){.crs = OSRNewSpatialReference(NULL)};
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
    OSRSetWellKnownGeogCS(wgs84, "WGS84");
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(f->crs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = NULL;
    int ok = OSRSetFromUserInput(f->crs, def) == OGRERR_NONE &&
             OSRExportToWktEx(f->crs, &f->wkt, wkt_options) == OGRERR_NONE &&
             (ct = OCTNewCoordinateTransformation(wgs84, f->crs)) != NULL &&
             OCTTransformBounds(ct, page->extent[0], page->extent[1], page->extent[2],
                                page->extent[3], &f->extent[0], &f->extent[1], &f->extent[2],
                                &f->extent[3], 21);
    f->geographic = OSRIsGeographic(f->crs);
    OCTDestroyCoordinateTransformation(ct);
    OSRRelease(wgs84);
    if (!ok)
        return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "page.crs",
                            "QGIS project: cannot use the CRS '%s': %s", def, CPLGetLastErrorMsg());
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
 * it (labels, which QGIS puts above every layer, only where nothing draws
 * it). */
static size_t top_index(const bm_qgis_layer *l)
{
    const bm_layer *const *d = l->n_draw ? l->draw : l->labels;
    size_t n = l->n_draw ? l->n_draw : l->n_labels, top = 0, top_fill = 0;
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
    snprintf(out, size, "bordermap_%s", l->name);
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
    snprintf(out, size, "%s|layername=%s", p->gpkg, l->name);
}

static void map_layer(bm_xml *x, const bm_qgis_project *p, const bm_qgis_layer *l,
                      const char *wgs84_wkt)
{
    static const char *const geometry[] = {"Point", "Line", "Polygon"};
    char source[1200];
    datasource(source, sizeof source, p, l);
    char id[600];
    layer_id(id, sizeof id, l);
    bm_xml_start(x, "maplayer");
    bm_xml_attr(x, "type", "vector");
    bm_xml_attr(x, "geometry", geometry[l->geom]);
    bm_xml_attr(x, "labelsEnabled", l->n_labels ? "1" : "0");
    bm_xml_attr(x, "styleCategories", "AllStyleCategories");
    bm_xml_element(x, "id", id);
    bm_xml_element(x, "datasource", source);
    bm_xml_element(x, "layername", l->name);
    bm_xml_start(x, "srs");
    spatialrefsys(x, wgs84_wkt);
    bm_xml_end(x);
    bm_xml_start(x, "provider");
    bm_xml_attr(x, "encoding", "UTF-8");
    bm_xml_text(x, "ogr");
    bm_xml_end(x);
    bm_qgis_style_write_symbology(x, l);
    bm_xml_end(x);
}

/* The layer tree lists the top layer first. */
static void layer_tree(bm_xml *x, const bm_qgis_project *p, const size_t *order, size_t n)
{
    bm_xml_start(x, "layer-tree-group");
    for (size_t k = n; k-- > 0;) {
        const bm_qgis_layer *l = &p->layers[order[k]];
        char source[1200], id[600];
        datasource(source, sizeof source, p, l);
        layer_id(id, sizeof id, l);
        bm_xml_start(x, "layer-tree-layer");
        bm_xml_attr(x, "id", id);
        bm_xml_attr(x, "name", l->name);
        bm_xml_attr(x, "source", source);
        bm_xml_attr(x, "providerKey", "ogr");
        bm_xml_attr(x, "checked", "Qt::Checked");
        bm_xml_attr(x, "expanded", "1");
        bm_xml_end(x);
    }
    bm_xml_start(x, "custom-order");
    bm_xml_attr(x, "enabled", "0");
    bm_xml_end(x);
    bm_xml_end(x);
}

static void project_layers(bm_xml *x, const bm_qgis_project *p, const size_t *order, size_t n,
                           const char *wgs84_wkt)
{
    bm_xml_start(x, "projectlayers");
    for (size_t k = 0; k < n; k++)
        map_layer(x, p, &p->layers[order[k]], wgs84_wkt);
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
enum { ITEM_PAGE = 65638, ITEM_MAP = 65639, ITEM_LABEL = 65641, ITEM_LEGEND = 65642,
       ITEM_SCALE_BAR = 65646 };

/* QgsLayoutItem::ReferencePoint of each bm_corner: the item's corner that
 * sits at its position. */
static const int corner_reference[] = {0, 2, 6, 8};

/* Qt alignment flags. */
enum { ALIGN_LEFT = 1, ALIGN_RIGHT = 2, ALIGN_HCENTER = 4, ALIGN_TOP = 32, ALIGN_BOTTOM = 64 };

typedef struct box {
    double x, y, w, h; /* mm */
} box;

typedef struct layout {
    bm_xml *x;
    const bm_page *page;
    box map;
    int next_uuid;
} layout;

static const char *const map_uuid = "{00000000-0000-4000-8000-000000000001}";

/* Starts a <LayoutItem> at (x, y) mm, that point being its corner ref. */
static void start_item(layout *lo, int type, const char *id, double x, double y, double w,
                       double h, int ref)
{
    bm_xml *xw = lo->x;
    bm_xml_start(xw, "LayoutItem");
    bm_xml_attrf(xw, "type", "%d", type);
    bm_xml_attr(xw, "id", id);
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

/* A point of the map's frame, inset by 3 mm, at a corner. */
static void corner_point(const layout *lo, bm_corner c, double *x, double *y)
{
    int right = c == BM_CORNER_TOP_RIGHT || c == BM_CORNER_BOTTOM_RIGHT;
    int bottom = c == BM_CORNER_BOTTOM_LEFT || c == BM_CORNER_BOTTOM_RIGHT;
    *x = right ? lo->map.x + lo->map.w - 3 : lo->map.x + 3;
    *y = bottom ? lo->map.y + lo->map.h - 3 : lo->map.y + 3;
}

/* QFont::toString(): family, points, pixels, hint, weight, italic, ... */
static void font(bm_xml *x, const char *name, const char *family, double pt, int bold)
{
    bm_xml_start(x, name);
    bm_xml_attrf(x, "description", "%s,%.4g,-1,5,%d,0,0,0,0,0", family, pt, bold ? 75 : 50);
    bm_xml_attr(x, "style", "");
    bm_xml_end(x);
}

static void label(layout *lo, const char *id, const char *text, box b, int ref, int align,
                  double pt, int bold, bm_color ink)
{
    static const bm_color white = {1, 1, 1, 1};
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
    color_element(x, "BackgroundColor", white);
    font(x, "LabelFont", lo->page->font, pt, bold);
    color_element(x, "FontColor", ink);
    bm_xml_end(x);
}

static void page_item(layout *lo, double w, double h)
{
    bm_xml_start(lo->x, "PageCollection");
    start_item(lo, ITEM_PAGE, "", 0, 0, w, h, 0);
    bm_xml_end(lo->x);
    bm_xml_end(lo->x);
}

static void map_item(layout *lo, const frame *f)
{
    bm_xml *x = lo->x;
    start_item(lo, ITEM_MAP, "map", lo->map.x, lo->map.y, lo->map.w, lo->map.h, 0);
    bm_xml_attr(x, "frame", "true");
    bm_xml_attr(x, "background", "true");
    bm_xml_attr(x, "keepLayerSet", "false");
    bm_xml_attr(x, "mapRotation", "0");
    bm_xml_attr(x, "drawCanvasItems", "true");
    color_element(x, "BackgroundColor", lo->page->water);
    color_element(x, "FrameColor", lo->page->frame);
    bm_xml_start(x, "Extent");
    extent_attrs(x, f->extent);
    bm_xml_end(x);
    bm_xml_start(x, "crs");
    spatialrefsys(x, f->wkt);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* Sizes near bordermap's legend rather than QGIS's 12 to 16 points. */
static void legend_styles(layout *lo)
{
    static const struct {
        const char *name;
        double pt;
        int bold;
    } styles[] = {{"title", 9, 1}, {"group", 7.5, 1}, {"subgroup", 7, 0}, {"symbolLabel", 7, 0}};
    bm_xml_start(lo->x, "styles");
    for (size_t i = 0; i < sizeof styles / sizeof *styles; i++) {
        bm_xml_start(lo->x, "style");
        bm_xml_attr(lo->x, "name", styles[i].name);
        font(lo->x, "styleFont", lo->page->font, styles[i].pt, styles[i].bold);
        bm_xml_end(lo->x);
    }
    bm_xml_end(lo->x);
}

/* Follows the project's layer tree. */
static void legend_item(layout *lo)
{
    static const bm_color white = {1, 1, 1, 0.9};
    double x, y;
    corner_point(lo, lo->page->legend_corner, &x, &y);
    bm_xml *xw = lo->x;
    start_item(lo, ITEM_LEGEND, "legend", x, y, 40, 30, corner_reference[lo->page->legend_corner]);
    bm_xml_attr(xw, "map_uuid", map_uuid);
    bm_xml_attr(xw, "title", "");
    bm_xml_attr(xw, "resizeToContents", "1");
    bm_xml_attr(xw, "columnCount", "1");
    bm_xml_attr(xw, "symbolWidth", "6");
    bm_xml_attr(xw, "symbolHeight", "3.5");
    bm_xml_attr(xw, "frame", "true");
    bm_xml_attr(xw, "background", "true");
    color_element(xw, "BackgroundColor", white);
    legend_styles(lo);
    bm_xml_end(xw);
}

/* Its segments fit 25 to 50 mm, in kilometres measured on the ellipsoid. */
static void scale_bar_item(layout *lo)
{
    static const bm_color white = {1, 1, 1, 1};
    double x, y;
    corner_point(lo, lo->page->scale_corner, &x, &y);
    bm_xml *xw = lo->x;
    start_item(lo, ITEM_SCALE_BAR, "scale bar", x, y, 50, 10,
               corner_reference[lo->page->scale_corner]);
    bm_xml_attr(xw, "mapUuid", map_uuid);
    bm_xml_attr(xw, "style", "Single Box");
    bm_xml_attr(xw, "unitType", "km");
    bm_xml_attr(xw, "unitLabel", "km");
    bm_xml_attr(xw, "numSegments", "2");
    bm_xml_attr(xw, "numSegmentsLeft", "0");
    bm_xml_attr(xw, "numSubdivisions", "1");
    bm_xml_attr(xw, "segmentSizeMode", "1");
    bm_xml_attr(xw, "minBarWidth", "25");
    bm_xml_attr(xw, "maxBarWidth", "50");
    bm_xml_attr(xw, "numUnitsPerSegment", "100");
    bm_xml_attr(xw, "numMapUnitsPerScaleBarUnit", "1");
    bm_xml_attr(xw, "height", "2");
    bm_xml_attr(xw, "labelBarSpace", "1.5");
    bm_xml_attr(xw, "alignment", "0");
    bm_xml_attr(xw, "frame", "false");
    bm_xml_attr(xw, "background", "false");
    color_element(xw, "BackgroundColor", white);
    bm_xml_end(xw);
}

/* The first map corner no other item takes. */
static bm_corner free_corner(const bm_page *page)
{
    static const bm_corner order[] = {BM_CORNER_TOP_RIGHT, BM_CORNER_TOP_LEFT,
                                      BM_CORNER_BOTTOM_RIGHT, BM_CORNER_BOTTOM_LEFT};
    for (size_t i = 0; i < 4; i++)
        if ((!page->legend || order[i] != page->legend_corner) &&
            (!page->scale_bar || order[i] != page->scale_corner) &&
            (!page->inset || order[i] != page->inset_corner))
            return order[i];
    return BM_CORNER_TOP_LEFT;
}

static void north_arrow(layout *lo, bm_color ink)
{
    bm_corner c = free_corner(lo->page);
    double x, y;
    corner_point(lo, c, &x, &y);
    label(lo, "north arrow", "\xe2\x96\xb2\nN", (box){x, y, 8, 12}, corner_reference[c],
          ALIGN_HCENTER | ALIGN_TOP, 12, 1, ink);
}

/* Title and subtitle in the top margin, credits in the bottom one, where
 * bordermap puts them. */
static void titles(layout *lo, const bm_qgis_project *p, double page_h, bm_color ink)
{
    static const bm_color grey = {0.35, 0.35, 0.35, 1};
    const bm_page *page = lo->page;
    box b = {lo->map.x, 7 * MM_PER_PT, lo->map.w, 15 * 1.4 * MM_PER_PT};
    if (page->title[0])
        label(lo, "title", page->title, b, 0, ALIGN_LEFT | ALIGN_TOP, 15, 1, ink);
    b.y += b.h, b.h = 8.5 * 1.4 * MM_PER_PT;
    if (page->title[0] && page->subtitle[0])
        label(lo, "subtitle", page->subtitle, b, 0, ALIGN_LEFT | ALIGN_TOP, 8.5, 0, grey);
    if (!page->credits)
        return;
    char text[2400];
    snprintf(text, sizeof text, "%s%s%s", p->credits, page->note[0] ? "\n" : "", page->note);
    b = (box){lo->map.x, page_h - 4 * MM_PER_PT, lo->map.w, 20};
    label(lo, "credits", text, b, 6, ALIGN_LEFT | ALIGN_BOTTOM, 5.8, 0, grey);
}

static void print_layout(bm_xml *x, const bm_qgis_project *p, const frame *f)
{
    static const bm_color ink = {0.1, 0.1, 0.1, 1};
    const bm_page *page = &p->style->page;
    double w = page->width / page->dpi * 25.4, h = page->height / page->dpi * 25.4;
    const double *m = page->margin;
    layout lo = {x, page, {m[3] * MM_PER_PT, m[0] * MM_PER_PT, w - (m[1] + m[3]) * MM_PER_PT,
                           h - (m[0] + m[2]) * MM_PER_PT}, 0};
    const char *slash = strrchr(p->style->path, '/'), *file = slash ? slash + 1 : p->style->path;
    const char *dot = strrchr(file, '.');
    bm_xml_start(x, "Layouts");
    bm_xml_start(x, "Layout");
    bm_xml_attrf(x, "name", "%.*s", dot ? (int)(dot - file) : (int)strlen(file), file);
    bm_xml_attr(x, "units", "mm");
    bm_xml_attrf(x, "printResolution", "%.0f", page->dpi);
    page_item(&lo, w, h); /* uuid and z 0: under everything */
    map_item(&lo, f);
    titles(&lo, p, h, ink);
    if (page->legend)
        legend_item(&lo);
    if (page->scale_bar)
        scale_bar_item(&lo);
    if (page->north_arrow)
        north_arrow(&lo, ink);
    bm_xml_end(x);
    bm_xml_end(x);
}

/* ---- the document --------------------------------------------------------- */

static void project(bm_xml *x, const bm_qgis_project *p, const frame *f, const char *wgs84_wkt)
{
    size_t order[MAX_LAYERS];
    size_t n = stack_order(p, order);
    bm_xml_start(x, "qgis");
    bm_xml_attr(x, "version", "3.22.16-Białowieża");
    bm_xml_attr(x, "projectname", p->style->page.title);
    bm_xml_element(x, "title", p->style->page.title);
    bm_xml_start(x, "projectCrs");
    spatialrefsys(x, f->wkt);
    bm_xml_end(x);
    layer_tree(x, p, order, n);
    project_layers(x, p, order, n, wgs84_wkt);
    properties(x, &p->style->page);
    view(x, f);
    print_layout(x, p, f);
    bm_xml_end(x);
}

static char *project_xml(const bm_qgis_project *p, const frame *f, const char *wgs84_wkt)
{
    bm_xml x;
    if (bm_xml_open(&x))
        return NULL;
    bm_xml_check(&x, xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL));
    bm_xml_check(&x, xmlTextWriterWriteDTD(x.w, BAD_CAST "qgis", BAD_CAST "http://mrcc.com/qgis.dtd",
                                           BAD_CAST "SYSTEM", NULL));
    project(&x, p, f, wgs84_wkt);
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
