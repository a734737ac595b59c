/* h_system.c - health and metrics, for load balancers and Prometheus. */
#include "api/handlers.h"
#include "api/internal.h"

#include <string.h>

void h_healthz(api_req *r)
{
    db_conn *db = api_db(r);
    db_stmt *q = db ? db_prepare(db, "SELECT 1") : NULL;
    bool ok = q && db_step(q) == DB_ROW;
    if (q)
        db_reset(q);
    api_reply_json(
        r, ok ? 200 : 503,
        json_pack("{s:s,s:s}", "status", ok ? "ok" : "degraded", "db", ok ? "ok" : "error"));
}

void h_metrics(api_req *r)
{
    ybuf out = {0};
    metrics_render(r->srv, &out);
    size_t n = out.len;
    api_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", ybuf_detach(&out), n);
}
