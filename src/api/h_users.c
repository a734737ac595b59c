/*
 * h_users.c - staff accounts: list, create, read, change, roles, password reset.
 *
 * Admins and managers manage the users whose roles all sit inside their own subtree;
 * a manager grants roles only inside that subtree and never the admin role. Password
 * hashing (argon2id) happens on the HTTP thread before the write is queued.
 */
#include "api/handlers.h"
#include "service/auth.h"
#include "store/accounts.h"
#include "store/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

static const jfield role_spec[] = {
    {"role", JF_STRING, true, 1, 32, "角色"},
    {"center_id", JF_INT, false, 1, INT64_MAX, "中心"},
    {"department_id", JF_INT, false, 1, INT64_MAX, "部门"},
    {0},
};

/* Check each role the caller wants to grant. 0, or -1 after answering. */
static int check_roles(api_req *r, json_t *roles)
{
    if (json_array_size(roles) > PRINCIPAL_MAX_ROLES) {
        api_fail(r, 400, "FIELD_LENGTH", "roles", "一个用户最多%d个角色", PRINCIPAL_MAX_ROLES);
        return -1;
    }
    size_t i;
    json_t *role;
    json_array_foreach(roles, i, role)
    {
        char prefix[32], field[64];
        snprintf(prefix, sizeof(prefix), "roles[%zu].", i);
        yc_err e;
        if (api_check_object(role, role_spec, prefix, &e)) {
            api_fail_err(r, &e);
            return -1;
        }
        const char *code = json_string_value(json_object_get(role, "role"));
        const role_info *ri = role_by_code(code);
        snprintf(field, sizeof(field), "%srole", prefix);
        if (!ri || ri->device) {
            api_fail(r, 400, "ROLE_UNKNOWN", field, "没有“%s”这个人员角色", code);
            return -1;
        }
        if (ri->bit == ROLE_ADMIN && !(api_who(r)->role_mask & ROLE_ADMIN)) {
            api_fail(r, 403, "ROLE_FORBIDDEN", field, "只有系统管理员可以授予系统管理员角色");
            return -1;
        }
        /* null is the same as leaving a field out */
        json_t *center = json_object_get(role, "center_id");
        json_t *dept = json_object_get(role, "department_id");
        center = json_is_null(center) ? NULL : center;
        dept = json_is_null(dept) ? NULL : dept;
        snprintf(field, sizeof(field), "%scenter_id", prefix);
        if (ri->bit == ROLE_APPLICANT) {
            if (center || dept) {
                api_fail(r, 400, "FIELD_FORBIDDEN", field, "办事群众角色不属于任何中心");
                return -1;
            }
            continue;
        }
        if (!json_is_integer(center)) {
            api_fail(r, 400, "FIELD_REQUIRED", field, "%s角色必须指定所属中心", ri->name);
            return -1;
        }
        snprintf(field, sizeof(field), "%sdepartment_id", prefix);
        if (!ri->department && dept) {
            api_fail(r, 400, "FIELD_FORBIDDEN", field, "%s角色不属于部门", ri->name);
            return -1;
        }
        if (ri->department && !dept) {
            api_fail(r, 400, "FIELD_REQUIRED", field, "%s角色必须指定所属部门", ri->name);
            return -1;
        }
        json_t *d = dept ? org_department_get(api_db(r), json_integer_value(dept)) : NULL;
        if (dept && !d) {
            api_fail(r, 404, "DEPARTMENT_NOT_FOUND", field, "部门不存在（编号%lld）",
                     (long long)json_integer_value(dept));
            return -1;
        }
        json_decref(d);
        snprintf(field, sizeof(field), "%scenter_id", prefix);
        char path[CENTER_PATH_MAX];
        if (api_need_center(r, MANAGERS, json_integer_value(center), path, sizeof(path), field))
            return -1;
    }
    return 0;
}

/* The user exists and lies in the caller's subtree, and, to change them (write), the
 * caller may manage their roles: only an admin changes an admin's account, else a
 * manager could reset an admin's password and log in as them. 0, or -1 after answering. */
static int need_user(api_req *r, int64_t id, bool write)
{
    db_conn *db = api_db(r);
    account_login acc;
    int rc = accounts_login_by_id(db, id, &acc);
    if (rc == YC_ENOTFOUND) {
        api_fail(r, 404, "USER_NOT_FOUND", "", "用户不存在");
        return -1;
    }
    if (rc)
        return api_fail_db(r);
    /* From a root center every account is in scope, applicants (no center) too. */
    if (!api_root_scope(r, MANAGERS) && !accounts_user_within(db, id, api_list_root(r, MANAGERS))) {
        api_fail(r, 403, "USER_FORBIDDEN", "", "该用户不在您管理的中心范围内");
        return -1;
    }
    if (write && !(api_who(r)->role_mask & ROLE_ADMIN) && accounts_user_has_role(db, id, "admin")) {
        api_fail(r, 403, "USER_FORBIDDEN", "", "只有系统管理员可以修改系统管理员的账号");
        return -1;
    }
    return 0;
}

