/*
 * geocode.c — ranking gazetteer candidates for catalog place text and
 * writing the geocoded catalog.
 *
 * The ranking rules, in order; each decides only when the ones before it
 * tie (bm_geocode_ranking_rules says them to users):
 *   1. a frontier phrase ("Tajik-Afghan border") names a frontier;
 *   2. the row's country, then its admin1: a candidate inside them comes
 *      first, and none outside the row's country is ever accepted;
 *   3. how the name matched: exactly (an article like "al-" aside, and a
 *      kind word that agrees with the place: "Batken Region" for the
 *      region) beats a match that needed a kind word dropped from the query
 *      ("Balkh Province" for the town) or added to it ("Balkh" for a
 *      river named "Balkh River"), which beats one that needed both;
 *   4. the kind of place: a country; an admin-1 region or district when
 *      the query says "region" or "district"; towns by rank (capital,
 *      admin seats, village) and population; curated features by their
 *      rank; a region named bare after its seat, a district named bare
 *      after any town of its name;
 *   5. last, only inside the row's country and only when it has no place
 *      of that name: near spellings (add_near_spellings).
 * A runner-up within AMBIGUITY_MARGIN that is not the same place makes
 * the answer ambiguous.
 */
#include "geocode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ogr_api.h>

#include "normalize.h"
#include "vector_out.h"

#define KEY_MAX 256
#define MAX_CANDIDATES 64
/* Score weights: each rule outweighs everything the later rules add. */
#define HINT_COUNTRY 1000.0
#define HINT_ADMIN1 100.0
#define MATCH_STEP 20.0      /* one step of the name match; priors stay below it */
#define AMBIGUITY_MARGIN 2.0 /* score points; a closer runner-up makes a row ambiguous */

/* How a name matched (rule 3), in MATCH_STEPs. */
#define MATCH_EXACT 3.0
#define MATCH_ARTICLE 2.95 /* only without a leading article */
#define MATCH_LOOSE 2.0    /* a kind word dropped from the query or added to it */
#define MATCH_LOOSER 1.0   /* both */
#define MATCH_NEAR 0.5     /* a spelling a letter or two away, in the row's country */
#define NEAR_MIN_LEN 5     /* shorter keys have too many neighbours to guess from */

const char *bm_match_kind_name(bm_match_kind kind)
{
    static const char *const names[] = {NULL,      "coordinates", "place",   "admin1",
                                        "country", "frontier",    "feature", "district"};
    return names[kind];
}

typedef struct query {
    char words[KEY_MAX];
    int qualifiers;
    int iso_like;        /* the text is two or three capital letters */
    const char *country; /* ISO alpha-3 hint or NULL */
    char admin1_key[KEY_MAX];
} query;

const char bm_geocode_ranking_rules[] =
    "Ranking, each rule deciding only when the ones before it tie:\n"
    "  1. a frontier phrase (\"Tajik-Afghan border\", \"border between Kyrgyzstan\n"
    "     and Tajikistan\") names that frontier;\n"
    "  2. the row's country, then its admin1: a place inside them comes first,\n"
    "     and a place outside the row's country is never accepted (the row stays\n"
    "     unresolved, with the places found elsewhere in alternatives);\n"
    "  3. how the name matched: exactly, an article (al-, el-) aside, or with a\n"
    "     kind word that fits the place (\"Batken Region\" for the region) beats\n"
    "     a match that needed a kind word dropped (\"Balkh Province\" for the\n"
    "     town) or added (\"Murghab\" for the Murghab River); needing both\n"
    "     comes last;\n"
    "  4. the kind of place: a country; a region or district when the text says\n"
    "     \"region\" or \"district\"; towns by rank (capital, admin seats, the\n"
    "     rest) and population; curated features by rank; a region named bare\n"
    "     after its admin seat, a district named bare after any town of its name;\n"
    "  5. last, when the row's country has no place of that name: its places\n"
    "     spelled one letter differently (two from nine letters), said in\n"
    "     match_note (\"Sulukta\" finds Suluktu).\n"
    "A runner-up close behind that is not the same place marks the answer\n"
    "ambiguous. geo_precision (ACLED): 1 a town or point feature, 2 a district\n"
    "or near a town, 3 an admin-1 region, country, frontier, river or named\n"
    "region.\n";

/* ---- frontiers ---- */

static const char *const border_words[] = {"border", "borders", "frontier", "frontiers",
                                           "boundary", "borderland", NULL};
static const char *const filler_words[] = {"the", "between", "and", "of", "with", "on",
                                           "at", "along", "area", "zone", "line", "side",
                                           NULL};

static int is_word(const char *w, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && strncmp(*list, w, len) == 0)
            return 1;
    return 0;
}

/* Collects the words of q that are neither border nor filler words into
 * words[] (pointers into buf); returns how many, or -1 without a border word. */
static int frontier_words(const char *text, char *buf, const char **words, int max)
{
    int n = 0, border = 0;
    char *w = buf;
    snprintf(buf, KEY_MAX, "%s", text);
    while (*w) {
        size_t len = strcspn(w, " ");
        char *next = w[len] ? w + len + 1 : w + len;
        if (is_word(w, len, border_words))
            border = 1;
        else if (!is_word(w, len, filler_words) && n < max)
            words[n++] = w;
        w[len] = '\0';
        w = next;
    }
    return border ? n : -1;
}

