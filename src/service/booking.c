/* booking.c - see booking.h. */
#include "service/booking.h"
#include "core/ident.h"
#include "core/mask.h"
#include "service/calendar.h"
#include "service/hall_internal.h"
#include "service/outbox.h"
#include "service/pii.h"
#include "store/people.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS      (24LL * 3600 * 1000)
#define MIN_MS      (60LL * 1000)
#define CST_MS      (8LL * 3600 * 1000)
#define MAX_DAYS    31
#define HANDLE_DAYS 28 /* handling times of the last four weeks decide capacity */
#define HANDLE_MIN  20 /* finished tickets needed before they override the default */

static const char *const WEEKDAYS[] = {"",       "星期一", "星期二", "星期三",
                                       "星期四", "星期五", "星期六", "星期日"};

/* ------------------------------------------------------------ the day's slots */

typedef struct day_plan {
    int64_t center_id, line_id;
    char line_name[128], prefix[2];
    bool active;
    booking_settings set;
    workcal_date date;
    char day[WORKCAL_DATE_STRLEN];
    bool working, closed;
    char note[160]; /* why there are no slots, or the day's name */
    int n;
    slots_slot slot[SLOTS_MAX];
} day_plan;

static int64_t slot_ms(workcal_date d, int min)
{
    return (int64_t)d * DAY_MS - CST_MS + (int64_t)min * MIN_MS;
}

static int load_line(db_conn *c, int64_t line_id, day_plan *p, yc_err *e)
{
    json_t *line = hall_line_get(c, line_id);
    if (!line)
        return yc_fail(e, YC_ENOTFOUND, 404, "LINE_NOT_FOUND", "line_id",
                       "业务队列不存在（编号%lld）", (long long)line_id);
    p->line_id = line_id;
    p->center_id = json_integer_value(json_object_get(line, "center_id"));
    ystrlcpy(p->line_name, json_string_value(json_object_get(line, "name")), sizeof(p->line_name));
    ystrlcpy(p->prefix, json_string_value(json_object_get(line, "prefix")), sizeof(p->prefix));
    p->active = json_is_true(json_object_get(line, "is_active"));
    json_decref(line);
    if (booking_settings_get(c, p->center_id, &p->set))
        return YC_EDB;
    return 0;
}

/* Fill p's slots for date d (line already loaded). */
static int plan_day(db_conn *c, const workcal *cal, workcal_date d, day_plan *p)
{
    p->date = d;
    workcal_format(d, p->day, sizeof(p->day));
    p->n = 0;
    p->note[0] = '\0';
    workcal_day info;
    workcal_day_info(cal, d, &info);
    p->working = info.working;
    p->closed = !info.working && info.source == WORKCAL_SRC_LOCAL;
    if (info.name)
        ystrlcpy(p->note, info.name, sizeof(p->note));
    if (p->closed) {
        snprintf(p->note, sizeof(p->note), "本中心当日闭厅%s%s", info.name ? "：" : "",
                 info.name ? info.name : "");
        return 0;
    }
    slots_window wins[64];
    int nw = booking_line_windows(c, p->line_id, wins, 64);
    if (nw < 0)
        return YC_EDB;
    slots_day sd = {.working = info.working,
                    .holiday = !info.working && info.source != WORKCAL_SRC_WEEK,
                    .windows = wins,
                    .nwindows = nw,
                    .slot_min = p->set.slot_min,
                    .book_pct = p->set.book_pct};
    int rc = booking_hours(c, p->center_id, workcal_weekday(d), &sd.hours);
    if (rc == YC_ENOTFOUND) /* e.g. a 调休 Saturday: the Monday hours apply */
        rc = booking_hours(c, p->center_id, 1, &sd.hours);
    if (rc == YC_ENOTFOUND) {
        ystrlcpy(p->note, "本中心尚未设置开放时间", sizeof(p->note));
        return 0;
    }
    if (rc)
        return rc;
    double mean;
    int64_t seen = 0;
    if (booking_line_handling(c, p->line_id, slot_ms(d, 0) - HANDLE_DAYS * DAY_MS, &mean, &seen))
        return YC_EDB;
    sd.handle_min = seen >= HANDLE_MIN && mean > 0.5 ? mean : p->set.default_handle_min;
    p->n = slots_for_day(&sd, p->slot, SLOTS_MAX);
    if (!p->n && !p->note[0])
        ystrlcpy(p->note, info.working ? "该业务当日无窗口办理" : "休息日，该业务不办理",
                 sizeof(p->note));
    else if (!p->n && !info.working)
        snprintf(p->note + strlen(p->note), sizeof(p->note) - strlen(p->note),
                 "%s休息日，该业务不办理", p->note[0] ? "，" : "");
    return 0;
}

