/*
 * filter.c — record filters: dates, countries, event types, a bounding
 * box and where expressions.
 *
 * A where expression is parsed by recursive descent into a tree of nodes
 * kept in one array (children by index, so growing the array moves
 * nothing that is pointed at); its texts live in an arena sized from the
 * expression, which no token can outgrow. AND and OR nodes hold their
 * operands as a list of children, so the tree is only as deep as the
 * parentheses and NOTs, which the parser bounds. Binding writes column
 * indices into the tree; matching then reads values by index.
 */
#include "filter.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "countries_table.h"

/* ---- where expressions: the tree ---------------------------------------- */

typedef enum node_kind {
    NODE_OR, NODE_AND, NODE_NOT, NODE_CMP, NODE_IN, NODE_LIKE, NODE_EMPTY
} node_kind;

typedef enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE } cmp_op;

typedef enum operand_kind {
    OPERAND_NONE, OPERAND_FIELD, OPERAND_STRING, OPERAND_NUMBER
} operand_kind;

typedef struct operand {
    operand_kind kind;
    const char *text;   /* field name, string value or number as written */
    int numeric;        /* literals: the text parses as a number */
    double number;
    int column;         /* fields: set by bm_filter_bind */
} operand;

typedef struct node {
    node_kind kind;
    cmp_op op;
    int negated;              /* NOT IN, NOT LIKE, IS NOT EMPTY */
    operand a, b;             /* CMP: a op b; IN, LIKE, EMPTY: a (LIKE: b the pattern) */
    int child, last, next;    /* AND, OR, NOT: first and last child, next sibling; -1 */
    size_t item, n_items;     /* IN: items[item .. item + n_items) */
} node;

typedef struct where {
    char *arena;
    size_t arena_used, arena_size;
    node *nodes;
    size_t n_nodes, cap_nodes;
    operand *items;
    size_t n_items, cap_items;
    int root;
} where;

static void where_free(where *w)
{
    if (!w)
        return;
    free(w->arena);
    free(w->nodes);
    free(w->items);
    free(w);
}

/* ---- the filter --------------------------------------------------------- */

typedef struct country_item {
    char *text;                      /* as given, trimmed */
    const bm_country_names *known;   /* NULL when not in the table */
    char code[4];                    /* alpha-3 to compare iso3/iso with; "" when none */
} country_item;

struct bm_filter {
    char from[11], to[11];           /* YYYY-MM-DD; "" when open */
    country_item *countries;
    size_t n_countries;
    char **event_types;
    size_t n_event_types;
    int has_bbox;
    double west, south, east, north;
    where *where;
    /* bound columns; -1 when absent */
    const bm_catalog *bound;
    int date_col, country_col, iso3_col, iso_col, type_col;
    char *description;
};

bm_filter *bm_filter_new(void)
{
    bm_filter *f = calloc(1, sizeof *f);
    if (f)
        f->description = calloc(1, 1);
    if (f && !f->description) {
        free(f);
        return NULL;
    }
    return f;
}

void bm_filter_free(bm_filter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_countries; i++)
        free(f->countries[i].text);
    free(f->countries);
    for (size_t i = 0; i < f->n_event_types; i++)
        free(f->event_types[i]);
    free(f->event_types);
    where_free(f->where);
    free(f->description);
    free(f);
}

int bm_filter_is_empty(const bm_filter *f)
{
    return !f->from[0] && !f->to[0] && !f->n_countries && !f->n_event_types && !f->has_bbox &&
           !f->where;
}

static bm_status usage(bm_error *err, const char *option, const char *fmt, const char *arg)
{
    return bm_error_set(err, BM_ERR_USAGE, NULL, 0, option, fmt, arg);
}

static bm_status out_of_memory(bm_error *err, const char *option)
{
    return bm_error_set(err, BM_ERR_RUNTIME, NULL, 0, option, "out of memory");
}

/* ---- description -------------------------------------------------------- */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int failed;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p, b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* Fewest decimals that read back as the same double (degrees: "80.5"). */
static void sb_number(sbuf *b, double x)
{
    char text[64];
    snprintf(text, sizeof text, "%.17g", x);
    for (int decimals = 0; decimals <= 17; decimals++) {
        char fixed[64];
        snprintf(fixed, sizeof fixed, "%.*f", decimals, x);
        if (strtod(fixed, NULL) == x) {
            memcpy(text, fixed, sizeof text);
            break;
        }
    }
    sb_str(b, text);
}

/* Text between quote characters q, the quote doubled. */
static void sb_quoted(sbuf *b, const char *s, char q)
{
    sb_add(b, &q, 1);
    for (const char *p = s; *p; p++) {
        sb_add(b, p, 1);
        if (*p == q)
            sb_add(b, p, 1);
    }
    sb_add(b, &q, 1);
}

static const char *const keywords[] = {"and", "or", "not", "in", "is", "empty", "like"};

