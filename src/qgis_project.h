/*
 * qgis_project.h — a QGIS project (.qgz) showing a style's exported
 * layers as the map does, with a print layout of its page.
 *
 * The project holds one map layer per exported layer, each read from a
 * GeoPackage through a path relative to the project (so the two files
 * move together) and carrying the renderer and labels of its
 * layer_styles QML (qgis_style.h). Layers are stacked by the last style
 * layer that draws or labels them: the layer drawn last is on top of the
 * layer tree. The project CRS is the style's `crs`, or EPSG:4326 where the
 * style leaves it to bordermap's fitted conic (whose definition the
 * library does not expose); its extent is the style's, its background the
 * water colour. The print layout, named after the style file, is the
 * page as `bordermap render` lays it out, taken from the map drawn once
 * (bm_map_draw): title and subtitle; the map within the margins, drawing
 * the data layers whatever the layer tree shows, with the graticule as a
 * map grid (every graticule step in EPSG:4326, labelled "50°N" and "60°E"
 * outside the frame); the legend where bordermap's is, listing bordermap's
 * rows (the classes drawn, with counts, the size key, lines and areas) in
 * its order, from a featureless memory layer whose renderer holds them
 * and which no map and no layer tree shows; the scale panel (a km bar of
 * bordermap's length and divisions, QGIS's north arrow turned to true
 * north, the note on where the scale holds); the inset, a map of the
 * locator layer (the inset's countries, exported to the GeoPackage
 * beside the data, off in the layer tree) in bordermap's azimuthal
 * projection with the main map's frame as an overview; the credits with
 * the projection line, and the note.
 *
 * Everything is written through libxml2's text writer and GDAL (the zip,
 * the qgis_projects table); nothing holds a date, so the same inputs give
 * the same bytes.
 */
#ifndef BM_QGIS_PROJECT_H
#define BM_QGIS_PROJECT_H

#include <stddef.h>

#include <gdal.h>

#include "error.h"
#include "qgis_style.h"
#include "render.h"
#include "style.h"

typedef struct bm_qgis_project {
    const char *name;              /* NAME: the zip holds NAME.qgs */
    const bm_style *style;         /* page, extent, colours, layout name */
    const bm_qgis_layer *layers;   /* the exported layers, in export order */
    size_t n_layers;
    const char *gpkg;              /* the layers' file, relative: "./NAME.gpkg" */
    const char *credits;           /* the data credits line, or "" */
    const bm_map *map;             /* the style's map, drawn: legend, furniture */
} bm_qgis_project;

/* The GeoPackage table of the inset's countries, when the page has an inset. */
#define BM_QGIS_LOCATOR "locator"

/* The project as .qgz bytes (a zip holding NAME.qgs with fixed
 * timestamps). NULL with err set on failure; the caller frees the bytes
 * with free(). */
unsigned char *bm_qgis_project_qgz(const bm_qgis_project *p, size_t *size, bm_error *err);

/* Stores .qgz bytes in ds, a GeoPackage, as QGIS does: a row `name` of
 * the qgis_projects table (created when missing), content hex-encoded,
 * metadata JSON with a fixed modification time. ds stays the caller's. */
bm_status bm_qgis_project_store(GDALDatasetH ds, const char *name, const unsigned char *qgz,
                                size_t size, bm_error *err);

#endif
