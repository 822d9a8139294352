/*
 * geodata.h — where the embedded data lives, and library-wide set-up.
 *
 * The data directory, share/bordermap, holds geodata/ and styles/. It is
 * found at run time, never where the sources were built:
 *   1. $BORDERMAP_DATA;
 *   2. installed with the program or shared library holding this code:
 *      the path from its bin/ or lib/ directory to share/bordermap is
 *      fixed at configure time (the build tree mirrors that layout);
 *   3. the configured install location, PREFIX/share/bordermap.
 * $BORDERMAP_GEODATA overrides the geodata directory alone.
 */
#ifndef BM_GEODATA_H
#define BM_GEODATA_H

#include <stddef.h>

#include <gdal.h>

/* bordermap's own version string, e.g. "0.1.0". */
const char *bm_version(void);

/* Registers GDAL drivers and sets the GDAL options bordermap relies on.
 * Idempotent and safe to call from several threads. Only the drivers of
 * bordermap's own formats (CSV, FlatGeobuf, GeoJSON, GeoJSONSeq,
 * GeoPackage, shapefiles) are registered: open a user's file with
 * bm_open_vector, which registers all of GDAL's when those cannot. */
void bm_init(void);

/* GDALOpenEx(path, flags | GDAL_OF_VECTOR, NULL, options, NULL), retried
 * with every GDAL driver registered when it fails the first time. NULL on
 * failure, with GDAL's error message of the last try. */
GDALDatasetH bm_open_vector(const char *path, unsigned int flags,
                            const char *const *options);

/* The data directory (share/bordermap). */
const char *bm_data_dir(void);

/* The bundled styles: "<data dir>/styles". Valid until the calling
 * thread's next call. */
const char *bm_styles_dir(void);

/* The embedded geodata: $BORDERMAP_GEODATA, else "<data dir>/geodata".
 * Valid until the calling thread's next call. */
const char *bm_geodata_dir(void);

/* Writes "<geodata dir>/<name>" to buf; returns buf. */
char *bm_geodata_path(const char *name, char *buf, size_t size);

/* Writes "<styles dir>/<name>" to buf; returns buf. */
char *bm_style_path(const char *name, char *buf, size_t size);

#endif
