/*
 * cmd_batch.c — `bordermap batch`: a map series from a jobs file, with
 * progress on stderr and an optional JSON summary on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "batch.h"
#include "cli.h"
#include "cli_catalog.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap batch JOBS.json [-j N] [--keep-going] [--dry-run] [--force]\n"
            "                       [--shard K/N] [--json] [--quiet] [-o DIR]\n"
            "                       [--allow-path DIR ...]\n\n"
            "Renders every map of a jobs file, each in its own worker process.\n"
            "Jobs whose outputs exist and whose inputs (job, style, catalog, bordermap\n"
            "version) are unchanged since their last run are skipped.\n\n"
            "  -j, --jobs N    worker processes (default: the number of cores)\n"
            "  --keep-going    after a failure, start the remaining jobs anyway\n"
            "  --dry-run       list what would run and what is up to date\n"
            "  --force         render up-to-date jobs too\n"
            "  --shard K/N     run only jobs whose index %% N is K-1 (for job arrays)\n"
            "  --json          print a machine-readable summary on stdout\n"
            "  -q, --quiet     no progress and no summary; errors only\n"
            "  -o, --out-dir DIR  the output root: job outputs are relative paths\n"
            "                  inside it, without '..' (default: the jobs file's folder)\n"
            "  --allow-path DIR  lets jobs and their styles read files in DIR; by\n"
            "                  default only the jobs file's folder, each style's own\n"
            "                  and the embedded data (no /vsi paths, URLs or VRTs)\n"
            "Exit status: 0 all good, 1 a job failed or the run was interrupted,\n"
            "2 bad options or jobs file.\n\n%s"
            "A job's \"filter\" (country, event_type, from, to, bbox, where) selects\n"
            "its rows as the other commands' --country ... --where do.\n\n"
            "Spreading a series over machines, e.g. a Slurm array of 8 tasks:\n"
            "  sbatch --array=1-8 --wrap 'bordermap batch series.json --shard "
            "$SLURM_ARRAY_TASK_ID/8'\n"
            "(Kubernetes Indexed Jobs: --shard $((JOB_COMPLETION_INDEX+1))/N.)\n",
            cli_catalog_read_usage);
}

typedef struct progress {
    int tty, quiet, dry_run;
    FILE *list; /* where --dry-run lists jobs: stdout unless --json owns it */
} progress;

static const char *state_name(const bm_job_result *r)
{
    static const char *names[] = {"not run", "running", "up to date", "done", "failed"};
    if (r->would_run)
        return "would run";
    return names[r->state];
}

static void draw_bar(const bm_job_result *r, size_t done, size_t total)
{
    enum { WIDTH = 30 };
    int filled = total ? (int)(WIDTH * done / total) : WIDTH;
    fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu %s: %s", filled,
            "##############################", WIDTH - filled, "", done, total,
            cli_printable(r->job->name), state_name(r));
}

static void on_event(const bm_job_result *r, size_t done, size_t total, void *ctx)
{
    const progress *pg = ctx;
    if (r->state == BM_JOB_FAILED) {
        fprintf(stderr, "%sbordermap: %s\n", pg->tty && !pg->quiet ? "\r\033[K" : "",
                cli_printable(r->error));
    } else if (pg->quiet) {
        return;
    } else if (pg->dry_run) {
        fprintf(pg->list, "%-10s %s\n", state_name(r), cli_printable(r->job->name));
        return;
    }
    if (pg->quiet)
        return;
    if (pg->tty)
        draw_bar(r, done, total);
    else if (r->state == BM_JOB_DONE)
        fprintf(stderr, "[%zu/%zu] %s done (%.1f s): %zu rows read = %zu placed + %zu "
                        "unresolved + %zu rejected + %zu filtered out\n",
                done, total, cli_printable(r->job->name), r->seconds, r->rows_read, r->placed,
                r->unresolved,
                r->rejected, r->filtered);
    else if (r->state == BM_JOB_SKIPPED)
        fprintf(stderr, "[%zu/%zu] %s up to date\n", done, total, cli_printable(r->job->name));
}

static void on_catalog(const bm_catalog *c, void *ctx)
{
    const progress *pg = ctx;
    if (pg->quiet)
        return;
    cli_catalog_args a = {0};
    cli_catalog_note_all(&a, c, NULL);
    cli_catalog_name_rows("batch", c, &a);
    json_decref(a.unresolved);
}

static void print_summary(const bm_batch_summary *s, int tty, int dry_run)
{
    if (dry_run) {
        fprintf(stderr, "bordermap batch: %zu jobs: %zu would run, %zu up to date\n", s->total,
                s->total - s->skipped - s->failed, s->skipped);
        return;
    }
    fprintf(stderr, "%sbordermap batch: %zu jobs: %zu rendered, %zu up to date, %zu failed, "
                    "%zu not run (%.1f s)%s\n",
            tty ? "\r\033[K" : "", s->total, s->done, s->skipped, s->failed, s->not_run,
            s->seconds, s->stopped ? ", interrupted" : "");
}

static json_t *job_json(const bm_job_result *r)
{
    json_t *outs = json_array();
    for (size_t i = 0; i < r->job->n_outputs; i++)
        json_array_append_new(outs, json_string(r->job->outputs[i]));
    json_t *j = json_pack("{s:s, s:i, s:s, s:f, s:o}", "name", r->job->name, "index",
                          (json_int_t)r->job->index, "status", state_name(r), "seconds",
                          r->seconds, "outputs", outs);
    if (r->error[0])
        json_object_set_new(j, "error", json_string(r->error));
    json_object_set_new(j, "rows", json_pack("{s:I, s:I, s:I, s:I, s:I}", "read",
                                             (json_int_t)r->rows_read, "placed",
                                             (json_int_t)r->placed, "unresolved",
                                             (json_int_t)r->unresolved, "rejected",
                                             (json_int_t)r->rejected, "filtered_out",
                                             (json_int_t)r->filtered));
    return j;
}