static workcal_date today_of(int64_t now)
{
    return workcal_date_from_ms(now);
}

static bool in_horizon(const day_plan *p, workcal_date d, int64_t now)
{
    workcal_date t = today_of(now);
    return d >= t && d <= t + p->set.horizon_days;
}

static json_t *day_json(const day_plan *p, json_t *taken, int64_t now)
{
    json_t *slots = json_array();
    bool horizon = in_horizon(p, p->date, now);
    for (int i = 0; i < p->n; i++) {
        char s[6], en[6];
        slots_format_hm(p->slot[i].start, s);
        slots_format_hm(p->slot[i].end, en);
        int64_t used = json_integer_value(json_object_get(taken, s));
        int64_t avail = p->slot[i].capacity - used;
        json_array_append_new(
            slots, json_pack("{s:s,s:s,s:i,s:i,s:I,s:I,s:b}", "start", s, "end", en, "windows",
                             p->slot[i].windows, "capacity", p->slot[i].capacity, "taken",
                             (json_int_t)used, "available", (json_int_t)(avail > 0 ? avail : 0),
                             "open", horizon && slot_ms(p->date, p->slot[i].start) > now));
    }
    int wd = workcal_weekday(p->date);
    return json_pack("{s:s,s:s,s:b,s:s,s:o}", "date", p->day, "weekday", WEEKDAYS[wd], "working",
                     p->working, "note", p->note, "slots", slots);
}

int booking_slots(db_conn *c, int64_t line_id, const char *from, int days, int64_t now,
                  json_t **out, yc_err *e)
{
    workcal_date d0;
    if (!from || !*from)
        d0 = today_of(now);
    else if (workcal_parse(from, &d0))
        return yc_fail(e, YC_EINVAL, 400, "FIELD_FORMAT", "from", "日期应为YYYY-MM-DD格式");
    if (days < 1 || days > MAX_DAYS)
        return yc_fail(e, YC_EINVAL, 400, "FIELD_RANGE", "days", "天数应为1至%d", MAX_DAYS);
    day_plan *p = xcalloc(1, sizeof(*p));
    int rc = load_line(c, line_id, p, e);
    workcal *cal = rc ? NULL : calendar_load(c, p->center_id);
    if (!rc && !cal)
        rc = YC_EDB;
    json_t *arr = json_array();
    for (int i = 0; !rc && i < days; i++) {
        rc = plan_day(c, cal, d0 + i, p);
        json_t *taken = rc ? NULL : booking_slot_taken(c, line_id, p->day);
        if (!rc && !taken)
            rc = YC_EDB;
        if (!rc)
            json_array_append_new(arr, day_json(p, taken, now));
        json_decref(taken);
    }
    if (!rc)
        *out = json_pack("{s:{s:I,s:I,s:s,s:s,s:b},s:i,s:i,s:o}", "line", "id", (json_int_t)line_id,
                         "center_id", (json_int_t)p->center_id, "name", p->line_name, "prefix",
                         p->prefix, "active", p->active, "slot_min", p->set.slot_min,
                         "horizon_days", p->set.horizon_days, "days", arr);
    else
        json_decref(arr);
    workcal_free(cal);
    free(p);
    return rc;
}

/* ------------------------------------------------------------ booking */

json_t *booking_public(json_t *b)
{
    if (!b)
        return NULL;
    static const char *const drop[] = {"mobile_cipher", "mobile_index", "person_id", "center_path",
                                       "created_by"};
    for (size_t i = 0; i < YC_ARRAY_LEN(drop); i++)
        json_object_del(b, drop[i]);
    return b;
}

