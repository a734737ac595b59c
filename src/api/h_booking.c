/*
 * h_booking.c - appointments over HTTP (预约). Public routes for applicants (no login:
 * the booking's random token, or ID number + mobile + the SMS code sent to that mobile,
 * are the key), staff
 * routes for phone staff and the hall, kiosk check-in, booking settings, and the
 * outbox view for operators. The rules are in service/booking.c.
 */
#include "api/handlers.h"
#include "core/ident.h"
#include "core/workcal.h"
#include "service/booking.h"
#include "service/pii.h"
#include "service/smscode.h"
#include "store/accounts.h"
#include "store/hall.h"
#include "store/requests.h"
#include "store/outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANAGERS      (ROLE_ADMIN | ROLE_MANAGER)
#define BOOKING_STAFF (ROLE_GUIDE | ROLE_CLERK | MANAGERS)
#define TICKET_TAKER  (ROLE_KIOSK | ROLE_GUIDE | ROLE_CLERK | MANAGERS)

typedef struct bk_ctx {
    json_t *in;
    int64_t id, center_id;
    char channel[12];
    char idem[80];   /* Idempotency-Key of a check-in, or "" */
    char caller[40]; /* whose keys: "device:12" / "user:3" */
    booking_settings set;
} bk_ctx;

static void bk_free(void *p)
{
    bk_ctx *c = p;
    json_decref(c->in);
    free(c);
}

static bk_ctx *bk_new(json_t *in, int64_t id, int64_t center_id)
{
    bk_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->id = id;
    c->center_id = center_id;
    return c;
}

static void who_of(api_req *r, int64_t center_id, audit_actor *a, hall_caller *who)
{
    api_actor(r, 0, center_id, a);
    a->role = api_role_code(r, ROLE_ALL_BITS);
    if (!a->name || !*a->name)
        a->name = "办事群众";
    who->actor = a;
    who->user_id = api_who(r)->kind == PRINCIPAL_USER ? api_who(r)->id : 0;
    who->now = ytime_now_ms();
}

static int fail_tx(api_req *r, int rc, const yc_err *e)
{
    if (e->code)
        api_fail_err(r, e);
    return rc ? rc : YC_EDB;
}

static const char *in_str(const json_t *in, const char *k)
{
    return json_string_value(json_object_get(in, k));
}

/* ------------------------------------------------------------ public */

void h_booking_lines(api_req *r)
{
    int64_t center = 0;
    const char *q = api_query(r, "center_id");
    if (q && yparse_i64(q, 1, INT64_MAX, &center)) {
        api_fail(r, 400, "FIELD_FORMAT", "center_id", "中心编号应为正整数");
        return;
    }
    json_t *items = booking_lines(api_db(r), center);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}

void h_booking_slots(api_req *r)
{
    int64_t line_id, days = 7;
    if (api_param_id(r, 0, &line_id))
        return;
    const char *d = api_query(r, "days");
    if (d && yparse_i64(d, 1, 31, &days)) {
        api_fail(r, 400, "FIELD_RANGE", "days", "天数应为1至31的整数");
        return;
    }
    json_t *out = NULL;
    yc_err e;
    yc_err_clear(&e);
    int rc = booking_slots(api_db(r), line_id, api_query(r, "from"), (int)days, ytime_now_ms(),
                           &out, &e);
    if (rc) {
        fail_tx(r, rc, &e);
        if (!e.code)
            api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, out);
}

static const jfield make_spec[] = {
    {"line_id", JF_INT, true, 1, INT64_MAX, "业务队列"},
    {"date", JF_STRING, true, 10, 10, "预约日期"},
    {"start", JF_STRING, true, 5, 5, "预约时段"},
    {"name", JF_STRING, true, 1, 32, "姓名"},
    {"id_number", JF_STRING, true, 1, 32, "身份证号"},
    {"mobile", JF_STRING, true, 1, 20, "手机号码"},
    {"sms_code", JF_STRING, false, 1, 12, "短信验证码"},
    {0},
};

