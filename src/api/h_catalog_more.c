/*
 * h_catalog_more.c - the rest of the catalog API: 一件事 bundles, whole-catalog import
 * (all-or-nothing, every problem listed) and export, as JSON or as CSV files, dynamic adjustment
 * requests with their 5 / 10 working-day deadlines, and the per-center statistics.
 */
#include "api/h_catalog.h"
#include "service/calendar.h"
#include "service/catalog_svc.h"
#include "store/catalog_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct more_ctx {
    json_t *doc;
    char code[64];
    int64_t id;
    bool apply;
    json_t *body;            /* CSV import: the body the files point into */
    catalog_csv_file *files; /* CSV import: read again inside the transaction */
    int nfiles;
} more_ctx;

static void more_ctx_free(void *p)
{
    more_ctx *c = p;
    json_decref(c->doc);
    json_decref(c->body);
    free(c->files);
    free(c);
}

static more_ctx *ctx_new(json_t *doc, const char *code, int64_t id)
{
    more_ctx *c = xcalloc(1, sizeof(*c));
    c->doc = doc;
    ystrlcpy(c->code, code ? code : "", sizeof(c->code));
    c->id = id;
    return c;
}

/* ------------------------------------------------------------ bundles */

void h_catalog_bundles_list(api_req *r)
{
    json_t *items = catstore_bundles_list(api_db(r));
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_times(json_pack("{s:o}", "items", items)));
}

void h_catalog_bundle_get(api_req *r)
{
    const char *code = api_param(r, 0);
    json_t *b = catstore_bundle_by_code(api_db(r), code);
    if (!b) {
        api_fail(r, 404, "BUNDLE_NOT_FOUND", "", "一件事“%s”不存在", code);
        return;
    }
    int64_t id = json_integer_value(json_object_get(b, "id"));
    json_t *versions = catstore_bundle_versions(api_db(r), id);
    json_t *pub = catstore_bundle_published(api_db(r), id);
    json_t *doc = pub ? catsvc_parse(json_string_value(json_object_get(pub, "document"))) : NULL;
    json_decref(pub);
    json_object_del(b, "id");
    json_object_set_new(b, "versions", versions ? versions : json_array());
    json_object_set_new(b, "published", doc ? doc : json_null());
    api_reply_json(r, 200, api_times(b));
}

static int bundle_tx(db_conn *tx, api_req *r, void *arg)
{
    more_ctx *c = arg;
    char *text = catsvc_text(c->doc);
    int version = 0;
    int rc = catstore_bundle_put(tx, c->code, json_string_value(json_object_get(c->doc, "name")),
                                 text, api_who(r)->id, ytime_now_ms(), &version);
    free(text);
    if (!rc)
        rc = catsvc_index_bundle(tx, c->doc);
    char summary[200];
    snprintf(summary, sizeof(summary), "发布一件事%s第%d版", c->code, version);
    if (!rc)
        rc = cat_log(tx, r, "catalog_bundle_publish", "bundle", c->code, summary);
    if (rc)
        return rc;
    api_reply_json(
        r, 200,
        json_pack("{s:s,s:i,s:s}", "code", c->code, "version", version, "status", "published"));
    return 0;
}

void h_catalog_bundle_put(api_req *r)
{
    const char *code = api_param(r, 0);
    json_t *doc;
    if (cat_doc_body(r, &doc))
        return;
    if (cat_check_doc(r, doc, false, code)) {
        json_decref(doc);
        return;
    }
    if (!cat_is_manager(r)) {
        json_decref(doc);
        api_fail(r, 403, "CATALOG_FORBIDDEN", "", "只有县级中心管理员可以发布一件事");
        return;
    }
    api_write(r, bundle_tx, ctx_new(doc, code, 0), more_ctx_free);
}

/* ------------------------------------------------------------ import, export */

static json_t *import_answer(const catsvc_import_result *res, bool dry_run)
{
    return json_pack("{s:i,s:i,s:i,s:i,s:b}", "items_created", res->created, "items_updated",
                     res->updated, "items_unchanged", res->unchanged, "bundles", res->bundles,
                     "dry_run", dry_run);
}

