/*
 * hall_staffing.c - see hall_staffing.h.
 *
 * Where the figures come from (docs/api.md "窗口调度"):
 * - arrivals of a line in hour h: its tickets of the day taken in [h:00, h+1:00) CST
 *   (a transferred ticket counts on the line it is on now);
 * - handling time of a line: the mean started -> finished of its tickets done that
 *   day; without any, the mean of its last 50 done before the day ended; without any,
 *   5 minutes (the ticket estimate's default);
 * - windows open for a line in hour h: every window serving the line now, plus every
 *   window that started serving one of the line's tickets in that hour, each counted
 *   by the share of the hour it was open (from the hall events window_open /
 *   window_resume ... window_pause / window_close; a paused window is not open),
 *   or the share it was busy serving, whichever is larger. A window serving several
 *   lines counts for each of them.
 */
#include "service/hall_staffing.h"
#include "core/staffing.h"
#include "service/hall_internal.h"
#include "store/hall_staffing.h"
#include "store/org.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_MS    3600000.0
#define HISTORY_N  50
#define DEFAULT_S  300.0
#define DEFAULT_H0 8
#define DEFAULT_H1 18

typedef struct swin {
    int64_t id;
    int state; /* 0 closed, 1 open, 2 paused */
    int64_t since;
    double open_ms[24], busy_ms[24], open_total, busy_total;
    int served;
} swin;

typedef struct sline {
    int64_t id;
    int arrivals[24];
    double handle_sum_ms;
    int handle_n;
} sline;

typedef struct sctx {
    int64_t day_start, end; /* end: min(now, day_start + 24 h) */
    swin *w;
    int nw;
    sline *l;
    int nl;
    uint8_t *mark; /* [line][hour][window]: the window started serving one of the line's
                      tickets in that hour */
} sctx;

static int win_index(const sctx *s, int64_t id)
{
    for (int i = 0; i < s->nw; i++)
        if (s->w[i].id == id)
            return i;
    return -1;
}

static int line_index(const sctx *s, int64_t id)
{
    for (int i = 0; i < s->nl; i++)
        if (s->l[i].id == id)
            return i;
    return -1;
}

/* Add [a, b) clipped to [day_start, limit) to per-hour buckets. */
static double spread(double *bucket, int64_t day_start, int64_t limit, int64_t a, int64_t b)
{
    if (a < day_start)
        a = day_start;
    if (b > limit)
        b = limit;
    double total = 0;
    for (int h = 0; h < 24 && a < b; h++) {
        int64_t hs = day_start + (int64_t)h * 3600000, he = hs + 3600000;
        int64_t x = a > hs ? a : hs, y = b < he ? b : he;
        if (y > x) {
            bucket[h] += (double)(y - x);
            total += (double)(y - x);
        }
    }
    return total;
}

static void on_event(int64_t window_id, const char *kind, int64_t at, void *arg)
{
    sctx *s = arg;
    int i = win_index(s, window_id);
    if (i < 0)
        return;
    swin *w = &s->w[i];
    if (w->state == 1)
        w->open_total += spread(w->open_ms, s->day_start, s->end, w->since, at);
    w->state = !strcmp(kind, "window_open") || !strcmp(kind, "window_resume") ? 1
               : !strcmp(kind, "window_pause")                                ? 2
                                                                              : 0;
    w->since = at;
}

static int hour_of(const sctx *s, int64_t at)
{
    int64_t h = (at - s->day_start) / 3600000;
    return at < s->day_start ? -1 : h > 23 ? 23 : (int)h;
}

static void on_ticket(const hall_sticket *t, void *arg)
{
    sctx *s = arg;
    int li = line_index(s, t->line_id);
    int h = hour_of(s, t->taken_at);
    if (li >= 0 && h >= 0)
        s->l[li].arrivals[h]++;
    if (!t->done || !t->started_at || t->finished_at < t->started_at)
        return;
    double d = (double)(t->finished_at - t->started_at);
    if (li >= 0) {
        s->l[li].handle_sum_ms += d;
        s->l[li].handle_n++;
    }
    int wi = t->served_by ? win_index(s, t->served_by) : -1;
    if (wi < 0)
        return;
    swin *w = &s->w[wi];
    w->served++;
    w->busy_total += d;
    spread(w->busy_ms, s->day_start, s->day_start + 86400000, t->started_at, t->finished_at);
    int sh = hour_of(s, t->started_at);
    if (li >= 0 && sh >= 0)
        s->mark[((size_t)li * 24 + (size_t)sh) * (size_t)s->nw + (size_t)wi] = 1;
}