/* The public proves it holds the mobile: the SMS code must match (service/smscode.h).
 * 0, or a failed request: *commit is then true when a wrong try was counted, which
 * the caller commits (return 0 from its job) so the count survives the failure. */
static int need_sms_code(db_conn *tx, api_req *r, const json_t *in, bool *commit)
{
    yc_err e;
    yc_err_clear(&e);
    const char *mobile = in_str(in, "mobile");
    int rc = ident_fail(&e, ident_check_mobile(mobile), 0, "mobile");
    if (!rc)
        rc = smscode_check(tx, mobile, "booking", in_str(in, "sms_code"), ytime_now_ms(), commit,
                           &e);
    if (rc)
        fail_tx(r, rc, &e);
    return rc;
}

static int make_tx(db_conn *tx, api_req *r, void *arg)
{
    bk_ctx *c = arg;
    audit_actor a;
    hall_caller who;
    who_of(r, c->center_id, &a, &who);
    booking_req rq = {.line_id = json_integer_value(json_object_get(c->in, "line_id")),
                      .date = in_str(c->in, "date"),
                      .start = in_str(c->in, "start"),
                      .name = in_str(c->in, "name"),
                      .id_number = in_str(c->in, "id_number"),
                      .mobile = in_str(c->in, "mobile"),
                      .channel = c->channel};
    json_t *out = NULL;
    yc_err e;
    yc_err_clear(&e);
    int64_t first = c->idem[0] ? requests_find(tx, REQ_BOOKING, c->caller, c->idem) : 0;
    if (first) { /* a retry: the first booking again, nothing new written */
        out = booking_public(booking_get(tx, first));
        if (!out)
            return YC_EDB;
        api_reply_json(r, 201, out);
        return 0;
    }
    bool counted = false;
    if (!c->center_id && need_sms_code(tx, r, c->in, &counted))
        return counted ? 0 : YC_EINVAL;
    int rc = booking_make(tx, &who, &rq, &out, &e);
    if (!rc && c->idem[0])
        rc = requests_save(tx, REQ_BOOKING, c->caller, c->idem,
                           json_integer_value(json_object_get(out, "id")), who.now);
    if (!rc && c->center_id &&
        json_integer_value(json_object_get(out, "center_id")) != c->center_id)
        rc = yc_fail(&e, YC_EINVAL, 400, "LINE_NOT_FOUND", "line_id", "本中心没有这个业务队列");
    if (rc) {
        json_decref(out);
        return fail_tx(r, rc, &e);
    }
    api_reply_json(r, 201, out);
    return 0;
}

/* Start a booking request: body checked, Idempotency-Key scoped to the caller (staff)
 * or, for the public, to the person the ID number names (so one applicant's retry finds
 * their booking and nobody else's). */
static void make(api_req *r, int64_t center_id, const char *channel)
{
    json_t *in;
    char idem[API_IDEM_MAX], who[API_CALLER_MAX];
    if (api_idempotency(r, idem, who) || api_body(r, make_spec, &in))
        return;
    if (!center_id && !json_object_get(in, "sms_code")) {
        json_decref(in);
        api_fail(r, 400, "FIELD_REQUIRED", "sms_code", "缺少必填项：短信验证码");
        return;
    }
    bk_ctx *c = bk_new(in, 0, center_id);
    ystrlcpy(c->channel, channel, sizeof(c->channel));
    ystrlcpy(c->idem, idem, sizeof(c->idem));
    ystrlcpy(c->caller, who, sizeof(c->caller));
    ident_id_info info;
    if (!center_id && idem[0] &&
        !ident_check_id_number(in_str(in, "id_number"), workcal_date_from_ms(ytime_now_ms()),
                               &info)) {
        char index[PII_INDEX_LEN];
        pii_index("ident", info.number, index);
        snprintf(c->caller, sizeof(c->caller), "person:%.32s", index);
    }
    api_write(r, make_tx, c, bk_free);
}

void h_bookings_create(api_req *r)
{
    make(r, 0, "portal");
}

