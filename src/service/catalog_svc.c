/*
 * catalog_svc.c - see catalog_svc.h. Import and export live here too; statistics and
 * the search index are short enough to sit beside them.
 */
#include "service/catalog_svc.h"
#include "core/workcal.h"
#include "store/catalog_search.h"
#include "store/catalog_store.h"
#include "util/err.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ canonical form */

/* Every key any catalog object has, in the order documents are written. */
static const char *const key_order[] = {"format",
                                        "format_version",
                                        "basic_code",
                                        "impl_code",
                                        "handle_code",
                                        "code",
                                        "key",
                                        "name",
                                        "text",
                                        "q",
                                        "a",
                                        "label",
                                        "theme",
                                        "aliases",
                                        "keywords",
                                        "type_code",
                                        "level",
                                        "department",
                                        "lead_department",
                                        "co_departments",
                                        "domain",
                                        "service_object",
                                        "handling_forms",
                                        "case_kind",
                                        "statutory_limit",
                                        "promised_limit",
                                        "value",
                                        "unit",
                                        "conditions",
                                        "legal_basis",
                                        "steps",
                                        "share",
                                        "role",
                                        "special_procedures",
                                        "max_days",
                                        "visits",
                                        "cross_region",
                                        "result",
                                        "fees",
                                        "amount_fen",
                                        "basis",
                                        "place",
                                        "hours",
                                        "consult_phone",
                                        "complaint_phone",
                                        "faq",
                                        "materials",
                                        "kind",
                                        "form",
                                        "count",
                                        "requirement",
                                        "source",
                                        "standard",
                                        "blank_form",
                                        "sample",
                                        "mistakes",
                                        "always",
                                        "situations",
                                        "start",
                                        "questions",
                                        "options",
                                        "next",
                                        "items",
                                        "form_fields",
                                        "output",
                                        "description",
                                        "bundles",
                                        NULL};

static int rank_of(const char *k)
{
    for (int i = 0; key_order[i]; i++)
        if (!strcmp(key_order[i], k))
            return i;
    return 1000;
}

static int cmp_keys(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int rx = rank_of(x), ry = rank_of(y);
    return rx != ry ? rx - ry : strcmp(x, y);
}

json_t *catsvc_canonical(json_t *doc)
{
    if (json_is_array(doc)) {
        json_t *a = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(doc, i, v) json_array_append_new(a, catsvc_canonical(v));
        return a;
    }
    if (!json_is_object(doc))
        return json_deep_copy(doc);
    size_t n = json_object_size(doc), i = 0;
    const char **keys = xcalloc(n ? n : 1, sizeof(*keys));
    const char *k;
    json_t *v;
    json_object_foreach(doc, k, v) keys[i++] = k;
    qsort(keys, n, sizeof(*keys), cmp_keys);
    json_t *o = json_object();
    for (i = 0; i < n; i++)
        json_object_set_new(o, keys[i], catsvc_canonical(json_object_get(doc, keys[i])));
    free(keys);
    return o;
}

char *catsvc_text(json_t *doc)
{
    json_t *c = catsvc_canonical(doc);
    char *s = json_dumps(c, JSON_COMPACT);
    json_decref(c);
    if (!s)
        abort();
    return s;
}

json_t *catsvc_parse(const char *text)
{
    return json_loads(text ? text : "", JSON_REJECT_DUPLICATES, NULL);
}

/* ------------------------------------------------------------ checks */

bool catsvc_department_exists(void *db, const char *name)
{
    return catstore_department_id(db, name) != 0;
}

int catsvc_check_item(db_conn *c, json_t *doc, cat_problems *out)
{
    return catalog_check_item(doc, "", -1, catsvc_department_exists, c, out);
}

static bool published_item(void *db, const char *code)
{
    json_t *it = catstore_item_by_code(db, code);
    bool ok = false;
    if (it && json_is_null(json_object_get(it, "retired_at"))) {
        json_t *p = catstore_published(db, json_integer_value(json_object_get(it, "id")));
        ok = p != NULL;
        json_decref(p);
    }
    json_decref(it);
    return ok;
}

typedef struct bundle_ctx {
    db_conn *db;
    json_t *codes; /* basic codes in the file being imported, or NULL */
} bundle_ctx;

static bool bundle_dept(void *arg, const char *name)
{
    return catsvc_department_exists(((bundle_ctx *)arg)->db, name);
}

static bool bundle_item(void *arg, const char *code)
{
    bundle_ctx *b = arg;
    return (b->codes && json_object_get(b->codes, code)) || published_item(b->db, code);
}

int catsvc_check_bundle(db_conn *c, json_t *doc, cat_problems *out)
{
    bundle_ctx b = {c, NULL};
    return catalog_check_bundle(doc, "", -1, bundle_dept, bundle_item, &b, out);
}

