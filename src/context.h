/*
 * context.h — what one command has loaded, owned in one place: the
 * boundaries (read once), the gazetteer (read only when a row's place
 * text needs it), catalogs and the geocoder's matches, one frontier set
 * per list of countries, and every style source resolved to features with
 * one schema. Render, export, batch and geocode all take their data from
 * a context, so a map and its export are made of the same features.
 *
 * Ownership and lifetime:
 *   - bm_context_create returns a context the caller frees with
 *     bm_context_free; nothing else a bm_context_* function returns is
 *     freed by the caller.
 *   - Everything handed out (boundaries, gazetteer, catalogs, matches,
 *     frontier sets, features, GEOS geometries) is borrowed and lives
 *     until bm_context_free. Matches point into the gazetteer, which the
 *     context keeps as long as they.
 *   - A map (bm_map) or export made from a context must be finished before
 *     the context is freed.
 *   - A context owns one GEOS handle; use it from one thread at a time. A
 *     forked worker may use its copy.
 *
 * Inputs: the context records every file it reads, and each time it hands
 * something out it notes the files that went into it, so that
 * bm_context_inputs lists exactly what a map was made from since the last
 * bm_context_inputs_reset (batch hashes them to know when a map is stale).
 */
#ifndef BM_CONTEXT_H
#define BM_CONTEXT_H

#include <stddef.h>

#include <geos_c.h>

#include "border_distance.h"
#include "boundaries.h"
#include "catalog.h"
#include "error.h"
#include "feature_set.h"
#include "frontiers.h"
#include "geocode.h"
#include "style.h"

typedef struct bm_context bm_context;

bm_context *bm_context_create(bm_error *err);
void bm_context_free(bm_context *ctx);

/* The context's GEOS handle. GEOS's error messages are kept, not printed:
 * bm_context_take_geos_error copies the last one since the previous call
 * to buf and returns 1, or returns 0 when GEOS reported none, so a failed
 * operation can be reported with the feature and file it was about. */
GEOSContextHandle_t bm_context_geos(bm_context *ctx);
int bm_context_take_geos_error(bm_context *ctx, char *buf, size_t size);

/* The embedded country polygons, read on first use. */
const bm_boundaries *bm_context_boundaries(bm_context *ctx, bm_error *err);
/* Country polygons from another file, read once per path. */
const bm_boundaries *bm_context_boundaries_from(bm_context *ctx, const char *path,
                                                bm_error *err);

/* The user's own data beside the embedded: a GeoNames file whose places
 * and districts join the gazetteer, and country polygons (any file
 * bm_boundaries_load reads) that place countries and frontiers instead of
 * the embedded ones. NULL keeps the default; call before either is used. */
bm_status bm_context_use_data(bm_context *ctx, const char *gazetteer, const char *boundaries,
                              bm_error *err);

/* The geocoder's gazetteer, loaded only when a record's place text needs
 * it (see bm_lazy_gazetteer). */
bm_lazy_gazetteer *bm_context_geocoder(bm_context *ctx);
/* The gazetteer, loaded now. */
bm_gazetteer *bm_context_gazetteer(bm_context *ctx, bm_error *err);

/* Reads a catalog and places the records that have no point yet (their
 * place text resolved), once per path: reading the same path again gives
 * the same catalog. matches (may be NULL) receives the geocoder's match
 * per record. The catalog is the one style catalog sources draw until
 * another is read, adopted or chosen. */
bm_catalog *bm_context_read_catalog(bm_context *ctx, const char *path,
                                    const bm_catalog_options *opt, const bm_match **matches,
                                    bm_error *err);
/* Hands a catalog read elsewhere (the CLI's, with its progress and
 * accounting) to the context, with its matches or NULL; the context frees
 * both. It becomes the catalog style catalog sources draw. */
bm_status bm_context_adopt_catalog(bm_context *ctx, bm_catalog *c, bm_match *matches,
                                   const char *path, bm_error *err);
/* Chooses which of the context's catalogs style catalog sources draw. */
void bm_context_use_catalog(bm_context *ctx, const bm_catalog *c);
/* The catalog style catalog sources draw, or NULL. */
bm_catalog *bm_context_catalog(bm_context *ctx);
/* The geocoder's matches of the current catalog, made on first call when
 * it came without them. */
const bm_match *bm_context_matches(bm_context *ctx, bm_error *err);

/* The frontiers among a list of ISO codes (all neighbouring pairs), with
 * the embedded reported lengths; one set per list, whatever its order. */
const bm_frontiers *bm_context_frontiers(bm_context *ctx, const char *const *isos, size_t n,
                                         bm_error *err);

/* Distances to the nearest land frontier among all the embedded
 * countries, and the country a point lies in, built on first use. */
bm_border_distance *bm_context_border_distance(bm_context *ctx, bm_error *err);

/* The features of style source `source`: countries, embedded layers,
 * files, the frontiers of the source's countries, or the current catalog.
 * A frontiers source without countries takes the countries whose polygons
 * reach into view (min lon, min lat, max lon, max lat; NULL: the style's
 * extent). Features are resolved once per source content, so two sources
 * with different countries get different frontiers. */
const bm_features *bm_context_source(bm_context *ctx, const bm_style *style, size_t source,
                                     const double view[4], bm_error *err);

/* The features of an embedded layer by name ("world", "admin1"). */
const bm_features *bm_context_geodata(bm_context *ctx, const char *layer, bm_error *err);

/* The file an embedded layer ("admin1") is stored in, whatever its format. */
char *bm_context_geodata_file(const char *layer, char *buf, size_t size);

/* The credit lines of the embedded data's ATTRIBUTION file, joined with
 * " · ": what a map credits. */
const char *bm_context_credits(bm_context *ctx);

/* Notes a file read outside the context (the style) or a name the output
 * depends on (a font family), as an input of what is being made. */
void bm_context_note_file(bm_context *ctx, const char *path);
void bm_context_note_name(bm_context *ctx, const char *kind, const char *name);

/* The inputs noted since the last reset, in the order first used: files
 * by path (is_file 1), names as "kind:name" (is_file 0). */
size_t bm_context_input_count(const bm_context *ctx);
const char *bm_context_input(const bm_context *ctx, size_t i, int *is_file);
void bm_context_inputs_reset(bm_context *ctx);

#endif
