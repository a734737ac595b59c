/* Unit tests: core/qpolicy (the call-next rule shared by the server and the
 * simulator): interleave, aging, bounded wait, transfers, recall and no-show rules,
 * and the fairness property over long deterministic runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/qpolicy.h"
#include "core/simrng.h"

#define MIN (60 * 1000LL)

static qp_ticket tk(uint32_t seq, uint16_t line, int cls, int64_t arrived)
{
    qp_ticket t = {0};
    t.seq = seq;
    t.line = line;
    t.cls = (uint8_t)cls;
    t.arrived_ms = arrived;
    t.only_window = -1;
    t.state = QP_WAITING;
    return t;
}

static void test_pattern(void **state)
{
    qp_config c;
    qp_config_default(&c);
    assert_int_equal(qp_parse_pattern("5:0:2", &c), 0);
    assert_int_equal(c.weight[0], 5);
    assert_int_equal(c.weight[1], 0);
    assert_int_equal(c.weight[2], 2);
    const char *bad[] = {"",     "1:2",    "1:2:3:4",  "0:0:0",  "a:1:1",
                         "1::1", "1:1:1 ", "1001:1:1", "-1:1:1", NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(qp_parse_pattern(bad[i], &c), -1);
    assert_int_equal(qp_parse_pattern(NULL, &c), -1);
    assert_int_equal(c.weight[0], 5); /* unchanged by failures */
}

/* All three classes always have someone: the calls follow 3:2:1 exactly. */
static void test_interleave(void **state)
{
    qp_config c;
    qp_config_default(&c);
    c.aging_ms = 0;
    c.max_wait_ms = 0;
    qp_ticket t[60];
    for (int i = 0; i < 60; i++)
        t[i] = tk((uint32_t)i, 0, i % 3, i);
    qp_window w = {.id = 1, .skills = 1};
    qp_rr rr = {0};
    char seq[13] = {0};
    int count[3] = {0};
    for (int i = 0; i < 12; i++) {
        ptrdiff_t k = qp_pick(&c, &w, &rr, t, 60, 1000);
        assert_true(k >= 0);
        seq[i] = "GAN"[t[k].cls];
        count[t[k].cls]++;
        t[k].state = QP_CALLED;
    }
    assert_string_equal(seq, "GAGNAGGAGNAG");
    assert_int_equal(count[0], 6);
    assert_int_equal(count[1], 4);
    assert_int_equal(count[2], 2);
    /* Within a class: by arrival, then by issue order. */
    qp_ticket u[3] = {tk(7, 0, QP_NORMAL, 50), tk(3, 0, QP_NORMAL, 50), tk(1, 0, QP_NORMAL, 60)};
    qp_rr rr2 = {0};
    assert_int_equal(qp_pick(&c, &w, &rr2, u, 3, 100), 1);
    /* A window with nobody it may call (tickets on another line, or called already):
     * qp_pick_none leaves the interleave as qp_pick does, mid-pattern too. */
    qp_rr mid = {0};
    assert_true(qp_pick(&c, &w, &mid, t, 60, 1000) >= 0);
    qp_rr a = mid, b = mid;
    assert_true(a.credit[0] || a.credit[1] || a.credit[2]);
    qp_window other = {.id = 2, .skills = 2};
    assert_int_equal(qp_pick(&c, &other, &a, t, 60, 1000), -1);
    qp_pick_none(&b);
    assert_memory_equal(&a, &b, sizeof(a));
    for (int i = 0; i < 60; i++)
        t[i].state = QP_CALLED;
    a = b = mid;
    assert_int_equal(qp_pick(&c, &w, &a, t, 60, 1000), -1);
    qp_pick_none(&b);
    assert_memory_equal(&a, &b, sizeof(a));
}