static int is_keyword_text(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (strlen(keywords[i]) == n && strncasecmp(s, keywords[i], n) == 0)
            return 1;
    return 0;
}

static int is_name_start(int c)
{
    return isalpha(c) || c == '_';
}

static int is_name_char(int c)
{
    return isalnum(c) || c == '_';
}

static void sb_field(sbuf *b, const char *name)
{
    int plain = is_name_start((unsigned char)name[0]) && !is_keyword_text(name, strlen(name));
    for (const char *p = name; plain && *p; p++)
        plain = is_name_char((unsigned char)*p);
    char *lower = strdup(name);
    if (!lower) {
        b->failed = 1;
        return;
    }
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (plain)
        sb_str(b, lower);
    else
        sb_quoted(b, lower, '"');
    free(lower);
}

static void sb_operand(sbuf *b, const operand *o)
{
    if (o->kind == OPERAND_FIELD)
        sb_field(b, o->text);
    else if (o->kind == OPERAND_STRING)
        sb_quoted(b, o->text, '\'');
    else
        sb_str(b, o->text);
}

static void sb_node(sbuf *b, const where *w, int i);

static void sb_child(sbuf *b, const where *w, int parent, int child)
{
    node_kind pk = w->nodes[parent].kind, ck = w->nodes[child].kind;
    int group = (ck == NODE_AND || ck == NODE_OR) && (pk == NODE_NOT || pk == ck || ck == NODE_OR);
    if (group)
        sb_str(b, "(");
    sb_node(b, w, child);
    if (group)
        sb_str(b, ")");
}

static void sb_node(sbuf *b, const where *w, int i)
{
    static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">="};
    const node *n = &w->nodes[i];
    switch (n->kind) {
    case NODE_OR:
    case NODE_AND:
        for (int k = n->child; k >= 0; k = w->nodes[k].next) {
            sb_child(b, w, i, k);
            if (w->nodes[k].next >= 0)
                sb_str(b, n->kind == NODE_OR ? " or " : " and ");
        }
        return;
    case NODE_NOT:
        sb_str(b, "not ");
        sb_child(b, w, i, n->child);
        return;
    case NODE_CMP:
        sb_operand(b, &n->a);
        sb_str(b, " "), sb_str(b, ops[n->op]), sb_str(b, " ");
        sb_operand(b, &n->b);
        return;
    case NODE_IN:
        sb_operand(b, &n->a);
        sb_str(b, n->negated ? " not in (" : " in (");
        for (size_t k = 0; k < n->n_items; k++) {
            sb_str(b, k ? ", " : "");
            sb_operand(b, &w->items[n->item + k]);
        }
        sb_str(b, ")");
        return;
    case NODE_LIKE:
        sb_operand(b, &n->a);
        sb_str(b, n->negated ? " not like " : " like ");
        sb_operand(b, &n->b);
        return;
    case NODE_EMPTY:
        sb_operand(b, &n->a);
        sb_str(b, n->negated ? " is not empty" : " is empty");
        return;
    }
}

static void sb_condition(sbuf *b, const char *name)
{
    if (b->len)
        sb_str(b, "; ");
    sb_str(b, name);
    sb_str(b, "=");
}

/* Rebuilds the description; 0, or -1 when out of memory. Any change of
 * the filter also forgets its binding. */
static int changed(bm_filter *f)
{
    sbuf b = {0};
    f->bound = NULL;
    sb_str(&b, "");
    if (f->from[0])
        sb_condition(&b, "from"), sb_str(&b, f->from);
    if (f->to[0])
        sb_condition(&b, "to"), sb_str(&b, f->to);
    for (size_t i = 0; i < f->n_countries; i++) {
        if (i == 0)
            sb_condition(&b, "country");
        sb_str(&b, i ? "," : ""), sb_str(&b, f->countries[i].text);
    }
    for (size_t i = 0; i < f->n_event_types; i++) {
        if (i == 0)
            sb_condition(&b, "event_type");
        sb_str(&b, i ? "," : ""), sb_str(&b, f->event_types[i]);
    }
    if (f->has_bbox) {
        sb_condition(&b, "bbox");
        double v[4] = {f->west, f->south, f->east, f->north};
        for (int i = 0; i < 4; i++)
            sb_str(&b, i ? "," : ""), sb_number(&b, v[i]);
    }
    if (f->where)
        sb_condition(&b, "where"), sb_node(&b, f->where, f->where->root);
    if (b.failed) {
        free(b.s);
        return -1;
    }
    free(f->description);
    f->description = b.s;
    return 0;
}

const char *bm_filter_describe(const bm_filter *f)
{
    return f->description;
}

/* ---- dates -------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

static int digits(const char *s, int n, int *out)
{
    *out = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        *out = *out * 10 + (s[i] - '0');
    }
    return 1;
}

/* YYYY, YYYY-MM or YYYY-MM-DD: the number of parts, 0 when malformed,
 * -1 when no such date. */