static const char *country_of_words(const bm_gazetteer *g, const char **words, int from, int to)
{
    char key[KEY_MAX] = "";
    size_t len = 0;
    for (int i = from; i < to; i++) {
        size_t wl = strlen(words[i]);
        if (len + wl >= sizeof key)
            return NULL;
        memcpy(key + len, words[i], wl + 1);
        len += wl;
    }
    return len ? bm_gazetteer_country_code(g, key) : NULL;
}

/* "tajik afghan border", "border between tajikistan and afghanistan",
 * or "afghan border" with a country hint, as two ISO codes. */
static int parse_frontier(const bm_gazetteer *g, const query *q, const char **a, const char **b)
{
    char buf[KEY_MAX];
    const char *words[16];
    int n = frontier_words(q->words, buf, words, 16);
    if (n < 1)
        return 0;
    for (int i = 1; i < n; i++) {
        *a = country_of_words(g, words, 0, i);
        *b = country_of_words(g, words, i, n);
        if (*a && *b && strcmp(*a, *b) != 0)
            return 1;
    }
    *a = country_of_words(g, words, 0, n);
    *b = q->country;
    return *a && *b && strcmp(*a, *b) != 0;
}

/* ---- candidates ---- */

typedef struct scored {
    const bm_place *place;
    double match; /* MATCH_* */
    double score;
} scored;

/* The match of a hit from a key: as the key says, less when the index
 * only holds a loose variant of the place's name (rule 3). */
static double hit_match(const bm_name_hit *hit, double key_match)
{
    if (!hit->loose)
        return key_match;
    return key_match >= MATCH_ARTICLE ? MATCH_LOOSE : MATCH_LOOSER;
}

static size_t add_lookup(const bm_gazetteer *g, const char *key, const query *q, int stripped,
                         scored *c, size_t n)
{
    bm_name_hit found[MAX_CANDIDATES];
    size_t k = bm_gazetteer_lookup(g, key, found, MAX_CANDIDATES);
    if (k > MAX_CANDIDATES)
        k = MAX_CANDIDATES;
    for (size_t i = 0; i < k; i++) {
        double m = stripped == 0 ? MATCH_EXACT : stripped == 1 ? MATCH_ARTICLE : 0;
        if (stripped >= 2) {
            /* The query's kind words were dropped: they agree with the place
             * or cost a step; a feature's kind word ("river", "valley") must
             * agree, or the query names something else. */
            int kind = bm_gazetteer_kind_qualifiers(found[i].place);
            if ((q->qualifiers & BM_QUALIFIER_FEATURE) && !(q->qualifiers & kind))
                continue;
            m = (q->qualifiers & kind) ? MATCH_EXACT : MATCH_LOOSE;
            m -= stripped == 3 ? MATCH_EXACT - MATCH_ARTICLE : 0;
        }
        m = hit_match(&found[i], m);
        size_t j = 0;
        while (j < n && c[j].place != found[i].place)
            j++;
        if (j == n) {
            if (n == MAX_CANDIDATES)
                continue;
            c[n++] = (scored){found[i].place, m, 0};
        } else if (m > c[j].match) {
            c[j].match = m;
        }
    }
    return n;
}

static void join(const char *words, char *key)
{
    for (; *words; words++)
        if (*words != ' ')
            *key++ = *words;
    *key = '\0';
}

static const char *skip_article(const char *words)
{
    static const char *const articles[] = {"al", "ar", "as", "ad", "an", "at", "az",
                                           "ash", "ath", "adh", "el", NULL};
    size_t len = strcspn(words, " ");
    return words[len] && is_word(words, len, articles) ? words + len + 1 : words;
}

/* Looks the name up as written, then without an article, then without
 * kind words (the 0..3 passed on says which). */
static size_t gather(const bm_gazetteer *g, query *q, scored *c)
{
    char key[KEY_MAX], stripped[KEY_MAX];
    size_t n = 0;
    join(q->words, key);
    n = add_lookup(g, key, q, 0, c, n);
    join(skip_article(q->words), key);
    n = add_lookup(g, key, q, 1, c, n);
    memcpy(stripped, q->words, sizeof stripped);
    q->qualifiers = bm_gazetteer_strip_qualifiers(stripped);
    if (q->qualifiers) {
        join(stripped, key);
        n = add_lookup(g, key, q, 2, c, n);
        join(skip_article(stripped), key);
        n = add_lookup(g, key, q, 3, c, n);
    }
    return n;
}

static double town_rank(const char *code)
{
    static const struct {
        const char *code;
        double rank;
    } ranks[] = {{"PPLC", 6}, {"PPLA", 5}, {"PPLA2", 4}, {"PPLA3", 3}, {"PPLA4", 2.5},
                 {"PPL", 2},  {"PPLG", 4}};
    for (size_t i = 0; i < sizeof ranks / sizeof *ranks; i++)
        if (strcmp(ranks[i].code, code) == 0)
            return ranks[i].rank;
    return 1; /* sections of cities, historical and abandoned places, unknown */
}

/* Rule 4, below MATCH_STEP. A region named bare ranks after the admin
 * seat it is usually named after (and towns of some 5,000 people), a
 * district named bare after any town of its name: ACLED's location column
 * names the town. A feature's curated rank (1 = first choice) places it
 * among towns. */
