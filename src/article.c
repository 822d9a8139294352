/*
 * article.c — reading a news article as text (see article.h).
 *
 * The bytes are checked (size, NUL, UTF-8) before anything parses them;
 * HTML goes through libxml2's HTML parser and a walk of the tree that
 * never recurses (a page nested 100,000 deep must not exhaust the stack),
 * plain text through the same white-space folding, so both give the same
 * shape of text: paragraphs separated by "\n\n", single spaces.
 */
#include "article.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/tree.h>

/* ---- text builder ------------------------------------------------------ */

/* Pending separators, the strongest wins: nothing, a space, a line break,
 * a paragraph break. Leading and trailing ones are never written. */
enum { SEP_NONE, SEP_SPACE, SEP_LINE, SEP_PARAGRAPH };

typedef struct builder {
    char *buf;
    size_t len, cap;
    int pending;
    int failed;
} builder;

static void put(builder *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    static const char *const seps[] = {"", " ", "\n", "\n\n"};
    const char *sep = b->len ? seps[b->pending] : "";
    size_t sl = strlen(sep);
    if (b->len + sl + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + sl + n + 1)
            cap *= 2;
        char *bigger = realloc(b->buf, cap);
        if (!bigger) {
            b->failed = 1;
            return;
        }
        b->buf = bigger;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, sep, sl);
    memcpy(b->buf + b->len + sl, s, n);
    b->len += sl + n;
    b->buf[b->len] = '\0';
    b->pending = SEP_NONE;
}

static void separate(builder *b, int sep)
{
    if (sep > b->pending)
        b->pending = sep;
}

/* Bytes of a white-space character at s (ASCII or the Unicode spaces news
 * pages use: no-break, thin, narrow no-break, ideographic), 0 if none. */
static size_t space_len(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\f' || s[0] == '\v'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8B || s[2] == 0xAF))
        return 3; /* U+2000..U+200B, U+202F */
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return 3; /* a byte-order mark inside text: white space too */
    return 0;
}

/* Appends text with its white space folded. In plain text (lines = 1)
 * a newline is a line break and a blank line a paragraph break; in HTML
 * every newline is a space. */
static void put_text(builder *b, const char *text, size_t n, int lines)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    int white = 0, newlines = 0;
    while (i < n) {
        size_t sp = space_len(s + i, n - i);
        if (sp || s[i] == '\n' || s[i] == '\r') {
            white = 1;
            /* "\r\n" and a lone "\r" are one newline each */
            newlines += s[i] == '\n' || (s[i] == '\r' && !(i + 1 < n && s[i + 1] == '\n'));
            i += sp ? sp : 1;
            continue;
        }
        if (white)
            separate(b, !lines ? SEP_SPACE : newlines >= 2 ? SEP_PARAGRAPH
                                          : newlines ? SEP_LINE : SEP_SPACE);
        white = newlines = 0;
        size_t start = i;
        while (i < n && !space_len(s + i, n - i) && s[i] != '\n' && s[i] != '\r')
            i++;
        put(b, text + start, i - start);
    }
    if (white)
        separate(b, !lines ? SEP_SPACE : newlines >= 2 ? SEP_PARAGRAPH
                                      : newlines ? SEP_LINE : SEP_SPACE);
}

/* ---- checks -------------------------------------------------------------- */

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_letter(char c)
{
    return is_lower(c) || (c >= 'A' && c <= 'Z');
}

/* Line number (1-based) of byte offset off. */
static long line_of(const char *data, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += data[i] == '\n';
    return line;
}

/* Offset of the first byte that is not well-formed UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF included), len if none. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + n >= len)
            return i; /* cut short by the end */
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        i += n + 1;
    }
    return len;
}

static bm_status check_bytes(const char *name, const char *data, size_t len, size_t max,
                             bm_error *err)
{
    if (len > max)
        return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL,
                            "%zu bytes, more than the limit of %zu bytes for an article",
                            len, max);
    if (len == 0)
        return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "empty: no text to read");
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        size_t off = (size_t)(nul - data);
        return bm_error_set(err, BM_ERR_RUNTIME, name, line_of(data, off), NULL,
                            "binary data, not text: NUL byte at byte offset %zu", off);
    }
    return BM_OK;
}

