/*
 * server.c - libmicrohttpd glue: request lifecycle, answers, async writes, access log.
 *
 * MHD calls access_cb several times per request: first with the headers (we allocate
 * the api_req), then with body chunks (appended up to the limit), then once with no
 * data (we dispatch). A write suspends the connection and hands a job to the store's
 * writer thread; the job's done callback, after the group commit, resumes it, and MHD
 * calls access_cb once more to send the answer.
 */
#include "api/internal.h"
#include "api/server.h"
#include "core/mask.h"
#include "util/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *const security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self' "
                                "blob: data:; object-src 'none'; frame-ancestors 'none'; "
                                "base-uri 'self'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
};

void api_config_defaults(api_config *c)
{
    memset(c, 0, sizeof(*c));
    c->bind_addr = "0.0.0.0";
    c->port = 8080;
    c->threads = 4;
    c->body_limit = 1024 * 1024;
    c->conn_timeout_s = 30;
    c->web_root = "web";
    c->access_log = true;
    c->session_ttl_ms = 12LL * 3600 * 1000; /* one working day and then some */
    c->max_failed_logins = 5;
    c->lockout_ms = 15LL * 60 * 1000;
    c->sse_heartbeat_ms = 15000;
}

/* ------------------------------------------------------------ accessors */

const char *api_method(api_req *r)
{
    return r->method;
}
const char *api_path(api_req *r)
{
    return r->url;
}
const char *api_query(api_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}
const char *api_header(api_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}
const char *api_client_addr(api_req *r)
{
    return r->client_addr;
}
const principal *api_who(api_req *r)
{
    return &r->who;
}
const api_config *api_cfg(api_req *r)
{
    return &r->srv->cfg;
}
store *api_store(api_req *r)
{
    return r->srv->st;
}
db_conn *api_db(api_req *r)
{
    return store_reader(r->srv->st);
}
throttle *api_login_throttle(api_req *r)
{
    return r->srv->login_throttle;
}
throttle *api_sms_throttle(api_req *r)
{
    return r->srv->sms_throttle;
}

const char *api_param(api_req *r, int i)
{
    return i < r->nparams ? r->params[i] : NULL;
}

const ybuf *api_body_raw(api_req *r)
{
    return &r->body;
}

int api_param_id(api_req *r, int i, int64_t *out)
{
    if (i < r->nparams && yparse_i64(r->params[i], 1, INT64_MAX, out) == 0)
        return 0;
    api_fail(r, 404, "NOT_FOUND", "", "找不到该对象：编号“%s”无效",
             i < r->nparams ? r->params[i] : "");
    return -1;
}

/* ------------------------------------------------------------ answers */

void api_reply_json(api_req *r, int status, json_t *body)
{
    r->status = status;
    json_decref(r->resp_json);
    r->resp_json = body;
    r->answered = true;
}

void api_reply_empty(api_req *r, int status)
{
    api_reply_json(r, status, NULL);
}

void api_reply_raw(api_req *r, int status, const char *content_type, char *body, size_t len)
{
    r->status = status;
    free(r->resp_raw);
    r->resp_raw = body;
    r->resp_raw_len = len;
    r->resp_type = content_type;
    r->answered = true;
}

void api_fail_err(api_req *r, const yc_err *e)
{
    json_t *o = json_pack("{s:s,s:s}", "code", e->code ? e->code : "INTERNAL", "message",
                          e->message[0] ? e->message : "服务器内部错误");
    if (!o) /* message was not UTF-8: never trust it blindly */
        o = json_pack("{s:s,s:s}", "code", e->code ? e->code : "INTERNAL", "message", "请求有误");
    if (e->field[0])
        json_object_set_new(o, "field", json_string(e->field));
    api_reply_json(r, e->status ? e->status : 500, o);
}

void api_fail(api_req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    yc_err e;
    e.status = status;
    e.code = code;
    ystrlcpy(e.field, field ? field : "", sizeof(e.field));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof(e.message), fmt, ap);
    va_end(ap);
    api_fail_err(r, &e);
}

void api_set_cookie(api_req *r, const char *cookie)
{
    free(r->set_cookie);
    r->set_cookie = xstrdup(cookie);
}

void api_set_etag(api_req *r, const char *etag)
{
    ystrlcpy(r->etag, etag ? etag : "", sizeof(r->etag));
}

