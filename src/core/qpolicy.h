/*
 * qpolicy.h - which waiting ticket a window calls next (DOMAIN.md §4), shared by the
 * server and the simulator (`yichuang simulate`) so both follow one rule.
 *
 * A ticket waits on one service line in one priority class: 绿色通道 (green: elderly,
 * disabled, pregnant, veterans), appointment (a checked-in booking) or normal. A window
 * calls from the lines it is authorized for. The rule, first step that yields wins:
 *
 *   1. a ticket transferred "to the front" (转移插队), earliest transfer first;
 *   2. a ticket that has waited max_wait_ms or longer (the bounded-wait guarantee):
 *      among these the longest waiting of each class, the classes interleaved as in
 *      step 3 (so even when the hall is overloaded and everyone is late, the classes
 *      keep their shares and no class starves);
 *   3. otherwise the classes interleave by weight (smooth weighted round robin: the
 *      pattern "green:appointment:normal" = 3:2:1 calls 绿 预 绿 普 预 绿 ... while
 *      all three have tickets). Aging lifts a ticket one class for every aging_ms it
 *      has waited: a normal ticket that waited 2 * aging_ms competes in the green and
 *      appointment classes as well as in its own, so aging only ever helps it (it
 *      never loses its own class's share by being promoted into a long green queue).
 *      Within a class the earliest arrival wins; ties by issue sequence.
 *
 * The interleave position lives in a qp_rr the caller keeps per window (the server in
 * the window's row, the simulator in its window). Everything is pure: time comes in
 * as a parameter, nothing allocates, the same inputs give the same answer.
 *
 * Times are milliseconds on any one clock (the server uses Unix ms, the simulator ms
 * since midnight of the simulated day).
 */
#ifndef YC_QPOLICY_H
#define YC_QPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum qp_class { QP_GREEN = 0, QP_APPT = 1, QP_NORMAL = 2, QP_NCLASS = 3 };

/* Where a ticket is. Only QP_WAITING tickets can be called by qp_pick; a parked
 * ticket (QP_HELD) sits in its window's hold pool until that window calls it back. */
enum qp_state { QP_WAITING = 0, QP_HELD = 1, QP_CALLED = 2, QP_DONE = 3, QP_GONE = 4 };

/* Lines are numbered 0..QP_MAX_LINES-1 per center; a window's skills are a bit set. */
#define QP_MAX_LINES 64

typedef struct qp_ticket {
    int64_t arrived_ms;  /* when it joined the queue (its place; see qp_rejoin) */
    int64_t front_ms;    /* when transferred to the front, or 0 */
    uint32_t seq;        /* issue order, the last tie-break */
    uint16_t line;       /* service line */
    uint8_t cls;         /* enum qp_class */
    uint8_t state;       /* enum qp_state */
    int32_t only_window; /* transferred to one window: only it may call; -1 any */
    uint8_t recalls;     /* recalls (重呼) used on the current call */
    uint8_t noshows;     /* times it was passed over (过号) */
} qp_ticket;

/* a is earlier in line than b: by arrival (its place), then issue order. */
static inline bool qp_before(const qp_ticket *a, const qp_ticket *b)
{
    return a->arrived_ms != b->arrived_ms ? a->arrived_ms < b->arrived_ms : a->seq < b->seq;
}

typedef struct qp_config {
    uint32_t weight[QP_NCLASS]; /* interleave weights; 0 = only by aging/max wait */
    int64_t aging_ms;           /* one class up per aging_ms waited; 0 = no aging */
    int64_t max_wait_ms;        /* waited this long: called first; 0 = no bound */
    int recall_limit;           /* recalls allowed per call (default 2) */
    int rejoin_limit;           /* no-shows after which a ticket cannot rejoin */
    int64_t rejoin_within_ms;   /* a no-show may rejoin within this long */
    int64_t rejoin_penalty_ms;  /* rejoining moves the place back this much (capped at
                                   the back of the queue: now) */
} qp_config;

/* Defaults: 3:2:1, aging 10 min, bounded wait 60 min, 2 recalls, one rejoin within
 * 30 min, placed 10 minutes later than the ticket's first place. */
void qp_config_default(qp_config *c);

/* Parse an interleave pattern "3:2:1" (green:appointment:normal). 0 or -1 (c is
 * unchanged then). Each weight 0..1000, not all zero. */