static bm_status invalid_utf8(const char *name, const char *data, size_t bad, bm_error *err)
{
    return bm_error_set(err, BM_ERR_RUNTIME, name, line_of(data, bad), NULL,
                        "invalid UTF-8 at byte offset %zu (byte 0x%02X)", bad,
                        (unsigned char)data[bad]);
}

/* The charset an HTML page declares near its start (<meta charset=...>,
 * <meta http-equiv content="...; charset=...">) into cs; 0 if none. */
static int declared_charset(const char *data, size_t len, char *cs, size_t size)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 8 <= n; i++) {
        if (strncasecmp(data + i, "charset=", 8) != 0)
            continue;
        size_t j = i + 8, k = 0;
        if (j < n && (data[j] == '"' || data[j] == '\''))
            j++;
        while (j < n && k + 1 < size &&
               (is_letter(data[j]) || (data[j] >= '0' && data[j] <= '9') ||
                data[j] == '-' || data[j] == '_'))
            cs[k++] = data[j++];
        cs[k] = '\0';
        return k > 0;
    }
    return 0;
}

/* ---- HTML ---------------------------------------------------------------- */

static int is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && !strcasecmp((const char *)n->name, name);
}

static int name_in(const xmlNode *n, const char *const *names)
{
    for (int k = 0; names[k]; k++)
        if (is_element(n, names[k]))
            return 1;
    return 0;
}

/* The next node of a depth-first walk of root's subtree, children first
 * unless skip_children; NULL at the end. */
static xmlNode *walk_next(xmlNode *n, const xmlNode *root, int skip_children)
{
    if (!skip_children && n->children && n->type == XML_ELEMENT_NODE)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

/* Deepest element nesting under root and the node where it is reached. */
static int deepest(xmlNode *root, xmlNode **where)
{
    int depth = 0, max = 0;
    for (xmlNode *n = root->children; n;) {
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            if (++depth > max) {
                max = depth;
                *where = n;
            }
            continue;
        }
        while (n && n != root && !n->next) {
            n = n->parent;
            depth--;
        }
        n = n && n != root ? n->next : NULL;
    }
    return max;
}

/* Elements that are never article text. */
static const char *const dropped[] = {
    "script", "style", "noscript", "template", "nav", "aside", "menu", "form", "iframe",
    "svg", "math", "button", "select", "textarea", "object", "embed", "canvas", "footer",
    "head", "title", NULL};

/* Words of an id or class that mark page furniture. */
static const char *const furniture_words[] = {
    "nav", "navbar", "navigation", "menu", "sidebar", "breadcrumb", "breadcrumbs", "share",
    "sharing", "social", "comments", "comment", "cookie", "cookies", "related", "advert",
    "advertisement", "ads", "promo", "newsletter", "subscribe", "footer", "masthead", NULL};

static int attr_has_word(const xmlNode *n, const char *attr, const char *const *words)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST attr);
    if (!v)
        return 0;
    int found = 0;
    const char *p = (const char *)v;
    while (*p && !found) {
        size_t skip = strspn(p, " \t-_:");
        p += skip;
        size_t w = strcspn(p, " \t-_:");
        for (int k = 0; words[k] && !found; k++)
            found = strlen(words[k]) == w && !strncasecmp(p, words[k], w);
        p += w;
    }
    xmlFree(v);
    return found;
}

/* The _private mark of an element that holds a paragraph of prose. */
static char prose_mark;

/* Marks, in one pass, every element that holds a paragraph of prose (120
 * bytes of text outside links). A page's body wrapper can carry a class
 * word like "share" or "comments" ("entry-content share-enabled"); its
 * paragraphs keep it. */
