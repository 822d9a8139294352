/*
 * confine.h — which files a style or a jobs file may name, where a jobs
 * file may write, and how much one input may hold.
 *
 * A style or a jobs file is data, often someone else's: the files it
 * names are read only when they resolve (realpath, so neither a symbolic
 * link nor "..") inside an allowed folder: the embedded geodata, the
 * folders of the inputs given on the command line, folders allowed with
 * --allow-path, and the naming file's own folder. GDAL virtual file
 * systems (/vsicurl/, /vsizip/, ...), URLs and GDAL VRT files (which
 * name other files and URLs themselves) are refused there. A jobs file's
 * outputs are relative paths inside its output root, folders made only
 * there. A path longer than its buffer is an error, never cut.
 *
 * Limits: the bytes of one input file or of standard input, the features
 * of one source, the pixels of one page; each has a default and an
 * environment variable that changes it (bm_limits).
 */
#ifndef BM_CONFINE_H
#define BM_CONFINE_H

#include <stddef.h>

#include "error.h"

typedef struct bm_confine bm_confine;

/* A confinement allowing the embedded geodata folder (and the bundled
 * styles) only. NULL with err set when out of memory. */
bm_confine *bm_confine_create(bm_error *err);
void bm_confine_free(bm_confine *c);

/* Allows a folder (--allow-path): it must exist. A usage error naming
 * option otherwise. */
bm_status bm_confine_allow(bm_confine *c, const char *dir, const char *option, bm_error *err);

/* Allows the folder of a file named on the command line; nothing for
 * standard input ("-") or a path that does not resolve (reading it fails
 * later with its own error). */
bm_status bm_confine_allow_folder_of(bm_confine *c, const char *file, bm_error *err);

/* Checks a path that file (a style or jobs file, whose own folder is
 * allowed too) names at field. A usage error naming file and field when
 * it is refused or outside; a runtime error when it cannot be resolved. */
bm_status bm_confine_check(const bm_confine *c, const char *path, const char *file,
                           const char *field, bm_error *err);

/* root/rel into out when rel is a relative path without "..", /vsi or a
 * URL and the whole fits in size; a usage error naming file and field
 * otherwise. */
bm_status bm_confine_output(const char *root, const char *rel, char *out, size_t size,
                            const char *file, const char *field, bm_error *err);

/* Makes the folders of path below root (mkdir -p), refusing to go
 * through a symbolic link that leads out of root. */
bm_status bm_confine_make_dirs(const char *root, const char *path, bm_error *err);

typedef struct bm_limits {
    unsigned long long input_bytes; /* BORDERMAP_MAX_INPUT_BYTES */
    unsigned long long features;    /* BORDERMAP_MAX_FEATURES, per source */
    unsigned long long pixels;      /* BORDERMAP_MAX_PIXELS, width x height */
} bm_limits;

/* Checks an input file before it is read: a regular file (or a folder,
 * pipe or GDAL virtual path) of at most input_bytes bytes. A runtime
 * error naming path and the limit otherwise: a device such as /dev/zero
 * would be read for ever. */
bm_status bm_limits_check_file(const char *path, bm_error *err);

/* The limits in force: the defaults, or the environment's values. */
const bm_limits *bm_limits_get(void);

/* Checks the environment variables: a usage error naming the variable
 * when one is not a whole number from 1 to 2^53. */
bm_status bm_limits_check_env(bm_error *err);

#endif