static int import_tx(db_conn *tx, api_req *r, void *arg)
{
    more_ctx *c = arg;
    /* Checked again inside the transaction: what the check read may have changed. CSV
     * files are read again so that problems keep their file and line. */
    cat_problems *p = xcalloc(1, sizeof(*p));
    if (c->files) {
        json_decref(c->doc);
        c->doc = catsvc_csv_read(tx, c->files, c->nfiles, p);
    }
    if (!c->doc || (!c->files && catsvc_check_catalog(tx, c->doc, p))) {
        api_reply_json(r, 400, catsvc_invalid_body(p, NULL));
        free(p);
        return YC_EINVAL;
    }
    free(p);
    catsvc_import_result res;
    int rc = catsvc_import(tx, c->doc, true, api_who(r)->id, ytime_now_ms(), &res);
    char summary[200];
    snprintf(summary, sizeof(summary), "导入事项目录%s：新增%d项、更新%d项、未变%d项、一件事%d项",
             c->files ? "（CSV）" : "", res.created, res.updated, res.unchanged, res.bundles);
    if (!rc)
        rc = cat_log(tx, r, "catalog_import", "catalog", "", summary);
    if (rc)
        return rc;
    api_reply_json(r, 200, import_answer(&res, false));
    return 0;
}

/* Answer a checked catalog: counted on a dry run, else applied by import_tx. Takes c. */
static void import_checked(api_req *r, more_ctx *c)
{
    const char *dry = api_query(r, "dry_run");
    if (dry && !strcmp(dry, "1")) {
        catsvc_import_result res;
        int rc = catsvc_import(api_db(r), c->doc, false, 0, 0, &res);
        more_ctx_free(c);
        if (rc)
            api_fail_db(r);
        else
            api_reply_json(r, 200, import_answer(&res, true));
        return;
    }
    api_write(r, import_tx, c, more_ctx_free);
}

void h_catalog_import(api_req *r)
{
    json_t *doc;
    if (cat_doc_body(r, &doc))
        return;
    cat_problems *p = xcalloc(1, sizeof(*p));
    int n = catsvc_check_catalog(api_db(r), doc, p);
    if (n) {
        json_decref(doc);
        api_reply_json(r, 400, catsvc_invalid_body(p, NULL));
        free(p);
        return;
    }
    free(p);
    import_checked(r, ctx_new(doc, NULL, 0));
}

void h_catalog_import_csv(api_req *r)
{
    static const jfield spec[] = {
        {"files", JF_OBJECT, true, 0, 0, "CSV文件"},
        {0},
    };
    json_t *body;
    if (api_body(r, spec, &body))
        return;
    json_t *files = json_object_get(body, "files");
    size_t n = json_object_size(files);
    if (!n) {
        json_decref(body);
        api_fail(r, 400, "FIELD_REQUIRED", "files", "请至少提供一个CSV文件（如 items.csv）");
        return;
    }
    more_ctx *c = ctx_new(NULL, NULL, 0);
    c->body = body;
    c->files = xcalloc(n, sizeof(*c->files));
    const char *name;
    json_t *text;
    json_object_foreach(files, name, text)
    {
        if (!json_is_string(text)) {
            char field[160];
            snprintf(field, sizeof(field), "files.%s", name);
            api_fail(r, 400, "FIELD_TYPE", field, "files中“%s”的内容应为CSV文本（字符串）", name);
            more_ctx_free(c);
            return;
        }
        c->files[c->nfiles++] =
            (catalog_csv_file){name, json_string_value(text), json_string_length(text)};
    }
    cat_problems *p = xcalloc(1, sizeof(*p));
    c->doc = catsvc_csv_read(api_db(r), c->files, c->nfiles, p);
    if (!c->doc) {
        more_ctx_free(c);
        api_reply_json(r, 400, catsvc_invalid_body(p, NULL));
        free(p);
        return;
    }
    free(p);
    import_checked(r, c);
}

void h_catalog_export(api_req *r)
{
    json_t *doc = catsvc_export(api_db(r));
    if (!doc) {
        api_fail_db(r);
        return;
    }
    char *text = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    if (!text) {
        api_fail_db(r);
        return;
    }
    size_t len = strlen(text);
    char *body = xrealloc(text, len + 2);
    body[len] = '\n';
    body[len + 1] = '\0';
    api_reply_raw(r, 200, "application/json", body, len + 1);
}

void h_catalog_export_csv(api_req *r)
{
    catalog_csv_file *files;
    int n;
    int rc = catsvc_export_csv(api_db(r), &files, &n);
    if (rc == YC_EINVAL) {
        api_fail(r, 409, "CATALOG_NOT_CSV", "",
                 "目录中有CSV无法原样表示的内容（如列表项含分号），请改用JSON导出");
        return;
    }
    if (rc) {
        api_fail_db(r);
        return;
    }
    json_t *out = json_object();
    for (int i = 0; i < n; i++)
        json_object_set_new(out, files[i].name, json_stringn(files[i].text, files[i].len));
    catalog_csv_files_free(files, n);
    api_reply_json(r, 200, json_pack("{s:o}", "files", out));
}

