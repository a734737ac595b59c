/*
 * h_hall.c - the hall queue over HTTP (排队叫号): service lines and settings for
 * managers, tickets for kiosks and guides, window actions for the clerk posted at the
 * window, the phone page's public ticket view, and the overview displays read. The live
 * feed is in sse.c; the rules are in service/hall*.c.
 *
 * Who may act at a window: the clerk whose staff record is posted there
 * (staff.window_id), or a manager/admin of the window's center covering for them.
 * Devices have no window role yet: the device kinds are kiosk, display and rating pad,
 * none of which calls tickets.
 */
#include "api/handlers.h"
#include "core/ident.h"
#include "service/booking.h"
#include "service/hall.h"
#include "service/pii.h"
#include "store/accounts.h"
#include "store/hall.h"
#include "store/requests.h"
#include "store/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANAGERS     (ROLE_ADMIN | ROLE_MANAGER)
#define TICKET_TAKER (ROLE_KIOSK | ROLE_GUIDE | ROLE_CLERK | MANAGERS)

typedef struct hall_ctx {
    json_t *in;
    int64_t id, center_id;
    char action[16];
    char source[16];
    char idem[80];   /* Idempotency-Key, or "" */
    char caller[40]; /* "device:12" / "user:3": whose keys */
    hall_settings settings;
} hall_ctx;

static void hall_ctx_free(void *p)
{
    hall_ctx *c = p;
    json_decref(c->in);
    free(c);
}

static hall_ctx *ctx_new(json_t *in, int64_t id, int64_t center_id)
{
    hall_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->id = id;
    c->center_id = center_id;
    return c;
}

static void caller(api_req *r, int64_t center_id, audit_actor *a, hall_caller *who)
{
    api_actor(r, 0, center_id, a);
    a->role = api_role_code(r, ROLE_ALL_BITS);
    who->actor = a;
    who->user_id = api_who(r)->kind == PRINCIPAL_USER ? api_who(r)->id : 0;
    who->now = ytime_now_ms();
}

/* Answer a service failure: e when it was filled, else a storage error. */
static int fail_tx(api_req *r, int rc, const yc_err *e)
{
    if (e->code)
        api_fail_err(r, e);
    return rc ? rc : YC_EDB;
}

/* ------------------------------------------------------------ lines */

void h_hall_lines_list(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) ||
        api_need_center(r, ROLE_STAFF | ROLE_KIOSK | ROLE_DISPLAY, id, path, sizeof(path), ""))
        return;
    json_t *items = hall_lines_list(api_db(r), id);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

/* item_ids exist; window_ids are windows of center_id. 0, or -1 after answering. */
static int check_members(api_req *r, json_t *in, int64_t center_id)
{
    size_t i;
    json_t *v;
    char field[48];
    json_array_foreach(json_object_get(in, "item_ids"), i, v)
    {
        snprintf(field, sizeof(field), "item_ids[%zu]", i);
        json_t *it = json_is_integer(v) ? org_item_get(api_db(r), json_integer_value(v)) : NULL;
        json_decref(it);
        if (!it) {
            api_fail(r, json_is_integer(v) ? 404 : 400,
                     json_is_integer(v) ? "ITEM_NOT_FOUND" : "FIELD_TYPE", field,
                     json_is_integer(v) ? "事项不存在" : "事项编号应为整数");
            return -1;
        }
    }
    json_array_foreach(json_object_get(in, "window_ids"), i, v)
    {
        snprintf(field, sizeof(field), "window_ids[%zu]", i);
        json_t *w = json_is_integer(v) ? org_window_get(api_db(r), json_integer_value(v)) : NULL;
        bool here = w && json_integer_value(json_object_get(w, "center_id")) == center_id;
        json_decref(w);
        if (!here) {
            api_fail(r, 400, "WINDOW_NOT_IN_CENTER", field, "该窗口不属于这个中心");
            return -1;
        }
    }
    return 0;
}

static int check_prefix(api_req *r, json_t *in)
{
    const char *p = json_string_value(json_object_get(in, "prefix"));
    if (p && (strlen(p) != 1 || p[0] < 'A' || p[0] > 'Z')) {
        api_fail(r, 400, "FIELD_FORMAT", "prefix", "号码前缀应为一个大写字母（A–Z）");
        return -1;
    }
    return 0;
}

