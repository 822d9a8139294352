/*
 * article.h — a news article as text: plain UTF-8 or saved HTML.
 *
 * An article is read whole (it is small) and checked before anything
 * looks at it: no NUL byte (binary data), valid UTF-8, not empty, at most
 * max_bytes (a regular file's size is checked before it is read; standard
 * input and pipes are read up to the limit and refused past it). Errors
 * name the file and the byte offset. One exception to UTF-8: an HTML page
 * that is not valid UTF-8 but declares another charset near its start
 * (<meta charset="windows-1251">) is converted from that charset by
 * libxml2; a page that is valid UTF-8 is read as UTF-8 whatever it says.
 *
 * HTML is recognised by content (the first tag is <!doctype html>,
 * <html>, <head>, <body>, <p>, <div>, <article>, <meta>, <title> or an
 * HTML comment) and parsed by libxml2's HTML parser without network
 * access. The text is the article's body: inside the <article> with the
 * most text when there is one, else <main>, else <body>; script, style,
 * noscript, template, nav, header (outside the article), footer, aside,
 * menu, form, iframe and svg elements are dropped, as are elements whose
 * role marks them as navigation, banner or sidebar, and those whose id or
 * class does (navigation, menus, sidebars, sharing, comments) unless they
 * hold a paragraph of prose (120 bytes outside links). Block elements
 * become paragraphs separated by "\n\n"; runs of white space (no-break
 * spaces included) become one space.
 * Nesting deeper than BM_ARTICLE_MAX_DEPTH elements is refused.
 *
 * The dateline (publication date) comes from the HTML metadata when there
 * is one (<meta property="article:published_time">, itemprop or name
 * "datePublished"/"pubdate"/"date", JSON-LD "datePublished", then the first
 * <time datetime>), else from the article's opening (its first three
 * paragraphs, 600 bytes at most): the first full date with a year after
 * "Published", "Posted", "Updated" or "Date" or at a line's start
 * ("Published: 11 January 2014", "11.01.2014"), else the first one in the
 * first sentence of a paragraph ("BISHKEK, Jan. 11, 2014 — Guards...").
 */
#ifndef BM_ARTICLE_H
#define BM_ARTICLE_H

#include <stddef.h>

#include "datephrase.h"
#include "error.h"

#define BM_ARTICLE_DEFAULT_MAX_BYTES ((size_t)64 << 20)
#define BM_ARTICLE_MAX_DEPTH 256

typedef struct bm_article {
    char *path;             /* as given; "-" for standard input */
    char *text;             /* UTF-8, NUL-terminated; paragraphs separated by "\n\n"; for HTML
                             * the article body (script/style/nav/header/footer/aside dropped) */
    size_t len;
    char *title;            /* "" when none */
    bm_civil_date dateline; /* publication date found in the text or the HTML metadata;
                             * year 0 if none */
    int is_html;            /* 1 when the input was read as HTML */
} bm_article;

/* Reads path ("-": stdin). Refuses with a clear error (file, byte offset):
 * binary data (NUL bytes), invalid UTF-8, empty text, more than max_bytes
 * (0 = BM_ARTICLE_DEFAULT_MAX_BYTES), HTML nested too deep. On failure *a
 * holds nothing to free. Returns BM_OK or BM_ERR_RUNTIME with err set. */
bm_status bm_article_read(const char *path, size_t max_bytes, bm_article *a, bm_error *err);

/* The same checks and parsing on data[0..len) already in memory; name is
 * what errors and a->path call it. */
bm_status bm_article_parse(const char *name, const char *data, size_t len, size_t max_bytes,
                           bm_article *a, bm_error *err);

void bm_article_free(bm_article *a);

/* Sentence boundaries: the end offset (exclusive) of the sentence starting
 * at text[start] (leading white space is part of it). A sentence ends after
 * '.', '!' or '?' (and closing quotes or brackets) followed by white space
 * and a character that is not a lower-case letter, or at a paragraph break
 * ("\n\n"), or at len. Not at abbreviations ("Oct.", "Mr.", "Gen.", "No. 5"),
 * dotted acronyms ("U.S."), initials ("J. Smith") or decimals ("1.5"). */
size_t bm_sentence_end(const char *text, size_t len, size_t start);

#endif
