/*
 * catalog_io.c - the catalog as a whole (catalog_svc.h): import (all-or-nothing, applied
 * after catsvc_check_catalog), export of everything published, and per-center statistics.
 */
#include "core/workcal.h"
#include "service/catalog_svc.h"
#include "store/audit.h"
#include "store/catalog_store.h"
#include "util/err.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ------------------------------------------------------------ command line */

typedef struct file_import {
    json_t *doc;
    cat_problems *problems;
    catsvc_import_result res;
} file_import;

static int file_import_tx(db_conn *tx, void *arg)
{
    file_import *f = arg;
    if (catsvc_check_catalog(tx, f->doc, f->problems))
        return YC_EINVAL;
    int rc = catsvc_import(tx, f->doc, true, 0, ytime_now_ms(), &f->res);
    if (rc)
        return rc;
    static const audit_actor cli = {"system", 0, "yichuang", "", 0, 0, ""};
    char summary[200];
    snprintf(summary, sizeof(summary),
             "命令行导入事项目录：新增%d项、更新%d项、未变%d项、一件事%d项", f->res.created,
             f->res.updated, f->res.unchanged, f->res.bundles);
    return audit_append(tx, &cli, "catalog_import", "catalog", "", summary);
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
    f.problems = xcalloc(1, sizeof(*f.problems));
    int rc = store_write_sync(st, file_import_tx, &f);
    if (f.problems->count) {
        ybuf b = {0};
        ybuf_printf(&b, "目录文件有%d处问题，未导入任何内容：\n",
                    f.problems->count + f.problems->dropped);
        for (int i = 0; i < f.problems->count; i++) {
            const cat_problem *p = &f.problems->items[i];
            ybuf_printf(&b, "  %s %s [%s] %s\n", p->where, p->field, p->rule, p->message);
        }
        *report = ybuf_detach(&b);
        rc = YC_EINVAL;
    } else if (rc) {
        *report = xasprintf("写入目录失败（详见日志）");
    }
    *res = f.res;
    free(f.problems);
    json_decref(f.doc);
    return rc;
}
