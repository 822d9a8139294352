/*
 * hello.c — a program built against the installed library: it prints the
 * version and data directory, then measures the Afghan–Tajik frontier on
 * the installed boundaries and checks it against the published length.
 */
#include <math.h>
#include <stdio.h>

#include <bordermap.h>

/* CIA World Factbook, as in tests/unit/test_frontiers.c. */
#define AFG_TJK_KM 1357.0

static void quiet(const char *fmt, ...)
{
    (void)fmt;
}

static double afg_tjk_km(GEOSContextHandle_t geos, bm_error *err)
{
    double km = -1;
    bm_boundaries *b = bm_boundaries_load(geos, bm_boundaries_default_path(), err);
    const char *isos[] = {"AFG", "TJK"};
    bm_frontiers *f = b ? bm_frontiers_compute(geos, b, isos, 2, NULL, err) : NULL;
    const bm_frontier *fr = f ? bm_frontiers_find(f, "AFG", "TJK") : NULL;
    if (fr)
        km = fr->length_km;
    bm_frontiers_free(f);
    bm_boundaries_free(b);
    return km;
}

int main(void)
{
    printf("bordermap %s\ndata: %s\n", bm_version(), bm_data_dir());
    GEOSContextHandle_t geos = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(geos, quiet);
    GEOSContext_setErrorHandler_r(geos, quiet);
    bm_error err;
    bm_error_clear(&err);
    double km = afg_tjk_km(geos, &err);
    GEOS_finish_r(geos);
    if (km < 0) {
        char msg[1400];
        bm_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "hello: %s\n", msg);
        return 1;
    }
    printf("Afghanistan-Tajikistan: %.1f km\n", km);
    return fabs(km - AFG_TJK_KM) / AFG_TJK_KM < 0.01 ? 0 : 1;
}
