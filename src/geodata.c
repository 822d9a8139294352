/*
 * geodata.c — locating the embedded data and initialising GDAL once.
 */
#include "geodata.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>

#ifndef BM_VERSION
#define BM_VERSION "0.0.0"
#endif
#ifndef BM_GEODATA_DIR
#define BM_GEODATA_DIR "geodata"
#endif

const char *bm_version(void)
{
    return BM_VERSION;
}

static void init_once(void)
{
    GDALAllRegister();
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

const char *bm_geodata_dir(void)
{
    const char *env = getenv("BORDERMAP_GEODATA");
    return env && *env ? env : BM_GEODATA_DIR;
}

char *bm_geodata_path(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", bm_geodata_dir(), name);
    return buf;
}