static double prior(const bm_place *p, int qualifiers)
{
    switch (p->kind) {
    case BM_PLACE_TOWN:
        return town_rank(p->code) + 0.8 * log10(p->population + 1);
    case BM_PLACE_ADMIN1:
        return (qualifiers & BM_QUALIFIER_ADMIN) ? 13 : 5;
    case BM_PLACE_DISTRICT:
        return (qualifiers & BM_QUALIFIER_DISTRICT) ? 13 : 0.5;
    case BM_PLACE_COUNTRY:
        return 14;
    case BM_PLACE_FEATURE:
        return 8 - (p->rank > 0 ? p->rank : 1);
    case BM_PLACE_FRONTIER:
        return 15;
    }
    return 0;
}

/* Whether p lies in the country a row names (rule 2); a border river or
 * crossing and a frontier belong to both sides. */
static int in_country(bm_gazetteer *g, const bm_place *p, const char *iso3)
{
    switch (p->kind) {
    case BM_PLACE_FEATURE: return bm_gazetteer_near_country(g, p, iso3);
    case BM_PLACE_FRONTIER: return strstr(p->id, iso3) != NULL;
    default: return strcmp(p->country, iso3) == 0;
    }
}

static double score(bm_gazetteer *g, const scored *c, const query *q)
{
    const bm_place *p = c->place;
    double s = c->match * MATCH_STEP + prior(p, q->qualifiers);
    if (q->country && in_country(g, p, q->country))
        s += HINT_COUNTRY;
    if (*q->admin1_key && *p->admin1_key && strcmp(p->admin1_key, q->admin1_key) == 0)
        s += HINT_ADMIN1;
    return s;
}

static int compare_scored(const void *x, const void *y)
{
    const scored *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return strcmp(a->place->id, b->place->id); /* a total order: output is stable */
}

static bm_match_kind kind_of(const bm_place *p)
{
    switch (p->kind) {
    case BM_PLACE_TOWN: return BM_MATCH_PLACE;
    case BM_PLACE_ADMIN1: return BM_MATCH_ADMIN1;
    case BM_PLACE_COUNTRY: return BM_MATCH_COUNTRY;
    case BM_PLACE_FEATURE: return BM_MATCH_FEATURE;
    case BM_PLACE_FRONTIER: return BM_MATCH_FRONTIER;
    case BM_PLACE_DISTRICT: return BM_MATCH_DISTRICT;
    }
    return BM_MATCH_NONE;
}

/* ACLED: 1 the place itself, 2 near it or part of a district, 3 a region. */
static int precision_of(const bm_place *p, int qualifiers)
{
    switch (p->kind) {
    case BM_PLACE_TOWN:
        return (qualifiers & BM_QUALIFIER_DISTRICT) ? 2 : 1;
    case BM_PLACE_DISTRICT:
        return 2;
    case BM_PLACE_FEATURE:
        if (p->lineal || p->areal)
            return 3;
        return strstr(p->code, "river") ? 2 : 1;
    default:
        return 3;
    }
}

/* "Faizabad (Badakhshan)", as ACLED notes and reports write a place with
 * its region: the name before the brackets, and the bracketed text as the
 * admin1 hint when the row gives none. Returns the name's length. */
static size_t split_bracketed(const char *text, const char **inside, size_t *inside_len)
{
    size_t len = strlen(text);
    const char *open = strrchr(text, '(');
    *inside = NULL;
    if (!open || open == text || len < 2 || text[len - 1] != ')')
        return len;
    *inside = open + 1;
    *inside_len = (size_t)(text + len - 1 - *inside);
    return (size_t)(open - text);
}

static void prepare(const bm_gazetteer *g, const char *text, const char *country,
                    const char *admin1, query *q)
{
    char key[KEY_MAX], words[KEY_MAX], name[KEY_MAX], region[KEY_MAX];
    const char *inside;
    size_t inside_len = 0, len = split_bracketed(text, &inside, &inside_len);
    snprintf(name, sizeof name, "%.*s", (int)len, text);
    bm_normalize_words(name, q->words, sizeof q->words);
    q->iso_like = len >= 2 && len <= 3 && strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == len;
    q->qualifiers = 0;
    q->country = NULL;
    if (country && *country) {
        bm_normalize_key(country, key, sizeof key);
        q->country = bm_gazetteer_country_code(g, key);
    }
    if ((!admin1 || !*admin1) && inside) {
        snprintf(region, sizeof region, "%.*s", (int)inside_len, inside);
        admin1 = region;
    }
    q->admin1_key[0] = '\0';
    if (admin1 && *admin1) {
        bm_normalize_words(admin1, words, sizeof words);
        bm_gazetteer_strip_qualifiers(words);
        join(skip_article(words), q->admin1_key);
    }
}

static bm_status to_candidate(bm_gazetteer *g, const scored *s, int qualifiers,
                              bm_candidate *out, bm_error *err)
{
    out->place = s->place;
    out->kind = kind_of(s->place);
    out->precision = precision_of(s->place, qualifiers);
    out->score = round(s->score * 100) / 100;
    return bm_gazetteer_place(g, s->place, &out->lon, &out->lat, err);
}

