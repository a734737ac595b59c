/*
 * catalog_io.c - the catalog as a whole (catalog_svc.h): import (all-or-nothing, applied
 * after catsvc_check_catalog), export of everything published, both as JSON and as CSV
 * files (catalog_csv.h), the command line's imports, and per-center statistics.
 */
#include "core/workcal.h"
#include "service/catalog_svc.h"
#include "store/audit.h"
#include "store/catalog_store.h"
#include "util/err.h"
#include "util/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------ import, export */

static int import_item(db_conn *c, json_t *doc, bool apply, int64_t user, int64_t now,
                       catsvc_import_result *res)
{
    const char *code = json_string_value(json_object_get(doc, "basic_code"));
    char *text = catsvc_text(doc);
    catsvc_meta m;
    catsvc_meta_of(c, doc, &m);
    catstore_meta sm = {m.name, m.department_id, m.domain, m.type_code, m.case_kind};
    json_t *row = catstore_item_by_code(c, code);
    int rc = 0;
    if (!row) {
        res->created++;
        int64_t id;
        if (apply && !(rc = catstore_item_insert(c, code, m.name, m.department_id, now, &id)) &&
            !(rc = catstore_version_insert(c, id, 1, "draft", text, &sm, user, now)))
            rc = catsvc_publish(c, id, 1, "draft", user, now);
        goto out;
    }
    int64_t id = json_integer_value(json_object_get(row, "id"));
    json_t *pub = catstore_published(c, id);
    bool same = pub && !strcmp(json_string_value(json_object_get(pub, "document")), text) &&
                json_is_null(json_object_get(row, "retired_at"));
    json_decref(pub);
    if (same) {
        res->unchanged++;
        goto out;
    }
    res->updated++;
    if (apply) {
        int n = catstore_max_version(c, id) + 1;
        if (!(rc = catstore_version_insert(c, id, n, "draft", text, &sm, user, now)))
            rc = catsvc_publish(c, id, n, "draft", user, now);
    }
out:
    json_decref(row);
    free(text);
    return rc;
}

int catsvc_import(db_conn *c, json_t *doc, bool apply, int64_t user, int64_t now,
                  catsvc_import_result *res)
{
    memset(res, 0, sizeof(*res));
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach(json_object_get(doc, "items"), i, v)
    {
        if ((rc = import_item(c, v, apply, user, now, res)))
            return rc;
    }
    json_array_foreach(json_object_get(doc, "bundles"), i, v)
    {
        res->bundles++;
        if (!apply)
            continue;
        const char *code = json_string_value(json_object_get(v, "code"));
        char *text = catsvc_text(v);
        json_t *b = catstore_bundle_by_code(c, code);
        json_t *pub =
            b ? catstore_bundle_published(c, json_integer_value(json_object_get(b, "id"))) : NULL;
        bool same = pub && !strcmp(json_string_value(json_object_get(pub, "document")), text);
        json_decref(b);
        json_decref(pub);
        int version;
        if (!same &&
            !(rc = catstore_bundle_put(c, code, json_string_value(json_object_get(v, "name")), text,
                                       user, now, &version)))
            rc = catsvc_index_bundle(c, v);
        free(text);
        if (rc)
            return rc;
    }
    return 0;
}

static json_t *documents(db_conn *c, const char *kind)
{
    json_t *rows = catstore_published_documents(c, kind);
    if (!rows)
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_t *doc = catsvc_parse(json_string_value(json_object_get(r, "document")));
        if (doc)
            json_array_append_new(out, doc);
    }
    json_decref(rows);
    return out;
}

json_t *catsvc_export(db_conn *c)
{
    json_t *items = documents(c, "item"), *bundles = documents(c, "bundle");
    if (!items || !bundles) {
        json_decref(items);
        json_decref(bundles);
        return NULL;
    }
    return json_pack("{s:s,s:i,s:o,s:o}", "format", CATALOG_FORMAT, "format_version",
                     CATALOG_FORMAT_VERSION, "items", items, "bundles", bundles);
}

