/*
 * bench_extract.c — how fast extract reads news text once the gazetteer
 * is loaded.
 *
 * Extracts MB megabytes (default 10) of news text: the ARTICLE files
 * given, each read as an article, over and over; or, without files, text
 * of our own far denser in events than news (a candidate row every 160
 * bytes; the five source articles have one every 700): sentences with
 * event cues, dates, counts and places drawn from the embedded
 * gazetteer's towns (a fixed seed), sentences with places and no cue, and
 * filler, in articles of about 8 KB. Times loading the gazetteer (and
 * placing its countries, done on first use), then extracting every article and numbering the event groups
 * (bm_extract_text, bm_extract_finish) on one core.
 *
 *   cmake --build build --target bench_extract
 *   build/tests/bench_extract [MB] [ARTICLE...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract.h"
#include "gazetteer.h"

#define ARTICLE_BYTES 8192

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process: what the machine's other load does not inflate. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long next_random(unsigned long *state)
{
    *state = *state * 6364136223846793005UL + 1442695040888963407UL;
    return *state >> 33;
}

/* %s: a town. */
static const char *const templates[] = {
    "Border guards exchanged fire with smugglers near %s on Tuesday, officials said. ",
    "Police in %s detained three men suspected of planning attacks on 3 May. ",
    "Two soldiers were killed when militants attacked a post outside %s. ",
    "Officials met in %s to discuss water sharing and the price of electricity. ",
    "Troops were deployed to %s after the clash, the ministry said in a statement. ",
    "Traders in %s said prices of flour and sugar rose again this spring. ",
    "The weather stayed mild in the valley while farmers waited for the rains. ",
    "Analysts said the talks would resume next month in the capital. ",
};
#define N_TEMPLATES (sizeof templates / sizeof *templates)

/* Town names of the gazetteer, sampled with a fixed seed. */
static size_t pick_towns(const bm_gazetteer *g, const char **towns, size_t max)
{
    unsigned long state = 42;
    size_t n = 0, count = bm_gazetteer_count(g);
    for (size_t tries = 0; n < max && tries < 100 * max; tries++) {
        const bm_place *p = bm_gazetteer_at(g, next_random(&state) % count);
        if (p->kind == BM_PLACE_TOWN && strlen(p->name) < 40)
            towns[n++] = p->name;
    }
    return n;
}

/* The files' texts, repeated to at least bytes, NUL after each article. */
static char *read_articles(char **paths, int n, size_t bytes, size_t *articles)
{
    char *text = malloc(bytes + 1);
    size_t len = 0;
    *articles = 0;
    for (int i = 0; text && len < bytes; i = (i + 1) % n) {
        FILE *f = fopen(paths[i], "rb");
        if (!f) {
            perror(paths[i]);
            free(text);
            return NULL;
        }
        size_t got = fread(text + len, 1, bytes - len, f);
        fclose(f);
        if (got == 0 || memchr(text + len, '\0', got))
            break; /* an empty file or one with NUL bytes is no article */
        len += got;
        text[len++] = '\0';
        ++*articles;
        char *grown = realloc(text, len + bytes + 1);
        if (!grown)
            free(text);
        text = grown;
    }
    return text;
}

/* Articles of about ARTICLE_BYTES, separated by NUL bytes, in one buffer. */
static char *write_text(const char **towns, size_t n_towns, size_t bytes, size_t *articles)
{
    char *text = malloc(bytes + 2 * ARTICLE_BYTES);
    unsigned long state = 7;
    size_t len = 0, in_article = 0, sentences = 0;
    *articles = 0;
    while (text && len < bytes) {
        const char *t = templates[next_random(&state) % N_TEMPLATES];
        const char *town = towns[next_random(&state) % n_towns];
        len += (size_t)sprintf(text + len, t, town);
        if (++sentences % 4 == 0)
            len += (size_t)sprintf(text + len, "\n\n");
        if (len - in_article > ARTICLE_BYTES) {
            text[len++] = '\0';
            in_article = len;
            ++*articles;
        }
    }
    if (text && len > in_article) {
        text[len++] = '\0';
        ++*articles;
    }
    return text;
}

int main(int argc, char **argv)
{
    double mb = argc > 1 ? atof(argv[1]) : 10.0;
    bm_error err;
    bm_error_clear(&err);
    GEOSContextHandle_t geos = GEOS_init_r();
    double t0 = now();
    bm_gazetteer *g = bm_gazetteer_load(geos, &err);
    if (!g) {
        fprintf(stderr, "bench_extract: %s\n", err.message);
        return 1;
    }
    double t_load = now() - t0;
    const char *towns[2000];
    size_t n_towns = pick_towns(g, towns, 2000), articles;
    size_t bytes = (size_t)(mb * 1e6);
    char *text = argc > 2 ? read_articles(argv + 2, argc - 2, bytes, &articles)
                          : write_text(towns, n_towns, bytes, &articles);
    if (!text || n_towns == 0)
        return 1;
    bm_error_clear(&err);
    bm_extract_rows rows = {0};
    bm_extract_options opt = {0};
    bm_civil_date anchor = {2021, 5, 12};
    t0 = now();
    /* Countries are placed (their polygons read and checked) on first use:
     * part of loading the gazetteer, done before the clock. */
    for (size_t i = 0; i < bm_gazetteer_count(g); i++) {
        const bm_place *p = bm_gazetteer_at(g, i);
        double lon, lat;
        if (p->kind == BM_PLACE_COUNTRY) /* one the polygons lack stays unplaced */
            bm_gazetteer_place(g, p, &lon, &lat, &err);
    }
    t_load += now() - t0;
    t0 = now();
    double c0 = cpu_now();
    size_t done = 0;
    for (size_t a = 0; a < articles; a++) {
        size_t len = strlen(text + done);
        if (bm_extract_text(g, text + done, len, "bench.txt", "bench", &anchor, &opt, &rows,
                            &err) != BM_OK) {
            fprintf(stderr, "bench_extract: %s\n", err.message);
            return 1;
        }
        done += len + 1;
    }
    if (bm_extract_finish(g, &rows, &err) != BM_OK)
        return 1;
    double t_extract = now() - t0, c_extract = cpu_now() - c0;
    printf("gazetteer load   %.2f s (with the countries placed)\n", t_load);
    printf("extract          %.2f s (CPU %.2f s) for %.1f MB in %zu articles (%.1f MB/s of "
           "CPU), %zu rows\n",
           t_extract, c_extract, (double)done / 1e6, articles, (double)done / 1e6 / c_extract,
           rows.n);
    bm_extract_rows_free(&rows);
    free(text);
    bm_gazetteer_free(g);
    GEOS_finish_r(geos);
    return 0;
}
