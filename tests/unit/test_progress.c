/*
 * test_progress.c — the CLI's progress line (src/cli/progress.c): drawn in
 * place on a terminal, at most ~5 times a second, erased at the end; nothing
 * at all on a pipe, with TERM=dumb or when quiet.
 *
 * Each case forks a child on a pseudo-terminal that reports progress for
 * about 1.2 s, and looks at the bytes the terminal received.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "progress.h"

#define RUN_SECONDS 1.2
#define TOTAL 1000000

typedef struct run_opts {
    const char *term;  /* TERM in the child; NULL unsets it */
    int stderr_pipe;   /* stderr to a pipe instead of the terminal */
    int quiet;
    size_t total;      /* 0: unknown */
    int callback;      /* through cli_progress_callback */
    double delay;      /* seconds between start and the first update */
} run_opts;

typedef struct output {
    char tty[65536], pipe[65536];
    size_t tty_len, pipe_len;
} output;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One call per "row", as a command would make; done reaches TOTAL at the
 * end of the run. */
static void child(const run_opts *o)
{
    cli_progress *p = cli_progress_start("geocode", "rows", o->callback ? 0 : o->total, o->quiet);
    if (o->delay > 0)
        nanosleep(&(struct timespec){0, (long)(o->delay * 1e9)}, NULL);
    double start = now_seconds(), t = 0;
    size_t done = 0;
    for (unsigned long i = 0; t < RUN_SECONDS; i++) {
        if (i % 1024 == 0) {
            t = now_seconds() - start;
            done = (size_t)(t / RUN_SECONDS * TOTAL);
            if (done > TOTAL)
                done = TOTAL;
        }
        if (o->callback)
            cli_progress_callback(p, done, o->total);
        else
            cli_progress_update(p, done);
    }
    cli_progress_finish(p);
}

static void drain(int fd, char *buf, size_t size, size_t *len)
{
    ssize_t n;
    while ((n = read(fd, buf + *len, size - 1 - *len)) > 0)
        *len += (size_t)n;
    buf[*len] = '\0';
}