/* The last resort, below every rule-3 match: when the row's country has no
 * place of that name, its places spelled a letter or two differently
 * ("Sulukta" for Suluktu, "Darvaz" for Darvoz), one edit in five letters,
 * two from nine; the answer says it matched a near spelling. */
static size_t add_near_spellings(bm_gazetteer *g, const query *q, scored *c, size_t n)
{
    char words[KEY_MAX], key[KEY_MAX];
    for (size_t i = 0; i < n; i++)
        if (in_country(g, c[i].place, q->country))
            return n;
    memcpy(words, q->words, sizeof words);
    join(skip_article(bm_gazetteer_strip_qualifiers(words) ? words : q->words), key);
    size_t len = strlen(key);
    if (len < NEAR_MIN_LEN)
        return n;
    bm_name_hit hits[MAX_CANDIDATES];
    size_t k = bm_gazetteer_lookup_near(g, key, q->country, len >= 9 ? 2 : 1, hits,
                                        MAX_CANDIDATES);
    for (size_t i = 0; i < k && n < MAX_CANDIDATES; i++) {
        int kind = bm_gazetteer_kind_qualifiers(hits[i].place);
        if ((q->qualifiers & BM_QUALIFIER_FEATURE) && !(q->qualifiers & kind))
            continue;
        size_t j = 0;
        while (j < n && c[j].place != hits[i].place)
            j++;
        if (j == n)
            c[n++] = (scored){hits[i].place, MATCH_NEAR, 0};
    }
    return n;
}

/* Fills c with scored candidates, best first; returns how many. */
static size_t rank_candidates(bm_gazetteer *g, query *q, scored *c, bm_error *err)
{
    const char *a, *b;
    if (parse_frontier(g, q, &a, &b)) {
        const bm_place *f = bm_gazetteer_frontier(g, a, b, err);
        if (f) {
            c[0] = (scored){f, MATCH_EXACT, 0};
            c[0].score = score(g, &c[0], q);
            return 1;
        }
        if (err->status != BM_OK)
            return 0;
    }
    size_t n = gather(g, q, c);
    if (n == 0 || q->iso_like) {
        /* A bare demonym or ISO code ("Tajik", "TJK") names a country; an
         * upper-case code beats towns that list it as an airport code. */
        char key[KEY_MAX];
        join(q->words, key);
        const char *iso = bm_gazetteer_country_code(g, key);
        const bm_place *p = iso ? bm_gazetteer_country(g, iso) : NULL;
        if (p && n < MAX_CANDIDATES)
            c[n++] = (scored){p, q->iso_like ? MATCH_EXACT : MATCH_LOOSE, 0};
    }
    if (q->country)
        n = add_near_spellings(g, q, c, n);
    for (size_t i = 0; i < n; i++)
        c[i].score = score(g, &c[i], q);
    qsort(c, n, sizeof *c, compare_scored);
    return n;
}

size_t bm_geocode_query(bm_gazetteer *g, const char *text, const char *country,
                        const char *admin1, bm_candidate *out, size_t max, bm_error *err)
{
    query q;
    scored c[MAX_CANDIDATES];
    bm_error_clear(err);
    prepare(g, text, country, admin1, &q);
    size_t n = rank_candidates(g, &q, c, err);
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        if (to_candidate(g, &c[i], q.qualifiers, &out[k], err) != BM_OK) {
            if (c[i].place->kind != BM_PLACE_COUNTRY)
                return 0;
            bm_error_clear(err); /* a country without polygons cannot be shown: skip it */
            continue;
        }
        k++;
    }
    return k;
}

static void list_alternative(char *buf, size_t size, const bm_candidate *c)
{
    size_t len = strlen(buf);
    if (len + 1 >= size)
        return;
    snprintf(buf + len, size - len, "%s%s (%s, %.2f,%.2f)", len ? "; " : "", c->place->name,
             *c->place->country ? c->place->country : "?", c->lat, c->lon);
}

/* ---- coverage ---- */

static const char *country_name(bm_gazetteer *g, const char *iso3)
{
    const bm_place *p = bm_gazetteer_country(g, iso3);
    return p ? p->name : iso3;
}

/* The command that adds box (widened to whole degrees) to the geodata. */
static void build_advice(const double box[4], char *buf, size_t size)
{
    snprintf(buf, size,
             "`geodata/build --bbox %.0f,%.0f,%.0f,%.0f --out DIR` (or --world), then "
             "BORDERMAP_GEODATA=DIR, adds it",
             floor(box[0]), floor(box[1]), ceil(box[2]), ceil(box[3]));
}

static int box_inside(const double inner[4], const double outer[4])
{
    return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] &&
           inner[3] <= outer[3];
}

/* A row whose country the embedded geodata does not hold whole is told how
 * to add it: its places may simply not be there. */
static void note_country_outside(bm_gazetteer *g, const char *iso3, char *buf, size_t size)
{
    double area[4], box[4];
    char advice[200];
    if (!bm_gazetteer_coverage(g, area) || !bm_gazetteer_world_extent(g, iso3, box) ||
        box_inside(box, area))
        return;
    build_advice(box, advice, sizeof advice);
    snprintf(buf, size, "%s is not all inside the area of the embedded geodata (%g,%g,%g,%g); %s",
             country_name(g, iso3), area[0], area[1], area[2], area[3], advice);
}

/* A point outside the embedded area has no country polygons or frontiers
 * under it: maps show it on blank ground and its frontier distance is
 * unknown. */