static void test_eligibility(void **state)
{
    qp_config c;
    qp_config_default(&c);
    qp_window w = {.id = 5, .skills = (1u << 2) | (1u << 3)};
    qp_rr rr = {0};
    qp_ticket t[5] = {tk(1, 0, QP_GREEN, 0), tk(2, 2, QP_NORMAL, 10), tk(3, 3, QP_NORMAL, 5),
                      tk(4, 3, QP_GREEN, 1), tk(5, 2, QP_GREEN, 0)};
    t[3].only_window = 6; /* sent to another window */
    t[4].state = QP_HELD; /* parked in a hold pool */
    assert_int_equal(qp_pick(&c, &w, &rr, t, 5, 20), 2);
    t[2].state = QP_CALLED;
    assert_int_equal(qp_pick(&c, &w, &rr, t, 5, 20), 1);
    t[1].state = QP_DONE;
    assert_int_equal(qp_pick(&c, &w, &rr, t, 5, 20), -1);
    t[3].only_window = 5;
    assert_int_equal(qp_pick(&c, &w, &rr, t, 5, 20), 3);
    qp_window none = {.id = 9, .skills = 0};
    assert_int_equal(qp_pick(&c, &none, &rr, t, 5, 20), -1);
    assert_int_equal(qp_pick(&c, &w, &rr, t, 0, 20), -1);
}

static void test_front_and_overdue(void **state)
{
    qp_config c;
    qp_config_default(&c);
    qp_window w = {.id = 1, .skills = 3};
    qp_rr rr = {0};
    int64_t now = 100 * MIN;
    qp_ticket t[4] = {tk(1, 0, QP_GREEN, now - 1 * MIN), tk(2, 1, QP_NORMAL, now - 61 * MIN),
                      tk(3, 0, QP_NORMAL, now - 2 * MIN), tk(4, 1, QP_NORMAL, now - 70 * MIN)};
    /* Overdue (waited >= 60 min): the longest waiting first, before any green. */
    assert_int_equal(qp_pick(&c, &w, &rr, t, 4, now), 3);
    /* Among late tickets the classes interleave too: a late green goes before the
     * second late normal. */
    qp_ticket l[3] = {tk(1, 0, QP_NORMAL, 0), tk(2, 0, QP_NORMAL, 1), tk(3, 0, QP_GREEN, 2)};
    qp_rr rl = {0};
    ptrdiff_t a = qp_pick(&c, &w, &rl, l, 3, now);
    l[a].state = QP_CALLED;
    ptrdiff_t b = qp_pick(&c, &w, &rl, l, 3, now);
    assert_int_equal(a, 2);
    assert_int_equal(b, 0);
    /* A transfer to the front beats them all; the earliest transfer first. */
    qp_transfer(&t[2], 1, -1, true, now - 10);
    qp_transfer(&t[0], 0, -1, true, now - 5);
    assert_int_equal(t[2].line, 1);
    assert_int_equal(qp_pick(&c, &w, &rr, t, 4, now), 2);
    t[2].state = QP_CALLED;
    assert_int_equal(qp_pick(&c, &w, &rr, t, 4, now), 0);
    /* Transfer keeping the place: no front mark, the arrival stays. */
    qp_transfer(&t[0], 1, 3, false, now);
    assert_int_equal(t[0].front_ms, 0);
    assert_int_equal(t[0].arrived_ms, now - 1 * MIN);
    assert_int_equal(t[0].only_window, 3);
}

