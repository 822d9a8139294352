/*
 * main.c — the bordermap command line: global options and dispatch.
 *
 * Subcommands are thin: each lives in cmd_<name>.c and only translates
 * options into library calls.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo.h>
#include <gdal.h>
#include <geos_c.h>
#include <glib.h>
#include <pango/pango.h>
#include <proj.h>

#include "atomic_file.h"
#include "cli.h"
#include "confine.h"
#include "geodata.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

/* In the order data flows: read and geocode, derive, render or export. */
static const command commands[] = {
    {"extract", cmd_extract, "propose catalog rows from news articles, for review"},
    {"geocode", cmd_geocode, "resolve place names in a catalog to points"},
    {"frontiers", cmd_frontiers, "compute shared borders and their geodesic length"},
    {"render", cmd_render, "draw a report map (PNG, SVG, PDF) from a style"},
    {"export", cmd_export, "write the map's layers as GeoJSON or a styled GeoPackage"},
    {"batch", cmd_batch, "render a series of maps from a jobs file, in parallel"},
    {"check-data", cmd_check_data, "check the embedded data against SOURCES.lock"},
};

static void print_usage(FILE *out)
{
    fprintf(out, "Usage: bordermap [--help] [--version] COMMAND [ARGS]\n\n"
                 "Maps of security incidents and military deployments.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'bordermap COMMAND --help' for a command's options.\n"
                 "Exit status: 0 success, 1 runtime error (bad data, I/O), 2 usage error.\n\n"
                 "Data: %s (override with BORDERMAP_DATA)\n"
                 "  geodata: %s (override with BORDERMAP_GEODATA)\n"
                 "  styles:  %s\n\n"
                 "Limits (environment, whole numbers):\n"
                 "  BORDERMAP_MAX_INPUT_BYTES  bytes of one input file or stdin (%llu)\n"
                 "  BORDERMAP_MAX_FEATURES     features or rows of one source (%llu)\n"
                 "  BORDERMAP_MAX_PIXELS       width x height of one page (%llu)\n",
            bm_data_dir(), bm_geodata_dir(), bm_styles_dir(), bm_limits_get()->input_bytes,
            bm_limits_get()->features, bm_limits_get()->pixels);
}

static void print_version(void)
{
    printf("bordermap %s\n", bm_version());
    printf("GDAL %s\n", GDALVersionInfo("RELEASE_NAME"));
    printf("PROJ %s\n", proj_info().version);
    printf("GEOS %s\n", GEOSversion());
    printf("cairo %s\n", cairo_version_string());
    printf("pango %s\n", pango_version_string());
}

const char *cli_printable(const char *s)
{
    enum { BUFFERS = 4, SIZE = 2048 };
    static char buffers[BUFFERS][SIZE];
    static int next;
    char *out = buffers[next++ % BUFFERS];
    size_t len = 0;
    while (*s && len + 5 < SIZE) {
        const char *end = s;
        gunichar c = g_utf8_get_char_validated(s, -1);
        if (c != (gunichar)-1 && c != (gunichar)-2)
            end = g_utf8_next_char(s);
        if (end == s || c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            /* not UTF-8, or a control character: each byte of it escaped */
            for (const char *b = s; b < (end == s ? s + 1 : end) && len + 5 < SIZE; b++)
                len += (size_t)snprintf(out + len, SIZE - len, "\\x%02X", (unsigned char)*b);
            s = end == s ? s + 1 : end;
            continue;
        }
        memcpy(out + len, s, (size_t)(end - s));
        len += (size_t)(end - s);
        s = end;
    }
    out[len] = '\0';
    return out;
}

int cli_fail(const bm_error *err)
{
    char msg[1400];
    bm_error_format(err, msg, sizeof msg);
    fprintf(stderr, "bordermap: %s\n", cli_printable(msg));
    return err->status == BM_OK ? CLI_EXIT_RUNTIME : (int)err->status;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char msg[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "bordermap %s: %s\nTry 'bordermap %s --help'.\n", cmd, cli_printable(msg),
            cmd);
    return CLI_EXIT_USAGE;
}

int cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return strcmp(a, "-") != 0 && strcmp(b, "-") != 0 && stat(a, &sa) == 0 &&
           stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli_split_list(char *list, char **items, int max)
{
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok && n < max;
         tok = strtok_r(NULL, ",", &save))
        if (*tok)
            items[n++] = tok;
    return n;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    /* Stop at the first non-option: the rest belongs to the subcommand. */
    int c;
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_usage(stdout);
            return CLI_EXIT_OK;
        case 'V':
            print_version();
            return CLI_EXIT_OK;
        default:
            print_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    int sub = optind;
    const char *name = argv[sub];
    bm_error err;
    bm_error_clear(&err);
    if (bm_limits_check_env(&err) != BM_OK)
        return cli_fail(&err);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            /* batch handles the signals itself: it stops its workers */
            if (commands[i].run != cmd_batch)
                bm_atomic_file_clean_on_signals();
            optind = 0; /* glibc: 0 re-initialises getopt for the subcommand */
            return commands[i].run(argc - sub, argv + sub);
        }
    }
    fprintf(stderr, "bordermap: unknown command '%s'\n", cli_printable(name));
    print_usage(stderr);
    return CLI_EXIT_USAGE;
}
