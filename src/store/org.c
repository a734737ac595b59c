/* org.c - see org.h. */
#include "store/org.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static void bind_json(db_stmt *st, int idx, json_t *v)
{
    if (json_is_integer(v))
        db_bind_int(st, idx, json_integer_value(v));
    else if (json_is_boolean(v))
        db_bind_int(st, idx, json_is_true(v));
    else if (json_is_string(v))
        db_bind_text(st, idx, json_string_value(v));
    else
        db_bind_null(st, idx);
}

int org_insert(db_conn *tx, const char *table, const char *const *columns, json_t *values,
               int64_t now, int with_updated, int64_t *id_out)
{
    /* Only the columns present in values, so absent ones take their SQL default. The
     * statement differs by that set, so it is built per call and not cached: these
     * are set-up writes, rare next to the hall's traffic. */
    ybuf b = {0};
    int k = 0;
    ybuf_printf(&b, "INSERT INTO %s (", table);
    for (int i = 0; columns[i]; i++)
        if (json_object_get(values, columns[i])) {
            ybuf_printf(&b, "%s, ", columns[i]);
            k++;
        }
    ybuf_adds(&b, with_updated ? "created_at, updated_at) VALUES (" : "created_at) VALUES (");
    for (int i = 0; i < k; i++)
        ybuf_printf(&b, "$%d, ", i + 1);
    ybuf_printf(&b, with_updated ? "$%d, $%d) RETURNING id" : "$%d) RETURNING id", k + 1, k + 1);
    db_stmt *q = db_prepare_once(tx, b.data);
    ybuf_release(&b);
    if (!q)
        return YC_EDB;
    k = 0;
    for (int i = 0; columns[i]; i++) {
        json_t *v = json_object_get(values, columns[i]);
        if (v)
            bind_json(q, ++k, v);
    }
    db_bind_int(q, k + 1, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_finalize(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int org_update(db_conn *tx, const char *table, const char *const *columns, json_t *values,
               int64_t now, int64_t id)
{
    /* Only the columns present in values: the statement differs by that set, so it is
     * built per call and not cached (updates are rare). */
    ybuf b = {0};
    int k = 0;
    ybuf_printf(&b, "UPDATE %s SET ", table);
    for (int i = 0; columns[i]; i++)
        if (json_object_get(values, columns[i]))
            ybuf_printf(&b, "%s = $%d, ", columns[i], ++k);
    ybuf_printf(&b, "updated_at = $%d WHERE id = $%d", k + 1, k + 2);
    db_stmt *q = db_prepare_once(tx, b.data);
    ybuf_release(&b);
    if (!q)
        return YC_EDB;
    k = 0;
    for (int i = 0; columns[i]; i++) {
        json_t *v = json_object_get(values, columns[i]);
        if (v)
            bind_json(q, ++k, v);
    }
    db_bind_int(q, k + 1, now);
    db_bind_int(q, k + 2, id);
    int rc = db_step(q);
    int changed = db_changes(tx);
    db_finalize(q);
    if (rc < 0)
        return rc;
    return changed ? 0 : YC_ENOTFOUND;
}

int org_center_update(db_conn *tx, int64_t id, json_t *values, int64_t now)
{
    static const char *const cols[] = {"name", "address", "phone", "region_code", NULL};
    (void)now;
    ybuf b = {0};
    int k = 0;
    ybuf_adds(&b, "UPDATE centers SET ");
    for (int i = 0; cols[i]; i++) {
        if (json_object_get(values, cols[i])) {
            ybuf_printf(&b, "%s%s = $%d", k ? ", " : "", cols[i], k + 1);
            k++;
        }
    }
    if (!k) {
        ybuf_release(&b);
        return 0;
    }
    ybuf_printf(&b, " WHERE id = $%d", k + 1);
    db_stmt *q = db_prepare_once(tx, b.data);
    ybuf_release(&b);
    if (!q)
        return YC_EDB;
    k = 0;
    for (int i = 0; cols[i]; i++) {
        json_t *v = json_object_get(values, cols[i]);
        if (v)
            bind_json(q, ++k, v);
    }
    db_bind_int(q, k + 1, id);
    int rc = db_step(q);
    int changed = db_changes(tx);
    db_finalize(q);
    if (rc < 0)
        return rc;
    return changed ? 0 : YC_ENOTFOUND;
}

json_t *org_zones_list(db_conn *c, int64_t center_id)
{
    db_stmt *q = db_prepare(c, "SELECT id, center_id, kind, name, always_open AS is_always_open,"
                               " created_at FROM zones WHERE center_id = $1 ORDER BY id");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    return rows_all(q, 500);
}

json_t *org_departments_list(db_conn *c, int64_t after_id, int limit)
{
    db_stmt *q = db_prepare(c, "SELECT id, name, short_name, credit_code, created_at"
                               " FROM departments WHERE id > $1 ORDER BY id LIMIT $2");
    if (!q)
        return NULL;
    db_bind_int(q, 1, after_id);
    db_bind_int(q, 2, limit);
    return rows_all(q, limit);
}

json_t *org_department_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT id, name, short_name, credit_code, created_at"
                               " FROM departments WHERE id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *org_windows_list(db_conn *c, int64_t center_id)
{
    db_stmt *q =
        db_prepare(c, "SELECT w.id, w.center_id, w.zone_id, w.number, w.name, w.kind, w.domain,"
                      " w.department_id, d.name AS department_name, w.duty_lunch AS is_duty_lunch,"
                      " w.duty_weekend AS is_duty_weekend, w.duty_holiday AS is_duty_holiday,"
                      " w.active AS is_active, w.created_at, w.updated_at FROM windows w"
                      " LEFT JOIN departments d ON d.id = w.department_id WHERE w.center_id = $1"
                      " ORDER BY w.number");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    return rows_all(q, 1000);
}

json_t *org_window_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(
        c, "SELECT w.id, w.center_id, c.path AS center_path, w.zone_id, w.number, w.name, w.kind,"
           " w.domain, w.department_id, w.duty_lunch AS is_duty_lunch,"
           " w.duty_weekend AS is_duty_weekend, w.duty_holiday AS is_duty_holiday,"
           " w.active AS is_active, w.created_at, w.updated_at FROM windows w"
           " JOIN centers c ON c.id = w.center_id WHERE w.id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

int org_window_counts(db_conn *c, int64_t center_id, int *comprehensive, int *certificate,
                      int *consult)
{
    db_stmt *q =
        db_prepare(c, "SELECT COALESCE(SUM(kind IN ('general','domain')), 0),"
                      " COALESCE(SUM(kind = 'certificate'), 0), COALESCE(SUM(kind = 'consult'), 0)"
                      " FROM windows WHERE center_id = $1 AND active = 1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        *comprehensive = (int)db_col_int(q, 0);
        *certificate = (int)db_col_int(q, 1);
        *consult = (int)db_col_int(q, 2);
    }
    db_reset(q);
    return rc == DB_ROW ? 0 : YC_EDB;
}

json_t *org_staff_list(db_conn *c, const char *root_path, int64_t after_id, int limit)
{
    db_stmt *q =
        db_prepare(c, "SELECT s.id, s.user_id, u.username, u.display_name, s.staff_no, s.center_id,"
                      " c.name AS center_name, s.department_id, d.name AS department_name, s.posts,"
                      " s.window_id, w.number AS window_no, s.backup_staff_id, s.posted_since,"
                      " s.created_at, s.updated_at FROM staff s JOIN users u ON u.id = s.user_id"
                      " JOIN centers c ON c.id = s.center_id LEFT JOIN departments d ON d.id ="
                      " s.department_id LEFT JOIN windows w ON w.id = s.window_id"
                      " WHERE s.id > $1 AND c.path LIKE $2 || '%' ORDER BY s.id LIMIT $3");
    if (!q)
        return NULL;
    db_bind_int(q, 1, after_id);
    db_bind_text(q, 2, root_path);
    db_bind_int(q, 3, limit);
    return rows_all(q, limit);
}

json_t *org_staff_get(db_conn *c, int64_t id)
{
    db_stmt *q =
        db_prepare(c, "SELECT s.id, s.user_id, u.username, u.display_name, s.staff_no, s.center_id,"
                      " c.path AS center_path, c.name AS center_name, s.department_id,"
                      " d.name AS department_name, s.posts, s.window_id, w.number AS window_no,"
                      " s.backup_staff_id, s.posted_since, s.created_at, s.updated_at FROM staff s"
                      " JOIN users u ON u.id = s.user_id JOIN centers c ON c.id = s.center_id"
                      " LEFT JOIN departments d ON d.id = s.department_id"
                      " LEFT JOIN windows w ON w.id = s.window_id WHERE s.id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *org_items_list(db_conn *c, int64_t after_id, int limit)
{
    db_stmt *q = db_prepare(c, "SELECT i.id, i.basic_code, i.name, i.department_id,"
                               " d.name AS department_name, i.created_at FROM items i"
                               " JOIN departments d ON d.id = i.department_id"
                               " WHERE i.id > $1 ORDER BY i.id LIMIT $2");
    if (!q)
        return NULL;
    db_bind_int(q, 1, after_id);
    db_bind_int(q, 2, limit);
    return rows_all(q, limit);
}

json_t *org_item_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT id, basic_code, name, department_id, created_at"
                               " FROM items WHERE id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *org_authorizations_list(db_conn *c, int64_t staff_id, int with_revoked)
{
    db_stmt *q = db_prepare(
        c, "SELECT a.id, a.staff_id, a.item_id, i.basic_code, i.name AS item_name, a.action,"
           " a.granted_by, u.display_name AS granted_by_name, a.granted_at, a.expires_on,"
           " a.revoked_at FROM authorizations a JOIN items i ON i.id = a.item_id"
           " JOIN users u ON u.id = a.granted_by WHERE a.staff_id = $1"
           " AND ($2 = 1 OR a.revoked_at IS NULL) ORDER BY a.revoked_at IS NOT NULL, a.id");
    if (!q)
        return NULL;
    db_bind_int(q, 1, staff_id);
    db_bind_int(q, 2, with_revoked);
    return rows_all(q, 2000);
}

json_t *org_authorization_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(
        c, "SELECT a.id, a.staff_id, s.center_id, c.path AS center_path, a.item_id,"
           " i.department_id, a.action, a.granted_by, a.granted_at, a.expires_on, a.revoked_at"
           " FROM authorizations a JOIN staff s ON s.id = a.staff_id"
           " JOIN centers c ON c.id = s.center_id JOIN items i ON i.id = a.item_id"
           " WHERE a.id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

int org_authorization_insert(db_conn *tx, int64_t staff_id, int64_t item_id, const char *action,
                             int64_t granted_by, int64_t now, const char *expires_on,
                             int64_t *id_out)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO authorizations (staff_id, item_id, action,"
                                " granted_by, granted_at, expires_on)"
                                " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, staff_id);
    db_bind_int(q, 2, item_id);
    db_bind_text(q, 3, action);
    db_bind_int(q, 4, granted_by);
    db_bind_int(q, 5, now);
    db_bind_text(q, 6, expires_on);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int org_authorization_revoke(db_conn *tx, int64_t id, int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "UPDATE authorizations SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, now);
    db_bind_int(q, 2, id);
    int rc = db_run(q);
    if (!rc && db_changes(tx) == 0)
        return YC_ENOTFOUND;
    return rc;
}

json_t *org_hours_get(db_conn *c, int64_t center_id)
{
    db_stmt *q = db_prepare(c, "SELECT weekday, am_open, am_close, pm_open, pm_close"
                               " FROM center_hours WHERE center_id = $1 ORDER BY weekday");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    return rows_all(q, 7);
}

int org_hours_set(db_conn *tx, int64_t center_id, json_t *days)
{
    db_stmt *del = db_prepare(tx, "DELETE FROM center_hours WHERE center_id = $1");
    db_stmt *ins = db_prepare(tx, "INSERT INTO center_hours (center_id, weekday, am_open,"
                                  " am_close, pm_open, pm_close) VALUES ($1, $2, $3, $4, $5, $6)");
    if (!del || !ins)
        return YC_EDB;
    db_bind_int(del, 1, center_id);
    int rc = db_run(del);
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        if (rc)
            break;
        db_bind_int(ins, 1, center_id);
        db_bind_int(ins, 2, json_integer_value(json_object_get(d, "weekday")));
        db_bind_text(ins, 3, json_string_value(json_object_get(d, "am_open")));
        db_bind_text(ins, 4, json_string_value(json_object_get(d, "am_close")));
        db_bind_text(ins, 5, json_string_value(json_object_get(d, "pm_open")));
        db_bind_text(ins, 6, json_string_value(json_object_get(d, "pm_close")));
        rc = db_run(ins);
    }
    return rc;
}

int org_grant_comprehensive_receive(db_conn *tx, int64_t now, const char *expires_on,
                                    int64_t *granted)
{
    db_stmt *q = db_prepare(
        tx, "INSERT INTO authorizations (staff_id, item_id, action, granted_by, granted_at,"
            " expires_on)"
            " SELECT s.id, v.item_id, 'receive', ch.user_id, $1, $2"
            " FROM staff s JOIN windows w ON w.id = s.window_id"
            " JOIN item_versions v ON v.status = 'published'"
            " JOIN items i ON i.id = v.item_id AND i.retired_at IS NULL"
            " JOIN (SELECT department_id, MIN(user_id) AS user_id FROM user_roles"
            "  WHERE role = 'chief_rep' AND department_id IS NOT NULL GROUP BY department_id) ch"
            "  ON ch.department_id = v.department_id"
            " WHERE w.active = 1 AND (w.kind = 'general' OR (w.kind = 'domain'"
            "  AND w.domain = v.domain))"
            " AND NOT EXISTS (SELECT 1 FROM authorizations a WHERE a.staff_id = s.id"
            "  AND a.item_id = v.item_id AND a.action = 'receive' AND a.revoked_at IS NULL)");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, now);
    db_bind_text(q, 2, expires_on);
    int rc = db_run(q);
    if (!rc)
        *granted = db_changes(tx);
    return rc;
}
