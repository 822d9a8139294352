/*
 * bench_frontiers.c — time to compute every frontier of the embedded
 * countries on one core, split into loading and computing, with peak
 * memory. Usage: bench_frontiers [REPEATS] (the best run is reported).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "boundaries.h"
#include "frontiers.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 3;
    double best_load = 1e9, best_compute = 1e9;
    size_t countries = 0, frontiers = 0;
    for (int r = 0; r < repeats; r++) {
        GEOSContextHandle_t geos = GEOS_init_r();
        bm_error err;
        double t0 = now();
        bm_boundaries *b = bm_boundaries_load(geos, bm_boundaries_default_path(), &err);
        double t1 = now();
        bm_frontiers *f = b ? bm_frontiers_compute(geos, b, NULL, 0, NULL, &err) : NULL;
        double t2 = now();
        if (!f) {
            fprintf(stderr, "bench_frontiers: %s\n", err.message);
            return 1;
        }
        countries = bm_boundaries_count(b);
        frontiers = bm_frontiers_count(f);
        best_load = t1 - t0 < best_load ? t1 - t0 : best_load;
        best_compute = t2 - t1 < best_compute ? t2 - t1 : best_compute;
        bm_frontiers_free(f);
        bm_boundaries_free(b);
        GEOS_finish_r(geos);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("countries %zu, frontiers %zu, tolerance %.0f m\n", countries, frontiers,
           BM_FRONTIER_DEFAULT_TOLERANCE_M);
    printf("load %.3f s, compute %.3f s, total %.3f s (best of %d), peak RSS %ld MB\n",
           best_load, best_compute, best_load + best_compute, repeats, ru.ru_maxrss / 1024);
    return 0;
}
