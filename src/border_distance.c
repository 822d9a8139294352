/*
 * border_distance.c — nearest frontier by a bounding-volume tree over the
 * frontier segments in Earth-centred coordinates, and country by prepared
 * polygons in an STRtree.
 *
 * Why Earth-centred (ECEF) coordinates: the straight-line distance between
 * two points of the ellipsoid never exceeds their geodesic distance, so
 * a box or chord distance in ECEF is a true lower bound of the geodesic
 * one everywhere, near the poles and across the antimeridian alike. The
 * tree only chooses candidates with it; every answer is a geodesic
 * distance from geodesic.h.
 */
#include "border_distance.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geodesic.h>
#include <proj.h>

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

/* Segments are cut into geodesic pieces no longer than this, so that a
 * piece never strays more than PIECE_SAG_M from its chord. */
#define PIECE_MAX_M 10000.0
/* A geodesic's curvature in space is the ellipsoid's normal curvature,
 * at most 1 / (b^2 / a) = 1 / 6335.4 km; an arc of length L then lies
 * within L^2 / (8 * 6335.4 km) = 2.0 m of its chord. Rounded up. */
#define PIECE_SAG_M 2.5
/* The along-track iteration stops when a step moves less than this. */
#define CONVERGED_M 0.01
#define MAX_ITERATIONS 30
#define LEAF_PIECES 4
#define MAX_DEPTH 128

typedef struct piece {
    double lon[2], lat[2];
    double xyz[2][3];   /* the ends in ECEF metres */
    uint32_t frontier;  /* index in the frontier set */
} piece;

typedef struct node {
    double lo[3], hi[3];
    uint32_t first, count; /* a leaf's pieces; count 0 for an inner node */
    uint32_t right;        /* an inner node's right child; its left is the next node */
} node;

struct bm_border_distance {
    GEOSContextHandle_t geos;
    const bm_frontiers *frontiers;
    const bm_boundaries *boundaries;
    struct geod_geodesic wgs84;
    PJ_CONTEXT *proj_ctx;
    PJ *cart;
    piece *pieces;
    size_t n_pieces, cap_pieces;
    node *nodes;
    size_t n_nodes;
    GEOSSTRtree *country_tree;
    const GEOSPreparedGeometry **prepared; /* one per country */
    size_t *country_index;                 /* the STRtree's items */
};

const char *const bm_border_distance_fields[BM_BORDER_DISTANCE_FIELDS] = {
    "frontier_km", "frontier", "frontier_iso", "in_country"};

/* ---- pieces ------------------------------------------------------------- */

static int to_ecef(bm_border_distance *d, double lon, double lat, double xyz[3])
{
    PJ_COORD c = proj_coord(proj_torad(lon), proj_torad(lat), 0, 0);
    c = proj_trans(d->cart, PJ_FWD, c);
    xyz[0] = c.xyz.x, xyz[1] = c.xyz.y, xyz[2] = c.xyz.z;
    return isfinite(c.xyz.x) ? 0 : -1;
}

static int add_piece(bm_border_distance *d, const double lon[2], const double lat[2],
                     uint32_t frontier)
{
    if (d->n_pieces == d->cap_pieces) {
        size_t cap = d->cap_pieces ? 2 * d->cap_pieces : 4096;
        piece *p = realloc(d->pieces, cap * sizeof *p);
        if (!p)
            return -1;
        d->pieces = p, d->cap_pieces = cap;
    }
    piece *p = &d->pieces[d->n_pieces];
    for (int k = 0; k < 2; k++) {
        p->lon[k] = lon[k], p->lat[k] = lat[k];
        if (to_ecef(d, lon[k], lat[k], p->xyz[k]) != 0)
            return -1;
    }
    p->frontier = frontier;
    d->n_pieces++;
    return 0;
}

