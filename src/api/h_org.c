/*
 * h_org.c - centers in detail, zones, opening hours, departments and windows.
 *
 * Center managers (and admins) change what lies in their subtree. Departments are
 * county bureaus shared by every center, so only administrators add them. A town
 * center that misses the minimum of seed 004 (5 comprehensive, 1 certificate and
 * 1 consultation window) is flagged in its detail.
 */
#include "api/handlers.h"
#include "core/ident.h"
#include "store/accounts.h"
#include "store/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

/* Seed 004: what a town center must have at least. */
enum { MIN_COMPREHENSIVE = 5, MIN_CERTIFICATE = 1, MIN_CONSULT = 1 };

static const char *const window_kinds[][2] = {
    {"general", "无差别综合受理窗口"},
    {"domain", "分领域综合受理窗口"},
    {"dedicated", "专窗"},
    {"certificate", "统一出证窗口"},
    {"consult", "帮办咨询窗口"},
    {"complaint", "办不成事/有诉即办窗口"},
    {"cross_region", "通办窗口"},
    {"bundle", "一件事一次办窗口"},
    {"tidal", "潮汐/临时窗口"},
    {"duty", "值班窗口"},
};

/* The six domains of seed 001's comprehensive windows. */
static const char *const domains[] = {"社保医保", "企业开办",   "建设项目",
                                      "公共服务", "不动产交易", "社会事务"};

static const char *const zone_kinds[][2] = {
    {"consult", "咨询服务区"}, {"window", "窗口服务区"},       {"approval", "集中审批区"},
    {"public", "政务公开区"},  {"self_service", "自助服务区"}, {"waiting", "休息等候区"},
    {"complaint", "投诉专区"},
};

static bool in_table(const char *v, const char *const (*table)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v, table[i][0]))
            return true;
    return false;
}

typedef struct org_ctx {
    json_t *in;
    int64_t id, center_id;
} org_ctx;

static void org_ctx_free(void *p)
{
    org_ctx *c = p;
    json_decref(c->in);
    free(c);
}

static org_ctx *ctx_new(json_t *in, int64_t id, int64_t center_id)
{
    org_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->id = id;
    c->center_id = center_id;
    return c;
}

/* Append the action-log row for an org change made by a manager. */
static int log_org(db_conn *tx, api_req *r, int64_t center_id, const char *action, const char *type,
                   int64_t id, const char *summary)
{
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    audit_actor a;
    api_actor(r, 0, center_id, &a);
    a.role = api_role_code(r, MANAGERS | ROLE_CHIEF_REP);
    return audit_append(tx, &a, action, type, idtext, summary);
}

/* ------------------------------------------------------------ centers */

static json_t *center_detail(db_conn *db, int64_t id)
{
    json_t *o = accounts_center_get(db, id);
    if (!o)
        return NULL;
    int comp = 0, cert = 0, consult = 0;
    if (org_window_counts(db, id, &comp, &cert, &consult)) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(
        o, "window_counts",
        json_pack("{s:i,s:i,s:i}", "comprehensive", comp, "certificate", cert, "consult", consult));
    /* The minimum binds town centers (seed 004); others get the counts only. */
    if (!strcmp(json_string_value(json_object_get(o, "level")), "town")) {
        json_t *missing = json_array();
        char msg[128];
        if (comp < MIN_COMPREHENSIVE) {
            snprintf(msg, sizeof(msg), "综合受理窗口%d个，至少应有%d个", comp, MIN_COMPREHENSIVE);
            json_array_append_new(missing, json_string(msg));
        }
        if (cert < MIN_CERTIFICATE)
            json_array_append_new(missing, json_string("缺少统一出证窗口"));
        if (consult < MIN_CONSULT)
            json_array_append_new(missing, json_string("缺少帮办咨询窗口"));
        json_object_set_new(
            o, "minimum",
            json_pack("{s:b,s:o}", "met", json_array_size(missing) == 0, "problems", missing));
    }
    json_t *hours = org_hours_get(db, id);
    json_object_set_new(o, "hours", hours ? hours : json_array());
    return o;
}

void h_center_get(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, ROLE_STAFF, id, path, sizeof(path), ""))
        return;
    json_t *o = center_detail(api_db(r), id);
    if (!o) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, o);
}

