/* calendar_store.c - see calendar_store.h. */
#include "store/calendar_store.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

int calstore_each_year(db_conn *c, void (*fn)(void *arg, int year), void *arg)
{
    db_stmt *q = db_prepare(c, "SELECT year FROM holiday_years ORDER BY year");
    if (!q)
        return YC_EDB;
    int rc;
    while ((rc = db_step(q)) == DB_ROW)
        fn(arg, (int)db_col_int(q, 0));
    db_reset(q);
    return rc < 0 ? rc : 0;
}

int calstore_each_day(db_conn *c,
                      void (*fn)(void *arg, const char *date, bool is_off, const char *name),
                      void *arg)
{
    db_stmt *q = db_prepare(c, "SELECT date, is_off, name FROM holiday_days ORDER BY date");
    if (!q)
        return YC_EDB;
    int rc;
    while ((rc = db_step(q)) == DB_ROW)
        fn(arg, db_col_text(q, 0), db_col_int(q, 1) != 0, db_col_text(q, 2));
    db_reset(q);
    return rc < 0 ? rc : 0;
}

int calstore_each_override(db_conn *c, int64_t center_id,
                           void (*fn)(void *arg, const char *date, bool closed, const char *reason),
                           void *arg)
{
    db_stmt *q = db_prepare(c, "SELECT date, kind, reason FROM calendar_overrides"
                               " WHERE center_id = $1 ORDER BY date");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    int rc;
    while ((rc = db_step(q)) == DB_ROW)
        fn(arg, db_col_text(q, 0), db_col_text(q, 1)[0] == 'c', db_col_text(q, 2));
    db_reset(q);
    return rc < 0 ? rc : 0;
}

bool calstore_year_exists(db_conn *c, int year)
{
    db_stmt *q = db_prepare(c, "SELECT 1 FROM holiday_years WHERE year = $1");
    if (!q)
        return false;
    db_bind_int(q, 1, year);
    bool found = db_step(q) == DB_ROW;
    db_reset(q);
    return found;
}

int calstore_year_replace(db_conn *tx, int year, const char *source, int64_t now)
{
    db_stmt *del = db_prepare(tx, "DELETE FROM holiday_days WHERE year = $1");
    db_stmt *up =
        db_prepare(tx, "INSERT INTO holiday_years (year, source, imported_at)"
                       " VALUES ($1, $2, $3) ON CONFLICT (year) DO UPDATE"
                       " SET source = excluded.source, imported_at = excluded.imported_at");
    if (!del || !up)
        return YC_EDB;
    db_bind_int(del, 1, year);
    int rc = db_run(del);
    if (rc)
        return rc;
    db_bind_int(up, 1, year);
    db_bind_text(up, 2, source);
    db_bind_int(up, 3, now);
    return db_run(up);
}

int calstore_day_insert(db_conn *tx, const char *date, int year, bool is_off, const char *name)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO holiday_days (date, year, is_off, name)"
                                " VALUES ($1, $2, $3, $4)");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, date);
    db_bind_int(q, 2, year);
    db_bind_int(q, 3, is_off);
    db_bind_text(q, 4, name);
    return db_run(q);
}

json_t *calstore_years(db_conn *c)
{
    db_stmt *q = db_prepare(c, "SELECT y.year, y.source, y.imported_at, COUNT(d.date) AS"
                               " day_count FROM holiday_years y LEFT JOIN holiday_days d"
                               " ON d.year = y.year GROUP BY y.year ORDER BY y.year");
    if (!q)
        return NULL;
    return rows_all(q, 200);
}

json_t *calstore_overrides(db_conn *c, int64_t center_id, const char *from, const char *to)
{
    db_stmt *q = db_prepare(c, "SELECT o.id, o.center_id, o.date, o.kind, o.reason,"
                               " o.created_by, u.display_name AS created_by_name, o.created_at"
                               " FROM calendar_overrides o LEFT JOIN users u ON u.id ="
                               " o.created_by WHERE o.center_id = $1 AND o.date >= $2"
                               " AND o.date <= $3 ORDER BY o.date");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, from);
    db_bind_text(q, 3, to);
    return rows_all(q, 400);
}

int calstore_override_insert(db_conn *tx, int64_t center_id, const char *date, const char *kind,
                             const char *reason, int64_t created_by, int64_t now, int64_t *id)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO calendar_overrides (center_id, date, kind, reason,"
                                " created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
                                " RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, date);
    db_bind_text(q, 3, kind);
    db_bind_text(q, 4, reason);
    if (created_by)
        db_bind_int(q, 5, created_by);
    db_bind_int(q, 6, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

json_t *calstore_override_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT o.id, o.center_id, c.path AS center_path, o.date, o.kind,"
                               " o.reason FROM calendar_overrides o JOIN centers c"
                               " ON c.id = o.center_id WHERE o.id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

int calstore_override_delete(db_conn *tx, int64_t id)
{
    db_stmt *q = db_prepare(tx, "DELETE FROM calendar_overrides WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    int rc = db_run(q);
    if (!rc && db_changes(tx) == 0)
        return YC_ENOTFOUND;
    return rc;
}

int calstore_closed_on(db_conn *c, int64_t center_id, const char *date, char *reason, size_t size)
{
    db_stmt *q = db_prepare(c, "SELECT reason FROM calendar_overrides WHERE center_id = $1"
                               " AND date = $2 AND kind = 'closed'");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, date);
    int rc = db_step(q);
    if (rc == DB_ROW)
        ystrlcpy(reason, db_col_text(q, 0), size);
    db_reset(q);
    return rc < 0 ? YC_EDB : rc == DB_ROW;
}
