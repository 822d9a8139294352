/*
 * frontier_stats.c — events along each frontier (see frontier_stats.h).
 *
 * Each located record asks the border index for every frontier within
 * the distance (one walk of the index), and for the country it lies in
 * only when some frontier is that near.
 */
#include "frontier_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bm_frontier_stats {
    double km;
    size_t n_frontiers;
    bm_frontier_count *counts;
    char **types;       /* sorted, distinct */
    size_t n_types;
    size_t *by_type;    /* n_frontiers x n_types */
};

const char *const bm_frontier_stats_fields[BM_FRONTIER_STATS_FIELDS] = {
    "within_km", "incidents_within", "incidents_a", "incidents_b", "fatalities_within",
    "incidents_per_100km"};

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct event types of the located records, sorted. */
static int collect_types(bm_frontier_stats *s, const bm_catalog *c)
{
    size_t n = bm_catalog_count(c), k = 0;
    double lon, lat;
    s->types = calloc(n ? n : 1, sizeof *s->types);
    if (!s->types)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (bm_catalog_point(c, i, &lon, &lat))
            s->types[k++] = (char *)bm_catalog_get(c, i, "event_type");
    qsort(s->types, k, sizeof *s->types, compare_strings);
    for (size_t i = 0; i < k; i++)
        if (s->n_types == 0 || strcmp(s->types[s->n_types - 1], s->types[i]) != 0)
            s->types[s->n_types++] = s->types[i];
    for (size_t i = 0; i < s->n_types; i++)
        if (!(s->types[i] = strdup(s->types[i])))
            return -1;
    return 0;
}

static size_t type_index(const bm_frontier_stats *s, const char *type)
{
    char *const *hit = bsearch(&type, s->types, s->n_types, sizeof *s->types, compare_strings);
    return (size_t)(hit - s->types);
}

/* Adds a record within km of frontier i, which lies in country iso. */
static void count(bm_frontier_stats *s, const bm_frontier *fr, size_t i, const char *iso,
                  const char *type, const char *fatalities)
{
    bm_frontier_count *n = &s->counts[i];
    n->within++;
    n->side_a += strcmp(iso, fr->iso_a) == 0;
    n->side_b += strcmp(iso, fr->iso_b) == 0;
    n->fatalities += fatalities[0] ? strtod(fatalities, NULL) : 0;
    s->by_type[i * s->n_types + type_index(s, type)]++;
}

static int count_record(bm_frontier_stats *s, bm_border_distance *d, const bm_frontiers *f,
                        const bm_catalog *c, size_t r, double *km_to)
{
    double lon, lat;
    if (!bm_catalog_point(c, r, &lon, &lat))
        return 0;
    if (bm_border_distance_within(d, lon, lat, s->km, km_to))
        return -1;
    bm_border_answer a;
    int placed = 0;
    for (size_t i = 0; i < s->n_frontiers; i++) {
        if (km_to[i] < 0)
            continue;
        if (!placed && bm_border_distance_query(d, lon, lat, &a))
            return -1;
        placed = 1;
        count(s, bm_frontiers_at(f, i), i, a.in_country, bm_catalog_get(c, r, "event_type"),
              bm_catalog_get(c, r, "fatalities"));
    }
    return 0;
}

bm_frontier_stats *bm_frontier_stats_compute(bm_border_distance *d, const bm_frontiers *f,
                                             const bm_catalog *c, double km, bm_error *err)
{
    bm_frontier_stats *s = calloc(1, sizeof *s);
    size_t n = bm_frontiers_count(f);
    double *km_to = calloc(n ? n : 1, sizeof *km_to);
    int rc = s && km_to ? 0 : -1;
    if (rc == 0) {
        s->km = km, s->n_frontiers = n;
        s->counts = calloc(n ? n : 1, sizeof *s->counts);
        rc = s->counts && collect_types(s, c) == 0 ? 0 : -1;
    }
    if (rc == 0)
        rc = (s->by_type = calloc(n * s->n_types + 1, sizeof *s->by_type)) ? 0 : -1;
    for (size_t r = 0; rc == 0 && r < bm_catalog_count(c); r++)
        rc = count_record(s, d, f, c, r, km_to);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        double length = bm_frontiers_at(f, i)->length_km;
        s->counts[i].per_100km = length > 0 ? s->counts[i].within / length * 100 : 0;
    }
    free(km_to);
    if (rc != 0) {
        bm_frontier_stats_free(s);
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL,
                     "cannot count the events along the frontiers (out of memory or GEOS)");
        return NULL;
    }
    return s;
}