/* Eight digits: typed on a kiosk's number pad or read out on the phone. Only a kiosk
 * of the booking's own center takes a code (the public routes need the token). */
static void new_code(char out[9])
{
    for (int i = 0; i < 8; i++)
        out[i] = (char)('0' + randombytes_uniform(10));
    out[8] = '\0';
}

typedef struct applicant {
    char ident[19], name[100];
    char *ident_cipher, *ident_masked, *mobile_cipher, *mobile_masked;
    char ident_index[PII_INDEX_LEN], mobile_index[PII_INDEX_LEN];
} applicant;

static void applicant_free(applicant *a)
{
    free(a->ident_cipher);
    free(a->ident_masked);
    free(a->mobile_cipher);
    free(a->mobile_masked);
    sodium_memzero(a->ident, sizeof(a->ident));
}

/* Validate ID number (and mobile, if given) and seal them. */
static int applicant_check(const char *id_number, const char *mobile, int64_t now, applicant *a,
                           yc_err *e)
{
    memset(a, 0, sizeof(*a));
    ident_id_info info;
    int rc = ident_check_id_number(id_number, workcal_date_from_ms(now), &info);
    if (rc)
        return ident_fail(e, rc, info.check, "id_number");
    if (mobile && (rc = ident_check_mobile(mobile)))
        return ident_fail(e, rc, 0, "mobile");
    ystrlcpy(a->ident, info.number, sizeof(a->ident));
    pii_index("ident", a->ident, a->ident_index);
    if (mobile) {
        pii_index("mobile", mobile, a->mobile_index);
        a->mobile_cipher = pii_encrypt(mobile);
        a->mobile_masked = mask_phone(mobile);
    }
    return 0;
}

/* The person with this ID number, created (as a citizen) when unknown. */
static int applicant_person(db_conn *tx, applicant *a, const char *name, int64_t now,
                            int64_t *person_id)
{
    json_t *found = people_find(tx, a->ident_index, NULL, 1);
    if (!found)
        return YC_EDB;
    json_t *first = json_array_get(found, 0);
    *person_id = first ? json_integer_value(json_object_get(first, "id")) : 0;
    json_decref(found);
    if (*person_id)
        return 0;
    a->ident_cipher = pii_encrypt(a->ident);
    a->ident_masked = mask_id_number(a->ident);
    person_row row = {.kind = "citizen",
                      .name = name,
                      .ident_cipher = a->ident_cipher,
                      .ident_index = a->ident_index,
                      .ident_masked = a->ident_masked,
                      .mobile_cipher = a->mobile_cipher,
                      .mobile_index = a->mobile_index,
                      .mobile_masked = a->mobile_masked};
    return people_insert(tx, &row, now, person_id);
}

static int person_of(db_conn *c, const applicant *a, int64_t *person_id)
{
    json_t *found = people_find(c, a->ident_index, NULL, 1);
    if (!found)
        return YC_EDB;
    json_t *first = json_array_get(found, 0);
    *person_id = first ? json_integer_value(json_object_get(first, "id")) : 0;
    json_decref(found);
    return 0;
}

static int check_suspension(db_conn *tx, const booking_settings *s, int64_t person_id, int64_t now,
                            yc_err *e)
{
    int64_t t[64];
    int n = booking_noshows(tx, person_id, t, 64);
    if (n < 0)
        return YC_EDB;
    int64_t until =
        slots_suspended_until(t, n, now, s->noshow_limit, s->noshow_window_days, s->suspend_days);
    if (!until)
        return 0;
    char d[WORKCAL_DATE_STRLEN];
    workcal_format(workcal_date_from_ms(until), d, sizeof(d));
    return yc_fail(e, YC_EPERM, 403, "BOOKING_SUSPENDED", "id_number",
                   "您在%d天内有%d次预约未按时到场，预约功能暂停至%s；现场取号不受影响",
                   s->noshow_window_days, s->noshow_limit, d);
}

