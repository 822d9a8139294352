/*
 * projection.c — PROJ transformations for points and GEOS geometries.
 */
#include "projection.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proj.h>

struct bm_projection {
    PJ_CONTEXT *ctx;
    PJ *pj;
};

static bm_projection *from_pipeline(PJ_CONTEXT *ctx, PJ *raw, const char *definition,
                                    bm_error *err)
{
    if (!raw) {
        bm_error_set(err, BM_ERR_USAGE, NULL, 0, "crs", "PROJ does not accept '%s': %s",
                     definition, proj_context_errno_string(ctx, proj_context_errno(ctx)));
        proj_context_destroy(ctx);
        return NULL;
    }
    /* Make the axis order lon/lat and x/y whatever the CRS's authority says. */
    PJ *pj = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    bm_projection *p = pj ? calloc(1, sizeof *p) : NULL;
    if (!p) {
        if (pj)
            proj_destroy(pj);
        proj_context_destroy(ctx);
        bm_error_set(err, BM_ERR_USAGE, NULL, 0, "crs", "cannot set up projection '%s'",
                     definition);
        return NULL;
    }
    p->ctx = ctx;
    p->pj = pj;
    return p;
}

/* For a PROJ string that is a plain projection of the WGS 84 ellipsoid
 * (the fitted conic, "+proj=laea +lat_0=40 +lon_0=66 +datum=WGS84"), the
 * operation proj_create_crs_to_crs finds, without its axis swap: degrees
 * to radians, then the projection. Writing it down skips the search in
 * proj.db (a fifth of a small map's start-up and 5 MB of SQLite cache);
 * anything else (EPSG codes, other datums, grids, units, geographic
 * targets) is left to the search. Returns 0 with the pipeline in buf. */
static int direct_pipeline(const char *def, char *buf, size_t size)
{
    static const char *const params[] = {"lat_0=", "lat_1=", "lat_2=", "lon_0=", "lat_ts=", "k=",
                                         "k_0=", "x_0=", "y_0=", "zone=", "south", NULL};
    static const char *const geographic[] = {"longlat", "latlong", "lonlat", "latlon",
                                             "geocent", "cart", "pipeline", NULL};
    char copy[512];
    int wgs84 = 0, proj = 0;
    size_t n = (size_t)snprintf(buf, size, "+proj=pipeline +step +proj=unitconvert +xy_in=deg "
                                           "+xy_out=rad +step");
    if (snprintf(copy, sizeof copy, "%s", def) >= (int)sizeof copy)
        return -1;
    for (char *save = NULL, *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (t[0] != '+')
            return -1;
        t++;
        if (strcmp(t, "no_defs") == 0 || strcmp(t, "type=crs") == 0 || strcmp(t, "units=m") == 0)
            continue;
        if (strcmp(t, "datum=WGS84") == 0 || strcmp(t, "ellps=WGS84") == 0) {
            wgs84++;
            continue;
        }
        int ok = 0;
        if (strncmp(t, "proj=", 5) == 0 && !proj++) {
            ok = 1;
            for (const char *const *g = geographic; *g; g++)
                ok = ok && strcmp(t + 5, *g) != 0;
        }
        for (const char *const *p = params; !ok && *p; p++)
            ok = strncmp(t, *p, strlen(*p)) == 0 && (strchr(*p, '=') || !t[strlen(*p)]);
        if (!ok)
            return -1;
        n += (size_t)snprintf(buf + n, n < size ? size - n : 0, " +%s", t);
    }
    n += (size_t)snprintf(buf + n, n < size ? size - n : 0, " +ellps=WGS84");
    return proj == 1 && wgs84 == 1 && n < size ? 0 : -1;
}

/* Whether a PROJ string's "+proj=NAME" is a map projection (lon/lat in
 * radians in, x/y out) or a geographic one; 1 for any other definition.
 * PROJ takes "+proj=affine +datum=WGS84" for a projected CRS, and
 * "+proj=helmert" would pass through the direct pipeline. */
static int is_map_projection(PJ_CONTEXT *ctx, const char *def, char *op, size_t size)
{
    static const char *const geographic[] = {"longlat", "latlong", "lonlat", "latlon", NULL};
    const char *at = strstr(def, "+proj=");
    if (!at)
        return 1;
    at += strlen("+proj=");
    snprintf(op, size, "%.*s", (int)strcspn(at, " \t"), at);
    for (const char *const *g = geographic; *g; g++)
        if (strcmp(op, *g) == 0)
            return 1;
    /* The operation alone is the definition less "+type=crs"; one PROJ
     * refuses (lat_1 = -lat_2) is left for PROJ's own message. */
    char *copy = strdup(def), *type = copy ? strstr(copy, "+type=crs") : NULL;
    if (type)
        memset(type, ' ', strlen("+type=crs"));
    PJ *pj = copy ? proj_create(ctx, copy) : NULL;
    free(copy);
    if (!pj)
        return 1;
    int ok = proj_angular_input(pj, PJ_FWD) && !proj_angular_output(pj, PJ_FWD);
    proj_destroy(pj);
    return ok;
}