static void add_common_headers(api_req *r, struct MHD_Response *resp)
{
    for (size_t i = 0; i < YC_ARRAY_LEN(security_headers); i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    if (r->set_cookie)
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (r->etag[0])
        MHD_add_response_header(resp, "ETag", r->etag);
}

static enum MHD_Result send_answer(api_req *r)
{
    struct MHD_Response *resp;
    if (r->resp_file) {
        resp = r->resp_file;
        r->resp_file = NULL;
    } else if (r->resp_raw) {
        resp = MHD_create_response_from_buffer(r->resp_raw_len, r->resp_raw, MHD_RESPMEM_MUST_FREE);
        r->resp_raw = NULL;
        MHD_add_response_header(resp, "Content-Type", r->resp_type);
        MHD_add_response_header(resp, "Cache-Control", r->etag[0] ? "no-cache" : "no-store");
    } else if (r->resp_json) {
        char *text = json_dumps(api_times(r->resp_json), JSON_COMPACT);
        size_t n = strlen(text);
        resp = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    } else {
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(resp, "Cache-Control", r->etag[0] ? "no-cache" : "no-store");
    }
    add_common_headers(r, resp);
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ------------------------------------------------------------ async writes */

static int write_run(db_conn *tx, void *arg)
{
    api_req *r = arg;
    int rc = r->tx_fn(tx, r, r->tx_ctx);
    if (rc < 0 && !r->answered)
        api_fail(r, 500, "INTERNAL", "", "服务器内部错误，操作未完成");
    return rc;
}

static void write_done(void *arg, int rc)
{
    api_req *r = arg;
    r->write_rc = rc;
    if (rc == YC_EDB) /* the commit itself failed: nothing was written */
        api_fail(r, 503, "STORAGE_UNAVAILABLE", "", "数据库暂时无法写入，操作未完成，请稍后重试");
    else if (r->notify_hall && rc == 0)
        hall_bus_kick(r->srv->bus);
    r->state = REQ_READY;
    MHD_resume_connection(r->conn);
}

void api_notify_hall(api_req *r)
{
    r->notify_hall = true;
}

void api_write_then(api_req *r, api_tx_fn fn, api_answer_fn answer, void *ctx,
                    void (*free_ctx)(void *))
{
    r->answer_fn = answer;
    api_write(r, fn, ctx, free_ctx);
}

void api_write(api_req *r, api_tx_fn fn, void *ctx, void (*free_ctx)(void *))
{
    r->tx_fn = fn;
    r->tx_ctx = ctx;
    r->free_ctx = free_ctx;
    r->state = REQ_WAITING;
    r->job.run = write_run;
    r->job.done = write_done;
    r->job.arg = r;
    /* Suspend before submitting: the job may finish before we return. */
    MHD_suspend_connection(r->conn);
    store_submit(r->srv->st, &r->job);
}

/* ------------------------------------------------------------ MHD callbacks */

static void set_client_addr(api_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    r->client_addr[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client_addr,
                  sizeof(r->client_addr));
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->client_addr,
                  sizeof(r->client_addr));
}

/* Catalog imports carry a whole county's catalog: they get a larger allowance than
 * other bodies (still read into memory, so still bounded). */
#define IMPORT_BODY_LIMIT (32u * 1024 * 1024)

static size_t body_limit_for(const api_server *s, const char *method, const char *url)
{
    size_t limit = s->cfg.body_limit;
    if (!strcmp(method, "POST") && !strncmp(url, "/api/v1/catalog/import", 22) &&
        (url[22] == '\0' || url[22] == '/') && limit < IMPORT_BODY_LIMIT)
        limit = IMPORT_BODY_LIMIT;
    return limit;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *data,
                                 size_t *data_size, void **con_cls)
{
    api_server *s = cls;
    api_req *r = *con_cls;
    if (!r) {
        r = xcalloc(1, sizeof(*r));
        r->srv = s;
        r->conn = conn;
        r->method = method;
        r->url = url;
        r->t0_ns = ytime_mono_ns();
        r->route_idx = -1;
        set_client_addr(r);
        atomic_fetch_add(&s->inflight, 1);
        *con_cls = r;
        /* Stopping: nothing new starts (a write would suspend the connection, and MHD
         * must not stop with a suspended one). Counted in inflight before the flag is
         * read, and the flag is set before inflight is read (both sequentially
         * consistent), so api_server_drain either waits for this request or it sees the
         * flag and is answered here. */
        if (atomic_load(&s->stopping)) {
            r->refused = true;
            api_fail(r, 503, "SERVICE_STOPPING", "", "服务正在停止，请稍后重试");
            return send_answer(r);
        }
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int64_t n;
        size_t limit = body_limit_for(s, method, url);
        if (cl && yparse_i64(cl, 0, INT64_MAX, &n) == 0 && (uint64_t)n > limit) {
            /* Answer before reading a byte of it; MHD then closes the connection. */
            r->body_too_large = true;
            api_fail(r, 413, "BODY_TOO_LARGE", "", "请求体超过%zu字节的上限", limit);
            return send_answer(r);
        }
        return MHD_YES;
    }
    if (*data_size) {
        if (!r->refused && !r->body_too_large && /* refused: answered, the body is dropped */
            r->body.len + *data_size <= body_limit_for(s, r->method, r->url))
            ybuf_add(&r->body, data, *data_size);
        else if (!r->refused)
            r->body_too_large = true;
        *data_size = 0;
        return MHD_YES;
    }
    if (r->state == REQ_NEW && !r->refused) {
        if (r->body_too_large)
            api_fail(r, 413, "BODY_TOO_LARGE", "", "请求体超过%zu字节的上限",
                     body_limit_for(s, r->method, r->url));
        else
            dispatch(r);
        if (r->state == REQ_WAITING)
            return MHD_YES; /* suspended; resumed by write_done */
    }
    /* READY: the write is done (it may have finished before dispatch returned). */
    if (r->state == REQ_READY && r->answer_fn && r->write_rc == 0 && !r->answered)
        api_answer_after_commit(r);
    if (!r->answered)
        api_fail(r, 500, "INTERNAL", "", "服务器内部错误");
    return send_answer(r);
}

/* A JSON string for the log: s itself, or, when s is not UTF-8, s with every non-ASCII
 * byte written as %XX, so that no request can keep itself out of the log. */
static json_t *log_string(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    ybuf b = {0};
    ybuf_adds(&b, "");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80)
            ybuf_addc(&b, (char)*p);
        else
            ybuf_printf(&b, "%%%02X", *p);
    }
    v = json_string(b.data);
    ybuf_release(&b);
    return v;
}

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    ybuf *b = cls;
    ybuf_printf(b, "%s%s%s%s", b->len ? "&" : "", key, value ? "=" : "", value ? value : "");
    return MHD_YES;
}

