/*
 * png_out.c — PNG encoding, the image data deflated on two threads.
 *
 * libpng writes the signature and the IHDR, pHYs, IDAT and IEND chunks;
 * zlib compresses the image data here, the upper and the lower half of
 * the page at once: in one stream, compression was a seventh of a
 * 3000x2000 map's time. The halves join as pigz joins its blocks: the
 * upper ends on a byte boundary without ending the stream (Z_SYNC_FLUSH),
 * the lower is compressed without the upper's window and ends it, so the
 * two raw deflate streams read as one, and their Adler-32 sums combine
 * into the zlib trailer. The halves are fixed, so the bytes are too.
 */
#include "png_out.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#define ZLIB_HEADER 2  /* 0x78 0x01: deflate, 32 kB window, fastest level */
#define ZLIB_TRAILER 4 /* the Adler-32 of the uncompressed data, big-endian */
#define IDAT_MAX ((size_t)1 << 20)

/* One half of the page's rows, filtered and deflated. */
typedef struct png_half {
    const unsigned char *pixels; /* its first row */
    int width, stride, rows, alpha;
    int last;           /* the lower half: it ends the stream */
    unsigned char *out; /* room for the zlib header before the upper half's data
                         * and the trailer after the lower's */
    size_t size;        /* of the deflate data in out */
    uLong adler;        /* of the filtered rows */
    int failed;
} png_half;

static void unpremultiply_row(const uint32_t *src, unsigned char *dst, int width, int alpha)
{
    for (int x = 0; x < width; x++) {
        uint32_t p = src[x];
        unsigned a = p >> 24, r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
        if (a && a < 255)
            r = (r * 255 + a / 2) / a, g = (g * 255 + a / 2) / a, b = (b * 255 + a / 2) / a;
        unsigned char *d = dst + x * (alpha ? 4 : 3);
        d[0] = (unsigned char)r, d[1] = (unsigned char)g, d[2] = (unsigned char)b;
        if (alpha)
            d[3] = (unsigned char)a;
    }
}

static int has_transparency(const unsigned char *pixels, int width, int height, int stride)
{
    for (int y = 0; y < height; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(pixels + (size_t)y * (size_t)stride);
        for (int x = 0; x < width; x++)
            if (row[x] >> 24 != 255)
                return 1;
    }
    return 0;
}

/* Rows as PNG stores them: a filter byte (none: a map's long runs of one
 * colour need no filter, and libpng's trying all five on every row cost
 * more than compressing), then RGB or RGBA. Deflated at level 1, the
 * fastest setting and the smallest file of levels 1-3 with any filter
 * (740 kB against 980 kB for the issue-14 map). */
static void *deflate_half(void *arg)
{
    png_half *h = arg;
    size_t row_bytes = 1 + (size_t)h->width * (h->alpha ? 4 : 3);
    unsigned char *row = malloc(row_bytes);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (!row || deflateInit2(&z, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(row);
        h->failed = 1;
        return NULL;
    }
    size_t cap = deflateBound(&z, (uLong)(row_bytes * (size_t)h->rows)) + 64;
    h->out = cap <= UINT_MAX ? malloc(ZLIB_HEADER + cap + ZLIB_TRAILER) : NULL;
    h->adler = adler32(0L, Z_NULL, 0);
    z.next_out = h->out ? h->out + ZLIB_HEADER : NULL;
    z.avail_out = (uInt)cap;
    row[0] = 0;
    h->failed = !h->out;
    for (int y = 0; y < h->rows && !h->failed; y++) {
        const unsigned char *src = h->pixels + (size_t)y * (size_t)h->stride;
        unpremultiply_row((const uint32_t *)(const void *)src, row + 1, h->width, h->alpha);
        h->adler = adler32(h->adler, row, (uInt)row_bytes);
        z.next_in = row;
        z.avail_in = (uInt)row_bytes;
        int flush = y + 1 < h->rows ? Z_NO_FLUSH : h->last ? Z_FINISH : Z_SYNC_FLUSH;
        int rc = deflate(&z, flush);
        h->failed = rc == Z_STREAM_ERROR || z.avail_in != 0;
    }
    h->size = cap - z.avail_out;
    deflateEnd(&z);
    free(row);
    return NULL;
}

static void put_be32(unsigned char *p, uLong v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static void write_idat(png_structp png, const unsigned char *data, size_t size)
{
    for (size_t at = 0; at < size; at += IDAT_MAX)
        png_write_chunk(png, (png_const_bytep) "IDAT", data + at,
                        size - at < IDAT_MAX ? size - at : IDAT_MAX);
}

static int write_file(FILE *out, int width, int height, double dpi, const png_half *upper,
                      const png_half *lower)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_init_io(png, out);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 upper->alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    write_idat(png, upper->out, ZLIB_HEADER + upper->size);
    write_idat(png, lower->out + ZLIB_HEADER, lower->size + ZLIB_TRAILER);
    png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int bm_png_write(const unsigned char *pixels, int width, int height, int stride, double dpi,
                 FILE *out)
{
    int alpha = has_transparency(pixels, width, height, stride), top = height / 2;
    png_half upper = {pixels, width, stride, top, alpha, 0, NULL, 0, 0, 0};
    png_half lower = {pixels + (size_t)top * (size_t)stride, width, stride, height - top, alpha,
                      1, NULL, 0, 0, 0};
    pthread_t thread;
    int threaded = pthread_create(&thread, NULL, deflate_half, &upper) == 0;
    if (!threaded)
        deflate_half(&upper);
    deflate_half(&lower);
    if (threaded)
        pthread_join(thread, NULL);
    int rc = -1;
    if (!upper.failed && !lower.failed) {
        size_t lower_bytes = (size_t)lower.rows * (1 + (size_t)width * (alpha ? 4 : 3));
        upper.out[0] = 0x78, upper.out[1] = 0x01;
        put_be32(lower.out + ZLIB_HEADER + lower.size,
                 adler32_combine(upper.adler, lower.adler, (z_off_t)lower_bytes));
        rc = write_file(out, width, height, dpi, &upper, &lower);
    }
    free(upper.out);
    free(lower.out);
    return rc;
}