/* Failed lookups count against the caller's address like failed logins do. */
static bool lookup_blocked(api_req *r, bool failed)
{
    char key[96];
    snprintf(key, sizeof(key), "booking:%s", api_client_addr(r));
    int64_t now = ytime_now_ms();
    if (failed)
        throttle_fail(api_login_throttle(r), key, now);
    return throttle_blocked(api_login_throttle(r), key, now);
}

static int lookup_tx(db_conn *tx, api_req *r, void *arg)
{
    bk_ctx *c = arg;
    bool counted = false;
    if (need_sms_code(tx, r, c->in, &counted)) {
        lookup_blocked(r, true);
        return counted ? 0 : YC_EINVAL;
    }
    json_t *out = NULL;
    yc_err e;
    yc_err_clear(&e);
    int rc = booking_lookup(tx, in_str(c->in, "id_number"), in_str(c->in, "mobile"), &out, &e);
    if (rc)
        return fail_tx(r, rc, &e);
    if (!json_array_size(out))
        lookup_blocked(r, true);
    api_reply_json(r, 200, json_pack("{s:o,s:n}", "items", out, "next"));
    return 0;
}

/* My bookings: ID number, mobile and the SMS code sent to that mobile. Wrong codes
 * and empty answers count against the address. */
void h_bookings_lookup(api_req *r)
{
    static const jfield spec[] = {
        {"id_number", JF_STRING, true, 1, 32, "身份证号"},
        {"mobile", JF_STRING, true, 1, 20, "手机号码"},
        {"sms_code", JF_STRING, true, 1, 12, "短信验证码"},
        {0},
    };
    if (lookup_blocked(r, false)) {
        api_fail(r, 429, "TOO_MANY_ATTEMPTS", "", "查询失败次数过多，请稍后再试");
        return;
    }
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    api_write(r, lookup_tx, bk_new(in, 0, 0), bk_free);
}

/* The key of the caller's address in the SMS-code throttle. */
static void sms_key(api_req *r, char key[96])
{
    snprintf(key, 96, "sms:%s", api_client_addr(r));
}

static int sms_code_tx(db_conn *tx, api_req *r, void *arg)
{
    bk_ctx *c = arg;
    smscode_sent sent;
    yc_err e;
    yc_err_clear(&e);
    int64_t now = ytime_now_ms();
    int rc = smscode_send(tx, in_str(c->in, "mobile"), "booking", now, &sent, &e);
    if (rc)
        return fail_tx(r, rc, &e);
    char key[96];
    sms_key(r, key);
    throttle_fail(api_sms_throttle(r), key, now);
    json_t *o = json_pack("{s:I,s:s,s:I,s:i}", "id", (json_int_t)sent.id, "mobile_masked",
                          sent.mobile_masked, "expires_at", (json_int_t)sent.expires_at,
                          "resend_after_s", SMSCODE_GAP_MS / 1000);
    if (api_cfg(r)->sms_demo) /* `yichuang demo`: no SMS gateway, show the code */
        json_object_set_new(o, "demo_code", json_string(sent.code));
    sodium_memzero(sent.code, sizeof(sent.code));
    api_reply_json(r, 201, o);
    return 0;
}

/* Send an SMS verification code for an online booking or lookup (public). */
void h_booking_sms_code(api_req *r)
{
    static const jfield spec[] = {{"mobile", JF_STRING, true, 1, 20, "手机号码"}, {0}};
    char key[96];
    sms_key(r, key);
    if (throttle_blocked(api_sms_throttle(r), key, ytime_now_ms())) {
        api_fail(r, 429, "TOO_MANY_ATTEMPTS", "", "获取验证码过于频繁，请稍后再试");
        return;
    }
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    api_write(r, sms_code_tx, bk_new(in, 0, 0), bk_free);
}

static json_t *by_token(api_req *r)
{
    const char *token = api_param(r, 0);
    json_t *b = token && strlen(token) == 32 ? booking_by_token(api_db(r), token) : NULL;
    if (!b)
        api_fail(r, 404, "BOOKING_NOT_FOUND", "", "找不到这个预约，请核对链接或二维码");
    return b;
}

