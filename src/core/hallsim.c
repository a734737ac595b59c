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

_Static_assert(HS_MAX_WINDOWS <= 64, "window sets are 64-bit masks");

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

/* What every day of a run shares, derived from the scenario once (hs_run). */
typedef struct win_plan {
    int64_t from_ms[HS_MAX_SPANS], to_ms[HS_MAX_SPANS];
    uint64_t skills;
    int nspan;
    bool overtime;
} win_plan;

/* The open share of a line (see open_share) as a step function of time: at[0..n) are
 * the span boundaries of the windows serving it, ascending and distinct; r[i] holds on
 * [at[i-1], at[i]) (at[-1] = -infinity, at[n] = NEVER). */
#define HS_MAX_BOUNDS (2 * HS_MAX_SPANS * HS_MAX_WINDOWS)
typedef struct line_cap {
    int n;
    int64_t at[HS_MAX_BOUNDS];
    double r[HS_MAX_BOUNDS + 1];
} line_cap;

typedef struct plan {
    const hs_scenario *sc;
    win_plan win[HS_MAX_WINDOWS];
    /* The part of window k's time line l gets, in proportion to the lines' expected
     * work (arrivals x handling) among those the window serves. */
    double share[HS_MAX_WINDOWS][HS_MAX_LINES];
    line_cap cap[HS_MAX_LINES];
    uint64_t serves[HS_MAX_LINES]; /* bit k: window k serves line l */
    /* What a waiting ticket of class j counts for in the estimate of one of class i. */
    double ahead_w[QP_NCLASS][QP_NCLASS];
    int64_t stats_from_ms, target_ms;
    bool patience; /* someone may give up: sweep the queue */
} plan;

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

/* A waiting ticket: the policy's view of it and its applicant (index into p). */
typedef struct qent {
    qp_ticket t;
    uint32_t pi;
} qent;

/* The waiting tickets of one line and class, a[head..head+n), in line order: by
 * arrival, then issue order, as the policy compares tickets. So the policy's
 * candidates (qp_cands) are at the head: the first ticket, or the first that has not
 * waited the bounded wait when some have. */
typedef struct fifo {
    qent *a;
    uint32_t head, n, cap;
} fifo;

typedef struct workspace {
    person *p, *sort_tmp;
    size_t *runs;
    size_t np, cap;
    fifo fq[HS_MAX_LINES * QP_NCLASS]; /* waiting, by line and class: fq[line * 3 + class] */
    uint32_t *pend;                    /* no-shows coming back, by index into p */
    int64_t *pend_at, *pend_left;
    size_t npend;
    simrng rng;
} workspace;

static void *grow_array(void *a, size_t n, size_t size)
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
    w->p = grow_array(w->p, cap, sizeof(*w->p));
    w->sort_tmp = grow_array(w->sort_tmp, cap, sizeof(*w->sort_tmp));
    w->runs = grow_array(w->runs, cap + 1, sizeof(*w->runs));
    w->pend = grow_array(w->pend, cap, sizeof(*w->pend));
    w->pend_at = grow_array(w->pend_at, cap, sizeof(*w->pend_at));
    w->pend_left = grow_array(w->pend_left, cap, sizeof(*w->pend_left));
    w->cap = cap;
}

static void ws_free(workspace *w)
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

static void make_arrivals(const hs_scenario *sc, workspace *w)
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

/* Open time a service from t0 to t1 adds past the end of the span it began in (work
 * into lunch, or overtime), not counting what the next span covers anyway. */
static int64_t past_span(const win_plan *x, int64_t t0, int64_t t1)
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

static void build_plan(const hs_scenario *sc, plan *p)
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

typedef struct winst {
    int64_t busy_until; /* 0 = idle */
    int64_t since;      /* service began, or idle since */
    int64_t span_end;   /* serving: the end of the span the service began in */
    int32_t person;     /* being served, -1 none (a no-show call) */
    qp_rr rr;
} winst;