static void note_point_outside(bm_gazetteer *g, const bm_candidate *best, char *buf,
                               size_t size)
{
    double area[4], box[4], pt[4] = {best->lon, best->lat, best->lon, best->lat};
    char advice[200];
    if (!bm_gazetteer_coverage(g, area) || box_inside(pt, area))
        return;
    if (!bm_gazetteer_world_extent(g, best->place->country, box))
        memcpy(box, (double[4]){best->lon - 2, best->lat - 2, best->lon + 2, best->lat + 2},
               sizeof box);
    build_advice(box, advice, sizeof advice);
    snprintf(buf, size, "%s lies outside the area of the embedded geodata (%g,%g,%g,%g); %s",
             best->place->name, area[0], area[1], area[2], area[3], advice);
}

/* Rule 2: no candidate inside the row's country, so none is accepted; the
 * ones outside it are listed for the analyst. */
static void refuse_outside(bm_gazetteer *g, const query *q, const scored *c, size_t n,
                           bm_match *m)
{
    bm_error err;
    for (size_t i = 0; i < n; i++) {
        bm_candidate alt;
        if (to_candidate(g, &c[i], q->qualifiers, &alt, &err) == BM_OK)
            list_alternative(m->alternatives, sizeof m->alternatives, &alt);
    }
    memset(&m->best, 0, sizeof m->best);
    m->best.kind = BM_MATCH_NONE;
    char outside[300] = "";
    note_country_outside(g, q->country, outside, sizeof outside);
    snprintf(m->note, sizeof m->note, "no place of that name in %s, only elsewhere: %.*s%s%s",
             country_name(g, q->country), (int)strcspn(m->alternatives, ";"), m->alternatives,
             *outside ? "; " : "", outside);
}

bm_status bm_geocode_text(bm_gazetteer *g, const char *text, const char *country,
                          const char *admin1, bm_match *m, bm_error *err)
{
    query q;
    scored c[MAX_CANDIDATES];
    memset(m, 0, sizeof *m);
    bm_error_clear(err);
    prepare(g, text, country, admin1, &q);
    size_t n = rank_candidates(g, &q, c, err);
    if (err->status != BM_OK)
        return err->status;
    size_t first = 0;
    while (first < n && to_candidate(g, &c[first], q.qualifiers, &m->best, err) != BM_OK) {
        if (c[first].place->kind != BM_PLACE_COUNTRY)
            return err->status;
        bm_error_clear(err);
        first++;
    }
    if (first == n) {
        /* Nothing, or only countries the embedded polygons lack. */
        m->best.kind = BM_MATCH_NONE;
        if (q.country || n > 0)
            note_country_outside(g, q.country ? q.country : c[0].place->country, m->note,
                                 sizeof m->note);
        return BM_OK;
    }
    if (q.country && !in_country(g, c[first].place, q.country)) {
        refuse_outside(g, &q, c + first, n - first, m);
        return BM_OK;
    }
    for (size_t i = first + 1; i < n && c[i].score > c[first].score - AMBIGUITY_MARGIN; i++) {
        bm_candidate alt;
        if (bm_gazetteer_same_place(g, c[first].place, c[i].place) ||
            to_candidate(g, &c[i], q.qualifiers, &alt, err) != BM_OK) {
            bm_error_clear(err);
            continue;
        }
        m->ambiguous = 1;
        list_alternative(m->alternatives, sizeof m->alternatives, &alt);
    }
    if (c[first].match == MATCH_NEAR)
        snprintf(m->note, sizeof m->note,
                 "no place of that name in %s; matched a near spelling: %s",
                 country_name(g, q.country), c[first].place->name);
    else
        note_point_outside(g, &m->best, m->note, sizeof m->note);
    return BM_OK;
}

/* ---- catalogs ---- */

static int input_precision(const char *text)
{
    return (text[0] >= '1' && text[0] <= '3' && text[1] == '\0') ? text[0] - '0' : 1;
}

static void keep_coordinates(const bm_catalog *c, size_t i, bm_match *m)
{
    m->best.kind = BM_MATCH_COORDINATES;
    bm_catalog_point(c, i, &m->best.lon, &m->best.lat);
    m->best.precision = input_precision(bm_catalog_get(c, i, "geo_precision"));
    m->best.score = 0;
}

/* A catalog with a geo_precision column keeps the geocoder's answer in
 * it, so that styles can draw region-level events apart from located ones. */
static void record_precision(bm_catalog *c, size_t i, int precision)
{
    int field = bm_catalog_field_index(c, "geo_precision");
    char text[8];
    snprintf(text, sizeof text, "%d", precision);
    if (field >= 0)
        bm_catalog_set_value(c, i, (size_t)field, text);
}

const char *bm_geocode_place_text(const bm_catalog *c, size_t i)
{
    static const char *const fields[] = {"location", "admin1", "country"};
    for (size_t f = 0; f < 3; f++) {
        const char *v = bm_catalog_get(c, i, fields[f]);
        if (*v)
            return v;
    }
    return "";
}

