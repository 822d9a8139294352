/*
 * csvscan.c — the strict structural check of CSV and TSV files.
 *
 * The file is read in chunks through VSI and cut into physical lines;
 * libcsv is fed one line (or one chunk of a long line) at a time, so that
 * before each piece the parser's state tells whether a row is open and
 * the line a row starts on is known. After a quote problem the parser is
 * started afresh at the line after the row's start line, found again by
 * seeking.
 */
#include "csvscan.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <csv.h>

#define CHUNK_BYTES (64 * 1024)

/* libcsv.c's parser state between rows; struct csv_parser is public in
 * csv.h, its state values are not. */
#define LIBCSV_ROW_NOT_BEGUN 0

enum bad_kind { BAD_COUNT, BAD_NUL, BAD_UTF8, BAD_QUOTE, BAD_UNTERMINATED, BAD_TOO_LONG };

/* A bad row as kept: the record handed out is built from it on demand. */
typedef struct bad_rec {
    long line, end_line, row;
    long detail; /* BAD_COUNT: fields found; BAD_QUOTE: line of the quote;
                    BAD_TOO_LONG: whether inside a quoted value */
    int column;  /* -1: the whole row */
    int kind;
} bad_rec;

struct bm_csv_scan {
    char *user_path;
    long header_line;
    size_t n_cols;
    char **cols;
    long *good; /* start line of each good row */
    size_t n_good, cap_good;
    bad_rec *bad;
    size_t n_bad, cap_bad;
    bm_csv_bad_row *scratch; /* what bm_csv_scan_bad() hands out */
};

/* Physical lines of a VSI file, in pieces of at most a chunk. */
typedef struct line_reader {
    VSILFILE *fp;
    vsi_l_offset buf_off; /* file offset of buf[0] */
    size_t len, pos;
    int eof, error;
    unsigned char buf[CHUNK_BYTES];
} line_reader;

typedef struct scanner {
    bm_csv_scan *s;
    const char *path; /* for messages */
    bm_error *err;
    bm_status status; /* set by the callbacks */
    struct csv_parser p;
    char delim;
    line_reader r;
    long line;         /* the physical line being fed */
    int skipping;      /* dropping the rest of a line after a bad row */
    int have_header;
    size_t cap_cols;
    /* the row being parsed */
    long row_line;          /* its start line */
    vsi_l_offset next_off;  /* where line row_line + 1 starts, once next_known */
    int next_known;
    long row_bytes;
    size_t field;           /* fields completed */
    int problem, problem_col; /* its first NUL or UTF-8 problem, if any */
    long rows;              /* data rows completed, good or bad */
} scanner;

/* ---- reading lines ---- */

static void reader_reset(line_reader *r, VSILFILE *fp, vsi_l_offset off)
{
    r->fp = fp;
    r->buf_off = off;
    r->len = r->pos = 0;
    r->eof = r->error = 0;
}

/* Keeps the unread bytes and appends more; 0 when nothing came. */
static size_t reader_fill(line_reader *r)
{
    size_t keep = r->len - r->pos;
    memmove(r->buf, r->buf + r->pos, keep);
    r->buf_off += r->pos;
    r->pos = 0;
    r->len = keep;
    size_t want = sizeof r->buf - keep;
    size_t n = VSIFReadL(r->buf + keep, 1, want, r->fp);
    r->len += n;
    if (n < want) {
        if (!VSIFEofL(r->fp))
            r->error = 1;
        r->eof = 1;
    }
    return n;
}

static vsi_l_offset reader_offset(const line_reader *r)
{
    return r->buf_off + r->pos;
}

/* The next piece of the current line: its bytes up to and including the
 * line break, or as much of it as the buffer holds. *ends_line tells
 * whether it ends the line. Returns 0 at the end of the file. */
