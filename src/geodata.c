/*
 * geodata.c — locating the embedded data, checking it against
 * SOURCES.lock, and initialising GDAL once.
 */
/* dladdr1 and struct link_map: which file this code was loaded from. */
#define _GNU_SOURCE
#include "geodata.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <glib.h>
#include <ogr_api.h>

#ifndef BM_VERSION
#define BM_VERSION "0.0.0"
#endif
#ifndef BM_DATA_FROM_BINDIR
#define BM_DATA_FROM_BINDIR "../share/bordermap"
#endif
#ifndef BM_DATA_FROM_LIBDIR
#define BM_DATA_FROM_LIBDIR "../share/bordermap"
#endif
#ifndef BM_DATA_INSTALLED
#define BM_DATA_INSTALLED "/usr/local/share/bordermap"
#endif

const char *bm_version(void)
{
    return BM_VERSION;
}

/* GDAL's registration functions of the drivers that read and write
 * bordermap's own files (its embedded data, its outputs, and the usual
 * catalogs); libgdal exports them, its C++ header ogrsf_frmts.h declares
 * them. */
void RegisterOGRCSV(void);
void RegisterOGRFlatGeobuf(void);
void RegisterOGRGeoJSON(void);
void RegisterOGRGeoJSONSeq(void);
void RegisterOGRGeoPackage(void);
void RegisterOGRShape(void);

/* The other two hundred drivers are registered only when a file needs one:
 * registering them all runs code spread over most of libgdal, which added
 * 7 MB to every run's resident memory (a tenth of a 1,000-point map's). */
static void init_once(void)
{
    RegisterOGRCSV();
    RegisterOGRFlatGeobuf();
    RegisterOGRGeoJSON();
    RegisterOGRGeoJSONSeq();
    RegisterOGRGeoPackage();
    RegisterOGRShape();
    /* The OSM boundary polygons are single JSON objects larger than the
     * GeoJSON driver's default 200 MB-per-object guard allows for. */
    CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
    /* Output must not depend on the machine: no GDAL-side caches of
     * previous runs and no auxiliary .aux.xml files next to inputs. */
    CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
    /* Opening a GeoPackage loads SpatiaLite, which opens PROJ's database,
     * for SQL functions bordermap never calls: 30 ms of a 0.4 s map from
     * a GeoPackage catalog, and 1.3 MB. A user's own setting stands. */
    if (!CPLGetConfigOption("SPATIALITE_LOAD", NULL))
        CPLSetConfigOption("SPATIALITE_LOAD", "FALSE");
}

void bm_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_once);
}

static void register_all(void)
{
    GDALAllRegister();
}

GDALDatasetH bm_open_vector(const char *path, unsigned int flags,
                            const char *const *options)
{
    static pthread_once_t all = PTHREAD_ONCE_INIT;
    bm_init();
    GDALDatasetH ds = GDALOpenEx(path, flags | GDAL_OF_VECTOR, NULL, options, NULL);
    if (!ds) { /* an error path: a second try costs nothing that matters */
        pthread_once(&all, register_all);
        CPLErrorReset();
        ds = GDALOpenEx(path, flags | GDAL_OF_VECTOR, NULL, options, NULL);
    }
    return ds;
}

static int has_geodata(const char *dir)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/geodata", dir);
    return access(path, F_OK) == 0;
}

/* share/bordermap beside the program or shared library this code is in;
 * buf (PATH_MAX bytes) gets its canonical path. Returns 0 when absent. */
static int find_beside_code(char *buf)
{
    Dl_info info;
    struct link_map *map = NULL;
    if (!dladdr1((void *)bm_data_dir, &info, (void **)&map, RTLD_DL_LINKMAP) || !map)
        return 0;
    /* The main program's link map has no name (dladdr then reports
     * argv[0]): the library was linked into the program statically. */
    int in_program = map->l_name[0] == '\0';
    char file[PATH_MAX], dir[PATH_MAX + 64];
    if (!realpath(in_program ? "/proc/self/exe" : map->l_name, file))
        return 0;
    *strrchr(file, '/') = '\0';
    snprintf(dir, sizeof dir, "%s/%s", file,
             in_program ? BM_DATA_FROM_BINDIR : BM_DATA_FROM_LIBDIR);
    return realpath(dir, buf) && has_geodata(buf);
}

static char installed_dir[PATH_MAX];

static void find_installed(void)
{
    if (!find_beside_code(installed_dir))
        snprintf(installed_dir, sizeof installed_dir, "%s", BM_DATA_INSTALLED);
}

const char *bm_data_dir(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    const char *env = getenv("BORDERMAP_DATA");
    if (env && *env)
        return env;
    pthread_once(&once, find_installed);
    return installed_dir;
}

