/*
 * hallsim.c - the hall day simulation (see hallsim.h).
 */
#include "core/hallsim.h"
#include "core/simrng.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEVER INT64_MAX

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

/* One applicant of the day. */
typedef struct person {
    int64_t arrive_ms;  /* took the ticket (or rejoins, while pending) */
    int64_t give_up_ms; /* leaves the queue unserved at this time */
    int64_t first_ms;   /* first took the ticket */
    int64_t est_ms;     /* wait predicted at arrival, -1 none */
    uint16_t line;
    uint8_t cls;
    uint8_t noshows;
} person;

typedef struct workspace {
    person *p;
    size_t np, cap;
    qp_ticket *q; /* waiting, the policy's view */
    uint32_t *qref;
    size_t nq;
    uint32_t *pend; /* no-shows coming back, by index into p */
    int64_t *pend_at, *pend_left;
    size_t npend;
    simrng rng;
} workspace;

static void ws_grow(workspace *w, size_t need)
{
    if (need <= w->cap)
        return;
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < need)
        cap *= 2;
    w->p = realloc(w->p, cap * sizeof(*w->p));
    w->q = realloc(w->q, cap * sizeof(*w->q));
    w->qref = realloc(w->qref, cap * sizeof(*w->qref));
    w->pend = realloc(w->pend, cap * sizeof(*w->pend));
    w->pend_at = realloc(w->pend_at, cap * sizeof(*w->pend_at));
    w->pend_left = realloc(w->pend_left, cap * sizeof(*w->pend_left));
    if (!w->p || !w->q || !w->qref || !w->pend || !w->pend_at || !w->pend_left) {
        fputs("hallsim: out of memory\n", stderr);
        abort();
    }
    w->cap = cap;
}

static void add_person(workspace *w, int64_t at, int line, int cls, double patience_s)
{
    ws_grow(w, w->np + 1);
    person *x = &w->p[w->np++];
    x->arrive_ms = x->first_ms = at;
    x->line = (uint16_t)line;
    x->cls = (uint8_t)cls;
    x->est_ms = -1;
    x->noshows = 0;
    x->give_up_ms = patience_s > 0 ? at + (int64_t)(simrng_exp(&w->rng, patience_s) * 1000) : NEVER;
}

static int by_arrival(const void *a, const void *b)
{
    const person *x = a, *y = b;
    if (x->arrive_ms != y->arrive_ms)
        return x->arrive_ms < y->arrive_ms ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (int)x->cls - (int)y->cls;
}

