/* hall.c - see hall.h. */
#include "store/hall.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_opt(db_stmt *q, int idx, int64_t v)
{
    if (v > 0)
        db_bind_int(q, idx, v);
    else
        db_bind_null(q, idx);
}

/* Run an UPDATE that must change exactly one row: YC_ECONFLICT when none. */
static int run_one(db_conn *tx, db_stmt *q)
{
    if (!q)
        return YC_EDB;
    int rc = db_run(q);
    if (rc)
        return rc;
    return db_changes(tx) == 1 ? 0 : YC_ECONFLICT;
}

/* ------------------------------------------------------------ lines */

static json_t *id_column(db_conn *c, const char *sql, int64_t id)
{
    db_stmt *q = db_prepare(c, sql);
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_ints(q);
}

static json_t *with_members(db_conn *c, json_t *line)
{
    if (!line)
        return NULL;
    int64_t id = json_integer_value(json_object_get(line, "id"));
    json_t *items = id_column(
        c, "SELECT item_id FROM service_line_items WHERE line_id = $1 ORDER BY item_id", id);
    json_t *wins = id_column(
        c, "SELECT window_id FROM service_line_windows WHERE line_id = $1 ORDER BY window_id", id);
    if (!items || !wins) {
        json_decref(items);
        json_decref(wins);
        json_decref(line);
        return NULL;
    }
    json_object_set_new(line, "item_ids", items);
    json_object_set_new(line, "window_ids", wins);
    return line;
}

json_t *hall_published_items(db_conn *c, const char *domain, int64_t department_id)
{
    db_stmt *q = db_prepare(c, "SELECT item_id FROM item_versions WHERE status = 'published'"
                               " AND ($1 IS NULL OR domain = $1) AND ($2 = 0 OR department_id = $2)"
                               " ORDER BY item_id");
    if (!q)
        return NULL;
    db_bind_text(q, 1, domain);
    db_bind_int(q, 2, department_id);
    return rows_ints(q);
}

json_t *hall_lines_list(db_conn *c, int64_t center_id)
{
    db_stmt *q = db_prepare(c, "SELECT id, center_id, prefix, name, active AS is_active,"
                               " created_at, updated_at FROM service_lines WHERE center_id = $1"
                               " ORDER BY prefix");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    json_t *arr = rows_all(q, 26);
    size_t i;
    json_t *l;
    json_array_foreach(arr, i, l)
    {
        if (!with_members(c, json_incref(l))) {
            json_decref(arr);
            return NULL;
        }
        json_decref(l);
    }
    return arr;
}

json_t *hall_line_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT l.id, l.center_id, c.path AS center_path, l.prefix, l.name,"
                               " l.active AS is_active, l.created_at, l.updated_at"
                               " FROM service_lines l JOIN centers c ON c.id = l.center_id"
                               " WHERE l.id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return with_members(c, rows_one(q));
}

