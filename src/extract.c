/*
 * extract.c — from news sentences to candidate catalog rows.
 *
 * One pass of the name matcher (textmatch.h) over the whole article;
 * then, sentence by sentence: the strongest event cue (the table cues[],
 * in priority order), the places the sentence names as where it happened
 * (names that pass the context rules of keep_name, and frontier phrases),
 * each geocoded by the geocoder (answers kept for the run); for a sentence
 * that gives rows, its date phrases (datephrase.h), fatalities and actors.
 * A follow-up sentence ("The incident took place on Tuesday in X") refines
 * the row before it; a row repeated in one article (same place, date and
 * kind) is kept once.
 */
#include "extract.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_error.h>
#include <gdal.h>
#include <glib.h>
#include <ogr_api.h>

#include "atomic_file.h"
#include "textmatch.h"
#include "textnum.h"
#include "vector_out.h"

#define MAX_NAMES 64      /* names kept per sentence */
#define MAX_DATES 4096    /* date phrases kept per article (anchor) or sentence pair */
#define QUERY_MAX 256
#define GEOCODE_CACHE 8192 /* slots for answers of the geocoder (a power of two) */
#define QUOTE_MAX 600     /* bytes of a quote; a longer sentence is cut at a character */

/* An answer of the geocoder, kept (geocode_cached). */
typedef struct geocoded {
    char text[QUERY_MAX], admin1[96];
    bm_match m;
} geocoded;

struct bm_extract_cache {
    const bm_gazetteer *g; /* the answers' places are this gazetteer's */
    geocoded **slots;      /* GEOCODE_CACHE of them */
    size_t n;
};

/* ---- the rule table ---- */

/* Folded words; "*" at a word's end matches any ending ("clash*"). */
typedef struct cue {
    const char *words;
    const char *event_type, *sub_event_type;
    int violent;
} cue;

#define EXPLOSIONS "Explosions/Remote violence"
#define STRATEGIC "Strategic developments"
#define CHANGE "Change to group/activity"

/* In priority order: the first cue a sentence holds decides its kind. */
static const cue cues[] = {
    {"blew himself up", EXPLOSIONS, "Suicide bomb", 1},
    {"blew herself up", EXPLOSIONS, "Suicide bomb", 1},
    {"blow himself up", EXPLOSIONS, "Suicide bomb", 1},
    {"suicide bomb*", EXPLOSIONS, "Suicide bomb", 1},
    {"suicide attack*", EXPLOSIONS, "Suicide bomb", 1},
    {"airstrike*", EXPLOSIONS, "Air/drone strike", 1},
    {"air strike*", EXPLOSIONS, "Air/drone strike", 1},
    {"drone strike*", EXPLOSIONS, "Air/drone strike", 1},
    {"shelling", EXPLOSIONS, "Shelling/artillery/missile attack", 1},
    {"shelled", EXPLOSIONS, "Shelling/artillery/missile attack", 1},
    {"artillery", EXPLOSIONS, "Shelling/artillery/missile attack", 1},
    {"mortar*", EXPLOSIONS, "Shelling/artillery/missile attack", 1},
    {"rocket fire", EXPLOSIONS, "Shelling/artillery/missile attack", 1},
    {"landmine*", EXPLOSIONS, "Remote explosive/landmine/IED", 1},
    {"roadside bomb*", EXPLOSIONS, "Remote explosive/landmine/IED", 1},
    {"explosive device*", EXPLOSIONS, "Remote explosive/landmine/IED", 1},
    {"explosion*", EXPLOSIONS, "Remote explosive/landmine/IED", 1},
    {"grenade attack*", EXPLOSIONS, "Grenade", 1},
    {"threw a grenade", EXPLOSIONS, "Grenade", 1},
    {"grenade was thrown", EXPLOSIONS, "Grenade", 1},
    {"liberation", "Battles", "Government regains territory", 1},
    {"liberated", "Battles", "Government regains territory", 1},
    {"recaptured", "Battles", "Government regains territory", 1},
    {"retook", "Battles", "Government regains territory", 1},
    {"clash*", "Battles", "Armed clash", 1},
    {"exchanged fire", "Battles", "Armed clash", 1},
    {"exchange of fire", "Battles", "Armed clash", 1},
    {"shootout*", "Battles", "Armed clash", 1},
    {"firefight*", "Battles", "Armed clash", 1},
    {"gunfight*", "Battles", "Armed clash", 1},
    {"gun battle*", "Battles", "Armed clash", 1},
    {"skirmish*", "Battles", "Armed clash", 1},
    {"conflict", "Battles", "Armed clash", 1},
    {"ambush*", "Battles", "Armed clash", 1},
    {"assault*", "Battles", "Armed clash", 1},
    /* An attack or killing: a battle when armed forces are named in the
     * sentence (armed_target), else violence against civilians. */
    {"attack*", "Violence against civilians", "Attack", 1},
    {"killed", "Violence against civilians", "Attack", 1},
    {"killing", "Violence against civilians", "Attack", 1},
    {"shot dead", "Violence against civilians", "Attack", 1},
    {"opened fire", "Violence against civilians", "Attack", 1},
    {"detain*", STRATEGIC, "Arrests", 0},
    {"arrest*", STRATEGIC, "Arrests", 0},
    {"apprehended", STRATEGIC, "Arrests", 0},
    {"detention", STRATEGIC, "Arrests", 0},
    {"base was established", STRATEGIC, "Headquarters or base established", 0},
    {"established a base", STRATEGIC, "Headquarters or base established", 0},
    {"opened a base", STRATEGIC, "Headquarters or base established", 0},
    {"handed over", STRATEGIC, "Non-violent transfer of territory", 0},
    {"took over", STRATEGIC, "Non-violent transfer of territory", 0},
    {"own border security", STRATEGIC, "Non-violent transfer of territory", 0},
    {"deploy*", STRATEGIC, CHANGE, 0},
    {"redeploy*", STRATEGIC, CHANGE, 0},
    {"reinforc*", STRATEGIC, CHANGE, 0},
    {"stationed", STRATEGIC, CHANGE, 0},
    {"exercise*", STRATEGIC, CHANGE, 0},
    {"drills", STRATEGIC, CHANGE, 0},
    {"patrol*", STRATEGIC, CHANGE, 0},
    {"build up", STRATEGIC, CHANGE, 0},
    {"buildup", STRATEGIC, CHANGE, 0},
    {"increased activity", STRATEGIC, CHANGE, 0},
    {"combat potential", STRATEGIC, CHANGE, 0},
    {"troops", STRATEGIC, CHANGE, 0},
    {"border guards were observed", STRATEGIC, CHANGE, 0},
    {"spotted", STRATEGIC, CHANGE, 0},
    {"summit", STRATEGIC, "Agreement", 0},
    {"session of", STRATEGIC, "Agreement", 0},
    {"agreed", STRATEGIC, "Agreement", 0},
    {"agreement", STRATEGIC, "Agreement", 0},
    {"signed", STRATEGIC, "Agreement", 0},
    {"crossed", STRATEGIC, "Other", 0},
    {"across the border", STRATEGIC, "Other", 0},
    {"incursion*", STRATEGIC, "Other", 0},
    {"infiltrat*", STRATEGIC, "Other", 0},
    {"banned", STRATEGIC, "Other", 0},
    {"sentenced", STRATEGIC, "Other", 0},
    {"flag was hung", STRATEGIC, "Other", 0},
    {"flag was raised", STRATEGIC, "Other", 0},
    {"hoisted", STRATEGIC, "Other", 0},
    /* an armed group's presence: "Taliban in Kunduz" */
    {"taliban in", STRATEGIC, CHANGE, 0},
    {"isis in", STRATEGIC, CHANGE, 0},
    /* "The incident took place on Tuesday in X": the event of the sentence
     * before, told more precisely (refine_previous) */
    {"incident*", NULL, NULL, 0},
};