static void mark_prose(xmlNode *top)
{
    for (xmlNode *p = top; p; p = walk_next(p, top, 0)) {
        if (!is_element(p, "p"))
            continue;
        size_t prose = 0;
        for (xmlNode *t = p->children; t && prose < 120; t = walk_next(t, p, is_element(t, "a")))
            if (t->type == XML_TEXT_NODE && t->content)
                prose += strlen((const char *)t->content);
        if (prose < 120)
            continue;
        /* Ancestors already marked have their ancestors marked too. */
        for (xmlNode *up = p; up && up->type == XML_ELEMENT_NODE && up->_private != &prose_mark;
             up = up->parent)
            up->_private = &prose_mark;
    }
}

static int is_furniture(xmlNode *n, int in_article)
{
    static const char *const roles[] = {
        "navigation", "banner", "contentinfo", "complementary", "menu", "menubar",
        "search", NULL};
    static const char *const structural[] = {"html", "body", "main", "article", NULL};
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    if (name_in(n, dropped) || (is_element(n, "header") && !in_article))
        return 1;
    if (xmlHasProp(n, BAD_CAST "hidden") || attr_has_word(n, "role", roles))
        return 1;
    if (name_in(n, structural))
        return 0;
    return (attr_has_word(n, "id", furniture_words) ||
            attr_has_word(n, "class", furniture_words)) &&
           n->_private != &prose_mark;
}

static const char *const blocks[] = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    "ul", "ol", "dl", "dt", "dd", "blockquote", "table", "tr", "td", "th", "figure",
    "figcaption", "header", "address", "hr", "pre", "center", "body", "caption", NULL};

/* The text of root's subtree, furniture left out, into b. */
static void html_text(xmlNode *root, int in_article, builder *b)
{
    for (xmlNode *n = root->children; n;) {
        int skip = is_furniture(n, in_article);
        if (skip)
            ;
        else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
            put_text(b, (const char *)n->content, strlen((const char *)n->content), 0);
        else if (is_element(n, "br"))
            separate(b, SEP_LINE);
        else if (name_in(n, blocks))
            separate(b, SEP_PARAGRAPH);
        if (!skip && n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        /* Leaving a block (and every block ancestor left with it) ends its
         * paragraph: "<div><p>a</p>b</div>" is two paragraphs. */
        if (!skip && name_in(n, blocks))
            separate(b, SEP_PARAGRAPH);
        while (n != root && !n->next) {
            n = n->parent;
            if (n != root && name_in(n, blocks))
                separate(b, SEP_PARAGRAPH);
        }
        n = n == root ? NULL : n->next;
    }
}

/* Bytes of text under root, furniture left out. */
static size_t text_size(xmlNode *root)
{
    builder b = {0};
    html_text(root, 1, &b);
    free(b.buf);
    return b.len;
}

/* The first element named name in doc's tree, or NULL. */
static xmlNode *find_element(xmlNode *root, const char *name)
{
    for (xmlNode *n = root; n; n = walk_next(n, root, 0))
        if (is_element(n, name))
            return n;
    return NULL;
}

/* The article's body: the <article> with the most text, else <main>,
 * else <body>, else the whole document. *in_article tells which. */
static xmlNode *body_root(xmlNode *top, int *in_article)
{
    xmlNode *best = NULL;
    size_t best_size = 0;
    /* An article inside another has no more text than it: only the
     * outermost ones are measured, so the page is walked once. */
    for (xmlNode *n = top; n;) {
        int article = is_element(n, "article");
        if (article) {
            size_t size = text_size(n);
            if (size > best_size) {
                best = n;
                best_size = size;
            }
        }
        n = walk_next(n, top, article);
    }
    *in_article = best != NULL;
    if (best)
        return best;
    xmlNode *main = find_element(top, "main");
    if (main)
        return main;
    xmlNode *body = find_element(top, "body");
    return body ? body : top;
}

/* Folded text of one element (a <title>, an <h1>), NULL when empty. */
static char *element_text(xmlNode *n)
{
    builder b = {0};
    xmlChar *content = xmlNodeGetContent(n);
    if (content) {
        put_text(&b, (const char *)content, strlen((const char *)content), 0);
        xmlFree(content);
    }
    if (b.failed || !b.len) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}

static char *prop(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, BAD_CAST name);
}