/* The segment from (lon0, lat0) to (lon1, lat1) as geodesic pieces. */
static int add_segment(bm_border_distance *d, double lon0, double lat0, double lon1,
                       double lat1, uint32_t frontier)
{
    struct geod_geodesicline line;
    geod_inverseline(&line, &d->wgs84, lat0, lon0, lat1, lon1,
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
    size_t n = line.s13 > PIECE_MAX_M ? (size_t)ceil(line.s13 / PIECE_MAX_M) : 1;
    double lon[2] = {lon0, 0}, lat[2] = {lat0, 0};
    for (size_t k = 1; k <= n; k++) {
        if (k == n)
            lon[1] = lon1, lat[1] = lat1;
        else
            geod_position(&line, line.s13 * (double)k / (double)n, &lat[1], &lon[1], NULL);
        if (add_piece(d, lon, lat, frontier) != 0)
            return -1;
        lon[0] = lon[1], lat[0] = lat[1];
    }
    return 0;
}

static int add_line(bm_border_distance *d, const GEOSGeometry *line, uint32_t frontier)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(d->geos, line);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(d->geos, seq, &n))
        return -1;
    double plon = 0, plat = 0;
    for (unsigned int i = 0; i < n; i++) {
        double lon, lat;
        if (!GEOSCoordSeq_getXY_r(d->geos, seq, i, &lon, &lat))
            return -1;
        if (i > 0 && add_segment(d, plon, plat, lon, lat, frontier) != 0)
            return -1;
        plon = lon, plat = lat;
    }
    return 0;
}

static int add_frontier_lines(bm_border_distance *d, const GEOSGeometry *g, uint32_t frontier)
{
    int type = GEOSGeomTypeId_r(d->geos, g);
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING)
        return add_line(d, g, frontier);
    int parts = GEOSGetNumGeometries_r(d->geos, g);
    for (int i = 0; i < parts; i++)
        if (add_frontier_lines(d, GEOSGetGeometryN_r(d->geos, g, i), frontier) != 0)
            return -1;
    return 0;
}

/* ---- the tree ----------------------------------------------------------- */

static double centre(const piece *p, int axis)
{
    return p->xyz[0][axis] + p->xyz[1][axis];
}

static int compare_x(const void *a, const void *b)
{
    double u = centre(a, 0), v = centre(b, 0);
    return (u > v) - (u < v);
}

static int compare_y(const void *a, const void *b)
{
    double u = centre(a, 1), v = centre(b, 1);
    return (u > v) - (u < v);
}

static int compare_z(const void *a, const void *b)
{
    double u = centre(a, 2), v = centre(b, 2);
    return (u > v) - (u < v);
}

static int (*const compare_axis[3])(const void *, const void *) = {compare_x, compare_y,
                                                                   compare_z};

static void fit_box(node *nd, const piece *p, size_t count)
{
    for (int k = 0; k < 3; k++)
        nd->lo[k] = HUGE_VAL, nd->hi[k] = -HUGE_VAL;
    for (size_t i = 0; i < count; i++)
        for (int e = 0; e < 2; e++)
            for (int k = 0; k < 3; k++) {
                nd->lo[k] = fmin(nd->lo[k], p[i].xyz[e][k]);
                nd->hi[k] = fmax(nd->hi[k], p[i].xyz[e][k]);
            }
}

/* Splits pieces [first, first + count) at the median of the box's longest
 * axis, depth first, so that a node's left child follows it. */
static uint32_t build(bm_border_distance *d, size_t first, size_t count)
{
    uint32_t id = (uint32_t)d->n_nodes++;
    node *nd = &d->nodes[id];
    fit_box(nd, d->pieces + first, count);
    nd->first = (uint32_t)first;
    nd->count = (uint32_t)count;
    if (count <= LEAF_PIECES)
        return id;
    int axis = 0;
    for (int k = 1; k < 3; k++)
        if (nd->hi[k] - nd->lo[k] > nd->hi[axis] - nd->lo[axis])
            axis = k;
    qsort(d->pieces + first, count, sizeof *d->pieces, compare_axis[axis]);
    nd->count = 0;
    build(d, first, count / 2);
    uint32_t right = build(d, first + count / 2, count - count / 2);
    d->nodes[id].right = right;
    return id;
}

static double box_distance(const node *nd, const double p[3])
{
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        double gap = p[k] < nd->lo[k]   ? nd->lo[k] - p[k]
                   : p[k] > nd->hi[k] ? p[k] - nd->hi[k]
                                      : 0;
        sum += gap * gap;
    }
    return sqrt(sum);
}