static void make_arrivals(const hs_scenario *sc, workspace *w)
{
    w->np = 0;
    for (int l = 0; l < sc->nline; l++) {
        const hs_line *x = &sc->line[l];
        double t = 0;
        while ((t = simrng_next_arrival(&w->rng, x->walkin, t)) < 86400) {
            int cls = simrng_uniform(&w->rng) < x->green_share ? QP_GREEN : QP_NORMAL;
            add_person(w, (int64_t)(t * 1000), l, cls, x->patience_s);
        }
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
    qsort(w->p, w->np, sizeof(*w->p), by_arrival);
}

static double service_s(const hs_line *x, simrng *r)
{
    switch (x->dist) {
    case HS_FIXED:
        return x->service_mean_s;
    case HS_LOGNORMAL:
        return simrng_lognormal(r, x->service_mean_s, x->service_cv);
    default:
        return simrng_exp(r, x->service_mean_s);
    }
}

/* Window w at t: 1 inside a span, 2 after its last span (overtime), 0 otherwise;
 * *next = the next span start after t when closed now (or NEVER). */
static int win_phase(const hs_window *x, int64_t t, int64_t *next)
{
    *next = NEVER;
    for (int s = 0; s < x->nspan; s++) {
        int64_t a = x->span[s].from_s * 1000LL, b = x->span[s].to_s * 1000LL;
        if (t < a) {
            *next = a;
            return 0;
        }
        if (t < b)
            return 1;
    }
    return 2;
}

/* Open time a service from t0 to t1 adds past the end of the span it began in (work
 * into lunch, or overtime), not counting what the next span covers anyway. */
static int64_t past_span(const hs_window *x, int64_t t0, int64_t t1)
{
    int64_t end = t0, next = INT64_MAX;
    for (int s = 0; s < x->nspan; s++) {
        int64_t a = x->span[s].from_s * 1000LL, b = x->span[s].to_s * 1000LL;
        if (t0 >= a && t0 < b)
            end = b;
        else if (a >= end && a > t0 && a < next)
            next = a;
    }
    int64_t stop = t1 < next ? t1 : next;
    return stop > end ? stop - end : 0;
}

/* When an idle window must look again: its next span opens, or its span ends (after
 * which it may open again); never past its last span. */
static int64_t idle_wake(const hs_window *x, int64_t t)
{
    for (int s = 0; s < x->nspan; s++) {
        if (t < x->span[s].from_s * 1000LL)
            return x->span[s].from_s * 1000LL;
        if (t < x->span[s].to_s * 1000LL)
            return x->span[s].to_s * 1000LL;
    }
    return NEVER;
}

typedef struct winst {
    int64_t busy_until; /* 0 = idle */
    int64_t wake;       /* its next event: service ends, or its next span opens */
    int64_t since;      /* service began */
    int32_t person;     /* being served, -1 none (a no-show call) */
    bool overtime_done;
    qp_rr rr;
} winst;

typedef struct day_ctx {
    const hs_scenario *sc;
    workspace *w;
    hs_result *res;
    winst ws[HS_MAX_WINDOWS];
    qp_ewma handle[HS_MAX_LINES];
    /* The part of window k's time line l gets, in proportion to the lines' expected
     * work (arrivals x handling) among those the window serves. */
    double share[HS_MAX_WINDOWS][HS_MAX_LINES];
    bool patience; /* someone may give up: sweep the queue */
    uint32_t seq;
} day_ctx;

static void drop_waiting(workspace *w, size_t i)
{
    w->q[i] = w->q[--w->nq];
    w->qref[i] = w->qref[w->nq];
}

static void sweep_gone(day_ctx *d, int64_t now)
{
    workspace *w = d->w;
    if (!d->patience)
        return;
    for (size_t i = 0; i < w->nq;) {
        const person *x = &w->p[w->qref[i]];
        if (x->give_up_ms <= now) {
            d->res->line[x->line].abandoned++;
            d->res->line[x->line].abandoned_w +=
                x->first_ms >= (int64_t)(d->sc->stats_from_s * 1000);
            drop_waiting(w, i);
        } else
            i++;
    }
}

static void enqueue(day_ctx *d, uint32_t pi, int64_t now)
{
    workspace *w = d->w;
    person *x = &w->p[pi];
    qp_ticket *t = &w->q[w->nq];
    memset(t, 0, sizeof(*t));
    t->arrived_ms = x->arrive_ms;
    t->seq = d->seq++;
    t->line = x->line;
    t->cls = x->cls;
    t->only_window = -1;
    t->state = QP_WAITING;
    w->qref[w->nq++] = pi;
}

/* Windows serving line l open at t (a shared window counts for its share; a window
 * past its last span with overtime counts as open), and when that next changes. */
static double open_share(const day_ctx *d, int l, int64_t t, int64_t *change)
{
    double r = 0;
    *change = NEVER;
    for (int k = 0; k < d->sc->nwin; k++) {
        const hs_window *x = &d->sc->win[k];
        if (!(x->skills >> l & 1u))
            continue;
        int s = 0;
        for (; s < x->nspan; s++) {
            int64_t a = x->span[s].from_s * 1000LL, b = x->span[s].to_s * 1000LL;
            if (t < a) {
                *change = a < *change ? a : *change;
                break;
            }
            if (t < b) {
                r += d->share[k][l];
                *change = b < *change ? b : *change;
                break;
            }
        }
        if (s == x->nspan && x->overtime)
            r += d->share[k][l];
    }
    return r;
}

/* The wait a ticket of class cls on line l taking its number now is told. Ahead of
 * it: the tickets waiting on its line of its class or higher, and of each lower class
 * the share the interleave gives that class against its own. Each needs one recent
 * handling time of a window; the windows' capacity follows their open hours (lunch,
 * closing, opening), so a ticket taken at 12:10 is told about 13:30. */
static int64_t estimate(day_ctx *d, int l, int cls, int64_t now)
{
    const hs_scenario *sc = d->sc;
    const uint32_t *wt = sc->policy.weight;
    double ahead_f = 0;
    for (size_t i = 0; i < d->w->nq; i++) {
        const qp_ticket *t = &d->w->q[i];
        if (t->line != l)
            continue;
        if (t->cls <= cls)
            ahead_f += 1;
        else if (wt[cls] + wt[t->cls])
            ahead_f += (double)wt[t->cls] / (wt[cls] + wt[t->cls]);
    }
    int ahead = (int)(ahead_f + 0.5), free_w = 0;
    int64_t t = now, change;
    if (open_share(d, l, now, &change) > 0) {
        for (int k = 0; k < sc->nwin; k++) {
            int64_t next;
            int ph = win_phase(&sc->win[k], now, &next);
            free_w += (sc->win[k].skills >> l & 1u) && !d->ws[k].busy_until &&
                      (ph == 1 || (ph == 2 && sc->win[k].overtime));
        }
    } else if (change != NEVER) {
        /* Closed now: at opening, the windows that open are all free. */
        t = change;
        free_w = (int)open_share(d, l, t, &change);
    } else
        return -1;
    if (ahead < free_w)
        return t - now;
    double work = (ahead - free_w + 1) * d->handle[l].value; /* window-milliseconds */
    for (int guard = 0; guard < 2 * HS_MAX_SPANS * HS_MAX_WINDOWS + 2; guard++) {
        double r = open_share(d, l, t, &change);
        if (r > 0) {
            double need = work / r;
            if (change == NEVER || (double)t + need <= (double)change)
                return t - now + (int64_t)(need + 0.5);
            work -= r * (double)(change - t);
        } else if (change == NEVER)
            return -1;
        t = change;
    }
    return -1;
}

/* Try to give every idle, open window its next ticket. */
static void dispatch(day_ctx *d, int64_t now)
{
    const hs_scenario *sc = d->sc;
    workspace *w = d->w;
    sweep_gone(d, now);
    /* The window idle the longest calls first (as a hall works: whoever has been
     * waiting for work presses 叫号), so the load spreads over the windows. */
    bool tried[HS_MAX_WINDOWS] = {false};
    while (w->nq) {
        int k = -1;
        for (int j = 0; j < sc->nwin; j++) {
            int64_t next;
            if (tried[j] || d->ws[j].busy_until)
                continue;
            int ph = win_phase(&sc->win[j], now, &next);
            if (ph == 0 || (ph == 2 && !sc->win[j].overtime))
                continue;
            if (k < 0 || d->ws[j].since < d->ws[k].since)
                k = j;
        }
        if (k < 0)
            break;
        tried[k] = true;
        winst *s = &d->ws[k];
        const hs_window *x = &sc->win[k];
        qp_window qw = {.id = k, .skills = x->skills};
        ptrdiff_t i = qp_pick(&sc->policy, &qw, &s->rr, w->q, w->nq, now);
        if (i < 0)
            continue;
        uint32_t pi = w->qref[(size_t)i];
        drop_waiting(w, (size_t)i);
        person *p = &w->p[pi];
        hs_line_stats *ls = &d->res->line[p->line];
        if (simrng_uniform(&w->rng) < sc->call_noshow) {
            /* Called and recalled, nobody came: 过号. Some come back later. */
            ls->noshow++;
            s->person = -1;
            s->since = now;
            s->busy_until = s->wake =
                now + (int64_t)(sc->call_s * 1000 * (1 + sc->policy.recall_limit)) + 1;
            if (p->noshows < 255)
                p->noshows++;
            if (simrng_uniform(&w->rng) < sc->call_rejoin) {
                int64_t back =
                    now + (int64_t)(simrng_uniform(&w->rng) * (double)sc->policy.rejoin_within_ms);
                w->pend[w->npend] = pi;
                w->pend_at[w->npend] = back;
                w->pend_left[w->npend++] = now;
            }
            continue;
        }
        int64_t wait = now - p->first_ms;
        ls->served++;
        if (p->first_ms >= (int64_t)(sc->stats_from_s * 1000)) { /* past the warm-up */
            ls->waited++;
            ls->served_cls[p->cls] += 1;
            ls->wait_cls_ms[p->cls] += wait;
            ls->wait_sum_ms += wait;
            if (wait > ls->wait_max_ms)
                ls->wait_max_ms = wait;
            int64_t b = wait / HS_BUCKET_MS;
            ls->hist[b < HS_BUCKETS - 1 ? b : HS_BUCKETS - 1]++;
            ls->within_target += wait <= (int64_t)(sc->target_wait_s * 1000);
            if (p->est_ms >= 0) {
                int64_t e = p->est_ms - wait;
                ls->est_err_sum_ms += e < 0 ? -e : e;
                ls->est_n++;
            }
        }
        int64_t dur = (int64_t)(service_s(&sc->line[p->line], &w->rng) * 1000) + 1;
        ls->handle_sum_ms += dur;
        int hour = (int)(now / 3600000);
        if (hour < 24) {
            ls->handle_hour_ms[hour] += dur;
            ls->served_hour[hour]++;
        }
        qp_ewma_add(&d->handle[p->line], (double)dur);
        s->person = (int32_t)pi;
        s->since = now;
        s->busy_until = s->wake = now + dur;
        d->res->win_served[k]++;
    }
}

static void run_day(const hs_scenario *sc, uint64_t seed, workspace *w, hs_result *res,
                    double *day_wait)
{
    simrng_seed(&w->rng, seed);
    make_arrivals(sc, w);
    ws_grow(w, w->np + 1);
    w->nq = w->npend = 0;
    day_ctx d = {.sc = sc, .w = w, .res = res};
    for (int l = 0; l < sc->nline; l++)
        d.handle[l] = (qp_ewma){.value = sc->line[l].service_mean_s * 1000, .alpha = 0.1};
    for (int l = 0; l < sc->nline; l++)
        d.patience |= sc->line[l].patience_s > 0;
    for (int k = 0; k < sc->nwin; k++) {
        d.ws[k].person = -1;
        d.ws[k].wake = idle_wake(&sc->win[k], 0);
        for (int l = 0; l < sc->nline; l++)
            d.share[k][l] = hs_window_share(sc, k, l);
    }
    int64_t served0 = 0, wait0 = 0;
    for (int l = 0; l < sc->nline; l++) {
        served0 += res->line[l].waited;
        wait0 += res->line[l].wait_sum_ms;
    }
    size_t ai = 0;
    for (;;) {
        int64_t t_arr = ai < w->np ? w->p[ai].arrive_ms : NEVER;
        size_t pj = 0;
        int64_t t_pend = NEVER;
        for (size_t j = 0; j < w->npend; j++)
            if (w->pend_at[j] < t_pend) {
                t_pend = w->pend_at[j];
                pj = j;
            }
        int64_t t_win = NEVER;
        int kw = -1;
        for (int k = 0; k < sc->nwin; k++)
            if (d.ws[k].wake < t_win) {
                t_win = d.ws[k].wake;
                kw = k;
            }
        int64_t now = t_arr < t_pend ? t_arr : t_pend;
        if (t_win < now)
            now = t_win;
        if (now == NEVER)
            break;
        if (now == t_arr) {
            person *p = &w->p[ai];
            res->line[p->line].arrived++;
            int hour = (int)(now / 3600000);
            res->line[p->line].arrived_hour[hour < 24 ? hour : 23]++;
            sweep_gone(&d, now);
            p->est_ms = estimate(&d, p->line, p->cls, now);
            enqueue(&d, (uint32_t)ai, now);
            ai++;
        } else if (now == t_pend) {
            uint32_t pi = w->pend[pj];
            person *p = &w->p[pi];
            qp_ticket t = {.arrived_ms = p->arrive_ms, .state = QP_GONE, .noshows = p->noshows};
            if (qp_rejoin(&sc->policy, &t, w->pend_left[pj], now) == 0 && p->give_up_ms > now) {
                p->arrive_ms = t.arrived_ms;
                p->est_ms = -1;
                res->line[p->line].rejoined++;
                enqueue(&d, pi, now);
            }
            w->pend[pj] = w->pend[--w->npend];
            w->pend_at[pj] = w->pend_at[w->npend];
            w->pend_left[pj] = w->pend_left[w->npend];
        } else {
            winst *s = &d.ws[kw];
            if (s->busy_until == now && s->busy_until) {
                res->win_busy_ms[kw] += now - s->since;
                /* Work past the end of a span (into lunch, or overtime) is open time. */
                res->win_open_ms[kw] += past_span(&sc->win[kw], s->since, now);
                s->busy_until = 0;
                s->person = -1;
            }
            s->since = now; /* idle since (also: woke for its next span) */
            s->wake = idle_wake(&sc->win[kw], now);
        }
        dispatch(&d, now);
    }
    /* Open time: the spans (work past them was added as it ended). */
    for (int k = 0; k < sc->nwin; k++) {
        const hs_window *x = &sc->win[k];
        for (int s = 0; s < x->nspan; s++)
            res->win_open_ms[k] += (x->span[s].to_s - x->span[s].from_s) * 1000LL;
    }
    /* Still waiting at the end (no window left for them): counted as gone. */
    for (size_t i = 0; i < w->nq; i++) {
        res->line[w->p[w->qref[i]].line].abandoned++;
        res->line[w->p[w->qref[i]].line].abandoned_w++;
    }
    int64_t served = -served0, wait = -wait0;
    for (int l = 0; l < sc->nline; l++) {
        served += res->line[l].waited;
        wait += res->line[l].wait_sum_ms;
    }
    *day_wait = served ? (double)wait / (double)served / 1000 : 0;
}

typedef struct job {
    const hs_scenario *sc;
    hs_result *res; /* this thread's sums */
    double *day_wait;
    uint64_t seed;
    int days, tid, nthreads;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    workspace w = {0};
    for (int day = j->tid; day < j->days; day += j->nthreads)
        run_day(j->sc, simrng_mix(j->seed, (uint64_t)day), &w, j->res, &j->day_wait[day]);
    free(w.p);
    free(w.q);
    free(w.qref);
    free(w.pend);
    free(w.pend_at);
    free(w.pend_left);
    return NULL;
}

/* Every field of hs_line_stats before hist is an int64_t sum (wait_max_ms a max). */
_Static_assert(offsetof(hs_line_stats, hist) % sizeof(int64_t) == 0, "hs_line_stats layout");

static void merge(hs_result *to, const hs_result *from)
{
    for (int l = 0; l < HS_MAX_LINES; l++) {
        int64_t *a = (int64_t *)&to->line[l];
        const int64_t *b = (const int64_t *)&from->line[l];
        size_t n64 = offsetof(hs_line_stats, hist) / sizeof(int64_t);
        for (size_t i = 0; i < n64; i++)
            a[i] = (i == offsetof(hs_line_stats, wait_max_ms) / sizeof(int64_t))
                       ? (a[i] > b[i] ? a[i] : b[i])
                       : a[i] + b[i];
        for (int i = 0; i < HS_BUCKETS; i++)
            to->line[l].hist[i] += from->line[l].hist[i];
    }
    for (int k = 0; k < HS_MAX_WINDOWS; k++) {
        to->win_busy_ms[k] += from->win_busy_ms[k];
        to->win_open_ms[k] += from->win_open_ms[k];
        to->win_served[k] += from->win_served[k];
    }
}

int hs_run(const hs_scenario *sc, int days, uint64_t seed, int threads, hs_result *out)
{
    memset(out, 0, sizeof(*out));
    if (days <= 0 || threads <= 0)
        return -1;
    if (threads > days)
        threads = days;
    out->days = days;
    out->nline = sc->nline;
    out->nwin = sc->nwin;
    out->day_wait_s = calloc((size_t)days, sizeof(double));
    hs_result *part = calloc((size_t)threads, sizeof(hs_result));
    job *jobs = calloc((size_t)threads, sizeof(job));
    pthread_t *tids = calloc((size_t)threads, sizeof(pthread_t));
    int rc = 0, started = 0;
    if (!out->day_wait_s || !part || !jobs || !tids)
        rc = -1;
    for (int t = 0; !rc && t < threads; t++) {
        jobs[t] = (job){.sc = sc,
                        .res = &part[t],
                        .day_wait = out->day_wait_s,
                        .seed = seed,
                        .days = days,
                        .tid = t,
                        .nthreads = threads};
        if (threads == 1)
            run_job(&jobs[t]);
        else if (pthread_create(&tids[t], NULL, run_job, &jobs[t]))
            rc = -1;
        else
            started++;
    }
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    for (int t = 0; !rc && t < threads; t++)
        merge(out, &part[t]);
    free(part);
    free(jobs);
    free(tids);
    if (rc)
        hs_result_free(out);
    return rc;
}

void hs_result_free(hs_result *r)
{
    free(r->day_wait_s);
    r->day_wait_s = NULL;
}