/* A date written in metadata: ISO ("2016-06-17T08:00:00+05:00", the date
 * as the publisher wrote it, its offset kept) or as text ("June 17, 2016"). */
static int metadata_date(const char *v, bm_civil_date *d)
{
    if (!v)
        return 0;
    while (*v == ' ' || *v == '\t' || *v == '\n')
        v++;
    size_t len = strlen(v);
    if (bm_civil_date_parse_iso(v, len, d))
        return 1;
    bm_date_phrase p;
    if (bm_date_phrases(v, len, NULL, &p, 1) && p.time_precision == 1 && !p.relative) {
        *d = p.date;
        return 1;
    }
    return 0;
}

/* datePublished anywhere in a JSON-LD value (objects, arrays, @graph). */
static int jsonld_date(const json_t *v, bm_civil_date *d, int depth)
{
    if (depth > 64)
        return 0;
    if (json_is_object(v)) {
        const json_t *p = json_object_get(v, "datePublished");
        if (json_is_string(p) && metadata_date(json_string_value(p), d))
            return 1;
        const char *key;
        json_t *child;
        json_object_foreach((json_t *)v, key, child)
            if (jsonld_date(child, d, depth + 1))
                return 1;
    } else if (json_is_array(v)) {
        size_t i;
        json_t *child;
        json_array_foreach(v, i, child)
            if (jsonld_date(child, d, depth + 1))
                return 1;
    }
    return 0;
}

/* Metadata naming the publication date, strongest first. */
enum { DATE_NONE, DATE_TIME, DATE_META, DATE_ITEMPROP, DATE_JSONLD, DATE_PUBLISHED };

static int meta_rank(const xmlNode *n)
{
    static const char *const published[] = {"article:published_time", NULL};
    static const char *const names[] = {
        "og:published_time", "pubdate", "publishdate", "publish-date", "publish_date",
        "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued",
        "parsely-pub-date", "sailthru.date", "article.published", NULL};
    static const char *const itemprop[] = {"datePublished", NULL};
    const char *attrs[] = {"property", "name", "itemprop"};
    int rank = DATE_NONE;
    for (int a = 0; a < 3; a++) {
        char *v = prop(n, attrs[a]);
        if (!v)
            continue;
        for (int k = 0; published[k]; k++)
            if (!strcasecmp(v, published[k]) && rank < DATE_PUBLISHED)
                rank = DATE_PUBLISHED;
        for (int k = 0; itemprop[k]; k++)
            if (!strcasecmp(v, itemprop[k]) && rank < DATE_ITEMPROP)
                rank = DATE_ITEMPROP;
        for (int k = 0; names[k]; k++)
            if (!strcasecmp(v, names[k]) && rank < DATE_META)
                rank = DATE_META;
        xmlFree(v);
    }
    return rank;
}

/* The publication date from the page's metadata; 0 when it names none. */
static int html_dateline(xmlNode *top, bm_civil_date *d)
{
    int best = DATE_NONE;
    for (xmlNode *n = top; n; n = walk_next(n, top, 0)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        bm_civil_date found;
        int rank = DATE_NONE;
        char *v = NULL;
        if (is_element(n, "script")) {
            char *type = prop(n, "type");
            if (type && !strcasecmp(type, "application/ld+json") && best < DATE_JSONLD) {
                xmlChar *content = xmlNodeGetContent(n);
                json_t *j = content ? json_loads((const char *)content, 0, NULL) : NULL;
                if (j && jsonld_date(j, &found, 0))
                    rank = DATE_JSONLD;
                json_decref(j);
                xmlFree(content);
            }
            xmlFree(type);
        } else if ((rank = meta_rank(n)) != DATE_NONE) {
            v = prop(n, "content");
            if (!v)
                v = prop(n, "datetime");
            if (!v && !is_element(n, "meta"))
                v = (char *)xmlNodeGetContent(n);
            if (!metadata_date(v, &found))
                rank = DATE_NONE;
        } else if (is_element(n, "time") && best == DATE_NONE) {
            v = prop(n, "datetime");
            rank = metadata_date(v, &found) ? DATE_TIME : DATE_NONE;
        }
        xmlFree(v);
        if (rank > best) {
            best = rank;
            *d = found;
        }
    }
    return best != DATE_NONE;
}