/* Find the slot starting at start on date in plan p (line loaded). */
static int pick_slot(db_conn *tx, day_plan *p, const char *date, const char *start, int64_t now,
                     const slots_slot **slot, yc_err *e)
{
    workcal_date d;
    if (workcal_parse(date, &d))
        return yc_fail(e, YC_EINVAL, 400, "FIELD_FORMAT", "date", "预约日期应为YYYY-MM-DD格式");
    int m = slots_parse_hm(start);
    if (m < 0)
        return yc_fail(e, YC_EINVAL, 400, "FIELD_FORMAT", "start", "预约时段应为HH:MM格式");
    if (!in_horizon(p, d, now))
        return yc_fail(e, YC_EINVAL, 400, "BOOKING_OUT_OF_RANGE", "date",
                       "只能预约今天起%d天内的时段", p->set.horizon_days);
    workcal *cal = calendar_load(tx, p->center_id);
    if (!cal)
        return YC_EDB;
    int rc = plan_day(tx, cal, d, p);
    workcal_free(cal);
    if (rc)
        return rc;
    if (!p->n)
        return yc_fail(e, YC_EINVAL, 400, p->working ? "DAY_NO_SLOTS" : "DAY_CLOSED", "date",
                       "%s（%s）不可预约：%s", date, WEEKDAYS[workcal_weekday(d)], p->note);
    for (int i = 0; i < p->n; i++)
        if (p->slot[i].start == m) {
            if (slot_ms(d, m) <= now)
                return yc_fail(e, YC_EINVAL, 400, "SLOT_PAST", "start",
                               "%s %s的时段已开始或已过去，请选择之后的时段", date, start);
            *slot = &p->slot[i];
            return 0;
        }
    return yc_fail(e, YC_EINVAL, 400, "SLOT_NOT_FOUND", "start",
                   "%s没有从%s开始的预约时段（时段长%d分钟，请从可选时段中选择）", date, start,
                   p->set.slot_min);
}

static int sms_booking(db_conn *tx, const json_t *b, const char *topic, const char *body,
                       int64_t due, int64_t now)
{
    char ref[64];
    snprintf(ref, sizeof(ref), "booking:%lld:%s",
             (long long)json_integer_value(json_object_get(b, "id")), topic);
    return outbox_sms(tx, json_integer_value(json_object_get(b, "center_id")), topic, ref,
                      json_string_value(json_object_get(b, "mobile_cipher")),
                      json_string_value(json_object_get(b, "mobile_masked")), body, due, now);
}

#define S(b, k) json_string_value(json_object_get(b, k))

static int queue_reminders(db_conn *tx, const json_t *b, int64_t now)
{
    char body[512];
    snprintf(body, sizeof(body),
             "【一窗】%s，您已预约%s“%s”：%s %s-%s，预约码%s。请带身份证在时段开始前到大厅"
             "取号机“预约签到”取号；不能前来请提前取消。",
             S(b, "name"), S(b, "center_name"), S(b, "line_name"), S(b, "service_day"),
             S(b, "slot_start"), S(b, "slot_end"), S(b, "code"));
    int rc = sms_booking(tx, b, "booking_confirm", body, now, now);
    int64_t eve, soon;
    slots_reminders(json_integer_value(json_object_get(b, "start_at")), now, &eve, &soon);
    if (!rc && eve) {
        snprintf(body, sizeof(body), "【一窗】提醒：您明天%s-%s在%s办理“%s”，预约码%s。",
                 S(b, "slot_start"), S(b, "slot_end"), S(b, "center_name"), S(b, "line_name"),
                 S(b, "code"));
        rc = sms_booking(tx, b, "remind_eve", body, eve, now);
    }
    if (!rc && soon) {
        snprintf(body, sizeof(body),
                 "【一窗】您预约的“%s”将于%s开始，请到%s取号机“预约签到”，预约码%s。",
                 S(b, "line_name"), S(b, "slot_start"), S(b, "center_name"), S(b, "code"));
        rc = sms_booking(tx, b, "remind_30", body, soon, now);
    }
    return rc;
}

static int booking_audit(db_conn *tx, const hall_caller *who, const char *action, int64_t id,
                         const char *summary)
{
    char idtext[32];
    snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
    return audit_append(tx, who->actor, action, "booking", idtext, summary);
}

