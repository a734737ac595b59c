/*
 * dispatch.c - from a parsed request to a handler: route, caller, permission, CSRF.
 *
 * The order matters: unknown routes 404 before anything else; then who is asking
 * (session cookie or device bearer token); then the route's rule (roles); then CSRF
 * for cookie-authenticated writes. Handlers check center scope themselves, since only
 * they know which center an object belongs to.
 */
#include "api/internal.h"
#include "service/auth.h"
#include "util/log.h"

#include <sodium.h>
#include <string.h>

/* The value of cookie `name` in a Cookie header, copied into out. */
static bool cookie_value(const char *header, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            p += n + 1;
            size_t len = strcspn(p, ";");
            if (len >= size)
                return false;
            memcpy(out, p, len);
            out[len] = '\0';
            return true;
        }
        p = strchr(p, ';');
    }
    return false;
}

static bool is_loopback(const char *addr)
{
    return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
}

static bool is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

/* Who is asking: 0, or -1 when a presented credential is bad (answered). */
static int resolve_caller(api_req *r, bool *by_cookie)
{
    *by_cookie = false;
    const char *authz = api_header(r, "Authorization");
    const char *cookie = api_header(r, "Cookie");
    char token[128];
    db_conn *db = api_db(r);
    if (!db) {
        api_fail(r, 503, "STORAGE_UNAVAILABLE", "", "数据库暂时不可用");
        return -1;
    }
    if (authz) {
        if (strncmp(authz, "Bearer ", 7) != 0 || strlen(authz + 7) >= sizeof(token)) {
            api_fail(r, 401, "AUTH_INVALID_TOKEN", "", "设备令牌格式无效");
            return -1;
        }
        if (auth_resolve_device(db, authz + 7, &r->who)) {
            api_fail(r, 401, "AUTH_INVALID_TOKEN", "", "设备令牌无效或已被吊销");
            return -1;
        }
        return 0;
    }
    if (cookie && cookie_value(cookie, AUTH_COOKIE, token, sizeof(token))) {
        if (auth_resolve_session(db, token, ytime_now_ms(), &r->who) == 0)
            *by_cookie = true;
        /* An expired or revoked cookie is simply no session. */
    }
    return 0;
}

/* One read transaction per request. The caller's session and roles and everything the
 * handler reads then come from one snapshot, and SQLite takes and drops its file and
 * WAL-index locks (fcntl) once per request instead of once per statement: with three
 * statements per authenticated GET those locks were the largest user-side cost (about
 * 16% of the thread's time in perf). Holding the snapshot cannot hide a request's own
 * write from it: writes run on the writer thread after dispatch returns (api_write), and
 * no handler waits for the writer on this thread. A handler that ever must (store_write_sync
 * followed by a read) has to end the read first. Returns whether a transaction is open. */
static bool read_begin(db_conn *db)
{
    db_stmt *b = db ? db_prepare(db, "BEGIN") : NULL;
    return b && db_run(b) == 0;
}

static void read_end(db_conn *db)
{
    db_stmt *c = db_prepare(db, "COMMIT");
    if (!c || db_run(c) != 0) {
        /* Never leave a snapshot open: the next request would read stale data. */
        db_stmt *rb = db_prepare(db, "ROLLBACK");
        if (rb)
            db_run(rb);
    }
}

void api_answer_after_commit(api_req *r)
{
    db_conn *db = api_db(r);
    bool snap = read_begin(db);
    if (db)
        r->answer_fn(r, db, r->tx_ctx);
    if (snap)
        read_end(db);
}

/* No route: 404/405, or a static file. */
static void unrouted(api_req *r, bool path_known)
{
    if (path_known) {
        api_fail(r, 405, "METHOD_NOT_ALLOWED", "", "该地址不支持%s方法", r->method);
        return;
    }
    if (strncmp(r->url, "/api/", 5) == 0 || strcmp(r->url, "/api") == 0) {
        api_fail(r, 404, "NOT_FOUND", "", "没有这个接口：%s", r->url);
        return;
    }
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        api_fail(r, 405, "METHOD_NOT_ALLOWED", "", "该地址不支持%s方法", r->method);
        return;
    }
    static_serve(r);
}

/* A routed request: caller, role rule, CSRF, then the handler. */
static void routed(api_req *r)
{
    const api_route *rt = &api_routes[r->route_idx];
    bool by_cookie;
    if (resolve_caller(r, &by_cookie))
        return;
    if (!(rt->flags & ROUTE_PUBLIC) &&
        !((rt->flags & ROUTE_LOOPBACK) && is_loopback(r->client_addr))) {
        if (r->who.kind == PRINCIPAL_ANON) {
            api_fail(r, 401, "AUTH_REQUIRED", "", "请先登录");
            return;
        }
        if (!(r->who.role_mask & rt->roles)) {
            api_fail(r, 403, "FORBIDDEN", "", "您的角色无权进行此操作");
            return;
        }
        if (r->who.must_change_password && !(rt->flags & ROUTE_ANY_SESSION)) {
            api_fail(r, 403, "PASSWORD_CHANGE_REQUIRED", "", "请先修改初始密码");
            return;
        }
    }
    if (by_cookie && is_write(r->method) && !(rt->flags & ROUTE_PUBLIC)) {
        const char *sent = api_header(r, "X-CSRF-Token");
        size_t n = strlen(r->who.csrf_token);
        if (!sent || strlen(sent) != n || sodium_memcmp(sent, r->who.csrf_token, n) != 0) {
            api_fail(r, 403, "CSRF_INVALID", "",
                     "请求缺少有效的安全令牌（X-CSRF-Token），请刷新页面后重试");
            return;
        }
    }
    rt->fn(r);
}

void dispatch(api_req *r)
{
    bool path_known;
    r->route_idx = router_match(r->method, r->url, r->params, &r->nparams, &path_known);
    if (r->route_idx < 0) {
        unrouted(r, path_known);
        return;
    }
    db_conn *db = api_db(r);
    bool in_tx = read_begin(db);
    routed(r);
    if (in_tx)
        read_end(db);
}
