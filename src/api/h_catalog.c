/*
 * h_catalog.c - the item catalog's items and their versions: list, create, read, new
 * versions, edits of a draft, and the review workflow (submit by the department,
 * approve and publish by the center, reject back to draft, retire). Bundles, import,
 * export, adjustments and statistics are in h_catalog_more.c.
 */
#include "api/h_catalog.h"
#include "service/catalog_svc.h"
#include "store/catalog_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

/* ------------------------------------------------------------ shared helpers */

bool cat_is_manager(api_req *r)
{
    return (api_who(r)->role_mask & MANAGERS) && api_root_scope(r, MANAGERS);
}

bool cat_may_dept(api_req *r, int64_t department_id)
{
    if (cat_is_manager(r))
        return true;
    const principal *p = api_who(r);
    for (int i = 0; i < p->nroles; i++)
        if ((p->roles[i].role & (ROLE_CHIEF_REP | ROLE_REVIEWER)) &&
            p->roles[i].department_id == department_id)
            return true;
    return false;
}

int cat_doc_body(api_req *r, json_t **out)
{
    const ybuf *b = api_body_raw(r);
    if (!b->len) {
        api_fail(r, 400, "BODY_REQUIRED", "", "请求体不能为空，应为JSON对象");
        return -1;
    }
    const char *ct = api_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
        api_fail(r, 415, "CONTENT_TYPE", "", "请求体应为JSON（Content-Type: application/json）");
        return -1;
    }
    json_error_t jerr;
    json_t *o = json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!o) {
        api_fail(r, 400, "BAD_JSON", "", "请求体不是有效的JSON（第%d行第%d列：%s）", jerr.line,
                 jerr.column, jerr.text);
        return -1;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        api_fail(r, 400, "BODY_NOT_OBJECT", "", "请求体应为JSON对象");
        return -1;
    }
    *out = o;
    return 0;
}

int cat_log(db_conn *tx, api_req *r, const char *action, const char *type, const char *id,
            const char *summary)
{
    audit_actor a;
    api_actor(r, 0, 0, &a);
    a.role = api_role_code(r, ROLE_STAFF);
    return audit_append(tx, &a, action, type, id, summary);
}

