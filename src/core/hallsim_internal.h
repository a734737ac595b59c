/*
 * hallsim_internal.h - what the parts of the hall simulation share: hallsim.c (the
 * day's events and the runs), hallsim_plan.c (the tables a run derives from its
 * scenario once) and hallsim_arrivals.c (each day's applicants). Other modules use
 * hallsim.h.
 */
#ifndef YC_HALLSIM_INTERNAL_H
#define YC_HALLSIM_INTERNAL_H

#include "core/hallsim.h"
#include "core/qpolicy.h"
#include "core/simrng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NEVER INT64_MAX

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

/* hallsim_plan.c: the tables of sc, built once per run. */
void hs_plan_build(const hs_scenario *sc, plan *p);
/* Open time a service from t0 to t1 adds past the end of the span it began in (work
 * into lunch, or overtime), not counting what the next span covers anyway. */
int64_t hs_past_span(const win_plan *x, int64_t t0, int64_t t1);

/* hallsim_arrivals.c: a day's applicants. */
/* realloc, or abort on out of memory (a simulation cannot go on without its arrays). */
void *hs_grow(void *a, size_t n, size_t size);
void hs_ws_free(workspace *w);
/* The day's applicants into w->p[0..np), by arrival (then line, then class): walk-ins
 * as a Poisson process by the hour, bookings by slot (some never come, the others a
 * little early or late); every draw from w->rng. */
void hs_make_arrivals(const hs_scenario *sc, workspace *w);

#endif
