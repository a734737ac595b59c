/* notices.c - see notices.h. */
#include "store/notices.h"
#include "store/rows.h"
#include "util/err.h"

int notices_insert(db_conn *tx, int64_t center_id, const char *title, const char *body,
                   int64_t created_by, int64_t now, int64_t *id_out)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO announcements (center_id, title, body, created_by,"
                                " created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, center_id);
    db_bind_text(q, 2, title);
    db_bind_text(q, 3, body);
    if (created_by)
        db_bind_int(q, 4, created_by);
    db_bind_int(q, 5, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int notices_delete(db_conn *tx, int64_t id, int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "UPDATE announcements SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, now);
    db_bind_int(q, 2, id);
    int rc = db_run(q);
    if (!rc && db_changes(tx) == 0)
        return YC_ENOTFOUND;
    return rc;
}

json_t *notices_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT a.id, a.center_id, c.path AS center_path, a.title, a.body,"
                               " a.created_by, a.created_at FROM announcements a"
                               " JOIN centers c ON c.id = a.center_id"
                               " WHERE a.id = $1 AND a.deleted_at IS NULL");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *notices_list(db_conn *c, int64_t center_id, int64_t before, int limit)
{
    db_stmt *q = db_prepare(c, "SELECT id, center_id, title, body, created_by, created_at"
                               " FROM announcements WHERE center_id = $1 AND deleted_at IS NULL"
                               " AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3");
    if (!q)
        return NULL;
    db_bind_int(q, 1, center_id);
    db_bind_int(q, 2, before);
    db_bind_int(q, 3, limit);
    return rows_all(q, limit);
}