static json_t *num2(double v)
{
    return json_real(round(v * 100) / 100);
}

/* The hours to show: the center's opening hours that weekday (8-18 without any),
 * widened to every hour with arrivals. */
static void hours_range(db_conn *c, const hall_staffing_req *q, int weekday, const sctx *s, int *h0,
                        int *h1)
{
    *h0 = DEFAULT_H0;
    *h1 = DEFAULT_H1;
    json_t *days = org_hours_get(c, q->center_id);
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        if (json_integer_value(json_object_get(d, "weekday")) != weekday)
            continue;
        const char *o = json_string_value(json_object_get(d, "am_open"));
        const char *cl = json_string_value(json_object_get(d, "pm_close"));
        if (o && cl && strlen(o) == 5 && strlen(cl) == 5) {
            int oh = (o[0] - '0') * 10 + (o[1] - '0');
            int ch = (cl[0] - '0') * 10 + (cl[1] - '0') + (strcmp(cl + 3, "00") ? 1 : 0);
            if (oh >= 0 && oh < ch && ch <= 24) {
                *h0 = oh;
                *h1 = ch;
            }
        }
    }
    json_decref(days);
    for (int li = 0; li < s->nl; li++)
        for (int h = 0; h < 24; h++)
            if (s->l[li].arrivals[h]) {
                *h0 = h < *h0 ? h : *h0;
                *h1 = h + 1 > *h1 ? h + 1 : *h1;
            }
}

static bool serves_now(json_t *window_ids, int64_t wid)
{
    size_t i;
    json_t *v;
    json_array_foreach(window_ids, i, v) if (json_integer_value(v) == wid) return true;
    return false;
}

static json_t *line_view(db_conn *c, const staffing_target *tg, sctx *s, int li, json_t *line,
                         int h0, int h1)
{
    sline *L = &s->l[li];
    double handle_s = DEFAULT_S;
    const char *source = "default";
    if (L->handle_n) {
        handle_s = L->handle_sum_ms / L->handle_n / 1000.0;
        source = "day";
    } else {
        double ms = 0;
        int n = 0;
        if (hall_staffing_history_ms(c, L->id, s->day_start + 86400000, HISTORY_N, &ms, &n))
            return NULL;
        if (n) {
            handle_s = ms / 1000.0;
            source = "history";
        }
    }
    if (handle_s < 1)
        handle_s = 1;
    json_t *wids = json_object_get(line, "window_ids");
    json_t *hours = json_array();
    int total = 0, short_hours = 0;
    for (int h = h0; h < h1; h++) {
        double open = 0;
        for (int wi = 0; wi < s->nw; wi++) {
            swin *w = &s->w[wi];
            if (!serves_now(wids, w->id) &&
                !s->mark[((size_t)li * 24 + (size_t)h) * (size_t)s->nw + (size_t)wi])
                continue;
            double share =
                (w->open_ms[h] > w->busy_ms[h] ? w->open_ms[h] : w->busy_ms[h]) / HOUR_MS;
            open += share > 1 ? 1 : share;
        }
        staffing_hour sh = {.arrivals = L->arrivals[h], .handle_s = handle_s, .open = open};
        if (staffing_hour_eval(&sh, tg)) {
            json_decref(hours);
            return NULL;
        }
        total += L->arrivals[h];
        short_hours += sh.shortfall;
        json_array_append_new(hours,
                              json_pack("{s:i,s:i,s:o,s:o,s:o,s:o,s:b}", "hour", h, "arrivals",
                                        L->arrivals[h], "load", num2(sh.load), "needed",
                                        sh.needed < 0 ? json_null() : json_integer(sh.needed),
                                        "open", num2(open), "service_level", num2(sh.service_level),
                                        "short", sh.shortfall));
    }
    return json_pack("{s:O,s:O,s:O,s:O,s:O,s:i,s:o,s:s,s:i,s:o}", "id", json_object_get(line, "id"),
                     "prefix", json_object_get(line, "prefix"), "name",
                     json_object_get(line, "name"), "is_active", json_object_get(line, "is_active"),
                     "window_ids", wids, "arrivals", total, "handle_s", num2(handle_s),
                     "handle_source", source, "short_hours", short_hours, "hours", hours);
}

