/*
 * fuzz_jobs.c — libFuzzer harness for bm_batch_load: any bytes as a jobs
 * file give the jobs or a usage error with a JSON path, never a crash.
 * The jobs reader takes a path, so the input goes to a temporary file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/bm-fuzz-jobs-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(path);
        return 0;
    }
    size_t written = fwrite(data, 1, size, f);
    if (fclose(f) == 0 && written == size) {
        bm_error err;
        bm_batch *b = bm_batch_load(path, &err);
        for (size_t i = 0; b && i < bm_batch_count(b); i++) {
            const bm_batch_job *job = bm_batch_at(b, i);
            char sidecar[BM_BATCH_PATH + 64];
            bm_batch_sidecar_path(job, sidecar, sizeof sidecar);
        }
        bm_batch_free(b);
    }
    unlink(path);
    return 0;
}
