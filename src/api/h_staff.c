/*
 * h_staff.c - staff posted to centers (工号, department, posts, window, AB角), the
 * minimal item list, and authorizations (授权): which staff may receive (收件),
 * accept (受理) or decide (审批) which items, granted by the department's chief
 * representative (首席代表) with an expiry date.
 */
#include "api/handlers.h"
#include "core/workcal.h"
#include "store/accounts.h"
#include "store/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

typedef struct staff_ctx {
    json_t *in;
    int64_t id, center_id;
} staff_ctx;

static void staff_ctx_free(void *p)
{
    staff_ctx *c = p;
    json_decref(c->in);
    free(c);
}

static staff_ctx *ctx_new(json_t *in, int64_t id, int64_t center_id)
{
    staff_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->id = id;
    c->center_id = center_id;
    return c;
}

static int log_staff(db_conn *tx, api_req *r, uint32_t mask, int64_t center_id, const char *action,
                     const char *type, int64_t id, const char *summary)
{
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    audit_actor a;
    api_actor(r, 0, center_id, &a);
    a.role = api_role_code(r, mask);
    return audit_append(tx, &a, action, type, idtext, summary);
}

/* The staff member exists and the caller holds a role in mask over its center.
 * Returns the row (caller decrefs) or NULL after answering. */
static json_t *need_staff(api_req *r, int64_t id, uint32_t mask)
{
    json_t *s = org_staff_get(api_db(r), id);
    if (!s) {
        api_fail(r, 404, "STAFF_NOT_FOUND", "", "工作人员不存在");
        return NULL;
    }
    if (!principal_can_at(api_who(r), mask, json_string_value(json_object_get(s, "center_path")))) {
        json_decref(s);
        api_fail(r, 403, "CENTER_FORBIDDEN", "", "该工作人员不在您管理的中心范围内");
        return NULL;
    }
    return s;
}

/* ------------------------------------------------------------ staff */

void h_staff_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    json_t *items = org_staff_list(api_db(r), api_list_root(r, ROLE_STAFF), cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}

void h_staff_get(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *s = need_staff(r, id, ROLE_STAFF);
    if (!s)
        return;
    json_object_del(s, "center_path");
    json_t *auths = org_authorizations_list(api_db(r), id, 0);
    json_object_set_new(s, "authorizations", auths ? auths : json_array());
    api_reply_json(r, 200, s);
}

static const char *const staff_cols[] = {"user_id",         "staff_no",     "center_id",
                                         "department_id",   "posts",        "window_id",
                                         "backup_staff_id", "posted_since", NULL};

/* References in a staff body point at things in the same center. 0, or -1 after
 * answering. self_id is the staff being edited (0 on create). */
static int check_staff_refs(api_req *r, json_t *in, int64_t center_id, int64_t self_id)
{
    db_conn *db = api_db(r);
    json_t *v;
    if (json_is_integer(v = json_object_get(in, "department_id"))) {
        json_t *d = org_department_get(db, json_integer_value(v));
        if (!d) {
            api_fail(r, 404, "DEPARTMENT_NOT_FOUND", "department_id", "部门不存在");
            return -1;
        }
        json_decref(d);
    }
    if (json_is_integer(v = json_object_get(in, "window_id"))) {
        json_t *w = org_window_get(db, json_integer_value(v));
        bool ok = w && json_integer_value(json_object_get(w, "center_id")) == center_id;
        json_decref(w);
        if (!ok) {
            api_fail(r, 400, "WINDOW_NOT_IN_CENTER", "window_id", "该窗口不属于工作人员所在中心");
            return -1;
        }
    }
    if (json_is_integer(v = json_object_get(in, "backup_staff_id"))) {
        json_t *b = org_staff_get(db, json_integer_value(v));
        bool ok = b && json_integer_value(json_object_get(b, "center_id")) == center_id &&
                  json_integer_value(v) != self_id;
        json_decref(b);
        if (!ok) {
            api_fail(r, 400, "BACKUP_INVALID", "backup_staff_id",
                     "AB角须是同一中心的另一名工作人员");
            return -1;
        }
    }
    const char *since = json_string_value(json_object_get(in, "posted_since"));
    workcal_date day;
    if (since && *since && workcal_parse(since, &day)) {
        api_fail(r, 400, "FIELD_FORMAT", "posted_since", "进驻日期应为YYYY-MM-DD格式的有效日期");
        return -1;
    }
    return 0;
}