static int insert_booking(db_conn *tx, const hall_caller *who, day_plan *p, const slots_slot *slot,
                          const applicant *a, const char *name, int64_t person_id,
                          const char *channel, int64_t replaces_id, int64_t *id, yc_err *e)
{
    int64_t used;
    char start[6], end[6];
    slots_format_hm(slot->start, start);
    slots_format_hm(slot->end, end);
    int rc = booking_slot_count(tx, p->line_id, p->day, start, &used);
    if (rc)
        return rc;
    if (used >= slot->capacity)
        return yc_fail(e, YC_ECONFLICT, 409, "SLOT_FULL", "start",
                       "%s %s-%s的“%s”预约已满（%d个），请选择其他时段", p->day, start, end,
                       p->line_name, slot->capacity);
    booking_new b = {.center_id = p->center_id,
                     .line_id = p->line_id,
                     .person_id = person_id,
                     .replaces_id = replaces_id,
                     .name = name,
                     .ident_masked = a->ident_masked,
                     .mobile_cipher = a->mobile_cipher,
                     .mobile_index = a->mobile_index,
                     .mobile_masked = a->mobile_masked,
                     .day = p->day,
                     .slot_start = start,
                     .slot_end = end,
                     .start_at = slot_ms(p->date, slot->start),
                     .end_at = slot_ms(p->date, slot->end),
                     .channel = channel,
                     .created_by = who->actor->name,
                     .now = who->now};
    char code[9], token[33];
    unsigned char raw[16];
    for (int tries = 0; tries < 4; tries++) {
        new_code(code);
        randombytes_buf(raw, sizeof(raw));
        yhex(raw, sizeof(raw), token);
        b.code = code;
        b.token = token;
        rc = booking_insert(tx, &b, id);
        if (rc != DB_ECONSTRAINT)
            break;
        json_t *mine = booking_for_checkin(tx, p->center_id, person_id, p->day);
        size_t i;
        json_t *o;
        bool dup = false;
        json_array_foreach(mine, i, o) dup |=
            json_integer_value(json_object_get(o, "line_id")) == p->line_id;
        json_decref(mine);
        if (dup)
            return yc_fail(e, YC_ECONFLICT, 409, "BOOKING_DUPLICATE", "date",
                           "您已预约%s的“%s”，同一业务每天只能预约一个时段", p->day, p->line_name);
    }
    return rc;
}

int booking_make(db_conn *tx, const hall_caller *who, const booking_req *rq, json_t **out,
                 yc_err *e)
{
    if (!rq->name || !*rq->name)
        return yc_fail(e, YC_EINVAL, 400, "FIELD_REQUIRED", "name", "请填写姓名");
    if (!rq->mobile)
        return yc_fail(e, YC_EINVAL, 400, "FIELD_REQUIRED", "mobile",
                       "请填写手机号码，用于接收预约确认和提醒");
    applicant a;
    int rc = applicant_check(rq->id_number, rq->mobile, who->now, &a, e);
    day_plan *p = xcalloc(1, sizeof(*p));
    const slots_slot *slot = NULL;
    int64_t person_id = 0, id = 0;
    if (!rc)
        rc = load_line(tx, rq->line_id, p, e);
    if (!rc && !p->active)
        rc = yc_fail(e, YC_ECONFLICT, 409, "LINE_INACTIVE", "line_id",
                     "业务队列“%s”已停用，暂不接受预约", p->line_name);
    if (!rc)
        rc = pick_slot(tx, p, rq->date, rq->start, who->now, &slot, e);
    if (!rc)
        rc = applicant_person(tx, &a, rq->name, who->now, &person_id);
    if (!rc)
        rc = check_suspension(tx, &p->set, person_id, who->now, e);
    if (!rc && !a.ident_masked)
        a.ident_masked = mask_id_number(a.ident);
    if (!rc)
        rc = insert_booking(tx, who, p, slot, &a, rq->name, person_id, rq->channel, 0, &id, e);
    json_t *b = rc ? NULL : booking_get(tx, id);
    if (!rc && !b)
        rc = YC_EDB;
    if (!rc)
        rc = queue_reminders(tx, b, who->now);
    if (!rc) {
        char summary[200];
        snprintf(summary, sizeof(summary), "预约%s %s %s（%s，%s，%s）", p->line_name, p->day,
                 S(b, "slot_start"), a.ident_masked, a.mobile_masked, rq->channel);
        rc = booking_audit(tx, who, "booking_create", id, summary);
    }
    applicant_free(&a);
    free(p);
    if (rc) {
        json_decref(b);
        return rc;
    }
    *out = booking_public(b);
    return 0;
}

