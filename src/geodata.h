/*
 * geodata.h — where the embedded data lives, and library-wide set-up.
 *
 * The embedded geodata directory is fixed at build time and can be
 * overridden with the BORDERMAP_GEODATA environment variable.
 */
#ifndef BM_GEODATA_H
#define BM_GEODATA_H

#include <stddef.h>

/* bordermap's own version string, e.g. "0.1.0". */
const char *bm_version(void);

/* Registers GDAL drivers and sets the GDAL options bordermap relies on.
 * Idempotent and safe to call from several threads. */
void bm_init(void);

/* The embedded geodata directory. */
const char *bm_geodata_dir(void);

/* Writes "<geodata dir>/<name>" to buf; returns buf. */
char *bm_geodata_path(const char *name, char *buf, size_t size);

#endif
