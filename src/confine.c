/*
 * confine.c — allowed folders, checked paths, safe output folders, limits.
 */
#define _GNU_SOURCE /* realpath */
#include "confine.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "geodata.h"

struct bm_confine {
    size_t n, cap;
    char **roots; /* resolved, without a trailing slash */
};

bm_confine *bm_confine_create(bm_error *err)
{
    bm_confine *c = calloc(1, sizeof *c);
    if (!c) {
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", bm_geodata_dir());
    if (bm_confine_allow_folder_of(c, dir, err) != BM_OK ||
        bm_confine_allow_folder_of(c, bm_styles_dir(), err) != BM_OK) {
        bm_confine_free(c);
        return NULL;
    }
    return c;
}

void bm_confine_free(bm_confine *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->roots[i]);
    free(c->roots);
    free(c);
}

static bm_status add_root(bm_confine *c, const char *real, bm_error *err)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        char **r = realloc(c->roots, cap * sizeof *r);
        if (!r)
            return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        c->roots = r, c->cap = cap;
    }
    if (!(c->roots[c->n] = strdup(real)))
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    c->n++;
    return BM_OK;
}

bm_status bm_confine_allow(bm_confine *c, const char *dir, const char *option, bm_error *err)
{
    char real[PATH_MAX];
    struct stat st;
    if (strlen(dir) >= PATH_MAX || !realpath(dir, real))
        return bm_error_set(err, BM_ERR_USAGE, dir, 0, option, "cannot resolve the folder: %s",
                            strlen(dir) >= PATH_MAX ? "path too long" : strerror(errno));
    if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
        return bm_error_set(err, BM_ERR_USAGE, dir, 0, option, "not a folder");
    return add_root(c, real, err);
}

/* The resolved folder of file into real (size PATH_MAX), or 0. A folder
 * passed as such ("geodata/") is its own. */
static int folder_of(const char *file, char *real)
{
    char dir[PATH_MAX];
    struct stat st;
    const char *slash = strrchr(file, '/');
    if (strlen(file) >= PATH_MAX)
        return 0;
    if (stat(file, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(dir, sizeof dir, "%s", file);
    else
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - file + (slash == file)) : 1,
                 slash ? file : ".");
    return realpath(dir, real) != NULL;
}

bm_status bm_confine_allow_folder_of(bm_confine *c, const char *file, bm_error *err)
{
    char real[PATH_MAX];
    if (strcmp(file, "-") == 0 || strncmp(file, "/vsi", 4) == 0 || !folder_of(file, real))
        return BM_OK;
    return add_root(c, real, err);
}

/* Whether path is root or below it. */
static int inside(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return 1;
    return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* GDAL virtual file systems and anything GDAL would fetch. */
static int is_virtual(const char *path)
{
    return strncmp(path, "/vsi", 4) == 0 || strstr(path, "://") != NULL;
}

/* A VRT names other files and URLs in its XML, which no check here would
 * see; it is recognised by its first element, as GDAL does. */
static int is_vrt(const char *real)
{
    char head[1024] = "";
    FILE *f = fopen(real, "rb");
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    return strstr(head, "<OGRVRTDataSource") || strstr(head, "<VRTDataset");
}

bm_status bm_confine_check(const bm_confine *c, const char *path, const char *file,
                           const char *field, bm_error *err)
{
    char real[PATH_MAX], own[PATH_MAX];
    if (is_virtual(path))
        return bm_error_set(err, BM_ERR_USAGE, file, 0, field,
                            "'%.300s': GDAL virtual file systems and URLs are refused "
                            "in a style or jobs file",
                            path);
    if (strlen(path) >= PATH_MAX)
        return bm_error_set(err, BM_ERR_USAGE, file, 0, field, "path too long (%d bytes at most)",
                            PATH_MAX - 1);
    if (!realpath(path, real))
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot read: %s",
                            strerror(errno));
    int ok = folder_of(file, own) && inside(real, own);
    for (size_t i = 0; !ok && c && i < c->n; i++)
        ok = inside(real, c->roots[i]);
    if (!ok)
        return bm_error_set(err, BM_ERR_USAGE, file, 0, field,
                            "'%.300s' is outside the folders this file may read (its own, "
                            "the data folders, --allow-path DIR)",
                            real);
    if (is_vrt(real))
        return bm_error_set(err, BM_ERR_USAGE, file, 0, field,
                            "'%.300s' is a GDAL VRT, which may read any file or URL: "
                            "refused in a style or jobs file",
                            path);
    return BM_OK;
}

