/*
 * erlang.c - Erlang B, C and A (see erlang.h).
 */
#include "core/erlang.h"

#include <math.h>
#include <stdlib.h>

double erlang_b(int n, double a)
{
    if (n < 0 || !(a >= 0))
        return NAN;
    double b = 1;
    for (int k = 1; k <= n; k++)
        b = a * b / (k + a * b);
    return b;
}

double erlang_c(int n, double a)
{
    if (n <= 0 || a >= n)
        return 1;
    if (a <= 0)
        return 0;
    double b = erlang_b(n, a);
    return n * b / (n - a * (1 - b));
}

double erlang_c_service_level(int n, double a, double handle, double t)
{
    if (a <= 0)
        return 1;
    if (n <= a)
        return 0;
    return 1 - erlang_c(n, a) * exp(-(n - a) * t / handle);
}

double erlang_c_asa(int n, double a, double handle)
{
    if (a <= 0)
        return 0;
    if (n <= a)
        return INFINITY;
    return erlang_c(n, a) * handle / (n - a);
}

double erlang_occupancy(int n, double a)
{
    if (n <= 0)
        return a > 0 ? 1 : 0;
    return a >= n ? 1 : a / n;
}

int erlang_c_agents(double a, double handle, double t, double target, double max_occupancy,
                    int max_n)
{
    if (!(a > 0))
        return 0;
    int n = (int)floor(a) + 1;
    for (; n <= max_n; n++)
        if (erlang_c_service_level(n, a, handle, t) >= target &&
            erlang_occupancy(n, a) <= max_occupancy)
            return n;
    return -1;
}

/* The stationary distribution of the Erlang A chain, normalized, in p[0..*len). */
static double *erlang_a_dist(int n, double lambda, double mu, double theta, int *len)
{
    /* log pi_k relative to pi_0, kept until the terms past the peak are negligible. */
    int cap = 1024;
    double *lp = malloc(sizeof(double) * (size_t)cap);
    if (!lp)
        return NULL;
    lp[0] = 0;
    double peak = 0;
    int k = 1;
    const int limit = n + 2000000;
    for (; k < limit; k++) {
        double d = (k <= n ? k * mu : n * mu + (k - n) * theta);
        double v = lp[k - 1] + log(lambda / d);
        if (k == cap) {
            cap *= 2;
            double *np = realloc(lp, sizeof(double) * (size_t)cap);
            if (!np) {
                free(lp);
                return NULL;
            }
            lp = np;
        }
        lp[k] = v;
        if (v > peak)
            peak = v;
        /* Past the peak (terms only shrink from here) and 1e-17 of it: stop. */
        if (k > n && lambda < d && v < peak - 39)
            break;
    }
    if (k >= limit) { /* not settled: a queue of millions */
        free(lp);
        return NULL;
    }
    *len = k + 1;
    double sum = 0;
    for (int i = 0; i < *len; i++) {
        lp[i] = exp(lp[i] - peak);
        sum += lp[i];
    }
    for (int i = 0; i < *len; i++)
        lp[i] /= sum;
    return lp;
}

/* skip_below: when the share served (an upper bound of the service level) is below
 * it, leave service_level at that bound and skip the costly part. */
static int erlang_a_impl(int n, double a, double handle, double patience, double t,
                         double skip_below, erlang_a_result *r)
{
    if (n <= 0 || !(a >= 0) || !(handle > 0) || !(patience > 0) || !(t >= 0))
        return -1;
    if (a == 0) {
        *r = (erlang_a_result){.service_level = 1};
        return 0;
    }
    double mu = 1 / handle, lambda = a * mu, theta = 1 / patience;
    int len = 0;
    double *p = erlang_a_dist(n, lambda, mu, theta, &len);
    if (!p)
        return -1;
    int q = len - n; /* queue positions an arrival may find: 0..q-1 ahead */
    double p_wait = 0, eq = 0, busy = 0;
    for (int k = 0; k < len; k++) {
        if (k >= n) {
            p_wait += p[k];
            eq += (k - n) * p[k];
        }
        busy += (k < n ? k : n) * p[k];
    }
    /* An arrival with j ahead: each step, the line ahead shortens at n mu + j theta
     * while the arrival itself gives up at theta. S = P(called), T = E[wait; called].
     * Service level by uniformization: u[j] = P(called within m uniform steps). */
    double p_abandon = theta * eq / lambda;
    if (1 - p_abandon < skip_below)
        q = 0; /* service level: just the no-wait share, below the bound anyway */
    double *u = calloc((size_t)(q > 0 ? q : 1) * 2, sizeof(double));
    if (!u) {
        free(p);
        return -1;
    }
    double *un = u + (q > 0 ? q : 1);
    double served_wait = 0, s_prev = 1, t_prev = 0;
    for (int j = 0; j < q; j++) {
        double rate = n * mu + j * theta, pc = rate / (rate + theta);
        double s = pc * s_prev, tt = pc * (t_prev + s_prev / (rate + theta));
        served_wait += p[n + j] * tt;
        s_prev = s;
        t_prev = tt;
    }
    double big = n * mu + (q > 0 ? q - 1 : 0) * theta + theta;
    double lt = big * t, sl_wait = 0;
    int steps = (int)(lt + 10 * sqrt(lt) + 30);
    /* Poisson(lt) weights in log space (no underflow for large lt). */
    for (int m = 0; m <= steps && q > 0; m++) {
        double w = exp(-lt + (m ? m * log(lt) : 0) - lgamma(m + 1.0));
        if (m > 0) {
            for (int j = 0; j < q; j++) {
                double rate = n * mu + j * theta;
                double down = j ? u[j - 1] : 1;
                un[j] = rate / big * down + (1 - (rate + theta) / big) * u[j];
            }
            for (int j = 0; j < q; j++)
                u[j] = un[j];
        }
        if (w > 0)
            for (int j = 0; j < q; j++)
                sl_wait += w * p[n + j] * u[j];
    }
    double p_served = 1 - p_abandon;
    r->p_wait = p_wait;
    r->p_abandon = p_abandon;
    r->mean_wait = eq / lambda;
    r->asa = p_served > 0 ? served_wait / p_served : INFINITY;
    r->service_level = (1 - p_wait) + sl_wait;
    r->occupancy = busy / n;
    free(u);
    free(p);
    return 0;
}

int erlang_a(int n, double a, double handle, double patience, double t, erlang_a_result *r)
{
    return erlang_a_impl(n, a, handle, patience, t, 0, r);
}

int erlang_a_agents(double a, double handle, double patience, double t, double target, int max_n)
{
    if (!(a > 0))
        return 0;
    for (int n = 1; n <= max_n; n++) {
        /* A queue settling around a hundred thousand waiting: hopeless, next. */
        if (n < a && (a - n) * patience / handle > 1e5)
            continue;
        erlang_a_result r;
        if (erlang_a_impl(n, a, handle, patience, t, target, &r))
            return -1;
        if (r.service_level >= target)
            return n;
    }
    return -1;
}
