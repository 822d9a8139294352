/*
 * render_out.c — the edge of the renderer: one drawing, three surfaces.
 *
 * The map is drawn by bm_map_draw whatever the format; what differs sits
 * here: the PNG's page in memory (png_out.c encodes it), PDF metadata without a
 * creation date, SVG ids made independent of the process's history and
 * SVG text kept as <text> rather than cairo's glyph outlines.
 * Every file is written under a temporary name and renamed.
 */
#define _GNU_SOURCE /* MADV_HUGEPAGE */
#include "render_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "atomic_file.h"
#include "png_out.h"
#include "svg_text.h"

/* The page's pixels, on transparent huge pages where the kernel offers
 * them: touched 4 kB at a time, a 3000x2000 page costs 5,900 page
 * faults, which on a virtual machine were a fifth of a small map's time.
 * NULL when out of memory. */
#define HUGE_PAGE ((size_t)2 << 20)
static unsigned char *page_pixels(int width, int height, int *stride)
{
    *stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width);
    size_t size = (size_t)*stride * (size_t)height;
    void *data = NULL;
    if (*stride < 0 || posix_memalign(&data, HUGE_PAGE, size) != 0)
        return NULL;
    if (size >= HUGE_PAGE)
        madvise(data, size - size % HUGE_PAGE, MADV_HUGEPAGE); /* advice: failure is harmless */
    memset(data, 0, size);
    return data;
}

static bm_status render_png(bm_map *m, const char *tmp, const char *path, bm_error *err)
{
    int stride;
    unsigned char *pixels = page_pixels(m->page.width, m->page.height, &stride);
    if (!pixels)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory for the page");
    cairo_surface_t *s = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_ARGB32,
                                                             m->page.width, m->page.height, stride);
    cairo_t *cr = cairo_create(s);
    bm_status st = bm_map_draw(m, cr, err);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (st != BM_OK) {
        cairo_surface_destroy(s);
        free(pixels);
        return st;
    }
    errno = 0;
    FILE *f = fopen(tmp, "wb");
    int bad = !f || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
              bm_png_write(pixels, m->page.width, m->page.height, stride, m->page.dpi, f) != 0;
    if (f && fclose(f) != 0)
        bad = 1;
    int cause = errno; /* a full disk, say; 0 when memory or libpng failed */
    cairo_surface_destroy(s);
    free(pixels);
    if (bad)
        return bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot write PNG%s%s",
                            cause ? ": " : "", cause ? strerror(cause) : "");
    return BM_OK;
}

/* svg: NULL for a PDF; for an SVG, the sink the map's text is recorded in. */
static bm_status render_vector(bm_map *m, const char *tmp, const char *path, bm_svg_text *svg,
                               bm_error *err)
{
    int pdf = !svg;
    double k = 72.0 / m->page.dpi, w = m->page.width * k, h = m->page.height * k;
    cairo_surface_t *s = pdf ? cairo_pdf_surface_create(tmp, w, h)
                             : cairo_svg_surface_create(tmp, w, h);
    if (pdf) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, m->page.title);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "bordermap");
        /* An empty date leaves the creation time out: reproducible files. */
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "");
    } else {
        cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    }
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, k, k);
    bm_text_out text = svg ? bm_svg_text_output(svg) : (bm_text_out){0};
    m->text_out = svg ? &text : NULL;
    bm_status drawn = bm_map_draw(m, cr, err);
    m->text_out = NULL;
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (drawn != BM_OK)
        return drawn;
    return st == CAIRO_STATUS_SUCCESS
               ? BM_OK
               : bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot write %s: %s",
                              pdf ? "PDF" : "SVG", cairo_status_to_string(st));
}

/* cairo names SVG groups after a process-wide surface counter, so the same
 * map would differ with what was drawn before it; the ids are renumbered in
 * order of appearance to keep SVG output byte-identical. */
static GString *svg_renumber(const char *text)
{
    GString *out = g_string_sized_new(strlen(text) + 16);
    long seen[64];
    int n_seen = 0;
    for (const char *p = text; *p;) {
        const char *hit = strstr(p, "surface");
        if (!hit) {
            g_string_append(out, p);
            break;
        }
        char *end;
        long id = strtol(hit + 7, &end, 10);
        g_string_append_len(out, p, hit + 7 - p);
        p = hit + 7;
        if (end == p)
            continue;
        int k = 0;
        while (k < n_seen && seen[k] != id)
            k++;
        if (k == n_seen && n_seen < 64)
            seen[n_seen++] = id;
        g_string_append_printf(out, "%d", k + 1);
        p = end;
    }
    return out;
}

/* Renumbers cairo's ids and adds the recorded text just before the closing
 * </svg>: on top of everything, as labels and furniture text are drawn
 * last on the raster too. */
static int svg_finish(const char *path, const bm_svg_text *svg)
{
    gchar *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return -1;
    GString *out = svg_renumber(text);
    g_free(text);
    const char *close = g_strrstr(out->str, "</svg>");
    size_t len;
    const char *elements = bm_svg_text_get(svg, &len);
    if (close)
        g_string_insert_len(out, close - out->str, elements, (gssize)len);
    int ok = close && g_file_set_contents(path, out->str, (gssize)out->len, NULL);
    g_string_free(out, TRUE);
    return ok ? 0 : -1;
}

static bm_status write_pdf(bm_map *m, const char *tmp, const char *path, bm_error *err)
{
    return render_vector(m, tmp, path, NULL, err);
}

static bm_status write_svg(bm_map *m, const char *tmp, const char *path, bm_error *err)
{
    bm_svg_text *svg = bm_svg_text_new();
    bm_status st = svg ? render_vector(m, tmp, path, svg, err)
                       : bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "out of memory");
    if (st == BM_OK && svg_finish(tmp, svg) != 0)
        st = bm_error_set(err, BM_ERR_RUNTIME, path, 0, NULL, "cannot write SVG");
    bm_svg_text_free(svg);
    return st;
}

/* The output formats: the one list of map file extensions. */
static const struct map_format {
    const char *ext;
    bm_status (*write)(bm_map *m, const char *tmp, const char *path, bm_error *err);
} formats[] = {
    {".png", render_png},
    {".svg", write_svg},
    {".pdf", write_pdf},
};

static const struct map_format *format_for(const char *path)
{
    const char *ext = strrchr(path, '.'), *slash = strrchr(path, '/');
    for (size_t i = 0; ext && (!slash || ext > slash) && i < sizeof formats / sizeof *formats; i++)
        if (strcasecmp(ext, formats[i].ext) == 0)
            return &formats[i];
    return NULL;
}

int bm_map_format_known(const char *path)
{
    return format_for(path) != NULL;
}

const char *bm_map_format_list(void)
{
    static char list[64];
    if (!list[0]) {
        size_t n = sizeof formats / sizeof *formats, len = 0;
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                    i == 0 ? "" : i + 1 == n ? " or " : ", ", formats[i].ext);
    }
    return list;
}

bm_status bm_map_write(bm_map *m, const char *path, bm_error *err)
{
    const struct map_format *f = format_for(path);
    if (!f)
        return bm_error_set(err, BM_ERR_USAGE, path, 0, NULL,
                            "unknown output format (expected %s)", bm_map_format_list());
    bm_atomic_file af;
    if (bm_atomic_file_begin(&af, path, err))
        return err->status;
    bm_status st = f->write(m, af.temp_path, path, err);
    if (st != BM_OK) {
        bm_atomic_file_abort(&af);
        return st;
    }
    return bm_atomic_file_commit(&af, err);
}
