/*
 * png_out.h — a drawn page as a PNG file.
 *
 * The pixels are cairo's ARGB32 (premultiplied, native-endian words); the
 * file is 8-bit RGB, or RGBA when any pixel is not opaque, with the
 * resolution as a pHYs chunk so the image prints at its size. The same
 * pixels always give the same bytes.
 */
#ifndef BM_PNG_OUT_H
#define BM_PNG_OUT_H

#include <stdio.h>

/* Writes the width x height pixels (rows stride bytes apart) to out.
 * Returns 0, or -1 when out of memory or when libpng or zlib fail;
 * write errors of out are the caller's to check (ferror, fclose). */
int bm_png_write(const unsigned char *pixels, int width, int height, int stride, double dpi,
                 FILE *out);

#endif
