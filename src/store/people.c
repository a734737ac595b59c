/* people.c - see people.h. */
#include "store/people.h"
#include "store/rows.h"
#include "util/err.h"

int people_insert(db_conn *tx, const person_row *p, int64_t now, int64_t *id_out)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO people (kind, name, ident_cipher, ident_index,"
                                " ident_masked, mobile_cipher, mobile_index, mobile_masked,"
                                " created_at, updated_at)"
                                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, p->kind);
    db_bind_text(q, 2, p->name);
    db_bind_text(q, 3, p->ident_cipher);
    db_bind_text(q, 4, p->ident_index);
    db_bind_text(q, 5, p->ident_masked);
    db_bind_text(q, 6, p->mobile_cipher);
    db_bind_text(q, 7, p->mobile_index);
    db_bind_text(q, 8, p->mobile_masked);
    db_bind_int(q, 9, now);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id_out = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : YC_EDB;
}

int people_update(db_conn *tx, int64_t id, const char *name, const char *mobile_cipher,
                  const char *mobile_index, const char *mobile_masked, int64_t now)
{
    db_stmt *q = db_prepare(tx, "UPDATE people SET name = COALESCE($1, name),"
                                " mobile_cipher = COALESCE($2, mobile_cipher),"
                                " mobile_index = COALESCE($3, mobile_index),"
                                " mobile_masked = COALESCE($4, mobile_masked), updated_at = $5"
                                " WHERE id = $6");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, name);
    db_bind_text(q, 2, mobile_cipher);
    db_bind_text(q, 3, mobile_index);
    db_bind_text(q, 4, mobile_masked);
    db_bind_int(q, 5, now);
    db_bind_int(q, 6, id);
    int rc = db_run(q);
    if (!rc && db_changes(tx) == 0)
        return YC_ENOTFOUND;
    return rc;
}

json_t *people_get(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT id, kind, name, ident_masked AS ident, mobile_masked AS"
                               " mobile, created_at, updated_at FROM people WHERE id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *people_secrets(db_conn *c, int64_t id)
{
    db_stmt *q = db_prepare(c, "SELECT ident_cipher, mobile_cipher FROM people WHERE id = $1");
    if (!q)
        return NULL;
    db_bind_int(q, 1, id);
    return rows_one(q);
}

json_t *people_find(db_conn *c, const char *ident_index, const char *mobile_index, int limit)
{
    db_stmt *q = db_prepare(c, "SELECT id, kind, name, ident_masked AS ident, mobile_masked AS"
                               " mobile, created_at, updated_at FROM people"
                               " WHERE ($1 IS NOT NULL AND ident_index = $1)"
                               " OR ($2 IS NOT NULL AND mobile_index = $2) ORDER BY id LIMIT $3");
    if (!q)
        return NULL;
    db_bind_text(q, 1, ident_index);
    db_bind_text(q, 2, mobile_index);
    db_bind_int(q, 3, limit);
    return rows_all(q, limit);
}

json_t *people_list(db_conn *c, const char *kind, int64_t after_id, int limit)
{
    db_stmt *q = db_prepare(c, "SELECT id, kind, name, ident_masked AS ident, mobile_masked AS"
                               " mobile, created_at, updated_at FROM people WHERE id > $1"
                               " AND ($2 IS NULL OR kind = $2) ORDER BY id LIMIT $3");
    if (!q)
        return NULL;
    db_bind_int(q, 1, after_id);
    db_bind_text(q, 2, kind);
    db_bind_int(q, 3, limit);
    return rows_all(q, limit);
}
