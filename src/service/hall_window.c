/*
 * hall_window.c - what a window does (see hall.h, hall_window_act): open, pause,
 * resume, close; call next, recall (重呼), no-show (过号), start and finish serving,
 * transfer, hold and call back from the hold pool, and call the back office (呼叫后台).
 *
 * Each action loads the window and its ticket inside the write transaction, checks the
 * state it starts from, and changes the rows with UPDATEs guarded by that state, so a
 * check and its change can never be split by another window's action.
 */
#include "service/hall.h"
#include "service/booking.h"
#include "service/hall_internal.h"
#include "store/org.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct act {
    db_conn *tx;
    const hall_caller *who;
    json_t *in;
    yc_err *e;
    int64_t window_id, center_id, window_no;
    char window_name[64];
    hall_wstate ws;
    hall_settings s;
    json_t *cur;       /* the ticket at the window, or NULL */
    int64_t ticket_id; /* the ticket the action touched, for the answer */
} act;

static int64_t in_int(act *a, const char *key)
{
    return json_integer_value(json_object_get(a->in, key));
}

static const char *cur_str(act *a, const char *key)
{
    return json_string_value(json_object_get(a->cur, key));
}

static int64_t cur_id(act *a)
{
    return json_integer_value(json_object_get(a->cur, "id"));
}

static int save_state(act *a)
{
    return hall_wstate_put(a->tx, a->window_id, a->center_id, &a->ws, a->who->user_id, a->who->now);
}

/* The hall event of an action on ticket t (may be NULL), with the line's waiting count
 * and, for calls, the sentence the display speaks. */
static int emit(act *a, const char *kind, json_t *t, const char *note)
{
    json_t *ev =
        json_pack("{s:I,s:I,s:s,s:s}", "window_id", (json_int_t)a->window_id, "window_no",
                  (json_int_t)a->window_no, "window_name", a->window_name, "state", a->ws.state);
    if (t) {
        json_object_set(ev, "ticket_id", json_object_get(t, "id"));
        json_object_set(ev, "number", json_object_get(t, "number"));
        json_object_set(ev, "line_id", json_object_get(t, "line_id"));
        json_object_set(ev, "line_name", json_object_get(t, "line_name"));
        json_object_set(ev, "status", json_object_get(t, "status"));
        json_object_set(ev, "recall_count", json_object_get(t, "recall_count"));
        int64_t waiting = 0;
        hall_line_waiting(a->tx, json_integer_value(json_object_get(t, "line_id")),
                          json_string_value(json_object_get(t, "service_day")), &waiting);
        json_object_set_new(ev, "waiting", json_integer(waiting));
        if (!strcmp(kind, "call") || !strcmp(kind, "recall") || !strcmp(kind, "callback")) {
            char say[128];
            snprintf(say, sizeof(say), "请%s号到%lld号窗口办理",
                     json_string_value(json_object_get(t, "number")), (long long)a->window_no);
            json_object_set_new(ev, "text", json_string(say));
        }
    }
    if (note)
        json_object_set_new(ev, "note", json_string(note));
    return hall_emit(a->tx, a->center_id, kind, ev, a->who->now);
}

/* Log, emit and remember the ticket an action changed. */
static int after(act *a, const char *kind, int64_t ticket_id, const char *summary)
{
    int rc = hall_audit(a->tx, a->who, kind, ticket_id, summary);
    if (rc)
        return rc;
    json_t *t = ticket_id ? hall_ticket_get(a->tx, ticket_id) : NULL;
    if (ticket_id && !t)
        return YC_EDB;
    rc = emit(a, kind, t, NULL);
    json_decref(t);
    a->ticket_id = ticket_id;
    return rc;
}

static int need_open(act *a)
{
    if (!strcmp(a->ws.state, "closed"))
        return yc_fail(a->e, YC_ECONFLICT, 409, "WINDOW_CLOSED", "", "%lld号窗口尚未开启，请先开窗",
                       (long long)a->window_no);
    if (!strcmp(a->ws.state, "paused"))
        return yc_fail(a->e, YC_ECONFLICT, 409, "WINDOW_PAUSED", "",
                       "%lld号窗口已暂停服务，请先恢复", (long long)a->window_no);
    return 0;
}