static int parse_date(const char *s, int *y, int *m, int *d)
{
    *m = *d = 0;
    if (!digits(s, 4, y))
        return 0;
    if (s[4] == '\0')
        return 1;
    if (s[4] != '-' || !digits(s + 5, 2, m) || (s[7] != '\0' && s[7] != '-'))
        return 0;
    if (*m < 1 || *m > 12)
        return -1;
    if (s[7] == '\0')
        return 2;
    if (!digits(s + 8, 2, d) || s[10] != '\0')
        return 0;
    return *d >= 1 && *d <= days_in_month(*y, *m) ? 3 : -1;
}

static bm_status set_bound(bm_filter *f, const char *date, int end, bm_error *err)
{
    const char *option = end ? "--to" : "--from";
    int y, m, d, parts = parse_date(date, &y, &m, &d);
    if (parts == 0)
        return usage(err, option, "expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '%.64s'",
                     date);
    if (parts < 0)
        return usage(err, option, "no such date '%.64s'", date);
    if (parts < 2)
        m = end ? 12 : 1;
    if (parts < 3)
        d = end ? days_in_month(y, m) : 1;
    char text[32];
    snprintf(text, sizeof text, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    const char *other = end ? f->from : f->to;
    if (other[0] && (end ? strcmp(text, other) < 0 : strcmp(text, other) > 0))
        return bm_error_set(err, BM_ERR_USAGE, NULL, 0, option, "%.64s %s %s", date,
                            end ? "ends before the start date" : "starts after the end date",
                            other);
    memcpy(end ? f->to : f->from, text, 11);
    return changed(f) ? out_of_memory(err, option) : BM_OK;
}

bm_status bm_filter_set_from(bm_filter *f, const char *date, bm_error *err)
{
    return set_bound(f, date, 0, err);
}

bm_status bm_filter_set_to(bm_filter *f, const char *date, bm_error *err)
{
    return set_bound(f, date, 1, err);
}

/* ---- countries and event types ------------------------------------------ */

/* Whether value is one of the ';'-separated names, without regard to case. */
static int in_names(const char *value, const char *names)
{
    size_t n = strlen(value);
    for (const char *p = names; n && *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncasecmp(value, p, n) == 0)
            return 1;
        p += len + (end != NULL);
    }
    return 0;
}

static int is_alpha3(const char *s)
{
    return isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
           isalpha((unsigned char)s[2]) && s[3] == '\0';
}

static const bm_country_names *known_country(const char *text)
{
    for (size_t i = 0; i < sizeof bm_country_table / sizeof *bm_country_table; i++) {
        const bm_country_names *c = &bm_country_table[i];
        if (strcasecmp(text, c->iso3) == 0 || in_names(text, c->names))
            return c;
    }
    return NULL;
}

/* A copy of s without leading and trailing spaces; NULL when out of memory. */
static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

static bm_status add_country_n(bm_filter *f, const char *name, size_t n, bm_error *err)
{
    char *text = trimmed(name, n);
    country_item *items = text ? realloc(f->countries, (f->n_countries + 1) * sizeof *items) : NULL;
    if (!items) {
        free(text);
        return out_of_memory(err, "--country");
    }
    f->countries = items;
    if (!text[0]) {
        free(text);
        return usage(err, "--country", "expected a country name or ISO code%s", "");
    }
    country_item *it = &items[f->n_countries++];
    *it = (country_item){text, known_country(text), ""};
    const char *code = it->known ? it->known->iso3 : is_alpha3(text) ? text : "";
    for (size_t i = 0; i + 1 < sizeof it->code && code[i]; i++)
        it->code[i] = (char)toupper((unsigned char)code[i]);
    return BM_OK;
}

static bm_status add_event_type_n(bm_filter *f, const char *name, size_t n, bm_error *err)
{
    char *text = trimmed(name, n);
    char **types = text ? realloc(f->event_types, (f->n_event_types + 1) * sizeof *types) : NULL;
    if (!types) {
        free(text);
        return out_of_memory(err, "--event-type");
    }
    f->event_types = types;
    if (!text[0]) {
        free(text);
        return usage(err, "--event-type", "expected an event type%s", "");
    }
    types[f->n_event_types++] = text;
    return BM_OK;
}

typedef bm_status (*add_fn)(bm_filter *f, const char *name, size_t n, bm_error *err);

static bm_status add_one(bm_filter *f, const char *name, add_fn add, const char *option,
                         bm_error *err)
{
    if (add(f, name, strlen(name), err) != BM_OK)
        return err->status;
    return changed(f) ? out_of_memory(err, option) : BM_OK;
}

