/*
 * vector_out.c — atomic vector output through GDAL.
 *
 * GDAL's GeoJSON writer does not check its writes: on a full disk it
 * leaves a cut file and reports success. So GeoJSON goes through a small
 * VSI file system of our own, "/vsibmsink/", whose writes land on a file
 * descriptor we hold (the temporary file, or standard output) and record
 * the first error, which commit then reports. GeoPackage goes through
 * SQLite, which checks every write, to the temporary file by name.
 */
#include "vector_out.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ogr_srs_api.h>

#include "atomic_file.h"
#include "geodata.h"

/* GDAL's GeoJSON writer makes two small writes a feature: gathered into
 * this many bytes, a 100,000-feature file (40 MB) takes 640 system calls
 * instead of 200,000 (a tenth of the conversion's time). */
#define SINK_BUFFER 65536

/* Where a sink's writes go and what became of them. */
typedef struct sink {
    int fd;
    int error;          /* errno of the first failed write; 0 when none */
    vsi_l_offset pos;   /* bytes written, the buffered ones included */
    struct sink *next;  /* the live sinks: a name is honoured only for these */
    size_t used;        /* bytes in buf not yet written to fd */
    char buf[SINK_BUFFER];
} sink;

struct bm_vector_out {
    GDALDatasetH ds;
    const char *driver;
    bm_atomic_file target;
    int to_stdout;
    int in_transaction;
    sink sink; /* GeoJSON only */
};

#define SINK_PREFIX "/vsibmsink/"

static pthread_mutex_t sinks_lock = PTHREAD_MUTEX_INITIALIZER;
static sink *live_sinks;

static void sink_register(sink *k, int fd)
{
    k->fd = fd, k->error = 0, k->pos = 0, k->next = NULL, k->used = 0;
    pthread_mutex_lock(&sinks_lock);
    k->next = live_sinks;
    live_sinks = k;
    pthread_mutex_unlock(&sinks_lock);
}

static void sink_unregister(sink *k)
{
    pthread_mutex_lock(&sinks_lock);
    for (sink **p = &live_sinks; *p; p = &(*p)->next)
        if (*p == k) {
            *p = k->next;
            break;
        }
    pthread_mutex_unlock(&sinks_lock);
}

/* "/vsibmsink/<address>/name" (GDAL passes what follows the prefix): the
 * address must be a live sink's, so a name from a style or a catalog
 * cannot make this code write anywhere. */
static void *sink_open(void *data, const char *name, const char *access)
{
    (void)data;
    void *address = NULL;
    if (access[0] != 'w' || sscanf(name, "%p", &address) != 1)
        return NULL;
    sink *found = NULL;
    pthread_mutex_lock(&sinks_lock);
    for (sink *k = live_sinks; k && !found; k = k->next)
        if ((void *)k == address)
            found = k;
    pthread_mutex_unlock(&sinks_lock);
    return found;
}

/* Writes n bytes to the descriptor unless a write failed before; records
 * the first error. */
static void sink_put(sink *k, const char *p, size_t n)
{
    while (n > 0 && !k->error) {
        ssize_t w = write(k->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            k->error = w < 0 ? errno : EIO;
            break;
        }
        p += w, n -= (size_t)w;
    }
}

static void sink_flush(sink *k)
{
    sink_put(k, k->buf, k->used);
    k->used = 0;
}

/* Buffered: a failed write is reported by commit, which checks k->error
 * after the close has flushed. */
static size_t sink_write(void *file, const void *buf, size_t size, size_t count)
{
    sink *k = file;
    size_t n = size * count;
    if (k->used + n > sizeof k->buf)
        sink_flush(k);
    if (n >= sizeof k->buf) {
        sink_put(k, buf, n);
    } else {
        memcpy(k->buf + k->used, buf, n);
        k->used += n;
    }
    if (k->error)
        return 0;
    k->pos += (vsi_l_offset)n;
    return count;
}

static vsi_l_offset sink_tell(void *file)
{
    return ((sink *)file)->pos;
}