json_t *catsvc_invalid_body(const cat_problems *p, const char *file)
{
    json_t *list = json_array();
    for (int i = 0; i < p->count; i++) {
        const cat_problem *x = &p->items[i];
        json_t *o = json_object();
        if (file)
            json_object_set_new(o, "file", json_string(file));
        json_object_set_new(o, "where", json_string(x->where));
        json_object_set_new(o, "field", json_string(x->field));
        json_object_set_new(o, "rule", json_string(x->rule));
        json_object_set_new(o, "message", json_string(x->message));
        json_array_append_new(list, o);
    }
    char msg[200];
    if (p->dropped)
        snprintf(msg, sizeof(msg), "目录数据有%d处问题（仅列出前%d处），未保存任何内容",
                 p->count + p->dropped, p->count);
    else
        snprintf(msg, sizeof(msg), "目录数据有%d处问题，未保存任何内容", p->count);
    const char *field = p->count ? p->items[0].field : "";
    return json_pack("{s:s,s:s,s:s,s:o}", "code", "CATALOG_INVALID", "message", msg, "field", field,
                     "problems", list);
}

static void problem(cat_problems *out, const char *where, const char *field, const char *rule,
                    int index, const char *msg)
{
    if (out->count >= CAT_MAX_PROBLEMS) {
        out->dropped++;
        return;
    }
    cat_problem *p = &out->items[out->count++];
    ystrlcpy(p->where, where, sizeof(p->where));
    ystrlcpy(p->field, field, sizeof(p->field));
    p->rule = rule;
    p->item_index = index;
    ystrlcpy(p->message, msg, sizeof(p->message));
}

/* Codes repeated across the file: field of each element of arr. */
static void check_unique(cat_problems *out, json_t *arr, const char *arr_name, const char *field,
                         const char *label, json_t *seen)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *code = json_string_value(json_object_get(v, field));
        if (!code || !*code)
            continue;
        char where[64], msg[200];
        snprintf(where, sizeof(where), "%s[%zu]", arr_name, i);
        json_t *first = json_object_get(seen, code);
        if (first) {
            snprintf(msg, sizeof(msg), "%s“%s”与%s[%lld]重复", label, code, arr_name,
                     (long long)json_integer_value(first));
            problem(out, where, field, "DUPLICATE", (int)i, msg);
        } else {
            json_object_set_new(seen, code, json_integer((json_int_t)i));
        }
    }
}

int catsvc_check_catalog(db_conn *c, json_t *doc, cat_problems *out)
{
    int before = out->count + out->dropped;
    if (!json_is_object(doc)) {
        problem(out, "", "", "TYPE", -1, "目录文件应为JSON对象");
        return 1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(doc, k, v)
    {
        if (strcmp(k, "format") && strcmp(k, "format_version") && strcmp(k, "items") &&
            strcmp(k, "bundles")) {
            char msg[160];
            snprintf(msg, sizeof(msg), "不认识的字段“%s”", k);
            problem(out, "", k, "UNKNOWN_FIELD", -1, msg);
        }
    }
    const char *format = json_string_value(json_object_get(doc, "format"));
    if (!format || strcmp(format, CATALOG_FORMAT))
        problem(out, "", "format", "FORMAT", -1, "format应为“" CATALOG_FORMAT "”");
    if (json_integer_value(json_object_get(doc, "format_version")) != CATALOG_FORMAT_VERSION ||
        !json_is_integer(json_object_get(doc, "format_version")))
        problem(out, "", "format_version", "ENUM", -1, "format_version应为1");
    json_t *items = json_object_get(doc, "items");
    json_t *bundles = json_object_get(doc, "bundles");
    if (!json_is_array(items))
        problem(out, "", "items", items ? "TYPE" : "REQUIRED", -1, "items应为事项数组");
    if (bundles && !json_is_array(bundles))
        problem(out, "", "bundles", "TYPE", -1, "bundles应为一件事数组");
    size_t i;
    json_t *it;
    json_t *codes = json_object(), *impl = json_object(), *bcodes = json_object();
    json_array_foreach(items, i, it)
    {
        char where[64];
        snprintf(where, sizeof(where), "items[%zu]", i);
        catalog_check_item(it, where, (int)i, catsvc_department_exists, c, out);
        /* An import publishes directly: an item with a version under review would be
         * overtaken by it. */
        const char *code = json_string_value(json_object_get(it, "basic_code"));
        json_t *row = code ? catstore_item_by_code(c, code) : NULL;
        int open =
            row ? catstore_open_version(c, json_integer_value(json_object_get(row, "id"))) : 0;
        json_decref(row);
        if (open) {
            char msg[200];
            snprintf(msg, sizeof(msg), "事项“%s”有未完成的第%d版（草稿或审核中），请先处理", code,
                     open);
            problem(out, where, "basic_code", "STATE", (int)i, msg);
        }
    }
    check_unique(out, items, "items", "basic_code", "基本编码", codes);
    check_unique(out, items, "items", "impl_code", "实施编码", impl);
    check_unique(out, bundles, "bundles", "code", "一件事编码", bcodes);
    bundle_ctx b = {c, codes};
    json_array_foreach(bundles, i, it)
    {
        char where[64];
        snprintf(where, sizeof(where), "bundles[%zu]", i);
        catalog_check_bundle(it, where, (int)i, bundle_dept, bundle_item, &b, out);
    }
    json_decref(codes);
    json_decref(impl);
    json_decref(bcodes);
    return out->count + out->dropped - before;
}

/* ------------------------------------------------------------ versions */

void catsvc_meta_of(db_conn *c, json_t *doc, catsvc_meta *m)
{
    m->name = json_string_value(json_object_get(doc, "name"));
    m->domain = json_string_value(json_object_get(doc, "domain"));
    m->type_code = json_string_value(json_object_get(doc, "type_code"));
    m->case_kind = json_string_value(json_object_get(doc, "case_kind"));
    m->department_id =
        catstore_department_id(c, json_string_value(json_object_get(doc, "department")));
}

/* "a b c" of an array of strings. */
static void join_strings(ybuf *b, json_t *a)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v)) {
            ybuf_adds(b, json_string_value(v));
            ybuf_addc(b, ' ');
        }
    }
}

