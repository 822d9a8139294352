/*
 * batch.c — jobs files, up-to-date checks and the pool of worker
 * processes that renders a map series.
 *
 * Workers are forked processes rather than threads: each has its own
 * GDAL, GEOS, PROJ, fontconfig and cairo state, a crash or leak ends with
 * the worker, and the parent can stop one with a signal. The parent reads
 * and geocodes each catalog once before forking, so workers inherit it.
 * A worker reports its error through a pipe and its status as exit code.
 */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <geos_c.h>
#include <jansson.h>

#include "atomic_file.h"
#include "geocode.h"
#include "geodata.h"
#include "style.h"

struct bm_batch {
    char path[BM_BATCH_PATH];
    char dir[BM_BATCH_PATH];
    char out_root[BM_BATCH_PATH];
    bm_confine *confine, *own_confine;
    size_t n;
    bm_batch_job *jobs;
};

/* ---- jobs file ---------------------------------------------------------- */

typedef struct parser {
    const bm_batch *b;
    bm_error *err;
} parser;

static int fail(parser *ps, const char *path, const char *msg)
{
    bm_error_set(ps->err, BM_ERR_USAGE, ps->b->path, 0, path, "%s", msg);
    return -1;
}

/* JSON paths and file paths are cut at their buffer; a cut one still
 * names the place well enough for an error message. */
static void cat3(char *out, size_t size, const char *a, const char *sep, const char *b)
{
    if (snprintf(out, size, "%s%s%s", a, sep, b) >= (int)size)
        out[size - 1] = '\0';
}

/* An input the jobs file names, relative to its folder. Virtual file
 * systems and URLs are refused here, where the JSON path is known; where
 * the file resolves to is checked when the job runs. */
static int resolve(parser *ps, const char *rel, const char *path, char *out, size_t size)
{
    if (strncmp(rel, "/vsi", 4) == 0 || strstr(rel, "://"))
        return fail(ps, path, "GDAL virtual file systems and URLs are refused in a jobs file");
    if (snprintf(out, size, "%s%s%s", rel[0] == '/' ? "" : ps->b->dir, rel[0] == '/' ? "" : "/",
                 rel) >= (int)size)
        return fail(ps, path, "path too long (1023 bytes at most)");
    return 0;
}

static int get_string(parser *ps, json_t *v, const char *path, char *out, size_t size)
{
    char msg[64];
    if (!json_is_string(v))
        return fail(ps, path, "expected a string");
    snprintf(msg, sizeof msg, "too long (%zu bytes at most)", size - 1);
    if (json_string_length(v) >= size)
        return fail(ps, path, msg);
    snprintf(out, size, "%s", json_string_value(v));
    return 0;
}

static int get_numbers(parser *ps, json_t *v, const char *path, double *out, size_t n)
{
    if (!json_is_array(v) || json_array_size(v) != n)
        return fail(ps, path, n == 4 ? "expected [MINLON, MINLAT, MAXLON, MAXLAT]"
                                     : "expected [WIDTH, HEIGHT]");
    for (size_t i = 0; i < n; i++) {
        if (!json_is_number(json_array_get(v, i)))
            return fail(ps, path, "expected numbers");
        out[i] = json_number_value(json_array_get(v, i));
    }
    return 0;
}

/* A filter module's error, at path in the jobs file. */
static int filter_fail(parser *ps, const char *path, const bm_error *ferr)
{
    bm_error_set(ps->err, ferr->status, ps->b->path, 0, path, "%s", ferr->message);
    return -1;
}

typedef bm_status (*filter_add)(bm_filter *f, const char *name, bm_error *err);

/* A string (one item, commas and all) or an array of strings. */
static int filter_list(parser *ps, json_t *v, const char *path, bm_filter *f, filter_add add)
{
    size_t count = json_is_array(v) ? json_array_size(v) : 1;
    bm_error ferr;
    bm_error_clear(&ferr);
    for (size_t i = 0; i < count; i++) {
        json_t *s = json_is_array(v) ? json_array_get(v, i) : v;
        if (!json_is_string(s))
            return fail(ps, path, "expected a string or an array of strings");
        if (add(f, json_string_value(s), &ferr) != BM_OK)
            return filter_fail(ps, path, &ferr);
    }
    return 0;
}

/* [W, S, E, N] or "W,S,E,N". */
static int filter_bbox(parser *ps, json_t *v, const char *path, bm_filter *f, bm_error *ferr)
{
    char text[128];
    double e[4];
    if (json_is_array(v)) {
        int ok = json_array_size(v) == 4;
        for (size_t i = 0; ok && i < 4; i++) {
            ok = json_is_number(json_array_get(v, i));
            e[i] = json_number_value(json_array_get(v, i));
        }
        if (!ok)
            return fail(ps, path, "expected [W, S, E, N] or \"W,S,E,N\"");
        snprintf(text, sizeof text, "%.17g,%.17g,%.17g,%.17g", e[0], e[1], e[2], e[3]);
    } else if (get_string(ps, v, path, text, sizeof text)) {
        return -1;
    }
    return bm_filter_set_bbox(f, text, ferr) == BM_OK ? 0 : filter_fail(ps, path, ferr);
}