int cat_check_doc(api_req *r, json_t *doc, bool item, const char *want)
{
    cat_problems *p = xcalloc(1, sizeof(*p));
    int n = item ? catsvc_check_item(api_db(r), doc, p) : catsvc_check_bundle(api_db(r), doc, p);
    if (n) {
        api_reply_json(r, 400, catsvc_invalid_body(p, NULL));
        free(p);
        return -1;
    }
    free(p);
    const char *field = item ? "basic_code" : "code";
    const char *code = json_string_value(json_object_get(doc, field));
    if (want && strcmp(code, want)) {
        api_fail(r, 400, "CODE_MISMATCH", field, "文档中的编码“%s”与地址中的“%s”不一致", code,
                 want);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ context */

typedef struct cat_ctx {
    json_t *doc;
    char code[64];
    int64_t item_id;
    int version;
    const struct transition *t;
    char note[1024];
} cat_ctx;

static void cat_ctx_free(void *p)
{
    cat_ctx *c = p;
    json_decref(c->doc);
    free(c);
}

static cat_ctx *ctx_new(json_t *doc, const char *code, int64_t item_id, int version)
{
    cat_ctx *c = xcalloc(1, sizeof(*c));
    c->doc = doc;
    ystrlcpy(c->code, code ? code : "", sizeof(c->code));
    c->item_id = item_id;
    c->version = version;
    return c;
}

/* The item of path parameter 0; NULL after a 404. */
static json_t *need_item(api_req *r)
{
    const char *code = api_param(r, 0);
    json_t *it = code && strlen(code) <= 12 ? catstore_item_by_code(api_db(r), code) : NULL;
    if (!it)
        api_fail(r, 404, "ITEM_NOT_FOUND", "", "事项“%s”不存在", code ? code : "");
    return it;
}

/* Path parameter 1 as a version number. */
static int need_version_no(api_req *r, int *out)
{
    int64_t n;
    const char *s = api_param(r, 1);
    if (!s || yparse_i64(s, 1, 100000, &n)) {
        api_fail(r, 404, "VERSION_NOT_FOUND", "", "版本号无效");
        return -1;
    }
    *out = (int)n;
    return 0;
}

static const char *status_name(const char *s)
{
    static const char *const names[][2] = {{"draft", "草稿"},
                                           {"submitted", "已提交"},
                                           {"reviewed", "已审核"},
                                           {"published", "已发布"},
                                           {"retired", "已停用"}};
    for (size_t i = 0; i < YC_ARRAY_LEN(names); i++)
        if (s && !strcmp(names[i][0], s))
            return names[i][1];
    return s ? s : "";
}

/* ------------------------------------------------------------ list, read */

void h_catalog_items_list(api_req *r)
{
    catstore_filter f = {
        api_query(r, "q"), api_query(r, "status"), 0, api_query(r, "domain"), 50, 0};
    int64_t v;
    const char *s;
    if ((s = api_query(r, "limit")) && yparse_i64(s, 1, 500, &v)) {
        api_fail(r, 400, "FIELD_RANGE", "limit", "limit应为1至500之间的整数");
        return;
    }
    f.limit = s ? (int)v : 50;
    if ((s = api_query(r, "offset")) && yparse_i64(s, 0, 10000000, &v)) {
        api_fail(r, 400, "FIELD_RANGE", "offset", "offset应为非负整数");
        return;
    }
    f.offset = s ? (int)v : 0;
    if ((s = api_query(r, "department_id")) && yparse_i64(s, 1, INT64_MAX, &f.department_id)) {
        api_fail(r, 400, "FIELD_FORMAT", "department_id", "department_id应为正整数");
        return;
    }
    if (f.status && *f.status && !strcmp(status_name(f.status), f.status)) {
        api_fail(r, 400, "FIELD_ENUM", "status",
                 "status应为draft、submitted、reviewed、published或retired");
        return;
    }
    int64_t total = 0;
    json_t *items = catstore_items_list(api_db(r), &f, &total);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200,
                   json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total,
                             "limit", f.limit, "offset", f.offset));
}

static json_t *parse_doc_field(json_t *row)
{
    json_t *doc = catsvc_parse(json_string_value(json_object_get(row, "document")));
    json_object_set_new(row, "document", doc ? doc : json_null());
    return row;
}

void h_catalog_item_get(api_req *r)
{
    json_t *it = need_item(r);
    if (!it)
        return;
    int64_t id = json_integer_value(json_object_get(it, "id"));
    json_t *versions = catstore_versions(api_db(r), id);
    json_t *pub = catstore_published(api_db(r), id);
    json_t *doc = pub ? catsvc_parse(json_string_value(json_object_get(pub, "document"))) : NULL;
    json_decref(pub);
    json_object_del(it, "id");
    json_object_set_new(it, "versions", versions ? versions : json_array());
    json_object_set_new(it, "published", doc ? doc : json_null());
    api_reply_json(r, 200, api_times(it));
}

void h_catalog_version_get(api_req *r)
{
    int n;
    json_t *it = need_item(r);
    if (!it)
        return;
    if (need_version_no(r, &n)) {
        json_decref(it);
        return;
    }
    json_t *v = catstore_version(api_db(r), json_integer_value(json_object_get(it, "id")), n);
    if (!v) {
        json_decref(it);
        api_fail(r, 404, "VERSION_NOT_FOUND", "", "该事项没有第%d版", n);
        return;
    }
    json_object_set(v, "basic_code", json_object_get(it, "basic_code"));
    json_decref(it);
    api_reply_json(r, 200, api_times(parse_doc_field(v)));
}

