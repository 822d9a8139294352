/*
 * test_png.c — the PNG encoder (png_out.c): what libpng decodes from its
 * files is the page's pixels, unpremultiplied, for opaque and translucent
 * pages and for heights whose halves differ or are empty; the same pixels
 * give the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <png.h>

#include "png_out.h"

/* A premultiplied ARGB32 page with a pattern deflate cannot predict
 * (an LCG), opaque unless translucent is set. */
static uint32_t *make_page(int width, int height, int translucent)
{
    uint32_t *p = malloc((size_t)width * (size_t)height * sizeof *p), seed = 12345;
    assert_non_null(p);
    for (int i = 0; i < width * height; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t a = translucent ? (seed >> 24) : 255;
        uint32_t r = (seed >> 16 & 255) * a / 255, g = (seed >> 8 & 255) * a / 255, b = (i & 255) * a / 255;
        /* long runs of one colour, as a map has, every few rows */
        if ((i / width) % 3 == 0)
            r = g = b = a;
        p[i] = a << 24 | r << 16 | g << 8 | b;
    }
    return p;
}

static unsigned char *encode(const uint32_t *page, int width, int height, size_t *size)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, size);
    assert_non_null(f);
    assert_int_equal(bm_png_write((const unsigned char *)page, width, height, width * 4, 96, f), 0);
    assert_int_equal(fclose(f), 0);
    return (unsigned char *)buf;
}

/* Decoded by libpng's simplified API as non-premultiplied RGBA. */
static unsigned char *decode(const unsigned char *png, size_t size, int width, int height)
{
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&image, png, size));
    assert_int_equal(image.width, width);
    assert_int_equal(image.height, height);
    image.format = PNG_FORMAT_RGBA;
    unsigned char *rgba = malloc(PNG_IMAGE_SIZE(image));
    assert_non_null(rgba);
    assert_true(png_image_finish_read(&image, NULL, rgba, 0, NULL));
    return rgba;
}

static void check_round_trip(int width, int height, int translucent)
{
    uint32_t *page = make_page(width, height, translucent);
    size_t size = 0;
    unsigned char *png = encode(page, width, height, &size);
    unsigned char *rgba = decode(png, size, width, height);
    for (int i = 0; i < width * height; i++) {
        uint32_t p = page[i];
        unsigned a = p >> 24, c[3] = {p >> 16 & 255, p >> 8 & 255, p & 255};
        for (int k = 0; k < 3; k++) {
            unsigned want = a ? (c[k] * 255 + a / 2) / a : 0; /* rounded unpremultiplying */
            if (rgba[4 * i + k] != want)
                fail_msg("%dx%d pixel %d channel %d: %u, want %u", width, height, i, k,
                         rgba[4 * i + k], want);
        }
        assert_int_equal(rgba[4 * i + 3], a);
    }
    free(rgba);
    free(png);
    free(page);
}

static void test_opaque_pages(void **state)
{
    (void)state;
    check_round_trip(300, 200, 0);
    check_round_trip(301, 201, 0); /* halves of 100 and 101 rows */
    check_round_trip(17, 1, 0);    /* an empty upper half */
    check_round_trip(1, 2, 0);
}

static void test_translucent_pages(void **state)
{
    (void)state;
    check_round_trip(64, 33, 1);
    check_round_trip(5, 1, 1);
}

/* More than one 1 MiB IDAT chunk of incompressible rows per half. */
static void test_large_page(void **state)
{
    (void)state;
    check_round_trip(1500, 1000, 1);
}

static void test_same_pixels_same_bytes(void **state)
{
    (void)state;
    uint32_t *page = make_page(640, 480, 0);
    size_t a_size = 0, b_size = 0;
    unsigned char *a = encode(page, 640, 480, &a_size), *b = encode(page, 640, 480, &b_size);
    assert_int_equal(a_size, b_size);
    assert_memory_equal(a, b, a_size);
    free(a);
    free(b);
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opaque_pages),
        cmocka_unit_test(test_translucent_pages),
        cmocka_unit_test(test_large_page),
        cmocka_unit_test(test_same_pixels_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
