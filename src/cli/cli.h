/*
 * cli.h — what the subcommands of the bordermap CLI share.
 *
 * Each subcommand parses its options, calls the library, and reports a
 * bm_error through cli_fail. Exit codes: 0 ok, 1 runtime error, 2 usage.
 */
#ifndef BM_CLI_H
#define BM_CLI_H

#include "error.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_RUNTIME 1
#define CLI_EXIT_USAGE 2

int cmd_frontiers(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_geocode(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_check_data(int argc, char **argv);
int cmd_extract(int argc, char **argv);

/* Prints "bordermap: <error>" to stderr; returns the exit status. */
int cli_fail(const bm_error *err);

/* Prints "bordermap CMD: MESSAGE" and a hint to use --help; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether two paths name one existing file (same device and inode). */
int cli_same_file(const char *a, const char *b);

/* s with control characters (C0, DEL, C1, and bytes that are not UTF-8)
 * written as \xHH, for text from data that goes to the terminal: a job
 * name or catalog value must not retitle or clear it. Returns one of a few
 * rotating buffers: valid until the fourth call after. */
const char *cli_printable(const char *s);

/* Splits "A,B,C" in place into at most max items; returns the count. */
int cli_split_list(char *list, char **items, int max);

#endif
