/*
 * hall.c - taking tickets, rejoining, positions and the read views (see hall.h). The
 * window actions are in hall_window.c.
 */
#include "service/hall.h"
#include "service/hall_internal.h"
#include "store/calendar_store.h"
#include "store/org.h"
#include "store/rows.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Without any finished ticket today, assume 5 minutes per applicant. */
#define DEFAULT_HANDLE_MS (5.0 * 60 * 1000)
#define MAX_SERIAL        999

void hall_service_day(int64_t ms, char out[11])
{
    time_t t = (time_t)(ms / 1000) + 8 * 3600; /* China Standard Time, no DST */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void hall_policy_config(const hall_settings *s, qp_config *c)
{
    qp_config_default(c);
    qp_parse_pattern(s->pattern, c); /* checked when stored; the default stays if bad */
    c->aging_ms = s->aging_s * 1000;
    c->max_wait_ms = s->max_wait_s * 1000;
    c->recall_limit = s->recall_limit;
    /* A passed-over ticket may rejoin once, at the back of its line: the penalty is
     * larger than any day, and qp_rejoin caps the new place at now. */
    c->rejoin_limit = 1;
    c->rejoin_within_ms = s->rejoin_within_s * 1000;
    c->rejoin_penalty_ms = 24LL * 3600 * 1000;
}

int hall_settings_check(const hall_settings *s, yc_err *e)
{
    qp_config c;
    if (qp_parse_pattern(s->pattern, &c))
        return yc_fail(e, YC_EINVAL, 400, "FIELD_FORMAT", "pattern",
                       "叫号比例应为“绿色通道:预约:普通”，如3:2:1（各0–1000，不能全为0）");
    return 0;
}

int hall_qp_class(const char *priority)
{
    return !strcmp(priority, "green")         ? QP_GREEN
           : !strcmp(priority, "appointment") ? QP_APPT
                                              : QP_NORMAL;
}

void hall_qrow_to_qp(const hall_qrow *r, qp_ticket *t)
{
    memset(t, 0, sizeof(*t));
    t->arrived_ms = r->queued_at;
    t->front_ms = r->front_at;
    t->seq = (uint32_t)r->id;
    t->line = (uint16_t)(r->prefix >= 'A' && r->prefix <= 'Z' ? r->prefix - 'A' : QP_MAX_LINES);
    t->cls = (uint8_t)hall_qp_class(r->priority);
    t->state = !strcmp(r->status, "waiting") || !strcmp(r->status, "transferred") ? QP_WAITING
               : !strcmp(r->status, "held")                                       ? QP_HELD
               : !strcmp(r->status, "no_show")                                    ? QP_GONE
               : !strcmp(r->status, "done")                                       ? QP_DONE
                                                                                  : QP_CALLED;
    t->only_window = r->only_window_id ? (int32_t)r->only_window_id : -1;
    t->recalls = (uint8_t)(r->recalls > 255 ? 255 : r->recalls);
    t->noshows = (uint8_t)(r->noshows > 255 ? 255 : r->noshows);
}

int hall_emit(db_conn *tx, int64_t center_id, const char *kind, json_t *payload, int64_t now)
{
    char *text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    if (!text)
        return YC_EDB;
    int rc = hall_event_append(tx, center_id, kind, text, now, NULL);
    free(text);
    return rc;
}

int hall_audit(db_conn *tx, const hall_caller *who, const char *action, int64_t ticket_id,
               const char *summary)
{
    char id[32];
    snprintf(id, sizeof(id), "%lld", (long long)ticket_id);
    return audit_append(tx, who->actor, action, ticket_id ? "ticket" : "window", id, summary);
}

/* ------------------------------------------------------------ take */

static bool valid_priority(const char *p)
{
    return !strcmp(p, "green") || !strcmp(p, "appointment") || !strcmp(p, "normal");
}

int hall_take(db_conn *tx, const hall_caller *who, int64_t center_id, int64_t line_id,
              const char *priority, const char *source, int64_t item_id, int64_t *id_out, yc_err *e)
{
    if (!valid_priority(priority))
        return yc_fail(e, YC_EINVAL, 400, "FIELD_ENUM", "priority",
                       "优先类别应为green（绿色通道）、appointment（预约）或normal（普通）");
    json_t *line = hall_line_get(tx, line_id);
    if (!line || json_integer_value(json_object_get(line, "center_id")) != center_id) {
        json_decref(line);
        return yc_fail(e, YC_ENOTFOUND, 404, "LINE_NOT_FOUND", "line_id",
                       "本中心没有这个业务队列（编号%lld）", (long long)line_id);
    }
    char prefix[2] = {json_string_value(json_object_get(line, "prefix"))[0], 0};
    char name[128];
    ystrlcpy(name, json_string_value(json_object_get(line, "name")), sizeof(name));
    bool active = json_is_true(json_object_get(line, "is_active"));
    json_decref(line);
    if (!active)
        return yc_fail(e, YC_ECONFLICT, 409, "LINE_INACTIVE", "line_id",
                       "业务队列“%s”已停用，暂不取号", name);
    if (item_id) {
        json_t *it = org_item_get(tx, item_id);
        json_decref(it);
        if (!it)
            return yc_fail(e, YC_ENOTFOUND, 404, "ITEM_NOT_FOUND", "item_id", "事项不存在");
    }
    char day[11], reason[200];
    hall_service_day(who->now, day);
    int rc = calstore_closed_on(tx, center_id, day, reason, sizeof(reason));
    if (rc < 0)
        return rc;
    if (rc)
        return yc_fail(e, YC_ECONFLICT, 409, "CENTER_CLOSED", "", "本中心今日闭厅（%s），暂停取号",
                       reason);
    int64_t serial;
    if ((rc = hall_counter_next(tx, center_id, day, prefix, &serial)))
        return rc;
    if (serial > MAX_SERIAL)
        return yc_fail(e, YC_ECONFLICT, 409, "TICKET_QUOTA_FULL", "line_id",
                       "“%s”今日号码已发完（%d个），请明日再来或咨询导服人员", name, MAX_SERIAL);
    char number[32], token[33]; /* 8 suffice (serial <= 999); 32 for -Wformat-truncation */
    snprintf(number, sizeof(number), "%s%03lld", prefix, (long long)serial);
    unsigned char raw[16];
    randombytes_buf(raw, sizeof(raw));
    yhex(raw, sizeof(raw), token);
    hall_ticket_new t = {.center_id = center_id,
                         .line_id = line_id,
                         .serial = serial,
                         .item_id = item_id,
                         .day = day,
                         .number = number,
                         .priority = priority,
                         .source = source,
                         .token = token,
                         .taken_by = who->actor->name,
                         .now = who->now};
    int64_t id;
    if ((rc = hall_ticket_insert(tx, &t, &id)))
        return rc; /* a UNIQUE violation here would be a counter bug: refuse, never reissue */
    char summary[200];
    snprintf(summary, sizeof(summary), "取号%s（%s，%s）", number, name, priority);
    if ((rc = hall_audit(tx, who, "ticket_take", id, summary)))
        return rc;
    int64_t waiting = 0;
    if ((rc = hall_line_waiting(tx, line_id, day, &waiting)))
        return rc;
    json_t *ev = json_pack("{s:I,s:s,s:I,s:s,s:s,s:I}", "ticket_id", (json_int_t)id, "number",
                           number, "line_id", (json_int_t)line_id, "line_name", name, "priority",
                           priority, "waiting", (json_int_t)waiting);
    if ((rc = hall_emit(tx, center_id, "take", ev, who->now)))
        return rc;
    *id_out = id;
    return 0;
}

/* ------------------------------------------------------------ rejoin */

int hall_rejoin(db_conn *tx, const hall_caller *who, int64_t ticket_id, json_t **out, yc_err *e)
{
    hall_qrow row;
    int rc = hall_qrow_get(tx, ticket_id, &row);
    if (rc == YC_ENOTFOUND)
        return yc_fail(e, rc, 404, "TICKET_NOT_FOUND", "", "号码不存在");
    if (rc)
        return rc;
    json_t *t = hall_ticket_get(tx, ticket_id);
    if (!t)
        return YC_EDB;
    int64_t center_id = json_integer_value(json_object_get(t, "center_id"));
    char number[8];
    ystrlcpy(number, json_string_value(json_object_get(t, "number")), sizeof(number));
    json_decref(t);
    hall_settings s;
    if ((rc = hall_settings_get(tx, center_id, &s)))
        return rc;
    qp_config cfg;
    hall_policy_config(&s, &cfg);
    qp_ticket q;
    hall_qrow_to_qp(&row, &q);
    if (q.state != QP_GONE)
        return yc_fail(e, YC_ECONFLICT, 409, "TICKET_NOT_NO_SHOW", "",
                       "%s号不是过号状态，无需重新排队", number);
    if (qp_rejoin(&cfg, &q, row.noshow_at, who->now))
        return yc_fail(
            e, YC_ECONFLICT, 409, "REJOIN_REFUSED", "",
            row.noshows > cfg.rejoin_limit ? "%s号已过号%d次，不能再次排队，请重新取号"
                                           : "%s号过号已超过%d分钟，不能再次排队，请重新取号",
            number, row.noshows > cfg.rejoin_limit ? row.noshows : (int)(s.rejoin_within_s / 60));
    if ((rc = hall_ticket_rejoin(tx, ticket_id, q.arrived_ms)))
        return rc;
    char summary[120];
    snprintf(summary, sizeof(summary), "%s号过号后重新排队（排到队尾）", number);
    if ((rc = hall_audit(tx, who, "ticket_rejoin", ticket_id, summary)))
        return rc;
    json_t *ticket = hall_ticket_get(tx, ticket_id);
    if (!ticket || hall_ticket_position(tx, ticket, who->now)) {
        json_decref(ticket);
        return YC_EDB;
    }
    json_t *ev = json_pack("{s:I,s:s,s:O,s:O}", "ticket_id", (json_int_t)ticket_id, "number",
                           number, "line_id", json_object_get(ticket, "line_id"), "waiting",
                           json_object_get(ticket, "line_waiting"));
    if ((rc = hall_emit(tx, center_id, "rejoin", ev, who->now))) {
        json_decref(ticket);
        return rc;
    }
    *out = ticket;
    return 0;
}

/* ------------------------------------------------------------ positions */

typedef struct ahead_scan {
    const qp_config *cfg;
    qp_ticket me;
    int64_t me_id, line_id, now;
    int ahead;
} ahead_scan;

/* Is x ahead of me on my line? Transfers to the front first (by transfer time), then
 * by the class each competes in after aging, then by place. An estimate: the
 * interleave of classes is not replayed. */
static int count_ahead(const hall_qrow *r, void *arg)
{
    ahead_scan *a = arg;
    if (r->line_id != a->line_id || r->id == a->me_id)
        return 0;
    qp_ticket x;
    hall_qrow_to_qp(r, &x);
    if (x.front_ms || a->me.front_ms) {
        if (x.front_ms && (!a->me.front_ms || x.front_ms < a->me.front_ms))
            a->ahead++;
        return 0;
    }
    int cx = qp_effective_class(a->cfg, &x, a->now),
        cm = qp_effective_class(a->cfg, &a->me, a->now);
    if (cx < cm || (cx == cm && (x.arrived_ms < a->me.arrived_ms ||
                                 (x.arrived_ms == a->me.arrived_ms && x.seq < a->me.seq))))
        a->ahead++;
    return 0;
}

int hall_ticket_position(db_conn *c, json_t *ticket, int64_t now)
{
    int64_t id = json_integer_value(json_object_get(ticket, "id"));
    int64_t center_id = json_integer_value(json_object_get(ticket, "center_id"));
    int64_t line_id = json_integer_value(json_object_get(ticket, "line_id"));
    const char *day = json_string_value(json_object_get(ticket, "service_day"));
    const char *status = json_string_value(json_object_get(ticket, "status"));
    int64_t waiting;
    int rc = hall_line_waiting(c, line_id, day, &waiting);
    if (rc)
        return rc;
    json_object_set_new(ticket, "line_waiting", json_integer(waiting));
    if (strcmp(status, "waiting") && strcmp(status, "transferred")) {
        json_object_set_new(ticket, "people_ahead", json_null());
        json_object_set_new(ticket, "estimated_wait_min", json_null());
        return 0;
    }
    hall_settings s;
    hall_qrow row;
    if ((rc = hall_settings_get(c, center_id, &s)) || (rc = hall_qrow_get(c, id, &row)))
        return rc;
    qp_config cfg;
    hall_policy_config(&s, &cfg);
    ahead_scan a = {.cfg = &cfg, .me_id = id, .line_id = line_id, .now = now};
    hall_qrow_to_qp(&row, &a.me);
    if ((rc = hall_queue_scan(c, center_id, day, 0, count_ahead, &a)))
        return rc;
    int open = 0, idle = 0;
    double handle = 0;
    if ((rc = hall_line_windows_open(c, line_id, &open, &idle)) ||
        (rc = hall_line_handle_ms(c, line_id, day, &handle)))
        return rc;
    int64_t wait =
        qp_estimate_wait_ms(a.ahead, idle, open, handle > 0 ? handle : DEFAULT_HANDLE_MS);
    json_object_set_new(ticket, "people_ahead", json_integer(a.ahead));
    json_object_set_new(ticket, "estimated_wait_min",
                        wait < 0 ? json_null() : json_integer((wait + 59999) / 60000));
    return 0;
}

/* ------------------------------------------------------------ views */

json_t *hall_window_view(db_conn *c, int64_t window_id, int64_t now)
{
    json_t *w = org_window_get(c, window_id);
    if (!w)
        return NULL;
    json_object_del(w, "center_path");
    hall_wstate ws;
    if (hall_wstate_get(c, window_id, &ws)) {
        json_decref(w);
        return NULL;
    }
    json_object_set_new(w, "state", json_string(ws.state));
    json_t *cur = ws.current_ticket_id ? hall_ticket_get(c, ws.current_ticket_id) : NULL;
    if (cur)
        json_object_del(cur, "center_path");
    json_object_set_new(w, "current", cur ? cur : json_null());
    json_t *held = hall_window_held(c, window_id);
    json_object_set_new(w, "held", held ? held : json_array());
    char day[11];
    hall_service_day(now, day);
    int64_t served = 0, avg = -1;
    if (hall_window_figures(c, window_id, day, &served, &avg)) {
        json_decref(w);
        return NULL;
    }
    json_object_set_new(w, "served_today", json_integer(served));
    json_object_set_new(w, "avg_handle_s", avg < 0 ? json_null() : json_integer(avg));
    /* The center's lines in prefix order straight from their index (no sort: a sorter
     * costs a large allocation on every window action). */
    db_stmt *q = db_prepare(c, "SELECT l.id, l.prefix, l.name FROM service_lines l"
                               " JOIN service_line_windows lw ON lw.line_id = l.id"
                               " AND lw.window_id = $1 WHERE l.center_id ="
                               " (SELECT center_id FROM windows WHERE id = $1) ORDER BY l.prefix");
    json_t *lines = NULL;
    if (q) {
        db_bind_int(q, 1, window_id);
        lines = rows_all(q, 26);
    }
    json_object_set_new(w, "lines", lines ? lines : json_array());
    return w;
}

json_t *hall_queue_view(db_conn *c, int64_t center_id, int64_t now)
{
    char day[11];
    hall_service_day(now, day);
    int64_t last = hall_event_last_id(c);
    json_t *lines = hall_stats_lines(c, center_id, day);
    json_t *windows = hall_stats_windows(c, center_id, day);
    json_t *calls = hall_recent_calls(c, center_id, 10);
    if (!lines || !windows || !calls) {
        json_decref(lines);
        json_decref(windows);
        json_decref(calls);
        return NULL;
    }
    return json_pack("{s:I,s:s,s:o,s:o,s:o,s:I}", "center_id", (json_int_t)center_id, "service_day",
                     day, "lines", lines, "windows", windows, "recent_calls", calls,
                     "last_event_id", (json_int_t)last);
}