static int filter_key(parser *ps, const char *key, json_t *v, const char *path, bm_filter *f)
{
    bm_error ferr;
    bm_error_clear(&ferr);
    bm_status (*set)(bm_filter *, const char *, bm_error *) =
        strcmp(key, "from") == 0 ? bm_filter_set_from
        : strcmp(key, "to") == 0 ? bm_filter_set_to
        : strcmp(key, "where") == 0 ? bm_filter_set_where
                                    : NULL;
    if (strcmp(key, "country") == 0)
        return filter_list(ps, v, path, f, bm_filter_add_country);
    if (strcmp(key, "event_type") == 0)
        return filter_list(ps, v, path, f, bm_filter_add_event_type);
    if (strcmp(key, "bbox") == 0)
        return filter_bbox(ps, v, path, f, &ferr);
    if (!set)
        return fail(ps, path,
                    "unknown filter key (expected country, event_type, from, to, bbox, where)");
    if (!json_is_string(v))
        return fail(ps, path, "expected a string");
    return set(f, json_string_value(v), &ferr) == BM_OK ? 0 : filter_fail(ps, path, &ferr);
}

static int parse_filter(parser *ps, json_t *j, const char *base, bm_batch_job *job)
{
    const char *key;
    json_t *v;
    char path[256];
    cat3(job->filter_path, sizeof job->filter_path, base, "", "");
    if (!json_is_object(j))
        return fail(ps, base,
                    "expected an object with country, event_type, from, to, bbox, where");
    json_object_foreach(j, key, v) {
        cat3(path, sizeof path, base, ".", key);
        if (filter_key(ps, key, v, path, job->filter))
            return -1;
    }
    return 0;
}

static int check_extent(parser *ps, const double *e, const char *path)
{
    if (!(e[0] < e[2] && e[1] < e[3] && e[0] >= -180 && e[2] <= 180 && e[1] >= -85 &&
          e[3] <= 85))
        return fail(ps, path, "expected min < max, within ±180/±85 degrees");
    return 0;
}

static int check_size(parser *ps, const double *size, bm_render_options *o, const char *path)
{
    if (!(size[0] >= 16 && size[1] >= 16 && size[0] <= 20000 && size[1] <= 20000))
        return fail(ps, path, "expected a size from 16 to 20000 pixels");
    o->width = (int)size[0], o->height = (int)size[1];
    return 0;
}

static int parse_override(parser *ps, const char *key, json_t *v, const char *path,
                          bm_batch_job *job)
{
    bm_render_options *o = &job->render;
    double size[2];
    if (strcmp(key, "extent") == 0) {
        o->has_extent = 1;
        return get_numbers(ps, v, path, o->extent, 4) || check_extent(ps, o->extent, path);
    }
    if (strcmp(key, "size") == 0)
        return get_numbers(ps, v, path, size, 2) || check_size(ps, size, o, path);
    if (strcmp(key, "dpi") == 0) {
        o->dpi = json_number_value(v);
        return o->dpi >= 24 && o->dpi <= 2400 ? 0 : fail(ps, path, "expected 24 to 2400");
    }
    if (strcmp(key, "crs") == 0) {
        o->crs = job->crs;
        return get_string(ps, v, path, job->crs, sizeof job->crs);
    }
    if (strcmp(key, "title") == 0) {
        o->title = job->title;
        return get_string(ps, v, path, job->title, sizeof job->title);
    }
    if (strcmp(key, "filter") == 0)
        return parse_filter(ps, v, path, job);
    return fail(ps, path, "unknown override (expected extent, crs, title, size, dpi, filter)");
}

static int parse_overrides(parser *ps, json_t *j, const char *base, bm_batch_job *job)
{
    const char *key;
    json_t *v;
    char path[256];
    if (!json_is_object(j))
        return fail(ps, base, "expected an object");
    json_object_foreach(j, key, v) {
        cat3(path, sizeof path, base, ".", key);
        if (parse_override(ps, key, v, path, job))
            return -1;
    }
    return 0;
}