void h_catalog_review(api_req *r)
{
    json_t *all = catstore_open_versions(api_db(r));
    if (!all) {
        api_fail_db(r);
        return;
    }
    bool manager = cat_is_manager(r);
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(all, i, v)
    {
        const char *st = json_string_value(json_object_get(v, "status"));
        bool mine = manager
                        ? strcmp(st, "draft") != 0
                        : cat_may_dept(r, json_integer_value(json_object_get(v, "department_id")));
        if (mine)
            json_array_append(out, v);
    }
    json_decref(all);
    api_reply_json(r, 200, api_times(json_pack("{s:o}", "items", out)));
}

/* ------------------------------------------------------------ drafts */

static int reply_version(db_conn *tx, api_req *r, cat_ctx *c, int status)
{
    json_t *v = catstore_version(tx, c->item_id, c->version);
    if (!v)
        return YC_EDB;
    json_object_del(v, "document");
    json_object_set_new(v, "basic_code", json_string(c->code));
    api_reply_json(r, status, api_times(v));
    return 0;
}

static int draft_tx(db_conn *tx, api_req *r, void *arg)
{
    cat_ctx *c = arg;
    catsvc_meta m;
    catsvc_meta_of(tx, c->doc, &m);
    catstore_meta sm = {m.name, m.department_id, m.domain, m.type_code, m.case_kind};
    char *text = catsvc_text(c->doc);
    int64_t now = ytime_now_ms(), user = api_who(r)->id;
    int rc = 0, status = c->version > 0 ? 200 : 201;
    char summary[256];
    json_t *it = catstore_item_by_code(tx, c->code);
    if (c->version == 0 && !c->item_id) { /* new item */
        if (it && catstore_max_version(tx, json_integer_value(json_object_get(it, "id")))) {
            api_fail(r, 409, "ITEM_CODE_TAKEN", "basic_code", "基本编码“%s”已存在", c->code);
            rc = YC_ECONFLICT;
            goto out;
        }
        /* An item known only by its identity row (e.g. from the county's set-up) gets
         * its first version. */
        if (it)
            c->item_id = json_integer_value(json_object_get(it, "id"));
        else
            rc = catstore_item_insert(tx, c->code, m.name, m.department_id, now, &c->item_id);
        c->version = 1;
        if (!rc)
            rc = catstore_version_insert(tx, c->item_id, 1, "draft", text, &sm, user, now);
        snprintf(summary, sizeof(summary), "新建事项“%s”（%s）草稿", m.name, c->code);
    } else if (c->version < 0) { /* next version */
        int open = catstore_open_version(tx, c->item_id);
        if (open) {
            api_fail(r, 409, "VERSION_OPEN", "", "该事项已有未完成的第%d版（%s），请在其上修改",
                     open, "草稿或审核中");
            rc = YC_ECONFLICT;
            goto out;
        }
        c->version = catstore_max_version(tx, c->item_id) + 1;
        rc = catstore_version_insert(tx, c->item_id, c->version, "draft", text, &sm, user, now);
        if (rc == DB_ECONSTRAINT) {
            api_fail(r, 409, "VERSION_OPEN", "", "该事项已有未完成的版本");
            goto out;
        }
        snprintf(summary, sizeof(summary), "事项%s新建第%d版草稿", c->code, c->version);
    } else { /* replace a draft */
        rc = catstore_version_replace(tx, c->item_id, c->version, text, &sm, now);
        if (rc == YC_ECONFLICT) {
            json_t *v = catstore_version(tx, c->item_id, c->version);
            if (!v)
                api_fail(r, 404, "VERSION_NOT_FOUND", "", "该事项没有第%d版", c->version);
            else
                api_fail(r, 409, "VERSION_LOCKED", "", "第%d版状态为%s，只有草稿可以修改",
                         c->version, status_name(json_string_value(json_object_get(v, "status"))));
            json_decref(v);
            goto out;
        }
        snprintf(summary, sizeof(summary), "修改事项%s第%d版草稿", c->code, c->version);
    }
    if (!rc)
        rc = cat_log(tx, r, "catalog_draft", "item", c->code, summary);
    if (!rc)
        rc = reply_version(tx, r, c, status);
out:
    json_decref(it);
    free(text);
    return rc;
}

