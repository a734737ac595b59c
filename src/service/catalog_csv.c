/*
 * catalog_csv.c - reading the catalog's CSV tables (see catalog_csv.h). Every table is
 * described by a column list (catalog_csv_tables.c) that maps a CSV column to a JSON
 * path in the row's object; the writer walks the same lists, so the two directions
 * cannot drift apart.
 */
#include "service/catalog_csv.h"
#include "service/catalog_csv_internal.h"
#include "util/csv.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define tables   catalog_csv_tables
#define path_get catalog_csv_path_get
#define path_set catalog_csv_path_set

/* ------------------------------------------------------------ reading */

typedef struct locate {
    char *where;
    const char *file;
    int line;
} locate;

typedef struct reader {
    cat_problems *out;
    json_t *doc;
    json_t *index[2]; /* basic code / bundle code -> position */
    locate *locs;
    int nlocs;
    bool track;
} reader;

static void problem(reader *r, const char *file, int line, const char *field, const char *rule,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void problem(reader *r, const char *file, int line, const char *field, const char *rule,
                    const char *fmt, ...)
{
    if (r->out->count >= CAT_MAX_PROBLEMS) {
        r->out->dropped++;
        return;
    }
    cat_problem *p = &r->out->items[r->out->count++];
    memset(p, 0, sizeof(*p));
    ystrlcpy(p->where, file, sizeof(p->where));
    ystrlcpy(p->field, field ? field : "", sizeof(p->field));
    ystrlcpy(p->file, file, sizeof(p->file));
    p->line = line;
    p->rule = rule;
    p->item_index = -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof(p->message), fmt, ap);
    va_end(ap);
}

static void track(reader *r, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void track(reader *r, const char *file, int line, const char *fmt, ...)
{
    if (!r->track)
        return;
    r->locs = xrealloc(r->locs, sizeof(locate) * (size_t)(r->nlocs + 1));
    ybuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    ybuf_vprintf(&b, fmt, ap);
    va_end(ap);
    r->locs[r->nlocs++] = (locate){ybuf_detach(&b), file, line};
}

/* A cell as its JSON value, or NULL (absent). *bad is set on a wrong cell. */
static json_t *cell_value(reader *r, const table *t, const col *c, const char *s, int line,
                          bool *bad)
{
    switch (c->k) {
    case K_STR:
        return json_string(s);
    case K_OPT:
        return *s ? json_string(s) : NULL;
    case K_INT: {
        int64_t v;
        if (yparse_i64(s, -1000000000000LL, 1000000000000LL, &v) != 0) {
            problem(r, t->file, line, c->name, "TYPE", "“%s”应为整数，实为“%s”", c->name, s);
            *bad = true;
            return NULL;
        }
        return json_integer(v);
    }
    case K_BOOL:
        if (!*s)
            return NULL;
        if (!strcmp(s, "true") || !strcmp(s, "false"))
            return json_boolean(!strcmp(s, "true"));
        problem(r, t->file, line, c->name, "TYPE", "“%s”应为true或false", c->name);
        *bad = true;
        return NULL;
    case K_LIST:
    case K_LINES:
    case K_OPTLINES: {
        if (!*s)
            return c->k == K_OPTLINES ? NULL : json_array();
        char sep = c->k == K_LIST ? ';' : '\n';
        json_t *a = json_array();
        for (const char *p = s;;) {
            const char *e = strchr(p, sep);
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (!n) {
                problem(r, t->file, line, c->name, "FORMAT", "“%s”中有空的项", c->name);
                *bad = true;
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, json_stringn(p, n));
            if (!e)
                break;
            p = e + 1;
        }
        return a;
    }
    default:
        return NULL;
    }
}

static int find_key(json_t *arr, const char *field, const char *key)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        json_t *k = field ? json_object_get(v, field) : v;
        if (json_is_string(k) && !strcmp(json_string_value(k), key))
            return (int)i;
    }
    return -1;
}