static int need_free(act *a)
{
    if (a->cur)
        return yc_fail(a->e, YC_ECONFLICT, 409, "WINDOW_BUSY", "",
                       "%lld号窗口正在处理%s号，请先办结、过号、转移或暂存",
                       (long long)a->window_no, cur_str(a, "number"));
    return 0;
}

/* The current ticket, in one of the states (NULL-terminated list). */
static int need_ticket(act *a, const char *const *states)
{
    if (!a->cur)
        return yc_fail(a->e, YC_ECONFLICT, 409, "WINDOW_IDLE", "",
                       "%lld号窗口当前没有正在叫号或办理的号", (long long)a->window_no);
    for (int i = 0; states[i]; i++)
        if (!strcmp(cur_str(a, "status"), states[i]))
            return 0;
    return yc_fail(a->e, YC_ECONFLICT, 409, "TICKET_STATE", "", "%s号当前状态（%s）不能进行此操作",
                   cur_str(a, "number"), cur_str(a, "status"));
}

static const char *const CALLED[] = {"called", NULL};
static const char *const AT_WINDOW[] = {"called", "serving", NULL};

/* ------------------------------------------------------------ window state */

static int act_open(act *a)
{
    ystrlcpy(a->ws.state, "open", sizeof(a->ws.state));
    int rc = save_state(a);
    return rc ? rc : after(a, "window_open", 0, "开窗");
}

static int act_close(act *a)
{
    int rc = need_free(a);
    if (rc)
        return rc;
    ystrlcpy(a->ws.state, "closed", sizeof(a->ws.state));
    rc = save_state(a);
    return rc ? rc : after(a, "window_close", 0, "关窗");
}

static int act_pause(act *a)
{
    int rc = need_open(a);
    if (rc)
        return rc;
    ystrlcpy(a->ws.state, "paused", sizeof(a->ws.state));
    rc = save_state(a);
    return rc ? rc : after(a, "window_pause", 0, "暂停服务");
}

static int act_resume(act *a)
{
    if (strcmp(a->ws.state, "paused"))
        return yc_fail(a->e, YC_ECONFLICT, 409,
                       strcmp(a->ws.state, "closed") ? "WINDOW_NOT_PAUSED" : "WINDOW_CLOSED", "",
                       strcmp(a->ws.state, "closed") ? "%lld号窗口未暂停，无需恢复"
                                                     : "%lld号窗口尚未开启，请先开窗",
                       (long long)a->window_no);
    ystrlcpy(a->ws.state, "open", sizeof(a->ws.state));
    int rc = save_state(a);
    return rc ? rc : after(a, "window_resume", 0, "恢复服务");
}

/* ------------------------------------------------------------ calling */

typedef struct cand {
    qp_ticket *t;
    int64_t *ids;
    size_t n, cap;
} cand;

static int collect(const hall_qrow *r, void *arg)
{
    cand *c = arg;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->t = xrealloc(c->t, c->cap * sizeof(*c->t));
        c->ids = xrealloc(c->ids, c->cap * sizeof(*c->ids));
    }
    hall_qrow_to_qp(r, &c->t[c->n]);
    c->ids[c->n++] = r->id;
    return 0;
}

/* Which waiting ticket this window calls next: the shared queue policy (qp_pick) over
 * today's waiting tickets of the lines the window serves. The window's interleave
 * position is read from and written back to its state row. 0 with *id = 0 when none. */
static int pick_next(act *a, int64_t *id)
{
    qp_config cfg;
    hall_policy_config(&a->s, &cfg);
    char day[11];
    hall_service_day(a->who->now, day);
    cand c = {0};
    int rc = hall_queue_scan(a->tx, a->center_id, day, a->window_id, collect, &c);
    *id = 0;
    if (!rc && c.n) {
        qp_window w = {.id = (int32_t)a->window_id,
                       .skills = hall_window_skills(a->tx, a->window_id)};
        qp_rr rr;
        memcpy(rr.credit, a->ws.rr, sizeof(rr.credit));
        memcpy(rr.late_credit, a->ws.rr + 3, sizeof(rr.late_credit));
        ptrdiff_t k = qp_pick(&cfg, &w, &rr, c.t, c.n, a->who->now);
        if (k >= 0) {
            *id = c.ids[k];
            memcpy(a->ws.rr, rr.credit, sizeof(rr.credit));
            memcpy(a->ws.rr + 3, rr.late_credit, sizeof(rr.late_credit));
        }
    }
    free(c.t);
    free(c.ids);
    return rc;
}

