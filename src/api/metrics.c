/*
 * metrics.c - counters for /metrics in the Prometheus text format.
 *
 * Fixed arrays of atomics indexed by route and status class: no locks and no
 * allocation on the request path. Requests that match no route (static files, 404s)
 * count under route "other".
 */
#include "api/internal.h"

#include <stdatomic.h>
#include <string.h>

#define MAX_ROUTES 128
static const int status_codes[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                                   409, 412, 413, 415, 423, 429, 499, 500, 503};
#define NSTATUS ((int)YC_ARRAY_LEN(status_codes) + 1) /* last: any other */
static const double buckets_ms[] = {0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 5000};
#define NBUCKETS ((int)YC_ARRAY_LEN(buckets_ms))

static _Atomic uint64_t g_requests[MAX_ROUTES + 1][NSTATUS];
static _Atomic uint64_t g_hist[MAX_ROUTES + 1][NBUCKETS + 1];
static _Atomic uint64_t g_sum_us[MAX_ROUTES + 1];

void metrics_init(void)
{
    /* Static storage is zeroed; the route table must fit. */
    if (api_route_count > MAX_ROUTES)
        abort();
}

static int slot(int route_idx)
{
    return route_idx >= 0 && route_idx < MAX_ROUTES ? route_idx : MAX_ROUTES;
}

void metrics_observe(int route_idx, int status, int64_t ns)
{
    int r = slot(route_idx);
    int s = NSTATUS - 1;
    for (int i = 0; i < NSTATUS - 1; i++)
        if (status_codes[i] == status)
            s = i;
    atomic_fetch_add_explicit(&g_requests[r][s], 1, memory_order_relaxed);
    double ms = (double)ns / 1e6;
    int b = 0;
    while (b < NBUCKETS && ms > buckets_ms[b])
        b++;
    atomic_fetch_add_explicit(&g_hist[r][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&g_sum_us[r], (uint64_t)(ns / 1000), memory_order_relaxed);
}

static void route_labels(ybuf *out, int r)
{
    if (r == MAX_ROUTES)
        ybuf_adds(out, "method=\"\",route=\"other\"");
    else
        ybuf_printf(out, "method=\"%s\",route=\"%s\"", api_routes[r].method, api_routes[r].pattern);
}

void metrics_render(api_server *s, ybuf *out)
{
    ybuf_adds(out, "# HELP yichuang_http_requests_total HTTP requests by route and status.\n"
                   "# TYPE yichuang_http_requests_total counter\n");
    for (int r = 0; r <= MAX_ROUTES; r++) {
        if (r < MAX_ROUTES && r >= api_route_count)
            continue;
        for (int i = 0; i < NSTATUS; i++) {
            uint64_t v = atomic_load(&g_requests[r][i]);
            if (!v)
                continue;
            ybuf_adds(out, "yichuang_http_requests_total{");
            route_labels(out, r);
            if (i < NSTATUS - 1)
                ybuf_printf(out, ",status=\"%d\"} %llu\n", status_codes[i], (unsigned long long)v);
            else
                ybuf_printf(out, ",status=\"other\"} %llu\n", (unsigned long long)v);
        }
    }
    ybuf_adds(out, "# HELP yichuang_http_request_duration_seconds Time from request to answer.\n"
                   "# TYPE yichuang_http_request_duration_seconds histogram\n");
    for (int r = 0; r <= MAX_ROUTES; r++) {
        if (r < MAX_ROUTES && r >= api_route_count)
            continue;
        uint64_t total = 0;
        for (int b = 0; b <= NBUCKETS; b++)
            total += atomic_load(&g_hist[r][b]);
        if (!total)
            continue;
        uint64_t cum = 0;
        for (int b = 0; b <= NBUCKETS; b++) {
            cum += atomic_load(&g_hist[r][b]);
            ybuf_adds(out, "yichuang_http_request_duration_seconds_bucket{");
            route_labels(out, r);
            if (b < NBUCKETS)
                ybuf_printf(out, ",le=\"%g\"} %llu\n", buckets_ms[b] / 1000,
                            (unsigned long long)cum);
            else
                ybuf_printf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
        }
        ybuf_adds(out, "yichuang_http_request_duration_seconds_sum{");
        route_labels(out, r);
        ybuf_printf(out, "} %.6f\n", (double)atomic_load(&g_sum_us[r]) / 1e6);
        ybuf_adds(out, "yichuang_http_request_duration_seconds_count{");
        route_labels(out, r);
        ybuf_printf(out, "} %llu\n", (unsigned long long)total);
    }
    store_stats st;
    store_get_stats(s->st, &st);
    ybuf_printf(out,
                "# HELP yichuang_db_statements_total SQL statements stepped, by connection kind.\n"
                "# TYPE yichuang_db_statements_total counter\n"
                "yichuang_db_statements_total{conn=\"writer\"} %llu\n"
                "yichuang_db_statements_total{conn=\"reader\"} %llu\n"
                "# HELP yichuang_db_commits_total Write batches committed (group commit).\n"
                "# TYPE yichuang_db_commits_total counter\n"
                "yichuang_db_commits_total %llu\n"
                "# HELP yichuang_db_write_jobs_total Write jobs run.\n"
                "# TYPE yichuang_db_write_jobs_total counter\n"
                "yichuang_db_write_jobs_total %llu\n"
                "# HELP yichuang_db_max_batch Largest write batch committed at once.\n"
                "# TYPE yichuang_db_max_batch gauge\n"
                "yichuang_db_max_batch %llu\n"
                "# HELP yichuang_http_inflight Requests being handled now.\n"
                "# TYPE yichuang_http_inflight gauge\n"
                "yichuang_http_inflight %d\n",
                (unsigned long long)st.db_ops, (unsigned long long)store_reader_ops(s->st),
                (unsigned long long)st.commits, (unsigned long long)st.jobs,
                (unsigned long long)st.max_batch, atomic_load(&s->inflight));
}
