/*
 * xml_out.h — writing an XML document into memory with libxml2's text
 * writer, with a sticky failure flag: every call after a failure is
 * harmless, and bm_xml_close reports it. The QGIS style and project
 * writers share it. Text and attribute values are written as XML 1.0
 * allows: a character it has no place for (a control character, a byte
 * that is not UTF-8) becomes U+FFFD, so the document always parses.
 */
#ifndef BM_XML_OUT_H
#define BM_XML_OUT_H

#include <libxml/xmlwriter.h>

typedef struct bm_xml {
    xmlTextWriterPtr w;
    xmlBufferPtr out;   /* NULL when w writes elsewhere */
    int failed;
} bm_xml;

/* An indented document in memory (the caller starts it with its XML
 * declaration); -1 when out of memory. */
int bm_xml_open(bm_xml *x);
/* Ends the document; the text as a malloc'd string, NULL when anything
 * failed. Frees the writer either way. */
char *bm_xml_close(bm_xml *x);

/* Records a libxml2 return code (negative: failed). */
void bm_xml_check(bm_xml *x, int rc);
void bm_xml_start(bm_xml *x, const char *name);
void bm_xml_end(bm_xml *x);
void bm_xml_attr(bm_xml *x, const char *k, const char *v);
void bm_xml_attrf(bm_xml *x, const char *k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void bm_xml_text(bm_xml *x, const char *s);
/* <name>s</name> */
void bm_xml_element(bm_xml *x, const char *name, const char *s);
void bm_xml_elementf(bm_xml *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