typedef struct day_ctx {
    const plan *p;
    const hs_scenario *sc;
    workspace *w;
    hs_result *res;
    winst ws[HS_MAX_WINDOWS];
    /* Each window's next event (its service ends, or a span of it opens or closes),
     * and the window whose event comes first (the lowest number on a tie). */
    int64_t wake[HS_MAX_WINDOWS];
    int first;
    uint64_t idle;                          /* bit k: window k is idle (busy_until 0) */
    int32_t nwait[HS_MAX_LINES][QP_NCLASS]; /* waiting tickets by line and class */
    int32_t nwait_line[HS_MAX_LINES];
    uint64_t waiting_lines; /* bit l: someone waits on line l */
    int seg[HS_MAX_LINES];  /* the segment of cap[l] holding now */
    qp_ewma handle[HS_MAX_LINES];
    int64_t next_gone; /* no waiting ticket gives up before this */
    uint32_t seq;
    /* Whether window k may call (see open_at), until its next span boundary. */
    int64_t open_until[HS_MAX_WINDOWS];
    bool open[HS_MAX_WINDOWS];
    /* The same for all windows (bit k), until the first of their boundaries. */
    uint64_t open_mask;
    int64_t open_mask_until;
} day_ctx;

/* May window k call at t: inside a span, or past its last one with overtime. The
 * answer holds until the window's next span boundary (d->open_until[k]: the span
 * opens or ends; NEVER past the last), which is also when an idle window must look
 * again. Asked again only then: the day's time only moves on. */
static bool open_at(day_ctx *d, int k, int64_t t)
{
    if (t >= d->open_until[k]) {
        const win_plan *x = &d->p->win[k];
        int s = 0;
        while (s < x->nspan && t >= x->to_ms[s])
            s++;
        if (s == x->nspan) {
            d->open[k] = x->overtime;
            d->open_until[k] = NEVER;
        } else {
            d->open[k] = t >= x->from_ms[s];
            d->open_until[k] = d->open[k] ? x->to_ms[s] : x->from_ms[s];
        }
    }
    return d->open[k];
}

/* The windows that may call at t (bit k). */
static uint64_t open_now(day_ctx *d, int64_t t)
{
    if (t >= d->open_mask_until) {
        uint64_t m = 0;
        int64_t until = NEVER;
        for (int k = 0; k < d->sc->nwin; k++) {
            m |= (uint64_t)open_at(d, k, t) << k;
            until = d->open_until[k] < until ? d->open_until[k] : until;
        }
        d->open_mask = m;
        d->open_mask_until = until;
    }
    return d->open_mask;
}

static void find_first(day_ctx *d)
{
    int first = 0;
    int64_t t = d->wake[0];
    for (int k = 1; k < d->sc->nwin; k++) {
        bool earlier = d->wake[k] < t; /* no branch: which window is first is random */
        t = earlier ? d->wake[k] : t;
        first = earlier ? k : first;
    }
    d->first = first;
}

/* Window k's next event is at t. Only when the first event moves later must all
 * windows be looked at; a window sets its own next event once or twice per ticket. */
static void set_wake(day_ctx *d, int k, int64_t t)
{
    int64_t before = d->wake[k];
    d->wake[k] = t;
    if (k == d->first) {
        if (t > before)
            find_first(d);
    } else {
        int64_t tf = d->wake[d->first];
        int earlier = (t < tf) | ((t == tf) & (k < d->first)); /* no branch: random */
        d->first += (k - d->first) & -earlier;
    }
}

static void count_waiting(day_ctx *d, int line, int cls, int by)
{
    uint64_t bit = 1ULL << line;
    d->nwait[line][cls] += by;
    d->nwait_line[line] += by;
    d->waiting_lines = (d->waiting_lines & ~bit) | (d->nwait_line[line] ? bit : 0);
}

static fifo *fifo_of(workspace *w, const qp_ticket *t)
{
    return &w->fq[t->line * QP_NCLASS + t->cls];
}

/* Take the ticket t (a candidate the policy chose, in its fifo) out; its person's
 * index. Candidates are at or near the head: the tickets before it move up one. */
static uint32_t take_waiting(day_ctx *d, const qp_ticket *t)
{
    fifo *f = fifo_of(d->w, t);
    qent *head = f->a + f->head, *e = (qent *)t;
    uint32_t pi = e->pi;
    count_waiting(d, t->line, t->cls, -1);
    if (e != head)
        memmove(head + 1, head, (size_t)(e - head) * sizeof(*head));
    f->head++;
    f->n--;
    return pi;
}