void h_booking_public(api_req *r)
{
    json_t *b = by_token(r);
    if (b)
        api_reply_json(r, 200, booking_public(b));
}

static const jfield move_spec[] = {
    {"date", JF_STRING, true, 10, 10, "预约日期"},
    {"start", JF_STRING, true, 5, 5, "预约时段"},
    {0},
};

/* Cancel (no body) or reschedule (body {date, start}) booking c->id. */
static int change_tx(db_conn *tx, api_req *r, void *arg)
{
    bk_ctx *c = arg;
    audit_actor a;
    hall_caller who;
    who_of(r, c->center_id, &a, &who);
    json_t *out = NULL;
    yc_err e;
    yc_err_clear(&e);
    int rc = c->in ? booking_reschedule(tx, &who, c->id, in_str(c->in, "date"),
                                        in_str(c->in, "start"), &out, &e)
                   : booking_cancel(tx, &who, c->id, &out, &e);
    if (rc)
        return fail_tx(r, rc, &e);
    api_reply_json(r, 200, out);
    return 0;
}

/* Run a cancel or a reschedule (move) of booking b (already found and allowed; NULL
 * when the answer was given). Steals b. */
static void change(api_req *r, json_t *b, bool move)
{
    json_t *in = NULL;
    if (!b || (move && api_body(r, move_spec, &in))) {
        json_decref(b);
        return;
    }
    bk_ctx *c = bk_new(in, json_integer_value(json_object_get(b, "id")),
                       json_integer_value(json_object_get(b, "center_id")));
    json_decref(b);
    api_write(r, change_tx, c, bk_free);
}

void h_booking_public_cancel(api_req *r)
{
    change(r, by_token(r), false);
}

void h_booking_public_reschedule(api_req *r)
{
    change(r, by_token(r), true);
}

/* ------------------------------------------------------------ staff */

void h_hall_bookings_list(api_req *r)
{
    int64_t id, line = 0;
    char path[CENTER_PATH_MAX], day[11];
    if (api_param_id(r, 0, &id) || api_need_center(r, ROLE_STAFF, id, path, sizeof(path), ""))
        return;
    const char *d = api_query(r, "date");
    workcal_date wd;
    if (d && workcal_parse(d, &wd)) {
        api_fail(r, 400, "FIELD_FORMAT", "date", "日期应为YYYY-MM-DD格式");
        return;
    }
    const char *l = api_query(r, "line_id");
    if (l && yparse_i64(l, 1, INT64_MAX, &line)) {
        api_fail(r, 400, "FIELD_FORMAT", "line_id", "业务队列编号应为正整数");
        return;
    }
    if (d)
        ystrlcpy(day, d, sizeof(day));
    else
        hall_service_day(ytime_now_ms(), day);
    json_t *items = booking_of_day(api_db(r), id, day, line);
    if (!items) {
        api_fail_db(r);
        return;
    }
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        booking_public(o);
        json_object_del(o, "token"); /* staff act by id; the token is the applicant's key */
    }
    api_reply_json(r, 200, json_pack("{s:s,s:o,s:n}", "date", day, "items", items, "next"));
}

void h_hall_bookings_create(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, BOOKING_STAFF, id, path, sizeof(path), ""))
        return;
    make(r, id, "phone");
}

static json_t *staff_booking(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return NULL;
    return api_scoped(r, booking_get(api_db(r), id), BOOKING_STAFF, "BOOKING_NOT_FOUND",
                      "预约不存在", "不能处理其他中心的预约");
}

void h_hall_booking_cancel(api_req *r)
{
    change(r, staff_booking(r), false);
}

void h_hall_booking_reschedule(api_req *r)
{
    change(r, staff_booking(r), true);
}

/* ------------------------------------------------------------ check-in */