static int center_patch_tx(db_conn *tx, api_req *r, void *arg)
{
    org_ctx *c = arg;
    int rc = org_center_update(tx, c->id, c->in, ytime_now_ms());
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "CENTER_NAME_TAKEN", "name", "同一上级下已有同名中心");
        return rc;
    }
    if (!rc)
        rc = log_org(tx, r, c->id, "center_update", "center", c->id, "修改中心信息");
    if (rc)
        return rc;
    json_t *o = center_detail(tx, c->id);
    if (!o)
        return YC_EDB;
    api_reply_json(r, 200, o);
    return 0;
}

void h_center_patch(api_req *r)
{
    static const jfield spec[] = {
        {"name", JF_STRING, false, 2, 64, "中心名称"},
        {"address", JF_STRING, false, 0, 200, "地址"},
        {"phone", JF_STRING, false, 0, 32, "咨询电话"},
        {"region_code", JF_STRING, false, 0, 12, "行政区划代码"},
        {0},
    };
    int64_t id;
    json_t *in;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, MANAGERS, id, path, sizeof(path), "") ||
        api_body(r, spec, &in))
        return;
    const char *rc = json_string_value(json_object_get(in, "region_code"));
    if (rc && *rc && (strlen(rc) != 6 && strlen(rc) != 9 && strlen(rc) != 12)) {
        json_decref(in);
        api_fail(r, 400, "FIELD_FORMAT", "region_code", "行政区划代码应为6、9或12位数字");
        return;
    }
    for (const char *p = rc ? rc : ""; *p; p++) {
        if (*p < '0' || *p > '9') {
            json_decref(in);
            api_fail(r, 400, "FIELD_FORMAT", "region_code", "行政区划代码应为6、9或12位数字");
            return;
        }
    }
    api_write(r, center_patch_tx, ctx_new(in, id, id), org_ctx_free);
}

/* ------------------------------------------------------------ zones */

void h_zones_list(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, ROLE_STAFF, id, path, sizeof(path), ""))
        return;
    json_t *items = org_zones_list(api_db(r), id);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

static int zone_tx(db_conn *tx, api_req *r, void *arg)
{
    static const char *const cols[] = {"center_id", "kind", "name", "always_open", NULL};
    org_ctx *c = arg;
    json_object_set_new(c->in, "center_id", json_integer(c->center_id));
    int64_t id;
    int rc = org_insert(tx, "zones", cols, c->in, ytime_now_ms(), 0, &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "ZONE_NAME_TAKEN", "name", "该中心已有同名功能区");
        return rc;
    }
    char summary[160];
    snprintf(summary, sizeof(summary), "新建功能区“%s”",
             json_string_value(json_object_get(c->in, "name")));
    if (!rc)
        rc = log_org(tx, r, c->center_id, "zone_create", "zone", id, summary);
    if (rc)
        return rc;
    json_t *all = org_zones_list(tx, c->center_id);
    json_t *mine = NULL;
    size_t i;
    json_t *z;
    json_array_foreach(all, i, z) if (json_integer_value(json_object_get(z, "id")) == id) mine =
        json_incref(z);
    json_decref(all);
    if (!mine)
        return YC_EDB;
    api_reply_json(r, 201, mine);
    return 0;
}

void h_zones_create(api_req *r)
{
    static const jfield spec[] = {
        {"kind", JF_STRING, true, 1, 16, "功能区类型"},
        {"name", JF_STRING, true, 1, 32, "名称"},
        {"always_open", JF_BOOL, false, 0, 0, "24小时开放"},
        {0},
    };
    int64_t id;
    json_t *in;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, MANAGERS, id, path, sizeof(path), "") ||
        api_body(r, spec, &in))
        return;
    if (!in_table(json_string_value(json_object_get(in, "kind")), zone_kinds,
                  YC_ARRAY_LEN(zone_kinds))) {
        json_decref(in);
        api_fail(
            r, 400, "FIELD_ENUM", "kind",
            "功能区类型应为consult、window、approval、public、self_service、waiting或complaint");
        return;
    }
    api_write(r, zone_tx, ctx_new(in, 0, id), org_ctx_free);
}

/* ------------------------------------------------------------ hours */

/* "HH:MM" minutes since midnight, or -1. */
static int hhmm(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

void h_hours_get(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, ROLE_STAFF, id, path, sizeof(path), ""))
        return;
    json_t *items = org_hours_get(api_db(r), id);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o}", "days", items));
}

