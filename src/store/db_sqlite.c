/*
 * db_sqlite.c - db.h on SQLite.
 *
 * WAL mode lets readers run beside the single writer; synchronous=FULL makes every
 * commit durable before it returns. The server's store (store.c) then switches its
 * writer to synchronous=NORMAL and syncs the WAL itself on a sync thread before it
 * replies, so the writer batches requests into one commit and never waits for the
 * disk; durability still costs one fsync per batch, not per request.
 */
#include "store/db.h"
#include "util/err.h"
#include "util/log.h"
#include "util/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STMT_CACHE 1024 /* open-addressed by SQL address; the product has far fewer */

struct db_stmt {
    sqlite3_stmt *s;
    db_conn *conn;
    const char *sql;
};

struct db_conn {
    sqlite3 *db;
    db_stmt cache[STMT_CACHE];
    uint64_t ops;
};

static int map_rc(db_conn *c, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
        return DB_DONE;
    case SQLITE_ROW:
        return DB_ROW;
    case SQLITE_CONSTRAINT:
        return DB_ECONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_EBUSY;
    default:
        ylog_error("db", "sqlite error %d: %s", rc, sqlite3_errmsg(c->db));
        return YC_EDB;
    }
}

int db_open(const char *path, db_role role, db_conn **out)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (role == DB_WRITER)
        flags |= SQLITE_OPEN_CREATE;
    db_conn *c = xcalloc(1, sizeof(*c));
    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
        ylog_error("db", "cannot open %s: %s", path, c->db ? sqlite3_errmsg(c->db) : "no memory");
        goto fail;
    }
    sqlite3_busy_timeout(c->db, 5000);
    sqlite3_extended_result_codes(c->db, 1);
    const char *pragmas = role == DB_WRITER ? "PRAGMA journal_mode=WAL;"
                                              "PRAGMA synchronous=FULL;"
                                              "PRAGMA foreign_keys=ON;"
                                              "PRAGMA wal_autocheckpoint=4000;"
                                            : "PRAGMA foreign_keys=ON;"
                                              "PRAGMA query_only=1;";
    char *errmsg = NULL;
    if (sqlite3_exec(c->db, pragmas, NULL, NULL, &errmsg) != SQLITE_OK) {
        ylog_error("db", "pragmas on %s: %s", path, errmsg ? errmsg : "?");
        sqlite3_free(errmsg);
        goto fail;
    }
    *out = c;
    return 0;
fail:
    if (c->db)
        sqlite3_close_v2(c->db);
    free(c);
    return YC_EDB;
}

void db_close(db_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < STMT_CACHE; i++)
        if (c->cache[i].s)
            sqlite3_finalize(c->cache[i].s);
    sqlite3_close_v2(c->db);
    free(c);
}

int db_exec(db_conn *c, const char *sql)
{
    char *errmsg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &errmsg);
    c->ops++;
    if (rc != SQLITE_OK) {
        ylog_error("db", "exec failed (%d): %s", rc, errmsg ? errmsg : "?");
        sqlite3_free(errmsg);
        return map_rc(c, rc) == DB_ECONSTRAINT ? DB_ECONSTRAINT : YC_EDB;
    }
    return 0;
}

/* PostgreSQL numbers $1, $2 by their digits; SQLite would take "$1" as a name and
 * number names by first appearance, so "... $2 ... $1" would bind backwards. Rewrite
 * $N as ?N, which SQLite numbers by its digits too. (No statement of ours has a '$' in
 * a string literal.) Caller frees. */
static char *sqlite_params(const char *sql)
{
    char *out = xstrdup(sql);
    for (char *p = out; *p; p++)
        if (p[0] == '$' && p[1] >= '0' && p[1] <= '9')
            *p = '?';
    return out;
}

static int prepare(sqlite3 *db, const char *sql, unsigned flags, sqlite3_stmt **out)
{
    char *text = sqlite_params(sql);
    int rc = sqlite3_prepare_v3(db, text, -1, flags, out, NULL);
    free(text);
    return rc;
}

db_stmt *db_prepare(db_conn *c, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 3) % STMT_CACHE;
    for (size_t probe = 0; probe < STMT_CACHE; probe++) {
        db_stmt *e = &c->cache[(h + probe) % STMT_CACHE];
        if (e->sql == sql)
            return e;
        if (!e->sql) {
            if (prepare(c->db, sql, SQLITE_PREPARE_PERSISTENT, &e->s) != SQLITE_OK) {
                ylog_error("db", "prepare failed: %s in: %s", sqlite3_errmsg(c->db), sql);
                e->s = NULL;
                return NULL;
            }
            e->sql = sql;
            e->conn = c;
            return e;
        }
    }
    ylog_error("db", "statement cache full (%d); raise STMT_CACHE", STMT_CACHE);
    abort();
}

