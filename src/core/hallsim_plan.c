/*
 * hallsim_plan.c - the tables a simulation run derives from its scenario once: each
 * window's spans, each line's share of its windows and open capacity over the day,
 * and the weights of the wait estimate (see hallsim_internal.h).
 */
#include "core/hallsim_internal.h"

#include <string.h>

static double line_load(const hs_line *x)
{
    double n = 0;
    for (int h = 0; h < 24; h++)
        n += x->walkin[h] + x->booked[h];
    return n > 0 ? n * x->service_mean_s : 1e-9; /* nobody comes: still a sliver */
}

double hs_window_share(const hs_scenario *sc, int k, int l)
{
    const hs_window *x = &sc->win[k];
    if (!(x->skills >> l & 1u))
        return 0;
    double total = 0;
    for (int j = 0; j < sc->nline; j++)
        if (x->skills >> j & 1u)
            total += line_load(&sc->line[j]);
    return line_load(&sc->line[l]) / total;
}

int64_t hs_past_span(const win_plan *x, int64_t t0, int64_t t1)
{
    int64_t end = t0, next = INT64_MAX;
    for (int s = 0; s < x->nspan; s++) {
        int64_t a = x->from_ms[s], b = x->to_ms[s];
        if (t0 >= a && t0 < b)
            end = b;
        else if (a >= end && a > t0 && a < next)
            next = a;
    }
    int64_t stop = t1 < next ? t1 : next;
    return stop > end ? stop - end : 0;
}

/* Windows serving line l open at t (a shared window counts for its share; a window
 * past its last span with overtime counts as open), and when that next changes: the
 * first span boundary after t of a window serving l. Used to build line_cap. */
static double open_share(const plan *p, int l, int64_t t, int64_t *change)
{
    double r = 0;
    *change = NEVER;
    for (int k = 0; k < p->sc->nwin; k++) {
        const win_plan *x = &p->win[k];
        if (!(p->sc->win[k].skills >> l & 1u))
            continue;
        int s = 0;
        for (; s < x->nspan; s++) {
            if (t < x->from_ms[s]) {
                *change = x->from_ms[s] < *change ? x->from_ms[s] : *change;
                break;
            }
            if (t < x->to_ms[s]) {
                r += p->share[k][l];
                *change = x->to_ms[s] < *change ? x->to_ms[s] : *change;
                break;
            }
        }
        if (s == x->nspan && x->overtime)
            r += p->share[k][l];
    }
    return r;
}

static void add_bound(line_cap *c, int64_t t)
{
    int i = c->n;
    while (i > 0 && c->at[i - 1] > t)
        i--;
    if (i > 0 && c->at[i - 1] == t)
        return;
    memmove(&c->at[i + 1], &c->at[i], (size_t)(c->n - i) * sizeof(c->at[0]));
    c->at[i] = t;
    c->n++;
}

static void build_cap(plan *p, int l)
{
    line_cap *c = &p->cap[l];
    int64_t change;
    c->n = 0;
    for (int k = 0; k < p->sc->nwin; k++)
        if (p->sc->win[k].skills >> l & 1u)
            for (int s = 0; s < p->win[k].nspan; s++) {
                add_bound(c, p->win[k].from_ms[s]);
                add_bound(c, p->win[k].to_ms[s]);
            }
    for (int i = 0; i <= c->n; i++)
        c->r[i] = open_share(p, l, i ? c->at[i - 1] : (c->n ? c->at[0] - 1 : 0), &change);
}

void hs_plan_build(const hs_scenario *sc, plan *p)
{
    memset(p, 0, sizeof(*p));
    p->sc = sc;
    for (int k = 0; k < sc->nwin; k++) {
        win_plan *x = &p->win[k];
        x->nspan = sc->win[k].nspan;
        x->skills = sc->win[k].skills;
        x->overtime = sc->win[k].overtime;
        for (int s = 0; s < x->nspan; s++) {
            x->from_ms[s] = sc->win[k].span[s].from_s * 1000LL;
            x->to_ms[s] = sc->win[k].span[s].to_s * 1000LL;
        }
        for (int l = 0; l < sc->nline; l++) {
            p->share[k][l] = hs_window_share(sc, k, l);
            p->serves[l] |= (uint64_t)(x->skills >> l & 1u) << k;
        }
    }
    for (int l = 0; l < sc->nline; l++) {
        build_cap(p, l);
        p->patience |= sc->line[l].patience_s > 0;
    }
    const uint32_t *wt = sc->policy.weight;
    for (int i = 0; i < QP_NCLASS; i++)
        for (int j = 0; j < QP_NCLASS; j++)
            p->ahead_w[i][j] = j <= i               ? 1
                               : wt[i] + wt[j] == 0 ? 0
                                                    : (double)wt[j] / (wt[i] + wt[j]);
    p->stats_from_ms = (int64_t)(sc->stats_from_s * 1000);
    p->target_ms = (int64_t)(sc->target_wait_s * 1000);
}