/* Straight-line distance from p to the chord of a piece. */
static double chord_distance(const piece *pc, const double p[3])
{
    double ab[3], ap[3], len2 = 0, dot = 0;
    for (int k = 0; k < 3; k++) {
        ab[k] = pc->xyz[1][k] - pc->xyz[0][k];
        ap[k] = p[k] - pc->xyz[0][k];
        len2 += ab[k] * ab[k];
        dot += ab[k] * ap[k];
    }
    double t = len2 > 0 ? fmin(fmax(dot / len2, 0), 1) : 0, sum = 0;
    for (int k = 0; k < 3; k++) {
        double r = ap[k] - t * ab[k];
        sum += r * r;
    }
    return sqrt(sum);
}

/* ---- exact distance ----------------------------------------------------- */

/* The geodesic distance in metres from (lon, lat) to a piece: walk along
 * the piece's geodesic to where the geodesic to the point meets it at a
 * right angle (moving by the point's along-track offset each time), or
 * to the end it lies beyond. */
static double distance_to_piece(const bm_border_distance *d, const piece *pc, double lon,
                                double lat)
{
    struct geod_geodesicline line;
    geod_inverseline(&line, &d->wgs84, pc->lat[0], pc->lon[0], pc->lat[1], pc->lon[1],
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN);
    double t = 0, s = 0;
    for (int i = 0; i < MAX_ITERATIONS; i++) {
        double qlat, qlon, qazi, azi_to_point;
        geod_position(&line, t, &qlat, &qlon, &qazi);
        geod_inverse(&d->wgs84, qlat, qlon, lat, lon, &s, &azi_to_point, NULL);
        double next = fmin(fmax(t + s * cos((azi_to_point - qazi) * M_PI / 180.0), 0),
                           line.s13);
        if (fabs(next - t) < CONVERGED_M)
            break;
        t = next;
    }
    return s;
}

/* The tree's nodes in nearest-first order, depth first; visit(leaf) is
 * called for each leaf whose box is nearer than *bound, which visit may
 * lower. */
typedef void (*leaf_visit)(const bm_border_distance *d, const node *leaf, void *data);

static void walk(const bm_border_distance *d, const double p[3], const double *bound,
                 leaf_visit visit, void *data)
{
    uint32_t stack[MAX_DEPTH];
    size_t top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const node *nd = &d->nodes[stack[--top]];
        if (box_distance(nd, p) >= *bound)
            continue;
        if (nd->count > 0) {
            visit(d, nd, data);
            continue;
        }
        uint32_t left = (uint32_t)(nd - d->nodes) + 1, right = nd->right;
        int left_first = box_distance(&d->nodes[left], p) <= box_distance(&d->nodes[right], p);
        stack[top++] = left_first ? right : left;
        stack[top++] = left_first ? left : right;
    }
}

typedef struct query {
    const double *p;  /* ECEF */
    double lon, lat;
    double bound;     /* in ECEF metres: what a node must be nearer than */
    double best;      /* geodesic metres to found */
    const piece *found;
} query;

/* First pass: the piece whose chord is nearest in a straight line. */
static void nearest_chord(const bm_border_distance *d, const node *leaf, void *data)
{
    query *q = data;
    for (uint32_t i = leaf->first; i < leaf->first + leaf->count; i++) {
        double c = chord_distance(&d->pieces[i], q->p);
        if (c < q->bound) {
            q->bound = c;
            q->found = &d->pieces[i];
        }
    }
}

/* Second pass: every piece that may be nearer, by its geodesic distance.
 * Since the straight line is within metres of the geodesic at the
 * distances that matter here, this is rarely more than one or two. */
static void nearest_geodesic(const bm_border_distance *d, const node *leaf, void *data)
{
    query *q = data;
    for (uint32_t i = leaf->first; i < leaf->first + leaf->count; i++) {
        const piece *pc = &d->pieces[i];
        if (pc == q->found || chord_distance(pc, q->p) - PIECE_SAG_M >= q->best)
            continue;
        double s = distance_to_piece(d, pc, q->lon, q->lat);
        /* Ties go to the lower frontier index, whatever the tree's order. */
        if (s < q->best || (s == q->best && pc->frontier < q->found->frontier)) {
            q->best = s;
            q->found = pc;
            q->bound = s + PIECE_SAG_M;
        }
    }
}