static void test_aging(void **state)
{
    qp_config c;
    qp_config_default(&c); /* aging 10 min */
    qp_ticket n = tk(1, 0, QP_NORMAL, 0);
    assert_int_equal(qp_effective_class(&c, &n, 9 * MIN), QP_NORMAL);
    assert_int_equal(qp_effective_class(&c, &n, 10 * MIN), QP_APPT);
    assert_int_equal(qp_effective_class(&c, &n, 25 * MIN), QP_GREEN);
    assert_int_equal(qp_effective_class(&c, &n, 500 * MIN), QP_GREEN);
    c.aging_ms = 0;
    assert_int_equal(qp_effective_class(&c, &n, 500 * MIN), QP_NORMAL);
    /* The class by comparisons equals "one class up per aging_ms waited" computed by
     * division, at and around every step, for every class (an unknown one counts as
     * normal) and several aging periods. */
    const int64_t periods[] = {1, 7, 10 * MIN, 3 * 3600 * 1000LL};
    for (size_t a = 0; a < sizeof(periods) / sizeof(periods[0]); a++) {
        c.aging_ms = periods[a];
        for (int cls = 0; cls <= 3; cls++) {
            qp_ticket x = tk(1, 0, cls, 1000);
            int own = cls < QP_NCLASS ? cls : QP_NORMAL;
            for (int64_t step = -1; step <= 4; step++)
                for (int64_t off = -1; off <= 1; off++) {
                    int64_t waited = step * c.aging_ms + off;
                    int64_t steps = waited > 0 ? waited / c.aging_ms : 0;
                    int want = steps >= own ? 0 : own - (int)steps;
                    assert_int_equal(qp_effective_class(&c, &x, 1000 + waited), want);
                }
        }
    }

    /* Normal weight 0: without aging it waits while a green waits; aged 20 min it
     * competes as green and, having arrived first, is called first. */
    qp_config_default(&c);
    c.weight[QP_NORMAL] = 0;
    c.max_wait_ms = 0;
    qp_window w = {.id = 1, .skills = 1};
    qp_rr rr = {0};
    qp_ticket t[2] = {tk(1, 0, QP_NORMAL, 0), tk(2, 0, QP_GREEN, 1 * MIN)};
    assert_int_equal(qp_pick(&c, &w, &rr, t, 2, 5 * MIN), 1);
    assert_int_equal(qp_pick(&c, &w, &rr, t, 2, 20 * MIN), 0);
}

static void test_recall_noshow_rejoin(void **state)
{
    qp_config c;
    qp_config_default(&c); /* 2 recalls; 1 rejoin within 30 min; 10 min back */
    qp_ticket t = tk(1, 0, QP_NORMAL, 0);
    assert_false(qp_can_recall(&c, &t)); /* not called */
    t.state = QP_CALLED;
    assert_true(qp_can_recall(&c, &t));
    t.recalls = 2;
    assert_false(qp_can_recall(&c, &t));
    qp_noshow(&t);
    assert_int_equal(t.state, QP_GONE);
    assert_int_equal(t.noshows, 1);
    assert_int_equal(t.recalls, 0);
    assert_int_equal(qp_rejoin(&c, &t, 20 * MIN, 51 * MIN), -1); /* too late */
    assert_int_equal(qp_rejoin(&c, &t, 20 * MIN, 19 * MIN), -1); /* before the no-show */
    assert_int_equal(qp_rejoin(&c, &t, 20 * MIN, 25 * MIN), 0);
    assert_int_equal(t.state, QP_WAITING);
    assert_int_equal(t.arrived_ms, 10 * MIN);                    /* moved back 10 minutes */
    assert_int_equal(qp_rejoin(&c, &t, 20 * MIN, 25 * MIN), -1); /* not gone */
    t.state = QP_CALLED;
    qp_noshow(&t);
    assert_int_equal(qp_rejoin(&c, &t, 30 * MIN, 31 * MIN), -1); /* second no-show */
    /* The penalty never puts a place behind now. */
    qp_ticket u = tk(2, 0, QP_NORMAL, 0);
    u.state = QP_CALLED;
    qp_noshow(&u);
    c.rejoin_penalty_ms = 1000 * MIN;
    assert_int_equal(qp_rejoin(&c, &u, 2 * MIN, 3 * MIN), 0);
    assert_int_equal(u.arrived_ms, 3 * MIN);
}

/* The hold pool: a parked applicant is skipped by every window; when ready, the
 * window that parked it (and only that one) calls it before anyone else. */
