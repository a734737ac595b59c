/*
 * h_calendar.c - the working-day calendar: a year as every staff member's center sees
 * it, the import of national holiday data (administrators), and local overrides
 * (闭厅 closed days, 值守 extra duty days) that center managers set.
 */
#include "api/handlers.h"
#include "service/calendar.h"
#include "store/calendar_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

static const char *const source_names[] = {"week", "national", "local"};

/* ?center_id= (required), in the caller's scope for mask. 0, or -1 after answering. */
static int center_param(api_req *r, uint32_t mask, int64_t *center_id)
{
    const char *cid = api_query(r, "center_id");
    char path[CENTER_PATH_MAX];
    if (!cid || yparse_i64(cid, 1, INT64_MAX, center_id)) {
        api_fail(r, 400, "FIELD_REQUIRED", "center_id", "请指定中心（center_id，正整数）");
        return -1;
    }
    return api_need_center(r, mask, *center_id, path, sizeof(path), "center_id");
}

void h_calendar_year(api_req *r)
{
    int64_t year, center_id;
    const char *ys = api_param(r, 0);
    if (!ys || yparse_i64(ys, WORKCAL_YEAR_MIN, WORKCAL_YEAR_MAX, &year)) {
        api_fail(r, 404, "CALENDAR_YEAR_INVALID", "year", "年份应为%d至%d之间的四位数",
                 WORKCAL_YEAR_MIN, WORKCAL_YEAR_MAX);
        return;
    }
    if (center_param(r, ROLE_STAFF, &center_id))
        return;
    workcal *cal = calendar_load(api_db(r), center_id);
    if (!cal) {
        api_fail_db(r);
        return;
    }
    json_t *days = json_array();
    int working = 0;
    workcal_date d, end;
    workcal_date_from_ymd((int)year, 1, 1, &d);
    workcal_date_from_ymd((int)year, 12, 31, &end);
    for (; d <= end; d++) {
        workcal_day info;
        char date[WORKCAL_DATE_STRLEN];
        workcal_day_info(cal, d, &info);
        workcal_format(d, date, sizeof(date));
        working += info.working;
        json_t *o = json_pack("{s:s,s:i,s:b,s:s}", "date", date, "weekday", workcal_weekday(d),
                              "working", info.working, "source", source_names[info.source]);
        if (info.name)
            json_object_set_new(o, "name", json_string(info.name));
        json_array_append_new(days, o);
    }
    bool loaded = workcal_year_loaded(cal, (int)year);
    workcal_free(cal);
    api_reply_json(r, 200,
                   json_pack("{s:I,s:I,s:b,s:i,s:o}", "year", (json_int_t)year, "center_id",
                             (json_int_t)center_id, "national_data", loaded, "working_days",
                             working, "days", days));
}

typedef struct import_ctx {
    workcal *cal;
    char source[64];
} import_ctx;

static void import_ctx_free(void *p)
{
    import_ctx *c = p;
    workcal_free(c->cal);
    free(c);
}

static int import_tx(db_conn *tx, api_req *r, void *arg)
{
    import_ctx *c = arg;
    int years;
    int rc = calendar_store_import(tx, c->cal, c->source, ytime_now_ms(), &years);
    if (rc)
        return rc;
    char summary[128];
    snprintf(summary, sizeof(summary), "导入节假日数据%d年（%s）", years, c->source);
    audit_actor a;
    api_actor(r, ROLE_ADMIN, 0, &a);
    if ((rc = audit_append(tx, &a, "calendar_import", "calendar", "", summary)))
        return rc;
    json_t *all = calstore_years(tx);
    if (!all)
        return YC_EDB;
    api_reply_json(r, 200, json_pack("{s:i,s:o}", "imported_years", years, "years", all));
    return 0;
}

void h_calendar_import(api_req *r)
{
    const char *ct = api_header(r, "Content-Type");
    if (!ct || strncmp(ct, "application/json", 16) != 0) {
        api_fail(r, 415, "CONTENT_TYPE", "", "请求体应为JSON（Content-Type: application/json）");
        return;
    }
    const char *replace = api_query(r, "replace");
    const char *source = api_query(r, "source");
    workcal_json_problems problems = {0};
    workcal *cal = NULL;
    const ybuf *body = api_body_raw(r);
    if (calendar_parse_import(api_db(r), body->data ? body->data : "", body->len,
                              replace && !strcmp(replace, "1"), &cal, &problems)) {
        json_t *list = json_array();
        for (int i = 0; i < problems.count; i++) {
            workcal_json_problem *p = &problems.items[i];
            json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:s}", "where", p->where,
                                                  "date", p->date, "field", p->field, "rule",
                                                  p->rule, "message", p->message));
        }
        char msg[256];
        snprintf(msg, sizeof(msg), "节假日数据有%d处问题，未导入任何内容",
                 problems.count + problems.dropped);
        json_t *first = json_array_get(list, 0);
        json_t *err = json_pack(
            "{s:s,s:s,s:s,s:o}", "code", "CALENDAR_IMPORT_INVALID", "message", msg, "field",
            first ? json_string_value(json_object_get(first, "field")) : "", "problems", list);
        workcal_json_problems_release(&problems);
        api_reply_json(r, 400, err);
        return;
    }
    workcal_json_problems_release(&problems);
    import_ctx *c = xcalloc(1, sizeof(*c));
    c->cal = cal;
    ystrlcpy(c->source, source && *source && strlen(source) < 60 ? source : "接口导入",
             sizeof(c->source));
    api_write(r, import_tx, c, import_ctx_free);
}

