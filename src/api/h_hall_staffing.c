/*
 * h_hall_staffing.c - 窗口调度 over HTTP: the staffing advice per line and hour with the
 * workload balance across windows (GET /hall/{id}/staffing), and opening / releasing a
 * tidal window (POST /hall/{id}/tidal, POST /hall/{id}/tidal/{window}/close). Managers
 * and admins of the center only; the figures are in service/hall_staffing.c.
 */
#include "api/handlers.h"
#include "service/hall_staffing.h"

#include <stdlib.h>
#include <string.h>

#define MANAGERS (ROLE_ADMIN | ROLE_MANAGER)

/* An optional integer query parameter in [min, max]; def when absent. 0, or -1 after
 * answering 400. */
static int query_int(api_req *r, const char *key, int64_t min, int64_t max, int64_t def,
                     const char *label, int *out)
{
    const char *s = api_query(r, key);
    int64_t v = def;
    if (s && yparse_i64(s, min, max, &v)) {
        api_fail(r, 400, "FIELD_RANGE", key, "%s应为%lld至%lld的整数", label, (long long)min,
                 (long long)max);
        return -1;
    }
    *out = (int)v;
    return 0;
}

void h_hall_staffing(api_req *r)
{
    int64_t id;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, MANAGERS, id, path, sizeof(path), ""))
        return;
    hall_staffing_req q = {.center_id = id, .now = ytime_now_ms()};
    if (query_int(r, "target_pct", 1, 99, 80, "目标比例（%）", &q.target_pct) ||
        query_int(r, "target_min", 1, 240, 15, "目标等候时间（分钟）", &q.target_min) ||
        query_int(r, "patience_min", 1, 480, 0, "平均耐心等候时间（分钟）", &q.patience_min))
        return;
    const char *day = api_query(r, "day");
    if (day) {
        if (strlen(day) != 10) {
            api_fail(r, 400, "FIELD_FORMAT", "day", "日期应为YYYY-MM-DD格式的有效日期");
            return;
        }
        ystrlcpy(q.day, day, sizeof(q.day));
    } else {
        hall_service_day(q.now, q.day);
    }
    yc_err e;
    yc_err_clear(&e);
    json_t *v = hall_staffing_view(api_db(r), &q, &e);
    if (!v) {
        if (e.code)
            api_fail_err(r, &e);
        else
            api_fail_db(r);
        return;
    }
    api_reply_json(r, 200, v);
}

typedef struct tidal_ctx {
    int64_t center_id, line_id, window_id;
    bool close;
} tidal_ctx;

static int tidal_tx(db_conn *tx, api_req *r, void *arg)
{
    tidal_ctx *c = arg;
    audit_actor a;
    api_actor(r, 0, c->center_id, &a);
    a.role = api_role_code(r, MANAGERS);
    hall_caller who = {.actor = &a,
                       .user_id = api_who(r)->kind == PRINCIPAL_USER ? api_who(r)->id : 0,
                       .now = ytime_now_ms()};
    yc_err e;
    yc_err_clear(&e);
    json_t *out = NULL;
    int rc = c->close ? hall_tidal_close(tx, &who, c->center_id, c->window_id, &out, &e)
                      : hall_tidal_open(tx, &who, c->center_id, c->line_id, c->window_id, &out, &e);
    if (rc) {
        json_decref(out);
        if (e.code)
            api_fail_err(r, &e);
        return rc;
    }
    api_notify_hall(r);
    api_reply_json(r, 200, out);
    return 0;
}

void h_hall_tidal_open(api_req *r)
{
    static const jfield spec[] = {
        {"line_id", JF_INT, true, 1, INT64_MAX, "业务队列"},
        {"window_id", JF_INT, false, 1, INT64_MAX, "潮汐窗口"},
        {0},
    };
    int64_t id;
    json_t *in;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_need_center(r, MANAGERS, id, path, sizeof(path), "") ||
        api_body(r, spec, &in))
        return;
    tidal_ctx *c = xcalloc(1, sizeof(*c));
    c->center_id = id;
    c->line_id = json_integer_value(json_object_get(in, "line_id"));
    c->window_id = json_integer_value(json_object_get(in, "window_id"));
    json_decref(in);
    api_write(r, tidal_tx, c, free);
}

void h_hall_tidal_close(api_req *r)
{
    static const jfield spec[] = {{0}};
    int64_t id, wid;
    char path[CENTER_PATH_MAX];
    if (api_param_id(r, 0, &id) || api_param_id(r, 1, &wid) ||
        api_need_center(r, MANAGERS, id, path, sizeof(path), ""))
        return;
    json_t *in = NULL;
    if (api_body_raw(r)->len && api_body(r, spec, &in))
        return;
    json_decref(in);
    tidal_ctx *c = xcalloc(1, sizeof(*c));
    c->center_id = id;
    c->window_id = wid;
    c->close = true;
    api_write(r, tidal_tx, c, free);
}
