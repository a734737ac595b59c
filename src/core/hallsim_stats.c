/*
 * hallsim_stats.c - summaries of a simulation result (see hallsim.h).
 */
#include "core/hallsim.h"

#include <math.h>
#include <string.h>

static void sum_lines(const hs_result *r, int line, hs_line_stats *acc)
{
    memset(acc, 0, sizeof(*acc));
    for (int l = 0; l < r->nline; l++) {
        if (line >= 0 && l != line)
            continue;
        const hs_line_stats *x = &r->line[l];
        acc->waited += x->waited;
        acc->abandoned_w += x->abandoned_w;
        acc->within_target += x->within_target;
        acc->wait_sum_ms += x->wait_sum_ms;
        acc->est_err_sum_ms += x->est_err_sum_ms;
        acc->est_n += x->est_n;
        if (x->wait_max_ms > acc->wait_max_ms)
            acc->wait_max_ms = x->wait_max_ms;
        for (int i = 0; i < HS_BUCKETS; i++)
            acc->hist[i] += x->hist[i];
    }
}

double hs_mean_wait_s(const hs_result *r, int line)
{
    hs_line_stats a;
    sum_lines(r, line, &a);
    return a.waited ? (double)a.wait_sum_ms / (double)a.waited / 1000 : 0;
}

double hs_pct_wait_s(const hs_result *r, int line, double pct)
{
    hs_line_stats a;
    sum_lines(r, line, &a);
    if (!a.waited)
        return 0;
    double want = pct * (double)a.waited, seen = 0;
    for (int i = 0; i < HS_BUCKETS; i++) {
        seen += a.hist[i];
        if (seen >= want) {
            double hi = (i + 1) * (HS_BUCKET_MS / 1000.0), max = (double)a.wait_max_ms / 1000;
            return hi < max ? hi : max;
        }
    }
    return (double)a.wait_max_ms / 1000;
}

double hs_max_wait_s(const hs_result *r, int line)
{
    hs_line_stats a;
    sum_lines(r, line, &a);
    return (double)a.wait_max_ms / 1000;
}

double hs_service_level(const hs_result *r, int line)
{
    hs_line_stats a;
    sum_lines(r, line, &a);
    int64_t all = a.waited + a.abandoned_w;
    return all ? (double)a.within_target / (double)all : 1;
}

double hs_est_mae_s(const hs_result *r, int line)
{
    hs_line_stats a;
    sum_lines(r, line, &a);
    return a.est_n ? (double)a.est_err_sum_ms / (double)a.est_n / 1000 : 0;
}

void hs_wait_ci_s(const hs_result *r, double *mean, double *half)
{
    double s = 0, s2 = 0;
    for (int d = 0; d < r->days; d++)
        s += r->day_wait_s[d];
    double m = r->days ? s / r->days : 0;
    for (int d = 0; d < r->days; d++)
        s2 += (r->day_wait_s[d] - m) * (r->day_wait_s[d] - m);
    *mean = m;
    *half = r->days > 1 ? 1.96 * sqrt(s2 / (r->days - 1) / r->days) : 0;
}