int hall_line_insert(db_conn *tx, int64_t center_id, const char *prefix, const char *name,
                     int64_t now, int64_t *id_out)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO service_lines (center_id, prefix, name, created_at,"
                                " updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, prefix);
    db_bind_text(q, 3, name);
    db_bind_int(q, 4, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int hall_line_update(db_conn *tx, int64_t id, json_t *values, int64_t now)
{
    json_t *p = json_object_get(values, "prefix"), *n = json_object_get(values, "name"),
           *a = json_object_get(values, "active");
    db_stmt *q = db_prepare(tx, "UPDATE service_lines SET prefix = COALESCE($2, prefix),"
                                " name = COALESCE($3, name), active = COALESCE($4, active),"
                                " updated_at = $5 WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    db_bind_text(q, 2, json_string_value(p));
    db_bind_text(q, 3, json_string_value(n));
    if (json_is_boolean(a))
        db_bind_int(q, 4, json_is_true(a));
    else
        db_bind_null(q, 4);
    db_bind_int(q, 5, now);
    int rc = db_run(q);
    return rc ? rc : db_changes(tx) ? 0 : YC_ENOTFOUND;
}

static int set_members(db_conn *tx, db_stmt *del, db_stmt *ins, int64_t line_id, json_t *arr)
{
    if (!del || !ins)
        return YC_EDB;
    db_bind_int(del, 1, line_id);
    int rc = db_run(del);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (rc)
            break;
        db_bind_int(ins, 1, line_id);
        db_bind_int(ins, 2, json_integer_value(v));
        rc = db_run(ins);
    }
    return rc;
}

int hall_line_set_items(db_conn *tx, int64_t line_id, json_t *arr)
{
    return set_members(
        tx, db_prepare(tx, "DELETE FROM service_line_items WHERE line_id = $1"),
        db_prepare(tx,
                   "INSERT OR IGNORE INTO service_line_items (line_id, item_id) VALUES ($1, $2)"),
        line_id, arr);
}

int hall_line_set_windows(db_conn *tx, int64_t line_id, json_t *arr)
{
    return set_members(tx, db_prepare(tx, "DELETE FROM service_line_windows WHERE line_id = $1"),
                       db_prepare(tx, "INSERT OR IGNORE INTO service_line_windows (line_id,"
                                      " window_id) VALUES ($1, $2)"),
                       line_id, arr);
}

bool hall_window_serves(db_conn *c, int64_t window_id, int64_t line_id)
{
    db_stmt *q = db_prepare(c, "SELECT 1 FROM service_line_windows WHERE window_id = $1"
                               " AND line_id = $2");
    if (!q)
        return false;
    db_bind_int(q, 1, window_id);
    db_bind_int(q, 2, line_id);
    bool yes = db_step(q) == DB_ROW;
    db_reset(q);
    return yes;
}

uint64_t hall_window_skills(db_conn *c, int64_t window_id)
{
    db_stmt *q = db_prepare(c, "SELECT l.prefix FROM service_line_windows lw"
                               " JOIN service_lines l ON l.id = lw.line_id"
                               " WHERE lw.window_id = $1 AND l.active = 1");
    if (!q)
        return 0;
    db_bind_int(q, 1, window_id);
    uint64_t bits = 0;
    while (db_step(q) == DB_ROW) {
        char p = db_col_text(q, 0)[0];
        if (p >= 'A' && p <= 'Z')
            bits |= 1ull << (p - 'A');
    }
    db_reset(q);
    return bits;
}

/* ------------------------------------------------------------ settings */

int hall_settings_get(db_conn *c, int64_t center_id, hall_settings *out)
{
    memset(out, 0, sizeof(*out));
    ystrlcpy(out->pattern, "3:2:1", sizeof(out->pattern));
    out->aging_s = 600;
    out->max_wait_s = 3600;
    out->rejoin_within_s = 1800;
    out->recall_limit = 3;
    db_stmt *q = db_prepare(c, "SELECT pattern, aging_s, max_wait_s, recall_limit,"
                               " rejoin_within_s FROM hall_settings WHERE center_id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        ystrlcpy(out->pattern, db_col_text(q, 0), sizeof(out->pattern));
        out->aging_s = db_col_int(q, 1);
        out->max_wait_s = db_col_int(q, 2);
        out->recall_limit = (int)db_col_int(q, 3);
        out->rejoin_within_s = db_col_int(q, 4);
    }
    db_reset(q);
    return rc < 0 ? rc : 0;
}

int hall_settings_put(db_conn *tx, int64_t center_id, const hall_settings *s, int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "INSERT INTO hall_settings (center_id, pattern, aging_s, max_wait_s, recall_limit,"
            " rejoin_within_s, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " ON CONFLICT (center_id) DO UPDATE SET pattern = excluded.pattern,"
            " aging_s = excluded.aging_s, max_wait_s = excluded.max_wait_s,"
            " recall_limit = excluded.recall_limit, rejoin_within_s = excluded.rejoin_within_s,"
            " updated_at = excluded.updated_at");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, s->pattern);
    db_bind_int(q, 3, s->aging_s);
    db_bind_int(q, 4, s->max_wait_s);
    db_bind_int(q, 5, s->recall_limit);
    db_bind_int(q, 6, s->rejoin_within_s);
    db_bind_int(q, 7, now);
    return db_run(q);
}

