/*
 * test_extract.c — the extraction rules on sentences written for these
 * tests (none is taken from the source articles): name matching, event
 * cues, common-word and person-name false positives, origin against
 * location, frontier phrases, "X district of the Y region", repeated
 * mentions, fatalities, dates against an anchor, the confidence floor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "extract.h"
#include "gazetteer.h"
#include "textmatch.h"

typedef struct fixture {
    GEOSContextHandle_t geos;
    bm_gazetteer *g;
} fixture;

static fixture fx;

static void quiet(const char *fmt, ...)
{
    (void)fmt;
}

static int setup(void **state)
{
    bm_error err;
    bm_error_clear(&err);
    fx.geos = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(fx.geos, quiet);
    GEOSContext_setErrorHandler_r(fx.geos, quiet);
    fx.g = bm_gazetteer_load(fx.geos, &err);
    *state = &fx;
    return fx.g ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    bm_gazetteer_free(fx.g);
    GEOS_finish_r(fx.geos);
    return 0;
}

static const bm_civil_date anchor_2021 = {2021, 5, 12}; /* a Wednesday */

/* Extracts text (one article) with anchor 2021-05-12 into rows. */
static void extract(const char *text, bm_extract_rows *rows, double min_confidence)
{
    bm_error err;
    bm_error_clear(&err);
    bm_extract_options opt = {.min_confidence = min_confidence};
    assert_int_equal(bm_extract_text(fx.g, text, strlen(text), "test.txt", "Test", &anchor_2021,
                                     &opt, rows, &err),
                     BM_OK);
}

static const bm_extract_row *row_at(const bm_extract_rows *rows, const char *location)
{
    for (size_t i = 0; i < rows->n; i++)
        if (strcmp(rows->rows[i].location, location) == 0)
            return &rows->rows[i];
    return NULL;
}

static void test_words_and_names(void **state)
{
    (void)state;
    bm_error err;
    const char *t = "Guards near Kurgan-Tyube, Uzbekistan’s Termez and Kant air base.";
    bm_text_words w;
    assert_int_equal(bm_text_words_split(t, strlen(t), &w, &err), BM_OK);
    bm_text_name n[8];
    size_t k = bm_textmatch_names(fx.g, &w, 0, w.n, n, 8);
    assert_int_equal(k, 4);
    /* byte offsets of the original text, the hyphenated name one match */
    assert_int_equal(n[0].end - n[0].start, strlen("Kurgan-Tyube"));
    assert_memory_equal(t + n[0].start, "Kurgan-Tyube", n[0].end - n[0].start);
    assert_memory_equal(t + n[1].start, "Uzbekistan", n[1].end - n[1].start);
    assert_memory_equal(t + n[2].start, "Termez", n[2].end - n[2].start);
    assert_memory_equal(t + n[3].start, "Kant air base", n[3].end - n[3].start);
    /* a demonym names a country but is no place */
    bm_text_words_free(&w);
    t = "Tajik officials spoke.";
    assert_int_equal(bm_text_words_split(t, strlen(t), &w, &err), BM_OK);
    assert_int_equal(bm_textmatch_names(fx.g, &w, 0, w.n, n, 8), 1);
    assert_int_equal(n[0].kind, BM_TEXT_NAME_COUNTRY);
    assert_string_equal(n[0].iso3, "TJK");
    bm_text_words_free(&w);
}

static void test_cues(void **state)
{
    (void)state;
    bm_extract_rows rows = {0};
    extract("Tajik border guards exchanged fire with smugglers near Panj.\n\n"
            "Police detained four men in Osh.\n\n"
            "A man blew himself up outside a police station in Aktobe.\n\n"
            "Russia deployed two more helicopters to Kant air base.\n\n"
            "The weather in Khorog was mild all week.\n",
            &rows, 0);
    const bm_extract_row *r = row_at(&rows, "Panj");
    assert_non_null(r);
    assert_string_equal(r->event_type, "Battles");
    assert_string_equal(r->sub_event_type, "Armed clash");
    assert_string_equal(r->actor1, "Border Guards of Tajikistan");
    assert_string_equal(r->country, "Tajikistan");
    assert_int_equal(r->match.best.kind, BM_MATCH_PLACE);
    assert_string_equal(r->quote, "Tajik border guards exchanged fire with smugglers near Panj.");
    assert_string_equal(row_at(&rows, "Osh")->sub_event_type, "Arrests");
    assert_string_equal(row_at(&rows, "Aktobe")->sub_event_type, "Suicide bomb");
    r = row_at(&rows, "Kant air base");
    assert_non_null(r);
    assert_string_equal(r->sub_event_type, "Change to group/activity");
    assert_int_equal(r->match.best.kind, BM_MATCH_FEATURE);
    assert_null(row_at(&rows, "Khorog")); /* no cue, no row */
    assert_int_equal(rows.n, 4);
    bm_extract_rows_free(&rows);
}