/* The GeoJSON writer only ever asks to stay where it is. */
static int sink_seek(void *file, vsi_l_offset offset, int whence)
{
    sink *k = file;
    return (whence == SEEK_SET && offset == k->pos) || (whence == SEEK_CUR && offset == 0) ||
                   (whence == SEEK_END && offset == 0)
               ? 0
               : -1;
}

static int sink_stat(void *data, const char *name, VSIStatBufL *st, int flags)
{
    (void)data, (void)name, (void)st, (void)flags;
    return -1; /* nothing to find: every sink is a new file */
}

static int sink_close(void *file)
{
    sink *k = file; /* the fd is the output's to sync and close */
    sink_flush(k);
    return k->error ? -1 : 0;
}

static void install_sink_handler(void)
{
    VSIFilesystemPluginCallbacksStruct *cb = VSIAllocFilesystemPluginCallbacksStruct();
    cb->open = sink_open;
    cb->write = sink_write;
    cb->tell = sink_tell;
    cb->seek = sink_seek;
    cb->stat = sink_stat;
    cb->close = sink_close;
    VSIInstallPluginHandler(SINK_PREFIX, cb);
    VSIFreeFilesystemPluginCallbacksStruct(cb);
}

static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

const char *bm_vector_driver_for(const char *path)
{
    if (strcmp(path, "-") == 0)
        return "GeoJSON";
    const char *ext = extension(path);
    if (strcasecmp(ext, "geojson") == 0 || strcasecmp(ext, "json") == 0)
        return "GeoJSON";
    if (strcasecmp(ext, "gpkg") == 0)
        return "GPKG";
    return NULL;
}

static int is_sink(const bm_vector_out *out)
{
    return strcmp(out->driver, "GeoJSON") == 0;
}

bm_vector_out *bm_vector_out_open(const char *path, bm_error *err)
{
    bm_init();
    const char *driver_name = bm_vector_driver_for(path);
    if (!driver_name) {
        bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                     "unknown output format (use .geojson, .json, .gpkg or -)");
        return NULL;
    }
    bm_vector_out *out = calloc(1, sizeof *out);
    if (!out) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    static pthread_once_t sink_handler = PTHREAD_ONCE_INIT;
    pthread_once(&sink_handler, install_sink_handler);
    out->driver = driver_name;
    out->to_stdout = strcmp(path, "-") == 0;
    out->target.fd = -1;
    if (!out->to_stdout && bm_atomic_file_begin(&out->target, path, err) != BM_OK) {
        free(out);
        return NULL;
    }
    char ds_name[1200];
    if (strcmp(driver_name, "GeoJSON") == 0) {
        sink_register(&out->sink, out->to_stdout ? STDOUT_FILENO : out->target.fd);
        snprintf(ds_name, sizeof ds_name, SINK_PREFIX "%p/out.geojson", (void *)&out->sink);
    } else {
        /* SQLite creates the file itself; the random name stays ours. */
        bm_atomic_file_release(&out->target);
        snprintf(ds_name, sizeof ds_name, "%s", out->target.temp_path);
    }
    GDALDriverH drv = GDALGetDriverByName(driver_name);
    /* SQLite's default 2 MB page cache spills the pages a GeoPackage's
     * spatial index keeps changing: 45,000 writes of 4 kB for a 17 MB
     * file of 100,000 points, 4,200 with 8 MB. A user's setting stands. */
    int cache = !is_sink(out) && !CPLGetConfigOption("OGR_SQLITE_CACHE", NULL);
    if (cache)
        CPLSetThreadLocalConfigOption("OGR_SQLITE_CACHE", "8");
    CPLErrorReset();
    out->ds = drv ? GDALCreate(drv, ds_name, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (cache)
        CPLSetThreadLocalConfigOption("OGR_SQLITE_CACHE", NULL);
    /* The GeoPackage driver returns a dataset whose tables it could not
     * write (a full disk): its first failure is the reason to report. */
    if (!out->ds || CPLGetLastErrorType() >= CE_Failure) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot create %s dataset: %s",
                     driver_name, CPLGetLastErrorMsg());
        bm_vector_out_abort(out);
        return NULL;
    }
    /* One transaction for the whole file: a GeoPackage otherwise commits
     * (and syncs) every feature. GeoJSON has none and says so. */
    out->in_transaction = GDALDatasetStartTransaction(out->ds, FALSE) == OGRERR_NONE;
    return out;
}

