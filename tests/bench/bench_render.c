/*
 * bench_render.c — time to render a 3000x2000 PNG of Central Asia with
 * countries, frontiers and 100,000 incidents as circles, on one core, with
 * and without label placement, and as a heatmap weighted by fatalities. Split into preparing the map (loading,
 * frontiers, projection) and drawing it. The incidents are random but
 * seeded, so every run draws the same map.
 * Usage: bench_render [REPEATS] [OUT.png] (the best run is reported).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "context.h"
#include "render.h"
#include "style.h"

#define INCIDENTS 100000

static const char *style_json =
    "{\"sources\":{\"countries\":{\"type\":\"geodata\",\"data\":\"countries\"},"
    "\"frontiers\":{\"type\":\"frontiers\",\"countries\":[\"AFG\",\"TJK\",\"TKM\",\"UZB\"]},"
    "\"incidents\":{\"type\":\"catalog\"}},"
    "\"layers\":["
    "{\"type\":\"fill\",\"source\":\"countries\",\"paint\":{\"fill-color\":\"#f3f1ec\"}},"
    "{\"type\":\"line\",\"source\":\"countries\",\"paint\":{\"line-color\":\"#8f887c\"}},"
    "{\"type\":\"frontier\",\"source\":\"frontiers\",\"paint\":{\"line-color\":\"#00805c\","
    "\"line-width\":1.4}%s},"
    "{\"type\":\"symbol\",\"source\":\"countries\",\"layout\":{%s\"text-size\":10}},"
    "{\"type\":\"circle\",\"source\":\"incidents\",\"paint\":{\"circle-radius\":2,"
    "\"circle-color\":[\"match\",[\"get\",\"event_type\"],\"Battles\",\"#D55E00\","
    "\"Protests\",\"#009E73\",\"#0072B2\"]},\"layout\":{%s\"text-size\":6}}],"
    "\"page\":{\"size\":[3000,2000],\"dpi\":200,\"extent\":[46,30,88,52]}}";

/* The incidents as a heatmap instead of circles. */
static const char *heatmap_layer =
    "{\"type\":\"heatmap\",\"source\":\"incidents\",\"paint\":{\"heatmap-radius\":12,"
    "\"heatmap-weight\":[\"interpolate\",[\"linear\"],[\"get\",\"fatalities\"],0,0.2,9,1],"
    "\"heatmap-intensity\":0.02}}],";

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int write_catalog(const char *path)
{
    static const char *types[] = {"Battles", "Protests", "Strategic developments"};
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    srand(2016);
    fprintf(f, "event_id_cnty,event_type,location,latitude,longitude,fatalities\n");
    for (int i = 0; i < INCIDENTS; i++)
        fprintf(f, "B%d,%s,Place %d,%.5f,%.5f,%d\n", i, types[rand() % 3], i,
                30 + 22.0 * rand() / RAND_MAX, 46 + 42.0 * rand() / RAND_MAX, rand() % 10);
    return fclose(f);
}

/* mode 0: circles without labels, 1: with labels, 2: a heatmap. */
static int run(bm_context *ctx, int mode, const char *out, double *prep, double *paint)
{
    char json[4096];
    int labels = mode == 1;
    snprintf(json, sizeof json, style_json, labels ? "" : ",\"layout\":{\"text-field\":\"\"}",
             labels ? "\"text-field\":\"{name}\"," : "",
             labels ? "\"text-field\":\"{location}\"," : "");
    char *circles = strstr(json, "{\"type\":\"circle\"");
    if (mode == 2 && circles) {
        char *page = strstr(circles, "\"page\"");
        char rest[1024];
        snprintf(rest, sizeof rest, "%s", page);
        snprintf(circles, sizeof json - (size_t)(circles - json), "%s%s", heatmap_layer, rest);
    }
    bm_error err;
    bm_error_clear(&err);
    bm_style *s = bm_style_parse(json, "bench.json", &err);
    double t0 = now();
    bm_map *m = s ? bm_map_create(ctx, s, NULL, &err) : NULL;
    double t1 = now();
    if (!m || bm_map_write(m, out, &err) != BM_OK) {
        fprintf(stderr, "bench_render: %s %s\n", err.field, err.message);
        return -1;
    }
    double t2 = now();
    *prep = t1 - t0, *paint = t2 - t1;
    bm_map_free(m);
    bm_style_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 3;
    const char *out = argc > 2 ? argv[2] : "/tmp/bench_render.png";
    char csv[] = "/tmp/bench_render_XXXXXX.csv";
    int fd = mkstemps(csv, 4);
    bm_error err;
    if (fd < 0 || close(fd) || write_catalog(csv)) {
        fprintf(stderr, "bench_render: cannot write %s\n", csv);
        return 1;
    }
    double t0 = now();
    bm_context *ctx = bm_context_create(&err);
    bm_catalog *cat = ctx ? bm_context_read_catalog(ctx, csv, NULL, NULL, &err) : NULL;
    printf("reading the %d-row catalog: %.2f s (not counted below)\n", INCIDENTS, now() - t0);
    unlink(csv);
    if (!cat) {
        fprintf(stderr, "bench_render: %s\n", err.message);
        return 1;
    }
    static const char *modes[] = {"circles without labels", "circles with labels", "heatmap"};
    for (int mode = 0; mode < 3; mode++) {
        double best_prep = 1e9, best_paint = 1e9, best_total = 1e9, prep, paint;
        for (int r = 0; r < repeats; r++) {
            if (run(ctx, mode, out, &prep, &paint))
                return 1;
            if (prep + paint < best_total)
                best_total = prep + paint, best_prep = prep, best_paint = paint;
        }
        printf("%s: %.2f s (prepare %.2f s, draw and write PNG %.2f s), %d incidents, "
               "3000x2000\n", modes[mode], best_total, best_prep, best_paint, INCIDENTS);
    }
    bm_context_free(ctx);
    return 0;
}