void h_calendar_overrides_list(api_req *r)
{
    int64_t center_id, year;
    if (center_param(r, ROLE_STAFF, &center_id))
        return;
    const char *ys = api_query(r, "year");
    char from[16] = "0000-00-00", to[16] = "9999-99-99";
    if (ys) {
        if (yparse_i64(ys, WORKCAL_YEAR_MIN, WORKCAL_YEAR_MAX, &year)) {
            api_fail(r, 400, "FIELD_RANGE", "year", "年份应为%d至%d", WORKCAL_YEAR_MIN,
                     WORKCAL_YEAR_MAX);
            return;
        }
        snprintf(from, sizeof(from), "%04d-01-01", (int)year);
        snprintf(to, sizeof(to), "%04d-12-31", (int)year);
    }
    json_t *items = calstore_overrides(api_db(r), center_id, from, to);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

typedef struct override_ctx {
    json_t *in;
    int64_t id, center_id;
} override_ctx;

static void override_ctx_free(void *p)
{
    override_ctx *c = p;
    json_decref(c->in);
    free(c);
}

static int override_create_tx(db_conn *tx, api_req *r, void *arg)
{
    override_ctx *c = arg;
    const char *date = json_string_value(json_object_get(c->in, "date"));
    const char *kind = json_string_value(json_object_get(c->in, "kind"));
    int64_t id;
    int rc = calstore_override_insert(tx, c->center_id, date, kind,
                                      json_string_value(json_object_get(c->in, "reason")),
                                      api_who(r)->id, ytime_now_ms(), &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "OVERRIDE_EXISTS", "date", "%s已有本中心的日历调整，请先删除", date);
        return rc;
    }
    if (rc)
        return rc;
    char summary[160], idtext[32];
    snprintf(summary, sizeof(summary), "%s设为%s", date, kind[0] == 'c' ? "闭厅" : "值守上班");
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, MANAGERS);
    if ((rc = audit_append(tx, &a, "calendar_override", "calendar_override", idtext, summary)))
        return rc;
    json_t *o = calstore_override_get(tx, id);
    if (!o)
        return YC_EDB;
    json_object_del(o, "center_path");
    api_reply_json(r, 201, o);
    return 0;
}

void h_calendar_overrides_create(api_req *r)
{
    static const jfield spec[] = {
        {"center_id", JF_INT, true, 1, INT64_MAX, "中心"},
        {"date", JF_STRING, true, 10, 10, "日期"},
        {"kind", JF_STRING, true, 1, 8, "调整类型"},
        {"reason", JF_STRING, true, 2, 100, "原因"},
        {0},
    };
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    int64_t center_id = json_integer_value(json_object_get(in, "center_id"));
    char path[CENTER_PATH_MAX];
    workcal_date d;
    const char *kind = json_string_value(json_object_get(in, "kind"));
    if (api_need_center(r, MANAGERS, center_id, path, sizeof(path), "center_id")) {
        json_decref(in);
        return;
    }
    if (workcal_parse(json_string_value(json_object_get(in, "date")), &d) ||
        d < workcal_date_from_ms(ytime_now_ms()) - 366) {
        json_decref(in);
        api_fail(r, 400, "FIELD_FORMAT", "date",
                 "日期应为YYYY-MM-DD格式的有效日期，且不早于一年前");
        return;
    }
    if (strcmp(kind, "closed") && strcmp(kind, "duty")) {
        json_decref(in);
        api_fail(r, 400, "FIELD_ENUM", "kind", "调整类型应为closed（闭厅）或duty（值守上班）");
        return;
    }
    override_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->center_id = center_id;
    api_write(r, override_create_tx, c, override_ctx_free);
}

static int override_delete_tx(db_conn *tx, api_req *r, void *arg)
{
    override_ctx *c = arg;
    int rc = calstore_override_delete(tx, c->id);
    if (rc == YC_ENOTFOUND) {
        api_fail(r, 404, "OVERRIDE_NOT_FOUND", "", "该日历调整不存在");
        return rc;
    }
    if (rc)
        return rc;
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)c->id);
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, MANAGERS);
    if ((rc = audit_append(tx, &a, "calendar_override_delete", "calendar_override", idtext,
                           "删除日历调整")))
        return rc;
    api_reply_empty(r, 204);
    return 0;
}

void h_calendar_overrides_delete(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *o = api_scoped(r, calstore_override_get(api_db(r), id), MANAGERS, "OVERRIDE_NOT_FOUND",
                           "该日历调整不存在", NULL);
    if (!o)
        return;
    override_ctx *c = xcalloc(1, sizeof(*c));
    c->id = id;
    c->center_id = json_integer_value(json_object_get(o, "center_id"));
    json_decref(o);
    api_write(r, override_delete_tx, c, override_ctx_free);
}
