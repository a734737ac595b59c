/*
 * staffing.c - see staffing.h.
 */
#include "core/staffing.h"
#include "core/erlang.h"

#include <math.h>

int staffing_hour_eval(staffing_hour *h, const staffing_target *t)
{
    if (!h || !t || h->arrivals < 0 || !(h->handle_s > 0) || !(h->open >= 0) ||
        !(t->target > 0 && t->target < 1) || !(t->wait_s > 0) || !(t->patience_s >= 0) ||
        t->max_n < 1)
        return -1;
    double a = h->arrivals * h->handle_s / 3600.0;
    int open = (int)floor(h->open + 1e-9);
    h->load = a;
    if (h->arrivals == 0) {
        h->needed = 0;
        h->service_level = 1;
        h->shortfall = false;
        return 0;
    }
    if (t->patience_s > 0) {
        h->needed = erlang_a_agents(a, h->handle_s, t->patience_s, t->wait_s, t->target, t->max_n);
        erlang_a_result r;
        if (open > 0 && erlang_a(open, a, h->handle_s, t->patience_s, t->wait_s, &r) == 0)
            h->service_level = r.service_level;
        else
            h->service_level = 0;
    } else {
        h->needed = erlang_c_agents(a, h->handle_s, t->wait_s, t->target, 1, t->max_n);
        h->service_level = open > 0 ? erlang_c_service_level(open, a, h->handle_s, t->wait_s) : 0;
    }
    h->shortfall = h->needed < 0 || h->open + 1e-9 < h->needed;
    return 0;
}

void staffing_balance_of(const double *v, int n, staffing_balance *out)
{
    *out = (staffing_balance){.n = n < 0 ? 0 : n, .max_min = -1};
    if (n <= 0)
        return;
    double sum = 0, mx = v[0], mn = v[0];
    for (int i = 0; i < n; i++) {
        sum += v[i];
        mx = v[i] > mx ? v[i] : mx;
        mn = v[i] < mn ? v[i] : mn;
    }
    double mean = sum / n, ss = 0;
    for (int i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    out->mean = mean;
    out->max = mx;
    out->min = mn;
    out->cv = mean > 0 ? sqrt(ss / n) / mean : 0;
    out->max_min = mn > 0 ? mx / mn : -1;
    out->level = n < 2 ? 0 : out->cv < 0.15 ? 0 : out->cv < 0.35 ? 1 : 2;
}

const char *staffing_level_code(int level)
{
    return level <= 0 ? "balanced" : level == 1 ? "uneven" : "very_uneven";
}
