/*
 * h_hall_window.c - the window workstation's routes (one window, its actions) and the
 * center overviews: the queue for displays and today's statistics for managers.
 */
#include "api/handlers.h"
#include "service/hall.h"
#include "store/hall.h"
#include "store/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

typedef struct act_ctx {
    json_t *in;
    int64_t window_id, center_id;
    int64_t ticket_id; /* the ticket the action concerned, for the answer */
    char action[16];
} act_ctx;

static void act_ctx_free(void *p)
{
    act_ctx *c = p;
    json_decref(c->in);
    free(c);
}

/* The window (with center_path) if the caller may work at it: the clerk posted there,
 * or a manager of its center. Answers and returns NULL otherwise. */
static json_t *window_for(api_req *r, int64_t id, bool act)
{
    json_t *w = org_window_get(api_db(r), id);
    if (!w) {
        api_fail(r, 404, "WINDOW_NOT_FOUND", "", "窗口不存在");
        return NULL;
    }
    const char *path = json_string_value(json_object_get(w, "center_path"));
    const principal *p = api_who(r);
    bool ok = principal_can_at(p, MANAGERS, path);
    if (!ok && p->kind == PRINCIPAL_USER && principal_can_at(p, ROLE_CLERK, path))
        ok = hall_staff_window(api_db(r), p->id) == id;
    if (!ok && !act)
        ok = principal_can_at(p, ROLE_STAFF, path);
    if (!ok) {
        api_fail(r, 403, "WINDOW_FORBIDDEN", "", "您不是%lld号窗口的当班人员，不能操作该窗口",
                 (long long)json_integer_value(json_object_get(w, "number")));
        json_decref(w);
        return NULL;
    }
    return w;
}

void h_hall_window_get(api_req *r)
{
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    json_t *w = window_for(r, id, false);
    if (!w)
        return;
    json_decref(w);
    json_t *v = hall_window_view(api_db(r), id, ytime_now_ms());
    if (!v) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, v);
}

static int act_tx(db_conn *tx, api_req *r, void *arg)
{
    act_ctx *c = arg;
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, ROLE_CLERK | MANAGERS);
    hall_caller who = {.actor = &a,
                       .user_id = api_who(r)->kind == PRINCIPAL_USER ? api_who(r)->id : 0,
                       .now = ytime_now_ms()};
    yc_err e;
    yc_err_clear(&e);
    int rc = hall_window_do(tx, &who, c->window_id, c->action, c->in, &c->ticket_id, &e);
    if (rc) {
        if (e.code)
            api_fail_err(r, &e);
        return rc;
    }
    api_notify_hall(r);
    return 0;
}

/* The window view after the action, read after the commit (api_write_then). */
static void act_answer(api_req *r, db_conn *db, void *arg)
{
    act_ctx *c = arg;
    json_t *v = hall_window_answer(db, c->window_id, c->ticket_id, ytime_now_ms());
    if (!v) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, v);
}

void h_hall_window_act(api_req *r)
{
    static const jfield spec[] = {
        {"ticket_id", JF_INT, false, 1, INT64_MAX, "号"},
        {"item_id", JF_INT, false, 1, INT64_MAX, "办理事项"},
        {"line_id", JF_INT, false, 1, INT64_MAX, "转往业务队列"},
        {"window_id", JF_INT, false, 1, INT64_MAX, "转往窗口"},
        {"to_front", JF_BOOL, false, 0, 0, "插队到前面"},
        {"note", JF_STRING, false, 0, 200, "说明"},
        {0},
    };
    int64_t id;
    if (api_param_id(r, 0, &id))
        return;
    const char *action = api_param(r, 1);
    if (!action || !hall_action_known(action)) {
        api_fail(r, 404, "ACTION_UNKNOWN", "", "没有这个窗口操作：%s", action ? action : "");
        return;
    }
    json_t *w = window_for(r, id, true);
    if (!w)
        return;
    int64_t center_id = json_integer_value(json_object_get(w, "center_id"));
    json_decref(w);
    json_t *in = NULL;
    if (api_body_raw(r)->len) {
        if (api_body(r, spec, &in))
            return;
    } else {
        in = json_object();
    }
    act_ctx *c = xcalloc(1, sizeof(*c));
    c->in = in;
    c->window_id = id;
    c->center_id = center_id;
    ystrlcpy(c->action, action, sizeof(c->action));
    api_write_then(r, act_tx, act_answer, c, act_ctx_free);
}

/* ------------------------------------------------------------ overviews */

void h_hall_queue(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) ||
        api_need_center(r, ROLE_STAFF | ROLE_DISPLAY | ROLE_KIOSK, id, path, sizeof(path), ""))
        return;
    json_t *v = hall_queue_view(api_db(r), id, ytime_now_ms());
    if (!v) {
        api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, v);
}

void h_hall_stats(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, ROLE_STAFF, id, path, sizeof(path), ""))
        return;
    char day[11];
    const char *q = api_query(r, "day");
    if (q) {
        int y, m, d;
        char tail;
        if (strlen(q) != 10 || sscanf(q, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
            m > 12 || d < 1 || d > 31) {
            api_fail(r, 400, "FIELD_FORMAT", "day", "日期应为YYYY-MM-DD");
            return;
        }
        ystrlcpy(day, q, sizeof(day));
    } else {
        hall_service_day(ytime_now_ms(), day);
    }
    json_t *lines = hall_stats_lines(api_db(r), id, day);
    json_t *windows = hall_stats_windows(api_db(r), id, day);
    if (!lines || !windows) {
        json_decref(lines);
        json_decref(windows);
        api_fail_db(r);
        return;
    }
    api_reply_json(
        r, 200, json_pack("{s:s,s:o,s:o}", "service_day", day, "lines", lines, "windows", windows));
}