static void dept_names(db_conn *c, const char *name, char *full, char *shortn, size_t size)
{
    int64_t id = catstore_department_id(c, name);
    full[0] = shortn[0] = '\0';
    db_stmt *q = db_prepare(c, "SELECT name, short_name FROM departments WHERE id = $1");
    if (!q)
        return;
    db_bind_int(q, 1, id);
    if (db_step(q) == DB_ROW) {
        ystrlcpy(full, db_col_text(q, 0), size);
        ystrlcpy(shortn, db_col_text(q, 1), size);
    }
    db_reset(q);
}

static int index_item(db_conn *tx, json_t *doc)
{
    char full[128], shortn[128], summary[200];
    dept_names(tx, json_string_value(json_object_get(doc, "department")), full, shortn,
               sizeof(full));
    ybuf objects = {0}, aliases = {0}, body = {0};
    ybuf_addc(&objects, '|');
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "service_object"), i, v)
        ybuf_printf(&objects, "%s|", json_string_value(v) ?: "");
    join_strings(&aliases, json_object_get(doc, "aliases"));
    join_strings(&aliases, json_object_get(doc, "keywords"));
    json_array_foreach(json_object_get(doc, "materials"), i, v)
        ybuf_printf(&body, "%s ", json_string_value(json_object_get(v, "name")) ?: "");
    json_array_foreach(json_object_get(doc, "faq"), i, v)
        ybuf_printf(&body, "%s %s ", json_string_value(json_object_get(v, "q")) ?: "",
                    json_string_value(json_object_get(v, "a")) ?: "");
    const char *kind = json_string_value(json_object_get(doc, "case_kind"));
    json_t *lim = json_object_get(doc, "promised_limit");
    const char *type = catalog_type_name(json_string_value(json_object_get(doc, "type_code")));
    if (kind && !strcmp(kind, "promise"))
        snprintf(summary, sizeof(summary), "%s · 承诺件 · 承诺%lld%s", type ? type : "",
                 (long long)json_integer_value(json_object_get(lim, "value")),
                 catalog_label("unit", json_string_value(json_object_get(lim, "unit"))) ?: "");
    else
        snprintf(summary, sizeof(summary), "%s · 即办件", type ? type : "");
    catsearch_doc d = {"item",
                       json_string_value(json_object_get(doc, "basic_code")),
                       full,
                       shortn,
                       json_string_value(json_object_get(doc, "domain")),
                       json_string_value(json_object_get(doc, "level")),
                       objects.data,
                       summary,
                       json_string_value(json_object_get(doc, "name")),
                       aliases.data,
                       body.data};
    int rc = catsearch_put(tx, &d);
    ybuf_release(&objects);
    ybuf_release(&aliases);
    ybuf_release(&body);
    return rc;
}

/* The published document of a member item, or NULL. */
static json_t *member_doc(db_conn *c, const char *code)
{
    json_t *it = catstore_item_by_code(c, code);
    json_t *p = it ? catstore_published(c, json_integer_value(json_object_get(it, "id"))) : NULL;
    json_t *doc = p ? catsvc_parse(json_string_value(json_object_get(p, "document"))) : NULL;
    json_decref(it);
    json_decref(p);
    return doc;
}