static json_t *windows_view(sctx *s, json_t *wrows, json_t **balance, json_t **tidal)
{
    json_t *out = json_array();
    *tidal = json_array();
    double *served = calloc((size_t)s->nw + 1, sizeof(double));
    int n = 0;
    for (int wi = 0; wi < s->nw; wi++) {
        swin *w = &s->w[wi];
        json_t *row = json_array_get(wrows, (size_t)wi);
        if (!strcmp(json_string_value(json_object_get(row, "kind")), "tidal") &&
            json_is_true(json_object_get(row, "is_active")))
            json_array_append_new(*tidal, json_pack("{s:O,s:O,s:O,s:O,s:O}", "id",
                                                    json_object_get(row, "id"), "number",
                                                    json_object_get(row, "number"), "name",
                                                    json_object_get(row, "name"), "state",
                                                    json_object_get(row, "state"), "line_ids",
                                                    json_object_get(row, "line_ids")));
        double open = w->open_total > w->busy_total ? w->open_total : w->busy_total;
        if (!w->served && open <= 0)
            continue;
        served[n++] = w->served;
        json_array_append_new(
            out,
            json_pack(
                "{s:O,s:O,s:O,s:O,s:O,s:O,s:i,s:o,s:o,s:o,s:o}", "id", json_object_get(row, "id"),
                "number", json_object_get(row, "number"), "name", json_object_get(row, "name"),
                "kind", json_object_get(row, "kind"), "state", json_object_get(row, "state"),
                "line_ids", json_object_get(row, "line_ids"), "served", w->served, "busy_min",
                num2(w->busy_total / 60000.0), "open_min", num2(open / 60000.0), "utilization",
                open > 0 ? num2(w->busy_total / open) : json_null(), "avg_handle_s",
                w->served ? json_integer((json_int_t)llround(w->busy_total / w->served / 1000.0))
                          : json_null()));
    }
    staffing_balance b;
    staffing_balance_of(served, n, &b);
    free(served);
    *balance = json_pack("{s:i,s:o,s:o,s:o,s:o,s:o,s:s}", "windows", b.n, "mean_served",
                         num2(b.mean), "max_served", num2(b.max), "min_served", num2(b.min), "cv",
                         num2(b.cv), "max_min", b.max_min < 0 ? json_null() : num2(b.max_min),
                         "level", staffing_level_code(b.level));
    return out;
}