static bm_status add_list(bm_filter *f, const char *list, add_fn add, const char *option,
                          const char *what, bm_error *err)
{
    int added = 0;
    for (const char *p = list;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        size_t k = 0;
        while (k < n && isspace((unsigned char)p[k]))
            k++;
        if (k < n && add(f, p, n, err) != BM_OK)
            return err->status;
        added += k < n;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (!added)
        return usage(err, option, "expected a comma-separated list of %s", what);
    return changed(f) ? out_of_memory(err, option) : BM_OK;
}

bm_status bm_filter_add_countries(bm_filter *f, const char *list, bm_error *err)
{
    return add_list(f, list, add_country_n, "--country", "country names or ISO codes", err);
}

bm_status bm_filter_add_event_types(bm_filter *f, const char *list, bm_error *err)
{
    return add_list(f, list, add_event_type_n, "--event-type", "event types", err);
}

bm_status bm_filter_add_country(bm_filter *f, const char *name, bm_error *err)
{
    return add_one(f, name, add_country_n, "--country", err);
}

bm_status bm_filter_add_event_type(bm_filter *f, const char *name, bm_error *err)
{
    return add_one(f, name, add_event_type_n, "--event-type", err);
}

static int country_matches(const bm_filter *f, const char *country, const char *iso3,
                           const char *iso)
{
    int iso3_ok = is_alpha3(iso3), iso_ok = is_alpha3(iso);
    for (size_t i = 0; i < f->n_countries; i++) {
        const country_item *it = &f->countries[i];
        if ((country[0] && strcasecmp(country, it->text) == 0) ||
            (it->known && in_names(country, it->known->names)))
            return 1;
        if (it->code[0] && ((iso3_ok && strcasecmp(iso3, it->code) == 0) ||
                            (iso_ok && strcasecmp(iso, it->code) == 0)))
            return 1;
    }
    return 0;
}

static int event_type_matches(const bm_filter *f, const char *type)
{
    for (size_t i = 0; i < f->n_event_types; i++)
        if (strcasecmp(type, f->event_types[i]) == 0)
            return 1;
    return 0;
}

/* ---- bounding box ------------------------------------------------------- */

bm_status bm_filter_set_bbox(bm_filter *f, const char *wsen, bm_error *err)
{
    double w, s, e, n;
    char tail;
    if (sscanf(wsen, "%lf ,%lf ,%lf ,%lf %c", &w, &s, &e, &n, &tail) != 4)
        return usage(err, "--bbox", "expected W,S,E,N in degrees, got '%.64s'", wsen);
    if (!(w >= -180 && w <= 180 && e >= -180 && e <= 180 && w != e))
        return usage(err, "--bbox",
                     "expected W and E from -180 to 180 and not equal, got '%.64s'", wsen);
    if (!(s >= -90 && n <= 90 && s < n))
        return usage(err, "--bbox", "expected -90 <= S < N <= 90, got '%.64s'", wsen);
    f->has_bbox = 1;
    f->west = w, f->south = s, f->east = e, f->north = n;
    return changed(f) ? out_of_memory(err, "--bbox") : BM_OK;
}

static int in_bbox(const bm_filter *f, const bm_catalog *c, size_t record)
{
    double lon, lat;
    if (!bm_catalog_point(c, record, &lon, &lat) || lat < f->south || lat > f->north)
        return 0;
    if (f->west <= f->east)
        return lon >= f->west && lon <= f->east;
    return lon >= f->west || lon <= f->east; /* across the antimeridian */
}

/* ---- where: tokens ------------------------------------------------------ */

/* Length of the decimal number at the start of s, 0 when none:
 * [+-] (digits [. digits] | . digits) [e [+-] digits]. */
static size_t scan_number(const char *s)
{
    size_t i = (s[0] == '+' || s[0] == '-'), int_digits = 0, frac_digits = 0;
    while (isdigit((unsigned char)s[i]))
        i++, int_digits++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i]))
            i++, frac_digits++;
    }
    if (!int_digits && !frac_digits)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1 + (s[i + 1] == '+' || s[i + 1] == '-');
        if (isdigit((unsigned char)s[j])) {
            while (isdigit((unsigned char)s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

static int parse_number(const char *s, double *out)
{
    size_t n = scan_number(s);
    if (n == 0 || s[n] != '\0')
        return 0;
    *out = strtod(s, NULL);
    return 1;
}

typedef enum tok_kind {
    TOK_END, TOK_LPAREN, TOK_RPAREN, TOK_COMMA, TOK_OP, TOK_STRING, TOK_NUMBER, TOK_NAME,
    TOK_QNAME
} tok_kind;

typedef struct token {
    tok_kind kind;
    size_t start, len;
    cmp_op op;
} token;

typedef struct parser {
    const char *src;
    size_t pos;
    token tok;
    where *w;
    int depth;
    bm_error *err;
} parser;

/* "at character N: ...", N counting UTF-8 characters from 1. */
static int syntax_error(parser *p, size_t at, const char *what, const char *arg)
{
    size_t chars = 1;
    for (size_t i = 0; i < at; i++)
        chars += ((unsigned char)p->src[i] & 0xC0) != 0x80;
    char msg[256];
    snprintf(msg, sizeof msg, what, arg);
    bm_error_set(p->err, BM_ERR_USAGE, NULL, 0, "--where", "at character %zu: %s", chars, msg);
    return -1;
}

static int lex_quoted(parser *p, size_t start, tok_kind kind)
{
    const char *s = p->src;
    char q = s[start];
    size_t i = start + 1;
    for (;; i++) {
        if (!s[i])
            return syntax_error(p, start, "unterminated %s",
                                kind == TOK_STRING ? "string" : "quoted field name");
        if (s[i] == q && s[i + 1] == q)
            i++;
        else if (s[i] == q)
            break;
    }
    p->tok = (token){kind, start, i + 1 - start, CMP_EQ};
    return 0;
}

static int lex_operator(const char *s, cmp_op *op, size_t *len)
{
    static const struct { const char *text; cmp_op op; } ops[] = {
        {"!=", CMP_NE}, {"<>", CMP_NE}, {"<=", CMP_LE}, {">=", CMP_GE},
        {"=", CMP_EQ},  {"<", CMP_LT},  {">", CMP_GT},
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strncmp(s, ops[i].text, strlen(ops[i].text)) == 0) {
            *op = ops[i].op, *len = strlen(ops[i].text);
            return 1;
        }
    return 0;
}

/* Reads the next token into p->tok; -1 on a lexical error. */
static int advance(parser *p)
{
    const char *s = p->src;
    size_t i = p->pos, len = 1;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    unsigned char ch = (unsigned char)s[i];
    cmp_op op = CMP_EQ;
    tok_kind kind;
    if (ch == '\'' || ch == '"') {
        if (lex_quoted(p, i, ch == '\'' ? TOK_STRING : TOK_QNAME))
            return -1;
        p->pos = i + p->tok.len;
        return 0;
    }
    if (!ch)
        kind = TOK_END, len = 0;
    else if (ch == '(' || ch == ')' || ch == ',')
        kind = ch == '(' ? TOK_LPAREN : ch == ')' ? TOK_RPAREN : TOK_COMMA;
    else if (lex_operator(s + i, &op, &len))
        kind = TOK_OP;
    else if ((len = scan_number(s + i)) > 0) {
        kind = TOK_NUMBER;
        if (is_name_char((unsigned char)s[i + len]) || s[i + len] == '.')
            return syntax_error(p, i, "malformed number%s", "");
    } else if (is_name_start(ch)) {
        kind = TOK_NAME;
        for (len = 1; is_name_char((unsigned char)s[i + len]);)
            len++;
    } else if (ch >= 0x20 && ch < 0x7F) {
        char text[2] = {(char)ch, '\0'};
        return syntax_error(p, i, "unexpected character '%s'", text);
    } else {
        return syntax_error(p, i, "unexpected character%s", " (use quotes for text)");
    }
    p->tok = (token){kind, i, len, op};
    p->pos = i + len;
    return 0;
}

static int at_keyword(const parser *p, const char *kw)
{
    return p->tok.kind == TOK_NAME && strlen(kw) == p->tok.len &&
           strncasecmp(p->src + p->tok.start, kw, p->tok.len) == 0;
}

/* ---- where: parser ------------------------------------------------------ */

/* Copies the current token's text into the arena, a quoted one without
 * its quotes and with doubled quotes single. */
static const char *token_text(parser *p)
{
    where *w = p->w;
    const char *s = p->src + p->tok.start;
    size_t n = p->tok.len;
    int quoted = p->tok.kind == TOK_STRING || p->tok.kind == TOK_QNAME;
    if (w->arena_used + n + 1 > w->arena_size)
        return NULL; /* cannot happen: the arena holds twice the source */
    char *out = w->arena + w->arena_used, *o = out;
    for (size_t i = quoted; i < n - quoted; i++) {
        *o++ = s[i];
        if (quoted && s[i] == s[0])
            i++;
    }
    *o++ = '\0';
    w->arena_used += (size_t)(o - out);
    return out;
}

static int new_node(parser *p, node_kind kind)
{
    where *w = p->w;
    if (w->n_nodes == w->cap_nodes) {
        size_t cap = w->cap_nodes ? 2 * w->cap_nodes : 16;
        node *nodes = realloc(w->nodes, cap * sizeof *nodes);
        if (!nodes) {
            bm_error_set(p->err, BM_ERR_RUNTIME, NULL, 0, "--where", "out of memory");
            return -1;
        }
        w->nodes = nodes, w->cap_nodes = cap;
    }
    w->nodes[w->n_nodes] = (node){.kind = kind, .child = -1, .last = -1, .next = -1};
    return (int)w->n_nodes++;
}

static void add_child(where *w, int parent, int child)
{
    node *n = &w->nodes[parent];
    if (n->last >= 0)
        w->nodes[n->last].next = child;
    else
        n->child = child;
    n->last = child;
}

static int parse_or(parser *p);

/* A field or a literal; literals only when fields_ok is 0. */
static int parse_operand(parser *p, operand *o, int fields_ok)
{
    tok_kind k = p->tok.kind;
    int field = k == TOK_QNAME || (k == TOK_NAME && !is_keyword_text(p->src + p->tok.start,
                                                                     p->tok.len));
    if (!(k == TOK_STRING || k == TOK_NUMBER || (field && fields_ok)))
        return syntax_error(p, p->tok.start, "%s",
                            fields_ok ? "expected a value (a field, 'text' or a number)"
                                      : "expected 'text' or a number");
    *o = (operand){field ? OPERAND_FIELD : k == TOK_STRING ? OPERAND_STRING : OPERAND_NUMBER,
                   token_text(p), 0, 0, -1};
    if (!o->text)
        return syntax_error(p, p->tok.start, "expression too long%s", "");
    if (!field)
        o->numeric = parse_number(o->text, &o->number);
    return advance(p);
}

static int parse_in(parser *p, const operand *a, int negated)
{
    where *w = p->w;
    size_t first = w->n_items;
    if (advance(p))
        return -1;
    if (p->tok.kind != TOK_LPAREN)
        return syntax_error(p, p->tok.start, "expected '(' after IN%s", "");
    do {
        if (advance(p))
            return -1;
        if (w->n_items == w->cap_items) {
            size_t cap = w->cap_items ? 2 * w->cap_items : 16;
            operand *items = realloc(w->items, cap * sizeof *items);
            if (!items) {
                bm_error_set(p->err, BM_ERR_RUNTIME, NULL, 0, "--where", "out of memory");
                return -1;
            }
            w->items = items, w->cap_items = cap;
        }
        if (parse_operand(p, &w->items[w->n_items], 0))
            return -1;
        w->n_items++;
    } while (p->tok.kind == TOK_COMMA);
    if (p->tok.kind != TOK_RPAREN)
        return syntax_error(p, p->tok.start, "expected ',' or ')'%s", "");
    int n = new_node(p, NODE_IN);
    if (n < 0 || advance(p))
        return -1;
    node *in = &w->nodes[n];
    in->a = *a, in->negated = negated, in->item = first, in->n_items = w->n_items - first;
    return n;
}

static int parse_predicate(parser *p)
{
    operand a, b;
    int n, negated = 0;
    if (parse_operand(p, &a, 1))
        return -1;
    if (p->tok.kind == TOK_OP) {
        cmp_op op = p->tok.op;
        if (advance(p) || parse_operand(p, &b, 1) || (n = new_node(p, NODE_CMP)) < 0)
            return -1;
        p->w->nodes[n].a = a, p->w->nodes[n].b = b, p->w->nodes[n].op = op;
        return n;
    }
    if (at_keyword(p, "not")) {
        negated = 1;
        if (advance(p))
            return -1;
        if (!at_keyword(p, "in") && !at_keyword(p, "like"))
            return syntax_error(p, p->tok.start, "expected IN or LIKE after NOT%s", "");
    }
    if (at_keyword(p, "in"))
        return parse_in(p, &a, negated);
    if (at_keyword(p, "like")) {
        if (advance(p))
            return -1;
        if (p->tok.kind != TOK_STRING)
            return syntax_error(p, p->tok.start, "expected a pattern in quotes after LIKE%s", "");
        if (parse_operand(p, &b, 0) || (n = new_node(p, NODE_LIKE)) < 0)
            return -1;
        p->w->nodes[n].a = a, p->w->nodes[n].b = b, p->w->nodes[n].negated = negated;
        return n;
    }
    if (at_keyword(p, "is")) {
        if (advance(p))
            return -1;
        negated = at_keyword(p, "not");
        if (negated && advance(p))
            return -1;
        if (!at_keyword(p, "empty"))
            return syntax_error(p, p->tok.start, "expected EMPTY or NOT EMPTY after IS%s", "");
        if ((n = new_node(p, NODE_EMPTY)) < 0 || advance(p))
            return -1;
        p->w->nodes[n].a = a, p->w->nodes[n].negated = negated;
        return n;
    }
    return syntax_error(p, p->tok.start,
                        "expected a comparison (=, !=, <>, <, <=, >, >=, IN, NOT IN, LIKE, "
                        "IS EMPTY)%s", "");
}

static int parse_not(parser *p)
{
    int group = p->tok.kind == TOK_LPAREN, negate = at_keyword(p, "not"), n = -1, c;
    if (!group && !negate)
        return parse_predicate(p);
    if (++p->depth > BM_FILTER_DEPTH_MAX) {
        char limit[16];
        snprintf(limit, sizeof limit, "%d", BM_FILTER_DEPTH_MAX);
        return syntax_error(p, p->tok.start, "nested more than %s levels deep", limit);
    }
    if (advance(p) || (c = group ? parse_or(p) : parse_not(p)) < 0)
        return -1;
    if (group && p->tok.kind != TOK_RPAREN)
        return syntax_error(p, p->tok.start, "expected ')'%s", "");
    if (group && advance(p))
        return -1;
    if (negate && (n = new_node(p, NODE_NOT)) >= 0)
        add_child(p->w, n, c);
    p->depth--;
    return group ? c : n;
}

/* Operands joined by kw, as one node of kind: and-expr or or-expr. */
static int parse_chain(parser *p, node_kind kind, const char *kw, int (*operand_fn)(parser *))
{
    int first = operand_fn(p);
    if (first < 0 || !at_keyword(p, kw))
        return first;
    int n = new_node(p, kind);
    if (n < 0)
        return -1;
    add_child(p->w, n, first);
    while (at_keyword(p, kw)) {
        if (advance(p))
            return -1;
        int c = operand_fn(p);
        if (c < 0)
            return -1;
        add_child(p->w, n, c);
    }
    return n;
}

static int parse_and(parser *p)
{
    return parse_chain(p, NODE_AND, "and", parse_not);
}

static int parse_or(parser *p)
{
    return parse_chain(p, NODE_OR, "or", parse_and);
}

bm_status bm_filter_set_where(bm_filter *f, const char *expr, bm_error *err)
{
    size_t len = strlen(expr);
    if (len > BM_FILTER_WHERE_MAX)
        return bm_error_set(err, BM_ERR_USAGE, NULL, 0, "--where",
                            "expression longer than %d bytes", BM_FILTER_WHERE_MAX);
    where *w = calloc(1, sizeof *w);
    if (w)
        w->arena_size = 2 * len + 2, w->arena = malloc(w->arena_size);
    if (!w || !w->arena) {
        where_free(w);
        return out_of_memory(err, "--where");
    }
    parser p = {expr, 0, {TOK_END, 0, 0, CMP_EQ}, w, 0, err};
    int root = advance(&p) ? -1 : parse_or(&p);
    if (root >= 0 && p.tok.kind != TOK_END)
        root = syntax_error(&p, p.tok.start,
                            p.tok.kind == TOK_RPAREN ? "unbalanced ')'%s"
                                                     : "expected AND, OR or the end%s", "");
    if (root < 0) {
        where_free(w);
        return err->status;
    }
    w->root = root;
    where_free(f->where);
    f->where = w;
    return changed(f) ? out_of_memory(err, "--where") : BM_OK;
}

/* ---- where: evaluation -------------------------------------------------- */

static const char *operand_value(const operand *o, const bm_catalog *c, size_t record)
{
    return o->kind == OPERAND_FIELD ? bm_catalog_value(c, record, (size_t)o->column) : o->text;
}

static int operand_number(const operand *o, const char *value, double *x)
{
    if (o->kind != OPERAND_FIELD) {
        *x = o->number;
        return o->numeric;
    }
    return parse_number(value, x);
}

/* <0, 0 or >0: numeric when both values are numbers, else as text. */
static int compare(const operand *a, const char *av, const operand *b, const char *bv)
{
    double x, y;
    int text_only = (a->kind != OPERAND_FIELD && !a->numeric) ||
                    (b->kind != OPERAND_FIELD && !b->numeric);
    if (!text_only && operand_number(a, av, &x) && operand_number(b, bv, &y))
        return (x > y) - (x < y);
    return strcmp(av, bv);
}

static int holds(cmp_op op, int r)
{
    switch (op) {
    case CMP_EQ: return r == 0;
    case CMP_NE: return r != 0;
    case CMP_LT: return r < 0;
    case CMP_LE: return r <= 0;
    case CMP_GT: return r > 0;
    case CMP_GE: return r >= 0;
    }
    return 0;
}

static const char *next_char(const char *s)
{
    s++;
    while (((unsigned char)*s & 0xC0) == 0x80)
        s++;
    return s;
}

/* SQL LIKE without regard to ASCII case: % any run, _ one character.
 * Backtracks to the last % only, so it takes O(len(s) * len(pat)). */
static int like(const char *s, const char *pat)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*pat == '%') {
            star = ++pat, resume = s;
        } else if (*pat == '_') {
            pat++, s = next_char(s);
        } else if (*pat && tolower((unsigned char)*pat) == tolower((unsigned char)*s)) {
            pat++, s++;
        } else if (star) {
            pat = star, resume = next_char(resume), s = resume;
        } else {
            return 0;
        }
    }
    while (*pat == '%')
        pat++;
    return *pat == '\0';
}