static void access_log(api_req *r, int64_t ns)
{
    char ts[40];
    ytime_rfc3339_cst(ytime_now_ms(), ts, sizeof(ts));
    /* Paths and queries may carry ID numbers or mobiles (?q=138...): masked. */
    char *path = mask_text(r->url);
    ybuf qb = {0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_query_arg, &qb);
    char *query = qb.len ? mask_text(qb.data) : NULL;
    ybuf_release(&qb);
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:i,s:f,s:s}", "ts", ts, "event", "http", "method",
                          r->method, "path", log_string(path), "status", r->status, "ms",
                          (double)ns / 1e6, "addr", r->client_addr);
    if (o && query)
        json_object_set_new(o, "query", log_string(query));
    if (o && r->route_idx >= 0)
        json_object_set_new(o, "route", json_string(api_routes[r->route_idx].pattern));
    if (o && r->who.kind != PRINCIPAL_ANON) {
        json_object_set_new(o, "actor", json_string(r->who.name));
        json_object_set_new(o, "actor_kind",
                            json_string(r->who.kind == PRINCIPAL_USER ? "user" : "device"));
    }
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
    if (line)
        ylog_json_line(line);
    free(line);
    json_decref(o);
    free(path);
    free(query);
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    api_server *s = cls;
    api_req *r = *con_cls;
    if (!r)
        return;
    int64_t ns = ytime_mono_ns() - r->t0_ns;
    if (!r->status)
        r->status = 499; /* client went away before an answer */
    metrics_observe(r->route_idx, r->status, ns);
    if (s->cfg.access_log)
        access_log(r, ns);
    for (int i = 0; i < r->nparams; i++)
        free(r->params[i]);
    if (r->free_ctx)
        r->free_ctx(r->tx_ctx);
    if (r->resp_file)
        MHD_destroy_response(r->resp_file);
    json_decref(r->resp_json);
    free(r->resp_raw);
    free(r->set_cookie);
    ybuf_release(&r->body);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decoding of the path and query arguments, as MHD's own except that "%00" is
 * kept as it is: a decoded NUL would end the C string early, and "/users/1%00x" would
 * act as "/users/1". */
static size_t unescape_cb(void *cls, struct MHD_Connection *conn, char *s)
{
    char *w = s;
    for (const char *p = s; *p; p++) {
        int hi = *p == '%' ? hex_value(p[1]) : -1;
        int lo = hi >= 0 ? hex_value(p[2]) : -1;
        if (lo >= 0 && (hi | lo)) {
            *w++ = (char)(hi * 16 + lo);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    ybuf b = {0};
    ybuf_vprintf(&b, fmt, ap);
    while (b.len && (b.data[b.len - 1] == '\n'))
        b.data[--b.len] = '\0';
    ylog_warn("mhd", "%s", b.data ? b.data : "");
    ybuf_release(&b);
}

static int open_listener(const api_config *cfg, int *port_out)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
    if (inet_pton(AF_INET, cfg->bind_addr, &sa.sin_addr) != 1) {
        ylog_error("listen", "bad bind address %s", cfg->bind_addr);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); /* blocking: see acceptor */
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1024)) {
        ylog_error("listen", "cannot listen on %s:%d: %s", cfg->bind_addr, cfg->port,
                   strerror(errno));
        close(fd);
        return -1;
    }
    socklen_t len = sizeof(sa);
    getsockname(fd, (struct sockaddr *)&sa, &len);
    *port_out = ntohs(sa.sin_port);
    return fd;
}

