/* hall_events.c - see hall.h: the day's figures per line and window, and the
 * append-only hall events the live feed reads. */
#include "store/hall.h"
#include "store/rows.h"
#include "util/err.h"

#include <stdlib.h>

/* ------------------------------------------------------------ statistics */

json_t *hall_stats_lines(db_conn *c, int64_t center_id, const char *day)
{
    db_stmt *q = db_prepare(
        c, "SELECT l.id, l.prefix, l.name, l.active AS is_active,"
           " COALESCE(SUM(t.status IN ('waiting', 'transferred')), 0) AS waiting,"
           " COUNT(t.id) AS taken, COALESCE(SUM(t.status = 'done'), 0) AS done,"
           " CAST(AVG(CASE WHEN t.status = 'done' THEN (t.finished_at - t.started_at) / 1000.0"
           " END) AS INTEGER) AS avg_handle_s FROM service_lines l LEFT JOIN tickets t"
           " ON t.line_id = l.id AND t.service_day = $2 WHERE l.center_id = $1"
           " GROUP BY l.id ORDER BY l.prefix");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, day);
    return rows_all(q, 26);
}

json_t *hall_stats_windows(db_conn *c, int64_t center_id, const char *day)
{
    db_stmt *q = db_prepare(
        c, "SELECT w.id, w.number, w.name, COALESCE(s.state, 'closed') AS state,"
           " s.current_ticket_id, ct.number AS current_number, ct.status AS current_status,"
           " (SELECT COUNT(*) FROM tickets d WHERE d.served_by_window_id = w.id"
           "  AND d.service_day = $2 AND d.status = 'done') AS served,"
           " (SELECT CAST(AVG((d.finished_at - d.started_at) / 1000.0) AS INTEGER) FROM tickets d"
           "  WHERE d.served_by_window_id = w.id AND d.service_day = $2 AND d.status = 'done')"
           " AS avg_handle_s,"
           " (SELECT COUNT(*) FROM tickets h WHERE h.window_id = w.id AND h.status = 'held')"
           " AS held FROM windows w LEFT JOIN window_states s ON s.window_id = w.id"
           " LEFT JOIN tickets ct ON ct.id = s.current_ticket_id WHERE w.center_id = $1"
           " ORDER BY w.number");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, day);
    return rows_all(q, 1000);
}

int hall_window_figures(db_conn *c, int64_t window_id, const char *day, int64_t *served,
                        int64_t *avg_s)
{
    db_stmt *q = db_prepare(c, "SELECT COUNT(*), CAST(AVG((finished_at - started_at) / 1000.0)"
                               " AS INTEGER) FROM tickets WHERE served_by_window_id = $1"
                               " AND service_day = $2 AND status = 'done'");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, window_id);
    db_bind_text(q, 2, day);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        *served = db_col_int(q, 0);
        *avg_s = db_col_null(q, 1) ? -1 : db_col_int(q, 1);
    }
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

/* ------------------------------------------------------------ events */

int hall_event_append(db_conn *tx, int64_t center_id, const char *kind, const char *payload,
                      int64_t now, int64_t *id_out)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO hall_events (center_id, kind, payload, at)"
                                " VALUES ($1, $2, $3, $4)");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, kind);
    db_bind_text(q, 3, payload);
    db_bind_int(q, 4, now);
    int rc = db_run(q);
    if (!rc && id_out)
        *id_out = db_last_insert_id(tx);
    return rc;
}

int64_t hall_event_last_id(db_conn *c)
{
    db_stmt *q = db_prepare(c, "SELECT COALESCE(MAX(id), 0) FROM hall_events");
    if (!q)
        return 0;
    int64_t v = db_step(q) == DB_ROW ? db_col_int(q, 0) : 0;
    db_reset(q);
    return v;
}

int hall_events_since(db_conn *c, int64_t center_id, int64_t after_id, int limit,
                      void (*fn)(int64_t id, int64_t center_id, const char *kind,
                                 const char *payload, int64_t at, void *arg),
                      void *arg)
{
    db_stmt *q = db_prepare(c, "SELECT id, center_id, kind, payload, at FROM hall_events"
                               " WHERE id > $1 AND ($2 = 0 OR center_id = $2) ORDER BY id"
                               " LIMIT $3");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, after_id);
    db_bind_int(q, 2, center_id);
    db_bind_int(q, 3, limit);
    int rc, n = 0;
    while ((rc = db_step(q)) == DB_ROW) {
        fn(db_col_int(q, 0), db_col_int(q, 1), db_col_text(q, 2), db_col_text(q, 3),
           db_col_int(q, 4), arg);
        n++;
    }
    db_reset(q);
    return rc < 0 ? rc : n;
}

json_t *hall_recent_calls(db_conn *c, int64_t center_id, int n)
{
    db_stmt *q = db_prepare(c, "SELECT id, payload, at FROM hall_events WHERE center_id = $1"
                               " AND kind IN ('call', 'recall', 'callback') ORDER BY id DESC"
                               " LIMIT $2");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    db_bind_int(q, 2, n);
    json_t *arr = json_array();
    while (db_step(q) == DB_ROW) {
        json_t *o = json_loads(db_col_text(q, 1), 0, NULL);
        if (!o)
            continue;
        json_object_set_new(o, "event_id", json_integer(db_col_int(q, 0)));
        json_object_set_new(o, "event_at", json_integer(db_col_int(q, 2)));
        json_array_append_new(arr, o);
    }
    db_reset(q);
    return arr;
}