const char *bm_styles_dir(void)
{
    static _Thread_local char dir[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/styles", bm_data_dir());
    return dir;
}

const char *bm_geodata_dir(void)
{
    static _Thread_local char dir[PATH_MAX + 16];
    const char *env = getenv("BORDERMAP_GEODATA");
    if (env && *env)
        return env;
    snprintf(dir, sizeof dir, "%s/geodata", bm_data_dir());
    return dir;
}

char *bm_geodata_path(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", bm_geodata_dir(), name);
    return buf;
}

char *bm_style_path(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", bm_styles_dir(), name);
    return buf;
}

/* ---- verifying the embedded data against SOURCES.lock ------------------- */

/* The "output" line of SOURCES.lock for name: its sha256 (65 bytes) and
 * its size, -1 when the lock predates sizes. Returns 0 when listed. */
static int lock_entry(const char *name, char *sha, long long *bytes)
{
    char path[PATH_MAX + 16], line[1024], file[512], sum[128];
    FILE *f = fopen(bm_geodata_path("SOURCES.lock", path, sizeof path), "r");
    int found = -1;
    while (f && found != 0 && fgets(line, sizeof line, f)) {
        long long n = -1;
        int fields = sscanf(line, "output\t%511[^\t\n]\t%127[0-9a-f]\t%lld", file, sum, &n);
        if (fields >= 2 && strcmp(file, name) == 0 && strlen(sum) == 64) {
            memcpy(sha, sum, 65);
            *bytes = fields == 3 ? n : -1;
            found = 0;
        }
    }
    if (f)
        fclose(f);
    return found;
}

/* A text table (TSV, CSV) cut short mostly ends inside a line. Other
 * formats are recognised by GDAL from their first bytes (a FlatGeobuf's
 * magic, a JSON object) when it opens them; opening them here too would
 * read each embedded file twice. */
static const char *format_problem(const char *path, long long size)
{
    const char *ext = strrchr(path, '.');
    if (!ext || (strcmp(ext, ".tsv") != 0 && strcmp(ext, ".csv") != 0))
        return NULL;
    unsigned char last = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL; /* reported by whoever opens it, with the reason */
    if (size > 0 && (fseek(f, -1, SEEK_END) != 0 || fread(&last, 1, 1, f) != 1))
        last = 0;
    fclose(f);
    return last == '\n' ? NULL : "cut short: the last line has no end";
}

bm_status bm_geodata_verify(const char *path, bm_error *err)
{
    const char *dir = bm_geodata_dir();
    size_t n = strlen(dir);
    if (strncmp(path, dir, n) != 0 || path[n] != '/' || strchr(path + n + 1, '/'))
        return BM_OK;
    struct stat st;
    char sha[65];
    long long bytes = -1;
    if (stat(path, &st) != 0 || lock_entry(path + n + 1, sha, &bytes) != 0)
        return BM_OK;
    if (bytes >= 0 && (long long)st.st_size != bytes)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL,
                            "embedded data damaged: %lld bytes where SOURCES.lock records %lld "
                            "(truncated or replaced); 'bordermap check-data' checks every file, "
                            "geodata/build rebuilds them",
                            (long long)st.st_size, bytes);
    const char *problem = format_problem(path, (long long)st.st_size);
    if (problem)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "embedded data damaged: %s",
                            problem);
    return BM_OK;
}

/* The sha256 of a file as 64 hex digits; -1 when it cannot be read. */
static int file_sha256(const char *path, char *hex)
{
    FILE *f = fopen(path, "rb");
    GChecksum *sum = f ? g_checksum_new(G_CHECKSUM_SHA256) : NULL;
    unsigned char buf[1 << 16];
    size_t got;
    while (sum && (got = fread(buf, 1, sizeof buf, f)) > 0)
        g_checksum_update(sum, buf, (gssize)got);
    int ok = sum && !ferror(f);
    if (ok)
        snprintf(hex, 65, "%s", g_checksum_get_string(sum));
    if (sum)
        g_checksum_free(sum);
    if (f)
        fclose(f);
    return ok ? 0 : -1;
}

bm_status bm_geodata_check(void (*report)(const char *name, const char *problem, void *userdata),
                           void *userdata, bm_error *err)
{
    char lock[PATH_MAX + 16], line[1024], name[512], sum[128];
    FILE *f = fopen(bm_geodata_path("SOURCES.lock", lock, sizeof lock), "r");
    if (!f)
        return bm_error_set(err, BM_ERR_RUNTIME, lock, 0, NULL, "cannot read: %s",
                            strerror(errno));
    long files = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        long long bytes = -1;
        if (sscanf(line, "output\t%511[^\t\n]\t%127[0-9a-f]\t%lld", name, sum, &bytes) < 2)
            continue;
        char path[PATH_MAX + 600], actual[65];
        struct stat st;
        const char *problem = NULL;
        snprintf(path, sizeof path, "%s/%s", bm_geodata_dir(), name);
        if (stat(path, &st) != 0)
            problem = "missing";
        else if (bytes >= 0 && (long long)st.st_size != bytes)
            problem = "size differs from SOURCES.lock";
        else if (file_sha256(path, actual) != 0)
            problem = "cannot be read";
        else if (strcmp(actual, sum) != 0)
            problem = "sha256 differs from SOURCES.lock";
        files++;
        if (problem && bad++ == 0)
            bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "%s", problem);
        report(name, problem, userdata);
    }
    fclose(f);
    if (files == 0)
        return bm_error_set(err, BM_ERR_RUNTIME, lock, 0, NULL, "lists no output file");
    if (bad > 0) {
        char first[sizeof err->message], file[sizeof err->file];
        snprintf(first, sizeof first, "%s", err->message);
        snprintf(file, sizeof file, "%s", err->file);
        return bm_error_set(err, BM_ERR_RUNTIME, file, 0, NULL,
                            "%s; %ld of %ld files do not match SOURCES.lock", first, bad, files);
    }
    return BM_OK;
}

bm_status bm_geodata_check_lonlat(void *ogr_geometry, const char *path, long feature,
                                  bm_error *err)
{
    OGREnvelope e;
    if (!ogr_geometry || OGR_G_IsEmpty(ogr_geometry))
        return BM_OK;
    OGR_G_GetEnvelope(ogr_geometry, &e);
    if (!(e.MinX >= -180 && e.MaxX <= 180 && e.MinY >= -90 && e.MaxY <= 90))
        return bm_error_set(err, BM_ERR_RUNTIME, path, feature, "geometry",
                            "coordinates outside ±180° longitude / ±90° latitude "
                            "(%g, %g to %g, %g): the embedded data is damaged",
                            e.MinX, e.MinY, e.MaxX, e.MaxY);
    return BM_OK;
}
