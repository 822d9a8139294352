/*
 * export.h — the map's layers as GIS data: GeoJSON for the web, a
 * GeoPackage for QGIS.
 *
 * Layers:
 *   incidents    catalog records that are not deployments (points)
 *   deployments  records whose sub_event_type is "Headquarters or base
 *                established" or "Change to group/activity" (points): ACLED
 *                files the setting-up and reinforcing of bases under those
 *                two strategic-development sub-event types
 *   frontiers    shared land borders among a set of countries (lines): the
 *                fields of `bordermap frontiers -o` (length_km, reported_km,
 *                ...) and the texts the renderer labels them with (length
 *                "1,362 km", reported "(reported: over 1,300 km)")
 *   countries    the embedded admin-0 polygons
 *   regions      the embedded admin-1 polygons
 * Catalog records without a point (unresolved places) are left out.
 *
 * A GeoPackage holds every layer plus a `layer_styles` table in the schema
 * QGIS itself writes, with one default QML (and SLD) style per layer made
 * from a bordermap style, so QGIS opens the layers looking like the map.
 * GeoJSON holds one layer per file (RFC 7946): with a single layer the
 * output is the path given; with several, "OUT.geojson" becomes
 * "OUT-incidents.geojson", "OUT-frontiers.geojson", ... ("-" allows one
 * layer only).
 */
#ifndef BM_EXPORT_H
#define BM_EXPORT_H

#include <stddef.h>

#include <geos_c.h>

#include "catalog.h"
#include "geocode.h"
#include "error.h"
#include "style.h"

typedef enum bm_export_layer {
    BM_EXPORT_INCIDENTS = 1 << 0,
    BM_EXPORT_DEPLOYMENTS = 1 << 1,
    BM_EXPORT_FRONTIERS = 1 << 2,
    BM_EXPORT_COUNTRIES = 1 << 3,
    BM_EXPORT_REGIONS = 1 << 4,
    BM_EXPORT_ALL = (1 << 5) - 1
} bm_export_layer;

/* Central Asia and its neighbours: the frontiers exported by default. */
#define BM_EXPORT_DEFAULT_COUNTRIES "KAZ,KGZ,TJK,TKM,UZB,AFG,CHN,RUS,IRN,PAK"

typedef struct bm_export_options {
    unsigned layers;                /* bm_export_layer mask; 0 means all */
    const bm_catalog *catalog;      /* geocoded; needed for incidents/deployments */
    const bm_match *matches;        /* the geocoder's match for each catalog record */
    const bm_style *style;          /* GeoPackage styles; NULL: no layer_styles */
    const char *const *countries;   /* frontiers among these ISO codes; */
    size_t n_countries;             /* 0: BM_EXPORT_DEFAULT_COUNTRIES */
} bm_export_options;

/* The layer's name ("incidents", ...) for one bit of the mask. */
const char *bm_export_layer_name(bm_export_layer layer);

/* Parses "incidents,frontiers" into a mask; an unknown name is a usage
 * error naming it. */
bm_status bm_export_parse_layers(const char *list, unsigned *mask, bm_error *err);

/* Whether a catalog record is a deployment (see above). */
int bm_export_is_deployment(const bm_catalog *c, size_t record);

/* Writes the layers to path (.geojson, .json, .gpkg or "-"), atomically. */
bm_status bm_export_write(GEOSContextHandle_t geos, const bm_export_options *opt,
                          const char *path, bm_error *err);

#endif
