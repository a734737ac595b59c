/* audit.c - see audit.h. */
#include "store/audit.h"
#include "core/mask.h"
#include "store/rows.h"
#include "util/err.h"
#include "util/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Length-prefixed fields, so no choice of values can make two rows serialize alike. */
static void put_str(crypto_hash_sha256_state *h, const char *s)
{
    char len[24];
    size_t n = strlen(s);
    int k = snprintf(len, sizeof(len), "%zu:", n);
    crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
    crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void put_int(crypto_hash_sha256_state *h, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    put_str(h, buf);
}

typedef struct audit_row {
    int64_t seq, at, actor_id, center_id, window_no;
    const char *actor_kind, *actor_name, *role, *client_addr, *action, *object_type, *object_id,
        *summary, *prev_hash;
} audit_row;

static void row_hash(const audit_row *r, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    put_str(&h, r->prev_hash);
    put_int(&h, r->seq);
    put_int(&h, r->at);
    put_str(&h, r->actor_kind);
    put_int(&h, r->actor_id);
    put_str(&h, r->actor_name);
    put_str(&h, r->role);
    put_int(&h, r->center_id);
    put_int(&h, r->window_no);
    put_str(&h, r->client_addr);
    put_str(&h, r->action);
    put_str(&h, r->object_type);
    put_str(&h, r->object_id);
    put_str(&h, r->summary);
    crypto_hash_sha256_final(&h, digest);
    yhex(digest, sizeof(digest), out);
}

int audit_append(db_conn *tx, const audit_actor *a, const char *action, const char *object_type,
                 const char *object_id, const char *summary)
{
    char prev[65] = GENESIS;
    int64_t seq = 1;
    db_stmt *last = db_prepare(tx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!last)
        return YC_EDB;
    int rc = db_step(last);
    if (rc == DB_ROW) {
        seq = db_col_int(last, 0) + 1;
        ystrlcpy(prev, db_col_text(last, 1), sizeof(prev));
    }
    db_reset(last);
    if (rc < 0)
        return rc;

    char *masked = mask_text(summary ? summary : "");
    audit_row r = {
        .seq = seq,
        .at = ytime_now_ms(),
        .actor_id = a->id,
        .center_id = a->center_id,
        .window_no = a->window_no,
        .actor_kind = a->kind ? a->kind : "system",
        .actor_name = a->name ? a->name : "",
        .role = a->role ? a->role : "",
        .client_addr = a->client_addr ? a->client_addr : "",
        .action = action,
        .object_type = object_type ? object_type : "",
        .object_id = object_id ? object_id : "",
        .summary = masked,
        .prev_hash = prev,
    };
    char hash[65];
    row_hash(&r, hash);

    db_stmt *ins = db_prepare(
        tx, "INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, role, center_id,"
            " window_no, client_addr, action, object_type, object_id, summary, prev_hash, hash)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)");
    db_stmt *head = db_prepare(tx, "INSERT INTO meta (key, value) VALUES ('audit_head', $1)"
                                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!ins || !head) {
        free(masked);
        return YC_EDB;
    }
    db_bind_int(ins, 1, r.seq);
    db_bind_int(ins, 2, r.at);
    db_bind_text(ins, 3, r.actor_kind);
    if (r.actor_id)
        db_bind_int(ins, 4, r.actor_id);
    db_bind_text(ins, 5, r.actor_name);
    db_bind_text(ins, 6, r.role);
    if (r.center_id)
        db_bind_int(ins, 7, r.center_id);
    if (r.window_no)
        db_bind_int(ins, 8, r.window_no);
    db_bind_text(ins, 9, r.client_addr);
    db_bind_text(ins, 10, r.action);
    db_bind_text(ins, 11, r.object_type);
    db_bind_text(ins, 12, r.object_id);
    db_bind_text(ins, 13, r.summary);
    db_bind_text(ins, 14, r.prev_hash);
    db_bind_text(ins, 15, hash);
    rc = db_run(ins);
    free(masked);
    if (rc)
        return rc;
    char headval[96];
    snprintf(headval, sizeof(headval), "%lld:%s", (long long)seq, hash);
    db_bind_text(head, 1, headval);
    return db_run(head);
}

static int report_bad(audit_report *out, int64_t seq, const char *fmt, int64_t arg)
{
    out->ok = false;
    out->first_bad_seq = seq;
    snprintf(out->problem, sizeof(out->problem), fmt, (long long)arg);
    return 0;
}

int audit_verify(db_conn *c, audit_report *out)
{
    memset(out, 0, sizeof(*out));
    out->ok = true;
    db_stmt *q = db_prepare(
        c, "SELECT seq, at, actor_kind, COALESCE(actor_id, 0), actor_name, role,"
           " COALESCE(center_id, 0), COALESCE(window_no, 0), client_addr, action, object_type,"
           " object_id, summary, prev_hash, hash FROM audit_log ORDER BY seq");
    if (!q)
        return YC_EDB;
    char prev[65] = GENESIS;
    int64_t expect = 1;
    int rc;
    while ((rc = db_step(q)) == DB_ROW) {
        audit_row r = {
            .seq = db_col_int(q, 0),
            .at = db_col_int(q, 1),
            .actor_kind = db_col_text(q, 2),
            .actor_id = db_col_int(q, 3),
            .actor_name = db_col_text(q, 4),
            .role = db_col_text(q, 5),
            .center_id = db_col_int(q, 6),
            .window_no = db_col_int(q, 7),
            .client_addr = db_col_text(q, 8),
            .action = db_col_text(q, 9),
            .object_type = db_col_text(q, 10),
            .object_id = db_col_text(q, 11),
            .summary = db_col_text(q, 12),
            .prev_hash = db_col_text(q, 13),
        };
        const char *stored = db_col_text(q, 14);
        char hash[65];
        if (r.seq != expect) {
            report_bad(out, expect, "第%lld条记录缺失（被删除）", expect);
            break;
        }
        if (strcmp(r.prev_hash, prev) != 0) {
            report_bad(out, r.seq, "第%lld条记录与前一条不衔接（被删除、插入或调换顺序）", r.seq);
            break;
        }
        row_hash(&r, hash);
        if (strcmp(hash, stored) != 0) {
            report_bad(out, r.seq, "第%lld条记录内容被修改", r.seq);
            break;
        }
        ystrlcpy(prev, stored, sizeof(prev));
        out->rows++;
        expect++;
    }
    db_reset(q);
    if (rc < 0)
        return rc;
    if (!out->ok)
        return 0;
    /* The head recorded with the last append must match the chain's end. */
    db_stmt *h = db_prepare(c, "SELECT value FROM meta WHERE key = 'audit_head'");
    if (!h)
        return YC_EDB;
    char want[96] = "";
    if (db_step(h) == DB_ROW)
        ystrlcpy(want, db_col_text(h, 0), sizeof(want));
    db_reset(h);
    char have[96] = "";
    if (out->rows)
        snprintf(have, sizeof(have), "%lld:%s", (long long)out->rows, prev);
    if (strcmp(want, have) != 0) {
        int64_t head_seq = strtoll(want, NULL, 10);
        report_bad(out, out->rows + 1,
                   head_seq > out->rows ? "日志链末尾的记录被删除（应有%lld条）"
                                        : "日志链头与记录不符（记录头为第%lld条）",
                   head_seq);
    }
    return 0;
}

json_t *audit_list(db_conn *c, const char *center_path, int64_t before, int limit)
{
    db_stmt *q = db_prepare(
        c, "SELECT a.seq, a.at, a.actor_kind, a.actor_id, a.actor_name, a.role, a.center_id,"
           " c.name AS center_name, a.window_no, a.client_addr, a.action, a.object_type,"
           " a.object_id, a.summary, a.hash FROM audit_log a LEFT JOIN centers c ON c.id ="
           " a.center_id WHERE ($1 = 0 OR a.seq < $1) AND ($2 IS NULL OR c.path LIKE $2 || '%')"
           " ORDER BY a.seq DESC LIMIT $3");
    if (!q)
        return NULL;
    db_bind_int(q, 1, before);
    db_bind_text(q, 2, center_path);
    db_bind_int(q, 3, limit);
    return rows_all(q, limit);
}
