/*
 * api.h - what a request handler sees: the request, the caller, and the ways to answer.
 *
 * A handler runs on an HTTP worker thread. It reads with api_db() (this thread's reader
 * connection) and answers with api_reply_* / api_fail. To write, it calls api_write()
 * with a function that runs inside the writer's transaction; the reply is sent only
 * after that transaction is committed to disk (see store.h, group commit). A handler
 * returns after calling exactly one of: api_reply_json, api_reply_empty, api_fail,
 * api_fail_err, api_reply_raw, api_write.
 */
#ifndef YC_API_H
#define YC_API_H

#include "core/principal.h"
#include "core/throttle.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/err.h"
#include "util/util.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct api_req api_req;
typedef struct api_server api_server;

typedef void (*api_handler)(api_req *r);

/* Route flags. */
#define ROUTE_PUBLIC      (1u << 0) /* no caller needed */
#define ROUTE_LOOPBACK    (1u << 1) /* anyone on loopback; elsewhere the roles apply */
#define ROUTE_ANY_SESSION (1u << 2) /* allowed even while a password change is pending */

typedef struct api_route {
    const char *method;
    const char *pattern; /* "/api/v1/users/{id}" */
    api_handler fn;
    uint32_t roles; /* role bits allowed; 0 with ROUTE_PUBLIC */
    unsigned flags;
    const char *summary; /* 中文, for the reference and `yichuang routes` */
} api_route;

extern const api_route api_routes[];
extern const int api_route_count;

/* Server-wide settings handlers may read. */
typedef struct api_config {
    const char *bind_addr;    /* "127.0.0.1", "0.0.0.0" */
    int port;                 /* 0 = any free port */
    int threads;              /* HTTP worker threads */
    size_t body_limit;        /* bytes */
    int conn_timeout_s;       /* idle/header timeout */
    const char *web_root;     /* static pages */
    const char *port_file;    /* write the bound port here once listening, or NULL */
    bool access_log;          /* JSON access log on stderr */
    bool secure_cookie;       /* add Secure to cookies (behind TLS) */
    int64_t session_ttl_ms;   /* session lifetime */
    int max_failed_logins;    /* before a lockout */
    int64_t lockout_ms;       /* lockout length */
    int64_t sse_heartbeat_ms; /* comment line on a silent event stream */
    bool sms_demo;            /* `yichuang demo` only: answers carry the SMS verification code */
} api_config;

void api_config_defaults(api_config *c);

/* --- the request --- */
const char *api_method(api_req *r);
const char *api_path(api_req *r);
const char *api_query(api_req *r, const char *key); /* NULL if absent */
const char *api_header(api_req *r, const char *name);
const char *api_client_addr(api_req *r);
const principal *api_who(api_req *r);
const api_config *api_cfg(api_req *r);
store *api_store(api_req *r);
db_conn *api_db(api_req *r);
/* Failed logins per client address (server-wide). */
throttle *api_login_throttle(api_req *r);
/* SMS verification codes asked for per client address (server-wide). */
throttle *api_sms_throttle(api_req *r);
/* Path parameter i as text, or NULL. */
const char *api_param(api_req *r, int i);
/* The raw request body (for bodies that are not a checked object, e.g. imports). */
const ybuf *api_body_raw(api_req *r);
/* Path parameter i ({...} in the pattern) as a positive id; replies 404 and returns -1
 * if it is not one. */
int api_param_id(api_req *r, int i, int64_t *out);

/* Pagination: ?limit= (default 50, max 500) and ?cursor= (an id). Replies 400 and
 * returns -1 on bad values. */
int api_page(api_req *r, int *limit, int64_t *cursor);
/* {"items": items, "next": next-or-null}, where next is the id of the last item when
 * the page is full. */
json_t *api_page_body(json_t *items, int limit, const char *id_key);

/* Body as a JSON object checked against a spec: unknown fields, missing required
 * ones, types, lengths and ranges are refused. Replies with the error and returns -1,
 * or returns 0 with *out set (caller decrefs). */
typedef enum { JF_STRING, JF_INT, JF_BOOL, JF_ARRAY, JF_OBJECT } jf_type;
typedef struct jfield {
    const char *name;
    jf_type type;
    bool required;
    int64_t min, max;  /* integer range, or string length in characters */
    const char *label; /* 中文 name for messages */
} jfield;
int api_body(api_req *r, const jfield *spec, json_t **out);
/* Validate one object (e.g. an array element) against a spec; field names are
 * prefixed with prefix in errors. 0 or -1 with e filled. */
int api_check_object(json_t *o, const jfield *spec, const char *prefix, yc_err *e);

/* --- answers --- */
void api_reply_json(api_req *r, int status, json_t *body); /* steals body */
void api_reply_empty(api_req *r, int status);
void api_reply_raw(api_req *r, int status, const char *content_type, char *body, size_t len);
void api_fail(api_req *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void api_fail_err(api_req *r, const yc_err *e);
void api_set_cookie(api_req *r, const char *cookie); /* full Set-Cookie value */
/* An entity tag for the answer (quoted, e.g. "\"g-1\""): sent as ETag, with
 * Cache-Control: no-cache instead of no-store so clients revalidate. */
void api_set_etag(api_req *r, const char *etag);

/* Run fn inside the writer transaction; it must answer (api_reply_* / api_fail) and
 * return 0, or answer with an error and return < 0 (its writes are rolled back). ctx
 * is the handler's state; free_ctx (may be NULL) runs when the request ends. */
typedef int (*api_tx_fn)(db_conn *tx, api_req *r, void *ctx);
void api_write(api_req *r, api_tx_fn fn, void *ctx, void (*free_ctx)(void *));
/* As api_write, for answers built from what was written: fn writes and returns 0
 * without answering; once the write is committed, answer(r, db, ctx) runs on the
 * request's own HTTP thread with a fresh read snapshot (db, which holds the write) and
 * answers. Reading the answer back there keeps it off the single writer thread, which
 * every write in the server waits for. If fn answers (an error it commits), that
 * answer stands. */
typedef void (*api_answer_fn)(api_req *r, db_conn *db, void *ctx);
void api_write_then(api_req *r, api_tx_fn fn, api_answer_fn answer, void *ctx,
                    void (*free_ctx)(void *));

/* The write being run appends hall events: wake the live feed once it is committed. */
void api_notify_hall(api_req *r);

/* The action-log actor for this request, acting in the given role at center_id. */
void api_actor(api_req *r, role_bit role, int64_t center_id, audit_actor *out);
/* A helper for handlers: the widest role of mask the caller holds, as a code. */
const char *api_role_code(api_req *r, uint32_t mask);

/* Render *_at integer fields (ms since epoch) of an object, recursively, as RFC 3339
 * strings in China Standard Time. Returns o. */
json_t *api_times(json_t *o);

#endif
