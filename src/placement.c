/*
 * placement.c — placing the labels the layers asked for, in priority
 * order, against the map's geometry: along lines (smoothed, upright, rows
 * above and below), inside polygons (near the pole of inaccessibility),
 * beside points. The collision engine itself is labels.c.
 */
#include "render_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_reqs(const void *a, const void *b)
{
    const bm_label_req *p = a, *q = b;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Corner cutting (Chaikin): a label path without kinks, so glyphs follow
 * the line's general course instead of every vertex. */
static double *smooth(const double *xy, size_t n, size_t *out_n)
{
    double *cur = malloc(2 * n * sizeof *cur);
    if (!cur)
        return NULL;
    memcpy(cur, xy, 2 * n * sizeof *cur);
    for (int it = 0; it < 3 && n >= 3; it++) {
        size_t m = 2 * (n - 1);
        double *next = malloc(2 * m * sizeof *next);
        if (!next)
            break;
        for (size_t i = 0; i + 1 < n; i++)
            for (int c = 0; c < 2; c++) {
                double a = cur[2 * i + c], b = cur[2 * i + 2 + c];
                next[4 * i + c] = i == 0 ? a : 0.75 * a + 0.25 * b;
                next[4 * i + 2 + c] = i + 2 == n ? b : 0.25 * a + 0.75 * b;
            }
        free(cur);
        cur = next, n = m;
    }
    *out_n = n;
    return cur;
}

static double *part_points(bm_map *m, const GEOSGeometry *part, double tolerance, size_t *n)
{
    GEOSGeometry *simple = GEOSSimplify_r(m->geos, part, tolerance);
    const GEOSCoordSequence *seq = simple ? GEOSGeom_getCoordSeq_r(m->geos, simple) : NULL;
    unsigned int np = 0;
    if (seq)
        GEOSCoordSeq_getSize_r(m->geos, seq, &np);
    double *xy = np >= 2 ? malloc(2 * np * sizeof *xy) : NULL;
    for (unsigned int k = 0; xy && k < np; k++)
        GEOSCoordSeq_getXY_r(m->geos, seq, k, &xy[2 * k], &xy[2 * k + 1]);
    if (simple)
        GEOSGeom_destroy_r(m->geos, simple);
    double *smoothed = xy ? smooth(xy, np, n) : NULL;
    free(xy);
    return smoothed;
}

static const GEOSGeometry *longest_part(bm_map *m, const GEOSGeometry *g)
{
    const GEOSGeometry *best = NULL;
    double best_len = 0, len;
    for (int i = 0; i < GEOSGetNumGeometries_r(m->geos, g); i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(m->geos, g, i);
        if (GEOSGeomTypeId_r(m->geos, p) == GEOS_LINESTRING && GEOSLength_r(m->geos, p, &len) &&
            len > best_len)
            best = p, best_len = len;
    }
    return best;
}

/* A label beside the middle of the line, for lines too short to carry
 * their text along them at this scale. */
static int place_beside_line(bm_map *m, const bm_label_req *r, const GEOSGeometry *part,
                             const char *text)
{
    GEOSGeometry *mid = GEOSInterpolateNormalized_r(m->geos, part, 0.5);
    double x, y;
    int ok = 0;
    if (mid && GEOSGeomGetX_r(m->geos, mid, &x) && GEOSGeomGetY_r(m->geos, mid, &y))
        for (double k = 0.6; !ok && k < 5; k += 1.4)
            ok = bm_labels_place_point(m->labels, &r->st, text, x, y, k * r->st.size);
    if (mid)
        GEOSGeom_destroy_r(m->geos, mid);
    return ok;
}

/* Along the longest part: the text's two rows above and below the line;
 * then the first row split at " · " into name above, figures below; then,
 * when the line is too short for either, the rows beside its middle. */
static void place_line(bm_map *m, const bm_label_req *r)
{
    const GEOSGeometry *part = longest_part(m, r->geom);
    size_t n = 0;
    double *xy = part ? part_points(m, part, 1.2 * r->st.size, &n) : NULL;
    char above[512], below[512], *nl = strchr(r->text, '\n');
    snprintf(above, sizeof above, "%.*s", nl ? (int)(nl - r->text) : (int)strlen(r->text), r->text);
    snprintf(below, sizeof below, "%s", nl ? nl + 1 : "");
    int placed = xy && bm_labels_place_line(m->labels, &r->st, above, below, xy, n);
    char *dot = strstr(above, " · ");
    if (!placed && xy && dot) {
        char figures[1100];
        snprintf(figures, sizeof figures, "%s%s%s", dot + strlen(" · "), below[0] ? " " : "", below);
        *dot = '\0';
        placed = bm_labels_place_line(m->labels, &r->st, above, figures, xy, n);
        snprintf(below, sizeof below, "%.500s", figures);
    }
    if (!placed && part && r->beside) {
        char block[1100];
        snprintf(block, sizeof block, "%s%s%s", above, below[0] ? "\n" : "", below);
        place_beside_line(m, r, part, block);
    }
    free(xy);
}

static const GEOSGeometry *largest_polygon(bm_map *m, const GEOSGeometry *g)
{
    const GEOSGeometry *best = NULL;
    double best_area = 0, a;
    for (int i = 0; i < GEOSGetNumGeometries_r(m->geos, g); i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(m->geos, g, i);
        if (GEOSGeomTypeId_r(m->geos, p) == GEOS_POLYGON && GEOSArea_r(m->geos, p, &a) &&
            a > best_area)
            best = p, best_area = a;
    }
    return best;
}

/* Whether the text box (less its inner leading) lies inside the polygon. */
static int box_inside(bm_map *m, const GEOSPreparedGeometry *prep, double x, double y, double w,
                      double h)
{
    GEOSGeometry *box = GEOSGeom_createRectangle_r(m->geos, x, y + 0.2 * h, x + w, y + 0.8 * h);
    int in = box && GEOSPreparedContains_r(m->geos, prep, box) == 1;
    if (box)
        GEOSGeom_destroy_r(m->geos, box);
    return in;
}

/* Tries the text centred on points around (cx, cy) within a fraction of
 * the inscribed radius, nearest first; 1 when placed. */
static int place_in_polygon(bm_map *m, const GEOSPreparedGeometry *prep,
                            const bm_text_style *st, const char *text, double cx, double cy,
                            double radius)
{
    static const double offsets[][2] = {{0, 0},     {0, -0.4},   {0, 0.4},   {-0.4, 0},
                                        {0.4, 0},   {-0.4, -0.4}, {0.4, -0.4}, {-0.4, 0.4},
                                        {0.4, 0.4}, {0, -0.8},   {0, 0.8}};
    double w, h;
    bm_labels_measure(m->labels, st, text, &w, &h);
    for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
        double x = cx + offsets[i][0] * radius - w / 2, y = cy + offsets[i][1] * radius - h / 2;
        if (box_inside(m, prep, x, y, w, h) && bm_labels_place_box(m->labels, st, text, x, y))
            return 1;
    }
    return 0;
}