static size_t reader_piece(line_reader *r, const unsigned char **piece, int *ends_line)
{
    *ends_line = 0;
    for (;;) {
        if (r->pos == r->len && (r->eof || reader_fill(r) == 0))
            return 0;
        const unsigned char *b = r->buf + r->pos;
        size_t avail = r->len - r->pos, i = 0;
        while (i < avail && b[i] != '\n' && b[i] != '\r')
            i++;
        if (i < avail && b[i] == '\r' && i + 1 == avail && !r->eof) {
            if (i == 0) { /* a CR last in the buffer: is it CRLF? */
                reader_fill(r);
                continue;
            }
        } else if (i < avail) {
            i += b[i] == '\r' && i + 1 < avail && b[i + 1] == '\n' ? 2 : 1;
            *ends_line = 1;
        }
        *piece = b;
        r->pos += i;
        return i;
    }
}

static void reader_skip_bom(line_reader *r)
{
    if (reader_fill(r) >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
}

/* ---- the scan's records ---- */

static char *dup_mem(const void *data, size_t len)
{
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, data, len);
        d[len] = '\0';
    }
    return d;
}

static bm_status fail(scanner *sc, long line, const char *field, const char *message)
{
    if (sc->status == BM_OK)
        sc->status = bm_error_set(sc->err, BM_ERR_RUNTIME, sc->path, line, field, "%s", message);
    return sc->status;
}

static bm_status out_of_memory(scanner *sc)
{
    return fail(sc, 0, NULL, "out of memory");
}

static bm_status add_good(scanner *sc)
{
    bm_csv_scan *s = sc->s;
    if (s->n_good == s->cap_good) {
        size_t cap = s->cap_good ? s->cap_good * 2 : 1024;
        long *good = realloc(s->good, cap * sizeof *good);
        if (!good)
            return out_of_memory(sc);
        s->good = good;
        s->cap_good = cap;
    }
    s->good[s->n_good++] = sc->row_line;
    return BM_OK;
}

/* Records the current row as bad; end_line 0 means its start line only. */
static bm_status add_bad(scanner *sc, int kind, int column, long detail, long end_line)
{
    bm_csv_scan *s = sc->s;
    if (s->n_bad == s->cap_bad) {
        size_t cap = s->cap_bad ? s->cap_bad * 2 : 64;
        bad_rec *bad = realloc(s->bad, cap * sizeof *bad);
        if (!bad)
            return out_of_memory(sc);
        s->bad = bad;
        s->cap_bad = cap;
    }
    sc->rows++;
    s->bad[s->n_bad++] = (bad_rec){sc->row_line, end_line ? end_line : sc->row_line, sc->rows,
                                   detail, column, kind};
    return BM_OK;
}

/* The column of the field being parsed, or -1 past the header's. */
static int current_column(const scanner *sc)
{
    return sc->field < sc->s->n_cols ? (int)sc->field : -1;
}

/* ---- libcsv callbacks ---- */