static int need_booked(const json_t *b, yc_err *e)
{
    const char *st = S(b, "status");
    if (!strcmp(st, "booked"))
        return 0;
    static const struct {
        const char *status, *code, *msg;
    } why[] = {
        {"cancelled", "BOOKING_CANCELLED", "该预约已取消"},
        {"checked_in", "BOOKING_CHECKED_IN", "该预约已签到取号"},
        {"late", "BOOKING_CHECKED_IN", "该预约已签到取号"},
        {"no_show", "BOOKING_MISSED", "该预约已过时段未签到，记为爽约"},
        {"rescheduled", "BOOKING_RESCHEDULED", "该预约已改约，请使用新的预约码"},
    };
    for (size_t i = 0; i < YC_ARRAY_LEN(why); i++)
        if (!strcmp(st, why[i].status)) {
            if (!strcmp(st, "checked_in") || !strcmp(st, "late"))
                return yc_fail(e, YC_ECONFLICT, 409, why[i].code, "", "%s（号码%s）", why[i].msg,
                               json_is_string(json_object_get(b, "ticket_number"))
                                   ? S(b, "ticket_number")
                                   : "");
            return yc_fail(e, YC_ECONFLICT, 409, why[i].code, "", "%s", why[i].msg);
        }
    return yc_fail(e, YC_ECONFLICT, 409, "BOOKING_STATE", "", "该预约当前状态不能进行此操作");
}

static int cancel_messages(db_conn *tx, const json_t *b, const char *why, int64_t now)
{
    char prefix[48], body[400];
    snprintf(prefix, sizeof(prefix),
             "booking:%lld:", (long long)json_integer_value(json_object_get(b, "id")));
    int rc = outbox_cancel_prefix(tx, prefix);
    snprintf(body, sizeof(body), "【一窗】您%s %s-%s在%s办理“%s”的预约（预约码%s）已%s。",
             S(b, "service_day"), S(b, "slot_start"), S(b, "slot_end"), S(b, "center_name"),
             S(b, "line_name"), S(b, "code"), why);
    return rc ? rc : sms_booking(tx, b, "booking_cancel", body, now, now);
}

int booking_cancel(db_conn *tx, const hall_caller *who, int64_t id, json_t **out, yc_err *e)
{
    json_t *b = booking_get(tx, id);
    if (!b)
        return yc_fail(e, YC_ENOTFOUND, 404, "BOOKING_NOT_FOUND", "", "预约不存在");
    int rc = need_booked(b, e);
    if (!rc)
        rc = booking_set_status(tx, id, "booked", "cancelled", 0, who->now);
    if (!rc)
        rc = cancel_messages(tx, b, "取消", who->now);
    if (!rc) {
        char summary[160];
        snprintf(summary, sizeof(summary), "取消预约%s（%s %s）", S(b, "code"), S(b, "service_day"),
                 S(b, "slot_start"));
        rc = booking_audit(tx, who, "booking_cancel", id, summary);
    }
    json_decref(b);
    if (rc)
        return rc;
    *out = booking_public(booking_get(tx, id));
    return *out ? 0 : YC_EDB;
}