/* Country names go near the centre of the largest inscribed circle of the
 * biggest part in view; a name that does not fit inside is tried on two
 * lines, then a size smaller, and then dropped rather than spilled over
 * the neighbours. */
static void place_area(bm_map *m, bm_label_req *r)
{
    const GEOSGeometry *poly = largest_polygon(m, r->geom);
    GEOSGeometry *simple = poly ? GEOSSimplify_r(m->geos, poly, 1.0) : NULL;
    GEOSGeometry *mic = simple ? GEOSMaximumInscribedCircle_r(m->geos, simple, 2.0) : NULL;
    const GEOSPreparedGeometry *prep = simple ? GEOSPrepare_r(m->geos, simple) : NULL;
    double cx, cy, radius = 0;
    const GEOSCoordSequence *seq = mic ? GEOSGeom_getCoordSeq_r(m->geos, mic) : NULL;
    if (prep && seq && GEOSCoordSeq_getXY_r(m->geos, seq, 0, &cx, &cy) &&
        GEOSLength_r(m->geos, mic, &radius)) {
        bm_text_style small = r->st;
        small.size *= 0.8;
        small.letter_spacing *= 0.5;
        char two[512];
        snprintf(two, sizeof two, "%s", r->text);
        char *space = strchr(two, ' ');
        if (space)
            *space = '\n';
        if (!place_in_polygon(m, prep, &r->st, r->text, cx, cy, radius) &&
            !(space && place_in_polygon(m, prep, &r->st, two, cx, cy, radius)))
            place_in_polygon(m, prep, &small, space ? two : r->text, cx, cy, radius);
    }
    if (prep)
        GEOSPreparedGeom_destroy_r(m->geos, prep);
    if (mic)
        GEOSGeom_destroy_r(m->geos, mic);
    if (simple)
        GEOSGeom_destroy_r(m->geos, simple);
}

void bm_placement_run(bm_map *m, bm_label_req *reqs, size_t n)
{
    if (n > 1)
        qsort(reqs, n, sizeof *reqs, compare_reqs);
    for (size_t i = 0; i < n; i++) {
        bm_label_req *r = &reqs[i];
        if (r->kind == BM_REQ_POINT)
            bm_labels_place_point(m->labels, &r->st, r->text, r->x, r->y, r->r);
        else if (r->kind == BM_REQ_LINE)
            place_line(m, r);
        else
            place_area(m, r);
        free(r->text);
    }
    free(reqs);
}