json_t *hall_staffing_view(db_conn *c, const hall_staffing_req *q, yc_err *e)
{
    int64_t ds;
    int weekday;
    if (staffing_day_start(q->day, &ds, &weekday)) {
        yc_fail(e, YC_EINVAL, 400, "FIELD_FORMAT", "day", "日期应为YYYY-MM-DD格式的有效日期");
        return NULL;
    }
    json_t *lines = hall_lines_list(c, q->center_id);
    json_t *wrows = hall_staffing_windows(c, q->center_id);
    json_t *result = NULL;
    sctx s = {.day_start = ds, .end = q->now < ds + 86400000 ? q->now : ds + 86400000};
    if (!lines || !wrows)
        goto out;
    s.nl = (int)json_array_size(lines);
    s.nw = (int)json_array_size(wrows);
    s.l = calloc((size_t)s.nl + 1, sizeof(*s.l));
    s.w = calloc((size_t)s.nw + 1, sizeof(*s.w));
    s.mark = calloc((size_t)s.nl * 24 * (size_t)s.nw + 1, 1);
    if (!s.l || !s.w || !s.mark)
        goto out;
    for (int i = 0; i < s.nl; i++)
        s.l[i].id = json_integer_value(json_object_get(json_array_get(lines, (size_t)i), "id"));
    for (int i = 0; i < s.nw; i++)
        s.w[i].id = json_integer_value(json_object_get(json_array_get(wrows, (size_t)i), "id"));
    if (hall_staffing_window_events(c, q->center_id, s.end, on_event, &s))
        goto out;
    for (int i = 0; i < s.nw; i++)
        if (s.w[i].state == 1)
            s.w[i].open_total += spread(s.w[i].open_ms, s.day_start, s.end, s.w[i].since, s.end);
    if (hall_staffing_tickets(c, q->center_id, q->day, on_ticket, &s))
        goto out;
    staffing_target tg = {.target = q->target_pct / 100.0,
                          .wait_s = q->target_min * 60.0,
                          .patience_s = q->patience_min * 60.0,
                          .max_n = 200};
    int h0, h1;
    hours_range(c, q, weekday, &s, &h0, &h1);
    json_t *lv = json_array(), *hours = json_array();
    for (int h = h0; h < h1; h++)
        json_array_append_new(hours, json_integer(h));
    for (int i = 0; i < s.nl; i++) {
        json_t *one = line_view(c, &tg, &s, i, json_array_get(lines, (size_t)i), h0, h1);
        if (!one) {
            json_decref(lv);
            json_decref(hours);
            goto out;
        }
        json_array_append_new(lv, one);
    }
    json_t *balance, *tidal;
    json_t *wv = windows_view(&s, wrows, &balance, &tidal);
    result = json_pack("{s:s,s:i,s:i,s:o,s:s,s:o,s:o,s:o,s:o,s:o}", "service_day", q->day,
                       "target_pct", q->target_pct, "target_min", q->target_min, "patience_min",
                       q->patience_min ? json_integer(q->patience_min) : json_null(), "model",
                       q->patience_min ? "erlang_a" : "erlang_c", "hours", hours, "lines", lv,
                       "windows", wv, "balance", balance, "tidal", tidal);
out:
    json_decref(lines);
    json_decref(wrows);
    free(s.l);
    free(s.w);
    free(s.mark);
    return result;
}

/* ------------------------------------------------------------ tidal windows */

/* The tidal window of the center in *out, or an error through e. */
static int tidal_window(db_conn *tx, int64_t center_id, int64_t window_id, json_t **out, yc_err *e)
{
    *out = NULL;
    json_t *w = org_window_get(tx, window_id);
    if (!w || json_integer_value(json_object_get(w, "center_id")) != center_id) {
        json_decref(w);
        return yc_fail(e, YC_ENOTFOUND, 404, "WINDOW_NOT_FOUND", "window_id", "本中心没有这个窗口");
    }
    long long no = (long long)json_integer_value(json_object_get(w, "number"));
    int rc = 0;
    if (strcmp(json_string_value(json_object_get(w, "kind")), "tidal"))
        rc = yc_fail(e, YC_EINVAL, 400, "WINDOW_NOT_TIDAL", "window_id",
                     "%lld号窗口不是潮汐窗口，不能按潮汐窗口调度", no);
    else if (!json_is_true(json_object_get(w, "is_active")))
        rc = yc_fail(e, YC_ECONFLICT, 409, "WINDOW_INACTIVE", "window_id", "%lld号窗口已停用", no);
    if (rc)
        json_decref(w);
    else
        *out = w;
    return rc;
}

static int tidal_event(db_conn *tx, const hall_caller *who, int64_t center_id, const char *kind,
                       json_t *w, json_t *line)
{
    json_t *ev = json_pack("{s:O,s:O,s:O}", "window_id", json_object_get(w, "id"), "window_no",
                           json_object_get(w, "number"), "window_name", json_object_get(w, "name"));
    if (line) {
        json_object_set(ev, "line_id", json_object_get(line, "id"));
        json_object_set(ev, "line_name", json_object_get(line, "name"));
        json_object_set(ev, "prefix", json_object_get(line, "prefix"));
    }
    return hall_emit(tx, center_id, kind, ev, who->now);
}

