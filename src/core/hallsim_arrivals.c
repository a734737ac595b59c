/*
 * hallsim_arrivals.c - a simulated day's applicants (see hallsim_internal.h).
 */
#include "core/hallsim_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *hs_grow(void *a, size_t n, size_t size)
{
    void *b = realloc(a, n * size);
    if (!b) {
        fputs("hallsim: out of memory\n", stderr);
        abort();
    }
    return b;
}

static void ws_grow(workspace *w, size_t need)
{
    if (need <= w->cap)
        return;
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < need)
        cap *= 2;
    w->p = hs_grow(w->p, cap, sizeof(*w->p));
    w->sort_tmp = hs_grow(w->sort_tmp, cap, sizeof(*w->sort_tmp));
    w->runs = hs_grow(w->runs, cap + 1, sizeof(*w->runs));
    w->pend = hs_grow(w->pend, cap, sizeof(*w->pend));
    w->pend_at = hs_grow(w->pend_at, cap, sizeof(*w->pend_at));
    w->pend_left = hs_grow(w->pend_left, cap, sizeof(*w->pend_left));
    w->cap = cap;
}

void hs_ws_free(workspace *w)
{
    free(w->p);
    free(w->sort_tmp);
    free(w->runs);
    for (int i = 0; i < HS_MAX_LINES * QP_NCLASS; i++)
        free(w->fq[i].a);
    free(w->pend);
    free(w->pend_at);
    free(w->pend_left);
}

static void add_person(workspace *w, int64_t at, int line, int cls, double patience_s)
{
    if (w->np == w->cap)
        ws_grow(w, w->np + 1);
    person *x = &w->p[w->np++];
    x->arrive_ms = x->first_ms = at;
    x->line = (uint16_t)line;
    x->cls = (uint8_t)cls;
    x->est_ms = -1;
    x->noshows = 0;
    x->give_up_ms = patience_s > 0 ? at + (int64_t)(simrng_exp(&w->rng, patience_s) * 1000) : NEVER;
}

/* x comes after y in the day's order of arrival. */
static bool arrives_after(const person *x, const person *y)
{
    if (x->arrive_ms != y->arrive_ms)
        return x->arrive_ms > y->arrive_ms;
    if (x->line != y->line)
        return x->line > y->line;
    return x->cls > y->cls;
}

/* Merge the ascending runs a[from..mid) and a[mid..to) into b[from..to), stably. */
static void merge_runs(const person *a, person *b, size_t from, size_t mid, size_t to)
{
    size_t i = from, j = mid, o = from;
    while (i < mid && j < to)
        b[o++] = arrives_after(&a[i], &a[j]) ? a[j++] : a[i++];
    while (i < mid)
        b[o++] = a[i++];
    while (j < to)
        b[o++] = a[j++];
}

/* Order the day's applicants by arrival (then line, then class; stable). Each line's
 * walk-ins come in order already, so the ascending runs are merged pairwise (a
 * natural merge sort): one pass when there is one line and no booking. */
static void sort_arrivals(workspace *w)
{
    size_t *run = w->runs, nr = 0;
    run[nr++] = 0;
    for (size_t i = 1; i < w->np; i++)
        if (arrives_after(&w->p[i - 1], &w->p[i]))
            run[nr++] = i;
    run[nr] = w->np;
    person *src = w->p, *dst = w->sort_tmp;
    while (nr > 1) {
        size_t out = 0, j = 0;
        for (; j + 1 < nr; j += 2) {
            merge_runs(src, dst, run[j], run[j + 1], run[j + 2]);
            run[out++] = run[j];
        }
        if (j < nr) {
            memcpy(dst + run[j], src + run[j], (run[j + 1] - run[j]) * sizeof(*src));
            run[out++] = run[j];
        }
        run[out] = w->np;
        nr = out;
        person *t = src;
        src = dst;
        dst = t;
    }
    w->p = src;
    w->sort_tmp = dst;
}

/* Line l's walk-ins: a Poisson process whose rate changes by the hour. An exponential
 * gap that runs past the end of the hour is thrown away and drawn afresh at the next
 * hour's rate (memorylessness). */
static void add_walkins(const hs_line *x, int l, workspace *w)
{
    for (int h = 0; h < 24; h++) {
        if (x->walkin[h] <= 0)
            continue;
        double t = h * 3600.0, end = (h + 1) * 3600.0, gap = 3600.0 / x->walkin[h];
        while ((t += simrng_exp(&w->rng, gap)) < end) {
            int cls = simrng_uniform(&w->rng) < x->green_share ? QP_GREEN : QP_NORMAL;
            add_person(w, (int64_t)(t * 1000), l, cls, x->patience_s);
        }
    }
}

void hs_make_arrivals(const hs_scenario *sc, workspace *w)
{
    w->np = 0;
    for (int l = 0; l < sc->nline; l++) {
        const hs_line *x = &sc->line[l];
        add_walkins(x, l, w);
        for (int h = 0; h < 24; h++) {
            int slots = (int)lround(x->booked[h]);
            for (int i = 0; i < slots; i++) {
                if (simrng_uniform(&w->rng) < sc->booking_noshow)
                    continue;
                double slot = h * 3600.0 + i * 3600.0 / slots;
                double at = slot - sc->booking_early_s +
                            simrng_uniform(&w->rng) * (sc->booking_early_s + sc->booking_late_s);
                if (at < 0)
                    at = 0;
                add_person(w, (int64_t)(at * 1000), l, QP_APPT, x->patience_s);
            }
        }
    }
    ws_grow(w, w->np + 1);
    sort_arrivals(w);
}
