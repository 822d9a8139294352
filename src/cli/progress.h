/*
 * progress.h — a one-line progress display on stderr for long CLI runs.
 *
 * The library never prints; commands that loop over many rows or jobs show
 * their progress with this:
 *
 *     cli_progress *p = cli_progress_start("geocode", "rows", n, quiet);
 *     for (size_t i = 0; i < n; i++) {
 *         ...
 *         cli_progress_update(p, i + 1);
 *     }
 *     cli_progress_finish(p);
 *     fprintf(stderr, "bordermap geocode: ...summary...\n");
 *
 * The line is drawn only when stderr is a terminal, TERM is not "dumb" and
 * quiet is 0; otherwise cli_progress_start returns NULL and every function
 * here accepts NULL and does nothing, so the call sites need no conditions.
 * It is redrawn in place, at most about five times a second, and not within
 * 0.2 s of the first update, so quick runs print nothing; the rate counts
 * from the first update. Not thread-safe: call from one thread.
 */
#ifndef BM_CLI_PROGRESS_H
#define BM_CLI_PROGRESS_H

#include <stddef.h>

typedef struct cli_progress cli_progress;

/* what: the command, "geocode"; unit: "rows" or "jobs"; total: 0 when
 * unknown. Returns NULL when nothing is to be shown (or out of memory). */
cli_progress *cli_progress_start(const char *what, const char *unit, size_t total, int quiet);

/* done items so far. Cheap enough to call once per row: it reads the clock
 * only every so many calls (adapted to the call rate) and redraws
 *   "bordermap geocode: 412,000 / 1,000,000 rows (41%), 150,000 rows/s, 4 s left"
 * or without a total
 *   "bordermap geocode: 412,000 rows, 150,000 rows/s". */
void cli_progress_update(cli_progress *p, size_t done);

/* The same as a callback for library functions that take
 * void (*progress)(void *ctx, size_t done, size_t total); ctx is the
 * cli_progress (or NULL). A non-zero total replaces the one given to start. */
void cli_progress_callback(void *ctx, size_t done, size_t total);

/* Erases the line, so what is printed next starts at the left margin, and
 * frees p. NULL-safe. */
void cli_progress_finish(cli_progress *p);

#endif