static int parse_outputs(parser *ps, json_t *j, const char *base, bm_batch_job *job)
{
    char path[256], rel[BM_BATCH_PATH];
    if (!json_is_array(j) || json_array_size(j) == 0)
        return fail(ps, base, "expected a non-empty array of output paths");
    job->n_outputs = json_array_size(j);
    job->outputs = calloc(job->n_outputs, sizeof *job->outputs);
    if (!job->outputs)
        return fail(ps, base, "out of memory");
    for (size_t i = 0; i < job->n_outputs; i++) {
        char index[32];
        snprintf(index, sizeof index, "[%zu]", i);
        cat3(path, sizeof path, base, "", index);
        if (get_string(ps, json_array_get(j, i), path, rel, sizeof rel))
            return -1;
        if (!bm_map_format_known(rel)) {
            char msg[128];
            snprintf(msg, sizeof msg, "unknown output format (use %s)", bm_map_format_list());
            return fail(ps, path, msg);
        }
        if (bm_confine_output(ps->b->out_root, rel, job->outputs[i], sizeof job->outputs[i],
                              ps->b->path, path, ps->err) != BM_OK)
            return -1;
    }
    return 0;
}

static int parse_job_key(parser *ps, const char *key, json_t *v, const char *path,
                         bm_batch_job *job)
{
    char rel[BM_BATCH_PATH];
    if (strcmp(key, "name") == 0)
        return get_string(ps, v, path, job->name, sizeof job->name);
    if (strcmp(key, "style") == 0 || strcmp(key, "catalog") == 0) {
        if (get_string(ps, v, path, rel, sizeof rel))
            return -1;
        if (strcmp(key, "style") == 0)
            return resolve(ps, rel, path, job->style, sizeof job->style);
        return resolve(ps, rel, path, job->catalog, sizeof job->catalog);
    }
    if (strcmp(key, "overrides") == 0)
        return parse_overrides(ps, v, path, job);
    if (strcmp(key, "outputs") == 0)
        return parse_outputs(ps, v, path, job);
    return fail(ps, path, "unknown job key (expected name, style, catalog, overrides, outputs)");
}

/* The job with the defaults filled in; overrides merge one level deep. */
static json_t *merged_job(json_t *job, json_t *defaults)
{
    json_t *m = json_deep_copy(job);
    if (!m || !defaults)
        return m;
    json_t *mo = json_object_get(m, "overrides"), *dov = json_object_get(defaults, "overrides");
    if (json_is_object(mo) && json_is_object(dov))
        json_object_update_missing(mo, dov);
    json_object_update_missing(m, defaults);
    return m;
}

static int parse_job(parser *ps, json_t *j, json_t *defaults, const char *base,
                     bm_batch_job *job)
{
    const char *key;
    json_t *v;
    char path[256];
    if (!json_is_object(j))
        return fail(ps, base, "expected a job object");
    json_t *m = merged_job(j, defaults);
    if (!m)
        return fail(ps, base, "out of memory");
    int r = 0;
    json_object_foreach(m, key, v) {
        cat3(path, sizeof path, base, ".", key);
        if ((r = parse_job_key(ps, key, v, path, job)) != 0)
            break;
    }
    if (!r && !job->style[0])
        r = fail(ps, base, "missing \"style\"");
    if (!r && !job->n_outputs)
        r = fail(ps, base, "missing \"outputs\"");
    if (!r)
        job->json = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(m);
    if (!r && !job->json)
        r = fail(ps, base, "out of memory");
    return r;
}

static int parse_root(parser *ps, bm_batch *b, json_t *root)
{
    json_t *jobs = root, *defaults = NULL;
    const char *prefix = "";
    if (json_is_object(root)) {
        const char *key;
        json_t *v;
        json_object_foreach(root, key, v)
            if (strcmp(key, "jobs") != 0 && strcmp(key, "defaults") != 0)
                return fail(ps, key, "unknown key (expected jobs, defaults)");
        jobs = json_object_get(root, "jobs"), defaults = json_object_get(root, "defaults");
        prefix = "jobs";
        if (defaults && !json_is_object(defaults))
            return fail(ps, "defaults", "expected an object");
    }
    if (!json_is_array(jobs))
        return fail(ps, prefix[0] ? prefix : "", "expected an array of jobs");
    b->n = json_array_size(jobs);
    b->jobs = calloc(b->n ? b->n : 1, sizeof *b->jobs);
    if (!b->jobs)
        return fail(ps, "", "out of memory");
    for (size_t i = 0; i < b->n; i++) {
        char base[64];
        snprintf(base, sizeof base, "%s[%zu]", prefix, i);
        bm_batch_job *job = &b->jobs[i];
        job->index = i;
        job->file = b->path;
        job->out_root = b->out_root;
        job->confine = b->confine;
        snprintf(job->base, sizeof job->base, "%s", base);
        snprintf(job->name, sizeof job->name, "job-%zu", i + 1);
        if (!(job->filter = bm_filter_new()))
            return fail(ps, base, "out of memory");
        if (parse_job(ps, json_array_get(jobs, i), defaults, base, job))
            return -1;
    }
    return 0;
}

bm_batch *bm_batch_load(const char *path, bm_error *err)
{
    return bm_batch_load_confined(path, NULL, NULL, err);
}

