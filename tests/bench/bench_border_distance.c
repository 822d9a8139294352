/*
 * bench_border_distance.c — distance to the nearest land frontier and
 * the country of 1,000,000 random points in the Central Asia box (46–88°E,
 * 30–56°N), on one core, after building the index over all embedded
 * frontiers. Usage: bench_border_distance [POINTS] (default 1000000).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "context.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A fixed sequence in [0, 1) (xorshift64), so every run asks the same. */
static double uniform(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return (double)(*x >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    long points = argc > 1 ? atol(argv[1]) : 1000000;
    bm_error err;
    bm_error_clear(&err);
    bm_context *ctx = bm_context_create(&err);
    double t0 = now();
    bm_border_distance *bd = ctx ? bm_context_border_distance(ctx, &err) : NULL;
    double t1 = now();
    if (!bd) {
        fprintf(stderr, "bench_border_distance: %s\n", err.message);
        return 1;
    }
    uint64_t seed = 2026;
    double sum_km = 0;
    long at_sea = 0;
    for (long i = 0; i < points; i++) {
        bm_border_answer a;
        double lon = 46.0 + 42.0 * uniform(&seed), lat = 30.0 + 26.0 * uniform(&seed);
        if (bm_border_distance_query(bd, lon, lat, &a) != 0) {
            fprintf(stderr, "bench_border_distance: query failed at %f %f\n", lon, lat);
            return 1;
        }
        sum_km += a.km;
        at_sea += a.in_country[0] == '\0';
    }
    double t2 = now();
    printf("frontiers %zu; index built in %.2f s (frontiers computed included)\n",
           bm_frontiers_count(bm_context_frontiers(ctx, NULL, 0, &err)), t1 - t0);
    printf("%ld points in %.2f s: %.2f us a point (mean distance %.1f km, %ld at sea)\n",
           points, t2 - t1, (t2 - t1) / (double)points * 1e6, sum_km / (double)points, at_sea);
    bm_context_free(ctx);
    return 0;
}