static int line_members_tx(db_conn *tx, hall_ctx *c, int64_t id)
{
    int rc = 0;
    json_t *items = json_object_get(c->in, "item_ids"),
           *wins = json_object_get(c->in, "window_ids");
    if (items)
        rc = hall_line_set_items(tx, id, items);
    if (!rc && wins)
        rc = hall_line_set_windows(tx, id, wins);
    return rc;
}

static int line_reply(db_conn *tx, api_req *r, int64_t id, int status)
{
    json_t *o = hall_line_get(tx, id);
    if (!o)
        return YC_EDB;
    json_object_del(o, "center_path");
    api_reply_json(r, status, o);
    return 0;
}

static int line_log(db_conn *tx, api_req *r, int64_t center_id, const char *action, int64_t id,
                    const char *summary)
{
    audit_actor a;
    hall_caller who;
    caller(r, center_id, &a, &who);
    a.role = api_role_code(r, MANAGERS);
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    return audit_append(tx, &a, action, "service_line", idtext, summary);
}

static int line_create_tx(db_conn *tx, api_req *r, void *arg)
{
    hall_ctx *c = arg;
    int64_t id;
    const char *prefix = json_string_value(json_object_get(c->in, "prefix"));
    const char *name = json_string_value(json_object_get(c->in, "name"));
    int rc = hall_line_insert(tx, c->center_id, prefix, name, ytime_now_ms(), &id);
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "LINE_PREFIX_TAKEN", "prefix", "本中心已有前缀为%s的业务队列", prefix);
        return rc;
    }
    char summary[160];
    snprintf(summary, sizeof(summary), "新建业务队列%s“%s”", prefix, name);
    if (!rc)
        rc = line_members_tx(tx, c, id);
    if (!rc)
        rc = line_log(tx, r, c->center_id, "line_create", id, summary);
    return rc ? rc : line_reply(tx, r, id, 201);
}

static const jfield line_spec[] = {
    {"prefix", JF_STRING, true, 1, 1, "号码前缀"},
    {"name", JF_STRING, true, 1, 32, "队列名称"},
    {"item_ids", JF_ARRAY, false, 0, 500, "办理事项"},
    {"window_ids", JF_ARRAY, false, 0, 200, "服务窗口"},
    {0},
};

void h_hall_lines_create(api_req *r)
{
    int64_t id;
    json_t *in;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, MANAGERS, id, path, sizeof(path), "") ||
        api_body(r, line_spec, &in))
        return;
    if (check_prefix(r, in) || check_members(r, in, id)) {
        json_decref(in);
        return;
    }
    api_write(r, line_create_tx, ctx_new(in, 0, id), hall_ctx_free);
}

static int line_patch_tx(db_conn *tx, api_req *r, void *arg)
{
    hall_ctx *c = arg;
    int rc = hall_line_update(tx, c->id, c->in, ytime_now_ms());
    if (rc == DB_ECONSTRAINT) {
        api_fail(r, 409, "LINE_PREFIX_TAKEN", "prefix", "本中心已有该前缀的业务队列");
        return rc;
    }
    if (!rc)
        rc = line_members_tx(tx, c, c->id);
    if (!rc)
        rc = line_log(tx, r, c->center_id, "line_update", c->id, "修改业务队列");
    return rc ? rc : line_reply(tx, r, c->id, 200);
}

void h_hall_lines_patch(api_req *r)
{
    static const jfield spec[] = {
        {"prefix", JF_STRING, false, 1, 1, "号码前缀"},
        {"name", JF_STRING, false, 1, 32, "队列名称"},
        {"active", JF_BOOL, false, 0, 0, "启用"},
        {"item_ids", JF_ARRAY, false, 0, 500, "办理事项"},
        {"window_ids", JF_ARRAY, false, 0, 200, "服务窗口"},
        {0},
    };
    int64_t id;
    json_t *in;
    if (api_param_id(r, 0, &id))
        return;
    json_t *l = api_scoped(r, hall_line_get(api_db(r), id), MANAGERS, "LINE_NOT_FOUND",
                           "业务队列不存在", "您无权管理该业务队列所属的中心");
    if (!l)
        return;
    int64_t center_id = json_integer_value(json_object_get(l, "center_id"));
    json_decref(l);
    static const char *const nullable[] = {NULL};
    if (api_body(r, spec, &in))
        return;
    if (api_reject_nulls(r, in, nullable) || check_prefix(r, in) ||
        check_members(r, in, center_id)) {
        json_decref(in);
        return;
    }
    api_write(r, line_patch_tx, ctx_new(in, id, center_id), hall_ctx_free);
}

/* ------------------------------------------------------------ settings */