/* The paths of the batch; 0 or an error when one is too long. */
static int set_paths(bm_batch *b, const char *path, const char *out_root, bm_error *err)
{
    const char *slash = strrchr(path, '/');
    int too_long = snprintf(b->path, sizeof b->path, "%s", path) >= BM_BATCH_PATH;
    snprintf(b->dir, sizeof b->dir, "%.*s", slash ? (int)(slash - path + (slash == path)) : 1,
             slash ? path : ".");
    too_long |= snprintf(b->out_root, sizeof b->out_root, "%s", out_root ? out_root : b->dir) >=
                BM_BATCH_PATH;
    if (too_long)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL, "path too long (%d bytes at most)",
                            BM_BATCH_PATH - 1);
    return 0;
}

bm_batch *bm_batch_load_confined(const char *path, const char *out_root, bm_confine *confine,
                                 bm_error *err)
{
    bm_batch *b = calloc(1, sizeof *b);
    if (!b) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    b->confine = confine;
    if (!confine && !(b->confine = b->own_confine = bm_confine_create(err))) {
        free(b);
        return NULL;
    }
    if (set_paths(b, path, out_root, err) ||
        bm_confine_allow_folder_of(b->confine, b->path, err) != BM_OK) {
        bm_batch_free(b);
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    parser ps = {b, err};
    int r = -1;
    if (!root)
        bm_error_set(err, jerr.line > 0 ? BM_ERR_USAGE : BM_ERR_RUNTIME, path,
                     jerr.line > 0 ? jerr.line : 0, NULL, "%s", jerr.text);
    else
        r = parse_root(&ps, b, root);
    json_decref(root);
    if (r) {
        bm_batch_free(b);
        return NULL;
    }
    return b;
}

void bm_batch_free(bm_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        bm_filter_free(b->jobs[i].filter);
        free(b->jobs[i].outputs);
        free(b->jobs[i].json);
    }
    free(b->jobs);
    bm_confine_free(b->own_confine);
    free(b);
}

size_t bm_batch_count(const bm_batch *b)
{
    return b->n;
}

const bm_batch_job *bm_batch_at(const bm_batch *b, size_t i)
{
    return i < b->n ? &b->jobs[i] : NULL;
}

/* ---- shards and hashes -------------------------------------------------- */

bm_status bm_batch_parse_shard(const char *text, unsigned *k, unsigned *n, bm_error *err)
{
    char tail;
    if (sscanf(text, "%u/%u%c", k, n, &tail) != 2 || *k < 1 || *k > *n)
        return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "--shard",
                            "expected K/N with 1 <= K <= N, got '%s'", text);
    return BM_OK;
}

int bm_batch_in_shard(size_t index, unsigned k, unsigned n)
{
    return n == 0 || index % n == k - 1;
}

uint64_t bm_batch_fnv1a(uint64_t h, const void *data, size_t size)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < size; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Hashes a file's bytes; 0 when it cannot be read. */
static int hash_file(const char *path, uint64_t *h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char chunk[65536];
    size_t n;
    *h = BM_FNV_OFFSET;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        *h = bm_batch_fnv1a(*h, chunk, n);
    int bad = ferror(f);
    fclose(f);
    return !bad;
}

/* File hashes within one run: every job of a series reads the same
 * embedded data, which is hashed once. A worker inherits the cache. */
typedef struct hash_cache {
    size_t n;
    char **paths;
    uint64_t *hashes;
} hash_cache;

static int cached_hash(hash_cache *hc, const char *path, uint64_t *h)
{
    for (size_t i = 0; hc && i < hc->n; i++)
        if (strcmp(hc->paths[i], path) == 0)
            return *h = hc->hashes[i], 1;
    if (!hash_file(path, h))
        return 0;
    char **p = hc ? realloc(hc->paths, (hc->n + 1) * sizeof *p) : NULL;
    if (p)
        hc->paths = p;
    uint64_t *q = p ? realloc(hc->hashes, (hc->n + 1) * sizeof *q) : NULL;
    if (q)
        hc->hashes = q;
    if (q && (p[hc->n] = strdup(path)) != NULL)
        q[hc->n++] = *h;
    return 1;
}

static void hash_cache_free(hash_cache *hc)
{
    for (size_t i = 0; i < hc->n; i++)
        free(hc->paths[i]);
    free(hc->paths);
    free(hc->hashes);
}

uint64_t bm_batch_job_hash(const bm_batch_job *job, const bm_catalog_options *read)
{
    uint64_t h = BM_FNV_OFFSET;
    h = bm_batch_fnv1a(h, bm_version(), strlen(bm_version()) + 1);
    h = bm_batch_fnv1a(h, job->json, strlen(job->json) + 1);
    if (read) {
        /* --input-format, --layer and --skip-bad-rows change what is drawn. */
        const char *layer = read->layer ? read->layer : "";
        int flags[2] = {(int)read->format, read->skip_bad_rows};
        h = bm_batch_fnv1a(h, flags, sizeof flags);
        h = bm_batch_fnv1a(h, layer, strlen(layer) + 1);
    }
    return h;
}

