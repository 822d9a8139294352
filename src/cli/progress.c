/*
 * progress.c — the progress line of long CLI runs (see progress.h).
 *
 * The cost per update is a decrement and a compare: the clock is read only
 * when a countdown runs out, and the countdown's length adapts so that the
 * clock is read every 5-20 ms whatever the call rate (one call per row at
 * millions of rows a second, or one per job every few seconds).
 */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_SECONDS 0.2  /* at most ~5 redraws a second, none before 0.2 s */
#define CHECK_MIN_SECONDS 0.005
#define CHECK_MAX_SECONDS 0.02
#define MAX_STRIDE (1u << 20)

struct cli_progress {
    const char *what, *unit;
    size_t total;
    unsigned left;   /* calls until the clock is read again */
    unsigned stride; /* calls between two readings */
    double last_check, last_draw;
    double base_time; /* the first update: rates count from there; < 0 before */
    size_t base_done;
    int columns; /* terminal width, 0 when unknown */
    int drawn;   /* a line is on the screen */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* 1234567 -> "1,234,567" */
static void format_count(char *buf, size_t size, unsigned long long n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", n);
    size_t o = 0;
    for (int i = 0; i < len && o + 1 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 2 < size)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* Three significant digits, so the rate does not flicker: 152,347 -> 152,000. */
static unsigned long long round3(double x)
{
    unsigned long long v = (unsigned long long)(x + 0.5), f = 1;
    while (v / f >= 1000)
        f *= 10;
    return (v + f / 2) / f * f;
}

static void format_duration(char *buf, size_t size, double seconds)
{
    long s = (long)(seconds + 0.999);
    if (s < 60)
        snprintf(buf, size, "%ld s", s);
    else if (s < 3600)
        snprintf(buf, size, "%ld min %ld s", s / 60, s % 60);
    else
        snprintf(buf, size, "%ld h %ld min", s / 3600, s % 3600 / 60);
}

/* A line being built: appends never overflow, they truncate. */
typedef struct line {
    char buf[256];
    size_t len;
} line;

static void append(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(line *l, const char *fmt, ...)
{
    size_t room = sizeof l->buf - 3 - l->len; /* keep room for "\033[K" */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(l->buf + l->len, room + 1, fmt, ap);
    va_end(ap);
    if (n > 0)
        l->len += (size_t)n < room ? (size_t)n : room;
}

static void draw(cli_progress *p, size_t done, double now)
{
    char count[32], total[32], rate_s[32], eta[32];
    line l = {.len = 0};
    /* The rate counts from the first update, not from start: what came
     * before it (opening files, loading the gazetteer) is no row. */
    double elapsed = now - p->base_time;
    double rate = done > p->base_done && elapsed > 0 ? (double)(done - p->base_done) / elapsed : 0;
    format_count(count, sizeof count, done);
    format_count(rate_s, sizeof rate_s, round3(rate));
    append(&l, "\rbordermap %s: %s", p->what, count);
    if (p->total) {
        double pct = done >= p->total ? 100 : 100.0 * (double)done / (double)p->total;
        format_count(total, sizeof total, p->total);
        append(&l, " / %s %s (%d%%)", total, p->unit, (int)pct);
    } else {
        append(&l, " %s", p->unit);
    }
    if (rate > 0)
        append(&l, ", %s %s/s", rate_s, p->unit);
    if (rate > 0 && done < p->total) {
        format_duration(eta, sizeof eta, (double)(p->total - done) / rate);
        append(&l, ", %s left", eta);
    }
    /* Stay within one line: a wrapped line would not be overwritten by "\r".
     * The text after "\r" gets at most columns - 1 characters. */
    if (p->columns > 1 && l.len > (size_t)p->columns)
        l.len = (size_t)p->columns;
    memcpy(l.buf + l.len, "\033[K", 3);
    fwrite(l.buf, 1, l.len + 3, stderr); /* stderr is unbuffered: one write */
    p->drawn = 1;
    p->last_draw = now;
}

cli_progress *cli_progress_start(const char *what, const char *unit, size_t total, int quiet)
{
    const char *term = getenv("TERM");
    if (quiet || !isatty(STDERR_FILENO) || (term && strcmp(term, "dumb") == 0))
        return NULL;
    cli_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->what = what;
    p->unit = unit;
    p->total = total;
    p->left = p->stride = 1;
    p->last_check = p->last_draw = now_seconds();
    p->base_time = -1;
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0)
        p->columns = ws.ws_col;
    return p;
}

void cli_progress_update(cli_progress *p, size_t done)
{
    if (!p || --p->left)
        return;
    double now = now_seconds(), since = now - p->last_check;
    if (since < CHECK_MIN_SECONDS && p->stride < MAX_STRIDE)
        p->stride *= 2;
    else if (since > CHECK_MAX_SECONDS && p->stride > 1)
        p->stride /= 2;
    p->left = p->stride;
    p->last_check = now;
    if (p->base_time < 0) {
        /* The first update (the countdown starts at 1, so this is the first
         * call): the first redraw comes REDRAW_SECONDS later, with a rate. */
        p->base_time = p->last_draw = now;
        p->base_done = done;
        return;
    }
    if (now - p->last_draw >= REDRAW_SECONDS)
        draw(p, done, now);
}

void cli_progress_callback(void *ctx, size_t done, size_t total)
{
    cli_progress *p = ctx;
    if (p && total)
        p->total = total;
    cli_progress_update(p, done);
}

void cli_progress_finish(cli_progress *p)
{
    if (!p)
        return;
    if (p->drawn)
        fputs("\r\033[K", stderr);
    free(p);
}