/* Our own accept loop, handing each connection to MHD with MHD_add_connection, which
 * spreads them over the thread pool by socket number. With MHD accepting by itself every
 * worker thread races for each new connection and the one already running tends to win:
 * in bench/hall_cycle.sh one worker of four held nearly all 24 connections and every
 * request queued behind it. Ends when the socket is shut down (accept fails). */
static void *accept_main(void *arg)
{
    api_server *s = arg;
    for (;;) {
        struct sockaddr_storage sa;
        socklen_t len = sizeof(sa);
        int fd = accept4(s->listen_fd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                ylog_warn("listen", "accept: %s", strerror(errno));
                struct timespec ts = {0, 50 * 1000000};
                nanosleep(&ts, NULL);
                continue;
            }
            break; /* shut down (EINVAL) or closed */
        }
        /* MHD takes the socket either way (closes it when it refuses it). */
        MHD_add_connection(s->mhd, fd, (struct sockaddr *)&sa, len);
    }
    return NULL;
}

static void stop_accepting(api_server *s)
{
    if (s->accepting) {
        shutdown(s->listen_fd, SHUT_RDWR); /* wakes accept4 */
        pthread_join(s->acceptor, NULL);
        s->accepting = false;
    }
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    s->listen_fd = -1;
}

int api_server_start(store *st, const api_config *cfg, api_server **out)
{
    api_server *s = xcalloc(1, sizeof(*s));
    s->st = st;
    s->cfg = *cfg;
    metrics_init();
    s->login_throttle = throttle_new(4096, 20, 10 * 60 * 1000);
    /* 30 codes per address in 10 minutes: a hall's public Wi-Fi shares one address. */
    s->sms_throttle = throttle_new(4096, 30, 10 * 60 * 1000);
    s->listen_fd = open_listener(cfg, &s->port);
    if (s->listen_fd < 0)
        goto fail;
    s->bus = hall_bus_new(st, cfg->sse_heartbeat_ms);
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
                     MHD_USE_TURBO | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
    /* Per-connection memory: MHD zeroes the whole pool between keep-alive requests, so
     * its size is paid on every request (64 KiB cost ~10% of a small GET's CPU in perf).
     * 16 KiB still takes request headers up to about 8 KiB (nginx's default per line);
     * bodies are streamed into our own buffer, not held in the pool. */
    s->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, access_cb, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 1),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)4096, MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s, MHD_OPTION_UNESCAPE_CALLBACK,
        unescape_cb, NULL, MHD_OPTION_END);
    if (!s->mhd) {
        ylog_error("listen", "libmicrohttpd failed to start");
        goto fail;
    }
    if (pthread_create(&s->acceptor, NULL, accept_main, s)) {
        ylog_error("listen", "cannot start the accept thread");
        MHD_stop_daemon(s->mhd);
        goto fail;
    }
    s->accepting = true;
    if (cfg->port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof(tmp), "%s.tmp", cfg->port_file);
        FILE *f = fopen(tmp, "w");
        if (f) {
            fprintf(f, "%d\n", s->port);
            fclose(f);
            rename(tmp, cfg->port_file);
        }
    }
    ylog_info("listen", "serving on http://%s:%d/", cfg->bind_addr, s->port);
    *out = s;
    return 0;
fail:
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    hall_bus_free(s->bus);
    throttle_free(s->login_throttle);
    throttle_free(s->sms_throttle);
    free(s);
    return YC_EIO;
}

int api_server_port(api_server *s)
{
    return s->port;
}

void api_server_quiesce(api_server *s)
{
    atomic_store(&s->stopping, true);
    hall_bus_stop(s->bus); /* live streams never finish by themselves */
    stop_accepting(s);
}

int api_server_drain(api_server *s, int timeout_ms)
{
    int64_t end = ytime_mono_ns() + (int64_t)timeout_ms * 1000000;
    while (atomic_load(&s->inflight) > 0 && ytime_mono_ns() < end) {
        struct timespec ts = {0, 10 * 1000000};
        nanosleep(&ts, NULL);
    }
    return atomic_load(&s->inflight);
}

void api_server_stop(api_server *s)
{
    if (!s)
        return;
    hall_bus_stop(s->bus); /* no connection may stay suspended past this point */
    stop_accepting(s);
    MHD_stop_daemon(s->mhd);
    hall_bus_free(s->bus);
    throttle_free(s->login_throttle);
    throttle_free(s->sms_throttle);
    free(s);
}