void bm_batch_sidecar_path(const bm_batch_job *job, char *buf, size_t size)
{
    const char *out = job->outputs[0], *slash = strrchr(out, '/');
    int dir = slash ? (int)(slash - out + 1) : 0;
    snprintf(buf, size, "%.*s.%s.bmhash", dir, out, out + dir);
}

#define SIDECAR_MAGIC "bordermap-inputs 1"

/* One line of a sidecar: "file HASH PATH" or "name HASH KIND:NAME". */
static int input_current(hash_cache *hc, char *line)
{
    char kind[8];
    unsigned long long want;
    int at = 0;
    line[strcspn(line, "\n")] = '\0';
    if (sscanf(line, "%7s %llx %n", kind, &want, &at) != 2 || at == 0)
        return 0;
    const char *what = line + at;
    uint64_t h;
    if (strcmp(kind, "name") == 0)
        return bm_batch_fnv1a(BM_FNV_OFFSET, what, strlen(what)) == want;
    return strcmp(kind, "file") == 0 && cached_hash(hc, what, &h) && h == want;
}

static int sidecar_current(hash_cache *hc, FILE *f, uint64_t hash)
{
    char line[BM_BATCH_PATH + 64];
    unsigned long long job = 0;
    if (!fgets(line, sizeof line, f) || strncmp(line, SIDECAR_MAGIC, strlen(SIDECAR_MAGIC)) != 0 ||
        !fgets(line, sizeof line, f) || sscanf(line, "job %llx", &job) != 1 || job != hash)
        return 0;
    while (fgets(line, sizeof line, f))
        if (!input_current(hc, line))
            return 0;
    return 1;
}

static int up_to_date(hash_cache *hc, const bm_batch_job *job, uint64_t hash)
{
    char path[BM_BATCH_PATH + 16];
    for (size_t i = 0; i < job->n_outputs; i++)
        if (access(job->outputs[i], F_OK) != 0)
            return 0;
    bm_batch_sidecar_path(job, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int current = sidecar_current(hc, f, hash);
    fclose(f);
    return current;
}

int bm_batch_job_up_to_date(const bm_batch_job *job, uint64_t hash)
{
    hash_cache hc = {0};
    int current = up_to_date(&hc, job, hash);
    hash_cache_free(&hc);
    return current;
}

static int write_inputs(FILE *f, hash_cache *hc, const bm_context *ctx, uint64_t hash)
{
    int ok = fprintf(f, SIDECAR_MAGIC "\njob %016llx\n", (unsigned long long)hash) > 0;
    for (size_t i = 0; ok && i < bm_context_input_count(ctx); i++) {
        int is_file;
        const char *what = bm_context_input(ctx, i, &is_file);
        uint64_t h = bm_batch_fnv1a(BM_FNV_OFFSET, what, strlen(what));
        if (is_file && !cached_hash(hc, what, &h))
            continue; /* gone already: the next check finds it missing and re-renders */
        ok = fprintf(f, "%s %016llx %s\n", is_file ? "file" : "name", (unsigned long long)h,
                     what) > 0;
    }
    return ok;
}

/* The job's hash and every input the render noted, with their hashes. */
static bm_status write_sidecar(const bm_batch_job *job, hash_cache *hc, const bm_context *ctx,
                               uint64_t hash, bm_error *err)
{
    char path[BM_BATCH_PATH + 16];
    bm_atomic_file af;
    bm_batch_sidecar_path(job, path, sizeof path);
    if (bm_atomic_file_begin(&af, path, err) != BM_OK)
        return err->status;
    int fd = dup(af.fd);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f && fd >= 0)
        close(fd);
    int ok = f && write_inputs(f, hc, ctx, hash);
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok) {
        bm_atomic_file_abort(&af);
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot write: %s",
                            strerror(errno));
    }
    return bm_atomic_file_commit(&af, err);
}

/* ---- one job ------------------------------------------------------------ */

/* Binds the job's filter to its catalog; an error names the jobs file
 * and the filter key ("jobs[2].overrides.filter.where"), and the catalog
 * in its message. */
static bm_status bind_filter(const bm_batch_job *job, const bm_catalog *catalog, bm_error *err)
{
    if (bm_filter_bind(job->filter, catalog, err) == BM_OK)
        return BM_OK;
    char key[64], path[sizeof job->filter_path + 64], msg[1100];
    snprintf(key, sizeof key, "%s", err->field + strspn(err->field, "-"));
    for (char *p = key; *p; p++)
        *p = *p == '-' ? '_' : *p; /* --event-type: event_type */
    snprintf(path, sizeof path, "%s.%s", job->filter_path, key);
    snprintf(msg, sizeof msg, "%s (catalog %s)", err->message, err->file);
    return bm_error_set(err, err->status, job->file, 0, path, "%s", msg);
}


