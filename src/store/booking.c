/* booking.c - see booking.h. */
#include "store/booking.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

#include <string.h>

static const booking_settings DEFAULTS = {.slot_min = 30,
                                          .horizon_days = 14,
                                          .book_pct = 50,
                                          .default_handle_min = 12,
                                          .early_min = 60,
                                          .late_grace_min = 15,
                                          .noshow_limit = 3,
                                          .noshow_window_days = 30,
                                          .suspend_days = 30};

int booking_settings_get(db_conn *c, int64_t center_id, booking_settings *out)
{
    *out = DEFAULTS;
    db_stmt *q = db_prepare(c, "SELECT slot_min, horizon_days, book_pct, default_handle_min,"
                               " early_min, late_grace_min, noshow_limit, noshow_window_days,"
                               " suspend_days FROM booking_settings WHERE center_id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        int *f[] = {&out->slot_min,           &out->horizon_days,       &out->book_pct,
                    &out->default_handle_min, &out->early_min,          &out->late_grace_min,
                    &out->noshow_limit,       &out->noshow_window_days, &out->suspend_days};
        for (int i = 0; i < (int)YC_ARRAY_LEN(f); i++)
            *f[i] = (int)db_col_int(q, i);
    }
    db_reset(q);
    return rc < 0 ? YC_EDB : 0;
}

int booking_settings_put(db_conn *tx, int64_t center_id, const booking_settings *s, int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "INSERT INTO booking_settings (center_id, slot_min, horizon_days, book_pct,"
            " default_handle_min, early_min, late_grace_min, noshow_limit, noshow_window_days,"
            " suspend_days, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            " ON CONFLICT (center_id) DO UPDATE SET slot_min = excluded.slot_min,"
            " horizon_days = excluded.horizon_days, book_pct = excluded.book_pct,"
            " default_handle_min = excluded.default_handle_min, early_min = excluded.early_min,"
            " late_grace_min = excluded.late_grace_min, noshow_limit = excluded.noshow_limit,"
            " noshow_window_days = excluded.noshow_window_days,"
            " suspend_days = excluded.suspend_days, updated_at = excluded.updated_at");
    if (!q)
        return YC_EDB;
    int v[] = {s->slot_min,           s->horizon_days,       s->book_pct,
               s->default_handle_min, s->early_min,          s->late_grace_min,
               s->noshow_limit,       s->noshow_window_days, s->suspend_days};
    db_bind_int(q, 1, center_id);
    for (int i = 0; i < (int)YC_ARRAY_LEN(v); i++)
        db_bind_int(q, i + 2, v[i]);
    db_bind_int(q, 11, now);
    return db_run(q);
}

static int hm(const char *s)
{
    return slots_parse_hm(s);
}

int booking_hours(db_conn *c, int64_t center_id, int weekday, slots_hours *out)
{
    db_stmt *q = db_prepare(c, "SELECT am_open, am_close, pm_open, pm_close FROM center_hours"
                               " WHERE center_id = $1 AND weekday = $2");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_int(q, 2, weekday);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        out->am_open = hm(db_col_text(q, 0));
        out->am_close = hm(db_col_text(q, 1));
        out->pm_open = hm(db_col_text(q, 2));
        out->pm_close = hm(db_col_text(q, 3));
    }
    db_reset(q);
    if (rc < 0)
        return YC_EDB;
    if (rc != DB_ROW || out->am_open < 0 || out->am_close < 0 || out->pm_open < 0 ||
        out->pm_close < 0)
        return YC_ENOTFOUND;
    return 0;
}

int booking_line_windows(db_conn *c, int64_t line_id, slots_window *out, int max)
{
    db_stmt *q = db_prepare(c, "SELECT w.duty_lunch, w.duty_weekend, w.duty_holiday"
                               " FROM service_line_windows lw JOIN windows w ON w.id = lw.window_id"
                               " WHERE lw.line_id = $1 AND w.active = 1 ORDER BY w.id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, line_id);
    int n = 0, rc;
    while ((rc = db_step(q)) == DB_ROW && n < max) {
        out[n].duty_lunch = db_col_int(q, 0) != 0;
        out[n].duty_weekend = db_col_int(q, 1) != 0;
        out[n].duty_holiday = db_col_int(q, 2) != 0;
        n++;
    }
    db_reset(q);
    return rc < 0 ? YC_EDB : n;
}

int booking_line_handling(db_conn *c, int64_t line_id, int64_t since_ms, double *mean_min,
                          int64_t *n)
{
    db_stmt *q = db_prepare(c, "SELECT COUNT(*), COALESCE(AVG(finished_at - started_at), 0)"
                               " FROM tickets WHERE line_id = $1 AND status = 'done'"
                               " AND started_at IS NOT NULL AND finished_at >= $2");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, line_id);
    db_bind_int(q, 2, since_ms);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        *n = db_col_int(q, 0);
        *mean_min = (double)db_col_int(q, 1) / 60000.0;
    }
    db_reset(q);
    return rc == DB_ROW ? 0 : YC_EDB;
}

