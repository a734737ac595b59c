/* outbox.c - see outbox.h. */
#include "store/outbox.h"
#include "store/rows.h"
#include "util/err.h"

#include <string.h>

int outbox_put(db_conn *tx, const outbox_new *m, bool *added)
{
    db_stmt *q = db_prepare(tx, "INSERT INTO outbox (channel, topic, ref, center_id, to_cipher,"
                                " to_masked, body, due_at, status, created_at) VALUES ($1, $2, $3,"
                                " $4, $5, $6, $7, $8, 'pending', $9) ON CONFLICT (ref) DO NOTHING");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, m->channel);
    db_bind_text(q, 2, m->topic);
    db_bind_text(q, 3, m->ref);
    if (m->center_id > 0)
        db_bind_int(q, 4, m->center_id);
    else
        db_bind_null(q, 4);
    db_bind_text(q, 5, m->to_cipher);
    db_bind_text(q, 6, m->to_masked);
    db_bind_text(q, 7, m->body);
    db_bind_int(q, 8, m->due_at);
    db_bind_int(q, 9, m->now);
    int rc = db_run(q);
    if (!rc && added)
        *added = db_changes(tx) == 1;
    return rc;
}

/* A prefix compare (substr), not LIKE: no wildcard in a ref can widen it. */
int outbox_cancel_prefix(db_conn *tx, const char *prefix)
{
    db_stmt *q = db_prepare(tx, "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending'"
                                " AND substr(ref, 1, length($1)) = $1");
    if (!q)
        return YC_EDB;
    db_bind_text(q, 1, prefix);
    return db_run(q);
}

json_t *outbox_due(db_conn *c, int64_t now, int limit)
{
    db_stmt *q = db_prepare(c, "SELECT id, channel, topic, ref, center_id, to_cipher, to_masked,"
                               " body, due_at, attempts FROM outbox WHERE status = 'pending'"
                               " AND due_at <= $1 ORDER BY due_at, id LIMIT $2");
    if (!q)
        return NULL;
    db_bind_int(q, 1, now);
    db_bind_int(q, 2, limit);
    return rows_all(q, limit);
}

int outbox_mark(db_conn *tx, int64_t id, bool sent, const char *error, int64_t retry_at,
                int64_t now)
{
    db_stmt *q = db_prepare(
        tx, "UPDATE outbox SET attempts = attempts + 1,"
            " last_error = CASE WHEN $3 THEN last_error ELSE $2 END,"
            " status = CASE WHEN $3 THEN 'sent' WHEN $4 > 0 THEN 'pending' ELSE 'failed' END,"
            " sent_at = CASE WHEN $3 THEN $5 ELSE sent_at END,"
            " due_at = CASE WHEN $3 OR $4 = 0 THEN due_at ELSE $4 END,"
            /* A verification code is not kept once it is out (nor once it failed). */
            " body = CASE WHEN topic = 'sms_code' AND ($3 OR $4 = 0)"
            "  THEN '【一窗】（验证码短信，发出后不保留内容）' ELSE body END"
            " WHERE id = $1 AND status = 'pending'");
    if (!q)
        return YC_EDB;
    db_bind_int(q, 1, id);
    db_bind_text(q, 2, error ? error : "");
    db_bind_int(q, 3, sent);
    db_bind_int(q, 4, retry_at);
    db_bind_int(q, 5, now);
    return db_run(q);
}

json_t *outbox_list(db_conn *c, const char *status, const char *ref_prefix, const char *center_path,
                    int64_t after_id, int limit)
{
    db_stmt *q = db_prepare(
        c,
        "SELECT o.id, o.channel, o.topic, o.ref, o.center_id, o.to_masked,"
        " CASE WHEN o.topic = 'sms_code' THEN '【一窗】（验证码短信，内容不显示）' ELSE o.body END"
        " AS body, o.due_at,"
        " o.status, o.attempts, o.last_error, o.sent_at, o.created_at FROM outbox o"
        " LEFT JOIN centers c ON c.id = o.center_id"
        " WHERE ($1 = '' OR o.status = $1) AND ($2 = '' OR substr(o.ref, 1, length($2)) = $2)"
        " AND ($3 = '' OR substr(c.path, 1, length($3)) = $3) AND o.id > $4"
        " ORDER BY o.id LIMIT $5");
    if (!q)
        return NULL;
    db_bind_text(q, 1, status ? status : "");
    db_bind_text(q, 2, ref_prefix ? ref_prefix : "");
    db_bind_text(q, 3, center_path ? center_path : "");
    db_bind_int(q, 4, after_id);
    db_bind_int(q, 5, limit);
    return rows_all(q, limit);
}