void h_users_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    const char *q = api_query(r, "q");
    if (q && strlen(q) > 64) {
        api_fail(r, 400, "FIELD_LENGTH", "q", "搜索词最长64个字符");
        return;
    }
    if (q && !*q)
        q = NULL;
    const char *root = api_root_scope(r, MANAGERS) ? NULL : api_list_root(r, MANAGERS);
    json_t *items = accounts_users_list(api_db(r), root, q, cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}

typedef struct user_ctx {
    json_t *in;
    int64_t id;
    char hash[AUTH_HASH_MAX];
} user_ctx;

static void user_ctx_free(void *p)
{
    user_ctx *c = p;
    json_decref(c->in);
    free(c);
}

static void roles_summary(json_t *roles, char *out, size_t size)
{
    ybuf b = {0};
    size_t i;
    json_t *role;
    ybuf_adds(&b, "角色：");
    json_array_foreach(roles, i, role)
    {
        const role_info *ri = role_by_code(json_string_value(json_object_get(role, "role")));
        json_int_t center = json_integer_value(json_object_get(role, "center_id"));
        ybuf_printf(&b, "%s%s@%lld", i ? "，" : "", ri ? ri->name : "?", (long long)center);
    }
    if (!json_array_size(roles))
        ybuf_adds(&b, "无");
    ystrlcpy(out, b.data, size);
    ybuf_release(&b);
}

static int create_tx(db_conn *tx, api_req *r, void *arg)
{
    user_ctx *c = arg;
    const char *username = json_string_value(json_object_get(c->in, "username"));
    const char *name = json_string_value(json_object_get(c->in, "display_name"));
    json_t *roles = json_object_get(c->in, "roles");
    int64_t id;
    int rc = accounts_user_insert(tx, username, name, c->hash, true, ytime_now_ms(), &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "USERNAME_TAKEN", "username", "用户名“%s”已被使用", username);
        return rc;
    }
    if (!rc && roles)
        rc = accounts_roles_replace(tx, id, roles);
    if (rc)
        return rc;
    char summary[512], idtext[32];
    roles_summary(roles, summary, sizeof(summary));
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    audit_actor a;
    api_actor(r, ROLE_ADMIN, 0, &a);
    a.role = api_role_code(r, MANAGERS);
    if ((rc = audit_append(tx, &a, "user_create", "user", idtext, summary)))
        return rc;
    json_t *u = accounts_user_json(tx, id);
    if (!u)
        return YC_EDB;
    api_reply_json(r, 201, u);
    return 0;
}

static const char *username_problem(const char *u)
{
    for (const char *p = u; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.' || *p == '-'))
            return "用户名只能包含字母、数字、下划线、点和连字符";
    return NULL;
}

void h_users_create(api_req *r)
{
    static const jfield spec[] = {
        {"username", JF_STRING, true, 2, 32, "用户名"},
        {"display_name", JF_STRING, true, 1, 32, "姓名"},
        {"password", JF_STRING, true, 1, 256, "初始密码"},
        {"roles", JF_ARRAY, true, 0, PRINCIPAL_MAX_ROLES, "角色"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    yc_err e;
    const char *msg = username_problem(json_string_value(json_object_get(in, "username")));
    if (msg) {
        api_fail(r, 400, "FIELD_FORMAT", "username", "%s", msg);
        json_decref(in);
        return;
    }
    if (auth_password_policy(json_string_value(json_object_get(in, "password")), "password", &e)) {
        api_fail_err(r, &e);
        json_decref(in);
        return;
    }
    if (check_roles(r, json_object_get(in, "roles"))) {
        json_decref(in);
        return;
    }
    user_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    if (auth_hash_password(json_string_value(json_object_get(in, "password")), c->hash)) {
        user_ctx_free(c);
        api_fail(r, 503, "SERVER_BUSY", "", "服务器繁忙，请稍后重试");
        return;
    }
    api_write(r, create_tx, c, user_ctx_free);
}

void h_users_get(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id) || need_user(r, id, false))
        return;
    json_t *u = accounts_user_json(api_db(r), id);
    if (!u) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, u);
}

