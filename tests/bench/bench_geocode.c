/*
 * bench_geocode.c — how fast the geocoder loads and resolves names.
 *
 * Draws 100,000 town names from the embedded gazetteer (a fixed seed) and
 * spells them the ways analysts do: as written, upper case, diacritics
 * stripped, hyphenated, or in Cyrillic. Times separately: loading the
 * gazetteer, resolving the names in memory on one core, and the catalog
 * round trip (writing the CSV, reading it, geocoding it, writing GeoJSON).
 *
 *   cmake --build build --target bench_geocode && build/tests/bench_geocode [N] [DIR]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "gazetteer.h"
#include "geocode.h"
#include "normalize.h"

#define NAME_MAX_LEN 256

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long next_random(unsigned long *state)
{
    *state = *state * 6364136223846793005UL + 1442695040888963407UL;
    return *state >> 33;
}

/* Latin -> Cyrillic for folded ASCII words, digraphs first. */
static void to_cyrillic(const char *latin, char *out, size_t size)
{
    static const char *const pairs[][2] = {
        {"shch", "щ"}, {"kh", "х"}, {"zh", "ж"}, {"ts", "ц"}, {"ch", "ч"}, {"sh", "ш"},
        {"yu", "ю"},   {"ya", "я"}, {"a", "а"},  {"b", "б"},  {"v", "в"},  {"g", "г"},
        {"d", "д"},    {"e", "е"},  {"z", "з"},  {"i", "и"},  {"y", "ы"},  {"k", "к"},
        {"l", "л"},    {"m", "м"},  {"n", "н"},  {"o", "о"},  {"p", "п"},  {"r", "р"},
        {"s", "с"},    {"t", "т"},  {"u", "у"},  {"f", "ф"},  {"h", "х"},  {"c", "к"},
        {"j", "дж"},   {"q", "к"},  {"w", "в"},  {"x", "кс"},
    };
    size_t len = 0;
    while (*latin && len + 8 < size) {
        size_t i = 0, n = sizeof pairs / sizeof *pairs;
        while (i < n && strncmp(latin, pairs[i][0], strlen(pairs[i][0])) != 0)
            i++;
        const char *s = i < n ? pairs[i][1] : (char[]){*latin, '\0'};
        latin += i < n ? strlen(pairs[i][0]) : 1;
        len += (size_t)snprintf(out + len, size - len, "%s", s);
    }
    out[len] = '\0';
}

static void spell(const char *name, int variant, char *out, size_t size)
{
    char folded[NAME_MAX_LEN];
    bm_normalize_words(name, folded, sizeof folded);
    switch (variant) {
    case 0: /* as written */
        snprintf(out, size, "%s", name);
        break;
    case 1: /* upper case */
        snprintf(out, size, "%s", name);
        for (char *p = out; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
        break;
    case 2: /* diacritics stripped */
        snprintf(out, size, "%s", folded);
        break;
    case 3: /* words hyphenated */
        snprintf(out, size, "%s", folded);
        for (char *p = out; *p; p++)
            if (*p == ' ')
                *p = '-';
        break;
    default: /* Cyrillic */
        to_cyrillic(folded, out, size);
    }
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    GEOSContextHandle_t geos = GEOS_init_r();
    bm_error err;
    bm_error_clear(&err);

    double t0 = now();
    bm_gazetteer *g = bm_gazetteer_load(geos, &err);
    double t_load = now() - t0;
    if (!g) {
        fprintf(stderr, "load failed: %s\n", err.message);
        return 1;
    }
    size_t n_towns = 0;
    while (n_towns < bm_gazetteer_count(g) && bm_gazetteer_at(g, n_towns)->kind != BM_PLACE_TOWN)
        n_towns++;
    size_t first = n_towns;
    while (n_towns < bm_gazetteer_count(g) && bm_gazetteer_at(g, n_towns)->kind == BM_PLACE_TOWN)
        n_towns++;
    n_towns -= first;

    char (*names)[NAME_MAX_LEN] = malloc(n * sizeof *names);
    const bm_place **truth = malloc(n * sizeof *truth);
    unsigned long seed = 42;
    for (size_t i = 0; i < n; i++) {
        truth[i] = bm_gazetteer_at(g, first + next_random(&seed) % n_towns);
        int variant = (int)(next_random(&seed) % 10);
        spell(truth[i]->name, variant < 9 ? variant % 4 : 4, names[i], NAME_MAX_LEN);
    }

    /* Resolution alone, in memory, one core. */
    size_t found = 0, same = 0;
    t0 = now();
    for (size_t i = 0; i < n; i++) {
        bm_match m;
        bm_geocode_text(g, names[i], NULL, NULL, &m, &err);
        if (m.best.kind == BM_MATCH_NONE)
            continue;
        found++;
        same += fabs(m.best.lat - truth[i]->lat) < 0.1 && fabs(m.best.lon - truth[i]->lon) < 0.1;
    }
    double t_resolve = now() - t0;

    /* The catalog round trip. */
    char csv[1024], out[1024];
    snprintf(csv, sizeof csv, "%s/bench_geocode.csv", dir);
    snprintf(out, sizeof out, "%s/bench_geocode.geojson", dir);
    t0 = now();
    FILE *f = fopen(csv, "w");
    if (!f)
        return 1;
    fprintf(f, "event_id_cnty,country,location,latitude,longitude\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "B%zu,%s,\"%s\",,\n", i, truth[i]->country, names[i]);
    fclose(f);
    double t_write_csv = now() - t0;
    t0 = now();
    bm_catalog *c = bm_catalog_read(csv, &err);
    double t_read = now() - t0;
    bm_geocode_summary sum = {0};
    t0 = now();
    bm_lazy_gazetteer lg = {.geos = geos, .g = g};
    bm_match *m = c ? bm_geocode_catalog(&lg, c, 0, &sum, &err) : NULL;
    double t_catalog = now() - t0;
    t0 = now();
    bm_status st = m ? bm_geocode_write(c, m, out, &err) : BM_ERR_RUNTIME;
    double t_write = now() - t0;
    if (st != BM_OK)
        fprintf(stderr, "catalog round trip failed: %s\n", err.message);

    printf("gazetteer load:            %.3f s (%zu places)\n", t_load, bm_gazetteer_count(g));
    printf("resolve %zu names:     %.3f s = %.0f names/s (one core, no hints)\n", n, t_resolve,
           (double)n / t_resolve);
    printf("  resolved %.1f%%, to the drawn place (within 0.1 deg) %.1f%%\n",
           100.0 * (double)found / (double)n, 100.0 * (double)same / (double)n);
    printf("write CSV:                 %.3f s\n", t_write_csv);
    printf("read catalog (OGR):        %.3f s\n", t_read);
    printf("geocode catalog (hints):   %.3f s = %.0f rows/s (%zu ambiguous, %zu unresolved)\n",
           t_catalog, (double)n / t_catalog, sum.ambiguous, sum.unresolved);
    printf("write GeoJSON:             %.3f s\n", t_write);
    free(m);
    bm_catalog_free(c);
    free(names);
    free(truth);
    bm_gazetteer_free(g);
    GEOS_finish_r(geos);
    return st == BM_OK ? 0 : 1;
}