/* ------------------------------------------------------------ statistics */

static double share(int64_t part, int64_t whole)
{
    return whole ? (double)(part * 10000 / whole) / 10000.0 : 0.0;
}

json_t *catsvc_stats(db_conn *c, int64_t center_id, int64_t now)
{
    char today[WORKCAL_DATE_STRLEN];
    workcal_format(workcal_date_from_ms(now), today, sizeof(today));
    db_stmt *q = db_prepare(c, "SELECT COUNT(*) FROM items WHERE retired_at IS NULL");
    if (!q || db_step(q) != DB_ROW) {
        if (q)
            db_reset(q);
        return NULL;
    }
    int64_t items = db_col_int(q, 0);
    db_reset(q);
    json_t *docs = documents(c, "item");
    int64_t comp = catstore_comprehensive_items(c, center_id, today);
    if (!docs || comp < 0) {
        json_decref(docs);
        return NULL;
    }
    int64_t published = (int64_t)json_array_size(docs), materials = 0, no_submit = 0;
    size_t i, k;
    json_t *d, *m;
    json_array_foreach(docs, i, d) json_array_foreach(json_object_get(d, "materials"), k, m)
    {
        materials++;
        const char *src = json_string_value(json_object_get(m, "source"));
        no_submit += src && !strcmp(src, "government");
    }
    json_decref(docs);
    return json_pack("{s:I,s:I,s:I,s:I,s:f,s:I,s:I,s:f}", "center_id", (json_int_t)center_id,
                     "items", (json_int_t)items, "published", (json_int_t)published,
                     "comprehensive_items", (json_int_t)comp, "comprehensive_share",
                     share(comp, published), "materials", (json_int_t)materials,
                     "no_submit_materials", (json_int_t)no_submit, "no_submit_share",
                     share(no_submit, materials));
}

/* ------------------------------------------------------------ CSV */

static int check_catalog(json_t *doc, void *arg, cat_problems *out)
{
    return catsvc_check_catalog(arg, doc, out);
}

json_t *catsvc_csv_read(db_conn *c, const catalog_csv_file *files, int nfiles, cat_problems *out)
{
    return catalog_csv_read_placed(files, nfiles, check_catalog, c, out);
}

int catsvc_export_csv(db_conn *c, catalog_csv_file **files, int *nfiles)
{
    *files = NULL;
    *nfiles = 0;
    json_t *doc = catsvc_export(c);
    if (!doc)
        return YC_EDB;
    int rc = catalog_csv_write(doc, files, nfiles);
    json_decref(doc);
    return rc ? YC_EINVAL : 0;
}

/* ------------------------------------------------------------ command line */

typedef struct file_import {
    json_t *doc;                   /* JSON: the document; CSV: read in the transaction */
    const catalog_csv_file *files; /* CSV: the files (NULL for JSON) */
    int nfiles;
    cat_problems *problems;
    catsvc_import_result res;
} file_import;

static int file_import_tx(db_conn *tx, void *arg)
{
    file_import *f = arg;
    if (f->files) {
        f->doc = catsvc_csv_read(tx, f->files, f->nfiles, f->problems);
        if (!f->doc)
            return YC_EINVAL;
    } else if (catsvc_check_catalog(tx, f->doc, f->problems)) {
        return YC_EINVAL;
    }
    int rc = catsvc_import(tx, f->doc, true, 0, ytime_now_ms(), &f->res);
    if (rc)
        return rc;
    static const audit_actor cli = {"system", 0, "yichuang", "", 0, 0, ""};
    char summary[200];
    snprintf(summary, sizeof(summary),
             "命令行导入事项目录%s：新增%d项、更新%d项、未变%d项、一件事%d项",
             f->files ? "（CSV）" : "", f->res.created, f->res.updated, f->res.unchanged,
             f->res.bundles);
    return audit_append(tx, &cli, "catalog_import", "catalog", "", summary);
}

