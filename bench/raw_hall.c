/*
 * raw_hall.c - the reference for bench/hall_cycle.sh: the transactions the server runs
 * for a ticket's take, call, start and finish, done by one process straight on SQLite
 * with no HTTP, no JSON, no threads and no group commit.
 *
 * It opens a copy of the very database the yichuang run starts from (made by
 * yichuang init + bench/hall_load.mjs setup: the windows, the lines, the kiosk, the
 * windows open), so the schema, indexes and triggers are the server's own.
 *
 * One transaction (BEGIN IMMEDIATE ... COMMIT) per action, with the statements of
 * src/store/hall.c, hall_events.c and audit.c that the service runs for it:
 *   take:   the line (SELECT), counter upsert RETURNING serial, INSERT ticket RETURNING
 *           id, audit row (read the chain head, INSERT audit_log, update meta
 *           audit_head), the ticket read back (the reply), the line's waiting count
 *           (people ahead), INSERT hall_events.
 *   call:   the window state (SELECT), the queue scan of the window's lines (every
 *           waiting row is read; the oldest is taken - the server's policy picks among
 *           the same rows in memory), UPDATE the ticket to called, upsert the window
 *           state, audit row, ticket read back, waiting count, INSERT hall_events.
 *   start:  the window state, UPDATE the ticket to serving, upsert the window state,
 *           audit row, ticket read back, waiting count, INSERT hall_events.
 *   finish: the window state, UPDATE the ticket to done, upsert the window state (no
 *           current ticket), audit row, ticket read back, waiting count, INSERT
 *           hall_events.
 * Not done here (the server does them too, so they are part of what the ratio shows):
 * the reply's window summary (served today, mean handling time, held tickets), the
 * estimated wait of a take, SHA-256 of the audit chain (a cheap FNV stand-in here),
 * JSON for the event payloads (a fixed-size text of the same length here).
 *
 * The queue is first filled with 4 tickets per window (as bench/hall_load.mjs keeps
 * it); then each cycle is take + call + start + finish at the windows in turn.
 *
 * Usage: raw_hall DB_PATH NORMAL|FULL SECONDS WINDOW_IDS LINE_IDS
 *   (WINDOW_IDS, LINE_IDS: comma-separated ids from the setup)
 * Prints one line: "mode=NORMAL cycles=N seconds=S cycles_per_s=R tx_per_s=T".
 *
 * Build: cc -O2 -o raw_hall raw_hall.c -lsqlite3
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_IDS 64

static sqlite3 *db;

static void die(const char *what)
{
    fprintf(stderr, "raw_hall: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "raw_hall: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

/* The statements are written as in src/store ($N); SQLite numbers "$N" parameters in
 * order of appearance, so they are prepared as "?N" (numbered as written), as the
 * server's db layer does. */