static int keep_matching(const bm_catalog *c, size_t record, void *filter)
{
    return bm_filter_match(filter, c, record);
}

/* The catalog a job draws: its own, else the style's catalog source, else
 * the seed catalog; NULL without error when the style draws none. Read
 * and geocoded once per file by the context. */
static bm_catalog *job_catalog(bm_context *ctx, const bm_batch_job *job,
                               const bm_catalog_options *read, bm_error *err)
{
    char path_s[96], path_c[96];
    snprintf(path_s, sizeof path_s, "%s.style", job->base);
    snprintf(path_c, sizeof path_c, "%s.catalog", job->base);
    if (bm_confine_check(job->confine, job->style, job->file, path_s, err) != BM_OK ||
        (job->catalog[0] &&
         bm_confine_check(job->confine, job->catalog, job->file, path_c, err) != BM_OK))
        return NULL;
    bm_style *s = bm_style_load(job->style, err);
    if (s && bm_style_confine(s, job->confine, err) != BM_OK) {
        bm_style_free(s);
        return NULL;
    }
    if (!s)
        return NULL;
    const char *path = NULL;
    for (size_t i = 0; i < s->n_sources && !path; i++)
        if (s->sources[i].type == BM_SOURCE_CATALOG)
            path = job->catalog[0] ? job->catalog
                                   : s->sources[i].data[0] ? s->sources[i].data
                                                           : bm_catalog_default_path();
    bm_catalog *c = path ? bm_context_read_catalog(ctx, path, read, NULL, err) : NULL;
    bm_style_free(s);
    return c;
}

static bm_status render_job(bm_context *ctx, const bm_batch_job *job, hash_cache *hc,
                            uint64_t hash, const bm_catalog_options *read, bm_error *err)
{
    bm_catalog *catalog = job_catalog(ctx, job, read, err);
    if (err->status != BM_OK || (catalog && bind_filter(job, catalog, err) != BM_OK))
        return err->status;
    bm_style *style = bm_style_load(job->style, err);
    if (!style)
        return err->status;
    bm_context_note_file(ctx, job->style);
    if (catalog)
        bm_catalog_retain(catalog, keep_matching, job->filter);
    bm_map *map = bm_map_create(ctx, style, &job->render, err);
    bm_status st = map ? BM_OK : err->status;
    for (size_t i = 0; st == BM_OK && i < job->n_outputs; i++)
        if ((st = bm_confine_make_dirs(job->out_root, job->outputs[i], err)) == BM_OK)
            st = bm_map_write(map, job->outputs[i], err);
    bm_map_free(map);
    bm_style_free(style);
    return st == BM_OK ? write_sidecar(job, hc, ctx, hash, err) : st;
}

bm_status bm_batch_job_render(bm_context *ctx, const bm_batch_job *job,
                              const bm_catalog_options *read, bm_error *err)
{
    hash_cache hc = {0};
    bm_context_inputs_reset(ctx);
    bm_status st = render_job(ctx, job, &hc, bm_batch_job_hash(job, read), read, err);
    hash_cache_free(&hc);
    return st;
}

/* ---- the worker pool ---------------------------------------------------- */

typedef struct worker {
    pid_t pid;
    int fd;              /* read end of the worker's error pipe */
    size_t result;
    struct timespec start;
} worker;

typedef struct pool {
    const bm_batch_options *opt;
    bm_batch_summary *sum;
    bm_context *ctx;             /* catalogs read once, inherited by workers */
    hash_cache hashes;
    const bm_catalog **seen;     /* catalogs on_catalog was called for */
    size_t n_seen;
    worker *workers;
    size_t n_workers, running, finished;
    int failed;
    pid_t parent;                /* this process, which workers watch */
} pool;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void notify(pool *p, const bm_job_result *r)
{
    if (p->opt->on_event)
        p->opt->on_event(r, p->finished, p->sum->total, p->opt->ctx);
}

/* Removes what a worker left of bm_atomic_file temporaries for one output:
 * ".<stem>.tmp-<pid>-*" in the output's directory (GDAL side files too). */
static void remove_temporaries(const char *output, pid_t pid)
{
    char dir[BM_BATCH_PATH], prefix[BM_BATCH_PATH + 32], path[2 * BM_BATCH_PATH];
    const char *slash = strrchr(output, '/'), *base = slash ? slash + 1 : output;
    const char *dot = strrchr(base, '.');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - output) : 1, slash ? output : ".");
    snprintf(prefix, sizeof prefix, ".%.*s.tmp-%ld-", dot ? (int)(dot - base) : (int)strlen(base),
             base, (long)pid);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
}