/* ------------------------------------------------------------ tickets */

int hall_counter_next(db_conn *tx, int64_t center_id, const char *day, const char *prefix,
                      int64_t *serial)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO ticket_counters (center_id, service_day, prefix,"
                                " last_serial) VALUES ($1, $2, $3, 1)"
                                " ON CONFLICT (center_id, service_day, prefix)"
                                " DO UPDATE SET last_serial = last_serial + 1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, day);
    db_bind_text(q, 3, prefix);
    int rc = db_run(q);
    if (rc)
        return rc;
    /* Read back in the same transaction (no RETURNING: see db_last_insert_id). */
    q = db_prepare(tx, "SELECT last_serial FROM ticket_counters WHERE center_id = $1"
                       " AND service_day = $2 AND prefix = $3");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, day);
    db_bind_text(q, 3, prefix);
    rc = db_step(q);
    if (rc == DB_ROW)
        *serial = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int hall_ticket_insert(db_conn *tx, const hall_ticket_new *t, int64_t *id_out)
{
    db_stmt *q = db_prepare(
        tx, "INSERT INTO tickets (center_id, service_day, line_id, serial, number, priority,"
            " source, status, queued_at, taken_at, item_id, token, taken_by)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8, $8, $9, $10, $11)");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, t->center_id);
    db_bind_text(q, 2, t->day);
    db_bind_int(q, 3, t->line_id);
    db_bind_int(q, 4, t->serial);
    db_bind_text(q, 5, t->number);
    db_bind_text(q, 6, t->priority);
    db_bind_text(q, 7, t->source);
    db_bind_int(q, 8, t->now);
    bind_opt(q, 9, t->item_id);
    db_bind_text(q, 10, t->token);
    db_bind_text(q, 11, t->taken_by ? t->taken_by : "");
    int rc = db_run(q);
    if (!rc)
        *id_out = db_last_insert_id(tx);
    return rc;
}

#define TICKET_COLUMNS                                                                             \
    "SELECT t.id, t.center_id, c.path AS center_path, t.service_day, t.line_id, l.prefix,"         \
    " l.name AS line_name, t.serial, t.number, t.priority, t.source, t.status, t.window_id,"       \
    " w.number AS window_no, t.only_window_id, t.front_at, t.queued_at, t.taken_at, t.called_at,"  \
    " t.started_at, t.finished_at, t.recall_count, t.noshow_count, t.noshow_at,"                   \
    " t.served_by_window_id, t.item_id, t.token FROM tickets t"                                    \
    " JOIN service_lines l ON l.id = t.line_id JOIN centers c ON c.id = t.center_id"               \
    " LEFT JOIN windows w ON w.id = t.window_id "

json_t *hall_ticket_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, TICKET_COLUMNS "WHERE t.id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *hall_ticket_by_token(db_conn *c, const char *token)
{
    db_stmt *q = db_prepare(c, TICKET_COLUMNS "WHERE t.token = $1");
    if (!q)
        return NULL;
    db_bind_text(q, 1, token);
    return rows_one(q);
}

#define QROW_COLUMNS                                                                               \
    "SELECT t.id, t.line_id, t.queued_at, COALESCE(t.front_at, 0),"                                \
    " COALESCE(t.only_window_id, 0), COALESCE(t.window_id, 0), COALESCE(t.noshow_at, 0),"          \
    " t.recall_count, t.noshow_count, l.prefix, t.priority, t.status"                              \
    " FROM tickets t JOIN service_lines l ON l.id = t.line_id "

