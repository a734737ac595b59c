/*
 * raw_sqlite.c - the reference for bench/write_vs_sqlite.sh: the same transaction the
 * server runs for POST /api/v1/announcements, done by one process straight on SQLite
 * with no HTTP, no JSON, no threads and no group commit.
 *
 * Per row, one transaction (BEGIN IMMEDIATE ... COMMIT) with the statements
 * store/notices.c and store/audit.c run for a "notice_create":
 *   INSERT INTO announcements ... RETURNING id
 *   SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1
 *   INSERT INTO audit_log (...)
 *   INSERT INTO meta ('audit_head') ... ON CONFLICT DO UPDATE
 *   SELECT the new announcement joined to its center (the reply body)
 * The audit hash is a cheap stand-in (FNV-1a, hex), not SHA-256: this measures the
 * database, and the server's extra work (SHA-256, JSON, HTTP) is what the ratio shows.
 *
 * Usage: raw_sqlite DB_PATH NORMAL|FULL SECONDS
 * Prints one line: "mode=NORMAL rows=N seconds=S rows_per_s=R".
 *
 * Build: cc -O2 -o raw_sqlite raw_sqlite.c -lsqlite3
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Copied from src/store/migrations.c (migration 1), the tables this transaction
 * touches, with their indexes and triggers. */