static void run_worker(pool *p, const bm_batch_job *job, uint64_t hash, int fd,
                       const sigset_t *old_mask)
{
    /* The parent's handlers only set its stop flag: a worker must die.
     * Signals stay blocked from before fork until now, so one sent in
     * between is not lost to the inherited handler. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    /* A worker dies with the parent, even one killed outright (SIGKILL),
     * which can stop it no other way; a parent gone before the request
     * was made shows as a new parent process. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != p->parent)
        _exit(BM_ERR_RUNTIME);
    sigprocmask(SIG_SETMASK, old_mask, NULL);
    bm_error err;
    bm_error_clear(&err);
    bm_status st = render_job(p->ctx, job, &p->hashes, hash, &p->opt->read, &err);
    if (st != BM_OK) {
        char msg[1400];
        bm_error_format(&err, msg, sizeof msg);
        ssize_t w = write(fd, msg, strlen(msg));
        (void)w;
    }
    _exit(st == BM_OK ? 0 : (int)st);
}

static void fail_result(pool *p, bm_job_result *r, const char *msg)
{
    r->state = BM_JOB_FAILED;
    snprintf(r->error, sizeof r->error, "%s", msg);
    p->failed = 1;
    p->finished++;
    notify(p, r);
}

static void fail_with(pool *p, bm_job_result *r, const bm_error *err)
{
    char msg[1400];
    bm_error_format(err, msg, sizeof msg);
    fail_result(p, r, msg);
}

/* Reads the job's catalog in the parent, before the fork, and tells the
 * caller about each catalog once. */
static bm_catalog *pool_catalog(pool *p, const bm_batch_job *job, bm_error *err)
{
    bm_catalog *c = job_catalog(p->ctx, job, &p->opt->read, err);
    for (size_t i = 0; c && i < p->n_seen; i++)
        if (p->seen[i] == c)
            return c;
    const bm_catalog **q = c ? realloc(p->seen, (p->n_seen + 1) * sizeof *q) : NULL;
    if (q) {
        p->seen = q;
        q[p->n_seen++] = c;
        if (p->opt->on_catalog)
            p->opt->on_catalog(c, p->opt->ctx);
    }
    return c;
}

/* What the job's filter makes of the catalog's rows, counted here in the
 * parent, where the catalog is whole. */
static bm_status count_rows(const bm_batch_job *job, const bm_catalog *c, bm_job_result *r,
                            bm_error *err)
{
    if (!c)
        return BM_OK;
    if (bind_filter(job, c, err) != BM_OK)
        return err->status;
    r->rows_read = bm_catalog_rows_read(c);
    r->rejected = bm_catalog_rejected_count(c);
    r->filtered = bm_catalog_filtered_count(c);
    for (size_t i = 0; i < bm_catalog_count(c); i++) {
        if (!bm_filter_match(job->filter, c, i))
            r->filtered++;
        else if (bm_catalog_point(c, i, NULL, NULL))
            r->placed++;
        else
            r->unresolved++;
    }
    return BM_OK;
}

static void start_job(pool *p, bm_job_result *r, uint64_t hash)
{
    bm_error err;
    bm_error_clear(&err);
    bm_context_inputs_reset(p->ctx);
    bm_catalog *c = pool_catalog(p, r->job, &err);
    int fds[2];
    if (err.status != BM_OK || count_rows(r->job, c, r, &err) != BM_OK) {
        fail_with(p, r, &err);
        return;
    }
    if (pipe(fds) != 0) {
        fail_result(p, r, strerror(errno));
        return;
    }
    fflush(NULL); /* nothing buffered may be written twice */
    sigset_t block, old_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old_mask);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        run_worker(p, r->job, hash, fds[1], &old_mask);
    }
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        fail_result(p, r, strerror(errno));
        return;
    }
    worker *w = &p->workers[p->running++];
    *w = (worker){pid, fds[0], (size_t)(r - p->sum->results), {0, 0}};
    clock_gettime(CLOCK_MONOTONIC, &w->start);
    r->state = BM_JOB_RUNNING;
    notify(p, r);
}

/* Decides whether the next job runs, and starts it. */
static void consider_job(pool *p, bm_job_result *r)
{
    uint64_t hash = bm_batch_job_hash(r->job, &p->opt->read);
    int current = up_to_date(&p->hashes, r->job, hash);
    if (!p->opt->force && current) {
        r->state = BM_JOB_SKIPPED;
        p->finished++;
        notify(p, r);
    } else if (p->opt->dry_run) {
        r->would_run = 1;
        p->finished++;
        notify(p, r);
    } else {
        start_job(p, r, hash);
    }
}