db_stmt *db_prepare_once(db_conn *c, const char *sql)
{
    db_stmt *st = xcalloc(1, sizeof(*st));
    if (prepare(c->db, sql, 0, &st->s) != SQLITE_OK) {
        ylog_error("db", "prepare failed: %s in: %s", sqlite3_errmsg(c->db), sql);
        free(st);
        return NULL;
    }
    st->conn = c;
    st->sql = NULL;
    return st;
}

void db_finalize(db_stmt *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->s);
    free(st);
}

void db_bind_int(db_stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(st->s, idx, v);
}

void db_bind_text(db_stmt *st, int idx, const char *s)
{
    if (s)
        sqlite3_bind_text(st->s, idx, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st->s, idx);
}

void db_bind_blob(db_stmt *st, int idx, const void *p, size_t n)
{
    sqlite3_bind_blob(st->s, idx, p, (int)n, SQLITE_TRANSIENT);
}

void db_bind_null(db_stmt *st, int idx)
{
    sqlite3_bind_null(st->s, idx);
}

int db_step(db_stmt *st)
{
    st->conn->ops++;
    int rc = sqlite3_step(st->s);
    return map_rc(st->conn, rc);
}

int db_run(db_stmt *st)
{
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_ROW ? 0 : rc;
}

void db_reset(db_stmt *st)
{
    sqlite3_reset(st->s);
    sqlite3_clear_bindings(st->s);
}

int64_t db_col_int(db_stmt *st, int col)
{
    return sqlite3_column_int64(st->s, col);
}

const char *db_col_text(db_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st->s, col);
    return t ? (const char *)t : "";
}

const void *db_col_blob(db_stmt *st, int col, size_t *n)
{
    *n = (size_t)sqlite3_column_bytes(st->s, col);
    return sqlite3_column_blob(st->s, col);
}

bool db_col_null(db_stmt *st, int col)
{
    return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

db_type db_col_type(db_stmt *st, int col)
{
    switch (sqlite3_column_type(st->s, col)) {
    case SQLITE_INTEGER:
        return DB_T_INT;
    case SQLITE_FLOAT:
        return DB_T_REAL;
    case SQLITE_TEXT:
        return DB_T_TEXT;
    case SQLITE_BLOB:
        return DB_T_BLOB;
    default:
        return DB_T_NULL;
    }
}

int db_col_count(db_stmt *st)
{
    return sqlite3_column_count(st->s);
}

const char *db_col_name(db_stmt *st, int col)
{
    return sqlite3_column_name(st->s, col);
}

int db_changes(db_conn *c)
{
    return sqlite3_changes(c->db);
}

int64_t db_last_insert_id(db_conn *c)
{
    return sqlite3_last_insert_rowid(c->db);
}

const char *db_errmsg(db_conn *c)
{
    return sqlite3_errmsg(c->db);
}

uint64_t db_ops(db_conn *c)
{
    return c->ops;
}

int db_backup(const char *src_path, const char *dst_path,
              void (*progress)(int done, int total, void *arg), void *arg)
{
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *bk = NULL;
    int rc = YC_EDB;
    if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(src, 5000);
    unlink(dst_path);
    if (sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        goto fail;
    bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk)
        goto fail;
    /* Copy in steps so the server's writer is never blocked for long; if it writes
     * meanwhile, SQLite restarts the copy from a consistent snapshot. */
    for (;;) {
        int s = sqlite3_backup_step(bk, 256);
        if (progress)
            progress(sqlite3_backup_pagecount(bk) - sqlite3_backup_remaining(bk),
                     sqlite3_backup_pagecount(bk), arg);
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_OK && s != SQLITE_BUSY && s != SQLITE_LOCKED)
            goto fail;
        if (s != SQLITE_OK)
            sqlite3_sleep(20);
    }
    sqlite3_backup_finish(bk);
    bk = NULL;
    /* The copy is a plain rollback-journal file; make it durable before saying so. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE; PRAGMA integrity_check;", NULL, NULL,
                     NULL) != SQLITE_OK)
        goto fail;
    rc = 0;
fail:
    if (rc)
        ylog_error("backup", "backup of %s to %s failed: %s", src_path, dst_path,
                   dst ? sqlite3_errmsg(dst) : (src ? sqlite3_errmsg(src) : "cannot open"));
    if (bk)
        sqlite3_backup_finish(bk);
    if (dst)
        sqlite3_close_v2(dst);
    if (src)
        sqlite3_close_v2(src);
    return rc;
}

int64_t db_change_counter(db_conn *c)
{
    db_stmt *q = db_prepare(c, "PRAGMA data_version");
    if (!q)
        return -1;
    int64_t v = db_step(q) == DB_ROW ? db_col_int(q, 0) : -1;
    db_reset(q);
    return v;
}
