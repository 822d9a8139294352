/*
 * export.h — a style's sources as GIS data: GeoJSON for the web, a
 * GeoPackage for QGIS.
 *
 * The unit of export is the style source. Each source the style draws
 * becomes one layer named by the source's id, holding exactly the
 * features and fields the renderer draws from it (both come from the
 * context, see context.h): a frontiers source is the frontier set of its
 * countries, with length_km, reported_km, the label texts `length` and
 * `reported` and the rest of `bordermap frontiers -o`; a catalog source
 * is the located records of the context's current catalog with every
 * input field and the geocoder's match fields (records without a point
 * are not on the map and not in the export); an embedded or file source
 * is its features as read.
 *
 * `layers` picks sources by id. Where the style has no source of that id,
 * the fixed layer names of bordermap 0.1 still work:
 *   incidents    the style's catalog source
 *   deployments  its records whose sub_event_type is "Headquarters or base
 *                established" or "Change to group/activity" (ACLED files
 *                the setting-up and reinforcing of bases under those two
 *                strategic-development sub-event types)
 *   frontiers    the style's first frontiers source
 *   countries    the embedded admin-0 polygons
 *   regions      the embedded admin-1 polygons
 *
 * A GeoPackage holds every layer plus a `layer_styles` table in the schema
 * QGIS itself writes, with one default QML (and SLD) style per layer made
 * from the style layers that draw its source, so QGIS opens the layers
 * looking like the map. GeoJSON holds one layer per file (RFC 7946): with
 * a single layer the output is the path given; with several, "OUT.geojson"
 * becomes "OUT-<id>.geojson" per layer ("-" allows one layer only).
 */
#ifndef BM_EXPORT_H
#define BM_EXPORT_H

#include <stddef.h>

#include "catalog.h"
#include "context.h"
#include "error.h"
#include "style.h"

typedef struct bm_export_options {
    const bm_style *style;          /* required: the map whose sources go out */
    const char *const *layers;      /* source ids or the names above; */
    size_t n_layers;                /* NULL: every source the style draws */
} bm_export_options;

/* Whether a catalog record is a deployment (see above). */
int bm_export_is_deployment(const bm_catalog *c, size_t record);

/* Writes the layers to path (.geojson, .json, .gpkg or "-"), atomically.
 * An unknown layer name is a usage error listing the style's sources. */
bm_status bm_export_write(bm_context *ctx, const bm_export_options *opt, const char *path,
                          bm_error *err);

/* How many records of catalog c an export with opt writes. */
size_t bm_export_records_written(const bm_catalog *c, const bm_export_options *opt);

#endif