static int staff_reply(db_conn *tx, api_req *r, int64_t id, int status)
{
    json_t *s = org_staff_get(tx, id);
    if (!s)
        return YC_EDB;
    json_object_del(s, "center_path");
    api_reply_json(r, status, s);
    return 0;
}

static int staff_create_tx(db_conn *tx, api_req *r, void *arg)
{
    staff_ctx *c = arg;
    int64_t id;
    int rc = org_insert(tx, "staff", staff_cols, c->in, ytime_now_ms(), 1, &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "STAFF_TAKEN", "staff_no", "工号已被使用，或该用户已登记为工作人员");
        return rc;
    }
    char summary[160];
    snprintf(summary, sizeof(summary), "登记工作人员，工号%s",
             json_string_value(json_object_get(c->in, "staff_no")));
    if (!rc)
        rc = log_staff(tx, r, MANAGERS, c->center_id, "staff_create", "staff", id, summary);
    return rc ? rc : staff_reply(tx, r, id, 201);
}

static const jfield staff_spec[] = {
    {"user_id", JF_INT, true, 1, INT64_MAX, "用户"},
    {"staff_no", JF_STRING, true, 1, 20, "工号"},
    {"center_id", JF_INT, true, 1, INT64_MAX, "所在中心"},
    {"department_id", JF_INT, false, 1, INT64_MAX, "部门"},
    {"posts", JF_STRING, false, 0, 100, "岗位"},
    {"window_id", JF_INT, false, 1, INT64_MAX, "窗口"},
    {"backup_staff_id", JF_INT, false, 1, INT64_MAX, "AB角"},
    {"posted_since", JF_STRING, false, 0, 10, "进驻日期"},
    {0},
};

void h_staff_create(api_req *r)
{
    json_t *in;
    if (api_body(r, staff_spec, &in))
        return;
    int64_t center_id = json_integer_value(json_object_get(in, "center_id"));
    char path[CENTER_PATH_MAX];
    if (api_need_center(r, MANAGERS, center_id, path, sizeof(path), "center_id") ||
        check_staff_refs(r, in, center_id, 0)) {
        json_decref(in);
        return;
    }
    const char *no = json_string_value(json_object_get(in, "staff_no"));
    for (const char *p = no; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-')) {
            json_decref(in);
            api_fail(r, 400, "FIELD_FORMAT", "staff_no", "工号只能包含字母、数字和连字符");
            return;
        }
    }
    account_login acc;
    int64_t uid = json_integer_value(json_object_get(in, "user_id"));
    if (accounts_login_by_id(api_db(r), uid, &acc)) {
        json_decref(in);
        api_fail(r, 404, "USER_NOT_FOUND", "user_id", "用户不存在");
        return;
    }
    if (!json_object_get(in, "posts"))
        json_object_set_new(in, "posts", json_string(""));
    if (!json_object_get(in, "posted_since"))
        json_object_set_new(in, "posted_since", json_string(""));
    api_write(r, staff_create_tx, ctx_new(in, 0, center_id), staff_ctx_free);
}

static int staff_patch_tx(db_conn *tx, api_req *r, void *arg)
{
    staff_ctx *c = arg;
    int rc = org_update(tx, "staff", staff_cols, c->in, ytime_now_ms(), c->id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "STAFF_TAKEN", "staff_no", "工号已被使用");
        return rc;
    }
    if (!rc)
        rc = log_staff(tx, r, MANAGERS, c->center_id, "staff_update", "staff", c->id,
                       "修改工作人员信息");
    return rc ? rc : staff_reply(tx, r, c->id, 200);
}

void h_staff_patch(api_req *r)
{
    static const jfield spec[] = {
        {"staff_no", JF_STRING, false, 1, 20, "工号"},
        {"department_id", JF_INT, false, 1, INT64_MAX, "部门"},
        {"posts", JF_STRING, false, 0, 100, "岗位"},
        {"window_id", JF_INT, false, 1, INT64_MAX, "窗口"},
        {"backup_staff_id", JF_INT, false, 1, INT64_MAX, "AB角"},
        {"posted_since", JF_STRING, false, 0, 10, "进驻日期"},
        {0},
    };
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id))
        return;
    json_t *s = need_staff(r, id, MANAGERS);
    if (!s)
        return;
    int64_t center_id = json_integer_value(json_object_get(s, "center_id"));
    json_decref(s);
    static const char *const nullable[] = {"department_id", "window_id", "backup_staff_id", NULL};
    if (api_body(r, spec, &in))
        return;
    if (api_reject_nulls(r, in, nullable) || check_staff_refs(r, in, center_id, id)) {
        json_decref(in);
        return;
    }
    api_write(r, staff_patch_tx, ctx_new(in, id, center_id), staff_ctx_free);
}