static json_t *settings_json(const hall_settings *s)
{
    return json_pack("{s:s,s:I,s:I,s:i,s:I}", "pattern", s->pattern, "aging_s",
                     (json_int_t)s->aging_s, "max_wait_s", (json_int_t)s->max_wait_s,
                     "recall_limit", s->recall_limit, "rejoin_within_s",
                     (json_int_t)s->rejoin_within_s);
}

void h_hall_settings_get(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    hall_settings s;
    if (api_param_id(r, 0, &id) || api_need_center(r, ROLE_STAFF, id, path, sizeof(path), ""))
        return;
    if (hall_settings_get(api_db(r), id, &s)) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, settings_json(&s));
}

static int settings_tx(db_conn *tx, api_req *r, void *arg)
{
    hall_ctx *c = arg;
    int rc = hall_settings_put(tx, c->center_id, &c->settings, ytime_now_ms());
    if (!rc)
        rc = line_log(tx, r, c->center_id, "hall_settings", c->center_id, "修改叫号规则");
    if (rc)
        return rc;
    api_reply_json(r, 200, settings_json(&c->settings));
    return 0;
}

void h_hall_settings_put(api_req *r)
{
    static const jfield spec[] = {
        {"pattern", JF_STRING, false, 5, 20, "叫号比例"},
        {"aging_s", JF_INT, false, 0, 86400, "升级间隔（秒）"},
        {"max_wait_s", JF_INT, false, 0, 86400, "最长等候（秒）"},
        {"recall_limit", JF_INT, false, 0, 10, "重呼次数上限"},
        {"rejoin_within_s", JF_INT, false, 0, 86400, "过号后可重新排队时限（秒）"},
        {0},
    };
    int64_t id;
    json_t *in;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, MANAGERS, id, path, sizeof(path), "") ||
        api_body(r, spec, &in))
        return;
    hall_ctx *c = ctx_new(in, 0, id);
    hall_settings *s = &c->settings;
    if (hall_settings_get(api_db(r), id, s)) {
        hall_ctx_free(c);
        api_fail_db(r);
        return;
    }
    json_t *v;
    if ((v = json_object_get(in, "pattern")))
        ystrlcpy(s->pattern, json_string_value(v), sizeof(s->pattern));
    if ((v = json_object_get(in, "aging_s")))
        s->aging_s = json_integer_value(v);
    if ((v = json_object_get(in, "max_wait_s")))
        s->max_wait_s = json_integer_value(v);
    if ((v = json_object_get(in, "recall_limit")))
        s->recall_limit = (int)json_integer_value(v);
    if ((v = json_object_get(in, "rejoin_within_s")))
        s->rejoin_within_s = json_integer_value(v);
    yc_err e;
    if (hall_settings_check(s, &e)) {
        hall_ctx_free(c);
        api_fail_err(r, &e);
        return;
    }
    api_write(r, settings_tx, c, hall_ctx_free);
}

/* ------------------------------------------------------------ tickets */

static int take_tx(db_conn *tx, api_req *r, void *arg)
{
    hall_ctx *c = arg;
    audit_actor a;
    hall_caller who;
    caller(r, c->center_id, &a, &who);
    const char *prio = json_string_value(json_object_get(c->in, "priority"));
    yc_err e;
    yc_err_clear(&e);
    int64_t first = c->idem[0] ? requests_find(tx, REQ_TICKET, c->caller, c->idem) : 0;
    if (first) { /* a retry: the first answer again (take_answer), nothing new written */
        c->id = first;
        return 0;
    }
    int rc =
        hall_take(tx, &who, c->center_id, json_integer_value(json_object_get(c->in, "line_id")),
                  prio ? prio : "normal", c->source,
                  json_integer_value(json_object_get(c->in, "item_id")), &c->id, &e);
    const char *mobile = json_string_value(json_object_get(c->in, "mobile"));
    if (!rc && mobile) { /* for "your turn is near" (排队状态智能提醒) */
        char *sealed = pii_encrypt(mobile);
        rc = booking_ticket_notify(tx, c->id, sealed);
        free(sealed);
    }
    if (!rc && c->idem[0])
        rc = requests_save(tx, REQ_TICKET, c->caller, c->idem, c->id, who.now);
    if (rc)
        return fail_tx(r, rc, &e);
    api_notify_hall(r);
    return 0;
}

/* The ticket with its place in the queue, read after the commit (api_write_then). */
static void take_answer(api_req *r, db_conn *db, void *arg)
{
    hall_ctx *c = arg;
    json_t *t = hall_ticket_get(db, c->id);
    if (!t || hall_ticket_position(db, t, ytime_now_ms())) {
        json_decref(t);
        api_fail_db(r);
        return;
    }
    json_object_del(t, "center_path");
    api_reply_json(r, 201, t);
}