static int eval(const where *w, int i, const bm_catalog *c, size_t record)
{
    const node *n = &w->nodes[i];
    const char *v = n->a.kind != OPERAND_NONE ? operand_value(&n->a, c, record) : "";
    switch (n->kind) {
    case NODE_OR:
    case NODE_AND:
        for (int k = n->child; k >= 0; k = w->nodes[k].next)
            if (eval(w, k, c, record) == (n->kind == NODE_OR))
                return n->kind == NODE_OR;
        return n->kind == NODE_AND;
    case NODE_NOT:
        return !eval(w, n->child, c, record);
    case NODE_CMP:
        return holds(n->op, compare(&n->a, v, &n->b, operand_value(&n->b, c, record)));
    case NODE_IN:
        for (size_t k = 0; k < n->n_items; k++) {
            const operand *item = &w->items[n->item + k];
            if (compare(&n->a, v, item, item->text) == 0)
                return !n->negated;
        }
        return n->negated;
    case NODE_LIKE:
        return like(v, n->b.text) != n->negated;
    case NODE_EMPTY:
        return (v[0] == '\0') != n->negated;
    }
    return 0;
}

/* ---- binding and matching ----------------------------------------------- */

static int find_column(const bm_catalog *c, const char *name)
{
    for (size_t i = 0; i < bm_catalog_field_count(c); i++)
        if (strcasecmp(bm_catalog_field_name(c, i), name) == 0)
            return (int)i;
    return -1;
}