static void read_table(reader *r, const table *t, csv_table *csv)
{
    if (!csv->nrows)
        return;
    int map[CSV_MAX_FIELDS]; /* CSV column -> index in t->cols */
    csv_row *head = &csv->rows[0];
    bool header_ok = true, seen[64] = {false};
    for (int f = 0; f < head->nfields; f++) {
        map[f] = -1;
        for (int c = 0; c < t->ncols; c++)
            if (t->cols[c].k != K_ARRAY && !strcmp(t->cols[c].name, head->fields[f]))
                map[f] = c;
        if (map[f] < 0) {
            problem(r, t->file, head->line, head->fields[f], "UNKNOWN_FIELD", "不认识的列“%s”",
                    head->fields[f]);
            header_ok = false;
        } else if (seen[map[f]]) {
            problem(r, t->file, head->line, head->fields[f], "DUPLICATE", "列“%s”重复",
                    head->fields[f]);
            header_ok = false;
        } else {
            seen[map[f]] = true;
        }
    }
    for (int c = 0; c < t->ncols; c++) {
        kind k = t->cols[c].k;
        if (!seen[c] && k != K_ARRAY && k != K_OPT && k != K_OPTLINES && k != K_BOOL) {
            problem(r, t->file, head->line, t->cols[c].name, "REQUIRED", "缺少列“%s”",
                    t->cols[c].name);
            header_ok = false;
        }
    }
    if (!header_ok)
        return;
    json_t *top = json_object_get(r->doc, t->top);
    json_t *index = r->index[!strcmp(t->top, "bundles")];
    for (int ri = 1; ri < csv->nrows; ri++) {
        csv_row *row = &csv->rows[ri];
        if (row->nfields != head->nfields) {
            problem(r, t->file, row->line, "", "COLUMNS", "该行有%d列，表头有%d列", row->nfields,
                    head->nfields);
            continue;
        }
        /* Find the parent (depth 1, 2) and the array the row goes into. */
        json_t *arr = top, *parent = NULL;
        const char *refs[2] = {NULL, NULL};
        for (int c = 0, n = 0; c < t->ncols && n < 2; c++) /* in column-list order */
            for (int f = 0; t->cols[c].k == K_REF && f < row->nfields; f++)
                if (map[f] == c)
                    refs[n++] = row->fields[f];
        ybuf where = {0};
        if (t->depth >= 1) {
            json_t *pos = json_object_get(index, refs[0]);
            if (!pos) {
                problem(r, t->file, row->line, t->cols[0].name, "REFERENCE", "%s“%s”不存在",
                        index == r->index[0] ? "事项" : "一件事", refs[0]);
                continue;
            }
            parent = json_array_get(top, (size_t)json_integer_value(pos));
            ybuf_printf(&where, "%s[%lld]", t->top, (long long)json_integer_value(pos));
            if (t->depth == 2) {
                json_t *qs = path_get(parent, "situations.questions");
                int q = find_key(qs, "key", refs[1]);
                if (q < 0) {
                    problem(r, t->file, row->line, "question", "REFERENCE", "事项“%s”没有问题“%s”",
                            refs[0], refs[1]);
                    ybuf_release(&where);
                    continue;
                }
                parent = json_array_get(qs, (size_t)q);
                ybuf_printf(&where, ".situations.questions[%d]", q);
            }
            if (!path_get(parent, t->array)) { /* questions of an item without a start */
                path_set(parent, t->array, json_array());
            }
            arr = path_get(parent, t->array);
            ybuf_printf(&where, ".%s", t->array);
        } else {
            ybuf_adds(&where, t->top);
        }
        /* The row's object (or string, for bundle_items). */
        bool bad = false;
        json_t *obj = t->cols[1].path ? json_object() : NULL;
        for (int c = 0; c < t->ncols; c++) {
            const col *cl = &t->cols[c];
            if (cl->k == K_REF)
                continue;
            if (cl->k == K_ARRAY) {
                json_object_set_new(obj, cl->path, json_array());
                continue;
            }
            int f = 0;
            while (f < row->nfields && map[f] != c)
                f++;
            const char *s = f < row->nfields ? row->fields[f] : "";
            json_t *v = cell_value(r, t, cl, s, row->line, &bad);
            if (!obj)
                obj = v;
            else if (v)
                path_set(obj, cl->path, v);
        }
        /* Duplicate keys among the siblings. A row with a bad cell is still kept (the
         * document is dropped anyway) so that its children do not all report it missing. */
        bool dup = !obj;
        if (t->key && obj) {
            json_t *k = *t->key ? json_object_get(obj, t->key) : obj;
            const char *ks = json_string_value(k);
            if (ks && find_key(arr, *t->key ? t->key : NULL, ks) >= 0) {
                problem(r, t->file, row->line, *t->key ? t->key : "item", "DUPLICATE", "“%s”重复",
                        ks);
                dup = true;
            }
        }
        if (dup) {
            json_decref(obj);
            ybuf_release(&where);
            continue;
        }
        if (t->depth == 0)
            json_object_set_new(index, json_string_value(json_object_get(obj, t->key)),
                                json_integer((json_int_t)json_array_size(arr)));
        track(r, t->file, row->line, "%s[%zu]", where.data, json_array_size(arr));
        json_array_append_new(arr, obj);
        ybuf_release(&where);
    }
}

static const table *table_named(const char *name)
{
    for (size_t t = 0; t < CATALOG_CSV_NTABLES; t++)
        if (!strcmp(tables[t].file, name))
            return &tables[t];
    return NULL;
}

