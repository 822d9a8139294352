/*
 * atomic_file.c — temporary names and the final rename.
 */
#include "atomic_file.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bm_status bm_atomic_file_begin(bm_atomic_file *f, const char *path, bm_error *err)
{
    static atomic_uint counter;
    if (strlen(path) >= sizeof f->final_path)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL, "output path too long");
    snprintf(f->final_path, sizeof f->final_path, "%s", path);

    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    const char *base = path + dir_len;
    const char *dot = strrchr(base, '.');
    const char *ext = dot ? dot : "";
    int stem_len = dot ? (int)(dot - base) : (int)strlen(base);
    snprintf(f->temp_path, sizeof f->temp_path, "%.*s.%.*s.tmp-%ld-%u%s", dir_len, path,
             stem_len, base, (long)getpid(), atomic_fetch_add(&counter, 1), ext);
    return BM_OK;
}

bm_status bm_atomic_file_commit(bm_atomic_file *f, bm_error *err)
{
    if (rename(f->temp_path, f->final_path) != 0) {
        int e = errno;
        unlink(f->temp_path);
        return bm_error_set(err, BM_ERR_RUNTIME, f->final_path, 0, NULL,
                            "cannot move output into place: %s", strerror(e));
    }
    return BM_OK;
}

void bm_atomic_file_abort(bm_atomic_file *f)
{
    unlink(f->temp_path);
}