/* Run the import; on problems one line each (with file and line for CSV). */
static int run_file_import(store *st, file_import *f, const char *what, catsvc_import_result *res,
                           char **report)
{
    f->problems = xcalloc(1, sizeof(*f->problems));
    int rc = store_write_sync(st, file_import_tx, f);
    const cat_problems *p = f->problems;
    if (p->count || p->dropped) {
        ybuf b = {0};
        ybuf_printf(&b, "%s有%d处问题", what, p->count + p->dropped);
        if (p->dropped)
            ybuf_printf(&b, "（仅列出前%d处）", p->count);
        ybuf_adds(&b, "，未导入任何内容：\n");
        for (int i = 0; i < p->count; i++) {
            const cat_problem *x = &p->items[i];
            ybuf_adds(&b, " ");
            if (x->file[0])
                ybuf_printf(&b, " %s", x->file);
            if (x->line)
                ybuf_printf(&b, " 第%d行", x->line);
            if (x->where[0] && strcmp(x->where, x->file) != 0)
                ybuf_printf(&b, " %s", x->where);
            ybuf_printf(&b, " %s [%s] %s\n", x->field, x->rule, x->message);
        }
        *report = ybuf_detach(&b);
        rc = YC_EINVAL;
    } else if (rc) {
        *report = xasprintf("写入目录失败（详见日志）");
    }
    *res = f->res;
    free(f->problems);
    json_decref(f->doc);
    return rc;
}

int catsvc_import_file(store *st, const char *path, catsvc_import_result *res, char **report)
{
    json_error_t jerr;
    file_import f = {0};
    *report = NULL;
    memset(res, 0, sizeof(*res));
    f.doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!f.doc) {
        *report = xasprintf("无法读取目录文件 %s：第%d行 %s", path, jerr.line, jerr.text);
        return YC_EINVAL;
    }
    return run_file_import(st, &f, "目录文件", res, report);
}

static int read_text(const char *path, char **text, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    ybuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        ybuf_add(&b, chunk, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        ybuf_release(&b);
        return -1;
    }
    *len = b.len;
    *text = ybuf_detach(&b);
    return 0;
}

static int csv_name(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 4 && e->d_name[0] != '.' && !strcmp(e->d_name + n - 4, ".csv");
}

int catsvc_import_csv_dir(store *st, const char *dir, catsvc_import_result *res, char **report)
{
    *report = NULL;
    memset(res, 0, sizeof(*res));
    struct dirent **names = NULL;
    int n = scandir(dir, &names, csv_name, alphasort);
    if (n < 0) {
        *report = xasprintf("无法读取目录 %s", dir);
        return YC_EIO;
    }
    catalog_csv_file *files = xcalloc((size_t)n + 1, sizeof(*files));
    int nfiles = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, names[i]->d_name);
        struct stat sb;
        char *text = NULL;
        size_t len = 0;
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (read_text(path, &text, &len)) {
                if (!rc)
                    *report = xasprintf("无法读取文件 %s", path);
                rc = YC_EIO;
            } else {
                files[nfiles++] = (catalog_csv_file){xstrdup(names[i]->d_name), text, len};
            }
        }
        free(path);
        free(names[i]);
    }
    free(names);
    if (!rc && !nfiles) {
        *report =
            xasprintf("目录 %s 中没有CSV文件（应有 items.csv 等，见 docs/catalog-format.md）", dir);
        rc = YC_EINVAL;
    }
    if (!rc) {
        file_import f = {.files = files, .nfiles = nfiles};
        rc = run_file_import(st, &f, "目录CSV文件", res, report);
    }
    for (int i = 0; i < nfiles; i++) {
        free((char *)files[i].name);
        free((char *)files[i].text);
    }
    free(files);
    return rc;
}
