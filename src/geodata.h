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

#include "error.h"

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

/* The cheap check of an embedded file, made whenever one is opened: when
 * path is a file of the geodata directory that SOURCES.lock lists (its
 * "output" lines: name, sha256, size in bytes), its size must be the one
 * recorded, and a TSV or CSV must end with a newline (GDAL checks the
 * other formats' first bytes as it opens them). Any other path is not
 * checked. A truncated countries.fgb read as 15 countries of 94. */
bm_status bm_geodata_verify(const char *path, bm_error *err);

/* Every file SOURCES.lock lists as an output, by size and sha256, for
 * `bordermap check-data`: report is called once per file with NULL or
 * the problem ("sha256 differs from SOURCES.lock"). Returns BM_OK when
 * all match; otherwise err names the first file that does not, or the
 * lock itself when it is missing or lists nothing. */
bm_status bm_geodata_check(void (*report)(const char *name, const char *problem, void *userdata),
                           void *userdata, bm_error *err);

/* An embedded geometry (an OGRGeometryH, in degrees) must lie within ±180° of
 * longitude and ±90° of latitude: a damaged file is refused with its
 * feature named, not drawn as a point nowhere. */
bm_status bm_geodata_check_lonlat(void *ogr_geometry, const char *path, long feature,
                                  bm_error *err);

#endif