/* Resolves record i by its place text, loading the gazetteer on first need. */
static bm_status resolve_record(bm_lazy_gazetteer *lg, bm_catalog *c, size_t i, bm_match *m,
                                bm_error *err)
{
    const char *text = bm_geocode_place_text(c, i);
    if (!*text)
        return BM_OK;
    if (!lg->g && (lg->g = bm_gazetteer_load(lg->geos, err)) != NULL && lg->loaded &&
        lg->loaded(lg->g, lg->data, err) != BM_OK) {
        bm_gazetteer_free(lg->g);
        lg->g = NULL;
    }
    if (!lg->g)
        return err->status;
    if (bm_geocode_text(lg->g, text, bm_catalog_get(c, i, "country"),
                        bm_catalog_get(c, i, "admin1"), m, err) == BM_OK)
        return BM_OK;
    if (err->row == 0) {
        err->row = bm_catalog_row(c, i);
        snprintf(err->field, sizeof err->field, "location");
    }
    return err->status;
}

bm_status bm_geocode_record(bm_lazy_gazetteer *lg, bm_catalog *c, size_t i, int regeocode,
                            bm_match *m, bm_geocode_summary *summary, bm_error *err)
{
    memset(m, 0, sizeof *m);
    summary->records++;
    if (!regeocode && bm_catalog_point(c, i, NULL, NULL)) {
        keep_coordinates(c, i, m);
        summary->coordinates++;
        summary->resolved++;
        return BM_OK;
    }
    if (resolve_record(lg, c, i, m, err) != BM_OK)
        return err->status;
    if (m->best.kind == BM_MATCH_NONE) {
        bm_catalog_clear_point(c, i);
        summary->unresolved++;
        return BM_OK;
    }
    bm_catalog_set_point(c, i, m->best.lon, m->best.lat);
    record_precision(c, i, m->best.precision);
    summary->resolved++;
    summary->ambiguous += (size_t)m->ambiguous;
    return BM_OK;
}

bm_match *bm_geocode_catalog(bm_lazy_gazetteer *lg, bm_catalog *c, int regeocode,
                             bm_geocode_summary *summary, bm_error *err)
{
    size_t n = bm_catalog_count(c);
    bm_match *m = calloc(n ? n : 1, sizeof *m);
    if (!m) {
        bm_error_set(err, BM_ERR_RUNTIME, bm_catalog_path(c), 0, NULL, "out of memory");
        return NULL;
    }
    memset(summary, 0, sizeof *summary);
    for (size_t i = 0; i < n; i++) {
        if (bm_geocode_record(lg, c, i, regeocode, &m[i], summary, err) != BM_OK) {
            free(m);
            return NULL;
        }
    }
    return m;
}

bm_status bm_geocode_missing(bm_lazy_gazetteer *lg, bm_catalog *c, bm_error *err)
{
    /* One match at a time: a match is half a kilobyte, a catalog may
     * hold millions of records. */
    bm_geocode_summary sum = {0};
    bm_match m;
    bm_status st = BM_OK;
    for (size_t i = 0; st == BM_OK && i < bm_catalog_count(c); i++)
        st = bm_geocode_record(lg, c, i, 0, &m, &sum, err);
    return st;
}

/* ---- output ---- */

/* The match fields, then the frontier distance fields (M_N to M_ALL),
 * which a layer has only when it measures distances. */
enum {
    M_PRECISION, M_KIND, M_NAME, M_ID, M_SOURCE, M_SCORE, M_AMBIGUOUS, M_ALTERNATIVES, M_NOTE,
    M_N,
    M_FRONTIER_KM = M_N, M_FRONTIER, M_FRONTIER_ISO, M_IN_COUNTRY, M_ALL
};

static const struct {
    const char *name;
    OGRFieldType type;
} match_fields[M_ALL] = {
    {"geo_precision", OFTInteger}, {"match_kind", OFTString}, {"match_name", OFTString},
    {"match_id", OFTString},       {"match_source", OFTString}, {"match_score", OFTReal},
    {"ambiguous", OFTInteger},     {"alternatives", OFTString}, {"match_note", OFTString},
    {"frontier_km", OFTReal},      {"frontier", OFTString},     {"frontier_iso", OFTString},
    {"in_country", OFTString},
};

/* What a layer adds to the input fields, and the one feature its records
 * are written through (made once: a feature a row was a quarter of the
 * writing outside GDAL's own). */
typedef struct added_fields {
    int map[M_ALL];             /* output field of each added field; -1 when absent */
    int n;                      /* M_N, or M_ALL when distances are measured */
    bm_border_distance *distance;
    unsigned char *from_input;  /* per input field: written from the input, not a match field */
    OGRFeatureH feature;
} added_fields;

static int match_field_of(const added_fields *a, const char *name)
{
    for (int i = 0; i < a->n; i++)
        if (strcmp(match_fields[i].name, name) == 0)
            return i;
    return -1;
}

static bm_status create_field(OGRLayerH layer, const char *name, OGRFieldType type, int match,
                              bm_error *err)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, match >= 0 ? match_fields[match].type : type);
    if (match == M_AMBIGUOUS)
        OGR_Fld_SetSubType(fd, OFSTBoolean);
    OGRErr rc = OGR_L_CreateField(layer, fd, TRUE);
    OGR_Fld_Destroy(fd);
    return rc == OGRERR_NONE
               ? BM_OK
               : bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, name, "cannot create field");
}

/* Input fields in order, then the added fields the input does not have;
 * an input field of the same name takes the added field's value. */