/* A map is drawn in a projected or a geographic 2D CRS (a bound CRS is
 * judged by its base); a geocentric, vertical, compound or engineering
 * CRS would give x/y that are not a map, with no error from PROJ. */
static int is_map_crs(PJ_CONTEXT *ctx, PJ *op, char *kind, size_t size)
{
    PJ *crs = proj_get_target_crs(ctx, op);
    if (crs && proj_get_type(crs) == PJ_TYPE_BOUND_CRS) {
        PJ *base = proj_get_source_crs(ctx, crs);
        proj_destroy(crs);
        crs = base;
    }
    PJ_TYPE type = crs ? proj_get_type(crs) : PJ_TYPE_UNKNOWN;
    static const struct {
        PJ_TYPE type;
        const char *name;
    } names[] = {{PJ_TYPE_GEOCENTRIC_CRS, "a geocentric CRS"},
                 {PJ_TYPE_GEOGRAPHIC_3D_CRS, "a geographic 3D CRS"},
                 {PJ_TYPE_VERTICAL_CRS, "a vertical CRS"},
                 {PJ_TYPE_COMPOUND_CRS, "a compound CRS"},
                 {PJ_TYPE_TEMPORAL_CRS, "a temporal CRS"},
                 {PJ_TYPE_ENGINEERING_CRS, "an engineering CRS"}};
    snprintf(kind, size, "not a coordinate reference system");
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].type == type)
            snprintf(kind, size, "%s", names[i].name);
    if (crs)
        proj_destroy(crs);
    return type == PJ_TYPE_PROJECTED_CRS || type == PJ_TYPE_GEOGRAPHIC_2D_CRS;
}

bm_projection *bm_projection_create(const char *definition, bm_error *err)
{
    PJ_CONTEXT *ctx = proj_context_create();
    proj_log_level(ctx, PJ_LOG_NONE);
    char pipeline[768], op[64];
    if (!is_map_projection(ctx, definition, op, sizeof op)) {
        proj_context_destroy(ctx);
        bm_error_set(err, BM_ERR_USAGE, NULL, 0, "crs",
                     "'%s': '+proj=%s' is not a map projection", definition, op);
        return NULL;
    }
    if (direct_pipeline(definition, pipeline, sizeof pipeline) == 0) {
        PJ *pj = proj_create(ctx, pipeline);
        bm_projection *p = pj ? calloc(1, sizeof *p) : NULL;
        if (p) {
            p->ctx = ctx;
            p->pj = pj;
            return p;
        }
        if (pj)
            proj_destroy(pj);
    }
    PJ *raw = proj_create_crs_to_crs(ctx, "EPSG:4326", definition, NULL);
    char kind[64];
    if (raw && !is_map_crs(ctx, raw, kind, sizeof kind)) {
        proj_destroy(raw);
        proj_context_destroy(ctx);
        bm_error_set(err, BM_ERR_USAGE, NULL, 0, "crs",
                     "'%s' is %s: a map needs a projected or a geographic 2D CRS", definition,
                     kind);
        return NULL;
    }
    return from_pipeline(ctx, raw, definition, err);
}

/* A projection owning ctx and pj; when pj is NULL or memory is short,
 * both are released and NULL is returned. */
static bm_projection *owning(PJ_CONTEXT *ctx, PJ *pj)
{
    bm_projection *p = pj ? calloc(1, sizeof *p) : NULL;
    if (!p) {
        if (pj)
            proj_destroy(pj);
        proj_context_destroy(ctx);
        return NULL;
    }
    p->ctx = ctx;
    p->pj = pj;
    return p;
}

bm_projection *bm_projection_clone(const bm_projection *p)
{
    PJ_CONTEXT *ctx = proj_context_create();
    if (!ctx)
        return NULL;
    proj_log_level(ctx, PJ_LOG_NONE);
    return owning(ctx, proj_clone(ctx, p->pj));
}

bm_projection *bm_projection_local(double lon0, double lat0)
{
    /* A bare operation, not a CRS-to-CRS search: no proj.db query, which
     * matters when a projection is made for every pair of countries. */
    char def[256];
    snprintf(def, sizeof def,
             "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
             "+step +proj=aeqd +lat_0=%.9f +lon_0=%.9f +ellps=WGS84",
             lat0, lon0);
    PJ_CONTEXT *ctx = proj_context_create();
    if (!ctx)
        return NULL;
    proj_log_level(ctx, PJ_LOG_NONE);
    return owning(ctx, proj_create(ctx, def));
}

void bm_projection_free(bm_projection *p)
{
    if (!p)
        return;
    proj_destroy(p->pj);
    proj_context_destroy(p->ctx);
    free(p);
}

static int transform(bm_projection *p, PJ_DIRECTION dir, double a, double b,
                     double *x, double *y)
{
    PJ_COORD c = proj_coord(a, b, 0, 0);
    PJ_COORD r = proj_trans(p->pj, dir, c);
    if (!isfinite(r.xy.x) || !isfinite(r.xy.y) || r.xy.x == HUGE_VAL)
        return -1;
    *x = r.xy.x;
    *y = r.xy.y;
    return 0;
}