static void read_error(int fd, char *buf, size_t size)
{
    size_t n = 0;
    ssize_t got;
    while (n + 1 < size && (got = read(fd, buf + n, size - n - 1)) > 0)
        n += (size_t)got;
    buf[n] = '\0';
}

static void finish_worker(pool *p, size_t slot, int status)
{
    worker w = p->workers[slot];
    p->workers[slot] = p->workers[--p->running];
    bm_job_result *r = &p->sum->results[w.result];
    r->seconds = since(&w.start);
    read_error(w.fd, r->error, sizeof r->error);
    close(w.fd);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        char sidecar[BM_BATCH_PATH + 16];
        bm_batch_sidecar_path(r->job, sidecar, sizeof sidecar);
        /* The worker writes its sidecar last: it may die writing that too. */
        remove_temporaries(sidecar, w.pid);
        for (size_t i = 0; i < r->job->n_outputs; i++)
            remove_temporaries(r->job->outputs[i], w.pid);
        if (!r->error[0])
            snprintf(r->error, sizeof r->error, "%s: worker %s %d", r->job->name,
                     WIFSIGNALED(status) ? "killed by signal" : "exited with",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    r->state = ok ? BM_JOB_DONE : BM_JOB_FAILED;
    p->failed |= !ok;
    p->finished++;
    notify(p, r);
}

static int stopping(const pool *p)
{
    return p->opt->stop && *p->opt->stop;
}

static void wait_one(pool *p)
{
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0)
        return; /* EINTR: a signal; the caller checks the stop flag */
    for (size_t i = 0; i < p->running; i++)
        if (p->workers[i].pid == pid) {
            finish_worker(p, i, status);
            return;
        }
}

static void stop_workers(pool *p)
{
    for (size_t i = 0; i < p->running; i++)
        kill(p->workers[i].pid, SIGTERM);
    while (p->running) {
        int status;
        pid_t pid = waitpid(p->workers[0].pid, &status, 0);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0)
            status = SIGKILL; /* reaped elsewhere: report it as killed */
        finish_worker(p, 0, status);
    }
}

static void pool_run(pool *p, const size_t *selected, size_t n)
{
    size_t next = 0;
    for (;;) {
        while (!stopping(p) && next < n && p->running < p->n_workers &&
               (p->opt->keep_going || !p->failed))
            consider_job(p, &p->sum->results[selected[next++]]);
        if (p->running == 0 || stopping(p))
            break;
        wait_one(p);
    }
    if (stopping(p))
        stop_workers(p);
}

static void summarise(bm_batch_summary *sum, bm_error *err)
{
    for (size_t i = 0; i < sum->total; i++) {
        bm_job_result *r = &sum->results[i];
        sum->done += r->state == BM_JOB_DONE;
        sum->skipped += r->state == BM_JOB_SKIPPED;
        sum->not_run += r->state == BM_JOB_PENDING;
        if (r->state == BM_JOB_FAILED && sum->failed++ == 0)
            bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "job %s failed: %s",
                         r->job->name, r->error);
    }
}

bm_status bm_batch_run(bm_batch *b, const bm_batch_options *opt, bm_batch_summary *sum,
                       bm_error *err)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(sum, 0, sizeof *sum);
    size_t *selected = calloc(b->n ? b->n : 1, sizeof *selected);
    pool p = {.opt = opt, .sum = sum, .n_workers = opt->workers > 0 ? (size_t)opt->workers : 1,
              .parent = getpid()};
    p.workers = calloc(p.n_workers, sizeof *p.workers);
    p.ctx = bm_context_create(err);
    for (size_t i = 0; selected && i < b->n; i++)
        if (bm_batch_in_shard(i, opt->shard_k, opt->shard_n))
            selected[sum->total++] = i;
    sum->results = calloc(sum->total ? sum->total : 1, sizeof *sum->results);
    if (!selected || !p.workers || !sum->results || !p.ctx) {
        free(selected);
        free(p.workers);
        bm_context_free(p.ctx);
        return bm_error_set(err, BM_ERR_RUNTIME, b->path, 0, NULL, "out of memory");
    }
    /* Results are indexed by position in the shard, in jobs-file order. */
    for (size_t i = 0; i < sum->total; i++) {
        sum->results[i].job = &b->jobs[selected[i]];
        selected[i] = i;
    }
    pool_run(&p, selected, sum->total);
    sum->stopped = stopping(&p);
    bm_context_free(p.ctx);
    hash_cache_free(&p.hashes);
    free(p.seen);
    free(p.workers);
    free(selected);
    summarise(sum, err);
    sum->seconds = since(&t0);
    if (sum->failed)
        return BM_ERR_RUNTIME;
    return sum->stopped ? bm_error_set(err, BM_ERR_RUNTIME, b->path, 0, NULL, "interrupted")
                        : BM_OK;
}
