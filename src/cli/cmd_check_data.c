/*
 * cmd_check_data.c — `bordermap check-data`: every embedded data file
 * against the sizes and sha256 sums of SOURCES.lock.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "geodata.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bordermap check-data\n\n"
            "Checks every file of the embedded data against the size and sha256 that\n"
            "geodata/SOURCES.lock records, and prints one line per file (OK, or the\n"
            "problem). Opening a file checks its size and format only; this reads all\n"
            "of it. The data folder is BORDERMAP_GEODATA, else <data dir>/geodata.\n\n"
            "Exit status: 0 when every file matches, 1 otherwise.\n");
}

static void report(const char *name, const char *problem, void *userdata)
{
    (void)userdata;
    printf("%-30s %s\n", cli_printable(name), problem ? problem : "OK");
}

int cmd_check_data(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 1)
        return cli_usage_error("check-data", "unexpected argument '%s'", argv[1]);
    bm_error err;
    printf("%s\n", cli_printable(bm_geodata_dir()));
    if (bm_geodata_check(report, NULL, &err) != BM_OK) {
        fflush(stdout);
        return cli_fail(&err);
    }
    return CLI_EXIT_OK;
}