void h_hall_tickets_create(api_req *r)
{
    static const jfield spec[] = {
        {"line_id", JF_INT, true, 1, INT64_MAX, "业务队列"},
        {"priority", JF_STRING, false, 1, 16, "优先类别"},
        {"item_id", JF_INT, false, 1, INT64_MAX, "办理事项"},
        {"mobile", JF_STRING, false, 1, 20, "手机号码"},
        {0},
    };
    int64_t id;
    json_t *in;
    char idem[API_IDEM_MAX], who[API_CALLER_MAX];
    if (api_param_id(r, 0, &id))
        return;
    if (api_need_kiosk_or_center(r, TICKET_TAKER, id, "取号"))
        return;
    if (api_idempotency(r, idem, who) || api_body(r, spec, &in))
        return;
    const char *mobile = json_string_value(json_object_get(in, "mobile"));
    yc_err e;
    if (mobile && ident_fail(&e, ident_check_mobile(mobile), 0, "mobile")) {
        json_decref(in);
        api_fail_err(r, &e);
        return;
    }
    hall_ctx *c = ctx_new(in, 0, id);
    ystrlcpy(c->idem, idem, sizeof(c->idem));
    ystrlcpy(c->caller, who, sizeof(c->caller));
    ystrlcpy(c->source, api_who(r)->kind == PRINCIPAL_DEVICE ? "kiosk" : "guide",
             sizeof(c->source));
    api_write_then(r, take_tx, take_answer, c, hall_ctx_free);
}

/* The ticket for staff (GET /hall/tickets/{id}). */
void h_hall_ticket_get(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *t = api_scoped(r, hall_ticket_get(api_db(r), id), ROLE_STAFF, "TICKET_NOT_FOUND",
                           "号码不存在", "您无权查看其他中心的号");
    if (!t)
        return;
    if (hall_ticket_position(api_db(r), t, ytime_now_ms())) {
        json_decref(t);
        api_fail_db(r);
        return;
    }
    json_object_del(t, "center_path");
    api_reply_json(r, 200, t);
}

/* The phone page: no login, the random token is the key. Only what the applicant
 * needs: no ids of staff or devices. */
void h_hall_ticket_public(api_req *r)
{
    const char *token = api_param(r, 0);
    json_t *t = token && strlen(token) == 32 ? hall_ticket_by_token(api_db(r), token) : NULL;
    if (!t) {
        api_fail(r, 404, "TICKET_NOT_FOUND", "", "找不到这张号票，请核对二维码");
        return;
    }
    if (hall_ticket_position(api_db(r), t, ytime_now_ms())) {
        json_decref(t);
        api_fail_db(r);
        return;
    }
    static const char *const keep[] = {
        "number",   "line_name", "status",       "window_no",          "service_day",
        "taken_at", "called_at", "people_ahead", "estimated_wait_min", "priority"};
    json_t *o = json_object();
    for (size_t i = 0; i < YC_ARRAY_LEN(keep); i++)
        json_object_set(o, keep[i], json_object_get(t, keep[i]));
    json_decref(t);
    api_reply_json(r, 200, o);
}

static int rejoin_tx(db_conn *tx, api_req *r, void *arg)
{
    hall_ctx *c = arg;
    audit_actor a;
    hall_caller who;
    caller(r, c->center_id, &a, &who);
    yc_err e;
    yc_err_clear(&e);
    json_t *out = NULL;
    int rc = hall_rejoin(tx, &who, c->id, &out, &e);
    if (rc)
        return fail_tx(r, rc, &e);
    json_object_del(out, "center_path");
    api_notify_hall(r);
    api_reply_json(r, 200, out);
    return 0;
}

void h_hall_ticket_rejoin(api_req *r)
{
    static const jfield spec[] = {{0}};
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *t = api_scoped(r, hall_ticket_get(api_db(r), id), TICKET_TAKER, "TICKET_NOT_FOUND",
                           "号码不存在", "不能处理其他中心的号");
    if (!t)
        return;
    int64_t center_id = json_integer_value(json_object_get(t, "center_id"));
    json_decref(t);
    json_t *in = NULL;
    if (api_body_raw(r)->len && api_body(r, spec, &in))
        return;
    api_write(r, rejoin_tx, ctx_new(in, id, center_id), hall_ctx_free);
}
