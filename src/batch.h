/*
 * batch.h — map series: a jobs file of maps rendered in parallel, each in
 * its own worker process, skipping those whose outputs are up to date.
 *
 * A jobs file is JSON, either an array of jobs or {"defaults": {...},
 * "jobs": [...]}, where defaults supplies keys a job leaves out. A job:
 *   {"name": "kaz",                        default "job-N"
 *    "style": "central-asia.json",         required
 *    "catalog": "../geodata/catalog.csv",  default: the embedded seed catalog
 *    "overrides": {"extent": [W, S, E, N], "crs": "EPSG:32642",
 *                  "title": "...", "size": [W, H], "dpi": 150,
 *                  "filter": {"country": "Kazakhstan" | [...],
 *                             "event_type": "Battles" | [...],
 *                             "from": "2015", "to": "2015-06-30",
 *                             "bbox": [W, S, E, N] | "W,S,E,N",
 *                             "where": "fatalities > 0"}},
 *    "outputs": ["series/kaz.png", "series/kaz.svg"]}
 * The style and catalog are relative to the jobs file, so a series runs
 * the same from any directory; they, and the files the style names, must
 * resolve inside the jobs file's folder, the style's, the data folders or
 * a folder the caller allows (confine.h). Outputs are relative paths
 * inside the output root (by default the jobs file's folder), without
 * "..": a jobs file writes nowhere else, and makes folders only there. The filter keys mean what the command-line options
 * --country, --event-type, --from, --to, --bbox and --where mean (see
 * filter.h): "from": "2015", "to": "2015" is the year 2015, and a country
 * is a name or an ISO alpha-3 code. A string names one country or event
 * type (commas and all); an array lists several. The catalog is geocoded
 * once per file; a filter hides the records it rejects from the map.
 *
 * A job is up to date when every output exists and the sidecar
 * ".<first output>.bmhash" beside its first output, written by the job's
 * last good run, still holds: the hash of bordermap's version, the job's
 * JSON and how catalogs are read, and then every input that run actually
 * read, as the context recorded it (see context.h): the style, catalogs,
 * vector sources, the embedded files, and the font names, each with the
 * hash of its bytes. Any of them changed or gone makes the job run again.
 */
#ifndef BM_BATCH_H
#define BM_BATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "confine.h"
#include "context.h"
#include "error.h"
#include "filter.h"
#include "render.h"

#define BM_BATCH_PATH 1024

typedef struct bm_batch_job {
    size_t index;                 /* position in the jobs file */
    char name[128];
    char style[BM_BATCH_PATH];
    char catalog[BM_BATCH_PATH];  /* "" for the embedded seed catalog */
    bm_render_options render;     /* crs and title point into this job */
    char crs[256], title[256];
    bm_filter *filter;            /* never NULL; empty when the job sets none */
    char filter_path[256];        /* its JSON path, for errors binding it */
    const char *file;             /* the jobs file */
    char base[64];                /* the job's JSON path: "jobs[3]" */
    const char *out_root;         /* where its outputs must be */
    const bm_confine *confine;    /* what it and its style may read */
    size_t n_outputs;
    char (*outputs)[BM_BATCH_PATH];
    char *json;                   /* the job as compact JSON with sorted keys */
} bm_batch_job;

typedef struct bm_batch bm_batch;

/* Reads a jobs file. Errors are usage errors naming the file and the JSON
 * path ("jobs[3].overrides.extent"). Outputs go below the jobs file's
 * folder; jobs read there and in the data folders. */
bm_batch *bm_batch_load(const char *path, bm_error *err);
/* Same, with outputs below out_root (NULL: the jobs file's folder) and
 * reads confined to confine (which gets the jobs file's folder added;
 * NULL: the data folders); confine must outlive the batch. */
bm_batch *bm_batch_load_confined(const char *path, const char *out_root, bm_confine *confine,
                                 bm_error *err);