/* Is the document HTML? Its first tag (after white space, a byte-order
 * mark, comments) names an HTML element or the HTML doctype. */
static int looks_like_html(const char *data, size_t len)
{
    static const char *const starts[] = {
        "<!doctype html", "<html", "<head", "<body", "<p>", "<p ", "<div", "<article",
        "<meta", "<title", "<!--", "<section", "<main", "<h1", "<table", NULL};
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    for (int k = 0; starts[k]; k++) {
        size_t n = strlen(starts[k]);
        if (len - i >= n && !strncasecmp(data + i, starts[k], n))
            return 1;
    }
    return 0;
}

static bm_status parse_html(const char *name, const char *data, size_t len,
                            const char *encoding, bm_article *a, bm_error *err)
{
    if (len > INT_MAX)
        return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL,
                            "%zu bytes of HTML, more than the parser reads", len);
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "out of memory");
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, data, (int)len, NULL, encoding,
                                        HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                            HTML_PARSE_NOWARNING);
    xmlNode *top = doc ? xmlDocGetRootElement(doc) : NULL;
    bm_status st = BM_OK;
    /* The parser recovers from broken markup (errors), not from what it
     * refuses (fatal errors: nesting past its depth limit, 256, stops it
     * and leaves half a document). */
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    if (e && e->level == XML_ERR_FATAL && e->message && strstr(e->message, "depth")) {
        st = bm_error_set(err, BM_ERR_RUNTIME, name, e->line, NULL,
                          "HTML elements nested more than %d deep", BM_ARTICLE_MAX_DEPTH);
        goto done;
    }
    if (!top || (e && e->level == XML_ERR_FATAL)) {
        char message[200] = "";
        if (e && e->message)
            snprintf(message, sizeof message, ": %.*s", (int)strcspn(e->message, "\n"),
                     e->message);
        st = bm_error_set(err, BM_ERR_RUNTIME, name, e ? e->line : 0, NULL,
                          "not readable as HTML%s", message);
        goto done;
    }
    xmlNode *deep = NULL;
    if (deepest((xmlNode *)doc, &deep) > BM_ARTICLE_MAX_DEPTH) {
        st = bm_error_set(err, BM_ERR_RUNTIME, name, deep ? xmlGetLineNo(deep) : 0, NULL,
                          "HTML elements nested more than %d deep", BM_ARTICLE_MAX_DEPTH);
        goto done;
    }
    mark_prose(top);
    int in_article;
    xmlNode *root = body_root(top, &in_article);
    builder b = {0};
    html_text(root, in_article, &b);
    if (b.failed) {
        free(b.buf);
        st = bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "out of memory");
        goto done;
    }
    a->text = b.buf;
    a->len = b.len;
    a->is_html = 1;
    /* og:title is the headline without the site's name; else <title>, <h1>. */
    for (xmlNode *n = top; n && !a->title; n = walk_next(n, top, 0)) {
        if (!is_element(n, "meta"))
            continue;
        char *property = prop(n, "property");
        if (property && !strcasecmp(property, "og:title")) {
            char *content = prop(n, "content");
            builder t = {0};
            if (content)
                put_text(&t, content, strlen(content), 0);
            a->title = t.buf;
            xmlFree(content);
        }
        xmlFree(property);
    }
    xmlNode *t = find_element(top, "title");
    if (!a->title && t)
        a->title = element_text(t);
    if (!a->title && (t = find_element(root, "h1")) != NULL)
        a->title = element_text(t);
    html_dateline(top, &a->dateline);