/* ------------------------------------------------------------ adjustments */

/* Add the working days left to the next deadline, and whether it has passed. */
static void adjustment_view(json_t *row, const workcal *cal, workcal_date today)
{
    const char *st = json_string_value(json_object_get(row, "status"));
    if (!strcmp(st, "done")) {
        json_object_set_new(row, "overdue", json_false());
        json_object_set_new(row, "days_left", json_null());
        return;
    }
    const char *due =
        json_string_value(json_object_get(row, !strcmp(st, "open") ? "report_due" : "publish_due"));
    workcal_date d = today;
    int left = 0;
    if (workcal_parse(due, &d) || workcal_working_days_between(cal, today, d, &left))
        left = 0;
    json_object_set_new(row, "next_due", json_string(due));
    json_object_set_new(row, "days_left", json_integer(left));
    json_object_set_new(row, "overdue", json_boolean(d < today));
}

void h_catalog_adjustments_list(api_req *r)
{
    const char *status = api_query(r, "status");
    json_t *rows = catstore_adjustments_list(api_db(r), status);
    workcal *cal = calendar_load(api_db(r), 0);
    if (!rows || !cal) {
        json_decref(rows);
        workcal_free(cal);
        api_fail_db(r);
        return;
    }
    workcal_date today = workcal_date_from_ms(ytime_now_ms());
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *d = json_object_get(row, "department_id");
        if (!cat_is_manager(r) && (!json_is_integer(d) || !cat_may_dept(r, json_integer_value(d))))
            continue;
        adjustment_view(row, cal, today);
        json_array_append(out, row);
    }
    workcal_free(cal);
    json_decref(rows);
    api_reply_json(r, 200, api_times(json_pack("{s:o}", "items", out)));
}

static int adjustment_reply(db_conn *tx, api_req *r, int64_t id, int status)
{
    json_t *row = catstore_adjustment_get(tx, id);
    workcal *cal = calendar_load(tx, 0);
    if (!row || !cal) {
        json_decref(row);
        workcal_free(cal);
        return YC_EDB;
    }
    adjustment_view(row, cal, workcal_date_from_ms(ytime_now_ms()));
    workcal_free(cal);
    api_reply_json(r, status, api_times(row));
    return 0;
}

static int adjustment_create_tx(db_conn *tx, api_req *r, void *arg)
{
    more_ctx *c = arg;
    int64_t id;
    int rc = catstore_adjustment_insert(tx, c->doc, api_who(r)->id, ytime_now_ms(), &id);
    char summary[400], idtext[32];
    snprintf(summary, sizeof(summary), "登记事项%s动态调整：%s（%s发布）", c->code,
             json_string_value(json_object_get(c->doc, "rule_title")),
             json_string_value(json_object_get(c->doc, "rule_published_on")));
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    if (!rc)
        rc = cat_log(tx, r, "catalog_adjustment_create", "adjustment", idtext, summary);
    return rc ? rc : adjustment_reply(tx, r, id, 201);
}