static void run(const run_opts *o, output *out)
{
    int fds[2] = {-1, -1}, master;
    memset(out, 0, sizeof *out);
    if (o->stderr_pipe)
        assert_int_equal(pipe(fds), 0);
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    if (pid < 0 && (errno == ENOENT || errno == ENXIO || errno == EACCES)) {
        fprintf(stderr, "no pseudo-terminals here: %s\n", strerror(errno));
        skip();
    }
    assert_true(pid >= 0);
    if (pid == 0) {
        if (o->term)
            setenv("TERM", o->term, 1);
        else
            unsetenv("TERM");
        if (o->stderr_pipe) {
            dup2(fds[1], STDERR_FILENO);
            close(fds[0]);
            close(fds[1]);
        }
        child(o);
        _exit(0);
    }
    if (o->stderr_pipe)
        close(fds[1]);
    /* Reading the master fails with EIO once the child has closed the
     * terminal; the pipe output is small enough to wait in the pipe. */
    for (;;) {
        ssize_t n = read(master, out->tty + out->tty_len, sizeof out->tty - 1 - out->tty_len);
        if (n > 0)
            out->tty_len += (size_t)n;
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break;
    }
    out->tty[out->tty_len] = '\0';
    if (o->stderr_pipe) {
        drain(fds[0], out->pipe, sizeof out->pipe, &out->pipe_len);
        close(fds[0]);
    }
    close(master);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static size_t count(const char *s, size_t len, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        n += memcmp(s + i, needle, k) == 0;
    return n;
}

static output out;

static void test_terminal_shows_a_line_redrawn_in_place(void **state)
{
    (void)state;
    run(&(run_opts){.term = "xterm", .total = TOTAL}, &out);
    assert_non_null(strstr(out.tty, "\r"));
    assert_non_null(strstr(out.tty, "rows/s"));
    assert_non_null(strstr(out.tty, "\rbordermap geocode: "));
    assert_non_null(strstr(out.tty, " / 1,000,000 rows ("));
    assert_non_null(strstr(out.tty, "%), "));
    assert_non_null(strstr(out.tty, " s left\033[K"));
    assert_null(strchr(out.tty, '\n')); /* in place, never a new line */
    /* ~5 redraws a second, none in the first 0.2 s, plus the erasing "\r". */
    size_t redraws = count(out.tty, out.tty_len, "\r");
    assert_in_range(redraws, 3, 8);
    assert_int_equal(count(out.tty, out.tty_len, "\033[K"), redraws);
    /* finish erases the line so the summary starts clean */
    assert_true(out.tty_len >= 4);
    assert_memory_equal(out.tty + out.tty_len - 4, "\r\033[K", 4);
}

/* The rates drawn, in rows/s; returns how many frames had one. */
static size_t rates(const char *tty, double *min, double *max)
{
    size_t n = 0;
    *min = 1e300, *max = 0;
    for (const char *f = strchr(tty, '\r'); f; f = strchr(f + 1, '\r')) {
        const char *end = strchr(f + 1, '\r'), *r = strstr(f, " rows/s");
        if (!r || (end && r > end))
            continue;
        while (r > f && r[-1] != ' ')
            r--;
        double v = 0;
        for (; *r != ' '; r++)
            if (*r != ',')
                v = v * 10 + (*r - '0');
        *min = v < *min ? v : *min;
        *max = v > *max ? v : *max;
        n++;
    }
    return n;
}

/* A command that spends time before its first row (opening, loading the
 * gazetteer) must not show a rate, or a time left, diluted by it. */
static void test_rate_counts_from_the_first_update(void **state)
{
    (void)state;
    run(&(run_opts){.term = "xterm", .total = TOTAL, .delay = 0.6}, &out);
    double lo, hi;
    assert_in_range(rates(out.tty, &lo, &hi), 3, 7);
    /* done grows by TOTAL / RUN_SECONDS = 833,000 rows a second */
    assert_true(lo > 600000 && hi < 1100000);
    assert_null(strstr(out.tty, " min "));
    assert_null(strstr(out.tty, " h "));
}

static void test_terminal_without_total(void **state)
{
    (void)state;
    run(&(run_opts){.term = "xterm", .total = 0}, &out);
    assert_non_null(strstr(out.tty, "\rbordermap geocode: "));
    assert_non_null(strstr(out.tty, " rows, "));
    assert_non_null(strstr(out.tty, " rows/s\033[K"));
    assert_null(strstr(out.tty, "%"));
    assert_null(strstr(out.tty, "left"));
}

static void test_callback_takes_the_total_it_is_given(void **state)
{
    (void)state;
    run(&(run_opts){.term = "xterm", .total = TOTAL, .callback = 1}, &out);
    assert_non_null(strstr(out.tty, " / 1,000,000 rows ("));
    assert_non_null(strstr(out.tty, "rows/s"));
}

static void test_unset_term_still_shows(void **state)
{
    (void)state;
    run(&(run_opts){.term = NULL, .total = TOTAL}, &out);
    assert_non_null(strstr(out.tty, "rows/s"));
}

static void test_pipe_gets_nothing(void **state)
{
    (void)state;
    run(&(run_opts){.term = "xterm", .stderr_pipe = 1, .total = TOTAL}, &out);
    assert_int_equal(out.pipe_len, 0);
    assert_int_equal(out.tty_len, 0);
}

static void test_quiet_gets_nothing(void **state)
{
    (void)state;
    run(&(run_opts){.term = "xterm", .quiet = 1, .total = TOTAL}, &out);
    assert_int_equal(out.tty_len, 0);
}

static void test_dumb_terminal_gets_nothing(void **state)
{
    (void)state;
    run(&(run_opts){.term = "dumb", .total = TOTAL}, &out);
    assert_int_equal(out.tty_len, 0);
}

static void test_null_is_accepted(void **state)
{
    (void)state;
    cli_progress_update(NULL, 1);
    cli_progress_callback(NULL, 1, 2);
    cli_progress_finish(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terminal_shows_a_line_redrawn_in_place),
        cmocka_unit_test(test_rate_counts_from_the_first_update),
        cmocka_unit_test(test_terminal_without_total),
        cmocka_unit_test(test_callback_takes_the_total_it_is_given),
        cmocka_unit_test(test_unset_term_still_shows),
        cmocka_unit_test(test_pipe_gets_nothing),
        cmocka_unit_test(test_quiet_gets_nothing),
        cmocka_unit_test(test_dumb_terminal_gets_nothing),
        cmocka_unit_test(test_null_is_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