static int checkin_tx(db_conn *tx, api_req *r, void *arg)
{
    bk_ctx *c = arg;
    audit_actor a;
    hall_caller who;
    who_of(r, c->center_id, &a, &who);
    json_t *out = NULL;
    yc_err e;
    yc_err_clear(&e);
    int64_t first = c->idem[0] ? requests_find(tx, REQ_TICKET, c->caller, c->idem) : 0;
    if (first) { /* a kiosk's retry after a lost answer: the same ticket again */
        out = hall_ticket_get(tx, first);
        if (!out || hall_ticket_position(tx, out, who.now)) {
            json_decref(out);
            return YC_EDB;
        }
        json_object_del(out, "center_path");
        api_reply_json(r, 201, out);
        return 0;
    }
    int rc = booking_checkin(tx, &who, c->center_id, in_str(c->in, "code"),
                             in_str(c->in, "id_number"), &out, &e);
    if (!rc && c->idem[0])
        rc = requests_save(tx, REQ_TICKET, c->caller, c->idem,
                           json_integer_value(json_object_get(out, "id")), who.now);
    if (rc) {
        json_decref(out);
        return fail_tx(r, rc, &e);
    }
    json_object_del(out, "center_path");
    api_notify_hall(r);
    api_reply_json(r, 201, out);
    return 0;
}

void h_hall_checkin(api_req *r)
{
    static const jfield spec[] = {
        {"code", JF_STRING, false, 1, 40, "预约码"},
        {"id_number", JF_STRING, false, 1, 32, "身份证号"},
        {0},
    };
    int64_t id;
    json_t *in;
    char idem[API_IDEM_MAX], who[API_CALLER_MAX];
    if (api_param_id(r, 0, &id))
        return;
    if (api_need_kiosk_or_center(r, TICKET_TAKER, id, "签到"))
        return;
    if (api_idempotency(r, idem, who) || api_body(r, spec, &in))
        return;
    bk_ctx *c = bk_new(in, 0, id);
    ystrlcpy(c->idem, idem, sizeof(c->idem));
    ystrlcpy(c->caller, who, sizeof(c->caller));
    api_write(r, checkin_tx, c, bk_free);
}

/* ------------------------------------------------------------ phone notice */

typedef struct notify_ctx {
    int64_t ticket_id;
    char *sealed;
} notify_ctx;

static void notify_free(void *p)
{
    notify_ctx *c = p;
    free(c->sealed);
    free(c);
}

static int notify_tx(db_conn *tx, api_req *r, void *arg)
{
    notify_ctx *c = arg;
    int rc = booking_ticket_notify(tx, c->ticket_id, c->sealed);
    if (rc)
        return rc;
    api_reply_empty(r, 204);
    return 0;
}

/* POST /hall/t/{token}/notify {mobile}: the phone page's "text me when my turn is near"
 * (排队状态智能提醒) for a waiting ticket; the token is the key. */
void h_hall_ticket_notify(api_req *r)
{
    static const jfield spec[] = {{"mobile", JF_STRING, true, 1, 20, "手机号码"}, {0}};
    const char *token = api_param(r, 0);
    json_t *t = token && strlen(token) == 32 ? hall_ticket_by_token(api_db(r), token) : NULL;
    if (!t) {
        api_fail(r, 404, "TICKET_NOT_FOUND", "", "找不到这张号票，请核对二维码");
        return;
    }
    const char *st = json_string_value(json_object_get(t, "status"));
    bool waiting = st && (!strcmp(st, "waiting") || !strcmp(st, "transferred"));
    int64_t id = json_integer_value(json_object_get(t, "id"));
    json_decref(t);
    if (!waiting) {
        api_fail(r, 409, "TICKET_NOT_WAITING", "", "这张号票已不在等候中，无需提醒");
        return;
    }
    json_t *in;
    if (api_body(r, spec, &in))
        return;
    yc_err e;
    const char *mobile = in_str(in, "mobile");
    if (ident_fail(&e, ident_check_mobile(mobile), 0, "mobile")) {
        json_decref(in);
        api_fail_err(r, &e);
        return;
    }
    notify_ctx *c = xcalloc(1, sizeof(*c));
    c->ticket_id = id;
    c->sealed = pii_encrypt(mobile);
    json_decref(in);
    api_write(r, notify_tx, c, notify_free);
}

/* ------------------------------------------------------------ settings */