int hall_tidal_open(db_conn *tx, const hall_caller *who, int64_t center_id, int64_t line_id,
                    int64_t window_id, json_t **out, yc_err *e)
{
    json_t *line = hall_line_get(tx, line_id);
    if (!line || json_integer_value(json_object_get(line, "center_id")) != center_id) {
        json_decref(line);
        return yc_fail(e, YC_ENOTFOUND, 404, "LINE_NOT_FOUND", "line_id", "本中心没有这个业务队列");
    }
    int rc = 0;
    json_t *w = NULL;
    if (!json_is_true(json_object_get(line, "is_active"))) {
        rc = yc_fail(e, YC_ECONFLICT, 409, "LINE_INACTIVE", "line_id", "业务队列“%s”已停用",
                     json_string_value(json_object_get(line, "name")));
        goto done;
    }
    if (!window_id && !(window_id = hall_tidal_free(tx, center_id))) {
        rc = yc_fail(e, YC_ECONFLICT, 409, "TIDAL_NONE_FREE", "",
                     "本中心没有空闲的潮汐窗口（潮汐窗口都已开启或未设置）");
        goto done;
    }
    if ((rc = tidal_window(tx, center_id, window_id, &w, e)))
        goto done;
    hall_wstate ws;
    if ((rc = hall_wstate_get(tx, window_id, &ws)))
        goto done;
    long long no = (long long)json_integer_value(json_object_get(w, "number"));
    if (strcmp(ws.state, "closed") || ws.current_ticket_id) {
        rc = yc_fail(e, YC_ECONFLICT, 409, "WINDOW_BUSY", "window_id",
                     "%lld号潮汐窗口正在使用中（%s），请选择其他潮汐窗口或先关闭它", no,
                     !strcmp(ws.state, "paused") ? "已暂停" : "已开启");
        goto done;
    }
    int removed = 0;
    if ((rc = hall_window_lines_clear(tx, window_id, &removed)) ||
        (rc = hall_window_line_add(tx, window_id, line_id)))
        goto done;
    char summary[256];
    snprintf(summary, sizeof(summary), "开潮汐窗口：%lld号窗口调往“%s”（%s）", no,
             json_string_value(json_object_get(line, "name")),
             json_string_value(json_object_get(line, "prefix")));
    char id[32];
    snprintf(id, sizeof(id), "%lld", (long long)window_id);
    if ((rc = audit_append(tx, who->actor, "tidal_open", "window", id, summary)) ||
        (rc = tidal_event(tx, who, center_id, "tidal_open", w, line)))
        goto done;
    rc = hall_window_act(tx, who, window_id, "open", NULL, out, e);
done:
    json_decref(line);
    json_decref(w);
    return rc;
}

int hall_tidal_close(db_conn *tx, const hall_caller *who, int64_t center_id, int64_t window_id,
                     json_t **out, yc_err *e)
{
    json_t *w;
    int rc = tidal_window(tx, center_id, window_id, &w, e);
    if (rc)
        return rc;
    long long no = (long long)json_integer_value(json_object_get(w, "number"));
    hall_wstate ws;
    rc = hall_wstate_get(tx, window_id, &ws);
    json_t *lines = rc ? NULL : hall_window_line_ids(tx, window_id);
    if (!rc && !lines)
        rc = YC_EDB;
    if (rc)
        goto done;
    if (!strcmp(ws.state, "closed") && !json_array_size(lines)) {
        rc = yc_fail(e, YC_ECONFLICT, 409, "WINDOW_CLOSED", "", "%lld号潮汐窗口未开启", no);
        goto done;
    }
    if (ws.current_ticket_id) {
        json_t *t = hall_ticket_get(tx, ws.current_ticket_id);
        rc = yc_fail(e, YC_ECONFLICT, 409, "WINDOW_BUSY", "",
                     "%lld号潮汐窗口正在处理%s号，请先办结、过号、转移或暂存", no,
                     t ? json_string_value(json_object_get(t, "number")) : "");
        json_decref(t);
        goto done;
    }
    if ((rc = hall_window_lines_clear(tx, window_id, NULL)))
        goto done;
    char summary[160], id[32];
    snprintf(summary, sizeof(summary), "关潮汐窗口：%lld号窗口撤出业务队列", no);
    snprintf(id, sizeof(id), "%lld", (long long)window_id);
    if ((rc = audit_append(tx, who->actor, "tidal_close", "window", id, summary)) ||
        (rc = tidal_event(tx, who, center_id, "tidal_close", w, NULL)))
        goto done;
    if (strcmp(ws.state, "closed"))
        rc = hall_window_act(tx, who, window_id, "close", NULL, out, e);
    else if (!(*out = hall_window_view(tx, window_id, who->now)))
        rc = YC_EDB;
done:
    json_decref(lines);
    json_decref(w);
    return rc;
}
