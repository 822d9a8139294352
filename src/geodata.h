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

/* bordermap's own version string, e.g. "0.1.0". */
const char *bm_version(void);

/* Registers GDAL drivers and sets the GDAL options bordermap relies on.
 * Idempotent and safe to call from several threads. */
void bm_init(void);

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