void h_catalog_adjustments_create(api_req *r)
{
    static const jfield spec[] = {
        {"basic_code", JF_STRING, true, 1, 12, "基本编码"},
        {"kind", JF_STRING, true, 1, 10, "调整类型"},
        {"rule_title", JF_STRING, true, 1, 200, "依据文件"},
        {"rule_published_on", JF_STRING, true, 10, 10, "文件发布日期"},
        {"department", JF_STRING, false, 1, 64, "实施部门"},
        {"note", JF_STRING, false, 0, 500, "说明"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    const char *kind = json_string_value(json_object_get(in, "kind"));
    const char *code = json_string_value(json_object_get(in, "basic_code"));
    workcal_date on, rdue, pdue;
    if (strcmp(kind, "add") && strcmp(kind, "change") && strcmp(kind, "remove")) {
        json_decref(in);
        api_fail(r, 400, "FIELD_ENUM", "kind",
                 "调整类型应为add（新增）、change（变更）或remove（取消）");
        return;
    }
    if (workcal_parse(json_string_value(json_object_get(in, "rule_published_on")), &on)) {
        json_decref(in);
        api_fail(r, 400, "FIELD_FORMAT", "rule_published_on",
                 "文件发布日期应为YYYY-MM-DD格式的有效日期");
        return;
    }
    json_t *it = catstore_item_by_code(api_db(r), code);
    int64_t dept = it ? json_integer_value(json_object_get(it, "department_id")) : 0;
    json_decref(it);
    if (!it && strcmp(kind, "add")) {
        json_decref(in);
        api_fail(r, 404, "ITEM_NOT_FOUND", "basic_code", "事项“%s”不存在", code);
        return;
    }
    const char *dname = json_string_value(json_object_get(in, "department"));
    if (!dept && dname && !(dept = catstore_department_id(api_db(r), dname))) {
        json_decref(in);
        api_fail(r, 404, "DEPARTMENT_NOT_FOUND", "department", "部门“%s”不存在", dname);
        return;
    }
    if (!(dept ? cat_may_dept(r, dept) : cat_is_manager(r))) {
        json_decref(in);
        api_fail(r, 403, "CATALOG_FORBIDDEN", "basic_code", "您只能登记本部门事项的调整");
        return;
    }
    workcal *cal = calendar_load(api_db(r), 0);
    if (!cal) {
        json_decref(in);
        api_fail_db(r);
        return;
    }
    int bad =
        workcal_add_working_days(cal, on, 5, &rdue) || workcal_add_working_days(cal, on, 10, &pdue);
    workcal_free(cal);
    if (bad) {
        json_decref(in);
        api_fail(r, 400, "FIELD_RANGE", "rule_published_on", "文件发布日期超出工作日历范围");
        return;
    }
    char a[WORKCAL_DATE_STRLEN], b[WORKCAL_DATE_STRLEN];
    workcal_format(rdue, a, sizeof(a));
    workcal_format(pdue, b, sizeof(b));
    json_object_set_new(in, "report_due", json_string(a));
    json_object_set_new(in, "publish_due", json_string(b));
    if (dept)
        json_object_set_new(in, "department_id", json_integer(dept));
    api_write(r, adjustment_create_tx, ctx_new(in, code, 0), more_ctx_free);
}

static int adjustment_move_tx(db_conn *tx, api_req *r, void *arg)
{
    more_ctx *c = arg;
    const char *to = c->code;
    int rc = catstore_adjustment_move(tx, c->id, to, api_who(r)->id, ytime_now_ms());
    if (rc == YC_ECONFLICT) {
        api_fail(r, 409, "ADJUSTMENT_STATE", "", "该调整已%s",
                 !strcmp(to, "done") ? "办结" : "上报或办结");
        return rc;
    }
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)c->id);
    if (!rc)
        rc = cat_log(tx, r,
                     !strcmp(to, "done") ? "catalog_adjustment_done" : "catalog_adjustment_report",
                     "adjustment", idtext,
                     !strcmp(to, "done") ? "动态调整已发布办结" : "部门已上报动态调整");
    return rc ? rc : adjustment_reply(tx, r, c->id, 200);
}

static void adjustment_move(api_req *r, const char *to)
{
    static const jfield empty[] = {{0}};
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id))
        return;
    json_t *row = catstore_adjustment_get(api_db(r), id);
    if (!row) {
        api_fail(r, 404, "ADJUSTMENT_NOT_FOUND", "", "动态调整记录不存在");
        return;
    }
    json_t *d = json_object_get(row, "department_id");
    bool ok = !strcmp(to, "done")  ? cat_is_manager(r)
              : json_is_integer(d) ? cat_may_dept(r, json_integer_value(d))
                                   : cat_is_manager(r);
    json_decref(row);
    if (api_body(r, empty, &in))
        return;
    json_decref(in);
    if (!ok) {
        api_fail(r, 403, "CATALOG_FORBIDDEN", "", "您不能处理该动态调整");
        return;
    }
    api_write(r, adjustment_move_tx, ctx_new(NULL, to, id), more_ctx_free);
}

void h_catalog_adjustment_report(api_req *r)
{
    adjustment_move(r, "reported");
}

void h_catalog_adjustment_done(api_req *r)
{
    adjustment_move(r, "done");
}

/* ------------------------------------------------------------ statistics */

void h_catalog_stats(api_req *r)
{
    const char *cid = api_query(r, "center_id");
    int64_t center_id;
    char path[CENTER_PATH_MAX];
    if (!cid || yparse_i64(cid, 1, INT64_MAX, &center_id)) {
        api_fail(r, 400, "FIELD_REQUIRED", "center_id", "请指定中心（center_id，正整数）");
        return;
    }
    if (api_need_center(r, ROLE_ADMIN | ROLE_MANAGER | ROLE_SUPERVISOR, center_id, path,
                        sizeof(path), "center_id"))
        return;
    json_t *s = catsvc_stats(api_db(r), center_id, ytime_now_ms());
    if (!s) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, s);
}