const char bm_extract_rules[] =
    "Rules (each candidate row is a proposal for review):\n"
    "  places: gazetteer names (towns, districts, regions, countries, curated\n"
    "    features) and frontier phrases (\"Tajik-Afghan border\", \"border between\n"
    "    Kyrgyzstan and Tajikistan\", \"their border with Afghanistan\"), capitalised,\n"
    "    resolved by the geocoder. Left out: demonyms alone (\"Russian\"), a\n"
    "    one-word name inside a longer capitalised name (\"Immanuel Kant\"),\n"
    "    a short common English word, where people came from (\"fighters from\n"
    "    X\", \"natives of X\", \"returned from X\"), a distance reference (\"north\n"
    "    of X\"), a country or region when the sentence names a place in it.\n"
    "    \"X district of the Y region\" resolves X with Y as admin1 (notes say so);\n"
    "    \"the X\" is tried as \"X River\" first.\n"
    "  events: a sentence with a place and a cue; the first cue of this order\n"
    "    decides: suicide bomb (blew himself up), air/drone strike, shelling/\n"
    "    artillery, IED/explosion, grenade, government regains territory\n"
    "    (liberation, recaptured), armed clash (clash, exchanged fire, shootout,\n"
    "    ambush, assault), attack/killed (Battles/Armed clash when border guards,\n"
    "    police, troops, soldiers or officers are named, else Violence against\n"
    "    civilians/Attack), arrests (detained, arrested), base established,\n"
    "    non-violent transfer (handed over), change to group/activity (deployed,\n"
    "    reinforced, stationed, exercise, drills, patrols, troops, \"Taliban in X\"),\n"
    "    agreement (agreed, signed, summit, session of), other (crossed,\n"
    "    incursion, banned, sentenced, a flag hung or hoisted); a sentence and\n"
    "    the next that goes on (see fatalities) are read for one cue.\n"
    "    A sentence with a cue and no place, whose actor is a state's (\"Russian\n"
    "    security services\", \"the Turkmen authorities\"), is placed in that\n"
    "    country; \"their (own) border\" is the article's last frontier of the\n"
    "    actor's country.\n"
    "  dates: a date phrase right before the place (\"the July 3 Baghdad\n"
    "    attack\"), else the sentence's first resolved one, else the previous\n"
    "    sentence's of the same paragraph, resolved against the article's date,\n"
    "    never the article's own date written out in its first paragraph or in\n"
    "    parentheses (\"Published: 2020-01-10\", \"KABUL (Agency - 4 January\n"
    "    2022)\"); \"on Wednesday\" falling on that date does count;\n"
    "    \"The incident took place on Tuesday in X\" gives the article's last row,\n"
    "    from one of the two sentences before, the date it lacked and X if X\n"
    "    lies in its region or country;\n"
    "    --date-hint, or the first full date in the text; none: event_date\n"
    "    empty, time_precision 0 (ACLED 1 day, 2 within a week, 3 month/year).\n"
    "  fatalities: the counts before each \"killed/dead/died\" in its clause,\n"
    "    or right after \"killing\", \"killed\", \"shot dead\", summed; a vague count\n"
    "    (\"dozens\") leaves it empty and the phrase goes to notes; 0 when\n"
    "    nobody is said to die. The next sentence counts too when it names no\n"
    "    place and tells of deaths (\"Two soldiers died.\").\n"
    "  actors: Taliban, Islamic State (ISIS), Border Guards of X, Police Forces\n"
    "    of X, Military Forces of X (X from the word before), Unidentified\n"
    "    Armed Group (militants, gunmen, insurgents), in order of mention.\n"
    "  confidence: 0.3, +0.2 a violent cue or +0.1 another, +0.15 a date\n"
    "    (+0.05 to the day), +0.1 a precise place (town, feature, frontier),\n"
    "    -0.1 only a country (-0.1 more when only an actor's), -0.15 ambiguous,\n"
    "    -0.1 date from the previous sentence, -0.15 the headline, +0.05 per\n"
    "    repeated mention; in [0, 1].\n"
    "  one article's repeated rows (place, date, kind) are one row; rows of\n"
    "  several articles on one event share event_group.\n";

/* ---- words ---- */

/* English words are compared as written, lower-cased, not folded. */
static int word_is(const bm_text_word *w, const char *s)
{
    return strcmp(w->lower, s) == 0;
}

static int word_in(const bm_text_word *w, const char *const *list)
{
    for (; *list; list++)
        if (word_is(w, *list))
            return 1;
    return 0;
}

/* Whether the cue's words start at word i (a pattern word ending in '*'
 * matches any word it begins). */
static int cue_at(const bm_text_words *w, size_t i, size_t to, const char *pattern, size_t *len)
{
    size_t k = 0;
    for (const char *p = pattern; *p; k++) {
        size_t pl = strcspn(p, " ");
        if (i + k >= to)
            return 0;
        const char *f = w->w[i + k].lower;
        int prefix = p[pl - 1] == '*';
        size_t cmp = prefix ? pl - 1 : pl;
        if (strncmp(f, p, cmp) != 0 || (!prefix && f[cmp] != '\0'))
            return 0;
        p += pl + (p[pl] == ' ');
    }
    *len = k;
    return 1;
}

/* The first cue of the table in words [from, to), or NULL. One pass over
 * the words; a cue is tried only where its first letter is. */
static const cue *find_cue(const bm_text_words *w, size_t from, size_t to, size_t *at)
{
    size_t best = sizeof cues / sizeof *cues;
    for (size_t i = from; i < to; i++) {
        char first = w->w[i].lower[0];
        for (size_t c = 0; c < best; c++) {
            size_t len;
            if (cues[c].words[0] == first && cue_at(w, i, to, cues[c].words, &len))
                best = c, *at = i;
        }
    }
    return best < sizeof cues / sizeof *cues ? &cues[best] : NULL;
}

static const char *const armed_words[] = {"guard",   "guards",   "police",   "policemen",
                                          "troops",  "soldiers", "soldier",  "officers",
                                          "officer", "military", "servicemen", NULL};

static int names_armed(const bm_text_words *w, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (word_in(&w->w[i], armed_words))
            return 1;
    return 0;
}

/* ---- context rules for names ---- */

/* English words, months, groups and holidays that are also names of
 * places somewhere; as capitalised neighbours they do not make a name
 * longer ("In Batken"). */
static const char *const common_words[] = {
    "a",     "about", "after",   "also",  "an",     "and",   "as",     "at",    "back",
    "but",   "by",    "during",  "for",   "from",   "given", "he",     "her",   "his",
    "if",    "in",    "it",      "its",   "many",   "may",   "most",   "more",  "no",
    "not",   "of",    "on",      "one",   "or",     "our",   "people", "she",   "so",
    "some",  "such",  "that",    "the",   "their",  "there", "these",  "they",  "this",
    "to",    "under", "up",      "we",    "what",   "when",  "where",  "which", "while",
    "who",   "why",   "will",    "with",  "year",   "last",  "early",  "late",  "mid",
    "north", "south", "east",    "west",  "central", "new",  "old",    "great", "meanwhile",
    "experts", "president", "islam", "media", "state", "union", "general", "director",
    "march", "may",   "june",    "july",  "april",  "august", "monday", "sunday", "photo",
    "taliban", "ramadan", "isis", "isil", "daesh", "allah", "god", "prophet",
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens",
    "hundreds", "several", "source", "outlet", "title", "published", "men", "women",
    "kill", "guards", "police", "army", "troops", "border",
    NULL};

static const char *const origin_before[] = {"from", "natives", "native", "citizens", "nationals",
                                            "immigrants", "migrants", "born", NULL};
static const char *const reference_words[] = {"north", "south", "east", "west", "northeast",
                                              "northwest", "southeast", "southwest", NULL};
static const char *const admin_words[] = {"region", "province", "oblast", "oblasti",
                                          "viloyat", "velayat", "governorate", NULL};
static const char *const kind_words[] = {"region",  "province", "oblast",   "district", "rayon",
                                         "river",   "base",     "airbase",  "air",      "valley",
                                         "city",    "town",     "village",  "gorge",    "pass",
                                         "airport", "airfield", "crossing", "checkpoint", NULL};
static const char *const connector_words[] = {"i", "e", "al", "el", "ul", "ad", "as", "ar",
                                              "de", "of", "on", "sur", "am", "an", "der", NULL};
static const char *const border_words[] = {"border", "borders", "frontier", "boundary", NULL};

/* "from X", "natives of X", "fighters from X province": where people came
 * from, two words back at most ("from the X"). */
static int is_origin(const bm_text_words *w, size_t first, size_t sent_from)
{
    for (size_t back = 1; back <= 3 && first >= sent_from + back; back++) {
        const bm_text_word *b = &w->w[first - back];
        if (word_in(b, origin_before))
            return !(back >= 2 && word_is(&w->w[first - back + 1], "across"));
        if (!word_is(b, "the") && !word_is(b, "of"))
            return 0;
    }
    return 0;
}

/* "130 kilometers north of X": X only locates something else. */
static int is_reference(const bm_text_words *w, size_t first, size_t sent_from)
{
    return first >= sent_from + 2 && word_is(&w->w[first - 1], "of") &&
           word_in(&w->w[first - 2], reference_words);
}

/* A name beside another capitalised word (not a kind word such as
 * "Region") is part of a person's or an organisation's name ("Immanuel
 * Kant", "Russia Direct", "United States Central Command"). */
static int inside_longer_name(const bm_text_words *w, const bm_text_name *n, size_t sent_from,
                              size_t sent_to)
{
    size_t i = n->first, j = n->first + n->count;
    int before = i > sent_from && w->w[i].joined && w->w[i - 1].capital &&
                 !word_in(&w->w[i - 1], common_words);
    int after = j < sent_to && w->w[j].joined && w->w[j].capital &&
                !word_in(&w->w[j], kind_words) && !word_in(&w->w[j], common_words);
    return before || after;
}

static int keep_name(const bm_text_words *w, const bm_text_name *n, size_t sent_from,
                     size_t sent_to)
{
    if (n->kind == BM_TEXT_NAME_COUNTRY)
        return 0; /* a demonym or code alone is no place */
    const bm_text_word *first = &w->w[n->first];
    if (word_in(first, common_words) || (n->count == 1 && strlen(first->lower) < 3))
        return 0;
    /* "A man" is no Amman: the words of a name are capitalised, but for
     * kind words ("Kant air base") and connectors ("Mazar-i-Sharif") */
    for (size_t i = n->first + 1; i < n->first + n->count; i++)
        if (!w->w[i].capital && !word_in(&w->w[i], kind_words) &&
            !word_in(&w->w[i], connector_words))
            return 0;
    return !is_origin(w, n->first, sent_from) && !is_reference(w, n->first, sent_from) &&
           !inside_longer_name(w, n, sent_from, sent_to);
}