static int act_call(act *a)
{
    int rc;
    if ((rc = need_open(a)) || (rc = need_free(a)))
        return rc;
    int64_t id;
    if ((rc = pick_next(a, &id)))
        return rc;
    if (!id)
        return yc_fail(a->e, YC_ENOTFOUND, 409, "QUEUE_EMPTY", "",
                       "当前没有等候%lld号窗口所办业务的号", (long long)a->window_no);
    if ((rc = hall_ticket_call(a->tx, id, a->window_id, a->who->now)))
        return rc;
    a->ws.current_ticket_id = id;
    if ((rc = save_state(a)))
        return rc;
    char day[11];
    hall_service_day(a->who->now, day);
    if ((rc = booking_notify_near(a->tx, a->center_id, day, a->who->now)))
        return rc;
    return after(a, "call", id, "叫号");
}

static int act_recall(act *a)
{
    int rc;
    if ((rc = need_open(a)) || (rc = need_ticket(a, CALLED)))
        return rc;
    int used = (int)json_integer_value(json_object_get(a->cur, "recall_count"));
    if (used >= a->s.recall_limit)
        return yc_fail(a->e, YC_ECONFLICT, 409, "RECALL_LIMIT", "",
                       "%s号已重呼%d次，不能再重呼，请按过号处理", cur_str(a, "number"), used);
    if ((rc = hall_ticket_recall(a->tx, cur_id(a))))
        return rc;
    return after(a, "recall", cur_id(a), "重呼");
}

static int act_noshow(act *a)
{
    int rc;
    if ((rc = need_ticket(a, CALLED)) || (rc = hall_ticket_noshow(a->tx, cur_id(a), a->who->now)))
        return rc;
    a->ws.current_ticket_id = 0;
    if ((rc = save_state(a)))
        return rc;
    return after(a, "noshow", cur_id(a), "过号");
}

static int act_start(act *a)
{
    int rc;
    if ((rc = need_ticket(a, CALLED)) ||
        (rc = hall_ticket_set_status(a->tx, cur_id(a), "called", "serving", a->window_id,
                                     a->who->now)))
        return rc;
    return after(a, "start", cur_id(a), "开始办理");
}

static int act_finish(act *a)
{
    int rc = need_ticket(a, AT_WINDOW);
    if (rc)
        return rc;
    int64_t item = in_int(a, "item_id");
    if (item) {
        json_t *it = org_item_get(a->tx, item);
        json_decref(it);
        if (!it)
            return yc_fail(a->e, YC_ENOTFOUND, 404, "ITEM_NOT_FOUND", "item_id", "事项不存在");
    }
    if ((rc = hall_ticket_finish(a->tx, cur_id(a), a->window_id, item, a->who->now)))
        return rc;
    a->ws.current_ticket_id = 0;
    if ((rc = save_state(a)))
        return rc;
    return after(a, "finish", cur_id(a), "办结");
}

static int act_hold(act *a)
{
    int rc;
    if ((rc = need_ticket(a, AT_WINDOW)) ||
        (rc = hall_ticket_set_status(a->tx, cur_id(a), cur_str(a, "status"), "held", a->window_id,
                                     a->who->now)))
        return rc;
    a->ws.current_ticket_id = 0;
    if ((rc = save_state(a)))
        return rc;
    return after(a, "hold", cur_id(a), "暂存（填表后回叫）");
}

static int held_here(act *a, hall_qrow *row);

static int act_callback(act *a)
{
    int rc;
    if ((rc = need_open(a)) || (rc = need_free(a)))
        return rc;
    hall_qrow row;
    if ((rc = held_here(a, &row)))
        return rc;
    int64_t id = row.id;
    if ((rc = hall_ticket_set_status(a->tx, id, "held", "called", a->window_id, a->who->now)))
        return rc;
    a->ws.current_ticket_id = id;
    if ((rc = save_state(a)))
        return rc;
    return after(a, "callback", id, "暂存后回叫");
}