static bm_status create_fields(const bm_catalog *c, OGRLayerH layer, added_fields *a,
                               bm_error *err)
{
    int *map = a->map;
    size_t nf = bm_catalog_field_count(c);
    for (int i = 0; i < M_ALL; i++)
        map[i] = -1;
    if (!(a->from_input = malloc(nf + 1)))
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (size_t f = 0; f < nf; f++) {
        int mf = match_field_of(a, bm_catalog_field_name(c, f));
        if (create_field(layer, bm_catalog_field_name(c, f), bm_catalog_field_type(c, f), mf,
                         err) != BM_OK)
            return err->status;
        a->from_input[f] = mf < 0;
        if (mf >= 0)
            map[mf] = (int)f;
    }
    int next = (int)nf;
    for (int i = 0; i < a->n; i++) {
        if (map[i] >= 0)
            continue;
        if (create_field(layer, match_fields[i].name, OFTString, i, err) != BM_OK)
            return err->status;
        map[i] = next++;
    }
    if (!(a->feature = OGR_F_Create(OGR_L_GetLayerDefn(layer))))
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    return BM_OK;
}

static void free_added(added_fields *a)
{
    if (a->feature)
        OGR_F_Destroy(a->feature);
    free(a->from_input);
}

/* A string or a null the feature holds from the record before is left as
 * it is: GDAL frees and copies a string at every set, and the match kind,
 * source and nulls are the same on most rows (write_record outside GDAL's
 * CreateFeature: 286 -> 257 M instructions at 100k rows). */
static void set_text(OGRFeatureH f, int i, const char *text)
{
    if (!OGR_F_IsFieldSetAndNotNull(f, i) || strcmp(OGR_F_GetFieldAsString(f, i), text) != 0)
        OGR_F_SetFieldString(f, i, text);
}

static void set_null(OGRFeatureH f, int i)
{
    if (!OGR_F_IsFieldNull(f, i))
        OGR_F_SetFieldNull(f, i);
}

static void set_match_fields(OGRFeatureH f, const bm_match *m, const int *map)
{
    const bm_candidate *b = &m->best;
    if (*m->note)
        OGR_F_SetFieldString(f, map[M_NOTE], m->note);
    else
        set_null(f, map[M_NOTE]);
    if (b->kind == BM_MATCH_NONE) {
        for (int i = 0; i < M_NOTE; i++)
            set_null(f, map[i]);
        OGR_F_SetFieldInteger(f, map[M_AMBIGUOUS], 0);
        if (*m->alternatives)
            OGR_F_SetFieldString(f, map[M_ALTERNATIVES], m->alternatives);
        return;
    }
    OGR_F_SetFieldInteger(f, map[M_PRECISION], b->precision);
    set_text(f, map[M_KIND], bm_match_kind_name(b->kind));
    OGR_F_SetFieldInteger(f, map[M_AMBIGUOUS], m->ambiguous);
    if (b->kind == BM_MATCH_COORDINATES) {
        set_text(f, map[M_SOURCE], "input");
        for (int i = M_NAME; i <= M_SCORE; i++)
            if (i != M_SOURCE)
                set_null(f, map[i]);
        set_null(f, map[M_ALTERNATIVES]);
        return;
    }
    OGR_F_SetFieldString(f, map[M_NAME], b->place->name);
    OGR_F_SetFieldString(f, map[M_ID], b->place->id);
    OGR_F_SetFieldString(f, map[M_SOURCE], b->place->source);
    OGR_F_SetFieldDouble(f, map[M_SCORE], b->score);
    if (m->ambiguous)
        OGR_F_SetFieldString(f, map[M_ALTERNATIVES], m->alternatives);
    else
        OGR_F_SetFieldNull(f, map[M_ALTERNATIVES]);
}

/* The distance fields of a located record; null when unlocated or when
 * there is no frontier. Kilometres to the metre: the method is exact to
 * about that, and the output stays the same from run to run. */
static int set_distance_fields(OGRFeatureH f, const bm_match *m, const added_fields *a)
{
    bm_border_answer ans = {.km = -1};
    if (m->best.kind != BM_MATCH_NONE &&
        bm_border_distance_query(a->distance, m->best.lon, m->best.lat, &ans) != 0)
        return -1;
    for (int i = M_N; i < M_ALL; i++)
        OGR_F_SetFieldNull(f, a->map[i]);
    if (ans.km >= 0) {
        OGR_F_SetFieldDouble(f, a->map[M_FRONTIER_KM], round(ans.km * 1000.0) / 1000.0);
        OGR_F_SetFieldString(f, a->map[M_FRONTIER], ans.frontier_name);
        OGR_F_SetFieldString(f, a->map[M_FRONTIER_ISO], ans.frontier_iso);
    }
    if (m->best.kind != BM_MATCH_NONE)
        OGR_F_SetFieldString(f, a->map[M_IN_COUNTRY], ans.in_country);
    return 0;
}

/* A coordinate column the catalog parsed already is set from its number:
 * GDAL's parsing of the text again (CPLStrtod, which is strtod for any
 * text the catalog accepts as a coordinate) was 0.21 G instructions of the
 * writing thread at 100k rows; the reading thread has time to spare. */