static json_t *read_all(reader *r, const catalog_csv_file *files, int nfiles)
{
    csv_table csv[CATALOG_CSV_NTABLES];
    bool given[CATALOG_CSV_NTABLES] = {false};
    memset(csv, 0, sizeof(csv));
    for (int i = 0; i < nfiles; i++) {
        const char *name = files[i].name ? files[i].name : "";
        const table *t = table_named(name);
        if (!t) {
            problem(r, name, 0, "", "UNKNOWN_FIELD", "不认识的文件“%s”", name);
            continue;
        }
        size_t ti = (size_t)(t - tables);
        if (given[ti]) {
            problem(r, name, 0, "", "DUPLICATE", "文件“%s”重复", name);
            continue;
        }
        given[ti] = true;
        int line;
        const char *err;
        if (csv_parse(files[i].text ? files[i].text : "", files[i].text ? files[i].len : 0,
                      &csv[ti], &line, &err) != 0)
            problem(r, name, line, "", "CSV", "%s", err);
    }
    r->doc = json_pack("{s:s, s:i, s:[], s:[]}", "format", "yichuang-catalog", "format_version", 1,
                       "items", "bundles");
    r->index[0] = json_object();
    r->index[1] = json_object();
    if (!r->out->count)
        for (size_t t = 0; t < CATALOG_CSV_NTABLES; t++)
            read_table(r, &tables[t], &csv[t]);
    for (size_t t = 0; t < CATALOG_CSV_NTABLES; t++)
        csv_table_free(&csv[t]);
    json_decref(r->index[0]);
    json_decref(r->index[1]);
    if (r->out->count || r->out->dropped) {
        json_decref(r->doc);
        return NULL;
    }
    return r->doc;
}

static void release(reader *r)
{
    for (int i = 0; i < r->nlocs; i++)
        free(r->locs[i].where);
    free(r->locs);
}

json_t *catalog_csv_read(const catalog_csv_file *files, int nfiles, cat_problems *out)
{
    reader r = {.out = out};
    json_t *doc = read_all(&r, files, nfiles);
    release(&r);
    return doc;
}

/* Set file and line of problems [from, count) from the longest tracked prefix of where. */
static void place(reader *r, int from)
{
    for (int i = from; i < r->out->count; i++) {
        cat_problem *p = &r->out->items[i];
        size_t best = 0;
        for (int k = 0; k < r->nlocs; k++) {
            size_t n = strlen(r->locs[k].where);
            char next = p->where[n];
            if (n > best && !strncmp(p->where, r->locs[k].where, n) &&
                (next == '\0' || next == '.' || next == '[')) {
                best = n;
                ystrlcpy(p->file, r->locs[k].file, sizeof(p->file));
                p->line = r->locs[k].line;
            }
        }
    }
}

json_t *catalog_csv_read_placed(const catalog_csv_file *files, int nfiles,
                                int (*check)(json_t *doc, void *arg, cat_problems *out), void *arg,
                                cat_problems *out)
{
    reader r = {.out = out, .track = true};
    json_t *doc = read_all(&r, files, nfiles);
    if (doc) {
        int from = out->count;
        check(doc, arg, out);
        place(&r, from);
        if (out->count || out->dropped) {
            json_decref(doc);
            doc = NULL;
        }
    }
    release(&r);
    return doc;
}

/* The bundle check passes one argument to both of its callbacks: wrap the caller's. */
typedef struct wrap {
    json_t *doc;
    cat_department_fn dept;
    bool (*item_exists)(void *arg, const char *basic_code);
    void *arg;
} wrap;

static bool wrap_dept(void *arg, const char *name)
{
    wrap *w = arg;
    return !w->dept || w->dept(w->arg, name);
}

static bool wrap_item(void *arg, const char *code)
{
    wrap *w = arg;
    if (find_key(json_object_get(w->doc, "items"), "basic_code", code) >= 0)
        return true;
    return w->item_exists && w->item_exists(w->arg, code);
}

static int check_rules(json_t *doc, void *arg, cat_problems *out)
{
    wrap *w = arg;
    w->doc = doc;
    int before = out->count + out->dropped;
    size_t i;
    json_t *v;
    char where[32];
    json_array_foreach(json_object_get(doc, "items"), i, v)
    {
        snprintf(where, sizeof(where), "items[%zu]", i);
        catalog_check_item(v, where, (int)i, w->dept, w->arg, out);
    }
    json_array_foreach(json_object_get(doc, "bundles"), i, v)
    {
        snprintf(where, sizeof(where), "bundles[%zu]", i);
        catalog_check_bundle(v, where, (int)i, wrap_dept, wrap_item, w, out);
    }
    return out->count + out->dropped - before;
}

json_t *catalog_csv_read_checked(const catalog_csv_file *files, int nfiles, cat_department_fn dept,
                                 bool (*item_exists)(void *arg, const char *basic_code), void *arg,
                                 cat_problems *out)
{
    wrap w = {NULL, dept, item_exists, arg};
    return catalog_csv_read_placed(files, nfiles, check_rules, &w, out);
}