static sqlite3_stmt *prep(const char *sql)
{
    char buf[2048];
    snprintf(buf, sizeof(buf), "%s", sql);
    for (char *p = buf; *p; p++)
        if (*p == '$')
            *p = '?';
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(db, buf, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
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

static int parse_ids(const char *s, int64_t *out)
{
    int n = 0;
    while (*s && n < MAX_IDS) {
        char *end;
        out[n++] = strtoll(s, &end, 10);
        s = *end == ',' ? end + 1 : end;
        if (end == s && *s)
            break;
    }
    return n;
}

static sqlite3_stmt *s_begin, *s_commit, *s_line, *s_counter, *s_ins, *s_get, *s_waiting, *s_wstate,
    *s_scan, *s_call, *s_status, *s_finish, *s_wput, *s_last, *s_aud, *s_head, *s_ev;
static char prev[65] = "";
static char day[11];

static void step_done(sqlite3_stmt *q, const char *what)
{
    if (sqlite3_step(q) != SQLITE_DONE)
        die(what);
    sqlite3_reset(q);
}

static void drain(sqlite3_stmt *q, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE)
        die(what);
    sqlite3_reset(q);
}

static void begin(void)
{
    step_done(s_begin, "begin");
}
static void commit(void)
{
    step_done(s_commit, "commit");
}

static void fake_hash(const char *p, int64_t seq, char out[65])
{
    uint64_t h = 1469598103934665603ULL;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h ^= (uint64_t)seq;
    for (int i = 0; i < 4; i++)
        snprintf(out + 16 * i, 17, "%016llx", (unsigned long long)(h * (uint64_t)(i + 1)));
}

static void audit(const char *action, int64_t ticket_id, const char *summary)
{
    char idtext[32], hash[65], headval[96];
    int64_t seq = 1;
    if (sqlite3_step(s_last) == SQLITE_ROW) {
        seq = sqlite3_column_int64(s_last, 0) + 1;
        snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(s_last, 1));
    }
    sqlite3_reset(s_last);
    fake_hash(prev, seq, hash);
    snprintf(idtext, sizeof(idtext), "%lld", (long long)ticket_id);
    sqlite3_bind_int64(s_aud, 1, seq);
    sqlite3_bind_int64(s_aud, 2, wall_ms());
    sqlite3_bind_text(s_aud, 3, "user", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s_aud, 4, 1);
    sqlite3_bind_text(s_aud, 5, "admin", -1, SQLITE_STATIC);
    sqlite3_bind_text(s_aud, 6, "admin", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s_aud, 7, 1);
    sqlite3_bind_null(s_aud, 8);
    sqlite3_bind_text(s_aud, 9, "127.0.0.1", -1, SQLITE_STATIC);
    sqlite3_bind_text(s_aud, 10, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(s_aud, 11, "ticket", -1, SQLITE_STATIC);
    sqlite3_bind_text(s_aud, 12, idtext, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s_aud, 13, summary, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s_aud, 14, prev, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s_aud, 15, hash, -1, SQLITE_TRANSIENT);
    step_done(s_aud, "insert audit");
    snprintf(headval, sizeof(headval), "%lld:%s", (long long)seq, hash);
    sqlite3_bind_text(s_head, 1, headval, -1, SQLITE_TRANSIENT);
    step_done(s_head, "audit head");
}

/* The ticket read back, the line's waiting count and the hall event. */
static void reply_and_event(const char *kind, int64_t ticket_id, int64_t line_id)
{
    sqlite3_bind_int64(s_get, 1, ticket_id);
    if (sqlite3_step(s_get) != SQLITE_ROW)
        die("ticket read back");
    sqlite3_reset(s_get);
    sqlite3_bind_int64(s_waiting, 1, line_id);
    sqlite3_bind_text(s_waiting, 2, day, -1, SQLITE_STATIC);
    drain(s_waiting, "waiting");
    char payload[400];
    snprintf(payload, sizeof(payload),
             "{\"window_id\":1,\"window_no\":1,\"window_name\":\"综合受理1\",\"state\":\"open\","
             "\"ticket_id\":%lld,\"number\":\"A001\",\"line_id\":%lld,\"line_name\":\"综合业务A\","
             "\"status\":\"%s\",\"recall_count\":0,\"waiting\":64}",
             (long long)ticket_id, (long long)line_id, kind);
    sqlite3_bind_int64(s_ev, 1, 1);
    sqlite3_bind_text(s_ev, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s_ev, 3, payload, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s_ev, 4, wall_ms());
    if (sqlite3_step(s_ev) != SQLITE_ROW)
        die("hall event");
    sqlite3_reset(s_ev);
}

static void take(int64_t line_id)
{
    begin();
    sqlite3_bind_int64(s_line, 1, line_id);
    if (sqlite3_step(s_line) != SQLITE_ROW)
        die("line");
    char prefix[8];
    snprintf(prefix, sizeof(prefix), "%s", (const char *)sqlite3_column_text(s_line, 0));
    sqlite3_reset(s_line);
    sqlite3_bind_int64(s_counter, 1, 1);
    sqlite3_bind_text(s_counter, 2, day, -1, SQLITE_STATIC);
    sqlite3_bind_text(s_counter, 3, prefix, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s_counter) != SQLITE_ROW)
        die("counter");
    int64_t serial = sqlite3_column_int64(s_counter, 0);
    sqlite3_reset(s_counter);
    char number[32], token[33], summary[128];
    snprintf(number, sizeof(number), "%s%03lld", prefix, (long long)serial);
    uint64_t r =
        (uint64_t)wall_ms() * 6364136223846793005ULL + (uint64_t)serial * 1442695040888963407ULL;
    snprintf(token, sizeof(token), "%016llx%016llx", (unsigned long long)r,
             (unsigned long long)(r ^ (uint64_t)line_id * 0x9e3779b97f4a7c15ULL));
    int64_t now = wall_ms();
    sqlite3_bind_int64(s_ins, 1, 1);
    sqlite3_bind_text(s_ins, 2, day, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s_ins, 3, line_id);
    sqlite3_bind_int64(s_ins, 4, serial);
    sqlite3_bind_text(s_ins, 5, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s_ins, 6, "normal", -1, SQLITE_STATIC);
    sqlite3_bind_text(s_ins, 7, "kiosk", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s_ins, 8, now);
    sqlite3_bind_null(s_ins, 9);
    sqlite3_bind_text(s_ins, 10, token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s_ins, 11, "device:1", -1, SQLITE_STATIC);
    if (sqlite3_step(s_ins) != SQLITE_ROW)
        die("insert ticket");
    int64_t id = sqlite3_column_int64(s_ins, 0);
    sqlite3_reset(s_ins);
    snprintf(summary, sizeof(summary), "取号%s（综合业务%s，normal）", number, prefix);
    audit("ticket_take", id, summary);
    reply_and_event("take", id, line_id);
    commit();
}