OGRLayerH bm_vector_out_layer(bm_vector_out *out, const char *name,
                              OGRwkbGeometryType type, bm_error *err)
{
    /* GDAL's RFC 7946 mode rewinds polygons and cuts lines at the
     * antimeridian, by copying every feature; points in CRS84 (which
     * writes no crs member) come out the same without it, a third faster. */
    int geojson = strcmp(out->driver, "GeoJSON") == 0;
    int plain_points = geojson && wkbFlatten(type) == wkbPoint;
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
    if (plain_points)
        OSRSetFromUserInput(wgs84, "OGC:CRS84");
    else
        OSRSetWellKnownGeogCS(wgs84, "WGS84");
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    char **options = NULL;
    if (geojson) {
        options = CSLSetNameValue(options, "RFC7946", plain_points ? "NO" : "YES");
        options = CSLSetNameValue(options, "COORDINATE_PRECISION", "6");
        options = CSLSetNameValue(options, "WRITE_NAME", "NO");
        /* Real properties at 15 significant digits, which every decimal of
         * up to 15 digits reads back as (GDAL still shortens one ending in
         * a 999999 run): GDAL's default prints 17 and, on a 999999 or
         * 000000 run, again at 16 (then 15, 14), which was 2.4 G of the
         * 9.5 G instructions writing 100k CSV rows (1.25 G saved, bytes
         * unchanged for them). Coordinates keep COORDINATE_PRECISION. */
        options = CSLSetNameValue(options, "SIGNIFICANT_FIGURES", "15");
    }
    OGRLayerH layer = GDALDatasetCreateLayer(out->ds, name, wgs84, type, options);
    CSLDestroy(options);
    OSRRelease(wgs84);
    if (!layer)
        bm_error_set(err, BM_ERR_RUNTIME, bm_vector_out_path(out), 0, NULL,
                     "cannot create layer '%s': %s", name, CPLGetLastErrorMsg());
    return layer;
}

bm_status bm_vector_out_field(bm_vector_out *out, OGRLayerH layer,
                              const char *name, OGRFieldType type, bm_error *err)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, type);
    OGRErr rc = OGR_L_CreateField(layer, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (rc != OGRERR_NONE)
        return bm_error_set(err, BM_ERR_RUNTIME, bm_vector_out_path(out), 0, name,
                            "cannot create field: %s", CPLGetLastErrorMsg());
    return BM_OK;
}

GDALDatasetH bm_vector_out_dataset(bm_vector_out *out)
{
    return out->ds;
}

const char *bm_vector_out_path(const bm_vector_out *out)
{
    return out->to_stdout ? "standard output" : out->target.final_path;
}

bm_status bm_vector_out_commit(bm_vector_out *out, bm_error *err)
{
    CPLErrorReset();
    int committed = !out->in_transaction || GDALDatasetCommitTransaction(out->ds) == OGRERR_NONE;
    GDALClose(out->ds);
    out->ds = NULL;
    bm_status st = BM_OK;
    const char *name = out->to_stdout ? "standard output" : out->target.final_path;
    if (is_sink(out)) {
        sink_unregister(&out->sink);
        if (out->sink.error)
            st = bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "writing failed: %s",
                              strerror(out->sink.error));
    }
    if (st == BM_OK && (!committed || CPLGetLastErrorType() >= CE_Failure))
        st = bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "writing failed: %s",
                          CPLGetLastErrorMsg());
    if (!out->to_stdout) {
        if (st == BM_OK)
            st = bm_atomic_file_commit(&out->target, err);
        else
            bm_atomic_file_abort(&out->target);
    }
    free(out);
    return st;
}

void bm_vector_out_abort(bm_vector_out *out)
{
    if (!out)
        return;
    if (out->ds)
        GDALClose(out->ds);
    if (is_sink(out))
        sink_unregister(&out->sink);
    if (!out->to_stdout)
        bm_atomic_file_abort(&out->target);
    free(out);
}