static void qrow_fill(db_stmt *q, hall_qrow *r)
{
    r->id = db_col_int(q, 0);
    r->line_id = db_col_int(q, 1);
    r->queued_at = db_col_int(q, 2);
    r->front_at = db_col_int(q, 3);
    r->only_window_id = db_col_int(q, 4);
    r->window_id = db_col_int(q, 5);
    r->noshow_at = db_col_int(q, 6);
    r->recalls = (int)db_col_int(q, 7);
    r->noshows = (int)db_col_int(q, 8);
    r->prefix = db_col_text(q, 9)[0];
    ystrlcpy(r->priority, db_col_text(q, 10), sizeof(r->priority));
    ystrlcpy(r->status, db_col_text(q, 11), sizeof(r->status));
}

int hall_qrow_get(db_conn *c, int64_t ticket_id, hall_qrow *out)
{
    db_stmt *q = db_prepare(c, QROW_COLUMNS "WHERE t.id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, ticket_id);
    int rc = db_step(q);
    if (rc == DB_ROW)
        qrow_fill(q, out);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_ENOTFOUND;
}

int hall_queue_scan(db_conn *c, int64_t center_id, const char *day, int64_t window_id,
                    int (*fn)(const hall_qrow *row, void *arg), void *arg)
{
    /* Two index ranges and a correlated EXISTS, not "status IN (...)" and "line_id IN
     * (SELECT ...)": each IN would make SQLite build a temporary table on every call,
     * and this runs on every call and every ticket taken. The order of rows is none. */
#define QUEUE_PART(status)                                                                         \
    QROW_COLUMNS "WHERE t.center_id = $1 AND t.service_day = $2 AND t.status = '" status "'"       \
                 " AND ($3 = 0 OR EXISTS (SELECT 1 FROM service_line_windows lw"                   \
                 " WHERE lw.window_id = $3 AND lw.line_id = t.line_id))"
    db_stmt *q = db_prepare(c, QUEUE_PART("waiting") " UNION ALL " QUEUE_PART("transferred"));
#undef QUEUE_PART
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, day);
    db_bind_int(q, 3, window_id);
    int rc;
    hall_qrow row;
    while ((rc = db_step(q)) == DB_ROW) {
        qrow_fill(q, &row);
        if (fn(&row, arg) < 0)
            break;
    }
    db_reset(q);
    return rc < 0 ? rc : 0;
}

int hall_ticket_call(db_conn *tx, int64_t id, int64_t window_id, int64_t now)
{
    db_stmt *q = db_prepare(tx, "UPDATE tickets SET status = 'called', window_id = $2,"
                                " called_at = $3, recall_count = 0, front_at = NULL,"
                                " only_window_id = NULL WHERE id = $1"
                                " AND status IN ('waiting', 'transferred')");
    if (q) {
        db_bind_int(q, 1, id);
        db_bind_int(q, 2, window_id);
        db_bind_int(q, 3, now);
    }
    return run_one(tx, q);
}

int hall_ticket_set_status(db_conn *tx, int64_t id, const char *from_status, const char *to_status,
                           int64_t window_id, int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "UPDATE tickets SET status = $3, window_id = $4,"
            " called_at = CASE WHEN $3 = 'called' THEN COALESCE(called_at, $5) ELSE called_at END,"
            " started_at = CASE WHEN $3 = 'serving' THEN COALESCE(started_at, $5)"
            " ELSE started_at END WHERE id = $1 AND status = $2");
    if (q) {
        db_bind_int(q, 1, id);
        db_bind_text(q, 2, from_status);
        db_bind_text(q, 3, to_status);
        bind_opt(q, 4, window_id);
        db_bind_int(q, 5, now);
    }
    return run_one(tx, q);
}

int hall_ticket_recall(db_conn *tx, int64_t id)
{
    db_stmt *q = db_prepare(tx, "UPDATE tickets SET recall_count = recall_count + 1"
                                " WHERE id = $1 AND status = 'called'");
    if (q)
        db_bind_int(q, 1, id);
    return run_one(tx, q);
}