static int all_capitals(const char *text, const bm_text_word *wd)
{
    for (size_t i = wd->start; i < wd->end; i++)
        if (text[i] >= 'a' && text[i] <= 'z')
            return 0;
    return wd->end - wd->start > 1;
}

/* ---- rows ---- */

static bm_extract_row *new_row(bm_extract_rows *rows, bm_error *err)
{
    if (rows->n == rows->cap) {
        size_t cap = rows->cap ? rows->cap * 2 : 16;
        bm_extract_row *r = realloc(rows->rows, cap * sizeof *r);
        if (!r) {
            bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
            return NULL;
        }
        rows->rows = r;
        rows->cap = cap;
    }
    bm_extract_row *r = &rows->rows[rows->n++];
    memset(r, 0, sizeof *r);
    r->fatalities = -1;
    return r;
}

static void free_row(bm_extract_row *r)
{
    free(r->quote);
    free(r->source);
    free(r->source_file);
}

void bm_extract_rows_free(bm_extract_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        free_row(&rows->rows[i]);
    free(rows->rows);
    if (rows->cache) {
        for (size_t i = 0; rows->cache->slots && i < GEOCODE_CACHE; i++)
            free(rows->cache->slots[i]);
        free(rows->cache->slots);
        free(rows->cache);
    }
    *rows = (bm_extract_rows){0};
}

static void append_note(char *notes, size_t size, const char *fmt, const char *arg)
{
    size_t len = strlen(notes);
    if (len && len + 2 < size)
        memcpy(notes + len, "; ", 3), len += 2;
    if (len < size)
        snprintf(notes + len, size - len, fmt, arg);
}

/* ---- one article ---- */

typedef struct article_scan {
    bm_gazetteer *g;
    const char *text;
    size_t len;
    bm_text_words words;
    bm_civil_date anchor;
    int anchor_is_dateline; /* the anchor is the article's date, not a hint */
    size_t opening_end;     /* the end of the first paragraph */
    bm_date_phrase *dates; /* of the sentences being read (sentence_dates) */
    size_t n_dates;
    const char *source_file, *source;
    bm_extract_rows *rows;
    size_t first_row; /* this article's rows start here */
    char frontier[2][4]; /* the countries of the last frontier located; "" none */
    size_t last_sentence;  /* 1 + the index of the last sentence that gave rows; 0 none */
    size_t *seen;        /* the article's rows by place, date and kind (duplicate_of) */
    size_t seen_cap, n_seen;
} article_scan;

/* A place the sentence names, ready to geocode. */
typedef struct located {
    char query[QUERY_MAX];
    char location[QUERY_MAX];
    char admin1_hint[96];
    int frontier;        /* 1 a frontier phrase; -1 "the X", maybe a river */
    int from_actor;      /* the country of a state actor, for want of a place */
    const char *iso3;    /* a frontier's first country, as the phrase names it */
    const char *partner; /* its second */
    size_t first, count; /* words covered */
} located;

static void copy_span(const char *text, size_t start, size_t end, char *out, size_t size)
{
    size_t n = end - start < size - 1 ? end - start : size - 1;
    memcpy(out, text + start, n);
    out[n] = '\0';
}

static const char *country_name(bm_gazetteer *g, const char *iso3)
{
    const bm_place *p = iso3 ? bm_gazetteer_country(g, iso3) : NULL;
    return p ? p->name : NULL;
}

/* The country word i names (name or demonym), or NULL. */
static const char *country_at(article_scan *s, size_t i)
{
    const char *f = bm_text_words_folded(&s->words, i);
    return *f && strlen(f) > 3 ? bm_gazetteer_country_code(s->g, f) : NULL;
}

/* The first capitalised word of [from, to) naming a country but other. */
static const char *first_country(article_scan *s, size_t from, size_t to, const char *other)
{
    for (size_t i = from; i < to; i++) {
        const char *x = s->words.w[i].capital ? country_at(s, i) : NULL;
        if (x && (!other || strcmp(x, other) != 0))
            return x;
    }
    return NULL;
}

/* Frontier phrases around the border word b: "Tajik-Afghan border",
 * "border between X and Y", "(their) border with Y" with the sentence's
 * first other country as X. */
static int frontier_at(article_scan *s, size_t b, size_t from, size_t to, located *loc)
{
    const bm_text_word *w = s->words.w;
    const char *a = NULL, *c = NULL;
    size_t first = b, last = b;
    if (b >= from + 2 && w[b].joined && w[b - 1].joined && (a = country_at(s, b - 2)) &&
        (c = country_at(s, b - 1)) && strcmp(a, c) != 0) {
        first = b - 2;
    } else if (b + 4 < to && word_is(&w[b + 1], "between") && word_is(&w[b + 3], "and") &&
               (a = country_at(s, b + 2)) && (c = country_at(s, b + 4))) {
        last = b + 4;
    } else if (b + 2 < to && word_is(&w[b + 1], "with") && (c = country_at(s, b + 2))) {
        last = b + 2;
        a = first_country(s, from, b, c);
    } else if (b > from && (word_is(&w[b - 1], "their") || word_is(&w[b - 1], "own") ||
                            word_is(&w[b - 1], "its")) &&
               (a = first_country(s, from, b, NULL))) {
        /* "their own border": the last frontier of theirs the article named */
        first = b - 1;
        c = strcmp(s->frontier[0], a) == 0   ? s->frontier[1]
            : strcmp(s->frontier[1], a) == 0 ? s->frontier[0]
                                             : NULL;
        if (c && !*c)
            c = NULL;
    }
    if (!a || !c || strcmp(a, c) == 0 || !country_name(s->g, a) || !country_name(s->g, c))
        return 0;
    memset(loc, 0, sizeof *loc);
    snprintf(loc->query, sizeof loc->query, "%s %s border", country_name(s->g, a),
             country_name(s->g, c));
    copy_span(s->text, w[first].start, w[last].end, loc->location, sizeof loc->location);
    loc->frontier = 1;
    loc->iso3 = a;
    loc->partner = c;
    loc->first = first;
    loc->count = last - first + 1;
    return 1;
}

/* The query for name n: with the kind word that follows it ("Batken
 * region"), and "of the Y region" after it as admin1 hint. */
static void name_query(const article_scan *s, const bm_text_name *n, size_t to, located *loc,
                       size_t *consumed_to)
{
    const bm_text_word *w = s->words.w;
    size_t last = n->first + n->count - 1;
    memset(loc, 0, sizeof *loc);
    if (last + 1 < to && w[last + 1].joined && word_in(&w[last + 1], kind_words)) {
        last++;
        if (word_is(&w[last], "air") && last + 1 < to && word_is(&w[last + 1], "base"))
            last++;
    }
    copy_span(s->text, w[n->first].start, w[last].end, loc->query, sizeof loc->query);
    snprintf(loc->location, sizeof loc->location, "%s", loc->query);
    *consumed_to = last + 1;
    /* "X district of the Y region", "X, Y province" */
    size_t k = last + 1;
    if (k < to && word_is(&w[k], "of"))
        k++;
    if (k < to && word_is(&w[k], "the"))
        k++;
    size_t y = k;
    while (k < to && k < y + 3 && w[k].capital && !word_in(&w[k], admin_words))
        k++;
    if (k > y && k < to && word_in(&w[k], admin_words)) {
        copy_span(s->text, w[y].start, w[k - 1].end, loc->admin1_hint, sizeof loc->admin1_hint);
        *consumed_to = k + 1;
    }
    loc->first = n->first;
    loc->count = last - n->first + 1;
}

typedef struct sentence {
    size_t start, end;     /* bytes */
    size_t from, to;       /* words */
    size_t paragraph;      /* index of the paragraph it is in */
    size_t tail_end, tail_to; /* the next sentence when it goes on (continues); else 0 */
    size_t index;
} sentence;

/* Whether pos is inside parentheses opened on its line. */
static int in_parentheses(const char *text, size_t pos)
{
    for (size_t i = pos, n = 0; i-- > 0 && n < 120; n++) {
        if (text[i] == ')' || text[i] == '\n')
            return 0;
        if (text[i] == '(')
            return 1;
    }
    return 0;
}

/* Whether a date phrase can date an event: resolved, and not the
 * article's own date written out in its opening paragraph or an agency's
 * parentheses ("Published: 2020-01-10", "KABUL (Agency - 04th January,
 * 2022)"), which says when it was reported; "on Wednesday" that falls on
 * the dateline does date the event. */
static int event_date(const article_scan *s, const bm_date_phrase *d)
{
    if (d->date.year == 0)
        return 0;
    int is_anchor = s->anchor_is_dateline && !d->relative && d->time_precision == 1 &&
                    d->date.year == s->anchor.year && d->date.month == s->anchor.month &&
                    d->date.day == s->anchor.day;
    return !is_anchor || !(d->start < s->opening_end || in_parentheses(s->text, d->start));
}

