/*
 * hallsim.c - the hall day simulation (see hallsim.h): the events of a day (arrivals,
 * windows calling by the shared policy, services ending, rejoins) and the runs over
 * many days and threads. The per-run tables are in hallsim_plan.c, the day's
 * applicants in hallsim_arrivals.c.
 */
#include "core/hallsim_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(HS_MAX_WINDOWS <= 64, "window sets are 64-bit masks");

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
            f->a = hs_grow(f->a, f->cap, sizeof(*f->a));
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
            d->res->win_open_ms[k] += hs_past_span(x, s->since, now);
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
    hs_make_arrivals(sc, w);
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
    hs_ws_free(&w);
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
        hs_plan_build(sc, pl);
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