static const piece *search(const bm_border_distance *d, const double p[3], double lon,
                           double lat, double *metres)
{
    query q = {p, lon, lat, HUGE_VAL, HUGE_VAL, NULL};
    walk(d, p, &q.bound, nearest_chord, &q);
    q.best = distance_to_piece(d, q.found, lon, lat);
    q.bound = q.best + PIECE_SAG_M;
    walk(d, p, &q.bound, nearest_geodesic, &q);
    *metres = q.best;
    return q.found;
}

typedef struct within_query {
    const double *p;  /* ECEF */
    double lon, lat;
    double limit;     /* geodesic metres */
    double *metres;   /* per frontier: the nearest piece within the limit, or HUGE_VAL */
} within_query;

/* Every piece that may lie within the limit, by its geodesic distance. */
static void pieces_within(const bm_border_distance *d, const node *leaf, void *data)
{
    within_query *q = data;
    for (uint32_t i = leaf->first; i < leaf->first + leaf->count; i++) {
        const piece *pc = &d->pieces[i];
        if (chord_distance(pc, q->p) - PIECE_SAG_M > q->limit)
            continue;
        double s = distance_to_piece(d, pc, q->lon, q->lat);
        if (s <= q->limit && s < q->metres[pc->frontier])
            q->metres[pc->frontier] = s;
    }
}

int bm_border_distance_within(bm_border_distance *d, double lon, double lat, double km,
                              double *km_to)
{
    size_t n = bm_frontiers_count(d->frontiers);
    double p[3];
    if (to_ecef(d, lon, lat, p))
        return -1;
    for (size_t i = 0; i < n; i++)
        km_to[i] = HUGE_VAL;
    within_query q = {p, lon, lat, km * 1000.0, km_to};
    /* A straight line is never longer than the geodesic it spans. */
    double bound = q.limit + PIECE_SAG_M;
    if (d->n_pieces > 0)
        walk(d, p, &bound, pieces_within, &q);
    for (size_t i = 0; i < n; i++)
        km_to[i] = km_to[i] == HUGE_VAL ? -1 : km_to[i] / 1000.0;
    return 0;
}

/* ---- countries ---------------------------------------------------------- */

/* A point this close to a country (in degrees of latitude and of
 * longitude) is in it: catalogs give
 * coordinates to four decimals (ACLED), so a place on a border or a coast
 * may fall a few metres outside every polygon. */
#define EDGE_DEGREES 1e-4

typedef struct country_hit {
    const bm_border_distance *d;
    const GEOSGeometry *probe; /* the point, or a small box around it */
    size_t best;    /* lowest index of a country the probe touches; SIZE_MAX none */
} country_hit;

static void check_country(void *item, void *data)
{
    country_hit *h = data;
    size_t i = *(const size_t *)item;
    /* A point on a shared boundary touches both countries: the first in
     * the boundaries' order wins, so the answer does not depend on the tree. */
    if (i < h->best && GEOSPreparedIntersects_r(h->d->geos, h->d->prepared[i], h->probe) == 1)
        h->best = i;
}

static int index_countries(bm_border_distance *d)
{
    size_t n = bm_boundaries_count(d->boundaries);
    d->prepared = calloc(n ? n : 1, sizeof *d->prepared);
    d->country_index = calloc(n ? n : 1, sizeof *d->country_index);
    d->country_tree = GEOSSTRtree_create_r(d->geos, 10);
    if (!d->prepared || !d->country_index || !d->country_tree)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const bm_country *c = bm_boundaries_at(d->boundaries, i);
        d->country_index[i] = i;
        if (!(d->prepared[i] = GEOSPrepare_r(d->geos, c->geom)))
            return -1;
        GEOSSTRtree_insert_r(d->geos, d->country_tree, c->geom, &d->country_index[i]);
    }
    return 0;
}