static void sweep_gone(day_ctx *d, int64_t now)
{
    workspace *w = d->w;
    if (now < d->next_gone)
        return;
    d->next_gone = NEVER;
    for (uint64_t lines = d->waiting_lines; lines; lines &= lines - 1) {
        int l = __builtin_ctzll(lines);
        for (int c = 0; c < QP_NCLASS; c++) {
            fifo *f = &w->fq[l * QP_NCLASS + c];
            qent *e = f->a + f->head;
            uint32_t kept = 0;
            for (uint32_t i = 0; i < f->n; i++) {
                const person *x = &w->p[e[i].pi];
                if (x->give_up_ms <= now) {
                    d->res->line[l].abandoned++;
                    d->res->line[l].abandoned_w += x->first_ms >= d->p->stats_from_ms;
                    count_waiting(d, l, c, -1);
                    continue;
                }
                if (x->give_up_ms < d->next_gone)
                    d->next_gone = x->give_up_ms;
                e[kept++] = e[i];
            }
            f->n = kept;
        }
    }
}

/* Inline: once per arrival, and the call's register saves cost more than its work. */
static inline __attribute__((always_inline)) void enqueue(day_ctx *d, uint32_t pi)
{
    workspace *w = d->w;
    const person *x = &w->p[pi];
    fifo *f = &w->fq[x->line * QP_NCLASS + x->cls];
    if (f->head + f->n == f->cap) { /* at the end of the array: move to its start, or grow */
        if (f->head) {
            memmove(f->a, f->a + f->head, f->n * sizeof(*f->a));
            f->head = 0;
        } else {
            f->cap = f->cap ? f->cap * 2 : 64;
            f->a = grow_array(f->a, f->cap, sizeof(*f->a));
        }
    }
    qent *q = f->a + f->head;
    /* Its issue number is the highest: only an earlier arrival (a rejoin's place) puts
     * it before anyone. */
    uint32_t at = f->n;
    while (at > 0 && q[at - 1].t.arrived_ms > x->arrive_ms)
        at--;
    if (at < f->n)
        memmove(q + at + 1, q + at, (f->n - at) * sizeof(*q));
    /* Field by field: a whole struct built aside and copied in stalls the store. */
    qp_ticket *t = &q[at].t;
    t->arrived_ms = x->arrive_ms;
    t->front_ms = 0;
    t->seq = d->seq++;
    t->line = x->line;
    t->cls = x->cls;
    t->state = QP_WAITING;
    t->only_window = -1;
    t->recalls = t->noshows = 0;
    q[at].pi = pi;
    f->n++;
    count_waiting(d, x->line, x->cls, 1);
    if (x->give_up_ms < d->next_gone)
        d->next_gone = x->give_up_ms;
}

/* The policy's candidates for a window serving the waiting lines `lines` at now (see
 * qp_cands): of each line and class, the head, or when the head has waited the
 * bounded wait, the head as late and the first after the late ones as fresh. */
static void candidates(const day_ctx *d, uint64_t lines, int64_t now, qp_cands *k)
{
    int64_t max_wait = d->sc->policy.max_wait_ms;
    memset(k, 0, sizeof(*k));
    for (; lines; lines &= lines - 1) {
        int l = __builtin_ctzll(lines);
        for (int c = 0; c < QP_NCLASS; c++) {
            const fifo *f = &d->w->fq[l * QP_NCLASS + c];
            if (!f->n)
                continue;
            const qent *e = f->a + f->head, *end = e + f->n;
            if (max_wait > 0 && now - e->t.arrived_ms >= max_wait) {
                if (!k->late[c] || qp_before(&e->t, k->late[c]))
                    k->late[c] = &e->t;
                while (++e < end && now - e->t.arrived_ms >= max_wait)
                    ;
                if (e == end)
                    continue;
            }
            if (!k->fresh[c] || qp_before(&e->t, k->fresh[c]))
                k->fresh[c] = &e->t;
        }
    }
}

/* Set bits of m without a call: the baseline x86-64 has no popcnt instruction, and
 * __builtin_popcountll becomes a libgcc call there. */
