/*
 * hello.c — a program built against the installed library: it prints the
 * version and data directory, measures the Afghan–Tajik frontier through a
 * map context and checks it against the published length, then renders
 * the installed default style to the PNG named on the command line.
 */
#include <math.h>
#include <stdio.h>

#include <bordermap.h>

/* CIA World Factbook, as in tests/unit/test_frontiers.c. */
#define AFG_TJK_KM 1357.0

static int fail(const bm_error *err)
{
    char msg[1400];
    bm_error_format(err, msg, sizeof msg);
    fprintf(stderr, "hello: %s\n", msg);
    return 1;
}

static int render(bm_context *ctx, const char *out, bm_error *err)
{
    char path[1024];
    bm_style *style = bm_style_load(bm_style_path("central-asia.json", path, sizeof path), err);
    bm_map *map = style ? bm_map_create(ctx, style, NULL, err) : NULL;
    bm_status st = map ? bm_map_write(map, out, err) : err->status;
    bm_map_free(map);
    bm_style_free(style);
    return st == BM_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    printf("bordermap %s\ndata: %s\n", bm_version(), bm_data_dir());
    bm_error err;
    bm_error_clear(&err);
    bm_context *ctx = bm_context_create(&err);
    const char *isos[] = {"AFG", "TJK"};
    const bm_frontiers *f = ctx ? bm_context_frontiers(ctx, isos, 2, &err) : NULL;
    const bm_frontier *fr = f ? bm_frontiers_find(f, "AFG", "TJK") : NULL;
    if (!fr) {
        bm_context_free(ctx);
        return fail(&err);
    }
    printf("Afghanistan-Tajikistan: %.1f km\n", fr->length_km);
    int ok = fabs(fr->length_km - AFG_TJK_KM) / AFG_TJK_KM < 0.01;
    if (ok && argc > 1 && render(ctx, argv[1], &err) != 0)
        ok = !fail(&err);
    bm_context_free(ctx);
    return ok ? 0 : 1;
}