static json_t *settings_json(const booking_settings *s)
{
    return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "slot_min", s->slot_min,
                     "horizon_days", s->horizon_days, "book_pct", s->book_pct, "default_handle_min",
                     s->default_handle_min, "early_min", s->early_min, "late_grace_min",
                     s->late_grace_min, "noshow_limit", s->noshow_limit, "noshow_window_days",
                     s->noshow_window_days, "suspend_days", s->suspend_days);
}

void h_booking_settings_get(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    booking_settings s;
    if (api_param_id(r, 0, &id) || api_need_center(r, ROLE_STAFF, id, path, sizeof(path), ""))
        return;
    if (booking_settings_get(api_db(r), id, &s)) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, settings_json(&s));
}

static int settings_tx(db_conn *tx, api_req *r, void *arg)
{
    bk_ctx *c = arg;
    int rc = booking_settings_put(tx, c->center_id, &c->set, ytime_now_ms());
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, MANAGERS);
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)c->center_id);
    if (!rc)
        rc = audit_append(tx, &a, "booking_settings", "center", idtext, "修改预约规则");
    if (rc)
        return rc;
    api_reply_json(r, 200, settings_json(&c->set));
    return 0;
}

void h_booking_settings_put(api_req *r)
{
    static const jfield spec[] = {
        {"slot_min", JF_INT, false, 10, 240, "时段长度（分钟）"},
        {"horizon_days", JF_INT, false, 1, 90, "可预约天数"},
        {"book_pct", JF_INT, false, 0, 100, "预约占比（%）"},
        {"default_handle_min", JF_INT, false, 1, 240, "默认办理时长（分钟）"},
        {"early_min", JF_INT, false, 0, 240, "提前签到（分钟）"},
        {"late_grace_min", JF_INT, false, 0, 120, "迟到宽限（分钟）"},
        {"noshow_limit", JF_INT, false, 0, 20, "爽约次数上限"},
        {"noshow_window_days", JF_INT, false, 1, 365, "爽约统计天数"},
        {"suspend_days", JF_INT, false, 1, 365, "暂停预约天数"},
        {0},
    };
    int64_t id;
    json_t *in;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, MANAGERS, id, path, sizeof(path), "") ||
        api_body(r, spec, &in))
        return;
    bk_ctx *c = bk_new(in, 0, id);
    if (booking_settings_get(api_db(r), id, &c->set)) {
        bk_free(c);
        api_fail_db(r);
        return;
    }
    booking_settings *s = &c->set;
    struct {
        const char *k;
        int *v;
    } f[] = {{"slot_min", &s->slot_min},         {"horizon_days", &s->horizon_days},
             {"book_pct", &s->book_pct},         {"default_handle_min", &s->default_handle_min},
             {"early_min", &s->early_min},       {"late_grace_min", &s->late_grace_min},
             {"noshow_limit", &s->noshow_limit}, {"noshow_window_days", &s->noshow_window_days},
             {"suspend_days", &s->suspend_days}};
    for (size_t i = 0; i < YC_ARRAY_LEN(f); i++) {
        json_t *v = json_object_get(in, f[i].k);
        if (v)
            *f[i].v = (int)json_integer_value(v);
    }
    api_write(r, settings_tx, c, bk_free);
}

/* ------------------------------------------------------------ outbox */

void h_outbox_list(api_req *r)
{
    int limit;
    int64_t cursor;
    if (api_page(r, &limit, &cursor))
        return;
    const char *status = api_query(r, "status");
    if (status && strcmp(status, "pending") && strcmp(status, "sent") && strcmp(status, "failed") &&
        strcmp(status, "cancelled")) {
        api_fail(r, 400, "FIELD_ENUM", "status",
                 "status应为pending（待发）、sent（已发）、failed（失败）或cancelled（已取消）");
        return;
    }
    const char *ref = api_query(r, "ref");
    const char *root = api_root_scope(r, MANAGERS) ? "" : api_list_root(r, MANAGERS);
    json_t *items = outbox_list(api_db(r), status, ref, root, cursor, limit);
    if (!items) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, api_page_body(items, limit, "id"));
}