static int hours_tx(db_conn *tx, api_req *r, void *arg)
{
    org_ctx *c = arg;
    json_t *days = json_object_get(c->in, "days");
    int rc = org_hours_set(tx, c->center_id, days);
    if (!rc)
        rc = log_org(tx, r, c->center_id, "hours_set", "center", c->center_id, "设置开放时间");
    if (rc)
        return rc;
    json_t *items = org_hours_get(tx, c->center_id);
    if (!items)
        return YC_EDB;
    api_reply_json(r, 200, json_pack("{s:o}", "days", items));
    return 0;
}

void h_hours_put(api_req *r)
{
    static const jfield spec[] = {
        {"days", JF_ARRAY, true, 0, 7, "开放时间"},
        {0},
    };
    static const jfield day_spec[] = {
        {"weekday", JF_INT, true, 1, 7, "星期"},
        {"am_open", JF_STRING, true, 5, 5, "上午开始"},
        {"am_close", JF_STRING, true, 5, 5, "上午结束"},
        {"pm_open", JF_STRING, true, 5, 5, "下午开始"},
        {"pm_close", JF_STRING, true, 5, 5, "下午结束"},
        {0},
    };
    int64_t id;
    json_t *in;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, MANAGERS, id, path, sizeof(path), "") ||
        api_body(r, spec, &in))
        return;
    unsigned seen = 0;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(in, "days"), i, d)
    {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "days[%zu].", i);
        yc_err e;
        if (api_check_object(d, day_spec, prefix, &e)) {
            json_decref(in);
            api_fail_err(r, &e);
            return;
        }
        int wd = (int)json_integer_value(json_object_get(d, "weekday"));
        int t[4] = {hhmm(json_string_value(json_object_get(d, "am_open"))),
                    hhmm(json_string_value(json_object_get(d, "am_close"))),
                    hhmm(json_string_value(json_object_get(d, "pm_open"))),
                    hhmm(json_string_value(json_object_get(d, "pm_close")))};
        char field[48];
        snprintf(field, sizeof(field), "%sweekday", prefix);
        if (seen & (1u << wd)) {
            json_decref(in);
            api_fail(r, 400, "FIELD_DUPLICATE", field, "星期%d重复设置", wd);
            return;
        }
        seen |= 1u << wd;
        if (t[0] < 0 || t[1] < 0 || t[2] < 0 || t[3] < 0 ||
            !(t[0] < t[1] && t[1] <= t[2] && t[2] < t[3])) {
            snprintf(field, sizeof(field), "%sam_open", prefix);
            json_decref(in);
            api_fail(r, 400, "HOURS_INVALID", field,
                     "星期%d的时间应为HH:MM，且上午开始<上午结束≤下午开始<下午结束", wd);
            return;
        }
    }
    api_write(r, hours_tx, ctx_new(in, 0, id), org_ctx_free);
}

/* ------------------------------------------------------------ departments */

void h_departments_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    json_t *items = org_departments_list(api_db(r), cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}

static int department_tx(db_conn *tx, api_req *r, void *arg)
{
    static const char *const cols[] = {"name", "short_name", "credit_code", NULL};
    org_ctx *c = arg;
    int64_t id;
    int rc = org_insert(tx, "departments", cols, c->in, ytime_now_ms(), 0, &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "DEPARTMENT_TAKEN", "name", "已有同名部门或相同的统一社会信用代码");
        return rc;
    }
    char summary[160];
    snprintf(summary, sizeof(summary), "新建部门“%s”",
             json_string_value(json_object_get(c->in, "name")));
    if (!rc)
        rc = log_org(tx, r, 0, "department_create", "department", id, summary);
    if (rc)
        return rc;
    json_t *o = org_department_get(tx, id);
    if (!o)
        return YC_EDB;
    api_reply_json(r, 201, o);
    return 0;
}