static void wstate(int64_t window_id)
{
    sqlite3_bind_int64(s_wstate, 1, window_id);
    drain(s_wstate, "window state");
}

static void wput(int64_t window_id, int64_t current)
{
    sqlite3_bind_int64(s_wput, 1, window_id);
    sqlite3_bind_int64(s_wput, 2, 1);
    sqlite3_bind_text(s_wput, 3, "open", -1, SQLITE_STATIC);
    if (current)
        sqlite3_bind_int64(s_wput, 4, current);
    else
        sqlite3_bind_null(s_wput, 4);
    sqlite3_bind_int64(s_wput, 5, 1);
    sqlite3_bind_text(s_wput, 6, "1,0,0,0,0,0", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s_wput, 7, wall_ms());
    step_done(s_wput, "window state put");
}

/* Returns the ticket called (its line in *line_id). */
static int64_t call(int64_t window_id, int64_t *line_id)
{
    begin();
    wstate(window_id);
    sqlite3_bind_int64(s_scan, 1, 1);
    sqlite3_bind_text(s_scan, 2, day, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s_scan, 3, window_id);
    int64_t best = 0, best_q = INT64_MAX;
    int rc;
    while ((rc = sqlite3_step(s_scan)) == SQLITE_ROW) {
        int64_t q = sqlite3_column_int64(s_scan, 2);
        if (q < best_q || (q == best_q && sqlite3_column_int64(s_scan, 0) < best)) {
            best_q = q;
            best = sqlite3_column_int64(s_scan, 0);
            *line_id = sqlite3_column_int64(s_scan, 1);
        }
    }
    if (rc != SQLITE_DONE)
        die("queue scan");
    sqlite3_reset(s_scan);
    if (!best) {
        fprintf(stderr, "raw_hall: the queue is empty\n");
        exit(1);
    }
    sqlite3_bind_int64(s_call, 1, best);
    sqlite3_bind_int64(s_call, 2, window_id);
    sqlite3_bind_int64(s_call, 3, wall_ms());
    step_done(s_call, "call");
    if (sqlite3_changes(db) != 1)
        die("call changed no row");
    wput(window_id, best);
    audit("call", best, "叫号");
    reply_and_event("call", best, *line_id);
    commit();
    return best;
}