static bm_status bind_operand(operand *o, const bm_catalog *c, bm_error *err)
{
    if (o->kind != OPERAND_FIELD)
        return BM_OK;
    o->column = find_column(c, o->text);
    if (o->column < 0)
        return bm_error_set(err, BM_ERR_USAGE, bm_catalog_path(c), 0, "--where",
                            "unknown field '%s': the catalog has no such column", o->text);
    return BM_OK;
}

static bm_status bind_columns(bm_filter *f, const bm_catalog *c, bm_error *err)
{
    const char *path = bm_catalog_path(c);
    f->date_col = find_column(c, "event_date");
    f->country_col = find_column(c, "country");
    f->iso3_col = find_column(c, "iso3");
    f->iso_col = find_column(c, "iso");
    f->type_col = find_column(c, "event_type");
    if ((f->from[0] || f->to[0]) && f->date_col < 0)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, f->from[0] ? "--from" : "--to",
                            "the catalog has no event_date column");
    if (f->n_countries && f->country_col < 0 && f->iso3_col < 0 && f->iso_col < 0)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, "--country",
                            "the catalog has no country, iso3 or iso column");
    if (f->n_event_types && f->type_col < 0)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, "--event-type",
                            "the catalog has no event_type column");
    return BM_OK;
}

void bm_filter_columns(const bm_filter *f, void (*add)(const char *name, void *ctx), void *ctx)
{
    static const char *const country_columns[] = {"country", "iso3", "iso"};
    if (f->from[0] || f->to[0])
        add("event_date", ctx);
    for (size_t i = 0; f->n_countries && i < 3; i++)
        add(country_columns[i], ctx);
    if (f->n_event_types)
        add("event_type", ctx);
    const where *w = f->where;
    for (size_t i = 0; w && i < w->n_nodes; i++) {
        if (w->nodes[i].a.kind == OPERAND_FIELD)
            add(w->nodes[i].a.text, ctx);
        if (w->nodes[i].b.kind == OPERAND_FIELD)
            add(w->nodes[i].b.text, ctx);
    }
}

