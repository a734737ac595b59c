/* hall_staffing.c - see hall_staffing.h. */
#include "store/hall_staffing.h"
#include "store/rows.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

int hall_staffing_tickets(db_conn *c, int64_t center_id, const char *day,
                          void (*fn)(const hall_sticket *t, void *arg), void *arg)
{
    db_stmt *q = db_prepare(c, "SELECT line_id, taken_at, COALESCE(started_at, 0),"
                               " COALESCE(finished_at, 0), COALESCE(served_by_window_id, 0),"
                               " status = 'done' FROM tickets WHERE center_id = $1"
                               " AND service_day = $2 ORDER BY taken_at, id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, day);
    int rc;
    while ((rc = db_step(q)) == DB_ROW) {
        hall_sticket t = {db_col_int(q, 0), db_col_int(q, 1), db_col_int(q, 2),
                          db_col_int(q, 3), db_col_int(q, 4), (int)db_col_int(q, 5)};
        fn(&t, arg);
    }
    db_reset(q);
    return rc < 0 ? rc : 0;
}

int hall_staffing_history_ms(db_conn *c, int64_t line_id, int64_t before, int n, double *ms,
                             int *count)
{
    db_stmt *q = db_prepare(c, "SELECT COUNT(*), COALESCE(AVG(d), 0) FROM (SELECT finished_at -"
                               " started_at AS d FROM tickets WHERE line_id = $1"
                               " AND status = 'done' AND started_at IS NOT NULL"
                               " AND finished_at < $2 ORDER BY finished_at DESC LIMIT $3)");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, line_id);
    db_bind_int(q, 2, before);
    db_bind_int(q, 3, n);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        *count = (int)db_col_int(q, 0);
        const char *v = db_col_text(q, 1);
        *ms = strtod(v, NULL);
    }
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int hall_staffing_window_events(db_conn *c, int64_t center_id, int64_t until,
                                void (*fn)(int64_t window_id, const char *kind, int64_t at,
                                           void *arg),
                                void *arg)
{
    db_stmt *q = db_prepare(c, "SELECT kind, payload, at FROM hall_events WHERE center_id = $1"
                               " AND at < $2 AND kind IN ('window_open', 'window_close',"
                               " 'window_pause', 'window_resume') ORDER BY id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_int(q, 2, until);
    int rc;
    while ((rc = db_step(q)) == DB_ROW) {
        json_t *p = json_loads(db_col_text(q, 1), 0, NULL);
        int64_t w = json_integer_value(json_object_get(p, "window_id"));
        json_decref(p);
        if (w > 0)
            fn(w, db_col_text(q, 0), db_col_int(q, 2), arg);
    }
    db_reset(q);
    return rc < 0 ? rc : 0;
}

json_t *hall_window_line_ids(db_conn *c, int64_t window_id)
{
    db_stmt *q = db_prepare(c, "SELECT line_id FROM service_line_windows WHERE window_id = $1"
                               " ORDER BY line_id");
    if (!q)
        return NULL;
    db_bind_int(q, 1, window_id);
    return rows_ints(q);
}

json_t *hall_staffing_windows(db_conn *c, int64_t center_id)
{
    db_stmt *q = db_prepare(c, "SELECT w.id, w.number, w.name, w.kind, w.active AS is_active,"
                               " COALESCE(s.state, 'closed') AS state, s.current_ticket_id"
                               " FROM windows w LEFT JOIN window_states s ON s.window_id = w.id"
                               " WHERE w.center_id = $1 ORDER BY w.number");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    json_t *rows = rows_all(q, 1000);
    size_t i;
    json_t *w;
    json_array_foreach(rows, i, w)
    {
        json_t *ids = hall_window_line_ids(c, json_integer_value(json_object_get(w, "id")));
        if (!ids) {
            json_decref(rows);
            return NULL;
        }
        json_object_set_new(w, "line_ids", ids);
    }
    return rows;
}

int64_t hall_tidal_free(db_conn *c, int64_t center_id)
{
    db_stmt *q = db_prepare(c, "SELECT w.id FROM windows w LEFT JOIN window_states s"
                               " ON s.window_id = w.id WHERE w.center_id = $1"
                               " AND w.kind = 'tidal' AND w.active = 1"
                               " AND COALESCE(s.state, 'closed') = 'closed'"
                               " AND s.current_ticket_id IS NULL ORDER BY w.number LIMIT 1");
    if (!q)
        return 0;
    db_bind_int(q, 1, center_id);
    int64_t id = db_step(q) == DB_ROW ? db_col_int(q, 0) : 0;
    db_reset(q);
    return id;
}

int hall_window_lines_clear(db_conn *tx, int64_t window_id, int *removed)
{
    db_stmt *q = db_prepare(tx, "DELETE FROM service_line_windows WHERE window_id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, window_id);
    int rc = db_run(q);
    if (!rc && removed)
        *removed = db_changes(tx);
    return rc;
}

int hall_window_line_add(db_conn *tx, int64_t window_id, int64_t line_id)
{
    db_stmt *q = db_prepare(tx, "INSERT OR IGNORE INTO service_line_windows (line_id, window_id)"
                                " VALUES ($1, $2)");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, line_id);
    db_bind_int(q, 2, window_id);
    return db_run(q);
}