void bm_frontier_stats_free(bm_frontier_stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->types && i < s->n_types; i++)
        free(s->types[i]);
    free(s->types);
    free(s->counts);
    free(s->by_type);
    free(s);
}

double bm_frontier_stats_km(const bm_frontier_stats *s)
{
    return s->km;
}

const bm_frontier_count *bm_frontier_stats_at(const bm_frontier_stats *s, size_t frontier)
{
    return &s->counts[frontier];
}

size_t bm_frontier_stats_type_count(const bm_frontier_stats *s)
{
    return s->n_types;
}

const char *bm_frontier_stats_type(const bm_frontier_stats *s, size_t t)
{
    return s->types[t];
}

size_t bm_frontier_stats_by_type(const bm_frontier_stats *s, size_t frontier, size_t t)
{
    return s->by_type[frontier * s->n_types + t];
}

/* Copies every field of from's feature i into to's, the geometry moved. */
static int move_feature(bm_features *to, bm_features *from, size_t i)
{
    for (size_t k = 0; k < bm_features_field_count(from); k++)
        if (bm_features_set(to, i, k, from->values[i * from->n_fields + k]))
            return -1;
    to->geom[i] = from->geom[i];
    from->geom[i] = NULL;
    return 0;
}

/* The counts are integers, the rest reals. */
static const bm_field_type stats_types[BM_FRONTIER_STATS_FIELDS] = {
    BM_FIELD_REAL, BM_FIELD_INTEGER, BM_FIELD_INTEGER, BM_FIELD_INTEGER, BM_FIELD_REAL,
    BM_FIELD_REAL};

static int set_counts(bm_features *out, size_t i, size_t first, const bm_frontier_stats *s)
{
    const bm_frontier_count *n = &s->counts[i];
    size_t counts[] = {n->within, n->side_a, n->side_b};
    char text[32];
    for (size_t k = 0; k < 3; k++) {
        snprintf(text, sizeof text, "%zu", counts[k]);
        if (bm_features_set(out, i, first + 1 + k, text))
            return -1;
    }
    return bm_features_set_real(out, i, first, s->km) ||
                   bm_features_set_real(out, i, first + 4, n->fatalities) ||
                   bm_features_set_real(out, i, first + 5, n->per_100km)
               ? -1
               : 0;
}

bm_features *bm_frontier_stats_features(GEOSContextHandle_t geos, const bm_frontiers *f,
                                        const bm_frontier_stats *s, bm_error *err)
{
    bm_features *base = bm_frontiers_features(geos, f, err);
    if (!base)
        return NULL;
    size_t nb = bm_features_field_count(base), n = nb + BM_FRONTIER_STATS_FIELDS;
    const char *names[64];
    bm_field_type types[64];
    for (size_t k = 0; k < nb && k < 64 - BM_FRONTIER_STATS_FIELDS; k++)
        names[k] = base->fields[k], types[k] = base->types[k];
    for (size_t k = 0; k < BM_FRONTIER_STATS_FIELDS; k++)
        names[nb + k] = bm_frontier_stats_fields[k], types[nb + k] = stats_types[k];
    bm_features *out = nb + BM_FRONTIER_STATS_FIELDS <= 64
                           ? bm_features_create(base->n, n, names, types)
                           : NULL;
    int rc = out ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < base->n; i++)
        rc = move_feature(out, base, i) || set_counts(out, i, nb, s) ? -1 : 0;
    if (out)
        out->layer_type = base->layer_type;
    bm_features_free(geos, base);
    if (rc != 0) {
        bm_features_free(geos, out);
        bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    return out;
}