int hall_ticket_noshow(db_conn *tx, int64_t id, int64_t now)
{
    db_stmt *q = db_prepare(tx, "UPDATE tickets SET status = 'no_show', window_id = NULL,"
                                " noshow_count = noshow_count + 1, noshow_at = $2"
                                " WHERE id = $1 AND status = 'called'");
    if (q) {
        db_bind_int(q, 1, id);
        db_bind_int(q, 2, now);
    }
    return run_one(tx, q);
}

int hall_ticket_rejoin(db_conn *tx, int64_t id, int64_t queued_at)
{
    db_stmt *q = db_prepare(tx, "UPDATE tickets SET status = 'waiting', queued_at = $2,"
                                " recall_count = 0 WHERE id = $1 AND status = 'no_show'");
    if (q) {
        db_bind_int(q, 1, id);
        db_bind_int(q, 2, queued_at);
    }
    return run_one(tx, q);
}

int hall_ticket_finish(db_conn *tx, int64_t id, int64_t window_id, int64_t item_id, int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "UPDATE tickets SET status = 'done', window_id = NULL, served_by_window_id = $2,"
            " item_id = COALESCE($3, item_id), started_at = COALESCE(started_at, $4),"
            " finished_at = $4 WHERE id = $1 AND status IN ('called', 'serving')");
    if (q) {
        db_bind_int(q, 1, id);
        db_bind_int(q, 2, window_id);
        bind_opt(q, 3, item_id);
        db_bind_int(q, 4, now);
    }
    return run_one(tx, q);
}

int hall_ticket_unpark(db_conn *tx, int64_t id, int64_t window_id, int64_t front_at)
{
    db_stmt *q = db_prepare(tx, "UPDATE tickets SET status = 'waiting', window_id = NULL,"
                                " only_window_id = $2, front_at = $3, recall_count = 0"
                                " WHERE id = $1 AND status = 'held'");
    if (q) {
        db_bind_int(q, 1, id);
        db_bind_int(q, 2, window_id);
        db_bind_int(q, 3, front_at);
    }
    return run_one(tx, q);
}

int hall_ticket_transfer(db_conn *tx, int64_t id, int64_t line_id, int64_t only_window_id,
                         int64_t front_at)
{
    db_stmt *q =
        db_prepare(tx, "UPDATE tickets SET status = 'transferred', window_id = NULL,"
                       " line_id = $2, only_window_id = $3, front_at = $4,"
                       " recall_count = 0 WHERE id = $1 AND status IN ('called', 'serving')");
    if (q) {
        db_bind_int(q, 1, id);
        db_bind_int(q, 2, line_id);
        bind_opt(q, 3, only_window_id);
        bind_opt(q, 4, front_at);
    }
    return run_one(tx, q);
}

static int one_number(db_stmt *q, double *out)
{
    if (!q)
        return YC_EDB;
    int rc = db_step(q);
    if (rc == DB_ROW)
        *out = db_col_type(q, 0) == DB_T_NULL ? 0 : (double)db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int hall_line_waiting(db_conn *c, int64_t line_id, const char *day, int64_t *n)
{
    /* A sum of two index counts: "status IN (...)" would build a temporary table. */
    db_stmt *q = db_prepare(c, "SELECT (SELECT COUNT(*) FROM tickets WHERE line_id = $1"
                               " AND service_day = $2 AND status = 'waiting') + (SELECT COUNT(*)"
                               " FROM tickets WHERE line_id = $1 AND service_day = $2"
                               " AND status = 'transferred')");
    double v = 0;
    if (q) {
        db_bind_int(q, 1, line_id);
        db_bind_text(q, 2, day);
    }
    int rc = one_number(q, &v);
    *n = (int64_t)v;
    return rc;
}

int hall_line_handle_ms(db_conn *c, int64_t line_id, const char *day, double *ms)
{
    db_stmt *q = db_prepare(c, "SELECT CAST(AVG(d) AS INTEGER) FROM (SELECT finished_at -"
                               " started_at AS d FROM tickets WHERE line_id = $1"
                               " AND service_day = $2 AND status = 'done' AND started_at IS NOT"
                               " NULL ORDER BY finished_at DESC LIMIT 20)");
    if (q) {
        db_bind_int(q, 1, line_id);
        db_bind_text(q, 2, day);
    }
    return one_number(q, ms);
}

int hall_line_windows_open(db_conn *c, int64_t line_id, int *open, int *idle)
{
    db_stmt *q = db_prepare(c, "SELECT COUNT(*), COALESCE(SUM(s.current_ticket_id IS NULL), 0)"
                               " FROM service_line_windows lw JOIN window_states s"
                               " ON s.window_id = lw.window_id WHERE lw.line_id = $1"
                               " AND s.state = 'open'");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, line_id);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        *open = (int)db_col_int(q, 0);
        *idle = (int)db_col_int(q, 1);
    }
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

