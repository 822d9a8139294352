/*
 * error.c — filling and formatting bm_error.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void bm_error_clear(bm_error *err)
{
    memset(err, 0, sizeof *err);
}

static void copy_string(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

bm_status bm_error_set(bm_error *err, bm_status status, const char *file,
                       long row, const char *field, const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    copy_string(err->file, sizeof err->file, file);
    err->row = row;
    copy_string(err->field, sizeof err->field, field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void bm_error_format(const bm_error *err, char *buf, size_t size)
{
    char where[700] = "";
    if (err->file[0] && err->row > 0)
        snprintf(where, sizeof where, "%s:%ld: ", err->file, err->row);
    else if (err->file[0])
        snprintf(where, sizeof where, "%s: ", err->file);
    else if (err->row > 0)
        snprintf(where, sizeof where, "row %ld: ", err->row);

    if (err->field[0])
        snprintf(buf, size, "%sfield '%s': %s", where, err->field, err->message);
    else
        snprintf(buf, size, "%s%s", where, err->message);
}