done:
    xmlFreeDoc(doc);
    htmlFreeParserCtxt(ctxt);
    return st;
}

/* ---- plain text and the dateline ------------------------------------------ */

/* "Title: ..." in the first paragraph (up to " | " or the line's end),
 * else the first paragraph when it is one short line that is no sentence. */
static char *text_title(const char *text, size_t len)
{
    const char *par_end = strstr(text, "\n\n");
    size_t plen = par_end ? (size_t)(par_end - text) : len;
    const char *label = NULL;
    for (size_t i = 0; i + 7 <= plen && !label; i++)
        if ((i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '|') &&
            !strncmp(text + i, "Title: ", 7))
            label = text + i + 7;
    size_t n;
    if (label) {
        n = strcspn(label, "|\n");
        while (n > 0 && label[n - 1] == ' ')
            n--;
    } else {
        if (plen > 200 || memchr(text, '\n', plen) || (plen && strchr(".!?", text[plen - 1])))
            return NULL;
        label = text;
        n = plen;
    }
    char *title = malloc(n + 1);
    if (title) {
        memcpy(title, label, n);
        title[n] = '\0';
    }
    return title;
}

/* The dateline of a text: in its opening (three paragraphs, 600 bytes),
 * the first full date with a year that follows "Published", "Posted",
 * "Updated" or "Date", or begins a line; else the first full date in the
 * first sentence of a paragraph ("BISHKEK, Aug. 9, 2013 - ..."). */
static int text_dateline(const char *text, size_t len, bm_civil_date *d)
{
    size_t open = len < 600 ? len : 600, paragraphs = 0;
    for (size_t i = 0; i + 1 < open; i++)
        if (text[i] == '\n' && text[i + 1] == '\n' && ++paragraphs == 3)
            open = i;
    bm_date_phrase p[16];
    size_t n = bm_date_phrases(text, open, NULL, p, 16);
    if (n > 16)
        n = 16;
    static const char *const labels[] = {"published", "posted", "updated", "date"};
    for (size_t k = 0; k < n; k++) {
        if (p[k].time_precision != 1 || p[k].relative)
            continue;
        size_t from = p[k].start > 24 ? p[k].start - 24 : 0;
        int labelled = p[k].start == 0 || text[p[k].start - 1] == '\n';
        for (size_t l = 0; l < 4 && !labelled; l++)
            for (size_t i = from; i < p[k].start && !labelled; i++)
                labelled = !strncasecmp(text + i, labels[l], strlen(labels[l]));
        if (labelled) {
            *d = p[k].date;
            return 1;
        }
    }
    for (size_t k = 0; k < n; k++) {
        if (p[k].time_precision != 1 || p[k].relative)
            continue;
        size_t par = p[k].start;
        while (par > 0 && !(text[par - 1] == '\n' && par > 1 && text[par - 2] == '\n'))
            par--;
        if (p[k].start < bm_sentence_end(text, len, par)) {
            *d = p[k].date;
            return 1;
        }
    }
    return 0;
}