static const char schema[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE centers ("
    " id INTEGER PRIMARY KEY,"
    " parent_id INTEGER REFERENCES centers(id),"
    " level TEXT NOT NULL CHECK (level IN ('county','town','village')),"
    " name TEXT NOT NULL,"
    " path TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX centers_name ON centers(parent_id, name);"
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY,"
    " username TEXT NOT NULL UNIQUE,"
    " display_name TEXT NOT NULL,"
    " password_hash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " must_change_password INTEGER NOT NULL DEFAULT 0,"
    " failed_logins INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE TABLE announcements ("
    " id INTEGER PRIMARY KEY,"
    " center_id INTEGER NOT NULL REFERENCES centers(id),"
    " title TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " created_by INTEGER REFERENCES users(id),"
    " created_at INTEGER NOT NULL,"
    " deleted_at INTEGER);"
    "CREATE INDEX announcements_center ON announcements(center_id, id);"
    "CREATE TABLE audit_log ("
    " seq INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor_kind TEXT NOT NULL,"
    " actor_id INTEGER,"
    " actor_name TEXT NOT NULL DEFAULT '',"
    " role TEXT NOT NULL DEFAULT '',"
    " center_id INTEGER,"
    " window_no INTEGER,"
    " client_addr TEXT NOT NULL DEFAULT '',"
    " action TEXT NOT NULL,"
    " object_type TEXT NOT NULL DEFAULT '',"
    " object_id TEXT NOT NULL DEFAULT '',"
    " summary TEXT NOT NULL DEFAULT '',"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL);"
    "CREATE INDEX audit_center ON audit_log(center_id, seq);"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "INSERT INTO centers (id, parent_id, level, name, path, created_at)"
    " VALUES (1, NULL, 'county', '示范县政务服务中心', '/1/', 0);"
    "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at)"
    " VALUES (1, 'admin', '系统管理员', 'x', 0, 0);";

static sqlite3 *db;

static void die(const char *what)
{
    fprintf(stderr, "raw_sqlite: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "raw_sqlite: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
        die(sql);
    return s;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fake_hash(const char *prev, int64_t seq, char out[65])
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = prev; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h ^= (uint64_t)seq;
    for (int i = 0; i < 4; i++)
        snprintf(out + 16 * i, 17, "%016llx", (unsigned long long)(h * (uint64_t)(i + 1)));
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[2], "NORMAL") && strcmp(argv[2], "FULL"))) {
        fprintf(stderr, "usage: raw_sqlite DB_PATH NORMAL|FULL SECONDS\n");
        return 2;
    }
    double seconds = atof(argv[3]);
    remove(argv[1]);
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        die("open");
    char pragmas[256];
    snprintf(pragmas, sizeof(pragmas),
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;"
             " PRAGMA wal_autocheckpoint=4000;",
             argv[2]);
    exec(pragmas);
    exec("BEGIN");
    exec(schema);
    exec("COMMIT");

    sqlite3_stmt *ins = prep("INSERT INTO announcements (center_id, title, body, created_by,"
                             " created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id");
    sqlite3_stmt *last = prep("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    sqlite3_stmt *aud =
        prep("INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, role, center_id,"
             " window_no, client_addr, action, object_type, object_id, summary, prev_hash, hash)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)");
    sqlite3_stmt *head = prep("INSERT INTO meta (key, value) VALUES ('audit_head', $1)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    sqlite3_stmt *get = prep("SELECT a.id, a.center_id, c.path AS center_path, a.title, a.body,"
                             " a.created_by, a.created_at FROM announcements a"
                             " JOIN centers c ON c.id = a.center_id"
                             " WHERE a.id = $1 AND a.deleted_at IS NULL");
    sqlite3_stmt *begin = prep("BEGIN IMMEDIATE");
    sqlite3_stmt *commit = prep("COMMIT");

    const char *body = "本中心将于周六上午照常办公，请办事群众携带身份证件按时前来。";
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t rows = 0;
    double t0 = now_s(), t1 = t0;
    while (t1 - t0 < seconds) {
        char title[64], idtext[32], summary[200], hash[65], headval[96];
        snprintf(title, sizeof(title), "raw-%lld", (long long)rows);
        if (sqlite3_step(begin) != SQLITE_DONE)
            die("begin");
        sqlite3_reset(begin);

        sqlite3_bind_int64(ins, 1, 1);
        sqlite3_bind_text(ins, 2, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, body, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 4, 1);
        sqlite3_bind_int64(ins, 5, wall_ms());
        if (sqlite3_step(ins) != SQLITE_ROW)
            die("insert announcement");
        int64_t id = sqlite3_column_int64(ins, 0);
        sqlite3_reset(ins);

        int64_t seq = 1;
        if (sqlite3_step(last) == SQLITE_ROW) {
            seq = sqlite3_column_int64(last, 0) + 1;
            snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(last, 1));
        }
        sqlite3_reset(last);
        fake_hash(prev, seq, hash);
        snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
        snprintf(summary, sizeof(summary), "发布公告“%s”", title);
        sqlite3_bind_int64(aud, 1, seq);
        sqlite3_bind_int64(aud, 2, wall_ms());
        sqlite3_bind_text(aud, 3, "user", -1, SQLITE_STATIC);
        sqlite3_bind_int64(aud, 4, 1);
        sqlite3_bind_text(aud, 5, "admin", -1, SQLITE_STATIC);
        sqlite3_bind_text(aud, 6, "admin", -1, SQLITE_STATIC);
        sqlite3_bind_int64(aud, 7, 1);
        sqlite3_bind_null(aud, 8);
        sqlite3_bind_text(aud, 9, "127.0.0.1", -1, SQLITE_STATIC);
        sqlite3_bind_text(aud, 10, "notice_create", -1, SQLITE_STATIC);
        sqlite3_bind_text(aud, 11, "notice", -1, SQLITE_STATIC);
        sqlite3_bind_text(aud, 12, idtext, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(aud, 13, summary, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(aud, 14, prev, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(aud, 15, hash, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(aud) != SQLITE_DONE)
            die("insert audit");
        sqlite3_reset(aud);

        snprintf(headval, sizeof(headval), "%lld:%s", (long long)seq, hash);
        sqlite3_bind_text(head, 1, headval, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(head) != SQLITE_DONE)
            die("audit head");
        sqlite3_reset(head);

        sqlite3_bind_int64(get, 1, id);
        if (sqlite3_step(get) != SQLITE_ROW)
            die("read back");
        sqlite3_reset(get);

        if (sqlite3_step(commit) != SQLITE_DONE)
            die("commit");
        sqlite3_reset(commit);
        rows++;
        t1 = now_s();
    }
    double dt = t1 - t0;
    printf("mode=%s rows=%lld seconds=%.3f rows_per_s=%.1f\n", argv[2], (long long)rows, dt,
           (double)rows / dt);
    sqlite3_finalize(ins);
    sqlite3_finalize(last);
    sqlite3_finalize(aud);
    sqlite3_finalize(head);
    sqlite3_finalize(get);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_close(db);
    return 0;
}
