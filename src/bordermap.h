/*
 * bordermap.h — the whole public API of libbordermap. Start with
 * context.h (what a program loads, and who owns it), style.h, render.h and
 * export.h; bm_version() is in geodata.h.
 */
#ifndef BORDERMAP_H
#define BORDERMAP_H

#include <bordermap/article.h>
#include <bordermap/atomic_file.h>
#include <bordermap/batch.h>
#include <bordermap/border_distance.h>
#include <bordermap/boundaries.h>
#include <bordermap/catalog.h>
#include <bordermap/confine.h>
#include <bordermap/context.h>
#include <bordermap/csvscan.h>
#include <bordermap/datephrase.h>
#include <bordermap/error.h>
#include <bordermap/export.h>
#include <bordermap/extract.h>
#include <bordermap/feature_set.h>
#include <bordermap/filter.h>
#include <bordermap/frontiers.h>
#include <bordermap/gazetteer.h>
#include <bordermap/geocode.h>
#include <bordermap/geodata.h>
#include <bordermap/geodesy.h>
#include <bordermap/geometry.h>
#include <bordermap/labels.h>
#include <bordermap/normalize.h>
#include <bordermap/projection.h>
#include <bordermap/qgis_project.h>
#include <bordermap/qgis_style.h>
#include <bordermap/render.h>
#include <bordermap/style.h>
#include <bordermap/svg_text.h>
#include <bordermap/symbols.h>
#include <bordermap/text_out.h>
#include <bordermap/textmatch.h>
#include <bordermap/textnum.h>
#include <bordermap/vector_out.h>
#include <bordermap/xml_out.h>

#endif