static int find_country(const bm_border_distance *d, double lon, double lat, char iso[4])
{
    iso[0] = '\0';
    if (!d->country_tree)
        return 0;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(d->geos, lon, lat);
    if (!pt)
        return -1;
    country_hit h = {d, pt, SIZE_MAX};
    GEOSSTRtree_query_r(d->geos, d->country_tree, pt, check_country, &h);
    GEOSGeom_destroy_r(d->geos, pt);
    GEOSGeometry *box = h.best == SIZE_MAX
                      ? GEOSGeom_createRectangle_r(d->geos, lon - EDGE_DEGREES, lat - EDGE_DEGREES,
                                                   lon + EDGE_DEGREES, lat + EDGE_DEGREES)
                      : NULL;
    if (box) {
        h.probe = box;
        GEOSSTRtree_query_r(d->geos, d->country_tree, box, check_country, &h);
        GEOSGeom_destroy_r(d->geos, box);
    }
    if (h.best != SIZE_MAX)
        snprintf(iso, 4, "%s", bm_boundaries_at(d->boundaries, h.best)->iso_a3);
    return 0;
}

/* ---- life cycle --------------------------------------------------------- */

static int index_frontiers(bm_border_distance *d)
{
    size_t n = bm_frontiers_count(d->frontiers);
    for (size_t i = 0; i < n; i++)
        if (add_frontier_lines(d, bm_frontiers_at(d->frontiers, i)->geom, (uint32_t)i) != 0)
            return -1;
    if (d->n_pieces == 0)
        return 0;
    /* A binary tree with leaves of at most LEAF_PIECES has fewer than
     * 2 * n_pieces nodes, and depth about log2(n_pieces / LEAF_PIECES). */
    d->nodes = malloc(2 * d->n_pieces * sizeof *d->nodes);
    if (!d->nodes)
        return -1;
    build(d, 0, d->n_pieces);
    return 0;
}

bm_border_distance *bm_border_distance_create(GEOSContextHandle_t geos,
                                              const bm_frontiers *frontiers,
                                              const bm_boundaries *boundaries, bm_error *err)
{
    bm_border_distance *d = calloc(1, sizeof *d);
    if (!d) {
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    d->geos = geos;
    d->frontiers = frontiers;
    d->boundaries = boundaries;
    geod_init(&d->wgs84, WGS84_A, WGS84_F);
    d->proj_ctx = proj_context_create();
    d->cart = d->proj_ctx ? proj_create(d->proj_ctx, "+proj=cart +ellps=WGS84") : NULL;
    if (!d->cart) {
        bm_border_distance_free(d);
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL,
                     "PROJ cannot make Earth-centred coordinates (+proj=cart)");
        return NULL;
    }
    if ((frontiers && index_frontiers(d) != 0) || (boundaries && index_countries(d) != 0)) {
        bm_error_set(err, BM_ERR_RUNTIME,
                     frontiers ? bm_frontiers_source(frontiers) : bm_boundaries_source(boundaries),
                     0, NULL, "cannot index the frontiers and countries (GEOS or memory)");
        bm_border_distance_free(d);
        return NULL;
    }
    return d;
}

void bm_border_distance_free(bm_border_distance *d)
{
    if (!d)
        return;
    if (d->country_tree)
        GEOSSTRtree_destroy_r(d->geos, d->country_tree);
    for (size_t i = 0; d->prepared && i < bm_boundaries_count(d->boundaries); i++)
        if (d->prepared[i])
            GEOSPreparedGeom_destroy_r(d->geos, d->prepared[i]);
    free(d->prepared);
    free(d->country_index);
    free(d->nodes);
    free(d->pieces);
    proj_destroy(d->cart);
    if (d->proj_ctx)
        proj_context_destroy(d->proj_ctx);
    free(d);
}

int bm_border_distance_query(bm_border_distance *d, double lon, double lat,
                             bm_border_answer *out)
{
    memset(out, 0, sizeof *out);
    out->km = -1;
    double p[3], best = 0;
    const piece *found = NULL;
    if (d->n_pieces > 0 && to_ecef(d, lon, lat, p) == 0)
        found = search(d, p, lon, lat, &best);
    if (found) {
        const bm_frontier *fr = bm_frontiers_at(d->frontiers, found->frontier);
        out->km = best / 1000.0;
        out->frontier = fr;
        out->frontier_index = found->frontier;
        bm_frontier_name(fr, out->frontier_name, sizeof out->frontier_name);
        snprintf(out->frontier_iso, sizeof out->frontier_iso, "%s-%s", fr->iso_a, fr->iso_b);
    }
    return find_country(d, lon, lat, out->in_country);
}
