/*
 * atomic_file.h — write-to-temporary-then-rename.
 *
 * Every output file of bordermap is first written under a hidden name in
 * the target's directory (same file system, so rename is atomic) that keeps
 * the target's extension, because some GDAL drivers check it.
 */
#ifndef BM_ATOMIC_FILE_H
#define BM_ATOMIC_FILE_H

#include "error.h"

typedef struct bm_atomic_file {
    char final_path[1024];
    char temp_path[1100];
} bm_atomic_file;

/* Chooses a fresh temporary name for path; creates nothing yet. */
bm_status bm_atomic_file_begin(bm_atomic_file *f, const char *path, bm_error *err);

/* Renames the temporary file over the final one. */
bm_status bm_atomic_file_commit(bm_atomic_file *f, bm_error *err);

/* Removes the temporary file if it exists. */
void bm_atomic_file_abort(bm_atomic_file *f);

#endif