int catsvc_index_bundle(db_conn *tx, json_t *bundle)
{
    char full[128], shortn[128], summary[200];
    dept_names(tx, json_string_value(json_object_get(bundle, "lead_department")), full, shortn,
               sizeof(full));
    ybuf objects = {0}, aliases = {0}, body = {0};
    ybuf_addc(&objects, '|');
    char domain[64] = "", level[64] = "";
    size_t i, k;
    json_t *code, *v;
    json_array_foreach(json_object_get(bundle, "items"), i, code)
    {
        json_t *doc = member_doc(tx, json_string_value(code));
        if (!doc)
            continue;
        if (!domain[0]) {
            ystrlcpy(domain, json_string_value(json_object_get(doc, "domain")) ?: "",
                     sizeof(domain));
            ystrlcpy(level, json_string_value(json_object_get(doc, "level")) ?: "", sizeof(level));
        }
        json_array_foreach(json_object_get(doc, "service_object"), k, v)
        {
            char probe[64];
            snprintf(probe, sizeof(probe), "|%s|", json_string_value(v) ?: "");
            if (!strstr(objects.data, probe))
                ybuf_printf(&objects, "%s|", json_string_value(v) ?: "");
        }
        ybuf_printf(&body, "%s ", json_string_value(json_object_get(doc, "name")) ?: "");
        json_decref(doc);
    }
    join_strings(&aliases, json_object_get(bundle, "aliases"));
    join_strings(&aliases, json_object_get(bundle, "keywords"));
    ybuf_printf(&aliases, "%s", json_string_value(json_object_get(bundle, "theme")) ?: "");
    ybuf_printf(&body, "%s", json_string_value(json_object_get(bundle, "description")) ?: "");
    json_t *lim = json_object_get(bundle, "promised_limit");
    snprintf(summary, sizeof(summary), "一件事 · 含%zu个事项 · 承诺%lld%s",
             json_array_size(json_object_get(bundle, "items")),
             (long long)json_integer_value(json_object_get(lim, "value")),
             catalog_label("unit", json_string_value(json_object_get(lim, "unit"))) ?: "");
    catsearch_doc d = {"bundle",
                       json_string_value(json_object_get(bundle, "code")),
                       full,
                       shortn,
                       domain,
                       level,
                       objects.data,
                       summary,
                       json_string_value(json_object_get(bundle, "name")),
                       aliases.data,
                       body.data};
    int rc = catsearch_put(tx, &d);
    ybuf_release(&objects);
    ybuf_release(&aliases);
    ybuf_release(&body);
    return rc;
}

int catsvc_publish(db_conn *tx, int64_t item_id, int version, const char *from, int64_t user,
                   int64_t now)
{
    json_t *v = catstore_version(tx, item_id, version);
    if (!v)
        return YC_ENOTFOUND;
    if (strcmp(json_string_value(json_object_get(v, "status")), from)) {
        json_decref(v);
        return YC_ECONFLICT;
    }
    json_t *old = catstore_published(tx, item_id);
    int rc = 0;
    if (old)
        rc = catstore_version_move(tx, item_id,
                                   (int)json_integer_value(json_object_get(old, "version")),
                                   "published", "retired", NULL, user, now);
    json_decref(old);
    if (!rc)
        rc = catstore_version_move(tx, item_id, version, from, "published", NULL, user, now);
    json_t *doc = catsvc_parse(json_string_value(json_object_get(v, "document")));
    if (!rc)
        rc = catstore_item_touch(tx, item_id, json_string_value(json_object_get(v, "name")),
                                 json_integer_value(json_object_get(v, "department_id")), 0, now);
    if (!rc)
        rc = doc ? index_item(tx, doc) : YC_EDB;
    json_decref(doc);
    json_decref(v);
    return rc;
}

int catsvc_retire(db_conn *tx, int64_t item_id, const char *note, int64_t user, int64_t now)
{
    json_t *p = catstore_published(tx, item_id);
    if (!p)
        return YC_ECONFLICT;
    int rc =
        catstore_version_move(tx, item_id, (int)json_integer_value(json_object_get(p, "version")),
                              "published", "retired", note, user, now);
    json_decref(p);
    if (!rc)
        rc = catstore_item_touch(tx, item_id, NULL, 0, 1, now);
    db_stmt *q = db_prepare(tx, "SELECT basic_code FROM items WHERE id = $1");
    if (!rc && q) {
        db_bind_int(q, 1, item_id);
        char code[64] = "";
        if (db_step(q) == DB_ROW)
            ystrlcpy(code, db_col_text(q, 0), sizeof(code));
        db_reset(q);
        rc = catsearch_del(tx, "item", code);
    }
    return rc;
}

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