int bm_projection_forward(bm_projection *p, double lon, double lat, double *x, double *y)
{
    return transform(p, PJ_FWD, lon, lat, x, y);
}

int bm_projection_inverse(bm_projection *p, double x, double y, double *lon, double *lat)
{
    return transform(p, PJ_INV, x, y, lon, lat);
}

static int forward_xy(double *x, double *y, void *userdata)
{
    return bm_projection_forward(userdata, *x, *y, x, y) == 0;
}

static int inverse_xy(double *x, double *y, void *userdata)
{
    return bm_projection_inverse(userdata, *x, *y, x, y) == 0;
}

GEOSGeometry *bm_projection_forward_geom(bm_projection *p, GEOSContextHandle_t geos,
                                         const GEOSGeometry *g)
{
    return GEOSGeom_transformXY_r(geos, g, forward_xy, p);
}

GEOSGeometry *bm_projection_inverse_geom(bm_projection *p, GEOSContextHandle_t geos,
                                         const GEOSGeometry *g)
{
    return GEOSGeom_transformXY_r(geos, g, inverse_xy, p);
}

int bm_projection_box_bounds(bm_projection *p, const double extent[4], double b[4])
{
    const double *e = extent;
    b[0] = b[1] = INFINITY, b[2] = b[3] = -INFINITY;
    for (int i = 0; i <= 64; i++) {
        double t = i / 64.0, lons[4] = {e[0] + t * (e[2] - e[0]), e[0] + t * (e[2] - e[0]), e[0], e[2]};
        double lats[4] = {e[1], e[3], e[1] + t * (e[3] - e[1]), e[1] + t * (e[3] - e[1])};
        for (int k = 0; k < 4; k++) {
            double x, y;
            if (bm_projection_forward(p, lons[k], lats[k], &x, &y))
                continue;
            b[0] = fmin(b[0], x), b[1] = fmin(b[1], y), b[2] = fmax(b[2], x), b[3] = fmax(b[3], y);
        }
    }
    return b[0] < b[2] && b[1] < b[3] ? 0 : -1;
}

void bm_projection_fit_frame(const double b[4], double w, double h, double out[4])
{
    double scale = fmin(w / (b[2] - b[0]), h / (b[3] - b[1]));
    double cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
    out[0] = cx - w / 2 / scale, out[1] = cy - h / 2 / scale;
    out[2] = cx + w / 2 / scale, out[3] = cy + h / 2 / scale;
}

/* Degrees as the map's credits write them: "33.7°N". */
static void format_deg(char *buf, size_t size, double v, const char *pos, const char *neg)
{
    snprintf(buf, size, "%.1f°%s", fabs(v), v >= 0 ? pos : neg);
}

/* The conic suits the middle latitudes only: its standard parallels lie
 * a sixth of the way in from the extent's edges, and an extent centred on
 * the equator puts them on one circle each side (lat_1 = -lat_2), which
 * PROJ refuses. Nearer the equator than EQUATORIAL_DEG the map is a
 * Mercator, further than POLAR_DEG a polar stereographic: both conformal,
 * as the conic is, and both defined for every extent the style allows
 * (latitudes within ±85°). */
#define EQUATORIAL_DEG 15.0
#define POLAR_DEG 70.0

char *bm_projection_fitted(const double extent[4], char *buf, size_t size, char *name,
                           size_t name_size)
{
    const double *e = extent;
    double lat0 = (e[1] + e[3]) / 2, lon0 = (e[0] + e[2]) / 2;
    char a[32], b[32], c[32];
    format_deg(c, sizeof c, lon0, "E", "W");
    if (fabs(lat0) < EQUATORIAL_DEG) {
        snprintf(buf, size, "+proj=merc +lon_0=%.4f +datum=WGS84 +units=m +no_defs +type=crs",
                 lon0);
        snprintf(name, name_size, "Mercator, central meridian %s", c);
    } else if (fabs(lat0) >= POLAR_DEG) {
        /* True scale at the extent's middle latitude. */
        snprintf(buf, size,
                 "+proj=stere +lat_0=%d +lat_ts=%.4f +lon_0=%.4f +datum=WGS84 +units=m "
                 "+no_defs +type=crs",
                 lat0 > 0 ? 90 : -90, lat0, lon0);
        format_deg(a, sizeof a, lat0, "N", "S");
        snprintf(name, name_size, "polar stereographic, true scale at %s, central meridian %s",
                 a, c);
    } else {
        double lat1 = e[1] + (e[3] - e[1]) / 6, lat2 = e[3] - (e[3] - e[1]) / 6;
        snprintf(buf, size,
                 "+proj=lcc +lat_1=%.4f +lat_2=%.4f +lat_0=%.4f +lon_0=%.4f +datum=WGS84 "
                 "+units=m +no_defs +type=crs",
                 lat1, lat2, lat0, lon0);
        format_deg(a, sizeof a, lat1, "N", "S");
        format_deg(b, sizeof b, lat2, "N", "S");
        snprintf(name, name_size,
                 "Lambert conformal conic, standard parallels %s and %s, central meridian %s", a,
                 b, c);
    }
    return buf;
}