void h_catalog_items_create(api_req *r)
{
    json_t *doc;
    if (cat_doc_body(r, &doc))
        return;
    if (cat_check_doc(r, doc, true, NULL)) {
        json_decref(doc);
        return;
    }
    catsvc_meta m;
    catsvc_meta_of(api_db(r), doc, &m);
    if (!cat_may_dept(r, m.department_id)) {
        json_decref(doc);
        api_fail(r, 403, "CATALOG_FORBIDDEN", "department", "您只能编写本部门的事项");
        return;
    }
    cat_ctx *c = ctx_new(doc, json_string_value(json_object_get(doc, "basic_code")), 0, 0);
    api_write(r, draft_tx, c, cat_ctx_free);
}

/* version: -1 = next version, n = replace draft n. */
static void draft_request(api_req *r, int version)
{
    json_t *it = need_item(r), *doc;
    if (!it)
        return;
    int64_t id = json_integer_value(json_object_get(it, "id"));
    int64_t dept = json_integer_value(json_object_get(it, "department_id"));
    char code[64];
    ystrlcpy(code, json_string_value(json_object_get(it, "basic_code")), sizeof(code));
    json_decref(it);
    if (cat_doc_body(r, &doc))
        return;
    if (cat_check_doc(r, doc, true, code)) {
        json_decref(doc);
        return;
    }
    catsvc_meta m;
    catsvc_meta_of(api_db(r), doc, &m);
    if (!cat_may_dept(r, dept) || !cat_may_dept(r, m.department_id)) {
        json_decref(doc);
        api_fail(r, 403, "CATALOG_FORBIDDEN", "department", "您只能编写本部门的事项");
        return;
    }
    api_write(r, draft_tx, ctx_new(doc, code, id, version), cat_ctx_free);
}

void h_catalog_version_create(api_req *r)
{
    draft_request(r, -1);
}

void h_catalog_version_put(api_req *r)
{
    int n;
    if (need_version_no(r, &n))
        return;
    draft_request(r, n);
}

/* ------------------------------------------------------------ workflow */

typedef struct transition {
    const char *name; /* audit action suffix */
    const char *from1, *from2;
    const char *to;
    const char *label; /* 中文 verb */
    bool managers;     /* center only; else the item's department too */
    bool needs_note;
} transition;

static const transition T_SUBMIT = {"submit", "draft", NULL, "submitted", "提交", false, false};
static const transition T_APPROVE = {"approve",  "submitted", NULL, "reviewed",
                                     "审核通过", true,        false};
static const transition T_PUBLISH = {"publish", "reviewed", NULL, "published", "发布", true, false};
static const transition T_REJECT = {"reject", "submitted", "reviewed", "draft", "退回", true, true};

static int transition_tx(db_conn *tx, api_req *r, void *arg)
{
    cat_ctx *c = arg;
    const transition *t = c->t;
    json_t *v = catstore_version(tx, c->item_id, c->version);
    if (!v) {
        api_fail(r, 404, "VERSION_NOT_FOUND", "", "该事项没有第%d版", c->version);
        return YC_ENOTFOUND;
    }
    char from[16];
    ystrlcpy(from, json_string_value(json_object_get(v, "status")), sizeof(from));
    json_decref(v);
    if (strcmp(from, t->from1) && (!t->from2 || strcmp(from, t->from2))) {
        api_fail(r, 409, "VERSION_STATE", "", "第%d版当前状态为%s，不能%s", c->version,
                 status_name(from), t->label);
        return YC_ECONFLICT;
    }
    int64_t now = ytime_now_ms(), user = api_who(r)->id;
    int rc = !strcmp(t->to, "published")
                 ? catsvc_publish(tx, c->item_id, c->version, from, user, now)
                 : catstore_version_move(tx, c->item_id, c->version, from, t->to,
                                         t->needs_note ? c->note : NULL, user, now);
    char action[48], summary[1200];
    snprintf(action, sizeof(action), "catalog_%s", t->name);
    snprintf(summary, sizeof(summary), "%s事项%s第%d版%s%s", t->label, c->code, c->version,
             t->needs_note ? "：" : "", t->needs_note ? c->note : "");
    if (!rc)
        rc = cat_log(tx, r, action, "item", c->code, summary);
    return rc ? rc : reply_version(tx, r, c, 200);
}