static void test_park(void **state)
{
    qp_config c;
    qp_config_default(&c);
    qp_window w1 = {.id = 1, .skills = 1}, w2 = {.id = 2, .skills = 1};
    qp_rr rr = {0};
    qp_ticket t[2] = {tk(1, 0, QP_NORMAL, 0), tk(2, 0, QP_GREEN, 5)};
    t[0].state = QP_CALLED;
    qp_park(&t[0], 1);
    assert_int_equal(t[0].state, QP_HELD);
    assert_int_equal(qp_pick(&c, &w1, &rr, t, 2, 10), 1);
    assert_int_equal(qp_unpark(&t[0], 20), 0);
    assert_int_equal(qp_unpark(&t[0], 20), -1);
    assert_int_equal(qp_pick(&c, &w2, &rr, t, 2, 21), 1); /* not window 2's */
    assert_int_equal(qp_pick(&c, &w1, &rr, t, 2, 21), 0);
}

static void test_estimate(void **state)
{
    assert_int_equal(qp_estimate_wait_ms(0, 1, 2, 600000), 0);
    assert_int_equal(qp_estimate_wait_ms(3, 0, 2, 600000), 1200000);
    assert_int_equal(qp_estimate_wait_ms(3, 1, 2, 600000), 900000);
    assert_int_equal(qp_estimate_wait_ms(3, 0, 0, 600000), -1);
    qp_ewma e = {.alpha = 0.5};
    qp_ewma_add(&e, 100);
    assert_true(e.value == 100);
    qp_ewma_add(&e, 200);
    assert_true(e.value == 150);
}

/* One window calling from one line; service takes service_ms (0: exponential with
 * mean 5 min). Returns the largest wait of a normal ticket and fills the mean and a
 * hash of the call order. Arrivals: per-class Poisson rates per minute (or every
 * `every_ms` for normal tickets when every_ms > 0), plus `backlog` greens at time 0. */
typedef struct run {
    const qp_config *c;
    double rate[3];      /* per minute */
    int64_t every_ms[3]; /* > 0: that class arrives every so often instead */
    int backlog;
    int64_t service_ms;
    int64_t horizon_ms;
    uint64_t seed;
    /* out */
    int64_t max_wait[3];
    double mean_wait[3];
    long served[3];
    uint64_t hash;
    int left_normal;
} run;

#define CAP 40000

static void simulate(run *r)
{
    static qp_ticket q[CAP];
    size_t n = 0;
    simrng g;
    simrng_seed(&g, r->seed);
    int64_t next[3];
    for (int k = 0; k < 3; k++)
        next[k] = r->rate[k] > 0 ? (int64_t)(simrng_exp(&g, 1.0 / r->rate[k]) * MIN) : INT64_MAX;
    for (int k = 0; k < 3; k++)
        if (r->every_ms[k] > 0)
            next[k] = r->every_ms[k];
    uint32_t seq = 0;
    for (int i = 0; i < r->backlog; i++)
        q[n++] = tk(seq++, 0, QP_GREEN, 0);
    qp_window w = {.id = 1, .skills = 1};
    qp_rr rr = {0};
    double sum[3] = {0};
    memset(r->max_wait, 0, sizeof(r->max_wait));
    memset(r->served, 0, sizeof(r->served));
    r->hash = 1469598103934665603ULL;
    int64_t now = 0;
    while (now < r->horizon_ms) {
        /* Everyone who arrived by now joins (in time order). */
        for (;;) {
            int k = 0;
            for (int j = 1; j < 3; j++)
                if (next[j] < next[k])
                    k = j;
            if (next[k] > now)
                break;
            assert_true(n < CAP);
            q[n++] = tk(seq++, 0, k, next[k]);
            if (r->every_ms[k] > 0)
                next[k] += r->every_ms[k];
            else
                next[k] += (int64_t)(simrng_exp(&g, 1.0 / r->rate[k]) * MIN) + 1;
        }
        ptrdiff_t i = qp_pick(r->c, &w, &rr, q, n, now);
        if (i < 0) {
            int64_t m = next[0];
            for (int j = 1; j < 3; j++)
                m = next[j] < m ? next[j] : m;
            now = m;
            continue;
        }
        int cls = q[i].cls;
        int64_t wait = now - q[i].arrived_ms;
        sum[cls] += (double)wait;
        r->served[cls]++;
        if (wait > r->max_wait[cls])
            r->max_wait[cls] = wait;
        r->hash = (r->hash ^ q[i].seq) * 1099511628211ULL;
        q[i] = q[--n];
        now += r->service_ms ? r->service_ms : (int64_t)(simrng_exp(&g, 5.0) * MIN) + 1;
    }
    r->left_normal = 0;
    for (size_t i = 0; i < n; i++)
        r->left_normal += q[i].cls == QP_NORMAL;
    for (int k = 0; k < 3; k++)
        r->mean_wait[k] = r->served[k] ? sum[k] / (double)r->served[k] : 0;
}

