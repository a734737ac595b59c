/*
 * internal.h - the request structure and pieces shared by the files of api/.
 * Handlers use api.h only.
 */
#ifndef YC_API_INTERNAL_H
#define YC_API_INTERNAL_H

#include "api/api.h"
#include "api/sse.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

#define API_MAX_PARAMS 4

typedef enum { REQ_NEW, REQ_WAITING, REQ_READY } req_state;

struct api_req {
    api_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *url;
    int64_t t0_ns;
    char client_addr[64];

    ybuf body;
    bool body_too_large;
    bool refused; /* answered 503 at once: the server is stopping */
    bool first_call_done;

    int route_idx; /* -1: static file or no route */
    char *params[API_MAX_PARAMS];
    int nparams;
    principal who;

    _Atomic req_state state; /* set by the writer thread (write_done), read here */
    api_tx_fn tx_fn;
    api_answer_fn answer_fn; /* api_write_then */
    int write_rc;
    void *tx_ctx;
    void (*free_ctx)(void *);
    store_job job;

    /* the answer */
    int status;
    json_t *resp_json;
    char *resp_raw;
    size_t resp_raw_len;
    const char *resp_type;
    struct MHD_Response *resp_file; /* prepared static response */
    char *set_cookie;
    char etag[96];
    bool answered;
    bool notify_hall; /* kick the hall event broadcaster after the commit */
};

struct api_server {
    struct MHD_Daemon *mhd;
    store *st;
    api_config cfg;
    int listen_fd;
    pthread_t acceptor; /* accepts and hands connections to MHD (server.c) */
    bool accepting;
    int port;
    _Atomic int inflight;
    _Atomic bool stopping; /* api_server_quiesce: new requests are refused */
    throttle *login_throttle;
    throttle *sms_throttle;
    hall_bus *bus;
};

/* router.c */
int router_match(const char *method, const char *path, char **params, int *nparams,
                 bool *path_known);

/* static.c: answer a GET for a file under web_root. */
void static_serve(api_req *r);

/* metrics.c */
void metrics_init(void);
void metrics_observe(int route_idx, int status, int64_t ns);
void metrics_render(api_server *s, ybuf *out);

/* auth resolution (dispatch.c) */
void dispatch(api_req *r);
/* api_write_then's answer, in its own read snapshot (dispatch.c). */
void api_answer_after_commit(api_req *r);

#endif