static void test_false_positives(void **state)
{
    (void)state;
    bm_extract_rows rows = {0};
    /* a philosopher, a party and a group named like villages somewhere */
    extract("Students of Immanuel Kant were arrested at the university in Bishkek.\n\n"
            "The Taliban attacked a checkpoint in Kunduz.\n\n"
            "Meanwhile, many people were detained.\n",
            &rows, 0);
    assert_int_equal(rows.n, 2);
    assert_non_null(row_at(&rows, "Bishkek"));
    const bm_extract_row *r = row_at(&rows, "Kunduz");
    assert_non_null(r);
    assert_string_equal(r->actor1, "Taliban");
    assert_string_equal(r->match.best.place->country, "AFG");
    bm_extract_rows_free(&rows);
}

static void test_origin_and_reference(void **state)
{
    (void)state;
    bm_extract_rows rows = {0};
    extract("Police in Osh detained fighters from Syria.\n\n"
            "Natives of Andijan were arrested in Moscow.\n\n"
            "Troops clashed in Vahdat, 20 kilometers east of Dushanbe.\n",
            &rows, 0);
    assert_non_null(row_at(&rows, "Osh"));
    assert_null(row_at(&rows, "Syria"));
    assert_non_null(row_at(&rows, "Moscow"));
    assert_null(row_at(&rows, "Andijan"));
    assert_non_null(row_at(&rows, "Vahdat"));
    assert_null(row_at(&rows, "Dushanbe"));
    assert_int_equal(rows.n, 3);
    bm_extract_rows_free(&rows);
}

static void test_frontiers_and_levels(void **state)
{
    (void)state;
    bm_extract_rows rows = {0};
    extract("Clashes broke out on the border between Kyrgyzstan and Tajikistan.\n\n"
            "Turkmen troops reinforced their border with Afghanistan.\n\n"
            "Guards were deployed in the Kadamjay district of the Batken region.\n\n"
            "Smugglers were detained on the Murghab after a chase.\n",
            &rows, 0);
    const bm_extract_row *r = row_at(&rows, "border between Kyrgyzstan and Tajikistan");
    assert_non_null(r);
    assert_int_equal(r->match.best.kind, BM_MATCH_FRONTIER);
    assert_string_equal(r->match.best.place->id, "KGZ-TJK");
    r = row_at(&rows, "border with Afghanistan");
    assert_non_null(r);
    assert_int_equal(r->match.best.kind, BM_MATCH_FRONTIER);
    assert_string_equal(r->country, "Turkmenistan");
    assert_string_equal(r->actor1, "Military Forces of Turkmenistan");
    /* the most specific level, the region as the admin1 the text gave */
    r = row_at(&rows, "Kadamjay district");
    assert_non_null(r);
    assert_int_equal(r->match.best.kind, BM_MATCH_DISTRICT);
    assert_string_equal(r->admin1, "Batken");
    assert_non_null(strstr(r->notes, "admin1 'Batken' given by the text"));
    assert_null(row_at(&rows, "Batken"));
    /* "the Murghab" is the river */
    r = row_at(&rows, "Murghab");
    assert_non_null(r);
    assert_int_equal(r->match.best.kind, BM_MATCH_FEATURE);
    assert_non_null(strstr(r->match.best.place->name, "River"));
    bm_extract_rows_free(&rows);
}

static void test_duplicates_and_groups(void **state)
{
    (void)state;
    bm_error err;
    bm_error_clear(&err);
    bm_extract_rows rows = {0};
    const char *a = "Border guards clashed with smugglers near Panj on 3 May. "
                    "The clash near Panj on 3 May lasted an hour.\n";
    const char *b = "A clash near Panj on 3 May left the smugglers in retreat.\n";
    bm_extract_options opt = {0};
    assert_int_equal(bm_extract_text(fx.g, a, strlen(a), "a.txt", "A", &anchor_2021, &opt, &rows,
                                     &err),
                     BM_OK);
    assert_int_equal(rows.n, 1); /* one event told twice in one article */
    assert_int_equal(bm_extract_text(fx.g, b, strlen(b), "b.txt", "B", &anchor_2021, &opt, &rows,
                                     &err),
                     BM_OK);
    assert_int_equal(rows.n, 2); /* the other article's row stays */
    assert_int_equal(bm_extract_finish(fx.g, &rows, &err), BM_OK);
    assert_string_equal(rows.rows[0].event_date, "2021-05-03");
    assert_int_equal(rows.rows[0].time_precision, 1);
    assert_int_equal(rows.rows[0].event_group, rows.rows[1].event_group);
    assert_string_equal(rows.rows[0].event_id, "TJK-C1");
    assert_string_equal(rows.rows[1].event_id, "TJK-C2");
    assert_string_equal(rows.rows[1].source_file, "b.txt");
    bm_extract_rows_free(&rows);
}

