/* smscode.c - see smscode.h. */
#include "store/smscode.h"
#include "util/err.h"
#include "util/util.h"

#include <string.h>

int smscode_row_add(db_conn *tx, const char *mobile_index, const char *purpose, int64_t now,
                    int64_t expires_at, int64_t *id)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO sms_codes (mobile_index, purpose, code_hash,"
                                " created_at, expires_at) VALUES ($1, $2, '', $3, $4)"
                                " RETURNING id");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, mobile_index);
    db_bind_text(q, 2, purpose);
    db_bind_int(q, 3, now);
    db_bind_int(q, 4, expires_at);
    int rc = db_step(q);
    if (rc == DB_ROW)
        *id = db_col_int(q, 0);
    db_reset(q);
    return rc == DB_ROW ? 0 : YC_EDB;
}

int smscode_row_set_hash(db_conn *tx, int64_t id, const char *code_hash)
{
    db_stmt *q = db_prepare(tx, "UPDATE sms_codes SET code_hash = $2 WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    db_bind_text(q, 2, code_hash);
    return db_run(q);
}

int smscode_row_newest(db_conn *c, const char *mobile_index, const char *purpose, smscode_row *out)
{
    db_stmt *q = db_prepare(c, "SELECT id, attempts, created_at, expires_at, code_hash"
                               " FROM sms_codes WHERE mobile_index = $1 AND purpose = $2"
                               " ORDER BY id DESC LIMIT 1");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, mobile_index);
    db_bind_text(q, 2, purpose);
    int rc = db_step(q);
    if (rc == DB_ROW) {
        out->id = db_col_int(q, 0);
        out->attempts = db_col_int(q, 1);
        out->created_at = db_col_int(q, 2);
        out->expires_at = db_col_int(q, 3);
        ystrlcpy(out->code_hash, db_col_text(q, 4), sizeof(out->code_hash));
    }
    db_reset(q);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : YC_EDB;
}

int64_t smscode_row_count_since(db_conn *c, const char *mobile_index, const char *purpose,
                                int64_t since)
{
    db_stmt *q = db_prepare(c, "SELECT COUNT(*) FROM sms_codes WHERE mobile_index = $1"
                               " AND purpose = $2 AND created_at >= $3");
    if (!q)
        return -1;
    db_bind_text(q, 1, mobile_index);
    db_bind_text(q, 2, purpose);
    db_bind_int(q, 3, since);
    int64_t n = db_step(q) == DB_ROW ? db_col_int(q, 0) : -1;
    db_reset(q);
    return n;
}

int smscode_row_bump(db_conn *tx, int64_t id)
{
    db_stmt *q = db_prepare(tx, "UPDATE sms_codes SET attempts = attempts + 1 WHERE id = $1");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    return db_run(q);
}