int booking_reschedule(db_conn *tx, const hall_caller *who, int64_t id, const char *date,
                       const char *start, json_t **out, yc_err *e)
{
    json_t *b = booking_get(tx, id);
    if (!b)
        return yc_fail(e, YC_ENOTFOUND, 404, "BOOKING_NOT_FOUND", "", "预约不存在");
    day_plan *p = xcalloc(1, sizeof(*p));
    const slots_slot *slot = NULL;
    applicant a;
    memset(&a, 0, sizeof(a));
    int64_t nid = 0;
    int rc = need_booked(b, e);
    if (!rc)
        rc = load_line(tx, json_integer_value(json_object_get(b, "line_id")), p, e);
    if (!rc)
        rc = pick_slot(tx, p, date, start, who->now, &slot, e);
    if (!rc && !strcmp(date, S(b, "service_day")) && !strcmp(start, S(b, "slot_start")))
        rc = yc_fail(e, YC_EINVAL, 400, "BOOKING_SAME_SLOT", "start", "新时段与原预约相同");
    /* The old booking gives up its place first: moving within a full day works, and
     * the one-per-day rule sees only the new one. */
    if (!rc)
        rc = booking_set_status(tx, id, "booked", "rescheduled", 0, who->now);
    if (!rc) {
        a.ident_masked = xstrdup(S(b, "ident_masked"));
        a.mobile_cipher = xstrdup(S(b, "mobile_cipher"));
        a.mobile_masked = xstrdup(S(b, "mobile_masked"));
        ystrlcpy(a.mobile_index, S(b, "mobile_index"), sizeof(a.mobile_index));
        rc = insert_booking(tx, who, p, slot, &a, S(b, "name"),
                            json_integer_value(json_object_get(b, "person_id")), S(b, "channel"),
                            id, &nid, e);
    }
    if (!rc)
        rc = cancel_messages(tx, b, "改约", who->now);
    json_t *nb = rc ? NULL : booking_get(tx, nid);
    if (!rc && !nb)
        rc = YC_EDB;
    if (!rc)
        rc = queue_reminders(tx, nb, who->now);
    if (!rc) {
        char summary[200];
        snprintf(summary, sizeof(summary), "改约%s（%s %s）为%s（%s %s）", S(b, "code"),
                 S(b, "service_day"), S(b, "slot_start"), S(nb, "code"), S(nb, "service_day"),
                 S(nb, "slot_start"));
        rc = booking_audit(tx, who, "booking_reschedule", nid, summary);
    }
    applicant_free(&a);
    json_decref(b);
    free(p);
    if (rc) {
        json_decref(nb);
        return rc;
    }
    *out = booking_public(nb);
    return 0;
}

int booking_lookup(db_conn *c, const char *id_number, const char *mobile, json_t **out, yc_err *e)
{
    applicant a;
    int rc = applicant_check(id_number, mobile, ytime_now_ms(), &a, e);
    int64_t person_id = 0;
    if (!rc)
        rc = person_of(c, &a, &person_id);
    json_t *list = !rc && person_id ? booking_of_person(c, person_id, a.mobile_index, 50)
                                    : (rc ? NULL : json_array());
    applicant_free(&a);
    if (rc)
        return rc;
    if (!list)
        return YC_EDB;
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) booking_public(o);
    *out = list;
    return 0;
}

/* ------------------------------------------------------------ check-in */

static bool is_token(const char *s)
{
    if (strlen(s) != 32)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return true;
}

/* The booking a check-in names: by code or QR token, else today's first by ID number. */
static int checkin_find(db_conn *tx, int64_t center_id, const char *code, const char *id_number,
                        int64_t now, json_t **out, yc_err *e)
{
    if (code) {
        char up[40];
        ystrlcpy(up, code, sizeof(up));
        for (char *c = up; *c; c++)
            if (*c >= 'a' && *c <= 'z' && strlen(up) != 32)
                *c = (char)(*c - 'a' + 'A');
        *out = is_token(code) ? booking_by_token(tx, code) : booking_by_code(tx, up);
        if (!*out)
            return yc_fail(e, YC_ENOTFOUND, 404, "BOOKING_NOT_FOUND", "code",
                           "没有找到预约码为%s的预约，请核对短信中的预约码", up);
        return 0;
    }
    applicant a;
    int64_t person_id = 0;
    int rc = applicant_check(id_number, NULL, now, &a, e);
    if (!rc)
        rc = person_of(tx, &a, &person_id);
    applicant_free(&a);
    if (rc)
        return rc;
    char day[11];
    hall_service_day(now, day);
    json_t *list = person_id ? booking_for_checkin(tx, center_id, person_id, day) : json_array();
    if (!list)
        return YC_EDB;
    *out = json_incref(json_array_get(list, 0));
    json_decref(list);
    if (!*out)
        return yc_fail(e, YC_ENOTFOUND, 404, "BOOKING_NOT_FOUND", "id_number",
                       "没有找到该身份证号今天在本中心待签到的预约");
    return 0;
}