#define HOLDS_PLACE "status IN ('booked','checked_in','late','no_show')"

json_t *booking_slot_taken(db_conn *c, int64_t line_id, const char *day)
{
    db_stmt *q = db_prepare(c, "SELECT slot_start, COUNT(*) FROM bookings WHERE line_id = $1"
                               " AND service_day = $2 AND " HOLDS_PLACE " GROUP BY slot_start");
    if (!q)
        return NULL;
    db_bind_int(q, 1, line_id);
    db_bind_text(q, 2, day);
    json_t *o = json_object();
    int rc;
    while ((rc = db_step(q)) == DB_ROW)
        json_object_set_new(o, db_col_text(q, 0), json_integer(db_col_int(q, 1)));
    db_reset(q);
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int booking_slot_count(db_conn *c, int64_t line_id, const char *day, const char *start, int64_t *n)
{
    db_stmt *q = db_prepare(c, "SELECT COUNT(*) FROM bookings WHERE line_id = $1"
                               " AND service_day = $2 AND slot_start = $3 AND " HOLDS_PLACE);
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, line_id);
    db_bind_text(q, 2, day);
    db_bind_text(q, 3, start);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *n = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : YC_EDB;
}

int booking_insert(db_conn *tx, const booking_new *b, int64_t *id_out)
{
    db_stmt *q = db_prepare(
        tx, "INSERT INTO bookings (center_id, line_id, person_id, name, ident_masked,"
            " mobile_cipher, mobile_index, mobile_masked, service_day, slot_start, slot_end,"
            " start_at, end_at, code, token, status, channel, replaces_id, created_by,"
            " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
            " $13, $14, $15, 'booked', $16, $17, $18, $19, $19) RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, b->center_id);
    db_bind_int(q, 2, b->line_id);
    db_bind_int(q, 3, b->person_id);
    db_bind_text(q, 4, b->name);
    db_bind_text(q, 5, b->ident_masked);
    db_bind_text(q, 6, b->mobile_cipher);
    db_bind_text(q, 7, b->mobile_index);
    db_bind_text(q, 8, b->mobile_masked);
    db_bind_text(q, 9, b->day);
    db_bind_text(q, 10, b->slot_start);
    db_bind_text(q, 11, b->slot_end);
    db_bind_int(q, 12, b->start_at);
    db_bind_int(q, 13, b->end_at);
    db_bind_text(q, 14, b->code);
    db_bind_text(q, 15, b->token);
    db_bind_text(q, 16, b->channel);
    if (b->replaces_id > 0)
        db_bind_int(q, 17, b->replaces_id);
    else
        db_bind_null(q, 17);
    db_bind_text(q, 18, b->created_by);
    db_bind_int(q, 19, b->now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

#define BOOKING_COLS                                                                               \
    "SELECT b.id, b.center_id, c.name AS center_name, c.path AS center_path, b.line_id,"           \
    " l.name AS line_name, l.prefix, b.person_id, b.name, b.ident_masked, b.mobile_masked,"        \
    " b.mobile_cipher, b.mobile_index, b.service_day, b.slot_start, b.slot_end, b.start_at,"       \
    " b.end_at, b.code, b.token, b.status, b.channel, b.ticket_id, t.number AS ticket_number,"     \
    " b.replaces_id, b.created_by, b.created_at, b.updated_at FROM bookings b"                     \
    " JOIN centers c ON c.id = b.center_id JOIN service_lines l ON l.id = b.line_id"               \
    " LEFT JOIN tickets t ON t.id = b.ticket_id "

static json_t *one_by(db_conn *c, const char *sql, const char *text, int64_t id)
{
    db_stmt *q = db_prepare(c, sql);
    if (!q)
        return NULL;
    if (text)
        db_bind_text(q, 1, text);
    else
        db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *booking_get(db_conn *c, int64_t id)
{
    return one_by(c, BOOKING_COLS "WHERE b.id = $1", NULL, id);
}

json_t *booking_by_token(db_conn *c, const char *token)
{
    return one_by(c, BOOKING_COLS "WHERE b.token = $1", token, 0);
}

json_t *booking_by_code(db_conn *c, const char *code)
{
    return one_by(c, BOOKING_COLS "WHERE b.code = $1", code, 0);
}

json_t *booking_for_checkin(db_conn *c, int64_t center_id, int64_t person_id, const char *day)
{
    db_stmt *q = db_prepare(c, BOOKING_COLS "WHERE b.center_id = $1 AND b.person_id = $2"
                                            " AND b.service_day = $3 AND b.status = 'booked'"
                                            " ORDER BY b.start_at, b.id");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    db_bind_int(q, 2, person_id);
    db_bind_text(q, 3, day);
    return rows_all(q, 20);
}

json_t *booking_of_person(db_conn *c, int64_t person_id, const char *mobile_index, int limit)
{
    db_stmt *q = db_prepare(c, BOOKING_COLS "WHERE b.person_id = $1 AND b.mobile_index = $2"
                                            " ORDER BY b.start_at DESC, b.id DESC");
    if (!q)
        return NULL;
    db_bind_int(q, 1, person_id);
    db_bind_text(q, 2, mobile_index);
    return rows_all(q, limit);
}

json_t *booking_of_day(db_conn *c, int64_t center_id, const char *day, int64_t line_id)
{
    db_stmt *q = db_prepare(c, BOOKING_COLS "WHERE b.center_id = $1 AND b.service_day = $2"
                                            " AND ($3 = 0 OR b.line_id = $3)"
                                            " ORDER BY b.start_at, b.line_id, b.id");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, day);
    db_bind_int(q, 3, line_id);
    return rows_all(q, 2000);
}

int booking_set_status(db_conn *tx, int64_t id, const char *from, const char *to, int64_t ticket_id,
                       int64_t now)
{
    db_stmt *q =
        db_prepare(tx, "UPDATE bookings SET status = $3, updated_at = $4,"
                       " ticket_id = COALESCE($5, ticket_id) WHERE id = $1 AND status = $2");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    db_bind_text(q, 2, from);
    db_bind_text(q, 3, to);
    db_bind_int(q, 4, now);
    if (ticket_id > 0)
        db_bind_int(q, 5, ticket_id);
    else
        db_bind_null(q, 5);
    int rc = db_run(q);
    if (rc)
        return rc;
    return db_changes(tx) == 1 ? 0 : YC_ECONFLICT;
}

int booking_noshows(db_conn *c, int64_t person_id, int64_t *out, int max)
{
    db_stmt *q = db_prepare(c, "SELECT end_at FROM bookings WHERE person_id = $1"
                               " AND status = 'no_show' ORDER BY end_at DESC");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, person_id);
    int n = 0, rc;
    while ((rc = db_step(q)) == DB_ROW && n < max)
        out[n++] = db_col_int(q, 0);
    db_reset(q);
    return rc < 0 ? YC_EDB : n;
}

int booking_sweep_noshows(db_conn *tx, int64_t now, int64_t *n)
{
    db_stmt *q = db_prepare(
        tx, "UPDATE bookings SET status = 'no_show', updated_at = $1 WHERE status = 'booked'"
            " AND end_at + 60000 * COALESCE((SELECT s.late_grace_min FROM booking_settings s"
            " WHERE s.center_id = bookings.center_id), 15) < $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, now);
    int rc = db_run(q);
    if (!rc)
        *n = db_changes(tx);
    return rc;
}

int booking_ticket_attach(db_conn *tx, int64_t ticket_id, int64_t booking_id,
                          const char *notify_cipher)
{
    db_stmt *q = db_prepare(tx, "UPDATE tickets SET booking_id = COALESCE($2, booking_id),"
                                " notify_cipher = $3 WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, ticket_id);
    if (booking_id > 0)
        db_bind_int(q, 2, booking_id);
    else
        db_bind_null(q, 2);
    db_bind_text(q, 3, notify_cipher ? notify_cipher : "");
    return db_run(q);
}

json_t *booking_near_candidates(db_conn *c, int64_t center_id, const char *day)
{
    db_stmt *q = db_prepare(c, "SELECT id, number, notify_cipher FROM tickets"
                               " WHERE center_id = $1 AND service_day = $2 AND status = 'waiting'"
                               " AND notify_cipher <> '' AND near_sent = 0 ORDER BY id");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, day);
    return rows_all(q, 500);
}

int booking_ticket_near_sent(db_conn *tx, int64_t ticket_id)
{
    db_stmt *q = db_prepare(tx, "UPDATE tickets SET near_sent = 1 WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, ticket_id);
    return db_run(q);
}

json_t *booking_lines(db_conn *c, int64_t center_id)
{
    db_stmt *q =
        db_prepare(c, "SELECT l.id, l.prefix, l.name, l.center_id, c.name AS center_name, c.level"
                      " FROM service_lines l JOIN centers c ON c.id = l.center_id"
                      " WHERE l.active = 1 AND ($1 = 0 OR l.center_id = $1) AND EXISTS (SELECT 1"
                      " FROM service_line_windows lw JOIN windows w ON w.id = lw.window_id"
                      " WHERE lw.line_id = l.id AND w.active = 1) ORDER BY c.path, l.prefix");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    return rows_all(q, 1000);
}