static void transition_request(api_req *r, const transition *t)
{
    static const jfield empty[] = {{0}};
    static const jfield with_note[] = {{"note", JF_STRING, true, 1, 300, "原因"}, {0}};
    int n;
    json_t *it = need_item(r), *in;
    if (!it)
        return;
    if (need_version_no(r, &n)) {
        json_decref(it);
        return;
    }
    int64_t dept = json_integer_value(json_object_get(it, "department_id"));
    cat_ctx *c = ctx_new(NULL, json_string_value(json_object_get(it, "basic_code")),
                         json_integer_value(json_object_get(it, "id")), n);
    json_decref(it);
    c->t = t;
    if (api_body(r, t->needs_note ? with_note : empty, &in)) {
        cat_ctx_free(c);
        return;
    }
    if (t->needs_note)
        ystrlcpy(c->note, json_string_value(json_object_get(in, "note")), sizeof(c->note));
    json_decref(in);
    if (t->managers ? !cat_is_manager(r) : !cat_may_dept(r, dept)) {
        cat_ctx_free(c);
        api_fail(r, 403, "CATALOG_FORBIDDEN", "",
                 t->managers ? "只有县级中心管理员可以%s事项版本" : "您只能%s本部门的事项",
                 t->label);
        return;
    }
    api_write(r, transition_tx, c, cat_ctx_free);
}

void h_catalog_version_submit(api_req *r)
{
    transition_request(r, &T_SUBMIT);
}

void h_catalog_version_approve(api_req *r)
{
    transition_request(r, &T_APPROVE);
}

void h_catalog_version_publish(api_req *r)
{
    transition_request(r, &T_PUBLISH);
}

void h_catalog_version_reject(api_req *r)
{
    transition_request(r, &T_REJECT);
}

static int retire_tx(db_conn *tx, api_req *r, void *arg)
{
    cat_ctx *c = arg;
    int rc = catsvc_retire(tx, c->item_id, c->note, api_who(r)->id, ytime_now_ms());
    if (rc == YC_ECONFLICT) {
        api_fail(r, 409, "VERSION_STATE", "", "事项%s没有已发布的版本，无需停用", c->code);
        return rc;
    }
    char summary[1200];
    snprintf(summary, sizeof(summary), "停用事项%s：%s", c->code, c->note);
    if (!rc)
        rc = cat_log(tx, r, "catalog_retire", "item", c->code, summary);
    if (rc)
        return rc;
    api_reply_json(r, 200, json_pack("{s:s,s:s}", "basic_code", c->code, "status", "retired"));
    return 0;
}

void h_catalog_item_retire(api_req *r)
{
    static const jfield spec[] = {{"note", JF_STRING, true, 1, 300, "停用原因"}, {0}};
    json_t *it = need_item(r), *in;
    if (!it)
        return;
    cat_ctx *c = ctx_new(NULL, json_string_value(json_object_get(it, "basic_code")),
                         json_integer_value(json_object_get(it, "id")), 0);
    json_decref(it);
    if (api_body(r, spec, &in)) {
        cat_ctx_free(c);
        return;
    }
    ystrlcpy(c->note, json_string_value(json_object_get(in, "note")), sizeof(c->note));
    json_decref(in);
    if (!cat_is_manager(r)) {
        cat_ctx_free(c);
        api_fail(r, 403, "CATALOG_FORBIDDEN", "", "只有县级中心管理员可以停用事项");
        return;
    }
    api_write(r, retire_tx, c, cat_ctx_free);
}