static void start(int64_t window_id, int64_t id, int64_t line_id)
{
    begin();
    wstate(window_id);
    sqlite3_bind_int64(s_status, 1, id);
    sqlite3_bind_text(s_status, 2, "called", -1, SQLITE_STATIC);
    sqlite3_bind_text(s_status, 3, "serving", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s_status, 4, window_id);
    sqlite3_bind_int64(s_status, 5, wall_ms());
    step_done(s_status, "start");
    if (sqlite3_changes(db) != 1)
        die("start changed no row");
    wput(window_id, id);
    audit("start", id, "开始办理");
    reply_and_event("start", id, line_id);
    commit();
}

static void finish(int64_t window_id, int64_t id, int64_t line_id)
{
    begin();
    wstate(window_id);
    sqlite3_bind_int64(s_finish, 1, id);
    sqlite3_bind_int64(s_finish, 2, window_id);
    sqlite3_bind_null(s_finish, 3);
    sqlite3_bind_int64(s_finish, 4, wall_ms());
    step_done(s_finish, "finish");
    if (sqlite3_changes(db) != 1)
        die("finish changed no row");
    wput(window_id, 0);
    audit("finish", id, "办结");
    reply_and_event("finish", id, line_id);
    commit();
}

int main(int argc, char **argv)
{
    if (argc != 6 || (strcmp(argv[2], "NORMAL") && strcmp(argv[2], "FULL"))) {
        fprintf(stderr, "usage: raw_hall DB_PATH NORMAL|FULL SECONDS WINDOW_IDS LINE_IDS\n");
        return 2;
    }
    double seconds = atof(argv[3]);
    int64_t windows[MAX_IDS], lines[MAX_IDS];
    int nw = parse_ids(argv[4], windows), nl = parse_ids(argv[5], lines);
    if (nw < 1 || nl < 1) {
        fprintf(stderr, "raw_hall: no windows or lines\n");
        return 2;
    }
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        die("open");
    char pragmas[256];
    snprintf(pragmas, sizeof(pragmas),
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;"
             " PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=4000;",
             argv[2]);
    exec(pragmas);
    time_t t = time(NULL) + 8 * 3600; /* the service day is China Standard Time */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(day, sizeof(day), "%Y-%m-%d", &tm);

    s_begin = prep("BEGIN IMMEDIATE");
    s_commit = prep("COMMIT");
    s_line = prep("SELECT l.prefix, l.id, l.center_id, c.path AS center_path, l.name,"
                  " l.active FROM service_lines l JOIN centers c ON c.id = l.center_id"
                  " WHERE l.id = $1");
    s_counter = prep("INSERT INTO ticket_counters (center_id, service_day, prefix,"
                     " last_serial) VALUES ($1, $2, $3, 1)"
                     " ON CONFLICT (center_id, service_day, prefix)"
                     " DO UPDATE SET last_serial = last_serial + 1 RETURNING last_serial");
    s_ins = prep("INSERT INTO tickets (center_id, service_day, line_id, serial, number, priority,"
                 " source, status, queued_at, taken_at, item_id, token, taken_by)"
                 " VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8, $8, $9, $10, $11)"
                 " RETURNING id");
    s_get = prep(
        "SELECT t.id, t.center_id, c.path AS center_path, t.service_day, t.line_id, l.prefix,"
        " l.name AS line_name, t.serial, t.number, t.priority, t.source, t.status, t.window_id,"
        " w.number AS window_no, t.only_window_id, t.front_at, t.queued_at, t.taken_at,"
        " t.called_at, t.started_at, t.finished_at, t.recall_count, t.noshow_count,"
        " t.noshow_at, t.served_by_window_id, t.item_id, t.token FROM tickets t"
        " JOIN service_lines l ON l.id = t.line_id JOIN centers c ON c.id = t.center_id"
        " LEFT JOIN windows w ON w.id = t.window_id WHERE t.id = $1");
    s_waiting = prep("SELECT COUNT(*) FROM tickets WHERE line_id = $1"
                     " AND service_day = $2 AND status IN ('waiting', 'transferred')");
    s_wstate = prep("SELECT state, COALESCE(current_ticket_id, 0), rr"
                    " FROM window_states WHERE window_id = $1");
    s_scan = prep("SELECT t.id, t.line_id, t.queued_at, COALESCE(t.front_at, 0),"
                  " COALESCE(t.only_window_id, 0), COALESCE(t.window_id, 0),"
                  " COALESCE(t.noshow_at, 0), t.recall_count, t.noshow_count, l.prefix,"
                  " t.priority, t.status FROM tickets t JOIN service_lines l ON l.id = t.line_id"
                  " WHERE t.center_id = $1 AND t.service_day = $2"
                  " AND t.status IN ('waiting', 'transferred') AND ($3 = 0 OR t.line_id IN"
                  " (SELECT line_id FROM service_line_windows WHERE window_id = $3))");
    s_call = prep("UPDATE tickets SET status = 'called', window_id = $2,"
                  " called_at = $3, recall_count = 0, front_at = NULL,"
                  " only_window_id = NULL WHERE id = $1 AND status IN ('waiting', 'transferred')");
    s_status =
        prep("UPDATE tickets SET status = $3, window_id = $4,"
             " called_at = CASE WHEN $3 = 'called' THEN COALESCE(called_at, $5) ELSE called_at END,"
             " started_at = CASE WHEN $3 = 'serving' THEN COALESCE(started_at, $5)"
             " ELSE started_at END WHERE id = $1 AND status = $2");
    s_finish = prep("UPDATE tickets SET status = 'done', window_id = NULL,"
                    " served_by_window_id = $2, item_id = COALESCE($3, item_id),"
                    " started_at = COALESCE(started_at, $4), finished_at = $4"
                    " WHERE id = $1 AND status IN ('called', 'serving')");
    s_wput = prep("INSERT INTO window_states (window_id, center_id, state, current_ticket_id,"
                  " user_id, rr, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                  " ON CONFLICT (window_id) DO UPDATE SET state = excluded.state,"
                  " current_ticket_id = excluded.current_ticket_id,"
                  " user_id = COALESCE(excluded.user_id, user_id), rr = excluded.rr,"
                  " updated_at = excluded.updated_at");
    s_last = prep("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    s_aud = prep("INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, role,"
                 " center_id, window_no, client_addr, action, object_type, object_id, summary,"
                 " prev_hash, hash)"
                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)");
    s_head = prep("INSERT INTO meta (key, value) VALUES ('audit_head', $1)"
                  " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    s_ev = prep("INSERT INTO hall_events (center_id, kind, payload, at)"
                " VALUES ($1, $2, $3, $4) RETURNING id");

    int64_t k = 0;
    for (int i = 0; i < 4 * nw; i++)
        take(lines[k++ % nl]);
    int64_t cycles = 0;
    double t0 = now_s(), t1 = t0;
    while (t1 - t0 < seconds) {
        int64_t w = windows[cycles % nw], line_id = 0;
        take(lines[k++ % nl]);
        int64_t id = call(w, &line_id);
        start(w, id, line_id);
        finish(w, id, line_id);
        cycles++;
        t1 = now_s();
    }
    double dt = t1 - t0;
    printf("mode=%s cycles=%lld seconds=%.3f cycles_per_s=%.1f tx_per_s=%.1f\n", argv[2],
           (long long)cycles, dt, (double)cycles / dt, 4.0 * (double)cycles / dt);
    sqlite3_stmt *all[] = {s_begin,   s_commit, s_line, s_counter, s_ins,    s_get,
                           s_waiting, s_wstate, s_scan, s_call,    s_status, s_finish,
                           s_wput,    s_last,   s_aud,  s_head,    s_ev};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(db);
    return 0;
}
