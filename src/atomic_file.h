/*
 * atomic_file.h — write-to-temporary-then-rename, durably.
 *
 * Every output file of bordermap is first written under a hidden name in
 * the target's directory (same file system, so rename is atomic) that keeps
 * the target's extension, because some GDAL drivers check it:
 * ".<stem>.tmp-<pid>-<random><ext>". The file is created by begin with
 * O_EXCL under a name no one can predict, so a symbolic link planted in
 * the directory cannot redirect the write; commit syncs it to disk before
 * the rename and syncs the directory after, so the final name holds either
 * the old file or the whole new one, never a part. Temporaries of this
 * output that a killed run left behind (their process is gone) are
 * removed when the next one begins.
 */
#ifndef BM_ATOMIC_FILE_H
#define BM_ATOMIC_FILE_H

#include "error.h"

typedef struct bm_atomic_file {
    char final_path[1024];
    char temp_path[1100];
    int fd; /* the temporary file, open for writing until commit or abort */
} bm_atomic_file;

/* Creates the temporary file for path. A path too long is an error, never
 * cut. Writers may write through fd or reopen temp_path by name. */
bm_status bm_atomic_file_begin(bm_atomic_file *f, const char *path, bm_error *err);

/* For writers that must create the file themselves (SQLite refuses an
 * existing one): closes and removes the temporary file, keeping its
 * random name for them. */
void bm_atomic_file_release(bm_atomic_file *f);

/* Syncs the temporary file, closes it and renames it over the final one;
 * on any failure removes it and leaves the final name as it was. */
bm_status bm_atomic_file_commit(bm_atomic_file *f, bm_error *err);

/* Closes and removes the temporary file. */
void bm_atomic_file_abort(bm_atomic_file *f);

/* From now on SIGINT, SIGTERM, SIGHUP and SIGXFSZ (those not ignored)
 * remove the temporaries of every file begun and not yet committed or
 * aborted (and SQLite's journal and WAL files beside them), then end the
 * process as the signal would have. For programs that leave those
 * signals at their default action; a program that handles them itself
 * calls bm_atomic_file_remove_all. */
void bm_atomic_file_clean_on_signals(void);

/* Removes the temporaries of every live file. Async-signal-safe. */
void bm_atomic_file_remove_all(void);

#endif