/* The parked ticket of ticket_id in this window's hold pool: 0 with *row, or an error. */
static int held_here(act *a, hall_qrow *row)
{
    int64_t id = in_int(a, "ticket_id");
    if (!id)
        return yc_fail(a->e, YC_EINVAL, 400, "FIELD_REQUIRED", "ticket_id", "请指定暂存区中的号");
    int rc = hall_qrow_get(a->tx, id, row);
    if (rc == YC_ENOTFOUND)
        return yc_fail(a->e, rc, 404, "TICKET_NOT_FOUND", "ticket_id", "号码不存在");
    if (rc)
        return rc;
    if (strcmp(row->status, "held") || row->window_id != a->window_id)
        return yc_fail(a->e, YC_ECONFLICT, 409,
                       row->window_id && row->window_id != a->window_id ? "TICKET_OTHER_WINDOW"
                                                                        : "TICKET_NOT_HELD",
                       "ticket_id", "该号不在本窗口的暂存区");
    return 0;
}

/* The parked applicant has filled in the form: back to the queue at the front, for
 * this window only (qp_unpark, as the simulator does), so the window's next call
 * takes it without interrupting the applicant being served. */
static int act_ready(act *a)
{
    hall_qrow row;
    int rc = held_here(a, &row);
    if (rc)
        return rc;
    qp_ticket q;
    hall_qrow_to_qp(&row, &q);
    qp_park(&q, (int32_t)a->window_id); /* as stored: held by this window */
    if (qp_unpark(&q, a->who->now))
        return yc_fail(a->e, YC_ECONFLICT, 409, "TICKET_NOT_HELD", "ticket_id",
                       "该号不在本窗口的暂存区");
    if ((rc = hall_ticket_unpark(a->tx, row.id, a->window_id, q.front_ms)))
        return rc;
    return after(a, "ready", row.id, "暂存号已备好，本窗口下一个叫");
}

static int act_transfer(act *a)
{
    int rc = need_ticket(a, AT_WINDOW);
    if (rc)
        return rc;
    int64_t line = in_int(a, "line_id"), win = in_int(a, "window_id");
    if (!line && !win)
        return yc_fail(a->e, YC_EINVAL, 400, "FIELD_REQUIRED", "line_id",
                       "请指定转往的业务队列（line_id）或窗口（window_id）");
    if (!line)
        line = json_integer_value(json_object_get(a->cur, "line_id"));
    json_t *l = hall_line_get(a->tx, line);
    bool ok = l && json_integer_value(json_object_get(l, "center_id")) == a->center_id &&
              json_is_true(json_object_get(l, "is_active"));
    json_decref(l);
    if (!ok)
        return yc_fail(a->e, YC_ENOTFOUND, 404, "LINE_NOT_FOUND", "line_id",
                       "本中心没有这个可用的业务队列（编号%lld）", (long long)line);
    if (win == a->window_id)
        return yc_fail(a->e, YC_EINVAL, 400, "TRANSFER_SAME_WINDOW", "window_id",
                       "不能转给本窗口自己");
    if (win) {
        json_t *w = org_window_get(a->tx, win);
        bool here = w && json_integer_value(json_object_get(w, "center_id")) == a->center_id;
        json_decref(w);
        if (!here)
            return yc_fail(a->e, YC_ENOTFOUND, 404, "WINDOW_NOT_FOUND", "window_id",
                           "本中心没有这个窗口（编号%lld）", (long long)win);
        if (!hall_window_serves(a->tx, win, line))
            return yc_fail(a->e, YC_EINVAL, 400, "WINDOW_NOT_SERVING_LINE", "window_id",
                           "目标窗口不办理该业务队列的业务");
    }
    bool front = json_is_true(json_object_get(a->in, "to_front"));
    if ((rc = hall_ticket_transfer(a->tx, cur_id(a), line, win, front ? a->who->now : 0)))
        return rc;
    a->ws.current_ticket_id = 0;
    if ((rc = save_state(a)))
        return rc;
    return after(a, "transfer", cur_id(a), front ? "转移（插队到前面）" : "转移（按取号先后）");
}

static int act_backoffice(act *a)
{
    const char *note = json_string_value(json_object_get(a->in, "note"));
    int rc = hall_audit(a->tx, a->who, "backoffice_call", a->cur ? cur_id(a) : 0, "呼叫后台");
    if (rc)
        return rc;
    a->ticket_id = a->cur ? cur_id(a) : 0;
    return emit(a, "backoffice", a->cur, note ? note : "");
}

/* ------------------------------------------------------------ dispatch */

static const struct {
    const char *name;
    int (*fn)(act *a);
} actions[] = {
    {"open", act_open},
    {"close", act_close},
    {"pause", act_pause},
    {"resume", act_resume},
    {"call", act_call},
    {"recall", act_recall},
    {"noshow", act_noshow},
    {"start", act_start},
    {"finish", act_finish},
    {"transfer", act_transfer},
    {"hold", act_hold},
    {"callback", act_callback},
    {"backoffice", act_backoffice},
    {"ready", act_ready},
};