void bm_batch_free(bm_batch *b);
size_t bm_batch_count(const bm_batch *b);
const bm_batch_job *bm_batch_at(const bm_batch *b, size_t i);

/* "K/N" with 1 <= K <= N. */
bm_status bm_batch_parse_shard(const char *text, unsigned *k, unsigned *n, bm_error *err);
/* Whether job index belongs to shard k of n: index % n == k - 1, so the
 * shards 1/N ... N/N partition any jobs file. */
int bm_batch_in_shard(size_t index, unsigned k, unsigned n);

/* 64-bit FNV-1a over data, continuing from h (start with BM_FNV_OFFSET). */
#define BM_FNV_OFFSET 0xcbf29ce484222325ULL
uint64_t bm_batch_fnv1a(uint64_t h, const void *data, size_t size);

/* What the job is before anything is read: bordermap's version, the
 * job's JSON and the catalog read options (NULL: the defaults). */
uint64_t bm_batch_job_hash(const bm_batch_job *job, const bm_catalog_options *read);
/* Where the job's last good run recorded its hash and inputs. */
void bm_batch_sidecar_path(const bm_batch_job *job, char *buf, size_t size);
/* Whether every output exists and the sidecar holds hash and inputs that
 * are all unchanged. */
int bm_batch_job_up_to_date(const bm_batch_job *job, uint64_t hash);

/* Renders one job in the calling process and writes its sidecar. The
 * job's catalog is read and geocoded through ctx (or taken from it when
 * read before); the job's filter is bound to it (a column it needs and
 * the catalog lacks is an error naming the jobs file and the filter's
 * JSON path) and the records it rejects are left out of ctx's catalog
 * (bm_catalog_retain): batch renders in forked workers, so its own
 * catalogs stay whole. */
bm_status bm_batch_job_render(bm_context *ctx, const bm_batch_job *job,
                              const bm_catalog_options *read, bm_error *err);

typedef enum bm_job_state {
    BM_JOB_PENDING,  /* not started (yet, or ever: a failure or a stop came first) */
    BM_JOB_RUNNING,
    BM_JOB_SKIPPED,  /* up to date */
    BM_JOB_DONE,
    BM_JOB_FAILED
} bm_job_state;

typedef struct bm_job_result {
    const bm_batch_job *job;
    bm_job_state state;
    int would_run;               /* dry run: not up to date */
    double seconds;
    char error[1400];            /* formatted bm_error when failed */
    /* The job's catalog rows: read = placed + unresolved + rejected +
     * filtered (by the job's filter); all 0 when the map draws none. */
    size_t rows_read, placed, unresolved, rejected, filtered;
} bm_job_result;

typedef struct bm_batch_options {
    int workers;                 /* parallel processes; 0 means 1 */
    int keep_going;              /* start the remaining jobs after a failure */
    int dry_run;                 /* decide what would run; render nothing */
    int force;                   /* render up-to-date jobs too */
    unsigned shard_k, shard_n;   /* 0/0: every job */
    bm_catalog_options read;     /* how catalogs are read (format, layer, bad rows) */
    /* Called once per catalog when it has been read and geocoded. */
    void (*on_catalog)(const bm_catalog *c, void *ctx);
    /* Called when a job starts, is skipped or ends (never from a worker). */
    void (*on_event)(const bm_job_result *r, size_t done, size_t total, void *ctx);
    void *ctx;
    /* Set (by a signal handler) to stop: workers are killed and their
     * temporary files removed. */
    volatile sig_atomic_t *stop;
} bm_batch_options;

typedef struct bm_batch_summary {
    size_t total, done, skipped, failed, not_run;
    double seconds;
    int stopped;
    bm_job_result *results;      /* total entries, in jobs-file order; free() */
} bm_batch_summary;

/* Runs the selected jobs. Returns BM_OK when every started job
 * succeeded; a job failure is BM_ERR_RUNTIME with err naming the first. */
bm_status bm_batch_run(bm_batch *b, const bm_batch_options *opt, bm_batch_summary *sum,
                       bm_error *err);

#endif