static bm_status header_error(scanner *sc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bm_status header_error(scanner *sc, const char *field, const char *fmt, ...)
{
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return fail(sc, sc->row_line, field, message);
}

static bm_status header_field(scanner *sc, const char *data, size_t len)
{
    bm_csv_scan *s = sc->s;
    size_t column = s->n_cols + 1;
    if (len == 0)
        return header_error(sc, NULL, "column %zu of the header has an empty name", column);
    if (memchr(data, '\0', len))
        return header_error(sc, NULL, "column %zu of the header has a NUL byte in its name",
                            column);
    if (len > INT_MAX || !CPLIsUTF8(data, (int)len))
        return header_error(sc, NULL, "column %zu of the header: name is not valid UTF-8",
                            column);
    if (s->n_cols == sc->cap_cols) {
        size_t cap = sc->cap_cols ? sc->cap_cols * 2 : 32;
        char **cols = realloc(s->cols, cap * sizeof *cols);
        if (!cols)
            return out_of_memory(sc);
        s->cols = cols;
        sc->cap_cols = cap;
    }
    char *name = dup_mem(data, len);
    if (!name)
        return out_of_memory(sc);
    for (size_t i = 0; i < s->n_cols; i++) {
        if (strcasecmp(s->cols[i], name) == 0) {
            header_error(sc, name, "duplicate column name (column %zu; column %zu is '%.160s')",
                         column, i + 1, s->cols[i]);
            free(name);
            return sc->status;
        }
    }
    s->cols[s->n_cols++] = name;
    return BM_OK;
}

static void check_value(scanner *sc, const char *data, size_t len)
{
    if (memchr(data, '\0', len))
        sc->problem = BAD_NUL;
    else if (len > INT_MAX || !CPLIsUTF8(data, (int)len))
        sc->problem = BAD_UTF8;
    else
        return;
    sc->problem_col = current_column(sc);
}

static void on_field(void *data, size_t len, void *user)
{
    scanner *sc = user;
    if (sc->status != BM_OK)
        return;
    if (!sc->have_header)
        header_field(sc, data, len);
    else if (!sc->problem)
        check_value(sc, data, len);
    sc->field++;
}

static void end_row(scanner *sc)
{
    size_t want = sc->s->n_cols;
    if (!sc->have_header) {
        sc->have_header = 1;
        sc->s->header_line = sc->row_line;
    } else if (sc->field != want) {
        add_bad(sc, BAD_COUNT, -1, (long)sc->field, sc->line);
    } else if (sc->problem) {
        add_bad(sc, sc->problem, sc->problem_col, 0, sc->line);
    } else {
        sc->rows++;
        add_good(sc);
    }
    sc->field = 0;
    sc->problem = 0;
}

static void on_row(int c, void *user)
{
    (void)c;
    scanner *sc = user;
    if (sc->status == BM_OK)
        end_row(sc);
}

/* ---- scanning ---- */

static bm_status parser_start(scanner *sc)
{
    if (csv_init(&sc->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return out_of_memory(sc);
    csv_set_delim(&sc->p, (unsigned char)sc->delim);
    csv_set_blk_size(&sc->p, CHUNK_BYTES);
    return BM_OK;
}

/* libcsv grows its field buffer by a fixed block, one realloc each: keep
 * the block as large as the buffer so that a long field costs a few
 * reallocs, not thousands of copies. */
static void parser_grow_geometrically(scanner *sc)
{
    size_t size = csv_get_buffer_size(&sc->p);
    if (size > sc->p.blk_size)
        csv_set_blk_size(&sc->p, size);
}

static int row_open(const scanner *sc)
{
    return sc->p.pstate != LIBCSV_ROW_NOT_BEGUN;
}

static void start_piece(scanner *sc)
{
    if (row_open(sc))
        return;
    sc->row_line = sc->line;
    sc->next_known = 0;
    sc->row_bytes = 0;
}

static void end_line(scanner *sc)
{
    if (row_open(sc) && sc->row_line == sc->line && !sc->next_known) {
        sc->next_off = reader_offset(&sc->r);
        sc->next_known = 1;
    }
    sc->line++;
}

/* After a row that could not be delimited: a fresh parser from the line
 * after the row's start line. line_done: the current line was all read. */
static bm_status resync(scanner *sc, int line_done)
{
    csv_free(&sc->p);
    if (parser_start(sc) != BM_OK)
        return sc->status;
    sc->field = 0;
    sc->problem = 0;
    if (sc->next_known) {
        if (VSIFSeekL(sc->r.fp, sc->next_off, SEEK_SET) != 0)
            return fail(sc, sc->row_line + 1, NULL, "cannot seek back to this line");
        reader_reset(&sc->r, sc->r.fp, sc->next_off);
        sc->line = sc->row_line + 1;
    } else if (line_done) {
        sc->line++;
    } else {
        sc->skipping = 1;
    }
    return BM_OK;
}

static bm_status header_quote_error(scanner *sc, const char *what)
{
    return header_error(sc, NULL, "%s in column %zu of the header", what, sc->s->n_cols + 1);
}

static bm_status parse_error(scanner *sc, int line_done)
{
    if (csv_error(&sc->p) != CSV_EPARSE)
        return out_of_memory(sc);
    if (!sc->have_header)
        return header_quote_error(sc, "malformed quote");
    if (add_bad(sc, BAD_QUOTE, current_column(sc), sc->line, 0) != BM_OK)
        return sc->status;
    return resync(sc, line_done);
}

static bm_status too_long(scanner *sc)
{
    if (!sc->have_header)
        return fail(sc, sc->row_line, NULL, "the header is too long");
    if (add_bad(sc, BAD_TOO_LONG, current_column(sc), sc->p.quoted, 0) != BM_OK)
        return sc->status;
    return resync(sc, 0);
}

/* At the end of the file. Sets *again when scanning goes on after a quote
 * left open. */
static bm_status finish(scanner *sc, int *again)
{
    *again = 0;
    if (csv_fini(&sc->p, on_field, on_row, sc) == 0 || sc->status != BM_OK)
        return sc->status;
    if (!sc->have_header)
        return header_quote_error(sc, "unterminated quote");
    if (add_bad(sc, BAD_UNTERMINATED, current_column(sc), 0, 0) != BM_OK)
        return sc->status;
    *again = sc->next_known;
    return resync(sc, 1);
}

static bm_status feed(scanner *sc, const unsigned char *piece, size_t n, int ends_line)
{
    if (sc->skipping) {
        if (ends_line) {
            sc->skipping = 0;
            sc->line++;
        }
        return BM_OK;
    }
    start_piece(sc);
    size_t used = csv_parse(&sc->p, piece, n, on_field, on_row, sc);
    if (sc->status != BM_OK)
        return sc->status;
    if (used < n)
        return parse_error(sc, ends_line);
    parser_grow_geometrically(sc);
    sc->row_bytes += (long)n;
    if (ends_line)
        end_line(sc);
    if (row_open(sc) && sc->row_bytes > BM_CSV_MAX_ROW_BYTES)
        return too_long(sc);
    return BM_OK;
}

static bm_status scan(scanner *sc)
{
    for (;;) {
        const unsigned char *piece;
        int ends_line, again;
        size_t n = reader_piece(&sc->r, &piece, &ends_line);
        if (sc->r.error)
            return fail(sc, sc->line, NULL, "read error");
        if (n > 0) {
            if (feed(sc, piece, n, ends_line) != BM_OK)
                return sc->status;
        } else if (finish(sc, &again) != BM_OK || !again) {
            break;
        }
    }
    if (sc->status == BM_OK && !sc->have_header)
        return fail(sc, 1, NULL, "no header: the file is empty or blank");
    return sc->status;
}

bm_csv_scan *bm_csv_scan_file(const char *vsi_path, const char *user_path, char delim,
                              bm_error *err)
{
    const char *path = user_path ? user_path : vsi_path;
    if (delim != ',' && delim != '\t') {
        bm_error_set(err, BM_ERR_USAGE, path, 0, NULL, "the delimiter must be ',' or a tab");
        return NULL;
    }
    bm_csv_scan *s = calloc(1, sizeof *s);
    scanner *sc = calloc(1, sizeof *sc);
    if (s)
        s->user_path = dup_mem(path, strlen(path));
    if (s)
        s->scratch = calloc(1, sizeof *s->scratch);
    if (!s || !sc || !s->user_path || !s->scratch) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
        bm_csv_scan_free(s);
        free(sc);
        return NULL;
    }
    sc->s = s;
    sc->path = path;
    sc->err = err;
    sc->delim = delim;
    sc->line = 1;
    VSILFILE *fp = VSIFOpenL(vsi_path, "rb");
    bm_status st = BM_ERR_RUNTIME;
    if (!fp) {
        bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot open the file");
    } else if (parser_start(sc) == BM_OK) {
        reader_reset(&sc->r, fp, 0);
        reader_skip_bom(&sc->r);
        st = scan(sc);
        csv_free(&sc->p);
    }
    if (fp)
        VSIFCloseL(fp);
    free(sc);
    if (st != BM_OK) {
        bm_csv_scan_free(s);
        return NULL;
    }
    return s;
}

void bm_csv_scan_free(bm_csv_scan *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_cols; i++)
        free(s->cols[i]);
    free(s->cols);
    free(s->good);
    free(s->bad);
    free(s->scratch);
    free(s->user_path);
    free(s);
}

size_t bm_csv_scan_column_count(const bm_csv_scan *s)
{
    return s->n_cols;
}

const char *bm_csv_scan_column(const bm_csv_scan *s, size_t i)
{
    return i < s->n_cols ? s->cols[i] : "";
}

size_t bm_csv_scan_good_rows(const bm_csv_scan *s)
{
    return s->n_good;
}

long bm_csv_scan_good_row_line(const bm_csv_scan *s, size_t k)
{
    return k < s->n_good ? s->good[k] : 0;
}

/* Bad row j comes after bad[j].row - 1 - j good rows; good row k is
 * numbered k + 1 plus the bad rows that come before it. */
long bm_csv_scan_good_row_number(const bm_csv_scan *s, size_t k)
{
    if (k >= s->n_good)
        return 0;
    size_t lo = 0, hi = s->n_bad;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((size_t)(s->bad[mid].row - 1) - mid <= k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)(k + 1 + lo);
}

size_t bm_csv_scan_bad_count(const bm_csv_scan *s)
{
    return s->n_bad;
}

static void describe(const bm_csv_scan *s, const bad_rec *b, char *reason, size_t size)
{
    switch (b->kind) {
    case BAD_COUNT:
        snprintf(reason, size, "%ld field%s where the header has %zu", b->detail,
                 b->detail == 1 ? "" : "s", s->n_cols);
        break;
    case BAD_NUL:
        snprintf(reason, size, "NUL byte");
        break;
    case BAD_UTF8:
        snprintf(reason, size, "invalid UTF-8");
        break;
    case BAD_QUOTE:
        if (b->detail == b->line)
            snprintf(reason, size, "malformed quote");
        else
            snprintf(reason, size, "malformed quote on line %ld", b->detail);
        break;
    case BAD_UNTERMINATED:
        snprintf(reason, size, "unterminated quote");
        break;
    default:
        snprintf(reason, size, "row longer than %ld MiB%s", BM_CSV_MAX_ROW_BYTES >> 20,
                 b->detail ? " (unterminated quote?)" : "");
        break;
    }
}

const bm_csv_bad_row *bm_csv_scan_bad(const bm_csv_scan *s, size_t i)
{
    if (i >= s->n_bad)
        return NULL;
    const bad_rec *b = &s->bad[i];
    bm_csv_bad_row *out = s->scratch;
    out->line = b->line;
    out->end_line = b->end_line;
    out->row = b->row;
    snprintf(out->field, sizeof out->field, "%s", b->column >= 0 ? s->cols[b->column] : "");
    describe(s, b, out->reason, sizeof out->reason);
    return out;
}

/* ---- writing the good rows ---- */

static bm_status copy_good_lines(const bm_csv_scan *s, line_reader *r, VSILFILE *out,
                                 const char *dst, bm_error *err)
{
    long line = 1;
    size_t j = 0;
    const unsigned char *piece;
    int ends_line;
    size_t n;
    while ((n = reader_piece(r, &piece, &ends_line)) > 0) {
        while (j < s->n_bad && s->bad[j].end_line < line)
            j++;
        int keep = j == s->n_bad || s->bad[j].line > line;
        if (keep && VSIFWriteL(piece, 1, n, out) != n)
            return bm_error_set(err, BM_ERR_RUNTIME, dst, 0, NULL, "cannot write");
        if (ends_line)
            line++;
    }
    if (r->error)
        return bm_error_set(err, BM_ERR_RUNTIME, s->user_path, line, NULL, "read error");
    return BM_OK;
}

bm_status bm_csv_scan_write_good(const bm_csv_scan *s, const char *vsi_src, const char *dst,
                                 bm_error *err)
{
    line_reader *r = malloc(sizeof *r);
    if (!r)
        return bm_error_set(err, BM_ERR_RUNTIME, dst, 0, NULL, "out of memory");
    VSILFILE *in = VSIFOpenL(vsi_src, "rb");
    VSILFILE *out = in ? VSIFOpenL(dst, "wb") : NULL;
    bm_status st;
    if (!in) {
        st = bm_error_set(err, BM_ERR_RUNTIME, s->user_path, 0, NULL, "cannot open the file");
    } else if (!out) {
        st = bm_error_set(err, BM_ERR_RUNTIME, dst, 0, NULL, "cannot create the file");
    } else {
        reader_reset(r, in, 0);
        st = copy_good_lines(s, r, out, dst, err);
    }
    free(r);
    if (in)
        VSIFCloseL(in);
    if (out && VSIFCloseL(out) != 0 && st == BM_OK)
        st = bm_error_set(err, BM_ERR_RUNTIME, dst, 0, NULL, "cannot write");
    if (out && st != BM_OK)
        VSIUnlink(dst);
    return st;
}