/* Greens never run out (a backlog of 50 and one more every 5 minutes, as fast as the
 * one window serves), a normal ticket comes every 30 minutes. Strict priority never calls it; the
 * 3:2:1 interleave calls it within the window's next few services, for 1000 days' worth. */
static void test_fairness_saturated(void **state)
{
    qp_config strict;
    qp_config_default(&strict);
    strict.weight[QP_APPT] = strict.weight[QP_NORMAL] = 0;
    strict.aging_ms = strict.max_wait_ms = 0;
    run r = {.c = &strict,
             .every_ms = {5 * MIN, 0, 30 * MIN},
             .backlog = 50,
             .service_ms = 5 * MIN,
             .horizon_ms = 2000LL * 60 * MIN,
             .seed = 1};
    simulate(&r);
    assert_int_equal(r.served[QP_NORMAL], 0); /* starved */
    assert_true(r.left_normal > 3000);

    qp_config fair;
    qp_config_default(&fair);
    fair.aging_ms = fair.max_wait_ms = 0; /* the interleave alone */
    r.c = &fair;
    simulate(&r);
    print_message("saturated: %ld normal served, max wait %lld s\n", r.served[QP_NORMAL],
                  (long long)(r.max_wait[QP_NORMAL] / 1000));
    assert_true(r.served[QP_NORMAL] >= 3999);
    /* Green and normal present: 3:1, so one call in 4 at most 5 minutes apart, plus
     * the service in progress when it arrived. */
    assert_true(r.max_wait[QP_NORMAL] <= 4 * 5 * MIN);

    qp_config def;
    qp_config_default(&def); /* with aging and the 60-minute bound */
    r.c = &def;
    simulate(&r);
    /* Every green is late now (the backlog grows by one every 30 minutes); a normal
     * ticket becomes late after 60 minutes at most and is then interleaved 3:1. */
    print_message("saturated, default: %ld normal served, max wait %lld s\n", r.served[QP_NORMAL],
                  (long long)(r.max_wait[QP_NORMAL] / 1000));
    assert_true(r.left_normal <= 3); /* only those that came in the last 80 minutes */
    assert_true(r.max_wait[QP_NORMAL] <= 60 * MIN + 4 * 5 * MIN);
}

/* A stable but heavily loaded window (load 0.9, 80% of it green, random arrivals and
 * exponential services) for 20,000 simulated hours (12,000 normal tickets): under strict priority
 * normal tickets wait for hours; under the default policy their wait stays within the bound (60 min
 * + the overdue tickets ahead), and the whole run is reproducible. */