bm_status bm_filter_bind(bm_filter *f, const bm_catalog *c, bm_error *err)
{
    f->bound = NULL;
    if (bind_columns(f, c, err) != BM_OK)
        return err->status;
    where *w = f->where;
    for (size_t i = 0; w && i < w->n_nodes; i++)
        if (bind_operand(&w->nodes[i].a, c, err) != BM_OK ||
            bind_operand(&w->nodes[i].b, c, err) != BM_OK)
            return err->status;
    f->bound = c;
    return BM_OK;
}

static const char *column(const bm_catalog *c, size_t record, int col)
{
    return col < 0 ? "" : bm_catalog_value(c, record, (size_t)col);
}

static int dates_match(const bm_filter *f, const bm_catalog *c, size_t record)
{
    const char *date = column(c, record, f->date_col);
    return date[0] && (!f->from[0] || strncmp(date, f->from, 10) >= 0) &&
           (!f->to[0] || strncmp(date, f->to, 10) <= 0);
}

int bm_filter_match(const bm_filter *f, const bm_catalog *c, size_t record)
{
    if (bm_filter_is_empty(f))
        return 1;
    if (f->bound != c)
        return 0;
    return (!(f->from[0] || f->to[0]) || dates_match(f, c, record)) &&
           (!f->n_countries ||
            country_matches(f, column(c, record, f->country_col), column(c, record, f->iso3_col),
                            column(c, record, f->iso_col))) &&
           (!f->n_event_types || event_type_matches(f, column(c, record, f->type_col))) &&
           (!f->has_bbox || in_bbox(f, c, record)) &&
           (!f->where || eval(f->where, f->where->root, c, record));
}