static void print_json(const bm_batch_summary *s)
{
    json_t *jobs = json_array();
    for (size_t i = 0; i < s->total; i++)
        json_array_append_new(jobs, job_json(&s->results[i]));
    json_t *root = json_pack("{s:i, s:i, s:i, s:i, s:i, s:f, s:b, s:o}", "total",
                             (json_int_t)s->total, "rendered", (json_int_t)s->done, "skipped",
                             (json_int_t)s->skipped, "failed", (json_int_t)s->failed, "not_run",
                             (json_int_t)s->not_run, "seconds", s->seconds, "interrupted",
                             s->stopped, "jobs", jobs);
    json_dumpf(root, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(root);
}

/* The flags batch_option sets beside bm_batch_options. */
typedef struct batch_flags {
    int json, quiet;
    const char *out_root;
    bm_confine *confine;
} batch_flags;

static void install_handlers(void)
{
    /* No SA_RESTART: waitpid returns so the pool notices the stop at once. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static int run(const char *jobs_path, bm_batch_options *opt, const batch_flags *f)
{
    bm_error err;
    bm_error_clear(&err);
    int json = f->json, quiet = f->quiet;
    if (f->out_root && mkdir(f->out_root, 0777) != 0 && errno != EEXIST)
        return cli_usage_error("batch", "cannot make the output root %s: %s", f->out_root,
                               strerror(errno));
    bm_batch *b = bm_batch_load_confined(jobs_path, f->out_root, f->confine, &err);
    if (!b)
        return cli_fail(&err);
    progress pg = {isatty(STDERR_FILENO), quiet, opt->dry_run, json ? stderr : stdout};
    opt->on_event = on_event;
    opt->on_catalog = on_catalog;
    opt->ctx = &pg;
    opt->stop = &stop_requested;
    install_handlers();
    bm_batch_summary sum;
    bm_status st = bm_batch_run(b, opt, &sum, &err);
    if (!quiet)
        print_summary(&sum, pg.tty, opt->dry_run);
    if (json)
        print_json(&sum);
    if (st != BM_OK && !sum.failed)
        cli_fail(&err);
    free(sum.results);
    bm_batch_free(b);
    return st == BM_OK ? CLI_EXIT_OK : CLI_EXIT_RUNTIME;
}

enum { OPT_KEEP = 256, OPT_DRY, OPT_FORCE, OPT_SHARD, OPT_JSON, OPT_ALLOW };

/* One batch option; -1 to go on, else the exit status. */
static int batch_option(int c, const char *arg, bm_batch_options *opt, cli_catalog_args *a,
                        batch_flags *f)
{
    char *end;
    bm_error err;
    bm_error_clear(&err);
    int handled = c >= CLI_OPT_INPUT_FORMAT && c <= CLI_OPT_SKIP_BAD_ROWS
                      ? cli_catalog_option("batch", c, arg, a)
                      : 0;
    if (handled)
        return handled == 1 ? -1 : handled;
    switch (c) {
    case 'j':
        opt->workers = (int)strtol(arg, &end, 10);
        if (*end || opt->workers < 1 || opt->workers > 1024)
            return cli_usage_error("batch", "-j wants 1 to 1024 workers, got '%s'", arg);
        return -1;
    case OPT_KEEP: opt->keep_going = 1; return -1;
    case OPT_DRY: opt->dry_run = 1; return -1;
    case OPT_FORCE: opt->force = 1; return -1;
    case OPT_SHARD:
        if (bm_batch_parse_shard(arg, &opt->shard_k, &opt->shard_n, &err) != BM_OK)
            return cli_usage_error("batch", "%s", err.message);
        return -1;
    case OPT_JSON: f->json = 1; return -1;
    case 'q': f->quiet = 1; return -1;
    case 'o': f->out_root = arg; return -1;
    case OPT_ALLOW:
        return bm_confine_allow(f->confine, arg, "--allow-path", &err) == BM_OK ? -1
                                                                               : cli_fail(&err);
    case 'h': usage(stdout); return CLI_EXIT_OK;
    default: usage(stderr); return CLI_EXIT_USAGE;
    }
}

int cmd_batch(int argc, char **argv)
{
    static const struct option options[] = {
        {"jobs", required_argument, NULL, 'j'},   {"keep-going", no_argument, NULL, OPT_KEEP},
        {"dry-run", no_argument, NULL, OPT_DRY},  {"force", no_argument, NULL, OPT_FORCE},
        {"shard", required_argument, NULL, OPT_SHARD}, {"json", no_argument, NULL, OPT_JSON},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"out-dir", required_argument, NULL, 'o'}, {"allow-path", required_argument, NULL, OPT_ALLOW},
        CLI_CATALOG_READ_OPTIONS,                 {NULL, 0, NULL, 0},
    };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    bm_batch_options opt = {.workers = cores > 0 ? (int)cores : 1};
    bm_error err;
    bm_error_clear(&err);
    cli_catalog_args a = {0};
    batch_flags f = {0};
    if (!(f.confine = bm_confine_create(&err)))
        return cli_fail(&err);
    int status = -1, c;
    while (status < 0 && (c = getopt_long(argc, argv, "j:qho:", options, NULL)) != -1)
        status = batch_option(c, optarg, &opt, &a, &f);
    if (status < 0 && optind + 1 != argc)
        status = cli_usage_error("batch", optind < argc ? "one jobs file, please"
                                                        : "missing JOBS.json");
    opt.read = a.read;
    if (status < 0)
        status = run(argv[optind], &opt, &f);
    bm_confine_free(f.confine);
    return status;
}
