/*
 * qpolicy.c - the call-next rule (see qpolicy.h).
 */
#include "core/qpolicy.h"

#include <stdlib.h>
#include <string.h>

void qp_config_default(qp_config *c)
{
    memset(c, 0, sizeof(*c));
    c->weight[QP_GREEN] = 3;
    c->weight[QP_APPT] = 2;
    c->weight[QP_NORMAL] = 1;
    c->aging_ms = 10 * 60 * 1000;
    c->max_wait_ms = 60 * 60 * 1000;
    c->recall_limit = 2;
    c->rejoin_limit = 1;
    c->rejoin_within_ms = 30 * 60 * 1000;
    c->rejoin_penalty_ms = 10 * 60 * 1000;
}

int qp_parse_pattern(const char *s, qp_config *c)
{
    if (!s)
        return -1;
    uint32_t w[QP_NCLASS];
    const char *p = s;
    uint32_t sum = 0;
    for (int k = 0; k < QP_NCLASS; k++) {
        if (*p < '0' || *p > '9')
            return -1;
        uint32_t v = 0;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            v = v * 10 + (uint32_t)(*p - '0');
            if (++digits > 4 || v > 1000)
                return -1;
            p++;
        }
        w[k] = v;
        sum += v;
        if (k < QP_NCLASS - 1) {
            if (*p != ':')
                return -1;
            p++;
        }
    }
    if (*p || sum == 0)
        return -1;
    memcpy(c->weight, w, sizeof(w));
    return 0;
}

/* The class a ticket of class cls competes in after waiting `waited` ms: one class up
 * per aging_ms. Comparisons instead of a division: qp_pick asks for every waiting
 * ticket, and there are only three classes. */
_Static_assert(QP_NCLASS == 3, "aged_class knows three classes");
static int aged_class(const qp_config *c, int cls, int64_t waited)
{
    if (c->aging_ms <= 0 || waited < c->aging_ms)
        return cls;
    if (cls <= 1)
        return 0;
    return waited - c->aging_ms >= c->aging_ms ? 0 : cls - 1;
}

int qp_effective_class(const qp_config *c, const qp_ticket *t, int64_t now)
{
    return aged_class(c, t->cls < QP_NCLASS ? t->cls : QP_NORMAL, now - t->arrived_ms);
}

/* Smooth weighted round robin over the classes that have a ticket (nginx's upstream
 * balancing): each present class gains its weight, the richest is called and pays the
 * sum. A class with nobody waiting starts afresh. Only zero-weight classes waiting:
 * the highest class first. */
