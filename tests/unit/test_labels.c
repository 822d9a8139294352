/*
 * test_labels.c — the label engine: placed labels never overlap each other
 * or obstacles, point labels prefer the upper right, line labels read left
 * to right.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "labels.h"

static bm_text_style style(double size)
{
    bm_text_style st = {.size = size, .color = {0, 0, 0, 1}, .halo = {1, 1, 1, 1},
                        .halo_width = 1};
    strcpy(st.font, "DejaVu Sans");
    return st;
}

/* No box of one label intersects a box of another label. */
static void assert_no_overlaps(const bm_labels *l)
{
    size_t n = bm_labels_box_count(l);
    for (size_t i = 0; i < n; i++) {
        size_t a, b;
        bm_box p = bm_labels_box(l, i, &a);
        for (size_t j = i + 1; j < n; j++) {
            bm_box q = bm_labels_box(l, j, &b);
            if (a != b && a != (size_t)-1 && b != (size_t)-1 && bm_box_intersects(p, q))
                fail_msg("labels %zu and %zu overlap", a, b);
        }
    }
}

static void test_dense_points_never_overlap(void **state)
{
    (void)state;
    bm_labels *l = bm_labels_create((bm_box){0, 0, 600, 400});
    bm_text_style st = style(11);
    srand(7);
    size_t placed = 0;
    double pts[400][2];
    for (int i = 0; i < 400; i++) {
        pts[i][0] = rand() % 600, pts[i][1] = rand() % 400;
        bm_labels_add_obstacle(l, (bm_box){pts[i][0] - 3, pts[i][1] - 3, pts[i][0] + 3,
                                          pts[i][1] + 3});
    }
    for (int i = 0; i < 400; i++)
        placed += (size_t)bm_labels_place_point(l, &st, i % 3 ? "Dushanbe" : "Murghab River",
                                                pts[i][0], pts[i][1], 3);
    assert_true(placed > 10 && placed < 400);
    assert_int_equal(bm_labels_count(l), placed);
    assert_no_overlaps(l);
    /* Nor do they cover an obstacle. */
    for (size_t i = 0; i < bm_labels_box_count(l); i++) {
        size_t a, b;
        bm_box p = bm_labels_box(l, i, &a);
        for (size_t j = 0; a != (size_t)-1 && j < bm_labels_box_count(l); j++) {
            bm_box q = bm_labels_box(l, j, &b);
            assert_false(b == (size_t)-1 && bm_box_intersects(p, q));
        }
    }
    bm_labels_free(l);
}

static void test_point_label_prefers_upper_right(void **state)
{
    (void)state;
    bm_labels *l = bm_labels_create((bm_box){0, 0, 400, 300});
    bm_text_style st = style(12);
    assert_true(bm_labels_place_point(l, &st, "Batken", 200, 150, 4));
    bm_box b = bm_labels_box(l, 0, NULL);
    assert_true(b.x0 > 200 && b.y1 < 155 && b.y0 < 150);
    /* With the upper right taken, the next label goes elsewhere. */
    assert_true(bm_labels_place_point(l, &st, "Osh", 200, 150, 4));
    bm_box c = bm_labels_box(l, 1, NULL);
    assert_false(bm_box_intersects(b, c));
    bm_labels_free(l);
}

static void test_label_outside_area_is_dropped(void **state)
{
    (void)state;
    bm_labels *l = bm_labels_create((bm_box){0, 0, 100, 100});
    bm_text_style st = style(12);
    assert_false(bm_labels_place_box(l, &st, "Outside the frame", 60, 10));
    assert_int_equal(bm_labels_count(l), 0);
    bm_labels_free(l);
}

static void test_line_label_is_upright(void **state)
{
    (void)state;
    bm_labels *l = bm_labels_create((bm_box){0, 0, 800, 400});
    bm_text_style st = style(12);
    /* A gentle arc drawn from right to left. */
    double xy[2 * 41];
    for (int i = 0; i <= 40; i++) {
        double t = 1 - i / 40.0;
        xy[2 * i] = 50 + 700 * t;
        xy[2 * i + 1] = 200 + 40 * sin(M_PI * t);
    }
    assert_true(bm_labels_place_line(l, &st, "Tajikistan–Afghanistan · 1,344 km",
                                     "(reported: over 1,300 km)", xy, 41));
    /* Glyph boxes run left to right along the line, first row above it. */
    size_t n = bm_labels_box_count(l);
    assert_true(n > 20);
    bm_box first = bm_labels_box(l, 0, NULL), last = bm_labels_box(l, 20, NULL);
    assert_true(first.x0 < last.x0);
    assert_true(first.y1 < 200 + 40 * sin(M_PI * (first.x0 - 50) / 700) + 2);
    /* A second label along the same line cannot overlap the first. */
    bm_labels_place_line(l, &st, "Amu Darya", NULL, xy, 41);
    assert_no_overlaps(l);
    bm_labels_free(l);
}

static void test_sharp_bend_is_refused(void **state)
{
    (void)state;
    bm_labels *l = bm_labels_create((bm_box){0, 0, 400, 400});
    bm_text_style st = style(12);
    double zigzag[] = {20, 200, 60, 100, 100, 200, 140, 100, 180, 200, 220, 100, 260, 200};
    assert_false(bm_labels_place_line(l, &st, "Kyrgyzstan–Uzbekistan · 1,314 km", NULL,
                                      zigzag, 7));
    bm_labels_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense_points_never_overlap),
        cmocka_unit_test(test_point_label_prefers_upper_right),
        cmocka_unit_test(test_label_outside_area_is_dropped),
        cmocka_unit_test(test_line_label_is_upright),
        cmocka_unit_test(test_sharp_bend_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
