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
 * page: its size, a map of the extent within the margins, title and
 * subtitle, legend, scale bar in km, a north arrow and the credits.
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
#include "style.h"

typedef struct bm_qgis_project {
    const char *name;              /* NAME: the zip holds NAME.qgs */
    const bm_style *style;         /* page, extent, colours, layout name */
    const bm_qgis_layer *layers;   /* the exported layers, in export order */
    size_t n_layers;
    const char *gpkg;              /* the layers' file, relative: "./NAME.gpkg" */
    const char *credits;           /* the data credits line, or "" */
} bm_qgis_project;

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