static void test_fairness_random(void **state)
{
    qp_config strict;
    qp_config_default(&strict);
    strict.weight[QP_APPT] = strict.weight[QP_NORMAL] = 0;
    strict.aging_ms = strict.max_wait_ms = 0;
    run r = {.c = &strict,
             .rate = {0.16, 0.01, 0.01},
             .service_ms = 0,
             .horizon_ms = 20000LL * 60 * MIN,
             .seed = 42};
    simulate(&r);
    int64_t strict_max = r.max_wait[QP_NORMAL];
    double strict_mean = r.mean_wait[QP_NORMAL];

    qp_config def;
    qp_config_default(&def);
    r.c = &def;
    simulate(&r);
    uint64_t h1 = r.hash;
    print_message("normal wait: strict mean %.0f max %lld min; policy mean %.0f max %lld min "
                  "(green mean %.0f max %lld min)\n",
                  strict_mean / MIN, (long long)(strict_max / MIN), r.mean_wait[2] / MIN,
                  (long long)(r.max_wait[2] / MIN), r.mean_wait[0] / MIN,
                  (long long)(r.max_wait[0] / MIN));
    assert_true(r.served[QP_NORMAL] > 1500);
    assert_true(strict_max > 5 * 60 * MIN);
    /* No class is left behind: a normal ticket never waits much longer than the
     * longest green wait (the bound: max_wait plus the late tickets interleaved
     * ahead), while strict priority leaves it 10 times longer. */
    assert_true(r.max_wait[QP_NORMAL] <= r.max_wait[QP_GREEN] + 60 * MIN);
    assert_true(r.max_wait[QP_NORMAL] <= 6 * 60 * MIN);
    assert_true(strict_max > 10 * r.max_wait[QP_NORMAL]);
    assert_true(r.mean_wait[QP_NORMAL] < strict_mean / 4);
    /* Determinism: the same seed gives the same call order; another seed another. */
    simulate(&r);
    assert_true(r.hash == h1);
    r.seed = 43;
    simulate(&r);
    assert_true(r.hash != h1);
}

/* The rule of qpolicy.h written out directly, ticket by ticket: front first; then the
 * late, the earliest of each class, interleaved; then each ticket in its own class and
 * every class aging lifted it to, the earliest of each class, interleaved. A reference
 * for qp_pick and qp_choose, which keep only each class's first tickets. */
static ptrdiff_t rule_pick(const qp_config *c, const qp_window *w, qp_rr *rr, const qp_ticket *t,
                           size_t n, int64_t now)
{
    ptrdiff_t front = -1, late[3] = {-1, -1, -1}, best[3] = {-1, -1, -1};
    for (size_t i = 0; i < n; i++) {
        const qp_ticket *x = &t[i];
        if (x->state != QP_WAITING || !(w->skills >> x->line & 1u) ||
            (x->only_window >= 0 && x->only_window != w->id))
            continue;
        if (x->front_ms) {
            if (front < 0 || x->front_ms < t[front].front_ms ||
                (x->front_ms == t[front].front_ms && x->seq < t[front].seq))
                front = (ptrdiff_t)i;
            continue;
        }
        int64_t waited = now - x->arrived_ms;
        if (c->max_wait_ms > 0 && waited >= c->max_wait_ms) {
            if (late[x->cls] < 0 || qp_before(x, &t[late[x->cls]]))
                late[x->cls] = (ptrdiff_t)i;
            continue;
        }
        int lifted = c->aging_ms > 0 ? (int)(waited / c->aging_ms) : 0;
        for (int k = x->cls - lifted < 0 ? 0 : x->cls - lifted; k <= x->cls; k++)
            if (best[k] < 0 || qp_before(x, &t[best[k]]))
                best[k] = (ptrdiff_t)i;
    }
    if (front >= 0)
        return front;
    bool any_late = late[0] >= 0 || late[1] >= 0 || late[2] >= 0;
    ptrdiff_t *b = any_late ? late : best;
    int64_t *credit = any_late ? rr->late_credit : rr->credit;
    int64_t total = 0;
    int pick = -1;
    for (int k = 0; k < 3; k++) {
        if (b[k] < 0 || c->weight[k] == 0) {
            credit[k] = 0;
            continue;
        }
        credit[k] += c->weight[k];
        total += c->weight[k];
        if (pick < 0 || credit[k] > credit[pick])
            pick = k;
    }
    if (pick >= 0) {
        credit[pick] -= total;
        return b[pick];
    }
    for (int k = 0; k < 3; k++)
        if (b[k] >= 0)
            return b[k];
    return -1;
}

/* qp_pick (scan) and qp_choose (given each class's first tickets, as the simulator
 * finds them) agree with the rule written out, call after call, on random queues:
 * random configurations (zero weights, aging, bounded wait), several lines, windows,
 * tickets transferred to the front or to one window, parked and called ones, ties. */