/* The first resolved date phrase starting in [start, end), or NULL. */
static const bm_date_phrase *date_in(const article_scan *s, size_t start, size_t end)
{
    for (size_t i = 0; i < s->n_dates; i++)
        if (s->dates[i].start >= start && s->dates[i].start < end && event_date(s, &s->dates[i]))
            return &s->dates[i];
    return NULL;
}

static int in_date(const article_scan *s, size_t pos)
{
    for (size_t i = 0; i < s->n_dates; i++)
        if (pos >= s->dates[i].start && pos < s->dates[i].end)
            return 1;
    return 0;
}

static const char *const kill_words[] = {"killed", "killing", "dead", "died", "deaths",
                                         "death", NULL};
static const char *const unit_words[] = {"km", "kilometers", "kilometres", "miles", "years",
                                         "year", "percent", "per", "days", "hours", "times",
                                         "meters", "metres", NULL};

/* Sums the counts of words [from, to) (skipping dates and distances);
 * *vague set when one is "dozens". Returns how many counts were read. */
static int sum_counts(const article_scan *s, size_t from, size_t to, size_t limit, long *sum,
                      size_t *vague_start, size_t *vague_end)
{
    const bm_text_word *w = s->words.w;
    int found = 0;
    for (size_t i = from; i < to; i++) {
        if (in_date(s, w[i].start))
            continue;
        bm_count c = bm_count_at(s->text + w[i].start, limit - w[i].start);
        if (c.length == 0)
            continue;
        size_t next = bm_text_words_at(&s->words, w[i].start + c.length);
        if (next < s->words.n && word_in(&w[next], unit_words))
            continue;
        if (c.value >= 1900 && c.value <= 2100 && c.length == 4)
            continue; /* a year */
        const char *after = s->text + w[i].start + c.length;
        if (w[i].start + c.length + 1 < limit && after[0] == '.' && g_ascii_isalpha(after[1]))
            continue; /* "24.kg": a name */
        if (c.value < 0) {
            *vague_start = w[i].start;
            *vague_end = w[i].start + c.length;
        } else {
            *sum += c.value;
        }
        found++;
        while (i + 1 < s->words.n && w[i + 1].start < w[i].start + c.length)
            i++;
    }
    return found;
}

/* Fatalities the sentence states: -1 when not a number. */
static long fatalities_of(const article_scan *s, const sentence *st, char *notes, size_t size)
{
    const bm_text_word *w = s->words.w;
    long total = 0;
    int deaths = 0, counted = 0;
    size_t unread = st->from; /* words no count was read from yet */
    for (size_t k = st->from; k < st->to; k++) {
        if (!word_in(&w[k], kill_words))
            continue;
        deaths = 1;
        long sum = 0;
        size_t vs = 0, ve = 0, clause = unread, next = k + 1;
        for (size_t j = unread; j < k; j++)
            if (s->text[w[j].end] == ';')
                clause = j + 1;
        /* "18 ... were killed", else "killing three", "killed dozens of",
         * "shot dead two" */
        int found = word_is(&w[k], "killing") ? 0
                                              : sum_counts(s, clause, k, w[k].start, &sum, &vs, &ve);
        int shot_dead = word_is(&w[k], "dead") && k > st->from && word_is(&w[k - 1], "shot");
        if (!found && ve == vs &&
            (word_is(&w[k], "killing") || word_is(&w[k], "killed") || shot_dead)) {
            size_t end = k + 4 < st->to ? k + 4 : st->to;
            if ((found = sum_counts(s, k + 1, end, st->end, &sum, &vs, &ve)) > 0)
                next = end;
        }
        if (ve > vs) {
            char phrase[120];
            copy_span(s->text, vs, w[k].end > ve ? w[k].end : ve, phrase, sizeof phrase);
            append_note(notes, size, "fatalities not counted: '%s'", phrase);
            return -1;
        }
        total += sum;
        counted |= found > 0;
        unread = next;
    }
    return !deaths ? 0 : counted ? total : -1;
}

/* ---- actors ---- */

static void add_actor(bm_extract_row *r, const char *actor)
{
    if (!*actor || strcmp(r->actor1, actor) == 0 || strcmp(r->actor2, actor) == 0)
        return;
    if (!*r->actor1)
        snprintf(r->actor1, sizeof r->actor1, "%s", actor);
    else if (!*r->actor2)
        snprintf(r->actor2, sizeof r->actor2, "%s", actor);
}

static const char *const military_words[] = {"troops", "army", "soldiers", "military", "forces",
                                             NULL};
static const char *const armed_group_words[] = {"militants", "insurgents", "gunmen",
                                                "fighters", "rebels", NULL};

/* The words an actor's name starts or ends with. */
static const char *const actor_words[] = {
    "taliban", "isis",   "isil",     "daesh",    "islamic",  "border",     "police",
    "troops",  "army",   "soldiers", "military", "forces",   "militants", "insurgents",
    "gunmen",  "fighters", "rebels", NULL};

static void find_actors(article_scan *s, const sentence *st, bm_extract_row *r)
{
    const bm_text_word *w = s->words.w;
    char actor[96];
    for (size_t i = st->from; i < st->to; i++) {
        size_t len;
        *actor = '\0';
        if (!word_in(&w[i], actor_words))
            continue;
        /* the country of "Tajik police", "Iraqi security forces" */
        const char *iso = i > st->from ? country_at(s, i - 1) : NULL;
        if (!iso && i > st->from + 1 && word_is(&w[i - 1], "security"))
            iso = country_at(s, i - 2);
        const char *cn = country_name(s->g, iso);
        if (word_is(&w[i], "taliban")) {
            snprintf(actor, sizeof actor, "Taliban");
        } else if (word_is(&w[i], "isis") || word_is(&w[i], "isil") || word_is(&w[i], "daesh") ||
                   cue_at(&s->words, i, st->to, "islamic state", &len)) {
            snprintf(actor, sizeof actor, "Islamic State (ISIS)");
        } else if (cue_at(&s->words, i, st->to, "border guard*", &len) ||
                   cue_at(&s->words, i, st->to, "border police", &len) ||
                   cue_at(&s->words, i, st->to, "border troops", &len)) {
            if (!cn && i + len + 1 < st->to &&
                (word_is(&w[i + len], "of") || word_is(&w[i + len], "from")))
                cn = country_name(s->g, country_at(s, i + len + 1));
            if (cn)
                snprintf(actor, sizeof actor, "Border Guards of %s", cn);
            i += len - 1;
        } else if (word_is(&w[i], "police") && cn) {
            snprintf(actor, sizeof actor, "Police Forces of %s", cn);
        } else if (word_in(&w[i], military_words) && cn) {
            snprintf(actor, sizeof actor, "Military Forces of %s", cn);
        } else if (word_in(&w[i], armed_group_words)) {
            snprintf(actor, sizeof actor, "Unidentified Armed Group");
        }
        add_actor(r, actor);
    }
}

/* ---- rows of a sentence ---- */

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

static const char *iso3_of_place(const bm_place *p)
{
    return p && *p->country ? p->country : NULL;
}

/* Whether another located place of the sentence lies inside p (a country
 * or region), which then says where less precisely. */
static int contains_other(const bm_match *m, size_t self, const bm_match *all, size_t n)
{
    const bm_place *p = m[self].best.place;
    if (!p || (p->kind != BM_PLACE_COUNTRY && p->kind != BM_PLACE_ADMIN1))
        return 0;
    for (size_t i = 0; i < n; i++) {
        const bm_place *q = all[i].best.place;
        if (i == self || !q || q->kind == BM_PLACE_COUNTRY || q == p ||
            all[i].best.kind == BM_MATCH_NONE)
            continue;
        /* a country beside a place (of any country) is its context or
         * an actor's ("Russia deployed helicopters to Kant air base") */
        if (p->kind == BM_PLACE_COUNTRY)
            return 1;
        if (q->kind != BM_PLACE_ADMIN1 && all[i].best.kind != BM_MATCH_FRONTIER &&
            strcmp(p->country, q->country) == 0 && strcmp(p->admin1_key, q->admin1_key) == 0)
            return 1;
    }
    return 0;
}

static void set_date(bm_extract_row *r, const bm_date_phrase *d)
{
    bm_civil_date day = d->date;
    if (day.month == 0)
        day.month = 1;
    if (day.day == 0)
        day.day = 1;
    bm_civil_date_format(&day, r->event_date);
    r->time_precision = d->time_precision;
}

static char *quote_of(const char *text, size_t start, size_t end)
{
    while (start < end && (text[start] == ' ' || text[start] == '\n' || text[start] == '\t'))
        start++;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\n' || text[end - 1] == '\t'))
        end--;
    if (end - start > QUOTE_MAX) {
        end = start + QUOTE_MAX;
        while (end > start && ((unsigned char)text[end] & 0xC0) == 0x80)
            end--; /* never cut a character */
    }
    char *q = malloc(end - start + 1);
    if (q) {
        size_t n = 0;
        for (size_t i = start; i < end; i++)
            q[n++] = text[i] == '\n' || text[i] == '\t' ? ' ' : text[i];
        q[n] = '\0';
    }
    return q;
}

