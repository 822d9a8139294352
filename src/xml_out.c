/*
 * xml_out.c — XML documents through libxml2's text writer (see xml_out.h).
 */
#include "xml_out.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/chvalid.h>
#include <libxml/xmlstring.h>

#define FORMATTED_MAX 512
#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* Text as XML 1.0 allows it: characters it has no place for (C0 controls
 * but tab, newline and carriage return; U+FFFE, U+FFFF) and bytes that are
 * not UTF-8 each become U+FFFD. libxml2's writer copies them through, and
 * a label or match key holding one made the whole QML/SLD malformed.
 * Returns s itself when it is clean, else a malloc'd copy (NULL when out
 * of memory). */
static const char *xml_safe(const char *s)
{
    size_t n = strlen(s), clean = 0;
    while (clean < n) {
        int len = (int)(n - clean > 4 ? 4 : n - clean);
        int c = xmlGetUTF8Char((const unsigned char *)s + clean, &len);
        if (c < 0 || !xmlIsCharQ(c))
            break;
        clean += (size_t)len;
    }
    if (clean == n)
        return s;
    char *out = malloc(n * 3 + 1), *o = out;
    for (size_t i = 0; out && i < n;) {
        int len = (int)(n - i > 4 ? 4 : n - i);
        int c = xmlGetUTF8Char((const unsigned char *)s + i, &len);
        if (c < 0 || !xmlIsCharQ(c)) {
            memcpy(o, REPLACEMENT, 3);
            o += 3;
            i += c < 0 ? 1 : (size_t)len;
        } else {
            memcpy(o, s + i, (size_t)len);
            o += len;
            i += (size_t)len;
        }
    }
    if (out)
        *o = '\0';
    return out;
}

static void release(const char *safe, const char *s)
{
    if (safe != s)
        free((char *)safe);
}

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
    const char *safe = xml_safe(v);
    bm_xml_check(x, safe ? xmlTextWriterWriteAttribute(x->w, BAD_CAST k, BAD_CAST safe) : -1);
    release(safe, v);
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
    const char *safe = xml_safe(s);
    bm_xml_check(x, safe ? xmlTextWriterWriteString(x->w, BAD_CAST safe) : -1);
    release(safe, s);
}

void bm_xml_element(bm_xml *x, const char *name, const char *s)
{
    const char *safe = xml_safe(s);
    bm_xml_check(x, safe ? xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST safe) : -1);
    release(safe, s);
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