bm_status bm_article_parse(const char *name, const char *data, size_t len, size_t max_bytes,
                           bm_article *a, bm_error *err)
{
    memset(a, 0, sizeof *a);
    if (!max_bytes)
        max_bytes = BM_ARTICLE_DEFAULT_MAX_BYTES;
    bm_status st = check_bytes(name, data, len, max_bytes, err);
    if (st != BM_OK)
        return st;
    /* Text is UTF-8; so is HTML, unless it declares another charset and
     * is not valid UTF-8 (a page saved from a windows-1251 site): then
     * libxml2 converts it from the charset it declares. Offsets in errors
     * count a byte-order mark; the text leaves it out. */
    size_t bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    int html = looks_like_html(data + bom, len - bom);
    size_t bad = utf8_invalid_at((const unsigned char *)data, len);
    char charset[40] = "UTF-8";
    if (bad < len && !(html && declared_charset(data, len, charset, sizeof charset) &&
                       strcasecmp(charset, "utf-8") && strcasecmp(charset, "utf8")))
        return invalid_utf8(name, data, bad, err);
    if (bad < len) {
        xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(charset);
        if (!handler)
            return bm_error_set(err, BM_ERR_RUNTIME, name, line_of(data, bad), NULL,
                                "invalid UTF-8 at byte offset %zu, and the page's charset "
                                "%s is not one the HTML parser knows",
                                bad, charset);
        xmlCharEncCloseFunc(handler);
    }
    data += bom;
    len -= bom;
    if (html) {
        st = parse_html(name, data, len, charset, a, err);
        if (st == BM_OK && utf8_invalid_at((const unsigned char *)a->text, a->len) < a->len) {
            bm_article_free(a);
            return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL,
                                "not readable as HTML in its declared charset %s", charset);
        }
    } else {
        builder b = {0};
        put_text(&b, data, len, 1);
        if (b.failed)
            st = bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "out of memory");
        a->text = b.buf;
        a->len = b.len;
    }
    if (st == BM_OK && !a->len)
        st = bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL,
                          a->is_html ? "no article text in the HTML" : "empty: only white space");
    a->path = st == BM_OK ? strdup(name) : NULL;
    if (st == BM_OK && !a->title && !a->is_html)
        a->title = text_title(a->text, a->len);
    if (st == BM_OK && !a->title)
        a->title = strdup("");
    if (st == BM_OK && (!a->path || !a->title))
        st = bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "out of memory");
    if (st != BM_OK) {
        bm_article_free(a);
        return st;
    }
    if (!a->dateline.year)
        text_dateline(a->text, a->len, &a->dateline);
    return BM_OK;
}

void bm_article_free(bm_article *a)
{
    if (!a)
        return;
    free(a->path);
    free(a->text);
    free(a->title);
    memset(a, 0, sizeof *a);
}

/* ---- reading ------------------------------------------------------------- */

/* Reads fd whole, refusing more than max bytes without reading much past
 * them; name is for errors. */
static bm_status read_all(int fd, const char *name, size_t max, char **out, size_t *n,
                          bm_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "cannot read: %s",
                            strerror(errno));
    if (S_ISDIR(st.st_mode))
        return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "is a directory, not an article");
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max)
        return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL,
                            "%lld bytes, more than the limit of %zu bytes for an article",
                            (long long)st.st_size, max);
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "out of memory");
        if (len == cap) {
            /* One byte past the limit is enough to know it is over. */
            size_t bigger = cap * 2 > max + 1 ? max + 1 : cap * 2;
            if (bigger <= cap) {
                free(buf);
                return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL,
                                    "more than the limit of %zu bytes for an article", max);
            }
            char *b = realloc(buf, bigger);
            if (!b)
                free(buf);
            buf = b;
            cap = bigger;
            continue;
        }
        ssize_t got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "cannot read: %s",
                                strerror(e));
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    *out = buf;
    *n = len;
    return BM_OK;
}

bm_status bm_article_read(const char *path, size_t max_bytes, bm_article *a, bm_error *err)
{
    memset(a, 0, sizeof *a);
    if (!max_bytes)
        max_bytes = BM_ARTICLE_DEFAULT_MAX_BYTES;
    int is_stdin = !strcmp(path, "-");
    const char *name = is_stdin ? "standard input" : path;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot open: %s",
                            strerror(errno));
    char *data = NULL;
    size_t len = 0;
    bm_status st = read_all(fd, name, max_bytes, &data, &len, err);
    if (!is_stdin)
        close(fd);
    if (st != BM_OK)
        return st;
    st = bm_article_parse(name, data, len, max_bytes, a, err);
    free(data);
    if (st == BM_OK && is_stdin) {
        char *dash = strdup("-");
        if (!dash) {
            bm_article_free(a);
            return bm_error_set(err, BM_ERR_RUNTIME, name, 0, NULL, "out of memory");
        }
        free(a->path);
        a->path = dash;
    }
    return st;
}