/* Whether a relative path has a ".." component. */
static int climbs(const char *rel)
{
    for (const char *p = rel; *p; p += strcspn(p, "/"), p += *p == '/') {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
    }
    return 0;
}

bm_status bm_confine_output(const char *root, const char *rel, char *out, size_t size,
                            const char *file, const char *field, bm_error *err)
{
    if (is_virtual(rel) || rel[0] == '/' || climbs(rel) || rel[0] == '\0')
        return bm_error_set(err, BM_ERR_USAGE, file, 0, field,
                            "'%.300s': outputs are relative paths inside the output root "
                            "(%.300s), without '..'",
                            rel, root);
    if (snprintf(out, size, "%s/%s", root, rel) >= (int)size)
        return bm_error_set(err, BM_ERR_USAGE, file, 0, field,
                            "output path too long (%zu bytes at most)", size - 1);
    return BM_OK;
}

bm_status bm_confine_make_dirs(const char *root, const char *path, bm_error *err)
{
    char real_root[PATH_MAX], dir[PATH_MAX], real[PATH_MAX];
    size_t n = strlen(root);
    if (!realpath(root, real_root) || strncmp(path, root, n) != 0 || strlen(path) >= PATH_MAX)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot resolve the output root "
                            "%.300s: %s", root, strerror(errno));
    const char *last = strrchr(path, '/');
    /* Each folder below the root, from the top: made when missing, and
     * followed only when it resolves inside the root. */
    for (const char *p = path + n; last && p < last;) {
        p += strspn(p, "/");
        p += strcspn(p, "/");
        snprintf(dir, sizeof dir, "%.*s", (int)(p - path), path);
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return bm_error_set(err, BM_ERR_RUNTIME, dir, 0, NULL, "cannot make the folder: %s",
                                strerror(errno));
        if (!realpath(dir, real) || !inside(real, real_root))
            return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                                "%.300s leads out of the output root %.300s", dir, root);
    }
    return BM_OK;
}

/* ---- limits ------------------------------------------------------------- */

static const struct limit_var {
    const char *name;
    unsigned long long fallback;
    size_t offset;
} limit_vars[] = {
    {"BORDERMAP_MAX_INPUT_BYTES", 2ULL << 30, offsetof(bm_limits, input_bytes)},
    {"BORDERMAP_MAX_FEATURES", 20000000ULL, offsetof(bm_limits, features)},
    {"BORDERMAP_MAX_PIXELS", 100000000ULL, offsetof(bm_limits, pixels)},
};

/* A whole number from 1 to 2^53, or 0. */
static unsigned long long parse_limit(const char *text)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    return text[0] >= '0' && text[0] <= '9' && !*end && !errno && v >= 1 && v <= (1ULL << 53)
               ? v
               : 0;
}

static bm_limits limits;

static void read_limits(void)
{
    for (size_t i = 0; i < sizeof limit_vars / sizeof *limit_vars; i++) {
        const char *text = getenv(limit_vars[i].name);
        unsigned long long v = text ? parse_limit(text) : 0;
        *(unsigned long long *)(void *)((char *)&limits + limit_vars[i].offset) =
            v ? v : limit_vars[i].fallback;
    }
}

/* Read once: readers ask for every row. */
const bm_limits *bm_limits_get(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, read_limits);
    return &limits;
}

bm_status bm_limits_check_file(const char *path, bm_error *err)
{
    struct stat st;
    if (strncmp(path, "/vsi", 4) == 0 || stat(path, &st) != 0)
        return BM_OK; /* the reader says what is wrong with it */
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISFIFO(st.st_mode))
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL,
                            "not a regular file (a device or socket is never read)");
    unsigned long long max = bm_limits_get()->input_bytes;
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL,
                            "%lld bytes, more than the limit of %llu "
                            "(BORDERMAP_MAX_INPUT_BYTES)",
                            (long long)st.st_size, max);
    return BM_OK;
}

bm_status bm_limits_check_env(bm_error *err)
{
    for (size_t i = 0; i < sizeof limit_vars / sizeof *limit_vars; i++) {
        const char *text = getenv(limit_vars[i].name);
        if (text && !parse_limit(text))
            return bm_error_set(err, BM_ERR_USAGE, NULL, 0, limit_vars[i].name,
                                "expected a whole number from 1 to 2^53, got '%.100s'", text);
    }
    return BM_OK;
}
