/*
 * geodata.c — locating the embedded data and initialising GDAL once.
 */
/* dladdr1 and struct link_map: which file this code was loaded from. */
#define _GNU_SOURCE
#include "geodata.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <gdal.h>
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