/* The row of the same place, date and kind this article already has. */
static uint64_t row_hash(const bm_extract_row *r)
{
    uint64_t h = 1469598103934665603u ^ (uint64_t)(uintptr_t)r->match.best.place; /* FNV-1a */
    for (const char *p = r->event_date; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return (h ^ (uint64_t)(uintptr_t)r->sub_event_type) * 1099511628211u;
}

static int same_event(const bm_extract_row *a, const bm_extract_row *b)
{
    return a->match.best.place == b->match.best.place &&
           strcmp(a->event_date, b->event_date) == 0 &&
           strcmp(a->sub_event_type, b->sub_event_type) == 0;
}

/* The row of the same place, date and kind this article already has, by
 * an open-addressing table of the article's rows (slots hold index + 1);
 * else r (the last row) is entered. NULL also when the table cannot grow:
 * the row is then kept, a duplicate at worst. */
static bm_extract_row *duplicate_of(article_scan *s, const bm_extract_row *r)
{
    if (2 * (s->n_seen + 1) > s->seen_cap) {
        size_t cap = s->seen_cap ? s->seen_cap * 2 : 64;
        size_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return NULL;
        for (size_t i = 0; i < s->seen_cap; i++)
            if (s->seen[i]) {
                size_t k = row_hash(&s->rows->rows[s->seen[i] - 1]) & (cap - 1);
                while (slots[k])
                    k = (k + 1) & (cap - 1);
                slots[k] = s->seen[i];
            }
        free(s->seen);
        s->seen = slots;
        s->seen_cap = cap;
    }
    size_t k = row_hash(r) & (s->seen_cap - 1);
    for (; s->seen[k]; k = (k + 1) & (s->seen_cap - 1))
        if (same_event(&s->rows->rows[s->seen[k] - 1], r))
            return &s->rows->rows[s->seen[k] - 1];
    s->seen[k] = s->rows->n; /* r is the last row: index n - 1, stored + 1 */
    s->n_seen++;
    return NULL;
}

/* Whether the sentence holds the article's title. */
static int is_headline(const article_scan *s, const sentence *st)
{
    size_t tl = strlen(s->source);
    if (tl < 12 || st->end - st->start < tl)
        return 0;
    for (size_t i = st->start; i + tl <= st->end; i++)
        if (memcmp(s->text + i, s->source, tl) == 0)
            return 1;
    return 0;
}

static bm_status add_row(article_scan *s, const sentence *st, const cue *c, const located *loc,
                         const bm_match *m, const bm_date_phrase *date, int borrowed_date,
                         bm_error *err)
{
    bm_extract_row *r = new_row(s->rows, err);
    if (!r)
        return err->status;
    sentence whole = *st;
    if (st->tail_end)
        whole.end = st->tail_end, whole.to = st->tail_to;
    r->match = *m;
    r->event_type = c->event_type;
    r->sub_event_type = c->sub_event_type;
    r->from_actor = loc->from_actor;
    if (date)
        set_date(r, date);
    const bm_place *p = m->best.place;
    snprintf(r->location, sizeof r->location, "%s", loc->location);
    /* a frontier belongs to both: the first country the phrase names */
    const char *iso = loc->iso3 ? loc->iso3 : iso3_of_place(p);
    snprintf(r->iso3, sizeof r->iso3, "%s", iso ? iso : "");
    snprintf(r->country, sizeof r->country, "%s",
             country_name(s->g, iso) ? country_name(s->g, iso) : "");
    snprintf(r->admin1, sizeof r->admin1, "%s", p->kind == BM_PLACE_COUNTRY ? "" : p->admin1);
    if (*loc->admin1_hint)
        append_note(r->notes, sizeof r->notes, "admin1 '%s' given by the text", loc->admin1_hint);
    if (strcmp(loc->query, loc->location) != 0 && !loc->frontier)
        append_note(r->notes, sizeof r->notes, "geocoded as '%s'", loc->query);
    r->fatalities = fatalities_of(s, &whole, r->notes, sizeof r->notes);
    find_actors(s, st, r);
    r->source = strdup(s->source);
    r->source_file = strdup(s->source_file);
    if (!r->source || !r->source_file) {
        free(r->source), free(r->source_file);
        s->rows->n--;
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    }
    double conf = 0.3 + (c->violent ? 0.2 : 0.1);
    if (date)
        conf += 0.15 + (date->time_precision == 1 ? 0.05 : 0);
    if (borrowed_date) {
        conf -= 0.1;
        append_note(r->notes, sizeof r->notes, "date from the sentence before%s", "");
    }
    if (m->best.precision == 1 || m->best.kind == BM_MATCH_FRONTIER ||
        m->best.kind == BM_MATCH_FEATURE)
        conf += 0.1;
    if (m->best.kind == BM_MATCH_COUNTRY)
        conf -= 0.1;
    if (loc->from_actor) {
        conf -= 0.1;
        append_note(r->notes, sizeof r->notes, "placed in the country of the actor ('%s')",
                    loc->location);
    }
    if (m->ambiguous)
        conf -= 0.15;
    if (is_headline(s, st)) {
        conf -= 0.15; /* a headline says what the text below tells better */
        append_note(r->notes, sizeof r->notes, "from the headline%s", "");
    }
    r->confidence = clamp01(conf);
    bm_extract_row *dup = duplicate_of(s, r);
    if (dup) {
        /* one event told twice: the first row, a little more certain */
        dup->confidence = clamp01(dup->confidence + 0.05);
        free(r->source), free(r->source_file);
        s->rows->n--;
        return BM_OK;
    }
    r->quote = quote_of(s->text, st->start, whole.end);
    if (!r->quote) {
        free(r->source), free(r->source_file);
        s->rows->n--;
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    }
    s->last_sentence = st->index + 1;
    return BM_OK;
}

/* Places of the sentence: frontier phrases, then names not inside them. */
static size_t sentence_places(article_scan *s, const sentence *st, const bm_text_name *names,
                              size_t n_names, located *out, size_t max)
{
    size_t n = 0;
    const bm_text_word *w = s->words.w;
    for (size_t b = st->from; b < st->to && n < max; b++)
        if (word_in(&w[b], border_words) && frontier_at(s, b, st->from, st->to, &out[n]))
            n++;
    size_t skip_to = 0;
    for (size_t i = 0; i < n_names && n < max; i++) {
        const bm_text_name *nm = &names[i];
        if (nm->first < skip_to)
            continue;
        int inside = 0;
        for (size_t k = 0; k < n; k++)
            inside |= out[k].frontier && nm->first >= out[k].first &&
                      nm->first < out[k].first + out[k].count;
        if (inside || !keep_name(&s->words, nm, st->from, st->to))
            continue;
        if (nm->count == 1 && all_capitals(s->text, &w[nm->first]) &&
            nm->kind == BM_TEXT_NAME_PLACE && !nm->iso3)
            continue; /* "ISIS", "IMU": an acronym, not a place */
        name_query(s, nm, st->to, &out[n], &skip_to);
        /* "the Vakhsh": the river when the gazetteer has one of that name */
        out[n].frontier = nm->first > st->from && word_is(&w[nm->first - 1], "the") ? -1 : 0;
        n++;
    }
    return n;
}

static uint64_t text_hash(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a over a, a NUL, b */
    for (const char *p = a;; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211u;
        if (!*p)
            break;
    }
    for (const char *p = b; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return h;
}

/* The geocoder's answer for text and admin1, asked once per gazetteer and
 * set of rows: articles name the same places again and again. The table
 * (open addressing, at most half full) stops taking answers when full. */
static bm_status geocode_cached(article_scan *s, const char *text, const char *admin1,
                                bm_match *m, bm_error *err)
{
    bm_extract_cache *c = s->rows->cache;
    if (!c && (c = s->rows->cache = calloc(1, sizeof *c)) != NULL) {
        c->g = s->g;
        c->slots = calloc(GEOCODE_CACHE, sizeof *c->slots);
    }
    int usable = c && c->slots && c->g == s->g;
    size_t k = usable ? text_hash(text, admin1) & (GEOCODE_CACHE - 1) : 0;
    for (; usable && c->slots[k]; k = (k + 1) & (GEOCODE_CACHE - 1))
        if (strcmp(c->slots[k]->text, text) == 0 && strcmp(c->slots[k]->admin1, admin1) == 0) {
            *m = c->slots[k]->m;
            return BM_OK;
        }
    if (bm_geocode_text(s->g, text, NULL, *admin1 ? admin1 : NULL, m, err) != BM_OK)
        return err->status;
    geocoded *e = usable && 2 * (c->n + 1) <= GEOCODE_CACHE ? malloc(sizeof *e) : NULL;
    if (e) {
        snprintf(e->text, sizeof e->text, "%s", text);
        snprintf(e->admin1, sizeof e->admin1, "%s", admin1);
        e->m = *m;
        c->slots[k] = e;
        c->n++;
    }
    return BM_OK;
}

static bm_status geocode_place(article_scan *s, located *loc, bm_match *m, bm_error *err)
{
    if (loc->frontier == -1) {
        char river[QUERY_MAX];
        snprintf(river, sizeof river, "%.*s River", QUERY_MAX - 8, loc->query);
        if (geocode_cached(s, river, "", m, err) != BM_OK)
            return err->status;
        loc->frontier = 0;
        if (m->best.kind == BM_MATCH_FEATURE)
            return BM_OK;
    }
    return geocode_cached(s, loc->query, loc->admin1_hint, m, err);
}

/* The sentence after st, when it goes on telling st's event: same
 * paragraph, no place of its own, and a death word ("Two were killed."). */
static int continues(const article_scan *s, const sentence *st, const sentence *next,
                     size_t next_names)
{
    if (!next || next->paragraph != st->paragraph || next_names > 0)
        return 0;
    for (size_t i = next->from; i < next->to; i++)
        if (word_in(&s->words.w[i], kill_words))
            return 1;
    return 0;
}

/* A date written right before a place ("the July 3 Baghdad attack"),
 * which is that place's rather than the sentence's first. */
static const bm_date_phrase *date_before(const article_scan *s, size_t first)
{
    for (size_t i = 0; i < s->n_dates; i++) {
        const bm_date_phrase *d = &s->dates[i];
        if (!event_date(s, d) || d->end > s->words.w[first].start)
            continue;
        size_t next = bm_text_words_at(&s->words, d->end);
        if (next == first)
            return d;
    }
    return NULL;
}

static const char *const state_words[] = {"authorities", "security", "services", "ministry",
                                          "government",  "intelligence", "police", "troops",
                                          "forces",      "army", "military", "officials",
                                          "special",     "border", "court", NULL};

/* "Russian security services", "the Turkmen authorities": the country of
 * a state's actor, for a sentence that names no place. */
static int actor_country(article_scan *s, const sentence *st, located *loc)
{
    for (size_t i = st->from; i + 1 < st->to; i++) {
        const char *iso = s->words.w[i].capital ? country_at(s, i) : NULL;
        if (!iso || !word_in(&s->words.w[i + 1], state_words) || !country_name(s->g, iso))
            continue;
        memset(loc, 0, sizeof *loc);
        snprintf(loc->query, sizeof loc->query, "%s", country_name(s->g, iso));
        snprintf(loc->location, sizeof loc->location, "%s", loc->query);
        loc->from_actor = 1;
        loc->first = i;
        loc->count = 1;
        return 1;
    }
    return 0;
}

/* The date phrases of text[start, end), with offsets in the whole text:
 * only the sentences a row may come from are read for dates. */
static void sentence_dates(article_scan *s, size_t start, size_t end)
{
    s->n_dates = bm_date_phrases(s->text + start, end - start, &s->anchor, s->dates, MAX_DATES);
    if (s->n_dates > MAX_DATES)
        s->n_dates = MAX_DATES;
    for (size_t i = 0; i < s->n_dates; i++)
        s->dates[i].start += start, s->dates[i].end += start;
}

static const cue other_cue = {"incident", STRATEGIC, "Other", 0};
static const cue clash_cue = {"attack", "Battles", "Armed clash", 1};

/* Whether p lies in q, a country or region, or is q. */
static int lies_in(const bm_place *p, const bm_place *q)
{
    return p == q || (q->kind == BM_PLACE_COUNTRY && strcmp(p->country, q->country) == 0) ||
           (q->kind == BM_PLACE_ADMIN1 && strcmp(p->country, q->country) == 0 &&
            strcmp(p->admin1_key, q->admin1_key) == 0);
}

/* "The incident took place on Wednesday night in the Moqor district of
 * Badghis province": the article's last row, from one of the two
 * sentences before, takes the date it lacked and the place it said less
 * precisely (one lying in its region or country). */
static bm_status refine_previous(article_scan *s, const sentence *st, const sentence *prev,
                                 const located *places, const bm_match *matches, size_t n,
                                 const bm_date_phrase *date, int *done, bm_error *err)
{
    bm_extract_row *r = &s->rows->rows[s->rows->n - 1];
    int refined = 0;
    *done = 0;
    for (size_t i = 0; i < n && !refined; i++) {
        const bm_place *p = matches[i].best.place;
        /* a row placed in its actor's country takes any place told */
        if (matches[i].best.kind == BM_MATCH_NONE || p == r->match.best.place ||
            (!lies_in(p, r->match.best.place) && !r->from_actor))
            continue;
        if (r->from_actor) {
            const char *cn = country_name(s->g, p->country);
            snprintf(r->iso3, sizeof r->iso3, "%s", p->country);
            snprintf(r->country, sizeof r->country, "%s", cn ? cn : "");
            r->from_actor = 0;
        }
        r->match = matches[i];
        snprintf(r->location, sizeof r->location, "%s", places[i].location);
        snprintf(r->admin1, sizeof r->admin1, "%s", p->admin1);
        r->confidence = clamp01(r->confidence + (p->kind == BM_PLACE_TOWN ? 0.1 : 0.05));
        append_note(r->notes, sizeof r->notes, "place from a later sentence: '%s'",
                    places[i].location);
        refined = 1;
    }
    if (date && !*r->event_date) {
        set_date(r, date);
        r->confidence = clamp01(r->confidence + 0.15);
        append_note(r->notes, sizeof r->notes, "date from a later sentence%s", "");
        refined = 1;
    }
    if (!refined)
        return BM_OK;
    *done = 1;
    /* the quote grows by this sentence when it follows at once */
    if (prev && s->last_sentence == prev->index + 1) {
        char *q = quote_of(s->text, st->start, st->end);
        size_t a = strlen(r->quote), b = q ? strlen(q) : 0;
        char *joined = q ? realloc(r->quote, a + b + 2) : NULL;
        if (!joined) {
            free(q);
            return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        }
        joined[a] = ' ';
        memcpy(joined + a + 1, q, b + 1);
        r->quote = joined;
        free(q);
    }
    s->last_sentence = st->index + 1;
    return BM_OK;
}

static bm_status scan_sentence(article_scan *s, const sentence *st, const sentence *prev,
                               const bm_text_name *names, size_t n_names, bm_error *err)
{
    size_t at = 0;
    const cue *c = find_cue(&s->words, st->from, st->tail_end ? st->tail_to : st->to, &at);
    if (!c)
        return BM_OK;
    int has_last = s->rows->n > s->first_row && s->last_sentence &&
                   s->last_sentence + 1 >= st->index;
    const bm_extract_row *last = has_last ? &s->rows->rows[s->rows->n - 1] : NULL;
    cue told; /* "the incident": the kind of the event told before */
    if (c->event_type == NULL && last) {
        told = (cue){c->words, last->event_type, last->sub_event_type, 0};
        c = &told;
    }
    if (c->sub_event_type && strcmp(c->sub_event_type, "Attack") == 0 &&
        names_armed(&s->words, st->from, st->tail_end ? st->tail_to : st->to))
        c = &clash_cue; /* an attack on armed forces is a battle */
    located places[MAX_NAMES], actor;
    bm_match matches[MAX_NAMES], m;
    size_t n = sentence_places(s, st, names, n_names, places, MAX_NAMES), kept = 0;
    for (size_t i = 0; i < n; i++)
        if (geocode_place(s, &places[i], &matches[i], err) != BM_OK)
            return err->status;
    for (size_t i = 0; i < n; i++) {
        if (matches[i].best.kind == BM_MATCH_NONE || contains_other(matches, i, matches, n))
            matches[i].best.kind = BM_MATCH_NONE; /* not where it happened */
        else
            kept++;
    }
    /* "the incident", "the firefight": the event told before, if any */
    int back = last && (c == &told || (at > st->from && (word_is(&s->words.w[at - 1], "the") ||
                                                         word_is(&s->words.w[at - 1], "this"))));
    if (c->event_type == NULL)
        c = &other_cue; /* an incident of no kind told before */
    int by_actor = kept == 0 && !back && actor_country(s, st, &actor);
    if (by_actor && geocode_cached(s, actor.query, "", &m, err) != BM_OK)
        return err->status;
    if (kept == 0 && !back && (!by_actor || m.best.kind == BM_MATCH_NONE))
        return BM_OK;
    int same_paragraph = prev && prev->paragraph == st->paragraph;
    sentence_dates(s, same_paragraph ? prev->start : st->start,
                   st->tail_end ? st->tail_end : st->end);
    const bm_date_phrase *date = date_in(s, st->start, st->end);
    int borrowed = 0;
    if (!date && same_paragraph && (date = date_in(s, prev->start, prev->end)))
        borrowed = 1;
    /* the sentence right after a row placed in a country, of the same kind
     * and with no date of its own, says where in it ("...was attacked in
     * the Leilek district") */
    int narrows = last && prev && s->last_sentence == prev->index + 1 &&
                  !date_in(s, st->start, st->end) && last->match.best.kind == BM_MATCH_COUNTRY &&
                  strcmp(c->event_type, last->event_type) == 0;
    if (back || narrows) {
        int done;
        if (refine_previous(s, st, prev, places, matches, n, borrowed ? NULL : date, &done,
                            err) != BM_OK)
            return err->status;
        if (done || c == &told || kept == 0)
            return BM_OK;
    }
    if (by_actor)
        return add_row(s, st, c, &actor, &m, date, borrowed, err);
    for (size_t i = 0; i < n; i++) {
        if (matches[i].best.kind == BM_MATCH_NONE)
            continue;
        if (places[i].frontier == 1) {
            snprintf(s->frontier[0], sizeof s->frontier[0], "%s", places[i].iso3);
            snprintf(s->frontier[1], sizeof s->frontier[1], "%s", places[i].partner);
        }
        const bm_date_phrase *own = date_before(s, places[i].first);
        if (add_row(s, st, c, &places[i], &matches[i], own ? own : date, own ? 0 : borrowed,
                    err) != BM_OK)
            return err->status;
    }
    return BM_OK;
}

static size_t paragraph_breaks(const char *text, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i + 1 < to; i++)
        if (text[i] == '\n' && text[i + 1] == '\n')
            n++;
    return n;
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* The sentences of the text without the blank space around them, with
 * their words and paragraphs (a blank line between two starts another). */
static sentence *split_sentences(const article_scan *s, size_t *count)
{
    size_t n = 0, cap = 64, paragraph = 0, content_end = 0;
    sentence *all = malloc(cap * sizeof *all);
    for (size_t start = 0; all && start < s->len;) {
        size_t end = bm_sentence_end(s->text, s->len, start);
        if (end <= start || end > s->len)
            end = s->len;
        size_t lead = start, tail = end;
        while (lead < end && is_space(s->text[lead]))
            lead++;
        while (tail > lead && is_space(s->text[tail - 1]))
            tail--;
        start = end;
        if (lead == tail)
            continue;
        paragraph += paragraph_breaks(s->text, content_end, lead);
        content_end = tail;
        if (n == cap) {
            sentence *grown = realloc(all, (cap *= 2) * sizeof *all);
            if (!grown) {
                free(all);
                return NULL;
            }
            all = grown;
        }
        all[n] = (sentence){lead, tail, bm_text_words_at(&s->words, lead),
                            bm_text_words_at(&s->words, tail), paragraph, 0, 0, n};
        n++;
    }
    *count = n;
    return all;
}

/* "The incident occurred last night": worth reading without a name. */
static int names_incident(const article_scan *s, const sentence *st)
{
    for (size_t i = st->from; i < st->to; i++)
        if (strncmp(s->words.w[i].lower, "incident", 8) == 0)
            return 1;
    return 0;
}

static bm_status scan_sentences(article_scan *s, bm_error *err)
{
    size_t cap_names = s->words.n / 2 + 1, n_sent = 0;
    bm_text_name *names = malloc(cap_names * sizeof *names);
    sentence *sent = names ? split_sentences(s, &n_sent) : NULL;
    if (!sent) {
        free(names);
        return bm_error_set(err, BM_ERR_RUNTIME, s->source_file, 0, NULL, "out of memory");
    }
    size_t n_names = bm_textmatch_names(s->g, &s->words, 0, s->words.n, names, cap_names);
    if (n_names > cap_names)
        n_names = cap_names;
    size_t *first_name = malloc((n_sent + 1) * sizeof *first_name);
    if (!first_name) {
        free(names);
        free(sent);
        return bm_error_set(err, BM_ERR_RUNTIME, s->source_file, 0, NULL, "out of memory");
    }
    for (size_t i = 0, k = 0; i <= n_sent; i++) {
        while (k < n_names && i < n_sent && names[k].first < sent[i].from)
            k++;
        first_name[i] = i < n_sent ? k : n_names;
    }
    bm_status st = BM_OK;
    for (size_t i = 0; i < n_sent && st == BM_OK; i++) {
        size_t k = first_name[i], kn = first_name[i + 1];
        if (k == kn && !names_incident(s, &sent[i]))
            continue;
        sentence cur = sent[i];
        if (i + 1 < n_sent &&
            continues(s, &cur, &sent[i + 1], first_name[i + 2 <= n_sent ? i + 2 : n_sent] - kn))
            cur.tail_end = sent[i + 1].end, cur.tail_to = sent[i + 1].to;
        st = scan_sentence(s, &cur, i > 0 ? &sent[i - 1] : NULL, names + k, kn - k, err);
    }
    free(first_name);
    free(sent);
    free(names);
    return st;
}

/* The anchor: the article's date, the hint, or the first full date
 * written in the text. */
static bm_civil_date choose_anchor(const char *text, size_t len, const bm_civil_date *dateline,
                                   const bm_extract_options *opt, bm_date_phrase *dates)
{
    if (dateline && dateline->year > 0)
        return *dateline;
    if (opt->date_hint.year > 0)
        return opt->date_hint;
    bm_civil_date none = {0, 0, 0};
    size_t n = bm_date_phrases(text, len, &none, dates, MAX_DATES);
    for (size_t i = 0; i < n && i < MAX_DATES; i++)
        if (dates[i].date.year > 0 && dates[i].time_precision == 1 && !dates[i].relative)
            return dates[i].date;
    return none;
}

bm_status bm_extract_text(bm_gazetteer *g, const char *text, size_t len, const char *source_file,
                          const char *source, const bm_civil_date *anchor,
                          const bm_extract_options *opt, bm_extract_rows *rows, bm_error *err)
{
    article_scan s = {.g = g, .text = text, .len = len, .source_file = source_file,
                      .source = source, .rows = rows, .first_row = rows->n};
    s.dates = malloc(MAX_DATES * sizeof *s.dates);
    if (!s.dates)
        return bm_error_set(err, BM_ERR_RUNTIME, source_file, 0, NULL, "out of memory");
    s.anchor = choose_anchor(text, len, anchor, opt, s.dates);
    s.anchor_is_dateline = (anchor && anchor->year > 0) || opt->date_hint.year == 0;
    const char *blank = strstr(text, "\n\n");
    s.opening_end = blank && (size_t)(blank - text) < len ? (size_t)(blank - text) : len;
    bm_status st = bm_text_words_split(text, len, &s.words, err);
    if (st == BM_OK)
        st = scan_sentences(&s, err);
    bm_text_words_free(&s.words);
    free(s.dates);
    free(s.seen);
    if (st != BM_OK)
        return st;
    /* the confidence floor applies once repeated mentions have counted */
    size_t kept = s.first_row;
    for (size_t i = s.first_row; i < rows->n; i++) {
        if (rows->rows[i].confidence + 1e-9 >= opt->min_confidence)
            rows->rows[kept++] = rows->rows[i];
        else
            free_row(&rows->rows[i]);
    }
    rows->n = kept;
    return BM_OK;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

bm_status bm_extract_article(bm_gazetteer *g, const bm_article *a, const bm_extract_options *opt,
                             bm_extract_rows *rows, bm_error *err)
{
    return bm_extract_text(g, a->text, a->len, base_name(a->path), a->title, &a->dateline, opt,
                           rows, err);
}

typedef struct keyed_row {
    const bm_extract_row *r;
    size_t i;
} keyed_row;

/* Two towns more than a few kilometres apart are not one place: the
 * geometry test is only for what may contain the other or be near it. */
static int may_be_same(const bm_place *p, const bm_place *q)
{
    return p->kind != BM_PLACE_TOWN || q->kind != BM_PLACE_TOWN ||
           (fabs(p->lat - q->lat) < 0.2 && fabs(p->lon - q->lon) < 0.3);
}

static int compare_event(const void *x, const void *y)
{
    const keyed_row *a = x, *b = y;
    int c = strcmp(a->r->event_date, b->r->event_date);
    if (!c)
        c = strcmp(a->r->event_type, b->r->event_type);
    if (!c) /* towns last, by latitude: a town meets only its neighbours */
        c = (a->r->match.best.place->kind == BM_PLACE_TOWN) -
            (b->r->match.best.place->kind == BM_PLACE_TOWN);
    if (!c)
        c = (a->r->match.best.lat > b->r->match.best.lat) -
            (a->r->match.best.lat < b->r->match.best.lat);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* Union-find over row indices; a set's root is its earliest row. */
static size_t root_of(size_t *leader, size_t i)
{
    while (leader[i] != i)
        i = leader[i] = leader[leader[i]];
    return i;
}

static void join_rows(size_t *leader, size_t a, size_t b)
{
    a = root_of(leader, a), b = root_of(leader, b);
    if (a < b)
        leader[b] = a;
    else
        leader[a] = b;
}

static int same_key(const keyed_row *a, const keyed_row *b)
{
    return strcmp(a->r->event_date, b->r->event_date) == 0 &&
           strcmp(a->r->event_type, b->r->event_type) == 0;
}

/* Rows sorted by date, type and latitude: only a run of equal date and
 * type has its places compared, towns only with towns a few kilometres
 * north or south. leader[i] becomes the earliest row of i's event. */
static int find_leaders(bm_gazetteer *g, const bm_extract_rows *rows, size_t *leader)
{
    keyed_row *k = malloc((rows->n + 1) * sizeof *k);
    if (!k)
        return 0;
    for (size_t i = 0; i < rows->n; i++)
        k[i] = (keyed_row){&rows->rows[i], i}, leader[i] = i;
    qsort(k, rows->n, sizeof *k, compare_event);
    for (size_t a = 0; a < rows->n;) {
        size_t b = a + 1;
        while (b < rows->n && same_key(&k[a], &k[b]))
            b++;
        for (size_t x = a + 1; x < b && *k[a].r->event_date; x++) {
            const bm_place *p = k[x].r->match.best.place;
            for (size_t y = x; y-- > a;) {
                const bm_place *q = k[y].r->match.best.place;
                if (p->kind == BM_PLACE_TOWN && q->kind == BM_PLACE_TOWN &&
                    k[x].r->match.best.lat - k[y].r->match.best.lat >= 0.2)
                    break; /* sorted: every earlier town is farther south */
                if (p == q || (may_be_same(p, q) && bm_gazetteer_same_place(g, p, q)))
                    join_rows(leader, k[x].i, k[y].i);
            }
        }
        a = b;
    }
    free(k);
    for (size_t i = 0; i < rows->n; i++)
        leader[i] = root_of(leader, i);
    return 1;
}

typedef struct country_count {
    char iso3[4];
    int n;
} country_count;

bm_status bm_extract_finish(bm_gazetteer *g, bm_extract_rows *rows, bm_error *err)
{
    size_t *leader = malloc((rows->n + 1) * sizeof *leader);
    country_count *counts = calloc(rows->n + 1, sizeof *counts);
    if (!leader || !counts || !find_leaders(g, rows, leader)) {
        free(leader);
        free(counts);
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    }
    int groups = 0;
    size_t n_counts = 0;
    for (size_t i = 0; i < rows->n; i++) {
        bm_extract_row *r = &rows->rows[i];
        r->event_group = leader[i] == i ? ++groups : rows->rows[leader[i]].event_group;
        /* ids per country in output order, as ACLED numbers events */
        const char *iso = *r->iso3 ? r->iso3 : "XXX";
        size_t c = 0;
        while (c < n_counts && strcmp(counts[c].iso3, iso) != 0)
            c++;
        if (c == n_counts)
            snprintf(counts[n_counts++].iso3, sizeof counts->iso3, "%s", iso);
        snprintf(r->event_id, sizeof r->event_id, "%s-C%d", iso, ++counts[c].n);
        if (!*r->event_date && !strstr(r->notes, "no date in the text"))
            append_note(r->notes, sizeof r->notes, "no date in the text%s", "");
    }
    free(leader);
    free(counts);
    return BM_OK;
}

/* ---- writing ---- */

typedef struct out_field {
    const char *name;
    OGRFieldType type;
} out_field;

enum {
    F_ID, F_DATE, F_PRECISION, F_TYPE, F_SUBTYPE, F_ACTOR1, F_ACTOR2, F_COUNTRY, F_ADMIN1,
    F_LOCATION, F_LAT, F_LON, F_GEO_PRECISION, F_FATALITIES, F_SOURCE, F_NOTES, F_SOURCE_FILE,
    F_QUOTE, F_CONFIDENCE, F_GROUP, F_MATCH_KIND, F_MATCH_NAME, F_MATCH_ID, F_MATCH_SOURCE,
    F_MATCH_SCORE, F_AMBIGUOUS, F_ALTERNATIVES, F_MATCH_NOTE, F_N
};

static const out_field out_fields[F_N] = {
    {"event_id_cnty", OFTString}, {"event_date", OFTString},   {"time_precision", OFTInteger},
    {"event_type", OFTString},    {"sub_event_type", OFTString}, {"actor1", OFTString},
    {"actor2", OFTString},        {"country", OFTString},      {"admin1", OFTString},
    {"location", OFTString},      {"latitude", OFTReal},       {"longitude", OFTReal},
    {"geo_precision", OFTInteger}, {"fatalities", OFTInteger}, {"source", OFTString},
    {"notes", OFTString},         {"source_file", OFTString},  {"source_quote", OFTString},
    {"confidence", OFTReal},      {"event_group", OFTInteger}, {"match_kind", OFTString},
    {"match_name", OFTString},    {"match_id", OFTString},     {"match_source", OFTString},
    {"match_score", OFTReal},     {"ambiguous", OFTInteger},   {"alternatives", OFTString},
    {"match_note", OFTString},
};

static void set_string(OGRFeatureH f, int i, const char *s)
{
    if (s && *s)
        OGR_F_SetFieldString(f, i, s);
    else
        OGR_F_SetFieldNull(f, i);
}

/* Rounded as the writers round: the same rows give the same bytes. */
static double round_to(double x, double unit)
{
    return round(x / unit) * unit;
}

static void set_fields(OGRFeatureH f, const bm_extract_row *r)
{
    const bm_candidate *b = &r->match.best;
    set_string(f, F_ID, r->event_id);
    set_string(f, F_DATE, r->event_date);
    OGR_F_SetFieldInteger(f, F_PRECISION, r->time_precision);
    set_string(f, F_TYPE, r->event_type);
    set_string(f, F_SUBTYPE, r->sub_event_type);
    set_string(f, F_ACTOR1, r->actor1);
    set_string(f, F_ACTOR2, r->actor2);
    set_string(f, F_COUNTRY, r->country);
    set_string(f, F_ADMIN1, r->admin1);
    set_string(f, F_LOCATION, r->location);
    OGR_F_SetFieldDouble(f, F_LAT, round_to(b->lat, 1e-6));
    OGR_F_SetFieldDouble(f, F_LON, round_to(b->lon, 1e-6));
    OGR_F_SetFieldInteger(f, F_GEO_PRECISION, b->precision);
    if (r->fatalities >= 0)
        OGR_F_SetFieldInteger(f, F_FATALITIES, (int)r->fatalities);
    else
        OGR_F_SetFieldNull(f, F_FATALITIES);
    set_string(f, F_SOURCE, r->source);
    set_string(f, F_NOTES, r->notes);
    set_string(f, F_SOURCE_FILE, r->source_file);
    set_string(f, F_QUOTE, r->quote);
    OGR_F_SetFieldDouble(f, F_CONFIDENCE, round_to(r->confidence, 0.01));
    OGR_F_SetFieldInteger(f, F_GROUP, r->event_group);
    set_string(f, F_MATCH_KIND, bm_match_kind_name(b->kind));
    set_string(f, F_MATCH_NAME, b->place->name);
    set_string(f, F_MATCH_ID, b->place->id);
    set_string(f, F_MATCH_SOURCE, b->place->source);
    OGR_F_SetFieldDouble(f, F_MATCH_SCORE, round_to(b->score, 0.001));
    OGR_F_SetFieldInteger(f, F_AMBIGUOUS, r->match.ambiguous);
    set_string(f, F_ALTERNATIVES, r->match.ambiguous ? r->match.alternatives : "");
    set_string(f, F_MATCH_NOTE, r->match.note);
}

static bm_status write_layer(OGRLayerH layer, const bm_extract_rows *rows, int points,
                             const char *path, bm_error *err)
{
    for (int i = 0; i < F_N; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(out_fields[i].name, out_fields[i].type);
        if (i == F_AMBIGUOUS)
            OGR_Fld_SetSubType(fd, OFSTBoolean); /* as the geocoder writes it */
        OGRErr rc = OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (rc != OGRERR_NONE)
            return bm_error_set(err, BM_ERR_RUNTIME, path, 0, out_fields[i].name,
                                "cannot create field");
    }
    for (size_t i = 0; i < rows->n; i++) {
        const bm_extract_row *r = &rows->rows[i];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        set_fields(f, r);
        if (points) {
            OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(pt, 0, r->match.best.lon, r->match.best.lat);
            OGR_F_SetGeometryDirectly(f, pt);
        }
        OGRErr rc = OGR_L_CreateFeature(layer, f);
        OGR_F_Destroy(f);
        if (rc != OGRERR_NONE)
            return bm_error_set(err, BM_ERR_RUNTIME, path, (long)i + 1, NULL,
                                "cannot write feature: %s", CPLGetLastErrorMsg());
    }
    return BM_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* CSV through GDAL's CSV driver, into the atomic file's temporary name. */
static bm_status write_csv(const bm_extract_rows *rows, const char *path, bm_error *err)
{
    bm_atomic_file af;
    if (bm_atomic_file_begin(&af, path, err) != BM_OK)
        return err->status;
    bm_atomic_file_release(&af);
    GDALDriverH drv = GDALGetDriverByName("CSV");
    char *opts[] = {"LINEFORMAT=LF", NULL};
    GDALDatasetH ds = drv ? GDALCreate(drv, af.temp_path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    OGRLayerH layer = ds ? GDALDatasetCreateLayer(ds, "candidates", NULL, wkbNone, opts) : NULL;
    bm_status st = layer ? write_layer(layer, rows, 0, path, err)
                         : bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL,
                                        "cannot create CSV: %s", CPLGetLastErrorMsg());
    CPLErrorReset();
    if (ds)
        GDALClose(ds);
    if (ds && CPLGetLastErrorType() >= CE_Failure && st == BM_OK)
        st = bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot write CSV: %s",
                          CPLGetLastErrorMsg());
    if (st != BM_OK) {
        remove(af.temp_path);
        bm_atomic_file_abort(&af);
        return st;
    }
    return bm_atomic_file_commit(&af, err);
}

bm_status bm_extract_write(const bm_extract_rows *rows, const char *path, bm_error *err)
{
    if (ends_with(path, ".csv"))
        return write_csv(rows, path, err);
    bm_vector_out *out = bm_vector_out_open(path, err);
    if (!out)
        return err->status;
    OGRLayerH layer = bm_vector_out_layer(out, "candidates", wkbPoint, err);
    if (!layer || write_layer(layer, rows, 1, path, err) != BM_OK) {
        bm_vector_out_abort(out);
        return err->status;
    }
    return bm_vector_out_commit(out, err);
}