static int patch_tx(db_conn *tx, api_req *r, void *arg)
{
    user_ctx *c = arg;
    json_t *name = json_object_get(c->in, "display_name");
    json_t *disabled = json_object_get(c->in, "disabled");
    int dis = disabled ? json_is_true(disabled) : -1;
    int64_t now = ytime_now_ms();
    int rc = accounts_user_update(tx, c->id, json_string_value(name), dis, now);
    if (!rc && dis == 1)
        rc = accounts_sessions_revoke_user(tx, c->id, 0, now);
    if (rc)
        return rc;
    char summary[256], idtext[32];
    snprintf(summary, sizeof(summary), "%s%s%s", name ? "修改姓名" : "",
             name && disabled ? "，" : "", disabled ? (dis ? "停用账号" : "启用账号") : "");
    snprintf(idtext, sizeof(idtext), "%lld", (long long)c->id);
    audit_actor a;
    api_actor(r, 0, 0, &a);
    a.role = api_role_code(r, MANAGERS);
    if ((rc = audit_append(tx, &a, "user_update", "user", idtext, summary)))
        return rc;
    json_t *u = accounts_user_json(tx, c->id);
    if (!u)
        return YC_EDB;
    api_reply_json(r, 200, u);
    return 0;
}

void h_users_patch(api_req *r)
{
    static const jfield spec[] = {
        {"display_name", JF_STRING, false, 1, 32, "姓名"},
        {"disabled", JF_BOOL, false, 0, 0, "停用"},
        {0},
    };
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id) || need_user(r, id, true) || api_body(r, spec, &in))
        return;
    if (json_object_size(in) == 0) {
        json_decref(in);
        api_fail(r, 400, "BODY_EMPTY", "", "没有要修改的内容");
        return;
    }
    if (json_is_true(json_object_get(in, "disabled")) && id == api_who(r)->id) {
        json_decref(in);
        api_fail(r, 409, "CANNOT_DISABLE_SELF", "disabled", "不能停用自己的账号");
        return;
    }
    user_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->id = id;
    api_write(r, patch_tx, c, user_ctx_free);
}

static int roles_tx(db_conn *tx, api_req *r, void *arg)
{
    user_ctx *c = arg;
    json_t *roles = json_object_get(c->in, "roles");
    int rc = accounts_roles_replace(tx, c->id, roles);
    if (rc)
        return rc;
    char summary[512], idtext[32];
    roles_summary(roles, summary, sizeof(summary));
    snprintf(idtext, sizeof(idtext), "%lld", (long long)c->id);
    audit_actor a;
    api_actor(r, 0, 0, &a);
    a.role = api_role_code(r, MANAGERS);
    if ((rc = audit_append(tx, &a, "user_roles", "user", idtext, summary)))
        return rc;
    json_t *u = accounts_user_json(tx, c->id);
    if (!u)
        return YC_EDB;
    api_reply_json(r, 200, u);
    return 0;
}

void h_users_roles(api_req *r)
{
    static const jfield spec[] = {
        {"roles", JF_ARRAY, true, 0, PRINCIPAL_MAX_ROLES, "角色"},
        {0},
    };
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id) || need_user(r, id, true) || api_body(r, spec, &in))
        return;
    if (check_roles(r, json_object_get(in, "roles"))) {
        json_decref(in);
        return;
    }
    if (id == api_who(r)->id) {
        json_decref(in);
        api_fail(r, 409, "CANNOT_CHANGE_OWN_ROLES", "roles",
                 "不能修改自己的角色，请由其他管理员操作");
        return;
    }
    user_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->id = id;
    api_write(r, roles_tx, c, user_ctx_free);
}

static int reset_tx(db_conn *tx, api_req *r, void *arg)
{
    user_ctx *c = arg;
    int64_t now = ytime_now_ms();
    int rc = accounts_user_set_password(tx, c->id, c->hash, true, now);
    if (!rc)
        rc = accounts_sessions_revoke_user(tx, c->id, 0, now);
    if (rc)
        return rc;
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)c->id);
    audit_actor a;
    api_actor(r, 0, 0, &a);
    a.role = api_role_code(r, MANAGERS);
    if ((rc = audit_append(tx, &a, "user_password_reset", "user", idtext,
                           "管理员重置密码，用户下次登录须修改")))
        return rc;
    api_reply_empty(r, 204);
    return 0;
}

void h_users_password_reset(api_req *r)
{
    static const jfield spec[] = {
        {"new_password", JF_STRING, true, 1, 256, "新密码"},
        {0},
    };
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id) || need_user(r, id, true) || api_body(r, spec, &in))
        return;
    yc_err e;
    if (auth_password_policy(json_string_value(json_object_get(in, "new_password")), "new_password",
                             &e)) {
        json_decref(in);
        api_fail_err(r, &e);
        return;
    }
    user_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->id = id;
    if (auth_hash_password(json_string_value(json_object_get(in, "new_password")), c->hash)) {
        user_ctx_free(c);
        api_fail(r, 503, "SERVER_BUSY", "", "服务器繁忙，请稍后重试");
        return;
    }
    api_write(r, reset_tx, c, user_ctx_free);
}