/* ------------------------------------------------------------ windows */

int hall_wstate_get(db_conn *c, int64_t window_id, hall_wstate *out)
{
    memset(out, 0, sizeof(*out));
    ystrlcpy(out->state, "closed", sizeof(out->state));
    db_stmt *q = db_prepare(c, "SELECT state, COALESCE(current_ticket_id, 0), rr"
                               " FROM window_states WHERE window_id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, window_id);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        ystrlcpy(out->state, db_col_text(q, 0), sizeof(out->state));
        out->current_ticket_id = db_col_int(q, 1);
        const char *p = db_col_text(q, 2);
        for (int i = 0; i < 6 && *p; i++) {
            char *end;
            out->rr[i] = strtoll(p, &end, 10);
            p = *end == ',' ? end + 1 : end;
        }
    }
    db_reset(q);
    return rc < 0 ? rc : 0;
}

int hall_wstate_put(db_conn *tx, int64_t window_id, int64_t center_id, const hall_wstate *w,
                    int64_t user_id, int64_t now)
{
    char rr[160];
    snprintf(rr, sizeof(rr), "%lld,%lld,%lld,%lld,%lld,%lld", (long long)w->rr[0],
             (long long)w->rr[1], (long long)w->rr[2], (long long)w->rr[3], (long long)w->rr[4],
             (long long)w->rr[5]);
    db_stmt *q = db_prepare(
        tx, "INSERT INTO window_states (window_id, center_id, state, current_ticket_id, user_id,"
            " rr, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (window_id) DO"
            " UPDATE SET state = excluded.state, current_ticket_id = excluded.current_ticket_id,"
            " user_id = COALESCE(excluded.user_id, user_id), rr = excluded.rr,"
            " updated_at = excluded.updated_at");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, window_id);
    db_bind_int(q, 2, center_id);
    db_bind_text(q, 3, w->state);
    bind_opt(q, 4, w->current_ticket_id);
    bind_opt(q, 5, user_id);
    db_bind_text(q, 6, rr);
    db_bind_int(q, 7, now);
    return db_run(q);
}

json_t *hall_window_held(db_conn *c, int64_t window_id)
{
    db_stmt *q = db_prepare(c, "SELECT t.id, t.number, t.priority, l.name AS line_name,"
                               " t.taken_at, t.called_at FROM tickets t JOIN service_lines l"
                               " ON l.id = t.line_id WHERE t.window_id = $1 AND t.status = 'held'"
                               " ORDER BY t.called_at, t.id");
    if (!q)
        return NULL;
    db_bind_int(q, 1, window_id);
    return rows_all(q, 200);
}

int64_t hall_staff_window(db_conn *c, int64_t user_id)
{
    db_stmt *q = db_prepare(c, "SELECT COALESCE(window_id, 0) FROM staff WHERE user_id = $1");
    if (!q)
        return 0;
    db_bind_int(q, 1, user_id);
    int64_t w = db_step(q) == DB_ROW ? db_col_int(q, 0) : 0;
    db_reset(q);
    return w;
}