static int bit_count(uint64_t m)
{
    m -= (m >> 1) & 0x5555555555555555ULL;
    m = (m & 0x3333333333333333ULL) + ((m >> 2) & 0x3333333333333333ULL);
    m = (m + (m >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (int)((m * 0x0101010101010101ULL) >> 56);
}

/* Idle windows serving line l that may call at t. */
static int free_windows(day_ctx *d, int l, int64_t t)
{
    return bit_count(d->idle & open_now(d, t) & d->p->serves[l]);
}

/* The segment of line l's open share holding now (the day's time only moves on). */
static int cap_segment(day_ctx *d, int l, int64_t now)
{
    const line_cap *c = &d->p->cap[l];
    int i = d->seg[l];
    while (i < c->n && c->at[i] <= now)
        i++;
    return d->seg[l] = i;
}

/* The wait a ticket of class cls on line l taking its number now is told. Ahead of
 * it: the tickets waiting on its line of its class or higher, and of each lower class
 * the share the interleave gives that class against its own. Each needs one recent
 * handling time of a window; the windows' capacity follows their open hours (lunch,
 * closing, opening), so a ticket taken at 12:10 is told about 13:30. */
static int64_t estimate(day_ctx *d, int l, int cls, int64_t now)
{
    const line_cap *c = &d->p->cap[l];
    int ahead, free_w;
    if (cls == QP_NCLASS - 1) { /* the lowest class: everyone waiting is ahead */
        ahead = d->nwait_line[l];
    } else {
        double ahead_f = 0;
        for (int j = 0; j < QP_NCLASS; j++)
            ahead_f += d->nwait[l][j] * d->p->ahead_w[cls][j];
        ahead = (int)(ahead_f + 0.5);
    }
    int64_t t = now;
    int i = cap_segment(d, l, now);
    if (c->r[i] > 0)
        free_w = free_windows(d, l, now);
    else if (i < c->n) {
        /* Closed now: at opening, the windows that open are all free. */
        t = c->at[i++];
        free_w = (int)c->r[i];
    } else
        return -1;
    if (ahead < free_w)
        return t - now;
    double work = (ahead - free_w + 1) * d->handle[l].value; /* window-milliseconds */
    for (;; i++) {
        double r = c->r[i];
        int64_t change = i < c->n ? c->at[i] : NEVER;
        if (r > 0) {
            double need = work / r;
            if (change == NEVER || (double)t + need <= (double)change)
                return t - now + (int64_t)(need + 0.5);
            work -= r * (double)(change - t);
        } else if (change == NEVER)
            return -1;
        t = change;
    }
}

/* Of the windows m (idle and open), the one that calls first (as a hall works: whoever
 * has been waiting for work longest presses 叫号 first, so the load spreads over the
 * windows; ties to the lower number). Calling makes a window busy but changes no
 * other's place, so taking them in this order, one at a time, is the whole round;
 * mostly the first already takes the last waiting ticket. */
static int next_caller(const day_ctx *d, uint64_t m)
{
    int best = __builtin_ctzll(m);
    int64_t since = d->ws[best].since;
    for (m &= m - 1; m; m &= m - 1) {
        int k = __builtin_ctzll(m);
        bool earlier = d->ws[k].since < since; /* on a tie the lower number stays */
        since = earlier ? d->ws[k].since : since;
        best = earlier ? k : best;
    }
    return best;
}

static void set_busy(day_ctx *d, int k, int32_t who, int64_t now, int64_t until)
{
    winst *s = &d->ws[k];
    s->person = who;
    s->since = now;
    s->busy_until = until;
    s->span_end = d->open_until[k]; /* it could call: open_now(now) found it open */
    d->idle &= ~(1ULL << k);
    set_wake(d, k, until);
}

/* Window k called person pi, who was not there: called and recalled, nobody came
 * (过号). Some come back later. */
static void call_noshow(day_ctx *d, int k, uint32_t pi, int64_t now)
{
    const hs_scenario *sc = d->sc;
    workspace *w = d->w;
    person *p = &w->p[pi];
    d->res->line[p->line].noshow++;
    set_busy(d, k, -1, now, now + (int64_t)(sc->call_s * 1000 * (1 + sc->policy.recall_limit)) + 1);
    if (p->noshows < 255)
        p->noshows++;
    if (simrng_uniform(&w->rng) < sc->call_rejoin) {
        int64_t back =
            now + (int64_t)(simrng_uniform(&w->rng) * (double)sc->policy.rejoin_within_ms);
        w->pend[w->npend] = pi;
        w->pend_at[w->npend] = back;
        w->pend_left[w->npend++] = now;
    }
}

static void count_wait(const plan *pl, hs_line_stats *ls, const person *p, int64_t wait)
{
    ls->waited++;
    ls->served_cls[p->cls] += 1;
    ls->wait_cls_ms[p->cls] += wait;
    ls->wait_sum_ms += wait;
    if (wait > ls->wait_max_ms)
        ls->wait_max_ms = wait;
    int64_t b = wait / HS_BUCKET_MS;
    ls->hist[b < HS_BUCKETS - 1 ? b : HS_BUCKETS - 1]++;
    ls->within_target += wait <= pl->target_ms;
    if (p->est_ms >= 0) {
        int64_t e = p->est_ms - wait;
        ls->est_err_sum_ms += e < 0 ? -e : e;
        ls->est_n++;
    }
}

/* Window k serves person pi from now. */
static void serve(day_ctx *d, int k, uint32_t pi, int64_t now)
{
    workspace *w = d->w;
    const person *p = &w->p[pi];
    hs_line_stats *ls = &d->res->line[p->line];
    ls->served++;
    if (p->first_ms >= d->p->stats_from_ms) /* past the warm-up */
        count_wait(d->p, ls, p, now - p->first_ms);
    int64_t dur = (int64_t)(service_s(&d->sc->line[p->line], &w->rng) * 1000) + 1;
    ls->handle_sum_ms += dur;
    int hour = (int)(now / 3600000);
    if (hour < 24) {
        ls->handle_hour_ms[hour] += dur;
        ls->served_hour[hour]++;
    }
    qp_ewma_add(&d->handle[p->line], (double)dur);
    set_busy(d, k, (int32_t)pi, now, now + dur);
    d->res->win_served[k]++;
}

/* Try to give every idle, open window its next ticket. */
static void dispatch(day_ctx *d, int64_t now)
{
    const hs_scenario *sc = d->sc;
    workspace *w = d->w;
    sweep_gone(d, now);
    if (!d->waiting_lines || !d->idle)
        return;
    for (uint64_t m = d->idle & open_now(d, now); m && d->waiting_lines;) {
        int k = next_caller(d, m);
        m &= ~(1ULL << k);
        /* Every ticket in the queue waits and may go to any window of its line. */
        uint64_t lines = d->p->win[k].skills & d->waiting_lines;
        if (!lines) {
            qp_pick_none(&d->ws[k].rr);
            continue;
        }
        qp_cands cands;
        candidates(d, lines, now, &cands);
        const qp_ticket *t = qp_choose(&sc->policy, &d->ws[k].rr, &cands, now);
        if (!t)
            continue;
        uint32_t pi = take_waiting(d, t);
        if (sc->call_noshow > 0 && simrng_uniform(&w->rng) < sc->call_noshow)
            call_noshow(d, k, pi, now);
        else
            serve(d, k, pi, now);
    }
}

static void day_init(day_ctx *d, const plan *p, workspace *w, hs_result *res)
{
    const hs_scenario *sc = p->sc;
    d->p = p;
    d->sc = sc;
    d->w = w;
    d->res = res;
    d->idle = 0;
    d->open_mask_until = 0;
    d->seq = 0;
    d->next_gone = p->patience ? 0 : NEVER;
    memset(d->nwait, 0, (size_t)sc->nline * sizeof(d->nwait[0]));
    memset(d->nwait_line, 0, (size_t)sc->nline * sizeof(d->nwait_line[0]));
    d->waiting_lines = 0;
    memset(d->seg, 0, (size_t)sc->nline * sizeof(d->seg[0]));
    for (int l = 0; l < sc->nline; l++)
        d->handle[l] = (qp_ewma){.value = sc->line[l].service_mean_s * 1000, .alpha = 0.1};
    memset(d->ws, 0, (size_t)sc->nwin * sizeof(d->ws[0]));
    for (int k = 0; k < sc->nwin; k++) {
        d->ws[k].person = -1;
        d->open_until[k] = 0;
        open_at(d, k, 0);
        d->wake[k] = d->open_until[k];
        d->idle |= 1ULL << k;
    }
    find_first(d);
}

/* A ticket is taken. */
static void on_arrival(day_ctx *d, uint32_t pi, int64_t now)
{
    person *p = &d->w->p[pi];
    hs_line_stats *ls = &d->res->line[p->line];
    ls->arrived++;
    int hour = (int)(now / 3600000);
    ls->arrived_hour[hour < 24 ? hour : 23]++;
    sweep_gone(d, now);
    p->est_ms = estimate(d, p->line, p->cls, now);
    enqueue(d, pi);
}

/* The earliest passed-over applicant coming back; NEVER if none. */
static int64_t next_rejoin(const workspace *w, size_t *at)
{
    int64_t t = NEVER;
    *at = 0;
    for (size_t j = 0; j < w->npend; j++)
        if (w->pend_at[j] < t) {
            t = w->pend_at[j];
            *at = j;
        }
    return t;
}

/* Pending applicant j comes back: the rule decides whether the ticket waits again. */
static void on_rejoin(day_ctx *d, size_t j, int64_t now)
{
    workspace *w = d->w;
    uint32_t pi = w->pend[j];
    person *p = &w->p[pi];
    qp_ticket t = {.arrived_ms = p->arrive_ms, .state = QP_GONE, .noshows = p->noshows};
    if (qp_rejoin(&d->sc->policy, &t, w->pend_left[j], now) == 0 && p->give_up_ms > now) {
        p->arrive_ms = t.arrived_ms;
        p->est_ms = -1;
        d->res->line[p->line].rejoined++;
        enqueue(d, pi);
    }
    w->pend[j] = w->pend[--w->npend];
    w->pend_at[j] = w->pend_at[w->npend];
    w->pend_left[j] = w->pend_left[w->npend];
}

/* Window k's event: its service ends, or a span of it opens or closes. */
static void on_window(day_ctx *d, int k, int64_t now)
{
    winst *s = &d->ws[k];
    const win_plan *x = &d->p->win[k];
    if (s->busy_until == now && s->busy_until) {
        d->res->win_busy_ms[k] += now - s->since;
        /* Work past the end of a span (into lunch, or overtime) is open time. */
        if (s->span_end == NEVER || now > s->span_end) /* else within its span */
            d->res->win_open_ms[k] += past_span(x, s->since, now);
        s->busy_until = 0;
        s->person = -1;
        d->idle |= 1ULL << k;
    }
    s->since = now; /* idle since (also: woke for its next span) */
    open_at(d, k, now);
    set_wake(d, k, d->open_until[k]);
}

static void end_day(day_ctx *d)
{
    const hs_scenario *sc = d->sc;
    workspace *w = d->w;
    /* Open time: the spans (work past them was added as it ended). */
    for (int k = 0; k < sc->nwin; k++) {
        const win_plan *x = &d->p->win[k];
        for (int s = 0; s < x->nspan; s++)
            d->res->win_open_ms[k] += x->to_ms[s] - x->from_ms[s];
    }
    /* Still waiting at the end (no window left for them): counted as gone. */
    for (int l = 0; l < sc->nline; l++)
        for (int c = 0; c < QP_NCLASS; c++) {
            d->res->line[l].abandoned += w->fq[l * QP_NCLASS + c].n;
            d->res->line[l].abandoned_w += w->fq[l * QP_NCLASS + c].n;
        }
}

/* The served past the warm-up so far and their summed waits. */
static void wait_totals(const hs_scenario *sc, const hs_result *res, int64_t *n, int64_t *sum)
{
    *n = *sum = 0;
    for (int l = 0; l < sc->nline; l++) {
        *n += res->line[l].waited;
        *sum += res->line[l].wait_sum_ms;
    }
}

static void run_day(const plan *pl, uint64_t seed, workspace *w, hs_result *res, double *day_wait)
{
    const hs_scenario *sc = pl->sc;
    simrng_seed(&w->rng, seed);
    make_arrivals(sc, w);
    w->npend = 0;
    for (int i = 0; i < sc->nline * QP_NCLASS; i++)
        w->fq[i].head = w->fq[i].n = 0;
    day_ctx d;
    day_init(&d, pl, w, res);
    int64_t served0, wait0;
    wait_totals(sc, res, &served0, &wait0);
    size_t ai = 0;
    for (;;) {
        int64_t t_arr = ai < w->np ? w->p[ai].arrive_ms : NEVER;
        size_t pj = 0;
        int64_t t_pend = w->npend ? next_rejoin(w, &pj) : NEVER;
        int kw = d.first;
        int64_t t_win = d.wake[kw];
        int64_t now = t_arr < t_pend ? t_arr : t_pend;
        if (t_win < now)
            now = t_win;
        if (now == NEVER)
            break;
        if (now == t_arr)
            on_arrival(&d, (uint32_t)ai++, now);
        else if (now == t_pend)
            on_rejoin(&d, pj, now);
        else
            on_window(&d, kw, now);
        dispatch(&d, now);
    }
    end_day(&d);
    int64_t served, wait;
    wait_totals(sc, res, &served, &wait);
    served -= served0;
    wait -= wait0;
    *day_wait = served ? (double)wait / (double)served / 1000 : 0;
}

typedef struct job {
    const plan *plan;
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
        run_day(j->plan, simrng_mix(j->seed, (uint64_t)day), &w, j->res, &j->day_wait[day]);
    ws_free(&w);
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
    plan *pl = malloc(sizeof(*pl));
    int rc = 0, started = 0;
    if (!out->day_wait_s || !part || !jobs || !tids || !pl)
        rc = -1;
    else
        build_plan(sc, pl);
    for (int t = 0; !rc && t < threads; t++) {
        jobs[t] = (job){.plan = pl,
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
    free(pl);
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
