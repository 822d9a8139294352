/*
 * xml_out.c — XML documents through libxml2's text writer (see xml_out.h).
 */
#include "xml_out.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMATTED_MAX 512

void bm_xml_check(bm_xml *x, int rc)
{
    x->failed |= rc < 0;
}

int bm_xml_open(bm_xml *x)
{
    x->failed = 0;
    x->out = xmlBufferCreate();
    x->w = x->out ? xmlNewTextWriterMemory(x->out, 0) : NULL;
    if (!x->w) {
        xmlBufferFree(x->out);
        return -1;
    }
    bm_xml_check(x, xmlTextWriterSetIndent(x->w, 1));
    bm_xml_check(x, xmlTextWriterSetIndentString(x->w, BAD_CAST " "));
    return 0;
}

char *bm_xml_close(bm_xml *x)
{
    bm_xml_check(x, xmlTextWriterEndDocument(x->w));
    xmlFreeTextWriter(x->w); /* flushes into x->out */
    const char *text = (const char *)xmlBufferContent(x->out);
    char *doc = !x->failed && text ? strdup(text) : NULL;
    xmlBufferFree(x->out);
    return doc;
}

void bm_xml_start(bm_xml *x, const char *name)
{
    bm_xml_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

void bm_xml_end(bm_xml *x)
{
    bm_xml_check(x, xmlTextWriterEndElement(x->w));
}

void bm_xml_attr(bm_xml *x, const char *k, const char *v)
{
    bm_xml_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST k, BAD_CAST v));
}

void bm_xml_attrf(bm_xml *x, const char *k, const char *fmt, ...)
{
    char v[FORMATTED_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    bm_xml_attr(x, k, v);
}

void bm_xml_text(bm_xml *x, const char *s)
{
    bm_xml_check(x, xmlTextWriterWriteString(x->w, BAD_CAST s));
}

void bm_xml_element(bm_xml *x, const char *name, const char *s)
{
    bm_xml_check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST s));
}

void bm_xml_elementf(bm_xml *x, const char *name, const char *fmt, ...)
{
    char v[FORMATTED_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    bm_xml_element(x, name, v);
}