static const qp_ticket *interleave(const qp_config *c, int64_t credit[QP_NCLASS],
                                   const qp_ticket *const best[QP_NCLASS])
{
    int64_t total = 0;
    int pick = -1;
    for (int k = 0; k < QP_NCLASS; k++) {
        if (!best[k] || c->weight[k] == 0) {
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
        return best[pick];
    }
    for (int k = 0; k < QP_NCLASS; k++)
        if (best[k])
            return best[k];
    return NULL;
}

const qp_ticket *qp_choose(const qp_config *c, qp_rr *rr, const qp_cands *k, int64_t now)
{
    if (k->front)
        return k->front;
    if (k->late[0] || k->late[1] || k->late[2])
        return interleave(c, rr->late_credit, k->late);
    /* One class waiting, its first not lifted by aging (the usual case): the interleave
     * calls it, its credit gains and pays its own weight, the others start afresh. */
    _Static_assert(QP_NCLASS == 3, "three classes present or not");
    unsigned present =
        (k->fresh[0] != NULL) | (k->fresh[1] != NULL) << 1 | (k->fresh[2] != NULL) << 2;
    int only = __builtin_ctz(present | 8u);
    if (!(present & (present - 1)) && present &&
        aged_class(c, only, now - k->fresh[only]->arrived_ms) == only) {
        for (int j = 0; j < QP_NCLASS; j++)
            if (j != only || c->weight[j] == 0)
                rr->credit[j] = 0;
        return k->fresh[only];
    }
    /* Class j's best: the earliest of the classes' first tickets that aging has lifted
     * to j or higher (a ticket competes in its own class and every class it was lifted
     * to). The scan is over classes, lowest first, so the earliest wins. */
    const qp_ticket *best[QP_NCLASS] = {NULL, NULL, NULL};
    for (int cls = 0; cls < QP_NCLASS; cls++) {
        const qp_ticket *x = k->fresh[cls];
        if (!x)
            continue;
        for (int j = aged_class(c, cls, now - x->arrived_ms); j <= cls; j++)
            if (!best[j] || qp_before(x, best[j]))
                best[j] = x;
    }
    return interleave(c, rr->credit, best);
}

/* x is earlier than the candidate *slot (or there is none). */
static void keep_earliest(const qp_ticket **slot, const qp_ticket *x)
{
    if (!*slot || qp_before(x, *slot))
        *slot = x;
}

ptrdiff_t qp_pick(const qp_config *c, const qp_window *w, qp_rr *rr, const qp_ticket *t, size_t n,
                  int64_t now)
{
    qp_cands k = {0};
    for (size_t i = 0; i < n; i++) {
        const qp_ticket *x = &t[i];
        if (x->state != QP_WAITING || x->line >= QP_MAX_LINES || !(w->skills >> x->line & 1u))
            continue;
        if (x->only_window >= 0 && x->only_window != w->id)
            continue;
        if (x->front_ms) {
            if (!k.front || x->front_ms < k.front->front_ms ||
                (x->front_ms == k.front->front_ms && x->seq < k.front->seq))
                k.front = x;
            continue;
        }
        int cls = x->cls < QP_NCLASS ? x->cls : QP_NORMAL;
        if (c->max_wait_ms > 0 && now - x->arrived_ms >= c->max_wait_ms)
            keep_earliest(&k.late[cls], x);
        else
            keep_earliest(&k.fresh[cls], x);
    }
    const qp_ticket *x = qp_choose(c, rr, &k, now);
    return x ? x - t : -1;
}

void qp_pick_none(qp_rr *rr)
{
    memset(rr->credit, 0, sizeof(rr->credit));
}

bool qp_can_recall(const qp_config *c, const qp_ticket *t)
{
    return t->state == QP_CALLED && (int)t->recalls < c->recall_limit;
}

void qp_noshow(qp_ticket *t)
{
    if (t->noshows < UINT8_MAX)
        t->noshows++;
    t->recalls = 0;
    t->front_ms = 0;
    t->state = QP_GONE;
}

int qp_rejoin(const qp_config *c, qp_ticket *t, int64_t noshow_at, int64_t now)
{
    if (t->state != QP_GONE || t->noshows == 0 || (int)t->noshows > c->rejoin_limit)
        return -1;
    if (now < noshow_at || now - noshow_at > c->rejoin_within_ms)
        return -1;
    int64_t place = t->arrived_ms + c->rejoin_penalty_ms;
    t->arrived_ms = place < now ? place : now;
    t->state = QP_WAITING;
    return 0;
}

void qp_transfer(qp_ticket *t, uint16_t line, int32_t only_window, bool to_front, int64_t now)
{
    t->line = line;
    t->only_window = only_window;
    t->front_ms = to_front ? (now > 0 ? now : 1) : 0;
    t->recalls = 0;
    t->state = QP_WAITING;
}

void qp_park(qp_ticket *t, int32_t window)
{
    t->state = QP_HELD;
    t->only_window = window;
    t->front_ms = 0;
    t->recalls = 0;
}

int qp_unpark(qp_ticket *t, int64_t now)
{
    if (t->state != QP_HELD)
        return -1;
    t->state = QP_WAITING;
    t->front_ms = now > 0 ? now : 1;
    return 0;
}

int64_t qp_estimate_wait_ms(int ahead, int free_windows, double windows, double handle_ms)
{
    if (windows <= 0)
        return -1;
    if (ahead < free_windows)
        return 0;
    double w = (double)(ahead - free_windows + 1) * handle_ms / windows;
    return (int64_t)(w + 0.5);
}