bool hall_action_known(const char *action)
{
    for (size_t i = 0; i < YC_ARRAY_LEN(actions); i++)
        if (!strcmp(actions[i].name, action))
            return true;
    return false;
}

/* The body named a ticket: it must be the one at this window. */
static int check_named(act *a, const char *action)
{
    int64_t named = in_int(a, "ticket_id");
    if (!named || !strcmp(action, "callback") || !strcmp(action, "ready") ||
        (a->cur && named == cur_id(a)))
        return 0;
    hall_qrow row;
    int rc = hall_qrow_get(a->tx, named, &row);
    if (rc == YC_ENOTFOUND)
        return yc_fail(a->e, rc, 404, "TICKET_NOT_FOUND", "ticket_id", "号码不存在");
    if (rc)
        return rc;
    if (row.window_id && row.window_id != a->window_id) {
        json_t *w = org_window_get(a->tx, row.window_id);
        long long no = (long long)json_integer_value(json_object_get(w, "number"));
        json_decref(w);
        return yc_fail(a->e, YC_ECONFLICT, 409, "TICKET_OTHER_WINDOW", "ticket_id",
                       "该号正由%lld号窗口办理，本窗口不能操作", no);
    }
    return yc_fail(a->e, YC_ECONFLICT, 409, "TICKET_NOT_AT_WINDOW", "ticket_id",
                   "该号不是本窗口当前的号，请刷新后重试");
}

int hall_window_do(db_conn *tx, const hall_caller *who, int64_t window_id, const char *action,
                   json_t *in, int64_t *ticket_id, yc_err *e)
{
    *ticket_id = 0;
    act a = {.tx = tx, .who = who, .in = in, .e = e, .window_id = window_id};
    size_t k = 0;
    while (k < YC_ARRAY_LEN(actions) && strcmp(actions[k].name, action))
        k++;
    if (k == YC_ARRAY_LEN(actions))
        return yc_fail(e, YC_ENOTFOUND, 404, "ACTION_UNKNOWN", "", "没有这个窗口操作：%s", action);
    json_t *w = org_window_get(tx, window_id);
    if (!w)
        return yc_fail(e, YC_ENOTFOUND, 404, "WINDOW_NOT_FOUND", "", "窗口不存在");
    a.center_id = json_integer_value(json_object_get(w, "center_id"));
    a.window_no = json_integer_value(json_object_get(w, "number"));
    ystrlcpy(a.window_name, json_string_value(json_object_get(w, "name")), sizeof(a.window_name));
    bool active = json_is_true(json_object_get(w, "is_active"));
    json_decref(w);
    if (!active)
        return yc_fail(e, YC_ECONFLICT, 409, "WINDOW_INACTIVE", "", "%lld号窗口已停用",
                       (long long)a.window_no);
    int rc;
    if ((rc = hall_wstate_get(tx, window_id, &a.ws)) ||
        (rc = hall_settings_get(tx, a.center_id, &a.s)))
        return rc;
    if (a.ws.current_ticket_id && !(a.cur = hall_ticket_get(tx, a.ws.current_ticket_id)))
        return YC_EDB;
    rc = check_named(&a, action);
    if (!rc)
        rc = actions[k].fn(&a);
    json_decref(a.cur);
    *ticket_id = a.ticket_id;
    return rc;
}

json_t *hall_window_answer(db_conn *c, int64_t window_id, int64_t ticket_id, int64_t now)
{
    json_t *view = hall_window_view(c, window_id, now);
    if (!view)
        return NULL;
    json_t *t = ticket_id ? hall_ticket_get(c, ticket_id) : NULL;
    if (t)
        json_object_del(t, "center_path");
    json_object_set_new(view, "ticket", t ? t : json_null());
    return view;
}

int hall_window_act(db_conn *tx, const hall_caller *who, int64_t window_id, const char *action,
                    json_t *in, json_t **out, yc_err *e)
{
    int64_t ticket_id;
    int rc = hall_window_do(tx, who, window_id, action, in, &ticket_id, e);
    if (rc)
        return rc;
    *out = hall_window_answer(tx, window_id, ticket_id, who->now);
    return *out ? 0 : YC_EDB;
}