int booking_checkin(db_conn *tx, const hall_caller *who, int64_t center_id, const char *code,
                    const char *id_number, json_t **out, yc_err *e)
{
    if (!code == !id_number)
        return yc_fail(e, YC_EINVAL, 400, "FIELD_REQUIRED", "code",
                       "请输入预约码，或刷身份证（二者选一）");
    json_t *b = NULL;
    int rc = checkin_find(tx, center_id, code, id_number, who->now, &b, e);
    if (rc)
        return rc;
    booking_settings set;
    char today[11];
    hall_service_day(who->now, today);
    int64_t id = json_integer_value(json_object_get(b, "id"));
    int64_t start_at = json_integer_value(json_object_get(b, "start_at"));
    int64_t end_at = json_integer_value(json_object_get(b, "end_at"));
    if (json_integer_value(json_object_get(b, "center_id")) != center_id)
        rc = yc_fail(e, YC_ECONFLICT, 409, "BOOKING_OTHER_CENTER", "code",
                     "该预约在%s办理，不在本中心", S(b, "center_name"));
    if (!rc)
        rc = need_booked(b, e);
    if (!rc && strcmp(S(b, "service_day"), today))
        rc = yc_fail(e, YC_ECONFLICT, 409, "BOOKING_NOT_TODAY", "code",
                     "您预约的是%s %s-%s，请当天再来签到", S(b, "service_day"), S(b, "slot_start"),
                     S(b, "slot_end"));
    if (!rc)
        rc = booking_settings_get(tx, center_id, &set);
    if (!rc && who->now < start_at - set.early_min * MIN_MS) {
        char from[6];
        slots_format_hm(slots_parse_hm(S(b, "slot_start")) - set.early_min, from);
        rc = yc_fail(e, YC_ECONFLICT, 409, "BOOKING_TOO_EARLY", "code",
                     "您预约的时段是%s-%s，%s起可以签到", S(b, "slot_start"), S(b, "slot_end"),
                     from);
    }
    if (!rc && who->now > end_at + set.late_grace_min * MIN_MS)
        rc = yc_fail(e, YC_ECONFLICT, 409, "BOOKING_MISSED", "code",
                     "您预约的时段%s-%s已过，预约失效；请取普通号办理", S(b, "slot_start"),
                     S(b, "slot_end"));
    bool late = who->now > start_at + set.late_grace_min * MIN_MS;
    int64_t tid = 0;
    if (!rc)
        rc = hall_take(tx, who, center_id, json_integer_value(json_object_get(b, "line_id")),
                       late ? "normal" : "appointment", "booking", 0, &tid, e);
    json_t *ticket = rc ? NULL : hall_ticket_get(tx, tid);
    if (!rc && !ticket)
        rc = YC_EDB;
    if (!rc)
        rc = booking_set_status(tx, id, "booked", late ? "late" : "checked_in", tid, who->now);
    if (!rc)
        rc = booking_ticket_attach(tx, tid, id, S(b, "mobile_cipher"));
    if (!rc) { /* here now: the 30-minute reminder would only confuse */
        char ref[48];
        snprintf(ref, sizeof(ref), "booking:%lld:remind_30", (long long)id);
        rc = outbox_cancel_prefix(tx, ref);
    }
    if (!rc) {
        char summary[160];
        snprintf(summary, sizeof(summary), "预约签到%s → %s%s", S(b, "code"), S(ticket, "number"),
                 late ? "（迟到，按普通号）" : "");
        rc = booking_audit(tx, who, "booking_checkin", id, summary);
    }
    if (!rc && hall_ticket_position(tx, ticket, who->now))
        rc = YC_EDB;
    if (!rc)
        json_object_set_new(ticket, "booking",
                            json_pack("{s:s,s:s,s:s,s:s,s:b}", "code", S(b, "code"), "service_day",
                                      S(b, "service_day"), "slot_start", S(b, "slot_start"),
                                      "slot_end", S(b, "slot_end"), "late", late));
    json_decref(b);
    if (rc) {
        json_decref(ticket);
        return rc;
    }
    *out = ticket;
    return 0;
}