void h_departments_create(api_req *r)
{
    static const jfield spec[] = {
        {"name", JF_STRING, true, 2, 64, "部门名称"},
        {"short_name", JF_STRING, false, 0, 16, "简称"},
        {"credit_code", JF_STRING, true, 1, 32, "统一社会信用代码"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    ident_credit_info info;
    int rc = ident_check_credit_code(json_string_value(json_object_get(in, "credit_code")), &info);
    if (rc) {
        yc_err e;
        ident_fail(&e, rc, info.check, "credit_code");
        json_decref(in);
        api_fail_err(r, &e);
        return;
    }
    const char *code = info.code;
    json_object_set_new(in, "credit_code", json_string(code));
    if (!json_object_get(in, "short_name"))
        json_object_set_new(in, "short_name", json_string(""));
    api_write(r, department_tx, ctx_new(in, 0, 0), org_ctx_free);
}

/* ------------------------------------------------------------ windows */

void h_windows_list(api_req *r)
{
    const char *cid = api_query(r, "center_id");
    int64_t center_id;
    char path[CENTER_PATH_MAX];
    if (!cid || yparse_i64(cid, 1, INT64_MAX, &center_id)) {
        api_fail(r, 400, "FIELD_REQUIRED", "center_id", "请指定中心（center_id，正整数）");
        return;
    }
    if (api_need_center(r, ROLE_STAFF, center_id, path, sizeof(path), "center_id"))
        return;
    json_t *items = org_windows_list(api_db(r), center_id);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

static const char *const window_cols[] = {
    "center_id",     "zone_id",    "number",       "name",         "kind",   "domain",
    "department_id", "duty_lunch", "duty_weekend", "duty_holiday", "active", NULL};

static const jfield window_spec[] = {
    {"center_id", JF_INT, true, 1, INT64_MAX, "所属中心"},
    {"zone_id", JF_INT, false, 1, INT64_MAX, "功能区"},
    {"number", JF_INT, true, 1, 999, "窗口号"},
    {"name", JF_STRING, true, 1, 32, "窗口名称"},
    {"kind", JF_STRING, true, 1, 16, "窗口类型"},
    {"domain", JF_STRING, false, 0, 16, "领域"},
    {"department_id", JF_INT, false, 1, INT64_MAX, "进驻部门"},
    {"duty_lunch", JF_BOOL, false, 0, 0, "午间值班"},
    {"duty_weekend", JF_BOOL, false, 0, 0, "周末值班"},
    {"duty_holiday", JF_BOOL, false, 0, 0, "节假日值班"},
    {"active", JF_BOOL, false, 0, 0, "启用"},
    {0},
};

/* Kind, domain and department fit together: 0, or -1 after answering. */
static int check_window(api_req *r, json_t *w)
{
    const char *kind = json_string_value(json_object_get(w, "kind"));
    const char *domain = json_string_value(json_object_get(w, "domain"));
    if (!in_table(kind, window_kinds, YC_ARRAY_LEN(window_kinds))) {
        api_fail(r, 400, "FIELD_ENUM", "kind",
                 "窗口类型应为general、domain、dedicated、certificate、consult、complaint、"
                 "cross_region、bundle、tidal或duty");
        return -1;
    }
    bool known_domain = false;
    for (size_t i = 0; domain && i < YC_ARRAY_LEN(domains); i++)
        known_domain |= !strcmp(domain, domains[i]);
    if (!strcmp(kind, "domain") && !known_domain) {
        api_fail(r, 400, "FIELD_ENUM", "domain",
                 "分领域综合受理窗口须指定领域：社保医保、企业开办、建设项目、公共服务、不动产交易"
                 "或社会事务");
        return -1;
    }
    if (strcmp(kind, "domain") && domain && *domain) {
        api_fail(r, 400, "FIELD_FORBIDDEN", "domain", "只有分领域综合受理窗口才指定领域");
        return -1;
    }
    json_t *dept = json_object_get(w, "department_id");
    if (!strcmp(kind, "dedicated") && !json_is_integer(dept)) {
        api_fail(r, 400, "FIELD_REQUIRED", "department_id", "专窗须指定进驻部门");
        return -1;
    }
    if (json_is_integer(dept)) {
        json_t *d = org_department_get(api_db(r), json_integer_value(dept));
        if (!d) {
            api_fail(r, 404, "DEPARTMENT_NOT_FOUND", "department_id", "部门不存在");
            return -1;
        }
        json_decref(d);
    }
    return 0;
}

static int window_reply(db_conn *tx, api_req *r, int64_t id, int status)
{
    json_t *o = org_window_get(tx, id);
    if (!o)
        return YC_EDB;
    json_object_del(o, "center_path");
    api_reply_json(r, status, o);
    return 0;
}

static int window_create_tx(db_conn *tx, api_req *r, void *arg)
{
    org_ctx *c = arg;
    int64_t id;
    int rc = org_insert(tx, "windows", window_cols, c->in, ytime_now_ms(), 1, &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "WINDOW_NUMBER_TAKEN", "number", "该中心已有%lld号窗口",
                 (long long)json_integer_value(json_object_get(c->in, "number")));
        return rc;
    }
    char summary[160];
    snprintf(summary, sizeof(summary), "新建%lld号窗口“%s”",
             (long long)json_integer_value(json_object_get(c->in, "number")),
             json_string_value(json_object_get(c->in, "name")));
    if (!rc)
        rc = log_org(tx, r, c->center_id, "window_create", "window", id, summary);
    return rc ? rc : window_reply(tx, r, id, 201);
}

/* The zone (if given) belongs to the window's center: 0, or -1 after answering. */
static int check_zone(api_req *r, json_t *in, int64_t center_id)
{
    json_t *zone = json_object_get(in, "zone_id");
    if (!json_is_integer(zone))
        return 0;
    json_t *zones = org_zones_list(api_db(r), center_id);
    bool found = false;
    size_t i;
    json_t *z;
    json_array_foreach(zones, i, z) found |=
        json_integer_value(json_object_get(z, "id")) == json_integer_value(zone);
    json_decref(zones);
    if (!found) {
        api_fail(r, 400, "ZONE_NOT_IN_CENTER", "zone_id", "该功能区不属于这个中心");
        return -1;
    }
    return 0;
}

void h_windows_create(api_req *r)
{
    json_t *in;
    if (api_body(r, window_spec, &in))
        return;
    int64_t center_id = json_integer_value(json_object_get(in, "center_id"));
    char path[CENTER_PATH_MAX];
    if (api_need_center(r, MANAGERS, center_id, path, sizeof(path), "center_id") ||
        check_window(r, in) || check_zone(r, in, center_id)) {
        json_decref(in);
        return;
    }
    if (!json_object_get(in, "domain"))
        json_object_set_new(in, "domain", json_string(""));
    if (!json_object_get(in, "active"))
        json_object_set_new(in, "active", json_true());
    api_write(r, window_create_tx, ctx_new(in, 0, center_id), org_ctx_free);
}

static int window_patch_tx(db_conn *tx, api_req *r, void *arg)
{
    org_ctx *c = arg;
    int rc = org_update(tx, "windows", window_cols, c->in, ytime_now_ms(), c->id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "WINDOW_NUMBER_TAKEN", "number", "该中心已有此窗口号");
        return rc;
    }
    if (!rc)
        rc = log_org(tx, r, c->center_id, "window_update", "window", c->id, "修改窗口");
    return rc ? rc : window_reply(tx, r, c->id, 200);
}

void h_windows_patch(api_req *r)
{
    static const jfield spec[] = {
        {"zone_id", JF_INT, false, 1, INT64_MAX, "功能区"},
        {"number", JF_INT, false, 1, 999, "窗口号"},
        {"name", JF_STRING, false, 1, 32, "窗口名称"},
        {"kind", JF_STRING, false, 1, 16, "窗口类型"},
        {"domain", JF_STRING, false, 0, 16, "领域"},
        {"department_id", JF_INT, false, 1, INT64_MAX, "进驻部门"},
        {"duty_lunch", JF_BOOL, false, 0, 0, "午间值班"},
        {"duty_weekend", JF_BOOL, false, 0, 0, "周末值班"},
        {"duty_holiday", JF_BOOL, false, 0, 0, "节假日值班"},
        {"active", JF_BOOL, false, 0, 0, "启用"},
        {0},
    };
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id))
        return;
    json_t *w = api_scoped(r, org_window_get(api_db(r), id), MANAGERS, "WINDOW_NOT_FOUND",
                           "窗口不存在", "您无权管理该窗口所属的中心");
    if (!w)
        return;
    static const char *const nullable[] = {"zone_id", "department_id", NULL};
    if (api_body(r, spec, &in)) {
        json_decref(w);
        return;
    }
    if (api_reject_nulls(r, in, nullable)) {
        json_decref(in);
        json_decref(w);
        return;
    }
    /* Check the window as it will be after the change. */
    json_t *merged = json_deep_copy(w);
    json_object_update(merged, in);
    int64_t center_id = json_integer_value(json_object_get(w, "center_id"));
    json_decref(w);
    int bad = check_window(r, merged) || check_zone(r, in, center_id);
    json_decref(merged);
    if (bad) {
        json_decref(in);
        return;
    }
    api_write(r, window_patch_tx, ctx_new(in, id, center_id), org_ctx_free);
}