/* ---- sentences ------------------------------------------------------------- */

/* Bytes of a closing quote or bracket at s, 0 if none. */
static size_t closer_len(const char *s, size_t n)
{
    if (n >= 1 && strchr("\"')]", s[0]) && s[0])
        return 1;
    if (n >= 3 && !memcmp(s, "\xE2\x80", 2) && (s[2] == '\x9D' || s[2] == '\x99'))
        return 3; /* ” ’ */
    if (n >= 2 && !memcmp(s, "\xC2\xBB", 2))
        return 2; /* » */
    return 0;
}

/* Does a time or date go on at text[k] ("5 p.m. Tuesday", "a.m. (0100
 * GMT)")? */
static int time_goes_on(const char *text, size_t len, size_t k)
{
    static const char *const words[] = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December", "GMT", "UTC", "Moscow", "local",
        NULL};
    if (text[k] == '(' || (text[k] >= '0' && text[k] <= '9'))
        return 1;
    size_t n = 0;
    while (k + n < len && is_letter(text[k + n]))
        n++;
    for (int w = 0; words[w]; w++)
        if (strlen(words[w]) == n && !strncmp(text + k, words[w], n))
            return 1;
    return 0;
}

/* Does the '.' at text[dot] end an abbreviation (the next word starts at
 * text[k])? */
static int abbreviation(const char *text, size_t len, size_t start, size_t dot, size_t k)
{
    char next = text[k];
    static const char *const titles[] = {
        "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Cpl", "Pvt",
        "Gov", "Sen", "Rep", "Prof", "St", "Jr", "Sr", "Rev", "Adm", "Brig", "Cmdr", "Lieut",
        "Hon", "Pres", "Supt", "Insp", "Mt", "Ft", "vs", "approx", "Messrs", NULL};
    static const char *const before_number[] = {
        "No", "Nos", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
        "Nov", "Dec", "Art", "p", "pp", NULL};
    size_t w = dot;
    while (w > start && (is_letter(text[w - 1]) || text[w - 1] == '.'))
        w--;
    size_t n = dot - w;
    if (n == 0)
        return 0;
    /* "U.S.", "U.N."; "a.m.", "p.m." end a sentence unless the time goes on. */
    if (memchr(text + w, '.', n))
        return !is_lower(text[w]) || time_goes_on(text, len, k);
    if (n == 1 && text[w] >= 'A' && text[w] <= 'Z')
        return 1; /* an initial: "J. Smith" */
    for (int t = 0; titles[t]; t++)
        if (strlen(titles[t]) == n && !strncmp(text + w, titles[t], n))
            return 1;
    for (int t = 0; before_number[t]; t++)
        if (strlen(before_number[t]) == n && !strncmp(text + w, before_number[t], n))
            return next >= '0' && next <= '9';
    return 0;
}

static int is_white(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t bm_sentence_end(const char *text, size_t len, size_t start)
{
    size_t i = start;
    while (i < len && is_white(text[i]))
        i++;
    while (i < len) {
        char c = text[i];
        if (c == '\n') {
            size_t k = i + 1;
            while (k < len && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r'))
                k++;
            if (k < len && text[k] == '\n')
                return i; /* a paragraph break */
        }
        if (c != '.' && c != '!' && c != '?') {
            i++;
            continue;
        }
        size_t j = i + 1, cl;
        while (j < len && (text[j] == '.' || text[j] == '!' || text[j] == '?'))
            j++;
        while (j < len && (cl = closer_len(text + j, len - j)) != 0)
            j += cl;
        if (j >= len)
            return len;
        if (!is_white(text[j])) {
            i = j;
            continue;
        }
        size_t k = j;
        while (k < len && is_white(text[k]))
            k++;
        if (k >= len)
            return j;
        if (is_lower(text[k]) || (c == '.' && j == i + 1 && abbreviation(text, len, start, i, k))) {
            i = k;
            continue;
        }
        return j;
    }
    return len;
}