static void test_fatalities(void **state)
{
    (void)state;
    bm_extract_rows rows = {0};
    extract("One border guard was killed in a shootout near Ishkashim.\n\n"
            "Militants killed dozens of villagers near Kunduz.\n\n"
            "In Aktobe, 18 attackers, three officers and five civilians were killed in clashes.\n\n"
            "Police arrested 40 people in Osh.\n\n"
            "Gunmen attacked a post near Khorog. Two soldiers died.\n",
            &rows, 0);
    assert_int_equal(row_at(&rows, "Ishkashim")->fatalities, 1);
    const bm_extract_row *r = row_at(&rows, "Kunduz");
    assert_int_equal(r->fatalities, -1);
    assert_non_null(strstr(r->notes, "dozens"));
    assert_int_equal(row_at(&rows, "Aktobe")->fatalities, 26);
    assert_int_equal(row_at(&rows, "Osh")->fatalities, 0); /* arrests kill nobody */
    r = row_at(&rows, "Khorog");
    assert_int_equal(r->fatalities, 2); /* the next sentence goes on */
    assert_string_equal(r->quote, "Gunmen attacked a post near Khorog. Two soldiers died.");
    assert_string_equal(r->sub_event_type, "Armed clash"); /* soldiers: armed */
    bm_extract_rows_free(&rows);
}

static void test_dates(void **state)
{
    (void)state;
    bm_extract_rows rows = {0};
    extract("Police detained two men in Osh on Monday.\n\n"
            "Police detained a courier in Khujand.\n\n"
            "In March 2020 troops were deployed to Termez.\n",
            &rows, 0);
    const bm_extract_row *r = row_at(&rows, "Osh");
    assert_string_equal(r->event_date, "2021-05-10"); /* the Monday before the anchor */
    assert_int_equal(r->time_precision, 1);
    r = row_at(&rows, "Khujand");
    assert_string_equal(r->event_date, ""); /* never guessed */
    assert_int_equal(r->time_precision, 0);
    r = row_at(&rows, "Termez");
    assert_string_equal(r->event_date, "2020-03-01");
    assert_int_equal(r->time_precision, 3);
    bm_extract_rows_free(&rows);
}

static void test_follow_up_sentences(void **state)
{
    (void)state;
    bm_extract_rows rows = {0};
    /* "the incident" gives the row before its date and a place inside its
     * region; the article's own date in parentheses dates nothing */
    extract("OSH (Agency - 12 May 2021) - Guards clashed with smugglers in the Batken region.\n\n"
            "The incident took place on Monday in Isfana.\n\n"
            "Raiders crossed into Kyrgyzstan near Kyzyl-Kiya, killing two guards, and three "
            "of the raiders died.\n",
            &rows, 0);
    const bm_extract_row *r = row_at(&rows, "Isfana");
    assert_non_null(r);
    assert_string_equal(r->event_date, "2021-05-10");
    assert_string_equal(r->sub_event_type, "Armed clash");
    assert_non_null(strstr(r->notes, "place from a later sentence"));
    assert_non_null(strstr(r->quote, "The incident took place on Monday in Isfana."));
    assert_null(row_at(&rows, "Batken region"));
    r = row_at(&rows, "Kyzyl-Kiya");
    assert_non_null(r);
    assert_int_equal(r->fatalities, 5); /* two killed, three died */
    assert_int_equal(rows.n, 2);
    bm_extract_rows_free(&rows);
    /* a row placed in its actor's country takes the place told after it,
     * in another country */
    extract("Uzbek border guards shot dead two smugglers on a mountain path.\n\n"
            "The incident took place late on Tuesday near Kerben.\n",
            &rows, 0);
    assert_int_equal(rows.n, 1);
    r = &rows.rows[0];
    assert_string_equal(r->location, "Kerben");
    assert_string_equal(r->country, "Kyrgyzstan");
    assert_string_equal(r->event_date, "2021-05-11");
    assert_int_equal(r->fatalities, 2);
    assert_string_equal(r->sub_event_type, "Armed clash");
    bm_extract_rows_free(&rows);
}

static void test_confidence_floor(void **state)
{
    (void)state;
    bm_extract_rows all = {0}, kept = {0};
    const char *t = "Police detained a courier in Khujand.\n\n"
                    "Border guards clashed with smugglers near Panj on 3 May.\n\n"
                    "Troops were deployed across Uzbekistan.\n";
    extract(t, &all, 0);
    extract(t, &kept, 0.6);
    assert_int_equal(all.n, 3);
    for (size_t i = 0; i < all.n; i++) {
        assert_true(all.rows[i].confidence >= 0 && all.rows[i].confidence <= 1);
    }
    /* the dated clash at a town outranks the undated arrest and the country */
    assert_int_equal(kept.n, 1);
    assert_string_equal(kept.rows[0].location, "Panj");
    assert_true(row_at(&all, "Uzbekistan")->confidence < row_at(&all, "Panj")->confidence);
    bm_extract_rows_free(&all);
    bm_extract_rows_free(&kept);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_and_names),     cmocka_unit_test(test_cues),
        cmocka_unit_test(test_false_positives),     cmocka_unit_test(test_origin_and_reference),
        cmocka_unit_test(test_frontiers_and_levels), cmocka_unit_test(test_duplicates_and_groups),
        cmocka_unit_test(test_fatalities),          cmocka_unit_test(test_dates),
        cmocka_unit_test(test_follow_up_sentences), cmocka_unit_test(test_confidence_floor),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