/* ------------------------------------------------------------ items (minimal) */

void h_items_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    json_t *items = org_items_list(api_db(r), cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}

static int item_tx(db_conn *tx, api_req *r, void *arg)
{
    static const char *const cols[] = {"basic_code", "name", "department_id", NULL};
    staff_ctx *c = arg;
    int64_t id;
    int rc = org_insert(tx, "items", cols, c->in, ytime_now_ms(), 0, &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "ITEM_CODE_TAKEN", "basic_code", "基本编码已存在");
        return rc;
    }
    char summary[160];
    snprintf(summary, sizeof(summary), "新建事项“%s”",
             json_string_value(json_object_get(c->in, "name")));
    if (!rc)
        rc = log_staff(tx, r, MANAGERS, 0, "item_create", "item", id, summary);
    if (rc)
        return rc;
    json_t *o = org_item_get(tx, id);
    if (!o)
        return YC_EDB;
    api_reply_json(r, 201, o);
    return 0;
}

void h_items_create(api_req *r)
{
    static const jfield spec[] = {
        {"basic_code", JF_STRING, true, 1, 12, "基本编码"},
        {"name", JF_STRING, true, 2, 100, "事项名称"},
        {"department_id", JF_INT, true, 1, INT64_MAX, "实施部门"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    for (const char *p = json_string_value(json_object_get(in, "basic_code")); *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z'))) {
            json_decref(in);
            api_fail(r, 400, "FIELD_FORMAT", "basic_code", "基本编码只能包含数字和大写字母");
            return;
        }
    }
    json_t *d =
        org_department_get(api_db(r), json_integer_value(json_object_get(in, "department_id")));
    if (!d) {
        json_decref(in);
        api_fail(r, 404, "DEPARTMENT_NOT_FOUND", "department_id", "部门不存在");
        return;
    }
    json_decref(d);
    api_write(r, item_tx, ctx_new(in, 0, 0), staff_ctx_free);
}

/* ------------------------------------------------------------ authorizations */

static const char *action_name(const char *a)
{
    return !strcmp(a, "receive") ? "收件" : !strcmp(a, "accept") ? "受理" : "审批";
}

/* The caller is the chief representative of department_id over center_path. */
static bool is_chief_of(api_req *r, int64_t department_id, const char *center_path)
{
    const principal *p = api_who(r);
    for (int i = 0; i < p->nroles; i++)
        if (p->roles[i].role == ROLE_CHIEF_REP && p->roles[i].department_id == department_id &&
            center_path_within(center_path, p->roles[i].center_path))
            return true;
    return false;
}

static int grant_tx(db_conn *tx, api_req *r, void *arg)
{
    staff_ctx *c = arg;
    int64_t id;
    int rc = org_authorization_insert(
        tx, c->id, json_integer_value(json_object_get(c->in, "item_id")),
        json_string_value(json_object_get(c->in, "action")), api_who(r)->id, ytime_now_ms(),
        json_string_value(json_object_get(c->in, "expires_on")), &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "AUTHORIZATION_EXISTS", "item_id", "该工作人员已有此事项的同类授权");
        return rc;
    }
    if (rc)
        return rc;
    char summary[200];
    snprintf(summary, sizeof(summary), "授权工作人员%lld%s事项%lld，有效期至%s", (long long)c->id,
             action_name(json_string_value(json_object_get(c->in, "action"))),
             (long long)json_integer_value(json_object_get(c->in, "item_id")),
             json_string_value(json_object_get(c->in, "expires_on")));
    rc = log_staff(tx, r, ROLE_CHIEF_REP, c->center_id, "authorization_grant", "authorization", id,
                   summary);
    if (rc)
        return rc;
    json_t *all = org_authorizations_list(tx, c->id, 0);
    json_t *mine = NULL;
    size_t i;
    json_t *a;
    json_array_foreach(all, i, a) if (json_integer_value(json_object_get(a, "id")) == id) mine =
        json_incref(a);
    json_decref(all);
    if (!mine)
        return YC_EDB;
    api_reply_json(r, 201, mine);
    return 0;
}