int qp_parse_pattern(const char *s, qp_config *c);

/* Per-window interleave position (zero-init is the start). */
typedef struct qp_rr {
    int64_t credit[QP_NCLASS];      /* step 3 */
    int64_t late_credit[QP_NCLASS]; /* step 2 */
} qp_rr;

/* The window's view: its id (for only_window) and the lines it serves. */
typedef struct qp_window {
    int32_t id;
    uint64_t skills; /* bit l set: serves line l */
} qp_window;

/* The index in t[0..n) of the ticket w calls next at now, or -1 if none may be called.
 * Advances rr when the interleave decided (step 3). O(n), no allocation. */
ptrdiff_t qp_pick(const qp_config *c, const qp_window *w, qp_rr *rr, const qp_ticket *t, size_t n,
                  int64_t now);

/* qp_pick in two steps, for a caller whose queue names the candidates without a scan
 * (the simulator keeps one FIFO per line and class). Among the waiting tickets the
 * window may call: front is the one transferred to the front first (front_ms, then
 * seq); of the others, late[k] is the earliest (arrived_ms, then seq) of class k that
 * has waited max_wait_ms or longer and fresh[k] the earliest of class k that has not.
 * NULL where there is none. No other ticket can be called: aging only ever lifts the
 * earliest non-late ticket of a class highest (it has waited longest), so qp_pick's
 * answer is always one of these. */
typedef struct qp_cands {
    const qp_ticket *front;
    const qp_ticket *late[QP_NCLASS];
    const qp_ticket *fresh[QP_NCLASS];
} qp_cands;

/* The candidate w calls next at now, or NULL if there is none; advances rr as qp_pick
 * does. qp_pick is this after a scan, so both give the same answer. */
const qp_ticket *qp_choose(const qp_config *c, qp_rr *rr, const qp_cands *k, int64_t now);

/* What qp_pick does to rr when the window has nobody to call (no waiting ticket it
 * may call): every class starts afresh. For a caller that knows this without the scan
 * (the simulator counts who waits on each line). */
void qp_pick_none(qp_rr *rr);

/* The class a ticket competes in at now after aging. */
int qp_effective_class(const qp_config *c, const qp_ticket *t, int64_t now);

/* May the window recall (重呼) this ticket once more? */
bool qp_can_recall(const qp_config *c, const qp_ticket *t);

/* The ticket did not come when called: count the no-show; it leaves the queue
 * (QP_GONE) until it rejoins. */
void qp_noshow(qp_ticket *t);

/* A passed-over applicant comes back at now, noshow_at being when it was passed. 0 and
 * the ticket waits again with its place moved back by rejoin_penalty_ms (never past
 * now), or -1 if the rule forbids it (too many no-shows, or too late). */
int qp_rejoin(const qp_config *c, qp_ticket *t, int64_t noshow_at, int64_t now);

/* Transfer to another line (and optionally one window), to the front or keeping the
 * ticket's place by arrival. */
void qp_transfer(qp_ticket *t, uint16_t line, int32_t only_window, bool to_front, int64_t now);

/* Park a called applicant who must fill in a form (the window's hold pool): the
 * ticket is out of the queue and belongs to that window. */
void qp_park(qp_ticket *t, int32_t window);
/* The parked applicant is ready: the window that parked it calls it next (front of
 * the queue, that window only). -1 if it is not parked. */
int qp_unpark(qp_ticket *t, int64_t now);

/* Expected wait in ms for a ticket with `ahead` tickets in front of it on its line,
 * `free_windows` of `windows` open windows serving the line idle, and handle_ms the
 * recent mean handling time: 0 if a free window will take it at once, else
 * (ahead - free + 1) * handle / windows. -1 if no window serves the line. */
int64_t qp_estimate_wait_ms(int ahead, int free_windows, double windows, double handle_ms);

/* Recent handling time: exponentially weighted moving average. */
typedef struct qp_ewma {
    double value; /* ms; 0 until the first sample unless seeded */
    double alpha; /* weight of a new sample, e.g. 0.1 */
    int n;
} qp_ewma;

static inline void qp_ewma_add(qp_ewma *e, double sample_ms)
{
    if (e->n++ == 0 && e->value <= 0)
        e->value = sample_ms;
    else
        e->value += e->alpha * (sample_ms - e->value);
}

#endif