static void test_choose_matches_rule(void **state)
{
    simrng r;
    simrng_seed(&r, 7);
    for (int round = 0; round < 400; round++) {
        qp_config c;
        qp_config_default(&c);
        for (int k = 0; k < 3; k++)
            c.weight[k] = (uint32_t)(simrng_u64(&r) % 4);
        if (!c.weight[0] && !c.weight[1] && !c.weight[2])
            c.weight[2] = 1;
        c.aging_ms = simrng_u64(&r) % 3 ? (int64_t)(simrng_u64(&r) % 20 + 1) * MIN : 0;
        c.max_wait_ms = simrng_u64(&r) % 3 ? (int64_t)(simrng_u64(&r) % 90 + 10) * MIN : 0;
        size_t n = (size_t)(simrng_u64(&r) % 40 + 1);
        qp_ticket t[40];
        for (size_t i = 0; i < n; i++) {
            t[i] = tk((uint32_t)i, (uint16_t)(simrng_u64(&r) % 3), (int)(simrng_u64(&r) % 3),
                      (int64_t)(simrng_u64(&r) % 120) * MIN / 2);
            uint64_t v = simrng_u64(&r) % 20;
            if (v == 0)
                t[i].front_ms = (int64_t)(simrng_u64(&r) % 3 + 1) * MIN;
            else if (v == 1)
                t[i].only_window = (int32_t)(simrng_u64(&r) % 3);
            else if (v == 2)
                t[i].state = QP_HELD;
            else if (v == 3)
                t[i].state = QP_CALLED;
        }
        qp_window w = {.id = (int32_t)(simrng_u64(&r) % 3), .skills = simrng_u64(&r) % 7 + 1};
        qp_rr a = {0}, b = {0}, e = {0};
        int64_t now = 60 * MIN + (int64_t)(simrng_u64(&r) % 120) * MIN;
        for (;;) {
            ptrdiff_t want = rule_pick(&c, &w, &e, t, n, now);
            ptrdiff_t got = qp_pick(&c, &w, &a, t, n, now);
            assert_int_equal(got, want);
            assert_memory_equal(&a, &e, sizeof(a));
            /* The simulator's way: the first tickets of each class, from a scan here. */
            qp_cands k = {0};
            for (size_t i = 0; i < n; i++) {
                const qp_ticket *x = &t[i];
                if (x->state != QP_WAITING || !(w.skills >> x->line & 1u) ||
                    (x->only_window >= 0 && x->only_window != w.id))
                    continue;
                const qp_ticket **slot = x->front_ms ? &k.front
                                         : c.max_wait_ms > 0 && now - x->arrived_ms >= c.max_wait_ms
                                             ? &k.late[x->cls]
                                             : &k.fresh[x->cls];
                if (!*slot ||
                    (x->front_ms ? x->front_ms < (*slot)->front_ms ||
                                       (x->front_ms == (*slot)->front_ms && x->seq < (*slot)->seq)
                                 : qp_before(x, *slot)))
                    *slot = x;
            }
            const qp_ticket *chosen = qp_choose(&c, &b, &k, now);
            assert_int_equal(chosen ? chosen - t : -1, want);
            assert_memory_equal(&b, &e, sizeof(b));
            if (want < 0)
                break;
            t[want].state = QP_CALLED;
            now += (int64_t)(simrng_u64(&r) % 4) * MIN;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern),
        cmocka_unit_test(test_interleave),
        cmocka_unit_test(test_eligibility),
        cmocka_unit_test(test_front_and_overdue),
        cmocka_unit_test(test_aging),
        cmocka_unit_test(test_recall_noshow_rejoin),
        cmocka_unit_test(test_park),
        cmocka_unit_test(test_estimate),
        cmocka_unit_test(test_fairness_saturated),
        cmocka_unit_test(test_fairness_random),
        cmocka_unit_test(test_choose_matches_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
