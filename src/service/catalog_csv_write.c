/*
 * catalog_csv_write.c - the catalog document as CSV tables (see catalog_csv.h), walking
 * the column lists of catalog_csv_tables.c.
 */
#include "service/catalog_csv.h"
#include "service/catalog_csv_internal.h"
#include "util/csv.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define tables   catalog_csv_tables
#define path_get catalog_csv_path_get

/* ------------------------------------------------------------ writing */

/* The cell of one column; -1 when the value cannot be written exactly. */
static int cell_text(const col *c, json_t *v, ybuf *b)
{
    switch (c->k) {
    case K_STR:
    case K_OPT:
        if (!v && c->k == K_OPT)
            return 0;
        if (!json_is_string(v))
            return -1;
        ybuf_adds(b, json_string_value(v));
        return 0;
    case K_INT:
        if (!json_is_integer(v))
            return -1;
        ybuf_printf(b, "%lld", (long long)json_integer_value(v));
        return 0;
    case K_BOOL:
        if (v && !json_is_boolean(v))
            return -1;
        if (v)
            ybuf_adds(b, json_is_true(v) ? "true" : "false");
        return 0;
    case K_LIST:
    case K_LINES:
    case K_OPTLINES: {
        if (!v)
            return 0;
        if (!json_is_array(v))
            return -1;
        const char *sep = c->k == K_LIST ? ";" : "\n";
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            const char *s = json_string_value(e);
            if (!s || !*s || strchr(s, *sep))
                return -1;
            if (i)
                ybuf_adds(b, sep);
            ybuf_adds(b, s);
        }
        return 0;
    }
    default:
        return 0;
    }
}

static int write_row(const table *t, json_t *obj, const char *const *refs, ybuf *out)
{
    ybuf cell = {0};
    int nref = 0, first = 1, rc = 0;
    for (int c = 0; c < t->ncols && !rc; c++) {
        const col *cl = &t->cols[c];
        if (cl->k == K_ARRAY)
            continue;
        ybuf_reset(&cell);
        if (cl->k == K_REF)
            ybuf_adds(&cell, refs[nref++]);
        else
            rc = cell_text(cl, cl->path ? path_get(obj, cl->path) : obj, &cell);
        if (!first)
            ybuf_addc(out, ',');
        first = 0;
        csv_write_field(out, cell.data ? cell.data : "");
    }
    ybuf_adds(out, "\r\n");
    ybuf_release(&cell);
    return rc;
}

static int write_table(json_t *doc, const table *t, ybuf *out)
{
    ybuf_adds(out, "\xEF\xBB\xBF");
    int first = 1;
    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].k == K_ARRAY)
            continue;
        if (!first)
            ybuf_addc(out, ',');
        first = 0;
        csv_write_field(out, t->cols[c].name);
    }
    ybuf_adds(out, "\r\n");
    json_t *top = json_object_get(doc, t->top);
    const char *topkey = !strcmp(t->top, "items") ? "basic_code" : "code";
    size_t i, k, j;
    json_t *p, *child, *opt;
    json_array_foreach(top, i, p)
    {
        const char *refs[2] = {json_string_value(json_object_get(p, topkey)), NULL};
        if (t->depth == 0) {
            if (write_row(t, p, refs, out))
                return -1;
            continue;
        }
        if (!refs[0])
            return -1;
        if (t->depth == 1) {
            json_array_foreach(path_get(p, t->array), k,
                               child) if (write_row(t, child, refs, out)) return -1;
            continue;
        }
        json_array_foreach(path_get(p, "situations.questions"), k, child)
        {
            refs[1] = json_string_value(json_object_get(child, "key"));
            if (!refs[1])
                return -1;
            json_array_foreach(json_object_get(child, "options"), j,
                               opt) if (write_row(t, opt, refs, out)) return -1;
        }
    }
    return 0;
}

int catalog_csv_write(json_t *doc, catalog_csv_file **files, int *nfiles)
{
    size_t n = CATALOG_CSV_NTABLES;
    catalog_csv_file *f = xcalloc(n, sizeof(*f));
    for (size_t t = 0; t < n; t++) {
        ybuf b = {0};
        int rc = write_table(doc, &tables[t], &b);
        f[t].name = tables[t].file;
        f[t].len = b.len;
        f[t].text = ybuf_detach(&b);
        if (rc) {
            catalog_csv_files_free(f, (int)t + 1);
            *files = NULL;
            *nfiles = 0;
            return -1;
        }
    }
    *files = f;
    *nfiles = (int)n;
    return 0;
}

void catalog_csv_files_free(catalog_csv_file *files, int nfiles)
{
    for (int i = 0; files && i < nfiles; i++)
        free((char *)files[i].text);
    free(files);
}