static void set_input_fields(OGRFeatureH f, const bm_catalog *c, size_t rec,
                             const added_fields *a)
{
    for (size_t i = 0; i < bm_catalog_field_count(c); i++) {
        double v;
        if (!a->from_input[i])
            continue;
        if (bm_catalog_field_type(c, i) == OFTReal && bm_catalog_number(c, rec, i, &v))
            OGR_F_SetFieldDouble(f, (int)i, v);
        else
            bm_catalog_set_ogr_field(f, (int)i, bm_catalog_value(c, rec, i));
    }
}

/* The point of a located record, kept in the feature from one record to
 * the next; NULL for an unlocated one. */
static void set_point(OGRFeatureH f, const bm_match *m)
{
    OGRGeometryH pt = OGR_F_GetGeometryRef(f);
    if (m->best.kind == BM_MATCH_NONE) {
        if (pt)
            OGR_F_SetGeometryDirectly(f, NULL);
        return;
    }
    if (!pt) {
        pt = OGR_G_CreateGeometry(wkbPoint);
        OGR_F_SetGeometryDirectly(f, pt);
    }
    OGR_G_SetPoint_2D(pt, 0, m->best.lon, m->best.lat);
}

/* Every field and the geometry are set anew for each record; the FID is
 * cleared, as a GeoPackage sets it to the row it inserted. */
static bm_status write_record(OGRLayerH layer, const bm_catalog *c, size_t rec,
                              const bm_match *m, const added_fields *a, bm_error *err)
{
    OGRFeatureH f = a->feature;
    OGR_F_SetFID(f, OGRNullFID);
    set_input_fields(f, c, rec, a);
    set_match_fields(f, m, a->map);
    if (a->distance && set_distance_fields(f, m, a) != 0)
        return bm_error_set(err, BM_ERR_RUNTIME, NULL, bm_catalog_row(c, rec), "frontier_km",
                            "GEOS failed to find the country of the point");
    set_point(f, m);
    OGRErr rc = OGR_L_CreateFeature(layer, f);
    return rc == OGRERR_NONE ? BM_OK
                             : bm_error_set(err, BM_ERR_RUNTIME, NULL, bm_catalog_row(c, rec),
                                            NULL, "cannot write feature");
}

bm_status bm_geocode_write_layer(bm_vector_out *out, const char *name, const bm_catalog *c,
                                 const bm_match *matches, bm_border_distance *distance,
                                 bm_record_filter keep, void *data, bm_error *err)
{
    added_fields a = {.n = distance ? M_ALL : M_N, .distance = distance};
    OGRLayerH layer = bm_vector_out_layer(out, name, wkbPoint, err);
    bm_status st = layer ? create_fields(c, layer, &a, err) : err->status;
    for (size_t i = 0; st == BM_OK && i < bm_catalog_count(c); i++)
        if (!keep || keep(c, i, data))
            st = write_record(layer, c, i, &matches[i], &a, err);
    free_added(&a);
    return st;
}

struct bm_geocode_writer {
    bm_vector_out *out;
    OGRLayerH layer;
    added_fields added;
    char path[sizeof ((bm_error *)0)->file];
};

bm_geocode_writer *bm_geocode_writer_open(const char *path, const bm_catalog *c, bm_error *err)
{
    return bm_geocode_writer_open_measuring(path, c, NULL, err);
}

bm_geocode_writer *bm_geocode_writer_open_measuring(const char *path, const bm_catalog *c,
                                                    bm_border_distance *distance,
                                                    bm_error *err)
{
    bm_geocode_writer *w = calloc(1, sizeof *w);
    if (!w) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(w->path, sizeof w->path, "%s", path);
    w->added = (added_fields){.n = distance ? M_ALL : M_N, .distance = distance};
    w->out = bm_vector_out_open(path, err);
    w->layer = w->out ? bm_vector_out_layer(w->out, "geocoded", wkbPoint, err) : NULL;
    if (!w->layer || create_fields(c, w->layer, &w->added, err) != BM_OK) {
        if (!*err->file)
            snprintf(err->file, sizeof err->file, "%s", path);
        bm_geocode_writer_abort(w);
        return NULL;
    }
    return w;
}

bm_status bm_geocode_writer_add(bm_geocode_writer *w, const bm_catalog *c, size_t record,
                                const bm_match *m, bm_error *err)
{
    if (write_record(w->layer, c, record, m, &w->added, err) == BM_OK)
        return BM_OK;
    snprintf(err->file, sizeof err->file, "%s", w->path);
    return err->status;
}

bm_status bm_geocode_writer_commit(bm_geocode_writer *w, bm_error *err)
{
    free_added(&w->added);
    bm_status st = bm_vector_out_commit(w->out, err);
    free(w);
    return st;
}

void bm_geocode_writer_abort(bm_geocode_writer *w)
{
    if (!w)
        return;
    free_added(&w->added);
    bm_vector_out_abort(w->out);
    free(w);
}

bm_status bm_geocode_write(const bm_catalog *c, const bm_match *matches, const char *path,
                           bm_error *err)
{
    bm_geocode_writer *w = bm_geocode_writer_open(path, c, err);
    for (size_t i = 0; w && i < bm_catalog_count(c); i++) {
        if (bm_geocode_writer_add(w, c, i, &matches[i], err) != BM_OK) {
            bm_geocode_writer_abort(w);
            return err->status;
        }
    }
    return w ? bm_geocode_writer_commit(w, err) : err->status;
}