void h_authorizations_list(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *s = need_staff(r, id, ROLE_STAFF);
    if (!s)
        return;
    json_decref(s);
    const char *all = api_query(r, "all");
    json_t *items = org_authorizations_list(api_db(r), id, all && !strcmp(all, "1"));
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

void h_authorizations_create(api_req *r)
{
    static const jfield spec[] = {
        {"item_id", JF_INT, true, 1, INT64_MAX, "事项"},
        {"action", JF_STRING, true, 1, 16, "权限"},
        {"expires_on", JF_STRING, true, 10, 10, "有效期至"},
        {0},
    };
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id))
        return;
    json_t *s = need_staff(r, id, ROLE_CHIEF_REP);
    if (!s)
        return;
    int64_t center_id = json_integer_value(json_object_get(s, "center_id"));
    char path[CENTER_PATH_MAX];
    ystrlcpy(path, json_string_value(json_object_get(s, "center_path")), sizeof(path));
    json_decref(s);
    if (api_body(r, spec, &in))
        return;
    const char *action = json_string_value(json_object_get(in, "action"));
    if (strcmp(action, "receive") && strcmp(action, "accept") && strcmp(action, "decide")) {
        json_decref(in);
        api_fail(r, 400, "FIELD_ENUM", "action",
                 "权限应为receive（收件）、accept（受理）或decide（审批）");
        return;
    }
    json_t *item = org_item_get(api_db(r), json_integer_value(json_object_get(in, "item_id")));
    if (!item) {
        json_decref(in);
        api_fail(r, 404, "ITEM_NOT_FOUND", "item_id", "事项不存在");
        return;
    }
    int64_t dept = json_integer_value(json_object_get(item, "department_id"));
    json_decref(item);
    if (!is_chief_of(r, dept, path)) {
        json_decref(in);
        api_fail(r, 403, "NOT_CHIEF_REP", "item_id", "只有该事项所属部门的首席代表才能授权");
        return;
    }
    workcal_date until, today = workcal_date_from_ms(ytime_now_ms());
    if (workcal_parse(json_string_value(json_object_get(in, "expires_on")), &until)) {
        json_decref(in);
        api_fail(r, 400, "FIELD_FORMAT", "expires_on", "有效期应为YYYY-MM-DD格式的有效日期");
        return;
    }
    if (until <= today || until > today + 3 * 366) {
        json_decref(in);
        api_fail(r, 400, "FIELD_RANGE", "expires_on", "有效期应在今天之后、三年以内");
        return;
    }
    api_write(r, grant_tx, ctx_new(in, id, center_id), staff_ctx_free);
}

static int revoke_tx(db_conn *tx, api_req *r, void *arg)
{
    staff_ctx *c = arg;
    int rc = org_authorization_revoke(tx, c->id, ytime_now_ms());
    if (rc == YC_ENOTFOUND) {
        api_fail(r, 409, "AUTHORIZATION_REVOKED", "", "该授权已被撤销");
        return rc;
    }
    if (!rc)
        rc = log_staff(tx, r, ROLE_CHIEF_REP, c->center_id, "authorization_revoke", "authorization",
                       c->id, "撤销授权");
    if (rc)
        return rc;
    api_reply_empty(r, 204);
    return 0;
}

void h_authorizations_delete(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *a = org_authorization_get(api_db(r), id);
    if (!a) {
        api_fail(r, 404, "AUTHORIZATION_NOT_FOUND", "", "授权不存在");
        return;
    }
    bool ok = is_chief_of(r, json_integer_value(json_object_get(a, "department_id")),
                          json_string_value(json_object_get(a, "center_path")));
    int64_t center_id = json_integer_value(json_object_get(a, "center_id"));
    json_decref(a);
    if (!ok) {
        api_fail(r, 403, "NOT_CHIEF_REP", "", "只有该事项所属部门的首席代表才能撤销授权");
        return;
    }
    api_write(r, revoke_tx, ctx_new(NULL, id, center_id), staff_ctx_free);
}
